#include "domain/password_reset.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/email.h"
#include "core/password.h"
#include "db/bind.h"
#include "db/db.h"
#include "db/row.h"
#include "db/tx.h"
#include "domain/account.h"
#include "domain/outbox.h"
#include "domain/session.h"
#include "domain/throttle.h"

#define THROTTLE_WINDOW 3600

static void token_hash(const char *token, char out[65])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
    sodium_bin2hex(out, 65, h, sizeof h);
}

static bool token_is_wellformed(const char *t)
{
    if (t == NULL || strlen(t) != PP_PASSWORD_RESET_TOKEN_LEN)
        return false;
    for (; *t; t++)
        if (!((*t >= '0' && *t <= '9') || (*t >= 'a' && *t <= 'f')))
            return false;
    return true;
}

struct reset_account {
    int64_t id;
    const char *first_name;
};

static const struct pp_col reset_account_cols[] =
    PP_COLS(struct reset_account, PPC_INT(id), PPC_TEXT(first_name));
static const struct pp_row_spec reset_account_row =
    PP_ROW_SPEC(struct reset_account, reset_account_cols, NULL);

enum pp_err pp_password_reset_request(struct pp_db *db, struct pp_arena *arena, const char *email)
{
    int64_t now = pp_clock_now();
    char *norm = pp_email_normalize(pp_arena_strdup(arena, email ? email : ""));
    /* A token is drawn and hashed for every request, known address or not: same work. */
    unsigned char raw[32];
    char token[PP_PASSWORD_RESET_TOKEN_LEN + 1], hash[65];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(token, sizeof token, raw, sizeof raw);
    token_hash(token, hash);

    struct reset_account acc;
    enum pp_err found = PP_ENOTFOUND;
    if (pp_email_is_valid(norm)) {
        found = PP_FETCH(db, arena, &reset_account_row, &acc,
                         "SELECT id, first_name FROM account WHERE email = ?", PP_TEXT(norm));
        if (found != PP_OK && found != PP_ENOTFOUND)
            return found;
    }
    /* One transaction either way: the request is counted (known or unknown address alike),
     * and a known account under the cap gets its token and its email with it. */
    if (pp_db_begin(db) != PP_OK)
        return PP_EDB;
    const char *key = pp_arena_printf(arena, "password-reset:%s", norm);
    int64_t claim, count = 0, last;
    enum pp_err rc = pp_throttle_claim(db, key, now, &claim);
    if (rc == PP_OK)
        rc = pp_throttle_count(db, key, now - THROTTLE_WINDOW, claim, &count, &last);
    bool capped = rc == PP_OK && count >= PP_PASSWORD_RESET_MAX_PER_HOUR;
    if (rc == PP_OK && found == PP_OK && !capped) {
        rc = pp_row_exec(PP_BIND(db,
                                 "INSERT INTO password_reset_token (token_hash, account_id,"
                                 " created_at, expires_at) VALUES (?, ?, ?, ?)",
                                 PP_TEXT(hash), PP_INT(acc.id), PP_INT(now),
                                 PP_INT(now + PP_PASSWORD_RESET_LIFETIME)));
        if (rc == PP_OK)
            rc = pp_outbox_add(db, "PASSWORD_RESET", norm, NULL,
                               json_pack("{s:s?, s:s}", "firstName", acc.first_name, "token",
                                         token));
    }
    rc = pp_tx_end(db, rc);
    sodium_memzero(token, sizeof token);
    if (rc == PP_OK && capped)
        fprintf(stderr,
                "passpro: réinitialisation du mot de passe : plus de %d demandes en une heure "
                "pour une même adresse, aucun email envoyé\n",
                PP_PASSWORD_RESET_MAX_PER_HOUR);
    return rc;
}

enum pp_err pp_password_reset_confirm(struct pp_db *db, struct pp_arena *arena, const char *token,
                                      const char *password, struct pp_error *e)
{
    static const char gone[] = "Ce lien de réinitialisation n'est plus valide : il a expiré ou "
                               "a déjà été utilisé. Veuillez faire une nouvelle demande.";
    const char *problem = password ? pp_password_check(password)
                                   : "Veuillez renseigner un nouveau mot de passe.";
    if (problem != NULL)
        return pp_error_set(e, PP_EVALIDATION, "password", problem);
    if (!token_is_wellformed(token))
        return pp_error_set(e, PP_EGONE, "token", gone);
    char pw_hash[PP_PASSWORD_HASH_MAX];
    if (pp_account_hash(password, pw_hash) != PP_OK)
        return PP_EINTERNAL;
    char hash[65];
    token_hash(token, hash);
    int64_t now = pp_clock_now();

    if (pp_db_begin(db) != PP_OK)
        return PP_EDB;
    /* Using the token up is one conditional UPDATE: two simultaneous uses, one wins. */
    struct reset_account acc;
    enum pp_err rc = PP_FETCH(db, arena, &reset_account_row, &acc,
                              "UPDATE password_reset_token SET used_at = ? WHERE token_hash = ?"
                              " AND used_at IS NULL AND expires_at > ?"
                              " RETURNING account_id AS id, NULL AS first_name",
                              PP_INT(now), PP_TEXT(hash), PP_INT(now));
    if (rc == PP_ENOTFOUND) {
        pp_db_rollback(db);
        return pp_error_set(e, PP_EGONE, "token", gone);
    }
    if (rc == PP_OK)
        rc = pp_row_exec(PP_BIND(db, "UPDATE account SET password_hash = ? WHERE id = ?",
                                 PP_TEXT(pw_hash), PP_INT(acc.id)));
    /* The other links of the account die with this one: one reset, one password. */
    if (rc == PP_OK)
        rc = pp_row_exec(PP_BIND(db,
                                 "UPDATE password_reset_token SET used_at = ? WHERE account_id = ?"
                                 " AND used_at IS NULL",
                                 PP_INT(now), PP_INT(acc.id)));
    if (rc == PP_OK)
        rc = pp_session_end_all(db, acc.id, NULL, NULL);
    return pp_tx_end(db, rc);
}
