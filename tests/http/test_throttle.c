/*
 * Throttling that a third party cannot turn against a user, and that churning credentials
 * cannot get round (issue 14, defects 3, 4 and 6): docs/security.md "Throttling".
 *
 *   - unknown countermarks are counted per structure: its pro sessions and every key it ever
 *     had (revoked ones too) share one count of 30 per 10 minutes;
 *   - a structure still waiting for the back office cannot create partner API keys;
 *   - failed logins are counted per (account, client address) pair and slow that pair only:
 *     the owner's right password from another address is never refused;
 *   - X-Forwarded-For gives the client address only when the peer is a trusted proxy: this
 *     program's server runs with `--trusted-proxy 127.0.0.1`, a second one without it;
 *   - a negative price on PATCH /api/v1/stocks/{id} is 422 and changes nothing.
 *
 * Clock: each test sets its own instant (the test clock, SPEC §9) and moves it forward instead
 * of sleeping; the instants increase from one test to the next.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http/harness.h"

#define ATTACKER "203.0.113.66"
#define VICTIM   "198.51.100.20"
#define WRONG    "Mauvais!mot2passe"
#define MINUTE   60

static struct client *admin;
static int64_t clock_at;             /* the instant last given to the test clock */
static struct timespec clock_set_at; /* when it was given (the clock runs on from there) */

/* ------------------------------------------------------------------ helpers */

static int64_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
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

static void set_at(int64_t t)
{
    clock_at = t;
    set_clock(iso(t));
    clock_gettime(CLOCK_MONOTONIC, &clock_set_at);
}

/* The server's clock now, rounded up to the second. */
static int64_t server_now(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    int64_t ms = (now.tv_sec - clock_set_at.tv_sec) * 1000 +
                 (now.tv_nsec - clock_set_at.tv_nsec) / 1000000;
    return clock_at + (ms + 999) / 1000;
}

/* Moves the clock past a wait of @seconds that started at the latest now. */
static void wait_out(int64_t seconds)
{
    set_at(server_now() + seconds + 1);
}

/* POST /api/v1/auth/login through client @c, forwarded for @xff (NULL: no header). */
static struct resp login_from(struct client *c, const char *xff, const char *email,
                              const char *password)
{
    const char *headers[] = {xff ? strf("X-Forwarded-For: %s", xff) : NULL, NULL};
    const char *body = strf("{\"email\":\"%s\",\"password\":\"%s\"}", email, password);
    return http_raw(c, "POST", "/api/v1/auth/login", "application/json", body, strlen(body),
                    xff ? headers : NULL);
}

/* The Retry-After of a 429 (asserted: a whole number of seconds, 1 to 5 minutes). */
static int64_t retry_after(const struct resp *r)
{
    const char *v = resp_header(r, "Retry-After");
    if (v == NULL) {
        print_error("429 without Retry-After: %.200s\n", r->body);
        fail();
    }
    char *end;
    long s = strtol(v, &end, 10);
    assert_true(*end == '\0' && s >= 1 && s <= 5 * MINUTE);
    return s;
}

/* A refusal 429 with its wait: SPEC §2 body under "global", and Retry-After. */
static int64_t assert_slowed(struct resp r)
{
    assert_error(r, 429, "global");
    assert_null(resp_set_cookie(&r, "pp_session"));
    return retry_after(&r);
}

/* The @i-th of a series of well-formed countermarks nobody holds ("Y....Y"). */
static const char *unknown_token(int i)
{
    static const char a[] = "ABCDEFGHJKLMNPQRSTUVWXYZ234567";
    return strf("Y%c%c%c%cY", a[(i / 27000) % 30], a[(i / 900) % 30], a[(i / 30) % 30], a[i % 30]);
}

/* A look-up on the portal's Guichet. */
static struct resp pro_lookup(struct client *pro, const char *token)
{
    return http_request(pro, "GET", strf("/api/v1/pro/bookings/token/%s", token), NULL);
}

/* A look-up on the partner API with key @key. */
static struct resp key_lookup(const char *key, const char *token)
{
    const char *headers[] = {strf("Authorization: Bearer %s", key), NULL};
    return http_raw(client_new(), "GET", strf("/public/bookings/v1/token/%s", token), NULL, NULL,
                    0, headers);
}

struct key {
    int64_t id;
    const char *key;
};

static struct key new_key(struct client *pro, int64_t offerer)
{
    struct resp r =
        http_request(pro, "POST", strf("/api/v1/offerers/%lld/api-keys", (long long)offerer), NULL);
    assert_status(r, 201);
    struct key k = {jint(r.json, "id"), jstr(r.json, "key")};
    assert_non_null(k.key);
    return k;
}

static void revoke_key(struct client *pro, int64_t offerer, struct key k)
{
    assert_status(http_request(pro, "DELETE",
                               strf("/api/v1/offerers/%lld/api-keys/%lld", (long long)offerer,
                                    (long long)k.id),
                               NULL),
                  204);
}

/* ------------------------------------------------------------------ setup */

static int setup(void **state)
{
    static const char *const trusted[] = {"--trusted-proxy", "127.0.0.1,::1", NULL};
    if (harness_group_setup_args(state, trusted) != 0)
        return -1;
    set_at(days_from_civil(2031, 3, 3) * 86400 + 8 * 3600);
    admin = admin_new("admin");
    return 0;
}

/* ------------------------------------------------------------------ countermarks */

/*
 * Defect 3: creating and revoking keys in a loop gave a fresh count with each key. The count
 * is the structure's: 10 misses on the portal and 20 through 20 keys made and revoked one
 * after the other fill it; the 31st guess is refused through a new key and on the portal.
 */
static void test_key_churn_shares_the_structure_count(void **state)
{
    (void)state;
    set_at(clock_at + MINUTE);
    struct client *pro = pro_new("churn");
    int64_t offerer;
    structure_validated(pro, admin, new_siret(), "Musée", "75003", "Paris", &offerer);
    struct client *other = pro_new("voisin");
    int64_t other_offerer;
    structure_validated(other, admin, new_siret(), "Musée", "69001", "Lyon", &other_offerer);

    for (int i = 0; i < 10; i++)
        assert_error(pro_lookup(pro, unknown_token(i)), 404, "global");
    for (int i = 10; i < 30; i++) {
        struct key k = new_key(pro, offerer);
        struct resp r = key_lookup(k.key, unknown_token(i));
        if (r.status != 404) {
            print_error("miss #%d through a new key: expected 404, got %ld\n", i + 1, r.status);
            fail();
        }
        revoke_key(pro, offerer, k);
    }
    /* 30 misses for the structure: a new key, and the pro's session, are paused alike. */
    struct key fresh = new_key(pro, offerer);
    assert_int_equal(key_lookup(fresh.key, unknown_token(30)).status, 429);
    assert_error(pro_lookup(pro, unknown_token(31)), 429, "global");
    /* Another structure keeps its own count. */
    assert_int_equal(key_lookup(new_key(other, other_offerer).key, unknown_token(32)).status,
                     404);
    assert_error(pro_lookup(other, unknown_token(33)), 404, "global");
    /* The pause ends with the window. */
    set_at(clock_at + 11 * MINUTE);
    assert_int_equal(key_lookup(fresh.key, unknown_token(34)).status, 404);
}

/* A structure still waiting for the back office cannot create keys (403, in French). */
static void test_pending_structure_cannot_create_keys(void **state)
{
    (void)state;
    set_at(clock_at + MINUTE);
    struct client *pro = pro_new("attente");
    struct resp r = http_json(pro, "POST", "/api/v1/offerers",
                              json_pack("{s:s, s:s}", "siret", new_siret(), "name", "Musée"));
    assert_status(r, 201);
    assert_jstr(r.json, "offerer.status", "NEW");
    int64_t offerer = jint(r.json, "offerer.id");
    const char *keys = strf("/api/v1/offerers/%lld/api-keys", (long long)offerer);
    r = http_request(pro, "POST", keys, NULL);
    assert_error(r, 403, "global");
    assert_non_null(strstr(json_string_value(json_array_get(jget(r.json, "errors.global"), 0)),
                           "validation"));
    r = http_request(pro, "GET", keys, NULL);
    assert_status(r, 200);
    assert_int_equal(json_array_size(jget(r.json, "apiKeys")), 0);
    /* Once validated, it can. */
    assert_status(http_request(admin, "POST",
                               strf("/api/v1/admin/offerers/%lld/validate", (long long)offerer),
                               NULL),
                  200);
    assert_status(http_request(pro, "POST", keys, NULL), 201);
}

/* ------------------------------------------------------------------ logins */

/*
 * Defect 4: ten wrong passwords for a victim's address made her right password answer 429.
 * Now the attacker's (account, address) pair is slowed: 5 free failures, then a wait that
 * doubles from 15 s up to 5 minutes (429 + Retry-After), never a lock; the victim, from her
 * own address, logs in after 10 and after 50 failures of the attacker.
 */
static void test_attacker_slowed_victim_not(void **state)
{
    (void)state;
    set_at(clock_at + MINUTE);
    struct client *victim = pro_signup("victime");
    struct client *attacker = client_new();
    for (int i = 0; i < 5; i++)
        assert_error(login_from(attacker, ATTACKER, victim->email, WRONG), 401, "global");
    int64_t wait = assert_slowed(login_from(attacker, ATTACKER, victim->email, WRONG));
    assert_true(wait <= 15);
    /* Even the right password waits there: the wait tells nothing about it. */
    assert_slowed(login_from(attacker, ATTACKER, victim->email, TEST_PASSWORD));
    /* The same for an account that does not exist: the answers do not tell which exist. */
    const char *nobody = unique_email("personne");
    for (int i = 0; i < 5; i++)
        assert_error(login_from(attacker, ATTACKER, nobody, WRONG), 401, "global");
    assert_slowed(login_from(attacker, ATTACKER, nobody, WRONG));

    /* After the wait, one more try; then a longer wait. */
    wait_out(wait);
    assert_error(login_from(attacker, ATTACKER, victim->email, WRONG), 401, "global");
    int64_t longer = assert_slowed(login_from(attacker, ATTACKER, victim->email, WRONG));
    assert_true(longer > 15 && longer <= 30);

    int failures = 6, tries = 0;
    while (failures < 50) {
        struct resp r = login_from(attacker, ATTACKER, victim->email, WRONG);
        if (r.status != 401) {
            wait_out(assert_slowed(r)); /* at most 5 minutes: never locked */
        } else if (++failures == 10) {
            assert_status(login_from(client_new(), VICTIM, victim->email, TEST_PASSWORD), 200);
        }
        assert_true(++tries < 400);
    }
    assert_status(login_from(client_new(), VICTIM, victim->email, TEST_PASSWORD), 200);
    /* Without X-Forwarded-For the client is the proxy itself: another pair, not slowed. */
    assert_status(login_from(client_new(), NULL, victim->email, TEST_PASSWORD), 200);
    /* Slowed, not locked: after the wait even the attacker's address gets an answer. */
    struct resp r = login_from(attacker, ATTACKER, victim->email, TEST_PASSWORD);
    if (r.status == 429)
        wait_out(assert_slowed(r));
    assert_status(login_from(attacker, ATTACKER, victim->email, TEST_PASSWORD), 200);
}

/*
 * X-Forwarded-For names the client only when the peer is a trusted proxy, and only by its
 * right-most address that is not a trusted proxy: what a client writes at the left changes
 * nothing. A server without --trusted-proxy ignores the header.
 */
static void test_forwarded_for_needs_a_trusted_proxy(void **state)
{
    (void)state;
    set_at(clock_at + MINUTE);
    struct client *victim = pro_signup("entete");
    struct client *c = client_new();
    for (int i = 0; i < 5; i++)
        assert_status(login_from(c, ATTACKER, victim->email, WRONG), 401);
    assert_slowed(login_from(c, ATTACKER, victim->email, WRONG));
    /* Addresses written by the client at the left, or trusted hops at the right, change
     * nothing; the IPv4-mapped spelling is the same address. */
    assert_slowed(login_from(c, strf("192.0.2.1, %s", ATTACKER), victim->email, WRONG));
    assert_slowed(login_from(c, strf("%s, 127.0.0.1", ATTACKER), victim->email, WRONG));
    assert_slowed(login_from(c, strf("::ffff:%s", ATTACKER), victim->email, WRONG));
    assert_status(login_from(c, VICTIM, victim->email, TEST_PASSWORD), 200);

    /* A server without --trusted-proxy on the same database: the header is ignored, every
     * client is its peer 127.0.0.1. */
    struct server plain;
    int started = server_start_on(&plain, true, &g_server);
    assert_int_equal(started, 0);
    struct client *p = client_new_for(&plain);
    struct client *other = pro_signup("sans-mandataire");
    for (int i = 0; i < 5; i++)
        assert_status(login_from(p, strf("192.0.2.%d", 10 + i), other->email, WRONG), 401);
    struct resp r = login_from(client_new_for(&plain), VICTIM, other->email, TEST_PASSWORD);
    int stopped = server_stop(&plain);
    server_cleanup(&plain);
    assert_error(r, 429, "global");
    assert_int_equal(stopped, 0);
    /* Through the trusted proxy, the owner's address is its own. */
    assert_status(login_from(client_new(), VICTIM, other->email, TEST_PASSWORD), 200);
}

/* IPv6 addresses count by their /64 network (a subscriber holds a whole one): another
 * address of the same /64 waits too, one of another /64 does not. */
static void test_ipv6_counted_by_network(void **state)
{
    (void)state;
    set_at(clock_at + MINUTE);
    struct client *owner = pro_signup("reseau");
    struct client *c = client_new();
    for (int i = 0; i < 5; i++)
        assert_status(login_from(c, strf("2001:db8:1:2::%x", 16 + i), owner->email, WRONG), 401);
    assert_slowed(login_from(c, "2001:db8:1:2:ffff::99", owner->email, TEST_PASSWORD));
    assert_status(login_from(c, "2001:db8:1:3::10", owner->email, TEST_PASSWORD), 200);
}

/* ------------------------------------------------------------------ stock numbers */

static const char *stock_path(int64_t id)
{
    return strf("/api/v1/stocks/%lld", (long long)id);
}

static int64_t new_offer(struct client *pro, int64_t venue, const char *subcategory)
{
    struct resp r = http_json(
        pro, "POST", "/api/v1/offers",
        json_pack("{s:I, s:s, s:s, s:b, s:b, s:b, s:b}", "venueId", (json_int_t)venue, "name",
                  "Visite des collections", "subcategoryId", subcategory,
                  "audioDisabilityCompliant", 1, "mentalDisabilityCompliant", 0,
                  "motorDisabilityCompliant", 1, "visualDisabilityCompliant", 0));
    assert_status(r, 201);
    return jint(r.json, "id");
}

/* The stock @id as its offer @offer lists it. */
static json_t *stock_of(struct client *pro, int64_t offer, int64_t id)
{
    struct resp r = http_request(pro, "GET", strf("/api/v1/offers/%lld", (long long)offer), NULL);
    assert_status(r, 200);
    json_t *s = jfind_id(r.json, "stocks", "id", id);
    assert_non_null(s);
    return s;
}

/*
 * Defect 6: a negative price on PATCH /api/v1/stocks/{id} answered 200 and changed nothing.
 * Every number of a stock edit or creation out of RULES §2's bounds is 422 and changes
 * nothing; a price given for an event's date (which takes its price from its tariff) too.
 */
static void test_stock_numbers_out_of_bounds(void **state)
{
    (void)state;
    set_at(clock_at + MINUTE);
    struct client *pro = pro_new("prix");
    int64_t venue = structure_validated(pro, admin, new_siret(), "Musée", "75004", "Paris", NULL);

    int64_t thing = new_offer(pro, venue, "CARTE_MUSEE");
    struct resp r = http_json(pro, "POST", strf("/api/v1/offers/%lld/stocks", (long long)thing),
                              json_pack("{s:i, s:i}", "priceCents", 1000, "quantity", 10));
    assert_status(r, 201);
    int64_t ts = jint(r.json, "id");
    static const char *const bad[] = {
        "{\"priceCents\": -1}",     "{\"priceCents\": -500}",   "{\"priceCents\": 30001}",
        "{\"quantity\": -2}",       "{\"quantity\": 1000001}",  "{\"priceCents\": -1, \"quantity\": 5}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        r = http_request(pro, "PATCH", stock_path(ts), bad[i]);
        if (r.status != 422 || !error_body_ok(&r, strstr(bad[i], "price") ? "priceCents"
                                                                           : "quantity")) {
            print_error("PATCH %s: expected 422, got %ld %.200s\n", bad[i], r.status, r.body);
            fail();
        }
    }
    json_t *s = stock_of(pro, thing, ts);
    assert_int_equal(jint(s, "priceCents"), 1000);
    assert_int_equal(jint(s, "quantity"), 10);
    r = http_request(pro, "PATCH", stock_path(ts), "{\"priceCents\": 0}");
    assert_status(r, 200);
    assert_int_equal(jint(r.json, "priceCents"), 0);

    /* An event: its date's price is its tariff's, never a priceCents of its own. */
    int64_t event = new_offer(pro, venue, "VISITE");
    r = http_json(pro, "POST", strf("/api/v1/offers/%lld/price-categories", (long long)event),
                  json_pack("{s:i}", "priceCents", -1));
    assert_error(r, 422, "priceCents");
    r = http_json(pro, "POST", strf("/api/v1/offers/%lld/price-categories", (long long)event),
                  json_pack("{s:i}", "priceCents", 500));
    assert_status(r, 201);
    int64_t pc = jint(r.json, "id");
    const char *start = iso(clock_at + 10 * 86400);
    r = http_json(pro, "POST", strf("/api/v1/offers/%lld/stocks", (long long)event),
                  json_pack("{s:I, s:s, s:i}", "priceCategoryId", (json_int_t)pc,
                            "beginningDatetime", start, "priceCents", 100));
    assert_error(r, 422, "priceCents");
    r = http_json(pro, "POST", strf("/api/v1/offers/%lld/stocks", (long long)event),
                  json_pack("{s:I, s:s}", "priceCategoryId", (json_int_t)pc,
                            "beginningDatetime", start));
    assert_status(r, 201);
    int64_t es = jint(r.json, "id");
    assert_error(http_request(pro, "PATCH", stock_path(es), "{\"priceCents\": -1}"), 422,
                 "priceCents");
    assert_error(http_request(pro, "PATCH", stock_path(es), "{\"priceCents\": 800}"), 422,
                 "priceCents");
    assert_error(http_request(pro, "PATCH", stock_path(es), "{\"quantity\": -1}"), 422,
                 "quantity");
    assert_int_equal(jint(stock_of(pro, event, es), "priceCents"), 500);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key_churn_shares_the_structure_count),
        cmocka_unit_test(test_pending_structure_cannot_create_keys),
        cmocka_unit_test(test_attacker_slowed_victim_not),
        cmocka_unit_test(test_forwarded_for_needs_a_trusted_proxy),
        cmocka_unit_test(test_ipv6_counted_by_network),
        cmocka_unit_test(test_stock_numbers_out_of_bounds),
    };
    return cmocka_run_group_tests_name("http_throttle", tests, setup, harness_group_teardown);
}
