#ifndef PP_HTTP_SERVER_H
#define PP_HTTP_SERVER_H

#include <stdint.h>

#include "http/app.h"

/**
 * The HTTP/1.1 server on libmicrohttpd: an epoll thread pool, keep-alive, limits on body size,
 * connection count and idle time, security headers on every answer, static files from
 * app->static_dir under /static/, and the router for everything else.
 */
struct pp_server;

/* Defaults of the connection limits (struct pp_app, `serve` options; docs/security.md). */
#define PP_SERVER_DEFAULT_MAX_CONNECTIONS 1024
#define PP_SERVER_DEFAULT_MAX_PER_ADDRESS 64
#define PP_SERVER_DEFAULT_HEADER_TIMEOUT_S 10
#define PP_SERVER_DEFAULT_BODY_TIMEOUT_S 30
#define PP_SERVER_DEFAULT_IDLE_TIMEOUT_S 5

/**
 * Starts listening on @listen ("127.0.0.1:8080"; port 0 picks a free one) with @workers
 * threads, with the connection limits of @app (a zero total or timeout takes its default).
 * NULL on failure with the reason in @msg.
 */
struct pp_server *pp_server_start(struct pp_app *app, const char *listen, int workers,
                                  char *msg, size_t cap);

/** The port actually bound. */
uint16_t pp_server_port(struct pp_server *s);

/**
 * Stops accepting, lets requests in flight finish, frees @s. Prints on stderr how many
 * connections were refused (address at its limit) or cut at a deadline, when any were.
 */
void pp_server_stop(struct pp_server *s);

#endif
