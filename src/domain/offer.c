#include "domain/offer.h"

#include <ctype.h>
#include <string.h>

#include "core/arena.h"
#include "core/categories.h"
#include "core/clock.h"
#include "core/email.h"
#include "core/utf8.h"
#include "db/bind.h"
#include "db/db.h"
#include "db/row.h"
#include "db/tx.h"
#include "domain/audit.h"
#include "domain/booking.h"
#include "domain/outbox.h"
#include "domain/search.h"

#define DESCRIPTION_MAX 10000
#define WITHDRAWAL_MAX 500
#define URL_MAX 255

/* The PP_OFFER_FIELDS (offer.h) as columns, as placeholders and as the parameters from @o, in
 * one order, for the INSERT of a create and the UPDATE of an edit. */
#define OFFER_FIELD_COLUMNS                                                                       \
    "name, description, subcategory_id, url, is_duo, booking_email, withdrawal_details,"          \
    " audio_disability, mental_disability, motor_disability, visual_disability"
#define OFFER_FIELD_PARAMS "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?"
#define OFFER_FIELD_ARGS(o)                                                                       \
    PP_TEXT((o).name), PP_TEXT((o).description), PP_TEXT((o).subcategory_id), PP_TEXT((o).url),   \
        PP_INT((o).is_duo), PP_TEXT((o).booking_email), PP_TEXT((o).withdrawal_details),          \
        PP_INT((o).audio_disability), PP_INT((o).mental_disability),                              \
        PP_INT((o).motor_disability), PP_INT((o).visual_disability)

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

/* Lower-cased copy without accents (core/utf8.c), for keyword checks. */
static char *fold(struct pp_arena *a, const char *s)
{
    char *out = pp_arena_alloc(a, strlen(s) + 1);
    pp_utf8_fold(s, out);
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

/* An optional text given with more than @max characters. */
static bool chars_over(const char *s, size_t max)
{
    return s != NULL && pp_utf8_chars(s) > max;
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
    if (chars_over(o->description, DESCRIPTION_MAX))
        pp_error_set(e, PP_EVALIDATION, "description",
                     "La description ne doit pas dépasser 10 000 caractères.");
    if (chars_over(o->withdrawal_details, WITHDRAWAL_MAX))
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
    struct pp_stmt *st = PP_BIND(
        db, "INSERT INTO offer (venue_id, " OFFER_FIELD_COLUMNS ", name_search, is_active,"
            " created_at) VALUES (?, " OFFER_FIELD_PARAMS ", ?, ?, ?) RETURNING id",
        PP_INT(o.venue_id), OFFER_FIELD_ARGS(o), PP_TEXT(pp_search_key(arena, o.name)),
        PP_INT(o.is_active == 0 ? 0 : 1), PP_INT(pp_clock_now()));
    return pp_row_returning(st, id);
}

/*
 * Columns of an offer with its live-stock aggregates as of ?1 (now): count, stocks still
 * bookable in time, and those with places left. The displayed status derives from them.
 */
#define OFFER_SELECT                                                                              \
    "SELECT o.id, o.venue_id, v.offerer_id, o.name, o.description, o.subcategory_id, o.url,"      \
    " o.is_duo, o.booking_email, o.withdrawal_details, o.audio_disability,"                       \
    " o.mental_disability, o.motor_disability, o.visual_disability, o.validation, o.is_active,"   \
    " o.created_at, COALESCE(v.public_name, v.name) AS venue_name,"                               \
    " (SELECT COUNT(*) FROM stock s WHERE s.offer_id = o.id AND s.is_deleted = 0) AS stock_count,"\
    " (SELECT COUNT(*) FROM stock s WHERE s.offer_id = o.id AND s.is_deleted = 0"                 \
    "   AND (s.beginning_at IS NULL OR s.beginning_at > ?1)"                                      \
    "   AND (s.booking_limit_at IS NULL OR s.booking_limit_at > ?1)) AS in_time,"                 \
    " (SELECT COUNT(*) FROM stock s WHERE s.offer_id = o.id AND s.is_deleted = 0"                 \
    "   AND (s.beginning_at IS NULL OR s.beginning_at > ?1)"                                      \
    "   AND (s.booking_limit_at IS NULL OR s.booking_limit_at > ?1)"                              \
    "   AND (s.quantity IS NULL OR s.quantity > s.booked)) AS with_places"                        \
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

/* An offer row with the two stock counts its displayed status derives from. */
struct offer_row {
    struct pp_offer o;
    int64_t in_time, with_places;
};

static void finish_offer(void *row, struct pp_arena *a)
{
    (void)a;
    struct offer_row *r = row;
    r->o.display_status = display_status(r->o.validation, r->o.is_active, r->o.stock_count,
                                         r->in_time, r->with_places);
}

static const struct pp_col offer_cols[] = PP_COLS(struct offer_row,
    PPC_INT_AS(o.id, "id"), PPC_INT_AS(o.venue_id, "venue_id"),
    PPC_INT_AS(o.offerer_id, "offerer_id"), PPC_TEXT_AS(o.name, "name"),
    PPC_TEXT_AS(o.description, "description"), PPC_TEXT_AS(o.subcategory_id, "subcategory_id"),
    PPC_TEXT_AS(o.url, "url"), PPC_I32_AS(o.is_duo, "is_duo"),
    PPC_TEXT_AS(o.booking_email, "booking_email"),
    PPC_TEXT_AS(o.withdrawal_details, "withdrawal_details"),
    PPC_I32_AS(o.audio_disability, "audio_disability"),
    PPC_I32_AS(o.mental_disability, "mental_disability"),
    PPC_I32_AS(o.motor_disability, "motor_disability"),
    PPC_I32_AS(o.visual_disability, "visual_disability"), PPC_TEXT_AS(o.validation, "validation"),
    PPC_I32_AS(o.is_active, "is_active"), PPC_INT_AS(o.created_at, "created_at"),
    PPC_TEXT_AS(o.venue_name, "venue_name"), PPC_INT_AS(o.stock_count, "stock_count"),
    PPC_INT(in_time), PPC_INT(with_places));
static const struct pp_row_spec offer_row = PP_ROW_SPEC(struct offer_row, offer_cols, finish_offer);

enum pp_err pp_offer_get(struct pp_db *db, struct pp_arena *arena, int64_t id,
                         struct pp_offer *out)
{
    struct offer_row r;
    enum pp_err rc = PP_FETCH(db, arena, &offer_row, &r, OFFER_SELECT " WHERE o.id = ?2",
                                                         PP_INT(pp_clock_now()), PP_INT(id));
    if (rc == PP_OK)
        *out = r.o;
    return rc;
}

enum pp_err pp_offer_check_editable(struct pp_db *db, int64_t id, struct pp_error *e)
{
    struct pp_stmt *st = PP_BIND(db, "SELECT validation FROM offer WHERE id = ?",
                                 PP_INT(id));
    if (st == NULL)
        return PP_EDB;
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
    struct pp_stmt *st = PP_BIND(
        db, "UPDATE offer SET (" OFFER_FIELD_COLUMNS ", name_search, is_active) = ("
            OFFER_FIELD_PARAMS ", ?, ?) WHERE id = ?",
        OFFER_FIELD_ARGS(m), PP_TEXT(pp_search_key(arena, m.name)), PP_INT(m.is_active),
        PP_INT(id));
    return pp_row_exec(st);
}

/* Collects the offers of @st, keeping those of displayed status or validation @status. */
static enum pp_err collect(struct pp_stmt *st, struct pp_arena *arena, const char *status,
                           struct pp_offer **items, size_t *count)
{
    struct offer_row *rows;
    size_t n;
    *items = NULL;
    *count = 0;
    enum pp_err rc = pp_row_collect(st, arena, &offer_row, (void **)&rows, &n);
    if (rc != PP_OK || n == 0)
        return rc;
    struct pp_offer *out = pp_arena_alloc(arena, n * sizeof *out);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (status == NULL || strcmp(status, rows[i].o.display_status) == 0 ||
            strcmp(status, rows[i].o.validation) == 0)
            out[k++] = rows[i].o;
    *items = k > 0 ? out : NULL;
    *count = k;
    return PP_OK;
}

enum pp_err pp_offer_list(struct pp_db *db, struct pp_arena *arena, int64_t account_id,
                          int64_t venue_id, const char *status, struct pp_offer **items,
                          size_t *count)
{
    struct pp_stmt *st = PP_BIND(
        db, OFFER_SELECT " JOIN user_offerer uo ON uo.offerer_id = v.offerer_id"
                         " AND uo.account_id = ?2 AND uo.status = 'VALIDATED'"
                         " WHERE (?3 = 0 OR o.venue_id = ?3) ORDER BY o.created_at DESC, o.id DESC",
        PP_INT(pp_clock_now()), PP_INT(account_id), PP_INT(venue_id));
    return collect(st, arena, status, items, count);
}

enum pp_err pp_offer_list_pending(struct pp_db *db, struct pp_arena *arena, int limit,
                                  struct pp_offer **items, size_t *count)
{
    struct pp_stmt *st = PP_BIND(
        db, OFFER_SELECT " WHERE o.validation = 'PENDING' ORDER BY o.published_at, o.id LIMIT ?2",
        PP_INT(pp_clock_now()), PP_INT(limit));
    return collect(st, arena, NULL, items, count);
}

/* What publishing needs to know of an offer. */
struct publish_row {
    const char *validation;
    const char *offerer_status;
    int64_t stock_count;
};

static const struct pp_col publish_cols[] = PP_COLS(struct publish_row,
    PPC_TEXT(validation), PPC_TEXT(offerer_status), PPC_INT(stock_count));
static const struct pp_row_spec publish_row = PP_ROW_SPEC(struct publish_row, publish_cols, NULL);

/* Checks that offer @id may be published and sets it to *status; inside the transaction. */
static enum pp_err publish_in_tx(struct pp_db *db, struct pp_arena *a, int64_t id,
                                 const char **status, struct pp_error *e)
{
    struct pp_stmt *st = PP_BIND(
        db, "SELECT o.validation, off.status AS offerer_status,"
            " (SELECT COUNT(*) FROM stock s WHERE s.offer_id = o.id AND s.is_deleted = 0)"
            " AS stock_count"
            " FROM offer o JOIN venue v ON v.id = o.venue_id JOIN offerer off ON off.id = v.offerer_id"
            " WHERE o.id = ?",
        PP_INT(id));
    struct publish_row r;
    enum pp_err rc = pp_row_fetch(st, a, &publish_row, &r);
    if (rc != PP_OK)
        return rc;
    if (strcmp(r.validation, "DRAFT") != 0)
        return pp_error_set(e, PP_ECONFLICT, "global", "Cette offre est déjà publiée.");
    if (r.stock_count == 0)
        return pp_error_set(e, PP_EVALIDATION, "global",
                            "Ajoutez au moins une date ou un stock avant de publier l'offre.");
    *status = pp_validation_parse(r.offerer_status) == PP_VALIDATION_VALIDATED ? "APPROVED"
                                                                              : "PENDING";
    st = PP_BIND(db, "UPDATE offer SET validation = ?, published_at = ? WHERE id = ?",
                 PP_TEXT(*status), PP_INT(pp_clock_now()), PP_INT(id));
    return pp_row_exec(st);
}

enum pp_err pp_offer_publish(struct pp_db *db, int64_t account_id, int64_t id,
                             const char **status, struct pp_error *e)
{
    if (pp_db_begin(db) != PP_OK)
        return PP_EDB;
    struct pp_arena *a = pp_arena_new();
    enum pp_err rc = publish_in_tx(db, a, id, status, e);
    pp_arena_free(a);
    if (rc == PP_OK)
        rc = pp_audit_log(db, account_id, PP_CHANNEL_PORTAL, "OFFER_PUBLISHED", "offer", id,
                          *status);
    return pp_tx_end(db, rc);
}

/* The offer, venue and address a moderation email speaks of. */
struct moderation_row {
    const char *name;
    const char *venue_name;
    const char *to;
    int64_t confirmed;
};

static const struct pp_col moderation_cols[] = PP_COLS(struct moderation_row,
    PPC_TEXT(name), PPC_TEXT(venue_name), PPC_TEXT_AS(to, "to_address"), PPC_INT(confirmed));
static const struct pp_row_spec moderation_row =
    PP_ROW_SPEC(struct moderation_row, moderation_cols, NULL);

/*
 * Queues the email of a back-office decision on offer @id to the offer's booking email, else
 * the venue's (none: nothing queued). For a rejection it says how many live bookings the
 * rejection is about to cancel. Inside the caller's transaction.
 */
static enum pp_err queue_moderation_email(struct pp_db *db, int64_t id, bool approve)
{
    struct pp_arena *a = pp_arena_new();
    struct moderation_row r;
    enum pp_err rc = PP_FETCH(db, a, &moderation_row, &r,
        "SELECT o.name, COALESCE(v.public_name, v.name) AS venue_name,"
        " COALESCE(o.booking_email, v.booking_email) AS to_address,"
        " (SELECT COUNT(*) FROM booking b WHERE b.offer_id = o.id AND b.status = 'CONFIRMED')"
        " AS confirmed"
        " FROM offer o JOIN venue v ON v.id = o.venue_id WHERE o.id = ?",
        PP_INT(id));
    if (rc == PP_OK && r.to != NULL)
        rc = pp_outbox_add(db, approve ? "OFFER_APPROVED" : "OFFER_REJECTED", r.to, NULL,
                           json_pack("{s:I, s:s, s:s, s:I}", "offerId", (json_int_t)id,
                                     "offerName", r.name, "venueName", r.venue_name,
                                     "cancelledBookings",
                                     (json_int_t)(approve ? 0 : r.confirmed)));
    pp_arena_free(a);
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
    enum pp_err rc = PP_UPDATE_ONE(db, "SELECT 1 FROM offer WHERE id = ?", id,
                                   "UPDATE offer SET validation = ?, moderated_at = ? WHERE id = ?"
                                   " AND validation IN ('PENDING', 'APPROVED')",
                                   PP_TEXT(*status), PP_INT(pp_clock_now()), PP_INT(id));
    if (rc == PP_OK && !(approve && was_approved))
        rc = queue_moderation_email(db, id, approve);
    /* A rejected offer's bookings are cancelled (reason FRAUD), credit given back. */
    if (rc == PP_OK && !approve)
        rc = pp_booking_cancel_for_offer(db, admin_id, id, "FRAUD");
    if (rc == PP_OK)
        rc = pp_audit_log(db, admin_id, PP_CHANNEL_BACKOFFICE,
                          approve ? "OFFER_APPROVED" : "OFFER_REJECTED", "offer", id, NULL);
    return pp_tx_end(db, rc);
}

static const struct pp_col hit_cols[] = PP_COLS(struct pp_offer_hit,
    PPC_INT(id), PPC_TEXT(name), PPC_TEXT(subcategory_id), PPC_TEXT(venue_name),
    PPC_TEXT(postal_code), PPC_TEXT(city), PPC_INT(min_price_cents), PPC_INT(next_beginning_at),
    PPC_I32(is_duo), PPC_INT(max_price_cents), PPC_TEXT(venue_timezone));
static const struct pp_row_spec hit_row = PP_ROW_SPEC(struct pp_offer_hit, hit_cols, NULL);

enum pp_err pp_offer_search(struct pp_db *db, struct pp_arena *arena, const char *q,
                            const char *subcategory_id, const char *postal_code, int limit,
                            struct pp_offer_hit **items, size_t *count)
{
    /* Accents, case and punctuation aside (docs/search.md): the typed text's key against the
     * key stored with the name. */
    const char *pattern = pp_search_pattern(arena, q);
    return PP_COLLECT(db, arena, &hit_row, items, count,
        "SELECT o.id, o.name, o.subcategory_id, COALESCE(v.public_name, v.name) AS venue_name,"
        " v.postal_code, v.city, MIN(s.price_cents) AS min_price_cents,"
        " MIN(s.beginning_at) AS next_beginning_at, o.is_duo,"
        " MAX(s.price_cents) AS max_price_cents, v.timezone AS venue_timezone"
        " FROM offer o JOIN venue v ON v.id = o.venue_id JOIN stock s ON s.offer_id = o.id"
        " WHERE o.validation = 'APPROVED' AND o.is_active = 1 AND s.is_deleted = 0"
        " AND (s.beginning_at IS NULL OR s.beginning_at > ?1)"
        " AND (s.booking_limit_at IS NULL OR s.booking_limit_at > ?1)"
        " AND (s.quantity IS NULL OR s.quantity > s.booked)"
        " AND (?2 IS NULL OR o.name_search LIKE ?2)"
        " AND (?3 IS NULL OR o.subcategory_id = ?3)"
        " GROUP BY o.id, v.id"
        " ORDER BY (v.postal_code = ?4) DESC, (SUBSTR(v.postal_code, 1, 2) = SUBSTR(?4, 1, 2))"
        " DESC, o.id DESC LIMIT ?5",
        PP_INT(pp_clock_now()), PP_TEXT(pattern), PP_TEXT(subcategory_id),
        PP_TEXT(postal_code ? postal_code : ""), PP_INT(limit));
}
