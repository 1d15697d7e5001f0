/*
 * A small load generator for what wrk cannot express: a fixed list of requests, each sent
 * once, over C parallel keep-alive connections, spread over one or several servers; prints the
 * time to send them all, the rate, the latency percentiles and the count per status.
 *
 *   load FILE CONNECTIONS URL [URL...]
 *
 * Each line of FILE is one request: "METHOD PATH COOKIE [JSON-BODY]" (COOKIE is the value of
 * pp_session, "-" for none). Connection i talks to URL i % number of URLs.
 * Built by the bench scripts with libcurl (not part of passpro itself).
 */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct job {
    char method[8];
    char path[256];
    char cookie[160];
    char body[256];
};

struct conn {
    CURL *h;
    struct curl_slist *headers;
    const char *base;
    size_t job;
    double started;
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t discard(char *p, size_t size, size_t n, void *u)
{
    (void)p, (void)u;
    return size * n;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static struct job *read_jobs(const char *path, size_t *n)
{
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        perror(path);
        exit(2);
    }
    size_t cap = 1024;
    struct job *jobs = malloc(cap * sizeof *jobs);
    char line[1024];
    *n = 0;
    while (fgets(line, sizeof line, f) != NULL) {
        if (*n == cap)
            jobs = realloc(jobs, (cap *= 2) * sizeof *jobs);
        struct job *j = &jobs[*n];
        memset(j, 0, sizeof *j);
        line[strcspn(line, "\n")] = '\0';
        int used = 0;
        if (sscanf(line, "%7s %255s %159s %n", j->method, j->path, j->cookie, &used) < 3)
            continue;
        snprintf(j->body, sizeof j->body, "%s", line + used);
        (*n)++;
    }
    fclose(f);
    return jobs;
}

static void start(CURLM *m, struct conn *c, const struct job *j)
{
    char url[512], cookie[200];
    snprintf(url, sizeof url, "%s%s", c->base, j->path);
    curl_easy_setopt(c->h, CURLOPT_URL, url);
    curl_easy_setopt(c->h, CURLOPT_CUSTOMREQUEST, j->method);
    if (strcmp(j->cookie, "-") != 0) {
        snprintf(cookie, sizeof cookie, "pp_session=%s", j->cookie);
        curl_easy_setopt(c->h, CURLOPT_COOKIE, cookie);
    }
    if (j->body[0] != '\0')
        curl_easy_setopt(c->h, CURLOPT_COPYPOSTFIELDS, j->body);
    else
        curl_easy_setopt(c->h, CURLOPT_HTTPGET, 1L);
    c->started = now_s();
    curl_multi_add_handle(m, c->h);
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: load FILE CONNECTIONS URL [URL...]\n");
        return 2;
    }
    size_t njobs;
    struct job *jobs = read_jobs(argv[1], &njobs);
    int nconn = atoi(argv[2]);
    if (nconn < 1 || njobs == 0)
        return 2;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    CURLM *m = curl_multi_init();
    curl_multi_setopt(m, CURLMOPT_MAX_HOST_CONNECTIONS, 0L);
    struct conn *conns = calloc((size_t)nconn, sizeof *conns);
    double *lat = calloc(njobs, sizeof *lat);
    long statuses[600] = {0};
    size_t next = 0, done = 0;
    double t0 = now_s();
    for (int i = 0; i < nconn && next < njobs; i++) {
        struct conn *c = &conns[i];
        c->h = curl_easy_init();
        c->base = argv[3 + i % (argc - 3)];
        c->headers = curl_slist_append(NULL, "Content-Type: application/json");
        curl_easy_setopt(c->h, CURLOPT_HTTPHEADER, c->headers);
        curl_easy_setopt(c->h, CURLOPT_WRITEFUNCTION, discard);
        curl_easy_setopt(c->h, CURLOPT_PRIVATE, c);
        c->job = next++;
        start(m, c, &jobs[c->job]);
    }
    while (done < njobs) {
        int running;
        curl_multi_perform(m, &running);
        curl_multi_poll(m, NULL, 0, 100, NULL);
        CURLMsg *msg;
        int left;
        while ((msg = curl_multi_info_read(m, &left)) != NULL) {
            if (msg->msg != CURLMSG_DONE)
                continue;
            struct conn *c;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&c);
            long status = 0;
            curl_easy_getinfo(c->h, CURLINFO_RESPONSE_CODE, &status);
            statuses[status >= 0 && status < 600 ? status : 0]++;
            lat[done++] = now_s() - c->started;
            curl_multi_remove_handle(m, c->h);
            if (next < njobs) {
                c->job = next++;
                start(m, c, &jobs[c->job]);
            }
        }
    }
    double total = now_s() - t0;
    qsort(lat, njobs, sizeof *lat, cmp_double);
    printf("%zu requests over %d connections in %.2f s: %.0f per second; latency p50 %.1f ms,"
           " p99 %.1f ms, max %.1f ms; statuses:",
           njobs, nconn, total, (double)njobs / total, lat[njobs / 2] * 1e3,
           lat[(size_t)((double)njobs * 0.99)] * 1e3, lat[njobs - 1] * 1e3);
    for (int s = 0; s < 600; s++)
        if (statuses[s] > 0)
            printf(" %d×%ld", s, statuses[s]);
    printf("\n");
    return 0;
}
