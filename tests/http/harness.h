#ifndef PP_TESTS_HTTP_HARNESS_H
#define PP_TESTS_HTTP_HARNESS_H

/*
 * HTTP test harness: runs the real `$PASSPRO_BIN serve --test-clock` on a free port with a
 * fresh database (SQLite in a temporary folder, or PostgreSQL when PASSPRO_TEST_PG is set), and
 * drives it with libcurl clients, each with its own in-memory cookie jar.
 *
 * Memory: every response, client and formatted string the harness hands out is owned by the
 * harness and freed when the server stops (harness_group_teardown); tests never free them.
 *
 * One server per test program: harness_group_setup starts it, harness_group_teardown stops it
 * with SIGTERM and fails when it does not exit 0 (graceful shutdown).
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <jansson.h>
#include <stdbool.h>
#include <sys/types.h>

/** A password that satisfies RULES.md §1 (12+ characters, upper, lower, digit, symbol). */
#define TEST_PASSWORD "Motdepasse!123"

struct server {
    pid_t pid;        /**< 0 when not running */
    int port;
    int out_fd;       /**< read end of the server's stdout */
    char dir[256];    /**< the temporary folder (database, mails, server log) */
    char db_url[512]; /**< "sqlite:<dir>/t.db", or a database of its own on PostgreSQL */
    char pg_name[32]; /**< the PostgreSQL database this server created, "" otherwise */
    char base_url[64];
};

/** The server of this test program (started by harness_group_setup). */
extern struct server g_server;

/** Starts g_server; cmocka group setup. */
int harness_group_setup(void **state);
/** Stops g_server, checks it exited 0 and removes its folder; cmocka group teardown. */
int harness_group_teardown(void **state);

/**
 * Extra `serve` options, a NULL-terminated list (e.g. {"--trusted-proxy", "127.0.0.1", NULL}),
 * given to every server started from then on (g_server too when set before
 * harness_group_setup); NULL, the default, for none.
 */
extern const char *const *harness_serve_options;

/** Starts the server; 0 on success, -1 with a message on stderr otherwise. */
int server_start(struct server *s);
/** Same, choosing whether --test-clock is given. */
int server_start_with(struct server *s, bool test_clock);
/**
 * Same, on the database of @db_from (another running server: several servers on one database)
 * or, when NULL, on a new one.
 */
int server_start_on(struct server *s, bool test_clock, const struct server *db_from);
/**
 * Sends SIGTERM, waits (10 s at most, then SIGKILL) and returns the exit status: 0 for a
 * graceful shutdown, the exit code otherwise, -1 when killed by a signal. Idempotent.
 */
int server_stop(struct server *s);
/** Copies the server's stderr (its log file) to stderr. */
void server_print_log(const struct server *s);
/** Removes the server's temporary folder and its PostgreSQL database (after server_stop). */
void server_cleanup(struct server *s);
/**
 * Sets s->db_url to a new, empty database: "sqlite:<dir>/t.db", or, when PASSPRO_TEST_PG
 * holds the query part of a PostgreSQL URL ("host=/dir&port=N&user=postgres"), a database
 * created for @s on that cluster (dropped by server_cleanup). 0 on success.
 */
int server_new_db(struct server *s);
/** True when the suites run on PostgreSQL (PASSPRO_TEST_PG set). */
bool harness_on_pg(void);
/** Runs `passpro admin create --email E --password P --db ...`; returns its exit status. */
int server_admin_create(const struct server *s, const char *email, const char *password);

/* ---------------------------------------------------------------- responses and clients */

struct resp {
    long status;          /**< HTTP status, 0 when the request failed at the transport level */
    const char *method;
    const char *path;
    char *body;           /**< NUL-terminated */
    size_t body_len;
    json_t *json;         /**< parsed body, NULL when the body is not JSON */
    char **headers;       /**< "Name: value" lines of the final response */
    size_t nheaders;
};

struct client {
    void *curl;           /**< CURL * */
    char base_url[64];    /**< the server it talks to */
    int64_t id;           /**< account id once logged in through the helpers, else 0 */
    char email[160];
    char password[64];
};

/** A new anonymous client of g_server with an empty cookie jar. */
struct client *client_new(void);
/** Same for another server. */
struct client *client_new_for(const struct server *s);

/**
 * @method @path with an optional JSON body (sent with Content-Type: application/json);
 * @json_body NULL sends no body and no Content-Type.
 */
struct resp http_request(struct client *c, const char *method, const char *path,
                         const char *json_body);
/** Same with a jansson value as the body; steals the reference. */
struct resp http_json(struct client *c, const char *method, const char *path, json_t *body);
/**
 * Full control: @content_type NULL sends no Content-Type header; @extra_headers is a
 * NULL-terminated list of "Name: value" lines (or NULL).
 */
struct resp http_raw(struct client *c, const char *method, const char *path,
                     const char *content_type, const char *body, size_t body_len,
                     const char *const *extra_headers);
/** HTML form post (application/x-www-form-urlencoded) of @urlencoded. */
struct resp http_form(struct client *c, const char *path, const char *urlencoded);

/** One request of http_parallel: filled in by the caller, @r by http_parallel. */
struct call {
    struct client *c; /**< one client per call: a client is not shared between threads */
    const char *method;
    const char *path;
    const char *json_body;
    struct resp r;
};

/** Sends the @n calls at the same time (one thread each) and waits for every answer. */
void http_parallel(struct call *calls, size_t n);

/** First value of response header @name (case-insensitive), or NULL. */
const char *resp_header(const struct resp *r, const char *name);
/** The Set-Cookie value that sets cookie @cookie ("pp_session=...; Path=/; ..."), or NULL. */
const char *resp_set_cookie(const struct resp *r, const char *cookie);
/**
 * A new client with a copy of @c's cookie jar (the same session, no new login) and account
 * fields, on a connection of its own: simultaneous requests of clones really run in parallel.
 */
struct client *client_clone(struct client *c);
/** A copy of @c (cookies included: the same session) that talks to server @s instead. */
struct client *client_on(struct client *c, const struct server *s);
/** The value of cookie @cookie in @c's jar, or NULL. */
const char *client_cookie(struct client *c, const char *cookie);

/* ---------------------------------------------------------------- JSON and strings */

/** printf into a string owned by the harness. */
const char *strf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/** Value at dotted @path ("offerer.id") in @j, or NULL. */
json_t *jget(const json_t *j, const char *path);
/** String at @path, or NULL when absent or not a string. */
const char *jstr(const json_t *j, const char *path);
/** Integer at @path, or 0 when absent or not an integer. */
int64_t jint(const json_t *j, const char *path);
/** Element of the array at @path whose @key equals integer @id, or NULL. */
json_t *jfind_id(const json_t *j, const char *path, const char *key, int64_t id);

/* ---------------------------------------------------------------- accounts */

/** A fresh, unique email address "<prefix>-<n>@example.com". */
const char *unique_email(const char *prefix);
/** Signs up a pro with a unique email and TEST_PASSWORD (asserts 201). */
struct client *pro_signup(const char *prefix);
/** Logs @c in (asserts 200); remembers the account id, email and password. */
void client_login(struct client *c, const char *email, const char *password);
/** pro_signup + client_login. */
struct client *pro_new(const char *prefix);
/**
 * @pro registers a structure with @siret named @name at @postal_code @city, and @admin
 * validates it (asserts 201 and 200). Returns its venue; *@offerer (when not NULL) receives the
 * structure.
 */
int64_t structure_validated(struct client *pro, struct client *admin, const char *siret,
                            const char *name, const char *postal_code, const char *city,
                            int64_t *offerer);

/** Creates an admin account through the command line and logs it in. */
struct client *admin_new(const char *prefix);

/**
 * Creates a beneficiary through POST /api/v1/admin/beneficiaries as @admin (asserts 201), with a
 * unique email, TEST_PASSWORD, @birth_date ("YYYY-MM-DD"), postal code 75011, and logs it in on
 * a new client.
 */
struct client *beneficiary_new(struct client *admin, const char *prefix, const char *birth_date,
                               bool social_bonus);
/**
 * The same for @n beneficiaries at once: creations, then logins, are sent 8 at a time
 * (Argon2id makes each ~70 ms; the server hashes them in parallel). Fills @out.
 */
void beneficiaries_new(struct client *admin, const char *prefix, const char *birth_date, size_t n,
                       struct client **out);

/* ---------------------------------------------------------------- SIREN / SIRET */

/** True when the digits of @s pass the Luhn checksum. */
bool luhn_ok(const char *s);
/** A new SIREN, Luhn-valid, never handed out before in this process. */
const char *new_siren(void);
/** SIRET of @nine (any 9 digits) with NIC @nic (0..9999): the Luhn check digit added. */
const char *siret_of(const char *nine, int nic);
/** siret_of(new_siren(), 1). */
const char *new_siret(void);
/**
 * A La Poste SIRET (356000000 + 5 digits) that fails Luhn; @sum_ok chooses whether the sum of
 * its digits is a multiple of 5 (valid by the exception) or not. @nth picks different ones.
 */
const char *la_poste_siret(bool sum_ok, int nth);

/* ---------------------------------------------------------------- assertions */

/** Fails (printing the request and the body) unless @r has status @expected. */
#define assert_status(r, expected) assert_status_at((r), (expected), __FILE__, __LINE__)
/**
 * Fails unless @r has status @expected and a SPEC §2 error body
 * {"errors": {field: ["message", ...], ...}} with a non-empty message list for @field.
 */
#define assert_error(r, expected, field)                                                   \
    assert_error_at((r), (expected), (field), __FILE__, __LINE__)

/** Fails unless the string at dotted @path of @j equals @expected (NULL-safe). */
#define assert_jstr(j, path, expected) assert_jstr_at((j), (path), (expected), __FILE__, __LINE__)

void assert_jstr_at(const json_t *j, const char *path, const char *expected, const char *file,
                    int line);
void assert_status_at(struct resp r, long expected, const char *file, int line);
void assert_error_at(struct resp r, long expected, const char *field, const char *file,
                     int line);
/** True when @r has the SPEC §2 error shape with a non-empty list for @field. */
bool error_body_ok(const struct resp *r, const char *field);

/** Sets the server's test clock (asserts 200). */
void set_clock(const char *iso);

#endif
