#include "export/booking_export.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/tz.h"
#include "domain/audit.h"
#include "export/csv.h"
#include "export/xlsx.h"

#define NCOLS 19

/* RULES §9, reference/individual.md §8 (note the typographic apostrophe of "Nom de l’offre"). */
const char *const pp_booking_export_headers[NCOLS] = {
    "Structure",
    "Nom de l’offre",
    "Localisation",
    "Date de l'évènement",
    "EAN",
    "Prénom du bénéficiaire",
    "Nom du bénéficiaire",
    "Email du bénéficiaire",
    "Téléphone du bénéficiaire",
    "Date et heure de réservation",
    "Date et heure de validation",
    "Contremarque",
    "Intitulé du tarif",
    "Prix de la réservation",
    "Statut de la contremarque",
    "Date et heure de remboursement",
    "Type d'offre",
    "Code postal du bénéficiaire",
    "Duo",
};

static const struct pp_xlsx_column columns[NCOLS] = {
    {"Structure", 30, PP_XLSX_TEXT},
    {"Nom de l’offre", 40, PP_XLSX_TEXT},
    {"Localisation", 45, PP_XLSX_TEXT},
    {"Date de l'évènement", 17, PP_XLSX_DATETIME},
    {"EAN", 15, PP_XLSX_TEXT},
    {"Prénom du bénéficiaire", 18, PP_XLSX_TEXT},
    {"Nom du bénéficiaire", 18, PP_XLSX_TEXT},
    {"Email du bénéficiaire", 32, PP_XLSX_TEXT},
    {"Téléphone du bénéficiaire", 18, PP_XLSX_TEXT},
    {"Date et heure de réservation", 17, PP_XLSX_DATETIME},
    {"Date et heure de validation", 17, PP_XLSX_DATETIME},
    {"Contremarque", 14, PP_XLSX_TEXT},
    {"Intitulé du tarif", 30, PP_XLSX_TEXT},
    {"Prix de la réservation", 14, PP_XLSX_MONEY},
    {"Statut de la contremarque", 14, PP_XLSX_TEXT},
    {"Date et heure de remboursement", 17, PP_XLSX_DATETIME},
    {"Type d'offre", 18, PP_XLSX_TEXT},
    {"Code postal du bénéficiaire", 14, PP_XLSX_TEXT},
    {"Duo", 8, PP_XLSX_TEXT},
};

bool pp_export_format_parse(const char *s, enum pp_export_format *out)
{
    if (s == NULL)
        return false;
    if (strcmp(s, "csv") == 0)
        *out = PP_EXPORT_CSV;
    else if (strcmp(s, "xlsx") == 0 || strcmp(s, "excel") == 0)
        *out = PP_EXPORT_XLSX;
    else
        return false;
    return true;
}

const char *pp_export_filename(enum pp_export_format fmt)
{
    return fmt == PP_EXPORT_CSV ? "reservations_pass_culture.csv"
                                : "reservations_pass_culture.xlsx";
}

const char *pp_export_content_type(enum pp_export_format fmt)
{
    return fmt == PP_EXPORT_CSV
               ? "text/csv; charset=utf-8"
               : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
}

/* One cell of a row, whatever the format. */
struct sink {
    enum pp_export_format fmt;
    struct pp_csv csv;
    struct pp_xlsx *xlsx;
    int64_t rows; /* written so far, for the audit entry */
};

static void text(struct sink *k, const char *s)
{
    if (k->fmt == PP_EXPORT_CSV)
        pp_csv_text(&k->csv, s ? s : "");
    else
        pp_xlsx_text(k->xlsx, s);
}

static void when(struct sink *k, const char *zone, int64_t t)
{
    if (t == 0) {
        if (k->fmt == PP_EXPORT_CSV)
            pp_csv_text(&k->csv, "");
        else
            pp_xlsx_blank(k->xlsx);
        return;
    }
    struct pp_local l;
    pp_tz_to_local(zone, t, &l);
    if (k->fmt == PP_EXPORT_CSV) {
        char buf[32];
        snprintf(buf, sizeof buf, "%02d/%02d/%04d %02d:%02d", l.day, l.month, l.year % 10000,
                 l.hour, l.minute);
        pp_csv_text(&k->csv, buf);
    } else {
        pp_xlsx_datetime(k->xlsx, l.year, l.month, l.day, l.hour, l.minute);
    }
}

static void money(struct sink *k, int64_t cents)
{
    if (k->fmt == PP_EXPORT_CSV) {
        char buf[32];
        /* Decimal comma: a French spreadsheet reads "12,50" as a number. */
        snprintf(buf, sizeof buf, "%s%lld,%02lld", cents < 0 ? "-" : "",
                 (long long)(llabs(cents) / 100), (long long)(llabs(cents) % 100));
        pp_csv_raw(&k->csv, buf);
    } else {
        pp_xlsx_money(k->xlsx, cents);
    }
}

static void end_row(struct sink *k)
{
    if (k->fmt == PP_EXPORT_CSV)
        pp_csv_end_row(&k->csv);
    else
        pp_xlsx_end_row(k->xlsx);
}

static void write_row(struct sink *k, const struct pp_pro_booking *b, char *place, size_t cap)
{
    const char *zone = b->venue_timezone;
    k->rows++;
    snprintf(place, cap, "%s - %s %s %s", b->venue_name ? b->venue_name : "",
             b->venue_street ? b->venue_street : "",
             b->venue_postal_code ? b->venue_postal_code : "", b->venue_city ? b->venue_city : "");
    text(k, b->offerer_name);
    text(k, b->offer_name);
    text(k, place);
    when(k, zone, b->beginning_at);
    text(k, ""); /* EAN: passpro's museum offers carry none */
    text(k, b->first_name);
    text(k, b->last_name);
    text(k, b->email);
    text(k, b->phone);
    when(k, zone, b->created_at);
    when(k, zone, b->used_at);
    text(k, b->token);
    text(k, b->price_category_label);
    money(k, b->amount_cents);
    text(k, pp_pro_status_word(b->status));
    when(k, zone, b->reimbursed_at);
    text(k, "offre grand public");
    text(k, b->postal_code);
    text(k, b->quantity == 2 ? "Oui" : "Non");
    end_row(k);
}

/* A new temporary file; *path receives its name (to unlink). -1 on failure. */
static int temp_file(char *path, size_t cap)
{
    const char *dir = getenv("TMPDIR");
    snprintf(path, cap, "%s/passpro-export-XXXXXX", dir != NULL && *dir != '\0' ? dir : "/tmp");
    return mkostemp(path, O_CLOEXEC);
}

static const char *const status_names[] = {
    [PP_PRO_STATUS_ANY] = "tous",          [PP_PRO_STATUS_BOOKED] = "réservé",
    [PP_PRO_STATUS_CONFIRMED] = "confirmé", [PP_PRO_STATUS_VALIDATED] = "validé",
    [PP_PRO_STATUS_CANCELLED] = "annulé",   [PP_PRO_STATUS_REIMBURSED] = "remboursé",
};

/* The audit entry of an export: the structure (0: all the pro's), the filters, the rows. */
static enum pp_err log_export(struct pp_db *db, int64_t account_id,
                              const struct pp_pro_booking_filter *f, enum pp_export_format fmt,
                              int64_t rows)
{
    char detail[400], part[80];
    snprintf(detail, sizeof detail, "%s, %lld ligne%s", fmt == PP_EXPORT_CSV ? "CSV" : "Excel",
             (long long)rows, rows > 1 ? "s" : "");
    size_t used = strlen(detail);
    if (f->has_period) {
        snprintf(part, sizeof part, ", réservations du %s au %s", f->begin_iso, f->end_iso);
        used += (size_t)snprintf(detail + used, sizeof detail - used, "%s", part);
    }
    if (f->has_event_date && used < sizeof detail)
        used += (size_t)snprintf(detail + used, sizeof detail - used, ", évènement du %s",
                                 f->event_iso);
    if (f->venue_id != 0 && used < sizeof detail)
        used += (size_t)snprintf(detail + used, sizeof detail - used, ", lieu %lld",
                                 (long long)f->venue_id);
    if (f->offer_id != 0 && used < sizeof detail)
        used += (size_t)snprintf(detail + used, sizeof detail - used, ", offre %lld",
                                 (long long)f->offer_id);
    if (f->status != PP_PRO_STATUS_ANY && (size_t)f->status < sizeof status_names /
                                                                  sizeof status_names[0] &&
        used < sizeof detail)
        snprintf(detail + used, sizeof detail - used, ", statut %s", status_names[f->status]);
    return pp_audit_log(db, account_id, PP_CHANNEL_PORTAL, "BOOKINGS_EXPORTED", "offerer",
                        f->offerer_id, detail);
}

enum pp_err pp_booking_export(struct pp_db *db, int64_t account_id,
                              const struct pp_pro_booking_filter *f, int64_t now,
                              enum pp_export_format fmt, int *fd, uint64_t *size,
                              struct pp_error *e)
{
    *fd = -1;
    *size = 0;
    char path[600];
    int out = temp_file(path, sizeof path);
    if (out < 0) {
        fprintf(stderr, "passpro: export : fichier temporaire impossible : %s\n", strerror(errno));
        return PP_EINTERNAL;
    }
    struct sink k = {.fmt = fmt};
    FILE *stream = NULL;
    char *buffer = NULL;
    if (fmt == PP_EXPORT_CSV) {
        unlink(path); /* nothing else needs the name: the file lives as long as the fd */
        int copy = dup(out);
        stream = copy >= 0 ? fdopen(copy, "w") : NULL;
        if (stream == NULL) {
            if (copy >= 0)
                close(copy);
            close(out);
            return PP_EINTERNAL;
        }
        buffer = malloc(64 * 1024);
        if (buffer != NULL)
            setvbuf(stream, buffer, _IOFBF, 64 * 1024);
        pp_csv_begin(&k.csv, stream);
        for (int c = 0; c < NCOLS; c++)
            pp_csv_text(&k.csv, pp_booking_export_headers[c]);
        pp_csv_end_row(&k.csv);
    } else {
        /* libxlsxwriter writes the zip to a path at close: the file made above, unlinked after. */
        k.xlsx = pp_xlsx_open(path, "Réservations", columns, NCOLS);
        if (k.xlsx == NULL) {
            unlink(path);
            close(out);
            return PP_EINTERNAL;
        }
    }

    struct pp_pro_booking_iter *it = NULL;
    enum pp_err rc = pp_pro_booking_iter_open(db, account_id, f, now, &it);
    char place[1024];
    struct pp_pro_booking b;
    while (rc == PP_OK && (rc = pp_pro_booking_iter_next(it, &b)) == PP_OK) {
        for (int64_t i = 0; i < (b.quantity == 2 ? 2 : 1); i++) {
            if (fmt == PP_EXPORT_XLSX && pp_xlsx_rows_left(k.xlsx) <= 0) {
                rc = pp_error_set(e, PP_EVALIDATION, "global",
                                  "Trop de réservations pour un fichier Excel (plus de 1 048 575 "
                                  "lignes) : réduisez la période ou téléchargez le CSV.");
                break;
            }
            write_row(&k, &b, place, sizeof place);
        }
    }
    pp_pro_booking_iter_close(it);
    if (rc == PP_ENOTFOUND)
        rc = PP_OK;

    bool written;
    if (fmt == PP_EXPORT_CSV) {
        written = pp_csv_finish(&k.csv);
        written = fclose(stream) == 0 && written;
        free(buffer);
    } else {
        written = pp_xlsx_close(k.xlsx);
        unlink(path);
    }
    struct stat sb;
    if (rc == PP_OK && (!written || fstat(out, &sb) != 0 || lseek(out, 0, SEEK_SET) != 0)) {
        fprintf(stderr, "passpro: export : écriture du fichier impossible\n");
        rc = PP_EINTERNAL;
    }
    if (rc == PP_OK) /* personal data leave passpro here: who took which, how much */
        rc = log_export(db, account_id, f, fmt, k.rows);
    if (rc != PP_OK) {
        close(out);
        return rc;
    }
    *fd = out;
    *size = (uint64_t)sb.st_size;
    return PP_OK;
}
