/*
 * Pro portal, bookings (SPEC §6 and §10, RULES §6 and §9): /reservations (filters as a GET
 * form, the table with the status badges, pagination, the CSV and Excel downloads), an
 * offer's own bookings (/offres/{id}/reservations), and what /accueil shows of them: the last
 * bookings and the server-drawn chart of bookings per day.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/status.h"
#include "core/clock.h"
#include "core/money.h"
#include "core/tz.h"
#include "domain/offer.h"
#include "domain/offerer.h"
#include "domain/pro_booking.h"
#include "domain/venue.h"
#include "web/view.h"
#include "web/web.h"

#define CHART_DAYS 30

/* ------------------------------------------------------------------------------------------ */
/* Rows                                                                                       */

static const char *badge_of(enum pp_pro_status s)
{
    switch (s) {
    case PP_PRO_STATUS_BOOKED: return "fr-badge--info";
    case PP_PRO_STATUS_CONFIRMED: return "fr-badge--new";
    case PP_PRO_STATUS_VALIDATED: return "fr-badge--success";
    case PP_PRO_STATUS_CANCELLED: return "fr-badge--error";
    case PP_PRO_STATUS_REIMBURSED: return "fr-badge--purple-glycine";
    default: return "";
    }
}

static const char *when_fr(struct pp_req *req, const char *zone, int64_t t)
{
    return t == 0 ? NULL : pp_view_when(req, zone, t);
}

/* "100 006": groups of three digits split by a narrow no-break space, as French prints them. */
static const char *count_fr(struct pp_req *req, int64_t n)
{
    char digits[24], out[64];
    snprintf(digits, sizeof digits, "%lld", (long long)(n < 0 ? -n : n));
    size_t len = strlen(digits), k = 0;
    if (n < 0)
        out[k++] = '-';
    for (size_t i = 0; i < len; i++) {
        if (i > 0 && (len - i) % 3 == 0) {
            memcpy(out + k, "\xE2\x80\xAF", 3); /* U+202F in UTF-8 */
            k += 3;
        }
        out[k++] = digits[i];
    }
    out[k] = '\0';
    return pp_arena_strdup(req->arena, out);
}

json_t *pp_web_booking_rows(struct pp_req *req, const struct pp_pro_booking *items, size_t n,
                            int64_t now)
{
    json_t *rows = json_array();
    for (size_t i = 0; i < n; i++) {
        const struct pp_pro_booking *b = &items[i];
        const char *zone = b->venue_timezone;
        json_t *r = json_pack(
            "{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "id", (json_int_t)b->id,
            "offerId", (json_int_t)b->offer_id, "offerName", b->offer_name ? b->offer_name : "",
            "beneficiary",
            pp_arena_printf(req->arena, "%s %s", b->first_name ? b->first_name : "",
                            b->last_name ? b->last_name : ""),
            "email", b->email ? b->email : "", "createdAt", when_fr(req, zone, b->created_at),
            "statusLabel", pp_pro_status_label(b->status), "badge", badge_of(b->status), "price",
            pp_view_price(req, b->amount_cents * b->quantity), "isDuo", b->quantity == 2);
        pp_view_set_str(r, "token", b->token);
        pp_view_set_str(r, "phone", b->phone);
        pp_view_set_str(r, "tariff", b->price_category_label);
        pp_view_set_str(r, "venueName", b->venue_name);
        pp_view_set_str(r, "eventDate", when_fr(req, zone, b->beginning_at));
        struct pp_pro_booking_step steps[5];
        size_t ns = pp_pro_booking_history(b, now, steps);
        json_t *history = json_array();
        for (size_t k = 0; k < ns; k++)
            json_array_append_new(history,
                                  json_pack("{s:s, s:s}", "label",
                                            pp_pro_status_label(steps[k].status), "date",
                                            when_fr(req, zone, steps[k].at)));
        json_object_set_new(r, "history", history);
        json_array_append_new(rows, r);
    }
    return rows;
}

/* ------------------------------------------------------------------------------------------ */
/* The list page                                                                              */

static const struct {
    enum pp_pro_status status;
} status_options[] = {
    {PP_PRO_STATUS_BOOKED},    {PP_PRO_STATUS_CONFIRMED},  {PP_PRO_STATUS_VALIDATED},
    {PP_PRO_STATUS_CANCELLED}, {PP_PRO_STATUS_REIMBURSED},
};

static const struct {
    enum pp_pro_booking_period period;
    const char *code, *label;
} period_options[] = {
    {PP_PERIOD_BOOKING, "booking", "Période de réservation"},
    {PP_PERIOD_VALIDATION, "validation", "Période de validation"},
    {PP_PERIOD_REIMBURSEMENT, "reimbursement", "Période de remboursement"},
};

/* The query string of @f (without page): what the links of the page and the files keep. */
static const char *filter_query(struct pp_req *req, const struct pp_pro_booking_filter *f,
                                bool with_offer)
{
    char *q = pp_arena_strdup(req->arena, "");
    if (f->offerer_id)
        q = pp_arena_printf(req->arena, "%s&offererId=%lld", q, (long long)f->offerer_id);
    if (f->venue_id)
        q = pp_arena_printf(req->arena, "%s&venueId=%lld", q, (long long)f->venue_id);
    if (with_offer && f->offer_id)
        q = pp_arena_printf(req->arena, "%s&offerId=%lld", q, (long long)f->offer_id);
    if (f->status != PP_PRO_STATUS_ANY)
        q = pp_arena_printf(req->arena, "%s&status=%s", q, pp_pro_status_code(f->status));
    if (f->has_period)
        q = pp_arena_printf(req->arena,
                            "%s&bookingPeriodType=%s&bookingPeriodBeginningDate=%s"
                            "&bookingPeriodEndingDate=%s",
                            q, period_options[f->period].code, f->begin_iso, f->end_iso);
    if (f->has_event_date)
        q = pp_arena_printf(req->arena, "%s&eventDate=%s", q, f->event_iso);
    return q;
}

static const char *day_fr(struct pp_req *req, int64_t day)
{
    char iso[11];
    pp_pro_booking_day_iso(day, iso);
    return pp_arena_printf(req->arena, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
}

/*
 * DSFR pagination: first, previous, a window of pages around the current one, next, last.
 * @base is the page's address ending with "?" or "&", "page=N" follows.
 */
static json_t *pager(struct pp_req *req, const char *base, int64_t page, int64_t pages)
{
    if (pages <= 1)
        return json_null();
    json_t *list = json_array();
    int64_t from = page - 2 < 1 ? 1 : page - 2, to = page + 2 > pages ? pages : page + 2;
    for (int64_t p = from; p <= to; p++)
        json_array_append_new(
            list, json_pack("{s:I, s:s, s:b}", "n", (json_int_t)p, "href",
                            pp_arena_printf(req->arena, "%spage=%lld", base, (long long)p),
                            "current", p == page));
    json_t *j = json_pack("{s:o}", "pages", list);
    if (page > 1) {
        json_object_set_new(j, "first",
                            json_string(pp_arena_printf(req->arena, "%spage=1", base)));
        json_object_set_new(j, "prev", json_string(pp_arena_printf(req->arena, "%spage=%lld", base,
                                                                    (long long)(page - 1))));
    }
    if (page < pages) {
        json_object_set_new(j, "next", json_string(pp_arena_printf(req->arena, "%spage=%lld", base,
                                                                    (long long)(page + 1))));
        json_object_set_new(j, "last", json_string(pp_arena_printf(req->arena, "%spage=%lld", base,
                                                                    (long long)pages)));
    }
    return j;
}

/* The options of the structure and venue selects: the structures the pro is attached to. */
static enum pp_err select_options(struct pp_req *req, const struct pp_pro_booking_filter *f,
                                  json_t *data)
{
    struct pp_db *db = pp_req_db(req);
    struct pp_offerer *offerers;
    size_t no;
    enum pp_err rc = pp_offerer_list_for_account(db, req->arena, req->user.id, &offerers, &no);
    if (rc != PP_OK)
        return rc;
    json_t *jo = json_array(), *jv = json_array();
    size_t attached = 0;
    for (size_t i = 0; i < no; i++)
        attached += offerers[i].attachment_status_code == PP_VALIDATION_VALIDATED;
    for (size_t i = 0; rc == PP_OK && i < no; i++) {
        if (offerers[i].attachment_status_code != PP_VALIDATION_VALIDATED)
            continue;
        json_array_append_new(jo, pp_view_option(pp_arena_printf(req->arena, "%lld",
                                                                 (long long)offerers[i].id),
                                                 offerers[i].name,
                                                 offerers[i].id == f->offerer_id));
        struct pp_venue *venues;
        size_t nv;
        rc = pp_venue_list(db, req->arena, offerers[i].id, &venues, &nv);
        for (size_t k = 0; rc == PP_OK && k < nv; k++) {
            const char *name = venues[k].public_name && *venues[k].public_name
                                   ? venues[k].public_name
                                   : venues[k].name;
            json_array_append_new(
                jv, pp_view_option(pp_arena_printf(req->arena, "%lld", (long long)venues[k].id),
                                   attached > 1 ? pp_arena_printf(req->arena, "%s (%s)", name,
                                                                  offerers[i].name)
                                                : name,
                                   venues[k].id == f->venue_id));
        }
    }
    json_object_set_new(data, "offerers", jo);
    json_object_set_new(data, "venues", jv);
    json_object_set_new(data, "hasStructures", json_boolean(attached > 0));
    return rc;
}

/* The list's filters in the query string. */
static const struct pp_web_input query_inputs[] = {
    PP_WEB_INPUT(struct pp_pro_booking_query, offerer_id, "offererId"),
    PP_WEB_INPUT(struct pp_pro_booking_query, venue_id, "venueId"),
    PP_WEB_INPUT(struct pp_pro_booking_query, offer_id, "offerId"),
    PP_WEB_INPUT(struct pp_pro_booking_query, status, "status"),
    PP_WEB_INPUT(struct pp_pro_booking_query, period_type, "bookingPeriodType"),
    PP_WEB_INPUT(struct pp_pro_booking_query, period_begin, "bookingPeriodBeginningDate"),
    PP_WEB_INPUT(struct pp_pro_booking_query, period_end, "bookingPeriodEndingDate"),
    PP_WEB_INPUT(struct pp_pro_booking_query, event_date, "eventDate"),
    PP_WEB_INPUT(struct pp_pro_booking_query, page, "page"),
};

/* The filters of the query string; @offer_id (when not 0) is the offer of the path. */
static struct pp_pro_booking_query read_query(struct pp_req *req, int64_t offer_id,
                                              char offer_buf[24])
{
    struct pp_pro_booking_query q = {0};
    pp_web_read_query(req, query_inputs, PP_VIEW_COUNT(query_inputs), &q);
    if (offer_id != 0) {
        snprintf(offer_buf, 24, "%lld", (long long)offer_id);
        q.offer_id = offer_buf;
    }
    return q;
}

/*
 * The page's title, and the offer it is about (@offer_id of the path) or filtered on; false
 * when the offer of the path does not exist.
 */
static bool set_offer(struct pp_req *req, int64_t offer_id, const struct pp_pro_booking_filter *f,
                      json_t *data, const char **title)
{
    struct pp_db *db = pp_req_db(req);
    struct pp_offer o;
    *title = "Réservations";
    if (offer_id != 0) {
        if (pp_offer_get(db, req->arena, offer_id, &o) != PP_OK)
            return false;
        *title = pp_arena_printf(req->arena, "Réservations · %s", o.name);
        json_object_set_new(data, "offer", json_pack("{s:I, s:s}", "id", (json_int_t)o.id,
                                                     "name", o.name));
    } else if (f->offer_id != 0 && pp_offer_get(db, req->arena, f->offer_id, &o) == PP_OK) {
        json_object_set_new(data, "offerFilter", json_pack("{s:I, s:s}", "id", (json_int_t)o.id,
                                                           "name", o.name));
    }
    return true;
}

/* The filter form: status and period options, what was typed (kept even when refused). */
static const struct pp_view_field filter_fields[] = {
    {"offererId", "Structure", NULL, NULL, "Toutes les structures", "fr-col-12 fr-col-md-4"},
    {"venueId", "Lieu", NULL, NULL, "Tous les lieux", "fr-col-12 fr-col-md-4"},
    {"status", "Statut", NULL, NULL, "Tous les statuts", "fr-col-12 fr-col-md-4"},
    {"bookingPeriodType", "Période", NULL, NULL, NULL, "fr-col-12 fr-col-md-4"},
    {"bookingPeriodBeginningDate", "Du", NULL, "date", NULL, "fr-col-6 fr-col-md-2"},
    {"bookingPeriodEndingDate", "Au", NULL, "date", NULL, "fr-col-6 fr-col-md-2"},
    {"eventDate", "Date de l'évènement", "Facultative", "date", NULL, "fr-col-12 fr-col-md-4"},
};

/* The filter form's fields, in order; the structure and venue selects only for the whole
 * list (an offer's bookings are of one venue). */
static void set_filter_form(const struct pp_pro_booking_query *q,
                            const struct pp_pro_booking_filter *f, bool invalid, bool whole,
                            const json_t *errors, json_t *data)
{
    json_t *statuses = json_array();
    for (size_t i = 0; i < sizeof status_options / sizeof status_options[0]; i++)
        json_array_append_new(statuses,
                              pp_view_option(pp_pro_status_code(status_options[i].status),
                                             pp_pro_status_label(status_options[i].status),
                                             f->status == status_options[i].status));
    json_t *periods = json_array();
    for (size_t i = 0; i < sizeof period_options / sizeof period_options[0]; i++)
        json_array_append_new(periods, pp_view_option(period_options[i].code,
                                                      period_options[i].label,
                                                      f->period == period_options[i].period));
    /* A refused filter shows what was typed; an accepted one what it was read as. */
    const char *dates[] = {invalid ? q->period_begin : f->begin_iso,
                           invalid ? q->period_end : f->end_iso,
                           invalid ? q->event_date : f->event_iso};
    json_t *options[] = {json_object_get(data, "offerers"), json_object_get(data, "venues"),
                         statuses, periods};
    json_t *fields = json_array();
    for (size_t i = 0; i < sizeof filter_fields / sizeof filter_fields[0]; i++) {
        if (i < 2 && !whole)
            continue;
        if (i < 2)
            json_incref(options[i]); /* still the page's too */
        json_array_append_new(fields, pp_view_field_json(&filter_fields[i], i >= 4 ? dates[i - 4]
                                                                                   : NULL,
                                                         i < 4 ? options[i] : NULL, errors));
    }
    json_object_set_new(data, "fields", fields);
    bool filtered = q->offerer_id || q->venue_id || q->status || q->period_type ||
                    q->period_begin || q->period_end || q->event_date;
    json_object_set_new(data, "filtered", json_boolean(filtered));
}

/* What the list's header says: how many, which period, which event, which page. */
static void set_labels(struct pp_req *req, const struct pp_pro_booking_filter *f, int64_t total,
                       int64_t pages, json_t *data)
{
    json_object_set_new(data, "total", json_integer(total));
    json_object_set_new(data, "totalLabel",
                        json_string(total == 0   ? "Aucune réservation"
                                    : total == 1 ? "1 réservation"
                                                 : pp_arena_printf(req->arena, "%s réservations",
                                                                   count_fr(req, total))));
    if (f->has_period)
        json_object_set_new(
            data, "periodLabel",
            json_string(pp_arena_printf(
                req->arena, "%s du %s au %s",
                f->period == PP_PERIOD_VALIDATION      ? "validées"
                : f->period == PP_PERIOD_REIMBURSEMENT ? "remboursées"
                                                       : "réservées",
                day_fr(req, f->begin_day), day_fr(req, f->end_day))));
    if (f->has_event_date)
        json_object_set_new(data, "eventLabel",
                            json_string(pp_arena_printf(req->arena, "pour l'évènement du %s",
                                                        day_fr(req, f->event_day))));
    if (pages > 1)
        json_object_set_new(data, "pageLabel",
                            json_string(pp_arena_printf(req->arena, "page %s sur %s",
                                                        count_fr(req, f->page),
                                                        count_fr(req, pages))));
}

/* The bookings of filter @f: rows, labels, pagination of @path and the download links. */
static enum pp_err set_list(struct pp_req *req, const struct pp_pro_booking_filter *f,
                            int64_t offer_id, const char *path, int64_t now, json_t *data)
{
    struct pp_pro_booking *items;
    size_t n;
    int64_t total;
    enum pp_err rc = pp_pro_booking_list(pp_req_db(req), req->arena, req->user.id, f, now,
                                         PP_PRO_BOOKING_PAGE_SIZE, &items, &n, &total);
    if (rc != PP_OK)
        return rc;
    int64_t pages = (total + PP_PRO_BOOKING_PAGE_SIZE - 1) / PP_PRO_BOOKING_PAGE_SIZE;
    const char *kept = filter_query(req, f, offer_id == 0);
    const char *base = kept[0] ? pp_arena_printf(req->arena, "%s?%s&", path, kept + 1)
                               : pp_arena_printf(req->arena, "%s?", path);
    const char *files = filter_query(req, f, true);
    json_object_set_new(data, "bookings", pp_web_booking_rows(req, items, n, now));
    set_labels(req, f, total, pages, data);
    /* Past the deepest page the list refuses (PP_PRO_BOOKING_MAX_PAGE): the files have all. */
    json_object_set_new(data, "pagesCapped", json_boolean(pages > PP_PRO_BOOKING_MAX_PAGE));
    json_object_set_new(data, "pager",
                        pager(req, base, f->page,
                              pages > PP_PRO_BOOKING_MAX_PAGE ? PP_PRO_BOOKING_MAX_PAGE : pages));
    json_object_set_new(
        data, "csvHref",
        json_string(pp_arena_printf(req->arena, "/api/v1/pro/bookings/export?format=csv%s",
                                    files)));
    json_object_set_new(
        data, "xlsxHref",
        json_string(pp_arena_printf(req->arena, "/api/v1/pro/bookings/export?format=xlsx%s",
                                    files)));
    return PP_OK;
}

/* Renders the list for @offer (0: every offer) at @path. */
static void bookings_page(struct pp_req *req, int64_t offer_id, const char *path)
{
    int64_t now = pp_clock_now();
    char offer_buf[24];
    struct pp_pro_booking_query q = read_query(req, offer_id, offer_buf);
    struct pp_error e;
    pp_error_init(&e);
    struct pp_pro_booking_filter f;
    enum pp_err rc = pp_pro_booking_filter_parse(pp_req_db(req), &req->user, &q, now, &f, &e);
    if (rc == PP_ENOTFOUND || rc == PP_EDB || rc == PP_EINTERNAL) {
        pp_web_page_error(req, pp_err_status(rc), NULL);
        return;
    }
    bool invalid = rc == PP_EVALIDATION;
    json_t *data = pp_req_own(req, json_object());
    const char *title;
    if (select_options(req, &f, data) != PP_OK) {
        pp_web_page_error(req, 500, NULL);
        return;
    }
    if (!set_offer(req, offer_id, &f, data, &title)) {
        pp_web_page_error(req, 404, NULL);
        return;
    }
    json_t *errors = pp_web_errors(&e);
    json_object_set_new(data, "errors", errors);
    set_filter_form(&q, &f, invalid, offer_id == 0, errors, data);
    json_object_set_new(data, "invalid", json_boolean(invalid));
    json_object_set_new(data, "action", json_string(path));
    json_object_set_new(data, "navBookings", json_true());
    json_object_set_new(data, "caption", json_string("Réservations"));
    if (!invalid && set_list(req, &f, offer_id, path, now, data) != PP_OK) {
        pp_web_page_error(req, 500, NULL);
        return;
    }
    pp_web_render(req, invalid ? 422 : 200, "bookings.html", title, json_incref(data));
}

void pp_web_bookings(struct pp_req *req)
{
    bookings_page(req, 0, "/reservations");
}

void pp_web_offer_bookings(struct pp_req *req)
{
    int64_t id = pp_req_param_id(req, 0);
    if (id == 0) {
        pp_web_page_error(req, 404, NULL);
        return;
    }
    bookings_page(req, id, pp_arena_printf(req->arena, "/offres/%lld/reservations",
                                           (long long)id));
}

/* ------------------------------------------------------------------------------------------ */
/* The home page: last bookings and bookings per day                                          */

json_t *pp_web_last_bookings(struct pp_req *req, int count)
{
    int64_t now = pp_clock_now();
    /* The default filter (the last 30 days), so that the database reads one index range. */
    struct pp_pro_booking_query none = {0};
    struct pp_pro_booking_filter f;
    struct pp_error e;
    pp_error_init(&e);
    struct pp_pro_booking *items;
    size_t n;
    if (pp_pro_booking_filter_parse(pp_req_db(req), &req->user, &none, now, &f, &e) != PP_OK ||
        pp_pro_booking_list(pp_req_db(req), req->arena, req->user.id, &f, now, count, &items, &n,
                            NULL) != PP_OK)
        return NULL;
    return pp_web_booking_rows(req, items, n, now);
}

/* Chart geometry (viewBox units). */
#define CW 720
#define CH 260
#define LEFT 44
#define RIGHT 8
#define TOP 12
#define BOTTOM 36

/* The smallest "nice" axis maximum (1, 2 or 5 × 10^k steps, 4 steps at most) above @max. */
static int64_t axis_step(int64_t max)
{
    static const int64_t mult[] = {1, 2, 5};
    for (int64_t step = 1;; step *= 10)
        for (size_t m = 0; m < 3; m++)
            if (step * mult[m] * 4 >= max)
                return step * mult[m];
}

json_t *pp_web_bookings_chart(struct pp_req *req)
{
    int64_t today = pp_pro_booking_today(pp_clock_now());
    int64_t first = today - (CHART_DAYS - 1);
    int64_t counts[CHART_DAYS];
    if (pp_pro_booking_daily(pp_req_db(req), req->user.id, first, CHART_DAYS, counts) != PP_OK)
        return NULL;
    int64_t max = 0, sum = 0;
    for (int i = 0; i < CHART_DAYS; i++) {
        sum += counts[i];
        if (counts[i] > max)
            max = counts[i];
    }
    int64_t scale = max < 4 ? 4 : max;
    int64_t step = axis_step(scale);
    int64_t top = step * ((scale + step - 1) / step);
    double plot_w = CW - LEFT - RIGHT, plot_h = CH - TOP - BOTTOM;
    double slot = plot_w / CHART_DAYS;
    json_t *bars = json_array(), *ticks = json_array(), *days = json_array();
    for (int i = 0; i < CHART_DAYS; i++) {
        double h = top > 0 ? plot_h * (double)counts[i] / (double)top : 0;
        const char *date = day_fr(req, first + i);
        const char *text = counts[i] == 0   ? "aucune réservation"
                           : counts[i] == 1 ? "1 réservation"
                                            : pp_arena_printf(req->arena, "%s réservations",
                                                              count_fr(req, counts[i]));
        json_t *bar = json_pack(
            "{s:s, s:s, s:s, s:s, s:s}", "x",
            pp_arena_printf(req->arena, "%.1f", LEFT + slot * i + slot * 0.15), "y",
            pp_arena_printf(req->arena, "%.1f", TOP + plot_h - h), "w",
            pp_arena_printf(req->arena, "%.1f", slot * 0.7), "h",
            pp_arena_printf(req->arena, "%.1f", h), "title",
            pp_arena_printf(req->arena, "%s : %s", date, text));
        /* Date labels every 5 days, and today's. */
        if (i % 5 == 4 || i == 0)
            json_object_set_new(bar, "label",
                                json_string(pp_arena_printf(req->arena, "%.5s", date)));
        json_object_set_new(bar, "labelX",
                            json_string(pp_arena_printf(req->arena, "%.1f",
                                                        LEFT + slot * i + slot / 2)));
        json_array_append_new(bars, bar);
        json_array_append_new(days, json_pack("{s:s, s:s}", "date", date, "count",
                                              count_fr(req, counts[i])));
    }
    for (int64_t v = 0; v <= top; v += step)
        json_array_append_new(
            ticks, json_pack("{s:s, s:s, s:s}", "value", count_fr(req, v), "y",
                             pp_arena_printf(req->arena, "%.1f",
                                             TOP + plot_h - plot_h * (double)v / (double)top),
                             "textY",
                             pp_arena_printf(req->arena, "%.1f",
                                             TOP + plot_h - plot_h * (double)v / (double)top + 4)));
    const char *summary = pp_arena_printf(
        req->arena, "%s sur les %d derniers jours, du %s au %s, dont %s aujourd'hui%s",
        sum == 0   ? "Aucune réservation"
        : sum == 1 ? "1 réservation"
                   : pp_arena_printf(req->arena, "%s réservations", count_fr(req, sum)),
        CHART_DAYS, day_fr(req, first), day_fr(req, today), count_fr(req, counts[CHART_DAYS - 1]),
        max > 0 ? pp_arena_printf(req->arena, " ; au plus %s en un jour.", count_fr(req, max))
                : ".");
    return json_pack("{s:o, s:o, s:o, s:s, s:I, s:i, s:i, s:i, s:i, s:i, s:i, s:i}", "bars",
                     bars, "ticks", ticks, "days", days, "summary", summary, "total",
                     (json_int_t)sum, "width", CW, "height", CH, "left", LEFT, "right",
                     CW - RIGHT, "baseline", CH - BOTTOM, "labelY", CH - BOTTOM + 18, "top",
                     TOP);
}
