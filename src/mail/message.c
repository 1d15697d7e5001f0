#include "mail/message.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/email.h"
#include "core/tz.h"

/* Lines are kept to 76 characters where we choose (RFC 5322 recommends 78, RFC 2045 76). */
#define LINE_MAX_CHARS 76
/* An encoded word is at most 75 characters (RFC 2047 §2). */
#define WORD_MAX 75
/* "=?UTF-8?B?" + "?=" */
#define WORD_OVERHEAD 12
/* Display names longer than this are encoded, so that a quoted string never needs folding. */
#define PHRASE_QUOTED_MAX 60

struct buf {
    char *p;
    size_t len, cap;
};

/* Room for @n more bytes and the final NUL. */
static void buf_reserve(struct buf *b, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 1024;
        while (cap < b->len + n + 1)
            cap *= 2;
        b->p = pp_xrealloc(b->p, cap);
        b->cap = cap;
    }
}

static void buf_add(struct buf *b, const char *s, size_t n)
{
    buf_reserve(b, n);
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void buf_str(struct buf *b, const char *s)
{
    buf_add(b, s, strlen(s));
}

static void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void buf_printf(struct buf *b, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n > 0)
        buf_add(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

char *pp_mail_header_text(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    char *out = pp_xmalloc(n + 1);
    size_t k = 0;
    bool space = true; /* drops leading spaces */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f || c == ' ') {
            if (!space)
                out[k++] = ' ';
            space = true;
        } else {
            out[k++] = (char)c;
            space = false;
        }
    }
    while (k > 0 && out[k - 1] == ' ')
        k--;
    out[k] = '\0';
    return out;
}

/* A header line being written, folded before a token that would pass LINE_MAX_CHARS. */
struct hdr {
    struct buf *b;
    size_t col;
    bool empty; /* no token yet on the header */
};

static void hdr_begin(struct hdr *h, struct buf *b, const char *name)
{
    h->b = b;
    buf_str(b, name);
    buf_str(b, ":");
    h->col = strlen(name) + 1;
    h->empty = true;
}

static void hdr_token(struct hdr *h, const char *tok, size_t n)
{
    if (!h->empty && h->col + 1 + n > LINE_MAX_CHARS) {
        buf_str(h->b, "\r\n ");
        h->col = 1;
    } else {
        buf_str(h->b, " ");
        h->col += 1;
    }
    buf_add(h->b, tok, n);
    h->col += n;
    h->empty = false;
}

static void hdr_end(struct hdr *h)
{
    buf_str(h->b, "\r\n");
}

static bool is_printable_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
            return false;
    return true;
}

/* Length of the longest prefix of @s (at most @max bytes) that ends on a character boundary. */
static size_t utf8_cut(const char *s, size_t n, size_t max)
{
    if (n <= max)
        return n;
    size_t k = max;
    while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
        k--;
    return k > 0 ? k : max; /* never 0: a broken sequence is cut anywhere */
}

/* Appends @s (UTF-8, already free of controls) as RFC 2047 "B" encoded words. */
static void hdr_encoded_words(struct hdr *h, const char *s)
{
    size_t n = strlen(s);
    while (n > 0) {
        /* Fill what is left of the current line, else a whole new line. */
        size_t avail = LINE_MAX_CHARS > h->col + 1 ? LINE_MAX_CHARS - h->col - 1 : 0;
        if (avail > WORD_MAX)
            avail = WORD_MAX;
        size_t raw = avail > WORD_OVERHEAD ? (avail - WORD_OVERHEAD) / 4 * 3 : 0;
        if (raw < 12 && !h->empty)
            raw = (WORD_MAX - WORD_OVERHEAD) / 4 * 3; /* hdr_token folds first */
        else if (raw < 12)
            raw = 12;
        size_t take = utf8_cut(s, n, raw);
        char b64[128];
        sodium_bin2base64(b64, sizeof b64, (const unsigned char *)s, take,
                          sodium_base64_VARIANT_ORIGINAL);
        char word[160];
        int len = snprintf(word, sizeof word, "=?UTF-8?B?%s?=", b64);
        hdr_token(h, word, (size_t)len);
        s += take;
        n -= take;
    }
}

char *pp_mail_encode_header(const char *name, const char *value)
{
    struct buf b = {0};
    struct hdr h;
    char *clean = pp_mail_header_text(value);
    hdr_begin(&h, &b, name);
    if (is_printable_ascii(clean) && h.col + 1 + strlen(clean) <= LINE_MAX_CHARS)
        hdr_token(&h, clean, strlen(clean));
    else if (*clean != '\0')
        hdr_encoded_words(&h, clean);
    hdr_end(&h);
    free(clean);
    return b.p;
}

/* True when @s is atoms separated by single spaces (RFC 5322 atext): no quoting needed. */
static bool is_atoms(const char *s)
{
    static const char specials[] = "!#$%&'*+-/=?^_`{|}~";
    if (*s == '\0' || *s == ' ')
        return false;
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        bool atext = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                     (c != '\0' && strchr(specials, c) != NULL);
        if (c == ' ' && p[1] != ' ' && p[1] != '\0')
            continue;
        if (!atext)
            return false;
    }
    return true;
}

/* A mailbox: [phrase] <address>, or the bare address. */
static void hdr_mailbox(struct hdr *h, const struct pp_mail_addr *a)
{
    char *name = pp_mail_header_text(a->name);
    char angle[300];
    int n = snprintf(angle, sizeof angle, "<%s>", a->email);
    if (*name == '\0') {
        hdr_token(h, a->email, strlen(a->email));
    } else if (is_atoms(name) && strlen(name) <= PHRASE_QUOTED_MAX) {
        hdr_token(h, name, strlen(name));
        hdr_token(h, angle, (size_t)n);
    } else if (is_printable_ascii(name) && strlen(name) <= PHRASE_QUOTED_MAX) {
        struct buf q = {0};
        buf_str(&q, "\"");
        for (const char *p = name; *p; p++) {
            if (*p == '"' || *p == '\\')
                buf_str(&q, "\\");
            buf_add(&q, p, 1);
        }
        buf_str(&q, "\"");
        hdr_token(h, q.p, q.len);
        free(q.p);
        hdr_token(h, angle, (size_t)n);
    } else {
        hdr_encoded_words(h, name);
        hdr_token(h, angle, (size_t)n);
    }
    free(name);
}

static const char hexdigits[] = "0123456789ABCDEF";

char *pp_mail_qp_encode(const char *text, size_t *len)
{
    struct buf b = {0};
    buf_add(&b, "", 0);
    const char *p = text ? text : "";
    while (*p != '\0') {
        const char *eol = strchr(p, '\n');
        size_t n = eol ? (size_t)(eol - p) : strlen(p);
        if (n > 0 && p[n - 1] == '\r')
            n--;
        size_t col = 0;
        /* The worst case of this line: every byte encoded, a soft break every 72 characters.
         * Reserved once, so that each piece is a plain store (this loop is most of an email's
         * rendering time). */
        buf_reserve(&b, 3 * n + 3 * (3 * n / 72 + 1) + 2);
        for (size_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)p[i];
            bool last = i + 1 == n;
            bool enc = c == '=' || c > 126 || (c < 32 && c != '\t') ||
                       ((c == ' ' || c == '\t') && last);
            char piece[3];
            size_t plen = 1;
            /* A physical line starting with "." or "From " is encoded: no relay touches it. */
            if (col == 0 && (c == '.' || (c == 'F' && strncmp(p + i, "From ", 5) == 0)))
                enc = true;
            if (enc) {
                piece[0] = '=';
                piece[1] = hexdigits[c >> 4];
                piece[2] = hexdigits[c & 15];
                plen = 3;
            } else {
                piece[0] = (char)c;
            }
            /* Room for the piece plus a soft break "=" within 76 characters. */
            if (col + plen > LINE_MAX_CHARS - 1 && !(last && col + plen <= LINE_MAX_CHARS)) {
                memcpy(b.p + b.len, "=\r\n", 3);
                b.len += 3;
                col = 0;
                if (!enc && (c == '.' || (c == 'F' && strncmp(p + i, "From ", 5) == 0))) {
                    piece[0] = '=';
                    piece[1] = hexdigits[c >> 4];
                    piece[2] = hexdigits[c & 15];
                    plen = 3;
                }
            }
            for (size_t k = 0; k < plen; k++)
                b.p[b.len++] = piece[k];
            col += plen;
        }
        b.p[b.len] = '\0';
        buf_str(&b, "\r\n");
        p = eol ? eol + 1 : p + n;
        if (!eol)
            break;
    }
    if (len)
        *len = b.len;
    return b.p;
}

void pp_mail_date(int64_t t, char buf[40])
{
    static const char *days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    static const char *months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    struct pp_local l;
    pp_tz_to_local("Europe/Paris", t, &l);
    int off = l.offset / 60;
    char sign = off < 0 ? '-' : '+';
    if (off < 0)
        off = -off;
    snprintf(buf, 40, "%s, %02d %s %04d %02d:%02d:%02d %c%02d%02d", days[(l.weekday + 6) % 7],
             l.day, months[(l.month + 11) % 12], l.year, l.hour, l.minute, l.second, sign,
             off / 60, off % 60);
}

/* "12.3f9a@passpro.localhost": letters, digits, ".-_+", one '@' with text on both sides. */
static bool message_id_ok(const char *id)
{
    if (id == NULL || *id == '\0' || strlen(id) > 200)
        return false;
    const char *at = strchr(id, '@');
    if (at == NULL || at == id || at[1] == '\0' || strchr(at + 1, '@') != NULL)
        return false;
    for (const char *p = id; *p; p++) {
        unsigned char c = (unsigned char)*p;
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '-' || c == '_' || c == '+' || c == '@';
        if (!ok)
            return false;
    }
    return true;
}

static bool kind_ok(const char *k)
{
    if (k == NULL || *k == '\0' || strlen(k) > 64)
        return false;
    for (; *k; k++)
        if (!((*k >= 'A' && *k <= 'Z') || (*k >= '0' && *k <= '9') || *k == '_'))
            return false;
    return true;
}

static void add_part(struct buf *b, const char *boundary, const char *type, const char *body)
{
    buf_printf(b, "--%s\r\n", boundary);
    buf_printf(b, "Content-Type: %s; charset=UTF-8\r\n", type);
    buf_str(b, "Content-Transfer-Encoding: quoted-printable\r\n\r\n");
    size_t n;
    char *qp = pp_mail_qp_encode(body, &n);
    buf_add(b, qp, n);
    free(qp);
}

enum pp_err pp_mail_compose(const struct pp_mail *m, char **out, size_t *len, const char **why)
{
    const char *reason = NULL;
    if (!pp_email_is_valid(m->from.email))
        reason = "adresse d'expédition invalide";
    else if (!pp_email_is_valid(m->to.email))
        reason = "adresse du destinataire invalide";
    else if (m->reply_to.email != NULL && !pp_email_is_valid(m->reply_to.email))
        reason = "adresse de réponse invalide";
    else if (!message_id_ok(m->message_id))
        reason = "identifiant de message invalide";
    if (reason != NULL) {
        if (why)
            *why = reason;
        return PP_EINVAL;
    }
    char boundary[64];
    if (m->boundary != NULL && strlen(m->boundary) < 60 && is_printable_ascii(m->boundary) &&
        strchr(m->boundary, '"') == NULL) {
        snprintf(boundary, sizeof boundary, "%s", m->boundary);
    } else {
        unsigned char rnd[12];
        char hex[25];
        randombytes_buf(rnd, sizeof rnd);
        sodium_bin2hex(hex, sizeof hex, rnd, sizeof rnd);
        /* "=_" never occurs in quoted-printable text ("=" is always "=3D" there). */
        snprintf(boundary, sizeof boundary, "=_passpro_%s", hex);
    }

    struct buf b = {0};
    struct hdr h;
    hdr_begin(&h, &b, "From");
    hdr_mailbox(&h, &m->from);
    hdr_end(&h);
    hdr_begin(&h, &b, "To");
    hdr_mailbox(&h, &m->to);
    hdr_end(&h);
    if (m->reply_to.email != NULL) {
        hdr_begin(&h, &b, "Reply-To");
        hdr_mailbox(&h, &m->reply_to);
        hdr_end(&h);
    }
    char *subject = pp_mail_encode_header("Subject", m->subject);
    buf_str(&b, subject);
    free(subject);
    char date[40];
    pp_mail_date(m->date, date);
    buf_printf(&b, "Date: %s\r\n", date);
    buf_str(&b, "Message-ID: <");
    buf_str(&b, m->message_id);
    buf_str(&b, ">\r\n");
    buf_str(&b, "MIME-Version: 1.0\r\n");
    if (m->html != NULL)
        buf_printf(&b, "Content-Type: multipart/alternative;\r\n boundary=\"%s\"\r\n", boundary);
    else
        buf_str(&b, "Content-Type: text/plain; charset=UTF-8\r\n"
                    "Content-Transfer-Encoding: quoted-printable\r\n");
    buf_str(&b, "Content-Language: fr\r\n");
    buf_str(&b, "Auto-Submitted: auto-generated\r\n");
    if (kind_ok(m->kind))
        buf_printf(&b, "X-Passpro-Kind: %s\r\n", m->kind);
    if (m->outbox_id > 0)
        buf_printf(&b, "X-Passpro-Outbox-Id: %lld\r\n", (long long)m->outbox_id);
    buf_str(&b, "\r\n");
    if (m->html != NULL) {
        buf_str(&b, "Ce message est au format MIME.\r\n\r\n");
        add_part(&b, boundary, "text/plain", m->text);
        buf_str(&b, "\r\n");
        add_part(&b, boundary, "text/html", m->html);
        buf_printf(&b, "\r\n--%s--\r\n", boundary);
    } else {
        size_t n;
        char *qp = pp_mail_qp_encode(m->text, &n);
        buf_add(&b, qp, n);
        free(qp);
    }
    *out = b.p;
    *len = b.len;
    return PP_OK;
}

bool pp_mail_addr_parse(const char *s, char *name, size_t name_cap, char *email,
                        size_t email_cap)
{
    if (s == NULL || name_cap == 0 || email_cap == 0)
        return false;
    name[0] = email[0] = '\0';
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return false;
    const char *lt = strrchr(s, '<');
    const char *addr = s;
    size_t addr_len = strlen(s);
    if (lt != NULL) {
        const char *gt = strchr(lt, '>');
        if (gt == NULL || gt[1] != '\0')
            return false;
        addr = lt + 1;
        addr_len = (size_t)(gt - addr);
        size_t n = (size_t)(lt - s);
        while (n > 0 && s[n - 1] == ' ')
            n--;
        size_t start = 0;
        while (start < n && s[start] == ' ')
            start++;
        if (n - start >= 2 && s[start] == '"' && s[n - 1] == '"') {
            start++;
            n--;
        }
        if (n - start >= name_cap)
            return false;
        memcpy(name, s + start, n - start);
        name[n - start] = '\0';
    }
    while (addr_len > 0 && *addr == ' ') {
        addr++;
        addr_len--;
    }
    while (addr_len > 0 && addr[addr_len - 1] == ' ')
        addr_len--;
    if (addr_len >= email_cap)
        return false;
    memcpy(email, addr, addr_len);
    email[addr_len] = '\0';
    return pp_email_is_valid(email);
}
