/* Recurring dates (RULES §2): the shape checks and the expansion into dated slots. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/clock.h"
#include "core/recurrence.h"

static int64_t at(const char *iso)
{
    int64_t t = 0;
    assert_true(pp_clock_parse_iso(iso, &t));
    return t;
}

static const int64_t one_tariff[] = {1};

/* A recurrence from (y1, m1, d1) to (y2, m2, d2), every day unless told, at @times. */
static struct pp_recurrence range(int y1, int m1, int d1, int y2, int m2, int d2, const int *times,
                                  size_t n_times)
{
    struct pp_recurrence r = {
        .price_category_ids = one_tariff, .n_price_categories = 1,
        .start_year = y1, .start_month = m1, .start_day = d1,
        .end_year = y2, .end_month = m2, .end_day = d2,
        .times = times, .n_times = n_times, .quantity = -1, .booking_limit_hours = -1,
    };
    for (int d = 1; d <= 7; d++)
        r.weekdays[d] = true;
    return r;
}

static void test_weekday(void **state)
{
    (void)state;
    assert_int_equal(pp_recurrence_weekday(0), 4); /* 1970-01-01, a Thursday */
    assert_int_equal(pp_recurrence_weekday(pp_clock_days_from_civil(2026, 6, 1)), 1);
    assert_int_equal(pp_recurrence_weekday(pp_clock_days_from_civil(2026, 6, 7)), 7);
    assert_int_equal(pp_recurrence_weekday(pp_clock_days_from_civil(1969, 12, 31)), 3);
}

static void test_days_of_week(void **state)
{
    (void)state;
    int ten[] = {10 * 60};
    /* 2026-06-01 is a Monday; Mondays and Wednesdays of two weeks, 10:00 in Paris (UTC+2). */
    struct pp_recurrence r = range(2026, 6, 1, 2026, 6, 14, ten, 1);
    memset(r.weekdays, 0, sizeof r.weekdays);
    r.weekdays[1] = r.weekdays[3] = true;
    int64_t starts[8];
    int64_t now = at("2026-01-01T00:00:00Z");
    assert_int_equal(pp_recurrence_expand(&r, "Europe/Paris", now, starts, 8), 4);
    assert_int_equal(starts[0], at("2026-06-01T08:00:00Z"));
    assert_int_equal(starts[1], at("2026-06-03T08:00:00Z"));
    assert_int_equal(starts[2], at("2026-06-08T08:00:00Z"));
    assert_int_equal(starts[3], at("2026-06-10T08:00:00Z"));
    /* Sundays only: the range ends on one. */
    memset(r.weekdays, 0, sizeof r.weekdays);
    r.weekdays[7] = true;
    assert_int_equal(pp_recurrence_expand(&r, "Europe/Paris", now, starts, 8), 2);
    assert_int_equal(starts[1], at("2026-06-14T08:00:00Z"));
    /* Times keep their given order within a day. */
    int two[] = {20 * 60 + 30, 9 * 60};
    r = range(2026, 6, 1, 2026, 6, 1, two, 2);
    assert_int_equal(pp_recurrence_expand(&r, "Europe/Paris", now, starts, 8), 2);
    assert_int_equal(starts[0], at("2026-06-01T18:30:00Z"));
    assert_int_equal(starts[1], at("2026-06-01T07:00:00Z"));
}

static void test_time_zones(void **state)
{
    (void)state;
    int ten[] = {10 * 60};
    int64_t starts[4];
    int64_t now = at("2026-01-01T00:00:00Z");
    /* Noumea (UTC+11): Monday 1 June 10:00 there is still Sunday 31 May in UTC; the weekday
     * is the venue's. */
    struct pp_recurrence r = range(2026, 6, 1, 2026, 6, 1, ten, 1);
    memset(r.weekdays, 0, sizeof r.weekdays);
    r.weekdays[1] = true;
    assert_int_equal(pp_recurrence_expand(&r, "Pacific/Noumea", now, starts, 4), 1);
    assert_int_equal(starts[0], at("2026-05-31T23:00:00Z"));
    /* Tahiti (UTC-10), Cayenne (UTC-3), winter Paris (UTC+1). */
    assert_int_equal(pp_recurrence_expand(&r, "Pacific/Tahiti", now, starts, 4), 1);
    assert_int_equal(starts[0], at("2026-06-01T20:00:00Z"));
    assert_int_equal(pp_recurrence_expand(&r, "America/Cayenne", now, starts, 4), 1);
    assert_int_equal(starts[0], at("2026-06-01T13:00:00Z"));
    r = range(2026, 1, 5, 2026, 1, 5, ten, 1);
    assert_int_equal(pp_recurrence_expand(&r, "Europe/Paris", now, starts, 4), 1);
    assert_int_equal(starts[0], at("2026-01-05T09:00:00Z"));
}

static void test_daylight_saving(void **state)
{
    (void)state;
    int64_t starts[4];
    int64_t now = at("2026-01-01T00:00:00Z");
    int half_past_two[] = {2 * 60 + 30};
    /* Paris springs forward on Sunday 29 March 2026 at 02:00: 02:30 does not exist that day
     * and lands at 03:30 summer time; the days around it keep 02:30. */
    struct pp_recurrence r = range(2026, 3, 28, 2026, 3, 30, half_past_two, 1);
    assert_int_equal(pp_recurrence_expand(&r, "Europe/Paris", now, starts, 4), 3);
    assert_int_equal(starts[0], at("2026-03-28T01:30:00Z")); /* UTC+1 */
    assert_int_equal(starts[1], at("2026-03-29T01:30:00Z")); /* 03:30 UTC+2 */
    assert_int_equal(starts[2], at("2026-03-30T00:30:00Z")); /* UTC+2 */
    /* Falls back on Sunday 25 October 2026: 02:30 happens twice, the first one is taken. */
    r = range(2026, 10, 24, 2026, 10, 26, half_past_two, 1);
    assert_int_equal(pp_recurrence_expand(&r, "Europe/Paris", now, starts, 4), 3);
    assert_int_equal(starts[0], at("2026-10-24T00:30:00Z"));
    assert_int_equal(starts[1], at("2026-10-25T00:30:00Z"));
    assert_int_equal(starts[2], at("2026-10-26T01:30:00Z"));
    /* An evening slot across the change keeps its local hour: 20:00 each day. */
    int eight_pm[] = {20 * 60};
    r = range(2026, 3, 28, 2026, 3, 29, eight_pm, 1);
    assert_int_equal(pp_recurrence_expand(&r, "Europe/Paris", now, starts, 4), 2);
    assert_int_equal(starts[1] - starts[0], 23 * 3600);
}

static void test_past_slots_skipped(void **state)
{
    (void)state;
    int times[] = {9 * 60, 18 * 60};
    int64_t starts[8];
    struct pp_recurrence r = range(2026, 6, 1, 2026, 6, 3, times, 2);
    /* At 12:00 in Paris on the 2nd: the 1st and the morning of the 2nd are gone. */
    int64_t now = at("2026-06-02T10:00:00Z");
    assert_int_equal(pp_recurrence_expand(&r, "Europe/Paris", now, starts, 8), 3);
    assert_int_equal(starts[0], at("2026-06-02T16:00:00Z"));
    /* A slot exactly now is past too. */
    assert_int_equal(pp_recurrence_expand(&r, "Europe/Paris", at("2026-06-02T16:00:00Z"), starts,
                                          8),
                     2);
    assert_int_equal(starts[0], at("2026-06-03T07:00:00Z"));
    /* Everything past: none. */
    assert_int_equal(pp_recurrence_expand(&r, "Europe/Paris", at("2027-01-01T00:00:00Z"), starts,
                                          8),
                     0);
}

static void test_limit(void **state)
{
    (void)state;
    static int64_t starts[2500];
    int64_t now = at("2026-12-31T00:00:00Z");
    int four[] = {10 * 60, 12 * 60, 14 * 60, 16 * 60};
    /* 625 days x 4 times: exactly 2,500, all of them written. */
    struct pp_recurrence r = range(2027, 1, 1, 2028, 9, 16, four, 4);
    assert_int_equal(pp_clock_days_from_civil(2028, 9, 16) - pp_clock_days_from_civil(2027, 1, 1),
                     624);
    assert_int_equal(pp_recurrence_expand(&r, "Europe/Paris", now, starts, 2500), 2500);
    assert_int_equal(starts[2499], at("2028-09-16T14:00:00Z"));
    /* One day more: counting stops at 2,501. */
    r.end_day = 17;
    assert_int_equal(pp_recurrence_expand(&r, "Europe/Paris", now, starts, 2500), 2501);
    /* With 3 tariffs the caller allows 833 slots; an absurd range stops at 834 at once. */
    r = range(2027, 1, 1, 2999, 12, 31, four, 4);
    assert_int_equal(pp_recurrence_expand(&r, "Europe/Paris", now, starts, 2500 / 3), 834);
    /* Counting only. */
    assert_int_equal(pp_recurrence_expand(&r, "Europe/Paris", now, NULL, 0), 1);
}

static void test_bad_time(void **state)
{
    (void)state;
    int64_t starts[4];
    int bad[] = {10 * 60, 24 * 60};
    struct pp_recurrence r = range(2027, 1, 1, 2027, 1, 2, bad, 2);
    assert_int_equal(pp_recurrence_expand(&r, "Europe/Paris", 0, starts, 4), -1);
    int negative[] = {-1};
    r = range(2027, 1, 1, 2027, 1, 2, negative, 1);
    assert_int_equal(pp_recurrence_expand(&r, "Europe/Paris", 0, starts, 4), -1);
    int last[] = {23 * 60 + 59};
    r = range(2027, 1, 1, 2027, 1, 2, last, 1);
    assert_int_equal(pp_recurrence_expand(&r, "Europe/Paris", 0, starts, 4), 2);
}

static void test_check(void **state)
{
    (void)state;
    int ten[] = {600};
    struct pp_error e;
    struct pp_recurrence r = range(2027, 1, 1, 2027, 1, 2, ten, 1);
    pp_error_init(&e);
    pp_recurrence_check(&r, &e);
    assert_int_equal(e.count, 0);

    r = range(2027, 2, 30, 2027, 13, 1, ten, 1);
    pp_recurrence_check(&r, &e);
    assert_int_equal(e.count, 2);
    assert_string_equal(e.items[0].field, "startDate");
    assert_string_equal(e.items[1].field, "endDate");
    assert_string_equal(e.items[1].message, "Date de fin invalide.");

    r = range(2027, 1, 2, 2027, 1, 1, NULL, 0);
    memset(r.weekdays, 0, sizeof r.weekdays);
    r.n_price_categories = 0;
    pp_error_init(&e);
    pp_recurrence_check(&r, &e);
    assert_int_equal(e.count, 4);
    assert_string_equal(e.items[0].field, "endDate");
    assert_string_equal(e.items[0].message,
                        "La date de fin doit être le même jour ou après la date de début.");
    assert_string_equal(e.items[1].field, "weekdays");
    assert_string_equal(e.items[2].field, "times");
    assert_string_equal(e.items[3].field, "priceCategoryIds");

    /* The order of the range is only looked at while nothing else is wrong yet. */
    r = range(2027, 1, 2, 2027, 1, 1, ten, 1);
    pp_error_init(&e);
    pp_error_set(&e, PP_EVALIDATION, "quantity", "x");
    pp_recurrence_check(&r, &e);
    assert_int_equal(e.count, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_weekday),          cmocka_unit_test(test_days_of_week),
        cmocka_unit_test(test_time_zones),       cmocka_unit_test(test_daylight_saving),
        cmocka_unit_test(test_past_slots_skipped), cmocka_unit_test(test_limit),
        cmocka_unit_test(test_bad_time),         cmocka_unit_test(test_check),
    };
    return cmocka_run_group_tests_name("recurrence", tests, NULL, NULL);
}
