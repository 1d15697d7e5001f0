/*
 * /backoffice/collectif (docs/collective.md): referencing requests to accept or decline (with
 * a reason), schools (one at a time or a CSV file pasted) and their budgets, the policy of the
 * eligible formats, and the ADAGE keys (the whole key shown once; revocation). Every action
 * goes through the domain functions the JSON API uses.
 */
#include <string.h>

#include "core/categories.h"
#include "core/money.h"
#include "core/strlist.h"
#include "domain/adage_application.h"
#include "domain/adage_key.h"
#include "domain/collective_policy.h"
#include "domain/institution.h"
#include "web/view.h"
#include "web/web.h"

#define ZONE "Europe/Paris"
#define SUBCATEGORIES_MAX 128

static const struct pp_view_field school_fields[] = {
    {"uai", "UAI", "Ex. 0750655E", "text", NULL, "fr-col-12 fr-col-md-2"},
    {"name", "Nom", "Ex. Collège Jean Moulin", "text", NULL, "fr-col-12 fr-col-md-4"},
    {"city", "Commune", "Ex. Bordeaux", "text", NULL, "fr-col-12 fr-col-md-2"},
    {"budgetCents", "Budget (€)", "Ex. 3 000", "text", NULL, "fr-col-12 fr-col-md-2"},
    {"educationalYear", "Année scolaire", "Ex. 2026-2027", "text", NULL,
     "fr-col-12 fr-col-md-2"},
};

static const struct pp_view_wording done_messages[] = {
    {"referencement", "La décision est enregistrée : la structure en est informée par email."},
    {"etablissement", "L'établissement et son budget sont enregistrés."},
    {"import", "Le fichier est importé."},
    {"politique", "Les formats éligibles sont enregistrés."},
    {"revoquee", "La clé est révoquée."},
};

static json_t *applications_json(struct pp_req *req, enum pp_err *rc)
{
    struct pp_adage_application *a = NULL;
    size_t n = 0;
    *rc = pp_adage_application_pending(pp_req_db(req), req->arena, &a, &n);
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++) {
        size_t nf;
        const char **f = pp_strlist_split(req->arena, a[i].formats, &nf);
        json_t *formats = json_array();
        for (size_t k = 0; k < nf; k++)
            json_array_append_new(formats, json_string(f[k]));
        json_array_append_new(
            list, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s?, s:o, s:s, s:s}", "offererId",
                            (json_int_t)a[i].offerer_id, "offerer", a[i].offerer_name, "siren",
                            a[i].siren, "activity", a[i].activity, "public", a[i].public,
                            "email", a[i].contact_email, "phone", a[i].contact_phone, "formats",
                            formats, "description", a[i].description, "date",
                            pp_view_when(req, ZONE, a[i].created_at)));
    }
    return list;
}

static json_t *schools_json(struct pp_req *req, enum pp_err *rc)
{
    struct pp_institution *s = NULL;
    size_t n = 0;
    *rc = pp_institution_list(pp_req_db(req), req->arena, &s, &n);
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *budgets = json_array();
        for (size_t k = 0; k < s[i].nbudgets; k++) {
            const struct pp_institution_budget *b = &s[i].budgets[k];
            json_array_append_new(
                budgets, json_pack("{s:s, s:s, s:s}", "year",
                                   pp_arena_printf(req->arena, "%lld-%lld", (long long)b->year,
                                                   (long long)b->year + 1),
                                   "budget", pp_view_amount(req, b->budget_cents), "spent",
                                   pp_view_amount(req, b->spent_cents)));
        }
        json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:o}", "uai", s[i].uai, "name",
                                              s[i].name, "city", s[i].city, "budgets", budgets));
    }
    return list;
}

static bool listed(const char **items, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(items[i], s) == 0)
            return true;
    return false;
}

/* A checkbox of templates/checkbox.html shown beside the others. */
static json_t *side_by_side(json_t *box)
{
    json_object_set_new(box, "inline", json_true());
    return box;
}

/* The policy's checkboxes: every subcategory that can be collective, the 8 formats. */
static json_t *policy_json(struct pp_req *req, enum pp_err *rc)
{
    struct pp_collective_policy p;
    *rc = pp_collective_policy_get(pp_req_db(req), req->arena, &p);
    if (*rc != PP_OK)
        return json_null();
    size_t n;
    const struct pp_subcategory *subs = pp_subcategories(&n);
    json_t *s = json_array(), *f = json_array();
    for (size_t i = 0; i < n; i++)
        if (subs[i].can_be_educational)
            json_array_append_new(
                s, side_by_side(pp_view_checkbox(
                       pp_arena_printf(req->arena, "sous-categorie-%s", subs[i].id),
                       "subcategories", subs[i].id, subs[i].pro_label,
                       listed(p.subcategories, p.nsubcategories, subs[i].id))));
    for (size_t i = 0; i < PP_EAC_FORMAT_COUNT; i++)
        json_array_append_new(
            f, side_by_side(pp_view_checkbox(pp_arena_printf(req->arena, "format-%zu", i),
                                             "formats", pp_eac_formats[i], pp_eac_formats[i],
                                             listed(p.formats, p.nformats, pp_eac_formats[i]))));
    return json_pack("{s:o, s:o, s:s}", "subcategories", s, "formats", f, "explanation",
                     pp_collective_policy_explain(req->arena, &p, NULL, NULL));
}

static json_t *keys_json(struct pp_req *req, enum pp_err *rc)
{
    struct pp_adage_key *k = NULL;
    size_t n = 0;
    *rc = pp_adage_key_list(pp_req_db(req), req->arena, &k, &n);
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *j = json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)k[i].id, "prefix",
                              k[i].prefix, "label", k[i].label, "created",
                              pp_view_when(req, ZONE, k[i].created_at));
        pp_view_set_str(j, "revoked",
                        k[i].revoked_at ? pp_view_when(req, ZONE, k[i].revoked_at) : NULL);
        json_array_append_new(list, j);
    }
    return list;
}

/* The page with @values and @e of a refused form, and @extra's keys (stolen, may be NULL). */
static void page(struct pp_req *req, int status, json_t *values, const struct pp_error *e,
                 json_t *extra)
{
    enum pp_err rc;
    json_t *data = json_object();
    json_object_set_new(data, "applications", applications_json(req, &rc));
    if (rc == PP_OK)
        json_object_set_new(data, "schools", schools_json(req, &rc));
    if (rc == PP_OK)
        json_object_set_new(data, "policy", policy_json(req, &rc));
    if (rc == PP_OK)
        json_object_set_new(data, "keys", keys_json(req, &rc));
    json_t *errors = pp_web_errors(e);
    json_object_set_new(data, "schoolFields",
                        rc == PP_OK ? pp_view_fields_json(school_fields, PP_VIEW_COUNT(school_fields), values,
                                                   errors, NULL) : json_null());
    json_object_set_new(data, "errors", errors);
    json_object_set_new(data, "values", pp_view_ref(values));
    json_object_set_new(data, "navCollective", json_true());
    if (extra != NULL)
        json_object_update(data, extra);
    json_decref(extra);
    if (pp_view_failed(req, rc))
        json_decref(data);
    else
        pp_web_render(req, status, "backoffice_collective.html", "Offres collectives", data);
}

void pp_web_backoffice_collective(struct pp_req *req)
{
    const char *done = pp_req_query(req, "fait");
    const char *msg = done ? pp_view_label(done_messages, PP_VIEW_COUNT(done_messages), done, NULL)
                           : NULL;
    page(req, 200, NULL, NULL, msg ? json_pack("{s:s}", "done", msg) : NULL);
}

/* The end of a post: back to the page with @done, or the page again with the refusal. */
static void finish(struct pp_req *req, enum pp_err rc, const struct pp_error *e,
                   const char *done)
{
    if (pp_view_fatal(req, rc))
        return;
    if (rc != PP_OK)
        page(req, pp_err_status(rc), pp_view_form_values(req), e, NULL);
    else
        pp_res_redirect(req, pp_arena_printf(req->arena, "/backoffice/collectif?fait=%s", done));
}

void pp_web_backoffice_adage_decide(struct pp_req *req)
{
    const char *d = req->nparams > 1 ? req->params[1] : "";
    bool accept = strcmp(d, "accepter") == 0;
    if (!accept && strcmp(d, "refuser") != 0) {
        pp_web_page_error(req, 404, NULL);
        return;
    }
    struct pp_error e;
    pp_error_init(&e);
    enum pp_err rc =
        pp_adage_application_decide(pp_req_db(req), req->user.id, pp_req_param_id(req, 0), accept,
                                    accept ? NULL : pp_web_field(req, "reason"), &e);
    if (rc == PP_ENOTFOUND)
        pp_web_page_error(req, 404, NULL);
    else
        finish(req, rc, &e, "referencement");
}

void pp_web_backoffice_institution(struct pp_req *req)
{
    struct pp_institution_input in = {.uai = pp_web_field(req, "uai"),
                                      .name = pp_web_field(req, "name"),
                                      .city = pp_web_field(req, "city"),
                                      .budget_cents = -1};
    const char *budget = pp_web_field(req, "budgetCents"), *year = pp_web_field(req, "educationalYear");
    struct pp_error e;
    pp_error_init(&e);
    if (budget != NULL && !pp_money_parse(budget, &in.budget_cents)) {
        in.budget_cents = -1; /* the domain refuses it too, after this message in euros */
        pp_error_set(&e, PP_EVALIDATION, "budgetCents", "Montant attendu en euros (ex. 3 000).");
    }
    if (year != NULL && !pp_school_year_parse(year, &in.year))
        in.year = 0;
    int64_t id;
    bool created;
    enum pp_err rc = pp_institution_save(pp_req_db(req), req->user.id, &in, &id, &created, &e);
    finish(req, rc, &e, "etablissement");
}

void pp_web_backoffice_institution_import(struct pp_req *req)
{
    const char *csv = pp_req_form(req, "csv");
    struct pp_import_result out = {0};
    enum pp_err rc = pp_institution_import(pp_req_db(req), req->arena, req->user.id,
                                           csv ? csv : "", &out);
    if (rc != PP_EVALIDATION) {
        struct pp_error e;
        pp_error_init(&e);
        finish(req, rc, &e, "import");
        return;
    }
    json_t *lines = json_array();
    for (size_t i = 0; i < out.nerrors; i++)
        json_array_append_new(lines, json_pack("{s:i, s:s}", "line", out.errors[i].line,
                                               "message", out.errors[i].message));
    page(req, 422, pp_view_form_values(req), NULL, json_pack("{s:o}", "lineErrors", lines));
}

void pp_web_backoffice_policy(struct pp_req *req)
{
    const char *subs[SUBCATEGORIES_MAX], *formats[PP_EAC_FORMAT_COUNT + 1];
    struct pp_collective_policy p = {
        subs, pp_view_form_all(req, "subcategories", subs, SUBCATEGORIES_MAX), formats,
        pp_view_form_all(req, "formats", formats, PP_EAC_FORMAT_COUNT + 1)};
    struct pp_error e;
    pp_error_init(&e);
    finish(req, pp_collective_policy_set(pp_req_db(req), req->user.id, &p, &e), &e, "politique");
}

void pp_web_backoffice_adage_key(struct pp_req *req)
{
    struct pp_error e;
    pp_error_init(&e);
    const char *key = NULL;
    struct pp_adage_key k;
    enum pp_err rc = pp_adage_key_create(pp_req_db(req), req->arena, req->user.id,
                                         pp_web_field(req, "label"), &key, &k, &e);
    if (rc != PP_OK)
        finish(req, rc, &e, NULL);
    else /* Shown once: the page itself, no redirection that would lose it. */
        page(req, 200, NULL, NULL, json_pack("{s:s, s:s}", "newKey", key, "newKeyLabel", k.label));
}

void pp_web_backoffice_adage_key_revoke(struct pp_req *req)
{
    pp_view_done(req, pp_adage_key_revoke(pp_req_db(req), req->user.id, pp_req_param_id(req, 0)),
                 NULL, "/backoffice/collectif?fait=revoquee");
}
