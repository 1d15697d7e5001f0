#ifndef PP_CORE_RECURRENCE_H
#define PP_CORE_RECURRENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

/**
 * Recurring dates of an event (RULES §2), as pure rules: which calendar days of a range, at
 * which local times of the venue's zone, become stocks. The database side (tariffs, inserts,
 * the 2,500 limit of an offer) is domain/stock.c's.
 */

/** A recurrence: every (day, time, tariff) of the range becomes a stock (RULES §2). */
struct pp_recurrence {
    const int64_t *price_category_ids;
    size_t n_price_categories;
    int start_year, start_month, start_day;
    int end_year, end_month, end_day;
    bool weekdays[8];               /**< [1] Monday ... [7] Sunday */
    const int *times;               /**< minutes after midnight, local time of the venue */
    size_t n_times;
    int64_t quantity;               /**< PP_UNLIMITED or 0..1,000,000 */
    int64_t booking_limit_hours;    /**< -1 when none: the limit is the start */
};

/**
 * Appends to @e the French refusals of the shape of @r, in this order: startDate and endDate
 * not real dates, an end before the start (looked at only while @e is still empty), no
 * weekday, no time, no tariff. The quantity and the booking limit are the caller's (they
 * depend on the stock rules).
 */
void pp_recurrence_check(const struct pp_recurrence *r, struct pp_error *e);

/**
 * The start instants of @r strictly after @now, in zone @tz: day by day over the range (both
 * ends included), on the chosen weekdays of the local calendar, each of r->times in its order.
 * A time in the spring-forward gap lands past the gap, one in the autumn overlap on its first
 * occurrence (see pp_tz_from_local). Writes the first @cap instants into @starts (which may be
 * NULL when @cap is 0) and returns how many there are, but stops counting at @cap + 1: a range
 * can be absurdly long. Returns -1 when a time of r->times is not a time of day (0 to 1439).
 * The range must be real dates (pp_recurrence_check).
 */
int64_t pp_recurrence_expand(const struct pp_recurrence *r, const char *tz, int64_t now,
                             int64_t *starts, size_t cap);

/** ISO weekday (1 = Monday ... 7 = Sunday) of @day, in days since 1970-01-01. */
int pp_recurrence_weekday(int64_t day);

#endif
