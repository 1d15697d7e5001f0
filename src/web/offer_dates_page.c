/*
 * Offer wizard, step 3 of an event (SPEC §4): its dates (/offres/{id}/dates). Three presets:
 * "Entrées libres" (a time a day over a period), "Créneaux horodatés" (a slot every N minutes)
 * and "Date unique"; each date gets one stock per checked tariff. A date without bookings
 * can be deleted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/input.h"
#include "core/tz.h"
#include "domain/authz.h"
#include "domain/price_category.h"
#include "domain/stock.h"
#include "web/offer_page.h"
#include "web/view.h"
#include "web/web.h"

#define DATES_SHOWN 200   /* stocks listed on the dates page */
#define SLOTS_MAX 96      /* slots of one day: every 15 minutes */
#define LIMIT_HOURS_MAX (24 * 365)

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
            json_array_append_new(days, json_pack("{s:s, s:o}", "label", pp_view_day(req, &l),
                                                  "stocks", cur));
            cur_key = key;
        }
        json_t *js = json_pack("{s:I, s:s, s:s, s:s, s:I}", "stockId", (json_int_t)s[i].id,
                               "time", pp_arena_printf(req->arena, "%02d:%02d", l.hour, l.minute),
                               "price", pp_view_price(req, s[i].price_cents), "quantity",
                               pp_offer_page_quantity(req, s[i].quantity), "booked",
                               (json_int_t)s[i].booked);
        pp_view_set_str(js, "tariff", s[i].price_category_label);
        json_array_append_new(cur, js);
    }
    return days;
}

/* The boxes "day1" (Lundi) .. "day7" (Dimanche), side by side. */
static json_t *weekday_boxes(const bool days[8])
{
    json_t *list = json_array();
    for (int d = 1; d <= 7; d++) {
        char name[16];
        snprintf(name, sizeof name, "day%d", d);
        json_t *box = pp_view_checkbox(name, name, "1", pp_view_weekday_label(d), days[d]);
        json_object_set_new(box, "inline", json_true());
        json_object_set_new(box, "small", json_true());
        json_array_append_new(list, box);
    }
    return list;
}

/* The box of tariff @t ("tarif" = its id), ticked when @on. */
static json_t *tariff_box(struct pp_req *req, const struct pp_price_category *t, bool on)
{
    char id[32], value[24];
    snprintf(value, sizeof value, "%lld", (long long)t->id);
    snprintf(id, sizeof id, "tarif%s", value);
    json_t *box = pp_view_checkbox(
        id, "tarif", value,
        pp_arena_printf(req->arena, "%s · %s", t->label, pp_view_price(req, t->price_cents)), on);
    json_object_set_new(box, "small", json_true());
    return box;
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
    json_t *values;        /* typed text values, owned by the request */
    bool days[8];
    int interval;
    const int64_t *pcs;    /* checked tariffs; NULL: all of them (first visit) */
    size_t npcs;
};

static void dates_page(struct pp_req *req, int status, const struct pp_offer *o,
                       struct dates_form *f, const struct pp_error *e)
{
    struct pp_offer_page_stocks all;
    enum pp_err rc = pp_offer_page_stocks(req, o, &all);
    if (rc != PP_OK) {
        pp_web_page_error(req, 500, NULL);
        return;
    }
    json_t *tariffs = json_array();
    for (size_t i = 0; i < all.ntariffs; i++) {
        bool on = f->pcs == NULL;
        for (size_t k = 0; !on && k < f->npcs; k++)
            on = f->pcs[k] == all.tariffs[i].id;
        json_array_append_new(tariffs, tariff_box(req, &all.tariffs[i], on));
    }
    json_t *errors = pp_web_errors(e);
    pp_offer_page_rename_error(errors, "times", f->mode == MODE_SLOTS ? "firstTime" : "time");
    pp_offer_page_rename_error(errors, "beginningDatetime", "date");
    pp_offer_page_rename_error(errors, "priceCategoryId", "priceCategoryIds");
    pp_offer_page_rename_error(errors, "bookingLimitHoursBefore", "limitHours");
    pp_offer_page_rename_error(errors, "bookingLimitDatetime", "limitHours");

    const char *created = pp_req_query(req, "creees");
    const char *deleted = pp_req_query(req, "supprimee");
    json_t *data = json_pack(
        "{s:o, s:o, s:O, s:o, s:o, s:o, s:o, s:o, s:o, s:I, s:b, s:s, s:s}", "offer",
        pp_offer_page_json(o), "tiles", mode_tiles(f->mode), "values", f->values, "errors", errors,
        "weekdays", weekday_boxes(f->days), "intervals", interval_options(f->interval),
        "tariffs", tariffs, "days",
        dates_by_day(req, all.stocks, all.nstocks, all.venue.timezone), "stepper",
        pp_offer_page_stepper(o, 3), "count", (json_int_t)all.nstocks,
        "deleted", deleted != NULL && status == 200, "mode", mode_codes[f->mode], "timezone",
        all.venue.timezone);
    json_object_set_new(data, mode_codes[f->mode], json_true());
    if (all.nstocks > DATES_SHOWN)
        json_object_set_new(data, "more", json_integer((json_int_t)(all.nstocks - DATES_SHOWN)));
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
    if (!pp_offer_page_load_event(req, &o))
        return;
    struct pp_venue v;
    if (pp_view_failed(req, pp_venue_get(pp_req_db(req), req->arena, o.venue_id, &v)))
        return;
    struct dates_form f = {.mode = mode_of(pp_req_query(req, "mode")), .interval = 30,
                           .days = {false, false, true, true, true, true, true, true}};
    f.values = pp_req_own(req, json_pack("{s:s, s:s, s:s, s:s}", "startDate",
                                         today(req, v.timezone), "time", "10:00", "firstTime",
                                         "10:00", "lastTime", "17:00"));
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
        int64_t v = pp_input_id(kv->value);
        if (strcmp(kv->key, key) != 0 || v == 0)
            continue;
        ids = pp_arena_grow(req->arena, ids, n, &cap, sizeof *ids);
        ids[n++] = v;
    }
    *out = ids;
    return n;
}

/* Booking limit in hours before the start; -1 when left blank. */
static int64_t read_limit_hours(struct pp_req *req, json_t *values, struct pp_error *e)
{
    const char *h = pp_web_field(req, "limitHours");
    pp_view_set_str(values, "limitHours", h);
    if (h == NULL)
        return -1;
    int64_t n = pp_input_count(h, LIMIT_HOURS_MAX);
    if (n < 0)
        pp_error_set(e, PP_EVALIDATION, "limitHours",
                     "Le délai doit être un nombre entier d'heures, entre 0 et 8 760.");
    return n;
}

static void read_day(struct pp_req *req, const char *key, json_t *values, int *y, int *m, int *d,
                     const char *message, struct pp_error *e)
{
    const char *s = pp_web_field(req, key);
    pp_view_set_str(values, key, s);
    if (!pp_input_day(s, y, m, d))
        pp_error_set(e, PP_EVALIDATION, key, message);
}

static int read_time(struct pp_req *req, const char *key, json_t *values, const char *message,
                     struct pp_error *e)
{
    const char *s = pp_web_field(req, key);
    pp_view_set_str(values, key, s);
    int t = pp_input_time(s);
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
    if (!pp_offer_page_load_event(req, &o))
        return;
    struct dates_form f = {.mode = mode_of(pp_web_field(req, "mode")), 
                         .values = pp_req_own(req, json_object())};
    for (int d = 1; d <= 7; d++)
        f.days[d] = pp_view_checked(req, pp_arena_printf(req->arena, "day%d", d));
    int64_t *pcs;
    f.npcs = form_ids(req, "tarif", &pcs);
    f.pcs = pcs;
    const char *every = pp_web_field(req, "interval");
    f.interval = every && strcmp(every, "15") == 0 ? 15 : every && strcmp(every, "60") == 0 ? 60
                                                                                            : 30;
    struct pp_error e;
    pp_error_init(&e);
    int64_t quantity = pp_offer_page_read_quantity(req, f.values, &e);
    int64_t limit = read_limit_hours(req, f.values, &e);
    int64_t created = 0;
    enum pp_err rc = f.mode == MODE_SINGLE
                         ? add_single(req, &o, &f, quantity, limit, &created, &e)
                         : add_recurrence(req, &o, &f, quantity, limit, &created, &e);
    const char *done = pp_offer_page_path(
        req, &o,
        pp_arena_printf(req->arena, "/dates?mode=%s&creees=%lld", mode_codes[f.mode],
                        (long long)created));
    if (!pp_offer_page_answered(req, rc, done))
        dates_page(req, pp_err_status(rc), &o, &f, &e);
}

void pp_web_offer_date_delete(struct pp_req *req)
{
    struct pp_offer o;
    if (!pp_offer_page_load_event(req, &o))
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
        struct dates_form f = {.mode = MODE_FREE, .values = pp_req_own(req, json_object()),
                               .interval = 30};
        dates_page(req, pp_err_status(rc), &o, &f, &e);
        return;
    }
    if (pp_view_failed(req, rc))
        return;
    pp_res_redirect(req, pp_offer_page_path(req, &o, "/dates?supprimee=1"));
}
