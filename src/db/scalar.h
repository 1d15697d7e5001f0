#ifndef PP_DB_SCALAR_H
#define PP_DB_SCALAR_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

struct pp_stmt;
struct pp_arena;

/**
 * Queries that answer one value a row, read in one place: one integer (a count, the id or the
 * counter an INSERT ... RETURNING gives back), or a list of strings (labels, codes) or of ids
 * (the rows a batch then works on one by one). db/row.h
 * reads whole rows into structs; these are its one-column cases, which need no struct nor
 * column list (pp_db_query_int does the first for statements with integer parameters only).
 */

/**
 * Steps @st once and puts the first column of its row in *@value. Releases @st in every case
 * (a NULL @st, a statement that did not prepare, is PP_EDB). Returns PP_OK, PP_ENOTFOUND when
 * there is no row (a conditional INSERT that inserted nothing), PP_EDB.
 */
enum pp_err pp_scalar_int(struct pp_stmt *st, int64_t *value);

/**
 * Steps @st to its end and returns the first column of every row (text, copied into @a) as an
 * array owned by @a in *@items (NULL when empty), their number in *@count. Releases @st in
 * every case (NULL @st: PP_EDB). Returns PP_OK or PP_EDB.
 */
enum pp_err pp_scalar_texts(struct pp_stmt *st, struct pp_arena *a, const char ***items,
                            size_t *count);

/** pp_scalar_texts() for integers (SQL NULL reads as 0): ids, in an array owned by @a. */
enum pp_err pp_scalar_ints(struct pp_stmt *st, struct pp_arena *a, int64_t **items,
                           size_t *count);

#endif
