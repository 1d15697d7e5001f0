#include "db/row.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "db/db_internal.h"

void pp_row_read(struct pp_stmt *st, struct pp_arena *a, const struct pp_row_spec *spec,
                 void *row)
{
    memset(row, 0, spec->size);
    char *base = row;
    for (size_t i = 0; i < spec->ncols; i++) {
        const struct pp_col *c = &spec->cols[i];
        int col = (int)i;
        switch (c->kind) {
        case PP_COL_KIND_INT:
            *(int64_t *)(base + c->offset) =
                pp_stmt_is_null(st, col) ? c->if_null : pp_stmt_int(st, col);
            break;
        case PP_COL_KIND_TEXT:
            *(char **)(base + c->offset) = pp_arena_strdup(a, pp_stmt_text(st, col));
            break;
        case PP_COL_KIND_TEXT_CODE:
            *(char **)(base + c->offset) = pp_arena_strdup(a, pp_stmt_text(st, col));
            /* Every enum of core/status.h has int's size and only non-negative values. */
            *(int *)(base + c->code_offset) = pp_names_index(c->names, pp_stmt_text(st, col));
            break;
        case PP_COL_KIND_TEXT_REF:
            *(const char **)(base + c->offset) = pp_stmt_text(st, col);
            break;
        case PP_COL_KIND_BOOL:
            *(bool *)(base + c->offset) = pp_stmt_int(st, col) != 0;
            break;
        case PP_COL_KIND_I32:
            *(int *)(base + c->offset) = (int)pp_stmt_int(st, col);
            break;
        }
    }
    if (spec->finish != NULL)
        spec->finish(row, a);
}

/* The SELECT and the column list are written apart; a mismatch is a programming error that
 * would otherwise fill the wrong fields, so it fails loudly on the first row. */
static bool names_match(struct pp_stmt *st, const struct pp_row_spec *spec)
{
    if ((size_t)pp_stmt_column_count(st) < spec->ncols) {
        fprintf(stderr, "passpro: %d colonnes, %zu attendues (%s...)\n",
                pp_stmt_column_count(st), spec->ncols, spec->cols[0].name);
        return false;
    }
    for (size_t i = 0; i < spec->ncols; i++) {
        const char *got = pp_stmt_column_name(st, (int)i);
        if (got == NULL || strcmp(got, spec->cols[i].name) != 0) {
            fprintf(stderr, "passpro: colonne %zu « %s », « %s » attendue\n", i,
                    got ? got : "?", spec->cols[i].name);
            return false;
        }
    }
    return true;
}

enum pp_err pp_row_collect(struct pp_stmt *st, struct pp_arena *a, const struct pp_row_spec *spec,
                           void **items, size_t *count)
{
    *items = NULL;
    *count = 0;
    if (st == NULL)
        return PP_EDB;
    size_t n = 0, cap = 0;
    char *out = NULL;
    enum pp_step s;
    enum pp_err rc = PP_OK;
    while ((s = pp_stmt_step(st)) == PP_STEP_ROW) {
        if (n == 0 && !names_match(st, spec)) {
            rc = PP_EINTERNAL;
            break;
        }
        out = pp_arena_grow(a, out, n, &cap, spec->size);
        pp_row_read(st, a, spec, out + n * spec->size);
        n++;
    }
    pp_stmt_done(st);
    if (rc == PP_OK && s == PP_STEP_ERROR)
        rc = PP_EDB;
    if (rc == PP_OK) {
        *items = out;
        *count = n;
    }
    return rc;
}

enum pp_err pp_row_fetch(struct pp_stmt *st, struct pp_arena *a, const struct pp_row_spec *spec,
                         void *row)
{
    if (st == NULL)
        return PP_EDB;
    enum pp_step s = pp_stmt_step(st);
    enum pp_err rc = s == PP_STEP_ROW ? PP_OK : s == PP_STEP_DONE ? PP_ENOTFOUND : PP_EDB;
    if (rc == PP_OK) {
        if (names_match(st, spec))
            pp_row_read(st, a, spec, row);
        else
            rc = PP_EINTERNAL;
    }
    pp_stmt_done(st);
    return rc;
}

enum pp_err pp_row_next(struct pp_stmt *st, struct pp_arena *a, const struct pp_row_spec *spec,
                        void *row, bool *checked)
{
    enum pp_step s = pp_stmt_step(st);
    if (s != PP_STEP_ROW)
        return s == PP_STEP_DONE ? PP_ENOTFOUND : PP_EDB;
    if (!*checked) {
        if (!names_match(st, spec))
            return PP_EINTERNAL;
        *checked = true;
    }
    pp_row_read(st, a, spec, row);
    return PP_OK;
}

enum pp_err pp_row_exec(struct pp_stmt *st)
{
    if (st == NULL)
        return PP_EDB;
    enum pp_step s = pp_stmt_step(st);
    enum pp_err rc = PP_OK;
    if (s == PP_STEP_ERROR)
        rc = pp_db_is_unique(st->db) ? PP_ECONFLICT : PP_EDB;
    pp_stmt_done(st);
    return rc;
}

enum pp_err pp_row_returning(struct pp_stmt *st, int64_t *id)
{
    if (st == NULL)
        return PP_EDB;
    enum pp_step s = pp_stmt_step(st);
    enum pp_err rc = PP_OK;
    if (s == PP_STEP_ROW)
        *id = pp_stmt_int(st, 0);
    else
        rc = s == PP_STEP_ERROR && pp_db_is_unique(st->db) ? PP_ECONFLICT : PP_EDB;
    pp_stmt_done(st);
    return rc;
}

enum pp_err pp_row_update_one(struct pp_db *db, struct pp_stmt *st, const char *exists_sql,
                              int64_t id)
{
    if (st == NULL)
        return PP_EDB;
    enum pp_step s = pp_stmt_step(st);
    int64_t changed = pp_stmt_changes(st);
    pp_stmt_done(st);
    if (s == PP_STEP_ERROR)
        return PP_EDB;
    if (changed == 1)
        return PP_OK;
    enum pp_err rc = pp_db_query_int(db, NULL, exists_sql, 1, id);
    return rc == PP_OK ? PP_ECONFLICT : rc;
}
