/*
 * Offers, price categories, stocks, recurrence, activation codes, publication and moderation:
 * SPEC §4 and RULES.md §2, through the real server.
 *
 * The test clock is set to NOW before any account exists (sessions last 7 days on that clock);
 * a test that moves it puts it back to NOW before it ends, and never moves it 7 days ahead.
 *
 *   alice  pro of structure A (validated by the back office), venue va
 *   bob    pro of structure B (validated), venue vb: "another structure"
 *   nina   pro of structure N, left NEW: her offers go to review (PENDING)
 *   admin  back office
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http/harness.h"

#define NOW "2027-01-04T08:00:00Z" /* a Monday, in winter (UTC+1 in Paris) */

static struct client *alice, *bob, *nina, *admin;
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

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
    time_t t = (time_t)(z * 86400);
    struct tm tm;
    gmtime_r(&t, &tm);
    *y = tm.tm_year + 1900;
    *m = tm.tm_mon + 1;
    *d = tm.tm_mday;
}

/* ISO weekday (1 = Monday ... 7 = Sunday), Sakamoto's method. */
static int iso_weekday(int y, int m, int d)
{
    static const int t[] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
    if (m < 3)
        y -= 1;
    int dow = (y + y / 4 - y / 100 + y / 400 + t[m - 1] + d) % 7; /* 0 = Sunday */
    return dow == 0 ? 7 : dow;
}

static int last_sunday(int y, int m)
{
    int d = 31; /* only used for March and October */
    while (iso_weekday(y, m, d) != 7)
        d--;
    return d;
}

/* UTC instant of local Paris time @h:@mi on y-m-d; valid for local times outside 01:00-03:59. */
static int64_t paris_utc(int y, int m, int d, int h, int mi)
{
    bool summer = (m > 3 && m < 10) || (m == 3 && d >= last_sunday(y, 3)) ||
                  (m == 10 && d < last_sunday(y, 10));
    return days_from_civil(y, m, d) * 86400 + (int64_t)(h - (summer ? 2 : 1)) * 3600 + mi * 60;
}

static const char *iso_of(int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    char buf[32];
    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return strf("%s", buf);
}

static int64_t now_epoch(void)
{
    return days_from_civil(2027, 1, 4) * 86400 + 8 * 3600;
}

/*
 * Stocks a recurrence should create: every day of [@from, @to] whose weekday is in @weekdays
 * (a bit mask, bit 1 = Monday ... bit 7 = Sunday), at each of the @nt local times @times
 * (minutes after midnight), once per tariff, counting only the starts after @now.
 */
static int64_t expected_slots(const char *from, const char *to, unsigned weekdays,
                              const int *times, size_t nt, int tariffs, int64_t now)
{
    int y, m, d, y2, m2, d2;
    assert_int_equal(sscanf(from, "%d-%d-%d", &y, &m, &d), 3);
    assert_int_equal(sscanf(to, "%d-%d-%d", &y2, &m2, &d2), 3);
    int64_t n = 0;
    for (int64_t day = days_from_civil(y, m, d); day <= days_from_civil(y2, m2, d2); day++) {
        int cy, cm, cd;
        civil_from_days(day, &cy, &cm, &cd);
        if (!(weekdays & (1u << iso_weekday(cy, cm, cd))))
            continue;
        for (size_t t = 0; t < nt; t++)
            if (paris_utc(cy, cm, cd, times[t] / 60, times[t] % 60) > now)
                n += tariffs;
    }
    return n;
}

static double ms_since(const struct timespec *start)
{
    struct timespec end;
    clock_gettime(CLOCK_MONOTONIC, &end);
    return (double)(end.tv_sec - start->tv_sec) * 1000.0 +
           (double)(end.tv_nsec - start->tv_nsec) / 1e6;
}

/* ------------------------------------------------------------------ setup */

/* @c registers a new structure; the admin validates it when @validate. Returns its venue. */
static int64_t structure_for(struct client *c, bool validate)
{
    struct resp r = http_json(c, "POST", "/api/v1/offerers",
                              json_pack("{s:s, s:s}", "siret", new_siret(), "name", "Musée"));
    assert_status(r, 201);
    int64_t offerer = jint(r.json, "offerer.id"), venue = jint(r.json, "venue.id");
    assert_true(offerer > 0 && venue > 0);
    if (validate) {
        r = http_request(admin, "POST",
                         strf("/api/v1/admin/offerers/%lld/validate", (long long)offerer), NULL);
        assert_status(r, 200);
        assert_jstr(r.json, "status", "VALIDATED");
    }
    return venue;
}

static int setup(void **state)
{
    if (harness_group_setup(state) != 0)
        return -1;
    set_clock(NOW); /* before any session is opened */
    alice = pro_new("alice");
    bob = pro_new("bob");
    nina = pro_new("nina");
    admin = admin_new("admin");
    va = structure_for(alice, true);
    vb = structure_for(bob, true);
    vn = structure_for(nina, false);
    return 0;
}

/* ------------------------------------------------------------------ helpers */

/* A creation body that passes validation for an offline subcategory. */
static json_t *offer_body(int64_t venue, const char *subcategory)
{
    return json_pack("{s:I, s:s, s:s, s:b, s:b, s:b, s:b}", "venueId", (json_int_t)venue, "name",
                     "Visite des collections permanentes", "subcategoryId", subcategory,
                     "audioDisabilityCompliant", 1, "mentalDisabilityCompliant", 0,
                     "motorDisabilityCompliant", 1, "visualDisabilityCompliant", 0);
}

static struct resp post_offer(struct client *c, json_t *body)
{
    return http_json(c, "POST", "/api/v1/offers", body);
}

/* A new DRAFT offer of @c in @venue (asserts 201); @url NULL for offline subcategories. */
static int64_t new_offer(struct client *c, int64_t venue, const char *subcategory,
                         const char *url)
{
    json_t *body = offer_body(venue, subcategory);
    if (url != NULL)
        json_object_set_new(body, "url", json_string(url));
    struct resp r = post_offer(c, body);
    assert_status(r, 201);
    assert_jstr(r.json, "status", "DRAFT");
    assert_jstr(r.json, "subcategoryId", subcategory);
    int64_t id = jint(r.json, "id");
    assert_true(id > 0);
    return id;
}

static const char *offer_path(int64_t offer, const char *suffix)
{
    return strf("/api/v1/offers/%lld%s", (long long)offer, suffix);
}

static json_t *get_offer(struct client *c, int64_t offer)
{
    struct resp r = http_request(c, "GET", offer_path(offer, ""), NULL);
    assert_status(r, 200);
    return r.json;
}

static json_t *stocks_of(struct client *c, int64_t offer)
{
    json_t *stocks = jget(get_offer(c, offer), "stocks");
    assert_true(json_is_array(stocks));
    return stocks;
}

static int64_t stock_count(struct client *c, int64_t offer)
{
    json_t *o = get_offer(c, offer);
    size_t listed = json_array_size(jget(o, "stocks"));
    assert_int_equal(jint(o, "stockCount"), listed);
    return (int64_t)listed;
}

static struct resp post_pc(struct client *c, int64_t offer, const char *label, int64_t cents)
{
    json_t *body = json_pack("{s:I}", "priceCents", (json_int_t)cents);
    if (label != NULL)
        json_object_set_new(body, "label", json_string(label));
    return http_json(c, "POST", offer_path(offer, "/price-categories"), body);
}

static int64_t new_pc(struct client *c, int64_t offer, const char *label, int64_t cents)
{
    struct resp r = post_pc(c, offer, label, cents);
    assert_status(r, 201);
    assert_true(jint(r.json, "id") > 0);
    return jint(r.json, "id");
}

static struct resp post_stock(struct client *c, int64_t offer, json_t *body)
{
    return http_json(c, "POST", offer_path(offer, "/stocks"), body);
}

static json_t *event_stock_body(int64_t pc, const char *start)
{
    return json_pack("{s:I, s:s}", "priceCategoryId", (json_int_t)pc, "beginningDatetime", start);
}

static int64_t new_event_stock(struct client *c, int64_t offer, int64_t pc, const char *start)
{
    struct resp r = post_stock(c, offer, event_stock_body(pc, start));
    assert_status(r, 201);
    return jint(r.json, "id");
}

static int64_t new_thing_stock(struct client *c, int64_t offer, int64_t cents)
{
    struct resp r = post_stock(c, offer, json_pack("{s:I}", "priceCents", (json_int_t)cents));
    assert_status(r, 201);
    return jint(r.json, "id");
}

static const char *stock_path(int64_t stock)
{
    return strf("/api/v1/stocks/%lld", (long long)stock);
}

/* An event offer of @c with one tariff and one stock tomorrow: ready to publish. */
static int64_t ready_event_offer(struct client *c, int64_t venue, int64_t *pc_out)
{
    int64_t offer = new_offer(c, venue, "VISITE", NULL);
    int64_t pc = new_pc(c, offer, NULL, 1200);
    new_event_stock(c, offer, pc, "2027-01-05T09:00:00Z");
    if (pc_out != NULL)
        *pc_out = pc;
    return offer;
}

static size_t offer_count(struct client *c, int64_t venue)
{
    struct resp r =
        http_request(c, "GET", strf("/api/v1/offers?venueId=%lld", (long long)venue), NULL);
    assert_status(r, 200);
    assert_true(json_is_array(jget(r.json, "offers")));
    return json_array_size(jget(r.json, "offers"));
}

/* The message list of @field contains one message with @needle. */
static bool message_has(const struct resp *r, const char *field, const char *needle)
{
    json_t *list = json_object_get(jget(r->json, "errors"), field);
    size_t i;
    json_t *m;
    json_array_foreach(list, i, m)
    {
        if (json_is_string(m) && strstr(json_string_value(m), needle) != NULL)
            return true;
    }
    return false;
}

/* A JSON array of @n local times "HH:MM", from @first_min every @step minutes. */
static json_t *times_json(int first_min, int step, int n, int *mins)
{
    json_t *a = json_array();
    for (int i = 0; i < n; i++) {
        int t = first_min + i * step;
        mins[i] = t;
        json_array_append_new(a, json_string(strf("%02d:%02d", t / 60, t % 60)));
    }
    return a;
}

static json_t *weekdays_json(unsigned mask)
{
    json_t *a = json_array();
    for (int d = 1; d <= 7; d++)
        if (mask & (1u << d))
            json_array_append_new(a, json_integer(d));
    return a;
}

#define TUE_TO_SUN (0xFEu & ~(1u << 1)) /* bits 2..7 */
#define EVERY_DAY 0xFEu                 /* bits 1..7 */

static json_t *recurrence_body(json_t *pcs, const char *from, const char *to, unsigned weekdays,
                               json_t *times)
{
    return json_pack("{s:o, s:s, s:s, s:o, s:o, s:n}", "priceCategoryIds", pcs, "startDate", from,
                     "endDate", to, "weekdays", weekdays_json(weekdays), "times", times,
                     "quantity");
}

static struct resp post_recurrence(struct client *c, int64_t offer, json_t *body)
{
    return http_json(c, "POST", offer_path(offer, "/stocks/recurrence"), body);
}

/*
 * @n clients on @who's session, each on a new connection: the server serves one connection on
 * one worker thread, so only separate connections make requests really simultaneous.
 */
static struct client **sessions_of(struct client *who, size_t n)
{
    static struct client *list[8];
    assert_true(n <= 8);
    for (size_t i = 0; i < n; i++)
        list[i] = client_clone(who);
    return list;
}

/* ------------------------------------------------------------------ categories */

static void test_categories(void **state)
{
    (void)state;
    struct resp r = http_request(client_new(), "GET", "/api/v1/categories", NULL);
    assert_error(r, 401, "global");

    r = http_request(alice, "GET", "/api/v1/categories", NULL);
    assert_status(r, 200);
    json_t *cats = jget(r.json, "categories"), *subs = jget(r.json, "subcategories");
    assert_true(json_is_array(cats) && json_is_array(subs));
    assert_int_equal(json_array_size(cats), 15);
    size_t i;
    json_t *c;
    json_array_foreach(cats, i, c)
    {
        assert_non_null(jstr(c, "id"));
        assert_non_null(jstr(c, "proLabel"));
        assert_true(json_is_boolean(jget(c, "isSelectable")));
    }
    assert_true(json_array_size(subs) >= 60);

    static const char *const bool_keys[] = {"isEvent", "canBeDuo", "canExpire",
                                            "canBeEducational", "isSelectable"};
    json_t *by_id = json_object();
    json_array_foreach(subs, i, c)
    {
        const char *id = jstr(c, "id");
        assert_non_null(id);
        assert_non_null(jstr(c, "proLabel"));
        const char *cat = jstr(c, "categoryId");
        assert_non_null(cat);
        bool known = false;
        size_t k;
        json_t *cc;
        json_array_foreach(cats, k, cc) known = known || strcmp(jstr(cc, "id"), cat) == 0;
        if (!known) {
            print_error("subcategory %s: unknown categoryId %s\n", id, cat);
            fail();
        }
        for (size_t b = 0; b < sizeof bool_keys / sizeof bool_keys[0]; b++) {
            if (!json_is_boolean(jget(c, bool_keys[b]))) {
                print_error("subcategory %s: %s is not a boolean\n", id, bool_keys[b]);
                fail();
            }
        }
        const char *platform = jstr(c, "onlineOfflinePlatform");
        assert_non_null(platform);
        assert_true(strcmp(platform, "ONLINE") == 0 || strcmp(platform, "OFFLINE") == 0 ||
                    strcmp(platform, "ONLINE_OR_OFFLINE") == 0);
        const char *rule = jstr(c, "reimbursementRule");
        assert_non_null(rule);
        assert_true(strcmp(rule, "STANDARD") == 0 || strcmp(rule, "BOOK") == 0 ||
                    strcmp(rule, "NOT_REIMBURSED") == 0);
        assert_null(json_object_get(by_id, id)); /* ids are unique */
        json_object_set(by_id, id, c);
    }
    json_t *g = json_object_get(by_id, "VISITE_GUIDEE");
    assert_non_null(g);
    assert_jstr(g, "categoryId", "MUSEE");
    assert_true(json_is_true(jget(g, "isEvent")));
    assert_jstr(g, "onlineOfflinePlatform", "OFFLINE");
    json_t *v = json_object_get(by_id, "VISITE_VIRTUELLE");
    assert_non_null(v);
    assert_true(json_is_false(jget(v, "isEvent")));
    assert_jstr(v, "onlineOfflinePlatform", "ONLINE");
    assert_jstr(v, "reimbursementRule", "NOT_REIMBURSED");
    json_t *d = json_object_get(by_id, "DECOUVERTE_METIERS");
    assert_non_null(d);
    assert_true(json_is_false(jget(d, "isSelectable")));
    json_t *m = json_object_get(by_id, "CARTE_MUSEE");
    assert_non_null(m);
    assert_true(json_is_false(jget(m, "isEvent")));
    assert_true(json_is_true(jget(m, "isSelectable")));
    json_decref(by_id);
}

/* ------------------------------------------------------------------ offer creation */

static void test_offer_created_as_draft(void **state)
{
    (void)state;
    json_t *body = offer_body(va, "VISITE_GUIDEE");
    json_object_set_new(body, "description", json_string("Une heure avec un médiateur."));
    json_object_set_new(body, "isDuo", json_true());
    struct resp r = post_offer(alice, body);
    assert_status(r, 201);
    int64_t id = jint(r.json, "id");
    assert_true(id > 0);
    assert_jstr(r.json, "status", "DRAFT");
    assert_jstr(r.json, "name", "Visite des collections permanentes");
    assert_jstr(r.json, "description", "Une heure avec un médiateur.");
    assert_int_equal(jint(r.json, "venueId"), va);
    assert_true(json_is_true(jget(r.json, "isDuo")));
    assert_true(json_is_true(jget(r.json, "audioDisabilityCompliant")));
    assert_true(json_is_false(jget(r.json, "mentalDisabilityCompliant")));

    json_t *o = get_offer(alice, id);
    assert_jstr(o, "status", "DRAFT");
    assert_int_equal(json_array_size(jget(o, "stocks")), 0);
    assert_int_equal(json_array_size(jget(o, "priceCategories")), 0);
    /* Nobody else sees it. */
    assert_error(http_request(bob, "GET", offer_path(id, ""), NULL), 404, "global");
    assert_error(http_request(nina, "GET", offer_path(id, ""), NULL), 404, "global");

    /* Online subcategory with a URL. */
    new_offer(alice, va, "VISITE_VIRTUELLE", "https://musee.example.fr/visite-360");
}

static void test_offer_name_counts_characters(void **state)
{
    (void)state;
    char ninety[90 * 2 + 1] = "", ninety_one[91 * 2 + 1] = "";
    for (int i = 0; i < 90; i++)
        memcpy(ninety + 2 * i, "é", 2);
    ninety[180] = '\0';
    memcpy(ninety_one, ninety, 180);
    memcpy(ninety_one + 180, "é", 2);
    ninety_one[182] = '\0';

    json_t *body = offer_body(va, "VISITE");
    json_object_set_new(body, "name", json_string(ninety));
    struct resp r = post_offer(alice, body);
    assert_status(r, 201);
    assert_jstr(r.json, "name", ninety);

    size_t before = offer_count(alice, va);
    body = offer_body(va, "VISITE");
    json_object_set_new(body, "name", json_string(ninety_one));
    r = post_offer(alice, body);
    assert_error(r, 422, "name");
    assert_true(message_has(&r, "name", "90 caractères"));
    assert_int_equal(offer_count(alice, va), before);
}

struct offer_case {
    const char *what;
    const char *subcategory; /* the body's subcategory */
    const char *url;         /* added to the body when not NULL */
    const char *key;         /* field changed, NULL for none */
    json_t *value;           /* its new value, NULL to remove it */
    const char *field;       /* the field the error must name */
    const char *needle;      /* a piece of the French message, or NULL */
};

static void test_offer_creation_refusals(void **state)
{
    (void)state;
    const char *visio = "https://musee.example.fr/visio";
    struct offer_case cases[] = {
        {"unknown subcategory", "PAS_UNE_SOUS_CATEGORIE", NULL, NULL, NULL, "subcategoryId",
         "sous-catégorie"},
        {"subcategory not selectable", "DECOUVERTE_METIERS", NULL, NULL, NULL, "subcategoryId",
         NULL},
        {"technical subcategory", "ACTIVATION_THING", NULL, NULL, NULL, "subcategoryId", NULL},
        {"no subcategory", "VISITE", NULL, "subcategoryId", NULL, "subcategoryId", NULL},
        {"no name", "VISITE", NULL, "name", NULL, "name", "titre"},
        {"blank name", "VISITE", NULL, "name", json_string("   "), "name", NULL},
        {"13 digits in the name", "VISITE", NULL, "name",
         json_string("Catalogue 9782070360024 de l'expo"), "name", "13 chiffres"},
        {"gift card", "CARTE_MUSEE", NULL, "name", json_string("Carte cadeau du musée"), "name",
         "cartes cadeaux"},
        {"gift card, accents", "CARTE_MUSEE", NULL, "name", json_string("Chèque-Cadeau 20 €"),
         "name", NULL},
        {"online without url", "VISITE_VIRTUELLE", NULL, NULL, NULL, "url", "URL"},
        {"offline with url", "VISITE", "https://musee.example.fr", NULL, NULL, "url", NULL},
        {"ftp url", "VISITE_VIRTUELLE", "ftp://x", NULL, NULL, "url", NULL},
        {"javascript url", "VISITE_VIRTUELLE", "javascript:alert(1)", NULL, NULL, "url", NULL},
        {"url without host", "VISITE_VIRTUELLE", "https://", NULL, NULL, "url", NULL},
        {"duo where not allowed", "VISITE_VIRTUELLE", visio, "isDuo", json_true(), "isDuo",
         "Duo"},
        {"no audio answer", "VISITE", NULL, "audioDisabilityCompliant", NULL,
         "audioDisabilityCompliant", "handicap"},
        {"no mental answer", "VISITE", NULL, "mentalDisabilityCompliant", NULL,
         "mentalDisabilityCompliant", "handicap"},
        {"no motor answer", "VISITE", NULL, "motorDisabilityCompliant", NULL,
         "motorDisabilityCompliant", "handicap"},
        {"no visual answer", "VISITE", NULL, "visualDisabilityCompliant", NULL,
         "visualDisabilityCompliant", "handicap"},
        {"null accessibility answer", "VISITE", NULL, "visualDisabilityCompliant", json_null(),
         "visualDisabilityCompliant", NULL},
        {"name is a number", "VISITE", NULL, "name", json_integer(12), "name", NULL},
        {"isDuo is a string", "VISITE", NULL, "isDuo", json_string("oui"), "isDuo", NULL},
        {"accessibility as a string", "VISITE", NULL, "audioDisabilityCompliant",
         json_string("true"), "audioDisabilityCompliant", NULL},
        {"venueId as a string", "VISITE", NULL, "venueId", json_string(strf("%lld", (long long)va)),
         "venueId", NULL},
        {"no venueId", "VISITE", NULL, "venueId", NULL, "venueId", NULL},
        {"bad booking email", "VISITE", NULL, "bookingEmail", json_string("pas-un-email"),
         "bookingEmail", NULL},
    };
    size_t before = offer_count(alice, va);
    bool ok = true;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *body = offer_body(va, cases[i].subcategory);
        if (cases[i].url != NULL)
            json_object_set_new(body, "url", json_string(cases[i].url));
        if (cases[i].key != NULL && cases[i].value == NULL)
            json_object_del(body, cases[i].key);
        else if (cases[i].key != NULL)
            json_object_set_new(body, cases[i].key, cases[i].value);
        struct resp r = post_offer(alice, body);
        if (r.status != 422 || !error_body_ok(&r, cases[i].field)) {
            print_error("%s: expected 422 on \"%s\", got %ld %.300s\n", cases[i].what,
                        cases[i].field, r.status, r.body);
            ok = false;
        } else if (cases[i].needle != NULL && !message_has(&r, cases[i].field, cases[i].needle)) {
            print_error("%s: the message for \"%s\" should mention \"%s\": %.300s\n",
                        cases[i].what, cases[i].field, cases[i].needle, r.body);
            ok = false;
        }
    }
    assert_int_equal(offer_count(alice, va), before); /* nothing written */
    if (!ok)
        fail();
    /* Not JSON at all. */
    assert_error(http_raw(alice, "POST", "/api/v1/offers", "application/json", "{\"name\":", 8,
                          NULL),
                 400, "global");
    assert_int_equal(offer_count(alice, va), before);
    /* The same body, fixed, is accepted: the refusals above were about their one field. */
    json_t *body = offer_body(va, "VISITE_VIRTUELLE");
    json_object_set_new(body, "url", json_string(visio));
    assert_status(post_offer(alice, body), 201);
    assert_int_equal(offer_count(alice, va), before + 1);
}

static void test_offer_in_foreign_venue_is_404(void **state)
{
    (void)state;
    size_t mine = offer_count(alice, va), theirs = offer_count(bob, vb);
    assert_error(post_offer(alice, offer_body(vb, "VISITE")), 404, "global");
    assert_error(post_offer(alice, offer_body(999999, "VISITE")), 404, "global");
    /* A pro whose structure is still NEW can create offers in her own venue only. */
    assert_error(post_offer(nina, offer_body(va, "VISITE")), 404, "global");
    assert_int_equal(offer_count(alice, va), mine);
    assert_int_equal(offer_count(bob, vb), theirs);
    assert_error(post_offer(admin, offer_body(va, "VISITE")), 403, "global");
}

/*
 * A draft may change subcategory, but not into a kind its stocks contradict (RULES §2: events
 * have dated stocks, things have none and only one).
 */
static void test_draft_subcategory_change_keeps_stocks_consistent(void **state)
{
    (void)state;
    int64_t event = new_offer(alice, va, "VISITE", NULL);
    int64_t pc = new_pc(alice, event, NULL, 500);
    new_event_stock(alice, event, pc, "2027-01-12T10:00:00Z");
    new_event_stock(alice, event, pc, "2027-01-13T10:00:00Z");
    struct resp r = http_json(alice, "PATCH", offer_path(event, ""),
                              json_pack("{s:s}", "subcategoryId", "CARTE_MUSEE"));
    assert_error(r, 422, "subcategoryId");
    assert_jstr(get_offer(alice, event), "subcategoryId", "VISITE");

    int64_t thing = new_offer(alice, va, "CARTE_MUSEE", NULL);
    new_thing_stock(alice, thing, 2000);
    r = http_json(alice, "PATCH", offer_path(thing, ""),
                  json_pack("{s:s}", "subcategoryId", "VISITE_GUIDEE"));
    assert_error(r, 422, "subcategoryId");
    assert_jstr(get_offer(alice, thing), "subcategoryId", "CARTE_MUSEE");

    /* Without stocks, or between two events, the change is fine. */
    r = http_json(alice, "PATCH", offer_path(event, ""),
                  json_pack("{s:s}", "subcategoryId", "VISITE_GUIDEE"));
    assert_status(r, 200);
    assert_jstr(r.json, "subcategoryId", "VISITE_GUIDEE");
    int64_t bare = new_offer(alice, va, "VISITE", NULL);
    r = http_json(alice, "PATCH", offer_path(bare, ""),
                  json_pack("{s:s}", "subcategoryId", "CARTE_MUSEE"));
    assert_status(r, 200);
}

/* A draft moved from an online to an offline subcategory must be able to drop its URL. */
static void test_offer_patch_can_clear_url(void **state)
{
    (void)state;
    int64_t offer = new_offer(alice, va, "VISITE_VIRTUELLE", "https://musee.example.fr/360");
    struct resp r = http_json(alice, "PATCH", offer_path(offer, ""),
                              json_pack("{s:s, s:s}", "subcategoryId", "VISITE", "url", ""));
    assert_status(r, 200);
    assert_jstr(r.json, "subcategoryId", "VISITE");
    assert_null(jstr(r.json, "url"));
    /* And the other way round, with a URL. */
    r = http_json(alice, "PATCH", offer_path(offer, ""),
                  json_pack("{s:s, s:s}", "subcategoryId", "VISITE_VIRTUELLE", "url",
                            "https://musee.example.fr/360"));
    assert_status(r, 200);
    assert_jstr(r.json, "url", "https://musee.example.fr/360");
}

/* ------------------------------------------------------------------ price categories */

static void test_price_categories(void **state)
{
    (void)state;
    int64_t offer = new_offer(alice, va, "VISITE", NULL);
    struct resp r = post_pc(alice, offer, NULL, 1500);
    assert_status(r, 201);
    assert_jstr(r.json, "label", "Tarif unique");
    assert_int_equal(jint(r.json, "priceCents"), 1500);

    r = post_pc(alice, offer, "Plus de 18 ans", 30001);
    assert_error(r, 422, "priceCents");
    assert_true(message_has(&r, "priceCents", "300 euros"));
    assert_error(post_pc(alice, offer, "Plus de 18 ans", -1), 422, "priceCents");
    assert_error(http_json(alice, "POST", offer_path(offer, "/price-categories"),
                           json_pack("{s:s, s:s}", "label", "Plus de 18 ans", "priceCents", "15")),
                 422, "priceCents");
    assert_error(http_json(alice, "POST", offer_path(offer, "/price-categories"),
                           json_pack("{s:s}", "label", "Plus de 18 ans")),
                 422, "priceCents");

    r = post_pc(alice, offer, "Plus de 18 ans", 30000); /* 300 € exactly */
    assert_status(r, 201);
    assert_jstr(r.json, "label", "Plus de 18 ans");
    new_pc(alice, offer, "Moins de 18 ans", 0); /* free is fine */
    assert_error(post_pc(alice, offer, "Plus de 18 ans", 1000), 409, "label");
    assert_error(post_pc(alice, offer, NULL, 1000), 409, "label"); /* "Tarif unique" again */

    json_t *pcs = jget(get_offer(alice, offer), "priceCategories");
    assert_int_equal(json_array_size(pcs), 3);

    /* Up to 50, not one more. */
    for (int i = 4; i <= 50; i++)
        new_pc(alice, offer, strf("Tarif %d", i), 100 * i);
    r = post_pc(alice, offer, "Tarif 51", 5100);
    assert_status(r, 422);
    assert_true(error_body_ok(&r, "global") || error_body_ok(&r, "label"));
    assert_int_equal(json_array_size(jget(get_offer(alice, offer), "priceCategories")), 50);

    /* Another structure's offer. */
    assert_error(post_pc(bob, offer, "Pirate", 100), 404, "global");
}

static void test_price_category_limit_under_concurrency(void **state)
{
    (void)state;
    for (int round = 0; round < 5; round++) {
        int64_t offer = new_offer(alice, va, "VISITE", NULL);
        for (int i = 1; i <= 49; i++)
            new_pc(alice, offer, strf("Tarif %d", i), i);
        struct client **c = sessions_of(alice, 4);
        const char *path = offer_path(offer, "/price-categories");
        struct call calls[4];
        for (size_t i = 0; i < 4; i++)
            calls[i] = (struct call){
                c[i], "POST", path, strf("{\"label\":\"Concurrent %zu\",\"priceCents\":100}", i),
                {0}};
        http_parallel(calls, 4);
        int created = 0;
        for (size_t i = 0; i < 4; i++) {
            if (calls[i].r.status == 201)
                created++;
            else
                assert_status(calls[i].r, 422);
        }
        size_t n = json_array_size(jget(get_offer(alice, offer), "priceCategories"));
        if (created != 1 || n != 50) {
            print_error("round %d: 4 simultaneous tariffs on an offer with 49: %d created, %zu "
                        "tariffs (expected 1 and 50)\n",
                        round, created, n);
            fail();
        }
    }
}

/* ------------------------------------------------------------------ stocks */

static void test_event_stock(void **state)
{
    (void)state;
    int64_t offer = new_offer(alice, va, "VISITE_GUIDEE", NULL);
    int64_t pc = new_pc(alice, offer, "Plein tarif", 1200);
    struct resp r = post_stock(alice, offer,
                               json_pack("{s:I, s:s, s:n}", "priceCategoryId", (json_int_t)pc,
                                         "beginningDatetime", "2027-01-10T14:00:00Z", "quantity"));
    assert_status(r, 201);
    int64_t id = jint(r.json, "id");
    assert_true(id > 0);
    assert_int_equal(jint(r.json, "offerId"), offer);
    assert_int_equal(jint(r.json, "priceCategoryId"), pc);
    assert_jstr(r.json, "priceCategoryLabel", "Plein tarif");
    assert_int_equal(jint(r.json, "priceCents"), 1200);
    assert_true(json_is_null(jget(r.json, "quantity"))); /* unlimited */
    assert_jstr(r.json, "beginningDatetime", "2027-01-10T14:00:00Z");
    assert_jstr(r.json, "bookingLimitDatetime", "2027-01-10T14:00:00Z"); /* defaults to start */
    assert_int_equal(jint(r.json, "bookedQuantity"), 0);

    /* With a quantity and an earlier booking limit. */
    r = post_stock(alice, offer,
                   json_pack("{s:I, s:s, s:i, s:s}", "priceCategoryId", (json_int_t)pc,
                             "beginningDatetime", "2027-01-11T14:00:00Z", "quantity", 25,
                             "bookingLimitDatetime", "2027-01-10T18:00:00Z"));
    assert_status(r, 201);
    assert_int_equal(jint(r.json, "quantity"), 25);
    assert_jstr(r.json, "bookingLimitDatetime", "2027-01-10T18:00:00Z");

    json_t *stocks = stocks_of(alice, offer);
    assert_int_equal(json_array_size(stocks), 2);
    json_t *listed = jfind_id(stocks, "", "id", id);
    assert_non_null(listed);
    assert_jstr(listed, "beginningDatetime", "2027-01-10T14:00:00Z");
    assert_true(json_is_null(jget(listed, "quantity")));

    /* The same date and tariff twice: a duplicate slot. */
    assert_error(post_stock(alice, offer, event_stock_body(pc, "2027-01-10T14:00:00Z")), 409,
                 "beginningDatetime");
    /* The same date with another tariff is another stock. */
    int64_t pc2 = new_pc(alice, offer, "Tarif réduit", 600);
    new_event_stock(alice, offer, pc2, "2027-01-10T14:00:00Z");
    assert_int_equal(stock_count(alice, offer), 3);
}

static void test_event_stock_refusals(void **state)
{
    (void)state;
    int64_t offer = new_offer(alice, va, "VISITE", NULL);
    int64_t pc = new_pc(alice, offer, NULL, 800);
    int64_t other = new_offer(alice, va, "VISITE", NULL);
    int64_t other_pc = new_pc(alice, other, NULL, 900);
    static const struct {
        const char *what;
        const char *body; /* %lld: the tariff, %lld: the other offer's tariff (if used) */
        const char *field;
    } cases[] = {
        {"no date", "{\"priceCategoryId\":%lld}", "beginningDatetime"},
        {"in the past", "{\"priceCategoryId\":%lld,\"beginningDatetime\":\"2027-01-03T10:00:00Z\"}",
         "beginningDatetime"},
        {"booking limit after the start",
         "{\"priceCategoryId\":%lld,\"beginningDatetime\":\"2027-01-10T10:00:00Z\","
         "\"bookingLimitDatetime\":\"2027-01-10T10:00:01Z\"}",
         "bookingLimitDatetime"},
        {"not a date", "{\"priceCategoryId\":%lld,\"beginningDatetime\":\"10/01/2027 10:00\"}",
         "beginningDatetime"},
        {"local time without Z",
         "{\"priceCategoryId\":%lld,\"beginningDatetime\":\"2027-01-10T10:00:00\"}",
         "beginningDatetime"},
        {"no tariff", "{\"beginningDatetime\":\"2027-01-10T10:00:00Z\"}", "priceCategoryId"},
        {"tariff of another offer",
         "{\"priceCategoryId\":%lld,\"beginningDatetime\":\"2027-01-10T10:00:00Z\"}",
         "priceCategoryId"},
        {"unknown tariff",
         "{\"priceCategoryId\":999999,\"beginningDatetime\":\"2027-01-10T10:00:00Z\"}",
         "priceCategoryId"},
    };
    bool ok = true;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bool foreign = strcmp(cases[i].what, "tariff of another offer") == 0;
        const char *body = strf(cases[i].body, (long long)(foreign ? other_pc : pc));
        struct resp r = http_request(alice, "POST", offer_path(offer, "/stocks"), body);
        if (r.status != 422 || !error_body_ok(&r, cases[i].field)) {
            print_error("%s: expected 422 on \"%s\", got %ld %.300s\n", cases[i].what,
                        cases[i].field, r.status, r.body);
            ok = false;
        }
    }
    assert_int_equal(stock_count(alice, offer), 0);
    if (!ok)
        fail();
}

static void test_thing_stock(void **state)
{
    (void)state;
    int64_t offer = new_offer(alice, va, "CARTE_MUSEE", NULL);
    struct resp r = post_stock(alice, offer, json_pack("{s:I}", "priceCents", (json_int_t)30001));
    assert_error(r, 422, "priceCents");
    assert_true(message_has(&r, "priceCents", "300 euros"));
    assert_error(post_stock(alice, offer, json_pack("{s:I, s:s}", "priceCents", (json_int_t)2000,
                                                     "beginningDatetime", "2027-01-10T10:00:00Z")),
                 422, "beginningDatetime");
    assert_error(post_stock(alice, offer, json_pack("{s:i}", "quantity", 10)), 422, "priceCents");
    assert_int_equal(stock_count(alice, offer), 0);

    r = post_stock(alice, offer,
                   json_pack("{s:I, s:i}", "priceCents", (json_int_t)2000, "quantity", 100));
    assert_status(r, 201);
    int64_t id = jint(r.json, "id");
    assert_int_equal(jint(r.json, "priceCents"), 2000);
    assert_int_equal(jint(r.json, "quantity"), 100);
    assert_true(json_is_null(jget(r.json, "beginningDatetime")));
    assert_true(json_is_null(jget(r.json, "priceCategoryId")));

    /* One stock per thing. */
    assert_error(post_stock(alice, offer, json_pack("{s:I}", "priceCents", (json_int_t)1000)),
                 409, "global");
    assert_int_equal(stock_count(alice, offer), 1);

    /* Deleted, it may be replaced. */
    assert_status(http_request(alice, "DELETE", stock_path(id), NULL), 204);
    new_thing_stock(alice, offer, 1500);
    assert_int_equal(stock_count(alice, offer), 1);
}

static void test_stock_quantity_bounds(void **state)
{
    (void)state;
    int64_t offer = new_offer(alice, va, "VISITE", NULL);
    int64_t pc = new_pc(alice, offer, NULL, 500);
    json_t *bad[] = {json_integer(-1), json_integer(1000001), json_string("two"), json_real(2.5),
                     json_true()};
    bool ok = true;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *shown = json_dumps(bad[i], JSON_ENCODE_ANY);
        json_t *body = event_stock_body(pc, "2027-01-12T10:00:00Z");
        json_object_set_new(body, "quantity", bad[i]);
        struct resp r = post_stock(alice, offer, body);
        if (r.status != 422 || !error_body_ok(&r, "quantity")) {
            print_error("quantity %s: expected 422 on \"quantity\", got %ld %.300s\n", shown,
                        r.status, r.body);
            ok = false;
        }
        free(shown);
    }
    assert_int_equal(stock_count(alice, offer), 0);
    if (!ok)
        fail();
    /* The bounds themselves are accepted. */
    json_t *body = event_stock_body(pc, "2027-01-12T10:00:00Z");
    json_object_set_new(body, "quantity", json_integer(1000000));
    struct resp r = post_stock(alice, offer, body);
    assert_status(r, 201);
    assert_int_equal(jint(r.json, "quantity"), 1000000);
    body = event_stock_body(pc, "2027-01-13T10:00:00Z");
    json_object_set_new(body, "quantity", json_integer(0));
    r = post_stock(alice, offer, body);
    assert_status(r, 201);
    assert_true(json_is_integer(jget(r.json, "quantity")));
    assert_int_equal(jint(r.json, "quantity"), 0);
}

static void test_stock_patch_and_delete(void **state)
{
    (void)state;
    int64_t offer = new_offer(alice, va, "VISITE", NULL);
    int64_t pc = new_pc(alice, offer, NULL, 500);
    int64_t keep = new_event_stock(alice, offer, pc, "2027-01-12T10:00:00Z");
    int64_t gone = new_event_stock(alice, offer, pc, "2027-01-13T10:00:00Z");

    struct resp r = http_json(alice, "PATCH", stock_path(keep), json_pack("{s:i}", "quantity", 40));
    assert_status(r, 200);
    assert_int_equal(jint(r.json, "quantity"), 40);
    assert_jstr(r.json, "beginningDatetime", "2027-01-12T10:00:00Z"); /* untouched */
    assert_int_equal(jint(jfind_id(stocks_of(alice, offer), "", "id", keep), "quantity"), 40);
    r = http_json(alice, "PATCH", stock_path(keep), json_pack("{s:n}", "quantity"));
    assert_status(r, 200);
    assert_true(json_is_null(jget(r.json, "quantity")));
    assert_error(http_json(alice, "PATCH", stock_path(keep), json_pack("{s:i}", "quantity", -1)),
                 422, "quantity");
    assert_error(http_json(alice, "PATCH", stock_path(keep),
                           json_pack("{s:s}", "bookingLimitDatetime", "2027-01-12T10:30:00Z")),
                 422, "bookingLimitDatetime");

    /* Another structure's stock: not found, and nothing changes. */
    assert_error(http_json(bob, "PATCH", stock_path(keep), json_pack("{s:i}", "quantity", 1)), 404,
                 "global");
    assert_error(http_request(bob, "DELETE", stock_path(keep), NULL), 404, "global");
    assert_error(post_stock(bob, offer, event_stock_body(pc, "2027-01-14T10:00:00Z")), 404,
                 "global");
    assert_true(json_is_null(jget(jfind_id(stocks_of(alice, offer), "", "id", keep), "quantity")));

    assert_status(http_request(alice, "DELETE", stock_path(gone), NULL), 204);
    json_t *stocks = stocks_of(alice, offer);
    assert_int_equal(json_array_size(stocks), 1);
    assert_null(jfind_id(stocks, "", "id", gone));
    assert_non_null(jfind_id(stocks, "", "id", keep));
    assert_error(http_request(alice, "DELETE", stock_path(gone), NULL), 404, "global");
    assert_error(http_json(alice, "PATCH", stock_path(gone), json_pack("{s:i}", "quantity", 1)),
                 404, "global");
    /* The slot is free again. */
    new_event_stock(alice, offer, pc, "2027-01-13T10:00:00Z");

    /* Moving a date: its booking limit (the start) follows; onto a taken slot: conflict. */
    r = http_json(alice, "PATCH", stock_path(keep),
                  json_pack("{s:s}", "beginningDatetime", "2027-01-15T10:00:00Z"));
    assert_status(r, 200);
    assert_jstr(r.json, "beginningDatetime", "2027-01-15T10:00:00Z");
    assert_jstr(r.json, "bookingLimitDatetime", "2027-01-15T10:00:00Z");
    assert_error(http_json(alice, "PATCH", stock_path(keep),
                           json_pack("{s:s}", "beginningDatetime", "2027-01-13T10:00:00Z")),
                 409, "beginningDatetime");
    assert_error(http_json(alice, "PATCH", stock_path(keep),
                           json_pack("{s:s}", "beginningDatetime", "2027-01-03T10:00:00Z")),
                 422, "beginningDatetime");
    assert_jstr(jfind_id(stocks_of(alice, offer), "", "id", keep), "beginningDatetime",
                "2027-01-15T10:00:00Z");
}

static void test_event_stock_delete_window(void **state)
{
    (void)state;
    int64_t offer = new_offer(alice, va, "VISITE", NULL);
    int64_t pc = new_pc(alice, offer, NULL, 500);
    int64_t stock = new_event_stock(alice, offer, pc, "2027-01-05T09:00:00Z");

    set_clock("2027-01-07T09:30:00Z"); /* 48 h 30 min after the start */
    struct resp r = http_request(alice, "DELETE", stock_path(stock), NULL);
    set_clock("2027-01-07T08:00:00Z"); /* 47 h after: still possible */
    struct resp r2 = http_request(alice, "DELETE", stock_path(stock), NULL);
    set_clock(NOW);
    assert_status(r, 422);
    assert_true(error_body_ok(&r, "global"));
    assert_status(r2, 204);
    assert_int_equal(stock_count(alice, offer), 0);
}

/* ------------------------------------------------------------------ recurrence */

static void test_recurrence_january(void **state)
{
    (void)state;
    int64_t offer = new_offer(alice, va, "VISITE", NULL);
    int64_t pc = new_pc(alice, offer, "Entrée", 1000);
    int mins[1];
    json_t *body = recurrence_body(json_pack("[I]", (json_int_t)pc), "2027-01-01", "2027-01-31",
                                   TUE_TO_SUN, times_json(600, 0, 1, mins));
    json_t *again = json_deep_copy(body);
    int64_t expected =
        expected_slots("2027-01-01", "2027-01-31", TUE_TO_SUN, mins, 1, 1, now_epoch());
    /* The premise: January 2027 has 27 Tuesday-to-Sunday days, 3 of them before NOW. */
    assert_int_equal(expected_slots("2027-01-01", "2027-01-31", TUE_TO_SUN, mins, 1, 1, 0), 27);

    struct resp r = post_recurrence(alice, offer, body);
    assert_status(r, 201);
    assert_int_equal(jint(r.json, "created"), expected);

    json_t *stocks = stocks_of(alice, offer);
    assert_int_equal(json_array_size(stocks), expected);
    size_t i;
    json_t *s;
    json_array_foreach(stocks, i, s)
    {
        const char *start = jstr(s, "beginningDatetime");
        assert_non_null(start);
        int y, m, d;
        assert_int_equal(sscanf(start, "%d-%d-%d", &y, &m, &d), 3);
        if (strcmp(start + 10, "T09:00:00Z") != 0 || iso_weekday(y, m, d) == 1 || y != 2027 ||
            m != 1 || d < 5) {
            print_error("unexpected stock start %s\n", start);
            fail();
        }
        assert_jstr(s, "bookingLimitDatetime", start);
        assert_int_equal(jint(s, "priceCategoryId"), pc);
        assert_int_equal(jint(s, "priceCents"), 1000);
        assert_true(json_is_null(jget(s, "quantity")));
    }

    /* The same recurrence again: every slot exists already. */
    r = post_recurrence(alice, offer, again);
    assert_status(r, 201);
    assert_int_equal(jint(r.json, "created"), 0);
    assert_int_equal(stock_count(alice, offer), expected);
}

static void test_recurrence_follows_daylight_saving(void **state)
{
    (void)state;
    int64_t offer = new_offer(alice, va, "VISITE", NULL);
    int64_t pc = new_pc(alice, offer, NULL, 1000);
    int mins[1];
    struct resp r = post_recurrence(alice, offer,
                                    recurrence_body(json_pack("[I]", (json_int_t)pc), "2027-03-27",
                                                    "2027-03-29", EVERY_DAY,
                                                    times_json(600, 0, 1, mins)));
    assert_status(r, 201);
    assert_int_equal(jint(r.json, "created"), 3);
    r = post_recurrence(alice, offer,
                        recurrence_body(json_pack("[I]", (json_int_t)pc), "2027-10-30",
                                        "2027-10-31", EVERY_DAY, times_json(600, 0, 1, mins)));
    assert_status(r, 201);
    assert_int_equal(jint(r.json, "created"), 2);

    static const char *const starts[] = {"2027-03-27T09:00:00Z", "2027-03-28T08:00:00Z",
                                         "2027-03-29T08:00:00Z", "2027-10-30T08:00:00Z",
                                         "2027-10-31T09:00:00Z"};
    json_t *stocks = stocks_of(alice, offer);
    assert_int_equal(json_array_size(stocks), 5);
    for (size_t i = 0; i < 5; i++) {
        /* Our own calendar agrees (10:00 in Paris on each day). */
        int y, m, d;
        assert_int_equal(sscanf(starts[i], "%d-%d-%d", &y, &m, &d), 3);
        assert_string_equal(iso_of(paris_utc(y, m, d, 10, 0)), starts[i]);
        assert_jstr(json_array_get(stocks, i), "beginningDatetime", starts[i]);
    }
}

static void test_recurrence_three_tariffs_nine_slots_three_months(void **state)
{
    (void)state;
    int64_t offer = new_offer(alice, va, "VISITE", NULL);
    json_t *pcs = json_pack("[I, I, I]", (json_int_t)new_pc(alice, offer, "Plus de 18 ans", 1500),
                            (json_int_t)new_pc(alice, offer, "Moins de 18 ans", 800),
                            (json_int_t)new_pc(alice, offer, "Personne en situation de handicap",
                                               0));
    int mins[9]; /* 10:00, 10:30, ... 14:00 */
    json_t *body = recurrence_body(pcs, "2027-02-01", "2027-04-30", TUE_TO_SUN,
                                   times_json(600, 30, 9, mins));
    json_object_set_new(body, "quantity", json_integer(30));
    int64_t expected =
        expected_slots("2027-02-01", "2027-04-30", TUE_TO_SUN, mins, 9, 3, now_epoch());
    struct resp r = post_recurrence(alice, offer, body);
    assert_status(r, 201);
    assert_int_equal(jint(r.json, "created"), expected);
    json_t *stocks = stocks_of(alice, offer);
    assert_int_equal(json_array_size(stocks), expected);
    json_t *first = json_array_get(stocks, 0);
    assert_jstr(first, "beginningDatetime", "2027-02-02T09:00:00Z"); /* Feb 1 is a Monday */
    assert_int_equal(jint(first, "quantity"), 30);
    json_t *last = json_array_get(stocks, json_array_size(stocks) - 1);
    assert_jstr(last, "beginningDatetime", "2027-04-30T12:00:00Z"); /* 14:00, summer time */
}

static void test_recurrence_limit_of_2500_and_timing(void **state)
{
    (void)state;
    /* Exactly 2,500: 5 tariffs × 10 slots × 50 days. */
    int64_t offer = new_offer(alice, va, "VISITE", NULL);
    json_t *pcs = json_array();
    int64_t pc1 = 0;
    for (int i = 1; i <= 5; i++) {
        int64_t id = new_pc(alice, offer, strf("Tarif %d", i), 100 * i);
        pc1 = pc1 ? pc1 : id;
        json_array_append_new(pcs, json_integer(id));
    }
    int mins[41];
    json_t *body = recurrence_body(pcs, "2027-02-01", "2027-03-22", EVERY_DAY,
                                   times_json(600, 30, 10, mins));
    assert_int_equal(
        expected_slots("2027-02-01", "2027-03-22", EVERY_DAY, mins, 10, 5, now_epoch()), 2500);

    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    struct resp r = post_recurrence(alice, offer, body);
    double create_ms = ms_since(&t0);
    assert_status(r, 201);
    assert_int_equal(jint(r.json, "created"), 2500);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    json_t *o = get_offer(alice, offer);
    double read_ms = ms_since(&t0);
    fprintf(stderr, "note: 2500 stocks created by one recurrence request in %.0f ms "
                    "(GET of the offer with its 2500 stocks: %.0f ms)\n",
            create_ms, read_ms);
    assert_int_equal(json_array_size(jget(o, "stocks")), 2500);

    /* Full: no 2,501st stock, by either endpoint. */
    r = post_stock(alice, offer, event_stock_body(pc1, "2027-06-01T10:00:00Z"));
    assert_status(r, 422);
    assert_true(error_body_ok(&r, "global"));
    r = post_recurrence(alice, offer,
                        recurrence_body(json_pack("[I]", (json_int_t)pc1), "2027-06-01",
                                        "2027-06-01", EVERY_DAY, times_json(600, 0, 1, mins)));
    assert_status(r, 422);
    assert_int_equal(stock_count(alice, offer), 2500);

    /* 2,501 on an empty offer: refused as a whole, nothing written. */
    int64_t empty = new_offer(alice, va, "VISITE", NULL);
    int64_t pc = new_pc(alice, empty, NULL, 100);
    body = recurrence_body(json_pack("[I]", (json_int_t)pc), "2027-02-01", "2027-04-02",
                           EVERY_DAY, times_json(480, 15, 41, mins));
    assert_int_equal(
        expected_slots("2027-02-01", "2027-04-02", EVERY_DAY, mins, 41, 1, now_epoch()), 2501);
    r = post_recurrence(alice, empty, body);
    assert_status(r, 422);
    assert_true(error_body_ok(&r, "global"));
    assert_int_equal(stock_count(alice, empty), 0);

    /* 10 stocks, then 2,500 more: refused, the 10 stay. */
    r = post_recurrence(alice, empty,
                        recurrence_body(json_pack("[I]", (json_int_t)pc), "2027-01-10",
                                        "2027-01-10", EVERY_DAY, times_json(600, 30, 10, mins)));
    assert_status(r, 201);
    assert_int_equal(jint(r.json, "created"), 10);
    pcs = json_array();
    for (int i = 1; i <= 5; i++)
        json_array_append_new(pcs, json_integer(new_pc(alice, empty, strf("Tarif %d", i), i)));
    r = post_recurrence(alice, empty,
                        recurrence_body(pcs, "2027-02-01", "2027-03-22", EVERY_DAY,
                                        times_json(600, 30, 10, mins)));
    assert_status(r, 422);
    assert_int_equal(stock_count(alice, empty), 10);
}

/*
 * The 2,500 cap is about the stocks an offer would have: slots already there (a recurrence run
 * again) and slots already past (skipped) are not created, so they cannot break it.
 */
static void test_recurrence_rerun_at_the_limit_creates_nothing(void **state)
{
    (void)state;
    int64_t offer = new_offer(alice, va, "VISITE", NULL);
    int64_t pc = new_pc(alice, offer, NULL, 100);
    int mins[10];
    json_t *body = recurrence_body(json_pack("[I]", (json_int_t)pc), "2027-02-01", "2027-10-08",
                                   EVERY_DAY, times_json(600, 30, 10, mins));
    assert_int_equal(
        expected_slots("2027-02-01", "2027-10-08", EVERY_DAY, mins, 10, 1, now_epoch()), 2500);
    json_t *again = json_deep_copy(body);
    struct resp r = post_recurrence(alice, offer, body);
    assert_status(r, 201);
    assert_int_equal(jint(r.json, "created"), 2500);
    r = post_recurrence(alice, offer, again);
    assert_status(r, 201);
    assert_int_equal(jint(r.json, "created"), 0);
    assert_int_equal(stock_count(alice, offer), 2500);
}

static void test_recurrence_past_slots_do_not_count_towards_the_limit(void **state)
{
    (void)state;
    /* From 1 January (3 days already past at NOW) to 10 September: 2,500 future slots. */
    int64_t offer = new_offer(alice, va, "VISITE", NULL);
    int64_t pc = new_pc(alice, offer, NULL, 100);
    int mins[10];
    json_t *body = recurrence_body(json_pack("[I]", (json_int_t)pc), "2027-01-01", "2027-09-10",
                                   EVERY_DAY, times_json(600, 30, 10, mins));
    assert_int_equal(
        expected_slots("2027-01-01", "2027-09-10", EVERY_DAY, mins, 10, 1, now_epoch()), 2500);
    assert_int_equal(expected_slots("2027-01-01", "2027-09-10", EVERY_DAY, mins, 10, 1, 0), 2530);
    struct resp r = post_recurrence(alice, offer, body);
    assert_status(r, 201);
    assert_int_equal(jint(r.json, "created"), 2500);
    assert_int_equal(stock_count(alice, offer), 2500);
}

static void test_thing_keeps_one_stock_under_concurrency(void **state)
{
    (void)state;
    for (int round = 0; round < 5; round++) {
        struct client **c = sessions_of(alice, 4);
        int64_t offer = new_offer(alice, va, "CARTE_MUSEE", NULL);
        const char *path = offer_path(offer, "/stocks");
        struct call calls[4];
        for (size_t i = 0; i < 4; i++)
            calls[i] = (struct call){c[i], "POST", path, "{\"priceCents\":1000}", {0}};
        http_parallel(calls, 4);
        int created = 0;
        for (size_t i = 0; i < 4; i++) {
            if (calls[i].r.status == 201)
                created++;
            else
                assert_status(calls[i].r, 409);
        }
        int64_t n = stock_count(alice, offer);
        if (created != 1 || n != 1) {
            print_error("round %d: 4 simultaneous stocks on one thing offer: %d created, %lld "
                        "live stocks (expected 1 and 1)\n",
                        round, created, (long long)n);
            fail();
        }
    }
}

static void test_recurrence_limit_under_concurrency(void **state)
{
    (void)state;
    /* Three recurrences of 1,500 slots each on different days: any two exceed 2,500. */
    static const char *const ranges[3][2] = {
        {"2027-02-01", "2027-06-30"}, {"2027-07-01", "2027-11-27"}, {"2027-11-28", "2028-04-25"}};
    int mins[10];
    json_t *times = times_json(600, 30, 10, mins);
    for (size_t k = 0; k < 3; k++)
        assert_int_equal(expected_slots(ranges[k][0], ranges[k][1], EVERY_DAY, mins, 10, 1,
                                        now_epoch()),
                         1500);
    for (int round = 0; round < 4; round++) {
        struct client **c = sessions_of(alice, 3);
        int64_t offer = new_offer(alice, va, "VISITE", NULL);
        int64_t pc = new_pc(alice, offer, NULL, 100);
        const char *path = offer_path(offer, "/stocks/recurrence");
        struct call calls[3];
        for (size_t k = 0; k < 3; k++) {
            json_t *body = recurrence_body(json_pack("[I]", (json_int_t)pc), ranges[k][0],
                                           ranges[k][1], EVERY_DAY, json_deep_copy(times));
            char *text = json_dumps(body, JSON_COMPACT);
            calls[k] = (struct call){c[k], "POST", path, strf("%s", text), {0}};
            free(text);
            json_decref(body);
        }
        http_parallel(calls, 3);
        int created = 0;
        for (size_t k = 0; k < 3; k++) {
            if (calls[k].r.status == 201)
                created++;
            else
                assert_status(calls[k].r, 422);
        }
        int64_t n = stock_count(alice, offer);
        if (created != 1 || n != 1500) {
            print_error("round %d: three simultaneous recurrences of 1,500: %d accepted, %lld "
                        "live stocks (expected 1 and 1500, never more than 2,500)\n",
                        round, created, (long long)n);
            json_decref(times);
            fail();
        }
    }
    json_decref(times);
}

static void test_recurrence_refusals(void **state)
{
    (void)state;
    int64_t offer = new_offer(alice, va, "VISITE", NULL);
    int64_t pc = new_pc(alice, offer, NULL, 500);
    int64_t other = new_offer(alice, va, "VISITE", NULL);
    int64_t other_pc = new_pc(alice, other, NULL, 500);
    static const struct {
        const char *what;
        const char *key;
        const char *value; /* JSON text; NULL removes the key */
        const char *field;
    } cases[] = {
        {"end before start", "endDate", "\"2027-01-31\"", "endDate"},
        {"empty weekdays", "weekdays", "[]", "weekdays"},
        {"weekday 8", "weekdays", "[2, 8]", "weekdays"},
        {"weekday 0", "weekdays", "[0]", "weekdays"},
        {"hour 25", "times", "[\"25:00\"]", "times"},
        {"minute 60", "times", "[\"10:60\"]", "times"},
        {"time without colon", "times", "[\"1000\"]", "times"},
        {"no times", "times", "[]", "times"},
        {"February 30 (start)", "startDate", "\"2027-02-30\"", "startDate"},
        {"February 30 (end)", "endDate", "\"2027-02-30\"", "endDate"},
        {"date with a time", "startDate", "\"2027-02-01T10:00:00Z\"", "startDate"},
        {"no start", "startDate", NULL, "startDate"},
        {"no tariffs", "priceCategoryIds", "[]", "priceCategoryIds"},
        {"tariff of another offer", "priceCategoryIds", "[OTHER]", "priceCategoryIds"},
        {"negative quantity", "quantity", "-1", "quantity"},
    };
    bool ok = true;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int mins[2];
        json_t *body = recurrence_body(json_pack("[I]", (json_int_t)pc), "2027-02-01",
                                       "2027-02-28", TUE_TO_SUN, times_json(600, 60, 2, mins));
        if (cases[i].value == NULL) {
            json_object_del(body, cases[i].key);
        } else {
            const char *text = strcmp(cases[i].value, "[OTHER]") == 0
                                   ? strf("[%lld]", (long long)other_pc)
                                   : cases[i].value;
            json_t *v = json_loads(text, JSON_DECODE_ANY, NULL);
            assert_non_null(v);
            json_object_set_new(body, cases[i].key, v);
        }
        struct resp r = post_recurrence(alice, offer, body);
        if (r.status != 422 || !error_body_ok(&r, cases[i].field)) {
            print_error("%s: expected 422 on \"%s\", got %ld %.300s\n", cases[i].what,
                        cases[i].field, r.status, r.body);
            ok = false;
        }
    }
    assert_int_equal(stock_count(alice, offer), 0);
    if (!ok)
        fail();

    /* Things have no dates. */
    int64_t thing = new_offer(alice, va, "CARTE_MUSEE", NULL);
    int mins[1];
    struct resp r = post_recurrence(alice, thing,
                                    recurrence_body(json_pack("[I]", (json_int_t)pc),
                                                    "2027-02-01", "2027-02-28", TUE_TO_SUN,
                                                    times_json(600, 0, 1, mins)));
    assert_status(r, 422);
    assert_int_equal(stock_count(alice, thing), 0);
    /* Another structure's offer. */
    r = post_recurrence(bob, offer,
                        recurrence_body(json_pack("[I]", (json_int_t)pc), "2027-02-01",
                                        "2027-02-28", TUE_TO_SUN, times_json(600, 0, 1, mins)));
    assert_error(r, 404, "global");
    assert_int_equal(stock_count(alice, offer), 0);
}

/* ------------------------------------------------------------------ activation codes */

static struct resp post_codes(struct client *c, int64_t offer, json_t *codes)
{
    return http_json(c, "POST", offer_path(offer, "/activation-codes"),
                     json_pack("{s:o}", "codes", codes));
}

static void test_activation_codes(void **state)
{
    (void)state;
    int64_t offer = new_offer(alice, va, "LIVRE_NUMERIQUE", "https://editeur.example.fr/livre");
    /* Before any stock. */
    struct resp r = post_codes(alice, offer, json_pack("[s]", "A0"));
    assert_status(r, 422);
    int64_t stock = new_thing_stock(alice, offer, 1000);

    r = post_codes(alice, offer, json_pack("[s, s, s]", "A1", "A2", "A2"));
    assert_status(r, 201);
    assert_int_equal(jint(r.json, "added"), 2);
    json_t *s = jfind_id(stocks_of(alice, offer), "", "id", stock);
    assert_non_null(s);
    assert_int_equal(jint(s, "quantity"), 2);
    assert_int_equal(jint(s, "activationCodesCount"), 2);

    r = post_codes(alice, offer, json_pack("[s, s]", "A2", "A3"));
    assert_status(r, 201);
    assert_int_equal(jint(r.json, "added"), 1);
    assert_int_equal(jint(jfind_id(stocks_of(alice, offer), "", "id", stock), "quantity"), 3);

    assert_error(post_codes(alice, offer, json_array()), 422, "codes");
    assert_error(post_codes(alice, offer, json_pack("[s]", "a b")), 422, "codes");
    assert_error(post_codes(alice, offer, json_pack("[i]", 12)), 422, "codes");
    assert_error(post_codes(bob, offer, json_pack("[s]", "B1")), 404, "global");
    assert_int_equal(jint(jfind_id(stocks_of(alice, offer), "", "id", stock), "quantity"), 3);

    /* Not for an event, nor for a physical good. */
    int64_t event = ready_event_offer(alice, va, NULL);
    assert_status(post_codes(alice, event, json_pack("[s]", "E1")), 422);
    int64_t card = new_offer(alice, va, "CARTE_MUSEE", NULL);
    new_thing_stock(alice, card, 2000);
    assert_status(post_codes(alice, card, json_pack("[s]", "C1")), 422);
    int64_t live = new_offer(alice, va, "LIVESTREAM_MUSIQUE", "https://live.example.fr/concert");
    int64_t live_pc = new_pc(alice, live, NULL, 500);
    new_event_stock(alice, live, live_pc, "2027-01-20T19:00:00Z");
    assert_status(post_codes(alice, live, json_pack("[s]", "L1")), 422);
}

/* ------------------------------------------------------------------ publication */

static struct resp publish(struct client *c, int64_t offer)
{
    return http_request(c, "POST", offer_path(offer, "/publish"), NULL);
}

static struct resp moderate(struct client *c, int64_t offer, const char *decision)
{
    return http_request(c, "POST", strf("/api/v1/admin/offers/%lld/%s", (long long)offer, decision),
                        NULL);
}

/* @c's listing entry for @offer (GET /api/v1/offers[?query]), or NULL. */
static json_t *listed(struct client *c, const char *query, int64_t offer)
{
    struct resp r = http_request(c, "GET", strf("/api/v1/offers%s", query), NULL);
    assert_status(r, 200);
    assert_true(json_is_array(jget(r.json, "offers")));
    return jfind_id(r.json, "offers", "id", offer);
}

static void test_publish_needs_a_stock(void **state)
{
    (void)state;
    int64_t offer = new_offer(alice, va, "VISITE", NULL);
    new_pc(alice, offer, NULL, 500); /* a tariff is not a stock */
    assert_error(publish(alice, offer), 422, "global");
    assert_jstr(get_offer(alice, offer), "status", "DRAFT");
    int64_t thing = new_offer(alice, va, "CARTE_MUSEE", NULL);
    int64_t s = new_thing_stock(alice, thing, 2000);
    assert_status(http_request(alice, "DELETE", stock_path(s), NULL), 204);
    assert_error(publish(alice, thing), 422, "global"); /* a deleted stock does not count */
}

static void test_publish_on_validated_structure(void **state)
{
    (void)state;
    int64_t offer = ready_event_offer(alice, va, NULL);
    struct resp r = publish(alice, offer);
    assert_status(r, 200);
    assert_jstr(r.json, "status", "APPROVED");
    json_t *o = get_offer(alice, offer);
    assert_jstr(o, "status", "APPROVED");
    assert_jstr(o, "displayStatus", "ACTIVE");
    json_t *l = listed(alice, "", offer);
    assert_non_null(l);
    assert_jstr(l, "status", "APPROVED");
    assert_jstr(l, "displayStatus", "ACTIVE");
    assert_error(publish(alice, offer), 409, "global");
    assert_error(publish(bob, offer), 404, "global");
    /* An approved offer stays editable. */
    r = http_json(alice, "PATCH", offer_path(offer, ""),
                  json_pack("{s:s}", "description", "Nouvelle description"));
    assert_status(r, 200);
    assert_jstr(r.json, "description", "Nouvelle description");
    assert_jstr(r.json, "status", "APPROVED");
}

static void test_publish_on_new_structure_goes_to_review(void **state)
{
    (void)state;
    int64_t pc;
    int64_t offer = ready_event_offer(nina, vn, &pc);
    struct resp r = publish(nina, offer);
    assert_status(r, 200);
    assert_jstr(r.json, "status", "PENDING");
    assert_jstr(get_offer(nina, offer), "status", "PENDING");
    assert_error(publish(nina, offer), 409, "global");

    /* Not editable while in review, in any way. */
    assert_error(http_json(nina, "PATCH", offer_path(offer, ""),
                           json_pack("{s:s}", "name", "Nouveau titre")),
                 409, "global");
    assert_status(post_pc(nina, offer, "Autre", 100), 409);
    assert_status(post_stock(nina, offer, event_stock_body(pc, "2027-01-20T09:00:00Z")), 409);
    int64_t stock = json_integer_value(jget(json_array_get(stocks_of(nina, offer), 0), "id"));
    assert_status(http_json(nina, "PATCH", stock_path(stock), json_pack("{s:i}", "quantity", 3)),
                  409);
    assert_status(http_request(nina, "DELETE", stock_path(stock), NULL), 409);
    assert_jstr(get_offer(nina, offer), "name", "Visite des collections permanentes");

    /* Only the back office decides. */
    assert_error(moderate(nina, offer, "approve"), 403, "global");
    assert_error(moderate(alice, offer, "approve"), 403, "global");
    assert_error(moderate(client_new(), offer, "approve"), 401, "global");
    assert_jstr(get_offer(nina, offer), "status", "PENDING");
    r = moderate(admin, offer, "approve");
    assert_status(r, 200);
    assert_jstr(r.json, "status", "APPROVED");
    json_t *o = get_offer(nina, offer);
    assert_jstr(o, "status", "APPROVED");
    assert_jstr(o, "displayStatus", "ACTIVE");
    /* Approved: editable again. */
    assert_status(http_json(nina, "PATCH", offer_path(offer, ""),
                            json_pack("{s:s}", "name", "Nouveau titre")),
                  200);

    /* Another one, rejected. */
    int64_t second = ready_event_offer(nina, vn, NULL);
    assert_jstr(publish(nina, second).json, "status", "PENDING");
    r = moderate(admin, second, "reject");
    assert_status(r, 200);
    assert_jstr(r.json, "status", "REJECTED");
    assert_jstr(get_offer(nina, second), "status", "REJECTED");
    assert_error(http_json(nina, "PATCH", offer_path(second, ""),
                           json_pack("{s:s}", "name", "Nouveau titre")),
                 409, "global");

    /* A draft is not the back office's business; unknown offers are 404. */
    int64_t draft = new_offer(nina, vn, "VISITE", NULL);
    assert_status(moderate(admin, draft, "approve"), 409);
    assert_jstr(get_offer(nina, draft), "status", "DRAFT");
    assert_error(moderate(admin, 999999, "approve"), 404, "global");
    assert_error(moderate(admin, 999999, "reject"), 404, "global");
}

static void test_display_statuses(void **state)
{
    (void)state;
    int64_t offer = new_offer(alice, va, "VISITE", NULL);
    int64_t pc = new_pc(alice, offer, NULL, 700);
    int64_t s1 = new_event_stock(alice, offer, pc, "2027-01-05T09:00:00Z");
    int64_t s2 = new_event_stock(alice, offer, pc, "2027-01-06T09:00:00Z");
    assert_jstr(publish(alice, offer).json, "status", "APPROVED");
    assert_jstr(get_offer(alice, offer), "displayStatus", "ACTIVE");

    struct resp r = http_json(alice, "PATCH", offer_path(offer, ""),
                              json_pack("{s:b}", "isActive", 0));
    assert_status(r, 200);
    assert_jstr(r.json, "displayStatus", "INACTIVE");
    assert_jstr(r.json, "status", "APPROVED");
    assert_jstr(listed(alice, "?status=INACTIVE", offer), "displayStatus", "INACTIVE");
    assert_null(listed(alice, "?status=ACTIVE", offer));
    r = http_json(alice, "PATCH", offer_path(offer, ""), json_pack("{s:b}", "isActive", 1));
    assert_status(r, 200);
    assert_jstr(r.json, "displayStatus", "ACTIVE");

    /* No place left anywhere: sold out; one place back: active. */
    assert_status(http_json(alice, "PATCH", stock_path(s1), json_pack("{s:i}", "quantity", 0)),
                  200);
    assert_jstr(get_offer(alice, offer), "displayStatus", "ACTIVE");
    assert_status(http_json(alice, "PATCH", stock_path(s2), json_pack("{s:i}", "quantity", 0)),
                  200);
    assert_jstr(get_offer(alice, offer), "displayStatus", "SOLD_OUT");
    assert_jstr(listed(alice, "?status=SOLD_OUT", offer), "displayStatus", "SOLD_OUT");
    assert_status(http_json(alice, "PATCH", stock_path(s2), json_pack("{s:i}", "quantity", 1)),
                  200);
    assert_jstr(get_offer(alice, offer), "displayStatus", "ACTIVE");

    /* Every date passed: expired. */
    set_clock("2027-01-06T10:00:00Z");
    json_t *o = get_offer(alice, offer);
    json_t *in_list = json_deep_copy(listed(alice, "?status=EXPIRED", offer));
    set_clock(NOW);
    assert_jstr(o, "displayStatus", "EXPIRED");
    assert_non_null(in_list);
    assert_jstr(in_list, "displayStatus", "EXPIRED");
    json_decref(in_list);
    assert_jstr(get_offer(alice, offer), "displayStatus", "ACTIVE");
}

static void test_offer_list_filters(void **state)
{
    (void)state;
    int64_t active = ready_event_offer(alice, va, NULL);
    assert_jstr(publish(alice, active).json, "status", "APPROVED");
    int64_t draft = new_offer(alice, va, "VISITE", NULL);

    struct resp r = http_request(alice, "GET", "/api/v1/offers?status=ACTIVE", NULL);
    assert_status(r, 200);
    json_t *offers = jget(r.json, "offers");
    assert_true(json_array_size(offers) >= 1);
    size_t i;
    json_t *o;
    json_array_foreach(offers, i, o) assert_jstr(o, "displayStatus", "ACTIVE");
    assert_non_null(jfind_id(offers, "", "id", active));
    assert_null(jfind_id(offers, "", "id", draft));

    r = http_request(alice, "GET", "/api/v1/offers?status=DRAFT", NULL);
    assert_status(r, 200);
    json_array_foreach(jget(r.json, "offers"), i, o) assert_jstr(o, "status", "DRAFT");
    assert_non_null(jfind_id(r.json, "offers", "id", draft));
    assert_null(jfind_id(r.json, "offers", "id", active));

    r = http_request(alice, "GET", strf("/api/v1/offers?venueId=%lld", (long long)va), NULL);
    assert_status(r, 200);
    json_array_foreach(jget(r.json, "offers"), i, o) assert_int_equal(jint(o, "venueId"), va);
    assert_non_null(jfind_id(r.json, "offers", "id", active));
    /* Alice's offers are hers only. */
    assert_null(listed(bob, "", active));
    assert_null(listed(nina, "", draft));

    assert_error(http_request(alice, "GET", "/api/v1/offers?status=BOGUS", NULL), 422, "status");
    assert_error(http_request(alice, "GET", "/api/v1/offers?status=active", NULL), 422, "status");
    assert_error(http_request(alice, "GET", strf("/api/v1/offers?venueId=%lld", (long long)vb),
                              NULL),
                 404, "global");
    assert_error(http_request(alice, "GET", "/api/v1/offers?venueId=abc", NULL), 422, "venueId");
    assert_error(http_request(client_new(), "GET", "/api/v1/offers", NULL), 401, "global");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_categories),
        cmocka_unit_test(test_offer_created_as_draft),
        cmocka_unit_test(test_offer_name_counts_characters),
        cmocka_unit_test(test_offer_creation_refusals),
        cmocka_unit_test(test_offer_in_foreign_venue_is_404),
        cmocka_unit_test(test_draft_subcategory_change_keeps_stocks_consistent),
        cmocka_unit_test(test_offer_patch_can_clear_url),
        cmocka_unit_test(test_price_categories),
        cmocka_unit_test(test_price_category_limit_under_concurrency),
        cmocka_unit_test(test_event_stock),
        cmocka_unit_test(test_event_stock_refusals),
        cmocka_unit_test(test_thing_stock),
        cmocka_unit_test(test_stock_quantity_bounds),
        cmocka_unit_test(test_stock_patch_and_delete),
        cmocka_unit_test(test_event_stock_delete_window),
        cmocka_unit_test(test_recurrence_january),
        cmocka_unit_test(test_recurrence_follows_daylight_saving),
        cmocka_unit_test(test_recurrence_three_tariffs_nine_slots_three_months),
        cmocka_unit_test(test_recurrence_limit_of_2500_and_timing),
        cmocka_unit_test(test_recurrence_rerun_at_the_limit_creates_nothing),
        cmocka_unit_test(test_recurrence_past_slots_do_not_count_towards_the_limit),
        cmocka_unit_test(test_thing_keeps_one_stock_under_concurrency),
        cmocka_unit_test(test_recurrence_limit_under_concurrency),
        cmocka_unit_test(test_recurrence_refusals),
        cmocka_unit_test(test_activation_codes),
        cmocka_unit_test(test_publish_needs_a_stock),
        cmocka_unit_test(test_publish_on_validated_structure),
        cmocka_unit_test(test_publish_on_new_structure_goes_to_review),
        cmocka_unit_test(test_display_statuses),
        cmocka_unit_test(test_offer_list_filters),
    };
    return cmocka_run_group_tests_name("http_offers", tests, setup, harness_group_teardown);
}
