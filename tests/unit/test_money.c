/* Euro amounts written and read the French way. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/money.h"

static void test_format(void **state)
{
    (void)state;
    char buf[PP_MONEY_LEN];
    pp_money_format(1200, buf);
    assert_string_equal(buf, "12,00\u00a0€");
    pp_money_format(5, buf);
    assert_string_equal(buf, "0,05\u00a0€");
    pp_money_format(123450, buf);
    assert_string_equal(buf, "1\u202f234,50\u00a0€");
    pp_money_format(-320, buf);
    assert_string_equal(buf, "-3,20\u00a0€");
    pp_money_format(INT64_MIN, buf); /* never overflows the buffer */
    assert_true(buf[0] == '-');
    pp_money_format_price(0, buf);
    assert_string_equal(buf, "Gratuit");
    pp_money_format_price(30000, buf);
    assert_string_equal(buf, "300,00\u00a0€");
}

static void test_parse(void **state)
{
    (void)state;
    struct {
        const char *in;
        int64_t cents;
    } ok[] = {{"12", 1200},  {"12,5", 1250},       {"12.50", 1250}, {"0", 0},
              {"gratuit", 0}, {"Gratuit", 0},       {" 7,05 € ", 705}, {"300", 30000},
              {"8,5€", 850},  {"1000000", 100000000},
              /* As pp_money_format() shows it (no-break space before €): found by fuzz_numbers. */
              {"12,00\u00a0€", 1200}, {"\u202f7,05\u00a0€\u00a0", 705}};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        int64_t c = -1;
        assert_true(pp_money_parse(ok[i].in, &c));
        assert_int_equal(c, ok[i].cents);
    }
    /* Every amount shown below 1,000 € reads back as itself. */
    for (int64_t cents = 0; cents < 100000; cents += 7) {
        char buf[PP_MONEY_LEN];
        int64_t c = -1;
        pp_money_format(cents, buf);
        assert_true(pp_money_parse(buf, &c));
        assert_int_equal(c, cents);
    }
    const char *bad[] = {"", "abc", "12,", ",5", "12,555", "-3", "12 34", "1000001", "12€50",
                         "1e3", NULL,
                         /* Past 1,000,000 € by its cents: found by fuzz_numbers. */
                         "1000000,01", "1000000.5 €"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t c;
        assert_false(pp_money_parse(bad[i], &c));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_parse),
    };
    return cmocka_run_group_tests_name("money", tests, NULL, NULL);
}
