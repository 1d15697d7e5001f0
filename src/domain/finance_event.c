#include "domain/finance_event.h"

#include <stdbool.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/tz.h"
#include "db/db.h"
#include "db/row.h"
#include "db/tx.h"
#include "domain/audit.h"

int64_t pp_finance_year(int64_t t)
{
    struct pp_local l;
    pp_tz_to_local(PP_FINANCE_ZONE, t, &l);
    return l.year;
}

struct pricing_point {
    int64_t id;
    int64_t since;
};

static const struct pp_col pricing_point_cols[] = PP_COLS(struct pricing_point,
    PPC_INT_AS(id, "pricing_point_id"), PPC_INT(since));
static const struct pp_row_spec pricing_point_row =
    PP_ROW_SPEC(struct pricing_point, pricing_point_cols, NULL);

enum pp_err pp_pricing_point_of(struct pp_db *db, int64_t venue_id, int64_t *pricing_point_id,
                                int64_t *since)
{
    struct pricing_point p;
    enum pp_err rc = PP_FETCH(db, NULL, &pricing_point_row, &p,
        "SELECT CASE WHEN v.siret IS NOT NULL THEN v.id ELSE l.pricing_point_id END"
        " AS pricing_point_id,"
        " CASE WHEN v.siret IS NOT NULL THEN v.created_at ELSE l.starts_at END AS since"
        " FROM venue v LEFT JOIN venue_pricing_point_link l ON l.venue_id = v.id"
        " WHERE v.id = ?",
        PP_INT(venue_id));
    if (rc == PP_OK && p.id == 0)
        rc = PP_ENOTFOUND;
    if (rc == PP_OK) {
        *pricing_point_id = p.id;
        *since = p.since;
    }
    return rc;
}

/* What an event needs to know of its booking. */
struct booking_facts {
    int64_t venue_id;
    int64_t beginning_at; /* 0 for a thing */
};

static const struct pp_col facts_cols[] = PP_COLS(struct booking_facts,
    PPC_INT(venue_id), PPC_INT(beginning_at));
static const struct pp_row_spec facts_row = PP_ROW_SPEC(struct booking_facts, facts_cols, NULL);

static int64_t latest(int64_t a, int64_t b)
{
    return a > b ? a : b;
}

/*
 * The event of a booking (@booking_id) or of a collective booking (@collective_id) that
 * became USED at @used_at, in venue @venue_id, for an event at @event_at (0 for a thing):
 * "ready" when the venue has a pricing point, else "pending".
 */
static enum pp_err insert_event(struct pp_db *db, int64_t booking_id, int64_t collective_id,
                                int64_t venue_id, int64_t event_at, int64_t used_at)
{
    int64_t point = 0, since = 0;
    enum pp_err rc = pp_pricing_point_of(db, venue_id, &point, &since);
    if (rc != PP_OK && rc != PP_ENOTFOUND)
        return rc;
    struct pp_stmt *st = PP_BIND(
        db, "INSERT INTO finance_event (booking_id, collective_booking_id, venue_id,"
            " pricing_point_id, status, value_date, ordering_date, year, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            PP_INT_OR_NULL(booking_id), PP_INT_OR_NULL(collective_id), PP_INT(venue_id),
            PP_INT_OR_NULL(point), PP_TEXT(point != 0 ? "ready" : "pending"), PP_INT(used_at),
            PP_INT(latest(latest(used_at, event_at), since)), PP_INT(pp_finance_year(used_at)),
            PP_INT(pp_clock_now()));
    return pp_row_exec(st);
}

enum pp_err pp_finance_booking_used(struct pp_db *db, int64_t booking_id, int64_t used_at)
{
    struct pp_stmt *st = PP_BIND(
        db, "SELECT b.venue_id AS venue_id, COALESCE(s.beginning_at, 0) AS beginning_at"
            " FROM booking b JOIN stock s ON s.id = b.stock_id WHERE b.id = ?",
            PP_INT(booking_id));
    struct booking_facts f;
    enum pp_err rc = pp_row_fetch(st, NULL, &facts_row, &f);
    return rc == PP_OK ? insert_event(db, booking_id, 0, f.venue_id, f.beginning_at, used_at)
                       : rc;
}

enum pp_err pp_finance_collective_used(struct pp_db *db, int64_t collective_booking_id,
                                       int64_t used_at)
{
    struct pp_stmt *st = PP_BIND(
        db, "SELECT cb.venue_id AS venue_id, s.end_at AS beginning_at"
            " FROM collective_booking cb JOIN collective_stock s ON s.id = cb.stock_id"
            " WHERE cb.id = ?",
            PP_INT(collective_booking_id));
    struct booking_facts f;
    enum pp_err rc = pp_row_fetch(st, NULL, &facts_row, &f);
    return rc == PP_OK
               ? insert_event(db, 0, collective_booking_id, f.venue_id, f.beginning_at, used_at)
               : rc;
}

enum pp_err pp_finance_requeue_after(struct pp_db *db, int64_t pricing_point_id, int64_t year,
                                     int64_t ordering_date, int64_t event_id)
{
    static const char *const steps[] = {
        "UPDATE finance_event SET status = 'ready' WHERE id IN (SELECT event_id FROM pricing"
        " WHERE pricing_point_id = ? AND year = ? AND status = 'validated'"
        " AND (ordering_date > ? OR (ordering_date = ? AND event_id > ?)))",
        "DELETE FROM pricing WHERE pricing_point_id = ? AND year = ? AND status = 'validated'"
        " AND (ordering_date > ? OR (ordering_date = ? AND event_id > ?))",
    };
    enum pp_err rc = PP_OK;
    for (size_t i = 0; i < 2 && rc == PP_OK; i++) {
        struct pp_stmt *st = PP_BIND(db, steps[i], PP_INT(pricing_point_id), PP_INT(year),
                                     PP_INT(ordering_date), PP_INT(ordering_date),
                                     PP_INT(event_id));
        rc = pp_row_exec(st);
    }
    return rc;
}

/* The live pricing of a booking's use. */
struct live_pricing {
    int64_t id;
    int64_t event_id;
    int64_t pricing_point_id;
    int64_t year;
    int64_t ordering_date;
    const char *status;
};

static const struct pp_col live_cols[] = PP_COLS(struct live_pricing,
    PPC_INT(id), PPC_INT(event_id), PPC_INT(pricing_point_id), PPC_INT(year),
    PPC_INT(ordering_date), PPC_TEXT(status));
static const struct pp_row_spec live_row = PP_ROW_SPEC(struct live_pricing, live_cols, NULL);

static enum pp_err exec_id(struct pp_db *db, const char *sql, int64_t id, int64_t *changed)
{
    struct pp_stmt *st = PP_BIND(db, sql, PP_INT(id));
    if (st == NULL)
        return PP_EDB;
    enum pp_step s = pp_stmt_step(st);
    if (changed != NULL)
        *changed = pp_stmt_changes(st);
    pp_stmt_done(st);
    return s == PP_STEP_ERROR ? PP_EDB : PP_OK;
}

enum pp_err pp_finance_booking_unused(struct pp_db *db, int64_t booking_id)
{
    int64_t changed = 0;
    enum pp_err rc = exec_id(db,
                             "UPDATE finance_event SET status = 'cancelled' WHERE booking_id = ?"
                             " AND incident_id IS NULL AND status IN ('pending', 'ready')",
                             booking_id, &changed);
    if (rc != PP_OK || changed > 0)
        return rc;
    struct pp_arena *a = pp_arena_new();
    struct live_pricing p;
    rc = PP_FETCH(db, a, &live_row, &p,
        "SELECT id, event_id, pricing_point_id, year, ordering_date, status FROM pricing"
        " WHERE booking_id = ? AND incident_id IS NULL AND status <> 'cancelled'",
        PP_INT(booking_id));
    if (rc == PP_OK && p.status[0] == 'i')
        rc = PP_ECONFLICT; /* invoiced: the money has left */
    else if (rc == PP_OK)
        rc = exec_id(db, "UPDATE pricing SET status = 'cancelled' WHERE id = ?", p.id, NULL);
    bool cancelled = rc == PP_OK;
    if (cancelled)
        rc = exec_id(db, "UPDATE finance_event SET status = 'cancelled' WHERE id = ?", p.event_id,
                     NULL);
    if (cancelled && rc == PP_OK)
        rc = pp_finance_requeue_after(db, p.pricing_point_id, p.year, p.ordering_date,
                                      p.event_id);
    pp_arena_free(a);
    return rc == PP_ENOTFOUND ? PP_OK : rc;
}

static enum pp_err check_pricing_point(struct pp_db *db, int64_t venue_id, int64_t point_id,
                                       struct pp_error *e)
{
    int64_t venue_offerer = 0, point_offerer = 0, has_siret = 0;
    enum pp_err rc = pp_db_query_int(db, &has_siret,
                                     "SELECT siret IS NOT NULL FROM venue WHERE id = ?", 1,
                                     venue_id);
    if (rc != PP_OK)
        return rc;
    if (has_siret)
        return pp_error_set(e, PP_EVALIDATION, "pricingPointId",
                            "Ce lieu a un SIRET, vous ne pouvez donc pas choisir un autre lieu "
                            "pour le calcul du barème de remboursement.");
    rc = pp_db_query_int(db, &venue_offerer, "SELECT offerer_id FROM venue WHERE id = ?", 1,
                         venue_id);
    if (rc == PP_OK)
        rc = pp_db_query_int(db, &point_offerer,
                             "SELECT offerer_id FROM venue WHERE id = ? AND siret IS NOT NULL", 1,
                             point_id);
    if (rc == PP_ENOTFOUND || (rc == PP_OK && venue_offerer != point_offerer))
        return pp_error_set(e, PP_EVALIDATION, "pricingPointId",
                            "Choisissez un lieu avec SIRET de la même structure.");
    return rc;
}

static enum pp_err set_point_in_tx(struct pp_db *db, int64_t author_id, int64_t venue_id,
                                   int64_t point_id, struct pp_error *e)
{
    enum pp_err rc = check_pricing_point(db, venue_id, point_id, e);
    if (rc != PP_OK)
        return rc;
    int64_t now = pp_clock_now();
    struct pp_stmt *st = PP_BIND(
        db, "INSERT INTO venue_pricing_point_link (venue_id, pricing_point_id, starts_at)"
            " VALUES (?, ?, ?)",
            PP_INT(venue_id), PP_INT(point_id), PP_INT(now));
    rc = pp_row_exec(st);
    if (rc == PP_ECONFLICT)
        return pp_error_set(e, PP_ECONFLICT, "pricingPointId",
                            "Ce lieu a déjà un lieu de calcul du barème : il ne peut plus changer.");
    /* Waiting events can be priced now; none is ordered before the link began. */
    st = pp_db_prepare(db, "UPDATE finance_event SET status = 'ready', pricing_point_id = ?,"
                           " ordering_date = CASE WHEN ordering_date < ? THEN ? ELSE ordering_date"
                           " END WHERE venue_id = ? AND status = 'pending'");
    if (rc == PP_OK && st != NULL) {
        pp_stmt_bind_int(st, 1, point_id);
        pp_stmt_bind_int(st, 2, now);
        pp_stmt_bind_int(st, 3, now);
        pp_stmt_bind_int(st, 4, venue_id);
        rc = pp_row_exec(st);
    } else if (st != NULL) {
        pp_stmt_done(st);
    } else {
        rc = PP_EDB;
    }
    if (rc == PP_OK)
        rc = pp_audit_log(db, author_id, PP_CHANNEL_PORTAL, "venue.pricing_point", "venue",
                          venue_id, NULL);
    return rc;
}

enum pp_err pp_pricing_point_set(struct pp_db *db, int64_t author_id, int64_t venue_id,
                                 int64_t pricing_point_id, struct pp_error *e)
{
    if (pp_db_begin(db) != PP_OK)
        return PP_EDB;
    enum pp_err rc = set_point_in_tx(db, author_id, venue_id, pricing_point_id, e);
    return pp_tx_end(db, rc);
}
