/*
 * The Cookie header of every request, as the router reads it to find who is calling:
 * pp_session_cookie_load() (src/http/session_cookie.c), which takes the pp_session cookie,
 * checks its shape and looks its hash up in a real SQLite database (made once per run in a
 * temporary folder, migrated, with one PRO account and one live session). Input: a Cookie
 * header ("pp_session=...; pp_csrf=..."), split by fake_conn.h (libmicrohttpd's cookie parser
 * is not fuzzed here). Invariants: loading never fails; the request is logged in exactly when
 * its pp_session cookie is the live session's token, and then as that account with its CSRF
 * token; any other cookie leaves it anonymous.
 */
#include <stdbool.h>
#include <unistd.h>

#include "db/db.h"
#include "domain/account.h"
#include "domain/session.h"
#include "fake_conn.h"
#include "fuzz.h"
#include "http/app.h"
#include "http/session_cookie.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);

static struct pp_app app;
static char dir[64];
static char token[PP_SESSION_TOKEN_LEN + 1];
static int64_t account_id;

static void cleanup(void)
{
    static const char *const files[] = {"f.db", "f.db-wal", "f.db-shm"};
    char path[128];
    pp_db_pool_free(app.pool);
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    snprintf(dir, sizeof dir, "/tmp/passpro-fuzz-XXXXXX");
    FUZZ_CHECK(mkdtemp(dir) != NULL);
    char url[128], msg[256];
    snprintf(url, sizeof url, "sqlite:%s/f.db", dir);
    app.pool = pp_db_pool_new(url, 1, msg, sizeof msg);
    FUZZ_CHECK(app.pool != NULL);
    atexit(cleanup);
    struct pp_db *db = pp_db_pool_acquire(app.pool);
    int applied = 0;
    FUZZ_CHECK(pp_db_migrate(db, &applied) == PP_OK);
    struct pp_arena *a = pp_arena_new();
    struct pp_account_new in = {.email = "pro@example.fr", .password = "Correct-Horse-Battery-42!",
                                .first_name = "Camille", .last_name = "Martin", .role = "PRO"};
    struct pp_error e;
    pp_error_init(&e);
    FUZZ_CHECK(pp_account_create(db, a, &in, &account_id, &e) == PP_OK);
    FUZZ_CHECK(pp_session_create(db, account_id, token) == PP_OK);
    pp_arena_free(a);
    pp_db_pool_release(app.pool, db);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *header = fuzz_cstr(data, size);
    struct pp_arena *a = pp_arena_new();
    struct fake_conn conn = {NULL};
    /* "{token}" in the input stands for the live session's token, so that seeds reach it. */
    char *live = strstr(header, "{token}");
    if (live != NULL) {
        char *with = pp_arena_printf(a, "%.*s%s%s", (int)(live - header), header, token,
                                     live + strlen("{token}"));
        fake_parse(a, &conn, MHD_COOKIE_KIND, with, ';');
    } else {
        fake_parse(a, &conn, MHD_COOKIE_KIND, header, ';');
    }
    struct pp_req req = {.arena = a, .app = &app, .conn = &conn, .method = "GET", .path = "/"};
    FUZZ_CHECK(pp_session_cookie_load(&req) == PP_OK);
    const char *cookie = pp_req_cookie(&req, PP_SESSION_COOKIE);
    bool live_token = cookie != NULL && strcmp(cookie, token) == 0;
    FUZZ_CHECK((req.user.id != 0) == live_token);
    if (live_token)
        FUZZ_CHECK(req.user.id == account_id && req.user.csrf != NULL &&
                   strlen(req.user.csrf) == 32 && strcmp(req.user.email, "pro@example.fr") == 0);
    if (req.db != NULL)
        pp_db_pool_release(app.pool, req.db);
    pp_arena_free(a);
    free(header);
    return 0;
}
