#ifndef PP_DB_ROW_H
#define PP_DB_ROW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/error.h"
#include "core/status.h"
#include "db/bind.h"
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
    PP_COL_KIND_TEXT_CODE, /* PP_COL_KIND_TEXT, and its index in @names (an enum) at code_offset */
};

/** One column of a SELECT and the struct field it fills. */
struct pp_col {
    const char *name;
    enum pp_col_kind kind;
    size_t offset;
    int64_t if_null;
    size_t code_offset;           /* PP_COL_KIND_TEXT_CODE: the enum field */
    const struct pp_names *names; /* PP_COL_KIND_TEXT_CODE: the enum's names (core/status.h) */
};

#define PP_COL_INT(type, field, col)                                                              \
    {.name = col, .kind = PP_COL_KIND_INT, .offset = offsetof(type, field)}
/** Integer column whose SQL NULL reads as @none (PP_UNLIMITED for a quantity, say). */
#define PP_COL_INT_OR(type, field, col, none)                                                     \
    {.name = col, .kind = PP_COL_KIND_INT, .offset = offsetof(type, field), .if_null = none}
#define PP_COL_TEXT(type, field, col)                                                             \
    {.name = col, .kind = PP_COL_KIND_TEXT, .offset = offsetof(type, field)}
/** Text read in place, not copied: for cursors that read millions of rows one at a time. */
#define PP_COL_TEXT_REF(type, field, col)                                                         \
    {.name = col, .kind = PP_COL_KIND_TEXT_REF, .offset = offsetof(type, field)}
/** Text column that is also parsed, once, into the enum field @code by the table @names
 *  (a role, a status): the string stays for output, the enum is what code compares. */
#define PP_COL_TEXT_CODE(type, field, col, code, table)                                          \
    {.name = col, .kind = PP_COL_KIND_TEXT_CODE, .offset = offsetof(type, field),                 \
     .code_offset = offsetof(type, code), .names = &(table)}
#define PP_COL_BOOL(type, field, col)                                                             \
    {.name = col, .kind = PP_COL_KIND_BOOL, .offset = offsetof(type, field)}
#define PP_COL_I32(type, field, col)                                                              \
    {.name = col, .kind = PP_COL_KIND_I32, .offset = offsetof(type, field)}

/**
 * The same list written once per struct, the type named once and each column named after its
 * field unless given a name (the _AS forms, for renamed or nested fields):
 *
 *     static const struct pp_col venue_cols[] =
 *         PP_COLS(struct pp_venue, PPC_INT(id), PPC_TEXT(name), PPC_TEXT_AS(tz, "timezone"));
 *
 * Up to 32 columns a list.
 */
#define PPC_INT(f) (PP_COL_INT, f, #f)
#define PPC_INT_AS(f, name) (PP_COL_INT, f, name)
#define PPC_INT_OR(f, none) (PP_COL_INT_OR, f, #f, none)
#define PPC_INT_OR_AS(f, name, none) (PP_COL_INT_OR, f, name, none)
#define PPC_TEXT(f) (PP_COL_TEXT, f, #f)
#define PPC_TEXT_AS(f, name) (PP_COL_TEXT, f, name)
#define PPC_TEXT_REF(f) (PP_COL_TEXT_REF, f, #f)
#define PPC_TEXT_REF_AS(f, name) (PP_COL_TEXT_REF, f, name)
#define PPC_TEXT_CODE(f, code, names) (PP_COL_TEXT_CODE, f, #f, code, names)
#define PPC_TEXT_CODE_AS(f, name, code, names) (PP_COL_TEXT_CODE, f, name, code, names)
#define PPC_BOOL(f) (PP_COL_BOOL, f, #f)
#define PPC_BOOL_AS(f, name) (PP_COL_BOOL, f, name)
#define PPC_I32(f) (PP_COL_I32, f, #f)
#define PPC_I32_AS(f, name) (PP_COL_I32, f, name)

#define PP_COLS(type, ...) {PP__COL_EACH(type, __VA_ARGS__)}

/* The machinery: count the columns, then apply one PP_COL_* to each (type, tuple). */
#define PP__COL_STRIP(...) __VA_ARGS__
#define PP__COL_APPLY(type, m, ...) m(type, __VA_ARGS__)
#define PP__COL_CALL(type, ...) PP__COL_APPLY(type, __VA_ARGS__)
#define PP__COL(type, c) PP__COL_CALL(type, PP__COL_STRIP c)
#define PP__COL_CAT(a, b) PP__COL_CAT_(a, b)
#define PP__COL_CAT_(a, b) a##b
#define PP__COL_N(...)                                                                            \
    PP__COL_N_(__VA_ARGS__, 32, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16,   \
               15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1)
#define PP__COL_N_(_1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12, _13, _14, _15, _16, _17,   \
                   _18, _19, _20, _21, _22, _23, _24, _25, _26, _27, _28, _29, _30, _31, _32, N,   \
                   ...)                                                                          \
    N
#define PP__COL_EACH(type, ...)                                                                   \
    PP__COL_CAT(PP__COL_E, PP__COL_N(__VA_ARGS__))(type, __VA_ARGS__)
#define PP__COL_E1(type, c) PP__COL(type, c)
#define PP__COL_E2(type, c, ...) PP__COL(type, c), PP__COL_E1(type, __VA_ARGS__)
#define PP__COL_E3(type, c, ...) PP__COL(type, c), PP__COL_E2(type, __VA_ARGS__)
#define PP__COL_E4(type, c, ...) PP__COL(type, c), PP__COL_E3(type, __VA_ARGS__)
#define PP__COL_E5(type, c, ...) PP__COL(type, c), PP__COL_E4(type, __VA_ARGS__)
#define PP__COL_E6(type, c, ...) PP__COL(type, c), PP__COL_E5(type, __VA_ARGS__)
#define PP__COL_E7(type, c, ...) PP__COL(type, c), PP__COL_E6(type, __VA_ARGS__)
#define PP__COL_E8(type, c, ...) PP__COL(type, c), PP__COL_E7(type, __VA_ARGS__)
#define PP__COL_E9(type, c, ...) PP__COL(type, c), PP__COL_E8(type, __VA_ARGS__)
#define PP__COL_E10(type, c, ...) PP__COL(type, c), PP__COL_E9(type, __VA_ARGS__)
#define PP__COL_E11(type, c, ...) PP__COL(type, c), PP__COL_E10(type, __VA_ARGS__)
#define PP__COL_E12(type, c, ...) PP__COL(type, c), PP__COL_E11(type, __VA_ARGS__)
#define PP__COL_E13(type, c, ...) PP__COL(type, c), PP__COL_E12(type, __VA_ARGS__)
#define PP__COL_E14(type, c, ...) PP__COL(type, c), PP__COL_E13(type, __VA_ARGS__)
#define PP__COL_E15(type, c, ...) PP__COL(type, c), PP__COL_E14(type, __VA_ARGS__)
#define PP__COL_E16(type, c, ...) PP__COL(type, c), PP__COL_E15(type, __VA_ARGS__)
#define PP__COL_E17(type, c, ...) PP__COL(type, c), PP__COL_E16(type, __VA_ARGS__)
#define PP__COL_E18(type, c, ...) PP__COL(type, c), PP__COL_E17(type, __VA_ARGS__)
#define PP__COL_E19(type, c, ...) PP__COL(type, c), PP__COL_E18(type, __VA_ARGS__)
#define PP__COL_E20(type, c, ...) PP__COL(type, c), PP__COL_E19(type, __VA_ARGS__)
#define PP__COL_E21(type, c, ...) PP__COL(type, c), PP__COL_E20(type, __VA_ARGS__)
#define PP__COL_E22(type, c, ...) PP__COL(type, c), PP__COL_E21(type, __VA_ARGS__)
#define PP__COL_E23(type, c, ...) PP__COL(type, c), PP__COL_E22(type, __VA_ARGS__)
#define PP__COL_E24(type, c, ...) PP__COL(type, c), PP__COL_E23(type, __VA_ARGS__)
#define PP__COL_E25(type, c, ...) PP__COL(type, c), PP__COL_E24(type, __VA_ARGS__)
#define PP__COL_E26(type, c, ...) PP__COL(type, c), PP__COL_E25(type, __VA_ARGS__)
#define PP__COL_E27(type, c, ...) PP__COL(type, c), PP__COL_E26(type, __VA_ARGS__)
#define PP__COL_E28(type, c, ...) PP__COL(type, c), PP__COL_E27(type, __VA_ARGS__)
#define PP__COL_E29(type, c, ...) PP__COL(type, c), PP__COL_E28(type, __VA_ARGS__)
#define PP__COL_E30(type, c, ...) PP__COL(type, c), PP__COL_E29(type, __VA_ARGS__)
#define PP__COL_E31(type, c, ...) PP__COL(type, c), PP__COL_E30(type, __VA_ARGS__)
#define PP__COL_E32(type, c, ...) PP__COL(type, c), PP__COL_E31(type, __VA_ARGS__)

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
 * Steps the INSERT ... RETURNING id @st once, puts the id in *@id and releases @st.
 * Returns PP_OK, PP_ECONFLICT on a UNIQUE violation, PP_EDB otherwise (NULL @st included).
 */
enum pp_err pp_row_returning(struct pp_stmt *st, int64_t *id);

/**
 * Runs the UPDATE @st, which must change exactly one row, and releases it. When it changes
 * none, tells why: @exists_sql (one integer parameter, @id) finds the row or not, so the answer
 * is PP_ECONFLICT (the row is there but not in a state the UPDATE accepts) or PP_ENOTFOUND.
 */
enum pp_err pp_row_update_one(struct pp_db *db, struct pp_stmt *st, const char *exists_sql,
                              int64_t id);

/**
 * Prepare, bind and collect in one call: PP_COLLECT(db, arena, &venue_row, items, count,
 * "SELECT ... WHERE offerer_id = ?", PP_INT(offerer_id)). Same results as pp_row_collect.
 */
#define PP_COLLECT(db, a, spec, items, count, sql, ...)                                          \
    pp_row_collect(PP_BIND(db, sql, __VA_ARGS__), a, spec, (void **)(items), count)

/** Prepare, bind and fetch one row in one call; same results as pp_row_fetch. */
#define PP_FETCH(db, a, spec, row, sql, ...)                                                     \
    pp_row_fetch(PP_BIND(db, sql, __VA_ARGS__), a, spec, row)

/** Prepare, bind and run in one call; same results as pp_row_exec. */
#define PP_EXEC(db, sql, ...) pp_row_exec(PP_BIND(db, sql, __VA_ARGS__))

/** Prepare, bind and pp_row_update_one in one call: @exists (one bind, @id) tells a conflict
 *  from an unknown row when the UPDATE @sql changes none. */
#define PP_UPDATE_ONE(db, exists, id, sql, ...)                                                   \
    pp_row_update_one(db, PP_BIND(db, sql, __VA_ARGS__), exists, id)

#endif
