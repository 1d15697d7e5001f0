#ifndef PP_DOMAIN_THROTTLE_H
#define PP_DOMAIN_THROTTLE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"

struct pp_db;

/**
 * Counting per key in the database (so that every server shares the counts): failed logins per
 * (account, client address) pair and per client address, unknown countermarks per structure;
 * requests per partner API key and minute. docs/security.md ("Throttling") gives the figures.
 */

/** True when @key has @max failures or more since @now − @window. */
enum pp_err pp_throttle_exceeded(struct pp_db *db, const char *key, int64_t max, int64_t window,
                                 int64_t now, bool *exceeded);

/**
 * The events of @key after @since recorded before event @below (every one when @below is 0):
 * their number in *@count and the time of the latest in *@last (0 when none).
 */
enum pp_err pp_throttle_count(struct pp_db *db, const char *key, int64_t since, int64_t below,
                              int64_t *count, int64_t *last);

/**
 * Records one attempt of @key at @now before it is judged, and its event id in *@id: attempts
 * arriving together then see each other (pp_throttle_count with @below = *@id), so a burst
 * cannot all pass a check made before any of them is recorded.
 */
enum pp_err pp_throttle_claim(struct pp_db *db, const char *key, int64_t now, int64_t *id);

/** Deletes event @id of @key, or every event of @key when @id is 0. */
enum pp_err pp_throttle_forget(struct pp_db *db, const char *key, int64_t id);

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
