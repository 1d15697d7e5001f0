/* Pro portal: /accueil, /structures/nouvelle, /lieux/nouveau, /lieux/{id}. */
#include <stdlib.h>
#include <string.h>

#include "core/status.h"
#include "core/venue_type.h"
#include "domain/authz.h"
#include "domain/offerer.h"
#include "domain/venue.h"
#include "web/view.h"
#include "web/web.h"

/* A structure's status; any other is "Fermée". */
static const struct pp_view_wording offerer_statuses[] = {
    {"NEW", "En attente de validation"},
    {"PENDING", "En cours d'instruction"},
    {"VALIDATED", "Validée"},
    {"REJECTED", "Refusée"},
};

/* The structure form's fields. */
static const struct pp_web_input offerer_inputs[] = {
    PP_WEB_INPUT(struct pp_offerer_signup, siret, "siret"),
    PP_WEB_INPUT(struct pp_offerer_signup, name, "name"),
    PP_WEB_INPUT(struct pp_offerer_signup, street, "street"),
    PP_WEB_INPUT(struct pp_offerer_signup, postal_code, "postalCode"),
    PP_WEB_INPUT(struct pp_offerer_signup, city, "city"),
};

/* The venue fields a pro may change; creation adds venue_new_inputs. */
static const struct pp_web_input venue_inputs[] = {
    PP_WEB_INPUT(struct pp_venue, public_name, "publicName"),
    PP_WEB_INPUT(struct pp_venue, street, "street"),
    PP_WEB_INPUT(struct pp_venue, postal_code, "postalCode"),
    PP_WEB_INPUT(struct pp_venue, city, "city"),
    PP_WEB_INPUT(struct pp_venue, booking_email, "bookingEmail"),
    PP_WEB_INPUT(struct pp_venue, venue_type, "venueType"),
    PP_WEB_INPUT(struct pp_venue, comment, "comment"),
};
static const struct pp_web_input venue_new_inputs[] = {
    PP_WEB_INPUT(struct pp_venue, name, "name"),
    PP_WEB_INPUT(struct pp_venue, siret, "siret"),
};

/* The confirmation of what was just done (?info=...), by its code. */
static const struct pp_view_wording info_messages[] = {
    {"structure",
     "Votre structure a été créée. pass Culture la vérifie ; vous pouvez déjà préparer vos lieux."},
    {"rattachement",
     "Votre demande de rattachement a été envoyée. Vous aurez accès à la structure dès sa "
     "validation par pass Culture."},
    {"lieu", "Le lieu a été enregistré."},
};

static json_t *venue_json(const struct pp_venue *v)
{
    const struct pp_venue_type *t = pp_venue_type_find(v->venue_type);
    bool incomplete = v->street == NULL || *v->street == '\0' || v->city == NULL ||
                      *v->city == '\0' || v->booking_email == NULL;
    return json_pack("{s:I, s:s, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s, s:s, s:b}",
                     "id", (json_int_t)v->id, "name", v->name, "publicName", v->public_name,
                     "siret", v->siret, "comment", v->comment, "street", v->street,
                     "postalCode", v->postal_code, "city", v->city, "bookingEmail",
                     v->booking_email, "venueTypeLabel", t ? t->label : NULL, "venueType",
                     v->venue_type, "timezone", v->timezone, "incomplete", incomplete);
}

/* Adds a line to the home page's "À faire" list; @href NULL for none. */
static void attention_add(json_t *attention, const char *text, const char *href)
{
    json_t *item = json_pack("{s:s}", "text", text);
    if (href != NULL)
        json_object_set_new(item, "href", json_string(href));
    json_array_append_new(attention, item);
}

/* The venues of validated structure @o, each incomplete one noted in @attention. */
static enum pp_err venues_json(struct pp_req *req, const struct pp_offerer *o, json_t *attention,
                               json_t **out)
{
    struct pp_venue *venues;
    size_t nv;
    enum pp_err rc = pp_venue_list(pp_req_db(req), req->arena, o->id, &venues, &nv);
    if (rc != PP_OK)
        return rc;
    json_t *jv = json_array();
    for (size_t k = 0; k < nv; k++) {
        json_t *v = venue_json(&venues[k]);
        if (json_is_true(json_object_get(v, "incomplete")))
            attention_add(attention,
                          pp_arena_printf(req->arena,
                                          "Complétez l'adresse et l'email de réservation du "
                                          "lieu %s.",
                                          venues[k].name),
                          pp_arena_printf(req->arena, "/lieux/%lld", (long long)venues[k].id));
        json_array_append_new(jv, v);
    }
    *out = jv;
    return PP_OK;
}

/* One structure of the home page, with its venues once the caller is attached to it. */
static enum pp_err offerer_json(struct pp_req *req, const struct pp_offerer *o,
                                json_t *attention, json_t **out)
{
    bool attached = o->attachment_status_code == PP_VALIDATION_VALIDATED;
    bool validated = o->status_code == PP_VALIDATION_VALIDATED;
    *out = json_pack("{s:I, s:s, s:s, s:s, s:b, s:b, s:b}", "id", (json_int_t)o->id, "name",
                     o->name, "siren", o->siren, "statusLabel",
                     pp_view_label(offerer_statuses, PP_VIEW_COUNT(offerer_statuses), o->status,
                                   "Fermée"),
                     "validated", validated, "attached", attached, "isLocalAuthority",
                     o->is_local_authority);
    if (!attached) {
        attention_add(attention,
                      o->attachment_status_code == PP_VALIDATION_REJECTED
                          ? pp_arena_printf(req->arena,
                                            "Votre demande de rattachement à %s a été refusée.",
                                            o->name)
                          : pp_arena_printf(req->arena,
                                            "Votre demande de rattachement à %s est en attente "
                                            "de validation par pass Culture.",
                                            o->name),
                      NULL);
        return PP_OK;
    }
    if (!validated)
        attention_add(attention,
                      pp_arena_printf(req->arena,
                                      "La structure %s est en cours de validation par pass "
                                      "Culture : vos offres seront publiées après validation.",
                                      o->name),
                      NULL);
    json_t *venues;
    enum pp_err rc = venues_json(req, o, attention, &venues);
    if (rc == PP_OK)
        json_object_set_new(*out, "venues", venues);
    return rc;
}

void pp_web_home(struct pp_req *req)
{
    struct pp_offerer *offerers;
    size_t n;
    enum pp_err rc =
        pp_offerer_list_for_account(pp_req_db(req), req->arena, req->user.id, &offerers, &n);
    json_t *list = pp_req_own(req, json_array());
    json_t *attention = pp_req_own(req, json_array());
    for (size_t i = 0; rc == PP_OK && i < n; i++) {
        json_t *jo;
        rc = offerer_json(req, &offerers[i], attention, &jo);
        json_array_append_new(list, jo);
    }
    json_t *forecast = rc == PP_OK ? pp_web_forecast_lines(req, offerers, n) : NULL;
    json_t *last = forecast != NULL ? pp_req_own(req, pp_web_last_bookings(req, 5)) : NULL;
    json_t *chart = last != NULL ? pp_web_bookings_chart(req) : NULL;
    if (chart == NULL) {
        pp_web_page_error(req, 500, NULL);
        return;
    }
    const char *info =
        pp_view_label(info_messages, PP_VIEW_COUNT(info_messages), pp_req_query(req, "info"), NULL);
    pp_web_render(req, 200, "home.html", "Accueil",
                  json_pack("{s:O, s:O, s:s?, s:O, s:o, s:s, s:O}", "offerers", list,
                            "attention", attention, "info", info,
                            "bookings", last, "chart", chart, "caption", "Dernières réservations",
                            "forecast", forecast));
}

static void offerer_page(struct pp_req *req, int status, json_t *values, const struct pp_error *e)
{
    pp_web_render(req, status, "offerer_new.html", "Ajouter une structure",
                  json_pack("{s:o, s:o, s:b}", "values", values ? values : json_object(),
                            "errors", pp_web_errors(e), "welcome",
                            pp_req_query(req, "bienvenue") != NULL));
}

void pp_web_offerer_form(struct pp_req *req)
{
    offerer_page(req, 200, NULL, NULL);
}

void pp_web_offerer_create(struct pp_req *req)
{
    struct pp_offerer_signup in = {0};
    pp_web_read_form(req, offerer_inputs, PP_VIEW_COUNT(offerer_inputs), &in);
    struct pp_error e;
    pp_error_init(&e);
    struct pp_offerer_registration r;
    enum pp_err rc =
        pp_offerer_register(pp_req_db(req), req->arena, req->user.id, req->user.email, &in, &r, &e);
    if (pp_view_fatal(req, rc))
        return;
    if (rc != PP_OK) {
        offerer_page(req, pp_err_status(rc),
                     json_pack("{s:s?, s:s?, s:s?, s:s?, s:s?}", "siret", in.siret, "name",
                               in.name, "street", in.street, "postalCode", in.postal_code, "city",
                               in.city),
                     &e);
        return;
    }
    pp_res_redirect(req, r.attachment_status_code == PP_VALIDATION_VALIDATED
                             ? "/accueil?info=structure"
                             : "/accueil?info=rattachement");
}

/* Venue types for a <select>, with @selected marked. */
static json_t *venue_type_options(const char *selected)
{
    size_t n;
    const struct pp_venue_type *types = pp_venue_types(&n);
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, json_pack("{s:s, s:s, s:b}", "code", types[i].code, "label",
                                              types[i].label,
                                              "selected",
                                              selected && strcmp(selected, types[i].code) == 0));
    return list;
}

/* The new venue form of structure @offerer_id; @values: owned by the request, NULL for none. */
static void venue_new_page(struct pp_req *req, int status, int64_t offerer_id, json_t *values,
                           const struct pp_error *e)
{
    struct pp_offerer o;
    if (pp_offerer_get(pp_req_db(req), req->arena, offerer_id, &o) != PP_OK) {
        pp_web_page_error(req, 404, NULL);
        return;
    }
    const char *type = values ? json_string_value(json_object_get(values, "venueType")) : NULL;
    pp_web_render(req, status, "venue_new.html", "Ajouter un lieu",
                  json_pack("{s:I, s:s, s:s, s:o, s:o, s:o}", "offererId", (json_int_t)offerer_id,
                            "offererName", o.name, "siren", o.siren, "values",
                            pp_view_ref(values), "errors", pp_web_errors(e),
                            "venueTypes", venue_type_options(type ? type : "MUSEUM")));
}

void pp_web_venue_new_form(struct pp_req *req)
{
    int64_t offerer_id = pp_view_field_id(req, "offererId");
    if (pp_authz_offerer(pp_req_db(req), &req->user, offerer_id) != PP_OK) {
        pp_web_page_error(req, 404, NULL);
        return;
    }
    venue_new_page(req, 200, offerer_id, NULL, NULL);
}

void pp_web_venue_create(struct pp_req *req)
{
    int64_t offerer_id = pp_view_field_id(req, "offererId");
    struct pp_db *db = pp_req_db(req);
    if (pp_authz_offerer(db, &req->user, offerer_id) != PP_OK) {
        pp_web_page_error(req, 404, NULL);
        return;
    }
    struct pp_venue v = {.offerer_id = offerer_id};
    pp_web_read_form(req, venue_inputs, PP_VIEW_COUNT(venue_inputs), &v);
    pp_web_read_form(req, venue_new_inputs, PP_VIEW_COUNT(venue_new_inputs), &v);
    struct pp_error e;
    pp_error_init(&e);
    int64_t id;
    enum pp_err rc = pp_venue_create(db, req->arena, &v, &id, &e);
    if (pp_view_fatal(req, rc))
        return;
    if (rc != PP_OK) {
        venue_new_page(req, pp_err_status(rc), offerer_id,
                       pp_req_own(req, json_pack("{s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, "
                                                 "s:s?, s:s?}",
                                                 "name",
                                 v.name, "publicName", v.public_name, "siret", v.siret, "comment",
                                 v.comment, "street", v.street, "postalCode", v.postal_code,
                                 "city", v.city, "bookingEmail", v.booking_email, "venueType",
                                 v.venue_type)),
                       &e);
        return;
    }
    pp_res_redirect(req, "/accueil?info=lieu");
}

static void venue_page(struct pp_req *req, int status, int64_t id, const struct pp_error *e,
                       bool saved)
{
    struct pp_venue v;
    if (pp_venue_get(pp_req_db(req), req->arena, id, &v) != PP_OK) {
        pp_web_page_error(req, 404, NULL);
        return;
    }
    json_t *jv = venue_json(&v);
    pp_web_render(req, status, "venue.html", v.public_name ? v.public_name : v.name,
                  json_pack("{s:O, s:o, s:o, s:o, s:b}", "venue", jv, "values", jv, "errors",
                            pp_web_errors(e),
                            "venueTypes", venue_type_options(v.venue_type), "saved", saved));
}

void pp_web_venue_page(struct pp_req *req)
{
    int64_t id = pp_req_param_id(req, 0);
    if (pp_authz_venue(pp_req_db(req), &req->user, id, NULL) != PP_OK) {
        pp_web_page_error(req, 404, NULL);
        return;
    }
    venue_page(req, 200, id, NULL, pp_req_query(req, "enregistre") != NULL);
}

void pp_web_venue_update(struct pp_req *req)
{
    int64_t id = pp_req_param_id(req, 0);
    struct pp_db *db = pp_req_db(req);
    if (pp_authz_venue(db, &req->user, id, NULL) != PP_OK) {
        pp_web_page_error(req, 404, NULL);
        return;
    }
    struct pp_venue patch = {0};
    pp_web_read_form(req, venue_inputs, PP_VIEW_COUNT(venue_inputs), &patch);
    struct pp_error e;
    pp_error_init(&e);
    enum pp_err rc = pp_venue_update(db, req->arena, id, &patch, &e);
    if (pp_view_fatal(req, rc))
        return;
    if (rc != PP_OK) {
        venue_page(req, pp_err_status(rc), id, &e, false);
        return;
    }
    pp_res_redirect(req, pp_arena_printf(req->arena, "/lieux/%lld?enregistre=1", (long long)id));
}
