/*
 * Offer wizard, the last step and the offer's own page (SPEC §4, §10): /offres/{id}, the
 * récapitulatif, with publication (POST /offres/{id}/publier) and, once published,
 * deactivation and reactivation (POST /offres/{id}/activation).
 */
#include <string.h>

#include "core/tz.h"
#include "domain/price_category.h"
#include "domain/stock.h"
#include "web/offer_page.h"
#include "web/view.h"
#include "web/web.h"

#define SUMMARY_DATES 6   /* first slots shown on the récapitulatif */

/* "12 places", "1 place", "places illimitées". */
static const char *places_label(struct pp_req *req, int64_t q)
{
    if (q == PP_UNLIMITED)
        return "places illimitées";
    return pp_arena_printf(req->arena, "%lld place%s", (long long)q, q > 1 ? "s" : "");
}

/* The confirmation of what was just done (?info=...), by its code; NULL for none. */
static const struct pp_view_wording summary_infos[] = {
    {"APPROVED", "Votre offre a été publiée"},
    {"PENDING", "Votre offre est en cours de validation par pass Culture"},
    {"stock", "Le stock a été enregistré."},
    {"modifiee", "Les informations de l'offre ont été enregistrées."},
    {"desactivee", "L'offre a été désactivée : elle n'est plus réservable."},
    {"activee", "L'offre a été réactivée."},
};

/* The offer with what the récapitulatif adds: description, contact, accessibility... */
static json_t *summary_offer(const struct pp_offer *o)
{
    json_t *j = pp_offer_page_json(o);
    pp_view_set_str(j, "description", o->description && *o->description ? o->description : NULL);
    pp_view_set_str(j, "url", o->url);
    pp_view_set_str(j, "bookingEmail", o->booking_email);
    pp_view_set_str(j, "withdrawalDetails",
                    o->withdrawal_details && *o->withdrawal_details ? o->withdrawal_details
                                                                    : NULL);
    json_object_set_new(j, "isDuo", json_boolean(o->is_duo));
    json_object_set_new(j, "accessibility", pp_view_accessibility(o));
    return j;
}

/* Adds stock @st's tariff and price to @slot's "tariffs": "Plein tarif (8,00 €), ...". */
static void slot_add_tariff(struct pp_req *req, json_t *slot, const struct pp_stock *st)
{
    const char *before = json_string_value(json_object_get(slot, "tariffs"));
    json_object_set_new(
        slot, "tariffs",
        json_string(pp_arena_printf(req->arena, "%s%s%s (%s)", before, *before ? ", " : "",
                                    st->price_category_label ? st->price_category_label
                                                             : "Tarif",
                                    pp_view_price(req, st->price_cents))));
}

/*
 * The first SUMMARY_DATES slots of an event (one start, its tariffs side by side) into
 * @first; returns how many slots there are in all.
 */
static int64_t first_slots(struct pp_req *req, const struct pp_stock *stocks, size_t ns,
                           const char *zone, json_t *first)
{
    json_t *slot = NULL;
    int64_t slots = 0, last = -1;
    for (size_t i = 0; i < ns; i++) {
        const struct pp_stock *st = &stocks[i];
        if (st->beginning_at != last) {
            last = st->beginning_at;
            slot = NULL;
            if (++slots <= SUMMARY_DATES) {
                struct pp_local l;
                pp_tz_to_local(zone, st->beginning_at, &l);
                slot = json_pack("{s:s, s:s, s:s}", "when",
                                 pp_arena_printf(req->arena, "%s à %02d:%02d",
                                                 pp_view_day(req, &l), l.hour, l.minute),
                                 "tariffs", "", "places",
                                 pp_arena_printf(req->arena, "%s par tarif",
                                                 places_label(req, st->quantity)));
                json_array_append_new(first, slot);
            }
        } else if (slot != NULL && st->quantity != stocks[i - 1].quantity) {
            json_object_set_new(slot, "places", json_string("jauge selon le tarif"));
        }
        if (slot != NULL)
            slot_add_tariff(req, slot, st);
    }
    return slots;
}

static void summary_page(struct pp_req *req, int status, const struct pp_offer *o,
                         const struct pp_error *e)
{
    struct pp_offer_page_stocks all;
    enum pp_err rc = pp_offer_page_stocks(req, o, &all);
    if (pp_view_failed(req, rc))
        return;
    bool event = pp_offer_page_is_event(o);
    json_t *tariffs = json_array();
    for (size_t i = 0; i < all.ntariffs; i++)
        json_array_append_new(tariffs,
                              json_pack("{s:s, s:s}", "label", all.tariffs[i].label, "price",
                                        pp_view_price(req, all.tariffs[i].price_cents)));
    json_t *first = json_array();
    int64_t slots =
        event ? first_slots(req, all.stocks, all.nstocks, all.venue.timezone, first) : 0;
    json_t *data = json_pack("{s:o, s:o, s:o, s:I, s:I, s:o, s:o}", "offer", summary_offer(o),
                             "tariffs", tariffs, "firstDates", first, "stockCount",
                             (json_int_t)all.nstocks, "slotCount", (json_int_t)slots, "errors",
                             pp_web_errors(e), "stepper",
                             pp_offer_page_stepper(o, event ? 4 : 3));
    if (slots > SUMMARY_DATES)
        json_object_set_new(data, "moreDates", json_integer((json_int_t)(slots - SUMMARY_DATES)));
    if (!event && all.nstocks > 0)
        json_object_set_new(data, "stock",
                            json_pack("{s:s, s:s, s:I}", "price",
                                      pp_view_price(req, all.stocks[0].price_cents), "quantity",
                                      pp_offer_page_quantity(req, all.stocks[0].quantity),
                                      "booked", (json_int_t)all.stocks[0].booked));
    const char *info = status != 200 ? NULL
                       : pp_view_label(summary_infos, PP_VIEW_COUNT(summary_infos),
                                       pp_req_query(req, "info"), NULL);
    pp_view_set_str(data, "info", info);
    pp_web_render(req, status, "offer_summary.html", o->name, data);
}

void pp_web_offer_page(struct pp_req *req)
{
    struct pp_offer o;
    if (pp_offer_page_load(req, &o))
        summary_page(req, 200, &o, NULL);
}

/* After publication or activation: a refusal shown on the récapitulatif, else ?info=@info. */
static void answer(struct pp_req *req, const struct pp_offer *o, enum pp_err rc,
                   const struct pp_error *e, const char *info)
{
    if (rc == PP_EVALIDATION || rc == PP_ECONFLICT)
        summary_page(req, pp_err_status(rc), o, e);
    else if (!pp_view_failed(req, rc))
        pp_res_redirect(req,
                        pp_offer_page_path(req, o, pp_arena_printf(req->arena, "?info=%s", info)));
}

void pp_web_offer_publish(struct pp_req *req)
{
    struct pp_offer o;
    if (!pp_offer_page_load(req, &o))
        return;
    struct pp_error e;
    pp_error_init(&e);
    const char *status = NULL;
    enum pp_err rc = pp_offer_publish(pp_req_db(req), req->user.id, o.id, &status, &e);
    answer(req, &o, rc, &e, status);
}

void pp_web_offer_activation(struct pp_req *req)
{
    struct pp_offer o;
    if (!pp_offer_page_load(req, &o))
        return;
    const char *v = pp_web_field(req, "isActive");
    struct pp_offer_input in;
    pp_offer_input_init(&in);
    in.is_active = v != NULL && strcmp(v, "1") == 0;
    struct pp_error e;
    pp_error_init(&e);
    enum pp_err rc = strcmp(o.validation, "APPROVED") == 0
                         ? pp_offer_update(pp_req_db(req), req->arena, o.id, &in, &e)
                         : pp_error_set(&e, PP_ECONFLICT, "global",
                                        "Seule une offre publiée peut être désactivée ou "
                                        "réactivée.");
    answer(req, &o, rc, &e, in.is_active ? "activee" : "desactivee");
}
