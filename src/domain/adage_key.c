#include "domain/adage_key.h"

#include "core/arena.h"
#include "core/clock.h"
#include "core/utf8.h"
#include "db/db.h"
#include "db/row.h"
#include "db/tx.h"
#include "domain/audit.h"
#include "domain/secret_key.h"
#include "domain/throttle.h"

static const struct pp_col key_cols[] = PP_COLS(struct pp_adage_key,
    PPC_INT(id), PPC_TEXT(prefix), PPC_TEXT(label), PPC_INT(created_at), PPC_INT(revoked_at));
static const struct pp_row_spec key_row = PP_ROW_SPEC(struct pp_adage_key, key_cols, NULL);

enum pp_err pp_adage_key_create(struct pp_db *db, struct pp_arena *arena, int64_t admin_id,
                                const char *label, const char **key, struct pp_adage_key *out,
                                struct pp_error *e)
{
    if (label == NULL || *label == '\0')
        return pp_error_set(e, PP_EVALIDATION, "label", "Veuillez nommer la clé (son usage).");
    if (pp_utf8_chars(label) > PP_ADAGE_KEY_LABEL_MAX)
        return pp_error_set(e, PP_EVALIDATION, "label",
                            "Le nom de la clé ne doit pas dépasser 100 caractères.");
    char hash[PP_SECRET_HASH_HEX + 1];
    *out = (struct pp_adage_key){.label = label, .created_at = pp_clock_now()};
    pp_secret_key_generate(arena, PP_ADAGE_KEY_ENV, &out->prefix, key, hash);
    if (pp_db_begin(db) != PP_OK)
        return PP_EDB;
    enum pp_err rc = pp_row_returning(
        PP_BIND(db, "INSERT INTO adage_api_key (prefix, secret_hash, label, created_by, created_at)"
                    " VALUES (?, ?, ?, ?, ?) RETURNING id",
                PP_TEXT(out->prefix), PP_TEXT(hash), PP_TEXT(label), PP_INT(admin_id),
                PP_INT(out->created_at)),
        &out->id);
    if (rc == PP_OK)
        rc = pp_audit_log(db, admin_id, PP_CHANNEL_BACKOFFICE, "adage_key.create",
                          "adage_api_key", out->id, out->prefix);
    return pp_tx_end(db, rc);
}

enum pp_err pp_adage_key_list(struct pp_db *db, struct pp_arena *arena,
                              struct pp_adage_key **items, size_t *count)
{
    struct pp_stmt *st = pp_bind_prepare(db,
        "SELECT id, prefix, label, created_at, revoked_at FROM adage_api_key"
        " ORDER BY created_at DESC, id DESC", NULL, 0);
    return pp_row_collect(st, arena, &key_row, (void **)items, count);
}

enum pp_err pp_adage_key_revoke(struct pp_db *db, int64_t admin_id, int64_t id)
{
    if (pp_db_begin(db) != PP_OK)
        return PP_EDB;
    enum pp_err rc = pp_db_query_int(db, NULL,
                                     "UPDATE adage_api_key SET revoked_at = ?"
                                     " WHERE id = ? AND revoked_at IS NULL RETURNING id",
                                     2, pp_clock_now(), id);
    if (rc == PP_OK)
        rc = pp_audit_log(db, admin_id, PP_CHANNEL_BACKOFFICE, "adage_key.revoke",
                          "adage_api_key", id, NULL);
    return pp_tx_end(db, rc);
}

struct live_key {
    int64_t id;
    const char *secret_hash;
};

static const struct pp_col live_cols[] = PP_COLS(struct live_key,
    PPC_INT(id), PPC_TEXT(secret_hash));
static const struct pp_row_spec live_row = PP_ROW_SPEC(struct live_key, live_cols, NULL);

/* The key of @authorization: PP_OK, PP_EUNAUTH, or a database error. */
static enum pp_err find(struct pp_db *db, struct pp_arena *arena, const char *authorization,
                        int64_t *key_id, const char **prefix)
{
    const char *secret;
    if (!pp_secret_key_parse(arena, authorization, prefix, &secret))
        return PP_EUNAUTH;
    struct live_key k;
    enum pp_err rc = PP_FETCH(db, arena, &live_row, &k,
        "SELECT id, secret_hash FROM adage_api_key WHERE prefix = ? AND revoked_at IS NULL",
        PP_TEXT(*prefix));
    if (rc == PP_ENOTFOUND || (rc == PP_OK && !pp_secret_key_verify(secret, k.secret_hash)))
        return PP_EUNAUTH;
    *key_id = k.id;
    return rc;
}

enum pp_err pp_adage_key_authenticate(struct pp_db *db, struct pp_arena *arena,
                                      const char *authorization, const char *remote_addr,
                                      int64_t *key_id, const char **prefix)
{
    const char *throttle =
        pp_arena_printf(arena, "adage:address:%s", remote_addr ? remote_addr : "");
    int64_t now = pp_clock_now();
    bool exceeded = false;
    enum pp_err rc = pp_throttle_exceeded(db, throttle, PP_ADAGE_KEY_MISSES_MAX,
                                          PP_ADAGE_KEY_MISSES_WINDOW, now, &exceeded);
    if (rc != PP_OK)
        return rc;
    if (exceeded)
        return PP_ERATE;
    rc = find(db, arena, authorization, key_id, prefix);
    if (rc == PP_EUNAUTH && pp_throttle_record(db, throttle, now) != PP_OK)
        return PP_EDB;
    return rc;
}
