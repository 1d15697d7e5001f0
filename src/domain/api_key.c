#include "domain/api_key.h"

#include <string.h>

#include "core/arena.h"
#include "core/clock.h"
#include "db/bind.h"
#include "db/db.h"
#include "db/row.h"
#include "domain/secret_key.h"

#define LIVE_KEYS_MAX 20
#define LAST_USED_PRECISION 60 /* seconds: no write on every request */

enum pp_err pp_api_key_create(struct pp_db *db, struct pp_arena *arena, int64_t offerer_id,
                              int64_t account_id, const char **key, struct pp_api_key *out,
                              struct pp_error *e)
{
    /* A structure still waiting for the back office has no partner access yet: keys could be
     * made for a structure nobody has checked. */
    enum pp_err rc = pp_db_query_int(db, NULL,
                                     "SELECT 1 FROM offerer WHERE id = ? AND status = 'VALIDATED'",
                                     1, offerer_id);
    if (rc == PP_ENOTFOUND)
        return pp_error_set(e, PP_EFORBIDDEN, "global",
                            "Votre structure est en cours de validation par pass Culture : vous "
                            "pourrez créer une clé d'API une fois qu'elle sera validée.");
    if (rc != PP_OK)
        return PP_EDB;
    int64_t live = 0;
    if (pp_db_query_int(db, &live,
                        "SELECT COUNT(*) FROM api_key WHERE offerer_id = ? AND revoked_at IS NULL",
                        1, offerer_id) != PP_OK)
        return PP_EDB;
    if (live >= LIVE_KEYS_MAX)
        return pp_error_set(e, PP_EVALIDATION, "global",
                            "Cette structure a déjà 20 clés actives : révoquez-en une d'abord.");
    const char *prefix;
    char hash[PP_SECRET_HASH_HEX + 1];
    pp_secret_key_generate(arena, PP_API_KEY_ENV, &prefix, key, hash);
    int64_t now = pp_clock_now();
    struct pp_stmt *st = PP_BIND(
        db, "INSERT INTO api_key (offerer_id, prefix, secret_hash, created_by, created_at)"
            " VALUES (?, ?, ?, ?, ?) RETURNING id",
        PP_INT(offerer_id), PP_TEXT(prefix), PP_TEXT(hash), PP_INT(account_id), PP_INT(now));
    if (st == NULL)
        return PP_EDB;
    enum pp_step s = pp_stmt_step(st);
    if (s == PP_STEP_ROW) {
        memset(out, 0, sizeof *out);
        out->id = pp_stmt_int(st, 0);
        out->offerer_id = offerer_id;
        out->prefix = prefix;
        out->created_at = now;
    }
    pp_stmt_done(st);
    return s == PP_STEP_ROW ? PP_OK : PP_EDB;
}

/* A live key as authentication reads it. */
struct key_row {
    int64_t id;
    int64_t offerer_id;
    const char *secret_hash;
    int64_t last_used_at;
};

static const struct pp_col key_row_cols[] = PP_COLS(struct key_row,
    PPC_INT(id), PPC_INT(offerer_id), PPC_TEXT(secret_hash), PPC_INT(last_used_at));
static const struct pp_row_spec key_row = PP_ROW_SPEC(struct key_row, key_row_cols, NULL);

enum pp_err pp_api_key_authenticate(struct pp_db *db, struct pp_arena *arena,
                                    const char *authorization, int64_t *offerer_id,
                                    const char **prefix)
{
    const char *pre, *secret;
    if (!pp_secret_key_parse(arena, authorization, &pre, &secret))
        return PP_EUNAUTH;
    struct key_row k;
    enum pp_err rc = PP_FETCH(db, arena, &key_row, &k,
        "SELECT id, offerer_id, secret_hash, last_used_at FROM api_key"
        " WHERE prefix = ? AND revoked_at IS NULL",
        PP_TEXT(pre));
    if (rc != PP_OK)
        return rc == PP_ENOTFOUND ? PP_EUNAUTH : rc;
    if (!pp_secret_key_verify(secret, k.secret_hash))
        return PP_EUNAUTH;
    int64_t now = pp_clock_now();
    if (now - k.last_used_at >= LAST_USED_PRECISION)
        pp_db_query_int(db, NULL, "UPDATE api_key SET last_used_at = ? WHERE id = ? RETURNING id",
                        2, now, k.id);
    *offerer_id = k.offerer_id;
    *prefix = pre;
    return PP_OK;
}

static const struct pp_col api_key_cols[] = PP_COLS(struct pp_api_key,
    PPC_INT(id), PPC_INT(offerer_id), PPC_TEXT(prefix), PPC_INT(created_at), PPC_INT(last_used_at),
    PPC_INT(revoked_at));
static const struct pp_row_spec api_key_row = PP_ROW_SPEC(struct pp_api_key, api_key_cols, NULL);

enum pp_err pp_api_key_list(struct pp_db *db, struct pp_arena *arena, int64_t offerer_id,
                            struct pp_api_key **items, size_t *count)
{
    return PP_COLLECT(db, arena, &api_key_row, items, count,
        "SELECT id, offerer_id, prefix, created_at, last_used_at, revoked_at FROM api_key"
        " WHERE offerer_id = ? ORDER BY created_at DESC, id DESC",
        PP_INT(offerer_id));
}

enum pp_err pp_api_key_revoke(struct pp_db *db, int64_t offerer_id, int64_t id)
{
    int64_t got;
    enum pp_err rc = pp_db_query_int(db, &got,
                                     "UPDATE api_key SET revoked_at = ? WHERE id = ?"
                                     " AND offerer_id = ? AND revoked_at IS NULL RETURNING id",
                                     3, pp_clock_now(), id, offerer_id);
    return rc;
}
