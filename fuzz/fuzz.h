#ifndef PP_FUZZ_H
#define PP_FUZZ_H

/*
 * What every libFuzzer target of passpro shares (docs/fuzzing.md): the entry point's
 * prototype, a NUL-terminated copy of the input, and FUZZ_CHECK for invariants. A broken
 * invariant aborts, which libFuzzer reports as a crash and saves the input that broke it.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/** Aborts with the condition's text when @cond is false. */
#define FUZZ_CHECK(cond)                                                                          \
    do {                                                                                          \
        if (!(cond)) {                                                                            \
            fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #cond);         \
            abort();                                                                              \
        }                                                                                         \
    } while (0)

/** malloc'd copy of @size bytes of @data plus a NUL (the parsers take C strings). */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (s == NULL)
        abort();
    if (size > 0)
        memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

/**
 * Splits the input at its first byte 0xFF (never in UTF-8, so seeds stay readable as text):
 * *a and *b are malloc'd C strings; without a separator *b is "".
 */
static inline void fuzz_split(const uint8_t *data, size_t size, char **a, char **b)
{
    const uint8_t *sep = size > 0 ? memchr(data, 0xFF, size) : NULL;
    size_t n = sep ? (size_t)(sep - data) : size;
    *a = fuzz_cstr(data, n);
    *b = sep ? fuzz_cstr(sep + 1, size - n - 1) : fuzz_cstr(data, 0);
}

#endif
