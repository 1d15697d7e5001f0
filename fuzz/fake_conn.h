#ifndef PP_FUZZ_FAKE_CONN_H
#define PP_FUZZ_FAKE_CONN_H

/*
 * A stand-in for the libmicrohttpd connection behind pp_req_query(), pp_req_cookie() and
 * pp_req_header() (src/http/request.c), for the query and cookie targets: this file defines
 * MHD_lookup_connection_value, which the executable's own definition makes win over the shared
 * library's. The splitting of a query string at '&' and '=' and of a Cookie header at ';' is
 * therefore this file's, not libmicrohttpd's (whose parser these targets do not fuzz);
 * percent-decoding is libmicrohttpd's own MHD_http_unescape. Include from one file per target.
 */

#include <microhttpd.h>
#include <stdbool.h>
#include <string.h>

#include "core/arena.h"

struct fake_kv {
    enum MHD_ValueKind kind;
    const char *key, *value;
    struct fake_kv *next;
};

struct fake_conn {
    struct fake_kv *values;
};

const char *MHD_lookup_connection_value(struct MHD_Connection *connection,
                                        enum MHD_ValueKind kind, const char *key);
const char *MHD_lookup_connection_value(struct MHD_Connection *connection,
                                        enum MHD_ValueKind kind, const char *key)
{
    const struct fake_conn *c = (const struct fake_conn *)(void *)connection;
    const struct fake_kv *found = NULL;
    for (const struct fake_kv *kv = c->values; kv != NULL; kv = kv->next)
        if (kv->kind == kind && key != NULL && strcmp(kv->key, key) == 0)
            found = kv; /* the list is reversed: the last one is the first given */
    return found ? found->value : NULL;
}

static inline void fake_add(struct pp_arena *a, struct fake_conn *c, enum MHD_ValueKind kind,
                            const char *key, size_t klen, const char *value, size_t vlen,
                            bool unescape)
{
    struct fake_kv *kv = pp_arena_calloc(a, sizeof *kv);
    char *k = pp_arena_strndup(a, key, klen), *v = pp_arena_strndup(a, value, vlen);
    if (unescape) {
        MHD_http_unescape(k);
        MHD_http_unescape(v);
    }
    kv->kind = kind;
    kv->key = k;
    kv->value = v;
    kv->next = c->values;
    c->values = kv;
}

/** Adds the "k=v" pairs of @s split at @sep (one of '&' or ';'), with spaces trimmed for ';'. */
static inline void fake_parse(struct pp_arena *a, struct fake_conn *c, enum MHD_ValueKind kind,
                              const char *s, char sep)
{
    while (*s) {
        while (sep == ';' && *s == ' ')
            s++;
        const char *end = strchr(s, sep);
        size_t n = end ? (size_t)(end - s) : strlen(s);
        const char *eq = memchr(s, '=', n);
        if (n > 0) {
            if (eq != NULL)
                fake_add(a, c, kind, s, (size_t)(eq - s), eq + 1, n - (size_t)(eq - s) - 1,
                         sep == '&');
            else
                fake_add(a, c, kind, s, n, "", 0, sep == '&');
        }
        s += n;
        if (*s)
            s++;
    }
}

#endif
