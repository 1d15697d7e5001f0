#ifndef PP_DOMAIN_INVOICE_H
#define PP_DOMAIN_INVOICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

struct pp_db;
struct pp_arena;

/**
 * Invoices ("justificatifs de remboursement", RULES §8) as the portal reads them: the list,
 * one invoice with its lines for the PDF, the stored PDF itself (written once, never
 * rewritten: a trigger refuses it), and the rows of the "Détails des réservations" CSV.
 * Callers check access to the structure first (domain/authz.c).
 */

/** Which invoices: 0 / NULL for "any". Dates are Unix seconds, @until exclusive. */
struct pp_invoice_filter {
    int64_t account_id;      /**< a pro: only its structures (VALIDATED membership); 0 = all */
    int64_t offerer_id;
    int64_t bank_account_id;
    const char *batch_label; /**< "VIR3" */
    int64_t since;
    int64_t until;
};

struct pp_invoice_summary {
    int64_t id;
    const char *reference;
    int64_t date;
    int64_t amount_cents;
    int64_t offerer_id;
    int64_t bank_account_id;
    const char *bank_account_label;
    const char *batch_label;
    int64_t period_start;
    int64_t period_end;
};

/** Invoices matching @f, newest first, at most 500. Strings and array in @arena. */
enum pp_err pp_invoice_list(struct pp_db *db, struct pp_arena *arena,
                            const struct pp_invoice_filter *f, struct pp_invoice_summary **items,
                            size_t *count);

/** One line of an invoice (a rule, a rate, bookings or incidents). */
struct pp_invoice_line_row {
    const char *rule;        /**< pp_rule_code() */
    int64_t custom_rule_id;
    int rate_bp;             /**< -1 for a fixed amount per place */
    bool is_incident;
    int64_t booked_cents;
    int64_t reimbursed_cents;
};

/** Everything the justificatif shows. Strings in the arena. */
struct pp_invoice {
    struct pp_invoice_summary head;
    const char *offerer_name;
    const char *offerer_address;
    const char *offerer_siren;
    const char *siret;       /**< SIRET of a venue paid by the account, or NULL */
    const char *iban;        /**< whole: mask it before showing it to a pro */
    int64_t cashflow_id;     /**< 0 when nothing was transferred (a zero total) */
    struct pp_invoice_line_row *lines;
    size_t nlines;
};

/** The invoice of reference @reference. PP_ENOTFOUND. */
enum pp_err pp_invoice_get(struct pp_db *db, struct pp_arena *arena, const char *reference,
                           struct pp_invoice *out);

/** The stored PDF of invoice @id in *@pdf (a copy in @arena). PP_ENOTFOUND until stored. */
enum pp_err pp_invoice_pdf_load(struct pp_db *db, struct pp_arena *arena, int64_t id,
                                const char **pdf, size_t *len);

/** References of the invoices whose PDF is not stored yet (at most 100), in @arena. */
enum pp_err pp_invoice_unrendered(struct pp_db *db, struct pp_arena *arena,
                                  const char ***references, size_t *count);

/** Stores the PDF of invoice @id once; a second store changes nothing (PP_OK). */
enum pp_err pp_invoice_pdf_store(struct pp_db *db, int64_t id, const char *pdf, size_t len);

/** One row of the "Détails des réservations" CSV: a paid booking or an incident. */
struct pp_reimbursement_row {
    int64_t invoice_date;
    const char *reference;
    const char *batch_label;
    int64_t cutoff;
    const char *bank_account_label;
    const char *iban;          /**< whole */
    const char *siret;
    const char *venue_name;
    const char *offer_name;
    const char *street, *postal_code, *city;
    const char *timezone;
    const char *token;
    int64_t used_at;
    const char *price_category_label;
    int64_t booking_total_cents;
    const char *rule;
    int rate_bp;
    int64_t reimbursed_cents;  /**< negative for an incident */
    bool is_incident;
    /* A school group's booking (0 and NULL for the others): columns 11-15 of the CSV. */
    int64_t collective_booking_id;
    const char *teacher_email;
    const char *institution_name;
    int64_t event_start;
};

struct pp_reimbursement_iter;

/**
 * Opens a cursor over the paid pricings of the invoices matching @f (dates on the invoice
 * date), the newest use first. Strings of each row stay valid until the next call.
 */
enum pp_err pp_reimbursement_iter_open(struct pp_db *db, const struct pp_invoice_filter *f,
                                       struct pp_reimbursement_iter **out);
/** Next row: PP_OK, PP_ENOTFOUND after the last one, PP_EDB. */
enum pp_err pp_reimbursement_iter_next(struct pp_reimbursement_iter *it,
                                       struct pp_reimbursement_row *row);
/** Closes the cursor. NULL is accepted. */
void pp_reimbursement_iter_close(struct pp_reimbursement_iter *it);

#endif
