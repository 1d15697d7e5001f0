/* The database interface on SQLite: migrations, binds, transactions, unique errors, backup. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <pthread.h>

#include "core/arena.h"
#include "db/db.h"
#include "db/row.h"

static char dir[64];

static int setup(void **state)
{
    snprintf(dir, sizeof dir, "/tmp/passpro-test-db-XXXXXX");
    if (mkdtemp(dir) == NULL)
        return -1;
    char url[128];
    snprintf(url, sizeof url, "sqlite:%s/t.db", dir);
    struct pp_db *db;
    char msg[256];
    if (pp_db_open(url, &db, msg, sizeof msg) != PP_OK)
        return -1;
    *state = db;
    return 0;
}

static int teardown(void **state)
{
    pp_db_close(*state);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd);
}

static void test_migrate_idempotent(void **state)
{
    struct pp_db *db = *state;
    int applied = -1;
    assert_int_equal(pp_db_migrate(db, &applied), PP_OK);
    assert_true(applied >= 1);
    assert_int_equal(pp_db_migrate(db, &applied), PP_OK);
    assert_int_equal(applied, 0);
    int64_t n;
    assert_int_equal(pp_db_query_int(db, &n, "SELECT COUNT(*) FROM schema_migrations", 0), PP_OK);
    assert_true(n >= 1);
}

static enum pp_step insert_account(struct pp_db *db, const char *email)
{
    struct pp_stmt *st = pp_db_prepare(
        db, "INSERT INTO account (email, password_hash, first_name, last_name, role, created_at)"
            " VALUES (?, 'x', 'A', 'B', 'PRO', 0)");
    assert_non_null(st);
    pp_stmt_bind_text(st, 1, email);
    enum pp_step s = pp_stmt_step(st);
    pp_stmt_done(st);
    return s;
}

static void test_unique_and_rollback(void **state)
{
    struct pp_db *db = *state;
    assert_int_equal(insert_account(db, "a@example.org"), PP_STEP_DONE);
    assert_int_equal(insert_account(db, "a@example.org"), PP_STEP_ERROR);
    assert_true(pp_db_is_unique(db));

    assert_int_equal(pp_db_begin(db), PP_OK);
    assert_int_equal(insert_account(db, "b@example.org"), PP_STEP_DONE);
    pp_db_rollback(db);
    int64_t n;
    assert_int_equal(pp_db_query_int(db, &n, "SELECT COUNT(*) FROM account", 0), PP_OK);
    assert_int_equal(n, 1);
    pp_db_rollback(db); /* a second rollback is harmless */
}

static void test_binds_and_columns(void **state)
{
    struct pp_db *db = *state;
    struct pp_stmt *st = pp_db_prepare(db, "SELECT ?, ?, ?");
    assert_non_null(st);
    pp_stmt_bind_int(st, 1, INT64_C(9007199254740993));
    pp_stmt_bind_text(st, 2, "Musée d'Orsay; DROP TABLE account; --");
    pp_stmt_bind_text(st, 3, NULL);
    assert_int_equal(pp_stmt_step(st), PP_STEP_ROW);
    assert_int_equal(pp_stmt_int(st, 0), INT64_C(9007199254740993));
    assert_string_equal(pp_stmt_text(st, 1), "Musée d'Orsay; DROP TABLE account; --");
    assert_true(pp_stmt_is_null(st, 2));
    pp_stmt_done(st);
    /* The cached statement comes back clean for the next use. */
    st = pp_db_prepare(db, "SELECT ?, ?, ?");
    assert_int_equal(pp_stmt_step(st), PP_STEP_ROW);
    assert_true(pp_stmt_is_null(st, 0));
    pp_stmt_done(st);
    assert_null(pp_db_prepare(db, "SELEC nonsense"));
}

static void test_audit_log_is_append_only(void **state)
{
    struct pp_db *db = *state;
    assert_int_equal(pp_db_exec(db, "INSERT INTO audit_log (at, channel, action, object_type,"
                                    " object_id) VALUES (1, 'AUTO', 'X', 'booking', 1)"),
                     PP_OK);
    assert_int_equal(pp_db_exec(db, "DELETE FROM audit_log"), PP_EDB);
    assert_int_equal(pp_db_exec(db, "UPDATE audit_log SET action = 'Y'"), PP_EDB);
}

static void test_backup(void **state)
{
    struct pp_db *db = *state;
    char path[128], url[160], msg[256];
    snprintf(path, sizeof path, "%s/copy.db", dir);
    assert_int_equal(pp_db_backup(db, path, msg, sizeof msg), PP_OK);
    snprintf(url, sizeof url, "sqlite:%s", path);
    struct pp_db *copy;
    assert_int_equal(pp_db_open(url, &copy, msg, sizeof msg), PP_OK);
    int64_t n;
    assert_int_equal(pp_db_query_int(copy, &n, "SELECT COUNT(*) FROM account", 0), PP_OK);
    assert_int_equal(n, 1);
    pp_db_close(copy);
}

static void test_bad_url(void **state)
{
    (void)state;
    struct pp_db *db;
    char msg[256];
    assert_int_equal(pp_db_open("mysql://x", &db, msg, sizeof msg), PP_EINVAL);
    assert_non_null(strstr(msg, "non prise en charge"));
}

struct thing {
    int64_t id;
    const char *label;
    int64_t qty;
    bool flag;
    int twice; /* derived by the finish step */
};

static void thing_finish(void *row, struct pp_arena *a)
{
    (void)a;
    struct thing *t = row;
    t->twice = (int)t->id * 2;
}

static const struct pp_col thing_cols[] = {
    PP_COL_INT(struct thing, id, "id"),
    PP_COL_TEXT(struct thing, label, "label"),
    PP_COL_INT_OR(struct thing, qty, "qty", -1),
    PP_COL_BOOL(struct thing, flag, "flag"),
};
static const struct pp_row_spec thing_row = PP_ROW_SPEC(struct thing, thing_cols, thing_finish);

static void make_things(struct pp_db *db)
{
    assert_int_equal(pp_db_exec(db, "CREATE TABLE IF NOT EXISTS thing (id INTEGER PRIMARY KEY,"
                                    " label TEXT, qty INTEGER, flag INTEGER, state TEXT);"
                                    " DELETE FROM thing;"
                                    " INSERT INTO thing VALUES (1, 'un', NULL, 1, 'OPEN'),"
                                    " (2, NULL, 7, 0, 'OPEN'), (3, 'trois', 0, 0, 'CLOSED');"),
                     PP_OK);
}

static void test_row_collect_and_fetch(void **state)
{
    struct pp_db *db = *state;
    make_things(db);
    struct pp_arena *a = pp_arena_new();
    struct thing *items;
    size_t n;
    assert_int_equal(pp_row_collect(pp_db_prepare(db, "SELECT id, label, qty, flag FROM thing"
                                                      " ORDER BY id"),
                                    a, &thing_row, (void **)&items, &n),
                     PP_OK);
    assert_int_equal(n, 3);
    assert_string_equal(items[0].label, "un");
    assert_int_equal(items[0].qty, -1); /* NULL reads as the column's default */
    assert_true(items[0].flag);
    assert_null(items[1].label);
    assert_int_equal(items[1].qty, 7);
    assert_int_equal(items[2].qty, 0);
    assert_int_equal(items[2].twice, 6);

    struct thing one;
    struct pp_stmt *st = pp_db_prepare(db, "SELECT id, label, qty, flag FROM thing WHERE id = ?");
    pp_stmt_bind_int(st, 1, 3);
    assert_int_equal(pp_row_fetch(st, a, &thing_row, &one), PP_OK);
    assert_string_equal(one.label, "trois");
    st = pp_db_prepare(db, "SELECT id, label, qty, flag FROM thing WHERE id = ?");
    pp_stmt_bind_int(st, 1, 99);
    assert_int_equal(pp_row_fetch(st, a, &thing_row, &one), PP_ENOTFOUND);

    /* Empty result: no array, no error. */
    assert_int_equal(pp_row_collect(pp_db_prepare(db, "SELECT id, label, qty, flag FROM thing"
                                                      " WHERE id > 10"),
                                    a, &thing_row, (void **)&items, &n),
                     PP_OK);
    assert_int_equal(n, 0);
    assert_null(items);
    pp_arena_free(a);
}

static void test_row_names_must_match(void **state)
{
    struct pp_db *db = *state;
    make_things(db);
    struct pp_arena *a = pp_arena_new();
    struct thing *items;
    size_t n;
    /* Columns swapped: the reader would put a label in qty. */
    assert_int_equal(pp_row_collect(pp_db_prepare(db, "SELECT id, qty, label, flag FROM thing"),
                                    a, &thing_row, (void **)&items, &n),
                     PP_EINTERNAL);
    assert_int_equal(n, 0);
    /* Too few columns. */
    assert_int_equal(pp_row_collect(pp_db_prepare(db, "SELECT id, label FROM thing"), a,
                                    &thing_row, (void **)&items, &n),
                     PP_EINTERNAL);
    /* A syntax error is a database failure, not a crash. */
    assert_int_equal(pp_row_collect(pp_db_prepare(db, "SELEC id FROM thing"), a, &thing_row,
                                    (void **)&items, &n),
                     PP_EDB);
    pp_arena_free(a);
}

/*
 * Group commit (db_sqlite.c): threads of a pool write at once; every transaction that commits
 * is there and visible on its own connection as soon as commit returns; one that fails (a
 * duplicate key after an UPDATE) leaves nothing, and its neighbours in the batch commit.
 */
#define GROUP_THREADS 8
#define GROUP_TX 150

struct group_worker {
    struct pp_db_pool *pool;
    int index;
    int committed, failed, autos;
};

static enum pp_step step_once(struct pp_db *db, const char *sql, int64_t a, int64_t b)
{
    struct pp_stmt *st = pp_db_prepare(db, sql);
    if (st == NULL)
        return PP_STEP_ERROR;
    pp_stmt_bind_int(st, 1, a);
    pp_stmt_bind_int(st, 2, b);
    enum pp_step s = pp_stmt_step(st);
    pp_stmt_done(st);
    return s;
}

static void *group_work(void *arg)
{
    struct group_worker *w = arg;
    struct pp_db *db = pp_db_pool_acquire(w->pool);
    for (int i = 0; i < GROUP_TX; i++) {
        int64_t key = w->index * 100000 + i;
        /* Every tenth transaction reuses key 0 of its thread: a unique error after the UPDATE. */
        int64_t insert_key = i % 10 == 9 ? w->index * 100000 : key;
        if (pp_db_begin(db) != PP_OK)
            continue;
        enum pp_step a = step_once(db, "UPDATE c SET n = n + ?1 WHERE id = ?2", 1, 1);
        enum pp_step b = step_once(db, "INSERT INTO t (k, v) VALUES (?, ?)", insert_key, i);
        if (a != PP_STEP_DONE || b != PP_STEP_DONE) {
            pp_db_rollback(db);
            w->failed++;
            continue;
        }
        if (pp_db_commit(db) != PP_OK)
            continue;
        w->committed++;
        /* Answered only once committed: the thread's own connection sees it at once. */
        int64_t v = -1;
        if (pp_db_query_int(db, &v, "SELECT v FROM t WHERE k = ?", 1, key) != PP_OK || v != i)
            return NULL;
        /* A write outside a transaction rides the group too. */
        if (i % 7 == 0 && step_once(db, "UPDATE c SET autos = autos + ?1 WHERE id = ?2", 1, 1) ==
                              PP_STEP_DONE)
            w->autos++;
    }
    pp_db_pool_release(w->pool, db);
    return NULL;
}

static void test_group_commit(void **state)
{
    (void)state;
    char url[128], msg[256];
    snprintf(url, sizeof url, "sqlite:%s/group.db", dir);
    struct pp_db_pool *pool = pp_db_pool_new(url, GROUP_THREADS + 1, msg, sizeof msg);
    assert_non_null(pool);
    struct pp_db *db = pp_db_pool_acquire(pool);
    assert_int_equal(pp_db_exec(db, "CREATE TABLE t (k INTEGER PRIMARY KEY, v INTEGER NOT NULL);"
                                    " CREATE TABLE c (id INTEGER PRIMARY KEY, n INTEGER NOT NULL,"
                                    " autos INTEGER NOT NULL);"
                                    " INSERT INTO c VALUES (1, 0, 0)"),
                     PP_OK);
    pp_db_pool_release(pool, db);

    struct group_worker w[GROUP_THREADS];
    pthread_t th[GROUP_THREADS];
    for (int i = 0; i < GROUP_THREADS; i++) {
        w[i] = (struct group_worker){.pool = pool, .index = i + 1};
        assert_int_equal(pthread_create(&th[i], NULL, group_work, &w[i]), 0);
    }
    int committed = 0, failed = 0, autos = 0;
    for (int i = 0; i < GROUP_THREADS; i++) {
        pthread_join(th[i], NULL);
        committed += w[i].committed;
        failed += w[i].failed;
        autos += w[i].autos;
    }
    assert_int_equal(failed, GROUP_THREADS * (GROUP_TX / 10));
    assert_int_equal(committed, GROUP_THREADS * GROUP_TX - failed);
    db = pp_db_pool_acquire(pool);
    int64_t n, rows, a;
    assert_int_equal(pp_db_query_int(db, &n, "SELECT n FROM c", 0), PP_OK);
    assert_int_equal(pp_db_query_int(db, &a, "SELECT autos FROM c", 0), PP_OK);
    assert_int_equal(pp_db_query_int(db, &rows, "SELECT COUNT(*) FROM t", 0), PP_OK);
    assert_int_equal(n, committed); /* the failed ones' UPDATE left nothing */
    assert_int_equal(rows, committed);
    assert_int_equal(a, autos);
    pp_db_pool_release(pool, db);
    struct pp_db_pool_stats st;
    pp_db_pool_stats(pool, &st);
    /* Each commit, write outside a transaction and the table creation is one transaction... */
    assert_int_equal(st.transactions, committed + autos + 1);
    /* ...and eight threads writing at once share commits. */
    assert_true(st.commits < st.transactions);
    pp_db_pool_free(pool);
}

static void test_row_update_one(void **state)
{
    struct pp_db *db = *state;
    make_things(db);
    static const char sql[] = "UPDATE thing SET state = 'CLOSED' WHERE id = ? AND state = 'OPEN'";
    static const char exists[] = "SELECT 1 FROM thing WHERE id = ?";
    struct pp_stmt *st = pp_db_prepare(db, sql);
    pp_stmt_bind_int(st, 1, 1);
    assert_int_equal(pp_row_update_one(db, st, exists, 1), PP_OK);
    st = pp_db_prepare(db, sql);
    pp_stmt_bind_int(st, 1, 1);
    assert_int_equal(pp_row_update_one(db, st, exists, 1), PP_ECONFLICT); /* already closed */
    st = pp_db_prepare(db, sql);
    pp_stmt_bind_int(st, 1, 42);
    assert_int_equal(pp_row_update_one(db, st, exists, 42), PP_ENOTFOUND);

    st = pp_db_prepare(db, "INSERT INTO thing (id, label) VALUES (?, 'x')");
    pp_stmt_bind_int(st, 1, 1);
    assert_int_equal(pp_row_exec(st), PP_ECONFLICT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_migrate_idempotent),
        cmocka_unit_test(test_unique_and_rollback),
        cmocka_unit_test(test_binds_and_columns),
        cmocka_unit_test(test_audit_log_is_append_only),
        cmocka_unit_test(test_backup),
        cmocka_unit_test(test_bad_url),
        cmocka_unit_test(test_row_collect_and_fetch),
        cmocka_unit_test(test_row_names_must_match),
        cmocka_unit_test(test_row_update_one),
        cmocka_unit_test(test_group_commit),
    };
    return cmocka_run_group_tests_name("db", tests, setup, teardown);
}
