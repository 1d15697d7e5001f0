#ifndef PP_CORE_TABLE_H
#define PP_CORE_TABLE_H

#include <stddef.h>

/**
 * Static reference tables (categories, subcategories, venue types) looked up by their text
 * key: one linear search for all of them.
 */

/**
 * The entry of @table (@count entries of @size bytes) whose `const char *` key at @key_offset
 * equals @key; NULL when none, or when @key is NULL.
 */
const void *pp_table_find(const void *table, size_t count, size_t size, size_t key_offset,
                          const char *key);

#endif
