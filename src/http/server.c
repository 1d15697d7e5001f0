#include "http/server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/arena.h"
#include "db/db.h"
#include "http/connguard.h"
#include "http/metrics.h"
#include "http/request.h"
#include "http/router.h"

/* Descriptors the process needs beside its connections: listening socket, database, logs... */
#define FD_RESERVE 64
/*
 * libmicrohttpd's own timeout, an idle one: what remains of it is the client that stops reading
 * its answer. The connection guard does the rest (deadlines). It stays long because the library
 * also applies it to a connection whose request waits, unread, behind a long request of the same
 * worker thread; never shorter than the guard's timeouts, which it would otherwise pre-empt.
 */
#define STALL_TIMEOUT_S 30

struct pp_server {
    struct MHD_Daemon *daemon;
    struct pp_app *app;
    struct pp_connguard *guard;
};

/* Per-connection state of one request, from its first byte to its completion. */
struct ctx {
    struct pp_req req;
    uint64_t start_us;
    char *body;
    size_t len, cap;
    int too_big;  /* the body outgrew max_body while it was read (chunked): 413 at the end */
    int answered; /* refused from its headers alone: the answer is already queued */
};

static uint64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static void add_security_headers(struct MHD_Response *r, bool html)
{
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Referrer-Policy", "same-origin");
    if (html)
        MHD_add_response_header(
            r, "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self';"
            " font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self';"
            " frame-ancestors 'none'");
    else
        MHD_add_response_header(r, "Content-Security-Policy",
                                "default-src 'none'; frame-ancestors 'none'");
}

/* An https base URL: browsers are told to come back over https only, for a year. */
static void add_hsts(struct MHD_Response *r, const struct pp_app *app)
{
    if (app->secure_cookies)
        MHD_add_response_header(r, "Strict-Transport-Security",
                                "max-age=31536000; includeSubDomains");
}

static const char *mime_type(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (dot == NULL)
        return "application/octet-stream";
    static const struct {
        const char *ext, *type;
    } types[] = {
        {".css", "text/css; charset=utf-8"},      {".js", "text/javascript; charset=utf-8"},
        {".svg", "image/svg+xml"},                {".png", "image/png"},
        {".ico", "image/x-icon"},                 {".woff2", "font/woff2"},
        {".woff", "font/woff"},                   {".json", "application/json"},
        {".webmanifest", "application/manifest+json"},
    };
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (strcmp(dot, types[i].ext) == 0)
            return types[i].type;
    return "application/octet-stream";
}

/* /static/<path>: only plain names below the folder, never "..", never hidden files. */
static bool serve_static(struct pp_req *req)
{
    const char *rel = req->path + strlen("/static/");
    if (*rel == '\0' || strstr(rel, "..") != NULL || strstr(rel, "/.") != NULL || *rel == '.')
        return false;
    for (const char *p = rel; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '/' || *p == '.' || *p == '-' || *p == '_'))
            return false;
    char *file = pp_arena_printf(req->arena, "%s/%s", req->app->static_dir, rel);
    int fd = open(file, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        close(fd);
        return false;
    }
    req->status = 200;
    req->content_type = mime_type(rel);
    req->resp_fd = fd;
    req->resp_fd_size = (uint64_t)sb.st_size;
    pp_res_header(req, "Cache-Control", "public, max-age=86400");
    return true;
}

/*
 * How the body's length is told (RFC 9112 §6): at most one Content-Length value, plain
 * decimal digits, and never beside Transfer-Encoding. libmicrohttpd reads the first
 * Content-Length only; a proxy in front might read another, or the chunks: two parties
 * cutting the same bytes into different requests is request smuggling, so such a request is
 * refused before its body is read.
 */
struct framing {
    const char *length; /* the first Content-Length value */
    bool conflict;      /* a second, different value, or a malformed one */
    bool chunked;       /* a Transfer-Encoding header */
};

static enum MHD_Result scan_framing(void *cls, enum MHD_ValueKind kind, const char *key,
                                    const char *value)
{
    (void)kind;
    struct framing *f = cls;
    if (strcasecmp(key, "Transfer-Encoding") == 0) {
        f->chunked = true;
    } else if (strcasecmp(key, "Content-Length") == 0) {
        const char *v = value ? value : "";
        if (*v == '\0' || strspn(v, "0123456789") != strlen(v) ||
            (f->length != NULL && strcmp(f->length, v) != 0))
            f->conflict = true;
        if (f->length == NULL)
            f->length = v;
    }
    return MHD_YES;
}

/* Whether the body's framing is sound; *length receives the Content-Length (0 without). */
static bool framing_ok(struct MHD_Connection *c, uint64_t *length)
{
    struct framing f = {0};
    MHD_get_connection_values(c, MHD_HEADER_KIND, scan_framing, &f);
    /* Digits only by now: an overflow saturates, which the size limit then refuses. */
    *length = f.length != NULL ? strtoull(f.length, NULL, 10) : 0;
    return !f.conflict && !(f.chunked && f.length != NULL);
}

static enum MHD_Result send_response(struct MHD_Connection *c, struct pp_req *req)
{
    struct MHD_Response *r;
    if (req->resp_fd >= 0) {
        r = MHD_create_response_from_fd64(req->resp_fd_size, req->resp_fd);
        req->resp_fd = -1; /* the response owns it now */
    } else {
        r = MHD_create_response_from_buffer(req->resp_len, (void *)req->resp_body,
                                            MHD_RESPMEM_MUST_COPY);
    }
    if (r == NULL)
        return MHD_NO;
    if (req->content_type != NULL)
        MHD_add_response_header(r, "Content-Type", req->content_type);
    add_security_headers(r, req->content_type && strncmp(req->content_type, "text/html", 9) == 0);
    bool has_cache_control = false;
    for (struct pp_header *h = req->resp_headers; h != NULL; h = h->next) {
        MHD_add_response_header(r, h->name, h->value);
        if (strcasecmp(h->name, "Cache-Control") == 0)
            has_cache_control = true;
    }
    if (!has_cache_control)
        MHD_add_response_header(r, "Cache-Control", "no-store");
    add_hsts(r, req->app);
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)req->status, r);
    MHD_destroy_response(r);
    return ret;
}

/*
 * The database went away during this request: the client is told to come back in a moment
 * (503), not that the server broke (500). The pool reconnects the connection on release.
 */
static void answer_unavailable(struct pp_req *req)
{
    static const char message[] =
        "Le service est momentanément indisponible. Réessayez dans un instant.";
    bool page = req->route != NULL && (req->route->flags & (PP_ROUTE_PAGE | PP_ROUTE_FORM));
    req->resp_headers = NULL;
    if (page && req->app->page_error != NULL)
        req->app->page_error(req, 503, message);
    else
        pp_res_error1(req, PP_EDB, "global", message);
    req->status = 503;
    pp_res_header(req, "Retry-After", "5");
}

static void finish(struct ctx *x)
{
    if (x->req.db != NULL) {
        pp_db_pool_release(x->req.app->pool, x->req.db);
        x->req.db = NULL;
    }
}

/*
 * Answers from the headers alone, before the body is read (so without a 100 Continue): the
 * client learns at once, and libmicrohttpd closes the connection after the answer.
 */
static enum MHD_Result refuse_early(struct ctx *x, struct MHD_Connection *c, const char *method,
                                    const char *url, enum pp_err code, const char *message)
{
    x->answered = 1;
    x->req.method = method;
    x->req.path = url;
    pp_res_error1(&x->req, code, "global", message);
    enum MHD_Result ret = send_response(c, &x->req);
    pp_metrics_observe(x->req.app->metrics, 0, x->req.status, now_us() - x->start_us);
    return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    (void)version;
    struct pp_app *app = cls;
    struct ctx *x = *con_cls;
    if (x == NULL) {
        x = pp_xcalloc(1, sizeof *x);
        x->start_us = now_us();
        x->req.arena = pp_arena_new();
        x->req.app = app;
        x->req.conn = c;
        x->req.resp_fd = -1;
        *con_cls = x;
        uint64_t length;
        if (!framing_ok(c, &length))
            return refuse_early(x, c, method, url, PP_EINVAL,
                                "La longueur du corps de la requête est ambiguë ou mal écrite.");
        if (length > app->max_body)
            return refuse_early(x, c, method, url, PP_ETOOBIG, "La requête est trop volumineuse.");
        return MHD_YES;
    }
    if (x->answered) {
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (*upload_data_size > 0) {
        if (!x->too_big) {
            if (x->len + *upload_data_size > app->max_body) {
                x->too_big = 1;
            } else {
                if (x->len + *upload_data_size + 1 > x->cap) {
                    x->cap = (x->len + *upload_data_size + 1) * 2;
                    if (x->cap > app->max_body + 1)
                        x->cap = app->max_body + 1;
                    x->body = pp_xrealloc(x->body, x->cap);
                }
                memcpy(x->body + x->len, upload_data, *upload_data_size);
                x->len += *upload_data_size;
            }
        }
        *upload_data_size = 0;
        return MHD_YES;
    }

    struct pp_req *req = &x->req;
    req->method = method;
    req->path = url;
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    char addr[INET6_ADDRSTRLEN] = "?";
    if (ci != NULL && ci->client_addr != NULL) {
        if (ci->client_addr->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)ci->client_addr)->sin_addr,
                      addr, sizeof addr);
        else if (ci->client_addr->sa_family == AF_INET6)
            inet_ntop(AF_INET6,
                      &((const struct sockaddr_in6 *)(const void *)ci->client_addr)->sin6_addr,
                      addr, sizeof addr);
    }
    req->remote_addr = pp_arena_strdup(req->arena, addr);

    if (x->too_big) {
        pp_res_error1(req, PP_ETOOBIG, "global", "La requête est trop volumineuse.");
    } else {
        req->body = x->body ? (x->body[x->len] = '\0', x->body) : "";
        req->body_len = x->len;
        if (strncmp(url, "/static/", 8) == 0 && strcmp(method, "GET") == 0) {
            if (!serve_static(req))
                pp_res_error1(req, PP_ENOTFOUND, "global", "Fichier introuvable.");
        } else {
            pp_router_dispatch(req);
        }
    }
    if (req->status == 500 && req->db != NULL && pp_db_is_lost(req->db))
        answer_unavailable(req);
    finish(x);
    enum MHD_Result ret = send_response(c, req);
    int slot = pp_router_index(app, req->route) + 1;
    pp_metrics_observe(app->metrics, (size_t)slot, req->status, now_us() - x->start_us);
    return ret;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls, (void)c, (void)toe;
    struct ctx *x = *con_cls;
    if (x == NULL)
        return;
    finish(x);
    if (x->req.resp_fd >= 0)
        close(x->req.resp_fd);
    json_decref(x->req.owned_json);
    pp_arena_free(x->req.arena);
    free(x->body);
    free(x);
    *con_cls = NULL;
}

/*
 * The access handler as the daemon sees it: tells the connection guard where the request
 * stands (headers complete, whole request read), then runs on_request. The first call of a
 * request is the one where on_request has not set *con_cls yet.
 */
static enum MHD_Result on_request_guarded(void *cls, struct MHD_Connection *c, const char *url,
                                          const char *method, const char *version,
                                          const char *upload_data, size_t *upload_data_size,
                                          void **con_cls)
{
    if (*con_cls == NULL) {
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
        bool has_body = (cl != NULL && strtoull(cl, NULL, 10) > 0) ||
                        MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Transfer-Encoding");
        pp_connguard_headers_done(c, has_body);
    } else if (*upload_data_size == 0) {
        pp_connguard_request_read(c);
    }
    return on_request(cls, c, url, method, version, upload_data, upload_data_size, con_cls);
}

/* NOTIFY_COMPLETED as the daemon sees it: on_completed, then the keep-alive header deadline. */
static void on_completed_guarded(void *cls, struct MHD_Connection *c, void **con_cls,
                                 enum MHD_RequestTerminationCode toe)
{
    on_completed(cls, c, con_cls, toe);
    pp_connguard_request_done(c);
}

/* The connection limits of @app with the defaults in place of zeros. */
static void connection_limits(struct pp_app *app)
{
    if (app->max_connections == 0)
        app->max_connections = PP_SERVER_DEFAULT_MAX_CONNECTIONS;
    if (app->header_timeout_s == 0)
        app->header_timeout_s = PP_SERVER_DEFAULT_HEADER_TIMEOUT_S;
    if (app->body_timeout_s == 0)
        app->body_timeout_s = PP_SERVER_DEFAULT_BODY_TIMEOUT_S;
    if (app->idle_timeout_s == 0)
        app->idle_timeout_s = PP_SERVER_DEFAULT_IDLE_TIMEOUT_S;
}

/*
 * Every connection is a descriptor: raises the soft RLIMIT_NOFILE to what @max_connections
 * needs when the hard limit allows it. False (reason in @msg) when it cannot.
 */
static bool descriptors_for(unsigned max_connections, char *msg, size_t cap)
{
    struct rlimit rl;
    rlim_t need = (rlim_t)max_connections + FD_RESERVE;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= need)
        return true;
    if (rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= need) {
        rl.rlim_cur = need;
        if (setrlimit(RLIMIT_NOFILE, &rl) == 0)
            return true;
    }
    snprintf(msg, cap,
             "--max-connections %u demande %lu descripteurs de fichiers, la limite du système "
             "est %lu (ulimit -n)",
             max_connections, (unsigned long)need,
             (unsigned long)(rl.rlim_max == RLIM_INFINITY ? rl.rlim_cur : rl.rlim_max));
    return false;
}

/* The daemon on @sin with @workers threads, guarded by @s->guard; NULL on failure. */
static struct MHD_Daemon *start_daemon(struct pp_server *s, struct sockaddr_in *sin, int workers)
{
    struct pp_app *app = s->app;
    unsigned stall = STALL_TIMEOUT_S;
    const unsigned guard_timeouts[] = {app->header_timeout_s, app->body_timeout_s,
                                       app->idle_timeout_s};
    for (size_t i = 0; i < sizeof guard_timeouts / sizeof guard_timeouts[0]; i++)
        if (guard_timeouts[i] + 1 > stall)
            stall = guard_timeouts[i] + 1;
    /* Each connection's buffer for the request line, headers and body pieces (--max-header).
     * libmicrohttpd clears it between keep-alive requests: at 64 KB that memset was a tenth of
     * a booking's CPU (callgrind, docs/performance.md); the 16 KB default still holds headers
     * far past what browsers send (8 KB). Headers that do not fit answer 431. */
    size_t header_memory = app->max_header ? app->max_header : (size_t)PP_MAX_HEADER_DEFAULT;
    return MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG, 0,
        pp_connguard_accept, s->guard, on_request_guarded, app, MHD_OPTION_SOCK_ADDR,
        (struct sockaddr *)sin, MHD_OPTION_THREAD_POOL_SIZE, (unsigned)workers,
        MHD_OPTION_CONNECTION_TIMEOUT, stall, MHD_OPTION_CONNECTION_LIMIT,
        app->max_connections, MHD_OPTION_CONNECTION_MEMORY_LIMIT, header_memory,
        MHD_OPTION_NOTIFY_CONNECTION, pp_connguard_notify, s->guard,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed_guarded, NULL, MHD_OPTION_END);
}

struct pp_server *pp_server_start(struct pp_app *app, const char *listen, int workers,
                                  char *msg, size_t cap)
{
    struct sockaddr_in sin;
    memset(&sin, 0, sizeof sin);
    sin.sin_family = AF_INET;
    const char *colon = strrchr(listen, ':');
    char host[64];
    char *end;
    long port = colon ? strtol(colon + 1, &end, 10) : -1;
    if (colon == NULL || (size_t)(colon - listen) >= sizeof host || *end != '\0' || port < 0 ||
        port > 65535) {
        snprintf(msg, cap, "adresse d'écoute invalide : %s (attendu HÔTE:PORT)", listen);
        return NULL;
    }
    memcpy(host, listen, (size_t)(colon - listen));
    host[colon - listen] = '\0';
    if (strcmp(host, "localhost") == 0)
        snprintf(host, sizeof host, "127.0.0.1");
    if (inet_pton(AF_INET, host, &sin.sin_addr) != 1) {
        snprintf(msg, cap, "adresse d'écoute invalide : %s", host);
        return NULL;
    }
    sin.sin_port = htons((uint16_t)port);

    connection_limits(app);
    if (!descriptors_for(app->max_connections, msg, cap))
        return NULL;
    struct pp_connguard_limits limits = {
        .per_address = app->max_connections_per_address,
        .header_timeout_s = app->header_timeout_s,
        .body_timeout_s = app->body_timeout_s,
        .idle_timeout_s = app->idle_timeout_s,
        .exempt = app->trusted_proxies,
    };
    struct pp_server *s = pp_xcalloc(1, sizeof *s);
    s->app = app;
    s->guard = pp_connguard_new(&limits);
    s->daemon = s->guard ? start_daemon(s, &sin, workers) : NULL;
    if (s->daemon == NULL) {
        snprintf(msg, cap, "impossible d'écouter sur %s (port déjà pris ?)", listen);
        pp_connguard_free(s->guard);
        free(s);
        return NULL;
    }
    return s;
}

uint16_t pp_server_port(struct pp_server *s)
{
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    return info ? info->port : 0;
}

void pp_server_stop(struct pp_server *s)
{
    if (s == NULL)
        return;
    MHD_stop_daemon(s->daemon);
    struct pp_connguard_stats st;
    pp_connguard_stats(s->guard, &st);
    if (st.refused > 0 || st.cut > 0)
        fprintf(stderr,
                "passpro: connexions refusées (trop depuis une même adresse) : %llu, coupées "
                "à leur délai : %llu\n",
                (unsigned long long)st.refused, (unsigned long long)st.cut);
    pp_connguard_free(s->guard);
    free(s);
}
