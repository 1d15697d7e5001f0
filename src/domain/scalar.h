#ifndef PP_DOMAIN_SCALAR_H
#define PP_DOMAIN_SCALAR_H

#include <stdint.h>

#include "core/error.h"

struct pp_stmt;

/**
 * Queries that answer one integer (a count, the id or the counter an INSERT ... RETURNING
 * gives back), read in one place: "step once, read the first column, release" was written
 * again in each module that needed it. db/row.h reads whole rows into structs; this is its
 * one-number case, for statements whose parameters are not all integers (pp_db_query_int
 * takes integers only).
 */

/**
 * Steps @st once and puts the first column of its row in *@value. Releases @st in every case
 * (a NULL @st, a statement that did not prepare, is PP_EDB). Returns PP_OK, PP_ENOTFOUND when
 * there is no row (a conditional INSERT that inserted nothing), PP_EDB.
 */
enum pp_err pp_scalar_int(struct pp_stmt *st, int64_t *value);

#endif
