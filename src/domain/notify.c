#include "domain/notify.h"

#include "core/arena.h"
#include "db/db.h"
#include "db/row.h"
#include "domain/outbox.h"

struct member {
    const char *email;
    const char *first_name;
};

static const struct pp_col member_cols[] = PP_COLS(struct member,
    PPC_TEXT(email), PPC_TEXT(first_name));
static const struct pp_row_spec member_row = PP_ROW_SPEC(struct member, member_cols, NULL);

enum pp_err pp_notify_members(struct pp_db *db, int64_t offerer_id, const char *kind,
                              json_t *payload)
{
    struct pp_arena *a = pp_arena_new();
    struct member *m;
    size_t n;
    enum pp_err rc = PP_COLLECT(db, a, &member_row, &m, &n,
        "SELECT a.email AS email, a.first_name AS first_name FROM user_offerer uo"
        " JOIN account a ON a.id = uo.account_id"
        " WHERE uo.offerer_id = ? AND uo.status = 'VALIDATED' ORDER BY a.id",
        PP_INT(offerer_id));
    for (size_t i = 0; i < n && rc == PP_OK; i++) {
        json_t *data = json_deep_copy(payload);
        json_object_set_new(data, "firstName", json_string(m[i].first_name));
        rc = pp_outbox_add(db, kind, m[i].email, NULL, data);
    }
    json_decref(payload);
    pp_arena_free(a);
    return rc;
}
