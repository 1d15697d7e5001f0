#ifndef PP_CORE_BOOKING_CHECK_H
#define PP_CORE_BOOKING_CHECK_H

#include <stdbool.h>
#include <stdint.h>

#include "core/categories.h"
#include "core/error.h"
#include "core/status.h"

/**
 * The decisions of the booking engine (RULES §3 and §4), as pure functions: may this stock be
 * booked, does the credit allow it, may this booking be cancelled, is it due to expire or to
 * be reminded. Each refusal is returned as its code with the French message appended to @e
 * (which may be NULL); PP_OK when allowed. Statuses are the database words (CONFIRMED, USED,
 * CANCELLED, REIMBURSED). Times are Unix seconds, money integer cents.
 */

/** What the checks need to know of a stock and its offer. */
struct pp_bookable {
    bool listed;                /**< not deleted, and the offer is APPROVED */
    bool active, duo;           /**< the offer's flags */
    int64_t price_cents;
    int64_t quantity;           /**< negative: unlimited */
    int64_t booked;
    int64_t beginning_at;       /**< 0 for things */
    int64_t booking_limit_at;   /**< 0 when none */
    int64_t codes_left;         /**< -1 when the stock has no activation codes */
    const struct pp_subcategory *sub;
};

/**
 * Who may book @b at all, in RULES §3's order: an offer not listed is PP_ENOTFOUND; a
 * subcategory a minor (@age below 18) may not book at that price, or a paid offer for a
 * free-only credit, PP_EFORBIDDEN.
 */
enum pp_err pp_booking_check_allowed(const struct pp_bookable *b, int age, bool free_only,
                                     struct pp_error *e);

/**
 * Whether @quantity places of @b can be booked at @now, in RULES §3's order: 1 place (1 or 2
 * for a Duo) else PP_EVALIDATION; an inactive offer, a passed booking limit or start
 * PP_EVALIDATION; too few places left PP_ECONFLICT; no activation code left PP_EVALIDATION.
 */
enum pp_err pp_booking_check_places(const struct pp_bookable *b, int64_t quantity, int64_t now,
                                    struct pp_error *e);

/** A wallet as the credit check sees it. */
struct pp_booking_credit {
    int64_t balance_cents;
    int64_t digital_remaining_cents; /**< -1 when no digital cap applies */
    int64_t expires_at;
};

/**
 * Whether credit @c pays @total at @now (PP_EVALIDATION otherwise): a paid booking with an
 * expired credit, a balance too low, or past the digital cap when @digital.
 */
enum pp_err pp_booking_check_credit(const struct pp_booking_credit *c, int64_t total,
                                    bool digital, int64_t now, struct pp_error *e);

/** Whether a booking of @b is used as soon as made: it hands a code, or is a free pass. */
bool pp_booking_check_used_at_booking(const struct pp_bookable *b);

/**
 * Whether the beneficiary may cancel a booking in @status with cancellation limit @limit (0
 * for things) at @now: CANCELLED or not CONFIRMED is PP_EGONE; at or past the limit
 * PP_EFORBIDDEN (from the limit on, the booking is confirmed).
 */
enum pp_err pp_booking_check_cancel_by_beneficiary(enum pp_booking_status status, int64_t limit,
                                                   int64_t now, struct pp_error *e);

/** Whether the venue may cancel a booking in @status: CANCELLED, REIMBURSED, USED are PP_EGONE. */
enum pp_err pp_booking_check_cancel_by_offerer(enum pp_booking_status status,
                                               struct pp_error *e);

/**
 * Days a CONFIRMED booking of subcategory @subcategory_id may wait before it expires (RULES §4:
 * things that can expire, 30 days, 10 for LIVRE_PAPIER); 0 when it never does.
 */
int pp_booking_check_expiry_days(const char *subcategory_id);

/** Whether a booking of @subcategory_id made at @created_at has expired at @now. */
bool pp_booking_check_expired(const char *subcategory_id, int64_t created_at, int64_t now);

/**
 * Whether a booking of @subcategory_id made at @created_at is due for its expiry reminder at
 * @now: from 7 days (books: 5) before the expiry until the expiry. When due, *expires_at and
 * *days_left receive the expiry and that notice.
 */
bool pp_booking_check_reminder(const char *subcategory_id, int64_t created_at, int64_t now,
                             int64_t *expires_at, int *days_left);

#endif
