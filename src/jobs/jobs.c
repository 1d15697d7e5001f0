#include "jobs/jobs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domain/account.h"
#include "domain/beneficiary.h"
#include "domain/booking.h"
#include "domain/collective_booking.h"
#include "domain/finance_run.h"
#include "export/justificatif.h"
#include "domain/pricing.h"
#include "domain/job_lock.h"
#include "domain/session.h"
#include "domain/throttle.h"
#include "mail/delivery.h"

/* A lock lasts this long at most: a server that dies mid-job frees it by itself. */
#define LOCK_SECONDS (10 * 60)

static struct pp_mailer *job_mailer;

void pp_jobs_set_mailer(struct pp_mailer *mailer)
{
    job_mailer = mailer;
}

struct pp_mailer *pp_jobs_mailer(void)
{
    return job_mailer;
}

/* Deletes expired sessions and old throttling events. */
static enum pp_err purge_sessions(struct pp_db *db, int64_t now, int64_t *n)
{
    enum pp_err rc = pp_session_purge_expired(db, now, n);
    if (rc != PP_OK)
        return rc;
    /* Every throttling window is at most a day. */
    return pp_throttle_purge(db, now - 24 * 3600);
}

static int64_t retention_days = PP_RETENTION_DAYS_DEFAULT;

bool pp_jobs_set_retention_days(const char *days)
{
    char *end;
    long v = strtol(days, &end, 10);
    if (end == days || *end != '\0' || v < 1 || v > 36600)
        return false;
    retention_days = v;
    return true;
}

/* Anonymises the beneficiaries inactive for longer than the retention period. */
static enum pp_err anonymise(struct pp_db *db, int64_t now, int64_t *n)
{
    return pp_beneficiary_anonymise_stale(db, now, retention_days * 24 * 3600, n);
}

struct job {
    const char *name;
    enum pp_err (*run)(struct pp_db *db, int64_t now, int64_t *count);
};

/* The scheduled reimbursement run, and the justificatifs of its invoices drawn at once. */
static enum pp_err run_finance(struct pp_db *db, int64_t now, int64_t *count)
{
    enum pp_err rc = pp_finance_scheduled_run(db, now, count);
    return rc == PP_OK ? pp_justificatif_render_pending(db) : rc;
}

/* In the order they run: validation before expiry, reminders before expiry of the day. */
static const struct job jobs[] = {
    {"purge_sessions", purge_sessions},
    {"credit_top_up", pp_wallet_refresh_all},
    {"auto_use_events", pp_booking_auto_use},
    /* Collective: USED 48 h after the end (before pricing); pre-bookings not confirmed in time. */
    {"collective_auto_use", pp_collective_booking_auto_use},
    {"collective_expire", pp_collective_booking_expire},
    {"expiry_reminders", pp_booking_remind_expiry},
    {"expire_bookings", pp_booking_expire},
    /* After the validations of the run: what became USED is priced, then paid at a cut-off. */
    {"price_events", pp_pricing_run},
    {"finance_runs", run_finance},
    {"anonymise_beneficiaries", anonymise},
};

enum pp_err pp_jobs_run_due(struct pp_db *db, int64_t now, json_t *ran,
                            struct pp_delivery_stats *mail)
{
    if (mail != NULL)
        memset(mail, 0, sizeof *mail);
    char owner[96], host[64] = "?";
    gethostname(host, sizeof host - 1);
    snprintf(owner, sizeof owner, "%s:%ld", host, (long)getpid());
    for (size_t i = 0; i < sizeof jobs / sizeof jobs[0]; i++) {
        bool taken = false;
        enum pp_err rc =
            pp_job_lock_take(db, jobs[i].name, owner, now, now + LOCK_SECONDS, &taken);
        if (rc != PP_OK)
            return rc;
        if (!taken)
            continue; /* another server is running it right now */
        int64_t count = 0;
        rc = jobs[i].run(db, now, &count);
        pp_job_lock_release(db, jobs[i].name, owner);
        if (rc != PP_OK) {
            fprintf(stderr, "passpro: la tâche %s a échoué (%s)\n", jobs[i].name, pp_err_name(rc));
            return rc;
        }
        if (ran != NULL)
            json_array_append_new(ran, json_string(jobs[i].name));
    }
    if (job_mailer != NULL) {
        enum pp_err rc = pp_mailer_deliver(job_mailer, db, now, mail);
        if (rc != PP_OK) {
            fprintf(stderr, "passpro: la tâche send_emails a échoué (%s)\n", pp_err_name(rc));
            return rc;
        }
        if (ran != NULL)
            json_array_append_new(ran, json_string("send_emails"));
    }
    return PP_OK;
}
