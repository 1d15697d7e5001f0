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

/**
 * Starts listening on @listen ("127.0.0.1:8080"; port 0 picks a free one) with @workers
 * threads. NULL on failure with the reason in @msg.
 */
struct pp_server *pp_server_start(struct pp_app *app, const char *listen, int workers,
                                  char *msg, size_t cap);

/** The port actually bound. */
uint16_t pp_server_port(struct pp_server *s);

/** Stops accepting, lets requests in flight finish, frees @s. */
void pp_server_stop(struct pp_server *s);

#endif
