#include "domain/pro_booking.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/tz.h"
#include "db/db.h"
#include "db/row.h"
#include "db/scalar.h"
#include "domain/authz.h"

#define DAY 86400
#define MAX_ZONES 32
#define MAX_BINDS (16 + 8 * MAX_ZONES)
/* Widest offsets of any zone: the coarse bounds that let the index narrow the scan. */
#define EAST_MAX (14 * 3600)
#define WEST_MAX (12 * 3600)

/* ------------------------------------------------------------------------------------------ */
/* Statuses                                                                                   */

static const struct {
    const char *code, *label, *word;
} status_names[] = {
    [PP_PRO_STATUS_ANY] = {"", "", ""},
    [PP_PRO_STATUS_BOOKED] = {"booked", "Réservée", "réservé"},
    [PP_PRO_STATUS_CONFIRMED] = {"confirmed", "Confirmée", "confirmé"},
    [PP_PRO_STATUS_VALIDATED] = {"validated", "Validée", "validé"},
    [PP_PRO_STATUS_CANCELLED] = {"cancelled", "Annulée", "annulé"},
    [PP_PRO_STATUS_REIMBURSED] = {"reimbursed", "Remboursée", "remboursé"},
};
#define STATUS_COUNT (sizeof status_names / sizeof status_names[0])

const char *pp_pro_status_code(enum pp_pro_status s)
{
    return (size_t)s < STATUS_COUNT ? status_names[s].code : "";
}

const char *pp_pro_status_label(enum pp_pro_status s)
{
    return (size_t)s < STATUS_COUNT ? status_names[s].label : "";
}

const char *pp_pro_status_word(enum pp_pro_status s)
{
    return (size_t)s < STATUS_COUNT ? status_names[s].word : "";
}

static enum pp_pro_status status_of(enum pp_booking_status db_status, int64_t limit, int64_t now)
{
    if (db_status == PP_BOOKING_NONE)
        return PP_PRO_STATUS_BOOKED;
    if (db_status == PP_BOOKING_USED)
        return PP_PRO_STATUS_VALIDATED;
    if (db_status == PP_BOOKING_CANCELLED)
        return PP_PRO_STATUS_CANCELLED;
    if (db_status == PP_BOOKING_REIMBURSED)
        return PP_PRO_STATUS_REIMBURSED;
    return limit != 0 && limit <= now ? PP_PRO_STATUS_CONFIRMED : PP_PRO_STATUS_BOOKED;
}

size_t pp_pro_booking_history(const struct pp_pro_booking *b, int64_t now,
                              struct pp_pro_booking_step out[5])
{
    size_t n = 0;
    out[n++] = (struct pp_pro_booking_step){PP_PRO_STATUS_BOOKED, b->created_at};
    int64_t limit = b->cancellation_limit_at;
    bool cancelled = b->status == PP_PRO_STATUS_CANCELLED;
    if (limit != 0 && limit <= now && (!cancelled || b->cancelled_at >= limit) &&
        (b->used_at == 0 || b->used_at >= limit))
        out[n++] = (struct pp_pro_booking_step){PP_PRO_STATUS_CONFIRMED, limit};
    if (b->used_at != 0)
        out[n++] = (struct pp_pro_booking_step){PP_PRO_STATUS_VALIDATED, b->used_at};
    if (cancelled)
        out[n++] = (struct pp_pro_booking_step){PP_PRO_STATUS_CANCELLED, b->cancelled_at};
    if (b->status == PP_PRO_STATUS_REIMBURSED && b->reimbursed_at != 0)
        out[n++] = (struct pp_pro_booking_step){PP_PRO_STATUS_REIMBURSED, b->reimbursed_at};
    /* Insertion sort: at most five steps, equal times keep their logical order. */
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && out[j - 1].at > out[j].at; j--) {
            struct pp_pro_booking_step t = out[j];
            out[j] = out[j - 1];
            out[j - 1] = t;
        }
    return n;
}

/* ------------------------------------------------------------------------------------------ */
/* Days                                                                                       */

int64_t pp_pro_booking_today(int64_t now)
{
    struct pp_local l;
    pp_tz_to_local(PP_PRO_BOOKING_ZONE, now, &l);
    return pp_clock_days_from_civil(l.year, l.month, l.day);
}

void pp_pro_booking_day_iso(int64_t day, char buf[11])
{
    struct pp_local l;
    pp_tz_to_local(NULL, day * DAY, &l);
    char tmp[40];
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", l.year % 10000, l.month, l.day);
    snprintf(buf, 11, "%.10s", tmp);
}

/* The instant local day @day starts in @zone. */
static int64_t day_start(const char *zone, int64_t day)
{
    struct pp_local l;
    pp_tz_to_local(NULL, day * DAY, &l);
    int64_t t = day * DAY;
    pp_tz_from_local(zone, l.year, l.month, l.day, 0, 0, &t);
    return t;
}

/* ------------------------------------------------------------------------------------------ */
/* Filter                                                                                     */

static const char *given(const char *s)
{
    return s != NULL && *s != '\0' ? s : NULL;
}

/* A positive integer (at most 15 digits) or -1. */
static int64_t positive(const char *s)
{
    if (s == NULL || *s == '\0' || strlen(s) > 15)
        return -1;
    int64_t v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        v = v * 10 + (*p - '0');
    }
    return v > 0 ? v : -1;
}

static bool parse_day(const char *s, int64_t *day, char iso[11])
{
    int y, m, d;
    if (s == NULL || strlen(s) != 10 || !pp_clock_parse_date(s, &y, &m, &d) || y < 2000 ||
        y > 2099)
        return false;
    *day = pp_clock_days_from_civil(y, m, d);
    memcpy(iso, s, 11);
    return true;
}

static const char *const MSG_DATE = "Date invalide : utilisez le format AAAA-MM-JJ.";
static const char *const MSG_ID = "Identifiant invalide.";

static void parse_id(const char *raw, const char *field, int64_t *out, struct pp_error *e)
{
    *out = 0;
    if (given(raw) == NULL)
        return;
    int64_t v = positive(raw);
    if (v < 0)
        pp_error_set(e, PP_EVALIDATION, field, MSG_ID);
    else
        *out = v;
}

static void parse_status(const char *raw, struct pp_pro_booking_filter *f, struct pp_error *e)
{
    const char *status = given(raw);
    if (status == NULL)
        return;
    for (size_t i = 1; i < STATUS_COUNT; i++)
        if (strcmp(status, status_names[i].code) == 0)
            f->status = (enum pp_pro_status)i;
    if (f->status == PP_PRO_STATUS_ANY)
        pp_error_set(e, PP_EVALIDATION, "status",
                     "Statut inconnu : choisissez booked, confirmed, validated, cancelled "
                     "ou reimbursed.");
}

/* The period types under their two names: ours (bookingPeriodType) and pass Culture's. */
static const struct {
    const char *type, *alias;
    enum pp_pro_booking_period period;
} period_names[] = {
    {"booking", "booked", PP_PERIOD_BOOKING},
    {"validation", "validated", PP_PERIOD_VALIDATION},
    {"reimbursement", "reimbursed", PP_PERIOD_REIMBURSEMENT},
};

static bool find_period(const char *word, bool alias, enum pp_pro_booking_period *out)
{
    for (size_t i = 0; i < sizeof period_names / sizeof period_names[0]; i++)
        if (strcmp(word, alias ? period_names[i].alias : period_names[i].type) == 0) {
            *out = period_names[i].period;
            return true;
        }
    return false;
}

static void parse_period_type(const struct pp_pro_booking_query *q,
                              struct pp_pro_booking_filter *f, struct pp_error *e)
{
    const char *type = given(q->period_type);
    const char *alias = given(q->period_type_alias);
    if (type != NULL && !find_period(type, false, &f->period))
        pp_error_set(e, PP_EVALIDATION, "bookingPeriodType",
                     "Type de période inconnu : choisissez booking, validation ou "
                     "reimbursement.");
    else if (type == NULL && alias != NULL && !find_period(alias, true, &f->period))
        pp_error_set(e, PP_EVALIDATION, "bookingStatusFilter",
                     "Type de période inconnu : choisissez booked, validated ou reimbursed.");
}

static void parse_period(const struct pp_pro_booking_query *q, struct pp_pro_booking_filter *f,
                         struct pp_error *e)
{
    const char *begin = given(q->period_begin), *end = given(q->period_end);
    bool begin_ok = begin == NULL || parse_day(begin, &f->begin_day, f->begin_iso);
    bool end_ok = end == NULL || parse_day(end, &f->end_day, f->end_iso);
    if (!begin_ok)
        pp_error_set(e, PP_EVALIDATION, "bookingPeriodBeginningDate", MSG_DATE);
    if (!end_ok)
        pp_error_set(e, PP_EVALIDATION, "bookingPeriodEndingDate", MSG_DATE);
    if (!begin_ok || !end_ok)
        return;
    if (begin != NULL && end == NULL)
        pp_error_set(e, PP_EVALIDATION, "bookingPeriodEndingDate",
                     "Indiquez aussi la date de fin de la période.");
    else if (begin == NULL && end != NULL)
        pp_error_set(e, PP_EVALIDATION, "bookingPeriodBeginningDate",
                     "Indiquez aussi la date de début de la période.");
    else if (begin != NULL && f->end_day < f->begin_day)
        pp_error_set(e, PP_EVALIDATION, "bookingPeriodEndingDate",
                     "La date de fin doit être égale ou postérieure à la date de début.");
    else if (begin != NULL)
        f->has_period = true;
}

static void parse_page(const char *raw, struct pp_pro_booking_filter *f, struct pp_error *e)
{
    if (given(raw) == NULL)
        return;
    int64_t page = positive(raw);
    if (page < 0)
        pp_error_set(e, PP_EVALIDATION, "page",
                     "Le numéro de page doit être un nombre entier positif.");
    else if (page > PP_PRO_BOOKING_MAX_PAGE)
        pp_error_set(e, PP_EVALIDATION, "page",
                     "Au-delà de la page 1000, affinez les filtres ou téléchargez le "
                     "fichier des réservations.");
    else
        f->page = page;
}

/* The structure, venue and offer of @f are the pro's; else PP_ENOTFOUND, as unknown ids. */
static enum pp_err check_ids(struct pp_db *db, const struct pp_user *user,
                             const struct pp_pro_booking_filter *f, struct pp_error *e)
{
    enum pp_err rc = PP_OK;
    if (f->offerer_id != 0 && (rc = pp_authz_offerer(db, user, f->offerer_id)) != PP_OK)
        return rc == PP_ENOTFOUND
                   ? pp_error_set(e, rc, "offererId", "Cette structure est introuvable.")
                   : rc;
    if (f->venue_id != 0 && (rc = pp_authz_venue(db, user, f->venue_id, NULL)) != PP_OK)
        return rc == PP_ENOTFOUND ? pp_error_set(e, rc, "venueId", "Ce lieu est introuvable.")
                                  : rc;
    if (f->offer_id != 0 && (rc = pp_authz_offer(db, user, f->offer_id)) != PP_OK)
        return rc == PP_ENOTFOUND ? pp_error_set(e, rc, "offerId", "Cette offre est introuvable.")
                                  : rc;
    return PP_OK;
}

enum pp_err pp_pro_booking_filter_parse(struct pp_db *db, const struct pp_user *user,
                                        const struct pp_pro_booking_query *q, int64_t now,
                                        struct pp_pro_booking_filter *f, struct pp_error *e)
{
    memset(f, 0, sizeof *f);
    f->page = 1;
    int before = e->count;
    parse_id(q->offerer_id, "offererId", &f->offerer_id, e);
    parse_id(q->venue_id, "venueId", &f->venue_id, e);
    parse_id(q->offer_id, "offerId", &f->offer_id, e);
    parse_status(q->status, f, e);
    parse_period_type(q, f, e);
    parse_period(q, f, e);
    const char *event = given(q->event_date);
    if (event != NULL) {
        if (parse_day(event, &f->event_day, f->event_iso))
            f->has_event_date = true;
        else
            pp_error_set(e, PP_EVALIDATION, "eventDate", MSG_DATE);
    }
    parse_page(q->page, f, e);
    if (e->count > before)
        return PP_EVALIDATION;
    enum pp_err rc = check_ids(db, user, f, e);
    if (rc != PP_OK)
        return rc;
    if (!f->has_period && !f->has_event_date && f->offer_id == 0) {
        f->has_period = true;
        f->default_period = true;
        f->period = PP_PERIOD_BOOKING;
        f->end_day = pp_pro_booking_today(now);
        f->begin_day = f->end_day - (PP_PRO_BOOKING_DEFAULT_DAYS - 1);
        pp_pro_booking_day_iso(f->begin_day, f->begin_iso);
        pp_pro_booking_day_iso(f->end_day, f->end_iso);
    }
    return PP_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* SQL                                                                                        */

/* The time zones of the pro's venues: the ones a local date must be read in. */
struct zones {
    int n;
    char names[MAX_ZONES][48];
};

/* A statement being written: its text, its binds in order, and the zone names they point to. */
struct sql {
    struct zones zones;
    char text[8192];
    size_t len;
    bool overflow;
    int n;
    struct {
        bool is_text;
        int64_t i;
        const char *s;
    } binds[MAX_BINDS];
};

static void add(struct sql *q, const char *s)
{
    size_t n = strlen(s);
    if (q->len + n + 1 > sizeof q->text) {
        q->overflow = true;
        return;
    }
    memcpy(q->text + q->len, s, n + 1);
    q->len += n;
}

static void bind_int(struct sql *q, int64_t v)
{
    if (q->n >= MAX_BINDS) {
        q->overflow = true;
        return;
    }
    q->binds[q->n].is_text = false;
    q->binds[q->n++].i = v;
}

static void bind_text(struct sql *q, const char *v)
{
    if (q->n >= MAX_BINDS) {
        q->overflow = true;
        return;
    }
    q->binds[q->n].is_text = true;
    q->binds[q->n++].s = v;
}

static struct pp_stmt *prepare(struct pp_db *db, const struct sql *q)
{
    if (q->overflow)
        return NULL;
    struct pp_stmt *st = pp_db_prepare(db, q->text);
    if (st == NULL)
        return NULL;
    for (int i = 0; i < q->n; i++) {
        if (q->binds[i].is_text)
            pp_stmt_bind_text(st, i + 1, q->binds[i].s);
        else
            pp_stmt_bind_int(st, i + 1, q->binds[i].i);
    }
    return st;
}

static enum pp_err load_zones(struct pp_db *db, int64_t account_id, struct zones *z)
{
    z->n = 0;
    struct pp_stmt *st = PP_BIND(
        db, "SELECT DISTINCT v.timezone FROM venue v JOIN user_offerer uo"
            " ON uo.offerer_id = v.offerer_id WHERE uo.account_id = ? AND uo.status = 'VALIDATED'"
            " ORDER BY 1",
            PP_INT(account_id));
    if (st == NULL)
        return PP_EDB;
    enum pp_step s;
    while ((s = pp_stmt_step(st)) == PP_STEP_ROW) {
        const char *name = pp_stmt_text(st, 0);
        if (name != NULL && z->n < MAX_ZONES && strlen(name) < sizeof z->names[0])
            snprintf(z->names[z->n++], sizeof z->names[0], "%s", name);
    }
    pp_stmt_done(st);
    return s == PP_STEP_DONE ? PP_OK : PP_EDB;
}

/*
 * "@col is within local days [@first, @last] of its venue's zone": a coarse range any zone
 * fits in (so that an index on @col narrows the scan), then the exact bounds per zone.
 */
static void local_days(struct sql *q, const struct zones *z, const char *col, int64_t first,
                       int64_t last)
{
    char buf[160];
    snprintf(buf, sizeof buf, " AND %s >= ? AND %s < ?", col, col);
    add(q, buf);
    bind_int(q, first * DAY - EAST_MAX);
    bind_int(q, (last + 1) * DAY + WEST_MAX);
    if (z->n == 0)
        return; /* no venue: nothing to read in a zone (and CASE needs a WHEN) */
    for (int bound = 0; bound < 2; bound++) {
        snprintf(buf, sizeof buf, " AND %s %s CASE v.timezone", col, bound == 0 ? ">=" : "<");
        add(q, buf);
        int64_t day = bound == 0 ? first : last + 1;
        for (int i = 0; i < z->n; i++) {
            add(q, " WHEN ? THEN ?");
            bind_text(q, z->names[i]);
            bind_int(q, day_start(z->names[i], day));
        }
        add(q, " ELSE ? END");
        bind_int(q, day * DAY);
    }
}

#define ROW_COLUMNS                                                                               \
    "SELECT b.id, b.token, b.status, b.quantity, b.amount_cents, b.created_at,"                   \
    " b.cancellation_limit_at, b.used_at, b.cancelled_at, b.reimbursed_at, b.offer_id,"           \
    " b.venue_id, b.offerer_id, o.name AS offer_name, s.beginning_at, b.price_category_label,"   \
    " ofr.name AS offerer_name, COALESCE(v.public_name, v.name) AS venue_name, v.street,"         \
    " v.postal_code AS venue_postal_code, v.city, v.timezone, a.first_name, a.last_name,"         \
    " a.email, a.phone, ben.postal_code"

#define FROM_JOINS                                                                                \
    " FROM booking b JOIN stock s ON s.id = b.stock_id JOIN venue v ON v.id = b.venue_id"

#define ROW_JOINS                                                                                 \
    " JOIN offer o ON o.id = b.offer_id JOIN offerer ofr ON ofr.id = b.offerer_id"                \
    " JOIN account a ON a.id = b.account_id"                                                      \
    " LEFT JOIN beneficiary ben ON ben.account_id = b.account_id"

/*
 * The WHERE clause of @f for @account_id: the bookings of structure @offerer (one the caller
 * checked is the pro's), or with @offerer 0 of every structure of the pro.
 */
static enum pp_err where(struct pp_db *db, struct sql *q, int64_t account_id,
                         const struct pp_pro_booking_filter *f, int64_t now, int64_t offerer)
{
    if (offerer != 0) {
        /* One structure: the index (offerer_id, created_at) gives the rows in date order. */
        add(q, " WHERE b.offerer_id = ?");
        bind_int(q, offerer);
    } else {
        add(q, " WHERE b.offerer_id IN (SELECT uo.offerer_id FROM user_offerer uo"
               " WHERE uo.account_id = ? AND uo.status = 'VALIDATED')");
        bind_int(q, account_id);
    }
    if (f->offerer_id && offerer == 0) {
        add(q, " AND b.offerer_id = ?");
        bind_int(q, f->offerer_id);
    }
    if (f->venue_id) {
        add(q, " AND b.venue_id = ?");
        bind_int(q, f->venue_id);
    }
    if (f->offer_id) {
        add(q, " AND b.offer_id = ?");
        bind_int(q, f->offer_id);
    }
    switch (f->status) {
    case PP_PRO_STATUS_ANY:
        break;
    case PP_PRO_STATUS_BOOKED:
        add(q, " AND b.status = 'CONFIRMED' AND (b.cancellation_limit_at IS NULL"
               " OR b.cancellation_limit_at > ?)");
        bind_int(q, now);
        break;
    case PP_PRO_STATUS_CONFIRMED:
        add(q, " AND b.status = 'CONFIRMED' AND b.cancellation_limit_at <= ?");
        bind_int(q, now);
        break;
    case PP_PRO_STATUS_VALIDATED:
        add(q, " AND b.status = 'USED'");
        break;
    case PP_PRO_STATUS_CANCELLED:
        add(q, " AND b.status = 'CANCELLED'");
        break;
    case PP_PRO_STATUS_REIMBURSED:
        add(q, " AND b.status = 'REIMBURSED'");
        break;
    }
    if (f->has_period || f->has_event_date) {
        struct zones *z = &q->zones;
        enum pp_err rc = load_zones(db, account_id, z);
        if (rc != PP_OK)
            return rc;
        if (f->has_period) {
            const char *col = f->period == PP_PERIOD_VALIDATION      ? "b.used_at"
                              : f->period == PP_PERIOD_REIMBURSEMENT ? "b.reimbursed_at"
                                                                     : "b.created_at";
            local_days(q, z, col, f->begin_day, f->end_day);
        }
        if (f->has_event_date)
            local_days(q, z, "s.beginning_at", f->event_day, f->event_day);
    }
    return q->overflow ? PP_EINTERNAL : PP_OK;
}

/* RULES §6: a thing's countermark is the beneficiary's proof of purchase until used. */
static void hide_token(void *row, struct pp_arena *a)
{
    (void)a;
    struct pp_pro_booking *b = row;
    if (b->beginning_at == 0 && b->db_status_code == PP_BOOKING_CONFIRMED)
        b->token = NULL;
}

static const struct pp_col pro_booking_cols[] = PP_COLS(struct pp_pro_booking,
    PPC_INT(id), PPC_TEXT(token), PPC_TEXT_CODE_AS(db_status, "status", db_status_code, pp_booking_status_names), PPC_INT(quantity),
    PPC_INT(amount_cents), PPC_INT(created_at), PPC_INT(cancellation_limit_at), PPC_INT(used_at),
    PPC_INT(cancelled_at), PPC_INT(reimbursed_at), PPC_INT(offer_id), PPC_INT(venue_id),
    PPC_INT(offerer_id), PPC_TEXT(offer_name), PPC_INT(beginning_at),
    PPC_TEXT(price_category_label), PPC_TEXT(offerer_name), PPC_TEXT(venue_name),
    PPC_TEXT_AS(venue_street, "street"), PPC_TEXT(venue_postal_code),
    PPC_TEXT_AS(venue_city, "city"), PPC_TEXT_AS(venue_timezone, "timezone"), PPC_TEXT(first_name),
    PPC_TEXT(last_name), PPC_TEXT(email), PPC_TEXT(phone), PPC_TEXT(postal_code));
static const struct pp_row_spec pro_booking_row =
    PP_ROW_SPEC(struct pp_pro_booking, pro_booking_cols, hide_token);

/* The structures in scope, into @a: the pro's validated ones, or only f->offerer_id. */
static enum pp_err scope(struct pp_db *db, struct pp_arena *a, int64_t account_id,
                         const struct pp_pro_booking_filter *f, int64_t **ids, size_t *count)
{
    size_t n;
    enum pp_err rc = pp_scalar_ints(
        PP_BIND(db, "SELECT offerer_id FROM user_offerer WHERE account_id = ?"
                    " AND status = 'VALIDATED' ORDER BY offerer_id",
                PP_INT(account_id)),
        a, ids, &n);
    *count = 0;
    for (size_t i = 0; i < n; i++)
        if (f->offerer_id == 0 || (*ids)[i] == f->offerer_id)
            (*ids)[(*count)++] = (*ids)[i];
    return rc;
}

/* The number of bookings @f selects, over structure @one (0: every one of the pro's). */
static enum pp_err count_matching(struct pp_db *db, struct sql *q, int64_t account_id,
                                  const struct pp_pro_booking_filter *f, int64_t now,
                                  int64_t one, int64_t *total)
{
    add(q, "SELECT COUNT(*)" FROM_JOINS);
    enum pp_err rc = where(db, q, account_id, f, now, one);
    if (rc != PP_OK)
        return rc;
    rc = pp_scalar_int(prepare(db, q), total);
    return rc == PP_ENOTFOUND ? PP_EDB : rc; /* a COUNT always answers one row */
}

enum pp_err pp_pro_booking_list(struct pp_db *db, struct pp_arena *arena, int64_t account_id,
                                const struct pp_pro_booking_filter *f, int64_t now,
                                int64_t per_page, struct pp_pro_booking **items, size_t *count,
                                int64_t *total)
{
    *items = NULL;
    *count = 0;
    if (total != NULL)
        *total = 0;
    int64_t *offerers;
    size_t nofferers;
    enum pp_err rc = scope(db, arena, account_id, f, &offerers, &nofferers);
    if (rc != PP_OK || nofferers == 0)
        return rc;
    /* One structure (the usual case): read in index order. Several: SQLite sorts, keeping
     * only offset + page rows (the page number is bounded). */
    int64_t one = nofferers == 1 ? offerers[0] : 0;
    struct sql *q = pp_xcalloc(1, sizeof *q);
    int64_t offset = (f->page - 1) * per_page;
    if (total != NULL) {
        rc = count_matching(db, q, account_id, f, now, one, total);
        if (rc != PP_OK || *total <= offset) {
            free(q);
            return rc;
        }
        memset(q, 0, sizeof *q);
    }

    add(q, ROW_COLUMNS FROM_JOINS ROW_JOINS);
    rc = where(db, q, account_id, f, now, one);
    add(q, " ORDER BY b.created_at DESC, b.id DESC LIMIT ? OFFSET ?");
    bind_int(q, per_page);
    bind_int(q, offset);
    struct pp_stmt *st = rc == PP_OK ? prepare(db, q) : NULL;
    free(q);
    if (st == NULL)
        return rc == PP_OK ? PP_EDB : rc;
    rc = pp_row_collect(st, arena, &pro_booking_row, (void **)items, count);
    for (size_t i = 0; i < *count; i++)
        (*items)[i].status =
            status_of((*items)[i].db_status_code, (*items)[i].cancellation_limit_at, now);
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* Streaming                                                                                  */

struct pp_pro_booking_iter {
    struct pp_db *db;
    int64_t account_id;
    struct pp_pro_booking_filter f;
    int64_t now;
    int64_t *offerers; /* one cursor per structure in turn, each in index order */
    size_t nofferers, next;
    struct pp_stmt *st;
    bool done;
    struct pp_arena *keep; /* the structures, for the iterator's life */
    struct pp_arena *row;  /* the current row's strings, renewed at each row */
};

/* Opens the cursor of the next structure; PP_ENOTFOUND when there is none left. */
static enum pp_err iter_advance(struct pp_pro_booking_iter *it)
{
    pp_stmt_done(it->st);
    it->st = NULL;
    if (it->next >= it->nofferers)
        return PP_ENOTFOUND;
    struct sql *q = pp_xcalloc(1, sizeof *q);
    add(q, ROW_COLUMNS FROM_JOINS ROW_JOINS);
    enum pp_err rc = where(it->db, q, it->account_id, &it->f, it->now, it->offerers[it->next++]);
    add(q, " ORDER BY b.created_at DESC, b.id DESC");
    it->st = rc == PP_OK ? prepare(it->db, q) : NULL;
    free(q);
    if (it->st == NULL)
        return rc == PP_OK ? PP_EDB : rc;
    return PP_OK;
}

enum pp_err pp_pro_booking_iter_open(struct pp_db *db, int64_t account_id,
                                     const struct pp_pro_booking_filter *f, int64_t now,
                                     struct pp_pro_booking_iter **out)
{
    *out = NULL;
    struct pp_pro_booking_iter *it = pp_xcalloc(1, sizeof *it);
    it->db = db;
    it->account_id = account_id;
    it->f = *f;
    it->now = now;
    it->keep = pp_arena_new();
    it->row = pp_arena_new();
    enum pp_err rc = scope(db, it->keep, account_id, f, &it->offerers, &it->nofferers);
    if (rc == PP_OK) {
        rc = iter_advance(it);
        if (rc == PP_ENOTFOUND) {
            it->done = true;
            rc = PP_OK;
        }
    }
    if (rc != PP_OK) {
        pp_pro_booking_iter_close(it);
        return rc;
    }
    *out = it;
    return PP_OK;
}

enum pp_err pp_pro_booking_iter_next(struct pp_pro_booking_iter *it, struct pp_pro_booking *row)
{
    while (!it->done) {
        enum pp_step s = pp_stmt_step(it->st);
        if (s == PP_STEP_ROW) {
            pp_arena_free(it->row);
            it->row = pp_arena_new();
            pp_row_read(it->st, it->row, &pro_booking_row, row);
            row->status = status_of(row->db_status_code, row->cancellation_limit_at, it->now);
            return PP_OK;
        }
        enum pp_err rc = s == PP_STEP_DONE ? iter_advance(it) : PP_EDB;
        if (rc != PP_OK) {
            it->done = true;
            return rc;
        }
    }
    return PP_ENOTFOUND;
}

void pp_pro_booking_iter_close(struct pp_pro_booking_iter *it)
{
    if (it == NULL)
        return;
    pp_stmt_done(it->st);
    pp_arena_free(it->keep);
    pp_arena_free(it->row);
    free(it);
}

/* ------------------------------------------------------------------------------------------ */
/* Bookings per day                                                                           */

/* Bookings made in one UTC hour at the venues of one zone; the zone is read in place. */
struct hour_count {
    const char *timezone;
    int64_t hour, n;
};
static const struct pp_col hour_count_cols[] = PP_COLS(struct hour_count,
    PPC_TEXT_REF(timezone), PPC_INT(hour), PPC_INT(n));
static const struct pp_row_spec hour_count_row =
    PP_ROW_SPEC(struct hour_count, hour_count_cols, NULL);

enum pp_err pp_pro_booking_daily(struct pp_db *db, int64_t account_id, int64_t first_day,
                                 int days, int64_t *counts)
{
    if (days <= 0 || days > 366)
        return PP_EINVAL;
    memset(counts, 0, (size_t)days * sizeof *counts);
    /* Counted per venue zone and UTC hour (every French zone is a whole number of hours from
     * UTC), so that each hour falls on its local day without reading every booking. */
    struct pp_stmt *st = PP_BIND(db,
        "SELECT v.timezone, b.created_at / 3600 AS hour, COUNT(*) AS n FROM booking b"
        " JOIN venue v ON v.id = b.venue_id WHERE b.offerer_id IN (SELECT uo.offerer_id"
        " FROM user_offerer uo WHERE uo.account_id = ? AND uo.status = 'VALIDATED')"
        " AND b.created_at >= ? AND b.created_at < ? GROUP BY v.timezone, b.created_at / 3600",
        PP_INT(account_id), PP_INT(first_day * DAY - EAST_MAX),
        PP_INT((first_day + days) * DAY + WEST_MAX));
    if (st == NULL)
        return PP_EDB;
    /* Each row is added as it is read: nothing is kept, so no arena. */
    struct hour_count h;
    bool checked = false;
    enum pp_err rc;
    while ((rc = pp_row_next(st, NULL, &hour_count_row, &h, &checked)) == PP_OK) {
        struct pp_local l;
        pp_tz_to_local(h.timezone, h.hour * 3600, &l);
        int64_t i = pp_clock_days_from_civil(l.year, l.month, l.day) - first_day;
        if (i >= 0 && i < days)
            counts[i] += h.n;
    }
    pp_stmt_done(st);
    return rc == PP_ENOTFOUND ? PP_OK : rc;
}
