#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/status.h"

/* Every name parses back to its value, so output built from the enums is unchanged. */
static void test_round_trip(void **state)
{
    (void)state;
    for (int r = PP_ROLE_PRO; r <= PP_ROLE_ADMIN; r++)
        assert_int_equal(pp_role_parse(pp_role_name((enum pp_role)r)), r);
    for (int s = PP_BOOKING_CONFIRMED; s <= PP_BOOKING_REIMBURSED; s++)
        assert_int_equal(pp_booking_status_parse(pp_booking_status_name(s)), s);
    for (int v = PP_VALIDATION_NEW; v <= PP_VALIDATION_CLOSED; v++)
        assert_int_equal(pp_validation_parse(pp_validation_name(v)), v);
    for (int b = PP_BANK_DRAFT; b <= PP_BANK_REFUSED; b++)
        assert_int_equal(pp_bank_status_parse(pp_bank_status_name(b)), b);
    for (int o = PP_OUTBOX_PENDING; o <= PP_OUTBOX_FAILED; o++)
        assert_int_equal(pp_outbox_status_parse(pp_outbox_status_name(o)), o);
}

/* The strings are the database's, to the letter. */
static void test_names(void **state)
{
    (void)state;
    assert_string_equal(pp_role_name(PP_ROLE_UNDERAGE), "UNDERAGE");
    assert_string_equal(pp_booking_status_name(PP_BOOKING_REIMBURSED), "REIMBURSED");
    assert_string_equal(pp_validation_name(PP_VALIDATION_VALIDATED), "VALIDATED");
    assert_string_equal(pp_bank_status_name(PP_BANK_ACCEPTED), "ACCEPTED");
    assert_string_equal(pp_outbox_status_name(PP_OUTBOX_SENDING), "SENDING");
    assert_int_equal(PP_OUTBOX_FAILED, PP_OUTBOX_STATUSES);
}

static void test_unknown_is_none(void **state)
{
    (void)state;
    assert_int_equal(pp_role_parse(NULL), PP_ROLE_NONE);
    assert_int_equal(pp_role_parse("pro"), PP_ROLE_NONE);
    assert_int_equal(pp_booking_status_parse(""), PP_BOOKING_NONE);
    assert_int_equal(pp_outbox_status_parse("SENT "), PP_OUTBOX_NONE);
    assert_null(pp_role_name(PP_ROLE_NONE));
    assert_null(pp_booking_status_name((enum pp_booking_status)99));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_unknown_is_none),
    };
    return cmocka_run_group_tests_name("status", tests, NULL, NULL);
}
