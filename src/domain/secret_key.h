#ifndef PP_DOMAIN_SECRET_KEY_H
#define PP_DOMAIN_SECRET_KEY_H

#include <stdbool.h>

struct pp_arena;

/**
 * The mechanics shared by every Bearer key of passpro (partner API keys, ADAGE keys; SPEC §2):
 * a key reads "<env>_<12 hex>_<64 hex>"; its prefix "<env>_<12 hex>" is stored in clear to
 * find the row, and only a BLAKE2b-256 hash (hex) of the 64-hex secret is stored beside it.
 * The whole key is shown once, at creation.
 */

/** Length of a stored hash in hex characters (the buffer needs one more for the NUL). */
#define PP_SECRET_HASH_HEX 64

/**
 * A new key for @env: *prefix and *key (the whole key, to show once) in @arena, @hash the
 * hash of its secret, to store. The secret itself is wiped from the stack.
 */
void pp_secret_key_generate(struct pp_arena *arena, const char *env, const char **prefix,
                            const char **key, char hash[PP_SECRET_HASH_HEX + 1]);

/**
 * Reads the header value "Bearer <key>": *prefix (in @arena) and *secret (inside
 * @authorization). False, outputs unspecified, for NULL, another scheme or a malformed key.
 */
bool pp_secret_key_parse(struct pp_arena *arena, const char *authorization, const char **prefix,
                         const char **secret);

/** True when @secret hashes to @stored_hash (constant-time comparison; NULL hash: false). */
bool pp_secret_key_verify(const char *secret, const char *stored_hash);

#endif
