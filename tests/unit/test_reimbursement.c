/* The barèmes (RULES §7): rule at each threshold, books, not reimbursed, custom rules, and the
 * one rounding rule. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/reimbursement.h"

static void test_standard_thresholds(void **state)
{
    (void)state;
    /* The revenue includes the booking being priced; "up to 20 000 €" includes 20 000 €. */
    assert_int_equal(pp_rule_pick(PP_REIMBURSEMENT_STANDARD, 1999999), PP_RULE_PHYSICAL);
    assert_int_equal(pp_rule_pick(PP_REIMBURSEMENT_STANDARD, 2000000), PP_RULE_PHYSICAL);
    assert_int_equal(pp_rule_pick(PP_REIMBURSEMENT_STANDARD, 2000001), PP_RULE_STANDARD_95);
    assert_int_equal(pp_rule_pick(PP_REIMBURSEMENT_STANDARD, 4000000), PP_RULE_STANDARD_95);
    assert_int_equal(pp_rule_pick(PP_REIMBURSEMENT_STANDARD, 4000001), PP_RULE_STANDARD_92);
    assert_int_equal(pp_rule_pick(PP_REIMBURSEMENT_STANDARD, 15000000), PP_RULE_STANDARD_92);
    assert_int_equal(pp_rule_pick(PP_REIMBURSEMENT_STANDARD, 15000001), PP_RULE_STANDARD_90);
    assert_int_equal(pp_rule_rate_bp(PP_RULE_STANDARD_95), 9500);
    assert_int_equal(pp_rule_rate_bp(PP_RULE_STANDARD_92), 9200);
    assert_int_equal(pp_rule_rate_bp(PP_RULE_STANDARD_90), 9000);
    assert_string_equal(pp_rule_description(PP_RULE_STANDARD_95),
                        "Remboursement à 95% entre 20 000 € et 40 000 € par lieu (>= 2021-09-01)");
}

static void test_books_and_digital(void **state)
{
    (void)state;
    assert_int_equal(pp_rule_pick(PP_REIMBURSEMENT_BOOK, 2000000), PP_RULE_BOOK_100);
    assert_int_equal(pp_rule_pick(PP_REIMBURSEMENT_BOOK, 2000001), PP_RULE_BOOK_95);
    /* Books have no 92 % or 90 % step. */
    assert_int_equal(pp_rule_pick(PP_REIMBURSEMENT_BOOK, 90000000), PP_RULE_BOOK_95);
    assert_int_equal(pp_rule_pick(PP_REIMBURSEMENT_NOT_REIMBURSED, 100), PP_RULE_NOT_REIMBURSED);
    assert_int_equal(pp_rule_rate_bp(PP_RULE_NOT_REIMBURSED), 0);
    assert_int_equal(pp_rule_group_of(PP_RULE_BOOK_95), PP_GROUP_BOOK);
    assert_string_equal(pp_rule_group_title(PP_GROUP_STANDARD), "Barème général");
}

static void test_codes_round_trip(void **state)
{
    (void)state;
    for (int r = 0; r < PP_RULE_COUNT; r++) {
        enum pp_rule back;
        assert_true(pp_rule_from_code(pp_rule_code((enum pp_rule)r), &back));
        assert_int_equal(back, r);
    }
    enum pp_rule unused;
    assert_false(pp_rule_from_code("STANDARD_85", &unused));
    assert_false(pp_rule_from_code(NULL, &unused));
}

static void test_rounding_half_up(void **state)
{
    (void)state;
    assert_int_equal(pp_reimbursed_cents(1235, 9500), 1173); /* 11,7325 → 11,73 */
    assert_int_equal(pp_reimbursed_cents(10, 9500), 10);     /* 0,095 → 0,10: half goes up */
    assert_int_equal(pp_reimbursed_cents(30, 9500), 29);     /* 0,285 → 0,29 */
    assert_int_equal(pp_reimbursed_cents(1250, 9200), 1150);
    assert_int_equal(pp_reimbursed_cents(2250, 9000), 2025);
    assert_int_equal(pp_reimbursed_cents(1999, 10000), 1999);
    assert_int_equal(pp_reimbursed_cents(1999, 0), 0);
    assert_int_equal(pp_reimbursed_cents(-10, 9500), -10); /* symmetric for incidents */
    /* The contribution is what is left: the two always add up to the total. */
    for (int64_t total = 0; total < 5000; total += 7) {
        int64_t r = pp_reimbursed_cents(total, 9500);
        assert_true(r >= 0 && r <= total);
        assert_true(r * 10000 - total * 9500 <= 5000 && total * 9500 - r * 10000 < 5000);
    }
}

static void test_custom_rules(void **state)
{
    (void)state;
    const struct pp_custom_rule rules[] = {
        {.id = 1, .offerer_id = 7, .rate_bp = 9000, .starts_at = 100},
        {.id = 2, .venue_id = 3, .rate_bp = -1, .amount_cents = 500, .starts_at = 100,
         .ends_at = 200, .subcategories = "SEANCE_CINE,LIVRE_PAPIER"},
        {.id = 3, .offer_id = 42, .rate_bp = 8000, .starts_at = 150},
    };
    /* The offer's rule wins over the venue's and the structure's. */
    const struct pp_custom_rule *r = pp_custom_rule_pick(rules, 3, 42, 3, 7, "SEANCE_CINE", 160);
    assert_non_null(r);
    assert_int_equal(r->id, 3);
    /* Before the offer rule starts: the venue's (fixed amount per place). */
    r = pp_custom_rule_pick(rules, 3, 42, 3, 7, "SEANCE_CINE", 120);
    assert_int_equal(r->id, 2);
    assert_int_equal(pp_custom_rule_amount(r, 1800, 2), 1000);
    /* The venue rule ends (exclusive) at 200 and covers only two subcategories. */
    assert_int_equal(pp_custom_rule_pick(rules, 3, 1, 3, 7, "SEANCE_CINE", 200)->id, 1);
    assert_int_equal(pp_custom_rule_pick(rules, 3, 1, 3, 7, "SEANCE", 120)->id, 1);
    assert_int_equal(pp_custom_rule_amount(&rules[0], 1235, 1), 1112);
    /* Nothing before any rule starts, nor for another structure. */
    assert_null(pp_custom_rule_pick(rules, 3, 42, 3, 7, "SEANCE_CINE", 99));
    assert_null(pp_custom_rule_pick(rules, 3, 1, 4, 8, "SEANCE_CINE", 160));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_standard_thresholds),
        cmocka_unit_test(test_books_and_digital),
        cmocka_unit_test(test_codes_round_trip),
        cmocka_unit_test(test_rounding_half_up),
        cmocka_unit_test(test_custom_rules),
    };
    return cmocka_run_group_tests_name("reimbursement", tests, NULL, NULL);
}
