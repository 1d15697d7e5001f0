/*
 * Emails through the real server (mail issue; SPEC §1 --mail-dir/--smtp, RULES §5). Every
 * email is read back from what the server wrote, with the reader of tests/mail_eml.h (and,
 * when python3 is on the machine, Python's strict email parser too): headers decoded, parts
 * split and decoded, then checked for what the person receiving it needs.
 *
 * Group "mail_dir": the harness's server (--mail-dir <tmp>/mail). A booking gives the venue's
 * email (welcome version for a venue's first booking) and the beneficiary's confirmation; a
 * venue without booking email gets nothing; cancellations, date change, expiry, back-office
 * decisions; user-typed names and titles cannot inject headers; a mail folder that cannot be
 * written makes the email retry with back-off until FAILED after about a day, shown in the
 * back office, and "Renvoyer" sends it; every kind renders.
 *
 * Group "smtp": a server with --smtp smtp://127.0.0.1:PORT and Debian's smtp-sink (postfix)
 * dumping each message it receives: each email arrives once; with the sink down during
 * bookings and up later, each arrives once after the back-off; a 5xx fails an email at once, a
 * 4xx retries it; two servers on one database delivering at the same time send each email
 * once; a server killed while sending leaves the email to be sent once by another after the
 * claim's lease.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "db/db.h"
#include "http/harness.h"
#include "mail_eml.h"

#define NOW "2027-01-04T08:00:00Z" /* a Monday */
#define HOUR 3600
#define DAY (24 * HOUR)
#define SMTP_SINK "/usr/sbin/smtp-sink"
#define LEASE_SECONDS (5 * 60) /* PP_OUTBOX_LEASE_SECONDS */
#define MAX_ATTEMPTS 14        /* PP_OUTBOX_MAX_ATTEMPTS */

static struct client *admin, *alice;

/* ------------------------------------------------------------------ time */

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

static int64_t epoch(const char *s)
{
    int y, mo, d, h, mi, sec;
    if (s == NULL || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ", &y, &mo, &d, &h, &mi, &sec) != 6) {
        print_error("not an ISO 8601 UTC datetime: %s\n", s ? s : "(null)");
        fail();
    }
    return days_from_civil(y, mo, d) * DAY + h * HOUR + mi * 60 + sec;
}

static int reset_clock(void **state)
{
    (void)state;
    set_clock(NOW);
    return 0;
}

/* ------------------------------------------------------------------ outbox and jobs */

/* POST /api/test/jobs/run on @c's server: 200, and "send_emails" ran. */
static void run_jobs_with(struct client *c)
{
    struct resp r = http_request(c, "POST", "/api/test/jobs/run", NULL);
    assert_status(r, 200);
    size_t i;
    json_t *name;
    bool sent = false;
    json_array_foreach(jget(r.json, "ran"), i, name) sent |=
        strcmp(json_string_value(name), "send_emails") == 0;
    if (!sent) {
        print_error("send_emails did not run: %s\n", r.body);
        fail();
    }
}

static void run_jobs(void)
{
    run_jobs_with(client_new());
}

/* Every outbox row (GET /api/test/outbox). */
static json_t *outbox(void)
{
    struct resp r = http_request(client_new(), "GET", "/api/test/outbox", NULL);
    assert_status(r, 200);
    assert_true(json_is_array(jget(r.json, "emails")));
    return jget(r.json, "emails");
}

/* The rows of @kind to @to (NULL: any), in id order. */
static size_t rows_for(json_t *rows, const char *kind, const char *to, json_t **out, size_t cap)
{
    size_t n = 0, i;
    json_t *row;
    /* Ids ascending: a simple selection, lists are short. */
    int64_t last = 0;
    for (;;) {
        json_t *best = NULL;
        json_array_foreach(rows, i, row)
        {
            if (kind && strcmp(jstr(row, "kind"), kind) != 0)
                continue;
            if (to && strcasecmp(jstr(row, "to"), to) != 0)
                continue;
            if (jint(row, "id") > last && (best == NULL || jint(row, "id") < jint(best, "id")))
                best = row;
        }
        if (best == NULL)
            break;
        if (n < cap)
            out[n] = best;
        n++;
        last = jint(best, "id");
    }
    return n;
}

/* The only row of @kind to @to; fails when there is not exactly one. */
static json_t *the_row(const char *kind, const char *to)
{
    json_t *rows = outbox(), *found[4];
    size_t n = rows_for(rows, kind, to, found, 4);
    if (n != 1) {
        print_error("expected one %s email to %s, found %zu in %s\n", kind, to ? to : "*", n,
                    json_dumps(rows, JSON_COMPACT));
        fail();
    }
    return found[0];
}

static json_t *row_by_id(int64_t id)
{
    json_t *r = jfind_id(outbox(), "", "id", id);
    if (r == NULL) {
        print_error("no outbox row %lld\n", (long long)id);
        fail();
    }
    return r;
}

/* ------------------------------------------------------------------ reading emails */

struct mail {
    struct eml e;
    char *raw;
    size_t len;
    char *subject;
    const char *text; /* decoded text/plain part */
    const char *html; /* decoded text/html part */
    char *path;
};

static void mail_free(struct mail *m)
{
    eml_free(&m->e);
    free(m->raw);
    free(m->subject);
    free(m->path);
    memset(m, 0, sizeof *m);
}

/* Parses @raw as one of passpro's emails and checks its wire format when @strict. */
static void mail_parse(struct mail *m, bool strict)
{
    assert_int_equal(eml_parse(m->raw, m->len, &m->e), 0);
    if (strict) {
        if (!m->e.crlf_only || m->e.max_line > 78) {
            print_error("%s: CRLF only %d, longest line %zu\n", m->path, m->e.crlf_only,
                        m->e.max_line);
            fail();
        }
    }
    m->subject = eml_decoded(&m->e, "Subject");
    assert_non_null(m->subject);
    assert_true(m->e.multipart);
    const struct eml_part *t = eml_part_of(&m->e, "text/plain");
    const struct eml_part *h = eml_part_of(&m->e, "text/html");
    assert_non_null(t);
    assert_non_null(h);
    assert_non_null(strstr(eml_find(t->headers, t->nheaders, "Content-Type"), "UTF-8"));
    m->text = t->body;
    m->html = h->body;
}

/* Reads <mail dir>/<id>.eml of the harness's server. */
static void load_mail(int64_t id, struct mail *m)
{
    memset(m, 0, sizeof *m);
    m->path = strdup(strf("%s/mail/%lld.eml", g_server.dir, (long long)id));
    m->raw = eml_read_file(m->path, &m->len);
    if (m->raw == NULL) {
        print_error("email %lld was not written: %s missing\n", (long long)id, m->path);
        fail();
    }
    mail_parse(m, true);
}

static bool mail_exists(int64_t id)
{
    return access(strf("%s/mail/%lld.eml", g_server.dir, (long long)id), F_OK) == 0;
}

#define assert_has(hay, needle) assert_has_at((hay), (needle), #hay, __FILE__, __LINE__)
static void assert_has_at(const char *hay, const char *needle, const char *what,
                          const char *file, int line)
{
    if (hay != NULL && strstr(hay, needle) != NULL)
        return;
    print_error("%s lacks \"%s\":\n%s\n", what, needle, hay ? hay : "(null)");
    _fail(file, line);
}

#define assert_lacks(hay, needle) assert_lacks_at((hay), (needle), #hay, __FILE__, __LINE__)
static void assert_lacks_at(const char *hay, const char *needle, const char *what,
                            const char *file, int line)
{
    if (hay == NULL || strstr(hay, needle) == NULL)
        return;
    print_error("%s has \"%s\":\n%s\n", what, needle, hay);
    _fail(file, line);
}

/* The address of header @name ("To", "Reply-To"...), malloc'd, NULL when absent. */
static char *addr_of(const struct mail *m, const char *name)
{
    return eml_address(eml_get(&m->e, name));
}

static void assert_addr(const struct mail *m, const char *header, const char *want)
{
    char *a = addr_of(m, header);
    if (a == NULL || strcasecmp(a, want) != 0) {
        print_error("%s: %s is %s, expected %s\n", m->path, header, a ? a : "(none)", want);
        free(a);
        fail();
    }
    free(a);
}

static bool have_python(void)
{
    static int known = -1;
    if (known < 0)
        known = system("command -v python3 >/dev/null 2>&1") == 0;
    return known == 1;
}

/*
 * A second, unrelated reader: Python's email package with its strict policy parses @path and
 * prints its decoded Subject; NULL when python3 is missing.
 */
static const char *python_subject(const char *path)
{
    if (!have_python())
        return NULL;
    const char *cmd = strf(
        "python3 -c 'import sys, email; from email import policy; "
        "m = email.message_from_binary_file(open(sys.argv[1], \"rb\"), policy=policy.strict); "
        "[p.get_content() for p in m.walk() if p.get_content_maintype() == \"text\"]; "
        "sys.stdout.write(str(m[\"Subject\"]))' '%s' 2>&1",
        path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char buf[1024];
    size_t n = fread(buf, 1, sizeof buf - 1, p);
    buf[n] = '\0';
    int rc = pclose(p);
    if (rc != 0) {
        print_error("python could not parse %s: %s\n", path, buf);
        fail();
    }
    return strf("%s", buf);
}

/* ------------------------------------------------------------------ fixtures */

struct structure {
    int64_t offerer, venue;
    const char *siren;
};

/* @c registers a new structure; the admin validates it when @validate. */
static struct structure structure_for(struct client *c, bool validate)
{
    struct structure s = {.siren = new_siren()};
    struct resp r = http_json(c, "POST", "/api/v1/offerers",
                              json_pack("{s:s, s:s, s:s, s:s, s:s}", "siret", siret_of(s.siren, 1),
                                        "name", "Musée des Beaux-Arts", "street",
                                        "1 rue de la Paix", "postalCode", "75001", "city",
                                        "Paris"));
    assert_status(r, 201);
    s.offerer = jint(r.json, "offerer.id");
    s.venue = jint(r.json, "venue.id");
    if (validate)
        assert_status(http_request(admin, "POST",
                                   strf("/api/v1/admin/offerers/%lld/validate",
                                        (long long)s.offerer),
                                   NULL),
                      200);
    return s;
}

static void set_venue_email(struct client *pro, int64_t venue, const char *email)
{
    assert_status(http_json(pro, "PATCH", strf("/api/v1/venues/%lld", (long long)venue),
                            json_pack("{s:s}", "bookingEmail", email)),
                  200);
}

struct spec {
    const char *sub;
    const char *name;
    const char *booking_email; /* the offer's own, or NULL */
    const char *label;         /* events: the tariff */
    bool duo;
    int64_t price;
    int64_t start; /* events; 0 for things */
};

struct item {
    struct client *pro;
    int64_t offer, stock, pc;
    long publish_status;
};

static struct item make(struct client *pro, int64_t venue, struct spec s)
{
    struct item it = {.pro = pro};
    json_t *body = json_pack("{s:I, s:s, s:s, s:b, s:b, s:b, s:b}", "venueId", (json_int_t)venue,
                             "name", s.name, "subcategoryId", s.sub, "audioDisabilityCompliant", 1,
                             "mentalDisabilityCompliant", 1, "motorDisabilityCompliant", 0,
                             "visualDisabilityCompliant", 0);
    if (s.duo)
        json_object_set_new(body, "isDuo", json_true());
    if (s.booking_email)
        json_object_set_new(body, "bookingEmail", json_string(s.booking_email));
    struct resp r = http_json(pro, "POST", "/api/v1/offers", body);
    assert_status(r, 201);
    it.offer = jint(r.json, "id");
    if (s.start != 0) {
        r = http_json(pro, "POST",
                      strf("/api/v1/offers/%lld/price-categories", (long long)it.offer),
                      json_pack("{s:s, s:I}", "label", s.label ? s.label : "Tarif unique",
                                "priceCents", (json_int_t)s.price));
        assert_status(r, 201);
        it.pc = jint(r.json, "id");
        r = http_json(pro, "POST", strf("/api/v1/offers/%lld/stocks", (long long)it.offer),
                      json_pack("{s:I, s:s, s:n}", "priceCategoryId", (json_int_t)it.pc,
                                "beginningDatetime", iso(s.start), "quantity"));
    } else {
        r = http_json(pro, "POST", strf("/api/v1/offers/%lld/stocks", (long long)it.offer),
                      json_pack("{s:I, s:n}", "priceCents", (json_int_t)s.price, "quantity"));
    }
    assert_status(r, 201);
    it.stock = jint(r.json, "id");
    r = http_request(pro, "POST", strf("/api/v1/offers/%lld/publish", (long long)it.offer), NULL);
    assert_status(r, 200);
    return it;
}

/* A beneficiary of 18 with these names and phone, logged in. */
static struct client *named_beneficiary(const char *first, const char *last, const char *phone,
                                        long *status)
{
    const char *email = unique_email("jeune");
    json_t *body = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "email", email, "password",
                             TEST_PASSWORD, "firstName", first, "lastName", last, "birthDate",
                             "2008-06-01", "postalCode", "75011");
    if (phone)
        json_object_set_new(body, "phone", json_string(phone));
    struct resp r = http_json(admin, "POST", "/api/v1/admin/beneficiaries", body);
    if (status != NULL)
        *status = r.status;
    if (r.status != 201) {
        if (status == NULL)
            assert_status(r, 201);
        return NULL;
    }
    struct client *c = client_new();
    client_login(c, email, TEST_PASSWORD);
    return c;
}

static struct client *beneficiary(void)
{
    return beneficiary_new(admin, "ben", "2008-06-01", false);
}

/* Books (201) and returns the answer. */
static json_t *book(struct client *c, int64_t stock, int quantity)
{
    struct resp r = http_request(c, "POST", "/api/v1/bookings",
                                 strf("{\"stockId\":%lld,\"quantity\":%d}", (long long)stock,
                                      quantity));
    assert_status(r, 201);
    return r.json;
}

/* ------------------------------------------------------------------ group "mail_dir" */

static int mail_dir_setup(void **state)
{
    if (harness_group_setup(state) != 0)
        return -1;
    set_clock(NOW);
    admin = admin_new("admin");
    alice = pro_new("alice");
    return 0;
}

static void test_booking_emails_to_venue_and_beneficiary(void **state)
{
    (void)state;
    struct structure s = structure_for(alice, true);
    const char *venue_email = unique_email("accueil-musee");
    const char *offer_email = unique_email("billetterie");
    set_venue_email(alice, s.venue, venue_email);
    /* 2027-01-09 14:00 UTC: 15:00 in Paris. */
    struct item it = make(alice, s.venue,
                          (struct spec){.sub = "VISITE_GUIDEE",
                                        .name = "Visite guidée : les impressionnistes",
                                        .booking_email = offer_email,
                                        .label = "Plus de 18 ans",
                                        .price = 1200,
                                        .start = t0() + 5 * DAY + 6 * HOUR});
    struct client *ines = named_beneficiary("Inès", "Laurent-Müller", "0612345678", NULL);
    json_t *b = book(ines, it.stock, 1);
    const char *token = jstr(b, "token");
    assert_non_null(token);
    run_jobs();

    /* The venue's very first booking: the welcome version, to the venue's booking email. */
    json_t *row = the_row("VENUE_FIRST_BOOKING", venue_email);
    assert_jstr(row, "status", "SENT");
    assert_jstr(row, "replyTo", ines->email);
    assert_int_equal(rows_for(outbox(), "VENUE_NEW_BOOKING", offer_email, NULL, 0), 0);
    struct mail m;
    load_mail(jint(row, "id"), &m);
    assert_addr(&m, "To", venue_email);
    assert_addr(&m, "From", "no-reply@passpro.localhost");
    assert_addr(&m, "Reply-To", ines->email);
    char *reply = eml_decoded(&m.e, "Reply-To");
    assert_has(reply, "Inès Laurent-Müller");
    free(reply);
    assert_string_equal(m.subject,
                        "Votre première réservation sur le pass Culture : Visite guidée : les "
                        "impressionnistes");
    const char *py = python_subject(m.path);
    if (py != NULL)
        assert_string_equal(py, m.subject);
    assert_int_equal(eml_count(&m.e, "Message-ID"), 1);
    assert_int_equal(eml_count(&m.e, "Date"), 1);
    assert_string_equal(eml_get(&m.e, "MIME-Version"), "1.0");
    assert_string_equal(eml_get(&m.e, "X-Passpro-Kind"), "VENUE_FIRST_BOOKING");
    const char *want[] = {"Inès", "Laurent-Müller", ines->email, "12 34 56 78", token,
                          "Visite guidée : les impressionnistes", "Plus de 18 ans", "12,00",
                          "Quantité : 1", "09/01/2027", "15h00",
                          "vous devez valider la contremarque pour être remboursé"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        /* The phone may be stored formatted or not: compare its last digits. */
        if (strcmp(want[i], "12 34 56 78") == 0) {
            assert_true(strstr(m.text, "12 34 56 78") != NULL ||
                        strstr(m.text, "12345678") != NULL);
            continue;
        }
        assert_has(m.text, want[i]);
        if (strncmp(want[i], "Quantité", 8) != 0)
            assert_has(m.html, want[i]);
    }
    char *mid_first = strdup(eml_get(&m.e, "Message-ID"));
    mail_free(&m);

    /* The beneficiary's confirmation with the countermark. */
    row = the_row("BENEFICIARY_BOOKING_CONFIRMATION", ines->email);
    assert_jstr(row, "status", "SENT");
    load_mail(jint(row, "id"), &m);
    assert_addr(&m, "To", ines->email);
    assert_int_equal(eml_count(&m.e, "Reply-To"), 0);
    assert_string_equal(m.subject, "Ta réservation pour Visite guidée : les impressionnistes est "
                                   "confirmée");
    assert_has(m.text, "Bonjour Inès");
    assert_has(m.text, token);
    assert_has(m.html, token);
    assert_has(m.text, "09/01/2027 à 15h00");
    assert_string_not_equal(eml_get(&m.e, "Message-ID"), mid_first);
    mail_free(&m);

    /* The next booking: the ordinary notification, to the offer's booking email. */
    struct client *lou = beneficiary();
    const char *token2 = jstr(book(lou, it.stock, 1), "token");
    run_jobs();
    row = the_row("VENUE_NEW_BOOKING", offer_email);
    load_mail(jint(row, "id"), &m);
    assert_string_equal(m.subject,
                        "Nouvelle réservation pour Visite guidée : les impressionnistes");
    assert_addr(&m, "Reply-To", lou->email);
    assert_has(m.text, "Lou");
    assert_has(m.text, "Martin");
    assert_has(m.text, lou->email);
    assert_has(m.text, token2);
    assert_string_not_equal(eml_get(&m.e, "Message-ID"), mid_first);
    mail_free(&m);
    free(mid_first);
}

/* Direct write to the server's database: the API never lets a venue lose its booking email. */
static void clear_venue_email(int64_t venue)
{
    struct pp_db *db;
    char msg[256];
    assert_int_equal(pp_db_open(g_server.db_url, &db, msg, sizeof msg), PP_OK);
    struct pp_stmt *st = pp_db_prepare(db, "UPDATE venue SET booking_email = NULL WHERE id = ?");
    assert_non_null(st);
    pp_stmt_bind_int(st, 1, venue);
    assert_int_equal(pp_stmt_step(st), PP_STEP_DONE);
    pp_stmt_done(st);
    pp_db_close(db);
}

static void test_venue_without_booking_email_gets_nothing(void **state)
{
    (void)state;
    struct client *bob = pro_new("bob");
    struct structure s = structure_for(bob, true);
    clear_venue_email(s.venue);
    struct item it = make(bob, s.venue,
                          (struct spec){.sub = "VISITE", .name = "Entrée libre", .price = 0,
                                        .start = t0() + 3 * DAY});
    size_t before = json_array_size(outbox());
    struct client *c = beneficiary();
    book(c, it.stock, 1);
    run_jobs();
    json_t *rows = outbox();
    /* One email only: the beneficiary's confirmation. */
    assert_int_equal(json_array_size(rows), before + 1);
    json_t *row = the_row("BENEFICIARY_BOOKING_CONFIRMATION", c->email);
    assert_jstr(row, "status", "SENT");
    assert_true(mail_exists(jint(row, "id")));
    assert_int_equal(rows_for(rows, "VENUE_FIRST_BOOKING", bob->email, NULL, 0), 0);
    assert_int_equal(rows_for(rows, "VENUE_NEW_BOOKING", bob->email, NULL, 0), 0);
}

static void test_thing_duo_and_free_bookings(void **state)
{
    (void)state;
    struct structure s = structure_for(alice, true);
    const char *venue_email = unique_email("lieu");
    set_venue_email(alice, s.venue, venue_email);
    struct item card = make(alice, s.venue,
                            (struct spec){.sub = "CARTE_MUSEE", .name = "Carte Musées (1 an)",
                                          .duo = true, .price = 2000});
    struct client *c = beneficiary();
    book(c, card.stock, 2);
    run_jobs();
    struct mail m;
    load_mail(jint(the_row("VENUE_FIRST_BOOKING", venue_email), "id"), &m);
    assert_has(m.text, "Quantité : 2 (réservation Duo)");
    assert_has(m.text, "20,00");
    assert_has(m.text, "40,00");
    assert_has(m.text, "30 jours pour retirer");
    assert_lacks(m.text, "Heure :");
    assert_has(m.text, "pour être remboursé");
    mail_free(&m);

    struct item free_visit = make(alice, s.venue,
                                  (struct spec){.sub = "VISITE", .name = "Visite libre",
                                                .price = 0, .start = t0() + 2 * DAY});
    struct client *d = beneficiary();
    book(d, free_visit.stock, 1);
    run_jobs();
    load_mail(jint(the_row("VENUE_NEW_BOOKING", venue_email), "id"), &m);
    assert_has(m.text, "Prix : Gratuit");
    assert_has(m.html, "Gratuit");
    assert_lacks(m.text, "pour être remboursé");
    assert_lacks(m.text, "jours pour retirer");
    mail_free(&m);
}

static void test_no_header_injection_through_names_and_titles(void **state)
{
    (void)state;
    struct structure s = structure_for(alice, true);
    const char *venue_email = unique_email("injection");
    set_venue_email(alice, s.venue, venue_email);
    /* A title with a line break is refused at input; if it ever passes, it is harmless. */
    json_t *body = json_pack("{s:I, s:s, s:s, s:b, s:b, s:b, s:b}", "venueId", (json_int_t)s.venue,
                             "name", "Visite\r\nBcc: pirate@example.com", "subcategoryId",
                             "VISITE", "audioDisabilityCompliant", 1, "mentalDisabilityCompliant",
                             1, "motorDisabilityCompliant", 0, "visualDisabilityCompliant", 0);
    struct resp r = http_json(alice, "POST", "/api/v1/offers", body);
    assert_true(r.status == 201 || (r.status >= 400 && r.status < 500));
    /* Names and titles with quotes, angle brackets, commas and HTML. */
    const char *title = "<b>Nuit</b> \"au\" musée, <pirate@example.com> & co";
    struct item it = make(alice, s.venue,
                          (struct spec){.sub = "VISITE", .name = title, .price = 500,
                                        .start = t0() + 4 * DAY});
    long st;
    struct client *c = named_beneficiary("Zoé\r\nBcc: pirate@example.com", "Dupont", NULL, &st);
    if (c == NULL)
        c = named_beneficiary("Zoé \"<pirate@example.com>\",", "Dupont <b>, pirate2@example.com",
                              NULL, NULL);
    book(c, it.stock, 1);
    run_jobs();
    json_t *rows = outbox(), *found[2];
    assert_int_equal(rows_for(rows, "VENUE_FIRST_BOOKING", venue_email, found, 2), 1);
    struct mail m;
    load_mail(jint(found[0], "id"), &m);
    assert_int_equal(eml_count(&m.e, "Bcc"), 0);
    assert_int_equal(eml_count(&m.e, "Cc"), 0);
    assert_int_equal(eml_count(&m.e, "To"), 1);
    assert_int_equal(eml_count(&m.e, "Reply-To"), 1);
    assert_int_equal(eml_count(&m.e, "Subject"), 1);
    assert_addr(&m, "To", venue_email);
    assert_addr(&m, "Reply-To", c->email);
    assert_has(m.subject, "<b>Nuit</b> \"au\" musée, <pirate@example.com> & co");
    assert_lacks(m.subject, "\n");
    assert_has(m.text, title);
    assert_lacks(m.html, "<b>Nuit</b>");
    assert_has(m.html, "&lt;b&gt;Nuit&lt;/b&gt;");
    assert_lacks(m.html, "<pirate@example.com>");
    assert_int_equal(m.e.nparts, 2);
    mail_free(&m);
    /* The beneficiary's side too. */
    load_mail(jint(the_row("BENEFICIARY_BOOKING_CONFIRMATION", c->email), "id"), &m);
    assert_int_equal(eml_count(&m.e, "Bcc"), 0);
    assert_int_equal(eml_count(&m.e, "To"), 1);
    assert_addr(&m, "To", c->email);
    mail_free(&m);
}

static void test_cancellations_and_date_change(void **state)
{
    (void)state;
    struct structure s = structure_for(alice, true);
    const char *venue_email = unique_email("annulations");
    set_venue_email(alice, s.venue, venue_email);
    struct item it = make(alice, s.venue,
                          (struct spec){.sub = "CONFERENCE", .name = "Conférence : Monet",
                                        .price = 800, .start = t0() + 5 * DAY});
    /* The beneficiary cancels: the venue hears it, and can answer the beneficiary. */
    struct client *a = beneficiary();
    int64_t booking = jint(book(a, it.stock, 1), "id");
    assert_status(http_request(a, "POST", strf("/api/v1/bookings/%lld/cancel", (long long)booking),
                               NULL),
                  200);
    /* The venue cancels: the beneficiary hears it. */
    struct client *b = beneficiary();
    int64_t booking_b = jint(book(b, it.stock, 1), "id");
    assert_status(http_request(alice, "POST",
                               strf("/api/v1/pro/bookings/%lld/cancel", (long long)booking_b),
                               NULL),
                  200);
    /* The venue moves the date: the beneficiaries still booked hear it. */
    struct client *c = beneficiary();
    const char *token_c = jstr(book(c, it.stock, 1), "token");
    assert_status(http_json(alice, "PATCH", strf("/api/v1/stocks/%lld", (long long)it.stock),
                            json_pack("{s:s}", "beginningDatetime",
                                      iso(t0() + 6 * DAY + 8 * HOUR))),
                  200);
    run_jobs();

    struct mail m;
    load_mail(jint(the_row("VENUE_BOOKING_CANCELLED_BY_BENEFICIARY", venue_email), "id"), &m);
    assert_addr(&m, "Reply-To", a->email);
    assert_has(m.subject, "Conférence : Monet");
    assert_has(m.text, a->email);
    assert_has(m.text, "Lou Martin");
    mail_free(&m);

    load_mail(jint(the_row("BENEFICIARY_BOOKING_CANCELLED_BY_OFFERER", b->email), "id"), &m);
    assert_addr(&m, "To", b->email);
    assert_string_equal(m.subject, "Ta réservation pour Conférence : Monet a été annulée");
    assert_has(m.text, "annulée par l'acteur culturel");
    assert_has(m.text, "recrédité");
    mail_free(&m);

    /* 2027-01-10 16:00 UTC is 17:00 in Paris. */
    load_mail(jint(the_row("BENEFICIARY_EVENT_MOVED", c->email), "id"), &m);
    assert_string_equal(m.subject, "Changement de date pour Conférence : Monet");
    assert_has(m.text, "10/01/2027 à 17h00");
    assert_has(m.text, token_c);
    mail_free(&m);
    assert_int_equal(rows_for(outbox(), "BENEFICIARY_EVENT_MOVED", a->email, NULL, 0), 0);
}

static void test_back_office_decisions(void **state)
{
    (void)state;
    /* A structure waiting for validation: its offer waits for review. */
    struct client *nina = pro_new("nina");
    struct structure sn = structure_for(nina, false);
    struct item pending = make(nina, sn.venue,
                               (struct spec){.sub = "VISITE", .name = "Visite en attente",
                                             .price = 0, .start = t0() + 3 * DAY});
    assert_status(http_request(admin, "POST",
                               strf("/api/v1/admin/offers/%lld/approve", (long long)pending.offer),
                               NULL),
                  200);
    assert_status(http_request(admin, "POST",
                               strf("/api/v1/admin/offerers/%lld/validate", (long long)sn.offerer),
                               NULL),
                  200);
    /* An approved offer with a booking, then rejected: the booking is cancelled (fraud). */
    struct structure sa = structure_for(alice, true);
    const char *venue_email = unique_email("moderation");
    set_venue_email(alice, sa.venue, venue_email);
    struct item bad = make(alice, sa.venue,
                           (struct spec){.sub = "VISITE", .name = "Offre à retirer", .price = 300,
                                         .start = t0() + 3 * DAY});
    struct client *c = beneficiary();
    book(c, bad.stock, 1);
    assert_status(http_request(admin, "POST",
                               strf("/api/v1/admin/offers/%lld/reject", (long long)bad.offer),
                               NULL),
                  200);
    /* A request to join alice's structure, accepted. */
    struct client *joiner = pro_new("rejoint");
    struct resp r = http_json(joiner, "POST", "/api/v1/offerers",
                              json_pack("{s:s}", "siret", siret_of(sa.siren, 2)));
    assert_status(r, 201);
    int64_t attachment = jint(r.json, "attachment.id");
    assert_true(attachment > 0);
    assert_status(http_request(admin, "POST",
                               strf("/api/v1/admin/attachments/%lld/validate",
                                    (long long)attachment),
                               NULL),
                  200);
    run_jobs();

    struct mail m;
    load_mail(jint(the_row("OFFER_APPROVED", nina->email), "id"), &m);
    assert_string_equal(m.subject, "Votre offre « Visite en attente » a été validée");
    assert_has(m.text, strf("/offres/%lld", (long long)pending.offer));
    mail_free(&m);

    load_mail(jint(the_row("OFFERER_VALIDATED", nina->email), "id"), &m);
    assert_string_equal(m.subject, "Votre structure Musée des Beaux-Arts a été validée");
    assert_has(m.text, sn.siren);
    assert_has(m.text, "Bonjour Camille");
    mail_free(&m);

    load_mail(jint(the_row("OFFER_REJECTED", venue_email), "id"), &m);
    assert_string_equal(m.subject, "Votre offre « Offre à retirer » a été refusée");
    assert_has(m.text, "1 réservation(s)");
    mail_free(&m);

    load_mail(jint(the_row("BENEFICIARY_BOOKING_CANCELLED_BY_OFFERER", c->email), "id"), &m);
    assert_has(m.text, "retirée du pass Culture");
    mail_free(&m);

    load_mail(jint(the_row("ATTACHMENT_VALIDATED", joiner->email), "id"), &m);
    assert_has(m.subject, "Musée des Beaux-Arts");
    assert_has(m.text, "acceptée");
    mail_free(&m);
}

/* The CSRF token of a page. */
static const char *csrf_of(const char *html)
{
    const char *p = strstr(html, "name=\"csrf\" value=\"");
    assert_non_null(p);
    p += strlen("name=\"csrf\" value=\"");
    return strf("%.*s", (int)strcspn(p, "\""), p);
}

static void test_unwritable_mail_dir_backs_off_then_fails_and_resend(void **state)
{
    (void)state;
    /* The mail folder becomes a file: every write fails. */
    const char *dir = strf("%s/mail", g_server.dir), *saved = strf("%s/mail.saved", g_server.dir);
    assert_int_equal(rename(dir, saved), 0);
    FILE *f = fopen(dir, "w");
    assert_non_null(f);
    fclose(f);

    struct structure s = structure_for(alice, true);
    struct item it = make(alice, s.venue,
                          (struct spec){.sub = "VISITE", .name = "Visite sans courriel",
                                        .price = 0, .start = t0() + 3 * DAY});
    struct client *c = beneficiary();
    book(c, it.stock, 1);
    run_jobs();
    json_t *row = the_row("BENEFICIARY_BOOKING_CONFIRMATION", c->email);
    int64_t id = jint(row, "id");
    assert_jstr(row, "status", "PENDING");
    assert_int_equal(jint(row, "attempts"), 1);
    assert_has(jstr(row, "lastError"), "impossible");
    int64_t first = epoch(jstr(row, "createdAt"));
    int64_t next = epoch(jstr(row, "nextAttemptAt"));
    assert_true(next - first >= 55 && next - first <= 65); /* 1 min */

    /* Before the back-off ends nothing is tried; after it, one more attempt each time. */
    run_jobs();
    assert_int_equal(jint(row_by_id(id), "attempts"), 1);
    int64_t prev_wait = 0;
    for (int attempt = 2; attempt <= MAX_ATTEMPTS; attempt++) {
        set_clock(iso(next));
        run_jobs();
        row = row_by_id(id);
        assert_int_equal(jint(row, "attempts"), attempt);
        if (attempt == MAX_ATTEMPTS) {
            assert_jstr(row, "status", "FAILED");
            break;
        }
        assert_jstr(row, "status", "PENDING");
        int64_t n = epoch(jstr(row, "nextAttemptAt"));
        assert_true(n - next + 2 >= prev_wait); /* never shorter: exponential, then capped */
        prev_wait = n - next;
        next = n;
    }
    /* About a day after the first attempt. */
    assert_true(next - first >= 22 * HOUR && next - first <= 26 * HOUR);
    assert_false(mail_exists(id));

    /* The back office shows it, with its error, and sends it again. */
    struct resp page = http_request(admin, "GET", "/backoffice/emails", NULL);
    assert_status(page, 200);
    assert_has(page.body, "En échec");
    assert_has(page.body, strf("id=\"courriel-%lld\"", (long long)id));
    assert_has(page.body, "impossible");
    assert_has(page.body, c->email);
    assert_has(page.body, "Renvoyer");
    assert_status(http_request(pro_new("curieux"), "GET", "/backoffice/emails", NULL), 403);

    assert_int_equal(unlink(dir), 0);
    assert_int_equal(rename(saved, dir), 0);
    struct resp r = http_form(admin, strf("/backoffice/emails/%lld/renvoyer", (long long)id),
                              strf("csrf=%s", csrf_of(page.body)));
    assert_status(r, 303);
    assert_jstr(row_by_id(id), "status", "PENDING");
    /* Twice is a conflict: it is no longer failed. */
    assert_status(http_form(admin, strf("/backoffice/emails/%lld/renvoyer", (long long)id),
                            strf("csrf=%s", csrf_of(page.body))),
                  409);
    run_jobs();
    assert_jstr(row_by_id(id), "status", "SENT");
    struct mail m;
    load_mail(id, &m);
    assert_addr(&m, "To", c->email);
    mail_free(&m);
    /* The emails that failed beside it (the venue's, the structure's) are sent again too,
     * and those still waiting go when their back-off ends. */
    json_t *rows = outbox();
    size_t i;
    json_array_foreach(rows, i, row)
    {
        if (strcmp(jstr(row, "status"), "FAILED") == 0)
            assert_status(http_form(admin,
                                    strf("/backoffice/emails/%lld/renvoyer",
                                         (long long)jint(row, "id")),
                                    strf("csrf=%s", csrf_of(page.body))),
                          303);
    }
    set_clock(iso(next + 5 * HOUR));
    run_jobs();
    json_array_foreach(outbox(), i, row) assert_jstr(row, "status", "SENT");
    page = http_request(admin, "GET", "/backoffice/emails", NULL);
    assert_has(page.body, "Aucun courriel en échec.");
    assert_has(page.body, "Aucun courriel en attente.");
}

static void test_expiry_reminder_and_expiry(void **state)
{
    (void)state;
    struct structure s = structure_for(alice, true);
    const char *venue_email = unique_email("librairie");
    set_venue_email(alice, s.venue, venue_email);
    struct item book_item = make(alice, s.venue,
                                 (struct spec){.sub = "LIVRE_PAPIER", .name = "Les Misérables",
                                               .price = 900});
    struct client *c = beneficiary();
    const char *token = jstr(book(c, book_item.stock, 1), "token");
    run_jobs();
    struct mail m;
    load_mail(jint(the_row("VENUE_FIRST_BOOKING", venue_email), "id"), &m);
    assert_has(m.text, "10 jours pour retirer");
    mail_free(&m);
    /* Books: a reminder 5 days before the 10 days end, then the expiry (both sides). */
    set_clock(iso(t0() + 6 * DAY));
    run_jobs();
    load_mail(jint(the_row("BENEFICIARY_BOOKING_EXPIRY_REMINDER", c->email), "id"), &m);
    assert_has(m.subject, "Les Misérables");
    assert_has(m.text, token);
    assert_has(m.text, "14/01/2027");
    mail_free(&m);
    set_clock(iso(t0() + 11 * DAY));
    run_jobs();
    load_mail(jint(the_row("BENEFICIARY_BOOKING_EXPIRED", c->email), "id"), &m);
    assert_string_equal(m.subject, "Ta réservation pour Les Misérables a expiré");
    mail_free(&m);
    load_mail(jint(the_row("VENUE_BOOKING_EXPIRED", venue_email), "id"), &m);
    assert_has(m.text, c->email);
    assert_has(m.text, token);
    mail_free(&m);
}

/* After the tests above: every row sent, every kind seen, every file a sound email. */
static void test_every_kind_renders(void **state)
{
    (void)state;
    static const char *kinds[] = {
        "VENUE_NEW_BOOKING", "VENUE_FIRST_BOOKING", "BENEFICIARY_BOOKING_CONFIRMATION",
        "VENUE_BOOKING_CANCELLED_BY_BENEFICIARY", "BENEFICIARY_BOOKING_CANCELLED_BY_OFFERER",
        "BENEFICIARY_EVENT_MOVED", "BENEFICIARY_BOOKING_EXPIRY_REMINDER",
        "BENEFICIARY_BOOKING_EXPIRED", "VENUE_BOOKING_EXPIRED", "OFFER_APPROVED",
        "OFFER_REJECTED", "OFFERER_VALIDATED", "ATTACHMENT_VALIDATED"};
    json_t *rows = outbox();
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
        if (rows_for(rows, kinds[k], NULL, NULL, 0) == 0) {
            print_error("no %s email in the outbox\n", kinds[k]);
            fail();
        }
    size_t i;
    json_t *row;
    size_t n = json_array_size(rows);
    char **ids = calloc(n, sizeof *ids);
    json_array_foreach(rows, i, row)
    {
        if (strcmp(jstr(row, "status"), "SENT") != 0) {
            print_error("email not sent: %s\n", json_dumps(row, JSON_COMPACT));
            fail();
        }
        struct mail m;
        load_mail(jint(row, "id"), &m);
        assert_string_equal(eml_get(&m.e, "X-Passpro-Kind"), jstr(row, "kind"));
        assert_addr(&m, "To", jstr(row, "to"));
        assert_true(strlen(m.subject) > 10);
        assert_lacks(m.subject, "{{");
        assert_lacks(m.text, "{{");
        assert_lacks(m.html, "{{");
        assert_has(m.html, "<html lang=\"fr\">");
        /* Python (a process per email, ~0.15 s each) reads the first email of each kind: the
         * subject's encoding depends on the template, not on the row. */
        bool first_of_kind = true;
        for (size_t j = 0; j < i; j++)
            if (strcmp(jstr(json_array_get(rows, j), "kind"), jstr(row, "kind")) == 0)
                first_of_kind = false;
        const char *py = first_of_kind ? python_subject(m.path) : NULL;
        if (py != NULL)
            assert_string_equal(py, m.subject);
        ids[i] = strdup(eml_get(&m.e, "Message-ID"));
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(ids[j], ids[i]);
        mail_free(&m);
    }
    for (i = 0; i < n; i++)
        free(ids[i]);
    free(ids);
}

/* ------------------------------------------------------------------ group "smtp" */

struct sink {
    pid_t pid;
    int port;
    char dir[300]; /* where it dumps each message */
};

static struct sink g_sink;
static struct server g_second; /* another server on the same database */
static int g_smtp_port;

static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0)
        return -1;
    socklen_t len = sizeof a;
    getsockname(fd, (struct sockaddr *)&a, &len);
    close(fd);
    return ntohs(a.sin_port);
}

static bool port_open(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
                            .sin_port = htons((uint16_t)port)};
    bool ok = fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
    if (fd >= 0)
        close(fd);
    return ok;
}

static void sleep_ms(int ms)
{
    struct timespec t = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

/* Starts smtp-sink on @port dumping into @dir, with extra options @opt/@arg (may be NULL). */
static int sink_start(struct sink *s, int port, const char *opt, const char *arg)
{
    s->port = port;
    mkdir(s->dir, 0700);
    char tmpl[400];
    snprintf(tmpl, sizeof tmpl, "%s/%%Y%%m%%d%%H%%M%%S.", s->dir);
    char addr[64];
    snprintf(addr, sizeof addr, "127.0.0.1:%d", port);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        int devnull = open("/dev/null", O_WRONLY);
        if (devnull >= 0) {
            dup2(devnull, STDOUT_FILENO);
            dup2(devnull, STDERR_FILENO);
        }
        char *argv[16];
        int n = 0;
        argv[n++] = SMTP_SINK;
        if (getuid() == 0) { /* it refuses to run as root without a user to switch to */
            argv[n++] = "-u";
            argv[n++] = "root";
        }
        argv[n++] = "-d";
        argv[n++] = tmpl;
        if (opt != NULL) {
            argv[n++] = (char *)opt;
            if (arg != NULL)
                argv[n++] = (char *)arg;
        }
        argv[n++] = addr;
        argv[n++] = "100";
        argv[n] = NULL;
        execv(SMTP_SINK, argv);
        _exit(127);
    }
    s->pid = pid;
    for (int i = 0; i < 250; i++) {
        if (port_open(port))
            return 0;
        sleep_ms(20);
    }
    fprintf(stderr, "smtp-sink did not listen on %d\n", port);
    return -1;
}

static void sink_stop(struct sink *s)
{
    if (s->pid <= 0)
        return;
    kill(s->pid, SIGTERM);
    waitpid(s->pid, NULL, 0);
    s->pid = 0;
    for (int i = 0; i < 250 && port_open(s->port); i++)
        sleep_ms(20);
}

/* Reads the server's stdout until it says where it listens. */
static int wait_listening(int fd)
{
    char buf[4096];
    size_t len = 0;
    const char *prefix = "passpro: à l'écoute sur http://127.0.0.1:";
    for (int waited = 0; waited < 10000;) {
        buf[len] = '\0';
        char *hit = strstr(buf, prefix);
        if (hit != NULL && strchr(hit, '\n') != NULL)
            return (int)strtol(hit + strlen(prefix), NULL, 10);
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int rc = poll(&p, 1, 100);
        waited += 100;
        if (rc <= 0)
            continue;
        ssize_t n = read(fd, buf + len, sizeof buf - 1 - len);
        if (n <= 0)
            return -1;
        len += (size_t)n;
        if (len + 1 >= sizeof buf)
            return -1;
    }
    return -1;
}

/*
 * Starts `passpro serve --smtp smtp://127.0.0.1:@smtp_port --test-clock` on the database of
 * @db_from (another server) or on a new one in a new folder.
 */
static int smtp_server_start(struct server *s, const struct server *db_from, int smtp_port)
{
    memset(s, 0, sizeof *s);
    s->out_fd = -1;
    const char *tmp = getenv("TMPDIR");
    snprintf(s->dir, sizeof s->dir, "%s/passpro-mail-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (mkdtemp(s->dir) == NULL)
        return -1;
    if (db_from != NULL)
        snprintf(s->db_url, sizeof s->db_url, "%s", db_from->db_url);
    else if (server_new_db(s) != 0)
        return -1;
    char smtp[64], log_path[300];
    snprintf(smtp, sizeof smtp, "smtp://127.0.0.1:%d", smtp_port);
    snprintf(log_path, sizeof log_path, "%s/server.log", s->dir);
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0)
        return -1;
    const char *bin = getenv("PASSPRO_BIN");
    if (bin == NULL || *bin == '\0')
        bin = "build/passpro";
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        int log = open(log_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        dup2(fds[1], STDOUT_FILENO);
        if (log >= 0)
            dup2(log, STDERR_FILENO);
        char *argv[] = {(char *)bin, "serve", "--listen", "127.0.0.1:0", "--db", s->db_url,
                        "--smtp", smtp, "--mail-from", "Pass Culture Pro <pro@passpro.localhost>",
                        "--workers", "4", "--test-clock", "--max-connections-per-address", "0",
                        NULL};
        execv(bin, argv);
        _exit(127);
    }
    close(fds[1]);
    s->pid = pid;
    s->out_fd = fds[0];
    s->port = wait_listening(s->out_fd);
    if (s->port <= 0) {
        server_stop(s);
        server_print_log(s);
        return -1;
    }
    snprintf(s->base_url, sizeof s->base_url, "http://127.0.0.1:%d", s->port);
    return 0;
}

static int smtp_setup(void **state)
{
    (void)state;
    if (access(SMTP_SINK, X_OK) != 0) {
        fprintf(stderr, "%s missing (Debian package postfix): SMTP tests skipped\n", SMTP_SINK);
        return 0;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    g_smtp_port = free_port();
    const char *tmp = getenv("TMPDIR");
    snprintf(g_sink.dir, sizeof g_sink.dir, "%s/passpro-sink-%d", tmp && *tmp ? tmp : "/tmp",
             (int)getpid());
    if (sink_start(&g_sink, g_smtp_port, NULL, NULL) != 0)
        return -1;
    /* The harness's helpers talk to g_server: this group's server is it. */
    if (smtp_server_start(&g_server, NULL, g_smtp_port) != 0)
        return -1;
    set_clock(NOW);
    admin = admin_new("admin");
    alice = pro_new("alice");
    return 0;
}

static int smtp_teardown(void **state)
{
    sink_stop(&g_sink);
    if (g_second.pid > 0)
        server_stop(&g_second);
    server_cleanup(&g_second);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_sink.dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", g_sink.dir);
    if (g_server.pid <= 0)
        return 0;
    return harness_group_teardown(state);
}

static int smtp_test_setup(void **state)
{
    if (g_server.pid <= 0)
        skip();
    return reset_clock(state);
}

/* How many times each outbox id reached the sink; *total is every message it holds. */
static size_t sink_count(int64_t id, size_t *total)
{
    DIR *d = opendir(g_sink.dir);
    assert_non_null(d);
    size_t n = 0, all = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        size_t len;
        char *raw = eml_read_file(strf("%s/%s", g_sink.dir, de->d_name), &len);
        if (raw == NULL)
            continue;
        struct eml e;
        if (eml_parse(raw, len, &e) == 0) {
            all++;
            const char *v = eml_get(&e, "X-Passpro-Outbox-Id");
            if (v != NULL && strtoll(v, NULL, 10) == id)
                n++;
        }
        eml_free(&e);
        free(raw);
    }
    closedir(d);
    if (total)
        *total = all;
    return n;
}

/* Every row SENT, and each arrived exactly once at the sink. */
static void assert_each_delivered_once(void)
{
    json_t *rows = outbox();
    size_t i, total = 0;
    json_t *row;
    /* The sink writes each file as the message arrives: give it a moment to close them. */
    for (int tries = 0; tries < 50; tries++) {
        sink_count(0, &total);
        if (total >= json_array_size(rows))
            break;
        sleep_ms(50);
    }
    json_array_foreach(rows, i, row)
    {
        if (strcmp(jstr(row, "status"), "SENT") != 0) {
            print_error("email not sent: %s\n", json_dumps(row, JSON_COMPACT));
            fail();
        }
        size_t n = sink_count(jint(row, "id"), NULL);
        if (n != 1) {
            print_error("email %lld reached the SMTP server %zu times\n",
                        (long long)jint(row, "id"), n);
            fail();
        }
    }
    assert_int_equal(total, json_array_size(rows));
}

static void test_smtp_delivers_each_once(void **state)
{
    (void)state;
    struct structure s = structure_for(alice, true);
    struct item it = make(alice, s.venue,
                          (struct spec){.sub = "VISITE_GUIDEE", .name = "Visite guidée",
                                        .price = 1200, .start = t0() + 5 * DAY});
    struct client *c = named_beneficiary("Inès", "Laurent", "0612345678", NULL);
    const char *token = jstr(book(c, it.stock, 1), "token");
    run_jobs();
    assert_each_delivered_once();
    /* The message as the SMTP server received it. */
    json_t *row = the_row("VENUE_FIRST_BOOKING", alice->email);
    DIR *d = opendir(g_sink.dir);
    struct dirent *de;
    bool found = false;
    while ((de = readdir(d)) != NULL && !found) {
        if (de->d_name[0] == '.')
            continue;
        struct mail m = {0};
        m.path = strdup(strf("%s/%s", g_sink.dir, de->d_name));
        m.raw = eml_read_file(m.path, &m.len);
        assert_non_null(m.raw);
        assert_int_equal(eml_parse(m.raw, m.len, &m.e), 0);
        const char *v = eml_get(&m.e, "X-Passpro-Outbox-Id");
        if (v != NULL && strtoll(v, NULL, 10) == jint(row, "id")) {
            eml_free(&m.e);
            mail_parse(&m, false); /* the sink rewrites line ends as LF */
            found = true;
            /* The envelope: MAIL FROM the configured sender, RCPT TO the venue. */
            assert_has(eml_get(&m.e, "X-Mail-Args"), "<pro@passpro.localhost>");
            assert_has(eml_get(&m.e, "X-Rcpt-Args"), strf("<%s>", alice->email));
            assert_has(eml_get(&m.e, "X-Helo-Args"), "passpro.localhost");
            assert_addr(&m, "From", "pro@passpro.localhost");
            char *from = eml_decoded(&m.e, "From");
            assert_has(from, "Pass Culture Pro");
            free(from);
            assert_addr(&m, "Reply-To", c->email);
            assert_has(m.text, "Inès");
            assert_has(m.text, "Laurent");
            assert_has(m.text, c->email);
            assert_has(m.text, token);
        }
        mail_free(&m);
    }
    closedir(d);
    assert_true(found);
}

static void test_smtp_down_then_up_each_once(void **state)
{
    (void)state;
    sink_stop(&g_sink);
    struct structure s = structure_for(alice, true);
    struct item it = make(alice, s.venue,
                          (struct spec){.sub = "VISITE", .name = "Visite pendant la panne",
                                        .price = 0, .start = t0() + 5 * DAY});
    struct client *bens[5];
    beneficiaries_new(admin, "panne", "2008-06-01", 5, bens);
    for (int i = 0; i < 5; i++)
        book(bens[i], it.stock, 1);
    run_jobs();
    json_t *rows = outbox(), *row;
    size_t i, waiting = 0;
    json_array_foreach(rows, i, row)
    {
        if (strcmp(jstr(row, "status"), "SENT") == 0)
            continue;
        waiting++;
        assert_jstr(row, "status", "PENDING");
        assert_int_equal(jint(row, "attempts"), 1);
        assert_has(jstr(row, "lastError"), "SMTP");
    }
    assert_true(waiting >= 11); /* 5 bookings × 2, plus the structure's validation */

    assert_int_equal(sink_start(&g_sink, g_smtp_port, NULL, NULL), 0);
    /* Inside the back-off nothing is tried, even with the server back. */
    run_jobs();
    json_array_foreach(outbox(), i, row)
    {
        if (strcmp(jstr(row, "status"), "SENT") != 0)
            assert_int_equal(jint(row, "attempts"), 1);
    }
    set_clock(iso(t0() + 2 * 60));
    run_jobs();
    assert_each_delivered_once();
    /* Running again sends nothing more. */
    run_jobs();
    assert_each_delivered_once();
}

static void test_smtp_permanent_and_temporary_errors(void **state)
{
    (void)state;
    struct structure s = structure_for(alice, true);
    run_jobs(); /* the validation email, while all is well */
    /* The server refuses every recipient for good (550). */
    sink_stop(&g_sink);
    assert_int_equal(sink_start(&g_sink, g_smtp_port, "-f", "RCPT"), 0);
    struct item it = make(alice, s.venue,
                          (struct spec){.sub = "VISITE", .name = "Visite refusée", .price = 0,
                                        .start = t0() + 5 * DAY});
    struct client *c = beneficiary();
    book(c, it.stock, 1);
    run_jobs();
    json_t *row = the_row("BENEFICIARY_BOOKING_CONFIRMATION", c->email);
    assert_jstr(row, "status", "FAILED");
    assert_int_equal(jint(row, "attempts"), 1);
    assert_has(jstr(row, "lastError"), "réponse 5");
    int64_t failed_id = jint(row, "id");
    /* ...then for now (450): retried later, not failed. */
    sink_stop(&g_sink);
    assert_int_equal(sink_start(&g_sink, g_smtp_port, "-r", "RCPT"), 0);
    struct client *d = beneficiary();
    book(d, it.stock, 1);
    run_jobs();
    row = the_row("BENEFICIARY_BOOKING_CONFIRMATION", d->email);
    assert_jstr(row, "status", "PENDING");
    assert_int_equal(jint(row, "attempts"), 1);
    assert_has(jstr(row, "lastError"), "réponse 4");
    /* Back to normal: the temporary one arrives after its back-off, the failed one never. */
    sink_stop(&g_sink);
    assert_int_equal(sink_start(&g_sink, g_smtp_port, NULL, NULL), 0);
    set_clock(iso(t0() + 5 * 60));
    run_jobs();
    assert_jstr(the_row("BENEFICIARY_BOOKING_CONFIRMATION", d->email), "status", "SENT");
    assert_int_equal(sink_count(jint(row, "id"), NULL), 1);
    assert_jstr(row_by_id(failed_id), "status", "FAILED");
    assert_int_equal(sink_count(failed_id, NULL), 0);
    /* Resent from the back office (with the venue's, refused likewise), each arrives once. */
    struct resp page = http_request(admin, "GET", "/backoffice/emails", NULL);
    assert_status(page, 200);
    assert_has(page.body, strf("id=\"courriel-%lld\"", (long long)failed_id));
    assert_has(page.body, "réponse 5");
    size_t i;
    json_t *r;
    json_array_foreach(outbox(), i, r)
    {
        if (strcmp(jstr(r, "status"), "FAILED") == 0)
            assert_status(http_form(admin,
                                    strf("/backoffice/emails/%lld/renvoyer",
                                         (long long)jint(r, "id")),
                                    strf("csrf=%s", csrf_of(page.body))),
                          303);
    }
    run_jobs();
    assert_jstr(row_by_id(failed_id), "status", "SENT");
    assert_each_delivered_once();
}

#define RACE_BENEFICIARIES 40

static void test_two_servers_send_each_once(void **state)
{
    (void)state;
    if (g_second.pid <= 0)
        assert_int_equal(smtp_server_start(&g_second, &g_server, g_smtp_port), 0);
    struct client *second = client_new_for(&g_second);
    assert_status(http_request(second, "POST", "/api/test/clock",
                               strf("{\"now\":\"%s\"}", NOW)),
                  200);
    struct structure s = structure_for(alice, true);
    struct item it = make(alice, s.venue,
                          (struct spec){.sub = "VISITE", .name = "Visite très demandée",
                                        .price = 0, .start = t0() + 5 * DAY});
    struct client *bens[RACE_BENEFICIARIES];
    beneficiaries_new(admin, "course", "2008-06-01", RACE_BENEFICIARIES, bens);
    for (int i = 0; i < RACE_BENEFICIARIES; i++)
        book(bens[i], it.stock, 1);
    size_t waiting = 0, i;
    json_t *row;
    json_array_foreach(outbox(), i, row) waiting += strcmp(jstr(row, "status"), "SENT") != 0;
    assert_true(waiting >= 2 * RACE_BENEFICIARIES);
    /* Both servers deliver at once, each from several requests. */
    struct call calls[6];
    for (int c = 0; c < 6; c++)
        calls[c] = (struct call){c % 2 ? client_new_for(&g_second) : client_new(), "POST",
                                 "/api/test/jobs/run", NULL, {0}};
    http_parallel(calls, 6);
    int64_t sent[2] = {0, 0};
    for (int c = 0; c < 6; c++) {
        assert_status(calls[c].r, 200);
        sent[c % 2] += jint(calls[c].r.json, "emails.sent");
    }
    /* Each email counted once between them, and received once. */
    assert_int_equal(sent[0] + sent[1], waiting);
    fprintf(stderr, "two servers: %lld and %lld emails sent of %zu\n", (long long)sent[0],
            (long long)sent[1], waiting);
    assert_each_delivered_once();
    assert_true(json_array_size(outbox()) >= 2 * RACE_BENEFICIARIES);
}

struct hung {
    struct client *c;
    struct resp r;
};

static void *hung_main(void *arg)
{
    struct hung *h = arg;
    h->r = http_request(h->c, "POST", "/api/test/jobs/run", NULL);
    return NULL;
}

static void test_server_killed_while_sending(void **state)
{
    (void)state;
    if (g_second.pid <= 0)
        assert_int_equal(smtp_server_start(&g_second, &g_server, g_smtp_port), 0);
    struct client *second = client_new_for(&g_second);
    assert_status(http_request(second, "POST", "/api/test/clock",
                               strf("{\"now\":\"%s\"}", NOW)),
                  200);
    struct structure s = structure_for(alice, true);
    run_jobs();
    /* An SMTP server that takes its time before accepting the message. */
    sink_stop(&g_sink);
    assert_int_equal(sink_start(&g_sink, g_smtp_port, "-w", "15"), 0);
    struct item it = make(alice, s.venue,
                          (struct spec){.sub = "VISITE", .name = "Visite interrompue", .price = 0,
                                        .start = t0() + 5 * DAY});
    struct client *c = beneficiary();
    book(c, it.stock, 1);
    /* The second server claims the emails and hangs on the first; it is killed there. */
    struct hung h = {.c = second};
    pthread_t th;
    pthread_create(&th, NULL, hung_main, &h);
    json_t *row = NULL;
    for (int i = 0; i < 100; i++) {
        sleep_ms(50);
        row = the_row("BENEFICIARY_BOOKING_CONFIRMATION", c->email);
        if (strcmp(jstr(row, "status"), "SENDING") == 0)
            break;
    }
    assert_jstr(row, "status", "SENDING");
    kill(g_second.pid, SIGKILL);
    waitpid(g_second.pid, NULL, 0);
    g_second.pid = 0;
    close(g_second.out_fd);
    g_second.out_fd = -1;
    pthread_join(th, NULL);
    sink_stop(&g_sink);
    assert_int_equal(sink_start(&g_sink, g_smtp_port, NULL, NULL), 0);
    /* The claim holds until its lease ends; then the first server sends them, once. */
    run_jobs();
    assert_jstr(the_row("BENEFICIARY_BOOKING_CONFIRMATION", c->email), "status", "SENDING");
    set_clock(iso(t0() + LEASE_SECONDS + 60));
    run_jobs();
    assert_each_delivered_once();
    json_t *after = the_row("BENEFICIARY_BOOKING_CONFIRMATION", c->email);
    assert_int_equal(jint(after, "attempts"), 2);
}

int main(void)
{
    const struct CMUnitTest mail_dir_tests[] = {
        cmocka_unit_test_setup(test_booking_emails_to_venue_and_beneficiary, reset_clock),
        cmocka_unit_test_setup(test_venue_without_booking_email_gets_nothing, reset_clock),
        cmocka_unit_test_setup(test_thing_duo_and_free_bookings, reset_clock),
        cmocka_unit_test_setup(test_no_header_injection_through_names_and_titles, reset_clock),
        cmocka_unit_test_setup(test_cancellations_and_date_change, reset_clock),
        cmocka_unit_test_setup(test_back_office_decisions, reset_clock),
        cmocka_unit_test_setup(test_unwritable_mail_dir_backs_off_then_fails_and_resend,
                               reset_clock),
        /* Moves the clock 11 days on (sessions expire): last but one. */
        cmocka_unit_test_setup(test_expiry_reminder_and_expiry, reset_clock),
        cmocka_unit_test(test_every_kind_renders),
    };
    const struct CMUnitTest smtp_tests[] = {
        cmocka_unit_test_setup(test_smtp_delivers_each_once, smtp_test_setup),
        cmocka_unit_test_setup(test_smtp_down_then_up_each_once, smtp_test_setup),
        cmocka_unit_test_setup(test_smtp_permanent_and_temporary_errors, smtp_test_setup),
        cmocka_unit_test_setup(test_two_servers_send_each_once, smtp_test_setup),
        cmocka_unit_test_setup(test_server_killed_while_sending, smtp_test_setup),
    };
    int failed = cmocka_run_group_tests_name("mail_dir", mail_dir_tests, mail_dir_setup,
                                             harness_group_teardown);
    failed += cmocka_run_group_tests_name("smtp", smtp_tests, smtp_setup, smtp_teardown);
    return failed;
}
