#ifndef PP_DOMAIN_TEST_CLOCK_H
#define PP_DOMAIN_TEST_CLOCK_H

#include <stdint.h>

#include "core/error.h"

struct pp_db;

/**
 * The test clock's offset from real time, stored so that every server on the database shares
 * it (SPEC §9): a test sets the time once through any server, and the others follow.
 */

/** Stores @offset_seconds (test clock minus real time). */
enum pp_err pp_test_clock_save(struct pp_db *db, int64_t offset_seconds);

/** Reads the stored offset into *@offset_seconds; PP_ENOTFOUND when no test has set it. */
enum pp_err pp_test_clock_load(struct pp_db *db, int64_t *offset_seconds);

#endif
