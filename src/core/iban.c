#include "core/iban.h"

#include <string.h>

/* IBAN lengths by country, from the SWIFT IBAN registry (the countries of the SEPA zone and
 * the French overseas collectivities, which pass Culture venues use, plus the registry's
 * other common members). A country not listed is refused. */
static const struct {
    char code[3];
    unsigned char length;
} lengths[] = {
    {"AD", 24}, {"AE", 23}, {"AT", 20}, {"BA", 20}, {"BE", 16}, {"BG", 22}, {"BH", 22},
    {"CH", 21}, {"CY", 28}, {"CZ", 24}, {"DE", 22}, {"DK", 18}, {"EE", 20}, {"ES", 24},
    {"FI", 18}, {"FO", 18}, {"FR", 27}, {"GB", 22}, {"GF", 27}, {"GI", 23}, {"GL", 18},
    {"GP", 27}, {"GR", 27}, {"HR", 21}, {"HU", 28}, {"IE", 22}, {"IS", 26}, {"IT", 27},
    {"LI", 21}, {"LT", 20}, {"LU", 20}, {"LV", 21}, {"MC", 27}, {"MD", 24}, {"ME", 22},
    {"MK", 19}, {"MQ", 27}, {"MT", 31}, {"NC", 27}, {"NL", 18}, {"NO", 15}, {"PF", 27},
    {"PL", 28}, {"PM", 27}, {"PT", 25}, {"RE", 27}, {"RO", 24}, {"RS", 22}, {"SE", 24},
    {"SI", 19}, {"SK", 24}, {"SM", 27}, {"TF", 27}, {"VA", 22}, {"WF", 27}, {"YT", 27},
};

static bool is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

bool pp_iban_normalize(const char *in, char out[PP_IBAN_MAX])
{
    size_t n = 0;
    for (const char *p = in; *p != '\0'; p++) {
        char c = *p;
        if (c == ' ' || c == '\t')
            continue;
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if (!is_upper(c) && !is_digit(c))
            return false;
        if (n == PP_IBAN_MAX - 1)
            return false;
        out[n++] = c;
    }
    out[n] = '\0';
    return n > 0;
}

static int country_length(const char *iban)
{
    for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++)
        if (iban[0] == lengths[i].code[0] && iban[1] == lengths[i].code[1])
            return lengths[i].length;
    return -1;
}

bool pp_iban_is_valid(const char *iban)
{
    size_t n = strlen(iban);
    if (n < 5 || !is_upper(iban[0]) || !is_upper(iban[1]) || !is_digit(iban[2]) ||
        !is_digit(iban[3]))
        return false;
    if ((int)n != country_length(iban))
        return false;
    /* ISO 7064 mod 97-10: the first four characters move to the end, letters become 10..35,
     * and the number is reduced digit by digit so that it never overflows. */
    unsigned remainder = 0;
    for (size_t k = 0; k < n; k++) {
        char c = iban[(k + 4) % n];
        if (is_digit(c))
            remainder = (remainder * 10 + (unsigned)(c - '0')) % 97;
        else if (is_upper(c))
            remainder = (remainder * 100 + (unsigned)(c - 'A' + 10)) % 97;
        else
            return false;
    }
    return remainder == 1;
}

void pp_iban_group(const char *iban, char out[PP_IBAN_SHOWN])
{
    size_t o = 0;
    for (size_t i = 0; iban[i] != '\0' && o < PP_IBAN_SHOWN - 2; i++) {
        if (i > 0 && i % 4 == 0)
            out[o++] = ' ';
        out[o++] = iban[i];
    }
    out[o] = '\0';
}

void pp_iban_mask(const char *iban, char out[PP_IBAN_SHOWN])
{
    char masked[PP_IBAN_MAX];
    size_t n = strnlen(iban, PP_IBAN_MAX - 1);
    for (size_t i = 0; i < n; i++)
        masked[i] = i < 4 || i + 4 >= n ? iban[i] : '*';
    masked[n] = '\0';
    pp_iban_group(masked, out);
}
