#include "domain/offerer.h"

#include <string.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/siret.h"
#include "core/venue_type.h"
#include "db/db.h"
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

static void read_offerer(struct pp_stmt *st, struct pp_arena *a, struct pp_offerer *o)
{
    memset(o, 0, sizeof *o);
    o->id = pp_stmt_int(st, 0);
    o->siren = pp_arena_strdup(a, pp_stmt_text(st, 1));
    o->name = pp_arena_strdup(a, pp_stmt_text(st, 2));
    o->street = pp_arena_strdup(a, pp_stmt_text(st, 3));
    o->postal_code = pp_arena_strdup(a, pp_stmt_text(st, 4));
    o->city = pp_arena_strdup(a, pp_stmt_text(st, 5));
    o->status = pp_arena_strdup(a, pp_stmt_text(st, 6));
    o->is_local_authority = (int)pp_stmt_int(st, 7);
    o->created_at = pp_stmt_int(st, 8);
}

static enum pp_err find_by_siren(struct pp_db *db, struct pp_arena *a, const char *siren,
                                 struct pp_offerer *out)
{
    struct pp_stmt *st =
        pp_db_prepare(db, "SELECT " OFFERER_COLUMNS " FROM offerer o WHERE o.siren = ?");
    if (st == NULL)
        return PP_EDB;
    pp_stmt_bind_text(st, 1, siren);
    enum pp_step s = pp_stmt_step(st);
    if (s == PP_STEP_ROW)
        read_offerer(st, a, out);
    pp_stmt_done(st);
    return s == PP_STEP_ROW ? PP_OK : s == PP_STEP_DONE ? PP_ENOTFOUND : PP_EDB;
}

static enum pp_err insert_offerer(struct pp_db *db, const struct pp_offerer *o,
                                  const char *ape, int64_t *id)
{
    struct pp_stmt *st = pp_db_prepare(
        db, "INSERT INTO offerer (siren, name, street, postal_code, city, ape_code, status,"
            " is_local_authority, created_at) VALUES (?, ?, ?, ?, ?, ?, 'NEW', ?, ?) RETURNING id");
    if (st == NULL)
        return PP_EDB;
    pp_stmt_bind_text(st, 1, o->siren);
    pp_stmt_bind_text(st, 2, o->name);
    pp_stmt_bind_text(st, 3, o->street);
    pp_stmt_bind_text(st, 4, o->postal_code);
    pp_stmt_bind_text(st, 5, o->city);
    pp_stmt_bind_text(st, 6, ape);
    pp_stmt_bind_int(st, 7, o->is_local_authority);
    pp_stmt_bind_int(st, 8, o->created_at);
    enum pp_step s = pp_stmt_step(st);
    if (s == PP_STEP_ROW)
        *id = pp_stmt_int(st, 0);
    bool dup = s != PP_STEP_ROW && pp_db_is_unique(db);
    pp_stmt_done(st);
    return s == PP_STEP_ROW ? PP_OK : dup ? PP_ECONFLICT : PP_EDB;
}

/* Inserts or revives the attachment of (account, offerer); PP_ECONFLICT when a live one exists. */
static enum pp_err attach(struct pp_db *db, int64_t account_id, int64_t offerer_id,
                          const char *status, int64_t now, int64_t *id)
{
    struct pp_stmt *st = pp_db_prepare(
        db, "SELECT id, status FROM user_offerer WHERE account_id = ? AND offerer_id = ?");
    if (st == NULL)
        return PP_EDB;
    pp_stmt_bind_int(st, 1, account_id);
    pp_stmt_bind_int(st, 2, offerer_id);
    enum pp_step s = pp_stmt_step(st);
    int64_t existing = 0;
    bool rejected = false;
    if (s == PP_STEP_ROW) {
        existing = pp_stmt_int(st, 0);
        rejected = strcmp(pp_stmt_text(st, 1), "REJECTED") == 0;
    }
    pp_stmt_done(st);
    if (s == PP_STEP_ERROR)
        return PP_EDB;
    if (existing != 0 && !rejected)
        return PP_ECONFLICT;
    if (existing != 0) {
        /* A rejected request may be made again: it goes back to the back office. */
        st = pp_db_prepare(db, "UPDATE user_offerer SET status = ?, created_at = ?,"
                               " decided_at = NULL WHERE id = ?");
        if (st == NULL)
            return PP_EDB;
        pp_stmt_bind_text(st, 1, status);
        pp_stmt_bind_int(st, 2, now);
        pp_stmt_bind_int(st, 3, existing);
        s = pp_stmt_step(st);
        pp_stmt_done(st);
        *id = existing;
        return s == PP_STEP_DONE ? PP_OK : PP_EDB;
    }
    st = pp_db_prepare(db, "INSERT INTO user_offerer (account_id, offerer_id, status, created_at)"
                           " VALUES (?, ?, ?, ?) RETURNING id");
    if (st == NULL)
        return PP_EDB;
    pp_stmt_bind_int(st, 1, account_id);
    pp_stmt_bind_int(st, 2, offerer_id);
    pp_stmt_bind_text(st, 3, status);
    pp_stmt_bind_int(st, 4, now);
    s = pp_stmt_step(st);
    if (s == PP_STEP_ROW)
        *id = pp_stmt_int(st, 0);
    pp_stmt_done(st);
    return s == PP_STEP_ROW ? PP_OK : PP_EDB;
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
    enum pp_err rc = find_by_siren(db, arena, siren, o);
    bool is_new = rc == PP_ENOTFOUND;
    if (rc != PP_OK && !is_new)
        return rc;

    if (is_new) {
        memset(o, 0, sizeof *o);
        o->siren = pp_arena_strdup(arena, siren);
        o->name = in->name ? in->name : pp_arena_printf(arena, "Structure %s", siren);
        o->street = in->street;
        o->postal_code = in->postal_code;
        o->city = in->city;
        o->status = "NEW";
        o->is_local_authority = is_local_authority_ape(in->ape_code);
        o->created_at = now;
        rc = insert_offerer(db, o, in->ape_code, &o->id);
        if (rc == PP_ECONFLICT) /* registered by someone else meanwhile */
            return pp_error_set(e, PP_ECONFLICT, "siret",
                                "Cette structure vient d'être créée ; veuillez réessayer.");
        if (rc != PP_OK)
            return rc;
        if ((rc = pp_audit_log(db, account_id, PP_CHANNEL_PORTAL, "OFFERER_NEW", "offerer",
                               o->id, siren)) != PP_OK)
            return rc;
    }

    out->attachment_status = is_new ? "VALIDATED" : "NEW";
    rc = attach(db, account_id, o->id, out->attachment_status, now, &out->attachment_id);
    if (rc == PP_ECONFLICT)
        return pp_error_set(e, PP_ECONFLICT, "siret",
                            "Votre compte est déjà rattaché à cette structure.");
    if (rc != PP_OK)
        return rc;
    if (!is_new && (rc = pp_audit_log(db, account_id, PP_CHANNEL_PORTAL, "USER_OFFERER_NEW",
                                      "offerer", o->id, NULL)) != PP_OK)
        return rc;

    /* The establishment of that SIRET: found, or created as a venue of the structure. */
    int64_t venue_id = 0;
    struct pp_stmt *st = pp_db_prepare(db, "SELECT id FROM venue WHERE siret = ?");
    if (st == NULL)
        return PP_EDB;
    pp_stmt_bind_text(st, 1, siret);
    enum pp_step s = pp_stmt_step(st);
    if (s == PP_STEP_ROW)
        venue_id = pp_stmt_int(st, 0);
    pp_stmt_done(st);
    if (s == PP_STEP_ERROR)
        return PP_EDB;
    if (venue_id == 0) {
        struct pp_venue v = {
            .offerer_id = o->id,
            .name = in->name ? in->name : o->name,
            .siret = siret,
            .street = in->street ? in->street : "",
            .postal_code = in->postal_code ? in->postal_code : "",
            .city = in->city ? in->city : "",
            .booking_email = account_email,
            .venue_type = "OTHER",
        };
        /* Address fields may come later (venue settings): insert without the address checks. */
        st = pp_db_prepare(
            db, "INSERT INTO venue (offerer_id, name, siret, street, postal_code, city,"
                " booking_email, venue_type, timezone, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
        if (st == NULL)
            return PP_EDB;
        pp_stmt_bind_int(st, 1, v.offerer_id);
        pp_stmt_bind_text(st, 2, v.name);
        pp_stmt_bind_text(st, 3, v.siret);
        pp_stmt_bind_text(st, 4, v.street);
        pp_stmt_bind_text(st, 5, v.postal_code);
        pp_stmt_bind_text(st, 6, v.city);
        pp_stmt_bind_text(st, 7, v.booking_email);
        pp_stmt_bind_text(st, 8, v.venue_type);
        pp_stmt_bind_text(st, 9, pp_timezone_for_postal_code(v.postal_code));
        pp_stmt_bind_int(st, 10, now);
        s = pp_stmt_step(st);
        if (s == PP_STEP_ROW)
            venue_id = pp_stmt_int(st, 0);
        pp_stmt_done(st);
        if (s != PP_STEP_ROW)
            return PP_EDB;
    }
    out->venue_id = venue_id;
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
    enum pp_err rc = register_in_tx(db, arena, account_id, account_email, in, siret, out, e);
    if (rc != PP_OK) {
        pp_db_rollback(db);
        return rc;
    }
    return pp_db_commit(db);
}

enum pp_err pp_offerer_list_for_account(struct pp_db *db, struct pp_arena *arena,
                                        int64_t account_id, struct pp_offerer **items,
                                        size_t *count)
{
    struct pp_stmt *st = pp_db_prepare(
        db, "SELECT " OFFERER_COLUMNS ", uo.id, uo.status FROM offerer o"
            " JOIN user_offerer uo ON uo.offerer_id = o.id WHERE uo.account_id = ?"
            " ORDER BY o.name, o.id");
    if (st == NULL)
        return PP_EDB;
    pp_stmt_bind_int(st, 1, account_id);
    size_t n = 0, cap = 0;
    struct pp_offerer *out = NULL;
    enum pp_step s;
    while ((s = pp_stmt_step(st)) == PP_STEP_ROW) {
        out = pp_arena_grow(arena, out, n, &cap, sizeof *out);
        read_offerer(st, arena, &out[n]);
        out[n].attachment_id = pp_stmt_int(st, 9);
        out[n].attachment_status = pp_arena_strdup(arena, pp_stmt_text(st, 10));
        n++;
    }
    pp_stmt_done(st);
    *items = out;
    *count = n;
    return s == PP_STEP_DONE ? PP_OK : PP_EDB;
}

enum pp_err pp_offerer_list_by_status(struct pp_db *db, struct pp_arena *arena,
                                      const char *status, int limit, struct pp_offerer **items,
                                      size_t *count)
{
    struct pp_stmt *st = pp_db_prepare(db, "SELECT " OFFERER_COLUMNS " FROM offerer o"
                                           " WHERE o.status = ? ORDER BY o.created_at, o.id LIMIT ?");
    if (st == NULL)
        return PP_EDB;
    pp_stmt_bind_text(st, 1, status);
    pp_stmt_bind_int(st, 2, limit);
    size_t n = 0, cap = 0;
    struct pp_offerer *out = NULL;
    enum pp_step s;
    while ((s = pp_stmt_step(st)) == PP_STEP_ROW) {
        out = pp_arena_grow(arena, out, n, &cap, sizeof *out);
        read_offerer(st, arena, &out[n++]);
    }
    pp_stmt_done(st);
    *items = out;
    *count = n;
    return s == PP_STEP_DONE ? PP_OK : PP_EDB;
}

enum pp_err pp_offerer_get(struct pp_db *db, struct pp_arena *arena, int64_t id,
                           struct pp_offerer *out)
{
    struct pp_stmt *st = pp_db_prepare(db, "SELECT " OFFERER_COLUMNS " FROM offerer o WHERE o.id = ?");
    if (st == NULL)
        return PP_EDB;
    pp_stmt_bind_int(st, 1, id);
    enum pp_step s = pp_stmt_step(st);
    if (s == PP_STEP_ROW)
        read_offerer(st, arena, out);
    pp_stmt_done(st);
    return s == PP_STEP_ROW ? PP_OK : s == PP_STEP_DONE ? PP_ENOTFOUND : PP_EDB;
}

/* Runs one UPDATE binding (status, time or NULL when 0, id); returns the rows changed or -1. */
static int64_t update_status(struct pp_db *db, const char *sql, const char *status, int64_t now,
                             int64_t id)
{
    struct pp_stmt *st = pp_db_prepare(db, sql);
    if (st == NULL)
        return -1;
    pp_stmt_bind_text(st, 1, status);
    if (now != 0)
        pp_stmt_bind_int(st, 2, now);
    else
        pp_stmt_bind_null(st, 2);
    pp_stmt_bind_int(st, 3, id);
    int64_t n = pp_stmt_step(st) == PP_STEP_DONE ? pp_stmt_changes(st) : -1;
    pp_stmt_done(st);
    return n;
}

/*
 * Queues @kind to the members selected by @sql (one id bind: rows of email, first name,
 * structure name, SIREN), inside the caller's transaction.
 */
static enum pp_err queue_member_emails(struct pp_db *db, const char *kind, const char *sql,
                                       int64_t key)
{
    struct pp_arena *a = pp_arena_new();
    struct pp_stmt *st = pp_db_prepare(db, sql);
    if (st == NULL) {
        pp_arena_free(a);
        return PP_EDB;
    }
    pp_stmt_bind_int(st, 1, key);
    size_t n = 0, cap = 0;
    const char **rows = NULL; /* 4 strings per member */
    enum pp_step s;
    while ((s = pp_stmt_step(st)) == PP_STEP_ROW) {
        rows = pp_arena_grow(a, rows, n, &cap, 4 * sizeof *rows);
        for (int i = 0; i < 4; i++)
            rows[4 * n + (size_t)i] = pp_arena_strdup(a, pp_stmt_text(st, i));
        n++;
    }
    pp_stmt_done(st);
    enum pp_err rc = s == PP_STEP_DONE ? PP_OK : PP_EDB;
    for (size_t i = 0; i < n && rc == PP_OK; i++)
        rc = pp_outbox_add(db, kind, rows[4 * i], NULL,
                           json_pack("{s:s?, s:s?, s:s?}", "firstName", rows[4 * i + 1],
                                     "offererName", rows[4 * i + 2], "siren", rows[4 * i + 3]));
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
    if (n < 0) {
        pp_db_rollback(db);
        return PP_EDB;
    }
    if (n == 0) {
        pp_db_rollback(db);
        return PP_ENOTFOUND;
    }
    if (pp_audit_log(db, admin_id, PP_CHANNEL_BACKOFFICE,
                     validate ? "OFFERER_VALIDATED" : "OFFERER_REJECTED", "offerer", offerer_id,
                     NULL) != PP_OK) {
        pp_db_rollback(db);
        return PP_EDB;
    }
    /* Its members hear of the validation (mail issue). */
    enum pp_err mrc =
        validate ? queue_member_emails(
                       db, "OFFERER_VALIDATED",
                       "SELECT a.email, a.first_name, o.name, o.siren FROM user_offerer uo"
                       " JOIN account a ON a.id = uo.account_id JOIN offerer o ON o.id ="
                       " uo.offerer_id WHERE uo.offerer_id = ? AND uo.status = 'VALIDATED'"
                       " ORDER BY uo.id",
                       offerer_id)
                 : PP_OK;
    if (mrc != PP_OK) {
        pp_db_rollback(db);
        return mrc;
    }
    *new_status = status;
    return pp_db_commit(db);
}

enum pp_err pp_attachment_list_by_status(struct pp_db *db, struct pp_arena *arena,
                                         const char *status, int limit,
                                         struct pp_attachment **items, size_t *count)
{
    struct pp_stmt *st = pp_db_prepare(
        db, "SELECT uo.id, a.id, a.email, a.first_name || ' ' || a.last_name, o.id, o.name,"
            " o.siren, uo.status, uo.created_at FROM user_offerer uo"
            " JOIN account a ON a.id = uo.account_id JOIN offerer o ON o.id = uo.offerer_id"
            " WHERE uo.status = ? ORDER BY uo.created_at, uo.id LIMIT ?");
    if (st == NULL)
        return PP_EDB;
    pp_stmt_bind_text(st, 1, status);
    pp_stmt_bind_int(st, 2, limit);
    size_t n = 0, cap = 0;
    struct pp_attachment *out = NULL;
    enum pp_step s;
    while ((s = pp_stmt_step(st)) == PP_STEP_ROW) {
        out = pp_arena_grow(arena, out, n, &cap, sizeof *out);
        struct pp_attachment *at = &out[n++];
        at->id = pp_stmt_int(st, 0);
        at->account_id = pp_stmt_int(st, 1);
        at->account_email = pp_arena_strdup(arena, pp_stmt_text(st, 2));
        at->account_name = pp_arena_strdup(arena, pp_stmt_text(st, 3));
        at->offerer_id = pp_stmt_int(st, 4);
        at->offerer_name = pp_arena_strdup(arena, pp_stmt_text(st, 5));
        at->siren = pp_arena_strdup(arena, pp_stmt_text(st, 6));
        at->status = pp_arena_strdup(arena, pp_stmt_text(st, 7));
        at->created_at = pp_stmt_int(st, 8);
    }
    pp_stmt_done(st);
    *items = out;
    *count = n;
    return s == PP_STEP_DONE ? PP_OK : PP_EDB;
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
        rc = queue_member_emails(
            db, "ATTACHMENT_VALIDATED",
            "SELECT a.email, a.first_name, o.name, o.siren FROM user_offerer uo"
            " JOIN account a ON a.id = uo.account_id JOIN offerer o ON o.id = uo.offerer_id"
            " WHERE uo.id = ?",
            attachment_id);
    if (rc != PP_OK) {
        pp_db_rollback(db);
        return rc;
    }
    *new_status = status;
    return pp_db_commit(db);
}
