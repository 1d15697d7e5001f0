#include "db/db.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/clock.h"
#include "db/db_internal.h"
#include "embedded.h"

enum pp_err pp_db_open(const char *url, struct pp_db **out, char *msg, size_t cap)
{
    *out = NULL;
    if (url != NULL && strncmp(url, "sqlite:", 7) == 0)
        return pp_db_sqlite_open(url + 7, out, msg, cap);
    if (url != NULL && (strncmp(url, "postgresql:", 11) == 0 || strncmp(url, "postgres:", 9) == 0))
        return pp_db_pgsql_open(url, out, msg, cap);
    snprintf(msg, cap,
             "adresse de base de données non prise en charge : %s"
             " (attendu sqlite:CHEMIN ou postgresql://…)",
             url ? url : "(vide)");
    return PP_EINVAL;
}

void pp_db_close(struct pp_db *db)
{
    if (db != NULL)
        db->ops->close(db);
}

const char *pp_db_backend(const struct pp_db *db)
{
    return db->ops->name;
}

struct pp_stmt *pp_db_prepare(struct pp_db *db, const char *sql)
{
    return db->ops->prepare(db, sql);
}

void pp_stmt_bind_int(struct pp_stmt *st, int i, int64_t v)
{
    st->db->ops->bind_int(st, i, v);
}

void pp_stmt_bind_text(struct pp_stmt *st, int i, const char *v)
{
    if (v == NULL)
        st->db->ops->bind_null(st, i);
    else
        st->db->ops->bind_text(st, i, v);
}

void pp_stmt_bind_null(struct pp_stmt *st, int i)
{
    st->db->ops->bind_null(st, i);
}

void pp_stmt_bind_blob(struct pp_stmt *st, int i, const void *data, size_t n)
{
    st->db->ops->bind_blob(st, i, data, n);
}

const void *pp_stmt_blob(struct pp_stmt *st, int i, size_t *len)
{
    return st->db->ops->col_blob(st, i, len);
}

enum pp_step pp_stmt_step(struct pp_stmt *st)
{
    return st->db->ops->step(st);
}

int64_t pp_stmt_int(struct pp_stmt *st, int i)
{
    return st->db->ops->col_int(st, i);
}

const char *pp_stmt_text(struct pp_stmt *st, int i)
{
    return st->db->ops->col_text(st, i);
}

bool pp_stmt_is_null(struct pp_stmt *st, int i)
{
    return st->db->ops->col_is_null(st, i);
}

const char *pp_stmt_column_name(struct pp_stmt *st, int i)
{
    return st->db->ops->col_name(st, i);
}

int pp_stmt_column_count(struct pp_stmt *st)
{
    return st->db->ops->col_count(st);
}

int64_t pp_stmt_changes(struct pp_stmt *st)
{
    return st->db->ops->changes(st);
}

void pp_stmt_done(struct pp_stmt *st)
{
    if (st != NULL)
        st->db->ops->done(st);
}

bool pp_db_is_unique(struct pp_db *db)
{
    return db->ops->is_unique(db);
}

const char *pp_db_errmsg(struct pp_db *db)
{
    return db->ops->errmsg(db);
}

enum pp_err pp_db_begin(struct pp_db *db)
{
    enum pp_err rc = db->ops->begin(db);
    if (rc == PP_OK)
        db->in_tx = 1;
    return rc;
}

enum pp_err pp_db_commit(struct pp_db *db)
{
    enum pp_err rc = db->ops->commit(db);
    db->in_tx = 0;
    return rc;
}

void pp_db_rollback(struct pp_db *db)
{
    if (db->in_tx) {
        db->ops->rollback(db);
        db->in_tx = 0;
    }
}

enum pp_err pp_db_exec(struct pp_db *db, const char *sql)
{
    return db->ops->exec(db, sql);
}

enum pp_err pp_db_query_int(struct pp_db *db, int64_t *out, const char *sql, int nargs, ...)
{
    struct pp_stmt *st = pp_db_prepare(db, sql);
    if (st == NULL)
        return PP_EDB;
    va_list ap;
    va_start(ap, nargs);
    for (int i = 1; i <= nargs; i++)
        pp_stmt_bind_int(st, i, va_arg(ap, int64_t));
    va_end(ap);
    enum pp_err rc;
    switch (pp_stmt_step(st)) {
    case PP_STEP_ROW:
        if (out != NULL)
            *out = pp_stmt_int(st, 0);
        rc = PP_OK;
        break;
    case PP_STEP_DONE:
        rc = PP_ENOTFOUND;
        break;
    default:
        rc = PP_EDB;
    }
    pp_stmt_done(st);
    return rc;
}

bool pp_db_is_lost(struct pp_db *db)
{
    return db->ops->is_lost != NULL && db->ops->is_lost(db);
}

enum pp_err pp_db_ping(struct pp_db *db)
{
    return pp_db_query_int(db, NULL, "SELECT 1", 0);
}

enum pp_err pp_db_reconnect(struct pp_db *db)
{
    return db->ops->reconnect != NULL ? db->ops->reconnect(db) : PP_OK;
}

enum pp_err pp_db_backup(struct pp_db *db, const char *path, char *msg, size_t cap)
{
    return db->ops->backup(db, path, msg, cap);
}

/* Migrations: embedded files "db/migrations/<backend>/NNN_name.sql", applied in name order. */
enum pp_err pp_db_migrate(struct pp_db *db, int *applied)
{
    char prefix[64];
    snprintf(prefix, sizeof prefix, "db/migrations/%s/", pp_db_backend(db));
    size_t plen = strlen(prefix);
    if (applied != NULL)
        *applied = 0;

    /* In a transaction: on PostgreSQL, begin() takes the write lock, so that two servers
     * starting at once create the table and apply each migration once. */
    if (pp_db_begin(db) != PP_OK)
        return PP_EDB;
    if (pp_db_exec(db, "CREATE TABLE IF NOT EXISTS schema_migrations ("
                       " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                       " applied_at BIGINT NOT NULL)") != PP_OK ||
        pp_db_commit(db) != PP_OK) {
        pp_db_rollback(db);
        return PP_EDB;
    }

    /* The embedded list is sorted by name (the Makefile sorts it), hence by version. */
    for (const struct pp_embedded_file *f = pp_embedded_files; f->name != NULL; f++) {
        if (strncmp(f->name, prefix, plen) != 0)
            continue;
        const char *base = f->name + plen;
        char *end;
        long version = strtol(base, &end, 10);
        if (end == base || version <= 0)
            continue;
        if (pp_db_begin(db) != PP_OK)
            return PP_EDB;
        int64_t found;
        enum pp_err rc = pp_db_query_int(
            db, &found, "SELECT version FROM schema_migrations WHERE version = ?", 1,
            (int64_t)version);
        if (rc == PP_OK) {
            pp_db_rollback(db);
            continue;
        }
        if (rc != PP_ENOTFOUND || pp_db_exec(db, f->data) != PP_OK) {
            fprintf(stderr, "passpro: migration %s impossible : %s\n", base, pp_db_errmsg(db));
            pp_db_rollback(db);
            return PP_EDB;
        }
        struct pp_stmt *st = pp_db_prepare(
            db, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)");
        if (st == NULL) {
            pp_db_rollback(db);
            return PP_EDB;
        }
        pp_stmt_bind_int(st, 1, version);
        pp_stmt_bind_text(st, 2, base);
        pp_stmt_bind_int(st, 3, pp_clock_now());
        enum pp_step s = pp_stmt_step(st);
        pp_stmt_done(st);
        if (s != PP_STEP_DONE || pp_db_commit(db) != PP_OK) {
            pp_db_rollback(db);
            return PP_EDB;
        }
        if (applied != NULL)
            (*applied)++;
    }
    return PP_OK;
}

/* Pool */

struct pp_db_pool {
    pthread_mutex_t lock;
    pthread_cond_t freed;
    int size;
    int nfree;
    int64_t waits; /* acquires that found no free connection */
    struct pp_db **conns;
    struct pp_db **free_list;
};

struct pp_db_pool *pp_db_pool_new(const char *url, int size, char *msg, size_t cap)
{
    /* Each connection to ":memory:" is a database of its own: one connection only. */
    size_t ulen = strlen(url);
    if (ulen >= 8 && strcmp(url + ulen - 8, ":memory:") == 0)
        size = 1;
    struct pp_db_pool *pool = pp_xcalloc(1, sizeof *pool);
    pthread_mutex_init(&pool->lock, NULL);
    pthread_cond_init(&pool->freed, NULL);
    pool->conns = pp_xcalloc((size_t)size, sizeof(struct pp_db *));
    pool->free_list = pp_xcalloc((size_t)size, sizeof(struct pp_db *));
    for (int i = 0; i < size; i++) {
        if (pp_db_open(url, &pool->conns[i], msg, cap) != PP_OK) {
            pool->size = i;
            pp_db_pool_free(pool);
            return NULL;
        }
        pool->free_list[pool->nfree++] = pool->conns[i];
        pool->size = i + 1;
    }
    const struct pp_db_ops *ops = pool->conns[0]->ops;
    if (ops->pool_attach != NULL && ops->pool_attach(pool->conns, size) != PP_OK) {
        snprintf(msg, cap, "impossible de préparer la connexion d'écriture de la base");
        pp_db_pool_free(pool);
        return NULL;
    }
    return pool;
}

void pp_db_pool_free(struct pp_db_pool *pool)
{
    if (pool == NULL)
        return;
    for (int i = 0; i < pool->size; i++)
        pp_db_close(pool->conns[i]);
    pthread_mutex_destroy(&pool->lock);
    pthread_cond_destroy(&pool->freed);
    free(pool->conns);
    free(pool->free_list);
    free(pool);
}

struct pp_db *pp_db_pool_acquire(struct pp_db_pool *pool)
{
    pthread_mutex_lock(&pool->lock);
    if (pool->nfree == 0)
        pool->waits++;
    while (pool->nfree == 0)
        pthread_cond_wait(&pool->freed, &pool->lock);
    struct pp_db *db = pool->free_list[--pool->nfree];
    pthread_mutex_unlock(&pool->lock);
    /* A connection lost earlier gets one more try; if the database is still away, the
     * request fails fast and is answered 503. */
    if (pp_db_is_lost(db))
        pp_db_reconnect(db);
    return db;
}

void pp_db_pool_stats(struct pp_db_pool *pool, struct pp_db_pool_stats *out)
{
    pthread_mutex_lock(&pool->lock);
    out->size = pool->size;
    out->in_use = pool->size - pool->nfree;
    out->waits = pool->waits;
    out->lost = 0;
    out->commits = out->transactions = 0;
    if (pool->size > 0 && pool->conns[0]->ops->pool_stats != NULL)
        pool->conns[0]->ops->pool_stats(pool->conns[0], &out->commits, &out->transactions);
    for (int i = 0; i < pool->nfree; i++)
        out->lost += pp_db_is_lost(pool->free_list[i]);
    pthread_mutex_unlock(&pool->lock);
}

void pp_db_pool_release(struct pp_db_pool *pool, struct pp_db *db)
{
    if (db == NULL)
        return;
    if (db->in_tx) {
        fprintf(stderr, "passpro: transaction laissée ouverte, annulée\n");
        pp_db_rollback(db);
    }
    if (pp_db_is_lost(db)) {
        db->in_tx = 0;
        pp_db_reconnect(db);
    }
    pthread_mutex_lock(&pool->lock);
    pool->free_list[pool->nfree++] = db;
    pthread_cond_signal(&pool->freed);
    pthread_mutex_unlock(&pool->lock);
}
