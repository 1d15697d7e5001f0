#include "db/scalar.h"

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

/* Steps @st to its end; @read puts the first column of each row in the next @size-byte
 * element of an array grown in @a. Releases @st. */
static enum pp_err collect(struct pp_stmt *st, struct pp_arena *a, size_t size,
                           void (*read)(struct pp_stmt *st, struct pp_arena *a, void *element),
                           void **items, size_t *count)
{
    *items = NULL;
    *count = 0;
    if (st == NULL)
        return PP_EDB;
    char *out = NULL;
    size_t n = 0, cap = 0;
    enum pp_step s;
    while ((s = pp_stmt_step(st)) == PP_STEP_ROW) {
        out = pp_arena_grow(a, out, n, &cap, size);
        read(st, a, out + n * size);
        n++;
    }
    pp_stmt_done(st);
    if (s != PP_STEP_DONE)
        return PP_EDB;
    *items = out;
    *count = n;
    return PP_OK;
}

static void read_text(struct pp_stmt *st, struct pp_arena *a, void *element)
{
    *(const char **)element = pp_arena_strdup(a, pp_stmt_text(st, 0));
}

static void read_int(struct pp_stmt *st, struct pp_arena *a, void *element)
{
    (void)a;
    *(int64_t *)element = pp_stmt_int(st, 0);
}

enum pp_err pp_scalar_texts(struct pp_stmt *st, struct pp_arena *a, const char ***items,
                            size_t *count)
{
    return collect(st, a, sizeof **items, read_text, (void **)items, count);
}

enum pp_err pp_scalar_ints(struct pp_stmt *st, struct pp_arena *a, int64_t **items,
                           size_t *count)
{
    return collect(st, a, sizeof **items, read_int, (void **)items, count);
}
