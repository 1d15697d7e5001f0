#include "http/form.h"

#include <string.h>
#include <strings.h>

#include "core/arena.h"
#include "http/request.h"

#define FORM_TYPE "application/x-www-form-urlencoded"

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decodes @s[0..n) where it lies (the result is never longer) and NUL-terminates it. */
static char *decode_in_place(char *s, size_t n)
{
    size_t w = 0;
    for (size_t r = 0; r < n; r++) {
        char c = s[r];
        if (c == '+') {
            c = ' ';
        } else if (c == '%' && r + 2 < n) {
            int hi = hex_value(s[r + 1]), lo = hex_value(s[r + 2]);
            if (hi >= 0 && lo >= 0) {
                c = (char)(hi * 16 + lo);
                r += 2;
            }
        }
        s[w++] = c;
    }
    s[w] = '\0';
    return s;
}

enum pp_err pp_form_parse(struct pp_arena *arena, const char *body, size_t len,
                          size_t max_fields, struct pp_kv **out)
{
    *out = NULL;
    /* One copy of the body, decoded where it lies: each piece's text only ever shrinks, and
     * the separators ('=' and '&') it would write over are already passed. */
    char *text = pp_arena_strndup(arena, body, len);
    struct pp_kv *list = NULL;
    size_t count = 0;
    for (size_t at = 0; at < len;) {
        char *piece = text + at;
        char *amp = memchr(piece, '&', len - at);
        size_t n = amp ? (size_t)(amp - piece) : len - at;
        at += n + 1;
        char *eq = memchr(piece, '=', n);
        size_t name_len = eq ? (size_t)(eq - piece) : n;
        if (name_len == 0)
            continue;
        /* The value first: decoding the name writes its terminating NUL over the '='. */
        const char *value = eq ? decode_in_place(eq + 1, n - name_len - 1) : "";
        const char *key = decode_in_place(piece, name_len);
        if (*key == '\0')
            continue; /* a name of NUL bytes ("%00", or raw) is as empty as no name */
        if (++count > max_fields) {
            *out = NULL;
            return PP_ETOOBIG;
        }
        struct pp_kv *kv = pp_arena_alloc(arena, sizeof *kv);
        kv->value = value;
        kv->key = key;
        kv->next = list;
        list = kv;
    }
    *out = list;
    return PP_OK;
}

enum pp_err pp_form_load(struct pp_req *req)
{
    req->form = NULL;
    const char *type = pp_req_header(req, "Content-Type");
    if (type == NULL || strncasecmp(type, FORM_TYPE, strlen(FORM_TYPE)) != 0 ||
        req->body_len == 0)
        return PP_OK;
    return pp_form_parse(req->arena, req->body, req->body_len, PP_FORM_MAX_FIELDS, &req->form);
}
