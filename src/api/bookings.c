/* SPEC §3 (admin beneficiaries), §5 (wallet, search, bookings), §6 (pro cancellation). */
#include <string.h>

#include "api/api.h"
#include "core/booking_rules.h"
#include "core/clock.h"
#include "core/tz.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/authz.h"
#include "domain/beneficiary.h"
#include "domain/booking.h"
#include "domain/offer.h"
#include "http/json.h"

static json_t *date_only(int64_t t)
{
    char buf[21];
    pp_clock_format_iso(t, buf);
    buf[10] = '\0';
    return json_string(buf);
}

void pp_api_admin_beneficiary_create(struct pp_req *req)
{
    json_t *body = pp_req_json(req);
    if (body == NULL)
        return;
    struct pp_error e;
    pp_error_init(&e);
    struct pp_beneficiary_new in = {0};
    json_t *pw = json_object_get(body, "password");
    if (pw != NULL && !json_is_null(pw) && !json_is_string(pw))
        pp_error_set(&e, PP_EVALIDATION, "password", "Ce champ doit être une chaîne de caractères.");
    in.password = json_string_value(pw);
    pp_json_get_str(body, "email", true, 254, req->arena, &in.email, &e);
    pp_json_get_str(body, "firstName", true, 128, req->arena, &in.first_name, &e);
    pp_json_get_str(body, "lastName", true, 128, req->arena, &in.last_name, &e);
    pp_json_get_str(body, "birthDate", true, 10, req->arena, &in.birth_date, &e);
    pp_json_get_str(body, "postalCode", true, 5, req->arena, &in.postal_code, &e);
    pp_json_get_str(body, "phone", false, 20, req->arena, &in.phone, &e);
    int bonus;
    pp_json_get_bool(body, "socialBonus", false, &bonus, &e);
    in.social_bonus = bonus == 1;
    if (e.count > 0) {
        pp_res_error(req, PP_EVALIDATION, &e);
        return;
    }
    int64_t id;
    struct pp_wallet w;
    enum pp_err rc = pp_beneficiary_create(pp_req_db(req), req->arena, req->user.id, &in, &id, &w,
                                           &e);
    if (rc != PP_OK) {
        pp_api_fail(req, rc, &e);
        return;
    }
    pp_res_json(req, 201,
                json_pack("{s:I, s:I, s:o}", "id", (json_int_t)id, "depositAmountCents",
                          (json_int_t)w.amount_cents, "depositExpirationDate",
                          date_only(w.expires_at)));
}

void pp_api_wallet(struct pp_req *req)
{
    struct pp_wallet w;
    enum pp_err rc = pp_wallet_refresh(pp_req_db(req), req->user.id, pp_clock_now(), &w);
    if (rc != PP_OK) {
        pp_api_fail(req, rc, NULL);
        return;
    }
    json_t *j = json_pack("{s:I, s:I, s:o, s:b}", "balanceCents", (json_int_t)w.balance_cents,
                          "amountCents", (json_int_t)w.amount_cents, "expirationDate",
                          date_only(w.expires_at), "freeOffersOnly", w.free_only);
    json_object_set_new(j, "digitalRemainingCents",
                        w.digital_remaining_cents < 0
                            ? json_null()
                            : json_integer(w.digital_remaining_cents));
    pp_res_json(req, 200, j);
}

void pp_api_search_offers(struct pp_req *req)
{
    const char *q = pp_req_query(req, "q");
    const char *sub = pp_req_query(req, "subcategoryId");
    const char *pc = pp_req_query(req, "postalCode");
    if ((q && strlen(q) > 100) || (sub && strlen(sub) > 64) || (pc && strlen(pc) > 5)) {
        pp_res_error1(req, PP_EVALIDATION, "q", "Recherche trop longue.");
        return;
    }
    struct pp_offer_hit *hits;
    size_t n;
    enum pp_err rc = pp_offer_search(pp_req_db(req), req->arena, q && *q ? q : NULL,
                                     sub && *sub ? sub : NULL, pc, 50, &hits, &n);
    if (rc != PP_OK) {
        pp_api_fail(req, rc, NULL);
        return;
    }
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:b}", "id",
                              (json_int_t)hits[i].id, "name", hits[i].name, "subcategoryId",
                              hits[i].subcategory_id, "venueName", hits[i].venue_name,
                              "postalCode", hits[i].postal_code, "city", hits[i].city,
                              "minPriceCents", (json_int_t)hits[i].min_price_cents, "isDuo",
                              hits[i].is_duo);
        json_object_set_new(o, "nextBeginningDatetime", pp_json_iso_or_null(hits[i].next_beginning_at));
        json_array_append_new(list, o);
    }
    pp_res_json(req, 200, json_pack("{s:o}", "offers", list));
}

/* A booking as the beneficiary sees it. */
static json_t *my_booking_json(const struct pp_booking *b)
{
    bool can_cancel = strcmp(b->status, "CONFIRMED") == 0 &&
                      (b->cancellation_limit_at == 0 || pp_clock_now() < b->cancellation_limit_at);
    json_t *j = json_pack("{s:I, s:s, s:s, s:I, s:I, s:I, s:o, s:I, s:s, s:s?, s:s, s:b, s:s}",
                          "id", (json_int_t)b->id, "token", b->token, "status", b->status,
                          "quantity", (json_int_t)b->quantity, "amountCents",
                          (json_int_t)b->amount_cents, "totalAmountCents",
                          (json_int_t)(b->amount_cents * b->quantity), "dateCreated",
                          pp_json_iso_or_null(b->created_at), "offerId", (json_int_t)b->offer_id,
                          "offerName", b->offer_name, "priceCategoryLabel",
                          b->price_category_label, "venueName", b->venue_name, "canCancel",
                          can_cancel, "qrCodePayload", "");
    char qr[64];
    snprintf(qr, sizeof qr, "%s%s", PP_QR_PREFIX, b->token);
    json_object_set_new(j, "qrCodePayload", json_string(qr));
    json_object_set_new(j, "cancellationLimitDate", pp_json_iso_or_null(b->cancellation_limit_at));
    json_object_set_new(j, "beginningDatetime", pp_json_iso_or_null(b->beginning_at));
    json_object_set_new(j, "dateUsed", pp_json_iso_or_null(b->used_at));
    json_object_set_new(j, "dateCancelled", pp_json_iso_or_null(b->cancelled_at));
    if (b->activation_code != NULL)
        json_object_set_new(j, "activationCode", json_string(b->activation_code));
    if (b->url != NULL)
        json_object_set_new(j, "url", json_string(b->url));
    return j;
}

void pp_api_booking_create(struct pp_req *req)
{
    json_t *body = pp_req_json(req);
    if (body == NULL)
        return;
    struct pp_error e;
    pp_error_init(&e);
    int64_t stock_id = 0;
    pp_json_get_id(body, "stockId", true, &stock_id, &e);
    json_t *q = json_object_get(body, "quantity");
    int64_t quantity = 1;
    if (q != NULL && !json_is_null(q)) {
        if (!json_is_integer(q))
            pp_error_set(&e, PP_EVALIDATION, "quantity",
                         "La quantité doit être un nombre entier (1, ou 2 pour une offre Duo).");
        else
            quantity = json_integer_value(q);
    }
    if (e.count > 0) {
        pp_res_error(req, PP_EVALIDATION, &e);
        return;
    }
    struct pp_booking b;
    enum pp_err rc =
        pp_booking_create(pp_req_db(req), req->arena, &req->user, stock_id, quantity, &b, &e);
    if (rc != PP_OK) {
        pp_api_fail(req, rc, &e);
        return;
    }
    json_t *j = my_booking_json(&b);
    pp_res_json(req, 201, j);
}

void pp_api_my_bookings(struct pp_req *req)
{
    struct pp_booking *items;
    size_t n;
    enum pp_err rc = pp_booking_list_mine(pp_req_db(req), req->arena, req->user.id, &items, &n);
    if (rc != PP_OK) {
        pp_api_fail(req, rc, NULL);
        return;
    }
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, my_booking_json(&items[i]));
    pp_res_json(req, 200, json_pack("{s:o}", "bookings", list));
}

void pp_api_booking_cancel(struct pp_req *req)
{
    struct pp_error e;
    pp_error_init(&e);
    int64_t id = pp_req_param_id(req, 0);
    enum pp_err rc = id ? pp_booking_cancel_by_beneficiary(pp_req_db(req), req->user.id, id, &e)
                        : PP_ENOTFOUND;
    if (rc != PP_OK) {
        pp_api_fail(req, rc, &e);
        return;
    }
    pp_res_json(req, 200, json_pack("{s:I, s:s}", "id", (json_int_t)id, "status", "CANCELLED"));
}

void pp_api_pro_booking_cancel(struct pp_req *req)
{
    struct pp_db *db = pp_req_db(req);
    struct pp_error e;
    pp_error_init(&e);
    int64_t id = pp_req_param_id(req, 0), offerer_id = 0;
    enum pp_err rc = id ? pp_booking_offerer(db, id, &offerer_id) : PP_ENOTFOUND;
    if (rc == PP_OK)
        rc = pp_authz_offerer(db, &req->user, offerer_id);
    if (rc == PP_OK)
        rc = pp_booking_cancel_by_offerer(db, req->user.id, PP_CHANNEL_PORTAL, id, &e);
    if (rc != PP_OK) {
        pp_api_fail(req, rc, &e);
        return;
    }
    pp_res_json(req, 200, json_pack("{s:I, s:s}", "id", (json_int_t)id, "status", "CANCELLED"));
}
