#ifndef PP_WEB_H
#define PP_WEB_H

#include <jansson.h>
#include <stddef.h>

#include "core/error.h"
#include "http/request.h"
#include "http/router.h"

/**
 * Server-rendered portal pages (pro, back office, beneficiaries), in French with the
 * DSFR look. Every page works without JavaScript; every form carries the CSRF token.
 */

/** The portal's routes, terminated by a route with a NULL method. */
extern const struct pp_route pp_web_routes[];

/** HTML error page with @status and @message (NULL: a generic message for the status). */
void pp_web_page_error(struct pp_req *req, int status, const char *message);

/**
 * Renders template @name with @data (stolen) plus what every page needs (the user, the CSRF
 * token, the page title @title) as the response with @status.
 */
void pp_web_render(struct pp_req *req, int status, const char *name, const char *title,
                   json_t *data);

/** {field: message} of @e, for templates that show errors next to their fields. */
json_t *pp_web_errors(const struct pp_error *e);

/** Trimmed form field, NULL when absent or blank; copied into the request arena. */
const char *pp_web_field(struct pp_req *req, const char *key);

/** A text field of a form or query string and the `const char *` member it fills. */
struct pp_web_input {
    const char *key;
    size_t offset;
};

/** One pp_web_input: member @member of struct @type takes parameter @key. */
#define PP_WEB_INPUT(type, member, key) {(key), offsetof(type, member)}

/**
 * Fills the `const char *` members of @dst named by the @n entries of @fields with
 * pp_web_field (trimmed, NULL when blank); other members are left as they are.
 */
void pp_web_read_form(struct pp_req *req, const struct pp_web_input *fields, size_t n,
                      void *dst);

/** As pp_web_read_form, from the query string, values as sent (pp_req_query). */
void pp_web_read_query(struct pp_req *req, const struct pp_web_input *fields, size_t n,
                       void *dst);

/* Handlers */
void pp_web_root(struct pp_req *req);
void pp_web_login_form(struct pp_req *req);
void pp_web_login(struct pp_req *req);
void pp_web_signup_form(struct pp_req *req);
void pp_web_signup(struct pp_req *req);
void pp_web_logout(struct pp_req *req);
void pp_web_logout_all(struct pp_req *req);
void pp_web_password_forgot_form(struct pp_req *req);
void pp_web_password_forgot(struct pp_req *req);
void pp_web_password_new_form(struct pp_req *req);
void pp_web_password_new(struct pp_req *req);
void pp_web_account(struct pp_req *req);
void pp_web_account_password(struct pp_req *req);
void pp_web_home(struct pp_req *req);
void pp_web_offerer_form(struct pp_req *req);
void pp_web_offerer_create(struct pp_req *req);
void pp_web_venue_new_form(struct pp_req *req);
void pp_web_venue_create(struct pp_req *req);
void pp_web_venue_page(struct pp_req *req);
void pp_web_venue_update(struct pp_req *req);
void pp_web_backoffice(struct pp_req *req);
void pp_web_backoffice_finance(struct pp_req *req);
void pp_web_backoffice_account_decide(struct pp_req *req);
void pp_web_backoffice_run(struct pp_req *req);
void pp_web_backoffice_incident(struct pp_req *req);
void pp_web_backoffice_rule(struct pp_req *req);
void pp_web_finance(struct pp_req *req);
void pp_web_finance_account_add(struct pp_req *req);
void pp_web_finance_account_venues(struct pp_req *req);
void pp_web_finance_pricing_point(struct pp_req *req);
struct pp_offerer;
struct pp_invoice_filter;
/** At most @limit invoices matching @f as the invoices table shows them (owned by the
 *  request); *@rc tells a failure. */
json_t *pp_web_invoice_rows(struct pp_req *req, const struct pp_invoice_filter *f, size_t limit,
                            enum pp_err *rc);
/** "Prochain virement" lines of the pro's validated structures (owned by the request); NULL on
 *  a database failure. */
json_t *pp_web_forecast_lines(struct pp_req *req, const struct pp_offerer *offerers, size_t n);
void pp_web_backoffice_offerer_decide(struct pp_req *req);
void pp_web_backoffice_attachment_decide(struct pp_req *req);
void pp_web_backoffice_offer_decide(struct pp_req *req);

/* Offers (offer_*_page.c): list, creation wizard, récapitulatif. */
void pp_web_offers(struct pp_req *req);
void pp_web_offer_new_form(struct pp_req *req);
void pp_web_offer_create(struct pp_req *req);
void pp_web_offer_page(struct pp_req *req);
void pp_web_offer_edit_form(struct pp_req *req);
void pp_web_offer_edit(struct pp_req *req);
void pp_web_offer_tariffs(struct pp_req *req);
void pp_web_offer_tariff_add(struct pp_req *req);
void pp_web_offer_dates(struct pp_req *req);
void pp_web_offer_dates_add(struct pp_req *req);
void pp_web_offer_date_delete(struct pp_req *req);
void pp_web_offer_stock(struct pp_req *req);
void pp_web_offer_stock_save(struct pp_req *req);
void pp_web_offer_publish(struct pp_req *req);
void pp_web_offer_activation(struct pp_req *req);

/* Collective offers (collective_page.c, backoffice_collective.c). */
void pp_web_collective(struct pp_req *req);
void pp_web_collective_apply(struct pp_req *req);
void pp_web_collective_offer_create(struct pp_req *req);
void pp_web_collective_stock(struct pp_req *req);
void pp_web_collective_cancel(struct pp_req *req);
void pp_web_backoffice_collective(struct pp_req *req);
void pp_web_backoffice_adage_decide(struct pp_req *req);
void pp_web_backoffice_institution(struct pp_req *req);
void pp_web_backoffice_institution_import(struct pp_req *req);
void pp_web_backoffice_policy(struct pp_req *req);
void pp_web_backoffice_adage_key(struct pp_req *req);
void pp_web_backoffice_adage_key_revoke(struct pp_req *req);

/* Beneficiaries (app_pages.c): credit and search, an offer and its booking, my bookings. */
void pp_web_app_home(struct pp_req *req);
void pp_web_app_offer(struct pp_req *req);
void pp_web_app_book(struct pp_req *req);
void pp_web_app_bookings(struct pp_req *req);
void pp_web_app_booking_cancel(struct pp_req *req);

/* The counter (guichet_page.c): look up, validate and invalidate a countermark. */
void pp_web_guichet(struct pp_req *req);
void pp_web_guichet_use(struct pp_req *req);
void pp_web_guichet_keep(struct pp_req *req);

/* Back office (backoffice.c): beneficiary accounts. */
void pp_web_backoffice_beneficiary_create(struct pp_req *req);

struct pp_audit_entry;

/**
 * An audit-log entry in French words: *action ("Contremarque validée", "Réservation annulée
 * (par le bénéficiaire)"; the code itself when it has no label) and *detail (what else the
 * entry says: "SIREN ...", "clé ...", or NULL). Strings in @arena.
 */
void pp_web_audit_describe(struct pp_arena *arena, const struct pp_audit_entry *e,
                           const char **action, const char **detail);

/** French label of an audit-log channel ("PORTAL" → "Portail"). */
const char *pp_web_audit_channel(const char *channel);

/* Bookings (bookings_page.c): /reservations, an offer's bookings, and the home page's share. */
void pp_web_bookings(struct pp_req *req);
void pp_web_offer_bookings(struct pp_req *req);

struct pp_pro_booking;

/** Table rows of the @n bookings @items as pages show them (status badge, history...). */
json_t *pp_web_booking_rows(struct pp_req *req, const struct pp_pro_booking *items, size_t n,
                            int64_t now);

/** The caller's @count latest bookings of the last 30 days as rows; NULL on a failure. */
json_t *pp_web_last_bookings(struct pp_req *req, int count);

/**
 * Data of the home page's chart of bookings per day over the last 30 days (bars, axis ticks,
 * the days and a French summary sentence); NULL on a database failure.
 */
json_t *pp_web_bookings_chart(struct pp_req *req);

/* Back office, emails (outbox_page.c): the outbox, and "Renvoyer" for a failed email. */
void pp_web_backoffice_emails(struct pp_req *req);
void pp_web_backoffice_email_resend(struct pp_req *req);

#endif
