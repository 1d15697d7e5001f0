#include "core/table.h"

#include <string.h>

const void *pp_table_find(const void *table, size_t count, size_t size, size_t key_offset,
                          const char *key)
{
    if (key == NULL)
        return NULL;
    const char *entry = table;
    for (size_t i = 0; i < count; i++, entry += size) {
        const char *k = *(const char *const *)(entry + key_offset);
        if (strcmp(k, key) == 0)
            return entry;
    }
    return NULL;
}
