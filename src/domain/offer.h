#ifndef PP_DOMAIN_OFFER_H
#define PP_DOMAIN_OFFER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

struct pp_db;
struct pp_arena;

/**
 * Individual offers (RULES §2, SPEC §4): what a venue publishes, its moderation
 * (DRAFT → PENDING/APPROVED → APPROVED/REJECTED) and its displayed status. The subcategory
 * table (core/categories) decides what an offer may be. Strings live in the caller's arena.
 */

#define PP_OFFER_NAME_MAX 90

/** The fields an offer is created and edited with, in both the offer and its input. */
#define PP_OFFER_FIELDS                                                                           \
    const char *name;                                                                             \
    const char *description;                                                                      \
    const char *subcategory_id;                                                                   \
    const char *url;                                                                              \
    int is_duo;                                                                                   \
    const char *booking_email;                                                                    \
    const char *withdrawal_details;                                                               \
    int audio_disability, mental_disability, motor_disability, visual_disability;

struct pp_offer {
    int64_t id;
    int64_t venue_id;
    int64_t offerer_id;
    PP_OFFER_FIELDS
    const char *validation;     /**< DRAFT, PENDING, APPROVED, REJECTED */
    int is_active;
    int64_t created_at;
    const char *display_status; /**< DRAFT, PENDING, REJECTED, ACTIVE, INACTIVE, SOLD_OUT, EXPIRED */
    int64_t stock_count;        /**< live stocks */
    const char *venue_name;
};

/**
 * Fields of a create or an edit. NULL strings and -1 flags are "not given": on create the
 * required ones are then refused; on edit they are left as they are, and an empty string
 * clears an optional text (url, description, bookingEmail, withdrawalDetails).
 */
struct pp_offer_input {
    int64_t venue_id;
    PP_OFFER_FIELDS
    int is_active;
};

/** An input with every flag "not given". */
void pp_offer_input_init(struct pp_offer_input *in);

/**
 * Creates a DRAFT offer on @in->venue_id (the caller checked the venue is the user's).
 * PP_EVALIDATION with a French message per field (RULES §2).
 */
enum pp_err pp_offer_create(struct pp_db *db, struct pp_arena *arena,
                            const struct pp_offer_input *in, int64_t *id, struct pp_error *e);

/** Offer @id with its displayed status as of now; PP_ENOTFOUND when unknown. */
enum pp_err pp_offer_get(struct pp_db *db, struct pp_arena *arena, int64_t id,
                         struct pp_offer *out);

/**
 * Edits offer @id with the given fields of @in (venue and, once published, subcategory are
 * not editable). PENDING and REJECTED offers are not editable: PP_ECONFLICT.
 */
enum pp_err pp_offer_update(struct pp_db *db, struct pp_arena *arena, int64_t id,
                            const struct pp_offer_input *in, struct pp_error *e);

/**
 * Offers of the structures where @account_id is a validated member, optionally of one venue
 * (@venue_id > 0) and of one displayed status (@status non-NULL), newest first.
 */
enum pp_err pp_offer_list(struct pp_db *db, struct pp_arena *arena, int64_t account_id,
                          int64_t venue_id, const char *status, struct pp_offer **items,
                          size_t *count);

/**
 * Publishes a DRAFT offer: APPROVED when its structure is validated, PENDING otherwise.
 * Needs at least one live stock. PP_ECONFLICT when not a draft.
 */
enum pp_err pp_offer_publish(struct pp_db *db, int64_t account_id, int64_t id,
                             const char **status, struct pp_error *e);

/**
 * Back-office decision: APPROVED or REJECTED (from PENDING or APPROVED). Rejecting cancels
 * the offer's bookings (reason FRAUD) once bookings exist.
 */
enum pp_err pp_offer_moderate(struct pp_db *db, int64_t admin_id, int64_t id, bool approve,
                              const char **status);

/** Offers waiting for review (PENDING), oldest first, at most @limit. */
enum pp_err pp_offer_list_pending(struct pp_db *db, struct pp_arena *arena, int limit,
                                  struct pp_offer **items, size_t *count);

/** A bookable offer found by the beneficiaries' search. */
struct pp_offer_hit {
    int64_t id;
    const char *name;
    const char *subcategory_id;
    const char *venue_name;
    const char *postal_code;
    const char *city;
    int64_t min_price_cents;
    int64_t max_price_cents;
    int64_t next_beginning_at; /**< 0 for things */
    const char *venue_timezone;
    int is_duo;
};

/**
 * Approved, active offers with a stock still bookable (in time, places left), matching @q in
 * the title (case-insensitive, may be NULL) and @subcategory_id (may be NULL); those of
 * @postal_code first, then of its department; at most @limit.
 */
enum pp_err pp_offer_search(struct pp_db *db, struct pp_arena *arena, const char *q,
                            const char *subcategory_id, const char *postal_code, int limit,
                            struct pp_offer_hit **items, size_t *count);

/** PP_OK when offer @id is editable (DRAFT or APPROVED), else PP_ECONFLICT with a message. */
enum pp_err pp_offer_check_editable(struct pp_db *db, int64_t id, struct pp_error *e);

#endif
