/*
 * Beneficiaries, wallets, bookings, cancellations, search, and bookings under concurrency:
 * SPEC §3 (POST /api/v1/admin/beneficiaries), §5, §6 (pro cancellation) and RULES.md §3,
 * through the real server.
 *
 * The test clock is set to NOW before any account exists (sessions last 7 days on that clock)
 * and again before every test (reset_clock), so that a test that moves it and then fails does
 * not shift the others. No test moves it more than 3 days ahead. The clock runs on from where
 * it is set: expectations about "now" are taken from the answers (dateCreated) when it matters.
 *
 *   alice  pro of structure A (validated), venue va, postal code 75001
 *   bob    pro of structure B (validated), venue vb, postal code 13001: "another structure"
 *   nina   pro of structure N, left NEW: her offers go to review (PENDING)
 *   admin  back office; creates every beneficiary
 *   ben    18 years old (150 €), ben2 another one; pool[] 40 more, for concurrency and load
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http/harness.h"

#define NOW "2027-01-04T08:00:00Z" /* a Monday */
#define HOUR 3600
#define DAY (24 * HOUR)
#define POOL 40

#define TOKEN_ALPHABET "ABCDEFGHJKLMNPQRSTUVWXYZ234567"

#define MSG_ALREADY "Cette offre a déjà été réservée"
#define MSG_DUO "Vous devez réserver une place ou deux dans le cas d'une offre DUO."
#define MSG_ONE "Vous ne pouvez réserver qu'une place pour cette offre."
#define MSG_NOT_BOOKABLE "Ce stock n'est pas réservable."
#define MSG_BALANCE "Le solde de votre pass est insuffisant pour réserver cette offre."
#define MSG_CAP                                                                                    \
    "Le plafond de 100 € pour les offres numériques ne vous permet pas de réserver cette offre."
#define MSG_CANCEL                                                                                 \
    "Impossible d'annuler une réservation plus de 48h après l'avoir réservée et moins de 48h "     \
    "avant le début de l'évènement"

static struct client *alice, *bob, *nina, *admin, *ben, *ben2;
static struct client *pool[POOL];
static int64_t va, vb, vn;

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

static const char *date_of(int64_t t)
{
    return strf("%.10s", iso(t));
}

/* Seconds of "YYYY-MM-DDTHH:MM:SSZ"; fails the test on anything else. */
static int64_t epoch(const char *s)
{
    int y, mo, d, h, mi, sec;
    char z = 0;
    if (s == NULL || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &sec, &z) != 7 ||
        z != 'Z') {
        print_error("not an ISO 8601 UTC datetime: %s\n", s ? s : "(null)");
        fail();
    }
    return days_from_civil(y, mo, d) * DAY + h * HOUR + mi * 60 + sec;
}

/*
 * Birth date of someone whose @years-th birthday is @days days after NOW's date (2027-01-04):
 * @days <= 0: @years old at NOW; @days > 0: @years - 1 old, @years in @days days.
 */
static const char *born(int years, int days)
{
    return date_of((days_from_civil(2027 - years, 1, 4) + days) * DAY);
}

/* The 21st birthday of someone born on @birth ("YYYY-MM-DD"). */
static const char *birthday21(const char *birth)
{
    int y, m, d;
    assert_int_equal(sscanf(birth, "%d-%d-%d", &y, &m, &d), 3);
    return strf("%04d-%02d-%02d", y + 21, m, d);
}

static double ms_between(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) * 1000.0 + (double)(b->tv_nsec - a->tv_nsec) / 1e6;
}

/* ------------------------------------------------------------------ assertions */

/* True when some message of @r's errors (of @field when given) contains @needle. */
static bool has_message(const struct resp *r, const char *field, const char *needle, bool exact)
{
    json_t *errors = jget(r->json, "errors");
    const char *key;
    json_t *list;
    json_object_foreach(errors, key, list)
    {
        if (field != NULL && strcmp(key, field) != 0)
            continue;
        size_t i;
        json_t *m;
        json_array_foreach(list, i, m)
        {
            const char *text = json_string_value(m);
            if (text != NULL && (exact ? strcmp(text, needle) == 0 : strstr(text, needle) != NULL))
                return true;
        }
    }
    return false;
}

/*
 * @r has @status and an error body; with @field, an entry for it; with @needle, a message
 * containing it (equal to it when @exact).
 */
static void assert_refusal_at(struct resp r, long status, const char *field, const char *needle,
                              bool exact, const char *file, int line)
{
    assert_status_at(r, status, file, line);
    json_t *errors = jget(r.json, "errors");
    bool ok = json_is_object(errors) && json_object_size(errors) > 0 &&
              (field == NULL || json_object_get(errors, field) != NULL) &&
              (needle == NULL || has_message(&r, field, needle, exact));
    if (ok)
        return;
    print_error("%s %s: expected errors%s%s%s with %s\"%s\"; body: %.600s\n", r.method, r.path,
                field ? "." : "", field ? field : "", field ? "" : " (any field)",
                exact ? "exactly " : "a message containing ", needle ? needle : "", r.body);
    _fail(file, line);
}

#define assert_refusal(r, status, field, needle)                                                   \
    assert_refusal_at((r), (status), (field), (needle), false, __FILE__, __LINE__)
#define assert_refusal_exact(r, status, field, message)                                            \
    assert_refusal_at((r), (status), (field), (message), true, __FILE__, __LINE__)

/* ------------------------------------------------------------------ fixtures */

/* @c registers a new structure at @postal_code; the admin validates it when @validate. */
static int64_t structure_for(struct client *c, const char *postal_code, bool validate)
{
    struct resp r = http_json(c, "POST", "/api/v1/offerers",
                              json_pack("{s:s, s:s, s:s, s:s, s:s}", "siret", new_siret(), "name",
                                        "Musée", "street", "1 rue de la Paix", "postalCode",
                                        postal_code, "city", "Ville"));
    assert_status(r, 201);
    int64_t offerer = jint(r.json, "offerer.id"), venue = jint(r.json, "venue.id");
    assert_true(offerer > 0 && venue > 0);
    if (validate) {
        r = http_request(admin, "POST",
                         strf("/api/v1/admin/offerers/%lld/validate", (long long)offerer), NULL);
        assert_status(r, 200);
    }
    return venue;
}

/* What to create: an offer and one stock. */
struct spec {
    const char *sub;   /* subcategory */
    const char *name;  /* default "Offre de test" */
    const char *url;   /* online offers */
    bool duo;
    int64_t price;     /* cents */
    int64_t places;    /* 0: unlimited */
    int64_t start;     /* events: beginning (Unix seconds); 0 for things */
    int64_t limit;     /* booking limit, 0: none given */
    bool draft;        /* leave the offer DRAFT (else published) */
};

struct item {
    struct client *pro;
    int64_t offer, stock, pc;
};

static const char *offer_path(int64_t offer, const char *suffix)
{
    return strf("/api/v1/offers/%lld%s", (long long)offer, suffix);
}

static const char *stock_path(int64_t stock)
{
    return strf("/api/v1/stocks/%lld", (long long)stock);
}

/* A stock of the event offer @it (same tariff) at @start; returns its id. */
static int64_t add_event_stock(const struct item *it, int64_t start, int64_t places, int64_t limit)
{
    json_t *body = json_pack("{s:I, s:s}", "priceCategoryId", (json_int_t)it->pc,
                             "beginningDatetime", iso(start));
    json_object_set_new(body, "quantity", places > 0 ? json_integer(places) : json_null());
    if (limit != 0)
        json_object_set_new(body, "bookingLimitDatetime", json_string(iso(limit)));
    struct resp r = http_json(it->pro, "POST", offer_path(it->offer, "/stocks"), body);
    assert_status(r, 201);
    assert_true(jint(r.json, "id") > 0);
    return jint(r.json, "id");
}

static struct item make(struct client *pro, int64_t venue, struct spec s)
{
    struct item it = {.pro = pro};
    json_t *body = json_pack("{s:I, s:s, s:s, s:b, s:b, s:b, s:b}", "venueId", (json_int_t)venue,
                             "name", s.name ? s.name : "Offre de test", "subcategoryId", s.sub,
                             "audioDisabilityCompliant", 1, "mentalDisabilityCompliant", 1,
                             "motorDisabilityCompliant", 0, "visualDisabilityCompliant", 0);
    if (s.url != NULL)
        json_object_set_new(body, "url", json_string(s.url));
    if (s.duo)
        json_object_set_new(body, "isDuo", json_true());
    struct resp r = http_json(pro, "POST", "/api/v1/offers", body);
    assert_status(r, 201);
    it.offer = jint(r.json, "id");
    if (s.start != 0) {
        r = http_json(pro, "POST", offer_path(it.offer, "/price-categories"),
                      json_pack("{s:s, s:I}", "label", "Plein tarif", "priceCents",
                                (json_int_t)s.price));
        assert_status(r, 201);
        it.pc = jint(r.json, "id");
        it.stock = add_event_stock(&it, s.start, s.places, s.limit);
    } else {
        json_t *sb = json_pack("{s:I}", "priceCents", (json_int_t)s.price);
        json_object_set_new(sb, "quantity", s.places > 0 ? json_integer(s.places) : json_null());
        if (s.limit != 0)
            json_object_set_new(sb, "bookingLimitDatetime", json_string(iso(s.limit)));
        r = http_json(pro, "POST", offer_path(it.offer, "/stocks"), sb);
        assert_status(r, 201);
        it.stock = jint(r.json, "id");
    }
    assert_true(it.offer > 0 && it.stock > 0);
    if (!s.draft) {
        r = http_request(pro, "POST", offer_path(it.offer, "/publish"), NULL);
        assert_status(r, 200);
        assert_jstr(r.json, "status", pro == nina ? "PENDING" : "APPROVED");
    }
    return it;
}

/* Alice's published offer. */
static struct item offer_a(struct spec s)
{
    return make(alice, va, s);
}

/* The stock as its pro sees it (GET /api/v1/offers/{id}). */
static json_t *stock_seen(const struct item *it, int64_t stock)
{
    struct resp r = http_request(it->pro, "GET", offer_path(it->offer, ""), NULL);
    assert_status(r, 200);
    json_t *s = jfind_id(r.json, "stocks", "id", stock);
    if (s == NULL) {
        print_error("stock %lld not in %.600s\n", (long long)stock, r.body);
        fail();
    }
    return s;
}

static int64_t booked_of(const struct item *it)
{
    return jint(stock_seen(it, it->stock), "bookedQuantity");
}

/* ------------------------------------------------------------------ beneficiary helpers */

static struct resp book_body(struct client *c, const char *body)
{
    return http_request(c, "POST", "/api/v1/bookings", body);
}

static struct resp book(struct client *c, int64_t stock, int quantity)
{
    return book_body(c, strf("{\"stockId\":%lld,\"quantity\":%d}", (long long)stock, quantity));
}

/* Books (asserts 201) and returns the answer. */
static json_t *booked(struct client *c, int64_t stock, int quantity)
{
    struct resp r = book(c, stock, quantity);
    assert_status(r, 201);
    assert_true(jint(r.json, "id") > 0);
    return r.json;
}

static json_t *wallet(struct client *c)
{
    struct resp r = http_request(c, "GET", "/api/v1/me/wallet", NULL);
    assert_status(r, 200);
    assert_true(json_is_integer(jget(r.json, "balanceCents")));
    return r.json;
}

static int64_t balance(struct client *c)
{
    return jint(wallet(c), "balanceCents");
}

static json_t *my_bookings(struct client *c)
{
    struct resp r = http_request(c, "GET", "/api/v1/me/bookings", NULL);
    assert_status(r, 200);
    assert_true(json_is_array(jget(r.json, "bookings")));
    return jget(r.json, "bookings");
}

/* @c's booking @id as listed by GET /api/v1/me/bookings (fails when absent). */
static json_t *my_booking(struct client *c, int64_t id)
{
    json_t *b = jfind_id(my_bookings(c), "", "id", id);
    if (b == NULL) {
        print_error("booking %lld not in GET /api/v1/me/bookings\n", (long long)id);
        fail();
    }
    return b;
}

static struct resp cancel(struct client *c, int64_t booking)
{
    return http_request(c, "POST", strf("/api/v1/bookings/%lld/cancel", (long long)booking), NULL);
}

static struct resp pro_cancel(struct client *c, int64_t booking)
{
    return http_request(c, "POST", strf("/api/v1/pro/bookings/%lld/cancel", (long long)booking),
                        NULL);
}

static bool in_alphabet(const char *token)
{
    if (token == NULL || strlen(token) != 6)
        return false;
    for (const char *p = token; *p; p++)
        if (strchr(TOKEN_ALPHABET, *p) == NULL)
            return false;
    return true;
}

/* ------------------------------------------------------------------ setup */

static int setup(void **state)
{
    if (harness_group_setup(state) != 0)
        return -1;
    set_clock(NOW); /* before any session is opened */
    admin = admin_new("admin");
    alice = pro_new("alice");
    bob = pro_new("bob");
    nina = pro_new("nina");
    va = structure_for(alice, "75001", true);
    vb = structure_for(bob, "13001", true);
    vn = structure_for(nina, "69001", false);
    struct client *two[2];
    beneficiaries_new(admin, "ben", born(18, -200), 2, two);
    ben = two[0];
    ben2 = two[1];
    beneficiaries_new(admin, "jeune", born(18, -150), POOL, pool);
    return 0;
}

static int reset_clock(void **state)
{
    (void)state;
    set_clock(NOW);
    return 0;
}

/* ------------------------------------------------------------------ beneficiary creation */

struct age_case {
    const char *name;
    int years, days; /* born(years, days) */
    bool bonus;
    long status;
    int64_t amount;
    const char *role;
};

static const struct age_case age_cases[] = {
    {"18 ans", 18, -200, false, 201, 15000, "BENEFICIARY"},
    {"18 ans, critères sociaux", 18, -200, true, 201, 20000, "BENEFICIARY"},
    {"18 ans aujourd'hui", 18, 0, false, 201, 15000, "BENEFICIARY"},
    {"17 ans", 17, -100, false, 201, 5000, "BENEFICIARY"},
    {"17 ans, critères sociaux (bonus à 18 ans)", 17, -100, true, 201, 5000, "BENEFICIARY"},
    {"16 ans", 16, -100, false, 201, 0, "UNDERAGE"},
    {"15 ans aujourd'hui", 15, 0, false, 201, 0, "UNDERAGE"},
    {"20 ans, 21 ans demain", 21, 1, false, 201, 15000, "BENEFICIARY"},
    {"14 ans, 15 ans demain", 15, 1, false, 422, 0, NULL},
    {"14 ans", 14, -100, false, 422, 0, NULL},
    {"21 ans hier", 21, -1, false, 422, 0, NULL},
    {"21 ans", 21, -100, false, 422, 0, NULL},
    {"pas encore né", -1, 0, false, 422, 0, NULL},
};

static void test_beneficiary_creation_by_age(void **state)
{
    (void)state;
    bool ok = true;
    for (size_t i = 0; i < sizeof age_cases / sizeof age_cases[0]; i++) {
        const struct age_case *k = &age_cases[i];
        const char *birth = born(k->years, k->days);
        const char *email = unique_email("age");
        struct resp r = http_json(admin, "POST", "/api/v1/admin/beneficiaries",
                                  json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "email", email,
                                            "password", TEST_PASSWORD, "firstName", "Lou",
                                            "lastName", "Martin", "birthDate", birth,
                                            "postalCode", "75011", "socialBonus", k->bonus));
        if (r.status != k->status) {
            print_error("%s (born %s): expected %ld, got %ld: %.300s\n", k->name, birth,
                        k->status, r.status, r.body);
            ok = false;
            continue;
        }
        if (k->status != 201) {
            if (!error_body_ok(&r, "birthDate")) {
                print_error("%s: expected errors.birthDate: %.300s\n", k->name, r.body);
                ok = false;
            }
            continue;
        }
        const char *expiry = birthday21(birth);
        if (jint(r.json, "id") <= 0 || jint(r.json, "depositAmountCents") != k->amount ||
            !json_is_integer(jget(r.json, "depositAmountCents")) ||
            jstr(r.json, "depositExpirationDate") == NULL ||
            strcmp(jstr(r.json, "depositExpirationDate"), expiry) != 0) {
            print_error("%s (born %s): expected {id, depositAmountCents: %lld, "
                        "depositExpirationDate: %s}, got %.300s\n",
                        k->name, birth, (long long)k->amount, expiry, r.body);
            ok = false;
            continue;
        }
        struct client *c = client_new();
        client_login(c, email, TEST_PASSWORD);
        assert_int_equal(c->id, jint(r.json, "id"));
        struct resp me = http_request(c, "GET", "/api/v1/me", NULL);
        assert_status(me, 200);
        if (jstr(me.json, "role") == NULL || strcmp(jstr(me.json, "role"), k->role) != 0) {
            print_error("%s: expected role %s, got %.300s\n", k->name, k->role, me.body);
            ok = false;
        }
        json_t *w = wallet(c);
        json_t *digital = jget(w, "digitalRemainingCents");
        int64_t cap = k->amount < 10000 ? k->amount : 10000;
        bool digital_ok = strcmp(k->role, "UNDERAGE") == 0
                              ? json_is_null(digital)
                              : json_is_integer(digital) && json_integer_value(digital) == cap;
        if (jint(w, "balanceCents") != k->amount || !digital_ok ||
            jstr(w, "expirationDate") == NULL || strcmp(jstr(w, "expirationDate"), expiry) != 0) {
            char *shown = json_dumps(w, JSON_COMPACT);
            print_error("%s: wallet expected {balanceCents: %lld, digitalRemainingCents: %s, "
                        "expirationDate: %s}, got %s\n",
                        k->name, (long long)k->amount,
                        strcmp(k->role, "UNDERAGE") == 0 ? "null" : strf("%lld", (long long)cap),
                        expiry, shown);
            free(shown);
            ok = false;
        }
    }
    if (!ok)
        fail();
}

struct field_case {
    const char *key;
    const char *value; /* JSON text; NULL removes the key */
    const char *field; /* the field the 422 names */
};

static const struct field_case field_cases[] = {
    {"birthDate", "\"2008-13-01\"", "birthDate"},
    {"birthDate", "\"2008-02-30\"", "birthDate"},
    {"birthDate", "\"28/07/2008\"", "birthDate"},
    {"birthDate", "\"2008-7-28\"", "birthDate"},
    {"birthDate", "\"2008-07-28T00:00:00Z\"", "birthDate"},
    {"birthDate", "20080728", "birthDate"},
    {"birthDate", "\"\"", "birthDate"},
    {"birthDate", NULL, "birthDate"},
    {"postalCode", "\"7500\"", "postalCode"},
    {"postalCode", "\"750011\"", "postalCode"},
    {"postalCode", "\"7500A\"", "postalCode"},
    {"postalCode", "75011", "postalCode"},
    {"postalCode", NULL, "postalCode"},
    {"email", "\"pas-un-email\"", "email"},
    {"email", NULL, "email"},
    {"password", "\"Court!1a\"", "password"},
    {"password", "\"motdepassesimple\"", "password"},
    {"password", "12345678901234", "password"},
    {"password", NULL, "password"},
    {"firstName", NULL, "firstName"},
    {"lastName", "\"\"", "lastName"},
    {"firstName",
     "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"",
     "firstName"},
    {"phone", "\"pas un numéro\"", "phone"},
    {"socialBonus", "\"oui\"", "socialBonus"},
};

static void test_beneficiary_creation_refusals(void **state)
{
    (void)state;
    const char *email = unique_email("refus");
    const char *birth = born(18, -100);
    json_t *base = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "email", email, "password",
                             TEST_PASSWORD, "firstName", "Lou", "lastName", "Martin", "birthDate",
                             birth, "postalCode", "75011");
    bool ok = true;
    for (size_t i = 0; i < sizeof field_cases / sizeof field_cases[0]; i++) {
        const struct field_case *k = &field_cases[i];
        json_t *body = json_deep_copy(base);
        if (k->value == NULL) {
            json_object_del(body, k->key);
        } else {
            json_t *v = json_loads(k->value, JSON_DECODE_ANY, NULL);
            assert_non_null(v);
            json_object_set_new(body, k->key, v);
        }
        struct resp r = http_json(admin, "POST", "/api/v1/admin/beneficiaries", body);
        if (r.status != 422 || !error_body_ok(&r, k->field)) {
            print_error("%s = %s: expected 422 with errors.%s, got %ld: %.300s\n", k->key,
                        k->value ? k->value : "(absent)", k->field, r.status, r.body);
            ok = false;
        }
    }
    /* Not the back office: refused before anything. */
    struct resp r = http_json(alice, "POST", "/api/v1/admin/beneficiaries", json_deep_copy(base));
    assert_refusal(r, 403, "global", NULL);
    r = http_json(client_new(), "POST", "/api/v1/admin/beneficiaries", json_deep_copy(base));
    assert_refusal(r, 401, "global", NULL);
    r = http_json(ben, "POST", "/api/v1/admin/beneficiaries", json_deep_copy(base));
    assert_refusal(r, 403, "global", NULL);
    if (!ok)
        fail();
    /* None of them wrote anything: the address is still free, then taken. */
    r = http_json(admin, "POST", "/api/v1/admin/beneficiaries", json_deep_copy(base));
    assert_status(r, 201);
    r = http_json(admin, "POST", "/api/v1/admin/beneficiaries", json_deep_copy(base));
    assert_refusal(r, 409, "email", NULL);
    /* Email case does not make another account. */
    json_t *upper = json_deep_copy(base);
    char *shout = strdup(email);
    for (char *p = shout; *p; p++)
        if (*p >= 'a' && *p <= 'z')
            *p = (char)(*p - 'a' + 'A');
    json_object_set_new(upper, "email", json_string(shout));
    free(shout);
    r = http_json(admin, "POST", "/api/v1/admin/beneficiaries", upper);
    assert_refusal(r, 409, "email", NULL);
    /* Nor does a pro's address. */
    json_t *pro = json_deep_copy(base);
    json_object_set_new(pro, "email", json_string(alice->email));
    r = http_json(admin, "POST", "/api/v1/admin/beneficiaries", pro);
    assert_refusal(r, 409, "email", NULL);
    json_decref(base);
}

/* ------------------------------------------------------------------ wallet */

static void test_wallet_top_up_at_18(void **state)
{
    (void)state;
    const char *birth = born(18, 2); /* 17 today, 18 on 2027-01-06 */
    struct client *c = beneficiary_new(admin, "anniv", birth, false);
    json_t *w = wallet(c);
    assert_int_equal(jint(w, "balanceCents"), 5000);
    assert_int_equal(jint(w, "digitalRemainingCents"), 5000);
    assert_jstr(w, "expirationDate", birthday21(birth));
    /* Wallet routes are the beneficiary's. */
    assert_refusal(http_request(alice, "GET", "/api/v1/me/wallet", NULL), 403, "global", NULL);
    assert_refusal(http_request(admin, "GET", "/api/v1/me/wallet", NULL), 403, "global", NULL);
    assert_refusal(http_request(client_new(), "GET", "/api/v1/me/wallet", NULL), 401, "global",
                   NULL);

    set_clock("2027-01-05T23:00:00Z"); /* the day before: still 17 */
    assert_int_equal(balance(c), 5000);
    set_clock("2027-01-06T09:00:00Z");
    w = wallet(c); /* read: brought up to date at once */
    assert_int_equal(jint(w, "balanceCents"), 20000);
    assert_int_equal(jint(w, "digitalRemainingCents"), 10000);
    assert_jstr(w, "expirationDate", birthday21(birth));

    struct resp r = http_request(client_new(), "POST", "/api/test/jobs/run", NULL);
    assert_status(r, 200);
    bool listed = false;
    size_t i;
    json_t *name;
    json_array_foreach(jget(r.json, "ran"), i, name)
    {
        listed = listed || (json_is_string(name) && strcmp(json_string_value(name),
                                                           "credit_top_up") == 0);
    }
    if (!listed) {
        print_error("POST /api/test/jobs/run: credit_top_up not in %s\n", r.body);
        fail();
    }
    /* Idempotent: the job and further reads give nothing more. */
    assert_status(http_request(client_new(), "POST", "/api/test/jobs/run", NULL), 200);
    assert_int_equal(balance(c), 20000);
}

/* Turned 18 since the last read: a booking right away can use the new credit. */
static void test_booking_after_18th_birthday_uses_new_credit(void **state)
{
    (void)state;
    struct client *c = beneficiary_new(admin, "majeur", born(18, 1), false);
    assert_int_equal(balance(c), 5000);
    struct item it = offer_a((struct spec){.sub = "CARTE_MUSEE", .price = 9000});
    assert_refusal(book(c, it.stock, 1), 422, NULL, MSG_BALANCE);
    set_clock("2027-01-05T10:00:00Z");
    booked(c, it.stock, 1);
    assert_int_equal(balance(c), 11000);
}

/* The credit ends at the 21st birthday (+ 11 h for overseas): paid offers no longer, free ones
 * still. */
static void test_credit_expires_at_21(void **state)
{
    (void)state;
    const char *birth = born(21, 1); /* 20 today, 21 on 2027-01-05 */
    struct client *c = beneficiary_new(admin, "vingt", birth, false);
    json_t *w = wallet(c);
    assert_int_equal(jint(w, "balanceCents"), 15000);
    assert_jstr(w, "expirationDate", "2027-01-05");
    struct item paid = offer_a((struct spec){.sub = "CARTE_MUSEE", .price = 1000});
    struct item free_one = offer_a((struct spec){.sub = "VISITE", .price = 0,
                                                 .start = t0() + 5 * DAY});
    set_clock("2027-01-05T12:00:00Z");
    assert_int_equal(balance(c), 0);
    assert_refusal(book(c, paid.stock, 1), 422, NULL, NULL);
    assert_int_equal(booked_of(&paid), 0);
    assert_jstr(booked(c, free_one.stock, 1), "status", "CONFIRMED");
}

/* A 16-year-old (UNDERAGE) who turns 17 gets 50 € and may then book paid offers (RULES §3). */
static void test_underage_turning_17_can_book_paid_offers(void **state)
{
    (void)state;
    struct client *c = beneficiary_new(admin, "seize", born(17, 2), false);
    struct item it = offer_a((struct spec){.sub = "CARTE_MUSEE", .price = 1000});
    json_t *w = wallet(c);
    assert_int_equal(jint(w, "balanceCents"), 0);
    assert_true(json_is_null(jget(w, "digitalRemainingCents")));
    assert_refusal(book(c, it.stock, 1), 403, "global", NULL);

    set_clock("2027-01-06T09:00:00Z");
    w = wallet(c);
    assert_int_equal(jint(w, "balanceCents"), 5000);
    assert_int_equal(jint(w, "digitalRemainingCents"), 5000);
    struct resp r = book(c, it.stock, 1);
    assert_status(r, 201);
    assert_int_equal(balance(c), 4000);
    struct resp me = http_request(c, "GET", "/api/v1/me", NULL);
    assert_jstr(me.json, "role", "BENEFICIARY");
}

/* ------------------------------------------------------------------ booking */

static void test_booking_created(void **state)
{
    (void)state;
    int64_t start = t0() + 10 * DAY;
    struct item ev = offer_a((struct spec){.sub = "VISITE", .price = 1200, .places = 10,
                                           .start = start});
    struct item th = offer_a((struct spec){.sub = "CARTE_MUSEE", .price = 800, .places = 4});
    int64_t before = balance(ben);

    json_t *b = booked(ben, ev.stock, 1);
    assert_jstr(b, "status", "CONFIRMED");
    assert_int_equal(jint(b, "quantity"), 1);
    assert_int_equal(jint(b, "amountCents"), 1200);
    const char *token = jstr(b, "token");
    if (!in_alphabet(token)) {
        print_error("token %s: not 6 characters of %s\n", token ? token : "(none)",
                    TOKEN_ALPHABET);
        fail();
    }
    int64_t created = epoch(jstr(b, "dateCreated"));
    assert_true(created >= t0() && created < t0() + 60);
    assert_int_equal(epoch(jstr(b, "cancellationLimitDate")), created + 48 * HOUR);
    assert_int_equal(balance(ben), before - 1200);
    assert_int_equal(booked_of(&ev), 1);
    assert_int_equal(jint(stock_seen(&ev, ev.stock), "remainingQuantity"), 9);

    json_t *t = booked(ben, th.stock, 1);
    assert_jstr(t, "status", "CONFIRMED");
    assert_int_equal(jint(t, "amountCents"), 800);
    assert_true(json_is_null(jget(t, "cancellationLimitDate")));
    assert_true(in_alphabet(jstr(t, "token")));
    assert_string_not_equal(jstr(t, "token"), token);
    assert_int_equal(balance(ben), before - 2000);
    assert_int_equal(jint(stock_seen(&th, th.stock), "remainingQuantity"), 3);

    /* Listed for the beneficiary, the same as answered. */
    json_t *mine = my_booking(ben, jint(b, "id"));
    assert_jstr(mine, "token", token);
    assert_jstr(mine, "status", "CONFIRMED");
    assert_int_equal(jint(mine, "amountCents"), 1200);
    assert_int_equal(jint(mine, "quantity"), 1);
    assert_jstr(mine, "cancellationLimitDate", jstr(b, "cancellationLimitDate"));
    assert_jstr(my_booking(ben, jint(t, "id")), "status", "CONFIRMED");
    /* ... and not for another beneficiary. */
    assert_null(jfind_id(my_bookings(ben2), "", "id", jint(b, "id")));

    /* Quantity may be left out: one place. */
    struct item th2 = offer_a((struct spec){.sub = "CARTE_MUSEE", .price = 100});
    struct resp r = book_body(ben, strf("{\"stockId\":%lld}", (long long)th2.stock));
    assert_status(r, 201);
    assert_int_equal(jint(r.json, "quantity"), 1);
}

struct limit_case {
    const char *name;
    int64_t start_after; /* seconds after NOW */
    int rule;            /* 0: booked + 48 h, 1: start - 48 h, 2: booked */
};

static const struct limit_case limit_cases[] = {
    {"10 jours avant", 10 * DAY, 0},
    {"4 jours avant", 4 * DAY, 0},
    {"72 h avant", 72 * HOUR, 1},
    {"50 h avant", 50 * HOUR, 1},
    {"47 h avant", 47 * HOUR, 2},
    {"2 h avant", 2 * HOUR, 2},
};

static void test_cancellation_limit_dates(void **state)
{
    (void)state;
    bool ok = true;
    for (size_t i = 0; i < sizeof limit_cases / sizeof limit_cases[0]; i++) {
        const struct limit_case *k = &limit_cases[i];
        int64_t start = t0() + k->start_after;
        struct item it = offer_a((struct spec){.sub = "VISITE", .price = 0, .start = start});
        json_t *b = booked(ben, it.stock, 1);
        int64_t created = epoch(jstr(b, "dateCreated"));
        /* The case names which term should win, but the clock flows during the test (a
         * slow sanitizer run can book a second or more after NOW): the rule itself, RULES §3
         * max(booked, min(start - 48 h, booked + 48 h)), decides at the edges. */
        int64_t earliest = start - 48 * HOUR < created + 48 * HOUR ? start - 48 * HOUR
                                                                   : created + 48 * HOUR;
        int64_t expected = earliest > created ? earliest : created;
        int64_t named = k->rule == 0   ? created + 48 * HOUR
                        : k->rule == 1 ? start - 48 * HOUR
                                       : created;
        if (llabs(named - expected) > 60) {
            print_error("%s: the case does not test the rule it names\n", k->name);
            ok = false;
        }
        const char *got = jstr(b, "cancellationLimitDate");
        if (got == NULL || epoch(got) != expected) {
            print_error("%s: cancellationLimitDate expected %s, got %s\n", k->name, iso(expected),
                        got ? got : "(none)");
            ok = false;
        }
    }
    if (!ok)
        fail();
}

/* One refusal: the request, what must come back, and what must not change. */
struct refusal {
    const char *name;
    struct client *who;
    const struct item *it; /* NULL: no stock to watch */
    int64_t stock;         /* 0: it->stock */
    const char *quantity;  /* JSON text */
    int64_t at;            /* clock for the request (0: NOW) */
    long status;
    const char *needle;    /* message, or NULL */
};

static void test_booking_refusals(void **state)
{
    (void)state;
    int64_t soon = t0() + 1 * HOUR;
    struct item draft = offer_a((struct spec){.sub = "CARTE_MUSEE", .price = 500, .draft = true});
    struct item pending = make(nina, vn, (struct spec){.sub = "CARTE_MUSEE", .price = 500});
    struct item rejected = offer_a((struct spec){.sub = "CARTE_MUSEE", .price = 500});
    assert_status(http_request(admin, "POST",
                               strf("/api/v1/admin/offers/%lld/reject", (long long)rejected.offer),
                               NULL),
                  200);
    struct item deleted = offer_a((struct spec){.sub = "VISITE", .price = 500,
                                                .start = t0() + 5 * DAY});
    add_event_stock(&deleted, t0() + 6 * DAY, 0, 0); /* the offer keeps another date */
    assert_status(http_request(alice, "DELETE", stock_path(deleted.stock), NULL), 204);
    struct item twice = offer_a((struct spec){.sub = "VISITE", .price = 500, .places = 10,
                                              .start = t0() + 5 * DAY});
    int64_t twice_other = add_event_stock(&twice, t0() + 6 * DAY, 10, 0);
    booked(ben, twice.stock, 1);
    struct item duo = offer_a((struct spec){.sub = "VISITE", .duo = true, .price = 500,
                                            .places = 10, .start = t0() + 5 * DAY});
    struct item solo = offer_a((struct spec){.sub = "VISITE", .price = 500, .places = 10,
                                             .start = t0() + 5 * DAY});
    struct item limit_passed = offer_a((struct spec){.sub = "CARTE_MUSEE", .price = 500,
                                                     .places = 10, .limit = soon});
    struct item started = offer_a((struct spec){.sub = "VISITE", .price = 500, .places = 10,
                                                .start = soon});
    struct item inactive = offer_a((struct spec){.sub = "CARTE_MUSEE", .price = 500,
                                                 .places = 10});
    assert_status(http_json(alice, "PATCH", offer_path(inactive.offer, ""),
                            json_pack("{s:b}", "isActive", 0)),
                  200);
    struct item last = offer_a((struct spec){.sub = "CARTE_MUSEE", .price = 500, .places = 1});
    booked(ben2, last.stock, 1);
    struct item dear = offer_a((struct spec){.sub = "CARTE_MUSEE", .price = 30000});
    struct item duo_full = offer_a((struct spec){.sub = "VISITE", .duo = true, .price = 500,
                                                 .places = 1, .start = t0() + 5 * DAY});

    const struct refusal rows[] = {
        {"stock inconnu", ben, NULL, 999999, "1", 0, 404, NULL},
        {"offre brouillon", ben, &draft, 0, "1", 0, 404, NULL},
        {"offre en attente de validation", ben, &pending, 0, "1", 0, 404, NULL},
        {"offre refusée", ben, &rejected, 0, "1", 0, 404, NULL},
        {"stock supprimé", ben, NULL, deleted.stock, "1", 0, 404, NULL},
        {"déjà réservée (même stock)", ben, &twice, 0, "1", 0, 409, MSG_ALREADY},
        {"déjà réservée (autre date de l'offre)", ben, &twice, twice_other, "1", 0, 409,
         MSG_ALREADY},
        {"Duo : 0 place", ben, &duo, 0, "0", 0, 422, MSG_DUO},
        {"Duo : 3 places", ben, &duo, 0, "3", 0, 422, MSG_DUO},
        {"Duo : -1 place", ben, &duo, 0, "-1", 0, 422, MSG_DUO},
        {"quantité \"two\"", ben, &duo, 0, "\"two\"", 0, 422, NULL},
        {"quantité 1.5", ben, &duo, 0, "1.5", 0, 422, NULL},
        {"quantité true", ben, &duo, 0, "true", 0, 422, NULL},
        {"2 places, offre non Duo", ben, &solo, 0, "2", 0, 422, MSG_ONE},
        {"0 place, offre non Duo", ben, &solo, 0, "0", 0, 422, MSG_ONE},
        {"date limite de réservation passée", ben, &limit_passed, 0, "1", soon + HOUR, 422,
         MSG_NOT_BOOKABLE},
        {"évènement commencé", ben, &started, 0, "1", soon + HOUR, 422, MSG_NOT_BOOKABLE},
        {"offre désactivée", ben, &inactive, 0, "1", 0, 422, MSG_NOT_BOOKABLE},
        {"complet", ben, &last, 0, "1", 0, 409, NULL},
        {"Duo : 2 places, 1 restante", ben, &duo_full, 0, "2", 0, 409, NULL},
        {"crédit insuffisant", ben, &dear, 0, "1", 0, 422, MSG_BALANCE},
    };
    bool ok = true;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const struct refusal *k = &rows[i];
        int64_t stock = k->stock ? k->stock : k->it->stock;
        int64_t bal = balance(k->who);
        size_t count = json_array_size(my_bookings(k->who));
        int64_t taken = k->it ? jint(stock_seen(k->it, stock), "bookedQuantity") : 0;
        if (k->at)
            set_clock(iso(k->at));
        struct resp r = book_body(k->who, strf("{\"stockId\":%lld,\"quantity\":%s}",
                                               (long long)stock, k->quantity));
        if (k->at)
            set_clock(NOW);
        json_t *errors = jget(r.json, "errors");
        bool shape = json_is_object(errors) && json_object_size(errors) > 0;
        if (r.status != k->status || !shape ||
            (k->needle && !has_message(&r, NULL, k->needle, false))) {
            print_error("%s: expected %ld%s%s, got %ld: %.400s\n", k->name, k->status,
                        k->needle ? " with " : "", k->needle ? k->needle : "", r.status, r.body);
            ok = false;
        }
        /* Nothing written. */
        int64_t bal_after = balance(k->who);
        size_t count_after = json_array_size(my_bookings(k->who));
        int64_t taken_after = k->it ? jint(stock_seen(k->it, stock), "bookedQuantity") : 0;
        if (bal_after != bal || count_after != count || taken_after != taken) {
            print_error("%s: something was written: balance %lld -> %lld, bookings %zu -> %zu, "
                        "booked places %lld -> %lld\n",
                        k->name, (long long)bal, (long long)bal_after, count, count_after,
                        (long long)taken, (long long)taken_after);
            ok = false;
        }
    }
    if (!ok)
        fail();
    /* Malformed requests. */
    assert_refusal(book_body(ben, "{\"quantity\":1}"), 422, "stockId", NULL);
    assert_refusal(book_body(ben, "{\"stockId\":\"12\",\"quantity\":1}"), 422, "stockId", NULL);
    assert_refusal(book_body(ben, "{\"stockId\":-3,\"quantity\":1}"), 422, "stockId", NULL);
    assert_status(book_body(ben, "{\"stockId\":"), 400);
    assert_status(http_raw(ben, "POST", "/api/v1/bookings", "text/plain", "{}", 2, NULL), 415);
}

static void test_credit_and_digital_cap(void **state)
{
    (void)state;
    struct client *c = beneficiary_new(admin, "numerique", born(18, -60), false);
    struct item ebook1 = offer_a((struct spec){.sub = "LIVRE_NUMERIQUE", .price = 6000,
                                               .url = "https://editeur.example.fr/livre-1"});
    struct item ebook2 = offer_a((struct spec){.sub = "LIVRE_NUMERIQUE", .price = 6000,
                                               .url = "https://editeur.example.fr/livre-2"});
    struct item shop = offer_a((struct spec){.sub = "MUSEE_VENTE_DISTANCE", .price = 6000,
                                             .url = "https://musee.example.fr/boutique"});
    struct item card1 = offer_a((struct spec){.sub = "CARTE_MUSEE", .price = 3001});
    struct item card2 = offer_a((struct spec){.sub = "CARTE_MUSEE", .price = 3000});

    booked(c, ebook1.stock, 1);
    json_t *w = wallet(c);
    assert_int_equal(jint(w, "balanceCents"), 9000);
    assert_int_equal(jint(w, "digitalRemainingCents"), 4000);

    /* 6000 + 6000 > 100 €: the digital cap refuses, though the balance would allow it. */
    assert_refusal(book(c, ebook2.stock, 1), 422, NULL, MSG_CAP);
    assert_int_equal(booked_of(&ebook2), 0);
    w = wallet(c);
    assert_int_equal(jint(w, "balanceCents"), 9000);
    assert_int_equal(jint(w, "digitalRemainingCents"), 4000);

    /* An online offer whose subcategory is not capped. */
    booked(c, shop.stock, 1);
    w = wallet(c);
    assert_int_equal(jint(w, "balanceCents"), 3000);
    assert_int_equal(jint(w, "digitalRemainingCents"), 3000);

    /* The balance, to the cent. */
    assert_refusal(book(c, card1.stock, 1), 422, NULL, MSG_BALANCE);
    assert_int_equal(balance(c), 3000);
    booked(c, card2.stock, 1);
    assert_int_equal(balance(c), 0);

    /* Cancelling the e-book gives back both the balance and the digital room. */
    json_t *mine = my_bookings(c);
    int64_t ebook_booking = 0;
    size_t i;
    json_t *b;
    json_array_foreach(mine, i, b)
    {
        if (jint(b, "offerId") == ebook1.offer)
            ebook_booking = jint(b, "id");
    }
    assert_true(ebook_booking > 0);
    assert_status(cancel(c, ebook_booking), 200);
    w = wallet(c);
    assert_int_equal(jint(w, "balanceCents"), 6000);
    assert_int_equal(jint(w, "digitalRemainingCents"), 6000);
    booked(c, ebook2.stock, 1);
    assert_int_equal(balance(c), 0);
}

static void test_underage_books_free_offers_only(void **state)
{
    (void)state;
    struct client *c = beneficiary_new(admin, "mineur", born(16, -100), false);
    struct item paid = offer_a((struct spec){.sub = "CARTE_MUSEE", .price = 500});
    struct item free_event = offer_a((struct spec){.sub = "VISITE", .price = 0,
                                                   .start = t0() + 5 * DAY});
    assert_refusal(book(c, paid.stock, 1), 403, "global", NULL);
    assert_int_equal(booked_of(&paid), 0);
    json_t *b = booked(c, free_event.stock, 1);
    assert_jstr(b, "status", "CONFIRMED");
    assert_int_equal(jint(b, "amountCents"), 0);
    assert_int_equal(balance(c), 0);
}

static void test_underage_books_free_digital_offer(void **state)
{
    (void)state;
    struct client *c = beneficiary_new(admin, "mineur-num", born(16, -100), false);
    struct item ebook = offer_a((struct spec){.sub = "LIVRE_NUMERIQUE", .price = 0,
                                              .url = "https://editeur.example.fr/gratuit"});
    struct resp r = book(c, ebook.stock, 1);
    assert_status(r, 201);
}

static void test_17_year_old_and_online_paid_offers(void **state)
{
    (void)state;
    struct client *c = beneficiary_new(admin, "dix-sept", born(17, -100), false);
    struct item virt_paid = offer_a((struct spec){.sub = "VISITE_VIRTUELLE", .price = 500,
                                                  .url = "https://musee.example.fr/visite"});
    struct item virt_free = offer_a((struct spec){.sub = "VISITE_VIRTUELLE", .price = 0,
                                                  .url = "https://musee.example.fr/visite-libre"});
    struct item ebook = offer_a((struct spec){.sub = "LIVRE_NUMERIQUE", .price = 500,
                                              .url = "https://editeur.example.fr/livre"});
    assert_refusal(book(c, virt_paid.stock, 1), 403, "global", NULL);
    assert_int_equal(balance(c), 5000);
    assert_int_equal(booked_of(&virt_paid), 0);
    booked(c, virt_free.stock, 1);
    booked(c, ebook.stock, 1); /* minors may book a paid e-book */
    assert_int_equal(balance(c), 4500);
    /* At 18, the same paid online offer is allowed. */
    booked(ben2, virt_paid.stock, 1);
}

static void test_only_beneficiaries_book(void **state)
{
    (void)state;
    struct item it = offer_a((struct spec){.sub = "CARTE_MUSEE", .price = 500});
    const char *body = strf("{\"stockId\":%lld,\"quantity\":1}", (long long)it.stock);
    assert_refusal(book_body(alice, body), 403, "global", NULL);
    assert_refusal(book_body(admin, body), 403, "global", NULL);
    assert_refusal(book_body(client_new(), body), 401, "global", NULL);
    assert_refusal(http_request(alice, "GET", "/api/v1/me/bookings", NULL), 403, "global", NULL);
    assert_refusal(http_request(client_new(), "GET", "/api/v1/me/bookings", NULL), 401, "global",
                   NULL);
    assert_int_equal(booked_of(&it), 0);
}

static void test_bookings_used_at_once(void **state)
{
    (void)state;
    /* A free museum card is used at booking time; a paid one is not. */
    struct item card = offer_a((struct spec){.sub = "CARTE_MUSEE", .price = 0, .places = 5});
    json_t *b = booked(ben, card.stock, 1);
    assert_jstr(b, "status", "USED");
    json_t *mine = my_booking(ben, jint(b, "id"));
    assert_jstr(mine, "status", "USED");
    assert_true(jstr(mine, "dateUsed") != NULL);
    assert_refusal(cancel(ben, jint(b, "id")), 410, "global", NULL);
    assert_int_equal(jint(stock_seen(&card, card.stock), "remainingQuantity"), 4);

    /* Activation codes: each booking takes one, and is used at once. */
    struct item ebook = offer_a((struct spec){.sub = "LIVRE_NUMERIQUE", .price = 1000,
                                              .url = "https://editeur.example.fr/code",
                                              .draft = true});
    struct resp r = http_json(alice, "POST", offer_path(ebook.offer, "/activation-codes"),
                              json_pack("{s:[s, s]}", "codes", "CODE-A", "CODE-B"));
    assert_status(r, 201);
    assert_int_equal(jint(r.json, "added"), 2);
    assert_jstr(http_request(alice, "POST", offer_path(ebook.offer, "/publish"), NULL).json,
                "status", "APPROVED");
    assert_int_equal(jint(stock_seen(&ebook, ebook.stock), "activationCodesCount"), 2);

    int64_t before = balance(ben);
    b = booked(ben, ebook.stock, 1);
    assert_jstr(b, "status", "USED");
    assert_int_equal(balance(ben), before - 1000);
    mine = my_booking(ben, jint(b, "id"));
    assert_jstr(mine, "status", "USED");
    assert_jstr(mine, "activationCode", "CODE-A");
    json_t *s = stock_seen(&ebook, ebook.stock);
    assert_int_equal(jint(s, "activationCodesCount"), 1);
    assert_int_equal(jint(s, "remainingQuantity"), 1);
    assert_refusal(cancel(ben, jint(b, "id")), 410, "global", NULL);

    b = booked(ben2, ebook.stock, 1);
    assert_jstr(my_booking(ben2, jint(b, "id")), "activationCode", "CODE-B");
    assert_int_equal(jint(stock_seen(&ebook, ebook.stock), "activationCodesCount"), 0);
    /* No code left: no booking. */
    int64_t bal = balance(pool[0]);
    assert_refusal(book(pool[0], ebook.stock, 1), 409, NULL, NULL);
    assert_int_equal(balance(pool[0]), bal);
}

static void test_duo(void **state)
{
    (void)state;
    struct item ev = offer_a((struct spec){.sub = "VISITE", .duo = true, .price = 1200,
                                           .places = 5, .start = t0() + 6 * DAY});
    int64_t before = balance(ben);
    json_t *b = booked(ben, ev.stock, 2);
    assert_int_equal(jint(b, "quantity"), 2);
    assert_int_equal(jint(b, "amountCents"), 1200);
    assert_int_equal(balance(ben), before - 2400);
    assert_int_equal(jint(stock_seen(&ev, ev.stock), "remainingQuantity"), 3);
    assert_int_equal(jint(my_booking(ben, jint(b, "id")), "quantity"), 2);
    /* A Duo offer may be booked for one. */
    assert_int_equal(jint(booked(ben2, ev.stock, 1), "quantity"), 1);
    assert_int_equal(jint(stock_seen(&ev, ev.stock), "remainingQuantity"), 2);
    /* Cancelling gives both places and both prices back. */
    assert_status(cancel(ben, jint(b, "id")), 200);
    assert_int_equal(balance(ben), before);
    assert_int_equal(jint(stock_seen(&ev, ev.stock), "remainingQuantity"), 4);

    /* A thing can be Duo too. */
    struct item card = offer_a((struct spec){.sub = "CARTE_MUSEE", .duo = true, .price = 700});
    before = balance(ben);
    booked(ben, card.stock, 2);
    assert_int_equal(balance(ben), before - 1400);
    assert_int_equal(booked_of(&card), 2);
}

/* ------------------------------------------------------------------ cancellation */

static void test_beneficiary_cancellation(void **state)
{
    (void)state;
    struct client *c = pool[20], *other = pool[21];
    struct item ev = offer_a((struct spec){.sub = "VISITE", .price = 900, .places = 3,
                                           .start = t0() + 10 * DAY});
    int64_t before = balance(c);
    json_t *b = booked(c, ev.stock, 1);
    int64_t id = jint(b, "id");
    assert_int_equal(balance(c), before - 900);

    /* Another beneficiary's booking does not exist for them. */
    assert_refusal(cancel(other, id), 404, "global", NULL);
    assert_refusal(cancel(c, 999999), 404, "global", NULL);
    assert_refusal(cancel(alice, id), 403, "global", NULL);
    assert_refusal(cancel(client_new(), id), 401, "global", NULL);
    assert_jstr(my_booking(c, id), "status", "CONFIRMED");

    /* Inside the window. */
    struct resp r = cancel(c, id);
    assert_status(r, 200);
    assert_jstr(r.json, "status", "CANCELLED");
    assert_int_equal(balance(c), before);
    assert_int_equal(jint(stock_seen(&ev, ev.stock), "remainingQuantity"), 3);
    json_t *mine = my_booking(c, id);
    assert_jstr(mine, "status", "CANCELLED");
    /* Twice: gone. */
    assert_refusal(cancel(c, id), 410, "global", NULL);
    assert_int_equal(balance(c), before);
    assert_int_equal(jint(stock_seen(&ev, ev.stock), "remainingQuantity"), 3);
    /* Cancelled: the offer may be booked again. */
    json_t *again = booked(c, ev.stock, 1);
    assert_int_equal(balance(c), before - 900);

    /* Just before the limit: still possible; just after: refused, nothing changes. */
    int64_t limit = epoch(jstr(again, "cancellationLimitDate"));
    set_clock(iso(limit - 30));
    assert_status(cancel(c, jint(again, "id")), 200);
    set_clock(NOW);
    json_t *late = booked(c, ev.stock, 1);
    limit = epoch(jstr(late, "cancellationLimitDate"));
    set_clock(iso(limit + 60));
    r = cancel(c, jint(late, "id"));
    assert_refusal_exact(r, 403, NULL, MSG_CANCEL);
    assert_jstr(my_booking(c, jint(late, "id")), "status", "CONFIRMED");
    assert_int_equal(balance(c), before - 900);
    assert_int_equal(jint(stock_seen(&ev, ev.stock), "remainingQuantity"), 2);

    /* A thing stays cancellable until used, days later. */
    set_clock(NOW);
    struct item th = offer_a((struct spec){.sub = "CARTE_MUSEE", .price = 400});
    json_t *t = booked(c, th.stock, 1);
    set_clock("2027-01-07T07:00:00Z");
    assert_status(cancel(c, jint(t, "id")), 200);
    assert_int_equal(balance(c), before - 900);
}

/* Booked less than 48 h before the event: the limit is the booking time, never cancellable. */
static void test_never_cancellable_when_booked_less_than_48h_before(void **state)
{
    (void)state;
    struct client *c = pool[22];
    struct item ev = offer_a((struct spec){.sub = "VISITE", .price = 500,
                                           .start = t0() + 24 * HOUR});
    int64_t before = balance(c);
    json_t *b = booked(c, ev.stock, 1);
    const char *created = jstr(b, "dateCreated");
    assert_jstr(b, "cancellationLimitDate", created);
    /* At the very second of the booking (the clock put back on it), then later. */
    set_clock(created);
    struct resp r = cancel(c, jint(b, "id"));
    set_clock(iso(epoch(created) + 5));
    struct resp r2 = cancel(c, jint(b, "id"));
    assert_refusal_exact(r, 403, NULL, MSG_CANCEL);
    assert_refusal_exact(r2, 403, NULL, MSG_CANCEL);
    assert_int_equal(balance(c), before - 500);
    json_t *mine = my_booking(c, jint(b, "id"));
    assert_jstr(mine, "status", "CONFIRMED");
    assert_true(json_is_false(jget(mine, "canCancel")));
}

static void test_pro_cancellation(void **state)
{
    (void)state;
    struct client *c = pool[23];
    struct item ev = offer_a((struct spec){.sub = "VISITE", .price = 1100, .places = 4,
                                           .start = t0() + 10 * DAY});
    int64_t before = balance(c);
    json_t *b = booked(c, ev.stock, 1);
    int64_t id = jint(b, "id");

    /* Another structure's pro, the back office on a pro route, a beneficiary: refused. */
    assert_refusal(pro_cancel(bob, id), 404, "global", NULL);
    assert_refusal(pro_cancel(nina, id), 404, "global", NULL);
    assert_refusal(pro_cancel(admin, id), 403, "global", NULL);
    assert_refusal(pro_cancel(c, id), 403, "global", NULL);
    assert_refusal(pro_cancel(client_new(), id), 401, "global", NULL);
    assert_refusal(pro_cancel(alice, 999999), 404, "global", NULL);
    assert_jstr(my_booking(c, id), "status", "CONFIRMED");
    assert_int_equal(balance(c), before - 1100);

    /* The pro has no time limit: past the beneficiary's window. */
    set_clock(iso(t0() + 3 * DAY));
    assert_refusal(cancel(c, id), 403, NULL, MSG_CANCEL);
    struct resp r = pro_cancel(alice, id);
    assert_status(r, 200);
    assert_jstr(r.json, "status", "CANCELLED");
    assert_int_equal(balance(c), before);
    assert_int_equal(jint(stock_seen(&ev, ev.stock), "remainingQuantity"), 4);
    assert_jstr(my_booking(c, id), "status", "CANCELLED");
    assert_refusal(pro_cancel(alice, id), 410, "global", NULL);
    assert_int_equal(balance(c), before);
    set_clock(NOW);

    /* A used booking is not cancelled by the pro. */
    struct item card = offer_a((struct spec){.sub = "CARTE_MUSEE", .price = 0});
    json_t *used = booked(c, card.stock, 1);
    assert_jstr(used, "status", "USED");
    assert_refusal(pro_cancel(alice, jint(used, "id")), 410, "global", NULL);
    assert_jstr(my_booking(c, jint(used, "id")), "status", "USED");
}

/* ------------------------------------------------------------------ offer side effects */

static void test_stock_delete_cancels_its_bookings(void **state)
{
    (void)state;
    struct client *c1 = pool[24], *c2 = pool[25];
    struct item ev = offer_a((struct spec){.sub = "VISITE", .price = 700, .places = 10,
                                           .start = t0() + 8 * DAY});
    int64_t other_stock = add_event_stock(&ev, t0() + 9 * DAY, 10, 0);
    int64_t b1 = jint(booked(c1, ev.stock, 1), "id");
    int64_t b2 = jint(booked(c2, other_stock, 1), "id");
    int64_t bal1 = balance(c1), bal2 = balance(c2);
    assert_status(http_request(alice, "DELETE", stock_path(ev.stock), NULL), 204);
    assert_jstr(my_booking(c1, b1), "status", "CANCELLED");
    assert_int_equal(balance(c1), bal1 + 700);
    /* The other date's booking is untouched. */
    assert_jstr(my_booking(c2, b2), "status", "CONFIRMED");
    assert_int_equal(balance(c2), bal2);

    struct item th = offer_a((struct spec){.sub = "CARTE_MUSEE", .price = 650, .places = 3});
    int64_t b3 = jint(booked(c1, th.stock, 1), "id");
    int64_t b4 = jint(booked(c2, th.stock, 1), "id");
    assert_status(http_request(alice, "DELETE", stock_path(th.stock), NULL), 204);
    assert_jstr(my_booking(c1, b3), "status", "CANCELLED");
    assert_jstr(my_booking(c2, b4), "status", "CANCELLED");
    assert_int_equal(balance(c1), bal1 + 700);
    assert_int_equal(balance(c2), bal2);

    /* RULES §2: even used bookings are cancelled when an event stock is deleted (not a
     * thing's: a used museum card stays used). */
    struct item soon = offer_a((struct spec){.sub = "VISITE", .price = 450, .places = 5,
                                             .start = t0() + 3 * HOUR});
    json_t *b5 = booked(c1, soon.stock, 1);
    set_clock(iso(t0() + HOUR)); /* past its cancellation limit (booked < 48 h before) */
    assert_status(http_request(alice, "POST",
                               strf("/api/v1/pro/bookings/token/%s/use", jstr(b5, "token")),
                               NULL),
                  204);
    assert_jstr(my_booking(c1, jint(b5, "id")), "status", "USED");
    assert_int_equal(balance(c1), bal1 + 700 - 450);
    assert_status(http_request(alice, "DELETE", stock_path(soon.stock), NULL), 204);
    assert_jstr(my_booking(c1, jint(b5, "id")), "status", "CANCELLED");
    assert_int_equal(balance(c1), bal1 + 700);

    struct item card = offer_a((struct spec){.sub = "CARTE_MUSEE", .price = 0});
    json_t *b6 = booked(c2, card.stock, 1);
    assert_jstr(b6, "status", "USED");
    assert_status(http_request(alice, "DELETE", stock_path(card.stock), NULL), 204);
    assert_jstr(my_booking(c2, jint(b6, "id")), "status", "USED");
}

static void test_offer_reject_cancels_its_bookings(void **state)
{
    (void)state;
    struct client *c1 = pool[26], *c2 = pool[27];
    struct item ev = offer_a((struct spec){.sub = "VISITE", .price = 800, .places = 10,
                                           .start = t0() + 8 * DAY});
    int64_t second = add_event_stock(&ev, t0() + 9 * DAY, 10, 0);
    int64_t bal1 = balance(c1), bal2 = balance(c2);
    int64_t b1 = jint(booked(c1, ev.stock, 1), "id");
    int64_t b2 = jint(booked(c2, second, 1), "id");
    struct resp r = http_request(admin, "POST",
                                 strf("/api/v1/admin/offers/%lld/reject", (long long)ev.offer),
                                 NULL);
    assert_status(r, 200);
    assert_jstr(my_booking(c1, b1), "status", "CANCELLED");
    assert_jstr(my_booking(c2, b2), "status", "CANCELLED");
    assert_int_equal(balance(c1), bal1);
    assert_int_equal(balance(c2), bal2);
    /* And it cannot be booked any more. */
    assert_refusal(book(c1, ev.stock, 1), 404, NULL, NULL);
    assert_int_equal(balance(c1), bal1);
}

static void test_event_moved_recomputes_limits(void **state)
{
    (void)state;
    struct client *c = pool[28];
    struct item ev = offer_a((struct spec){.sub = "VISITE", .price = 300, .places = 10,
                                           .start = t0() + 10 * DAY});
    json_t *b = booked(c, ev.stock, 1);
    int64_t id = jint(b, "id");
    assert_int_equal(epoch(jstr(b, "cancellationLimitDate")),
                     epoch(jstr(b, "dateCreated")) + 48 * HOUR);

    /* An hour later, moved 5 days ahead of now: limit = now + 48 h. */
    set_clock(iso(t0() + HOUR));
    int64_t new_start = t0() + 5 * DAY;
    struct resp r = http_json(alice, "PATCH", stock_path(ev.stock),
                              json_pack("{s:s}", "beginningDatetime", iso(new_start)));
    assert_status(r, 200);
    json_t *mine = my_booking(c, id);
    int64_t limit = epoch(jstr(mine, "cancellationLimitDate"));
    if (limit < t0() + HOUR + 48 * HOUR || limit > t0() + HOUR + 48 * HOUR + 30) {
        print_error("after the move to %s at %s: limit %s, expected now + 48 h\n", iso(new_start),
                    iso(t0() + HOUR), iso(limit));
        fail();
    }
    assert_int_equal(epoch(jstr(mine, "beginningDatetime")), new_start);

    /* Moved to 30 h from now: limit = the new start itself. */
    new_start = t0() + HOUR + 30 * HOUR;
    r = http_json(alice, "PATCH", stock_path(ev.stock),
                  json_pack("{s:s}", "beginningDatetime", iso(new_start)));
    assert_status(r, 200);
    mine = my_booking(c, id);
    assert_int_equal(epoch(jstr(mine, "cancellationLimitDate")), new_start);
    /* Hence still cancellable 20 h from now. */
    set_clock(iso(t0() + HOUR + 20 * HOUR));
    assert_status(cancel(c, id), 200);
}

/* ------------------------------------------------------------------ search */

/* The ids of GET /api/v1/search/offers?@query as @c, in order; @n receives the count. */
static int64_t *search(struct client *c, const char *query, size_t *n)
{
    struct resp r = http_request(c, "GET", strf("/api/v1/search/offers?%s", query), NULL);
    assert_status(r, 200);
    json_t *offers = jget(r.json, "offers");
    assert_true(json_is_array(offers));
    *n = json_array_size(offers);
    static int64_t ids[64];
    assert_true(*n <= 64);
    size_t i;
    json_t *o;
    json_array_foreach(offers, i, o)
    {
        ids[i] = jint(o, "id");
        assert_true(jstr(o, "name") != NULL && jstr(o, "subcategoryId") != NULL &&
                    jstr(o, "postalCode") != NULL && json_is_integer(jget(o, "minPriceCents")));
    }
    return ids;
}

static bool same_set(const int64_t *got, size_t n, const int64_t *want, size_t m)
{
    if (n != m)
        return false;
    for (size_t i = 0; i < m; i++) {
        bool found = false;
        for (size_t j = 0; j < n; j++)
            found = found || got[j] == want[i];
        if (!found)
            return false;
    }
    return true;
}

static void print_ids(const char *what, const int64_t *ids, size_t n)
{
    print_error("%s:", what);
    for (size_t i = 0; i < n; i++)
        print_error(" %lld", (long long)ids[i]);
    print_error("\n");
}

static void test_search(void **state)
{
    (void)state;
    /* Bob's (13001) first: by id, alice's comes first when no postal code is given. */
    struct item b1 = make(bob, vb, (struct spec){.sub = "CARTE_MUSEE", .price = 1500,
                                                 .name = "Zephyrine a Marseille"});
    struct item a1 = offer_a((struct spec){.sub = "VISITE", .price = 900, .places = 20,
                                           .start = t0() + 7 * DAY, .name = "Zephyrine au musee"});
    struct item a_soon = offer_a((struct spec){.sub = "VISITE", .price = 900,
                                               .start = t0() + 3 * HOUR, .limit = t0() + HOUR,
                                               .name = "Zephyrine ce matin"});
    /* Not shown: draft, pending, rejected, inactive, sold out, no live stock, past. */
    offer_a((struct spec){.sub = "CARTE_MUSEE", .price = 100, .draft = true,
                          .name = "Zephyrine brouillon"});
    make(nina, vn, (struct spec){.sub = "CARTE_MUSEE", .price = 100,
                                 .name = "Zephyrine en attente"});
    struct item rej = offer_a((struct spec){.sub = "CARTE_MUSEE", .price = 100,
                                            .name = "Zephyrine refusee"});
    assert_status(http_request(admin, "POST",
                               strf("/api/v1/admin/offers/%lld/reject", (long long)rej.offer),
                               NULL),
                  200);
    struct item off = offer_a((struct spec){.sub = "CARTE_MUSEE", .price = 100,
                                            .name = "Zephyrine desactivee"});
    assert_status(http_json(alice, "PATCH", offer_path(off.offer, ""),
                            json_pack("{s:b}", "isActive", 0)),
                  200);
    struct item full = offer_a((struct spec){.sub = "CARTE_MUSEE", .price = 100, .places = 1,
                                             .name = "Zephyrine complete"});
    booked(pool[29], full.stock, 1);
    struct item gone = offer_a((struct spec){.sub = "VISITE", .price = 100,
                                             .start = t0() + 4 * DAY,
                                             .name = "Zephyrine sans date"});
    int64_t gone2 = add_event_stock(&gone, t0() + 5 * DAY, 0, 0);
    assert_status(http_request(alice, "DELETE", stock_path(gone.stock), NULL), 204);
    assert_status(http_request(alice, "DELETE", stock_path(gone2), NULL), 204);
    struct item escape = offer_a((struct spec){.sub = "ESCAPE_GAME", .price = 2000,
                                               .name = "Evasion au chateau"});

    size_t n;
    int64_t *ids = search(ben, "q=zephyrine", &n);
    int64_t want[] = {b1.offer, a1.offer, a_soon.offer};
    if (!same_set(ids, n, want, 3)) {
        print_ids("q=zephyrine gave", ids, n);
        print_ids("expected (any order)", want, 3);
        fail();
    }
    /* Case does not matter; a word of the title is enough. */
    ids = search(ben, "q=ZEPHYRINE%20AU", &n);
    assert_int_equal(n, 1);
    assert_int_equal(ids[0], a1.offer);
    /* The subcategory filter. */
    ids = search(ben, "q=zephyrine&subcategoryId=CARTE_MUSEE", &n);
    assert_int_equal(n, 1);
    assert_int_equal(ids[0], b1.offer);
    ids = search(ben, "subcategoryId=ESCAPE_GAME", &n);
    assert_int_equal(n, 1);
    assert_int_equal(ids[0], escape.offer);
    ids = search(ben, "q=zephyrine&subcategoryId=ESCAPE_GAME", &n);
    assert_int_equal(n, 0);
    /* The same postal code first. */
    ids = search(ben, "q=zephyrine&postalCode=13001", &n);
    assert_int_equal(n, 3);
    assert_int_equal(ids[0], b1.offer);
    ids = search(ben, "q=zephyrine&postalCode=75001", &n);
    assert_int_equal(n, 3);
    assert_true(ids[0] != b1.offer && ids[1] != b1.offer);
    assert_int_equal(ids[2], b1.offer);
    /* Its booking limit passed: no longer bookable, no longer shown. */
    set_clock(iso(t0() + 2 * HOUR));
    ids = search(ben, "q=zephyrine", &n);
    int64_t later[] = {b1.offer, a1.offer};
    if (!same_set(ids, n, later, 2)) {
        print_ids("q=zephyrine at NOW + 2 h gave", ids, n);
        fail();
    }
    set_clock(NOW);
    /* Logged in, whoever; not anonymous. */
    assert_status(http_request(alice, "GET", "/api/v1/search/offers?q=zephyrine", NULL), 200);
    assert_refusal(http_request(client_new(), "GET", "/api/v1/search/offers?q=zephyrine", NULL),
                   401, "global", NULL);
}

/* ------------------------------------------------------------------ concurrency */

static void test_concurrency_last_places(void **state)
{
    (void)state;
    enum { N = 12, ROUNDS = 3 };
    for (int round = 0; round < ROUNDS; round++) {
        struct item it = offer_a((struct spec){.sub = "VISITE", .price = 500, .places = 3,
                                               .start = t0() + (10 + round) * DAY});
        int64_t bal[N];
        struct call calls[N];
        const char *body = strf("{\"stockId\":%lld,\"quantity\":1}", (long long)it.stock);
        for (int i = 0; i < N; i++) {
            bal[i] = balance(pool[i]);
            calls[i] = (struct call){pool[i], "POST", "/api/v1/bookings", body, {0}};
        }
        http_parallel(calls, N);
        int ok = 0, full = 0;
        for (int i = 0; i < N; i++) {
            if (calls[i].r.status == 201)
                ok++;
            else if (calls[i].r.status == 409)
                full++;
            else
                print_error("round %d, request %d: %ld %.300s\n", round, i, calls[i].r.status,
                            calls[i].r.body);
        }
        json_t *s = stock_seen(&it, it.stock);
        if (ok != 3 || full != N - 3 || jint(s, "remainingQuantity") != 0 ||
            jint(s, "bookedQuantity") != 3) {
            print_error("round %d: %d booked, %d sold out, stock %lld booked / %lld left\n",
                        round, ok, full, (long long)jint(s, "bookedQuantity"),
                        (long long)jint(s, "remainingQuantity"));
            fail();
        }
        for (int i = 0; i < N; i++)
            assert_int_equal(balance(pool[i]), bal[i] - (calls[i].r.status == 201 ? 500 : 0));
    }
}

static void test_concurrency_credit(void **state)
{
    (void)state;
    enum { N = 10, ROUNDS = 3 };
    struct client *c = beneficiary_new(admin, "depensier", born(18, -90), false);
    struct client *conns[N];
    for (int i = 0; i < N; i++)
        conns[i] = client_clone(c);
    for (int round = 0; round < ROUNDS; round++) {
        assert_int_equal(balance(c), 15000);
        struct item items[N];
        struct call calls[N];
        for (int i = 0; i < N; i++) {
            items[i] = offer_a((struct spec){.sub = "CARTE_MUSEE", .price = 2000, .places = 5});
            calls[i] = (struct call){conns[i], "POST", "/api/v1/bookings",
                                     strf("{\"stockId\":%lld,\"quantity\":1}",
                                          (long long)items[i].stock),
                                     {0}};
        }
        http_parallel(calls, N);
        int ok = 0, poor = 0;
        for (int i = 0; i < N; i++) {
            if (calls[i].r.status == 201)
                ok++;
            else if (calls[i].r.status == 422 && has_message(&calls[i].r, NULL, MSG_BALANCE, false))
                poor++;
            else
                print_error("round %d, request %d: %ld %.300s\n", round, i, calls[i].r.status,
                            calls[i].r.body);
        }
        int64_t left = balance(c);
        if (ok != 7 || poor != 3 || left != 1000) {
            print_error("round %d: %d booked, %d refused for credit, balance %lld\n", round, ok,
                        poor, (long long)left);
            fail();
        }
        int64_t places = 0;
        for (int i = 0; i < N; i++)
            places += booked_of(&items[i]);
        assert_int_equal(places, 7);
        /* Give it all back for the next round. */
        for (int i = 0; i < N; i++)
            if (calls[i].r.status == 201)
                assert_status(cancel(c, jint(calls[i].r.json, "id")), 200);
    }
}

static void test_concurrency_same_offer(void **state)
{
    (void)state;
    enum { N = 6, ROUNDS = 4 };
    struct client *c = pool[30];
    struct client *conns[N];
    for (int i = 0; i < N; i++)
        conns[i] = client_clone(c);
    for (int round = 0; round < ROUNDS; round++) {
        /* Even rounds: the same stock; odd rounds: each request another date of the offer. */
        struct item it = offer_a((struct spec){.sub = "VISITE", .price = 300, .places = 10,
                                               .start = t0() + 10 * DAY});
        int64_t stocks[N];
        stocks[0] = it.stock;
        for (int i = 1; i < N; i++)
            stocks[i] = round % 2 ? add_event_stock(&it, t0() + (10 + i) * DAY, 10, 0) : it.stock;
        int64_t bal = balance(c);
        size_t count = json_array_size(my_bookings(c));
        struct call calls[N];
        for (int i = 0; i < N; i++)
            calls[i] = (struct call){conns[i], "POST", "/api/v1/bookings",
                                     strf("{\"stockId\":%lld,\"quantity\":1}",
                                          (long long)stocks[i]),
                                     {0}};
        http_parallel(calls, N);
        int ok = 0, dup = 0;
        for (int i = 0; i < N; i++) {
            if (calls[i].r.status == 201)
                ok++;
            else if (calls[i].r.status == 409 &&
                     has_message(&calls[i].r, NULL, MSG_ALREADY, false))
                dup++;
            else
                print_error("round %d, request %d: %ld %.300s\n", round, i, calls[i].r.status,
                            calls[i].r.body);
        }
        int64_t places = 0;
        for (int i = 0; i < N; i++)
            if (round % 2 || i == 0)
                places += jint(stock_seen(&it, stocks[i]), "bookedQuantity");
        size_t count_after = json_array_size(my_bookings(c));
        if (ok != 1 || dup != N - 1 || places != 1 || balance(c) != bal - 300 ||
            count_after != count + 1) {
            print_error("round %d: %d booked, %d refused as duplicates, %lld places taken, "
                        "%zu new bookings\n",
                        round, ok, dup, (long long)places, count_after - count);
            fail();
        }
    }
}

/* One booking cancelled at once by its beneficiary (3 connections) and its pro (3): refunded
 * once, its place given back once. */
static void test_concurrency_cancel(void **state)
{
    (void)state;
    enum { N = 6, ROUNDS = 3 };
    struct client *c = pool[31];
    struct client *conns[N];
    for (int i = 0; i < N; i++)
        conns[i] = client_clone(i % 2 ? c : alice);
    for (int round = 0; round < ROUNDS; round++) {
        struct item it = offer_a((struct spec){.sub = "VISITE", .duo = true, .price = 400,
                                               .places = 5, .start = t0() + 9 * DAY});
        int64_t bal = balance(c);
        int64_t id = jint(booked(c, it.stock, 2), "id");
        struct call calls[N];
        for (int i = 0; i < N; i++)
            calls[i] = (struct call){conns[i], "POST",
                                     strf(i % 2 ? "/api/v1/bookings/%lld/cancel"
                                                : "/api/v1/pro/bookings/%lld/cancel",
                                          (long long)id),
                                     NULL, {0}};
        http_parallel(calls, N);
        int ok = 0, gone = 0;
        for (int i = 0; i < N; i++) {
            if (calls[i].r.status == 200)
                ok++;
            else if (calls[i].r.status == 410)
                gone++;
            else
                print_error("round %d, request %d: %ld %.300s\n", round, i, calls[i].r.status,
                            calls[i].r.body);
        }
        json_t *s = stock_seen(&it, it.stock);
        if (ok != 1 || gone != N - 1 || balance(c) != bal || jint(s, "bookedQuantity") != 0) {
            print_error("round %d: %d cancelled, %d gone, balance %lld (expected %lld), "
                        "%lld places still taken\n",
                        round, ok, gone, (long long)balance(c), (long long)bal,
                        (long long)jint(s, "bookedQuantity"));
            fail();
        }
    }
}

/* ------------------------------------------------------------------ load (measured) */

enum { LOAD_THREADS = 8, LOAD_OFFERS = 5 };

struct load_worker {
    int index;
    const int64_t *stocks;
    double lat[POOL / LOAD_THREADS * LOAD_OFFERS + LOAD_OFFERS];
    long status[POOL / LOAD_THREADS * LOAD_OFFERS + LOAD_OFFERS];
    const char *token[POOL / LOAD_THREADS * LOAD_OFFERS + LOAD_OFFERS];
    size_t n;
};

static void *load_main(void *arg)
{
    struct load_worker *w = arg;
    for (int b = w->index; b < POOL; b += LOAD_THREADS) {
        for (int o = 0; o < LOAD_OFFERS; o++) {
            struct timespec a, z;
            clock_gettime(CLOCK_MONOTONIC, &a);
            struct resp r = http_request(pool[b], "POST", "/api/v1/bookings",
                                         strf("{\"stockId\":%lld,\"quantity\":1}",
                                              (long long)w->stocks[o]));
            clock_gettime(CLOCK_MONOTONIC, &z);
            w->lat[w->n] = ms_between(&a, &z);
            w->status[w->n] = r.status;
            w->token[w->n] = jstr(r.json, "token");
            w->n++;
        }
    }
    return NULL;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* ------------------------------------------------------------------ several servers */

/*
 * Two servers on one database (the SQLite file, or PostgreSQL), clients spread over both, as
 * behind a load balancer: the test clock set through one is the other's (each booking is dated
 * on it), places and credit stay exact under a rush, and the jobs run on both at once leave
 * each booking used once.
 */
static void test_two_servers_one_database(void **state)
{
    (void)state;
    enum { N = 24, PLACES = 8, PRICE = 700 };
    struct server second;
    assert_int_equal(server_start_on(&second, true, &g_server), 0);
    struct item it = offer_a((struct spec){.sub = "VISITE", .price = PRICE, .places = PLACES,
                                           .start = t0() + DAY});
    int64_t bal[N];
    struct call calls[N];
    const char *body = strf("{\"stockId\":%lld,\"quantity\":1}", (long long)it.stock);
    for (int i = 0; i < N; i++) {
        bal[i] = balance(pool[i]);
        calls[i] = (struct call){i % 2 ? client_on(pool[i], &second) : pool[i], "POST",
                                 "/api/v1/bookings", body, {0}};
    }
    http_parallel(calls, N);
    int ok = 0, full = 0, on_second = 0;
    for (int i = 0; i < N; i++) {
        if (calls[i].r.status == 201) {
            ok++;
            on_second += i % 2;
            /* Made on the test clock, whichever server took it. */
            assert_true(llabs(epoch(jstr(calls[i].r.json, "dateCreated")) - t0()) < HOUR);
        } else if (calls[i].r.status == 409) {
            full++;
        } else {
            print_error("request %d: %ld %.300s\n", i, calls[i].r.status, calls[i].r.body);
        }
    }
    fprintf(stderr, "two servers: %d booked (%d through the second), %d sold out\n", ok,
            on_second, full);
    assert_int_equal(ok, PLACES);
    assert_int_equal(full, N - PLACES);
    assert_int_equal(booked_of(&it), PLACES);
    for (int i = 0; i < N; i++)
        assert_int_equal(balance(client_on(pool[i], &second)),
                         bal[i] - (calls[i].r.status == 201 ? PRICE : 0));

    /* 48 h after the event, the automatic validation runs on both servers at once. */
    set_clock(iso(t0() + 3 * DAY + HOUR));
    struct call jobs[6];
    for (int c = 0; c < 6; c++)
        jobs[c] = (struct call){c % 2 ? client_new_for(&second) : client_new(), "POST",
                                "/api/test/jobs/run", NULL, {0}};
    http_parallel(jobs, 6);
    for (int c = 0; c < 6; c++)
        assert_status(jobs[c].r, 200);
    for (int i = 0; i < N; i++)
        if (calls[i].r.status == 201)
            assert_jstr(my_booking(pool[i], jint(calls[i].r.json, "id")), "status", "USED");
    assert_int_equal(booked_of(&it), PLACES);
    assert_int_equal(server_stop(&second), 0);
    server_cleanup(&second);
}

static void test_load_bookings_per_second(void **state)
{
    (void)state;
    struct item items[LOAD_OFFERS];
    int64_t stocks[LOAD_OFFERS];
    for (int o = 0; o < LOAD_OFFERS; o++) {
        items[o] = offer_a((struct spec){.sub = "VISITE", .price = 100, .places = 1000,
                                         .start = t0() + (20 + o) * DAY});
        stocks[o] = items[o].stock;
    }
    static struct load_worker workers[LOAD_THREADS];
    pthread_t threads[LOAD_THREADS];
    struct timespec a, z;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (int t = 0; t < LOAD_THREADS; t++) {
        workers[t] = (struct load_worker){.index = t, .stocks = stocks};
        assert_int_equal(pthread_create(&threads[t], NULL, load_main, &workers[t]), 0);
    }
    for (int t = 0; t < LOAD_THREADS; t++)
        pthread_join(threads[t], NULL);
    clock_gettime(CLOCK_MONOTONIC, &z);
    double wall = ms_between(&a, &z);

    double lat[POOL * LOAD_OFFERS];
    const char *tokens[POOL * LOAD_OFFERS];
    size_t n = 0, ok = 0, distinct = 0;
    for (int t = 0; t < LOAD_THREADS; t++)
        for (size_t i = 0; i < workers[t].n; i++) {
            lat[n++] = workers[t].lat[i];
            if (workers[t].status[i] == 201 && in_alphabet(workers[t].token[i]))
                tokens[ok++] = workers[t].token[i];
            else
                print_error("load: booking answered %ld\n", workers[t].status[i]);
        }
    for (size_t i = 0; i < ok; i++) {
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = strcmp(tokens[i], tokens[j]) == 0;
        distinct += !seen;
    }
    qsort(lat, n, sizeof lat[0], cmp_double);
    size_t p99 = (n * 99 + 99) / 100 - 1, p50 = (n + 1) / 2 - 1;
    fprintf(stderr,
            "load: %zu bookings (%d beneficiaries x %d offers, %d parallel clients) in %.0f ms: "
            "%.0f bookings/s, latency p50 %.1f ms, p99 %.1f ms, max %.1f ms\n",
            n, POOL, LOAD_OFFERS, LOAD_THREADS, wall, (double)ok * 1000.0 / wall, lat[p50],
            lat[p99], lat[n - 1]);
    assert_int_equal(n, POOL * LOAD_OFFERS);
    assert_int_equal(ok, n);
    assert_int_equal(distinct, ok); /* every countermark unique */
    for (int o = 0; o < LOAD_OFFERS; o++)
        assert_int_equal(booked_of(&items[o]), POOL);
}

/* ------------------------------------------------------------------ main */

#define T(f) cmocka_unit_test_setup(f, reset_clock)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_beneficiary_creation_by_age),
        T(test_beneficiary_creation_refusals),
        T(test_wallet_top_up_at_18),
        T(test_booking_after_18th_birthday_uses_new_credit),
        T(test_underage_turning_17_can_book_paid_offers),
        T(test_credit_expires_at_21),
        T(test_booking_created),
        T(test_cancellation_limit_dates),
        T(test_booking_refusals),
        T(test_credit_and_digital_cap),
        T(test_underage_books_free_offers_only),
        T(test_underage_books_free_digital_offer),
        T(test_17_year_old_and_online_paid_offers),
        T(test_only_beneficiaries_book),
        T(test_bookings_used_at_once),
        T(test_duo),
        T(test_beneficiary_cancellation),
        T(test_never_cancellable_when_booked_less_than_48h_before),
        T(test_pro_cancellation),
        T(test_stock_delete_cancels_its_bookings),
        T(test_offer_reject_cancels_its_bookings),
        T(test_event_moved_recomputes_limits),
        T(test_search),
        T(test_concurrency_last_places),
        T(test_concurrency_credit),
        T(test_concurrency_same_offer),
        T(test_concurrency_cancel),
        T(test_two_servers_one_database),
        T(test_load_bookings_per_second),
    };
    return cmocka_run_group_tests_name("http_bookings", tests, setup, harness_group_teardown);
}
