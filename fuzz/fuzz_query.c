/*
 * What a request line brings besides its body: the path, matched against every route of the
 * API and of the portal (pp_router_match, src/http/router.c) with its {placeholders} read back
 * as ids (pp_req_param_id), and the query string, read by the API's shared readers
 * (pp_api_query_id, pp_api_query_day of src/api/handler.c) and by the login page's "next"
 * check against open redirects (safe_next, reached by including src/web/auth_pages.c).
 * Input: one byte for the method, then "<path>?<query>". The query is split by fake_conn.h and
 * percent-decoded by libmicrohttpd's MHD_http_unescape (libmicrohttpd's own splitting is not
 * fuzzed here). Invariants: a matched route rebuilds the path from its pattern and parameters,
 * each parameter one non-empty segment; an id read is positive and canonical; a query id or day
 * is accepted with a value of its shape, else answered 422 with a SPEC §2 body; a "next" kept
 * stays on the site however a browser reads it (backslashes as slashes, tabs and newlines
 * dropped).
 */
#include "../src/web/auth_pages.c"

#include <inttypes.h>
#include <stdbool.h>

#include "api/api.h"
#include "core/clock.h"
#include "core/tz.h"
#include "fake_conn.h"
#include "fuzz.h"
#include "http/router.h"
#include "web/web.h"

static const char *const methods[] = {"GET", "POST", "PATCH", "PUT", "DELETE", "HEAD"};

static void check_route(const struct pp_route *routes, const char *method, struct pp_req *req)
{
    bool known = false;
    req->nparams = 0;
    const struct pp_route *r = pp_router_match(routes, method, req->path, req, &known);
    if (r == NULL)
        return;
    FUZZ_CHECK(strcmp(r->method, method) == 0 ||
               (strcmp(method, "HEAD") == 0 && strcmp(r->method, "GET") == 0));
    FUZZ_CHECK(req->nparams >= 0 && req->nparams <= PP_MAX_PARAMS);
    /* The pattern with its {placeholders} replaced by the parameters is the path. */
    char rebuilt[8192];
    size_t n = 0;
    int i = 0;
    for (const char *p = r->pattern; *p && n < sizeof rebuilt - 1; p++) {
        if (*p != '{') {
            rebuilt[n++] = *p;
            continue;
        }
        FUZZ_CHECK(i < req->nparams);
        const char *v = req->params[i++];
        FUZZ_CHECK(*v != '\0' && strchr(v, '/') == NULL);
        size_t len = strlen(v);
        if (len > sizeof rebuilt - 1 - n)
            len = sizeof rebuilt - 1 - n;
        memcpy(rebuilt + n, v, len);
        n += len;
        p = strchr(p, '}');
    }
    rebuilt[n] = '\0';
    FUZZ_CHECK(i == req->nparams);
    if (strlen(req->path) < sizeof rebuilt - 1)
        FUZZ_CHECK(strcmp(rebuilt, req->path) == 0);
    for (int k = 0; k < req->nparams; k++) {
        int64_t id = pp_req_param_id(req, k);
        FUZZ_CHECK(id >= 0);
        if (id > 0) {
            char printed[32];
            snprintf(printed, sizeof printed, "%" PRId64, id);
            FUZZ_CHECK(strcmp(printed, req->params[k]) == 0);
        }
    }
}

static void check_answer(struct pp_req *req, bool ok)
{
    if (ok) {
        FUZZ_CHECK(req->status == 0);
        return;
    }
    FUZZ_CHECK(req->status == 422 && req->resp_len > 0);
    json_t *j = json_loadb(req->resp_body, req->resp_len, 0, NULL);
    FUZZ_CHECK(json_is_object(json_object_get(j, "errors")));
    json_decref(j);
    req->status = 0;
}

static void check_query(struct pp_req *req)
{
    static const char *const keys[] = {"offererId", "venueId", "offerId"};
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        int64_t id = -1;
        bool ok = pp_api_query_id(req, keys[k], k == 0, &id);
        check_answer(req, ok);
        const char *v = pp_req_query(req, keys[k]);
        FUZZ_CHECK(id >= 0 && (id == 0) == (!ok || v == NULL || *v == '\0'));
    }
    int64_t t = -1;
    bool ok = pp_api_query_day(req, "eventDate", "Europe/Paris", &t);
    check_answer(req, ok);
    const char *day = pp_req_query(req, "eventDate");
    if (ok && day != NULL && *day != '\0') {
        int y, m, d;
        int64_t want;
        FUZZ_CHECK(strlen(day) == 10 && pp_clock_parse_date(day, &y, &m, &d));
        FUZZ_CHECK(pp_tz_from_local("Europe/Paris", y, m, d, 0, 0, &want) && want == t);
    }
}

/* "next" as a browser resolves it: tabs and newlines dropped, backslashes read as slashes. */
static void check_next(const char *next)
{
    const char *kept = safe_next(next);
    if (kept == NULL)
        return;
    char seen[256];
    size_t n = 0;
    for (const char *p = kept; *p && n < sizeof seen - 1; p++)
        if (*p != '\t' && *p != '\n' && *p != '\r')
            seen[n++] = *p == '\\' ? '/' : *p;
    seen[n] = '\0';
    FUZZ_CHECK(seen[0] == '/' && seen[1] != '/');
    FUZZ_CHECK(strchr(seen, ':') == NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const char *method = methods[data[0] % (sizeof methods / sizeof methods[0])];
    char *line = fuzz_cstr(data + 1, size - 1);
    char *q = strchr(line, '?');
    if (q != NULL)
        *q++ = '\0';
    struct pp_arena *a = pp_arena_new();
    struct fake_conn conn = {NULL};
    if (q != NULL)
        fake_parse(a, &conn, MHD_GET_ARGUMENT_KIND, q, '&');
    struct pp_req req = {.arena = a, .conn = &conn, .method = method, .path = line};

    check_route(pp_api_routes, method, &req);
    check_route(pp_web_routes, method, &req);
    check_query(&req);
    check_next(pp_req_query(&req, "next"));

    json_decref(req.owned_json);
    pp_arena_free(a);
    free(line);
    return 0;
}
