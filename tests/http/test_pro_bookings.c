/*
 * The pro's bookings: GET /api/v1/pro/bookings (filters, scoping, the hidden countermark, the
 * default 30 days, pagination, bad input) and GET /api/v1/pro/bookings/export (CSV parsed back,
 * .xlsx unzipped and its sheet XML read back): SPEC §6, RULES.md §6 and §9, through the real
 * server. The files are read by this test's own CSV parser and by unzip, never by the code that
 * wrote them.
 *
 * Clock: everything is created at START (NOW - 45 days); the old booking is made at NOW - 40
 * days; then every client logs in again at NOW, the latest clock any test uses, so that its
 * session (7 days on the test clock) is valid at every earlier clock. Each booking is made at its
 * own clock; every test then reads at NOW.
 *
 *   alice  pro of structure A (venue va in Paris, venue vr in La Réunion) and of structure A2
 *          (venue va2 in Paris)
 *   bob    pro of structure B (venue vb): "another structure"
 *   nina   asked to join A: her attachment is still NEW, she sees nothing
 *   ben1..ben6, ines (accented names), pool[] (22 beneficiaries) book
 *
 * Alice's bookings (NOW = Monday 2027-01-04 08:00 UTC, 09:00 in Paris):
 *   b_old    ben1, event E (14/01 10:00 Paris), NOW - 40 d             confirmed, out of 30 days
 *   b_duo    ben2, event E, Duo (2 places), NOW - 3 d                    confirmed
 *   b_thing  ines, thing T at vr (La Réunion), 2027-01-02 22:00 UTC      booked, token hidden
 *            (03/01 02:00 in La Réunion, 02/01 23:00 in Paris)
 *   b_used   ben4, thing T, NOW - 1 d, validated at the counter          validated
 *   b_cancel ben6, event E, NOW - 2 d, cancelled by the beneficiary       cancelled
 *   b_new    ben5, event E2 (16/01 10:00 Paris), NOW                     booked
 *   pool     22 bookings of thing P at va2 (structure A2), NOW - 5 d     booked, token hidden
 * Bob's: ben1 books his offer at NOW - 1 d.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "http/harness.h"

#define NOW "2027-01-04T08:00:00Z"
#define HOUR 3600
#define DAY (24 * HOUR)
#define POOL 22
#define PAGE 20
#define BORN "2008-03-01"

#define OFFER_T "=SOMME(1;2) Carte « Été »" /* a formula, and accents */

static struct client *alice, *bob, *nina, *admin, *ben1, *ben2, *ben4, *ben5, *ben6, *ines;
static struct client *pool[POOL];
static int64_t oa, oa2, ob, va, vr, va2, vb;
static const char *siren_a;
static int64_t offer_e, offer_t, offer_p, offer_b;
static int64_t stock_e, stock_e2, stock_t, stock_p, stock_b;
static int64_t b_old, b_duo, b_thing, b_used, b_cancel, b_new, b_bob;
static const char *tok_duo, *tok_thing, *tok_used;

static const char *const HEADERS[19] = {
    "Structure",
    "Nom de l’offre",
    "Localisation",
    "Date de l'évènement",
    "EAN",
    "Prénom du bénéficiaire",
    "Nom du bénéficiaire",
    "Email du bénéficiaire",
    "Téléphone du bénéficiaire",
    "Date et heure de réservation",
    "Date et heure de validation",
    "Contremarque",
    "Intitulé du tarif",
    "Prix de la réservation",
    "Statut de la contremarque",
    "Date et heure de remboursement",
    "Type d'offre",
    "Code postal du bénéficiaire",
    "Duo",
};
enum {
    C_STRUCTURE, C_OFFER, C_PLACE, C_EVENT, C_EAN, C_FIRST, C_LAST, C_EMAIL, C_PHONE, C_BOOKED,
    C_USED, C_TOKEN, C_TARIFF, C_PRICE, C_STATUS, C_REIMBURSED, C_TYPE, C_POSTAL, C_DUO
};

/* ------------------------------------------------------------------ calendar (independent) */

static int64_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int64_t t0(void)
{
    return days_from_civil(2027, 1, 4) * DAY + 8 * HOUR;
}

static const char *iso(int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    char buf[32];
    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return strf("%s", buf);
}

static void clock_at(int64_t t)
{
    set_clock(iso(t));
}

/* ------------------------------------------------------------------ fixtures */

static const char *api(const char *query)
{
    return strf("/api/v1/pro/bookings%s%s", query && *query ? "?" : "", query ? query : "");
}

static const char *export_path(const char *format, const char *query)
{
    return strf("/api/v1/pro/bookings/export?format=%s%s%s", format, query && *query ? "&" : "",
                query ? query : "");
}

/* A new structure of @c (validated by the admin); its first venue in *venue. */
static int64_t structure_for(struct client *c, const char *postal_code, int64_t *venue,
                             const char **siren)
{
    struct resp r = http_json(c, "POST", "/api/v1/offerers",
                              json_pack("{s:s, s:s, s:s, s:s, s:s}", "siret", new_siret(), "name",
                                        "Musée des Beaux-Arts", "street", "1 rue de la Paix",
                                        "postalCode", postal_code, "city", "Saint-Aubin"));
    assert_status(r, 201);
    int64_t offerer = jint(r.json, "offerer.id");
    *venue = jint(r.json, "venue.id");
    if (siren != NULL)
        *siren = strf("%s", jstr(r.json, "offerer.siren"));
    r = http_request(admin, "POST",
                     strf("/api/v1/admin/offerers/%lld/validate", (long long)offerer), NULL);
    assert_status(r, 200);
    return offerer;
}

/* An offer of @pro at @venue; events get the tariff @label at @price and a first date @start. */
static int64_t offer_for(struct client *pro, int64_t venue, const char *name, const char *sub,
                         bool duo, const char *label, int64_t price, int64_t start,
                         int64_t *stock, int64_t *pc)
{
    json_t *body = json_pack("{s:I, s:s, s:s, s:b, s:b, s:b, s:b, s:b}", "venueId",
                             (json_int_t)venue, "name", name, "subcategoryId", sub,
                             "audioDisabilityCompliant", 1, "mentalDisabilityCompliant", 1,
                             "motorDisabilityCompliant", 1, "visualDisabilityCompliant", 0,
                             "isDuo", duo);
    struct resp r = http_json(pro, "POST", "/api/v1/offers", body);
    assert_status(r, 201);
    int64_t offer = jint(r.json, "id");
    if (start != 0) {
        r = http_json(pro, "POST", strf("/api/v1/offers/%lld/price-categories", (long long)offer),
                      json_pack("{s:s, s:I}", "label", label, "priceCents", (json_int_t)price));
        assert_status(r, 201);
        *pc = jint(r.json, "id");
        r = http_json(pro, "POST", strf("/api/v1/offers/%lld/stocks", (long long)offer),
                      json_pack("{s:I, s:s, s:n}", "priceCategoryId", (json_int_t)*pc,
                                "beginningDatetime", iso(start), "quantity"));
    } else {
        r = http_json(pro, "POST", strf("/api/v1/offers/%lld/stocks", (long long)offer),
                      json_pack("{s:I, s:n}", "priceCents", (json_int_t)price, "quantity"));
    }
    assert_status(r, 201);
    *stock = jint(r.json, "id");
    r = http_request(pro, "POST", strf("/api/v1/offers/%lld/publish", (long long)offer), NULL);
    assert_status(r, 200);
    assert_jstr(r.json, "status", "APPROVED");
    return offer;
}

/* Books (asserts 201); returns the booking id, its token in *token when asked. */
static int64_t book(struct client *c, int64_t stock, int quantity, const char **token)
{
    struct resp r = http_request(c, "POST", "/api/v1/bookings",
                                 strf("{\"stockId\":%lld,\"quantity\":%d}", (long long)stock,
                                      quantity));
    assert_status(r, 201);
    if (token != NULL)
        *token = strf("%s", jstr(r.json, "token"));
    return jint(r.json, "id");
}

/* Logs the @n clients in again, 8 at a time (one Argon2id each). */
static void relogin(struct client **cs, size_t n)
{
    struct call calls[8];
    for (size_t done = 0; done < n; done += 8) {
        size_t k = n - done < 8 ? n - done : 8;
        for (size_t i = 0; i < k; i++)
            calls[i] = (struct call){cs[done + i], "POST", "/api/v1/auth/login",
                                     strf("{\"email\":\"%s\",\"password\":\"%s\"}",
                                          cs[done + i]->email, cs[done + i]->password),
                                     {0}};
        http_parallel(calls, k);
        for (size_t i = 0; i < k; i++)
            assert_status(calls[i].r, 200);
    }
}

static int setup(void **state)
{
    if (harness_group_setup(state) != 0)
        return -1;
    int64_t now = t0();
    clock_at(now - 45 * DAY);
    admin = admin_new("admin");
    alice = pro_new("alice");
    bob = pro_new("bob");
    nina = pro_new("nina");
    oa = structure_for(alice, "75001", &va, &siren_a);
    oa2 = structure_for(alice, "75002", &va2, NULL);
    ob = structure_for(bob, "13001", &vb, NULL);
    /* Nina asks to join A with a SIRET of its SIREN: a request the back office has not decided. */
    struct resp r = http_json(nina, "POST", "/api/v1/offerers",
                              json_pack("{s:s}", "siret", siret_of(siren_a, 77)));
    assert_status(r, 201);
    assert_jstr(r.json, "attachment.status", "NEW");
    r = http_json(alice, "POST", "/api/v1/venues",
                  json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "offererId",
                            (json_int_t)oa, "name", "Musée Léon-Dierx", "comment",
                            "Annexe sans SIRET", "street", "28 rue de Paris", "postalCode",
                            "97400", "city", "Saint-Denis", "bookingEmail",
                            "reunion@example.com", "venueType", "MUSEUM", "timezone",
                            "Indian/Reunion"));
    assert_status(r, 201);
    vr = jint(r.json, "id");
    assert_true(vr > 0);

    int64_t pc;
    int64_t event = now + 10 * DAY + HOUR; /* Thursday 14/01/2027 10:00 in Paris */
    offer_e = offer_for(alice, va, "Visite guidée : les impressionnistes", "VISITE_GUIDEE", true,
                        "Plus de 18 ans", 1250, event, &stock_e, &pc);
    r = http_json(alice, "POST", strf("/api/v1/offers/%lld/stocks", (long long)offer_e),
                  json_pack("{s:I, s:s, s:n}", "priceCategoryId", (json_int_t)pc,
                            "beginningDatetime", iso(event + 2 * DAY), "quantity"));
    assert_status(r, 201);
    stock_e2 = jint(r.json, "id");
    offer_t = offer_for(alice, vr, OFFER_T, "CARTE_MUSEE", false, NULL, 1500, 0, &stock_t, NULL);
    offer_p = offer_for(alice, va2, "Carte jeunes du musée", "CARTE_MUSEE", false, NULL, 500, 0,
                        &stock_p, NULL);
    offer_b = offer_for(bob, vb, "Visite de Bob", "VISITE", false, "Tarif unique", 800, event,
                        &stock_b, &pc);

    struct client *six[5];
    beneficiaries_new(admin, "ben", BORN, 5, six);
    ben1 = six[0];
    ben2 = six[1];
    ben4 = six[2];
    ben5 = six[3];
    ben6 = six[4];
    const char *ines_email = unique_email("ines");
    r = http_json(admin, "POST", "/api/v1/admin/beneficiaries",
                  json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "email",
                            ines_email, "password", TEST_PASSWORD, "firstName",
                            "Inès", "lastName", "Lefèvre-Œuvray", "birthDate", BORN, "postalCode",
                            "97411", "phone", "06 11 22 33 44"));
    assert_status(r, 201);
    ines = client_new();
    client_login(ines, ines_email, TEST_PASSWORD);
    beneficiaries_new(admin, "jeune", BORN, POOL, pool);

    clock_at(now - 40 * DAY);
    b_old = book(ben1, stock_e, 1, NULL);

    /* Every session again at NOW: valid at every earlier clock. */
    clock_at(now);
    struct client *all[] = {admin, alice, bob, nina, ben1, ben2, ben4, ben5, ben6, ines};
    relogin(all, sizeof all / sizeof all[0]);
    relogin(pool, POOL);

    clock_at(now - 5 * DAY);
    for (size_t i = 0; i < POOL; i++)
        book(pool[i], stock_p, 1, NULL);
    clock_at(now - 3 * DAY);
    b_duo = book(ben2, stock_e, 2, &tok_duo);
    clock_at(now - 2 * DAY);
    b_cancel = book(ben6, stock_e, 1, NULL);
    r = http_request(ben6, "POST", strf("/api/v1/bookings/%lld/cancel", (long long)b_cancel),
                     NULL);
    assert_status(r, 200);
    clock_at(now - 2 * DAY + 14 * HOUR); /* 2027-01-02 22:00 UTC: 03/01 02:00 in La Réunion */
    b_thing = book(ines, stock_t, 1, &tok_thing);
    clock_at(now - 1 * DAY);
    b_used = book(ben4, stock_t, 1, &tok_used);
    b_bob = book(ben1, stock_b, 1, NULL);
    clock_at(now - 1 * DAY + HOUR);
    r = http_request(alice, "POST", strf("/api/v1/pro/bookings/token/%s/use", tok_used), NULL);
    assert_status(r, 204);
    clock_at(now);
    b_new = book(ben5, stock_e2, 1, NULL);
    return 0;
}

static int at_now(void **state)
{
    (void)state;
    set_clock(NOW);
    return 0;
}

/* ------------------------------------------------------------------ list helpers */

/* GET the list as @c with @query; asserts 200 and the answer's shape. */
static json_t *list_as(struct client *c, const char *query)
{
    struct resp r = http_request(c, "GET", api(query), NULL);
    assert_status(r, 200);
    assert_true(json_is_array(jget(r.json, "bookings")));
    assert_true(json_is_integer(jget(r.json, "total")));
    assert_true(json_is_integer(jget(r.json, "page")));
    return r.json;
}

static json_t *list(const char *query)
{
    return list_as(alice, query);
}

/* The ids of @j's bookings, sorted, as "1,5,9". */
static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static const char *ids_of(const json_t *j)
{
    json_t *items = jget(j, "bookings");
    size_t n = json_array_size(items);
    int64_t *v = calloc(n + 1, sizeof *v);
    for (size_t i = 0; i < n; i++)
        v[i] = jint(json_array_get(items, i), "id");
    qsort(v, n, sizeof *v, cmp_i64);
    const char *s = "";
    for (size_t i = 0; i < n; i++)
        s = strf("%s%s%lld", s, i ? "," : "", (long long)v[i]);
    free(v);
    return s;
}

static const char *ids(int n, ...)
{
    va_list ap;
    va_start(ap, n);
    int64_t v[16];
    for (int i = 0; i < n; i++)
        v[i] = va_arg(ap, int64_t);
    va_end(ap);
    qsort(v, (size_t)n, sizeof v[0], cmp_i64);
    const char *s = "";
    for (int i = 0; i < n; i++)
        s = strf("%s%s%lld", s, i ? "," : "", (long long)v[i]);
    return s;
}

#define assert_ids(j, expected)                                                                    \
    do {                                                                                           \
        const char *got_ = ids_of(j);                                                              \
        if (strcmp(got_, (expected)) != 0) {                                                       \
            print_error("bookings: expected ids [%s], got [%s]\n", (expected), got_);              \
            fail();                                                                                \
        }                                                                                          \
    } while (0)

static json_t *find(const json_t *j, int64_t id)
{
    json_t *b = jfind_id(j, "bookings", "id", id);
    if (b == NULL) {
        print_error("booking %lld not listed\n", (long long)id);
        fail();
    }
    return b;
}

/* ------------------------------------------------------------------ the list */

static void test_default_last_30_days(void **state)
{
    (void)state;
    json_t *j = list(NULL);
    /* 22 + duo + thing + used + cancel + new; the booking of 40 days ago is out. */
    assert_int_equal(jint(j, "total"), POOL + 5);
    assert_int_equal(jint(j, "page"), 1);
    assert_int_equal(json_array_size(jget(j, "bookings")), PAGE);
    assert_jstr(j, "period.type", "booking");
    assert_jstr(j, "period.beginningDate", "2026-12-06");
    assert_jstr(j, "period.endingDate", "2027-01-04");
    assert_true(json_is_true(jget(j, "period.isDefault")));
    assert_null(jfind_id(j, "bookings", "id", b_old));
    /* Newest first. */
    json_t *items = jget(j, "bookings");
    assert_int_equal(jint(json_array_get(items, 0), "id"), b_new);
    for (size_t i = 1; i < json_array_size(items); i++) {
        const char *a = jstr(json_array_get(items, i - 1), "dateCreated");
        const char *b = jstr(json_array_get(items, i), "dateCreated");
        assert_non_null(a);
        assert_non_null(b);
        assert_true(strcmp(a, b) >= 0);
    }
    /* An explicit period reaches it. */
    j = list("bookingPeriodBeginningDate=2026-11-25&bookingPeriodEndingDate=2026-11-25");
    assert_ids(j, ids(1, b_old));
    assert_true(json_is_false(jget(j, "period.isDefault")));
}

static void test_pagination(void **state)
{
    (void)state;
    json_t *p1 = list("page=1"), *p2 = list("page=2"), *p3 = list("page=3");
    assert_int_equal(json_array_size(jget(p1, "bookings")), PAGE);
    assert_int_equal(json_array_size(jget(p2, "bookings")), POOL + 5 - PAGE);
    assert_int_equal(json_array_size(jget(p3, "bookings")), 0);
    assert_int_equal(jint(p2, "page"), 2);
    assert_int_equal(jint(p3, "total"), POOL + 5);
    assert_int_equal(jint(p1, "pages"), 2);
    /* No booking on two pages, none missing. */
    json_t *items = jget(p2, "bookings");
    for (size_t i = 0; i < json_array_size(items); i++)
        assert_null(jfind_id(p1, "bookings", "id", jint(json_array_get(items, i), "id")));
    /* The last of page 1 is newer than the first of page 2. */
    const char *a = jstr(json_array_get(jget(p1, "bookings"), PAGE - 1), "dateCreated");
    const char *b = jstr(json_array_get(items, 0), "dateCreated");
    assert_true(strcmp(a, b) >= 0);
}

static void test_fields_statuses_and_hidden_token(void **state)
{
    (void)state;
    json_t *j = list(strf("offererId=%lld", (long long)oa));
    assert_ids(j, ids(5, b_duo, b_thing, b_used, b_cancel, b_new));

    json_t *duo = find(j, b_duo);
    assert_jstr(duo, "token", tok_duo);
    assert_jstr(duo, "status", "confirmed");
    assert_jstr(duo, "statusLabel", "Confirmée");
    assert_int_equal(jint(duo, "quantity"), 2);
    assert_true(json_is_true(jget(duo, "isDuo")));
    assert_int_equal(jint(duo, "amountCents"), 1250);
    assert_jstr(duo, "offerName", "Visite guidée : les impressionnistes");
    assert_jstr(duo, "priceCategoryLabel", "Plus de 18 ans");
    assert_jstr(duo, "eventDatetime", "2027-01-14T09:00:00Z");
    assert_jstr(duo, "beneficiary.firstName", "Lou");
    assert_jstr(duo, "beneficiary.lastName", "Martin");
    assert_jstr(duo, "beneficiary.email", ben2->email);
    assert_true(json_is_null(jget(duo, "dateUsed")));
    json_t *h = jget(duo, "history");
    assert_int_equal(json_array_size(h), 2);
    assert_jstr(json_array_get(h, 0), "status", "booked");
    assert_jstr(json_array_get(h, 0), "date", jstr(duo, "dateCreated"));
    assert_jstr(json_array_get(h, 1), "status", "confirmed");
    assert_jstr(json_array_get(h, 1), "date", jstr(duo, "cancellationLimitDate"));

    /* A thing not used yet: its countermark is hidden (RULES §6). */
    json_t *thing = find(j, b_thing);
    assert_true(json_is_null(jget(thing, "token")));
    assert_jstr(thing, "status", "booked");
    assert_jstr(thing, "statusLabel", "Réservée");
    assert_true(json_is_null(jget(thing, "eventDatetime")));
    assert_true(json_is_null(jget(thing, "priceCategoryLabel")));
    assert_jstr(thing, "offerName", OFFER_T);
    assert_jstr(thing, "beneficiary.firstName", "Inès");
    assert_jstr(thing, "beneficiary.lastName", "Lefèvre-Œuvray");
    assert_jstr(thing, "beneficiary.phone", "06 11 22 33 44");
    assert_jstr(thing, "dateCreated", "2027-01-02T22:00:00Z");
    /* Once used, it shows. */
    json_t *used = find(j, b_used);
    assert_jstr(used, "token", tok_used);
    assert_jstr(used, "status", "validated");
    assert_jstr(used, "statusLabel", "Validée");
    assert_non_null(jstr(used, "dateUsed"));
    h = jget(used, "history");
    assert_int_equal(json_array_size(h), 2);
    assert_jstr(json_array_get(h, 1), "status", "validated");
    assert_jstr(json_array_get(h, 1), "date", jstr(used, "dateUsed"));

    json_t *cancelled = find(j, b_cancel);
    assert_jstr(cancelled, "status", "cancelled");
    assert_jstr(cancelled, "statusLabel", "Annulée");
    h = jget(cancelled, "history");
    assert_jstr(json_array_get(h, json_array_size(h) - 1), "status", "cancelled");

    json_t *fresh = find(j, b_new);
    assert_jstr(fresh, "status", "booked");
    assert_jstr(fresh, "statusLabel", "Réservée");
    assert_non_null(jstr(fresh, "token"));
    assert_jstr(fresh, "eventDatetime", "2027-01-16T09:00:00Z");
    assert_int_equal(json_array_size(jget(fresh, "history")), 1);
}

static void test_filters(void **state)
{
    (void)state;
    const char *a = strf("offererId=%lld", (long long)oa);
    assert_ids(list(strf("%s&status=booked", a)), ids(2, b_thing, b_new));
    assert_ids(list(strf("%s&status=confirmed", a)), ids(1, b_duo));
    assert_ids(list("status=validated"), ids(1, b_used));
    assert_ids(list("status=cancelled"), ids(1, b_cancel));
    assert_ids(list("status=reimbursed"), "");
    assert_int_equal(jint(list(strf("offererId=%lld", (long long)oa2)), "total"), POOL);
    assert_ids(list(strf("venueId=%lld", (long long)vr)), ids(2, b_thing, b_used));
    assert_ids(list(strf("venueId=%lld&offererId=%lld", (long long)vr, (long long)oa2)), "");
    /* An offer's own view: every date, no default period. */
    json_t *j = list(strf("offerId=%lld", (long long)offer_e));
    assert_ids(j, ids(4, b_old, b_duo, b_cancel, b_new));
    assert_true(json_is_null(jget(j, "period")));
    /* The event date (local day), alone: no default period either. */
    assert_ids(list("eventDate=2027-01-14"), ids(3, b_old, b_duo, b_cancel));
    assert_ids(list(strf("offerId=%lld&eventDate=2027-01-16", (long long)offer_e)),
               ids(1, b_new));
    assert_ids(list("eventDate=2027-01-15"), "");
    /* Validation period. */
    assert_ids(list("bookingPeriodType=validation&bookingPeriodBeginningDate=2027-01-03"
                    "&bookingPeriodEndingDate=2027-01-03"),
               ids(1, b_used));
    assert_ids(list("bookingStatusFilter=validated&bookingPeriodBeginningDate=2027-01-03"
                    "&bookingPeriodEndingDate=2027-01-04"),
               ids(1, b_used));
    assert_ids(list("bookingPeriodType=reimbursement&bookingPeriodBeginningDate=2026-01-01"
                    "&bookingPeriodEndingDate=2027-12-31"),
               "");
    /* Dates are the venue's: 2027-01-02 22:00 UTC is the 3rd in La Réunion (and the 2nd in
     * Paris or UTC). */
    const char *r = strf("venueId=%lld", (long long)vr);
    assert_ids(list(strf("%s&bookingPeriodBeginningDate=2027-01-03&bookingPeriodEndingDate="
                         "2027-01-03",
                         r)),
               ids(2, b_thing, b_used));
    assert_ids(list(strf("%s&bookingPeriodBeginningDate=2027-01-02&bookingPeriodEndingDate="
                         "2027-01-02",
                         r)),
               "");
    /* Paris: the duo at 2027-01-01 08:00 UTC is 1st January. */
    assert_ids(list(strf("%s&bookingPeriodBeginningDate=2027-01-01&bookingPeriodEndingDate="
                         "2027-01-01",
                         a)),
               ids(1, b_duo));
    /* Filters combine. */
    assert_ids(list(strf("offerId=%lld&status=cancelled", (long long)offer_e)), ids(1, b_cancel));
}

static void test_scoping(void **state)
{
    (void)state;
    /* Alice never sees Bob's booking, Bob never sees Alice's. */
    json_t *all = list("offerId=");
    assert_null(jfind_id(all, "bookings", "id", b_bob));
    json_t *bobs = list_as(bob, NULL);
    assert_ids(bobs, ids(1, b_bob));
    assert_ids(list_as(bob, "eventDate=2027-01-14"), ids(1, b_bob));
    /* Another structure's ids: 404, as for unknown ones. */
    const char *other[] = {
        strf("offererId=%lld", (long long)ob),   strf("venueId=%lld", (long long)vb),
        strf("offerId=%lld", (long long)offer_b), "offererId=999999",
        "venueId=999999",                         "offerId=999999",
    };
    for (size_t i = 0; i < sizeof other / sizeof other[0]; i++) {
        struct resp r = http_request(alice, "GET", api(other[i]), NULL);
        assert_status(r, 404);
        assert_true(error_body_ok(&r, "offererId") || error_body_ok(&r, "venueId") ||
                    error_body_ok(&r, "offerId"));
        r = http_request(alice, "GET", export_path("csv", other[i]), NULL);
        assert_status(r, 404);
    }
    /* Nina's request to join A is not decided: nothing of A. */
    json_t *j = list_as(nina, NULL);
    assert_int_equal(jint(j, "total"), 0);
    assert_status(http_request(nina, "GET", api(strf("offererId=%lld", (long long)oa)), NULL),
                  404);
    /* Who may call. */
    struct client *anon = client_new();
    assert_status(http_request(anon, "GET", api(NULL), NULL), 401);
    assert_status(http_request(anon, "GET", export_path("csv", NULL), NULL), 401);
    assert_status(http_request(ben1, "GET", api(NULL), NULL), 403);
    assert_status(http_request(ben1, "GET", export_path("xlsx", NULL), NULL), 403);
    assert_status(http_request(admin, "GET", api(NULL), NULL), 403);
}

struct bad_case {
    const char *query;
    const char *field;
};

static const struct bad_case bad_cases[] = {
    {"bookingPeriodBeginningDate=2027-02-30&bookingPeriodEndingDate=2027-03-01",
     "bookingPeriodBeginningDate"},
    {"bookingPeriodBeginningDate=04/01/2027&bookingPeriodEndingDate=2027-01-05",
     "bookingPeriodBeginningDate"},
    {"bookingPeriodBeginningDate=2027-01-01&bookingPeriodEndingDate=hier",
     "bookingPeriodEndingDate"},
    {"bookingPeriodBeginningDate=2027-01-01", "bookingPeriodEndingDate"},
    {"bookingPeriodEndingDate=2027-01-01", "bookingPeriodBeginningDate"},
    {"bookingPeriodBeginningDate=2027-01-05&bookingPeriodEndingDate=2027-01-01",
     "bookingPeriodEndingDate"},
    {"status=unknown", "status"},
    {"status=CONFIRMED", "status"},
    {"status=r%C3%A9serv%C3%A9", "status"},
    {"bookingPeriodType=yesterday", "bookingPeriodType"},
    {"bookingStatusFilter=cancelled", "bookingStatusFilter"},
    {"eventDate=2027-13-01", "eventDate"},
    {"eventDate=demain", "eventDate"},
    {"page=0", "page"},
    {"page=-1", "page"},
    {"page=deux", "page"},
    {"page=1001", "page"},
    {"offererId=abc", "offererId"},
    {"venueId=0", "venueId"},
    {"offerId=1.5", "offerId"},
};

static void test_bad_input(void **state)
{
    (void)state;
    bool ok = true;
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        const struct bad_case *k = &bad_cases[i];
        for (int e = 0; e < 3; e++) {
            const char *path = e == 0   ? api(k->query)
                               : e == 1 ? export_path("csv", k->query)
                                        : export_path("xlsx", k->query);
            struct resp r = http_request(alice, "GET", path, NULL);
            if (r.status != 422 || !error_body_ok(&r, k->field)) {
                print_error("GET %s: expected 422 with errors.%s, got %ld %.300s\n", path,
                            k->field, r.status, r.body);
                ok = false;
            }
        }
    }
    /* The file format. */
    const char *formats[] = {"format=exe", "format=", "format=CSV", "format=pdf", ""};
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        const char *path = strf("/api/v1/pro/bookings/export%s%s", *formats[i] ? "?" : "",
                                formats[i]);
        struct resp r = http_request(alice, "GET", path, NULL);
        if (r.status != 422 || !error_body_ok(&r, "format")) {
            print_error("GET %s: expected 422 with errors.format, got %ld %.300s\n", path,
                        r.status, r.body);
            ok = false;
        }
    }
    /* The messages are French. */
    struct resp r = http_request(alice, "GET", export_path("exe", NULL), NULL);
    assert_non_null(strstr(r.body, "Format inconnu"));
    r = http_request(alice, "GET", api("bookingPeriodBeginningDate=2027-01-01"), NULL);
    assert_non_null(strstr(r.body, "date de fin"));
    if (!ok)
        fail();
}

/* ------------------------------------------------------------------ CSV read back */

#define MAX_ROWS 64
#define MAX_COLS 24

struct csv {
    size_t nrows;
    size_t ncols[MAX_ROWS];
    char cell[MAX_ROWS][MAX_COLS][256];
    bool quoted[MAX_ROWS][MAX_COLS];
};

/* RFC 4180 with `;`: quoted fields ("" inside for a quote), CRLF between records. */
static bool parse_csv(const char *s, size_t n, struct csv *out)
{
    memset(out, 0, sizeof *out);
    size_t i = 0, row = 0, col = 0, len = 0;
    bool in_quotes = false, at_start = true;
    while (i < n) {
        char c = s[i];
        if (in_quotes) {
            if (c == '"' && i + 1 < n && s[i + 1] == '"') {
                c = '"';
                i++;
            } else if (c == '"') {
                in_quotes = false;
                i++;
                continue;
            }
        } else if (c == '"' && at_start) {
            in_quotes = true;
            out->quoted[row][col] = true;
            at_start = false;
            i++;
            continue;
        } else if (c == ';' || c == '\r') {
            if (c == '\r' && (i + 1 >= n || s[i + 1] != '\n'))
                return false; /* a bare CR */
            col++;
            if (col >= MAX_COLS)
                return false;
            len = 0;
            at_start = true;
            if (c == '\r') {
                out->ncols[row] = col;
                row++;
                if (row >= MAX_ROWS)
                    return false;
                col = 0;
                i += 2;
            } else {
                i++;
            }
            continue;
        } else if (c == '\n') {
            return false; /* records end with CRLF */
        }
        if (len + 1 >= sizeof out->cell[0][0])
            return false;
        out->cell[row][col][len++] = c;
        at_start = false;
        i++;
    }
    if (in_quotes || col != 0 || len != 0)
        return false; /* the last record must end with CRLF */
    out->nrows = row;
    return true;
}

/* Rows (after the header) whose column @col equals @value. */
static size_t rows_with(const struct csv *c, int col, const char *value, size_t *first)
{
    size_t n = 0;
    for (size_t r = 1; r < c->nrows; r++)
        if (strcmp(c->cell[r][col], value) == 0) {
            if (n++ == 0 && first != NULL)
                *first = r;
        }
    return n;
}

static struct resp get_file(const char *format, const char *query)
{
    struct resp r = http_request(alice, "GET", export_path(format, query), NULL);
    assert_status(r, 200);
    return r;
}

static void check_csv_headers(const struct resp *r, const struct csv *c)
{
    assert_string_equal(resp_header(r, "Content-Type"), "text/csv; charset=utf-8");
    assert_string_equal(resp_header(r, "Content-Disposition"),
                        "attachment; filename=\"reservations_pass_culture.csv\"");
    assert_true(r->body_len >= 3 && memcmp(r->body, "\xEF\xBB\xBF", 3) == 0);
    assert_true(c->nrows >= 1);
    assert_int_equal(c->ncols[0], 19);
    for (int i = 0; i < 19; i++) {
        assert_string_equal(c->cell[0][i], HEADERS[i]);
        assert_true(c->quoted[0][i]);
    }
    for (size_t row = 1; row < c->nrows; row++)
        assert_int_equal(c->ncols[row], 19);
}

static void test_csv_export(void **state)
{
    (void)state;
    static struct csv c;
    struct resp r = get_file("csv", strf("offererId=%lld", (long long)oa));
    if (!parse_csv(r.body + 3, r.body_len - 3, &c)) {
        print_error("not a CSV of CRLF records: %.400s\n", r.body);
        fail();
    }
    check_csv_headers(&r, &c);
    /* duo (2 rows) + thing + used + cancel + new. */
    assert_int_equal(c.nrows, 1 + 6);

    /* A Duo is two rows. */
    size_t at = 0;
    assert_int_equal(rows_with(&c, C_TOKEN, tok_duo, &at), 2);
    assert_string_equal(c.cell[at][C_DUO], "Oui");
    assert_string_equal(c.cell[at + 1][C_DUO], "Oui");
    assert_string_equal(c.cell[at][C_STATUS], "confirmé");
    assert_string_equal(c.cell[at][C_OFFER], "Visite guidée : les impressionnistes");
    assert_string_equal(c.cell[at][C_EVENT], "14/01/2027 10:00");
    assert_string_equal(c.cell[at][C_BOOKED], "01/01/2027 09:00");
    assert_string_equal(c.cell[at][C_TARIFF], "Plus de 18 ans");
    assert_string_equal(c.cell[at][C_PRICE], "12,50");
    assert_false(c.quoted[at][C_PRICE]);
    assert_string_equal(c.cell[at][C_STRUCTURE], "Musée des Beaux-Arts");
    assert_string_equal(c.cell[at][C_PLACE],
                        "Musée des Beaux-Arts - 1 rue de la Paix 75001 Saint-Aubin");
    assert_string_equal(c.cell[at][C_TYPE], "offre grand public");
    assert_string_equal(c.cell[at][C_POSTAL], "75011");
    assert_string_equal(c.cell[at][C_USED], "");
    assert_string_equal(c.cell[at][C_REIMBURSED], "");

    /* The thing not used yet: no countermark; its dates in La Réunion's zone; the formula of
     * its name neutralized; accents intact. */
    assert_int_equal(rows_with(&c, C_FIRST, "Inès", &at), 1);
    assert_string_equal(c.cell[at][C_LAST], "Lefèvre-Œuvray");
    assert_string_equal(c.cell[at][C_TOKEN], "");
    assert_string_equal(c.cell[at][C_STATUS], "réservé");
    assert_string_equal(c.cell[at][C_BOOKED], "03/01/2027 02:00");
    assert_string_equal(c.cell[at][C_EVENT], "");
    assert_string_equal(c.cell[at][C_OFFER], "'" OFFER_T);
    assert_string_equal(c.cell[at][C_PRICE], "15,00");
    assert_string_equal(c.cell[at][C_PHONE], "06 11 22 33 44");
    assert_string_equal(c.cell[at][C_POSTAL], "97411");
    assert_string_equal(c.cell[at][C_DUO], "Non");
    assert_non_null(strstr(c.cell[at][C_PLACE], "Musée Léon-Dierx - 28 rue de Paris 97400"));

    assert_int_equal(rows_with(&c, C_TOKEN, tok_used, &at), 1);
    assert_string_equal(c.cell[at][C_STATUS], "validé");
    assert_int_equal(strlen(c.cell[at][C_USED]), 16); /* "DD/MM/YYYY HH:MM" */
    assert_true(c.cell[at][C_USED][2] == '/' && c.cell[at][C_USED][5] == '/' &&
                c.cell[at][C_USED][10] == ' ' && c.cell[at][C_USED][13] == ':');
    assert_int_equal(strncmp(c.cell[at][C_USED], "03/01/2027 ", 11), 0);

    assert_int_equal(rows_with(&c, C_STATUS, "annulé", NULL), 1);
    assert_int_equal(rows_with(&c, C_STATUS, "réservé", NULL), 2);
    /* The raw bytes: ';' separators, a quoted accent, CRLF. */
    assert_non_null(strstr(r.body, "\"Inès\";\"Lefèvre-Œuvray\""));
    assert_non_null(strstr(r.body, ";12,50;\"confirmé\";"));
}

static void test_csv_export_of_nothing_and_default(void **state)
{
    (void)state;
    static struct csv c;
    struct resp r = get_file("csv", "status=reimbursed");
    assert_true(parse_csv(r.body + 3, r.body_len - 3, &c));
    check_csv_headers(&r, &c);
    assert_int_equal(c.nrows, 1);
    /* Default filters: the last 30 days of every structure, a Duo as two rows. */
    r = get_file("csv", NULL);
    assert_true(parse_csv(r.body + 3, r.body_len - 3, &c));
    check_csv_headers(&r, &c);
    assert_int_equal(c.nrows, 1 + POOL + 6);
    assert_int_equal(rows_with(&c, C_OFFER, "Carte jeunes du musée", NULL), POOL);
    assert_int_equal(rows_with(&c, C_OFFER, "Visite de Bob", NULL), 0);
    /* The per-offer export of one event date. */
    r = get_file("csv", strf("offerId=%lld&eventDate=2027-01-14", (long long)offer_e));
    assert_true(parse_csv(r.body + 3, r.body_len - 3, &c));
    assert_int_equal(c.nrows, 1 + 4); /* old, duo ×2, cancelled */
}

/* ------------------------------------------------------------------ XLSX read back */

/* Runs @cmd and returns its output (owned by the harness), or NULL when it failed. */
static const char *run(const char *cmd, size_t *len)
{
    FILE *p = popen(cmd, "r");
    if (p == NULL)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n - 1, p)) > 0) {
        n += got;
        if (cap - n < 1024) {
            cap *= 2;
            buf = realloc(buf, cap);
        }
    }
    buf[n] = '\0';
    int rc = pclose(p);
    const char *out = rc == 0 ? strf("%s", buf) : NULL;
    free(buf);
    if (len != NULL)
        *len = n;
    return out;
}

static const char *save(const struct resp *r, const char *name)
{
    const char *path = strf("%s/%s", g_server.dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(r->body, 1, r->body_len, f), r->body_len);
    fclose(f);
    return path;
}

struct sheet {
    size_t nrows;
    struct {
        char text[256];
        bool number;
        bool present;
        int style;
    } cell[MAX_ROWS][MAX_COLS];
};

/* XML text with its five entities decoded. */
static void xml_text(const char *from, const char *to, char *out, size_t cap)
{
    size_t n = 0;
    for (const char *p = from; p < to && n + 1 < cap;) {
        static const struct {
            const char *ent, *ch;
        } ents[] = {
            {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"},
        };
        bool done = false;
        for (size_t e = 0; e < 5 && !done; e++)
            if (strncmp(p, ents[e].ent, strlen(ents[e].ent)) == 0) {
                out[n++] = ents[e].ch[0];
                p += strlen(ents[e].ent);
                done = true;
            }
        if (!done)
            out[n++] = *p++;
    }
    out[n] = '\0';
}

/* The value of attribute @name in the tag starting at @tag (up to its '>'), or "". */
static const char *attr(const char *tag, const char *name)
{
    const char *end = strchr(tag, '>');
    const char *key = strf(" %s=\"", name);
    const char *p = strstr(tag, key);
    if (p == NULL || p > end)
        return "";
    p += strlen(key);
    const char *q = strchr(p, '"');
    return strf("%.*s", (int)(q - p), p);
}

/* The nth <si> of sharedStrings.xml (libxlsxwriter writes inline strings in constant_memory
 * mode; shared ones are read too, in case). */
static void shared_string(const char *sst, long idx, char *out, size_t cap)
{
    const char *p = sst;
    for (long i = 0; p != NULL && i <= idx; i++) {
        p = strstr(p, "<si>");
        if (p != NULL && i < idx)
            p += 4;
    }
    out[0] = '\0';
    if (p == NULL)
        return;
    const char *t = strstr(p, "<t");
    t = t ? strchr(t, '>') + 1 : NULL;
    const char *e = t ? strstr(t, "</t>") : NULL;
    if (e != NULL)
        xml_text(t, e, out, cap);
}

static void parse_sheet(const char *xml, const char *sst, struct sheet *s)
{
    memset(s, 0, sizeof *s);
    const char *p = xml;
    while ((p = strstr(p, "<row ")) != NULL) {
        const char *end = strstr(p, "</row>");
        assert_non_null(end);
        long r = strtol(attr(p, "r"), NULL, 10) - 1;
        assert_true(r >= 0 && r < MAX_ROWS);
        if ((size_t)r + 1 > s->nrows)
            s->nrows = (size_t)r + 1;
        for (const char *c = strstr(p, "<c "); c != NULL && c < end; c = strstr(c + 1, "<c ")) {
            const char *ref = attr(c, "r");
            int col = ref[0] - 'A';
            assert_true(col >= 0 && col < MAX_COLS && ref[1] >= '1' && ref[1] <= '9');
            const char *type = attr(c, "t");
            const char *close = strchr(c, '>');
            s->cell[r][col].present = true;
            s->cell[r][col].style = (int)strtol(attr(c, "s"), NULL, 10);
            if (close[-1] == '/')
                continue; /* <c .../>: formatted, no value */
            const char *cend = strstr(close, "</c>");
            if (strcmp(type, "inlineStr") == 0) {
                const char *t = strstr(close, "<t");
                t = strchr(t, '>') + 1;
                xml_text(t, strstr(t, "</t>"), s->cell[r][col].text, sizeof s->cell[r][col].text);
            } else {
                const char *v = strstr(close, "<v>");
                assert_true(v != NULL && v < cend);
                v += 3;
                char raw[64];
                xml_text(v, strstr(v, "</v>"), raw, sizeof raw);
                if (strcmp(type, "s") == 0) {
                    shared_string(sst, strtol(raw, NULL, 10), s->cell[r][col].text,
                                  sizeof s->cell[r][col].text);
                } else {
                    s->cell[r][col].number = type[0] == '\0' || strcmp(type, "n") == 0;
                    snprintf(s->cell[r][col].text, sizeof s->cell[r][col].text, "%s", raw);
                }
            }
        }
        p = end;
    }
}

/* The sheet row whose column @col reads @value (0 when none). */
static size_t sheet_row(const struct sheet *s, int col, const char *value, size_t *count)
{
    size_t found = 0, n = 0;
    for (size_t r = 1; r < s->nrows; r++)
        if (strcmp(s->cell[r][col].text, value) == 0) {
            if (n++ == 0)
                found = r;
        }
    if (count != NULL)
        *count = n;
    return found;
}

/* Excel's serial number of a local date and time (days since 1899-12-30). */
static double serial(int y, int m, int d, int h, int min)
{
    return (double)(days_from_civil(y, m, d) - days_from_civil(1899, 12, 30)) +
           (h * 60 + min) / 1440.0;
}

static void assert_serial(const struct sheet *s, size_t row, int col, double expected)
{
    assert_true(s->cell[row][col].number);
    double v = strtod(s->cell[row][col].text, NULL);
    if (v < expected - 1e-6 || v > expected + 1e-6) {
        print_error("cell %c%zu: expected the date %.6f, got %s\n", 'A' + col, row + 1, expected,
                    s->cell[row][col].text);
        fail();
    }
}

static void read_xlsx(const struct resp *r, const char *name, struct sheet *s,
                      const char **sheet_xml, const char **styles)
{
    assert_string_equal(resp_header(r, "Content-Type"),
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    assert_string_equal(resp_header(r, "Content-Disposition"),
                        "attachment; filename=\"reservations_pass_culture.xlsx\"");
    assert_true(r->body_len > 4 && memcmp(r->body, "PK\x03\x04", 4) == 0);
    const char *path = save(r, name);
    const char *listing = run(strf("unzip -l '%s'", path), NULL);
    assert_non_null(listing);
    assert_non_null(strstr(listing, "xl/worksheets/sheet1.xml"));
    assert_non_null(strstr(listing, "xl/workbook.xml"));
    assert_non_null(strstr(listing, "[Content_Types].xml"));
    /* Well-formed XML, by xmllint. */
    assert_non_null(run(strf("unzip -p '%s' xl/worksheets/sheet1.xml | xmllint --noout -", path),
                        NULL));
    *sheet_xml = run(strf("unzip -p '%s' xl/worksheets/sheet1.xml", path), NULL);
    assert_non_null(*sheet_xml);
    const char *sst = strstr(listing, "xl/sharedStrings.xml")
                          ? run(strf("unzip -p '%s' xl/sharedStrings.xml", path), NULL)
                          : "";
    *styles = run(strf("unzip -p '%s' xl/styles.xml", path), NULL);
    assert_non_null(*styles);
    parse_sheet(*sheet_xml, sst ? sst : "", s);
    /* The header row: the 19 titles, bold. */
    assert_true(s->nrows >= 1);
    for (int i = 0; i < 19; i++) {
        assert_string_equal(s->cell[0][i].text, HEADERS[i]);
        assert_false(s->cell[0][i].number);
    }
    int header_xf = s->cell[0][0].style;
    const char *xfs = strstr(*styles, "<cellXfs");
    assert_non_null(xfs);
    const char *xf = xfs;
    for (int i = 0; i <= header_xf; i++)
        xf = strstr(xf + 1, "<xf ");
    long font = strtol(attr(xf, "fontId"), NULL, 10);
    const char *f = strstr(*styles, "<fonts");
    for (long i = 0; i <= font; i++)
        f = strstr(f + 1, "<font>");
    const char *fend = strstr(f, "</font>");
    const char *bold = strstr(f, "<b/>");
    assert_true(bold != NULL && bold < fend);
    unlink(path);
}

static void test_xlsx_export(void **state)
{
    (void)state;
    static struct sheet s;
    const char *xml, *styles;
    struct resp r = get_file("xlsx", strf("offererId=%lld", (long long)oa));
    read_xlsx(&r, "a.xlsx", &s, &xml, &styles);
    assert_int_equal(s.nrows, 1 + 6);
    /* Filterable header row over the whole table, frozen. */
    assert_non_null(strstr(xml, "<autoFilter ref=\"A1:S7\""));
    assert_non_null(strstr(xml, "<pane ySplit=\"1\""));
    assert_non_null(strstr(xml, "state=\"frozen\""));
    assert_non_null(strstr(xml, "<cols>"));
    /* Prices are numbers with a currency format. */
    size_t n;
    size_t at = sheet_row(&s, C_TOKEN, tok_duo, &n);
    assert_int_equal(n, 2);
    assert_true(s.cell[at][C_PRICE].number);
    assert_string_equal(s.cell[at][C_PRICE].text, "12.5");
    int money_xf = s.cell[at][C_PRICE].style;
    const char *xf = strstr(styles, "<cellXfs");
    for (int i = 0; i <= money_xf; i++)
        xf = strstr(xf + 1, "<xf ");
    const char *fmt_id = attr(xf, "numFmtId");
    const char *fmt = strstr(styles, strf("numFmtId=\"%s\" formatCode=\"", fmt_id));
    assert_non_null(fmt);
    assert_non_null(strstr(fmt, "€"));
    assert_true(strstr(fmt, "€") < strstr(fmt, "/>"));
    assert_string_equal(s.cell[at][C_DUO].text, "Oui");
    assert_string_equal(s.cell[at + 1][C_DUO].text, "Oui");
    assert_string_equal(s.cell[at][C_STATUS].text, "confirmé");
    assert_string_equal(s.cell[at][C_TARIFF].text, "Plus de 18 ans");
    /* Dates are date cells in the venue's zone. */
    assert_serial(&s, at, C_EVENT, serial(2027, 1, 14, 10, 0));
    assert_serial(&s, at, C_BOOKED, serial(2027, 1, 1, 9, 0));
    /* The thing: no countermark, La Réunion's time, the name as plain text (never a formula). */
    at = sheet_row(&s, C_FIRST, "Inès", &n);
    assert_int_equal(n, 1);
    assert_string_equal(s.cell[at][C_LAST].text, "Lefèvre-Œuvray");
    assert_false(s.cell[at][C_TOKEN].present && s.cell[at][C_TOKEN].text[0] != '\0');
    assert_string_equal(s.cell[at][C_OFFER].text, OFFER_T);
    assert_null(strstr(xml, "<f>"));
    assert_serial(&s, at, C_BOOKED, serial(2027, 1, 3, 2, 0));
    assert_string_equal(s.cell[at][C_PRICE].text, "15");
    assert_string_equal(s.cell[at][C_STATUS].text, "réservé");
    assert_string_equal(s.cell[at][C_POSTAL].text, "97411");
    assert_false(s.cell[at][C_POSTAL].number);
    at = sheet_row(&s, C_TOKEN, tok_used, &n);
    assert_int_equal(n, 1);
    assert_string_equal(s.cell[at][C_STATUS].text, "validé");
    assert_true(s.cell[at][C_USED].number);
    /* Filterable in the workbook too. */
    const char *path = save(&r, "b.xlsx");
    const char *wb = run(strf("unzip -p '%s' xl/workbook.xml", path), NULL);
    unlink(path);
    assert_non_null(wb);
    assert_non_null(strstr(wb, "_xlnm._FilterDatabase"));
}

static void test_xlsx_export_of_nothing(void **state)
{
    (void)state;
    static struct sheet s;
    const char *xml, *styles;
    struct resp r = get_file("xlsx", "status=reimbursed");
    read_xlsx(&r, "c.xlsx", &s, &xml, &styles);
    assert_int_equal(s.nrows, 1);
    assert_non_null(strstr(xml, "<autoFilter ref=\"A1:S1\""));
    /* "excel" is pass Culture's name for the same format. */
    r = get_file("excel", NULL);
    read_xlsx(&r, "d.xlsx", &s, &xml, &styles);
    assert_int_equal(s.nrows, 1 + POOL + 6);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_default_last_30_days, at_now),
        cmocka_unit_test_setup(test_pagination, at_now),
        cmocka_unit_test_setup(test_fields_statuses_and_hidden_token, at_now),
        cmocka_unit_test_setup(test_filters, at_now),
        cmocka_unit_test_setup(test_scoping, at_now),
        cmocka_unit_test_setup(test_bad_input, at_now),
        cmocka_unit_test_setup(test_csv_export, at_now),
        cmocka_unit_test_setup(test_csv_export_of_nothing_and_default, at_now),
        cmocka_unit_test_setup(test_xlsx_export, at_now),
        cmocka_unit_test_setup(test_xlsx_export_of_nothing, at_now),
    };
    return cmocka_run_group_tests_name("pro bookings and exports", tests, setup,
                                       harness_group_teardown);
}
