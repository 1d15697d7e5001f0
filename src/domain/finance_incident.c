#include "domain/finance_incident.h"

#include "core/clock.h"
#include "core/utf8.h"
#include "db/db.h"
#include "db/row.h"
#include "db/tx.h"
#include "domain/audit.h"
#include "domain/finance_event.h"

#define REASON_MAX 500

/* The paid pricing of a booking and what incidents took back already. */
struct paid {
    int64_t venue_id;
    int64_t pricing_point_id;
    int64_t paid;
    int64_t taken_back;
};

static const struct pp_col paid_cols[] = PP_COLS(struct paid,
    PPC_INT(venue_id), PPC_INT(pricing_point_id), PPC_INT(paid), PPC_INT(taken_back));
static const struct pp_row_spec paid_row = PP_ROW_SPEC(struct paid, paid_cols, NULL);

static enum pp_err check(struct pp_db *db, int64_t booking_id, const char *reason,
                         int64_t *amount, struct paid *p, struct pp_error *e)
{
    int64_t reimbursed = 0;
    enum pp_err rc = pp_db_query_int(db, &reimbursed,
                                     "SELECT status = 'REIMBURSED' FROM booking WHERE id = ?", 1,
                                     booking_id);
    if (rc != PP_OK)
        return rc;
    if (!reimbursed)
        return pp_error_set(e, PP_EVALIDATION, "bookingId",
                            "Un incident ne peut porter que sur une réservation remboursée.");
    if (reason == NULL || *reason == '\0' || pp_utf8_chars(reason) > REASON_MAX)
        return pp_error_set(e, PP_EVALIDATION, "reason",
                            "Indiquez le motif de l'incident (500 caractères au plus).");
    rc = PP_FETCH(db, NULL, &paid_row, p,
        "SELECT p.venue_id AS venue_id, p.pricing_point_id AS pricing_point_id,"
        " p.amount_cents AS paid, COALESCE((SELECT SUM(i.amount_cents) FROM finance_incident i"
        " WHERE i.booking_id = p.booking_id), 0) AS taken_back FROM pricing p"
        " WHERE p.booking_id = ? AND p.incident_id IS NULL AND p.status = 'invoiced'",
        PP_INT(booking_id));
    if (rc == PP_ENOTFOUND)
        rc = PP_EINTERNAL; /* a reimbursed booking always has its paid pricing */
    if (rc != PP_OK)
        return rc;
    int64_t left = p->paid - p->taken_back;
    if (*amount == 0)
        *amount = left;
    if (*amount <= 0 || *amount > left)
        return pp_error_set(e, PP_EVALIDATION, "amountCents",
                            "Le montant de l'incident doit être positif et ne pas dépasser ce "
                            "qui a été remboursé pour cette réservation (moins les incidents "
                            "déjà enregistrés).");
    return PP_OK;
}

static enum pp_err insert_in_tx(struct pp_db *db, int64_t admin_id, int64_t booking_id,
                                const char *reason, int64_t amount, const struct paid *p,
                                int64_t *id)
{
    int64_t now = pp_clock_now();
    struct pp_stmt *st = PP_BIND(
        db, "INSERT INTO finance_incident (booking_id, reason, amount_cents, created_by,"
            " created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
            PP_INT(booking_id), PP_TEXT(reason), PP_INT(amount), PP_INT(admin_id), PP_INT(now));
    enum pp_err rc = pp_row_returning(st, id);
    if (rc != PP_OK)
        return rc;
    rc = PP_EXEC(db,
                 "INSERT INTO finance_event (booking_id, incident_id, venue_id, pricing_point_id,"
                 " status, value_date, ordering_date, year, created_at)"
                 " VALUES (?, ?, ?, ?, 'ready', ?, ?, ?, ?)",
                 PP_INT(booking_id), PP_INT(*id), PP_INT(p->venue_id), PP_INT(p->pricing_point_id),
                 PP_INT(now), PP_INT(now), PP_INT(pp_finance_year(now)), PP_INT(now));
    if (rc == PP_OK)
        rc = pp_audit_log(db, admin_id, PP_CHANNEL_BACKOFFICE, "finance_incident.create",
                          "booking", booking_id, reason);
    return rc;
}

enum pp_err pp_finance_incident_create(struct pp_db *db, int64_t admin_id, int64_t booking_id,
                                       const char *reason, int64_t amount_cents, int64_t *id,
                                       struct pp_error *e)
{
    if (amount_cents < 0)
        return pp_error_set(e, PP_EVALIDATION, "amountCents",
                            "Le montant de l'incident doit être positif.");
    if (pp_db_begin(db) != PP_OK)
        return PP_EDB;
    struct paid p;
    enum pp_err rc = check(db, booking_id, reason, &amount_cents, &p, e);
    if (rc == PP_OK)
        rc = insert_in_tx(db, admin_id, booking_id, reason, amount_cents, &p, id);
    return pp_tx_end(db, rc);
}
