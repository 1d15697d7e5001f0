/* Pro portal, GET /offres: the caller's offers, filtered by venue and status (SPEC §4, §10). */
#include <string.h>

#include "domain/authz.h"
#include "web/offer_page.h"
#include "web/view.h"
#include "web/web.h"

/* The two filters, as templates/field.html draws them. */
static const struct pp_view_field filters[] = {
    {"lieu", "Lieu", NULL, NULL, "Tous les lieux", "fr-col-12 fr-col-md-4"},
    {"statut", "Statut", NULL, NULL, "Tous les statuts", "fr-col-12 fr-col-md-4"},
};

/* The filters with their options: the caller's venues and the statuses, @venue_id and @status
 * (0 and NULL: all of them) selected. */
static json_t *filter_fields(struct pp_req *req, const struct pp_venue *v, size_t nv,
                             int64_t venue_id, const char *status)
{
    json_t *venues = json_array(), *statuses = json_array();
    for (size_t i = 0; i < nv; i++)
        json_array_append_new(venues,
                              pp_view_option(pp_arena_printf(req->arena, "%lld", (long long)v[i].id),
                                             pp_view_venue_label(&v[i]), v[i].id == venue_id));
    for (size_t i = 0; i < pp_view_offer_status_count; i++) {
        const struct pp_view_code *s = &pp_view_offer_statuses[i];
        json_array_append_new(statuses, pp_view_option(s->code, s->label,
                                                       status && strcmp(status, s->code) == 0));
    }
    return json_pack("[o, o]", pp_view_field_json(&filters[0], NULL, venues, NULL),
                     pp_view_field_json(&filters[1], NULL, statuses, NULL));
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
                  json_pack("{s:o, s:o, s:b, s:b}", "offers", list, "fields",
                            filter_fields(req, venues, nv, venue_id, status), "filtered",
                            venue_id != 0 || status != NULL, "hasVenues", nv > 0));
}
