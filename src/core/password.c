#include "core/password.h"

#include <stdbool.h>
#include <string.h>

#define PASSWORD_MIN_CHARS 12
#define PASSWORD_MAX_BYTES 256

static const char MSG_ALL[] = "Le mot de passe doit contenir au moins 12 caractères, "
                              "une majuscule, une minuscule, un chiffre et un caractère spécial.";
static const char MSG_LENGTH[] = "Le mot de passe doit contenir au moins 12 caractères.";
static const char MSG_UPPER[] = "Le mot de passe doit contenir au moins une majuscule.";
static const char MSG_LOWER[] = "Le mot de passe doit contenir au moins une minuscule.";
static const char MSG_DIGIT[] = "Le mot de passe doit contenir au moins un chiffre.";
static const char MSG_SYMBOL[] = "Le mot de passe doit contenir au moins un caractère spécial.";
static const char MSG_TOO_LONG[] = "Le mot de passe ne doit pas dépasser 256 octets.";
static const char MSG_ENCODING[] = "Le mot de passe contient des caractères invalides.";

/*
 * Length of the well-formed UTF-8 sequence at @s, 0 when it is not: overlong forms, UTF-16
 * surrogates and code points above U+10FFFF are refused (RFC 3629), so one password has
 * exactly one byte form and hashes the same everywhere.
 */
static size_t utf8_seq_len(const unsigned char *s)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    unsigned char lo = 0x80, hi = 0xBF;
    size_t len;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else {
        return 0;
    }
    if (s[1] < lo || s[1] > hi)
        return 0;
    /* A NUL terminator fails the range test, so no read goes past the string. */
    for (size_t i = 2; i < len; i++) {
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    }
    return len;
}

const char *pp_password_check(const char *pw)
{
    if (pw == NULL)
        return MSG_ALL;
    if (strnlen(pw, PASSWORD_MAX_BYTES + 1) > PASSWORD_MAX_BYTES)
        return MSG_TOO_LONG;

    const unsigned char *p = (const unsigned char *)pw;
    size_t chars = 0;
    bool upper = false, lower = false, digit = false, symbol = false;
    while (*p != '\0') {
        size_t n = utf8_seq_len(p);
        if (n == 0)
            return MSG_ENCODING;
        if (n > 1)
            symbol = true;
        else if (*p >= 'A' && *p <= 'Z')
            upper = true;
        else if (*p >= 'a' && *p <= 'z')
            lower = true;
        else if (*p >= '0' && *p <= '9')
            digit = true;
        else if (*p >= ' ' && *p < 0x7F)
            symbol = true;
        p += n;
        chars++;
    }

    bool length = chars >= PASSWORD_MIN_CHARS;
    int missing = !length + !upper + !lower + !digit + !symbol;
    if (missing == 0)
        return NULL;
    /* A single gap is named precisely; several are answered with the whole rule. */
    if (missing > 1)
        return MSG_ALL;
    if (!length)
        return MSG_LENGTH;
    if (!upper)
        return MSG_UPPER;
    if (!lower)
        return MSG_LOWER;
    if (!digit)
        return MSG_DIGIT;
    return MSG_SYMBOL;
}
