#ifndef PP_HTTP_RATELIMIT_H
#define PP_HTTP_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

/**
 * Per-process request rate limits (fixed one-minute windows in a small hash table): partner
 * API keys get PP_RATELIMIT_API_PER_MINUTE requests a minute. Failed attempts that matter
 * across servers (logins, unknown countermarks) are counted in the database instead
 * (domain/throttle).
 */

#define PP_RATELIMIT_API_PER_MINUTE 1200

/** True when @key may make one more request in the current minute (and counts it). */
bool pp_ratelimit_allow(const char *key, int limit_per_minute);

#endif
