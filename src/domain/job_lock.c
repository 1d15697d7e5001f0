#include "domain/job_lock.h"

#include "db/db.h"
#include "db/row.h"

enum pp_err pp_job_lock_take(struct pp_db *db, const char *name, const char *owner, int64_t now,
                             int64_t until, bool *taken)
{
    *taken = false;
    struct pp_stmt *st =
        pp_db_prepare(db, "INSERT INTO job_lock (name) VALUES (?) ON CONFLICT DO NOTHING");
    if (st == NULL)
        return PP_EDB;
    pp_stmt_bind_text(st, 1, name);
    if (pp_row_exec(st) != PP_OK)
        return PP_EDB;
    st = pp_db_prepare(db, "UPDATE job_lock SET locked_until = ?, owner = ?"
                           " WHERE name = ? AND locked_until <= ?");
    if (st == NULL)
        return PP_EDB;
    pp_stmt_bind_int(st, 1, until);
    pp_stmt_bind_text(st, 2, owner);
    pp_stmt_bind_text(st, 3, name);
    pp_stmt_bind_int(st, 4, now);
    enum pp_step s = pp_stmt_step(st);
    *taken = s == PP_STEP_DONE && pp_stmt_changes(st) == 1;
    pp_stmt_done(st);
    return s == PP_STEP_DONE ? PP_OK : PP_EDB;
}

void pp_job_lock_release(struct pp_db *db, const char *name, const char *owner)
{
    struct pp_stmt *st =
        pp_db_prepare(db, "UPDATE job_lock SET locked_until = 0 WHERE name = ? AND owner = ?");
    if (st == NULL)
        return;
    pp_stmt_bind_text(st, 1, name);
    pp_stmt_bind_text(st, 2, owner);
    pp_row_exec(st);
}
