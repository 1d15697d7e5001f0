/* Countermarks, the cancellation limit, age and credit (RULES §3). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/booking_rules.h"
#include "core/clock.h"

static int64_t at(const char *iso)
{
    int64_t t = 0;
    assert_true(pp_clock_parse_iso(iso, &t));
    return t;
}

static void test_token_alphabet_and_bias(void **state)
{
    (void)state;
    unsigned char bytes[16];
    char out[PP_TOKEN_LEN + 1];
    for (int i = 0; i < 6; i++)
        bytes[i] = (unsigned char)i;
    assert_true(pp_token_from_random(bytes, 6, out));
    assert_string_equal(out, "ABCDEF");
    /* 29 → '7', 30 wraps to 'A'; 240..255 are skipped. */
    unsigned char tricky[] = {29, 255, 30, 240, 59, 239, 0, 1};
    assert_true(pp_token_from_random(tricky, sizeof tricky, out));
    assert_string_equal(out, "7A77AB");
    unsigned char short_of[] = {250, 250, 1, 2};
    assert_false(pp_token_from_random(short_of, sizeof short_of, out));
    /* Every byte below 240 maps into the alphabet, evenly: 8 bytes per character. */
    int counts[128] = {0};
    for (int b = 0; b < 240; b++) {
        unsigned char one[6] = {(unsigned char)b, 0, 0, 0, 0, 0};
        assert_true(pp_token_from_random(one, 6, out));
        counts[(int)out[0]]++;
    }
    for (const char *c = PP_TOKEN_ALPHABET; *c; c++)
        assert_int_equal(counts[(int)*c], 8);
    assert_null(strpbrk(PP_TOKEN_ALPHABET, "0189IO"));
    assert_int_equal(strlen(PP_TOKEN_ALPHABET), 30);
}

static void test_token_parse(void **state)
{
    (void)state;
    char out[PP_TOKEN_LEN + 1];
    const char *ok[][2] = {
        {"ABC234", "ABC234"},
        {"abc234", "ABC234"},
        {"  XyZ567 \n", "XYZ567"},
        {"PASSCULTURE:v3;TOKEN:QWERTY", "QWERTY"},
        {"PASSCULTURE:v3;TOKEN:qwerty", "QWERTY"},
        {"any:ABCDEF", "ABCDEF"},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        assert_true(pp_token_parse(ok[i][0], out));
        assert_string_equal(out, ok[i][1]);
    }
    const char *bad[] = {"",        "ABC23",  "ABC2345", "ABC1O0", "ABC 23", "ABCDE8",
                         "ÉBCDEF",  "PASSCULTURE:v3;TOKEN:", "ABCDEF;", "ABCDEF junk", NULL};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(pp_token_parse(bad[i], out));
}

static void test_cancellation_limit(void **state)
{
    (void)state;
    int64_t booked = at("2026-03-01T10:00:00Z");
    /* Event in 10 days: 48 h after booking. */
    assert_int_equal(pp_cancellation_limit(booked, at("2026-03-11T10:00:00Z")),
                     at("2026-03-03T10:00:00Z"));
    /* Event in 3 days: 48 h before the event (earlier than booking + 48 h? no: equal). */
    assert_int_equal(pp_cancellation_limit(booked, at("2026-03-04T10:00:00Z")),
                     at("2026-03-02T10:00:00Z"));
    /* Event in 30 hours: the limit is the booking itself, never before it. */
    assert_int_equal(pp_cancellation_limit(booked, at("2026-03-02T16:00:00Z")), booked);
    /* Things have none. */
    assert_int_equal(pp_cancellation_limit(booked, 0), 0);
    /* Across the daylight-saving change (29 March 2026): plain seconds, 48 h exactly. */
    int64_t b2 = at("2026-03-28T12:00:00Z");
    assert_int_equal(pp_cancellation_limit(b2, at("2026-04-10T08:00:00Z")),
                     b2 + 48 * 3600);
    /* After a move: min(new start, now + 48 h). */
    int64_t now = at("2026-03-05T00:00:00Z");
    assert_int_equal(pp_cancellation_limit_after_move(now, at("2026-03-20T00:00:00Z")),
                     now + 48 * 3600);
    assert_int_equal(pp_cancellation_limit_after_move(now, at("2026-03-06T00:00:00Z")),
                     at("2026-03-06T00:00:00Z"));
}

static void test_age(void **state)
{
    (void)state;
    assert_int_equal(pp_age_at(2008, 6, 15, at("2026-06-14T23:59:59Z")), 17);
    assert_int_equal(pp_age_at(2008, 6, 15, at("2026-06-15T00:00:00Z")), 18);
    assert_int_equal(pp_age_at(2008, 2, 29, at("2026-02-28T12:00:00Z")), 17);
    assert_int_equal(pp_age_at(2008, 2, 29, at("2026-03-01T00:00:00Z")), 18);
}

static void test_credit(void **state)
{
    (void)state;
    struct pp_credit c;
    int64_t now = at("2026-11-26T12:00:00Z");
    /* 17, registered at 17: 50 €. */
    pp_credit_compute(2009, 5, 1, now, now, false, &c);
    assert_true(c.eligible);
    assert_false(c.free_only);
    assert_int_equal(c.amount_cents, 5000);
    /* Same person after the 18th birthday: +150 €. */
    pp_credit_compute(2009, 5, 1, now, at("2027-05-01T00:00:00Z"), false, &c);
    assert_int_equal(c.amount_cents, 20000);
    /* Registered at 18: 150 €; with the social bonus: 200 €. */
    pp_credit_compute(2008, 1, 10, now, now, false, &c);
    assert_int_equal(c.amount_cents, 15000);
    pp_credit_compute(2008, 1, 10, now, now, true, &c);
    assert_int_equal(c.amount_cents, 20000);
    /* 16: free offers only, 0 €. 14: not eligible. */
    pp_credit_compute(2010, 3, 3, now, now, false, &c);
    assert_true(c.eligible && c.free_only);
    assert_int_equal(c.amount_cents, 0);
    pp_credit_compute(2012, 3, 3, now, now, false, &c);
    assert_false(c.eligible);
    /* Expires at the 21st birthday (+11 h for overseas). */
    pp_credit_compute(2005, 12, 1, at("2023-12-01T00:00:00Z"), now, false, &c);
    assert_int_equal(c.expires_at, at("2026-12-01T11:00:00Z"));
    assert_int_equal(c.amount_cents, 15000);
    pp_credit_compute(2005, 12, 1, at("2023-12-01T00:00:00Z"), at("2026-12-01T11:00:00Z"), false,
                      &c);
    assert_false(c.eligible);
    assert_int_equal(c.amount_cents, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_token_alphabet_and_bias),
        cmocka_unit_test(test_token_parse),
        cmocka_unit_test(test_cancellation_limit),
        cmocka_unit_test(test_age),
        cmocka_unit_test(test_credit),
    };
    return cmocka_run_group_tests_name("booking_rules", tests, NULL, NULL);
}
