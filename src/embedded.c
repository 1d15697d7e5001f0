#include "embedded.h"

#include <string.h>

const char *pp_embedded_get(const char *name, size_t *size)
{
    for (const struct pp_embedded_file *f = pp_embedded_files; f->name != NULL; f++) {
        if (strcmp(f->name, name) == 0) {
            if (size != NULL)
                *size = f->size;
            return f->data;
        }
    }
    return NULL;
}
