#ifndef PP_DOMAIN_COLLECTIVE_OFFER_H
#define PP_DOMAIN_COLLECTIVE_OFFER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

struct pp_db;
struct pp_arena;

/**
 * Collective offers (RULES §10, docs/collective.md): showcase offers ("offre vitrine",
 * is_template: no date nor price, a contact and an intervention area) and bookable offers
 * (one collective_stock: a date range, a number of pupils, a total price, a booking limit;
 * booking emails; optionally one school). Only referenced structures (allowed_on_adage) may
 * publish them, and only in the eligible formats (domain/collective_policy.h): 403 with the
 * explanation otherwise. Callers check that the pro may act on the venue or offer first
 * (domain/authz.h); lists are stored as "A|B" (core/strlist.h).
 */

#define PP_COLLECTIVE_NAME_MAX 110
#define PP_COLLECTIVE_DESCRIPTION_MAX 1500
#define PP_COLLECTIVE_LIST_MAX 20 /**< items of a list field (levels, domains, emails...) */
#define PP_COLLECTIVE_ITEM_MAX 100
#define PP_COLLECTIVE_TICKETS_MAX 3000
#define PP_COLLECTIVE_PRICE_MAX 6000000 /**< 60 000 € in cents */

/** Pupils' levels, "Collège - 6e" to "Lycée - Terminale" (finance_pro.md §6.4). */
#define PP_STUDENT_LEVEL_COUNT 9
extern const char *const pp_student_levels[PP_STUDENT_LEVEL_COUNT];

/** A list field of an input: @given false when the body did not carry it (PATCH). */
struct pp_strs {
    const char **items;
    size_t n;
    bool given;
};

/** A creation (every field that applies) or a change (only what is given: NULL strings,
 *  lists not given and institution_id -1 keep the stored value). */
struct pp_collective_offer_input {
    int64_t venue_id;          /**< creation only */
    bool is_template;          /**< creation only */
    const char *name;
    const char *description;
    const char *subcategory_id;
    const char *format;        /**< one EAC format */
    struct pp_strs students;
    struct pp_strs domains;
    const char *contact_email;
    const char *contact_phone;
    struct pp_strs intervention_area; /**< department codes, "mainland", "all" */
    struct pp_strs booking_emails;    /**< bookable offers: required */
    int64_t institution_id;    /**< bookable offers: 0 for any school, -1 not given */
};

/** Initialises @in as "nothing given" (institution_id -1). */
void pp_collective_offer_input_init(struct pp_collective_offer_input *in);

/** An offer as read, with its venue, stock and live booking (LEFT JOINs: 0 / NULL). */
struct pp_collective_offer {
    int64_t id;
    int64_t venue_id;
    int64_t offerer_id;
    bool is_template;
    const char *name;
    const char *description;
    const char *subcategory_id;
    const char *format;
    const char *students;          /**< "A|B" */
    const char *domains;           /**< "A|B" or NULL */
    const char *contact_email;
    const char *contact_phone;     /**< NULL when none */
    const char *intervention_area; /**< "A|B" or NULL */
    const char *booking_emails;    /**< "A|B" or NULL */
    int64_t institution_id;        /**< 0: any school */
    const char *institution_uai;
    const char *status;            /**< PUBLISHED, ARCHIVED */
    int64_t created_at;
    const char *venue_name;
    const char *venue_city;
    const char *venue_postal_code;
    int64_t stock_id;              /**< 0: no stock yet */
    int64_t start_at, end_at, booking_limit_at;
    int64_t number_of_tickets;
    int64_t price_cents;
    int64_t booking_id;            /**< the live (not cancelled) booking, 0 when none */
    const char *booking_status;    /**< PENDING, CONFIRMED, USED, REIMBURSED; NULL when none */
};

/**
 * Creates an offer in venue @in->venue_id of structure @offerer_id by @account_id (audited).
 * PP_EFORBIDDEN ("global", with the policy's explanation) when the structure is not
 * referenced or the subcategory / format is not eligible; PP_EVALIDATION per field.
 */
enum pp_err pp_collective_offer_create(struct pp_db *db, struct pp_arena *arena,
                                       int64_t account_id, int64_t offerer_id,
                                       const struct pp_collective_offer_input *in, int64_t *id,
                                       struct pp_error *e);

/**
 * Changes offer @id (by @account_id, audited): descriptive fields always; the subcategory,
 * format and school only while no live booking exists (PP_ECONFLICT otherwise); a new
 * subcategory / format passes the policy again (PP_EFORBIDDEN).
 */
enum pp_err pp_collective_offer_update(struct pp_db *db, struct pp_arena *arena,
                                       int64_t account_id, int64_t id,
                                       const struct pp_collective_offer_input *in,
                                       struct pp_error *e);

/** Offer @id; PP_ENOTFOUND. */
enum pp_err pp_collective_offer_get(struct pp_db *db, struct pp_arena *arena, int64_t id,
                                    struct pp_collective_offer *out);

/** The offers of @offerer_id, newest first. */
enum pp_err pp_collective_offer_list(struct pp_db *db, struct pp_arena *arena,
                                     int64_t offerer_id, struct pp_collective_offer **items,
                                     size_t *count);

/** The structure of offer @id (for access checks). PP_ENOTFOUND. */
enum pp_err pp_collective_offer_offerer(struct pp_db *db, int64_t id, int64_t *offerer_id);

/** The catalog teachers search (ADAGE side). */
struct pp_collective_catalog_query {
    const char *q;          /**< part of the name, NULL for any */
    const char *department; /**< venue postal code prefix ("33", "971"), NULL for any */
    const char *format;     /**< NULL for any */
    int64_t limit, offset;
};

/**
 * Published showcase offers and bookable offers whose stock has no live booking and whose
 * booking limit is after now, of referenced structures, newest first; *total counts every
 * match (for paging).
 */
enum pp_err pp_collective_offer_catalog(struct pp_db *db, struct pp_arena *arena,
                                        const struct pp_collective_catalog_query *q,
                                        struct pp_collective_offer **items, size_t *count,
                                        int64_t *total);

/** A stock's fields; for a change, 0 (times) and -1 (counts) mean "not given". */
struct pp_collective_stock_input {
    int64_t start_at, end_at, booking_limit_at;
    int64_t number_of_tickets;
    int64_t price_cents;
};

/**
 * Creates (@create) or changes the stock of bookable offer @offer_id (by @account_id,
 * audited). Rules: end ≥ start, both in the same school year (1 Sept-31 Aug, Paris); booking
 * limit ≤ start (default: start); a date given is not in the past; 1-3000 pupils; 0-60 000 €.
 * Creating: PP_ECONFLICT when the offer has a stock, PP_EVALIDATION for a showcase offer.
 * Changing: once the booking is CONFIRMED (or used), dates, price and pupils are frozen
 * (PP_ECONFLICT); while it is PENDING they may change and the booking follows (its price, its
 * confirmation and cancellation limits). PP_ENOTFOUND when there is no stock to change.
 */
enum pp_err pp_collective_stock_save(struct pp_db *db, int64_t account_id, int64_t offer_id,
                                     bool create, const struct pp_collective_stock_input *in,
                                     int64_t *stock_id, struct pp_error *e);

#endif
