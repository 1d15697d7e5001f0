#ifndef PP_EXPORT_CSV_H
#define PP_EXPORT_CSV_H

#include <stdbool.h>
#include <stdio.h>

/**
 * CSV for spreadsheets (RFC 4180 quoting, Excel's French dialect): UTF-8 with a byte order
 * mark so that Excel reads the accents, `;` between fields, CRLF after each record. Text
 * fields are always quoted (quotes doubled inside), numbers are not. Text that a spreadsheet
 * would run as a formula (starting with = + - @, a tab or a carriage return) gets a leading
 * apostrophe inside its quotes, as OWASP's "CSV injection" advice says.
 *
 * The writer streams into a FILE the caller owns: nothing but the stream's buffer is held.
 */

struct pp_csv {
    FILE *out;
    bool first;  /**< no field written yet on the current record */
    bool failed; /**< a write failed: the file is incomplete */
};

/** Starts a CSV document on @out (writes the byte order mark). */
void pp_csv_begin(struct pp_csv *w, FILE *out);

/** A text field, quoted and neutralized. NULL writes an empty field. */
void pp_csv_text(struct pp_csv *w, const char *s);

/** A field written as is, unquoted: numbers ("12,50"). NULL writes an empty field. */
void pp_csv_raw(struct pp_csv *w, const char *s);

/** Ends the current record. */
void pp_csv_end_row(struct pp_csv *w);

/** Flushes; false when any write failed. The caller still closes @out. */
bool pp_csv_finish(struct pp_csv *w);

/** True when @s would be read as a formula by a spreadsheet (= + - @, tab, CR first). */
bool pp_csv_is_formula(const char *s);

#endif
