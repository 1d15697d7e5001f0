#ifndef PP_HTTP_CONNGUARD_H
#define PP_HTTP_CONNGUARD_H

#include <microhttpd.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

/**
 * Connection guard of the HTTP server (docs/security.md, "Connections"): a per-address
 * connection limit, and deadlines that a slow client cannot stretch: the request line and
 * headers within a header timeout of the connection's start (or of the end of the previous
 * answer on a keep-alive connection), the body within a body timeout of the end of the headers,
 * and no keep-alive connection silent for longer than the idle timeout.
 *
 * libmicrohttpd only knows an idle timeout (reset by every byte received), and calls no
 * callback while headers arrive. So the guard keeps a registry of the open connections with
 * their current deadline, and a reaper thread shuts down (shutdown(2), SHUT_RDWR) the socket of
 * each connection past its deadline; the connection's own worker thread then sees end of file
 * and closes it through the library as if the client had left. See connguard.c for why this is
 * safe against a file descriptor reused by a later connection.
 */
struct pp_connguard;

/** The limits the guard enforces; every timeout in seconds, at least 1. */
struct pp_connguard_limits {
    unsigned per_address;      /**< open connections per client address; 0: no limit */
    unsigned header_timeout_s; /**< request line and headers */
    unsigned body_timeout_s;   /**< request body, from the end of the headers */
    unsigned idle_timeout_s;   /**< keep-alive: silence after an answer */
    /** Addresses that the per-address limit spares, comma-separated (the trusted reverse
     *  proxies: every client of theirs arrives from their one address); NULL for none. */
    const char *exempt;
};

/**
 * Starts the reaper thread; NULL when it cannot be started. Owned by the caller:
 * pp_connguard_free after the daemon stops.
 */
struct pp_connguard *pp_connguard_new(const struct pp_connguard_limits *limits);

/** Stops the reaper and frees @g; call after MHD_stop_daemon (no connection left). */
void pp_connguard_free(struct pp_connguard *g);

/** MHD_AcceptPolicyCallback (cls: the guard): refuses an address already at its limit. */
enum MHD_Result pp_connguard_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen);

/**
 * MHD_NotifyConnectionCallback (cls: the guard): registers a connection when it starts (header
 * deadline from now) and forgets it when it closes.
 */
void pp_connguard_notify(void *cls, struct MHD_Connection *c, void **socket_context,
                         enum MHD_ConnectionNotificationCode code);

/**
 * The request's headers are complete: the body deadline starts when @has_body, else the
 * connection has no deadline while the request is handled.
 */
void pp_connguard_headers_done(struct MHD_Connection *c, bool has_body);

/** The whole request is in: no deadline while it is handled and answered. */
void pp_connguard_request_read(struct MHD_Connection *c);

/**
 * The answer is sent: the keep-alive wait starts now (idle timeout), and the next request's
 * header deadline with it.
 */
void pp_connguard_request_done(struct MHD_Connection *c);

/** Counters since start, for measurements and tests. */
struct pp_connguard_stats {
    uint64_t refused;  /**< connections refused at accept (address at its limit) */
    uint64_t cut;      /**< connections shut down at their deadline */
    unsigned open;     /**< connections open now */
};

/** A snapshot of the counters. */
void pp_connguard_stats(struct pp_connguard *g, struct pp_connguard_stats *out);

#endif
