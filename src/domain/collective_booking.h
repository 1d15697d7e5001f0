#ifndef PP_DOMAIN_COLLECTIVE_BOOKING_H
#define PP_DOMAIN_COLLECTIVE_BOOKING_H

#include <stddef.h>
#include <stdint.h>

#include "core/collective_rules.h"
#include "core/error.h"

struct pp_db;
struct pp_arena;
struct pp_user;

/**
 * Collective bookings (RULES §10, docs/collective.md "Réservations collectives"): a teacher
 * pre-books the one stock of a bookable collective offer for a school (PENDING), the head of
 * school confirms it on the school's budget of the event's school year (CONFIRMED), the school
 * may cancel until 30 days before the event and the venue while it is not used; 48 h after the
 * end it becomes USED (finance event, paid at 100 %), and a pre-booking not confirmed by the
 * stock's booking limit expires. Every change is one transaction with its audit entry and the
 * venue's email. French messages of refusals are written in @arena (the caller's).
 */

/** One collective booking as the pro and the emails see it; strings in an arena. */
struct pp_collective_booking {
    int64_t id;
    int64_t stock_id, offer_id, venue_id, offerer_id, institution_id;
    int64_t year;                 /**< school year of the event (2026 for 2026-2027) */
    const char *teacher_email;
    int64_t price_cents;
    const char *status;           /**< PENDING, CONFIRMED, USED, CANCELLED, REIMBURSED */
    enum pp_collective_status status_code; /**< @status, parsed */
    const char *status_label;     /**< "Préréservée"... when read (pp_collective_label) */
    int64_t created_at, confirmation_limit_at, cancellation_limit_at;
    int64_t confirmed_at, used_at, cancelled_at, reimbursed_at; /**< 0 when not */
    const char *cancellation_reason; /**< NULL, or REFUSED_BY_INSTITUTE, OFFERER, EXPIRED... */
    const char *offer_name;
    const char *uai, *institution_name, *institution_city;
    const char *venue_name, *venue_timezone;
    int64_t start_at, end_at;     /**< the stock's dates */
};

/** What a teacher sends to pre-book. */
struct pp_collective_booking_in {
    int64_t stock_id;
    const char *uai;
    const char *teacher_email;
};

/** Longest UAI accepted (they are 8 characters; the column allows 30). */
#define PP_UAI_MAX 30

/**
 * Pre-books stock @in->stock_id for the school @in->uai (PENDING), by @author_id (0 for an
 * ADAGE key). PP_ENOTFOUND: no such stock. PP_EVALIDATION: unknown school ("uai"), bad email
 * ("teacherEmail"), offer archived or booking limit passed ("collectiveStockId").
 * PP_EFORBIDDEN: the offer is reserved to another school. PP_ECONFLICT: already pre-booked
 * (also when two pre-bookings race: the unique index lets one win). *@id: the new booking.
 */
enum pp_err pp_collective_booking_create(struct pp_db *db, struct pp_arena *arena,
                                         int64_t author_id,
                                         const struct pp_collective_booking_in *in, int64_t *id,
                                         struct pp_error *e);

/**
 * The head of school confirms PENDING booking @id: debits the school's budget of the
 * booking's year by one conditional UPDATE (never beyond the budget, whatever the
 * concurrency). PP_ENOTFOUND; PP_ECONFLICT already confirmed or used; PP_EGONE cancelled;
 * PP_EVALIDATION confirmation limit passed, no budget for the year, budget insufficient
 * (the message says what is left).
 */
enum pp_err pp_collective_booking_confirm(struct pp_db *db, struct pp_arena *arena,
                                          int64_t author_id, int64_t id, struct pp_error *e);

/** Who cancels. */
enum pp_collective_canceller {
    PP_COLLECTIVE_BY_SCHOOL,  /**< ADAGE side: PENDING or CONFIRMED, until the limit */
    PP_COLLECTIVE_BY_OFFERER, /**< the venue's pro: while not USED / REIMBURSED */
};

/**
 * Cancels booking @id by @who (account @author_id, 0 for an ADAGE key) with the free-text
 * @reason (may be NULL, kept in the audit entry); a confirmed booking gives its price back to
 * the school's budget. PP_ENOTFOUND; PP_EGONE already cancelled; PP_EVALIDATION after the
 * cancellation limit (school) or once used (venue), with the date in French.
 */
enum pp_err pp_collective_booking_cancel(struct pp_db *db, struct pp_arena *arena,
                                         enum pp_collective_canceller who, int64_t author_id,
                                         int64_t id, const char *reason, struct pp_error *e);

/** Booking @id, strings in @arena. PP_ENOTFOUND. */
enum pp_err pp_collective_booking_get(struct pp_db *db, struct pp_arena *arena, int64_t id,
                                      struct pp_collective_booking *out);

/** The structure of booking @id (for access checks). PP_ENOTFOUND. */
enum pp_err pp_collective_booking_offerer(struct pp_db *db, int64_t id, int64_t *offerer_id);

/**
 * The bookings of the structures where @user's attachment is VALIDATED (every structure's for
 * an admin), of @offerer_id only when not 0, of status @status only when not NONE; newest
 * first, at most 1000, in @arena.
 */
enum pp_err pp_collective_booking_list(struct pp_db *db, struct pp_arena *arena,
                                       const struct pp_user *user, int64_t offerer_id,
                                       enum pp_collective_status status,
                                       struct pp_collective_booking **items, size_t *count);

/**
 * Job: CONFIRMED bookings whose stock ended at least 48 h before @now become USED at @now,
 * each with its finance event; batches of 500, one transaction each. *@count: how many.
 */
enum pp_err pp_collective_booking_auto_use(struct pp_db *db, int64_t now, int64_t *count);

/**
 * Job: PENDING bookings whose confirmation limit is before @now are CANCELLED (EXPIRED), the
 * venue told; batches of 500, one transaction each. *@count: how many.
 */
enum pp_err pp_collective_booking_expire(struct pp_db *db, int64_t now, int64_t *count);

#endif
