#include "domain/secret_key.h"

#include <sodium.h>
#include <string.h>

#include "core/arena.h"

#define ID_BYTES 6      /* 12 hex */
#define SECRET_BYTES 32 /* 64 hex */
#define ENV_MAX 50

static void hash_secret(const char *secret, char out[PP_SECRET_HASH_HEX + 1])
{
    unsigned char h[PP_SECRET_HASH_HEX / 2];
    crypto_generichash(h, sizeof h, (const unsigned char *)secret, strlen(secret), NULL, 0);
    sodium_bin2hex(out, PP_SECRET_HASH_HEX + 1, h, sizeof h);
}

static bool is_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}

void pp_secret_key_generate(struct pp_arena *arena, const char *env, const char **prefix,
                            const char **key, char hash[PP_SECRET_HASH_HEX + 1])
{
    unsigned char id_raw[ID_BYTES], secret_raw[SECRET_BYTES];
    char id_hex[2 * ID_BYTES + 1], secret_hex[2 * SECRET_BYTES + 1];
    randombytes_buf(id_raw, sizeof id_raw);
    randombytes_buf(secret_raw, sizeof secret_raw);
    sodium_bin2hex(id_hex, sizeof id_hex, id_raw, sizeof id_raw);
    sodium_bin2hex(secret_hex, sizeof secret_hex, secret_raw, sizeof secret_raw);
    hash_secret(secret_hex, hash);
    *prefix = pp_arena_printf(arena, "%s_%s", env, id_hex);
    *key = pp_arena_printf(arena, "%s_%s", *prefix, secret_hex);
    sodium_memzero(secret_raw, sizeof secret_raw);
    sodium_memzero(secret_hex, sizeof secret_hex);
}

bool pp_secret_key_parse(struct pp_arena *arena, const char *authorization, const char **prefix,
                         const char **secret)
{
    if (authorization == NULL || strncmp(authorization, "Bearer ", 7) != 0)
        return false;
    const char *key = authorization + 7;
    /* "<env>_<12 hex>_<64 hex>": the secret is after the last '_'. */
    const char *last = strrchr(key, '_');
    if (last == NULL || strlen(last + 1) != 2 * SECRET_BYTES ||
        !is_hex(last + 1, 2 * SECRET_BYTES) || (size_t)(last - key) > ENV_MAX + 1 + 2 * ID_BYTES)
        return false;
    const char *first = memchr(key, '_', (size_t)(last - key));
    if (first == NULL || first == key || last - first - 1 != 2 * ID_BYTES ||
        !is_hex(first + 1, 2 * ID_BYTES))
        return false;
    *prefix = pp_arena_strndup(arena, key, (size_t)(last - key));
    *secret = last + 1;
    return true;
}

bool pp_secret_key_verify(const char *secret, const char *stored_hash)
{
    if (stored_hash == NULL || strlen(stored_hash) != PP_SECRET_HASH_HEX)
        return false;
    char hash[PP_SECRET_HASH_HEX + 1];
    hash_secret(secret, hash);
    return sodium_memcmp(hash, stored_hash, PP_SECRET_HASH_HEX) == 0;
}
