#include "http/metrics.h"

#include <arpa/inet.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "http/app.h"
#include "http/router.h"

static const uint64_t bucket_us[] = {1000, 5000, 10000, 25000, 50000, 100000, 250000, 1000000};
#define NBUCKETS (sizeof bucket_us / sizeof bucket_us[0])

struct slot {
    atomic_uint_fast64_t by_class[6]; /* index status/100: 1xx..5xx */
    atomic_uint_fast64_t buckets[NBUCKETS];
    atomic_uint_fast64_t count;
    atomic_uint_fast64_t sum_us;
};

struct pp_metrics {
    size_t nslots;
    struct slot slots[];
};

struct pp_metrics *pp_metrics_new(size_t nroutes)
{
    struct pp_metrics *m = pp_xcalloc(1, sizeof *m + (nroutes + 1) * sizeof(struct slot));
    m->nslots = nroutes + 1;
    return m;
}

void pp_metrics_free(struct pp_metrics *m)
{
    free(m);
}

void pp_metrics_observe(struct pp_metrics *m, size_t slot, int status, uint64_t micros)
{
    if (slot >= m->nslots)
        slot = 0;
    struct slot *s = &m->slots[slot];
    int cls = status / 100;
    if (cls < 1 || cls > 5)
        cls = 5;
    atomic_fetch_add_explicit(&s->by_class[cls], 1, memory_order_relaxed);
    for (size_t i = 0; i < NBUCKETS; i++)
        if (micros <= bucket_us[i])
            atomic_fetch_add_explicit(&s->buckets[i], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&s->count, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&s->sum_us, micros, memory_order_relaxed);
}

struct buf {
    char *p;
    size_t len, cap;
};

static void appendf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void appendf(struct buf *b, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
        if (n >= 0 && (size_t)n < b->cap - b->len) {
            b->len += (size_t)n;
            return;
        }
        b->cap = b->cap * 2 + (n > 0 ? (size_t)n : 0);
        b->p = pp_xrealloc(b->p, b->cap);
    }
}

char *pp_metrics_render(struct pp_metrics *m, const struct pp_route *routes)
{
    struct buf b = {pp_xmalloc(4096), 0, 4096};
    b.p[0] = '\0';
    appendf(&b, "# HELP passpro_http_requests_total HTTP requests by route and status class.\n"
                "# TYPE passpro_http_requests_total counter\n");
    for (size_t i = 0; i < m->nslots; i++) {
        const char *method = i ? routes[i - 1].method : "ANY";
        const char *pattern = i ? routes[i - 1].pattern : "(no route)";
        for (int c = 1; c <= 5; c++) {
            uint64_t v = atomic_load(&m->slots[i].by_class[c]);
            if (v)
                appendf(&b, "passpro_http_requests_total{route=\"%s %s\",code=\"%dxx\"} %llu\n",
                        method, pattern, c, (unsigned long long)v);
        }
    }
    appendf(&b, "# HELP passpro_http_request_duration_seconds Time to answer, by route.\n"
                "# TYPE passpro_http_request_duration_seconds histogram\n");
    for (size_t i = 0; i < m->nslots; i++) {
        struct slot *s = &m->slots[i];
        uint64_t count = atomic_load(&s->count);
        if (count == 0)
            continue;
        const char *method = i ? routes[i - 1].method : "ANY";
        const char *pattern = i ? routes[i - 1].pattern : "(no route)";
        for (size_t k = 0; k < NBUCKETS; k++)
            appendf(&b,
                    "passpro_http_request_duration_seconds_bucket{route=\"%s %s\",le=\"%g\"} %llu\n",
                    method, pattern, (double)bucket_us[k] / 1e6,
                    (unsigned long long)atomic_load(&s->buckets[k]));
        appendf(&b,
                "passpro_http_request_duration_seconds_bucket{route=\"%s %s\",le=\"+Inf\"} %llu\n"
                "passpro_http_request_duration_seconds_sum{route=\"%s %s\"} %.6f\n"
                "passpro_http_request_duration_seconds_count{route=\"%s %s\"} %llu\n",
                method, pattern, (unsigned long long)count, method, pattern,
                (double)atomic_load(&s->sum_us) / 1e6, method, pattern,
                (unsigned long long)count);
    }
    return b.p;
}

/* The address @text (@n bytes) as inet_ntop writes it into @out; false when it is none. */
static bool canonical_address(const char *text, size_t n, char out[INET6_ADDRSTRLEN])
{
    char copy[INET6_ADDRSTRLEN];
    unsigned char bin[sizeof(struct in6_addr)];
    if (n == 0 || n >= sizeof copy)
        return false;
    memcpy(copy, text, n);
    copy[n] = '\0';
    int family = strchr(copy, ':') ? AF_INET6 : AF_INET;
    return inet_pton(family, copy, bin) == 1 &&
           inet_ntop(family, bin, out, INET6_ADDRSTRLEN) != NULL;
}

bool pp_metrics_parse_allow(const char *spec, char **out, const char **bad)
{
    *out = NULL;
    *bad = NULL;
    if (strcmp(spec, "none") == 0)
        spec = "";
    struct buf b = {pp_xmalloc(64), 0, 64};
    b.p[0] = '\0';
    for (const char *p = spec; *p;) {
        size_t n = strcspn(p, ",");
        char addr[INET6_ADDRSTRLEN];
        if (!canonical_address(p, n, addr)) {
            free(b.p);
            *bad = p;
            return false;
        }
        appendf(&b, "%s%s", b.len ? "," : "", addr);
        p += n + (p[n] == ',');
    }
    *out = b.p;
    return true;
}

bool pp_metrics_allowed(const char *allow, const char *token, const char *remote_addr,
                        const char *forwarded, const char *authorization)
{
    if (token != NULL && *token != '\0' && authorization != NULL &&
        strncmp(authorization, "Bearer ", 7) == 0) {
        const char *given = authorization + 7;
        size_t n = strlen(token);
        if (strlen(given) == n && sodium_memcmp(given, token, n) == 0)
            return true;
    }
    if (forwarded != NULL || remote_addr == NULL)
        return false;
    size_t len = strlen(remote_addr);
    for (const char *p = allow ? allow : PP_METRICS_ALLOW_DEFAULT; *p;) {
        size_t n = strcspn(p, ",");
        if (n == len && memcmp(p, remote_addr, n) == 0)
            return true;
        p += n + (p[n] == ',');
    }
    return false;
}
