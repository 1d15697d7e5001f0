#include "db/tx.h"

#include "db/db.h"

enum pp_err pp_tx_end(struct pp_db *db, enum pp_err rc)
{
    if (rc != PP_OK) {
        pp_db_rollback(db);
        return rc;
    }
    return pp_db_commit(db);
}
