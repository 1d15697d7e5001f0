#ifndef PP_MAIL_TRANSPORT_H
#define PP_MAIL_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/**
 * Where composed messages go: a folder of .eml files (--mail-dir, demo and tests) or an SMTP
 * server through libcurl (--smtp). A transport is long-lived (pp_mail_transport_free); one
 * delivery run at a time uses it: open a session, send, close (the SMTP connection is reused
 * for every message of the session).
 */

struct pp_mail_transport;

/** SMTP settings. Strings are copied. */
struct pp_smtp_config {
    const char *url;      /**< "smtp://host:port" or "smtps://host:port" (implicit TLS) */
    bool starttls;        /**< require STARTTLS on smtp:// */
    const char *user;     /**< NULL: no authentication */
    const char *password; /**< with @user */
    const char *helo;     /**< EHLO name (the sender's domain); NULL: "passpro.localhost" */
    long timeout_s;       /**< whole transfer; 0 → 30 s */
};

/** Outcome of one send. */
enum pp_send_result {
    PP_SEND_OK,        /**< accepted: the message is delivered (or written) */
    PP_SEND_TEMPORARY, /**< this message: try again later (a 4xx answer to it) */
    PP_SEND_UNAVAILABLE, /**< the transport as a whole: try again later, and stop this run
                              (server unreachable, 421, folder not writable...) */
    PP_SEND_PERMANENT, /**< never try again (5xx for this recipient or message) */
};

/** Folder transport: files @dir/<id>.eml, written to a temporary name then renamed. */
struct pp_mail_transport *pp_mail_transport_dir(const char *dir);

/**
 * SMTP transport. Returns NULL with a sentence in @msg when the URL is not smtp:// or
 * smtps://, or carries credentials (they come from the environment, never the command line).
 */
struct pp_mail_transport *pp_mail_transport_smtp(const struct pp_smtp_config *cfg, char *msg,
                                                 size_t cap);

/** Frees @t. NULL is accepted. */
void pp_mail_transport_free(struct pp_mail_transport *t);

/** "dossier var/mail" or "SMTP smtp://127.0.0.1:2525", for logs (static or owned by @t). */
const char *pp_mail_transport_describe(const struct pp_mail_transport *t);

/**
 * Sends message @data (@len bytes, CRLF lines) of outbox row @id from @from to @to. On
 * failure writes one French sentence (with the server's answer) to @err. Not thread-safe:
 * the caller serializes runs. Between pp_mail_transport_begin and _end, SMTP reuses one
 * connection; outside them each send opens its own.
 */
enum pp_send_result pp_mail_transport_send(struct pp_mail_transport *t, int64_t id,
                                           const char *from, const char *to, const char *data,
                                           size_t len, char *err, size_t errcap);

/** Starts a session of sends (SMTP: one curl handle kept between sends). */
void pp_mail_transport_begin(struct pp_mail_transport *t);
/** Ends the session: closes the SMTP connection. */
void pp_mail_transport_end(struct pp_mail_transport *t);

#endif
