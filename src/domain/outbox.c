#include "domain/outbox.h"

#include <stdlib.h>

#include "core/clock.h"
#include "db/db.h"

enum pp_err pp_outbox_add(struct pp_db *db, const char *kind, const char *to,
                          const char *reply_to, json_t *payload)
{
    if (to == NULL || *to == '\0') {
        json_decref(payload);
        return PP_OK;
    }
    char *text = json_dumps(payload, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(payload);
    if (text == NULL)
        return PP_EINTERNAL;
    struct pp_stmt *st = pp_db_prepare(
        db, "INSERT INTO outbox (created_at, kind, to_address, reply_to, payload,"
            " next_attempt_at) VALUES (?, ?, ?, ?, ?, ?)");
    if (st == NULL) {
        free(text);
        return PP_EDB;
    }
    int64_t now = pp_clock_now();
    pp_stmt_bind_int(st, 1, now);
    pp_stmt_bind_text(st, 2, kind);
    pp_stmt_bind_text(st, 3, to);
    pp_stmt_bind_text(st, 4, reply_to);
    pp_stmt_bind_text(st, 5, text);
    pp_stmt_bind_int(st, 6, now);
    enum pp_step s = pp_stmt_step(st);
    pp_stmt_done(st);
    free(text);
    return s == PP_STEP_DONE ? PP_OK : PP_EDB;
}
