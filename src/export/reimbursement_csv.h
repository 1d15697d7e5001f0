#ifndef PP_EXPORT_REIMBURSEMENT_CSV_H
#define PP_EXPORT_REIMBURSEMENT_CSV_H

#include <stdint.h>

#include "core/error.h"
#include "domain/invoice.h"

struct pp_db;

/**
 * "Détails des réservations" (RULES §8): remboursements_pass_culture.csv, `;`, UTF-8 with
 * BOM, decimal comma, the 22 columns of reference/finance_pro.md §3 in order, one row per paid
 * booking and one negative row per incident. Streamed from one cursor into an unlinked
 * temporary file, like the bookings export: memory stays flat whatever the number of rows.
 */

#define PP_REIMBURSEMENT_CSV_NAME "remboursements_pass_culture.csv"

/** The 22 column titles, in order. */
extern const char *const pp_reimbursement_csv_headers[22];

/**
 * Writes the rows of the invoices matching @f. On PP_OK *@fd is the file, at offset 0, of
 * *@size bytes; the caller owns it. PP_EDB, PP_EINTERNAL.
 */
enum pp_err pp_reimbursement_csv(struct pp_db *db, const struct pp_invoice_filter *f, int *fd,
                                 uint64_t *size);

/** "100 %", "92,5 %" (with a no-break space), or "" for 0 and fixed amounts, into @buf. */
void pp_reimbursement_rate_label(int rate_bp, char buf[16]);

/** "21,00", "-3,50": cents with a decimal comma, no currency sign, into @buf. */
void pp_reimbursement_amount(int64_t cents, char buf[32]);

#endif
