/*
 * Making a booking (RULES §3): the stock read once inside the transaction, the checks in
 * their order (core/booking_check), the conditional writes that make overselling and
 * overspending impossible, the countermark, the emails and the audit entry. The rest of the
 * bookings' life (reading, cancelling, the jobs) is domain/booking.c's.
 */
#include "domain/booking.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/booking_check.h"
#include "core/booking_rules.h"
#include "core/categories.h"
#include "core/clock.h"
#include "core/money.h"
#include "core/tz.h"
#include "db/db.h"
#include "db/row.h"
#include "domain/audit.h"
#include "domain/finance_event.h"
#include "domain/beneficiary.h"
#include "domain/outbox.h"
#include "db/tx.h"

#define TOKEN_TRIES 20

/* Everything the checks need about a stock, read once inside the transaction. */
struct target {
    int64_t stock_id, offer_id, venue_id, offerer_id;
    struct pp_bookable b;
    bool deleted;
    const char *validation, *subcategory_id, *offer_name, *url, *label;
    const char *offer_booking_email, *venue_booking_email, *venue_name, *timezone;
    const char *withdrawal_details;
    int64_t codes_total, codes_free;
};

static void target_finish(void *row, struct pp_arena *a)
{
    (void)a;
    struct target *t = row;
    t->b.listed = !t->deleted && t->validation != NULL && strcmp(t->validation, "APPROVED") == 0;
    t->b.codes_left = t->codes_total > 0 ? t->codes_free : -1;
    t->b.sub = pp_subcategory_find(t->subcategory_id);
}

static const struct pp_col target_cols[] = PP_COLS(struct target,
    PPC_INT_AS(stock_id, "id"), PPC_INT(offer_id), PPC_INT(venue_id), PPC_INT(offerer_id),
    PPC_INT_AS(b.price_cents, "price_cents"), PPC_INT_OR_AS(b.quantity, "quantity", -1),
    PPC_INT_AS(b.booked, "booked"), PPC_INT_AS(b.beginning_at, "beginning_at"),
    PPC_INT_AS(b.booking_limit_at, "booking_limit_at"), PPC_BOOL_AS(deleted, "is_deleted"),
    PPC_BOOL_AS(b.active, "is_active"), PPC_BOOL_AS(b.duo, "is_duo"), PPC_TEXT(validation),
    PPC_TEXT(subcategory_id), PPC_TEXT_AS(offer_name, "name"), PPC_TEXT(url), PPC_TEXT(label),
    PPC_TEXT(offer_booking_email), PPC_TEXT(venue_booking_email), PPC_TEXT(venue_name),
    PPC_TEXT(timezone), PPC_TEXT(withdrawal_details), PPC_INT(codes_total), PPC_INT(codes_free));
static const struct pp_row_spec target_row = PP_ROW_SPEC(struct target, target_cols, target_finish);

static enum pp_err load_target(struct pp_db *db, struct pp_arena *a, int64_t stock_id,
                               struct target *t)
{
    enum pp_err rc = PP_FETCH(db, a, &target_row, t,
        "SELECT s.id, s.offer_id, o.venue_id, v.offerer_id, s.price_cents, s.quantity,"
        " s.booked, s.beginning_at, s.booking_limit_at, s.is_deleted, o.is_active, o.is_duo,"
        " o.validation, o.subcategory_id, o.name, o.url, pc.label,"
        " o.booking_email AS offer_booking_email, v.booking_email AS venue_booking_email,"
        " COALESCE(v.public_name, v.name) AS venue_name, v.timezone, o.withdrawal_details,"
        " (SELECT COUNT(*) FROM activation_code ac WHERE ac.stock_id = s.id) AS codes_total,"
        " (SELECT COUNT(*) FROM activation_code ac WHERE ac.stock_id = s.id"
        "   AND ac.booking_id IS NULL) AS codes_free"
        " FROM stock s JOIN offer o ON o.id = s.offer_id JOIN venue v ON v.id = o.venue_id"
        " LEFT JOIN price_category pc ON pc.id = s.price_category_id WHERE s.id = ?",
        PP_INT(stock_id));
    return rc == PP_OK && t->b.sub == NULL ? PP_EINTERNAL : rc;
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
    pp_money_format_price(t->b.price_cents, price);
    pp_money_format_price(t->b.price_cents * quantity, total);
    pp_tz_format_fr(t->timezone, booked_at, when);
    json_t *p = json_pack(
        "{s:s, s:s, s:s, s:s?, s:s, s:s, s:s?, s:s, s:I, s:s, s:s, s:b, s:b, s:s, s:s?}",
        "firstName", u->first_name, "lastName", u->last_name, "email", u->email, "phone", phone,
        "token", token, "offerName", t->offer_name, "priceCategoryLabel", t->label, "venueName",
        t->venue_name, "quantity", (json_int_t)quantity, "price", price, "total", total,
        "isEvent", t->b.sub->is_event, "isPaid", t->b.price_cents > 0, "bookedAt", when,
        "withdrawalDetails", t->withdrawal_details);
    json_object_set_new(p, "eventDate", event_fields(t->timezone, t->b.beginning_at));
    /* Used at booking (activation code, free subscription): nothing to do at the counter. */
    json_object_set_new(p, "isUsed", json_boolean(used));
    if (!t->b.sub->is_event && t->b.sub->can_expire)
        json_object_set_new(p, "withdrawalDays", json_integer(t->b.sub->expiry_days));
    return p;
}

/* The checks of RULES §3 before any write, in order; the first failure is returned. */
static enum pp_err check_bookable(struct pp_db *db, const struct target *t, int64_t account_id,
                                  int age, bool free_only, int64_t quantity, int64_t now,
                                  struct pp_error *e)
{
    enum pp_err rc = pp_booking_check_allowed(&t->b, age, free_only, e);
    if (rc != PP_OK)
        return rc;
    int64_t already;
    rc = pp_db_query_int(
        db, &already,
        "SELECT COUNT(*) FROM booking WHERE account_id = ? AND offer_id = ?"
        " AND status <> 'CANCELLED'",
        2, account_id, t->offer_id);
    if (rc != PP_OK)
        return rc;
    if (already > 0)
        return pp_error_set(e, PP_ECONFLICT, "global", "Cette offre a déjà été réservée.");
    return pp_booking_check_places(&t->b, quantity, now, e);
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
        int64_t limit = pp_cancellation_limit(now, t->b.beginning_at);
        pp_stmt_bind_text(st, 1, token);
        pp_stmt_bind_int(st, 2, account_id);
        pp_stmt_bind_int(st, 3, t->stock_id);
        pp_stmt_bind_int(st, 4, t->offer_id);
        pp_stmt_bind_int(st, 5, t->venue_id);
        pp_stmt_bind_int(st, 6, t->offerer_id);
        pp_stmt_bind_int(st, 7, quantity);
        pp_stmt_bind_int(st, 8, t->b.price_cents);
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

/* The beneficiary as the booking sees them: birth date and phone. */
struct booker {
    const char *birth_date, *phone;
};
static const struct pp_col booker_cols[] = PP_COLS(struct booker,
    PPC_TEXT(birth_date), PPC_TEXT(phone));
static const struct pp_row_spec booker_row = PP_ROW_SPEC(struct booker, booker_cols, NULL);

/* Age at @now and phone of beneficiary @account_id; PP_EFORBIDDEN without a birth date. */
static enum pp_err read_booker(struct pp_db *db, struct pp_arena *a, int64_t account_id,
                               int64_t now, int *age, const char **phone, struct pp_error *e)
{
    struct pp_stmt *st = PP_BIND(
        db, "SELECT b.birth_date, a.phone FROM beneficiary b JOIN account a ON a.id = b.account_id"
            " WHERE b.account_id = ?",
            PP_INT(account_id));
    struct booker r = {NULL, NULL};
    enum pp_err rc = pp_row_fetch(st, a, &booker_row, &r);
    if (rc != PP_OK && rc != PP_ENOTFOUND)
        return rc;
    char birth[11];
    snprintf(birth, sizeof birth, "%s", r.birth_date ? r.birth_date : "");
    int y, m, d;
    if (!pp_clock_parse_date(birth, &y, &m, &d))
        return pp_error_set(e, PP_EFORBIDDEN, "global",
                            "Votre compte ne vous permet pas de faire de réservation.");
    *age = pp_age_at(y, m, d, now);
    *phone = r.phone;
    return PP_OK;
}

/* What the user is told when a conditional write cannot be made. */
struct refusal {
    enum pp_err code;
    const char *field;
    const char *message;
};

/*
 * Runs the UPDATE @sql with integer binds @v, which must change exactly one row (@exists_sql
 * finds row @id when it does not). A write refused, its row missing or not in the state it
 * needs, is answered with @no; other errors are returned as they are.
 */
static enum pp_err update_one(struct pp_db *db, const char *sql, int n, const int64_t *v,
                              const char *exists_sql, int64_t id, struct pp_error *e,
                              struct refusal no)
{
    struct pp_stmt *st = pp_db_prepare(db, sql);
    for (int i = 0; st != NULL && i < n; i++)
        pp_stmt_bind_int(st, i + 1, v[i]);
    enum pp_err rc = pp_row_update_one(db, st, exists_sql, id);
    if (rc == PP_ECONFLICT || rc == PP_ENOTFOUND)
        return pp_error_set(e, no.code, no.field, no.message);
    return rc;
}

/* The writes: each is conditional, so that no interleaving oversells or overspends. */
static enum pp_err take_place_and_credit(struct pp_db *db, const struct target *t,
                                         int64_t account_id, int64_t quantity, bool digital,
                                         int64_t now, struct pp_error *e)
{
    int64_t total = t->b.price_cents * quantity;
    int64_t v[3] = {quantity, t->stock_id, quantity};
    enum pp_err rc = update_one(
        db,
        "UPDATE stock SET booked = booked + ? WHERE id = ? AND is_deleted = 0"
        " AND (quantity IS NULL OR booked + ? <= quantity)",
        3, v, "SELECT 1 FROM stock WHERE id = ?", t->stock_id, e,
        (struct refusal){PP_ECONFLICT, "stockId",
                         "Il n'y a plus assez de places disponibles pour cette date."});
    if (rc != PP_OK)
        return rc;
    /* A free booking needs no credit, even an expired one. */
    int64_t wv[7] = {total, digital ? total : 0, account_id, total, now, total,
                     digital ? total : 0};
    return update_one(
        db,
        "UPDATE wallet SET spent_cents = spent_cents + ?,"
        " digital_spent_cents = digital_spent_cents + ?"
        " WHERE account_id = ? AND (? = 0 OR expires_at > ?)"
        " AND spent_cents + ? <= amount_cents AND digital_spent_cents + ? <= 10000",
        7, wv, "SELECT 1 FROM wallet WHERE account_id = ?", account_id, e,
        (struct refusal){PP_EVALIDATION, "global",
                         "Le solde de votre pass est insuffisant pour réserver cette offre."});
}

/* Hands the next free activation code of stock @stock_id to booking @id. */
static enum pp_err hand_code(struct pp_db *db, int64_t id, int64_t stock_id, struct pp_error *e)
{
    int64_t v[2] = {id, stock_id};
    return update_one(
        db,
        "UPDATE activation_code SET booking_id = ? WHERE id = (SELECT id"
        " FROM activation_code WHERE stock_id = ? AND booking_id IS NULL ORDER BY id LIMIT 1)",
        2, v, "SELECT 1 FROM stock WHERE id = ?", stock_id, e,
        (struct refusal){PP_EVALIDATION, "stockId",
                         "Ce stock ne contient plus de code d'activation disponible."});
}

/* The emails of new booking @id, to the venue (its very first booking gets the welcome
 * version) and to the beneficiary, and its audit entry; all in the caller's transaction. */
static enum pp_err announce_booking(struct pp_db *db, const struct target *t,
                                    const struct pp_user *u, const char *phone, const char *token,
                                    int64_t quantity, int64_t now, bool used, int64_t id)
{
    int64_t venue_bookings = 0;
    enum pp_err rc;
    /* Counts no further than two: a museum's 100,000th booking must not read the 99,999 others
     * to learn that it is not the first. */
    if ((rc = pp_db_query_int(db, &venue_bookings,
                              "SELECT COUNT(*) FROM (SELECT 1 FROM booking WHERE venue_id = ?"
                              " LIMIT 2) AS first_two",
                              1, t->venue_id)) != PP_OK)
        return rc;
    bool first = venue_bookings == 1 && t->venue_booking_email != NULL;
    const char *venue_to = first ? t->venue_booking_email
                                 : (t->offer_booking_email ? t->offer_booking_email
                                                           : t->venue_booking_email);
    if ((rc = pp_outbox_add(db, first ? "VENUE_FIRST_BOOKING" : "VENUE_NEW_BOOKING", venue_to,
                            u->email, booking_payload(t, u, phone, token, quantity, now, used))) !=
            PP_OK ||
        (rc = pp_outbox_add(db, "BENEFICIARY_BOOKING_CONFIRMATION", u->email, NULL,
                            booking_payload(t, u, phone, token, quantity, now, used))) != PP_OK)
        return rc;
    if (used && (rc = pp_finance_booking_used(db, id, now)) != PP_OK)
        return rc;
    return pp_audit_log(db, u->id, PP_CHANNEL_PORTAL, "BOOKING_CREATED", "booking", id,
                        used ? "USED" : NULL);
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
    int age = 0;
    const char *phone = NULL;
    if ((rc = read_booker(db, a, u->id, now, &age, &phone, e)) != PP_OK ||
        (rc = pp_wallet_refresh(db, u->id, now, &w)) != PP_OK ||
        (rc = check_bookable(db, &t, u->id, age, w.free_only, quantity, now, e)) != PP_OK)
        return rc;
    bool digital = t.url != NULL && t.b.sub->cap == PP_CAP_DIGITAL;
    struct pp_booking_credit credit = {w.balance_cents, w.digital_remaining_cents, w.expires_at};
    if ((rc = pp_booking_check_credit(&credit, t.b.price_cents * quantity, digital, now, e)) !=
            PP_OK ||
        (rc = take_place_and_credit(db, &t, u->id, quantity, digital, now, e)) != PP_OK)
        return rc;
    bool used = pp_booking_check_used_at_booking(&t.b);
    char token[PP_TOKEN_LEN + 1];
    int64_t id;
    rc = insert_booking(db, &t, u->id, quantity, digital, now, used, token, &id);
    if (rc == PP_ECONFLICT)
        return pp_error_set(e, PP_ECONFLICT, "global", "Cette offre a déjà été réservée.");
    if (rc != PP_OK)
        return rc;
    if (t.b.codes_left > 0 && (rc = hand_code(db, id, stock_id, e)) != PP_OK)
        return rc;
    if ((rc = announce_booking(db, &t, u, phone, token, quantity, now, used, id)) != PP_OK)
        return rc;
    return pp_booking_get(db, a, id, out);
}

enum pp_err pp_booking_create(struct pp_db *db, struct pp_arena *arena, const struct pp_user *user,
                              int64_t stock_id, int64_t quantity, struct pp_booking *out,
                              struct pp_error *e)
{
    if (pp_db_begin(db) != PP_OK)
        return PP_EDB;
    return pp_tx_end(db, book_in_tx(db, arena, user, stock_id, quantity, pp_clock_now(), out,
                                       e));
}
