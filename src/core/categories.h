#ifndef PP_CORE_CATEGORIES_H
#define PP_CORE_CATEGORIES_H

#include <stdbool.h>
#include <stddef.h>

/**
 * The category and subcategory table of pass Culture (reference/helpcenter.md §5): one table
 * drives every rule that depends on the subcategory (event or thing, online or offline, Duo,
 * expiry, reimbursement, credit caps, minors, selectable in the portal). Static storage.
 */

enum pp_platform {
    PP_PLATFORM_OFFLINE,           /**< "OFFLINE": no URL allowed */
    PP_PLATFORM_ONLINE,            /**< "ONLINE": a URL is required */
    PP_PLATFORM_ONLINE_OR_OFFLINE, /**< "ONLINE_OR_OFFLINE": URL optional */
};

enum pp_reimbursement {
    PP_REIMBURSEMENT_STANDARD,       /**< "STANDARD" scale */
    PP_REIMBURSEMENT_BOOK,           /**< "BOOK" scale */
    PP_REIMBURSEMENT_NOT_REIMBURSED, /**< "NOT_REIMBURSED" */
};

enum pp_cap {
    PP_CAP_NONE,     /**< counts against no cap */
    PP_CAP_PHYSICAL, /**< physical cap */
    PP_CAP_DIGITAL,  /**< digital cap (100 €) */
};

struct pp_category {
    const char *id;        /**< "MUSEE" */
    const char *pro_label; /**< "Musée, patrimoine, architecture, arts visuels" */
    bool selectable;       /**< false for TECHNIQUE */
};

struct pp_subcategory {
    const char *id;          /**< "VISITE_GUIDEE" */
    const char *category_id; /**< "MUSEE" */
    const char *pro_label;   /**< "Visite guidée" */
    bool is_event;           /**< an event (dated stocks), else a thing (no date) */
    enum pp_platform platform; /**< OFFLINE or ONLINE for every row of the table */
    bool can_be_duo;         /**< a Duo offer may be booked for 2 places */
    bool can_expire;         /**< an uncollected booking expires; things only, except the
                                  event SEANCE_ESSAI_PRATIQUE_ART, which the table marks so */
    int expiry_days;         /**< days to collect: 30, 10 for LIVRE_PAPIER, 0 if none */
    bool can_be_educational; /**< allowed as a collective offer */
    enum pp_reimbursement reimbursement; /**< scale of the individual bookings */
    enum pp_cap cap;         /**< cap it counts against (digital: only offers with a URL) */
    bool minors_paid;        /**< a 15-17 year-old may book it when it is not free */
    bool minors_free;        /**< a 15-17 year-old may book it when it is free */
    bool selectable;         /**< offered in the portal */
    bool can_be_withdrawable;/**< withdrawal options (tickets by email, on site...) apply */
    bool used_at_booking_when_free; /**< free CARTE_MUSEE, ABO_BIBLIOTHEQUE, ABO_MEDIATHEQUE */
};

/** The 15 categories, in the table's order; @count (may be NULL) receives their number. */
const struct pp_category *pp_categories(size_t *count);

/**
 * Every subcategory (selectable or not: 73, the 4 TECHNIQUE ones included), grouped by category
 * in the reference table's order; @count (may be NULL) receives the number.
 */
const struct pp_subcategory *pp_subcategories(size_t *count);

/** Category @id (exact, case-sensitive), or NULL when unknown or @id is NULL. */
const struct pp_category *pp_category_find(const char *id);

/** Subcategory @id (exact, case-sensitive), or NULL when unknown or @id is NULL. */
const struct pp_subcategory *pp_subcategory_find(const char *id);

/** "OFFLINE", "ONLINE", "ONLINE_OR_OFFLINE". */
const char *pp_platform_name(enum pp_platform p);

/** "STANDARD", "BOOK", "NOT_REIMBURSED". */
const char *pp_reimbursement_name(enum pp_reimbursement r);

#endif
