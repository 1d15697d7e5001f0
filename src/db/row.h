#ifndef PP_DB_ROW_H
#define PP_DB_ROW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/error.h"
#include "db/db.h"

/**
 * Rows into structs, in one place (curl's dynbuf is the model: one routine every caller uses).
 *
 * A domain module describes its struct once, as a column list: the SELECT's column names, in
 * order, each with the struct field it fills. One reader then fills any struct from a row, and
 * one collector gathers a whole result into an arena array. The names are checked against the
 * statement's own column names on the first row, so a SELECT and its list cannot drift apart
 * silently (the query fails with PP_EINTERNAL and a log line instead).
 *
 *     static const struct pp_col venue_cols[] = {
 *         PP_COL_INT(struct pp_venue, id, "id"),
 *         PP_COL_TEXT(struct pp_venue, name, "name"),
 *     };
 *     static const struct pp_row_spec venue_row = PP_ROW_SPEC(struct pp_venue, venue_cols, NULL);
 *     ...
 *     return pp_row_collect(st, arena, &venue_row, (void **)items, count);
 */

enum pp_col_kind {
    PP_COL_KIND_INT,  /* int64_t; SQL NULL reads as the column's if_null value */
    PP_COL_KIND_TEXT, /* const char *, copied into the arena; SQL NULL stays NULL */
    PP_COL_KIND_BOOL, /* bool from 0/1 */
    PP_COL_KIND_I32,  /* int from a small integer */
    PP_COL_KIND_TEXT_REF, /* const char *, borrowed: valid until the next step or done */
};

/** One column of a SELECT and the struct field it fills. */
struct pp_col {
    const char *name;
    enum pp_col_kind kind;
    size_t offset;
    int64_t if_null;
};

#define PP_COL_INT(type, field, name) {name, PP_COL_KIND_INT, offsetof(type, field), 0}
/** Integer column whose SQL NULL reads as @none (PP_UNLIMITED for a quantity, say). */
#define PP_COL_INT_OR(type, field, name, none) {name, PP_COL_KIND_INT, offsetof(type, field), none}
#define PP_COL_TEXT(type, field, name) {name, PP_COL_KIND_TEXT, offsetof(type, field), 0}
/** Text read in place, not copied: for cursors that read millions of rows one at a time. */
#define PP_COL_TEXT_REF(type, field, name) {name, PP_COL_KIND_TEXT_REF, offsetof(type, field), 0}
#define PP_COL_BOOL(type, field, name) {name, PP_COL_KIND_BOOL, offsetof(type, field), 0}
#define PP_COL_I32(type, field, name) {name, PP_COL_KIND_I32, offsetof(type, field), 0}

/** How to read one struct: its columns, its size, and an optional step for derived fields. */
struct pp_row_spec {
    const struct pp_col *cols;
    size_t ncols;
    size_t size;
    /** Called after the columns are read (may be NULL): derived fields, parsed enums. */
    void (*finish)(void *row, struct pp_arena *a);
};

#define PP_ROW_SPEC(type, cols, finish) {cols, sizeof(cols) / sizeof(cols[0]), sizeof(type), finish}

/** Fills @row (zeroed first) from the current row of @st; texts are copied into @a (which
 *  may be NULL when the spec has no copied text). */
void pp_row_read(struct pp_stmt *st, struct pp_arena *a, const struct pp_row_spec *spec,
                 void *row);

/**
 * Steps @st to its end and returns every row as an array owned by @a in *items (NULL when
 * empty) and their number in *count. Releases @st in every case (NULL @st: PP_EDB).
 * Returns PP_OK, PP_EDB, or PP_EINTERNAL when the column names do not match @spec.
 */
enum pp_err pp_row_collect(struct pp_stmt *st, struct pp_arena *a, const struct pp_row_spec *spec,
                           void **items, size_t *count);

/**
 * Steps @st once and reads the row into @row. Releases @st in every case.
 * Returns PP_OK, PP_ENOTFOUND when there is no row, PP_EDB or PP_EINTERNAL.
 */
enum pp_err pp_row_fetch(struct pp_stmt *st, struct pp_arena *a, const struct pp_row_spec *spec,
                         void *row);

/**
 * Cursor step: steps @st and reads the row into @row. Returns PP_OK, PP_ENOTFOUND after the
 * last row, PP_EDB or PP_EINTERNAL; never releases @st (the caller does, with pp_stmt_done).
 * The column names are checked on the first call, while *@checked is false.
 */
enum pp_err pp_row_next(struct pp_stmt *st, struct pp_arena *a, const struct pp_row_spec *spec,
                        void *row, bool *checked);

/**
 * Runs @st to completion (INSERT/UPDATE/DELETE without RETURNING) and releases it.
 * Returns PP_OK or PP_EDB (a UNIQUE violation is PP_ECONFLICT).
 */
enum pp_err pp_row_exec(struct pp_stmt *st);

/**
 * Runs the UPDATE @st, which must change exactly one row, and releases it. When it changes
 * none, tells why: @exists_sql (one integer parameter, @id) finds the row or not, so the answer
 * is PP_ECONFLICT (the row is there but not in a state the UPDATE accepts) or PP_ENOTFOUND.
 */
enum pp_err pp_row_update_one(struct pp_db *db, struct pp_stmt *st, const char *exists_sql,
                              int64_t id);

#endif
