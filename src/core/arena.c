#include "core/arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK 8192
#define ARENA_ALIGN 16

struct block {
    struct block *next;
    size_t size;
    size_t used;
    /* Keep data aligned for any type. */
    _Alignas(ARENA_ALIGN) unsigned char data[];
};

struct pp_arena {
    struct block *head;
    size_t total;
};

static void out_of_memory(size_t n)
{
    fprintf(stderr, "passpro: mémoire épuisée (allocation de %zu octets)\n", n);
    abort();
}

void *pp_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (p == NULL)
        out_of_memory(n);
    return p;
}

void *pp_xcalloc(size_t count, size_t n)
{
    void *p = calloc(count ? count : 1, n ? n : 1);
    if (p == NULL)
        out_of_memory(count * n);
    return p;
}

void *pp_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (q == NULL)
        out_of_memory(n);
    return q;
}

char *pp_xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = pp_xmalloc(n);
    memcpy(p, s, n);
    return p;
}

struct pp_arena *pp_arena_new(void)
{
    return pp_xcalloc(1, sizeof(struct pp_arena));
}

void pp_arena_free(struct pp_arena *a)
{
    if (a == NULL)
        return;
    struct block *b = a->head;
    while (b != NULL) {
        struct block *next = b->next;
        free(b);
        b = next;
    }
    free(a);
}

void *pp_arena_alloc(struct pp_arena *a, size_t n)
{
    size_t need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    if (need < n)
        out_of_memory(n);
    struct block *b = a->head;
    if (b == NULL || b->size - b->used < need) {
        size_t size = need > ARENA_BLOCK ? need : ARENA_BLOCK;
        b = pp_xmalloc(sizeof(struct block) + size);
        b->size = size;
        b->used = 0;
        b->next = a->head;
        a->head = b;
    }
    void *p = b->data + b->used;
    b->used += need;
    a->total += n;
    return p;
}

void *pp_arena_calloc(struct pp_arena *a, size_t n)
{
    void *p = pp_arena_alloc(a, n);
    memset(p, 0, n);
    return p;
}

char *pp_arena_strndup(struct pp_arena *a, const char *s, size_t n)
{
    char *p = pp_arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *pp_arena_strdup(struct pp_arena *a, const char *s)
{
    if (s == NULL)
        return NULL;
    return pp_arena_strndup(a, s, strlen(s));
}

char *pp_arena_printf(struct pp_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return pp_arena_strdup(a, "");
    char *p = pp_arena_alloc(a, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

void *pp_arena_grow(struct pp_arena *a, void *items, size_t n, size_t *cap, size_t size)
{
    if (n < *cap)
        return items;
    size_t ncap = *cap ? *cap * 2 : 8;
    void *bigger = pp_arena_alloc(a, ncap * size);
    if (n > 0)
        memcpy(bigger, items, n * size);
    *cap = ncap;
    return bigger;
}

size_t pp_arena_used(const struct pp_arena *a)
{
    return a->total;
}
