#ifndef PP_DOMAIN_FINANCE_RUN_H
#define PP_DOMAIN_FINANCE_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

struct pp_db;
struct pp_arena;

/**
 * Reimbursement runs (RULES §8). A run at cut-off C pays, per ACCEPTED bank account, the
 * unpaid pricings of bookings used before C whose event has happened before C, of the venues
 * linked to that account at C: one batch "VIRn", one cashflow and one invoice
 * ("F" + 2-digit year + 7-digit number) per account, the bookings REIMBURSED, an "invoice
 * available" email to the structure's members. The whole run is one transaction: it happens
 * entirely or not at all, and two runs asked at once queue on the database (the second finds
 * nothing left to pay). Numbers are taken from reference_scheme inside that transaction, so
 * they have no gaps.
 *
 * An account whose unpaid total is negative (incidents larger than what is due) is left for
 * a later run. Scheduled cut-offs are the 1st and the 16th at 00:00 Paris by default.
 */

struct pp_finance_run {
    int64_t batch_id;
    const char *batch_label;   /**< "VIR3" (in the arena) */
    size_t ncashflows;
    const char **references;   /**< invoice references (in the arena) */
    size_t ninvoices;
};

/**
 * Runs the batch of cut-off @cutoff for @admin_id (0 for the scheduler), pricing first what is
 * ready. PP_EVALIDATION ("global") when nothing is to be paid, PP_ECONFLICT when a batch with
 * that cut-off exists, PP_EVALIDATION ("cutoff") for a cut-off in the future.
 */
enum pp_err pp_finance_run(struct pp_db *db, struct pp_arena *arena, int64_t admin_id,
                           int64_t cutoff, struct pp_finance_run *out, struct pp_error *e);

/**
 * Scheduler job: when the latest scheduled cut-off at or before @now has not been handled
 * yet, runs it (nothing to pay is not an error). *@count: invoices made.
 */
enum pp_err pp_finance_scheduled_run(struct pp_db *db, int64_t now, int64_t *count);

/**
 * Sets the days of the month of the scheduled cut-offs from "1,16" (1 to 28, increasing,
 * at most 4). False, changing nothing, for anything else.
 */
bool pp_finance_set_cutoff_days(const char *list);

/** The first scheduled cut-off strictly after @now. */
int64_t pp_finance_next_cutoff(int64_t now);

/** The latest scheduled cut-off at or before @now. */
int64_t pp_finance_last_cutoff(int64_t now);

/**
 * The days a batch of cut-off @cutoff covers: from the 1st or the 16th (00:00 Paris) to the
 * last day before the cut-off (00:00 Paris), as the invoice says.
 */
void pp_finance_period(int64_t cutoff, int64_t *first_day, int64_t *last_day);

#endif
