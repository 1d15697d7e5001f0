#include "domain/finance_run.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/money.h"
#include "core/tz.h"
#include "db/db.h"
#include "db/row.h"
#include "db/tx.h"
#include "domain/audit.h"
#include "domain/finance_event.h"
#include "domain/notify.h"
#include "domain/pricing.h"

#define MAX_CUTOFF_DAYS 4

static int cutoff_days[MAX_CUTOFF_DAYS] = {1, 16};
static int ncutoff_days = 2;

bool pp_finance_set_cutoff_days(const char *list)
{
    int days[MAX_CUTOFF_DAYS], n = 0;
    const char *p = list;
    while (p != NULL && *p != '\0') {
        char *end;
        long d = strtol(p, &end, 10);
        if (end == p || d < 1 || d > 28 || n == MAX_CUTOFF_DAYS || (n > 0 && d <= days[n - 1]))
            return false;
        days[n++] = (int)d;
        if (*end == '\0')
            break;
        if (*end != ',')
            return false;
        p = end + 1;
    }
    if (n == 0)
        return false;
    for (int i = 0; i < n; i++)
        cutoff_days[i] = days[i];
    ncutoff_days = n;
    return true;
}

static int64_t midnight(int year, int month, int day)
{
    int64_t t = 0;
    pp_tz_from_local(PP_FINANCE_ZONE, year, month, day, 0, 0, &t);
    return t;
}

static void add_months(int *year, int *month, int delta)
{
    int m = *year * 12 + (*month - 1) + delta;
    *year = m / 12;
    *month = m % 12 + 1;
}

int64_t pp_finance_last_cutoff(int64_t now)
{
    struct pp_local l;
    pp_tz_to_local(PP_FINANCE_ZONE, now, &l);
    int year = l.year, month = l.month;
    for (int back = 0; back < 2; back++, add_months(&year, &month, -1))
        for (int i = ncutoff_days - 1; i >= 0; i--) {
            int64_t t = midnight(year, month, cutoff_days[i]);
            if (t <= now)
                return t;
        }
    return 0; /* unreachable: the last cut-off of last month is always in the past */
}

int64_t pp_finance_next_cutoff(int64_t now)
{
    struct pp_local l;
    pp_tz_to_local(PP_FINANCE_ZONE, now, &l);
    int year = l.year, month = l.month;
    for (int ahead = 0; ahead < 2; ahead++, add_months(&year, &month, 1))
        for (int i = 0; i < ncutoff_days; i++) {
            int64_t t = midnight(year, month, cutoff_days[i]);
            if (t > now)
                return t;
        }
    return 0;
}

void pp_finance_period(int64_t cutoff, int64_t *first_day, int64_t *last_day)
{
    struct pp_local l;
    pp_tz_to_local(PP_FINANCE_ZONE, cutoff - 1, &l);
    *last_day = midnight(l.year, l.month, l.day);
    *first_day = midnight(l.year, l.month, l.day <= 15 ? 1 : 16);
}

/* The pricings a run at a cut-off pays: the same predicate selects, sums and marks them.
 * Four binds, all the cut-off. */
#define DUE_PRICINGS                                                                              \
    " FROM pricing p LEFT JOIN booking b ON b.id = p.booking_id"                                  \
    " LEFT JOIN stock s ON s.id = b.stock_id"                                                     \
    " JOIN venue_bank_account_link l ON l.venue_id = p.venue_id AND l.starts_at <= ?"             \
    " AND (l.ends_at IS NULL OR l.ends_at > ?)"                                                   \
    " JOIN bank_account ba ON ba.id = l.bank_account_id AND ba.status = 'ACCEPTED'"               \
    " WHERE p.status = 'validated' AND p.value_date < ?"                                          \
    " AND (p.incident_id IS NOT NULL OR s.beginning_at IS NULL OR s.beginning_at < ?)"
/* A collective booking is used 48 h after its end: its use before the cut-off says the event
 * has happened, so it needs no stock of its own in the predicate (s is NULL for it). */

static void bind_cutoff(struct pp_stmt *st, int first, int64_t cutoff)
{
    for (int i = 0; i < 4; i++)
        pp_stmt_bind_int(st, first + i, cutoff);
}

struct due_account {
    int64_t bank_account_id;
    int64_t offerer_id;
    int64_t amount;
    int64_t pricings;
};

static const struct pp_col due_cols[] = PP_COLS(struct due_account,
    PPC_INT(bank_account_id), PPC_INT(offerer_id), PPC_INT(amount), PPC_INT(pricings));
static const struct pp_row_spec due_row = PP_ROW_SPEC(struct due_account, due_cols, NULL);

/* One run in progress. */
struct run {
    struct pp_db *db;
    struct pp_arena *a;
    int64_t admin_id;
    int64_t cutoff;
    int64_t now;
    int64_t batch_id;
    int64_t first_day, last_day;
    struct pp_finance_run *out;
};

/* Next number of sequence @name in @year, inside the transaction: no gaps, no duplicates. */
static enum pp_err next_number(struct pp_db *db, const char *name, int64_t year, int64_t *number)
{
    struct pp_stmt *st = PP_BIND(
        db, "INSERT INTO reference_scheme (name, year, next_number) VALUES (?, ?, 2)"
            " ON CONFLICT (name, year) DO UPDATE SET next_number = reference_scheme.next_number + 1"
            " RETURNING next_number - 1",
            PP_TEXT(name), PP_INT(year));
    return pp_row_returning(st, number);
}

static enum pp_err open_batch(struct run *r, struct pp_error *e)
{
    int64_t n = 0;
    enum pp_err rc = next_number(r->db, "VIR", 0, &n);
    if (rc != PP_OK)
        return rc;
    r->out->batch_label = pp_arena_printf(r->a, "VIR%lld", (long long)n);
    struct pp_stmt *st = PP_BIND(
        r->db, "INSERT INTO cashflow_batch (label, cutoff, created_at) VALUES (?, ?, ?)"
               " RETURNING id",
        PP_TEXT(r->out->batch_label), PP_INT(r->cutoff), PP_INT(r->now));
    rc = pp_row_returning(st, &r->batch_id);
    if (rc == PP_ECONFLICT)
        pp_error_set(e, PP_ECONFLICT, "cutoff",
                     "Un virement a déjà été préparé pour cette date de coupure.");
    r->out->batch_id = r->batch_id;
    return rc;
}

static enum pp_err exec_ids(struct pp_db *db, const char *sql, const int64_t *ids, int n)
{
    struct pp_stmt *st = pp_db_prepare(db, sql);
    if (st != NULL)
        for (int i = 0; i < n; i++)
            pp_stmt_bind_int(st, i + 1, ids[i]);
    return pp_row_exec(st);
}

/* Marks the account's due pricings invoiced, their bookings reimbursed, and sums the lines. */
static enum pp_err settle(struct run *r, const struct due_account *acc, int64_t invoice_id)
{
    struct pp_stmt *st = pp_db_prepare(
        r->db, "UPDATE pricing SET status = 'invoiced', invoice_id = ? WHERE id IN"
               " (SELECT p.id" DUE_PRICINGS " AND l.bank_account_id = ?)");
    if (st != NULL) {
        pp_stmt_bind_int(st, 1, invoice_id);
        bind_cutoff(st, 2, r->cutoff);
        pp_stmt_bind_int(st, 6, acc->bank_account_id);
    }
    enum pp_err rc = pp_row_exec(st);
    /* The paid bookings, individual and collective, say so with the run's date. */
    static const char *const paid[] = {
        "UPDATE booking SET status = 'REIMBURSED', reimbursed_at = ? WHERE status = 'USED'"
        " AND id IN (SELECT booking_id FROM pricing WHERE invoice_id = ? AND incident_id IS NULL)",
        "UPDATE collective_booking SET status = 'REIMBURSED', reimbursed_at = ? WHERE status ="
        " 'USED' AND id IN (SELECT collective_booking_id FROM pricing WHERE invoice_id = ?)",
    };
    int64_t reimbursed[] = {r->now, invoice_id};
    for (size_t i = 0; i < 2 && rc == PP_OK; i++)
        rc = exec_ids(r->db, paid[i], reimbursed, 2);
    int64_t lines[] = {invoice_id, invoice_id};
    if (rc == PP_OK)
        rc = exec_ids(
            r->db,
            "INSERT INTO invoice_line (invoice_id, rule, custom_rule_id, rate_bp, is_incident,"
            " booked_cents, reimbursed_cents) SELECT ?, rule, custom_rule_id, rate_bp,"
            " CASE WHEN incident_id IS NULL THEN 0 ELSE 1 END,"
            " SUM(CASE WHEN incident_id IS NULL THEN booking_total_cents ELSE amount_cents END),"
            " SUM(amount_cents) FROM pricing WHERE invoice_id = ?"
            " GROUP BY rule, custom_rule_id, rate_bp, CASE WHEN incident_id IS NULL THEN 0 ELSE 1 END"
            " ORDER BY rule, custom_rule_id, rate_bp",
            lines, 2);
    return rc;
}

/* Who an invoice mail names: the structure and its bank account. */
struct names {
    const char *offerer_name, *label;
};
static const struct pp_col names_cols[] = PP_COLS(struct names, PPC_TEXT(offerer_name),
                                                  PPC_TEXT(label));
static const struct pp_row_spec names_row = PP_ROW_SPEC(struct names, names_cols, NULL);

static enum pp_err mail_invoice(struct run *r, const struct due_account *acc,
                                const char *reference)
{
    char amount[PP_MONEY_LEN], first[24], last[24];
    pp_money_format(acc->amount, amount);
    pp_tz_format_fr(PP_FINANCE_ZONE, r->first_day, first);
    pp_tz_format_fr(PP_FINANCE_ZONE, r->last_day, last);
    first[10] = last[10] = '\0'; /* the date, without " à 00:00" */
    struct names n;
    enum pp_err rc = PP_FETCH(r->db, r->a, &names_row, &n,
                              "SELECT o.name AS offerer_name, b.label AS label FROM bank_account b"
                              " JOIN offerer o ON o.id = b.offerer_id WHERE b.id = ?",
                              PP_INT(acc->bank_account_id));
    json_t *payload = NULL;
    if (rc == PP_OK)
        payload = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "offererName", n.offerer_name,
                            "bankAccountLabel", n.label, "amount", amount, "periodStart", first,
                            "periodEnd", last, "reference", reference);
    if (payload == NULL)
        return rc == PP_OK || rc == PP_ENOTFOUND ? PP_EDB : rc;
    return pp_notify_members(r->db, acc->offerer_id, "INVOICE_AVAILABLE", payload);
}

static enum pp_err pay_account(struct run *r, const struct due_account *acc)
{
    int64_t cashflow_id = 0, number = 0, invoice_id = 0;
    enum pp_err rc = PP_OK;
    if (acc->amount > 0) {
        int64_t v[] = {r->batch_id, acc->bank_account_id, acc->amount, r->now};
        struct pp_stmt *st = pp_db_prepare(
            r->db, "INSERT INTO cashflow (batch_id, bank_account_id, amount_cents, created_at)"
                   " VALUES (?, ?, ?, ?) RETURNING id");
        for (int i = 0; st != NULL && i < 4; i++)
            pp_stmt_bind_int(st, i + 1, v[i]);
        rc = pp_row_returning(st, &cashflow_id);
        r->out->ncashflows++;
    }
    int64_t year = pp_finance_year(r->now);
    if (rc == PP_OK)
        rc = next_number(r->db, "F", year, &number);
    const char *reference =
        pp_arena_printf(r->a, "F%02lld%07lld", (long long)(year % 100), (long long)number);
    struct pp_stmt *st = rc == PP_OK ? pp_db_prepare(
        r->db, "INSERT INTO invoice (reference, bank_account_id, offerer_id, batch_id, cashflow_id,"
               " amount_cents, date, period_start, period_end) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
               " RETURNING id") : NULL;
    if (st != NULL) {
        pp_stmt_bind_text(st, 1, reference);
        int64_t v[] = {acc->bank_account_id, acc->offerer_id, r->batch_id, cashflow_id,
                       acc->amount, r->now, r->first_day, r->last_day};
        for (int i = 0; i < 8; i++)
            pp_stmt_bind_int(st, i + 2, v[i]);
        if (cashflow_id == 0)
            pp_stmt_bind_null(st, 5);
        rc = pp_row_returning(st, &invoice_id);
    } else if (rc == PP_OK) {
        rc = PP_EDB;
    }
    if (rc == PP_OK)
        rc = settle(r, acc, invoice_id);
    if (rc == PP_OK)
        rc = mail_invoice(r, acc, reference);
    if (rc == PP_OK) {
        r->out->references[r->out->ninvoices++] = reference;
        rc = pp_audit_log(r->db, r->admin_id,
                          r->admin_id ? PP_CHANNEL_BACKOFFICE : PP_CHANNEL_JOB, "invoice.create",
                          "invoice", invoice_id, reference);
    }
    return rc;
}

static enum pp_err run_in_tx(struct run *r, struct pp_error *e)
{
    enum pp_err rc = open_batch(r, e);
    if (rc != PP_OK)
        return rc;
    struct pp_stmt *st = pp_db_prepare(
        r->db, "SELECT l.bank_account_id AS bank_account_id, ba.offerer_id AS offerer_id,"
               " SUM(p.amount_cents) AS amount, COUNT(*) AS pricings" DUE_PRICINGS
               " GROUP BY l.bank_account_id, ba.offerer_id ORDER BY l.bank_account_id");
    if (st != NULL)
        bind_cutoff(st, 1, r->cutoff);
    struct due_account *due;
    size_t n;
    rc = pp_row_collect(st, r->a, &due_row, (void **)&due, &n);
    if (rc != PP_OK)
        return rc;
    r->out->references = pp_arena_calloc(r->a, (n + 1) * sizeof(char *));
    for (size_t i = 0; i < n && rc == PP_OK; i++)
        if (due[i].amount >= 0) /* a negative total waits for the next run */
            rc = pay_account(r, &due[i]);
    if (rc == PP_OK && r->out->ninvoices == 0)
        return pp_error_set(e, PP_EVALIDATION, "global",
                            "Aucune réservation à rembourser pour cette date de coupure : rien "
                            "n'a été fait.");
    if (rc == PP_OK)
        rc = pp_audit_log(r->db, r->admin_id, r->admin_id ? PP_CHANNEL_BACKOFFICE : PP_CHANNEL_JOB,
                          "finance.run", "cashflow_batch", r->batch_id, r->out->batch_label);
    return rc;
}

enum pp_err pp_finance_run(struct pp_db *db, struct pp_arena *arena, int64_t admin_id,
                           int64_t cutoff, struct pp_finance_run *out, struct pp_error *e)
{
    *out = (struct pp_finance_run){0};
    int64_t now = pp_clock_now();
    if (cutoff > now)
        return pp_error_set(e, PP_EVALIDATION, "cutoff",
                            "La date de coupure ne peut pas être dans le futur.");
    enum pp_err rc = pp_pricing_run(db, now, NULL);
    if (rc != PP_OK)
        return rc;
    struct run r = {.db = db, .a = arena, .admin_id = admin_id, .cutoff = cutoff, .now = now,
                    .out = out};
    pp_finance_period(cutoff, &r.first_day, &r.last_day);
    if (pp_db_begin(db) != PP_OK)
        return PP_EDB;
    rc = pp_tx_end(db, run_in_tx(&r, e));
    if (rc != PP_OK)
        *out = (struct pp_finance_run){0};
    return rc;
}

enum pp_err pp_finance_scheduled_run(struct pp_db *db, int64_t now, int64_t *count)
{
    int64_t cutoff = pp_finance_last_cutoff(now);
    enum pp_err rc = pp_db_query_int(db, NULL, "SELECT 1 FROM finance_schedule WHERE cutoff = ?",
                                     1, cutoff);
    if (rc != PP_ENOTFOUND)
        return rc; /* handled already, or a database failure */
    struct pp_arena *a = pp_arena_new();
    struct pp_finance_run out;
    struct pp_error e;
    pp_error_init(&e);
    rc = pp_finance_run(db, a, 0, cutoff, &out, &e);
    *count = (int64_t)out.ninvoices;
    /* Nothing to pay, or paid by hand already: this cut-off is done either way. */
    if (rc == PP_EVALIDATION || rc == PP_ECONFLICT)
        rc = PP_OK;
    if (rc == PP_OK) {
        struct pp_stmt *st = pp_db_prepare(
            db, "INSERT INTO finance_schedule (cutoff, checked_at, batch_id) VALUES (?, ?, ?)"
                " ON CONFLICT DO NOTHING");
        if (st != NULL) {
            pp_stmt_bind_int(st, 1, cutoff);
            pp_stmt_bind_int(st, 2, now);
            if (out.batch_id != 0)
                pp_stmt_bind_int(st, 3, out.batch_id);
            else
                pp_stmt_bind_null(st, 3);
        }
        rc = pp_row_exec(st);
    }
    pp_arena_free(a);
    return rc;
}
