#include "domain/pricing.h"

#include <stdbool.h>
#include <stdio.h>

#include "core/arena.h"
#include "core/categories.h"
#include "core/clock.h"
#include "core/reimbursement.h"
#include "db/db.h"
#include "db/row.h"
#include "db/tx.h"
#include "domain/custom_rule.h"
#include "domain/finance_event.h"

/* Years one pass can meet at one pricing point: a backlog of a few years at most. */
#define MAX_YEARS 16

struct year_revenue {
    int64_t year;
    int64_t revenue;
};

/* One pass over one pricing point. */
struct pass {
    struct pp_db *db;
    int64_t point;
    const struct pp_custom_rule *rules;
    size_t nrules;
    struct year_revenue years[MAX_YEARS];
    int nyears;
    int64_t priced;
};

static enum pp_err load_rules(struct pp_db *db, struct pp_arena *a, struct pass *p)
{
    struct pp_custom_rule *rules;
    enum pp_err rc = pp_custom_rule_all(db, a, &rules, &p->nrules);
    p->rules = rules;
    return rc;
}

/* Revenue so far of year @year at the pass's pricing point (live pricings only). */
static enum pp_err year_slot(struct pass *p, int64_t year, struct year_revenue **out)
{
    for (int i = 0; i < p->nyears; i++) {
        if (p->years[i].year == year) {
            *out = &p->years[i];
            return PP_OK;
        }
    }
    if (p->nyears == MAX_YEARS)
        return PP_EINTERNAL;
    struct year_revenue *y = &p->years[p->nyears++];
    y->year = year;
    *out = y;
    return pp_db_query_int(p->db, &y->revenue,
                           "SELECT COALESCE(SUM(booking_total_cents), 0) FROM pricing"
                           " WHERE pricing_point_id = ? AND year = ? AND status <> 'cancelled'",
                           2, p->point, year);
}

struct first_of_year {
    int64_t year;
    int64_t ordering_date;
    int64_t event_id;
};

static const struct pp_col first_cols[] = PP_COLS(struct first_of_year,
    PPC_INT(year), PPC_INT(ordering_date), PPC_INT(event_id));
static const struct pp_row_spec first_row = PP_ROW_SPEC(struct first_of_year, first_cols, NULL);

/* Unpaid pricings ordered after the earliest ready event of their year are priced again. */
static enum pp_err requeue_later(struct pass *p, struct pp_arena *a)
{
    struct first_of_year *firsts;
    size_t n;
    enum pp_err rc = PP_COLLECT(p->db, a, &first_row, &firsts, &n,
        "SELECT year, ordering_date, MIN(id) AS event_id FROM finance_event e"
        " WHERE status = 'ready' AND pricing_point_id = ? AND ordering_date ="
        " (SELECT MIN(ordering_date) FROM finance_event f WHERE f.status = 'ready'"
        " AND f.pricing_point_id = e.pricing_point_id AND f.year = e.year)"
        " GROUP BY year, ordering_date",
        PP_INT(p->point));
    for (size_t i = 0; i < n && rc == PP_OK; i++)
        rc = pp_finance_requeue_after(p->db, p->point, firsts[i].year, firsts[i].ordering_date,
                                      firsts[i].event_id);
    return rc;
}

/* A ready event with what its pricing needs. */
struct event_row {
    int64_t id;
    int64_t booking_id;
    int64_t incident_id;
    int64_t collective_booking_id; /* a school group's booking: 100 %, not counted */
    int64_t venue_id;
    int64_t value_date;
    int64_t ordering_date;
    int64_t year;
    int64_t total;
    int64_t quantity;
    int64_t offer_id;
    int64_t offerer_id;
    const char *subcategory;
    int64_t incident_cents;
};

static const struct pp_col event_cols[] = PP_COLS(struct event_row,
    PPC_INT(id), PPC_INT(booking_id), PPC_INT(incident_id), PPC_INT(collective_booking_id),
    PPC_INT(venue_id), PPC_INT(value_date),
    PPC_INT(ordering_date), PPC_INT(year), PPC_INT(total), PPC_INT(quantity), PPC_INT(offer_id),
    PPC_INT(offerer_id), PPC_TEXT_REF_AS(subcategory, "subcategory_id"), PPC_INT(incident_cents));
static const struct pp_row_spec event_row = PP_ROW_SPEC(struct event_row, event_cols, NULL);

/* The price of one event, before it is written. */
struct price {
    enum pp_rule rule;
    int64_t custom_rule_id;
    int rate_bp;
    int64_t amount;
    int64_t counted; /* what the booking adds to the revenue */
    int64_t revenue;
};

/* An incident takes back money with the rule of the payment it corrects. */
static enum pp_err price_incident(struct pass *p, const struct event_row *ev, struct price *out)
{
    struct pp_stmt *st = PP_BIND(
        p->db, "SELECT rule, rate_bp FROM pricing WHERE booking_id = ? AND incident_id IS NULL"
               " AND status = 'invoiced'",
               PP_INT(ev->booking_id));
    if (st == NULL)
        return PP_EDB;
    enum pp_step s = pp_stmt_step(st);
    out->rule = PP_RULE_PHYSICAL;
    out->rate_bp = 10000;
    if (s == PP_STEP_ROW) {
        if (!pp_rule_from_code(pp_stmt_text(st, 0), &out->rule))
            out->rule = PP_RULE_CUSTOM;
        out->rate_bp = (int)pp_stmt_int(st, 1);
    }
    pp_stmt_done(st);
    out->amount = -ev->incident_cents;
    out->counted = 0;
    return s == PP_STEP_ERROR ? PP_EDB : PP_OK;
}

static enum pp_err price_event(struct pass *p, const struct event_row *ev, struct price *out)
{
    *out = (struct price){0};
    struct year_revenue *y;
    enum pp_err rc = year_slot(p, ev->year, &y);
    if (rc != PP_OK)
        return rc;
    out->revenue = y->revenue;
    if (ev->incident_id != 0)
        return price_incident(p, ev, out);
    if (ev->collective_booking_id != 0) {
        /* RULES §7: collective bookings are paid in full and count in no revenue. */
        out->rule = PP_RULE_EDUCATIONAL;
        out->rate_bp = pp_rule_rate_bp(PP_RULE_EDUCATIONAL);
        out->amount = pp_reimbursed_cents(ev->total, out->rate_bp);
        return PP_OK;
    }
    y->revenue += ev->total;
    out->revenue = y->revenue;
    out->counted = ev->total;
    const struct pp_custom_rule *custom =
        pp_custom_rule_pick(p->rules, p->nrules, ev->offer_id, p->point, ev->offerer_id,
                            ev->subcategory, ev->value_date);
    if (custom != NULL) {
        out->rule = PP_RULE_CUSTOM;
        out->custom_rule_id = custom->id;
        out->rate_bp = custom->rate_bp;
        out->amount = pp_custom_rule_amount(custom, ev->total, ev->quantity);
        return PP_OK;
    }
    const struct pp_subcategory *sub = pp_subcategory_find(ev->subcategory);
    if (sub == NULL)
        return PP_EINTERNAL; /* a stored subcategory is always in the table */
    out->rule = pp_rule_pick(sub->reimbursement, out->revenue);
    out->rate_bp = pp_rule_rate_bp(out->rule);
    out->amount = pp_reimbursed_cents(ev->total, out->rate_bp);
    return PP_OK;
}

static enum pp_err insert_pricing(struct pass *p, const struct event_row *ev,
                                  const struct price *pr, int64_t now)
{
    struct pp_stmt *st = pp_db_prepare(
        p->db, "INSERT INTO pricing (event_id, booking_id, incident_id, venue_id,"
               " pricing_point_id, status, value_date, ordering_date, year, booking_total_cents,"
               " revenue_cents, rule, custom_rule_id, rate_bp, amount_cents, created_at,"
               " collective_booking_id)"
               " VALUES (?, ?, ?, ?, ?, 'validated', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (st == NULL)
        return PP_EDB;
    int64_t ints[] = {ev->id, ev->booking_id, ev->incident_id, ev->venue_id, p->point,
                      ev->value_date, ev->ordering_date, ev->year, pr->counted, pr->revenue};
    for (int i = 0; i < 10; i++)
        pp_stmt_bind_int(st, i + 1, ints[i]);
    if (ev->booking_id == 0)
        pp_stmt_bind_null(st, 2);
    if (ev->incident_id == 0)
        pp_stmt_bind_null(st, 3);
    if (ev->collective_booking_id != 0)
        pp_stmt_bind_int(st, 16, ev->collective_booking_id);
    else
        pp_stmt_bind_null(st, 16);
    pp_stmt_bind_text(st, 11, pp_rule_code(pr->rule));
    if (pr->custom_rule_id != 0)
        pp_stmt_bind_int(st, 12, pr->custom_rule_id);
    else
        pp_stmt_bind_null(st, 12);
    pp_stmt_bind_int(st, 13, pr->rate_bp);
    pp_stmt_bind_int(st, 14, pr->amount);
    pp_stmt_bind_int(st, 15, now);
    return pp_row_exec(st);
}

/* Prices the ready events of the pass's pricing point, one row at a time. */
static enum pp_err price_ready_events(struct pass *p, int64_t now)
{
    struct pp_stmt *st = PP_BIND(
        p->db,
        "SELECT e.id AS id, COALESCE(e.booking_id, 0) AS booking_id,"
        " COALESCE(e.incident_id, 0) AS incident_id,"
        " COALESCE(e.collective_booking_id, 0) AS collective_booking_id,"
        " e.venue_id AS venue_id, e.value_date AS value_date, e.ordering_date AS ordering_date,"
        " e.year AS year, COALESCE(b.amount_cents * b.quantity, cb.price_cents) AS total,"
        " COALESCE(b.quantity, 1) AS quantity, COALESCE(b.offer_id, 0) AS offer_id,"
        " COALESCE(b.offerer_id, cb.offerer_id) AS offerer_id,"
        " COALESCE(o.subcategory_id, '') AS subcategory_id,"
        " COALESCE(i.amount_cents, 0) AS incident_cents"
        " FROM finance_event e LEFT JOIN booking b ON b.id = e.booking_id"
        " LEFT JOIN offer o ON o.id = b.offer_id"
        " LEFT JOIN collective_booking cb ON cb.id = e.collective_booking_id"
        " LEFT JOIN finance_incident i ON i.id = e.incident_id"
        " WHERE e.status = 'ready' AND e.pricing_point_id = ? ORDER BY e.ordering_date, e.id",
        PP_INT(p->point));
    if (st == NULL)
        return PP_EDB;
    struct event_row ev;
    bool checked = false;
    enum pp_err rc;
    while ((rc = pp_row_next(st, NULL, &event_row, &ev, &checked)) == PP_OK) {
        struct price pr;
        rc = price_event(p, &ev, &pr);
        if (rc == PP_OK)
            rc = insert_pricing(p, &ev, &pr, now);
        if (rc != PP_OK)
            break;
        p->priced++;
    }
    pp_stmt_done(st);
    if (rc != PP_ENOTFOUND)
        return rc;
    st = PP_BIND(p->db, "UPDATE finance_event SET status = 'priced'"
                              " WHERE status = 'ready' AND pricing_point_id = ?",
                              PP_INT(p->point));
    return pp_row_exec(st);
}

static enum pp_err price_point(struct pass *p, struct pp_arena *a, int64_t now)
{
    if (pp_db_begin(p->db) != PP_OK)
        return PP_EDB;
    int64_t before = p->priced;
    p->nyears = 0;
    enum pp_err rc = requeue_later(p, a);
    if (rc == PP_OK)
        rc = price_ready_events(p, now);
    rc = pp_tx_end(p->db, rc);
    if (rc != PP_OK) {
        p->priced = before;
        fprintf(stderr, "passpro: tarification du lieu %lld impossible (%s)\n",
                (long long)p->point, pp_err_name(rc));
    }
    return rc;
}

struct point_id {
    int64_t id;
};
static const struct pp_col point_cols[] = PP_COLS(struct point_id,
    PPC_INT_AS(id, "pricing_point_id"));
static const struct pp_row_spec point_row = PP_ROW_SPEC(struct point_id, point_cols, NULL);

enum pp_err pp_pricing_run(struct pp_db *db, int64_t now, int64_t *count)
{
    struct pp_arena *a = pp_arena_new();
    struct pass p = {.db = db};
    struct point_id *points = NULL;
    size_t n = 0;
    enum pp_err rc = load_rules(db, a, &p);
    if (rc == PP_OK)
        rc = pp_row_collect(pp_db_prepare(db, "SELECT DISTINCT pricing_point_id FROM finance_event"
                                              " WHERE status = 'ready' ORDER BY pricing_point_id"),
                            a, &point_row, (void **)&points, &n);
    /* One pricing point failing (logged) does not hold the others back. */
    enum pp_err first_failure = PP_OK;
    for (size_t i = 0; i < n && rc == PP_OK; i++) {
        p.point = points[i].id;
        enum pp_err one = price_point(&p, a, now);
        if (one == PP_EDB)
            rc = one;
        else if (one != PP_OK && first_failure == PP_OK)
            first_failure = one;
    }
    if (count != NULL)
        *count = p.priced;
    pp_arena_free(a);
    return rc != PP_OK ? rc : first_failure;
}
