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

/** Failed logins allowed per account, and per address, in PP_LOGIN_WINDOW seconds. */
#define PP_LOGIN_MAX_PER_ACCOUNT 10
#define PP_LOGIN_MAX_PER_ADDRESS 50
#define PP_LOGIN_WINDOW (15 * 60)

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
 * Checks @email / @password. Throttled: past PP_LOGIN_MAX_PER_ACCOUNT failures for the account
 * or PP_LOGIN_MAX_PER_ADDRESS for @remote_addr in the window, PP_ERATE without checking the
 * password. A wrong pair gives PP_EUNAUTH with one message that does not tell which was wrong.
 * On success fills @out (strings in @arena).
 */
enum pp_err pp_account_authenticate(struct pp_db *db, struct pp_arena *arena, const char *email,
                                    const char *password, const char *remote_addr,
                                    struct pp_user *out, struct pp_error *e);

/** Loads account @id into @out; PP_ENOTFOUND when unknown. */
enum pp_err pp_account_get(struct pp_db *db, struct pp_arena *arena, int64_t id,
                           struct pp_user *out);

#endif
