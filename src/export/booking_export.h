#ifndef PP_EXPORT_BOOKING_EXPORT_H
#define PP_EXPORT_BOOKING_EXPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"
#include "domain/pro_booking.h"

struct pp_db;

/**
 * The bookings export of RULES §9: the 19 columns in order, one row per place (a Duo is two
 * rows), French status words, dates and times in each venue's zone, as CSV or Excel. Rows
 * stream from one database cursor into an unlinked temporary file in $TMPDIR (or /tmp): the
 * whole result is never in memory, and the file vanishes with its descriptor.
 */

enum pp_export_format { PP_EXPORT_CSV, PP_EXPORT_XLSX };

/** The 19 column titles, in order. */
extern const char *const pp_booking_export_headers[19];

/** "csv" → CSV, "xlsx" or "excel" → Excel; false for anything else (NULL too). */
bool pp_export_format_parse(const char *s, enum pp_export_format *out);

/** "reservations_pass_culture.csv" / "reservations_pass_culture.xlsx". */
const char *pp_export_filename(enum pp_export_format fmt);

/** The MIME type of @fmt. */
const char *pp_export_content_type(enum pp_export_format fmt);

/**
 * Writes the bookings of @account_id matching @f (as of @now) in @fmt. On PP_OK, *fd is the
 * file, open for reading at offset 0, and *size its length; the caller owns *fd (the HTTP
 * server sends it and closes it). An export of nothing is a file with the header only.
 * PP_EVALIDATION when the rows do not fit in an Excel sheet; PP_EDB, PP_EINTERNAL otherwise.
 */
enum pp_err pp_booking_export(struct pp_db *db, int64_t account_id,
                              const struct pp_pro_booking_filter *f, int64_t now,
                              enum pp_export_format fmt, int *fd, uint64_t *size,
                              struct pp_error *e);

#endif
