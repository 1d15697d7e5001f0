#include "core/siret.h"

#include <stddef.h>
#include <string.h>

#define SIREN_LEN 9
#define SIRET_LEN 14
#define LA_POSTE_SIREN "356000000"

static bool all_digits(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
    }
    return true;
}

/* @s holds exactly @len ASCII digits. */
static bool luhn_ok(const char *s, size_t len)
{
    unsigned sum = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned d = (unsigned)(s[len - 1 - i] - '0');
        if (i % 2 == 1) {
            d *= 2;
            if (d > 9)
                d -= 9;
        }
        sum += d;
    }
    return sum % 10 == 0;
}

static unsigned digit_sum(const char *s, size_t len)
{
    unsigned sum = 0;
    for (size_t i = 0; i < len; i++)
        sum += (unsigned)(s[i] - '0');
    return sum;
}

static bool has_exact_digits(const char *s, size_t len)
{
    /* strnlen: never read past len + 1 bytes of an arbitrary input. */
    return s != NULL && strnlen(s, len + 1) == len && all_digits(s, len);
}

bool pp_siren_is_valid(const char *s)
{
    return has_exact_digits(s, SIREN_LEN) && luhn_ok(s, SIREN_LEN);
}

bool pp_siret_is_valid(const char *s)
{
    /* The first 9 digits are the structure's SIREN: it must be valid on its own. */
    if (!has_exact_digits(s, SIRET_LEN) || !luhn_ok(s, SIREN_LEN))
        return false;
    if (luhn_ok(s, SIRET_LEN))
        return true;
    /* La Poste numbers its establishments sequentially, outside Luhn (INSEE's exception);
     * its head office 35600000000048 is Luhn-valid and passes above. */
    return memcmp(s, LA_POSTE_SIREN, SIREN_LEN) == 0 && digit_sum(s, SIRET_LEN) % 5 == 0;
}

/* Length of the space at @s (ASCII space or tab, U+00A0, U+202F), 0 when none. */
static size_t space_len(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    if (u[0] == ' ' || u[0] == '\t')
        return 1;
    if (u[0] == 0xC2 && u[1] == 0xA0)
        return 2;
    if (u[0] == 0xE2 && u[1] == 0x80 && u[2] == 0xAF)
        return 3;
    return 0;
}

bool pp_siret_normalize(const char *in, char *out, unsigned cap)
{
    if (out == NULL || cap == 0)
        return false;
    out[0] = '\0';
    if (in == NULL)
        return false;

    unsigned n = 0;
    while (*in != '\0') {
        size_t sp = space_len(in);
        if (sp > 0) {
            in += sp;
            continue;
        }
        if (*in < '0' || *in > '9' || n + 1 >= cap) {
            out[0] = '\0';
            return false;
        }
        out[n++] = *in++;
    }
    out[n] = '\0';
    return true;
}
