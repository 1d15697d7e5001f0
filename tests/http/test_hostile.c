/*
 * Hostile input (issue 14): a structure, a venue, an offer, its tariff and a beneficiary whose
 * names, titles and descriptions are markup or spreadsheet formulas, then every page, export
 * and email that shows them, read back through the real server:
 *
 *   - pages (pro portal, Guichet look-up, back office, /app): the markup never appears raw,
 *     only escaped (and each page does show the escaped text, so the check is not vacuous);
 *   - the CSV export: a cell that starts with = + - @ (or tab, CR) is prefixed with a quote
 *     (OWASP "CSV injection"); the .xlsx holds them as strings, never as formulas (<f>);
 *   - the emails written to the mail dir: their HTML part escapes them too.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http/harness.h"
/* The reader is header-only; this test uses a part of it. */
#pragma GCC diagnostic ignored "-Wunused-function"
#include "mail_eml.h"

#define XSS "<script>alert(1)</script>\"'><img src=x onerror=alert(1)>"
#define XSS_SHORT "<script>alert(1)</script>\"'><img src=x>" /* tariffs: 50 characters */
#define XSS_ESCAPED "&lt;script&gt;alert(1)&lt;/script&gt;"
#define FORMULA "=HYPERLINK(\"http://x\")"
#define NOW "2027-03-01T09:00:00Z"
#define EVENT "2027-03-20T14:00:00Z"

static struct client *admin, *pro, *ben;
static int64_t offerer, venue, offer, offer_f, pc, stock, stock_f, booking;
static const char *token;

static int setup(void **state)
{
    if (harness_group_setup(state) != 0)
        return -1;
    set_clock(NOW);
    admin = admin_new("admin");
    pro = pro_new("pro");
    struct resp r = http_json(pro, "POST", "/api/v1/offerers",
                              json_pack("{s:s, s:s, s:s, s:s, s:s}", "siret", new_siret(), "name",
                                        XSS, "street", XSS, "postalCode", "75001", "city",
                                        "Paris"));
    assert_status(r, 201);
    offerer = jint(r.json, "offerer.id");
    r = http_request(admin, "POST", strf("/api/v1/admin/offerers/%lld/validate",
                                         (long long)offerer), NULL);
    assert_status(r, 200);
    r = http_json(pro, "POST", "/api/v1/venues",
                  json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "offererId",
                            (json_int_t)offerer, "name", XSS, "publicName", XSS, "comment", XSS,
                            "street", XSS, "postalCode", "75002", "city", "Paris",
                            "bookingEmail", "lieu@example.com", "venueType", "MUSEUM"));
    assert_status(r, 201);
    venue = jint(r.json, "id");

    /* An event offer named with markup, its tariff too; a thing offer named with a formula. */
    json_t *body = json_pack("{s:I, s:s, s:s, s:s, s:s, s:b, s:b, s:b, s:b}", "venueId",
                             (json_int_t)venue, "name", XSS, "description", XSS,
                             "withdrawalDetails", XSS, "subcategoryId", "VISITE_GUIDEE",
                             "audioDisabilityCompliant", 1, "mentalDisabilityCompliant", 1,
                             "motorDisabilityCompliant", 1, "visualDisabilityCompliant", 1);
    r = http_json(pro, "POST", "/api/v1/offers", body);
    assert_status(r, 201);
    offer = jint(r.json, "id");
    r = http_json(pro, "POST", strf("/api/v1/offers/%lld/price-categories", (long long)offer),
                  json_pack("{s:s, s:I}", "label", XSS_SHORT, "priceCents", (json_int_t)500));
    assert_status(r, 201);
    pc = jint(r.json, "id");
    r = http_json(pro, "POST", strf("/api/v1/offers/%lld/stocks", (long long)offer),
                  json_pack("{s:I, s:s, s:n}", "priceCategoryId", (json_int_t)pc,
                            "beginningDatetime", EVENT, "quantity"));
    assert_status(r, 201);
    stock = jint(r.json, "id");
    r = http_request(pro, "POST", strf("/api/v1/offers/%lld/publish", (long long)offer), NULL);
    assert_status(r, 200);
    body = json_pack("{s:I, s:s, s:s, s:b, s:b, s:b, s:b}", "venueId", (json_int_t)venue, "name",
                     FORMULA, "subcategoryId", "CARTE_MUSEE", "audioDisabilityCompliant", 1,
                     "mentalDisabilityCompliant", 1, "motorDisabilityCompliant", 1,
                     "visualDisabilityCompliant", 1);
    r = http_json(pro, "POST", "/api/v1/offers", body);
    assert_status(r, 201);
    offer_f = jint(r.json, "id");
    r = http_json(pro, "POST", strf("/api/v1/offers/%lld/stocks", (long long)offer_f),
                  json_pack("{s:I, s:n}", "priceCents", (json_int_t)700, "quantity"));
    assert_status(r, 201);
    stock_f = jint(r.json, "id");
    r = http_request(pro, "POST", strf("/api/v1/offers/%lld/publish", (long long)offer_f), NULL);
    assert_status(r, 200);

    /* The beneficiary: markup for a first name, a formula for a last name. */
    const char *email = unique_email("ben");
    r = http_json(admin, "POST", "/api/v1/admin/beneficiaries",
                  json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "email", email, "password",
                            TEST_PASSWORD, "firstName", XSS, "lastName", FORMULA, "birthDate",
                            "2008-06-01", "postalCode", "75011", "phone", "+33 6 12 34 56 78"));
    assert_status(r, 201);
    ben = client_new();
    client_login(ben, email, TEST_PASSWORD);
    r = http_request(ben, "POST", "/api/v1/bookings",
                     strf("{\"stockId\":%lld,\"quantity\":1}", (long long)stock));
    assert_status(r, 201);
    booking = jint(r.json, "id");
    token = strf("%s", jstr(r.json, "token"));
    r = http_request(ben, "POST", "/api/v1/bookings",
                     strf("{\"stockId\":%lld,\"quantity\":1}", (long long)stock_f));
    assert_status(r, 201);
    return 0;
}

/* Fails unless @html holds no raw markup of XSS; when @shown, it must show the escaped text. */
static void assert_escaped_at(const char *what, const char *html, bool shown, const char *file,
                              int line)
{
    static const char *const raw[] = {"<script>alert", "<img src=x", "\"'><", "onerror=alert(1)>"};
    for (size_t i = 0; i < sizeof raw / sizeof raw[0]; i++)
        if (strstr(html, raw[i]) != NULL) {
            print_error("%s:%d: %s shows %s unescaped\n", file, line, what, raw[i]);
            fail();
        }
    if (shown && strstr(html, XSS_ESCAPED) == NULL) {
        print_error("%s:%d: %s does not show the hostile name at all\n", file, line, what);
        fail();
    }
}
#define assert_escaped(what, html, shown) assert_escaped_at((what), (html), (shown), __FILE__, __LINE__)

static void page(struct client *c, const char *path, bool shown)
{
    struct resp r = http_request(c, "GET", path, NULL);
    assert_status(r, 200);
    assert_escaped(path, r.body, shown);
}

static void test_pro_pages(void **state)
{
    (void)state;
    page(pro, "/accueil", true);
    page(pro, "/offres", true);
    page(pro, strf("/offres/%lld", (long long)offer), true);
    page(pro, strf("/offres/%lld/edition", (long long)offer), true);
    page(pro, strf("/offres/%lld/tarifs", (long long)offer), true);
    page(pro, strf("/offres/%lld/dates", (long long)offer), true);
    page(pro, strf("/offres/%lld/reservations", (long long)offer), true);
    page(pro, "/reservations", true);
    page(pro, strf("/lieux/%lld", (long long)venue), true);
    page(pro, strf("/offres/creation?lieu=%lld", (long long)venue), true);
    page(pro, "/gestion-financiere", true);
    page(pro, "/collectif", true);
    page(pro, strf("/guichet?contremarque=%s", token), true);
}

static void test_backoffice_pages(void **state)
{
    (void)state;
    page(admin, "/backoffice", false);
    page(admin, "/backoffice/emails", false);
    page(admin, "/backoffice/finance", false);
    page(admin, "/backoffice/collectif", false);
}

static void test_beneficiary_pages(void **state)
{
    (void)state;
    page(ben, "/app", true);
    page(ben, strf("/app/offres/%lld", (long long)offer), true);
    page(ben, "/app/reservations", true);
}

/* Error pages echo nothing of a hostile path or query. */
static void test_error_pages(void **state)
{
    (void)state;
    struct resp r = http_request(pro, "GET", "/offres/%3Cscript%3Ealert(1)%3C%2Fscript%3E", NULL);
    assert_escaped("an unknown page", r.body, false);
    r = http_request(pro, "GET", "/guichet?contremarque=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
                     NULL);
    assert_escaped("a hostile countermark", r.body, false);
}

/* The CSV export: the formula cells start with a quote; the markup is plain text in quotes. */
static void test_csv_formula(void **state)
{
    (void)state;
    struct resp r = http_request(pro, "GET", "/api/v1/pro/bookings/export?format=csv", NULL);
    assert_status(r, 200);
    /* The offer name and the beneficiary's last name, each a cell "'=HYPERLINK(""http://x"")". */
    const char *neutral = "\"'=HYPERLINK(\"\"http://x\"\")\"";
    const char *p = strstr(r.body, neutral);
    assert_non_null(p);
    assert_non_null(strstr(p + 1, neutral));
    assert_null(strstr(r.body, ";\"=HYPERLINK"));
    assert_null(strstr(r.body, ";=HYPERLINK"));
    assert_non_null(strstr(r.body, "\"<script>alert(1)</script>\"\"'><img src=x onerror=alert(1)>\""));
}

/* The .xlsx holds the formula as a string: no <f> element anywhere in the sheet. */
static void test_xlsx_strings(void **state)
{
    (void)state;
    struct resp r = http_request(pro, "GET", "/api/v1/pro/bookings/export?format=xlsx", NULL);
    assert_status(r, 200);
    const char *dir = strf("%s/xlsx-hostile", g_server.dir);
    const char *zip = strf("%s.xlsx", dir);
    FILE *f = fopen(zip, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(r.body, 1, r.body_len, f), r.body_len);
    fclose(f);
    assert_int_equal(system(strf("unzip -q -o '%s' -d '%s' >/dev/null 2>&1", zip, dir)), 0);
    const char *cmd = strf("cat '%s'/xl/worksheets/*.xml '%s'/xl/sharedStrings.xml 2>/dev/null",
                           dir, dir);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t cap = 1 << 20, n = 0;
    char *xml = malloc(cap);
    assert_non_null(xml);
    for (size_t k; (k = fread(xml + n, 1, cap - 1 - n, p)) > 0;)
        n += k;
    xml[n] = '\0';
    pclose(p);
    bool has_formula = strstr(xml, "<f>") != NULL || strstr(xml, "<f ") != NULL;
    bool has_text = strstr(xml, "=HYPERLINK(&quot;http://x&quot;)") != NULL ||
                    strstr(xml, "=HYPERLINK(\"http://x\")") != NULL;
    bool has_markup = strstr(xml, "<script>") != NULL;
    free(xml);
    assert_false(has_formula);
    assert_true(has_text);
    assert_false(has_markup);
}

/* Every email written so far: the HTML part never carries the markup raw. */
static void test_emails(void **state)
{
    (void)state;
    struct resp r = http_request(client_new(), "POST", "/api/test/jobs/run", NULL);
    assert_status(r, 200);
    const char *dir = strf("%s/mail", g_server.dir);
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t html_parts = 0, showing = 0;
    for (struct dirent *de; (de = readdir(d)) != NULL;) {
        if (strstr(de->d_name, ".eml") == NULL)
            continue;
        size_t len = 0;
        char *raw = eml_read_file(strf("%s/%s", dir, de->d_name), &len);
        assert_non_null(raw);
        struct eml m;
        assert_int_equal(eml_parse(raw, len, &m), 0);
        const struct eml_part *h = eml_part_of(&m, "text/html");
        if (h != NULL) {
            html_parts++;
            assert_escaped(de->d_name, h->body, false);
            showing += strstr(h->body, XSS_ESCAPED) != NULL;
        }
        eml_free(&m);
        free(raw);
    }
    closedir(d);
    assert_true(html_parts > 0);
    assert_true(showing > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pro_pages),   cmocka_unit_test(test_backoffice_pages),
        cmocka_unit_test(test_beneficiary_pages), cmocka_unit_test(test_error_pages),
        cmocka_unit_test(test_csv_formula), cmocka_unit_test(test_xlsx_strings),
        cmocka_unit_test(test_emails),
    };
    return cmocka_run_group_tests(tests, setup, harness_group_teardown);
}
