/*
 * The partner API key (and the ADAGE key, same shape) as the Authorization header brings it:
 * pp_secret_key_parse() then pp_secret_key_verify(), the steps pp_api_key_authenticate() and
 * pp_adage_key_authenticate() take before their one database lookup by prefix. Input:
 * "<header value>\xFF<stored hash>". Invariants: an accepted header is "Bearer " + prefix + "_"
 * + secret, the prefix "<env>_<12 hex>" with a non-empty env of at most 50 bytes and no '_',
 * the secret 64 lower-case hex; a key freshly generated parses back to its own prefix and
 * verifies against its own hash, and never against a hash the input brings unless equal.
 */
#include <stdbool.h>

#include "core/arena.h"
#include "domain/secret_key.h"
#include "fuzz.h"

static bool lower_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *header, *stored;
    fuzz_split(data, size, &header, &stored);
    struct pp_arena *a = pp_arena_new();

    const char *prefix = NULL, *secret = NULL;
    if (pp_secret_key_parse(a, header, &prefix, &secret)) {
        size_t plen = strlen(prefix);
        FUZZ_CHECK(strncmp(header, "Bearer ", 7) == 0);
        FUZZ_CHECK(strncmp(header + 7, prefix, plen) == 0 && header[7 + plen] == '_');
        FUZZ_CHECK(secret == header + 7 + plen + 1);
        FUZZ_CHECK(strlen(secret) == 64 && lower_hex(secret, 64));
        const char *us = strchr(prefix, '_');
        FUZZ_CHECK(us != NULL && us > prefix && us - prefix <= 50);
        FUZZ_CHECK(strlen(us + 1) == 12 && lower_hex(us + 1, 12));
        bool ok = pp_secret_key_verify(secret, stored);
        FUZZ_CHECK(!ok || strlen(stored) == PP_SECRET_HASH_HEX);
    }
    FUZZ_CHECK(!pp_secret_key_verify(header, NULL));

    /* A real key under the env the input names (when it is a plausible one). */
    if (strlen(stored) > 0 && strlen(stored) <= 50 && strchr(stored, '_') == NULL) {
        const char *p, *key;
        char hash[PP_SECRET_HASH_HEX + 1];
        pp_secret_key_generate(a, stored, &p, &key, hash);
        const char *bearer = pp_arena_printf(a, "Bearer %s", key);
        const char *p2, *s2;
        FUZZ_CHECK(pp_secret_key_parse(a, bearer, &p2, &s2) && strcmp(p, p2) == 0);
        FUZZ_CHECK(pp_secret_key_verify(s2, hash));
        FUZZ_CHECK(pp_secret_key_verify(header, hash) == (strcmp(header, s2) == 0));
    }
    pp_arena_free(a);
    free(header);
    free(stored);
    return 0;
}
