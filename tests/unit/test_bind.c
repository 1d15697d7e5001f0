/* db/bind (typed parameter lists) and db/tx (ending a transaction by its outcome). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "db/bind.h"
#include "db/db.h"
#include "db/row.h"
#include "db/tx.h"

static int setup(void **state)
{
    struct pp_db *db;
    char msg[256];
    if (pp_db_open("sqlite::memory:", &db, msg, sizeof msg) != PP_OK)
        return -1;
    if (pp_db_exec(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER, s TEXT)") != PP_OK)
        return -1;
    *state = db;
    return 0;
}

static int teardown(void **state)
{
    pp_db_close(*state);
    return 0;
}

static void test_bind_kinds(void **state)
{
    struct pp_db *db = *state;
    int small = 7;
    assert_int_equal(pp_row_exec(PP_BIND(db, "INSERT INTO t (id, n, s) VALUES (?, ?, ?)",
                                         PP_INT(1), PP_INT(small), PP_TEXT("un"))),
                     PP_OK);
    assert_int_equal(pp_row_exec(PP_BIND(db, "INSERT INTO t (id, n, s) VALUES (?, ?, ?)",
                                         PP_INT(2), PP_INT_OR_NULL(0), PP_TEXT(NULL))),
                     PP_OK);
    int64_t v = 0;
    assert_int_equal(pp_db_query_int(db, &v, "SELECT n FROM t WHERE id = 1", 0), PP_OK);
    assert_int_equal(v, 7);
    assert_int_equal(pp_db_query_int(db, &v, "SELECT COUNT(*) FROM t WHERE id = 1 AND s = 'un'",
                                     0),
                     PP_OK);
    assert_int_equal(v, 1);
    assert_int_equal(
        pp_db_query_int(db, &v, "SELECT COUNT(*) FROM t WHERE n IS NULL AND s IS NULL", 0),
        PP_OK);
    assert_int_equal(v, 1);
}

static void test_bad_sql_is_null(void **state)
{
    assert_null(PP_BIND(*state, "SELEC nothing", PP_INT(1)));
    assert_int_equal(pp_row_exec(PP_BIND(*state, "SELEC nothing", PP_INT(1))), PP_EDB);
}

static void test_tx_end(void **state)
{
    struct pp_db *db = *state;
    assert_int_equal(pp_db_begin(db), PP_OK);
    pp_row_exec(PP_BIND(db, "INSERT INTO t (id, n) VALUES (?, ?)", PP_INT(10), PP_INT(1)));
    assert_int_equal(pp_tx_end(db, PP_ECONFLICT), PP_ECONFLICT);
    assert_int_equal(pp_db_query_int(db, NULL, "SELECT 1 FROM t WHERE id = 10", 0), PP_ENOTFOUND);

    assert_int_equal(pp_db_begin(db), PP_OK);
    pp_row_exec(PP_BIND(db, "INSERT INTO t (id, n) VALUES (?, ?)", PP_INT(11), PP_INT(1)));
    assert_int_equal(pp_tx_end(db, PP_OK), PP_OK);
    assert_int_equal(pp_db_query_int(db, NULL, "SELECT 1 FROM t WHERE id = 11", 0), PP_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_bind_kinds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_sql_is_null, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tx_end, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
