#include "core/password.h"

#include <stdbool.h>
#include <string.h>

#define PASSWORD_MIN_CHARS 12
#define PASSWORD_MAX_BYTES 256

static const char MSG_ALL[] = "Le mot de passe doit contenir au moins 12 caractères, "
                              "une majuscule, une minuscule, un chiffre et un caractère spécial.";
static const char MSG_TOO_LONG[] = "Le mot de passe ne doit pas dépasser 256 octets.";
static const char MSG_ENCODING[] = "Le mot de passe contient des caractères invalides.";

/*
 * Length of the well-formed UTF-8 sequence at @s, 0 when it is not: overlong forms, UTF-16
 * surrogates and code points above U+10FFFF are refused (RFC 3629, its table of well-formed
 * byte sequences), so one password has exactly one byte form and hashes the same everywhere.
 */
static size_t utf8_seq_len(const unsigned char *s)
{
    static const struct {
        unsigned char first_lo, first_hi, len, second_lo, second_hi;
    } forms[] = {
        {0xC2, 0xDF, 2, 0x80, 0xBF}, {0xE0, 0xE0, 3, 0xA0, 0xBF}, {0xE1, 0xEC, 3, 0x80, 0xBF},
        {0xED, 0xED, 3, 0x80, 0x9F}, {0xEE, 0xEF, 3, 0x80, 0xBF}, {0xF0, 0xF0, 4, 0x90, 0xBF},
        {0xF1, 0xF3, 4, 0x80, 0xBF}, {0xF4, 0xF4, 4, 0x80, 0x8F},
    };
    if (s[0] < 0x80)
        return 1;
    for (size_t f = 0; f < sizeof forms / sizeof forms[0]; f++) {
        if (s[0] < forms[f].first_lo || s[0] > forms[f].first_hi)
            continue;
        if (s[1] < forms[f].second_lo || s[1] > forms[f].second_hi)
            return 0;
        /* A NUL terminator fails the range test, so no read goes past the string. */
        for (size_t i = 2; i < forms[f].len; i++)
            if (s[i] < 0x80 || s[i] > 0xBF)
                return 0;
        return forms[f].len;
    }
    return 0;
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

    const struct {
        bool met;
        const char *gap;
    } rules[] = {
        {chars >= PASSWORD_MIN_CHARS, "Le mot de passe doit contenir au moins 12 caractères."},
        {upper, "Le mot de passe doit contenir au moins une majuscule."},
        {lower, "Le mot de passe doit contenir au moins une minuscule."},
        {digit, "Le mot de passe doit contenir au moins un chiffre."},
        {symbol, "Le mot de passe doit contenir au moins un caractère spécial."},
    };
    /* A single gap is named precisely; several are answered with the whole rule. */
    const char *gap = NULL;
    int missing = 0;
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        if (!rules[i].met) {
            gap = rules[i].gap;
            missing++;
        }
    }
    return missing > 1 ? MSG_ALL : gap;
}
