#ifndef PP_DOMAIN_PRICE_CATEGORY_H
#define PP_DOMAIN_PRICE_CATEGORY_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

struct pp_db;
struct pp_arena;

/** Price categories ("tarifs") of an event offer: a label and a price (RULES §2). */

#define PP_PRICE_CATEGORY_MAX 50
#define PP_PRICE_MAX_CENTS 30000
#define PP_DEFAULT_PRICE_LABEL "Tarif unique"

struct pp_price_category {
    int64_t id;
    int64_t offer_id;
    const char *label;
    int64_t price_cents;
};

/**
 * Adds a tariff to offer @offer_id: @label (NULL → "Tarif unique", at most 50 characters),
 * @price_cents 0..30000. At most 50 per offer; a label twice on one offer is PP_ECONFLICT.
 */
enum pp_err pp_price_category_create(struct pp_db *db, int64_t offer_id, const char *label,
                                     int64_t price_cents, int64_t *id, struct pp_error *e);

/** Tariffs of @offer_id by price then label. */
enum pp_err pp_price_category_list(struct pp_db *db, struct pp_arena *arena, int64_t offer_id,
                                   struct pp_price_category **items, size_t *count);

/** Distinct labels already used by the offers of venue @venue_id (suggestions). */
enum pp_err pp_price_category_venue_labels(struct pp_db *db, struct pp_arena *arena,
                                           int64_t venue_id, const char ***labels,
                                           size_t *count);

/** The French message for a price out of bounds, or NULL when @cents is acceptable. */
const char *pp_price_check(int64_t cents);

#endif
