/* What every JSON handler shares: read the body through a field table, answer or fail. */
#include "api/api.h"

#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/input.h"
#include "core/tz.h"
#include "core/utf8.h"
#include "domain/authz.h"
#include "http/json.h"

void pp_api_fail(struct pp_req *req, enum pp_err code, const struct pp_error *e)
{
    if (code == PP_EDB || code == PP_EINTERNAL)
        pp_res_error(req, code, NULL);
    else
        pp_res_error(req, code, e);
}

bool pp_api_ok(struct pp_req *req, enum pp_err rc, const struct pp_error *e)
{
    if (rc == PP_OK)
        return true;
    pp_api_fail(req, rc, e);
    return false;
}

void pp_api_reply(struct pp_req *req, enum pp_err rc, const struct pp_error *e, int status,
                  json_t *body)
{
    pp_req_own(req, body);
    if (pp_api_ok(req, rc, e))
        pp_res_json(req, status, json_incref(body));
}

void pp_api_reply_state(struct pp_req *req, enum pp_err rc, const struct pp_error *e, int status,
                        int64_t id, const char *state)
{
    if (pp_api_ok(req, rc, e))
        pp_res_json(req, status, json_pack("{s:I, s:s}", "id", (json_int_t)id, "status", state));
}

void pp_api_reply_list(struct pp_req *req, enum pp_err rc, const char *key, const void *items,
                       size_t n, size_t size, pp_api_render render)
{
    if (!pp_api_ok(req, rc, NULL))
        return;
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, render((const char *)items + i * size));
    pp_res_json(req, 200, json_pack("{s:o}", key, list));
}

int64_t pp_api_authorized(struct pp_req *req, int64_t id, enum pp_err rc)
{
    return pp_api_ok(req, rc, NULL) ? id : 0;
}

int64_t pp_api_my_offerer(struct pp_req *req)
{
    int64_t id = pp_req_param_id(req, 0);
    return pp_api_authorized(req, id, pp_authz_offerer(pp_req_db(req), &req->user, id));
}

int64_t pp_api_my_object(struct pp_req *req, pp_api_owner_fn owner)
{
    struct pp_db *db = pp_req_db(req);
    int64_t id = pp_req_param_id(req, 0), offerer_id = 0;
    enum pp_err rc = id ? owner(db, id, &offerer_id) : PP_ENOTFOUND;
    if (rc == PP_OK)
        rc = pp_authz_offerer(db, &req->user, offerer_id);
    return pp_api_authorized(req, id, rc);
}

bool pp_api_read_str(struct pp_req *req, json_t *body, const struct pp_api_field *f, void *dst,
                     struct pp_error *e)
{
    return pp_json_get_str(body, f->key, f->required, f->max_chars, req->arena, dst, e);
}

bool pp_api_read_id(struct pp_req *req, json_t *body, const struct pp_api_field *f, void *dst,
                    struct pp_error *e)
{
    (void)req;
    return pp_json_get_id(body, f->key, f->required, dst, e);
}

bool pp_api_read_flag(struct pp_req *req, json_t *body, const struct pp_api_field *f, void *dst,
                      struct pp_error *e)
{
    (void)req;
    return pp_json_get_bool(body, f->key, f->required, dst, e);
}

bool pp_api_read_bool(struct pp_req *req, json_t *body, const struct pp_api_field *f, void *dst,
                      struct pp_error *e)
{
    int flag;
    bool ok = pp_api_read_flag(req, body, f, &flag, e);
    *(bool *)dst = flag == 1;
    return ok;
}

bool pp_api_read_text(struct pp_req *req, json_t *body, const struct pp_api_field *f, void *dst,
                      struct pp_error *e)
{
    (void)req;
    json_t *v = json_object_get(body, f->key);
    *(const char **)dst = json_string_value(v);
    if (v == NULL || json_is_null(v))
        return pp_api_absent(f, NULL, e);
    if (json_is_string(v))
        return true;
    pp_error_set(e, PP_EVALIDATION, f->key, "Ce champ doit être une chaîne de caractères.");
    return false;
}

bool pp_api_read(struct pp_req *req, const struct pp_api_body *spec, void *in,
                 struct pp_error *e)
{
    pp_error_init(e);
    json_t *body = pp_req_json(req);
    if (body == NULL)
        return false;
    for (size_t i = 0; i < spec->nfields; i++) {
        const struct pp_api_field *f = &spec->fields[i];
        f->read(req, body, f, (char *)in + f->offset, e);
    }
    if (spec->extra != NULL)
        spec->extra(req, body, in, e);
    if (e->count > 0) {
        pp_res_error(req, PP_EVALIDATION, e);
        return false;
    }
    return true;
}

bool pp_api_query_id(struct pp_req *req, const char *key, bool required, int64_t *out)
{
    const char *q = pp_req_query(req, key);
    *out = 0;
    if (q == NULL || *q == '\0') {
        if (!required)
            return true;
        pp_res_error1(req, PP_EVALIDATION, key,
                      pp_arena_printf(req->arena, "Le paramètre %s est obligatoire.", key));
        return false;
    }
    char *end = NULL;
    long long v = strtoll(q, &end, 10);
    if (*end != '\0' || v <= 0) {
        pp_res_error1(req, PP_EVALIDATION, key,
                      pp_arena_printf(req->arena, "Le paramètre %s doit être un identifiant.", key));
        return false;
    }
    *out = v;
    return true;
}

bool pp_api_query_day(struct pp_req *req, const char *key, const char *zone, int64_t *out)
{
    const char *q = pp_req_query(req, key);
    *out = 0;
    if (q == NULL || *q == '\0')
        return true;
    int y, m, d;
    if (strlen(q) != 10 || !pp_clock_parse_date(q, &y, &m, &d) ||
        !pp_tz_from_local(zone, y, m, d, 0, 0, out)) {
        pp_res_error1(req, PP_EVALIDATION, key,
                      "Vous devez renseigner une date au format ISO (ex. 2021-12-24).");
        return false;
    }
    return true;
}

bool pp_api_query_page(struct pp_req *req, int64_t default_per_page, int64_t max_per_page,
                       int64_t *page, int64_t *per_page)
{
    const char *p = pp_req_query(req, "page"), *n = pp_req_query(req, "perPage");
    *page = p && *p ? pp_input_id(p) : 1;
    *per_page = n && *n ? pp_input_id(n) : default_per_page;
    if (*page >= 1 && *page <= PP_API_PAGE_MAX && *per_page >= 1 && *per_page <= max_per_page)
        return true;
    pp_res_error1(req, PP_EVALIDATION, "page",
                  pp_arena_printf(req->arena,
                                  "page (de 1 à %d) et perPage (de 1 à %lld) sont des nombres "
                                  "entiers positifs.",
                                  PP_API_PAGE_MAX, (long long)max_per_page));
    return false;
}

bool pp_api_absent(const struct pp_api_field *f, const char *message, struct pp_error *e)
{
    if (f->required)
        pp_error_set(e, PP_EVALIDATION, f->key, message ? message : "Ce champ est obligatoire.");
    return !f->required;
}

bool pp_api_read_datetime(struct pp_req *req, json_t *body, const struct pp_api_field *f,
                          void *dst, struct pp_error *e)
{
    (void)req;
    int64_t *out = dst;
    json_t *v = json_object_get(body, f->key);
    *out = 0;
    if (v == NULL || json_is_null(v))
        return pp_api_absent(f, NULL, e);
    if (!json_is_string(v) || !pp_clock_parse_iso(json_string_value(v), out) || *out <= 0) {
        pp_error_set(e, PP_EVALIDATION, f->key,
                     "Date invalide : format attendu 2026-03-14T09:30:00Z (UTC).");
        *out = -1;
        return false;
    }
    return true;
}

bool pp_api_read_count(struct pp_req *req, json_t *body, const struct pp_api_field *f,
                       void *dst, struct pp_error *e)
{
    (void)req;
    json_t *v = json_object_get(body, f->key);
    *(int64_t *)dst = -1;
    if (v == NULL || json_is_null(v))
        return pp_api_absent(f, NULL, e);
    if (!json_is_integer(v) || json_integer_value(v) < 0) {
        pp_error_set(e, PP_EVALIDATION, f->key, "Ce champ doit être un nombre entier positif.");
        return false;
    }
    *(int64_t *)dst = json_integer_value(v);
    return true;
}

bool pp_api_read_strings(struct pp_req *req, json_t *body, const struct pp_api_field *f,
                         void *dst, struct pp_error *e)
{
    struct pp_api_strings *out = dst;
    json_t *v = json_object_get(body, f->key);
    memset(out, 0, sizeof *out);
    if (v == NULL)
        return pp_api_absent(f, NULL, e);
    size_t n = json_is_array(v) ? json_array_size(v) : 0;
    if (!json_is_array(v) || n > PP_API_STRINGS_MAX) {
        pp_error_set(e, PP_EVALIDATION, f->key,
                     "Ce champ doit être une liste de textes (50 au plus).");
        return false;
    }
    out->items = pp_arena_calloc(req->arena, (n + 1) * sizeof *out->items);
    for (size_t i = 0; i < n; i++) {
        json_t *item = json_array_get(v, i);
        const char *s = json_string_value(item);
        if (s == NULL || strlen(s) != json_string_length(item) || !pp_utf8_is_clean(s) ||
            *s == '\0') {
            pp_error_set(e, PP_EVALIDATION, f->key,
                         "Ce champ ne doit contenir que des textes non vides.");
            return false;
        }
        out->items[i] = pp_arena_strdup(req->arena, s);
    }
    out->n = n;
    out->given = true;
    return true;
}
