#include "http/router.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/clock.h"
#include "domain/adage_key.h"
#include "domain/test_clock.h"
#include "http/form.h"
#include "http/metrics.h"
#include "http/session_cookie.h"

#define CSRF_COOKIE "pp_csrf"

/* Matches @pattern against @path segment by segment; {x} takes one non-empty segment. */
static bool match(const char *pattern, const char *path, struct pp_req *req)
{
    int n = 0;
    const char *p = pattern, *s = path;
    while (*p && *s) {
        if (*p == '{') {
            const char *close = strchr(p, '}');
            const char *end = strchr(s, '/');
            size_t len = end ? (size_t)(end - s) : strlen(s);
            if (close == NULL || len == 0 || n >= PP_MAX_PARAMS)
                return false;
            if (req != NULL)
                req->params[n] = pp_arena_strndup(req->arena, s, len);
            n++;
            p = close + 1;
            s += len;
        } else if (*p == *s) {
            p++;
            s++;
        } else {
            return false;
        }
    }
    if (*p != '\0' || *s != '\0')
        return false;
    if (req != NULL)
        req->nparams = n;
    return true;
}

const struct pp_route *pp_router_match(const struct pp_route *routes, const char *method,
                                       const char *path, struct pp_req *req, bool *path_known)
{
    *path_known = false;
    for (const struct pp_route *r = routes; r->method != NULL; r++) {
        if (!match(r->pattern, path, NULL))
            continue;
        if (strcmp(r->method, method) == 0 ||
            (strcmp(method, "HEAD") == 0 && strcmp(r->method, "GET") == 0)) {
            match(r->pattern, path, req);
            return r;
        }
        *path_known = true;
    }
    return NULL;
}

int pp_router_index(const struct pp_app *app, const struct pp_route *route)
{
    return route ? (int)(route - app->routes) : -1;
}

static bool is_api(const char *path)
{
    return strncmp(path, "/api/", 5) == 0 || strncmp(path, "/public/", 8) == 0 ||
           strcmp(path, "/healthz") == 0 || strcmp(path, "/metrics") == 0;
}

static bool is_unsafe(const char *method)
{
    return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0 &&
           strcmp(method, "OPTIONS") != 0;
}

static void fail(struct pp_req *req, bool page, enum pp_err code, const char *message)
{
    if (page && req->app->page_error != NULL)
        req->app->page_error(req, pp_err_status(code), message);
    else if (message == NULL)
        pp_res_error(req, code, NULL);
    else
        pp_res_error1(req, code, "global", message);
}

/* The request's Origin, when sent, must be this server: a second guard against CSRF. */
static bool origin_ok(struct pp_req *req)
{
    const char *origin = pp_req_header(req, "Origin");
    if (origin == NULL || strcmp(origin, "null") == 0)
        return origin == NULL;
    const char *host = pp_req_header(req, "Host");
    const char *sep = strstr(origin, "://");
    if (host == NULL || sep == NULL)
        return false;
    return strcmp(sep + 3, host) == 0;
}

/* "application/json", any case, optionally followed by parameters ("; charset=utf-8"). */
static bool is_json_type(const char *ct)
{
    if (ct == NULL || strncasecmp(ct, "application/json", 16) != 0)
        return false;
    char next = ct[16];
    return next == '\0' || next == ';' || next == ' ' || next == '\t';
}

/* PP_ACCESS_ADAGE: a Bearer ADAGE key (failures throttled per address), else an admin. */
static bool adage_ok(struct pp_req *req)
{
    const char *auth = pp_req_header(req, "Authorization");
    if (auth == NULL) {
        if (req->user.id == 0)
            fail(req, false, PP_EUNAUTH,
                 "Une clé ADAGE (Authorization: Bearer) ou une session du back-office est "
                 "nécessaire.");
        else if (req->user.role_code != PP_ROLE_ADMIN)
            fail(req, false, PP_EFORBIDDEN, "Vous n'avez pas accès à cette page avec ce compte.");
        return req->user.role_code == PP_ROLE_ADMIN;
    }
    const char *prefix;
    enum pp_err rc = pp_adage_key_authenticate(pp_req_db(req), req->arena, auth,
                                               pp_req_client_addr(req), &req->adage_key_id,
                                               &prefix);
    if (rc == PP_EUNAUTH) {
        pp_res_header(req, "WWW-Authenticate", "Bearer");
        fail(req, false, rc, "Clé ADAGE inconnue, révoquée ou mal formée.");
    } else if (rc == PP_ERATE) {
        pp_res_header(req, "Retry-After", "600");
        fail(req, false, rc, "Trop de clés invalides essayées. Réessayez dans 10 minutes.");
    } else if (rc != PP_OK) {
        fail(req, false, rc, NULL);
    }
    return rc == PP_OK;
}

/*
 * PP_ACCESS_METRICS: refused as an unknown page (404), so that from outside /metrics looks like
 * any path that does not exist and tells nothing of a token that would open it.
 */
static bool metrics_ok(struct pp_req *req)
{
    const char *forwarded = pp_req_header(req, "X-Forwarded-For");
    if (forwarded == NULL)
        forwarded = pp_req_header(req, "Forwarded");
    if (pp_metrics_allowed(req->app->metrics_allow, req->app->metrics_token, req->remote_addr,
                           forwarded, pp_req_header(req, "Authorization")))
        return true;
    fail(req, false, PP_ENOTFOUND, "Cette page n'existe pas.");
    return false;
}

/*
 * Writes on JSON routes carry the declared type even with an empty body: a cross-site form
 * can send neither application/json nor text/csv without a CORS preflight that passpro never
 * grants, so the type check is what makes a cookie-authenticated write unforgeable. A write
 * without a body and without a session (a partner's PATCH .../use/token/{t} with its Bearer key,
 * which pass Culture's clients send without a type) is exempt: with no cookie there is nothing a
 * cross-site request could borrow. On refusal writes a 415.
 */
static bool body_type_ok(struct pp_req *req)
{
    const char *ct = pp_req_header(req, "Content-Type");
    if (req->body_len == 0 && ct == NULL && req->user.id == 0)
        return true;
    if (req->route->flags & PP_ROUTE_CSV) {
        if (ct != NULL && strncasecmp(ct, "text/csv", 8) == 0)
            return true;
        fail(req, false, PP_EINVAL,
             "Le corps de la requête doit être un fichier CSV (Content-Type: text/csv).");
    } else {
        if (is_json_type(ct))
            return true;
        fail(req, false, PP_EINVAL,
             "Le corps de la requête doit être du JSON (Content-Type: application/json).");
    }
    req->status = 415;
    return false;
}

/* Checks the route's access rule; on refusal writes the response and returns false. */
static bool access_ok(struct pp_req *req, bool page)
{
    const struct pp_route *r = req->route;
    if (r->access == PP_ACCESS_ANON || r->access == PP_ACCESS_TEST)
        return true;
    if (r->access == PP_ACCESS_ADAGE)
        return adage_ok(req);
    if (r->access == PP_ACCESS_METRICS)
        return metrics_ok(req);
    if (req->user.id == 0) {
        if (page) {
            const char *next = strcmp(req->method, "GET") == 0 ? req->path : "/accueil";
            pp_res_redirect(req, pp_arena_printf(req->arena, "/connexion?next=%s", next));
        } else {
            fail(req, false, PP_EUNAUTH, "Vous devez être connecté pour accéder à cette page.");
        }
        return false;
    }
    bool ok;
    switch (r->access) {
    case PP_ACCESS_PRO: ok = req->user.role_code == PP_ROLE_PRO; break;
    case PP_ACCESS_ADMIN: ok = req->user.role_code == PP_ROLE_ADMIN; break;
    /* For now a back-office session only; the ADAGE key check comes with domain/adage_key. */
    case PP_ACCESS_PRO_ADMIN:
        ok = req->user.role_code == PP_ROLE_PRO || req->user.role_code == PP_ROLE_ADMIN;
        break;
    case PP_ACCESS_BENEFICIARY:
        ok = req->user.role_code == PP_ROLE_BENEFICIARY || req->user.role_code == PP_ROLE_UNDERAGE;
        break;
    default: ok = true;
    }
    if (!ok)
        fail(req, page, PP_EFORBIDDEN, "Vous n'avez pas accès à cette page avec ce compte.");
    return ok;
}

static bool csrf_ok(struct pp_req *req)
{
    const char *expected = req->user.id ? req->user.csrf : pp_req_cookie(req, CSRF_COOKIE);
    const char *given = pp_req_form(req, "csrf");
    if (expected == NULL || given == NULL || strlen(expected) != strlen(given) ||
        strlen(expected) < 16)
        return false;
    return sodium_memcmp(expected, given, strlen(expected)) == 0;
}

void pp_router_dispatch(struct pp_req *req)
{
    bool path_known;
    const struct pp_route *r =
        pp_router_match(req->app->routes, req->method, req->path, req, &path_known);
    bool api = is_api(req->path);
    if (r == NULL || (r->access == PP_ACCESS_TEST && !req->app->test_endpoints)) {
        if (r == NULL && path_known) {
            fail(req, !api, PP_EINVAL, "Méthode non autorisée pour cette adresse.");
            req->status = 405;
        } else {
            fail(req, !api, PP_ENOTFOUND, "Cette page n'existe pas.");
        }
        return;
    }
    req->route = r;
    bool page = (r->flags & (PP_ROUTE_PAGE | PP_ROUTE_FORM)) != 0;
    /* Only now that a route takes it is a form body read (a 404 or a JSON route never pays). */
    if ((r->flags & PP_ROUTE_FORM) && pp_form_load(req) != PP_OK) {
        fail(req, true, PP_ETOOBIG, "Le formulaire contient trop de champs.");
        return;
    }

    /* Test servers follow the clock a test set through any server on the database. */
    int64_t offset;
    if (req->app->test_endpoints && pp_test_clock_load(pp_req_db(req), &offset) == PP_OK)
        pp_clock_set_offset(offset);

    if (pp_session_cookie_load(req) == PP_EDB) {
        fail(req, page, PP_EDB, NULL);
        return;
    }

    if (is_unsafe(req->method) && !origin_ok(req)) {
        fail(req, page, PP_EFORBIDDEN, "Requête refusée : origine inconnue.");
        return;
    }
    if (!access_ok(req, page))
        return;
    if (is_unsafe(req->method)) {
        if (r->flags & PP_ROUTE_FORM) {
            if (!csrf_ok(req)) {
                fail(req, true, PP_EFORBIDDEN,
                     "Le formulaire a expiré ou n'est pas valide. Rechargez la page et "
                     "recommencez.");
                return;
            }
        } else if (!body_type_ok(req)) {
            return;
        }
    }
    r->handler(req);
    if (req->status == 0) {
        fprintf(stderr, "passpro: %s %s n'a pas répondu\n", req->method, req->path);
        fail(req, page, PP_EINTERNAL, NULL);
    }
}
