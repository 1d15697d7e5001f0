#include "domain/search.h"

#include <stdint.h>
#include <string.h>

#include "core/arena.h"
#include "core/utf8.h"
#include "db/bind.h"
#include "db/db.h"
#include "db/row.h"
#include "db/tx.h"

#define BACKFILL_BATCH 500

char *pp_search_key(struct pp_arena *a, const char *text)
{
    if (text == NULL)
        return NULL;
    char *key = pp_arena_alloc(a, strlen(text) + 1);
    pp_utf8_search_key(text, key);
    return key;
}

char *pp_search_pattern(struct pp_arena *a, const char *typed)
{
    if (typed == NULL)
        return NULL;
    char *key = pp_search_key(a, typed);
    if (*key == '\0')
        return NULL;
    size_t n = strlen(key);
    char *pattern = pp_arena_alloc(a, n + 3);
    pattern[0] = '%';
    memcpy(pattern + 1, key, n);
    pattern[n + 1] = '%';
    pattern[n + 2] = '\0';
    return pattern;
}

struct named_row {
    int64_t id;
    char *name;
};
static const struct pp_col named_cols[] = PP_COLS(struct named_row, PPC_INT(id), PPC_TEXT(name));
static const struct pp_row_spec named_row = PP_ROW_SPEC(struct named_row, named_cols, NULL);

/* One batch of @table: its rows without a key get one. The partial index of
 * migration 011 (name_search IS NULL) finds them without reading the table. */
static enum pp_err backfill_batch(struct pp_db *db, struct pp_arena *a, const char *select,
                                  const char *update, size_t *n)
{
    struct named_row *rows;
    if (pp_db_begin(db) != PP_OK)
        return PP_EDB;
    enum pp_err rc = PP_COLLECT(db, a, &named_row, &rows, n, select, PP_INT(BACKFILL_BATCH));
    for (size_t i = 0; rc == PP_OK && i < *n; i++)
        rc = PP_EXEC(db, update, PP_TEXT(pp_search_key(a, rows[i].name)), PP_INT(rows[i].id));
    return pp_tx_end(db, rc);
}

enum pp_err pp_search_backfill(struct pp_db *db, long *filled)
{
    static const struct {
        const char *select, *update;
    } tables[] = {
        {"SELECT id, name FROM offer WHERE name_search IS NULL ORDER BY id LIMIT "
         "?",
         "UPDATE offer SET name_search = ? WHERE id = ?"},
        {"SELECT id, name FROM collective_offer WHERE name_search IS NULL ORDER "
         "BY id LIMIT ?",
         "UPDATE collective_offer SET name_search = ? WHERE id = ?"},
    };
    if (filled != NULL)
        *filled = 0;
    enum pp_err rc = PP_OK;
    for (size_t t = 0; rc == PP_OK && t < sizeof tables / sizeof tables[0]; t++) {
        size_t n = BACKFILL_BATCH;
        while (rc == PP_OK && n == BACKFILL_BATCH) {
            struct pp_arena *a = pp_arena_new();
            rc = backfill_batch(db, a, tables[t].select, tables[t].update, &n);
            pp_arena_free(a);
            if (rc == PP_OK && filled != NULL)
                *filled += (long)n;
        }
    }
    return rc;
}
