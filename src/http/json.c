#include "http/json.h"

#include <string.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/utf8.h"

/*
 * The value of @key when it is present (neither absent nor null) and passes @right_kind;
 * NULL otherwise. *ok tells the caller what to return: false when the field is required but
 * absent ("obligatoire") or present with the wrong kind (@wrong_kind is then its message).
 */
static json_t *present(json_t *obj, const char *key, bool required, bool (*right_kind)(json_t *),
                       const char *wrong_kind, struct pp_error *e, bool *ok)
{
    json_t *v = json_object_get(obj, key);
    *ok = true;
    if (v == NULL || json_is_null(v)) {
        if (required)
            pp_error_set(e, PP_EVALIDATION, key, "Ce champ est obligatoire.");
        *ok = !required;
        return NULL;
    }
    if (!right_kind(v)) {
        pp_error_set(e, PP_EVALIDATION, key, wrong_kind);
        *ok = false;
        return NULL;
    }
    return v;
}

static bool is_string(json_t *v)
{
    return json_is_string(v);
}

static bool is_id(json_t *v)
{
    return json_is_integer(v) && json_integer_value(v) > 0;
}

static bool is_boolean(json_t *v)
{
    return json_is_boolean(v);
}

bool pp_json_get_str(json_t *obj, const char *key, bool required, size_t max_chars,
                     struct pp_arena *arena, const char **out, struct pp_error *e)
{
    *out = NULL;
    bool ok;
    json_t *v = present(obj, key, required, is_string,
                        "Ce champ doit être une chaîne de caractères.", e, &ok);
    if (v == NULL)
        return ok;
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
    bool ok;
    json_t *v = present(obj, key, required, is_id,
                        "Ce champ doit être un identifiant (entier positif).", e, &ok);
    *out = v ? json_integer_value(v) : 0;
    return ok;
}

bool pp_json_get_bool(json_t *obj, const char *key, bool required, int *out,
                      struct pp_error *e)
{
    bool ok;
    json_t *v = present(obj, key, required, is_boolean, "Ce champ doit valoir true ou false.", e,
                        &ok);
    *out = v ? json_is_true(v) : -1;
    return ok;
}

json_t *pp_json_iso_or_null(int64_t t)
{
    if (t == 0)
        return json_null();
    char buf[21];
    pp_clock_format_iso(t, buf);
    return json_string(buf);
}
