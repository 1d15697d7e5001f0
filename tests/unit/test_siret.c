#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "core/siret.h"

static void test_siren_luhn_valid(void **state)
{
    (void)state;
    assert_true(pp_siren_is_valid("552081317"));
    assert_true(pp_siren_is_valid("732829320"));
    assert_true(pp_siren_is_valid("123456782"));
    assert_true(pp_siren_is_valid("356000000"));
}

static void test_siren_luhn_invalid(void **state)
{
    (void)state;
    assert_false(pp_siren_is_valid("552081318"));
    assert_false(pp_siren_is_valid("123456789"));
    assert_false(pp_siren_is_valid("732829321"));
}

static void test_siren_bad_format(void **state)
{
    (void)state;
    assert_false(pp_siren_is_valid(NULL));
    assert_false(pp_siren_is_valid(""));
    assert_false(pp_siren_is_valid("55208131"));
    assert_false(pp_siren_is_valid("5520813170"));
    assert_false(pp_siren_is_valid("55208131A"));
    assert_false(pp_siren_is_valid("552 081 317"));
    assert_false(pp_siren_is_valid(" 552081317"));
    assert_false(pp_siren_is_valid("-55208131"));
    /* A valid SIRET is not a SIREN. */
    assert_false(pp_siren_is_valid("55208131766522"));
}

static void test_siret_luhn_valid(void **state)
{
    (void)state;
    assert_true(pp_siret_is_valid("55208131766522"));
    assert_true(pp_siret_is_valid("73282932000074"));
    assert_true(pp_siret_is_valid("12345678200010"));
}

static void test_siret_luhn_invalid(void **state)
{
    (void)state;
    assert_false(pp_siret_is_valid("55208131766523"));
    assert_false(pp_siret_is_valid("73282932000075"));
    /* Digit sum multiple of 5 helps only La Poste. */
    assert_false(pp_siret_is_valid("12345678900000"));
}

static void test_siret_needs_a_valid_siren(void **state)
{
    (void)state;
    /* Luhn-valid over 14 digits, but its SIREN 213300636 fails its own checksum. */
    assert_false(pp_siren_is_valid("213300636"));
    assert_false(pp_siret_is_valid("21330063600015"));
    assert_true(pp_siret_is_valid("21330063500017"));
}

static void test_siret_la_poste(void **state)
{
    (void)state;
    /* Not Luhn-valid, digit sum 35. */
    assert_true(pp_siret_is_valid("35600000009075"));
    assert_true(pp_siret_is_valid("35600000009093"));
    /* Head office, Luhn-valid, digit sum 26. */
    assert_true(pp_siret_is_valid("35600000000048"));
    assert_true(pp_siret_is_valid("35600000012340"));
}

static void test_siret_la_poste_invalid(void **state)
{
    (void)state;
    /* Neither Luhn nor a multiple of 5 (sums 32, 27, 21). */
    assert_false(pp_siret_is_valid("35600000009090"));
    assert_false(pp_siret_is_valid("35600000000049"));
    assert_false(pp_siret_is_valid("35600000012345"));
    /* Prefix not La Poste's: sum 36 but the rule does not apply anyway. */
    assert_false(pp_siret_is_valid("35600100009075"));
}

static void test_siret_bad_format(void **state)
{
    (void)state;
    assert_false(pp_siret_is_valid(NULL));
    assert_false(pp_siret_is_valid(""));
    assert_false(pp_siret_is_valid("552081317"));
    assert_false(pp_siret_is_valid("5520813176652"));
    assert_false(pp_siret_is_valid("552081317665220"));
    assert_false(pp_siret_is_valid("5520813176652A"));
    assert_false(pp_siret_is_valid("552 081 317 66522"));
    assert_false(pp_siret_is_valid("55208131766522 "));
    assert_false(pp_siret_is_valid("3560000000907X"));
}

static void test_normalize_removes_spaces(void **state)
{
    (void)state;
    char out[15];
    assert_true(pp_siret_normalize("552 081 317 66522", out, sizeof out));
    assert_string_equal(out, "55208131766522");
    assert_true(pp_siret_is_valid(out));

    assert_true(pp_siret_normalize("  552081317\t", out, sizeof out));
    assert_string_equal(out, "552081317");

    /* Non-breaking and narrow non-breaking spaces, as pasted from French web pages. */
    assert_true(pp_siret_normalize("552\xC2\xA0" "081\xE2\x80\xAF" "317", out, sizeof out));
    assert_string_equal(out, "552081317");

    assert_true(pp_siret_normalize("55208131766522", out, sizeof out));
    assert_string_equal(out, "55208131766522");

    assert_true(pp_siret_normalize("   ", out, sizeof out));
    assert_string_equal(out, "");
}

static void test_normalize_refuses(void **state)
{
    (void)state;
    char out[15];
    memcpy(out, "xxxxxxxxxxxxxx", sizeof out);
    assert_false(pp_siret_normalize("552-081-317", out, sizeof out));
    assert_string_equal(out, "");
    assert_false(pp_siret_normalize("552 081 31A", out, sizeof out));
    assert_false(pp_siret_normalize("552.081.317", out, sizeof out));
    assert_false(pp_siret_normalize(NULL, out, sizeof out));
    assert_string_equal(out, "");
    assert_false(pp_siret_normalize("552081317", NULL, 10));
    assert_false(pp_siret_normalize("552081317", out, 0));
    /* A lone 0xC2 is not a space. */
    assert_false(pp_siret_normalize("552\xC2" "081", out, sizeof out));
}

static void test_normalize_capacity(void **state)
{
    (void)state;
    char out[15];
    /* 14 digits + NUL fit exactly in 15 bytes, 15 digits do not. */
    assert_true(pp_siret_normalize("5520 8131 7665 22", out, 15));
    assert_string_equal(out, "55208131766522");
    assert_false(pp_siret_normalize("552081317665220", out, 15));
    assert_false(pp_siret_normalize("55208131766522", out, 14));
    assert_string_equal(out, "");
    assert_true(pp_siret_normalize("", out, 1));
    assert_string_equal(out, "");
    assert_false(pp_siret_normalize("5", out, 1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_siren_luhn_valid),
        cmocka_unit_test(test_siret_needs_a_valid_siren),
        cmocka_unit_test(test_siren_luhn_invalid),
        cmocka_unit_test(test_siren_bad_format),
        cmocka_unit_test(test_siret_luhn_valid),
        cmocka_unit_test(test_siret_luhn_invalid),
        cmocka_unit_test(test_siret_la_poste),
        cmocka_unit_test(test_siret_la_poste_invalid),
        cmocka_unit_test(test_siret_bad_format),
        cmocka_unit_test(test_normalize_removes_spaces),
        cmocka_unit_test(test_normalize_refuses),
        cmocka_unit_test(test_normalize_capacity),
    };
    return cmocka_run_group_tests_name("siret", tests, NULL, NULL);
}
