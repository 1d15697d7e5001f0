#ifndef PP_TESTS_DB_FIXTURE_H
#define PP_TESTS_DB_FIXTURE_H

/* For unit suites on a real database: fixtures written in SQL, values read back in SQL.
 * Include after <cmocka.h> and "db/db.h". */

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

/* Runs the SQL of printf format @fmt on @db; fails the test with the error otherwise. */
static void sql(struct pp_db *db, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sql(struct pp_db *db, const char *fmt, ...)
{
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (pp_db_exec(db, buf) != PP_OK)
        fail_msg("SQL: %s: %s", buf, pp_db_errmsg(db));
}

/* The first column of the first row of the query of printf format @fmt; -1 when there is no
 * row. A database failure fails the test. */
static int64_t one(struct pp_db *db, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int64_t one(struct pp_db *db, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    int64_t v = -1;
    enum pp_err rc = pp_db_query_int(db, &v, buf, 0);
    if (rc == PP_ENOTFOUND)
        return -1;
    assert_int_equal(rc, PP_OK);
    return v;
}

#endif
