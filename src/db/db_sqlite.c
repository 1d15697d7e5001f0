/*
 * SQLite backend: WAL journal, synchronous=FULL (a committed booking survives a power cut),
 * foreign keys on, a busy timeout so that writers queue instead of failing, and a small
 * per-connection cache of prepared statements keyed by SQL text.
 *
 * Group commit. With synchronous=FULL each commit waits for the disk, and concurrent writers
 * queue on SQLite's lock, retrying on a timer: under a rush each booking paid one fsync plus
 * the queue. So the connections of a pool share one writer connection (struct sq_group): a
 * write transaction takes the group's mutex, runs on the writer under its own SAVEPOINT, and
 * releases it; if others are waiting to write, the SQLite transaction is left open for them
 * and the caller sleeps until the batch is committed; the last one in commits for all (one
 * fsync). Each caller's commit returns only once its batch is durable; a transaction that
 * fails is rolled back to its savepoint and fails alone. Reads outside transactions stay on
 * the caller's own connection, where WAL shows them only what is committed.
 */
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/arena.h"
#include "db/db_internal.h"

#define STMT_CACHE 96
#define BUSY_TIMEOUT_MS 10000
/* At most this many transactions ride one commit, so that a steady stream of writers still
 * gets its answers: the batch is committed even when more are waiting. */
#define GROUP_MAX_BATCH 64

struct sq_db;

struct sq_stmt {
    struct pp_stmt base; /* base.db: the connection it was prepared for, which may differ from
                          * the one whose cache holds it (the writer); errors are recorded there */
    sqlite3_stmt *stmt;
    char *sql; /* key: a copy of the SQL text */
    int in_use;
    int cached;
    int64_t changes;
    int auto_tx;         /* a write outside a transaction, run as a one-statement group member */
};

/* A transaction waiting for its batch to be committed (on the waiter's stack). */
struct sq_waiter {
    struct sq_waiter *next;
    int done;
    enum pp_err rc;
};

struct sq_group {
    struct sq_db *writer;
    pthread_mutex_t lock; /* held by the one transaction running on the writer */
    pthread_cond_t durable;
    atomic_int queued;          /* callers waiting for the lock */
    int open;                   /* the writer's SQLite transaction is open */
    struct sq_waiter *waiters;  /* members of the open batch, committed or failed together */
    int nwaiters;
    int refs;                   /* connections sharing the group */
    /* Read by /metrics without the lock, which a long transaction may hold for a while. */
    _Atomic int64_t commits, transactions;
};

struct sq_db {
    struct pp_db base;
    sqlite3 *h;
    struct sq_stmt *cache[STMT_CACHE];
    int ncache;
    char *path;
    struct sq_group *group; /* NULL outside a pool (command-line tools, tests) */
    int borrowing;          /* inside a transaction: statements run on the group's writer */
    int last_ext;           /* extended code and message of the last failed statement */
    char last_msg[256];
};

static const struct pp_db_ops sqlite_ops;
static void sq_done(struct pp_stmt *st);

static void sq_close(struct pp_db *db)
{
    struct sq_db *s = (struct sq_db *)db;
    for (int i = 0; i < s->ncache; i++) {
        sqlite3_finalize(s->cache[i]->stmt);
        free(s->cache[i]->sql);
        free(s->cache[i]);
    }
    sqlite3_close(s->h);
    struct sq_group *g = s->group;
    if (g != NULL && --g->refs == 0) {
        sq_close(&g->writer->base);
        pthread_mutex_destroy(&g->lock);
        pthread_cond_destroy(&g->durable);
        free(g);
    }
    free(s->path);
    free(s);
}

static void record_error(struct sq_db *s, sqlite3 *h)
{
    s->last_ext = sqlite3_extended_errcode(h);
    snprintf(s->last_msg, sizeof s->last_msg, "%s", sqlite3_errmsg(h));
}

static int run(sqlite3 *h, const char *sql)
{
    char *err = NULL;
    int rc = sqlite3_exec(h, sql, NULL, NULL, &err);
    if (rc != SQLITE_OK) {
        fprintf(stderr, "passpro: erreur SQLite : %s\n", err ? err : "?");
        sqlite3_free(err);
    }
    return rc;
}

static struct sq_stmt *cache_get(struct sq_db *s, const char *sql);
static void cache_put(struct sq_stmt *q);

/* A transaction-control statement (BEGIN, SAVEPOINT, COMMIT...) on @s, prepared once: parsing
 * them anew for each transaction was a quarter of a booking's instructions in SQLite. */
static int ctl(struct sq_db *s, const char *sql)
{
    struct sq_stmt *st = cache_get(s, sql);
    if (st == NULL)
        return SQLITE_ERROR;
    int rc = sqlite3_step(st->stmt);
    if (rc == SQLITE_DONE)
        rc = SQLITE_OK;
    else
        fprintf(stderr, "passpro: erreur SQLite : %s\n", sqlite3_errmsg(s->h));
    cache_put(st);
    return rc;
}

/* Takes the writer for one transaction: opens the batch's SQLite transaction if none is open,
 * then the caller's savepoint. */
static enum pp_err group_enter(struct sq_db *s)
{
    struct sq_group *g = s->group;
    atomic_fetch_add(&g->queued, 1);
    pthread_mutex_lock(&g->lock);
    atomic_fetch_sub(&g->queued, 1);
    sqlite3 *w = g->writer->h;
    if (!g->open) {
        if (ctl(g->writer, "BEGIN IMMEDIATE") != SQLITE_OK) {
            record_error(s, w);
            pthread_mutex_unlock(&g->lock);
            return PP_EDB;
        }
        g->open = 1;
    }
    if (ctl(g->writer, "SAVEPOINT pp_tx") != SQLITE_OK) {
        record_error(s, w);
        pthread_mutex_unlock(&g->lock);
        return PP_EDB;
    }
    s->borrowing = 1;
    return PP_OK;
}

/* Closes the batch: each member is told @rc and woken. Called with the lock held. */
static void end_batch(struct sq_group *g, enum pp_err rc)
{
    g->open = 0;
    for (struct sq_waiter *w = g->waiters; w != NULL; w = w->next) {
        w->rc = rc;
        w->done = 1;
    }
    g->waiters = NULL;
    g->nwaiters = 0;
    pthread_cond_broadcast(&g->durable);
}

/* Commits the open batch and tells each member how it went. Called with the lock held. */
static void group_commit_batch(struct sq_group *g)
{
    enum pp_err rc = PP_OK;
    if (ctl(g->writer, "COMMIT") != SQLITE_OK) {
        rc = PP_EDB;
        if (!sqlite3_get_autocommit(g->writer->h))
            ctl(g->writer, "ROLLBACK");
    }
    if (g->nwaiters > 0)
        atomic_fetch_add(&g->commits, 1);
    if (rc == PP_OK)
        atomic_fetch_add(&g->transactions, g->nwaiters);
    end_batch(g, rc);
}

/*
 * Ends the caller's part: its savepoint is released (@keep) or rolled back. A kept change joins
 * the batch; whoever leaves with nobody waiting (or a full batch) commits it; the others sleep
 * until then. Returns once the caller's change is durable, or failed.
 */
static enum pp_err group_leave(struct sq_db *s, int keep)
{
    struct sq_group *g = s->group;
    sqlite3 *w = g->writer->h;
    s->borrowing = 0;
    struct sq_waiter me = {0};
    if (keep && ctl(g->writer, "RELEASE pp_tx") != SQLITE_OK) {
        record_error(s, w);
        keep = 0;
    }
    if (!keep && sqlite3_get_autocommit(w) == 0) {
        ctl(g->writer, "ROLLBACK TO pp_tx");
        ctl(g->writer, "RELEASE pp_tx");
    }
    if (sqlite3_get_autocommit(w)) {
        /* SQLite ended the whole transaction itself (a severe error): the batch is lost. */
        end_batch(g, PP_EDB);
        keep = 0;
    }
    if (keep) {
        me.next = g->waiters;
        g->waiters = &me;
        g->nwaiters++;
    }
    if (g->open && (atomic_load(&g->queued) == 0 || g->nwaiters >= GROUP_MAX_BATCH))
        group_commit_batch(g);
    while (keep && !me.done)
        pthread_cond_wait(&g->durable, &g->lock);
    pthread_mutex_unlock(&g->lock);
    if (!keep)
        return PP_EDB;
    return me.rc;
}

/* The connection statements run on now: the writer while borrowing it. */
static struct sq_db *active(struct sq_db *s)
{
    return s->borrowing ? s->group->writer : s;
}

/*
 * PASSPRO_QUERY_PLAN_LOG=FILE (set by the tests): each read newly prepared is explained, and
 * each table scan in its plan is appended to FILE as "detail<TAB>sql", so that a test can fail
 * on a list query that reads a whole big table instead of an index.
 */
static void log_scans(sqlite3 *h, const char *sql)
{
    const char *path = getenv("PASSPRO_QUERY_PLAN_LOG");
    if (path == NULL || *path == '\0' || strncmp(sql, "EXPLAIN", 7) == 0)
        return;
    char *explain = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", sql);
    sqlite3_stmt *q;
    if (explain == NULL || sqlite3_prepare_v2(h, explain, -1, &q, NULL) != SQLITE_OK) {
        sqlite3_free(explain);
        return;
    }
    FILE *f = fopen(path, "a");
    while (f != NULL && sqlite3_step(q) == SQLITE_ROW) {
        const char *detail = (const char *)sqlite3_column_text(q, 3);
        if (detail != NULL && strncmp(detail, "SCAN ", 5) == 0)
            fprintf(f, "%s\t%s\n", detail, sql);
    }
    if (f != NULL)
        fclose(f);
    sqlite3_finalize(q);
    sqlite3_free(explain);
}

/* A statement from @s's cache, or newly prepared on @s. */
static struct sq_stmt *cache_get(struct sq_db *s, const char *sql)
{
    for (int i = 0; i < s->ncache; i++) {
        struct sq_stmt *c = s->cache[i];
        if (!c->in_use && strcmp(c->sql, sql) == 0) {
            c->in_use = 1;
            c->changes = 0;
            return c;
        }
    }
    sqlite3_stmt *h;
    if (sqlite3_prepare_v2(s->h, sql, -1, &h, NULL) != SQLITE_OK) {
        fprintf(stderr, "passpro: requête SQL invalide : %s\n  %s\n", sqlite3_errmsg(s->h), sql);
        return NULL;
    }
    if (sqlite3_stmt_readonly(h))
        log_scans(s->h, sql);
    struct sq_stmt *st = pp_xcalloc(1, sizeof *st);
    st->base.db = &s->base;
    st->stmt = h;
    st->in_use = 1;
    if (s->ncache < STMT_CACHE) {
        st->sql = pp_xstrdup(sql);
        st->cached = 1;
        s->cache[s->ncache++] = st;
    }
    return st;
}

static struct pp_stmt *sq_prepare(struct pp_db *db, const char *sql)
{
    struct sq_db *s = (struct sq_db *)db;
    s->last_ext = 0;
    struct sq_stmt *st = cache_get(active(s), sql);
    if (st == NULL || s->group == NULL || s->borrowing || sqlite3_stmt_readonly(st->stmt)) {
        if (st != NULL)
            st->base.db = db, st->auto_tx = 0;
        return st ? &st->base : NULL;
    }
    /* A write outside a transaction: it runs on the writer as a transaction of its own. */
    sq_done(&st->base);
    if (group_enter(s) != PP_OK)
        return NULL;
    st = cache_get(s->group->writer, sql);
    if (st == NULL) {
        group_leave(s, 0);
        return NULL;
    }
    st->base.db = db;
    st->auto_tx = 1;
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

static bool is_unique_code(int ext)
{
    return ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY;
}

/* The connection @q was prepared for. */
static struct sq_db *owner(struct sq_stmt *q)
{
    return (struct sq_db *)q->base.db;
}

/* Ends a one-statement write: reset first (SQLite commits no statement still running). */
static enum pp_err end_auto_tx(struct sq_stmt *q, int keep)
{
    q->auto_tx = 0;
    sqlite3_reset(q->stmt);
    return group_leave(owner(q), keep);
}

static enum pp_step sq_step(struct pp_stmt *st)
{
    struct sq_stmt *q = (struct sq_stmt *)st;
    sqlite3 *h = sqlite3_db_handle(q->stmt);
    int rc = sqlite3_step(q->stmt);
    if (rc == SQLITE_ROW)
        return PP_STEP_ROW;
    if (rc == SQLITE_DONE) {
        q->changes = sqlite3_changes64(h);
        if (q->auto_tx && end_auto_tx(q, 1) != PP_OK)
            return PP_STEP_ERROR;
        return PP_STEP_DONE;
    }
    record_error(owner(q), h);
    if (!is_unique_code(owner(q)->last_ext))
        fprintf(stderr, "passpro: erreur SQLite : %s\n", owner(q)->last_msg);
    if (q->auto_tx)
        end_auto_tx(q, 0);
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
    if (q->auto_tx && end_auto_tx(q, 1) != PP_OK)
        fprintf(stderr, "passpro: écriture non validée : %s\n", owner(q)->last_msg);
    sqlite3_reset(q->stmt);
    sqlite3_clear_bindings(q->stmt);
    cache_put(q);
}

/* Gives @q back to its connection's cache (or frees it when it was not cached). */
static void cache_put(struct sq_stmt *q)
{
    sqlite3_reset(q->stmt);
    if (q->cached) {
        q->in_use = 0;
    } else {
        sqlite3_finalize(q->stmt);
        free(q);
    }
}

static bool sq_is_unique(struct pp_db *db)
{
    return is_unique_code(((struct sq_db *)db)->last_ext);
}

static const char *sq_errmsg(struct pp_db *db)
{
    struct sq_db *s = (struct sq_db *)db;
    return s->last_ext != 0 ? s->last_msg : sqlite3_errmsg(active(s)->h);
}

static enum pp_err sq_exec(struct pp_db *db, const char *sql)
{
    struct sq_db *s = (struct sq_db *)db;
    int own_tx = s->group != NULL && !s->borrowing;
    if (own_tx && group_enter(s) != PP_OK)
        return PP_EDB;
    sqlite3 *h = active(s)->h;
    int rc = run(h, sql);
    if (rc != SQLITE_OK)
        record_error(s, h);
    if (own_tx)
        return group_leave(s, rc == SQLITE_OK) == PP_OK && rc == SQLITE_OK ? PP_OK : PP_EDB;
    return rc == SQLITE_OK ? PP_OK : PP_EDB;
}

static enum pp_err sq_begin(struct pp_db *db)
{
    struct sq_db *s = (struct sq_db *)db;
    s->last_ext = 0;
    if (s->group != NULL)
        return group_enter(s);
    return ctl(s, "BEGIN IMMEDIATE") == SQLITE_OK ? PP_OK : PP_EDB;
}

static enum pp_err sq_commit(struct pp_db *db)
{
    struct sq_db *s = (struct sq_db *)db;
    if (s->group != NULL)
        return group_leave(s, 1);
    if (ctl(s, "COMMIT") == SQLITE_OK)
        return PP_OK;
    record_error(s, s->h);
    ctl(s, "ROLLBACK");
    return PP_EDB;
}

static void sq_rollback(struct pp_db *db)
{
    struct sq_db *s = (struct sq_db *)db;
    if (s->group != NULL)
        group_leave(s, 0);
    else
        ctl(s, "ROLLBACK");
}

/* Gives the pool's connections one writer, opened on the same file. */
static enum pp_err sq_pool_attach(struct pp_db **conns, int n)
{
    if (n < 2)
        return PP_OK;
    struct sq_db *first = (struct sq_db *)conns[0];
    struct pp_db *w;
    char msg[256];
    if (pp_db_sqlite_open(first->path, &w, msg, sizeof msg) != PP_OK) {
        fprintf(stderr, "passpro: %s\n", msg);
        return PP_EDB;
    }
    struct sq_group *g = pp_xcalloc(1, sizeof *g);
    g->writer = (struct sq_db *)w;
    pthread_mutex_init(&g->lock, NULL);
    pthread_cond_init(&g->durable, NULL);
    atomic_init(&g->queued, 0);
    for (int i = 0; i < n; i++) {
        ((struct sq_db *)conns[i])->group = g;
        g->refs++;
    }
    return PP_OK;
}

static void sq_pool_stats(struct pp_db *db, int64_t *commits, int64_t *transactions)
{
    struct sq_group *g = ((struct sq_db *)db)->group;
    if (g == NULL)
        return;
    *commits = atomic_load(&g->commits);
    *transactions = atomic_load(&g->transactions);
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
    .pool_attach = sq_pool_attach,
    .pool_stats = sq_pool_stats,
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
    s->path = pp_xstrdup(path);
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
