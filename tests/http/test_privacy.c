/*
 * Privacy (issue 14): a pro of another structure sees nothing of a beneficiary who booked
 * elsewhere (list, export, Guichet); every export of beneficiaries' data is written to the
 * audit log (who, which structure, the filters, the row count), shown in the back office; the
 * retention
 * job anonymises the beneficiaries whose credit has expired and who have done nothing (no
 * login, no booking) for the retention period (1096 days by default), on the test clock:
 *
 *   T0 2027-01-10  Léa and Hugo (born 2008-06-01, credit until their 21st birthday,
 *                  2029-06-01) are created, log in and book the pro's offer.
 *   2029-01-10     Hugo logs in again.
 *   2030-01-05     the job runs: Léa's last activity is 1091 days old, nothing happens.
 *   2030-02-01     the job runs: Léa is anonymised (her booking stays, shown as "Anonyme"),
 *                  Hugo is not (his login is a year old).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/harness.h"

#define T0 "2027-01-10T09:00:00Z"
#define BORN "2008-06-01"
#define PERIOD "bookingPeriodBeginningDate=2027-01-01&bookingPeriodEndingDate=2027-01-31"

static struct client *admin, *pro, *other, *lea, *hugo;
static const char *lea_token;
static int64_t offerer, venue, offer, stock, lea_id, hugo_id, lea_booking, hugo_booking;
static const char *lea_email, *hugo_email;

static struct client *beneficiary(const char *first, const char *last, const char **email,
                                  int64_t *id)
{
    *email = unique_email(strcmp(first, "Léa") == 0 ? "lea" : "hugo");
    struct resp r = http_json(admin, "POST", "/api/v1/admin/beneficiaries",
                              json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "email", *email,
                                        "password", TEST_PASSWORD, "firstName", first,
                                        "lastName", last, "birthDate", BORN, "postalCode",
                                        "75011", "phone", "06 12 34 56 78"));
    assert_status(r, 201);
    *id = jint(r.json, "id");
    struct client *c = client_new();
    client_login(c, *email, TEST_PASSWORD);
    return c;
}

static int64_t book(struct client *c, const char **token)
{
    struct resp r = http_request(c, "POST", "/api/v1/bookings",
                                 strf("{\"stockId\":%lld,\"quantity\":1}", (long long)stock));
    assert_status(r, 201);
    if (token != NULL)
        *token = strf("%s", jstr(r.json, "token"));
    return jint(r.json, "id");
}

static int setup(void **state)
{
    if (harness_group_setup(state) != 0)
        return -1;
    set_clock(T0);
    admin = admin_new("admin");
    pro = pro_new("pro");
    venue = structure_validated(pro, admin, new_siret(), "Musée de la Vie", "75001", "Paris",
                                &offerer);
    json_t *body = json_pack("{s:I, s:s, s:s, s:b, s:b, s:b, s:b}", "venueId", (json_int_t)venue,
                             "name", "Carte du musée", "subcategoryId", "CARTE_MUSEE",
                             "audioDisabilityCompliant", 1, "mentalDisabilityCompliant", 1,
                             "motorDisabilityCompliant", 1, "visualDisabilityCompliant", 1);
    struct resp r = http_json(pro, "POST", "/api/v1/offers", body);
    assert_status(r, 201);
    offer = jint(r.json, "id");
    r = http_json(pro, "POST", strf("/api/v1/offers/%lld/stocks", (long long)offer),
                  json_pack("{s:I, s:n}", "priceCents", (json_int_t)500, "quantity"));
    assert_status(r, 201);
    stock = jint(r.json, "id");
    r = http_request(pro, "POST", strf("/api/v1/offers/%lld/publish", (long long)offer), NULL);
    assert_status(r, 200);
    lea = beneficiary("Léa", "Martin", &lea_email, &lea_id);
    hugo = beneficiary("Hugo", "Bernard", &hugo_email, &hugo_id);
    lea_booking = book(lea, &lea_token);
    hugo_booking = book(hugo, NULL);
    other = pro_new("autre");
    structure_validated(other, admin, new_siret(), "Autre musée", "69001", "Lyon", NULL);
    return 0;
}

/* The back office's home page, as a fresh admin session at the current clock. */
static const char *backoffice(void)
{
    struct client *c = client_new();
    client_login(c, admin->email, TEST_PASSWORD);
    struct resp r = http_request(c, "GET", "/backoffice", NULL);
    assert_status(r, 200);
    return r.body;
}

static void test_exports_are_audited(void **state)
{
    (void)state;
    struct resp r = http_request(pro, "GET", "/api/v1/pro/bookings/export?format=csv&" PERIOD,
                                 NULL);
    assert_status(r, 200);
    r = http_request(pro, "GET",
                     strf("/api/v1/pro/bookings/export?format=xlsx&offererId=%lld&status=booked",
                          (long long)offerer),
                     NULL);
    assert_status(r, 200);
    r = http_request(pro, "GET", "/api/v1/pro/reimbursements.csv", NULL);
    assert_status(r, 200);
    const char *page = backoffice();
    assert_non_null(strstr(page, "Réservations exportées"));
    assert_non_null(strstr(page, "CSV, 2 lignes, réservations du 2027-01-01 au 2027-01-31"));
    assert_non_null(strstr(page, "Excel, 2 lignes"));
    assert_non_null(strstr(page, "statut réservé"));
    assert_non_null(strstr(page, "Remboursements exportés"));
    assert_non_null(strstr(page, "CSV des remboursements, 0 ligne"));
    /* Who: the pro, by name. */
    assert_non_null(strstr(page, pro->email));
}

/* A pro of another structure sees nothing of these beneficiaries: list, export, Guichet. */
static void test_other_structure_sees_nothing(void **state)
{
    (void)state;
    struct resp r = http_request(other, "GET", "/api/v1/pro/bookings?" PERIOD, NULL);
    assert_status(r, 200);
    assert_int_equal(jint(r.json, "total"), 0);
    r = http_request(other, "GET", "/api/v1/pro/bookings/export?format=csv&" PERIOD, NULL);
    assert_status(r, 200);
    assert_null(strstr(r.body, "Martin"));
    assert_null(strstr(r.body, lea_email));
    r = http_request(other, "GET", strf("/api/v1/pro/bookings/token/%s", lea_token), NULL);
    assert_status(r, 404);
    r = http_request(other, "GET", strf("/guichet?contremarque=%s", lea_token), NULL);
    assert_null(strstr(r.body, "Martin"));
    r = http_request(pro, "GET", strf("/guichet?contremarque=%s", lea_token), NULL);
    assert_status(r, 200);
    assert_non_null(strstr(r.body, "Martin"));
}

static void run_jobs(void)
{
    struct resp r = http_request(client_new(), "POST", "/api/test/jobs/run", NULL);
    assert_status(r, 200);
    bool ran = false;
    size_t i;
    json_t *name;
    json_array_foreach(jget(r.json, "ran"), i, name) ran |=
        strcmp(json_string_value(name), "anonymise_beneficiaries") == 0;
    assert_true(ran);
}

/* The beneficiary of booking @id as the pro's list shows it (the pro logged in anew). */
static json_t *shown(int64_t id)
{
    struct client *c = client_new();
    client_login(c, pro->email, TEST_PASSWORD);
    struct resp r = http_request(c, "GET", "/api/v1/pro/bookings?" PERIOD, NULL);
    assert_status(r, 200);
    json_t *b = jfind_id(r.json, "bookings", "id", id);
    assert_non_null(b);
    return jget(b, "beneficiary");
}

static long login_status(const char *email)
{
    return http_json(client_new(), "POST", "/api/v1/auth/login",
                     json_pack("{s:s, s:s}", "email", email, "password", TEST_PASSWORD))
        .status;
}

static void test_retention(void **state)
{
    (void)state;
    set_clock("2029-01-10T09:00:00Z");
    client_login(hugo, hugo_email, TEST_PASSWORD);

    /* 1091 days after Léa's last activity: not yet. */
    set_clock("2030-01-05T09:00:00Z");
    run_jobs();
    json_t *b = shown(lea_booking);
    assert_jstr(b, "firstName", "Léa");
    assert_jstr(b, "email", lea_email);

    set_clock("2030-02-01T09:00:00Z");
    run_jobs();
    b = shown(lea_booking);
    assert_jstr(b, "firstName", "Anonyme");
    assert_jstr(b, "lastName", "Anonyme");
    assert_jstr(b, "email", strf("anonyme-%lld@anonyme.invalid", (long long)lea_id));
    assert_true(json_is_null(jget(b, "phone")));
    /* Hugo logged in a year ago: kept as he is. */
    b = shown(hugo_booking);
    assert_jstr(b, "firstName", "Hugo");
    assert_jstr(b, "email", hugo_email);
    assert_jstr(b, "phone", "06 12 34 56 78");

    /* The export: Léa's row has no postal code any more; Hugo's has his. */
    struct client *c = client_new();
    client_login(c, pro->email, TEST_PASSWORD);
    struct resp r = http_request(c, "GET", "/api/v1/pro/bookings/export?format=csv&" PERIOD,
                                 NULL);
    assert_status(r, 200);
    assert_null(strstr(r.body, "Léa"));
    assert_null(strstr(r.body, "Martin"));
    assert_non_null(strstr(r.body, "Anonyme"));
    assert_non_null(strstr(r.body, "Bernard"));

    /* Léa cannot log in any more, with her old address or the new one; Hugo can. */
    assert_int_equal(login_status(lea_email), 401);
    assert_int_equal(login_status(strf("anonyme-%lld@anonyme.invalid", (long long)lea_id)), 401);
    assert_int_equal(login_status(hugo_email), 200);

    const char *page = backoffice();
    assert_non_null(strstr(page, "Bénéficiaire anonymisé"));

    /* Idempotent: a second run changes nothing and does not fail. */
    run_jobs();
    assert_jstr(shown(lea_booking), "firstName", "Anonyme");
}

/* --retention-days is checked like every option: a bad value is a usage error (exit 2). */
static void test_retention_option(void **state)
{
    (void)state;
    const char *bin = getenv("PASSPRO_BIN") ? getenv("PASSPRO_BIN") : "build/passpro";
    const char *db = strf("sqlite:%s/option.db", g_server.dir);
    int st = system(strf("'%s' jobs run --db '%s' --retention-days 0 >/dev/null 2>&1", bin, db));
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 2);
    st = system(strf("'%s' jobs run --db '%s' --retention-days trois >/dev/null 2>&1", bin, db));
    assert_int_equal(WEXITSTATUS(st), 2);
    st = system(strf("'%s' jobs run --db '%s' --retention-days 30 >/dev/null 2>&1", bin, db));
    assert_int_equal(WEXITSTATUS(st), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exports_are_audited),
        cmocka_unit_test(test_other_structure_sees_nothing),
        cmocka_unit_test(test_retention),
        cmocka_unit_test(test_retention_option),
    };
    return cmocka_run_group_tests(tests, setup, harness_group_teardown);
}
