#include "domain/audit.h"

#include <string.h>

#include "core/arena.h"
#include "core/clock.h"
#include "db/bind.h"
#include "db/db.h"
#include "db/row.h"

enum pp_err pp_audit_log(struct pp_db *db, int64_t account_id, const char *channel,
                         const char *action, const char *object_type, int64_t object_id,
                         const char *detail)
{
    return pp_row_exec(PP_BIND(
        db, "INSERT INTO audit_log (at, account_id, channel, action, object_type, object_id,"
            " detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
        PP_INT(pp_clock_now()), PP_INT_OR_NULL(account_id > 0 ? account_id : 0), PP_TEXT(channel),
        PP_TEXT(action), PP_TEXT(object_type), PP_INT(object_id), PP_TEXT(detail)));
}

#define AUDIT_SELECT                                                                             \
    "SELECT l.id, l.at, l.account_id, a.email AS account_email,"                               \
    " a.first_name AS account_first_name, a.last_name AS account_last_name,"                   \
    " a.role AS account_role, l.channel, l.action, l.object_type, l.object_id, l.detail"       \
    " FROM audit_log l"                                                                        \
    " LEFT JOIN account a ON a.id = l.account_id"

static const struct pp_col audit_cols[] = PP_COLS(struct pp_audit_entry,
    PPC_INT(id), PPC_INT(at), PPC_INT(account_id), PPC_TEXT(account_email),
    PPC_TEXT(account_first_name), PPC_TEXT(account_last_name),
    PPC_TEXT_CODE(account_role, account_role_code, pp_role_names), PPC_TEXT(channel),
    PPC_TEXT(action), PPC_TEXT(object_type), PPC_INT(object_id), PPC_TEXT(detail));
static const struct pp_row_spec audit_row = PP_ROW_SPEC(struct pp_audit_entry, audit_cols, NULL);

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
    return pp_row_collect(st, arena, &audit_row, (void **)items, count);
}
