/* Collective offers, the back office's side (SPEC §8, docs/collective.md): schools and their
 * budgets (one at a time or a CSV import), and the ADAGE keys. */
#include <string.h>

#include "api/api.h"
#include "domain/adage_key.h"
#include "domain/institution.h"
#include "http/json.h"

/* ------------------------------------------------------------------ schools */

/* educationalYear: 2026, "2026" or "2026-2027" → 2026; 0 (the domain refuses it) otherwise. */
static bool read_year(struct pp_req *req, json_t *body, const struct pp_api_field *f, void *dst,
                      struct pp_error *e)
{
    (void)req;
    (void)e;
    json_t *v = json_object_get(body, f->key);
    int *year = dst;
    *year = 0;
    if (json_is_integer(v) && json_integer_value(v) >= 2000 && json_integer_value(v) <= 2099)
        *year = (int)json_integer_value(v);
    else if (json_is_string(v) && !pp_school_year_parse(json_string_value(v), year))
        *year = 0;
    return true;
}

static const struct pp_api_body institution_body = PP_API_FIELDS(
    PP_FIELD_STR(struct pp_institution_input, uai, "uai", false, 8),
    PP_FIELD_STR(struct pp_institution_input, name, "name", false, PP_INSTITUTION_NAME_MAX),
    PP_FIELD_STR(struct pp_institution_input, city, "city", false, PP_INSTITUTION_CITY_MAX),
    PP_FIELD(struct pp_institution_input, budget_cents, int64_t, "budgetCents", false,
             pp_api_read_count),
    PP_FIELD(struct pp_institution_input, year, int, "educationalYear", false, read_year));

void pp_api_admin_institution_save(struct pp_req *req)
{
    struct pp_institution_input in = {0};
    struct pp_error e;
    if (!pp_api_read(req, &institution_body, &in, &e))
        return;
    int64_t id = 0;
    bool created = false;
    enum pp_err rc = pp_institution_save(pp_req_db(req), req->user.id, &in, &id, &created, &e);
    if (pp_api_ok(req, rc, &e))
        pp_res_json(req, 201,
                    json_pack("{s:I, s:s, s:s, s:s, s:I, s:I, s:b}", "id", (json_int_t)id, "uai",
                              in.uai, "name", in.name, "city", in.city, "educationalYear",
                              (json_int_t)in.year, "budgetCents", (json_int_t)in.budget_cents,
                              "created", created));
}

static json_t *institution_json(const void *item)
{
    const struct pp_institution *s = item;
    json_t *budgets = json_array();
    for (size_t i = 0; i < s->nbudgets; i++)
        json_array_append_new(
            budgets, json_pack("{s:I, s:I, s:I}", "educationalYear", (json_int_t)s->budgets[i].year,
                               "budgetCents", (json_int_t)s->budgets[i].budget_cents,
                               "spentCents", (json_int_t)s->budgets[i].spent_cents));
    return json_pack("{s:I, s:s, s:s, s:s, s:o}", "id", (json_int_t)s->id, "uai", s->uai, "name",
                     s->name, "city", s->city, "budgets", budgets);
}

void pp_api_admin_institutions(struct pp_req *req)
{
    struct pp_institution *items = NULL;
    size_t n = 0;
    enum pp_err rc = pp_institution_list(pp_req_db(req), req->arena, &items, &n);
    pp_api_reply_list(req, rc, "institutions", items, n, sizeof *items, institution_json);
}

/* The whole file is refused when a line is bad: 422, SPEC §2 body plus every bad line. */
void pp_api_admin_institution_import(struct pp_req *req)
{
    struct pp_import_result r;
    enum pp_err rc = pp_institution_import(pp_req_db(req), req->arena, req->user.id,
                                           req->body ? req->body : "", &r);
    if (rc != PP_OK && rc != PP_EVALIDATION) {
        pp_api_fail(req, rc, NULL);
        return;
    }
    json_t *lines = json_array();
    for (size_t i = 0; i < r.nerrors; i++)
        json_array_append_new(lines, json_pack("{s:i, s:s}", "line", r.errors[i].line, "message",
                                               r.errors[i].message));
    if (rc == PP_OK) {
        pp_res_json(req, 200, json_pack("{s:i, s:i, s:o}", "created", r.created, "updated",
                                        r.updated, "errors", lines));
        return;
    }
    const char *summary = pp_arena_printf(
        req->arena, "Le fichier contient %zu ligne%s en erreur : aucun établissement n'a été "
        "importé.", r.nerrors, r.nerrors > 1 ? "s" : "");
    pp_res_json(req, 422, json_pack("{s:{s:[s]}, s:o, s:i, s:i}", "errors", "global", summary,
                                    "lineErrors", lines, "created", 0, "updated", 0));
}

/* ------------------------------------------------------------------ ADAGE keys */

struct key_in {
    const char *label;
};

static const struct pp_api_body key_body = PP_API_FIELDS(
    PP_FIELD_STR(struct key_in, label, "label", true, PP_ADAGE_KEY_LABEL_MAX));

void pp_api_admin_adage_key_create(struct pp_req *req)
{
    struct key_in in = {0};
    struct pp_error e;
    if (!pp_api_read(req, &key_body, &in, &e))
        return;
    const char *key = NULL;
    struct pp_adage_key k;
    enum pp_err rc =
        pp_adage_key_create(pp_req_db(req), req->arena, req->user.id, in.label, &key, &k, &e);
    if (pp_api_ok(req, rc, &e))
        pp_res_json(req, 201, json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)k.id, "key",
                                        key, "prefix", k.prefix, "label", k.label));
}

static json_t *key_json(const void *item)
{
    const struct pp_adage_key *k = item;
    json_t *j = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)k->id, "prefix", k->prefix,
                          "label", k->label);
    json_object_set_new(j, "dateCreated", pp_json_iso_or_null(k->created_at));
    json_object_set_new(j, "revokedDate", pp_json_iso_or_null(k->revoked_at));
    return j;
}

void pp_api_admin_adage_keys(struct pp_req *req)
{
    struct pp_adage_key *items = NULL;
    size_t n = 0;
    enum pp_err rc = pp_adage_key_list(pp_req_db(req), req->arena, &items, &n);
    pp_api_reply_list(req, rc, "adageKeys", items, n, sizeof *items, key_json);
}

void pp_api_admin_adage_key_revoke(struct pp_req *req)
{
    int64_t id = pp_req_param_id(req, 0);
    enum pp_err rc = id ? pp_adage_key_revoke(pp_req_db(req), req->user.id, id) : PP_ENOTFOUND;
    pp_api_reply(req, rc, NULL, 204, NULL);
}
