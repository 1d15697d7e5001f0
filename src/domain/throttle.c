#include "domain/throttle.h"

#include "db/db.h"
#include "db/row.h"

enum pp_err pp_throttle_exceeded(struct pp_db *db, const char *key, int64_t max, int64_t window,
                                 int64_t now, bool *exceeded)
{
    struct pp_stmt *st =
        pp_db_prepare(db, "SELECT COUNT(*) FROM throttle_event WHERE key = ? AND at > ?");
    if (st == NULL)
        return PP_EDB;
    pp_stmt_bind_text(st, 1, key);
    pp_stmt_bind_int(st, 2, now - window);
    enum pp_err rc = pp_stmt_step(st) == PP_STEP_ROW ? PP_OK : PP_EDB;
    if (rc == PP_OK)
        *exceeded = pp_stmt_int(st, 0) >= max;
    pp_stmt_done(st);
    return rc;
}

enum pp_err pp_throttle_record(struct pp_db *db, const char *key, int64_t now)
{
    struct pp_stmt *st = pp_db_prepare(db, "INSERT INTO throttle_event (key, at) VALUES (?, ?)");
    if (st == NULL)
        return PP_EDB;
    pp_stmt_bind_text(st, 1, key);
    pp_stmt_bind_int(st, 2, now);
    return pp_row_exec(st);
}

enum pp_err pp_throttle_purge(struct pp_db *db, int64_t before)
{
    struct pp_stmt *st = pp_db_prepare(db, "DELETE FROM throttle_event WHERE at <= ?");
    if (st == NULL)
        return PP_EDB;
    pp_stmt_bind_int(st, 1, before);
    return pp_row_exec(st);
}
