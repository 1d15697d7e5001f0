#include "domain/account.h"

#include <arpa/inet.h>
#include <pthread.h>
#include <sodium.h>
#include <string.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/email.h"
#include "core/password.h"
#include "db/bind.h"
#include "db/db.h"
#include "db/row.h"
#include "db/tx.h"
#include "domain/session.h"
#include "domain/throttle.h"

#define NAME_MAX_LEN 128
#define PHONE_MAX_LEN 20

/* Phone: digits, spaces, dots, dashes and one leading '+': what a person types. */
static bool phone_is_valid(const char *p)
{
    size_t digits = 0;
    if (*p == '+')
        p++;
    for (; *p; p++) {
        if (*p >= '0' && *p <= '9')
            digits++;
        else if (*p != ' ' && *p != '.' && *p != '-')
            return false;
    }
    return digits >= 8 && digits <= 15;
}

static bool text_ok(const char *s, size_t max)
{
    return s != NULL && *s != '\0' && strlen(s) <= max;
}

void pp_account_validate(struct pp_arena *arena, const struct pp_account_new *in,
                         const char **normalized_email, struct pp_error *e)
{
    char *email = in->email ? pp_email_normalize(pp_arena_strdup(arena, in->email)) : NULL;
    if (email == NULL || !pp_email_is_valid(email))
        pp_error_set(e, PP_EVALIDATION, "email", "Veuillez renseigner une adresse email valide.");
    const char *pw_problem = in->password ? pp_password_check(in->password)
                                          : "Le mot de passe est obligatoire.";
    if (pw_problem != NULL)
        pp_error_set(e, PP_EVALIDATION, "password", pw_problem);
    if (!text_ok(in->first_name, NAME_MAX_LEN))
        pp_error_set(e, PP_EVALIDATION, "firstName", "Veuillez renseigner votre prénom.");
    if (!text_ok(in->last_name, NAME_MAX_LEN))
        pp_error_set(e, PP_EVALIDATION, "lastName", "Veuillez renseigner votre nom.");
    if (in->phone != NULL && (strlen(in->phone) > PHONE_MAX_LEN || !phone_is_valid(in->phone)))
        pp_error_set(e, PP_EVALIDATION, "phone",
                     "Veuillez renseigner un numéro de téléphone valide, par exemple 06 12 34 56 78.");
    *normalized_email = email;
}

enum pp_err pp_account_create(struct pp_db *db, struct pp_arena *arena,
                              const struct pp_account_new *in, int64_t *id, struct pp_error *e)
{
    const char *email;
    pp_account_validate(arena, in, &email, e);
    if (e->count > 0)
        return PP_EVALIDATION;

    char computed[PP_PASSWORD_HASH_MAX];
    const char *hash = in->password_hash;
    if (hash == NULL && pp_account_hash(in->password, computed) != PP_OK)
        return PP_EINTERNAL;
    if (hash == NULL)
        hash = computed;

    struct pp_stmt *st = PP_BIND(
        db, "INSERT INTO account (email, password_hash, first_name, last_name, phone, role,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        PP_TEXT(email), PP_TEXT(hash), PP_TEXT(in->first_name), PP_TEXT(in->last_name),
        PP_TEXT(in->phone), PP_TEXT(in->role), PP_INT(pp_clock_now()));
    enum pp_err rc = pp_row_returning(st, id);
    if (rc == PP_ECONFLICT)
        rc = pp_error_set(e, PP_ECONFLICT, "email",
                          "Un compte existe déjà avec cette adresse email.");
    return rc;
}

enum pp_err pp_account_hash(const char *password, char out[PP_PASSWORD_HASH_MAX])
{
    _Static_assert(PP_PASSWORD_HASH_MAX >= crypto_pwhash_STRBYTES, "room for the hash");
    return crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                             crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0
               ? PP_OK
               : PP_EINTERNAL;
}

static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy_hash(void)
{
    if (crypto_pwhash_str(dummy_hash, "passpro-dummy", 13, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        dummy_hash[0] = '\0';
}

/* An account as a login reads it: the user and the password hash to check. */
struct login_row {
    struct pp_user u;
    const char *password_hash;
};

static const struct pp_col login_cols[] = PP_COLS(struct login_row,
    PPC_INT_AS(u.id, "id"), PPC_TEXT_AS(u.email, "email"), PPC_TEXT_AS(u.first_name, "first_name"),
    PPC_TEXT_AS(u.last_name, "last_name"),
    PPC_TEXT_CODE_AS(u.role, "role", u.role_code, pp_role_names), PPC_TEXT(password_hash));
static const struct pp_row_spec login_row = PP_ROW_SPEC(struct login_row, login_cols, NULL);
/* The same columns but the hash: an account read for display never carries it. */
static const struct pp_row_spec user_row = {login_cols, 5, sizeof(struct login_row), NULL};

/* The address as throttling counts it: IPv4 as is, IPv6 by its /64 network (one subscriber
 * usually holds a whole /64, so counting single addresses would give each 2^64 budgets). */
static const char *address_group(struct pp_arena *a, const char *addr)
{
    unsigned char v6[16];
    char text[INET6_ADDRSTRLEN];
    if (addr == NULL || strchr(addr, ':') == NULL || inet_pton(AF_INET6, addr, v6) != 1)
        return addr ? addr : "";
    memset(v6 + 8, 0, 8);
    if (inet_ntop(AF_INET6, v6, text, sizeof text) == NULL)
        return addr;
    return pp_arena_printf(a, "%s/64", text);
}

/* Seconds a pair with @failures failures (@free_failures of them free) waits after its latest
 * one. */
static int64_t login_delay(int64_t failures, int64_t free_failures)
{
    if (failures < free_failures)
        return 0;
    int64_t delay = PP_LOGIN_FIRST_DELAY;
    for (int64_t n = free_failures; n < failures && delay < PP_LOGIN_MAX_DELAY; n++)
        delay *= 2;
    return delay < PP_LOGIN_MAX_DELAY ? delay : PP_LOGIN_MAX_DELAY;
}

/*
 * Claims the login attempt of @pair_key (recorded first, so that simultaneous attempts see each
 * other) and judges it against the pair's failures recorded before it. *@wait: 0 when it may
 * go on, else the seconds to wait (the claim is then withdrawn: a refused attempt does not
 * lengthen the wait). *@claim receives the attempt's event id.
 */
static enum pp_err login_claim(struct pp_db *db, const char *pair_key, const char *address_key,
                               int64_t now, int64_t *claim, int64_t *wait)
{
    int64_t since = now - PP_LOGIN_WINDOW, failures, latest, address_failures, unused;
    *wait = 0;
    if (pp_throttle_claim(db, pair_key, now, claim) != PP_OK ||
        pp_throttle_count(db, pair_key, since, *claim, &failures, &latest) != PP_OK ||
        pp_throttle_count(db, address_key, since, 0, &address_failures, &unused) != PP_OK)
        return PP_EDB;
    int64_t free_failures = address_failures >= PP_LOGIN_BUSY_ADDRESS
                                ? PP_LOGIN_FREE_FAILURES_BUSY
                                : PP_LOGIN_FREE_FAILURES;
    int64_t delay = login_delay(failures, free_failures);
    if (delay > 0 && now < latest + delay) {
        *wait = latest + delay - now;
        return pp_throttle_forget(db, pair_key, *claim);
    }
    return PP_OK;
}

/* "Trop de tentatives ... dans 2 minutes." for a wait of @seconds. */
static const char *wait_message(struct pp_arena *a, int64_t seconds)
{
    if (seconds < 60)
        return pp_arena_printf(a, "Trop de tentatives de connexion. Veuillez réessayer dans %lld "
                                  "seconde%s.",
                               (long long)seconds, seconds > 1 ? "s" : "");
    int64_t minutes = (seconds + 59) / 60;
    return pp_arena_printf(a, "Trop de tentatives de connexion. Veuillez réessayer dans %lld "
                              "minute%s.",
                           (long long)minutes, minutes > 1 ? "s" : "");
}

enum pp_err pp_account_authenticate(struct pp_db *db, struct pp_arena *arena, const char *email,
                                    const char *password, const char *client_addr,
                                    int64_t *retry_after, struct pp_user *out,
                                    struct pp_error *e)
{
    static const char bad_pair[] = "Identifiant ou mot de passe incorrect.";
    int64_t now = pp_clock_now();
    char *norm = pp_email_normalize(pp_arena_strdup(arena, email ? email : ""));
    const char *address = address_group(arena, client_addr);
    const char *pair_key = pp_arena_printf(arena, "login:%s|%s", norm, address);
    const char *address_key = pp_arena_printf(arena, "login-address:%s", address);
    int64_t claim, wait;
    if (login_claim(db, pair_key, address_key, now, &claim, &wait) != PP_OK)
        return PP_EDB;
    if (wait > 0) {
        if (retry_after != NULL)
            *retry_after = wait;
        return pp_error_set(e, PP_ERATE, "global", wait_message(arena, wait));
    }

    struct login_row r;
    enum pp_err rc = PP_FETCH(db, arena, &login_row, &r,
        "SELECT id, email, first_name, last_name, role, password_hash FROM account"
        " WHERE email = ?",
        PP_TEXT(norm));
    if (rc != PP_OK && rc != PP_ENOTFOUND)
        return rc;
    bool ok = false;
    size_t pwlen = password ? strlen(password) : 0;
    if (rc == PP_OK) {
        ok = pwlen > 0 && pwlen <= 256 &&
             crypto_pwhash_str_verify(r.password_hash, password, pwlen) == 0;
        if (ok)
            *out = r.u;
    } else {
        /* Same work for an unknown email, so that timing does not reveal which accounts exist. */
        pthread_once(&dummy_once, make_dummy_hash);
        if (dummy_hash[0] != '\0' && pwlen > 0 && pwlen <= 256 &&
            crypto_pwhash_str_verify(dummy_hash, password, pwlen) == 0)
            ok = false;
    }
    if (!ok) {
        /* The claim stays as the pair's failure; the address's count grows with it. */
        pp_throttle_record(db, address_key, now);
        return pp_error_set(e, PP_EUNAUTH, "global", bad_pair);
    }
    /* The person at this address knows the password: their earlier typos are forgotten. */
    pp_throttle_forget(db, pair_key, 0);
    return PP_OK;
}

enum pp_err pp_account_get(struct pp_db *db, struct pp_arena *arena, int64_t id,
                           struct pp_user *out)
{
    struct login_row r;
    enum pp_err rc = PP_FETCH(db, arena, &user_row, &r,
        "SELECT id, email, first_name, last_name, role FROM account WHERE id = ?",
        PP_INT(id));
    if (rc == PP_OK)
        *out = r.u;
    return rc;
}

enum pp_err pp_account_change_password(struct pp_db *db, struct pp_arena *arena, int64_t id,
                                       const char *current, const char *password,
                                       const char *keep_token, struct pp_error *e)
{
    struct login_row r;
    enum pp_err rc = PP_FETCH(db, arena, &login_row, &r,
        "SELECT id, email, first_name, last_name, role, password_hash FROM account WHERE id = ?",
        PP_INT(id));
    if (rc != PP_OK)
        return rc;
    size_t len = current ? strlen(current) : 0;
    if (len == 0 || len > 256 || crypto_pwhash_str_verify(r.password_hash, current, len) != 0)
        pp_error_set(e, PP_EVALIDATION, "currentPassword",
                     "Le mot de passe actuel est incorrect.");
    const char *problem = password && *password ? pp_password_check(password)
                                                : "Veuillez renseigner un nouveau mot de passe.";
    if (problem != NULL)
        pp_error_set(e, PP_EVALIDATION, "newPassword", problem);
    if (e->count > 0)
        return PP_EVALIDATION;
    char hash[PP_PASSWORD_HASH_MAX];
    if (pp_account_hash(password, hash) != PP_OK)
        return PP_EINTERNAL;
    if (pp_db_begin(db) != PP_OK)
        return PP_EDB;
    rc = pp_row_exec(PP_BIND(db, "UPDATE account SET password_hash = ? WHERE id = ?",
                             PP_TEXT(hash), PP_INT(id)));
    if (rc == PP_OK)
        rc = pp_session_end_all(db, id, keep_token, NULL);
    return pp_tx_end(db, rc);
}
