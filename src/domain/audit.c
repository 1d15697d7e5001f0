#include "domain/audit.h"

#include <string.h>

#include "core/arena.h"
#include "core/clock.h"
#include "db/db.h"

enum pp_err pp_audit_log(struct pp_db *db, int64_t account_id, const char *channel,
                         const char *action, const char *object_type, int64_t object_id,
                         const char *detail)
{
    struct pp_stmt *st = pp_db_prepare(
        db, "INSERT INTO audit_log (at, account_id, channel, action, object_type, object_id,"
            " detail) VALUES (?, ?, ?, ?, ?, ?, ?)");
    if (st == NULL)
        return PP_EDB;
    pp_stmt_bind_int(st, 1, pp_clock_now());
    if (account_id > 0)
        pp_stmt_bind_int(st, 2, account_id);
    else
        pp_stmt_bind_null(st, 2);
    pp_stmt_bind_text(st, 3, channel);
    pp_stmt_bind_text(st, 4, action);
    pp_stmt_bind_text(st, 5, object_type);
    pp_stmt_bind_int(st, 6, object_id);
    pp_stmt_bind_text(st, 7, detail);
    enum pp_step s = pp_stmt_step(st);
    pp_stmt_done(st);
    return s == PP_STEP_DONE ? PP_OK : PP_EDB;
}

#define AUDIT_SELECT                                                                             \
    "SELECT l.id, l.at, l.account_id, a.email, a.first_name, a.last_name, a.role, l.channel,"   \
    " l.action, l.object_type, l.object_id, l.detail FROM audit_log l"                         \
    " LEFT JOIN account a ON a.id = l.account_id"

static void read_entry(struct pp_stmt *st, struct pp_arena *a, struct pp_audit_entry *e)
{
    memset(e, 0, sizeof *e);
    e->id = pp_stmt_int(st, 0);
    e->at = pp_stmt_int(st, 1);
    e->account_id = pp_stmt_is_null(st, 2) ? 0 : pp_stmt_int(st, 2);
    e->account_email = pp_arena_strdup(a, pp_stmt_text(st, 3));
    e->account_first_name = pp_arena_strdup(a, pp_stmt_text(st, 4));
    e->account_last_name = pp_arena_strdup(a, pp_stmt_text(st, 5));
    e->account_role = pp_arena_strdup(a, pp_stmt_text(st, 6));
    e->channel = pp_arena_strdup(a, pp_stmt_text(st, 7));
    e->action = pp_arena_strdup(a, pp_stmt_text(st, 8));
    e->object_type = pp_arena_strdup(a, pp_stmt_text(st, 9));
    e->object_id = pp_stmt_int(st, 10);
    e->detail = pp_arena_strdup(a, pp_stmt_text(st, 11));
}

enum pp_err pp_audit_list(struct pp_db *db, struct pp_arena *arena, const char *object_type,
                          int64_t object_id, int limit, struct pp_audit_entry **items,
                          size_t *count)
{
    *items = NULL;
    *count = 0;
    if (limit < 1)
        limit = 1;
    if (limit > 500)
        limit = 500;
    /* One statement per filter (no "? IS NULL" tricks: PostgreSQL cannot type them); the
     * (object_type, object_id) index serves an object's history. */
    const char *sql = object_type == NULL ? AUDIT_SELECT " ORDER BY l.id DESC LIMIT ?"
                      : object_id == 0
                          ? AUDIT_SELECT " WHERE l.object_type = ? ORDER BY l.id DESC LIMIT ?"
                          : AUDIT_SELECT " WHERE l.object_type = ? AND l.object_id = ?"
                                         " ORDER BY l.id DESC LIMIT ?";
    struct pp_stmt *st = pp_db_prepare(db, sql);
    if (st == NULL)
        return PP_EDB;
    int i = 1;
    if (object_type != NULL) {
        pp_stmt_bind_text(st, i++, object_type);
        if (object_id != 0)
            pp_stmt_bind_int(st, i++, object_id);
    }
    pp_stmt_bind_int(st, i, limit);
    size_t n = 0, cap = 0;
    struct pp_audit_entry *out = NULL;
    enum pp_step s;
    while ((s = pp_stmt_step(st)) == PP_STEP_ROW) {
        out = pp_arena_grow(arena, out, n, &cap, sizeof *out);
        read_entry(st, arena, &out[n++]);
    }
    pp_stmt_done(st);
    if (s != PP_STEP_DONE)
        return PP_EDB;
    *items = out;
    *count = n;
    return PP_OK;
}
