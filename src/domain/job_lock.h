#ifndef PP_DOMAIN_JOB_LOCK_H
#define PP_DOMAIN_JOB_LOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"

struct pp_db;

/**
 * Job locks in the database (table job_lock), so that two servers never run one job at the
 * same time. A lock carries its holder (@owner, "host:pid") and an end: a server that dies
 * mid-job frees it by itself when that end passes.
 */

/**
 * Takes the lock of job @name for @owner until @until when nobody holds it at @now:
 * *taken is then true; false when another holder's lock is still running.
 */
enum pp_err pp_job_lock_take(struct pp_db *db, const char *name, const char *owner, int64_t now,
                             int64_t until, bool *taken);

/** Frees the lock of job @name if @owner holds it (errors are ignored: the lock expires). */
void pp_job_lock_release(struct pp_db *db, const char *name, const char *owner);

#endif
