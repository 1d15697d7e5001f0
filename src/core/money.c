#include "core/money.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

void pp_money_format(int64_t cents, char buf[PP_MONEY_LEN])
{
    bool negative = cents < 0;
    uint64_t v = negative ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
    uint64_t euros = v / 100, rest = v % 100;
    /* Thousands separated by a narrow no-break space, as French typography does. */
    char digits[24];
    int n = snprintf(digits, sizeof digits, "%llu", (unsigned long long)euros);
    char grouped[40];
    size_t k = 0;
    for (int i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0) {
            memcpy(grouped + k, "\u202f", 3);
            k += 3;
        }
        grouped[k++] = digits[i];
    }
    grouped[k] = '\0';
    snprintf(buf, PP_MONEY_LEN, "%s%s,%02llu\u00a0€", negative ? "-" : "", grouped,
             (unsigned long long)rest);
}

void pp_money_format_price(int64_t cents, char buf[PP_MONEY_LEN])
{
    if (cents == 0)
        snprintf(buf, PP_MONEY_LEN, "Gratuit");
    else
        pp_money_format(cents, buf);
}

/* Past the spaces at @s: ASCII, and the no-break ones pp_money_format() writes (U+00A0 before
 * the euro sign, U+202F), so that a price copied from a page reads back. */
static const char *skip_spaces(const char *s)
{
    for (;;) {
        if (*s == ' ')
            s++;
        else if (strncmp(s, "\u00a0", strlen("\u00a0")) == 0)
            s += strlen("\u00a0");
        else if (strncmp(s, "\u202f", strlen("\u202f")) == 0)
            s += strlen("\u202f");
        else
            return s;
    }
}

bool pp_money_parse(const char *s, int64_t *cents)
{
    if (s == NULL)
        return false;
    s = skip_spaces(s);
    if (strncasecmp(s, "gratuit", 7) == 0 && (s[7] == '\0' || s[7] == ' ')) {
        *cents = 0;
        return true;
    }
    int64_t euros = 0, frac = 0;
    int nd = 0, nf = 0;
    for (; *s >= '0' && *s <= '9'; s++, nd++) {
        euros = euros * 10 + (*s - '0');
        if (euros > 1000000)
            return false;
    }
    if (nd == 0)
        return false;
    if (*s == ',' || *s == '.') {
        s++;
        for (; *s >= '0' && *s <= '9'; s++, nf++) {
            if (nf == 2)
                return false;
            frac = frac * 10 + (*s - '0');
        }
        if (nf == 0)
            return false;
        if (nf == 1)
            frac *= 10;
    }
    s = skip_spaces(s);
    if (strncmp(s, "€", strlen("€")) == 0)
        s += strlen("€");
    s = skip_spaces(s);
    /* 1,000,000 € is the most, cents included: "1000000,50" is past it. */
    if (*s != '\0' || euros * 100 + frac > 100000000)
        return false;
    *cents = euros * 100 + frac;
    return true;
}
