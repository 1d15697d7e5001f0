#ifndef PP_WEB_VIEW_H
#define PP_WEB_VIEW_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"
#include "http/request.h"

/**
 * What every portal page shows the same way: money, dates and days in French, status labels
 * and badges, the accessibility list, and the usual answers to a failure. Strings returned
 * live in the request's arena (or are static); json values are new references.
 */

struct pp_local;
struct pp_offer;
struct pp_venue;

/** Sets @key of @o to the string @v, or to null when @v is NULL (templates test for it). */
void pp_view_set_str(json_t *o, const char *key, const char *v);

/**
 * For a failure @rc, answers with the generic error page of its status and returns true;
 * false (nothing answered) for PP_OK.
 */
bool pp_view_failed(struct pp_req *req, enum pp_err rc);

/**
 * For a database or internal failure (PP_EDB, PP_EINTERNAL) answers with the 500 page and
 * returns true; false for any other code, which the caller shows on its form.
 */
bool pp_view_fatal(struct pp_req *req, enum pp_err rc);

/**
 * The end of a form post: PP_OK redirects to @location; PP_ECONFLICT answers 409 with
 * @conflict (NULL: the generic message); any other code the generic page of its status.
 */
void pp_view_done(struct pp_req *req, enum pp_err rc, const char *conflict, const char *location);

/**
 * A new reference to @j, or a new empty object when @j is NULL: embeds a value the request
 * owns (pp_req_own) into page data that pp_web_render will release.
 */
json_t *pp_view_ref(json_t *j);

/** Every field of the form as {key: value} (the last value of a repeated key), owned by the
 *  request: what a refused form shows again. */
json_t *pp_view_form_values(struct pp_req *req);

/** The values of every field @key of the form (ticked checkboxes), at most @max of them in
 *  @out (strings of the request); their count. */
size_t pp_view_form_all(struct pp_req *req, const char *key, const char **out, size_t max);

/**
 * The structure a pro page is about: field or query parameter "structure" when the user's
 * attachment to it is VALIDATED, else its first such structure; 0 when it has none (*rc tells
 * a database failure, or PP_ENOTFOUND for a "structure" that is not one of the user's: 404, as
 * for any object of another structure). *name: its name; *list: [{id, name, selected}] of those structures for
 * the page's selector (owned by the request).
 */
int64_t pp_view_structure(struct pp_req *req, const char **name, json_t **list, enum pp_err *rc);

/** True when the form has field @key at all (a ticked checkbox), even empty. */
bool pp_view_checked(struct pp_req *req, const char *key);

/** Positive id of form field @key, else of query parameter @key (pp_input_id); 0 if none. */
int64_t pp_view_field_id(struct pp_req *req, const char *key);

/** {field: message} of @e (pp_web_errors), with @global under "global" when it is empty. */
json_t *pp_view_errors_or(const struct pp_error *e, const char *global);

/** "8,50 €", "Gratuit" for 0 (pp_money_format_price). */
const char *pp_view_price(struct pp_req *req, int64_t cents);

/** "8,50 €", "0,00 €" for 0 (pp_money_format). */
const char *pp_view_amount(struct pp_req *req, int64_t cents);

/** "14/03/2026 à 10:30" in @zone (pp_tz_format_fr). */
const char *pp_view_when(struct pp_req *req, const char *zone, int64_t t);

/** "14/03/2026" (the date of pp_view_when, without the time); NULL for 0 (no date). */
const char *pp_view_date(struct pp_req *req, const char *zone, int64_t t);

/** "mardi 14 avril 2026". */
const char *pp_view_day(struct pp_req *req, const struct pp_local *l);

/** "Lundi" .. "Dimanche" for @weekday 1..7 (ISO), as checkbox labels. */
const char *pp_view_weekday_label(int weekday);

/** The disabilities an offer is accessible to, as a list of French labels. */
json_t *pp_view_accessibility(const struct pp_offer *o);

/** The venue's public name, or its name when it has none. */
const char *pp_view_venue_label(const struct pp_venue *v);

/** The pro label of subcategory @id, or @id itself when it is unknown. */
const char *pp_view_subcategory_label(const char *id);

/**
 * A copy of the @n bytes at @s in @arena when they are valid UTF-8 without NUL or control
 * characters (pp_utf8_is_clean); NULL otherwise, so that such text never reaches a page.
 */
const char *pp_view_text(struct pp_arena *arena, const char *s, size_t n);

/** A status as a page shows it: its code, its French label and its DSFR badge class. */
struct pp_view_code {
    const char *code, *label, *badge;
};

/**
 * A code and the French text a page shows for it, where no badge goes with it: a kind of
 * email, an audit action, the confirmation of ?info=...
 */
struct pp_view_wording {
    const char *code, *text;
};

/** The offer statuses (display_status), in the order of the offer list's filter. */
extern const struct pp_view_code pp_view_offer_statuses[];
extern const size_t pp_view_offer_status_count;

/** A beneficiary's booking statuses (CONFIRMED, USED, CANCELLED, REIMBURSED). */
extern const struct pp_view_code pp_view_booking_statuses[];
extern const size_t pp_view_booking_status_count;

/** The entry of @code in @table of @n entries; NULL when @code is NULL or not in it. */
const struct pp_view_code *pp_view_code_find(const struct pp_view_code *table, size_t n,
                                             const char *code);

/** The entry of @code in @table of @n entries; the first entry when it is not in it. */
const struct pp_view_code *pp_view_code_of(const struct pp_view_code *table, size_t n,
                                           const char *code);

/** The text of @code in @table of @n entries; @fallback when it is not in it. */
const char *pp_view_label(const struct pp_view_wording *table, size_t n, const char *code,
                          const char *fallback);

/**
 * One DSFR form field as templates/field.html draws it: an input of @type, or a select when
 * @type is NULL (with an empty choice labelled @any when it is not NULL).
 */
struct pp_view_field {
    const char *name;  /**< the id and the name of the control, and the key of its error */
    const char *label;
    const char *hint;  /**< NULL for none */
    const char *type;  /**< "text", "date"...; NULL for a select */
    const char *any;
    const char *col;   /**< the grid column classes around it */
};

/**
 * The page data of field @f: its value @value (inputs; NULL is empty), its @options (selects,
 * stolen: [{value, text, selected}]), the message of @errors under its name. A new reference.
 */
json_t *pp_view_field_json(const struct pp_view_field *f, const char *value, json_t *options,
                           const json_t *errors);

/**
 * The @n fields of @t as templates/field.html draws them, each with its value in @values, its
 * error in @errors, and (selects) its options in @options ({name: [options]}, may be NULL).
 */
json_t *pp_view_fields_json(const struct pp_view_field *t, size_t n, json_t *values,
                            json_t *errors, json_t *options);

/**
 * One checkbox as templates/checkbox.html draws it: {id, name, value, label, checked}; the
 * caller adds "inline" (side by side) or "small" (fr-checkbox-group--sm) when it wants them.
 * A new reference.
 */
json_t *pp_view_checkbox(const char *id, const char *name, const char *value, const char *label,
                         bool checked);

/** An option of a select field: {value, text, selected}. */
json_t *pp_view_option(const char *value, const char *text, bool selected);

/** Element count of a static table. */
#define PP_VIEW_COUNT(table) (sizeof(table) / sizeof((table)[0]))

#endif
