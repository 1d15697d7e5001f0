#ifndef PP_MAIL_MESSAGE_H
#define PP_MAIL_MESSAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

/**
 * RFC 5322 composition of passpro's emails: one multipart/alternative message with a
 * text/plain and a text/html part, UTF-8, quoted-printable, CRLF line ends, every line at
 * most 78 characters. Header values that come from users (names, offer titles) can never
 * inject a header: control characters (CR and LF included) become spaces in free text, and
 * addresses must pass pp_email_is_valid() (which refuses them) or the message is refused.
 * Non-ASCII free text is written as RFC 2047 encoded words (UTF-8, "B").
 */

/** A mailbox: an optional display name (UTF-8, free text) and an address. */
struct pp_mail_addr {
    const char *name;  /**< NULL or "" for none */
    const char *email; /**< NULL for "no such header" where optional (Reply-To) */
};

/** What a message says; every string is borrowed. */
struct pp_mail {
    struct pp_mail_addr from;
    struct pp_mail_addr to;
    struct pp_mail_addr reply_to; /**< email NULL: no Reply-To header */
    const char *subject;          /**< UTF-8 free text */
    const char *text;             /**< UTF-8, LF or CRLF line ends */
    const char *html;             /**< UTF-8 HTML document; NULL for a text-only message */
    const char *message_id;       /**< without angle brackets: "12.3f9a@passpro.localhost" */
    int64_t date;                 /**< Unix seconds; written in Europe/Paris time */
    const char *boundary;         /**< NULL: a random one (tests pass a fixed one) */
    const char *kind;             /**< NULL or the outbox kind, as X-Passpro-Kind */
    int64_t outbox_id;            /**< 0 or the outbox row, as X-Passpro-Outbox-Id */
};

/**
 * Writes @m as an RFC 5322 message into *@out (malloc'd, NUL-terminated; the caller frees)
 * and its length into *@len. Returns PP_EINVAL with a French reason in *@why (static string)
 * when an address or the Message-ID is not acceptable; nothing is allocated then.
 */
enum pp_err pp_mail_compose(const struct pp_mail *m, char **out, size_t *len, const char **why);

/**
 * Free text for a header: every control character (CR, LF, tab...) becomes a space, runs of
 * spaces become one, and the ends are trimmed. Returns a malloc'd string (never NULL; NULL
 * in gives "").
 */
char *pp_mail_header_text(const char *s);

/**
 * The header line "@name: @value" for free text @value (a Subject), folded and encoded as
 * RFC 2047 words when it is not short printable ASCII, ending in CRLF. malloc'd.
 */
char *pp_mail_encode_header(const char *name, const char *value);

/**
 * Quoted-printable encoding (RFC 2045 §6.7) of @text with CRLF line ends; lines of at most
 * 76 characters (soft breaks "=" CRLF); "." and "From " at a line start are encoded too, so
 * that no transport alters them. malloc'd, length in *@len.
 */
char *pp_mail_qp_encode(const char *text, size_t *len);

/**
 * Parses a configured sender such as "passpro <no-reply@passpro.localhost>" or a bare
 * address into @name (may come out empty) and @email; false when the address is not valid.
 */
bool pp_mail_addr_parse(const char *s, char *name, size_t name_cap, char *email,
                        size_t email_cap);

/** "Thu, 26 Nov 2026 16:54:43 +0100": RFC 5322 date of @t in Europe/Paris time. */
void pp_mail_date(int64_t t, char buf[40]);

#endif
