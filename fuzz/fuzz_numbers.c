/*
 * Numbers typed in forms and query strings: counts ("1 000", pp_input_count), ids
 * (pp_input_id, pp_req_param_id's rule), and prices (pp_money_parse: "12,50 €", "gratuit").
 * Invariants: a count is within 0..max and equals the digits read without their spaces; an id
 * is positive and prints back as the input; a price is within 0..1,000,000 € and formats back
 * (pp_money_format) to a text that parses to the same cents.
 */
#include <inttypes.h>
#include <stdbool.h>

#include "core/input.h"
#include "core/money.h"
#include "fuzz.h"

static const int64_t maxes[] = {0, 1, 99, 1000000, INT32_MAX, INT64_MAX / 10, INT64_MAX};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_cstr(data, size);

    for (size_t i = 0; i < sizeof maxes / sizeof maxes[0]; i++) {
        int64_t v = pp_input_count(s, maxes[i]);
        FUZZ_CHECK(v >= -1 && v <= maxes[i]);
        if (v >= 0) {
            /* The digits without spaces nor leading zeros ("0" for zero). */
            char digits[32], printed[32];
            size_t k = 0;
            for (const char *p = s; *p; p++)
                if (*p != ' ' && (k > 0 || *p != '0') && k < sizeof digits - 1)
                    digits[k++] = *p;
            if (k == 0)
                digits[k++] = '0';
            digits[k] = '\0';
            const char *d = digits;
            snprintf(printed, sizeof printed, "%" PRId64, v);
            FUZZ_CHECK(strcmp(printed, d) == 0);
        }
    }

    int64_t id = pp_input_id(s);
    FUZZ_CHECK(id >= 0);
    if (id > 0) {
        char printed[32];
        snprintf(printed, sizeof printed, "%" PRId64, id);
        const char *d = s;
        while (*d == '0')
            d++;
        FUZZ_CHECK(strcmp(printed, d) == 0);
    }

    int64_t cents = -1;
    if (pp_money_parse(s, &cents)) {
        FUZZ_CHECK(cents >= 0 && cents <= 100000000);
        char shown[PP_MONEY_LEN];
        pp_money_format(cents, shown);
        int64_t again = -1;
        /* The portal shows thousands with a narrow no-break space, which no one types; below
         * 1,000 € the shown form is also a typed one. */
        if (cents < 100000)
            FUZZ_CHECK(pp_money_parse(shown, &again) && again == cents);
    }
    free(s);
    return 0;
}
