/*
 * Finance through the real server (SPEC §7, RULES §7, §8, §11): bank accounts and who may
 * touch them, the forecast, runs asked by the back office and by the scheduler, two runs at
 * once, the justificatif read back through pdftotext, the Détails CSV parsed back, an
 * incident deducted, un-validating a paid booking refused, REIMBURSED in the bookings list.
 *
 *   alice  pro of structure A (venue va, SIRET), bob pro of structure B (venue vb)
 *   admin  back office; ben, ben2, ben3 beneficiaries (18, 150 €)
 *
 * The clock starts on Monday 2027-01-04 in Paris; cut-offs are the 1st and the 16th.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/harness.h"

#define NOW "2027-01-04T08:00:00Z"
#define LATE "2027-03-30T07:00:00Z"
#define BORN "2008-06-01"
#define IBAN "FR76 3000 6000 0112 3456 7890 189"
#define MASKED "FR76 **** **** **** **** ***0 189"

static struct client *alice, *bob, *admin, *ben, *ben2, *ben3, *anon;
static int64_t oa, ob, va, vb, account_a;

/* A published museum card of @price cents in @venue; its stock id. */
static int64_t museum_card(struct client *pro, int64_t venue, int64_t price)
{
    struct resp r = http_json(
        pro, "POST", "/api/v1/offers",
        json_pack("{s:I, s:s, s:s, s:b, s:b, s:b, s:b}", "venueId", (json_int_t)venue, "name",
                  "Carte musée", "subcategoryId", "CARTE_MUSEE", "audioDisabilityCompliant", 1,
                  "mentalDisabilityCompliant", 1, "motorDisabilityCompliant", 0,
                  "visualDisabilityCompliant", 0));
    assert_status(r, 201);
    int64_t offer = jint(r.json, "id");
    r = http_json(pro, "POST", strf("/api/v1/offers/%lld/stocks", (long long)offer),
                  json_pack("{s:I, s:n}", "priceCents", (json_int_t)price, "quantity"));
    assert_status(r, 201);
    int64_t stock = jint(r.json, "id");
    r = http_request(pro, "POST", strf("/api/v1/offers/%lld/publish", (long long)offer), NULL);
    assert_status(r, 200);
    return stock;
}

struct bk {
    int64_t id;
    const char *token;
};

/* @c books @stock and @pro validates the countermark at once (a thing). */
static struct bk book_and_use(struct client *c, struct client *pro, int64_t stock)
{
    struct resp r = http_request(c, "POST", "/api/v1/bookings",
                                 strf("{\"stockId\":%lld,\"quantity\":1}", (long long)stock));
    assert_status(r, 201);
    struct bk b = {jint(r.json, "id"), jstr(r.json, "token")};
    r = http_request(pro, "POST", strf("/api/v1/pro/bookings/token/%s/use", b.token), NULL);
    assert_status(r, 204);
    return b;
}

/* Runs @cmd; its output (owned by the harness), or NULL when it failed. */
static const char *run_cmd(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    if (p == NULL)
        return NULL;
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, p);
    buf[n] = '\0';
    return pclose(p) == 0 ? strf("%s", buf) : NULL;
}

/* ------------------------------------------------------------------ setup */

static int setup(void **state)
{
    if (harness_group_setup(state) != 0)
        return -1;
    set_clock(NOW);
    anon = client_new();
    admin = admin_new("admin");
    alice = pro_new("alice");
    bob = pro_new("bob");
    va = structure_validated(alice, admin, new_siret(), "Musée", "69002", "Lyon", &oa);
    vb = structure_validated(bob, admin, new_siret(), "Musée", "69002", "Lyon", &ob);
    struct client *b3[3];
    beneficiaries_new(admin, "ben", BORN, 3, b3);
    ben = b3[0];
    ben2 = b3[1];
    ben3 = b3[2];
    /* Sessions last 7 days on the test clock: log in again at the latest clock used. */
    set_clock(LATE);
    struct client *all[] = {alice, bob, admin, ben, ben2, ben3};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        client_login(all[i], all[i]->email, all[i]->password);
    set_clock(NOW);
    return 0;
}

/* ------------------------------------------------------------------ 1. bank accounts */

static void test_bank_accounts(void **state)
{
    (void)state;
    const char *path = strf("/api/v1/offerers/%lld/bank-accounts", (long long)oa);
    struct resp r = http_json(alice, "POST", path,
                              json_pack("{s:s, s:s}", "label", "Compte", "iban", "FR76 3000 6000"));
    assert_error(r, 422, "iban");
    r = http_json(alice, "POST", path, json_pack("{s:s, s:s}", "label", "", "iban", IBAN));
    assert_error(r, 422, "label");
    /* Another structure's pro cannot add an account to A, nor see A's. */
    r = http_json(bob, "POST", path, json_pack("{s:s, s:s}", "label", "Moi", "iban", IBAN));
    assert_status(r, 404);
    r = http_request(bob, "GET", path, NULL);
    assert_status(r, 404);
    r = http_json(alice, "POST", path,
                  json_pack("{s:s, s:s}", "label", "Compte principal", "iban", IBAN));
    assert_status(r, 201);
    assert_jstr(r.json, "status", "DRAFT");
    account_a = jint(r.json, "id");
    r = http_request(alice, "GET", path, NULL);
    assert_status(r, 200);
    assert_jstr(json_array_get(jget(r.json, "bankAccounts"), 0), "iban", MASKED);
    /* Venues: only the structure's own, and not by another pro. */
    const char *venues = strf("/api/v1/bank-accounts/%lld/venues", (long long)account_a);
    r = http_json(alice, "PUT", venues, json_pack("{s:[I]}", "venueIds", (json_int_t)vb));
    assert_error(r, 422, "venueIds");
    r = http_json(bob, "PUT", venues, json_pack("{s:[I]}", "venueIds", (json_int_t)vb));
    assert_status(r, 404);
    r = http_json(alice, "PUT", venues, json_pack("{s:s}", "venueIds", "tous"));
    assert_error(r, 422, "venueIds");
    r = http_json(alice, "PUT", venues, json_pack("{s:[I]}", "venueIds", (json_int_t)va));
    assert_status(r, 200);
    assert_int_equal(json_integer_value(json_array_get(jget(r.json, "venueIds"), 0)), va);
    /* Only the back office accepts, once; it sees the whole IBAN. */
    const char *accept = strf("/api/v1/admin/bank-accounts/%lld/accept", (long long)account_a);
    assert_status(http_request(alice, "POST", accept, NULL), 403);
    r = http_request(admin, "GET", "/api/v1/admin/bank-accounts?status=DRAFT", NULL);
    assert_status(r, 200);
    assert_jstr(jfind_id(r.json, "bankAccounts", "id", account_a), "iban", IBAN);
    r = http_request(admin, "POST", accept, NULL);
    assert_status(r, 200);
    assert_jstr(r.json, "status", "ACCEPTED");
    assert_error(http_request(admin, "POST", accept, NULL), 409, "status");
    assert_status(http_request(admin, "POST", "/api/v1/admin/bank-accounts/999999/accept", NULL),
                  404);
}

/* ------------------------------------------------------------------ 2. a run, end to end */

static void test_run_end_to_end(void **state)
{
    (void)state;
    set_clock(NOW);
    int64_t stock = museum_card(alice, va, 2000);
    struct bk b = book_and_use(ben, alice, stock);
    /* The forecast shows it once the pricing job has seen it (an hour later). */
    set_clock("2027-01-04T09:00:00Z");
    assert_status(http_request(anon, "POST", "/api/test/jobs/run", NULL), 200);
    struct resp r = http_request(
        alice, "GET", strf("/api/v1/pro/finance/forecast?offererId=%lld", (long long)oa), NULL);
    assert_status(r, 200);
    assert_jstr(r.json, "nextRunDate", "2027-01-15T23:00:00Z"); /* 16 January 00:00 Paris */
    json_t *acc = jfind_id(r.json, "bankAccounts", "id", account_a);
    assert_int_equal(jint(acc, "amountCents"), 2000);
    assert_int_equal(jint(acc, "bookings"), 1);
    assert_status(http_request(bob, "GET",
                               strf("/api/v1/pro/finance/forecast?offererId=%lld", (long long)oa),
                               NULL),
                  404);

    set_clock("2027-01-05T09:00:00Z");
    /* An explicit cut-off: the test clock runs on, and the repeat below must be the same one. */
    struct resp first = http_request(admin, "POST", "/api/v1/admin/finance/runs",
                                     "{\"cutoff\":\"2027-01-05T09:00:00Z\"}");
    assert_status(first, 201);
    json_t *run = first.json;
    assert_jstr(run, "batchLabel", "VIR1");
    assert_int_equal(jint(run, "cashflows"), 1);
    assert_string_equal(json_string_value(json_array_get(jget(run, "invoices"), 0)), "F270000001");
    /* The booking is REIMBURSED, with its date, in the pro's list. */
    r = http_request(alice, "GET", "/api/v1/pro/bookings?status=reimbursed", NULL);
    assert_status(r, 200);
    json_t *row = jfind_id(r.json, "bookings", "id", b.id);
    assert_non_null(row);
    /* The run's time: the clock set at 09:00:00, plus the seconds the test has taken. */
    assert_true(strncmp(jstr(row, "dateReimbursed"), "2027-01-05T09:00:", 17) == 0);
    /* Un-validating it is refused: an incident is needed. */
    r = http_request(alice, "POST", strf("/api/v1/pro/bookings/token/%s/unuse", b.token), NULL);
    assert_error(r, 403, "payment");
    assert_non_null(strstr(r.body, "incident"));
    /* The same cut-off twice: refused. Nothing left: a clear refusal, no number used up. */
    assert_error(http_request(admin, "POST", "/api/v1/admin/finance/runs",
                              "{\"cutoff\":\"2027-01-05T09:00:00Z\"}"),
                 409, "cutoff");
    set_clock("2027-01-05T09:01:00Z");
    assert_error(http_request(admin, "POST", "/api/v1/admin/finance/runs", "{}"), 422, "global");
    /* The "invoice available" email went to alice. */
    r = http_request(anon, "GET", "/api/test/outbox", NULL);
    assert_status(r, 200);
    assert_non_null(strstr(r.body, "INVOICE_AVAILABLE"));
}

/* ------------------------------------------------------------------ 3. invoices, PDF, CSV */

static void test_invoice_files(void **state)
{
    (void)state;
    struct resp r = http_request(
        alice, "GET", strf("/api/v1/pro/invoices?offererId=%lld", (long long)oa), NULL);
    assert_status(r, 200);
    json_t *inv = json_array_get(jget(r.json, "invoices"), 0);
    assert_jstr(inv, "reference", "F270000001");
    assert_int_equal(jint(inv, "amountCents"), 2000);
    assert_jstr(inv, "batchLabel", "VIR1");
    assert_jstr(inv, "bankAccountLabel", "Compte principal");
    assert_status(http_request(bob, "GET",
                               strf("/api/v1/pro/invoices?offererId=%lld", (long long)oa), NULL),
                  404);
    r = http_request(bob, "GET", "/api/v1/pro/invoices", NULL);
    assert_status(r, 200);
    assert_int_equal(json_array_size(jget(r.json, "invoices")), 0);
    assert_error(http_request(alice, "GET", "/api/v1/pro/invoices?periodBeginningDate=hier", NULL),
                 422, "periodBeginningDate");

    /* The justificatif: another structure's pro gets 404, the owner the PDF. */
    assert_status(http_request(bob, "GET", "/api/v1/pro/invoices/F270000001.pdf", NULL), 404);
    assert_status(http_request(alice, "GET", "/api/v1/pro/invoices/F270000001", NULL), 404);
    r = http_request(alice, "GET", "/api/v1/pro/invoices/F270000001.pdf", NULL);
    assert_status(r, 200);
    assert_true(r.body_len > 1000 && memcmp(r.body, "%PDF-", 5) == 0);
    const char *pdf = strf("%s/F270000001.pdf", g_server.dir);
    FILE *f = fopen(pdf, "wb");
    assert_non_null(f);
    fwrite(r.body, 1, r.body_len, f);
    fclose(f);
    const char *text = run_cmd(strf("pdftotext -layout %s -", pdf));
    assert_non_null(text);
    assert_non_null(strstr(text, "Justificatif de remboursement"));
    assert_non_null(strstr(text, "F270000001"));
    assert_non_null(strstr(text, MASKED));
    assert_non_null(strstr(text, "20,00"));
    assert_non_null(strstr(text, "TOTAL"));
    assert_non_null(strstr(text, "du 01/01/2027 au 05/01/2027"));
    /* Stored once: the second download is the same bytes. */
    struct resp again = http_request(alice, "GET", "/api/v1/pro/invoices/F270000001.pdf", NULL);
    assert_int_equal(again.body_len, r.body_len);
    assert_memory_equal(again.body, r.body, r.body_len);

    /* The Détails CSV: BOM, 22 columns, the booking's line. */
    r = http_request(alice, "GET",
                     strf("/api/v1/pro/reimbursements.csv?offererId=%lld&batchLabel=VIR1",
                          (long long)oa),
                     NULL);
    assert_status(r, 200);
    assert_non_null(strstr(resp_header(&r, "Content-Disposition"),
                           "remboursements_pass_culture.csv"));
    assert_memory_equal(r.body, "\xEF\xBB\xBF", 3);
    char *line2 = strstr(r.body, "\r\n");
    assert_non_null(line2);
    int columns = 1;
    for (const char *p = r.body; p < line2; p++)
        columns += *p == ';';
    assert_int_equal(columns, 22);
    assert_non_null(strstr(r.body, "\"Réservations concernées par le remboursement\""));
    assert_non_null(strstr(line2, "\"Validées et remboursables sur janvier : 1ère quinzaine\""));
    assert_non_null(strstr(line2, "\"F270000001\";\"VIR1\";\"Compte principal\""));
    assert_non_null(strstr(line2, ";20,00;\"100\u00a0%\";20,00;\"offre grand public\""));
    r = http_request(bob, "GET",
                     strf("/api/v1/pro/reimbursements.csv?offererId=%lld", (long long)oa), NULL);
    assert_status(r, 404);
}

/* ------------------------------------------------------------------ 4. incident, two runs */

static void test_incident_and_concurrent_runs(void **state)
{
    (void)state;
    set_clock("2027-01-06T09:00:00Z");
    struct resp r = http_request(alice, "GET", "/api/v1/pro/bookings?status=reimbursed", NULL);
    int64_t paid = jint(json_array_get(jget(r.json, "bookings"), 0), "id");
    int64_t stock = museum_card(alice, va, 3000);
    struct bk fresh = book_and_use(ben2, alice, stock);
    /* An incident needs a reimbursed booking and a reason. */
    r = http_json(admin, "POST", "/api/v1/admin/finance/incidents",
                  json_pack("{s:I, s:s}", "bookingId", (json_int_t)fresh.id, "reason", "Erreur"));
    assert_error(r, 422, "bookingId");
    r = http_json(admin, "POST", "/api/v1/admin/finance/incidents",
                  json_pack("{s:I}", "bookingId", (json_int_t)paid));
    assert_error(r, 422, "reason");
    r = http_json(alice, "POST", "/api/v1/admin/finance/incidents",
                  json_pack("{s:I, s:s}", "bookingId", (json_int_t)paid, "reason", "Trop-perçu"));
    assert_status(r, 403);
    r = http_json(admin, "POST", "/api/v1/admin/finance/incidents",
                  json_pack("{s:I, s:s, s:I}", "bookingId", (json_int_t)paid, "reason",
                            "Trop-perçu", "amountCents", (json_int_t)500));
    assert_status(r, 201);

    /* Two runs asked at once: one pays (30,00 − 5,00 €), the other finds nothing. */
    set_clock("2027-01-07T09:00:00Z");
    struct call calls[2];
    for (int i = 0; i < 2; i++)
        calls[i] = (struct call){client_clone(admin), "POST", "/api/v1/admin/finance/runs", "{}",
                                 {0}};
    http_parallel(calls, 2);
    int created = 0, refused = 0;
    for (int i = 0; i < 2; i++) {
        if (calls[i].r.status == 201) {
            created++;
            assert_jstr(calls[i].r.json, "batchLabel", "VIR2");
            assert_string_equal(
                json_string_value(json_array_get(jget(calls[i].r.json, "invoices"), 0)),
                "F270000002");
        } else {
            refused += calls[i].r.status == 422 || calls[i].r.status == 409;
        }
    }
    assert_int_equal(created, 1);
    assert_int_equal(refused, 1);
    r = http_request(alice, "GET",
                     strf("/api/v1/pro/invoices?offererId=%lld", (long long)oa), NULL);
    json_t *second = json_array_get(jget(r.json, "invoices"), 0);
    assert_jstr(second, "reference", "F270000002");
    assert_int_equal(jint(second, "amountCents"), 2500);
    /* The incident is a negative line of the CSV. */
    r = http_request(alice, "GET",
                     strf("/api/v1/pro/reimbursements.csv?offererId=%lld&batchLabel=VIR2",
                          (long long)oa),
                     NULL);
    assert_status(r, 200);
    assert_non_null(strstr(r.body, "\"Incident sur janvier : 1ère quinzaine\""));
    assert_non_null(strstr(r.body, ";-5,00;"));
}

/* ------------------------------------------------------------------ 5. the scheduler */

static void test_scheduled_run(void **state)
{
    (void)state;
    set_clock("2027-01-10T09:00:00Z");
    int64_t stock = museum_card(alice, va, 1500);
    book_and_use(ben3, alice, stock);
    /* Before the cut-off: the jobs price, but do not pay. */
    assert_status(http_request(anon, "POST", "/api/test/jobs/run", NULL), 200);
    struct resp r = http_request(
        alice, "GET", strf("/api/v1/pro/invoices?offererId=%lld", (long long)oa), NULL);
    assert_int_equal(json_array_size(jget(r.json, "invoices")), 2);
    /* 16 January 00:05 in Paris: the scheduled run pays once, however many times jobs run. */
    set_clock("2027-01-15T23:05:00Z");
    assert_status(http_request(anon, "POST", "/api/test/jobs/run", NULL), 200);
    assert_status(http_request(anon, "POST", "/api/test/jobs/run", NULL), 200);
    r = http_request(alice, "GET", strf("/api/v1/pro/invoices?offererId=%lld", (long long)oa),
                     NULL);
    json_t *list = jget(r.json, "invoices");
    assert_int_equal(json_array_size(list), 3);
    assert_jstr(json_array_get(list, 0), "reference", "F270000003");
    assert_jstr(json_array_get(list, 0), "batchLabel", "VIR3");
    assert_int_equal(jint(json_array_get(list, 0), "amountCents"), 1500);
    /* Its period: 1 to 15 January, in Paris. */
    assert_jstr(json_array_get(list, 0), "periodBeginningDate", "2026-12-31T23:00:00Z");
    assert_jstr(json_array_get(list, 0), "periodEndingDate", "2027-01-14T23:00:00Z");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bank_accounts),
        cmocka_unit_test(test_run_end_to_end),
        cmocka_unit_test(test_invoice_files),
        cmocka_unit_test(test_incident_and_concurrent_runs),
        cmocka_unit_test(test_scheduled_run),
    };
    return cmocka_run_group_tests_name("finance", tests, setup, harness_group_teardown);
}
