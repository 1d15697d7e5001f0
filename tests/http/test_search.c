/*
 * Accent-, case- and punctuation-insensitive search (docs/search.md) through the real server:
 * the beneficiaries' search (GET /api/v1/search/offers and the /app page), the ADAGE catalog
 * (GET /api/v1/adage/offers), the key rewritten with the name, and the keys a newer server
 * fills at start for rows that have none.
 *
 *   pro     pro of a validated structure, referenced on ADAGE
 *   ben     a beneficiary
 *   admin   back office
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "http/harness.h"

static struct client *pro, *ben, *admin, *anon;
static int64_t venue, offerer;

static void db_exec(const char *sql)
{
    struct pp_db *db = NULL;
    char msg[256];
    assert_int_equal(pp_db_open(g_server.db_url, &db, msg, sizeof msg), PP_OK);
    if (pp_db_exec(db, sql) != PP_OK)
        fail_msg("%s: %s", sql, pp_db_errmsg(db));
    pp_db_close(db);
}

/* A published thing offer named @name with an unlimited stock; its id. */
static int64_t offer_named(const char *name)
{
    json_t *body = json_pack("{s:I, s:s, s:s, s:b, s:b, s:b, s:b}", "venueId", (json_int_t)venue,
                             "name", name, "subcategoryId", "CARTE_MUSEE",
                             "audioDisabilityCompliant", 1, "mentalDisabilityCompliant", 1,
                             "motorDisabilityCompliant", 0, "visualDisabilityCompliant", 0);
    struct resp r = http_json(pro, "POST", "/api/v1/offers", body);
    assert_status(r, 201);
    int64_t id = jint(r.json, "id");
    r = http_json(pro, "POST", strf("/api/v1/offers/%lld/stocks", (long long)id),
                  json_pack("{s:i, s:n}", "priceCents", 1000, "quantity"));
    assert_status(r, 201);
    assert_status(
        http_request(pro, "POST", strf("/api/v1/offers/%lld/publish", (long long)id), NULL), 200);
    return id;
}

/* Whether the beneficiaries' search for @q (URL-encoded) lists offer @id. */
static bool found(const char *q, int64_t id)
{
    struct resp r = http_request(ben, "GET", strf("/api/v1/search/offers?q=%s", q), NULL);
    assert_status(r, 200);
    return jfind_id(r.json, "offers", "id", id) != NULL;
}

static struct resp adage_get(const char *key, const char *path)
{
    const char *h[] = {strf("Authorization: Bearer %s", key), NULL};
    return http_raw(anon, "GET", path, NULL, NULL, 0, h);
}

static int setup(void **state)
{
    if (harness_group_setup(state) != 0)
        return -1;
    anon = client_new();
    admin = admin_new("admin-search");
    pro = pro_new("search");
    venue = structure_validated(pro, admin, new_siret(), "Musée de la ville", "69001", "Lyon",
                                &offerer);
    ben = beneficiary_new(admin, "ben-search", "2008-01-15", false);
    return 0;
}

/* ------------------------------------------------------------------ tests */

static void test_offer_search(void **state)
{
    (void)state;
    int64_t musee = offer_named("Musée des Beaux-Arts");
    int64_t other = offer_named("Musique de chambre");
    int64_t opera = offer_named("L’Opéra ŒUVRE");

    /* Case and accents aside, in the typed text and in the name. */
    assert_true(found("musee", musee));
    assert_true(found("MUS%C3%89E", musee)); /* MUSÉE */
    assert_true(found("Mus%C3%A9e", musee)); /* Musée */
    assert_true(found("mus%C3%A8E", musee)); /* musèE */
    assert_false(found("musee", other));
    assert_true(found("musique", other));
    /* Hyphens, apostrophes and spaces are all word breaks: "beaux arts" = "Beaux-Arts". */
    assert_true(found("beaux%20arts", musee));
    assert_true(found("BEAUX-ARTS", musee));
    assert_true(found("%20%20beaux%20%20-%20arts%20", musee));
    assert_true(found("l%27opera", opera));  /* l'opera finds L’Opéra */
    assert_true(found("oeuvre", opera));     /* œ is oe */
    assert_true(found("%C5%93uvre", opera)); /* œuvre */
    /* A LIKE wildcard typed is a word break, never a wildcard. */
    assert_false(found("mus%25e", musee)); /* mus%e */
    assert_false(found("mus_e", musee));
    assert_false(found("beauxarts", musee));

    /* The key follows the name. */
    assert_status(http_json(pro, "PATCH", strf("/api/v1/offers/%lld", (long long)musee),
                            json_pack("{s:s}", "name", "Château de Versailles")),
                  200);
    assert_true(found("chateau", musee));
    assert_false(found("musee", musee));

    /* The /app page uses the same search. */
    struct resp r = http_request(ben, "GET", "/app?q=L%27OP%C3%89RA", NULL);
    assert_status(r, 200);
    assert_non_null(strstr(r.body, "Opéra ŒUVRE"));
    assert_null(strstr(r.body, "Musique de chambre"));
}

static void test_backfill_at_start(void **state)
{
    (void)state;
    int64_t id = offer_named("Forêt de Brocéliande");
    assert_true(found("foret", id));
    /* A row without its key (written before migration 011, or around the domain) is not
     * found by the search... */
    db_exec(strf("UPDATE offer SET name_search = NULL WHERE id = %lld", (long long)id));
    assert_false(found("foret", id));
    /* ...until a server starts on the database: it fills the missing keys. */
    struct server s2 = {0};
    assert_int_equal(server_start_on(&s2, true, &g_server), 0);
    assert_int_equal(server_stop(&s2), 0);
    server_cleanup(&s2);
    assert_true(found("foret", id));
    assert_true(found("BROCELIANDE", id));
}

static void test_adage_catalog(void **state)
{
    (void)state;
    const char *path = strf("/api/v1/offerers/%lld/adage-application", (long long)offerer);
    assert_status(http_json(pro, "POST", path,
                            json_pack("{s:s, s:s, s:s, s:[s], s:s}", "activity", "Cinéma", "public",
                                      "Collégiens", "contactEmail", "eac@example.com", "formats",
                                      "Projection audiovisuelle", "description", "Séances.")),
                  201);
    assert_status(http_request(admin, "POST",
                               strf("/api/v1/admin/offerers/%lld/adage", (long long)offerer), NULL),
                  200);
    struct resp r =
        http_json(pro, "POST", "/api/v1/collective/templates",
                  json_pack("{s:I, s:s, s:s, s:s, s:s, s:[s], s:[s], s:s, s:s, s:[s]}", "venueId",
                            (json_int_t)venue, "name", "Découverte de l'Égypte ancienne",
                            "description", "Un film avec la classe.", "subcategoryId",
                            "SEANCE_CINE", "format", "Projection audiovisuelle", "students",
                            "Collège - 4e", "domains", "Cinéma", "contactEmail", "eac@example.com",
                            "contactPhone", "0102030405", "interventionArea", "69"));
    assert_status(r, 201);
    int64_t id = jint(r.json, "id");
    r = http_request(admin, "POST", "/api/v1/admin/adage-keys", "{\"label\":\"ADAGE\"}");
    assert_status(r, 201);
    const char *key = jstr(r.json, "key");

    static const char *const hits[] = {"egypte", "%C3%89GYPTE", "decouverte%20de%20l",
                                       "L%E2%80%99%C3%A9gypte"};
    for (size_t i = 0; i < sizeof hits / sizeof hits[0]; i++) {
        r = adage_get(key, strf("/api/v1/adage/offers?q=%s", hits[i]));
        assert_status(r, 200);
        if (jfind_id(r.json, "offers", "id", id) == NULL)
            fail_msg("q=%s does not find the offer: %s", hits[i], r.body);
    }
    r = adage_get(key, "/api/v1/adage/offers?q=egypte%25");
    assert_non_null(jfind_id(r.json, "offers", "id", id));
    r = adage_get(key, "/api/v1/adage/offers?q=rome");
    assert_null(jfind_id(r.json, "offers", "id", id));

    /* The key follows the name. */
    assert_status(http_json(pro, "PATCH", strf("/api/v1/collective/offers/%lld", (long long)id),
                            json_pack("{s:s}", "name", "Atelier théâtre")),
                  200);
    r = adage_get(key, "/api/v1/adage/offers?q=THEATRE");
    assert_non_null(jfind_id(r.json, "offers", "id", id));
    r = adage_get(key, "/api/v1/adage/offers?q=egypte");
    assert_null(jfind_id(r.json, "offers", "id", id));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_offer_search),
        cmocka_unit_test(test_backfill_at_start),
        cmocka_unit_test(test_adage_catalog),
    };
    return cmocka_run_group_tests_name("search", tests, setup, harness_group_teardown);
}
