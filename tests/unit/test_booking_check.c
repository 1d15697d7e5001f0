/* The decisions of the booking engine (RULES §3 and §4): who may book, places, credit,
 * cancellation, expiry and its reminder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/booking_check.h"
#include "core/clock.h"

#define DAY 86400
#define NOW 1780000000 /* 2026-05-28 */

static const struct pp_subcategory open_sub = {
    .id = "TEST", .minors_paid = true, .minors_free = true,
};

static struct pp_bookable stock(void)
{
    return (struct pp_bookable){
        .listed = true, .active = true, .price_cents = 1500, .quantity = -1,
        .codes_left = -1, .sub = &open_sub,
    };
}

static void assert_refused(enum pp_err got, enum pp_err want, const struct pp_error *e,
                           const char *field, const char *start)
{
    assert_int_equal(got, want);
    assert_int_equal(e->count, 1);
    assert_string_equal(e->items[0].field, field);
    assert_memory_equal(e->items[0].message, start, strlen(start));
}

static void test_allowed(void **state)
{
    (void)state;
    struct pp_error e;
    struct pp_bookable b = stock();
    pp_error_init(&e);
    assert_int_equal(pp_booking_check_allowed(&b, 18, false, &e), PP_OK);
    assert_int_equal(e.count, 0);

    b.listed = false;
    assert_refused(pp_booking_check_allowed(&b, 18, false, &e), PP_ENOTFOUND, &e, "stockId",
                   "Cette offre n'existe pas.");

    /* Minors: paid and free are two separate permissions of the subcategory. */
    struct pp_subcategory adults_paid = open_sub;
    adults_paid.minors_paid = false;
    b = stock();
    b.sub = &adults_paid;
    pp_error_init(&e);
    assert_refused(pp_booking_check_allowed(&b, 17, false, &e), PP_EFORBIDDEN, &e, "global",
                   "Vous n'êtes pas autorisé");
    pp_error_init(&e);
    assert_int_equal(pp_booking_check_allowed(&b, 18, false, &e), PP_OK);
    b.price_cents = 0;
    assert_int_equal(pp_booking_check_allowed(&b, 16, false, &e), PP_OK);
    struct pp_subcategory no_free_minors = open_sub;
    no_free_minors.minors_free = false;
    b.sub = &no_free_minors;
    assert_refused(pp_booking_check_allowed(&b, 15, false, &e), PP_EFORBIDDEN, &e, "global",
                   "Vous n'êtes pas autorisé");

    /* A free-only credit (15-16) books free offers only. */
    b = stock();
    pp_error_init(&e);
    assert_refused(pp_booking_check_allowed(&b, 16, true, &e), PP_EFORBIDDEN, &e, "global",
                   "Votre crédit ne permet de réserver que des offres gratuites.");
    b.price_cents = 0;
    pp_error_init(&e);
    assert_int_equal(pp_booking_check_allowed(&b, 16, true, &e), PP_OK);
}

static void test_places(void **state)
{
    (void)state;
    struct pp_error e;
    struct pp_bookable b = stock();
    pp_error_init(&e);
    assert_int_equal(pp_booking_check_places(&b, 1, NOW, &e), PP_OK);
    assert_refused(pp_booking_check_places(&b, 2, NOW, &e), PP_EVALIDATION, &e, "quantity",
                   "Vous ne pouvez réserver qu'une place");
    b.duo = true;
    pp_error_init(&e);
    assert_int_equal(pp_booking_check_places(&b, 2, NOW, &e), PP_OK);
    assert_refused(pp_booking_check_places(&b, 3, NOW, &e), PP_EVALIDATION, &e, "quantity",
                   "Vous devez réserver une place ou deux");
    pp_error_init(&e);
    assert_refused(pp_booking_check_places(&b, 0, NOW, &e), PP_EVALIDATION, &e, "quantity",
                   "Vous devez réserver une place ou deux");

    /* The limit and the start are exclusive bounds: at the very second, too late. */
    const char *late = "Ce stock n'est pas réservable.";
    b = stock();
    b.booking_limit_at = NOW;
    pp_error_init(&e);
    assert_refused(pp_booking_check_places(&b, 1, NOW, &e), PP_EVALIDATION, &e, "stockId", late);
    pp_error_init(&e);
    assert_int_equal(pp_booking_check_places(&b, 1, NOW - 1, &e), PP_OK);
    b = stock();
    b.beginning_at = NOW;
    assert_refused(pp_booking_check_places(&b, 1, NOW, &e), PP_EVALIDATION, &e, "stockId", late);
    b = stock();
    b.active = false;
    pp_error_init(&e);
    assert_refused(pp_booking_check_places(&b, 1, NOW, &e), PP_EVALIDATION, &e, "stockId", late);

    /* Places: the last one can be taken, not one more; unlimited never runs out. */
    b = stock();
    b.quantity = 10;
    b.booked = 9;
    pp_error_init(&e);
    assert_int_equal(pp_booking_check_places(&b, 1, NOW, &e), PP_OK);
    b.duo = true;
    assert_refused(pp_booking_check_places(&b, 2, NOW, &e), PP_ECONFLICT, &e, "stockId",
                   "Il n'y a plus assez de places");
    b = stock();
    b.booked = 1000000;
    pp_error_init(&e);
    assert_int_equal(pp_booking_check_places(&b, 1, NOW, &e), PP_OK);

    /* Codes: none left refuses; a stock without codes (-1) does not care. */
    b.codes_left = 0;
    assert_refused(pp_booking_check_places(&b, 1, NOW, &e), PP_EVALIDATION, &e, "stockId",
                   "Ce stock ne contient plus de code d'activation disponible.");
}

static void test_credit(void **state)
{
    (void)state;
    struct pp_error e;
    struct pp_booking_credit c = {.balance_cents = 2000, .digital_remaining_cents = 500,
                                  .expires_at = NOW + DAY};
    pp_error_init(&e);
    assert_int_equal(pp_booking_check_credit(&c, 2000, false, NOW, &e), PP_OK);
    assert_refused(pp_booking_check_credit(&c, 2001, false, NOW, &e), PP_EVALIDATION, &e,
                   "global", "Le solde de votre pass est insuffisant");
    pp_error_init(&e);
    assert_int_equal(pp_booking_check_credit(&c, 500, true, NOW, &e), PP_OK);
    assert_refused(pp_booking_check_credit(&c, 501, true, NOW, &e), PP_EVALIDATION, &e, "global",
                   "Le plafond de 100 €");
    /* No digital cap (15-16): -1. */
    c.digital_remaining_cents = -1;
    pp_error_init(&e);
    assert_int_equal(pp_booking_check_credit(&c, 1500, true, NOW, &e), PP_OK);
    /* An expired credit still books free offers. */
    c.expires_at = NOW;
    assert_int_equal(pp_booking_check_credit(&c, 0, false, NOW, &e), PP_OK);
    assert_refused(pp_booking_check_credit(&c, 1, false, NOW, &e), PP_EVALIDATION, &e, "global",
                   "Votre crédit pass Culture a expiré.");
}

static void test_used_at_booking(void **state)
{
    (void)state;
    struct pp_subcategory pass = open_sub;
    pass.used_at_booking_when_free = true;
    struct pp_bookable b = stock();
    assert_false(pp_booking_check_used_at_booking(&b));
    b.codes_left = 3;
    assert_true(pp_booking_check_used_at_booking(&b));
    b = stock();
    b.sub = &pass;
    assert_false(pp_booking_check_used_at_booking(&b)); /* paid */
    b.price_cents = 0;
    assert_true(pp_booking_check_used_at_booking(&b));
}

static void test_cancel_by_beneficiary(void **state)
{
    (void)state;
    struct pp_error e;
    pp_error_init(&e);
    assert_int_equal(pp_booking_check_cancel_by_beneficiary(PP_BOOKING_CONFIRMED, 0, NOW, &e),
                     PP_OK);
    assert_int_equal(pp_booking_check_cancel_by_beneficiary(PP_BOOKING_CONFIRMED, NOW + 1, NOW, &e),
                     PP_OK);
    assert_int_equal(e.count, 0);
    /* At the limit, the booking is confirmed: too late. */
    assert_refused(pp_booking_check_cancel_by_beneficiary(PP_BOOKING_CONFIRMED, NOW, NOW, &e),
                   PP_EFORBIDDEN, &e, "global", "Impossible d'annuler une réservation");
    pp_error_init(&e);
    assert_refused(pp_booking_check_cancel_by_beneficiary(PP_BOOKING_CANCELLED, 0, NOW, &e),
                   PP_EGONE, &e,
                   "global", "Cette réservation a déjà été annulée.");
    const char *used = "Cette réservation a déjà été utilisée";
    pp_error_init(&e);
    assert_refused(pp_booking_check_cancel_by_beneficiary(PP_BOOKING_USED, NOW + DAY, NOW, &e),
                   PP_EGONE,
                   &e, "global", used);
    pp_error_init(&e);
    assert_refused(pp_booking_check_cancel_by_beneficiary(PP_BOOKING_REIMBURSED, 0, NOW, &e),
                   PP_EGONE,
                   &e, "global", used);
}

static void test_cancel_by_offerer(void **state)
{
    (void)state;
    struct pp_error e;
    pp_error_init(&e);
    assert_int_equal(pp_booking_check_cancel_by_offerer(PP_BOOKING_CONFIRMED, &e), PP_OK);
    assert_int_equal(e.count, 0);
    assert_refused(pp_booking_check_cancel_by_offerer(PP_BOOKING_CANCELLED, &e),
                   PP_EGONE, &e, "global",
                   "Cette réservation a déjà été annulée.");
    pp_error_init(&e);
    assert_refused(pp_booking_check_cancel_by_offerer(PP_BOOKING_REIMBURSED, &e),
                   PP_EGONE, &e, "global",
                   "Cette réservation a déjà été remboursée");
    pp_error_init(&e);
    assert_refused(pp_booking_check_cancel_by_offerer(PP_BOOKING_USED, &e), PP_EGONE, &e, "global",
                   "Cette réservation a déjà été validée");
}

static void test_expiry(void **state)
{
    (void)state;
    assert_int_equal(pp_booking_check_expiry_days("SUPPORT_PHYSIQUE_FILM"), 30);
    assert_int_equal(pp_booking_check_expiry_days("LIVRE_PAPIER"), 10);
    assert_int_equal(pp_booking_check_expiry_days("SEANCE_CINE"), 0);   /* an event */
    assert_int_equal(pp_booking_check_expiry_days("LIVRE_NUMERIQUE"), 0); /* never expires */
    assert_int_equal(pp_booking_check_expiry_days("NO_SUCH_THING"), 0);

    int64_t booked = NOW - 30 * DAY;
    assert_true(pp_booking_check_expired("SUPPORT_PHYSIQUE_FILM", booked, NOW));
    assert_false(pp_booking_check_expired("SUPPORT_PHYSIQUE_FILM", booked + 1, NOW));
    assert_true(pp_booking_check_expired("LIVRE_PAPIER", NOW - 10 * DAY, NOW));
    assert_false(pp_booking_check_expired("LIVRE_PAPIER", NOW - 10 * DAY + 1, NOW));
    assert_false(pp_booking_check_expired("SEANCE_CINE", NOW - 365 * DAY, NOW));
}

static void test_reminder(void **state)
{
    (void)state;
    int64_t expires = 0;
    int days = 0;
    /* 30-day things: reminded from 7 days before, until the expiry itself. */
    int64_t booked = NOW - 23 * DAY;
    assert_true(pp_booking_check_reminder("SUPPORT_PHYSIQUE_FILM", booked, NOW, &expires, &days));
    assert_int_equal(expires, booked + 30 * DAY);
    assert_int_equal(days, 7);
    assert_false(pp_booking_check_reminder("SUPPORT_PHYSIQUE_FILM", booked + 1, NOW, &expires,
                                           &days));
    assert_false(pp_booking_check_reminder("SUPPORT_PHYSIQUE_FILM", NOW - 30 * DAY, NOW,
                                           &expires, &days));
    assert_true(pp_booking_check_reminder("SUPPORT_PHYSIQUE_FILM", NOW - 30 * DAY + 1, NOW,
                                          &expires, &days));
    /* Books: 5 days before their 10. */
    assert_true(pp_booking_check_reminder("LIVRE_PAPIER", NOW - 5 * DAY, NOW, &expires, &days));
    assert_int_equal(days, 5);
    assert_int_equal(expires, NOW + 5 * DAY);
    assert_false(pp_booking_check_reminder("LIVRE_PAPIER", NOW - 5 * DAY + 1, NOW, &expires,
                                           &days));
    /* Events never. */
    assert_false(pp_booking_check_reminder("SEANCE_CINE", NOW - 25 * DAY, NOW, &expires, &days));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_allowed),
        cmocka_unit_test(test_places),
        cmocka_unit_test(test_credit),
        cmocka_unit_test(test_used_at_booking),
        cmocka_unit_test(test_cancel_by_beneficiary),
        cmocka_unit_test(test_cancel_by_offerer),
        cmocka_unit_test(test_expiry),
        cmocka_unit_test(test_reminder),
    };
    return cmocka_run_group_tests_name("booking_check", tests, NULL, NULL);
}
