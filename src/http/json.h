#ifndef PP_HTTP_JSON_H
#define PP_HTTP_JSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"

/**
 * Reading fields of a JSON request body with French messages per field. Each getter returns
 * false and appends to @e when the field is of the wrong type, missing while required, or too
 * long; *out is left NULL/0 when the field is absent and optional. Strings are trimmed of
 * surrounding spaces into @arena; an empty string counts as absent.
 */

struct pp_arena;

bool pp_json_get_str(json_t *obj, const char *key, bool required, size_t max_chars,
                     struct pp_arena *arena, const char **out, struct pp_error *e);

bool pp_json_get_id(json_t *obj, const char *key, bool required, int64_t *out,
                    struct pp_error *e);

bool pp_json_get_bool(json_t *obj, const char *key, bool required, int *out,
                      struct pp_error *e);

/** ISO 8601 UTC string of @t ("2026-03-14T09:30:00Z"), or JSON null when @t is 0. New ref. */
json_t *pp_json_iso_or_null(int64_t t);

#endif
