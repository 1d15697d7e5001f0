#include "core/recurrence.h"

#include "core/clock.h"
#include "core/tz.h"

#define DAY 86400
/* The westernmost offset of any zone: a day ends at most 12 h after its UTC midnight. */
#define WEST_MAX (12 * 3600)

int pp_recurrence_weekday(int64_t day)
{
    return (int)(((day % 7) + 7 + 3) % 7) + 1; /* 1970-01-01 was a Thursday (4) */
}

static bool date_ok(int y, int m, int d)
{
    struct pp_local l;
    pp_tz_to_local("UTC", pp_clock_days_from_civil(y, m, d) * DAY, &l);
    return l.year == y && l.month == m && l.day == d;
}

void pp_recurrence_check(const struct pp_recurrence *r, struct pp_error *e)
{
    if (!date_ok(r->start_year, r->start_month, r->start_day))
        pp_error_set(e, PP_EVALIDATION, "startDate", "Date de début invalide.");
    if (!date_ok(r->end_year, r->end_month, r->end_day))
        pp_error_set(e, PP_EVALIDATION, "endDate", "Date de fin invalide.");
    int64_t first = pp_clock_days_from_civil(r->start_year, r->start_month, r->start_day);
    int64_t last = pp_clock_days_from_civil(r->end_year, r->end_month, r->end_day);
    if (e->count == 0 && last < first)
        pp_error_set(e, PP_EVALIDATION, "endDate",
                     "La date de fin doit être le même jour ou après la date de début.");
    bool any_day = false;
    for (int d = 1; d <= 7; d++)
        any_day = any_day || r->weekdays[d];
    if (!any_day)
        pp_error_set(e, PP_EVALIDATION, "weekdays", "Choisissez au moins un jour de la semaine.");
    if (r->n_times == 0)
        pp_error_set(e, PP_EVALIDATION, "times", "Indiquez au moins un horaire.");
    if (r->n_price_categories == 0)
        pp_error_set(e, PP_EVALIDATION, "priceCategoryIds", "Choisissez au moins un tarif.");
}

int64_t pp_recurrence_expand(const struct pp_recurrence *r, const char *tz, int64_t now,
                             int64_t *starts, size_t cap)
{
    int64_t first = pp_clock_days_from_civil(r->start_year, r->start_month, r->start_day);
    int64_t last = pp_clock_days_from_civil(r->end_year, r->end_month, r->end_day);
    for (size_t t = 0; t < r->n_times; t++)
        if (r->times[t] < 0 || r->times[t] >= 24 * 60)
            return -1;
    int64_t n = 0;
    for (int64_t d = first; d <= last && n <= (int64_t)cap; d++) {
        /* A day whose every hour is past in every zone is skipped whole. */
        if (!r->weekdays[pp_recurrence_weekday(d)] || (d + 1) * DAY + WEST_MAX <= now)
            continue;
        struct pp_local day;
        pp_tz_to_local("UTC", d * DAY, &day);
        for (size_t t = 0; t < r->n_times && n <= (int64_t)cap; t++) {
            int64_t start;
            pp_tz_from_local(tz, day.year, day.month, day.day, r->times[t] / 60, r->times[t] % 60,
                             &start);
            if (start <= now)
                continue; /* a slot already past today: skipped, not an error */
            if ((size_t)n < cap)
                starts[n] = start;
            n++;
        }
    }
    return n;
}
