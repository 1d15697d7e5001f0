/*
 * Password reset and change (issue 15; SPEC §3, RULES §1 and §11), through the real server:
 * the reset link is read from the email the server wrote in its mail folder.
 *
 * A pro (JSON API) and a beneficiary (portal pages) reset their password end to end: the old
 * password is refused after, the new one accepted, every session ended; the link is
 * single-use and dies after 24 h; a weak password is refused (422) and leaves the link usable;
 * an unknown address gets the same 204 and no email; the 6th request within an hour for one
 * address gets 204 and no email; known and unknown addresses take similar times; a logged-in
 * pro changes its password on /compte (wrong current password refused next to its field),
 * which ends its other sessions and keeps this one.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http/harness.h"
#include "mail_eml.h"

#define NOW "2030-02-01T10:00:00Z"
#define NEW_PASSWORD "Nouveau-Secret-42"

static struct client *admin;

static int setup(void **state)
{
    if (harness_group_setup(state) != 0)
        return -1;
    set_clock(NOW);
    admin = admin_new("pw-admin");
    return 0;
}

static void run_jobs(void)
{
    assert_status(http_request(client_new(), "POST", "/api/test/jobs/run", NULL), 200);
}

/*
 * Delivers the outbox, then reads every email of the mail folder sent to @email: returns how
 * many carry a reset link, and copies the token of the newest (highest file number) to @token
 * (when not NULL and one was found).
 */
static int reset_mails(const char *email, char token[65])
{
    run_jobs();
    const char *dir = strf("%s/mail", g_server.dir);
    DIR *d = opendir(dir);
    if (d == NULL)
        return 0;
    int n = 0;
    long best = -1;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (strstr(de->d_name, ".eml") == NULL)
            continue;
        size_t len;
        char *raw = eml_read_file(strf("%s/%s", dir, de->d_name), &len);
        struct eml m;
        if (raw == NULL || eml_parse(raw, len, &m) != 0) {
            free(raw);
            continue;
        }
        char *to = eml_address(eml_get(&m, "To"));
        const struct eml_part *text = eml_part_of(&m, "text/plain");
        const char *link = text ? strstr(text->body, "/mot-de-passe/nouveau?token=") : NULL;
        if (to != NULL && strcmp(to, email) == 0 && link != NULL) {
            char *subject = eml_decoded(&m, "Subject");
            assert_string_equal(subject, "Réinitialisation de votre mot de passe pass Culture");
            free(subject);
            assert_int_equal(eml_count(&m, "Message-ID"), 1);
            n++;
            long num = strtol(de->d_name, NULL, 10);
            if (token != NULL && num > best) {
                best = num;
                snprintf(token, 65, "%.64s", link + strlen("/mot-de-passe/nouveau?token="));
            }
        }
        free(to);
        eml_free(&m);
        free(raw);
    }
    closedir(d);
    return n;
}

static struct resp ask_reset(const char *email)
{
    return http_json(client_new(), "POST", "/api/v1/auth/password-reset",
                     json_pack("{s:s}", "email", email));
}

static struct resp confirm(const char *token, const char *password)
{
    return http_json(client_new(), "POST", "/api/v1/auth/password-reset/confirm",
                     json_pack("{s:s, s:s}", "token", token, "password", password));
}

static long login_status(const char *email, const char *password)
{
    return http_json(client_new(), "POST", "/api/v1/auth/login",
                     json_pack("{s:s, s:s}", "email", email, "password", password))
        .status;
}

/* A pro, through the JSON API. */
static void test_reset_pro(void **state)
{
    (void)state;
    struct client *pro = pro_new("pw-pro");
    struct client *other = client_new();
    client_login(other, pro->email, TEST_PASSWORD);
    assert_status(ask_reset(pro->email), 204);
    char token[65] = "";
    assert_int_equal(reset_mails(pro->email, token), 1);
    assert_int_equal(strlen(token), 64);

    /* A weak password: 422 next to the field, nothing changed, the link still usable. */
    assert_error(confirm(token, "court"), 422, "password");
    assert_status(http_request(pro, "GET", "/api/v1/me", NULL), 200);

    assert_status(confirm(token, NEW_PASSWORD), 204);
    assert_status(http_request(pro, "GET", "/api/v1/me", NULL), 401);
    assert_status(http_request(other, "GET", "/api/v1/me", NULL), 401);
    assert_int_equal(login_status(pro->email, TEST_PASSWORD), 401);
    assert_int_equal(login_status(pro->email, NEW_PASSWORD), 200);

    /* Single-use. */
    struct resp r = confirm(token, "Encore-Autre-77");
    assert_error(r, 410, "token");
    assert_non_null(strstr(r.body, "n'est plus valide"));
    assert_int_equal(login_status(pro->email, NEW_PASSWORD), 200);
    /* A made-up token: the same answer. */
    assert_error(confirm("0123", NEW_PASSWORD), 410, "token");
}

/* A beneficiary, through the portal's pages. */
static void test_reset_beneficiary_pages(void **state)
{
    (void)state;
    struct client *b = beneficiary_new(admin, "pw-benef", "2012-01-01", false);
    struct client *anon = client_new();
    struct resp r = http_request(anon, "GET", "/connexion", NULL);
    assert_non_null(strstr(r.body, "href=\"/mot-de-passe-oublie\""));
    const char *csrf = client_csrf(anon, "/mot-de-passe-oublie");
    r = http_form(anon, "/mot-de-passe-oublie", strf("csrf=%s&email=%s", csrf, b->email));
    assert_status(r, 200);
    assert_non_null(strstr(r.body, "Si un compte existe avec cette adresse"));
    char token[65] = "";
    assert_int_equal(reset_mails(b->email, token), 1);

    const char *page = strf("/mot-de-passe/nouveau?token=%s", token);
    csrf = client_csrf(anon, page);
    r = http_form(anon, "/mot-de-passe/nouveau",
                  strf("csrf=%s&token=%s&password=%s&confirmation=Autre-Chose-123", csrf, token,
                       NEW_PASSWORD));
    assert_status(r, 422);
    assert_non_null(strstr(r.body, "Les deux mots de passe ne sont pas identiques."));
    r = http_form(anon, "/mot-de-passe/nouveau",
                  strf("csrf=%s&token=%s&password=%s&confirmation=%s", csrf, token, NEW_PASSWORD,
                       NEW_PASSWORD));
    assert_status(r, 303);
    assert_string_equal(resp_header(&r, "Location"), "/connexion?reinitialise=1");
    assert_status(http_request(b, "GET", "/api/v1/me", NULL), 401);
    assert_int_equal(login_status(b->email, TEST_PASSWORD), 401);
    assert_int_equal(login_status(b->email, NEW_PASSWORD), 200);

    /* The link again: a French message on the page, nothing changed. */
    r = http_form(anon, "/mot-de-passe/nouveau",
                  strf("csrf=%s&token=%s&password=Encore-Autre-77&confirmation=Encore-Autre-77",
                       csrf, token));
    assert_status(r, 410);
    assert_non_null(strstr(r.body, "n&#39;est plus valide"));
    assert_int_equal(login_status(b->email, NEW_PASSWORD), 200);
}

static void test_expired_link(void **state)
{
    (void)state;
    struct client *pro = pro_new("pw-expired");
    assert_status(ask_reset(pro->email), 204);
    char token[65] = "";
    assert_int_equal(reset_mails(pro->email, token), 1);
    set_clock("2030-02-02T11:00:00Z"); /* 25 h later */
    assert_error(confirm(token, NEW_PASSWORD), 410, "token");
    set_clock(NOW);
    assert_int_equal(login_status(pro->email, TEST_PASSWORD), 200);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Unknown address, the hourly cap, and the time of both answers. */
static void test_no_enumeration(void **state)
{
    (void)state;
    struct client *pro = pro_signup("pw-cap");
    const char *unknown = unique_email("pw-nobody");
    double known_ms[5], unknown_ms[5];
    for (int i = 0; i < 5; i++) {
        double t = now_ms();
        assert_status(ask_reset(pro->email), 204);
        known_ms[i] = now_ms() - t;
        t = now_ms();
        assert_status(ask_reset(unknown), 204);
        unknown_ms[i] = now_ms() - t;
    }
    assert_int_equal(reset_mails(unknown, NULL), 0);
    assert_int_equal(reset_mails(pro->email, NULL), 5);
    /* The 6th within the hour: the same answer, no email. */
    assert_status(ask_reset(pro->email), 204);
    assert_int_equal(reset_mails(pro->email, NULL), 5);
    qsort(known_ms, 5, sizeof(double), cmp_double);
    qsort(unknown_ms, 5, sizeof(double), cmp_double);
    double k = known_ms[2], u = unknown_ms[2];
    fprintf(stderr, "password reset, median of 5: known %.2f ms, unknown %.2f ms\n", k, u);
    assert_true(k < 3 * u + 5 && u < 3 * k + 5);
    /* An hour later the address may ask again. */
    set_clock("2030-02-01T11:00:01Z");
    assert_status(ask_reset(pro->email), 204);
    assert_int_equal(reset_mails(pro->email, NULL), 6);
    set_clock(NOW);
}

/* /compte: change the password when logged in. */
static void test_change_password(void **state)
{
    (void)state;
    struct client *pro = pro_new("pw-change");
    struct client *other = client_new();
    client_login(other, pro->email, TEST_PASSWORD);
    struct resp r = http_request(pro, "GET", "/accueil", NULL);
    assert_non_null(strstr(r.body, "href=\"/compte\""));
    const char *csrf = client_csrf(pro, "/compte");
    r = http_form(pro, "/compte/mot-de-passe",
                  strf("csrf=%s&currentPassword=Faux-Mot-2-passe&newPassword=%s&confirmation=%s",
                       csrf, NEW_PASSWORD, NEW_PASSWORD));
    assert_status(r, 422);
    assert_non_null(strstr(r.body, "Le mot de passe actuel est incorrect."));
    r = http_form(pro, "/compte/mot-de-passe",
                  strf("csrf=%s&currentPassword=%s&newPassword=court&confirmation=court", csrf,
                       TEST_PASSWORD));
    assert_status(r, 422);
    assert_status(http_request(other, "GET", "/api/v1/me", NULL), 200);
    r = http_form(pro, "/compte/mot-de-passe",
                  strf("csrf=%s&currentPassword=%s&newPassword=%s&confirmation=%s", csrf,
                       TEST_PASSWORD, NEW_PASSWORD, NEW_PASSWORD));
    assert_status(r, 303);
    assert_string_equal(resp_header(&r, "Location"), "/compte?modifie=1");
    assert_status(http_request(pro, "GET", "/api/v1/me", NULL), 200);
    assert_status(http_request(other, "GET", "/api/v1/me", NULL), 401);
    assert_int_equal(login_status(pro->email, TEST_PASSWORD), 401);
    assert_int_equal(login_status(pro->email, NEW_PASSWORD), 200);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reset_pro),
        cmocka_unit_test(test_reset_beneficiary_pages),
        cmocka_unit_test(test_expired_link),
        cmocka_unit_test(test_no_enumeration),
        cmocka_unit_test(test_change_password),
    };
    return cmocka_run_group_tests(tests, setup, harness_group_teardown);
}
