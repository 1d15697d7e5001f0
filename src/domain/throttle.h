#ifndef PP_DOMAIN_THROTTLE_H
#define PP_DOMAIN_THROTTLE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"

struct pp_db;

/**
 * Counting failures per key in the database (so that every server shares the counts):
 * logins per account and per address, countermark look-ups per pro and per API key.
 */

/** True when @key has @max failures or more since @now − @window. */
enum pp_err pp_throttle_exceeded(struct pp_db *db, const char *key, int64_t max, int64_t window,
                                 int64_t now, bool *exceeded);

/** Records one failure of @key at @now. */
enum pp_err pp_throttle_record(struct pp_db *db, const char *key, int64_t now);

/** Deletes the failures older than @before (a housekeeping job). */
enum pp_err pp_throttle_purge(struct pp_db *db, int64_t before);

#endif
