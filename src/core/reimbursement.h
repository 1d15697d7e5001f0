#ifndef PP_CORE_REIMBURSEMENT_H
#define PP_CORE_REIMBURSEMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/categories.h"

/**
 * The barèmes of RULES §7, as pure functions: which rule prices a booking, and how much it
 * pays, in integer cents.
 *
 * Rounding: the one rule is "half up on the reimbursed amount": total × rate is computed
 * exactly in basis points (1 % = 100 bp) and rounded to the nearest cent, halves going up
 * (12,35 € at 95 % = 11,7325 € → 11,73 €; 0,10 € at 95 % = 0,095 € → 0,10 €). The offerer's
 * contribution is what is left (total − reimbursed), so the two always add up to the total.
 */

/** Every standard rule (stored by code, shown by description on invoices and in the CSV). */
enum pp_rule {
    PP_RULE_PHYSICAL,       /**< 100 % up to 20 000 € */
    PP_RULE_STANDARD_95,    /**< 95 % above 20 000 € up to 40 000 € */
    PP_RULE_STANDARD_92,    /**< 92 % above 40 000 € up to 150 000 € */
    PP_RULE_STANDARD_90,    /**< 90 % above 150 000 € */
    PP_RULE_BOOK_100,       /**< books: 100 % up to 20 000 € */
    PP_RULE_BOOK_95,        /**< books: 95 % above 20 000 € */
    PP_RULE_NOT_REIMBURSED, /**< digital offers marked not reimbursed: 0 % */
    PP_RULE_EDUCATIONAL,    /**< collective bookings: 100 %, never counted in the revenue */
    PP_RULE_CUSTOM,         /**< a "barème dérogatoire" (its own rate or amount) */
    PP_RULE_COUNT
};

/** Rule groups, in the order invoices list them. */
enum pp_rule_group {
    PP_GROUP_STANDARD,       /**< "Barème général" */
    PP_GROUP_BOOK,           /**< "Barème livres" */
    PP_GROUP_NOT_REIMBURSED, /**< "Barème non remboursé" */
    PP_GROUP_CUSTOM,         /**< "Barème dérogatoire" */
    PP_GROUP_EDUCATIONAL,    /**< "Barème offres collectives" */
    PP_GROUP_COUNT
};

/** Thresholds of the yearly revenue per pricing point, in cents (revenue ≤ threshold). */
#define PP_REVENUE_20K 2000000
#define PP_REVENUE_40K 4000000
#define PP_REVENUE_150K 15000000

/** The stable code stored in the database ("STANDARD_95"...). Static storage. */
const char *pp_rule_code(enum pp_rule r);
/** The rule whose code is @code; false for an unknown code. */
bool pp_rule_from_code(const char *code, enum pp_rule *out);
/** The description of RULES §7 ("Remboursement à 95% entre 20 000 € et 40 000 € par lieu
 *  (>= 2021-09-01)"). Static storage; "Barème dérogatoire" for PP_RULE_CUSTOM. */
const char *pp_rule_description(enum pp_rule r);
/** Rate in basis points (10000 = 100 %); 0 for PP_RULE_CUSTOM (a custom rule has its own). */
int pp_rule_rate_bp(enum pp_rule r);
/** The group of @r. */
enum pp_rule_group pp_rule_group_of(enum pp_rule r);
/** "Barème général"... Static storage. */
const char *pp_rule_group_title(enum pp_rule_group g);

/**
 * The standard rule for an individual booking of a subcategory of scale @scale when the
 * pricing point's revenue of the year, this booking included, is @revenue_cents. The rate
 * applies to the whole booking (the threshold is crossed by the booking that goes over it).
 */
enum pp_rule pp_rule_pick(enum pp_reimbursement scale, int64_t revenue_cents);

/** Reimbursed cents of @total_cents at @rate_bp, rounded half up (see above). */
int64_t pp_reimbursed_cents(int64_t total_cents, int rate_bp);

/** A custom rule ("barème dérogatoire"), as the pricing needs it. */
struct pp_custom_rule {
    int64_t id;
    int64_t offer_id;    /**< exactly one of offer_id, venue_id, offerer_id is set */
    int64_t venue_id;    /**< a pricing point */
    int64_t offerer_id;
    int rate_bp;         /**< -1 when the rule pays a fixed amount per place */
    int64_t amount_cents;/**< per place, when rate_bp == -1 */
    const char *subcategories; /**< "LIVRE_PAPIER,CINE_PLEIN_AIR" or NULL/"" for all */
    int64_t starts_at;   /**< inclusive, compared with the booking's use date */
    int64_t ends_at;     /**< exclusive; 0 when open-ended */
};

/**
 * The custom rule that prices a booking, or NULL: offer rules first, then the pricing point's,
 * then the structure's; within a level, the first in @rules that covers the subcategory
 * @subcategory and the use date @used_at.
 */
const struct pp_custom_rule *pp_custom_rule_pick(const struct pp_custom_rule *rules, size_t n,
                                                 int64_t offer_id, int64_t pricing_point_id,
                                                 int64_t offerer_id, const char *subcategory,
                                                 int64_t used_at);

/** What @rule pays for a booking of @quantity places totalling @total_cents. */
int64_t pp_custom_rule_amount(const struct pp_custom_rule *rule, int64_t total_cents,
                              int64_t quantity);

#endif
