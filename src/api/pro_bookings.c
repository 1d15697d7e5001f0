/* SPEC §6: the pro's bookings list and its CSV / Excel export (RULES §6, §9). */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "http/json.h"
#include "core/clock.h"
#include "domain/pro_booking.h"
#include "export/booking_export.h"

static json_t *str_or_null(const char *s)
{
    return s != NULL ? json_string(s) : json_null();
}

/* The filters of the query string (names of SPEC §6). */
static void read_query(struct pp_req *req, struct pp_pro_booking_query *q)
{
    q->offerer_id = pp_req_query(req, "offererId");
    q->venue_id = pp_req_query(req, "venueId");
    q->offer_id = pp_req_query(req, "offerId");
    q->status = pp_req_query(req, "status");
    q->period_type = pp_req_query(req, "bookingPeriodType");
    q->period_type_alias = pp_req_query(req, "bookingStatusFilter");
    q->period_begin = pp_req_query(req, "bookingPeriodBeginningDate");
    q->period_end = pp_req_query(req, "bookingPeriodEndingDate");
    q->event_date = pp_req_query(req, "eventDate");
    q->page = pp_req_query(req, "page");
}

static const char *period_name(enum pp_pro_booking_period p)
{
    return p == PP_PERIOD_VALIDATION      ? "validation"
           : p == PP_PERIOD_REIMBURSEMENT ? "reimbursement"
                                          : "booking";
}

static json_t *booking_json(const struct pp_pro_booking *b, int64_t now)
{
    json_t *j = json_pack(
        "{s:I, s:o, s:s, s:s, s:I, s:s, s:I, s:s, s:s, s:o, s:I, s:I, s:I, s:b}", "id",
        (json_int_t)b->id, "token", str_or_null(b->token), "status", pp_pro_status_code(b->status),
        "statusLabel", pp_pro_status_label(b->status), "offerId", (json_int_t)b->offer_id,
        "offerName", b->offer_name ? b->offer_name : "", "venueId", (json_int_t)b->venue_id,
        "venueName", b->venue_name ? b->venue_name : "", "offererName",
        b->offerer_name ? b->offerer_name : "", "priceCategoryLabel",
        str_or_null(b->price_category_label), "amountCents", (json_int_t)b->amount_cents,
        "totalAmountCents", (json_int_t)(b->amount_cents * b->quantity), "quantity",
        (json_int_t)b->quantity, "isDuo", b->quantity == 2);
    json_object_set_new(j, "beneficiary",
                        json_pack("{s:s, s:s, s:s, s:o}", "firstName",
                                  b->first_name ? b->first_name : "", "lastName",
                                  b->last_name ? b->last_name : "", "email",
                                  b->email ? b->email : "", "phone", str_or_null(b->phone)));
    json_object_set_new(j, "dateCreated", pp_json_iso_or_null(b->created_at));
    json_object_set_new(j, "dateUsed", pp_json_iso_or_null(b->used_at));
    json_object_set_new(j, "dateCancelled", pp_json_iso_or_null(b->cancelled_at));
    json_object_set_new(j, "dateReimbursed", pp_json_iso_or_null(b->reimbursed_at));
    json_object_set_new(j, "cancellationLimitDate", pp_json_iso_or_null(b->cancellation_limit_at));
    json_object_set_new(j, "eventDatetime", pp_json_iso_or_null(b->beginning_at));
    struct pp_pro_booking_step steps[5];
    size_t n = pp_pro_booking_history(b, now, steps);
    json_t *history = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(history, json_pack("{s:s, s:o}", "status",
                                                 pp_pro_status_code(steps[i].status), "date",
                                                 pp_json_iso_or_null(steps[i].at)));
    json_object_set_new(j, "history", history);
    return j;
}

/* Parses the filters; false after answering 422 / 404. */
static bool filter(struct pp_req *req, int64_t now, struct pp_pro_booking_filter *f)
{
    struct pp_pro_booking_query q;
    read_query(req, &q);
    struct pp_error e;
    pp_error_init(&e);
    return pp_api_ok(req, pp_pro_booking_filter_parse(pp_req_db(req), &req->user, &q, now, f, &e),
                     &e);
}

void pp_api_pro_bookings(struct pp_req *req)
{
    int64_t now = pp_clock_now();
    struct pp_pro_booking_filter f;
    if (!filter(req, now, &f))
        return;
    struct pp_pro_booking *items;
    size_t n;
    int64_t total;
    enum pp_err rc = pp_pro_booking_list(pp_req_db(req), req->arena, req->user.id, &f, now,
                                         PP_PRO_BOOKING_PAGE_SIZE, &items, &n, &total);
    if (!pp_api_ok(req, rc, NULL))
        return;
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, booking_json(&items[i], now));
    int64_t pages = (total + PP_PRO_BOOKING_PAGE_SIZE - 1) / PP_PRO_BOOKING_PAGE_SIZE;
    json_t *period = json_null();
    if (f.has_period)
        period = json_pack("{s:s, s:s, s:s, s:b}", "type", period_name(f.period),
                           "beginningDate", f.begin_iso, "endingDate", f.end_iso, "isDefault",
                           f.default_period);
    pp_res_json(req, 200,
                json_pack("{s:o, s:I, s:I, s:I, s:I, s:o}", "bookings", list, "total",
                          (json_int_t)total, "page", (json_int_t)f.page, "pages",
                          (json_int_t)pages, "perPage", (json_int_t)PP_PRO_BOOKING_PAGE_SIZE,
                          "period", period));
}

void pp_api_pro_bookings_export(struct pp_req *req)
{
    const char *format = pp_req_query(req, "format");
    enum pp_export_format fmt;
    if (!pp_export_format_parse(format, &fmt)) {
        pp_res_error1(req, PP_EVALIDATION, "format",
                      format == NULL || *format == '\0'
                          ? "Choisissez le format du fichier : csv ou xlsx."
                          : "Format inconnu : choisissez csv ou xlsx.");
        return;
    }
    int64_t now = pp_clock_now();
    struct pp_pro_booking_filter f;
    if (!filter(req, now, &f))
        return;
    struct pp_error e;
    pp_error_init(&e);
    int fd;
    uint64_t size;
    enum pp_err rc = pp_booking_export(pp_req_db(req), req->user.id, &f, now, fmt, &fd, &size, &e);
    if (!pp_api_ok(req, rc, &e))
        return;
    req->status = 200;
    req->content_type = pp_export_content_type(fmt);
    req->resp_fd = fd;
    req->resp_fd_size = size;
    pp_res_header(req, "Content-Disposition",
                  pp_arena_printf(req->arena, "attachment; filename=\"%s\"",
                                  pp_export_filename(fmt)));
}
