/*
 * Collective bookings on a real SQLite database: the pure rules (labels, school year,
 * cancellation limit), pre-booking rules, confirmation within the school's budget, budget
 * exhausted, confirming twice, the cancellation limit (29 vs 31 days before), money back on
 * cancellation, the venue's cancellation, the jobs (auto-use at end + 48 h exactly, expiry),
 * the pro's list, and concurrency: threads with their own connections racing for the last euros
 * of a budget, and for one stock. Fixtures are SQL; everything under test goes through the
 * domain functions. Each test has its own database file.
 */
#include <pthread.h>
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
#include "domain/account.h"
#include "domain/collective_booking.h"

/* 2026-10-01T08:00:00Z (10:00 in Paris), school year 2026-2027. */
#define T0 1790841600LL
#define DAY 86400LL
#define HOUR 3600LL

struct fx {
    char dir[64];
    char url[128];
    struct pp_db *db;
    struct pp_arena *a;
    int next_offer;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/passpro-test-collective-XXXXXX");
    if (mkdtemp(f->dir) == NULL)
        return -1;
    char msg[256];
    snprintf(f->url, sizeof f->url, "sqlite:%s/t.db", f->dir);
    if (pp_db_open(f->url, &f->db, msg, sizeof msg) != PP_OK || pp_db_migrate(f->db, NULL) != PP_OK)
        return -1;
    f->a = pp_arena_new();
    pp_clock_enable_test();
    pp_clock_set(T0);
    struct pp_db *db = f->db;
    sql(db, "INSERT INTO account (id, email, password_hash, first_name, last_name, role,"
            " created_at) VALUES (1, 'pro@example.org', 'x', 'Pro', 'Cinéma', 'PRO', 0),"
            " (2, 'admin@example.org', 'x', 'Admin', 'Back', 'ADMIN', 0),"
            " (3, 'autre@example.org', 'x', 'Autre', 'Pro', 'PRO', 0)");
    sql(db, "INSERT INTO offerer (id, siren, name, status, allowed_on_adage, created_at) VALUES"
            " (1, '123456789', 'Cinéma Le Palace', 'VALIDATED', 1, 0),"
            " (2, '987654321', 'Musée', 'VALIDATED', 0, 0)");
    sql(db, "INSERT INTO user_offerer (account_id, offerer_id, status, created_at)"
            " VALUES (1, 1, 'VALIDATED', 0), (3, 2, 'VALIDATED', 0)");
    sql(db, "INSERT INTO venue (id, offerer_id, name, siret, street, postal_code, city,"
            " booking_email, venue_type, created_at) VALUES (1, 1, 'Le Palace',"
            " '12345678900011', 'rue', '69002', 'Lyon', 'cine@example.org', 'MOVIE', 0)");
    sql(db, "INSERT INTO educational_institution (id, uai, name, city, created_at) VALUES"
            " (1, '0691234A', 'Collège Jean Moulin', 'Lyon', 0),"
            " (2, '0751111B', 'Lycée Voltaire', 'Paris', 0)");
    sql(db, "INSERT INTO institution_budget (institution_id, year, budget_cents) VALUES"
            " (1, 2026, 100000), (2, 2026, 100000)");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    pp_db_close(f->db);
    pp_arena_free(f->a);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
    int rc = system(cmd);
    free(f);
    return rc;
}

/* Offer options; zero values take the defaults. */
struct offer_opts {
    int64_t price;       /* cents, default 30000 */
    int64_t start;       /* default T0 + 60 days */
    int64_t limit;       /* booking limit, default start - 7 days */
    int reserved_to;     /* institution id or 0 */
    bool is_template, archived;
    const char *emails;  /* booking_emails or NULL */
};

/* A bookable collective offer and its stock (ids equal); returns the stock id. */
static int64_t offer(struct fx *f, struct offer_opts o)
{
    int id = ++f->next_offer;
    int64_t start = o.start ? o.start : T0 + 60 * DAY;
    int64_t limit = o.limit ? o.limit : start - 7 * DAY;
    char reserved[16] = "NULL", emails[128] = "NULL";
    if (o.reserved_to)
        snprintf(reserved, sizeof reserved, "%d", o.reserved_to);
    if (o.emails)
        snprintf(emails, sizeof emails, "'%s'", o.emails);
    sql(f->db, "INSERT INTO collective_offer (id, venue_id, offerer_id, is_template, name,"
               " description, subcategory_id, format, students, contact_email, booking_emails,"
               " institution_id, status, created_at) VALUES (%d, 1, 1, %d, 'Séance %d', 'd',"
               " 'SEANCE_CINE', 'Projection audiovisuelle', 'Collège - 6e', 'c@example.org',"
               " %s, %s, '%s', 0)",
        id, o.is_template, id, emails, reserved, o.archived ? "ARCHIVED" : "PUBLISHED");
    sql(f->db, "INSERT INTO collective_stock (id, offer_id, start_at, end_at, number_of_tickets,"
               " price_cents, booking_limit_at, created_at) VALUES (%d, %d, %lld, %lld, 30, %lld,"
               " %lld, 0)",
        id, id, (long long)start, (long long)(start + 2 * HOUR),
        (long long)(o.price ? o.price : 30000), (long long)limit);
    return id;
}

static enum pp_err prebook(struct fx *f, int64_t stock, const char *uai, int64_t *id,
                           struct pp_error *e)
{
    struct pp_collective_booking_in in = {stock, uai, "Prof@AC-Lyon.fr "};
    pp_error_init(e);
    return pp_collective_booking_create(f->db, f->a, 0, &in, id, e);
}

static int64_t prebooked(struct fx *f, int64_t stock)
{
    int64_t id = 0;
    struct pp_error e;
    assert_int_equal(prebook(f, stock, "0691234a", &id, &e), PP_OK);
    return id;
}

static enum pp_err confirm(struct fx *f, int64_t id, struct pp_error *e)
{
    pp_error_init(e);
    return pp_collective_booking_confirm(f->db, f->a, 2, id, e);
}

static int64_t confirmed(struct fx *f, int64_t stock)
{
    int64_t id = prebooked(f, stock);
    struct pp_error e;
    assert_int_equal(confirm(f, id, &e), PP_OK);
    return id;
}

static enum pp_err cancel(struct fx *f, enum pp_collective_canceller who, int64_t id,
                          struct pp_error *e)
{
    pp_error_init(e);
    return pp_collective_booking_cancel(f->db, f->a, who, who == PP_COLLECTIVE_BY_OFFERER ? 1 : 0,
                                        id, "Sortie reportée", e);
}

static int64_t spent(struct fx *f, int institution)
{
    return one(f->db, "SELECT spent_cents FROM institution_budget WHERE institution_id = %d"
                      " AND year = 2026", institution);
}

static void expect_status(struct fx *f, int64_t id, const char *status)
{
    char q[128];
    snprintf(q, sizeof q, "SELECT status = '%s' FROM collective_booking WHERE id = %lld", status,
             (long long)id);
    assert_int_equal(one(f->db, "%s", q), 1);
}

static int64_t emails(struct fx *f, const char *kind)
{
    return one(f->db, "SELECT COUNT(*) FROM outbox WHERE kind = '%s'", kind);
}

static void expect_message(const struct pp_error *e, const char *field, const char *part)
{
    assert_true(e->count >= 1);
    assert_string_equal(e->items[0].field, field);
    if (strstr(e->items[0].message, part) == NULL)
        fail_msg("« %s » lacks « %s »", e->items[0].message, part);
}

/* ------------------------------------------------------------------ pure rules */

static void test_rules(void **state)
{
    (void)state;
    int64_t limit = T0 + 10 * DAY;
    assert_string_equal(pp_collective_label(PP_COLLECTIVE_PENDING, limit, T0), "Préréservée");
    assert_string_equal(pp_collective_label(PP_COLLECTIVE_CONFIRMED, limit, limit - 1),
                        "Réservée");
    assert_string_equal(pp_collective_label(PP_COLLECTIVE_CONFIRMED, limit, limit), "Confirmée");
    assert_string_equal(pp_collective_label(PP_COLLECTIVE_USED, limit, T0), "Terminée");
    assert_string_equal(pp_collective_label(PP_COLLECTIVE_REIMBURSED, limit, T0), "Remboursée");
    assert_string_equal(pp_collective_label(PP_COLLECTIVE_CANCELLED, limit, T0), "Annulée");
    assert_string_equal(pp_collective_label(PP_COLLECTIVE_NONE, limit, T0), "");
    assert_int_equal(pp_collective_status_parse("CONFIRMED"), PP_COLLECTIVE_CONFIRMED);
    assert_int_equal(pp_collective_status_parse("confirmed"), PP_COLLECTIVE_NONE);
    assert_int_equal(pp_collective_status_parse(NULL), PP_COLLECTIVE_NONE);
    /* 31 August 23:30 Paris (21:30 UTC, summer time) is still 2025-2026; 1 September 00:00
     * Paris (31 August 22:00 UTC) starts 2026-2027. */
    assert_int_equal(pp_collective_school_year(1788211800LL), 2025);
    assert_int_equal(pp_collective_school_year(1788213600LL), 2026);
    assert_int_equal(pp_collective_school_year(T0 + 200 * DAY), 2026); /* April 2027 */
    assert_int_equal(pp_collective_cancellation_limit(T0 + 60 * DAY, T0), T0 + 30 * DAY);
    assert_int_equal(pp_collective_cancellation_limit(T0 + 10 * DAY, T0), T0);
}

/* ------------------------------------------------------------------ pre-booking */

static void test_prebook(void **state)
{
    struct fx *f = *state;
    int64_t start = T0 + 60 * DAY;
    int64_t stock = offer(f, (struct offer_opts){.start = start});
    int64_t id = prebooked(f, stock);
    struct pp_collective_booking b;
    assert_int_equal(pp_collective_booking_get(f->db, f->a, id, &b), PP_OK);
    assert_int_equal(b.status_code, PP_COLLECTIVE_PENDING);
    assert_string_equal(b.status_label, "Préréservée");
    assert_string_equal(b.uai, "0691234A");
    assert_string_equal(b.teacher_email, "prof@ac-lyon.fr");
    assert_int_equal(b.year, 2026);
    assert_int_equal(b.price_cents, 30000);
    assert_int_equal(b.confirmation_limit_at, start - 7 * DAY);
    assert_int_equal(b.cancellation_limit_at, start - 30 * DAY);
    assert_int_equal(b.offerer_id, 1);
    /* The venue is told (its booking email), and the audit log has it. */
    assert_int_equal(one(f->db, "SELECT COUNT(*) FROM outbox WHERE kind ="
                                " 'VENUE_COLLECTIVE_PREBOOKING' AND to_address = 'cine@example.org'"
                                " AND payload LIKE '%%Collège Jean Moulin%%'"
                                " AND payload LIKE '%%300,00%%'"),
                     1);
    assert_int_equal(one(f->db, "SELECT COUNT(*) FROM audit_log WHERE action ="
                                " 'COLLECTIVE_BOOKING_PREBOOKED' AND object_id = %lld",
                         (long long)id),
                     1);
    /* An event in 10 days: the cancellation limit is the booking's own time. */
    int64_t late = prebooked(f, offer(f, (struct offer_opts){.start = T0 + 10 * DAY,
                                                              .limit = T0 + DAY}));
    assert_int_equal(pp_collective_booking_get(f->db, f->a, late, &b), PP_OK);
    assert_true(b.cancellation_limit_at >= T0 && b.cancellation_limit_at <= T0 + 5);
    /* The offer's booking emails, when it has some, instead of the venue's. */
    prebooked(f, offer(f, (struct offer_opts){.emails = "a@example.org|b@example.org"}));
    assert_int_equal(one(f->db, "SELECT COUNT(*) FROM outbox WHERE to_address IN"
                                " ('a@example.org', 'b@example.org')"),
                     2);
}

static void test_prebook_refused(void **state)
{
    struct fx *f = *state;
    int64_t id = 0;
    struct pp_error e;
    assert_int_equal(prebook(f, 999, "0691234A", &id, &e), PP_ENOTFOUND);
    int64_t stock = offer(f, (struct offer_opts){0});
    assert_int_equal(prebook(f, stock, "0000000X", &id, &e), PP_EVALIDATION);
    expect_message(&e, "uai", "0000000X");
    assert_int_equal(prebook(f, stock, "", &id, &e), PP_EVALIDATION);
    expect_message(&e, "uai", "UAI");
    struct pp_collective_booking_in bad = {stock, "0691234A", "pas-un-email"};
    pp_error_init(&e);
    assert_int_equal(pp_collective_booking_create(f->db, f->a, 0, &bad, &id, &e), PP_EVALIDATION);
    expect_message(&e, "teacherEmail", "email");
    assert_int_equal(prebook(f, offer(f, (struct offer_opts){.is_template = true}), "0691234A",
                             &id, &e),
                     PP_EVALIDATION);
    expect_message(&e, "collectiveStockId", "pas réservable");
    assert_int_equal(prebook(f, offer(f, (struct offer_opts){.archived = true}), "0691234A", &id,
                             &e),
                     PP_EVALIDATION);
    /* Booking limit passed: refused with its date (Paris time). */
    int64_t past = offer(f, (struct offer_opts){.start = T0 + 20 * DAY, .limit = T0 - HOUR});
    assert_int_equal(prebook(f, past, "0691234A", &id, &e), PP_EVALIDATION);
    expect_message(&e, "collectiveStockId", "01/10/2026 à 09:00");
    /* Reserved to the Lycée Voltaire: the Collège may not, the Lycée may. */
    int64_t reserved = offer(f, (struct offer_opts){.reserved_to = 2});
    assert_int_equal(prebook(f, reserved, "0691234A", &id, &e), PP_EFORBIDDEN);
    expect_message(&e, "uai", "réservée à un autre établissement");
    assert_int_equal(prebook(f, reserved, "0751111B", &id, &e), PP_OK);
    /* One live booking per stock; a cancelled one frees it. */
    assert_int_equal(prebook(f, stock, "0691234A", &id, &e), PP_OK);
    assert_int_equal(prebook(f, stock, "0751111B", &id, &e), PP_ECONFLICT);
    expect_message(&e, "collectiveStockId", "déjà préréservée");
    assert_int_equal(one(f->db, "SELECT COUNT(*) FROM collective_booking"), 2);
    assert_int_equal(cancel(f, PP_COLLECTIVE_BY_SCHOOL, id, &e), PP_OK);
    assert_int_equal(prebook(f, stock, "0751111B", &id, &e), PP_OK);
}

/* ------------------------------------------------------------------ confirmation */

static void test_confirm_within_budget(void **state)
{
    struct fx *f = *state;
    int64_t id = prebooked(f, offer(f, (struct offer_opts){.price = 40000}));
    struct pp_error e;
    assert_int_equal(confirm(f, id, &e), PP_OK);
    expect_status(f, id, "CONFIRMED");
    assert_int_equal(spent(f, 1), 40000);
    /* The test clock runs on from T0: a second may tick between the set and the confirm. */
    int64_t at = one(f->db, "SELECT confirmed_at FROM collective_booking WHERE id = %lld",
                     (long long)id);
    assert_true(at >= T0 && at <= T0 + 5);
    assert_int_equal(emails(f, "VENUE_COLLECTIVE_CONFIRMED"), 1);
    struct pp_collective_booking b;
    assert_int_equal(pp_collective_booking_get(f->db, f->a, id, &b), PP_OK);
    assert_string_equal(b.status_label, "Réservée");
    /* Confirming twice: 409, nothing debited again. */
    assert_int_equal(confirm(f, id, &e), PP_ECONFLICT);
    expect_message(&e, "status", "déjà confirmée");
    assert_int_equal(spent(f, 1), 40000);
    assert_int_equal(emails(f, "VENUE_COLLECTIVE_CONFIRMED"), 1);
    assert_int_equal(confirm(f, 999, &e), PP_ENOTFOUND);
}

static void test_budget_exhausted(void **state)
{
    struct fx *f = *state;
    confirmed(f, offer(f, (struct offer_opts){.price = 90000}));
    int64_t id = prebooked(f, offer(f, (struct offer_opts){.price = 10001}));
    struct pp_error e;
    assert_int_equal(confirm(f, id, &e), PP_EVALIDATION);
    expect_message(&e, "budget", "Budget insuffisant : il reste 100,00");
    expect_message(&e, "budget", "2026-2027");
    expect_status(f, id, "PENDING");
    assert_int_equal(spent(f, 1), 90000);
    /* Exactly what is left is enough. */
    id = prebooked(f, offer(f, (struct offer_opts){.price = 10000}));
    assert_int_equal(confirm(f, id, &e), PP_OK);
    assert_int_equal(spent(f, 1), 100000);
    /* An event of the next school year, which has no budget yet. */
    id = prebooked(f, offer(f, (struct offer_opts){.start = T0 + 340 * DAY}));
    assert_int_equal(confirm(f, id, &e), PP_EVALIDATION);
    expect_message(&e, "budget", "pas de budget pour l'année scolaire 2027-2028");
}

static void test_confirmation_limit(void **state)
{
    struct fx *f = *state;
    int64_t start = T0 + 60 * DAY;
    int64_t id = prebooked(f, offer(f, (struct offer_opts){.start = start}));
    pp_clock_set(start - 7 * DAY + 1);
    struct pp_error e;
    assert_int_equal(confirm(f, id, &e), PP_EVALIDATION);
    expect_message(&e, "status", "date limite de confirmation");
    assert_int_equal(spent(f, 1), 0);
}

/* ------------------------------------------------------------------ cancellation */

static void test_cancellation_limit(void **state)
{
    struct fx *f = *state;
    int64_t start = T0 + 60 * DAY;
    int64_t a = confirmed(f, offer(f, (struct offer_opts){.start = start, .price = 20000}));
    int64_t b = confirmed(f, offer(f, (struct offer_opts){.start = start, .price = 30000}));
    assert_int_equal(spent(f, 1), 50000);
    struct pp_error e;
    /* 31 days before: the school cancels, and gets its money back. */
    pp_clock_set(start - 31 * DAY);
    assert_int_equal(cancel(f, PP_COLLECTIVE_BY_SCHOOL, a, &e), PP_OK);
    expect_status(f, a, "CANCELLED");
    assert_int_equal(spent(f, 1), 30000);
    assert_int_equal(one(f->db, "SELECT cancellation_reason = 'REFUSED_BY_HEADMASTER'"
                                " FROM collective_booking WHERE id = %lld", (long long)a),
                     1);
    assert_int_equal(one(f->db, "SELECT COUNT(*) FROM audit_log WHERE action ="
                                " 'COLLECTIVE_BOOKING_CANCELLED' AND detail LIKE '%%Sortie%%'"),
                     1);
    assert_int_equal(one(f->db, "SELECT COUNT(*) FROM outbox WHERE kind ="
                                " 'VENUE_COLLECTIVE_CANCELLED' AND payload LIKE '%%bySchool%%'"),
                     1);
    /* 29 days before: too late, with the limit's date (31/10/2026 at 09:00 Paris). */
    pp_clock_set(start - 29 * DAY);
    assert_int_equal(cancel(f, PP_COLLECTIVE_BY_SCHOOL, b, &e), PP_EVALIDATION);
    expect_message(&e, "status", "La date limite d'annulation est passée (le 31/10/2026 à 09:00");
    expect_status(f, b, "CONFIRMED");
    assert_int_equal(spent(f, 1), 30000);
    /* The venue still may, and the money goes back. */
    assert_int_equal(cancel(f, PP_COLLECTIVE_BY_OFFERER, b, &e), PP_OK);
    assert_int_equal(spent(f, 1), 0);
    assert_int_equal(cancel(f, PP_COLLECTIVE_BY_OFFERER, b, &e), PP_EGONE);
    assert_int_equal(confirm(f, b, &e), PP_EGONE);
}

static void test_cancel_pending(void **state)
{
    struct fx *f = *state;
    int64_t start = T0 + 10 * DAY;
    int64_t id = prebooked(f, offer(f, (struct offer_opts){.start = start, .limit = start}));
    /* A pre-booking costs nothing: the school refuses it even past the cancellation limit. */
    pp_clock_set(T0 + 5 * DAY);
    struct pp_error e;
    assert_int_equal(cancel(f, PP_COLLECTIVE_BY_SCHOOL, id, &e), PP_OK);
    assert_int_equal(one(f->db, "SELECT cancellation_reason = 'REFUSED_BY_INSTITUTE'"
                                " FROM collective_booking WHERE id = %lld", (long long)id),
                     1);
    assert_int_equal(spent(f, 1), 0);
}

/* ------------------------------------------------------------------ jobs */

static void test_auto_use(void **state)
{
    struct fx *f = *state;
    int64_t start = T0 + 60 * DAY, end = start + 2 * HOUR;
    int64_t id = confirmed(f, offer(f, (struct offer_opts){.start = start}));
    int64_t pending = prebooked(f, offer(f, (struct offer_opts){.start = start}));
    int64_t n = -1;
    assert_int_equal(pp_collective_booking_auto_use(f->db, end + 48 * HOUR - 1, &n), PP_OK);
    assert_int_equal(n, 0);
    expect_status(f, id, "CONFIRMED");
    pp_clock_set(end + 48 * HOUR);
    assert_int_equal(pp_collective_booking_auto_use(f->db, end + 48 * HOUR, &n), PP_OK);
    assert_int_equal(n, 1);
    expect_status(f, id, "USED");
    expect_status(f, pending, "PENDING");
    assert_int_equal(one(f->db, "SELECT used_at FROM collective_booking WHERE id = %lld",
                         (long long)id),
                     end + 48 * HOUR);
    /* Its finance event, ready (the venue is its own pricing point). */
    assert_int_equal(one(f->db, "SELECT COUNT(*) FROM finance_event WHERE collective_booking_id"
                                " = %lld AND booking_id IS NULL AND status = 'ready'"
                                " AND pricing_point_id = 1 AND venue_id = 1 AND year = 2026"
                                " AND value_date = %lld AND ordering_date = %lld",
                         (long long)id, (long long)(end + 48 * HOUR),
                         (long long)(end + 48 * HOUR)),
                     1);
    assert_int_equal(one(f->db, "SELECT COUNT(*) FROM audit_log WHERE action ="
                                " 'COLLECTIVE_BOOKING_USED' AND object_id = %lld", (long long)id),
                     1);
    /* Idempotent. */
    assert_int_equal(pp_collective_booking_auto_use(f->db, end + 49 * HOUR, &n), PP_OK);
    assert_int_equal(n, 0);
    assert_int_equal(one(f->db, "SELECT COUNT(*) FROM finance_event"), 1);
    /* Used: neither side may cancel it any more. */
    struct pp_error e;
    assert_int_equal(cancel(f, PP_COLLECTIVE_BY_OFFERER, id, &e), PP_EVALIDATION);
    expect_message(&e, "status", "a eu lieu");
    struct pp_collective_booking b;
    assert_int_equal(pp_collective_booking_get(f->db, f->a, id, &b), PP_OK);
    assert_string_equal(b.status_label, "Terminée");
}

static void test_expire(void **state)
{
    struct fx *f = *state;
    int64_t start = T0 + 60 * DAY, limit = start - 7 * DAY;
    int64_t id = prebooked(f, offer(f, (struct offer_opts){.start = start, .limit = limit}));
    int64_t kept = confirmed(f, offer(f, (struct offer_opts){.start = start, .limit = limit}));
    int64_t n = -1;
    assert_int_equal(pp_collective_booking_expire(f->db, limit, &n), PP_OK);
    assert_int_equal(n, 0);
    pp_clock_set(limit + 1);
    assert_int_equal(pp_collective_booking_expire(f->db, limit + 1, &n), PP_OK);
    assert_int_equal(n, 1);
    expect_status(f, id, "CANCELLED");
    expect_status(f, kept, "CONFIRMED");
    assert_int_equal(one(f->db, "SELECT cancellation_reason = 'EXPIRED' FROM collective_booking"
                                " WHERE id = %lld", (long long)id),
                     1);
    assert_int_equal(one(f->db, "SELECT COUNT(*) FROM outbox WHERE kind ="
                                " 'VENUE_COLLECTIVE_CANCELLED' AND payload LIKE '%%EXPIRED%%'"),
                     1);
    assert_int_equal(pp_collective_booking_expire(f->db, limit + DAY, &n), PP_OK);
    assert_int_equal(n, 0);
    assert_int_equal(spent(f, 1), 30000);
}

/* ------------------------------------------------------------------ the pro's list */

static void test_list(void **state)
{
    struct fx *f = *state;
    int64_t p = prebooked(f, offer(f, (struct offer_opts){0}));
    int64_t c = confirmed(f, offer(f, (struct offer_opts){0}));
    struct pp_user pro = {.id = 1, .role_code = PP_ROLE_PRO};
    struct pp_user other = {.id = 3, .role_code = PP_ROLE_PRO};
    struct pp_user admin = {.id = 2, .role_code = PP_ROLE_ADMIN};
    struct pp_collective_booking *items;
    size_t n;
    assert_int_equal(pp_collective_booking_list(f->db, f->a, &pro, 0, PP_COLLECTIVE_NONE, &items,
                                                &n),
                     PP_OK);
    assert_int_equal(n, 2);
    assert_int_equal(pp_collective_booking_list(f->db, f->a, &pro, 1, PP_COLLECTIVE_CONFIRMED,
                                                &items, &n),
                     PP_OK);
    assert_int_equal(n, 1);
    assert_int_equal(items[0].id, c);
    assert_string_equal(items[0].institution_city, "Lyon");
    assert_int_equal(pp_collective_booking_list(f->db, f->a, &pro, 0, PP_COLLECTIVE_PENDING,
                                                &items, &n),
                     PP_OK);
    assert_int_equal(n, 1);
    assert_int_equal(items[0].id, p);
    assert_int_equal(pp_collective_booking_list(f->db, f->a, &other, 0, PP_COLLECTIVE_NONE,
                                                &items, &n),
                     PP_OK);
    assert_int_equal(n, 0);
    assert_int_equal(pp_collective_booking_list(f->db, f->a, &admin, 0, PP_COLLECTIVE_NONE,
                                                &items, &n),
                     PP_OK);
    assert_int_equal(n, 2);
}

/* ------------------------------------------------------------------ concurrency */

#define RACERS 6
#define RACE_BOOKINGS 24

struct racer {
    const char *url;
    const int64_t *ids;  /* the bookings this thread confirms */
    size_t n;
    int ok, refused, other;
};

static void *race_confirm(void *arg)
{
    struct racer *r = arg;
    struct pp_db *db;
    char msg[256];
    if (pp_db_open(r->url, &db, msg, sizeof msg) != PP_OK) {
        r->other = -1;
        return NULL;
    }
    struct pp_arena *a = pp_arena_new();
    for (size_t i = 0; i < r->n; i++) {
        struct pp_error e;
        pp_error_init(&e);
        enum pp_err rc = pp_collective_booking_confirm(db, a, 2, r->ids[i], &e);
        if (rc == PP_OK)
            r->ok++;
        else if (rc == PP_EVALIDATION && strstr(e.items[0].message, "insuffisant") != NULL)
            r->refused++;
        else
            r->other++;
    }
    pp_arena_free(a);
    pp_db_close(db);
    return NULL;
}

/* 24 pre-bookings of 70 € on a budget of 1 000 €: 14 fit (980 €), 10 are refused, whatever
 * the interleaving of 6 connections confirming at once. */
static void test_budget_concurrency(void **state)
{
    struct fx *f = *state;
    int64_t ids[RACE_BOOKINGS];
    for (int i = 0; i < RACE_BOOKINGS; i++)
        ids[i] = prebooked(f, offer(f, (struct offer_opts){.price = 7000}));
    pthread_t t[RACERS];
    struct racer r[RACERS];
    for (int i = 0; i < RACERS; i++) {
        r[i] = (struct racer){.url = f->url, .ids = ids + i * (RACE_BOOKINGS / RACERS),
                              .n = RACE_BOOKINGS / RACERS};
        assert_int_equal(pthread_create(&t[i], NULL, race_confirm, &r[i]), 0);
    }
    int ok = 0, refused = 0;
    for (int i = 0; i < RACERS; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(r[i].other, 0);
        ok += r[i].ok;
        refused += r[i].refused;
    }
    assert_int_equal(ok, 14);
    assert_int_equal(refused, RACE_BOOKINGS - 14);
    assert_int_equal(spent(f, 1), 14 * 7000);
    assert_int_equal(one(f->db, "SELECT COUNT(*) FROM collective_booking WHERE status ="
                                " 'CONFIRMED'"),
                     14);
    assert_int_equal(one(f->db, "SELECT SUM(price_cents) FROM collective_booking WHERE status ="
                                " 'CONFIRMED'"),
                     spent(f, 1));
    assert_int_equal(emails(f, "VENUE_COLLECTIVE_CONFIRMED"), 14);
}

struct prebooker {
    const char *url;
    int64_t stock;
    const char *uai;
    enum pp_err rc;
};

static void *race_prebook(void *arg)
{
    struct prebooker *p = arg;
    struct pp_db *db;
    char msg[256];
    p->rc = PP_EINTERNAL;
    if (pp_db_open(p->url, &db, msg, sizeof msg) != PP_OK)
        return NULL;
    struct pp_arena *a = pp_arena_new();
    struct pp_collective_booking_in in = {p->stock, p->uai, "prof@example.org"};
    struct pp_error e;
    pp_error_init(&e);
    int64_t id = 0;
    p->rc = pp_collective_booking_create(db, a, 0, &in, &id, &e);
    pp_arena_free(a);
    pp_db_close(db);
    return NULL;
}

/* Two schools pre-book one stock at once: one wins, the other gets 409. */
static void test_prebook_concurrency(void **state)
{
    struct fx *f = *state;
    for (int round = 0; round < 5; round++) {
        int64_t stock = offer(f, (struct offer_opts){0});
        struct prebooker p[2] = {{f->url, stock, "0691234A", PP_OK},
                                 {f->url, stock, "0751111B", PP_OK}};
        pthread_t t[2];
        for (int i = 0; i < 2; i++)
            assert_int_equal(pthread_create(&t[i], NULL, race_prebook, &p[i]), 0);
        for (int i = 0; i < 2; i++)
            pthread_join(t[i], NULL);
        assert_true((p[0].rc == PP_OK && p[1].rc == PP_ECONFLICT) ||
                    (p[1].rc == PP_OK && p[0].rc == PP_ECONFLICT));
        assert_int_equal(one(f->db, "SELECT COUNT(*) FROM collective_booking WHERE stock_id ="
                                    " %lld", (long long)stock),
                         1);
    }
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rules),   T(test_prebook),
        T(test_prebook_refused),        T(test_confirm_within_budget),
        T(test_budget_exhausted),       T(test_confirmation_limit),
        T(test_cancellation_limit),     T(test_cancel_pending),
        T(test_auto_use),               T(test_expire),
        T(test_list),                   T(test_budget_concurrency),
        T(test_prebook_concurrency),
    };
    return cmocka_run_group_tests_name("collective_booking", tests, NULL, NULL);
}
