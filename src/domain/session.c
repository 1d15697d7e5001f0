#include "domain/session.h"

#include <sodium.h>
#include <string.h>

#include "core/arena.h"
#include "core/clock.h"
#include "db/bind.h"
#include "db/db.h"
#include "db/row.h"

static void token_hash(const char *token, char out[65])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
    sodium_bin2hex(out, 65, h, sizeof h);
}

static bool token_is_wellformed(const char *t)
{
    if (t == NULL || strlen(t) != PP_SESSION_TOKEN_LEN)
        return false;
    for (; *t; t++)
        if (!((*t >= '0' && *t <= '9') || (*t >= 'a' && *t <= 'f')))
            return false;
    return true;
}

enum pp_err pp_session_create(struct pp_db *db, int64_t account_id,
                              char token[PP_SESSION_TOKEN_LEN + 1])
{
    unsigned char raw[32], csrf_raw[16];
    char hash[65], csrf[33];
    randombytes_buf(raw, sizeof raw);
    randombytes_buf(csrf_raw, sizeof csrf_raw);
    sodium_bin2hex(token, PP_SESSION_TOKEN_LEN + 1, raw, sizeof raw);
    sodium_bin2hex(csrf, sizeof csrf, csrf_raw, sizeof csrf_raw);
    token_hash(token, hash);
    int64_t now = pp_clock_now();
    struct pp_stmt *st = PP_BIND(
        db, "INSERT INTO session (token_hash, account_id, csrf_token, created_at, expires_at)"
            " VALUES (?, ?, ?, ?, ?)",
        PP_TEXT(hash), PP_INT(account_id), PP_TEXT(csrf), PP_INT(now),
        PP_INT(now + PP_SESSION_LIFETIME));
    enum pp_err rc = pp_row_exec(st);
    /* A login is activity: the retention job counts from the last one. */
    if (rc == PP_OK)
        rc = pp_row_exec(PP_BIND(db, "UPDATE account SET last_login_at = ? WHERE id = ?",
                                 PP_INT(now), PP_INT(account_id)));
    return rc;
}

static const struct pp_col session_user_cols[] = PP_COLS(struct pp_user,
    PPC_INT(id), PPC_TEXT(email), PPC_TEXT(first_name), PPC_TEXT(last_name), PPC_TEXT_CODE(role, role_code, pp_role_names),
    PPC_TEXT_AS(csrf, "csrf_token"));
static const struct pp_row_spec session_user_row =
    PP_ROW_SPEC(struct pp_user, session_user_cols, NULL);

enum pp_err pp_session_lookup(struct pp_db *db, struct pp_arena *arena, const char *token,
                              struct pp_user *user)
{
    if (!token_is_wellformed(token))
        return PP_ENOTFOUND;
    char hash[65];
    token_hash(token, hash);
    return PP_FETCH(db, arena, &session_user_row, user,
        "SELECT a.id, a.email, a.first_name, a.last_name, a.role, s.csrf_token"
        " FROM session s JOIN account a ON a.id = s.account_id"
        " WHERE s.token_hash = ? AND s.expires_at > ?",
        PP_TEXT(hash), PP_INT(pp_clock_now()));
}

enum pp_err pp_session_delete(struct pp_db *db, const char *token)
{
    if (!token_is_wellformed(token))
        return PP_OK;
    char hash[65];
    token_hash(token, hash);
    struct pp_stmt *st = PP_BIND(db, "DELETE FROM session WHERE token_hash = ?",
                                 PP_TEXT(hash));
    return pp_row_exec(st);
}

enum pp_err pp_session_purge_expired(struct pp_db *db, int64_t now, int64_t *n)
{
    *n = 0;
    struct pp_stmt *st = PP_BIND(db, "DELETE FROM session WHERE expires_at <= ?",
                                 PP_INT(now));
    if (st == NULL)
        return PP_EDB;
    enum pp_step s = pp_stmt_step(st);
    if (s == PP_STEP_DONE)
        *n = pp_stmt_changes(st);
    pp_stmt_done(st);
    return s == PP_STEP_DONE ? PP_OK : PP_EDB;
}

enum pp_err pp_session_end_all(struct pp_db *db, int64_t account_id, const char *keep_token,
                               int64_t *n)
{
    char hash[65] = "";
    if (token_is_wellformed(keep_token))
        token_hash(keep_token, hash);
    struct pp_stmt *st = PP_BIND(db, "DELETE FROM session WHERE account_id = ? AND token_hash <> ?",
                                 PP_INT(account_id), PP_TEXT(hash));
    if (st == NULL)
        return PP_EDB;
    enum pp_step s = pp_stmt_step(st);
    if (s == PP_STEP_DONE && n != NULL)
        *n = pp_stmt_changes(st);
    pp_stmt_done(st);
    return s == PP_STEP_DONE ? PP_OK : PP_EDB;
}
