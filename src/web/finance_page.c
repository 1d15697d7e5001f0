/*
 * /gestion-financiere (SPEC §10): for one structure of the pro, the next transfer (forecast),
 * "Justificatifs" (invoices, PDF downloads), "Détails" (the CSV with its filters) and
 * "Informations bancaires" (accounts, their venues, adding one, a pricing point for the venues
 * without SIRET). Downloads go to the API routes, which check access again.
 */
#include <stdint.h>
#include <string.h>

#include "core/status.h"
#include "core/clock.h"
#include "core/iban.h"
#include "core/input.h"
#include "core/tz.h"
#include "domain/authz.h"
#include "domain/bank_account.h"
#include "domain/finance_event.h"
#include "domain/forecast.h"
#include "domain/invoice.h"
#include "domain/offerer.h"
#include "domain/venue.h"
#include "web/view.h"
#include "web/web.h"

static const struct pp_view_code account_statuses[] = {
    {"DRAFT", "En cours de validation", "fr-badge--new"},
    {"ACCEPTED", "Validé", "fr-badge--success"},
    {"REFUSED", "Refusé", "fr-badge--error"},
};

static json_t *forecast_json(struct pp_req *req, int64_t offerer_id, enum pp_err *rc)
{
    struct pp_forecast fc;
    *rc = pp_forecast_get(pp_req_db(req), req->arena, offerer_id, pp_clock_now(), &fc);
    if (*rc != PP_OK)
        return NULL;
    json_t *accounts = json_array();
    int64_t total = 0;
    for (size_t i = 0; i < fc.naccounts; i++) {
        total += fc.accounts[i].amount_cents > 0 ? fc.accounts[i].amount_cents : 0;
        json_array_append_new(
            accounts, json_pack("{s:s, s:s, s:I}", "label", fc.accounts[i].label, "amount",
                                pp_view_amount(req, fc.accounts[i].amount_cents), "bookings",
                                (json_int_t)fc.accounts[i].bookings));
    }
    json_t *j = json_pack("{s:s, s:s, s:o, s:I}", "date",
                          pp_view_date(req, PP_FINANCE_ZONE, fc.next_run), "total",
                          pp_view_amount(req, total), "accounts", accounts, "waitingBookings",
                          (json_int_t)fc.without_bookings);
    if (fc.without_amount_cents > 0)
        json_object_set_new(j, "waiting",
                            json_string(pp_view_amount(req, fc.without_amount_cents)));
    return pp_req_own(req, j);
}

json_t *pp_web_invoice_rows(struct pp_req *req, const struct pp_invoice_filter *f, size_t limit,
                            enum pp_err *rc)
{
    struct pp_invoice_summary *items = NULL;
    size_t n = 0;
    *rc = pp_invoice_list(pp_req_db(req), req->arena, f, &items, &n);
    json_t *list = pp_req_own(req, json_array());
    for (size_t i = 0; i < n && i < limit && *rc == PP_OK; i++) {
        const struct pp_invoice_summary *s = &items[i];
        json_array_append_new(
            list, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "reference", s->reference,
                            "date", pp_view_date(req, PP_FINANCE_ZONE, s->date), "batch",
                            s->batch_label, "account", s->bank_account_label, "amount",
                            pp_view_amount(req, s->amount_cents), "periodStart",
                            pp_view_date(req, PP_FINANCE_ZONE, s->period_start), "periodEnd",
                            pp_view_date(req, PP_FINANCE_ZONE, s->period_end)));
    }
    return list;
}

/* The venues of the structure, each with its account and, without SIRET, its pricing point. */
static json_t *venues_json(struct pp_req *req, int64_t offerer_id, enum pp_err *rc)
{
    struct pp_venue *v = NULL;
    size_t n = 0;
    *rc = pp_venue_list(pp_req_db(req), req->arena, offerer_id, &v, &n);
    json_t *list = pp_req_own(req, json_array());
    json_t *points = pp_req_own(req, json_array());
    for (size_t i = 0; i < n; i++)
        if (v[i].siret != NULL)
            json_array_append_new(points, json_pack("{s:I, s:s}", "id", (json_int_t)v[i].id,
                                                    "name", pp_view_venue_label(&v[i])));
    for (size_t i = 0; i < n && *rc == PP_OK; i++) {
        int64_t point = 0, since = 0;
        enum pp_err p = pp_pricing_point_of(pp_req_db(req), v[i].id, &point, &since);
        if (p != PP_OK && p != PP_ENOTFOUND)
            *rc = p;
        json_t *j = json_pack("{s:I, s:s, s:b, s:b, s:O}", "id", (json_int_t)v[i].id, "name",
                              pp_view_venue_label(&v[i]), "hasSiret", v[i].siret != NULL,
                              "needsPricingPoint", point == 0, "pricingPoints", points);
        json_array_append_new(list, j);
    }
    return list;
}

static json_t *accounts_json(struct pp_req *req, int64_t offerer_id, json_t **venues,
                             enum pp_err *rc)
{
    struct pp_bank_account *a = NULL;
    size_t n = 0;
    *rc = pp_bank_account_list(pp_req_db(req), req->arena, offerer_id, NULL, &a, &n);
    json_t *list = pp_req_own(req, json_array());
    *venues = *rc == PP_OK ? venues_json(req, offerer_id, rc) : NULL;
    for (size_t i = 0; i < n && *rc == PP_OK; i++) {
        char masked[PP_IBAN_SHOWN];
        pp_iban_mask(a[i].iban, masked);
        const struct pp_view_code *st =
            pp_view_code_of(account_statuses, PP_VIEW_COUNT(account_statuses), a[i].status);
        json_t *choices = json_array();
        size_t k;
        json_t *venue;
        json_array_foreach(*venues, k, venue)
        {
            int64_t id = json_integer_value(json_object_get(venue, "id"));
            bool linked = false;
            for (size_t m = 0; m < a[i].nvenues; m++)
                linked = linked || a[i].venue_ids[m] == id;
            json_array_append_new(
                choices,
                pp_view_checkbox(pp_arena_printf(req->arena, "compte-%lld-lieu-%lld",
                                                 (long long)a[i].id, (long long)id),
                                 "lieu", pp_arena_printf(req->arena, "%lld", (long long)id),
                                 json_string_value(json_object_get(venue, "name")), linked));
        }
        json_array_append_new(
            list, json_pack("{s:I, s:s, s:s, s:s, s:s, s:b, s:o, s:I}", "id", (json_int_t)a[i].id,
                            "label", a[i].label, "iban", masked, "status", st->label, "badge",
                            st->badge, "refused", a[i].status_code == PP_BANK_REFUSED, "venues",
                            choices, "linkedCount", (json_int_t)a[i].nvenues));
    }
    return list;
}

static void finance_page(struct pp_req *req, int status, json_t *values, const struct pp_error *e)
{
    const char *name = NULL;
    json_t *structures = NULL;
    enum pp_err rc;
    int64_t offerer_id = pp_view_structure(req, &name, &structures, &rc);
    json_t *data = pp_req_own(
        req, json_pack("{s:O, s:o, s:o, s:s?, s:I, s:b, s:s}", "structures", structures, "values",
                       values ? pp_view_ref(values) : json_object(), "errors", pp_web_errors(e),
                       "info", pp_req_query(req, "info"), "offererId", (json_int_t)offerer_id,
                       "navFinance", 1, "structureAction", "/gestion-financiere"));
    if (rc == PP_OK && offerer_id != 0) {
        json_t *venues = NULL;
        json_object_set_new(data, "offererName", json_string(name));
        json_object_set(data, "forecast", forecast_json(req, offerer_id, &rc));
        struct pp_invoice_filter f = {.account_id = req->user.id, .offerer_id = offerer_id};
        if (rc == PP_OK)
            json_object_set(data, "invoices", pp_web_invoice_rows(req, &f, SIZE_MAX, &rc));
        if (rc == PP_OK)
            json_object_set(data, "accounts", accounts_json(req, offerer_id, &venues, &rc));
        if (rc == PP_OK)
            json_object_set(data, "venues", venues);
    }
    if (!pp_view_failed(req, rc))
        pp_web_render(req, status, "finance.html", "Gestion financière", json_incref(data));
}

void pp_web_finance(struct pp_req *req)
{
    finance_page(req, 200, NULL, NULL);
}

/* The end of a form post of the page: a failure of the database answers 500, a refusal
 * shows the page again with its messages, a success goes back to the bank section. */
static void finish(struct pp_req *req, enum pp_err rc, json_t *values, const struct pp_error *e,
                   int64_t offerer_id, const char *info)
{
    if (pp_view_fatal(req, rc))
        return;
    if (rc != PP_OK) {
        finance_page(req, pp_err_status(rc), values, e);
        return;
    }
    pp_res_redirect(req, pp_arena_printf(req->arena,
                                         "/gestion-financiere?structure=%lld&info=%s#banque",
                                         (long long)offerer_id, info));
}

void pp_web_finance_account_add(struct pp_req *req)
{
    int64_t offerer_id = pp_view_field_id(req, "structure");
    struct pp_db *db = pp_req_db(req);
    enum pp_err rc = pp_authz_offerer(db, &req->user, offerer_id);
    if (pp_view_failed(req, rc))
        return;
    const char *label = pp_web_field(req, "label"), *iban = pp_web_field(req, "iban");
    struct pp_error e;
    pp_error_init(&e);
    int64_t id;
    rc = pp_bank_account_create(db, req->user.id, offerer_id, label, iban, &id, &e);
    finish(req, rc, pp_view_form_values(req), &e, offerer_id, "compte");
}

/* The id of the path's bank account or venue when @authz lets the pro act on it (its structure
 * in *offerer_id); else 0, the error page answered. */
static int64_t path_object(struct pp_req *req,
                           enum pp_err (*authz)(struct pp_db *, const struct pp_user *, int64_t,
                                                int64_t *),
                           int64_t *offerer_id)
{
    int64_t id = pp_req_param_id(req, 0);
    return pp_view_failed(req, authz(pp_req_db(req), &req->user, id, offerer_id)) ? 0 : id;
}

void pp_web_finance_account_venues(struct pp_req *req)
{
    struct pp_db *db = pp_req_db(req);
    int64_t offerer_id = 0, id = path_object(req, pp_authz_bank_account, &offerer_id);
    if (id == 0)
        return;
    /* Every ticked box "lieu" of the form: the full list of the account's venues. */
    int64_t ids[500];
    size_t n = 0;
    for (struct pp_kv *kv = req->form; kv != NULL && n < 500; kv = kv->next) {
        int64_t v = strcmp(kv->key, "lieu") == 0 ? pp_input_id(kv->value) : 0;
        if (v > 0)
            ids[n++] = v;
    }
    struct pp_error e;
    pp_error_init(&e);
    enum pp_err rc = pp_bank_account_link_venues(db, req->user.id, id, ids, n, &e);
    finish(req, rc, NULL, &e, offerer_id, "lieux");
}

void pp_web_finance_pricing_point(struct pp_req *req)
{
    int64_t offerer_id = 0, venue_id = path_object(req, pp_authz_venue, &offerer_id);
    if (venue_id == 0)
        return;
    struct pp_error e;
    pp_error_init(&e);
    enum pp_err rc = pp_pricing_point_set(pp_req_db(req), req->user.id, venue_id,
                                          pp_view_field_id(req, "pricingPoint"), &e);
    finish(req, rc, NULL, &e, offerer_id, "calcul");
}

json_t *pp_web_forecast_lines(struct pp_req *req, const struct pp_offerer *offerers, size_t n)
{
    json_t *lines = pp_req_own(req, json_array());
    for (size_t i = 0; i < n; i++) {
        if (offerers[i].attachment_status_code != PP_VALIDATION_VALIDATED)
            continue;
        enum pp_err rc;
        json_t *fc = forecast_json(req, offerers[i].id, &rc);
        if (rc != PP_OK)
            return NULL;
        json_t *accounts = json_object_get(fc, "accounts");
        if (json_array_size(accounts) == 0 && json_object_get(fc, "waiting") == NULL)
            continue;
        json_array_append_new(
            lines, json_pack("{s:s, s:I, s:O, s:O, s:O?}", "offererName", offerers[i].name,
                             "offererId", (json_int_t)offerers[i].id, "date",
                             json_object_get(fc, "date"), "total", json_object_get(fc, "total"),
                             "waiting", json_object_get(fc, "waiting")));
    }
    return lines;
}
