/* Time zones as rules (core/tz), checked by hand at the transitions and against glibc's tzdata. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/tz.h"

#define HOUR 3600

/* Instant of an ISO 8601 UTC string; core/clock parses it, independently of core/tz. */
static int64_t at(const char *iso)
{
    int64_t t = 0;
    assert_true(pp_clock_parse_iso(iso, &t));
    return t;
}

static void assert_local(const char *zone, int64_t utc, int y, int mo, int d, int h, int mi,
                         int s, int offset)
{
    struct pp_local l;
    pp_tz_to_local(zone, utc, &l);
    assert_int_equal(l.year, y);
    assert_int_equal(l.month, mo);
    assert_int_equal(l.day, d);
    assert_int_equal(l.hour, h);
    assert_int_equal(l.minute, mi);
    assert_int_equal(l.second, s);
    assert_int_equal(l.offset, offset);
    assert_int_equal(pp_tz_offset(zone, utc), offset);
}

static int64_t from_local(const char *zone, int y, int mo, int d, int h, int mi)
{
    int64_t t = 0;
    assert_true(pp_tz_from_local(zone, y, mo, d, h, mi, &t));
    return t;
}

static void test_paris_transitions(void **state)
{
    (void)state;
    const char *z = "Europe/Paris";
    /* 2026: summer from 29 March, winter from 25 October. */
    int64_t t = at("2026-03-29T01:00:00Z");
    assert_local(z, t - 1, 2026, 3, 29, 1, 59, 59, HOUR);
    assert_local(z, t, 2026, 3, 29, 3, 0, 0, 2 * HOUR);
    assert_local(z, t + 1, 2026, 3, 29, 3, 0, 1, 2 * HOUR);
    t = at("2026-10-25T01:00:00Z");
    assert_local(z, t - 1, 2026, 10, 25, 2, 59, 59, 2 * HOUR);
    assert_local(z, t, 2026, 10, 25, 2, 0, 0, HOUR);
    assert_local(z, t + 1, 2026, 10, 25, 2, 0, 1, HOUR);
    /* 2027: 28 March and 31 October. */
    t = at("2027-03-28T01:00:00Z");
    assert_local(z, t - 1, 2027, 3, 28, 1, 59, 59, HOUR);
    assert_local(z, t, 2027, 3, 28, 3, 0, 0, 2 * HOUR);
    t = at("2027-10-31T01:00:00Z");
    assert_local(z, t - 1, 2027, 10, 31, 2, 59, 59, 2 * HOUR);
    assert_local(z, t, 2027, 10, 31, 2, 0, 0, HOUR);
    /* Plain winter and summer days, and the year boundary. */
    assert_local(z, at("2026-01-15T12:00:00Z"), 2026, 1, 15, 13, 0, 0, HOUR);
    assert_local(z, at("2026-07-14T12:00:00Z"), 2026, 7, 14, 14, 0, 0, 2 * HOUR);
    assert_local(z, at("2026-12-31T23:00:00Z"), 2027, 1, 1, 0, 0, 0, HOUR);
}

static void test_gap_and_overlap(void **state)
{
    (void)state;
    const char *z = "Europe/Paris";
    /* Spring gap: 02:00-02:59 do not exist; the reading moves forward by the gap. */
    assert_int_equal(from_local(z, 2026, 3, 29, 1, 59), at("2026-03-29T00:59:00Z"));
    assert_int_equal(from_local(z, 2026, 3, 29, 2, 0), at("2026-03-29T01:00:00Z"));
    assert_int_equal(from_local(z, 2026, 3, 29, 2, 30), at("2026-03-29T01:30:00Z"));
    assert_local(z, from_local(z, 2026, 3, 29, 2, 30), 2026, 3, 29, 3, 30, 0, 2 * HOUR);
    assert_int_equal(from_local(z, 2026, 3, 29, 2, 59), at("2026-03-29T01:59:00Z"));
    assert_int_equal(from_local(z, 2026, 3, 29, 3, 0), at("2026-03-29T01:00:00Z"));
    assert_int_equal(from_local(z, 2027, 3, 28, 2, 30), at("2027-03-28T01:30:00Z"));
    /* Autumn overlap: 02:00-02:59 happen twice; the first (summer time) is chosen. */
    assert_int_equal(from_local(z, 2026, 10, 25, 1, 59), at("2026-10-24T23:59:00Z"));
    assert_int_equal(from_local(z, 2026, 10, 25, 2, 0), at("2026-10-25T00:00:00Z"));
    assert_int_equal(from_local(z, 2026, 10, 25, 2, 30), at("2026-10-25T00:30:00Z"));
    assert_local(z, from_local(z, 2026, 10, 25, 2, 30), 2026, 10, 25, 2, 30, 0, 2 * HOUR);
    assert_int_equal(from_local(z, 2026, 10, 25, 2, 59), at("2026-10-25T00:59:00Z"));
    assert_int_equal(from_local(z, 2026, 10, 25, 3, 0), at("2026-10-25T02:00:00Z"));
    assert_int_equal(from_local(z, 2027, 10, 31, 2, 30), at("2027-10-31T00:30:00Z"));
    /* Ordinary readings. */
    assert_int_equal(from_local(z, 2026, 3, 14, 10, 30), at("2026-03-14T09:30:00Z"));
    assert_int_equal(from_local(z, 2026, 7, 14, 22, 0), at("2026-07-14T20:00:00Z"));
}

static void test_fixed_zones(void **state)
{
    (void)state;
    static const struct {
        const char *zone;
        int offset;
    } fixed[] = {
        {"America/Cayenne", -3 * HOUR},   {"America/Guadeloupe", -4 * HOUR},
        {"America/Martinique", -4 * HOUR}, {"Indian/Reunion", 4 * HOUR},
        {"Indian/Mayotte", 3 * HOUR},     {"Pacific/Tahiti", -10 * HOUR},
        {"Pacific/Noumea", 11 * HOUR},    {"Pacific/Wallis", 12 * HOUR},
    };
    const char *instants[] = {"2026-01-15T12:00:00Z", "2026-03-29T01:00:00Z",
                              "2026-07-14T12:00:00Z", "2026-10-25T01:00:00Z",
                              "2026-11-01T04:00:00Z"};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
        for (size_t j = 0; j < sizeof instants / sizeof instants[0]; j++) {
            int64_t t = at(instants[j]);
            assert_int_equal(pp_tz_offset(fixed[i].zone, t), fixed[i].offset);
            struct pp_local l;
            pp_tz_to_local(fixed[i].zone, t, &l);
            int64_t back = from_local(fixed[i].zone, l.year, l.month, l.day, l.hour, l.minute);
            assert_int_equal(back, t);
        }
    }
    assert_local("Pacific/Tahiti", at("2026-01-01T05:00:00Z"), 2025, 12, 31, 19, 0, 0, -10 * HOUR);
    assert_local("Pacific/Wallis", at("2026-12-31T12:00:00Z"), 2027, 1, 1, 0, 0, 0, 12 * HOUR);
    assert_local("Indian/Reunion", at("2026-06-01T20:00:00Z"), 2026, 6, 2, 0, 0, 0, 4 * HOUR);
    /* Unknown zones, NULL and near-misses are UTC. */
    const char *utc_zones[] = {NULL, "", "UTC", "Europe/Berlin", "europe/paris", "Europe/Paris "};
    for (size_t i = 0; i < sizeof utc_zones / sizeof utc_zones[0]; i++) {
        assert_local(utc_zones[i], at("2026-07-14T12:34:56Z"), 2026, 7, 14, 12, 34, 56, 0);
        assert_int_equal(from_local(utc_zones[i], 2026, 3, 29, 2, 30), at("2026-03-29T02:30:00Z"));
    }
}

static void test_miquelon(void **state)
{
    (void)state;
    const char *z = "America/Miquelon";
    /* 2026: 8 March 02:00 -03 -> 03:00 -02; 1 November 02:00 -02 -> 01:00 -03. */
    int64_t t = at("2026-03-08T05:00:00Z");
    assert_local(z, t - 1, 2026, 3, 8, 1, 59, 59, -3 * HOUR);
    assert_local(z, t, 2026, 3, 8, 3, 0, 0, -2 * HOUR);
    t = at("2026-11-01T04:00:00Z");
    assert_local(z, t - 1, 2026, 11, 1, 1, 59, 59, -2 * HOUR);
    assert_local(z, t, 2026, 11, 1, 1, 0, 0, -3 * HOUR);
    /* 2027: 14 March and 7 November. */
    t = at("2027-03-14T05:00:00Z");
    assert_local(z, t - 1, 2027, 3, 14, 1, 59, 59, -3 * HOUR);
    assert_local(z, t, 2027, 3, 14, 3, 0, 0, -2 * HOUR);
    t = at("2027-11-07T04:00:00Z");
    assert_local(z, t - 1, 2027, 11, 7, 1, 59, 59, -2 * HOUR);
    assert_local(z, t, 2027, 11, 7, 1, 0, 0, -3 * HOUR);
    /* Not the EU dates. */
    assert_int_equal(pp_tz_offset(z, at("2026-03-29T12:00:00Z")), -2 * HOUR);
    assert_int_equal(pp_tz_offset(z, at("2026-10-28T12:00:00Z")), -2 * HOUR);
    /* Gap 02:00-02:59 and overlap 01:00-01:59. */
    assert_int_equal(from_local(z, 2026, 3, 8, 2, 30), at("2026-03-08T05:30:00Z"));
    assert_local(z, from_local(z, 2026, 3, 8, 2, 30), 2026, 3, 8, 3, 30, 0, -2 * HOUR);
    assert_int_equal(from_local(z, 2026, 3, 8, 1, 59), at("2026-03-08T04:59:00Z"));
    assert_int_equal(from_local(z, 2026, 3, 8, 3, 0), at("2026-03-08T05:00:00Z"));
    assert_int_equal(from_local(z, 2026, 11, 1, 1, 30), at("2026-11-01T03:30:00Z"));
    assert_int_equal(from_local(z, 2026, 11, 1, 0, 59), at("2026-11-01T02:59:00Z"));
    assert_int_equal(from_local(z, 2026, 11, 1, 2, 0), at("2026-11-01T05:00:00Z"));
}

static void test_weekday(void **state)
{
    (void)state;
    struct pp_local l;
    pp_tz_to_local(NULL, 0, &l);
    assert_int_equal(l.weekday, 4); /* 1970-01-01, Thursday */
    pp_tz_to_local(NULL, -1, &l);
    assert_int_equal(l.year, 1969);
    assert_int_equal(l.hour, 23);
    assert_int_equal(l.weekday, 3);
    pp_tz_to_local("Europe/Paris", at("2026-03-14T09:30:00Z"), &l);
    assert_int_equal(l.weekday, 6);
    pp_tz_to_local("Europe/Paris", at("2026-03-29T12:00:00Z"), &l);
    assert_int_equal(l.weekday, 7);
    pp_tz_to_local("Europe/Paris", at("2026-03-30T12:00:00Z"), &l);
    assert_int_equal(l.weekday, 1);
    /* Local, not UTC, weekday: Saturday 23:30 UTC is already Sunday in Paris... */
    pp_tz_to_local("Europe/Paris", at("2026-03-14T23:30:00Z"), &l);
    assert_int_equal(l.day, 15);
    assert_int_equal(l.weekday, 7);
    /* ...and Sunday 05:00 UTC is still Saturday in Tahiti. */
    pp_tz_to_local("Pacific/Tahiti", at("2026-03-15T05:00:00Z"), &l);
    assert_int_equal(l.day, 14);
    assert_int_equal(l.weekday, 6);
    /* A whole week, day by day. */
    for (int i = 0; i < 7; i++) {
        pp_tz_to_local("Indian/Reunion", at("2026-03-16T08:00:00Z") + i * 86400, &l);
        assert_int_equal(l.weekday, i + 1);
    }
}

static void test_format_fr(void **state)
{
    (void)state;
    char buf[24];
    pp_tz_format_fr("Europe/Paris", at("2026-03-14T09:30:00Z"), buf);
    assert_string_equal(buf, "14/03/2026 à 10:30");
    pp_tz_format_fr("Europe/Paris", at("2026-07-14T20:00:00Z"), buf);
    assert_string_equal(buf, "14/07/2026 à 22:00");
    pp_tz_format_fr("Pacific/Tahiti", at("2026-01-01T05:05:00Z"), buf);
    assert_string_equal(buf, "31/12/2025 à 19:05");
    pp_tz_format_fr("Pacific/Noumea", at("2026-12-31T13:00:59Z"), buf);
    assert_string_equal(buf, "01/01/2027 à 00:00");
    pp_tz_format_fr("America/Miquelon", at("2026-11-01T03:30:00Z"), buf);
    assert_string_equal(buf, "01/11/2026 à 01:30");
    pp_tz_format_fr(NULL, at("2026-03-14T09:30:00Z"), buf);
    assert_string_equal(buf, "14/03/2026 à 09:30");
}

static void test_invalid_dates(void **state)
{
    (void)state;
    static const int bad[][5] = {
        {2026, 2, 30, 12, 0}, {2026, 2, 29, 12, 0}, {2100, 2, 29, 12, 0}, {2026, 4, 31, 12, 0},
        {2026, 13, 1, 12, 0}, {2026, 0, 1, 12, 0},  {2026, 1, 0, 12, 0},  {2026, 1, 32, 12, 0},
        {2026, 1, 1, 24, 0},  {2026, 1, 1, -1, 0},  {2026, 1, 1, 12, 60}, {2026, 1, 1, 12, -1},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t t = 42;
        assert_false(pp_tz_from_local("Europe/Paris", bad[i][0], bad[i][1], bad[i][2], bad[i][3],
                                      bad[i][4], &t));
        assert_int_equal(t, 42); /* left untouched */
    }
    assert_int_equal(from_local("Europe/Paris", 2028, 2, 29, 23, 59), at("2028-02-29T22:59:00Z"));
    assert_int_equal(from_local("Europe/Paris", 2000, 2, 29, 0, 0), at("2000-02-28T23:00:00Z"));
    assert_int_equal(from_local("Europe/Paris", 2026, 12, 31, 0, 0), at("2026-12-30T23:00:00Z"));
}

/* ---- Exhaustive cross-check against glibc and the system tzdata, 2020-2030. ---- */

#define MAX_REPORTS 5

static int mismatch(const char *zone, int64_t utc, const char *what, long glibc, long rules,
                    int count)
{
    if (count < MAX_REPORTS) {
        char iso[21];
        pp_clock_format_iso(utc, iso);
        print_message("%s at %s (%lld): %s glibc %ld, rules %ld\n", zone, iso, (long long)utc,
                      what, glibc, rules);
    }
    return count + 1;
}

/* Local fields as the digits YYYYMMDDHHMMSSW (W: ISO weekday), for mismatch reports. */
static long packed(const struct tm *tm)
{
    long date = ((tm->tm_year + 1900L) * 100 + tm->tm_mon + 1) * 100 + tm->tm_mday;
    long hms = (tm->tm_hour * 100L + tm->tm_min) * 100 + tm->tm_sec;
    return (date * 1000000 + hms) * 10 + (tm->tm_wday == 0 ? 7 : tm->tm_wday);
}

static long packed_local(const struct pp_local *l)
{
    long date = ((long)l->year * 100 + l->month) * 100 + l->day;
    long hms = ((long)l->hour * 100 + l->minute) * 100 + l->second;
    return (date * 1000000 + hms) * 10 + l->weekday;
}

/* UTC instant -> offset and local fields, every hour and at ±1 s of every hour. */
static int check_instants(const char *zone, int64_t from, int64_t to)
{
    static const int odd[] = {0, 1, 1799, 3599};
    int bad = 0;
    for (int64_t h = from; h < to; h += HOUR) {
        for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
            int64_t t = h + odd[i];
            time_t tt = (time_t)t;
            struct tm tm;
            assert_non_null(localtime_r(&tt, &tm));
            struct pp_local l;
            pp_tz_to_local(zone, t, &l);
            int off = pp_tz_offset(zone, t);
            if (off != tm.tm_gmtoff)
                bad = mismatch(zone, t, "offset", tm.tm_gmtoff, off, bad);
            else if (l.year != tm.tm_year + 1900 || l.month != tm.tm_mon + 1 ||
                     l.day != tm.tm_mday || l.hour != tm.tm_hour || l.minute != tm.tm_min ||
                     l.second != tm.tm_sec || l.weekday != (tm.tm_wday == 0 ? 7 : tm.tm_wday) ||
                     l.offset != off)
                bad = mismatch(zone, t, "local YYYYMMDDHHMMSSW", packed(&tm), packed_local(&l),
                               bad);
        }
    }
    return bad;
}

/* Does the wall-clock reading @local (seconds, as if UTC) happen at instant @t per glibc? */
static bool glibc_reads(int64_t t, int64_t local)
{
    time_t tt = (time_t)t;
    struct tm tm;
    return localtime_r(&tt, &tm) != NULL && tm.tm_gmtoff == local - t;
}

/*
 * Local reading -> instant, every local hour of [y0, y1). Where the reading happens once,
 * pp_tz_from_local must agree with mktime (tm_isdst = -1). Gaps and overlaps are found with
 * localtime_r alone: the offsets a day before and a day after the reading are the only
 * candidates (transitions are months apart); none matching is a gap, both an overlap. Those
 * are checked explicitly, since mktime leaves them unspecified.
 */
static int check_readings(const char *zone, int y0, int y1, int *gaps, int *overlaps)
{
    int bad = 0;
    int64_t end = pp_clock_days_from_civil(y1, 1, 1) * 86400;
    for (int64_t local = pp_clock_days_from_civil(y0, 1, 1) * 86400; local < end; local += HOUR) {
        time_t before = (time_t)(local - 86400), after = (time_t)(local + 86400);
        struct tm tb, ta;
        assert_non_null(localtime_r(&before, &tb));
        assert_non_null(localtime_r(&after, &ta));
        int64_t c1 = local - tb.tm_gmtoff, c2 = local - ta.tm_gmtoff;
        bool r1 = glibc_reads(c1, local);
        bool r2 = c2 != c1 && glibc_reads(c2, local);
        /* The reading's fields, from the local seconds taken as if they were UTC. */
        time_t lt = (time_t)local;
        struct tm tm;
        assert_non_null(gmtime_r(&lt, &tm));
        int64_t t;
        assert_true(pp_tz_from_local(zone, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                                     tm.tm_hour, tm.tm_min, &t));
        int64_t want;
        if (r1 && r2) {
            (*overlaps)++;
            want = c1 < c2 ? c1 : c2; /* the first occurrence */
        } else if (r1 || r2) {
            tm.tm_isdst = -1;
            want = mktime(&tm);
        } else {
            (*gaps)++;
            /* The wall time plus the gap: read in the offset before the jump... */
            want = c1;
            /* ...which glibc shows as the reading moved forward by the gap. */
            assert_true(glibc_reads(want, local + (ta.tm_gmtoff - tb.tm_gmtoff)));
        }
        if (t != want)
            bad = mismatch(zone, local, "from_local (reading shown as Z)", (long)want, (long)t,
                           bad);
    }
    return bad;
}

static void test_glibc(void **state)
{
    const char *zone = *state;
    const char *dir = getenv("TZDIR");
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir != NULL && *dir != '\0' ? dir : "/usr/share/zoneinfo",
             zone);
    if (access(path, R_OK) != 0) {
        print_message("note: %s missing, glibc cross-check of %s skipped\n", path, zone);
        skip();
    }
    assert_int_equal(setenv("TZ", zone, 1), 0);
    tzset();
    int gaps = 0, overlaps = 0;
    int bad = check_instants(zone, at("2020-01-01T00:00:00Z"), at("2031-01-01T00:00:00Z"));
    bad += check_readings(zone, 2020, 2031, &gaps, &overlaps);
    assert_int_equal(bad, 0);
    /* One gap and one overlap hour a year where there is summer time, none elsewhere. */
    bool dst = strcmp(zone, "Europe/Paris") == 0 || strcmp(zone, "America/Miquelon") == 0;
    assert_int_equal(gaps, dst ? 11 : 0);
    assert_int_equal(overlaps, dst ? 11 : 0);
}

static int restore_tz(void **state)
{
    (void)state;
    unsetenv("TZ");
    tzset();
    return 0;
}

/* One test per zone, named after it, with the zone as the test's state. */
#define GLIBC_TEST(zone) {"glibc " zone, test_glibc, NULL, restore_tz, (void *)zone}

/* The end of a local day: the next day's 00:00, across month and year ends and DST days. */
static void test_next_midnight(void **state)
{
    (void)state;
    int64_t t = 0;
    assert_true(pp_tz_next_midnight("Europe/Paris", 2026, 3, 29, &t)); /* the 23-hour day */
    assert_int_equal(t, 1774821600);
    assert_true(pp_tz_next_midnight("Europe/Paris", 2026, 1, 31, &t));
    assert_int_equal(t, 1769900400);
    assert_true(pp_tz_next_midnight("Europe/Paris", 2026, 12, 31, &t));
    assert_int_equal(t, 1798758000);
    assert_true(pp_tz_next_midnight("Europe/Paris", 2026, 10, 24, &t)); /* before the 25-hour day */
    assert_int_equal(t, 1792879200);
    t = 7;
    assert_false(pp_tz_next_midnight("Europe/Paris", 2026, 2, 30, &t));
    assert_int_equal(t, 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paris_transitions),
        cmocka_unit_test(test_gap_and_overlap),
        cmocka_unit_test(test_fixed_zones),
        cmocka_unit_test(test_miquelon),
        cmocka_unit_test(test_weekday),
        cmocka_unit_test(test_format_fr),
        cmocka_unit_test(test_invalid_dates),
        cmocka_unit_test(test_next_midnight),
        GLIBC_TEST("Europe/Paris"),
        GLIBC_TEST("America/Cayenne"),
        GLIBC_TEST("America/Guadeloupe"),
        GLIBC_TEST("America/Martinique"),
        GLIBC_TEST("America/Miquelon"),
        GLIBC_TEST("Indian/Reunion"),
        GLIBC_TEST("Indian/Mayotte"),
        GLIBC_TEST("Pacific/Tahiti"),
        GLIBC_TEST("Pacific/Noumea"),
        GLIBC_TEST("Pacific/Wallis"),
    };
    return cmocka_run_group_tests_name("tz", tests, NULL, NULL);
}
