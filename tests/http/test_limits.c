/*
 * Request limits and hardening (issue 14): form bodies parsed in linear time and only for form
 * routes, the body's framing (Content-Length), body and header sizes, JSON depth and string
 * length, page sizes, who reads /metrics, HSTS, and the type of empty JSON writes.
 *
 * A second server runs with small limits, an https base URL, a /metrics address list that
 * excludes this machine and a metrics token.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "http/harness.h"

#define METRICS_TOKEN "jeton-metrics-de-test-0123456789"
/* A form field of about 1 MB: below the 1 MiB body limit with the rest of the form. */
#define BIG_FIELD (1000 * 1000)
/* The server's peak memory may grow by this much over the whole program (ASan included). */
#define PEAK_GROWTH_KB (64 * 1024)

static struct server limited;
static long start_hwm_kb;

/* The second server, with small limits (fails the test when it is not running). */
static const struct server *limited_server(void)
{
    if (limited.pid <= 0)
        fail_msg("the server with --max-body, --max-header and --metrics-allow is not running");
    return &limited;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The peak resident memory (VmHWM) of the server of @s, in kB; -1 when unreadable. */
static long server_hwm_kb(const struct server *s)
{
    FILE *f = fopen(strf("/proc/%d/status", (int)s->pid), "r");
    if (f == NULL)
        return -1;
    char line[256];
    long kb = -1;
    while (fgets(line, sizeof line, f) != NULL)
        if (strncmp(line, "VmHWM:", 6) == 0)
            kb = strtol(line + 6, NULL, 10);
    fclose(f);
    return kb;
}

static void assert_peak_memory_small(void)
{
    long kb = server_hwm_kb(&g_server);
    assert_true(kb > 0);
    if (kb - start_hwm_kb > PEAK_GROWTH_KB)
        fail_msg("server peak memory grew from %ld kB to %ld kB", start_hwm_kb, kb);
}

/*
 * Sends @raw (a whole request, as bytes) to @s on a new connection and reads until the server
 * closes it or 5 s pass. Returns the answer's status (0 for none); *body (when not NULL)
 * receives the answer's body, owned by the harness.
 */
static long raw_http(const struct server *s, const char *raw, size_t len, const char **body)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons((uint16_t)s->port)};
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&sin, sizeof sin), 0);
    for (size_t sent = 0; sent < len;) {
        ssize_t n = send(fd, raw + sent, len - sent, MSG_NOSIGNAL);
        if (n <= 0)
            break; /* the server may answer and close before reading everything */
        sent += (size_t)n;
    }
    static char buf[65536];
    size_t got = 0;
    double deadline = now_s() + 5;
    while (got + 1 < sizeof buf && now_s() < deadline) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, 200) <= 0)
            continue;
        ssize_t n = recv(fd, buf + got, sizeof buf - 1 - got, 0);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    buf[got] = '\0';
    long status = 0;
    sscanf(buf, "HTTP/1.%*d %ld", &status);
    const char *end = strstr(buf, "\r\n\r\n");
    if (body != NULL)
        *body = strf("%s", end ? end + 4 : "");
    return status;
}

/* A form body "csrf=x&note=<n bytes of @unit repeated>", owned by the harness. */
static const char *big_form(const char *unit, size_t n)
{
    size_t u = strlen(unit);
    char *s = (char *)strf("%*s", (int)(n + 64), "");
    size_t at = (size_t)snprintf(s, 64, "csrf=x&note=");
    for (size_t i = 0; i + u <= n; i += u, at += u)
        memcpy(s + at, unit, u);
    s[at] = '\0';
    return s;
}

/* ------------------------------------------------------------------ form bodies */

static void test_big_form_field_to_unknown_path(void **state)
{
    (void)state;
    const char *body = big_form("x", BIG_FIELD);
    double t0 = now_s();
    struct resp r = http_form(client_new(), "/nexiste-pas", body);
    double spent = now_s() - t0;
    assert_status(r, 404);
    if (spent > 1.0)
        fail_msg("a 1 MB form field to a 404 took %.2f s", spent);
    assert_peak_memory_small();
}

static void test_big_form_field_to_login_form(void **state)
{
    (void)state;
    /* Escaped bytes too: each "%41" decodes to one "A". */
    const char *body = big_form("%41", BIG_FIELD);
    double t0 = now_s();
    struct resp r = http_form(client_new(), "/connexion", body);
    double spent = now_s() - t0;
    assert_status(r, 403); /* the form is read, its CSRF token is wrong */
    if (spent > 1.0)
        fail_msg("a 1 MB form field to /connexion took %.2f s", spent);
    assert_peak_memory_small();
}

struct form_job {
    const char *path, *body;
    struct resp r;
    pthread_barrier_t *start;
};

static void *form_main(void *arg)
{
    struct form_job *j = arg;
    struct client *c = client_new();
    pthread_barrier_wait(j->start);
    j->r = http_form(c, j->path, j->body);
    return NULL;
}

static void test_four_big_forms_at_once(void **state)
{
    (void)state;
    enum { N = 4 };
    const char *body = big_form("y", BIG_FIELD);
    struct form_job jobs[N];
    pthread_t threads[N];
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, N);
    double t0 = now_s();
    for (int i = 0; i < N; i++) {
        jobs[i] = (struct form_job){
            .path = i % 2 ? "/connexion" : "/nexiste-pas", .body = body, .start = &start};
        assert_int_equal(pthread_create(&threads[i], NULL, form_main, &jobs[i]), 0);
    }
    for (int i = 0; i < N; i++)
        pthread_join(threads[i], NULL);
    pthread_barrier_destroy(&start);
    double spent = now_s() - t0;
    for (int i = 0; i < N; i++)
        assert_status(jobs[i].r, i % 2 ? 403 : 404);
    if (spent > 2.0)
        fail_msg("four 1 MB forms at once took %.2f s", spent);
    assert_peak_memory_small();
}

static void test_form_fields_are_decoded_and_counted(void **state)
{
    (void)state;
    /* A real login through the form: the new parser decodes '+', %XX and the last value of a
     * repeated name wins. */
    struct client *owner = pro_signup("limites");
    struct client *c = client_new();
    struct resp r = http_request(c, "GET", "/connexion", NULL);
    assert_status(r, 200);
    const char *token = client_cookie(c, "pp_csrf");
    assert_non_null(token);
    const char *email = owner->email;
    const char *at = strchr(email, '@');
    r = http_form(c, "/connexion",
                  strf("csrf=%s&email=faux&email=%.*s%%40%s&password=Motdepasse%%21123&&x", token,
                       (int)(at - email), email, at + 1));
    assert_status(r, 303);
    assert_status(http_request(c, "GET", "/api/v1/me", NULL), 200);

    /* More than 1,000 fields: refused before any handler. */
    char *many = (char *)strf("%*s", 1100 * 4, "");
    size_t n = 0;
    for (int i = 0; i < 1100; i++)
        n += (size_t)snprintf(many + n, 5, "a=1&");
    r = http_form(client_new(), "/connexion", many);
    assert_status(r, 413);
}

/* ------------------------------------------------------------------ framing and sizes */

static void test_content_length_must_be_one_number(void **state)
{
    (void)state;
    const char *body;
    const char *two = "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: "
                      "application/json\r\nContent-Length: 2\r\nContent-Length: 40\r\n"
                      "Connection: close\r\n\r\n{}";
    assert_int_equal(raw_http(&g_server, two, strlen(two), &body), 400);
    json_t *j = json_loads(body, 0, NULL);
    assert_non_null(json_object_get(json_object_get(j, "errors"), "global"));
    json_decref(j);

    const char *not_number = "POST /nexiste-pas HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
                             "Content-Length: 2x\r\nConnection: close\r\n\r\n{}";
    assert_int_equal(raw_http(&g_server, not_number, strlen(not_number), NULL), 400);

    const char *both = "POST /nexiste-pas HTTP/1.1\r\nHost: x\r\nContent-Length: 7\r\n"
                       "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                       "2\r\n{}\r\n0\r\n\r\n";
    assert_int_equal(raw_http(&g_server, both, strlen(both), NULL), 400);

    /* The same value twice is one length (RFC 9112 §6.3): accepted. */
    const char *same = "POST /nexiste-pas HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
                       "Content-Length: 2\r\nConnection: close\r\n\r\n{}";
    assert_int_equal(raw_http(&g_server, same, strlen(same), NULL), 404);
}

static void test_body_over_the_limit_is_refused_unread(void **state)
{
    (void)state;
    /* Headers alone: the answer comes without the body being sent. */
    const char *big = "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: "
                      "application/json\r\nContent-Length: 5000\r\n\r\n";
    double t0 = now_s();
    assert_int_equal(raw_http(limited_server(), big, strlen(big), NULL), 413);
    assert_true(now_s() - t0 < 2.0);
    /* The same body is read by the default server (1 MiB), refused by --max-body 4K. */
    char *body = (char *)strf("{\"email\":\"%4980s\"}", "a");
    struct resp r = http_raw(client_new_for(&g_server), "POST", "/api/v1/auth/login",
                             "application/json", body, strlen(body), NULL);
    assert_true(r.status >= 400 && r.status != 413);
    assert_status(http_raw(client_new_for(limited_server()), "POST", "/api/v1/auth/login",
                           "application/json", body, strlen(body), NULL),
                  413);
}

static void test_headers_over_the_limit_are_431(void **state)
{
    (void)state;
    const char *headers[] = {strf("X-Remplissage: %10000s", "z"), NULL};
    assert_status(http_raw(client_new_for(&g_server), "GET", "/healthz", NULL, NULL, 0, headers),
                  200);
    assert_status(
        http_raw(client_new_for(limited_server()), "GET", "/healthz", NULL, NULL, 0, headers),
        431);
}

/* ------------------------------------------------------------------ JSON bodies */

static void test_deep_or_long_json_is_400(void **state)
{
    (void)state;
    enum { DEEP = 10000 };
    char *deep = (char *)strf("%*s", 2 * DEEP, "");
    memset(deep, '[', DEEP);
    memset(deep + DEEP, ']', DEEP);
    struct client *c = client_new();
    assert_error(http_request(c, "POST", "/api/v1/auth/login", deep), 400, "global");
    /* Past the default depth (32), inside an object the parser would otherwise accept. */
    char *nested = (char *)strf("{\"email\":%*s}", 80, "");
    memset(nested + 9, '[', 40);
    memset(nested + 49, ']', 40);
    assert_error(http_request(c, "POST", "/api/v1/auth/login", nested), 400, "global");
    /* A string past the default 64 KiB. */
    char *text = (char *)strf("{\"email\":\"%70000s\",\"password\":\"x\"}", "a");
    assert_error(http_request(c, "POST", "/api/v1/auth/login", text), 400, "global");
    assert_status(http_request(c, "GET", "/healthz", NULL), 200);
}

/* ------------------------------------------------------------------ empty JSON writes */

static void test_empty_json_write_needs_the_type(void **state)
{
    (void)state;
    /* With a session (what a cross-site form would borrow): the type even without a body, and
     * the refused logout leaves the session alive. */
    struct client *c = pro_new("vide");
    assert_error(http_raw(c, "POST", "/api/v1/auth/logout", NULL, NULL, 0, NULL), 415, "global");
    assert_error(http_raw(c, "POST", "/api/v1/auth/logout", "text/plain", NULL, 0, NULL), 415,
                 "global");
    assert_status(http_request(c, "GET", "/api/v1/me", NULL), 200);
    assert_status(http_raw(c, "POST", "/api/v1/auth/logout", "application/json", NULL, 0, NULL),
                  204);
    assert_status(http_request(c, "GET", "/api/v1/me", NULL), 401);
    /* Without a session nothing can be borrowed: a body-less write needs no type (partners'
     * PATCH calls); a body still does. */
    struct client *anon = client_new();
    assert_status(http_raw(anon, "POST", "/api/v1/auth/logout", NULL, NULL, 0, NULL), 204);
    assert_error(http_raw(anon, "POST", "/api/v1/auth/login", "text/plain", "{}", 2, NULL), 415,
                 "global");
}

/* ------------------------------------------------------------------ lists */

static void test_page_and_page_size_are_capped(void **state)
{
    (void)state;
    struct client *admin = admin_new("limites");
    assert_status(http_request(admin, "GET", "/api/v1/adage/offers?perPage=100", NULL), 200);
    assert_error(http_request(admin, "GET", "/api/v1/adage/offers?perPage=1000000", NULL), 422,
                 "page");
    /* A page far away would overflow the offset: refused, not a 500. */
    assert_error(http_request(admin, "GET", "/api/v1/adage/offers?page=999999999999999999", NULL),
                 422, "page");
    assert_error(http_request(admin, "GET", "/api/v1/adage/offers?page=10001", NULL), 422, "page");
}

/* ------------------------------------------------------------------ /metrics and HSTS */

static void test_metrics_only_for_allowed_callers(void **state)
{
    (void)state;
    /* Default: this machine, straight. */
    struct client *c = client_new();
    assert_status(http_request(c, "GET", "/metrics", NULL), 200);
    /* Through a proxy, the caller is not this machine. */
    const char *proxied[] = {"X-Forwarded-For: 203.0.113.7", NULL};
    assert_error(http_raw(c, "GET", "/metrics", NULL, NULL, 0, proxied), 404, "global");

    /* The limited server allows 10.9.8.7 only, or its token. */
    struct client *l = client_new_for(limited_server());
    assert_error(http_request(l, "GET", "/metrics", NULL), 404, "global");
    const char *wrong[] = {"Authorization: Bearer jeton-metrics-de-test-9999999999", NULL};
    assert_error(http_raw(l, "GET", "/metrics", NULL, NULL, 0, wrong), 404, "global");
    const char *token[] = {"Authorization: Bearer " METRICS_TOKEN, "X-Forwarded-For: 203.0.113.7",
                           NULL};
    struct resp r = http_raw(l, "GET", "/metrics", NULL, NULL, 0, token);
    assert_status(r, 200);
    assert_non_null(strstr(r.body, "passpro_http_requests_total"));
}

static void test_hsts_with_an_https_base_url(void **state)
{
    (void)state;
    struct resp r = http_request(client_new_for(limited_server()), "GET", "/healthz", NULL);
    assert_status(r, 200);
    const char *hsts = resp_header(&r, "Strict-Transport-Security");
    assert_non_null(hsts);
    assert_string_equal(hsts, "max-age=31536000; includeSubDomains");
    r = http_request(client_new_for(limited_server()), "GET", "/nexiste-pas", NULL);
    assert_non_null(resp_header(&r, "Strict-Transport-Security"));
    /* Plain http base URL: none. */
    r = http_request(client_new(), "GET", "/healthz", NULL);
    assert_null(resp_header(&r, "Strict-Transport-Security"));
}

/* ------------------------------------------------------------------ setup */

static int setup(void **state)
{
    if (harness_group_setup(state) != 0)
        return -1;
    start_hwm_kb = server_hwm_kb(&g_server);
    static const char *const args[] = {
        "--base-url", "https://pro.example.test", "--metrics-allow", "10.9.8.7",
        "--max-body", "4K",                       "--max-header",    "8192",
        NULL,
    };
    static const char *const env[] = {"PASSPRO_METRICS_TOKEN=" METRICS_TOKEN, NULL};
    /* A server that refuses these options fails the tests that use it, not the others. */
    if (server_start_args(&limited, true, NULL, args, env) != 0)
        fprintf(stderr, "test_limits: the limited server did not start\n");
    return 0;
}

static int teardown(void **state)
{
    int status = server_stop(&limited);
    if (status != 0)
        server_print_log(&limited);
    server_cleanup(&limited);
    int rc = harness_group_teardown(state);
    return status == 0 ? rc : -1;
}

int main(void)
{
    /* The peak-memory tests come first: a password hash (Argon2id, 64 MiB) would raise the
     * server's peak on its own. */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_big_form_field_to_unknown_path),
        cmocka_unit_test(test_big_form_field_to_login_form),
        cmocka_unit_test(test_four_big_forms_at_once),
        cmocka_unit_test(test_form_fields_are_decoded_and_counted),
        cmocka_unit_test(test_content_length_must_be_one_number),
        cmocka_unit_test(test_body_over_the_limit_is_refused_unread),
        cmocka_unit_test(test_headers_over_the_limit_are_431),
        cmocka_unit_test(test_deep_or_long_json_is_400),
        cmocka_unit_test(test_empty_json_write_needs_the_type),
        cmocka_unit_test(test_page_and_page_size_are_capped),
        cmocka_unit_test(test_metrics_only_for_allowed_callers),
        cmocka_unit_test(test_hsts_with_an_https_base_url),
    };
    return cmocka_run_group_tests_name("http_limits", tests, setup, teardown);
}
