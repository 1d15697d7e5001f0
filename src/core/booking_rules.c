#include "core/booking_rules.h"

#include <string.h>

#include "core/clock.h"

#define ALPHABET_SIZE 30
/* 240 = 8 × 30: bytes at or above it would favour the first letters. */
#define UNBIASED_LIMIT 240

bool pp_token_from_random(const unsigned char *random, size_t n, char out[PP_TOKEN_LEN + 1])
{
    static const char alphabet[] = PP_TOKEN_ALPHABET;
    size_t k = 0;
    for (size_t i = 0; i < n && k < PP_TOKEN_LEN; i++) {
        if (random[i] >= UNBIASED_LIMIT)
            continue;
        out[k++] = alphabet[random[i] % ALPHABET_SIZE];
    }
    out[k] = '\0';
    return k == PP_TOKEN_LEN;
}

static bool in_alphabet(char c)
{
    return c != '\0' && strchr(PP_TOKEN_ALPHABET, c) != NULL;
}

bool pp_token_parse(const char *input, char out[PP_TOKEN_LEN + 1])
{
    if (input == NULL)
        return false;
    /* A scanned payload carries the code after its last ':' ("...;TOKEN:ABC234"). */
    const char *colon = strrchr(input, ':');
    const char *s = colon ? colon + 1 : input;
    while (*s == ' ' || *s == '\t')
        s++;
    size_t k = 0;
    for (; *s && *s != ' ' && *s != '\t' && *s != '\r' && *s != '\n'; s++) {
        char c = *s >= 'a' && *s <= 'z' ? (char)(*s - 'a' + 'A') : *s;
        if (k == PP_TOKEN_LEN || !in_alphabet(c))
            return false;
        out[k++] = c;
    }
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    out[k] = '\0';
    return k == PP_TOKEN_LEN && *s == '\0';
}

int64_t pp_cancellation_limit(int64_t booked_at, int64_t start)
{
    if (start == 0)
        return 0;
    int64_t before_event = start - PP_CANCELLATION_DELAY;
    int64_t after_booking = booked_at + PP_CANCELLATION_DELAY;
    int64_t earliest = before_event < after_booking ? before_event : after_booking;
    return earliest > booked_at ? earliest : booked_at;
}

int64_t pp_cancellation_limit_after_move(int64_t now, int64_t new_start)
{
    int64_t later = now + PP_CANCELLATION_DELAY;
    return new_start < later ? new_start : later;
}

/* Calendar date (UTC) of @t. */
static void civil(int64_t t, int *y, int *m, int *d)
{
    int64_t z = (t >= 0 ? t : t - 86399) / 86400 + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

int pp_age_at(int y, int m, int d, int64_t at)
{
    int ay, am, ad;
    civil(at, &ay, &am, &ad);
    int age = ay - y;
    if (am < m || (am == m && ad < d))
        age--;
    return age;
}

/* The instant of the @years-th birthday (00:00 UTC); 29 February falls on 1 March. */
static int64_t birthday(int y, int m, int d, int years)
{
    int by = y + years;
    bool leap = (by % 4 == 0 && by % 100 != 0) || by % 400 == 0;
    if (m == 2 && d == 29 && !leap)
        return pp_clock_days_from_civil(by, 3, 1) * 86400;
    return pp_clock_days_from_civil(by, m, d) * 86400;
}

void pp_credit_compute(int y, int m, int d, int64_t registered_at, int64_t now,
                       bool social_bonus, struct pp_credit *out)
{
    memset(out, 0, sizeof *out);
    /* Overseas beneficiaries keep their credit through their whole 21st birthday. */
    out->expires_at = birthday(y, m, d, 21) + 11 * 3600;
    int age_now = pp_age_at(y, m, d, now);
    int age_then = pp_age_at(y, m, d, registered_at);
    if (age_now < 15 || now >= out->expires_at)
        return;
    out->eligible = true;
    if (age_now < 17) {
        out->free_only = true;
        return;
    }
    if (age_then <= 17)
        out->amount_cents += 5000;
    if (age_now >= 18) {
        out->amount_cents += 15000;
        if (social_bonus)
            out->amount_cents += 5000;
    }
}
