#include "export/invoice_pdf.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/money.h"
#include "core/tz.h"

/* A4 in PostScript points: cairo's PDF unit, so 1 user unit = 1 pt. */
#define PAGE_W 595.28
#define PAGE_H 841.89
#define MARGIN 40.0
#define BODY_W (PAGE_W - 2 * MARGIN)
#define BODY_TOP (MARGIN + 26.0)
#define BODY_BOTTOM (PAGE_H - MARGIN - 22.0)
#define CELL_PAD 3.5
#define FONT_FAMILY "DejaVu Sans"
#define ZONE "Europe/Paris"

/* DSFR colours, the same as the portal's. */
#define BLUE_FRANCE 0x000091
#define BLUE_925 0xE3E3FD
#define BLUE_850 0xCACAFB
#define GREY_975 0xF6F6F6
#define GREY_TEXT 0x666666
#define INK 0x161616
#define RULE 0xDDDDDD

#define NCOLS_MAX 6

/* The output buffer behind cairo's stream. */
struct membuf {
    char *data;
    size_t len, cap;
};

/* One rendering pass. */
struct pdf {
    const struct pp_invoice_doc *doc;
    cairo_t *cr;
    PangoLayout *layout;
    PangoFontDescription *font;
    int page;   /* pages begun so far */
    int npages; /* total, known only in the second pass (0 in the counting pass) */
    double y;   /* top of the free space on the current page */
    char date[16];
};

struct table {
    const double *widths;
    size_t ncols;
    const char *const *head;
    bool first_left; /* first column is text (left), the others are figures (right) */
};

enum row_kind { ROW_HEAD, ROW_GROUP, ROW_LINE, ROW_SUBTOTAL, ROW_TOTAL };

static const struct {
    unsigned bg, fg;
    bool bold;
    double pt;
} row_styles[] = {
    [ROW_HEAD] = {BLUE_FRANCE, 0xFFFFFF, true, 7.0},
    [ROW_GROUP] = {BLUE_925, BLUE_FRANCE, true, 8.0},
    [ROW_LINE] = {0xFFFFFF, INK, false, 8.0},
    [ROW_SUBTOTAL] = {GREY_975, INK, true, 8.0},
    [ROW_TOTAL] = {BLUE_850, BLUE_FRANCE, true, 8.0},
};

static cairo_status_t membuf_write(void *closure, const unsigned char *data, unsigned int n)
{
    struct membuf *b = closure;
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 64 * 1024;
        while (cap < b->len + n)
            cap *= 2;
        b->data = pp_xrealloc(b->data, cap);
        b->cap = cap;
    }
    memcpy(b->data + b->len, data, n);
    b->len += n;
    return CAIRO_STATUS_SUCCESS;
}

/* The counting pass only needs the page breaks, not the bytes. */
static cairo_status_t discard_write(void *closure, const unsigned char *data, unsigned int n)
{
    (void)closure;
    (void)data;
    (void)n;
    return CAIRO_STATUS_SUCCESS;
}

static const char *str(const char *s)
{
    return s != NULL ? s : "";
}

static void format_date(int64_t t, char out[16])
{
    struct pp_local l;
    pp_tz_to_local(ZONE, t, &l);
    snprintf(out, 16, "%02d/%02d/%04d", l.day, l.month, l.year);
}

/* Basis points the French way: 10000 → "100 %", 9250 → "92,5 %", 9525 → "95,25 %". */
static void format_bp(int64_t bp, char out[32])
{
    uint64_t v = bp < 0 ? (uint64_t)0 - (uint64_t)bp : (uint64_t)bp;
    const char *sign = bp < 0 ? "-" : "";
    unsigned long long whole = v / 100, frac = v % 100;
    if (frac == 0)
        snprintf(out, 32, "%s%llu\u00a0%%", sign, whole);
    else if (frac % 10 == 0)
        snprintf(out, 32, "%s%llu,%llu\u00a0%%", sign, whole, frac / 10);
    else
        snprintf(out, 32, "%s%llu,%02llu\u00a0%%", sign, whole, frac);
}

/* num / den in basis points, rounded half away from zero; den != 0. */
static int64_t ratio_bp(int64_t num, int64_t den)
{
    /* No invoice reaches 9e14 cents; the guard only keeps the product below defined. */
    if (num > INT64_MAX / 10000 || num < -(INT64_MAX / 10000))
        return (int64_t)llround((double)num / (double)den * 10000.0);
    int64_t n = num * 10000;
    bool negative = (n < 0) != (den < 0);
    uint64_t an = n < 0 ? (uint64_t)0 - (uint64_t)n : (uint64_t)n;
    uint64_t ad = den < 0 ? (uint64_t)0 - (uint64_t)den : (uint64_t)den;
    uint64_t q = (an + ad / 2) / ad;
    return negative ? -(int64_t)q : (int64_t)q;
}

static void set_rgb(cairo_t *cr, unsigned rgb)
{
    cairo_set_source_rgb(cr, ((rgb >> 16) & 0xFF) / 255.0, ((rgb >> 8) & 0xFF) / 255.0,
                         (rgb & 0xFF) / 255.0);
}

/*
 * Puts @text into the pass's layout, wrapped to @width points (≤ 0: one line), and returns its
 * height in points. Bytes that are not UTF-8 are replaced, since pango refuses such text.
 */
static double layout_text(struct pdf *p, const char *text, double pt, bool bold, double width,
                          PangoAlignment align)
{
    pango_font_description_set_weight(p->font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    /* Absolute size: points are user units here, whatever pango's resolution. */
    pango_font_description_set_absolute_size(p->font, pt * PANGO_SCALE);
    pango_layout_set_font_description(p->layout, p->font);
    pango_layout_set_width(p->layout, width > 0 ? (int)(width * PANGO_SCALE) : -1);
    pango_layout_set_wrap(p->layout, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(p->layout, align);
    text = str(text);
    if (g_utf8_validate(text, -1, NULL)) {
        pango_layout_set_text(p->layout, text, -1);
    } else {
        char *valid = g_utf8_make_valid(text, -1);
        pango_layout_set_text(p->layout, valid, -1);
        g_free(valid);
    }
    int w, h;
    pango_layout_get_size(p->layout, &w, &h);
    return (double)h / PANGO_SCALE;
}

static double show_text(struct pdf *p, double x, double y, const char *text, double pt, bool bold,
                        double width, PangoAlignment align, unsigned rgb)
{
    double h = layout_text(p, text, pt, bold, width, align);
    set_rgb(p->cr, rgb);
    cairo_move_to(p->cr, x, y);
    pango_cairo_show_layout(p->cr, p->layout);
    return h;
}

static void hrule(struct pdf *p, double y, unsigned rgb, double width)
{
    set_rgb(p->cr, rgb);
    cairo_set_line_width(p->cr, width);
    cairo_move_to(p->cr, MARGIN, y);
    cairo_line_to(p->cr, PAGE_W - MARGIN, y);
    cairo_stroke(p->cr);
}

static void page_footer(struct pdf *p)
{
    double y = PAGE_H - MARGIN - 10.0;
    hrule(p, y - 4.0, RULE, 0.5);
    show_text(p, MARGIN, y, "pass Culture", 7.5, true, 0, PANGO_ALIGN_LEFT, BLUE_FRANCE);
    char num[32];
    /* The counting pass does not know the total yet; its pages are thrown away. */
    snprintf(num, sizeof num, "%d/%d", p->page, p->npages > 0 ? p->npages : p->page);
    show_text(p, MARGIN, y, num, 7.5, false, BODY_W, PANGO_ALIGN_RIGHT, GREY_TEXT);
}

static void page_begin(struct pdf *p)
{
    if (p->page > 0) {
        page_footer(p);
        cairo_show_page(p->cr);
    }
    p->page++;
    char head[256];
    snprintf(head, sizeof head, "Relevé n°%s du %s", str(p->doc->reference), p->date);
    show_text(p, MARGIN, MARGIN, head, 8.0, false, BODY_W, PANGO_ALIGN_LEFT, GREY_TEXT);
    hrule(p, MARGIN + 14.0, RULE, 0.5);
    p->y = BODY_TOP;
}

/* Starts a new page unless @h more points fit on this one. */
static void ensure_room(struct pdf *p, double h)
{
    if (p->y + h > BODY_BOTTOM)
        page_begin(p);
}

static void paragraph(struct pdf *p, const char *text, double pt, bool bold, unsigned rgb,
                      double gap_after)
{
    double h = layout_text(p, text, pt, bold, BODY_W, PANGO_ALIGN_LEFT);
    ensure_room(p, h);
    p->y += show_text(p, MARGIN, p->y, text, pt, bold, BODY_W, PANGO_ALIGN_LEFT, rgb) + gap_after;
}

static PangoAlignment cell_align(const struct table *t, enum row_kind kind, size_t c)
{
    if (c == 0 && t->first_left)
        return PANGO_ALIGN_LEFT;
    return kind == ROW_HEAD ? PANGO_ALIGN_CENTER : PANGO_ALIGN_RIGHT;
}

/* A group row is one cell across the table; the other kinds have one cell per column. */
static size_t row_cells(const struct table *t, enum row_kind kind)
{
    return kind == ROW_GROUP ? 1 : t->ncols;
}

static double cell_width(const struct table *t, enum row_kind kind, size_t c)
{
    return kind == ROW_GROUP ? BODY_W : t->widths[c];
}

static double row_height(struct pdf *p, const struct table *t, const char *const *cells,
                         enum row_kind kind)
{
    double h = 0;
    for (size_t c = 0; c < row_cells(t, kind); c++) {
        double ch = layout_text(p, cells[c], row_styles[kind].pt, row_styles[kind].bold,
                                cell_width(t, kind, c) - 2 * CELL_PAD, cell_align(t, kind, c));
        if (ch > h)
            h = ch;
    }
    return h + 2 * CELL_PAD;
}

static void draw_row(struct pdf *p, const struct table *t, const char *const *cells,
                     enum row_kind kind, double h)
{
    set_rgb(p->cr, row_styles[kind].bg);
    cairo_rectangle(p->cr, MARGIN, p->y, BODY_W, h);
    cairo_fill(p->cr);
    double x = MARGIN;
    for (size_t c = 0; c < row_cells(t, kind); c++) {
        double w = cell_width(t, kind, c) - 2 * CELL_PAD;
        double ch = layout_text(p, cells[c], row_styles[kind].pt, row_styles[kind].bold, w,
                                cell_align(t, kind, c));
        /* Cells of one row are centred vertically, so a wrapped label keeps its figures level. */
        show_text(p, x + CELL_PAD, p->y + (h - ch) / 2, cells[c], row_styles[kind].pt,
                  row_styles[kind].bold, w, cell_align(t, kind, c), row_styles[kind].fg);
        x += cell_width(t, kind, c);
    }
    hrule(p, p->y + h, RULE, 0.5);
    p->y += h;
}

static void table_head(struct pdf *p, const struct table *t)
{
    draw_row(p, t, t->head, ROW_HEAD, row_height(p, t, t->head, ROW_HEAD));
}

/*
 * Draws one row, first moving to a new page (with the table header repeated) when it does not
 * fit together with @keep points that must stay with it (a group title keeps its first line).
 * A row taller than a whole page is drawn anyway rather than breaking pages forever.
 */
static void table_row(struct pdf *p, const struct table *t, const char *const *cells,
                      enum row_kind kind, double keep)
{
    double h = row_height(p, t, cells, kind);
    if (p->y + h + keep > BODY_BOTTOM) {
        page_begin(p);
        table_head(p, t);
    }
    draw_row(p, t, cells, kind, h);
}

static void pro_block(struct pdf *p)
{
    const struct pp_invoice_doc *d = p->doc;
    char line[512], start[16], end[16];
    double top = p->y;
    p->y += 8.0;
    paragraph(p, str(d->offerer_name), 10.0, true, INK, 2.0);
    if (d->offerer_address != NULL && *d->offerer_address != '\0')
        paragraph(p, d->offerer_address, 9.0, false, INK, 2.0);
    snprintf(line, sizeof line, "SIREN : %s", str(d->offerer_siren));
    paragraph(p, line, 9.0, false, INK, 2.0);
    if (d->siret != NULL && *d->siret != '\0') {
        snprintf(line, sizeof line, "SIRET : %s", d->siret);
        paragraph(p, line, 9.0, false, INK, 2.0);
    }
    snprintf(line, sizeof line, "Compte bancaire : %s", str(d->bank_label));
    paragraph(p, line, 9.0, false, INK, 2.0);
    snprintf(line, sizeof line, "IBAN : %s", str(d->iban_masked));
    paragraph(p, line, 9.0, false, INK, 2.0);
    format_date(d->period_start, start);
    format_date(d->period_end, end);
    snprintf(line, sizeof line, "Période : du %s au %s", start, end);
    paragraph(p, line, 9.0, false, INK, 8.0);
    /* A bar on the left marks the block without boxing text whose height is only known now. */
    set_rgb(p->cr, BLUE_FRANCE);
    cairo_rectangle(p->cr, MARGIN - 8.0, top, 2.5, p->y - top);
    cairo_fill(p->cr);
    p->y += 10.0;
}

/* The six cells of one invoice line; @buf holds their text. */
static void line_cells(const struct pp_invoice_line *l, char buf[5][PP_MONEY_LEN],
                       const char *cells[6])
{
    int64_t rate = l->rate_bp;
    bool known = true;
    if (rate < 0) {
        /* A fixed amount per place has no rate of its own: show what it came to. */
        known = l->booked_cents != 0;
        rate = known ? ratio_bp(l->reimbursed_cents, l->booked_cents) : 0;
    }
    if (known) {
        format_bp(rate, buf[0]);
        format_bp(10000 - rate, buf[2]);
    } else {
        snprintf(buf[0], PP_MONEY_LEN, "—");
        snprintf(buf[2], PP_MONEY_LEN, "—");
    }
    pp_money_format(l->booked_cents, buf[1]);
    pp_money_format(l->contribution_cents, buf[3]);
    pp_money_format(l->reimbursed_cents, buf[4]);
    cells[0] = str(l->label);
    cells[1] = buf[0];
    cells[2] = buf[1];
    cells[3] = buf[2];
    cells[4] = buf[3];
    cells[5] = buf[4];
}

static void sum_cells(const char *label, const int64_t sums[3], char buf[3][PP_MONEY_LEN],
                      const char *cells[6])
{
    for (int i = 0; i < 3; i++)
        pp_money_format(sums[i], buf[i]);
    cells[0] = label;
    cells[1] = "";
    cells[2] = buf[0];
    cells[3] = "";
    cells[4] = buf[1];
    cells[5] = buf[2];
}

static const double group_widths[] = {139.28, 70.0, 80.0, 70.0, 76.0, 80.0};
static const char *const group_head[] = {
    "Typologie",
    "Taux de remboursement (%)",
    "Montant des réservations validées (TTC)",
    "Taux de contribution offreur (%)",
    "Montant de la contribution offreur (TTC)",
    "Montant remboursé (TTC)",
};

static void groups_table(struct pdf *p)
{
    const struct table t = {group_widths, 6, group_head, true};
    const struct pp_invoice_doc *d = p->doc;
    int64_t total[3] = {0, 0, 0};
    char buf[5][PP_MONEY_LEN];
    const char *cells[6];
    /* The header, the first group title and its first line start on the same page. */
    ensure_room(p, row_height(p, &t, group_head, ROW_HEAD) + 60.0);
    table_head(p, &t);
    for (size_t g = 0; g < d->ngroups; g++) {
        const struct pp_invoice_group *grp = &d->groups[g];
        const char *title[1] = {str(grp->title)};
        table_row(p, &t, title, ROW_GROUP, 2 * 18.0);
        int64_t sub[3] = {0, 0, 0};
        for (size_t i = 0; i < grp->nlines; i++) {
            const struct pp_invoice_line *l = &grp->lines[i];
            line_cells(l, buf, cells);
            table_row(p, &t, cells, ROW_LINE, 0);
            sub[0] += l->booked_cents;
            sub[1] += l->contribution_cents;
            sub[2] += l->reimbursed_cents;
        }
        sum_cells("SOUS-TOTAL", sub, buf, cells);
        table_row(p, &t, cells, ROW_SUBTOTAL, 0);
        for (int i = 0; i < 3; i++)
            total[i] += sub[i];
    }
    sum_cells("TOTAL", total, buf, cells);
    table_row(p, &t, cells, ROW_TOTAL, 0);
}

static const double transfer_widths[] = {215.28, 100.0, 90.0, 110.0};
static const char *const transfer_head[] = {
    "Mode de règlement",
    "N° de règlement",
    "Date",
    "Montant réglé",
};

static void transfers_table(struct pdf *p)
{
    const struct table t = {transfer_widths, 4, transfer_head, true};
    const struct pp_invoice_doc *d = p->doc;
    char mode[512], id[32], date[16], amount[PP_MONEY_LEN];
    int64_t total = 0;
    /* The section title never stays alone at the bottom of a page. */
    ensure_room(p, 24.0 + row_height(p, &t, transfer_head, ROW_HEAD) + 2 * 18.0);
    paragraph(p, "Règlements effectués correspondant au montant remboursé", 11.0, true,
              BLUE_FRANCE, 6.0);
    table_head(p, &t);
    snprintf(mode, sizeof mode, "Virement %s", str(d->iban_masked));
    for (size_t i = 0; i < d->ntransfers; i++) {
        const struct pp_invoice_transfer *tr = &d->transfers[i];
        snprintf(id, sizeof id, "%lld", (long long)tr->cashflow_id);
        format_date(tr->date, date);
        pp_money_format(tr->amount_cents, amount);
        const char *cells[4] = {mode, id, date, amount};
        table_row(p, &t, cells, ROW_LINE, 0);
        total += tr->amount_cents;
    }
    pp_money_format(total, amount);
    const char *cells[4] = {"TOTAL RÈGLEMENT PASS CULTURE", "", "", amount};
    table_row(p, &t, cells, ROW_TOTAL, 0);
}

static void draw_document(struct pdf *p)
{
    const struct pp_invoice_doc *d = p->doc;
    char line[256];
    page_begin(p);
    paragraph(p, "Justificatif de remboursement", 18.0, true, BLUE_FRANCE, 4.0);
    snprintf(line, sizeof line, "N° de virement : %s", str(d->batch_label));
    paragraph(p, line, 10.0, false, INK, 14.0);
    pro_block(p);
    paragraph(p,
              "Détail des offres remboursées incluant la contribution offreur, appliquée selon le "
              "barème défini dans nos conditions générales de vente",
              9.0, false, INK, 8.0);
    groups_table(p);
    p->y += 8.0;
    paragraph(p,
              "Les montants sont exprimés toutes taxes comprises (TTC). La contribution offreur "
              "constitue une réduction de prix au sens de l'article 267 du Code général des "
              "impôts (CGI).",
              7.5, false, GREY_TEXT, 18.0);
    transfers_table(p);
    page_footer(p);
    cairo_show_page(p->cr);
}

/*
 * One full rendering into @write. Page numbers need the total, so the document is drawn once
 * with @npages = 0 to count the pages (*@counted), then again with the total.
 */
static enum pp_err render_pass(const struct pp_invoice_doc *doc, cairo_write_func_t write,
                               void *closure, int npages, int *counted)
{
    cairo_surface_t *surface = cairo_pdf_surface_create_for_stream(write, closure, PAGE_W, PAGE_H);
    /* cairo 1.16 writes no CreationDate when given an empty one: same invoice, same bytes. */
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, "");
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE,
                                   "Justificatif de remboursement");
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_AUTHOR, "pass Culture");
    cairo_t *cr = cairo_create(surface);
    struct pdf p = {.doc = doc, .cr = cr, .npages = npages};
    if (cairo_status(cr) == CAIRO_STATUS_SUCCESS) {
        p.layout = pango_cairo_create_layout(cr);
        p.font = pango_font_description_from_string(FONT_FAMILY);
        format_date(doc->date, p.date);
        draw_document(&p);
        pango_font_description_free(p.font);
        g_object_unref(p.layout);
    }
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_finish(surface);
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_status(surface);
    cairo_surface_destroy(surface);
    if (st != CAIRO_STATUS_SUCCESS) {
        fprintf(stderr, "passpro: justificatif PDF %s : cairo : %s\n", str(doc->reference),
                cairo_status_to_string(st));
        return PP_EINTERNAL;
    }
    *counted = p.page;
    return PP_OK;
}

static bool doc_valid(const struct pp_invoice_doc *doc)
{
    if ((doc->groups == NULL && doc->ngroups > 0) ||
        (doc->transfers == NULL && doc->ntransfers > 0))
        return false;
    for (size_t g = 0; g < doc->ngroups; g++)
        if (doc->groups[g].lines == NULL && doc->groups[g].nlines > 0)
            return false;
    return true;
}

enum pp_err pp_invoice_pdf_render(const struct pp_invoice_doc *doc, char **out, size_t *len)
{
    if (out == NULL || len == NULL)
        return PP_EINVAL;
    *out = NULL;
    *len = 0;
    if (doc == NULL || !doc_valid(doc))
        return PP_EINVAL;
    int npages = 0, again = 0;
    enum pp_err rc = render_pass(doc, discard_write, NULL, 0, &npages);
    if (rc != PP_OK)
        return rc;
    struct membuf b = {0};
    rc = render_pass(doc, membuf_write, &b, npages, &again);
    if (rc != PP_OK) {
        free(b.data);
        return rc;
    }
    *out = b.data;
    *len = b.len;
    return PP_OK;
}
