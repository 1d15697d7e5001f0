#ifndef PP_JOBS_H
#define PP_JOBS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"

struct pp_db;

/**
 * The job scheduler: every job that is due at @now runs once. `serve` calls it every minute
 * from its scheduler thread, `passpro jobs run` once, and POST /api/test/jobs/run on demand.
 * The names of the jobs that ran are appended to @ran (an array) when it is not NULL.
 * Jobs: purge of sessions and throttling events, credit top-up at 18, automatic validation of
 * events 48 h after their start, expiry reminders and expiry of uncollected things, and, last,
 * the anonymisation of beneficiaries inactive past the retention period. Each job
 * runs under a lock row in the database (job_lock), so that two servers never run one job at
 * once; each is idempotent anyway (conditional updates, batches of 500).
 * Last, when a mailer is set (pp_jobs_set_mailer), "send_emails" delivers every email due,
 * those the jobs above just queued included. It takes no job lock: its claims are per row,
 * so that two servers deliver side by side, each email once. What it did goes to @mail when
 * not NULL (zeros when no mailer is set).
 */
struct pp_delivery_stats;
enum pp_err pp_jobs_run_due(struct pp_db *db, int64_t now, json_t *ran,
                            struct pp_delivery_stats *mail);

struct pp_mailer;

/** Days of inactivity after which a beneficiary is anonymised (3 years and a day). */
#define PP_RETENTION_DAYS_DEFAULT 1096

/**
 * Sets the retention period from @days (decimal, 1 to 36600: --retention-days); false,
 * leaving it as it was, when @days is not such a number. Called by main.c before any thread.
 */
bool pp_jobs_set_retention_days(const char *days);

/**
 * The mailer that "send_emails" uses (borrowed; NULL: emails stay in the outbox). Set once by
 * main.c before any thread starts.
 */
void pp_jobs_set_mailer(struct pp_mailer *mailer);

/** The mailer set by pp_jobs_set_mailer(), or NULL. */
struct pp_mailer *pp_jobs_mailer(void);

#endif
