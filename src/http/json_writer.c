#include "http/json_writer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/clock.h"

/* Most answers fit: a Guichet look-up is about 450 bytes, a booking about 600. */
#define JW_FIRST_CAP 1024

static void misuse(const char *what)
{
    fprintf(stderr, "passpro: écriture JSON mal formée (%s)\n", what);
    abort();
}

void pp_jw_init(struct pp_jw *w, struct pp_arena *arena)
{
    memset(w, 0, sizeof *w);
    w->arena = arena;
}

/* Room for @n more bytes and the final NUL. The old buffer is left to the arena. */
static char *reserve(struct pp_jw *w, size_t n)
{
    if (w->cap - w->len < n + 1) {
        size_t cap = w->cap ? w->cap * 2 : JW_FIRST_CAP;
        while (cap - w->len < n + 1)
            cap *= 2;
        char *bigger = pp_arena_alloc(w->arena, cap);
        if (w->len > 0)
            memcpy(bigger, w->buf, w->len);
        w->buf = bigger;
        w->cap = cap;
    }
    return w->buf + w->len;
}

static void put(struct pp_jw *w, const char *s, size_t n)
{
    memcpy(reserve(w, n), s, n);
    w->len += n;
}

static void put_char(struct pp_jw *w, char c)
{
    *reserve(w, 1) = c;
    w->len++;
}

/* Before any value: the comma after a previous item, or nothing right after a key. */
static void value_start(struct pp_jw *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (w->is_object[w->depth])
        misuse("valeur sans clé");
    if (w->depth == 0 && w->has_item[0])
        misuse("second document");
    if (w->has_item[w->depth])
        put_char(w, ',');
    w->has_item[w->depth] = true;
}

static void open_nested(struct pp_jw *w, char c, bool object)
{
    value_start(w);
    if (w->depth >= PP_JW_MAX_DEPTH)
        misuse("trop d'imbrications");
    put_char(w, c);
    w->depth++;
    w->has_item[w->depth] = false;
    w->is_object[w->depth] = object;
}

void pp_jw_object(struct pp_jw *w)
{
    open_nested(w, '{', true);
}

void pp_jw_array(struct pp_jw *w)
{
    open_nested(w, '[', false);
}

void pp_jw_end(struct pp_jw *w)
{
    if (w->depth == 0 || w->after_key)
        misuse("fermeture inattendue");
    put_char(w, w->is_object[w->depth] ? '}' : ']');
    w->depth--;
}

/* Which bytes need an escape: the control characters, the quote and the backslash. */
static bool needs_escape(unsigned char c)
{
    return c < 0x20 || c == '"' || c == '\\';
}

/* Escaped bytes of @s (@n of them, at most STRING_CHUNK) at @p; returns the end. */
static char *escape_into(char *p, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!needs_escape(c)) {
            *p++ = (char)c;
        } else if (c == '"' || c == '\\') {
            *p++ = '\\';
            *p++ = (char)c;
        } else {
            memcpy(p, "\\u00", 4);
            p[4] = hex[c >> 4];
            p[5] = hex[c & 15];
            p += 6;
        }
    }
    return p;
}

#define STRING_CHUNK 1024

/* The quoted, escaped text of @s (@n bytes), after the byte @before and followed by @after
 * when they are not 0 (a comma, a colon). Room for the worst case (every byte a six-byte
 * escape) is reserved once for a short text, a chunk at a time for a long one, so the loop
 * stores bytes without further checks. */
static void put_string(struct pp_jw *w, char before, const char *s, size_t n, char after)
{
    size_t chunk = n < STRING_CHUNK ? n : STRING_CHUNK;
    char *start = reserve(w, chunk * 6 + 4), *p = start;
    if (before)
        *p++ = before;
    *p++ = '"';
    for (;;) {
        p = escape_into(p, s, chunk);
        w->len += (size_t)(p - start);
        s += chunk;
        n -= chunk;
        if (n == 0)
            break;
        chunk = n < STRING_CHUNK ? n : STRING_CHUNK;
        start = p = reserve(w, chunk * 6 + 2);
    }
    *p++ = '"';
    if (after)
        *p++ = after;
    w->len += (size_t)(p - (w->buf + w->len));
}

void pp_jw_key(struct pp_jw *w, const char *key)
{
    if (w->depth == 0 || !w->is_object[w->depth] || w->after_key)
        misuse("clé hors d'un objet");
    char comma = w->has_item[w->depth] ? ',' : 0;
    w->has_item[w->depth] = true;
    put_string(w, comma, key, strlen(key), ':');
    w->after_key = true;
}

void pp_jw_strn(struct pp_jw *w, const char *s, size_t n)
{
    value_start(w);
    put_string(w, 0, s, n, 0);
}

void pp_jw_str(struct pp_jw *w, const char *s)
{
    if (s == NULL)
        pp_jw_null(w);
    else
        pp_jw_strn(w, s, strlen(s));
}

void pp_jw_int(struct pp_jw *w, int64_t v)
{
    value_start(w);
    char digits[20];
    int n = 0;
    /* Counted in the negative range, which holds INT64_MIN. */
    int64_t x = v < 0 ? v : -v;
    do {
        digits[n++] = (char)('0' - x % 10);
        x /= 10;
    } while (x != 0);
    char *p = reserve(w, (size_t)n + 1);
    if (v < 0)
        *p++ = '-';
    while (n > 0)
        *p++ = digits[--n];
    w->len = (size_t)(p - w->buf);
}

void pp_jw_bool(struct pp_jw *w, bool v)
{
    value_start(w);
    if (v)
        put(w, "true", 4);
    else
        put(w, "false", 5);
}

void pp_jw_null(struct pp_jw *w)
{
    value_start(w);
    put(w, "null", 4);
}

/* @v on @width digits at @p (zero-padded). */
static void digits_at(char *p, int64_t v, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
}

/* Floor division, for instants before 1970. */
static int64_t floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

bool pp_jw_format_iso(int64_t t, char buf[21])
{
    /* 1000-01-01T00:00:00Z and 9999-12-31T23:59:59Z: four-digit years, as strftime's %Y */
    if (t < -30610224000LL || t > 253402300799LL)
        return false;
    int64_t days = floor_div(t, 86400);
    int64_t secs = t - days * 86400;
    /*
     * The civil date of a day count. Counting years from March 1st puts the leap day last, so
     * a year's months have a fixed pattern of lengths (31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
     * 31, 28/29) that (153 * m + 2) / 5 sums; the Gregorian cycle repeats every 400 years
     * (146,097 days), which keeps every division on non-negative numbers.
     */
    int64_t z = days + 719468; /* days from 0000-03-01 to 1970-01-01 */
    int64_t cycle = floor_div(z, 146097);
    int64_t day_of_cycle = z - cycle * 146097;                        /* 0 .. 146096 */
    int64_t year_of_cycle = (day_of_cycle - day_of_cycle / 1460 + day_of_cycle / 36524 -
                             day_of_cycle / 146096) / 365;            /* 0 .. 399 */
    int64_t day_of_year = day_of_cycle - (365 * year_of_cycle + year_of_cycle / 4 -
                                          year_of_cycle / 100);       /* 0 .. 365, from March */
    int64_t month_index = (5 * day_of_year + 2) / 153;                /* 0 = March */
    int64_t day = day_of_year - (153 * month_index + 2) / 5 + 1;
    int64_t month = month_index < 10 ? month_index + 3 : month_index - 9;
    int64_t year = year_of_cycle + cycle * 400 + (month <= 2);
    digits_at(buf, year, 4);
    buf[4] = '-';
    digits_at(buf + 5, month, 2);
    buf[7] = '-';
    digits_at(buf + 8, day, 2);
    buf[10] = 'T';
    digits_at(buf + 11, secs / 3600, 2);
    buf[13] = ':';
    digits_at(buf + 14, secs / 60 % 60, 2);
    buf[16] = ':';
    digits_at(buf + 17, secs % 60, 2);
    buf[19] = 'Z';
    buf[20] = '\0';
    return true;
}

void pp_jw_iso(struct pp_jw *w, int64_t t)
{
    if (t == 0) {
        pp_jw_null(w);
        return;
    }
    char buf[21];
    if (!pp_jw_format_iso(t, buf))
        pp_clock_format_iso(t, buf);
    pp_jw_strn(w, buf, strlen(buf));
}

void pp_jw_kstr(struct pp_jw *w, const char *key, const char *s)
{
    pp_jw_key(w, key);
    pp_jw_str(w, s);
}

void pp_jw_kint(struct pp_jw *w, const char *key, int64_t v)
{
    pp_jw_key(w, key);
    pp_jw_int(w, v);
}

void pp_jw_kbool(struct pp_jw *w, const char *key, bool v)
{
    pp_jw_key(w, key);
    pp_jw_bool(w, v);
}

void pp_jw_knull(struct pp_jw *w, const char *key)
{
    pp_jw_key(w, key);
    pp_jw_null(w);
}

void pp_jw_kiso(struct pp_jw *w, const char *key, int64_t t)
{
    pp_jw_key(w, key);
    pp_jw_iso(w, t);
}

const char *pp_jw_finish(struct pp_jw *w, size_t *n)
{
    if (w->depth != 0 || w->after_key)
        misuse("document inachevé");
    reserve(w, 0)[0] = '\0';
    *n = w->len;
    return w->buf;
}
