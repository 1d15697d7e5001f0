#include "domain/beneficiary.h"

#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/booking_rules.h"
#include "core/clock.h"
#include "core/tz.h"
#include "core/venue_type.h"
#include "db/bind.h"
#include "db/db.h"
#include "db/row.h"
#include "db/scalar.h"
#include "db/tx.h"
#include "domain/account.h"
#include "domain/audit.h"

/* What a beneficiary's credit is computed from. */
struct credit_row {
    const char *birth_date;
    int64_t registered_at;
    bool social_bonus;
};

static const struct pp_col credit_cols[] = PP_COLS(struct credit_row,
    PPC_TEXT(birth_date), PPC_INT(registered_at), PPC_BOOL(social_bonus));
static const struct pp_row_spec credit_row = PP_ROW_SPEC(struct credit_row, credit_cols, NULL);

/* Reads the credit inputs of @account_id and computes its credit at @now. */
static enum pp_err credit_of(struct pp_db *db, int64_t account_id, int64_t now,
                             struct pp_credit *c)
{
    struct pp_arena *a = pp_arena_new();
    struct credit_row r;
    enum pp_err rc = PP_FETCH(db, a, &credit_row, &r,
        "SELECT birth_date, registered_at, social_bonus FROM beneficiary WHERE account_id = ?",
        PP_INT(account_id));
    int y, m, d;
    if (rc == PP_OK && !pp_clock_parse_date(r.birth_date, &y, &m, &d))
        rc = PP_EINTERNAL;
    if (rc == PP_OK)
        pp_credit_compute(y, m, d, r.registered_at, now, r.social_bonus, c);
    pp_arena_free(a);
    return rc;
}

/* A wallet as its refresh returns it. */
struct wallet_row {
    int64_t amount_cents;
    int64_t spent_cents;
    int64_t digital_spent_cents;
    int64_t expires_at;
};

static const struct pp_col wallet_cols[] = PP_COLS(struct wallet_row,
    PPC_INT(amount_cents), PPC_INT(spent_cents), PPC_INT(digital_spent_cents), PPC_INT(expires_at));
static const struct pp_row_spec wallet_row = PP_ROW_SPEC(struct wallet_row, wallet_cols, NULL);

/* The balances of wallet @w with credit @c at @now. */
static void wallet_fill(struct pp_wallet *out, const struct wallet_row *w,
                        const struct pp_credit *c, int64_t now)
{
    out->amount_cents = w->amount_cents;
    out->spent_cents = w->spent_cents;
    out->expires_at = w->expires_at;
    bool expired = now >= out->expires_at;
    out->balance_cents = expired ? 0 : out->amount_cents - out->spent_cents;
    out->free_only = c->free_only;
    int64_t digital = PP_DIGITAL_CAP_CENTS - w->digital_spent_cents;
    out->digital_remaining_cents =
        c->free_only ? -1 : (digital < out->balance_cents ? digital : out->balance_cents);
}

enum pp_err pp_wallet_refresh(struct pp_db *db, int64_t account_id, int64_t now,
                              struct pp_wallet *out)
{
    struct pp_credit c;
    enum pp_err rc = credit_of(db, account_id, now, &c);
    if (rc != PP_OK)
        return rc;
    /* Grants only grow: a refresh never takes back what was given. */
    struct wallet_row w;
    rc = PP_FETCH(db, NULL, &wallet_row, &w,
        "UPDATE wallet SET amount_cents = CASE WHEN amount_cents > ?1 THEN amount_cents ELSE ?1 END"
        " WHERE account_id = ?"
        " RETURNING amount_cents, spent_cents, digital_spent_cents, expires_at",
        PP_INT(c.amount_cents), PP_INT(account_id));
    if (rc == PP_ENOTFOUND)
        rc = PP_OK; /* no wallet: nothing to refresh */
    else if (rc == PP_OK && out != NULL)
        wallet_fill(out, &w, &c, now);
    if (rc != PP_OK)
        return rc;
    /* At 17 a 15-16 year-old's free-only account becomes a full beneficiary. */
    if (!c.free_only && c.eligible) {
        return pp_row_exec(PP_BIND(db,
                                   "UPDATE account SET role = 'BENEFICIARY' WHERE id = ?"
                                   " AND role = 'UNDERAGE'",
                                   PP_INT(account_id)));
    }
    return PP_OK;
}

/* Refreshes the wallet of @account_id in its own transaction; counts it in *n when it grew. */
static enum pp_err top_up(struct pp_db *db, int64_t account_id, int64_t now, int64_t *n)
{
    struct pp_wallet before, after;
    if (pp_db_begin(db) != PP_OK)
        return PP_EDB;
    enum pp_err rc = pp_db_query_int(db, &before.amount_cents,
                                     "SELECT amount_cents FROM wallet WHERE account_id = ?", 1,
                                     account_id);
    if (rc == PP_OK)
        rc = pp_wallet_refresh(db, account_id, now, &after);
    if (rc == PP_OK && after.amount_cents != before.amount_cents) {
        rc = pp_audit_log(db, 0, PP_CHANNEL_JOB, "CREDIT_TOPPED_UP", "account", account_id, NULL);
        (*n)++;
    }
    return pp_tx_end(db, rc);
}

enum pp_err pp_wallet_refresh_all(struct pp_db *db, int64_t now, int64_t *n)
{
    *n = 0;
    /* Only those whose grant may have grown since: 18 or more without the 18 grant yet, or 17
     * or more with nothing (registered at 15-16). A 17-year-old who already has the 17 grant
     * waits for the 18th birthday instead of being refreshed every minute. Birth dates are
     * "YYYY-MM-DD", so they compare as text with the cut-off dates. */
    struct pp_local today;
    pp_tz_to_local("UTC", now, &today);
    char born_18[40], born_17[40];
    snprintf(born_18, sizeof born_18, "%04d-%02d-%02d", today.year - 18, today.month, today.day);
    snprintf(born_17, sizeof born_17, "%04d-%02d-%02d", today.year - 17, today.month, today.day);
    /* At most 512 a run: the next runs take the rest. */
    struct pp_arena *a = pp_arena_new();
    int64_t *ids;
    size_t k;
    enum pp_err rc = pp_scalar_ints(
        PP_BIND(db, "SELECT b.account_id FROM beneficiary b"
                    " JOIN wallet w ON w.account_id = b.account_id"
                    /* Below the 18 grant (the wallet_below_grant index): 18 or older, or
                     * 17 or older with nothing yet. */
                    " WHERE w.amount_cents < 15000 AND w.expires_at > ?"
                    " AND (b.birth_date <= ? OR (b.birth_date <= ? AND w.amount_cents = 0))"
                    " LIMIT 512",
                PP_INT(now), PP_TEXT(born_18), PP_TEXT(born_17)),
        a, &ids, &k);
    for (size_t i = 0; i < k && rc == PP_OK; i++)
        rc = top_up(db, ids[i], now, n);
    pp_arena_free(a);
    return rc;
}

enum pp_err pp_beneficiary_create(struct pp_db *db, struct pp_arena *arena, int64_t admin_id,
                                  const struct pp_beneficiary_new *in, int64_t *id,
                                  struct pp_wallet *wallet, struct pp_error *e)
{
    int y = 0, m = 0, d = 0;
    int64_t now = pp_clock_now();
    struct pp_credit c = {0};
    if (in->birth_date == NULL || !pp_clock_parse_date(in->birth_date, &y, &m, &d) ||
        in->birth_date[10] != '\0') {
        pp_error_set(e, PP_EVALIDATION, "birthDate",
                     "Veuillez renseigner une date de naissance valide (AAAA-MM-JJ).");
    } else {
        pp_credit_compute(y, m, d, now, now, in->social_bonus, &c);
        /* From the 21st birthday on, no account: the few hours of overseas margin of the
         * credit's expiry are for existing credits only. */
        if (!c.eligible || pp_age_at(y, m, d, now) > 20)
            pp_error_set(e, PP_EVALIDATION, "birthDate",
                         "Le pass Culture est ouvert aux jeunes de 15 à 20 ans.");
    }
    if (in->postal_code == NULL || !pp_postal_code_is_valid(in->postal_code))
        pp_error_set(e, PP_EVALIDATION, "postalCode", "Le code postal doit comporter 5 chiffres.");
    struct pp_account_new acc = {.email = in->email, .password = in->password,
                                 .first_name = in->first_name, .last_name = in->last_name,
                                 .phone = in->phone,
                                 .role = c.free_only ? "UNDERAGE" : "BENEFICIARY",
                                 .password_hash = in->password_hash};
    const char *email;
    pp_account_validate(arena, &acc, &email, e);
    if (e->count > 0)
        return PP_EVALIDATION;
    /* Argon2id takes ~70 ms: hashed before the write transaction, not while holding it. */
    char hash[PP_PASSWORD_HASH_MAX];
    if (acc.password_hash == NULL) {
        if (pp_account_hash(acc.password, hash) != PP_OK)
            return PP_EINTERNAL;
        acc.password_hash = hash;
    }
    if (pp_db_begin(db) != PP_OK)
        return PP_EDB;
    enum pp_err rc = pp_account_create(db, arena, &acc, id, e);
    if (rc == PP_OK) {
        rc = pp_row_exec(PP_BIND(
            db, "INSERT INTO beneficiary (account_id, birth_date, postal_code, social_bonus,"
                " registered_at) VALUES (?, ?, ?, ?, ?)",
            PP_INT(*id), PP_TEXT(in->birth_date), PP_TEXT(in->postal_code),
            PP_INT(in->social_bonus ? 1 : 0), PP_INT(now)));
    }
    if (rc == PP_OK) {
        rc = pp_row_exec(
            PP_BIND(db, "INSERT INTO wallet (account_id, amount_cents, expires_at) VALUES (?, ?, ?)",
                    PP_INT(*id), PP_INT(c.amount_cents), PP_INT(c.expires_at)));
    }
    if (rc == PP_OK)
        rc = pp_wallet_refresh(db, *id, now, wallet);
    if (rc == PP_OK)
        rc = pp_audit_log(db, admin_id, PP_CHANNEL_BACKOFFICE, "BENEFICIARY_CREATED", "account",
                          *id, NULL);
    return pp_tx_end(db, rc);
}

/* Replaces the personal data of beneficiary @account_id; its bookings stay, for the accounts. */
static enum pp_err anonymise_one(struct pp_db *db, int64_t account_id, int64_t now)
{
    char email[64];
    snprintf(email, sizeof email, "anonyme-%lld@anonyme.invalid", (long long)account_id);
    if (pp_db_begin(db) != PP_OK)
        return PP_EDB;
    /* "!" is no Argon2id hash: no password matches it, so nobody logs in any more. */
    enum pp_err rc = pp_row_exec(PP_BIND(db,
        "UPDATE account SET email = ?, first_name = 'Anonyme', last_name = 'Anonyme',"
        " phone = NULL, password_hash = '!' WHERE id = ?",
        PP_TEXT(email), PP_INT(account_id)));
    if (rc == PP_OK)
        rc = pp_row_exec(PP_BIND(db,
            "UPDATE beneficiary SET birth_date = SUBSTR(birth_date, 1, 4), postal_code = '',"
            " anonymised_at = ? WHERE account_id = ?",
            PP_INT(now), PP_INT(account_id)));
    if (rc == PP_OK)
        rc = pp_row_exec(PP_BIND(db, "DELETE FROM session WHERE account_id = ?",
                                 PP_INT(account_id)));
    if (rc == PP_OK)
        rc = pp_audit_log(db, 0, PP_CHANNEL_JOB, "BENEFICIARY_ANONYMISED", "account", account_id,
                          "durée de conservation échue");
    return pp_tx_end(db, rc);
}

enum pp_err pp_beneficiary_anonymise_stale(struct pp_db *db, int64_t now, int64_t retention,
                                           int64_t *n)
{
    *n = 0;
    int64_t cutoff = now - retention;
    /* At most 500 a run: the next runs take the rest. Activity: registration, last login,
     * last booking; and the credit must have expired (a live credit is the service itself). */
    struct pp_arena *a = pp_arena_new();
    int64_t *ids;
    size_t k;
    enum pp_err rc = pp_scalar_ints(
        PP_BIND(db, "SELECT b.account_id FROM beneficiary b"
                    " JOIN account a ON a.id = b.account_id"
                    " JOIN wallet w ON w.account_id = b.account_id"
                    " WHERE b.anonymised_at IS NULL AND b.registered_at <= ?"
                    " AND w.expires_at <= ?"
                    " AND (a.last_login_at IS NULL OR a.last_login_at <= ?)"
                    " AND NOT EXISTS (SELECT 1 FROM booking k WHERE k.account_id = b.account_id"
                    " AND k.created_at > ?)"
                    " LIMIT 500",
                PP_INT(cutoff), PP_INT(now), PP_INT(cutoff), PP_INT(cutoff)),
        a, &ids, &k);
    for (size_t i = 0; i < k && rc == PP_OK; i++) {
        rc = anonymise_one(db, ids[i], now);
        if (rc == PP_OK)
            (*n)++;
    }
    pp_arena_free(a);
    return rc;
}
