/*
 * Collective offers, the setup side, through the real server (SPEC §8, RULES §10,
 * docs/collective.md): referencing requests and decisions with their emails, the eligible
 * formats policy and its explanation, showcase and bookable offers with the stock rules and
 * the edit rules once pre-booked, schools (JSON and CSV import), ADAGE keys and the catalog.
 *
 *   cine    pro of structure A (a cinema, venue in Bordeaux 33000)
 *   museum  pro of structure B (a museum, venue in Paris 75003)
 *   other   pro of structure C
 *   admin   back office
 *
 * The clock is Monday 2026-10-05 (school year 2026-2027). Bookings belong to another module:
 * the edit rules are exercised on a collective_booking row written straight into the database.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "http/harness.h"

#define NOW "2026-10-05T08:00:00Z"

static struct client *cine, *museum, *other, *admin, *anon;
static int64_t oa, ob, oc, va, vb;
static int64_t bookable; /* cine's bookable offer with its stock */

/* ------------------------------------------------------------------ database peeks */

static struct pp_db *db_open(void)
{
    struct pp_db *db = NULL;
    char msg[256];
    assert_int_equal(pp_db_open(g_server.db_url, &db, msg, sizeof msg), PP_OK);
    return db;
}

static void db_exec(const char *sql)
{
    struct pp_db *db = db_open();
    if (pp_db_exec(db, sql) != PP_OK)
        fail_msg("%s: %s", sql, pp_db_errmsg(db));
    pp_db_close(db);
}

/* First column of the first row of @sql as text (copied by strf), or NULL. */
static const char *db_text(const char *sql)
{
    struct pp_db *db = db_open();
    struct pp_stmt *st = pp_db_prepare(db, sql);
    assert_non_null(st);
    const char *out = NULL;
    if (pp_stmt_step(st) == PP_STEP_ROW && pp_stmt_text(st, 0) != NULL)
        out = strf("%s", pp_stmt_text(st, 0));
    pp_stmt_done(st);
    pp_db_close(db);
    return out;
}

/* ------------------------------------------------------------------ helpers */

static json_t *application(const char *format)
{
    return json_pack("{s:s, s:s, s:s, s:[s], s:s}", "activity", "Cinéma art et essai",
                     "public", "Collégiens et lycéens", "contactEmail", "eac@example.com",
                     "formats", format, "description", "Séances suivies d'un échange.");
}

/* A showcase (@bookable false) or bookable offer body in @venue. */
static json_t *offer_body(int64_t venue, const char *sub, const char *format, bool bookable_offer)
{
    json_t *j = json_pack(
        "{s:I, s:s, s:s, s:s, s:s, s:[s, s], s:[s], s:s, s:s, s:[s, s]}", "venueId",
        (json_int_t)venue, "name", "Projection et rencontre", "description",
        "Un film et un débat avec la classe.", "subcategoryId", sub, "format", format,
        "students", "Collège - 4e", "Collège - 3e", "domains", "Cinéma", "contactEmail",
        "eac@example.com", "contactPhone", "0102030405", "interventionArea", "33", "40");
    if (bookable_offer)
        json_object_set_new(j, "bookingEmails", json_pack("[s]", "resa@example.com"));
    return j;
}

static json_t *stock_body(const char *start, const char *end, const char *limit, int tickets,
                          int price)
{
    json_t *j = json_pack("{s:s, s:s, s:i, s:i}", "startDatetime", start, "endDatetime", end,
                          "numberOfTickets", tickets, "totalPriceCents", price);
    if (limit)
        json_object_set_new(j, "bookingLimitDatetime", json_string(limit));
    return j;
}

static const char *global_message(const struct resp *r)
{
    return json_string_value(json_array_get(jget(r->json, "errors.global"), 0));
}

static int setup(void **state)
{
    if (harness_group_setup(state) != 0)
        return -1;
    set_clock(NOW);
    anon = client_new();
    admin = admin_new("admin-coll");
    cine = pro_new("cine");
    museum = pro_new("musee");
    other = pro_new("autre");
    va = structure_validated(cine, admin, new_siret(), "Cinéma Le Palace", "33000", "Bordeaux",
                             &oa);
    vb = structure_validated(museum, admin, new_siret(), "Musée des Arts", "75003", "Paris", &ob);
    structure_validated(other, admin, new_siret(), "Autre structure", "69002", "Lyon", &oc);
    return 0;
}

/* ------------------------------------------------------------------ tests */

static void test_referencing(void **state)
{
    (void)state;
    const char *path = strf("/api/v1/offerers/%lld/adage-application", (long long)oa);
    /* Not referenced: collective creation is refused with the explanation. */
    struct resp r = http_json(cine, "POST", "/api/v1/collective/templates",
                              offer_body(va, "SEANCE_CINE", "Projection audiovisuelle", false));
    assert_error(r, 403, "global");
    assert_non_null(strstr(global_message(&r), "référencée"));
    assert_non_null(strstr(global_message(&r), "cinéma"));

    assert_status(http_request(cine, "GET", path, NULL), 404);
    r = http_json(cine, "POST", path, application("Danse"));
    assert_error(r, 422, "formats");
    json_t *bad = application("Projection audiovisuelle");
    json_object_set_new(bad, "contactEmail", json_string("pas-une-adresse"));
    assert_error(http_json(cine, "POST", path, bad), 422, "contactEmail");
    assert_error(http_json(other, "POST", path, application("Projection audiovisuelle")), 404,
                 "global");

    r = http_json(cine, "POST", path, application("Projection audiovisuelle"));
    assert_status(r, 201);
    assert_jstr(r.json, "status", "PENDING");
    assert_error(http_json(cine, "POST", path, application("Projection audiovisuelle")), 409,
                 "global");
    r = http_request(cine, "GET", path, NULL);
    assert_status(r, 200);
    assert_jstr(r.json, "status", "PENDING");
    assert_string_equal(json_string_value(json_array_get(jget(r.json, "formats"), 0)),
                        "Projection audiovisuelle");
    assert_status(http_request(other, "GET", path, NULL), 404);

    r = http_request(admin, "GET", "/api/v1/admin/adage-applications", NULL);
    assert_status(r, 200);
    assert_non_null(jfind_id(r.json, "applications", "offererId", oa));
    assert_status(http_request(cine, "GET", "/api/v1/admin/adage-applications", NULL), 403);

    /* The museum asks too and is declined, with a reason (required). */
    const char *mpath = strf("/api/v1/offerers/%lld/adage-application", (long long)ob);
    assert_status(http_json(museum, "POST", mpath, application("Visite guidée")), 201);
    const char *reject = strf("/api/v1/admin/offerers/%lld/adage/reject", (long long)ob);
    assert_error(http_request(admin, "POST", reject, "{}"), 422, "reason");
    r = http_request(admin, "POST", reject, "{\"reason\":\"Formats non éligibles cette année\"}");
    assert_status(r, 200);
    assert_false(json_is_true(jget(r.json, "allowedOnAdage")));
    r = http_request(museum, "GET", mpath, NULL);
    assert_jstr(r.json, "status", "REJECTED");
    assert_jstr(r.json, "reason", "Formats non éligibles cette année");

    r = http_request(admin, "POST", strf("/api/v1/admin/offerers/%lld/adage", (long long)oa), NULL);
    assert_status(r, 200);
    assert_true(json_is_true(jget(r.json, "allowedOnAdage")));
    r = http_request(cine, "GET", path, NULL);
    assert_jstr(r.json, "status", "ACCEPTED");
    assert_true(json_is_true(jget(r.json, "allowedOnAdage")));
    assert_status(http_request(admin, "POST", "/api/v1/admin/offerers/999999/adage", NULL), 404);

    /* Both decisions emailed the members, the decline with its reason. */
    assert_string_equal(db_text(strf("SELECT kind FROM outbox WHERE to_address = '%s'"
                                     " AND kind LIKE 'ADAGE%%'", cine->email)),
                        "ADAGE_ACCEPTED");
    const char *payload = db_text(strf("SELECT payload FROM outbox WHERE to_address = '%s'"
                                       " AND kind = 'ADAGE_REJECTED'", museum->email));
    assert_non_null(payload);
    assert_non_null(strstr(payload, "Formats non éligibles cette année"));
}

static void test_policy(void **state)
{
    (void)state;
    struct resp r = http_request(museum, "GET", "/api/v1/collective/policy", NULL);
    assert_status(r, 200);
    assert_int_equal(json_array_size(jget(r.json, "subcategories")), 4);
    assert_non_null(strstr(jstr(r.json, "explanation"), "séance de cinéma"));
    assert_non_null(strstr(jstr(r.json, "explanation"), "« Projection audiovisuelle »"));
    assert_status(http_request(anon, "GET", "/api/v1/collective/policy", NULL), 401);

    /* The museum, referenced now, still cannot offer a guided tour: the policy says why. */
    assert_status(
        http_request(admin, "POST", strf("/api/v1/admin/offerers/%lld/adage", (long long)ob), NULL),
        200);
    r = http_json(museum, "POST", "/api/v1/collective/templates",
                  offer_body(vb, "VISITE_GUIDEE", "Visite guidée", false));
    assert_error(r, 403, "global");
    const char *why = global_message(&r);
    assert_non_null(strstr(why, "séance de cinéma"));
    assert_non_null(strstr(why, "cinéma plein air"));
    assert_non_null(strstr(why, "Votre offre « Visite guidée » ne peut pas encore"));
    /* An eligible subcategory in a format that is not. */
    r = http_json(museum, "POST", "/api/v1/collective/templates",
                  offer_body(vb, "SEANCE_CINE", "Visite guidée", false));
    assert_error(r, 403, "global");
    assert_non_null(strstr(global_message(&r), "Le format « Visite guidée »"));

    /* The back office opens guided tours; unknown codes are refused, nothing changed. */
    const char *put = "/api/v1/admin/collective/policy";
    assert_status(http_request(museum, "PUT", put, "{\"subcategories\":[],\"formats\":[]}"), 403);
    assert_error(http_request(admin, "PUT", put,
                              "{\"subcategories\":[\"SEANCE_CINE\",\"NIMPORTE\"],"
                              "\"formats\":[\"Projection audiovisuelle\"]}"),
                 422, "subcategories");
    assert_error(http_request(admin, "PUT", put,
                              "{\"subcategories\":[\"SEANCE_CINE\"],\"formats\":[\"Danse\"]}"),
                 422, "formats");
    r = http_request(admin, "PUT", put,
                     "{\"subcategories\":[\"SEANCE_CINE\",\"EVENEMENT_CINE\",\"FESTIVAL_CINE\","
                     "\"CINE_PLEIN_AIR\",\"VISITE_GUIDEE\"],"
                     "\"formats\":[\"Projection audiovisuelle\",\"Visite guidée\"]}");
    assert_status(r, 200);
    assert_int_equal(json_array_size(jget(r.json, "subcategories")), 5);
    r = http_json(museum, "POST", "/api/v1/collective/templates",
                  offer_body(vb, "VISITE_GUIDEE", "Visite guidée", false));
    assert_status(r, 201);
    /* Back to the default: the same guided tour is refused again. */
    r = http_request(admin, "PUT", put,
                     "{\"subcategories\":[\"SEANCE_CINE\",\"EVENEMENT_CINE\",\"FESTIVAL_CINE\","
                     "\"CINE_PLEIN_AIR\"],\"formats\":[\"Projection audiovisuelle\"]}");
    assert_status(r, 200);
    assert_status(http_json(museum, "POST", "/api/v1/collective/templates",
                            offer_body(vb, "VISITE_GUIDEE", "Visite guidée", false)),
                  403);
}

static void test_offers_and_stock(void **state)
{
    (void)state;
    /* A showcase offer needs its intervention area; departments are checked. */
    json_t *b = offer_body(va, "SEANCE_CINE", "Projection audiovisuelle", false);
    json_object_del(b, "interventionArea");
    assert_error(http_json(cine, "POST", "/api/v1/collective/templates", b), 422,
                 "interventionArea");
    b = offer_body(va, "SEANCE_CINE", "Projection audiovisuelle", false);
    json_object_set_new(b, "interventionArea", json_pack("[s]", "99"));
    assert_error(http_json(cine, "POST", "/api/v1/collective/templates", b), 422,
                 "interventionArea");
    b = offer_body(va, "SEANCE_CINE", "Projection audiovisuelle", false);
    json_object_set_new(b, "students", json_pack("[s]", "CM2"));
    json_object_set_new(b, "format", json_string("Danse"));
    struct resp r = http_json(cine, "POST", "/api/v1/collective/templates", b);
    assert_error(r, 422, "students");
    assert_error(r, 422, "format");
    r = http_json(cine, "POST", "/api/v1/collective/templates",
                  offer_body(va, "SEANCE_CINE", "Projection audiovisuelle", false));
    assert_status(r, 201);
    assert_true(json_is_true(jget(r.json, "isTemplate")));
    assert_jstr(r.json, "status", "PUBLISHED");
    assert_jstr(r.json, "venue.city", "Bordeaux");
    int64_t template_id = jint(r.json, "id");
    /* Another structure's venue: 404, never 403. */
    assert_status(http_json(other, "POST", "/api/v1/collective/templates",
                            offer_body(va, "SEANCE_CINE", "Projection audiovisuelle", false)),
                  404);

    /* A bookable offer needs booking emails; a school, if given, must exist. */
    assert_error(http_json(cine, "POST", "/api/v1/collective/offers",
                           offer_body(va, "SEANCE_CINE", "Projection audiovisuelle", false)),
                 422, "bookingEmails");
    b = offer_body(va, "SEANCE_CINE", "Projection audiovisuelle", true);
    json_object_set_new(b, "institutionId", json_integer(999999));
    assert_error(http_json(cine, "POST", "/api/v1/collective/offers", b), 422, "institutionId");
    r = http_json(cine, "POST", "/api/v1/collective/offers",
                  offer_body(va, "SEANCE_CINE", "Projection audiovisuelle", true));
    assert_status(r, 201);
    assert_false(json_is_true(jget(r.json, "isTemplate")));
    assert_true(json_is_null(jget(r.json, "stock")));
    bookable = jint(r.json, "id");

    /* The stock: dates ordered, one school year, a limit before the start, not in the past. */
    const char *spath = strf("/api/v1/collective/offers/%lld/stock", (long long)bookable);
    assert_error(http_json(cine, "POST", spath,
                           stock_body("2027-03-10T09:00:00Z", "2027-03-09T09:00:00Z", NULL, 25,
                                      30000)),
                 422, "endDatetime");
    assert_error(http_json(cine, "POST", spath,
                           stock_body("2027-06-20T09:00:00Z", "2027-09-02T09:00:00Z", NULL, 25,
                                      30000)),
                 422, "endDatetime");
    assert_error(http_json(cine, "POST", spath,
                           stock_body("2027-03-10T09:00:00Z", "2027-03-10T11:00:00Z",
                                      "2027-03-11T09:00:00Z", 25, 30000)),
                 422, "bookingLimitDatetime");
    assert_error(http_json(cine, "POST", spath,
                           stock_body("2026-10-01T09:00:00Z", "2026-10-01T11:00:00Z", NULL, 25,
                                      30000)),
                 422, "startDatetime");
    assert_error(http_json(cine, "POST", spath,
                           stock_body("2027-03-10T09:00:00Z", "2027-03-10T11:00:00Z", NULL, 0,
                                      30000)),
                 422, "numberOfTickets");
    assert_error(http_request(cine, "POST", spath, "{\"startDatetime\":\"demain\"}"), 422,
                 "startDatetime");
    /* 31 August 22:00 UTC is 1 September in Paris: another school year. */
    assert_error(http_json(cine, "POST", spath,
                           stock_body("2027-08-30T09:00:00Z", "2027-08-31T22:30:00Z", NULL, 25,
                                      30000)),
                 422, "endDatetime");
    assert_status(http_json(other, "POST", spath,
                            stock_body("2027-03-10T09:00:00Z", "2027-03-10T11:00:00Z", NULL, 25,
                                       30000)),
                  404);
    r = http_json(cine, "POST", spath,
                  stock_body("2027-03-10T09:00:00Z", "2027-03-10T11:00:00Z",
                             "2027-02-10T09:00:00Z", 25, 30000));
    assert_status(r, 201);
    assert_int_equal(jint(r.json, "totalPriceCents"), 30000);
    assert_jstr(r.json, "bookingLimitDatetime", "2027-02-10T09:00:00Z");
    assert_error(http_json(cine, "POST", spath,
                           stock_body("2027-03-11T09:00:00Z", "2027-03-11T11:00:00Z", NULL, 25,
                                      30000)),
                 409, "global");
    assert_error(http_json(cine, "POST",
                           strf("/api/v1/collective/offers/%lld/stock", (long long)template_id),
                           stock_body("2027-03-11T09:00:00Z", "2027-03-11T11:00:00Z", NULL, 25,
                                      30000)),
                 422, "global");

    /* Reading and listing: only the structure's members. */
    const char *opath = strf("/api/v1/collective/offers/%lld", (long long)bookable);
    r = http_request(cine, "GET", opath, NULL);
    assert_status(r, 200);
    assert_int_equal(jint(r.json, "stock.numberOfTickets"), 25);
    assert_status(http_request(other, "GET", opath, NULL), 404);
    assert_status(http_request(other, "PATCH", opath, "{\"name\":\"Pris\"}"), 404);
    assert_status(http_request(other, "PATCH", spath, "{\"totalPriceCents\":1}"), 404);
    r = http_request(cine, "GET", strf("/api/v1/collective/offers?offererId=%lld", (long long)oa),
                     NULL);
    assert_status(r, 200);
    assert_int_equal(json_array_size(jget(r.json, "offers")), 2);
    assert_status(http_request(other, "GET",
                               strf("/api/v1/collective/offers?offererId=%lld", (long long)oa),
                               NULL),
                  404);
    assert_status(http_request(cine, "GET", "/api/v1/collective/offers", NULL), 422);

    /* Before any booking everything may change. */
    r = http_request(cine, "PATCH", opath, "{\"name\":\"Ciné-débat\",\"students\":[\"Lycée - "
                                           "Seconde\"]}");
    assert_status(r, 200);
    assert_jstr(r.json, "name", "Ciné-débat");
    assert_error(http_request(cine, "PATCH", opath, "{\"name\":\"\",\"format\":\"Visite guidée\"}"),
                 403, "global");
    r = http_request(cine, "PATCH", spath, "{\"numberOfTickets\":30}");
    assert_status(r, 200);
    assert_int_equal(jint(r.json, "numberOfTickets"), 30);
}

/* A PENDING then CONFIRMED booking of the bookable offer, written as the bookings module
 * would: the edit rules of docs/collective.md. */
static void test_edit_rules_once_booked(void **state)
{
    (void)state;
    const char *spath = strf("/api/v1/collective/offers/%lld/stock", (long long)bookable);
    const char *opath = strf("/api/v1/collective/offers/%lld", (long long)bookable);
    db_exec("INSERT INTO educational_institution (uai, name, city, created_at)"
            " VALUES ('0330023W', 'Collège Test', 'Bordeaux', 0)");
    db_exec(strf("INSERT INTO collective_booking (stock_id, offer_id, venue_id, offerer_id,"
                 " institution_id, year, teacher_email, price_cents, created_at,"
                 " confirmation_limit_at, cancellation_limit_at)"
                 " SELECT s.id, s.offer_id, %lld, %lld,"
                 " (SELECT id FROM educational_institution WHERE uai = '0330023W'), 2026,"
                 " 'prof@example.com', s.price_cents, 1790000000, s.booking_limit_at, 0"
                 " FROM collective_stock s WHERE s.offer_id = %lld",
                 (long long)va, (long long)oa, (long long)bookable));
    struct resp r = http_request(cine, "GET", opath, NULL);
    assert_jstr(r.json, "status", "PENDING");
    assert_jstr(r.json, "bookingStatus", "PENDING");

    /* PENDING: the price may change, and the teacher's booking follows it. */
    r = http_request(cine, "PATCH", spath, "{\"totalPriceCents\":28000,"
                                           "\"startDatetime\":\"2027-03-12T09:00:00Z\","
                                           "\"endDatetime\":\"2027-03-12T11:00:00Z\"}");
    assert_status(r, 200);
    assert_string_equal(db_text(strf("SELECT price_cents || '/' || cancellation_limit_at"
                                     " FROM collective_booking WHERE offer_id = %lld",
                                     (long long)bookable)),
                        "28000/1802250000"); /* start - 30 days (after the creation) */
    /* The subcategory, format and school are what the teacher chose: frozen. */
    assert_error(http_request(cine, "PATCH", opath, "{\"subcategoryId\":\"EVENEMENT_CINE\"}"),
                 409, "global");

    /* CONFIRMED: dates, price and pupils frozen; descriptive fields still editable. */
    db_exec(strf("UPDATE collective_booking SET status = 'CONFIRMED' WHERE offer_id = %lld",
                 (long long)bookable));
    assert_error(http_request(cine, "PATCH", spath, "{\"totalPriceCents\":1000}"), 409, "global");
    assert_error(http_request(cine, "PATCH", spath, "{\"startDatetime\":\"2027-03-13T09:00:00Z\"}"),
                 409, "global");
    assert_string_equal(db_text(strf("SELECT price_cents FROM collective_booking"
                                     " WHERE offer_id = %lld", (long long)bookable)),
                        "28000");
    r = http_request(cine, "PATCH", opath, "{\"description\":\"Avec la réalisatrice.\"}");
    assert_status(r, 200);
    assert_jstr(r.json, "description", "Avec la réalisatrice.");
    assert_jstr(r.json, "status", "CONFIRMED");
    r = http_request(cine, "GET", strf("/api/v1/collective/offers?offererId=%lld", (long long)oa),
                     NULL);
    assert_jstr(jfind_id(r.json, "offers", "id", bookable), "status", "CONFIRMED");
}

static void test_institutions(void **state)
{
    (void)state;
    const char *path = "/api/v1/admin/institutions";
    struct resp r = http_request(admin, "POST", path,
                                 "{\"uai\":\"0750655e\",\"name\":\"Lycée Louis-le-Grand\","
                                 "\"city\":\"Paris\",\"budgetCents\":500000,"
                                 "\"educationalYear\":\"2026-2027\"}");
    assert_status(r, 201);
    assert_true(json_is_true(jget(r.json, "created")));
    assert_int_equal(jint(r.json, "educationalYear"), 2026);
    r = http_request(admin, "POST", path,
                     "{\"uai\":\"0750655E\",\"name\":\"Lycée Louis-le-Grand\",\"city\":\"Paris\","
                     "\"budgetCents\":700000,\"educationalYear\":2026}");
    assert_status(r, 201);
    assert_false(json_is_true(jget(r.json, "created")));
    r = http_request(admin, "POST", path,
                     "{\"uai\":\"0750655A\",\"name\":\"X\",\"city\":\"Paris\",\"budgetCents\":5,"
                     "\"educationalYear\":\"2026-2028\"}");
    assert_error(r, 422, "uai");
    assert_error(r, 422, "educationalYear");
    r = http_request(admin, "POST", path,
                     "{\"uai\":\"0750655E\",\"name\":\"X\",\"city\":\"Paris\",\"budgetCents\":-5,"
                     "\"educationalYear\":2026}");
    assert_error(r, 422, "budgetCents");
    assert_status(http_request(cine, "POST", path, "{}"), 403);

    r = http_request(admin, "GET", path, NULL);
    assert_status(r, 200);
    size_t before = json_array_size(jget(r.json, "institutions"));
    json_t *llg = NULL;
    for (size_t i = 0; i < before; i++)
        if (strcmp(jstr(json_array_get(jget(r.json, "institutions"), i), "uai"), "0750655E") == 0)
            llg = json_array_get(jget(r.json, "institutions"), i);
    assert_non_null(llg);
    assert_int_equal(jint(json_array_get(jget(llg, "budgets"), 0), "budgetCents"), 700000);

    /* A good file: two new schools, one updated (a new year for Louis-le-Grand). */
    const char *csv_ok = "uai;name;city;budgetCents;educationalYear\r\n"
                         "0750001U;Collège Un;Paris;100000;2026-2027\r\n"
                         "0690001B;Collège Deux;Lyon;200000;2026\r\n"
                         "\r\n"
                         "0750655E;Lycée Louis-le-Grand;Paris;900000;2027-2028\r\n";
    r = http_raw(admin, "POST", "/api/v1/admin/institutions/import", "text/csv", csv_ok,
                 strlen(csv_ok), NULL);
    assert_status(r, 200);
    assert_int_equal(jint(r.json, "created"), 2);
    assert_int_equal(jint(r.json, "updated"), 1);
    assert_int_equal(json_array_size(jget(r.json, "errors")), 0);

    /* A bad file is refused whole, every bad line listed; nothing is written. */
    const char *csv_bad = "uai;name;city;budgetCents;educationalYear\n"
                          "0130002G;Collège Trois;Marseille;100000;2026\n"
                          "0130002A;Collège Quatre;Marseille;100000;2026\n"
                          "0130003;Collège Cinq;Marseille\n"
                          "0750001U;Collège Un;Paris;beaucoup;2026\n";
    r = http_raw(admin, "POST", "/api/v1/admin/institutions/import", "text/csv", csv_bad,
                 strlen(csv_bad), NULL);
    assert_error(r, 422, "global");
    json_t *lines = jget(r.json, "lineErrors");
    assert_int_equal(json_array_size(lines), 3);
    assert_int_equal(jint(json_array_get(lines, 0), "line"), 3);
    assert_int_equal(jint(json_array_get(lines, 1), "line"), 4);
    assert_int_equal(jint(json_array_get(lines, 2), "line"), 5);
    assert_null(db_text("SELECT id FROM educational_institution WHERE uai = '0130002G'"));

    const char *csv_header = "code;nom\n0130002G;Collège Trois;Marseille;100000;2026\n";
    r = http_raw(admin, "POST", "/api/v1/admin/institutions/import", "text/csv", csv_header,
                 strlen(csv_header), NULL);
    assert_status(r, 422);
    assert_int_equal(jint(json_array_get(jget(r.json, "lineErrors"), 0), "line"), 1);
    r = http_raw(admin, "POST", "/api/v1/admin/institutions/import", "application/json", "{}", 2,
                 NULL);
    assert_status(r, 415);

    r = http_request(admin, "GET", path, NULL);
    assert_int_equal(json_array_size(jget(r.json, "institutions")), before + 2);
}

static const char *adage_key;

static struct resp adage_get(const char *key, const char *path)
{
    const char *h[] = {strf("Authorization: Bearer %s", key), NULL};
    return http_raw(anon, "GET", path, NULL, NULL, 0, h);
}

static void test_adage_keys(void **state)
{
    (void)state;
    assert_error(http_request(admin, "POST", "/api/v1/admin/adage-keys", "{}"), 422, "label");
    struct resp r = http_request(admin, "POST", "/api/v1/admin/adage-keys",
                                 "{\"label\":\"ADAGE recette\"}");
    assert_status(r, 201);
    adage_key = jstr(r.json, "key");
    int64_t key_id = jint(r.json, "id");
    assert_int_equal(strlen(adage_key), strlen("adage_") + 12 + 1 + 64);
    assert_int_equal(strncmp(adage_key, "adage_", 6), 0);
    r = http_request(admin, "GET", "/api/v1/admin/adage-keys", NULL);
    assert_status(r, 200);
    json_t *k = jfind_id(r.json, "adageKeys", "id", key_id);
    assert_non_null(k);
    assert_null(jget(k, "key"));
    assert_int_equal(strncmp(jstr(k, "prefix"), adage_key, 18), 0);
    assert_null(strstr(r.body, adage_key + 19)); /* the secret is never shown again */

    assert_status(adage_get(adage_key, "/api/v1/adage/offers"), 200);
    assert_error(http_request(anon, "GET", "/api/v1/adage/offers", NULL), 401, "global");
    assert_error(http_request(cine, "GET", "/api/v1/adage/offers", NULL), 403, "global");
    assert_status(http_request(admin, "GET", "/api/v1/adage/offers", NULL), 200);
    char forged[160];
    snprintf(forged, sizeof forged, "%.19s%064d", adage_key, 7);
    r = adage_get(forged, "/api/v1/adage/offers");
    assert_error(r, 401, "global");
    assert_non_null(resp_header(&r, "WWW-Authenticate"));
    assert_status(adage_get("n'importe quoi", "/api/v1/adage/offers"), 401);

    assert_status(http_request(admin, "DELETE",
                               strf("/api/v1/admin/adage-keys/%lld", (long long)key_id), NULL),
                  204);
    assert_status(adage_get(adage_key, "/api/v1/adage/offers"), 401);
    assert_status(http_request(admin, "DELETE",
                               strf("/api/v1/admin/adage-keys/%lld", (long long)key_id), NULL),
                  404);
    r = http_request(admin, "POST", "/api/v1/admin/adage-keys", "{\"label\":\"ADAGE\"}");
    assert_status(r, 201);
    adage_key = jstr(r.json, "key");
}

static void test_catalog(void **state)
{
    (void)state;
    /* Another bookable offer with a stock, not booked: in the catalog; the booked one is not. */
    struct resp r = http_json(cine, "POST", "/api/v1/collective/offers",
                              offer_body(va, "FESTIVAL_CINE", "Projection audiovisuelle", true));
    assert_status(r, 201);
    int64_t open = jint(r.json, "id");
    r = http_json(cine, "PATCH", strf("/api/v1/collective/offers/%lld", (long long)open),
                  json_pack("{s:s}", "name", "Festival du court métrage"));
    assert_status(r, 200);
    assert_status(http_json(cine, "POST",
                            strf("/api/v1/collective/offers/%lld/stock", (long long)open),
                            stock_body("2027-05-03T08:00:00Z", "2027-05-03T10:00:00Z", NULL, 28,
                                       42000)),
                  201);
    /* Without a stock: not bookable, not shown. */
    r = http_json(cine, "POST", "/api/v1/collective/offers",
                  offer_body(va, "SEANCE_CINE", "Projection audiovisuelle", true));
    int64_t no_stock = jint(r.json, "id");

    r = adage_get(adage_key, "/api/v1/adage/offers?perPage=100");
    assert_status(r, 200);
    json_t *shown = jfind_id(r.json, "offers", "id", open);
    assert_non_null(shown);
    assert_jstr(shown, "venue.name", "Cinéma Le Palace");
    assert_jstr(shown, "venue.city", "Bordeaux");
    assert_int_equal(jint(shown, "stock.totalPriceCents"), 42000);
    assert_int_equal(jint(shown, "stock.numberOfTickets"), 28);
    assert_jstr(shown, "stock.startDatetime", "2027-05-03T08:00:00Z");
    assert_jstr(shown, "contactEmail", "eac@example.com");
    assert_string_equal(json_string_value(json_array_get(jget(shown, "students"), 0)),
                        "Collège - 4e");
    assert_null(jfind_id(r.json, "offers", "id", bookable));
    assert_null(jfind_id(r.json, "offers", "id", no_stock));
    int64_t total = jint(r.json, "total");
    assert_true(total >= 2); /* the showcase offers and this one */

    assert_non_null(jfind_id(adage_get(adage_key, "/api/v1/adage/offers?department=33").json,
                             "offers", "id", open));
    assert_null(jfind_id(adage_get(adage_key, "/api/v1/adage/offers?department=75").json,
                         "offers", "id", open));
    assert_non_null(jfind_id(adage_get(adage_key, "/api/v1/adage/offers?q=court").json, "offers",
                             "id", open));
    assert_null(jfind_id(adage_get(adage_key, "/api/v1/adage/offers?q=opéra").json, "offers",
                         "id", open));
    assert_null(jfind_id(
        adage_get(adage_key, "/api/v1/adage/offers?format=Visite%20guid%C3%A9e").json, "offers",
        "id", open));
    r = adage_get(adage_key, "/api/v1/adage/offers?perPage=1&page=2");
    assert_status(r, 200);
    assert_int_equal(json_array_size(jget(r.json, "offers")), 1);
    assert_int_equal(jint(r.json, "total"), total);
    assert_error(adage_get(adage_key, "/api/v1/adage/offers?perPage=500"), 422, "page");

    /* After the booking limit (the day of the event here), the offer leaves the catalog. */
    set_clock("2027-05-03T09:00:00Z");
    assert_null(jfind_id(adage_get(adage_key, "/api/v1/adage/offers?perPage=100").json, "offers",
                         "id", open));
}

/* Bad keys from one address: throttled after 30 in 10 minutes, even a good key then. */
static void test_adage_key_throttle(void **state)
{
    (void)state;
    char forged[160];
    snprintf(forged, sizeof forged, "%.19s%064d", adage_key, 9);
    for (int i = 0; i < 30; i++)
        assert_status(adage_get(forged, "/api/v1/adage/offers"), 401);
    struct resp r = adage_get(adage_key, "/api/v1/adage/offers");
    assert_error(r, 429, "global");
    assert_non_null(resp_header(&r, "Retry-After"));
    set_clock("2027-05-03T09:11:00Z");
    assert_status(adage_get(adage_key, "/api/v1/adage/offers"), 200);
}


/*
 * The acceptance of issue 11: a referenced cinema publishes a bookable screening, a teacher
 * pre-books, the head of school confirms on the school's budget, the booking is used 48 h
 * after the end and paid at 100 % in the next run (the invoice, the Détails CSV, the list).
 */
static void test_used_and_paid_at_100(void **state)
{
    (void)state;
    set_clock("2026-10-06T08:00:00Z"); /* sessions last 7 days on the test clock: log in again */
    client_login(cine, cine->email, cine->password);
    client_login(admin, admin->email, admin->password);
    assert_status(http_request(admin, "POST", strf("/api/v1/admin/offerers/%lld/adage",
                                                   (long long)oa), NULL), 200);
    struct resp r = http_json(cine, "POST", "/api/v1/collective/offers",
                              offer_body(va, "SEANCE_CINE", "Projection audiovisuelle", true));
    assert_status(r, 201);
    int64_t offer = jint(r.json, "id");
    r = http_json(cine, "POST", strf("/api/v1/collective/offers/%lld/stock", (long long)offer),
                  stock_body("2026-11-20T09:00:00Z", "2026-11-20T11:00:00Z",
                             "2026-11-10T00:00:00Z", 28, 45000));
    assert_status(r, 201);
    int64_t stock = jint(r.json, "id");
    r = http_request(admin, "POST", "/api/v1/adage/bookings",
                     strf("{\"collectiveStockId\":%lld,\"uai\":\"0750655E\","
                          "\"teacherEmail\":\"prof@example.com\"}", (long long)stock));
    assert_status(r, 201);
    assert_jstr(r.json, "status", "PENDING");
    int64_t booking = jint(r.json, "id");
    r = http_request(admin, "POST", strf("/api/v1/adage/bookings/%lld/confirm", (long long)booking),
                     NULL);
    assert_status(r, 200);
    assert_jstr(r.json, "status", "CONFIRMED");
    assert_error(http_request(admin, "POST", strf("/api/v1/adage/bookings/%lld/confirm",
                                                  (long long)booking), NULL), 409, "status");
    /* The structure's account, accepted and paying the cinema. */
    r = http_json(cine, "POST", strf("/api/v1/offerers/%lld/bank-accounts", (long long)oa),
                  json_pack("{s:s, s:s}", "label", "Compte du cinéma", "iban",
                            "FR76 3000 6000 0112 3456 7890 189"));
    assert_status(r, 201);
    int64_t account = jint(r.json, "id");
    assert_status(http_request(admin, "POST", strf("/api/v1/admin/bank-accounts/%lld/accept",
                                                   (long long)account), NULL), 200);
    assert_status(http_json(cine, "PUT", strf("/api/v1/bank-accounts/%lld/venues",
                                              (long long)account),
                            json_pack("{s:[I]}", "venueIds", (json_int_t)va)), 200);
    /* 48 h after the end: used by the jobs, then priced; the next day, the run pays it. */
    set_clock("2026-11-22T11:05:00Z");
    assert_status(http_request(anon, "POST", "/api/test/jobs/run", NULL), 200);
    set_clock("2026-11-23T09:00:00Z");
    client_login(cine, cine->email, cine->password);
    client_login(admin, admin->email, admin->password);
    r = http_request(cine, "GET", strf("/api/v1/pro/collective/bookings?offererId=%lld&status=USED",
                                       (long long)oa), NULL);
    assert_status(r, 200);
    assert_non_null(jfind_id(r.json, "bookings", "id", booking));
    r = http_json(admin, "POST", "/api/v1/admin/finance/runs", json_object());
    assert_status(r, 201);
    const char *reference = json_string_value(json_array_get(jget(r.json, "invoices"), 0));
    r = http_request(cine, "GET", strf("/api/v1/pro/invoices?offererId=%lld", (long long)oa), NULL);
    json_t *inv = json_array_get(jget(r.json, "invoices"), 0);
    assert_jstr(inv, "reference", reference);
    assert_int_equal(jint(inv, "amountCents"), 45000); /* 100 %, whatever the revenue */
    r = http_request(cine, "GET", strf("/api/v1/pro/collective/bookings?offererId=%lld",
                                       (long long)oa), NULL);
    assert_jstr(jfind_id(r.json, "bookings", "id", booking), "status", "REIMBURSED");
    r = http_request(cine, "GET", strf("/api/v1/pro/reimbursements.csv?offererId=%lld",
                                       (long long)oa), NULL);
    assert_status(r, 200);
    assert_non_null(strstr(r.body, "\"Lycée Louis-le-Grand\""));
    assert_non_null(strstr(r.body, ";450,00;\"100\u00a0%\";450,00;\"offre collective\""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_referencing),
        cmocka_unit_test(test_policy),
        cmocka_unit_test(test_offers_and_stock),
        cmocka_unit_test(test_edit_rules_once_booked),
        cmocka_unit_test(test_institutions),
        cmocka_unit_test(test_adage_keys),
        cmocka_unit_test(test_catalog),
        cmocka_unit_test(test_adage_key_throttle),
        cmocka_unit_test(test_used_and_paid_at_100),
    };
    return cmocka_run_group_tests_name("http_collective", tests, setup, harness_group_teardown);
}
