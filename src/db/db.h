#ifndef PP_DB_H
#define PP_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

/**
 * One small database interface over SQLite (db_sqlite.c) and PostgreSQL (db_pgsql.c).
 * Domain code writes portable SQL with `?` placeholders (a backend rewrites them if it must),
 * integers for times (Unix seconds) and booleans (0/1), and `RETURNING id` on inserts.
 *
 * A pp_db is one connection, used by one thread at a time. Servers hold a pp_db_pool of them.
 */

struct pp_db;
struct pp_stmt;
struct pp_db_pool;

/** Result of pp_stmt_step(). */
enum pp_step { PP_STEP_ROW, PP_STEP_DONE, PP_STEP_ERROR };

/**
 * Opens a connection to @url ("sqlite:PATH", "sqlite::memory:", "postgresql://…" as libpq
 * reads it). On failure returns PP_EDB
 * (or PP_EINVAL for an unsupported URL) and writes one sentence to @msg (capacity @cap).
 * The caller owns *out and closes it with pp_db_close().
 */
enum pp_err pp_db_open(const char *url, struct pp_db **out, char *msg, size_t cap);

/** Closes @db and finalizes its cached statements. NULL is accepted. */
void pp_db_close(struct pp_db *db);

/** "sqlite" or "pgsql": the migration folder of the backend. */
const char *pp_db_backend(const struct pp_db *db);

/**
 * Prepared statement for @sql (prepared statements only: values go through binds).
 * Statements are cached per connection by SQL text, so prepare is cheap on hot paths.
 * Returns NULL on a syntax error (logged). Release with pp_stmt_done() before the next
 * prepare of the same SQL on this connection.
 */
struct pp_stmt *pp_db_prepare(struct pp_db *db, const char *sql);

/** Binds parameter @i (1-based). Text is copied. NULL text binds SQL NULL. */
void pp_stmt_bind_int(struct pp_stmt *st, int i, int64_t v);
void pp_stmt_bind_text(struct pp_stmt *st, int i, const char *v);
void pp_stmt_bind_null(struct pp_stmt *st, int i);
/** Binds @n bytes of @data as a blob (copied). */
void pp_stmt_bind_blob(struct pp_stmt *st, int i, const void *data, size_t n);

/**
 * Runs or advances @st. PP_STEP_ERROR covers constraint violations too: pp_db_is_unique()
 * tells those apart.
 */
enum pp_step pp_stmt_step(struct pp_stmt *st);

/** Column @i (0-based) of the current row. Text stays valid until the next step/done. */
int64_t pp_stmt_int(struct pp_stmt *st, int i);
const char *pp_stmt_text(struct pp_stmt *st, int i);
bool pp_stmt_is_null(struct pp_stmt *st, int i);
/** Blob column @i: its bytes in *@len; valid until the next step/done. NULL when SQL NULL. */
const void *pp_stmt_blob(struct pp_stmt *st, int i, size_t *len);
/** Name of column @i of @st's result (its alias when it has one). Valid until done. */
const char *pp_stmt_column_name(struct pp_stmt *st, int i);
/** Number of columns of @st's result. */
int pp_stmt_column_count(struct pp_stmt *st);

/** Rows changed by the last completed step of an UPDATE/DELETE/INSERT. */
int64_t pp_stmt_changes(struct pp_stmt *st);

/** Resets and releases @st back to the connection's cache. NULL is accepted. */
void pp_stmt_done(struct pp_stmt *st);

/** True when the last error on @db was a UNIQUE constraint violation. */
bool pp_db_is_unique(struct pp_db *db);

/** Last error message of @db (for logs, never for users). */
const char *pp_db_errmsg(struct pp_db *db);

/**
 * Transactions. begin() takes the write lock at once: BEGIN IMMEDIATE on SQLite, so that
 * concurrent writers queue on the busy timeout instead of failing on lock upgrade; one
 * transaction-scoped advisory lock on PostgreSQL, shared by every server on the database.
 */
enum pp_err pp_db_begin(struct pp_db *db);
enum pp_err pp_db_commit(struct pp_db *db);
/** Rolls back if a transaction is open; safe to call twice. */
void pp_db_rollback(struct pp_db *db);

/** Runs @sql (one or several statements, no parameters): migrations and pragmas. */
enum pp_err pp_db_exec(struct pp_db *db, const char *sql);

/**
 * Convenience: runs a statement with integer parameters only and returns the first column of
 * the first row in *out (when not NULL). Returns PP_ENOTFOUND when there is no row.
 * @nargs values follow.
 */
enum pp_err pp_db_query_int(struct pp_db *db, int64_t *out, const char *sql, int nargs, ...);

/**
 * Creates or upgrades the schema from the embedded migrations of the backend, each in its own
 * transaction, recording versions in schema_migrations. Idempotent.
 */
enum pp_err pp_db_migrate(struct pp_db *db, int *applied);

/**
 * True when the connection to the database server was lost (PostgreSQL; never for SQLite):
 * the HTTP layer answers 503 instead of 500 for the request.
 */
bool pp_db_is_lost(struct pp_db *db);

/** One round trip to the database (SELECT 1): PP_OK when it answers. For health checks. */
enum pp_err pp_db_ping(struct pp_db *db);

/** Tries to reconnect a lost connection (at most once a second); PP_OK when it is back. */
enum pp_err pp_db_reconnect(struct pp_db *db);

/** Online, consistent copy of the database into the SQLite file @path (SQLite only). */
enum pp_err pp_db_backup(struct pp_db *db, const char *path, char *msg, size_t cap);

/*
 * Pool: a fixed set of connections shared by the server's threads. On SQLite the pool's write
 * transactions go through one writer connection with group commit (db_sqlite.c): concurrent
 * transactions are chained into one SQLite transaction, each under a savepoint (it fails
 * alone), and committed together with one fsync; each caller's commit returns once the batch
 * is durable. Reads outside transactions run on the caller's own connection.
 */

/** Opens @size connections to @url; NULL on failure with the reason in @msg. */
struct pp_db_pool *pp_db_pool_new(const char *url, int size, char *msg, size_t cap);
/** Closes every connection. NULL is accepted. */
void pp_db_pool_free(struct pp_db_pool *pool);
/** Takes a free connection, waiting if none is free. */
struct pp_db *pp_db_pool_acquire(struct pp_db_pool *pool);
/** What /metrics shows of the pool. */
struct pp_db_pool_stats {
    int size;      /**< connections */
    int in_use;    /**< taken by a request or a job right now */
    int lost;      /**< free ones whose server connection is lost (PostgreSQL) */
    int64_t waits; /**< acquires that had to wait for a free connection, since start */
    int64_t transactions; /**< write transactions committed through the group (SQLite) */
    int64_t commits;      /**< durable commits that carried them: fewer when batched */
};
void pp_db_pool_stats(struct pp_db_pool *pool, struct pp_db_pool_stats *out);

/** Gives @db back (rolling back any transaction left open by mistake). */
void pp_db_pool_release(struct pp_db_pool *pool, struct pp_db *db);

#endif
