/*
 * The permission matrix of the pages: every route of src/web/routes.c (the portal, the
 * beneficiaries' /app, the Guichet, the back office) called by every kind of caller of
 * test_permissions.c, with the status each must get:
 *
 *   anon     nobody logged in: a page or a form of a logged-in area answers 303 to /connexion
 *   other    pro of another structure T        pending  pro whose request to join S is NEW
 *   member   pro attached VALIDATED to S       admin    back office
 *   benef    a beneficiary                      partner  a partner API key of T (Bearer): the
 *            pages know sessions only, so it is answered as anonymous
 *
 * The rules: a pro sees only its own structures, so S's objects answer 404 to the other pro
 * and to the pending member, as to an unknown id; pro pages answer 403 to the admin and to the
 * beneficiary, back-office pages 403 to everyone but the admin, /app pages 403 to everyone but
 * beneficiaries. A form is posted with the caller's own CSRF token (read from one of its
 * pages, or from the login page for anonymous callers), so that each cell reaches the access
 * rule and the handler; the rows marked "no CSRF token" post one kind of form without it.
 * The member's cell is what the form does with a valid body: 303 to the next page, 422 when
 * the body is refused after the access checks (the only thing this matrix asserts there).
 * Cells run in column order, so refusals come before the member changes an object.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http/harness.h"
#include "http/router.h"
#include "web/web.h"

enum caller { ANON, OTHER, PENDING, MEMBER, ADMIN, BENEF, PARTNER, NCALLERS };

static const char *const caller_names[NCALLERS] = {
    "anonymous", "pro of another structure", "pending member", "pro of the structure", "admin",
    "beneficiary", "partner key of another structure"};

/* A page the caller can open that carries its CSRF token. */
static const char *const token_pages[NCALLERS] = {"/connexion", "/accueil", "/accueil",
                                                  "/accueil",   "/backoffice", "/app",
                                                  "/connexion"};

static struct client *callers[NCALLERS];
static const char *tokens[NCALLERS];
static const char *partner_key;

static struct {
    int64_t offerer;      /* S */
    int64_t venue;        /* its venue (with a SIRET) */
    int64_t offer;        /* a DRAFT event offer of S, with a tariff and two dates */
    int64_t stock_del;    /* one of its dates, deleted by the rows */
    int64_t offer_pub;    /* a DRAFT offer with a date, published by the rows */
    int64_t digital;      /* a DRAFT digital thing offer with its stock */
    int64_t bookable;     /* an approved offer of S ... */
    int64_t bookable_stk; /* ... and its stock, booked by the rows */
    int64_t booking;      /* the beneficiary's booking, cancelled by the rows */
    int64_t booking_2;    /* a booking of another beneficiary */
    const char *token;    /* the countermark of a booked museum card of S (Guichet rows) */
    int64_t bank_account; /* a bank account of S */
    int64_t coll_offer;   /* a collective offer of S without its date */
    int64_t coll_booking; /* a PENDING collective booking of S, cancelled by the rows */
} obj;

struct row {
    const char *method;
    const char *path;
    const char *form; /* urlencoded fields after the CSRF token, or NULL for a GET */
    int expected[NCALLERS];
    bool no_csrf;       /* post the form without the token */
    bool fresh_session; /* log the caller in on a new client (the logout must not end it) */
    const char *note;
};

#define ALL(x) {x, x, x, x, x, x, x}
/* {anon, other, pending, member, admin, benef, partner} for the usual kinds of route. */
#define PRO_ANY(m) {303, m, m, m, 403, 403, 303}            /* any pro, nothing of S */
#define OF_S(m) {303, 404, 404, m, 403, 403, 303}           /* an object of S */
#define ADMIN_ONLY(a) {303, 403, 403, 403, a, 403, 303}     /* the back office */
#define BENEF_ONLY(b) {303, 403, 403, 403, 403, b, 303}     /* the beneficiaries' /app */
#define NO_TOKEN {303, 403, 403, 403, 403, 403, 303}        /* a form without its CSRF token */

#define VENUE_FIELDS                                                                              \
    "street=1+rue+A&postalCode=75001&city=Paris&bookingEmail=a%40example.com&venueType=MUSEUM"
#define ACCESSIBLE "accessAudio=on&accessMental=on&accessMotor=on&accessVisual=on"
#define COLL_OFFER_FIELDS                                                                         \
    "name=Cin%C3%A9&description=Film&subcategoryId=SEANCE_CINE&format=Projection+audiovisuelle&"  \
    "students=Coll%C3%A8ge+-+3e&contactEmail=c%40example.com&interventionArea=33&"               \
    "bookingEmails=r%40example.com"

/*
 * Placeholders: {offerer} {venue} {offer} {stock_del} {offer_pub} {digital} {bookable}
 * {bookable_stk} {booking} {booking_2} {bank_account} {coll_offer} {coll_booking} are the ids
 * above, {token} the countermark, {email} a fresh address, {siret} a fresh SIRET.
 */
static const struct row rows[] = {
    /* method, path, form, {anon, other, pending, member, admin, benef, partner} */
    {"GET", "/", NULL, ALL(303), false, false, "to the login or the caller's home"},
    {"GET", "/connexion", NULL, {200, 303, 303, 303, 303, 303, 200}, false, false, NULL},
    {"GET", "/inscription", NULL, {200, 303, 303, 303, 303, 303, 200}, false, false, NULL},
    /* Open forms: the access passes and the handler refuses the incomplete body. */
    {"POST", "/connexion", "email={email}&password=", ALL(422), false, false, NULL},
    {"POST", "/connexion", "email={email}&password=", ALL(403), true, false, "no CSRF token"},
    {"POST", "/inscription", "email={email}&password=court&firstName=A&lastName=B", ALL(422),
     false, false, NULL},
    {"POST", "/deconnexion", "", ALL(303), false, true, NULL},
    {"POST", "/deconnexion", "", NO_TOKEN, true, true, "no CSRF token"},
    {"POST", "/deconnexion-partout", "", ALL(303), false, true, NULL},
    {"POST", "/deconnexion-partout", "", NO_TOKEN, true, true, "no CSRF token"},
    {"GET", "/mot-de-passe-oublie", NULL, ALL(200), false, false, NULL},
    {"POST", "/mot-de-passe-oublie", "email={email}", ALL(200), false, false,
     "the same page whether or not the address has an account"},
    {"POST", "/mot-de-passe-oublie", "email={email}", ALL(403), true, false, "no CSRF token"},
    {"GET", "/mot-de-passe/nouveau?token=x", NULL, ALL(200), false, false, NULL},
    {"POST", "/mot-de-passe/nouveau", "token=x&password=court&confirmation=court", ALL(422), false,
     false, NULL},
    {"POST", "/mot-de-passe/nouveau", "token=x&password=court&confirmation=court", ALL(403), true,
     false, "no CSRF token"},
    {"GET", "/compte", NULL, {303, 200, 200, 200, 200, 200, 303}, false, false, NULL},
    {"POST", "/compte/mot-de-passe", "currentPassword=x&newPassword=court&confirmation=court",
     {303, 422, 422, 422, 422, 422, 303}, false, false, NULL},
    {"POST", "/compte/mot-de-passe", "currentPassword=x", NO_TOKEN, true, false, "no CSRF token"},

    {"GET", "/accueil", NULL, PRO_ANY(200), false, false, NULL},
    {"GET", "/structures/nouvelle", NULL, PRO_ANY(200), false, false, NULL},
    {"POST", "/structures/nouvelle", "siret={siret}", PRO_ANY(303), false, false, NULL},
    {"GET", "/lieux/nouveau?offererId={offerer}", NULL, OF_S(200), false, false, NULL},
    {"POST", "/lieux/nouveau",
     "offererId={offerer}&name=Salle&comment=Sans+SIRET&" VENUE_FIELDS, OF_S(303), false, false,
     NULL},
    {"GET", "/lieux/{venue}", NULL, OF_S(200), false, false, NULL},
    {"GET", "/lieux/999999", NULL, OF_S(404), false, false, "unknown venue"},
    {"POST", "/lieux/{venue}", "publicName=Nom+d%27usage&" VENUE_FIELDS, OF_S(303), false, false,
     NULL},
    {"POST", "/lieux/{venue}", "publicName=Nom", NO_TOKEN, true, false, "no CSRF token"},

    /* Offers. */
    {"GET", "/offres", NULL, PRO_ANY(200), false, false, NULL},
    {"GET", "/offres?lieu={venue}", NULL, OF_S(200), false, false, NULL},
    {"GET", "/offres/creation", NULL, PRO_ANY(200), false, false, NULL},
    {"GET", "/offres/creation?lieu={venue}", NULL, OF_S(200), false, false, NULL},
    {"POST", "/offres/creation",
     "audience=public&venueId={venue}&name=Visite&subcategoryId=VISITE&" ACCESSIBLE, OF_S(303),
     false, false, NULL},
    {"GET", "/offres/{offer}", NULL, OF_S(200), false, false, NULL},
    {"GET", "/offres/999999", NULL, OF_S(404), false, false, "unknown offer"},
    {"GET", "/offres/{offer}/edition", NULL, OF_S(200), false, false, NULL},
    {"POST", "/offres/{offer}/edition", "name=Visite+guid%C3%A9e&" ACCESSIBLE, OF_S(303), false,
     false, NULL},
    {"GET", "/offres/{offer}/tarifs", NULL, OF_S(200), false, false, NULL},
    {"POST", "/offres/{offer}/tarifs", "label=R%C3%A9duit&price=5", OF_S(303), false, false,
     NULL},
    {"GET", "/offres/{offer}/dates", NULL, OF_S(200), false, false, NULL},
    {"POST", "/offres/{offer}/dates", "mode=unique", OF_S(422), false, false, "no date"},
    {"POST", "/offres/{offer}/dates/{stock_del}/supprimer", "", OF_S(303), false, false, NULL},
    {"GET", "/offres/{digital}/stock", NULL, OF_S(200), false, false, NULL},
    {"POST", "/offres/{digital}/stock", "price=9&quantity=10", OF_S(303), false, false, NULL},
    {"POST", "/offres/{offer_pub}/publier", "", OF_S(303), false, false, NULL},
    {"POST", "/offres/{bookable}/activation", "isActive=1", OF_S(303), false, false,
     "a published offer"},
    {"GET", "/offres/{offer}/reservations", NULL, OF_S(200), false, false, NULL},
    {"GET", "/reservations", NULL, PRO_ANY(200), false, false, NULL},
    {"GET", "/reservations?offererId={offerer}", NULL, OF_S(200), false, false, NULL},
    {"GET", "/reservations?venueId={venue}", NULL, OF_S(200), false, false, NULL},

    /* Finance. */
    {"GET", "/gestion-financiere", NULL, PRO_ANY(200), false, false, NULL},
    {"GET", "/gestion-financiere?structure={offerer}", NULL, OF_S(200), false, false, NULL},
    {"POST", "/gestion-financiere/comptes",
     "structure={offerer}&label=Compte&iban=FR7630006000011234567890189", OF_S(303), false, false,
     NULL},
    {"POST", "/gestion-financiere/comptes/{bank_account}/lieux", "lieu={venue}", OF_S(303), false,
     false, NULL},
    {"POST", "/gestion-financiere/lieux/{venue}/calcul", "pricingPoint={venue}", OF_S(422), false,
     false, "a SIRET venue"},

    /* Collective offers: S is referenced in the setup. */
    {"GET", "/collectif", NULL, PRO_ANY(200), false, false, NULL},
    {"GET", "/collectif?structure={offerer}", NULL, OF_S(200), false, false, NULL},
    {"POST", "/collectif/referencement",
     "structure={offerer}&activity=Cin%C3%A9ma&public=Coll%C3%A9giens&contactEmail=c%40example.com"
     "&formats=Projection+audiovisuelle&description=S%C3%A9ances",
     OF_S(409), false, false, "already referenced"},
    {"POST", "/collectif/offres", "venueId={venue}&kind=offer&" COLL_OFFER_FIELDS, OF_S(303),
     false, false, NULL},
    {"POST", "/collectif/offres/{coll_offer}/date",
     "startDatetime=2035-03-10T09%3A00&endDatetime=2035-03-10T11%3A00&numberOfTickets=25&"
     "totalPriceCents=300",
     OF_S(303), false, false, NULL},
    {"POST", "/collectif/reservations/{coll_booking}/annuler", "", OF_S(303), false, false, NULL},

    /* The counter: S's countermark is found by S's members only. */
    {"GET", "/guichet", NULL, PRO_ANY(200), false, false, NULL},
    {"GET", "/guichet?contremarque={token}", NULL, OF_S(200), false, false, NULL},
    {"POST", "/guichet/valider", "contremarque={token}", OF_S(303), false, false, NULL},
    {"POST", "/guichet/invalider", "contremarque={token}", OF_S(303), false, false, NULL},

    /* Beneficiaries. */
    {"GET", "/app", NULL, BENEF_ONLY(200), false, false, NULL},
    {"GET", "/app/offres/{bookable}", NULL, BENEF_ONLY(200), false, false, NULL},
    {"GET", "/app/offres/{offer}", NULL, BENEF_ONLY(404), false, false, "a draft offer"},
    {"POST", "/app/offres/{bookable}/reserver", "stockId={bookable_stk}&quantity=1",
     BENEF_ONLY(303), false, false, NULL},
    {"GET", "/app/reservations", NULL, BENEF_ONLY(200), false, false, NULL},
    {"POST", "/app/reservations/{booking}/annuler", "", NO_TOKEN, true, false, "no CSRF token"},
    {"POST", "/app/reservations/{booking}/annuler", "", BENEF_ONLY(303), false, false, NULL},
    {"POST", "/app/reservations/{booking_2}/annuler", "", BENEF_ONLY(404), false, false,
     "another beneficiary's booking"},

    /* The back office: unknown ids (404) or refused bodies (422) once the access passed. */
    {"GET", "/backoffice", NULL, ADMIN_ONLY(200), false, false, NULL},
    {"POST", "/backoffice/beneficiaires", "email={email}", ADMIN_ONLY(422), false, false, NULL},
    {"POST", "/backoffice/beneficiaires", "email={email}", NO_TOKEN, true, false,
     "no CSRF token"},
    {"POST", "/backoffice/structures/999999/valider", "", ADMIN_ONLY(404), false, false, NULL},
    {"POST", "/backoffice/rattachements/999999/rejeter", "", ADMIN_ONLY(404), false, false, NULL},
    {"POST", "/backoffice/offres/999999/valider", "", ADMIN_ONLY(404), false, false, NULL},
    {"GET", "/backoffice/emails", NULL, ADMIN_ONLY(200), false, false, NULL},
    {"POST", "/backoffice/emails/999999/renvoyer", "", ADMIN_ONLY(404), false, false, NULL},
    {"GET", "/backoffice/finance", NULL, ADMIN_ONLY(200), false, false, NULL},
    {"POST", "/backoffice/comptes/999999/accepter", "", ADMIN_ONLY(404), false, false, NULL},
    {"POST", "/backoffice/finance/virements", "cutoff=", ADMIN_ONLY(422), false, false, NULL},
    {"POST", "/backoffice/finance/incidents", "bookingId=999999", ADMIN_ONLY(422), false, false,
     "unknown booking"},
    {"POST", "/backoffice/finance/baremes", "target=structure", ADMIN_ONLY(422), false, false,
     NULL},
    {"GET", "/backoffice/collectif", NULL, ADMIN_ONLY(200), false, false, NULL},
    {"POST", "/backoffice/collectif/referencements/999999/accepter", "", ADMIN_ONLY(404), false,
     false, NULL},
    {"POST", "/backoffice/collectif/etablissements", "uai=", ADMIN_ONLY(422), false, false, NULL},
    {"POST", "/backoffice/collectif/import", "csv=", ADMIN_ONLY(422), false, false, NULL},
    {"POST", "/backoffice/collectif/politique",
     "subcategories=SEANCE_CINE&formats=Projection+audiovisuelle", ADMIN_ONLY(303), false, false,
     NULL},
    {"POST", "/backoffice/collectif/cles", "label=ADAGE", ADMIN_ONLY(200), false, false,
     "the key shown once"},
    {"POST", "/backoffice/collectif/cles/999999/revoquer", "", ADMIN_ONLY(404), false, false,
     NULL},
};

#define NROWS (sizeof rows / sizeof rows[0])

/* The value of placeholder @name (@n bytes), or NULL when it is not one. */
static const char *placeholder(const char *name, size_t n)
{
    static const struct {
        const char *name;
        const int64_t *id;
    } ids[] = {{"offerer", &obj.offerer},         {"venue", &obj.venue},
               {"offer", &obj.offer},             {"stock_del", &obj.stock_del},
               {"offer_pub", &obj.offer_pub},     {"digital", &obj.digital},
               {"bookable", &obj.bookable},       {"bookable_stk", &obj.bookable_stk},
               {"booking", &obj.booking},         {"booking_2", &obj.booking_2},
               {"bank_account", &obj.bank_account}, {"coll_offer", &obj.coll_offer},
               {"coll_booking", &obj.coll_booking}};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
        if (n == strlen(ids[i].name) && strncmp(name, ids[i].name, n) == 0)
            return strf("%lld", (long long)*ids[i].id);
    if (n == 5 && strncmp(name, "token", 5) == 0)
        return obj.token;
    if (n == 5 && strncmp(name, "email", 5) == 0)
        return unique_email("pages");
    if (n == 5 && strncmp(name, "siret", 5) == 0)
        return new_siret();
    return NULL;
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
        size_t n = strspn(open + 1, "abcdefghijklmnopqrstuvwxyz_2");
        const char *value = open[1 + n] == '}' ? placeholder(open + 1, n) : NULL;
        if (value == NULL)
            fail_msg("unknown placeholder in %s", template);
        out = strf("%s%.*s%s", out, (int)(open - p), p, value);
        p = open + n + 2;
    }
}

/* One cell: the partner sends its key on every request. */
static struct resp send(enum caller c, struct client *who, const char *token,
                        const struct row *row)
{
    const char *auth[] = {strf("Authorization: Bearer %s", partner_key), NULL};
    const char *const *headers = c == PARTNER ? auth : NULL;
    const char *path = expand(row->path);
    if (row->form == NULL)
        return http_raw(who, "GET", path, NULL, NULL, 0, headers);
    const char *form = expand(row->form);
    const char *body = row->no_csrf ? form
                                    : strf("csrf=%s%s%s", token, *form ? "&" : "", form);
    return http_raw(who, row->method, path, "application/x-www-form-urlencoded", body,
                    strlen(body), headers);
}

/* "Log out everywhere" ends the caller's own sessions too: the row logs it in again after. */
static bool ends_all(const struct row *row)
{
    return strcmp(row->path, "/deconnexion-partout") == 0 && !row->no_csrf;
}

static void run_row(void **state)
{
    const struct row *row = *state;
    bool ok = true;
    for (int c = 0; c < NCALLERS; c++) {
        struct client *who = callers[c];
        const char *token = tokens[c];
        if (row->fresh_session) {
            who = client_new();
            if (callers[c]->id != 0)
                client_login(who, callers[c]->email, callers[c]->password);
            token = client_csrf(who, token_pages[c]);
        }
        struct resp r = send(c, who, token, row);
        const char *location = resp_header(&r, "Location");
        if (r.status != row->expected[c]) {
            /* The page's first field error tells why a form was refused. */
            const char *why = strstr(r.body, "fr-error-text\">");
            why = why ? why + strlen("fr-error-text\">") : "";
            print_error("%s %s as %s: expected %d, got %ld%s%s %.*s\n", row->method, r.path,
                        caller_names[c], row->expected[c], r.status, location ? " to " : "",
                        location ? location : "", (int)strcspn(why, "<"), why);
            ok = false;
        } else if ((c == ANON || c == PARTNER) && r.status == 303 &&
                   (location == NULL || strncmp(location, "/connexion", 10) != 0)) {
            print_error("%s %s as %s: 303 to %s, not to the login page\n", row->method, r.path,
                        caller_names[c], location ? location : "(none)");
            ok = false;
        }
        if (ends_all(row) && callers[c]->id != 0) {
            client_login(callers[c], callers[c]->email, callers[c]->password);
            tokens[c] = client_csrf(callers[c], token_pages[c]);
        }
    }
    if (!ok)
        fail();
}

/* Every route of the table has a row: a new route without one fails here, by its name. */
static void test_every_route_has_a_row(void **state)
{
    (void)state;
    bool *covered = calloc(routes_count(pp_web_routes) + 1, sizeof *covered);
    assert_non_null(covered);
    for (size_t i = 0; i < NROWS; i++)
        routes_cover(pp_web_routes, covered, rows[i].method, rows[i].path);
    assert_routes_covered(pp_web_routes, covered, "src/web/routes.c");
    free(covered);
}

/* A JSON request of the setup; writes without a body still say Content-Type. */
static struct resp api(struct client *who, const char *method, const char *path, const char *body)
{
    bool write = strcmp(method, "GET") != 0;
    return http_raw(who, method, path, body || write ? "application/json" : NULL,
                    body ? body : write ? "" : NULL, body ? strlen(body) : 0, NULL);
}

/* @method @path as @who with @body, asserting @status; the "id" (or @key) of the answer. */
static int64_t api_id(struct client *who, const char *method, const char *path, const char *body,
                      long status, const char *key)
{
    struct resp r = api(who, method, path, body);
    assert_status(r, status);
    return key ? jint(r.json, key) : 0;
}

/* A birth date 18 years and 100 days before today (this program keeps the real clock). */
static const char *birth_date_18(void)
{
    time_t t = time(NULL) - 100 * 24 * 3600;
    struct tm tm;
    gmtime_r(&t, &tm);
    return strf("%04d-%02d-%02d", tm.tm_year + 1900 - 18, tm.tm_mon + 1,
                tm.tm_mday > 28 ? 28 : tm.tm_mday);
}

/* An offer of S in its venue with one tariff (@cents); the tariff's id in *@pc. */
static int64_t s_offer(const char *subcategory, const char *url, int64_t cents, int64_t *pc)
{
    struct client *m = callers[MEMBER];
    int64_t id = api_id(
        m, "POST", "/api/v1/offers",
        strf("{\"venueId\":%lld,\"name\":\"Visite\",\"subcategoryId\":\"%s\"%s%s%s,"
             "\"audioDisabilityCompliant\":true,\"mentalDisabilityCompliant\":true,"
             "\"motorDisabilityCompliant\":true,\"visualDisabilityCompliant\":true}",
             (long long)obj.venue, subcategory, url ? ",\"url\":\"" : "", url ? url : "",
             url ? "\"" : ""),
        201, "id");
    if (pc != NULL)
        *pc = api_id(m, "POST", strf("/api/v1/offers/%lld/price-categories", (long long)id),
                     strf("{\"priceCents\":%lld}", (long long)cents), 201, "id");
    return id;
}

static int64_t s_dated_stock(int64_t offer, int64_t pc, const char *start)
{
    return api_id(callers[MEMBER], "POST", strf("/api/v1/offers/%lld/stocks", (long long)offer),
                  strf("{\"priceCategoryId\":%lld,\"beginningDatetime\":\"%s\"}", (long long)pc,
                       start),
                  201, "id");
}

/* An approved offer of S (S is validated: publishing approves it) and its stock. */
static int64_t s_bookable(const char *subcategory, int64_t *stock)
{
    int64_t pc = 0, id = s_offer(subcategory, NULL, 700, &pc);
    *stock = strcmp(subcategory, "VISITE") == 0
                 ? s_dated_stock(id, pc, "2035-06-05T08:00:00Z")
                 : api_id(callers[MEMBER], "POST",
                          strf("/api/v1/offers/%lld/stocks", (long long)id),
                          "{\"priceCents\":1000}", 201, "id");
    struct resp r =
        api(callers[MEMBER], "POST", strf("/api/v1/offers/%lld/publish", (long long)id), NULL);
    assert_status(r, 200);
    assert_jstr(r.json, "status", "APPROVED");
    return id;
}

/* S referenced for collective offers: one offer without a date, one booked by a school. */
static void collective_setup(void)
{
    struct client *admin = callers[ADMIN];
    api_id(admin, "POST", strf("/api/v1/admin/offerers/%lld/adage", (long long)obj.offerer), NULL,
           200, NULL);
    const char *body = strf(
        "{\"venueId\":%lld,\"name\":\"Ciné\",\"description\":\"Film\","
        "\"subcategoryId\":\"SEANCE_CINE\",\"format\":\"Projection audiovisuelle\","
        "\"students\":[\"Collège - 3e\"],\"contactEmail\":\"c@example.com\","
        "\"interventionArea\":[\"33\"],\"bookingEmails\":[\"r@example.com\"]}",
        (long long)obj.venue);
    obj.coll_offer = api_id(callers[MEMBER], "POST", "/api/v1/collective/offers", body, 201, "id");
    int64_t booked = api_id(callers[MEMBER], "POST", "/api/v1/collective/offers", body, 201, "id");
    int64_t stock = api_id(
        callers[MEMBER], "POST", strf("/api/v1/collective/offers/%lld/stock", (long long)booked),
        "{\"startDatetime\":\"2035-03-10T09:00:00Z\",\"endDatetime\":\"2035-03-10T11:00:00Z\","
        "\"numberOfTickets\":25,\"totalPriceCents\":30000}",
        201, "id");
    api_id(admin, "POST", "/api/v1/admin/institutions",
           "{\"uai\":\"0750655E\",\"name\":\"Lycée\",\"city\":\"Paris\",\"budgetCents\":100000,"
           "\"educationalYear\":\"2034-2035\"}",
           201, NULL);
    obj.coll_booking = api_id(admin, "POST", "/api/v1/adage/bookings",
                              strf("{\"collectiveStockId\":%lld,\"uai\":\"0750655E\","
                                   "\"teacherEmail\":\"prof@example.com\"}",
                                   (long long)stock),
                              201, "id");
}

static int setup(void **state)
{
    if (harness_group_setup(state) != 0)
        return -1;
    callers[ANON] = client_new();
    callers[PARTNER] = client_new();
    callers[MEMBER] = pro_new("membre");
    callers[PENDING] = pro_new("en-attente");
    callers[OTHER] = pro_new("autre");
    callers[ADMIN] = admin_new("admin");
    struct client *m = callers[MEMBER], *admin = callers[ADMIN];

    /* S, created by the member and validated; the pending member asks to join it. */
    const char *siren = new_siren();
    struct resp r = api(m, "POST", "/api/v1/offerers",
                        strf("{\"siret\":\"%s\"}", siret_of(siren, 1)));
    assert_status(r, 201);
    obj.offerer = jint(r.json, "offerer.id");
    obj.venue = jint(r.json, "venue.id");
    api_id(admin, "POST", strf("/api/v1/admin/offerers/%lld/validate", (long long)obj.offerer),
           NULL, 200, NULL);
    r = api(callers[PENDING], "POST", "/api/v1/offerers",
            strf("{\"siret\":\"%s\"}", siret_of(siren, 2)));
    assert_status(r, 201);
    assert_jstr(r.json, "attachment.status", "NEW");

    /* T, the other pro's structure, validated, and its partner key. */
    int64_t t = api_id(callers[OTHER], "POST", "/api/v1/offerers",
                       strf("{\"siret\":\"%s\"}", new_siret()), 201, "offerer.id");
    api_id(admin, "POST", strf("/api/v1/admin/offerers/%lld/validate", (long long)t), NULL, 200,
           NULL);
    r = api(callers[OTHER], "POST", strf("/api/v1/offerers/%lld/api-keys", (long long)t), NULL);
    assert_status(r, 201);
    partner_key = jstr(r.json, "key");

    /* S's offers. */
    int64_t pc = 0;
    obj.offer = s_offer("VISITE", NULL, 1000, &pc);
    s_dated_stock(obj.offer, pc, "2035-06-01T08:00:00Z");
    obj.stock_del = s_dated_stock(obj.offer, pc, "2035-06-02T08:00:00Z");
    obj.offer_pub = s_offer("VISITE", NULL, 800, &pc);
    s_dated_stock(obj.offer_pub, pc, "2035-06-01T08:00:00Z");
    obj.digital = s_offer("LIVRE_NUMERIQUE", "https://editeur.example.fr/livre", 0, NULL);
    api_id(m, "POST", strf("/api/v1/offers/%lld/stocks", (long long)obj.digital),
           "{\"priceCents\":900}", 201, NULL);
    obj.bookable = s_bookable("VISITE", &obj.bookable_stk);

    /* Two beneficiaries, each with a booking of S; a museum card for the Guichet rows. */
    callers[BENEF] = beneficiary_new(admin, "jeune", birth_date_18(), false);
    struct client *second = beneficiary_new(admin, "autre-jeune", birth_date_18(), false);
    int64_t stock;
    s_bookable("VISITE", &stock);
    const char *book = strf("{\"stockId\":%lld,\"quantity\":1}", (long long)stock);
    obj.booking = api_id(callers[BENEF], "POST", "/api/v1/bookings", book, 201, "id");
    obj.booking_2 = api_id(second, "POST", "/api/v1/bookings", book, 201, "id");
    s_bookable("CARTE_MUSEE", &stock);
    r = api(callers[BENEF], "POST", "/api/v1/bookings",
            strf("{\"stockId\":%lld,\"quantity\":1}", (long long)stock));
    assert_status(r, 201);
    assert_jstr(r.json, "status", "CONFIRMED");
    obj.token = jstr(r.json, "token");

    obj.bank_account =
        api_id(m, "POST", strf("/api/v1/offerers/%lld/bank-accounts", (long long)obj.offerer),
               "{\"label\":\"Régie\",\"iban\":\"FR7630006000011234567890189\"}", 201, "id");
    collective_setup();

    for (int c = 0; c < NCALLERS; c++)
        tokens[c] = client_csrf(callers[c], token_pages[c]);
    return 0;
}

int main(void)
{
    /* cmocka prints the names after the group teardown: they must outlive the harness. */
    static char names[NROWS][200];
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
    return cmocka_run_group_tests_name("http_permissions_pages", tests, setup,
                                       harness_group_teardown);
}
