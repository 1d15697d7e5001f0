#ifndef PP_CORE_ARENA_H
#define PP_CORE_ARENA_H

#include <stdarg.h>
#include <stddef.h>

/**
 * Region allocator for one request (h2o's pools): many small allocations, one free.
 * Allocation failure aborts the process with a message, like redis and Kore: there is no
 * sensible recovery half-way through a request.
 */
struct pp_arena;

/** New empty arena; free it with pp_arena_free(). */
struct pp_arena *pp_arena_new(void);

/** Frees every block of @a and @a itself. NULL is accepted. */
void pp_arena_free(struct pp_arena *a);

/** @n bytes aligned for any type, owned by @a. */
void *pp_arena_alloc(struct pp_arena *a, size_t n);

/** Zeroed @n bytes owned by @a. */
void *pp_arena_calloc(struct pp_arena *a, size_t n);

/** Copy of the NUL-terminated @s owned by @a; NULL stays NULL. */
char *pp_arena_strdup(struct pp_arena *a, const char *s);

/** Copy of @n bytes of @s plus a NUL, owned by @a. */
char *pp_arena_strndup(struct pp_arena *a, const char *s, size_t n);

/** printf into a string owned by @a. */
char *pp_arena_printf(struct pp_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/**
 * Growable array in @a: returns @items when @n < *cap, else a copy with twice the capacity
 * (8 at first) and updates *cap. Elements are @size bytes; the old block is left to the arena.
 */
void *pp_arena_grow(struct pp_arena *a, void *items, size_t n, size_t *cap, size_t size);

/** Total bytes handed out by @a (for tests and metrics). */
size_t pp_arena_used(const struct pp_arena *a);

/** malloc that aborts on failure. */
void *pp_xmalloc(size_t n);
/** calloc that aborts on failure. */
void *pp_xcalloc(size_t count, size_t n);
/** realloc that aborts on failure. */
void *pp_xrealloc(void *p, size_t n);
/** strdup that aborts on failure. */
char *pp_xstrdup(const char *s);

#endif
