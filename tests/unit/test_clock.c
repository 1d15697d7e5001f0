/* ISO 8601 parsing and the test clock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/clock.h"

static void test_parse_iso(void **state)
{
    (void)state;
    int64_t t;
    assert_true(pp_clock_parse_iso("1970-01-01T00:00:00Z", &t));
    assert_int_equal(t, 0);
    assert_true(pp_clock_parse_iso("2026-03-14T09:30:00Z", &t));
    assert_int_equal(t, 1773480600);
    assert_true(pp_clock_parse_iso("2026-03-14T09:30:00.123Z", &t));
    assert_int_equal(t, 1773480600);
    assert_true(pp_clock_parse_iso("2026-03-14T09:30:00+00:00", &t));
    assert_int_equal(t, 1773480600);
    assert_true(pp_clock_parse_iso("2024-02-29T23:59:59Z", &t));
    char buf[21];
    pp_clock_format_iso(t, buf);
    assert_string_equal(buf, "2024-02-29T23:59:59Z");
}

static void test_parse_iso_rejects(void **state)
{
    (void)state;
    int64_t t;
    const char *bad[] = {"", "2026-03-14", "2026-03-14T09:30:00", "2026-02-30T00:00:00Z",
                         "2025-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-03-14T24:00:00Z",
                         "2026-03-14T09:60:00Z", "2026-03-14T09:30:00+01:00", "hier",
                         "2026-03-14T09:30:00Zjunk", "2026-3-14T09:30:00Z"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(pp_clock_parse_iso(bad[i], &t));
    assert_false(pp_clock_parse_iso(NULL, &t));
}

static void test_test_clock(void **state)
{
    (void)state;
    assert_false(pp_clock_set(0)); /* refused until enabled */
    pp_clock_enable_test();
    assert_true(pp_clock_is_test());
    assert_true(pp_clock_set(1893456000)); /* 2030-01-01 */
    int64_t now = pp_clock_now();
    assert_true(now >= 1893456000 && now <= 1893456002);
}

static void test_arena(void **state)
{
    (void)state;
    struct pp_arena *a = pp_arena_new();
    char *s = pp_arena_printf(a, "%s-%d", "lieu", 42);
    assert_string_equal(s, "lieu-42");
    /* Large allocations and many small ones stay valid and aligned. */
    char *big = pp_arena_alloc(a, 100000);
    big[99999] = 'x';
    for (int i = 0; i < 10000; i++) {
        void *p = pp_arena_alloc(a, 3);
        assert_int_equal((uintptr_t)p % 16, 0);
    }
    assert_string_equal(s, "lieu-42");
    assert_null(pp_arena_strdup(a, NULL));
    assert_true(pp_arena_used(a) >= 100000 + 30000);
    pp_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_iso),
        cmocka_unit_test(test_parse_iso_rejects),
        cmocka_unit_test(test_test_clock),
        cmocka_unit_test(test_arena),
    };
    return cmocka_run_group_tests_name("clock", tests, NULL, NULL);
}
