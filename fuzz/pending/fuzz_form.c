/*
 * PENDING (fuzz/README.md): urlencoded form bodies. The form parser of src/http/server.c is
 * being rewritten (libmicrohttpd's post processor replaced by passpro's own); this target is
 * written against the function that rewrite is expected to export, and is left out of the
 * build (only fuzz/fuzz_*.c are built) until it lands. Adjust the name and prototype below to
 * the real ones, then move this file to fuzz/fuzz_form.c and add fuzz/corpus/form/.
 *
 * Expected: bool pp_form_parse(struct pp_arena *arena, const char *body, size_t len,
 *                              struct pp_kv **out);
 * "a=1&b=x+y&c=%C3%A9" → (a, "1"), (b, "x y"), (c, "é"); false for a malformed body.
 *
 * Invariants: every key and value is a C string of at most the body's length; re-encoding the
 * fields read (percent-encoding every byte but [A-Za-z0-9]) and parsing that again gives the
 * same fields in the same order (if the parser lists fields last first, as server.c's collector
 * does today, encode() must walk them in reverse).
 */
#include <stdbool.h>

#include "core/arena.h"
#include "fuzz.h"
#include "http/form.h"    /* assumed header of the rewrite */
#include "http/request.h" /* struct pp_kv */

static char *encode(struct pp_arena *a, const struct pp_kv *kv)
{
    size_t cap = 1;
    for (const struct pp_kv *p = kv; p != NULL; p = p->next)
        cap += 3 * (strlen(p->key) + strlen(p->value)) + 2;
    char *s = pp_arena_alloc(a, cap), *o = s;
    for (const struct pp_kv *p = kv; p != NULL; p = p->next) {
        if (o != s)
            *o++ = '&';
        for (int part = 0; part < 2; part++) {
            for (const unsigned char *c = (const unsigned char *)(part ? p->value : p->key); *c;
                 c++) {
                if ((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
                    (*c >= '0' && *c <= '9'))
                    *o++ = (char)*c;
                else
                    o += snprintf(o, 4, "%%%02X", *c);
            }
            if (part == 0)
                *o++ = '=';
        }
    }
    *o = '\0';
    return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pp_arena *a = pp_arena_new();
    char *body = fuzz_cstr(data, size);
    struct pp_kv *fields = NULL;
    if (pp_form_parse(a, body, size, &fields)) {
        for (const struct pp_kv *p = fields; p != NULL; p = p->next)
            FUZZ_CHECK(strlen(p->key) <= size && strlen(p->value) <= size);
        char *again = encode(a, fields);
        struct pp_kv *fields2 = NULL;
        FUZZ_CHECK(pp_form_parse(a, again, strlen(again), &fields2));
        const struct pp_kv *p = fields, *q = fields2;
        for (; p != NULL && q != NULL; p = p->next, q = q->next)
            FUZZ_CHECK(strcmp(p->key, q->key) == 0 && strcmp(p->value, q->value) == 0);
        FUZZ_CHECK(p == NULL && q == NULL);
    }
    free(body);
    pp_arena_free(a);
    return 0;
}
