#include "core/tz.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "core/clock.h"

#define DAY 86400
#define HOUR 3600

/* Summer time rules; each one adds one hour to the standard offset while in force. */
enum rule {
    RULE_NONE,
    RULE_EU, /* last Sunday of March 01:00 UTC .. last Sunday of October 01:00 UTC */
    RULE_NA, /* second Sunday of March 02:00 standard .. first Sunday of November 02:00 summer */
};

struct zone {
    const char *name;
    int std; /* standard offset, seconds east of UTC */
    enum rule rule;
};

static const struct zone zones[] = {
    {"Europe/Paris", 1 * HOUR, RULE_EU},
    {"America/Cayenne", -3 * HOUR, RULE_NONE},
    {"America/Guadeloupe", -4 * HOUR, RULE_NONE},
    {"America/Martinique", -4 * HOUR, RULE_NONE},
    {"America/Miquelon", -3 * HOUR, RULE_NA},
    {"Indian/Reunion", 4 * HOUR, RULE_NONE},
    {"Indian/Mayotte", 3 * HOUR, RULE_NONE},
    {"Pacific/Tahiti", -10 * HOUR, RULE_NONE},
    {"Pacific/Noumea", 11 * HOUR, RULE_NONE},
    {"Pacific/Wallis", 12 * HOUR, RULE_NONE},
};

static const struct zone utc_zone = {"UTC", 0, RULE_NONE};

static const struct zone *find_zone(const char *name)
{
    if (name != NULL)
        for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++)
            if (strcmp(zones[i].name, name) == 0)
                return &zones[i];
    return &utc_zone;
}

/* Division rounding towards minus infinity, so that instants before 1970 fall on the right day. */
static int64_t floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Inverse of pp_clock_days_from_civil (Howard Hinnant's civil_from_days). */
static void civil_from_days(int64_t z, int *year, int *month, int *day)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;                                      /* [0, 146096] */
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               /* [0, 365], 1 March = 0 */
    int64_t mp = (5 * doy + 2) / 153;                                    /* [0, 11], March = 0 */
    *day = (int)(doy - (153 * mp + 2) / 5 + 1);
    *month = (int)(mp < 10 ? mp + 3 : mp - 9);
    *year = (int)(yoe + era * 400 + (*month <= 2));
}

/* ISO weekday of a day number: 1970-01-01 (day 0) was a Thursday (4). */
static int iso_weekday(int64_t days)
{
    int64_t r = days % 7;
    return (int)((r + 7 + 3) % 7) + 1;
}

/* Day number of the last Sunday of month @m. */
static int64_t last_sunday(int y, int m)
{
    int64_t last = pp_clock_days_from_civil(y, m, days_in_month(y, m));
    return last - iso_weekday(last) % 7;
}

/* Day number of the @n-th (1-based) Sunday of month @m. */
static int64_t nth_sunday(int y, int m, int n)
{
    int64_t first = pp_clock_days_from_civil(y, m, 1);
    return first + (7 - iso_weekday(first)) % 7 + 7 * (n - 1);
}

static int zone_offset(const struct zone *z, int64_t utc)
{
    if (z->rule == RULE_NONE)
        return z->std;
    /* Both rules switch between March and November, so the UTC year of the instant is also
     * the year of the transitions around it, whatever the local year is. */
    int y, m, d;
    civil_from_days(floor_div(utc, DAY), &y, &m, &d);
    int64_t start, end; /* [start, end) is summer time, in UTC seconds */
    if (z->rule == RULE_EU) {
        start = last_sunday(y, 3) * DAY + 1 * HOUR;
        end = last_sunday(y, 10) * DAY + 1 * HOUR;
    } else {
        /* 02:00 local: standard time in spring, summer time (std + 1 h) in autumn. */
        start = nth_sunday(y, 3, 2) * DAY + 2 * HOUR - z->std;
        end = nth_sunday(y, 11, 1) * DAY + 2 * HOUR - (z->std + HOUR);
    }
    return z->std + (utc >= start && utc < end ? HOUR : 0);
}

int pp_tz_offset(const char *zone, int64_t utc)
{
    return zone_offset(find_zone(zone), utc);
}

void pp_tz_to_local(const char *zone, int64_t utc, struct pp_local *out)
{
    int offset = pp_tz_offset(zone, utc);
    /* Split into day and second of day before adding the offset, so that nothing overflows
     * even at the ends of the int64_t range. */
    int64_t days = floor_div(utc, DAY);
    int64_t secs = utc - days * DAY + offset; /* (-1 day, 2 days) */
    days += floor_div(secs, DAY);
    secs -= floor_div(secs, DAY) * DAY; /* [0, 1 day) */
    civil_from_days(days, &out->year, &out->month, &out->day);
    out->hour = (int)(secs / HOUR);
    out->minute = (int)(secs / 60 % 60);
    out->second = (int)(secs % 60);
    out->weekday = iso_weekday(days);
    out->offset = offset;
}

bool pp_tz_from_local(const char *zone, int year, int month, int day, int hour, int minute,
                      int64_t *utc)
{
    if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month) || hour < 0 ||
        hour > 23 || minute < 0 || minute > 59)
        return false;
    const struct zone *z = find_zone(zone);
    int64_t local = pp_clock_days_from_civil(year, month, day) * DAY + hour * HOUR + minute * 60;
    int summer = z->std + (z->rule != RULE_NONE ? HOUR : 0);
    /* A reading exists at instant local - off exactly when off is in force then. Summer time
     * is tried first: in the autumn overlap both readings exist and summer time comes first.
     * Otherwise standard time: either it is in force, or the reading fell into the spring gap;
     * read in the offset before the jump (standard), it lands as far past the transition as
     * it was past the start of the gap, which is the wall time plus the gap. */
    if (zone_offset(z, local - summer) == summer)
        *utc = local - summer;
    else
        *utc = local - z->std;
    return true;
}

void pp_tz_format_fr(const char *zone, int64_t utc, char buf[24])
{
    struct pp_local l;
    pp_tz_to_local(zone, utc, &l);
    snprintf(buf, 24, "%02d/%02d/%04d à %02d:%02d", l.day, l.month, l.year, l.hour, l.minute);
}

bool pp_tz_next_midnight(const char *zone, int year, int month, int day, int64_t *utc)
{
    int64_t check;
    if (!pp_tz_from_local(zone, year, month, day, 0, 0, &check))
        return false;
    /* The next calendar date, read off UTC where a day is always 86 400 s. */
    struct pp_local next;
    pp_tz_to_local("UTC", (pp_clock_days_from_civil(year, month, day) + 1) * 86400, &next);
    return pp_tz_from_local(zone, next.year, next.month, next.day, 0, 0, utc);
}
