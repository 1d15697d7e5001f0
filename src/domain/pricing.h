#ifndef PP_DOMAIN_PRICING_H
#define PP_DOMAIN_PRICING_H

#include <stdint.h>

#include "core/error.h"

struct pp_db;

/**
 * The pricing of RULES §7-§8: every ready finance event becomes one pricing (the amount to
 * pay, the rule, the revenue it was computed at). Pricing goes pricing point by pricing point,
 * each in one transaction, in (ordering date, id) order, so that thresholds are reproducible:
 * the same events always give the same pricings. When a ready event is ordered before unpaid
 * pricings of its year, those are priced again after it (pp_finance_requeue_after).
 *
 * Revenue: per pricing point and Paris calendar year, the booking totals of every live
 * pricing (individual bookings of every rule; incidents add nothing), this booking included.
 * Memory stays constant whatever the number of events: one cursor, one row at a time.
 */

/**
 * Prices every ready event as of @now. *@count (may be NULL) receives the number of pricings
 * made. The signature of a scheduler job.
 */
enum pp_err pp_pricing_run(struct pp_db *db, int64_t now, int64_t *count);

#endif
