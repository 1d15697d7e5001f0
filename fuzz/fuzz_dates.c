/*
 * Dates and times as requests carry them: ISO 8601 datetimes of JSON bodies
 * (pp_clock_parse_iso), ISO days of query strings (pp_clock_parse_date), the French forms'
 * days and times (pp_input_day, pp_input_day_iso, pp_input_time), and the local time of a
 * venue's zone (pp_tz_from_local, pp_tz_to_local, pp_tz_format_fr, pp_tz_next_midnight).
 * Input: "<day or datetime>\xFF<time>". Invariants: parse, format, parse gives the same instant
 * and a canonical text comes back unchanged; parts stay in range; a local time converted to an
 * instant and back reads the same (or, in a spring-forward gap, the same plus the gap).
 */
#include <stdbool.h>

#include "core/clock.h"
#include "core/input.h"
#include "core/tz.h"
#include "fuzz.h"

static const char *const zones[] = {
    "Europe/Paris",   "America/Cayenne", "America/Guadeloupe", "America/Martinique",
    "America/Miquelon", "Indian/Reunion", "Indian/Mayotte",    "Pacific/Tahiti",
    "Pacific/Noumea", "Pacific/Wallis",  "UTC",                "Mars/Olympus",
};

static int month_days(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

static void check_iso(const char *s)
{
    int64_t t;
    if (!pp_clock_parse_iso(s, &t))
        return;
    char buf[21], again[21];
    pp_clock_format_iso(t, buf);
    int64_t t2;
    FUZZ_CHECK(pp_clock_parse_iso(buf, &t2) && t2 == t);
    pp_clock_format_iso(t2, again);
    FUZZ_CHECK(strcmp(buf, again) == 0);
    /* "2026-03-14T09:30:00Z" is the canonical form: it comes back as it went in. */
    if (strlen(s) == 20 && s[10] == 'T')
        FUZZ_CHECK(strcmp(buf, s) == 0);
    FUZZ_CHECK(strncmp(buf, s, 10) == 0);
}

static void check_local(const char *zone, int y, int m, int d, int minutes)
{
    int h = minutes / 60, mi = minutes % 60;
    int64_t utc = 0;
    if (!pp_tz_from_local(zone, y, m, d, h, mi, &utc))
        return;
    struct pp_local l;
    pp_tz_to_local(zone, utc, &l);
    FUZZ_CHECK(l.second == 0 && l.weekday >= 1 && l.weekday <= 7);
    int64_t want = pp_clock_days_from_civil(y, m, d) * 1440 + minutes;
    int64_t got = pp_clock_days_from_civil(l.year, l.month, l.day) * 1440 + l.hour * 60 + l.minute;
    /* Equal, or later by the spring-forward gap (one hour in every zone that has one). */
    FUZZ_CHECK(got == want || got == want + 60);
    char fr[24];
    pp_tz_format_fr(zone, utc, fr);
    FUZZ_CHECK(strlen(fr) == strlen("14/03/2026 à 10:30"));
    int64_t midnight = 0;
    FUZZ_CHECK(pp_tz_next_midnight(zone, y, m, d, &midnight) && midnight > utc);
    FUZZ_CHECK(midnight - utc <= 25 * 3600);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *day, *time;
    fuzz_split(data, size, &day, &time);
    check_iso(day);

    int y, m, d;
    if (pp_clock_parse_date(day, &y, &m, &d)) {
        FUZZ_CHECK(y >= 1900 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
                   d <= month_days(y, m));
        char buf[21];
        pp_clock_format_iso(pp_clock_days_from_civil(y, m, d) * 86400, buf);
        FUZZ_CHECK(strncmp(buf, day, 10) == 0);
    }

    char iso[11];
    const char *shown = pp_input_day_iso(day, iso);
    FUZZ_CHECK(shown == day || (shown == iso && strlen(iso) == 10));
    int y2, m2, d2;
    if (pp_input_day(day, &y2, &m2, &d2)) {
        FUZZ_CHECK(pp_clock_parse_date(shown, &y, &m, &d) && y == y2 && m == m2 && d == d2);
        int minutes = pp_input_time(time);
        FUZZ_CHECK(minutes >= -1 && minutes < 1440);
        if (minutes >= 0)
            check_local(zones[size % (sizeof zones / sizeof zones[0])], y2, m2, d2, minutes);
    }

    int minutes = pp_input_time(time);
    FUZZ_CHECK(minutes >= -1 && minutes < 1440);
    if (minutes >= 0 && strlen(time) == 5 && time[2] == ':') {
        char hhmm[8];
        snprintf(hhmm, sizeof hhmm, "%02d:%02d", minutes / 60, minutes % 60);
        FUZZ_CHECK(strcmp(hhmm, time) == 0);
    }
    free(day);
    free(time);
    return 0;
}
