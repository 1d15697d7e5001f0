#ifndef PP_WEB_OFFER_PAGE_H
#define PP_WEB_OFFER_PAGE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "domain/offer.h"
#include "domain/price_category.h"
#include "domain/stock.h"
#include "domain/venue.h"
#include "http/request.h"

/**
 * What the pages of the offer wizard share (offer_list_page.c, offer_details_page.c,
 * offer_tariffs_page.c, offer_dates_page.c, offer_stock_page.c, offer_summary_page.c): the
 * caller's venues, the offer of the path checked to be theirs, the offer as every page shows
 * it and the DSFR stepper of the creation.
 */

/** Venues of every structure where the caller's attachment is validated, in the arena. */
enum pp_err pp_offer_page_my_venues(struct pp_req *req, struct pp_venue **out, size_t *count);

/** The venues as <select> options ({id, label, selected}), @selected marked. */
json_t *pp_offer_page_venue_options(const struct pp_venue *v, size_t n, int64_t selected);

/**
 * The offer of the path, checked to be the caller's (pp_authz_offer: 404 otherwise, never
 * revealing that it exists). False after answering with the error page.
 */
bool pp_offer_page_load(struct pp_req *req, struct pp_offer *o);

/** As pp_offer_page_load(), for an event; a thing's offer is redirected to its stock page. */
bool pp_offer_page_load_event(struct pp_req *req, struct pp_offer *o);

/** As pp_offer_page_load(), for a thing; an event's offer is redirected to its dates page. */
bool pp_offer_page_load_thing(struct pp_req *req, struct pp_offer *o);

/** True when the offer's subcategory is an event (it has dates). */
bool pp_offer_page_is_event(const struct pp_offer *o);

/** True for a draft (DRAFT validation). */
bool pp_offer_page_is_draft(const struct pp_offer *o);

/** True while its details may change: a draft or an approved offer. */
bool pp_offer_page_is_editable(const struct pp_offer *o);

/** "/offres/{id}" followed by @tail ("", "/stock", "?info=stock"...), in the arena. */
const char *pp_offer_page_path(struct pp_req *req, const struct pp_offer *o, const char *tail);

/** What every page about one offer shows: its name, status, kind, what may be edited. */
json_t *pp_offer_page_json(const struct pp_offer *o);

/**
 * The wizard's DSFR stepper while @o is a draft (@o NULL: an offer being created, an event
 * until its subcategory is known): events go through Informations, Tarifs, Dates,
 * Récapitulatif; things through Informations, Stock et prix, Récapitulatif. @step is 1-based;
 * json null once the offer is published.
 */
json_t *pp_offer_page_stepper(const struct pp_offer *o, int step);

/** An offer's tariffs, its stocks and its venue, as the dates and summary pages list them. */
struct pp_offer_page_stocks {
    struct pp_price_category *tariffs;
    size_t ntariffs;
    struct pp_stock *stocks;
    size_t nstocks;
    struct pp_venue venue;
};

/** Reads @o's tariffs, stocks and venue into @out (in the request's arena). */
enum pp_err pp_offer_page_stocks(struct pp_req *req, const struct pp_offer *o,
                                 struct pp_offer_page_stocks *out);

/** Moves the error of field @from to @to (domain names → the fields of the page). */
void pp_offer_page_rename_error(json_t *errors, const char *from, const char *to);

/**
 * For a failure no form can show (PP_EDB, PP_EINTERNAL, PP_ENOTFOUND), answers with the
 * error page of its status and returns true.
 */
bool pp_offer_page_stopped(struct pp_req *req, enum pp_err rc);

/**
 * The end of a form post about an offer: a failure no form can show answers with its error
 * page (pp_offer_page_stopped), PP_OK redirects to @location. True when it answered; false for
 * a refusal, which the caller shows on its form again.
 */
bool pp_offer_page_answered(struct pp_req *req, enum pp_err rc, const char *location);

/** A stock's capacity: "Illimité" or the number. */
const char *pp_offer_page_quantity(struct pp_req *req, int64_t q);

/**
 * The capacity typed in the form (field "quantity", box "unlimited"): a number of places or
 * "Illimité", exactly one of the two. Both are copied into @values; -2 with the error in @e
 * when refused, PP_UNLIMITED or the number otherwise.
 */
int64_t pp_offer_page_read_quantity(struct pp_req *req, json_t *values, struct pp_error *e);

#endif
