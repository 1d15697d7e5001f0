#include "http/connguard.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>

#include "core/arena.h"

/*
 * Why a reaper, and why it is safe.
 *
 * libmicrohttpd's timeout is an idle timeout: every byte received resets it, so a client that
 * sends a byte every few seconds keeps a connection forever; and no callback runs while the
 * request line and headers arrive, so nothing of ours gets a chance to look at the clock then.
 * What we do get: NOTIFY_CONNECTION when a connection starts and when it closes, the access
 * handler once the headers are complete and again once the body is, NOTIFY_COMPLETED once the
 * answer is sent. Each of those moments sets the connection's stage and deadline (one atomic,
 * written by the connection's own worker thread without a lock): headers, from the start + header
 * timeout; body, from the end of the headers + body timeout; none while the request is handled
 * and answered; keep-alive, from the end of the answer + idle timeout.
 *
 * No callback tells when the next request on a keep-alive connection begins either; the kernel
 * does: TCP_INFO's tcpi_last_data_recv says when data last arrived. At the keep-alive deadline,
 * a connection that received nothing since its last answer is idle and cut; one that did has
 * begun its next request, whose headers are due header timeout after the last answer.
 *
 * The deadlines measure the client, not the server: a worker thread busy with a long request
 * leaves the bytes of its other connections unread in their sockets, and the reaper spares a
 * connection with unread bytes (FIONREAD): its client did send, the server did not read yet.
 *
 * A reaper thread wakes a few times a second and shuts down the socket of every connection past
 * its deadline with shutdown(SHUT_RDWR). It never closes it: the descriptor stays the library's,
 * whose worker thread sees end of file on its next read (epoll reports it at once) and closes
 * the connection itself, with the usual callbacks.
 *
 * The danger of acting on a descriptor from another thread is reuse: once the library closes
 * it, the same number may name the next accepted socket, which the reaper must not touch. The
 * registry's mutex rules it out. A connection is in the registry from NOTIFY_CONNECTION STARTED
 * to NOTIFY_CONNECTION CLOSED, and libmicrohttpd calls CLOSED before it closes the socket (its
 * cleanup runs the callback, then closes the descriptor). CLOSED takes the mutex to unregister;
 * the reaper holds it while it walks the registry and calls shutdown(). So every shutdown()
 * happens while its connection is registered, hence before the descriptor is closed: it can only
 * reach the socket it was meant for.
 *
 * A deadline read a moment late is harmless: the worst case is a connection cut just as it
 * reached the next stage, which is to say at its deadline.
 */

/* The reaper's period: a fraction of the shortest timeout, so a cut comes at most that late. */
#define REAPER_MIN_TICK_MS 20
#define REAPER_MAX_TICK_MS 250
#define ADDR_KEY_LEN 16
/* Data received this close after an answer may be the request's own (clock granularity). */
#define RECV_MARGIN_MS 20

/* What a connection waits for; its deadline and stage share one atomic: deadline << 2 | stage. */
enum stage {
    STAGE_BUSY,      /* the request is handled or answered: no deadline */
    STAGE_HEADERS,   /* request line and headers */
    STAGE_BODY,      /* request body */
    STAGE_KEEPALIVE, /* the next request, after an answer */
};

/* One client address and how many connections it has open. */
struct address {
    struct address *next; /* in its hash bucket */
    unsigned char key[ADDR_KEY_LEN];
    unsigned open;
};

/* One open connection (the libmicrohttpd socket context). */
struct guarded {
    struct guarded *prev, *next; /* the registry, under the guard's mutex */
    struct pp_connguard *guard;
    struct address *address;
    int fd;
    bool cut;                /* shut down already; under the mutex */
    _Atomic uint64_t state;  /* deadline (monotonic ms) << 2 | enum stage */
    _Atomic uint64_t since;  /* STAGE_KEEPALIVE: when the last answer ended */
};

struct pp_connguard {
    struct pp_connguard_limits limits;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    pthread_t reaper;
    bool stop;
    unsigned tick_ms;
    struct guarded *head; /* the registry of open connections */
    unsigned open;
    struct address **buckets;
    size_t nbuckets; /* a power of two */
    unsigned char (*exempt)[ADDR_KEY_LEN]; /* keys of limits.exempt */
    size_t nexempt;
    _Atomic uint64_t refused, cut;
};

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/*
 * The key @addr counts under: the IPv4 address, or the /64 prefix of an IPv6 address (one
 * subscriber usually holds a whole /64). An IPv4-mapped IPv6 address counts as its IPv4 one.
 * False for another family (nothing is counted then).
 */
static bool address_key(const struct sockaddr *addr, socklen_t len,
                        unsigned char key[ADDR_KEY_LEN])
{
    memset(key, 0, ADDR_KEY_LEN);
    if (addr == NULL)
        return false;
    if (addr->sa_family == AF_INET && len >= (socklen_t)sizeof(struct sockaddr_in)) {
        const struct sockaddr_in *in = (const void *)addr;
        memcpy(key, &in->sin_addr, 4);
        return true;
    }
    if (addr->sa_family == AF_INET6 && len >= (socklen_t)sizeof(struct sockaddr_in6)) {
        const struct sockaddr_in6 *in6 = (const void *)addr;
        if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) {
            memcpy(key, in6->sin6_addr.s6_addr + 12, 4);
        } else {
            key[4] = 6; /* never equal to an IPv4 key, whose bytes 4.. are zero */
            memcpy(key + 8, in6->sin6_addr.s6_addr, 8);
        }
        return true;
    }
    return false;
}

/*
 * Whether connections from @key count against the per-address limit: all but those of a
 * trusted reverse proxy (--trusted-proxy), whose clients all arrive from its one address and
 * are held by the proxy's own limits.
 */
static bool address_limited(const struct pp_connguard *g, const unsigned char *key)
{
    if (g->limits.per_address == 0)
        return false;
    for (size_t i = 0; i < g->nexempt; i++)
        if (memcmp(g->exempt[i], key, ADDR_KEY_LEN) == 0)
            return false;
    return true;
}

/* The keys of the comma-separated addresses of @list into g->exempt (bad ones are skipped:
 * main.c checked the list already). */
static void exempt_parse(struct pp_connguard *g, const char *list)
{
    for (const char *p = list; p != NULL && *p != '\0';) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        char text[INET6_ADDRSTRLEN];
        struct sockaddr_in in = {.sin_family = AF_INET};
        struct sockaddr_in6 in6 = {.sin6_family = AF_INET6};
        unsigned char key[ADDR_KEY_LEN];
        if (len < sizeof text) {
            memcpy(text, p, len);
            text[len] = '\0';
            bool ok = false;
            if (inet_pton(AF_INET, text, &in.sin_addr) == 1)
                ok = address_key((const struct sockaddr *)(const void *)&in, sizeof in, key);
            else if (inet_pton(AF_INET6, text, &in6.sin6_addr) == 1)
                ok = address_key((const struct sockaddr *)(const void *)&in6, sizeof in6, key);
            if (ok) {
                g->exempt = pp_xrealloc(g->exempt, (g->nexempt + 1) * sizeof *g->exempt);
                memcpy(g->exempt[g->nexempt++], key, ADDR_KEY_LEN);
            }
        }
        p = comma ? comma + 1 : NULL;
    }
}

static size_t bucket_of(const struct pp_connguard *g, const unsigned char *key)
{
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    for (size_t i = 0; i < ADDR_KEY_LEN; i++)
        h = (h ^ key[i]) * 1099511628211u;
    return (size_t)(h & (g->nbuckets - 1));
}

/* The entry of @key, or NULL. Under the mutex. */
static struct address *address_find(struct pp_connguard *g, const unsigned char *key)
{
    for (struct address *a = g->buckets[bucket_of(g, key)]; a != NULL; a = a->next)
        if (memcmp(a->key, key, ADDR_KEY_LEN) == 0)
            return a;
    return NULL;
}

/* The entry of @key, created with no connection when missing. Under the mutex. */
static struct address *address_get(struct pp_connguard *g, const unsigned char *key)
{
    struct address *a = address_find(g, key);
    if (a != NULL)
        return a;
    a = pp_xcalloc(1, sizeof *a);
    memcpy(a->key, key, ADDR_KEY_LEN);
    size_t b = bucket_of(g, key);
    a->next = g->buckets[b];
    g->buckets[b] = a;
    return a;
}

/* One connection of @a fewer; the entry goes with its last connection. Under the mutex. */
static void address_release(struct pp_connguard *g, struct address *a)
{
    if (--a->open > 0)
        return;
    struct address **p = &g->buckets[bucket_of(g, a->key)];
    while (*p != a)
        p = &(*p)->next;
    *p = a->next;
    free(a);
}

static uint64_t state_of(uint64_t deadline_ms, enum stage stage)
{
    return deadline_ms << 2 | (uint64_t)stage;
}

/* True when @fd holds bytes the server has not read yet. */
static bool unread_bytes(int fd)
{
    int n = 0;
    return ioctl(fd, FIONREAD, &n) == 0 && n > 0;
}

/* True when data arrived on @fd after @since (now_ms() clock), per the kernel. */
static bool received_since(int fd, uint64_t since, uint64_t now)
{
    struct tcp_info ti;
    socklen_t len = sizeof ti;
    if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) != 0 || now < ti.tcpi_last_data_recv)
        return false;
    return now - ti.tcpi_last_data_recv > since + RECV_MARGIN_MS;
}

/*
 * For a keep-alive connection at its deadline: the state it moves to when its client is still
 * within its limits (idle for less than the idle timeout, or the next request's headers due
 * later), else 0.
 */
static uint64_t keepalive_next(const struct pp_connguard *g, const struct guarded *c,
                               uint64_t now)
{
    uint64_t since = atomic_load_explicit(&c->since, memory_order_relaxed);
    if (received_since(c->fd, since, now)) {
        uint64_t due = since + g->limits.header_timeout_s * 1000u;
        return now < due ? state_of(due, STAGE_HEADERS) : 0;
    }
    uint64_t idle_end = since + g->limits.idle_timeout_s * 1000u;
    return now < idle_end ? state_of(idle_end, STAGE_KEEPALIVE) : 0;
}

/* Cuts every registered connection past its deadline. Under the mutex. */
static void reap(struct pp_connguard *g, uint64_t now)
{
    for (struct guarded *c = g->head; c != NULL; c = c->next) {
        uint64_t st = atomic_load_explicit(&c->state, memory_order_acquire);
        enum stage stage = (enum stage)(st & 3);
        if (c->cut || stage == STAGE_BUSY || now < st >> 2)
            continue;
        if (unread_bytes(c->fd))
            continue; /* the client did send: the server is behind */
        if (stage == STAGE_KEEPALIVE) {
            uint64_t next = keepalive_next(g, c, now);
            /* Unless the worker moved the connection on meanwhile (then it holds the state). */
            if (next != 0) {
                atomic_compare_exchange_strong(&c->state, &st, next);
                continue;
            }
        }
        /* The descriptor is still this connection's: see the comment at the top. */
        shutdown(c->fd, SHUT_RDWR);
        c->cut = true;
        atomic_fetch_add_explicit(&g->cut, 1, memory_order_relaxed);
    }
}

static void *reaper_main(void *arg)
{
    struct pp_connguard *g = arg;
    pthread_mutex_lock(&g->lock);
    while (!g->stop) {
        reap(g, now_ms());
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        uint64_t ns = (uint64_t)until.tv_nsec + (uint64_t)g->tick_ms * 1000000u;
        until.tv_sec += (time_t)(ns / 1000000000u);
        until.tv_nsec = (long)(ns % 1000000000u);
        pthread_cond_timedwait(&g->wake, &g->lock, &until);
    }
    pthread_mutex_unlock(&g->lock);
    return NULL;
}

struct pp_connguard *pp_connguard_new(const struct pp_connguard_limits *limits)
{
    struct pp_connguard *g = pp_xcalloc(1, sizeof *g);
    g->limits = *limits;
    g->nbuckets = 1024;
    g->buckets = pp_xcalloc(g->nbuckets, sizeof *g->buckets);
    exempt_parse(g, limits->exempt);
    unsigned shortest = limits->header_timeout_s;
    if (limits->body_timeout_s < shortest)
        shortest = limits->body_timeout_s;
    if (limits->idle_timeout_s < shortest)
        shortest = limits->idle_timeout_s;
    g->tick_ms = shortest * 1000u / 20u;
    if (g->tick_ms < REAPER_MIN_TICK_MS)
        g->tick_ms = REAPER_MIN_TICK_MS;
    if (g->tick_ms > REAPER_MAX_TICK_MS)
        g->tick_ms = REAPER_MAX_TICK_MS;
    pthread_mutex_init(&g->lock, NULL);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&g->wake, &attr);
    pthread_condattr_destroy(&attr);
    if (pthread_create(&g->reaper, NULL, reaper_main, g) != 0) {
        pthread_cond_destroy(&g->wake);
        pthread_mutex_destroy(&g->lock);
        free(g->buckets);
        free(g->exempt);
        free(g);
        return NULL;
    }
    return g;
}

void pp_connguard_free(struct pp_connguard *g)
{
    if (g == NULL)
        return;
    pthread_mutex_lock(&g->lock);
    g->stop = true;
    pthread_cond_signal(&g->wake);
    pthread_mutex_unlock(&g->lock);
    pthread_join(g->reaper, NULL);
    /* The daemon is stopped: every connection said CLOSED, the registry is empty. */
    for (size_t b = 0; b < g->nbuckets; b++)
        while (g->buckets[b] != NULL) {
            struct address *a = g->buckets[b];
            g->buckets[b] = a->next;
            free(a);
        }
    free(g->buckets);
    free(g->exempt);
    pthread_cond_destroy(&g->wake);
    pthread_mutex_destroy(&g->lock);
    free(g);
}

enum MHD_Result pp_connguard_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen)
{
    struct pp_connguard *g = cls;
    unsigned char key[ADDR_KEY_LEN];
    if (!address_key(addr, addrlen, key) || !address_limited(g, key))
        return MHD_YES;
    pthread_mutex_lock(&g->lock);
    struct address *a = address_find(g, key);
    bool full = a != NULL && a->open >= g->limits.per_address;
    pthread_mutex_unlock(&g->lock);
    if (full)
        atomic_fetch_add_explicit(&g->refused, 1, memory_order_relaxed);
    return full ? MHD_NO : MHD_YES;
}

/* The key connection @c counts under, as address_key; false when none. */
static bool connection_key(struct MHD_Connection *c, unsigned char key[ADDR_KEY_LEN])
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (ci == NULL || ci->client_addr == NULL)
        return false;
    socklen_t len = ci->client_addr->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                                           : sizeof(struct sockaddr_in);
    return address_key(ci->client_addr, len, key);
}

/* Registers connection @c; NULL when it cannot be watched (no descriptor). */
static struct guarded *connection_started(struct pp_connguard *g, struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *fd =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
    if (fd == NULL)
        return NULL;
    unsigned char key[ADDR_KEY_LEN];
    bool counted = connection_key(c, key);
    struct guarded *r = pp_xcalloc(1, sizeof *r);
    r->guard = g;
    r->fd = fd->connect_fd;
    atomic_store_explicit(&r->state,
                          state_of(now_ms() + g->limits.header_timeout_s * 1000u, STAGE_HEADERS),
                          memory_order_relaxed);
    pthread_mutex_lock(&g->lock);
    if (counted) {
        r->address = address_get(g, key);
        r->address->open++;
        /*
         * The accept check and this count are not one step: two workers may accept from one
         * address at the same moment. The rare connection past the limit is cut at once.
         */
        if (address_limited(g, key) && r->address->open > g->limits.per_address) {
            shutdown(r->fd, SHUT_RDWR);
            r->cut = true;
            atomic_fetch_add_explicit(&g->refused, 1, memory_order_relaxed);
        }
    }
    r->next = g->head;
    if (g->head != NULL)
        g->head->prev = r;
    g->head = r;
    g->open++;
    pthread_mutex_unlock(&g->lock);
    return r;
}

void pp_connguard_notify(void *cls, struct MHD_Connection *c, void **socket_context,
                         enum MHD_ConnectionNotificationCode code)
{
    struct pp_connguard *g = cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        *socket_context = connection_started(g, c);
        return;
    }
    struct guarded *r = *socket_context;
    if (r == NULL)
        return;
    /* Before the library closes the descriptor: from now on the reaper cannot reach it. */
    pthread_mutex_lock(&g->lock);
    if (r->prev != NULL)
        r->prev->next = r->next;
    else
        g->head = r->next;
    if (r->next != NULL)
        r->next->prev = r->prev;
    g->open--;
    if (r->address != NULL)
        address_release(g, r->address);
    pthread_mutex_unlock(&g->lock);
    free(r);
    *socket_context = NULL;
}

/* The registry entry of @c, or NULL. */
static struct guarded *guarded_of(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci != NULL ? ci->socket_context : NULL;
}

/* Moves @c to @stage, due @seconds from now. */
static void set_stage(struct MHD_Connection *c, enum stage stage, unsigned seconds)
{
    struct guarded *r = guarded_of(c);
    if (r == NULL)
        return;
    uint64_t now = now_ms();
    if (stage == STAGE_KEEPALIVE)
        atomic_store_explicit(&r->since, now, memory_order_relaxed);
    atomic_store_explicit(&r->state, state_of(now + seconds * 1000u, stage),
                          memory_order_release);
}

void pp_connguard_headers_done(struct MHD_Connection *c, bool has_body)
{
    struct guarded *r = guarded_of(c);
    if (r != NULL)
        set_stage(c, has_body ? STAGE_BODY : STAGE_BUSY, r->guard->limits.body_timeout_s);
}

void pp_connguard_request_read(struct MHD_Connection *c)
{
    set_stage(c, STAGE_BUSY, 0);
}

void pp_connguard_request_done(struct MHD_Connection *c)
{
    struct guarded *r = guarded_of(c);
    if (r == NULL)
        return;
    /* The first look comes at the earlier of the idle and header deadlines. */
    unsigned first = r->guard->limits.idle_timeout_s;
    if (r->guard->limits.header_timeout_s < first)
        first = r->guard->limits.header_timeout_s;
    set_stage(c, STAGE_KEEPALIVE, first);
}

void pp_connguard_stats(struct pp_connguard *g, struct pp_connguard_stats *out)
{
    out->refused = atomic_load(&g->refused);
    out->cut = atomic_load(&g->cut);
    pthread_mutex_lock(&g->lock);
    out->open = g->open;
    pthread_mutex_unlock(&g->lock);
}
