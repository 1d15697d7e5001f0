#include "export/reimbursement_csv.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/iban.h"
#include "core/tz.h"
#include "domain/audit.h"
#include "domain/finance_event.h"
#include "export/csv.h"

const char *const pp_reimbursement_csv_headers[22] = {
    "Réservations concernées par le remboursement",
    "Date du justificatif",
    "N° du justificatif",
    "N° de virement",
    "Intitulé du compte bancaire",
    "IBAN",
    "SIRET de la structure",
    "Raison sociale de la structure",
    "Nom de l'offre",
    "Adresse de l'offre",
    "N° de réservation (offre collective)",
    "Nom (offre collective)",
    "Prénom (offre collective)",
    "Nom de l'établissement (offre collective)",
    "Date de l'évènement (offre collective)",
    "Contremarque",
    "Date de validation de la réservation",
    "Intitulé du tarif",
    "Montant de la réservation",
    "Barème",
    "Montant remboursé",
    "Type d'offre",
};

static const char *const months[12] = {"janvier", "février", "mars", "avril", "mai", "juin",
                                       "juillet", "août", "septembre", "octobre", "novembre",
                                       "décembre"};

void pp_reimbursement_amount(int64_t cents, char buf[32])
{
    uint64_t v = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
    snprintf(buf, 32, "%s%" PRIu64 ",%02" PRIu64, cents < 0 ? "-" : "", v / 100, v % 100);
}

void pp_reimbursement_rate_label(int rate_bp, char buf[16])
{
    if (rate_bp <= 0) {
        buf[0] = '\0';
        return;
    }
    int whole = rate_bp / 100, frac = rate_bp % 100;
    if (frac == 0)
        snprintf(buf, 16, "%d\u00a0%%", whole);
    else if (frac % 10 == 0)
        snprintf(buf, 16, "%d,%d\u00a0%%", whole, frac / 10);
    else
        snprintf(buf, 16, "%d,%02d\u00a0%%", whole, frac);
}

/* "Validées et remboursables sur mars : 1ère quinzaine": the half-month before the cut-off. */
static void period_label(const struct pp_reimbursement_row *r, char *buf, size_t cap)
{
    struct pp_local l;
    pp_tz_to_local(PP_FINANCE_ZONE, r->cutoff - 1, &l);
    snprintf(buf, cap, "%s sur %s : %s", r->is_incident ? "Incident" : "Validées et remboursables",
             months[l.month - 1], l.day <= 15 ? "1ère quinzaine" : "2nde quinzaine");
}

/* Columns 11-15: the booking, the teacher, the school and the event's date, for a school
 * group's booking ("dd/mm/YYYY HH:MM+hh:mm" in the venue's zone); empty for the others. */
static void collective_columns(struct pp_csv *w, const struct pp_reimbursement_row *r)
{
    char text[64];
    if (r->collective_booking_id == 0) {
        for (int i = 0; i < 5; i++)
            pp_csv_text(w, NULL);
        return;
    }
    snprintf(text, sizeof text, "%lld", (long long)r->collective_booking_id);
    pp_csv_raw(w, text);
    pp_csv_text(w, r->teacher_email); /* ADAGE gives passpro the teacher's address only */
    pp_csv_text(w, NULL);
    pp_csv_text(w, r->institution_name);
    struct pp_local l;
    pp_tz_to_local(r->timezone, r->event_start, &l);
    int off = l.offset < 0 ? -l.offset : l.offset;
    snprintf(text, sizeof text, "%02d/%02d/%04d %02d:%02d%c%02d:%02d", l.day, l.month, l.year,
             l.hour, l.minute, l.offset < 0 ? '-' : '+', off / 3600, off % 3600 / 60);
    pp_csv_text(w, text);
}

static void write_row(struct pp_csv *w, const struct pp_reimbursement_row *r)
{
    char text[256], masked[PP_IBAN_SHOWN], total[32], paid[32], rate[16];
    period_label(r, text, sizeof text);
    pp_csv_text(w, text);
    struct pp_local d;
    pp_tz_to_local(PP_FINANCE_ZONE, r->invoice_date, &d);
    snprintf(text, sizeof text, "%04d-%02d-%02d", d.year, d.month, d.day);
    pp_csv_text(w, text);
    pp_csv_text(w, r->reference);
    pp_csv_text(w, r->batch_label);
    pp_csv_text(w, r->bank_account_label);
    pp_iban_mask(r->iban, masked);
    pp_csv_text(w, masked);
    pp_csv_text(w, r->siret);
    pp_csv_text(w, r->venue_name);
    pp_csv_text(w, r->offer_name);
    snprintf(text, sizeof text, "%s %s %s", r->street ? r->street : "",
             r->postal_code ? r->postal_code : "", r->city ? r->city : "");
    pp_csv_text(w, text);
    collective_columns(w, r);
    pp_csv_text(w, r->token);
    pp_tz_to_local(r->timezone, r->used_at, &d);
    snprintf(text, sizeof text, "%04d-%02d-%02d %02d:%02d:%02d", d.year, d.month, d.day, d.hour,
             d.minute, d.second);
    pp_csv_text(w, r->used_at ? text : NULL);
    pp_csv_text(w, r->price_category_label);
    pp_reimbursement_amount(r->is_incident ? 0 : r->booking_total_cents, total);
    pp_csv_raw(w, total);
    pp_reimbursement_rate_label(r->rate_bp, rate);
    pp_csv_text(w, rate);
    pp_reimbursement_amount(r->reimbursed_cents, paid);
    pp_csv_raw(w, paid);
    pp_csv_text(w, r->collective_booking_id ? "offre collective" : "offre grand public");
    pp_csv_end_row(w);
}

static FILE *open_temp(int *fd)
{
    char path[] = "/tmp/passpro-remboursements-XXXXXX";
    const char *dir = getenv("TMPDIR");
    char custom[512];
    char *name = path;
    if (dir != NULL && *dir != '\0' && strlen(dir) < 400) {
        snprintf(custom, sizeof custom, "%s/passpro-remboursements-XXXXXX", dir);
        name = custom;
    }
    *fd = mkstemp(name);
    if (*fd < 0)
        return NULL;
    unlink(name); /* the file lives as long as its descriptor */
    int copy = dup(*fd);
    FILE *f = copy >= 0 ? fdopen(copy, "w") : NULL;
    if (f == NULL) {
        if (copy >= 0)
            close(copy);
        close(*fd);
        *fd = -1;
    }
    return f;
}

/* The audit entry of an export: who, which structure (0: all), the filters, the rows. */
static enum pp_err log_export(struct pp_db *db, const struct pp_invoice_filter *f, int64_t rows)
{
    char detail[300];
    int used = snprintf(detail, sizeof detail, "CSV des remboursements, %lld ligne%s",
                        (long long)rows, rows > 1 ? "s" : "");
    if (f->since != 0 || f->until != 0) {
        char a[24] = "", b[24] = "";
        if (f->since != 0)
            pp_tz_format_fr("Europe/Paris", f->since, a);
        if (f->until != 0)
            pp_tz_format_fr("Europe/Paris", f->until, b);
        used += snprintf(detail + used, sizeof detail - (size_t)used, ", période %s – %s", a, b);
    }
    if (f->bank_account_id != 0 && used > 0 && (size_t)used < sizeof detail)
        used += snprintf(detail + used, sizeof detail - (size_t)used, ", compte %lld",
                         (long long)f->bank_account_id);
    if (f->batch_label != NULL && used > 0 && (size_t)used < sizeof detail)
        snprintf(detail + used, sizeof detail - (size_t)used, ", virement %.40s", f->batch_label);
    return pp_audit_log(db, f->account_id,
                        f->account_id ? PP_CHANNEL_PORTAL : PP_CHANNEL_BACKOFFICE,
                        "REIMBURSEMENTS_EXPORTED", "offerer", f->offerer_id, detail);
}

enum pp_err pp_reimbursement_csv(struct pp_db *db, const struct pp_invoice_filter *f, int *fd,
                                 uint64_t *size)
{
    *fd = -1;
    *size = 0;
    int out;
    FILE *stream = open_temp(&out);
    if (stream == NULL) {
        fprintf(stderr, "passpro: export : fichier temporaire impossible : %s\n", strerror(errno));
        return PP_EINTERNAL;
    }
    struct pp_csv w;
    pp_csv_begin(&w, stream);
    for (int c = 0; c < 22; c++)
        pp_csv_text(&w, pp_reimbursement_csv_headers[c]);
    pp_csv_end_row(&w);
    struct pp_reimbursement_iter *it = NULL;
    struct pp_reimbursement_row row;
    int64_t rows = 0;
    enum pp_err rc = pp_reimbursement_iter_open(db, f, &it);
    while (rc == PP_OK && (rc = pp_reimbursement_iter_next(it, &row)) == PP_OK) {
        write_row(&w, &row);
        rows++;
    }
    pp_reimbursement_iter_close(it);
    if (rc == PP_ENOTFOUND)
        rc = PP_OK;
    bool written = pp_csv_finish(&w);
    written = fclose(stream) == 0 && written;
    struct stat sb;
    if (rc == PP_OK && (!written || fstat(out, &sb) != 0 || lseek(out, 0, SEEK_SET) != 0))
        rc = PP_EINTERNAL;
    if (rc == PP_OK)
        rc = log_export(db, f, rows);
    if (rc != PP_OK) {
        close(out);
        return rc;
    }
    *fd = out;
    *size = (uint64_t)sb.st_size;
    return PP_OK;
}
