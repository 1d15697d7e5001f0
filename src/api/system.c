#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/clock.h"
#include "http/metrics.h"
#include "jobs/jobs.h"

void pp_api_healthz(struct pp_req *req)
{
    pp_res_json(req, 200, json_pack("{s:s}", "status", "ok"));
}

void pp_api_metrics(struct pp_req *req)
{
    char *text = pp_metrics_render(req->app->metrics, req->app->routes);
    pp_res_bytes(req, 200, "text/plain; version=0.0.4; charset=utf-8", text, strlen(text));
    free(text);
}

void pp_api_test_clock(struct pp_req *req)
{
    json_t *body = pp_req_json(req);
    if (body == NULL)
        return;
    const char *now = json_string_value(json_object_get(body, "now"));
    int64_t t;
    if (now == NULL || !pp_clock_parse_iso(now, &t)) {
        pp_res_error1(req, PP_EVALIDATION, "now",
                      "Date invalide : format attendu 2026-03-14T09:30:00Z.");
        return;
    }
    pp_clock_set(t);
    char iso[21];
    pp_clock_format_iso(pp_clock_now(), iso);
    pp_res_json(req, 200, json_pack("{s:s}", "now", iso));
}

void pp_api_test_jobs(struct pp_req *req)
{
    json_t *ran = json_array();
    enum pp_err rc = pp_jobs_run_due(pp_req_db(req), pp_clock_now(), ran);
    if (rc != PP_OK) {
        json_decref(ran);
        pp_res_error(req, rc, NULL);
        return;
    }
    pp_res_json(req, 200, json_pack("{s:o}", "ran", ran));
}
