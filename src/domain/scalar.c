#include "domain/scalar.h"

#include "core/arena.h"
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

enum pp_err pp_scalar_texts(struct pp_stmt *st, struct pp_arena *a, const char ***items,
                            size_t *count)
{
    *items = NULL;
    *count = 0;
    if (st == NULL)
        return PP_EDB;
    const char **out = NULL;
    size_t n = 0, cap = 0;
    enum pp_step s;
    while ((s = pp_stmt_step(st)) == PP_STEP_ROW) {
        out = pp_arena_grow(a, out, n, &cap, sizeof *out);
        out[n++] = pp_arena_strdup(a, pp_stmt_text(st, 0));
    }
    pp_stmt_done(st);
    if (s != PP_STEP_DONE)
        return PP_EDB;
    *items = out;
    *count = n;
    return PP_OK;
}
