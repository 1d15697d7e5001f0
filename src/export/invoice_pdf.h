#ifndef PP_EXPORT_INVOICE_PDF_H
#define PP_EXPORT_INVOICE_PDF_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

/**
 * The "Justificatif de remboursement" PDF of RULES §8, drawn with cairo + pango (French text,
 * DejaVu Sans). The caller gathers every figure (domain/finance); this module only lays them
 * out, so the document is a pure function of the struct below: the same invoice gives the same
 * bytes (no creation date is written into the PDF metadata).
 *
 * Amounts are integer euro cents, shown the French way ("20 235,00 €"); dates are Unix seconds
 * shown as dd/mm/yyyy in Europe/Paris.
 */

/** One line of a barème group ("Réservations", "Incidents"). */
struct pp_invoice_line {
    const char *label;
    /** Taux de remboursement in basis points (10000 = 100 %, 9500 = 95 %); -1 for a fixed
     *  amount per place (custom rule), shown as the effective rate of the amounts. */
    int rate_bp;
    int64_t booked_cents;       /**< Montant des réservations validées (TTC) */
    int64_t contribution_cents; /**< Montant de la contribution offreur (TTC) = booked - reimbursed */
    int64_t reimbursed_cents;   /**< Montant remboursé (TTC); negative for an incident line */
};

/** One barème ("Barème général", "Barème livres", "Barème non remboursé", "Barème dérogatoire",
 *  "Barème offres collectives"...), with its lines and a SOUS-TOTAL row. */
struct pp_invoice_group {
    const char *title;
    const struct pp_invoice_line *lines;
    size_t nlines;
};

/** One row of "Règlements effectués correspondant au montant remboursé". */
struct pp_invoice_transfer {
    int64_t cashflow_id; /**< N° de règlement */
    int64_t date;        /**< Unix seconds */
    int64_t amount_cents;
};

struct pp_invoice_doc {
    const char *reference;    /**< "F260000001" */
    int64_t date;             /**< invoice date, Unix seconds */
    const char *batch_label;  /**< "VIR3" */
    const char *offerer_name;
    const char *offerer_address; /**< "1 place de la Mairie, 69001 Lyon" */
    const char *offerer_siren;
    const char *siret;           /**< the pricing venue's SIRET, may be NULL */
    const char *bank_label;
    const char *iban_masked;     /**< "FR76 **** **** **** **** ***2 345" */
    int64_t period_start;        /**< first day included, Unix seconds (00:00 Paris) */
    int64_t period_end;          /**< last day included, Unix seconds (00:00 Paris) */
    const struct pp_invoice_group *groups;
    size_t ngroups;
    const struct pp_invoice_transfer *transfers;
    size_t ntransfers;
};

/**
 * Renders @doc as a PDF (A4, page numbers "1/2"...). On PP_OK, *out is a malloc'd buffer of
 * *len bytes that the caller frees. Tables that do not fit on a page continue on the next one
 * with their header repeated. PP_EINTERNAL when cairo fails (logged); PP_EINVAL when @doc,
 * @out or @len is NULL, or a list is NULL with a non-zero count. NULL strings print as empty.
 * Thread-safe: pango gives each thread its own font map.
 */
enum pp_err pp_invoice_pdf_render(const struct pp_invoice_doc *doc, char **out, size_t *len);

#endif
