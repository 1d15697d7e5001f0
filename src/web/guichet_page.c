/*
 * The counter page /guichet (SPEC §6, §10; RULES §4; reference/helpcenter.md §7): a pro types
 * or scans a countermark, sees the booking (beneficiary, offer, date in the venue's zone,
 * tariff, quantity, price, status, history), then validates it or undoes a validation.
 *
 *   GET  /guichet?contremarque=XXX   the booking found and what can be done with it
 *   POST /guichet/valider            pp_guichet_use, then 303 to /guichet?contremarque=XXX&valide=1
 *   POST /guichet/invalider          pp_guichet_keep, then 303 to ...&invalide=1
 *
 * Works without JavaScript: a GET form finds the booking, POST forms (CSRF) change it and
 * redirect back. static/guichet.js only adds live messages under the field, upper-casing and
 * the camera scan. Every lookup goes through domain/guichet.h (only the pro's structures;
 * another structure's countermark is "not found"); refusals are worded as src/api/guichet.c
 * words them for the portal.
 *
 * Also here: the French labels of audit-log entries, shared with the back office.
 */
#include <stdio.h>
#include <string.h>

#include "core/status.h"
#include "core/booking_rules.h"
#include "core/categories.h"
#include "core/clock.h"
#include "core/money.h"
#include "core/tz.h"
#include "core/utf8.h"
#include "domain/audit.h"
#include "domain/guichet.h"
#include "web/view.h"
#include "web/web.h"

#ifndef PP_MONEY_LEN
#define PP_MONEY_LEN 80 /* any formatted amount fits */
#endif

/* Bytes accepted from the field: a scanned "PASSCULTURE:v3;TOKEN:ABC234" is 27. */
#define INPUT_MAX 100
/* Entries of a booking's history shown under it. */
#define HISTORY_MAX 50

/* helpcenter §7, the counter page's own strings. */
#define MSG_LENGTH "La contremarque doit contenir 6 caractères"
#define MSG_CHARS "Caractères valides : de A à Z et de 0 à 9"
/* src/api/guichet.c, the portal's wording of each refusal. */
#define MSG_NOT_FOUND "Cette contremarque n'a pas été trouvée."
#define MSG_REIMBURSED\
    "Cette réservation a déjà été remboursée : seul un incident de remboursement (support pass "\
    "Culture) peut encore la corriger."
#define MSG_CANCELLED "Cette réservation a été annulée."
#define MSG_NOT_USED "Cette réservation n'a pas été validée."
#define MSG_HAS_CODE "Cette réservation a un code d'activation : elle ne peut pas être invalidée."
#define MSG_THROTTLED "Trop de contremarques inconnues saisies. Réessayez dans quelques minutes."

/* ------------------------------------------------------------------------------------------ */
/* Audit labels (also used by the back office)                                                */

static const struct pp_view_wording audit_actions[] = {
    {"BOOKING_CREATED", "Réservation effectuée"},
    {"BOOKING_USED", "Contremarque validée"},
    {"BOOKING_UNUSED", "Contremarque invalidée"},
    {"BOOKING_CANCELLED", "Réservation annulée"},
    {"OFFER_PUBLISHED", "Offre publiée"},
    {"EMAIL_RESENT", "Courriel renvoyé"},
    {"OFFER_APPROVED", "Offre validée"},
    {"OFFER_REJECTED", "Offre rejetée"},
    {"OFFERER_NEW", "Structure inscrite"},
    {"OFFERER_VALIDATED", "Structure validée"},
    {"OFFERER_REJECTED", "Structure rejetée"},
    {"USER_OFFERER_NEW", "Demande de rattachement"},
    {"USER_OFFERER_VALIDATED", "Rattachement validé"},
    {"USER_OFFERER_REJECTED", "Rattachement rejeté"},
    {"BENEFICIARY_CREATED", "Compte bénéficiaire créé"},
    {"CREDIT_TOPPED_UP", "Crédit complété"},
    {"STOCK_DELETED", "Date ou stock supprimé"},
    {"API_KEY_CREATED", "Clé d'API créée"},
    {"API_KEY_REVOKED", "Clé d'API révoquée"},
    {"BOOKINGS_EXPORTED", "Réservations exportées"},
    {"REIMBURSEMENTS_EXPORTED", "Remboursements exportés"},
    {"BENEFICIARY_ANONYMISED", "Bénéficiaire anonymisé"},
};

static const char *action_label(const char *action)
{
    return pp_view_label(audit_actions, PP_VIEW_COUNT(audit_actions), action,
                         action ? action : "");
}

static const struct pp_view_wording audit_channels[] = {
    {PP_CHANNEL_PORTAL, "Portail"},
    {PP_CHANNEL_API, "API partenaire"},
    {PP_CHANNEL_BACKOFFICE, "Back office"},
    {PP_CHANNEL_JOB, "Automatique"},
};

const char *pp_web_audit_channel(const char *channel)
{
    if (channel == NULL)
        return "";
    return pp_view_label(audit_channels, PP_VIEW_COUNT(audit_channels), channel, channel);
}

/* Why a booking was cancelled (booking.cancellation_reason, the audit detail). */
static const struct pp_view_wording cancellation_reasons[] = {
    {"BENEFICIARY", "par le bénéficiaire"},
    {"OFFERER", "par le lieu"},
    {"EXPIRED", "non retirée à temps"},
    {"FRAUD", "offre rejetée par pass Culture"},
};

static bool is(const char *a, const char *b)
{
    return a != NULL && b != NULL && strcmp(a, b) == 0;
}

void pp_web_audit_describe(struct pp_arena *arena, const struct pp_audit_entry *e,
                           const char **action, const char **detail)
{
    const char *label = action_label(e->action), *note = NULL;
    *detail = NULL;
    if (is(e->action, "BOOKING_CANCELLED"))
        note = pp_view_label(cancellation_reasons, PP_VIEW_COUNT(cancellation_reasons), e->detail,
                             NULL);
    else if (is(e->action, "BOOKING_CREATED") && is(e->detail, "USED"))
        note = "validée d'office";
    else if (is(e->action, "BOOKING_USED") && is(e->detail, "AUTO"))
        note = "48 h après l'évènement";
    else if (is(e->action, "OFFER_PUBLISHED") && is(e->detail, "PENDING"))
        note = "envoyée en instruction";
    else if (is(e->action, "OFFER_PUBLISHED") &&
             (is(e->detail, "APPROVED") || is(e->detail, "ACTIVE")))
        note = "en ligne";
    else if (is(e->action, "OFFERER_NEW") && e->detail != NULL)
        *detail = pp_arena_printf(arena, "SIREN %s", e->detail);
    else if ((is(e->action, "BOOKINGS_EXPORTED") || is(e->action, "REIMBURSEMENTS_EXPORTED") ||
              is(e->action, "BENEFICIARY_ANONYMISED")) && e->detail != NULL)
        *detail = e->detail;
    else if (is(e->channel, PP_CHANNEL_API) && e->detail != NULL)
        *detail = pp_arena_printf(arena, "clé %s", e->detail);
    else if (is(e->action, "API_KEY_CREATED") && e->detail != NULL)
        *detail = pp_arena_printf(arena, "clé %s", e->detail);
    else if (e->detail != NULL && !is(e->detail, "AUTO") && !is(e->detail, "USED"))
        *detail = e->detail;
    *action = note ? pp_arena_printf(arena, "%s (%s)", label, note) : label;
}

/* ------------------------------------------------------------------------------------------ */
/* What was typed or scanned                                                                  */

struct input {
    const char *value;             /* for the field: the countermark when well-formed */
    char token[PP_TOKEN_LEN + 1];  /* upper-cased, when well-formed */
    const char *error;             /* MSG_LENGTH or MSG_CHARS, else NULL */
};

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/*
 * Reads @raw as the counter does: the code after the last ':' of a scanned payload, any case.
 * Only A-Z and 0-9 are accepted here (the page's rule); the domain then knows the real
 * alphabet (no 0, 1, 8, 9, I, O), so a code with those is simply not found.
 */
static bool read_input(struct pp_req *req, const char *raw, struct input *in)
{
    memset(in, 0, sizeof *in);
    in->value = "";
    if (raw == NULL) {
        in->error = MSG_LENGTH;
        return false;
    }
    while (is_space(*raw))
        raw++;
    size_t n = strlen(raw);
    while (n > 0 && is_space(raw[n - 1]))
        n--;
    if (n == 0 || n > INPUT_MAX) {
        in->error = MSG_LENGTH;
        return false;
    }
    /* Invalid UTF-8 or control characters are never echoed back. */
    const char *copy = pp_view_text(req->arena, raw, n);
    if (copy == NULL || strchr(copy, '\n') || strchr(copy, '\t')) {
        in->error = MSG_CHARS;
        return false;
    }
    in->value = copy;
    const char *colon = strrchr(copy, ':');
    const char *s = colon ? colon + 1 : copy;
    while (is_space(*s))
        s++;
    size_t k = 0;
    bool bad = false;
    for (; *s; s++, k++) {
        char c = *s >= 'a' && *s <= 'z' ? (char)(*s - 'a' + 'A') : *s;
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
            bad = true;
        else if (k < PP_TOKEN_LEN)
            in->token[k] = c;
    }
    if (bad)
        in->error = MSG_CHARS;
    else if (k != PP_TOKEN_LEN)
        in->error = MSG_LENGTH;
    if (in->error != NULL) {
        in->token[0] = '\0';
        return false;
    }
    in->token[PP_TOKEN_LEN] = '\0';
    in->value = pp_arena_strdup(req->arena, in->token);
    return true;
}

/* ------------------------------------------------------------------------------------------ */
/* The page                                                                                   */

/* Cards and subscriptions: validated once, at the first visit (RULES §4). */
static bool is_pass(const struct pp_booking *b)
{
    const char *s = b->subcategory_id;
    return s != NULL && (strncmp(s, "CARTE_", 6) == 0 || strncmp(s, "ABO_", 4) == 0);
}

/* Status label and badge as the pro portal shows them (helpcenter §6). */
static void status_of(const struct pp_booking *b, const char **label, const char **badge)
{
    if (b->status_code == PP_BOOKING_USED)
        *label = "Validée", *badge = "fr-badge--success";
    else if (b->status_code == PP_BOOKING_CANCELLED)
        *label = "Annulée", *badge = "fr-badge--error";
    else if (b->status_code == PP_BOOKING_REIMBURSED)
        *label = "Remboursée", *badge = "fr-badge--success";
    else if (b->cancellation_limit_at != 0 && b->cancellation_limit_at <= pp_clock_now())
        *label = "Confirmée", *badge = "fr-badge--info";
    else
        *label = "Réservée", *badge = "fr-badge--info";
}

/* Who wrote an audit entry, as the counter shows it. */
static const char *history_who(struct pp_req *req, const struct pp_booking *b,
                               const struct pp_audit_entry *e)
{
    if (e->channel != NULL && strcmp(e->channel, PP_CHANNEL_JOB) == 0)
        return "automatique";
    if (e->channel != NULL && strcmp(e->channel, PP_CHANNEL_API) == 0 && e->account_id == 0)
        return e->detail ? pp_arena_printf(req->arena, "Logiciel de billetterie (clé %s)",
                                           e->detail)
                         : "Logiciel de billetterie";
    if (e->account_id == 0)
        return "automatique";
    if (e->account_role_code == PP_ROLE_ADMIN)
        return "pass Culture";
    const char *name = pp_arena_printf(req->arena, "%s %s", e->account_first_name ? e->account_first_name : "",
                                       e->account_last_name ? e->account_last_name : "");
    if (e->account_id == b->account_id)
        return pp_arena_printf(req->arena, "%s (bénéficiaire)", name);
    return e->account_email ? pp_arena_printf(req->arena, "%s (%s)", name, e->account_email)
                            : name;
}

/* The booking's history, oldest first; false after a database failure. */
static bool history_json(struct pp_req *req, const struct pp_booking *b, json_t *out)
{
    struct pp_audit_entry *items;
    size_t n;
    if (pp_audit_list(pp_req_db(req), req->arena, "booking", b->id, HISTORY_MAX, &items, &n) !=
        PP_OK)
        return false;
    for (size_t i = n; i-- > 0;) {
        const struct pp_audit_entry *e = &items[i];
        const char *action, *detail;
        pp_web_audit_describe(req->arena, e, &action, &detail);
        json_array_append_new(
            out, json_pack("{s:s, s:s, s:s, s:s}", "date",
                           pp_view_when(req, b->venue_timezone, e->at),
                           "action", action, "who", history_who(req, b, e), "channel",
                           pp_web_audit_channel(e->channel)));
    }
    return true;
}

/* What the page says about a booking in the state @r describes. */
struct view {
    bool validated;            /* just validated (…&valide=1) */
    bool invalidated;          /* just invalidated (…&invalide=1) */
    const char *error;         /* a refused invalidation, shown above the booking */
};

static json_t *booking_json(struct pp_req *req, const struct pp_guichet_result *r,
                            const struct view *v)
{
    const struct pp_booking *b = &r->booking;
    const char *zone = b->venue_timezone;
    const char *label, *badge;
    status_of(b, &label, &badge);
    bool used = b->status_code == PP_BOOKING_USED;
    json_t *j = json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "token", b->token, "beneficiary",
        pp_arena_printf(req->arena, "%s %s", b->beneficiary_first_name, b->beneficiary_last_name),
        "email", b->beneficiary_email ? b->beneficiary_email : "", "offerName", b->offer_name,
        "venueName", b->venue_name, "statusLabel", label, "statusBadge", badge, "createdAt",
        pp_view_when(req, zone, b->created_at), "quantity",
        b->quantity == 2 ? "2 (Duo)" : pp_arena_printf(req->arena, "%lld", (long long)b->quantity));
    /* Every optional key is present (null when absent): a key missing from the booking would
     * be looked up in the page's context. */
    pp_view_set_str(j, "date", b->beginning_at ? pp_view_when(req, zone, b->beginning_at) : NULL);
    pp_view_set_str(j, "tariff", b->price_category_label && *b->price_category_label
                             ? b->price_category_label
                             : NULL);
    pp_view_set_str(j, "price",
            b->quantity > 1 && b->amount_cents > 0
                ? pp_arena_printf(req->arena, "%s (%lld × %s)",
                                  pp_view_price(req, b->amount_cents * b->quantity),
                                  (long long)b->quantity, pp_view_price(req, b->amount_cents))
                : pp_view_price(req, b->amount_cents * b->quantity));
    pp_view_set_str(j, "usedAt", b->used_at ? pp_view_when(req, zone, b->used_at) : NULL);
    pp_view_set_str(j, "cancelledAt",
                    b->cancelled_at ? pp_view_when(req, zone, b->cancelled_at) : NULL);

    /* The one message about what can be done, and the one action. */
    const char *success = NULL, *info = NULL, *warning = NULL, *error = v->error;
    bool can_use = false, can_keep = false;
    switch (r->reason) {
    case PP_GUICHET_OK:
        can_use = true;
        if (v->invalidated)
            success = "Contremarque invalidée : la réservation peut de nouveau être validée.";
        break;
    case PP_GUICHET_ALREADY_USED: {
        can_keep = b->activation_code == NULL;
        if (v->validated) {
            success = "Contremarque validée !";
            break;
        }
        const char *msg = pp_arena_printf(req->arena, "Cette contremarque a déjà été validée le %s.",
                                          pp_view_when(req, zone, b->used_at));
        if (is_pass(b))
            info = pp_arena_printf(req->arena, "%s Aucune autre action n'est nécessaire.", msg);
        else
            warning = msg;
        break;
    }
    case PP_GUICHET_TOO_EARLY: warning = pp_guichet_too_early_message(req->arena, r); break;
    case PP_GUICHET_REIMBURSED: error = MSG_REIMBURSED; break;
    case PP_GUICHET_CANCELLED:
        error = b->cancelled_at
                    ? pp_arena_printf(req->arena, "Cette réservation a été annulée le %s.",
                                      pp_view_when(req, zone, b->cancelled_at))
                    : MSG_CANCELLED;
        break;
    default: break;
    }
    pp_view_set_str(j, "success", success);
    pp_view_set_str(j, "info", info);
    pp_view_set_str(j, "warning", warning);
    pp_view_set_str(j, "error", error);
    json_object_set_new(j, "canUse", json_boolean(can_use));
    json_object_set_new(j, "canKeep", json_boolean(can_keep && used));
    json_t *history = json_array();
    if (!history_json(req, b, history)) {
        json_decref(history);
        json_decref(j);
        return NULL;
    }
    json_object_set_new(j, "hasHistory", json_boolean(json_array_size(history) > 0));
    json_object_set_new(j, "history", history);
    return j;
}

/*
 * The page with the field showing @value, the field's @field_error, and the booking of @r
 * when one was found (NULL: none).
 */
static void guichet_page(struct pp_req *req, int status, const char *value,
                         const char *field_error, const struct pp_guichet_result *r,
                         const struct view *v)
{
    json_t *data = pp_req_own(req, json_pack("{s:s, s:o, s:b}", "value", value ? value : "",
                                             "errors", json_object(), "navGuichet", 1));
    if (field_error != NULL)
        json_object_set_new(json_object_get(data, "errors"), "contremarque",
                            json_string(field_error));
    json_t *booking = json_null();
    if (r != NULL) {
        static const struct view none = {0};
        booking = booking_json(req, r, v ? v : &none);
        if (booking == NULL) {
            pp_web_page_error(req, 500, NULL);
            return;
        }
    }
    json_object_set_new(data, "booking", booking);
    pp_web_render(req, status, "guichet.html", "Guichet", json_incref(data));
}

/* Answers a lookup or an operation that found nothing usable; false when @r has a booking. */
static bool answered_without_booking(struct pp_req *req, const struct input *in,
                                     enum pp_err rc, const struct pp_guichet_result *r)
{
    if (rc == PP_EINVAL || (rc == PP_OK && r->reason == PP_GUICHET_NOT_FOUND)) {
        guichet_page(req, 404, in->value, MSG_NOT_FOUND, NULL, NULL);
        return true;
    }
    if (rc == PP_OK && r->reason == PP_GUICHET_THROTTLED) {
        guichet_page(req, 429, in->value, MSG_THROTTLED, NULL, NULL);
        return true;
    }
    if (rc != PP_OK) {
        pp_web_page_error(req, rc == PP_ECONFLICT ? 409 : 500,
                          rc == PP_ECONFLICT ? "La réservation vient de changer : recherchez "
                                               "de nouveau la contremarque."
                                             : NULL);
        return true;
    }
    return false;
}

static struct pp_guichet_actor actor_of(struct pp_req *req)
{
    return (struct pp_guichet_actor){.account_id = req->user.id, .channel = PP_CHANNEL_PORTAL};
}

void pp_web_guichet(struct pp_req *req)
{
    const char *raw = pp_req_query(req, "contremarque");
    if (raw == NULL) {
        guichet_page(req, 200, "", NULL, NULL, NULL);
        return;
    }
    struct input in;
    if (!read_input(req, raw, &in)) {
        guichet_page(req, 400, in.value, in.error, NULL, NULL);
        return;
    }
    struct pp_guichet_actor actor = actor_of(req);
    struct pp_guichet_result r;
    enum pp_err rc = pp_guichet_check(pp_req_db(req), req->arena, &actor, in.token, &r);
    if (answered_without_booking(req, &in, rc, &r))
        return;
    /* The flags of the redirect only confirm what the booking's state shows. */
    struct view v = {.validated = pp_req_query(req, "valide") != NULL,
                     .invalidated = pp_req_query(req, "invalide") != NULL};
    guichet_page(req, 200, in.value, NULL, &r, &v);
}

/* The status a refusal answers with, as the API's (SPEC §6). */
static int refusal_status(enum pp_guichet_reason reason)
{
    switch (reason) {
    case PP_GUICHET_ALREADY_USED:
    case PP_GUICHET_CANCELLED: return 410;
    case PP_GUICHET_NOT_FOUND: return 404;
    case PP_GUICHET_THROTTLED: return 429;
    default: return 403;
    }
}

/* pp_guichet_use or pp_guichet_keep. */
typedef enum pp_err (*operation_fn)(struct pp_db *db, struct pp_arena *arena,
                                    const struct pp_guichet_actor *actor, const char *input,
                                    struct pp_guichet_result *out);

/*
 * Runs @op on the countermark of the form. True when answered: a malformed or unknown
 * countermark, a failure, or success (a redirect to the lookup with "&@done=1"); false with
 * the refusal in @r, for the caller to show.
 */
static bool operate(struct pp_req *req, operation_fn op, const char *done, struct input *in,
                    struct pp_guichet_result *r)
{
    if (!read_input(req, pp_web_field(req, "contremarque"), in)) {
        guichet_page(req, 422, in->value, in->error, NULL, NULL);
        return true;
    }
    struct pp_guichet_actor actor = actor_of(req);
    enum pp_err rc = op(pp_req_db(req), req->arena, &actor, in->token, r);
    if (answered_without_booking(req, in, rc, r))
        return true;
    if (r->reason != PP_GUICHET_OK)
        return false;
    pp_res_redirect(req, pp_arena_printf(req->arena, "/guichet?contremarque=%s&%s=1",
                                         in->token, done));
    return true;
}

void pp_web_guichet_use(struct pp_req *req)
{
    struct input in;
    struct pp_guichet_result r;
    if (operate(req, pp_guichet_use, "valide", &in, &r))
        return;
    /* Refused: the booking as it is, with the reason (the same view as a lookup). */
    guichet_page(req, refusal_status(r.reason), in.value, NULL, &r, NULL);
}

void pp_web_guichet_keep(struct pp_req *req)
{
    struct input in;
    struct pp_guichet_result r;
    if (operate(req, pp_guichet_keep, "invalide", &in, &r))
        return;
    /* Refused: the booking as a lookup shows it, with why it cannot be invalidated when the
     * lookup does not already say so (cancelled and reimbursed bookings do). */
    int status = refusal_status(r.reason);
    struct view v = {0};
    if (r.reason == PP_GUICHET_NOT_USED)
        v.error = MSG_NOT_USED;
    else if (r.reason == PP_GUICHET_HAS_CODE)
        v.error = MSG_HAS_CODE;
    struct pp_guichet_actor actor = actor_of(req);
    enum pp_err rc = pp_guichet_check(pp_req_db(req), req->arena, &actor, in.token, &r);
    if (answered_without_booking(req, &in, rc, &r))
        return;
    guichet_page(req, status, in.value, NULL, &r, &v);
}
