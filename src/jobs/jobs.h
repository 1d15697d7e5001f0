#ifndef PP_JOBS_H
#define PP_JOBS_H

#include <jansson.h>
#include <stdint.h>

#include "core/error.h"

struct pp_db;

/**
 * The job scheduler: every job that is due at @now runs once. `serve` calls it every minute
 * from its scheduler thread, `passpro jobs run` once, and POST /api/test/jobs/run on demand.
 * The names of the jobs that ran are appended to @ran (an array) when it is not NULL.
 * The foundation has one housekeeping job (expired sessions and old login failures); the
 * booking, mail and finance issues add theirs here.
 */
enum pp_err pp_jobs_run_due(struct pp_db *db, int64_t now, json_t *ran);

#endif
