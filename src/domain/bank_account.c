#include "domain/bank_account.h"

#include <jansson.h>
#include <string.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/iban.h"
#include "core/utf8.h"
#include "db/db.h"
#include "db/row.h"
#include "db/tx.h"
#include "domain/audit.h"
#include "domain/notify.h"

enum pp_err pp_bank_account_create(struct pp_db *db, int64_t author_id, int64_t offerer_id,
                                   const char *label, const char *iban, int64_t *id,
                                   struct pp_error *e)
{
    char norm[PP_IBAN_MAX];
    if (label == NULL || *label == '\0')
        pp_error_set(e, PP_EVALIDATION, "label", "Veuillez donner un intitulé au compte bancaire.");
    else if (pp_utf8_chars(label) > PP_BANK_LABEL_MAX)
        pp_error_set(e, PP_EVALIDATION, "label",
                     "L'intitulé du compte bancaire ne doit pas dépasser 100 caractères.");
    if (iban == NULL || !pp_iban_normalize(iban, norm) || !pp_iban_is_valid(norm))
        pp_error_set(e, PP_EVALIDATION, "iban",
                     "L'IBAN n'est pas valide : vérifiez le code pays, la longueur et les "
                     "chiffres (exemple : FR76 3000 6000 0112 3456 7890 189).");
    if (e->count > 0)
        return PP_EVALIDATION;
    if (pp_db_begin(db) != PP_OK)
        return PP_EDB;
    struct pp_stmt *st = pp_db_prepare(
        db, "INSERT INTO bank_account (offerer_id, label, iban, created_at) VALUES (?, ?, ?, ?)"
            " RETURNING id");
    enum pp_err rc = PP_EDB;
    if (st != NULL) {
        pp_stmt_bind_int(st, 1, offerer_id);
        pp_stmt_bind_text(st, 2, label);
        pp_stmt_bind_text(st, 3, norm);
        pp_stmt_bind_int(st, 4, pp_clock_now());
        if (pp_stmt_step(st) == PP_STEP_ROW) {
            *id = pp_stmt_int(st, 0);
            rc = PP_OK;
        }
        pp_stmt_done(st);
    }
    if (rc == PP_OK)
        rc = pp_audit_log(db, author_id, PP_CHANNEL_PORTAL, "bank_account.create",
                          "bank_account", *id, label);
    return pp_tx_end(db, rc);
}

#define ACCOUNT_COLUMNS                                                                           \
    "b.id AS id, b.offerer_id AS offerer_id, b.label AS label, b.iban AS iban,"                   \
    " b.status AS status, b.created_at AS created_at, COALESCE(b.decided_at, 0) AS decided_at,"   \
    " o.name AS offerer_name FROM bank_account b JOIN offerer o ON o.id = b.offerer_id"

static const struct pp_col account_cols[] = PP_COLS(struct pp_bank_account,
    PPC_INT(id), PPC_INT(offerer_id), PPC_TEXT(label), PPC_TEXT(iban),
    PPC_TEXT_CODE(status, status_code, pp_bank_status_names), PPC_INT(created_at), PPC_INT(decided_at), PPC_TEXT(offerer_name));
static const struct pp_row_spec account_row =
    PP_ROW_SPEC(struct pp_bank_account, account_cols, NULL);

struct venue_id {
    int64_t id;
};
static const struct pp_col venue_id_cols[] = PP_COLS(struct venue_id, PPC_INT_AS(id, "venue_id"));
static const struct pp_row_spec venue_id_row = PP_ROW_SPEC(struct venue_id, venue_id_cols, NULL);

/* The venues linked to @acc now. */
static enum pp_err load_venues(struct pp_db *db, struct pp_arena *a, struct pp_bank_account *acc)
{
    struct venue_id *ids;
    enum pp_err rc = PP_COLLECT(db, a, &venue_id_row, &ids, &acc->nvenues,
        "SELECT venue_id FROM venue_bank_account_link"
        " WHERE bank_account_id = ? AND ends_at IS NULL ORDER BY venue_id",
        PP_INT(acc->id));
    /* struct venue_id is one int64_t: the array is an int64_t array. */
    acc->venue_ids = (int64_t *)ids;
    return rc;
}

enum pp_err pp_bank_account_get(struct pp_db *db, struct pp_arena *arena, int64_t id,
                                struct pp_bank_account *out)
{
    enum pp_err rc = PP_FETCH(db, arena, &account_row, out,
        "SELECT " ACCOUNT_COLUMNS " WHERE b.id = ?", PP_INT(id));
    return rc == PP_OK ? load_venues(db, arena, out) : rc;
}

enum pp_err pp_bank_account_list(struct pp_db *db, struct pp_arena *arena, int64_t offerer_id,
                                 const char *status, struct pp_bank_account **items,
                                 size_t *count)
{
    enum pp_err rc = PP_COLLECT(db, arena, &account_row, items, count,
        "SELECT " ACCOUNT_COLUMNS " WHERE (? = 0 OR b.offerer_id = ?)"
        " AND (? IS NULL OR b.status = ?) ORDER BY b.created_at DESC, b.id DESC",
        PP_INT(offerer_id), PP_INT(offerer_id), PP_TEXT(status), PP_TEXT(status));
    for (size_t i = 0; i < *count && rc == PP_OK; i++)
        rc = load_venues(db, arena, &(*items)[i]);
    return rc;
}

static enum pp_err mail_accepted(struct pp_db *db, int64_t id)
{
    struct pp_arena *a = pp_arena_new();
    struct pp_bank_account acc;
    enum pp_err rc = pp_bank_account_get(db, a, id, &acc);
    if (rc == PP_OK) {
        size_t n = strlen(acc.iban);
        json_t *payload = json_pack("{s:s, s:s, s:s}", "offererName", acc.offerer_name, "label",
                                    acc.label, "ibanEnd", acc.iban + (n > 4 ? n - 4 : 0));
        rc = pp_notify_members(db, acc.offerer_id, "BANK_ACCOUNT_ACCEPTED", payload);
    }
    pp_arena_free(a);
    return rc;
}

enum pp_err pp_bank_account_decide(struct pp_db *db, int64_t admin_id, int64_t id, bool accept)
{
    if (pp_db_begin(db) != PP_OK)
        return PP_EDB;
    enum pp_err rc = PP_UPDATE_ONE(
        db, "SELECT 1 FROM bank_account WHERE id = ?", id,
        "UPDATE bank_account SET status = ?, decided_at = ? WHERE id = ? AND status = 'DRAFT'",
        PP_TEXT(accept ? "ACCEPTED" : "REFUSED"), PP_INT(pp_clock_now()), PP_INT(id));
    if (rc == PP_OK && accept)
        rc = mail_accepted(db, id);
    if (rc == PP_OK)
        rc = pp_audit_log(db, admin_id, PP_CHANNEL_BACKOFFICE,
                          accept ? "bank_account.accept" : "bank_account.refuse", "bank_account",
                          id, NULL);
    return pp_tx_end(db, rc);
}

/* Why venue @venue_id cannot be linked to account @acc, or NULL when it can. */
static enum pp_err check_venue(struct pp_db *db, const struct pp_bank_account *acc,
                               int64_t venue_id, struct pp_error *e)
{
    int64_t offerer_id = 0, other = 0;
    enum pp_err rc = pp_db_query_int(db, &offerer_id, "SELECT offerer_id FROM venue WHERE id = ?",
                                     1, venue_id);
    if (rc == PP_ENOTFOUND || (rc == PP_OK && offerer_id != acc->offerer_id))
        return pp_error_set(e, PP_EVALIDATION, "venueIds",
                            "Un des lieux choisis n'appartient pas à la structure de ce compte "
                            "bancaire.");
    if (rc != PP_OK)
        return rc;
    rc = pp_db_query_int(db, &other,
                         "SELECT bank_account_id FROM venue_bank_account_link"
                         " WHERE venue_id = ? AND ends_at IS NULL AND bank_account_id <> ?",
                         2, venue_id, acc->id);
    if (rc == PP_OK)
        return pp_error_set(e, PP_EVALIDATION, "venueIds",
                            "Un ou plusieurs lieux sélectionnés sont déjà rattachés à un autre "
                            "compte bancaire : détachez-les d'abord de ce compte.");
    return rc == PP_ENOTFOUND ? PP_OK : rc;
}

static bool listed(const int64_t *ids, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (ids[i] == id)
            return true;
    return false;
}

static enum pp_err link_venue(struct pp_db *db, int64_t account_id, int64_t venue_id, int64_t now)
{
    struct pp_stmt *st = PP_BIND(
        db, "INSERT INTO venue_bank_account_link (venue_id, bank_account_id, starts_at)"
            " VALUES (?, ?, ?)",
            PP_INT(venue_id), PP_INT(account_id), PP_INT(now));
    return pp_row_exec(st);
}

static enum pp_err unlink_venue(struct pp_db *db, int64_t account_id, int64_t venue_id,
                                int64_t now)
{
    struct pp_stmt *st = PP_BIND(
        db, "UPDATE venue_bank_account_link SET ends_at = ?"
            " WHERE venue_id = ? AND bank_account_id = ? AND ends_at IS NULL",
            PP_INT(now), PP_INT(venue_id), PP_INT(account_id));
    return pp_row_exec(st);
}

static enum pp_err relink(struct pp_db *db, struct pp_arena *a, int64_t id,
                          const int64_t *venue_ids, size_t n, struct pp_error *e)
{
    struct pp_bank_account acc;
    enum pp_err rc = pp_bank_account_get(db, a, id, &acc);
    if (rc != PP_OK)
        return rc;
    if (acc.status_code == PP_BANK_REFUSED)
        return pp_error_set(e, PP_EVALIDATION, "venueIds",
                            "Ce compte bancaire a été refusé : ajoutez un autre compte.");
    for (size_t i = 0; i < n && rc == PP_OK; i++)
        rc = check_venue(db, &acc, venue_ids[i], e);
    int64_t now = pp_clock_now();
    for (size_t i = 0; i < acc.nvenues && rc == PP_OK; i++)
        if (!listed(venue_ids, n, acc.venue_ids[i]))
            rc = unlink_venue(db, id, acc.venue_ids[i], now);
    for (size_t i = 0; i < n && rc == PP_OK; i++)
        if (!listed(acc.venue_ids, acc.nvenues, venue_ids[i]) && !listed(venue_ids, i, venue_ids[i]))
            rc = link_venue(db, id, venue_ids[i], now);
    return rc;
}

enum pp_err pp_bank_account_link_venues(struct pp_db *db, int64_t author_id, int64_t id,
                                        const int64_t *venue_ids, size_t n, struct pp_error *e)
{
    struct pp_arena *a = pp_arena_new();
    enum pp_err rc = pp_db_begin(db);
    if (rc == PP_OK)
        rc = relink(db, a, id, venue_ids, n, e);
    if (rc == PP_OK) {
        char *detail = pp_arena_printf(a, "%zu lieu(x)", n);
        rc = pp_audit_log(db, author_id, PP_CHANNEL_PORTAL, "bank_account.link_venues",
                          "bank_account", id, detail);
    }
    rc = pp_tx_end(db, rc);
    pp_arena_free(a);
    return rc;
}
