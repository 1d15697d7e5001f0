#include "core/utf8.h"

#include <string.h>

size_t pp_utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

bool pp_utf8_is_clean(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p < 0x20 && *p != '\t' && *p != '\n') || *p == 0x7F)
            return false;
    return true;
}

/* ASCII spelling of U+00C0 to U+017F (Latin-1 letters, then Latin Extended-A), small letters
 * without their marks; NULL for the two signs of the block (× and ÷), kept as they are. */
static const char *const latin_fold[0x180 - 0xC0] = {
    /* U+00C0 */ "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    /* U+00D0 */ "d", "n", "o", "o", "o", "o", "o", NULL, "o", "u", "u", "u", "u", "y", "th", "ss",
    /* U+00E0 */ "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    /* U+00F0 */ "d", "n", "o", "o", "o", "o", "o", NULL, "o", "u", "u", "u", "u", "y", "th", "y",
    /* U+0100 */ "a", "a", "a", "a", "a", "a", "c", "c", "c", "c", "c", "c", "c", "c", "d", "d",
    /* U+0110 */ "d", "d", "e", "e", "e", "e", "e", "e", "e", "e", "e", "e", "g", "g", "g", "g",
    /* U+0120 */ "g", "g", "g", "g", "h", "h", "h", "h", "i", "i", "i", "i", "i", "i", "i", "i",
    /* U+0130 */ "i", "i", "ij", "ij", "j", "j", "k", "k", "k", "l", "l", "l", "l", "l", "l", "l",
    /* U+0140 */ "l", "l", "l", "n", "n", "n", "n", "n", "n", "n", "n", "n", "o", "o", "o", "o",
    /* U+0150 */ "o", "o", "oe", "oe", "r", "r", "r", "r", "r", "r", "s", "s", "s", "s", "s", "s",
    /* U+0160 */ "s", "s", "t", "t", "t", "t", "t", "t", "u", "u", "u", "u", "u", "u", "u", "u",
    /* U+0170 */ "u", "u", "u", "u", "w", "w", "y", "y", "y", "z", "z", "z", "z", "z", "z", "s",
};

/* Length of the well-formed UTF-8 sequence at @p and its code point in @cp; 0 when the byte
 * at @p starts none (RFC 3629: no overlong form, no surrogate, nothing past U+10FFFF). */
static size_t decode(const unsigned char *p, unsigned long *cp)
{
    size_t len;
    unsigned long min;
    if (p[0] < 0x80) {
        *cp = p[0];
        return 1;
    } else if (p[0] >= 0xC2 && p[0] <= 0xDF) {
        len = 2, min = 0x80, *cp = p[0] & 0x1Fu;
    } else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
        len = 3, min = 0x800, *cp = p[0] & 0x0Fu;
    } else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
        len = 4, min = 0x10000, *cp = p[0] & 0x07u;
    } else {
        return 0;
    }
    /* A NUL is not a continuation byte: the loop stops at the end of the string. */
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        *cp = (*cp << 6) | (p[i] & 0x3Fu);
    }
    if (*cp < min || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF))
        return 0;
    return len;
}

size_t pp_utf8_fold(const char *s, char *out)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = 0;
    while (*p) {
        unsigned long cp;
        size_t len = decode(p, &cp);
        if (len == 0) {
            p++;
            continue;
        }
        const char *ascii = NULL;
        if (cp >= 0xC0 && cp < 0x180)
            ascii = latin_fold[cp - 0xC0];
        else if (cp == 0x2018 || cp == 0x2019)
            ascii = "'";
        if (cp < 0x80) {
            out[n++] = cp >= 'A' && cp <= 'Z' ? (char)(cp - 'A' + 'a') : (char)cp;
        } else if (ascii != NULL) {
            /* Two bytes or more in, at most two out: never longer than the input. */
            for (; *ascii; ascii++)
                out[n++] = *ascii;
        } else {
            memcpy(out + n, p, len);
            n += len;
        }
        p += len;
    }
    out[n] = '\0';
    return n;
}

/* Whether the code point @cp is part of a word in a search key: ASCII letters and digits, and
 * every non-ASCII character but the Latin-1 signs (no-break space, « », °, ×, ÷...) and the
 * general punctuation (’, –, —, …, thin spaces). */
static bool is_word(unsigned long cp)
{
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
    if (cp < 0xC0 || cp == 0xD7 || cp == 0xF7)
        return false;
    return cp < 0x2000 || cp > 0x206F;
}

size_t pp_utf8_search_key(const char *s, char *out)
{
    size_t len = pp_utf8_fold(s, out), n = 0;
    bool space = true; /* at the start: no leading space */
    /* The fold wrote well-formed UTF-8 only: each step decodes one character. */
    for (size_t i = 0; i < len;) {
        unsigned long cp;
        size_t step = decode((const unsigned char *)out + i, &cp);
        if (is_word(cp)) {
            memmove(out + n, out + i, step);
            n += step;
            space = false;
        } else if (!space) {
            out[n++] = ' ';
            space = true;
        }
        i += step;
    }
    if (n > 0 && out[n - 1] == ' ')
        n--;
    out[n] = '\0';
    return n;
}
