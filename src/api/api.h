#ifndef PP_API_H
#define PP_API_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http/request.h"
#include "http/router.h"

/**
 * JSON handlers, thin: parse the body, call the domain, render the answer. Each resource has
 * its file; the route table (routes.c) says who may call what.
 */

/** The API routes, terminated by a route with a NULL method. */
extern const struct pp_route pp_api_routes[];

/* system.c */
void pp_api_healthz(struct pp_req *req);
void pp_api_metrics(struct pp_req *req);
void pp_api_test_clock(struct pp_req *req);
void pp_api_test_jobs(struct pp_req *req);
/** GET /api/test/outbox: every outbox row with its status (tests of the mail issue). */
void pp_api_test_outbox(struct pp_req *req);

/* auth.c */
void pp_api_signup(struct pp_req *req);
void pp_api_login(struct pp_req *req);
void pp_api_logout(struct pp_req *req);
void pp_api_logout_all(struct pp_req *req);
void pp_api_password_reset(struct pp_req *req);
void pp_api_password_reset_confirm(struct pp_req *req);
void pp_api_me(struct pp_req *req);

/* offerers.c */
void pp_api_offerer_create(struct pp_req *req);
void pp_api_offerer_list(struct pp_req *req);
void pp_api_admin_offerer_validate(struct pp_req *req);
void pp_api_admin_offerer_reject(struct pp_req *req);
void pp_api_admin_attachment_validate(struct pp_req *req);
void pp_api_admin_attachment_reject(struct pp_req *req);

/* venues.c */
void pp_api_venue_create(struct pp_req *req);
void pp_api_venue_list(struct pp_req *req);
void pp_api_venue_get(struct pp_req *req);
void pp_api_venue_update(struct pp_req *req);

/* offers.c */
void pp_api_categories(struct pp_req *req);
void pp_api_offer_create(struct pp_req *req);
void pp_api_offer_list(struct pp_req *req);
void pp_api_offer_get(struct pp_req *req);
void pp_api_offer_update(struct pp_req *req);
void pp_api_offer_publish(struct pp_req *req);
void pp_api_price_category_create(struct pp_req *req);
void pp_api_stock_create(struct pp_req *req);
void pp_api_stock_recurrence(struct pp_req *req);
void pp_api_activation_codes(struct pp_req *req);
void pp_api_stock_update(struct pp_req *req);
void pp_api_stock_delete(struct pp_req *req);
void pp_api_admin_offer_approve(struct pp_req *req);
void pp_api_admin_offer_reject(struct pp_req *req);

/* bookings.c */
void pp_api_admin_beneficiary_create(struct pp_req *req);
void pp_api_wallet(struct pp_req *req);
void pp_api_search_offers(struct pp_req *req);
void pp_api_booking_create(struct pp_req *req);
void pp_api_my_bookings(struct pp_req *req);
void pp_api_booking_cancel(struct pp_req *req);
void pp_api_pro_booking_cancel(struct pp_req *req);

/* pro_bookings.c */
void pp_api_pro_bookings(struct pp_req *req);
void pp_api_pro_bookings_export(struct pp_req *req);

/* guichet.c */
void pp_api_pro_token_get(struct pp_req *req);
void pp_api_pro_token_use(struct pp_req *req);
void pp_api_pro_token_unuse(struct pp_req *req);
void pp_api_public_token_get(struct pp_req *req);
void pp_api_public_token_use(struct pp_req *req);
void pp_api_public_token_keep(struct pp_req *req);
void pp_api_public_token_cancel(struct pp_req *req);
void pp_api_api_key_create(struct pp_req *req);
void pp_api_api_key_list(struct pp_req *req);
void pp_api_api_key_revoke(struct pp_req *req);

/* finance.c */
void pp_api_bank_account_create(struct pp_req *req);
void pp_api_bank_account_list(struct pp_req *req);
void pp_api_admin_bank_accounts(struct pp_req *req);
void pp_api_admin_bank_account_accept(struct pp_req *req);
void pp_api_admin_bank_account_refuse(struct pp_req *req);
void pp_api_bank_account_venues(struct pp_req *req);
void pp_api_venue_pricing_point(struct pp_req *req);
void pp_api_admin_finance_run(struct pp_req *req);
void pp_api_pro_invoices(struct pp_req *req);
void pp_api_pro_invoice_pdf(struct pp_req *req);
void pp_api_pro_reimbursements_csv(struct pp_req *req);
void pp_api_pro_forecast(struct pp_req *req);
void pp_api_admin_finance_incident(struct pp_req *req);
void pp_api_admin_custom_rule_create(struct pp_req *req);

/* adage.c: collective bookings (the ADAGE side and the venue's) */
void pp_api_adage_booking_create(struct pp_req *req);
void pp_api_adage_booking_confirm(struct pp_req *req);
void pp_api_adage_booking_cancel(struct pp_req *req);
void pp_api_pro_collective_bookings(struct pp_req *req);
void pp_api_pro_collective_booking_cancel(struct pp_req *req);
/* collective.c, collective_admin.c: collective offers, the setup side (docs/collective.md) */
void pp_api_adage_application_create(struct pp_req *req);
void pp_api_adage_application_get(struct pp_req *req);
void pp_api_admin_adage_applications(struct pp_req *req);
void pp_api_admin_adage_accept(struct pp_req *req);
void pp_api_admin_adage_reject(struct pp_req *req);
void pp_api_collective_policy_get(struct pp_req *req);
void pp_api_admin_collective_policy_put(struct pp_req *req);
void pp_api_collective_template_create(struct pp_req *req);
void pp_api_collective_offer_create(struct pp_req *req);
void pp_api_collective_offer_list(struct pp_req *req);
void pp_api_collective_offer_get(struct pp_req *req);
void pp_api_collective_offer_update(struct pp_req *req);
void pp_api_collective_stock_create(struct pp_req *req);
void pp_api_collective_stock_update(struct pp_req *req);
void pp_api_adage_offers(struct pp_req *req);
void pp_api_admin_institution_save(struct pp_req *req);
void pp_api_admin_institutions(struct pp_req *req);
void pp_api_admin_institution_import(struct pp_req *req);
void pp_api_admin_adage_key_create(struct pp_req *req);
void pp_api_admin_adage_keys(struct pp_req *req);
void pp_api_admin_adage_key_revoke(struct pp_req *req);

/* handler.c: the steps every handler shares. */

/** Answers a domain error: validation errors with their fields, the rest generic. */
void pp_api_fail(struct pp_req *req, enum pp_err code, const struct pp_error *e);

/**
 * The answer-or-fail step: true when @rc is PP_OK (the handler goes on to answer), else answers
 * the error (pp_api_fail with @e, which may be NULL) and returns false, so that a handler reads
 * `if (!pp_api_ok(req, rc, &e)) return;` (redis's ...OrReply functions).
 */
bool pp_api_ok(struct pp_req *req, enum pp_err rc, const struct pp_error *e);

/**
 * Answers in one call: @status with @body (stolen; NULL for no body) when @rc is PP_OK, else
 * the error as pp_api_fail does (and @body is released). @body is built before the call, so
 * pass only values that exist whatever @rc (ids of the path, constants, NULL); a body drawn from
 * what the domain fills on success goes after pp_api_ok.
 */
void pp_api_reply(struct pp_req *req, enum pp_err rc, const struct pp_error *e, int status,
                  json_t *body);

/**
 * The answer of a state change: @status {"id": @id, "status": @state} when @rc is PP_OK, else
 * the error as pp_api_fail does. @state is read only on success (it may be filled by the call
 * that gave @rc).
 */
void pp_api_reply_state(struct pp_req *req, enum pp_err rc, const struct pp_error *e, int status,
                        int64_t id, const char *state);

/** Renders one item of the array given to pp_api_reply_list (a new reference). */
typedef json_t *(*pp_api_render)(const void *item);

/**
 * Answers a list in one call: 200 {@key: [render(item), ...]} over the @n items of @size bytes
 * at @items when @rc (the call that fetched them) is PP_OK, else the error of @rc.
 */
void pp_api_reply_list(struct pp_req *req, enum pp_err rc, const char *key, const void *items,
                       size_t n, size_t size, pp_api_render render);

/**
 * @id (of the path) when @rc, the caller's authorization check of it, is PP_OK; 0 after
 * answering the error (404 for another's object) otherwise.
 */
int64_t pp_api_authorized(struct pp_req *req, int64_t id, enum pp_err rc);

/** The structure of the path's first {id} when the user may act on it, else 0 (answered). */
int64_t pp_api_my_offerer(struct pp_req *req);

/** Finds the structure that owns object @id (pp_booking_offerer...). */
typedef enum pp_err (*pp_api_owner_fn)(struct pp_db *db, int64_t id, int64_t *offerer_id);

/**
 * The path's first {id} when the user may act on the structure that owns it (found by
 * @owner), else 0 after answering the error (404 for an unknown id or another's object).
 */
int64_t pp_api_my_object(struct pp_req *req, pp_api_owner_fn owner);

/**
 * Query parameter @key as a positive id in *@out (0 when absent and not @required). False
 * after answering 422 for a missing required or malformed value.
 */
bool pp_api_query_id(struct pp_req *req, const char *key, bool required, int64_t *out);

/**
 * Query parameter @key "YYYY-MM-DD" as 00:00 of that day in @zone, in *@out (0 when absent).
 * False after answering 422 for a malformed date.
 */
bool pp_api_query_day(struct pp_req *req, const char *key, const char *zone, int64_t *out);

/** Last page a paged list serves: the offset stays small (bounded work for the database). */
#define PP_API_PAGE_MAX 10000

/**
 * The page of a paged list from the query: ?page (1 to PP_API_PAGE_MAX, default 1) and
 * ?perPage (1 to @max_per_page, default @default_per_page). False after answering 422.
 */
bool pp_api_query_page(struct pp_req *req, int64_t default_per_page, int64_t max_per_page,
                       int64_t *page, int64_t *per_page);

struct pp_api_field;

/**
 * Reads field @f of the JSON object @body into @dst (the struct member @f names). Returns false
 * and appends a French message to @e when the value is refused; an absent optional field is
 * not an error.
 */
typedef bool (*pp_api_reader)(struct pp_req *req, json_t *body, const struct pp_api_field *f,
                              void *dst, struct pp_error *e);

/** One field of a JSON body: its key, how to read it, and where it goes in the input struct. */
struct pp_api_field {
    const char *key;
    pp_api_reader read;
    size_t offset;
    bool required;
    size_t max_chars; /**< strings: longest accepted, in characters */
};

/** A JSON body: its field table, read in order, then @extra for what a table cannot say. */
struct pp_api_body {
    const struct pp_api_field *fields;
    size_t nfields;
    /** May be NULL: reads the rest (arrays, fields depending on others) into @in, after the
     * table, appending to @e. */
    void (*extra)(struct pp_req *req, json_t *body, void *in, struct pp_error *e);
};

#define PP_API_BODY(fields, extra) {fields, sizeof(fields) / sizeof(fields[0]), extra}

/**
 * A body that is its fields alone, in one declaration:
 * `static const struct pp_api_body x_body = PP_API_FIELDS(PP_FIELD_STR(...), ...);`
 * (the table is a compound literal of static storage, as at file scope).
 */
#define PP_API_FIELDS(...)                                                                        \
    {(const struct pp_api_field[]){__VA_ARGS__},                                                  \
     sizeof((const struct pp_api_field[]){__VA_ARGS__}) / sizeof(struct pp_api_field), NULL}

/* Offset of @member in @type, checked at compile time to be of type @T. */
#define PP_API_AT(type, member, T)                                                                \
    (offsetof(type, member) + 0 * sizeof((T *)0 == &((type *)0)->member))

/** Trimmed string (const char *, in the arena), NULL when absent or blank. */
#define PP_FIELD_STR(type, member, key, required, max)                                            \
    {key, pp_api_read_str, PP_API_AT(type, member, const char *), required, max}
/** Positive identifier (int64_t), 0 when absent. */
#define PP_FIELD_ID(type, member, key, required)                                                  \
    {key, pp_api_read_id, PP_API_AT(type, member, int64_t), required, 0}
/** Optional boolean as a tri-state int: -1 when absent, else 0 or 1. */
#define PP_FIELD_FLAG(type, member, key)                                                          \
    {key, pp_api_read_flag, PP_API_AT(type, member, int), false, 0}
/** Optional boolean (bool), false when absent. */
#define PP_FIELD_BOOL(type, member, key)                                                          \
    {key, pp_api_read_bool, PP_API_AT(type, member, bool), false, 0}
/** String taken as typed, untrimmed (a password: spaces are legitimate symbols). */
#define PP_FIELD_TEXT(type, member, key, required)                                                \
    {key, pp_api_read_text, PP_API_AT(type, member, const char *), required, 0}
/** A field with its own reader; @T is the member's type. */
#define PP_FIELD(type, member, T, key, required, reader)                                          \
    {key, reader, PP_API_AT(type, member, T), required, 0}

/**
 * The fields of a person's account, with the same keys and limits wherever an account is made
 * (a pro's signup, a beneficiary's creation by the back office); @T has the same members.
 */
#define PP_API_PERSON_FIELDS(T, password_required)                                               \
    PP_FIELD_TEXT(T, password, "password", password_required),                                   \
        PP_FIELD_STR(T, email, "email", true, 254),                                               \
        PP_FIELD_STR(T, first_name, "firstName", true, 128),                                      \
        PP_FIELD_STR(T, last_name, "lastName", true, 128)
/** A postal address's optional fields, the same for a structure and a venue. */
#define PP_API_ADDRESS_FIELDS(T)                                                                  \
    PP_FIELD_STR(T, street, "street", false, 200),                                                \
        PP_FIELD_STR(T, postal_code, "postalCode", false, 5),                                     \
        PP_FIELD_STR(T, city, "city", false, 200)

bool pp_api_read_str(struct pp_req *req, json_t *body, const struct pp_api_field *f, void *dst,
                     struct pp_error *e);
bool pp_api_read_id(struct pp_req *req, json_t *body, const struct pp_api_field *f, void *dst,
                    struct pp_error *e);
bool pp_api_read_flag(struct pp_req *req, json_t *body, const struct pp_api_field *f, void *dst,
                      struct pp_error *e);
bool pp_api_read_bool(struct pp_req *req, json_t *body, const struct pp_api_field *f, void *dst,
                      struct pp_error *e);
bool pp_api_read_text(struct pp_req *req, json_t *body, const struct pp_api_field *f, void *dst,
                      struct pp_error *e);

/**
 * A reader's answer for field @f absent from the body: true for an optional field; false for a
 * required one, with @message ("Ce champ est obligatoire." when NULL) on @f->key in @e.
 */
bool pp_api_absent(const struct pp_api_field *f, const char *message, struct pp_error *e);

/** ISO 8601 UTC datetime (int64_t Unix seconds): 0 when absent, -1 after an error. */
bool pp_api_read_datetime(struct pp_req *req, json_t *body, const struct pp_api_field *f,
                          void *dst, struct pp_error *e);
/** Whole number ≥ 0 (int64_t): -1 when absent or null. */
bool pp_api_read_count(struct pp_req *req, json_t *body, const struct pp_api_field *f,
                       void *dst, struct pp_error *e);

/** A list of non-empty strings (in the arena); @given false when the body lacks the key. */
struct pp_api_strings {
    const char **items;
    size_t n;
    bool given;
};
#define PP_API_STRINGS_MAX 50
/** Reads a JSON array of strings into a struct pp_api_strings. */
bool pp_api_read_strings(struct pp_req *req, json_t *body, const struct pp_api_field *f,
                         void *dst, struct pp_error *e);

/**
 * The read-the-body step: empties @e, parses the body as a JSON object and reads it into @in
 * through @spec (the caller initialized @in: what the body lacks keeps that value, but for the
 * table's fields, which read as NULL / 0 / -1 when absent). Returns false after answering 400
 * (not a JSON object) or 422 with every field's message; true with @e empty otherwise, ready to
 * collect the domain's errors.
 */
bool pp_api_read(struct pp_req *req, const struct pp_api_body *spec, void *in,
                 struct pp_error *e);

#endif
