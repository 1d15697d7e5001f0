#ifndef PP_HTTP_METRICS_H
#define PP_HTTP_METRICS_H

#include <stdbool.h>
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

/*
 * Who may read /metrics (passpro serve --metrics-allow, PASSPRO_METRICS_TOKEN). The text tells
 * every route's traffic and the database's state: by default only this machine reads it.
 */

/**
 * Checks and normalizes @spec, a comma-separated list of IPv4 or IPv6 addresses ("none" or ""
 * for no address), into *out: the same addresses as inet_ntop writes them, comma-separated,
 * malloc'd (the caller frees it). Returns false (and *out NULL) on an address that is not one;
 * *bad then points into @spec at it.
 */
bool pp_metrics_parse_allow(const char *spec, char **out, const char **bad);

/**
 * True when a request may read the metrics: it carries "Authorization: Bearer @token" (@token
 * set, compared in constant time), or it comes straight from an address of @allow (a list made
 * by pp_metrics_parse_allow; NULL means PP_METRICS_ALLOW_DEFAULT) with no @forwarded header: a
 * request relayed by a proxy on this machine is not this machine's.
 */
bool pp_metrics_allowed(const char *allow, const char *token, const char *remote_addr,
                        const char *forwarded, const char *authorization);

#endif
