#include "mail/transport.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"

#define CONNECT_TIMEOUT_S 10L
#define DEFAULT_TIMEOUT_S 30L

struct pp_mail_transport {
    bool smtp;
    char *dir;         /* folder transport */
    char *url;         /* SMTP: the URL with the EHLO name as its path */
    char *user, *password;
    bool starttls;
    long timeout_s;
    char *description;
    CURL *session;     /* between begin and end */
};

struct pp_mail_transport *pp_mail_transport_dir(const char *dir)
{
    struct pp_mail_transport *t = pp_xcalloc(1, sizeof *t);
    t->dir = pp_xstrdup(dir);
    size_t n = strlen(dir) + 16;
    t->description = pp_xmalloc(n);
    snprintf(t->description, n, "dossier %s", dir);
    return t;
}

struct pp_mail_transport *pp_mail_transport_smtp(const struct pp_smtp_config *cfg, char *msg,
                                                 size_t cap)
{
    const char *url = cfg->url;
    const char *rest = NULL;
    if (strncmp(url, "smtp://", 7) == 0)
        rest = url + 7;
    else if (strncmp(url, "smtps://", 8) == 0)
        rest = url + 8;
    if (rest == NULL || *rest == '\0' || *rest == '/') {
        snprintf(msg, cap, "--smtp attend une adresse smtp://hôte:port ou smtps://hôte:port");
        return NULL;
    }
    const char *slash = strchr(rest, '/');
    size_t authority = slash ? (size_t)(slash - rest) : strlen(rest);
    if (memchr(rest, '@', authority) != NULL) {
        snprintf(msg, cap, "les identifiants SMTP se donnent par PASSPRO_SMTP_USER et "
                           "PASSPRO_SMTP_PASSWORD (ou PASSPRO_SMTP_PASSWORD_FILE), jamais dans "
                           "l'adresse --smtp");
        return NULL;
    }
    for (const char *p = url; *p; p++)
        if ((unsigned char)*p <= ' ') {
            snprintf(msg, cap, "--smtp : adresse invalide");
            return NULL;
        }
    struct pp_mail_transport *t = pp_xcalloc(1, sizeof *t);
    t->smtp = true;
    /* libcurl takes the URL's path as the EHLO name. */
    const char *helo = cfg->helo && *cfg->helo ? cfg->helo : "passpro.localhost";
    size_t n = strlen(url) + strlen(helo) + 2;
    t->url = pp_xmalloc(n);
    if (slash != NULL && slash[1] != '\0')
        snprintf(t->url, n, "%s", url);
    else
        snprintf(t->url, n, "%.*s/%s", (int)((size_t)(rest - url) + authority), url, helo);
    t->user = cfg->user ? pp_xstrdup(cfg->user) : NULL;
    t->password = cfg->password ? pp_xstrdup(cfg->password) : NULL;
    t->starttls = cfg->starttls;
    t->timeout_s = cfg->timeout_s > 0 ? cfg->timeout_s : DEFAULT_TIMEOUT_S;
    n = (size_t)(rest - url) + authority + 64;
    t->description = pp_xmalloc(n);
    snprintf(t->description, n, "SMTP %.*s%s%s", (int)((size_t)(rest - url) + authority), url,
             t->starttls ? " (STARTTLS)" : "", t->user ? " avec authentification" : "");
    return t;
}

void pp_mail_transport_free(struct pp_mail_transport *t)
{
    if (t == NULL)
        return;
    pp_mail_transport_end(t);
    free(t->dir);
    free(t->url);
    free(t->user);
    if (t->password != NULL) {
        sodium_memzero(t->password, strlen(t->password));
        free(t->password);
    }
    free(t->description);
    free(t);
}

const char *pp_mail_transport_describe(const struct pp_mail_transport *t)
{
    return t->description;
}

void pp_mail_transport_begin(struct pp_mail_transport *t)
{
    if (t->smtp && t->session == NULL)
        t->session = curl_easy_init();
}

void pp_mail_transport_end(struct pp_mail_transport *t)
{
    if (t->session != NULL)
        curl_easy_cleanup(t->session);
    t->session = NULL;
}

static bool write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        p += w;
        n -= (size_t)w;
    }
    return true;
}

/* DIR/<id>.eml appears whole or not at all: written beside it, synced, then renamed. */
static enum pp_send_result send_dir(struct pp_mail_transport *t, int64_t id, const char *data,
                                    size_t len, char *err, size_t errcap)
{
    size_t n = strlen(t->dir) + 96;
    char *tmp = pp_xmalloc(n), *final = pp_xmalloc(n);
    unsigned char rnd[6];
    char hex[13];
    randombytes_buf(rnd, sizeof rnd);
    sodium_bin2hex(hex, sizeof hex, rnd, sizeof rnd);
    snprintf(tmp, n, "%s/.%lld.%s.tmp", t->dir, (long long)id, hex);
    snprintf(final, n, "%s/%lld.eml", t->dir, (long long)id);
    enum pp_send_result r = PP_SEND_OK;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0 || !write_all(fd, data, len) || fsync(fd) != 0) {
        snprintf(err, errcap, "écriture de %s impossible : %s", tmp, strerror(errno));
        r = PP_SEND_UNAVAILABLE;
    }
    if (fd >= 0 && close(fd) != 0 && r == PP_SEND_OK) {
        snprintf(err, errcap, "écriture de %s impossible : %s", tmp, strerror(errno));
        r = PP_SEND_UNAVAILABLE;
    }
    if (r == PP_SEND_OK && rename(tmp, final) != 0) {
        snprintf(err, errcap, "renommage en %s impossible : %s", final, strerror(errno));
        r = PP_SEND_UNAVAILABLE;
    }
    if (r != PP_SEND_OK && fd >= 0)
        unlink(tmp);
    free(tmp);
    free(final);
    return r;
}

struct upload {
    const char *p;
    size_t left;
};

static size_t read_upload(char *dst, size_t size, size_t nmemb, void *arg)
{
    struct upload *u = arg;
    size_t n = size * nmemb;
    if (n > u->left)
        n = u->left;
    memcpy(dst, u->p, n);
    u->p += n;
    u->left -= n;
    return n;
}

static enum pp_send_result send_smtp(struct pp_mail_transport *t, const char *from,
                                     const char *to, const char *data, size_t len, char *err,
                                     size_t errcap)
{
    CURL *h = t->session ? t->session : curl_easy_init();
    if (h == NULL) {
        snprintf(err, errcap, "SMTP : libcurl indisponible");
        return PP_SEND_UNAVAILABLE;
    }
    char fromb[300], tob[300], curlerr[CURL_ERROR_SIZE] = "";
    snprintf(fromb, sizeof fromb, "<%s>", from);
    snprintf(tob, sizeof tob, "<%s>", to);
    struct curl_slist *rcpt = curl_slist_append(NULL, tob);
    struct upload up = {data, len};
    curl_easy_reset(h);
    curl_easy_setopt(h, CURLOPT_URL, t->url);
    curl_easy_setopt(h, CURLOPT_MAIL_FROM, fromb);
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, read_upload);
    curl_easy_setopt(h, CURLOPT_READDATA, &up);
    curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, CONNECT_TIMEOUT_S);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, t->timeout_s);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, curlerr);
    if (t->starttls)
        curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
    if (t->user != NULL) {
        curl_easy_setopt(h, CURLOPT_USERNAME, t->user);
        curl_easy_setopt(h, CURLOPT_PASSWORD, t->password ? t->password : "");
    }
    CURLcode rc = curl_easy_perform(h);
    long code = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    curl_slist_free_all(rcpt);
    if (t->session == NULL)
        curl_easy_cleanup(h);
    if (rc == CURLE_OK)
        return PP_SEND_OK;
    if (code != 0)
        snprintf(err, errcap, "SMTP : %s (réponse %ld)",
                 curlerr[0] ? curlerr : curl_easy_strerror(rc), code);
    else
        snprintf(err, errcap, "SMTP : %s (aucune réponse du serveur)",
                 curlerr[0] ? curlerr : curl_easy_strerror(rc));
    if (code >= 500 && code < 600 && rc != CURLE_LOGIN_DENIED)
        return PP_SEND_PERMANENT;
    /* A 4xx answer to this message is about it; no answer, 421 or a refused login is about
     * the server: the rest of the run waits too. */
    if (code >= 400 && code < 500 && code != 421 && rc != CURLE_LOGIN_DENIED)
        return PP_SEND_TEMPORARY;
    return PP_SEND_UNAVAILABLE;
}

enum pp_send_result pp_mail_transport_send(struct pp_mail_transport *t, int64_t id,
                                           const char *from, const char *to, const char *data,
                                           size_t len, char *err, size_t errcap)
{
    if (errcap > 0)
        err[0] = '\0';
    if (t->smtp)
        return send_smtp(t, from, to, data, len, err, errcap);
    return send_dir(t, id, data, len, err, errcap);
}
