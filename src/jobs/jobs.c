#include "jobs/jobs.h"

#include "db/db.h"
#include "domain/account.h"
#include "domain/beneficiary.h"

/* Deletes expired sessions and login failures older than the throttling window. */
static enum pp_err purge_sessions(struct pp_db *db, int64_t now)
{
    struct pp_stmt *st = pp_db_prepare(db, "DELETE FROM session WHERE expires_at <= ?");
    if (st == NULL)
        return PP_EDB;
    pp_stmt_bind_int(st, 1, now);
    enum pp_step s = pp_stmt_step(st);
    pp_stmt_done(st);
    if (s != PP_STEP_DONE)
        return PP_EDB;
    st = pp_db_prepare(db, "DELETE FROM login_failure WHERE at <= ?");
    if (st == NULL)
        return PP_EDB;
    pp_stmt_bind_int(st, 1, now - PP_LOGIN_WINDOW);
    s = pp_stmt_step(st);
    pp_stmt_done(st);
    return s == PP_STEP_DONE ? PP_OK : PP_EDB;
}

/* Grants the 18-year-old credit to those whose birthday came (idempotent). */
static enum pp_err credit_top_up(struct pp_db *db, int64_t now)
{
    int64_t n;
    return pp_wallet_refresh_all(db, now, &n);
}

struct job {
    const char *name;
    enum pp_err (*run)(struct pp_db *db, int64_t now);
};

static const struct job jobs[] = {
    {"purge_sessions", purge_sessions},
    {"credit_top_up", credit_top_up},
};

enum pp_err pp_jobs_run_due(struct pp_db *db, int64_t now, json_t *ran)
{
    for (size_t i = 0; i < sizeof jobs / sizeof jobs[0]; i++) {
        enum pp_err rc = jobs[i].run(db, now);
        if (rc != PP_OK)
            return rc;
        if (ran != NULL)
            json_array_append_new(ran, json_string(jobs[i].name));
    }
    return PP_OK;
}
