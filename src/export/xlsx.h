#ifndef PP_EXPORT_XLSX_H
#define PP_EXPORT_XLSX_H

#include <stdbool.h>
#include <stdint.h>

/**
 * One-sheet Excel tables with libxlsxwriter in constant_memory mode: rows are written in
 * order and flushed to a temporary file as they go, so memory stays flat whatever the number
 * of rows. The header row is bold, frozen and filterable (an autofilter over the whole
 * table); each column has its width and kind (text, euros with a currency format, local
 * date and time with a French date format).
 */

enum pp_xlsx_kind {
    PP_XLSX_TEXT,
    PP_XLSX_MONEY,    /**< euro cents, shown "1 234,50 €" by a French Excel */
    PP_XLSX_DATETIME, /**< a local date and time, shown "14/03/2026 09:30" */
};

struct pp_xlsx_column {
    const char *header;
    double width;      /**< in characters */
    enum pp_xlsx_kind kind;
};

struct pp_xlsx;

/**
 * Creates the workbook at @path (overwritten) with one sheet @sheet and the header row of
 * the @ncols columns @cols (kept by pointer: they must outlive the table). Temporary files go
 * to $TMPDIR or /tmp. NULL on failure. Close it with pp_xlsx_close().
 */
struct pp_xlsx *pp_xlsx_open(const char *path, const char *sheet,
                             const struct pp_xlsx_column *cols, int ncols);

/** The next cell of the current row: text (NULL or "" leaves it blank). */
void pp_xlsx_text(struct pp_xlsx *x, const char *s);
/** The next cell: an amount in euro cents. */
void pp_xlsx_money(struct pp_xlsx *x, int64_t cents);
/** The next cell: a local date and time. */
void pp_xlsx_datetime(struct pp_xlsx *x, int year, int month, int day, int hour, int minute);
/** The next cell, left blank. */
void pp_xlsx_blank(struct pp_xlsx *x);
/** Ends the current row. */
void pp_xlsx_end_row(struct pp_xlsx *x);

/** Data rows a sheet can still take (Excel's limit is 1,048,576 rows, header included). */
int64_t pp_xlsx_rows_left(const struct pp_xlsx *x);

/**
 * Sets the autofilter over the header and every row, writes the file and frees @x. False
 * when anything failed (the file is then not to be sent). NULL is accepted (false).
 */
bool pp_xlsx_close(struct pp_xlsx *x);

#endif
