#ifndef PP_MAIL_DELIVERY_H
#define PP_MAIL_DELIVERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

struct pp_db;
struct pp_outbox_email;

/**
 * The delivery worker: claims due outbox rows (domain/outbox.h), renders each from the
 * templates of its kind (src/mail/templates/<kind>.subject.txt, .txt and .html, embedded in
 * the binary), composes the RFC 5322 message (mail/message.h) and hands it to the transport
 * (mail/transport.h), then records the outcome. `serve` runs it every 2 s from a thread of
 * its own; `passpro jobs run` and POST /api/test/jobs/run run it once (jobs/jobs.h).
 * Mechanism and reasons: docs/mail.md.
 */

struct pp_mailer;

/** Configuration; strings are copied. Exactly one of @mail_dir and @smtp_url is set. */
struct pp_mailer_config {
    const char *mail_dir;      /**< --mail-dir: files DIR/<id>.eml */
    const char *smtp_url;      /**< --smtp: smtp://host:port or smtps://host:port */
    bool smtp_starttls;        /**< --smtp-starttls: require STARTTLS on smtp:// */
    const char *smtp_user;     /**< from PASSPRO_SMTP_USER; NULL: no authentication */
    const char *smtp_password; /**< from PASSPRO_SMTP_PASSWORD(_FILE) */
    const char *from;          /**< "Nom <adresse>" or an address; NULL: PP_MAIL_DEFAULT_FROM */
    const char *base_url;      /**< links in emails ("http://127.0.0.1:8080"); may be set later */
};

/** The sender when none is configured. */
#define PP_MAIL_DEFAULT_FROM "passpro <no-reply@passpro.localhost>"

/**
 * New mailer, or NULL with one French sentence in @msg (bad sender address, bad SMTP URL, mail
 * folder that cannot be created). Free with pp_mailer_free().
 */
struct pp_mailer *pp_mailer_new(const struct pp_mailer_config *cfg, char *msg, size_t cap);

/** Frees @m. NULL is accepted. */
void pp_mailer_free(struct pp_mailer *m);

/**
 * Asks the runs of @m to stop soon (server shutdown): a run in progress finishes the message
 * it is sending, gives the rest of its claimed rows back untried, and claims no more.
 * Thread-safe; permanent for @m.
 */
void pp_mailer_stop(struct pp_mailer *m);

/** Sets the base URL of links (before any delivery runs: not synchronized). */
void pp_mailer_set_base_url(struct pp_mailer *m, const char *base_url);

/** "dossier var/mail" or "SMTP smtp://..." for the start-up banner. */
const char *pp_mailer_describe(const struct pp_mailer *m);

/** What one run did. */
struct pp_delivery_stats {
    int64_t sent;    /**< delivered */
    int64_t retried; /**< failed for now, PENDING again with a back-off */
    int64_t failed;  /**< FAILED: permanent error or retries exhausted */
};

/**
 * Delivers every row due at @now (claims of 50 rows until none is left), through @db. Runs of
 * one mailer are serialized by a lock; several processes may run at once on one database (the
 * claims keep each email to one of them). Stops early when the transport is unavailable (the
 * rows claimed then wait their back-off). @stats may be NULL. PP_EDB on a database failure.
 */
enum pp_err pp_mailer_deliver(struct pp_mailer *m, struct pp_db *db, int64_t now,
                              struct pp_delivery_stats *stats);

/**
 * Renders outbox row @e as the complete message that would be sent at @now: malloc'd in
 * *@out (the caller frees), its length in *@len. On failure (unknown kind, unreadable
 * payload, invalid address) returns PP_EINVAL with a French sentence in @err: such a row can
 * never be sent.
 */
enum pp_err pp_mailer_render(struct pp_mailer *m, const struct pp_outbox_email *e, int64_t now,
                             char **out, size_t *len, char *err, size_t errcap);

#endif
