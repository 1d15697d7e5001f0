/*
 * Collective bookings through the real server (SPEC §8): a pre-booking and its confirmation on
 * the ADAGE side (a back-office session until the ADAGE keys come), the pro's list with its
 * French labels, the venue's cancellation; who may call what (a pro on ADAGE routes, another
 * structure's list and bookings), bad inputs. The collective offer, its stock, the school and
 * its budget are written in SQL into the server's database (their own API comes with the setup
 * side of collective offers).
 *
 *   alice  pro of structure A (venue va), bob pro of structure B; admin stands for ADAGE.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "db/db.h"
#include "http/harness.h"

#define NOW "2026-10-01T08:00:00Z"

static struct client *alice, *bob, *admin, *anon;
static int64_t oa, ob, va;

static void sql(const char *fmt, ...)
{
    char buf[2048], msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    struct pp_db *db;
    assert_int_equal(pp_db_open(g_server.db_url, &db, msg, sizeof msg), PP_OK);
    if (pp_db_exec(db, buf) != PP_OK)
        fail_msg("SQL: %s: %s", buf, pp_db_errmsg(db));
    pp_db_close(db);
}

/* A bookable collective offer of structure A at @price cents, 60 days from now; its stock. */
static int64_t collective_stock(int id, int64_t price)
{
    sql("INSERT INTO collective_offer (id, venue_id, offerer_id, name, description,"
        " subcategory_id, format, students, contact_email, created_at) VALUES (%d, %lld, %lld,"
        " 'Séance scolaire %d', 'd', 'SEANCE_CINE', 'Projection audiovisuelle',"
        " 'Collège - 6e', 'c@example.org', 0);"
        "INSERT INTO collective_stock (id, offer_id, start_at, end_at, number_of_tickets,"
        " price_cents, booking_limit_at, created_at) VALUES (%d, %d, 1796025600, 1796032800,"
        " 30, %lld, 1795420800, 0)",
        id, (long long)va, (long long)oa, id, id, id, (long long)price);
    return id;
}

static int setup(void **state)
{
    if (harness_group_setup(state) != 0)
        return -1;
    set_clock(NOW);
    anon = client_new();
    admin = admin_new("admin");
    alice = pro_new("alice");
    bob = pro_new("bob");
    va = structure_validated(alice, admin, new_siret(), "Cinéma Le Palace", "69002", "Lyon", &oa);
    structure_validated(bob, admin, new_siret(), "Cinéma Le Palace", "69002", "Lyon", &ob);
    sql("INSERT INTO educational_institution (id, uai, name, city, created_at) VALUES"
        " (1, '0691234A', 'Collège Jean Moulin', 'Lyon', 0);"
        "INSERT INTO institution_budget (institution_id, year, budget_cents) VALUES"
        " (1, 2026, 50000)");
    return 0;
}

static struct resp prebook(struct client *c, int64_t stock, const char *uai)
{
    return http_json(c, "POST", "/api/v1/adage/bookings",
                     json_pack("{s:I, s:s, s:s}", "collectiveStockId", (json_int_t)stock, "uai",
                               uai, "teacherEmail", "prof@ac-lyon.fr"));
}

static void test_adage_routes_refuse_pros(void **state)
{
    (void)state;
    int64_t stock = collective_stock(100, 1000);
    assert_status(prebook(anon, stock, "0691234A"), 401);
    assert_status(prebook(alice, stock, "0691234A"), 403);
    assert_status(http_request(alice, "POST", "/api/v1/adage/bookings/1/confirm", NULL), 403);
    assert_status(http_request(bob, "POST", "/api/v1/adage/bookings/1/cancel", NULL), 403);
    assert_status(http_request(anon, "GET", "/api/v1/pro/collective/bookings", NULL), 401);
}

static void test_flow(void **state)
{
    (void)state;
    int64_t stock = collective_stock(200, 30000);
    struct resp r = prebook(admin, stock, "0691234a");
    assert_status(r, 201);
    assert_jstr(r.json, "status", "PENDING");
    int64_t id = jint(r.json, "id");
    assert_status(prebook(admin, stock, "0691234A"), 409);

    r = http_request(alice, "GET", strf("/api/v1/pro/collective/bookings?offererId=%lld",
                                        (long long)oa), NULL);
    assert_status(r, 200);
    json_t *b = jfind_id(r.json, "bookings", "id", id);
    assert_non_null(b);
    assert_jstr(b, "status", "PENDING");
    assert_jstr(b, "statusLabel", "Préréservée");
    assert_jstr(b, "offerName", "Séance scolaire 200");
    assert_jstr(b, "institution.uai", "0691234A");
    assert_jstr(b, "institution.name", "Collège Jean Moulin");
    assert_jstr(b, "institution.city", "Lyon");
    assert_jstr(b, "teacherEmail", "prof@ac-lyon.fr");
    assert_jstr(b, "startDatetime", "2026-11-30T08:00:00Z");
    assert_int_equal(jint(b, "totalPriceCents"), 30000);
    assert_int_equal(strncmp(jstr(b, "dateCreated"), "2026-10-01T08:0", 15), 0);
    assert_true(json_is_null(jget(b, "dateConfirmed")));
    assert_true(json_is_null(jget(b, "dateUsed")));

    r = http_request(admin, "POST", strf("/api/v1/adage/bookings/%lld/confirm", (long long)id),
                     NULL);
    assert_status(r, 200);
    assert_jstr(r.json, "status", "CONFIRMED");
    r = http_request(admin, "POST", strf("/api/v1/adage/bookings/%lld/confirm", (long long)id),
                     NULL);
    assert_error(r, 409, "status");
    assert_non_null(strstr(jstr(json_array_get(jget(r.json, "errors.status"), 0), ""),
                           "déjà confirmée"));

    r = http_request(alice, "GET", "/api/v1/pro/collective/bookings?status=CONFIRMED", NULL);
    assert_status(r, 200);
    b = jfind_id(r.json, "bookings", "id", id);
    assert_non_null(b);
    assert_jstr(b, "statusLabel", "Réservée");
    assert_int_equal(strncmp(jstr(b, "dateConfirmed"), "2026-10-01T08:0", 15), 0);
    r = http_request(alice, "GET", "/api/v1/pro/collective/bookings?status=PENDING", NULL);
    assert_null(jfind_id(r.json, "bookings", "id", id));

    /* A second one costs more than what is left (200 €): 422 with what is left. */
    r = prebook(admin, collective_stock(201, 30000), "0691234A");
    assert_status(r, 201);
    r = http_request(admin, "POST",
                     strf("/api/v1/adage/bookings/%lld/confirm", (long long)jint(r.json, "id")),
                     NULL);
    assert_error(r, 422, "budget");

    /* Another structure: 404 for its list and for the cancellation; the venue itself may. */
    r = http_request(bob, "GET", strf("/api/v1/pro/collective/bookings?offererId=%lld",
                                      (long long)oa), NULL);
    assert_status(r, 404);
    r = http_request(bob, "GET", "/api/v1/pro/collective/bookings", NULL);
    assert_status(r, 200);
    assert_int_equal(json_array_size(jget(r.json, "bookings")), 0);
    r = http_request(bob, "POST", strf("/api/v1/pro/collective/bookings/%lld/cancel",
                                       (long long)id), NULL);
    assert_status(r, 404);
    r = http_json(alice, "POST", strf("/api/v1/pro/collective/bookings/%lld/cancel",
                                      (long long)id),
                  json_pack("{s:s}", "reason", "Projection annulée"));
    assert_status(r, 200);
    assert_jstr(r.json, "status", "CANCELLED");
    r = http_request(alice, "POST", strf("/api/v1/pro/collective/bookings/%lld/cancel",
                                         (long long)id), NULL);
    assert_status(r, 410);
    r = http_request(alice, "GET", "/api/v1/pro/collective/bookings?status=CANCELLED", NULL);
    assert_jstr(jfind_id(r.json, "bookings", "id", id), "statusLabel", "Annulée");
}

static void test_bad_input(void **state)
{
    (void)state;
    struct resp r = http_request(alice, "GET", "/api/v1/pro/collective/bookings?status=BOOKED",
                                 NULL);
    assert_error(r, 422, "status");
    r = http_request(alice, "GET", "/api/v1/pro/collective/bookings?offererId=abc", NULL);
    assert_error(r, 422, "offererId");
    r = prebook(admin, collective_stock(300, 1000), "0000000X");
    assert_error(r, 422, "uai");
    r = prebook(admin, 999999, "0691234A");
    assert_status(r, 404);
    r = http_json(admin, "POST", "/api/v1/adage/bookings", json_pack("{s:s}", "uai", "0691234A"));
    assert_error(r, 422, "collectiveStockId");
    assert_status(http_request(admin, "POST", "/api/v1/adage/bookings/999999/confirm", NULL),
                  404);
    assert_status(http_request(alice, "POST", "/api/v1/pro/collective/bookings/999999/cancel",
                               NULL),
                  404);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_adage_routes_refuse_pros),
        cmocka_unit_test(test_flow),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests_name("adage", tests, setup, harness_group_teardown);
}
