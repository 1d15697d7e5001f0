#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/venue_type.h"
#include "domain/authz.h"
#include "domain/venue.h"

static json_t *venue_json(const void *item)
{
    const struct pp_venue *v = item;
    const struct pp_venue_type *t = pp_venue_type_find(v->venue_type);
    return json_pack("{s:I, s:I, s:s, s:s?, s:s?, s:s?, s:s, s:s, s:s, s:s?, s:s, s:s?, s:s}",
                     "id", (json_int_t)v->id, "offererId", (json_int_t)v->offerer_id, "name",
                     v->name, "publicName", v->public_name, "siret", v->siret, "comment",
                     v->comment, "street", v->street, "postalCode", v->postal_code, "city",
                     v->city, "bookingEmail", v->booking_email, "venueType", v->venue_type,
                     "venueTypeLabel", t ? t->label : NULL, "timezone", v->timezone);
}

/* The editable fields of a venue; a creation names its structure first. */
#define VENUE_FIELDS                                                                              \
    PP_FIELD_STR(struct pp_venue, name, "name", false, 140),                                      \
        PP_FIELD_STR(struct pp_venue, siret, "siret", false, 20),                                 \
        PP_FIELD_STR(struct pp_venue, public_name, "publicName", false, 255),                     \
        PP_FIELD_STR(struct pp_venue, comment, "comment", false, 500),                            \
        PP_API_ADDRESS_FIELDS(struct pp_venue),                                                   \
        PP_FIELD_STR(struct pp_venue, booking_email, "bookingEmail", false, 254),                 \
        PP_FIELD_STR(struct pp_venue, venue_type, "venueType", false, 40),                        \
        PP_FIELD_STR(struct pp_venue, timezone, "timezone", false, 40)

static const struct pp_api_field venue_create_fields[] = {
    PP_FIELD_ID(struct pp_venue, offerer_id, "offererId", true),
    VENUE_FIELDS,
};
static const struct pp_api_field venue_update_fields[] = {VENUE_FIELDS};
static const struct pp_api_body venue_create_body = PP_API_BODY(venue_create_fields, NULL);
static const struct pp_api_body venue_update_body = PP_API_BODY(venue_update_fields, NULL);

/* Answers @status with venue @id, read back after a write. */
static void answer_venue(struct pp_req *req, int status, int64_t id)
{
    struct pp_venue v;
    if (pp_api_ok(req, pp_venue_get(pp_req_db(req), req->arena, id, &v), NULL))
        pp_res_json(req, status, venue_json(&v));
}

void pp_api_venue_create(struct pp_req *req)
{
    struct pp_error e;
    struct pp_venue v = {0};
    if (!pp_api_read(req, &venue_create_body, &v, &e))
        return;
    struct pp_db *db = pp_req_db(req);
    if (!pp_api_ok(req, pp_authz_offerer(db, &req->user, v.offerer_id), NULL))
        return;
    int64_t id;
    if (pp_api_ok(req, pp_venue_create(db, req->arena, &v, &id, &e), &e))
        answer_venue(req, 201, id);
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
    pp_api_reply_list(req, rc, "venues", items, n, sizeof *items, venue_json);
}

/* The venue of the path, checked to be the caller's; 0 after answering 404 otherwise. */
static int64_t my_venue(struct pp_req *req)
{
    int64_t id = pp_req_param_id(req, 0);
    return pp_api_authorized(req, id, pp_authz_venue(pp_req_db(req), &req->user, id, NULL));
}

void pp_api_venue_get(struct pp_req *req)
{
    int64_t id = my_venue(req);
    if (id != 0)
        answer_venue(req, 200, id);
}

void pp_api_venue_update(struct pp_req *req)
{
    int64_t id = my_venue(req);
    if (id == 0)
        return;
    struct pp_error e;
    struct pp_venue patch = {0};
    if (!pp_api_read(req, &venue_update_body, &patch, &e))
        return;
    if (pp_api_ok(req, pp_venue_update(pp_req_db(req), req->arena, id, &patch, &e), &e))
        answer_venue(req, 200, id);
}
