/*
 * SIRET and SIREN as a structure's signup and a venue's form receive them: the typed text
 * through pp_siret_normalize(), then pp_siren_is_valid() and pp_siret_is_valid(). Invariants:
 * the normalized form holds digits only; an accepted SIREN is 9 digits with a valid Luhn sum,
 * an accepted SIRET 14 digits whose first 9 are a valid SIREN and whose whole is Luhn-valid or
 * La Poste's exception; every number this model accepts is accepted (both directions).
 */
#include <stdbool.h>

#include "core/siret.h"
#include "fuzz.h"

/* An independent Luhn check (the textbook form: double every second digit from the right). */
static bool model_luhn(const char *s, size_t n)
{
    int sum = 0;
    for (size_t i = 0; i < n; i++) {
        int d = s[n - 1 - i] - '0';
        if (i & 1)
            d = d * 2 > 9 ? d * 2 - 9 : d * 2;
        sum += d;
    }
    return sum % 10 == 0;
}

static bool model_digits(const char *s, size_t n)
{
    if (strlen(s) != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static bool model_siret(const char *s)
{
    if (!model_digits(s, 14) || !model_luhn(s, 9))
        return false;
    if (model_luhn(s, 14))
        return true;
    int sum = 0;
    for (int i = 0; i < 14; i++)
        sum += s[i] - '0';
    return strncmp(s, "356000000", 9) == 0 && sum % 5 == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *in = fuzz_cstr(data, size);
    /* The raw text as well: the validators are called on stored values too. */
    FUZZ_CHECK(pp_siren_is_valid(in) == (model_digits(in, 9) && model_luhn(in, 9)));
    FUZZ_CHECK(pp_siret_is_valid(in) == model_siret(in));

    char out[32];
    for (unsigned cap = 1; cap <= sizeof out; cap += 15) {
        memset(out, 'x', sizeof out);
        bool ok = pp_siret_normalize(in, out, cap);
        FUZZ_CHECK(memchr(out, '\0', cap) != NULL);
        if (!ok) {
            FUZZ_CHECK(out[0] == '\0');
            continue;
        }
        size_t n = strlen(out);
        FUZZ_CHECK(n < cap && n <= size);
        for (size_t i = 0; i < n; i++)
            FUZZ_CHECK(out[i] >= '0' && out[i] <= '9');
        /* Normalizing a normalized number changes nothing. */
        char again[32];
        FUZZ_CHECK(pp_siret_normalize(out, again, sizeof again) && strcmp(out, again) == 0);
        FUZZ_CHECK(pp_siren_is_valid(out) == (n == 9 && model_luhn(out, 9)));
        FUZZ_CHECK(pp_siret_is_valid(out) == model_siret(out));
    }
    free(in);
    return 0;
}
