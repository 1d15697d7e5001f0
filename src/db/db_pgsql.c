/*
 * PostgreSQL backend (libpq), behind the same interface as SQLite.
 *
 * - Domain SQL uses SQLite's `?` and `?N` placeholders: each statement is rewritten once into
 *   `$N` form and kept in a per-connection cache keyed by its text; the server-side prepared
 *   statement is made on first run, one per set of parameter types (an integer goes as int8, a
 *   text as "unknown" so that PostgreSQL infers it from the column, as SQLite would accept it).
 *   A parameter tested with `IS [NOT] NULL` is typed text, since PostgreSQL cannot infer a type
 *   from that test alone.
 * - Write transactions keep SQLite's semantics: BEGIN takes one transaction-scoped advisory
 *   lock, so that the domain's "read, check, write" sequences run one at a time across every
 *   server on the database, as they do under SQLite's single writer (docs/storage.md says why
 *   and what comes next).
 * - Inside a transaction each INSERT or UPDATE runs under a savepoint, so that a failed
 *   statement (a unique index refusing a duplicate) fails alone, as in SQLite, and the
 *   transaction can go on (the countermark draw retries on a clash).
 * - A lost connection is marked; the pool reconnects it on release or on the next acquire,
 *   and the HTTP layer answers 503 meanwhile.
 */
#include <ctype.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "db/db_internal.h"

#define STMT_CACHE 160
#define MAX_PARAMS 64
#define MAX_VARIANTS 4
/* The one lock every write transaction takes: any constant shared by all servers. */
#define WRITE_LOCK_KEY 0x70617373 /* "pass" */
#define OID_INT8 20
#define OID_TEXT 25
#define OID_BYTEA 17

enum pg_kind { K_NULL = 'n', K_INT = 'i', K_TEXT = 't', K_BLOB = 'b' };

struct pg_variant {
    char sig[MAX_PARAMS + 1]; /* one pg_kind per parameter */
    char name[16];            /* server-side statement name */
};

struct pg_stmt {
    struct pp_stmt base;
    char *sql;  /* key: the caller's text */
    char *text; /* rewritten with $N */
    int nparams;
    bool null_test[MAX_PARAMS]; /* parameter i+1 appears in an IS [NOT] NULL test */
    bool is_write;              /* INSERT or UPDATE: under a savepoint inside a transaction */
    struct pg_variant variants[MAX_VARIANTS];
    int nvariants;
    /* The binds of the current run. */
    char kind[MAX_PARAMS];
    char *val[MAX_PARAMS];
    int len[MAX_PARAMS];
    PGresult *res;
    int row, nrows;
    int64_t changes;
    unsigned char *blob; /* last blob column read, unescaped */
    int in_use, cached, ran;
};

struct pg_db {
    struct pp_db base;
    PGconn *conn;
    struct pg_stmt *cache[STMT_CACHE];
    int ncache;
    int next_name;
    char sqlstate[6];
    char err[512];
    bool lost;
    time_t last_reconnect;
};

static const struct pp_db_ops pgsql_ops;

static void quiet_notice(void *arg, const char *message)
{
    (void)arg, (void)message; /* "relation already exists, skipping" and the like */
}

/* Remembers the outcome of @res for is_unique/errmsg; true when it is an error. */
static bool note_error(struct pg_db *p, PGresult *res)
{
    ExecStatusType s = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK) {
        p->sqlstate[0] = '\0';
        return false;
    }
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    snprintf(p->sqlstate, sizeof p->sqlstate, "%s", state ? state : "");
    const char *msg = res ? PQresultErrorMessage(res) : NULL;
    snprintf(p->err, sizeof p->err, "%s", msg && *msg ? msg : PQerrorMessage(p->conn));
    size_t n = strlen(p->err);
    while (n > 0 && (p->err[n - 1] == '\n' || p->err[n - 1] == ' '))
        p->err[--n] = '\0';
    if (PQstatus(p->conn) == CONNECTION_BAD)
        p->lost = true;
    if (strcmp(p->sqlstate, "23505") != 0)
        fprintf(stderr, "passpro: erreur PostgreSQL : %s\n", p->err);
    return true;
}

/* Runs @sql without parameters; PP_EDB on any error. */
static enum pp_err run(struct pg_db *p, const char *sql)
{
    PGresult *r = PQexec(p->conn, sql);
    bool failed = note_error(p, r);
    /* COMMIT of a transaction that had failed answers "ROLLBACK", not an error. */
    if (!failed && strcmp(sql, "COMMIT") == 0 && strcmp(PQcmdStatus(r), "ROLLBACK") == 0) {
        snprintf(p->err, sizeof p->err, "transaction annulée par une erreur précédente");
        failed = true;
    }
    PQclear(r);
    return failed ? PP_EDB : PP_OK;
}

static void forget_prepared(struct pg_db *p)
{
    for (int i = 0; i < p->ncache; i++)
        p->cache[i]->nvariants = 0;
}

static void pg_close(struct pp_db *db)
{
    struct pg_db *p = (struct pg_db *)db;
    for (int i = 0; i < p->ncache; i++) {
        free(p->cache[i]->sql);
        free(p->cache[i]->text);
        free(p->cache[i]);
    }
    PQfinish(p->conn);
    free(p);
}

/* True when @s starts with @word, any case, followed by a non-identifier character. */
static bool starts_word(const char *s, const char *word)
{
    size_t n = strlen(word);
    return strncasecmp(s, word, n) == 0 && !isalnum((unsigned char)s[n]) && s[n] != '_';
}

/* After a placeholder: is it tested with IS NULL / IS NOT NULL? */
static bool is_null_test(const char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    if (!starts_word(s, "IS"))
        return false;
    s += 2;
    while (isspace((unsigned char)*s))
        s++;
    if (starts_word(s, "NOT")) {
        s += 3;
        while (isspace((unsigned char)*s))
            s++;
    }
    return starts_word(s, "NULL");
}

/* Rewrites SQLite placeholders into $N, skipping quoted text and comments. */
static bool rewrite(struct pg_stmt *st, const char *sql)
{
    size_t cap = strlen(sql) * 2 + 16;
    char *out = pp_xmalloc(cap);
    size_t o = 0;
    int highest = 0;
    for (const char *s = sql; *s;) {
        if (o + 8 >= cap) {
            cap *= 2;
            out = pp_xrealloc(out, cap);
        }
        if (*s == '\'' || *s == '"') {
            char q = *s;
            out[o++] = *s++;
            while (*s && o + 2 < cap) {
                out[o++] = *s;
                if (*s++ == q) {
                    if (*s != q)
                        break;
                    out[o++] = *s++;
                }
            }
            continue;
        }
        if (s[0] == '-' && s[1] == '-') {
            while (*s && *s != '\n')
                s++;
            continue;
        }
        if (*s != '?') {
            out[o++] = *s++;
            continue;
        }
        s++;
        int n;
        if (isdigit((unsigned char)*s)) {
            n = (int)strtol(s, (char **)&s, 10);
        } else {
            n = highest + 1;
        }
        if (n < 1 || n > MAX_PARAMS) {
            free(out);
            return false;
        }
        if (n > highest)
            highest = n;
        if (is_null_test(s))
            st->null_test[n - 1] = true;
        o += (size_t)snprintf(out + o, cap - o, "$%d", n);
    }
    out[o] = '\0';
    st->text = out;
    st->nparams = highest;
    const char *w = sql;
    while (isspace((unsigned char)*w))
        w++;
    st->is_write = starts_word(w, "INSERT") || starts_word(w, "UPDATE");
    return true;
}

static void clear_binds(struct pg_stmt *st)
{
    for (int i = 0; i < st->nparams; i++) {
        free(st->val[i]);
        st->val[i] = NULL;
        st->kind[i] = K_NULL;
        st->len[i] = 0;
    }
}

static void clear_result(struct pg_stmt *st)
{
    PQclear(st->res);
    st->res = NULL;
    PQfreemem(st->blob);
    st->blob = NULL;
    st->ran = 0;
    st->row = -1;
    st->nrows = 0;
}

static struct pp_stmt *pg_prepare(struct pp_db *db, const char *sql)
{
    struct pg_db *p = (struct pg_db *)db;
    for (int i = 0; i < p->ncache; i++) {
        struct pg_stmt *c = p->cache[i];
        if (!c->in_use && strcmp(c->sql, sql) == 0) {
            c->in_use = 1;
            c->changes = 0;
            return &c->base;
        }
    }
    struct pg_stmt *st = pp_xcalloc(1, sizeof *st);
    st->base.db = db;
    st->row = -1;
    if (!rewrite(st, sql)) {
        fprintf(stderr, "passpro: requête SQL invalide (paramètres) :\n  %s\n", sql);
        free(st);
        return NULL;
    }
    for (int i = 0; i < MAX_PARAMS; i++)
        st->kind[i] = K_NULL;
    st->in_use = 1;
    if (p->ncache < STMT_CACHE) {
        st->sql = pp_xstrdup(sql);
        st->cached = 1;
        p->cache[p->ncache++] = st;
    }
    return &st->base;
}

static void set_bind(struct pp_stmt *s, int i, char kind, char *val, int len)
{
    struct pg_stmt *st = (struct pg_stmt *)s;
    if (i < 1 || i > st->nparams) {
        free(val);
        return;
    }
    free(st->val[i - 1]);
    st->val[i - 1] = val;
    st->kind[i - 1] = kind;
    st->len[i - 1] = len;
}

static void pg_bind_int(struct pp_stmt *st, int i, int64_t v)
{
    char buf[24];
    snprintf(buf, sizeof buf, "%lld", (long long)v);
    set_bind(st, i, K_INT, pp_xstrdup(buf), 0);
}

static void pg_bind_text(struct pp_stmt *st, int i, const char *v)
{
    set_bind(st, i, K_TEXT, pp_xstrdup(v), 0);
}

static void pg_bind_null(struct pp_stmt *st, int i)
{
    set_bind(st, i, K_NULL, NULL, 0);
}

static void pg_bind_blob(struct pp_stmt *st, int i, const void *data, size_t n)
{
    char *copy = pp_xmalloc(n ? n : 1);
    memcpy(copy, data, n);
    set_bind(st, i, K_BLOB, copy, (int)n);
}

/* The type sent for parameter @i: the column decides for texts and NULLs (see the top). */
static Oid param_type(const struct pg_stmt *st, int i)
{
    switch (st->kind[i]) {
    case K_INT: return OID_INT8;
    case K_BLOB: return OID_BYTEA;
    default: return st->null_test[i] ? OID_TEXT : 0;
    }
}

/* The server-side statement for the current parameter types, prepared on first use. */
static const char *variant_for(struct pg_db *p, struct pg_stmt *st)
{
    char sig[MAX_PARAMS + 1];
    for (int i = 0; i < st->nparams; i++)
        sig[i] = st->kind[i];
    sig[st->nparams] = '\0';
    for (int v = 0; v < st->nvariants; v++)
        if (strcmp(st->variants[v].sig, sig) == 0)
            return st->variants[v].name;
    Oid types[MAX_PARAMS];
    for (int i = 0; i < st->nparams; i++)
        types[i] = param_type(st, i);
    char name[16];
    snprintf(name, sizeof name, "pp%d", ++p->next_name);
    PGresult *r = PQprepare(p->conn, name, st->text, st->nparams, types);
    bool failed = note_error(p, r);
    PQclear(r);
    if (failed) {
        fprintf(stderr, "  %s\n", st->sql ? st->sql : st->text);
        return NULL;
    }
    int slot = st->nvariants < MAX_VARIANTS ? st->nvariants++ : MAX_VARIANTS - 1;
    snprintf(st->variants[slot].sig, sizeof st->variants[slot].sig, "%s", sig);
    snprintf(st->variants[slot].name, sizeof st->variants[slot].name, "%s", name);
    return st->variants[slot].name;
}

static PGresult *execute(struct pg_db *p, struct pg_stmt *st)
{
    int fmts[MAX_PARAMS];
    for (int i = 0; i < st->nparams; i++)
        fmts[i] = st->kind[i] == K_BLOB;
    if (!st->cached) {
        /* Past the cache: an unnamed statement, parsed for this run only. */
        Oid types[MAX_PARAMS];
        for (int i = 0; i < st->nparams; i++)
            types[i] = param_type(st, i);
        return PQexecParams(p->conn, st->text, st->nparams, types,
                            (const char *const *)st->val, st->len, fmts, 0);
    }
    const char *name = variant_for(p, st);
    if (name == NULL)
        return NULL;
    return PQexecPrepared(p->conn, name, st->nparams, (const char *const *)st->val, st->len,
                          fmts, 0);
}

static enum pp_step pg_step(struct pp_stmt *s)
{
    struct pg_stmt *st = (struct pg_stmt *)s;
    struct pg_db *p = (struct pg_db *)s->db;
    if (!st->ran) {
        st->ran = 1;
        if (p->lost) {
            snprintf(p->err, sizeof p->err, "connexion à PostgreSQL perdue");
            return PP_STEP_ERROR;
        }
        bool savepoint = st->is_write && p->base.in_tx;
        if (savepoint && run(p, "SAVEPOINT pp_stmt") != PP_OK)
            return PP_STEP_ERROR;
        PGresult *r = execute(p, st);
        bool failed = r == NULL || note_error(p, r);
        if (r == NULL && PQstatus(p->conn) == CONNECTION_BAD)
            p->lost = true;
        if (savepoint && !p->lost) {
            /* The statement's error is what the caller asks about, not the rollback's. */
            char state[sizeof p->sqlstate], err[sizeof p->err];
            memcpy(state, p->sqlstate, sizeof state);
            memcpy(err, p->err, sizeof err);
            run(p, failed ? "ROLLBACK TO SAVEPOINT pp_stmt" : "RELEASE SAVEPOINT pp_stmt");
            memcpy(p->sqlstate, state, sizeof state);
            memcpy(p->err, err, sizeof err);
        }
        if (failed) {
            PQclear(r);
            return PP_STEP_ERROR;
        }
        st->res = r;
        st->nrows = PQresultStatus(r) == PGRES_TUPLES_OK ? PQntuples(r) : 0;
        const char *n = PQcmdTuples(r);
        st->changes = n && *n ? strtoll(n, NULL, 10) : 0;
    }
    if (st->row + 1 < st->nrows) {
        st->row++;
        return PP_STEP_ROW;
    }
    st->row = st->nrows;
    return PP_STEP_DONE;
}

static bool has_cell(struct pg_stmt *st, int i)
{
    return st->res != NULL && st->row >= 0 && st->row < st->nrows && i >= 0 &&
           i < PQnfields(st->res);
}

static int64_t pg_col_int(struct pp_stmt *s, int i)
{
    struct pg_stmt *st = (struct pg_stmt *)s;
    if (!has_cell(st, i) || PQgetisnull(st->res, st->row, i))
        return 0;
    const char *v = PQgetvalue(st->res, st->row, i);
    if (v[0] == 't' && v[1] == '\0')
        return 1; /* a boolean expression */
    return strtoll(v, NULL, 10);
}

static const char *pg_col_text(struct pp_stmt *s, int i)
{
    struct pg_stmt *st = (struct pg_stmt *)s;
    if (!has_cell(st, i) || PQgetisnull(st->res, st->row, i))
        return NULL;
    return PQgetvalue(st->res, st->row, i);
}

static bool pg_col_is_null(struct pp_stmt *s, int i)
{
    struct pg_stmt *st = (struct pg_stmt *)s;
    return !has_cell(st, i) || PQgetisnull(st->res, st->row, i);
}

static const void *pg_col_blob(struct pp_stmt *s, int i, size_t *len)
{
    struct pg_stmt *st = (struct pg_stmt *)s;
    *len = 0;
    if (!has_cell(st, i) || PQgetisnull(st->res, st->row, i))
        return NULL;
    PQfreemem(st->blob);
    st->blob = PQunescapeBytea((const unsigned char *)PQgetvalue(st->res, st->row, i), len);
    return st->blob;
}

static const char *pg_col_name(struct pp_stmt *s, int i)
{
    struct pg_stmt *st = (struct pg_stmt *)s;
    return st->res != NULL && i < PQnfields(st->res) ? PQfname(st->res, i) : "";
}

static int pg_col_count(struct pp_stmt *s)
{
    struct pg_stmt *st = (struct pg_stmt *)s;
    return st->res != NULL ? PQnfields(st->res) : 0;
}

static int64_t pg_changes(struct pp_stmt *s)
{
    return ((struct pg_stmt *)s)->changes;
}

static void pg_done(struct pp_stmt *s)
{
    struct pg_stmt *st = (struct pg_stmt *)s;
    clear_result(st);
    clear_binds(st);
    if (st->cached) {
        st->in_use = 0;
    } else {
        free(st->text);
        free(st);
    }
}

static bool pg_is_unique(struct pp_db *db)
{
    return strcmp(((struct pg_db *)db)->sqlstate, "23505") == 0;
}

static const char *pg_errmsg(struct pp_db *db)
{
    return ((struct pg_db *)db)->err;
}

static enum pp_err pg_exec(struct pp_db *db, const char *sql)
{
    struct pg_db *p = (struct pg_db *)db;
    if (p->lost)
        return PP_EDB;
    return run(p, sql);
}

static enum pp_err pg_begin(struct pp_db *db)
{
    struct pg_db *p = (struct pg_db *)db;
    if (p->lost)
        return PP_EDB;
    char sql[96];
    snprintf(sql, sizeof sql, "BEGIN; SELECT pg_advisory_xact_lock(%d)", WRITE_LOCK_KEY);
    if (run(p, sql) != PP_OK) {
        run(p, "ROLLBACK");
        return PP_EDB;
    }
    return PP_OK;
}

static enum pp_err pg_commit(struct pp_db *db)
{
    struct pg_db *p = (struct pg_db *)db;
    if (p->lost)
        return PP_EDB;
    enum pp_err rc = run(p, "COMMIT");
    if (rc != PP_OK && PQtransactionStatus(p->conn) != PQTRANS_IDLE)
        run(p, "ROLLBACK");
    return rc;
}

static void pg_rollback(struct pp_db *db)
{
    struct pg_db *p = (struct pg_db *)db;
    if (!p->lost)
        run(p, "ROLLBACK");
}

static enum pp_err pg_backup(struct pp_db *db, const char *path, char *msg, size_t cap)
{
    (void)db, (void)path;
    snprintf(msg, cap,
             "passpro backup copie une base SQLite ; pour PostgreSQL, utilisez pg_dump "
             "(par exemple : pg_dump --format=custom --file=passpro.dump \"URL\"), "
             "voir docs/deployment.md");
    return PP_EINVAL;
}

static bool pg_is_lost(struct pp_db *db)
{
    struct pg_db *p = (struct pg_db *)db;
    return p->lost || PQstatus(p->conn) == CONNECTION_BAD;
}

/* Session settings of every connection, fresh or reconnected. */
static enum pp_err configure(struct pg_db *p)
{
    PQsetNoticeProcessor(p->conn, quiet_notice, NULL);
    /* Waits on a lock end like SQLite's busy timeout, instead of hanging a worker forever. */
    return run(p, "SET lock_timeout = '10s'; SET client_min_messages = warning;"
                  " SET TIME ZONE 'UTC'");
}

static enum pp_err pg_reconnect(struct pp_db *db)
{
    struct pg_db *p = (struct pg_db *)db;
    if (!pg_is_lost(db))
        return PP_OK;
    time_t now = time(NULL);
    if (now == p->last_reconnect)
        return PP_EDB; /* at most one attempt a second per connection */
    p->last_reconnect = now;
    PQreset(p->conn);
    if (PQstatus(p->conn) != CONNECTION_OK)
        return PP_EDB;
    forget_prepared(p); /* a new server session has none of them */
    p->lost = false;
    p->base.in_tx = 0;
    if (configure(p) != PP_OK)
        return PP_EDB;
    fprintf(stderr, "passpro: connexion à PostgreSQL rétablie\n");
    return PP_OK;
}

static const struct pp_db_ops pgsql_ops = {
    .name = "pgsql",
    .close = pg_close,
    .prepare = pg_prepare,
    .bind_int = pg_bind_int,
    .bind_text = pg_bind_text,
    .bind_null = pg_bind_null,
    .bind_blob = pg_bind_blob,
    .step = pg_step,
    .col_int = pg_col_int,
    .col_text = pg_col_text,
    .col_is_null = pg_col_is_null,
    .col_blob = pg_col_blob,
    .col_name = pg_col_name,
    .col_count = pg_col_count,
    .changes = pg_changes,
    .done = pg_done,
    .is_unique = pg_is_unique,
    .errmsg = pg_errmsg,
    .exec = pg_exec,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .backup = pg_backup,
    .is_lost = pg_is_lost,
    .reconnect = pg_reconnect,
};

enum pp_err pp_db_pgsql_open(const char *url, struct pp_db **out, char *msg, size_t cap)
{
    /* The URL's own settings win over this default (expand_dbname reads it last). */
    const char *keys[] = {"connect_timeout", "application_name", "dbname", NULL};
    const char *vals[] = {"5", "passpro", url, NULL};
    PGconn *c = PQconnectdbParams(keys, vals, 1);
    if (c == NULL || PQstatus(c) != CONNECTION_OK) {
        const char *why = c ? PQerrorMessage(c) : "mémoire insuffisante";
        char first[256];
        snprintf(first, sizeof first, "%s", why);
        first[strcspn(first, "\n")] = '\0';
        /* The URL is not repeated: it may hold a password. */
        snprintf(msg, cap, "impossible de se connecter à PostgreSQL : %s", first);
        PQfinish(c);
        return PP_EDB;
    }
    struct pg_db *p = pp_xcalloc(1, sizeof *p);
    p->base.ops = &pgsql_ops;
    p->conn = c;
    if (configure(p) != PP_OK) {
        snprintf(msg, cap, "impossible de configurer la connexion PostgreSQL : %s", p->err);
        pg_close(&p->base);
        return PP_EDB;
    }
    *out = &p->base;
    return PP_OK;
}
