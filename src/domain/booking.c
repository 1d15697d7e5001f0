#include "domain/booking.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/booking_rules.h"
#include "core/categories.h"
#include "core/clock.h"
#include "core/money.h"
#include "core/tz.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/beneficiary.h"
#include "domain/outbox.h"

#define TOKEN_TRIES 20

/* Everything the checks need about a stock, read once inside the transaction. */
struct target {
    int64_t stock_id, offer_id, venue_id, offerer_id;
    int64_t price, quantity, booked, beginning_at, booking_limit_at;
    bool unlimited, deleted, active, duo;
    const char *validation, *subcategory_id, *offer_name, *url, *label;
    const char *offer_booking_email, *venue_booking_email, *venue_name, *timezone;
    const char *withdrawal_details;
    int64_t codes_left;
    const struct pp_subcategory *sub;
};

static enum pp_err load_target(struct pp_db *db, struct pp_arena *a, int64_t stock_id,
                               struct target *t)
{
    struct pp_stmt *st = pp_db_prepare(
        db, "SELECT s.id, s.offer_id, o.venue_id, v.offerer_id, s.price_cents, s.quantity,"
            " s.booked, s.beginning_at, s.booking_limit_at, s.is_deleted, o.is_active, o.is_duo,"
            " o.validation, o.subcategory_id, o.name, o.url, pc.label, o.booking_email,"
            " v.booking_email, COALESCE(v.public_name, v.name), v.timezone, o.withdrawal_details,"
            " (SELECT COUNT(*) FROM activation_code ac WHERE ac.stock_id = s.id),"
            " (SELECT COUNT(*) FROM activation_code ac WHERE ac.stock_id = s.id"
            "   AND ac.booking_id IS NULL)"
            " FROM stock s JOIN offer o ON o.id = s.offer_id JOIN venue v ON v.id = o.venue_id"
            " LEFT JOIN price_category pc ON pc.id = s.price_category_id WHERE s.id = ?");
    if (st == NULL)
        return PP_EDB;
    pp_stmt_bind_int(st, 1, stock_id);
    enum pp_step s = pp_stmt_step(st);
    if (s == PP_STEP_ROW) {
        t->stock_id = pp_stmt_int(st, 0);
        t->offer_id = pp_stmt_int(st, 1);
        t->venue_id = pp_stmt_int(st, 2);
        t->offerer_id = pp_stmt_int(st, 3);
        t->price = pp_stmt_int(st, 4);
        t->unlimited = pp_stmt_is_null(st, 5);
        t->quantity = pp_stmt_int(st, 5);
        t->booked = pp_stmt_int(st, 6);
        t->beginning_at = pp_stmt_int(st, 7);
        t->booking_limit_at = pp_stmt_int(st, 8);
        t->deleted = pp_stmt_int(st, 9) != 0;
        t->active = pp_stmt_int(st, 10) != 0;
        t->duo = pp_stmt_int(st, 11) != 0;
        t->validation = pp_arena_strdup(a, pp_stmt_text(st, 12));
        t->subcategory_id = pp_arena_strdup(a, pp_stmt_text(st, 13));
        t->offer_name = pp_arena_strdup(a, pp_stmt_text(st, 14));
        t->url = pp_arena_strdup(a, pp_stmt_text(st, 15));
        t->label = pp_arena_strdup(a, pp_stmt_text(st, 16));
        t->offer_booking_email = pp_arena_strdup(a, pp_stmt_text(st, 17));
        t->venue_booking_email = pp_arena_strdup(a, pp_stmt_text(st, 18));
        t->venue_name = pp_arena_strdup(a, pp_stmt_text(st, 19));
        t->timezone = pp_arena_strdup(a, pp_stmt_text(st, 20));
        t->withdrawal_details = pp_arena_strdup(a, pp_stmt_text(st, 21));
        t->codes_left = pp_stmt_int(st, 22) > 0 ? pp_stmt_int(st, 23) : -1;
        t->sub = pp_subcategory_find(t->subcategory_id);
    }
    pp_stmt_done(st);
    if (s == PP_STEP_ROW && t->sub == NULL)
        return PP_EINTERNAL;
    return s == PP_STEP_ROW ? PP_OK : s == PP_STEP_DONE ? PP_ENOTFOUND : PP_EDB;
}

/* Runs an UPDATE/INSERT with integer binds; returns the rows changed, or -1. */
static int64_t exec_ints(struct pp_db *db, const char *sql, int n, const int64_t *v)
{
    struct pp_stmt *st = pp_db_prepare(db, sql);
    if (st == NULL)
        return -1;
    for (int i = 0; i < n; i++)
        pp_stmt_bind_int(st, i + 1, v[i]);
    enum pp_step s = pp_stmt_step(st);
    int64_t changed = s == PP_STEP_DONE ? pp_stmt_changes(st) : -1;
    pp_stmt_done(st);
    return changed;
}

static json_t *event_fields(const char *tz, int64_t beginning_at)
{
    if (beginning_at == 0)
        return json_null();
    char when[24];
    pp_tz_format_fr(tz, beginning_at, when);
    return json_string(when);
}

/* Data of the emails about a booking: what the templates of the mail issue render. */
static json_t *booking_payload(const struct target *t, const struct pp_user *u,
                               const char *phone, const char *token, int64_t quantity,
                               int64_t booked_at, bool used)
{
    char price[PP_MONEY_LEN], total[PP_MONEY_LEN], when[24];
    pp_money_format_price(t->price, price);
    pp_money_format_price(t->price * quantity, total);
    pp_tz_format_fr(t->timezone, booked_at, when);
    json_t *p = json_pack(
        "{s:s, s:s, s:s, s:s?, s:s, s:s, s:s?, s:s, s:I, s:s, s:s, s:b, s:b, s:s, s:s?}",
        "firstName", u->first_name, "lastName", u->last_name, "email", u->email, "phone", phone,
        "token", token, "offerName", t->offer_name, "priceCategoryLabel", t->label, "venueName",
        t->venue_name, "quantity", (json_int_t)quantity, "price", price, "total", total,
        "isEvent", t->sub->is_event, "isPaid", t->price > 0, "bookedAt", when,
        "withdrawalDetails", t->withdrawal_details);
    json_object_set_new(p, "eventDate", event_fields(t->timezone, t->beginning_at));
    /* Used at booking (activation code, free subscription): nothing to do at the counter. */
    json_object_set_new(p, "isUsed", json_boolean(used));
    if (!t->sub->is_event && t->sub->can_expire)
        json_object_set_new(p, "withdrawalDays", json_integer(t->sub->expiry_days));
    return p;
}

/* The checks of RULES §3 that need no write, in order; the first failure is returned. */
static enum pp_err check_bookable(struct pp_db *db, const struct target *t,
                                  const struct pp_user *u, int age, bool free_only,
                                  int64_t quantity, int64_t now, struct pp_error *e)
{
    if (t->deleted || strcmp(t->validation, "APPROVED") != 0)
        return pp_error_set(e, PP_ENOTFOUND, "stockId", "Cette offre n'existe pas.");
    bool free_offer = t->price == 0;
    bool minor = age < 18;
    if (minor && ((!free_offer && !t->sub->minors_paid) || (free_offer && !t->sub->minors_free)))
        return pp_error_set(e, PP_EFORBIDDEN, "global",
                            "Vous n'êtes pas autorisé à réserver cette catégorie d'offre.");
    if (free_only && !free_offer)
        return pp_error_set(e, PP_EFORBIDDEN, "global",
                            "Votre crédit ne permet de réserver que des offres gratuites.");
    int64_t already;
    enum pp_err rc = pp_db_query_int(
        db, &already,
        "SELECT COUNT(*) FROM booking WHERE account_id = ? AND offer_id = ? AND status <> 'CANCELLED'",
        2, u->id, t->offer_id);
    if (rc != PP_OK)
        return rc;
    if (already > 0)
        return pp_error_set(e, PP_ECONFLICT, "global", "Cette offre a déjà été réservée.");
    if (t->duo && (quantity < 1 || quantity > 2))
        return pp_error_set(e, PP_EVALIDATION, "quantity",
                            "Vous devez réserver une place ou deux dans le cas d'une offre DUO.");
    if (!t->duo && quantity != 1)
        return pp_error_set(e, PP_EVALIDATION, "quantity",
                            "Vous ne pouvez réserver qu'une place pour cette offre.");
    if (!t->active || (t->booking_limit_at != 0 && t->booking_limit_at <= now) ||
        (t->beginning_at != 0 && t->beginning_at <= now))
        return pp_error_set(e, PP_EVALIDATION, "stockId", "Ce stock n'est pas réservable.");
    if (!t->unlimited && t->quantity - t->booked < quantity)
        return pp_error_set(e, PP_ECONFLICT, "stockId",
                            "Il n'y a plus assez de places disponibles pour cette date.");
    if (t->codes_left == 0)
        return pp_error_set(e, PP_EVALIDATION, "stockId",
                            "Ce stock ne contient plus de code d'activation disponible.");
    return PP_OK;
}

static enum pp_err credit_refusal(const struct pp_wallet *w, int64_t total, bool digital,
                                  int64_t now, struct pp_error *e)
{
    if (total > 0 && now >= w->expires_at)
        return pp_error_set(e, PP_EVALIDATION, "global", "Votre crédit pass Culture a expiré.");
    if (total > w->balance_cents)
        return pp_error_set(e, PP_EVALIDATION, "global",
                            "Le solde de votre pass est insuffisant pour réserver cette offre.");
    if (digital && w->digital_remaining_cents >= 0 && total > w->digital_remaining_cents)
        return pp_error_set(e, PP_EVALIDATION, "global",
                            "Le plafond de 100 € pour les offres numériques ne vous permet pas "
                            "de réserver cette offre.");
    return PP_OK;
}

static enum pp_err insert_booking(struct pp_db *db, const struct target *t, int64_t account_id,
                                  int64_t quantity, bool digital, int64_t now, bool used,
                                  char token[PP_TOKEN_LEN + 1], int64_t *id)
{
    for (int attempt = 0; attempt < TOKEN_TRIES; attempt++) {
        unsigned char random[16];
        randombytes_buf(random, sizeof random);
        if (!pp_token_from_random(random, sizeof random, token))
            continue;
        struct pp_stmt *st = pp_db_prepare(
            db, "INSERT INTO booking (token, account_id, stock_id, offer_id, venue_id, offerer_id,"
                " quantity, amount_cents, price_category_label, status, counts_digital,"
                " created_at, cancellation_limit_at, used_at, validation_author)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
        if (st == NULL)
            return PP_EDB;
        int64_t limit = pp_cancellation_limit(now, t->beginning_at);
        pp_stmt_bind_text(st, 1, token);
        pp_stmt_bind_int(st, 2, account_id);
        pp_stmt_bind_int(st, 3, t->stock_id);
        pp_stmt_bind_int(st, 4, t->offer_id);
        pp_stmt_bind_int(st, 5, t->venue_id);
        pp_stmt_bind_int(st, 6, t->offerer_id);
        pp_stmt_bind_int(st, 7, quantity);
        pp_stmt_bind_int(st, 8, t->price);
        pp_stmt_bind_text(st, 9, t->label);
        pp_stmt_bind_text(st, 10, used ? "USED" : "CONFIRMED");
        pp_stmt_bind_int(st, 11, digital ? 1 : 0);
        pp_stmt_bind_int(st, 12, now);
        if (limit)
            pp_stmt_bind_int(st, 13, limit);
        else
            pp_stmt_bind_null(st, 13);
        if (used)
            pp_stmt_bind_int(st, 14, now);
        else
            pp_stmt_bind_null(st, 14);
        pp_stmt_bind_text(st, 15, used ? "AUTO" : NULL);
        enum pp_step s = pp_stmt_step(st);
        if (s == PP_STEP_ROW)
            *id = pp_stmt_int(st, 0);
        bool dup = s == PP_STEP_ERROR && pp_db_is_unique(db);
        const char *msg = dup ? pp_db_errmsg(db) : NULL;
        bool token_clash = dup && msg != NULL && strstr(msg, "token") != NULL;
        pp_stmt_done(st);
        if (s == PP_STEP_ROW)
            return PP_OK;
        if (token_clash)
            continue; /* 1 in 729 million per live booking: draw again */
        return dup ? PP_ECONFLICT : PP_EDB;
    }
    return PP_EINTERNAL;
}

static enum pp_err book_in_tx(struct pp_db *db, struct pp_arena *a, const struct pp_user *u,
                              int64_t stock_id, int64_t quantity, int64_t now,
                              struct pp_booking *out, struct pp_error *e)
{
    struct target t;
    enum pp_err rc = load_target(db, a, stock_id, &t);
    if (rc == PP_ENOTFOUND)
        return pp_error_set(e, PP_ENOTFOUND, "stockId", "Cette offre n'existe pas.");
    if (rc != PP_OK)
        return rc;

    struct pp_wallet w;
    char birth[11] = "";
    const char *phone = NULL;
    struct pp_stmt *st = pp_db_prepare(
        db, "SELECT b.birth_date, a.phone FROM beneficiary b JOIN account a ON a.id = b.account_id"
            " WHERE b.account_id = ?");
    if (st == NULL)
        return PP_EDB;
    pp_stmt_bind_int(st, 1, u->id);
    if (pp_stmt_step(st) == PP_STEP_ROW) {
        snprintf(birth, sizeof birth, "%s", pp_stmt_text(st, 0));
        phone = pp_arena_strdup(a, pp_stmt_text(st, 1));
    }
    pp_stmt_done(st);
    int y, m, d;
    if (!pp_clock_parse_date(birth, &y, &m, &d))
        return pp_error_set(e, PP_EFORBIDDEN, "global",
                            "Votre compte ne vous permet pas de faire de réservation.");
    if ((rc = pp_wallet_refresh(db, u->id, now, &w)) != PP_OK)
        return rc;
    if ((rc = check_bookable(db, &t, u, pp_age_at(y, m, d, now), w.free_only, quantity, now,
                             e)) != PP_OK)
        return rc;
    int64_t total = t.price * quantity;
    bool digital = t.url != NULL && t.sub->cap == PP_CAP_DIGITAL;
    if ((rc = credit_refusal(&w, total, digital, now, e)) != PP_OK)
        return rc;

    /* The writes: each is conditional, so that no interleaving oversells or overspends. */
    int64_t v[4] = {quantity, stock_id, quantity, 0};
    if (exec_ints(db, "UPDATE stock SET booked = booked + ? WHERE id = ? AND is_deleted = 0"
                      " AND (quantity IS NULL OR booked + ? <= quantity)",
                  3, v) != 1)
        return pp_error_set(e, PP_ECONFLICT, "stockId",
                            "Il n'y a plus assez de places disponibles pour cette date.");
    /* A free booking needs no credit, even an expired one. */
    int64_t wv[7] = {total, digital ? total : 0, u->id, total, now, total, digital ? total : 0};
    if (exec_ints(db, "UPDATE wallet SET spent_cents = spent_cents + ?,"
                      " digital_spent_cents = digital_spent_cents + ?"
                      " WHERE account_id = ? AND (? = 0 OR expires_at > ?)"
                      " AND spent_cents + ? <= amount_cents AND digital_spent_cents + ? <= 10000",
                  7, wv) != 1)
        return pp_error_set(e, PP_EVALIDATION, "global",
                            "Le solde de votre pass est insuffisant pour réserver cette offre.");
    bool with_code = t.codes_left > 0;
    bool used = with_code || (t.price == 0 && t.sub->used_at_booking_when_free);
    char token[PP_TOKEN_LEN + 1];
    int64_t id;
    rc = insert_booking(db, &t, u->id, quantity, digital, now, used, token, &id);
    if (rc == PP_ECONFLICT)
        return pp_error_set(e, PP_ECONFLICT, "global", "Cette offre a déjà été réservée.");
    if (rc != PP_OK)
        return rc;
    if (with_code) {
        int64_t cv[2] = {id, stock_id};
        if (exec_ints(db, "UPDATE activation_code SET booking_id = ? WHERE id = (SELECT id FROM"
                          " activation_code WHERE stock_id = ? AND booking_id IS NULL"
                          " ORDER BY id LIMIT 1)",
                      2, cv) != 1)
            return pp_error_set(e, PP_EVALIDATION, "stockId",
                                "Ce stock ne contient plus de code d'activation disponible.");
    }

    /* Emails: to the venue (its very first booking gets the welcome version), and to the
     * beneficiary; both in this transaction. */
    int64_t venue_bookings = 0;
    if ((rc = pp_db_query_int(db, &venue_bookings,
                              "SELECT COUNT(*) FROM booking WHERE venue_id = ?", 1, t.venue_id)) !=
        PP_OK)
        return rc;
    bool first = venue_bookings == 1 && t.venue_booking_email != NULL;
    const char *venue_to = first ? t.venue_booking_email
                                 : (t.offer_booking_email ? t.offer_booking_email
                                                          : t.venue_booking_email);
    if ((rc = pp_outbox_add(db, first ? "VENUE_FIRST_BOOKING" : "VENUE_NEW_BOOKING", venue_to,
                            u->email, booking_payload(&t, u, phone, token, quantity, now, used))) !=
            PP_OK ||
        (rc = pp_outbox_add(db, "BENEFICIARY_BOOKING_CONFIRMATION", u->email, NULL,
                            booking_payload(&t, u, phone, token, quantity, now, used))) != PP_OK)
        return rc;
    if ((rc = pp_audit_log(db, u->id, PP_CHANNEL_PORTAL, "BOOKING_CREATED", "booking", id,
                           used ? "USED" : NULL)) != PP_OK)
        return rc;
    return pp_booking_get(db, a, id, out);
}

enum pp_err pp_booking_create(struct pp_db *db, struct pp_arena *arena, const struct pp_user *user,
                              int64_t stock_id, int64_t quantity, struct pp_booking *out,
                              struct pp_error *e)
{
    if (pp_db_begin(db) != PP_OK)
        return PP_EDB;
    enum pp_err rc = book_in_tx(db, arena, user, stock_id, quantity, pp_clock_now(), out, e);
    if (rc != PP_OK) {
        pp_db_rollback(db);
        return rc;
    }
    return pp_db_commit(db);
}

#define BOOKING_SELECT                                                                            \
    "SELECT b.id, b.token, b.status, b.quantity, b.amount_cents, b.created_at,"                   \
    " b.cancellation_limit_at, b.used_at, b.cancelled_at, b.reimbursed_at,"                       \
    " b.cancellation_reason, b.account_id, b.stock_id, b.offer_id, b.venue_id, b.offerer_id,"     \
    " o.name, o.subcategory_id, b.price_category_label, s.beginning_at,"                          \
    " COALESCE(v.public_name, v.name), v.timezone, o.url,"                                        \
    " (SELECT code FROM activation_code ac WHERE ac.booking_id = b.id),"                          \
    " a.first_name, a.last_name, a.email, a.phone, ben.birth_date, ben.postal_code,"              \
    " b.validation_author"                                                                        \
    " FROM booking b JOIN offer o ON o.id = b.offer_id JOIN stock s ON s.id = b.stock_id"         \
    " JOIN venue v ON v.id = b.venue_id JOIN account a ON a.id = b.account_id"                    \
    " LEFT JOIN beneficiary ben ON ben.account_id = b.account_id"

static void read_booking(struct pp_stmt *st, struct pp_arena *a, struct pp_booking *b)
{
    b->id = pp_stmt_int(st, 0);
    b->token = pp_arena_strdup(a, pp_stmt_text(st, 1));
    b->status = pp_arena_strdup(a, pp_stmt_text(st, 2));
    b->quantity = pp_stmt_int(st, 3);
    b->amount_cents = pp_stmt_int(st, 4);
    b->created_at = pp_stmt_int(st, 5);
    b->cancellation_limit_at = pp_stmt_int(st, 6);
    b->used_at = pp_stmt_int(st, 7);
    b->cancelled_at = pp_stmt_int(st, 8);
    b->reimbursed_at = pp_stmt_int(st, 9);
    b->cancellation_reason = pp_arena_strdup(a, pp_stmt_text(st, 10));
    b->account_id = pp_stmt_int(st, 11);
    b->stock_id = pp_stmt_int(st, 12);
    b->offer_id = pp_stmt_int(st, 13);
    b->venue_id = pp_stmt_int(st, 14);
    b->offerer_id = pp_stmt_int(st, 15);
    b->offer_name = pp_arena_strdup(a, pp_stmt_text(st, 16));
    b->subcategory_id = pp_arena_strdup(a, pp_stmt_text(st, 17));
    b->price_category_label = pp_arena_strdup(a, pp_stmt_text(st, 18));
    b->beginning_at = pp_stmt_int(st, 19);
    b->venue_name = pp_arena_strdup(a, pp_stmt_text(st, 20));
    b->venue_timezone = pp_arena_strdup(a, pp_stmt_text(st, 21));
    b->url = pp_arena_strdup(a, pp_stmt_text(st, 22));
    b->activation_code = pp_arena_strdup(a, pp_stmt_text(st, 23));
    b->beneficiary_first_name = pp_arena_strdup(a, pp_stmt_text(st, 24));
    b->beneficiary_last_name = pp_arena_strdup(a, pp_stmt_text(st, 25));
    b->beneficiary_email = pp_arena_strdup(a, pp_stmt_text(st, 26));
    b->beneficiary_phone = pp_arena_strdup(a, pp_stmt_text(st, 27));
    b->beneficiary_birth_date = pp_arena_strdup(a, pp_stmt_text(st, 28));
    b->beneficiary_postal_code = pp_arena_strdup(a, pp_stmt_text(st, 29));
    b->validation_author = pp_arena_strdup(a, pp_stmt_text(st, 30));
}

/* The first row of the bound BOOKING_SELECT @st into @out; releases @st. */
static enum pp_err one_booking(struct pp_stmt *st, struct pp_arena *arena, struct pp_booking *out)
{
    enum pp_step s = pp_stmt_step(st);
    if (s == PP_STEP_ROW)
        read_booking(st, arena, out);
    pp_stmt_done(st);
    return s == PP_STEP_ROW ? PP_OK : s == PP_STEP_DONE ? PP_ENOTFOUND : PP_EDB;
}

/* Every row of the bound BOOKING_SELECT @st into an arena array; releases @st. */
static enum pp_err collect_bookings(struct pp_stmt *st, struct pp_arena *arena,
                                    struct pp_booking **items, size_t *count)
{
    size_t n = 0, cap = 0;
    struct pp_booking *out = NULL;
    enum pp_step s;
    while ((s = pp_stmt_step(st)) == PP_STEP_ROW) {
        out = pp_arena_grow(arena, out, n, &cap, sizeof *out);
        read_booking(st, arena, &out[n++]);
    }
    pp_stmt_done(st);
    *items = out;
    *count = n;
    return s == PP_STEP_DONE ? PP_OK : PP_EDB;
}

enum pp_err pp_booking_get(struct pp_db *db, struct pp_arena *arena, int64_t id,
                           struct pp_booking *out)
{
    struct pp_stmt *st = pp_db_prepare(db, BOOKING_SELECT " WHERE b.id = ?");
    if (st == NULL)
        return PP_EDB;
    pp_stmt_bind_int(st, 1, id);
    return one_booking(st, arena, out);
}

enum pp_err pp_booking_find_by_token(struct pp_db *db, struct pp_arena *arena, const char *token,
                                     struct pp_booking *out)
{
    struct pp_stmt *st = pp_db_prepare(db, BOOKING_SELECT " WHERE b.token = ?");
    if (st == NULL)
        return PP_EDB;
    pp_stmt_bind_text(st, 1, token);
    return one_booking(st, arena, out);
}

enum pp_err pp_booking_list_mine(struct pp_db *db, struct pp_arena *arena, int64_t account_id,
                                 struct pp_booking **items, size_t *count)
{
    struct pp_stmt *st = pp_db_prepare(
        db, BOOKING_SELECT " WHERE b.account_id = ? ORDER BY b.created_at DESC, b.id DESC LIMIT 500");
    if (st == NULL)
        return PP_EDB;
    pp_stmt_bind_int(st, 1, account_id);
    return collect_bookings(st, arena, items, count);
}

/*
 * Cancels booking @b (already read, live) with @reason: status, places, credit, audit, and
 * the email @kind to @to when given. Inside the caller's transaction.
 */
static enum pp_err cancel_in_tx(struct pp_db *db, const struct pp_booking *b, const char *reason,
                                int64_t by, const char *channel, const char *kind,
                                const char *to)
{
    int64_t now = pp_clock_now();
    struct pp_stmt *st = pp_db_prepare(
        db, "UPDATE booking SET status = 'CANCELLED', cancelled_at = ?, cancellation_reason = ?,"
            " cancelled_by = ?, used_at = NULL WHERE id = ? AND status IN ('CONFIRMED', 'USED')"
            " RETURNING quantity * amount_cents, counts_digital");
    if (st == NULL)
        return PP_EDB;
    pp_stmt_bind_int(st, 1, now);
    pp_stmt_bind_text(st, 2, reason);
    if (by > 0)
        pp_stmt_bind_int(st, 3, by);
    else
        pp_stmt_bind_null(st, 3);
    pp_stmt_bind_int(st, 4, b->id);
    enum pp_step s = pp_stmt_step(st);
    int64_t total = s == PP_STEP_ROW ? pp_stmt_int(st, 0) : 0;
    bool digital = s == PP_STEP_ROW && pp_stmt_int(st, 1) != 0;
    bool changed = s == PP_STEP_ROW;
    while (s == PP_STEP_ROW)
        s = pp_stmt_step(st);
    pp_stmt_done(st);
    if (s != PP_STEP_DONE)
        return PP_EDB;
    if (!changed)
        return PP_EGONE; /* cancelled or reimbursed meanwhile */
    int64_t sv[2] = {b->quantity, b->stock_id};
    int64_t wv[3] = {total, digital ? total : 0, b->account_id};
    if (exec_ints(db, "UPDATE stock SET booked = booked - ? WHERE id = ?", 2, sv) != 1 ||
        exec_ints(db, "UPDATE wallet SET spent_cents = spent_cents - ?,"
                      " digital_spent_cents = digital_spent_cents - ? WHERE account_id = ?",
                  3, wv) < 0)
        return PP_EDB;
    enum pp_err rc = pp_audit_log(db, by, channel, "BOOKING_CANCELLED", "booking", b->id, reason);
    if (rc == PP_OK && kind != NULL) {
        char when[24] = "";
        if (b->beginning_at)
            pp_tz_format_fr(b->venue_timezone, b->beginning_at, when);
        rc = pp_outbox_add(db, kind, to, NULL,
                           json_pack("{s:s, s:s, s:s, s:s, s:s, s:s?, s:I, s:s, s:s}", "firstName",
                                     b->beneficiary_first_name, "lastName",
                                     b->beneficiary_last_name, "email", b->beneficiary_email,
                                     "token", b->token, "offerName", b->offer_name,
                                     "priceCategoryLabel", b->price_category_label, "quantity",
                                     (json_int_t)b->quantity, "eventDate", when, "reason",
                                     reason));
    }
    return rc;
}

static enum pp_err with_tx(struct pp_db *db, enum pp_err rc)
{
    if (rc != PP_OK) {
        pp_db_rollback(db);
        return rc;
    }
    return pp_db_commit(db);
}

/* The email address of the venue of booking @b: the offer's booking email, else the venue's. */
static const char *venue_email(struct pp_db *db, struct pp_arena *a, const struct pp_booking *b)
{
    struct pp_stmt *st = pp_db_prepare(
        db, "SELECT COALESCE(o.booking_email, v.booking_email) FROM offer o"
            " JOIN venue v ON v.id = o.venue_id WHERE o.id = ?");
    if (st == NULL)
        return NULL;
    pp_stmt_bind_int(st, 1, b->offer_id);
    const char *to = pp_stmt_step(st) == PP_STEP_ROW ? pp_arena_strdup(a, pp_stmt_text(st, 0))
                                                     : NULL;
    pp_stmt_done(st);
    return to;
}

enum pp_err pp_booking_cancel_by_beneficiary(struct pp_db *db, int64_t account_id, int64_t id,
                                             struct pp_error *e)
{
    struct pp_arena *a = pp_arena_new();
    struct pp_booking b;
    if (pp_db_begin(db) != PP_OK) {
        pp_arena_free(a);
        return PP_EDB;
    }
    enum pp_err rc = pp_booking_get(db, a, id, &b);
    if (rc == PP_OK && b.account_id != account_id)
        rc = PP_ENOTFOUND;
    if (rc == PP_OK && strcmp(b.status, "CANCELLED") == 0)
        rc = pp_error_set(e, PP_EGONE, "global", "Cette réservation a déjà été annulée.");
    else if (rc == PP_OK && strcmp(b.status, "CONFIRMED") != 0)
        rc = pp_error_set(e, PP_EGONE, "global",
                          "Cette réservation a déjà été utilisée : elle ne peut plus être annulée.");
    /* At the limit the booking is confirmed (pass Culture: limit <= now): no more cancelling. */
    else if (rc == PP_OK && b.cancellation_limit_at != 0 &&
             pp_clock_now() >= b.cancellation_limit_at)
        rc = pp_error_set(e, PP_EFORBIDDEN, "global",
                          "Impossible d'annuler une réservation plus de 48h après l'avoir "
                          "réservée et moins de 48h avant le début de l'évènement");
    if (rc == PP_OK)
        rc = cancel_in_tx(db, &b, "BENEFICIARY", account_id, PP_CHANNEL_PORTAL,
                          "VENUE_BOOKING_CANCELLED_BY_BENEFICIARY", venue_email(db, a, &b));
    pp_arena_free(a);
    return with_tx(db, rc);
}

enum pp_err pp_booking_cancel_by_offerer(struct pp_db *db, int64_t account_id,
                                         const char *channel, int64_t id, struct pp_error *e)
{
    struct pp_arena *a = pp_arena_new();
    struct pp_booking b;
    if (pp_db_begin(db) != PP_OK) {
        pp_arena_free(a);
        return PP_EDB;
    }
    enum pp_err rc = pp_booking_get(db, a, id, &b);
    if (rc == PP_OK && strcmp(b.status, "CANCELLED") == 0)
        rc = pp_error_set(e, PP_EGONE, "global", "Cette réservation a déjà été annulée.");
    else if (rc == PP_OK && strcmp(b.status, "REIMBURSED") == 0)
        rc = pp_error_set(e, PP_EGONE, "global",
                          "Cette réservation a déjà été remboursée : elle ne peut plus être "
                          "annulée.");
    else if (rc == PP_OK && strcmp(b.status, "USED") == 0)
        rc = pp_error_set(e, PP_EGONE, "global",
                          "Cette réservation a déjà été validée : elle ne peut plus être annulée.");
    if (rc == PP_OK)
        rc = cancel_in_tx(db, &b, "OFFERER", account_id, channel,
                          "BENEFICIARY_BOOKING_CANCELLED_BY_OFFERER", b.beneficiary_email);
    pp_arena_free(a);
    return with_tx(db, rc);
}

/* Cancels, inside the caller's transaction, every booking that @sql (one id bind) selects. */
static enum pp_err cancel_selected(struct pp_db *db, const char *sql, int64_t key,
                                   const char *reason, int64_t by)
{
    struct pp_arena *a = pp_arena_new();
    struct pp_stmt *st = pp_db_prepare(db, sql);
    if (st == NULL) {
        pp_arena_free(a);
        return PP_EDB;
    }
    pp_stmt_bind_int(st, 1, key);
    size_t n = 0, cap = 0;
    int64_t *ids = NULL;
    enum pp_step s;
    while ((s = pp_stmt_step(st)) == PP_STEP_ROW) {
        ids = pp_arena_grow(a, ids, n, &cap, sizeof *ids);
        ids[n++] = pp_stmt_int(st, 0);
    }
    pp_stmt_done(st);
    enum pp_err rc = s == PP_STEP_DONE ? PP_OK : PP_EDB;
    for (size_t i = 0; i < n && rc == PP_OK; i++) {
        struct pp_booking b;
        rc = pp_booking_get(db, a, ids[i], &b);
        if (rc == PP_OK)
            rc = cancel_in_tx(db, &b, reason, by, PP_CHANNEL_PORTAL,
                              "BENEFICIARY_BOOKING_CANCELLED_BY_OFFERER", b.beneficiary_email);
        if (rc == PP_EGONE)
            rc = PP_OK;
    }
    pp_arena_free(a);
    return rc;
}

enum pp_err pp_booking_cancel_for_stock(struct pp_db *db, int64_t account_id, int64_t stock_id,
                                        bool even_used)
{
    return cancel_selected(db,
                           even_used ? "SELECT id FROM booking WHERE stock_id = ?"
                                       " AND status IN ('CONFIRMED', 'USED')"
                                     : "SELECT id FROM booking WHERE stock_id = ?"
                                       " AND status = 'CONFIRMED'",
                           stock_id, "OFFERER", account_id);
}

enum pp_err pp_booking_cancel_for_offer(struct pp_db *db, int64_t account_id, int64_t offer_id,
                                        const char *reason)
{
    return cancel_selected(db,
                           "SELECT id FROM booking WHERE offer_id = ? AND status = 'CONFIRMED'",
                           offer_id, reason, account_id);
}

enum pp_err pp_booking_event_moved(struct pp_db *db, int64_t stock_id, int64_t new_start)
{
    int64_t now = pp_clock_now();
    int64_t v[2] = {pp_cancellation_limit_after_move(now, new_start), stock_id};
    if (exec_ints(db, "UPDATE booking SET cancellation_limit_at = ? WHERE stock_id = ?"
                      " AND status = 'CONFIRMED'",
                  2, v) < 0)
        return PP_EDB;
    struct pp_arena *a = pp_arena_new();
    struct pp_stmt *st = pp_db_prepare(
        db, BOOKING_SELECT " WHERE b.stock_id = ? AND b.status = 'CONFIRMED'");
    if (st == NULL) {
        pp_arena_free(a);
        return PP_EDB;
    }
    pp_stmt_bind_int(st, 1, stock_id);
    size_t n;
    struct pp_booking *list;
    enum pp_err rc = collect_bookings(st, a, &list, &n);
    for (size_t i = 0; i < n && rc == PP_OK; i++) {
        char when[24];
        pp_tz_format_fr(list[i].venue_timezone, new_start, when);
        rc = pp_outbox_add(db, "BENEFICIARY_EVENT_MOVED", list[i].beneficiary_email, NULL,
                           json_pack("{s:s, s:s, s:s, s:s}", "firstName",
                                     list[i].beneficiary_first_name, "offerName",
                                     list[i].offer_name, "token", list[i].token, "eventDate",
                                     when));
    }
    pp_arena_free(a);
    return rc;
}

enum pp_err pp_booking_offerer(struct pp_db *db, int64_t id, int64_t *offerer_id)
{
    return pp_db_query_int(db, offerer_id, "SELECT offerer_id FROM booking WHERE id = ?", 1, id);
}

#define JOB_BATCH 500
#define AUTO_USE_DELAY (48 * 3600)
/* The shortest expiry delay (books): older bookings are the candidates. */
#define MIN_EXPIRY_DAYS 10

enum pp_err pp_booking_auto_use(struct pp_db *db, int64_t now, int64_t *count)
{
    *count = 0;
    for (;;) {
        if (pp_db_begin(db) != PP_OK)
            return PP_EDB;
        /* Takes a batch and validates it in one statement: each row only from CONFIRMED. */
        struct pp_stmt *st = pp_db_prepare(
            db, "UPDATE booking SET status = 'USED', used_at = ?, validation_author = 'AUTO'"
                " WHERE id IN (SELECT b.id FROM booking b JOIN stock s ON s.id = b.stock_id"
                "  WHERE b.status = 'CONFIRMED' AND s.beginning_at IS NOT NULL"
                "  AND s.beginning_at <= ? ORDER BY b.id LIMIT ?)"
                " AND status = 'CONFIRMED' RETURNING id");
        if (st == NULL) {
            pp_db_rollback(db);
            return PP_EDB;
        }
        pp_stmt_bind_int(st, 1, now);
        pp_stmt_bind_int(st, 2, now - AUTO_USE_DELAY);
        pp_stmt_bind_int(st, 3, JOB_BATCH);
        int64_t ids[JOB_BATCH];
        int64_t n = 0;
        enum pp_step s;
        while ((s = pp_stmt_step(st)) == PP_STEP_ROW)
            if (n < JOB_BATCH)
                ids[n++] = pp_stmt_int(st, 0);
        pp_stmt_done(st);
        enum pp_err rc = s == PP_STEP_DONE ? PP_OK : PP_EDB;
        for (int64_t i = 0; i < n && rc == PP_OK; i++)
            rc = pp_audit_log(db, 0, PP_CHANNEL_JOB, "BOOKING_USED", "booking", ids[i], "AUTO");
        if (rc != PP_OK) {
            pp_db_rollback(db);
            return rc;
        }
        if (pp_db_commit(db) != PP_OK)
            return PP_EDB;
        *count += n;
        if (n < JOB_BATCH)
            return PP_OK;
    }
}

/* Candidate thing bookings still CONFIRMED, booked before @before, after id @after. */
static enum pp_err expiry_candidates(struct pp_db *db, struct pp_arena *a, int64_t before,
                                     int64_t after, bool unreminded, struct pp_booking **items,
                                     size_t *count)
{
    struct pp_stmt *st = pp_db_prepare(
        db, unreminded ? BOOKING_SELECT " WHERE b.status = 'CONFIRMED' AND s.beginning_at IS NULL"
                                        " AND b.created_at <= ? AND b.id > ?"
                                        " AND b.expiry_reminder_at IS NULL ORDER BY b.id LIMIT ?"
                       : BOOKING_SELECT " WHERE b.status = 'CONFIRMED' AND s.beginning_at IS NULL"
                                        " AND b.created_at <= ? AND b.id > ? ORDER BY b.id LIMIT ?");
    if (st == NULL)
        return PP_EDB;
    pp_stmt_bind_int(st, 1, before);
    pp_stmt_bind_int(st, 2, after);
    pp_stmt_bind_int(st, 3, JOB_BATCH);
    return collect_bookings(st, a, items, count);
}

/* Days a thing booking of @subcategory_id may wait before expiring; 0 when it never does. */
static int expiry_days(const char *subcategory_id)
{
    const struct pp_subcategory *sub = pp_subcategory_find(subcategory_id);
    return sub != NULL && sub->can_expire && !sub->is_event ? sub->expiry_days : 0;
}

enum pp_err pp_booking_expire(struct pp_db *db, int64_t now, int64_t *count)
{
    *count = 0;
    int64_t after = 0;
    for (;;) {
        struct pp_arena *a = pp_arena_new();
        struct pp_booking *list;
        size_t n;
        if (pp_db_begin(db) != PP_OK) {
            pp_arena_free(a);
            return PP_EDB;
        }
        enum pp_err rc = expiry_candidates(db, a, now - MIN_EXPIRY_DAYS * 86400, after, false,
                                           &list, &n);
        /* One email per venue address for the whole batch: {address: [bookings]}. */
        json_t *by_venue = json_object();
        for (size_t i = 0; i < n && rc == PP_OK; i++) {
            after = list[i].id;
            int days = expiry_days(list[i].subcategory_id);
            if (days == 0 || list[i].created_at + (int64_t)days * 86400 > now)
                continue;
            const char *venue_to = venue_email(db, a, &list[i]);
            rc = cancel_in_tx(db, &list[i], "EXPIRED", 0, PP_CHANNEL_JOB,
                              "BENEFICIARY_BOOKING_EXPIRED", list[i].beneficiary_email);
            if (rc == PP_OK && venue_to != NULL) {
                json_t *group = json_object_get(by_venue, venue_to);
                if (group == NULL) {
                    group = json_array();
                    json_object_set_new(by_venue, venue_to, group);
                }
                json_array_append_new(
                    group, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "firstName",
                                     list[i].beneficiary_first_name, "lastName",
                                     list[i].beneficiary_last_name, "fullName",
                                     pp_arena_printf(a, "%s %s", list[i].beneficiary_first_name,
                                                     list[i].beneficiary_last_name),
                                     "email", list[i].beneficiary_email, "token", list[i].token,
                                     "offerName", list[i].offer_name));
            }
            if (rc == PP_OK)
                (*count)++;
            else if (rc == PP_EGONE)
                rc = PP_OK; /* cancelled or used meanwhile */
        }
        const char *to;
        json_t *group;
        json_object_foreach(by_venue, to, group)
        {
            if (rc != PP_OK)
                break;
            /* The first booking's fields stand at the top for a single-booking email. */
            json_t *payload = json_deep_copy(json_array_get(group, 0));
            json_object_set(payload, "bookings", group);
            json_object_set_new(payload, "count", json_integer((json_int_t)json_array_size(group)));
            json_object_set_new(payload, "several", json_boolean(json_array_size(group) > 1));
            rc = pp_outbox_add(db, "VENUE_BOOKING_EXPIRED", to, NULL, payload);
        }
        json_decref(by_venue);
        pp_arena_free(a);
        if (rc != PP_OK) {
            pp_db_rollback(db);
            return rc;
        }
        if (pp_db_commit(db) != PP_OK)
            return PP_EDB;
        if (n < JOB_BATCH)
            return PP_OK;
    }
}

enum pp_err pp_booking_remind_expiry(struct pp_db *db, int64_t now, int64_t *count)
{
    *count = 0;
    int64_t after = 0;
    for (;;) {
        struct pp_arena *a = pp_arena_new();
        struct pp_booking *list;
        size_t n;
        if (pp_db_begin(db) != PP_OK) {
            pp_arena_free(a);
            return PP_EDB;
        }
        /* Books are reminded 5 days before their 10: the earliest reminder is at day 5. */
        enum pp_err rc = expiry_candidates(db, a, now - 5 * 86400, after, true, &list, &n);
        for (size_t i = 0; i < n && rc == PP_OK; i++) {
            after = list[i].id;
            int days = expiry_days(list[i].subcategory_id);
            int notice = strcmp(list[i].subcategory_id, "LIVRE_PAPIER") == 0 ? 5 : 7;
            int64_t expires = list[i].created_at + (int64_t)days * 86400;
            if (days == 0 || now < expires - (int64_t)notice * 86400 || now >= expires)
                continue;
            int64_t v[2] = {now, list[i].id};
            int64_t changed = exec_ints(db, "UPDATE booking SET expiry_reminder_at = ?"
                                            " WHERE id = ? AND expiry_reminder_at IS NULL",
                                        2, v);
            if (changed < 0) {
                rc = PP_EDB;
                break;
            }
            if (changed == 0)
                continue;
            char when[24];
            pp_tz_format_fr(list[i].venue_timezone, expires, when);
            rc = pp_outbox_add(db, "BENEFICIARY_BOOKING_EXPIRY_REMINDER",
                               list[i].beneficiary_email, NULL,
                               json_pack("{s:s, s:s, s:s, s:s, s:i}", "firstName",
                                         list[i].beneficiary_first_name, "offerName",
                                         list[i].offer_name, "token", list[i].token,
                                         "expirationDate", when, "daysLeft", notice));
            if (rc == PP_OK)
                (*count)++;
        }
        pp_arena_free(a);
        if (rc != PP_OK) {
            pp_db_rollback(db);
            return rc;
        }
        if (pp_db_commit(db) != PP_OK)
            return PP_EDB;
        if (n < JOB_BATCH)
            return PP_OK;
    }
}
