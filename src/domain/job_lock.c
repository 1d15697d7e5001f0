#include "domain/job_lock.h"

#include "db/bind.h"
#include "db/db.h"
#include "db/row.h"

enum pp_err pp_job_lock_take(struct pp_db *db, const char *name, const char *owner, int64_t now,
                             int64_t until, bool *taken)
{
    *taken = false;
    if (pp_row_exec(PP_BIND(db, "INSERT INTO job_lock (name) VALUES (?) ON CONFLICT DO NOTHING",
                            PP_TEXT(name))) != PP_OK)
        return PP_EDB;
    struct pp_stmt *st = PP_BIND(db,
                                 "UPDATE job_lock SET locked_until = ?, owner = ?"
                                 " WHERE name = ? AND locked_until <= ?",
                                 PP_INT(until), PP_TEXT(owner), PP_TEXT(name), PP_INT(now));
    if (st == NULL)
        return PP_EDB;
    enum pp_step s = pp_stmt_step(st);
    *taken = s == PP_STEP_DONE && pp_stmt_changes(st) == 1;
    pp_stmt_done(st);
    return s == PP_STEP_DONE ? PP_OK : PP_EDB;
}

void pp_job_lock_release(struct pp_db *db, const char *name, const char *owner)
{
    pp_row_exec(PP_BIND(db, "UPDATE job_lock SET locked_until = 0 WHERE name = ? AND owner = ?",
                        PP_TEXT(name), PP_TEXT(owner)));
}
