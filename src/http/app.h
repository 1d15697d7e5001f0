#ifndef PP_HTTP_APP_H
#define PP_HTTP_APP_H

#include <stdbool.h>
#include <stddef.h>

struct pp_req;

/**
 * What every request handler may reach: the database pool, the templates, the configuration.
 * Built once by `serve`/`demo` in main.c and read-only afterwards.
 */
struct pp_app {
    struct pp_db_pool *pool;
    struct pp_template_set *templates;
    struct pp_metrics *metrics;
    const struct pp_route *routes; /**< terminated by a route with a NULL method */
    const char *static_dir;        /**< folder of static files (DSFR), beside the binary */
    const char *base_url;          /**< "http://127.0.0.1:8080" */
    bool secure_cookies;           /**< base URL is https: cookies get Secure */
    bool test_endpoints;           /**< --test-clock: SPEC §9 endpoints answer */
    size_t max_body;               /**< request bodies above this answer 413 */
    /** --trusted-proxy: comma-separated addresses of reverse proxies whose X-Forwarded-For
     *  is believed (pp_req_client_addr); NULL for none. */
    const char *trusted_proxies;
    /** Renders an HTML error page (set by web/); the router uses it for page routes. */
    void (*page_error)(struct pp_req *req, int status, const char *message);
};

#endif
