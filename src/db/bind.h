#ifndef PP_DB_BIND_H
#define PP_DB_BIND_H

#include <stddef.h>
#include <stdint.h>

struct pp_db;
struct pp_stmt;

/**
 * A statement prepared and bound in one call, from a typed list of parameters, so that the
 * "prepare, check, bind 1, bind 2 ..." sequence is written once:
 *
 *     struct pp_stmt *st = PP_BIND(db, "UPDATE venue SET name = ? WHERE id = ?",
 *                                  PP_TEXT(name), PP_INT(id));
 *     return pp_row_exec(st);   // the db/row.h calls take a NULL statement as PP_EDB
 *
 * Parameters are bound in order from 1; each macro converts its value to the bound type.
 */

enum pp_arg_kind {
    PP_ARG_INT,  /* int64_t */
    PP_ARG_TEXT, /* const char *, NULL binds SQL NULL */
    PP_ARG_NULL, /* SQL NULL */
};

/** One parameter of a statement. */
struct pp_arg {
    enum pp_arg_kind kind;
    int64_t i;
    const char *t;
};

#define PP_INT(v) ((struct pp_arg){PP_ARG_INT, (int64_t)(v), NULL})
#define PP_TEXT(v) ((struct pp_arg){PP_ARG_TEXT, 0, (v)})
/** Integer @v, or SQL NULL when @v is 0 (an optional reference, an unset time). */
#define PP_INT_OR_NULL(v) ((struct pp_arg){(v) != 0 ? PP_ARG_INT : PP_ARG_NULL, (int64_t)(v), NULL})
/** Integer @v, or SQL NULL when @v is @none (PP_UNLIMITED for an unlimited quantity, say). */
#define PP_INT_UNLESS(v, none)                                                                    \
    ((struct pp_arg){(v) != (none) ? PP_ARG_INT : PP_ARG_NULL, (int64_t)(v), NULL})

/**
 * Prepares @sql on @db and binds the @n parameters of @args. Returns the statement (release
 * with pp_stmt_done() or a db/row.h call), or NULL when @sql does not prepare (logged).
 */
struct pp_stmt *pp_bind_prepare(struct pp_db *db, const char *sql, const struct pp_arg *args,
                                size_t n);

/** pp_bind_prepare() with the parameters written in place: PP_BIND(db, sql, PP_INT(id)). */
#define PP_BIND(db, sql, ...)                                                                     \
    pp_bind_prepare((db), (sql), (const struct pp_arg[]){__VA_ARGS__},                            \
                    sizeof((const struct pp_arg[]){__VA_ARGS__}) / sizeof(struct pp_arg))

#endif
