#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/arena.h"
#include "core/clock.h"
#include "db/db.h"
#include "domain/outbox.h"
#include "domain/test_clock.h"
#include "http/metrics.h"
#include "mail/delivery.h"
#include "jobs/jobs.h"

/* For a load balancer: this server answers and reaches its database (one SELECT 1). */
void pp_api_healthz(struct pp_req *req)
{
    if (pp_db_ping(pp_req_db(req)) != PP_OK) {
        pp_res_header(req, "Retry-After", "5");
        pp_res_json(req, 503, json_pack("{s:s, s:s}", "status", "unavailable", "database",
                                        "unreachable"));
        return;
    }
    pp_res_json(req, 200, json_pack("{s:s}", "status", "ok"));
}

void pp_api_metrics(struct pp_req *req)
{
    char *text = pp_metrics_render(req->app->metrics, req->app->routes);
    struct pp_db_pool_stats p;
    pp_db_pool_stats(req->app->pool, &p);
    char *all = pp_arena_printf(
        req->arena,
        "%s# HELP passpro_db_connections Database connections of this server, by state.\n"
        "# TYPE passpro_db_connections gauge\n"
        "passpro_db_connections{state=\"in_use\"} %d\n"
        "passpro_db_connections{state=\"free\"} %d\n"
        "passpro_db_connections{state=\"lost\"} %d\n"
        "# HELP passpro_db_pool_waits_total Requests that waited for a free connection.\n"
        "# TYPE passpro_db_pool_waits_total counter\n"
        "passpro_db_pool_waits_total %lld\n"
        "# HELP passpro_db_transactions_total Write transactions committed (SQLite group commit).\n"
        "# TYPE passpro_db_transactions_total counter\n"
        "passpro_db_transactions_total %lld\n"
        "# HELP passpro_db_commits_total Durable commits that carried them (fewer when batched).\n"
        "# TYPE passpro_db_commits_total counter\n"
        "passpro_db_commits_total %lld\n",
        text, p.in_use, p.size - p.in_use, p.lost, (long long)p.waits,
        (long long)p.transactions, (long long)p.commits);
    free(text);
    pp_res_bytes(req, 200, "text/plain; version=0.0.4; charset=utf-8", all, strlen(all));
}

/* now: an ISO 8601 UTC instant. */
static bool read_now(struct pp_req *req, json_t *body, const struct pp_api_field *f, void *dst,
                     struct pp_error *e)
{
    (void)req;
    const char *now = json_string_value(json_object_get(body, f->key));
    if (now != NULL && pp_clock_parse_iso(now, dst))
        return true;
    pp_error_set(e, PP_EVALIDATION, f->key, "Date invalide : format attendu 2026-03-14T09:30:00Z.");
    return false;
}

struct clock_input {
    int64_t now;
};

static const struct pp_api_body clock_body = PP_API_FIELDS(
    PP_FIELD(struct clock_input, now, int64_t, "now", true, read_now));

void pp_api_test_clock(struct pp_req *req)
{
    struct pp_error e;
    struct clock_input in;
    if (!pp_api_read(req, &clock_body, &in, &e))
        return;
    pp_clock_set(in.now);
    /* Stored, so that every server on the database runs on this time. */
    if (!pp_api_ok(req, pp_test_clock_save(pp_req_db(req), pp_clock_offset()), NULL))
        return;
    char iso[21];
    pp_clock_format_iso(pp_clock_now(), iso);
    pp_res_json(req, 200, json_pack("{s:s}", "now", iso));
}

void pp_api_test_jobs(struct pp_req *req)
{
    json_t *ran = pp_req_own(req, json_array());
    struct pp_delivery_stats mail;
    enum pp_err rc = pp_jobs_run_due(pp_req_db(req), pp_clock_now(), ran, &mail);
    if (!pp_api_ok(req, rc, NULL))
        return;
    /* What the email delivery did, for the tests of the mail issue. */
    pp_res_json(req, 200,
                json_pack("{s:O, s:{s:I, s:I, s:I}}", "ran", ran, "emails", "sent",
                          (json_int_t)mail.sent, "retried", (json_int_t)mail.retried, "failed",
                          (json_int_t)mail.failed));
}

/* An outbox row as the test endpoint shows it. */
static json_t *outbox_json(const struct pp_outbox_email *e)
{
    char created[21], next[21], sent[21];
    pp_clock_format_iso(e->created_at, created);
    pp_clock_format_iso(e->next_attempt_at, next);
    pp_clock_format_iso(e->sent_at, sent);
    json_t *j = json_pack("{s:I, s:s, s:s, s:s, s:I, s:s, s:s}", "id", (json_int_t)e->id, "kind",
                          e->kind, "to", e->to, "status", e->status, "attempts",
                          (json_int_t)e->attempts, "createdAt", created, "nextAttemptAt", next);
    json_object_set_new(j, "replyTo", e->reply_to ? json_string(e->reply_to) : json_null());
    json_object_set_new(j, "lastError", e->last_error ? json_string(e->last_error) : json_null());
    json_object_set_new(j, "sentAt", e->sent_at ? json_string(sent) : json_null());
    return j;
}

void pp_api_test_outbox(struct pp_req *req)
{
    static const char *statuses[] = {"PENDING", "SENT", "FAILED"};
    json_t *list = pp_req_own(req, json_array());
    for (size_t s = 0; s < sizeof statuses / sizeof statuses[0]; s++) {
        struct pp_outbox_email *items;
        size_t n;
        if (pp_outbox_list(pp_req_db(req), req->arena, statuses[s], 100000, &items, &n) != PP_OK) {
            pp_res_error(req, PP_EDB, NULL);
            return;
        }
        for (size_t i = 0; i < n; i++)
            json_array_append_new(list, outbox_json(&items[i]));
    }
    pp_res_json(req, 200, json_pack("{s:O}", "emails", list));
}
