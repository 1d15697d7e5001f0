#ifndef PP_DOMAIN_FORECAST_H
#define PP_DOMAIN_FORECAST_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

struct pp_db;
struct pp_arena;

/**
 * The forecast of RULES §11: the next scheduled run's date and, per ACCEPTED bank account of a
 * structure, what a run would pay if it ran now (the priced, unpaid events whose booking was
 * used and whose event happened); what waits for an accepted account is counted apart.
 */

struct pp_forecast_account {
    int64_t id;
    const char *label;
    int64_t amount_cents;
    int64_t bookings;
};

struct pp_forecast {
    int64_t next_run;                    /**< Unix seconds of the next cut-off */
    struct pp_forecast_account *accounts; /**< every ACCEPTED account, in the arena */
    size_t naccounts;
    int64_t without_amount_cents;        /**< venues with no accepted account linked */
    int64_t without_bookings;
};

/** The forecast of structure @offerer_id at @now. */
enum pp_err pp_forecast_get(struct pp_db *db, struct pp_arena *arena, int64_t offerer_id,
                            int64_t now, struct pp_forecast *out);

#endif
