/*
 * The Guichet (counter) of the pro portal, the partner ticketing API with its API keys, the
 * throttling of unknown countermarks, and the automatic jobs on bookings: SPEC §2 (API keys),
 * §6, §9, RULES.md §3-4, reference/individual.md §1, §2.4-2.8 and §6, through the real server.
 *
 * Clock: it is set to NOW before any account exists; once everything is created, every client
 * logs in again at LATE (the latest clock any test uses), so that its session (7 days on the
 * test clock) is valid at every clock the tests set afterwards. Each test sets the clock it
 * needs first. The clock runs on from where it is set: booking times are read from the answers
 * (dateCreated, cancellationLimitDate), never assumed.
 *
 *   alice  pro of structure A (validated; venue va in Paris) and of R (venue vr in La Réunion)
 *   bob    pro of structure B (validated; venue vb): "another structure"
 *   carl   pro attached to A (validated by the back office)
 *   admin  back office; creates the beneficiaries
 *   ben    beneficiary (18, 150 €) for the portal tests; ben2 for the partner API; jen for jobs
 */
#include <ctype.h>
#include <curl/curl.h>
#include <pthread.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http/harness.h"

#define NOW  "2027-01-04T08:00:00Z" /* a Monday, in winter (UTC+1 in Paris) */
#define LATE "2027-10-29T07:00:00Z" /* sessions opened then last until 2027-11-05 */
#define BORN "2008-06-01"           /* 18 at NOW: 150 € */
#define HOUR 3600
#define DAY  (24 * HOUR)

#define MSG_NOT_FOUND "Cette contremarque n'a pas été trouvée."
#define MSG_CANCELLED "Cette réservation a été annulée."
#define PUB_NOT_FOUND "This countermark cannot be found"

static struct client *alice, *bob, *carl, *admin, *ben, *ben2, *jen, *anon;
static int64_t oa, ob, orr; /* structures A, B and R */
static int64_t va, vb, vr;

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

static const char *iso(int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    char buf[32];
    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return strf("%s", buf);
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

/* Day number of the last Sunday of month @m of year @y (1970-01-01, day 0, was a Thursday). */
static int64_t last_sunday(int y, int m)
{
    int64_t last = days_from_civil(y, m + 1, 1) - 1;
    int64_t dow = ((last % 7) + 7 + 4) % 7; /* 0 = Sunday */
    return last - dow;
}

/* Europe/Paris offset at instant @t: summer time from the last Sunday of March 01:00 UTC to the
 * last Sunday of October 01:00 UTC. */
static int paris_offset(int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    int y = tm.tm_year + 1900;
    int64_t start = last_sunday(y, 3) * DAY + HOUR, end = last_sunday(y, 10) * DAY + HOUR;
    return t >= start && t < end ? 2 * HOUR : HOUR;
}

/* "DD/MM/YYYY à HH:MM" of @t shifted by @offset seconds. */
static const char *fr_at(int64_t t, int offset)
{
    time_t tt = (time_t)(t + offset);
    struct tm tm;
    gmtime_r(&tt, &tm);
    return strf("%02d/%02d/%04d à %02d:%02d", tm.tm_mday, tm.tm_mon + 1, tm.tm_year + 1900,
                tm.tm_hour, tm.tm_min);
}

static const char *paris_fr(int64_t t)
{
    return fr_at(t, paris_offset(t));
}

static const char *used_msg(const char *when)
{
    return strf("Cette contremarque a déjà été validée le %s.", when);
}

static const char *early_msg(const char *when)
{
    return strf("Vous pourrez valider cette contremarque à partir du %s, une fois le délai "
                "d’annulation passé.",
                when);
}

static double ms_between(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) * 1000.0 + (double)(b->tv_nsec - a->tv_nsec) / 1e6;
}

/* ------------------------------------------------------------------ answers */

/* True when @r has @status and the body {"errors": {@field: [@message]}}, exactly; prints. */
static bool is_refusal(const struct resp *r, long status, const char *field, const char *message)
{
    json_t *want = json_pack("{s:{s:[s]}}", "errors", field, message);
    bool ok = r->status == status && r->json != NULL && json_equal(r->json, want);
    json_decref(want);
    if (!ok)
        print_error("%s %s: expected %ld {\"errors\":{\"%s\":[\"%s\"]}}, got %ld %.600s\n",
                    r->method, r->path, status, field, message, r->status, r->body);
    return ok;
}

/* True when @r has @status and pass Culture's body {@field: @message}, exactly; prints. */
static bool is_pub_refusal(const struct resp *r, long status, const char *field,
                           const char *message)
{
    json_t *want = json_pack("{s:s}", field, message);
    bool ok = r->status == status && r->json != NULL && json_equal(r->json, want);
    json_decref(want);
    if (!ok)
        print_error("%s %s: expected %ld {\"%s\":\"%s\"}, got %ld %.600s\n", r->method, r->path,
                    status, field, message, r->status, r->body);
    return ok;
}

/* True when @r has @status and a SPEC §2 error body with at least one message; prints. */
static bool is_error(const struct resp *r, long status)
{
    json_t *errors = jget(r->json, "errors");
    bool ok = r->status == status && json_is_object(errors) && json_object_size(errors) > 0;
    const char *key;
    json_t *list;
    json_object_foreach(errors, key, list) ok = ok && json_is_array(list) &&
                                                json_array_size(list) > 0 &&
                                                json_is_string(json_array_get(list, 0));
    if (!ok)
        print_error("%s %s: expected %ld with {\"errors\":{...}}, got %ld %.600s\n", r->method,
                    r->path, status, r->status, r->body);
    return ok;
}

#define assert_refusal(r, status, field, message)                                                  \
    do {                                                                                           \
        struct resp r_ = (r);                                                                      \
        if (!is_refusal(&r_, (status), (field), (message)))                                        \
            _fail(__FILE__, __LINE__);                                                             \
    } while (0)
#define assert_pub(r, status, field, message)                                                      \
    do {                                                                                           \
        struct resp r_ = (r);                                                                      \
        if (!is_pub_refusal(&r_, (status), (field), (message)))                                    \
            _fail(__FILE__, __LINE__);                                                             \
    } while (0)
#define assert_any_error(r, status)                                                                \
    do {                                                                                           \
        struct resp r_ = (r);                                                                      \
        if (!is_error(&r_, (status)))                                                              \
            _fail(__FILE__, __LINE__);                                                             \
    } while (0)

/* ------------------------------------------------------------------ fixtures */

struct item {
    struct client *pro;
    int64_t offer, stock;
};

static const char *offer_path(int64_t offer, const char *suffix)
{
    return strf("/api/v1/offers/%lld%s", (long long)offer, suffix);
}

/* A published (APPROVED) offer of @pro in @venue with one stock: dated at @start for an event
 * (one tariff "Plein tarif"), else a thing; @places 0 for unlimited. */
static struct item make(struct client *pro, int64_t venue, const char *sub, int64_t price,
                        int64_t start, int64_t places)
{
    struct item it = {.pro = pro};
    json_t *body = json_pack("{s:I, s:s, s:s, s:b, s:b, s:b, s:b}", "venueId", (json_int_t)venue,
                             "name", strf("Offre %s", sub), "subcategoryId", sub,
                             "audioDisabilityCompliant", 1, "mentalDisabilityCompliant", 1,
                             "motorDisabilityCompliant", 0, "visualDisabilityCompliant", 0);
    if (strcmp(sub, "LIVRE_NUMERIQUE") == 0)
        json_object_set_new(body, "url", json_string("https://editeur.example.fr/livre"));
    struct resp r = http_json(pro, "POST", "/api/v1/offers", body);
    assert_status(r, 201);
    it.offer = jint(r.json, "id");
    json_t *sb;
    if (start != 0) {
        r = http_json(
            pro, "POST", offer_path(it.offer, "/price-categories"),
            json_pack("{s:s, s:I}", "label", "Plein tarif", "priceCents", (json_int_t)price));
        assert_status(r, 201);
        sb = json_pack("{s:I, s:s}", "priceCategoryId", (json_int_t)jint(r.json, "id"),
                       "beginningDatetime", iso(start));
    } else {
        sb = json_pack("{s:I}", "priceCents", (json_int_t)price);
    }
    json_object_set_new(sb, "quantity", places > 0 ? json_integer(places) : json_null());
    r = http_json(pro, "POST", offer_path(it.offer, "/stocks"), sb);
    assert_status(r, 201);
    it.stock = jint(r.json, "id");
    assert_true(it.offer > 0 && it.stock > 0);
    r = http_request(pro, "POST", offer_path(it.offer, "/publish"), NULL);
    assert_status(r, 200);
    assert_jstr(r.json, "status", "APPROVED");
    return it;
}

/* The stock of @it as its pro sees it. */
static json_t *stock_seen(const struct item *it)
{
    struct resp r = http_request(it->pro, "GET", offer_path(it->offer, ""), NULL);
    assert_status(r, 200);
    json_t *s = jfind_id(r.json, "stocks", "id", it->stock);
    assert_non_null(s);
    return s;
}

struct bk {
    int64_t id;
    const char *token;
    int64_t created, limit; /* limit 0 when null */
};

/* @c books @it (asserts 201 and @status). */
static struct bk book_as(struct client *c, const struct item *it, const char *status)
{
    struct resp r = http_request(c, "POST", "/api/v1/bookings",
                                 strf("{\"stockId\":%lld,\"quantity\":1}", (long long)it->stock));
    assert_status(r, 201);
    assert_jstr(r.json, "status", status);
    struct bk b = {.id = jint(r.json, "id"), .token = jstr(r.json, "token")};
    assert_true(b.id > 0);
    assert_non_null(b.token);
    assert_int_equal(strlen(b.token), 6);
    b.created = epoch(jstr(r.json, "dateCreated"));
    json_t *limit = jget(r.json, "cancellationLimitDate");
    b.limit = json_is_string(limit) ? epoch(json_string_value(limit)) : 0;
    return b;
}

static struct bk book(struct client *c, const struct item *it)
{
    return book_as(c, it, "CONFIRMED");
}

static json_t *my_booking(struct client *c, int64_t id)
{
    struct resp r = http_request(c, "GET", "/api/v1/me/bookings", NULL);
    assert_status(r, 200);
    json_t *b = jfind_id(r.json, "bookings", "id", id);
    if (b == NULL) {
        print_error("booking %lld not in GET /api/v1/me/bookings\n", (long long)id);
        fail();
    }
    return b;
}

static const char *status_of(struct client *c, int64_t id)
{
    const char *s = jstr(my_booking(c, id), "status");
    assert_non_null(s);
    return s;
}

static int64_t used_at(struct client *c, int64_t id)
{
    const char *s = jstr(my_booking(c, id), "dateUsed");
    if (s == NULL) {
        print_error("booking %lld has no dateUsed\n", (long long)id);
        fail();
    }
    return epoch(s);
}

static int64_t balance(struct client *c)
{
    struct resp r = http_request(c, "GET", "/api/v1/me/wallet", NULL);
    assert_status(r, 200);
    assert_true(json_is_integer(jget(r.json, "balanceCents")));
    return jint(r.json, "balanceCents");
}

/* @s with every byte but ASCII letters and digits percent-encoded. */
static const char *enc(const char *s)
{
    const char *out = "";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        out = isalnum(*p) ? strf("%s%c", out, *p) : strf("%s%%%02X", out, *p);
    return out;
}

static const char *lower(const char *s)
{
    char *l = (char *)strf("%s", s);
    for (char *p = l; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return l;
}

/* The portal's Guichet: GET, or POST @action ("use", "unuse") on countermark input @input. */
static struct resp g_get(struct client *c, const char *input)
{
    return http_request(c, "GET", strf("/api/v1/pro/bookings/token/%s", enc(input)), NULL);
}

static struct resp g_post(struct client *c, const char *input, const char *action)
{
    return http_request(c, "POST", strf("/api/v1/pro/bookings/token/%s/%s", enc(input), action),
                        NULL);
}

/* The partner API: @what NULL for GET, else "use", "keep" or "cancel" (PATCH, with no body and
 * no Content-Type, as pass Culture's partner clients send them); @auth is the whole
 * Authorization header value, or NULL for none. */
static struct resp pub_as(struct client *c, const char *what, const char *token, const char *auth)
{
    const char *headers[] = {auth ? strf("Authorization: %s", auth) : NULL, NULL};
    const char *path = what ? strf("/public/bookings/v1/%s/token/%s", what, enc(token))
                            : strf("/public/bookings/v1/token/%s", enc(token));
    return http_raw(c, what ? "PATCH" : "GET", path, NULL, NULL, 0, auth ? headers : NULL);
}

static struct resp pub(const char *what, const char *token, const char *key)
{
    return pub_as(anon, what, token, key ? strf("Bearer %s", key) : NULL);
}

struct key {
    int64_t id;
    const char *key, *prefix;
};

/* A new API key of structure @offerer, created by @pro (asserts 201 {id, key, prefix}). */
static struct key new_key(struct client *pro, int64_t offerer)
{
    struct resp r =
        http_request(pro, "POST", strf("/api/v1/offerers/%lld/api-keys", (long long)offerer), NULL);
    assert_status(r, 201);
    struct key k = {jint(r.json, "id"), jstr(r.json, "key"), jstr(r.json, "prefix")};
    assert_true(k.id > 0);
    assert_non_null(k.key);
    assert_non_null(k.prefix);
    return k;
}

static void run_jobs(void)
{
    struct resp r = http_request(anon, "POST", "/api/test/jobs/run", NULL);
    assert_status(r, 200);
    assert_true(json_is_array(jget(r.json, "ran")));
}

/* Two POST /api/test/jobs/run at the same time, as two servers would: both answer 200. */
static void run_jobs_twice_at_once(void)
{
    struct call calls[2] = {{client_new(), "POST", "/api/test/jobs/run", NULL, {0}},
                            {client_new(), "POST", "/api/test/jobs/run", NULL, {0}}};
    http_parallel(calls, 2);
    for (int i = 0; i < 2; i++) {
        assert_status(calls[i].r, 200);
        assert_true(json_is_array(jget(calls[i].r.json, "ran")));
    }
}

/* Logs the @n (at most 8) clients in again at once: their sessions start at the current clock. */
static void relogin(struct client **cs, size_t n)
{
    struct call calls[8];
    assert_true(n <= 8);
    for (size_t i = 0; i < n; i++)
        calls[i] = (struct call){
            cs[i],
            "POST",
            "/api/v1/auth/login",
            strf("{\"email\":\"%s\",\"password\":\"%s\"}", cs[i]->email, cs[i]->password),
            {0}};
    http_parallel(calls, n);
    for (size_t i = 0; i < n; i++)
        assert_status(calls[i].r, 200);
}

/* ------------------------------------------------------------------ setup */

static int setup(void **state)
{
    if (harness_group_setup(state) != 0)
        return -1;
    set_clock(NOW); /* before any session is opened */
    anon = client_new();
    admin = admin_new("admin");
    alice = pro_new("alice");
    bob = pro_new("bob");
    carl = pro_new("carl");
    const char *siren_a = new_siren();
    va = structure_validated(alice, admin, siret_of(siren_a, 1), "Musée", "75001", "Ville", &oa);
    vb = structure_validated(bob, admin, new_siret(), "Musée", "13001", "Ville", &ob);
    vr = structure_validated(alice, admin, new_siret(), "Musée", "97400", "Ville", &orr);
    /* carl joins A; the back office accepts him. */
    struct resp r = http_json(carl, "POST", "/api/v1/offerers",
                              json_pack("{s:s}", "siret", siret_of(siren_a, 2)));
    assert_status(r, 201);
    assert_int_equal(jint(r.json, "offerer.id"), oa);
    assert_jstr(r.json, "attachment.status", "NEW");
    r = http_request(
        admin, "POST",
        strf("/api/v1/admin/attachments/%lld/validate", (long long)jint(r.json, "attachment.id")),
        NULL);
    assert_status(r, 200);
    struct client *b3[3];
    beneficiaries_new(admin, "ben", BORN, 3, b3);
    ben = b3[0];
    ben2 = b3[1];
    jen = b3[2];
    set_clock(LATE);
    struct client *all[] = {alice, bob, carl, ben, ben2, jen};
    relogin(all, sizeof all / sizeof all[0]);
    set_clock(NOW);
    return 0;
}

/* ------------------------------------------------------------------ 1. validation rules */

enum kind { EV_AHEAD, EV_SOON, THING, FREE_CARD };
static const char *const kind_names[] = {"event booked 10 days ahead", "event booked 24 h ahead",
                                         "thing (LIVRE_PAPIER)", "free museum card"};

/* When the row runs: its booking's cancellation limit − 60 s, + 1 s (bookings without a limit,
 * or whose limit is their booking time: booking time + 1 s), or 1 h after its event (things:
 * 5 days after booking). */
enum at { BEFORE_LIMIT, LIMIT_PLUS_1S, AFTER_EVENT };
static const char *const at_names[] = {"60 s before the cancellation limit",
                                       "1 s after the cancellation limit", "after the event"};

enum answer { OK, EARLY, ALREADY_USED, CANCELLED };

struct vrow {
    int slot;           /* booking slot (see slot_kind) */
    const char *status; /* the booking's status when the row runs */
    enum at at;
    enum answer answer; /* GET: 200 / 403 / 410 / 410; POST use: 204 / the same refusal */
};

/* Slots 2, 5 and 8 are cancelled before the rows run; slot 9 is USED at booking. */
static const enum kind slot_kind[] = {EV_AHEAD, EV_AHEAD, EV_AHEAD, EV_SOON, EV_SOON,
                                      EV_SOON,  THING,    THING,    THING,   FREE_CARD};
#define NSLOTS (sizeof slot_kind / sizeof slot_kind[0])

static const struct vrow vrows[] = {
    {0, "CONFIRMED", BEFORE_LIMIT, EARLY},      {0, "CONFIRMED", LIMIT_PLUS_1S, OK},
    {0, "USED", LIMIT_PLUS_1S, ALREADY_USED},   {0, "USED", AFTER_EVENT, ALREADY_USED},
    {1, "CONFIRMED", AFTER_EVENT, OK},          {2, "CANCELLED", BEFORE_LIMIT, CANCELLED},
    {2, "CANCELLED", LIMIT_PLUS_1S, CANCELLED}, {2, "CANCELLED", AFTER_EVENT, CANCELLED},
    {3, "CONFIRMED", LIMIT_PLUS_1S, OK}, /* limit = booking time: validated at once */
    {3, "USED", AFTER_EVENT, ALREADY_USED},     {4, "CONFIRMED", AFTER_EVENT, OK},
    {5, "CANCELLED", LIMIT_PLUS_1S, CANCELLED}, {5, "CANCELLED", AFTER_EVENT, CANCELLED},
    {6, "CONFIRMED", LIMIT_PLUS_1S, OK}, /* a thing: at once */
    {6, "USED", AFTER_EVENT, ALREADY_USED},     {7, "CONFIRMED", AFTER_EVENT, OK},
    {8, "CANCELLED", LIMIT_PLUS_1S, CANCELLED}, {8, "CANCELLED", AFTER_EVENT, CANCELLED},
    {9, "USED", LIMIT_PLUS_1S, ALREADY_USED},   {9, "USED", AFTER_EVENT, ALREADY_USED},
};

static void test_validation_rules_table(void **state)
{
    (void)state;
    set_clock(NOW);
    int64_t now = epoch(NOW);
    struct item items[NSLOTS];
    int64_t start[NSLOTS];
    struct bk b[NSLOTS];
    for (size_t s = 0; s < NSLOTS; s++) {
        switch (slot_kind[s]) {
        case EV_AHEAD: start[s] = now + 10 * DAY; break;
        case EV_SOON: start[s] = now + 24 * HOUR; break;
        default: start[s] = 0;
        }
        const char *sub = slot_kind[s] == THING       ? "LIVRE_PAPIER"
                          : slot_kind[s] == FREE_CARD ? "CARTE_MUSEE"
                                                      : "VISITE";
        items[s] = make(alice, va, sub, slot_kind[s] == FREE_CARD ? 0 : 500, start[s], 10);
        b[s] = book_as(ben, &items[s], slot_kind[s] == FREE_CARD ? "USED" : "CONFIRMED");
        /* RULES §3: max(booked, min(start − 48 h, booked + 48 h)); null for things. */
        switch (slot_kind[s]) {
        case EV_AHEAD: assert_int_equal(b[s].limit, b[s].created + 48 * HOUR); break;
        case EV_SOON: assert_int_equal(b[s].limit, b[s].created); break;
        default: assert_int_equal(b[s].limit, 0);
        }
    }
    /* Cancelled: by the beneficiary while he may, else by the pro (the beneficiary's refusal
     * for slot 5 is test_booked_within_48h_never_cancellable's). */
    assert_status(
        http_request(ben, "POST", strf("/api/v1/bookings/%lld/cancel", (long long)b[2].id), NULL),
        200);
    assert_status(http_request(alice, "POST",
                               strf("/api/v1/pro/bookings/%lld/cancel", (long long)b[5].id), NULL),
                  200);
    assert_status(
        http_request(ben, "POST", strf("/api/v1/bookings/%lld/cancel", (long long)b[8].id), NULL),
        200);

    int64_t used[NSLOTS] = {0};
    used[9] = b[9].created;
    bool ok = true;
    for (size_t i = 0; i < sizeof vrows / sizeof vrows[0]; i++) {
        const struct vrow *row = &vrows[i];
        const struct bk *k = &b[row->slot];
        int64_t at = row->at == BEFORE_LIMIT    ? k->limit - 60
                     : row->at == LIMIT_PLUS_1S ? (k->limit ? k->limit : k->created) + 1
                     : start[row->slot]         ? start[row->slot] + HOUR
                                                : k->created + 5 * DAY;
        set_clock(iso(at));
        const char *label = strf("row %zu (%s, %s, %s)", i, kind_names[slot_kind[row->slot]],
                                 row->status, at_names[row->at]);
        const char *status = status_of(ben, k->id);
        if (strcmp(status, row->status) != 0) {
            print_error("%s: the booking is %s, not %s\n", label, status, row->status);
            ok = false;
            continue;
        }
        struct resp g = g_get(alice, k->token);
        bool row_ok = true;
        switch (row->answer) {
        case OK:
            row_ok = g.status == 200 && jint(g.json, "id") == k->id && jstr(g.json, "token") &&
                     strcmp(jstr(g.json, "token"), k->token) == 0 && jstr(g.json, "status") &&
                     strcmp(jstr(g.json, "status"), "CONFIRMED") == 0;
            /* An event shows its date and tariff. */
            if (row_ok && start[row->slot] != 0)
                row_ok = jstr(g.json, "eventDatetime") &&
                         strcmp(jstr(g.json, "eventDatetime"), iso(start[row->slot])) == 0 &&
                         jstr(g.json, "priceCategoryLabel") &&
                         strcmp(jstr(g.json, "priceCategoryLabel"), "Plein tarif") == 0;
            if (!row_ok)
                print_error("GET: expected 200 with the CONFIRMED booking, got %ld %.400s\n",
                            g.status, g.body);
            break;
        case EARLY: row_ok = is_refusal(&g, 403, "booking", early_msg(paris_fr(k->limit))); break;
        case ALREADY_USED:
            row_ok = is_refusal(&g, 410, "booking", used_msg(paris_fr(used[row->slot])));
            break;
        case CANCELLED: row_ok = is_refusal(&g, 410, "booking", MSG_CANCELLED); break;
        }
        struct resp u = g_post(alice, k->token, "use");
        switch (row->answer) {
        case OK:
            if (u.status != 204) {
                print_error("POST use: expected 204, got %ld %.400s\n", u.status, u.body);
                row_ok = false;
                break;
            }
            used[row->slot] = used_at(ben, k->id);
            if (used[row->slot] < at || used[row->slot] > at + 30) {
                print_error("dateUsed %s, the clock was %s\n", iso(used[row->slot]), iso(at));
                row_ok = false;
            }
            break;
        case EARLY:
            row_ok = is_refusal(&u, 403, "booking", early_msg(paris_fr(k->limit))) && row_ok;
            break;
        case ALREADY_USED:
            row_ok = is_refusal(&u, 410, "booking", used_msg(paris_fr(used[row->slot]))) && row_ok;
            break;
        case CANCELLED: row_ok = is_refusal(&u, 410, "booking", MSG_CANCELLED) && row_ok; break;
        }
        const char *after = status_of(ben, k->id);
        const char *want = row->answer == OK ? "USED" : row->status;
        if (strcmp(after, want) != 0) {
            print_error("status after the row: %s, expected %s\n", after, want);
            row_ok = false;
        }
        if (!row_ok) {
            print_error("  ^ %s\n", label);
            ok = false;
        }
    }
    set_clock(NOW);
    if (!ok)
        fail();
}

/* The 403 "too early" message gives the cancellation limit in the venue's zone. */
struct early_case {
    const char *clock;     /* when the booking is made */
    const char *start;     /* the event */
    bool reunion;          /* venue in La Réunion (UTC+4, no summer time) */
    const char *limit_iso; /* expected cancellationLimitDate (minute precision) */
    const char *when;      /* expected local time in the message */
};

static const struct early_case early_cases[] = {
    /* winter: UTC+1 */
    {"2027-01-04T08:00:00Z", "2027-01-20T18:00:00Z", false, "2027-01-06T08:00",
     "06/01/2027 à 09:00"},
    /* limit = start − 48 h when that comes first */
    {"2027-01-04T08:00:00Z", "2027-01-07T17:30:00Z", false, "2027-01-05T17:30",
     "05/01/2027 à 18:30"},
    /* summer: UTC+2 */
    {"2027-07-05T08:00:00Z", "2027-07-20T18:00:00Z", false, "2027-07-07T08:00",
     "07/07/2027 à 10:00"},
    /* booked in winter, limit on the morning summer time starts (28 March 2027, 01:00 UTC) */
    {"2027-03-26T08:00:00Z", "2027-04-10T18:00:00Z", false, "2027-03-28T08:00",
     "28/03/2027 à 10:00"},
    /* booked in summer, limit on the morning it ends (31 October 2027, 01:00 UTC) */
    {"2027-10-29T08:00:00Z", "2027-11-10T18:00:00Z", false, "2027-10-31T08:00",
     "31/10/2027 à 09:00"},
    /* the venue's zone, not Paris */
    {"2027-01-04T08:00:00Z", "2027-01-20T18:00:00Z", true, "2027-01-06T08:00",
     "06/01/2027 à 12:00"},
};

static void test_too_early_message_in_venue_time(void **state)
{
    (void)state;
    struct key ka = new_key(alice, oa), kr = new_key(alice, orr);
    bool ok = true;
    for (size_t i = 0; i < sizeof early_cases / sizeof early_cases[0]; i++) {
        const struct early_case *c = &early_cases[i];
        set_clock(NOW);
        struct item it = make(alice, c->reunion ? vr : va, "VISITE", 100, epoch(c->start), 0);
        set_clock(c->clock);
        struct bk k = book(ben, &it);
        const char *limit = iso(k.limit);
        if (strncmp(limit, c->limit_iso, 16) != 0) {
            print_error("case %zu: cancellationLimitDate %s, expected %s\n", i, limit,
                        c->limit_iso);
            ok = false;
        }
        struct resp r = g_get(alice, k.token);
        ok = is_refusal(&r, 403, "booking", early_msg(c->when)) && ok;
        r = g_post(alice, k.token, "use");
        ok = is_refusal(&r, 403, "booking", early_msg(c->when)) && ok;
        const char *key = c->reunion ? kr.key : ka.key;
        r = pub(NULL, k.token, key);
        ok = is_pub_refusal(&r, 403, "booking", early_msg(c->when)) && ok;
        r = pub("use", k.token, key);
        ok = is_pub_refusal(&r, 403, "booking", early_msg(c->when)) && ok;
        if (strcmp(status_of(ben, k.id), "CONFIRMED") != 0) {
            print_error("case %zu: the booking was validated too early\n", i);
            ok = false;
            continue;
        }
        /* Once validated, the date of validation is in the venue's zone too. */
        set_clock(iso(k.limit + 1));
        r = g_post(alice, k.token, "use");
        if (r.status != 204) {
            print_error("case %zu: use after the limit: %ld %.300s\n", i, r.status, r.body);
            ok = false;
            continue;
        }
        int64_t when = used_at(ben, k.id);
        const char *local = c->reunion ? fr_at(when, 4 * HOUR) : paris_fr(when);
        r = g_get(alice, k.token);
        ok = is_refusal(&r, 410, "booking", used_msg(local)) && ok;
    }
    set_clock(NOW);
    if (!ok)
        fail();
}

/*
 * RULES §3: "a booking made less than 48 h before the event can never be cancelled by the
 * beneficiary" (its limit is its booking time; pass Culture's isConfirmed is limit <= now).
 * Neither can the partner API cancel it (reference §6.2: refused once the limit has passed).
 */
static void test_booked_within_48h_never_cancellable(void **state)
{
    (void)state;
    set_clock(NOW);
    int64_t now = epoch(NOW);
    struct key k = new_key(alice, oa);
    struct item ev = make(alice, va, "VISITE", 100, now + 24 * HOUR, 0);
    struct item ev2 = make(alice, va, "VISITE", 100, now + 24 * HOUR, 0);
    struct item ev3 = make(alice, va, "VISITE", 100, now + 24 * HOUR, 0);
    struct resp r = http_request(ben, "POST", "/api/v1/bookings",
                                 strf("{\"stockId\":%lld,\"quantity\":1}", (long long)ev.stock));
    assert_status(r, 201);
    int64_t id = jint(r.json, "id");
    assert_string_equal(jstr(r.json, "cancellationLimitDate"), jstr(r.json, "dateCreated"));
    bool ok = true;
    if (!json_is_false(jget(r.json, "canCancel"))) {
        print_error("a booking made 24 h before its event is offered for cancellation: %s\n",
                    r.body);
        ok = false;
    }
    r = http_request(ben, "POST", strf("/api/v1/bookings/%lld/cancel", (long long)id), NULL);
    if (r.status != 403) {
        print_error("the beneficiary cancelled it right after booking: %ld %.300s\n", r.status,
                    r.body);
        ok = false;
    }
    struct bk b2 = book(ben, &ev2);
    r = pub("cancel", b2.token, k.key);
    ok = is_pub_refusal(&r, 403, "booking", "This booking cannot be cancelled anymore") && ok;
    if (strcmp(status_of(ben, b2.id), "CONFIRMED") != 0) {
        print_error("the partner API cancelled a booking whose limit was its booking time\n");
        ok = false;
    }
    /* Later on, both are refused. */
    struct bk b3 = book(ben, &ev3);
    set_clock(iso(b3.created + 2));
    r = http_request(ben, "POST", strf("/api/v1/bookings/%lld/cancel", (long long)b3.id), NULL);
    ok = is_error(&r, 403) && ok;
    r = pub("cancel", b3.token, k.key);
    ok = is_pub_refusal(&r, 403, "booking", "This booking cannot be cancelled anymore") && ok;
    assert_string_equal(status_of(ben, b3.id), "CONFIRMED");
    set_clock(NOW);
    if (!ok)
        fail();
}

/* ------------------------------------------------------------------ 2. countermark input */

static void test_lookup_input_forms(void **state)
{
    (void)state;
    set_clock(NOW);
    struct item it = make(alice, va, "LIVRE_PAPIER", 300, 0, 0);
    struct bk k = book(ben, &it);

    struct resp r = g_get(alice, k.token);
    assert_status(r, 200);
    assert_int_equal(jint(r.json, "id"), k.id);
    assert_jstr(r.json, "token", k.token);
    assert_jstr(r.json, "status", "CONFIRMED");
    assert_jstr(r.json, "offerName", "Offre LIVRE_PAPIER");
    assert_jstr(r.json, "beneficiary.firstName", "Lou");
    assert_jstr(r.json, "beneficiary.lastName", "Martin");
    assert_jstr(r.json, "beneficiary.email", ben->email);
    assert_int_equal(jint(r.json, "quantity"), 1);
    assert_int_equal(jint(r.json, "amountCents"), 300);

    const char *forms[] = {
        lower(k.token),
        strf(" %s ", k.token),
        strf("  %s", lower(k.token)),
        strf("PASSCULTURE:v3;TOKEN:%s", k.token),
        strf("PASSCULTURE:v3;TOKEN:%s", lower(k.token)),
    };
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        r = g_get(alice, forms[i]);
        if (r.status != 200 || jint(r.json, "id") != k.id) {
            print_error("input \"%s\": expected the booking, got %ld %.300s\n", forms[i], r.status,
                        r.body);
            fail();
        }
    }
    /* The beneficiary's QR code carries that payload. */
    assert_jstr(my_booking(ben, k.id), "qrCodePayload", strf("PASSCULTURE:v3;TOKEN:%s", k.token));

    const char *junk[] = {"ABC12",
                          "ABCDE1",
                          "ABCDEFG",
                          "ABCD0E",
                          "ABCDEI",
                          "ABC DE",
                          "PASSCULTURE:v3;TOKEN:ABC12",
                          strf("%s1", k.token),
                          "ÉABCDE"};
    for (size_t i = 0; i < sizeof junk / sizeof junk[0]; i++) {
        r = g_get(alice, junk[i]);
        if (!is_error(&r, 400)) {
            print_error("  ^ input \"%s\"\n", junk[i]);
            fail();
        }
        r = g_post(alice, junk[i], "use");
        if (!is_error(&r, 400)) {
            print_error("  ^ input \"%s\"\n", junk[i]);
            fail();
        }
    }

    /* Another structure's countermark answers exactly as an unknown one. */
    struct item other = make(bob, vb, "LIVRE_PAPIER", 300, 0, 0);
    struct bk kb = book(ben2, &other);
    const char *unknown =
        strcmp(k.token, "ZZZZZZ") && strcmp(kb.token, "ZZZZZZ") ? "ZZZZZZ" : "YYYYYY";
    struct resp u = g_get(alice, unknown);
    assert_refusal(u, 404, "global", MSG_NOT_FOUND);
    struct resp f = g_get(alice, kb.token);
    assert_refusal(f, 404, "global", MSG_NOT_FOUND);
    assert_string_equal(f.body, u.body);
    assert_refusal(g_post(alice, kb.token, "use"), 404, "global", MSG_NOT_FOUND);
    assert_refusal(g_post(alice, kb.token, "unuse"), 404, "global", MSG_NOT_FOUND);
    assert_refusal(g_post(alice, unknown, "use"), 404, "global", MSG_NOT_FOUND);
    assert_string_equal(status_of(ben2, kb.id), "CONFIRMED");
    /* Its own structure sees it, and bob does not see A's. */
    assert_status(g_get(bob, kb.token), 200);
    assert_refusal(g_get(bob, k.token), 404, "global", MSG_NOT_FOUND);
    /* Neither a beneficiary nor an anonymous visitor reaches the Guichet. */
    assert_any_error(g_get(ben, k.token), 403);
    assert_any_error(g_get(anon, k.token), 401);
}

/* ------------------------------------------------------------------ 3. museum card */

static void test_museum_card_validated_once(void **state)
{
    (void)state;
    set_clock(NOW);
    struct item card = make(alice, va, "CARTE_MUSEE", 2000, 0, 0);
    struct bk k = book(ben, &card);

    /* Unuse of a CONFIRMED booking is refused. */
    assert_any_error(g_post(alice, k.token, "unuse"), 403);
    assert_string_equal(status_of(ben, k.id), "CONFIRMED");

    assert_status(g_post(alice, k.token, "use"), 204);
    int64_t when = used_at(ben, k.id);
    assert_string_equal(status_of(ben, k.id), "USED");
    /* A later visit: the Guichet says when it was validated, nothing more to do. */
    set_clock(iso(epoch(NOW) + 3 * DAY));
    assert_refusal(g_get(alice, k.token), 410, "booking", used_msg(paris_fr(when)));
    assert_refusal(g_post(alice, lower(k.token), "use"), 410, "booking", used_msg(paris_fr(when)));
    assert_int_equal(used_at(ben, k.id), when);

    /* Invalidated: back to CONFIRMED, no date of use. */
    assert_status(g_post(alice, k.token, "unuse"), 204);
    json_t *mine = my_booking(ben, k.id);
    assert_jstr(mine, "status", "CONFIRMED");
    assert_true(json_is_null(jget(mine, "dateUsed")));
    struct resp r = g_get(alice, k.token);
    assert_status(r, 200);
    assert_jstr(r.json, "status", "CONFIRMED");
    assert_any_error(g_post(alice, k.token, "unuse"), 403);
    /* It can be validated again. */
    assert_status(g_post(alice, k.token, "use"), 204);
    assert_string_equal(status_of(ben, k.id), "USED");

    /* A booking with an activation code is USED at once and cannot be invalidated. */
    set_clock(NOW);
    struct item digital = make(alice, va, "LIVRE_NUMERIQUE", 1000, 0, 0);
    r = http_json(alice, "POST", offer_path(digital.offer, "/activation-codes"),
                  json_pack("{s:[s, s]}", "codes", "CODE-GUICHET-1", "CODE-GUICHET-2"));
    assert_status(r, 201);
    struct bk kd = book_as(ben, &digital, "USED");
    assert_refusal(g_get(alice, kd.token), 410, "booking", used_msg(paris_fr(kd.created)));
    assert_any_error(g_post(alice, kd.token, "unuse"), 403);
    assert_string_equal(status_of(ben, kd.id), "USED");

    /* A free museum card is USED at booking; a cancelled booking cannot be invalidated. */
    struct item free_card = make(alice, va, "CARTE_MUSEE", 0, 0, 0);
    struct bk kf = book_as(ben, &free_card, "USED");
    assert_refusal(g_get(alice, kf.token), 410, "booking", used_msg(paris_fr(kf.created)));
    struct item thing = make(alice, va, "LIVRE_PAPIER", 100, 0, 0);
    struct bk kc = book(ben, &thing);
    assert_status(
        http_request(ben, "POST", strf("/api/v1/bookings/%lld/cancel", (long long)kc.id), NULL),
        200);
    assert_refusal(g_post(alice, kc.token, "unuse"), 410, "booking", MSG_CANCELLED);
    assert_string_equal(status_of(ben, kc.id), "CANCELLED");
}

/* One request with an extra header, started with the others (barrier). */
struct raw_job {
    struct client *c;
    const char *method, *path, *header;
    struct resp *out;
    pthread_barrier_t *start;
};

static void *raw_main(void *arg)
{
    struct raw_job *j = arg;
    const char *headers[] = {j->header, NULL};
    pthread_barrier_wait(j->start);
    const char *type = strcmp(j->method, "GET") != 0 ? "application/json" : NULL;
    *j->out = http_raw(j->c, j->method, j->path, type, NULL, 0, headers);
    return NULL;
}

/* The @n requests @jobs at the same time, each on its own new connection. */
static void raw_parallel(struct raw_job *jobs, size_t n)
{
    pthread_t *threads = calloc(n, sizeof *threads);
    assert_non_null(threads);
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, (unsigned)n);
    for (size_t i = 0; i < n; i++) {
        jobs[i].c = client_new();
        jobs[i].start = &start;
        assert_int_equal(pthread_create(&threads[i], NULL, raw_main, &jobs[i]), 0);
    }
    for (size_t i = 0; i < n; i++)
        pthread_join(threads[i], NULL);
    pthread_barrier_destroy(&start);
    free(threads);
}

/* Four validations of one countermark at the same time: one succeeds. */
static void test_parallel_validation_once(void **state)
{
    (void)state;
    set_clock(NOW);
    struct key ka = new_key(alice, oa);
    struct item it = make(alice, va, "LIVRE_PAPIER", 100, 0, 0);
    struct item it2 = make(alice, va, "LIVRE_PAPIER", 100, 0, 0);
    struct bk k = book(ben, &it), k2 = book(ben, &it2);
    struct call calls[4];
    for (int i = 0; i < 4; i++)
        calls[i] = (struct call){client_clone(alice),
                                 "POST",
                                 strf("/api/v1/pro/bookings/token/%s/use", k.token),
                                 NULL,
                                 {0}};
    http_parallel(calls, 4);
    int ok = 0, gone = 0;
    for (int i = 0; i < 4; i++) {
        if (calls[i].r.status == 204)
            ok++;
        else if (calls[i].r.status == 410)
            gone++;
        else
            print_error("parallel use: %ld %.300s\n", calls[i].r.status, calls[i].r.body);
    }
    assert_int_equal(ok, 1);
    assert_int_equal(gone, 3);
    assert_string_equal(status_of(ben, k.id), "USED");

    /* The same through the partner API. */
    struct raw_job jobs[4];
    struct resp results[4];
    for (int i = 0; i < 4; i++)
        jobs[i] = (struct raw_job){.method = "PATCH",
                                   .path = strf("/public/bookings/v1/use/token/%s", k2.token),
                                   .header = strf("Authorization: Bearer %s", ka.key),
                                   .out = &results[i]};
    raw_parallel(jobs, 4);
    ok = gone = 0;
    for (int i = 0; i < 4; i++) {
        if (results[i].status == 204)
            ok++;
        else if (is_pub_refusal(&results[i], 410, "booking",
                                "This booking has already been validated"))
            gone++;
    }
    assert_int_equal(ok, 1);
    assert_int_equal(gone, 3);
    assert_string_equal(status_of(ben, k2.id), "USED");
}

/* ------------------------------------------------------------------ 4. partner API */

static void test_api_keys(void **state)
{
    (void)state;
    set_clock(NOW);
    struct key k = new_key(alice, oa);
    regex_t re;
    assert_int_equal(
        regcomp(&re, "^production_[0-9a-f]{12}_[0-9a-f]{64}$", REG_EXTENDED | REG_NOSUB), 0);
    int match = regexec(&re, k.key, 0, NULL, 0);
    regfree(&re);
    if (match != 0) {
        print_error("key \"%s\" does not match <env>_<12 hex>_<64 hex>\n", k.key);
        fail();
    }
    assert_int_equal(strlen(k.prefix), strlen("production_") + 12);
    assert_memory_equal(k.prefix, k.key, strlen(k.prefix));
    const char *secret = k.key + strlen(k.prefix) + 1;
    struct key k2 = new_key(alice, oa);
    assert_true(strcmp(k2.key, k.key) != 0 && strcmp(k2.prefix, k.prefix) != 0);

    /* The list shows the prefix, never the secret. */
    struct resp r =
        http_request(alice, "GET", strf("/api/v1/offerers/%lld/api-keys", (long long)oa), NULL);
    assert_status(r, 200);
    json_t *listed = jfind_id(r.json, "apiKeys", "id", k.id);
    assert_non_null(listed);
    assert_jstr(listed, "prefix", k.prefix);
    assert_null(strstr(r.body, secret));
    assert_null(strstr(r.body, k2.key + strlen(k2.prefix) + 1));
    assert_null(jget(listed, "key"));
    /* Another structure's pro neither lists, creates nor revokes them. */
    assert_any_error(
        http_request(bob, "GET", strf("/api/v1/offerers/%lld/api-keys", (long long)oa), NULL), 404);
    assert_any_error(
        http_request(bob, "POST", strf("/api/v1/offerers/%lld/api-keys", (long long)oa), NULL),
        404);
    assert_any_error(
        http_request(bob, "DELETE",
                     strf("/api/v1/offerers/%lld/api-keys/%lld", (long long)oa, (long long)k.id),
                     NULL),
        404);
    assert_any_error(
        http_request(bob, "DELETE",
                     strf("/api/v1/offerers/%lld/api-keys/%lld", (long long)ob, (long long)k.id),
                     NULL),
        404);

    struct item it = make(alice, va, "LIVRE_PAPIER", 100, 0, 0);
    struct bk b = book(ben2, &it);
    assert_status(pub(NULL, b.token, k.key), 200);

    /* Authentication: no header, not Bearer, malformed, wrong secret, revoked. */
    const char *bad[] = {
        NULL,
        strf("Basic %s", k.key),
        "Bearer",
        "Bearer ",
        "Bearer abc",
        strf("Bearer %s", k.prefix),
        strf("Bearer %s_%s", k.prefix,
             "0000000000000000000000000000000000000000000000000000000000000000"),
        strf("Bearer %s_%sA", k.prefix, secret),
        strf("Bearer %.*s", (int)strlen(k.key) - 1, k.key),
        strf("Bearer %s", secret),
        strf("Bearer %s_%s", k2.prefix, secret), /* one key's secret with another's prefix */
        strf("bearer%s", k.key),
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        r = pub_as(anon, NULL, b.token, bad[i]);
        const char *field;
        json_t *msg;
        bool shaped = json_is_object(r.json) && json_object_size(r.json) > 0;
        json_object_foreach(r.json, field, msg) shaped = shaped && json_is_string(msg);
        if (r.status != 401 || !shaped) {
            print_error(
                "Authorization \"%s\": expected 401 {\"field\": \"message\"}, got %ld %.200s\n",
                bad[i] ? bad[i] : "(none)", r.status, r.body);
            fail();
        }
        r = pub_as(anon, "use", b.token, bad[i]);
        assert_int_equal(r.status, 401);
    }
    assert_string_equal(status_of(ben2, b.id), "CONFIRMED");

    /* Revocation: 204, then the key no longer opens anything; the other key still does. */
    r = http_request(alice, "DELETE",
                     strf("/api/v1/offerers/%lld/api-keys/%lld", (long long)oa, (long long)k2.id),
                     NULL);
    assert_status(r, 204);
    assert_int_equal(pub(NULL, b.token, k2.key).status, 401);
    assert_int_equal(pub("use", b.token, k2.key).status, 401);
    assert_status(pub(NULL, b.token, k.key), 200);
    r = http_request(alice, "DELETE",
                     strf("/api/v1/offerers/%lld/api-keys/%lld", (long long)oa, (long long)k2.id),
                     NULL);
    assert_any_error(r, 404);
    r = http_request(alice, "GET", strf("/api/v1/offerers/%lld/api-keys", (long long)oa), NULL);
    assert_status(r, 200);
    assert_true(json_is_string(jget(jfind_id(r.json, "apiKeys", "id", k2.id), "revokedDate")));
    assert_true(json_is_null(jget(jfind_id(r.json, "apiKeys", "id", k.id), "revokedDate")));
}

static void test_partner_api_flow(void **state)
{
    (void)state;
    set_clock(NOW);
    int64_t now = epoch(NOW);
    struct key k = new_key(alice, oa);
    struct item th = make(alice, va, "LIVRE_PAPIER", 1250, 0, 0);
    int64_t before = balance(ben2);
    struct bk b = book(ben2, &th);
    assert_int_equal(jint(stock_seen(&th), "bookedQuantity"), 1);

    /* GET: SPEC §6 fields. */
    struct resp r = pub(NULL, b.token, k.key);
    assert_status(r, 200);
    json_t *j = r.json;
    assert_int_equal(jint(j, "id"), b.id);
    assert_int_equal(jint(j, "quantity"), 1);
    assert_jstr(j, "creationDate", iso(b.created));
    assert_true(json_is_null(jget(j, "confirmationDate")));
    assert_true(json_is_integer(jget(j, "price")));
    assert_int_equal(jint(j, "price"), 1250);
    assert_jstr(j, "status", "CONFIRMED");
    assert_int_equal(jint(j, "offerId"), th.offer);
    assert_jstr(j, "offerName", "Offre LIVRE_PAPIER");
    assert_int_equal(jint(j, "stockId"), th.stock);
    assert_non_null(jget(j, "priceCategoryLabel"));
    assert_int_equal(jint(j, "venueId"), va);
    assert_non_null(jstr(j, "venueName"));
    assert_jstr(j, "userEmail", ben2->email);
    assert_jstr(j, "userFirstName", "Lou");
    assert_jstr(j, "userLastName", "Martin");
    assert_non_null(jget(j, "userPhoneNumber"));
    assert_jstr(j, "userBirthDate", BORN);
    /* Lower case and the QR payload work here too. */
    assert_status(pub(NULL, lower(b.token), k.key), 200);
    assert_status(pub(NULL, strf("PASSCULTURE:v3;TOKEN:%s", b.token), k.key), 200);

    /* A body sent without its type is refused even with a key (415), nothing used. */
    const char *bearer[] = {strf("Authorization: Bearer %s", k.key), NULL};
    r = http_raw(anon, "PATCH", strf("/public/bookings/v1/use/token/%s", b.token), NULL, "{}", 2,
                 bearer);
    assert_status(r, 415);
    assert_string_equal(status_of(ben2, b.id), "CONFIRMED");
    /* use → 204, again → 410; keep → 204; keep of a CONFIRMED booking → 403. */
    r = pub("use", b.token, k.key);
    assert_status(r, 204);
    assert_string_equal(status_of(ben2, b.id), "USED");
    assert_pub(pub("use", b.token, k.key), 410, "booking",
               "This booking has already been validated");
    assert_pub(pub(NULL, b.token, k.key), 410, "booking",
               "This booking has already been validated");
    assert_pub(pub("cancel", b.token, k.key), 410, "booking", "This booking has been validated");
    /* The portal shows the validation by the API. */
    assert_refusal(g_get(alice, b.token), 410, "booking", used_msg(paris_fr(used_at(ben2, b.id))));
    assert_status(pub("keep", b.token, k.key), 204);
    assert_string_equal(status_of(ben2, b.id), "CONFIRMED");
    assert_true(json_is_null(jget(my_booking(ben2, b.id), "dateUsed")));
    assert_pub(pub("keep", b.token, k.key), 403, "booking", "This booking has not been used");
    r = pub(NULL, b.token, k.key);
    assert_status(r, 200);
    assert_jstr(r.json, "status", "CONFIRMED");

    /* cancel → 204 (credit back), again → 410; nothing else is possible afterwards. */
    assert_int_equal(balance(ben2), before - 1250);
    assert_status(pub("cancel", b.token, k.key), 204);
    assert_string_equal(status_of(ben2, b.id), "CANCELLED");
    assert_int_equal(balance(ben2), before);
    assert_int_equal(jint(stock_seen(&th), "bookedQuantity"), 0);
    assert_pub(pub("cancel", b.token, k.key), 410, "booking",
               "This booking has already been cancelled");
    assert_pub(pub(NULL, b.token, k.key), 410, "booking", "This booking has been cancelled");
    assert_pub(pub("use", b.token, k.key), 410, "booking", "This booking has been cancelled");
    assert_pub(pub("keep", b.token, k.key), 410, "booking", "This booking has been cancelled");
    assert_refusal(g_get(alice, b.token), 410, "booking", MSG_CANCELLED);

    /* An activation-code booking cannot be kept. */
    struct item digital = make(alice, va, "LIVRE_NUMERIQUE", 500, 0, 0);
    r = http_json(alice, "POST", offer_path(digital.offer, "/activation-codes"),
                  json_pack("{s:[s]}", "codes", "CODE-PARTNER-1"));
    assert_status(r, 201);
    struct bk kd = book_as(ben2, &digital, "USED");
    assert_pub(pub("keep", kd.token, k.key), 403, "booking",
               "This booking has validation codes, and cannot be marked as unused");

    /* Events: too early → 403; cancel before the limit → 204, after it → 403. */
    struct item ev = make(alice, va, "VISITE", 700, now + 10 * DAY, 0);
    struct item ev2 = make(alice, va, "VISITE", 700, now + 10 * DAY, 0);
    struct bk e = book(ben2, &ev), e2 = book(ben2, &ev2);
    r = pub(NULL, e.token, k.key);
    assert_pub(r, 403, "booking", early_msg(paris_fr(e.limit)));
    assert_pub(pub("use", e.token, k.key), 403, "booking", early_msg(paris_fr(e.limit)));
    assert_string_equal(status_of(ben2, e.id), "CONFIRMED");
    assert_status(pub("cancel", e2.token, k.key), 204);
    assert_string_equal(status_of(ben2, e2.id), "CANCELLED");
    set_clock(iso(e.limit + 1));
    r = pub(NULL, e.token, k.key);
    assert_status(r, 200);
    assert_jstr(r.json, "confirmationDate", iso(e.limit));
    assert_pub(pub("cancel", e.token, k.key), 403, "booking",
               "This booking cannot be cancelled anymore");
    assert_string_equal(status_of(ben2, e.id), "CONFIRMED");
    assert_status(pub("use", e.token, k.key), 204);
    set_clock(NOW);

    /* Unknown, malformed, or another structure's: 404 {"global": ...}, the same body. */
    struct item other = make(bob, vb, "LIVRE_PAPIER", 100, 0, 0);
    struct bk kb = book(ben2, &other);
    struct resp u = pub(NULL, "ZZZZZZ", k.key);
    assert_pub(u, 404, "global", PUB_NOT_FOUND);
    assert_pub(pub("use", "ZZZZZZ", k.key), 404, "global", PUB_NOT_FOUND);
    assert_pub(pub(NULL, "ABC12", k.key), 404, "global", PUB_NOT_FOUND);
    struct resp f = pub(NULL, kb.token, k.key);
    assert_pub(f, 404, "global", PUB_NOT_FOUND);
    assert_string_equal(f.body, u.body);
    assert_string_equal(status_of(ben2, kb.id), "CONFIRMED");
}

/* 7. What a structure's key cannot do to another structure's bookings. */
static void test_partner_key_of_another_structure(void **state)
{
    (void)state;
    set_clock(NOW);
    struct key kb = new_key(bob, ob);
    struct item it = make(alice, va, "LIVRE_PAPIER", 100, 0, 0);
    struct item used_it = make(alice, va, "LIVRE_PAPIER", 100, 0, 0);
    struct bk b = book(ben2, &it), u = book(ben2, &used_it);
    assert_status(g_post(alice, u.token, "use"), 204);
    int64_t when = used_at(ben2, u.id);
    const char *what[] = {NULL, "use", "keep", "cancel"};
    for (size_t i = 0; i < 4; i++) {
        assert_pub(pub(what[i], b.token, kb.key), 404, "global", PUB_NOT_FOUND);
        assert_pub(pub(what[i], u.token, kb.key), 404, "global", PUB_NOT_FOUND);
    }
    assert_string_equal(status_of(ben2, b.id), "CONFIRMED");
    assert_string_equal(status_of(ben2, u.id), "USED");
    assert_int_equal(used_at(ben2, u.id), when);
    /* Nor bob through the portal. */
    assert_refusal(g_post(bob, b.token, "use"), 404, "global", MSG_NOT_FOUND);
    assert_refusal(g_post(bob, u.token, "unuse"), 404, "global", MSG_NOT_FOUND);
    assert_string_equal(status_of(ben2, b.id), "CONFIRMED");
    assert_string_equal(status_of(ben2, u.id), "USED");
}

/* ------------------------------------------------------------------ 5. throttling */

/* The @i-th of a series of well-formed countermarks "Z....Z": a real booking drawing one of
 * them is a 1 in 30^2 × (bookings / 30^6) chance; the tests check the 404 of each anyway. */
static const char *unknown_token(int i)
{
    static const char a[] = "ABCDEFGHJKLMNPQRSTUVWXYZ234567";
    return strf("Z%c%c%c%cZ", a[(i / 27000) % 30], a[(i / 900) % 30], a[(i / 30) % 30], a[i % 30]);
}

/* A new structure of a new pro @prefix, validated: its venue; *@pro and *@offerer set. The
 * throttling tests each use their own, since the count of unknown countermarks belongs to the
 * structure (its pros and keys share it) and would otherwise carry over from test to test. */
static int64_t own_structure(const char *prefix, struct client **pro, int64_t *offerer)
{
    *pro = pro_new(prefix);
    return structure_validated(*pro, admin, new_siret(), "Musée", "75002", "Ville", offerer);
}

static void test_throttle_pro(void **state)
{
    (void)state;
    set_clock(NOW);
    struct client *dave = pro_new("dave"), *erin = pro_new("erin");
    const char *siren_d = new_siren();
    int64_t od;
    int64_t vd =
        structure_validated(dave, admin, siret_of(siren_d, 1), "Musée", "75002", "Ville", &od);
    /* erin joins D; the back office accepts her. */
    struct resp r = http_json(erin, "POST", "/api/v1/offerers",
                              json_pack("{s:s}", "siret", siret_of(siren_d, 2)));
    assert_status(r, 201);
    assert_int_equal(jint(r.json, "offerer.id"), od);
    assert_status(http_request(admin, "POST",
                               strf("/api/v1/admin/attachments/%lld/validate",
                                    (long long)jint(r.json, "attachment.id")),
                               NULL),
                  200);
    struct item it = make(dave, vd, "LIVRE_PAPIER", 100, 0, 0);
    struct bk k = book(ben2, &it);
    for (int i = 0; i < 29; i++)
        assert_refusal(g_get(erin, unknown_token(i)), 404, "global", MSG_NOT_FOUND);
    /* 29 misses: not yet; malformed input does not count. */
    assert_status(g_get(erin, k.token), 200);
    assert_any_error(g_get(erin, "ABC12"), 400);
    assert_refusal(g_post(erin, unknown_token(29), "use"), 404, "global", MSG_NOT_FOUND);
    /* 30 misses for D: even a valid code is refused, on every Guichet route... */
    r = g_get(erin, k.token);
    assert_any_error(r, 429);
    assert_any_error(g_post(erin, k.token, "use"), 429);
    assert_any_error(g_get(erin, lower(k.token)), 429);
    assert_string_equal(status_of(ben2, k.id), "CONFIRMED");
    /* ...for every pro of D and every key of D: the count is the structure's. */
    assert_any_error(g_get(dave, k.token), 429);
    assert_int_equal(pub(NULL, k.token, new_key(dave, od).key).status, 429);
    /* Another structure keeps its own count. */
    assert_refusal(g_get(alice, unknown_token(29)), 404, "global", MSG_NOT_FOUND);
    /* The pause ends. */
    set_clock(iso(epoch(NOW) + DAY));
    assert_status(g_get(erin, k.token), 200);
    set_clock(NOW);
}

static void test_throttle_api_key(void **state)
{
    (void)state;
    set_clock(NOW);
    struct client *fay;
    int64_t of;
    int64_t vf = own_structure("fay", &fay, &of);
    struct key k1 = new_key(fay, of), k2 = new_key(fay, of);
    struct item it = make(fay, vf, "LIVRE_PAPIER", 100, 0, 0);
    struct bk k = book(ben2, &it);
    for (int i = 100; i < 129; i++)
        assert_pub(pub(NULL, unknown_token(i), k1.key), 404, "global", PUB_NOT_FOUND);
    assert_status(pub(NULL, k.token, k1.key), 200);
    assert_pub(pub("use", unknown_token(129), k1.key), 404, "global", PUB_NOT_FOUND);
    struct resp r = pub(NULL, k.token, k1.key);
    assert_int_equal(r.status, 429);
    assert_true(json_is_object(r.json));
    assert_int_equal(pub("use", k.token, k1.key).status, 429);
    assert_string_equal(status_of(ben2, k.id), "CONFIRMED");
    /* Every key of the structure, and its pros on the portal, share the pause; revoking the
     * key that made the misses resets nothing. */
    assert_int_equal(pub(NULL, k.token, k2.key).status, 429);
    assert_any_error(g_get(fay, k.token), 429);
    assert_status(http_request(fay, "DELETE",
                               strf("/api/v1/offerers/%lld/api-keys/%lld", (long long)of,
                                    (long long)k1.id),
                               NULL),
                  204);
    assert_int_equal(pub(NULL, k.token, new_key(fay, of).key).status, 429);
    /* After the window, the structure is heard again. */
    set_clock(iso(epoch(NOW) + DAY));
    assert_status(pub("use", k.token, k2.key), 204);
    set_clock(NOW);
}

/*
 * The limit holds under concurrency: 48 unknown countermarks sent at once with one key are
 * answered 404 at most 30 times, the others 429. Several rounds (a new structure each), as an
 * interleaving that lets extra guesses through does not happen every time.
 */
static void test_throttle_under_concurrency(void **state)
{
    (void)state;
    set_clock(NOW);
    enum { N = 48, ROUNDS = 6 };
    bool ok = true;
    struct client *gus = pro_new("gus");
    for (int round = 0; round < ROUNDS; round++) {
        int64_t og;
        structure_validated(gus, admin, new_siret(), "Musée", "75002", "Ville", &og);
        struct key k = new_key(gus, og);
        struct raw_job jobs[N];
        struct resp out[N];
        for (int i = 0; i < N; i++)
            jobs[i] = (struct raw_job){
                .method = "GET",
                .path = strf("/public/bookings/v1/token/%s", unknown_token(1000 + i)),
                .header = strf("Authorization: Bearer %s", k.key),
                .out = &out[i]};
        raw_parallel(jobs, N);
        int missed = 0, throttled = 0;
        for (int i = 0; i < N; i++) {
            if (out[i].status == 404)
                missed++;
            else if (out[i].status == 429)
                throttled++;
            else
                print_error("unknown countermark: %ld %.200s\n", out[i].status, out[i].body);
        }
        if (missed > 30 || missed < 1 || missed + throttled != N) {
            print_error("round %d: %d unknown countermarks answered 404 (1 to 30), %d 429\n",
                        round, missed, throttled);
            ok = false;
        }
    }
    if (!ok)
        fail();
}

/* ------------------------------------------------------------------ look-up throughput */

struct bench {
    const char *url, *cookie;
    pthread_barrier_t *start;
    double seconds;
    double *lat;
    size_t n, cap;
    long bad;
};

static size_t discard(char *data, size_t size, size_t nmemb, void *userdata)
{
    (void)data, (void)userdata;
    return size * nmemb;
}

static void *bench_main(void *arg)
{
    struct bench *b = arg;
    CURL *c = curl_easy_init();
    curl_easy_setopt(c, CURLOPT_URL, b->url);
    curl_easy_setopt(c, CURLOPT_COOKIE, b->cookie);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
    pthread_barrier_wait(b->start);
    struct timespec t0, t1, t2;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    do {
        clock_gettime(CLOCK_MONOTONIC, &t1);
        CURLcode rc = curl_easy_perform(c);
        clock_gettime(CLOCK_MONOTONIC, &t2);
        long status = 0;
        if (rc == CURLE_OK)
            curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
        if (status != 200)
            b->bad++;
        if (b->n == b->cap) {
            b->cap = b->cap ? b->cap * 2 : 4096;
            b->lat = realloc(b->lat, b->cap * sizeof *b->lat);
            if (b->lat == NULL)
                abort();
        }
        b->lat[b->n++] = ms_between(&t1, &t2);
    } while (ms_between(&t0, &t2) < b->seconds * 1000.0);
    curl_easy_cleanup(c);
    return NULL;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void test_lookup_throughput(void **state)
{
    (void)state;
    set_clock(NOW);
    struct item it = make(alice, va, "LIVRE_PAPIER", 100, 0, 0);
    struct bk k = book(ben2, &it);
    const char *session = client_cookie(alice, "pp_session");
    assert_non_null(session);
    enum { CLIENTS = 4 };
    struct bench b[CLIENTS];
    pthread_t threads[CLIENTS];
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, CLIENTS);
    for (int i = 0; i < CLIENTS; i++) {
        b[i] = (struct bench){
            .url = strf("%s/api/v1/pro/bookings/token/%s", g_server.base_url, k.token),
            .cookie = strf("pp_session=%s", session),
            .start = &start,
            .seconds = 2.0,
        };
        assert_int_equal(pthread_create(&threads[i], NULL, bench_main, &b[i]), 0);
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < CLIENTS; i++)
        pthread_join(threads[i], NULL);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    pthread_barrier_destroy(&start);
    size_t total = 0;
    long bad = 0;
    for (int i = 0; i < CLIENTS; i++) {
        total += b[i].n;
        bad += b[i].bad;
    }
    double *all = malloc((total ? total : 1) * sizeof *all);
    assert_non_null(all);
    size_t n = 0;
    for (int i = 0; i < CLIENTS; i++) {
        memcpy(all + n, b[i].lat, b[i].n * sizeof *all);
        n += b[i].n;
        free(b[i].lat);
    }
    qsort(all, n, sizeof *all, cmp_double);
    double secs = ms_between(&t0, &t1) / 1000.0;
    double p50 = n ? all[n / 2] : 0, p99 = n ? all[(size_t)((double)n * 0.99)] : 0;
    fprintf(stderr,
            "guichet look-ups: %zu in %.2f s from %d keep-alive clients = %.0f/s; latency p50 "
            "%.2f ms, p99 %.2f ms, max %.2f ms; %ld not 200\n",
            n, secs, CLIENTS, (double)n / secs, p50, p99, n ? all[n - 1] : 0.0, bad);
    free(all);
    assert_int_equal(bad, 0);
    assert_true(n > 0);
}

/* ------------------------------------------------------------------ 6. jobs */

static void test_job_auto_use_events(void **state)
{
    (void)state;
    int64_t j0 = epoch("2027-01-11T08:00:00Z");
    set_clock(iso(j0));
    int64_t start = j0 + 3 * DAY;
    struct item ev[3];
    struct bk b[3];
    for (int i = 0; i < 3; i++) {
        ev[i] = make(alice, va, "VISITE", 600, start, 10);
        b[i] = book(jen, &ev[i]);
    }
    /* 47 h 59 after the start: still CONFIRMED. */
    set_clock(iso(start + 47 * HOUR + 59 * 60));
    run_jobs();
    for (int i = 0; i < 3; i++)
        assert_string_equal(status_of(jen, b[i].id), "CONFIRMED");
    /* 48 h 01: USED, once, even with two runs at the same time. */
    int64_t t = start + 48 * HOUR + 60;
    set_clock(iso(t));
    run_jobs_twice_at_once();
    int64_t used[3];
    for (int i = 0; i < 3; i++) {
        assert_string_equal(status_of(jen, b[i].id), "USED");
        used[i] = used_at(jen, b[i].id);
        assert_true(used[i] >= t && used[i] <= t + 30);
    }
    /* The Guichet and the partner API say it was validated. */
    assert_refusal(g_get(alice, b[0].token), 410, "booking", used_msg(paris_fr(used[0])));
    struct key k = new_key(alice, oa);
    assert_pub(pub(NULL, b[1].token, k.key), 410, "booking",
               "This booking has already been validated");
    /* Running again changes nothing. */
    set_clock(iso(t + 600));
    run_jobs();
    for (int i = 0; i < 3; i++) {
        assert_string_equal(status_of(jen, b[i].id), "USED");
        assert_int_equal(used_at(jen, b[i].id), used[i]);
    }
    set_clock(NOW);
}

static int64_t booked_quantity(const struct item *it)
{
    json_t *s = stock_seen(it);
    assert_true(json_is_integer(jget(s, "bookedQuantity")));
    return jint(s, "bookedQuantity");
}

static void test_job_expiry_of_things(void **state)
{
    (void)state;
    set_clock("2027-01-11T09:00:00Z");
    struct item card = make(alice, va, "CARTE_MUSEE", 2000, 0, 5);
    struct item bookshop = make(alice, va, "LIVRE_PAPIER", 1500, 0, 3);
    struct item free_card = make(alice, va, "CARTE_MUSEE", 0, 0, 0);
    int64_t b0 = balance(jen);
    struct bk bc = book(jen, &card), bl = book(jen, &bookshop);
    struct bk bf = book_as(jen, &free_card, "USED");
    int64_t b1 = balance(jen);
    assert_int_equal(b1, b0 - 3500);
    assert_int_equal(booked_quantity(&card), 1);
    assert_int_equal(booked_quantity(&bookshop), 1);

    /* The book: 10 days. */
    set_clock(iso(bl.created + 9 * DAY));
    run_jobs();
    assert_string_equal(status_of(jen, bl.id), "CONFIRMED");
    set_clock(iso(bl.created + 10 * DAY - 60));
    run_jobs();
    assert_string_equal(status_of(jen, bl.id), "CONFIRMED");
    set_clock(iso(bl.created + 10 * DAY + 1));
    run_jobs_twice_at_once();
    assert_string_equal(status_of(jen, bl.id), "CANCELLED");
    assert_string_equal(status_of(jen, bc.id), "CONFIRMED");
    assert_int_equal(balance(jen), b1 + 1500);
    assert_int_equal(booked_quantity(&bookshop), 0);
    assert_int_equal(jint(stock_seen(&bookshop), "remainingQuantity"), 3);
    assert_refusal(g_get(alice, bl.token), 410, "booking", MSG_CANCELLED);
    run_jobs();
    assert_int_equal(balance(jen), b1 + 1500);
    assert_int_equal(booked_quantity(&bookshop), 0);

    /* The museum card: 30 days. */
    set_clock(iso(bc.created + 29 * DAY));
    run_jobs();
    assert_string_equal(status_of(jen, bc.id), "CONFIRMED");
    set_clock(iso(bc.created + 30 * DAY - 60));
    run_jobs();
    assert_string_equal(status_of(jen, bc.id), "CONFIRMED");
    set_clock(iso(bc.created + 30 * DAY + 1));
    run_jobs_twice_at_once();
    assert_string_equal(status_of(jen, bc.id), "CANCELLED");
    assert_int_equal(balance(jen), b0);
    assert_int_equal(booked_quantity(&card), 0);
    assert_int_equal(jint(stock_seen(&card), "remainingQuantity"), 5);
    /* The free card, used at booking, never expires. */
    assert_string_equal(status_of(jen, bf.id), "USED");
    assert_int_equal(used_at(jen, bf.id), bf.created);
    run_jobs();
    assert_int_equal(balance(jen), b0);
    assert_string_equal(status_of(jen, bc.id), "CANCELLED");
    assert_string_equal(status_of(jen, bf.id), "USED");
    set_clock(NOW);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_validation_rules_table),
        cmocka_unit_test(test_too_early_message_in_venue_time),
        cmocka_unit_test(test_booked_within_48h_never_cancellable),
        cmocka_unit_test(test_lookup_input_forms),
        cmocka_unit_test(test_museum_card_validated_once),
        cmocka_unit_test(test_parallel_validation_once),
        cmocka_unit_test(test_api_keys),
        cmocka_unit_test(test_partner_api_flow),
        cmocka_unit_test(test_partner_key_of_another_structure),
        cmocka_unit_test(test_throttle_pro),
        cmocka_unit_test(test_throttle_api_key),
        cmocka_unit_test(test_throttle_under_concurrency),
        cmocka_unit_test(test_lookup_throughput),
        cmocka_unit_test(test_job_auto_use_events),
        cmocka_unit_test(test_job_expiry_of_things),
    };
    return cmocka_run_group_tests_name("http_guichet", tests, setup, harness_group_teardown);
}
