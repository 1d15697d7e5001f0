#ifndef PP_DOMAIN_BOOKING_H
#define PP_DOMAIN_BOOKING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/status.h"
#include "domain/account.h"

struct pp_db;
struct pp_arena;

/**
 * Bookings (RULES §3): made by beneficiaries with their credit, exact under concurrency.
 * Every state change is one transaction holding the booking row, the stock's booked count,
 * the wallet, the outbox emails and the audit entry. Strings live in the caller's arena.
 */

struct pp_booking {
    int64_t id;
    const char *token;
    const char *status;           /**< CONFIRMED, USED, CANCELLED, REIMBURSED */
    enum pp_booking_status status_code; /**< @status parsed where the row is read */
    int64_t quantity;
    int64_t amount_cents;         /**< unit price at booking time */
    int64_t created_at;
    int64_t cancellation_limit_at;/**< 0 for things */
    int64_t used_at, cancelled_at, reimbursed_at;
    const char *cancellation_reason;
    int64_t account_id;
    int64_t stock_id, offer_id, venue_id, offerer_id;
    const char *offer_name;
    const char *subcategory_id;
    const char *price_category_label;
    int64_t beginning_at;         /**< 0 for things */
    const char *venue_name;
    const char *venue_timezone;
    const char *url;              /**< digital offers */
    const char *activation_code;
    const char *beneficiary_first_name, *beneficiary_last_name, *beneficiary_email;
    const char *beneficiary_phone, *beneficiary_birth_date, *beneficiary_postal_code;
    const char *validation_author; /**< OFFERER, AUTO, BACKOFFICE or NULL */
};

/**
 * Books @quantity places of stock @stock_id for beneficiary @user, with the checks of
 * RULES §3 in order, each refusal with its French message:
 * PP_ENOTFOUND unknown stock (or of an offer not published); PP_EFORBIDDEN subcategory not
 * bookable at the user's age; PP_ECONFLICT already booked / sold out; PP_EVALIDATION bad
 * quantity, stock no longer bookable, credit or cap too low, no activation code left.
 */
enum pp_err pp_booking_create(struct pp_db *db, struct pp_arena *arena, const struct pp_user *user,
                              int64_t stock_id, int64_t quantity, struct pp_booking *out,
                              struct pp_error *e);

/** Booking @id (any owner); PP_ENOTFOUND when unknown. */
enum pp_err pp_booking_get(struct pp_db *db, struct pp_arena *arena, int64_t id,
                           struct pp_booking *out);

/** Bookings of beneficiary @account_id, newest first. */
enum pp_err pp_booking_list_mine(struct pp_db *db, struct pp_arena *arena, int64_t account_id,
                                 struct pp_booking **items, size_t *count);

/**
 * The beneficiary cancels booking @id: only their own (else PP_ENOTFOUND), only CONFIRMED
 * (PP_EGONE otherwise), and for events only until the cancellation limit (PP_EFORBIDDEN with
 * RULES §3's message). Credit and places go back.
 */
enum pp_err pp_booking_cancel_by_beneficiary(struct pp_db *db, int64_t account_id, int64_t id,
                                             struct pp_error *e);

/**
 * The venue cancels booking @id (the caller checked it is the pro's): any booking not used
 * nor reimbursed (PP_EGONE otherwise). Reason OFFERER; the beneficiary is emailed; audited
 * with @channel (portal, or partner API).
 */
enum pp_err pp_booking_cancel_by_offerer(struct pp_db *db, int64_t account_id,
                                         const char *channel, int64_t id, struct pp_error *e);

/**
 * Booking of countermark @token (exact, upper case) within reach: of structure @offerer_id
 * when it is not 0 (a partner's API key), else of a structure where pro @account_id is a
 * validated member. PP_ENOTFOUND when there is none or it is out of reach (the same answer).
 */
enum pp_err pp_booking_find_by_token(struct pp_db *db, struct pp_arena *arena, const char *token,
                                     int64_t account_id, int64_t offerer_id,
                                     struct pp_booking *out);

/*
 * Hooks for the offer and stock modules, inside their transaction.
 */

/** Cancels the bookings of stock @stock_id (reason OFFERER; used ones too when @even_used). */
enum pp_err pp_booking_cancel_for_stock(struct pp_db *db, int64_t account_id, int64_t stock_id,
                                        bool even_used);

/** Cancels the live bookings of offer @offer_id with @reason (FRAUD when rejected). */
enum pp_err pp_booking_cancel_for_offer(struct pp_db *db, int64_t account_id, int64_t offer_id,
                                        const char *reason);

/**
 * After stock @stock_id's event moved to @new_start: every live booking's cancellation limit
 * becomes min(new start, now + 48 h), and each beneficiary is emailed.
 */
enum pp_err pp_booking_event_moved(struct pp_db *db, int64_t stock_id, int64_t new_start);

/*
 * Jobs (RULES §4). Each works in batches, each booking in its own conditional update, so
 * running one twice, or on two servers at once, changes nothing more.
 */

/** Events still CONFIRMED 48 h after their start become USED (author AUTO). */
enum pp_err pp_booking_auto_use(struct pp_db *db, int64_t now, int64_t *count);

/**
 * Things whose subcategory can expire, still CONFIRMED 30 days after booking (10 for
 * LIVRE_PAPIER), are CANCELLED with reason EXPIRED: places and credit back, emails to the
 * beneficiary and to the venue.
 */
enum pp_err pp_booking_expire(struct pp_db *db, int64_t now, int64_t *count);

/** Reminds beneficiaries 7 days (books: 5) before such an expiry, once per booking. */
enum pp_err pp_booking_remind_expiry(struct pp_db *db, int64_t now, int64_t *count);

/** The offerer of booking @id, for authorization; PP_ENOTFOUND when unknown. */
enum pp_err pp_booking_offerer(struct pp_db *db, int64_t id, int64_t *offerer_id);

#endif
