#include "domain/collective_booking.h"

#include <ctype.h>
#include <jansson.h>
#include <string.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/email.h"
#include "core/money.h"
#include "core/tz.h"
#include "db/db.h"
#include "db/row.h"
#include "db/tx.h"
#include "domain/account.h"
#include "domain/audit.h"
#include "domain/authz.h"
#include "domain/finance_event.h"
#include "domain/outbox.h"

#define JOB_BATCH 500
#define LIST_MAX 1000

#define BOOKING_SELECT                                                                            \
    "SELECT cb.id AS id, cb.stock_id AS stock_id, cb.offer_id AS offer_id,"                       \
    " cb.venue_id AS venue_id, cb.offerer_id AS offerer_id,"                                      \
    " cb.institution_id AS institution_id, cb.year AS year, cb.teacher_email AS teacher_email,"   \
    " cb.price_cents AS price_cents, cb.status AS status, cb.created_at AS created_at,"           \
    " cb.confirmation_limit_at AS confirmation_limit_at,"                                         \
    " cb.cancellation_limit_at AS cancellation_limit_at, cb.confirmed_at AS confirmed_at,"        \
    " cb.used_at AS used_at, cb.cancelled_at AS cancelled_at,"                                    \
    " cb.reimbursed_at AS reimbursed_at, cb.cancellation_reason AS cancellation_reason,"          \
    " o.name AS offer_name, i.uai AS uai, i.name AS institution_name,"                            \
    " i.city AS institution_city, COALESCE(v.public_name, v.name) AS venue_name,"                 \
    " v.timezone AS venue_timezone, s.start_at AS start_at, s.end_at AS end_at"                   \
    " FROM collective_booking cb JOIN collective_offer o ON o.id = cb.offer_id"                   \
    " JOIN collective_stock s ON s.id = cb.stock_id"                                              \
    " JOIN educational_institution i ON i.id = cb.institution_id"                                 \
    " JOIN venue v ON v.id = cb.venue_id"

static const struct pp_col booking_cols[] = PP_COLS(struct pp_collective_booking,
    PPC_INT(id), PPC_INT(stock_id), PPC_INT(offer_id), PPC_INT(venue_id), PPC_INT(offerer_id),
    PPC_INT(institution_id), PPC_INT(year), PPC_TEXT(teacher_email), PPC_INT(price_cents),
    PPC_TEXT_CODE(status, status_code, pp_collective_status_names), PPC_INT(created_at),
    PPC_INT(confirmation_limit_at), PPC_INT(cancellation_limit_at), PPC_INT(confirmed_at),
    PPC_INT(used_at), PPC_INT(cancelled_at), PPC_INT(reimbursed_at),
    PPC_TEXT(cancellation_reason), PPC_TEXT(offer_name), PPC_TEXT(uai),
    PPC_TEXT(institution_name), PPC_TEXT(institution_city), PPC_TEXT(venue_name),
    PPC_TEXT(venue_timezone), PPC_INT(start_at), PPC_INT(end_at));

/* The label a pro reads depends on the time it is read at. */
static void finish_booking(void *row, struct pp_arena *a)
{
    (void)a;
    struct pp_collective_booking *b = row;
    b->status_label = pp_collective_label(b->status_code, b->cancellation_limit_at,
                                          pp_clock_now());
}

static const struct pp_row_spec booking_row =
    PP_ROW_SPEC(struct pp_collective_booking, booking_cols, finish_booking);

/* One integer read back from a statement ("SELECT ... AS v", "RETURNING ... AS v"). */
struct one_int {
    int64_t v;
};
static const struct pp_col one_int_cols[] = PP_COLS(struct one_int, PPC_INT(v));
static const struct pp_row_spec one_int_row = PP_ROW_SPEC(struct one_int, one_int_cols, NULL);

enum pp_err pp_collective_booking_get(struct pp_db *db, struct pp_arena *arena, int64_t id,
                                      struct pp_collective_booking *out)
{
    return PP_FETCH(db, arena, &booking_row, out, BOOKING_SELECT " WHERE cb.id = ?", PP_INT(id));
}

enum pp_err pp_collective_booking_offerer(struct pp_db *db, int64_t id, int64_t *offerer_id)
{
    return pp_db_query_int(db, offerer_id,
                           "SELECT offerer_id FROM collective_booking WHERE id = ?", 1, id);
}

/* The scope in two spellings chosen here (not "? = 1 OR ..."): an OR on a parameter keeps the
 * planner from reaching a pro's bookings through their structure's index. */
#define LIST_FILTER(scope)                                                                        \
    BOOKING_SELECT " WHERE" scope " AND (? = 0 OR cb.offerer_id = ?) AND (? IS NULL OR"            \
                   " cb.status = ?) ORDER BY cb.created_at DESC, cb.id DESC LIMIT ?"

enum pp_err pp_collective_booking_list(struct pp_db *db, struct pp_arena *arena,
                                       const struct pp_user *user, int64_t offerer_id,
                                       enum pp_collective_status status,
                                       struct pp_collective_booking **items, size_t *count)
{
    const char *st = pp_collective_status_name(status);
    bool admin = pp_authz_is_admin(user);
    return PP_COLLECT(db, arena, &booking_row, items, count,
        admin ? LIST_FILTER(" ? = 1 AND ? > 0")
              : LIST_FILTER(" ? = 0 AND cb.offerer_id IN (SELECT offerer_id FROM user_offerer"
                            " WHERE account_id = ? AND status = 'VALIDATED')"),
        PP_INT(admin), PP_INT(user->id), PP_INT(offerer_id),
        PP_INT(offerer_id), PP_TEXT(st), PP_TEXT(st), PP_INT(LIST_MAX));
}

/* ------------------------------------------------------------------ emails */

/* The addresses of the venue for booking @b: the offer's booking emails ("a|b"), else the
 * venue's booking email; NULL-terminated array in @a (empty when there is none). */
static const char **venue_addresses(struct pp_db *db, struct pp_arena *a,
                                    const struct pp_collective_booking *b)
{
    struct pp_stmt *st = PP_BIND(
        db, "SELECT COALESCE(NULLIF(o.booking_emails, ''), v.booking_email) FROM collective_offer o"
            " JOIN venue v ON v.id = o.venue_id WHERE o.id = ?",
            PP_INT(b->offer_id));
    char *list = NULL;
    if (st != NULL && pp_stmt_step(st) == PP_STEP_ROW && !pp_stmt_is_null(st, 0))
        list = pp_arena_strdup(a, pp_stmt_text(st, 0));
    pp_stmt_done(st);
    size_t n = 1;
    for (const char *p = list; p != NULL && *p; p++)
        n += *p == '|';
    const char **out = pp_arena_calloc(a, (n + 1) * sizeof *out);
    size_t k = 0;
    for (char *p = list; p != NULL;) {
        char *bar = strchr(p, '|');
        if (bar != NULL)
            *bar = '\0';
        if (*p != '\0')
            out[k++] = p;
        p = bar != NULL ? bar + 1 : NULL;
    }
    return out;
}

/* Email @kind about booking @id to each address of its venue; @reason and @comment may be
 * NULL. Inside the caller's transaction. */
static enum pp_err tell_venue(struct pp_db *db, struct pp_arena *a, int64_t id, const char *kind,
                              const char *reason, const char *comment)
{
    struct pp_collective_booking b;
    enum pp_err rc = pp_collective_booking_get(db, a, id, &b);
    if (rc != PP_OK)
        return rc;
    char when[24], price[PP_MONEY_LEN], limit[24];
    pp_tz_format_fr(b.venue_timezone, b.start_at, when);
    pp_tz_format_fr(b.venue_timezone, b.cancellation_limit_at, limit);
    pp_money_format(b.price_cents, price);
    json_t *payload = json_pack(
        "{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s?, s:s?}", "bookingId",
        (json_int_t)b.id, "offerName", b.offer_name, "venueName", b.venue_name,
        "institutionName", b.institution_name, "institutionCity", b.institution_city, "uai",
        b.uai, "teacherEmail", b.teacher_email, "eventDate", when, "price", price,
        "cancellationLimitDate", limit, "year", (json_int_t)b.year, "reason", reason, "comment",
        comment);
    if (payload == NULL)
        return PP_EINTERNAL;
    if (reason != NULL && strncmp(reason, "REFUSED_BY_", 11) == 0)
        json_object_set_new(payload, "bySchool", json_true());
    const char **to = venue_addresses(db, a, &b);
    for (size_t i = 0; to[i] != NULL && rc == PP_OK; i++)
        rc = pp_outbox_add(db, kind, to[i], NULL, json_deep_copy(payload));
    json_decref(payload);
    return rc;
}

/* ------------------------------------------------------------------ pre-booking */

/* What a pre-booking reads of the stock, its offer and its structure. */
struct stock_facts {
    int64_t offer_id, venue_id, offerer_id, reserved_to;
    bool bookable; /* a published bookable offer of a validated structure */
    int64_t start_at, price_cents, booking_limit_at;
    const char *timezone;
};

static const struct pp_col facts_cols[] = PP_COLS(struct stock_facts,
    PPC_INT(offer_id), PPC_INT(venue_id), PPC_INT(offerer_id), PPC_INT(reserved_to),
    PPC_BOOL(bookable), PPC_INT(start_at), PPC_INT(price_cents), PPC_INT(booking_limit_at),
    PPC_TEXT(timezone));
static const struct pp_row_spec facts_row = PP_ROW_SPEC(struct stock_facts, facts_cols, NULL);

/* The checks of a pre-booking of @f by school @institution_id, inside the transaction. */
static enum pp_err check_bookable(struct pp_db *db, struct pp_arena *a, int64_t stock_id,
                                  const struct stock_facts *f, int64_t institution_id,
                                  struct pp_error *e)
{
    if (!f->bookable)
        return pp_error_set(e, PP_EVALIDATION, "collectiveStockId",
                            "Cette offre collective n'est pas réservable : elle a été archivée "
                            "ou sa structure n'est pas validée.");
    if (pp_clock_now() > f->booking_limit_at) {
        char when[24];
        pp_tz_format_fr(f->timezone, f->booking_limit_at, when);
        return pp_error_set(e, PP_EVALIDATION, "collectiveStockId",
                            pp_arena_printf(a, "La date limite de réservation de cette offre "
                                               "est passée (le %s).", when));
    }
    if (f->reserved_to != 0 && f->reserved_to != institution_id)
        return pp_error_set(e, PP_EFORBIDDEN, "uai",
                            "Cette offre est réservée à un autre établissement scolaire.");
    enum pp_err rc = pp_db_query_int(db, NULL,
                                     "SELECT 1 FROM collective_booking WHERE stock_id = ?"
                                     " AND status <> 'CANCELLED'", 1, stock_id);
    if (rc == PP_OK)
        return pp_error_set(e, PP_ECONFLICT, "collectiveStockId",
                            "Cette offre est déjà préréservée par un établissement.");
    return rc == PP_ENOTFOUND ? PP_OK : rc;
}

static enum pp_err insert_booking(struct pp_db *db, const struct pp_collective_booking_in *in,
                                  const struct stock_facts *f, int64_t institution_id,
                                  int64_t *id, struct pp_error *e)
{
    int64_t now = pp_clock_now();
    struct pp_stmt *st = PP_BIND(
        db, "INSERT INTO collective_booking (stock_id, offer_id, venue_id, offerer_id,"
            " institution_id, year, teacher_email, price_cents, created_at,"
            " confirmation_limit_at, cancellation_limit_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " RETURNING id",
            PP_INT(in->stock_id), PP_INT(f->offer_id), PP_INT(f->venue_id),
            PP_INT(f->offerer_id), PP_INT(institution_id),
            PP_INT(pp_collective_school_year(f->start_at)), PP_TEXT(in->teacher_email),
            PP_INT(f->price_cents), PP_INT(now), PP_INT(f->booking_limit_at),
            PP_INT(pp_collective_cancellation_limit(f->start_at, now)));
    enum pp_err rc = pp_row_returning(st, id);
    if (rc == PP_ECONFLICT) /* a concurrent pre-booking won (the unique index) */
        return pp_error_set(e, PP_ECONFLICT, "collectiveStockId",
                            "Cette offre est déjà préréservée par un établissement.");
    return rc;
}

static enum pp_err create_in_tx(struct pp_db *db, struct pp_arena *a, int64_t author_id,
                                const struct pp_collective_booking_in *in, int64_t *id,
                                struct pp_error *e)
{
    struct stock_facts f;
    enum pp_err rc = PP_FETCH(db, a, &facts_row, &f,
        "SELECT o.id AS offer_id, o.venue_id AS venue_id, o.offerer_id AS offerer_id,"
        " o.institution_id AS reserved_to,"
        " (o.is_template = 0 AND o.status = 'PUBLISHED' AND r.status = 'VALIDATED') AS bookable,"
        " s.start_at AS start_at, s.price_cents AS price_cents,"
        " s.booking_limit_at AS booking_limit_at, v.timezone AS timezone"
        " FROM collective_stock s JOIN collective_offer o ON o.id = s.offer_id"
        " JOIN venue v ON v.id = o.venue_id JOIN offerer r ON r.id = o.offerer_id WHERE s.id = ?",
        PP_INT(in->stock_id));
    if (rc == PP_ENOTFOUND)
        return pp_error_set(e, PP_ENOTFOUND, "collectiveStockId",
                            "Cette offre collective n'existe pas.");
    if (rc != PP_OK)
        return rc;
    struct one_int school;
    rc = PP_FETCH(db, NULL, &one_int_row, &school,
                  "SELECT id AS v FROM educational_institution WHERE uai = ?", PP_TEXT(in->uai));
    if (rc == PP_ENOTFOUND)
        return pp_error_set(e, PP_EVALIDATION, "uai",
                            pp_arena_printf(a, "Aucun établissement scolaire ne correspond à "
                                               "l'UAI %s.", in->uai));
    if (rc == PP_OK)
        rc = check_bookable(db, a, in->stock_id, &f, school.v, e);
    if (rc == PP_OK)
        rc = insert_booking(db, in, &f, school.v, id, e);
    if (rc == PP_OK)
        rc = pp_audit_log(db, author_id, PP_CHANNEL_API, "COLLECTIVE_BOOKING_PREBOOKED",
                          "collective_booking", *id, in->uai);
    if (rc == PP_OK)
        rc = tell_venue(db, a, *id, "VENUE_COLLECTIVE_PREBOOKING", NULL, NULL);
    return rc;
}

/* The UAI as stored: trimmed by the API, upper case ("0751234a" → "0751234A"). */
static char *normal_uai(struct pp_arena *a, const char *uai)
{
    char *s = pp_arena_strdup(a, uai);
    for (char *p = s; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    return s;
}

enum pp_err pp_collective_booking_create(struct pp_db *db, struct pp_arena *arena,
                                         int64_t author_id,
                                         const struct pp_collective_booking_in *in, int64_t *id,
                                         struct pp_error *e)
{
    struct pp_collective_booking_in norm = *in;
    if (in->uai == NULL || *in->uai == '\0' || strlen(in->uai) > PP_UAI_MAX)
        pp_error_set(e, PP_EVALIDATION, "uai",
                     "Indiquez l'UAI de l'établissement scolaire (8 caractères, ex. 0751234A).");
    else
        norm.uai = normal_uai(arena, in->uai);
    char *email = in->teacher_email ? pp_arena_strdup(arena, in->teacher_email) : NULL;
    norm.teacher_email = pp_email_normalize(email);
    if (!pp_email_is_valid(norm.teacher_email))
        pp_error_set(e, PP_EVALIDATION, "teacherEmail",
                     "L'adresse email de l'enseignant n'est pas valide.");
    if (e->count > 0)
        return PP_EVALIDATION;
    if (pp_db_begin(db) != PP_OK)
        return PP_EDB;
    return pp_tx_end(db, create_in_tx(db, arena, author_id, &norm, id, e));
}

/* ------------------------------------------------------------------ confirmation */

/* "2026-2027" for @year 2026. */
static const char *school_year_label(struct pp_arena *a, int64_t year)
{
    return pp_arena_printf(a, "%lld-%lld", (long long)year, (long long)year + 1);
}

/* Debits the school's budget of the booking's year by its price, never beyond the budget:
 * one conditional UPDATE, whose row count decides (the CHECK constraint backs it). */
static enum pp_err debit_budget(struct pp_db *db, struct pp_arena *a,
                                const struct pp_collective_booking *b, struct pp_error *e)
{
    struct one_int left;
    enum pp_err rc = PP_FETCH(db, NULL, &one_int_row, &left,
        "UPDATE institution_budget SET spent_cents = spent_cents + ?"
        " WHERE institution_id = ? AND year = ? AND spent_cents + ? <= budget_cents"
        " RETURNING budget_cents - spent_cents AS v",
        PP_INT(b->price_cents), PP_INT(b->institution_id), PP_INT(b->year),
        PP_INT(b->price_cents));
    if (rc != PP_ENOTFOUND)
        return rc;
    rc = PP_FETCH(db, NULL, &one_int_row, &left,
                  "SELECT budget_cents - spent_cents AS v FROM institution_budget"
                  " WHERE institution_id = ? AND year = ?",
                  PP_INT(b->institution_id), PP_INT(b->year));
    if (rc == PP_ENOTFOUND)
        return pp_error_set(e, PP_EVALIDATION, "budget",
                            pp_arena_printf(a, "L'établissement %s n'a pas de budget pour "
                                               "l'année scolaire %s.", b->institution_name,
                                            school_year_label(a, b->year)));
    if (rc != PP_OK)
        return rc;
    char rest[PP_MONEY_LEN], price[PP_MONEY_LEN];
    pp_money_format(left.v, rest);
    pp_money_format(b->price_cents, price);
    return pp_error_set(e, PP_EVALIDATION, "budget",
                        pp_arena_printf(a, "Budget insuffisant : il reste %s à l'établissement "
                                           "pour l'année scolaire %s, la réservation coûte %s.",
                                        rest, school_year_label(a, b->year), price));
}

/* Why booking @b, not PENDING, cannot be confirmed. */
static enum pp_err not_pending(const struct pp_collective_booking *b, struct pp_error *e)
{
    switch (b->status_code) {
    case PP_COLLECTIVE_CONFIRMED:
        return pp_error_set(e, PP_ECONFLICT, "status", "Cette réservation est déjà confirmée.");
    case PP_COLLECTIVE_CANCELLED:
        return pp_error_set(e, PP_EGONE, "status", "Cette réservation a été annulée.");
    default:
        return pp_error_set(e, PP_ECONFLICT, "status", "Cette réservation a déjà eu lieu.");
    }
}

static enum pp_err confirm_in_tx(struct pp_db *db, struct pp_arena *a, int64_t author_id,
                                 int64_t id, struct pp_error *e)
{
    struct pp_collective_booking b;
    enum pp_err rc = pp_collective_booking_get(db, a, id, &b);
    if (rc != PP_OK)
        return rc;
    if (b.status_code != PP_COLLECTIVE_PENDING)
        return not_pending(&b, e);
    int64_t now = pp_clock_now();
    if (now > b.confirmation_limit_at) {
        char when[24];
        pp_tz_format_fr(b.venue_timezone, b.confirmation_limit_at, when);
        return pp_error_set(e, PP_EVALIDATION, "status",
                            pp_arena_printf(a, "La date limite de confirmation est passée (le "
                                               "%s) : la préréservation ne peut plus être "
                                               "confirmée.", when));
    }
    rc = debit_budget(db, a, &b, e);
    if (rc == PP_OK)
        rc = pp_row_update_one(
            db,
            PP_BIND(db, "UPDATE collective_booking SET status = 'CONFIRMED', confirmed_at = ?"
                        " WHERE id = ? AND status = 'PENDING'", PP_INT(now), PP_INT(id)),
            "SELECT 1 FROM collective_booking WHERE id = ?", id);
    if (rc == PP_OK)
        rc = pp_audit_log(db, author_id, PP_CHANNEL_API, "COLLECTIVE_BOOKING_CONFIRMED",
                          "collective_booking", id, NULL);
    if (rc == PP_OK)
        rc = tell_venue(db, a, id, "VENUE_COLLECTIVE_CONFIRMED", NULL, NULL);
    return rc;
}

enum pp_err pp_collective_booking_confirm(struct pp_db *db, struct pp_arena *arena,
                                          int64_t author_id, int64_t id, struct pp_error *e)
{
    if (pp_db_begin(db) != PP_OK)
        return PP_EDB;
    return pp_tx_end(db, confirm_in_tx(db, arena, author_id, id, e));
}

/* ------------------------------------------------------------------ cancellation */

/* The reason code of a cancellation by @who of @b in *@reason, or why it cannot be. */
static enum pp_err cancel_reason(struct pp_arena *a, enum pp_collective_canceller who,
                                 const struct pp_collective_booking *b, int64_t now,
                                 const char **reason, struct pp_error *e)
{
    if (b->status_code == PP_COLLECTIVE_CANCELLED)
        return pp_error_set(e, PP_EGONE, "status", "Cette réservation est déjà annulée.");
    if (b->status_code == PP_COLLECTIVE_USED || b->status_code == PP_COLLECTIVE_REIMBURSED)
        return pp_error_set(e, PP_EVALIDATION, "status",
                            "Cette réservation a eu lieu : elle ne peut plus être annulée.");
    if (who == PP_COLLECTIVE_BY_OFFERER)
        *reason = "OFFERER";
    else if (b->status_code == PP_COLLECTIVE_PENDING)
        *reason = "REFUSED_BY_INSTITUTE"; /* a pre-booking costs nothing: refused at any time */
    else if (now > b->cancellation_limit_at) {
        char when[24];
        pp_tz_format_fr(b->venue_timezone, b->cancellation_limit_at, when);
        return pp_error_set(e, PP_EVALIDATION, "status",
                            pp_arena_printf(a, "La date limite d'annulation est passée (le %s) :"
                                               " contactez le lieu.", when));
    } else
        *reason = "REFUSED_BY_HEADMASTER";
    return PP_OK;
}

/* Booking @b (read in this transaction, live) becomes CANCELLED for @reason; a confirmed one
 * gives its price back to its school's budget. Audit entry by @author_id on @channel, email to
 * the venue. Inside the caller's transaction. */
static enum pp_err cancel_booking(struct pp_db *db, struct pp_arena *a,
                                  const struct pp_collective_booking *b, const char *reason,
                                  int64_t author_id, const char *channel, const char *comment)
{
    struct pp_stmt *st = PP_BIND(
        db, "UPDATE collective_booking SET status = 'CANCELLED', cancelled_at = ?,"
            " cancellation_reason = ? WHERE id = ? AND status = ?",
            PP_INT(pp_clock_now()), PP_TEXT(reason), PP_INT(b->id), PP_TEXT(b->status));
    enum pp_err rc =
        pp_row_update_one(db, st, "SELECT 1 FROM collective_booking WHERE id = ?", b->id);
    if (rc == PP_OK && b->status_code == PP_COLLECTIVE_CONFIRMED) {
        struct one_int spent;
        rc = PP_FETCH(db, NULL, &one_int_row, &spent,
                      "UPDATE institution_budget SET spent_cents = spent_cents - ?"
                      " WHERE institution_id = ? AND year = ? RETURNING spent_cents AS v",
                      PP_INT(b->price_cents), PP_INT(b->institution_id), PP_INT(b->year));
        if (rc == PP_ENOTFOUND)
            rc = PP_EINTERNAL; /* a confirmed booking always has the budget it debited */
    }
    const char *detail =
        comment != NULL ? pp_arena_printf(a, "%s : %s", reason, comment) : reason;
    if (rc == PP_OK)
        rc = pp_audit_log(db, author_id, channel, "COLLECTIVE_BOOKING_CANCELLED",
                          "collective_booking", b->id, detail);
    if (rc == PP_OK)
        rc = tell_venue(db, a, b->id, "VENUE_COLLECTIVE_CANCELLED", reason, comment);
    return rc;
}

static enum pp_err cancel_in_tx(struct pp_db *db, struct pp_arena *a,
                                enum pp_collective_canceller who, int64_t author_id, int64_t id,
                                const char *comment, struct pp_error *e)
{
    struct pp_collective_booking b;
    enum pp_err rc = pp_collective_booking_get(db, a, id, &b);
    const char *reason = NULL;
    if (rc == PP_OK)
        rc = cancel_reason(a, who, &b, pp_clock_now(), &reason, e);
    if (rc == PP_OK)
        rc = cancel_booking(db, a, &b, reason, author_id,
                            who == PP_COLLECTIVE_BY_OFFERER ? PP_CHANNEL_PORTAL : PP_CHANNEL_API,
                            comment);
    return rc;
}

enum pp_err pp_collective_booking_cancel(struct pp_db *db, struct pp_arena *arena,
                                         enum pp_collective_canceller who, int64_t author_id,
                                         int64_t id, const char *reason, struct pp_error *e)
{
    if (pp_db_begin(db) != PP_OK)
        return PP_EDB;
    return pp_tx_end(db, cancel_in_tx(db, arena, who, author_id, id, reason, e));
}

/* ------------------------------------------------------------------ jobs */

/* What a job does with one booking its batch UPDATE just changed, in the batch's transaction. */
typedef enum pp_err (*row_fn)(struct pp_db *db, struct pp_arena *a, int64_t id, int64_t now);

/*
 * A batch job: the UPDATE (parameters: now, a "before" time, the batch size; RETURNING id AS
 * v), the audit entry of each booking it changes (channel JOB), then what else that booking
 * needs (@then, may be NULL).
 */
struct batch_job {
    const char *sql;
    const char *action;
    const char *detail;
    row_fn then;
};

/*
 * Runs @job's UPDATE until a batch is not full, each batch in one transaction with the audit
 * and @job->then over its rows. The UPDATE moves each row out of the state it selects, so
 * that a batch never comes back.
 */
static enum pp_err run_batches(struct pp_db *db, const struct batch_job *job, int64_t now,
                               int64_t before, int64_t *count)
{
    *count = 0;
    for (;;) {
        if (pp_db_begin(db) != PP_OK)
            return PP_EDB;
        struct pp_arena *a = pp_arena_new();
        struct one_int *ids;
        size_t n = 0;
        enum pp_err rc = PP_COLLECT(db, a, &one_int_row, &ids, &n, job->sql, PP_INT(now),
                                    PP_INT(before), PP_INT(JOB_BATCH));
        for (size_t i = 0; i < n && rc == PP_OK; i++) {
            rc = pp_audit_log(db, 0, PP_CHANNEL_JOB, job->action, "collective_booking",
                              ids[i].v, job->detail);
            if (rc == PP_OK && job->then != NULL)
                rc = job->then(db, a, ids[i].v, now);
        }
        pp_arena_free(a);
        if ((rc = pp_tx_end(db, rc)) != PP_OK)
            return rc;
        *count += (int64_t)n;
        if (n < JOB_BATCH)
            return PP_OK;
    }
}

static enum pp_err used_then(struct pp_db *db, struct pp_arena *a, int64_t id, int64_t now)
{
    (void)a;
    return pp_finance_collective_used(db, id, now);
}

static const struct batch_job auto_use_job = {
    "UPDATE collective_booking SET status = 'USED', used_at = ?"
    " WHERE id IN (SELECT cb.id FROM collective_booking cb"
    "  JOIN collective_stock s ON s.id = cb.stock_id"
    "  WHERE cb.status = 'CONFIRMED' AND s.end_at <= ? ORDER BY cb.id LIMIT ?)"
    " AND status = 'CONFIRMED' RETURNING id AS v",
    "COLLECTIVE_BOOKING_USED", "AUTO", used_then,
};

enum pp_err pp_collective_booking_auto_use(struct pp_db *db, int64_t now, int64_t *count)
{
    return run_batches(db, &auto_use_job, now, now - PP_COLLECTIVE_USE_DELAY, count);
}

static enum pp_err expired_then(struct pp_db *db, struct pp_arena *a, int64_t id, int64_t now)
{
    (void)now;
    return tell_venue(db, a, id, "VENUE_COLLECTIVE_CANCELLED", "EXPIRED", NULL);
}

static const struct batch_job expire_job = {
    "UPDATE collective_booking SET status = 'CANCELLED', cancelled_at = ?,"
    " cancellation_reason = 'EXPIRED'"
    " WHERE id IN (SELECT id FROM collective_booking"
    "  WHERE status = 'PENDING' AND confirmation_limit_at < ? ORDER BY id LIMIT ?)"
    " AND status = 'PENDING' RETURNING id AS v",
    "COLLECTIVE_BOOKING_CANCELLED", "EXPIRED", expired_then,
};

enum pp_err pp_collective_booking_expire(struct pp_db *db, int64_t now, int64_t *count)
{
    return run_batches(db, &expire_job, now, now, count);
}
