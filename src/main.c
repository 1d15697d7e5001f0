/*
 * passpro command line: serve, migrate, demo, admin create, jobs run, backup (SPEC §1).
 * Exit codes: 0 ok, 1 runtime error, 2 bad usage; errors as one sentence on stderr.
 */
#include <curl/curl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdbool.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "api/api.h"
#include "core/arena.h"
#include "core/clock.h"
#include "db/db.h"
#include "demo.h"
#include "domain/account.h"
#include "domain/finance_run.h"
#include "domain/search.h"
#include "embedded.h"
#include "http/metrics.h"
#include "http/server.h"
#include "jobs/jobs.h"
#include "mail/delivery.h"
#include "template/template.h"
#include "web/web.h"

#define DEFAULT_DB "sqlite:var/passpro.db"
#define DEFAULT_LISTEN "127.0.0.1:8080"
#define JOB_PERIOD_S 60
#define MAIL_PERIOD_S 2
/* The niceness of the scheduler and delivery threads: during a rush the answers to the young
 * people come first and the emails catch up seconds later (docs/performance.md). */
#define BACKGROUND_NICE 5
#define DEMO_MAIL_DIR "var/mail"

struct options {
    const char *db;
    const char *listen;
    const char *mail_dir;
    const char *smtp;
    const char *mail_from;
    const char *base_url;
    const char *email;
    const char *password;
    const char *now;
    const char *to;
    const char *cutoff_days;
    const char *trusted_proxy;
    const char *retention_days;
    int workers;
    int test_clock;
    int smtp_starttls;
    /* Request limits (size_options) and --metrics-allow; 0 or NULL: the defaults of http/app.h. */
    size_t max_body, max_header, max_json_depth, max_json_string;
    const char *metrics_allow;
    /* Connection limits (serve, demo): 0 takes the server's default, except per address. */
    unsigned max_connections;
    unsigned max_per_address; /* 0: no limit; PP_SERVER_DEFAULT_MAX_PER_ADDRESS unless given */
    unsigned header_timeout;
    unsigned body_timeout;
    unsigned idle_timeout;
};

/*
 * Under AddressSanitizer (make SAN=1), fontconfig keeps its font caches until exit, which
 * LeakSanitizer reports as leaks once the first justificatif is drawn; they are the library's
 * caches (the same after 1 PDF or 40), not memory lost per request. The sanitizer calls this
 * hook; other builds never do.
 */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}

static void usage(FILE *f)
{
    fputs("usage: passpro COMMANDE [options]\n"
          "  serve   [--listen 127.0.0.1:8080] [--db URL] [--mail-dir DIR | --smtp URL]\n"
          "          [--mail-from \"Nom <adresse>\"] [--smtp-starttls]\n"
          "          [--workers N] [--test-clock] [--base-url URL] [--cutoff-days 1,16]\n"
          "          [--max-body OCTETS] [--max-header OCTETS] [--max-json-depth N]\n"
          "          [--max-json-string OCTETS] [--metrics-allow ADRESSE[,ADRESSE]]\n"
          "          [--max-connections N] [--max-connections-per-address N]\n"
          "          [--header-timeout S] [--body-timeout S] [--idle-timeout S]\n"
          "          [--trusted-proxy ADRESSE[,ADRESSE]]\n"
          "  migrate [--db URL]\n"
          "  demo    [--listen ...] [--db URL] [--mail-dir DIR | --smtp URL]\n"
          "  admin create --email E --password P [--db URL]\n"
          "  jobs run [--now ISO8601] [--db URL] [--mail-dir DIR | --smtp URL]\n"
          "  (serve, jobs run) [--retention-days N] : bénéficiaires inactifs anonymisés\n"
          "          après N jours (défaut 1096, 3 ans)\n"
          "  backup --to FILE [--db URL]\n"
          "--db: sqlite:CHEMIN (défaut sqlite:var/passpro.db), sqlite::memory: ou\n"
          "  postgresql://utilisateur@hôte/base (toute adresse que lit libpq)\n"
          "--mail-dir DIR: chaque courriel écrit dans DIR/<id>.eml (démo : var/mail)\n"
          "--smtp smtp://hôte:port (ou smtps://): identifiants dans PASSPRO_SMTP_USER et\n"
          "  PASSPRO_SMTP_PASSWORD (ou PASSPRO_SMTP_PASSWORD_FILE), jamais en argument\n"
          "--max-body (1M), --max-header (16K), --max-json-depth (32), --max-json-string (64K):\n"
          "  limites des requêtes (413, 431, 400), en octets, suffixes K et M acceptés\n"
          "--metrics-allow (127.0.0.1,::1, ou none): adresses qui lisent /metrics sans proxy ;\n"
          "  ou de partout avec Authorization: Bearer $PASSPRO_METRICS_TOKEN (16 car. et plus)\n"
          "--max-connections N: connexions ouvertes en tout (défaut 1024) ;\n"
          "  --max-connections-per-address N: par adresse de client (défaut 64, 0 : sans limite)\n"
          "--header-timeout S: ligne de requête et en-têtes en S secondes au plus (défaut 10) ;\n"
          "  --body-timeout S: corps en S secondes après les en-têtes (défaut 30) ;\n"
          "  --idle-timeout S: attente la plus longue entre deux requêtes (défaut 5)\n"
          "--trusted-proxy: les mandataires inverses (nginx...) dont l'en-tête X-Forwarded-For\n"
          "  donne l'adresse du client (défaut : aucun, l'adresse est celle de la connexion)\n",
          f);
}

static int bad_usage(const char *msg, const char *arg)
{
    fprintf(stderr, "passpro: %s%s%s\n", msg, arg ? " : " : "", arg ? arg : "");
    usage(stderr);
    return 2;
}

/* The options that take a text value, and where it goes. */
static const struct {
    const char *name;
    size_t offset;
} text_options[] = {
    {"--db", offsetof(struct options, db)},
    {"--listen", offsetof(struct options, listen)},
    {"--mail-dir", offsetof(struct options, mail_dir)},
    {"--smtp", offsetof(struct options, smtp)},
    {"--mail-from", offsetof(struct options, mail_from)},
    {"--base-url", offsetof(struct options, base_url)},
    {"--email", offsetof(struct options, email)},
    {"--password", offsetof(struct options, password)},
    {"--now", offsetof(struct options, now)},
    {"--to", offsetof(struct options, to)},
    {"--cutoff-days", offsetof(struct options, cutoff_days)},
    {"--metrics-allow", offsetof(struct options, metrics_allow)},
    {"--trusted-proxy", offsetof(struct options, trusted_proxy)},
    {"--retention-days", offsetof(struct options, retention_days)},
};

/* The text option named @a in @o, or NULL when @a is none. */
static const char **text_option(struct options *o, const char *a)
{
    for (size_t k = 0; k < sizeof text_options / sizeof text_options[0]; k++)
        if (strcmp(a, text_options[k].name) == 0)
            return (const char **)((char *)o + text_options[k].offset);
    return NULL;
}

/*
 * The options that take a number, with their bounds: the request limits are sizes (bytes, or
 * with a K or M suffix) kept as size_t; the connection limits and timeouts are unsigned.
 */
static const struct {
    const char *name;
    size_t offset;
    unsigned long long min, max;
    bool size; /* size_t with an optional K/M suffix, else a plain unsigned */
} number_options[] = {
    {"--max-body", offsetof(struct options, max_body), 1024, 64 << 20, true},
    {"--max-header", offsetof(struct options, max_header), 4096, 1 << 20, true},
    {"--max-json-depth", offsetof(struct options, max_json_depth), 1, 1000, true},
    {"--max-json-string", offsetof(struct options, max_json_string), 16, 64 << 20, true},
    {"--max-connections", offsetof(struct options, max_connections), 1, 100000, false},
    {"--max-connections-per-address", offsetof(struct options, max_per_address), 0, 100000,
     false},
    {"--header-timeout", offsetof(struct options, header_timeout), 1, 3600, false},
    {"--body-timeout", offsetof(struct options, body_timeout), 1, 3600, false},
    {"--idle-timeout", offsetof(struct options, idle_timeout), 1, 3600, false},
};

/*
 * When @a names a number option, reads its value argv[*i + 1] into @o: returns 0, or the exit
 * code of a usage error. -1 when @a is no number option.
 */
static int number_option(struct options *o, const char *a, int argc, char **argv, int *i)
{
    for (size_t k = 0; k < sizeof number_options / sizeof number_options[0]; k++) {
        if (strcmp(a, number_options[k].name) != 0)
            continue;
        if (*i + 1 >= argc)
            return bad_usage("valeur manquante pour", a);
        const char *v = argv[++*i];
        char *end;
        unsigned long long n = strtoull(v, &end, 10);
        int shift = 0;
        if (number_options[k].size && (*end == 'K' || *end == 'k'))
            shift = 10;
        else if (number_options[k].size && (*end == 'M' || *end == 'm'))
            shift = 20;
        if (*v < '0' || *v > '9' || end[shift ? 1 : 0] != '\0' || n > (SIZE_MAX >> 20) ||
            (n << shift) < number_options[k].min || (n << shift) > number_options[k].max) {
            char msg[128];
            snprintf(msg, sizeof msg, "%s attend un nombre entre %llu et %llu", a,
                     number_options[k].min, number_options[k].max);
            return bad_usage(msg, v);
        }
        void *field = (char *)o + number_options[k].offset;
        if (number_options[k].size)
            *(size_t *)field = (size_t)(n << shift);
        else
            *(unsigned *)field = (unsigned)n;
        return 0;
    }
    return -1;
}

/* Parses --options from argv[first..]; returns 0 or the exit code of a usage error. */
static int parse_options(int argc, char **argv, int first, struct options *o)
{
    for (int i = first; i < argc; i++) {
        const char *a = argv[i];
        const char **target = text_option(o, a);
        if (strcmp(a, "--test-clock") == 0) {
            o->test_clock = 1;
            continue;
        }
        if (strcmp(a, "--smtp-starttls") == 0) {
            o->smtp_starttls = 1;
            continue;
        }
        int rc = number_option(o, a, argc, argv, &i);
        if (rc > 0)
            return rc;
        if (rc == 0)
            continue;
        if (target == NULL && strcmp(a, "--workers") != 0)
            return bad_usage("option inconnue", a);
        if (i + 1 >= argc)
            return bad_usage("valeur manquante pour", a);
        if (target != NULL) {
            *target = argv[++i];
            continue;
        }
        char *end;
        long w = strtol(argv[++i], &end, 10);
        if (*end != '\0' || w < 1 || w > 256)
            return bad_usage("--workers attend un nombre entre 1 et 256", argv[i]);
        o->workers = (int)w;
    }
    if (o->mail_dir != NULL && o->smtp != NULL)
        return bad_usage("--mail-dir et --smtp s'excluent", NULL);
    if (o->smtp_starttls && o->smtp == NULL)
        return bad_usage("--smtp-starttls va avec --smtp", NULL);
    if (o->cutoff_days != NULL && !pp_finance_set_cutoff_days(o->cutoff_days))
        return bad_usage("--cutoff-days attend des jours du mois croissants entre 1 et 28 "
                         "(ex. 1,16)",
                         o->cutoff_days);
    if (o->trusted_proxy != NULL && !pp_req_addr_list_valid(o->trusted_proxy))
        return bad_usage("--trusted-proxy attend des adresses IP séparées par des virgules "
                         "(ex. 127.0.0.1,::1)",
                         o->trusted_proxy);
    if (o->retention_days != NULL && !pp_jobs_set_retention_days(o->retention_days))
        return bad_usage("--retention-days attend un nombre de jours entre 1 et 36600",
                         o->retention_days);
    return 0;
}

/* First line of file @path (a secret), malloc'd; NULL when unreadable. */
static char *read_secret_file(const char *path)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return NULL;
    char line[1024];
    char *s = fgets(line, sizeof line, f) ? pp_xstrdup(line) : NULL;
    fclose(f);
    if (s != NULL)
        s[strcspn(s, "\r\n")] = '\0';
    sodium_memzero(line, sizeof line);
    return s;
}

/*
 * The mailer of --mail-dir or --smtp (NULL without either: emails then wait in the outbox).
 * SMTP credentials come from the environment (PASSPRO_SMTP_USER, PASSPRO_SMTP_PASSWORD or a
 * file named by PASSPRO_SMTP_PASSWORD_FILE), never from the command line, which any local
 * user can read in /proc. Returns -1 (message printed) on a configuration error.
 */
static int make_mailer(const struct options *o, struct pp_mailer **out)
{
    *out = NULL;
    if (o->mail_dir == NULL && o->smtp == NULL)
        return 0;
    const char *user = getenv("PASSPRO_SMTP_USER");
    char *password = NULL;
    const char *file = getenv("PASSPRO_SMTP_PASSWORD_FILE");
    if (o->smtp != NULL && user != NULL && *user != '\0') {
        if (file != NULL && *file != '\0') {
            password = read_secret_file(file);
            if (password == NULL) {
                fprintf(stderr, "passpro: PASSPRO_SMTP_PASSWORD_FILE : %s illisible\n", file);
                return -1;
            }
        } else if (getenv("PASSPRO_SMTP_PASSWORD") != NULL) {
            password = pp_xstrdup(getenv("PASSPRO_SMTP_PASSWORD"));
        }
    } else {
        user = NULL;
    }
    struct pp_mailer_config cfg = {.mail_dir = o->mail_dir,
                                   .smtp_url = o->smtp,
                                   .smtp_starttls = o->smtp_starttls != 0,
                                   .smtp_user = user,
                                   .smtp_password = password,
                                   .from = o->mail_from,
                                   .base_url = o->base_url};
    char msg[512];
    *out = pp_mailer_new(&cfg, msg, sizeof msg);
    if (password != NULL) {
        sodium_memzero(password, strlen(password));
        free(password);
    }
    if (*out == NULL) {
        fprintf(stderr, "passpro: %s\n", msg);
        return -1;
    }
    return 0;
}

static int open_migrated(const char *url, struct pp_db **db)
{
    char msg[512];
    if (pp_db_open(url, db, msg, sizeof msg) != PP_OK) {
        fprintf(stderr, "passpro: %s\n", msg);
        return 1;
    }
    int applied;
    /* The search keys are folded in C: those the migration could not write come after it. */
    if (pp_db_migrate(*db, &applied) != PP_OK || pp_search_backfill(*db, NULL) != PP_OK) {
        fprintf(stderr, "passpro: la mise à jour du schéma a échoué\n");
        pp_db_close(*db);
        return 1;
    }
    return 0;
}

/* Folder of the running binary, for static files. */
static char *binary_dir(void)
{
    char path[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
    if (n <= 0)
        return pp_xstrdup(".");
    path[n] = '\0';
    char *slash = strrchr(path, '/');
    if (slash != NULL)
        *slash = '\0';
    return pp_xstrdup(path);
}

static const char *embedded_template(const char *name, size_t *len, void *ctx)
{
    (void)ctx;
    char key[256];
    snprintf(key, sizeof key, "web/templates/%s", name);
    return pp_embedded_get(key, len);
}

struct scheduler {
    struct pp_db_pool *pool;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    int stop;
};

/* Calls @tick with a pooled connection every @period seconds until told to stop. */
static void run_periodically(struct scheduler *s, int period, void (*tick)(struct pp_db *db))
{
    /* On Linux a thread's id names it alone for setpriority(). */
    setpriority(PRIO_PROCESS, (id_t)gettid(), BACKGROUND_NICE);
    pthread_mutex_lock(&s->lock);
    while (!s->stop) {
        pthread_mutex_unlock(&s->lock);
        struct pp_db *db = pp_db_pool_acquire(s->pool);
        tick(db);
        pp_db_pool_release(s->pool, db);
        pthread_mutex_lock(&s->lock);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += period;
        while (!s->stop && pthread_cond_timedwait(&s->wake, &s->lock, &until) == 0) {
        }
    }
    pthread_mutex_unlock(&s->lock);
}

static void deliver_due_emails(struct pp_db *db)
{
    if (pp_mailer_deliver(pp_jobs_mailer(), db, pp_clock_now(), NULL) != PP_OK)
        fprintf(stderr, "passpro: l'envoi des courriels a échoué (base de données)\n");
}

static void run_due_jobs(struct pp_db *db)
{
    if (pp_jobs_run_due(db, pp_clock_now(), NULL, NULL) != PP_OK)
        fprintf(stderr, "passpro: une tâche planifiée a échoué\n");
}

/* Delivers the due emails every MAIL_PERIOD_S seconds until told to stop. */
static void *delivery_main(void *arg)
{
    run_periodically(arg, MAIL_PERIOD_S, deliver_due_emails);
    return NULL;
}

/* Runs the due jobs every JOB_PERIOD_S seconds until told to stop. */
static void *scheduler_main(void *arg)
{
    run_periodically(arg, JOB_PERIOD_S, run_due_jobs);
    return NULL;
}

/* The scheduler and delivery threads of a server. */
struct background {
    struct scheduler sched;
    pthread_t sched_thread, mail_thread;
    bool scheduling, delivering;
};

/*
 * Starts the background threads. With the test clock, jobs run only when a test asks
 * (POST /api/test/jobs/run): a timer firing at a moved clock would make tests depend on
 * timing.
 */
static void background_start(struct background *bg, struct pp_db_pool *pool, bool test_clock,
                             bool mailing)
{
    memset(bg, 0, sizeof *bg);
    bg->sched.pool = pool;
    pthread_mutex_init(&bg->sched.lock, NULL);
    pthread_cond_init(&bg->sched.wake, NULL);
    bg->scheduling = !test_clock;
    bg->delivering = bg->scheduling && mailing;
    if (bg->scheduling)
        pthread_create(&bg->sched_thread, NULL, scheduler_main, &bg->sched);
    if (bg->delivering)
        pthread_create(&bg->mail_thread, NULL, delivery_main, &bg->sched);
}

/* Tells the background threads to stop (a send in progress is cut short) and joins them. */
static void background_stop(struct background *bg, struct pp_mailer *mailer)
{
    pthread_mutex_lock(&bg->sched.lock);
    bg->sched.stop = 1;
    pthread_cond_broadcast(&bg->sched.wake);
    pthread_mutex_unlock(&bg->sched.lock);
    if (mailer != NULL)
        pp_mailer_stop(mailer);
    if (bg->scheduling)
        pthread_join(bg->sched_thread, NULL);
    if (bg->delivering)
        pthread_join(bg->mail_thread, NULL);
}

/* Signals are taken by sigwait() in serve(); every thread inherits the mask. */
static void block_stop_signals(sigset_t *stop_signals)
{
    sigemptyset(stop_signals);
    sigaddset(stop_signals, SIGTERM);
    sigaddset(stop_signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, stop_signals, NULL);
    signal(SIGPIPE, SIG_IGN);
}

/* The API routes then the page routes, in one array (malloc'd) of *count routes + the end. */
static struct pp_route *merged_routes(size_t *count)
{
    size_t napi = 0, nweb = 0;
    while (pp_api_routes[napi].method != NULL)
        napi++;
    while (pp_web_routes[nweb].method != NULL)
        nweb++;
    struct pp_route *routes = pp_xcalloc(napi + nweb + 1, sizeof *routes);
    memcpy(routes, pp_api_routes, napi * sizeof *routes);
    memcpy(routes + napi, pp_web_routes, nweb * sizeof *routes);
    *count = napi + nweb;
    return routes;
}

/* Fills @app (the pool is already there): routes, metrics, templates, static files. */
static void app_init(struct pp_app *app, const struct options *o, char **dir)
{
    size_t nroutes;
    app->routes = merged_routes(&nroutes);
    app->metrics = pp_metrics_new(nroutes);
    app->templates = pp_template_set_new(embedded_template, NULL);
    *dir = binary_dir();
    char *static_dir = pp_xmalloc(strlen(*dir) + 8);
    snprintf(static_dir, strlen(*dir) + 8, "%s/static", *dir);
    app->static_dir = static_dir;
    app->test_endpoints = o->test_clock;
    app->max_connections = o->max_connections;
    app->max_connections_per_address = o->max_per_address;
    app->header_timeout_s = o->header_timeout;
    app->body_timeout_s = o->body_timeout;
    app->idle_timeout_s = o->idle_timeout;
    app->trusted_proxies = o->trusted_proxy;
    app->page_error = pp_web_page_error;
}

/*
 * The request limits and who reads /metrics (docs/security.md, "Limits"); the allowed
 * addresses are malloc'd into app->metrics_allow (freed by serve). False with @msg filled on a
 * bad --metrics-allow or a PASSPRO_METRICS_TOKEN too short to be a secret.
 */
static bool limits_init(struct pp_app *app, const struct options *o, char *msg, size_t cap)
{
    app->max_body = o->max_body ? o->max_body : PP_MAX_BODY_DEFAULT;
    app->max_header = o->max_header ? o->max_header : PP_MAX_HEADER_DEFAULT;
    app->max_json_depth = o->max_json_depth ? o->max_json_depth : PP_MAX_JSON_DEPTH_DEFAULT;
    app->max_json_string = o->max_json_string ? o->max_json_string : PP_MAX_JSON_STRING_DEFAULT;
    const char *token = getenv("PASSPRO_METRICS_TOKEN"), *bad;
    app->metrics_token = token != NULL && *token != '\0' ? token : NULL;
    if (app->metrics_token != NULL && strlen(token) < 16) {
        snprintf(msg, cap, "PASSPRO_METRICS_TOKEN doit compter au moins 16 caractères");
        return false;
    }
    char *allow;
    if (!pp_metrics_parse_allow(o->metrics_allow ? o->metrics_allow : PP_METRICS_ALLOW_DEFAULT,
                                &allow, &bad)) {
        snprintf(msg, cap, "--metrics-allow : adresse IP invalide : %s", bad);
        return false;
    }
    app->metrics_allow = allow;
    return true;
}

/* The server's own address into @base, and the public base URL (--base-url, else that). */
static void set_base_url(struct pp_app *app, const struct options *o, struct pp_server *server,
                         struct pp_mailer *mailer, char *base, size_t cap)
{
    const char *listen = o->listen ? o->listen : DEFAULT_LISTEN;
    const char *colon = strrchr(listen, ':');
    snprintf(base, cap, "http://%.*s:%u", (int)(colon - listen), listen,
             (unsigned)pp_server_port(server));
    app->base_url = o->base_url ? o->base_url : base;
    app->secure_cookies = strncmp(app->base_url, "https://", 8) == 0;
    if (mailer != NULL && o->base_url == NULL)
        pp_mailer_set_base_url(mailer, app->base_url);
}

static void announce(const struct options *o, struct pp_mailer *mailer, const char *banner,
                     const char *base)
{
    if (banner != NULL)
        fputs(banner, stdout);
    if (mailer != NULL)
        printf("passpro: courriels : %s, de %s\n", pp_mailer_describe(mailer),
               o->mail_from ? o->mail_from : PP_MAIL_DEFAULT_FROM);
    else
        fprintf(stderr, "passpro: ni --mail-dir ni --smtp : les courriels attendent dans la "
                        "file d'envoi (outbox)\n");
    printf("passpro: à l'écoute sur %s\n", base);
    fflush(stdout);
}

/* Prints @msg and drops the mailer: a server that could not start. */
static int serve_failed(const char *msg, struct pp_mailer *mailer)
{
    fprintf(stderr, "passpro: %s\n", msg);
    pp_jobs_set_mailer(NULL);
    pp_mailer_free(mailer);
    return 1;
}

static int serve(struct options *o, const char *banner)
{
    int workers = o->workers ? o->workers : 4;
    char msg[512];
    sigset_t stop_signals;
    block_stop_signals(&stop_signals);

    struct pp_db *db;
    if (open_migrated(o->db, &db) != 0)
        return 1;
    pp_db_close(db);
    if (o->test_clock)
        pp_clock_enable_test();
    struct pp_mailer *mailer;
    if (make_mailer(o, &mailer) != 0)
        return 1;
    pp_jobs_set_mailer(mailer);

    struct pp_app app = {0};
    if (!limits_init(&app, o, msg, sizeof msg))
        return serve_failed(msg, mailer);
    /* The request workers, the scheduler and the delivery thread each hold one connection. */
    app.pool = pp_db_pool_new(o->db, workers + 2, msg, sizeof msg);
    if (app.pool == NULL)
        return serve_failed(msg, mailer);
    char *dir;
    app_init(&app, o, &dir);
    struct pp_server *server = pp_server_start(&app, o->listen ? o->listen : DEFAULT_LISTEN,
                                               workers, msg, sizeof msg);
    if (server == NULL)
        return serve_failed(msg, mailer);
    char base[128];
    set_base_url(&app, o, server, mailer, base, sizeof base);
    announce(o, mailer, banner, base);

    struct background bg;
    background_start(&bg, app.pool, o->test_clock, mailer != NULL);
    int sig;
    sigwait(&stop_signals, &sig);
    fprintf(stderr, "passpro: arrêt demandé, fin des requêtes en cours\n");
    background_stop(&bg, mailer);

    pp_server_stop(server);
    pp_jobs_set_mailer(NULL);
    pp_mailer_free(mailer);
    pp_template_set_free(app.templates);
    pp_metrics_free(app.metrics);
    pp_db_pool_free(app.pool);
    free((void *)app.routes);
    free((void *)app.static_dir);
    free((void *)app.metrics_allow);
    free(dir);
    return 0;
}

static int cmd_migrate(struct options *o)
{
    struct pp_db *db;
    char msg[512];
    if (pp_db_open(o->db, &db, msg, sizeof msg) != PP_OK) {
        fprintf(stderr, "passpro: %s\n", msg);
        return 1;
    }
    int applied;
    enum pp_err rc = pp_db_migrate(db, &applied);
    if (rc == PP_OK)
        rc = pp_search_backfill(db, NULL);
    pp_db_close(db);
    if (rc != PP_OK) {
        fprintf(stderr, "passpro: la mise à jour du schéma a échoué\n");
        return 1;
    }
    printf("passpro: schéma à jour (%d migration(s) appliquée(s))\n", applied);
    return 0;
}

static int cmd_admin_create(struct options *o)
{
    if (o->email == NULL || o->password == NULL)
        return bad_usage("admin create attend --email et --password", NULL);
    struct pp_db *db;
    if (open_migrated(o->db, &db) != 0)
        return 1;
    struct pp_arena *arena = pp_arena_new();
    struct pp_error e;
    pp_error_init(&e);
    struct pp_account_new in = {.email = o->email, .password = o->password,
                                .first_name = "Administrateur", .last_name = "passpro",
                                .role = "ADMIN"};
    int64_t id;
    enum pp_err rc = pp_account_create(db, arena, &in, &id, &e);
    int status = 0;
    if (rc != PP_OK) {
        fprintf(stderr, "passpro: compte non créé : %s\n",
                e.count ? e.items[0].message : pp_err_name(rc));
        status = 1;
    } else {
        printf("passpro: compte administrateur %s créé (id %lld)\n", o->email, (long long)id);
    }
    pp_arena_free(arena);
    pp_db_close(db);
    return status;
}

static int cmd_jobs_run(struct options *o)
{
    int64_t now = pp_clock_now();
    if (o->now != NULL && !pp_clock_parse_iso(o->now, &now))
        return bad_usage("--now attend une date ISO 8601 UTC comme 2026-03-14T09:30:00Z", o->now);
    /* Every rule the jobs apply reads the clock: all of them see --now. */
    if (o->now != NULL) {
        pp_clock_enable_test();
        pp_clock_set(now);
    }
    struct pp_mailer *mailer;
    if (make_mailer(o, &mailer) != 0)
        return 1;
    struct pp_db *db;
    if (open_migrated(o->db, &db) != 0) {
        pp_mailer_free(mailer);
        return 1;
    }
    pp_jobs_set_mailer(mailer);
    json_t *ran = json_array();
    struct pp_delivery_stats mail;
    enum pp_err rc = pp_jobs_run_due(db, now, ran, &mail);
    pp_jobs_set_mailer(NULL);
    pp_mailer_free(mailer);
    pp_db_close(db);
    if (rc != PP_OK) {
        json_decref(ran);
        fprintf(stderr, "passpro: les tâches ont échoué (%s)\n", pp_err_name(rc));
        return 1;
    }
    size_t i;
    json_t *v;
    json_array_foreach(ran, i, v) printf("passpro: tâche %s exécutée\n", json_string_value(v));
    json_decref(ran);
    if (o->mail_dir != NULL || o->smtp != NULL)
        printf("passpro: courriels : %lld envoyé(s), %lld à réessayer, %lld en échec\n",
               (long long)mail.sent, (long long)mail.retried, (long long)mail.failed);
    return 0;
}

static int cmd_backup(struct options *o)
{
    if (o->to == NULL)
        return bad_usage("backup attend --to FICHIER", NULL);
    struct pp_db *db;
    char msg[512];
    if (pp_db_open(o->db, &db, msg, sizeof msg) != PP_OK) {
        fprintf(stderr, "passpro: %s\n", msg);
        return 1;
    }
    enum pp_err rc = pp_db_backup(db, o->to, msg, sizeof msg);
    pp_db_close(db);
    if (rc != PP_OK) {
        fprintf(stderr, "passpro: sauvegarde impossible : %s\n", msg);
        return 1;
    }
    printf("passpro: sauvegarde écrite dans %s\n", o->to);
    return 0;
}

static int cmd_demo(struct options *o)
{
    if (o->db == NULL || strcmp(o->db, DEFAULT_DB) == 0)
        o->db = "sqlite:var/demo.db";
    if (o->mail_dir == NULL && o->smtp == NULL)
        o->mail_dir = DEMO_MAIL_DIR;
    char *banner = NULL;
    if (pp_demo_create(o->db, &banner) != 0)
        return 1;
    int rc = serve(o, banner);
    free(banner);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return bad_usage("commande manquante", NULL);
    if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        usage(stdout);
        return 0;
    }
    /* Screens show Paris time (SPEC §2); venue zones are applied explicitly where needed. */
    setenv("TZ", "Europe/Paris", 1);
    tzset();
    if (sodium_init() < 0) {
        fprintf(stderr, "passpro: libsodium n'a pas pu s'initialiser\n");
        return 1;
    }
    /* Before any thread: libcurl's global state (SMTP delivery). */
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        fprintf(stderr, "passpro: libcurl n'a pas pu s'initialiser\n");
        return 1;
    }
    struct options o = {.db = DEFAULT_DB, .max_per_address = PP_SERVER_DEFAULT_MAX_PER_ADDRESS};
    const char *cmd = argv[1];
    int first = 2;
    if ((strcmp(cmd, "admin") == 0 || strcmp(cmd, "jobs") == 0)) {
        const char *sub = argc > 2 ? argv[2] : NULL;
        if (sub == NULL || strcmp(sub, strcmp(cmd, "admin") == 0 ? "create" : "run") != 0)
            return bad_usage(strcmp(cmd, "admin") == 0 ? "attendu : passpro admin create"
                                                       : "attendu : passpro jobs run",
                             sub);
        first = 3;
    }
    int rc = parse_options(argc, argv, first, &o);
    if (rc != 0)
        return rc;
    if (strcmp(cmd, "serve") == 0)
        return serve(&o, NULL);
    if (strcmp(cmd, "migrate") == 0)
        return cmd_migrate(&o);
    if (strcmp(cmd, "demo") == 0)
        return cmd_demo(&o);
    if (strcmp(cmd, "admin") == 0)
        return cmd_admin_create(&o);
    if (strcmp(cmd, "jobs") == 0)
        return cmd_jobs_run(&o);
    if (strcmp(cmd, "backup") == 0)
        return cmd_backup(&o);
    return bad_usage("commande inconnue", cmd);
}
