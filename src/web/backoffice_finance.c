/*
 * /backoffice/finance: bank accounts to accept or refuse, a reimbursement run on demand, the
 * last invoices, incidents (overpayments taken back) and custom rules ("barèmes
 * dérogatoires"). Every action goes through the same domain functions as the API.
 */
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/iban.h"
#include "core/input.h"
#include "core/money.h"
#include "core/tz.h"
#include "domain/bank_account.h"
#include "domain/custom_rule.h"
#include "domain/finance_event.h"
#include "domain/finance_incident.h"
#include "domain/finance_run.h"
#include "domain/invoice.h"
#include "export/justificatif.h"
#include "web/view.h"
#include "web/web.h"

#define INVOICES_SHOWN 30

static json_t *drafts_json(struct pp_req *req, enum pp_err *rc)
{
    struct pp_bank_account *a = NULL;
    size_t n = 0;
    *rc = pp_bank_account_list(pp_req_db(req), req->arena, 0, "DRAFT", &a, &n);
    json_t *list = pp_req_own(req, json_array());
    for (size_t i = 0; i < n; i++) {
        char iban[PP_IBAN_SHOWN];
        pp_iban_group(a[i].iban, iban);
        json_array_append_new(
            list, json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)a[i].id, "offerer",
                            a[i].offerer_name, "label", a[i].label, "iban", iban, "date",
                            pp_view_date(req, PP_FINANCE_ZONE, a[i].created_at)));
    }
    return list;
}

static const char *rule_target(struct pp_req *req, const struct pp_custom_rule *r)
{
    if (r->offer_id)
        return pp_arena_printf(req->arena, "Offre n° %lld", (long long)r->offer_id);
    if (r->venue_id)
        return pp_arena_printf(req->arena, "Lieu n° %lld", (long long)r->venue_id);
    return pp_arena_printf(req->arena, "Structure n° %lld", (long long)r->offerer_id);
}

static json_t *rules_json(struct pp_req *req, enum pp_err *rc)
{
    struct pp_custom_rule *r = NULL;
    size_t n = 0;
    *rc = pp_custom_rule_list(pp_req_db(req), req->arena, &r, &n);
    json_t *list = pp_req_own(req, json_array());
    for (size_t i = 0; i < n; i++) {
        const char *what = r[i].rate_bp >= 0
                               ? pp_arena_printf(req->arena, "%d,%02d %%", r[i].rate_bp / 100,
                                                 r[i].rate_bp % 100)
                               : pp_arena_printf(req->arena, "%s par place",
                                                 pp_view_amount(req, r[i].amount_cents));
        json_array_append_new(
            list, json_pack("{s:I, s:s, s:s, s:s?, s:s, s:s?}", "id", (json_int_t)r[i].id,
                            "target", rule_target(req, &r[i]), "what", what, "subcategories",
                            r[i].subcategories, "start",
                            pp_view_date(req, PP_FINANCE_ZONE, r[i].starts_at), "end",
                            pp_view_date(req, PP_FINANCE_ZONE, r[i].ends_at)));
    }
    return list;
}

static void finance_page(struct pp_req *req, int status, json_t *values, const struct pp_error *e,
                         const char *done)
{
    enum pp_err rc;
    json_t *drafts = drafts_json(req, &rc);
    struct pp_invoice_filter all = {0};
    json_t *invoices = rc == PP_OK ? pp_web_invoice_rows(req, &all, INVOICES_SHOWN, &rc) : NULL;
    json_t *rules = rc == PP_OK ? rules_json(req, &rc) : NULL;
    if (pp_view_failed(req, rc))
        return;
    pp_web_render(req, status, "backoffice_finance.html", "Finances",
                  json_pack("{s:O, s:O, s:O, s:o, s:o, s:s?, s:s?, s:b}", "drafts", drafts,
                            "invoices", invoices, "rules", rules, "values", pp_view_ref(values),
                            "errors", pp_web_errors(e), "done", done, "nextRun",
                            pp_view_date(req, PP_FINANCE_ZONE,
                                         pp_finance_next_cutoff(pp_clock_now())),
                            "navFinance", 1));
}

void pp_web_backoffice_finance(struct pp_req *req)
{
    const char *done = pp_req_query(req, "fait");
    static const struct pp_view_wording messages[] = {
        {"compte", "La décision sur le compte bancaire est enregistrée."},
        {"virement", "Le virement est fait : les justificatifs sont disponibles."},
        {"incident", "L'incident est enregistré : il sera déduit du prochain virement."},
        {"bareme", "Le barème dérogatoire est enregistré."},
    };
    finance_page(req, 200, NULL, NULL,
                 done ? pp_view_label(messages, PP_VIEW_COUNT(messages), done, NULL) : NULL);
}

void pp_web_backoffice_account_decide(struct pp_req *req)
{
    const char *d = req->nparams > 1 ? req->params[1] : "";
    bool accept = strcmp(d, "accepter") == 0;
    enum pp_err rc = accept || strcmp(d, "refuser") == 0
                         ? pp_bank_account_decide(pp_req_db(req), req->user.id,
                                                  pp_req_param_id(req, 0), accept)
                         : PP_ENOTFOUND;
    pp_view_done(req, rc, "Ce compte bancaire a déjà été accepté ou refusé.",
                 "/backoffice/finance?fait=compte");
}

/* After a form refused by the domain: the page again with the values and the errors. */
static void refused(struct pp_req *req, enum pp_err rc, const struct pp_error *e)
{
    if (!pp_view_fatal(req, rc))
        finance_page(req, pp_err_status(rc), pp_view_form_values(req), e, NULL);
}

void pp_web_backoffice_run(struct pp_req *req)
{
    struct pp_error e;
    pp_error_init(&e);
    int64_t cutoff = pp_clock_now();
    const char *day = pp_web_field(req, "cutoff");
    int y, m, d;
    if (day != NULL && (!pp_input_day(day, &y, &m, &d) ||
                        !pp_tz_from_local(PP_FINANCE_ZONE, y, m, d, 0, 0, &cutoff))) {
        pp_error_set(&e, PP_EVALIDATION, "cutoff", "Date de coupure attendue (JJ/MM/AAAA).");
        refused(req, PP_EVALIDATION, &e);
        return;
    }
    struct pp_finance_run run;
    enum pp_err rc = pp_finance_run(pp_req_db(req), req->arena, req->user.id, cutoff, &run, &e);
    if (rc != PP_OK) {
        refused(req, rc, &e);
        return;
    }
    pp_justificatif_render_pending(pp_req_db(req)); /* else drawn on first download */
    pp_res_redirect(req, "/backoffice/finance?fait=virement");
}

void pp_web_backoffice_incident(struct pp_req *req)
{
    struct pp_error e;
    pp_error_init(&e);
    int64_t booking = pp_view_field_id(req, "bookingId"), amount = 0;
    const char *typed = pp_web_field(req, "amount");
    if (typed != NULL && !pp_money_parse(typed, &amount))
        pp_error_set(&e, PP_EVALIDATION, "amountCents", "Montant attendu en euros (ex. 12,50).");
    int64_t id;
    enum pp_err rc = e.count ? PP_EVALIDATION
                             : pp_finance_incident_create(pp_req_db(req), req->user.id, booking,
                                                          pp_web_field(req, "reason"), amount, &id,
                                                          &e);
    if (rc == PP_ENOTFOUND)
        rc = pp_error_set(&e, PP_EVALIDATION, "bookingId", "Aucune réservation n'a ce numéro.");
    if (rc != PP_OK) {
        refused(req, rc, &e);
        return;
    }
    pp_res_redirect(req, "/backoffice/finance?fait=incident");
}

/* 00:00 in Paris of the day typed in form field @key (0 when empty); false when malformed. */
static bool form_day(struct pp_req *req, const char *key, int64_t *out, struct pp_error *e)
{
    const char *s = pp_web_field(req, key);
    int y, m, d;
    *out = 0;
    if (s == NULL)
        return true;
    if (pp_input_day(s, &y, &m, &d) && pp_tz_from_local(PP_FINANCE_ZONE, y, m, d, 0, 0, out))
        return true;
    pp_error_set(e, PP_EVALIDATION, key, "Date attendue (JJ/MM/AAAA).");
    return false;
}

void pp_web_backoffice_rule(struct pp_req *req)
{
    struct pp_error e;
    pp_error_init(&e);
    struct pp_custom_rule_input in = {.rate_bp = -1, .amount_cents = -1};
    const char *target = pp_web_field(req, "target");
    int64_t id = pp_view_field_id(req, "targetId");
    if (target != NULL && strcmp(target, "offer") == 0)
        in.offer_id = id;
    else if (target != NULL && strcmp(target, "venue") == 0)
        in.venue_id = id;
    else
        in.offerer_id = id;
    const char *rate = pp_web_field(req, "rate"), *amount = pp_web_field(req, "amount");
    int64_t cents;
    if (rate != NULL && pp_money_parse(rate, &cents) && cents <= 10000)
        in.rate_bp = (int)cents; /* "92,5" read as money is 9250 hundredths: basis points */
    else if (rate != NULL)
        pp_error_set(&e, PP_EVALIDATION, "rate", "Taux attendu en pourcentage (ex. 92,5).");
    if (amount != NULL && pp_money_parse(amount, &cents))
        in.amount_cents = cents;
    else if (amount != NULL)
        pp_error_set(&e, PP_EVALIDATION, "amount", "Montant attendu en euros (ex. 5,00).");
    in.subcategories = pp_web_field(req, "subcategories");
    form_day(req, "startDate", &in.starts_at, &e);
    form_day(req, "endDate", &in.ends_at, &e);
    int64_t rule_id;
    enum pp_err rc = e.count ? PP_EVALIDATION
                             : pp_custom_rule_create(pp_req_db(req), req->user.id, &in,
                                                     pp_clock_now(), &rule_id, &e);
    if (rc != PP_OK) {
        refused(req, rc, &e);
        return;
    }
    pp_res_redirect(req, "/backoffice/finance?fait=bareme");
}
