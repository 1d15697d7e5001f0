#include "domain/outbox.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/clock.h"
#include "db/bind.h"
#include "db/db.h"
#include "db/row.h"
#include "db/tx.h"
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
    int64_t now = pp_clock_now();
    enum pp_err rc = pp_row_exec(PP_BIND(
        db, "INSERT INTO outbox (created_at, kind, to_address, reply_to, payload,"
            " next_attempt_at) VALUES (?, ?, ?, ?, ?, ?)",
        PP_INT(now), PP_TEXT(kind), PP_TEXT(to), PP_TEXT(reply_to), PP_TEXT(text), PP_INT(now)));
    free(text);
    return rc;
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

static const struct pp_col outbox_cols[] = PP_COLS(struct pp_outbox_email,
    PPC_INT(id), PPC_INT(created_at), PPC_TEXT(kind), PPC_TEXT_AS(to, "to_address"),
    PPC_TEXT(reply_to), PPC_TEXT(payload),
    PPC_TEXT_CODE(status, status_code, pp_outbox_status_names), PPC_INT(attempts),
    PPC_INT(next_attempt_at), PPC_TEXT(last_error), PPC_INT(sent_at));
static const struct pp_row_spec outbox_row = PP_ROW_SPEC(struct pp_outbox_email, outbox_cols, NULL);

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
    struct pp_stmt *st = PP_BIND(
        db, "UPDATE outbox SET status = 'FAILED',"
            " last_error = 'Envoi interrompu lors de la dernière tentative (arrêt du serveur)'"
            " WHERE status = 'SENDING' AND next_attempt_at <= ? AND attempts >= ?",
        PP_INT(now), PP_INT(PP_OUTBOX_MAX_ATTEMPTS));
    if (st == NULL) {
        pp_db_rollback(db);
        return PP_EDB;
    }
    if (pp_row_exec(st) != PP_OK) {
        pp_db_rollback(db);
        return PP_EDB;
    }
    /* The WHERE is repeated outside the subquery: on a database that re-reads a row changed
     * by a concurrent claim (PostgreSQL), that row no longer qualifies. */
    st = PP_BIND(
        db, "UPDATE outbox SET status = 'SENDING', attempts = attempts + 1, next_attempt_at = ?"
            " WHERE id IN (SELECT id FROM outbox WHERE status IN ('PENDING', 'SENDING')"
            "   AND next_attempt_at <= ? AND attempts < ? ORDER BY next_attempt_at, id LIMIT ?)"
            " AND status IN ('PENDING', 'SENDING') AND next_attempt_at <= ?"
            " RETURNING " OUTBOX_COLUMNS,
        PP_INT(now + PP_OUTBOX_LEASE_SECONDS), PP_INT(now), PP_INT(PP_OUTBOX_MAX_ATTEMPTS),
        PP_INT(limit), PP_INT(now));
    enum pp_err rc = pp_row_collect(st, arena, &outbox_row, (void **)items, count);
    if (rc != PP_OK) {
        pp_db_rollback(db);
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
    struct pp_stmt *st = PP_BIND(db, sql,
                                 PP_TEXT(status), PP_INT(at), PP_TEXT(error), PP_INT(id),
                                 PP_INT(attempts));
    return pp_row_exec(st);
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
    struct pp_stmt *st = PP_BIND(
        db, "UPDATE outbox SET status = 'PENDING', attempts = attempts - 1, next_attempt_at = ?"
            " WHERE id = ? AND status = 'SENDING' AND attempts = ?",
        PP_INT(at), PP_INT(id), PP_INT(attempts));
    return pp_row_exec(st);
}

enum pp_err pp_outbox_list(struct pp_db *db, struct pp_arena *arena, const char *status,
                           int limit, struct pp_outbox_email **items, size_t *count)
{
    bool pending = pp_outbox_status_parse(status) == PP_OUTBOX_PENDING;
    return PP_COLLECT(db, arena, &outbox_row, items, count,
        pending ? "SELECT " OUTBOX_COLUMNS " FROM outbox WHERE status IN (?, 'SENDING')"
        " ORDER BY next_attempt_at, id LIMIT ?"
        : "SELECT " OUTBOX_COLUMNS " FROM outbox WHERE status = ?"
        " ORDER BY id DESC LIMIT ?",
        PP_TEXT(status), PP_INT(limit));
}

enum pp_err pp_outbox_get(struct pp_db *db, struct pp_arena *arena, int64_t id,
                          struct pp_outbox_email *out)
{
    return PP_FETCH(db, arena, &outbox_row, out,
        "SELECT " OUTBOX_COLUMNS " FROM outbox WHERE id = ?",
        PP_INT(id));
}

/* One line of the count by status. */
struct status_count {
    const char *status;
    int64_t n;
};

static const struct pp_col status_count_cols[] = PP_COLS(struct status_count,
    PPC_TEXT(status), PPC_INT(n));
static const struct pp_row_spec status_count_row =
    PP_ROW_SPEC(struct status_count, status_count_cols, NULL);

enum pp_err pp_outbox_count(struct pp_db *db, struct pp_outbox_counts *out)
{
    memset(out, 0, sizeof *out);
    struct pp_arena *a = pp_arena_new();
    struct status_count *rows;
    size_t n;
    enum pp_err rc =
        pp_row_collect(pp_db_prepare(db, "SELECT status, COUNT(*) AS n FROM outbox GROUP BY status"),
                       a, &status_count_row, (void **)&rows, &n);
    /* In enum order, from PP_OUTBOX_PENDING. */
    int64_t *slots[PP_OUTBOX_STATUSES] = {&out->pending, &out->sending, &out->sent, &out->failed};
    for (size_t i = 0; i < n; i++) {
        enum pp_outbox_status s = pp_outbox_status_parse(rows[i].status);
        if (s != PP_OUTBOX_NONE)
            *slots[s - 1] = rows[i].n;
    }
    pp_arena_free(a);
    return rc;
}

enum pp_err pp_outbox_resend(struct pp_db *db, int64_t admin_id, int64_t id, int64_t now)
{
    if (pp_db_begin(db) != PP_OK)
        return PP_EDB;
    enum pp_err rc = PP_UPDATE_ONE(db, "SELECT 1 FROM outbox WHERE id = ?", id,
                                   "UPDATE outbox SET status = 'PENDING', attempts = 0,"
                                   " next_attempt_at = ? WHERE id = ? AND status = 'FAILED'",
                                   PP_INT(now), PP_INT(id));
    if (rc == PP_OK)
        rc = pp_audit_log(db, admin_id, PP_CHANNEL_BACKOFFICE, "EMAIL_RESENT", "outbox", id,
                          NULL);
    return pp_tx_end(db, rc);
}
