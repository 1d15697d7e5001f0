/*
 * The permission matrix of the JSON API: every route of src/api/routes.c (test endpoints aside)
 * called by every kind of caller, with the status each must get. Objects belong to structure S:
 *
 *   member   pro attached VALIDATED to S (its creator)
 *   pending  pro whose request to join S is NEW
 *   other    pro of another structure T
 *   admin    back office
 *   anon     nobody logged in
 *   benef    a beneficiary (18 years old, created by the back office in the setup)
 *   partner  a partner API key (Authorization: Bearer) of structure K, a validated structure of
 *            the other pro: no session, so the session routes answer it as anonymous (401),
 *            the ADAGE routes refuse a key that is not theirs (401), and the partner routes
 *            (/public/...) answer 404 for S's countermarks
 *
 * Objects of S answer 404 to pros who are not validated members (never leak existence).
 * PRO routes answer 403 to an admin (routes.c: PP_ACCESS_PRO); the back office acts through
 * the /admin routes. Beneficiaries reach only their own routes (wallet, bookings) and the
 * routes open to every logged-in user. The pages (src/web/routes.c) have their own matrix in
 * test_permissions_pages.c. The first test fails, naming the route, when a route of the table
 * has no row here (pretix's test_permissions.py does the same per URL).
 * Each row is one cmocka test; a mismatch names the route, the caller, expected and got.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/api.h"
#include "http/harness.h"
#include "http/router.h"

enum caller { ANON, OTHER, PENDING, MEMBER, ADMIN, BENEF, PARTNER, NCALLERS };

static const char *const caller_names[NCALLERS] = {
    "anonymous", "pro of another structure", "pending member", "pro of the structure", "admin",
    "beneficiary", "partner key of another structure"};

static struct client *callers[NCALLERS];
static const char *partner_key; /* the whole key of K, sent by the PARTNER caller */

/* The objects the rows point at, filled by the group setup. */
static struct {
    int64_t offerer;       /* S */
    int64_t venue;         /* S's first venue */
    const char *siren;     /* S's SIREN */
    int64_t other_offerer; /* T, decided by the admin rows */
    int64_t attachment;    /* a NEW request to join T, decided by the admin rows */
    int64_t offer;         /* a DRAFT event offer of S's venue */
    int64_t pc;            /* its tariff */
    int64_t stock;         /* one of its dated stocks, edited by the rows */
    int64_t stock_del;     /* another one, deleted by the rows */
    int64_t offer_pub;     /* a DRAFT offer with a stock, published by the rows */
    int64_t offer_approve; /* published in setup (PENDING: S is NEW), approved by the rows */
    int64_t offer_reject;  /* the same, rejected by the rows */
    int64_t digital;       /* a digital thing offer with its stock, for activation codes */
    int64_t bookable;      /* a stock of an approved offer of S, booked by the rows */
    int64_t booking;       /* the beneficiary's booking of another offer of S */
    int64_t booking_pro;   /* another one, cancelled by the member */
    const char *token;     /* countermark of a CONFIRMED paid museum card of S (Guichet rows) */
    int64_t api_key;       /* an API key of S, revoked by the rows */
    int64_t coll_offer;    /* a bookable collective offer of S with its stock */
    int64_t coll_nostock;  /* another one without stock, given one by the rows */
    int64_t adage_key;     /* an ADAGE key, revoked by the rows */
    int64_t bank_account;  /* a DRAFT bank account of S, linked then refused by the rows */
} obj;

/*
 * Placeholders in paths and bodies: {offerer} {venue} {other_offerer} {attachment} {offer} {pc}
 * {stock} {stock_del} {offer_pub} {offer_approve} {offer_reject} {digital} are the ids above;
 * {email} a fresh address; {siret} a fresh SIRET of a new SIREN; {s_siret} a fresh SIRET of S's
 * SIREN; {token} the countermark and {api_key} the API key id of the Guichet rows;
 * {coll_offer} {coll_nostock} the collective offers and {adage_key} the ADAGE key id;
 * {bank_account} S's bank account.
 */
struct row {
    const char *method;
    const char *path;
    const char *body; /* JSON, or NULL */
    int expected[NCALLERS];
    bool fresh_session; /* log the caller in on a new client (logout must not end the others) */
    const char *note;   /* tells rows of one route apart in the test names */
};

#define ALL(x) {x, x, x, x, x, x, x}

#define COLL_APPLICATION                                                                          \
    "{\"activity\":\"Cinéma\",\"public\":\"Collégiens\",\"contactEmail\":\"c@example.com\","     \
    "\"formats\":[\"Projection audiovisuelle\"],\"description\":\"Séances\"}"
#define COLL_POLICY                                                                               \
    "{\"subcategories\":[\"SEANCE_CINE\",\"EVENEMENT_CINE\",\"FESTIVAL_CINE\",\"CINE_PLEIN_AIR\"],"  \
    "\"formats\":[\"Projection audiovisuelle\"]}"
/* A collective offer in @venue ("{venue}" or a number) with @extra fields (",\"k\":v"). */
#define COLL_OFFER(venue, extra)                                                                  \
    "{\"venueId\":" venue ",\"name\":\"Ciné\",\"description\":\"Film\","                       \
    "\"subcategoryId\":\"SEANCE_CINE\",\"format\":\"Projection audiovisuelle\","                  \
    "\"students\":[\"Collège - 3e\"],\"contactEmail\":\"c@example.com\","                        \
    "\"interventionArea\":[\"33\"]" extra "}"
#define COLL_STOCK                                                                                \
    "{\"startDatetime\":\"2035-03-10T09:00:00Z\",\"endDatetime\":\"2035-03-10T11:00:00Z\","      \
    "\"numberOfTickets\":25,\"totalPriceCents\":30000}"

static const struct row rows[] = {
    /* method, path, body, {anon, other, pending, member, admin, benef, partner} */
    {"GET", "/healthz", NULL, ALL(200), false, NULL},
    {"GET", "/metrics", NULL, ALL(200), false, NULL},
    /* Access is open: a signup with a weak password reaches validation (test_auth.c signs up;
     * here seven Argon2id hashes would double the program's time). */
    {"POST", "/api/v1/auth/signup",
     "{\"email\":\"{email}\",\"password\":\"court\",\"firstName\":\"A\",\"lastName\":\"B\"}",
     ALL(422), false, NULL},
    /* Access is open: a login missing its password reaches validation (no session changed). */
    {"POST", "/api/v1/auth/login", "{\"email\":\"{email}\"}", ALL(422), false, NULL},
    {"POST", "/api/v1/auth/logout", NULL, ALL(204), true, NULL},
    {"POST", "/api/v1/auth/logout-all", NULL, {401, 204, 204, 204, 204, 204, 401}, true, NULL},
    /* Open: an unknown address gets 204 (and no email); a weak password reaches validation. */
    {"POST", "/api/v1/auth/password-reset", "{\"email\":\"{email}\"}", ALL(204), false, NULL},
    {"POST", "/api/v1/auth/password-reset/confirm", "{\"token\":\"x\",\"password\":\"court\"}",
     ALL(422), false, NULL},
    {"GET", "/api/v1/me", NULL, {401, 200, 200, 200, 200, 200, 401}, false, NULL},

    {"POST", "/api/v1/offerers", "{\"siret\":\"{siret}\"}",
     {401, 201, 201, 201, 403, 403, 401}, false,
     NULL},
    {"GET", "/api/v1/offerers", NULL, {401, 200, 200, 200, 403, 403, 401}, false, NULL},

    {"POST", "/api/v1/venues",
     "{\"offererId\":{offerer},\"name\":\"Salle\",\"comment\":\"Sans SIRET\",\"street\":\"1 rue "
     "A\",\"postalCode\":\"75001\",\"city\":\"Paris\",\"bookingEmail\":\"a@example.com\","
     "\"venueType\":\"MUSEUM\"}",
     {401, 404, 404, 201, 403, 403, 401}, false, "without SIRET"},
    {"POST", "/api/v1/venues",
     "{\"offererId\":{offerer},\"name\":\"Salle\",\"siret\":\"{s_siret}\",\"street\":\"1 rue "
     "A\",\"postalCode\":\"75001\",\"city\":\"Paris\",\"bookingEmail\":\"a@example.com\","
     "\"venueType\":\"MUSEUM\"}",
     {401, 404, 404, 201, 403, 403, 401}, false, "with a SIRET of the structure"},
    {"GET", "/api/v1/venues?offererId={offerer}", NULL, {401, 404, 404, 200, 403, 403, 401},
     false, NULL},
    {"GET", "/api/v1/venues?offererId=999999", NULL,
     {401, 404, 404, 404, 403, 403, 401}, false, NULL},
    {"GET", "/api/v1/venues/{venue}", NULL, {401, 404, 404, 200, 403, 403, 401}, false, NULL},
    {"GET", "/api/v1/venues/999999", NULL, {401, 404, 404, 404, 403, 403, 401}, false, NULL},
    {"PATCH", "/api/v1/venues/{venue}", "{\"publicName\":\"Nom d'usage\"}",
     {401, 404, 404, 200, 403, 403, 401}, false, NULL},
    {"PATCH", "/api/v1/venues/999999", "{\"publicName\":\"Nom d'usage\"}",
     {401, 404, 404, 404, 403, 403, 401}, false, NULL},

    {"POST", "/api/v1/admin/offerers/{other_offerer}/validate", NULL,
     {401, 403, 403, 403, 200, 403, 401}, false, NULL},
    {"POST", "/api/v1/admin/offerers/{other_offerer}/reject", NULL,
     {401, 403, 403, 403, 200, 403, 401},
     false, NULL},
    {"POST", "/api/v1/admin/offerers/999999/validate", NULL,
     {401, 403, 403, 403, 404, 403, 401}, false,
     NULL},
    {"POST", "/api/v1/admin/attachments/{attachment}/validate", NULL,
     {401, 403, 403, 403, 200, 403, 401}, false, NULL},
    {"POST", "/api/v1/admin/attachments/{attachment}/reject", NULL,
     {401, 403, 403, 403, 200, 403, 401},
     false, NULL},
    {"POST", "/api/v1/admin/attachments/999999/reject", NULL,
     {401, 403, 403, 403, 404, 403, 401}, false,
     NULL},

    /* Offers, tariffs, stocks (SPEC §4); dates far ahead, as this program keeps the real clock. */
    {"GET", "/api/v1/categories", NULL, {401, 200, 200, 200, 200, 200, 401}, false, NULL},
    {"POST", "/api/v1/offers",
     "{\"venueId\":{venue},\"name\":\"Visite libre\",\"subcategoryId\":\"VISITE\","
     "\"audioDisabilityCompliant\":true,\"mentalDisabilityCompliant\":true,"
     "\"motorDisabilityCompliant\":false,\"visualDisabilityCompliant\":false}",
     {401, 404, 404, 201, 403, 403, 401}, false, "in a venue of the structure"},
    {"GET", "/api/v1/offers", NULL, {401, 200, 200, 200, 403, 403, 401}, false, NULL},
    {"GET", "/api/v1/offers?venueId={venue}", NULL,
     {401, 404, 404, 200, 403, 403, 401}, false, NULL},
    {"GET", "/api/v1/offers/{offer}", NULL, {401, 404, 404, 200, 403, 403, 401}, false, NULL},
    {"GET", "/api/v1/offers/999999", NULL, {401, 404, 404, 404, 403, 403, 401}, false, NULL},
    {"PATCH", "/api/v1/offers/{offer}", "{\"description\":\"Nouvelle description\"}",
     {401, 404, 404, 200, 403, 403, 401}, false, NULL},
    {"POST", "/api/v1/offers/{offer}/price-categories",
     "{\"label\":\"Moins de 18 ans\",\"priceCents\":500}", {401, 404, 404, 201, 403, 403, 401},
     false,
     NULL},
    {"POST", "/api/v1/offers/{offer}/stocks",
     "{\"priceCategoryId\":{pc},\"beginningDatetime\":\"2035-06-03T08:00:00Z\","
     "\"quantity\":20}",
     {401, 404, 404, 201, 403, 403, 401}, false, NULL},
    {"POST", "/api/v1/offers/{offer}/stocks/recurrence",
     "{\"priceCategoryIds\":[{pc}],\"startDate\":\"2035-07-01\",\"endDate\":\"2035-07-07\","
     "\"weekdays\":[1,2,3,4,5,6,7],\"times\":[\"10:00\"],\"quantity\":null}",
     {401, 404, 404, 201, 403, 403, 401}, false, NULL},
    {"POST", "/api/v1/offers/{digital}/activation-codes", "{\"codes\":[\"CODE-1\",\"CODE-2\"]}",
     {401, 404, 404, 201, 403, 403, 401}, false, NULL},
    {"PATCH", "/api/v1/stocks/{stock}", "{\"quantity\":5}",
     {401, 404, 404, 200, 403, 403, 401}, false,
     NULL},
    {"PATCH", "/api/v1/stocks/999999", "{\"quantity\":5}", {401, 404, 404, 404, 403, 403, 401},
     false, NULL},
    {"DELETE", "/api/v1/stocks/{stock_del}", NULL,
     {401, 404, 404, 204, 403, 403, 401}, false, NULL},
    {"POST", "/api/v1/offers/{offer_pub}/publish", NULL, {401, 404, 404, 200, 403, 403, 401},
     false, NULL},
    {"POST", "/api/v1/admin/offers/{offer_approve}/approve", NULL,
     {401, 403, 403, 403, 200, 403, 401},
     false, NULL},
    {"POST", "/api/v1/admin/offers/{offer_reject}/reject", NULL,
     {401, 403, 403, 403, 200, 403, 401},
     false, NULL},
    {"POST", "/api/v1/admin/offers/999999/approve", NULL, {401, 403, 403, 403, 404, 403, 401},
     false, NULL},

    /* Beneficiaries and bookings (SPEC §3, §5, §6). */
    {"POST", "/api/v1/admin/beneficiaries",
     "{\"email\":\"{email}\",\"password\":\"" TEST_PASSWORD "\",\"firstName\":\"A\","
     "\"lastName\":\"B\",\"birthDate\":\"{birth}\",\"postalCode\":\"75011\"}",
     {401, 403, 403, 403, 201, 403, 401}, false, NULL},
    {"GET", "/api/v1/me/wallet", NULL, {401, 403, 403, 403, 403, 200, 401}, false, NULL},
    {"GET", "/api/v1/search/offers?q=visite", NULL,
     {401, 200, 200, 200, 200, 200, 401}, false, NULL},
    {"POST", "/api/v1/bookings", "{\"stockId\":{bookable},\"quantity\":1}",
     {401, 403, 403, 403, 403, 201, 401}, false, NULL},
    {"GET", "/api/v1/me/bookings", NULL, {401, 403, 403, 403, 403, 200, 401}, false, NULL},
    {"POST", "/api/v1/bookings/{booking}/cancel", NULL, {401, 403, 403, 403, 403, 200, 401}, false,
     NULL},
    {"POST", "/api/v1/bookings/999999/cancel", NULL,
     {401, 403, 403, 403, 403, 404, 401}, false, NULL},
    {"POST", "/api/v1/pro/bookings/{booking_pro}/cancel", NULL, {401, 404, 404, 200, 403, 403, 401},
     false, NULL},
    {"GET", "/api/v1/pro/bookings", NULL, {401, 200, 200, 200, 403, 403, 401}, false, NULL},
    {"GET", "/api/v1/pro/bookings?offererId={offerer}", NULL, {401, 404, 404, 200, 403, 403, 401},
     false, NULL},
    {"GET", "/api/v1/pro/bookings?venueId={venue}", NULL, {401, 404, 404, 200, 403, 403, 401},
     false, NULL},
    {"GET", "/api/v1/pro/bookings?offerId={offer}", NULL, {401, 404, 404, 200, 403, 403, 401},
     false, NULL},
    {"GET", "/api/v1/pro/bookings/export?format=csv", NULL, {401, 200, 200, 200, 403, 403, 401},
     false, NULL},
    {"GET", "/api/v1/pro/bookings/export?format=xlsx&offererId={offerer}", NULL,
     {401, 404, 404, 200, 403, 403, 401}, false, NULL},
    {"GET", "/api/v1/pro/bookings/export?format=csv&venueId={venue}", NULL,
     {401, 404, 404, 200, 403, 403, 401}, false, NULL},
    {"POST", "/api/v1/pro/bookings/999999/cancel", NULL, {401, 404, 404, 404, 403, 403, 401}, false,
     NULL},

    /* The Guichet and API keys (SPEC §6); {token} is validated, then invalidated by the rows. */
    {"GET", "/api/v1/pro/bookings/token/{token}", NULL, {401, 404, 404, 200, 403, 403, 401}, false,
     NULL},
    {"GET", "/api/v1/pro/bookings/token/ZZZZZZ", NULL, {401, 404, 404, 404, 403, 403, 401}, false,
     "unknown countermark"},
    {"POST", "/api/v1/pro/bookings/token/{token}/use", NULL, {401, 404, 404, 204, 403, 403, 401},
     false, NULL},
    {"POST", "/api/v1/pro/bookings/token/{token}/unuse", NULL, {401, 404, 404, 204, 403, 403, 401},
     false, NULL},
    {"POST", "/api/v1/offerers/{offerer}/api-keys", NULL,
     {401, 404, 404, 201, 403, 403, 401}, false,
     NULL},
    {"GET", "/api/v1/offerers/{offerer}/api-keys", NULL, {401, 404, 404, 200, 403, 403, 401}, false,
     NULL},
    {"DELETE", "/api/v1/offerers/{offerer}/api-keys/{api_key}", NULL,
     {401, 404, 404, 204, 403, 403, 401}, false, NULL},
    {"DELETE", "/api/v1/offerers/{offerer}/api-keys/999999", NULL,
     {401, 404, 404, 404, 403, 403, 401},
     false, "unknown key"},
    /* The partner API: only a key authenticates (a session is not enough), and a key of
     * another structure finds none of S's countermarks. */
    {"GET", "/public/bookings/v1/token/{token}", NULL, {401, 401, 401, 401, 401, 401, 404}, false,
     NULL},
    {"GET", "/public/bookings/v1/token/ZZZZZZ", NULL, {401, 401, 401, 401, 401, 401, 404}, false,
     "unknown countermark"},
    {"PATCH", "/public/bookings/v1/use/token/{token}", NULL, {401, 401, 401, 401, 401, 401, 404},
     false, NULL},
    {"PATCH", "/public/bookings/v1/keep/token/{token}", NULL, {401, 401, 401, 401, 401, 401, 404},
     false, NULL},
    {"PATCH", "/public/bookings/v1/cancel/token/{token}", NULL,
     {401, 401, 401, 401, 401, 401, 404}, false, NULL},
    /* Collective offers, the setup side (SPEC §8). S was referenced, given its offers, then
     * declined in the setup: the rows ask again, the admin accepts, the member creates. */
    {"POST", "/api/v1/offerers/{offerer}/adage-application", COLL_APPLICATION,
     {401, 404, 404, 201, 403, 403, 401}, false, NULL},
    {"GET", "/api/v1/offerers/{offerer}/adage-application", NULL,
     {401, 404, 404, 200, 403, 403, 401},
     false, NULL},
    {"GET", "/api/v1/admin/adage-applications", NULL, {401, 403, 403, 403, 200, 403, 401}, false,
     NULL},
    {"POST", "/api/v1/admin/offerers/{other_offerer}/adage/reject", "{\"reason\":\"Non\"}",
     {401, 403, 403, 403, 200, 403, 401}, false, NULL},
    {"POST", "/api/v1/admin/offerers/{offerer}/adage", NULL, {401, 403, 403, 403, 200, 403, 401},
     false, NULL},
    {"POST", "/api/v1/admin/offerers/999999/adage", NULL,
     {401, 403, 403, 403, 404, 403, 401}, false,
     "unknown structure"},
    {"GET", "/api/v1/collective/policy", NULL, {401, 200, 200, 200, 200, 403, 401}, false, NULL},
    {"PUT", "/api/v1/admin/collective/policy", COLL_POLICY, {401, 403, 403, 403, 200, 403, 401},
     false, NULL},
    {"POST", "/api/v1/collective/templates", COLL_OFFER("{venue}", ""),
     {401, 404, 404, 201, 403, 403, 401}, false, NULL},
    {"POST", "/api/v1/collective/offers",
     COLL_OFFER("{venue}", ",\"bookingEmails\":[\"r@example.com\"]"),
     {401, 404, 404, 201, 403, 403, 401}, false, NULL},
    {"GET", "/api/v1/collective/offers?offererId={offerer}", NULL,
     {401, 404, 404, 200, 403, 403, 401}, false, NULL},
    {"GET", "/api/v1/collective/offers/{coll_offer}", NULL,
     {401, 404, 404, 200, 403, 403, 401}, false,
     NULL},
    {"GET", "/api/v1/collective/offers/999999", NULL, {401, 404, 404, 404, 403, 403, 401}, false,
     "unknown offer"},
    {"PATCH", "/api/v1/collective/offers/{coll_offer}", "{\"name\":\"Ciné-débat\"}",
     {401, 404, 404, 200, 403, 403, 401}, false, NULL},
    {"POST", "/api/v1/collective/offers/{coll_nostock}/stock", COLL_STOCK,
     {401, 404, 404, 201, 403, 403, 401}, false, NULL},
    {"PATCH", "/api/v1/collective/offers/{coll_offer}/stock", "{\"numberOfTickets\":20}",
     {401, 404, 404, 200, 403, 403, 401}, false, NULL},
    {"POST", "/api/v1/admin/institutions",
     "{\"uai\":\"0750655E\",\"name\":\"Lycée\",\"city\":\"Paris\",\"budgetCents\":1000,"
     "\"educationalYear\":\"2035-2036\"}",
     {401, 403, 403, 403, 201, 403, 401}, false, NULL},
    {"GET", "/api/v1/admin/institutions", NULL, {401, 403, 403, 403, 200, 403, 401}, false, NULL},
    /* A CSV route: access first, then a JSON body is refused (415). */
    {"POST", "/api/v1/admin/institutions/import", "{}", {401, 403, 403, 403, 415, 403, 401}, false,
     "JSON body"},
    {"POST", "/api/v1/admin/adage-keys", "{\"label\":\"ADAGE\"}",
     {401, 403, 403, 403, 201, 403, 401}, false, NULL},
    {"GET", "/api/v1/admin/adage-keys", NULL, {401, 403, 403, 403, 200, 403, 401}, false, NULL},
    {"DELETE", "/api/v1/admin/adage-keys/{adage_key}", NULL, {401, 403, 403, 403, 204, 403, 401},
     false, NULL},
    /* The ADAGE side: a key (test_collective.c) or a back-office session. */
    {"GET", "/api/v1/adage/offers", NULL, {401, 403, 403, 403, 200, 403, 401}, false, NULL},
    {"POST", "/api/v1/adage/bookings", "{}", {401, 403, 403, 403, 422, 403, 401}, false, NULL},
    {"POST", "/api/v1/adage/bookings/999999/confirm", NULL,
     {401, 403, 403, 403, 404, 403, 401}, false,
     NULL},
    {"POST", "/api/v1/adage/bookings/999999/cancel", NULL,
     {401, 403, 403, 403, 404, 403, 401}, false,
     NULL},
    {"GET", "/api/v1/pro/collective/bookings?offererId={offerer}", NULL,
     {401, 404, 404, 200, 200, 403, 401}, false, NULL},
    {"POST", "/api/v1/pro/collective/bookings/999999/cancel", NULL,
     {401, 404, 404, 404, 403, 403, 401},
     false, NULL},

    /* Finance (SPEC §7): a structure's accounts, invoices and files are its members' only. */
    {"POST", "/api/v1/offerers/{offerer}/bank-accounts",
     "{\"label\":\"Compte\",\"iban\":\"FR7630006000011234567890189\"}",
     {401, 404, 404, 201, 403, 403, 401}, false, NULL},
    {"GET", "/api/v1/offerers/{offerer}/bank-accounts", NULL, {401, 404, 404, 200, 403, 403, 401},
     false, NULL},
    {"PUT", "/api/v1/bank-accounts/{bank_account}/venues", "{\"venueIds\":[{venue}]}",
     {401, 404, 404, 200, 403, 403, 401}, false, NULL},
    {"PUT", "/api/v1/venues/{venue}/pricing-point", "{\"pricingPointId\":{venue}}",
     {401, 404, 404, 422, 403, 403, 401}, false, "a SIRET venue"},
    {"GET", "/api/v1/pro/invoices", NULL, {401, 200, 200, 200, 200, 403, 401}, false, NULL},
    {"GET", "/api/v1/pro/invoices?offererId={offerer}", NULL, {401, 404, 404, 200, 200, 403, 401},
     false, NULL},
    {"GET", "/api/v1/pro/invoices/F990000001.pdf", NULL, {401, 404, 404, 404, 404, 403, 401}, false,
     NULL},
    {"GET", "/api/v1/pro/reimbursements.csv?offererId={offerer}", NULL,
     {401, 404, 404, 200, 200, 403, 401}, false, NULL},
    {"GET", "/api/v1/pro/finance/forecast?offererId={offerer}", NULL,
     {401, 404, 404, 200, 200, 403, 401}, false, NULL},
    {"GET", "/api/v1/admin/bank-accounts", NULL, {401, 403, 403, 403, 200, 403, 401}, false, NULL},
    {"POST", "/api/v1/admin/bank-accounts/{bank_account}/refuse", NULL,
     {401, 403, 403, 403, 200, 403, 401}, false, NULL},
    {"POST", "/api/v1/admin/bank-accounts/999999/accept", NULL, {401, 403, 403, 403, 404, 403, 401},
     false, NULL},
    {"POST", "/api/v1/admin/finance/runs", "{}", {401, 403, 403, 403, 422, 403, 401}, false,
     "nothing to pay"},
    {"POST", "/api/v1/admin/finance/incidents", "{\"bookingId\":{booking},\"reason\":\"Test\"}",
     {401, 403, 403, 403, 422, 403, 401}, false, "not reimbursed"},
    {"POST", "/api/v1/admin/finance/custom-rules",
     "{\"offererId\":{offerer},\"rate\":90,\"startDate\":\"2099-01-01\"}",
     {401, 403, 403, 403, 201, 403, 401}, false, NULL},
};

#define NROWS (sizeof rows / sizeof rows[0])

/* A birth date 18 years and 100 days before today (this program keeps the real clock). */
static const char *birth_date_18(void)
{
    time_t t = time(NULL) - 100 * 24 * 3600;
    struct tm tm;
    gmtime_r(&t, &tm);
    return strf("%04d-%02d-%02d", tm.tm_year + 1900 - 18, tm.tm_mon + 1,
                tm.tm_mday > 28 ? 28 : tm.tm_mday);
}

/* The value of placeholder @name (without braces), or NULL when it is not one. */
static const char *placeholder(const char *name, size_t n)
{
#define IS(s) (n == strlen(s) && strncmp(name, s, n) == 0)
    static int nic = 100;
    if (IS("offerer"))
        return strf("%lld", (long long)obj.offerer);
    if (IS("venue"))
        return strf("%lld", (long long)obj.venue);
    if (IS("other_offerer"))
        return strf("%lld", (long long)obj.other_offerer);
    if (IS("attachment"))
        return strf("%lld", (long long)obj.attachment);
    static const struct {
        const char *name;
        const int64_t *id;
    } ids[] = {{"offer", &obj.offer},
               {"pc", &obj.pc},
               {"stock", &obj.stock},
               {"stock_del", &obj.stock_del},
               {"offer_pub", &obj.offer_pub},
               {"offer_approve", &obj.offer_approve},
               {"offer_reject", &obj.offer_reject},
               {"digital", &obj.digital},
               {"bookable", &obj.bookable},
               {"booking", &obj.booking},
               {"booking_pro", &obj.booking_pro},
               {"api_key", &obj.api_key},
               {"coll_offer", &obj.coll_offer},
               {"coll_nostock", &obj.coll_nostock},
               {"adage_key", &obj.adage_key},
               {"bank_account", &obj.bank_account}};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
        if (IS(ids[i].name))
            return strf("%lld", (long long)*ids[i].id);
    if (IS("token"))
        return obj.token;
    if (IS("email"))
        return unique_email("matrice");
    if (IS("birth"))
        return birth_date_18();
    if (IS("siret"))
        return new_siret();
    if (IS("s_siret"))
        return siret_of(obj.siren, ++nic);
    return NULL;
#undef IS
}

/* @template with its placeholders replaced; owned by the harness. */
static const char *expand(const char *template)
{
    if (template == NULL)
        return NULL;
    const char *out = "";
    const char *p = template;
    for (;;) {
        const char *open = strchr(p, '{');
        if (open == NULL)
            return strf("%s%s", out, p);
        size_t n = strspn(open + 1, "abcdefghijklmnopqrstuvwxyz_");
        const char *value = open[1 + n] == '}' ? placeholder(open + 1, n) : NULL;
        if (value == NULL) { /* a JSON brace: keep it */
            out = strf("%s%.*s", out, (int)(open + 1 - p), p);
            p = open + 1;
        } else {
            out = strf("%s%.*s%s", out, (int)(open - p), p, value);
            p = open + n + 2;
        }
    }
}

/*
 * One request of caller @c. Writes without a body still say Content-Type: application/json
 * (an empty JSON write); the partner sends its key on every request.
 */
static struct resp send(enum caller c, struct client *who, const char *method, const char *path,
                        const char *body)
{
    if (c == PARTNER && partner_key == NULL)
        fail_msg("the partner key was not created");
    const char *auth[] = {strf("Authorization: Bearer %s", partner_key), NULL};
    bool write = strcmp(method, "GET") != 0;
    return http_raw(who, method, path, body || write ? "application/json" : NULL,
                    body ? body : write ? "" : NULL, body ? strlen(body) : 0,
                    c == PARTNER ? auth : NULL);
}

/* A SPEC §2 error body, whatever field it names ("global", or the query filter refused). */
static bool error_shape(const struct resp *r)
{
    const char *field = NULL;
    json_t *errors = jget(r->json, "errors");
    if (json_is_object(errors) && json_object_size(errors) > 0)
        field = json_object_iter_key(json_object_iter(errors));
    return field != NULL && error_body_ok(r, field);
}

/* "Log out everywhere" ends the caller's own sessions too: the row logs it in again after. */
static bool ends_all(const struct row *row)
{
    return strcmp(row->path, "/api/v1/auth/logout-all") == 0;
}

static void run_row(void **state)
{
    const struct row *row = *state;
    bool ok = true;
    for (int c = 0; c < NCALLERS; c++) {
        struct client *who = callers[c];
        if (row->fresh_session) {
            who = client_new();
            if (callers[c]->id != 0)
                client_login(who, callers[c]->email, callers[c]->password);
        }
        const char *path = expand(row->path);
        struct resp r = send(c, who, row->method, path, expand(row->body));
        if (r.status != row->expected[c]) {
            print_error("%s %s as %s: expected %d, got %ld (%.200s)\n", row->method, path,
                        caller_names[c], row->expected[c], r.status, r.body);
            ok = false;
        } else if (r.status >= 400 && strncmp(path, "/public/", 8) != 0 && !error_shape(&r)) {
            /* The partner API keeps pass Culture's {"field": "message"} bodies. */
            print_error("%s %s as %s: %ld without a {\"errors\":{\"field\":[...]}} body: %.200s\n",
                        row->method, path, caller_names[c], r.status, r.body);
            ok = false;
        }
        if (ends_all(row) && callers[c]->id != 0)
            client_login(callers[c], callers[c]->email, callers[c]->password);
    }
    if (!ok)
        fail();
}

/* A request of the setup (no partner key). */
static struct resp api(struct client *who, const char *method, const char *path, const char *body)
{
    return send(ANON, who, method, path, body);
}

/* Every route of the table has a row: a new route without one fails here, by its name. */
static void test_every_route_has_a_row(void **state)
{
    (void)state;
    bool *covered = calloc(routes_count(pp_api_routes) + 1, sizeof *covered);
    assert_non_null(covered);
    for (size_t i = 0; i < NROWS; i++)
        routes_cover(pp_api_routes, covered, rows[i].method, rows[i].path);
    assert_routes_covered(pp_api_routes, covered, "src/api/routes.c");
    free(covered);
}

/* POST @body to @path as the member (asserts 201); the new object's id. */
static int64_t member_post(const char *path, const char *body)
{
    struct resp r = api(callers[MEMBER], "POST", path, body);
    assert_status(r, 201);
    assert_true(jint(r.json, "id") > 0);
    return jint(r.json, "id");
}

static int64_t member_offer(const char *subcategory, const char *url)
{
    return member_post(
        "/api/v1/offers",
        strf("{\"venueId\":%lld,\"name\":\"Visite\",\"subcategoryId\":\"%s\"%s%s%s,"
             "\"audioDisabilityCompliant\":true,\"mentalDisabilityCompliant\":true,"
             "\"motorDisabilityCompliant\":true,\"visualDisabilityCompliant\":true}",
             (long long)obj.venue, subcategory, url ? ",\"url\":\"" : "", url ? url : "",
             url ? "\"" : ""));
}

static int64_t member_stock(int64_t offer, int64_t pc, const char *start)
{
    return member_post(strf("/api/v1/offers/%lld/stocks", (long long)offer),
                       strf("{\"priceCategoryId\":%lld,\"beginningDatetime\":\"%s\"}",
                            (long long)pc, start));
}

/* S referenced for a moment: two collective offers (one with its stock), then declined; an
 * ADAGE key for the revocation row. */
static void collective_setup(void)
{
    struct client *admin = callers[ADMIN];
    const char *accept = strf("/api/v1/admin/offerers/%lld/adage", (long long)obj.offerer);
    assert_status(api(admin, "POST", accept, NULL), 200);
    const char *venue = strf("%lld", (long long)obj.venue);
    const char *body = strf(COLL_OFFER("%s", ",\"bookingEmails\":[\"r@example.com\"]"), venue);
    obj.coll_offer = member_post("/api/v1/collective/offers", body);
    obj.coll_nostock = member_post("/api/v1/collective/offers", body);
    member_post(strf("/api/v1/collective/offers/%lld/stock", (long long)obj.coll_offer),
                COLL_STOCK);
    assert_status(api(admin, "POST", strf("%s/reject", accept), "{\"reason\":\"Test\"}"),
                  200);
    struct resp r = api(admin, "POST", "/api/v1/admin/adage-keys", "{\"label\":\"M\"}");
    assert_status(r, 201);
    obj.adage_key = jint(r.json, "id");
    obj.bank_account = member_post(strf("/api/v1/offerers/%lld/bank-accounts",
                                        (long long)obj.offerer),
                                   "{\"label\":\"Régie\",\"iban\":\"FR7630006000011234567890189\"}");
}

static int setup(void **state)
{
    if (harness_group_setup(state) != 0)
        return -1;
    callers[ANON] = client_new();
    callers[MEMBER] = pro_new("membre");
    callers[PENDING] = pro_new("en-attente");
    callers[OTHER] = pro_new("autre");
    callers[ADMIN] = admin_new("admin");

    /* S, created by the member; the pending member asks to join it. */
    obj.siren = new_siren();
    struct resp r = api(callers[MEMBER], "POST", "/api/v1/offerers",
                                 strf("{\"siret\":\"%s\"}", siret_of(obj.siren, 1)));
    assert_status(r, 201);
    obj.offerer = jint(r.json, "offerer.id");
    obj.venue = jint(r.json, "venue.id");
    r = api(callers[PENDING], "POST", "/api/v1/offerers",
                     strf("{\"siret\":\"%s\"}", siret_of(obj.siren, 2)));
    assert_status(r, 201);
    assert_jstr(r.json, "attachment.status", "NEW");

    /* T, the other pro's structure; the member asks to join it (the admin rows decide). */
    const char *t = new_siret();
    r = api(callers[OTHER], "POST", "/api/v1/offerers", strf("{\"siret\":\"%s\"}", t));
    assert_status(r, 201);
    obj.other_offerer = jint(r.json, "offerer.id");
    r = api(callers[MEMBER], "POST", "/api/v1/offerers", strf("{\"siret\":\"%s\"}", t));
    assert_status(r, 201);
    obj.attachment = jint(r.json, "attachment.id");

    /* S's offers, made by the member. */
    struct client *m = callers[MEMBER];
    obj.offer = member_offer("VISITE", NULL);
    obj.pc = member_post(strf("/api/v1/offers/%lld/price-categories", (long long)obj.offer),
                         "{\"priceCents\":1000}");
    obj.stock = member_stock(obj.offer, obj.pc, "2035-06-01T08:00:00Z");
    obj.stock_del = member_stock(obj.offer, obj.pc, "2035-06-02T08:00:00Z");
    int64_t *published[] = {&obj.offer_pub, &obj.offer_approve, &obj.offer_reject};
    for (size_t i = 0; i < 3; i++) {
        *published[i] = member_offer("VISITE", NULL);
        int64_t pc = member_post(
            strf("/api/v1/offers/%lld/price-categories", (long long)*published[i]),
            "{\"priceCents\":800}");
        member_stock(*published[i], pc, "2035-06-01T08:00:00Z");
        if (i > 0) {
            r = api(
                m, "POST", strf("/api/v1/offers/%lld/publish", (long long)*published[i]), NULL);
            assert_status(r, 200);
            assert_jstr(r.json, "status", "PENDING");
        }
    }
    obj.digital = member_offer("LIVRE_NUMERIQUE", "https://editeur.example.fr/livre");
    member_post(strf("/api/v1/offers/%lld/stocks", (long long)obj.digital),
                "{\"priceCents\":900}");

    /* The beneficiary, and three approved offers of S: one booked by the rows, two booked now
     * (cancelled by the rows, by the beneficiary and by the member). */
    callers[BENEF] = beneficiary_new(callers[ADMIN], "jeune", birth_date_18(), false);
    int64_t stocks[3];
    for (size_t i = 0; i < 3; i++) {
        int64_t offer = member_offer("VISITE", NULL);
        int64_t pc = member_post(strf("/api/v1/offers/%lld/price-categories", (long long)offer),
                                 "{\"priceCents\":700}");
        stocks[i] = member_stock(offer, pc, "2035-06-05T08:00:00Z");
        r = api(m, "POST", strf("/api/v1/offers/%lld/publish", (long long)offer), NULL);
        assert_status(r, 200);
        r = api(callers[ADMIN], "POST",
                         strf("/api/v1/admin/offers/%lld/approve", (long long)offer), NULL);
        assert_status(r, 200);
    }
    obj.bookable = stocks[0];
    int64_t *bookings[] = {&obj.booking, &obj.booking_pro};
    for (size_t i = 0; i < 2; i++) {
        r = api(callers[BENEF], "POST", "/api/v1/bookings",
                         strf("{\"stockId\":%lld,\"quantity\":1}", (long long)stocks[i + 1]));
        assert_status(r, 201);
        *bookings[i] = jint(r.json, "id");
    }

    /* For the Guichet rows: a paid museum card of S booked by the beneficiary (a thing: it can
     * be validated at once), and an API key of S. */
    int64_t card = member_offer("CARTE_MUSEE", NULL);
    int64_t card_stock =
        member_post(strf("/api/v1/offers/%lld/stocks", (long long)card), "{\"priceCents\":1000}");
    r = api(m, "POST", strf("/api/v1/offers/%lld/publish", (long long)card), NULL);
    assert_status(r, 200);
    r = api(callers[ADMIN], "POST",
                     strf("/api/v1/admin/offers/%lld/approve", (long long)card), NULL);
    assert_status(r, 200);
    r = api(callers[BENEF], "POST", "/api/v1/bookings",
                     strf("{\"stockId\":%lld,\"quantity\":1}", (long long)card_stock));
    assert_status(r, 201);
    assert_jstr(r.json, "status", "CONFIRMED");
    obj.token = jstr(r.json, "token");

    /* S validated now that its offers wait for moderation (a key needs a validated
     * structure), then its key; K, validated, and the partner key of the PARTNER caller. */
    r = api(callers[ADMIN], "POST",
            strf("/api/v1/admin/offerers/%lld/validate", (long long)obj.offerer), NULL);
    assert_status(r, 200);
    obj.api_key =
        member_post(strf("/api/v1/offerers/%lld/api-keys", (long long)obj.offerer), NULL);
    r = api(callers[OTHER], "POST", "/api/v1/offerers",
            strf("{\"siret\":\"%s\"}", new_siret()));
    assert_status(r, 201);
    int64_t k = jint(r.json, "offerer.id");
    r = api(callers[ADMIN], "POST", strf("/api/v1/admin/offerers/%lld/validate", (long long)k),
            NULL);
    assert_status(r, 200);
    r = api(callers[OTHER], "POST", strf("/api/v1/offerers/%lld/api-keys", (long long)k), NULL);
    assert_status(r, 201);
    partner_key = jstr(r.json, "key");
    callers[PARTNER] = client_new();
    collective_setup();
    return 0;
}

int main(void)
{
    /* cmocka prints the names after the group teardown: they must outlive the harness. */
    static char names[NROWS][160];
    struct CMUnitTest tests[NROWS + 1];
    tests[0] = (struct CMUnitTest){.name = "every route has a row",
                                   .test_func = test_every_route_has_a_row};
    for (size_t i = 0; i < NROWS; i++) {
        snprintf(names[i], sizeof names[i], "%s %s%s%s%s", rows[i].method, rows[i].path,
                 rows[i].note ? " (" : "", rows[i].note ? rows[i].note : "",
                 rows[i].note ? ")" : "");
        tests[i + 1] = (struct CMUnitTest){
            .name = names[i],
            .test_func = run_row,
            .initial_state = (void *)&rows[i],
        };
    }
    return cmocka_run_group_tests_name("http_permissions", tests, setup, harness_group_teardown);
}
