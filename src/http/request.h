#ifndef PP_HTTP_REQUEST_H
#define PP_HTTP_REQUEST_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/error.h"
#include "domain/account.h"
#include "http/app.h"
#include "http/json_writer.h"

/**
 * One HTTP request as handlers see it, independent of libmicrohttpd. Everything hanging off
 * it lives in its arena and dies with it. Handlers fill the response with the pp_res_*
 * functions; the server sends it after the handler returns.
 */

struct pp_header {
    const char *name;
    const char *value;
    struct pp_header *next;
};

struct pp_kv {
    const char *key;
    const char *value;
    struct pp_kv *next;
};

#define PP_MAX_PARAMS 4

struct pp_req {
    struct pp_arena *arena;
    const struct pp_app *app;
    void *conn;                /**< the server's connection (opaque here) */
    const char *method;
    const char *path;          /**< decoded path, no query string */
    const char *remote_addr;   /**< "127.0.0.1" */
    const char *params[PP_MAX_PARAMS]; /**< {placeholders} of the route, in order */
    int nparams;
    const char *body;          /**< NUL-terminated copy of the body */
    size_t body_len;
    struct pp_kv *form;        /**< fields of an urlencoded form body */
    struct pp_user user;
    int64_t adage_key_id;      /**< PP_ACCESS_ADAGE routes: the caller's key, 0 for a session */
    const struct pp_route *route;
    struct pp_db *db;          /**< acquired on first pp_req_db() */

    int status;
    const char *content_type;
    const char *resp_body;
    size_t resp_len;
    int resp_fd;               /**< >= 0: send this file (static), closed by the server */
    uint64_t resp_fd_size;
    struct pp_header *resp_headers;
    json_t *owned_json;        /**< decref'd at the end: values the request created */
};

/** Database connection for this request, taken from the pool on first use. */
struct pp_db *pp_req_db(struct pp_req *req);

/** Query-string value of @key, or NULL. */
const char *pp_req_query(struct pp_req *req, const char *key);
/** Request header (case-insensitive name), or NULL. */
const char *pp_req_header(struct pp_req *req, const char *name);
/** Cookie value, or NULL. */
const char *pp_req_cookie(struct pp_req *req, const char *name);
/** Form field of an urlencoded body, or NULL. */
const char *pp_req_form(struct pp_req *req, const char *key);

/** Path parameter @i as a positive id, or 0 when it is not one. */
int64_t pp_req_param_id(struct pp_req *req, int i);

/**
 * Parses the body as a JSON object. NULL with a 400 already set as the response when the body
 * is not a JSON object; the value is owned by the request.
 */
json_t *pp_req_json(struct pp_req *req);

/** Hands @j to the request: decref'd when the request ends. Returns @j. */
json_t *pp_req_own(struct pp_req *req, json_t *j);

/** Adds a response header; name and value are copied into the arena. */
void pp_res_header(struct pp_req *req, const char *name, const char *value);

/** JSON response; steals the reference to @body (NULL for an empty body). */
void pp_res_json(struct pp_req *req, int status, json_t *body);

/** JSON response of the document @w wrote (its text already lives in the request's arena). */
void pp_res_jw(struct pp_req *req, int status, struct pp_jw *w);

/** Response with no body (204, or a status alone). */
void pp_res_empty(struct pp_req *req, int status);

/** HTML response; @html is copied unless it already lives in the arena (then pass own=1). */
void pp_res_html(struct pp_req *req, int status, const char *html);

/** Plain bytes of @type; copied into the arena. */
void pp_res_bytes(struct pp_req *req, int status, const char *type, const char *data, size_t n);

/** 303 See Other to @location (after a form post). */
void pp_res_redirect(struct pp_req *req, const char *location);

/** HTTP status for an error code (the one table of ARCHITECTURE.md). */
int pp_err_status(enum pp_err code);

/**
 * SPEC §2 error body {"errors": {field: [message, ...]}} with the status of @code. When @e is
 * NULL or empty, a generic French message under "global" matching @code.
 */
void pp_res_error(struct pp_req *req, enum pp_err code, const struct pp_error *e);

/** Shorthand for one error. */
void pp_res_error1(struct pp_req *req, enum pp_err code, const char *field, const char *message);

/* ---------------------------------------------------------------- the client's address */

/**
 * The address of the client, for every decision that counts or trusts an address (login
 * throttling, ADAGE key throttling): the peer's address, unless the peer is one of the
 * configured trusted proxies (app->trusted_proxies, `serve --trusted-proxy`); then the
 * right-most address of X-Forwarded-For that is not itself a trusted proxy (a client can
 * write anything at the left of that header, never at the right of what its proxy appends).
 * IPv4 in dotted form, IPv6 in its canonical form. Owned by the request (or its remote_addr).
 */
const char *pp_req_client_addr(struct pp_req *req);

/**
 * True when @list is one or more IPv4 or IPv6 addresses separated by commas (the value of
 * --trusted-proxy).
 */
bool pp_req_addr_list_valid(const char *list);

/**
 * Sets a cookie with HttpOnly, SameSite=Lax, Path=/ (and Secure when the app says so).
 * @max_age < 0 leaves it a session cookie; 0 deletes it.
 */
void pp_res_cookie(struct pp_req *req, const char *name, const char *value, long max_age);

#endif
