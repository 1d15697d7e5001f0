#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/venue_type.h"
#include "db/db.h"
#include "domain/authz.h"
#include "domain/venue.h"
#include "http/json.h"

static json_t *venue_json(const struct pp_venue *v)
{
    const struct pp_venue_type *t = pp_venue_type_find(v->venue_type);
    return json_pack("{s:I, s:I, s:s, s:s?, s:s?, s:s?, s:s, s:s, s:s, s:s?, s:s, s:s?, s:s}",
                     "id", (json_int_t)v->id, "offererId", (json_int_t)v->offerer_id, "name",
                     v->name, "publicName", v->public_name, "siret", v->siret, "comment",
                     v->comment, "street", v->street, "postalCode", v->postal_code, "city",
                     v->city, "bookingEmail", v->booking_email, "venueType", v->venue_type,
                     "venueTypeLabel", t ? t->label : NULL, "timezone", v->timezone);
}

/* Reads the editable fields of a venue body; @creating adds offererId, name, siret. */
static bool read_venue_body(struct pp_req *req, json_t *body, bool creating, struct pp_venue *v,
                            struct pp_error *e)
{
    memset(v, 0, sizeof *v);
    if (creating)
        pp_json_get_id(body, "offererId", true, &v->offerer_id, e);
    pp_json_get_str(body, "name", false, 140, req->arena, &v->name, e);
    pp_json_get_str(body, "siret", false, 20, req->arena, &v->siret, e);
    pp_json_get_str(body, "publicName", false, 255, req->arena, &v->public_name, e);
    pp_json_get_str(body, "comment", false, 500, req->arena, &v->comment, e);
    pp_json_get_str(body, "street", false, 200, req->arena, &v->street, e);
    pp_json_get_str(body, "postalCode", false, 5, req->arena, &v->postal_code, e);
    pp_json_get_str(body, "city", false, 200, req->arena, &v->city, e);
    pp_json_get_str(body, "bookingEmail", false, 254, req->arena, &v->booking_email, e);
    pp_json_get_str(body, "venueType", false, 40, req->arena, &v->venue_type, e);
    pp_json_get_str(body, "timezone", false, 40, req->arena, &v->timezone, e);
    return e->count == 0;
}

void pp_api_venue_create(struct pp_req *req)
{
    json_t *body = pp_req_json(req);
    if (body == NULL)
        return;
    struct pp_error e;
    pp_error_init(&e);
    struct pp_venue v;
    if (!read_venue_body(req, body, true, &v, &e)) {
        pp_res_error(req, PP_EVALIDATION, &e);
        return;
    }
    struct pp_db *db = pp_req_db(req);
    enum pp_err rc = pp_authz_offerer(db, &req->user, v.offerer_id);
    if (rc != PP_OK) {
        pp_api_fail(req, rc, NULL);
        return;
    }
    int64_t id;
    rc = pp_venue_create(db, req->arena, &v, &id, &e);
    if (rc == PP_OK)
        rc = pp_venue_get(db, req->arena, id, &v);
    if (rc != PP_OK) {
        pp_api_fail(req, rc, &e);
        return;
    }
    pp_res_json(req, 201, venue_json(&v));
}

void pp_api_venue_list(struct pp_req *req)
{
    const char *q = pp_req_query(req, "offererId");
    char *end = NULL;
    long long offerer_id = q ? strtoll(q, &end, 10) : 0;
    if (q == NULL || *end != '\0' || offerer_id <= 0) {
        pp_res_error1(req, PP_EVALIDATION, "offererId",
                      "Le paramètre offererId (identifiant de structure) est obligatoire.");
        return;
    }
    struct pp_db *db = pp_req_db(req);
    enum pp_err rc = pp_authz_offerer(db, &req->user, offerer_id);
    struct pp_venue *items = NULL;
    size_t n = 0;
    if (rc == PP_OK)
        rc = pp_venue_list(db, req->arena, offerer_id, &items, &n);
    if (rc != PP_OK) {
        pp_api_fail(req, rc, NULL);
        return;
    }
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, venue_json(&items[i]));
    pp_res_json(req, 200, json_pack("{s:o}", "venues", list));
}

void pp_api_venue_get(struct pp_req *req)
{
    struct pp_db *db = pp_req_db(req);
    int64_t id = pp_req_param_id(req, 0);
    struct pp_venue v;
    enum pp_err rc = pp_authz_venue(db, &req->user, id, NULL);
    if (rc == PP_OK)
        rc = pp_venue_get(db, req->arena, id, &v);
    if (rc != PP_OK) {
        pp_api_fail(req, rc, NULL);
        return;
    }
    pp_res_json(req, 200, venue_json(&v));
}

void pp_api_venue_update(struct pp_req *req)
{
    struct pp_db *db = pp_req_db(req);
    int64_t id = pp_req_param_id(req, 0);
    enum pp_err rc = pp_authz_venue(db, &req->user, id, NULL);
    if (rc != PP_OK) {
        pp_api_fail(req, rc, NULL);
        return;
    }
    json_t *body = pp_req_json(req);
    if (body == NULL)
        return;
    struct pp_error e;
    pp_error_init(&e);
    struct pp_venue patch, v;
    if (!read_venue_body(req, body, false, &patch, &e)) {
        pp_res_error(req, PP_EVALIDATION, &e);
        return;
    }
    rc = pp_venue_update(db, req->arena, id, &patch, &e);
    if (rc == PP_OK)
        rc = pp_venue_get(db, req->arena, id, &v);
    if (rc != PP_OK) {
        pp_api_fail(req, rc, &e);
        return;
    }
    pp_res_json(req, 200, venue_json(&v));
}
