#include "domain/scalar.h"

#include "db/db.h"

enum pp_err pp_scalar_int(struct pp_stmt *st, int64_t *value)
{
    if (st == NULL)
        return PP_EDB;
    enum pp_step s = pp_stmt_step(st);
    if (s == PP_STEP_ROW)
        *value = pp_stmt_int(st, 0);
    pp_stmt_done(st);
    return s == PP_STEP_ROW ? PP_OK : s == PP_STEP_DONE ? PP_ENOTFOUND : PP_EDB;
}
