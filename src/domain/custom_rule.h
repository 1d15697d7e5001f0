#ifndef PP_DOMAIN_CUSTOM_RULE_H
#define PP_DOMAIN_CUSTOM_RULE_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/reimbursement.h"

struct pp_db;
struct pp_arena;

/**
 * Custom reimbursement rules ("barèmes dérogatoires", RULES §7), set by the back office on an
 * offer, a venue (a pricing point) or a structure: a rate or a fixed amount per place, over a
 * date range of use, optionally for some subcategories only. They win over the standard rules
 * (core/reimbursement.c picks them).
 */

/** What the back office types. Unset ids are 0; rate_bp -1 or amount_cents -1 when unset. */
struct pp_custom_rule_input {
    int64_t offer_id, venue_id, offerer_id;
    int rate_bp;
    int64_t amount_cents;
    const char *subcategories; /**< "A,B", or NULL/"" for all */
    int64_t starts_at;         /**< 00:00 Paris of the first day */
    int64_t ends_at;           /**< 00:00 Paris of the day after the last, or 0 */
};

/**
 * Creates a rule at @now. PP_EVALIDATION with a French message: not exactly one target, an
 * unknown target, a venue without SIRET, not exactly one of rate and amount, a rate outside
 * 0-100 %, an unknown subcategory, a start before tomorrow, an end before the start, or a
 * rule of the same target that overlaps it ("en conflit").
 */
enum pp_err pp_custom_rule_create(struct pp_db *db, int64_t admin_id,
                                  const struct pp_custom_rule_input *in, int64_t now,
                                  int64_t *id, struct pp_error *e);

/** Every rule, newest first. Array and strings in @arena. */
enum pp_err pp_custom_rule_list(struct pp_db *db, struct pp_arena *arena,
                                struct pp_custom_rule **items, size_t *count);

/** Every rule, oldest first (the order pricing tries them in). Array and strings in @arena. */
enum pp_err pp_custom_rule_all(struct pp_db *db, struct pp_arena *arena,
                               struct pp_custom_rule **items, size_t *count);

#endif
