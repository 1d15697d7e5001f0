#include "domain/outbox.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/clock.h"
#include "db/db.h"
#include "domain/audit.h"

enum pp_err pp_outbox_add(struct pp_db *db, const char *kind, const char *to,
                          const char *reply_to, json_t *payload)
{
    if (to == NULL || *to == '\0') {
        json_decref(payload);
        return PP_OK;
    }
    char *text = json_dumps(payload, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(payload);
    if (text == NULL)
        return PP_EINTERNAL;
    struct pp_stmt *st = pp_db_prepare(
        db, "INSERT INTO outbox (created_at, kind, to_address, reply_to, payload,"
            " next_attempt_at) VALUES (?, ?, ?, ?, ?, ?)");
    if (st == NULL) {
        free(text);
        return PP_EDB;
    }
    int64_t now = pp_clock_now();
    pp_stmt_bind_int(st, 1, now);
    pp_stmt_bind_text(st, 2, kind);
    pp_stmt_bind_text(st, 3, to);
    pp_stmt_bind_text(st, 4, reply_to);
    pp_stmt_bind_text(st, 5, text);
    pp_stmt_bind_int(st, 6, now);
    enum pp_step s = pp_stmt_step(st);
    pp_stmt_done(st);
    free(text);
    return s == PP_STEP_DONE ? PP_OK : PP_EDB;
}

int64_t pp_outbox_backoff(int64_t attempts)
{
    if (attempts <= 0)
        return 60;
    if (attempts >= PP_OUTBOX_MAX_ATTEMPTS)
        return 0;
    /* 1, 2, 4 ... 128 min, then 4 h: the 14th attempt comes 24 h 15 min after the first. */
    if (attempts > 8)
        return 4 * 3600;
    return (int64_t)60 << (attempts - 1);
}

#define OUTBOX_COLUMNS                                                                             \
    "id, created_at, kind, to_address, reply_to, payload, status, attempts, next_attempt_at,"      \
    " last_error, sent_at"

static void read_row(struct pp_stmt *st, struct pp_arena *a, struct pp_outbox_email *e)
{
    e->id = pp_stmt_int(st, 0);
    e->created_at = pp_stmt_int(st, 1);
    e->kind = pp_arena_strdup(a, pp_stmt_text(st, 2));
    e->to = pp_arena_strdup(a, pp_stmt_text(st, 3));
    e->reply_to = pp_arena_strdup(a, pp_stmt_text(st, 4));
    e->payload = pp_arena_strdup(a, pp_stmt_text(st, 5));
    e->status = pp_arena_strdup(a, pp_stmt_text(st, 6));
    e->attempts = pp_stmt_int(st, 7);
    e->next_attempt_at = pp_stmt_int(st, 8);
    e->last_error = pp_arena_strdup(a, pp_stmt_text(st, 9));
    e->sent_at = pp_stmt_int(st, 10);
}

/* Reads every row of @st (already bound) into *items. */
static enum pp_err read_rows(struct pp_stmt *st, struct pp_arena *a,
                             struct pp_outbox_email **items, size_t *count)
{
    size_t n = 0, cap = 0;
    struct pp_outbox_email *out = NULL;
    enum pp_step s;
    while ((s = pp_stmt_step(st)) == PP_STEP_ROW) {
        out = pp_arena_grow(a, out, n, &cap, sizeof *out);
        read_row(st, a, &out[n++]);
    }
    pp_stmt_done(st);
    *items = out;
    *count = n;
    return s == PP_STEP_DONE ? PP_OK : PP_EDB;
}

enum pp_err pp_outbox_claim(struct pp_db *db, struct pp_arena *arena, int64_t now, int limit,
                            struct pp_outbox_email **items, size_t *count)
{
    *items = NULL;
    *count = 0;
    /* Most runs find nothing due: a read says so without taking the write lock. */
    int64_t due = 0;
    enum pp_err qrc = pp_db_query_int(
        db, &due,
        "SELECT 1 FROM outbox WHERE status IN ('PENDING', 'SENDING') AND next_attempt_at <= ?"
        " LIMIT 1",
        1, now);
    if (qrc == PP_ENOTFOUND)
        return PP_OK;
    if (qrc != PP_OK)
        return qrc;
    if (pp_db_begin(db) != PP_OK)
        return PP_EDB;
    /* A row whose server died during its last attempt is not tried a 15th time. */
    struct pp_stmt *st = pp_db_prepare(
        db, "UPDATE outbox SET status = 'FAILED',"
            " last_error = 'Envoi interrompu lors de la dernière tentative (arrêt du serveur)'"
            " WHERE status = 'SENDING' AND next_attempt_at <= ? AND attempts >= ?");
    if (st == NULL) {
        pp_db_rollback(db);
        return PP_EDB;
    }
    pp_stmt_bind_int(st, 1, now);
    pp_stmt_bind_int(st, 2, PP_OUTBOX_MAX_ATTEMPTS);
    enum pp_step s = pp_stmt_step(st);
    pp_stmt_done(st);
    if (s != PP_STEP_DONE) {
        pp_db_rollback(db);
        return PP_EDB;
    }
    /* The WHERE is repeated outside the subquery: on a database that re-reads a row changed
     * by a concurrent claim (PostgreSQL), that row no longer qualifies. */
    st = pp_db_prepare(
        db, "UPDATE outbox SET status = 'SENDING', attempts = attempts + 1, next_attempt_at = ?"
            " WHERE id IN (SELECT id FROM outbox WHERE status IN ('PENDING', 'SENDING')"
            "   AND next_attempt_at <= ? AND attempts < ? ORDER BY next_attempt_at, id LIMIT ?)"
            " AND status IN ('PENDING', 'SENDING') AND next_attempt_at <= ?"
            " RETURNING " OUTBOX_COLUMNS);
    if (st == NULL) {
        pp_db_rollback(db);
        return PP_EDB;
    }
    pp_stmt_bind_int(st, 1, now + PP_OUTBOX_LEASE_SECONDS);
    pp_stmt_bind_int(st, 2, now);
    pp_stmt_bind_int(st, 3, PP_OUTBOX_MAX_ATTEMPTS);
    pp_stmt_bind_int(st, 4, limit);
    pp_stmt_bind_int(st, 5, now);
    enum pp_err rc = read_rows(st, arena, items, count);
    if (rc != PP_OK) {
        pp_db_rollback(db);
        *items = NULL;
        *count = 0;
        return rc;
    }
    if (pp_db_commit(db) != PP_OK) {
        *items = NULL;
        *count = 0;
        return PP_EDB;
    }
    return PP_OK;
}

/* Runs an UPDATE of claimed row @id; the claim must still be ours (status and attempts). */
static enum pp_err update_claimed(struct pp_db *db, const char *sql, const char *status,
                                  int64_t at, const char *error, int64_t id, int64_t attempts)
{
    struct pp_stmt *st = pp_db_prepare(db, sql);
    if (st == NULL)
        return PP_EDB;
    pp_stmt_bind_text(st, 1, status);
    pp_stmt_bind_int(st, 2, at);
    pp_stmt_bind_text(st, 3, error);
    pp_stmt_bind_int(st, 4, id);
    pp_stmt_bind_int(st, 5, attempts);
    enum pp_step s = pp_stmt_step(st);
    pp_stmt_done(st);
    return s == PP_STEP_DONE ? PP_OK : PP_EDB;
}

enum pp_err pp_outbox_mark_sent(struct pp_db *db, int64_t id, int64_t attempts, int64_t now)
{
    return update_claimed(db,
                          "UPDATE outbox SET status = ?, sent_at = ?, last_error = ?"
                          " WHERE id = ? AND status = 'SENDING' AND attempts = ?",
                          "SENT", now, NULL, id, attempts);
}

enum pp_err pp_outbox_mark_failed(struct pp_db *db, int64_t id, int64_t attempts, int64_t now,
                                  const char *error, bool permanent, bool *gave_up)
{
    int64_t wait = pp_outbox_backoff(attempts);
    bool give_up = permanent || wait == 0;
    if (gave_up != NULL)
        *gave_up = give_up;
    return update_claimed(db,
                          "UPDATE outbox SET status = ?, next_attempt_at = ?, last_error = ?"
                          " WHERE id = ? AND status = 'SENDING' AND attempts = ?",
                          give_up ? "FAILED" : "PENDING", give_up ? now : now + wait,
                          error ? error : "Échec de l'envoi", id, attempts);
}

enum pp_err pp_outbox_release(struct pp_db *db, int64_t id, int64_t attempts, int64_t at)
{
    struct pp_stmt *st = pp_db_prepare(
        db, "UPDATE outbox SET status = 'PENDING', attempts = attempts - 1, next_attempt_at = ?"
            " WHERE id = ? AND status = 'SENDING' AND attempts = ?");
    if (st == NULL)
        return PP_EDB;
    pp_stmt_bind_int(st, 1, at);
    pp_stmt_bind_int(st, 2, id);
    pp_stmt_bind_int(st, 3, attempts);
    enum pp_step s = pp_stmt_step(st);
    pp_stmt_done(st);
    return s == PP_STEP_DONE ? PP_OK : PP_EDB;
}

enum pp_err pp_outbox_list(struct pp_db *db, struct pp_arena *arena, const char *status,
                           int limit, struct pp_outbox_email **items, size_t *count)
{
    bool pending = strcmp(status, "PENDING") == 0;
    struct pp_stmt *st = pp_db_prepare(
        db, pending ? "SELECT " OUTBOX_COLUMNS " FROM outbox WHERE status IN (?, 'SENDING')"
                      " ORDER BY next_attempt_at, id LIMIT ?"
                    : "SELECT " OUTBOX_COLUMNS " FROM outbox WHERE status = ?"
                      " ORDER BY id DESC LIMIT ?");
    if (st == NULL)
        return PP_EDB;
    pp_stmt_bind_text(st, 1, status);
    pp_stmt_bind_int(st, 2, limit);
    return read_rows(st, arena, items, count);
}

enum pp_err pp_outbox_get(struct pp_db *db, struct pp_arena *arena, int64_t id,
                          struct pp_outbox_email *out)
{
    struct pp_stmt *st = pp_db_prepare(db, "SELECT " OUTBOX_COLUMNS " FROM outbox WHERE id = ?");
    if (st == NULL)
        return PP_EDB;
    pp_stmt_bind_int(st, 1, id);
    enum pp_step s = pp_stmt_step(st);
    if (s == PP_STEP_ROW)
        read_row(st, arena, out);
    pp_stmt_done(st);
    return s == PP_STEP_ROW ? PP_OK : s == PP_STEP_DONE ? PP_ENOTFOUND : PP_EDB;
}

enum pp_err pp_outbox_count(struct pp_db *db, struct pp_outbox_counts *out)
{
    memset(out, 0, sizeof *out);
    struct pp_stmt *st = pp_db_prepare(db, "SELECT status, COUNT(*) FROM outbox GROUP BY status");
    if (st == NULL)
        return PP_EDB;
    enum pp_step s;
    while ((s = pp_stmt_step(st)) == PP_STEP_ROW) {
        const char *status = pp_stmt_text(st, 0);
        int64_t n = pp_stmt_int(st, 1);
        if (status == NULL)
            continue;
        if (strcmp(status, "PENDING") == 0)
            out->pending = n;
        else if (strcmp(status, "SENDING") == 0)
            out->sending = n;
        else if (strcmp(status, "SENT") == 0)
            out->sent = n;
        else if (strcmp(status, "FAILED") == 0)
            out->failed = n;
    }
    pp_stmt_done(st);
    return s == PP_STEP_DONE ? PP_OK : PP_EDB;
}

enum pp_err pp_outbox_resend(struct pp_db *db, int64_t admin_id, int64_t id, int64_t now)
{
    if (pp_db_begin(db) != PP_OK)
        return PP_EDB;
    struct pp_stmt *st = pp_db_prepare(
        db, "UPDATE outbox SET status = 'PENDING', attempts = 0, next_attempt_at = ?"
            " WHERE id = ? AND status = 'FAILED'");
    if (st == NULL) {
        pp_db_rollback(db);
        return PP_EDB;
    }
    pp_stmt_bind_int(st, 1, now);
    pp_stmt_bind_int(st, 2, id);
    enum pp_step s = pp_stmt_step(st);
    int64_t changed = s == PP_STEP_DONE ? pp_stmt_changes(st) : -1;
    pp_stmt_done(st);
    enum pp_err rc = changed < 0 ? PP_EDB : PP_OK;
    if (changed == 0) {
        int64_t exists;
        rc = pp_db_query_int(db, &exists, "SELECT 1 FROM outbox WHERE id = ?", 1, id) == PP_OK
                 ? PP_ECONFLICT
                 : PP_ENOTFOUND;
    }
    if (rc == PP_OK)
        rc = pp_audit_log(db, admin_id, PP_CHANNEL_BACKOFFICE, "EMAIL_RESENT", "outbox", id,
                          NULL);
    if (rc != PP_OK) {
        pp_db_rollback(db);
        return rc;
    }
    return pp_db_commit(db);
}
