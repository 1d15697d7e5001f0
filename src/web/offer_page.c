/* What the pages of the offer wizard share (offer_page.h). */
#include <string.h>

#include "core/status.h"
#include "core/categories.h"
#include "core/input.h"
#include "domain/authz.h"
#include "domain/offerer.h"
#include "domain/stock.h"
#include "web/offer_page.h"
#include "web/view.h"
#include "web/web.h"

enum pp_err pp_offer_page_my_venues(struct pp_req *req, struct pp_venue **out, size_t *count)
{
    struct pp_db *db = pp_req_db(req);
    struct pp_offerer *offerers;
    size_t no, n = 0, cap = 0;
    struct pp_venue *all = NULL;
    enum pp_err rc = pp_offerer_list_for_account(db, req->arena, req->user.id, &offerers, &no);
    for (size_t i = 0; rc == PP_OK && i < no; i++) {
        if (offerers[i].attachment_status_code != PP_VALIDATION_VALIDATED)
            continue;
        struct pp_venue *v;
        size_t nv;
        rc = pp_venue_list(db, req->arena, offerers[i].id, &v, &nv);
        for (size_t k = 0; rc == PP_OK && k < nv; k++) {
            all = pp_arena_grow(req->arena, all, n, &cap, sizeof *all);
            all[n++] = v[k];
        }
    }
    *out = all;
    *count = n;
    return rc;
}

json_t *pp_offer_page_venue_options(const struct pp_venue *v, size_t n, int64_t selected)
{
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, json_pack("{s:I, s:s, s:b}", "id", (json_int_t)v[i].id,
                                              "label", pp_view_venue_label(&v[i]), "selected",
                                              v[i].id == selected));
    return list;
}

bool pp_offer_page_load(struct pp_req *req, struct pp_offer *o)
{
    int64_t id = pp_req_param_id(req, 0);
    struct pp_db *db = pp_req_db(req);
    enum pp_err rc = id ? pp_authz_offer(db, &req->user, id) : PP_ENOTFOUND;
    if (rc == PP_OK)
        rc = pp_offer_get(db, req->arena, id, o);
    return !pp_view_failed(req, rc);
}

/* The offer of the path when its kind (event or thing) is @event; else a redirect to @other. */
static bool load_kind(struct pp_req *req, struct pp_offer *o, bool event, const char *other)
{
    if (!pp_offer_page_load(req, o))
        return false;
    if (pp_offer_page_is_event(o) != event) {
        pp_res_redirect(req, pp_offer_page_path(req, o, other));
        return false;
    }
    return true;
}

bool pp_offer_page_load_event(struct pp_req *req, struct pp_offer *o)
{
    return load_kind(req, o, true, "/stock");
}

bool pp_offer_page_load_thing(struct pp_req *req, struct pp_offer *o)
{
    return load_kind(req, o, false, "/dates");
}

bool pp_offer_page_is_event(const struct pp_offer *o)
{
    const struct pp_subcategory *s = pp_subcategory_find(o->subcategory_id);
    return s != NULL && s->is_event;
}

bool pp_offer_page_is_draft(const struct pp_offer *o)
{
    return strcmp(o->validation, "DRAFT") == 0;
}

bool pp_offer_page_is_editable(const struct pp_offer *o)
{
    return pp_offer_page_is_draft(o) || strcmp(o->validation, "APPROVED") == 0;
}

const char *pp_offer_page_path(struct pp_req *req, const struct pp_offer *o, const char *tail)
{
    return pp_arena_printf(req->arena, "/offres/%lld%s", (long long)o->id, tail);
}

json_t *pp_offer_page_json(const struct pp_offer *o)
{
    const struct pp_subcategory *s = pp_subcategory_find(o->subcategory_id);
    const struct pp_category *c = s ? pp_category_find(s->category_id) : NULL;
    const struct pp_view_code *st = pp_view_code_of(
        pp_view_offer_statuses, pp_view_offer_status_count, o->display_status);
    json_t *j = json_pack("{s:I, s:s, s:s, s:s, s:s, s:b, s:b, s:b, s:b, s:b, s:I}", "id",
                          (json_int_t)o->id, "name", o->name, "statusLabel", st->label,
                          "statusBadge", st->badge, "venueName", o->venue_name, "isEvent",
                          s && s->is_event, "isDraft", pp_offer_page_is_draft(o), "isApproved",
                          strcmp(o->validation, "APPROVED") == 0, "isActive", o->is_active != 0,
                          "editable", pp_offer_page_is_editable(o), "stockCount",
                          (json_int_t)o->stock_count);
    pp_view_set_str(j, "subcategoryLabel", s ? s->pro_label : o->subcategory_id);
    pp_view_set_str(j, "categoryLabel", c ? c->pro_label : NULL);
    return j;
}

json_t *pp_offer_page_stepper(const struct pp_offer *o, int step)
{
    if (o != NULL && !pp_offer_page_is_draft(o))
        return json_null();
    static const char *const ev[] = {"Informations", "Tarifs", "Dates",
                                     "Récapitulatif et publication"};
    static const char *const th[] = {"Informations", "Stock et prix",
                                     "Récapitulatif et publication"};
    bool event = o == NULL || pp_offer_page_is_event(o);
    const char *const *names = event ? ev : th;
    int total = event ? 4 : 3;
    json_t *j = json_pack("{s:i, s:i, s:s}", "current", step, "total", total, "title",
                          names[step - 1]);
    if (step < total)
        json_object_set_new(j, "next", json_string(names[step]));
    return j;
}

enum pp_err pp_offer_page_stocks(struct pp_req *req, const struct pp_offer *o,
                                 struct pp_offer_page_stocks *out)
{
    struct pp_db *db = pp_req_db(req);
    enum pp_err rc = pp_price_category_list(db, req->arena, o->id, &out->tariffs, &out->ntariffs);
    if (rc == PP_OK)
        rc = pp_stock_list(db, req->arena, o->id, &out->stocks, &out->nstocks);
    if (rc == PP_OK)
        rc = pp_venue_get(db, req->arena, o->venue_id, &out->venue);
    return rc;
}

void pp_offer_page_rename_error(json_t *errors, const char *from, const char *to)
{
    json_t *v = json_object_get(errors, from);
    if (v == NULL)
        return;
    if (json_object_get(errors, to) == NULL)
        json_object_set(errors, to, v);
    json_object_del(errors, from);
}

bool pp_offer_page_stopped(struct pp_req *req, enum pp_err rc)
{
    if (rc != PP_EDB && rc != PP_EINTERNAL && rc != PP_ENOTFOUND)
        return false;
    pp_web_page_error(req, pp_err_status(rc), NULL);
    return true;
}

bool pp_offer_page_answered(struct pp_req *req, enum pp_err rc, const char *location)
{
    if (pp_offer_page_stopped(req, rc))
        return true;
    if (rc != PP_OK)
        return false;
    pp_res_redirect(req, location);
    return true;
}

const char *pp_offer_page_quantity(struct pp_req *req, int64_t q)
{
    return q == PP_UNLIMITED ? "Illimité" : pp_arena_printf(req->arena, "%lld", (long long)q);
}

int64_t pp_offer_page_read_quantity(struct pp_req *req, json_t *values, struct pp_error *e)
{
    const char *q = pp_web_field(req, "quantity");
    bool unlimited = pp_view_checked(req, "unlimited");
    pp_view_set_str(values, "quantity", q);
    json_object_set_new(values, "unlimited", json_boolean(unlimited));
    if (unlimited && q != NULL) {
        pp_error_set(e, PP_EVALIDATION, "quantity",
                     "Indiquez un nombre de places ou cochez « Illimité », pas les deux.");
        return -2;
    }
    if (unlimited)
        return PP_UNLIMITED;
    int64_t n = pp_input_count(q, PP_QUANTITY_MAX);
    if (n < 0)
        pp_error_set(e, PP_EVALIDATION, "quantity",
                     q == NULL ? "Indiquez un nombre de places ou cochez « Illimité »."
                               : "Le nombre de places doit être un nombre entier entre 0 et "
                                 "1 000 000.");
    return n < 0 ? -2 : n;
}
