#include "core/strlist.h"

#include <string.h>

#include "core/arena.h"

bool pp_strlist_item_ok(const char *s)
{
    return s != NULL && *s != '\0' && strchr(s, PP_STRLIST_SEP) == NULL;
}

const char *pp_strlist_join(struct pp_arena *a, const char *const *items, size_t n)
{
    size_t len = 1;
    for (size_t i = 0; i < n; i++)
        len += strlen(items[i]) + 1;
    char *out = pp_arena_alloc(a, len), *p = out;
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            *p++ = PP_STRLIST_SEP;
        size_t k = strlen(items[i]);
        memcpy(p, items[i], k);
        p += k;
    }
    *p = '\0';
    return out;
}

const char **pp_strlist_split(struct pp_arena *a, const char *joined, size_t *n)
{
    size_t count = 0;
    if (joined != NULL && *joined != '\0') {
        count = 1;
        for (const char *p = joined; *p; p++)
            count += *p == PP_STRLIST_SEP;
    }
    const char **items = pp_arena_calloc(a, (count + 1) * sizeof *items);
    const char *start = joined;
    for (size_t i = 0; i < count; i++) {
        const char *end = strchr(start, PP_STRLIST_SEP);
        size_t k = end ? (size_t)(end - start) : strlen(start);
        items[i] = pp_arena_strndup(a, start, k);
        start += k + 1;
    }
    *n = count;
    return items;
}
