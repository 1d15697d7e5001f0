#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "core/password.h"

/* Asserts that @pw is refused with a message containing @word. */
static void assert_refused_for(const char *pw, const char *word)
{
    const char *msg = pp_password_check(pw);
    assert_non_null(msg);
    if (strstr(msg, word) == NULL)
        fail_msg("\"%s\": message \"%s\" does not name \"%s\"", pw, msg, word);
}

static void test_valid(void **state)
{
    (void)state;
    assert_null(pp_password_check("Azerty123456!"));
    assert_null(pp_password_check("user@PASS-2024"));
    assert_null(pp_password_check("Aa1!aaaaaaaa"));
    /* A space is a printable character other than a letter or digit. */
    assert_null(pp_password_check("Aa1 aaaaaaaa"));
}

static void test_missing_upper(void **state)
{
    (void)state;
    assert_refused_for("azerty123456!", "majuscule");
    /* Accented capitals are not ASCII upper case. */
    assert_refused_for("\xc3\x89t\xc3\xa9" "azerty1234!", "majuscule");
}

static void test_missing_lower(void **state)
{
    (void)state;
    assert_refused_for("AZERTY123456!", "minuscule");
}

static void test_missing_digit(void **state)
{
    (void)state;
    assert_refused_for("Azertyuiopqs!", "chiffre");
}

static void test_missing_symbol(void **state)
{
    (void)state;
    assert_refused_for("Azerty123456", "caractère spécial");
    /* A control character is not a symbol. */
    assert_refused_for("Azerty\t123456", "caractère spécial");
}

static void test_one_gap_names_only_it(void **state)
{
    (void)state;
    const char *msg = pp_password_check("AZERTY123456!");
    assert_non_null(msg);
    assert_null(strstr(msg, "majuscule"));
    assert_null(strstr(msg, "chiffre"));
    assert_null(strstr(msg, "12 caractères"));
}

static void test_several_gaps_name_all(void **state)
{
    (void)state;
    const char *msg = pp_password_check("azertyuiopqsd");
    assert_non_null(msg);
    assert_non_null(strstr(msg, "12 caractères"));
    assert_non_null(strstr(msg, "majuscule"));
    assert_non_null(strstr(msg, "minuscule"));
    assert_non_null(strstr(msg, "chiffre"));
    assert_non_null(strstr(msg, "caractère spécial"));
}

static void test_length_11_vs_12(void **state)
{
    (void)state;
    assert_refused_for("Aa1!aaaaaaa", "12 caractères");
    assert_int_equal(strlen("Aa1!aaaaaaa"), 11);
    assert_null(pp_password_check("Aa1!aaaaaaaa"));
}

static void test_multibyte_counts_as_one(void **state)
{
    (void)state;
    /* 11 code points in 18 bytes: too short although 18 bytes >= 12. */
    const char *eleven = "Aa1!\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9";
    assert_int_equal(strlen(eleven), 18);
    assert_refused_for(eleven, "12 caractères");
    assert_null(pp_password_check("Aa1!\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                                  "\xc3\xa9"));
    /* 8 emoji (4 bytes each) + 3 ASCII = 11 characters. */
    const char *emoji = "Aa1\xf0\x9f\x8e\xad\xf0\x9f\x8e\xad\xf0\x9f\x8e\xad\xf0\x9f\x8e\xad"
                        "\xf0\x9f\x8e\xad\xf0\x9f\x8e\xad\xf0\x9f\x8e\xad\xf0\x9f\x8e\xad";
    assert_refused_for(emoji, "12 caractères");
}

static void test_non_ascii_is_symbol(void **state)
{
    (void)state;
    /* "é" and "€" are the only non-alphanumeric characters. */
    assert_null(pp_password_check("Azerty12345\xc3\xa9"));
    assert_null(pp_password_check("Azerty12345\xe2\x82\xac"));
}

static void test_too_long(void **state)
{
    (void)state;
    char pw[300];
    memset(pw, 'a', sizeof pw);
    memcpy(pw, "Aa1!", 4);
    pw[256] = '\0';
    assert_null(pp_password_check(pw));
    pw[256] = 'a';
    pw[257] = '\0';
    assert_refused_for(pw, "256");
    pw[299] = '\0';
    assert_refused_for(pw, "256");
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "Azerty123456!\xff",             /* never valid */
        "Azerty123456!\xc3",             /* truncated at the end */
        "Azerty123456!\xc3!",            /* missing continuation */
        "Azerty123456!\xc0\xaf",         /* overlong '/' */
        "Azerty123456!\xe0\x80\xaf",     /* overlong, 3 bytes */
        "Azerty123456!\xed\xa0\x80",     /* UTF-16 surrogate */
        "Azerty123456!\xf4\x90\x80\x80", /* above U+10FFFF */
        "Azerty123456!\x80",             /* lone continuation */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_refused_for(bad[i], "invalides");
}

static void test_null_and_empty(void **state)
{
    (void)state;
    assert_refused_for(NULL, "12 caractères");
    assert_refused_for("", "12 caractères");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_missing_upper),
        cmocka_unit_test(test_missing_lower),
        cmocka_unit_test(test_missing_digit),
        cmocka_unit_test(test_missing_symbol),
        cmocka_unit_test(test_one_gap_names_only_it),
        cmocka_unit_test(test_several_gaps_name_all),
        cmocka_unit_test(test_length_11_vs_12),
        cmocka_unit_test(test_multibyte_counts_as_one),
        cmocka_unit_test(test_non_ascii_is_symbol),
        cmocka_unit_test(test_too_long),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_null_and_empty),
    };
    return cmocka_run_group_tests_name("password", tests, NULL, NULL);
}
