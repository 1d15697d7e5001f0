/*
 * HTML form bodies (application/x-www-form-urlencoded): pp_form_parse, the one-pass reader the
 * router calls for form routes (http/form.h).
 *
 * Invariants: each name and value is a C string no longer than the body, names are never
 * empty; encoding the fields read again (every byte but [A-Za-z0-9] percent-encoded, in body
 * order: the parser lists them last first) and parsing that gives the same fields in the same
 * order; more than PP_FORM_MAX_FIELDS fields is refused with nothing returned.
 */
#include "core/arena.h"
#include "fuzz.h"
#include "http/form.h"
#include "http/request.h" /* struct pp_kv */

/* The fields of @kv (last first) written back as a body, first field first. */
static char *encode(struct pp_arena *a, const struct pp_kv *kv)
{
    size_t n = 0, cap = 1;
    for (const struct pp_kv *p = kv; p != NULL; p = p->next, n++)
        cap += 3 * (strlen(p->key) + strlen(p->value)) + 2;
    const struct pp_kv **order = pp_arena_alloc(a, (n ? n : 1) * sizeof *order);
    size_t i = n;
    for (const struct pp_kv *p = kv; p != NULL; p = p->next)
        order[--i] = p;
    char *s = pp_arena_alloc(a, cap), *o = s;
    for (i = 0; i < n; i++) {
        if (i > 0)
            *o++ = '&';
        for (int part = 0; part < 2; part++) {
            const char *text = part ? order[i]->value : order[i]->key;
            for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
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
    struct pp_kv *fields = NULL;
    enum pp_err rc = pp_form_parse(a, (const char *)data, size, PP_FORM_MAX_FIELDS, &fields);
    if (rc != PP_OK) {
        FUZZ_CHECK(rc == PP_ETOOBIG && fields == NULL);
    } else {
        for (const struct pp_kv *p = fields; p != NULL; p = p->next)
            FUZZ_CHECK(*p->key != '\0' && strlen(p->key) <= size && strlen(p->value) <= size);
        char *again = encode(a, fields);
        struct pp_kv *fields2 = NULL;
        FUZZ_CHECK(pp_form_parse(a, again, strlen(again), PP_FORM_MAX_FIELDS, &fields2) == PP_OK);
        const struct pp_kv *p = fields, *q = fields2;
        for (; p != NULL && q != NULL; p = p->next, q = q->next)
            FUZZ_CHECK(strcmp(p->key, q->key) == 0 && strcmp(p->value, q->value) == 0);
        FUZZ_CHECK(p == NULL && q == NULL);
    }
    pp_arena_free(a);
    return 0;
}
