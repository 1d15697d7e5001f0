#include "domain/forecast.h"

#include "core/arena.h"
#include "db/db.h"
#include "db/row.h"
#include "domain/finance_run.h"

static const struct pp_col account_cols[] = PP_COLS(struct pp_forecast_account,
    PPC_INT(id), PPC_TEXT(label), PPC_INT(amount_cents), PPC_INT(bookings));
static const struct pp_row_spec account_row =
    PP_ROW_SPEC(struct pp_forecast_account, account_cols, NULL);

/* Unpaid pricings that a run at ? (twice) would take, whatever the account. */
#define DUE_NOW                                                                                   \
    " p.status = 'validated' AND p.value_date < ?"                                                \
    " AND (p.incident_id IS NOT NULL OR s.beginning_at IS NULL OR s.beginning_at < ?)"

enum pp_err pp_forecast_get(struct pp_db *db, struct pp_arena *arena, int64_t offerer_id,
                            int64_t now, struct pp_forecast *out)
{
    *out = (struct pp_forecast){.next_run = pp_finance_next_cutoff(now)};
    struct pp_stmt *st = pp_db_prepare(
        db, "SELECT ba.id AS id, ba.label AS label,"
            " COALESCE((SELECT SUM(p.amount_cents) FROM pricing p"
            " JOIN venue_bank_account_link l ON l.venue_id = p.venue_id AND l.ends_at IS NULL"
            " LEFT JOIN booking b ON b.id = p.booking_id LEFT JOIN stock s ON s.id = b.stock_id"
            " WHERE l.bank_account_id = ba.id AND" DUE_NOW "), 0) AS amount_cents,"
            " (SELECT COUNT(DISTINCT COALESCE(p.booking_id, -p.collective_booking_id)) FROM pricing p"
            " JOIN venue_bank_account_link l ON l.venue_id = p.venue_id AND l.ends_at IS NULL"
            " LEFT JOIN booking b ON b.id = p.booking_id LEFT JOIN stock s ON s.id = b.stock_id"
            " WHERE l.bank_account_id = ba.id AND" DUE_NOW ") AS bookings"
            " FROM bank_account ba WHERE ba.offerer_id = ? AND ba.status = 'ACCEPTED'"
            " ORDER BY ba.id");
    if (st != NULL) {
        for (int i = 1; i <= 4; i++)
            pp_stmt_bind_int(st, i, now);
        pp_stmt_bind_int(st, 5, offerer_id);
    }
    enum pp_err rc = pp_row_collect(st, arena, &account_row, (void **)&out->accounts,
                                    &out->naccounts);
    if (rc != PP_OK)
        return rc;
    st = PP_BIND(
        db, "SELECT COALESCE(SUM(p.amount_cents), 0),"
            " COUNT(DISTINCT COALESCE(p.booking_id, -p.collective_booking_id))"
            " FROM pricing p JOIN venue v ON v.id = p.venue_id"
            " LEFT JOIN booking b ON b.id = p.booking_id LEFT JOIN stock s ON s.id = b.stock_id"
            " WHERE v.offerer_id = ? AND" DUE_NOW " AND NOT EXISTS (SELECT 1"
            " FROM venue_bank_account_link l JOIN bank_account ba ON ba.id = l.bank_account_id"
            " WHERE l.venue_id = p.venue_id AND l.ends_at IS NULL AND ba.status = 'ACCEPTED')",
            PP_INT(offerer_id), PP_INT(now), PP_INT(now));
    if (st == NULL)
        return PP_EDB;
    enum pp_step s = pp_stmt_step(st);
    if (s == PP_STEP_ROW) {
        out->without_amount_cents = pp_stmt_int(st, 0);
        out->without_bookings = pp_stmt_int(st, 1);
    }
    pp_stmt_done(st);
    return s == PP_STEP_ROW ? PP_OK : PP_EDB;
}
