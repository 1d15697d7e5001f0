#ifndef PP_DOMAIN_PASSWORD_RESET_H
#define PP_DOMAIN_PASSWORD_RESET_H

#include <stdint.h>

#include "core/error.h"

struct pp_db;
struct pp_arena;

/**
 * "Mot de passe oublié" (SPEC §3, RULES §11). A request mails a link carrying a random 256-bit
 * token (64 hex characters); only its BLAKE2b hash is stored (table password_reset_token). The
 * link is single-use and expires after PP_PASSWORD_RESET_LIFETIME; using it sets the new
 * password and ends every session of the account. docs/security.md ("No account enumeration").
 */

#define PP_PASSWORD_RESET_LIFETIME (24 * 3600)
#define PP_PASSWORD_RESET_TOKEN_LEN 64
/** Requests per address and hour past which no email is sent (the answer stays the same). */
#define PP_PASSWORD_RESET_MAX_PER_HOUR 5

/**
 * Asks for a reset link for @email. The outcome is the same for the caller whether or not the
 * account exists, and the work is similar (one token drawn and hashed, one transaction): a
 * known account gets a token row and a PASSWORD_RESET email in the outbox; past
 * PP_PASSWORD_RESET_MAX_PER_HOUR requests for one address within an hour, nothing is mailed
 * and the refusal is logged. Returns PP_OK, or PP_EDB.
 */
enum pp_err pp_password_reset_request(struct pp_db *db, struct pp_arena *arena, const char *email);

/**
 * Sets @password (RULES §1) on the account of reset @token, uses the token up (with every other
 * pending token of the account) and ends every session of the account. Errors: PP_EVALIDATION
 * on "password" for a weak password (nothing changed, the token stays usable); PP_EGONE on
 * "token" for an unknown, malformed, used or expired token; PP_EDB, PP_EINTERNAL.
 */
enum pp_err pp_password_reset_confirm(struct pp_db *db, struct pp_arena *arena, const char *token,
                                      const char *password, struct pp_error *e);

#endif
