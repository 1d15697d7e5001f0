#ifndef PP_HTTP_APP_H
#define PP_HTTP_APP_H

#include <stdbool.h>
#include <stddef.h>

struct pp_req;

/* Default request limits (passpro serve --max-body, --max-header, --max-json-depth,
 * --max-json-string, --metrics-allow). */
#define PP_MAX_BODY_DEFAULT (1024 * 1024)
#define PP_MAX_HEADER_DEFAULT (16 * 1024)
#define PP_MAX_JSON_DEPTH_DEFAULT 32
#define PP_MAX_JSON_STRING_DEFAULT (64 * 1024)
#define PP_METRICS_ALLOW_DEFAULT "127.0.0.1,::1"

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
    bool secure_cookies;           /**< base URL is https: cookies get Secure, answers HSTS */
    bool test_endpoints;           /**< --test-clock: SPEC §9 endpoints answer */
    size_t max_body;               /**< request bodies above this answer 413 */
    /* Request limits and /metrics access (docs/security.md, "Limits"); 0 or NULL: defaults. */
    size_t max_header;             /**< request line + headers per connection, else 431 */
    size_t max_json_depth;         /**< nesting of arrays and objects in a JSON body */
    size_t max_json_string;        /**< bytes of one string of a JSON body, as written */
    const char *metrics_allow;     /**< addresses that may read /metrics, comma-separated */
    const char *metrics_token;     /**< Bearer token that opens /metrics from anywhere */
    /*
     * Connection limits and deadlines (http/connguard.h, docs/security.md "Connections"); main.c
     * fills them from `serve` options, PP_SERVER_DEFAULT_* otherwise.
     */
    unsigned max_connections;             /**< open connections in all */
    unsigned max_connections_per_address; /**< per client address; 0: no limit */
    unsigned header_timeout_s;            /**< request line and headers, in seconds */
    unsigned body_timeout_s;              /**< request body, from the end of the headers */
    unsigned idle_timeout_s;              /**< keep-alive: longest wait for the next request */
    /** --trusted-proxy: comma-separated addresses of reverse proxies whose X-Forwarded-For
     *  is believed (pp_req_client_addr); NULL for none. */
    const char *trusted_proxies;
    /** Renders an HTML error page (set by web/); the router uses it for page routes. */
    void (*page_error)(struct pp_req *req, int status, const char *message);
};

#endif
