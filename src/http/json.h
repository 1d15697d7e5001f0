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

/** Count of UTF-8 code points of @s (bytes that are not continuation bytes). */
size_t pp_utf8_len(const char *s);

/** True when @s is valid UTF-8 without control characters other than tab and newline. */
bool pp_utf8_is_clean(const char *s);

#endif
