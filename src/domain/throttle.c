#include "domain/throttle.h"

#include "db/bind.h"
#include "db/db.h"
#include "db/row.h"
#include "db/scalar.h"

enum pp_err pp_throttle_exceeded(struct pp_db *db, const char *key, int64_t max, int64_t window,
                                 int64_t now, bool *exceeded)
{
    int64_t failures;
    enum pp_err rc = pp_scalar_int(
        PP_BIND(db, "SELECT COUNT(*) FROM throttle_event WHERE key = ? AND at > ?", PP_TEXT(key),
                PP_INT(now - window)),
        &failures);
    if (rc != PP_OK)
        return PP_EDB; /* a COUNT always answers one row */
    *exceeded = failures >= max;
    return PP_OK;
}

/* One row of pp_throttle_count. */
struct count_row {
    int64_t failures;
    int64_t latest;
};

static const struct pp_col count_cols[] = PP_COLS(struct count_row, PPC_INT(failures),
                                                  PPC_INT(latest));
static const struct pp_row_spec count_row = PP_ROW_SPEC(struct count_row, count_cols, NULL);

enum pp_err pp_throttle_count(struct pp_db *db, const char *key, int64_t since, int64_t below,
                              int64_t *count, int64_t *last)
{
    struct count_row r;
    enum pp_err rc = PP_FETCH(db, NULL, &count_row, &r,
        "SELECT COUNT(*) AS failures, COALESCE(MAX(at), 0) AS latest FROM throttle_event"
        " WHERE key = ? AND at > ? AND (? = 0 OR id < ?)",
        PP_TEXT(key), PP_INT(since), PP_INT(below), PP_INT(below));
    if (rc != PP_OK)
        return PP_EDB; /* an aggregate always answers one row */
    *count = r.failures;
    *last = r.latest;
    return PP_OK;
}

enum pp_err pp_throttle_record(struct pp_db *db, const char *key, int64_t now)
{
    return pp_row_exec(PP_BIND(db, "INSERT INTO throttle_event (key, at) VALUES (?, ?)",
                               PP_TEXT(key), PP_INT(now)));
}

enum pp_err pp_throttle_claim(struct pp_db *db, const char *key, int64_t now, int64_t *id)
{
    return pp_row_returning(PP_BIND(db, "INSERT INTO throttle_event (key, at) VALUES (?, ?)"
                                        " RETURNING id",
                                    PP_TEXT(key), PP_INT(now)),
                            id);
}

enum pp_err pp_throttle_forget(struct pp_db *db, const char *key, int64_t id)
{
    return PP_EXEC(db, "DELETE FROM throttle_event WHERE key = ? AND (? = 0 OR id = ?)",
                   PP_TEXT(key), PP_INT(id), PP_INT(id));
}

enum pp_err pp_throttle_request(struct pp_db *db, const char *key, int64_t per_minute,
                                int64_t now, bool *allowed)
{
    int64_t requests;
    enum pp_err rc = pp_scalar_int(
        PP_BIND(db, "INSERT INTO request_rate (key, minute, count) VALUES (?, ?, 1)"
                    " ON CONFLICT (key, minute) DO UPDATE SET count = request_rate.count + 1"
                    " RETURNING count",
                PP_TEXT(key), PP_INT(now / 60)),
        &requests);
    if (rc != PP_OK)
        return PP_EDB; /* the upsert always returns its row */
    *allowed = requests <= per_minute;
    return PP_OK;
}

enum pp_err pp_throttle_purge(struct pp_db *db, int64_t before)
{
    if (PP_EXEC(db, "DELETE FROM request_rate WHERE minute < ?", PP_INT(before / 60)) != PP_OK)
        return PP_EDB;
    return pp_row_exec(PP_BIND(db, "DELETE FROM throttle_event WHERE at <= ?", PP_INT(before)));
}
