/* IBANs: normalisation, country lengths, the mod-97 check, grouping and masking. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/iban.h"

static bool valid(const char *typed)
{
    char iban[PP_IBAN_MAX];
    return pp_iban_normalize(typed, iban) && pp_iban_is_valid(iban);
}

static void test_valid_ibans(void **state)
{
    (void)state;
    /* Published examples of the registry and of French banks. */
    assert_true(valid("FR76 3000 6000 0112 3456 7890 189"));
    assert_true(valid("fr7630006000011234567890189"));
    assert_true(valid("DE89 3704 0044 0532 0130 00"));
    assert_true(valid("GB82 WEST 1234 5698 7654 32"));
    assert_true(valid("BE68 5390 0754 7034"));
    assert_true(valid("MC58 1122 2000 0101 2345 6789 030"));
    assert_true(valid("NO93 8601 1117 947"));
}

static void test_invalid_ibans(void **state)
{
    (void)state;
    assert_false(valid("FR76 3000 6000 0112 3456 7890 188")); /* one digit off */
    assert_false(valid("FR67 3000 6000 0112 3456 7890 189")); /* check digits swapped */
    assert_false(valid("FR76 3000 6000 0112 3456 7890 18"));  /* too short for France */
    assert_false(valid("FR76 3000 6000 0112 3456 7890 1890"));/* too long for France */
    assert_false(valid("XX76 3000 6000 0112 3456 7890 189")); /* unknown country */
    assert_false(valid("FRAB 3000 6000 0112 3456 7890 189")); /* letters as check digits */
    assert_false(valid("FR76-3000-6000-0112-3456-7890-189")); /* dashes are not spaces */
    assert_false(valid(""));
    assert_false(valid("   "));
    assert_false(valid("FR76 3000 6000 0112 3456 7890 189 0000 0000 0000")); /* > 34 */
    assert_false(valid("FR76 3000 6000 0112 3456 7890 1é9"));
}

static void test_group_and_mask(void **state)
{
    (void)state;
    char iban[PP_IBAN_MAX], shown[PP_IBAN_SHOWN];
    assert_true(pp_iban_normalize(" fr76 3000 6000 0112 3456 7890 189 ", iban));
    assert_string_equal(iban, "FR7630006000011234567890189");
    pp_iban_group(iban, shown);
    assert_string_equal(shown, "FR76 3000 6000 0112 3456 7890 189");
    pp_iban_mask(iban, shown);
    assert_string_equal(shown, "FR76 **** **** **** **** ***0 189");
    /* The longest IBAN fits both buffers. */
    memset(iban, '7', 34);
    iban[34] = '\0';
    pp_iban_group(iban, shown);
    assert_int_equal(strlen(shown), 34 + 8);
    pp_iban_mask(iban, shown);
    assert_int_equal(strlen(shown), 34 + 8);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_ibans),
        cmocka_unit_test(test_invalid_ibans),
        cmocka_unit_test(test_group_and_mask),
    };
    return cmocka_run_group_tests_name("iban", tests, NULL, NULL);
}
