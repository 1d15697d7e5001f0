#ifndef PP_DOMAIN_THROTTLE_H
#define PP_DOMAIN_THROTTLE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"

struct pp_db;

/**
 * Counting per key in the database (so that every server shares the counts): failures of
 * logins per account and per address, countermark look-ups per pro and per API key; requests
 * per partner API key and minute.
 */

/** True when @key has @max failures or more since @now − @window. */
enum pp_err pp_throttle_exceeded(struct pp_db *db, const char *key, int64_t max, int64_t window,
                                 int64_t now, bool *exceeded);

/** Records one failure of @key at @now. */
enum pp_err pp_throttle_record(struct pp_db *db, const char *key, int64_t now);

/**
 * Counts one request of @key in the minute of @now and tells whether it stays within
 * @per_minute (partner API keys): one upsert, shared by every server on the database.
 */
enum pp_err pp_throttle_request(struct pp_db *db, const char *key, int64_t per_minute,
                                int64_t now, bool *allowed);

/** Deletes the failures and request counts older than @before (a housekeeping job). */
enum pp_err pp_throttle_purge(struct pp_db *db, int64_t before);

#endif
