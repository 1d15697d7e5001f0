#include "http/json.h"

#include <string.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/utf8.h"

/*
 * Handles an absent or null field: true when @v is absent (then *ok says whether that is
 * acceptable, an error being added when the field is required).
 */
static bool absent(json_t *v, const char *key, bool required, struct pp_error *e, bool *ok)
{
    if (v != NULL && !json_is_null(v))
        return false;
    if (required)
        pp_error_set(e, PP_EVALIDATION, key, "Ce champ est obligatoire.");
    *ok = !required;
    return true;
}

bool pp_json_get_str(json_t *obj, const char *key, bool required, size_t max_chars,
                     struct pp_arena *arena, const char **out, struct pp_error *e)
{
    *out = NULL;
    json_t *v = json_object_get(obj, key);
    bool ok;
    if (absent(v, key, required, e, &ok))
        return ok;
    if (!json_is_string(v)) {
        pp_error_set(e, PP_EVALIDATION, key, "Ce champ doit être une chaîne de caractères.");
        return false;
    }
    const char *s = json_string_value(v);
    size_t len = json_string_length(v);
    if (strlen(s) != len || !pp_utf8_is_clean(s)) {
        pp_error_set(e, PP_EVALIDATION, key, "Ce champ contient des caractères non autorisés.");
        return false;
    }
    while (*s == ' ' || *s == '\t' || *s == '\n') {
        s++;
        len--;
    }
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\n'))
        len--;
    if (len == 0) {
        if (required)
            pp_error_set(e, PP_EVALIDATION, key, "Ce champ est obligatoire.");
        return !required;
    }
    char *copy = pp_arena_strndup(arena, s, len);
    if (pp_utf8_chars(copy) > max_chars) {
        pp_error_set(e, PP_EVALIDATION, key,
                     pp_arena_printf(arena, "Ce champ ne doit pas dépasser %zu caractères.",
                                     max_chars));
        return false;
    }
    *out = copy;
    return true;
}

bool pp_json_get_id(json_t *obj, const char *key, bool required, int64_t *out,
                    struct pp_error *e)
{
    *out = 0;
    json_t *v = json_object_get(obj, key);
    bool ok;
    if (absent(v, key, required, e, &ok))
        return ok;
    if (!json_is_integer(v) || json_integer_value(v) <= 0) {
        pp_error_set(e, PP_EVALIDATION, key, "Ce champ doit être un identifiant (entier positif).");
        return false;
    }
    *out = json_integer_value(v);
    return true;
}

bool pp_json_get_bool(json_t *obj, const char *key, bool required, int *out,
                      struct pp_error *e)
{
    *out = -1;
    json_t *v = json_object_get(obj, key);
    bool ok;
    if (absent(v, key, required, e, &ok))
        return ok;
    if (!json_is_boolean(v)) {
        pp_error_set(e, PP_EVALIDATION, key, "Ce champ doit valoir true ou false.");
        return false;
    }
    *out = json_is_true(v);
    return true;
}

json_t *pp_json_iso_or_null(int64_t t)
{
    if (t == 0)
        return json_null();
    char buf[21];
    pp_clock_format_iso(t, buf);
    return json_string(buf);
}
