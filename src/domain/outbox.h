#ifndef PP_DOMAIN_OUTBOX_H
#define PP_DOMAIN_OUTBOX_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/status.h"

struct pp_db;
struct pp_arena;

/**
 * The outbox of emails (RULES §5): a row is written in the transaction of the change that
 * causes the email, so that an email exists if and only if its change committed. The
 * delivery worker (src/mail/delivery.c) claims due rows, renders and sends them, and marks
 * each SENT, or PENDING again with an exponential back-off, or FAILED. docs/mail.md.
 *
 * Row life: PENDING → SENDING (claimed; next_attempt_at is then the end of the claim's lease)
 * → SENT | PENDING (retry later) | FAILED (permanent error, or retries exhausted after about
 * a day). A SENDING row whose lease ran out (its server died mid-send) is claimed again.
 * `attempts` counts claims; it also tells a claim apart from a later one of the same row, so
 * that a worker whose lease was taken over cannot overwrite the new claim's outcome.
 */

/**
 * Queues email @kind ("VENUE_NEW_BOOKING"...) to @to (nothing when @to is NULL or empty: a
 * venue without booking email gets nothing, and that is not an error), with @reply_to (may
 * be NULL) and the template data @payload (the reference is stolen). The kinds and their
 * payloads are listed in docs/mail.md; each has its templates in src/mail/templates/.
 */
enum pp_err pp_outbox_add(struct pp_db *db, const char *kind, const char *to,
                          const char *reply_to, json_t *payload);

/** Attempts before an email is given up (the last one about 24 h after the first). */
#define PP_OUTBOX_MAX_ATTEMPTS 14
/** How long a claim holds a row: longer than any send (SMTP times out after 30 s). */
#define PP_OUTBOX_LEASE_SECONDS (5 * 60)

/** One outbox row; strings live in the arena given to the function that read it. */
struct pp_outbox_email {
    int64_t id;
    int64_t created_at;
    const char *kind;
    const char *to;
    const char *reply_to;   /**< NULL when none */
    const char *payload;    /**< JSON text */
    const char *status;     /**< PENDING, SENDING, SENT, FAILED */
    enum pp_outbox_status status_code; /**< @status, parsed */
    int64_t attempts;
    int64_t next_attempt_at;
    const char *last_error; /**< NULL when none */
    int64_t sent_at;        /**< 0 until sent */
};

/**
 * Seconds to wait after the @attempts-th failed attempt: 1 min, 2, 4 ... 128 min, then 4 h
 * each time; 0 once @attempts reaches PP_OUTBOX_MAX_ATTEMPTS (give up). Pure.
 */
int64_t pp_outbox_backoff(int64_t attempts);

/**
 * Claims at most @limit due rows at once (one conditional UPDATE in one transaction): rows
 * PENDING with next_attempt_at <= @now, and rows SENDING whose lease ended, become SENDING
 * with attempts + 1 and a lease to @now + PP_OUTBOX_LEASE_SECONDS. Two workers, in one
 * process or several on one database, never claim the same row. Rows whose lease ended on
 * their last attempt are marked FAILED. The claimed rows go to *@items (in @arena).
 */
enum pp_err pp_outbox_claim(struct pp_db *db, struct pp_arena *arena, int64_t now, int limit,
                            struct pp_outbox_email **items, size_t *count);

/** Marks claimed row @id (claim @attempts) SENT at @now. A lost claim changes nothing. */
enum pp_err pp_outbox_mark_sent(struct pp_db *db, int64_t id, int64_t attempts, int64_t now);

/**
 * Records a failed attempt of claimed row @id with @error (one sentence, kept as last_error):
 * FAILED when @permanent or when retries are exhausted (*@gave_up true), else PENDING again at
 * @now + pp_outbox_backoff(@attempts). @gave_up may be NULL.
 */
enum pp_err pp_outbox_mark_failed(struct pp_db *db, int64_t id, int64_t attempts, int64_t now,
                                  const char *error, bool permanent, bool *gave_up);

/**
 * Gives claimed row @id (claim @attempts) back untried, PENDING at @at, the claim not counted:
 * its worker is stopping before it reached the row.
 */
enum pp_err pp_outbox_release(struct pp_db *db, int64_t id, int64_t attempts, int64_t at);

/**
 * The back office's lists: rows of @status ("PENDING" also lists SENDING ones, soonest
 * first; "SENT" and "FAILED" newest first), at most @limit, in @arena.
 */
enum pp_err pp_outbox_list(struct pp_db *db, struct pp_arena *arena, const char *status,
                           int limit, struct pp_outbox_email **items, size_t *count);

/** Row @id, or PP_ENOTFOUND. */
enum pp_err pp_outbox_get(struct pp_db *db, struct pp_arena *arena, int64_t id,
                          struct pp_outbox_email *out);

/** Number of rows per status. */
struct pp_outbox_counts {
    int64_t pending, sending, sent, failed;
};
enum pp_err pp_outbox_count(struct pp_db *db, struct pp_outbox_counts *out);

/**
 * Sends FAILED row @id again (the back office's "Renvoyer", by admin @admin_id, audited):
 * PENDING at once with its attempts reset. PP_ENOTFOUND for an unknown row, PP_ECONFLICT for a
 * row that is not FAILED.
 */
enum pp_err pp_outbox_resend(struct pp_db *db, int64_t admin_id, int64_t id, int64_t now);

#endif
