/*
 * SQLite backend: WAL journal, synchronous=FULL (a committed booking survives a power cut),
 * foreign keys on, a busy timeout so that writers queue instead of failing, and a small
 * per-connection cache of prepared statements keyed by SQL text.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/arena.h"
#include "db/db_internal.h"

#define STMT_CACHE 96
#define BUSY_TIMEOUT_MS 10000

struct sq_stmt {
    struct pp_stmt base;
    sqlite3_stmt *stmt;
    char *sql; /* key: a copy of the SQL text */
    int in_use;
    int cached;
    int64_t changes;
};

struct sq_db {
    struct pp_db base;
    sqlite3 *h;
    struct sq_stmt *cache[STMT_CACHE];
    int ncache;
};

static const struct pp_db_ops sqlite_ops;

static void sq_close(struct pp_db *db)
{
    struct sq_db *s = (struct sq_db *)db;
    for (int i = 0; i < s->ncache; i++) {
        sqlite3_finalize(s->cache[i]->stmt);
        free(s->cache[i]->sql);
        free(s->cache[i]);
    }
    sqlite3_close(s->h);
    free(s);
}

static struct pp_stmt *sq_prepare(struct pp_db *db, const char *sql)
{
    struct sq_db *s = (struct sq_db *)db;
    for (int i = 0; i < s->ncache; i++) {
        struct sq_stmt *c = s->cache[i];
        if (!c->in_use && strcmp(c->sql, sql) == 0) {
            c->in_use = 1;
            c->changes = 0;
            return &c->base;
        }
    }
    sqlite3_stmt *h;
    if (sqlite3_prepare_v2(s->h, sql, -1, &h, NULL) != SQLITE_OK) {
        fprintf(stderr, "passpro: requête SQL invalide : %s\n  %s\n", sqlite3_errmsg(s->h), sql);
        return NULL;
    }
    struct sq_stmt *st = pp_xcalloc(1, sizeof *st);
    st->base.db = db;
    st->stmt = h;
    st->in_use = 1;
    if (s->ncache < STMT_CACHE) {
        st->sql = pp_xstrdup(sql);
        st->cached = 1;
        s->cache[s->ncache++] = st;
    }
    return &st->base;
}

static void sq_bind_int(struct pp_stmt *st, int i, int64_t v)
{
    sqlite3_bind_int64(((struct sq_stmt *)st)->stmt, i, v);
}

static void sq_bind_text(struct pp_stmt *st, int i, const char *v)
{
    sqlite3_bind_text(((struct sq_stmt *)st)->stmt, i, v, -1, SQLITE_TRANSIENT);
}

static void sq_bind_null(struct pp_stmt *st, int i)
{
    sqlite3_bind_null(((struct sq_stmt *)st)->stmt, i);
}

static void sq_bind_blob(struct pp_stmt *st, int i, const void *data, size_t n)
{
    sqlite3_bind_blob64(((struct sq_stmt *)st)->stmt, i, data, n, SQLITE_TRANSIENT);
}

static const void *sq_col_blob(struct pp_stmt *st, int i, size_t *len)
{
    sqlite3_stmt *h = ((struct sq_stmt *)st)->stmt;
    const void *p = sqlite3_column_blob(h, i);
    *len = (size_t)sqlite3_column_bytes(h, i);
    return p;
}

static enum pp_step sq_step(struct pp_stmt *st)
{
    struct sq_stmt *q = (struct sq_stmt *)st;
    struct sq_db *s = (struct sq_db *)st->db;
    int rc = sqlite3_step(q->stmt);
    if (rc == SQLITE_ROW)
        return PP_STEP_ROW;
    if (rc == SQLITE_DONE) {
        q->changes = sqlite3_changes64(s->h);
        return PP_STEP_DONE;
    }
    if (sqlite3_extended_errcode(s->h) != SQLITE_CONSTRAINT_UNIQUE &&
        sqlite3_extended_errcode(s->h) != SQLITE_CONSTRAINT_PRIMARYKEY)
        fprintf(stderr, "passpro: erreur SQLite : %s\n", sqlite3_errmsg(s->h));
    return PP_STEP_ERROR;
}

static int64_t sq_col_int(struct pp_stmt *st, int i)
{
    return sqlite3_column_int64(((struct sq_stmt *)st)->stmt, i);
}

static const char *sq_col_text(struct pp_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(((struct sq_stmt *)st)->stmt, i);
}

static bool sq_col_is_null(struct pp_stmt *st, int i)
{
    return sqlite3_column_type(((struct sq_stmt *)st)->stmt, i) == SQLITE_NULL;
}

static const char *sq_col_name(struct pp_stmt *st, int i)
{
    return sqlite3_column_name(((struct sq_stmt *)st)->stmt, i);
}

static int sq_col_count(struct pp_stmt *st)
{
    return sqlite3_column_count(((struct sq_stmt *)st)->stmt);
}

static int64_t sq_changes(struct pp_stmt *st)
{
    return ((struct sq_stmt *)st)->changes;
}

static void sq_done(struct pp_stmt *st)
{
    struct sq_stmt *q = (struct sq_stmt *)st;
    sqlite3_reset(q->stmt);
    sqlite3_clear_bindings(q->stmt);
    if (q->cached) {
        q->in_use = 0;
    } else {
        sqlite3_finalize(q->stmt);
        free(q);
    }
}

static bool sq_is_unique(struct pp_db *db)
{
    int ext = sqlite3_extended_errcode(((struct sq_db *)db)->h);
    return ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY;
}

static const char *sq_errmsg(struct pp_db *db)
{
    return sqlite3_errmsg(((struct sq_db *)db)->h);
}

static enum pp_err sq_exec(struct pp_db *db, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(((struct sq_db *)db)->h, sql, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "passpro: erreur SQLite : %s\n", err ? err : "?");
        sqlite3_free(err);
        return PP_EDB;
    }
    return PP_OK;
}

static enum pp_err sq_begin(struct pp_db *db)
{
    return sq_exec(db, "BEGIN IMMEDIATE");
}

static enum pp_err sq_commit(struct pp_db *db)
{
    enum pp_err rc = sq_exec(db, "COMMIT");
    if (rc != PP_OK)
        sq_exec(db, "ROLLBACK");
    return rc;
}

static void sq_rollback(struct pp_db *db)
{
    sq_exec(db, "ROLLBACK");
}

static enum pp_err sq_backup(struct pp_db *db, const char *path, char *msg, size_t cap)
{
    sqlite3 *dst;
    if (sqlite3_open(path, &dst) != SQLITE_OK) {
        snprintf(msg, cap, "impossible de créer %s : %s", path, sqlite3_errmsg(dst));
        sqlite3_close(dst);
        return PP_EDB;
    }
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", ((struct sq_db *)db)->h, "main");
    if (b == NULL) {
        snprintf(msg, cap, "copie impossible : %s", sqlite3_errmsg(dst));
        sqlite3_close(dst);
        return PP_EDB;
    }
    /* Copy in steps so that writers are not blocked for the whole copy. */
    int rc;
    do {
        rc = sqlite3_backup_step(b, 256);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
            sqlite3_sleep(20);
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    sqlite3_backup_finish(b);
    enum pp_err out = PP_OK;
    if (rc != SQLITE_DONE) {
        snprintf(msg, cap, "copie interrompue : %s", sqlite3_errmsg(dst));
        out = PP_EDB;
    }
    sqlite3_close(dst);
    return out;
}

static const struct pp_db_ops sqlite_ops = {
    .name = "sqlite",
    .close = sq_close,
    .prepare = sq_prepare,
    .bind_int = sq_bind_int,
    .bind_text = sq_bind_text,
    .bind_null = sq_bind_null,
    .step = sq_step,
    .col_int = sq_col_int,
    .col_text = sq_col_text,
    .col_is_null = sq_col_is_null,
    .bind_blob = sq_bind_blob,
    .col_blob = sq_col_blob,
    .col_name = sq_col_name,
    .col_count = sq_col_count,
    .changes = sq_changes,
    .done = sq_done,
    .is_unique = sq_is_unique,
    .errmsg = sq_errmsg,
    .exec = sq_exec,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .backup = sq_backup,
};

enum pp_err pp_db_sqlite_open(const char *path, struct pp_db **out, char *msg, size_t cap)
{
    /* The default database lives in var/: create the folder on first use. */
    const char *slash = strrchr(path, '/');
    if (slash != NULL && slash != path && (size_t)(slash - path) < 4096) {
        char dir[4096];
        memcpy(dir, path, (size_t)(slash - path));
        dir[slash - path] = '\0';
        mkdir(dir, 0755);
    }
    sqlite3 *h;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &h, flags, NULL) != SQLITE_OK) {
        snprintf(msg, cap, "impossible d'ouvrir la base %s : %s", path, sqlite3_errmsg(h));
        sqlite3_close(h);
        return PP_EDB;
    }
    sqlite3_busy_timeout(h, BUSY_TIMEOUT_MS);
    struct sq_db *s = pp_xcalloc(1, sizeof *s);
    s->base.ops = &sqlite_ops;
    s->h = h;
    const char *pragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                          " PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;";
    /* Switching a new file to WAL takes an exclusive lock that the busy timeout does not wait
     * for: two processes opening a new database at once (two servers, two migrations) would
     * see "database is locked". Try again for a while. */
    enum pp_err rc = PP_EDB;
    for (int attempt = 0; attempt < 100 && rc != PP_OK; attempt++) {
        if (attempt > 0)
            sqlite3_sleep(50);
        rc = sqlite3_exec(h, pragmas, NULL, NULL, NULL) == SQLITE_OK ? PP_OK : PP_EDB;
    }
    if (rc != PP_OK) {
        snprintf(msg, cap, "impossible de configurer la base %s : %s", path, sqlite3_errmsg(h));
        sq_close(&s->base);
        return PP_EDB;
    }
    *out = &s->base;
    return PP_OK;
}
