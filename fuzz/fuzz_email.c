/*
 * Email addresses as signup, login and the back office receive them: pp_email_normalize()
 * then pp_email_is_valid(). Invariants: an accepted address has exactly one '@', at most 254
 * bytes of printable ASCII (no space, no CR/LF: it goes into mail headers), a local part of 1
 * to 64 bytes and a dotted domain; normalizing twice changes nothing, leaves no upper case and
 * no surrounding blanks; normalizing a valid address only lowers its case.
 */
#include <ctype.h>
#include <stdbool.h>

#include "core/email.h"
#include "fuzz.h"

static void check_valid(const char *s)
{
    size_t len = strlen(s);
    FUZZ_CHECK(len >= 6 && len <= 254);
    const char *at = strchr(s, '@');
    FUZZ_CHECK(at != NULL && strchr(at + 1, '@') == NULL);
    FUZZ_CHECK(at - s >= 1 && at - s <= 64);
    FUZZ_CHECK(strchr(at, '.') != NULL && s[len - 1] != '.' && s[len - 1] != '-');
    for (const char *p = s; *p; p++)
        FUZZ_CHECK(*p > ' ' && *p < 0x7F);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *raw = fuzz_cstr(data, size);
    char *s = fuzz_cstr(data, size);
    bool raw_valid = pp_email_is_valid(raw);
    if (raw_valid)
        check_valid(raw);

    FUZZ_CHECK(pp_email_normalize(s) == s);
    size_t n = strlen(s);
    for (size_t i = 0; i < n; i++)
        FUZZ_CHECK(!(s[i] >= 'A' && s[i] <= 'Z'));
    FUZZ_CHECK(n == 0 || (s[0] != ' ' && s[0] != '\t' && s[n - 1] != ' ' && s[n - 1] != '\t'));
    char *again = fuzz_cstr((const uint8_t *)s, n);
    pp_email_normalize(again);
    FUZZ_CHECK(strcmp(again, s) == 0);
    if (pp_email_is_valid(s))
        check_valid(s);
    if (raw_valid) {
        FUZZ_CHECK(pp_email_is_valid(s) && strlen(s) == strlen(raw));
        for (size_t i = 0; i < n; i++)
            FUZZ_CHECK(s[i] == tolower((unsigned char)raw[i]));
    }
    free(again);
    free(s);
    free(raw);
    return 0;
}
