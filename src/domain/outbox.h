#ifndef PP_DOMAIN_OUTBOX_H
#define PP_DOMAIN_OUTBOX_H

#include <jansson.h>

#include "core/error.h"

struct pp_db;

/**
 * The outbox of emails (RULES §5): a row is written in the transaction of the change that
 * causes the email, so that an email exists if and only if its change committed. A delivery
 * worker renders and sends them (mail issue).
 */

/**
 * Queues email @kind ("VENUE_NEW_BOOKING"...) to @to (nothing when @to is NULL or empty: a
 * venue without booking email gets nothing, and that is not an error), with @reply_to (may
 * be NULL) and the template data @payload (the reference is stolen).
 */
enum pp_err pp_outbox_add(struct pp_db *db, const char *kind, const char *to,
                          const char *reply_to, json_t *payload);

#endif
