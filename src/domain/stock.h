#ifndef PP_DOMAIN_STOCK_H
#define PP_DOMAIN_STOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/recurrence.h"

struct pp_db;
struct pp_arena;

/**
 * Stocks (RULES §2): dated stocks of event offers (a tariff, a start, a quantity or
 * unlimited, a booking limit) and the single stock of a thing (a price, a quantity).
 * quantity < 0 in these structs means unlimited (NULL in the database).
 */

#define PP_STOCK_MAX_PER_OFFER 2500
#define PP_QUANTITY_MAX 1000000
#define PP_UNLIMITED (-1)

struct pp_stock {
    int64_t id;
    int64_t offer_id;
    int64_t price_category_id;      /**< 0 for things */
    const char *price_category_label;
    int64_t price_cents;
    int64_t quantity;               /**< PP_UNLIMITED or 0..1,000,000 */
    int64_t booked;
    int64_t beginning_at;           /**< 0 for things */
    int64_t booking_limit_at;       /**< 0 when none */
    int64_t activation_codes;       /**< codes not yet handed out */
};

/** Fields of a create or an edit; "not given" is 0 / -2 for quantity (PP_UNLIMITED is given). */
struct pp_stock_input {
    int64_t price_category_id;
    int64_t price_cents;            /**< things; -1 not given */
    int64_t quantity;               /**< -2 not given */
    int64_t beginning_at;
    int64_t booking_limit_at;
};

/** An input with every field "not given". */
void pp_stock_input_init(struct pp_stock_input *in);

/**
 * Adds a stock to offer @offer_id, checked against its subcategory (event: tariff and start;
 * thing: price, no date, one stock only), the 300 € cap, the quantity bounds and the limit
 * of 2,500 stocks.
 */
enum pp_err pp_stock_create(struct pp_db *db, int64_t offer_id, const struct pp_stock_input *in,
                            int64_t *id, struct pp_error *e);

/** Live stocks of @offer_id by start then tariff. */
enum pp_err pp_stock_list(struct pp_db *db, struct pp_arena *arena, int64_t offer_id,
                          struct pp_stock **items, size_t *count);

/** Stock @id (live or not) and its offer; PP_ENOTFOUND when unknown or deleted. */
enum pp_err pp_stock_get(struct pp_db *db, struct pp_arena *arena, int64_t id,
                         struct pp_stock *out);

/**
 * Edits stock @id: quantity (never below the places booked), tariff or price, start and
 * booking limit. Moving an event's start recomputes its bookings' cancellation limits.
 */
enum pp_err pp_stock_update(struct pp_db *db, int64_t id, const struct pp_stock_input *in,
                            struct pp_error *e);

/**
 * Deletes stock @id and cancels its bookings (reason OFFERER; used ones too for an event); an
 * event's stock only until 48 h after its start.
 */
enum pp_err pp_stock_delete(struct pp_db *db, int64_t account_id, int64_t id,
                            struct pp_error *e);

/**
 * Creates every stock of @r for offer @offer_id in one transaction (all or nothing), in the
 * venue's time zone; instants already past and slots that already exist are skipped.
 * *created receives the number of new stocks. Refused past 2,500 stocks for the offer.
 */
enum pp_err pp_stock_recurrence(struct pp_db *db, int64_t offer_id,
                                const struct pp_recurrence *r, int64_t *created,
                                struct pp_error *e);

/**
 * Adds activation codes to the stock of digital offer @offer_id (duplicates are skipped);
 * the stock's quantity follows the codes. *added receives the number of new codes.
 */
enum pp_err pp_stock_add_activation_codes(struct pp_db *db, int64_t offer_id,
                                          const char *const *codes, size_t n,
                                          int64_t expiration_at, int64_t *added,
                                          struct pp_error *e);

#endif
