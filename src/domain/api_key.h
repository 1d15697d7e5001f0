#ifndef PP_DOMAIN_API_KEY_H
#define PP_DOMAIN_API_KEY_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

struct pp_db;
struct pp_arena;

/**
 * Partner API keys of a structure (SPEC §2): "<env>_<12 hex>_<64 hex>". Only the prefix
 * ("<env>_<12 hex>") and a BLAKE2b hash of the secret are stored; the whole key is shown once.
 */

#define PP_API_KEY_ENV "production"

struct pp_api_key {
    int64_t id;
    int64_t offerer_id;
    const char *prefix;
    int64_t created_at;
    int64_t last_used_at; /**< 0 when never used */
    int64_t revoked_at;   /**< 0 when live */
};

/**
 * Creates a key for structure @offerer_id (by @account_id). *key receives the whole key (in
 * @arena), to show once. Only for a VALIDATED structure (PP_EFORBIDDEN, with a message in @e,
 * while it waits for the back office); at most 20 live keys per structure (PP_EVALIDATION past
 * that).
 */
enum pp_err pp_api_key_create(struct pp_db *db, struct pp_arena *arena, int64_t offerer_id,
                              int64_t account_id, const char **key, struct pp_api_key *out,
                              struct pp_error *e);

/**
 * The structure of the live key in the "Bearer <key>" header value @authorization.
 * PP_EUNAUTH for a missing, malformed, unknown or revoked key (constant-time secret check).
 */
enum pp_err pp_api_key_authenticate(struct pp_db *db, struct pp_arena *arena,
                                    const char *authorization, int64_t *offerer_id,
                                    const char **prefix);

/** Keys of @offerer_id, newest first (prefix, dates; never the secret). */
enum pp_err pp_api_key_list(struct pp_db *db, struct pp_arena *arena, int64_t offerer_id,
                            struct pp_api_key **items, size_t *count);

/** Revokes key @id of @offerer_id; PP_ENOTFOUND when not one of its live keys. */
enum pp_err pp_api_key_revoke(struct pp_db *db, int64_t offerer_id, int64_t id);

#endif
