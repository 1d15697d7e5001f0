#include "domain/stock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/categories.h"
#include "core/clock.h"
#include "core/recurrence.h"
#include "core/tz.h"
#include "db/db.h"
#include "db/row.h"
#include "db/scalar.h"
#include "db/tx.h"
#include "domain/audit.h"
#include "domain/booking.h"
#include "domain/offer.h"
#include "domain/price_category.h"

#define DELETE_GRACE_S (48 * 3600)
#define CODE_MAX 100
/* Tariffs one recurrence may name (an offer has at most 50). */
#define MAX_TARIFFS 64

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

struct facts_row {
    const char *subcategory_id, *timezone;
    int64_t live_stocks;
};
static const struct pp_col facts_cols[] = PP_COLS(struct facts_row,
    PPC_TEXT(subcategory_id), PPC_TEXT(timezone), PPC_INT(live_stocks));
static const struct pp_row_spec facts_row = PP_ROW_SPEC(struct facts_row, facts_cols, NULL);

static enum pp_err offer_facts(struct pp_db *db, int64_t offer_id, struct offer_facts *f)
{
    struct pp_arena *a = pp_arena_new();
    struct facts_row r;
    enum pp_err rc = PP_FETCH(db, a, &facts_row, &r,
        "SELECT o.subcategory_id, v.timezone,"
        " (SELECT COUNT(*) FROM stock s WHERE s.offer_id = o.id AND s.is_deleted = 0)"
        " AS live_stocks FROM offer o JOIN venue v ON v.id = o.venue_id WHERE o.id = ?",
        PP_INT(offer_id));
    if (rc == PP_OK) {
        f->sub = pp_subcategory_find(r.subcategory_id);
        snprintf(f->timezone, sizeof f->timezone, "%s", r.timezone ? r.timezone : "");
        f->live_stocks = r.live_stocks;
    }
    pp_arena_free(a);
    if (rc == PP_OK && f->sub == NULL)
        return PP_EINTERNAL; /* a stored subcategory always exists in the table */
    return rc;
}

/* The facts of offer @offer_id once it is known to be editable by its pro. */
static enum pp_err editable_offer(struct pp_db *db, int64_t offer_id, struct offer_facts *f,
                                  struct pp_error *e)
{
    enum pp_err rc = pp_offer_check_editable(db, offer_id, e);
    return rc == PP_OK ? offer_facts(db, offer_id, f) : rc;
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
static const char foreign_tariff_message[] = "Ce tarif n'appartient pas à cette offre.";
static const char past_start_message[] = "La date de l'évènement doit être dans le futur.";
static const char late_limit_message[] =
    "La date limite de réservation ne peut pas être après le début de l'évènement.";
static const char thing_date_message[] =
    "Un bien ou une offre numérique n'a pas de date d'évènement.";
static const char slot_taken_message[] = "Cette date existe déjà pour ce tarif.";
static const char event_price_message[] =
    "Le prix d'une date est celui de son tarif : choisissez un tarif (priceCategoryId) ou "
    "modifiez le prix du tarif.";

static enum pp_err insert_stock(struct pp_db *db, int64_t offer_id, int64_t pc_id, int64_t price,
                                int64_t quantity, int64_t beginning, int64_t limit, int64_t *id)
{
    int64_t inserted;
    enum pp_err rc = pp_scalar_int(
        PP_BIND(db, "INSERT INTO stock (offer_id, price_category_id, price_cents, quantity,"
                    " beginning_at, booking_limit_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT DO NOTHING RETURNING id",
                PP_INT(offer_id), PP_INT_OR_NULL(pc_id), PP_INT(price),
                PP_INT_UNLESS(quantity, PP_UNLIMITED), PP_INT_OR_NULL(beginning),
                PP_INT_OR_NULL(limit), PP_INT(pp_clock_now())),
        &inserted);
    if (rc == PP_OK && id != NULL)
        *id = inserted;
    /* No row: the slot (offer, start, tariff) exists already. */
    return rc == PP_ENOTFOUND ? PP_ECONFLICT : rc;
}

/* RULES §2 for a new event stock: a tariff of the offer, a future start, a limit before it. */
static enum pp_err check_new_event(struct pp_db *db, int64_t offer_id,
                                   const struct pp_stock_input *in, int64_t *price,
                                   int64_t *limit, struct pp_error *e)
{
    enum pp_err rc;
    if (in->price_cents != -1)
        pp_error_set(e, PP_EVALIDATION, "priceCents", event_price_message);
    if (in->price_category_id <= 0)
        pp_error_set(e, PP_EVALIDATION, "priceCategoryId", "Veuillez choisir un tarif.");
    else if ((rc = tariff_price(db, offer_id, in->price_category_id, price)) != PP_OK) {
        if (rc != PP_ENOTFOUND)
            return rc;
        pp_error_set(e, PP_EVALIDATION, "priceCategoryId", foreign_tariff_message);
    }
    if (in->beginning_at <= 0)
        pp_error_set(e, PP_EVALIDATION, "beginningDatetime",
                     "Un évènement doit avoir une date et une heure de début.");
    else if (in->beginning_at <= pp_clock_now())
        pp_error_set(e, PP_EVALIDATION, "beginningDatetime", past_start_message);
    if (*limit == 0)
        *limit = in->beginning_at; /* RULES §2: the start itself when none is given */
    else if (in->beginning_at > 0 && *limit > in->beginning_at)
        pp_error_set(e, PP_EVALIDATION, "bookingLimitDatetime", late_limit_message);
    return PP_OK;
}

/* RULES §2 for the stock of a thing: a price, no date, no tariff. */
static void check_new_thing(const struct pp_stock_input *in, struct pp_error *e)
{
    if (in->beginning_at != 0)
        pp_error_set(e, PP_EVALIDATION, "beginningDatetime", thing_date_message);
    if (in->price_category_id != 0)
        pp_error_set(e, PP_EVALIDATION, "priceCategoryId",
                     "Les tarifs ne concernent que les évènements : indiquez un prix.");
    if (in->price_cents < 0)
        pp_error_set(e, PP_EVALIDATION, "priceCents", "Veuillez indiquer un prix.");
    else if (pp_price_check(in->price_cents) != NULL)
        pp_error_set(e, PP_EVALIDATION, "priceCents", pp_price_check(in->price_cents));
}

static enum pp_err create_in_tx(struct pp_db *db, int64_t offer_id,
                                const struct pp_stock_input *in, int64_t *id, struct pp_error *e)
{
    struct offer_facts f;
    enum pp_err rc = editable_offer(db, offer_id, &f, e);
    if (rc != PP_OK)
        return rc;
    int64_t quantity = in->quantity == -2 ? PP_UNLIMITED : in->quantity;
    if (!quantity_ok(quantity))
        pp_error_set(e, PP_EVALIDATION, "quantity", quantity_message);
    int64_t price = 0, limit = in->booking_limit_at;
    if (f.sub->is_event) {
        if ((rc = check_new_event(db, offer_id, in, &price, &limit, e)) != PP_OK)
            return rc;
    } else {
        check_new_thing(in, e);
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
        pp_error_set(e, PP_ECONFLICT, "beginningDatetime", slot_taken_message);
    return rc;
}

enum pp_err pp_stock_create(struct pp_db *db, int64_t offer_id, const struct pp_stock_input *in,
                            int64_t *id, struct pp_error *e)
{
    /* Checks and insert in one write transaction: the counts they rely on cannot change. */
    if (pp_db_begin(db) != PP_OK)
        return PP_EDB;
    return pp_tx_end(db, create_in_tx(db, offer_id, in, id, e));
}

#define STOCK_SELECT                                                                              \
    "SELECT s.id, s.offer_id, s.price_category_id, pc.label, s.price_cents, s.quantity,"          \
    " s.booked, s.beginning_at, s.booking_limit_at,"                                              \
    " (SELECT COUNT(*) FROM activation_code ac WHERE ac.stock_id = s.id"                          \
    "   AND ac.booking_id IS NULL) AS activation_codes"                                           \
    " FROM stock s LEFT JOIN price_category pc ON pc.id = s.price_category_id"

static const struct pp_col stock_cols[] = PP_COLS(struct pp_stock,
    PPC_INT(id), PPC_INT(offer_id), PPC_INT(price_category_id),
    PPC_TEXT_AS(price_category_label, "label"), PPC_INT(price_cents),
    PPC_INT_OR(quantity, PP_UNLIMITED), PPC_INT(booked), PPC_INT(beginning_at),
    PPC_INT(booking_limit_at), PPC_INT(activation_codes));
static const struct pp_row_spec stock_row = PP_ROW_SPEC(struct pp_stock, stock_cols, NULL);

enum pp_err pp_stock_list(struct pp_db *db, struct pp_arena *arena, int64_t offer_id,
                          struct pp_stock **items, size_t *count)
{
    return PP_COLLECT(db, arena, &stock_row, items, count,
        STOCK_SELECT " WHERE s.offer_id = ? AND s.is_deleted = 0"
        " ORDER BY s.beginning_at, pc.price_cents DESC, s.id",
        PP_INT(offer_id));
}

enum pp_err pp_stock_get(struct pp_db *db, struct pp_arena *arena, int64_t id,
                         struct pp_stock *out)
{
    return PP_FETCH(db, arena, &stock_row, out, STOCK_SELECT " WHERE s.id = ? AND s.is_deleted = 0",
                                                PP_INT(id));
}

/* Stock @id and the facts of its offer, once the offer is known to be editable. */
static enum pp_err editable_stock(struct pp_db *db, int64_t id, struct pp_stock *cur,
                                  struct offer_facts *f, struct pp_error *e)
{
    struct pp_arena *a = pp_arena_new();
    struct offer_facts unused; /* @f may be NULL: the caller needs only the stock */
    enum pp_err rc = pp_stock_get(db, a, id, cur);
    if (rc == PP_OK)
        rc = editable_offer(db, cur->offer_id, f != NULL ? f : &unused, e);
    cur->price_category_label = NULL; /* lived in @a */
    pp_arena_free(a);
    return rc;
}

/* The edited event stock @next from @cur and @in: tariff, start, and a limit before it. */
static enum pp_err next_event(struct pp_db *db, const struct pp_stock *cur,
                              const struct pp_stock_input *in, struct pp_stock *next,
                              struct pp_error *e)
{
    /* A price given for a date would be dropped silently: refused instead. */
    if (in->price_cents != -1)
        pp_error_set(e, PP_EVALIDATION, "priceCents", event_price_message);
    if (in->price_category_id > 0) {
        enum pp_err rc = tariff_price(db, cur->offer_id, in->price_category_id, &next->price_cents);
        if (rc == PP_ENOTFOUND)
            pp_error_set(e, PP_EVALIDATION, "priceCategoryId", foreign_tariff_message);
        else if (rc != PP_OK)
            return rc;
        next->price_category_id = in->price_category_id;
    }
    if (in->beginning_at != 0) {
        if (in->beginning_at <= pp_clock_now())
            pp_error_set(e, PP_EVALIDATION, "beginningDatetime", past_start_message);
        /* A limit equal to the old start follows the start when it moves. */
        if (cur->booking_limit_at == cur->beginning_at && in->booking_limit_at == 0)
            next->booking_limit_at = in->beginning_at;
        next->beginning_at = in->beginning_at;
    }
    if (in->booking_limit_at != 0)
        next->booking_limit_at = in->booking_limit_at;
    if (next->booking_limit_at > next->beginning_at)
        pp_error_set(e, PP_EVALIDATION, "bookingLimitDatetime", late_limit_message);
    return PP_OK;
}

/* The edited stock of a thing @next from @in: price and limit, never a date. */
static void next_thing(const struct pp_stock_input *in, struct pp_stock *next,
                       struct pp_error *e)
{
    if (in->beginning_at != 0)
        pp_error_set(e, PP_EVALIDATION, "beginningDatetime", thing_date_message);
    if (in->price_cents != -1) {
        if (pp_price_check(in->price_cents) != NULL)
            pp_error_set(e, PP_EVALIDATION, "priceCents", pp_price_check(in->price_cents));
        next->price_cents = in->price_cents;
    }
    if (in->booking_limit_at != 0)
        next->booking_limit_at = in->booking_limit_at;
}

/* Writes @next over stock @id, unless bookings came in past its quantity meanwhile. */
static enum pp_err write_stock(struct pp_db *db, int64_t id, const struct pp_stock *next,
                               struct pp_error *e)
{
    /* The quantity is re-checked in the statement: a booking may have come in since the read
     * above. */
    struct pp_stmt *st = PP_BIND(
        db, "UPDATE stock SET price_category_id = ?, price_cents = ?, quantity = ?,"
            " beginning_at = ?, booking_limit_at = ? WHERE id = ?"
            " AND (? IS NULL OR booked <= ?)",
            PP_INT_OR_NULL(next->price_category_id), PP_INT(next->price_cents),
            PP_INT_UNLESS(next->quantity, PP_UNLIMITED), PP_INT_OR_NULL(next->beginning_at),
            PP_INT_OR_NULL(next->booking_limit_at), PP_INT(id),
            PP_INT_UNLESS(next->quantity, PP_UNLIMITED),
            PP_INT_UNLESS(next->quantity, PP_UNLIMITED));
    if (st == NULL)
        return PP_EDB;
    enum pp_step s = pp_stmt_step(st);
    int64_t changed = s == PP_STEP_DONE ? pp_stmt_changes(st) : -1;
    bool dup = s == PP_STEP_ERROR && pp_db_is_unique(db);
    pp_stmt_done(st);
    if (dup)
        return pp_error_set(e, PP_ECONFLICT, "beginningDatetime", slot_taken_message);
    if (changed < 0)
        return PP_EDB;
    if (changed == 0)
        return pp_error_set(
            e, PP_ECONFLICT, "quantity",
            "Des places viennent d'être réservées : la quantité est trop basse.");
    return PP_OK;
}

enum pp_err pp_stock_update(struct pp_db *db, int64_t id, const struct pp_stock_input *in,
                            struct pp_error *e)
{
    struct pp_stock cur;
    struct offer_facts f;
    enum pp_err rc = editable_stock(db, id, &cur, &f, e);
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
        if ((rc = next_event(db, &cur, in, &next, e)) != PP_OK)
            return rc;
    } else {
        next_thing(in, &next, e);
    }
    if (e->count > 0)
        return PP_EVALIDATION;

    if (pp_db_begin(db) != PP_OK)
        return PP_EDB;
    rc = write_stock(db, id, &next, e);
    /* A moved event: its bookings' cancellation limits follow, and beneficiaries are told. */
    if (rc == PP_OK && next.beginning_at != cur.beginning_at)
        rc = pp_booking_event_moved(db, id, next.beginning_at);
    return pp_tx_end(db, rc);
}

enum pp_err pp_stock_delete(struct pp_db *db, int64_t account_id, int64_t id,
                            struct pp_error *e)
{
    struct pp_stock cur;
    enum pp_err rc = editable_stock(db, id, &cur, NULL, e);
    if (rc != PP_OK)
        return rc;
    if (cur.beginning_at != 0 && pp_clock_now() > cur.beginning_at + DELETE_GRACE_S)
        return pp_error_set(e, PP_EVALIDATION, "global",
                            "Une date ne peut plus être supprimée plus de 48 heures après le "
                            "début de l'évènement.");
    if (pp_db_begin(db) != PP_OK)
        return PP_EDB;
    struct pp_stmt *st =
        PP_BIND(db, "UPDATE stock SET is_deleted = 1 WHERE id = ? AND is_deleted = 0", PP_INT(id));
    rc = pp_row_exec(st);
    /* Its bookings are cancelled (reason OFFERER), even used ones for an event. */
    if (rc == PP_OK)
        rc = pp_booking_cancel_for_stock(db, account_id, id, cur.beginning_at != 0);
    if (rc == PP_OK)
        rc = pp_audit_log(db, account_id, PP_CHANNEL_PORTAL, "STOCK_DELETED", "stock", id, NULL);
    return pp_tx_end(db, rc);
}

/* The refusals of @r that are not the shape's (pp_recurrence_check) but the stock rules'. */
static enum pp_err check_recurrence(const struct pp_recurrence *r, struct pp_error *e)
{
    pp_recurrence_check(r, e);
    if (!quantity_ok(r->quantity))
        pp_error_set(e, PP_EVALIDATION, "quantity", quantity_message);
    if (r->booking_limit_hours < -1 || r->booking_limit_hours > 24 * 365)
        pp_error_set(e, PP_EVALIDATION, "bookingLimitHoursBefore",
                     "Le délai de réservation doit être compris entre 0 et 8 760 heures.");
    return e->count > 0 ? PP_EVALIDATION : PP_OK;
}

/* Inserts every (start, tariff) of @starts for @r, skipping slots that exist already. */
static enum pp_err insert_slots(struct pp_db *db, int64_t offer_id, const struct pp_recurrence *r,
                                const int64_t *starts, int64_t n, int64_t *created,
                                struct pp_error *e)
{
    int64_t prices[MAX_TARIFFS];
    enum pp_err rc = PP_OK;
    for (size_t i = 0; i < r->n_price_categories && rc == PP_OK; i++) {
        rc = tariff_price(db, offer_id, r->price_category_ids[i], &prices[i]);
        if (rc == PP_ENOTFOUND)
            rc = pp_error_set(e, PP_EVALIDATION, "priceCategoryIds",
                              "Un des tarifs n'appartient pas à cette offre.");
    }
    for (int64_t i = 0; i < n && rc == PP_OK; i++) {
        int64_t limit = r->booking_limit_hours >= 0 ? starts[i] - r->booking_limit_hours * 3600
                                                    : starts[i];
        for (size_t p = 0; p < r->n_price_categories && rc == PP_OK; p++) {
            rc = insert_stock(db, offer_id, r->price_category_ids[p], prices[p], r->quantity,
                              starts[i], limit, NULL);
            if (rc == PP_OK)
                (*created)++;
            else if (rc == PP_ECONFLICT)
                rc = PP_OK; /* that slot exists already */
        }
    }
    int64_t live = 0;
    if (rc == PP_OK &&
        (rc = pp_db_query_int(db, &live,
                              "SELECT COUNT(*) FROM stock WHERE offer_id = ? AND is_deleted = 0",
                              1, offer_id)) == PP_OK &&
        live > PP_STOCK_MAX_PER_OFFER)
        rc = pp_error_set(e, PP_EVALIDATION, "global", too_many_message);
    return rc;
}

enum pp_err pp_stock_recurrence(struct pp_db *db, int64_t offer_id,
                                const struct pp_recurrence *r, int64_t *created,
                                struct pp_error *e)
{
    *created = 0;
    struct offer_facts f;
    enum pp_err rc = editable_offer(db, offer_id, &f, e);
    if (rc != PP_OK)
        return rc;
    if (!f.sub->is_event)
        return pp_error_set(e, PP_EVALIDATION, "global",
                            "Les dates récurrentes ne concernent que les évènements.");
    if ((rc = check_recurrence(r, e)) != PP_OK)
        return rc;
    if (r->n_price_categories > MAX_TARIFFS)
        return pp_error_set(e, PP_EVALIDATION, "priceCategoryIds",
                            "Une offre ne peut pas avoir plus de 50 tarifs.");
    /* Future slots counted before any write, stopping past the limit: the range could be
     * absurdly long. Slots that exist already may make the real number smaller: the limit is
     * checked again after the inserts. */
    size_t cap = PP_STOCK_MAX_PER_OFFER / r->n_price_categories;
    int64_t *starts = pp_xcalloc(cap + 1, sizeof *starts);
    int64_t n = pp_recurrence_expand(r, f.timezone, pp_clock_now(), starts, cap);
    if (n > (int64_t)cap)
        rc = pp_error_set(e, PP_EVALIDATION, "global", too_many_message);
    else if (pp_db_begin(db) != PP_OK)
        rc = PP_EDB;
    else
        rc = pp_tx_end(db, n < 0 ? PP_EINTERNAL
                                    : insert_slots(db, offer_id, r, starts, n, created, e));
    free(starts);
    if (rc != PP_OK)
        *created = 0;
    return rc;
}

/* 1 to 100 printable characters, no space. */
static bool code_ok(const char *code)
{
    size_t len = strlen(code);
    bool ok = len > 0 && len <= CODE_MAX;
    for (size_t k = 0; ok && k < len; k++)
        ok = (unsigned char)code[k] > ' ' && code[k] != 0x7F;
    return ok;
}

/* Inserts @codes into stock @stock_id (duplicates skipped), then its quantity follows. */
static enum pp_err insert_codes(struct pp_db *db, int64_t stock_id, const char *const *codes,
                                size_t n, int64_t expiration_at, int64_t *added)
{
    int64_t now = pp_clock_now();
    for (size_t i = 0; i < n; i++) {
        struct pp_stmt *st = PP_BIND(
            db, "INSERT INTO activation_code (stock_id, code, expiration_at, created_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                PP_INT(stock_id), PP_TEXT(codes[i]), PP_INT_OR_NULL(expiration_at), PP_INT(now));
        if (st == NULL)
            return PP_EDB;
        bool done = pp_stmt_step(st) == PP_STEP_DONE;
        if (done)
            *added += pp_stmt_changes(st);
        pp_stmt_done(st);
        if (!done)
            return PP_EDB;
    }
    /* A stock with codes has exactly as many places as codes left, plus those booked. */
    struct pp_stmt *st = PP_BIND(db, "UPDATE stock SET quantity = booked +"
                                           " (SELECT COUNT(*) FROM activation_code"
                                           "  WHERE stock_id = ? AND booking_id IS NULL)"
                                           " WHERE id = ?",
                                           PP_INT(stock_id), PP_INT(stock_id));
    return pp_row_exec(st);
}

enum pp_err pp_stock_add_activation_codes(struct pp_db *db, int64_t offer_id,
                                          const char *const *codes, size_t n,
                                          int64_t expiration_at, int64_t *added,
                                          struct pp_error *e)
{
    *added = 0;
    struct offer_facts f;
    enum pp_err rc = editable_offer(db, offer_id, &f, e);
    if (rc != PP_OK)
        return rc;
    if (f.sub->is_event || f.sub->platform != PP_PLATFORM_ONLINE)
        return pp_error_set(e, PP_EVALIDATION, "global",
                            "Les codes d'activation ne concernent que les offres numériques.");
    if (n == 0)
        return pp_error_set(e, PP_EVALIDATION, "codes", "Ajoutez au moins un code.");
    for (size_t i = 0; i < n; i++)
        if (!code_ok(codes[i]))
            return pp_error_set(e, PP_EVALIDATION, "codes",
                                "Chaque code doit faire de 1 à 100 caractères, sans espace.");
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
    rc = pp_tx_end(db, insert_codes(db, stock_id, codes, n, expiration_at, added));
    if (rc != PP_OK)
        *added = 0;
    return rc;
}
