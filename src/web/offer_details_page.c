/*
 * Offer wizard, step 1 (SPEC §4): audience, venue, subcategory and details, for a new offer
 * (/offres/creation) or an existing one (/offres/{id}/edition). Saving goes on to the tariffs
 * of an event or the stock of a thing; an approved offer goes back to its récapitulatif.
 */
#include <string.h>

#include "core/categories.h"
#include "domain/authz.h"
#include "web/offer_page.h"
#include "web/view.h"
#include "web/web.h"

static json_t *category_group(const struct pp_category *c, const char *selected)
{
    size_t ns;
    const struct pp_subcategory *subs = pp_subcategories(&ns);
    json_t *items = json_array();
    for (size_t i = 0; i < ns; i++)
        if (subs[i].selectable && strcmp(subs[i].category_id, c->id) == 0)
            json_array_append_new(
                items, json_pack("{s:s, s:s, s:b}", "id", subs[i].id, "label", subs[i].pro_label,
                                 "selected", selected && strcmp(selected, subs[i].id) == 0));
    return json_pack("{s:s, s:o}", "label", c->pro_label, "subcategories", items);
}

/*
 * Selectable subcategories grouped by category. A museum sees its two usual categories first
 * ("Musée, patrimoine, architecture, arts visuels", then "Conférences, rencontres").
 */
static json_t *subcategory_groups(const char *selected, bool museum_first)
{
    static const char *const museum[] = {"MUSEE", "CONFERENCE"};
    size_t nc;
    const struct pp_category *cats = pp_categories(&nc);
    json_t *groups = json_array();
    if (museum_first)
        for (size_t k = 0; k < 2; k++)
            json_array_append_new(groups, category_group(pp_category_find(museum[k]), selected));
    for (size_t i = 0; i < nc; i++) {
        if (!cats[i].selectable ||
            (museum_first && (strcmp(cats[i].id, museum[0]) == 0 ||
                              strcmp(cats[i].id, museum[1]) == 0)))
            continue;
        json_t *g = category_group(&cats[i], selected);
        if (json_array_size(json_object_get(g, "subcategories")) > 0)
            json_array_append_new(groups, g);
        else
            json_decref(g);
    }
    return groups;
}

static bool is_museum(const struct pp_venue *v)
{
    return v->venue_type && strcmp(v->venue_type, "MUSEUM") == 0;
}

/* Museum first when the chosen venue is a museum; with no choice yet, when any venue is one. */
static bool museum_first(const struct pp_venue *v, size_t n, int64_t chosen)
{
    bool any = false;
    for (size_t i = 0; i < n; i++) {
        if (v[i].id == chosen)
            return is_museum(&v[i]);
        any = any || is_museum(&v[i]);
    }
    return any;
}

/*
 * The details form, new (@o NULL) or editing offer @o. @values are the typed values and
 * @errors the field errors (NULL: none), both owned by the request.
 */
/* The accessibility boxes in the order of the form, ticked as in @values. */
static json_t *accessibility_boxes(json_t *values)
{
    static const struct pp_view_wording boxes[] = {
        {"accessVisual", "Handicap visuel"},
        {"accessMental", "Handicap psychique ou cognitif"},
        {"accessMotor", "Handicap moteur"},
        {"accessAudio", "Handicap auditif"},
        {"accessNone", "Non accessible"},
    };
    json_t *list = json_array();
    for (size_t i = 0; i < PP_VIEW_COUNT(boxes); i++)
        json_array_append_new(list, pp_view_checkbox(boxes[i].code, boxes[i].code, "1",
                                                     boxes[i].text,
                                                     json_is_true(json_object_get(values,
                                                                                  boxes[i].code))));
    return list;
}

static void details_page(struct pp_req *req, int status, const struct pp_offer *o,
                         json_t *values, json_t *errors)
{
    struct pp_venue *venues = NULL;
    size_t nv = 0;
    if (o == NULL && pp_offer_page_my_venues(req, &venues, &nv) != PP_OK) {
        pp_web_page_error(req, 500, NULL);
        return;
    }
    int64_t venue_id = json_integer_value(json_object_get(values, "venueId"));
    if (o == NULL && nv == 1) {
        venue_id = venues[0].id;
        json_object_set_new(values, "venueId", json_integer(venue_id));
    }
    const char *sub = json_string_value(json_object_get(values, "subcategoryId"));
    /* A published offer keeps its subcategory, and so does a draft that already has dates. */
    bool sub_editable = o == NULL || (pp_offer_page_is_draft(o) && o->stock_count == 0);
    json_t *data = json_pack("{s:O, s:o, s:o, s:b, s:b, s:o}", "values", values, "errors",
                             pp_view_ref(errors), "venues",
                             pp_offer_page_venue_options(venues, nv, venue_id), "hasVenues",
                             o != NULL || nv > 0, "subcategoryEditable", sub_editable, "stepper",
                             pp_offer_page_stepper(o, 1));
    json_object_set_new(data, "accessibility", accessibility_boxes(values));
    if (sub_editable) {
        bool first;
        if (o != NULL) {
            struct pp_venue v;
            first = pp_venue_get(pp_req_db(req), req->arena, o->venue_id, &v) == PP_OK &&
                    is_museum(&v);
        } else {
            first = museum_first(venues, nv, venue_id);
        }
        json_object_set_new(data, "groups", subcategory_groups(sub, first));
    }
    if (o != NULL)
        json_object_set_new(data, "offer", pp_offer_page_json(o));
    else
        json_object_set_new(data, "creating", json_true());
    pp_web_render(req, status, "offer_details.html",
                  o ? "Modifier les informations de l'offre" : "Créer une offre", data);
}

/* The accessibility boxes: at least one; "Non accessible" alone, or any of the four. */
static void read_accessibility(struct pp_req *req, struct pp_offer_input *in, json_t *values,
                               bool *contradiction)
{
    static const char *const boxes[] = {"accessAudio", "accessMental", "accessMotor",
                                        "accessVisual", "accessNone"};
    bool b[5], any = false;
    for (size_t i = 0; i < 5; i++) {
        b[i] = pp_view_checked(req, boxes[i]);
        json_object_set_new(values, boxes[i], json_boolean(b[i]));
        any = any || (i < 4 && b[i]);
    }
    *contradiction = any && b[4];
    /* Left "not given" (-1) otherwise, so that the domain reports it with the other fields. */
    if ((any || b[4]) && !*contradiction) {
        in->audio_disability = b[0];
        in->mental_disability = b[1];
        in->motor_disability = b[2];
        in->visual_disability = b[3];
    }
}

/* The fields of the details form into @in, and the typed values into @values. */
static void read_details(struct pp_req *req, struct pp_offer_input *in, json_t *values,
                         bool *contradiction)
{
    pp_offer_input_init(in);
    static const char *const text[] = {"name", "description", "subcategoryId", "url",
                                       "bookingEmail", "withdrawalDetails"};
    const char *v[6];
    for (size_t i = 0; i < 6; i++) {
        v[i] = pp_web_field(req, text[i]);
        /* An optional text sent blank clears it (the domain ignores "" on creation). */
        if (v[i] == NULL && i != 0 && i != 2 && pp_req_form(req, text[i]) != NULL)
            v[i] = "";
        pp_view_set_str(values, text[i], v[i]);
    }
    in->name = v[0];
    in->description = v[1];
    in->subcategory_id = v[2];
    in->url = v[3];
    in->booking_email = v[4];
    in->withdrawal_details = v[5];
    in->is_duo = pp_view_checked(req, "isDuo");
    json_object_set_new(values, "isDuo", json_boolean(in->is_duo));
    read_accessibility(req, in, values, contradiction);
}

/* Field errors of @e for the details form, owned by the request: the four flags become one. */
static json_t *details_errors(struct pp_req *req, const struct pp_error *e, bool contradiction)
{
    json_t *errors = pp_req_own(req, pp_web_errors(e));
    static const char *const flags[] = {"audioDisabilityCompliant", "mentalDisabilityCompliant",
                                        "motorDisabilityCompliant", "visualDisabilityCompliant"};
    bool any = false;
    for (size_t i = 0; i < 4; i++) {
        any = any || json_object_get(errors, flags[i]) != NULL;
        json_object_del(errors, flags[i]);
    }
    if (any)
        json_object_set_new(
            errors, "accessibility",
            json_string(contradiction
                            ? "Cochez « Non accessible » seul, ou les handicaps auxquels l'offre "
                              "est accessible."
                            : "Indiquez à quels handicaps l'offre est accessible, ou cochez « Non "
                              "accessible »."));
    return errors;
}

/* The step after the details: tariffs for an event, the stock for a thing. */
static const char *next_step(struct pp_req *req, int64_t id, const char *subcategory_id)
{
    const struct pp_subcategory *s = pp_subcategory_find(subcategory_id);
    return pp_arena_printf(req->arena, "/offres/%lld/%s", (long long)id,
                           s && s->is_event ? "tarifs" : "stock");
}

void pp_web_offer_new_form(struct pp_req *req)
{
    int64_t venue_id = pp_view_field_id(req, "lieu");
    /* A venue of another structure is not found, as everywhere else. */
    if (venue_id != 0 && pp_authz_venue(pp_req_db(req), &req->user, venue_id, NULL) != PP_OK) {
        pp_web_page_error(req, 404, NULL);
        return;
    }
    json_t *values = pp_req_own(req, json_pack("{s:s, s:I}", "audience", "public", "venueId",
                                               (json_int_t)venue_id));
    details_page(req, 200, NULL, values, NULL);
}

/*
 * The domain validates only with a venue (no pp_offer_validate yet): without one, the fields
 * that are plainly missing are reported here, so that the form shows them all at once.
 */
static enum pp_err check_without_venue(const struct pp_offer_input *in, struct pp_error *e)
{
    enum pp_err rc = pp_error_set(e, PP_EVALIDATION, "venueId", "Veuillez choisir un lieu.");
    if (in->subcategory_id == NULL)
        pp_error_set(e, PP_EVALIDATION, "subcategoryId",
                     "Veuillez choisir une sous-catégorie de la liste.");
    if (in->name == NULL)
        pp_error_set(e, PP_EVALIDATION, "name", "Veuillez renseigner le titre de l'offre.");
    if (in->audio_disability < 0)
        pp_error_set(e, PP_EVALIDATION, "audioDisabilityCompliant", "");
    return rc;
}

void pp_web_offer_create(struct pp_req *req)
{
    const char *audience = pp_web_field(req, "audience");
    if (audience != NULL && strcmp(audience, "scolaire") == 0) {
        pp_res_redirect(req, "/collectif");
        return;
    }
    struct pp_db *db = pp_req_db(req);
    struct pp_error e;
    pp_error_init(&e);
    struct pp_offer_input in;
    json_t *values = pp_req_own(req, json_pack("{s:s}", "audience", "public"));
    bool contradiction;
    read_details(req, &in, values, &contradiction);
    in.venue_id = pp_view_field_id(req, "venueId");
    json_object_set_new(values, "venueId", json_integer(in.venue_id));
    int64_t id = 0;
    if (in.venue_id != 0 && pp_authz_venue(db, &req->user, in.venue_id, NULL) != PP_OK) {
        pp_web_page_error(req, 404, NULL);
        return;
    }
    enum pp_err rc = in.venue_id == 0 ? check_without_venue(&in, &e)
                                      : pp_offer_create(db, req->arena, &in, &id, &e);
    if (pp_view_fatal(req, rc))
        return;
    if (rc != PP_OK) {
        details_page(req, pp_err_status(rc), NULL, values,
                     details_errors(req, &e, contradiction));
        return;
    }
    pp_res_redirect(req, next_step(req, id, in.subcategory_id));
}

/* The stored offer as form values, owned by the request. */
static json_t *offer_values(struct pp_req *req, const struct pp_offer *o)
{
    bool none = !o->audio_disability && !o->mental_disability && !o->motor_disability &&
                !o->visual_disability;
    json_t *v = json_pack("{s:I, s:b, s:b, s:b, s:b, s:b, s:b}", "venueId",
                          (json_int_t)o->venue_id, "isDuo", o->is_duo != 0, "accessAudio",
                          o->audio_disability != 0, "accessMental", o->mental_disability != 0,
                          "accessMotor", o->motor_disability != 0, "accessVisual",
                          o->visual_disability != 0, "accessNone", none);
    pp_view_set_str(v, "name", o->name);
    pp_view_set_str(v, "description", o->description);
    pp_view_set_str(v, "subcategoryId", o->subcategory_id);
    pp_view_set_str(v, "url", o->url);
    pp_view_set_str(v, "bookingEmail", o->booking_email);
    pp_view_set_str(v, "withdrawalDetails", o->withdrawal_details);
    return pp_req_own(req, v);
}

void pp_web_offer_edit_form(struct pp_req *req)
{
    struct pp_offer o;
    if (!pp_offer_page_load(req, &o))
        return;
    if (!pp_offer_page_is_editable(&o)) {
        pp_res_redirect(req, pp_offer_page_path(req, &o, ""));
        return;
    }
    details_page(req, 200, &o, offer_values(req, &o), NULL);
}

void pp_web_offer_edit(struct pp_req *req)
{
    struct pp_offer o;
    if (!pp_offer_page_load(req, &o))
        return;
    struct pp_error e;
    pp_error_init(&e);
    struct pp_offer_input in;
    json_t *values = pp_req_own(req, json_object());
    bool contradiction;
    read_details(req, &in, values, &contradiction);
    /* A blank field clears it (NULL would mean "unchanged"); the title stays mandatory. */
    if (in.name == NULL)
        in.name = "";
    if (in.description == NULL)
        in.description = "";
    if (in.withdrawal_details == NULL)
        in.withdrawal_details = "";
    if (in.url == NULL)
        in.url = "";
    if (!pp_offer_page_is_draft(&o) || o.stock_count > 0)
        in.subcategory_id = NULL; /* not editable any more: the form does not show it */
    enum pp_err rc = pp_offer_update(pp_req_db(req), req->arena, o.id, &in, &e);
    const char *done =
        pp_offer_page_is_draft(&o)
            ? next_step(req, o.id, in.subcategory_id ? in.subcategory_id : o.subcategory_id)
            : pp_offer_page_path(req, &o, "?info=modifiee");
    if (pp_offer_page_answered(req, rc, done))
        return;
    json_object_set_new(values, "venueId", json_integer(o.venue_id));
    if (in.subcategory_id == NULL)
        pp_view_set_str(values, "subcategoryId", o.subcategory_id);
    details_page(req, pp_err_status(rc), &o, values, details_errors(req, &e, contradiction));
}
