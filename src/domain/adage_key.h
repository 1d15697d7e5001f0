#ifndef PP_DOMAIN_ADAGE_KEY_H
#define PP_DOMAIN_ADAGE_KEY_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

struct pp_db;
struct pp_arena;

/**
 * Keys of the ADAGE side (the teachers' and heads' platform, docs/collective.md), created by
 * the back office: "adage_<12 hex>_<64 hex>", the prefix and a BLAKE2b hash of the secret
 * stored (domain/secret_key.h), the whole key shown once. A key authenticates the
 * PP_ACCESS_ADAGE routes (http/router.c).
 */

#define PP_ADAGE_KEY_ENV "adage"
#define PP_ADAGE_KEY_LABEL_MAX 100
/** Failed attempts per client address before PP_ERATE, within the window (seconds). */
#define PP_ADAGE_KEY_MISSES_MAX 30
#define PP_ADAGE_KEY_MISSES_WINDOW (10 * 60)

struct pp_adage_key {
    int64_t id;
    const char *prefix;
    const char *label;
    int64_t created_at;
    int64_t revoked_at; /**< 0 when live */
};

/**
 * Creates a key labelled @label by admin @admin_id (audited). *key receives the whole key (in
 * @arena), to show once; *out the stored row. PP_EVALIDATION ("label") for a missing or too
 * long label.
 */
enum pp_err pp_adage_key_create(struct pp_db *db, struct pp_arena *arena, int64_t admin_id,
                                const char *label, const char **key, struct pp_adage_key *out,
                                struct pp_error *e);

/** Every key, newest first (never the secret). Strings in @arena. */
enum pp_err pp_adage_key_list(struct pp_db *db, struct pp_arena *arena,
                              struct pp_adage_key **items, size_t *count);

/** Revokes live key @id (by @admin_id, audited); PP_ENOTFOUND when unknown or revoked. */
enum pp_err pp_adage_key_revoke(struct pp_db *db, int64_t admin_id, int64_t id);

/**
 * The live key of the "Bearer <key>" header value @authorization: *key_id and *prefix (in
 * @arena). PP_EUNAUTH for a malformed, unknown or revoked key (each such attempt counted for
 * @remote_addr); PP_ERATE while @remote_addr has PP_ADAGE_KEY_MISSES_MAX failures in the
 * window, whatever the key.
 */
enum pp_err pp_adage_key_authenticate(struct pp_db *db, struct pp_arena *arena,
                                      const char *authorization, const char *remote_addr,
                                      int64_t *key_id, const char **prefix);

#endif
