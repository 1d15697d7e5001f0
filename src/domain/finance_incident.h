#ifndef PP_DOMAIN_FINANCE_INCIDENT_H
#define PP_DOMAIN_FINANCE_INCIDENT_H

#include <stdint.h>

#include "core/error.h"

struct pp_db;

/**
 * Finance incidents (RULES §11): the back office records an overpayment on a REIMBURSED
 * booking. It becomes a negative finance event, priced at once with the rule of the payment
 * it corrects, and deducted from the next payment of the account that paid it: it shows on
 * the next invoice ("Incidents") and as a negative line of the "Détails" CSV. The booking
 * stays REIMBURSED.
 */

/**
 * Records an overpayment of @amount_cents (0: all that was paid and not yet taken back) on
 * booking @booking_id, by @admin_id, for @reason. PP_ENOTFOUND for an unknown booking;
 * PP_EVALIDATION with a French message for a booking not reimbursed, an empty or too long
 * reason, or an amount above what is left to take back.
 */
enum pp_err pp_finance_incident_create(struct pp_db *db, int64_t admin_id, int64_t booking_id,
                                       const char *reason, int64_t amount_cents, int64_t *id,
                                       struct pp_error *e);

#endif
