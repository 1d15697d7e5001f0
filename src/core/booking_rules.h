#ifndef PP_CORE_BOOKING_RULES_H
#define PP_CORE_BOOKING_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/**
 * The pure rules of booking (RULES §3): countermarks, the cancellation limit, credit by age.
 * Times are Unix seconds (UTC); money integer cents.
 */

#define PP_TOKEN_LEN 6
/** The 30 characters of countermarks: no 0, 1, 8, 9, I, O (no misreading at the counter). */
#define PP_TOKEN_ALPHABET "ABCDEFGHJKLMNPQRSTUVWXYZ234567"
#define PP_QR_PREFIX "PASSCULTURE:v3;TOKEN:"

/**
 * Fills @out with PP_TOKEN_LEN characters of the alphabet from the @n random bytes of @random
 * (the caller draws them from a CSPRNG), without modulo bias: bytes of 240 and above (past
 * the last whole multiple of 30) are skipped. Returns false when the @n bytes did not give
 * 6 characters (draw again; 16 bytes fail with probability below 1e-9).
 */
bool pp_token_from_random(const unsigned char *random, size_t n, char out[PP_TOKEN_LEN + 1]);

/**
 * Extracts a countermark from what was typed or scanned: "abc234", " ABC234 ",
 * "PASSCULTURE:v3;TOKEN:ABC234" or any "prefix:ABC234". Upper-cases it. Returns false when
 * what remains is not 6 characters of the alphabet.
 */
bool pp_token_parse(const char *input, char out[PP_TOKEN_LEN + 1]);

/** 48 hours: after booking, and before the event, that frame the cancellation window. */
#define PP_CANCELLATION_DELAY (48 * 3600)

/**
 * Cancellation limit of an event booking made at @booked_at for an event starting at @start:
 * max(booked_at, min(start − 48 h, booked_at + 48 h)). Things have none (0 when @start is 0).
 */
int64_t pp_cancellation_limit(int64_t booked_at, int64_t start);

/**
 * After the event moved to @new_start at @now: min(new_start, now + 48 h) (pass Culture's
 * edition rule).
 */
int64_t pp_cancellation_limit_after_move(int64_t now, int64_t new_start);

/** Age in whole years at @at of someone born on (y, m, d) (UTC calendar of @at). */
int pp_age_at(int y, int m, int d, int64_t at);

/** What the credit rule gives someone, at a given instant. */
struct pp_credit {
    int64_t amount_cents;   /**< total granted so far */
    int64_t expires_at;     /**< the 21st birthday, 00:00 UTC + 11 h (overseas margin) */
    bool free_only;         /**< 15-16: free offers only */
    bool eligible;          /**< 15 to 20 years old */
};

/**
 * Credit of someone born (y, m, d), registered at @registered_at, as of @now (2025 reform):
 * registered at 17: 50 €, then +150 € from the 18th birthday; registered at 18 (or more):
 * 150 €; +50 € bonus at 18 when @social_bonus; 15-16: 0 € and free offers only; nothing
 * before 15 or once expired.
 */
void pp_credit_compute(int y, int m, int d, int64_t registered_at, int64_t now,
                       bool social_bonus, struct pp_credit *out);

/** The digital cap of the 17-18 credit. */
#define PP_DIGITAL_CAP_CENTS 10000

#endif
