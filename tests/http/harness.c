#include "http/harness.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "db/db.h"
#include "http/router.h"

#define STARTUP_TIMEOUT_MS 10000
#define STOP_TIMEOUT_MS 10000
#define READY_PREFIX "passpro: à l'écoute sur http://127.0.0.1:"

struct server g_server;

/* ------------------------------------------------------------------ owned memory */

/* Everything handed to tests lives until the server stops: tests never free. */
static void **owned;
static size_t nowned, capowned;
static json_t **owned_json;
static size_t nowned_json, capowned_json;
static struct client **clients;
static size_t nclients, capclients;
/* http_parallel runs requests on threads: ownership lists are shared. */
static pthread_mutex_t owned_lock = PTHREAD_MUTEX_INITIALIZER;

static void *grow(void *p, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return p;
    *cap = *cap ? *cap * 2 : 64;
    p = realloc(p, *cap * size);
    if (p == NULL) {
        fprintf(stderr, "harness: out of memory\n");
        abort();
    }
    return p;
}

static void *own(void *p)
{
    pthread_mutex_lock(&owned_lock);
    owned = grow(owned, &capowned, nowned, sizeof *owned);
    owned[nowned++] = p;
    pthread_mutex_unlock(&owned_lock);
    return p;
}

static json_t *own_json(json_t *j)
{
    if (j == NULL)
        return NULL;
    pthread_mutex_lock(&owned_lock);
    owned_json = grow(owned_json, &capowned_json, nowned_json, sizeof *owned_json);
    owned_json[nowned_json++] = j;
    pthread_mutex_unlock(&owned_lock);
    return j;
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (p == NULL) {
        fprintf(stderr, "harness: out of memory\n");
        abort();
    }
    return p;
}

static void free_owned(void)
{
    for (size_t i = 0; i < nclients; i++) {
        curl_easy_cleanup(clients[i]->curl);
        free(clients[i]);
    }
    free(clients);
    clients = NULL;
    nclients = capclients = 0;
    for (size_t i = 0; i < nowned_json; i++)
        json_decref(owned_json[i]);
    free(owned_json);
    owned_json = NULL;
    nowned_json = capowned_json = 0;
    for (size_t i = 0; i < nowned; i++)
        free(owned[i]);
    free(owned);
    owned = NULL;
    nowned = capowned = 0;
}

const char *strf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    int n = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (n < 0) {
        fprintf(stderr, "harness: out of memory\n");
        abort();
    }
    return own(s);
}

/* ------------------------------------------------------------------ server process */

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *passpro_bin(void)
{
    const char *bin = getenv("PASSPRO_BIN");
    return bin && *bin ? bin : "build/passpro";
}

void server_print_log(const struct server *s)
{
    char path[300];
    snprintf(path, sizeof path, "%s/server.log", s->dir);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return;
    char line[1024];
    fprintf(stderr, "--- server log (%s) ---\n", path);
    while (fgets(line, sizeof line, f) != NULL)
        fputs(line, stderr);
    fprintf(stderr, "--- end of server log ---\n");
    fclose(f);
}

/* Reads the server's stdout until the "listening" line; returns the port or -1. */
static int wait_for_port(struct server *s)
{
    char buf[4096];
    size_t len = 0;
    int64_t deadline = now_ms() + STARTUP_TIMEOUT_MS;
    for (;;) {
        buf[len] = '\0';
        char *hit = strstr(buf, READY_PREFIX);
        if (hit != NULL && strchr(hit, '\n') != NULL)
            return (int)strtol(hit + strlen(READY_PREFIX), NULL, 10);
        int64_t left = deadline - now_ms();
        if (left <= 0 || len + 1 >= sizeof buf) {
            fprintf(stderr, "harness: the server did not say it was listening within %d ms\n",
                    STARTUP_TIMEOUT_MS);
            return -1;
        }
        struct pollfd p = {.fd = s->out_fd, .events = POLLIN};
        int rc = poll(&p, 1, (int)left);
        if (rc < 0 && errno == EINTR)
            continue;
        if (rc <= 0)
            continue;
        ssize_t n = read(s->out_fd, buf + len, sizeof buf - 1 - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            fprintf(stderr, "harness: the server closed its output before listening\n");
            return -1;
        }
        len += (size_t)n;
    }
}


int server_start(struct server *s)
{
    return server_start_with(s, true);
}

int server_start_with(struct server *s, bool test_clock)
{
    return server_start_on(s, test_clock, NULL);
}

int server_start_on(struct server *s, bool test_clock, const struct server *db_from)
{
    return server_start_args(s, test_clock, db_from, NULL, NULL);
}

/* The server's command line: the usual arguments, then @extra (NULL-terminated, or NULL). */
static char **serve_argv(const char *bin, const char *db_url, const char *mail_dir,
                         bool test_clock, const char *const *extra)
{
    static char *argv[64];
    /*
     * Every client of a test program talks from 127.0.0.1, a few hundred of them at once in
     * the busiest suites: one address for many people, as behind a reverse proxy, so no limit
     * per address (test_connections sets its own after these).
     */
    const char *const base[] = {bin, "serve", "--listen", "127.0.0.1:0", "--db", db_url,
                                "--mail-dir", mail_dir, "--workers", "4",
                                "--max-connections-per-address", "0"};
    size_t n = 0;
    for (size_t i = 0; i < sizeof base / sizeof base[0]; i++)
        argv[n++] = (char *)base[i];
    if (test_clock)
        argv[n++] = "--test-clock";
    for (size_t i = 0; extra != NULL && extra[i] != NULL && n + 1 < sizeof argv / sizeof *argv;
         i++)
        argv[n++] = (char *)extra[i];
    argv[n] = NULL;
    return argv;
}

int server_start_args(struct server *s, bool test_clock, const struct server *db_from,
                      const char *const *extra, const char *const *env)
{
    memset(s, 0, sizeof *s);
    s->out_fd = -1;
    const char *tmp = getenv("TMPDIR");
    snprintf(s->dir, sizeof s->dir, "%s/passpro-http-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (mkdtemp(s->dir) == NULL) {
        fprintf(stderr, "harness: mkdtemp: %s\n", strerror(errno));
        return -1;
    }
    if (db_from != NULL)
        snprintf(s->db_url, sizeof s->db_url, "%s", db_from->db_url);
    else if (server_new_db(s) != 0)
        return -1;
    char mail_dir[300], log_path[300];
    snprintf(mail_dir, sizeof mail_dir, "%s/mail", s->dir);
    snprintf(log_path, sizeof log_path, "%s/server.log", s->dir);
    mkdir(mail_dir, 0700);

    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
        fprintf(stderr, "harness: pipe: %s\n", strerror(errno));
        return -1;
    }
    const char *bin = passpro_bin();
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "harness: fork: %s\n", strerror(errno));
        return -1;
    }
    if (pid == 0) {
        /* Never outlive a test program that crashed. */
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        int log = open(log_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        dup2(fds[1], STDOUT_FILENO);
        if (log >= 0)
            dup2(log, STDERR_FILENO);
        char plans[300];
        snprintf(plans, sizeof plans, "%s/plans.log", s->dir);
        setenv("PASSPRO_QUERY_PLAN_LOG", plans, 1);
        for (const char *const *e = env; e != NULL && *e != NULL; e++)
            putenv((char *)*e);
        execv(bin, serve_argv(bin, s->db_url, mail_dir, test_clock, extra));
        fprintf(stderr, "harness: cannot run %s: %s\n", bin, strerror(errno));
        _exit(127);
    }
    close(fds[1]);
    s->pid = pid;
    s->out_fd = fds[0];
    s->port = wait_for_port(s);
    if (s->port <= 0) {
        server_stop(s);
        server_print_log(s);
        return -1;
    }
    snprintf(s->base_url, sizeof s->base_url, "http://127.0.0.1:%d", s->port);
    return 0;
}

int server_stop(struct server *s)
{
    if (s->pid <= 0)
        return 0;
    kill(s->pid, SIGTERM);
    int status = 0;
    int64_t deadline = now_ms() + STOP_TIMEOUT_MS;
    pid_t done;
    while ((done = waitpid(s->pid, &status, WNOHANG)) == 0 && now_ms() < deadline) {
        struct timespec tick = {0, 10 * 1000 * 1000};
        nanosleep(&tick, NULL);
    }
    if (done == 0) {
        fprintf(stderr, "harness: the server did not stop within %d ms after SIGTERM\n",
                STOP_TIMEOUT_MS);
        kill(s->pid, SIGKILL);
        waitpid(s->pid, &status, 0);
        status = -1;
    } else if (WIFEXITED(status)) {
        status = WEXITSTATUS(status);
    } else {
        fprintf(stderr, "harness: the server died from signal %d\n",
                WIFSIGNALED(status) ? WTERMSIG(status) : 0);
        status = -1;
    }
    s->pid = 0;
    if (s->out_fd >= 0)
        close(s->out_fd);
    s->out_fd = -1;
    return status;
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(path);
}

bool harness_on_pg(void)
{
    const char *pg = getenv("PASSPRO_TEST_PG");
    return pg != NULL && *pg != '\0';
}

/* Runs @sql on the cluster's maintenance database. */
static int pg_admin(const char *sql)
{
    char url[512], msg[256];
    snprintf(url, sizeof url, "postgresql:///postgres?%s", getenv("PASSPRO_TEST_PG"));
    struct pp_db *db;
    if (pp_db_open(url, &db, msg, sizeof msg) != PP_OK) {
        fprintf(stderr, "harness: %s\n", msg);
        return -1;
    }
    int rc = pp_db_exec(db, sql) == PP_OK ? 0 : -1;
    if (rc != 0)
        fprintf(stderr, "harness: %s: %s\n", sql, pp_db_errmsg(db));
    pp_db_close(db);
    return rc;
}

int server_new_db(struct server *s)
{
    if (!harness_on_pg()) {
        snprintf(s->db_url, sizeof s->db_url, "sqlite:%s/t.db", s->dir);
        return 0;
    }
    static int seq;
    snprintf(s->pg_name, sizeof s->pg_name, "t%d_%d", (int)getpid(), ++seq);
    char sql[96];
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", s->pg_name);
    if (pg_admin(sql) != 0) {
        s->pg_name[0] = '\0';
        return -1;
    }
    snprintf(s->db_url, sizeof s->db_url, "postgresql:///%s?%s", s->pg_name,
             getenv("PASSPRO_TEST_PG"));
    return 0;
}

void server_cleanup(struct server *s)
{
    if (s->pg_name[0] != '\0') {
        char sql[96];
        snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", s->pg_name);
        pg_admin(sql);
        s->pg_name[0] = '\0';
    }
    if (s->dir[0] != '\0')
        nftw(s->dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    s->dir[0] = '\0';
}

int server_admin_create(const struct server *s, const char *email, const char *password)
{
    const char *bin = passpro_bin();
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        /* Its messages go to <dir>/admin.log: shown by admin_new when it fails. */
        char log_path[300];
        snprintf(log_path, sizeof log_path, "%s/admin.log", s->dir);
        int log = open(log_path, O_WRONLY | O_CREAT | O_APPEND, 0600);
        if (log >= 0) {
            dup2(log, STDOUT_FILENO);
            dup2(log, STDERR_FILENO);
        }
        char *argv[] = {(char *)bin, "admin", "create", "--email", (char *)email,
                        "--password", (char *)password, "--db", (char *)s->db_url, NULL};
        execv(bin, argv);
        _exit(127);
    }
    int status;
    if (waitpid(pid, &status, 0) != pid)
        return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* When a group setup fails after the start, cmocka runs no teardown: stop it on exit. */
static void stop_at_exit(void)
{
    if (g_server.pid > 0)
        server_stop(&g_server);
    server_cleanup(&g_server);
}

int harness_group_setup(void **state)
{
    return harness_group_setup_args(state, NULL);
}

int harness_group_setup_args(void **state, const char *const *extra)
{
    (void)state;
    static bool registered;
    if (!registered)
        atexit(stop_at_exit);
    registered = true;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (server_start_args(&g_server, true, NULL, extra, NULL) != 0) {
        server_cleanup(&g_server);
        return -1;
    }
    return 0;
}

/*
 * The tables that grow with the country (a row per young person, booking, offer, email...): a
 * query the server runs must reach their rows through an index. The server (SQLite) logs each
 * table scan of the plans it prepares (PASSPRO_QUERY_PLAN_LOG); a scan of one of these fails
 * the suite, unless it only walks a covering index (counting by status, for instance) or walks
 * an index in the order asked for and stops at a LIMIT (a page of a list, newest first).
 */
static const char *const big_tables[] = {
    "account", "activation_code", "beneficiary", "booking", "collective_booking",
    "collective_offer", "collective_stock", "finance_event", "offer", "outbox", "price_category",
    "pricing", "session", "stock", "wallet", NULL,
};

/* The table behind @name in @sql: @name itself, or the table it is the alias of. */
static void table_of_alias(const char *sql, const char *name, char *table, size_t cap)
{
    snprintf(table, cap, "%s", name);
    const char *p = sql;
    char a[64], b[64], c[64];
    while ((p = strpbrk(p, "FJ")) != NULL) {
        if ((strncmp(p, "FROM ", 5) == 0 || strncmp(p, "JOIN ", 5) == 0) &&
            sscanf(p + 5, "%63[a-z_] %63[A-Za-z_] %63[a-z_]", a, b, c) >= 2) {
            const char *alias = strcmp(b, "AS") == 0 ? c : b;
            if (strcmp(alias, name) == 0) {
                snprintf(table, cap, "%s", a);
                return;
            }
        }
        p++;
    }
}

static bool query_plans_ok(const struct server *s)
{
    char path[300];
    snprintf(path, sizeof path, "%s/plans.log", s->dir);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return true; /* PostgreSQL, or no read prepared */
    bool ok = true;
    char line[8192];
    while (fgets(line, sizeof line, f) != NULL) {
        char *tab = strchr(line, '\t');
        char name[64], table[64];
        if (tab == NULL || strstr(line, "USING COVERING INDEX") != NULL ||
            sscanf(line, "SCAN %63s", name) != 1)
            continue;
        if (strstr(line, "USING INDEX") != NULL && strstr(tab, " LIMIT ") != NULL)
            continue;
        table_of_alias(tab + 1, name, table, sizeof table);
        for (const char *const *t = big_tables; *t != NULL; t++) {
            if (strcmp(*t, table) == 0) {
                fprintf(stderr, "harness: a query reads the whole table %s: %s", table, line);
                ok = false;
            }
        }
    }
    fclose(f);
    return ok;
}

int harness_group_teardown(void **state)
{
    (void)state;
    free_owned();
    bool was_running = g_server.pid > 0;
    int status = server_stop(&g_server);
    curl_global_cleanup();
    if (was_running && status != 0) {
        fprintf(stderr, "harness: the server exited with status %d after SIGTERM (expected 0)\n",
                status);
        server_print_log(&g_server);
        server_cleanup(&g_server);
        return -1;
    }
    bool plans_ok = query_plans_ok(&g_server);
    server_cleanup(&g_server);
    return plans_ok ? 0 : -1;
}

/* ------------------------------------------------------------------ HTTP */

struct sink {
    char *p;
    size_t len, cap;
};

static void sink_add(struct sink *b, const char *data, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->p = realloc(b->p, b->cap);
        if (b->p == NULL)
            abort();
    }
    memcpy(b->p + b->len, data, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *userdata)
{
    sink_add(userdata, data, size * nmemb);
    return size * nmemb;
}

struct header_sink {
    char **lines;
    size_t n, cap;
};

static size_t on_header(char *data, size_t size, size_t nmemb, void *userdata)
{
    struct header_sink *h = userdata;
    size_t len = size * nmemb;
    size_t n = len;
    while (n > 0 && (data[n - 1] == '\r' || data[n - 1] == '\n'))
        n--;
    if (n >= 5 && strncmp(data, "HTTP/", 5) == 0) {
        /* A new status line (after "100 Continue", say): keep only the final response. */
        for (size_t i = 0; i < h->n; i++)
            free(h->lines[i]);
        h->n = 0;
        return len;
    }
    if (n == 0)
        return len;
    h->lines = grow(h->lines, &h->cap, h->n, sizeof *h->lines);
    char *line = xmalloc(n + 1);
    memcpy(line, data, n);
    line[n] = '\0';
    h->lines[h->n++] = line;
    return len;
}

struct client *client_new(void)
{
    return client_new_for(&g_server);
}

struct client *client_new_for(const struct server *s)
{
    struct client *c = calloc(1, sizeof *c);
    if (c == NULL)
        abort();
    c->curl = curl_easy_init();
    if (c->curl == NULL) {
        fprintf(stderr, "harness: curl_easy_init failed\n");
        abort();
    }
    curl_easy_setopt(c->curl, CURLOPT_COOKIEFILE, "");
    snprintf(c->base_url, sizeof c->base_url, "%s", s->base_url);
    clients = grow(clients, &capclients, nclients, sizeof *clients);
    clients[nclients++] = c;
    return c;
}

struct resp http_raw(struct client *c, const char *method, const char *path,
                     const char *content_type, const char *body, size_t body_len,
                     const char *const *extra_headers)
{
    CURL *curl = c->curl;
    struct resp r = {.method = strf("%s", method), .path = strf("%s", path)};
    struct sink out = {0};
    struct header_sink hs = {0};
    struct curl_slist *headers = NULL;

    /* Every option a previous request may have set is set again (no curl_easy_reset: the
     * cookie engine, turned on once in client_new, stays as it is). */
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, NULL);
    curl_easy_setopt(curl, CURLOPT_NOBODY, 0L);
    curl_easy_setopt(curl, CURLOPT_URL, strf("%s%s", c->base_url, path));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 20L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &out);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &hs);

    if (body != NULL) {
        curl_easy_setopt(curl, CURLOPT_POST, 1L);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
    } else if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
        curl_easy_setopt(curl, CURLOPT_POST, 1L);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)0);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, "");
    }
    if (strcmp(method, "HEAD") == 0)
        curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    else if (strcmp(method, "GET") != 0 && strcmp(method, "POST") != 0)
        curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);

    /* curl would add a form Content-Type to every body: say exactly what the test wants. */
    headers = curl_slist_append(headers, content_type ? strf("Content-Type: %s", content_type)
                                                      : "Content-Type:");
    for (const char *const *h = extra_headers; h != NULL && *h != NULL; h++)
        headers = curl_slist_append(headers, *h);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);

    CURLcode rc = curl_easy_perform(curl);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, NULL);
    curl_slist_free_all(headers);
    if (rc == CURLE_OK)
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &r.status);
    else
        print_error("%s %s: transport error: %s\n", method, path, curl_easy_strerror(rc));

    r.body = out.p ? own(out.p) : (char *)strf("%s", "");
    r.body_len = out.len;
    for (size_t i = 0; i < hs.n; i++)
        own(hs.lines[i]);
    r.headers = hs.lines ? own(hs.lines) : NULL;
    r.nheaders = hs.n;
    if (r.body_len > 0)
        r.json = own_json(json_loadb(r.body, r.body_len, 0, NULL));
    return r;
}

struct resp http_request(struct client *c, const char *method, const char *path,
                         const char *json_body)
{
    /* A JSON write states its type even without a body (the server answers 415 otherwise). */
    if (json_body == NULL && strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
        return http_raw(c, method, path, "application/json", NULL, 0, NULL);
    if (json_body == NULL)
        return http_raw(c, method, path, NULL, NULL, 0, NULL);
    return http_raw(c, method, path, "application/json", json_body, strlen(json_body), NULL);
}

struct resp http_json(struct client *c, const char *method, const char *path, json_t *body)
{
    if (body == NULL) {
        print_error("http_json(%s %s): NULL body (bad json_pack format?)\n", method, path);
        _fail(__FILE__, __LINE__);
    }
    char *text = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    own(text);
    return http_request(c, method, path, text);
}

struct resp http_form(struct client *c, const char *path, const char *urlencoded)
{
    return http_raw(c, "POST", path, "application/x-www-form-urlencoded", urlencoded,
                    strlen(urlencoded), NULL);
}

struct parallel {
    struct call *call;
    pthread_barrier_t *start;
};

static void *parallel_main(void *arg)
{
    struct parallel *p = arg;
    pthread_barrier_wait(p->start);
    p->call->r = http_request(p->call->c, p->call->method, p->call->path, p->call->json_body);
    return NULL;
}

void http_parallel(struct call *calls, size_t n)
{
    pthread_barrier_t start;
    pthread_t *threads = xmalloc(n * sizeof *threads);
    struct parallel *args = xmalloc(n * sizeof *args);
    pthread_barrier_init(&start, NULL, (unsigned)n);
    for (size_t i = 0; i < n; i++) {
        args[i] = (struct parallel){&calls[i], &start};
        if (pthread_create(&threads[i], NULL, parallel_main, &args[i]) != 0) {
            fprintf(stderr, "harness: pthread_create failed\n");
            abort();
        }
    }
    for (size_t i = 0; i < n; i++)
        pthread_join(threads[i], NULL);
    pthread_barrier_destroy(&start);
    free(threads);
    free(args);
}

const char *resp_header(const struct resp *r, const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < r->nheaders; i++) {
        const char *line = r->headers[i];
        if (strncasecmp(line, name, n) == 0 && line[n] == ':') {
            const char *v = line + n + 1;
            while (*v == ' ')
                v++;
            return v;
        }
    }
    return NULL;
}

const char *resp_set_cookie(const struct resp *r, const char *cookie)
{
    size_t n = strlen(cookie);
    for (size_t i = 0; i < r->nheaders; i++) {
        const char *line = r->headers[i];
        if (strncasecmp(line, "Set-Cookie:", 11) != 0)
            continue;
        const char *v = line + 11;
        while (*v == ' ')
            v++;
        if (strncmp(v, cookie, n) == 0 && v[n] == '=')
            return v;
    }
    return NULL;
}

struct client *client_clone(struct client *c)
{
    struct client *n = client_new();
    snprintf(n->base_url, sizeof n->base_url, "%s", c->base_url);
    n->id = c->id;
    snprintf(n->email, sizeof n->email, "%s", c->email);
    snprintf(n->password, sizeof n->password, "%s", c->password);
    struct curl_slist *list = NULL;
    if (curl_easy_getinfo(c->curl, CURLINFO_COOKIELIST, &list) == CURLE_OK) {
        for (struct curl_slist *l = list; l != NULL; l = l->next)
            curl_easy_setopt(n->curl, CURLOPT_COOKIELIST, l->data);
        curl_slist_free_all(list);
    }
    return n;
}

struct client *client_on(struct client *c, const struct server *s)
{
    struct client *n = client_clone(c);
    snprintf(n->base_url, sizeof n->base_url, "%s", s->base_url);
    return n;
}

const char *client_cookie(struct client *c, const char *cookie)
{
    struct curl_slist *list = NULL;
    const char *found = NULL;
    if (curl_easy_getinfo(c->curl, CURLINFO_COOKIELIST, &list) != CURLE_OK)
        return NULL;
    for (struct curl_slist *l = list; l != NULL && found == NULL; l = l->next) {
        /* Netscape format: domain, flag, path, secure, expiry, name, value (tabs). */
        const char *f = l->data;
        for (int i = 0; i < 5 && f != NULL; i++) {
            f = strchr(f, '\t');
            if (f != NULL)
                f++;
        }
        if (f == NULL)
            continue;
        size_t n = strlen(cookie);
        if (strncmp(f, cookie, n) == 0 && f[n] == '\t')
            found = strf("%s", f + n + 1);
    }
    curl_slist_free_all(list);
    return found;
}

/* ------------------------------------------------------------------ JSON */

json_t *jget(const json_t *j, const char *path)
{
    const json_t *cur = j;
    const char *p = path;
    while (cur != NULL && *p != '\0') {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        char key[128];
        if (n >= sizeof key || !json_is_object(cur))
            return NULL;
        memcpy(key, p, n);
        key[n] = '\0';
        cur = json_object_get(cur, key);
        p += n + (dot != NULL);
    }
    return (json_t *)cur;
}

const char *jstr(const json_t *j, const char *path)
{
    return json_string_value(jget(j, path));
}

int64_t jint(const json_t *j, const char *path)
{
    json_t *v = jget(j, path);
    return json_is_integer(v) ? (int64_t)json_integer_value(v) : 0;
}

json_t *jfind_id(const json_t *j, const char *path, const char *key, int64_t id)
{
    json_t *arr = jget(j, path);
    size_t i;
    json_t *item;
    if (!json_is_array(arr))
        return NULL;
    json_array_foreach(arr, i, item)
    {
        if (jint(item, key) == id)
            return item;
    }
    return NULL;
}

/* ------------------------------------------------------------------ assertions */

static void print_resp(const struct resp *r)
{
    print_error("  response to %s %s: status %ld, body: %.600s\n", r->method, r->path, r->status,
                r->body ? r->body : "");
}

void assert_status_at(struct resp r, long expected, const char *file, int line)
{
    if (r.status == expected)
        return;
    print_error("%s %s: expected status %ld, got %ld\n", r.method, r.path, expected, r.status);
    print_resp(&r);
    _fail(file, line);
}

void assert_jstr_at(const json_t *j, const char *path, const char *expected, const char *file,
                    int line)
{
    const char *got = jstr(j, path);
    if (got != NULL && expected != NULL && strcmp(got, expected) == 0)
        return;
    char *shown = j ? json_dumps(j, JSON_COMPACT) : NULL;
    print_error("\"%s\": expected \"%s\", got %s%s%s in %.600s\n", path,
                expected ? expected : "(null)", got ? "\"" : "", got ? got : "(none)",
                got ? "\"" : "", shown ? shown : "(no JSON)");
    free(shown);
    _fail(file, line);
}

bool error_body_ok(const struct resp *r, const char *field)
{
    json_t *errors = jget(r->json, "errors");
    if (!json_is_object(errors) || json_object_size(errors) == 0)
        return false;
    const char *key;
    json_t *list;
    json_object_foreach(errors, key, list)
    {
        size_t i;
        json_t *msg;
        if (!json_is_array(list) || json_array_size(list) == 0)
            return false;
        json_array_foreach(list, i, msg)
        {
            if (!json_is_string(msg) || json_string_length(msg) == 0)
                return false;
        }
    }
    return json_object_get(errors, field) != NULL;
}

void assert_error_at(struct resp r, long expected, const char *field, const char *file,
                     int line)
{
    assert_status_at(r, expected, file, line);
    if (error_body_ok(&r, field))
        return;
    print_error("%s %s: expected an error body {\"errors\":{\"%s\":[\"...\"]}}\n", r.method,
                r.path, field);
    print_resp(&r);
    _fail(file, line);
}

void set_clock(const char *iso)
{
    struct client *c = client_new();
    struct resp r = http_request(c, "POST", "/api/test/clock", strf("{\"now\":\"%s\"}", iso));
    assert_status(r, 200);
}

/* ------------------------------------------------------------------ accounts */

const char *unique_email(const char *prefix)
{
    static unsigned counter;
    return strf("%s-%u@example.com", prefix, ++counter);
}

struct client *pro_signup(const char *prefix)
{
    struct client *c = client_new();
    const char *email = unique_email(prefix);
    struct resp r = http_json(c, "POST", "/api/v1/auth/signup",
                              json_pack("{s:s, s:s, s:s, s:s}", "email", email, "password",
                                        TEST_PASSWORD, "firstName", "Camille", "lastName",
                                        "Durand"));
    assert_status(r, 201);
    c->id = jint(r.json, "id");
    snprintf(c->email, sizeof c->email, "%s", email);
    snprintf(c->password, sizeof c->password, "%s", TEST_PASSWORD);
    return c;
}

void client_login(struct client *c, const char *email, const char *password)
{
    struct resp r = http_json(c, "POST", "/api/v1/auth/login",
                              json_pack("{s:s, s:s}", "email", email, "password", password));
    assert_status(r, 200);
    c->id = jint(r.json, "id");
    /* @email may be c->email itself: copy through the response. */
    snprintf(c->email, sizeof c->email, "%s", jstr(r.json, "email"));
    if (password != c->password)
        snprintf(c->password, sizeof c->password, "%s", password);
}

struct client *pro_new(const char *prefix)
{
    struct client *c = pro_signup(prefix);
    client_login(c, c->email, c->password);
    return c;
}

int64_t structure_validated(struct client *pro, struct client *admin, const char *siret,
                            const char *name, const char *postal_code, const char *city,
                            int64_t *offerer)
{
    struct resp r = http_json(pro, "POST", "/api/v1/offerers",
                              json_pack("{s:s, s:s, s:s, s:s, s:s}", "siret", siret, "name",
                                        name, "street", "1 rue de la Paix", "postalCode",
                                        postal_code, "city", city));
    assert_status(r, 201);
    int64_t id = jint(r.json, "offerer.id"), venue = jint(r.json, "venue.id");
    assert_true(id > 0 && venue > 0);
    r = http_request(admin, "POST", strf("/api/v1/admin/offerers/%lld/validate", (long long)id),
                     NULL);
    assert_status(r, 200);
    if (offerer != NULL)
        *offerer = id;
    return venue;
}

struct client *admin_new(const char *prefix)
{
    const char *email = unique_email(prefix);
    int rc = server_admin_create(&g_server, email, TEST_PASSWORD);
    if (rc != 0) {
        print_error("passpro admin create --email %s exited with %d (see %s/admin.log)\n", email,
                    rc, g_server.dir);
        _fail(__FILE__, __LINE__);
    }
    struct client *c = client_new();
    client_login(c, email, TEST_PASSWORD);
    return c;
}

static const char *beneficiary_body(const char *email, const char *birth_date, bool social_bonus)
{
    return strf("{\"email\":\"%s\",\"password\":\"%s\",\"firstName\":\"Lou\","
                "\"lastName\":\"Martin\",\"birthDate\":\"%s\",\"postalCode\":\"75011\","
                "\"socialBonus\":%s}",
                email, TEST_PASSWORD, birth_date, social_bonus ? "true" : "false");
}

#define BATCH 8

static void create_beneficiaries(struct client *admin, const char *prefix, const char *birth_date,
                                 bool social_bonus, size_t n, struct client **out)
{
    struct call calls[BATCH];
    struct client *admins[BATCH];
    for (size_t i = 0; i < BATCH && i < n; i++)
        admins[i] = i == 0 ? admin : client_clone(admin);
    for (size_t done = 0; done < n; done += BATCH) {
        size_t k = n - done < BATCH ? n - done : BATCH;
        const char *emails[BATCH];
        for (size_t i = 0; i < k; i++) {
            emails[i] = unique_email(prefix);
            calls[i] = (struct call){admins[i], "POST", "/api/v1/admin/beneficiaries",
                                     beneficiary_body(emails[i], birth_date, social_bonus), {0}};
        }
        http_parallel(calls, k);
        for (size_t i = 0; i < k; i++)
            assert_status(calls[i].r, 201);
        for (size_t i = 0; i < k; i++) {
            out[done + i] = client_new();
            calls[i] = (struct call){
                out[done + i], "POST", "/api/v1/auth/login",
                strf("{\"email\":\"%s\",\"password\":\"%s\"}", emails[i], TEST_PASSWORD), {0}};
        }
        http_parallel(calls, k);
        for (size_t i = 0; i < k; i++) {
            assert_status(calls[i].r, 200);
            struct client *c = out[done + i];
            c->id = jint(calls[i].r.json, "id");
            snprintf(c->email, sizeof c->email, "%s", emails[i]);
            snprintf(c->password, sizeof c->password, "%s", TEST_PASSWORD);
        }
    }
}

#undef BATCH

void beneficiaries_new(struct client *admin, const char *prefix, const char *birth_date, size_t n,
                       struct client **out)
{
    create_beneficiaries(admin, prefix, birth_date, false, n, out);
}

struct client *beneficiary_new(struct client *admin, const char *prefix, const char *birth_date,
                               bool social_bonus)
{
    struct client *c;
    create_beneficiaries(admin, prefix, birth_date, social_bonus, 1, &c);
    return c;
}

/* ------------------------------------------------------------------ SIREN / SIRET */

/* Luhn sum of @len digits, doubling every second digit from the right when @double_first. */
static unsigned luhn_sum(const char *s, size_t len, bool double_first)
{
    unsigned sum = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned d = (unsigned)(s[len - 1 - i] - '0');
        if ((i % 2 == 0) == double_first) {
            d *= 2;
            if (d > 9)
                d -= 9;
        }
        sum += d;
    }
    return sum;
}

bool luhn_ok(const char *s)
{
    return luhn_sum(s, strlen(s), false) % 10 == 0;
}

/* Appends the Luhn check digit to the @len digits of @s (which has room for it and a NUL). */
static void luhn_complete(char *s, size_t len)
{
    unsigned sum = luhn_sum(s, len, true);
    s[len] = (char)('0' + (10 - sum % 10) % 10);
    s[len + 1] = '\0';
}

const char *new_siren(void)
{
    static unsigned counter;
    char *s = own(xmalloc(16));
    snprintf(s, 16, "%08u", (21000000u + 7u * ++counter) % 100000000u);
    luhn_complete(s, 8);
    return s;
}

const char *siret_of(const char *nine, int nic)
{
    char *s = own(xmalloc(24));
    snprintf(s, 24, "%.9s%04u", nine, (unsigned)nic % 10000u);
    luhn_complete(s, 13);
    return s;
}

const char *new_siret(void)
{
    return siret_of(new_siren(), 1);
}

const char *la_poste_siret(bool sum_ok, int nth)
{
    int seen = 0;
    for (unsigned nic = 1; nic < 100000; nic++) {
        char s[24];
        snprintf(s, sizeof s, "356000000%05u", nic);
        unsigned sum = 0;
        for (int i = 0; i < 14; i++)
            sum += (unsigned)(s[i] - '0');
        if (luhn_ok(s) || (sum % 5 == 0) != sum_ok)
            continue;
        if (seen++ == nth)
            return strf("%s", s);
    }
    return NULL;
}

/* ------------------------------------------------------------------ pages and route tables */

const char *html_csrf(const char *html)
{
    static const char field[] = "name=\"csrf\" value=\"";
    const char *p = html ? strstr(html, field) : NULL;
    if (p == NULL)
        return NULL;
    p += strlen(field);
    const char *end = strchr(p, '"');
    return end ? strf("%.*s", (int)(end - p), p) : NULL;
}

const char *client_csrf(struct client *c, const char *path)
{
    struct resp r = http_request(c, "GET", path, NULL);
    const char *token = html_csrf(r.body);
    if (token == NULL || *token == '\0') {
        print_error("GET %s: no CSRF field in the page\n", path);
        print_resp(&r);
        _fail(__FILE__, __LINE__);
    }
    return token;
}

size_t routes_count(const struct pp_route *routes)
{
    size_t n = 0;
    while (routes[n].method != NULL)
        n++;
    return n;
}

void routes_cover(const struct pp_route *routes, bool *covered, const char *method,
                  const char *path)
{
    /* Each placeholder becomes one segment ("1"), the query string goes. */
    char concrete[512];
    size_t n = 0;
    for (const char *p = path; *p != '\0' && *p != '?' && n + 2 < sizeof concrete; p++) {
        if (*p == '{' && strchr(p, '}') != NULL) {
            concrete[n++] = '1';
            p = strchr(p, '}');
        } else {
            concrete[n++] = *p;
        }
    }
    concrete[n] = '\0';
    bool path_known;
    const struct pp_route *r = pp_router_match(routes, method, concrete, NULL, &path_known);
    if (r != NULL)
        covered[r - routes] = true;
}

void assert_routes_covered(const struct pp_route *routes, const bool *covered, const char *table)
{
    bool ok = true;
    for (size_t i = 0; routes[i].method != NULL; i++) {
        if (covered[i] || routes[i].access == PP_ACCESS_TEST)
            continue;
        print_error("%s: no row of the permission matrix for %s %s\n", table, routes[i].method,
                    routes[i].pattern);
        ok = false;
    }
    if (!ok)
        _fail(__FILE__, __LINE__);
}
