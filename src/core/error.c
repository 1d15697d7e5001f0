#include "core/error.h"

#include <stddef.h>

void pp_error_init(struct pp_error *e)
{
    e->count = 0;
}

enum pp_err pp_error_set(struct pp_error *e, enum pp_err code, const char *field,
                         const char *message)
{
    if (e != NULL && e->count < PP_ERROR_MAX) {
        e->items[e->count].field = field;
        e->items[e->count].message = message;
        e->count++;
    }
    return code;
}

const char *pp_err_name(enum pp_err code)
{
    switch (code) {
    case PP_OK: return "OK";
    case PP_EINVAL: return "EINVAL";
    case PP_EVALIDATION: return "EVALIDATION";
    case PP_EUNAUTH: return "EUNAUTH";
    case PP_EFORBIDDEN: return "EFORBIDDEN";
    case PP_ENOTFOUND: return "ENOTFOUND";
    case PP_ECONFLICT: return "ECONFLICT";
    case PP_EGONE: return "EGONE";
    case PP_ETOOBIG: return "ETOOBIG";
    case PP_ERATE: return "ERATE";
    case PP_EDB: return "EDB";
    case PP_EINTERNAL: return "EINTERNAL";
    }
    return "E?";
}
