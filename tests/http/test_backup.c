/*
 * `passpro backup --to FILE` end to end (SPEC §1): an online copy taken while the server runs
 * and beneficiaries keep booking, then a new server started on the copy alone. Whatever the
 * copy holds must be whole and consistent: the accounts log in with their passwords, the
 * sessions of the copy's time still work, every booking of the copy keeps its token, each
 * stock counts exactly the bookings the copy has, and each balance is the grant minus them.
 * And bad uses of the command: no --to (exit 2), a folder that does not exist (exit 1, one
 * French sentence). PostgreSQL deployments use pg_dump: the command says so (exit 1).
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "http/harness.h"

#define BENEFICIARIES 8
#define OFFERS 6
#define PRICE_CENTS 100

static struct client *admin, *pro, *bens[BENEFICIARIES];
static int64_t venue, grant_cents, offers[OFFERS], stocks[OFFERS];
static volatile int stop_load;

/* Runs `passpro backup` with @args (NULL-terminated, after "backup"); its exit status and
 * the first line of its stderr in @err. */
static int run_backup(const char *const *args, char *err, size_t cap)
{
    char errfile[300];
    snprintf(errfile, sizeof errfile, "%s/backup.err", g_server.dir);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int fd = open(errfile, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd >= 0)
            dup2(fd, STDERR_FILENO);
        int devnull = open("/dev/null", O_WRONLY);
        if (devnull >= 0)
            dup2(devnull, STDOUT_FILENO);
        const char *argv[16] = {getenv("PASSPRO_BIN") ? getenv("PASSPRO_BIN") : "build/passpro",
                                "backup"};
        size_t n = 2;
        for (size_t i = 0; args[i] != NULL && n < 15; i++)
            argv[n++] = args[i];
        argv[n] = NULL;
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    err[0] = '\0';
    FILE *f = fopen(errfile, "r");
    if (f != NULL) {
        if (fgets(err, (int)cap, f) == NULL)
            err[0] = '\0';
        fclose(f);
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int64_t museum_card(int64_t *offer_out)
{
    struct resp r = http_json(
        pro, "POST", "/api/v1/offers",
        json_pack("{s:I, s:s, s:s, s:b, s:b, s:b, s:b}", "venueId", (json_int_t)venue, "name",
                  "Carte du musée", "subcategoryId", "CARTE_MUSEE", "audioDisabilityCompliant", 1,
                  "mentalDisabilityCompliant", 1, "motorDisabilityCompliant", 0,
                  "visualDisabilityCompliant", 0));
    assert_status(r, 201);
    *offer_out = jint(r.json, "id");
    r = http_json(pro, "POST", strf("/api/v1/offers/%lld/stocks", (long long)*offer_out),
                  json_pack("{s:i, s:n}", "priceCents", PRICE_CENTS, "quantity"));
    assert_status(r, 201);
    int64_t stock = jint(r.json, "id");
    r = http_request(pro, "POST", strf("/api/v1/offers/%lld/publish", (long long)*offer_out),
                     NULL);
    assert_status(r, 200);
    return stock;
}

/* Beneficiary i books every offer in turn while the backup runs. */
static void *booker_main(void *arg)
{
    struct client *c = client_clone(arg);
    for (int o = 0; o < OFFERS && !stop_load; o++) {
        http_request(c, "POST", "/api/v1/bookings",
                     strf("{\"stockId\":%lld,\"quantity\":1}", (long long)stocks[o]));
        usleep(3000);
    }
    return NULL;
}

static void test_backup_while_booking_then_restore(void **state)
{
    (void)state;
    if (harness_on_pg())
        skip(); /* test_pg_backup_says_pg_dump below */
    /* Two bookings before, the rest during the copy. */
    for (int i = 0; i < 2; i++)
        assert_status(http_request(bens[i], "POST", "/api/v1/bookings",
                                   strf("{\"stockId\":%lld,\"quantity\":1}", (long long)stocks[0])),
                      201);
    pthread_t threads[BENEFICIARIES];
    stop_load = 0;
    for (int i = 0; i < BENEFICIARIES; i++)
        assert_int_equal(pthread_create(&threads[i], NULL, booker_main, bens[i]), 0);
    const char *copy = strf("%s/copy.db", g_server.dir);
    char err[512];
    const char *args[] = {"--db", g_server.db_url, "--to", copy, NULL};
    int rc = run_backup(args, err, sizeof err);
    for (int i = 0; i < BENEFICIARIES; i++)
        pthread_join(threads[i], NULL);
    if (rc != 0)
        fail_msg("passpro backup exited %d: %s", rc, err);

    /* A server on the copy alone. */
    struct server from = {0};
    snprintf(from.db_url, sizeof from.db_url, "sqlite:%s", copy);
    struct server restored;
    assert_int_equal(server_start_on(&restored, true, &from), 0);

    /* Passwords: a fresh login of the pro and of a beneficiary on the copy. */
    struct client *p = client_new_for(&restored);
    struct resp r = http_json(p, "POST", "/api/v1/auth/login",
                              json_pack("{s:s, s:s}", "email", pro->email, "password",
                                        TEST_PASSWORD));
    assert_status(r, 200);
    struct client *b0 = client_new_for(&restored);
    r = http_json(b0, "POST", "/api/v1/auth/login",
                  json_pack("{s:s, s:s}", "email", bens[0]->email, "password", TEST_PASSWORD));
    assert_status(r, 200);

    /* The bookings made before the copy began are in it, with their tokens. */
    size_t in_copy = 0;
    for (int i = 0; i < BENEFICIARIES; i++) {
        struct client *live = bens[i], *old = client_on(bens[i], &restored);
        struct resp now = http_request(live, "GET", "/api/v1/me/bookings", NULL);
        struct resp then = http_request(old, "GET", "/api/v1/me/bookings", NULL);
        assert_status(now, 200);
        assert_status(then, 200); /* the session of the copy's time still works */
        int64_t spent = 0;
        size_t k;
        json_t *b;
        json_array_foreach(jget(then.json, "bookings"), k, b)
        {
            json_t *same = jfind_id(now.json, "bookings", "id", jint(b, "id"));
            assert_non_null(same);
            assert_jstr(b, "token", jstr(same, "token"));
            spent += jint(b, "amountCents") * jint(b, "quantity");
            in_copy++;
        }
        if (i < 2)
            assert_true(json_array_size(jget(then.json, "bookings")) >= 1);
        r = http_request(old, "GET", "/api/v1/me/wallet", NULL);
        assert_status(r, 200);
        assert_int_equal(jint(r.json, "balanceCents"), grant_cents - spent);
    }
    /* Each stock of the copy counts the copy's bookings, no more, no less. */
    size_t counted = 0;
    for (int o = 0; o < OFFERS; o++) {
        r = http_request(p, "GET", strf("/api/v1/offers/%lld", (long long)offers[o]), NULL);
        assert_status(r, 200);
        counted += (size_t)jint(jfind_id(r.json, "stocks", "id", stocks[o]), "bookedQuantity");
    }
    assert_int_equal(counted, in_copy);
    printf("backup: %zu bookings in the copy taken during the load\n", in_copy);
    server_stop(&restored);
    server_cleanup(&restored);
}

static void test_backup_bad_uses(void **state)
{
    (void)state;
    char err[512];
    const char *no_to[] = {"--db", g_server.db_url, NULL};
    assert_int_equal(run_backup(no_to, err, sizeof err), 2);
    assert_non_null(strstr(err, "--to"));
    if (harness_on_pg()) {
        const char *pg[] = {"--db", g_server.db_url, "--to", "/tmp/x.db", NULL};
        assert_int_equal(run_backup(pg, err, sizeof err), 1);
        assert_non_null(strstr(err, "pg_dump"));
        return;
    }
    const char *nowhere[] = {"--db", g_server.db_url, "--to", "/nonexistent-folder/copy.db", NULL};
    assert_int_equal(run_backup(nowhere, err, sizeof err), 1);
    assert_non_null(strstr(err, "sauvegarde impossible"));
}

static int setup(void **state)
{
    if (harness_group_setup(state) != 0)
        return -1;
    admin = admin_new("backup-admin");
    pro = pro_new("backup-pro");
    venue = structure_validated(pro, admin, new_siret(), "Musée de la copie", "33000", "Bordeaux",
                                NULL);
    for (int o = 0; o < OFFERS; o++)
        stocks[o] = museum_card(&offers[o]);
    time_t born = time(NULL) - (time_t)(18 * 365.25 + 100) * 86400;
    char birth[16];
    strftime(birth, sizeof birth, "%Y-%m-%d", gmtime(&born));
    beneficiaries_new(admin, "backup-ben", birth, BENEFICIARIES, bens);
    struct resp r = http_request(bens[0], "GET", "/api/v1/me/wallet", NULL);
    assert_status(r, 200);
    grant_cents = jint(r.json, "balanceCents");
    assert_true(grant_cents >= OFFERS * PRICE_CENTS);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_backup_while_booking_then_restore),
        cmocka_unit_test(test_backup_bad_uses),
    };
    return cmocka_run_group_tests_name("backup", tests, setup, harness_group_teardown);
}
