/* What every portal page shows the same way (view.h). */
#include <stddef.h>
#include <string.h>

#include "core/categories.h"
#include "core/input.h"
#include "core/money.h"
#include "core/table.h"
#include "core/tz.h"
#include "core/utf8.h"
#include "domain/offerer.h"
#include "domain/offer.h"
#include "domain/venue.h"
#include "web/view.h"
#include "web/web.h"

void pp_view_set_str(json_t *o, const char *key, const char *v)
{
    json_object_set_new(o, key, v ? json_string(v) : json_null());
}

bool pp_view_failed(struct pp_req *req, enum pp_err rc)
{
    if (rc == PP_OK)
        return false;
    pp_web_page_error(req, pp_err_status(rc), NULL);
    return true;
}

bool pp_view_fatal(struct pp_req *req, enum pp_err rc)
{
    if (rc != PP_EDB && rc != PP_EINTERNAL)
        return false;
    pp_web_page_error(req, 500, NULL);
    return true;
}

void pp_view_done(struct pp_req *req, enum pp_err rc, const char *conflict, const char *location)
{
    if (rc == PP_ECONFLICT && conflict != NULL)
        pp_web_page_error(req, 409, conflict);
    else if (!pp_view_failed(req, rc))
        pp_res_redirect(req, location);
}

json_t *pp_view_ref(json_t *j)
{
    return j != NULL ? json_incref(j) : json_object();
}

bool pp_view_checked(struct pp_req *req, const char *key)
{
    return pp_req_form(req, key) != NULL;
}

size_t pp_view_form_all(struct pp_req *req, const char *key, const char **out, size_t max)
{
    size_t n = 0;
    for (struct pp_kv *kv = req->form; kv != NULL && n < max; kv = kv->next)
        if (strcmp(kv->key, key) == 0)
            out[n++] = kv->value;
    return n;
}

int64_t pp_view_structure(struct pp_req *req, const char **name, json_t **list, enum pp_err *rc)
{
    struct pp_offerer *o = NULL;
    size_t n = 0;
    *rc = pp_offerer_list_for_account(pp_req_db(req), req->arena, req->user.id, &o, &n);
    int64_t wanted = pp_view_field_id(req, "structure"), id = 0;
    for (size_t i = 0; i < n && id == 0; i++)
        if (o[i].attachment_status_code == PP_VALIDATION_VALIDATED &&
            (wanted == 0 || o[i].id == wanted)) {
            id = o[i].id;
            *name = o[i].name;
        }
    if (*rc == PP_OK && wanted != 0 && id == 0)
        *rc = PP_ENOTFOUND;
    *list = pp_req_own(req, json_array());
    for (size_t i = 0; i < n; i++)
        if (o[i].attachment_status_code == PP_VALIDATION_VALIDATED)
            json_array_append_new(*list, json_pack("{s:I, s:s, s:b}", "id", (json_int_t)o[i].id,
                                                   "name", o[i].name, "selected", o[i].id == id));
    return id;
}

int64_t pp_view_field_id(struct pp_req *req, const char *key)
{
    const char *s = pp_web_field(req, key);
    return pp_input_id(s != NULL ? s : pp_req_query(req, key));
}

json_t *pp_view_errors_or(const struct pp_error *e, const char *global)
{
    json_t *errors = pp_web_errors(e);
    if (json_object_size(errors) == 0)
        json_object_set_new(errors, "global", json_string(global));
    return errors;
}

const char *pp_view_price(struct pp_req *req, int64_t cents)
{
    char buf[PP_MONEY_LEN];
    pp_money_format_price(cents, buf);
    return pp_arena_strdup(req->arena, buf);
}

const char *pp_view_amount(struct pp_req *req, int64_t cents)
{
    char buf[PP_MONEY_LEN];
    pp_money_format(cents, buf);
    return pp_arena_strdup(req->arena, buf);
}

const char *pp_view_when(struct pp_req *req, const char *zone, int64_t t)
{
    char buf[24];
    pp_tz_format_fr(zone, t, buf);
    return pp_arena_strdup(req->arena, buf);
}

const char *pp_view_date(struct pp_req *req, const char *zone, int64_t t)
{
    if (t == 0)
        return NULL;
    char buf[24];
    pp_tz_format_fr(zone, t, buf); /* "DD/MM/YYYY à HH:MM": the first ten bytes */
    return pp_arena_strndup(req->arena, buf, 10);
}

static const char *const weekday_names[] = {"", "lundi", "mardi", "mercredi", "jeudi",
                                            "vendredi", "samedi", "dimanche"};
static const char *const weekday_labels[] = {"", "Lundi", "Mardi", "Mercredi", "Jeudi",
                                             "Vendredi", "Samedi", "Dimanche"};
static const char *const month_names[] = {"", "janvier", "février", "mars", "avril",
                                          "mai", "juin", "juillet", "août", "septembre",
                                          "octobre", "novembre", "décembre"};

const char *pp_view_day(struct pp_req *req, const struct pp_local *l)
{
    return pp_arena_printf(req->arena, "%s %d %s %d", weekday_names[l->weekday], l->day,
                           month_names[l->month], l->year);
}

const char *pp_view_weekday_label(int weekday)
{
    return weekday >= 1 && weekday <= 7 ? weekday_labels[weekday] : "";
}

json_t *pp_view_accessibility(const struct pp_offer *o)
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

const char *pp_view_venue_label(const struct pp_venue *v)
{
    return v->public_name && *v->public_name ? v->public_name : v->name;
}

const char *pp_view_subcategory_label(const char *id)
{
    const struct pp_subcategory *s = pp_subcategory_find(id);
    return s ? s->pro_label : id;
}

const char *pp_view_text(struct pp_arena *arena, const char *s, size_t n)
{
    /* json_stringn refuses invalid UTF-8: such bytes are never echoed back. */
    json_t *probe = json_stringn(s, n);
    if (probe == NULL)
        return NULL;
    json_decref(probe);
    char *out = pp_arena_strndup(arena, s, n);
    return strlen(out) == n && pp_utf8_is_clean(out) ? out : NULL;
}

const struct pp_view_code pp_view_offer_statuses[] = {
    {"DRAFT", "Brouillon", "fr-badge--info"},
    {"PENDING", "En instruction", "fr-badge--new"},
    {"REJECTED", "Refusée", "fr-badge--error"},
    {"ACTIVE", "Publiée", "fr-badge--success"},
    {"INACTIVE", "Désactivée", "pp-badge--neutral"},
    {"SOLD_OUT", "Épuisée", "fr-badge--warning"},
    {"EXPIRED", "Expirée", "pp-badge--neutral"},
};
const size_t pp_view_offer_status_count = PP_VIEW_COUNT(pp_view_offer_statuses);

const struct pp_view_code pp_view_booking_statuses[] = {
    {"CONFIRMED", "Réservée", "fr-badge--info"},
    {"USED", "Validée", "fr-badge--success"},
    {"CANCELLED", "Annulée", "fr-badge--error"},
    {"REIMBURSED", "Remboursée", "fr-badge--success"},
};
const size_t pp_view_booking_status_count = PP_VIEW_COUNT(pp_view_booking_statuses);

const struct pp_view_code *pp_view_code_find(const struct pp_view_code *table, size_t n,
                                             const char *code)
{
    return pp_table_find(table, n, sizeof table[0], offsetof(struct pp_view_code, code), code);
}

const struct pp_view_code *pp_view_code_of(const struct pp_view_code *table, size_t n,
                                           const char *code)
{
    const struct pp_view_code *c = pp_view_code_find(table, n, code);
    return c ? c : &table[0];
}

const char *pp_view_label(const struct pp_view_wording *table, size_t n, const char *code,
                          const char *fallback)
{
    const struct pp_view_wording *t =
        pp_table_find(table, n, sizeof table[0], offsetof(struct pp_view_wording, code), code);
    return t ? t->text : fallback;
}

json_t *pp_view_form_values(struct pp_req *req)
{
    json_t *values = pp_req_own(req, json_object());
    for (struct pp_kv *kv = req->form; kv != NULL; kv = kv->next) {
        const char *v = pp_view_text(req->arena, kv->value, strlen(kv->value));
        if (v != NULL && strcmp(kv->key, "csrf") != 0)
            json_object_set_new(values, kv->key, json_string(v));
    }
    return values;
}

json_t *pp_view_field_json(const struct pp_view_field *f, const char *value, json_t *options,
                           const json_t *errors)
{
    bool select = f->type == NULL;
    json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:b, s:b}", "name", f->name, "label", f->label,
                          "group", select ? "select" : "input", "col",
                          f->col ? f->col : "fr-col-12", "select", select, "tight", 1);
    pp_view_set_str(j, "hint", f->hint);
    pp_view_set_str(j, "any", f->any);
    pp_view_set_str(j, "type", f->type);
    json_object_set_new(j, "value", json_string(value ? value : ""));
    json_object_set_new(j, "options", options ? options : json_array());
    json_t *error = json_object_get(errors, f->name);
    if (json_is_string(error))
        json_object_set(j, "error", error);
    return j;
}

json_t *pp_view_checkbox(const char *id, const char *name, const char *value, const char *label,
                         bool checked)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:b}", "id", id, "name", name, "value", value, "label",
                     label, "checked", checked);
}

json_t *pp_view_option(const char *value, const char *text, bool selected)
{
    return json_pack("{s:s, s:s, s:b}", "value", value, "text", text, "selected", selected);
}

json_t *pp_view_fields_json(const struct pp_view_field *t, size_t n, json_t *values,
                           json_t *errors, json_t *options)
{
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *opts = json_object_get(options, t[i].name);
        json_array_append_new(
            list, pp_view_field_json(&t[i], json_string_value(json_object_get(values, t[i].name)),
                                     opts ? json_incref(opts) : NULL, errors));
    }
    return list;
}
