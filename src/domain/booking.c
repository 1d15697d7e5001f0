#include "domain/booking.h"

#include <jansson.h>
#include <string.h>

#include "core/arena.h"
#include "core/booking_check.h"
#include "core/booking_rules.h"
#include "core/categories.h"
#include "core/clock.h"
#include "core/tz.h"
#include "db/db.h"
#include "db/row.h"
#include "db/scalar.h"
#include "db/tx.h"
#include "domain/audit.h"
#include "domain/finance_event.h"
#include "domain/outbox.h"

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

#define BOOKING_SELECT                                                                             \
    "SELECT b.id, b.token, b.status, b.quantity, b.amount_cents, b.created_at,"                    \
    " b.cancellation_limit_at, b.used_at, b.cancelled_at, b.reimbursed_at,"                        \
    " b.cancellation_reason, b.account_id, b.stock_id, b.offer_id, b.venue_id, b.offerer_id,"      \
    " o.name, o.subcategory_id, b.price_category_label, s.beginning_at,"                           \
    " COALESCE(v.public_name, v.name) AS venue_name, v.timezone, o.url,"                           \
    " (SELECT code FROM activation_code ac WHERE ac.booking_id = b.id) AS code,"                   \
    " a.first_name, a.last_name, a.email, a.phone, ben.birth_date, ben.postal_code,"               \
    " b.validation_author"                                                                         \
    " FROM booking b JOIN offer o ON o.id = b.offer_id JOIN stock s ON s.id = b.stock_id"          \
    " JOIN venue v ON v.id = b.venue_id JOIN account a ON a.id = b.account_id"                     \
    " LEFT JOIN beneficiary ben ON ben.account_id = b.account_id"

static const struct pp_col booking_cols[] = PP_COLS(struct pp_booking,
    PPC_INT(id), PPC_TEXT(token), PPC_TEXT_CODE(status, status_code, pp_booking_status_names), PPC_INT(quantity), PPC_INT(amount_cents),
    PPC_INT(created_at), PPC_INT(cancellation_limit_at), PPC_INT(used_at), PPC_INT(cancelled_at),
    PPC_INT(reimbursed_at), PPC_TEXT(cancellation_reason), PPC_INT(account_id), PPC_INT(stock_id),
    PPC_INT(offer_id), PPC_INT(venue_id), PPC_INT(offerer_id), PPC_TEXT_AS(offer_name, "name"),
    PPC_TEXT(subcategory_id), PPC_TEXT(price_category_label), PPC_INT(beginning_at),
    PPC_TEXT(venue_name), PPC_TEXT_AS(venue_timezone, "timezone"), PPC_TEXT(url),
    PPC_TEXT_AS(activation_code, "code"), PPC_TEXT_AS(beneficiary_first_name, "first_name"),
    PPC_TEXT_AS(beneficiary_last_name, "last_name"), PPC_TEXT_AS(beneficiary_email, "email"),
    PPC_TEXT_AS(beneficiary_phone, "phone"), PPC_TEXT_AS(beneficiary_birth_date, "birth_date"),
    PPC_TEXT_AS(beneficiary_postal_code, "postal_code"), PPC_TEXT(validation_author));
static const struct pp_row_spec booking_row = PP_ROW_SPEC(struct pp_booking, booking_cols, NULL);

/* The bookings of BOOKING_SELECT @where with integer @key bound, into an arena array. */
static enum pp_err select_bookings(struct pp_db *db, struct pp_arena *arena, const char *sql,
                                   int64_t key, struct pp_booking **items, size_t *count)
{
    return PP_COLLECT(db, arena, &booking_row, items, count, sql, PP_INT(key));
}

enum pp_err pp_booking_get(struct pp_db *db, struct pp_arena *arena, int64_t id,
                           struct pp_booking *out)
{
    return PP_FETCH(db, arena, &booking_row, out, BOOKING_SELECT " WHERE b.id = ?", PP_INT(id));
}

enum pp_err pp_booking_find_by_token(struct pp_db *db, struct pp_arena *arena, const char *token,
                                     int64_t account_id, int64_t offerer_id,
                                     struct pp_booking *out)
{
    /* The reach in the same statement as the booking: one indexed read per look-up instead
     * of the booking and then pp_authz_offerer's membership (the same rule: a VALIDATED
     * user_offerer row, through its unique (account_id, offerer_id) index). */
    if (offerer_id != 0)
        return PP_FETCH(db, arena, &booking_row, out,
                        BOOKING_SELECT " WHERE b.token = ? AND b.offerer_id = ?", PP_TEXT(token),
                        PP_INT(offerer_id));
    return PP_FETCH(db, arena, &booking_row, out,
                    BOOKING_SELECT " WHERE b.token = ? AND EXISTS (SELECT 1 FROM user_offerer uo"
                                   " WHERE uo.account_id = ? AND uo.offerer_id = b.offerer_id"
                                   " AND uo.status = 'VALIDATED')",
                    PP_TEXT(token), PP_INT(account_id));
}

enum pp_err pp_booking_list_mine(struct pp_db *db, struct pp_arena *arena, int64_t account_id,
                                 struct pp_booking **items, size_t *count)
{
    return select_bookings(db, arena,
                           BOOKING_SELECT " WHERE b.account_id = ?"
                                          " ORDER BY b.created_at DESC, b.id DESC LIMIT 500",
                           account_id, items, count);
}

/* What a cancelled booking gives back. */
struct refund {
    int64_t total;
    bool digital;
};
static const struct pp_col refund_cols[] = PP_COLS(struct refund,
    PPC_INT(total), PPC_BOOL_AS(digital, "counts_digital"));
static const struct pp_row_spec refund_row = PP_ROW_SPEC(struct refund, refund_cols, NULL);

/* The email @kind to @to about cancelled booking @b. */
static enum pp_err tell_cancelled(struct pp_db *db, const struct pp_booking *b,
                                  const char *reason, const char *kind, const char *to)
{
    char when[24] = "";
    if (b->beginning_at)
        pp_tz_format_fr(b->venue_timezone, b->beginning_at, when);
    return pp_outbox_add(db, kind, to, NULL,
                         json_pack("{s:s, s:s, s:s, s:s, s:s, s:s?, s:I, s:s, s:s}", "firstName",
                                   b->beneficiary_first_name, "lastName", b->beneficiary_last_name,
                                   "email", b->beneficiary_email, "token", b->token, "offerName",
                                   b->offer_name, "priceCategoryLabel", b->price_category_label,
                                   "quantity", (json_int_t)b->quantity, "eventDate", when,
                                   "reason", reason));
}

/*
 * Cancels booking @b (already read, live) with @reason: status, places, credit, audit, and
 * the email @kind to @to when given. Inside the caller's transaction.
 */
static enum pp_err cancel_in_tx(struct pp_db *db, const struct pp_booking *b, const char *reason,
                                int64_t by, const char *channel, const char *kind,
                                const char *to)
{
    struct refund r; /* numbers only: no arena to copy text into */
    enum pp_err rc = PP_FETCH(db, NULL, &refund_row, &r,
        "UPDATE booking SET status = 'CANCELLED', cancelled_at = ?, cancellation_reason = ?,"
        " cancelled_by = ?, used_at = NULL WHERE id = ? AND status IN ('CONFIRMED', 'USED')"
        " RETURNING quantity * amount_cents AS total, counts_digital",
        PP_INT(pp_clock_now()), PP_TEXT(reason), PP_INT_OR_NULL(by > 0 ? by : 0), PP_INT(b->id));
    if (rc == PP_ENOTFOUND)
        return PP_EGONE; /* cancelled or reimbursed meanwhile */
    if (rc != PP_OK)
        return rc;
    int64_t sv[2] = {b->quantity, b->stock_id};
    int64_t wv[3] = {r.total, r.digital ? r.total : 0, b->account_id};
    if (exec_ints(db, "UPDATE stock SET booked = booked - ? WHERE id = ?", 2, sv) != 1 ||
        exec_ints(db, "UPDATE wallet SET spent_cents = spent_cents - ?,"
                      " digital_spent_cents = digital_spent_cents - ? WHERE account_id = ?",
                  3, wv) < 0)
        return PP_EDB;
    /* A used booking cancelled (its date deleted) takes its unpaid pricing with it. */
    if (b->status_code == PP_BOOKING_USED && (rc = pp_finance_booking_unused(db, b->id)) != PP_OK)
        return rc;
    rc = pp_audit_log(db, by, channel, "BOOKING_CANCELLED", "booking", b->id, reason);
    if (rc == PP_OK && kind != NULL)
        rc = tell_cancelled(db, b, reason, kind, to);
    return rc;
}

/* The email address of the venue of booking @b: the offer's booking email, else the venue's. */
static const char *venue_email(struct pp_db *db, struct pp_arena *a, const struct pp_booking *b)
{
    struct pp_stmt *st = PP_BIND(
        db, "SELECT COALESCE(o.booking_email, v.booking_email) FROM offer o"
            " JOIN venue v ON v.id = o.venue_id WHERE o.id = ?",
            PP_INT(b->offer_id));
    if (st == NULL)
        return NULL;
    const char *to = pp_stmt_step(st) == PP_STEP_ROW ? pp_arena_strdup(a, pp_stmt_text(st, 0))
                                                     : NULL;
    pp_stmt_done(st);
    return to;
}

/*
 * Booking @id cancelled in its own transaction, by its beneficiary @account_id (only their
 * own, within the limit) or by the venue (pro @account_id, whose right the caller checked).
 */
static enum pp_err cancel_one(struct pp_db *db, int64_t account_id, const char *channel,
                              int64_t id, bool by_beneficiary, struct pp_error *e)
{
    struct pp_arena *a = pp_arena_new();
    struct pp_booking b;
    if (pp_db_begin(db) != PP_OK) {
        pp_arena_free(a);
        return PP_EDB;
    }
    enum pp_err rc = pp_booking_get(db, a, id, &b);
    if (rc == PP_OK && by_beneficiary && b.account_id != account_id)
        rc = PP_ENOTFOUND;
    if (rc == PP_OK)
        rc = by_beneficiary ? pp_booking_check_cancel_by_beneficiary(
                                  b.status_code, b.cancellation_limit_at, pp_clock_now(), e)
                            : pp_booking_check_cancel_by_offerer(b.status_code, e);
    if (rc == PP_OK && by_beneficiary)
        rc = cancel_in_tx(db, &b, "BENEFICIARY", account_id, channel,
                          "VENUE_BOOKING_CANCELLED_BY_BENEFICIARY", venue_email(db, a, &b));
    else if (rc == PP_OK)
        rc = cancel_in_tx(db, &b, "OFFERER", account_id, channel,
                          "BENEFICIARY_BOOKING_CANCELLED_BY_OFFERER", b.beneficiary_email);
    pp_arena_free(a);
    return pp_tx_end(db, rc);
}

enum pp_err pp_booking_cancel_by_beneficiary(struct pp_db *db, int64_t account_id, int64_t id,
                                             struct pp_error *e)
{
    return cancel_one(db, account_id, PP_CHANNEL_PORTAL, id, true, e);
}

enum pp_err pp_booking_cancel_by_offerer(struct pp_db *db, int64_t account_id,
                                         const char *channel, int64_t id, struct pp_error *e)
{
    return cancel_one(db, account_id, channel, id, false, e);
}

/* Cancels, inside the caller's transaction, every booking that @sql (one id bind) selects. */
static enum pp_err cancel_selected(struct pp_db *db, const char *sql, int64_t key,
                                   const char *reason, int64_t by)
{
    struct pp_arena *a = pp_arena_new();
    struct pp_stmt *st = PP_BIND(db, sql, PP_INT(key));
    int64_t *ids;
    size_t n;
    enum pp_err rc = pp_scalar_ints(st, a, &ids, &n);
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
    size_t n;
    struct pp_booking *list;
    enum pp_err rc = select_bookings(
        db, a, BOOKING_SELECT " WHERE b.stock_id = ? AND b.status = 'CONFIRMED'", stock_id,
        &list, &n);
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
        struct pp_stmt *st = PP_BIND(
            db, "UPDATE booking SET status = 'USED', used_at = ?, validation_author = 'AUTO'"
                " WHERE id IN (SELECT b.id FROM booking b JOIN stock s ON s.id = b.stock_id"
                "  WHERE b.status = 'CONFIRMED' AND s.beginning_at IS NOT NULL"
                "  AND s.beginning_at <= ? ORDER BY b.id LIMIT ?)"
                " AND status = 'CONFIRMED' RETURNING id",
                PP_INT(now), PP_INT(now - AUTO_USE_DELAY), PP_INT(JOB_BATCH));
        struct pp_arena *a = pp_arena_new();
        int64_t *ids;
        size_t n;
        enum pp_err rc = pp_scalar_ints(st, a, &ids, &n);
        for (size_t i = 0; i < n && rc == PP_OK; i++) {
            rc = pp_audit_log(db, 0, PP_CHANNEL_JOB, "BOOKING_USED", "booking", ids[i], "AUTO");
            if (rc == PP_OK)
                rc = pp_finance_booking_used(db, ids[i], now);
        }
        pp_arena_free(a);
        if ((rc = pp_tx_end(db, rc)) != PP_OK)
            return rc;
        *count += (int64_t)n;
        if (n < JOB_BATCH)
            return PP_OK;
    }
}

/* Candidate thing bookings still CONFIRMED, booked before @before, after id @after. */
static enum pp_err expiry_candidates(struct pp_db *db, struct pp_arena *a, int64_t before,
                                     int64_t after, bool unreminded, struct pp_booking **items,
                                     size_t *count)
{
#define CANDIDATES                                                                                \
    BOOKING_SELECT " WHERE b.status = 'CONFIRMED' AND s.beginning_at IS NULL"                     \
                   " AND b.created_at <= ? AND b.id > ?"
    const char *sql = unreminded
                          ? CANDIDATES " AND b.expiry_reminder_at IS NULL ORDER BY b.id LIMIT ?"
                          : CANDIDATES " ORDER BY b.id LIMIT ?";
#undef CANDIDATES
    return PP_COLLECT(db, a, &booking_row, items, count, sql, PP_INT(before), PP_INT(after),
                      PP_INT(JOB_BATCH));
}

/* What a batch job does with one batch of candidates, inside the batch's transaction. */
typedef enum pp_err (*batch_fn)(struct pp_db *db, struct pp_arena *a,
                                const struct pp_booking *list, size_t n, int64_t now,
                                int64_t *count);

/*
 * Runs @fn over the expiry candidates booked before @before (@unreminded: not yet reminded),
 * a batch per transaction, until a batch is not full.
 */
static enum pp_err expiry_batches(struct pp_db *db, int64_t now, int64_t before, bool unreminded,
                                  batch_fn fn, int64_t *count)
{
    *count = 0;
    int64_t after = 0;
    for (;;) {
        if (pp_db_begin(db) != PP_OK)
            return PP_EDB;
        struct pp_arena *a = pp_arena_new();
        struct pp_booking *list;
        size_t n;
        enum pp_err rc = expiry_candidates(db, a, before, after, unreminded, &list, &n);
        if (rc == PP_OK && n > 0)
            after = list[n - 1].id;
        if (rc == PP_OK)
            rc = fn(db, a, list, n, now, count);
        pp_arena_free(a);
        if ((rc = pp_tx_end(db, rc)) != PP_OK)
            return rc;
        if (n < JOB_BATCH)
            return PP_OK;
    }
}

/* Adds expired booking @b to the group of venue address @to in @by_venue ({to: [...]}). */
static void group_for_venue(json_t *by_venue, struct pp_arena *a, const char *to,
                            const struct pp_booking *b)
{
    json_t *group = json_object_get(by_venue, to);
    if (group == NULL) {
        group = json_array();
        json_object_set_new(by_venue, to, group);
    }
    json_array_append_new(
        group, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "firstName", b->beneficiary_first_name,
                         "lastName", b->beneficiary_last_name, "fullName",
                         pp_arena_printf(a, "%s %s", b->beneficiary_first_name,
                                         b->beneficiary_last_name),
                         "email", b->beneficiary_email, "token", b->token, "offerName",
                         b->offer_name));
}

/* One email per venue address of @by_venue, listing its expired bookings. */
static enum pp_err tell_venues_expired(struct pp_db *db, json_t *by_venue)
{
    const char *to;
    json_t *group;
    enum pp_err rc = PP_OK;
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
    return rc;
}

static enum pp_err expire_batch(struct pp_db *db, struct pp_arena *a,
                                const struct pp_booking *list, size_t n, int64_t now,
                                int64_t *count)
{
    /* One email per venue address for the whole batch: {address: [bookings]}. */
    json_t *by_venue = json_object();
    enum pp_err rc = PP_OK;
    for (size_t i = 0; i < n && rc == PP_OK; i++) {
        if (!pp_booking_check_expired(list[i].subcategory_id, list[i].created_at, now))
            continue;
        const char *venue_to = venue_email(db, a, &list[i]);
        rc = cancel_in_tx(db, &list[i], "EXPIRED", 0, PP_CHANNEL_JOB,
                          "BENEFICIARY_BOOKING_EXPIRED", list[i].beneficiary_email);
        if (rc == PP_OK && venue_to != NULL)
            group_for_venue(by_venue, a, venue_to, &list[i]);
        if (rc == PP_OK)
            (*count)++;
        else if (rc == PP_EGONE)
            rc = PP_OK; /* cancelled or used meanwhile */
    }
    if (rc == PP_OK)
        rc = tell_venues_expired(db, by_venue);
    json_decref(by_venue);
    return rc;
}

enum pp_err pp_booking_expire(struct pp_db *db, int64_t now, int64_t *count)
{
    return expiry_batches(db, now, now - MIN_EXPIRY_DAYS * 86400, false, expire_batch, count);
}

static enum pp_err remind_batch(struct pp_db *db, struct pp_arena *a,
                                const struct pp_booking *list, size_t n, int64_t now,
                                int64_t *count)
{
    (void)a;
    enum pp_err rc = PP_OK;
    for (size_t i = 0; i < n && rc == PP_OK; i++) {
        int64_t expires;
        int notice;
        if (!pp_booking_check_reminder(list[i].subcategory_id, list[i].created_at, now,
                                       &expires, &notice))
            continue;
        int64_t v[2] = {now, list[i].id};
        int64_t changed = exec_ints(db, "UPDATE booking SET expiry_reminder_at = ?"
                                        " WHERE id = ? AND expiry_reminder_at IS NULL",
                                    2, v);
        if (changed < 0)
            return PP_EDB;
        if (changed == 0)
            continue;
        char when[24];
        pp_tz_format_fr(list[i].venue_timezone, expires, when);
        rc = pp_outbox_add(db, "BENEFICIARY_BOOKING_EXPIRY_REMINDER", list[i].beneficiary_email,
                           NULL,
                           json_pack("{s:s, s:s, s:s, s:s, s:i}", "firstName",
                                     list[i].beneficiary_first_name, "offerName",
                                     list[i].offer_name, "token", list[i].token,
                                     "expirationDate", when, "daysLeft", notice));
        if (rc == PP_OK)
            (*count)++;
    }
    return rc;
}

enum pp_err pp_booking_remind_expiry(struct pp_db *db, int64_t now, int64_t *count)
{
    /* Books are reminded 5 days before their 10: the earliest reminder is at day 5. */
    return expiry_batches(db, now, now - 5 * 86400, true, remind_batch, count);
}
