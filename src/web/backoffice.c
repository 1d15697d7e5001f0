/*
 * /backoffice: structures, attachment requests and offers waiting for a decision; beneficiary
 * accounts (POST /backoffice/beneficiaires → pp_beneficiary_create); the last entries of the
 * audit log (pp_audit_list).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/categories.h"
#include "core/clock.h"
#include "core/money.h"
#include "core/tz.h"
#include "domain/account.h"
#include "domain/audit.h"
#include "domain/beneficiary.h"
#include "domain/offer.h"
#include "domain/offerer.h"
#include "core/input.h"
#include "web/view.h"
#include "web/web.h"

#define BACKOFFICE_LIST_MAX 200
#define AUDIT_SHOWN 50 /* last entries of the audit log */

#ifndef PP_MONEY_LEN
#define PP_MONEY_LEN 80 /* any formatted amount fits */
#endif

static const char *paris_date(struct pp_req *req, int64_t t)
{
    /* Europe/Paris display; localtime_r honours TZ, set once at start-up. */
    time_t tt = (time_t)t;
    struct tm tm;
    localtime_r(&tt, &tm);
    char buf[32];
    strftime(buf, sizeof buf, "%d/%m/%Y %H:%M", &tm);
    return pp_arena_strdup(req->arena, buf);
}

/* "Réservation n° 12", "Offre n° 3"... */
static const char *object_label(struct pp_req *req, const char *type, int64_t id)
{
    static const struct pp_view_wording types[] = {
        {"booking", "Réservation"}, {"offer", "Offre"},
        {"offerer", "Structure"},   {"account", "Compte"},
        {"stock", "Stock"},         {"user_offerer", "Rattachement"},
        {"venue", "Lieu"},
    };
    const char *label = pp_view_label(types, PP_VIEW_COUNT(types), type, type);
    return pp_arena_printf(req->arena, "%s n° %lld", label ? label : "?", (long long)id);
}

/* Who wrote an entry: the account's email, "automatique" for jobs. */
static const char *audit_who(const struct pp_audit_entry *e)
{
    if (e->account_email != NULL)
        return e->account_email;
    if (e->channel != NULL && strcmp(e->channel, PP_CHANNEL_API) == 0)
        return "clé d'API";
    if (e->channel != NULL && strcmp(e->channel, PP_CHANNEL_BACKOFFICE) == 0)
        return "back office";
    return "automatique";
}

/* The last AUDIT_SHOWN entries of the audit log, newest first; NULL on a database failure. */
static json_t *audit_json(struct pp_req *req)
{
    struct pp_audit_entry *items;
    size_t n;
    if (pp_audit_list(pp_req_db(req), req->arena, NULL, 0, AUDIT_SHOWN, &items, &n) != PP_OK)
        return NULL;
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++) {
        char when[24];
        pp_tz_format_fr("Europe/Paris", items[i].at, when);
        const char *action, *detail;
        pp_web_audit_describe(req->arena, &items[i], &action, &detail);
        json_t *j = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)items[i].id,
                              "date", when, "who", audit_who(&items[i]), "channel",
                              pp_web_audit_channel(items[i].channel), "action", action,
                              "object",
                              object_label(req, items[i].object_type, items[i].object_id));
        pp_view_set_str(j, "detail", detail);
        json_array_append_new(list, j);
    }
    return list;
}

/* The confirmation of the beneficiary account @id just created: whose, and the credit. */
static json_t *created_json(struct pp_req *req, int64_t id)
{
    struct pp_db *db = pp_req_db(req);
    struct pp_user u;
    struct pp_wallet w;
    if (id == 0 || pp_account_get(db, req->arena, id, &u) != PP_OK ||
        pp_wallet_refresh(db, id, pp_clock_now(), &w) != PP_OK)
        return json_null();
    char amount[PP_MONEY_LEN];
    pp_money_format(w.amount_cents, amount);
    struct pp_local exp;
    pp_tz_to_local("Europe/Paris", w.expires_at, &exp);
    return json_pack("{s:s, s:s, s:s}", "name",
                     pp_arena_printf(req->arena, "%s %s", u.first_name, u.last_name), "email",
                     u.email, "credit",
                     pp_arena_printf(req->arena, "Crédit attribué : %s%s, valable jusqu'au "
                                                 "%02d/%02d/%04d.",
                                     amount,
                                     w.free_only ? " (offres gratuites uniquement)" : "",
                                     exp.day, exp.month, exp.year));
}

/*
 * The back office page; @values and @errors (owned by the request, may be NULL) refill the
 * beneficiary form after a refusal.
 */
static void backoffice_page(struct pp_req *req, int status, json_t *values, json_t *errors)
{
    struct pp_db *db = pp_req_db(req);
    struct pp_offerer *offerers;
    struct pp_attachment *attachments;
    size_t no, na;
    if (pp_offerer_list_by_status(db, req->arena, "NEW", BACKOFFICE_LIST_MAX, &offerers, &no) !=
            PP_OK ||
        pp_attachment_list_by_status(db, req->arena, "NEW", BACKOFFICE_LIST_MAX, &attachments,
                                     &na) != PP_OK) {
        pp_web_page_error(req, 500, NULL);
        return;
    }
    json_t *jo = pp_req_own(req, json_array());
    for (size_t i = 0; i < no; i++)
        json_array_append_new(
            jo, json_pack("{s:I, s:s, s:s, s:s?, s:s?, s:b, s:s}", "id", (json_int_t)offerers[i].id,
                          "name", offerers[i].name, "siren", offerers[i].siren, "postalCode",
                          offerers[i].postal_code, "city", offerers[i].city, "isLocalAuthority",
                          offerers[i].is_local_authority, "date",
                          paris_date(req, offerers[i].created_at)));
    json_t *ja = pp_req_own(req, json_array());
    for (size_t i = 0; i < na; i++)
        json_array_append_new(
            ja, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)attachments[i].id,
                          "accountName", attachments[i].account_name, "accountEmail",
                          attachments[i].account_email, "offererName",
                          attachments[i].offerer_name, "siren", attachments[i].siren, "date",
                          paris_date(req, attachments[i].created_at)));
    struct pp_offer *offers;
    size_t nof;
    json_t *audit = NULL;
    if (pp_offer_list_pending(db, req->arena, BACKOFFICE_LIST_MAX, &offers, &nof) != PP_OK ||
        (audit = audit_json(req)) == NULL) {
        pp_web_page_error(req, 500, NULL);
        return;
    }
    json_t *jf = json_array();
    for (size_t i = 0; i < nof; i++) {
        const struct pp_subcategory *sub = pp_subcategory_find(offers[i].subcategory_id);
        json_array_append_new(
            jf, json_pack("{s:I, s:s, s:s, s:s, s:s?, s:I, s:s}", "id", (json_int_t)offers[i].id,
                          "name", offers[i].name, "venueName", offers[i].venue_name,
                          "subcategoryLabel", sub ? sub->pro_label : offers[i].subcategory_id,
                          "description", offers[i].description, "stockCount",
                          (json_int_t)offers[i].stock_count, "date",
                          paris_date(req, offers[i].created_at)));
    }
    const char *done = pp_req_query(req, "fait");
    json_t *data = json_pack("{s:O, s:O, s:o, s:b, s:o, s:o, s:o}", "offerers", jo,
                             "attachments", ja, "offers", jf, "done", done != NULL, "audit",
                             audit, "values", pp_view_ref(values), "errors", pp_view_ref(errors));
    json_object_set_new(data, "created",
                        status == 200
                            ? created_json(req, pp_input_id(pp_req_query(req, "beneficiaire")))
                                      : json_null());
    pp_web_render(req, status, "backoffice.html", "Back office", data);
}

void pp_web_backoffice(struct pp_req *req)
{
    backoffice_page(req, 200, NULL, NULL);
}

/* "2007-06-01" as sent by a date field, or "01/06/2007" typed where there is none. */
static const char *birth_date_field(struct pp_req *req)
{
    char iso[11];
    const char *s = pp_input_day_iso(pp_web_field(req, "birthDate"), iso);
    return s == iso ? pp_arena_strdup(req->arena, iso) : s;
}

/* The beneficiary form's text fields (password and birth date are read apart). */
static const struct pp_web_input beneficiary_inputs[] = {
    PP_WEB_INPUT(struct pp_beneficiary_new, email, "email"),
    PP_WEB_INPUT(struct pp_beneficiary_new, first_name, "firstName"),
    PP_WEB_INPUT(struct pp_beneficiary_new, last_name, "lastName"),
    PP_WEB_INPUT(struct pp_beneficiary_new, postal_code, "postalCode"),
    PP_WEB_INPUT(struct pp_beneficiary_new, phone, "phone"),
};

void pp_web_backoffice_beneficiary_create(struct pp_req *req)
{
    struct pp_beneficiary_new in = {
        .password = pp_req_form(req, "password"),
        .birth_date = birth_date_field(req),
        .social_bonus = pp_req_form(req, "socialBonus") != NULL,
    };
    pp_web_read_form(req, beneficiary_inputs, PP_VIEW_COUNT(beneficiary_inputs), &in);
    struct pp_error e;
    pp_error_init(&e);
    if (in.password != NULL && *in.password == '\0')
        in.password = NULL;
    int64_t id = 0;
    struct pp_wallet w;
    enum pp_err rc = pp_beneficiary_create(pp_req_db(req), req->arena, req->user.id, &in, &id, &w,
                                           &e);
    if (pp_view_fatal(req, rc))
        return;
    if (rc != PP_OK) {
        json_t *errors = pp_view_errors_or(&e, "Le compte n'a pas pu être créé.");
        backoffice_page(req, pp_err_status(rc),
                        pp_req_own(req, json_pack("{s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:b}",
                                                  "email", in.email,
                                  "firstName", in.first_name, "lastName", in.last_name,
                                  "birthDate", in.birth_date, "postalCode", in.postal_code,
                                  "phone", in.phone, "socialBonus", in.social_bonus)),
                        pp_req_own(req, errors));
        return;
    }
    pp_res_redirect(req, pp_arena_printf(req->arena, "/backoffice?beneficiaire=%lld#beneficiaire",
                                         (long long)id));
}

/* {decision} is "valider" or "rejeter"; anything else is an unknown page. */
static int decision_of(struct pp_req *req)
{
    if (req->nparams < 2)
        return -1;
    if (strcmp(req->params[1], "valider") == 0)
        return 1;
    if (strcmp(req->params[1], "rejeter") == 0)
        return 0;
    return -1;
}

/* A decision of the back office on a structure, an attachment or an offer. */
typedef enum pp_err (*decide_fn)(struct pp_db *db, int64_t admin_id, int64_t id, bool yes,
                                 const char **status);

/* Applies @fn to the {id} of the path; @conflict is said when the decision came too late. */
static void decide(struct pp_req *req, decide_fn fn, const char *conflict)
{
    int d = decision_of(req);
    const char *status;
    enum pp_err rc = d < 0 ? PP_ENOTFOUND
                           : fn(pp_req_db(req), req->user.id, pp_req_param_id(req, 0), d == 1,
                                &status);
    pp_view_done(req, rc, conflict, "/backoffice?fait=1");
}

void pp_web_backoffice_offerer_decide(struct pp_req *req)
{
    decide(req, pp_offerer_decide, NULL);
}

void pp_web_backoffice_attachment_decide(struct pp_req *req)
{
    decide(req, pp_attachment_decide, NULL);
}

void pp_web_backoffice_offer_decide(struct pp_req *req)
{
    decide(req, pp_offer_moderate, "Cette offre n'est plus en attente de validation.");
}
