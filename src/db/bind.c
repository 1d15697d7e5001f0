#include "db/bind.h"

#include "db/db.h"

struct pp_stmt *pp_bind_prepare(struct pp_db *db, const char *sql, const struct pp_arg *args,
                                size_t n)
{
    struct pp_stmt *st = pp_db_prepare(db, sql);
    if (st == NULL)
        return NULL;
    for (size_t k = 0; k < n; k++) {
        int i = (int)k + 1;
        switch (args[k].kind) {
        case PP_ARG_INT:
            pp_stmt_bind_int(st, i, args[k].i);
            break;
        case PP_ARG_TEXT:
            pp_stmt_bind_text(st, i, args[k].t);
            break;
        case PP_ARG_NULL:
            pp_stmt_bind_null(st, i);
            break;
        }
    }
    return st;
}
