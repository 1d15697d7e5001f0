#ifndef PP_DOMAIN_BENEFICIARY_H
#define PP_DOMAIN_BENEFICIARY_H

#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"

struct pp_db;
struct pp_arena;

/**
 * Beneficiaries (young people) and their wallets (RULES §3). Accounts are created by the back
 * office (identity checks are outside passpro); the credit follows the 2025 reform and is
 * granted as of the clock: the wallet is brought up to date whenever it is read or used, and
 * by the daily job for the 18th birthdays.
 */

struct pp_beneficiary_new {
    const char *email;
    const char *password;
    const char *first_name;
    const char *last_name;
    const char *birth_date;  /**< YYYY-MM-DD */
    const char *postal_code;
    const char *phone;       /**< optional */
    bool social_bonus;
    const char *password_hash; /**< optional, as struct pp_account_new's */
};

struct pp_wallet {
    int64_t amount_cents;          /**< credit granted so far */
    int64_t spent_cents;           /**< live bookings */
    int64_t balance_cents;         /**< 0 once expired */
    int64_t digital_remaining_cents; /**< -1 when no digital cap applies (15-16) */
    int64_t expires_at;
    bool free_only;
};

/**
 * Creates a beneficiary account (BENEFICIARY from 17, UNDERAGE at 15-16) and its wallet.
 * Refused outside 15-20 years old. PP_EVALIDATION per field, PP_ECONFLICT on a taken email.
 * Audited with @admin_id (0 for none: the demo).
 */
enum pp_err pp_beneficiary_create(struct pp_db *db, struct pp_arena *arena, int64_t admin_id,
                                  const struct pp_beneficiary_new *in, int64_t *id,
                                  struct pp_wallet *wallet, struct pp_error *e);

/**
 * Brings the wallet of @account_id up to date with the credit rule at @now (grants only ever
 * grow) and reads it. PP_ENOTFOUND for an account that is not a beneficiary.
 */
enum pp_err pp_wallet_refresh(struct pp_db *db, int64_t account_id, int64_t now,
                              struct pp_wallet *out);

/** Job: tops up every wallet whose owner turned 18 (idempotent). *n receives the count. */
enum pp_err pp_wallet_refresh_all(struct pp_db *db, int64_t now, int64_t *n);

/**
 * The retention job: anonymises the beneficiaries whose credit has expired and whose last
 * activity (registration, login, booking) is @retention seconds or more before @now. Names
 * become "Anonyme", the email anonyme-<id>@anonyme.invalid, the phone and postal code go,
 * the birth date keeps its year; the password no longer matches anything and the sessions
 * end. Bookings stay (the venue's and the finance's records). One transaction and one audit
 * entry each, 500 a run at most; *n receives how many.
 */
enum pp_err pp_beneficiary_anonymise_stale(struct pp_db *db, int64_t now, int64_t retention,
                                           int64_t *n);

#endif
