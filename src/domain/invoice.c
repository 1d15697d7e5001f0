#include "domain/invoice.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "db/db.h"
#include "db/row.h"

/*
 * Invoices the filter lets through; eleven binds, in this order. The scope comes in two
 * spellings chosen in C, a pro's structures or all of them, rather than "? = 0 OR ...": an OR
 * on a parameter keeps the planner from reaching the invoices through their offerer's index.
 */
#define SCOPE_MEMBER                                                                              \
    " ? <> 0 AND i.offerer_id IN (SELECT offerer_id FROM user_offerer"                           \
    " WHERE account_id = ? AND status = 'VALIDATED')"
#define SCOPE_ALL " ? = 0 AND ? = 0"
#define INVOICE_FILTER(scope)                                                                     \
    scope " AND (? = 0 OR i.offerer_id = ?) AND (? = 0 OR i.bank_account_id = ?)"                \
          " AND (? IS NULL OR cb.label = ?) AND i.date >= ? AND (? = 0 OR i.date < ?)"
/* The statement for @f: head, the filter in @f's scope, tail. */
#define FILTERED(f, head, tail)                                                                   \
    ((f)->account_id != 0 ? head INVOICE_FILTER(SCOPE_MEMBER) tail                                \
                          : head INVOICE_FILTER(SCOPE_ALL) tail)

static void bind_filter(struct pp_stmt *st, int first, const struct pp_invoice_filter *f)
{
    int64_t ints[] = {f->account_id, f->account_id, f->offerer_id, f->offerer_id,
                      f->bank_account_id, f->bank_account_id};
    for (int i = 0; i < 6; i++)
        pp_stmt_bind_int(st, first + i, ints[i]);
    pp_stmt_bind_text(st, first + 6, f->batch_label);
    pp_stmt_bind_text(st, first + 7, f->batch_label);
    pp_stmt_bind_int(st, first + 8, f->since);
    pp_stmt_bind_int(st, first + 9, f->until);
    pp_stmt_bind_int(st, first + 10, f->until);
}

#define SUMMARY_COLUMNS                                                                           \
    "i.id AS id, i.reference AS reference, i.date AS date, i.amount_cents AS amount_cents,"       \
    " i.offerer_id AS offerer_id, i.bank_account_id AS bank_account_id,"                          \
    " ba.label AS bank_account_label, cb.label AS batch_label, i.period_start AS period_start,"   \
    " i.period_end AS period_end"

#define SUMMARY_FROM                                                                              \
    " FROM invoice i JOIN bank_account ba ON ba.id = i.bank_account_id"                           \
    " JOIN cashflow_batch cb ON cb.id = i.batch_id"

static const struct pp_col summary_cols[] = PP_COLS(struct pp_invoice_summary,
    PPC_INT(id), PPC_TEXT(reference), PPC_INT(date), PPC_INT(amount_cents), PPC_INT(offerer_id),
    PPC_INT(bank_account_id), PPC_TEXT(bank_account_label), PPC_TEXT(batch_label),
    PPC_INT(period_start), PPC_INT(period_end));
static const struct pp_row_spec summary_row =
    PP_ROW_SPEC(struct pp_invoice_summary, summary_cols, NULL);

enum pp_err pp_invoice_list(struct pp_db *db, struct pp_arena *arena,
                            const struct pp_invoice_filter *f, struct pp_invoice_summary **items,
                            size_t *count)
{
    struct pp_stmt *st = pp_db_prepare(
        db, FILTERED(f, "SELECT " SUMMARY_COLUMNS SUMMARY_FROM " WHERE",
                     " ORDER BY i.date DESC, i.id DESC LIMIT 500"));
    if (st != NULL)
        bind_filter(st, 1, f);
    return pp_row_collect(st, arena, &summary_row, (void **)items, count);
}

struct invoice_head {
    struct pp_invoice_summary s;
    const char *offerer_name, *street, *postal_code, *city, *siren, *iban;
    int64_t cashflow_id;
};

static const struct pp_col head_cols[] = PP_COLS(struct invoice_head,
    PPC_INT_AS(s.id, "id"), PPC_TEXT_AS(s.reference, "reference"), PPC_INT_AS(s.date, "date"),
    PPC_INT_AS(s.amount_cents, "amount_cents"), PPC_INT_AS(s.offerer_id, "offerer_id"),
    PPC_INT_AS(s.bank_account_id, "bank_account_id"),
    PPC_TEXT_AS(s.bank_account_label, "bank_account_label"),
    PPC_TEXT_AS(s.batch_label, "batch_label"), PPC_INT_AS(s.period_start, "period_start"),
    PPC_INT_AS(s.period_end, "period_end"), PPC_TEXT(offerer_name), PPC_TEXT(street),
    PPC_TEXT(postal_code), PPC_TEXT(city), PPC_TEXT(siren), PPC_TEXT(iban), PPC_INT(cashflow_id));
static const struct pp_row_spec head_row = PP_ROW_SPEC(struct invoice_head, head_cols, NULL);

static const struct pp_col line_cols[] = PP_COLS(struct pp_invoice_line_row,
    PPC_TEXT(rule), PPC_INT(custom_rule_id), PPC_I32(rate_bp), PPC_BOOL(is_incident),
    PPC_INT(booked_cents), PPC_INT(reimbursed_cents));
static const struct pp_row_spec line_row = PP_ROW_SPEC(struct pp_invoice_line_row, line_cols,
                                                       NULL);

static const char *address(struct pp_arena *a, const struct invoice_head *h)
{
    return pp_arena_printf(a, "%s%s%s %s", h->street ? h->street : "", h->street ? ", " : "",
                           h->postal_code ? h->postal_code : "", h->city ? h->city : "");
}

enum pp_err pp_invoice_get(struct pp_db *db, struct pp_arena *arena, const char *reference,
                           struct pp_invoice *out)
{
    struct invoice_head h;
    enum pp_err rc = PP_FETCH(db, arena, &head_row, &h,
        "SELECT " SUMMARY_COLUMNS ", o.name AS offerer_name, o.street AS street,"
        " o.postal_code AS postal_code, o.city AS city, o.siren AS siren, ba.iban AS iban,"
        " COALESCE(i.cashflow_id, 0) AS cashflow_id" SUMMARY_FROM
        " JOIN offerer o ON o.id = i.offerer_id WHERE i.reference = ?",
        PP_TEXT(reference));
    if (rc != PP_OK)
        return rc;
    *out = (struct pp_invoice){.head = h.s, .offerer_name = h.offerer_name,
                               .offerer_address = address(arena, &h), .offerer_siren = h.siren,
                               .iban = h.iban, .cashflow_id = h.cashflow_id};
    int64_t siret_venue = 0;
    if (pp_db_query_int(db, &siret_venue,
                        "SELECT MIN(v.id) FROM venue v JOIN venue_bank_account_link l"
                        " ON l.venue_id = v.id WHERE l.bank_account_id = ? AND v.siret IS NOT NULL",
                        1, h.s.bank_account_id) == PP_OK && siret_venue != 0) {
        struct pp_stmt *st = pp_db_prepare(db, "SELECT siret FROM venue WHERE id = ?");
        if (st != NULL) {
            pp_stmt_bind_int(st, 1, siret_venue);
            if (pp_stmt_step(st) == PP_STEP_ROW)
                out->siret = pp_arena_strdup(arena, pp_stmt_text(st, 0));
            pp_stmt_done(st);
        }
    }
    return PP_COLLECT(db, arena, &line_row, &out->lines, &out->nlines,
                      "SELECT rule, COALESCE(custom_rule_id, 0) AS custom_rule_id, rate_bp,"
                      " is_incident, booked_cents, reimbursed_cents FROM invoice_line"
                      " WHERE invoice_id = ? ORDER BY id",
                      PP_INT(h.s.id));
}

enum pp_err pp_invoice_pdf_load(struct pp_db *db, struct pp_arena *arena, int64_t id,
                                const char **pdf, size_t *len)
{
    struct pp_stmt *st = PP_BIND(db, "SELECT pdf FROM invoice WHERE id = ?", PP_INT(id));
    if (st == NULL)
        return PP_EDB;
    enum pp_step s = pp_stmt_step(st);
    enum pp_err rc = s == PP_STEP_ROW ? PP_OK : s == PP_STEP_DONE ? PP_ENOTFOUND : PP_EDB;
    if (rc == PP_OK) {
        const void *bytes = pp_stmt_blob(st, 0, len);
        if (bytes == NULL || *len == 0) {
            rc = PP_ENOTFOUND;
        } else {
            char *copy = pp_arena_alloc(arena, *len);
            memcpy(copy, bytes, *len);
            *pdf = copy;
        }
    }
    pp_stmt_done(st);
    return rc;
}

struct reference {
    const char *reference;
};
static const struct pp_col reference_cols[] = PP_COLS(struct reference, PPC_TEXT(reference));
static const struct pp_row_spec reference_row = PP_ROW_SPEC(struct reference, reference_cols,
                                                            NULL);

enum pp_err pp_invoice_unrendered(struct pp_db *db, struct pp_arena *arena,
                                  const char ***references, size_t *count)
{
    struct reference *rows;
    enum pp_err rc = pp_row_collect(
        pp_db_prepare(db, "SELECT reference FROM invoice WHERE pdf IS NULL ORDER BY id LIMIT 100"),
        arena, &reference_row, (void **)&rows, count);
    /* struct reference is one pointer: the array is an array of strings. */
    *references = (const char **)rows;
    return rc;
}

enum pp_err pp_invoice_pdf_store(struct pp_db *db, int64_t id, const char *pdf, size_t len)
{
    struct pp_stmt *st = pp_db_prepare(db, "UPDATE invoice SET pdf = ? WHERE id = ? AND pdf IS NULL");
    if (st == NULL)
        return PP_EDB;
    pp_stmt_bind_blob(st, 1, pdf, len);
    pp_stmt_bind_int(st, 2, id);
    return pp_row_exec(st);
}

struct pp_reimbursement_iter {
    struct pp_stmt *st;
    bool checked;
};

static const struct pp_col detail_cols[] = PP_COLS(struct pp_reimbursement_row,
    PPC_INT(invoice_date), PPC_TEXT_REF(reference), PPC_TEXT_REF(batch_label), PPC_INT(cutoff),
    PPC_TEXT_REF(bank_account_label), PPC_TEXT_REF(iban), PPC_TEXT_REF(siret),
    PPC_TEXT_REF(venue_name), PPC_TEXT_REF(offer_name), PPC_TEXT_REF(street),
    PPC_TEXT_REF(postal_code), PPC_TEXT_REF(city), PPC_TEXT_REF(timezone), PPC_TEXT_REF(token),
    PPC_INT(used_at), PPC_TEXT_REF(price_category_label), PPC_INT(booking_total_cents),
    PPC_TEXT_REF(rule), PPC_I32(rate_bp), PPC_INT(reimbursed_cents), PPC_BOOL(is_incident),
    PPC_INT(collective_booking_id), PPC_TEXT_REF(teacher_email), PPC_TEXT_REF(institution_name),
    PPC_INT(event_start));
static const struct pp_row_spec detail_row = PP_ROW_SPEC(struct pp_reimbursement_row,
                                                         detail_cols, NULL);

#define DETAIL_SELECT                                                                              \
    "SELECT i.date AS invoice_date, i.reference AS reference, cb.label AS batch_label,"            \
    " cb.cutoff AS cutoff, ba.label AS bank_account_label, ba.iban AS iban, v.siret AS siret,"     \
    " v.name AS venue_name, COALESCE(o.name, co.name) AS offer_name, v.street AS street,"          \
    " v.postal_code AS postal_code, v.city AS city, v.timezone AS timezone, b.token AS token,"     \
    " COALESCE(b.used_at, k.used_at, 0) AS used_at,"                                               \
    " b.price_category_label AS price_category_label,"                                             \
    " COALESCE(b.amount_cents * b.quantity, k.price_cents) AS booking_total_cents,"                \
    " p.rule AS rule, p.rate_bp AS rate_bp, p.amount_cents AS reimbursed_cents,"                   \
    " CASE WHEN p.incident_id IS NULL THEN 0 ELSE 1 END AS is_incident,"                           \
    " COALESCE(k.id, 0) AS collective_booking_id, k.teacher_email AS teacher_email,"               \
    " ei.name AS institution_name, COALESCE(ks.start_at, 0) AS event_start"                        \
    " FROM invoice i JOIN cashflow_batch cb ON cb.id = i.batch_id"                                 \
    " JOIN bank_account ba ON ba.id = i.bank_account_id"                                           \
    " JOIN pricing p ON p.invoice_id = i.id JOIN venue v ON v.id = p.venue_id"                     \
    " LEFT JOIN booking b ON b.id = p.booking_id LEFT JOIN offer o ON o.id = b.offer_id"           \
    " LEFT JOIN collective_booking k ON k.id = p.collective_booking_id"                            \
    " LEFT JOIN collective_offer co ON co.id = k.offer_id"                                         \
    " LEFT JOIN collective_stock ks ON ks.id = k.stock_id"                                         \
    " LEFT JOIN educational_institution ei ON ei.id = k.institution_id"                            \
    " WHERE"
/* RULES §8 (reference §3): individual rows first, then collective ones. */
#define DETAIL_ORDER                                                                               \
    " ORDER BY p.collective_booking_id IS NOT NULL, COALESCE(b.used_at, k.used_at) DESC,"          \
    " COALESCE(b.id, k.id) DESC, p.id DESC"

enum pp_err pp_reimbursement_iter_open(struct pp_db *db, const struct pp_invoice_filter *f,
                                       struct pp_reimbursement_iter **out)
{
    *out = NULL;
    struct pp_stmt *st = pp_db_prepare(db, FILTERED(f, DETAIL_SELECT, DETAIL_ORDER));
    if (st == NULL)
        return PP_EDB;
    bind_filter(st, 1, f);
    struct pp_reimbursement_iter *it = calloc(1, sizeof *it);
    if (it == NULL) {
        pp_stmt_done(st);
        return PP_EINTERNAL;
    }
    it->st = st;
    *out = it;
    return PP_OK;
}

enum pp_err pp_reimbursement_iter_next(struct pp_reimbursement_iter *it,
                                       struct pp_reimbursement_row *row)
{
    return pp_row_next(it->st, NULL, &detail_row, row, &it->checked);
}

void pp_reimbursement_iter_close(struct pp_reimbursement_iter *it)
{
    if (it == NULL)
        return;
    pp_stmt_done(it->st);
    free(it);
}
