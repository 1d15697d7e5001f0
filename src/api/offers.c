/* SPEC §4: categories, offers, price categories, stocks, recurrence, activation codes. */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/categories.h"
#include "core/clock.h"
#include "core/tz.h"
#include "db/db.h"
#include "domain/authz.h"
#include "domain/offer.h"
#include "domain/price_category.h"
#include "domain/stock.h"
#include "http/json.h"

#define CODES_MAX 10000

void pp_api_categories(struct pp_req *req)
{
    size_t nc, ns;
    const struct pp_category *cats = pp_categories(&nc);
    const struct pp_subcategory *subs = pp_subcategories(&ns);
    json_t *jc = json_array(), *js = json_array();
    for (size_t i = 0; i < nc; i++)
        json_array_append_new(jc, json_pack("{s:s, s:s, s:b}", "id", cats[i].id, "proLabel",
                                            cats[i].pro_label, "isSelectable",
                                            cats[i].selectable));
    for (size_t i = 0; i < ns; i++) {
        const struct pp_subcategory *s = &subs[i];
        json_array_append_new(
            js, json_pack("{s:s, s:s, s:s, s:b, s:s, s:b, s:b, s:b, s:s, s:b, s:b}", "id", s->id,
                          "categoryId", s->category_id, "proLabel", s->pro_label, "isEvent",
                          s->is_event, "onlineOfflinePlatform", pp_platform_name(s->platform),
                          "canBeDuo", s->can_be_duo, "canExpire", s->can_expire,
                          "canBeEducational", s->can_be_educational, "reimbursementRule",
                          pp_reimbursement_name(s->reimbursement), "isSelectable", s->selectable,
                          "canBeWithdrawable", s->can_be_withdrawable));
    }
    pp_res_header(req, "Cache-Control", "public, max-age=3600");
    pp_res_json(req, 200, json_pack("{s:o, s:o}", "categories", jc, "subcategories", js));
}

static json_t *offer_json(const struct pp_offer *o)
{
    return json_pack("{s:I, s:I, s:s, s:s?, s:s, s:s?, s:b, s:s?, s:s?, s:b, s:b, s:b, s:b,"
                     " s:s, s:s, s:b, s:I, s:s}",
                     "id", (json_int_t)o->id, "venueId", (json_int_t)o->venue_id, "name", o->name,
                     "description", o->description, "subcategoryId", o->subcategory_id, "url",
                     o->url, "isDuo", o->is_duo, "bookingEmail", o->booking_email,
                     "withdrawalDetails", o->withdrawal_details, "audioDisabilityCompliant",
                     o->audio_disability, "mentalDisabilityCompliant", o->mental_disability,
                     "motorDisabilityCompliant", o->motor_disability, "visualDisabilityCompliant",
                     o->visual_disability, "status", o->validation, "displayStatus",
                     o->display_status, "isActive", o->is_active, "stockCount",
                     (json_int_t)o->stock_count, "venueName", o->venue_name);
}

static json_t *stock_json(const struct pp_stock *s)
{
    json_t *j = json_pack("{s:I, s:I, s:I, s:I}", "id", (json_int_t)s->id, "offerId",
                          (json_int_t)s->offer_id, "priceCents", (json_int_t)s->price_cents,
                          "bookedQuantity", (json_int_t)s->booked);
    json_object_set_new(j, "priceCategoryId",
                        s->price_category_id ? json_integer(s->price_category_id) : json_null());
    json_object_set_new(j, "priceCategoryLabel",
                        s->price_category_label ? json_string(s->price_category_label)
                                                : json_null());
    json_object_set_new(j, "quantity",
                        s->quantity == PP_UNLIMITED ? json_null() : json_integer(s->quantity));
    json_object_set_new(j, "remainingQuantity",
                        s->quantity == PP_UNLIMITED ? json_null()
                                                    : json_integer(s->quantity - s->booked));
    json_object_set_new(j, "beginningDatetime", pp_json_iso_or_null(s->beginning_at));
    json_object_set_new(j, "bookingLimitDatetime", pp_json_iso_or_null(s->booking_limit_at));
    json_object_set_new(j, "activationCodesCount", json_integer(s->activation_codes));
    return j;
}

/* Reads an optional boolean into a tri-state flag (-1 when absent). */
static void get_flag(json_t *body, const char *key, int *out, struct pp_error *e)
{
    pp_json_get_bool(body, key, false, out, e);
}

static void read_offer_body(struct pp_req *req, json_t *body, struct pp_offer_input *in,
                            struct pp_error *e)
{
    pp_offer_input_init(in);
    pp_json_get_str(body, "name", false, 400, req->arena, &in->name, e);
    pp_json_get_str(body, "description", false, 10000, req->arena, &in->description, e);
    pp_json_get_str(body, "subcategoryId", false, 64, req->arena, &in->subcategory_id, e);
    pp_json_get_str(body, "url", false, 255, req->arena, &in->url, e);
    pp_json_get_str(body, "bookingEmail", false, 254, req->arena, &in->booking_email, e);
    pp_json_get_str(body, "withdrawalDetails", false, 500, req->arena, &in->withdrawal_details,
                    e);
    /* An optional text sent as null or "" is cleared (an edit may drop a URL). */
    static const char *const clearable[] = {"url", "description", "bookingEmail",
                                            "withdrawalDetails"};
    const char **targets[] = {&in->url, &in->description, &in->booking_email,
                              &in->withdrawal_details};
    for (size_t i = 0; i < 4; i++) {
        json_t *v = json_object_get(body, clearable[i]);
        if (v != NULL && *targets[i] == NULL &&
            (json_is_null(v) || (json_is_string(v) && json_string_length(v) == 0)))
            *targets[i] = "";
    }
    get_flag(body, "isDuo", &in->is_duo, e);
    get_flag(body, "audioDisabilityCompliant", &in->audio_disability, e);
    get_flag(body, "mentalDisabilityCompliant", &in->mental_disability, e);
    get_flag(body, "motorDisabilityCompliant", &in->motor_disability, e);
    get_flag(body, "visualDisabilityCompliant", &in->visual_disability, e);
    get_flag(body, "isActive", &in->is_active, e);
}

static void answer_offer(struct pp_req *req, int status, int64_t id)
{
    struct pp_offer o;
    enum pp_err rc = pp_offer_get(pp_req_db(req), req->arena, id, &o);
    if (rc != PP_OK) {
        pp_api_fail(req, rc, NULL);
        return;
    }
    pp_res_json(req, status, offer_json(&o));
}

void pp_api_offer_create(struct pp_req *req)
{
    json_t *body = pp_req_json(req);
    if (body == NULL)
        return;
    struct pp_error e;
    pp_error_init(&e);
    struct pp_offer_input in;
    read_offer_body(req, body, &in, &e);
    pp_json_get_id(body, "venueId", true, &in.venue_id, &e);
    if (e.count > 0) {
        pp_res_error(req, PP_EVALIDATION, &e);
        return;
    }
    struct pp_db *db = pp_req_db(req);
    enum pp_err rc = pp_authz_venue(db, &req->user, in.venue_id, NULL);
    int64_t id = 0;
    if (rc == PP_OK)
        rc = pp_offer_create(db, req->arena, &in, &id, &e);
    if (rc != PP_OK) {
        pp_api_fail(req, rc, &e);
        return;
    }
    answer_offer(req, 201, id);
}

static bool status_is_known(const char *s)
{
    static const char *const known[] = {"DRAFT",  "PENDING",  "APPROVED", "REJECTED",
                                        "ACTIVE", "INACTIVE", "SOLD_OUT", "EXPIRED"};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strcmp(s, known[i]) == 0)
            return true;
    return false;
}

void pp_api_offer_list(struct pp_req *req)
{
    const char *venue = pp_req_query(req, "venueId");
    const char *status = pp_req_query(req, "status");
    int64_t venue_id = 0;
    if (venue != NULL && *venue != '\0') {
        char *end;
        long long v = strtoll(venue, &end, 10);
        if (*end != '\0' || v <= 0) {
            pp_res_error1(req, PP_EVALIDATION, "venueId", "Identifiant de lieu invalide.");
            return;
        }
        venue_id = v;
    }
    if (status != NULL && *status == '\0')
        status = NULL;
    if (status != NULL && !status_is_known(status)) {
        pp_res_error1(req, PP_EVALIDATION, "status",
                      "Statut inconnu : DRAFT, PENDING, APPROVED, REJECTED, ACTIVE, INACTIVE, "
                      "SOLD_OUT ou EXPIRED.");
        return;
    }
    struct pp_db *db = pp_req_db(req);
    enum pp_err rc = venue_id ? pp_authz_venue(db, &req->user, venue_id, NULL) : PP_OK;
    struct pp_offer *items = NULL;
    size_t n = 0;
    if (rc == PP_OK)
        rc = pp_offer_list(db, req->arena, req->user.id, venue_id, status, &items, &n);
    if (rc != PP_OK) {
        pp_api_fail(req, rc, NULL);
        return;
    }
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, offer_json(&items[i]));
    pp_res_json(req, 200, json_pack("{s:o}", "offers", list));
}

/* The offer of the path, checked to be the caller's; 0 after answering 404 otherwise. */
static int64_t my_offer(struct pp_req *req)
{
    int64_t id = pp_req_param_id(req, 0);
    enum pp_err rc = pp_authz_offer(pp_req_db(req), &req->user, id);
    if (rc != PP_OK) {
        pp_api_fail(req, rc, NULL);
        return 0;
    }
    return id;
}

void pp_api_offer_get(struct pp_req *req)
{
    int64_t id = my_offer(req);
    if (id == 0)
        return;
    struct pp_db *db = pp_req_db(req);
    struct pp_offer o;
    struct pp_price_category *pcs;
    struct pp_stock *stocks;
    size_t npc, ns;
    enum pp_err rc = pp_offer_get(db, req->arena, id, &o);
    if (rc == PP_OK)
        rc = pp_price_category_list(db, req->arena, id, &pcs, &npc);
    if (rc == PP_OK)
        rc = pp_stock_list(db, req->arena, id, &stocks, &ns);
    if (rc != PP_OK) {
        pp_api_fail(req, rc, NULL);
        return;
    }
    json_t *j = offer_json(&o);
    json_t *jpc = json_array(), *js = json_array();
    for (size_t i = 0; i < npc; i++)
        json_array_append_new(jpc, json_pack("{s:I, s:s, s:I}", "id", (json_int_t)pcs[i].id,
                                             "label", pcs[i].label, "priceCents",
                                             (json_int_t)pcs[i].price_cents));
    for (size_t i = 0; i < ns; i++)
        json_array_append_new(js, stock_json(&stocks[i]));
    json_object_set_new(j, "priceCategories", jpc);
    json_object_set_new(j, "stocks", js);
    pp_res_json(req, 200, j);
}

void pp_api_offer_update(struct pp_req *req)
{
    int64_t id = my_offer(req);
    if (id == 0)
        return;
    json_t *body = pp_req_json(req);
    if (body == NULL)
        return;
    struct pp_error e;
    pp_error_init(&e);
    struct pp_offer_input in;
    read_offer_body(req, body, &in, &e);
    pp_json_get_id(body, "venueId", false, &in.venue_id, &e);
    if (e.count > 0) {
        pp_res_error(req, PP_EVALIDATION, &e);
        return;
    }
    enum pp_err rc = pp_offer_update(pp_req_db(req), req->arena, id, &in, &e);
    if (rc != PP_OK) {
        pp_api_fail(req, rc, &e);
        return;
    }
    answer_offer(req, 200, id);
}

void pp_api_offer_publish(struct pp_req *req)
{
    int64_t id = my_offer(req);
    if (id == 0)
        return;
    struct pp_error e;
    pp_error_init(&e);
    const char *status;
    enum pp_err rc = pp_offer_publish(pp_req_db(req), req->user.id, id, &status, &e);
    if (rc != PP_OK) {
        pp_api_fail(req, rc, &e);
        return;
    }
    pp_res_json(req, 200, json_pack("{s:I, s:s}", "id", (json_int_t)id, "status", status));
}

/* priceCents: required integer. */
static bool get_cents(json_t *body, const char *key, bool required, int64_t *out,
                      struct pp_error *e)
{
    json_t *v = json_object_get(body, key);
    if (v == NULL || json_is_null(v)) {
        if (required)
            pp_error_set(e, PP_EVALIDATION, key, "Veuillez indiquer un prix (en centimes).");
        return !required;
    }
    if (!json_is_integer(v)) {
        pp_error_set(e, PP_EVALIDATION, key, "Le prix doit être un nombre entier de centimes.");
        return false;
    }
    *out = json_integer_value(v);
    return true;
}

void pp_api_price_category_create(struct pp_req *req)
{
    int64_t id = my_offer(req);
    if (id == 0)
        return;
    json_t *body = pp_req_json(req);
    if (body == NULL)
        return;
    struct pp_error e;
    pp_error_init(&e);
    const char *label = NULL;
    int64_t price = 0;
    pp_json_get_str(body, "label", false, 200, req->arena, &label, &e);
    get_cents(body, "priceCents", true, &price, &e);
    if (e.count > 0) {
        pp_res_error(req, PP_EVALIDATION, &e);
        return;
    }
    struct pp_db *db = pp_req_db(req);
    int64_t pc_id;
    enum pp_err rc = pp_offer_check_editable(db, id, &e);
    if (rc == PP_OK)
        rc = pp_price_category_create(db, id, label, price, &pc_id, &e);
    if (rc != PP_OK) {
        pp_api_fail(req, rc, &e);
        return;
    }
    pp_res_json(req, 201, json_pack("{s:I, s:s, s:I}", "id", (json_int_t)pc_id, "label",
                                    label ? label : PP_DEFAULT_PRICE_LABEL, "priceCents",
                                    (json_int_t)price));
}

/* A datetime field: 0 when absent, -1 (and an error) when malformed. */
static int64_t get_datetime(json_t *body, const char *key, struct pp_error *e)
{
    json_t *v = json_object_get(body, key);
    if (v == NULL || json_is_null(v))
        return 0;
    int64_t t;
    if (!json_is_string(v) || !pp_clock_parse_iso(json_string_value(v), &t) || t <= 0) {
        pp_error_set(e, PP_EVALIDATION, key,
                     "Date invalide : format attendu 2026-03-14T09:30:00Z (UTC).");
        return -1;
    }
    return t;
}

/* quantity: absent → -2 (not given), null → unlimited, else an integer. */
static int64_t get_quantity(json_t *body, struct pp_error *e)
{
    json_t *v = json_object_get(body, "quantity");
    if (v == NULL)
        return -2;
    if (json_is_null(v))
        return PP_UNLIMITED;
    if (!json_is_integer(v) || json_integer_value(v) < 0 ||
        json_integer_value(v) > PP_QUANTITY_MAX) {
        pp_error_set(e, PP_EVALIDATION, "quantity",
                     "La quantité doit être un nombre entre 0 et 1 000 000, ou null (illimitée).");
        return -2;
    }
    return json_integer_value(v);
}

static void read_stock_body(json_t *body, struct pp_stock_input *in, struct pp_error *e)
{
    pp_stock_input_init(in);
    pp_json_get_id(body, "priceCategoryId", false, &in->price_category_id, e);
    get_cents(body, "priceCents", false, &in->price_cents, e);
    in->quantity = get_quantity(body, e);
    in->beginning_at = get_datetime(body, "beginningDatetime", e);
    in->booking_limit_at = get_datetime(body, "bookingLimitDatetime", e);
}

static void answer_stock(struct pp_req *req, int status, int64_t id)
{
    struct pp_stock s;
    enum pp_err rc = pp_stock_get(pp_req_db(req), req->arena, id, &s);
    if (rc != PP_OK) {
        pp_api_fail(req, rc, NULL);
        return;
    }
    pp_res_json(req, status, stock_json(&s));
}

void pp_api_stock_create(struct pp_req *req)
{
    int64_t offer_id = my_offer(req);
    if (offer_id == 0)
        return;
    json_t *body = pp_req_json(req);
    if (body == NULL)
        return;
    struct pp_error e;
    pp_error_init(&e);
    struct pp_stock_input in;
    read_stock_body(body, &in, &e);
    if (e.count > 0) {
        pp_res_error(req, PP_EVALIDATION, &e);
        return;
    }
    int64_t id;
    enum pp_err rc = pp_stock_create(pp_req_db(req), offer_id, &in, &id, &e);
    if (rc != PP_OK) {
        pp_api_fail(req, rc, &e);
        return;
    }
    answer_stock(req, 201, id);
}

/* "HH:MM" → minutes after midnight, or -1. */
static int parse_time(const char *s)
{
    if (s == NULL || strlen(s) != 5 || s[2] != ':')
        return -1;
    for (int i = 0; i < 5; i++)
        if (i != 2 && (s[i] < '0' || s[i] > '9'))
            return -1;
    int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
    return h < 24 && m < 60 ? h * 60 + m : -1;
}

void pp_api_stock_recurrence(struct pp_req *req)
{
    int64_t offer_id = my_offer(req);
    if (offer_id == 0)
        return;
    json_t *body = pp_req_json(req);
    if (body == NULL)
        return;
    struct pp_error e;
    pp_error_init(&e);
    struct pp_recurrence r = {.booking_limit_hours = -1};

    json_t *pcs = json_object_get(body, "priceCategoryIds");
    size_t npc = json_is_array(pcs) ? json_array_size(pcs) : 0;
    int64_t *pc_ids = pp_arena_calloc(req->arena, (npc ? npc : 1) * sizeof *pc_ids);
    if (!json_is_array(pcs) || npc == 0 || npc > 50)
        pp_error_set(&e, PP_EVALIDATION, "priceCategoryIds",
                     "Choisissez de 1 à 50 tarifs (liste d'identifiants).");
    for (size_t i = 0; i < npc && npc <= 50; i++) {
        json_t *v = json_array_get(pcs, i);
        if (!json_is_integer(v) || json_integer_value(v) <= 0) {
            pp_error_set(&e, PP_EVALIDATION, "priceCategoryIds", "Identifiant de tarif invalide.");
            break;
        }
        pc_ids[i] = json_integer_value(v);
    }
    r.price_category_ids = pc_ids;
    r.n_price_categories = npc;

    const char *start = json_string_value(json_object_get(body, "startDate"));
    const char *end = json_string_value(json_object_get(body, "endDate"));
    if (!pp_clock_parse_date(start, &r.start_year, &r.start_month, &r.start_day) ||
        start[10] != '\0')
        pp_error_set(&e, PP_EVALIDATION, "startDate", "Date de début invalide (AAAA-MM-JJ).");
    if (!pp_clock_parse_date(end, &r.end_year, &r.end_month, &r.end_day) || end[10] != '\0')
        pp_error_set(&e, PP_EVALIDATION, "endDate", "Date de fin invalide (AAAA-MM-JJ).");

    json_t *days = json_object_get(body, "weekdays");
    if (!json_is_array(days) || json_array_size(days) == 0 || json_array_size(days) > 7)
        pp_error_set(&e, PP_EVALIDATION, "weekdays",
                     "Choisissez au moins un jour de la semaine (1 = lundi … 7 = dimanche).");
    for (size_t i = 0; json_is_array(days) && i < json_array_size(days) && i < 7; i++) {
        json_t *v = json_array_get(days, i);
        if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 7) {
            pp_error_set(&e, PP_EVALIDATION, "weekdays",
                         "Les jours vont de 1 (lundi) à 7 (dimanche).");
            break;
        }
        r.weekdays[json_integer_value(v)] = true;
    }

    json_t *times = json_object_get(body, "times");
    size_t nt = json_is_array(times) ? json_array_size(times) : 0;
    int *mins = pp_arena_calloc(req->arena, (nt ? nt : 1) * sizeof *mins);
    if (!json_is_array(times) || nt == 0 || nt > 96)
        pp_error_set(&e, PP_EVALIDATION, "times", "Indiquez de 1 à 96 horaires (\"10:30\").");
    for (size_t i = 0; i < nt && nt <= 96; i++) {
        mins[i] = parse_time(json_string_value(json_array_get(times, i)));
        if (mins[i] < 0) {
            pp_error_set(&e, PP_EVALIDATION, "times", "Horaire invalide : format attendu 10:30.");
            break;
        }
    }
    r.times = mins;
    r.n_times = nt;

    int64_t q = get_quantity(body, &e);
    r.quantity = q == -2 ? PP_UNLIMITED : q;
    json_t *hours = json_object_get(body, "bookingLimitHoursBefore");
    if (hours != NULL && !json_is_null(hours)) {
        if (!json_is_integer(hours))
            pp_error_set(&e, PP_EVALIDATION, "bookingLimitHoursBefore",
                         "Le délai doit être un nombre entier d'heures.");
        else
            r.booking_limit_hours = json_integer_value(hours);
    }
    if (e.count > 0) {
        pp_res_error(req, PP_EVALIDATION, &e);
        return;
    }
    int64_t created;
    enum pp_err rc = pp_stock_recurrence(pp_req_db(req), offer_id, &r, &created, &e);
    if (rc != PP_OK) {
        pp_api_fail(req, rc, &e);
        return;
    }
    pp_res_json(req, 201, json_pack("{s:I}", "created", (json_int_t)created));
}

void pp_api_activation_codes(struct pp_req *req)
{
    int64_t offer_id = my_offer(req);
    if (offer_id == 0)
        return;
    json_t *body = pp_req_json(req);
    if (body == NULL)
        return;
    json_t *codes = json_object_get(body, "codes");
    size_t n = json_is_array(codes) ? json_array_size(codes) : 0;
    if (!json_is_array(codes) || n == 0 || n > CODES_MAX) {
        pp_res_error1(req, PP_EVALIDATION, "codes",
                      "Envoyez une liste de 1 à 10 000 codes d'activation.");
        return;
    }
    const char **list = pp_arena_alloc(req->arena, n * sizeof *list);
    for (size_t i = 0; i < n; i++) {
        list[i] = json_string_value(json_array_get(codes, i));
        if (list[i] == NULL) {
            pp_res_error1(req, PP_EVALIDATION, "codes", "Chaque code doit être un texte.");
            return;
        }
    }
    int64_t expiration = 0;
    const char *date = json_string_value(json_object_get(body, "expirationDate"));
    if (date != NULL) {
        int y, m, d;
        if (!pp_clock_parse_date(date, &y, &m, &d) || date[10] != '\0') {
            pp_res_error1(req, PP_EVALIDATION, "expirationDate",
                          "Date d'expiration invalide (AAAA-MM-JJ).");
            return;
        }
        /* Valid through that whole day: until the next midnight, Paris time. */
        struct pp_local next;
        pp_tz_to_local("UTC", (pp_clock_days_from_civil(y, m, d) + 1) * 86400, &next);
        pp_tz_from_local("Europe/Paris", next.year, next.month, next.day, 0, 0, &expiration);
    }
    struct pp_error e;
    pp_error_init(&e);
    int64_t added;
    enum pp_err rc =
        pp_stock_add_activation_codes(pp_req_db(req), offer_id, list, n, expiration, &added, &e);
    if (rc != PP_OK) {
        pp_api_fail(req, rc, &e);
        return;
    }
    pp_res_json(req, 201, json_pack("{s:I}", "added", (json_int_t)added));
}

/* The stock of the path, checked to be the caller's; 0 after answering 404 otherwise. */
static int64_t my_stock(struct pp_req *req)
{
    int64_t id = pp_req_param_id(req, 0);
    enum pp_err rc = pp_authz_stock(pp_req_db(req), &req->user, id, NULL);
    if (rc != PP_OK) {
        pp_api_fail(req, rc, NULL);
        return 0;
    }
    return id;
}

void pp_api_stock_update(struct pp_req *req)
{
    int64_t id = my_stock(req);
    if (id == 0)
        return;
    json_t *body = pp_req_json(req);
    if (body == NULL)
        return;
    struct pp_error e;
    pp_error_init(&e);
    struct pp_stock_input in;
    read_stock_body(body, &in, &e);
    if (e.count > 0) {
        pp_res_error(req, PP_EVALIDATION, &e);
        return;
    }
    enum pp_err rc = pp_stock_update(pp_req_db(req), id, &in, &e);
    if (rc != PP_OK) {
        pp_api_fail(req, rc, &e);
        return;
    }
    answer_stock(req, 200, id);
}

void pp_api_stock_delete(struct pp_req *req)
{
    int64_t id = my_stock(req);
    if (id == 0)
        return;
    struct pp_error e;
    pp_error_init(&e);
    enum pp_err rc = pp_stock_delete(pp_req_db(req), req->user.id, id, &e);
    if (rc != PP_OK) {
        pp_api_fail(req, rc, &e);
        return;
    }
    pp_res_empty(req, 204);
}

static void moderate(struct pp_req *req, bool approve)
{
    const char *status;
    int64_t id = pp_req_param_id(req, 0);
    enum pp_err rc =
        id ? pp_offer_moderate(pp_req_db(req), req->user.id, id, approve, &status) : PP_ENOTFOUND;
    if (rc == PP_ECONFLICT) {
        pp_res_error1(req, rc, "global", "Seule une offre publiée peut être validée ou refusée.");
        return;
    }
    if (rc != PP_OK) {
        pp_api_fail(req, rc, NULL);
        return;
    }
    pp_res_json(req, 200, json_pack("{s:I, s:s}", "id", (json_int_t)id, "status", status));
}

void pp_api_admin_offer_approve(struct pp_req *req)
{
    moderate(req, true);
}

void pp_api_admin_offer_reject(struct pp_req *req)
{
    moderate(req, false);
}
