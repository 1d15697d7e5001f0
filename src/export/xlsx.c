#include "export/xlsx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "core/arena.h"

struct pp_xlsx {
    lxw_workbook *wb;
    lxw_worksheet *ws;
    lxw_format *header, *money, *datetime;
    const struct pp_xlsx_column *cols;
    int ncols;
    lxw_row_t row;
    lxw_col_t col;
    bool failed;
    char tmpdir[512];
};

static void check(struct pp_xlsx *x, lxw_error err)
{
    if (err != LXW_NO_ERROR)
        x->failed = true;
}

struct pp_xlsx *pp_xlsx_open(const char *path, const char *sheet,
                             const struct pp_xlsx_column *cols, int ncols)
{
    struct pp_xlsx *x = pp_xcalloc(1, sizeof *x);
    const char *tmp = getenv("TMPDIR");
    snprintf(x->tmpdir, sizeof x->tmpdir, "%s", tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
    lxw_workbook_options opts = {.constant_memory = LXW_TRUE, .tmpdir = x->tmpdir};
    x->wb = workbook_new_opt(path, &opts);
    if (x->wb == NULL) {
        free(x);
        return NULL;
    }
    x->ws = workbook_add_worksheet(x->wb, sheet);
    if (x->ws == NULL) {
        workbook_close(x->wb);
        free(x);
        return NULL;
    }
    x->cols = cols;
    x->ncols = ncols;
    x->header = workbook_add_format(x->wb);
    format_set_bold(x->header);
    format_set_bg_color(x->header, 0xE3E3FD); /* DSFR blue-france 925 */
    format_set_bottom(x->header, LXW_BORDER_THIN);
    format_set_text_wrap(x->header);
    format_set_align(x->header, LXW_ALIGN_VERTICAL_CENTER);
    x->money = workbook_add_format(x->wb);
    format_set_num_format(x->money, "#,##0.00\\ \"€\"");
    x->datetime = workbook_add_format(x->wb);
    format_set_num_format(x->datetime, "dd/mm/yyyy hh:mm");
    workbook_set_properties(x->wb, &(lxw_doc_properties){.title = (char *)sheet,
                                                         .author = (char *)"pass Culture",
                                                         .company = (char *)"passpro"});

    for (int c = 0; c < ncols; c++)
        check(x, worksheet_set_column(x->ws, (lxw_col_t)c, (lxw_col_t)c, cols[c].width, NULL));
    check(x, worksheet_set_row(x->ws, 0, 30, NULL));
    for (int c = 0; c < ncols; c++)
        check(x, worksheet_write_string(x->ws, 0, (lxw_col_t)c, cols[c].header, x->header));
    worksheet_freeze_panes(x->ws, 1, 0);
    x->row = 1;
    x->col = 0;
    return x;
}

void pp_xlsx_text(struct pp_xlsx *x, const char *s)
{
    if (s != NULL && *s != '\0')
        check(x, worksheet_write_string(x->ws, x->row, x->col, s, NULL));
    x->col++;
}

void pp_xlsx_money(struct pp_xlsx *x, int64_t cents)
{
    check(x, worksheet_write_number(x->ws, x->row, x->col, (double)cents / 100.0, x->money));
    x->col++;
}

void pp_xlsx_datetime(struct pp_xlsx *x, int year, int month, int day, int hour, int minute)
{
    lxw_datetime dt = {.year = year, .month = month, .day = day, .hour = hour, .min = minute,
                       .sec = 0};
    check(x, worksheet_write_datetime(x->ws, x->row, x->col, &dt, x->datetime));
    x->col++;
}

void pp_xlsx_blank(struct pp_xlsx *x)
{
    x->col++;
}

void pp_xlsx_end_row(struct pp_xlsx *x)
{
    x->row++;
    x->col = 0;
}

int64_t pp_xlsx_rows_left(const struct pp_xlsx *x)
{
    return (int64_t)LXW_ROW_MAX - (int64_t)x->row;
}

bool pp_xlsx_close(struct pp_xlsx *x)
{
    if (x == NULL)
        return false;
    if (x->ncols > 0)
        check(x, worksheet_autofilter(x->ws, 0, 0, x->row - 1, (lxw_col_t)(x->ncols - 1)));
    check(x, workbook_close(x->wb));
    bool ok = !x->failed;
    free(x);
    return ok;
}
