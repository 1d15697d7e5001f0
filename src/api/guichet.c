/*
 * SPEC §6: the Guichet for the pro portal (French messages) and the partner ticketing API
 * compatible with pass Culture's (its English messages and body shapes), and API keys.
 */
#include <string.h>
#include <time.h>

#include "api/api.h"
#include "http/json.h"
#include "core/clock.h"
#include "core/tz.h"
#include "domain/audit.h"
#include "domain/authz.h"
#include "domain/guichet.h"
#include "domain/throttle.h"

/* Requests a partner API key may make a minute, counted across every server. */
#define PP_API_REQUESTS_PER_MINUTE 1200

typedef enum pp_err (*guichet_fn)(struct pp_db *, struct pp_arena *,
                                  const struct pp_guichet_actor *, const char *,
                                  struct pp_guichet_result *);

/* A refusal as one audience reads it; a NULL message is worded when it happens. */
struct refusal {
    enum pp_err code;
    const char *field;
    const char *message;
};

/* How one audience is answered: the portal in French (SPEC §2 error bodies), partner software
 * in pass Culture's English and body shapes. */
struct dialect {
    const struct refusal *refusals; /* by enum pp_guichet_reason */
    struct refusal invalid;         /* the input is not a countermark at all */
    /* The message of a refusal whose table message is NULL; @cancel: a cancellation's. */
    const char *(*word)(struct pp_req *req, const struct pp_guichet_result *r, bool cancel);
    void (*answer)(struct pp_req *req, enum pp_err code, const char *field, const char *message);
    void (*booking_json)(struct pp_jw *w, const struct pp_booking *b);
};

static void refuse(struct pp_req *req, const struct dialect *d, const struct refusal *f,
                   const struct pp_guichet_result *r, bool cancel)
{
    d->answer(req, f->code, f->field, f->message ? f->message : d->word(req, r, cancel));
}

/* Runs @fn for @actor on the path's countermark and answers in @d's words: the booking when
 * @answer_booking, else 204. @cancel picks the wording of a cancellation's refusals. */
static void token_op(struct pp_req *req, const struct dialect *d,
                     const struct pp_guichet_actor *actor, guichet_fn fn, bool answer_booking,
                     bool cancel)
{
    struct pp_guichet_result r;
    enum pp_err rc = fn(pp_req_db(req), req->arena, actor, req->params[0], &r);
    if (rc == PP_EINVAL)
        refuse(req, d, &d->invalid, &r, cancel);
    else if (!pp_api_ok(req, rc, NULL))
        return;
    else if (r.reason != PP_GUICHET_OK)
        refuse(req, d, &d->refusals[r.reason], &r, cancel);
    else if (answer_booking) {
        struct pp_jw w;
        pp_jw_init(&w, req->arena);
        d->booking_json(&w, &r.booking);
        pp_res_jw(req, 200, &w);
    } else
        pp_res_empty(req, 204);
}

/* The booking as the portal's Guichet shows it (SPEC §6 pro bookings fields). */
static void pro_booking_json(struct pp_jw *w, const struct pp_booking *b)
{
    pp_jw_object(w);
    pp_jw_kint(w, "id", b->id);
    pp_jw_kstr(w, "token", b->token);
    pp_jw_kstr(w, "status", b->status);
    pp_jw_kstr(w, "offerName", b->offer_name);
    pp_jw_key(w, "beneficiary");
    pp_jw_object(w);
    pp_jw_kstr(w, "firstName", b->beneficiary_first_name);
    pp_jw_kstr(w, "lastName", b->beneficiary_last_name);
    pp_jw_kstr(w, "email", b->beneficiary_email);
    pp_jw_end(w);
    pp_jw_kstr(w, "priceCategoryLabel", b->price_category_label);
    pp_jw_kint(w, "amountCents", b->amount_cents);
    pp_jw_kint(w, "quantity", b->quantity);
    pp_jw_kstr(w, "venueName", b->venue_name);
    pp_jw_kint(w, "offerId", b->offer_id);
    pp_jw_kiso(w, "dateCreated", b->created_at);
    pp_jw_kiso(w, "dateUsed", b->used_at);
    pp_jw_kiso(w, "eventDatetime", b->beginning_at);
    pp_jw_kiso(w, "cancellationLimitDate", b->cancellation_limit_at);
    pp_jw_end(w);
}

static const struct refusal pro_refusals[] = {
    [PP_GUICHET_NOT_FOUND] = {PP_ENOTFOUND, "global", "Cette contremarque n'a pas été trouvée."},
    [PP_GUICHET_REIMBURSED] = {PP_EFORBIDDEN, "payment",
                               "Cette réservation a déjà été remboursée : seul un incident de "
                               "remboursement (support pass Culture) peut encore la corriger."},
    [PP_GUICHET_ALREADY_USED] = {PP_EGONE, "booking", NULL},
    [PP_GUICHET_CANCELLED] = {PP_EGONE, "booking", "Cette réservation a été annulée."},
    [PP_GUICHET_TOO_EARLY] = {PP_EFORBIDDEN, "booking", NULL},
    [PP_GUICHET_NOT_USED] = {PP_EFORBIDDEN, "booking", "Cette réservation n'a pas été validée."},
    [PP_GUICHET_HAS_CODE] = {PP_EFORBIDDEN, "booking",
                             "Cette réservation a un code d'activation : elle ne peut pas être "
                             "invalidée."},
    [PP_GUICHET_TOO_LATE] = {PP_EFORBIDDEN, "booking",
                             "Cette réservation ne peut plus être annulée."},
    [PP_GUICHET_THROTTLED] = {PP_ERATE, "global",
                              "Trop de contremarques inconnues saisies. Réessayez dans quelques "
                              "minutes."},
};

static const char *pro_word(struct pp_req *req, const struct pp_guichet_result *r, bool cancel)
{
    (void)cancel;
    if (r->reason == PP_GUICHET_TOO_EARLY)
        return pp_guichet_too_early_message(req->arena, r);
    char when[24];
    pp_tz_format_fr(r->booking.venue_timezone, r->booking.used_at, when);
    return pp_arena_printf(req->arena, "Cette contremarque a déjà été validée le %s.", when);
}

static const struct dialect pro_dialect = {
    .refusals = pro_refusals,
    .invalid = {PP_EINVAL, "token",
                "La contremarque doit contenir 6 caractères (de A à Z et de 0 à 9)."},
    .word = pro_word,
    .answer = pp_res_error1,
    .booking_json = pro_booking_json,
};

static void pro_token(struct pp_req *req, guichet_fn fn, bool answer_booking)
{
    struct pp_guichet_actor actor = {.account_id = req->user.id, .channel = PP_CHANNEL_PORTAL};
    token_op(req, &pro_dialect, &actor, fn, answer_booking, false);
}

void pp_api_pro_token_get(struct pp_req *req)
{
    pro_token(req, pp_guichet_check, true);
}

void pp_api_pro_token_use(struct pp_req *req)
{
    pro_token(req, pp_guichet_use, false);
}

void pp_api_pro_token_unuse(struct pp_req *req)
{
    pro_token(req, pp_guichet_keep, false);
}

/* Partner API: pass Culture's bodies are {"field": "message"}, not SPEC §2's lists. */
static void public_error(struct pp_req *req, enum pp_err code, const char *field,
                         const char *msg)
{
    pp_res_json(req, pp_err_status(code), json_pack("{s:s}", field, msg));
}

/* Authenticates the Bearer key and applies its rate limit; false after answering. */
static bool public_actor(struct pp_req *req, struct pp_guichet_actor *actor)
{
    memset(actor, 0, sizeof *actor);
    actor->channel = PP_CHANNEL_API;
    enum pp_err rc = pp_api_key_authenticate(pp_req_db(req), req->arena,
                                             pp_req_header(req, "Authorization"),
                                             &actor->offerer_id, &actor->key_prefix);
    if (rc == PP_EUNAUTH) {
        pp_res_header(req, "WWW-Authenticate", "Bearer");
        public_error(req, PP_EUNAUTH, "auth", "API key required");
        return false;
    }
    if (!pp_api_ok(req, rc, NULL))
        return false;
    /* Real time, not the test clock: a budget per minute of the wall clock. */
    bool allowed = false;
    rc = pp_throttle_request(pp_req_db(req), actor->key_prefix, PP_API_REQUESTS_PER_MINUTE,
                             time(NULL), &allowed);
    if (!pp_api_ok(req, rc, NULL))
        return false;
    if (!allowed) {
        pp_res_header(req, "Retry-After", "60");
        public_error(req, PP_ERATE, "global", "Too many requests");
        return false;
    }
    return true;
}

static const struct refusal public_refusals[] = {
    [PP_GUICHET_NOT_FOUND] = {PP_ENOTFOUND, "global", "This countermark cannot be found"},
    [PP_GUICHET_REIMBURSED] = {PP_EFORBIDDEN, "payment",
                               "This booking has already been reimbursed"},
    [PP_GUICHET_ALREADY_USED] = {PP_EGONE, "booking", NULL},
    [PP_GUICHET_CANCELLED] = {PP_EGONE, "booking", NULL},
    [PP_GUICHET_TOO_EARLY] = {PP_EFORBIDDEN, "booking", NULL},
    [PP_GUICHET_NOT_USED] = {PP_EFORBIDDEN, "booking", "This booking has not been used"},
    [PP_GUICHET_HAS_CODE] = {PP_EFORBIDDEN, "booking",
                             "This booking has validation codes, and cannot be marked as unused"},
    [PP_GUICHET_TOO_LATE] = {PP_EFORBIDDEN, "booking",
                             "This booking cannot be cancelled anymore"},
    [PP_GUICHET_THROTTLED] = {PP_ERATE, "global", "Too many unknown countermarks, retry later"},
};

static const char *public_word(struct pp_req *req, const struct pp_guichet_result *r,
                               bool cancel)
{
    if (r->reason == PP_GUICHET_ALREADY_USED)
        return cancel ? "This booking has been validated"
                      : "This booking has already been validated";
    if (r->reason == PP_GUICHET_CANCELLED)
        return cancel ? "This booking has already been cancelled"
                      : "This booking has been cancelled";
    return pp_guichet_too_early_message(req->arena, r);
}

/* The booking in pass Culture's ticketing API shape. */
static void public_booking_json(struct pp_jw *w, const struct pp_booking *b)
{
    pp_jw_object(w);
    pp_jw_kint(w, "id", b->id);
    pp_jw_kint(w, "quantity", b->quantity);
    pp_jw_kint(w, "price", b->amount_cents);
    pp_jw_kstr(w, "status", b->status);
    pp_jw_kint(w, "offerId", b->offer_id);
    pp_jw_kstr(w, "offerName", b->offer_name);
    pp_jw_kint(w, "stockId", b->stock_id);
    pp_jw_kstr(w, "priceCategoryLabel", b->price_category_label);
    pp_jw_kint(w, "venueId", b->venue_id);
    pp_jw_kstr(w, "venueName", b->venue_name);
    pp_jw_kstr(w, "userEmail", b->beneficiary_email);
    pp_jw_kstr(w, "userFirstName", b->beneficiary_first_name);
    pp_jw_kstr(w, "userLastName", b->beneficiary_last_name);
    pp_jw_kiso(w, "creationDate", b->created_at);
    pp_jw_kiso(w, "confirmationDate", b->cancellation_limit_at);
    pp_jw_kstr(w, "userPhoneNumber", b->beneficiary_phone);
    pp_jw_kstr(w, "userBirthDate", b->beneficiary_birth_date);
    pp_jw_kstr(w, "userPostalCode", b->beneficiary_postal_code);
    pp_jw_end(w);
}

static const struct dialect public_dialect = {
    .refusals = public_refusals,
    .invalid = {PP_ENOTFOUND, "global", "This countermark cannot be found"},
    .word = public_word,
    .answer = public_error,
    .booking_json = public_booking_json,
};

static void public_token(struct pp_req *req, guichet_fn fn, bool answer_booking, bool cancel)
{
    struct pp_guichet_actor actor;
    if (public_actor(req, &actor))
        token_op(req, &public_dialect, &actor, fn, answer_booking, cancel);
}

void pp_api_public_token_get(struct pp_req *req)
{
    public_token(req, pp_guichet_check, true, false);
}

void pp_api_public_token_use(struct pp_req *req)
{
    public_token(req, pp_guichet_use, false, false);
}

void pp_api_public_token_keep(struct pp_req *req)
{
    public_token(req, pp_guichet_keep, false, false);
}

void pp_api_public_token_cancel(struct pp_req *req)
{
    public_token(req, pp_guichet_cancel, false, true);
}

/* API keys of a structure. */


void pp_api_api_key_create(struct pp_req *req)
{
    int64_t offerer_id = pp_api_my_offerer(req);
    if (offerer_id == 0)
        return;
    struct pp_error e;
    pp_error_init(&e);
    const char *key;
    struct pp_api_key k;
    enum pp_err rc = pp_guichet_api_key_create(pp_req_db(req), req->arena, offerer_id,
                                               req->user.id, &key, &k, &e);
    if (pp_api_ok(req, rc, &e))
        pp_res_json(req, 201, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)k.id, "key", key,
                                        "prefix", k.prefix));
}

static json_t *api_key_json(const void *item)
{
    const struct pp_api_key *k = item;
    json_t *j = json_pack("{s:I, s:s}", "id", (json_int_t)k->id, "prefix", k->prefix);
    json_object_set_new(j, "dateCreated", pp_json_iso_or_null(k->created_at));
    json_object_set_new(j, "lastUsedDate", pp_json_iso_or_null(k->last_used_at));
    json_object_set_new(j, "revokedDate", pp_json_iso_or_null(k->revoked_at));
    return j;
}

void pp_api_api_key_list(struct pp_req *req)
{
    int64_t offerer_id = pp_api_my_offerer(req);
    if (offerer_id == 0)
        return;
    struct pp_api_key *keys;
    size_t n;
    enum pp_err rc = pp_api_key_list(pp_req_db(req), req->arena, offerer_id, &keys, &n);
    pp_api_reply_list(req, rc, "apiKeys", keys, n, sizeof *keys, api_key_json);
}

void pp_api_api_key_revoke(struct pp_req *req)
{
    int64_t offerer_id = pp_api_my_offerer(req);
    if (offerer_id == 0)
        return;
    int64_t key_id = pp_req_param_id(req, 1);
    enum pp_err rc = key_id ? pp_guichet_api_key_revoke(pp_req_db(req), offerer_id, req->user.id,
                                                        key_id)
                            : PP_ENOTFOUND;
    pp_api_reply(req, rc, NULL, 204, NULL);
}
