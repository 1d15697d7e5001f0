#ifndef PP_HTTP_ROUTER_H
#define PP_HTTP_ROUTER_H

#include <stdbool.h>

#include "http/request.h"

/**
 * Routes and the one central access check. A route names who may call it; the router loads
 * the session, applies the check (401/403, or a redirect to /connexion for pages), the CSRF
 * check for HTML forms, the Content-Type and Origin checks for JSON writes, and only then
 * calls the handler. Ownership checks on objects (a pro sees only its structures) happen in
 * domain/authz, the one place that decides "404, not yours".
 */

typedef void (*pp_handler)(struct pp_req *req);

enum pp_access {
    PP_ACCESS_ANON,        /**< anyone */
    PP_ACCESS_USER,        /**< any logged-in account */
    PP_ACCESS_PRO,         /**< pro accounts */
    PP_ACCESS_BENEFICIARY, /**< beneficiaries (17-18 and 15-16) */
    PP_ACCESS_ADMIN,       /**< back office */
    PP_ACCESS_PRO_ADMIN,   /**< pro accounts and the back office (invoices, justificatifs) */
    PP_ACCESS_TEST,        /**< only with --test-clock, else 404 */
    PP_ACCESS_ADAGE,       /**< a valid Bearer ADAGE key, or a back-office session */
    PP_ACCESS_METRICS,     /**< --metrics-allow addresses, or PASSPRO_METRICS_TOKEN; else 404 */
};

enum {
    PP_ROUTE_PAGE = 1, /**< an HTML page: anonymous callers are redirected to /connexion */
    PP_ROUTE_FORM = 2, /**< an HTML form post: needs the CSRF token */
    PP_ROUTE_CSV = 4,  /**< a write whose body is text/csv instead of JSON (imports) */
};

struct pp_route {
    const char *method;  /**< "GET", "POST"...; NULL ends a table */
    const char *pattern; /**< "/api/v1/venues/{id}": {x} matches one non-empty segment */
    enum pp_access access;
    pp_handler handler;
    int flags;
};

/**
 * Finds the route of (@method, @path) in @routes and fills req->params. Returns NULL when no
 * pattern matches; *path_known is set when the path matched under another method (405).
 */
const struct pp_route *pp_router_match(const struct pp_route *routes, const char *method,
                                       const char *path, struct pp_req *req, bool *path_known);

/** Runs the whole pipeline for @req: match, session, checks, handler. */
void pp_router_dispatch(struct pp_req *req);

/** Index of @route in the app's table (for metrics), -1 for none. */
int pp_router_index(const struct pp_app *app, const struct pp_route *route);

#endif
