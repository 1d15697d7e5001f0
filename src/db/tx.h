#ifndef PP_DB_TX_H
#define PP_DB_TX_H

#include "core/error.h"

struct pp_db;

/**
 * Ends the transaction opened with pp_db_begin() on @db according to @rc, the outcome of the
 * work done inside it: PP_OK commits (and returns the commit's result), anything else rolls
 * back and returns @rc unchanged.
 */
enum pp_err pp_tx_end(struct pp_db *db, enum pp_err rc);

#endif
