#ifndef PP_DOMAIN_FINANCE_EVENT_H
#define PP_DOMAIN_FINANCE_EVENT_H

#include <stdint.h>

#include "core/error.h"

struct pp_db;

/**
 * Finance events (RULES §8): what the pricing must look at. Every path that makes a booking
 * USED (portal, partner API, jobs, activation codes) calls pp_finance_booking_used() in its
 * own transaction, and every path that undoes it calls pp_finance_booking_unused(). The
 * pricing (domain/pricing.c) then prices ready events per pricing point. docs/finance.md.
 *
 * The accounting zone is Europe/Paris: a pricing's year is the Paris calendar year of the use.
 */

#define PP_FINANCE_ZONE "Europe/Paris"

/**
 * Booking @booking_id became USED at @used_at: adds its event, "ready" when its venue has a
 * pricing point, else "pending" (it becomes ready when the venue chooses one). Ordering date:
 * the latest of the use, the event's start and the start of the venue's pricing point link.
 * Inside the caller's transaction.
 */
enum pp_err pp_finance_booking_used(struct pp_db *db, int64_t booking_id, int64_t used_at);

/**
 * Collective booking @collective_booking_id became USED at @used_at: adds its event as
 * pp_finance_booking_used() does (the event's date is the stock's end). Inside the caller's
 * transaction.
 */
enum pp_err pp_finance_collective_used(struct pp_db *db, int64_t collective_booking_id,
                                       int64_t used_at);

/**
 * Booking @booking_id is USED no more (validation undone, or cancelled): its waiting event is
 * cancelled, or its unpaid pricing is, and the later unpaid pricings of the same pricing point
 * and year go back to be priced again (their revenue changed). PP_ECONFLICT when the booking
 * was already paid: only a back-office incident corrects a payment. Inside the caller's
 * transaction.
 */
enum pp_err pp_finance_booking_unused(struct pp_db *db, int64_t booking_id);

/**
 * The pricing point of venue @venue_id: itself when it has a SIRET, else the SIRET venue it
 * chose. *since: when that link started. PP_ENOTFOUND when the venue has none yet.
 */
enum pp_err pp_pricing_point_of(struct pp_db *db, int64_t venue_id, int64_t *pricing_point_id,
                                int64_t *since);

/**
 * Venue @venue_id (without SIRET) is priced by @pricing_point_id from now on: one of its
 * structure's SIRET venues, chosen once. Its pending events become ready. PP_EVALIDATION
 * ("pricingPointId") with the reason; PP_ECONFLICT when a pricing point is chosen already.
 * Opens its own transaction.
 */
enum pp_err pp_pricing_point_set(struct pp_db *db, int64_t author_id, int64_t venue_id,
                                 int64_t pricing_point_id, struct pp_error *e);

/**
 * Sends the unpaid pricings of @pricing_point_id in @year ordered after (@ordering_date,
 * @event_id) back to be priced: their events become ready again and the pricings are
 * deleted. Inside the caller's transaction.
 */
enum pp_err pp_finance_requeue_after(struct pp_db *db, int64_t pricing_point_id, int64_t year,
                                     int64_t ordering_date, int64_t event_id);

/** The Paris calendar year of @t. */
int64_t pp_finance_year(int64_t t);

#endif
