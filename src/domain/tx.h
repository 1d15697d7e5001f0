#ifndef PP_DOMAIN_TX_H
#define PP_DOMAIN_TX_H

#include "core/error.h"
#include "db/db.h"

/**
 * Ends the transaction the caller began with pp_db_begin(): commits when @rc is PP_OK (and
 * returns the commit's result), rolls back and returns @rc otherwise. Every domain write
 * ends the same way, so it is written once.
 */
static inline enum pp_err pp_tx_finish(struct pp_db *db, enum pp_err rc)
{
    if (rc != PP_OK) {
        pp_db_rollback(db);
        return rc;
    }
    return pp_db_commit(db);
}

#endif
