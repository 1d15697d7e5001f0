/*
 * The permission matrix: every route of src/api/routes.c (test endpoints aside) called by
 * every kind of caller, with the status each must get. Objects belong to structure S:
 *
 *   member   pro attached VALIDATED to S (its creator)
 *   pending  pro whose request to join S is NEW
 *   other    pro of another structure T
 *   admin    back office
 *   anon     nobody logged in
 *
 * Objects of S answer 404 to pros who are not validated members (never leak existence).
 * PRO routes answer 403 to an admin (routes.c: PP_ACCESS_PRO); the back office acts through
 * the /admin routes. ARCHITECTURE.md also names a beneficiary column: add it once beneficiary
 * accounts can be created (POST /api/v1/admin/beneficiaries is not routed yet).
 * Each row is one cmocka test; a mismatch names the route, the caller, expected and got.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/harness.h"

enum caller { ANON, OTHER, PENDING, MEMBER, ADMIN, NCALLERS };

static const char *const caller_names[NCALLERS] = {
    "anonymous", "pro of another structure", "pending member", "pro of the structure", "admin"};

static struct client *callers[NCALLERS];

/* The objects the rows point at, filled by the group setup. */
static struct {
    int64_t offerer;       /* S */
    int64_t venue;         /* S's first venue */
    const char *siren;     /* S's SIREN */
    int64_t other_offerer; /* T, decided by the admin rows */
    int64_t attachment;    /* a NEW request to join T, decided by the admin rows */
} obj;

/*
 * Placeholders in paths and bodies: {offerer} {venue} {other_offerer} {attachment} are the ids
 * above; {email} a fresh address; {siret} a fresh SIRET of a new SIREN; {s_siret} a fresh
 * SIRET of S's SIREN.
 */
struct row {
    const char *method;
    const char *path;
    const char *body; /* JSON, or NULL */
    int expected[NCALLERS];
    bool fresh_session; /* log the caller in on a new client (logout must not end the others) */
    const char *note;   /* tells rows of one route apart in the test names */
};

#define ALL(x) {x, x, x, x, x}

static const struct row rows[] = {
    /* method, path, body, {anon, other, pending, member, admin} */
    {"GET", "/healthz", NULL, ALL(200), false, NULL},
    {"GET", "/metrics", NULL, ALL(200), false, NULL},
    {"POST", "/api/v1/auth/signup",
     "{\"email\":\"{email}\",\"password\":\"" TEST_PASSWORD "\",\"firstName\":\"A\","
     "\"lastName\":\"B\"}",
     ALL(201), false, NULL},
    /* Access is open: a login missing its password reaches validation (no session changed). */
    {"POST", "/api/v1/auth/login", "{\"email\":\"{email}\"}", ALL(422), false, NULL},
    {"POST", "/api/v1/auth/logout", NULL, ALL(204), true, NULL},
    {"GET", "/api/v1/me", NULL, {401, 200, 200, 200, 200}, false, NULL},

    {"POST", "/api/v1/offerers", "{\"siret\":\"{siret}\"}", {401, 201, 201, 201, 403}, false,
     NULL},
    {"GET", "/api/v1/offerers", NULL, {401, 200, 200, 200, 403}, false, NULL},

    {"POST", "/api/v1/venues",
     "{\"offererId\":{offerer},\"name\":\"Salle\",\"comment\":\"Sans SIRET\",\"street\":\"1 rue "
     "A\",\"postalCode\":\"75001\",\"city\":\"Paris\",\"bookingEmail\":\"a@example.com\","
     "\"venueType\":\"MUSEUM\"}",
     {401, 404, 404, 201, 403}, false, "without SIRET"},
    {"POST", "/api/v1/venues",
     "{\"offererId\":{offerer},\"name\":\"Salle\",\"siret\":\"{s_siret}\",\"street\":\"1 rue "
     "A\",\"postalCode\":\"75001\",\"city\":\"Paris\",\"bookingEmail\":\"a@example.com\","
     "\"venueType\":\"MUSEUM\"}",
     {401, 404, 404, 201, 403}, false, "with a SIRET of the structure"},
    {"GET", "/api/v1/venues?offererId={offerer}", NULL, {401, 404, 404, 200, 403}, false, NULL},
    {"GET", "/api/v1/venues?offererId=999999", NULL, {401, 404, 404, 404, 403}, false, NULL},
    {"GET", "/api/v1/venues/{venue}", NULL, {401, 404, 404, 200, 403}, false, NULL},
    {"GET", "/api/v1/venues/999999", NULL, {401, 404, 404, 404, 403}, false, NULL},
    {"PATCH", "/api/v1/venues/{venue}", "{\"publicName\":\"Nom d'usage\"}",
     {401, 404, 404, 200, 403}, false, NULL},
    {"PATCH", "/api/v1/venues/999999", "{\"publicName\":\"Nom d'usage\"}",
     {401, 404, 404, 404, 403}, false, NULL},

    {"POST", "/api/v1/admin/offerers/{other_offerer}/validate", NULL, {401, 403, 403, 403, 200},
     false, NULL},
    {"POST", "/api/v1/admin/offerers/{other_offerer}/reject", NULL, {401, 403, 403, 403, 200},
     false, NULL},
    {"POST", "/api/v1/admin/offerers/999999/validate", NULL, {401, 403, 403, 403, 404}, false,
     NULL},
    {"POST", "/api/v1/admin/attachments/{attachment}/validate", NULL,
     {401, 403, 403, 403, 200}, false, NULL},
    {"POST", "/api/v1/admin/attachments/{attachment}/reject", NULL, {401, 403, 403, 403, 200},
     false, NULL},
    {"POST", "/api/v1/admin/attachments/999999/reject", NULL, {401, 403, 403, 403, 404}, false,
     NULL},
};

#define NROWS (sizeof rows / sizeof rows[0])

/* The value of placeholder @name (without braces), or NULL when it is not one. */
static const char *placeholder(const char *name, size_t n)
{
#define IS(s) (n == strlen(s) && strncmp(name, s, n) == 0)
    static int nic = 100;
    if (IS("offerer"))
        return strf("%lld", (long long)obj.offerer);
    if (IS("venue"))
        return strf("%lld", (long long)obj.venue);
    if (IS("other_offerer"))
        return strf("%lld", (long long)obj.other_offerer);
    if (IS("attachment"))
        return strf("%lld", (long long)obj.attachment);
    if (IS("email"))
        return unique_email("matrice");
    if (IS("siret"))
        return new_siret();
    if (IS("s_siret"))
        return siret_of(obj.siren, ++nic);
    return NULL;
#undef IS
}

/* @template with its placeholders replaced; owned by the harness. */
static const char *expand(const char *template)
{
    if (template == NULL)
        return NULL;
    const char *out = "";
    const char *p = template;
    for (;;) {
        const char *open = strchr(p, '{');
        if (open == NULL)
            return strf("%s%s", out, p);
        size_t n = strspn(open + 1, "abcdefghijklmnopqrstuvwxyz_");
        const char *value = open[1 + n] == '}' ? placeholder(open + 1, n) : NULL;
        if (value == NULL) { /* a JSON brace: keep it */
            out = strf("%s%.*s", out, (int)(open + 1 - p), p);
            p = open + 1;
        } else {
            out = strf("%s%.*s%s", out, (int)(open - p), p, value);
            p = open + n + 2;
        }
    }
}

static void run_row(void **state)
{
    const struct row *row = *state;
    bool ok = true;
    for (int c = 0; c < NCALLERS; c++) {
        struct client *who = callers[c];
        if (row->fresh_session) {
            who = client_new();
            if (callers[c]->id != 0)
                client_login(who, callers[c]->email, callers[c]->password);
        }
        const char *path = expand(row->path);
        struct resp r = http_request(who, row->method, path, expand(row->body));
        if (r.status != row->expected[c]) {
            print_error("%s %s as %s: expected %d, got %ld (%.200s)\n", row->method, path,
                        caller_names[c], row->expected[c], r.status, r.body);
            ok = false;
        } else if (r.status >= 400 && !error_body_ok(&r, "global") && r.status != 422) {
            print_error("%s %s as %s: %ld without a {\"errors\":{\"global\":[...]}} body: %.200s\n",
                        row->method, path, caller_names[c], r.status, r.body);
            ok = false;
        }
    }
    if (!ok)
        fail();
}

static int setup(void **state)
{
    if (harness_group_setup(state) != 0)
        return -1;
    callers[ANON] = client_new();
    callers[MEMBER] = pro_new("membre");
    callers[PENDING] = pro_new("en-attente");
    callers[OTHER] = pro_new("autre");
    callers[ADMIN] = admin_new("admin");

    /* S, created by the member; the pending member asks to join it. */
    obj.siren = new_siren();
    struct resp r = http_request(callers[MEMBER], "POST", "/api/v1/offerers",
                                 strf("{\"siret\":\"%s\"}", siret_of(obj.siren, 1)));
    assert_status(r, 201);
    obj.offerer = jint(r.json, "offerer.id");
    obj.venue = jint(r.json, "venue.id");
    r = http_request(callers[PENDING], "POST", "/api/v1/offerers",
                     strf("{\"siret\":\"%s\"}", siret_of(obj.siren, 2)));
    assert_status(r, 201);
    assert_jstr(r.json, "attachment.status", "NEW");

    /* T, the other pro's structure; the member asks to join it (the admin rows decide). */
    const char *t = new_siret();
    r = http_request(callers[OTHER], "POST", "/api/v1/offerers", strf("{\"siret\":\"%s\"}", t));
    assert_status(r, 201);
    obj.other_offerer = jint(r.json, "offerer.id");
    r = http_request(callers[MEMBER], "POST", "/api/v1/offerers", strf("{\"siret\":\"%s\"}", t));
    assert_status(r, 201);
    obj.attachment = jint(r.json, "attachment.id");
    return 0;
}

int main(void)
{
    /* cmocka prints the names after the group teardown: they must outlive the harness. */
    static char names[NROWS][160];
    struct CMUnitTest tests[NROWS];
    for (size_t i = 0; i < NROWS; i++) {
        snprintf(names[i], sizeof names[i], "%s %s%s%s%s", rows[i].method, rows[i].path,
                 rows[i].note ? " (" : "", rows[i].note ? rows[i].note : "",
                 rows[i].note ? ")" : "");
        tests[i] = (struct CMUnitTest){
            .name = names[i],
            .test_func = run_row,
            .initial_state = (void *)&rows[i],
        };
    }
    return cmocka_run_group_tests_name("http_permissions", tests, setup, harness_group_teardown);
}
