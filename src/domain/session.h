#ifndef PP_DOMAIN_SESSION_H
#define PP_DOMAIN_SESSION_H

#include <stdint.h>

#include "core/error.h"
#include "domain/account.h"

/**
 * Login sessions, stored in the database so that several servers share them. The cookie
 * carries a random 256-bit token; only its BLAKE2b hash is stored, so a copy of the database
 * gives no session away.
 */

#define PP_SESSION_TOKEN_LEN 64 /* hex characters */
#define PP_SESSION_LIFETIME (7 * 24 * 3600)

/** Creates a session for @account_id; writes the cookie token (NUL-terminated) to @token. */
enum pp_err pp_session_create(struct pp_db *db, int64_t account_id,
                              char token[PP_SESSION_TOKEN_LEN + 1]);

/**
 * Finds the live session of @token and fills @user (with its CSRF token). PP_ENOTFOUND for
 * an unknown, malformed or expired token.
 */
enum pp_err pp_session_lookup(struct pp_db *db, struct pp_arena *arena, const char *token,
                              struct pp_user *user);

/** Ends the session of @token (nothing when unknown). */
enum pp_err pp_session_delete(struct pp_db *db, const char *token);

/**
 * Ends every session of @account_id but the one of @keep_token (NULL or "": all of them):
 * "log out everywhere", and what a password change must call. *n (when not NULL) receives how
 * many ended.
 */
enum pp_err pp_session_end_all(struct pp_db *db, int64_t account_id, const char *keep_token,
                               int64_t *n);

/** Deletes the sessions expired at @now (a housekeeping job); *n receives how many. */
enum pp_err pp_session_purge_expired(struct pp_db *db, int64_t now, int64_t *n);

#endif
