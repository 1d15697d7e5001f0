/*
 * Pro portal, individual offers (SPEC §4, §10): /offres (list), the creation wizard
 * (/offres/creation → /offres/{id}/tarifs → /offres/{id}/dates for events, /offres/{id}/stock
 * for things) and /offres/{id} (récapitulatif, publication, activation). Every step is a form
 * post that saves and redirects to the next step, so the wizard needs no JavaScript.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/categories.h"
#include "core/clock.h"
#include "core/money.h"
#include "core/tz.h"
#include "domain/authz.h"
#include "domain/offer.h"
#include "domain/offerer.h"
#include "domain/price_category.h"
#include "domain/stock.h"
#include "domain/venue.h"
#include "web/web.h"

#define DATES_SHOWN 200   /* stocks listed on the dates page */
#define SUMMARY_DATES 6   /* first slots shown on the récapitulatif */
#define SLOTS_MAX 96      /* slots of one day: every 15 minutes */
#define LIMIT_HOURS_MAX (24 * 365)

/* ------------------------------------------------------------------------------------------ */
/* Parsing of form values                                                                     */

/* What a person types as euros ("8", "8,50", "gratuit") → cents; -1 when it is not a price. */
static int64_t parse_euros(const char *s)
{
    int64_t cents;
    return pp_money_parse(s, &cents) ? cents : -1;
}

/* "10:30" (also "9:30", "10h30", "10h") → minutes after midnight; -1 otherwise. */
static int parse_hhmm(const char *s)
{
    if (s == NULL)
        return -1;
    int h = 0, m = 0, n = 0;
    for (; *s >= '0' && *s <= '9' && n < 2; s++, n++)
        h = h * 10 + (*s - '0');
    if (n == 0 || (*s != ':' && *s != 'h' && *s != 'H'))
        return -1;
    bool h_sep = *s != ':';
    s++;
    n = 0;
    for (; *s >= '0' && *s <= '9' && n < 2; s++, n++)
        m = m * 10 + (*s - '0');
    if (*s == ':' && n == 2 && s[1] == '0' && s[2] == '0' && s[3] == '\0')
        s += 3; /* "10:30:00" from browsers with a seconds step */
    if (*s != '\0' || (n != 2 && !(h_sep && n == 0)) || h > 23 || m > 59)
        return -1;
    return h * 60 + m;
}

/* "2026-04-14" or "14/04/2026" → parts; false when not a real date. */
static bool parse_day(const char *s, int *y, int *m, int *d)
{
    if (s == NULL)
        return false;
    char iso[11];
    if (strlen(s) == 10 && s[2] == '/' && s[5] == '/') {
        snprintf(iso, sizeof iso, "%.4s-%.2s-%.2s", s + 6, s + 3, s);
        s = iso;
    }
    return strlen(s) == 10 && pp_clock_parse_date(s, y, m, d);
}

/* A whole number 0..@max; -1 otherwise. */
static int64_t parse_count(const char *s, int64_t max)
{
    if (s == NULL || *s == '\0')
        return -1;
    int64_t v = 0;
    for (; *s; s++) {
        if (*s == ' ')
            continue; /* "1 000" */
        if (*s < '0' || *s > '9')
            return -1;
        v = v * 10 + (*s - '0');
        if (v > max)
            return -1;
    }
    return v;
}

/* Positive id of form field @key (or query parameter), 0 when absent or malformed. */
static int64_t field_id(struct pp_req *req, const char *key)
{
    const char *s = pp_web_field(req, key);
    if (s == NULL)
        s = pp_req_query(req, key);
    if (s == NULL)
        return 0;
    char *end;
    long long v = strtoll(s, &end, 10);
    return *end == '\0' && v > 0 ? v : 0;
}

static bool checked(struct pp_req *req, const char *key)
{
    return pp_req_form(req, key) != NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* Display helpers                                                                            */

static const char *money(struct pp_req *req, int64_t cents)
{
    char buf[PP_MONEY_LEN];
    pp_money_format_price(cents, buf);
    return pp_arena_strdup(req->arena, buf);
}

/* Cents as the price field shows them: "8,50", "" for none. */
static const char *euros_field(struct pp_req *req, int64_t cents)
{
    if (cents < 0)
        return "";
    return cents % 100 ? pp_arena_printf(req->arena, "%lld,%02lld", (long long)(cents / 100),
                                         (long long)(cents % 100))
                       : pp_arena_printf(req->arena, "%lld", (long long)(cents / 100));
}

static const struct {
    const char *code, *label, *badge;
} statuses[] = {
    {"DRAFT", "Brouillon", "fr-badge--info"},
    {"PENDING", "En instruction", "fr-badge--new"},
    {"REJECTED", "Refusée", "fr-badge--error"},
    {"ACTIVE", "Publiée", "fr-badge--success"},
    {"INACTIVE", "Désactivée", "pp-badge--neutral"},
    {"SOLD_OUT", "Épuisée", "fr-badge--warning"},
    {"EXPIRED", "Expirée", "pp-badge--neutral"},
};
#define STATUS_COUNT (sizeof statuses / sizeof statuses[0])

static size_t status_index(const char *code)
{
    for (size_t i = 0; i < STATUS_COUNT; i++)
        if (code != NULL && strcmp(statuses[i].code, code) == 0)
            return i;
    return 0;
}

static const char *const weekday_names[] = {"", "lundi", "mardi", "mercredi", "jeudi",
                                            "vendredi", "samedi", "dimanche"};
static const char *const month_names[] = {"", "janvier", "février", "mars", "avril",
                                          "mai", "juin", "juillet", "août", "septembre",
                                          "octobre", "novembre", "décembre"};

/* "mardi 14 avril 2026" */
static const char *day_fr(struct pp_req *req, const struct pp_local *l)
{
    return pp_arena_printf(req->arena, "%s %d %s %d", weekday_names[l->weekday], l->day,
                           month_names[l->month], l->year);
}

static const char *quantity_label(struct pp_req *req, int64_t q)
{
    return q == PP_UNLIMITED ? "Illimité" : pp_arena_printf(req->arena, "%lld", (long long)q);
}

/* "12 places", "1 place", "places illimitées". */
static const char *places_label(struct pp_req *req, int64_t q)
{
    if (q == PP_UNLIMITED)
        return "places illimitées";
    return pp_arena_printf(req->arena, "%lld place%s", (long long)q, q > 1 ? "s" : "");
}

static const char *venue_label(const struct pp_venue *v)
{
    return v->public_name && *v->public_name ? v->public_name : v->name;
}

static void set_str(json_t *o, const char *key, const char *v)
{
    json_object_set_new(o, key, v ? json_string(v) : json_null());
}

/* Moves the error of field @from to @to (domain names → the fields of the page). */
static void rename_error(json_t *errors, const char *from, const char *to)
{
    json_t *v = json_object_get(errors, from);
    if (v == NULL)
        return;
    if (json_object_get(errors, to) == NULL)
        json_object_set(errors, to, v);
    json_object_del(errors, from);
}

/* Renders, and for a database failure the generic 500 page. */
static bool failed(struct pp_req *req, enum pp_err rc)
{
    if (rc == PP_OK)
        return false;
    pp_web_page_error(req, pp_err_status(rc), NULL);
    return true;
}

/* ------------------------------------------------------------------------------------------ */
/* The caller's venues and offers                                                             */

/* Venues of every structure where the caller's attachment is validated. */
static enum pp_err my_venues(struct pp_req *req, struct pp_venue **out, size_t *count)
{
    struct pp_db *db = pp_req_db(req);
    struct pp_offerer *offerers;
    size_t no, n = 0, cap = 0;
    struct pp_venue *all = NULL;
    enum pp_err rc = pp_offerer_list_for_account(db, req->arena, req->user.id, &offerers, &no);
    for (size_t i = 0; rc == PP_OK && i < no; i++) {
        if (strcmp(offerers[i].attachment_status, "VALIDATED") != 0)
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

static json_t *venue_options(const struct pp_venue *v, size_t n, int64_t selected)
{
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, json_pack("{s:I, s:s, s:b}", "id", (json_int_t)v[i].id,
                                              "label", venue_label(&v[i]), "selected",
                                              v[i].id == selected));
    return list;
}

/*
 * The offer of the path, checked to be the caller's (pp_authz_offer: 404 otherwise, never
 * revealing that it exists). False after answering.
 */
static bool load_offer(struct pp_req *req, struct pp_offer *o)
{
    int64_t id = pp_req_param_id(req, 0);
    struct pp_db *db = pp_req_db(req);
    enum pp_err rc = id ? pp_authz_offer(db, &req->user, id) : PP_ENOTFOUND;
    if (rc == PP_OK)
        rc = pp_offer_get(db, req->arena, id, o);
    return !failed(req, rc);
}

static bool is_event(const struct pp_offer *o)
{
    const struct pp_subcategory *s = pp_subcategory_find(o->subcategory_id);
    return s != NULL && s->is_event;
}

static bool is_editable(const struct pp_offer *o)
{
    return strcmp(o->validation, "DRAFT") == 0 || strcmp(o->validation, "APPROVED") == 0;
}

static const char *offer_path(struct pp_req *req, const struct pp_offer *o, const char *tail)
{
    return pp_arena_printf(req->arena, "/offres/%lld%s", (long long)o->id, tail);
}

/* What every page about one offer shows: its name, status, kind, what may be edited. */
static json_t *offer_json(const struct pp_offer *o)
{
    const struct pp_subcategory *s = pp_subcategory_find(o->subcategory_id);
    const struct pp_category *c = s ? pp_category_find(s->category_id) : NULL;
    size_t st = status_index(o->display_status);
    json_t *j = json_pack("{s:I, s:s, s:s, s:s, s:s, s:b, s:b, s:b, s:b, s:b, s:I}", "id",
                          (json_int_t)o->id, "name", o->name, "statusLabel",
                          statuses[st].label, "statusBadge", statuses[st].badge, "venueName",
                          o->venue_name, "isEvent", s && s->is_event, "isDraft",
                          strcmp(o->validation, "DRAFT") == 0, "isApproved",
                          strcmp(o->validation, "APPROVED") == 0, "isActive", o->is_active != 0,
                          "editable", is_editable(o), "stockCount", (json_int_t)o->stock_count);
    set_str(j, "subcategoryLabel", s ? s->pro_label : o->subcategory_id);
    set_str(j, "categoryLabel", c ? c->pro_label : NULL);
    return j;
}

/*
 * The wizard's DSFR stepper while the offer is a draft: events go through Informations,
 * Tarifs, Dates, Récapitulatif; things through Informations, Stock et prix, Récapitulatif.
 * @step is 1-based; NULL (no stepper) once the offer is published.
 */
static json_t *stepper(bool event, bool draft, int step)
{
    if (!draft)
        return json_null();
    static const char *const ev[] = {"Informations", "Tarifs", "Dates",
                                     "Récapitulatif et publication"};
    static const char *const th[] = {"Informations", "Stock et prix",
                                     "Récapitulatif et publication"};
    const char *const *names = event ? ev : th;
    int total = event ? 4 : 3;
    json_t *j = json_pack("{s:i, s:i, s:s}", "current", step, "total", total, "title",
                          names[step - 1]);
    if (step < total)
        json_object_set_new(j, "next", json_string(names[step]));
    return j;
}

/* ------------------------------------------------------------------------------------------ */
/* GET /offres                                                                                */

void pp_web_offers(struct pp_req *req)
{
    struct pp_db *db = pp_req_db(req);
    struct pp_venue *venues;
    size_t nv;
    if (failed(req, my_venues(req, &venues, &nv)))
        return;
    int64_t venue_id = field_id(req, "lieu");
    const char *status = pp_req_query(req, "statut");
    if (status != NULL && (*status == '\0' || strcmp(statuses[status_index(status)].code,
                                                     status) != 0))
        status = NULL; /* "Tous les statuts", or an unknown code: no filter */
    if (venue_id != 0 && pp_authz_venue(db, &req->user, venue_id, NULL) != PP_OK) {
        pp_web_page_error(req, 404, NULL);
        return;
    }
    struct pp_offer *offers;
    size_t n;
    if (failed(req, pp_offer_list(db, req->arena, req->user.id, venue_id, status, &offers, &n)))
        return;
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, offer_json(&offers[i]));
    json_t *jstatuses = json_array();
    for (size_t i = 0; i < STATUS_COUNT; i++)
        json_array_append_new(jstatuses,
                              json_pack("{s:s, s:s, s:b}", "code", statuses[i].code, "label",
                                        statuses[i].label,
                                        "selected", status && strcmp(status, statuses[i].code) == 0));
    pp_web_render(req, 200, "offer_list.html", "Offres",
                  json_pack("{s:o, s:o, s:o, s:b, s:b}", "offers", list, "venues",
                            venue_options(venues, nv, venue_id), "statuses", jstatuses,
                            "filtered", venue_id != 0 || status != NULL, "hasVenues", nv > 0));
}

/* ------------------------------------------------------------------------------------------ */
/* Step 1: audience, venue, subcategory, details (/offres/creation, /offres/{id}/edition)    */

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

/* Museum first when the chosen venue is a museum; with no choice yet, when any venue is one. */
static bool museum_first(const struct pp_venue *v, size_t n, int64_t chosen)
{
    bool any = false;
    for (size_t i = 0; i < n; i++) {
        bool museum = v[i].venue_type && strcmp(v[i].venue_type, "MUSEUM") == 0;
        if (v[i].id == chosen)
            return museum;
        any = any || museum;
    }
    return any;
}

/*
 * The details form, new (@o NULL) or editing offer @o. @values are the typed values (stolen),
 * @errors the field errors (stolen, may be NULL).
 */
static void details_page(struct pp_req *req, int status, const struct pp_offer *o,
                         json_t *values, json_t *errors)
{
    struct pp_venue *venues = NULL;
    size_t nv = 0;
    if (o == NULL && my_venues(req, &venues, &nv) != PP_OK) {
        json_decref(values);
        json_decref(errors);
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
    bool sub_editable = o == NULL || (strcmp(o->validation, "DRAFT") == 0 && o->stock_count == 0);
    json_t *data = json_pack("{s:o, s:o, s:o, s:b, s:b}", "values", values, "errors",
                             errors ? errors : json_object(), "venues",
                             venue_options(venues, nv, venue_id), "hasVenues", o != NULL || nv > 0,
                             "subcategoryEditable", sub_editable);
    if (sub_editable) {
        bool first;
        if (o != NULL) {
            struct pp_venue v;
            first = pp_venue_get(pp_req_db(req), req->arena, o->venue_id, &v) == PP_OK &&
                    v.venue_type && strcmp(v.venue_type, "MUSEUM") == 0;
        } else {
            first = museum_first(venues, nv, venue_id);
        }
        json_object_set_new(data, "groups", subcategory_groups(sub, first));
    }
    if (o != NULL) {
        json_object_set_new(data, "offer", offer_json(o));
        json_object_set_new(data, "stepper", stepper(is_event(o), strcmp(o->validation,
                                                                         "DRAFT") == 0, 1));
    } else {
        json_object_set_new(data, "stepper", stepper(true, true, 1));
        json_object_set_new(data, "creating", json_true());
    }
    pp_web_render(req, status, "offer_details.html",
                  o ? "Modifier les informations de l'offre" : "Créer une offre", data);
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
        set_str(values, text[i], v[i]);
    }
    in->name = v[0];
    in->description = v[1];
    in->subcategory_id = v[2];
    in->url = v[3];
    in->booking_email = v[4];
    in->withdrawal_details = v[5];
    in->is_duo = checked(req, "isDuo");
    json_object_set_new(values, "isDuo", json_boolean(in->is_duo));

    /* Accessibility: at least one box; "Non accessible" alone, or any of the four. Left "not
     * given" (-1) otherwise, so that the domain reports it with the other fields. */
    static const char *const boxes[] = {"accessAudio", "accessMental", "accessMotor",
                                        "accessVisual", "accessNone"};
    bool b[5], any = false;
    for (size_t i = 0; i < 5; i++) {
        b[i] = checked(req, boxes[i]);
        json_object_set_new(values, boxes[i], json_boolean(b[i]));
        any = any || (i < 4 && b[i]);
    }
    *contradiction = any && b[4];
    if ((any || b[4]) && !*contradiction) {
        in->audio_disability = b[0];
        in->mental_disability = b[1];
        in->motor_disability = b[2];
        in->visual_disability = b[3];
    }
}

/* Field errors of @e for the details form: the four accessibility flags become one. */
static json_t *details_errors(const struct pp_error *e, bool contradiction)
{
    json_t *errors = pp_web_errors(e);
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
    int64_t venue_id = field_id(req, "lieu");
    json_t *values = json_pack("{s:s, s:I}", "audience", "public", "venueId",
                               (json_int_t)venue_id);
    details_page(req, 200, NULL, values, NULL);
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
    json_t *values = json_pack("{s:s}", "audience", "public");
    bool contradiction;
    read_details(req, &in, values, &contradiction);
    in.venue_id = field_id(req, "venueId");
    json_object_set_new(values, "venueId", json_integer(in.venue_id));
    enum pp_err rc;
    int64_t id = 0;
    if (in.venue_id == 0) {
        /* The domain validates only with a venue (no pp_offer_validate yet): the fields that
         * are plainly missing are reported here, so that the form shows them all at once. */
        rc = pp_error_set(&e, PP_EVALIDATION, "venueId", "Veuillez choisir un lieu.");
        if (in.subcategory_id == NULL)
            pp_error_set(&e, PP_EVALIDATION, "subcategoryId",
                         "Veuillez choisir une sous-catégorie de la liste.");
        if (in.name == NULL)
            pp_error_set(&e, PP_EVALIDATION, "name", "Veuillez renseigner le titre de l'offre.");
        if (in.audio_disability < 0)
            pp_error_set(&e, PP_EVALIDATION, "audioDisabilityCompliant", "");
    } else if (pp_authz_venue(db, &req->user, in.venue_id, NULL) != PP_OK) {
        json_decref(values);
        pp_web_page_error(req, 404, NULL);
        return;
    } else {
        rc = pp_offer_create(db, req->arena, &in, &id, &e);
    }
    if (rc == PP_EDB || rc == PP_EINTERNAL) {
        json_decref(values);
        pp_web_page_error(req, 500, NULL);
        return;
    }
    if (rc != PP_OK) {
        details_page(req, pp_err_status(rc), NULL, values, details_errors(&e, contradiction));
        return;
    }
    json_decref(values);
    pp_res_redirect(req, next_step(req, id, in.subcategory_id));
}

/* The stored offer as form values. */
static json_t *offer_values(const struct pp_offer *o)
{
    bool none = !o->audio_disability && !o->mental_disability && !o->motor_disability &&
                !o->visual_disability;
    json_t *v = json_pack("{s:I, s:b, s:b, s:b, s:b, s:b, s:b}", "venueId",
                          (json_int_t)o->venue_id, "isDuo", o->is_duo != 0, "accessAudio",
                          o->audio_disability != 0, "accessMental", o->mental_disability != 0,
                          "accessMotor", o->motor_disability != 0, "accessVisual",
                          o->visual_disability != 0, "accessNone", none);
    set_str(v, "name", o->name);
    set_str(v, "description", o->description);
    set_str(v, "subcategoryId", o->subcategory_id);
    set_str(v, "url", o->url);
    set_str(v, "bookingEmail", o->booking_email);
    set_str(v, "withdrawalDetails", o->withdrawal_details);
    return v;
}

void pp_web_offer_edit_form(struct pp_req *req)
{
    struct pp_offer o;
    if (!load_offer(req, &o))
        return;
    if (!is_editable(&o)) {
        pp_res_redirect(req, offer_path(req, &o, ""));
        return;
    }
    details_page(req, 200, &o, offer_values(&o), NULL);
}

void pp_web_offer_edit(struct pp_req *req)
{
    struct pp_offer o;
    if (!load_offer(req, &o))
        return;
    struct pp_error e;
    pp_error_init(&e);
    struct pp_offer_input in;
    json_t *values = json_object();
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
    if (strcmp(o.validation, "DRAFT") != 0 || o.stock_count > 0)
        in.subcategory_id = NULL; /* not editable any more: the form does not show it */
    enum pp_err rc = pp_offer_update(pp_req_db(req), req->arena, o.id, &in, &e);
    if (rc == PP_EDB || rc == PP_EINTERNAL || rc == PP_ENOTFOUND) {
        json_decref(values);
        pp_web_page_error(req, pp_err_status(rc), NULL);
        return;
    }
    if (rc != PP_OK) {
        json_object_set_new(values, "venueId", json_integer(o.venue_id));
        if (in.subcategory_id == NULL)
            set_str(values, "subcategoryId", o.subcategory_id);
        details_page(req, pp_err_status(rc), &o, values, details_errors(&e, contradiction));
        return;
    }
    json_decref(values);
    pp_res_redirect(req, strcmp(o.validation, "DRAFT") == 0
                             ? next_step(req, o.id, in.subcategory_id ? in.subcategory_id
                                                                      : o.subcategory_id)
                             : offer_path(req, &o, "?info=modifiee"));
}

/* ------------------------------------------------------------------------------------------ */
/* Step 2 (events): tariffs                                                                   */

static const char *const default_labels[] = {"Plus de 18 ans", "Moins de 18 ans",
                                              "Personne en situation de handicap",
                                              "Tarif unique"};

static void tariffs_page(struct pp_req *req, int status, const struct pp_offer *o,
                         json_t *values, const struct pp_error *e)
{
    struct pp_db *db = pp_req_db(req);
    struct pp_price_category *pcs;
    size_t npc, nl;
    const char **labels;
    enum pp_err rc = pp_price_category_list(db, req->arena, o->id, &pcs, &npc);
    if (rc == PP_OK)
        rc = pp_price_category_venue_labels(db, req->arena, o->venue_id, &labels, &nl);
    if (rc != PP_OK) {
        json_decref(values);
        pp_web_page_error(req, 500, NULL);
        return;
    }
    json_t *list = json_array();
    for (size_t i = 0; i < npc; i++)
        json_array_append_new(list, json_pack("{s:s, s:s}", "label", pcs[i].label, "price",
                                              money(req, pcs[i].price_cents)));
    /* Suggestions: the venue's own labels first, then the usual ones, each once. */
    json_t *suggestions = json_array();
    json_t *seen = json_object();
    for (size_t i = 0; i < nl + 4; i++) {
        const char *l = i < nl ? labels[i] : default_labels[i - nl];
        if (json_object_get(seen, l) == NULL) {
            json_object_set_new(seen, l, json_true());
            json_array_append_new(suggestions, json_string(l));
        }
    }
    json_decref(seen);
    json_t *errors = pp_web_errors(e);
    rename_error(errors, "priceCents", "price");
    const char *added = pp_req_query(req, "ajout");
    pp_web_render(req, status, "offer_tariffs.html", "Tarifs de l'offre",
                  json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:b}", "offer", offer_json(o),
                            "tariffs", list, "suggestions", suggestions, "values",
                            values ? values : json_object(), "errors", errors, "stepper",
                            stepper(true, strcmp(o->validation, "DRAFT") == 0, 2), "added",
                            added != NULL && status == 200));
}

/* Tariffs and dates belong to events; a thing's offer goes to its stock page instead. */
static bool event_offer(struct pp_req *req, struct pp_offer *o)
{
    if (!load_offer(req, o))
        return false;
    if (!is_event(o)) {
        pp_res_redirect(req, offer_path(req, o, "/stock"));
        return false;
    }
    return true;
}

void pp_web_offer_tariffs(struct pp_req *req)
{
    struct pp_offer o;
    if (event_offer(req, &o))
        tariffs_page(req, 200, &o, NULL, NULL);
}

void pp_web_offer_tariff_add(struct pp_req *req)
{
    struct pp_offer o;
    if (!event_offer(req, &o))
        return;
    const char *label = pp_web_field(req, "label");
    const char *price = pp_web_field(req, "price");
    bool free_ = checked(req, "free");
    json_t *values = json_pack("{s:s?, s:s?, s:b}", "label", label, "price", price, "free", free_);
    struct pp_error e;
    pp_error_init(&e);
    int64_t cents = free_ ? 0 : parse_euros(price);
    if (!free_ && price == NULL)
        pp_error_set(&e, PP_EVALIDATION, "price", "Veuillez indiquer un prix ou cocher « Gratuit ».");
    else if (cents < 0)
        pp_error_set(&e, PP_EVALIDATION, "price",
                     "Le prix doit être un montant en euros, par exemple 8 ou 8,50.");
    struct pp_db *db = pp_req_db(req);
    int64_t pc_id;
    enum pp_err rc = e.count ? PP_EVALIDATION : pp_offer_check_editable(db, o.id, &e);
    if (rc == PP_OK)
        rc = pp_price_category_create(db, o.id, label, cents, &pc_id, &e);
    if (rc == PP_EDB || rc == PP_EINTERNAL) {
        json_decref(values);
        pp_web_page_error(req, 500, NULL);
        return;
    }
    if (rc != PP_OK) {
        tariffs_page(req, pp_err_status(rc), &o, values, &e);
        return;
    }
    json_decref(values);
    pp_res_redirect(req, offer_path(req, &o, "/tarifs?ajout=1"));
}

/* ------------------------------------------------------------------------------------------ */
/* Step 3 (events): dates                                                                     */

static const char *const weekday_labels[] = {"", "Lundi", "Mardi", "Mercredi", "Jeudi",
                                             "Vendredi", "Samedi", "Dimanche"};

enum mode { MODE_FREE, MODE_SLOTS, MODE_SINGLE };
static const char *const mode_codes[] = {"libre", "creneaux", "unique"};

static enum mode mode_of(const char *s)
{
    for (int m = MODE_FREE; m <= MODE_SINGLE; m++)
        if (s != NULL && strcmp(s, mode_codes[m]) == 0)
            return (enum mode)m;
    return MODE_FREE;
}

/* The tiles that choose a preset; links, so that they work without JavaScript. */
static json_t *mode_tiles(enum mode current)
{
    static const char *const titles[] = {"Entrées libres", "Créneaux horodatés", "Date unique"};
    static const char *const descs[] = {
        "Une date par jour d'ouverture, avec une jauge par jour : idéal pour une exposition.",
        "Des créneaux à heure fixe chaque jour (visites guidées, ateliers), avec une jauge par "
        "créneau.",
        "Un seul évènement à une date et une heure précises : conférence, concert, vernissage."};
    json_t *list = json_array();
    for (int m = MODE_FREE; m <= MODE_SINGLE; m++)
        json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:b}", "code", mode_codes[m],
                                              "title", titles[m], "desc", descs[m], "selected",
                                              m == (int)current));
    return list;
}

/* Today in @zone as "YYYY-MM-DD". */
static const char *today(struct pp_req *req, const char *zone)
{
    struct pp_local l;
    pp_tz_to_local(zone, pp_clock_now(), &l);
    return pp_arena_printf(req->arena, "%04d-%02d-%02d", l.year, l.month, l.day);
}

/* Existing dates grouped by local day (the venue's zone), at most DATES_SHOWN of them. */
static json_t *dates_by_day(struct pp_req *req, const struct pp_stock *s, size_t n,
                            const char *zone)
{
    json_t *days = json_array(), *cur = NULL;
    int cur_key = -1;
    for (size_t i = 0; i < n && i < DATES_SHOWN; i++) {
        struct pp_local l;
        pp_tz_to_local(zone, s[i].beginning_at, &l);
        int key = l.year * 10000 + l.month * 100 + l.day;
        if (key != cur_key) {
            cur = json_array();
            json_array_append_new(days, json_pack("{s:s, s:o}", "label", day_fr(req, &l),
                                                  "stocks", cur));
            cur_key = key;
        }
        json_t *js = json_pack("{s:I, s:s, s:s, s:s, s:I}", "stockId", (json_int_t)s[i].id,
                               "time", pp_arena_printf(req->arena, "%02d:%02d", l.hour, l.minute),
                               "price", money(req, s[i].price_cents), "quantity",
                               quantity_label(req, s[i].quantity), "booked",
                               (json_int_t)s[i].booked);
        set_str(js, "tariff", s[i].price_category_label);
        json_array_append_new(cur, js);
    }
    return days;
}

static json_t *weekday_boxes(const bool days[8])
{
    json_t *list = json_array();
    for (int d = 1; d <= 7; d++)
        json_array_append_new(list, json_pack("{s:i, s:s, s:b}", "n", d, "label",
                                              weekday_labels[d], "checked", days[d]));
    return list;
}

static json_t *interval_options(int selected)
{
    static const int minutes[] = {15, 30, 60};
    json_t *list = json_array();
    for (size_t i = 0; i < 3; i++)
        json_array_append_new(list, json_pack("{s:i, s:s, s:b}", "value", minutes[i], "label",
                                              minutes[i] == 60 ? "Toutes les heures"
                                              : minutes[i] == 30 ? "Toutes les 30 minutes"
                                                                 : "Toutes les 15 minutes",
                                              "selected", minutes[i] == selected));
    return list;
}

/* What the dates form shows; filled from the defaults (GET) or from the post. */
struct dates_form {
    enum mode mode;
    json_t *values;        /* typed text values */
    bool days[8];
    int interval;
    const int64_t *pcs;    /* checked tariffs; NULL: all of them (first visit) */
    size_t npcs;
};

static void dates_page(struct pp_req *req, int status, const struct pp_offer *o,
                       struct dates_form *f, const struct pp_error *e)
{
    struct pp_db *db = pp_req_db(req);
    struct pp_price_category *pcs;
    struct pp_stock *stocks;
    struct pp_venue v;
    size_t npc, ns;
    enum pp_err rc = pp_price_category_list(db, req->arena, o->id, &pcs, &npc);
    if (rc == PP_OK)
        rc = pp_stock_list(db, req->arena, o->id, &stocks, &ns);
    if (rc == PP_OK)
        rc = pp_venue_get(db, req->arena, o->venue_id, &v);
    if (rc != PP_OK) {
        json_decref(f->values);
        pp_web_page_error(req, 500, NULL);
        return;
    }
    json_t *tariffs = json_array();
    for (size_t i = 0; i < npc; i++) {
        bool on = f->pcs == NULL;
        for (size_t k = 0; !on && k < f->npcs; k++)
            on = f->pcs[k] == pcs[i].id;
        json_array_append_new(tariffs, json_pack("{s:I, s:s, s:s, s:b}", "id",
                                                 (json_int_t)pcs[i].id, "label", pcs[i].label,
                                                 "price", money(req, pcs[i].price_cents),
                                                 "checked", on));
    }
    json_t *errors = pp_web_errors(e);
    rename_error(errors, "times", f->mode == MODE_SLOTS ? "firstTime" : "time");
    rename_error(errors, "beginningDatetime", "date");
    rename_error(errors, "priceCategoryId", "priceCategoryIds");
    rename_error(errors, "bookingLimitHoursBefore", "limitHours");
    rename_error(errors, "bookingLimitDatetime", "limitHours");

    const char *created = pp_req_query(req, "creees");
    const char *deleted = pp_req_query(req, "supprimee");
    json_t *data = json_pack(
        "{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:I, s:b, s:s, s:s}", "offer",
        offer_json(o), "tiles", mode_tiles(f->mode), "values", f->values, "errors", errors,
        "weekdays", weekday_boxes(f->days), "intervals", interval_options(f->interval),
        "tariffs", tariffs, "days", dates_by_day(req, stocks, ns, v.timezone), "stepper",
        stepper(true, strcmp(o->validation, "DRAFT") == 0, 3), "count", (json_int_t)ns,
        "deleted", deleted != NULL && status == 200, "mode", mode_codes[f->mode], "timezone",
        v.timezone);
    json_object_set_new(data, mode_codes[f->mode], json_true());
    if (ns > DATES_SHOWN)
        json_object_set_new(data, "more", json_integer((json_int_t)(ns - DATES_SHOWN)));
    if (created != NULL && status == 200) {
        long long c = strtoll(created, NULL, 10);
        json_object_set_new(
            data, "created",
            json_string(c == 0 ? "Aucune nouvelle date : elles existaient déjà ou sont passées."
                        : c == 1 ? "1 date a été créée."
                                 : pp_arena_printf(req->arena, "%lld dates ont été créées.", c)));
        json_object_set_new(data, "createdNone", json_boolean(c == 0));
    }
    pp_web_render(req, status, "offer_dates.html", "Dates de l'offre", data);
}

void pp_web_offer_dates(struct pp_req *req)
{
    struct pp_offer o;
    if (!event_offer(req, &o))
        return;
    struct pp_venue v;
    if (failed(req, pp_venue_get(pp_req_db(req), req->arena, o.venue_id, &v)))
        return;
    struct dates_form f = {.mode = mode_of(pp_req_query(req, "mode")), .interval = 30,
                           .days = {false, false, true, true, true, true, true, true}};
    f.values = json_pack("{s:s, s:s, s:s, s:s}", "startDate", today(req, v.timezone), "time",
                         "10:00", "firstTime", "10:00", "lastTime", "17:00");
    if (f.mode == MODE_SINGLE)
        json_object_set_new(f.values, "time", json_string("20:00"));
    dates_page(req, 200, &o, &f, NULL);
}

/* Every value of a repeated form field (checkboxes sharing a name). */
static size_t form_ids(struct pp_req *req, const char *key, int64_t **out)
{
    size_t n = 0, cap = 0;
    int64_t *ids = NULL;
    for (struct pp_kv *kv = req->form; kv != NULL; kv = kv->next) {
        char *end;
        long long v = strtoll(kv->value, &end, 10);
        if (strcmp(kv->key, key) != 0 || *end != '\0' || v <= 0)
            continue;
        ids = pp_arena_grow(req->arena, ids, n, &cap, sizeof *ids);
        ids[n++] = v;
    }
    *out = ids;
    return n;
}

/* Capacity: a number of places, or "Illimité" ticked; exactly one of the two. */
static int64_t read_quantity(struct pp_req *req, json_t *values, struct pp_error *e)
{
    const char *q = pp_web_field(req, "quantity");
    bool unlimited = checked(req, "unlimited");
    set_str(values, "quantity", q);
    json_object_set_new(values, "unlimited", json_boolean(unlimited));
    if (unlimited && q != NULL) {
        pp_error_set(e, PP_EVALIDATION, "quantity",
                     "Indiquez un nombre de places ou cochez « Illimité », pas les deux.");
        return -2;
    }
    if (unlimited)
        return PP_UNLIMITED;
    int64_t n = parse_count(q, PP_QUANTITY_MAX);
    if (n < 0)
        pp_error_set(e, PP_EVALIDATION, "quantity",
                     q == NULL ? "Indiquez un nombre de places ou cochez « Illimité »."
                               : "Le nombre de places doit être un nombre entier entre 0 et "
                                 "1 000 000.");
    return n < 0 ? -2 : n;
}

/* Booking limit in hours before the start; -1 when left blank. */
static int64_t read_limit_hours(struct pp_req *req, json_t *values, struct pp_error *e)
{
    const char *h = pp_web_field(req, "limitHours");
    set_str(values, "limitHours", h);
    if (h == NULL)
        return -1;
    int64_t n = parse_count(h, LIMIT_HOURS_MAX);
    if (n < 0)
        pp_error_set(e, PP_EVALIDATION, "limitHours",
                     "Le délai doit être un nombre entier d'heures, entre 0 et 8 760.");
    return n;
}

static void read_day(struct pp_req *req, const char *key, json_t *values, int *y, int *m, int *d,
                     const char *message, struct pp_error *e)
{
    const char *s = pp_web_field(req, key);
    set_str(values, key, s);
    if (!parse_day(s, y, m, d))
        pp_error_set(e, PP_EVALIDATION, key, message);
}

static int read_time(struct pp_req *req, const char *key, json_t *values, const char *message,
                     struct pp_error *e)
{
    const char *s = pp_web_field(req, key);
    set_str(values, key, s);
    int t = parse_hhmm(s);
    if (t < 0)
        pp_error_set(e, PP_EVALIDATION, key, message);
    return t;
}

/* One date and time: one stock per checked tariff (pp_stock_create). */
static enum pp_err add_single(struct pp_req *req, const struct pp_offer *o, struct dates_form *f,
                              int64_t quantity, int64_t limit_hours, int64_t *created,
                              struct pp_error *e)
{
    int y = 0, m = 0, d = 0;
    read_day(req, "date", f->values, &y, &m, &d, "Indiquez une date valide (JJ/MM/AAAA).", e);
    int t = read_time(req, "time", f->values, "Indiquez une heure valide (HH:MM).", e);
    if (f->npcs == 0)
        pp_error_set(e, PP_EVALIDATION, "priceCategoryIds", "Choisissez au moins un tarif.");
    if (e->count > 0)
        return PP_EVALIDATION;
    struct pp_db *db = pp_req_db(req);
    struct pp_venue v;
    int64_t start;
    enum pp_err rc = pp_venue_get(db, req->arena, o->venue_id, &v);
    if (rc != PP_OK)
        return rc;
    if (!pp_tz_from_local(v.timezone, y, m, d, t / 60, t % 60, &start))
        return pp_error_set(e, PP_EVALIDATION, "date", "Indiquez une date valide (JJ/MM/AAAA).");
    if (start <= pp_clock_now())
        return pp_error_set(e, PP_EVALIDATION, "date", "La date de l'évènement doit être dans "
                                                       "le futur.");
    /* The same start for several tariffs: one stock each; a tariff already at that start is
     * skipped, like the recurrence does, and only when all were there is it an error. */
    struct pp_error duplicate;
    pp_error_init(&duplicate);
    for (size_t i = 0; i < f->npcs; i++) {
        struct pp_stock_input in;
        pp_stock_input_init(&in);
        in.price_category_id = f->pcs[i];
        in.beginning_at = start;
        in.quantity = quantity;
        if (limit_hours >= 0)
            in.booking_limit_at = start - limit_hours * 3600;
        struct pp_error one;
        pp_error_init(&one);
        int64_t id;
        rc = pp_stock_create(db, o->id, &in, &id, &one);
        if (rc == PP_OK) {
            (*created)++;
        } else if (rc == PP_ECONFLICT && one.count > 0 &&
                   strcmp(one.items[0].field, "beginningDatetime") == 0) {
            duplicate = one;
        } else {
            *e = one;
            return rc;
        }
    }
    if (*created == 0 && duplicate.count > 0) {
        *e = duplicate;
        return PP_ECONFLICT;
    }
    return PP_OK;
}

/* A recurrence: "Entrées libres" (one time a day) or "Créneaux horodatés" (a slot every N min). */
static enum pp_err add_recurrence(struct pp_req *req, const struct pp_offer *o,
                                  struct dates_form *f, int64_t quantity, int64_t limit_hours,
                                  int64_t *created, struct pp_error *e)
{
    struct pp_recurrence r = {.price_category_ids = f->pcs, .n_price_categories = f->npcs,
                              .quantity = quantity, .booking_limit_hours = limit_hours};
    read_day(req, "startDate", f->values, &r.start_year, &r.start_month, &r.start_day,
             "Indiquez une date de début valide (JJ/MM/AAAA).", e);
    read_day(req, "endDate", f->values, &r.end_year, &r.end_month, &r.end_day,
             "Indiquez une date de fin valide (JJ/MM/AAAA).", e);
    bool any = false;
    for (int d = 1; d <= 7; d++) {
        r.weekdays[d] = f->days[d];
        any = any || f->days[d];
    }
    if (!any)
        pp_error_set(e, PP_EVALIDATION, "weekdays", "Choisissez au moins un jour de la semaine.");
    int times[SLOTS_MAX];
    size_t nt = 0;
    if (f->mode == MODE_FREE) {
        int t = read_time(req, "time", f->values, "Indiquez une heure d'ouverture valide (HH:MM).",
                          e);
        if (t >= 0)
            times[nt++] = t;
    } else {
        int first = read_time(req, "firstTime", f->values,
                              "Indiquez l'heure du premier créneau (HH:MM).", e);
        int last = read_time(req, "lastTime", f->values,
                             "Indiquez l'heure du dernier créneau (HH:MM).", e);
        if (first >= 0 && last >= 0 && last < first)
            pp_error_set(e, PP_EVALIDATION, "lastTime",
                         "Le dernier créneau doit commencer après le premier.");
        else
            for (int t = first; first >= 0 && last >= 0 && t <= last && nt < SLOTS_MAX;
                 t += f->interval)
                times[nt++] = t;
    }
    r.times = times;
    r.n_times = nt;
    if (f->npcs == 0)
        pp_error_set(e, PP_EVALIDATION, "priceCategoryIds", "Choisissez au moins un tarif.");
    if (e->count > 0)
        return PP_EVALIDATION;
    return pp_stock_recurrence(pp_req_db(req), o->id, &r, created, e);
}

void pp_web_offer_dates_add(struct pp_req *req)
{
    struct pp_offer o;
    if (!event_offer(req, &o))
        return;
    struct dates_form f = {.mode = mode_of(pp_web_field(req, "mode")), .values = json_object()};
    for (int d = 1; d <= 7; d++)
        f.days[d] = checked(req, pp_arena_printf(req->arena, "day%d", d));
    int64_t *pcs;
    f.npcs = form_ids(req, "tarif", &pcs);
    f.pcs = pcs;
    const char *every = pp_web_field(req, "interval");
    f.interval = every && strcmp(every, "15") == 0 ? 15 : every && strcmp(every, "60") == 0 ? 60
                                                                                            : 30;
    struct pp_error e;
    pp_error_init(&e);
    int64_t quantity = read_quantity(req, f.values, &e);
    int64_t limit = read_limit_hours(req, f.values, &e);
    int64_t created = 0;
    enum pp_err rc = f.mode == MODE_SINGLE
                         ? add_single(req, &o, &f, quantity, limit, &created, &e)
                         : add_recurrence(req, &o, &f, quantity, limit, &created, &e);
    if (rc == PP_EDB || rc == PP_EINTERNAL || rc == PP_ENOTFOUND) {
        json_decref(f.values);
        pp_web_page_error(req, pp_err_status(rc), NULL);
        return;
    }
    if (rc != PP_OK) {
        dates_page(req, pp_err_status(rc), &o, &f, &e);
        return;
    }
    json_decref(f.values);
    pp_res_redirect(req, offer_path(req, &o,
                                    pp_arena_printf(req->arena, "/dates?mode=%s&creees=%lld",
                                                    mode_codes[f.mode], (long long)created)));
}

void pp_web_offer_date_delete(struct pp_req *req)
{
    struct pp_offer o;
    if (!event_offer(req, &o))
        return;
    struct pp_db *db = pp_req_db(req);
    int64_t stock_id = pp_req_param_id(req, 1), stock_offer = 0;
    enum pp_err rc = stock_id ? pp_authz_stock(db, &req->user, stock_id, &stock_offer)
                              : PP_ENOTFOUND;
    if (rc == PP_OK && stock_offer != o.id)
        rc = PP_ENOTFOUND;
    struct pp_error e;
    pp_error_init(&e);
    if (rc == PP_OK)
        rc = pp_stock_delete(db, req->user.id, stock_id, &e);
    if (rc == PP_EVALIDATION || rc == PP_ECONFLICT) {
        struct dates_form f = {.mode = MODE_FREE, .values = json_object(), .interval = 30};
        dates_page(req, pp_err_status(rc), &o, &f, &e);
        return;
    }
    if (failed(req, rc))
        return;
    pp_res_redirect(req, offer_path(req, &o, "/dates?supprimee=1"));
}

/* ------------------------------------------------------------------------------------------ */
/* Step 2 (things): the single stock                                                          */

static void stock_page(struct pp_req *req, int status, const struct pp_offer *o, json_t *values,
                       const struct pp_error *e)
{
    struct pp_stock *stocks;
    size_t ns;
    if (pp_stock_list(pp_req_db(req), req->arena, o->id, &stocks, &ns) != PP_OK) {
        json_decref(values);
        pp_web_page_error(req, 500, NULL);
        return;
    }
    if (values == NULL)
        values = ns == 0 ? json_object()
                         : json_pack("{s:s, s:s?, s:b, s:I}", "price",
                                     euros_field(req, stocks[0].price_cents), "quantity",
                                     stocks[0].quantity == PP_UNLIMITED
                                         ? NULL
                                         : quantity_label(req, stocks[0].quantity),
                                     "unlimited", stocks[0].quantity == PP_UNLIMITED, "booked",
                                     (json_int_t)stocks[0].booked);
    json_t *errors = pp_web_errors(e);
    rename_error(errors, "priceCents", "price");
    pp_web_render(req, status, "offer_stock.html", "Stock et prix de l'offre",
                  json_pack("{s:o, s:o, s:o, s:o, s:b}", "offer", offer_json(o), "values",
                            values, "errors", errors, "stepper",
                            stepper(false, strcmp(o->validation, "DRAFT") == 0, 2), "hasStock",
                            ns > 0));
}

static bool thing_offer(struct pp_req *req, struct pp_offer *o)
{
    if (!load_offer(req, o))
        return false;
    if (is_event(o)) {
        pp_res_redirect(req, offer_path(req, o, "/dates"));
        return false;
    }
    return true;
}

void pp_web_offer_stock(struct pp_req *req)
{
    struct pp_offer o;
    if (thing_offer(req, &o))
        stock_page(req, 200, &o, NULL, NULL);
}

void pp_web_offer_stock_save(struct pp_req *req)
{
    struct pp_offer o;
    if (!thing_offer(req, &o))
        return;
    struct pp_db *db = pp_req_db(req);
    struct pp_error e;
    pp_error_init(&e);
    const char *price = pp_web_field(req, "price");
    json_t *values = json_pack("{s:s?}", "price", price);
    struct pp_stock_input in;
    pp_stock_input_init(&in);
    in.price_cents = parse_euros(price);
    if (in.price_cents < 0)
        pp_error_set(&e, PP_EVALIDATION, "price",
                     price == NULL ? "Veuillez indiquer un prix (0 pour une offre gratuite)."
                                   : "Le prix doit être un montant en euros, par exemple 8 ou "
                                     "8,50.");
    in.quantity = read_quantity(req, values, &e);
    struct pp_stock *stocks;
    size_t ns;
    enum pp_err rc = pp_stock_list(db, req->arena, o.id, &stocks, &ns);
    if (rc == PP_OK && e.count > 0)
        rc = PP_EVALIDATION;
    int64_t id;
    if (rc == PP_OK)
        rc = ns > 0 ? pp_stock_update(db, stocks[0].id, &in, &e)
                    : pp_stock_create(db, o.id, &in, &id, &e);
    if (rc == PP_EDB || rc == PP_EINTERNAL || rc == PP_ENOTFOUND) {
        json_decref(values);
        pp_web_page_error(req, pp_err_status(rc), NULL);
        return;
    }
    if (rc != PP_OK) {
        stock_page(req, pp_err_status(rc), &o, values, &e);
        return;
    }
    json_decref(values);
    pp_res_redirect(req, offer_path(req, &o, "?info=stock"));
}

/* ------------------------------------------------------------------------------------------ */
/* Récapitulatif, publication, activation                                                     */

static const char *summary_info(const char *code)
{
    if (code == NULL)
        return NULL;
    if (strcmp(code, "APPROVED") == 0)
        return "Votre offre a été publiée";
    if (strcmp(code, "PENDING") == 0)
        return "Votre offre est en cours de validation par pass Culture";
    if (strcmp(code, "stock") == 0)
        return "Le stock a été enregistré.";
    if (strcmp(code, "modifiee") == 0)
        return "Les informations de l'offre ont été enregistrées.";
    if (strcmp(code, "desactivee") == 0)
        return "L'offre a été désactivée : elle n'est plus réservable.";
    if (strcmp(code, "activee") == 0)
        return "L'offre a été réactivée.";
    return NULL;
}

static json_t *accessibility_list(const struct pp_offer *o)
{
    json_t *l = json_array();
    if (o->audio_disability)
        json_array_append_new(l, json_string("Handicap auditif"));
    if (o->mental_disability)
        json_array_append_new(l, json_string("Handicap psychique ou cognitif"));
    if (o->motor_disability)
        json_array_append_new(l, json_string("Handicap moteur"));
    if (o->visual_disability)
        json_array_append_new(l, json_string("Handicap visuel"));
    return l;
}

static void summary_page(struct pp_req *req, int status, const struct pp_offer *o,
                         const struct pp_error *e)
{
    struct pp_db *db = pp_req_db(req);
    struct pp_price_category *pcs;
    struct pp_stock *stocks;
    struct pp_venue v;
    size_t npc, ns;
    enum pp_err rc = pp_price_category_list(db, req->arena, o->id, &pcs, &npc);
    if (rc == PP_OK)
        rc = pp_stock_list(db, req->arena, o->id, &stocks, &ns);
    if (rc == PP_OK)
        rc = pp_venue_get(db, req->arena, o->venue_id, &v);
    if (failed(req, rc))
        return;
    bool event = is_event(o);
    json_t *j = offer_json(o);
    set_str(j, "description", o->description && *o->description ? o->description : NULL);
    set_str(j, "url", o->url);
    set_str(j, "bookingEmail", o->booking_email);
    set_str(j, "withdrawalDetails",
            o->withdrawal_details && *o->withdrawal_details ? o->withdrawal_details : NULL);
    json_object_set_new(j, "isDuo", json_boolean(o->is_duo));
    json_object_set_new(j, "accessibility", accessibility_list(o));

    json_t *tariffs = json_array();
    for (size_t i = 0; i < npc; i++)
        json_array_append_new(tariffs, json_pack("{s:s, s:s}", "label", pcs[i].label, "price",
                                                 money(req, pcs[i].price_cents)));
    /* The first slots (one start, its tariffs side by side), and how many there are. */
    json_t *first = json_array(), *slot = NULL;
    int64_t slots = 0, last = -1;
    for (size_t i = 0; event && i < ns; i++) {
        const struct pp_stock *st = &stocks[i];
        if (st->beginning_at != last) {
            last = st->beginning_at;
            slot = NULL;
            if (++slots <= SUMMARY_DATES) {
                struct pp_local l;
                pp_tz_to_local(v.timezone, st->beginning_at, &l);
                slot = json_pack("{s:s, s:s, s:s}", "when",
                                 pp_arena_printf(req->arena, "%s à %02d:%02d", day_fr(req, &l),
                                                 l.hour, l.minute),
                                 "tariffs", "", "places",
                                 pp_arena_printf(req->arena, "%s par tarif",
                                                 places_label(req, st->quantity)));
                json_array_append_new(first, slot);
            }
        } else if (slot != NULL && st->quantity != stocks[i - 1].quantity) {
            json_object_set_new(slot, "places", json_string("jauge selon le tarif"));
        }
        if (slot != NULL) {
            const char *before = json_string_value(json_object_get(slot, "tariffs"));
            json_object_set_new(
                slot, "tariffs",
                json_string(pp_arena_printf(req->arena, "%s%s%s (%s)", before,
                                            *before ? ", " : "",
                                            st->price_category_label ? st->price_category_label
                                                                     : "Tarif",
                                            money(req, st->price_cents))));
        }
    }
    json_t *data = json_pack("{s:o, s:o, s:o, s:I, s:I, s:o, s:o}", "offer", j, "tariffs",
                             tariffs, "firstDates", first, "stockCount", (json_int_t)ns,
                             "slotCount", (json_int_t)slots, "errors", pp_web_errors(e),
                             "stepper", stepper(event, strcmp(o->validation, "DRAFT") == 0,
                                                event ? 4 : 3));
    if (slots > SUMMARY_DATES)
        json_object_set_new(data, "moreDates", json_integer((json_int_t)(slots - SUMMARY_DATES)));
    if (!event && ns > 0)
        json_object_set_new(
            data, "stock",
            json_pack("{s:s, s:s, s:I}", "price", money(req, stocks[0].price_cents), "quantity",
                      quantity_label(req, stocks[0].quantity), "booked",
                      (json_int_t)stocks[0].booked));
    const char *info = status == 200 ? summary_info(pp_req_query(req, "info")) : NULL;
    set_str(data, "info", info);
    pp_web_render(req, status, "offer_summary.html", o->name, data);
}

void pp_web_offer_page(struct pp_req *req)
{
    struct pp_offer o;
    if (load_offer(req, &o))
        summary_page(req, 200, &o, NULL);
}

void pp_web_offer_publish(struct pp_req *req)
{
    struct pp_offer o;
    if (!load_offer(req, &o))
        return;
    struct pp_error e;
    pp_error_init(&e);
    const char *status;
    enum pp_err rc = pp_offer_publish(pp_req_db(req), req->user.id, o.id, &status, &e);
    if (rc == PP_EVALIDATION || rc == PP_ECONFLICT) {
        summary_page(req, pp_err_status(rc), &o, &e);
        return;
    }
    if (failed(req, rc))
        return;
    pp_res_redirect(req, offer_path(req, &o, pp_arena_printf(req->arena, "?info=%s", status)));
}

void pp_web_offer_activation(struct pp_req *req)
{
    struct pp_offer o;
    if (!load_offer(req, &o))
        return;
    const char *v = pp_web_field(req, "isActive");
    struct pp_offer_input in;
    pp_offer_input_init(&in);
    in.is_active = v != NULL && strcmp(v, "1") == 0;
    struct pp_error e;
    pp_error_init(&e);
    enum pp_err rc = strcmp(o.validation, "APPROVED") == 0
                         ? pp_offer_update(pp_req_db(req), req->arena, o.id, &in, &e)
                         : pp_error_set(&e, PP_ECONFLICT, "global",
                                        "Seule une offre publiée peut être désactivée ou "
                                        "réactivée.");
    if (rc == PP_EVALIDATION || rc == PP_ECONFLICT) {
        summary_page(req, pp_err_status(rc), &o, &e);
        return;
    }
    if (failed(req, rc))
        return;
    pp_res_redirect(req, offer_path(req, &o, in.is_active ? "?info=activee" : "?info=desactivee"));
}
