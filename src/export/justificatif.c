#include "export/justificatif.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/iban.h"
#include "core/reimbursement.h"
#include "core/tz.h"
#include "domain/finance_event.h"
#include "export/invoice_pdf.h"

/* Builds the document's groups from the invoice lines: one group per rule group (the custom
 * rules one per rule), in the order of enum pp_rule_group. */
static void build_groups(struct pp_arena *a, const struct pp_invoice *inv,
                         struct pp_invoice_doc *doc)
{
    struct pp_invoice_group *groups = pp_arena_calloc(a, (inv->nlines + 1) * sizeof *groups);
    struct pp_invoice_line *lines = pp_arena_calloc(a, (inv->nlines + 1) * sizeof *lines);
    size_t ng = 0, nl = 0;
    for (int g = 0; g < PP_GROUP_COUNT; g++) {
        for (size_t i = 0; i < inv->nlines; i++) {
            const struct pp_invoice_line_row *r = &inv->lines[i];
            enum pp_rule rule;
            if (!pp_rule_from_code(r->rule, &rule))
                rule = PP_RULE_CUSTOM;
            if ((int)pp_rule_group_of(rule) != g)
                continue;
            bool new_group = ng == 0 || strcmp(groups[ng - 1].title, pp_rule_group_title(g)) != 0;
            if (new_group) {
                groups[ng].title = pp_rule_group_title(g);
                groups[ng].lines = &lines[nl];
                ng++;
            }
            lines[nl] = (struct pp_invoice_line){
                .label = r->is_incident ? "Incidents" : "Réservations",
                .rate_bp = r->rate_bp,
                .booked_cents = r->booked_cents,
                .contribution_cents = r->booked_cents - r->reimbursed_cents,
                .reimbursed_cents = r->reimbursed_cents,
            };
            nl++;
            groups[ng - 1].nlines++;
        }
    }
    doc->groups = groups;
    doc->ngroups = ng;
}

static enum pp_err render(struct pp_arena *a, const struct pp_invoice *inv, char **pdf,
                          size_t *len)
{
    char *masked = pp_arena_alloc(a, PP_IBAN_SHOWN);
    pp_iban_mask(inv->iban, masked);
    struct pp_invoice_transfer *transfer = pp_arena_calloc(a, sizeof *transfer);
    *transfer = (struct pp_invoice_transfer){inv->cashflow_id, inv->head.date,
                                             inv->head.amount_cents};
    struct pp_invoice_doc doc = {
        .reference = inv->head.reference,
        .date = inv->head.date,
        .batch_label = inv->head.batch_label,
        .offerer_name = inv->offerer_name,
        .offerer_address = inv->offerer_address,
        .offerer_siren = inv->offerer_siren,
        .siret = inv->siret,
        .bank_label = inv->head.bank_account_label,
        .iban_masked = masked,
        .period_start = inv->head.period_start,
        .period_end = inv->head.period_end,
        .transfers = transfer,
        .ntransfers = inv->cashflow_id != 0 ? 1 : 0,
    };
    build_groups(a, inv, &doc);
    return pp_invoice_pdf_render(&doc, pdf, len);
}

enum pp_err pp_justificatif_pdf(struct pp_db *db, struct pp_arena *arena,
                                const struct pp_invoice *inv, const char **pdf, size_t *len)
{
    enum pp_err rc = pp_invoice_pdf_load(db, arena, inv->head.id, pdf, len);
    if (rc != PP_ENOTFOUND)
        return rc;
    char *bytes = NULL;
    rc = render(arena, inv, &bytes, len);
    if (rc == PP_OK)
        rc = pp_invoice_pdf_store(db, inv->head.id, bytes, *len);
    if (rc == PP_OK) {
        char *copy = pp_arena_alloc(arena, *len);
        memcpy(copy, bytes, *len);
        *pdf = copy;
    }
    free(bytes);
    return rc;
}

enum pp_err pp_justificatif_ensure(struct pp_db *db, const char *reference)
{
    struct pp_arena *a = pp_arena_new();
    struct pp_invoice inv;
    const char *pdf;
    size_t len;
    enum pp_err rc = pp_invoice_get(db, a, reference, &inv);
    if (rc == PP_OK)
        rc = pp_justificatif_pdf(db, a, &inv, &pdf, &len);
    pp_arena_free(a);
    return rc;
}

const char *pp_justificatif_filename(struct pp_arena *arena, const struct pp_invoice *inv)
{
    struct pp_local l;
    pp_tz_to_local(PP_FINANCE_ZONE, inv->head.date, &l);
    return pp_arena_printf(arena, "%02d%02d%04d-%s-Justificatif-de-remboursement-pass-Culture.pdf",
                           l.day, l.month, l.year, inv->head.reference);
}

enum pp_err pp_justificatif_render_pending(struct pp_db *db)
{
    enum pp_err rc;
    size_t n;
    do {
        /* Batches of at most 100 references: an arena per batch keeps memory flat. */
        struct pp_arena *a = pp_arena_new();
        const char **refs = NULL;
        n = 0;
        rc = pp_invoice_unrendered(db, a, &refs, &n);
        for (size_t i = 0; i < n && rc == PP_OK; i++)
            if ((rc = pp_justificatif_ensure(db, refs[i])) != PP_OK)
                fprintf(stderr, "passpro: justificatif %s non généré (%s)\n", refs[i],
                        pp_err_name(rc));
        pp_arena_free(a);
    } while (rc == PP_OK && n == 100);
    return rc;
}
