#include "domain/stock.h"

#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/categories.h"
#include "core/clock.h"
#include "core/tz.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/booking.h"
#include "domain/offer.h"
#include "domain/price_category.h"

#define DELETE_GRACE_S (48 * 3600)
#define CODE_MAX 100

void pp_stock_input_init(struct pp_stock_input *in)
{
    memset(in, 0, sizeof *in);
    in->price_cents = -1;
    in->quantity = -2;
}

/* What the stock rules need to know of an offer. */
struct offer_facts {
    const struct pp_subcategory *sub;
    char timezone[48];
    int64_t live_stocks;
};

static enum pp_err offer_facts(struct pp_db *db, int64_t offer_id, struct offer_facts *f)
{
    struct pp_stmt *st = pp_db_prepare(
        db, "SELECT o.subcategory_id, v.timezone,"
            " (SELECT COUNT(*) FROM stock s WHERE s.offer_id = o.id AND s.is_deleted = 0)"
            " FROM offer o JOIN venue v ON v.id = o.venue_id WHERE o.id = ?");
    if (st == NULL)
        return PP_EDB;
    pp_stmt_bind_int(st, 1, offer_id);
    enum pp_step s = pp_stmt_step(st);
    if (s == PP_STEP_ROW) {
        f->sub = pp_subcategory_find(pp_stmt_text(st, 0));
        snprintf(f->timezone, sizeof f->timezone, "%s", pp_stmt_text(st, 1));
        f->live_stocks = pp_stmt_int(st, 2);
    }
    pp_stmt_done(st);
    if (s == PP_STEP_ROW && f->sub == NULL)
        return PP_EINTERNAL; /* a stored subcategory always exists in the table */
    return s == PP_STEP_ROW ? PP_OK : s == PP_STEP_DONE ? PP_ENOTFOUND : PP_EDB;
}

/* Price of tariff @pc_id if it belongs to @offer_id. */
static enum pp_err tariff_price(struct pp_db *db, int64_t offer_id, int64_t pc_id, int64_t *price)
{
    return pp_db_query_int(db, price,
                           "SELECT price_cents FROM price_category WHERE id = ? AND offer_id = ?",
                           2, pc_id, offer_id);
}

static bool quantity_ok(int64_t q)
{
    return q == PP_UNLIMITED || (q >= 0 && q <= PP_QUANTITY_MAX);
}

static const char quantity_message[] =
    "La quantité doit être un nombre entre 0 et 1 000 000, ou illimitée.";
static const char too_many_message[] =
    "Une offre ne peut pas avoir plus de 2 500 dates ou stocks.";

static void bind_optional(struct pp_stmt *st, int i, int64_t v, int64_t none)
{
    if (v == none)
        pp_stmt_bind_null(st, i);
    else
        pp_stmt_bind_int(st, i, v);
}

static enum pp_err insert_stock(struct pp_db *db, int64_t offer_id, int64_t pc_id, int64_t price,
                                int64_t quantity, int64_t beginning, int64_t limit, int64_t *id)
{
    struct pp_stmt *st = pp_db_prepare(
        db, "INSERT INTO stock (offer_id, price_category_id, price_cents, quantity, beginning_at,"
            " booking_limit_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT DO NOTHING RETURNING id");
    if (st == NULL)
        return PP_EDB;
    pp_stmt_bind_int(st, 1, offer_id);
    bind_optional(st, 2, pc_id, 0);
    pp_stmt_bind_int(st, 3, price);
    bind_optional(st, 4, quantity, PP_UNLIMITED);
    bind_optional(st, 5, beginning, 0);
    bind_optional(st, 6, limit, 0);
    pp_stmt_bind_int(st, 7, pp_clock_now());
    enum pp_step s = pp_stmt_step(st);
    if (s == PP_STEP_ROW && id != NULL)
        *id = pp_stmt_int(st, 0);
    pp_stmt_done(st);
    /* No row: the slot (offer, start, tariff) exists already. */
    return s == PP_STEP_ROW ? PP_OK : s == PP_STEP_DONE ? PP_ECONFLICT : PP_EDB;
}

static enum pp_err create_in_tx(struct pp_db *db, int64_t offer_id,
                                const struct pp_stock_input *in, int64_t *id, struct pp_error *e)
{
    struct offer_facts f;
    enum pp_err rc = pp_offer_check_editable(db, offer_id, e);
    if (rc == PP_OK)
        rc = offer_facts(db, offer_id, &f);
    if (rc != PP_OK)
        return rc;
    int64_t quantity = in->quantity == -2 ? PP_UNLIMITED : in->quantity;
    if (!quantity_ok(quantity))
        pp_error_set(e, PP_EVALIDATION, "quantity", quantity_message);
    int64_t price = 0, limit = in->booking_limit_at;
    if (f.sub->is_event) {
        if (in->price_category_id <= 0)
            pp_error_set(e, PP_EVALIDATION, "priceCategoryId", "Veuillez choisir un tarif.");
        else if ((rc = tariff_price(db, offer_id, in->price_category_id, &price)) != PP_OK) {
            if (rc != PP_ENOTFOUND)
                return rc;
            pp_error_set(e, PP_EVALIDATION, "priceCategoryId",
                         "Ce tarif n'appartient pas à cette offre.");
        }
        if (in->beginning_at <= 0)
            pp_error_set(e, PP_EVALIDATION, "beginningDatetime",
                         "Un évènement doit avoir une date et une heure de début.");
        else if (in->beginning_at <= pp_clock_now())
            pp_error_set(e, PP_EVALIDATION, "beginningDatetime",
                         "La date de l'évènement doit être dans le futur.");
        if (limit == 0)
            limit = in->beginning_at; /* RULES §2: the start itself when none is given */
        else if (in->beginning_at > 0 && limit > in->beginning_at)
            pp_error_set(e, PP_EVALIDATION, "bookingLimitDatetime",
                         "La date limite de réservation ne peut pas être après le début de "
                         "l'évènement.");
    } else {
        if (in->beginning_at != 0)
            pp_error_set(e, PP_EVALIDATION, "beginningDatetime",
                         "Un bien ou une offre numérique n'a pas de date d'évènement.");
        if (in->price_category_id != 0)
            pp_error_set(e, PP_EVALIDATION, "priceCategoryId",
                         "Les tarifs ne concernent que les évènements : indiquez un prix.");
        if (in->price_cents < 0)
            pp_error_set(e, PP_EVALIDATION, "priceCents", "Veuillez indiquer un prix.");
        else if (pp_price_check(in->price_cents) != NULL)
            pp_error_set(e, PP_EVALIDATION, "priceCents", pp_price_check(in->price_cents));
        price = in->price_cents;
        if (e->count == 0 && f.live_stocks > 0)
            return pp_error_set(e, PP_ECONFLICT, "global",
                                "Cette offre a déjà un stock : modifiez-le plutôt.");
    }
    if (e->count > 0)
        return PP_EVALIDATION;
    if (f.live_stocks >= PP_STOCK_MAX_PER_OFFER)
        return pp_error_set(e, PP_EVALIDATION, "global", too_many_message);
    rc = insert_stock(db, offer_id, in->price_category_id, price, quantity, in->beginning_at,
                      limit, id);
    if (rc == PP_ECONFLICT)
        pp_error_set(e, PP_ECONFLICT, "beginningDatetime",
                     "Cette date existe déjà pour ce tarif.");
    return rc;
}

enum pp_err pp_stock_create(struct pp_db *db, int64_t offer_id, const struct pp_stock_input *in,
                            int64_t *id, struct pp_error *e)
{
    /* Checks and insert in one write transaction: the counts they rely on cannot change. */
    if (pp_db_begin(db) != PP_OK)
        return PP_EDB;
    enum pp_err rc = create_in_tx(db, offer_id, in, id, e);
    if (rc != PP_OK) {
        pp_db_rollback(db);
        return rc;
    }
    return pp_db_commit(db);
}

#define STOCK_SELECT                                                                              \
    "SELECT s.id, s.offer_id, s.price_category_id, pc.label, s.price_cents, s.quantity,"          \
    " s.booked, s.beginning_at, s.booking_limit_at,"                                              \
    " (SELECT COUNT(*) FROM activation_code ac WHERE ac.stock_id = s.id"                          \
    "   AND ac.booking_id IS NULL)"                                                               \
    " FROM stock s LEFT JOIN price_category pc ON pc.id = s.price_category_id"

static void read_stock(struct pp_stmt *st, struct pp_arena *a, struct pp_stock *s)
{
    s->id = pp_stmt_int(st, 0);
    s->offer_id = pp_stmt_int(st, 1);
    s->price_category_id = pp_stmt_int(st, 2);
    s->price_category_label = pp_arena_strdup(a, pp_stmt_text(st, 3));
    s->price_cents = pp_stmt_int(st, 4);
    s->quantity = pp_stmt_is_null(st, 5) ? PP_UNLIMITED : pp_stmt_int(st, 5);
    s->booked = pp_stmt_int(st, 6);
    s->beginning_at = pp_stmt_int(st, 7);
    s->booking_limit_at = pp_stmt_int(st, 8);
    s->activation_codes = pp_stmt_int(st, 9);
}

enum pp_err pp_stock_list(struct pp_db *db, struct pp_arena *arena, int64_t offer_id,
                          struct pp_stock **items, size_t *count)
{
    struct pp_stmt *st = pp_db_prepare(
        db, STOCK_SELECT " WHERE s.offer_id = ? AND s.is_deleted = 0"
                         " ORDER BY s.beginning_at, pc.price_cents DESC, s.id");
    if (st == NULL)
        return PP_EDB;
    pp_stmt_bind_int(st, 1, offer_id);
    size_t n = 0, cap = 0;
    struct pp_stock *out = NULL;
    enum pp_step s;
    while ((s = pp_stmt_step(st)) == PP_STEP_ROW) {
        out = pp_arena_grow(arena, out, n, &cap, sizeof *out);
        read_stock(st, arena, &out[n++]);
    }
    pp_stmt_done(st);
    *items = out;
    *count = n;
    return s == PP_STEP_DONE ? PP_OK : PP_EDB;
}

enum pp_err pp_stock_get(struct pp_db *db, struct pp_arena *arena, int64_t id,
                         struct pp_stock *out)
{
    struct pp_stmt *st = pp_db_prepare(db, STOCK_SELECT " WHERE s.id = ? AND s.is_deleted = 0");
    if (st == NULL)
        return PP_EDB;
    pp_stmt_bind_int(st, 1, id);
    enum pp_step s = pp_stmt_step(st);
    if (s == PP_STEP_ROW)
        read_stock(st, arena, out);
    pp_stmt_done(st);
    return s == PP_STEP_ROW ? PP_OK : s == PP_STEP_DONE ? PP_ENOTFOUND : PP_EDB;
}

enum pp_err pp_stock_update(struct pp_db *db, int64_t id, const struct pp_stock_input *in,
                            struct pp_error *e)
{
    struct pp_arena *a = pp_arena_new();
    struct pp_stock cur;
    struct offer_facts f;
    enum pp_err rc = pp_stock_get(db, a, id, &cur);
    if (rc == PP_OK)
        rc = pp_offer_check_editable(db, cur.offer_id, e);
    if (rc == PP_OK)
        rc = offer_facts(db, cur.offer_id, &f);
    pp_arena_free(a);
    if (rc != PP_OK)
        return rc;

    struct pp_stock next = cur;
    if (in->quantity != -2) {
        if (!quantity_ok(in->quantity))
            pp_error_set(e, PP_EVALIDATION, "quantity", quantity_message);
        else if (in->quantity != PP_UNLIMITED && in->quantity < cur.booked)
            pp_error_set(e, PP_EVALIDATION, "quantity",
                         "La quantité ne peut pas être inférieure au nombre de places déjà "
                         "réservées.");
        next.quantity = in->quantity;
    }
    if (f.sub->is_event) {
        if (in->price_category_id > 0) {
            rc = tariff_price(db, cur.offer_id, in->price_category_id, &next.price_cents);
            if (rc == PP_ENOTFOUND)
                pp_error_set(e, PP_EVALIDATION, "priceCategoryId",
                             "Ce tarif n'appartient pas à cette offre.");
            else if (rc != PP_OK)
                return rc;
            next.price_category_id = in->price_category_id;
        }
        if (in->beginning_at != 0) {
            if (in->beginning_at <= pp_clock_now())
                pp_error_set(e, PP_EVALIDATION, "beginningDatetime",
                             "La date de l'évènement doit être dans le futur.");
            /* A limit equal to the old start follows the start when it moves. */
            if (cur.booking_limit_at == cur.beginning_at && in->booking_limit_at == 0)
                next.booking_limit_at = in->beginning_at;
            next.beginning_at = in->beginning_at;
        }
        if (in->booking_limit_at != 0)
            next.booking_limit_at = in->booking_limit_at;
        if (next.booking_limit_at > next.beginning_at)
            pp_error_set(e, PP_EVALIDATION, "bookingLimitDatetime",
                         "La date limite de réservation ne peut pas être après le début de "
                         "l'évènement.");
    } else {
        if (in->beginning_at != 0)
            pp_error_set(e, PP_EVALIDATION, "beginningDatetime",
                         "Un bien ou une offre numérique n'a pas de date d'évènement.");
        if (in->price_cents != -1) {
            if (pp_price_check(in->price_cents) != NULL)
                pp_error_set(e, PP_EVALIDATION, "priceCents", pp_price_check(in->price_cents));
            next.price_cents = in->price_cents;
        }
        if (in->booking_limit_at != 0)
            next.booking_limit_at = in->booking_limit_at;
    }
    if (e->count > 0)
        return PP_EVALIDATION;

    if (pp_db_begin(db) != PP_OK)
        return PP_EDB;
    struct pp_stmt *st = pp_db_prepare(
        db, "UPDATE stock SET price_category_id = ?, price_cents = ?, quantity = ?,"
            " beginning_at = ?, booking_limit_at = ? WHERE id = ?"
            " AND (? IS NULL OR booked <= ?)");
    if (st == NULL) {
        pp_db_rollback(db);
        return PP_EDB;
    }
    bind_optional(st, 1, next.price_category_id, 0);
    pp_stmt_bind_int(st, 2, next.price_cents);
    bind_optional(st, 3, next.quantity, PP_UNLIMITED);
    bind_optional(st, 4, next.beginning_at, 0);
    bind_optional(st, 5, next.booking_limit_at, 0);
    pp_stmt_bind_int(st, 6, id);
    /* Re-checked in the statement: a booking may have come in since the read above. */
    bind_optional(st, 7, next.quantity, PP_UNLIMITED);
    bind_optional(st, 8, next.quantity, PP_UNLIMITED);
    enum pp_step s = pp_stmt_step(st);
    int64_t changed = s == PP_STEP_DONE ? pp_stmt_changes(st) : -1;
    bool dup = s == PP_STEP_ERROR && pp_db_is_unique(db);
    pp_stmt_done(st);
    if (dup)
        rc = pp_error_set(e, PP_ECONFLICT, "beginningDatetime",
                          "Cette date existe déjà pour ce tarif.");
    else if (changed < 0)
        rc = PP_EDB;
    else if (changed == 0)
        rc = pp_error_set(e, PP_ECONFLICT, "quantity",
                          "Des places viennent d'être réservées : la quantité est trop basse.");
    /* A moved event: its bookings' cancellation limits follow, and beneficiaries are told. */
    else if (next.beginning_at != cur.beginning_at)
        rc = pp_booking_event_moved(db, id, next.beginning_at);
    if (rc != PP_OK) {
        pp_db_rollback(db);
        return rc;
    }
    return pp_db_commit(db);
}

enum pp_err pp_stock_delete(struct pp_db *db, int64_t account_id, int64_t id,
                            struct pp_error *e)
{
    struct pp_arena *a = pp_arena_new();
    struct pp_stock cur;
    enum pp_err rc = pp_stock_get(db, a, id, &cur);
    if (rc == PP_OK)
        rc = pp_offer_check_editable(db, cur.offer_id, e);
    pp_arena_free(a);
    if (rc != PP_OK)
        return rc;
    if (cur.beginning_at != 0 && pp_clock_now() > cur.beginning_at + DELETE_GRACE_S)
        return pp_error_set(e, PP_EVALIDATION, "global",
                            "Une date ne peut plus être supprimée plus de 48 heures après le "
                            "début de l'évènement.");
    if (pp_db_begin(db) != PP_OK)
        return PP_EDB;
    struct pp_stmt *st =
        pp_db_prepare(db, "UPDATE stock SET is_deleted = 1 WHERE id = ? AND is_deleted = 0");
    if (st == NULL) {
        pp_db_rollback(db);
        return PP_EDB;
    }
    pp_stmt_bind_int(st, 1, id);
    enum pp_step s = pp_stmt_step(st);
    pp_stmt_done(st);
    /* Its bookings are cancelled (reason OFFERER), even used ones for an event. */
    rc = s == PP_STEP_DONE ? pp_booking_cancel_for_stock(db, account_id, id, cur.beginning_at != 0)
                           : PP_EDB;
    if (rc == PP_OK)
        rc = pp_audit_log(db, account_id, PP_CHANNEL_PORTAL, "STOCK_DELETED", "stock", id, NULL);
    if (rc != PP_OK) {
        pp_db_rollback(db);
        return rc;
    }
    return pp_db_commit(db);
}

static bool date_ok(int y, int m, int d)
{
    int64_t days = pp_clock_days_from_civil(y, m, d);
    int64_t t = days * 86400;
    struct pp_local l;
    pp_tz_to_local("UTC", t, &l);
    return l.year == y && l.month == m && l.day == d;
}

enum pp_err pp_stock_recurrence(struct pp_db *db, int64_t offer_id,
                                const struct pp_recurrence *r, int64_t *created,
                                struct pp_error *e)
{
    *created = 0;
    struct offer_facts f;
    enum pp_err rc = pp_offer_check_editable(db, offer_id, e);
    if (rc == PP_OK)
        rc = offer_facts(db, offer_id, &f);
    if (rc != PP_OK)
        return rc;
    if (!f.sub->is_event)
        return pp_error_set(e, PP_EVALIDATION, "global",
                            "Les dates récurrentes ne concernent que les évènements.");
    if (!date_ok(r->start_year, r->start_month, r->start_day))
        pp_error_set(e, PP_EVALIDATION, "startDate", "Date de début invalide.");
    if (!date_ok(r->end_year, r->end_month, r->end_day))
        pp_error_set(e, PP_EVALIDATION, "endDate", "Date de fin invalide.");
    int64_t first = pp_clock_days_from_civil(r->start_year, r->start_month, r->start_day);
    int64_t last = pp_clock_days_from_civil(r->end_year, r->end_month, r->end_day);
    if (e->count == 0 && last < first)
        pp_error_set(e, PP_EVALIDATION, "endDate",
                     "La date de fin doit être le même jour ou après la date de début.");
    bool any_day = false;
    for (int d = 1; d <= 7; d++)
        any_day = any_day || r->weekdays[d];
    if (!any_day)
        pp_error_set(e, PP_EVALIDATION, "weekdays", "Choisissez au moins un jour de la semaine.");
    if (r->n_times == 0)
        pp_error_set(e, PP_EVALIDATION, "times", "Indiquez au moins un horaire.");
    if (r->n_price_categories == 0)
        pp_error_set(e, PP_EVALIDATION, "priceCategoryIds", "Choisissez au moins un tarif.");
    if (!quantity_ok(r->quantity))
        pp_error_set(e, PP_EVALIDATION, "quantity", quantity_message);
    if (r->booking_limit_hours < -1 || r->booking_limit_hours > 24 * 365)
        pp_error_set(e, PP_EVALIDATION, "bookingLimitHoursBefore",
                     "Le délai de réservation doit être compris entre 0 et 8 760 heures.");
    if (e->count > 0)
        return PP_EVALIDATION;

    int64_t prices[64];
    if (r->n_price_categories > sizeof prices / sizeof prices[0])
        return pp_error_set(e, PP_EVALIDATION, "priceCategoryIds",
                            "Une offre ne peut pas avoir plus de 50 tarifs.");
    /* Future slots counted before any write, stopping past the limit: the range could be
     * absurdly long. Slots that exist already may make the real number smaller: the limit is
     * checked again after the inserts. */
    int64_t now = pp_clock_now();
    int64_t future = 0;
    for (int64_t d = first; d <= last && future <= PP_STOCK_MAX_PER_OFFER; d++) {
        int iso = (int)(((d % 7) + 7 + 3) % 7) + 1; /* 1970-01-01 was a Thursday (4) */
        /* A day whose every hour is past in every zone (UTC-12 at most) is skipped whole. */
        if (!r->weekdays[iso] || (d + 1) * 86400 + 12 * 3600 <= now)
            continue;
        struct pp_local day;
        pp_tz_to_local("UTC", d * 86400, &day);
        for (size_t t = 0; t < r->n_times; t++) {
            int64_t start;
            if (pp_tz_from_local(f.timezone, day.year, day.month, day.day, r->times[t] / 60,
                                 r->times[t] % 60, &start) &&
                start > now)
                future += (int64_t)r->n_price_categories;
        }
    }
    if (future > PP_STOCK_MAX_PER_OFFER)
        return pp_error_set(e, PP_EVALIDATION, "global", too_many_message);

    if (pp_db_begin(db) != PP_OK)
        return PP_EDB;
    for (size_t i = 0; i < r->n_price_categories && rc == PP_OK; i++) {
        rc = tariff_price(db, offer_id, r->price_category_ids[i], &prices[i]);
        if (rc == PP_ENOTFOUND)
            rc = pp_error_set(e, PP_EVALIDATION, "priceCategoryIds",
                              "Un des tarifs n'appartient pas à cette offre.");
    }
    for (int64_t d = first; d <= last && rc == PP_OK; d++) {
        int iso = (int)(((d % 7) + 7 + 3) % 7) + 1;
        if (!r->weekdays[iso])
            continue;
        struct pp_local day;
        pp_tz_to_local("UTC", d * 86400, &day);
        for (size_t t = 0; t < r->n_times && rc == PP_OK; t++) {
            int64_t start;
            if (!pp_tz_from_local(f.timezone, day.year, day.month, day.day, r->times[t] / 60,
                                  r->times[t] % 60, &start)) {
                rc = PP_EINTERNAL;
                break;
            }
            if (start <= now)
                continue; /* a slot already past today: skipped, not an error */
            int64_t limit = r->booking_limit_hours >= 0 ? start - r->booking_limit_hours * 3600
                                                        : start;
            for (size_t p = 0; p < r->n_price_categories && rc == PP_OK; p++) {
                rc = insert_stock(db, offer_id, r->price_category_ids[p], prices[p], r->quantity,
                                  start, limit, NULL);
                if (rc == PP_OK)
                    (*created)++;
                else if (rc == PP_ECONFLICT)
                    rc = PP_OK; /* that slot exists already */
            }
        }
    }
    int64_t live = 0;
    if (rc == PP_OK &&
        (rc = pp_db_query_int(db, &live,
                              "SELECT COUNT(*) FROM stock WHERE offer_id = ? AND is_deleted = 0",
                              1, offer_id)) == PP_OK &&
        live > PP_STOCK_MAX_PER_OFFER)
        rc = pp_error_set(e, PP_EVALIDATION, "global", too_many_message);
    if (rc == PP_OK)
        rc = pp_db_commit(db);
    else
        pp_db_rollback(db);
    if (rc != PP_OK)
        *created = 0;
    return rc;
}

enum pp_err pp_stock_add_activation_codes(struct pp_db *db, int64_t offer_id,
                                          const char *const *codes, size_t n,
                                          int64_t expiration_at, int64_t *added,
                                          struct pp_error *e)
{
    *added = 0;
    struct offer_facts f;
    enum pp_err rc = pp_offer_check_editable(db, offer_id, e);
    if (rc == PP_OK)
        rc = offer_facts(db, offer_id, &f);
    if (rc != PP_OK)
        return rc;
    if (f.sub->is_event || f.sub->platform != PP_PLATFORM_ONLINE)
        return pp_error_set(e, PP_EVALIDATION, "global",
                            "Les codes d'activation ne concernent que les offres numériques.");
    if (n == 0)
        return pp_error_set(e, PP_EVALIDATION, "codes", "Ajoutez au moins un code.");
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(codes[i]);
        bool ok = len > 0 && len <= CODE_MAX;
        for (size_t k = 0; ok && k < len; k++)
            ok = (unsigned char)codes[i][k] > ' ' && codes[i][k] != 0x7F;
        if (!ok)
            return pp_error_set(e, PP_EVALIDATION, "codes",
                                "Chaque code doit faire de 1 à 100 caractères, sans espace.");
    }
    if (expiration_at != 0 && expiration_at <= pp_clock_now())
        return pp_error_set(e, PP_EVALIDATION, "expirationDate",
                            "La date d'expiration des codes doit être dans le futur.");
    int64_t stock_id;
    rc = pp_db_query_int(db, &stock_id,
                         "SELECT id FROM stock WHERE offer_id = ? AND is_deleted = 0", 1, offer_id);
    if (rc == PP_ENOTFOUND)
        return pp_error_set(e, PP_EVALIDATION, "global",
                            "Créez d'abord le stock de l'offre, puis ajoutez ses codes.");
    if (rc != PP_OK)
        return rc;
    if (pp_db_begin(db) != PP_OK)
        return PP_EDB;
    int64_t now = pp_clock_now();
    for (size_t i = 0; i < n && rc == PP_OK; i++) {
        struct pp_stmt *st = pp_db_prepare(
            db, "INSERT INTO activation_code (stock_id, code, expiration_at, created_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING");
        if (st == NULL) {
            rc = PP_EDB;
            break;
        }
        pp_stmt_bind_int(st, 1, stock_id);
        pp_stmt_bind_text(st, 2, codes[i]);
        bind_optional(st, 3, expiration_at, 0);
        pp_stmt_bind_int(st, 4, now);
        if (pp_stmt_step(st) == PP_STEP_DONE)
            *added += pp_stmt_changes(st);
        else
            rc = PP_EDB;
        pp_stmt_done(st);
    }
    /* A stock with codes has exactly as many places as codes left, plus those booked. */
    struct pp_stmt *st = rc == PP_OK ? pp_db_prepare(
                                           db, "UPDATE stock SET quantity = booked +"
                                               " (SELECT COUNT(*) FROM activation_code"
                                               "  WHERE stock_id = ? AND booking_id IS NULL)"
                                               " WHERE id = ?")
                                     : NULL;
    if (st != NULL) {
        pp_stmt_bind_int(st, 1, stock_id);
        pp_stmt_bind_int(st, 2, stock_id);
        rc = pp_stmt_step(st) == PP_STEP_DONE ? PP_OK : PP_EDB;
        pp_stmt_done(st);
    } else if (rc == PP_OK) {
        rc = PP_EDB;
    }
    if (rc != PP_OK) {
        pp_db_rollback(db);
        *added = 0;
        return rc;
    }
    return pp_db_commit(db);
}
