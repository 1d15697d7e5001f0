#ifndef PP_HTTP_METRICS_H
#define PP_HTTP_METRICS_H

#include <stddef.h>
#include <stdint.h>

/**
 * Request counts and latencies per route, lock-free (atomics), rendered in Prometheus text
 * format by GET /metrics. Slot 0 holds requests that matched no route (404s, static files).
 */
struct pp_metrics;
struct pp_route;

/** Metrics for @nroutes routes (their slots are 1..nroutes). */
struct pp_metrics *pp_metrics_new(size_t nroutes);
void pp_metrics_free(struct pp_metrics *m);

/** Records one request of route slot @slot answered with @status after @micros. */
void pp_metrics_observe(struct pp_metrics *m, size_t slot, int status, uint64_t micros);

/**
 * Prometheus text of every route with at least one request, labelled by "METHOD pattern"
 * taken from @routes. malloc'd string the caller frees.
 */
char *pp_metrics_render(struct pp_metrics *m, const struct pp_route *routes);

#endif
