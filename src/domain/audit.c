#include "domain/audit.h"

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
