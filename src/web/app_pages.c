/*
 * Beneficiary pages (SPEC §5, §10; RULES §3): /app (credit left, search), /app/offres/{id}
 * (an offer's bookable dates and tariffs, the booking form), /app/reservations (my bookings,
 * countermark and QR code, cancellation while allowed). Everything goes through the domain:
 * pp_wallet_refresh, pp_offer_search, pp_offer_get, pp_stock_list, pp_booking_*.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/status.h"
#include "core/booking_rules.h"
#include "core/categories.h"
#include "core/clock.h"
#include "core/money.h"
#include "core/tz.h"
#include "core/utf8.h"
#include "core/venue_type.h"
#include "core/input.h"
#include "domain/beneficiary.h"
#include "domain/booking.h"
#include "domain/offer.h"
#include "domain/stock.h"
#include "domain/venue.h"
#include "web/qr.h"
#include "web/view.h"
#include "web/web.h"

#define SEARCH_LIMIT 30   /* cards on /app */
#define STOCKS_PER_PAGE 60 /* dates and tariffs listed on an offer's page at once */
#define QUERY_MAX 100     /* characters of a search */

/* A query-string value that is valid UTF-8 without control characters, trimmed; NULL if blank. */
static const char *query_text(struct pp_req *req, const char *key)
{
    const char *v = pp_req_query(req, key);
    if (v == NULL)
        return NULL;
    while (*v == ' ' || *v == '\t')
        v++;
    size_t n = strlen(v);
    while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t'))
        n--;
    if (n == 0)
        return NULL;
    const char *out = pp_view_text(req->arena, v, n);
    return out && strchr(out, '\n') == NULL && strchr(out, '\t') == NULL ? out : NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* The wallet                                                                                 */

/* The credit as the pages show it: amount left, expiry, free-only note, digital cap left. */
static json_t *wallet_json(struct pp_req *req, const struct pp_wallet *w)
{
    int64_t now = pp_clock_now();
    struct pp_local exp;
    pp_tz_to_local("Europe/Paris", w->expires_at, &exp);
    bool expired = w->expires_at != 0 && now >= w->expires_at;
    json_t *j = json_pack("{s:s, s:s, s:b, s:b, s:b}", "balance",
                          pp_view_amount(req, w->balance_cents),
                          "expiresOn",
                          pp_arena_printf(req->arena, "%02d/%02d/%04d", exp.day, exp.month,
                                          exp.year),
                          "expired", expired, "freeOnly", w->free_only, "empty",
                          w->balance_cents <= 0);
    pp_view_set_str(j, "digitalRemaining", w->digital_remaining_cents >= 0 && !expired
                                        ? pp_view_amount(req, w->digital_remaining_cents)
                                        : NULL);
    return j;
}

/* The caller's wallet, brought up to date; false after answering with an error page. */
static bool load_wallet(struct pp_req *req, struct pp_wallet *w)
{
    enum pp_err rc = pp_wallet_refresh(pp_req_db(req), req->user.id, pp_clock_now(), w);
    if (rc == PP_ENOTFOUND) {
        pp_web_page_error(req, 403, "Ce compte n'a pas de crédit pass Culture.");
        return false;
    }
    return !pp_view_failed(req, rc);
}

/* ------------------------------------------------------------------------------------------ */
/* GET /app                                                                                   */

static bool is_online(const char *subcategory_id)
{
    const struct pp_subcategory *s = pp_subcategory_find(subcategory_id);
    return s != NULL && s->platform == PP_PLATFORM_ONLINE;
}

static bool stock_open(const struct pp_stock *s, int64_t now)
{
    return (s->beginning_at == 0 || s->beginning_at > now) &&
           (s->booking_limit_at == 0 || s->booking_limit_at > now);
}

static json_t *hit_json(struct pp_req *req, const struct pp_offer_hit *h)
{
    json_t *j = json_pack("{s:I, s:s, s:s, s:s, s:b, s:b}", "id", (json_int_t)h->id, "name",
                          h->name, "venueName", h->venue_name, "subcategoryLabel",
                          pp_view_subcategory_label(h->subcategory_id), "isDuo", h->is_duo != 0,
                          "online", is_online(h->subcategory_id));
    pp_view_set_str(j, "city", h->city);
    json_object_set_new(j, "price", json_null());
    json_object_set_new(j, "nextDate", json_null());
    bool free_ = h->max_price_cents == 0;
    json_object_set_new(j, "isFree", json_boolean(free_));
    if (!free_)
        pp_view_set_str(j, "price",
                        pp_arena_printf(req->arena, "à partir de %s",
                                        pp_view_amount(req, h->min_price_cents)));
    /* The hit carries the venue's postal code, not its zone: the zone of that code. */
    if (h->next_beginning_at != 0)
        pp_view_set_str(j, "nextDate",
                pp_view_when(req, h->venue_timezone, h->next_beginning_at));
    return j;
}

void pp_web_app_home(struct pp_req *req)
{
    struct pp_wallet w;
    if (!load_wallet(req, &w))
        return;
    const char *typed = query_text(req, "q"), *q = typed;
    const char *postal = query_text(req, "codePostal");
    json_t *errors = pp_req_own(req, json_object());
    if (q != NULL && pp_utf8_chars(q) > QUERY_MAX) {
        json_object_set_new(errors, "q",
                            json_string("Votre recherche est trop longue (100 caractères au "
                                        "plus)."));
        q = NULL;
    }
    bool postal_ok = postal != NULL && strlen(postal) == 5 && strspn(postal, "0123456789") == 5;
    if (postal != NULL && !postal_ok)
        json_object_set_new(errors, "postalCode",
                            json_string("Le code postal doit comporter 5 chiffres, par exemple "
                                        "33000."));
    struct pp_offer_hit *hits;
    size_t n;
    if (pp_view_failed(req, pp_offer_search(pp_req_db(req), req->arena, q, NULL,
                                            postal_ok ? postal : NULL, SEARCH_LIMIT, &hits, &n)))
        return;
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, hit_json(req, &hits[i]));
    json_t *data = json_pack("{s:o, s:o, s:o, s:b, s:I, s:b, s:b}", "wallet",
                             wallet_json(req, &w), "offers", list, "errors", json_incref(errors),
                             "searched",
                             q != NULL || postal_ok, "count", (json_int_t)n, "plural", n > 1,
                             "navApp", 1);
    json_object_set_new(data, "hasOffers", json_boolean(n > 0));
    pp_view_set_str(data, "q", typed);
    pp_view_set_str(data, "postalCode", postal);
    pp_view_set_str(data, "firstName", req->user.first_name);
    pp_web_render(req, 200, "app_home.html", "Mon pass Culture", data);
}

/* ------------------------------------------------------------------------------------------ */
/* GET /app/offres/{id}, POST /app/offres/{id}/reserver                                       */

/* The offer of the path when beneficiaries may see it (approved, active); else a 404 page. */
static bool load_public_offer(struct pp_req *req, struct pp_offer *o, struct pp_venue *v)
{
    int64_t id = pp_req_param_id(req, 0);
    struct pp_db *db = pp_req_db(req);
    enum pp_err rc = id ? pp_offer_get(db, req->arena, id, o) : PP_ENOTFOUND;
    if (rc == PP_OK && (strcmp(o->validation, "APPROVED") != 0 || !o->is_active))
        rc = PP_ENOTFOUND;
    if (rc == PP_OK)
        rc = pp_venue_get(db, req->arena, o->venue_id, v);
    return !pp_view_failed(req, rc);
}

static int64_t places_left(const struct pp_stock *s)
{
    if (s->quantity == PP_UNLIMITED)
        return PP_UNLIMITED;
    return s->quantity > s->booked ? s->quantity - s->booked : 0;
}

static const char *places_text(struct pp_req *req, int64_t left)
{
    if (left == PP_UNLIMITED)
        return "Places disponibles";
    if (left == 0)
        return "Complet";
    return pp_arena_printf(req->arena, "%lld place%s restante%s", (long long)left,
                           left > 1 ? "s" : "", left > 1 ? "s" : "");
}

/* What the booking form sent back, for a page shown again after a refusal. */
struct chosen {
    int64_t stock_id;
    int64_t quantity;
};

/* The bookable stocks of an offer as the page lists them, and what the form needs to know. */
struct stock_list {
    json_t *days;      /* an event's stocks of this page, grouped by local day */
    json_t *thing;     /* a thing's stock, or json null */
    int page;          /* the page shown: past the last one, the last one */
    size_t open;       /* open stocks in all */
    size_t first;      /* index of the first one shown */
    size_t shown;      /* how many are shown */
    size_t bookable;   /* open stocks with places left */
    json_t *only;      /* the last bookable stock listed (borrowed) */
};

/* One stock as a radio button of the form; @c is what was chosen before a refusal. */
static json_t *stock_json(struct pp_req *req, const struct pp_stock *s, bool free_only,
                          const struct chosen *c)
{
    int64_t left = places_left(s);
    bool paid_refused = free_only && s->price_cents > 0;
    json_t *js = json_pack("{s:I, s:s, s:s, s:b, s:b, s:b}", "id", (json_int_t)s->id, "price",
                           pp_view_price(req, s->price_cents), "places", places_text(req, left),
                           "soldOut", left == 0, "disabled", left == 0 || paid_refused,
                           "checked", c != NULL && c->stock_id == s->id);
    pp_view_set_str(js, "note",
                    paid_refused && left != 0 ? "Non réservable avec votre crédit" : NULL);
    return js;
}

/* Adds an event's stock @js at @t (in @zone) to its day, a new one when the day changes. */
static void add_to_day(struct pp_req *req, struct stock_list *l, json_t *js,
                       const struct pp_stock *s, const char *zone)
{
    struct pp_local t;
    pp_tz_to_local(zone, s->beginning_at, &t);
    pp_view_set_str(js, "time", pp_arena_printf(req->arena, "%02dh%02d", t.hour, t.minute));
    pp_view_set_str(js, "tariff", s->price_category_label ? s->price_category_label : "Tarif");
    const char *key = pp_arena_printf(req->arena, "%04d%02d%02d", t.year, t.month, t.day);
    size_t nd = json_array_size(l->days);
    json_t *day = nd > 0 ? json_array_get(l->days, nd - 1) : NULL;
    if (day == NULL || strcmp(json_string_value(json_object_get(day, "key")), key) != 0) {
        day = json_pack("{s:s, s:s, s:o}", "label", pp_view_day(req, &t), "key", key, "stocks",
                        json_array());
        json_array_append_new(l->days, day);
    }
    json_array_append_new(json_object_get(day, "stocks"), js);
}

/*
 * The open stocks; of an event, page @page's slice of STOCKS_PER_PAGE of them, grouped by
 * local day in @zone.
 */
static void list_stocks(struct pp_req *req, const struct pp_stock *stocks, size_t ns,
                        bool event, const char *zone, const struct pp_wallet *w, int page,
                        const struct chosen *c, struct stock_list *l)
{
    int64_t now = pp_clock_now();
    size_t total_open = 0;
    for (size_t i = 0; i < ns; i++)
        total_open += stock_open(&stocks[i], now);
    if (total_open == 0 || (size_t)(page - 1) * STOCKS_PER_PAGE >= total_open)
        page = total_open == 0 ? 1 : (int)((total_open - 1) / STOCKS_PER_PAGE) + 1;
    *l = (struct stock_list){.days = json_array(), .thing = json_null(), .page = page,
                             .first = (size_t)(page - 1) * STOCKS_PER_PAGE};
    for (size_t i = 0; i < ns; i++) {
        const struct pp_stock *s = &stocks[i];
        if (!stock_open(s, now))
            continue;
        size_t index = l->open++;
        bool has_places = places_left(s) != 0;
        l->bookable += has_places;
        if (index < l->first || l->shown >= STOCKS_PER_PAGE)
            continue;
        l->shown++;
        json_t *js = stock_json(req, s, w->free_only, c);
        if (has_places)
            l->only = js;
        if (event) {
            add_to_day(req, l, js, s, zone);
        } else {
            json_decref(l->thing);
            l->thing = js;
        }
    }
    /* A single choice is made for the person. */
    if (event && l->bookable == 1 && l->only != NULL && (c == NULL || c->stock_id == 0) &&
        !json_is_true(json_object_get(l->only, "disabled")))
        json_object_set_new(l->only, "checked", json_true());
}

/* The caller's live booking of @o as {id}, or json null: the page then offers it instead. */
static json_t *live_booking(const struct pp_booking *mine, size_t nb, const struct pp_offer *o)
{
    for (size_t i = 0; i < nb; i++)
        if (mine[i].offer_id == o->id && mine[i].status_code != PP_BOOKING_CANCELLED)
            return json_pack("{s:I}", "id", (json_int_t)mine[i].id);
    return json_null();
}

static json_t *public_offer_json(const struct pp_offer *o, bool event)
{
    json_t *jo = json_pack("{s:I, s:s, s:s, s:s, s:b, s:b, s:b, s:o}", "id", (json_int_t)o->id,
                           "name", o->name, "venueName", o->venue_name, "subcategoryLabel",
                           pp_view_subcategory_label(o->subcategory_id), "isEvent", event,
                           "isDuo", o->is_duo != 0, "online", is_online(o->subcategory_id),
                           "accessibility", pp_view_accessibility(o));
    pp_view_set_str(jo, "description", o->description && *o->description ? o->description : NULL);
    pp_view_set_str(jo, "withdrawalDetails",
                    o->withdrawal_details && *o->withdrawal_details ? o->withdrawal_details
                                                                    : NULL);
    return jo;
}

/* The pagination of the stocks: previous and next pages, and the range shown. */
static void set_paging(struct pp_req *req, json_t *data, const struct stock_list *l, bool event)
{
    bool more = l->open > l->first + l->shown;
    if (l->page > 1)
        json_object_set_new(data, "prevPage", json_integer(l->page - 1));
    if (more)
        json_object_set_new(data, "nextPage", json_integer(l->page + 1));
    json_object_set_new(data, "paged", json_boolean(l->page > 1 || more));
    if (event && l->open > STOCKS_PER_PAGE)
        pp_view_set_str(data, "range",
                        pp_arena_printf(req->arena, "Créneaux et tarifs %zu à %zu sur %zu.",
                                        l->first + 1, l->first + l->shown, l->open));
}

/*
 * The offer page with its bookable stocks (page @page of STOCKS_PER_PAGE), the credit left,
 * and the form; @errors (owned by the request, may be NULL) after a refused booking.
 */
static void offer_page(struct pp_req *req, int status, const struct pp_offer *o,
                       const struct pp_venue *v, int page, const struct chosen *c,
                       json_t *errors)
{
    struct pp_db *db = pp_req_db(req);
    struct pp_wallet w;
    struct pp_stock *stocks;
    struct pp_booking *mine;
    size_t ns, nb;
    enum pp_err rc = pp_wallet_refresh(db, req->user.id, pp_clock_now(), &w);
    if (rc == PP_OK)
        rc = pp_stock_list(db, req->arena, o->id, &stocks, &ns);
    if (rc == PP_OK)
        rc = pp_booking_list_mine(db, req->arena, req->user.id, &mine, &nb);
    if (pp_view_failed(req, rc))
        return;
    const struct pp_subcategory *sub = pp_subcategory_find(o->subcategory_id);
    bool event = sub != NULL && sub->is_event;
    struct stock_list l;
    list_stocks(req, stocks, ns, event, v->timezone, &w, page, c, &l);
    json_t *jv = json_pack("{s:s?, s:s?, s:s?}", "street", v->street, "postalCode",
                           v->postal_code, "city", v->city);
    json_t *data = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:b, s:b, s:b, s:i, s:o}", "offer",
                             public_offer_json(o, event), "venue", jv, "wallet",
                             wallet_json(req, &w), "days", l.days, "thing", l.thing, "errors",
                             pp_view_ref(errors), "hasStocks", l.bookable > 0, "duoTwo",
                             c != NULL && c->quantity == 2, "navApp", 1, "page", l.page,
                             "booked", live_booking(mine, nb, o));
    set_paging(req, data, &l, event);
    pp_web_render(req, status, "app_offer.html", o->name, data);
}

static int page_of(const char *s)
{
    int64_t p = pp_input_id(s);
    return p >= 1 && p <= 1000 ? (int)p : 1;
}

void pp_web_app_offer(struct pp_req *req)
{
    struct pp_offer o;
    struct pp_venue v;
    if (load_public_offer(req, &o, &v))
        offer_page(req, 200, &o, &v, page_of(pp_req_query(req, "page")), NULL, NULL);
}

void pp_web_app_book(struct pp_req *req)
{
    struct pp_offer o;
    struct pp_venue v;
    if (!load_public_offer(req, &o, &v))
        return;
    struct pp_db *db = pp_req_db(req);
    struct pp_error e;
    pp_error_init(&e);
    const char *qs = pp_web_field(req, "quantity");
    struct chosen c = {.stock_id = pp_input_id(pp_web_field(req, "stockId")),
                       .quantity = qs == NULL ? 1 : pp_input_id(qs)};
    int page = page_of(pp_web_field(req, "page"));
    enum pp_err rc = PP_OK;
    if (c.stock_id == 0) {
        const struct pp_subcategory *sub = pp_subcategory_find(o.subcategory_id);
        rc = pp_error_set(&e, PP_EVALIDATION, "stockId",
                          sub != NULL && sub->is_event ? "Choisissez une date et un tarif."
                                                       : "Cette offre n'est plus disponible.");
    } else if (c.quantity != 1 && c.quantity != 2) {
        rc = pp_error_set(&e, PP_EVALIDATION, "quantity",
                          "Choisissez le nombre de places : 1, ou 2 pour une offre Duo.");
    } else {
        /* The stock must be one of this offer's: never book another offer from this page. */
        struct pp_stock s;
        rc = pp_stock_get(db, req->arena, c.stock_id, &s);
        if (rc == PP_ENOTFOUND || (rc == PP_OK && s.offer_id != o.id))
            rc = pp_error_set(&e, PP_EVALIDATION, "stockId",
                              "Cette date n'est plus disponible. Choisissez-en une autre.");
    }
    struct pp_booking b;
    if (rc == PP_OK)
        rc = pp_booking_create(db, req->arena, &req->user, c.stock_id, c.quantity, &b, &e);
    if (pp_view_fatal(req, rc))
        return;
    if (rc != PP_OK) {
        offer_page(req, pp_err_status(rc), &o, &v, page, &c,
                   pp_req_own(req, pp_view_errors_or(&e, "La réservation n'a pas pu être faite.")));
        return;
    }
    pp_res_redirect(req, pp_arena_printf(req->arena, "/app/reservations?reservee=%lld",
                                         (long long)b.id));
}

/* ------------------------------------------------------------------------------------------ */
/* GET /app/reservations, POST /app/reservations/{id}/annuler                                 */

static json_t *booking_json(struct pp_req *req, const struct pp_booking *b)
{
    int64_t now = pp_clock_now();
    const char *zone = b->venue_timezone;
    bool confirmed = b->status_code == PP_BOOKING_CONFIRMED;
    bool cancelled = b->status_code == PP_BOOKING_CANCELLED;
    bool can_cancel =
        confirmed && (b->cancellation_limit_at == 0 || now <= b->cancellation_limit_at);
    bool online = b->url != NULL && *b->url;
    const struct pp_view_code *st = pp_view_code_of(pp_view_booking_statuses,
                                                    pp_view_booking_status_count, b->status);
    json_t *j = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:b, s:b, s:b, s:b}",
                          "id", (json_int_t)b->id, "offerId", (json_int_t)b->offer_id,
                          "offerName", b->offer_name, "venueName", b->venue_name, "token",
                          b->token, "statusLabel", st->label, "statusBadge",
                          st->badge, "quantity", (json_int_t)b->quantity,
                          "total", pp_view_price(req, b->amount_cents * b->quantity), "live",
                          confirmed,
                          "cancelled", cancelled, "canCancel", can_cancel, "online", online);
    /* Every optional key is present (null when absent): a key missing from an item would be
     * looked up in the enclosing contexts of the template. */
    static const char *const optional[] = {"date", "duo", "qr", "url", "activationCode",
                                           "cancelUntil", "cancelClosed", "cancelledOn",
                                           "usedOn", "cancelError"};
    for (size_t i = 0; i < sizeof optional / sizeof optional[0]; i++)
        json_object_set_new(j, optional[i], json_null());
    pp_view_set_str(j, "tariff", b->price_category_label);
    if (b->beginning_at != 0)
        pp_view_set_str(j, "date", pp_view_when(req, zone, b->beginning_at));
    if (b->quantity == 2)
        json_object_set_new(j, "duo", json_true());
    if (confirmed && !online) {
        char payload[64];
        snprintf(payload, sizeof payload, "%s%s", PP_QR_PREFIX, b->token);
        char title[64];
        snprintf(title, sizeof title, "QR code de la contremarque %s", b->token);
        char *svg = pp_qr_svg(payload, title);
        if (svg != NULL) {
            pp_view_set_str(j, "qr", svg);
            free(svg);
        }
    }
    if (!cancelled && online) {
        pp_view_set_str(j, "url", b->url);
        pp_view_set_str(j, "activationCode", b->activation_code);
    }
    if (confirmed && b->cancellation_limit_at != 0) {
        const char *limit = pp_view_when(req, zone, b->cancellation_limit_at);
        pp_view_set_str(j, can_cancel ? "cancelUntil" : "cancelClosed",
                pp_arena_printf(req->arena,
                                can_cancel ? "Annulable jusqu'au %s"
                                           : "Cette réservation n'est plus annulable (limite : "
                                             "%s).",
                                limit));
    }
    if (cancelled && b->cancelled_at != 0)
        pp_view_set_str(j, "cancelledOn",
                        pp_arena_printf(req->arena, "Annulée le %s",
                                        pp_view_when(req, zone, b->cancelled_at)));
    if (b->used_at != 0 && !cancelled)
        pp_view_set_str(j, "usedOn",
                pp_arena_printf(req->arena, "Validée le %s", pp_view_when(req, zone, b->used_at)));
    if (b->reimbursed_at != 0 && !cancelled)
        pp_view_set_str(j, "reimbursedOn",
                        pp_arena_printf(req->arena, "Remboursée au lieu culturel le %s",
                                        pp_view_when(req, zone, b->reimbursed_at)));
    return j;
}

/*
 * The bookings page. @error_id / @error: a refused cancellation, shown beside its booking.
 */
static void bookings_page(struct pp_req *req, int status, int64_t error_id, const char *error)
{
    struct pp_db *db = pp_req_db(req);
    struct pp_wallet w;
    if (!load_wallet(req, &w))
        return;
    struct pp_booking *items;
    size_t n;
    if (pp_view_failed(req, pp_booking_list_mine(db, req->arena, req->user.id, &items, &n)))
        return;
    int64_t just_booked = status == 200 ? pp_input_id(pp_req_query(req, "reservee")) : 0;
    int64_t just_cancelled = status == 200 ? pp_input_id(pp_req_query(req, "annulee")) : 0;
    json_t *current = json_array(), *past = json_array(), *confirmed = json_null();
    for (size_t i = 0; i < n; i++) {
        json_t *j = booking_json(req, &items[i]);
        if (items[i].id == error_id)
            pp_view_set_str(j, "cancelError", error);
        if (items[i].id == just_booked && items[i].status_code != PP_BOOKING_CANCELLED) {
            json_decref(confirmed);
            confirmed = j;
        } else if (items[i].status_code == PP_BOOKING_CONFIRMED) {
            json_array_append_new(current, j);
        } else {
            json_array_append_new(past, j);
        }
        if (items[i].id == just_cancelled && items[i].status_code != PP_BOOKING_CANCELLED)
            just_cancelled = 0;
    }
    bool found_cancelled = false;
    for (size_t i = 0; i < n && just_cancelled; i++)
        found_cancelled = found_cancelled || items[i].id == just_cancelled;
    json_t *data = json_pack("{s:o, s:o, s:o, s:o, s:b, s:b, s:b}", "wallet", wallet_json(req, &w),
                             "current", current, "past", past, "confirmed", confirmed,
                             "cancelledInfo", found_cancelled, "none", n == 0, "navReservations",
                             1);
    json_object_set_new(data, "compactWallet", json_true());
    json_object_set_new(data, "hasCurrent", json_boolean(json_array_size(current) > 0));
    json_object_set_new(data, "hasPast", json_boolean(json_array_size(past) > 0));
    if (error != NULL)
        pp_view_set_str(data, "error", error);
    pp_web_render(req, status, "app_bookings.html", "Mes réservations", data);
}

void pp_web_app_bookings(struct pp_req *req)
{
    bookings_page(req, 200, 0, NULL);
}

void pp_web_app_booking_cancel(struct pp_req *req)
{
    struct pp_error e;
    pp_error_init(&e);
    /* An id that is not one (0) finds no booking: the domain answers PP_ENOTFOUND. */
    int64_t id = pp_req_param_id(req, 0);
    enum pp_err rc = pp_booking_cancel_by_beneficiary(pp_req_db(req), req->user.id, id, &e);
    if (rc == PP_EGONE || rc == PP_EFORBIDDEN || rc == PP_EVALIDATION || rc == PP_ECONFLICT) {
        const char *msg = e.count > 0 ? e.items[0].message
                                      : "Cette réservation ne peut pas être annulée.";
        bookings_page(req, pp_err_status(rc), id, msg);
        return;
    }
    if (pp_view_failed(req, rc))
        return;
    pp_res_redirect(req,
                    pp_arena_printf(req->arena, "/app/reservations?annulee=%lld", (long long)id));
}
