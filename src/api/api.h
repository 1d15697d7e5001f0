#ifndef PP_API_H
#define PP_API_H

#include "http/request.h"
#include "http/router.h"

/**
 * JSON handlers, thin: parse the body, call the domain, render the answer. Each resource has
 * its file; the route table (routes.c) says who may call what.
 */

/** The API routes, terminated by a route with a NULL method. */
extern const struct pp_route pp_api_routes[];

/* system.c */
void pp_api_healthz(struct pp_req *req);
void pp_api_metrics(struct pp_req *req);
void pp_api_test_clock(struct pp_req *req);
void pp_api_test_jobs(struct pp_req *req);
/** GET /api/test/outbox: every outbox row with its status (tests of the mail issue). */
void pp_api_test_outbox(struct pp_req *req);

/* auth.c */
void pp_api_signup(struct pp_req *req);
void pp_api_login(struct pp_req *req);
void pp_api_logout(struct pp_req *req);
void pp_api_me(struct pp_req *req);

/* offerers.c */
void pp_api_offerer_create(struct pp_req *req);
void pp_api_offerer_list(struct pp_req *req);
void pp_api_admin_offerer_validate(struct pp_req *req);
void pp_api_admin_offerer_reject(struct pp_req *req);
void pp_api_admin_attachment_validate(struct pp_req *req);
void pp_api_admin_attachment_reject(struct pp_req *req);

/* venues.c */
void pp_api_venue_create(struct pp_req *req);
void pp_api_venue_list(struct pp_req *req);
void pp_api_venue_get(struct pp_req *req);
void pp_api_venue_update(struct pp_req *req);

/* offers.c */
void pp_api_categories(struct pp_req *req);
void pp_api_offer_create(struct pp_req *req);
void pp_api_offer_list(struct pp_req *req);
void pp_api_offer_get(struct pp_req *req);
void pp_api_offer_update(struct pp_req *req);
void pp_api_offer_publish(struct pp_req *req);
void pp_api_price_category_create(struct pp_req *req);
void pp_api_stock_create(struct pp_req *req);
void pp_api_stock_recurrence(struct pp_req *req);
void pp_api_activation_codes(struct pp_req *req);
void pp_api_stock_update(struct pp_req *req);
void pp_api_stock_delete(struct pp_req *req);
void pp_api_admin_offer_approve(struct pp_req *req);
void pp_api_admin_offer_reject(struct pp_req *req);

/* bookings.c */
void pp_api_admin_beneficiary_create(struct pp_req *req);
void pp_api_wallet(struct pp_req *req);
void pp_api_search_offers(struct pp_req *req);
void pp_api_booking_create(struct pp_req *req);
void pp_api_my_bookings(struct pp_req *req);
void pp_api_booking_cancel(struct pp_req *req);
void pp_api_pro_booking_cancel(struct pp_req *req);

/* pro_bookings.c */
void pp_api_pro_bookings(struct pp_req *req);
void pp_api_pro_bookings_export(struct pp_req *req);

/* guichet.c */
void pp_api_pro_token_get(struct pp_req *req);
void pp_api_pro_token_use(struct pp_req *req);
void pp_api_pro_token_unuse(struct pp_req *req);
void pp_api_public_token_get(struct pp_req *req);
void pp_api_public_token_use(struct pp_req *req);
void pp_api_public_token_keep(struct pp_req *req);
void pp_api_public_token_cancel(struct pp_req *req);
void pp_api_api_key_create(struct pp_req *req);
void pp_api_api_key_list(struct pp_req *req);
void pp_api_api_key_revoke(struct pp_req *req);

/** Answers a domain error: validation errors with their fields, the rest generic. */
void pp_api_fail(struct pp_req *req, enum pp_err code, const struct pp_error *e);

/** Starts a session for @account_id: sets the cookie. Shared by the API and the portal. */
enum pp_err pp_api_start_session(struct pp_req *req, int64_t account_id);

/** Ends the caller's session, if any, and clears the cookie. */
void pp_api_end_session(struct pp_req *req);

#endif
