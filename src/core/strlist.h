#ifndef PP_CORE_STRLIST_H
#define PP_CORE_STRLIST_H

#include <stdbool.h>
#include <stddef.h>

struct pp_arena;

/**
 * Short lists of strings stored in one text column, joined by '|' ("Collège - 6e|Collège -
 * 5e"): the collective offers' levels, domains, departments, emails, formats. Items never
 * contain '|' (pp_strlist_item_ok). Pure; results live in the arena.
 */

#define PP_STRLIST_SEP '|'

/** True when @s is a non-empty item without the separator. */
bool pp_strlist_item_ok(const char *s);

/** The @n items joined by '|' ("" for none). */
const char *pp_strlist_join(struct pp_arena *a, const char *const *items, size_t n);

/** The items of @joined (NULL or "" → none): an array of *@n strings, NULL-terminated. */
const char **pp_strlist_split(struct pp_arena *a, const char *joined, size_t *n);

#endif
