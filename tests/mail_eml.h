#ifndef PP_TESTS_MAIL_EML_H
#define PP_TESTS_MAIL_EML_H

/*
 * A reader of RFC 5322 / MIME messages for the mail tests, written apart from src/mail/ so
 * that the tests check what was written by reading it back, not by comparing strings with
 * the writer's own code: header unfolding, RFC 2047 encoded words (B and Q, UTF-8), a
 * multipart body split on its boundary, quoted-printable and base64 parts. It accepts LF as
 * well as CRLF (smtp-sink dumps with LF) and reports which one the message used.
 * Header-only: every function is static.
 */

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define EML_MAX_HEADERS 64
#define EML_MAX_PARTS 8

struct eml_header {
    char *name;
    char *value; /* unfolded, raw (still encoded) */
};

struct eml_part {
    struct eml_header headers[EML_MAX_HEADERS];
    size_t nheaders;
    char *body; /* decoded (transfer encoding undone), NUL-terminated, LF line ends */
    size_t body_len;
};

struct eml {
    struct eml_header headers[EML_MAX_HEADERS];
    size_t nheaders;
    bool crlf_only;  /* every line ended with CRLF and no bare CR or LF */
    size_t max_line; /* longest line, line end excluded */
    char *body;      /* the raw body after the header block (LF line ends) */
    struct eml_part parts[EML_MAX_PARTS];
    size_t nparts;   /* 0 for a single-part message: then parts[0] is the body, decoded */
    bool multipart;
};

static char *eml_strndup(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (p == NULL)
        abort();
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

static int eml_hex(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

static int eml_b64val(int c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

/* Base64 of @s (@n chars, whitespace skipped) → malloc'd bytes, length in *out_len. */
static char *eml_b64_decode(const char *s, size_t n, size_t *out_len)
{
    char *out = malloc(n + 1);
    if (out == NULL)
        abort();
    size_t k = 0;
    unsigned acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        int v = eml_b64val((unsigned char)s[i]);
        if (v < 0)
            continue; /* padding, line ends */
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[k++] = (char)((acc >> bits) & 0xFF);
        }
    }
    out[k] = '\0';
    *out_len = k;
    return out;
}

/* Quoted-printable of @s (LF line ends) → malloc'd text. */
static char *eml_qp_decode(const char *s, size_t n, size_t *out_len)
{
    char *out = malloc(n + 1);
    if (out == NULL)
        abort();
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '=' && i + 1 < n && s[i + 1] == '\n') {
            i++; /* soft line break */
            continue;
        }
        if (s[i] == '=' && i + 2 < n && eml_hex((unsigned char)s[i + 1]) >= 0 &&
            eml_hex((unsigned char)s[i + 2]) >= 0) {
            out[k++] = (char)(eml_hex((unsigned char)s[i + 1]) * 16 +
                              eml_hex((unsigned char)s[i + 2]));
            i += 2;
            continue;
        }
        out[k++] = s[i];
    }
    out[k] = '\0';
    *out_len = k;
    return out;
}

/*
 * RFC 2047: decodes the encoded words of header value @v (UTF-8 only, "B" or "Q"); white
 * space between two adjacent encoded words is dropped. malloc'd.
 */
static char *eml_decode_words(const char *v)
{
    size_t n = strlen(v);
    char *out = malloc(n * 2 + 1);
    if (out == NULL)
        abort();
    size_t k = 0;
    bool last_was_word = false;
    size_t after_word = 0;
    size_t i = 0;
    while (i < n) {
        if (v[i] == '=' && v[i + 1] == '?') {
            const char *cs = v + i + 2;
            const char *q1 = strchr(cs, '?');
            const char *q2 = q1 ? strchr(q1 + 1, '?') : NULL;
            const char *end = q2 ? strstr(q2 + 1, "?=") : NULL;
            if (q1 && q2 && end && q2 == q1 + 2 &&
                (size_t)(q1 - cs) == 5 && strncasecmp(cs, "UTF-8", 5) == 0) {
                /* Drop the white space that separated this word from the previous one
                 * (only that: a decoded word may itself end with a space). */
                if (last_was_word)
                    k = after_word;
                char enc = (char)toupper((unsigned char)q1[1]);
                const char *text = q2 + 1;
                size_t tn = (size_t)(end - text), dn = 0;
                char *dec;
                if (enc == 'B') {
                    dec = eml_b64_decode(text, tn, &dn);
                } else {
                    dec = malloc(tn + 1);
                    if (dec == NULL)
                        abort();
                    for (size_t j = 0; j < tn; j++) {
                        if (text[j] == '_')
                            dec[dn++] = ' ';
                        else if (text[j] == '=' && j + 2 < tn + 1 && eml_hex(text[j + 1]) >= 0 &&
                                 eml_hex(text[j + 2]) >= 0) {
                            dec[dn++] = (char)(eml_hex(text[j + 1]) * 16 + eml_hex(text[j + 2]));
                            j += 2;
                        } else
                            dec[dn++] = text[j];
                    }
                }
                memcpy(out + k, dec, dn);
                k += dn;
                free(dec);
                i = (size_t)(end + 2 - v);
                last_was_word = true;
                after_word = k;
                continue;
            }
        }
        if (v[i] != ' ' && v[i] != '\t')
            last_was_word = false;
        out[k++] = v[i++];
    }
    out[k] = '\0';
    return out;
}

/* Parses the header block @s (LF line ends, no final empty line) into @h. */
static size_t eml_parse_headers(const char *s, struct eml_header *h)
{
    size_t nh = 0;
    const char *p = s;
    while (*p) {
        const char *eol = strchr(p, '\n');
        size_t n = eol ? (size_t)(eol - p) : strlen(p);
        if ((*p == ' ' || *p == '\t') && nh > 0) {
            /* Unfolding: the line end goes, the white space stays. */
            struct eml_header *last = &h[nh - 1];
            size_t ln = strlen(last->value);
            char *v = malloc(ln + n + 1);
            if (v == NULL)
                abort();
            memcpy(v, last->value, ln);
            memcpy(v + ln, p, n);
            v[ln + n] = '\0';
            free(last->value);
            last->value = v;
        } else if (nh < EML_MAX_HEADERS) {
            const char *colon = memchr(p, ':', n);
            if (colon != NULL) {
                h[nh].name = eml_strndup(p, (size_t)(colon - p));
                const char *v = colon + 1;
                while (v < p + n && (*v == ' ' || *v == '\t'))
                    v++;
                h[nh].value = eml_strndup(v, (size_t)(p + n - v));
                nh++;
            }
        }
        p = eol ? eol + 1 : p + n;
    }
    return nh;
}

static const char *eml_find(const struct eml_header *h, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcasecmp(h[i].name, name) == 0)
            return h[i].value;
    return NULL;
}

/* Number of headers called @name. */
static size_t eml_count(const struct eml *m, const char *name)
{
    size_t c = 0;
    for (size_t i = 0; i < m->nheaders; i++)
        if (strcasecmp(m->headers[i].name, name) == 0)
            c++;
    return c;
}

/* Raw (unfolded) value of header @name of the message, or NULL. */
static const char *eml_get(const struct eml *m, const char *name)
{
    return eml_find(m->headers, m->nheaders, name);
}

/* Parameter @param of a header value such as Content-Type (quoted or not), malloc'd or NULL. */
static char *eml_param(const char *value, const char *param)
{
    if (value == NULL)
        return NULL;
    size_t pn = strlen(param);
    for (const char *p = value; (p = strchr(p, ';')) != NULL;) {
        p++;
        while (*p == ' ' || *p == '\t')
            p++;
        if (strncasecmp(p, param, pn) == 0 && p[pn] == '=') {
            const char *v = p + pn + 1;
            if (*v == '"') {
                const char *e = strchr(v + 1, '"');
                return e ? eml_strndup(v + 1, (size_t)(e - v - 1)) : NULL;
            }
            size_t n = strcspn(v, "; \t");
            return eml_strndup(v, n);
        }
    }
    return NULL;
}

/* Decodes @body (@n bytes) per Content-Transfer-Encoding @cte into the part. */
static void eml_decode_body(struct eml_part *part, const char *body, size_t n, const char *cte)
{
    if (cte != NULL && strncasecmp(cte, "quoted-printable", 16) == 0)
        part->body = eml_qp_decode(body, n, &part->body_len);
    else if (cte != NULL && strncasecmp(cte, "base64", 6) == 0)
        part->body = eml_b64_decode(body, n, &part->body_len);
    else {
        part->body = eml_strndup(body, n);
        part->body_len = n;
    }
}

/* Splits "headers\n\nbody" at the first empty line; the header block gets its NUL. */
static char *eml_split(char *s)
{
    if (strncmp(s, "\n", 1) == 0) {
        *s = '\0';
        return s + 1;
    }
    char *sep = strstr(s, "\n\n");
    if (sep == NULL)
        return s + strlen(s);
    sep[1] = '\0';
    return sep + 2;
}

static void eml_free(struct eml *m)
{
    for (size_t i = 0; i < m->nheaders; i++) {
        free(m->headers[i].name);
        free(m->headers[i].value);
    }
    for (size_t j = 0; j < EML_MAX_PARTS; j++) {
        for (size_t i = 0; i < m->parts[j].nheaders; i++) {
            free(m->parts[j].headers[i].name);
            free(m->parts[j].headers[i].value);
        }
        free(m->parts[j].body);
    }
    free(m->body);
    memset(m, 0, sizeof *m);
}

/* Parses message @data (@len bytes); 0 on success, -1 when it has no header block. */
static int eml_parse(const char *data, size_t len, struct eml *m)
{
    memset(m, 0, sizeof *m);
    m->crlf_only = true;
    /* Line ends: record, then normalize to LF. */
    char *s = malloc(len + 1);
    if (s == NULL)
        abort();
    size_t k = 0, line = 0;
    for (size_t i = 0; i < len; i++) {
        if (data[i] == '\r' && i + 1 < len && data[i + 1] == '\n') {
            s[k++] = '\n';
            i++;
            if (line > m->max_line)
                m->max_line = line;
            line = 0;
        } else if (data[i] == '\n' || data[i] == '\r') {
            m->crlf_only = false;
            s[k++] = '\n';
            if (line > m->max_line)
                m->max_line = line;
            line = 0;
        } else {
            s[k++] = data[i];
            line++;
        }
    }
    if (line > m->max_line)
        m->max_line = line;
    s[k] = '\0';
    char *body = eml_split(s);
    m->nheaders = eml_parse_headers(s, m->headers);
    m->body = strdup(body);
    if (m->nheaders == 0) {
        free(s);
        return -1;
    }
    const char *ct = eml_get(m, "Content-Type");
    char *boundary = NULL;
    if (ct != NULL && strncasecmp(ct, "multipart/", 10) == 0)
        boundary = eml_param(ct, "boundary");
    if (boundary == NULL) {
        eml_decode_body(&m->parts[0], body, strlen(body),
                        eml_get(m, "Content-Transfer-Encoding"));
        free(s);
        return 0;
    }
    m->multipart = true;
    /* Delimiter lines are "--boundary" (closing one "--boundary--"); the line end before a
     * delimiter belongs to it (RFC 2046 §5.1.1). */
    size_t bn = strlen(boundary);
    char *p = body;
    char *part_start = NULL;
    while (*p) {
        char *eol = strchr(p, '\n');
        size_t n = eol ? (size_t)(eol - p) : strlen(p);
        bool delim = n >= bn + 2 && p[0] == '-' && p[1] == '-' && strncmp(p + 2, boundary, bn) == 0;
        bool closing = delim && n >= bn + 4 && p[bn + 2] == '-' && p[bn + 3] == '-';
        if (delim) {
            if (part_start != NULL && m->nparts < EML_MAX_PARTS) {
                size_t plen = (size_t)(p - part_start);
                if (plen > 0 && part_start[plen - 1] == '\n')
                    plen--;
                char *copy = eml_strndup(part_start, plen);
                char *pbody = eml_split(copy);
                struct eml_part *part = &m->parts[m->nparts++];
                part->nheaders = eml_parse_headers(copy, part->headers);
                eml_decode_body(part, pbody, strlen(pbody),
                                eml_find(part->headers, part->nheaders,
                                         "Content-Transfer-Encoding"));
                free(copy);
            }
            part_start = eol ? eol + 1 : p + n;
            if (closing)
                break;
        }
        p = eol ? eol + 1 : p + n;
    }
    free(boundary);
    free(s);
    return 0;
}

/* The part whose Content-Type starts with @type ("text/plain"), or NULL. */
static const struct eml_part *eml_part_of(const struct eml *m, const char *type)
{
    for (size_t i = 0; i < m->nparts; i++) {
        const char *ct = eml_find(m->parts[i].headers, m->parts[i].nheaders, "Content-Type");
        if (ct != NULL && strncasecmp(ct, type, strlen(type)) == 0)
            return &m->parts[i];
    }
    return NULL;
}

/* Decoded value of header @name (encoded words decoded), malloc'd, or NULL. */
static char *eml_decoded(const struct eml *m, const char *name)
{
    const char *v = eml_get(m, name);
    return v ? eml_decode_words(v) : NULL;
}

/* The address inside <...> of a mailbox header value (or the value itself), malloc'd. */
static char *eml_address(const char *value)
{
    if (value == NULL)
        return NULL;
    const char *lt = strrchr(value, '<');
    if (lt != NULL) {
        const char *gt = strchr(lt, '>');
        if (gt != NULL)
            return eml_strndup(lt + 1, (size_t)(gt - lt - 1));
    }
    size_t n = strlen(value);
    while (n > 0 && value[n - 1] == ' ')
        n--;
    return eml_strndup(value, n);
}

/* Reads file @path whole (malloc'd, length in *len), NULL when unreadable. */
static char *eml_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 8192, n = 0;
    char *buf = malloc(cap);
    if (buf == NULL)
        abort();
    size_t r;
    while ((r = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += r;
        if (cap - n - 1 == 0) {
            cap *= 2;
            buf = realloc(buf, cap);
            if (buf == NULL)
                abort();
        }
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

#endif
