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

static json_t *offer_json(const void *item)
{
    const struct pp_offer *o = item;
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

/* An optional text sent as null or "" is cleared (an edit may drop a URL). */
static void read_clearable(struct pp_req *req, json_t *body, void *dst, struct pp_error *e)
{
    (void)req;
    (void)e;
    struct pp_offer_input *in = dst;
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
}

/* The fields of an offer body, before its venueId (required on creation only). */
#define OFFER_FIELDS                                                                              \
    PP_FIELD_STR(struct pp_offer_input, name, "name", false, 400),                                \
        PP_FIELD_STR(struct pp_offer_input, description, "description", false, 10000),            \
        PP_FIELD_STR(struct pp_offer_input, subcategory_id, "subcategoryId", false, 64),          \
        PP_FIELD_STR(struct pp_offer_input, url, "url", false, 255),                              \
        PP_FIELD_STR(struct pp_offer_input, booking_email, "bookingEmail", false, 254),           \
        PP_FIELD_STR(struct pp_offer_input, withdrawal_details, "withdrawalDetails", false, 500), \
        PP_FIELD_FLAG(struct pp_offer_input, is_duo, "isDuo"),                                    \
        PP_FIELD_FLAG(struct pp_offer_input, audio_disability, "audioDisabilityCompliant"),       \
        PP_FIELD_FLAG(struct pp_offer_input, mental_disability, "mentalDisabilityCompliant"),     \
        PP_FIELD_FLAG(struct pp_offer_input, motor_disability, "motorDisabilityCompliant"),       \
        PP_FIELD_FLAG(struct pp_offer_input, visual_disability, "visualDisabilityCompliant"),     \
        PP_FIELD_FLAG(struct pp_offer_input, is_active, "isActive")

static const struct pp_api_field offer_create_fields[] = {
    OFFER_FIELDS,
    PP_FIELD_ID(struct pp_offer_input, venue_id, "venueId", true),
};
static const struct pp_api_field offer_update_fields[] = {
    OFFER_FIELDS,
    PP_FIELD_ID(struct pp_offer_input, venue_id, "venueId", false),
};
static const struct pp_api_body offer_create_body =
    PP_API_BODY(offer_create_fields, read_clearable);
static const struct pp_api_body offer_update_body =
    PP_API_BODY(offer_update_fields, read_clearable);

static void answer_offer(struct pp_req *req, int status, int64_t id)
{
    struct pp_offer o;
    if (pp_api_ok(req, pp_offer_get(pp_req_db(req), req->arena, id, &o), NULL))
        pp_res_json(req, status, offer_json(&o));
}

void pp_api_offer_create(struct pp_req *req)
{
    struct pp_error e;
    struct pp_offer_input in;
    pp_offer_input_init(&in);
    if (!pp_api_read(req, &offer_create_body, &in, &e))
        return;
    struct pp_db *db = pp_req_db(req);
    enum pp_err rc = pp_authz_venue(db, &req->user, in.venue_id, NULL);
    int64_t id = 0;
    if (rc == PP_OK)
        rc = pp_offer_create(db, req->arena, &in, &id, &e);
    if (pp_api_ok(req, rc, &e))
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
    pp_api_reply_list(req, rc, "offers", items, n, sizeof *items, offer_json);
}

/* The offer of the path, checked to be the caller's; 0 after answering 404 otherwise. */
static int64_t my_offer(struct pp_req *req)
{
    int64_t id = pp_req_param_id(req, 0);
    return pp_api_authorized(req, id, pp_authz_offer(pp_req_db(req), &req->user, id));
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
    if (!pp_api_ok(req, rc, NULL))
        return;
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
    struct pp_error e;
    struct pp_offer_input in;
    pp_offer_input_init(&in);
    if (!pp_api_read(req, &offer_update_body, &in, &e))
        return;
    if (pp_api_ok(req, pp_offer_update(pp_req_db(req), req->arena, id, &in, &e), &e))
        answer_offer(req, 200, id);
}

void pp_api_offer_publish(struct pp_req *req)
{
    int64_t id = my_offer(req);
    if (id == 0)
        return;
    struct pp_error e;
    pp_error_init(&e);
    const char *status = NULL;
    enum pp_err rc = pp_offer_publish(pp_req_db(req), req->user.id, id, &status, &e);
    pp_api_reply_state(req, rc, &e, 200, id, status);
}

/* priceCents: an integer of cents (int64_t), left as it was when absent. */
static bool read_cents(struct pp_req *req, json_t *body, const struct pp_api_field *f,
                       void *dst, struct pp_error *e)
{
    (void)req;
    json_t *v = json_object_get(body, f->key);
    if (v == NULL || json_is_null(v))
        return pp_api_absent(f, "Veuillez indiquer un prix (en centimes).", e);
    if (!json_is_integer(v)) {
        pp_error_set(e, PP_EVALIDATION, f->key, "Le prix doit être un nombre entier de centimes.");
        return false;
    }
    /* Checked here, whatever the field is for: a negative number must never reach a domain
     * where -1 means "not given" (RULES §2: 0 to 300 €). */
    const char *problem = pp_price_check(json_integer_value(v));
    if (problem != NULL) {
        pp_error_set(e, PP_EVALIDATION, f->key, problem);
        return false;
    }
    *(int64_t *)dst = json_integer_value(v);
    return true;
}

struct price_category_input {
    const char *label;
    int64_t price;
};

static const struct pp_api_body price_category_body = PP_API_FIELDS(
    PP_FIELD_STR(struct price_category_input, label, "label", false, 200),
    PP_FIELD(struct price_category_input, price, int64_t, "priceCents", true, read_cents));

void pp_api_price_category_create(struct pp_req *req)
{
    int64_t id = my_offer(req);
    if (id == 0)
        return;
    struct pp_error e;
    struct price_category_input in = {0};
    if (!pp_api_read(req, &price_category_body, &in, &e))
        return;
    struct pp_db *db = pp_req_db(req);
    int64_t pc_id;
    enum pp_err rc = pp_offer_check_editable(db, id, &e);
    if (rc == PP_OK)
        rc = pp_price_category_create(db, id, in.label, in.price, &pc_id, &e);
    if (!pp_api_ok(req, rc, &e))
        return;
    pp_res_json(req, 201, json_pack("{s:I, s:s, s:I}", "id", (json_int_t)pc_id, "label",
                                    in.label ? in.label : PP_DEFAULT_PRICE_LABEL, "priceCents",
                                    (json_int_t)in.price));
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

static bool read_quantity(struct pp_req *req, json_t *body, const struct pp_api_field *f,
                          void *dst, struct pp_error *e)
{
    (void)req;
    (void)f;
    int before = e->count;
    *(int64_t *)dst = get_quantity(body, e);
    return e->count == before;
}

static const struct pp_api_body stock_body = PP_API_FIELDS(
    PP_FIELD_ID(struct pp_stock_input, price_category_id, "priceCategoryId", false),
    PP_FIELD(struct pp_stock_input, price_cents, int64_t, "priceCents", false, read_cents),
    PP_FIELD(struct pp_stock_input, quantity, int64_t, "quantity", false, read_quantity),
    PP_FIELD(struct pp_stock_input, beginning_at, int64_t, "beginningDatetime", false,
             pp_api_read_datetime),
    PP_FIELD(struct pp_stock_input, booking_limit_at, int64_t, "bookingLimitDatetime", false,
             pp_api_read_datetime));

/* Reads a stock body into @in; false after answering 400 / 422. */
static bool read_stock(struct pp_req *req, struct pp_stock_input *in, struct pp_error *e)
{
    pp_stock_input_init(in);
    return pp_api_read(req, &stock_body, in, e);
}

static void answer_stock(struct pp_req *req, int status, int64_t id)
{
    struct pp_stock s;
    if (pp_api_ok(req, pp_stock_get(pp_req_db(req), req->arena, id, &s), NULL))
        pp_res_json(req, status, stock_json(&s));
}

void pp_api_stock_create(struct pp_req *req)
{
    int64_t offer_id = my_offer(req);
    if (offer_id == 0)
        return;
    struct pp_error e;
    struct pp_stock_input in;
    if (!read_stock(req, &in, &e))
        return;
    int64_t id;
    if (pp_api_ok(req, pp_stock_create(pp_req_db(req), offer_id, &in, &id, &e), &e))
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

/* A "YYYY-MM-DD" day, nothing after it. */
static bool parse_day(const char *s, int *y, int *m, int *d)
{
    return pp_clock_parse_date(s, y, m, d) && s[10] == '\0';
}

/* priceCategoryIds: 1 to 50 positive ids. */
static void read_price_category_ids(struct pp_req *req, json_t *body, struct pp_recurrence *r,
                                    struct pp_error *e)
{
    json_t *pcs = json_object_get(body, "priceCategoryIds");
    size_t npc = json_is_array(pcs) ? json_array_size(pcs) : 0;
    int64_t *pc_ids = pp_arena_calloc(req->arena, (npc ? npc : 1) * sizeof *pc_ids);
    if (!json_is_array(pcs) || npc == 0 || npc > 50)
        pp_error_set(e, PP_EVALIDATION, "priceCategoryIds",
                     "Choisissez de 1 à 50 tarifs (liste d'identifiants).");
    for (size_t i = 0; i < npc && npc <= 50; i++) {
        json_t *v = json_array_get(pcs, i);
        if (!json_is_integer(v) || json_integer_value(v) <= 0) {
            pp_error_set(e, PP_EVALIDATION, "priceCategoryIds", "Identifiant de tarif invalide.");
            break;
        }
        pc_ids[i] = json_integer_value(v);
    }
    r->price_category_ids = pc_ids;
    r->n_price_categories = npc;
}

/* startDate, endDate and weekdays (1 = Monday ... 7 = Sunday). */
static void read_days(json_t *body, struct pp_recurrence *r, struct pp_error *e)
{
    const char *start = json_string_value(json_object_get(body, "startDate"));
    const char *end = json_string_value(json_object_get(body, "endDate"));
    if (!parse_day(start, &r->start_year, &r->start_month, &r->start_day))
        pp_error_set(e, PP_EVALIDATION, "startDate", "Date de début invalide (AAAA-MM-JJ).");
    if (!parse_day(end, &r->end_year, &r->end_month, &r->end_day))
        pp_error_set(e, PP_EVALIDATION, "endDate", "Date de fin invalide (AAAA-MM-JJ).");

    json_t *days = json_object_get(body, "weekdays");
    if (!json_is_array(days) || json_array_size(days) == 0 || json_array_size(days) > 7)
        pp_error_set(e, PP_EVALIDATION, "weekdays",
                     "Choisissez au moins un jour de la semaine (1 = lundi … 7 = dimanche).");
    for (size_t i = 0; json_is_array(days) && i < json_array_size(days) && i < 7; i++) {
        json_t *v = json_array_get(days, i);
        if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 7) {
            pp_error_set(e, PP_EVALIDATION, "weekdays",
                         "Les jours vont de 1 (lundi) à 7 (dimanche).");
            break;
        }
        r->weekdays[json_integer_value(v)] = true;
    }
}

/* times: 1 to 96 "HH:MM". */
static void read_times(struct pp_req *req, json_t *body, struct pp_recurrence *r,
                       struct pp_error *e)
{
    json_t *times = json_object_get(body, "times");
    size_t nt = json_is_array(times) ? json_array_size(times) : 0;
    int *mins = pp_arena_calloc(req->arena, (nt ? nt : 1) * sizeof *mins);
    if (!json_is_array(times) || nt == 0 || nt > 96)
        pp_error_set(e, PP_EVALIDATION, "times", "Indiquez de 1 à 96 horaires (\"10:30\").");
    for (size_t i = 0; i < nt && nt <= 96; i++) {
        mins[i] = parse_time(json_string_value(json_array_get(times, i)));
        if (mins[i] < 0) {
            pp_error_set(e, PP_EVALIDATION, "times", "Horaire invalide : format attendu 10:30.");
            break;
        }
    }
    r->times = mins;
    r->n_times = nt;
}

static void read_recurrence(struct pp_req *req, json_t *body, void *in, struct pp_error *e)
{
    struct pp_recurrence *r = in;
    read_price_category_ids(req, body, r, e);
    read_days(body, r, e);
    read_times(req, body, r, e);
    int64_t q = get_quantity(body, e);
    r->quantity = q == -2 ? PP_UNLIMITED : q;
    json_t *hours = json_object_get(body, "bookingLimitHoursBefore");
    if (hours != NULL && !json_is_null(hours)) {
        if (!json_is_integer(hours))
            pp_error_set(e, PP_EVALIDATION, "bookingLimitHoursBefore",
                         "Le délai doit être un nombre entier d'heures.");
        else
            r->booking_limit_hours = json_integer_value(hours);
    }
}

static const struct pp_api_body recurrence_body = {NULL, 0, read_recurrence};

void pp_api_stock_recurrence(struct pp_req *req)
{
    int64_t offer_id = my_offer(req);
    if (offer_id == 0)
        return;
    struct pp_error e;
    struct pp_recurrence r = {.booking_limit_hours = -1};
    if (!pp_api_read(req, &recurrence_body, &r, &e))
        return;
    int64_t created;
    enum pp_err rc = pp_stock_recurrence(pp_req_db(req), offer_id, &r, &created, &e);
    if (pp_api_ok(req, rc, &e))
        pp_res_json(req, 201, json_pack("{s:I}", "created", (json_int_t)created));
}

struct activation_input {
    const char **codes;
    size_t n;
    int64_t expiration; /**< 0 when the codes do not expire */
};

/* codes (1 to 10,000 texts) and expirationDate; the first error found is the only one. */
static void read_activation(struct pp_req *req, json_t *body, void *dst, struct pp_error *e)
{
    struct activation_input *in = dst;
    json_t *codes = json_object_get(body, "codes");
    in->n = json_is_array(codes) ? json_array_size(codes) : 0;
    if (!json_is_array(codes) || in->n == 0 || in->n > CODES_MAX) {
        pp_error_set(e, PP_EVALIDATION, "codes",
                     "Envoyez une liste de 1 à 10 000 codes d'activation.");
        return;
    }
    in->codes = pp_arena_alloc(req->arena, in->n * sizeof *in->codes);
    for (size_t i = 0; i < in->n; i++) {
        in->codes[i] = json_string_value(json_array_get(codes, i));
        if (in->codes[i] == NULL) {
            pp_error_set(e, PP_EVALIDATION, "codes", "Chaque code doit être un texte.");
            return;
        }
    }
    const char *date = json_string_value(json_object_get(body, "expirationDate"));
    if (date == NULL)
        return;
    int y, m, d;
    if (!parse_day(date, &y, &m, &d)) {
        pp_error_set(e, PP_EVALIDATION, "expirationDate",
                     "Date d'expiration invalide (AAAA-MM-JJ).");
        return;
    }
    /* Valid through that whole day: until the next midnight, Paris time. */
    pp_tz_next_midnight("Europe/Paris", y, m, d, &in->expiration);
}

static const struct pp_api_body activation_body = {NULL, 0, read_activation};

void pp_api_activation_codes(struct pp_req *req)
{
    int64_t offer_id = my_offer(req);
    if (offer_id == 0)
        return;
    struct pp_error e;
    struct activation_input in = {0};
    if (!pp_api_read(req, &activation_body, &in, &e))
        return;
    int64_t added;
    enum pp_err rc = pp_stock_add_activation_codes(pp_req_db(req), offer_id, in.codes, in.n,
                                                   in.expiration, &added, &e);
    if (pp_api_ok(req, rc, &e))
        pp_res_json(req, 201, json_pack("{s:I}", "added", (json_int_t)added));
}

/* The stock of the path, checked to be the caller's; 0 after answering 404 otherwise. */
static int64_t my_stock(struct pp_req *req)
{
    int64_t id = pp_req_param_id(req, 0);
    return pp_api_authorized(req, id, pp_authz_stock(pp_req_db(req), &req->user, id, NULL));
}

void pp_api_stock_update(struct pp_req *req)
{
    int64_t id = my_stock(req);
    if (id == 0)
        return;
    struct pp_error e;
    struct pp_stock_input in;
    if (!read_stock(req, &in, &e))
        return;
    if (pp_api_ok(req, pp_stock_update(pp_req_db(req), id, &in, &e), &e))
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
    pp_api_reply(req, rc, &e, 204, NULL);
}

static void moderate(struct pp_req *req, bool approve)
{
    const char *status = NULL;
    int64_t id = pp_req_param_id(req, 0);
    enum pp_err rc =
        id ? pp_offer_moderate(pp_req_db(req), req->user.id, id, approve, &status) : PP_ENOTFOUND;
    if (rc == PP_ECONFLICT) {
        pp_res_error1(req, rc, "global", "Seule une offre publiée peut être validée ou refusée.");
        return;
    }
    pp_api_reply_state(req, rc, NULL, 200, id, status);
}

void pp_api_admin_offer_approve(struct pp_req *req)
{
    moderate(req, true);
}

void pp_api_admin_offer_reject(struct pp_req *req)
{
    moderate(req, false);
}
