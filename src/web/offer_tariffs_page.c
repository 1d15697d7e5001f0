/* Offer wizard, step 2 of an event (SPEC §4): its tariffs (/offres/{id}/tarifs). */
#include <stdbool.h>

#include "core/money.h"
#include "domain/price_category.h"
#include "web/offer_page.h"
#include "web/view.h"
#include "web/web.h"

static const char *const default_labels[] = {"Plus de 18 ans", "Moins de 18 ans",
                                              "Personne en situation de handicap",
                                              "Tarif unique"};

/* Suggestions: the venue's own @n @labels first, then the usual ones, each once. */
static json_t *label_suggestions(const char **labels, size_t n)
{
    json_t *suggestions = json_array();
    json_t *seen = json_object();
    for (size_t i = 0; i < n + 4; i++) {
        const char *l = i < n ? labels[i] : default_labels[i - n];
        if (json_object_get(seen, l) == NULL) {
            json_object_set_new(seen, l, json_true());
            json_array_append_new(suggestions, json_string(l));
        }
    }
    json_decref(seen);
    return suggestions;
}

/* The page; @values (owned by the request, NULL: none) and @e after a refused tariff. */
static void tariffs_page(struct pp_req *req, int status, const struct pp_offer *o,
                         json_t *values, const struct pp_error *e)
{
    struct pp_db *db = pp_req_db(req);
    struct pp_price_category *pcs;
    size_t npc, nl;
    const char **labels;
    enum pp_err rc = pp_price_category_list(db, req->arena, o->id, &pcs, &npc);
    if (rc == PP_OK)
        rc = pp_price_category_venue_labels(db, req->arena, o->venue_id, &labels, &nl);
    if (rc != PP_OK) {
        pp_web_page_error(req, 500, NULL);
        return;
    }
    json_t *list = json_array();
    for (size_t i = 0; i < npc; i++)
        json_array_append_new(list, json_pack("{s:s, s:s}", "label", pcs[i].label, "price",
                                              pp_view_price(req, pcs[i].price_cents)));
    json_t *errors = pp_web_errors(e);
    pp_offer_page_rename_error(errors, "priceCents", "price");
    const char *added = pp_req_query(req, "ajout");
    pp_web_render(req, status, "offer_tariffs.html", "Tarifs de l'offre",
                  json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:b}", "offer", pp_offer_page_json(o),
                            "tariffs", list, "suggestions", label_suggestions(labels, nl),
                            "values", pp_view_ref(values), "errors", errors, "stepper",
                            pp_offer_page_stepper(o, 2), "added", added != NULL && status == 200));
}

void pp_web_offer_tariffs(struct pp_req *req)
{
    struct pp_offer o;
    if (pp_offer_page_load_event(req, &o))
        tariffs_page(req, 200, &o, NULL, NULL);
}

/* The price typed, in cents (0 when "Gratuit" is ticked); -1 with an error in @e. */
static int64_t read_price(const char *price, bool free_, struct pp_error *e)
{
    int64_t cents = 0;
    if (free_)
        return 0;
    if (price == NULL)
        pp_error_set(e, PP_EVALIDATION, "price", "Veuillez indiquer un prix ou cocher « Gratuit ».");
    else if (!pp_money_parse(price, &cents))
        pp_error_set(e, PP_EVALIDATION, "price",
                     "Le prix doit être un montant en euros, par exemple 8 ou 8,50.");
    else
        return cents;
    return -1;
}

void pp_web_offer_tariff_add(struct pp_req *req)
{
    struct pp_offer o;
    if (!pp_offer_page_load_event(req, &o))
        return;
    const char *label = pp_web_field(req, "label");
    const char *price = pp_web_field(req, "price");
    bool free_ = pp_view_checked(req, "free");
    json_t *values = pp_req_own(req, json_pack("{s:s?, s:s?, s:b}", "label", label, "price",
                                               price, "free", free_));
    struct pp_error e;
    pp_error_init(&e);
    int64_t cents = read_price(price, free_, &e);
    struct pp_db *db = pp_req_db(req);
    int64_t pc_id;
    enum pp_err rc = e.count ? PP_EVALIDATION : pp_offer_check_editable(db, o.id, &e);
    if (rc == PP_OK)
        rc = pp_price_category_create(db, o.id, label, cents, &pc_id, &e);
    if (pp_view_fatal(req, rc))
        return;
    if (rc != PP_OK) {
        tariffs_page(req, pp_err_status(rc), &o, values, &e);
        return;
    }
    pp_res_redirect(req, pp_offer_page_path(req, &o, "/tarifs?ajout=1"));
}
