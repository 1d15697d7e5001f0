#include "mail/delivery.h"

#include <ctype.h>
#include <stdatomic.h>
#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/email.h"
#include "db/db.h"
#include "domain/outbox.h"
#include "embedded.h"
#include "mail/message.h"
#include "mail/transport.h"
#include "template/template.h"

/* Rows claimed at once: one transaction claims them, each is then marked on its own. */
#define CLAIM_BATCH 50

struct pp_mailer {
    struct pp_mail_transport *transport;
    struct pp_template_set *templates;
    char from_name[128];
    char from_email[256];
    const char *from_domain; /* inside from_email */
    char *base_url;
    pthread_mutex_t lock;    /* one run at a time per process */
    atomic_bool stopping;
};

static const char *mail_template(const char *name, size_t *len, void *ctx)
{
    (void)ctx;
    char key[256];
    snprintf(key, sizeof key, "mail/templates/%s", name);
    return pp_embedded_get(key, len);
}

/* mkdir -p @dir; false with errno set on failure. */
static bool make_dirs(const char *dir)
{
    char path[1024];
    if (snprintf(path, sizeof path, "%s", dir) >= (int)sizeof path) {
        errno = ENAMETOOLONG;
        return false;
    }
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(path, 0755) != 0 && errno != EEXIST)
            return false;
        *p = '/';
    }
    if (mkdir(path, 0755) != 0 && errno != EEXIST)
        return false;
    struct stat st;
    if (stat(path, &st) != 0)
        return false;
    if (!S_ISDIR(st.st_mode)) {
        errno = ENOTDIR;
        return false;
    }
    return true;
}

struct pp_mailer *pp_mailer_new(const struct pp_mailer_config *cfg, char *msg, size_t cap)
{
    char name[128], email[256];
    const char *from = cfg->from ? cfg->from : PP_MAIL_DEFAULT_FROM;
    if (!pp_mail_addr_parse(from, name, sizeof name, email, sizeof email)) {
        snprintf(msg, cap, "--mail-from : adresse d'expédition invalide (%s)", from);
        return NULL;
    }
    struct pp_mail_transport *t = NULL;
    if (cfg->smtp_url != NULL) {
        const char *domain = strchr(email, '@') + 1;
        struct pp_smtp_config sc = {.url = cfg->smtp_url,
                                    .starttls = cfg->smtp_starttls,
                                    .user = cfg->smtp_user,
                                    .password = cfg->smtp_password,
                                    .helo = domain};
        t = pp_mail_transport_smtp(&sc, msg, cap);
        if (t == NULL)
            return NULL;
    } else if (cfg->mail_dir != NULL) {
        if (!make_dirs(cfg->mail_dir)) {
            snprintf(msg, cap, "le dossier des courriels %s n'a pas pu être créé : %s",
                     cfg->mail_dir, strerror(errno));
            return NULL;
        }
        t = pp_mail_transport_dir(cfg->mail_dir);
    } else {
        snprintf(msg, cap, "aucun transport de courriel : --mail-dir ou --smtp");
        return NULL;
    }
    struct pp_mailer *m = pp_xcalloc(1, sizeof *m);
    atomic_init(&m->stopping, false);
    m->transport = t;
    m->templates = pp_template_set_new(mail_template, NULL);
    snprintf(m->from_name, sizeof m->from_name, "%s", name);
    snprintf(m->from_email, sizeof m->from_email, "%s", email);
    m->from_domain = strchr(m->from_email, '@') + 1;
    m->base_url = pp_xstrdup(cfg->base_url ? cfg->base_url : "http://127.0.0.1:8080");
    pthread_mutex_init(&m->lock, NULL);
    return m;
}

void pp_mailer_free(struct pp_mailer *m)
{
    if (m == NULL)
        return;
    pp_mail_transport_free(m->transport);
    pp_template_set_free(m->templates);
    pthread_mutex_destroy(&m->lock);
    free(m->base_url);
    free(m);
}

void pp_mailer_stop(struct pp_mailer *m)
{
    atomic_store(&m->stopping, true);
}

void pp_mailer_set_base_url(struct pp_mailer *m, const char *base_url)
{
    free(m->base_url);
    m->base_url = pp_xstrdup(base_url);
}

const char *pp_mailer_describe(const struct pp_mailer *m)
{
    return pp_mail_transport_describe(m->transport);
}

/* ------------------------------------------------------------------ template data */

static const char *str_of(json_t *data, const char *key)
{
    return json_string_value(json_object_get(data, key));
}

/* "14/03/2026 à 10:30" → @day "14/03/2026" and @hour "10h30"; false for anything else. */
static bool split_when(const char *when, char day[16], char hour[16])
{
    if (when == NULL || strlen(when) < 16)
        return false;
    const char *a = strstr(when, " à ");
    if (a == NULL || a - when != 10 || strlen(a + 4) != 5 || a[4 + 2] != ':')
        return false;
    snprintf(day, 16, "%.10s", when);
    snprintf(hour, 16, "%.2sh%.2s", a + 4, a + 7);
    return true;
}

/*
 * What templates need beyond the payload: links, the event's day and hour apart, the
 * beneficiary's full name, flags for the cancellation reason and Duo bookings.
 */
static void enrich(json_t *data, const struct pp_mailer *m, const char *kind)
{
    json_object_set_new(data, "baseUrl", json_string(m->base_url));
    json_object_set_new(data, "kind", json_string(kind));
    char day[16], hour[16];
    if (split_when(str_of(data, "eventDate"), day, hour)) {
        json_object_set_new(data, "eventDay", json_string(day));
        json_object_set_new(data, "eventHour", json_string(hour));
    }
    if (split_when(str_of(data, "expirationDate"), day, hour))
        json_object_set_new(data, "expirationDay", json_string(day));
    const char *first = str_of(data, "firstName"), *last = str_of(data, "lastName");
    if (first != NULL || last != NULL) {
        char full[512];
        snprintf(full, sizeof full, "%s%s%s", first ? first : "", first && last ? " " : "",
                 last ? last : "");
        json_object_set_new(data, "fullName", json_string(full));
    }
    json_t *q = json_object_get(data, "quantity");
    if (json_is_integer(q) && json_integer_value(q) > 1)
        json_object_set_new(data, "isDuo", json_true());
    const char *reason = str_of(data, "reason");
    if (reason != NULL) {
        static const struct {
            const char *code, *flag;
        } reasons[] = {{"BENEFICIARY", "byBeneficiary"},
                       {"OFFERER", "byOfferer"},
                       {"FRAUD", "byFraud"},
                       {"EXPIRED", "byExpiry"}};
        for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++)
            if (strcmp(reason, reasons[i].code) == 0)
                json_object_set_new(data, reasons[i].flag, json_true());
    }
    json_t *days = json_object_get(data, "withdrawalDays");
    if (json_is_integer(days) && json_integer_value(days) == 10)
        json_object_set_new(data, "isBook", json_true());
}

/* "VENUE_NEW_BOOKING" → "venue_new_booking"; false when the kind has other characters. */
static bool template_base(const char *kind, char *out, size_t cap)
{
    size_t n = strlen(kind);
    if (n == 0 || n + 1 > cap)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = kind[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
            return false;
        out[i] = (char)tolower((unsigned char)c);
    }
    out[n] = '\0';
    return true;
}

/* Stable across retries, unique per row: "<id>.<16 hex of a hash of the row>@<domain>". */
static void message_id(const struct pp_mailer *m, const struct pp_outbox_email *e,
                       char *out, size_t cap)
{
    unsigned char h[8];
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, sizeof h);
    char head[64];
    int n = snprintf(head, sizeof head, "%lld:%lld:", (long long)e->id, (long long)e->created_at);
    crypto_generichash_update(&st, (const unsigned char *)head, (size_t)n);
    crypto_generichash_update(&st, (const unsigned char *)e->kind, strlen(e->kind));
    crypto_generichash_update(&st, (const unsigned char *)e->to, strlen(e->to));
    crypto_generichash_update(&st, (const unsigned char *)e->payload, strlen(e->payload));
    crypto_generichash_final(&st, h, sizeof h);
    char hex[17];
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    snprintf(out, cap, "%lld.%s@%s", (long long)e->id, hex, m->from_domain);
}

enum pp_err pp_mailer_render(struct pp_mailer *m, const struct pp_outbox_email *e, int64_t now,
                             char **out, size_t *len, char *err, size_t errcap)
{
    char base[80], name[128];
    if (!template_base(e->kind, base, sizeof base - 16)) {
        snprintf(err, errcap, "type de courriel inconnu : %.60s", e->kind);
        return PP_EINVAL;
    }
    json_error_t jerr;
    json_t *data = json_loads(e->payload ? e->payload : "", 0, &jerr);
    if (!json_is_object(data)) {
        json_decref(data);
        snprintf(err, errcap, "données du courriel illisibles (%s)", jerr.text);
        return PP_EINVAL;
    }
    enrich(data, m, e->kind);

    /* The beneficiary, by name, where the email is about them. */
    const char *ben_email = str_of(data, "email");
    const char *ben_name = str_of(data, "fullName");
    const char *reply = e->reply_to;
    /* The venue answers the beneficiary: their booking and their cancellation (RULES §5). */
    if (reply == NULL && strcmp(e->kind, "VENUE_BOOKING_CANCELLED_BY_BENEFICIARY") == 0 &&
        pp_email_is_valid(ben_email))
        reply = ben_email;
    if (reply != NULL && ben_email != NULL && strcasecmp(ben_email, reply) == 0)
        json_object_set_new(data, "canReply", json_true());

    const char *terr = NULL;
    snprintf(name, sizeof name, "%s.subject.txt", base);
    char *subject = pp_template_render_text(m->templates, name, data, &terr);
    snprintf(name, sizeof name, "%s.txt", base);
    char *text = subject ? pp_template_render_text(m->templates, name, data, &terr) : NULL;
    snprintf(name, sizeof name, "%s.html", base);
    char *html = text ? pp_template_render(m->templates, name, data, &terr) : NULL;
    enum pp_err rc = PP_OK;
    if (html == NULL) {
        snprintf(err, errcap, "modèle %s du courriel %s : %s", name, e->kind,
                 terr ? terr : "introuvable");
        rc = PP_EINVAL;
    }
    struct pp_mail mail = {
        .from = {m->from_name, m->from_email},
        .to = {NULL, e->to},
        .subject = subject,
        .text = text,
        .html = html,
        .date = now,
        .kind = e->kind,
        .outbox_id = e->id,
    };
    if (ben_email != NULL && strcasecmp(ben_email, e->to) == 0)
        mail.to.name = ben_name;
    if (reply != NULL) {
        mail.reply_to.email = reply;
        if (ben_email != NULL && strcasecmp(ben_email, reply) == 0)
            mail.reply_to.name = ben_name;
    }
    char mid[320];
    message_id(m, e, mid, sizeof mid);
    mail.message_id = mid;
    if (rc == PP_OK) {
        const char *why = NULL;
        if (pp_mail_compose(&mail, out, len, &why) != PP_OK) {
            snprintf(err, errcap, "%s", why ? why : "message invalide");
            rc = PP_EINVAL;
        }
    }
    free(subject);
    free(text);
    free(html);
    json_decref(data);
    return rc;
}

/* ------------------------------------------------------------------ the worker */

static void log_failure(const struct pp_outbox_email *e, const char *what, const char *err)
{
    fprintf(stderr, "passpro: courriel %lld (%s) %s : %s\n", (long long)e->id, e->kind, what,
            err);
}

enum pp_err pp_mailer_deliver(struct pp_mailer *m, struct pp_db *db, int64_t now,
                              struct pp_delivery_stats *stats)
{
    struct pp_delivery_stats local = {0};
    if (stats == NULL)
        stats = &local;
    memset(stats, 0, sizeof *stats);
    pthread_mutex_lock(&m->lock);
    pp_mail_transport_begin(m->transport);
    enum pp_err rc = PP_OK;
    bool unavailable = false;
    char down[512] = "";
    while (rc == PP_OK && !unavailable && !atomic_load(&m->stopping)) {
        struct pp_arena *a = pp_arena_new();
        struct pp_outbox_email *items;
        size_t n;
        rc = pp_outbox_claim(db, a, now, CLAIM_BATCH, &items, &n);
        for (size_t i = 0; i < n && rc == PP_OK; i++) {
            const struct pp_outbox_email *e = &items[i];
            char err[512] = "";
            int64_t t = pp_clock_now();
            if (atomic_load(&m->stopping)) {
                rc = pp_outbox_release(db, e->id, e->attempts, t);
                continue;
            }
            if (unavailable) {
                /* Not tried: the transport is down; the row waits its back-off like the
                 * one that found it down. */
                bool gave_up = false;
                rc = pp_outbox_mark_failed(db, e->id, e->attempts, t, down, false, &gave_up);
                if (gave_up)
                    stats->failed++;
                else
                    stats->retried++;
                continue;
            }
            char *msg = NULL;
            size_t len = 0;
            if (pp_mailer_render(m, e, t, &msg, &len, err, sizeof err) != PP_OK) {
                log_failure(e, "impossible à composer", err);
                rc = pp_outbox_mark_failed(db, e->id, e->attempts, t, err, true, NULL);
                stats->failed++;
                continue;
            }
            enum pp_send_result r = pp_mail_transport_send(m->transport, e->id, m->from_email,
                                                           e->to, msg, len, err, sizeof err);
            free(msg);
            t = pp_clock_now();
            if (r == PP_SEND_OK) {
                rc = pp_outbox_mark_sent(db, e->id, e->attempts, t);
                stats->sent++;
                continue;
            }
            bool gave_up = false;
            rc = pp_outbox_mark_failed(db, e->id, e->attempts, t, err, r == PP_SEND_PERMANENT,
                                       &gave_up);
            if (gave_up) {
                log_failure(e, "abandonné", err);
                stats->failed++;
            } else {
                stats->retried++;
            }
            if (r == PP_SEND_UNAVAILABLE) {
                unavailable = true;
                snprintf(down, sizeof down, "%s", err);
                fprintf(stderr, "passpro: envoi des courriels suspendu (%s) : %s\n",
                        pp_mail_transport_describe(m->transport), err);
            }
        }
        pp_arena_free(a);
        if (n == 0)
            break;
    }
    pp_mail_transport_end(m->transport);
    pthread_mutex_unlock(&m->lock);
    return rc;
}
