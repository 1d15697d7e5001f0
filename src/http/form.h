#ifndef PP_HTTP_FORM_H
#define PP_HTTP_FORM_H

#include <stddef.h>

#include "core/error.h"

/**
 * HTML form bodies (application/x-www-form-urlencoded), read in one linear pass into the
 * request's arena. The router reads them only for routes that take a form (PP_ROUTE_FORM),
 * after the route matched: a 404 or a JSON route never pays for a form (docs/security.md,
 * "Limits").
 */

struct pp_arena;
struct pp_kv;
struct pp_req;

/** Fields one form may hold; past it the form is refused (413). */
#define PP_FORM_MAX_FIELDS 1000

/**
 * Splits the @len bytes of @body into its fields: "name=value" pairs separated by '&', '+'
 * read as a space and "%XX" as the byte XX (a malformed escape stays as written); a name
 * without '=' has the empty value; empty pieces and pieces with an empty name are skipped.
 * Names and values are NUL-terminated copies in @arena (a value holding "%00" ends there).
 * *out receives the fields in reverse order of the body, the last one first (pp_req_form
 * thus finds the last value of a repeated name). Time and memory are linear in @len.
 * Returns PP_OK, or PP_ETOOBIG (and *out NULL) when there are more than @max_fields fields.
 */
enum pp_err pp_form_parse(struct pp_arena *arena, const char *body, size_t len,
                          size_t max_fields, struct pp_kv **out);

/**
 * Fills req->form from the body when its Content-Type is application/x-www-form-urlencoded
 * (any other body leaves the form empty). Returns PP_OK or PP_ETOOBIG (too many fields).
 */
enum pp_err pp_form_load(struct pp_req *req);

#endif
