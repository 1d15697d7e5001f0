#ifndef PP_DB_INTERNAL_H
#define PP_DB_INTERNAL_H

/* Shared between db.c and the backends; not for the rest of passpro. */

#include <stddef.h>

#include "db/db.h"

struct pp_db_ops {
    const char *name;
    void (*close)(struct pp_db *db);
    struct pp_stmt *(*prepare)(struct pp_db *db, const char *sql);
    void (*bind_int)(struct pp_stmt *st, int i, int64_t v);
    void (*bind_text)(struct pp_stmt *st, int i, const char *v);
    void (*bind_null)(struct pp_stmt *st, int i);
    void (*bind_blob)(struct pp_stmt *st, int i, const void *data, size_t n);
    enum pp_step (*step)(struct pp_stmt *st);
    int64_t (*col_int)(struct pp_stmt *st, int i);
    const char *(*col_text)(struct pp_stmt *st, int i);
    bool (*col_is_null)(struct pp_stmt *st, int i);
    const void *(*col_blob)(struct pp_stmt *st, int i, size_t *len);
    const char *(*col_name)(struct pp_stmt *st, int i);
    int (*col_count)(struct pp_stmt *st);
    int64_t (*changes)(struct pp_stmt *st);
    void (*done)(struct pp_stmt *st);
    bool (*is_unique)(struct pp_db *db);
    const char *(*errmsg)(struct pp_db *db);
    enum pp_err (*exec)(struct pp_db *db, const char *sql);
    enum pp_err (*begin)(struct pp_db *db);
    /* Ends the transaction begin() opened, whatever happens (on failure it is rolled back). */
    enum pp_err (*commit)(struct pp_db *db);
    void (*rollback)(struct pp_db *db);
    enum pp_err (*backup)(struct pp_db *db, const char *path, char *msg, size_t cap);
    /* NULL for a backend whose connection cannot be lost (SQLite). */
    bool (*is_lost)(struct pp_db *db);
    enum pp_err (*reconnect)(struct pp_db *db);
    /* NULL unless the backend shares something between a pool's connections (SQLite's group
     * commit); called once the pool's @n connections are open. */
    enum pp_err (*pool_attach)(struct pp_db **conns, int n);
    void (*pool_stats)(struct pp_db *db, int64_t *commits, int64_t *transactions);
};

/* Every backend's connection starts with this header. */
struct pp_db {
    const struct pp_db_ops *ops;
    int in_tx;
};

/* Every backend's statement starts with this header. */
struct pp_stmt {
    struct pp_db *db;
};

enum pp_err pp_db_sqlite_open(const char *path, struct pp_db **out, char *msg, size_t cap);
enum pp_err pp_db_pgsql_open(const char *url, struct pp_db **out, char *msg, size_t cap);

#endif
