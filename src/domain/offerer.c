#include "domain/offerer.h"

#include <string.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/siret.h"
#include "core/venue_type.h"
#include "db/bind.h"
#include "db/db.h"
#include "db/row.h"
#include "db/tx.h"
#include "domain/audit.h"
#include "domain/outbox.h"
#include "domain/venue.h"

#define OFFERER_NAME_MAX 140

static bool is_local_authority_ape(const char *ape)
{
    return ape != NULL && (strcmp(ape, "84.11Z") == 0 || strcmp(ape, "8411Z") == 0);
}

#define OFFERER_COLUMNS                                                                           \
    "o.id, o.siren, o.name, o.street, o.postal_code, o.city, o.status, o.is_local_authority,"     \
    " o.created_at"

#define OFFERER_COLS                                                                              \
    PPC_INT(id), PPC_TEXT(siren), PPC_TEXT(name), PPC_TEXT(street), PPC_TEXT(postal_code),        \
        PPC_TEXT(city), PPC_TEXT_CODE(status, status_code, pp_validation_names),                  \
        PPC_I32(is_local_authority), PPC_INT(created_at)

static const struct pp_col offerer_cols[] = PP_COLS(struct pp_offerer, OFFERER_COLS);
static const struct pp_row_spec offerer_row = PP_ROW_SPEC(struct pp_offerer, offerer_cols, NULL);

/* An offerer in a member's list: with the member's attachment. */
static const struct pp_col member_offerer_cols[] = PP_COLS(struct pp_offerer, OFFERER_COLS,
    PPC_INT(attachment_id),
    PPC_TEXT_CODE(attachment_status, attachment_status_code, pp_validation_names));
static const struct pp_row_spec member_offerer_row =
    PP_ROW_SPEC(struct pp_offerer, member_offerer_cols, NULL);

static enum pp_err find_by_siren(struct pp_db *db, struct pp_arena *a, const char *siren,
                                 struct pp_offerer *out)
{
    return pp_row_fetch(PP_BIND(db, "SELECT " OFFERER_COLUMNS " FROM offerer o WHERE o.siren = ?",
                                PP_TEXT(siren)),
                        a, &offerer_row, out);
}

static enum pp_err insert_offerer(struct pp_db *db, const struct pp_offerer *o,
                                  const char *ape, int64_t *id)
{
    struct pp_stmt *st = PP_BIND(
        db, "INSERT INTO offerer (siren, name, street, postal_code, city, ape_code, status,"
            " is_local_authority, created_at) VALUES (?, ?, ?, ?, ?, ?, 'NEW', ?, ?) RETURNING id",
        PP_TEXT(o->siren), PP_TEXT(o->name), PP_TEXT(o->street), PP_TEXT(o->postal_code),
        PP_TEXT(o->city), PP_TEXT(ape), PP_INT(o->is_local_authority), PP_INT(o->created_at));
    return pp_row_returning(st, id);
}

/* An existing attachment of (account, offerer). */
struct attachment_row {
    int64_t id;
    const char *status;
    enum pp_validation code;
};

static const struct pp_col attachment_row_cols[] = PP_COLS(struct attachment_row,
    PPC_INT(id), PPC_TEXT_CODE(status, code, pp_validation_names));
static const struct pp_row_spec attachment_row =
    PP_ROW_SPEC(struct attachment_row, attachment_row_cols, NULL);

/* Inserts or revives the attachment of (account, offerer); PP_ECONFLICT when a live one exists. */
static enum pp_err attach(struct pp_db *db, struct pp_arena *a, int64_t account_id,
                          int64_t offerer_id, const char *status, int64_t now, int64_t *id)
{
    struct pp_stmt *st = PP_BIND(
        db, "SELECT id, status FROM user_offerer WHERE account_id = ? AND offerer_id = ?",
        PP_INT(account_id), PP_INT(offerer_id));
    struct attachment_row existing;
    enum pp_err rc = pp_row_fetch(st, a, &attachment_row, &existing);
    if (rc == PP_OK) {
        if (existing.code != PP_VALIDATION_REJECTED)
            return PP_ECONFLICT;
        /* A rejected request may be made again: it goes back to the back office. */
        st = PP_BIND(db, "UPDATE user_offerer SET status = ?, created_at = ?,"
                               " decided_at = NULL WHERE id = ?",
            PP_TEXT(status), PP_INT(now), PP_INT(existing.id));
        if (st == NULL)
            return PP_EDB;
        *id = existing.id;
        return pp_row_exec(st);
    }
    if (rc != PP_ENOTFOUND)
        return rc;
    st = PP_BIND(db, "INSERT INTO user_offerer (account_id, offerer_id, status, created_at)"
                           " VALUES (?, ?, ?, ?) RETURNING id",
        PP_INT(account_id), PP_INT(offerer_id), PP_TEXT(status), PP_INT(now));
    return pp_row_returning(st, id);
}

/*
 * The structure of SIREN @siren into *o: found, or created NEW from @in (*is_new then), with
 * its audit entry. Inside the registration's transaction.
 */
static enum pp_err find_or_create_offerer(struct pp_db *db, struct pp_arena *arena,
                                          int64_t account_id, const struct pp_offerer_signup *in,
                                          const char *siren, int64_t now, struct pp_offerer *o,
                                          bool *is_new, struct pp_error *e)
{
    enum pp_err rc = find_by_siren(db, arena, siren, o);
    *is_new = rc == PP_ENOTFOUND;
    if (!*is_new)
        return rc;
    memset(o, 0, sizeof *o);
    o->siren = pp_arena_strdup(arena, siren);
    o->name = in->name ? in->name : pp_arena_printf(arena, "Structure %s", siren);
    o->street = in->street;
    o->postal_code = in->postal_code;
    o->city = in->city;
    o->status_code = PP_VALIDATION_NEW;
    o->status = pp_validation_name(o->status_code);
    o->is_local_authority = is_local_authority_ape(in->ape_code);
    o->created_at = now;
    rc = insert_offerer(db, o, in->ape_code, &o->id);
    if (rc == PP_ECONFLICT) /* registered by someone else meanwhile */
        return pp_error_set(e, PP_ECONFLICT, "siret",
                            "Cette structure vient d'être créée ; veuillez réessayer.");
    if (rc != PP_OK)
        return rc;
    return pp_audit_log(db, account_id, PP_CHANNEL_PORTAL, "OFFERER_NEW", "offerer", o->id,
                        siren);
}

/*
 * The establishment of @siret into *venue_id: found, or created as a venue of structure @o.
 * Inside the registration's transaction.
 */
static enum pp_err find_or_create_venue(struct pp_db *db, struct pp_arena *arena,
                                        const struct pp_offerer *o, const char *account_email,
                                        const struct pp_offerer_signup *in, const char *siret,
                                        int64_t now, int64_t *venue_id)
{
    struct pp_venue found;
    enum pp_err rc = pp_venue_find_by_siret(db, arena, siret, &found);
    *venue_id = rc == PP_OK ? found.id : 0;
    if (rc != PP_ENOTFOUND)
        return rc;
    struct pp_venue v = {
        .offerer_id = o->id,
        .name = in->name ? in->name : o->name,
        .siret = siret,
        .street = in->street ? in->street : "",
        .postal_code = in->postal_code ? in->postal_code : "",
        .city = in->city ? in->city : "",
        .booking_email = account_email,
        .venue_type = "OTHER",
        .created_at = now,
    };
    /* Address fields may come later (venue settings): insert without the address checks. */
    return pp_venue_insert(db, &v, venue_id) == PP_OK ? PP_OK : PP_EDB;
}

static enum pp_err register_in_tx(struct pp_db *db, struct pp_arena *arena, int64_t account_id,
                                  const char *account_email, const struct pp_offerer_signup *in,
                                  const char *siret, struct pp_offerer_registration *out,
                                  struct pp_error *e)
{
    int64_t now = pp_clock_now();
    char siren[10];
    memcpy(siren, siret, 9);
    siren[9] = '\0';

    struct pp_offerer *o = &out->offerer;
    bool is_new;
    enum pp_err rc = find_or_create_offerer(db, arena, account_id, in, siren, now, o, &is_new, e);
    if (rc != PP_OK)
        return rc;

    out->attachment_status_code = is_new ? PP_VALIDATION_VALIDATED : PP_VALIDATION_NEW;
    out->attachment_status = pp_validation_name(out->attachment_status_code);
    rc = attach(db, arena, account_id, o->id, out->attachment_status, now, &out->attachment_id);
    if (rc == PP_ECONFLICT)
        return pp_error_set(e, PP_ECONFLICT, "siret",
                            "Votre compte est déjà rattaché à cette structure.");
    if (rc != PP_OK)
        return rc;
    if (!is_new && (rc = pp_audit_log(db, account_id, PP_CHANNEL_PORTAL, "USER_OFFERER_NEW",
                                      "offerer", o->id, NULL)) != PP_OK)
        return rc;

    rc = find_or_create_venue(db, arena, o, account_email, in, siret, now, &out->venue_id);
    if (rc != PP_OK)
        return rc;
    out->venue_siret = pp_arena_strdup(arena, siret);
    return PP_OK;
}

enum pp_err pp_offerer_register(struct pp_db *db, struct pp_arena *arena, int64_t account_id,
                                const char *account_email, const struct pp_offerer_signup *in,
                                struct pp_offerer_registration *out, struct pp_error *e)
{
    char siret[15];
    if (in->siret == NULL || !pp_siret_normalize(in->siret, siret, sizeof siret) ||
        !pp_siret_is_valid(siret))
        pp_error_set(e, PP_EVALIDATION, "siret",
                     "Le SIRET doit comporter 14 chiffres et être valide.");
    if (in->name != NULL && strlen(in->name) > OFFERER_NAME_MAX)
        pp_error_set(e, PP_EVALIDATION, "name",
                     "Le nom de la structure ne doit pas dépasser 140 caractères.");
    if (in->postal_code != NULL && !pp_postal_code_is_valid(in->postal_code))
        pp_error_set(e, PP_EVALIDATION, "postalCode", "Le code postal doit comporter 5 chiffres.");
    if (e->count > 0)
        return PP_EVALIDATION;

    if (pp_db_begin(db) != PP_OK)
        return PP_EDB;
    return pp_tx_end(db,
                     register_in_tx(db, arena, account_id, account_email, in, siret, out, e));
}

enum pp_err pp_offerer_list_for_account(struct pp_db *db, struct pp_arena *arena,
                                        int64_t account_id, struct pp_offerer **items,
                                        size_t *count)
{
    return PP_COLLECT(db, arena, &member_offerer_row, items, count,
        "SELECT " OFFERER_COLUMNS ", uo.id AS attachment_id, uo.status AS attachment_status"
        " FROM offerer o JOIN user_offerer uo ON uo.offerer_id = o.id WHERE uo.account_id = ?"
        " ORDER BY o.name, o.id",
        PP_INT(account_id));
}

enum pp_err pp_offerer_list_by_status(struct pp_db *db, struct pp_arena *arena,
                                      const char *status, int limit, struct pp_offerer **items,
                                      size_t *count)
{
    return PP_COLLECT(db, arena, &offerer_row, items, count,
        "SELECT " OFFERER_COLUMNS " FROM offerer o"
        " WHERE o.status = ? ORDER BY o.created_at, o.id LIMIT ?",
        PP_TEXT(status), PP_INT(limit));
}

enum pp_err pp_offerer_get(struct pp_db *db, struct pp_arena *arena, int64_t id,
                           struct pp_offerer *out)
{
    return PP_FETCH(db, arena, &offerer_row, out,
        "SELECT " OFFERER_COLUMNS " FROM offerer o WHERE o.id = ?",
        PP_INT(id));
}

/* Runs one UPDATE binding (status, time or NULL when 0, id); returns the rows changed or -1. */
static int64_t update_status(struct pp_db *db, const char *sql, const char *status, int64_t now,
                             int64_t id)
{
    struct pp_stmt *st = PP_BIND(db, sql, PP_TEXT(status), PP_INT_OR_NULL(now), PP_INT(id));
    if (st == NULL)
        return -1;
    int64_t n = pp_stmt_step(st) == PP_STEP_DONE ? pp_stmt_changes(st) : -1;
    pp_stmt_done(st);
    return n;
}

/* A member to tell of a decision on a structure. */
struct member_row {
    const char *email;
    const char *first_name;
    const char *offerer_name;
    const char *siren;
};

static const struct pp_col member_cols[] = PP_COLS(struct member_row,
    PPC_TEXT(email), PPC_TEXT(first_name), PPC_TEXT(offerer_name), PPC_TEXT(siren));
static const struct pp_row_spec member_row = PP_ROW_SPEC(struct member_row, member_cols, NULL);

/* Members of a structure: the SELECT of member_cols, from user_offerer uo. */
#define MEMBER_SELECT                                                                             \
    "SELECT a.email, a.first_name, o.name AS offerer_name, o.siren FROM user_offerer uo"          \
    " JOIN account a ON a.id = uo.account_id JOIN offerer o ON o.id = uo.offerer_id"

/*
 * Queues @kind to the members selected by @sql (MEMBER_SELECT and one id bind), inside the
 * caller's transaction.
 */
static enum pp_err queue_member_emails(struct pp_db *db, const char *kind, const char *sql,
                                       int64_t key)
{
    struct pp_arena *a = pp_arena_new();
    struct member_row *rows;
    size_t n;
    enum pp_err rc = PP_COLLECT(db, a, &member_row, &rows, &n, sql,
                                                               PP_INT(key));
    for (size_t i = 0; i < n && rc == PP_OK; i++)
        rc = pp_outbox_add(db, kind, rows[i].email, NULL,
                           json_pack("{s:s?, s:s?, s:s?}", "firstName", rows[i].first_name,
                                     "offererName", rows[i].offerer_name, "siren",
                                     rows[i].siren));
    pp_arena_free(a);
    return rc;
}

enum pp_err pp_offerer_decide(struct pp_db *db, int64_t admin_id, int64_t offerer_id,
                              bool validate, const char **new_status)
{
    const char *status = validate ? "VALIDATED" : "REJECTED";
    int64_t now = pp_clock_now();
    if (pp_db_begin(db) != PP_OK)
        return PP_EDB;
    /* validated_at records the last validation; a rejection clears it. */
    int64_t n = update_status(db, "UPDATE offerer SET status = ?, validated_at = ? WHERE id = ?",
                              status, validate ? now : 0, offerer_id);
    if (!validate && n > 0 &&
        update_status(db, "UPDATE user_offerer SET status = ?, decided_at = ?"
                          " WHERE offerer_id = ? AND status IN ('NEW', 'PENDING')",
                      "REJECTED", now, offerer_id) < 0)
        n = -1;
    enum pp_err rc = n < 0 ? PP_EDB : n == 0 ? PP_ENOTFOUND : PP_OK;
    if (rc == PP_OK &&
        pp_audit_log(db, admin_id, PP_CHANNEL_BACKOFFICE,
                     validate ? "OFFERER_VALIDATED" : "OFFERER_REJECTED", "offerer", offerer_id,
                     NULL) != PP_OK)
        rc = PP_EDB;
    /* Its members hear of the validation (mail issue). */
    if (rc == PP_OK && validate)
        rc = queue_member_emails(db, "OFFERER_VALIDATED",
                                 MEMBER_SELECT " WHERE uo.offerer_id = ?"
                                               " AND uo.status = 'VALIDATED' ORDER BY uo.id",
                                 offerer_id);
    if (rc == PP_OK)
        *new_status = status;
    return pp_tx_end(db, rc);
}

static const struct pp_col attachment_cols[] = PP_COLS(struct pp_attachment,
    PPC_INT(id), PPC_INT(account_id), PPC_TEXT(account_email), PPC_TEXT(account_name),
    PPC_INT(offerer_id), PPC_TEXT(offerer_name), PPC_TEXT(siren), PPC_TEXT(status),
    PPC_INT(created_at));
static const struct pp_row_spec attachment_list_row =
    PP_ROW_SPEC(struct pp_attachment, attachment_cols, NULL);

enum pp_err pp_attachment_list_by_status(struct pp_db *db, struct pp_arena *arena,
                                         const char *status, int limit,
                                         struct pp_attachment **items, size_t *count)
{
    return PP_COLLECT(db, arena, &attachment_list_row, items, count,
        "SELECT uo.id, a.id AS account_id, a.email AS account_email,"
        " a.first_name || ' ' || a.last_name AS account_name, o.id AS offerer_id,"
        " o.name AS offerer_name, o.siren, uo.status, uo.created_at FROM user_offerer uo"
        " JOIN account a ON a.id = uo.account_id JOIN offerer o ON o.id = uo.offerer_id"
        " WHERE uo.status = ? ORDER BY uo.created_at, uo.id LIMIT ?",
        PP_TEXT(status), PP_INT(limit));
}

enum pp_err pp_attachment_decide(struct pp_db *db, int64_t admin_id, int64_t attachment_id,
                                 bool validate, const char **new_status)
{
    const char *status = validate ? "VALIDATED" : "REJECTED";
    if (pp_db_begin(db) != PP_OK)
        return PP_EDB;
    int64_t n = update_status(db, "UPDATE user_offerer SET status = ?, decided_at = ? WHERE id = ?",
                              status, pp_clock_now(), attachment_id);
    enum pp_err rc = n < 0 ? PP_EDB : n == 0 ? PP_ENOTFOUND : PP_OK;
    if (rc == PP_OK)
        rc = pp_audit_log(db, admin_id, PP_CHANNEL_BACKOFFICE,
                          validate ? "USER_OFFERER_VALIDATED" : "USER_OFFERER_REJECTED",
                          "user_offerer", attachment_id, NULL);
    /* The member hears that the attachment is accepted (mail issue). */
    if (rc == PP_OK && validate)
        rc = queue_member_emails(db, "ATTACHMENT_VALIDATED", MEMBER_SELECT " WHERE uo.id = ?",
                                 attachment_id);
    if (rc == PP_OK)
        *new_status = status;
    return pp_tx_end(db, rc);
}
