/* /backoffice: structures, attachment requests and offers waiting for a decision. */
#include <string.h>
#include <time.h>

#include "core/categories.h"
#include "domain/offer.h"
#include "domain/offerer.h"
#include "web/web.h"

#define BACKOFFICE_LIST_MAX 200

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

void pp_web_backoffice(struct pp_req *req)
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
    json_t *jo = json_array();
    for (size_t i = 0; i < no; i++)
        json_array_append_new(
            jo, json_pack("{s:I, s:s, s:s, s:s?, s:s?, s:b, s:s}", "id", (json_int_t)offerers[i].id,
                          "name", offerers[i].name, "siren", offerers[i].siren, "postalCode",
                          offerers[i].postal_code, "city", offerers[i].city, "isLocalAuthority",
                          offerers[i].is_local_authority, "date",
                          paris_date(req, offerers[i].created_at)));
    json_t *ja = json_array();
    for (size_t i = 0; i < na; i++)
        json_array_append_new(
            ja, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)attachments[i].id,
                          "accountName", attachments[i].account_name, "accountEmail",
                          attachments[i].account_email, "offererName",
                          attachments[i].offerer_name, "siren", attachments[i].siren, "date",
                          paris_date(req, attachments[i].created_at)));
    struct pp_offer *offers;
    size_t nof;
    if (pp_offer_list_pending(db, req->arena, BACKOFFICE_LIST_MAX, &offers, &nof) != PP_OK) {
        json_decref(jo);
        json_decref(ja);
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
    pp_web_render(req, 200, "backoffice.html", "Back office",
                  json_pack("{s:o, s:o, s:o, s:b}", "offerers", jo, "attachments", ja, "offers",
                            jf, "done", done != NULL));
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

void pp_web_backoffice_offerer_decide(struct pp_req *req)
{
    int d = decision_of(req);
    const char *status;
    enum pp_err rc = d < 0 ? PP_ENOTFOUND
                           : pp_offerer_decide(pp_req_db(req), req->user.id,
                                               pp_req_param_id(req, 0), d == 1, &status);
    if (rc != PP_OK) {
        pp_web_page_error(req, pp_err_status(rc), NULL);
        return;
    }
    pp_res_redirect(req, "/backoffice?fait=1");
}

void pp_web_backoffice_attachment_decide(struct pp_req *req)
{
    int d = decision_of(req);
    const char *status;
    enum pp_err rc = d < 0 ? PP_ENOTFOUND
                           : pp_attachment_decide(pp_req_db(req), req->user.id,
                                                  pp_req_param_id(req, 0), d == 1, &status);
    if (rc != PP_OK) {
        pp_web_page_error(req, pp_err_status(rc), NULL);
        return;
    }
    pp_res_redirect(req, "/backoffice?fait=1");
}

void pp_web_backoffice_offer_decide(struct pp_req *req)
{
    int d = decision_of(req);
    const char *status;
    enum pp_err rc = d < 0 ? PP_ENOTFOUND
                           : pp_offer_moderate(pp_req_db(req), req->user.id,
                                               pp_req_param_id(req, 0), d == 1, &status);
    if (rc == PP_ECONFLICT) {
        pp_web_page_error(req, 409, "Cette offre n'est plus en attente de validation.");
        return;
    }
    if (rc != PP_OK) {
        pp_web_page_error(req, pp_err_status(rc), NULL);
        return;
    }
    pp_res_redirect(req, "/backoffice?fait=1");
}
