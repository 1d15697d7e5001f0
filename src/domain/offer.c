#include "domain/offer.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/categories.h"
#include "core/clock.h"
#include "core/email.h"
#include "core/utf8.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/booking.h"
#include "domain/outbox.h"

#define DESCRIPTION_MAX 10000
#define WITHDRAWAL_MAX 500
#define URL_MAX 255

void pp_offer_input_init(struct pp_offer_input *in)
{
    memset(in, 0, sizeof *in);
    in->is_duo = in->audio_disability = in->mental_disability = -1;
    in->motor_disability = in->visual_disability = in->is_active = -1;
}

/* Thirteen digits in a row look like an EAN: a title must not carry one (RULES §2). */
static bool has_ean(const char *s)
{
    int run = 0;
    for (; *s; s++) {
        run = isdigit((unsigned char)*s) ? run + 1 : 0;
        if (run >= 13)
            return true;
    }
    return false;
}

/* Lower-cased ASCII copy with French accents folded, for keyword checks. */
static char *fold(struct pp_arena *a, const char *s)
{
    static const struct {
        const char *utf8;
        char ascii;
    } accents[] = {{"é", 'e'}, {"è", 'e'}, {"ê", 'e'}, {"ë", 'e'}, {"à", 'a'}, {"â", 'a'},
                   {"î", 'i'}, {"ï", 'i'}, {"ô", 'o'}, {"ù", 'u'}, {"û", 'u'}, {"ç", 'c'},
                   {"É", 'e'}, {"È", 'e'}, {"À", 'a'}, {"Ç", 'c'}, {"’", '\''}};
    char *out = pp_arena_alloc(a, strlen(s) + 1);
    size_t n = 0;
    while (*s) {
        bool done = false;
        for (size_t i = 0; i < sizeof accents / sizeof accents[0] && !done; i++) {
            size_t len = strlen(accents[i].utf8);
            if (strncmp(s, accents[i].utf8, len) == 0) {
                out[n++] = accents[i].ascii;
                s += len;
                done = true;
            }
        }
        if (!done)
            out[n++] = (char)tolower((unsigned char)*s++);
    }
    out[n] = '\0';
    return out;
}

/* Gift cards, vouchers and merchandise packs are never eligible (helpcenter.md §4). */
static bool is_ineligible(struct pp_arena *a, const char *name)
{
    static const char *const words[] = {"carte cadeau", "carte-cadeau", "cheque cadeau",
                                        "cheque-cadeau", "bon d'achat", "bons d'achat",
                                        "gift card", "e-carte cadeau"};
    char *f = fold(a, name);
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strstr(f, words[i]) != NULL)
            return true;
    return false;
}

static bool url_is_valid(const char *u)
{
    if (strlen(u) > URL_MAX)
        return false;
    const char *rest = strncmp(u, "https://", 8) == 0  ? u + 8
                       : strncmp(u, "http://", 7) == 0 ? u + 7
                                                       : NULL;
    if (rest == NULL || *rest == '\0' || *rest == '/' || strchr(rest, '.') == NULL)
        return false;
    for (const char *p = u; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == '"' || *p == '<' || *p == '>' || *p == '\\')
            return false;
    return true;
}

/* Checks the whole offer @o as it would be stored; @creating requires every mandatory field. */
static void validate(struct pp_arena *a, const struct pp_offer_input *o, bool creating,
                     struct pp_error *e)
{
    if (o->name == NULL || *o->name == '\0')
        pp_error_set(e, PP_EVALIDATION, "name", "Veuillez renseigner le titre de l'offre.");
    else if (strlen(o->name) > 4 * PP_OFFER_NAME_MAX || pp_utf8_chars(o->name) > PP_OFFER_NAME_MAX)
        pp_error_set(e, PP_EVALIDATION, "name",
                     "Le titre de l'offre ne doit pas dépasser 90 caractères.");
    else if (has_ean(o->name))
        pp_error_set(e, PP_EVALIDATION, "name",
                     "Le titre d'une offre ne peut pas contenir d'EAN (13 chiffres à la suite).");
    else if (is_ineligible(a, o->name))
        pp_error_set(e, PP_EVALIDATION, "name",
                     "Les cartes cadeaux, bons d'achat et packs avec des produits dérivés ne sont "
                     "pas éligibles au pass Culture.");

    const struct pp_subcategory *sub =
        o->subcategory_id ? pp_subcategory_find(o->subcategory_id) : NULL;
    if (sub == NULL || (creating && !sub->selectable)) {
        pp_error_set(e, PP_EVALIDATION, "subcategoryId",
                     "Veuillez choisir une sous-catégorie de la liste.");
    } else {
        if (sub->platform == PP_PLATFORM_ONLINE && o->url == NULL)
            pp_error_set(e, PP_EVALIDATION, "url",
                         "Une offre numérique doit avoir une adresse web (URL).");
        if (sub->platform == PP_PLATFORM_OFFLINE && o->url != NULL)
            pp_error_set(e, PP_EVALIDATION, "url",
                         "Une offre physique ne peut pas avoir d'adresse web (URL).");
        if (o->is_duo == 1 && !sub->can_be_duo)
            pp_error_set(e, PP_EVALIDATION, "isDuo",
                         "Cette sous-catégorie ne permet pas les offres Duo.");
    }
    if (o->url != NULL && !url_is_valid(o->url))
        pp_error_set(e, PP_EVALIDATION, "url",
                     "L'adresse web doit commencer par https:// ou http:// et être valide.");
    if (o->description != NULL && pp_utf8_chars(o->description) > DESCRIPTION_MAX)
        pp_error_set(e, PP_EVALIDATION, "description",
                     "La description ne doit pas dépasser 10 000 caractères.");
    if (o->withdrawal_details != NULL && pp_utf8_chars(o->withdrawal_details) > WITHDRAWAL_MAX)
        pp_error_set(e, PP_EVALIDATION, "withdrawalDetails",
                     "Les informations de retrait ne doivent pas dépasser 500 caractères.");
    if (o->booking_email != NULL && !pp_email_is_valid(o->booking_email))
        pp_error_set(e, PP_EVALIDATION, "bookingEmail",
                     "Veuillez renseigner une adresse email valide.");
    static const char accessibility[] =
        "Veuillez indiquer si l'offre est accessible à ce type de handicap.";
    if (o->audio_disability < 0)
        pp_error_set(e, PP_EVALIDATION, "audioDisabilityCompliant", accessibility);
    if (o->mental_disability < 0)
        pp_error_set(e, PP_EVALIDATION, "mentalDisabilityCompliant", accessibility);
    if (o->motor_disability < 0)
        pp_error_set(e, PP_EVALIDATION, "motorDisabilityCompliant", accessibility);
    if (o->visual_disability < 0)
        pp_error_set(e, PP_EVALIDATION, "visualDisabilityCompliant", accessibility);
}

enum pp_err pp_offer_create(struct pp_db *db, struct pp_arena *arena,
                            const struct pp_offer_input *in, int64_t *id, struct pp_error *e)
{
    struct pp_offer_input o = *in;
    /* On creation an empty text is just absent. */
    const char **texts[] = {&o.url, &o.description, &o.booking_email, &o.withdrawal_details};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        if (*texts[i] != NULL && **texts[i] == '\0')
            *texts[i] = NULL;
    if (o.booking_email != NULL)
        o.booking_email = pp_email_normalize(pp_arena_strdup(arena, o.booking_email));
    if (o.is_duo < 0)
        o.is_duo = 0;
    validate(arena, &o, true, e);
    if (e->count > 0)
        return PP_EVALIDATION;
    struct pp_stmt *st = pp_db_prepare(
        db, "INSERT INTO offer (venue_id, name, description, subcategory_id, url, is_duo,"
            " booking_email, withdrawal_details, audio_disability, mental_disability,"
            " motor_disability, visual_disability, is_active, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    if (st == NULL)
        return PP_EDB;
    pp_stmt_bind_int(st, 1, o.venue_id);
    pp_stmt_bind_text(st, 2, o.name);
    pp_stmt_bind_text(st, 3, o.description);
    pp_stmt_bind_text(st, 4, o.subcategory_id);
    pp_stmt_bind_text(st, 5, o.url);
    pp_stmt_bind_int(st, 6, o.is_duo);
    pp_stmt_bind_text(st, 7, o.booking_email);
    pp_stmt_bind_text(st, 8, o.withdrawal_details);
    pp_stmt_bind_int(st, 9, o.audio_disability);
    pp_stmt_bind_int(st, 10, o.mental_disability);
    pp_stmt_bind_int(st, 11, o.motor_disability);
    pp_stmt_bind_int(st, 12, o.visual_disability);
    pp_stmt_bind_int(st, 13, o.is_active == 0 ? 0 : 1);
    pp_stmt_bind_int(st, 14, pp_clock_now());
    enum pp_step s = pp_stmt_step(st);
    if (s == PP_STEP_ROW)
        *id = pp_stmt_int(st, 0);
    pp_stmt_done(st);
    return s == PP_STEP_ROW ? PP_OK : PP_EDB;
}

/*
 * Columns of an offer with its live-stock aggregates as of ?1 (now): count, stocks still
 * bookable in time, and those with places left. The displayed status derives from them.
 */
#define OFFER_SELECT                                                                              \
    "SELECT o.id, o.venue_id, v.offerer_id, o.name, o.description, o.subcategory_id, o.url,"      \
    " o.is_duo, o.booking_email, o.withdrawal_details, o.audio_disability,"                       \
    " o.mental_disability, o.motor_disability, o.visual_disability, o.validation, o.is_active,"   \
    " o.created_at, COALESCE(v.public_name, v.name),"                                             \
    " (SELECT COUNT(*) FROM stock s WHERE s.offer_id = o.id AND s.is_deleted = 0),"               \
    " (SELECT COUNT(*) FROM stock s WHERE s.offer_id = o.id AND s.is_deleted = 0"                 \
    "   AND (s.beginning_at IS NULL OR s.beginning_at > ?1)"                                      \
    "   AND (s.booking_limit_at IS NULL OR s.booking_limit_at > ?1)),"                            \
    " (SELECT COUNT(*) FROM stock s WHERE s.offer_id = o.id AND s.is_deleted = 0"                 \
    "   AND (s.beginning_at IS NULL OR s.beginning_at > ?1)"                                      \
    "   AND (s.booking_limit_at IS NULL OR s.booking_limit_at > ?1)"                              \
    "   AND (s.quantity IS NULL OR s.quantity > s.booked))"                                       \
    " FROM offer o JOIN venue v ON v.id = o.venue_id"

static const char *display_status(const char *validation, int is_active, int64_t n,
                                  int64_t in_time, int64_t with_places)
{
    if (strcmp(validation, "APPROVED") != 0)
        return validation;
    if (!is_active)
        return "INACTIVE";
    if (n > 0 && in_time == 0)
        return "EXPIRED";
    if (with_places == 0)
        return "SOLD_OUT";
    return "ACTIVE";
}

static void read_offer(struct pp_stmt *st, struct pp_arena *a, struct pp_offer *o)
{
    o->id = pp_stmt_int(st, 0);
    o->venue_id = pp_stmt_int(st, 1);
    o->offerer_id = pp_stmt_int(st, 2);
    o->name = pp_arena_strdup(a, pp_stmt_text(st, 3));
    o->description = pp_arena_strdup(a, pp_stmt_text(st, 4));
    o->subcategory_id = pp_arena_strdup(a, pp_stmt_text(st, 5));
    o->url = pp_arena_strdup(a, pp_stmt_text(st, 6));
    o->is_duo = (int)pp_stmt_int(st, 7);
    o->booking_email = pp_arena_strdup(a, pp_stmt_text(st, 8));
    o->withdrawal_details = pp_arena_strdup(a, pp_stmt_text(st, 9));
    o->audio_disability = (int)pp_stmt_int(st, 10);
    o->mental_disability = (int)pp_stmt_int(st, 11);
    o->motor_disability = (int)pp_stmt_int(st, 12);
    o->visual_disability = (int)pp_stmt_int(st, 13);
    o->validation = pp_arena_strdup(a, pp_stmt_text(st, 14));
    o->is_active = (int)pp_stmt_int(st, 15);
    o->created_at = pp_stmt_int(st, 16);
    o->venue_name = pp_arena_strdup(a, pp_stmt_text(st, 17));
    o->stock_count = pp_stmt_int(st, 18);
    o->display_status = display_status(o->validation, o->is_active, o->stock_count,
                                        pp_stmt_int(st, 19), pp_stmt_int(st, 20));
}

enum pp_err pp_offer_get(struct pp_db *db, struct pp_arena *arena, int64_t id,
                         struct pp_offer *out)
{
    struct pp_stmt *st = pp_db_prepare(db, OFFER_SELECT " WHERE o.id = ?2");
    if (st == NULL)
        return PP_EDB;
    pp_stmt_bind_int(st, 1, pp_clock_now());
    pp_stmt_bind_int(st, 2, id);
    enum pp_step s = pp_stmt_step(st);
    if (s == PP_STEP_ROW)
        read_offer(st, arena, out);
    pp_stmt_done(st);
    return s == PP_STEP_ROW ? PP_OK : s == PP_STEP_DONE ? PP_ENOTFOUND : PP_EDB;
}

enum pp_err pp_offer_check_editable(struct pp_db *db, int64_t id, struct pp_error *e)
{
    struct pp_stmt *st = pp_db_prepare(db, "SELECT validation FROM offer WHERE id = ?");
    if (st == NULL)
        return PP_EDB;
    pp_stmt_bind_int(st, 1, id);
    enum pp_step s = pp_stmt_step(st);
    bool editable = s == PP_STEP_ROW && (strcmp(pp_stmt_text(st, 0), "DRAFT") == 0 ||
                                         strcmp(pp_stmt_text(st, 0), "APPROVED") == 0);
    pp_stmt_done(st);
    if (s == PP_STEP_ERROR)
        return PP_EDB;
    if (s == PP_STEP_DONE)
        return PP_ENOTFOUND;
    if (!editable)
        return pp_error_set(e, PP_ECONFLICT, "global",
                            "Une offre en attente de validation ou refusée ne peut pas être "
                            "modifiée.");
    return PP_OK;
}

enum pp_err pp_offer_update(struct pp_db *db, struct pp_arena *arena, int64_t id,
                            const struct pp_offer_input *in, struct pp_error *e)
{
    struct pp_offer cur;
    enum pp_err rc = pp_offer_get(db, arena, id, &cur);
    if (rc != PP_OK)
        return rc;
    if ((rc = pp_offer_check_editable(db, id, e)) != PP_OK)
        return rc;
    if (in->venue_id != 0 && in->venue_id != cur.venue_id)
        pp_error_set(e, PP_EVALIDATION, "venueId", "Le lieu d'une offre ne peut pas être changé.");
    if (in->subcategory_id != NULL && strcmp(in->subcategory_id, cur.subcategory_id) != 0 &&
        strcmp(cur.validation, "DRAFT") != 0)
        pp_error_set(e, PP_EVALIDATION, "subcategoryId",
                     "La sous-catégorie d'une offre publiée ne peut pas être changée.");
    /* Events have dated stocks and things one undated stock: a draft with stocks keeps its
     * kind. */
    const struct pp_subcategory *now_sub = pp_subcategory_find(cur.subcategory_id);
    const struct pp_subcategory *next_sub =
        in->subcategory_id ? pp_subcategory_find(in->subcategory_id) : NULL;
    if (next_sub != NULL && now_sub != NULL && next_sub->is_event != now_sub->is_event &&
        cur.stock_count > 0)
        pp_error_set(e, PP_EVALIDATION, "subcategoryId",
                     next_sub->is_event
                         ? "Supprimez d'abord le stock de ce bien pour en faire un évènement."
                         : "Supprimez d'abord les dates de cet évènement pour en faire un bien.");
    /* The offer as it would be after the edit, checked as a whole; an empty text clears. */
    struct pp_offer_input m = {
        .venue_id = cur.venue_id,
        .name = in->name ? in->name : cur.name,
        .description = in->description ? (*in->description ? in->description : NULL)
                                       : cur.description,
        .subcategory_id = in->subcategory_id ? in->subcategory_id : cur.subcategory_id,
        .url = in->url ? (*in->url ? in->url : NULL) : cur.url,
        .is_duo = in->is_duo >= 0 ? in->is_duo : cur.is_duo,
        .booking_email = in->booking_email
                             ? (*in->booking_email ? pp_email_normalize(pp_arena_strdup(
                                                         arena, in->booking_email))
                                                   : NULL)
                             : cur.booking_email,
        .withdrawal_details = in->withdrawal_details
                                  ? (*in->withdrawal_details ? in->withdrawal_details : NULL)
                                  : cur.withdrawal_details,
        .audio_disability = in->audio_disability >= 0 ? in->audio_disability
                                                      : cur.audio_disability,
        .mental_disability = in->mental_disability >= 0 ? in->mental_disability
                                                        : cur.mental_disability,
        .motor_disability = in->motor_disability >= 0 ? in->motor_disability
                                                      : cur.motor_disability,
        .visual_disability = in->visual_disability >= 0 ? in->visual_disability
                                                        : cur.visual_disability,
        .is_active = in->is_active >= 0 ? in->is_active : cur.is_active,
    };
    validate(arena, &m, strcmp(cur.validation, "DRAFT") == 0 && in->subcategory_id != NULL, e);
    if (e->count > 0)
        return PP_EVALIDATION;
    struct pp_stmt *st = pp_db_prepare(
        db, "UPDATE offer SET name = ?, description = ?, subcategory_id = ?, url = ?, is_duo = ?,"
            " booking_email = ?, withdrawal_details = ?, audio_disability = ?,"
            " mental_disability = ?, motor_disability = ?, visual_disability = ?, is_active = ?"
            " WHERE id = ?");
    if (st == NULL)
        return PP_EDB;
    pp_stmt_bind_text(st, 1, m.name);
    pp_stmt_bind_text(st, 2, m.description);
    pp_stmt_bind_text(st, 3, m.subcategory_id);
    pp_stmt_bind_text(st, 4, m.url);
    pp_stmt_bind_int(st, 5, m.is_duo);
    pp_stmt_bind_text(st, 6, m.booking_email);
    pp_stmt_bind_text(st, 7, m.withdrawal_details);
    pp_stmt_bind_int(st, 8, m.audio_disability);
    pp_stmt_bind_int(st, 9, m.mental_disability);
    pp_stmt_bind_int(st, 10, m.motor_disability);
    pp_stmt_bind_int(st, 11, m.visual_disability);
    pp_stmt_bind_int(st, 12, m.is_active);
    pp_stmt_bind_int(st, 13, id);
    enum pp_step s = pp_stmt_step(st);
    pp_stmt_done(st);
    return s == PP_STEP_DONE ? PP_OK : PP_EDB;
}

static enum pp_err collect(struct pp_stmt *st, struct pp_arena *arena, const char *status,
                           struct pp_offer **items, size_t *count)
{
    size_t n = 0, cap = 0;
    struct pp_offer *out = NULL;
    enum pp_step s;
    while ((s = pp_stmt_step(st)) == PP_STEP_ROW) {
        struct pp_offer o;
        read_offer(st, arena, &o);
        if (status != NULL && strcmp(status, o.display_status) != 0 &&
            strcmp(status, o.validation) != 0)
            continue;
        out = pp_arena_grow(arena, out, n, &cap, sizeof *out);
        out[n++] = o;
    }
    pp_stmt_done(st);
    *items = out;
    *count = n;
    return s == PP_STEP_DONE ? PP_OK : PP_EDB;
}

enum pp_err pp_offer_list(struct pp_db *db, struct pp_arena *arena, int64_t account_id,
                          int64_t venue_id, const char *status, struct pp_offer **items,
                          size_t *count)
{
    struct pp_stmt *st = pp_db_prepare(
        db, OFFER_SELECT " JOIN user_offerer uo ON uo.offerer_id = v.offerer_id"
                         " AND uo.account_id = ?2 AND uo.status = 'VALIDATED'"
                         " WHERE (?3 = 0 OR o.venue_id = ?3) ORDER BY o.created_at DESC, o.id DESC");
    if (st == NULL)
        return PP_EDB;
    pp_stmt_bind_int(st, 1, pp_clock_now());
    pp_stmt_bind_int(st, 2, account_id);
    pp_stmt_bind_int(st, 3, venue_id);
    return collect(st, arena, status, items, count);
}

enum pp_err pp_offer_list_pending(struct pp_db *db, struct pp_arena *arena, int limit,
                                  struct pp_offer **items, size_t *count)
{
    struct pp_stmt *st = pp_db_prepare(
        db, OFFER_SELECT " WHERE o.validation = 'PENDING' ORDER BY o.published_at, o.id LIMIT ?2");
    if (st == NULL)
        return PP_EDB;
    pp_stmt_bind_int(st, 1, pp_clock_now());
    pp_stmt_bind_int(st, 2, limit);
    return collect(st, arena, NULL, items, count);
}

enum pp_err pp_offer_publish(struct pp_db *db, int64_t account_id, int64_t id,
                             const char **status, struct pp_error *e)
{
    if (pp_db_begin(db) != PP_OK)
        return PP_EDB;
    enum pp_err rc = PP_OK;
    struct pp_stmt *st = pp_db_prepare(
        db, "SELECT o.validation, off.status,"
            " (SELECT COUNT(*) FROM stock s WHERE s.offer_id = o.id AND s.is_deleted = 0)"
            " FROM offer o JOIN venue v ON v.id = o.venue_id JOIN offerer off ON off.id = v.offerer_id"
            " WHERE o.id = ?");
    if (st == NULL) {
        pp_db_rollback(db);
        return PP_EDB;
    }
    pp_stmt_bind_int(st, 1, id);
    enum pp_step s = pp_stmt_step(st);
    if (s == PP_STEP_ROW) {
        if (strcmp(pp_stmt_text(st, 0), "DRAFT") != 0)
            rc = pp_error_set(e, PP_ECONFLICT, "global", "Cette offre est déjà publiée.");
        else if (pp_stmt_int(st, 2) == 0)
            rc = pp_error_set(e, PP_EVALIDATION, "global",
                              "Ajoutez au moins une date ou un stock avant de publier l'offre.");
        else
            *status = strcmp(pp_stmt_text(st, 1), "VALIDATED") == 0 ? "APPROVED" : "PENDING";
    } else {
        rc = s == PP_STEP_DONE ? PP_ENOTFOUND : PP_EDB;
    }
    pp_stmt_done(st);
    if (rc == PP_OK) {
        st = pp_db_prepare(db, "UPDATE offer SET validation = ?, published_at = ? WHERE id = ?");
        if (st == NULL) {
            rc = PP_EDB;
        } else {
            pp_stmt_bind_text(st, 1, *status);
            pp_stmt_bind_int(st, 2, pp_clock_now());
            pp_stmt_bind_int(st, 3, id);
            rc = pp_stmt_step(st) == PP_STEP_DONE ? PP_OK : PP_EDB;
            pp_stmt_done(st);
        }
    }
    if (rc == PP_OK)
        rc = pp_audit_log(db, account_id, PP_CHANNEL_PORTAL, "OFFER_PUBLISHED", "offer", id,
                          *status);
    if (rc != PP_OK) {
        pp_db_rollback(db);
        return rc;
    }
    return pp_db_commit(db);
}

/*
 * Queues the email of a back-office decision on offer @id to the offer's booking email, else
 * the venue's (none: nothing queued). For a rejection it says how many live bookings the
 * rejection is about to cancel. Inside the caller's transaction.
 */
static enum pp_err queue_moderation_email(struct pp_db *db, int64_t id, bool approve)
{
    struct pp_stmt *st = pp_db_prepare(
        db, "SELECT o.name, COALESCE(v.public_name, v.name),"
            " COALESCE(o.booking_email, v.booking_email),"
            " (SELECT COUNT(*) FROM booking b WHERE b.offer_id = o.id AND b.status = 'CONFIRMED')"
            " FROM offer o JOIN venue v ON v.id = o.venue_id WHERE o.id = ?");
    if (st == NULL)
        return PP_EDB;
    pp_stmt_bind_int(st, 1, id);
    enum pp_step s = pp_stmt_step(st);
    enum pp_err rc = s == PP_STEP_ROW ? PP_OK : s == PP_STEP_DONE ? PP_ENOTFOUND : PP_EDB;
    json_t *payload = NULL;
    char *to = NULL;
    if (rc == PP_OK && !pp_stmt_is_null(st, 2)) {
        payload = json_pack("{s:I, s:s, s:s, s:I}", "offerId", (json_int_t)id, "offerName",
                            pp_stmt_text(st, 0), "venueName", pp_stmt_text(st, 1),
                            "cancelledBookings", (json_int_t)(approve ? 0 : pp_stmt_int(st, 3)));
        to = pp_xstrdup(pp_stmt_text(st, 2));
    }
    pp_stmt_done(st);
    if (rc == PP_OK && to != NULL)
        rc = pp_outbox_add(db, approve ? "OFFER_APPROVED" : "OFFER_REJECTED", to, NULL, payload);
    free(to);
    return rc;
}

enum pp_err pp_offer_moderate(struct pp_db *db, int64_t admin_id, int64_t id, bool approve,
                              const char **status)
{
    *status = approve ? "APPROVED" : "REJECTED";
    if (pp_db_begin(db) != PP_OK)
        return PP_EDB;
    /* Approving an offer that is already approved changes nothing: no email then. */
    int64_t was_approved = 0;
    if (pp_db_query_int(db, &was_approved,
                        "SELECT CASE WHEN validation = 'APPROVED' THEN 1 ELSE 0 END FROM offer"
                        " WHERE id = ?",
                        1, id) == PP_EDB) {
        pp_db_rollback(db);
        return PP_EDB;
    }
    struct pp_stmt *st = pp_db_prepare(
        db, "UPDATE offer SET validation = ?, moderated_at = ? WHERE id = ?"
            " AND validation IN ('PENDING', 'APPROVED')");
    if (st == NULL) {
        pp_db_rollback(db);
        return PP_EDB;
    }
    pp_stmt_bind_text(st, 1, *status);
    pp_stmt_bind_int(st, 2, pp_clock_now());
    pp_stmt_bind_int(st, 3, id);
    enum pp_step s = pp_stmt_step(st);
    int64_t changed = s == PP_STEP_DONE ? pp_stmt_changes(st) : -1;
    pp_stmt_done(st);
    enum pp_err rc = changed < 0 ? PP_EDB : PP_OK;
    if (changed == 0) {
        int64_t exists;
        rc = pp_db_query_int(db, &exists, "SELECT 1 FROM offer WHERE id = ?", 1, id) == PP_OK
                 ? PP_ECONFLICT
                 : PP_ENOTFOUND;
    }
    if (rc == PP_OK && !(approve && was_approved))
        rc = queue_moderation_email(db, id, approve);
    /* A rejected offer's bookings are cancelled (reason FRAUD), credit given back. */
    if (rc == PP_OK && !approve)
        rc = pp_booking_cancel_for_offer(db, admin_id, id, "FRAUD");
    if (rc == PP_OK)
        rc = pp_audit_log(db, admin_id, PP_CHANNEL_BACKOFFICE,
                          approve ? "OFFER_APPROVED" : "OFFER_REJECTED", "offer", id, NULL);
    if (rc != PP_OK) {
        pp_db_rollback(db);
        return rc;
    }
    return pp_db_commit(db);
}

enum pp_err pp_offer_search(struct pp_db *db, struct pp_arena *arena, const char *q,
                            const char *subcategory_id, const char *postal_code, int limit,
                            struct pp_offer_hit **items, size_t *count)
{
    /* LIKE wildcards typed by a person are matched literally. */
    char *pattern = NULL;
    if (q != NULL && *q != '\0') {
        pattern = pp_arena_alloc(arena, 2 * strlen(q) + 3);
        size_t k = 0;
        pattern[k++] = '%';
        for (const char *p = q; *p; p++) {
            if (*p == '%' || *p == '_' || *p == '\\')
                pattern[k++] = '\\';
            pattern[k++] = *p;
        }
        pattern[k++] = '%';
        pattern[k] = '\0';
    }
    struct pp_stmt *st = pp_db_prepare(
        db, "SELECT o.id, o.name, o.subcategory_id, COALESCE(v.public_name, v.name),"
            " v.postal_code, v.city, MIN(s.price_cents), MIN(s.beginning_at), o.is_duo,"
            " MAX(s.price_cents), v.timezone"
            " FROM offer o JOIN venue v ON v.id = o.venue_id JOIN stock s ON s.offer_id = o.id"
            " WHERE o.validation = 'APPROVED' AND o.is_active = 1 AND s.is_deleted = 0"
            " AND (s.beginning_at IS NULL OR s.beginning_at > ?1)"
            " AND (s.booking_limit_at IS NULL OR s.booking_limit_at > ?1)"
            " AND (s.quantity IS NULL OR s.quantity > s.booked)"
            " AND (?2 IS NULL OR LOWER(o.name) LIKE LOWER(?2) ESCAPE '\\')"
            " AND (?3 IS NULL OR o.subcategory_id = ?3)"
            " GROUP BY o.id"
            " ORDER BY (v.postal_code = ?4) DESC, (SUBSTR(v.postal_code, 1, 2) = SUBSTR(?4, 1, 2))"
            " DESC, o.id DESC LIMIT ?5");
    if (st == NULL)
        return PP_EDB;
    pp_stmt_bind_int(st, 1, pp_clock_now());
    pp_stmt_bind_text(st, 2, pattern);
    pp_stmt_bind_text(st, 3, subcategory_id);
    pp_stmt_bind_text(st, 4, postal_code ? postal_code : "");
    pp_stmt_bind_int(st, 5, limit);
    size_t n = 0, cap = 0;
    struct pp_offer_hit *out = NULL;
    enum pp_step s;
    while ((s = pp_stmt_step(st)) == PP_STEP_ROW) {
        out = pp_arena_grow(arena, out, n, &cap, sizeof *out);
        struct pp_offer_hit *h = &out[n++];
        h->id = pp_stmt_int(st, 0);
        h->name = pp_arena_strdup(arena, pp_stmt_text(st, 1));
        h->subcategory_id = pp_arena_strdup(arena, pp_stmt_text(st, 2));
        h->venue_name = pp_arena_strdup(arena, pp_stmt_text(st, 3));
        h->postal_code = pp_arena_strdup(arena, pp_stmt_text(st, 4));
        h->city = pp_arena_strdup(arena, pp_stmt_text(st, 5));
        h->min_price_cents = pp_stmt_int(st, 6);
        h->next_beginning_at = pp_stmt_int(st, 7);
        h->is_duo = (int)pp_stmt_int(st, 8);
        h->max_price_cents = pp_stmt_int(st, 9);
        h->venue_timezone = pp_arena_strdup(arena, pp_stmt_text(st, 10));
    }
    pp_stmt_done(st);
    *items = out;
    *count = n;
    return s == PP_STEP_DONE ? PP_OK : PP_EDB;
}
