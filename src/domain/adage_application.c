#include "domain/adage_application.h"

#include <jansson.h>
#include <string.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/email.h"
#include "core/strlist.h"
#include "core/utf8.h"
#include "db/db.h"
#include "db/row.h"
#include "db/tx.h"
#include "domain/audit.h"
#include "domain/collective_policy.h"
#include "domain/notify.h"
#include "domain/offerer.h"

enum pp_err pp_adage_offerer_allowed(struct pp_db *db, int64_t offerer_id, bool *allowed)
{
    int64_t v = 0;
    enum pp_err rc = pp_db_query_int(db, &v, "SELECT allowed_on_adage FROM offerer WHERE id = ?",
                                     1, offerer_id);
    *allowed = v != 0;
    return rc;
}

static void check_input(const struct pp_adage_application_input *in, struct pp_error *e)
{
    if (in->contact_email == NULL || !pp_email_is_valid(in->contact_email))
        pp_error_set(e, PP_EVALIDATION, "contactEmail",
                     "Veuillez renseigner une adresse email valide (ex. contact@musee.fr).");
    if (in->nformats == 0)
        pp_error_set(e, PP_EVALIDATION, "formats",
                     "Choisissez au moins un format que vous souhaitez proposer aux classes.");
    if (!pp_eac_formats_valid(in->formats, in->nformats))
        pp_error_set(e, PP_EVALIDATION, "formats",
                     "Un des formats choisis n'est pas un format EAC (ex. « Visite "
                     "guidée », « Projection audiovisuelle »).");
}

static enum pp_err insert(struct pp_db *db, int64_t account_id, int64_t offerer_id,
                          const struct pp_adage_application_input *in, const char *formats,
                          int64_t *id, struct pp_error *e)
{
    bool allowed;
    enum pp_err rc = pp_adage_offerer_allowed(db, offerer_id, &allowed);
    if (rc == PP_OK && allowed)
        return pp_error_set(e, PP_ECONFLICT, "global",
                            "Votre structure est déjà référencée pour les offres collectives.");
    if (rc == PP_OK)
        rc = pp_row_returning(
            PP_BIND(db, "INSERT INTO adage_application (offerer_id, account_id, activity, public,"
                        " contact_email, contact_phone, formats, description, created_at)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                    PP_INT(offerer_id), PP_INT(account_id), PP_TEXT(in->activity),
                    PP_TEXT(in->public), PP_TEXT(in->contact_email), PP_TEXT(in->contact_phone),
                    PP_TEXT(formats),
                    PP_TEXT(in->description), PP_INT(pp_clock_now())),
            id);
    if (rc == PP_ECONFLICT)
        return pp_error_set(e, PP_ECONFLICT, "global",
                            "Une demande de référencement est déjà en cours d'examen pour cette "
                            "structure.");
    if (rc == PP_OK)
        rc = pp_audit_log(db, account_id, PP_CHANNEL_PORTAL, "adage_application.create",
                          "adage_application", *id, NULL);
    return rc;
}

enum pp_err pp_adage_application_create(struct pp_db *db, int64_t account_id,
                                        int64_t offerer_id,
                                        const struct pp_adage_application_input *in, int64_t *id,
                                        struct pp_error *e)
{
    check_input(in, e);
    if (e->count > 0)
        return PP_EVALIDATION;
    /* Joined before the write lock is taken: the transaction holds it for the writes only. */
    struct pp_arena *a = pp_arena_new();
    const char *formats = pp_strlist_join(a, in->formats, in->nformats);
    enum pp_err rc = pp_db_begin(db);
    if (rc == PP_OK)
        rc = pp_tx_end(db, insert(db, account_id, offerer_id, in, formats, id, e));
    pp_arena_free(a);
    return rc;
}

#define APPLICATION_SELECT                                                                        \
    "SELECT a.id AS id, a.offerer_id AS offerer_id, o.name AS offerer_name, o.siren AS siren,"    \
    " a.activity AS activity, a.public AS public, a.contact_email AS contact_email,"              \
    " a.contact_phone AS contact_phone, a.formats AS formats, a.description AS description,"       \
    " a.status AS status, a.decision_reason AS reason, a.created_at AS created_at,"               \
    " COALESCE(a.decided_at, 0) AS decided_at, o.allowed_on_adage AS allowed_on_adage"           \
    " FROM adage_application a JOIN offerer o ON o.id = a.offerer_id"

static const struct pp_col application_cols[] = PP_COLS(struct pp_adage_application,
    PPC_INT(id), PPC_INT(offerer_id), PPC_TEXT(offerer_name), PPC_TEXT(siren), PPC_TEXT(activity),
    PPC_TEXT(public), PPC_TEXT(contact_email), PPC_TEXT(contact_phone), PPC_TEXT(formats),
    PPC_TEXT(description), PPC_TEXT(status), PPC_TEXT(reason), PPC_INT(created_at),
    PPC_INT(decided_at), PPC_BOOL(allowed_on_adage));
static const struct pp_row_spec application_row =
    PP_ROW_SPEC(struct pp_adage_application, application_cols, NULL);

enum pp_err pp_adage_application_latest(struct pp_db *db, struct pp_arena *arena,
                                        int64_t offerer_id, struct pp_adage_application *out)
{
    return PP_FETCH(db, arena, &application_row, out,
                    APPLICATION_SELECT " WHERE a.offerer_id = ? ORDER BY a.id DESC LIMIT 1",
                    PP_INT(offerer_id));
}

enum pp_err pp_adage_application_pending(struct pp_db *db, struct pp_arena *arena,
                                         struct pp_adage_application **items, size_t *count)
{
    return PP_COLLECT(db, arena, &application_row, items, count,
                      APPLICATION_SELECT " WHERE a.status = ? ORDER BY a.created_at, a.id",
                      PP_TEXT("PENDING"));
}

/* The decision's rows: the structure, its pending request, the emails, the audit entry. */
static enum pp_err decide(struct pp_db *db, int64_t admin_id, int64_t offerer_id, bool accept,
                          const char *reason)
{
    int64_t now = pp_clock_now();
    enum pp_err rc = pp_row_update_one(
        db, PP_BIND(db, "UPDATE offerer SET allowed_on_adage = ? WHERE id = ?",
                    PP_INT(accept ? 1 : 0), PP_INT(offerer_id)),
        "SELECT 1 FROM offerer WHERE id = ?", offerer_id);
    if (rc == PP_OK)
        rc = PP_EXEC(db, "UPDATE adage_application SET status = ?, decision_reason = ?,"
                         " decided_at = ?, decided_by = ? WHERE offerer_id = ? AND status = ?",
                     PP_TEXT(accept ? "ACCEPTED" : "REJECTED"), PP_TEXT(reason), PP_INT(now),
                     PP_INT(admin_id), PP_INT(offerer_id), PP_TEXT("PENDING"));
    if (rc == PP_OK) {
        struct pp_arena *a = pp_arena_new();
        struct pp_offerer o;
        rc = pp_offerer_get(db, a, offerer_id, &o);
        if (rc == PP_OK)
            rc = pp_notify_members(db, offerer_id, accept ? "ADAGE_ACCEPTED" : "ADAGE_REJECTED",
                                   json_pack("{s:s, s:s, s:s?}", "offererName", o.name, "siren",
                                             o.siren, "reason", reason));
        pp_arena_free(a);
    }
    if (rc == PP_OK)
        rc = pp_audit_log(db, admin_id, PP_CHANNEL_BACKOFFICE,
                          accept ? "offerer.adage_accept" : "offerer.adage_reject", "offerer",
                          offerer_id, reason);
    return rc;
}

enum pp_err pp_adage_application_decide(struct pp_db *db, int64_t admin_id, int64_t offerer_id,
                                        bool accept, const char *reason, struct pp_error *e)
{
    if (!accept && (reason == NULL || *reason == '\0'))
        return pp_error_set(e, PP_EVALIDATION, "reason",
                            "Veuillez indiquer la raison du refus : elle est envoyée à la "
                            "structure.");
    if (pp_db_begin(db) != PP_OK)
        return PP_EDB;
    return pp_tx_end(db, decide(db, admin_id, offerer_id, accept, accept ? NULL : reason));
}
