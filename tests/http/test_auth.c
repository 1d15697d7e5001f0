/*
 * Accounts, sessions and the HTTP conventions of SPEC §1-2 and §9 (test endpoints), against the
 * real server. The clock tests move the server's clock forward: they come last.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/harness.h"

static struct resp signup(struct client *c, json_t *body)
{
    return http_json(c, "POST", "/api/v1/auth/signup", body);
}

/* A new reference: pass it to http_json / signup (which steal it) or decref it. */
static json_t *signup_body(const char *email, const char *password)
{
    return json_pack("{s:s, s:s, s:s, s:s}", "email", email, "password", password, "firstName",
                     "Louise", "lastName", "Martin");
}

static struct resp login(struct client *c, const char *email, const char *password)
{
    return http_json(c, "POST", "/api/v1/auth/login",
                     json_pack("{s:s, s:s}", "email", email, "password", password));
}

/* @s in capitals (ASCII), owned by the harness. */
static const char *upper_case(const char *s)
{
    char *u = (char *)strf("%s", s);
    for (char *p = u; *p; p++)
        if (*p >= 'a' && *p <= 'z')
            *p = (char)(*p - 'a' + 'A');
    return u;
}

/* True when the first message of errors.<field> contains @needle. */
static bool first_message_has(const struct resp *r, const char *field, const char *needle)
{
    json_t *list = json_object_get(jget(r->json, "errors"), field);
    const char *msg = json_string_value(json_array_get(list, 0));
    return msg != NULL && strstr(msg, needle) != NULL;
}

/* ------------------------------------------------------------------ sign-up */

static void test_signup_returns_pro_account(void **state)
{
    (void)state;
    struct client *c = client_new();
    const char *email = unique_email("signup");
    struct resp r = http_json(c, "POST", "/api/v1/auth/signup",
                              json_pack("{s:s, s:s, s:s, s:s, s:s}", "email", email, "password",
                                        TEST_PASSWORD, "firstName", "Louise", "lastName",
                                        "Martin", "phone", "06 12 34 56 78"));
    assert_status(r, 201);
    assert_true(jint(r.json, "id") > 0);
    assert_jstr(r.json, "email", email);
    assert_jstr(r.json, "role", "PRO");
    assert_null(jget(r.json, "password"));
    assert_null(jget(r.json, "passwordHash"));
}

static void test_signup_email_lowercased_and_unique(void **state)
{
    (void)state;
    struct client *c = client_new();
    const char *lower = unique_email("casse");
    const char *upper = upper_case(lower);

    struct resp r = signup(c, signup_body(upper, TEST_PASSWORD));
    assert_status(r, 201);
    assert_jstr(r.json, "email", lower);

    r = signup(c, signup_body(lower, TEST_PASSWORD));
    assert_error(r, 409, "email");
    r = signup(c, signup_body(upper, TEST_PASSWORD));
    assert_error(r, 409, "email");

    /* Login is case-insensitive on the email too, and answers the stored form. */
    r = login(c, upper, TEST_PASSWORD);
    assert_status(r, 200);
    assert_jstr(r.json, "email", lower);
}

static void test_signup_weak_passwords(void **state)
{
    (void)state;
    static const struct {
        const char *password;
        const char *hint; /* a word the French message must contain */
    } cases[] = {
        {"motdepasse!123", "majuscule"}, /* no upper case */
        {"MOTDEPASSE!123", "minuscule"}, /* no lower case */
        {"Motdepasse!abc", "chiffre"},   /* no digit */
        {"Motdepasse1234", "spécial"},   /* no symbol */
        {"Motdepa!123", "12"},           /* 11 characters */
        {"", "12"},                      /* empty */
    };
    struct client *c = client_new();
    const char *email = unique_email("faible");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct resp r = signup(c, signup_body(email, cases[i].password));
        assert_error(r, 422, "password");
        if (!first_message_has(&r, "password", cases[i].hint)) {
            print_error("password \"%s\": message should mention \"%s\": %s\n",
                        cases[i].password, cases[i].hint, r.body);
            fail();
        }
    }
    /* Nothing was created: the address is still free. */
    assert_status(signup(c, signup_body(email, TEST_PASSWORD)), 201);
}

static void test_signup_missing_and_mistyped_fields(void **state)
{
    (void)state;
    struct client *c = client_new();
    const char *email = unique_email("champs");
    static const char *const fields[] = {"email", "password", "firstName", "lastName"};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        /* Missing. */
        json_t *body = signup_body(email, TEST_PASSWORD);
        json_object_del(body, fields[i]);
        struct resp r = signup(c, body);
        assert_error(r, 422, fields[i]);
        /* A number instead of a string. */
        body = signup_body(email, TEST_PASSWORD);
        json_object_set_new(body, fields[i], json_integer(42));
        r = signup(c, body);
        assert_error(r, 422, fields[i]);
        /* Only the faulty field is blamed. */
        assert_int_equal(json_object_size(jget(r.json, "errors")), 1);
    }
    assert_error(signup(c, signup_body("pas-une-adresse", TEST_PASSWORD)), 422, "email");
    json_t *body = signup_body(unique_email("tel"), TEST_PASSWORD);
    json_object_set_new(body, "phone", json_string("appelez-moi"));
    assert_error(signup(c, body), 422, "phone");

    /* None of these created the account. */
    assert_status(signup(c, signup_body(email, TEST_PASSWORD)), 201);
}

static void test_signup_reports_every_faulty_field_at_once(void **state)
{
    (void)state;
    /* An empty form: every mandatory field is blamed in the same answer. */
    struct resp r = signup(client_new(), json_pack("{}"));
    assert_error(r, 422, "email");
    assert_error(r, 422, "password");
    assert_error(r, 422, "firstName");
    assert_error(r, 422, "lastName");
}

static void test_malformed_bodies(void **state)
{
    (void)state;
    static const char *const bodies[] = {
        "{\"email\": ",        /* truncated */
        "{email: \"a@b.fr\"}", /* not JSON */
        "[1, 2, 3]",           /* JSON, not an object */
        "\"chaine\"",          /* JSON, not an object */
        "",                    /* empty */
    };
    struct client *c = client_new();
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        struct resp r = http_raw(c, "POST", "/api/v1/auth/signup", "application/json", bodies[i],
                                 strlen(bodies[i]), NULL);
        assert_error(r, 400, "global");
        r = http_raw(c, "POST", "/api/v1/auth/login", "application/json", bodies[i],
                     strlen(bodies[i]), NULL);
        assert_error(r, 400, "global");
    }
}

static void test_json_writes_need_json_content_type(void **state)
{
    (void)state;
    struct client *c = client_new();
    const char *email = unique_email("texte");
    const char *body = strf("{\"email\":\"%s\",\"password\":\"%s\",\"firstName\":\"A\","
                            "\"lastName\":\"B\"}",
                            email, TEST_PASSWORD);
    static const char *const types[] = {"text/plain", "application/x-www-form-urlencoded", NULL};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        struct resp r = http_raw(c, "POST", "/api/v1/auth/signup", types[i], body, strlen(body),
                                 NULL);
        assert_error(r, 415, "global");
    }
    /* Not created by the refused requests; a charset parameter is fine. */
    struct resp r = http_raw(c, "POST", "/api/v1/auth/signup", "application/json; charset=utf-8",
                             body, strlen(body), NULL);
    assert_status(r, 201);
}

static void test_json_content_type_is_case_insensitive(void **state)
{
    (void)state;
    /* Media types are case-insensitive (RFC 9110 §8.3.1): this is JSON, judged as such. */
    const char *body = "{\"email\":\"x@example.com\"}"; /* reaches validation: 422 */
    struct resp r = http_raw(client_new(), "POST", "/api/v1/auth/login", "Application/JSON",
                             body, strlen(body), NULL);
    assert_error(r, 422, "password");
}

static void test_json_lookalike_media_types_are_415(void **state)
{
    (void)state;
    /* Media types that merely start with the letters "application/json" are not JSON. */
    static const char *const not_json[] = {"application/jsonp", "application/json-seq"};
    const char *body = "{\"email\":\"x@example.com\"}";
    for (size_t i = 0; i < sizeof not_json / sizeof not_json[0]; i++) {
        struct resp r = http_raw(client_new(), "POST", "/api/v1/auth/login", not_json[i], body,
                                 strlen(body), NULL);
        assert_error(r, 415, "global");
    }
}

static void test_body_over_one_mib_is_refused(void **state)
{
    (void)state;
    struct client *c = client_new();
    size_t mib = 1024 * 1024;
    char *big = malloc(mib + 64);
    assert_non_null(big);
    /* {"email":"aaaa...a"}: exactly 1 MiB + 1 byte. */
    size_t total = mib + 1;
    memcpy(big, "{\"email\":\"", 10);
    memset(big + 10, 'a', total - 12);
    memcpy(big + total - 2, "\"}", 2);
    struct resp r = http_raw(c, "POST", "/api/v1/auth/signup", "application/json", big, total,
                             NULL);
    assert_error(r, 413, "global");

    /* Just under the limit: read and judged (a string past --max-json-string), not refused
     * for its size. */
    total = mib - 16;
    memcpy(big + total - 2, "\"}", 2);
    r = http_raw(c, "POST", "/api/v1/auth/signup", "application/json", big, total, NULL);
    free(big);
    assert_error(r, 400, "global");

    /* The server is still fine. */
    assert_status(http_request(c, "GET", "/healthz", NULL), 200);
}

/* ------------------------------------------------------------------ login, session, logout */

static void test_login_sets_secure_session_cookie(void **state)
{
    (void)state;
    struct client *c = pro_signup("cookie");
    struct resp r = login(c, c->email, TEST_PASSWORD);
    assert_status(r, 200);
    assert_int_equal(jint(r.json, "id"), c->id);
    assert_jstr(r.json, "email", c->email);
    assert_jstr(r.json, "role", "PRO");

    const char *cookie = resp_set_cookie(&r, "pp_session");
    assert_non_null(cookie);
    assert_non_null(strstr(cookie, "; HttpOnly"));
    assert_non_null(strstr(cookie, "SameSite=Lax"));
    assert_non_null(strstr(cookie, "Path=/"));
    /* The token is long and random: 64 hex characters at least. */
    const char *value = cookie + strlen("pp_session=");
    size_t n = strcspn(value, ";");
    assert_true(n >= 32);
}

static void test_wrong_password_is_401_in_french(void **state)
{
    (void)state;
    struct client *owner = pro_signup("mauvais");
    struct client *c = client_new();
    struct resp wrong = login(c, owner->email, "Mauvais!mot2passe");
    assert_error(wrong, 401, "global");
    assert_true(first_message_has(&wrong, "global", "incorrect"));
    assert_null(resp_set_cookie(&wrong, "pp_session"));

    /* An unknown account gets exactly the same answer (no account enumeration). */
    struct resp unknown = login(c, unique_email("inconnu"), "Mauvais!mot2passe");
    assert_error(unknown, 401, "global");
    assert_string_equal(wrong.body, unknown.body);

    assert_status(http_request(c, "GET", "/api/v1/me", NULL), 401);
    /* Missing fields are a validation error, not an authentication failure. */
    assert_error(http_request(c, "POST", "/api/v1/auth/login", "{\"email\":\"x@example.com\"}"),
                 422, "password");
}

static void test_me_when_logged_in_and_not(void **state)
{
    (void)state;
    struct client *anon = client_new();
    struct resp r = http_request(anon, "GET", "/api/v1/me", NULL);
    assert_error(r, 401, "global");

    struct client *c = pro_new("moi");
    r = http_request(c, "GET", "/api/v1/me", NULL);
    assert_status(r, 200);
    assert_int_equal(jint(r.json, "id"), c->id);
    assert_jstr(r.json, "email", c->email);
    assert_jstr(r.json, "firstName", "Camille");
    assert_jstr(r.json, "lastName", "Durand");
    assert_jstr(r.json, "role", "PRO");

    /* A forged or garbage cookie is just anonymous. */
    static const char *const forged[] = {
        "Cookie: pp_session=0000000000000000000000000000000000000000000000000000000000000000",
        NULL};
    assert_status(http_raw(anon, "GET", "/api/v1/me", NULL, NULL, 0, forged), 401);
    static const char *const garbage[] = {"Cookie: pp_session=' OR 1=1 --", NULL};
    assert_status(http_raw(anon, "GET", "/api/v1/me", NULL, NULL, 0, garbage), 401);
}

static void test_logout_ends_the_session(void **state)
{
    (void)state;
    struct client *c = pro_new("sortie");
    const char *token = client_cookie(c, "pp_session");
    assert_non_null(token);
    assert_status(http_request(c, "GET", "/api/v1/me", NULL), 200);

    struct resp r = http_request(c, "POST", "/api/v1/auth/logout", NULL);
    assert_status(r, 204);
    const char *cleared = resp_set_cookie(&r, "pp_session");
    assert_non_null(cleared);
    assert_non_null(strstr(cleared, "Max-Age=0"));
    assert_status(http_request(c, "GET", "/api/v1/me", NULL), 401);

    /* The old token was ended on the server, not only forgotten by the browser. */
    const char *headers[] = {strf("Cookie: pp_session=%s", token), NULL};
    struct client *replay = client_new();
    assert_status(http_raw(replay, "GET", "/api/v1/me", NULL, NULL, 0, headers), 401);

    /* Logging out again, or anonymously, is harmless. */
    assert_status(http_request(c, "POST", "/api/v1/auth/logout", NULL), 204);
}

static void test_two_sessions_are_independent(void **state)
{
    (void)state;
    struct client *a = pro_new("deux");
    struct client *b = client_new();
    client_login(b, a->email, TEST_PASSWORD);
    assert_status(http_request(a, "POST", "/api/v1/auth/logout", NULL), 204);
    assert_status(http_request(a, "GET", "/api/v1/me", NULL), 401);
    assert_status(http_request(b, "GET", "/api/v1/me", NULL), 200);
}

/* Five failures for one account from one address, then that pair waits (429 with
 * Retry-After), even with the right password and whatever the case of the email. Other
 * accounts, and the account from other addresses (tests/http/test_throttle.c), are not. */
static void test_login_slowed_per_account_and_address(void **state)
{
    (void)state;
    struct client *victim = pro_signup("force-brute");
    struct client *bystander = pro_signup("voisin");
    struct client *c = client_new();
    for (int i = 0; i < 5; i++) {
        struct resp r = login(c, victim->email, strf("Mauvais!mot2passe%d", i));
        if (r.status != 401) {
            print_error("failed login #%d: expected 401, got %ld\n", i + 1, r.status);
            fail();
        }
    }
    struct resp r = login(c, victim->email, TEST_PASSWORD);
    assert_error(r, 429, "global");
    assert_non_null(resp_header(&r, "Retry-After"));
    assert_null(resp_set_cookie(&r, "pp_session"));
    assert_status(login(c, upper_case(victim->email), TEST_PASSWORD), 429);
    assert_status(http_request(c, "GET", "/api/v1/me", NULL), 401);

    /* Other accounts are not slowed by it. */
    assert_status(login(client_new(), bystander->email, TEST_PASSWORD), 200);
}

static void test_wrong_method_and_unknown_path(void **state)
{
    (void)state;
    struct client *c = client_new();
    assert_error(http_request(c, "GET", "/api/v1/nexiste-pas", NULL), 404, "global");
    assert_error(http_request(c, "DELETE", "/api/v1/me", NULL), 405, "global");
}

static void test_form_post_needs_csrf_token(void **state)
{
    (void)state;
    struct client *owner = pro_signup("formulaire");
    struct client *c = client_new();
    /* Without a token: refused. */
    struct resp r = http_form(c, "/connexion",
                              strf("email=%s&password=%s", owner->email, "Motdepasse%21123"));
    assert_status(r, 403);
    assert_null(resp_set_cookie(&r, "pp_session"));

    /* With the page's token (hidden field + its cookie): logged in and redirected. */
    r = http_request(c, "GET", "/connexion", NULL);
    assert_status(r, 200);
    const char *field = strstr(r.body, "name=\"csrf\"");
    assert_non_null(field);
    const char *value = strstr(field, "value=\"");
    if (value == NULL || value - field > 80) {
        /* value before name */
        const char *tag = field;
        while (tag > r.body && *tag != '<')
            tag--;
        value = strstr(tag, "value=\"");
    }
    assert_non_null(value);
    value += strlen("value=\"");
    const char *token = strf("%.*s", (int)strcspn(value, "\""), value);
    assert_true(strlen(token) >= 16);
    r = http_form(c, "/connexion",
                  strf("csrf=%s&email=%s&password=%s", token, owner->email, "Motdepasse%21123"));
    assert_status(r, 303);
    assert_non_null(resp_set_cookie(&r, "pp_session"));
    assert_status(http_request(c, "GET", "/api/v1/me", NULL), 200);
}

static void test_parallel_signups(void **state)
{
    (void)state;
    enum { N = 6 };
    struct call calls[N];
    /* Different addresses at once: every one is created. */
    for (int i = 0; i < N; i++) {
        json_t *j = signup_body(unique_email("parallele"), TEST_PASSWORD);
        char *body = json_dumps(j, JSON_COMPACT);
        json_decref(j);
        calls[i] = (struct call){client_new(), "POST", "/api/v1/auth/signup", strf("%s", body),
                                 {0}};
        free(body);
    }
    http_parallel(calls, N);
    for (int i = 0; i < N; i++)
        assert_status(calls[i].r, 201);

    /* One address at once: exactly one account, the others told it exists. */
    const char *email = unique_email("course");
    json_t *j = signup_body(email, TEST_PASSWORD);
    char *body = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    for (int i = 0; i < N; i++)
        calls[i] = (struct call){client_new(), "POST", "/api/v1/auth/signup", strf("%s", body),
                                 {0}};
    free(body);
    http_parallel(calls, N);
    int created = 0;
    for (int i = 0; i < N; i++) {
        if (calls[i].r.status == 201)
            created++;
        else
            assert_error(calls[i].r, 409, "email");
    }
    assert_int_equal(created, 1);
}

static void test_cross_origin_writes_are_refused(void **state)
{
    (void)state;
    struct client *c = client_new();
    const char *body = "{\"email\":\"x@example.com\"}"; /* a same-origin call gets 422 */
    static const char *const evil[] = {"Origin: http://evil.example", NULL};
    static const char *const null_origin[] = {"Origin: null", NULL};
    assert_error(http_raw(c, "POST", "/api/v1/auth/login", "application/json", body,
                          strlen(body), evil),
                 403, "global");
    assert_error(http_raw(c, "POST", "/api/v1/auth/login", "application/json", body,
                          strlen(body), null_origin),
                 403, "global");
    const char *same[] = {strf("Origin: %s", g_server.base_url), NULL};
    assert_error(http_raw(c, "POST", "/api/v1/auth/login", "application/json", body,
                          strlen(body), same),
                 422, "password");
    /* Reads are not concerned. */
    assert_status(http_raw(c, "GET", "/healthz", NULL, NULL, 0, evil), 200);
}

static void test_chunked_body_over_one_mib_is_refused(void **state)
{
    (void)state;
    size_t total = 1024 * 1024 + 100;
    char *big = malloc(total);
    assert_non_null(big);
    memcpy(big, "{\"email\":\"", 10);
    memset(big + 10, 'a', total - 12);
    memcpy(big + total - 2, "\"}", 2);
    /* No Content-Length: the size is only known while reading. */
    static const char *const chunked[] = {"Transfer-Encoding: chunked", NULL};
    struct resp r = http_raw(client_new(), "POST", "/api/v1/auth/signup", "application/json", big,
                             total, chunked);
    free(big);
    assert_error(r, 413, "global");
}

static void test_admin_create_command(void **state)
{
    (void)state;
    const char *email = unique_email("admin-cli");
    assert_int_equal(server_admin_create(&g_server, email, TEST_PASSWORD), 0);
    /* Same address again: a runtime error, exit 1. */
    assert_int_equal(server_admin_create(&g_server, email, TEST_PASSWORD), 1);
    /* A weak password is refused. */
    const char *weak = unique_email("admin-faible");
    assert_int_equal(server_admin_create(&g_server, weak, "court"), 1);
    assert_status(login(client_new(), weak, "court"), 401);

    struct client *c = client_new();
    struct resp r = login(c, email, TEST_PASSWORD);
    assert_status(r, 200);
    assert_jstr(r.json, "role", "ADMIN");
    r = http_request(c, "GET", "/api/v1/me", NULL);
    assert_status(r, 200);
    assert_jstr(r.json, "role", "ADMIN");
}

static void test_test_endpoints_need_the_flag(void **state)
{
    (void)state;
    struct server plain;
    assert_int_equal(server_start_with(&plain, false), 0);
    struct client *c = client_new_for(&plain);
    struct resp clock =
        http_request(c, "POST", "/api/test/clock", "{\"now\":\"2030-01-01T00:00:00Z\"}");
    struct resp jobs = http_request(c, "POST", "/api/test/jobs/run", NULL);
    struct resp health = http_request(c, "GET", "/healthz", NULL);
    int status = server_stop(&plain);
    if (status != 0)
        server_print_log(&plain);
    server_cleanup(&plain);
    assert_status(health, 200);
    assert_error(clock, 404, "global");
    assert_error(jobs, 404, "global");
    assert_int_equal(status, 0);
}

/* ------------------------------------------------------------------ system endpoints */

static void test_healthz(void **state)
{
    (void)state;
    struct resp r = http_request(client_new(), "GET", "/healthz", NULL);
    assert_status(r, 200);
    assert_jstr(r.json, "status", "ok");
    const char *type = resp_header(&r, "Content-Type");
    assert_non_null(type);
    assert_non_null(strstr(type, "application/json"));
}

static void test_metrics(void **state)
{
    (void)state;
    struct client *c = client_new();
    assert_status(http_request(c, "GET", "/healthz", NULL), 200);
    struct resp r = http_request(c, "GET", "/metrics", NULL);
    assert_status(r, 200);
    assert_non_null(strstr(r.body, "passpro_http_requests_total"));
    assert_non_null(strstr(r.body, "route=\"GET /healthz\""));
    const char *type = resp_header(&r, "Content-Type");
    assert_non_null(type);
    assert_non_null(strstr(type, "text/plain"));
}

static void test_security_headers(void **state)
{
    (void)state;
    struct client *c = client_new();
    const char *paths[] = {"/healthz", "/api/v1/me", "/api/v1/nexiste-pas", "/connexion"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        struct resp r = http_request(c, "GET", paths[i], NULL);
        const char *nosniff = resp_header(&r, "X-Content-Type-Options");
        const char *frame = resp_header(&r, "X-Frame-Options");
        const char *csp = resp_header(&r, "Content-Security-Policy");
        const char *referrer = resp_header(&r, "Referrer-Policy");
        if (nosniff == NULL || strcmp(nosniff, "nosniff") != 0 || frame == NULL ||
            csp == NULL || referrer == NULL) {
            print_error("GET %s: missing security header (nosniff=%s, frame=%s, csp=%s, "
                        "referrer=%s)\n",
                        paths[i], nosniff ? nosniff : "-", frame ? frame : "-", csp ? csp : "-",
                        referrer ? referrer : "-");
            fail();
        }
        assert_true(strcasecmp(frame, "DENY") == 0 || strcasecmp(frame, "SAMEORIGIN") == 0);
        assert_non_null(strstr(csp, "frame-ancestors"));
    }
}

/* ------------------------------------------------------------------ test clock (last) */

static void test_clock_and_jobs_endpoints(void **state)
{
    (void)state;
    struct client *c = client_new();
    struct resp r =
        http_request(c, "POST", "/api/test/clock", "{\"now\":\"2030-01-01T00:00:00Z\"}");
    assert_status(r, 200);
    const char *now = jstr(r.json, "now");
    assert_non_null(now);
    assert_memory_equal(now, "2030-01-01T00:00:0", 18);

    assert_error(http_request(c, "POST", "/api/test/clock", "{\"now\":\"demain\"}"), 422, "now");

    r = http_request(c, "POST", "/api/test/jobs/run", NULL);
    assert_status(r, 200);
    json_t *ran = jget(r.json, "ran");
    assert_true(json_is_array(ran));
    size_t i;
    json_t *job;
    json_array_foreach(ran, i, job) assert_true(json_is_string(job));
}

/* The wait after the free failures is short and grows; it ends, and the right password then
 * logs in (slowed, never locked). */
static void test_throttle_ends_after_the_wait(void **state)
{
    (void)state;
    set_clock("2030-02-01T10:00:00Z");
    struct client *victim = pro_signup("fenetre");
    struct client *c = client_new();
    for (int i = 0; i < 5; i++)
        assert_status(login(c, victim->email, "Mauvais!mot2passe"), 401);
    struct resp r = login(c, victim->email, TEST_PASSWORD);
    assert_status(r, 429);
    const char *wait = resp_header(&r, "Retry-After");
    assert_non_null(wait);
    long seconds = strtol(wait, NULL, 10);
    assert_true(seconds >= 1 && seconds <= 15);
    /* The failures were at 10:00:00 or a little later: 15 s after them. */
    set_clock("2030-02-01T10:00:10Z");
    assert_status(login(c, victim->email, TEST_PASSWORD), 429);
    set_clock("2030-02-01T10:00:30Z");
    assert_status(login(c, victim->email, TEST_PASSWORD), 200);
}

static void test_session_lasts_seven_days(void **state)
{
    (void)state;
    set_clock("2031-03-01T12:00:00Z");
    struct client *c = pro_new("semaine");
    assert_status(http_request(c, "GET", "/api/v1/me", NULL), 200);
    set_clock("2031-03-07T12:00:00Z"); /* 6 days later */
    assert_status(http_request(c, "GET", "/api/v1/me", NULL), 200);
    set_clock("2031-03-09T12:00:00Z"); /* 8 days later */
    assert_status(http_request(c, "GET", "/api/v1/me", NULL), 401);
    assert_status(http_request(client_new(), "POST", "/api/test/jobs/run", NULL), 200);
    assert_status(http_request(c, "GET", "/api/v1/me", NULL), 401);
    /* A new login works at the new date. */
    client_login(c, c->email, TEST_PASSWORD);
    assert_status(http_request(c, "GET", "/api/v1/me", NULL), 200);
}

/* Fifty failures from one address over many accounts: the accounts it failed on are slowed
 * from their first failure on, but an account it never failed on logs in at once (behind one
 * proxy, everyone shares an address: it must not lock them all out). */
static void test_busy_address_does_not_lock_others(void **state)
{
    (void)state;
    set_clock("2032-06-01T08:00:00Z");
    struct client *owner = pro_signup("adresse");
    struct client *c = client_new();
    for (int i = 0; i < 50; i++) {
        struct resp r = login(c, strf("inconnu-%d@example.com", i / 5), "Mauvais!mot2passe");
        if (r.status != 401) {
            print_error("failed login #%d: expected 401, got %ld\n", i + 1, r.status);
            fail();
        }
    }
    assert_status(login(c, owner->email, TEST_PASSWORD), 200);
    /* An account it failed on once is slowed at once now. */
    assert_status(login(c, "inconnu-99@example.com", "Mauvais!mot2passe"), 401);
    assert_error(login(c, "inconnu-99@example.com", "Mauvais!mot2passe"), 429, "global");
}

static void test_server_stops_gracefully(void **state)
{
    (void)state;
    struct client *c = client_new();
    assert_status(http_request(c, "GET", "/healthz", NULL), 200);
    /* SIGTERM: the server finishes and exits 0. */
    int status = server_stop(&g_server);
    if (status != 0)
        server_print_log(&g_server);
    assert_int_equal(status, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_signup_returns_pro_account),
        cmocka_unit_test(test_signup_email_lowercased_and_unique),
        cmocka_unit_test(test_signup_weak_passwords),
        cmocka_unit_test(test_signup_missing_and_mistyped_fields),
        cmocka_unit_test(test_signup_reports_every_faulty_field_at_once),
        cmocka_unit_test(test_malformed_bodies),
        cmocka_unit_test(test_json_writes_need_json_content_type),
        cmocka_unit_test(test_json_content_type_is_case_insensitive),
        cmocka_unit_test(test_json_lookalike_media_types_are_415),
        cmocka_unit_test(test_body_over_one_mib_is_refused),
        cmocka_unit_test(test_login_sets_secure_session_cookie),
        cmocka_unit_test(test_wrong_password_is_401_in_french),
        cmocka_unit_test(test_me_when_logged_in_and_not),
        cmocka_unit_test(test_logout_ends_the_session),
        cmocka_unit_test(test_two_sessions_are_independent),
        cmocka_unit_test(test_login_slowed_per_account_and_address),
        cmocka_unit_test(test_wrong_method_and_unknown_path),
        cmocka_unit_test(test_form_post_needs_csrf_token),
        cmocka_unit_test(test_parallel_signups),
        cmocka_unit_test(test_cross_origin_writes_are_refused),
        cmocka_unit_test(test_chunked_body_over_one_mib_is_refused),
        cmocka_unit_test(test_admin_create_command),
        cmocka_unit_test(test_test_endpoints_need_the_flag),
        cmocka_unit_test(test_healthz),
        cmocka_unit_test(test_metrics),
        cmocka_unit_test(test_security_headers),
        /* These move the server's clock forward. */
        cmocka_unit_test(test_clock_and_jobs_endpoints),
        cmocka_unit_test(test_throttle_ends_after_the_wait),
        cmocka_unit_test(test_session_lasts_seven_days),
        cmocka_unit_test(test_busy_address_does_not_lock_others),
        cmocka_unit_test(test_server_stops_gracefully),
    };
    return cmocka_run_group_tests_name("http_auth", tests, harness_group_setup,
                                       harness_group_teardown);
}
