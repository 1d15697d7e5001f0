/* Pro portal: /accueil, /structures/nouvelle, /lieux/nouveau, /lieux/{id}. */
#include <stdlib.h>
#include <string.h>

#include "core/venue_type.h"
#include "domain/authz.h"
#include "domain/offerer.h"
#include "domain/venue.h"
#include "web/web.h"

static const char *offerer_status_label(const char *s)
{
    if (strcmp(s, "NEW") == 0)
        return "En attente de validation";
    if (strcmp(s, "PENDING") == 0)
        return "En cours d'instruction";
    if (strcmp(s, "VALIDATED") == 0)
        return "Validée";
    if (strcmp(s, "REJECTED") == 0)
        return "Refusée";
    return "Fermée";
}

static const char *info_message(const char *code)
{
    if (code == NULL)
        return NULL;
    if (strcmp(code, "structure") == 0)
        return "Votre structure a été créée. pass Culture la vérifie ; vous pouvez déjà préparer "
               "vos lieux.";
    if (strcmp(code, "rattachement") == 0)
        return "Votre demande de rattachement a été envoyée. Vous aurez accès à la structure dès "
               "sa validation par pass Culture.";
    if (strcmp(code, "lieu") == 0)
        return "Le lieu a été enregistré.";
    return NULL;
}

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

void pp_web_home(struct pp_req *req)
{
    struct pp_db *db = pp_req_db(req);
    struct pp_offerer *offerers;
    size_t n;
    if (pp_offerer_list_for_account(db, req->arena, req->user.id, &offerers, &n) != PP_OK) {
        pp_web_page_error(req, 500, NULL);
        return;
    }
    json_t *list = json_array();
    json_t *attention = json_array();
    for (size_t i = 0; i < n; i++) {
        struct pp_offerer *o = &offerers[i];
        bool attached = strcmp(o->attachment_status, "VALIDATED") == 0;
        json_t *jo = json_pack("{s:I, s:s, s:s, s:s, s:b, s:b, s:b}", "id", (json_int_t)o->id,
                               "name", o->name, "siren", o->siren, "statusLabel",
                               offerer_status_label(o->status), "validated",
                               strcmp(o->status, "VALIDATED") == 0, "attached", attached,
                               "isLocalAuthority", o->is_local_authority);
        if (!attached) {
            json_array_append_new(
                attention,
                json_pack("{s:s}", "text",
                          strcmp(o->attachment_status, "REJECTED") == 0
                              ? pp_arena_printf(req->arena,
                                                "Votre demande de rattachement à %s a été refusée.",
                                                o->name)
                              : pp_arena_printf(req->arena,
                                                "Votre demande de rattachement à %s est en attente "
                                                "de validation par pass Culture.",
                                                o->name)));
            json_array_append_new(list, jo);
            continue;
        }
        if (strcmp(o->status, "VALIDATED") != 0)
            json_array_append_new(
                attention,
                json_pack("{s:s}", "text",
                          pp_arena_printf(req->arena,
                                          "La structure %s est en cours de validation par pass "
                                          "Culture : vos offres seront publiées après validation.",
                                          o->name)));
        struct pp_venue *venues;
        size_t nv;
        if (pp_venue_list(db, req->arena, o->id, &venues, &nv) != PP_OK) {
            json_decref(jo);
            json_decref(list);
            json_decref(attention);
            pp_web_page_error(req, 500, NULL);
            return;
        }
        json_t *jv = json_array();
        for (size_t k = 0; k < nv; k++) {
            json_t *v = venue_json(&venues[k]);
            if (json_is_true(json_object_get(v, "incomplete")))
                json_array_append_new(
                    attention,
                    json_pack("{s:s, s:s}", "text",
                              pp_arena_printf(req->arena,
                                              "Complétez l'adresse et l'email de réservation du "
                                              "lieu %s.",
                                              venues[k].name),
                              "href",
                              pp_arena_printf(req->arena, "/lieux/%lld",
                                              (long long)venues[k].id)));
            json_array_append_new(jv, v);
        }
        json_object_set_new(jo, "venues", jv);
        json_array_append_new(list, jo);
    }
    json_t *last = pp_web_last_bookings(req, 5);
    json_t *chart = last != NULL ? pp_web_bookings_chart(req) : NULL;
    if (last == NULL || chart == NULL) {
        json_decref(last);
        json_decref(list);
        json_decref(attention);
        pp_web_page_error(req, 500, NULL);
        return;
    }
    pp_web_render(req, 200, "home.html", "Accueil",
                  json_pack("{s:o, s:o, s:s?, s:o, s:o, s:s}", "offerers", list, "attention",
                            attention, "info", info_message(pp_req_query(req, "info")), "bookings",
                            last, "chart", chart, "caption", "Dernières réservations"));
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
    struct pp_offerer_signup in = {
        .siret = pp_web_field(req, "siret"),
        .name = pp_web_field(req, "name"),
        .street = pp_web_field(req, "street"),
        .postal_code = pp_web_field(req, "postalCode"),
        .city = pp_web_field(req, "city"),
    };
    struct pp_error e;
    pp_error_init(&e);
    struct pp_offerer_registration r;
    enum pp_err rc =
        pp_offerer_register(pp_req_db(req), req->arena, req->user.id, req->user.email, &in, &r, &e);
    if (rc == PP_EDB || rc == PP_EINTERNAL) {
        pp_web_page_error(req, 500, NULL);
        return;
    }
    if (rc != PP_OK) {
        offerer_page(req, pp_err_status(rc),
                     json_pack("{s:s?, s:s?, s:s?, s:s?, s:s?}", "siret", in.siret, "name",
                               in.name, "street", in.street, "postalCode", in.postal_code, "city",
                               in.city),
                     &e);
        return;
    }
    pp_res_redirect(req, strcmp(r.attachment_status, "VALIDATED") == 0
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

static int64_t query_id(struct pp_req *req, const char *key)
{
    const char *q = pp_req_query(req, key);
    if (q == NULL)
        q = pp_req_form(req, key);
    if (q == NULL)
        return 0;
    char *end;
    long long v = strtoll(q, &end, 10);
    return *end == '\0' && v > 0 ? v : 0;
}

static void venue_new_page(struct pp_req *req, int status, int64_t offerer_id, json_t *values,
                           const struct pp_error *e)
{
    struct pp_offerer o;
    if (pp_offerer_get(pp_req_db(req), req->arena, offerer_id, &o) != PP_OK) {
        json_decref(values);
        pp_web_page_error(req, 404, NULL);
        return;
    }
    const char *type = values ? json_string_value(json_object_get(values, "venueType")) : NULL;
    pp_web_render(req, status, "venue_new.html", "Ajouter un lieu",
                  json_pack("{s:I, s:s, s:s, s:o, s:o, s:o}", "offererId", (json_int_t)offerer_id,
                            "offererName", o.name, "siren", o.siren, "values",
                            values ? values : json_object(), "errors", pp_web_errors(e),
                            "venueTypes", venue_type_options(type ? type : "MUSEUM")));
}

void pp_web_venue_new_form(struct pp_req *req)
{
    int64_t offerer_id = query_id(req, "offererId");
    if (pp_authz_offerer(pp_req_db(req), &req->user, offerer_id) != PP_OK) {
        pp_web_page_error(req, 404, NULL);
        return;
    }
    venue_new_page(req, 200, offerer_id, NULL, NULL);
}

void pp_web_venue_create(struct pp_req *req)
{
    int64_t offerer_id = query_id(req, "offererId");
    struct pp_db *db = pp_req_db(req);
    if (pp_authz_offerer(db, &req->user, offerer_id) != PP_OK) {
        pp_web_page_error(req, 404, NULL);
        return;
    }
    struct pp_venue v = {
        .offerer_id = offerer_id,
        .name = pp_web_field(req, "name"),
        .public_name = pp_web_field(req, "publicName"),
        .siret = pp_web_field(req, "siret"),
        .comment = pp_web_field(req, "comment"),
        .street = pp_web_field(req, "street"),
        .postal_code = pp_web_field(req, "postalCode"),
        .city = pp_web_field(req, "city"),
        .booking_email = pp_web_field(req, "bookingEmail"),
        .venue_type = pp_web_field(req, "venueType"),
    };
    struct pp_error e;
    pp_error_init(&e);
    int64_t id;
    enum pp_err rc = pp_venue_create(db, req->arena, &v, &id, &e);
    if (rc == PP_EDB || rc == PP_EINTERNAL) {
        pp_web_page_error(req, 500, NULL);
        return;
    }
    if (rc != PP_OK) {
        venue_new_page(req, pp_err_status(rc), offerer_id,
                       json_pack("{s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?}", "name",
                                 v.name, "publicName", v.public_name, "siret", v.siret, "comment",
                                 v.comment, "street", v.street, "postalCode", v.postal_code,
                                 "city", v.city, "bookingEmail", v.booking_email, "venueType",
                                 v.venue_type),
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
    struct pp_venue patch = {
        .public_name = pp_web_field(req, "publicName"),
        .street = pp_web_field(req, "street"),
        .postal_code = pp_web_field(req, "postalCode"),
        .city = pp_web_field(req, "city"),
        .booking_email = pp_web_field(req, "bookingEmail"),
        .venue_type = pp_web_field(req, "venueType"),
        .comment = pp_web_field(req, "comment"),
    };
    struct pp_error e;
    pp_error_init(&e);
    enum pp_err rc = pp_venue_update(db, req->arena, id, &patch, &e);
    if (rc == PP_EDB || rc == PP_EINTERNAL) {
        pp_web_page_error(req, 500, NULL);
        return;
    }
    if (rc != PP_OK) {
        venue_page(req, pp_err_status(rc), id, &e, false);
        return;
    }
    pp_res_redirect(req, pp_arena_printf(req->arena, "/lieux/%lld?enregistre=1", (long long)id));
}
