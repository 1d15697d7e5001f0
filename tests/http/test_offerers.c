/*
 * Structures (offerers), attachments and venues: the flows of SPEC §3 and RULES.md §1.
 * Each test makes its own structures (fresh SIRENs) with the accounts of the group.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/harness.h"

static struct client *alice; /* creates structures */
static struct client *bob;   /* joins existing ones (a local authority's museum, say) */
static struct client *carol; /* joins existing ones too */
static struct client *admin;

static int setup(void **state)
{
    if (harness_group_setup(state) != 0)
        return -1;
    alice = pro_new("alice");
    bob = pro_new("bob");
    carol = pro_new("carol");
    admin = admin_new("admin");
    return 0;
}

/* ------------------------------------------------------------------ helpers */

struct created {
    int64_t offerer_id;
    int64_t venue_id;
    int64_t attachment_id;
    const char *siren;
    const char *siret;
};

static struct resp post_offerer(struct client *c, const char *siret)
{
    return http_json(c, "POST", "/api/v1/offerers",
                     json_pack("{s:s, s:s, s:s, s:s, s:s}", "siret", siret, "name",
                               "Musée des Beaux-Arts", "street", "1 place de la Comédie",
                               "postalCode", "69001", "city", "Lyon"));
}

/* @c registers the structure of @siret (asserts 201). */
static struct created register_offerer(struct client *c, const char *siret)
{
    struct resp r = post_offerer(c, siret);
    assert_status(r, 201);
    struct created out = {
        .offerer_id = jint(r.json, "offerer.id"),
        .venue_id = jint(r.json, "venue.id"),
        .attachment_id = jint(r.json, "attachment.id"),
        .siren = strf("%.9s", siret),
        .siret = siret,
    };
    assert_true(out.offerer_id > 0 && out.venue_id > 0 && out.attachment_id > 0);
    return out;
}

/* A venue body that passes validation; tests change one field. */
static json_t *venue_body(int64_t offerer_id)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "offererId",
                     (json_int_t)offerer_id, "name", "Annexe du musée", "comment",
                     "Salle d'exposition sans SIRET", "street", "2 rue du Musée", "postalCode",
                     "69002", "city", "Lyon", "bookingEmail", "reservations@musee.fr", "venueType",
                     "MUSEUM");
}

static struct resp post_venue(struct client *c, json_t *body)
{
    return http_json(c, "POST", "/api/v1/venues", body);
}

static struct resp list_venues(struct client *c, int64_t offerer_id)
{
    return http_request(c, "GET", strf("/api/v1/venues?offererId=%lld", (long long)offerer_id),
                        NULL);
}

/* The venue list of @offerer_id as @c sees it (asserts 200). */
static json_t *venues_of(struct client *c, int64_t offerer_id)
{
    struct resp r = list_venues(c, offerer_id);
    assert_status(r, 200);
    json_t *list = jget(r.json, "venues");
    assert_true(json_is_array(list));
    return list;
}

/* @c's entry for @offerer_id in GET /api/v1/offerers, or NULL. */
static json_t *my_offerer(struct client *c, int64_t offerer_id)
{
    struct resp r = http_request(c, "GET", "/api/v1/offerers", NULL);
    assert_status(r, 200);
    assert_true(json_is_array(jget(r.json, "offerers")));
    return jfind_id(r.json, "offerers", "id", offerer_id);
}

static size_t my_offerer_count(struct client *c)
{
    struct resp r = http_request(c, "GET", "/api/v1/offerers", NULL);
    assert_status(r, 200);
    return json_array_size(jget(r.json, "offerers"));
}

static struct resp admin_decide(const char *what, int64_t id, const char *decision)
{
    return http_request(admin, "POST",
                        strf("/api/v1/admin/%s/%lld/%s", what, (long long)id, decision), NULL);
}

static json_t *get_venue(struct client *c, int64_t venue_id)
{
    struct resp r = http_request(c, "GET", strf("/api/v1/venues/%lld", (long long)venue_id), NULL);
    assert_status(r, 200);
    return r.json;
}

static struct resp patch_venue(struct client *c, int64_t venue_id, json_t *body)
{
    return http_json(c, "PATCH", strf("/api/v1/venues/%lld", (long long)venue_id), body);
}

/* ------------------------------------------------------------------ structures */

static void test_new_siren_creates_offerer_venue_and_attachment(void **state)
{
    (void)state;
    const char *siret = new_siret();
    struct resp r = post_offerer(alice, siret);
    assert_status(r, 201);
    int64_t offerer_id = jint(r.json, "offerer.id");
    assert_true(offerer_id > 0);
    assert_jstr(r.json, "offerer.siren", strf("%.9s", siret));
    assert_jstr(r.json, "offerer.name", "Musée des Beaux-Arts");
    assert_jstr(r.json, "offerer.status", "NEW");
    assert_true(jint(r.json, "venue.id") > 0);
    assert_jstr(r.json, "venue.siret", siret);
    assert_true(jint(r.json, "attachment.id") > 0);
    assert_jstr(r.json, "attachment.status", "VALIDATED");

    json_t *mine = my_offerer(alice, offerer_id);
    assert_non_null(mine);
    assert_jstr(mine, "siren", jstr(r.json, "offerer.siren"));
    assert_jstr(mine, "name", "Musée des Beaux-Arts");
    assert_jstr(mine, "status", "NEW");
    assert_jstr(mine, "attachmentStatus", "VALIDATED");

    json_t *venues = venues_of(alice, offerer_id);
    assert_int_equal(json_array_size(venues), 1);
    json_t *v = json_array_get(venues, 0);
    assert_int_equal(jint(v, "id"), jint(r.json, "venue.id"));
    assert_jstr(v, "siret", siret);
    assert_int_equal(jint(v, "offererId"), offerer_id);

    /* Nobody else sees it. */
    assert_null(my_offerer(bob, offerer_id));
}

static void test_offerer_name_defaults_when_absent(void **state)
{
    (void)state;
    const char *siret = new_siret();
    struct resp r =
        http_json(alice, "POST", "/api/v1/offerers", json_pack("{s:s}", "siret", siret));
    assert_status(r, 201);
    const char *name = jstr(r.json, "offerer.name");
    assert_non_null(name);
    assert_true(strlen(name) > 0);
}

static void test_same_user_same_siren_is_409(void **state)
{
    (void)state;
    struct created s = register_offerer(alice, new_siret());
    size_t before = my_offerer_count(alice);

    assert_error(post_offerer(alice, s.siret), 409, "siret");
    /* Another establishment of the same SIREN: still the same structure, still 409. */
    assert_error(post_offerer(alice, siret_of(s.siren, 2)), 409, "siret");

    /* Nothing written: same structures, same single venue. */
    assert_int_equal(my_offerer_count(alice), before);
    assert_int_equal(json_array_size(venues_of(alice, s.offerer_id)), 1);
}

static void test_existing_siren_new_siret_makes_pending_request(void **state)
{
    (void)state;
    struct created s = register_offerer(alice, new_siret());
    const char *second = siret_of(s.siren, 2);

    struct resp r = post_offerer(bob, second);
    assert_status(r, 201);
    assert_int_equal(jint(r.json, "offerer.id"), s.offerer_id);
    assert_jstr(r.json, "attachment.status", "NEW");
    int64_t attachment = jint(r.json, "attachment.id");
    assert_true(attachment > 0 && attachment != s.attachment_id);
    /* The new SIRET became a venue of the structure. */
    assert_jstr(r.json, "venue.siret", second);
    int64_t venue = jint(r.json, "venue.id");
    assert_true(venue > 0 && venue != s.venue_id);
    json_t *venues = venues_of(alice, s.offerer_id);
    assert_int_equal(json_array_size(venues), 2);
    assert_non_null(jfind_id(venues, "", "id", venue));

    /* Bob sees the structure as a pending request, and nothing inside it. */
    json_t *mine = my_offerer(bob, s.offerer_id);
    assert_non_null(mine);
    assert_jstr(mine, "attachmentStatus", "NEW");
    assert_error(list_venues(bob, s.offerer_id), 404, "global");
    assert_status(http_request(bob, "GET", strf("/api/v1/venues/%lld", (long long)venue), NULL),
                  404);

    /* The back office validates the request: Bob is in. */
    r = admin_decide("attachments", attachment, "validate");
    assert_status(r, 200);
    assert_jstr(r.json, "status", "VALIDATED");
    assert_jstr(my_offerer(bob, s.offerer_id), "attachmentStatus", "VALIDATED");
    assert_int_equal(json_array_size(venues_of(bob, s.offerer_id)), 2);
    assert_jstr(get_venue(bob, s.venue_id), "siret", s.siret);
}

static void test_existing_siren_known_siret_reuses_venue(void **state)
{
    (void)state;
    struct created s = register_offerer(alice, new_siret());
    struct resp r = post_offerer(carol, s.siret);
    assert_status(r, 201);
    assert_int_equal(jint(r.json, "offerer.id"), s.offerer_id);
    assert_jstr(r.json, "attachment.status", "NEW");
    assert_int_equal(jint(r.json, "venue.id"), s.venue_id);
    assert_jstr(r.json, "venue.siret", s.siret);
    assert_int_equal(json_array_size(venues_of(alice, s.offerer_id)), 1);
    /* Asking twice while pending: 409, nothing more. */
    assert_error(post_offerer(carol, s.siret), 409, "siret");
    assert_int_equal(json_array_size(venues_of(alice, s.offerer_id)), 1);
}

static void test_admin_rejects_attachment(void **state)
{
    (void)state;
    struct created s = register_offerer(alice, new_siret());
    struct resp r = post_offerer(carol, s.siret);
    assert_status(r, 201);
    int64_t attachment = jint(r.json, "attachment.id");

    r = admin_decide("attachments", attachment, "reject");
    assert_status(r, 200);
    assert_jstr(r.json, "status", "REJECTED");
    assert_jstr(my_offerer(carol, s.offerer_id), "attachmentStatus", "REJECTED");
    assert_error(list_venues(carol, s.offerer_id), 404, "global");
    assert_status(http_request(carol, "GET", strf("/api/v1/venues/%lld", (long long)s.venue_id),
                               NULL),
                  404);
    assert_status(post_venue(carol, venue_body(s.offerer_id)), 404);
    /* Alice, the validated member, is untouched. */
    assert_jstr(my_offerer(alice, s.offerer_id), "attachmentStatus", "VALIDATED");
    /* Unknown attachment. */
    assert_error(admin_decide("attachments", 999999, "validate"), 404, "global");
}

static void test_admin_validates_and_rejects_offerer(void **state)
{
    (void)state;
    struct created s = register_offerer(alice, new_siret());
    assert_jstr(my_offerer(alice, s.offerer_id), "status", "NEW");

    struct resp r = admin_decide("offerers", s.offerer_id, "validate");
    assert_status(r, 200);
    assert_jstr(r.json, "status", "VALIDATED");
    assert_jstr(my_offerer(alice, s.offerer_id), "status", "VALIDATED");

    r = admin_decide("offerers", s.offerer_id, "reject");
    assert_status(r, 200);
    assert_jstr(r.json, "status", "REJECTED");
    assert_jstr(my_offerer(alice, s.offerer_id), "status", "REJECTED");

    assert_error(admin_decide("offerers", 999999, "validate"), 404, "global");
    assert_error(admin_decide("offerers", 999999, "reject"), 404, "global");
    assert_status(admin_decide("offerers", 0, "validate"), 404);
    assert_status(
        http_request(admin, "POST", "/api/v1/admin/offerers/abc/validate", NULL), 404);
}

static void test_rejecting_offerer_rejects_pending_requests(void **state)
{
    (void)state;
    struct created s = register_offerer(alice, new_siret());
    struct resp r = post_offerer(bob, siret_of(s.siren, 3));
    assert_status(r, 201);
    assert_jstr(r.json, "attachment.status", "NEW");
    assert_status(admin_decide("offerers", s.offerer_id, "reject"), 200);
    assert_jstr(my_offerer(bob, s.offerer_id), "attachmentStatus", "REJECTED");
    assert_error(list_venues(bob, s.offerer_id), 404, "global");
}

static void test_two_pros_register_one_new_siren_at_once(void **state)
{
    (void)state;
    /* Alice and Bob both type the same new SIRET at the same moment. */
    const char *siret = new_siret();
    const char *body = strf("{\"siret\":\"%s\"}", siret);
    struct call calls[] = {
        {alice, "POST", "/api/v1/offerers", body, {0}},
        {bob, "POST", "/api/v1/offerers", body, {0}},
    };
    http_parallel(calls, 2);
    int validated = 0, created = 0;
    int64_t offerer = 0;
    struct client *creator = NULL;
    for (size_t i = 0; i < 2; i++) {
        struct resp r = calls[i].r;
        if (r.status == 409) /* "veuillez réessayer" is an acceptable answer to a race */
            continue;
        assert_status(r, 201);
        created++;
        if (offerer == 0)
            offerer = jint(r.json, "offerer.id");
        assert_int_equal(jint(r.json, "offerer.id"), offerer); /* one structure */
        const char *status = jstr(r.json, "attachment.status");
        if (status != NULL && strcmp(status, "VALIDATED") == 0) {
            validated++;
            creator = calls[i].c;
        } else {
            assert_jstr(r.json, "attachment.status", "NEW");
        }
    }
    assert_true(created >= 1);
    assert_int_equal(validated, 1); /* exactly one creator */
    assert_int_equal(json_array_size(venues_of(creator, offerer)), 1); /* one venue */
}

static void test_offerer_fields_validation(void **state)
{
    (void)state;
    size_t before = my_offerer_count(alice);
    char long_name[142];
    memset(long_name, 'a', 141);
    long_name[141] = '\0';
    json_t *body = json_pack("{s:s, s:s}", "siret", new_siret(), "name", long_name);
    assert_error(http_json(alice, "POST", "/api/v1/offerers", body), 422, "name");
    body = json_pack("{s:s, s:s}", "siret", new_siret(), "postalCode", "7500");
    assert_error(http_json(alice, "POST", "/api/v1/offerers", body), 422, "postalCode");
    body = json_pack("{s:s, s:i}", "siret", new_siret(), "city", 69);
    assert_error(http_json(alice, "POST", "/api/v1/offerers", body), 422, "city");
    assert_int_equal(my_offerer_count(alice), before);
}

static void test_local_authority_is_tagged(void **state)
{
    (void)state;
    struct resp r = http_json(alice, "POST", "/api/v1/offerers",
                              json_pack("{s:s, s:s, s:s}", "siret", new_siret(), "name",
                                        "Mairie de Lyon", "apeCode", "84.11Z"));
    assert_status(r, 201);
    json_t *mine = my_offerer(alice, jint(r.json, "offerer.id"));
    assert_non_null(mine);
    assert_true(json_is_true(jget(mine, "isLocalAuthority")));

    struct created plain = register_offerer(alice, new_siret());
    mine = my_offerer(alice, plain.offerer_id);
    assert_true(json_is_false(jget(mine, "isLocalAuthority")));
}

static void test_bad_sirets_are_422(void **state)
{
    (void)state;
    const char *good = new_siret();
    char wrong_key[15];
    snprintf(wrong_key, sizeof wrong_key, "%s", good);
    wrong_key[13] = (char)('0' + (wrong_key[13] - '0' + 1) % 10);

    json_t *cases[] = {
        json_string(wrong_key),                 /* checksum fails */
        json_string(strf("%.13s", good)),       /* 13 digits */
        json_string(strf("%s0", good)),         /* 15 digits */
        json_string(strf("%.12sAB", good)),     /* letters */
        json_string("ABCDEFGHIJKLMN"),          /* letters only */
        json_string("-1234567890123"),          /* sign */
        json_string(""),                        /* empty */
        json_integer(12345678901234),           /* a number, not a string */
        json_null(),                            /* null */
    };
    size_t before = my_offerer_count(alice);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *shown = json_dumps(cases[i], JSON_ENCODE_ANY);
        struct resp r = http_json(alice, "POST", "/api/v1/offerers",
                                  json_pack("{s:o, s:s}", "siret", cases[i], "name", "X"));
        if (r.status != 422 || !error_body_ok(&r, "siret")) {
            print_error("siret %s: expected 422 on \"siret\", got %ld %s\n", shown, r.status,
                        r.body);
            free(shown);
            fail();
        }
        free(shown);
    }
    /* Missing altogether. */
    assert_error(http_request(alice, "POST", "/api/v1/offerers", "{\"name\":\"X\"}"), 422,
                 "siret");
    assert_int_equal(my_offerer_count(alice), before);
    /* The right one still works afterwards. */
    register_offerer(alice, good);
}

static void test_siret_whose_siren_fails_luhn_is_422(void **state)
{
    (void)state;
    /* RULES.md §1: SIREN and SIRET both carry a Luhn key. Take a valid SIREN, spoil its key,
     * then give the SIRET a key of its own so the 14 digits alone pass Luhn. */
    char bad_siren[10];
    snprintf(bad_siren, sizeof bad_siren, "%s", new_siren());
    bad_siren[8] = (char)('0' + (bad_siren[8] - '0' + 1) % 10);
    assert_false(luhn_ok(bad_siren));
    const char *siret = siret_of(bad_siren, 1);
    assert_true(luhn_ok(siret));

    size_t before = my_offerer_count(alice);
    struct resp r = post_offerer(alice, siret);
    assert_error(r, 422, "siret");
    assert_int_equal(my_offerer_count(alice), before);
}

static void test_la_poste_siret(void **state)
{
    (void)state;
    const char *valid = la_poste_siret(true, 0);
    const char *invalid = la_poste_siret(false, 0);
    assert_non_null(valid);
    assert_non_null(invalid);
    assert_false(luhn_ok(valid));

    assert_error(post_offerer(alice, invalid), 422, "siret");
    struct resp r = post_offerer(alice, valid);
    assert_status(r, 201);
    assert_jstr(r.json, "offerer.siren", "356000000");
    assert_jstr(r.json, "venue.siret", valid);

    /* Another La Poste establishment as a venue of that structure. */
    json_t *body = venue_body(jint(r.json, "offerer.id"));
    json_object_del(body, "comment");
    json_object_set_new(body, "siret", json_string(la_poste_siret(true, 1)));
    assert_status(post_venue(alice, body), 201);
}

/* ------------------------------------------------------------------ venues */

static void test_venue_with_siret_of_another_siren_is_422(void **state)
{
    (void)state;
    struct created s = register_offerer(alice, new_siret());
    json_t *body = venue_body(s.offerer_id);
    json_object_del(body, "comment");
    json_object_set_new(body, "siret", json_string(new_siret()));
    assert_error(post_venue(alice, body), 422, "siret");
    assert_int_equal(json_array_size(venues_of(alice, s.offerer_id)), 1);

    /* The SIRET of an establishment of this SIREN is fine. */
    body = venue_body(s.offerer_id);
    json_object_del(body, "comment");
    json_object_set_new(body, "siret", json_string(siret_of(s.siren, 7)));
    struct resp r = post_venue(alice, body);
    assert_status(r, 201);
    assert_jstr(r.json, "siret", siret_of(s.siren, 7));
    assert_int_equal(json_array_size(venues_of(alice, s.offerer_id)), 2);
}

static void test_venue_without_siret_needs_comment(void **state)
{
    (void)state;
    struct created s = register_offerer(alice, new_siret());
    json_t *body = venue_body(s.offerer_id);
    json_object_del(body, "comment");
    assert_error(post_venue(alice, body), 422, "comment");
    body = venue_body(s.offerer_id);
    json_object_set_new(body, "comment", json_string("   "));
    assert_error(post_venue(alice, body), 422, "comment");
    assert_int_equal(json_array_size(venues_of(alice, s.offerer_id)), 1);

    struct resp r = post_venue(alice, venue_body(s.offerer_id));
    assert_status(r, 201);
    int64_t id = jint(r.json, "id");
    assert_true(id > 0);
    assert_int_equal(jint(r.json, "offererId"), s.offerer_id);
    assert_jstr(r.json, "name", "Annexe du musée");
    assert_jstr(r.json, "comment", "Salle d'exposition sans SIRET");
    assert_null(jstr(r.json, "siret"));
    assert_jstr(r.json, "venueType", "MUSEUM");
    assert_jstr(r.json, "bookingEmail", "reservations@musee.fr");
    assert_jstr(r.json, "timezone", "Europe/Paris");

    json_t *venues = venues_of(alice, s.offerer_id);
    assert_int_equal(json_array_size(venues), 2);
    json_t *listed = get_venue(alice, id);
    assert_jstr(listed, "postalCode", "69002");
    assert_jstr(listed, "city", "Lyon");
}

static void test_venue_duplicate_siret_is_409(void **state)
{
    (void)state;
    struct created s = register_offerer(alice, new_siret());
    /* The SIRET of the structure's first venue. */
    json_t *body = venue_body(s.offerer_id);
    json_object_del(body, "comment");
    json_object_set_new(body, "siret", json_string(s.siret));
    assert_error(post_venue(alice, body), 409, "siret");

    /* A SIRET added through this endpoint, twice. */
    const char *other = siret_of(s.siren, 5);
    body = venue_body(s.offerer_id);
    json_object_del(body, "comment");
    json_object_set_new(body, "siret", json_string(other));
    assert_status(post_venue(alice, body), 201);
    body = venue_body(s.offerer_id);
    json_object_del(body, "comment");
    json_object_set_new(body, "siret", json_string(other));
    assert_error(post_venue(alice, body), 409, "siret");
    assert_int_equal(json_array_size(venues_of(alice, s.offerer_id)), 2);
}

static void test_venue_field_validation(void **state)
{
    (void)state;
    static const struct {
        const char *field; /* the field changed, and the one that must be blamed */
        const char *value; /* NULL: the field is left out */
    } cases[] = {
        {"postalCode", "7500"},       {"postalCode", "75A01"},       {"postalCode", "750011"},
        {"postalCode", NULL},         {"bookingEmail", "pas-un-email"},
        {"bookingEmail", "a@b"},      {"bookingEmail", NULL},        {"venueType", "CHATEAU"},
        {"venueType", "museum"},      {"venueType", NULL},           {"name", NULL},
        {"street", NULL},             {"city", NULL},                {"timezone", "Mars/Olympus"},
        {"siret", "12345678901234"},  {"offererId", NULL},
    };
    struct created s = register_offerer(alice, new_siret());
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *body = venue_body(s.offerer_id);
        if (cases[i].value == NULL)
            json_object_del(body, cases[i].field);
        else
            json_object_set_new(body, cases[i].field, json_string(cases[i].value));
        if (strcmp(cases[i].field, "siret") == 0)
            json_object_del(body, "comment");
        struct resp r = post_venue(alice, body);
        if (r.status != 422 || !error_body_ok(&r, cases[i].field)) {
            print_error("%s = %s: expected 422 on \"%s\", got %ld %s\n", cases[i].field,
                        cases[i].value ? cases[i].value : "(absent)", cases[i].field, r.status,
                        r.body);
            fail();
        }
    }
    /* offererId of the wrong type. */
    json_t *body = venue_body(s.offerer_id);
    json_object_set_new(body, "offererId", json_string("1"));
    assert_error(post_venue(alice, body), 422, "offererId");
    /* Nothing was written by any of them. */
    assert_int_equal(json_array_size(venues_of(alice, s.offerer_id)), 1);
}

static void test_venue_patch(void **state)
{
    (void)state;
    struct created s = register_offerer(alice, new_siret());
    struct resp r = patch_venue(alice, s.venue_id,
                                json_pack("{s:s, s:s}", "publicName", "Le Musée en ville",
                                          "bookingEmail", "Billetterie@Musee-Lyon.fr"));
    assert_status(r, 200);
    assert_jstr(r.json, "publicName", "Le Musée en ville");
    assert_jstr(r.json, "bookingEmail", "billetterie@musee-lyon.fr");
    assert_jstr(r.json, "siret", s.siret);

    json_t *v = get_venue(alice, s.venue_id);
    assert_jstr(v, "publicName", "Le Musée en ville");
    assert_jstr(v, "bookingEmail", "billetterie@musee-lyon.fr");

    /* Other editable fields. */
    r = patch_venue(alice, s.venue_id,
                    json_pack("{s:s, s:s, s:s, s:s}", "venueType", "LIBRARY", "street",
                              "3 quai Saint-Antoine", "postalCode", "69002", "city", "Lyon"));
    assert_status(r, 200);
    v = get_venue(alice, s.venue_id);
    assert_jstr(v, "venueType", "LIBRARY");
    assert_jstr(v, "street", "3 quai Saint-Antoine");
    assert_jstr(v, "publicName", "Le Musée en ville"); /* untouched */
    /* Unknown venue. */
    assert_status(patch_venue(alice, 999999, json_pack("{s:s}", "publicName", "X")), 404);
}

static void test_venue_patch_refusals_write_nothing(void **state)
{
    (void)state;
    struct created s = register_offerer(alice, new_siret());
    assert_status(patch_venue(alice, s.venue_id, json_pack("{s:s}", "publicName", "Avant")), 200);
    json_t *before = json_deep_copy(get_venue(alice, s.venue_id));

    json_t *bodies[] = {
        json_pack("{s:s}", "siret", siret_of(s.siren, 9)),
        json_pack("{s:s, s:s}", "publicName", "Après", "siret", siret_of(s.siren, 9)),
        json_pack("{s:s, s:s}", "publicName", "Après", "bookingEmail", "pas-un-email"),
        json_pack("{s:s, s:s}", "publicName", "Après", "postalCode", "6900"),
        json_pack("{s:s, s:s}", "publicName", "Après", "venueType", "CHATEAU"),
        json_pack("{s:s, s:s}", "publicName", "Après", "timezone", "Mars/Olympus"),
        json_pack("{s:s, s:s}", "publicName", "Après", "name", "Autre raison sociale"),
    };
    static const char *const blamed[] = {"siret",      "siret",     "bookingEmail", "postalCode",
                                         "venueType", "timezone", "name"};
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        char *shown = json_dumps(bodies[i], JSON_COMPACT);
        struct resp r = patch_venue(alice, s.venue_id, bodies[i]);
        if (r.status != 422 || !error_body_ok(&r, blamed[i])) {
            print_error("PATCH %s: expected 422 on \"%s\", got %ld %s\n", shown, blamed[i],
                        r.status, r.body);
            free(shown);
            fail();
        }
        free(shown);
    }
    assert_error(http_raw(alice, "PATCH", strf("/api/v1/venues/%lld", (long long)s.venue_id),
                          "application/json", "{\"publicName\":", 14, NULL),
                 400, "global");
    /* Other people's changes are refused too. */
    assert_status(patch_venue(bob, s.venue_id, json_pack("{s:s}", "publicName", "Pirate")), 404);

    json_t *after = get_venue(alice, s.venue_id);
    if (!json_equal(before, after)) {
        char *a = json_dumps(before, JSON_COMPACT), *b = json_dumps(after, JSON_COMPACT);
        print_error("venue changed by refused requests:\n  before %s\n  after  %s\n", a, b);
        free(a);
        free(b);
        json_decref(before);
        fail();
    }
    json_decref(before);
}

static void test_venues_list_needs_offerer_id(void **state)
{
    (void)state;
    static const char *const queries[] = {"", "?offererId=", "?offererId=abc", "?offererId=-1",
                                          "?offererId=0"};
    for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
        struct resp r = http_request(alice, "GET", strf("/api/v1/venues%s", queries[i]), NULL);
        assert_error(r, 422, "offererId");
    }
    assert_error(list_venues(alice, 999999), 404, "global");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_new_siren_creates_offerer_venue_and_attachment),
        cmocka_unit_test(test_offerer_name_defaults_when_absent),
        cmocka_unit_test(test_same_user_same_siren_is_409),
        cmocka_unit_test(test_existing_siren_new_siret_makes_pending_request),
        cmocka_unit_test(test_existing_siren_known_siret_reuses_venue),
        cmocka_unit_test(test_admin_rejects_attachment),
        cmocka_unit_test(test_admin_validates_and_rejects_offerer),
        cmocka_unit_test(test_rejecting_offerer_rejects_pending_requests),
        cmocka_unit_test(test_two_pros_register_one_new_siren_at_once),
        cmocka_unit_test(test_offerer_fields_validation),
        cmocka_unit_test(test_local_authority_is_tagged),
        cmocka_unit_test(test_bad_sirets_are_422),
        cmocka_unit_test(test_siret_whose_siren_fails_luhn_is_422),
        cmocka_unit_test(test_la_poste_siret),
        cmocka_unit_test(test_venue_with_siret_of_another_siren_is_422),
        cmocka_unit_test(test_venue_without_siret_needs_comment),
        cmocka_unit_test(test_venue_duplicate_siret_is_409),
        cmocka_unit_test(test_venue_field_validation),
        cmocka_unit_test(test_venue_patch),
        cmocka_unit_test(test_venue_patch_refusals_write_nothing),
        cmocka_unit_test(test_venues_list_needs_offerer_id),
    };
    return cmocka_run_group_tests_name("http_offerers", tests, setup, harness_group_teardown);
}
