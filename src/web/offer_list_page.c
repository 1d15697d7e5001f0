/* Pro portal, GET /offres: the caller's offers, filtered by venue and status (SPEC §4, §10). */
#include <string.h>

#include "domain/authz.h"
#include "web/offer_page.h"
#include "web/view.h"
#include "web/web.h"

/* The status filter's options, @selected (NULL: "Tous les statuts") marked. */
static json_t *status_options(const char *selected)
{
    json_t *list = json_array();
    for (size_t i = 0; i < pp_view_offer_status_count; i++) {
        const struct pp_view_code *s = &pp_view_offer_statuses[i];
        json_array_append_new(list, json_pack("{s:s, s:s, s:b}", "code", s->code, "label",
                                              s->label, "selected",
                                              selected && strcmp(selected, s->code) == 0));
    }
    return list;
}

void pp_web_offers(struct pp_req *req)
{
    struct pp_db *db = pp_req_db(req);
    struct pp_venue *venues;
    size_t nv;
    if (pp_view_failed(req, pp_offer_page_my_venues(req, &venues, &nv)))
        return;
    int64_t venue_id = pp_view_field_id(req, "lieu");
    const char *status = pp_req_query(req, "statut");
    if (pp_view_code_find(pp_view_offer_statuses, pp_view_offer_status_count, status) == NULL)
        status = NULL; /* "Tous les statuts", or an unknown code: no filter */
    if (venue_id != 0 && pp_authz_venue(db, &req->user, venue_id, NULL) != PP_OK) {
        pp_web_page_error(req, 404, NULL);
        return;
    }
    struct pp_offer *offers;
    size_t n;
    if (pp_view_failed(req, pp_offer_list(db, req->arena, req->user.id, venue_id, status,
                                          &offers, &n)))
        return;
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, pp_offer_page_json(&offers[i]));
    pp_web_render(req, 200, "offer_list.html", "Offres",
                  json_pack("{s:o, s:o, s:o, s:b, s:b}", "offers", list, "venues",
                            pp_offer_page_venue_options(venues, nv, venue_id), "statuses",
                            status_options(status), "filtered", venue_id != 0 || status != NULL,
                            "hasVenues", nv > 0));
}
