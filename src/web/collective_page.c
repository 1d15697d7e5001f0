/*
 * /collectif (RULES §10, docs/collective.md): the collective offers of one structure of the
 * pro. Not referenced: what is eligible today and the "Demande de référencement"
 * questionnaire (or the state of the request sent). Referenced: the eligibility, the offers
 * (showcase and bookable, with their booking's label), a creation form (a bookable offer with
 * its dates, pupils and price), and the bookings schools made, which the venue may cancel.
 * Every change goes through the domain functions the JSON API uses.
 */
#include <string.h>

#include "core/categories.h"
#include "core/clock.h"
#include "core/input.h"
#include "core/money.h"
#include "core/tz.h"
#include "domain/adage_application.h"
#include "domain/authz.h"
#include "domain/collective_booking.h"
#include "domain/collective_offer.h"
#include "domain/collective_policy.h"
#include "domain/venue.h"
#include "web/view.h"
#include "web/web.h"

#define ZONE "Europe/Paris"
#define LIST_MAX PP_COLLECTIVE_LIST_MAX

/* The labels of pp_collective_label with their badges. */
static const struct pp_view_code booking_labels[] = {
    {"Préréservée", "Préréservée", "fr-badge--new"},
    {"Réservée", "Réservée", "fr-badge--info"},
    {"Confirmée", "Confirmée", "fr-badge--success"},
    {"Terminée", "Terminée", "fr-badge--success"},
    {"Remboursée", "Remboursée", "fr-badge--success"},
    {"Annulée", "Annulée", "fr-badge--error"},
};

static const struct pp_view_wording infos[] = {
    {"demande", "Votre demande de référencement est envoyée : vous recevrez la réponse par email."},
    {"offre", "L'offre collective est publiée."},
    {"date", "La date et le prix de l'offre sont enregistrés."},
    {"annulee", "La réservation est annulée."},
};

static const struct pp_view_field application_fields[] = {
    {"activity", "Activité principale de la structure", NULL, "text", NULL, "fr-col-12"},
    {"public", "Public accueilli", "Exemple : scolaires du primaire au lycée", "text", NULL,
     "fr-col-12"},
    {"contactEmail", "Email de contact", "Les établissements vous écrivent à cette adresse", "email",
     NULL, "fr-col-12 fr-col-md-6"},
    {"contactPhone", "Téléphone de contact", "Facultatif", "tel", NULL, "fr-col-12 fr-col-md-6"},
};

static const struct pp_view_field offer_fields[] = {
    {"venueId", "Lieu", NULL, NULL, NULL, "fr-col-12 fr-col-md-6"},
    {"name", "Titre de l'offre", "110 caractères au plus", "text", NULL, "fr-col-12 fr-col-md-6"},
    {"subcategoryId", "Sous-catégorie", NULL, NULL, "Choisir une sous-catégorie",
     "fr-col-12 fr-col-md-6"},
    {"format", "Format", NULL, NULL, "Choisir un format", "fr-col-12 fr-col-md-6"},
    {"contactEmail", "Email de contact", "Les établissements vous écrivent à cette adresse", "email",
     NULL, "fr-col-12 fr-col-md-6"},
    {"contactPhone", "Téléphone de contact", "Facultatif", "tel", NULL, "fr-col-12 fr-col-md-6"},
    {"interventionArea", "Zone de mobilité (offre vitrine)",
     "Départements séparés par des virgules (33, 40), « mainland » ou « all »", "text", NULL,
     "fr-col-12 fr-col-md-6"},
    {"bookingEmails", "Emails de réservation (offre réservable)", "Séparés par des virgules",
     "text", NULL, "fr-col-12 fr-col-md-6"},
};

static const struct pp_view_field stock_fields[] = {
    {"startDatetime", "Début", "JJ/MM/AAAA HH:MM", "datetime-local", NULL,
     "fr-col-12 fr-col-md-6"},
    {"endDatetime", "Fin", "Dans la même année scolaire", "datetime-local", NULL,
     "fr-col-12 fr-col-md-6"},
    {"numberOfTickets", "Nombre d'élèves", "De 1 à 3 000", "text", NULL, "fr-col-12 fr-col-md-4"},
    {"totalPriceCents", "Prix total (€)", "Exemple : 450 ou 450,50", "text", NULL,
     "fr-col-12 fr-col-md-4"},
    {"bookingLimitDatetime", "Date limite de réservation", "Facultatif : le début par défaut",
     "datetime-local", NULL, "fr-col-12 fr-col-md-4"},
};

/* What a refused form shows again, and which form: "referencement", "offre" or "date". */
struct form_state {
    json_t *values;
    const struct pp_error *e;
    int64_t date_offer; /* the offer whose date form is shown, 0 for the creation form */
};

/* The checkboxes @name (templates/checks.html), one per item, ticked as the posted form had
 * them, with the error of @errors under @name. */
static json_t *checks_json(struct pp_req *req, const char *name, const char *legend,
                           const char *const *items, size_t n, json_t *errors)
{
    const char *ticked[64];
    size_t k = pp_view_form_all(req, name, ticked, 64);
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++) {
        bool on = false;
        for (size_t j = 0; j < k; j++)
            on = on || strcmp(ticked[j], items[i]) == 0;
        json_t *box = pp_view_checkbox(pp_arena_printf(req->arena, "%s-%zu", name, i), name,
                                       items[i], items[i], on);
        json_object_set_new(box, "inline", json_true());
        json_array_append_new(list, box);
    }
    json_t *j = json_pack("{s:s, s:s, s:o}", "name", name, "legend", legend, "items", list);
    json_t *error = json_object_get(errors, name);
    if (error != NULL)
        json_object_set(j, "error", error);
    return j;
}

/* Options of a select: @values with their @labels (NULL: the values), @chosen selected. */
static json_t *options_json(const char *const *values, const char *const *labels, size_t n,
                            const char *chosen)
{
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, pp_view_option(values[i], labels ? labels[i] : values[i],
                                                   chosen && strcmp(chosen, values[i]) == 0));
    return list;
}

/* The request's state for the "Demande de référencement". */
static json_t *application_json(struct pp_req *req, int64_t offerer_id, enum pp_err *rc)
{
    struct pp_adage_application a = {0};
    *rc = pp_adage_application_latest(pp_req_db(req), req->arena, offerer_id, &a);
    if (*rc == PP_ENOTFOUND)
        *rc = PP_OK;
    if (*rc != PP_OK || a.id == 0 || a.status == NULL)
        return json_null();
    return json_pack("{s:s, s:b, s:b, s:s?}", "date", pp_view_when(req, ZONE, a.created_at),
                     "pending", strcmp(a.status, "PENDING") == 0, "rejected",
                     strcmp(a.status, "REJECTED") == 0, "reason", a.reason);
}

/* The options of the creation form: venues, collective subcategories, formats. */
static json_t *offer_options(struct pp_req *req, int64_t offerer_id, json_t *values,
                             enum pp_err *rc)
{
    struct pp_venue *v = NULL;
    size_t n = 0;
    *rc = pp_venue_list(pp_req_db(req), req->arena, offerer_id, &v, &n);
    const char *ids[64], *labels[64];
    size_t k = 0;
    for (size_t i = 0; i < n && k < 64; i++, k++) {
        ids[k] = pp_arena_printf(req->arena, "%lld", (long long)v[i].id);
        labels[k] = pp_view_venue_label(&v[i]);
    }
    json_t *o = json_object();
    json_object_set_new(o, "venueId", options_json(ids, labels, k,
                                                   json_string_value(json_object_get(values, "venueId"))));
    size_t nsub;
    const struct pp_subcategory *subs = pp_subcategories(&nsub);
    k = 0;
    for (size_t i = 0; i < nsub && k < 64; i++)
        if (subs[i].can_be_educational) {
            ids[k] = subs[i].id;
            labels[k++] = subs[i].pro_label;
        }
    json_object_set_new(o, "subcategoryId",
                        options_json(ids, labels, k,
                                     json_string_value(json_object_get(values, "subcategoryId"))));
    json_object_set_new(o, "format",
                        options_json(pp_eac_formats, NULL, PP_EAC_FORMAT_COUNT,
                                     json_string_value(json_object_get(values, "format"))));
    return o;
}

/* "Préréservée"... of the live booking @id among @bookings (rows of bookings_json). */
static json_t *booking_row(json_t *bookings, int64_t id)
{
    size_t i;
    json_t *b;
    json_array_foreach(bookings, i, b)
    {
        if (json_integer_value(json_object_get(b, "id")) == id)
            return b;
    }
    return NULL;
}

static json_t *bookings_json(struct pp_req *req, int64_t offerer_id, enum pp_err *rc)
{
    struct pp_collective_booking *b = NULL;
    size_t n = 0;
    *rc = pp_collective_booking_list(pp_req_db(req), req->arena, &req->user, offerer_id,
                                     PP_COLLECTIVE_NONE, &b, &n);
    json_t *list = pp_req_own(req, json_array());
    for (size_t i = 0; i < n && *rc == PP_OK; i++) {
        const struct pp_view_code *c =
            pp_view_code_of(booking_labels, PP_VIEW_COUNT(booking_labels), b[i].status_label);
        bool live = b[i].status_code == PP_COLLECTIVE_PENDING ||
                    b[i].status_code == PP_COLLECTIVE_CONFIRMED;
        json_array_append_new(
            list, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "id",
                            (json_int_t)b[i].id, "offer", b[i].offer_name, "school",
                            b[i].institution_name, "city", b[i].institution_city, "uai", b[i].uai,
                            "teacher", b[i].teacher_email, "date",
                            pp_view_when(req, b[i].venue_timezone, b[i].start_at), "price",
                            pp_view_amount(req, b[i].price_cents), "label", b[i].status_label,
                            "badge", c->badge, "cancellable", live));
    }
    return list;
}

static json_t *offers_json(struct pp_req *req, int64_t offerer_id, json_t *bookings,
                           int64_t date_offer, json_t *date_name, enum pp_err *rc)
{
    struct pp_collective_offer *o = NULL;
    size_t n = 0;
    *rc = pp_collective_offer_list(pp_req_db(req), req->arena, offerer_id, &o, &n);
    json_t *list = pp_req_own(req, json_array());
    for (size_t i = 0; i < n && *rc == PP_OK; i++) {
        json_t *b = o[i].booking_id ? booking_row(bookings, o[i].booking_id) : NULL;
        bool archived = strcmp(o[i].status, "ARCHIVED") == 0;
        bool no_date = !o[i].is_template && o[i].stock_id == 0;
        json_t *j = json_pack(
            "{s:I, s:s, s:s, s:s, s:s, s:s, s:b}", "id", (json_int_t)o[i].id, "name", o[i].name,
            "kind", o[i].is_template ? "Offre vitrine" : "Offre réservable", "venue",
            o[i].venue_name, "subcategory", pp_view_subcategory_label(o[i].subcategory_id),
            "format", o[i].format, "needsDate", no_date && !archived);
        const char *label = b ? json_string_value(json_object_get(b, "label"))
                            : archived ? "Archivée"
                            : no_date  ? "Date à compléter"
                                       : "Publiée";
        const char *badge = b ? json_string_value(json_object_get(b, "badge"))
                            : no_date || archived ? "fr-badge--warning"
                                                  : "fr-badge--success";
        pp_view_set_str(j, "status", label);
        pp_view_set_str(j, "badge", badge);
        json_object_set_new(
            j, "stock",
            o[i].stock_id == 0
                ? json_null()
                : json_pack("{s:s, s:I, s:s, s:s}", "start", pp_view_when(req, ZONE, o[i].start_at),
                          "pupils", (json_int_t)o[i].number_of_tickets, "price",
                            pp_view_amount(req, o[i].price_cents), "limit",
                            pp_view_when(req, ZONE, o[i].booking_limit_at)));
        if (o[i].id == date_offer && no_date)
            json_object_set_new(date_name, "name", json_string(o[i].name));
        json_array_append_new(list, j);
    }
    return list;
}

/* The referenced structure's part: offers, bookings and the creation (or date) form. */
static void referenced_json(struct pp_req *req, json_t *data, int64_t offerer_id,
                            const struct form_state *fs, json_t *values, json_t *errors,
                            enum pp_err *rc)
{
    json_t *bookings = bookings_json(req, offerer_id, rc);
    json_t *date = json_object();
    json_t *offers = *rc == PP_OK ? offers_json(req, offerer_id, bookings, fs->date_offer, date, rc)
                                  : NULL;
    json_t *options = *rc == PP_OK ? offer_options(req, offerer_id, values, rc) : NULL;
    json_object_set(data, "bookings", bookings);
    json_object_set(data, "offers", offers);
    if (json_object_get(date, "name") != NULL) {
        json_object_set_new(date, "id", json_integer(fs->date_offer));
        json_object_set_new(date, "fields", pp_view_fields_json(stock_fields, PP_VIEW_COUNT(stock_fields),
                                                        values, errors, NULL));
        json_object_set_new(data, "dateForm", date);
    } else {
        json_decref(date);
        const char *kind = json_string_value(json_object_get(values, "kind"));
        json_object_set_new(
            data, "offerForm",
            json_pack("{s:o, s:o, s:o, s:b}", "fields",
                      pp_view_fields_json(offer_fields, PP_VIEW_COUNT(offer_fields), values, errors,
                                  options),
                      "stockFields",
                      pp_view_fields_json(stock_fields, PP_VIEW_COUNT(stock_fields), values, errors, NULL),
                      "students",
                      checks_json(req, "students", "Niveaux scolaires", pp_student_levels,
                                  PP_STUDENT_LEVEL_COUNT, errors),
                      "bookable", kind != NULL && strcmp(kind, "reservable") == 0));
    }
    json_decref(options);
}

static void collective_page(struct pp_req *req, int status, const struct form_state *fs)
{
    const char *name = NULL;
    json_t *structures = NULL;
    enum pp_err rc;
    int64_t offerer_id = pp_view_structure(req, &name, &structures, &rc);
    json_t *values = fs && fs->values ? fs->values : pp_req_own(req, json_object());
    json_t *errors = pp_req_own(req, pp_web_errors(fs ? fs->e : NULL));
    const char *info = pp_req_query(req, "info");
    json_t *data = pp_req_own(
        req, json_pack("{s:O, s:O, s:O, s:s?, s:I, s:s?, s:b}", "structures", structures,
                       "values", values, "errors", errors, "info",
                       info ? pp_view_label(infos, PP_VIEW_COUNT(infos), info, NULL) : NULL,
                       "offererId", (json_int_t)offerer_id, "offererName", name,
                       "navCollective", 1));
    bool allowed = false;
    struct pp_collective_policy p;
    if (rc == PP_OK && offerer_id != 0)
        rc = pp_adage_offerer_allowed(pp_req_db(req), offerer_id, &allowed);
    if (rc == PP_OK && offerer_id != 0)
        rc = pp_collective_policy_get(pp_req_db(req), req->arena, &p);
    if (rc == PP_OK && offerer_id != 0) {
        json_object_set_new(data, "explanation",
                            json_string(pp_collective_policy_explain(req->arena, &p, NULL, NULL)));
        json_object_set_new(data, "allowed", json_boolean(allowed));
        if (allowed) {
            referenced_json(req, data, offerer_id, fs ? fs : &(struct form_state){0}, values,
                            errors, &rc);
        } else {
            json_object_set_new(data, "application", application_json(req, offerer_id, &rc));
            json_object_set_new(data, "applicationFields",
                                pp_view_fields_json(application_fields,
                                            PP_VIEW_COUNT(application_fields), values, errors,
                                            NULL));
            json_object_set_new(data, "formats", checks_json(req, "formats",
                                                             "Formats envisagés", pp_eac_formats,
                                                             PP_EAC_FORMAT_COUNT, errors));
        }
    }
    if (!pp_view_failed(req, rc))
        pp_web_render(req, status, "collective.html", "Offres collectives", json_incref(data));
}

void pp_web_collective(struct pp_req *req)
{
    struct form_state fs = {.date_offer = pp_input_id(pp_req_query(req, "offre"))};
    collective_page(req, 200, &fs);
}

/* The end of a post: 500 for a failure of the database, the page again with the messages
 * for a refusal (@date_offer: the offer whose date form is shown), else back to the page. */
static void finish(struct pp_req *req, enum pp_err rc, const struct pp_error *e,
                   int64_t offerer_id, int64_t date_offer, const char *info)
{
    if (pp_view_fatal(req, rc))
        return;
    if (rc != PP_OK) {
        struct form_state fs = {pp_view_form_values(req), e, date_offer};
        collective_page(req, pp_err_status(rc), &fs);
        return;
    }
    pp_res_redirect(req, pp_arena_printf(req->arena, "/collectif?structure=%lld&info=%s",
                                         (long long)offerer_id, info));
}

void pp_web_collective_apply(struct pp_req *req)
{
    int64_t offerer_id = pp_view_field_id(req, "structure");
    struct pp_db *db = pp_req_db(req);
    if (pp_view_failed(req, pp_authz_offerer(db, &req->user, offerer_id)))
        return;
    const char *formats[PP_EAC_FORMAT_COUNT + 1];
    struct pp_adage_application_input in = {
        .activity = pp_web_field(req, "activity"), .public = pp_web_field(req, "public"),
        .contact_email = pp_web_field(req, "contactEmail"),
        .contact_phone = pp_web_field(req, "contactPhone"), .formats = formats,
        .nformats = pp_view_form_all(req, "formats", formats, PP_EAC_FORMAT_COUNT + 1),
        .description = pp_web_field(req, "description")};
    struct pp_error e;
    pp_error_init(&e);
    int64_t id;
    enum pp_err rc = pp_adage_application_create(db, req->user.id, offerer_id, &in, &id, &e);
    finish(req, rc, &e, offerer_id, 0, "demande");
}

/* The words of field @key split at commas, semicolons and spaces (a list field). */
static struct pp_strs words(struct pp_req *req, const char *key)
{
    const char *s = pp_web_field(req, key);
    struct pp_strs out = {pp_arena_alloc(req->arena, (LIST_MAX + 1) * sizeof(char *)), 0, true};
    while (s != NULL && *s != '\0' && out.n <= LIST_MAX) {
        size_t len = strcspn(s, ",; \t");
        if (len > 0)
            out.items[out.n++] = pp_arena_strndup(req->arena, s, len);
        s += len + (s[len] != '\0');
    }
    return out;
}

/* A date and time of field @key in Paris ("2026-04-14T10:30" or "14/04/2026 10:30"), 0 when
 * the field is empty; an error on the field when malformed. */
static int64_t form_datetime(struct pp_req *req, const char *key, struct pp_error *e)
{
    const char *s = pp_web_field(req, key);
    if (s == NULL)
        return 0;
    size_t day_len = strcspn(s, "T ");
    int y, m, d, minutes = s[day_len] ? pp_input_time(s + day_len + 1) : -1;
    int64_t t = 0;
    if (!pp_input_day(pp_arena_strndup(req->arena, s, day_len), &y, &m, &d) || minutes < 0 ||
        !pp_tz_from_local(ZONE, y, m, d, minutes / 60, minutes % 60, &t))
        pp_error_set(e, PP_EVALIDATION, key, "Date et heure attendues (JJ/MM/AAAA HH:MM).");
    return t;
}

/* The stock of the form; PP_EVALIDATION (on the fields) when one is missing or malformed. */
static enum pp_err read_stock(struct pp_req *req, struct pp_collective_stock_input *in,
                              struct pp_error *e)
{
    in->start_at = form_datetime(req, "startDatetime", e);
    in->end_at = form_datetime(req, "endDatetime", e);
    in->booking_limit_at = form_datetime(req, "bookingLimitDatetime", e);
    in->number_of_tickets = pp_input_count(pp_web_field(req, "numberOfTickets"), INT32_MAX);
    const char *price = pp_web_field(req, "totalPriceCents");
    if (price == NULL || !pp_money_parse(price, &in->price_cents))
        pp_error_set(e, PP_EVALIDATION, "totalPriceCents", "Prix attendu en euros (ex. 450,50).");
    if (in->number_of_tickets < 0)
        pp_error_set(e, PP_EVALIDATION, "numberOfTickets", "Nombre d'élèves attendu.");
    if (in->start_at == 0 && pp_web_field(req, "startDatetime") == NULL)
        pp_error_set(e, PP_EVALIDATION, "startDatetime", "Indiquez le début.");
    if (in->end_at == 0 && pp_web_field(req, "endDatetime") == NULL)
        pp_error_set(e, PP_EVALIDATION, "endDatetime", "Indiquez la fin.");
    return e->count ? PP_EVALIDATION : PP_OK;
}

void pp_web_collective_offer_create(struct pp_req *req)
{
    struct pp_db *db = pp_req_db(req);
    int64_t venue_id = pp_view_field_id(req, "venueId"), offerer_id = 0;
    const char *kind = pp_web_field(req, "kind");
    bool bookable = kind != NULL && strcmp(kind, "reservable") == 0;
    enum pp_err rc = pp_authz_venue(db, &req->user, venue_id, &offerer_id);
    if (rc == PP_ENOTFOUND && venue_id == 0)
        rc = pp_authz_offerer(db, &req->user, offerer_id = pp_view_field_id(req, "structure"));
    if (pp_view_failed(req, rc))
        return;
    struct pp_error e;
    pp_error_init(&e);
    if (venue_id == 0)
        pp_error_set(&e, PP_EVALIDATION, "venueId", "Choisissez le lieu.");
    struct pp_collective_stock_input stock = {0};
    if (bookable)
        read_stock(req, &stock, &e);
    const char *students[LIST_MAX + 1];
    struct pp_collective_offer_input in;
    pp_collective_offer_input_init(&in);
    in.venue_id = venue_id;
    in.is_template = !bookable;
    in.name = pp_web_field(req, "name");
    in.description = pp_web_field(req, "description");
    in.subcategory_id = pp_web_field(req, "subcategoryId");
    in.format = pp_web_field(req, "format");
    in.students = (struct pp_strs){students, pp_view_form_all(req, "students", students,
                                                              LIST_MAX + 1), true};
    in.contact_email = pp_web_field(req, "contactEmail");
    in.contact_phone = pp_web_field(req, "contactPhone");
    in.intervention_area = bookable ? (struct pp_strs){0} : words(req, "interventionArea");
    in.booking_emails = bookable ? words(req, "bookingEmails") : (struct pp_strs){0};
    in.institution_id = 0;
    int64_t id = 0, stock_id = 0;
    rc = e.count ? PP_EVALIDATION
                 : pp_collective_offer_create(db, req->arena, req->user.id, offerer_id, &in, &id,
                                              &e);
    if (rc == PP_OK && bookable) {
        rc = pp_collective_stock_save(db, req->user.id, id, true, &stock, &stock_id, &e);
        if (rc != PP_OK && e.count == 0)
            pp_error_set(&e, rc, "global", "La date de l'offre n'a pas pu être enregistrée.");
    }
    finish(req, rc, &e, offerer_id, id, "offre");
}

/* The id of the path's offer or booking when the pro may act on its structure (*offerer_id,
 * found by @offerer_of); else 0, the page (404) answered. */
static int64_t path_object(struct pp_req *req,
                           enum pp_err (*offerer_of)(struct pp_db *, int64_t, int64_t *),
                           int64_t *offerer_id)
{
    struct pp_db *db = pp_req_db(req);
    int64_t id = pp_req_param_id(req, 0);
    enum pp_err rc = offerer_of(db, id, offerer_id);
    if (rc == PP_OK)
        rc = pp_authz_offerer(db, &req->user, *offerer_id);
    return pp_view_failed(req, rc) ? 0 : id;
}

void pp_web_collective_stock(struct pp_req *req)
{
    struct pp_db *db = pp_req_db(req);
    int64_t offerer_id = 0, id = path_object(req, pp_collective_offer_offerer, &offerer_id);
    if (id == 0)
        return;
    struct pp_error e;
    pp_error_init(&e);
    struct pp_collective_stock_input stock = {0};
    int64_t stock_id = 0;
    enum pp_err rc = read_stock(req, &stock, &e);
    if (rc == PP_OK)
        rc = pp_collective_stock_save(db, req->user.id, id, true, &stock, &stock_id, &e);
    finish(req, rc, &e, offerer_id, id, "date");
}

void pp_web_collective_cancel(struct pp_req *req)
{
    struct pp_db *db = pp_req_db(req);
    int64_t offerer_id = 0, id = path_object(req, pp_collective_booking_offerer, &offerer_id);
    if (id == 0)
        return;
    struct pp_error e;
    pp_error_init(&e);
    enum pp_err rc = pp_collective_booking_cancel(db, req->arena, PP_COLLECTIVE_BY_OFFERER, req->user.id, id,
                                      "Annulée par le lieu depuis le portail", &e);
    if (rc == PP_EGONE)
        pp_web_page_error(req, 410, "Cette réservation est déjà annulée.");
    else
        finish(req, rc, &e, offerer_id, 0, "annulee");
}
