/* What people type in forms: times, days, counts, ids. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/input.h"

static void test_time(void **state)
{
    (void)state;
    assert_int_equal(pp_input_time("14:30"), 14 * 60 + 30);
    assert_int_equal(pp_input_time("9:05"), 9 * 60 + 5);
    assert_int_equal(pp_input_time("00:00"), 0);
    assert_int_equal(pp_input_time("23:59"), 23 * 60 + 59);
    assert_int_equal(pp_input_time("10h30"), 10 * 60 + 30);
    assert_int_equal(pp_input_time("10H30"), 10 * 60 + 30);
    assert_int_equal(pp_input_time("10h"), 10 * 60);
    assert_int_equal(pp_input_time("10:30:00"), 10 * 60 + 30);

    assert_int_equal(pp_input_time(NULL), -1);
    assert_int_equal(pp_input_time(""), -1);
    assert_int_equal(pp_input_time("10"), -1);
    assert_int_equal(pp_input_time("10:"), -1);       /* only "h" may stand alone */
    assert_int_equal(pp_input_time("10:3"), -1);      /* minutes take two digits */
    assert_int_equal(pp_input_time("24:00"), -1);
    assert_int_equal(pp_input_time("12:60"), -1);
    assert_int_equal(pp_input_time("123:00"), -1);
    assert_int_equal(pp_input_time("10:30:15"), -1);  /* seconds other than :00 */
    assert_int_equal(pp_input_time("10:30 "), -1);
    assert_int_equal(pp_input_time(":30"), -1);
    assert_int_equal(pp_input_time("ab:cd"), -1);
}

static void test_day(void **state)
{
    (void)state;
    int y = 0, m = 0, d = 0;
    assert_true(pp_input_day("2026-04-14", &y, &m, &d));
    assert_int_equal(y, 2026);
    assert_int_equal(m, 4);
    assert_int_equal(d, 14);
    assert_true(pp_input_day("01/06/2007", &y, &m, &d));
    assert_int_equal(y, 2007);
    assert_int_equal(m, 6);
    assert_int_equal(d, 1);
    assert_true(pp_input_day("29/02/2028", &y, &m, &d)); /* leap year */

    assert_false(pp_input_day(NULL, &y, &m, &d));
    assert_false(pp_input_day("", &y, &m, &d));
    assert_false(pp_input_day("31/02/2026", &y, &m, &d));
    assert_false(pp_input_day("29/02/2027", &y, &m, &d));
    assert_false(pp_input_day("2026-4-14", &y, &m, &d));
    assert_false(pp_input_day("14/04/26", &y, &m, &d));
    assert_false(pp_input_day("2026-04-14T10:00", &y, &m, &d));
    assert_false(pp_input_day("aa/bb/cccc", &y, &m, &d));
}

static void test_day_iso(void **state)
{
    (void)state;
    char iso[11];
    assert_string_equal(pp_input_day_iso("01/06/2007", iso), "2007-06-01");
    assert_string_equal(pp_input_day_iso("2007-06-01", iso), "2007-06-01");
    assert_string_equal(pp_input_day_iso("1/6/2007", iso), "1/6/2007"); /* left as typed */
    assert_null(pp_input_day_iso(NULL, iso));
}

static void test_count(void **state)
{
    (void)state;
    assert_int_equal(pp_input_count("0", 10), 0);
    assert_int_equal(pp_input_count("10", 10), 10);
    assert_int_equal(pp_input_count("1 000", 1000000), 1000);
    assert_int_equal(pp_input_count("1000000", 1000000), 1000000);

    assert_int_equal(pp_input_count("11", 10), -1);
    assert_int_equal(pp_input_count("1000001", 1000000), -1);
    assert_int_equal(pp_input_count(NULL, 10), -1);
    assert_int_equal(pp_input_count("", 10), -1);
    assert_int_equal(pp_input_count("-1", 10), -1);
    assert_int_equal(pp_input_count("+1", 10), -1);
    /* Any @max, up to INT64_MAX, without overflow (found by fuzz_numbers under UBSan). */
    assert_int_equal(pp_input_count("9223372036854775807", INT64_MAX), INT64_MAX);
    assert_int_equal(pp_input_count("9223372036854775808", INT64_MAX), -1);
    assert_int_equal(pp_input_count("99999999999999999999", INT64_MAX), -1);
    assert_int_equal(pp_input_count("1", 0), -1);
    assert_int_equal(pp_input_count("1,5", 10), -1);
    assert_int_equal(pp_input_count("3a", 10), -1);
    /* Far too many digits stop at the first one past @max, never overflow. */
    assert_int_equal(pp_input_count("99999999999999999999999", 8760), -1);
}

static void test_id(void **state)
{
    (void)state;
    assert_int_equal(pp_input_id("1"), 1);
    assert_int_equal(pp_input_id("42"), 42);
    assert_int_equal(pp_input_id("999999999999999999"), 999999999999999999LL);

    assert_int_equal(pp_input_id(NULL), 0);
    assert_int_equal(pp_input_id(""), 0);
    assert_int_equal(pp_input_id("0"), 0);
    assert_int_equal(pp_input_id("1000000000000000000"), 0); /* 19 digits */
    assert_int_equal(pp_input_id("-3"), 0);
    assert_int_equal(pp_input_id("+3"), 0);
    assert_int_equal(pp_input_id(" 3"), 0);
    assert_int_equal(pp_input_id("3 "), 0);
    assert_int_equal(pp_input_id("12abc"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_time),  cmocka_unit_test(test_day), cmocka_unit_test(test_day_iso),
        cmocka_unit_test(test_count), cmocka_unit_test(test_id),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
