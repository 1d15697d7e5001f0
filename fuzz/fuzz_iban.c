/*
 * IBAN as the bank-account form sends it: pp_iban_normalize(), pp_iban_is_valid(), then the
 * grouped and masked forms the pages show. Invariants: the normalized form is upper-case
 * letters and digits, 1 to 34 of them, and the text minus spaces, upper-cased; a valid IBAN
 * passes an independent mod-97 over its whole digit expansion; grouping only adds a space every
 * four characters; masking keeps the first and last four characters and stars the rest.
 */
#include <ctype.h>
#include <stdbool.h>

#include "core/iban.h"
#include "fuzz.h"

/* mod 97 of the IBAN rearranged (first four characters at the end), letters as 10..35,
 * computed on the expanded decimal string in chunks. */
static int model_mod97(const char *iban)
{
    char digits[160];
    size_t n = strlen(iban), k = 0;
    for (size_t i = 0; i < n; i++) {
        char c = iban[(i + 4) % n];
        if (isdigit((unsigned char)c))
            digits[k++] = c;
        else {
            int v = c - 'A' + 10;
            digits[k++] = (char)('0' + v / 10);
            digits[k++] = (char)('0' + v % 10);
        }
    }
    int r = 0;
    for (size_t i = 0; i < k; i++)
        r = (r * 10 + (digits[i] - '0')) % 97;
    return r;
}

static void check_shown(const char *iban)
{
    char grouped[PP_IBAN_SHOWN], masked[PP_IBAN_SHOWN];
    size_t n = strlen(iban);
    pp_iban_group(iban, grouped);
    pp_iban_mask(iban, masked);
    FUZZ_CHECK(strlen(grouped) == n + (n > 0 ? (n - 1) / 4 : 0));
    FUZZ_CHECK(strlen(masked) == strlen(grouped));
    size_t j = 0;
    for (size_t i = 0; grouped[i]; i++) {
        if (i % 5 == 4) {
            FUZZ_CHECK(grouped[i] == ' ' && masked[i] == ' ');
            continue;
        }
        FUZZ_CHECK(grouped[i] == iban[j]);
        bool shown = j < 4 || j + 4 >= n;
        FUZZ_CHECK(masked[i] == (shown ? iban[j] : '*'));
        j++;
    }
    FUZZ_CHECK(j == n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *in = fuzz_cstr(data, size);
    char iban[PP_IBAN_MAX];
    if (pp_iban_normalize(in, iban)) {
        size_t n = strlen(iban), k = 0;
        FUZZ_CHECK(n >= 1 && n <= PP_IBAN_MAX - 1);
        for (const char *p = in; *p; p++) {
            if (*p == ' ' || *p == '\t')
                continue;
            FUZZ_CHECK(iban[k] == toupper((unsigned char)*p));
            FUZZ_CHECK(isupper((unsigned char)iban[k]) || isdigit((unsigned char)iban[k]));
            k++;
        }
        FUZZ_CHECK(k == n);
        if (pp_iban_is_valid(iban)) {
            FUZZ_CHECK(n >= 15 && isupper((unsigned char)iban[0]) &&
                       isupper((unsigned char)iban[1]) && isdigit((unsigned char)iban[2]) &&
                       isdigit((unsigned char)iban[3]));
            FUZZ_CHECK(model_mod97(iban) == 1);
        }
        check_shown(iban);
    }
    free(in);
    return 0;
}
