#ifndef PP_EMBEDDED_H
#define PP_EMBEDDED_H

#include <stddef.h>

/**
 * Files compiled into the binary by scripts/embed.sh (migrations, templates), named by their
 * path under src/ ("db/migrations/sqlite/001_init.sql", "web/templates/layout.html").
 * Static storage, NUL-terminated.
 */
struct pp_embedded_file {
    const char *name;
    const char *data;
    size_t size;
};

/** Terminated by an entry whose name is NULL. */
extern const struct pp_embedded_file pp_embedded_files[];

/** Contents of @name or NULL; @size receives the length when not NULL. */
const char *pp_embedded_get(const char *name, size_t *size);

#endif
