/* SPEC §3 (admin beneficiaries), §5 (wallet, search, bookings), §6 (pro cancellation). */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "core/booking_rules.h"
#include "core/clock.h"
#include "core/tz.h"
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

static const struct pp_api_body beneficiary_body = PP_API_FIELDS(
    PP_API_PERSON_FIELDS(struct pp_beneficiary_new, false),
    PP_FIELD_STR(struct pp_beneficiary_new, birth_date, "birthDate", true, 10),
    PP_FIELD_STR(struct pp_beneficiary_new, postal_code, "postalCode", true, 5),
    PP_FIELD_STR(struct pp_beneficiary_new, phone, "phone", false, 20),
    PP_FIELD_BOOL(struct pp_beneficiary_new, social_bonus, "socialBonus"));

void pp_api_admin_beneficiary_create(struct pp_req *req)
{
    struct pp_error e;
    struct pp_beneficiary_new in = {0};
    if (!pp_api_read(req, &beneficiary_body, &in, &e))
        return;
    int64_t id;
    struct pp_wallet w;
    enum pp_err rc = pp_beneficiary_create(pp_req_db(req), req->arena, req->user.id, &in, &id, &w,
                                           &e);
    if (!pp_api_ok(req, rc, &e))
        return;
    pp_res_json(req, 201,
                json_pack("{s:I, s:I, s:o}", "id", (json_int_t)id, "depositAmountCents",
                          (json_int_t)w.amount_cents, "depositExpirationDate",
                          date_only(w.expires_at)));
}

void pp_api_wallet(struct pp_req *req)
{
    struct pp_wallet w;
    enum pp_err rc = pp_wallet_refresh(pp_req_db(req), req->user.id, pp_clock_now(), &w);
    if (!pp_api_ok(req, rc, NULL))
        return;
    json_t *j = json_pack("{s:I, s:I, s:o, s:b}", "balanceCents", (json_int_t)w.balance_cents,
                          "amountCents", (json_int_t)w.amount_cents, "expirationDate",
                          date_only(w.expires_at), "freeOffersOnly", w.free_only);
    json_object_set_new(j, "digitalRemainingCents",
                        w.digital_remaining_cents < 0
                            ? json_null()
                            : json_integer(w.digital_remaining_cents));
    pp_res_json(req, 200, j);
}

/* A search result. */
static json_t *hit_json(const void *item)
{
    const struct pp_offer_hit *h = item;
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:b}", "id", (json_int_t)h->id,
                          "name", h->name, "subcategoryId", h->subcategory_id, "venueName",
                          h->venue_name, "postalCode", h->postal_code, "city", h->city,
                          "minPriceCents", (json_int_t)h->min_price_cents, "isDuo", h->is_duo);
    json_object_set_new(o, "nextBeginningDatetime", pp_json_iso_or_null(h->next_beginning_at));
    return o;
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
    pp_api_reply_list(req, rc, "offers", hits, n, sizeof *hits, hit_json);
}

/* A booking as the beneficiary sees it. */
static void my_booking_json(struct pp_jw *w, const struct pp_booking *b, int64_t now)
{
    bool can_cancel = b->status_code == PP_BOOKING_CONFIRMED &&
                      (b->cancellation_limit_at == 0 || now < b->cancellation_limit_at);
    char qr[64];
    snprintf(qr, sizeof qr, "%s%s", PP_QR_PREFIX, b->token);
    pp_jw_object(w);
    pp_jw_kint(w, "id", b->id);
    pp_jw_kstr(w, "token", b->token);
    pp_jw_kstr(w, "status", b->status);
    pp_jw_kint(w, "quantity", b->quantity);
    pp_jw_kint(w, "amountCents", b->amount_cents);
    pp_jw_kint(w, "totalAmountCents", b->amount_cents * b->quantity);
    pp_jw_kiso(w, "dateCreated", b->created_at);
    pp_jw_kint(w, "offerId", b->offer_id);
    pp_jw_kstr(w, "offerName", b->offer_name);
    pp_jw_kstr(w, "priceCategoryLabel", b->price_category_label);
    pp_jw_kstr(w, "venueName", b->venue_name);
    pp_jw_kbool(w, "canCancel", can_cancel);
    pp_jw_kstr(w, "qrCodePayload", qr);
    pp_jw_kiso(w, "cancellationLimitDate", b->cancellation_limit_at);
    pp_jw_kiso(w, "beginningDatetime", b->beginning_at);
    pp_jw_kiso(w, "dateUsed", b->used_at);
    pp_jw_kiso(w, "dateCancelled", b->cancelled_at);
    pp_jw_kiso(w, "dateReimbursed", b->reimbursed_at);
    if (b->activation_code != NULL)
        pp_jw_kstr(w, "activationCode", b->activation_code);
    if (b->url != NULL)
        pp_jw_kstr(w, "url", b->url);
    pp_jw_end(w);
}

struct booking_input {
    int64_t stock_id;
    int64_t quantity;
};

/* quantity: an integer, 1 when absent (the domain checks 1, or 2 for a Duo offer). */
static bool read_booking_quantity(struct pp_req *req, json_t *body, const struct pp_api_field *f,
                                  void *dst, struct pp_error *e)
{
    (void)req;
    json_t *q = json_object_get(body, f->key);
    if (q == NULL || json_is_null(q))
        return true;
    if (!json_is_integer(q)) {
        pp_error_set(e, PP_EVALIDATION, f->key,
                     "La quantité doit être un nombre entier (1, ou 2 pour une offre Duo).");
        return false;
    }
    *(int64_t *)dst = json_integer_value(q);
    return true;
}

static const struct pp_api_body booking_body = PP_API_FIELDS(
    PP_FIELD_ID(struct booking_input, stock_id, "stockId", true),
    PP_FIELD(struct booking_input, quantity, int64_t, "quantity", false, read_booking_quantity));

void pp_api_booking_create(struct pp_req *req)
{
    struct pp_error e;
    struct booking_input in = {.quantity = 1};
    if (!pp_api_read(req, &booking_body, &in, &e))
        return;
    struct pp_booking b;
    enum pp_err rc = pp_booking_create(pp_req_db(req), req->arena, &req->user, in.stock_id,
                                       in.quantity, &b, &e);
    if (!pp_api_ok(req, rc, &e))
        return;
    struct pp_jw w;
    pp_jw_init(&w, req->arena);
    my_booking_json(&w, &b, pp_clock_now());
    pp_res_jw(req, 201, &w);
}

void pp_api_my_bookings(struct pp_req *req)
{
    struct pp_booking *items;
    size_t n;
    enum pp_err rc = pp_booking_list_mine(pp_req_db(req), req->arena, req->user.id, &items, &n);
    if (!pp_api_ok(req, rc, NULL))
        return;
    int64_t now = pp_clock_now();
    struct pp_jw w;
    pp_jw_init(&w, req->arena);
    pp_jw_object(&w);
    pp_jw_key(&w, "bookings");
    pp_jw_array(&w);
    for (size_t i = 0; i < n; i++)
        my_booking_json(&w, &items[i], now);
    pp_jw_end(&w);
    pp_jw_end(&w);
    pp_res_jw(req, 200, &w);
}

/* The answer of a cancellation: {id, status: CANCELLED} once @rc says it is done. */
static void answer_cancelled(struct pp_req *req, enum pp_err rc, const struct pp_error *e,
                             int64_t id)
{
    pp_api_reply_state(req, rc, e, 200, id, "CANCELLED");
}

void pp_api_booking_cancel(struct pp_req *req)
{
    struct pp_error e;
    pp_error_init(&e);
    /* An id that is not one (0) finds no booking: the domain answers PP_ENOTFOUND. */
    int64_t id = pp_req_param_id(req, 0);
    enum pp_err rc = pp_booking_cancel_by_beneficiary(pp_req_db(req), req->user.id, id, &e);
    answer_cancelled(req, rc, &e, id);
}

void pp_api_pro_booking_cancel(struct pp_req *req)
{
    int64_t id = pp_api_my_object(req, pp_booking_offerer);
    if (id == 0)
        return;
    struct pp_error e;
    pp_error_init(&e);
    enum pp_err rc =
        pp_booking_cancel_by_offerer(pp_req_db(req), req->user.id, PP_CHANNEL_PORTAL, id, &e);
    answer_cancelled(req, rc, &e, id);
}
