#include "domain/test_clock.h"

#include "db/bind.h"
#include "db/db.h"
#include "db/row.h"

enum pp_err pp_test_clock_save(struct pp_db *db, int64_t offset_seconds)
{
    return pp_row_exec(PP_BIND(db,
                               "INSERT INTO test_clock (id, offset_seconds) VALUES (1, ?)"
                               " ON CONFLICT (id) DO UPDATE SET offset_seconds = excluded.offset_seconds",
                               PP_INT(offset_seconds)));
}

enum pp_err pp_test_clock_load(struct pp_db *db, int64_t *offset_seconds)
{
    return pp_db_query_int(db, offset_seconds, "SELECT offset_seconds FROM test_clock WHERE id = 1",
                           0);
}
