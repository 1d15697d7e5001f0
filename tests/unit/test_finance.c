/*
 * The finance pipeline on a real SQLite database: finance events, pricing at the thresholds
 * (19 999,99 / 20 000 / 20 000,01 €, 40 000, 150 000), books, not reimbursed, custom rules,
 * the Paris year, re-pricing order, runs (invoice numbers without gaps, REIMBURSED), an
 * incident deducted, un-using a paid booking refused. Fixtures are written in SQL; everything
 * under test goes through the domain functions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/clock.h"
#include "db/db.h"
#include "db_fixture.h"
#include "domain/bank_account.h"
#include "domain/custom_rule.h"
#include "domain/finance_event.h"
#include "domain/finance_incident.h"
#include "domain/finance_run.h"
#include "domain/invoice.h"
#include "domain/pricing.h"

/* 2026-03-02T09:00:00Z, a Monday. */
#define T0 1772442000LL
#define DAY 86400LL

static char dir[64];
static int64_t next_account = 100;

static int setup(void **state)
{
    snprintf(dir, sizeof dir, "/tmp/passpro-test-finance-XXXXXX");
    if (mkdtemp(dir) == NULL)
        return -1;
    char url[128], msg[256];
    snprintf(url, sizeof url, "sqlite:%s/t.db", dir);
    struct pp_db *db;
    if (pp_db_open(url, &db, msg, sizeof msg) != PP_OK || pp_db_migrate(db, NULL) != PP_OK)
        return -1;
    pp_clock_enable_test();
    pp_clock_set(T0);
    sql(db, "INSERT INTO account (id, email, password_hash, first_name, last_name, role,"
            " created_at) VALUES (1, 'pro@example.org', 'x', 'Pro', 'Musée', 'PRO', 0),"
            " (2, 'admin@example.org', 'x', 'Admin', 'Back', 'ADMIN', 0)");
    sql(db, "INSERT INTO offerer (id, siren, name, street, postal_code, city, status, created_at)"
            " VALUES (1, '123456789', 'Musée des Confluences', '86 quai Perrache', '69002',"
            " 'Lyon', 'VALIDATED', 0)");
    sql(db, "INSERT INTO user_offerer (account_id, offerer_id, status, created_at)"
            " VALUES (1, 1, 'VALIDATED', 0)");
    /* Venues 1 and 3 have a SIRET (their own pricing points); venue 2 has none. */
    sql(db, "INSERT INTO venue (id, offerer_id, name, siret, comment, street, postal_code, city,"
            " booking_email, venue_type, created_at) VALUES"
            " (1, 1, 'Musée', '12345678900011', NULL, 'quai', '69002', 'Lyon', 'm@example.org',"
            " 'MUSEUM', 0),"
            " (2, 1, 'Annexe', NULL, 'Sans SIRET', 'rue', '69002', 'Lyon', NULL, 'MUSEUM', 0),"
            " (3, 1, 'Boutique', '12345678900029', NULL, 'rue', '69002', 'Lyon', NULL, 'BOOKSTORE',"
            " 0)");
    const char *subs[] = {"CARTE_MUSEE", "LIVRE_PAPIER", "VISITE_VIRTUELLE", "CARTE_MUSEE",
                          "CARTE_MUSEE"};
    int venues[] = {1, 1, 1, 3, 2};
    for (int i = 0; i < 5; i++) {
        sql(db, "INSERT INTO offer (id, venue_id, name, subcategory_id, audio_disability,"
                " mental_disability, motor_disability, visual_disability, validation, created_at)"
                " VALUES (%d, %d, 'Offre %d', '%s', 0, 0, 0, 0, 'APPROVED', 0)",
            i + 1, venues[i], i + 1, subs[i]);
        sql(db, "INSERT INTO stock (id, offer_id, price_cents, created_at) VALUES (%d, %d, 100, 0)",
            i + 1, i + 1);
    }
    *state = db;
    return 0;
}

static int teardown(void **state)
{
    pp_db_close(*state);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd);
}

/* A USED booking of @cents on offer @offer (stock = offer id), used at @used_at, and its event. */
static int64_t used_booking(struct pp_db *db, int offer, int64_t cents, int64_t used_at)
{
    int64_t id = ++next_account;
    int64_t v = 0;
    char q[128];
    snprintf(q, sizeof q, "SELECT venue_id FROM offer WHERE id = %d", offer);
    assert_int_equal(pp_db_query_int(db, &v, q, 0), PP_OK);
    int venue = (int)v;
    sql(db, "INSERT INTO account (id, email, password_hash, first_name, last_name, role,"
            " created_at) VALUES (%lld, 'j%lld@example.org', 'x', 'Jeune', 'Test', 'BENEFICIARY', 0)",
        (long long)id, (long long)id);
    sql(db, "INSERT INTO booking (id, token, account_id, stock_id, offer_id, venue_id, offerer_id,"
            " quantity, amount_cents, status, created_at, used_at) VALUES (%lld, 'T%05lld', %lld,"
            " %d, %d, %d, 1, 1, %lld, 'USED', %lld, %lld)",
        (long long)id, (long long)id, (long long)id, offer, offer, venue, (long long)cents,
        (long long)(used_at - 3600), (long long)used_at);
    assert_int_equal(pp_db_begin(db), PP_OK);
    assert_int_equal(pp_finance_booking_used(db, id, used_at), PP_OK);
    assert_int_equal(pp_db_commit(db), PP_OK);
    return id;
}

struct priced {
    char rule[32];
    int64_t amount;
    int64_t revenue;
    char status[16];
};

static bool pricing_of(struct pp_db *db, int64_t booking_id, struct priced *out)
{
    struct pp_stmt *st = pp_db_prepare(
        db, "SELECT rule, amount_cents, revenue_cents, status FROM pricing"
            " WHERE booking_id = ? AND incident_id IS NULL AND status <> 'cancelled'");
    pp_stmt_bind_int(st, 1, booking_id);
    bool found = pp_stmt_step(st) == PP_STEP_ROW;
    if (found) {
        snprintf(out->rule, sizeof out->rule, "%s", pp_stmt_text(st, 0));
        out->amount = pp_stmt_int(st, 1);
        out->revenue = pp_stmt_int(st, 2);
        snprintf(out->status, sizeof out->status, "%s", pp_stmt_text(st, 3));
    }
    pp_stmt_done(st);
    return found;
}

static void expect(struct pp_db *db, int64_t booking, const char *rule, int64_t amount,
                   int64_t revenue)
{
    struct priced p;
    assert_true(pricing_of(db, booking, &p));
    assert_string_equal(p.rule, rule);
    assert_int_equal(p.amount, amount);
    if (revenue >= 0)
        assert_int_equal(p.revenue, revenue);
}

static void price(struct pp_db *db)
{
    assert_int_equal(pp_pricing_run(db, pp_clock_now(), NULL), PP_OK);
}

/* Venue 1 in 2026: the thresholds, books and digital counted in the same revenue. */
static void test_thresholds(void **state)
{
    struct pp_db *db = *state;
    int64_t t = T0;
    for (int i = 0; i < 99; i++)
        used_booking(db, 1, 20000, t += 60); /* 19 800 € */
    int64_t b1 = used_booking(db, 1, 19999, t += 60);  /* 19 999,99 € */
    int64_t b2 = used_booking(db, 2, 1, t += 60);      /* a book: 20 000,00 € */
    int64_t b3 = used_booking(db, 1, 1000, t += 60);   /* 20 010,00 € */
    int64_t b4 = used_booking(db, 2, 1235, t += 60);   /* a book above 20 000 € */
    int64_t b5 = used_booking(db, 3, 5000, t += 60);   /* not reimbursed, but counted */
    int64_t b6 = used_booking(db, 1, 1992765, t += 60); /* exactly 40 000,00 € */
    int64_t b7 = used_booking(db, 1, 100, t += 60);     /* 40 001,00 € */
    int64_t b8 = used_booking(db, 1, 10999900, t += 60); /* 150 000,00 € */
    int64_t b9 = used_booking(db, 1, 2250, t += 60);    /* 150 022,50 € */
    price(db);
    expect(db, b1, "PHYSICAL", 19999, 1999999);
    expect(db, b2, "BOOK_100", 1, 2000000);
    expect(db, b3, "STANDARD_95", 950, 2001000);
    expect(db, b4, "BOOK_95", 1173, 2002235); /* 11,7325 € rounds half up to 11,73 € */
    expect(db, b5, "NOT_REIMBURSED", 0, 2007235);
    expect(db, b6, "STANDARD_95", 1893127, 4000000); /* 18 931,2675 € → 18 931,27 € */
    expect(db, b7, "STANDARD_92", 92, 4000100);
    expect(db, b8, "STANDARD_92", 10119908, 15000000);
    expect(db, b9, "STANDARD_90", 2025, 15002250);
    /* Pricing twice prices nothing twice. */
    int64_t n = one(db, "SELECT COUNT(*) FROM pricing");
    price(db);
    assert_int_equal(one(db, "SELECT COUNT(*) FROM pricing"), n);
}

/* A booking used before the crossing, priced later, moves the crossing and re-prices. */
static void test_repricing_order(void **state)
{
    struct pp_db *db = *state;
    /* Used one minute after the first booking of the previous test. */
    int64_t early = used_booking(db, 1, 30000, T0 + 90);
    int64_t b1 = one(db, "SELECT booking_id FROM pricing WHERE revenue_cents = 1999999");
    price(db);
    expect(db, early, "PHYSICAL", 30000, -1);
    /* 19 800 + 300 + 199,99: the booking that was at 100 % now crosses 20 000 €. */
    expect(db, b1, "STANDARD_95", 18999, 2029999);
    assert_int_equal(one(db, "SELECT COUNT(*) FROM finance_event WHERE status <> 'priced'"), 0);
}

/* The revenue restarts on 1 January in Paris, not in UTC. */
static void test_paris_year(void **state)
{
    struct pp_db *db = *state;
    /* 2026-12-31T22:30Z is 23:30 in Paris; 23:30Z is already 2027-01-01 00:30 in Paris. */
    int64_t a = used_booking(db, 4, 2000000, 1798756200LL);
    int64_t b = used_booking(db, 4, 10000, 1798759800LL);
    price(db);
    expect(db, a, "PHYSICAL", 2000000, 2000000);
    expect(db, b, "PHYSICAL", 10000, 10000);
    assert_int_equal(one(db, "SELECT year FROM pricing WHERE booking_id = (SELECT MAX(id)"
                             " FROM booking)"), 2027);
}

/* A venue without SIRET waits for its pricing point, then is priced there. */
static void test_pending_until_pricing_point(void **state)
{
    struct pp_db *db = *state;
    int64_t b = used_booking(db, 5, 1500, T0 + 5 * DAY);
    price(db);
    struct priced p;
    assert_false(pricing_of(db, b, &p));
    struct pp_error e;
    pp_error_init(&e);
    assert_int_equal(pp_pricing_point_set(db, 1, 2, 2, &e), PP_EVALIDATION); /* no SIRET */
    pp_error_init(&e);
    assert_int_equal(pp_pricing_point_set(db, 1, 2, 3, &e), PP_OK);
    pp_error_init(&e);
    assert_int_equal(pp_pricing_point_set(db, 1, 2, 1, &e), PP_ECONFLICT); /* chosen once */
    price(db);
    assert_true(pricing_of(db, b, &p));
    assert_int_equal(one(db, "SELECT pricing_point_id FROM pricing WHERE booking_id ="
                             " (SELECT MAX(booking_id) FROM finance_event WHERE venue_id = 2)"),
                     3);
}

static void test_custom_rule(void **state)
{
    struct pp_db *db = *state;
    struct pp_custom_rule_input in = {.offer_id = 4, .rate_bp = -1, .amount_cents = 700,
                                      .starts_at = T0 + DAY, .ends_at = 0};
    struct pp_error e;
    int64_t id;
    pp_error_init(&e);
    /* Today is too early. */
    in.starts_at = T0 - 3600;
    assert_int_equal(pp_custom_rule_create(db, 2, &in, T0, &id, &e), PP_EVALIDATION);
    in.starts_at = 1772492400LL; /* 2026-03-03 00:00 Paris */
    pp_error_init(&e);
    assert_int_equal(pp_custom_rule_create(db, 2, &in, T0, &id, &e), PP_OK);
    pp_error_init(&e);
    assert_int_equal(pp_custom_rule_create(db, 2, &in, T0, &id, &e), PP_EVALIDATION); /* conflict */
    int64_t b = used_booking(db, 4, 1200, T0 + 2 * DAY);
    price(db);
    expect(db, b, "CUSTOM", 700, -1);
}

/* A run pays, numbers invoices without gaps, and an incident is deducted from the next. */
static void test_runs_and_incident(void **state)
{
    struct pp_db *db = *state;
    struct pp_arena *a = pp_arena_new();
    struct pp_error e;
    int64_t acc;
    pp_error_init(&e);
    assert_int_equal(pp_bank_account_create(db, 1, 1, "Compte", "FR76 0000", &acc, &e),
                     PP_EVALIDATION);
    pp_error_init(&e);
    assert_int_equal(pp_bank_account_create(db, 1, 1, "Compte principal",
                                            "FR76 3000 6000 0112 3456 7890 189", &acc, &e),
                     PP_OK);
    int64_t venue = 1;
    pp_error_init(&e);
    assert_int_equal(pp_bank_account_link_venues(db, 1, acc, &venue, 1, &e), PP_OK);
    pp_clock_set(T0 + 10 * DAY);
    struct pp_finance_run run;
    pp_error_init(&e);
    /* Not accepted yet: nothing to pay, nothing changed. */
    assert_int_equal(pp_finance_run(db, a, 2, pp_clock_now(), &run, &e), PP_EVALIDATION);
    assert_int_equal(one(db, "SELECT COUNT(*) FROM cashflow_batch"), 0);
    assert_int_equal(pp_bank_account_decide(db, 2, acc, true), PP_OK);
    assert_int_equal(pp_bank_account_decide(db, 2, acc, true), PP_ECONFLICT);
    pp_error_init(&e);
    /* The test clock runs on: the cut-off is kept, so that asking it again is the same one. */
    int64_t first_cutoff = pp_clock_now();
    assert_int_equal(pp_finance_run(db, a, 2, first_cutoff, &run, &e), PP_OK);
    assert_string_equal(run.batch_label, "VIR1");
    assert_int_equal(run.ninvoices, 1);
    assert_string_equal(run.references[0], "F260000001");
    /* Venue 1's 2026 bookings, all paid: the sum on the invoice is the sum of pricings. */
    assert_int_equal(one(db, "SELECT amount_cents FROM invoice"),
                     one(db, "SELECT SUM(amount_cents) FROM pricing WHERE venue_id = 1"
                             " AND status = 'invoiced'"));
    assert_int_equal(one(db, "SELECT COUNT(*) FROM booking WHERE venue_id = 1 AND status = 'USED'"),
                     0);
    int64_t paid = one(db, "SELECT MIN(id) FROM booking WHERE status = 'REIMBURSED'");
    /* Un-using a paid booking is refused: an incident is needed. */
    assert_int_equal(pp_db_begin(db), PP_OK);
    assert_int_equal(pp_finance_booking_unused(db, paid), PP_ECONFLICT);
    pp_db_rollback(db);
    /* The same cut-off twice: refused. Nothing left: refused, and no number is used. */
    pp_error_init(&e);
    assert_int_equal(pp_finance_run(db, a, 2, first_cutoff, &run, &e), PP_ECONFLICT);
    pp_clock_set(T0 + 11 * DAY);
    pp_error_init(&e);
    assert_int_equal(pp_finance_run(db, a, 2, pp_clock_now(), &run, &e), PP_EVALIDATION);
    /* An incident on a booking not reimbursed is refused; on a paid one it is deducted. */
    int64_t inc;
    pp_error_init(&e);
    assert_int_equal(pp_finance_incident_create(db, 2, paid, "", 0, &inc, &e), PP_EVALIDATION);
    pp_error_init(&e);
    assert_int_equal(pp_finance_incident_create(db, 2, paid, "Trop-perçu", 5000, &inc, &e),
                     PP_OK);
    int64_t later = used_booking(db, 1, 20000, T0 + 11 * DAY);
    pp_clock_set(T0 + 12 * DAY);
    pp_error_init(&e);
    assert_int_equal(pp_finance_run(db, a, 2, pp_clock_now(), &run, &e), PP_OK);
    assert_string_equal(run.batch_label, "VIR2");
    assert_string_equal(run.references[0], "F260000002");
    struct priced p;
    assert_true(pricing_of(db, later, &p));
    assert_int_equal(one(db, "SELECT amount_cents FROM invoice WHERE reference = 'F260000002'"),
                     p.amount - 5000);
    assert_int_equal(one(db, "SELECT COUNT(*) FROM invoice_line WHERE is_incident = 1"), 1);
    assert_int_equal(one(db, "SELECT COUNT(*) FROM outbox WHERE kind = 'INVOICE_AVAILABLE'"), 2);
    pp_arena_free(a);
}

static void test_cutoffs(void **state)
{
    (void)state;
    /* 2026-03-10 12:00 Paris: last cut-off 1 March, next 16 March, both 00:00 Paris. */
    int64_t now = 1773140400LL;
    assert_int_equal(pp_finance_last_cutoff(now), 1772319600LL);
    assert_int_equal(pp_finance_next_cutoff(now), 1773615600LL);
    int64_t first, last;
    pp_finance_period(1773615600LL, &first, &last);
    assert_int_equal(first, 1772319600LL);           /* 1 March */
    assert_int_equal(last, 1773529200LL);            /* 15 March */
    assert_false(pp_finance_set_cutoff_days("16,1"));
    assert_false(pp_finance_set_cutoff_days("0"));
    assert_true(pp_finance_set_cutoff_days("5"));
    assert_int_equal(pp_finance_next_cutoff(now), 1775340000LL); /* 5 April, summer time */
    assert_true(pp_finance_set_cutoff_days("1,16"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_thresholds),
        cmocka_unit_test(test_repricing_order),
        cmocka_unit_test(test_paris_year),
        cmocka_unit_test(test_pending_until_pricing_point),
        cmocka_unit_test(test_custom_rule),
        cmocka_unit_test(test_runs_and_incident),
        cmocka_unit_test(test_cutoffs),
    };
    return cmocka_run_group_tests_name("finance", tests, setup, teardown);
}
