#ifndef PP_DOMAIN_ACCOUNT_H
#define PP_DOMAIN_ACCOUNT_H

#include <stdint.h>

#include "core/error.h"
#include "core/status.h"

struct pp_db;
struct pp_arena;

/** The logged-in account as a request sees it; id 0 when anonymous. Strings in the arena. */
struct pp_user {
    int64_t id;
    const char *email;
    const char *first_name;
    const char *last_name;
    const char *role; /**< "PRO", "BENEFICIARY", "UNDERAGE", "ADMIN" */
    const char *csrf; /**< the session's CSRF token */
    enum pp_role role_code; /**< @role parsed once where the row is read: compare this */
};


struct pp_account_new {
    const char *email;
    const char *password;
    const char *first_name;
    const char *last_name;
    const char *phone; /**< optional */
    const char *role;  /**< "PRO" or "ADMIN" here; beneficiaries come with the booking issue */
    /** Optional: the Argon2id hash of @password, computed already (pp_account_hash), so that
     *  seeding many accounts with one password (the demo) hashes it once. NULL: hashed here. */
    const char *password_hash;
};

/** Room for an Argon2id hash string. */
#define PP_PASSWORD_HASH_MAX 128

/** The Argon2id hash of @password into @out. PP_EINTERNAL when libsodium fails. */
enum pp_err pp_account_hash(const char *password, char out[PP_PASSWORD_HASH_MAX]);

/**
 * Login throttling (docs/security.md, "Throttling"): failures are counted per (account, client
 * address) pair over PP_LOGIN_WINDOW seconds. Past PP_LOGIN_FREE_FAILURES the pair waits
 * PP_LOGIN_FIRST_DELAY seconds after its latest failure, twice as long after each further one,
 * at most PP_LOGIN_MAX_DELAY: slowed, never locked. An address with PP_LOGIN_BUSY_ADDRESS
 * failures in the window (over every account) keeps only PP_LOGIN_FREE_FAILURES_BUSY free
 * failures on each account it fails on; accounts it has not failed on are never refused.
 * IPv6 addresses count by their /64 network.
 */
#define PP_LOGIN_WINDOW (60 * 60)
#define PP_LOGIN_FREE_FAILURES 5
#define PP_LOGIN_FREE_FAILURES_BUSY 1
#define PP_LOGIN_BUSY_ADDRESS 50
#define PP_LOGIN_FIRST_DELAY 15
#define PP_LOGIN_MAX_DELAY (5 * 60)

/**
 * Checks the fields of @in without writing anything (errors appended to @e); the normalized
 * email (in @arena) goes to *normalized_email.
 */
void pp_account_validate(struct pp_arena *arena, const struct pp_account_new *in,
                         const char **normalized_email, struct pp_error *e);

/**
 * Creates an account: email syntax (stored lower-cased, unique case-insensitively), password
 * rule of RULES §1 (hashed with Argon2id), names required. Errors: PP_EVALIDATION with a
 * message per field, PP_ECONFLICT when the email is taken. Writes nothing on refusal.
 */
enum pp_err pp_account_create(struct pp_db *db, struct pp_arena *arena,
                              const struct pp_account_new *in, int64_t *id, struct pp_error *e);

/**
 * Checks @email / @password from client address @client_addr (pp_req_client_addr). While the
 * (email, address) pair must wait (PP_LOGIN_* above), PP_ERATE without checking the password,
 * the seconds to wait in *@retry_after (when not NULL) and in the French message. Unknown
 * emails are throttled and hashed exactly like known ones. A wrong pair gives PP_EUNAUTH with
 * one message that does not tell which was wrong. On success fills @out (strings in @arena)
 * and forgets the pair's failures.
 */
enum pp_err pp_account_authenticate(struct pp_db *db, struct pp_arena *arena, const char *email,
                                    const char *password, const char *client_addr,
                                    int64_t *retry_after, struct pp_user *out,
                                    struct pp_error *e);

/** Loads account @id into @out; PP_ENOTFOUND when unknown. */
enum pp_err pp_account_get(struct pp_db *db, struct pp_arena *arena, int64_t id,
                           struct pp_user *out);

/**
 * Changes the password of logged-in account @id: @current must be its password (else
 * PP_EVALIDATION on "currentPassword"), @password must pass RULES §1 (else PP_EVALIDATION on
 * "newPassword"). On success every session of the account but the one of @keep_token ends.
 * Nothing changes on refusal. PP_EDB, PP_EINTERNAL otherwise.
 */
enum pp_err pp_account_change_password(struct pp_db *db, struct pp_arena *arena, int64_t id,
                                       const char *current, const char *password,
                                       const char *keep_token, struct pp_error *e);

#endif
