/* Finance (SPEC §7): bank accounts, pricing points, runs, invoices, the Détails CSV, the
 * forecast, incidents and custom rules. Access is checked per structure (domain/authz.c). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "core/clock.h"
#include "core/iban.h"
#include "core/reimbursement.h"
#include "core/tz.h"
#include "domain/authz.h"
#include "domain/bank_account.h"
#include "domain/custom_rule.h"
#include "domain/finance_event.h"
#include "domain/finance_incident.h"
#include "domain/finance_run.h"
#include "domain/forecast.h"
#include "domain/invoice.h"
#include "export/justificatif.h"
#include "export/reimbursement_csv.h"
#include "http/json.h"

#define MAX_VENUES 500

/* ------------------------------------------------------------------ bank accounts */

/* An account as its structure sees it (IBAN masked), or whole for the back office. */
static json_t *account_json(const struct pp_bank_account *a, bool whole)
{
    char shown[PP_IBAN_SHOWN];
    if (whole)
        pp_iban_group(a->iban, shown);
    else
        pp_iban_mask(a->iban, shown);
    json_t *venues = json_array();
    for (size_t i = 0; i < a->nvenues; i++)
        json_array_append_new(venues, json_integer(a->venue_ids[i]));
    json_t *j = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:o}", "id", (json_int_t)a->id,
                          "offererId", (json_int_t)a->offerer_id, "offererName", a->offerer_name,
                          "label", a->label, "iban", shown, "status", a->status, "venueIds",
                          venues);
    json_object_set_new(j, "dateCreated", pp_json_iso_or_null(a->created_at));
    return j;
}

static json_t *pro_account_json(const void *item)
{
    return account_json(item, false);
}

static json_t *admin_account_json(const void *item)
{
    return account_json(item, true);
}


struct account_in {
    const char *label;
    const char *iban;
};

static const struct pp_api_body account_body = PP_API_FIELDS(
    PP_FIELD_STR(struct account_in, label, "label", true, PP_BANK_LABEL_MAX),
    PP_FIELD_STR(struct account_in, iban, "iban", true, 60));

void pp_api_bank_account_create(struct pp_req *req)
{
    int64_t offerer_id = pp_api_my_offerer(req);
    struct account_in in = {0};
    struct pp_error e;
    if (offerer_id == 0 || !pp_api_read(req, &account_body, &in, &e))
        return;
    int64_t id = 0;
    enum pp_err rc = pp_bank_account_create(pp_req_db(req), req->user.id, offerer_id, in.label,
                                            in.iban, &id, &e);
    pp_api_reply_state(req, rc, &e, 201, id, "DRAFT");
}

void pp_api_bank_account_list(struct pp_req *req)
{
    int64_t offerer_id = pp_api_my_offerer(req);
    if (offerer_id == 0)
        return;
    struct pp_bank_account *items = NULL;
    size_t n = 0;
    enum pp_err rc =
        pp_bank_account_list(pp_req_db(req), req->arena, offerer_id, NULL, &items, &n);
    pp_api_reply_list(req, rc, "bankAccounts", items, n, sizeof *items, pro_account_json);
}

void pp_api_admin_bank_accounts(struct pp_req *req)
{
    struct pp_bank_account *items = NULL;
    size_t n = 0;
    enum pp_err rc = pp_bank_account_list(pp_req_db(req), req->arena, 0,
                                          pp_req_query(req, "status"), &items, &n);
    pp_api_reply_list(req, rc, "bankAccounts", items, n, sizeof *items, admin_account_json);
}

static void decide(struct pp_req *req, bool accept)
{
    enum pp_err rc = pp_bank_account_decide(pp_req_db(req), req->user.id,
                                            pp_req_param_id(req, 0), accept);
    struct pp_error e;
    pp_error_init(&e);
    if (rc == PP_ECONFLICT)
        pp_error_set(&e, PP_ECONFLICT, "status",
                     "Ce compte bancaire a déjà été accepté ou refusé.");
    pp_api_reply(req, rc, &e, 200,
                 json_pack("{s:s}", "status", accept ? "ACCEPTED" : "REFUSED"));
}

void pp_api_admin_bank_account_accept(struct pp_req *req)
{
    decide(req, true);
}

void pp_api_admin_bank_account_refuse(struct pp_req *req)
{
    decide(req, false);
}

struct venues_in {
    int64_t *ids;
    size_t n;
};

static void read_venue_ids(struct pp_req *req, json_t *body, void *dst, struct pp_error *e)
{
    struct venues_in *in = dst;
    json_t *list = json_object_get(body, "venueIds");
    if (!json_is_array(list) || json_array_size(list) > MAX_VENUES) {
        pp_error_set(e, PP_EVALIDATION, "venueIds",
                     "venueIds doit être la liste complète des lieux du compte (500 au plus).");
        return;
    }
    in->n = json_array_size(list);
    in->ids = pp_arena_calloc(req->arena, (in->n + 1) * sizeof *in->ids);
    for (size_t i = 0; i < in->n; i++) {
        json_t *v = json_array_get(list, i);
        if (!json_is_integer(v) || json_integer_value(v) <= 0) {
            pp_error_set(e, PP_EVALIDATION, "venueIds",
                         "venueIds ne doit contenir que des identifiants de lieux.");
            return;
        }
        in->ids[i] = json_integer_value(v);
    }
}

static const struct pp_api_field no_fields[1] = {{0}};
static const struct pp_api_body venues_body = {no_fields, 0, read_venue_ids};

void pp_api_bank_account_venues(struct pp_req *req)
{
    struct pp_db *db = pp_req_db(req);
    int64_t id = pp_req_param_id(req, 0);
    enum pp_err rc = pp_authz_bank_account(db, &req->user, id, NULL);
    struct venues_in in = {0};
    struct pp_error e;
    if (pp_api_authorized(req, id, rc) == 0 || !pp_api_read(req, &venues_body, &in, &e))
        return;
    rc = pp_bank_account_link_venues(db, req->user.id, id, in.ids, in.n, &e);
    struct pp_bank_account acc;
    if (rc == PP_OK)
        rc = pp_bank_account_get(db, req->arena, id, &acc);
    if (pp_api_ok(req, rc, &e))
        pp_res_json(req, 200, account_json(&acc, false));
}

struct point_in {
    int64_t pricing_point_id;
};

static const struct pp_api_body point_body = PP_API_FIELDS(
    PP_FIELD_ID(struct point_in, pricing_point_id, "pricingPointId", true));

void pp_api_venue_pricing_point(struct pp_req *req)
{
    struct pp_db *db = pp_req_db(req);
    int64_t id = pp_req_param_id(req, 0);
    struct point_in in = {0};
    struct pp_error e;
    if (pp_api_authorized(req, id, pp_authz_venue(db, &req->user, id, NULL)) == 0 ||
        !pp_api_read(req, &point_body, &in, &e))
        return;
    enum pp_err rc = pp_pricing_point_set(db, req->user.id, id, in.pricing_point_id, &e);
    pp_api_reply(req, rc, &e, 200,
                 json_pack("{s:I, s:I}", "venueId", (json_int_t)id, "pricingPointId",
                           (json_int_t)in.pricing_point_id));
}

/* ------------------------------------------------------------------ runs */

struct run_in {
    int64_t cutoff;
};

/* cutoff: an ISO 8601 instant (a text of 40 characters at most), now when absent. */
static bool read_cutoff(struct pp_req *req, json_t *body, const struct pp_api_field *f, void *dst,
                        struct pp_error *e)
{
    const char *text = NULL;
    if (!pp_api_read_str(req, body, f, &text, e))
        return false;
    *(int64_t *)dst = pp_clock_now();
    if (text == NULL || pp_clock_parse_iso(text, dst))
        return true;
    pp_error_set(e, PP_EVALIDATION, f->key,
                 "La date de coupure doit être au format ISO 8601 (2026-03-16T00:00:00Z).");
    return false;
}

static const struct pp_api_body run_body = PP_API_FIELDS(
    {"cutoff", read_cutoff, PP_API_AT(struct run_in, cutoff, int64_t), false, 40});

void pp_api_admin_finance_run(struct pp_req *req)
{
    struct run_in in = {0};
    struct pp_error e;
    if (!pp_api_read(req, &run_body, &in, &e))
        return;
    struct pp_db *db = pp_req_db(req);
    struct pp_finance_run run;
    enum pp_err rc = pp_finance_run(db, req->arena, req->user.id, in.cutoff, &run, &e);
    if (!pp_api_ok(req, rc, &e))
        return;
    json_t *refs = json_array();
    for (size_t i = 0; i < run.ninvoices; i++)
        json_array_append_new(refs, json_string(run.references[i]));
    /* The run committed: its justificatifs are drawn now, or on first download if this fails. */
    pp_justificatif_render_pending(db);
    pp_res_json(req, 201, json_pack("{s:s, s:I, s:o}", "batchLabel", run.batch_label,
                                    "cashflows", (json_int_t)run.ncashflows, "invoices", refs));
}

/* ------------------------------------------------------------------ invoices */

/*
 * The filter of the invoice routes: a pro sees its structures' invoices (an offererId it does
 * not belong to answers 404), the back office every one. @since_key / @until_key name the
 * period parameters (inclusive dates, in Paris).
 */
static bool invoice_filter(struct pp_req *req, const char *since_key, const char *until_key,
                           struct pp_invoice_filter *f)
{
    *f = (struct pp_invoice_filter){0};
    bool admin = pp_authz_is_admin(&req->user);
    if (!admin)
        f->account_id = req->user.id;
    if (!pp_api_query_id(req, "offererId", false, &f->offerer_id) ||
        !pp_api_query_id(req, "bankAccountId", false, &f->bank_account_id) ||
        !pp_api_query_day(req, since_key, PP_FINANCE_ZONE, &f->since) ||
        !pp_api_query_day(req, until_key, PP_FINANCE_ZONE, &f->until))
        return false;
    if (f->until != 0) { /* the end day is included: up to the next day's 00:00 */
        struct pp_local l;
        pp_tz_to_local(PP_FINANCE_ZONE, f->until, &l);
        pp_tz_next_midnight(PP_FINANCE_ZONE, l.year, l.month, l.day, &f->until);
    }
    f->batch_label = pp_req_query(req, "batchLabel");
    if (f->batch_label != NULL && (*f->batch_label == '\0' || strlen(f->batch_label) > 20))
        f->batch_label = NULL;
    enum pp_err rc = PP_OK;
    if (f->offerer_id != 0)
        rc = pp_authz_offerer(pp_req_db(req), &req->user, f->offerer_id);
    if (rc == PP_OK && f->bank_account_id != 0)
        rc = pp_authz_bank_account(pp_req_db(req), &req->user, f->bank_account_id, NULL);
    return pp_api_ok(req, rc, NULL);
}

static json_t *invoice_json(const void *item)
{
    const struct pp_invoice_summary *s = item;
    json_t *j = json_pack("{s:s, s:I, s:I, s:s, s:s, s:I}", "reference", s->reference,
                          "amountCents", (json_int_t)s->amount_cents, "bankAccountId",
                          (json_int_t)s->bank_account_id, "bankAccountLabel",
                          s->bank_account_label, "batchLabel", s->batch_label, "offererId",
                          (json_int_t)s->offerer_id);
    json_object_set_new(j, "date", pp_json_iso_or_null(s->date));
    json_object_set_new(j, "periodBeginningDate", pp_json_iso_or_null(s->period_start));
    json_object_set_new(j, "periodEndingDate", pp_json_iso_or_null(s->period_end));
    return j;
}

void pp_api_pro_invoices(struct pp_req *req)
{
    struct pp_invoice_filter f;
    if (!invoice_filter(req, "periodBeginningDate", "periodEndingDate", &f))
        return;
    struct pp_invoice_summary *items = NULL;
    size_t n = 0;
    enum pp_err rc = pp_invoice_list(pp_req_db(req), req->arena, &f, &items, &n);
    pp_api_reply_list(req, rc, "invoices", items, n, sizeof *items, invoice_json);
}

void pp_api_pro_invoice_pdf(struct pp_req *req)
{
    /* The route's last segment is "F260000001.pdf". */
    const char *name = req->params[0];
    size_t len = strlen(name);
    if (len < 5 || len > 40 || strcmp(name + len - 4, ".pdf") != 0) {
        pp_api_fail(req, PP_ENOTFOUND, NULL);
        return;
    }
    const char *reference = pp_arena_strndup(req->arena, name, len - 4);
    struct pp_db *db = pp_req_db(req);
    struct pp_invoice inv;
    enum pp_err rc = pp_invoice_get(db, req->arena, reference, &inv);
    if (rc == PP_OK)
        rc = pp_authz_offerer(db, &req->user, inv.head.offerer_id);
    const char *pdf = NULL;
    size_t size = 0;
    if (rc == PP_OK)
        rc = pp_justificatif_pdf(db, req->arena, &inv, &pdf, &size);
    if (!pp_api_ok(req, rc, NULL))
        return;
    pp_res_bytes(req, 200, "application/pdf", pdf, size);
    pp_res_header(req, "Content-Disposition",
                  pp_arena_printf(req->arena, "attachment; filename=\"%s\"",
                                  pp_justificatif_filename(req->arena, &inv)));
}

void pp_api_pro_reimbursements_csv(struct pp_req *req)
{
    struct pp_invoice_filter f;
    if (!invoice_filter(req, "reimbursementPeriodBeginningDate",
                        "reimbursementPeriodEndingDate", &f))
        return;
    int fd = -1;
    uint64_t size = 0;
    enum pp_err rc = pp_reimbursement_csv(pp_req_db(req), &f, &fd, &size);
    if (!pp_api_ok(req, rc, NULL))
        return;
    req->status = 200;
    req->content_type = "text/csv; charset=utf-8";
    req->resp_fd = fd;
    req->resp_fd_size = size;
    pp_res_header(req, "Content-Disposition",
                  "attachment; filename=\"" PP_REIMBURSEMENT_CSV_NAME "\"");
}

/* ------------------------------------------------------------------ forecast */

void pp_api_pro_forecast(struct pp_req *req)
{
    int64_t offerer_id = 0;
    if (!pp_api_query_id(req, "offererId", true, &offerer_id))
        return;
    struct pp_db *db = pp_req_db(req);
    struct pp_forecast fc;
    enum pp_err rc = pp_authz_offerer(db, &req->user, offerer_id);
    if (rc == PP_OK)
        rc = pp_forecast_get(db, req->arena, offerer_id, pp_clock_now(), &fc);
    if (!pp_api_ok(req, rc, NULL))
        return;
    json_t *accounts = json_array();
    for (size_t i = 0; i < fc.naccounts; i++)
        json_array_append_new(accounts,
                              json_pack("{s:I, s:s, s:I, s:I}", "id", (json_int_t)fc.accounts[i].id,
                                        "label", fc.accounts[i].label, "amountCents",
                                        (json_int_t)fc.accounts[i].amount_cents, "bookings",
                                        (json_int_t)fc.accounts[i].bookings));
    json_t *j = json_pack("{s:o, s:{s:I, s:I}}", "bankAccounts", accounts, "withoutBankAccount",
                          "amountCents", (json_int_t)fc.without_amount_cents, "bookings",
                          (json_int_t)fc.without_bookings);
    json_object_set_new(j, "nextRunDate", pp_json_iso_or_null(fc.next_run));
    pp_res_json(req, 200, j);
}

/* ------------------------------------------------------------------ incidents, custom rules */

struct incident_in {
    int64_t booking_id;
    const char *reason;
    int64_t amount_cents;
};

static const struct pp_api_body incident_body = PP_API_FIELDS(
    PP_FIELD_ID(struct incident_in, booking_id, "bookingId", true),
    PP_FIELD_STR(struct incident_in, reason, "reason", true, 500),
    PP_FIELD(struct incident_in, amount_cents, int64_t, "amountCents", false, pp_api_read_count));

void pp_api_admin_finance_incident(struct pp_req *req)
{
    struct incident_in in = {0};
    struct pp_error e;
    if (!pp_api_read(req, &incident_body, &in, &e))
        return;
    int64_t id = 0;
    /* Absent (-1): all that was paid and not taken back yet, the domain's 0. */
    enum pp_err rc = pp_finance_incident_create(pp_req_db(req), req->user.id, in.booking_id,
                                                in.reason, in.amount_cents < 0 ? 0 : in.amount_cents,
                                                &id, &e);
    if (pp_api_ok(req, rc, &e))
        pp_res_json(req, 201, json_pack("{s:I, s:I}", "id", (json_int_t)id, "bookingId",
                                        (json_int_t)in.booking_id));
}

struct rule_in {
    struct pp_custom_rule_input r;
    const char *start;
    const char *end;
};

/* "rate" in percent (92.5), "amountCents" per place, "subcategories" a list of ids. */
static void read_rule_extra(struct pp_req *req, json_t *body, void *dst, struct pp_error *e)
{
    struct rule_in *in = dst;
    json_t *rate = json_object_get(body, "rate");
    json_t *amount = json_object_get(body, "amountCents");
    in->r.rate_bp = -1;
    in->r.amount_cents = -1;
    if (json_is_number(rate) && json_number_value(rate) >= 0 && json_number_value(rate) <= 100)
        in->r.rate_bp = (int)lround(json_number_value(rate) * 100);
    else if (rate != NULL && !json_is_null(rate))
        pp_error_set(e, PP_EVALIDATION, "rate", "Le taux est un pourcentage entre 0 et 100.");
    if (json_is_integer(amount) && json_integer_value(amount) >= 0 &&
        json_integer_value(amount) <= 30000)
        in->r.amount_cents = json_integer_value(amount);
    else if (amount != NULL && !json_is_null(amount))
        pp_error_set(e, PP_EVALIDATION, "amountCents",
                     "Le montant par place est un nombre de centimes entre 0 et 30000.");
    json_t *subs = json_object_get(body, "subcategories");
    size_t i;
    json_t *v;
    char *list = pp_arena_calloc(req->arena, 2048);
    json_array_foreach(subs, i, v)
    {
        const char *s = json_string_value(v);
        if (s == NULL || strlen(list) + strlen(s) + 2 > 2000) {
            pp_error_set(e, PP_EVALIDATION, "subcategories", "Liste de sous-catégories invalide.");
            return;
        }
        if (*list != '\0')
            strncat(list, ",", 2047 - strlen(list));
        strncat(list, s, 2047 - strlen(list));
    }
    in->r.subcategories = list;
    int y, m, d;
    int64_t t = 0;
    if (in->start == NULL || !pp_clock_parse_date(in->start, &y, &m, &d) ||
        !pp_tz_from_local(PP_FINANCE_ZONE, y, m, d, 0, 0, &t))
        pp_error_set(e, PP_EVALIDATION, "startDate", "Date de début attendue (AAAA-MM-JJ).");
    in->r.starts_at = t;
    t = 0;
    if (in->end != NULL && (!pp_clock_parse_date(in->end, &y, &m, &d) ||
                            !pp_tz_from_local(PP_FINANCE_ZONE, y, m, d, 0, 0, &t)))
        pp_error_set(e, PP_EVALIDATION, "endDate", "Date de fin attendue (AAAA-MM-JJ).");
    in->r.ends_at = t;
}

static const struct pp_api_field rule_fields[] = {
    PP_FIELD_ID(struct rule_in, r.offer_id, "offerId", false),
    PP_FIELD_ID(struct rule_in, r.venue_id, "venueId", false),
    PP_FIELD_ID(struct rule_in, r.offerer_id, "offererId", false),
    PP_FIELD_STR(struct rule_in, start, "startDate", true, 10),
    PP_FIELD_STR(struct rule_in, end, "endDate", false, 10),
};
static const struct pp_api_body rule_body = PP_API_BODY(rule_fields, read_rule_extra);

void pp_api_admin_custom_rule_create(struct pp_req *req)
{
    struct rule_in in = {0};
    struct pp_error e;
    if (!pp_api_read(req, &rule_body, &in, &e))
        return;
    int64_t id = 0;
    enum pp_err rc = pp_custom_rule_create(pp_req_db(req), req->user.id, &in.r, pp_clock_now(),
                                           &id, &e);
    if (pp_api_ok(req, rc, &e))
        pp_res_json(req, 201, json_pack("{s:I}", "id", (json_int_t)id));
}
