#ifndef PP_EXPORT_JUSTIFICATIF_H
#define PP_EXPORT_JUSTIFICATIF_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "domain/invoice.h"

struct pp_db;
struct pp_arena;

/**
 * The stored justificatif of an invoice: rendered once (export/invoice_pdf.c) from what the
 * run recorded, stored in the invoice row, and served as stored ever after. A run renders its
 * invoices right after it commits; if the server stopped in between, the first download
 * renders it: the document depends only on the invoice's rows, so it is the same either way.
 */

/** The PDF of @inv in *@pdf (in @arena), rendering and storing it the first time. */
enum pp_err pp_justificatif_pdf(struct pp_db *db, struct pp_arena *arena,
                                const struct pp_invoice *inv, const char **pdf, size_t *len);

/** Renders and stores the justificatif of invoice @reference if it is not stored yet. */
enum pp_err pp_justificatif_ensure(struct pp_db *db, const char *reference);

/**
 * Renders and stores the justificatif of every invoice that has none yet (after a run, by the
 * scheduler, by the back office, by the demo). Stops at the first failure and returns it
 * (logged): what is left is rendered on its first download.
 */
enum pp_err pp_justificatif_render_pending(struct pp_db *db);

/** "08122026-F260000001-Justificatif-de-remboursement-pass-Culture.pdf" in @arena. */
const char *pp_justificatif_filename(struct pp_arena *arena, const struct pp_invoice *inv);

#endif
