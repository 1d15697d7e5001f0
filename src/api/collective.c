/* Collective offers, the setup side (SPEC §8, RULES §10, docs/collective.md): referencing
 * requests and decisions, the eligible-formats policy, showcase and bookable offers with their
 * stock, and the catalog the ADAGE side searches. Access per structure (domain/authz.c). */
#include <string.h>

#include "api/api.h"
#include "core/categories.h"
#include "core/input.h"
#include "core/strlist.h"
#include "domain/adage_application.h"
#include "domain/authz.h"
#include "domain/collective_offer.h"
#include "domain/collective_policy.h"
#include "http/json.h"

/* A stored "A|B" list as a JSON array. */
static json_t *list_json(const char *joined)
{
    struct pp_arena *a = pp_arena_new();
    size_t n;
    const char **items = pp_strlist_split(a, joined, &n);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, json_string(items[i]));
    pp_arena_free(a);
    return arr;
}

/* ------------------------------------------------------------------ referencing */

struct application_in {
    const char *activity, *public, *contact_email, *contact_phone, *description;
    struct pp_api_strings formats;
};

static const struct pp_api_body application_body = PP_API_FIELDS(
    PP_FIELD_STR(struct application_in, activity, "activity", true, PP_ADAGE_TEXT_MAX),
    PP_FIELD_STR(struct application_in, public, "public", true, PP_ADAGE_TEXT_MAX),
    PP_FIELD_STR(struct application_in, contact_email, "contactEmail", true, 200),
    PP_FIELD_STR(struct application_in, contact_phone, "contactPhone", false, 30),
    PP_FIELD(struct application_in, formats, struct pp_api_strings, "formats", true,
             pp_api_read_strings),
    PP_FIELD_STR(struct application_in, description, "description", true,
                 PP_ADAGE_DESCRIPTION_MAX));

void pp_api_adage_application_create(struct pp_req *req)
{
    int64_t offerer_id = pp_api_my_offerer(req);
    struct application_in in = {0};
    struct pp_error e;
    if (offerer_id == 0 || !pp_api_read(req, &application_body, &in, &e))
        return;
    struct pp_adage_application_input a = {
        .activity = in.activity, .public = in.public, .contact_email = in.contact_email,
        .contact_phone = in.contact_phone, .formats = in.formats.items,
        .nformats = in.formats.n, .description = in.description};
    int64_t id = 0;
    enum pp_err rc =
        pp_adage_application_create(pp_req_db(req), req->user.id, offerer_id, &a, &id, &e);
    pp_api_reply_state(req, rc, &e, 201, id, "PENDING");
}

static json_t *application_json(const void *item)
{
    const struct pp_adage_application *a = item;
    json_t *j = json_pack(
        "{s:I, s:I, s:s, s:s, s:s, s:s?, s:s, s:s, s:s, s:s?, s:o, s:s, s:b}", "id",
        (json_int_t)a->id, "offererId", (json_int_t)a->offerer_id, "offererName",
        a->offerer_name, "siren", a->siren, "status", a->status, "reason", a->reason, "activity",
        a->activity, "public", a->public, "contactEmail", a->contact_email, "contactPhone",
        a->contact_phone, "formats", list_json(a->formats), "description", a->description,
        "allowedOnAdage", a->allowed_on_adage);
    json_object_set_new(j, "dateCreated", pp_json_iso_or_null(a->created_at));
    json_object_set_new(j, "dateDecided", pp_json_iso_or_null(a->decided_at));
    return j;
}

void pp_api_adage_application_get(struct pp_req *req)
{
    int64_t offerer_id = pp_api_my_offerer(req);
    if (offerer_id == 0)
        return;
    struct pp_adage_application a;
    enum pp_err rc = pp_adage_application_latest(pp_req_db(req), req->arena, offerer_id, &a);
    if (pp_api_ok(req, rc, NULL))
        pp_res_json(req, 200, application_json(&a));
}

void pp_api_admin_adage_applications(struct pp_req *req)
{
    struct pp_adage_application *items = NULL;
    size_t n = 0;
    enum pp_err rc = pp_adage_application_pending(pp_req_db(req), req->arena, &items, &n);
    pp_api_reply_list(req, rc, "applications", items, n, sizeof *items, application_json);
}

struct reason_in {
    const char *reason;
};

static const struct pp_api_body reason_body = PP_API_FIELDS(
    PP_FIELD_STR(struct reason_in, reason, "reason", true, PP_ADAGE_REASON_MAX));

static void adage_decide(struct pp_req *req, bool accept)
{
    struct reason_in in = {0};
    struct pp_error e;
    pp_error_init(&e);
    if (!accept && !pp_api_read(req, &reason_body, &in, &e))
        return;
    enum pp_err rc = pp_adage_application_decide(pp_req_db(req), req->user.id,
                                                 pp_req_param_id(req, 0), accept, in.reason, &e);
    pp_api_reply(req, rc, &e, 200, json_pack("{s:b}", "allowedOnAdage", accept));
}

void pp_api_admin_adage_accept(struct pp_req *req)
{
    adage_decide(req, true);
}

void pp_api_admin_adage_reject(struct pp_req *req)
{
    adage_decide(req, false);
}

/* ------------------------------------------------------------------ policy */

void pp_api_collective_policy_get(struct pp_req *req)
{
    struct pp_collective_policy p;
    enum pp_err rc = pp_collective_policy_get(pp_req_db(req), req->arena, &p);
    if (!pp_api_ok(req, rc, NULL))
        return;
    json_t *subs = json_array(), *formats = json_array();
    for (size_t i = 0; i < p.nsubcategories; i++) {
        const struct pp_subcategory *s = pp_subcategory_find(p.subcategories[i]);
        json_array_append_new(subs, json_pack("{s:s, s:s}", "id", s->id, "label", s->pro_label));
    }
    for (size_t i = 0; i < p.nformats; i++)
        json_array_append_new(formats, json_string(p.formats[i]));
    pp_res_json(req, 200,
                json_pack("{s:o, s:o, s:s}", "subcategories", subs, "formats", formats,
                          "explanation", pp_collective_policy_explain(req->arena, &p, NULL, NULL)));
}

struct policy_in {
    struct pp_api_strings subcategories, formats;
};

static const struct pp_api_body policy_body = PP_API_FIELDS(
    PP_FIELD(struct policy_in, subcategories, struct pp_api_strings, "subcategories", true,
             pp_api_read_strings),
    PP_FIELD(struct policy_in, formats, struct pp_api_strings, "formats", true,
             pp_api_read_strings));

void pp_api_admin_collective_policy_put(struct pp_req *req)
{
    struct policy_in in = {0};
    struct pp_error e;
    if (!pp_api_read(req, &policy_body, &in, &e))
        return;
    struct pp_collective_policy p = {in.subcategories.items, in.subcategories.n,
                                     in.formats.items, in.formats.n};
    enum pp_err rc = pp_collective_policy_set(pp_req_db(req), req->user.id, &p, &e);
    if (pp_api_ok(req, rc, &e))
        pp_api_collective_policy_get(req);
}

/* ------------------------------------------------------------------ offers */

static json_t *stock_json(const struct pp_collective_offer *o)
{
    if (o->stock_id == 0)
        return json_null();
    json_t *j = json_pack("{s:I, s:I, s:I}", "id", (json_int_t)o->stock_id, "numberOfTickets",
                          (json_int_t)o->number_of_tickets, "totalPriceCents",
                          (json_int_t)o->price_cents);
    json_object_set_new(j, "startDatetime", pp_json_iso_or_null(o->start_at));
    json_object_set_new(j, "endDatetime", pp_json_iso_or_null(o->end_at));
    json_object_set_new(j, "bookingLimitDatetime", pp_json_iso_or_null(o->booking_limit_at));
    return j;
}

/* An offer; its status is its live booking's when it has one (PENDING, CONFIRMED...). */
static json_t *offer_json(const void *item)
{
    const struct pp_collective_offer *o = item;
    json_t *j = json_pack(
        "{s:I, s:I, s:b, s:s, s:s, s:s, s:s, s:o, s:o, s:s, s:s?, s:o, s:o, s:s, s:s?,"
        " s:{s:I, s:s, s:s, s:s}, s:o}",
        "id", (json_int_t)o->id, "offererId", (json_int_t)o->offerer_id, "isTemplate",
        o->is_template, "name", o->name, "description", o->description, "subcategoryId",
        o->subcategory_id, "format", o->format, "students", list_json(o->students), "domains",
        list_json(o->domains), "contactEmail", o->contact_email, "contactPhone",
        o->contact_phone, "interventionArea", list_json(o->intervention_area), "bookingEmails",
        list_json(o->booking_emails), "status", o->booking_status ? o->booking_status : o->status,
        "bookingStatus", o->booking_status, "venue", "id", (json_int_t)o->venue_id, "name",
        o->venue_name, "city", o->venue_city, "postalCode", o->venue_postal_code, "stock",
        stock_json(o));
    json_object_set_new(j, "institution",
                        o->institution_id ? json_pack("{s:I, s:s}", "id",
                                                      (json_int_t)o->institution_id, "uai",
                                                      o->institution_uai)
                                          : json_null());
    json_object_set_new(j, "dateCreated", pp_json_iso_or_null(o->created_at));
    return j;
}

/* institutionId: absent → -1 (kept), null → 0 (any school), else a positive id. */
static bool read_institution(struct pp_req *req, json_t *body, const struct pp_api_field *f,
                             void *dst, struct pp_error *e)
{
    json_t *v = json_object_get(body, f->key);
    *(int64_t *)dst = v == NULL ? -1 : 0;
    if (v == NULL || json_is_null(v))
        return true;
    return pp_api_read_id(req, body, f, dst, e);
}

struct offer_in {
    int64_t venue_id, institution_id;
    const char *name, *description, *subcategory_id, *format, *contact_email, *contact_phone;
    struct pp_api_strings students, domains, area, emails;
};

#define STRS(T, m, key) PP_FIELD(T, m, struct pp_api_strings, key, false, pp_api_read_strings)
static const struct pp_api_field offer_fields[] = {
    PP_FIELD_ID(struct offer_in, venue_id, "venueId", true),
    PP_FIELD_STR(struct offer_in, name, "name", false, PP_COLLECTIVE_NAME_MAX),
    PP_FIELD_STR(struct offer_in, description, "description", false,
                 PP_COLLECTIVE_DESCRIPTION_MAX),
    PP_FIELD_STR(struct offer_in, subcategory_id, "subcategoryId", false, 64),
    PP_FIELD_STR(struct offer_in, format, "format", false, 64),
    STRS(struct offer_in, students, "students"),
    STRS(struct offer_in, domains, "domains"),
    PP_FIELD_STR(struct offer_in, contact_email, "contactEmail", false, 200),
    PP_FIELD_STR(struct offer_in, contact_phone, "contactPhone", false, 30),
    STRS(struct offer_in, area, "interventionArea"),
    STRS(struct offer_in, emails, "bookingEmails"),
    PP_FIELD(struct offer_in, institution_id, int64_t, "institutionId", false, read_institution),
};
static const struct pp_api_body offer_create_body = PP_API_BODY(offer_fields, NULL);
/* A change: the same fields but the venue. */
static const struct pp_api_body offer_update_body = {
    offer_fields + 1, sizeof offer_fields / sizeof offer_fields[0] - 1, NULL};

static struct pp_strs strs(struct pp_api_strings s)
{
    return (struct pp_strs){s.items, s.n, s.given};
}

static void to_input(const struct offer_in *in, bool is_template,
                     struct pp_collective_offer_input *out)
{
    *out = (struct pp_collective_offer_input){
        .venue_id = in->venue_id, .is_template = is_template, .name = in->name,
        .description = in->description, .subcategory_id = in->subcategory_id,
        .format = in->format, .students = strs(in->students), .domains = strs(in->domains),
        .contact_email = in->contact_email, .contact_phone = in->contact_phone,
        .intervention_area = strs(in->area), .booking_emails = strs(in->emails),
        .institution_id = in->institution_id};
}

static void answer_offer(struct pp_req *req, int64_t id, int status)
{
    struct pp_collective_offer o;
    enum pp_err rc = pp_collective_offer_get(pp_req_db(req), req->arena, id, &o);
    if (pp_api_ok(req, rc, NULL))
        pp_res_json(req, status, offer_json(&o));
}

static void offer_create(struct pp_req *req, bool is_template)
{
    struct offer_in in = {0};
    struct pp_error e;
    if (!pp_api_read(req, &offer_create_body, &in, &e))
        return;
    struct pp_db *db = pp_req_db(req);
    int64_t offerer_id = 0;
    if (pp_api_authorized(req, in.venue_id,
                          pp_authz_venue(db, &req->user, in.venue_id, &offerer_id)) == 0)
        return;
    struct pp_collective_offer_input input;
    to_input(&in, is_template, &input);
    int64_t id = 0;
    enum pp_err rc = pp_collective_offer_create(db, req->arena, req->user.id, offerer_id, &input,
                                                &id, &e);
    if (pp_api_ok(req, rc, &e))
        answer_offer(req, id, 201);
}

void pp_api_collective_template_create(struct pp_req *req)
{
    offer_create(req, true);
}

void pp_api_collective_offer_create(struct pp_req *req)
{
    offer_create(req, false);
}

void pp_api_collective_offer_list(struct pp_req *req)
{
    int64_t offerer_id;
    if (!pp_api_query_id(req, "offererId", true, &offerer_id))
        return;
    struct pp_db *db = pp_req_db(req);
    if (pp_api_authorized(req, offerer_id, pp_authz_offerer(db, &req->user, offerer_id)) == 0)
        return;
    struct pp_collective_offer *items = NULL;
    size_t n = 0;
    enum pp_err rc = pp_collective_offer_list(db, req->arena, offerer_id, &items, &n);
    pp_api_reply_list(req, rc, "offers", items, n, sizeof *items, offer_json);
}

void pp_api_collective_offer_get(struct pp_req *req)
{
    int64_t id = pp_api_my_object(req, pp_collective_offer_offerer);
    if (id != 0)
        answer_offer(req, id, 200);
}

void pp_api_collective_offer_update(struct pp_req *req)
{
    int64_t id = pp_api_my_object(req, pp_collective_offer_offerer);
    struct offer_in in = {0};
    struct pp_error e;
    if (id == 0 || !pp_api_read(req, &offer_update_body, &in, &e))
        return;
    struct pp_collective_offer_input input;
    to_input(&in, false, &input);
    enum pp_err rc =
        pp_collective_offer_update(pp_req_db(req), req->arena, req->user.id, id, &input, &e);
    if (pp_api_ok(req, rc, &e))
        answer_offer(req, id, 200);
}

static const struct pp_api_body stock_body = PP_API_FIELDS(
    PP_FIELD(struct pp_collective_stock_input, start_at, int64_t, "startDatetime", false,
             pp_api_read_datetime),
    PP_FIELD(struct pp_collective_stock_input, end_at, int64_t, "endDatetime", false,
             pp_api_read_datetime),
    PP_FIELD(struct pp_collective_stock_input, booking_limit_at, int64_t, "bookingLimitDatetime",
             false, pp_api_read_datetime),
    PP_FIELD(struct pp_collective_stock_input, number_of_tickets, int64_t, "numberOfTickets",
             false, pp_api_read_count),
    PP_FIELD(struct pp_collective_stock_input, price_cents, int64_t, "totalPriceCents", false,
             pp_api_read_count));

static void stock_save(struct pp_req *req, bool create)
{
    int64_t id = pp_api_my_object(req, pp_collective_offer_offerer);
    struct pp_collective_stock_input in = {0};
    struct pp_error e;
    if (id == 0 || !pp_api_read(req, &stock_body, &in, &e))
        return;
    int64_t stock_id = 0;
    enum pp_err rc =
        pp_collective_stock_save(pp_req_db(req), req->user.id, id, create, &in, &stock_id, &e);
    struct pp_collective_offer o;
    if (rc == PP_OK)
        rc = pp_collective_offer_get(pp_req_db(req), req->arena, id, &o);
    if (pp_api_ok(req, rc, &e))
        pp_res_json(req, create ? 201 : 200, stock_json(&o));
}

void pp_api_collective_stock_create(struct pp_req *req)
{
    stock_save(req, true);
}

void pp_api_collective_stock_update(struct pp_req *req)
{
    stock_save(req, false);
}

/* ------------------------------------------------------------------ ADAGE catalog */

#define CATALOG_PAGE_MAX 100

void pp_api_adage_offers(struct pp_req *req)
{
    struct pp_collective_catalog_query q = {
        .q = pp_req_query(req, "q"), .department = pp_req_query(req, "department"),
        .format = pp_req_query(req, "format"), .limit = 20};
    int64_t page, per_page;
    if (!pp_api_query_page(req, 20, CATALOG_PAGE_MAX, &page, &per_page))
        return;
    q.limit = per_page;
    q.offset = (page - 1) * per_page;
    struct pp_collective_offer *items = NULL;
    size_t n = 0;
    int64_t total = 0;
    enum pp_err rc =
        pp_collective_offer_catalog(pp_req_db(req), req->arena, &q, &items, &n, &total);
    if (!pp_api_ok(req, rc, NULL))
        return;
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, offer_json(&items[i]));
    pp_res_json(req, 200, json_pack("{s:o, s:I, s:I, s:I}", "offers", list, "page",
                                    (json_int_t)page, "perPage", (json_int_t)per_page, "total",
                                    (json_int_t)total));
}
