/* Offer wizard, step 2 of a thing (SPEC §4): its single stock, price and quantity. */
#include <string.h>

#include "core/money.h"
#include "domain/stock.h"
#include "web/offer_page.h"
#include "web/view.h"
#include "web/web.h"

/* Cents as the price field shows them: "8,50", "" for none. */
static const char *euros_field(struct pp_req *req, int64_t cents)
{
    if (cents < 0)
        return "";
    return cents % 100 ? pp_arena_printf(req->arena, "%lld,%02lld", (long long)(cents / 100),
                                         (long long)(cents % 100))
                       : pp_arena_printf(req->arena, "%lld", (long long)(cents / 100));
}

/* The stored stock as form values; an empty form when there is none yet. */
static json_t *stock_values(struct pp_req *req, const struct pp_stock *stocks, size_t ns)
{
    if (ns == 0)
        return json_object();
    bool unlimited = stocks[0].quantity == PP_UNLIMITED;
    return json_pack("{s:s, s:s?, s:b, s:I}", "price", euros_field(req, stocks[0].price_cents),
                     "quantity", unlimited ? NULL : pp_offer_page_quantity(req, stocks[0].quantity),
                     "unlimited", unlimited, "booked", (json_int_t)stocks[0].booked);
}

/* The page; @values (owned by the request, NULL: the stored stock) and @e after a refusal. */
static void stock_page(struct pp_req *req, int status, const struct pp_offer *o, json_t *values,
                       const struct pp_error *e)
{
    struct pp_stock *stocks;
    size_t ns;
    if (pp_stock_list(pp_req_db(req), req->arena, o->id, &stocks, &ns) != PP_OK) {
        pp_web_page_error(req, 500, NULL);
        return;
    }
    json_t *errors = pp_web_errors(e);
    pp_offer_page_rename_error(errors, "priceCents", "price");
    pp_web_render(req, status, "offer_stock.html", "Stock et prix de l'offre",
                  json_pack("{s:o, s:o, s:o, s:o, s:b}", "offer", pp_offer_page_json(o), "values",
                            values ? json_incref(values) : stock_values(req, stocks, ns),
                            "errors", errors, "stepper", pp_offer_page_stepper(o, 2), "hasStock",
                            ns > 0));
}

void pp_web_offer_stock(struct pp_req *req)
{
    struct pp_offer o;
    if (pp_offer_page_load_thing(req, &o))
        stock_page(req, 200, &o, NULL, NULL);
}

void pp_web_offer_stock_save(struct pp_req *req)
{
    struct pp_offer o;
    if (!pp_offer_page_load_thing(req, &o))
        return;
    struct pp_db *db = pp_req_db(req);
    struct pp_error e;
    pp_error_init(&e);
    const char *price = pp_web_field(req, "price");
    json_t *values = pp_req_own(req, json_pack("{s:s?}", "price", price));
    struct pp_stock_input in;
    pp_stock_input_init(&in);
    if (!pp_money_parse(price, &in.price_cents)) {
        in.price_cents = -1;
        pp_error_set(&e, PP_EVALIDATION, "price",
                     price == NULL ? "Veuillez indiquer un prix (0 pour une offre gratuite)."
                                   : "Le prix doit être un montant en euros, par exemple 8 ou "
                                     "8,50.");
    }
    in.quantity = pp_offer_page_read_quantity(req, values, &e);
    struct pp_stock *stocks;
    size_t ns;
    enum pp_err rc = pp_stock_list(db, req->arena, o.id, &stocks, &ns);
    if (rc == PP_OK && e.count > 0)
        rc = PP_EVALIDATION;
    int64_t id;
    if (rc == PP_OK)
        rc = ns > 0 ? pp_stock_update(db, stocks[0].id, &in, &e)
                    : pp_stock_create(db, o.id, &in, &id, &e);
    if (!pp_offer_page_answered(req, rc, pp_offer_page_path(req, &o, "?info=stock")))
        stock_page(req, pp_err_status(rc), &o, values, &e);
}
