/* Collective bookings (SPEC §8): the ADAGE side (teachers pre-book, heads of school confirm or
 * cancel) and the venue's side (its list, its cancellations). docs/collective.md. */
#include <string.h>

#include "api/api.h"
#include "domain/authz.h"
#include "domain/collective_booking.h"
#include "http/json.h"

/* ------------------------------------------------------------------ ADAGE side */

static const struct pp_api_body prebook_body = PP_API_FIELDS(
    PP_FIELD_ID(struct pp_collective_booking_in, stock_id, "collectiveStockId", true),
    PP_FIELD_STR(struct pp_collective_booking_in, uai, "uai", true, PP_UAI_MAX),
    PP_FIELD_STR(struct pp_collective_booking_in, teacher_email, "teacherEmail", true, 254));

void pp_api_adage_booking_create(struct pp_req *req)
{
    struct pp_collective_booking_in in = {0};
    struct pp_error e;
    if (!pp_api_read(req, &prebook_body, &in, &e))
        return;
    int64_t id = 0;
    enum pp_err rc = pp_collective_booking_create(pp_req_db(req), req->arena, req->user.id, &in,
                                                  &id, &e);
    pp_api_reply_state(req, rc, &e, 201, id, "PENDING");
}

void pp_api_adage_booking_confirm(struct pp_req *req)
{
    int64_t id = pp_req_param_id(req, 0);
    struct pp_error e;
    pp_error_init(&e);
    enum pp_err rc = pp_collective_booking_confirm(pp_req_db(req), req->arena, req->user.id, id,
                                                   &e);
    pp_api_reply_state(req, rc, &e, 200, id, "CONFIRMED");
}

struct cancel_in {
    const char *reason;
};

static const struct pp_api_body cancel_body = PP_API_FIELDS(
    PP_FIELD_STR(struct cancel_in, reason, "reason", false, 500));

/* Cancels the booking of the path by @who, once the caller may; the body {reason?} may be
 * empty. */
static void cancel(struct pp_req *req, enum pp_collective_canceller who, int64_t id)
{
    struct cancel_in in = {0};
    struct pp_error e;
    pp_error_init(&e);
    if (req->body_len > 0 && !pp_api_read(req, &cancel_body, &in, &e))
        return;
    enum pp_err rc = pp_collective_booking_cancel(pp_req_db(req), req->arena, who, req->user.id,
                                                  id, in.reason, &e);
    pp_api_reply_state(req, rc, &e, 200, id, "CANCELLED");
}

void pp_api_adage_booking_cancel(struct pp_req *req)
{
    cancel(req, PP_COLLECTIVE_BY_SCHOOL, pp_req_param_id(req, 0));
}

/* ------------------------------------------------------------------ the venue's side */

void pp_api_pro_collective_booking_cancel(struct pp_req *req)
{
    int64_t id = pp_api_my_object(req, pp_collective_booking_offerer);
    if (id != 0)
        cancel(req, PP_COLLECTIVE_BY_OFFERER, id);
}

static json_t *booking_json(const void *item)
{
    const struct pp_collective_booking *b = item;
    json_t *j = json_pack(
        "{s:I, s:s, s:s, s:s, s:{s:s, s:s, s:s}, s:s, s:I}", "id", (json_int_t)b->id, "status",
        b->status, "statusLabel",
        b->status_label, "offerName",
        b->offer_name, "institution", "uai", b->uai, "name", b->institution_name, "city",
        b->institution_city, "teacherEmail", b->teacher_email, "totalPriceCents",
        (json_int_t)b->price_cents);
    json_object_set_new(j, "startDatetime", pp_json_iso_or_null(b->start_at));
    json_object_set_new(j, "dateCreated", pp_json_iso_or_null(b->created_at));
    json_object_set_new(j, "dateConfirmed", pp_json_iso_or_null(b->confirmed_at));
    json_object_set_new(j, "dateUsed", pp_json_iso_or_null(b->used_at));
    return j;
}

void pp_api_pro_collective_bookings(struct pp_req *req)
{
    int64_t offerer_id = 0;
    if (!pp_api_query_id(req, "offererId", false, &offerer_id))
        return;
    const char *status = pp_req_query(req, "status");
    enum pp_collective_status code = PP_COLLECTIVE_NONE;
    if (status != NULL && *status != '\0' &&
        (code = pp_collective_status_parse(status)) == PP_COLLECTIVE_NONE) {
        pp_res_error1(req, PP_EVALIDATION, "status",
                      "Le statut doit être PENDING, CONFIRMED, USED, CANCELLED ou REIMBURSED.");
        return;
    }
    struct pp_db *db = pp_req_db(req);
    if (offerer_id != 0 &&
        pp_api_authorized(req, offerer_id, pp_authz_offerer(db, &req->user, offerer_id)) == 0)
        return;
    struct pp_collective_booking *items = NULL;
    size_t n = 0;
    enum pp_err rc =
        pp_collective_booking_list(db, req->arena, &req->user, offerer_id, code, &items, &n);
    pp_api_reply_list(req, rc, "bookings", items, n, sizeof *items, booking_json);
}
