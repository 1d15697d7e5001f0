#ifndef PP_DOMAIN_SEARCH_H
#define PP_DOMAIN_SEARCH_H

#include "core/error.h"

struct pp_db;
struct pp_arena;

/**
 * The search key of a searchable name (pp_utf8_search_key: lower case, no
 * accents, words separated by one space), allocated in @a. Every write of a
 * searched name stores this beside it (offer.name_search,
 * collective_offer.name_search); NULL for a NULL @text.
 */
char *pp_search_key(struct pp_arena *a, const char *text);

/**
 * The LIKE pattern "%key%" for the text a person typed, in @a, to compare with
 * a name_search column; NULL when @typed is NULL or has no letter or digit (no
 * text filter). The key holds no LIKE wildcard: pp_utf8_search_key turns % and
 * _ into spaces.
 */
char *pp_search_pattern(struct pp_arena *a, const char *typed);

/**
 * Fills the name_search columns still NULL: the rows of a database migrated to
 * version 11 (the fold is done in C, not in SQL, so the migration adds the
 * columns and this fills them), and rows written around the domain
 * (bench/gen.c). Run after pp_db_migrate by the commands that open the database
 * for good (serve, migrate, demo); in batches, each one transaction.
 * @filled (may be NULL) receives the number of rows filled. Errors: PP_EDB.
 */
enum pp_err pp_search_backfill(struct pp_db *db, long *filled);

#endif
