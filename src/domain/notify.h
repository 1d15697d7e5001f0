#ifndef PP_DOMAIN_NOTIFY_H
#define PP_DOMAIN_NOTIFY_H

#include <jansson.h>
#include <stdint.h>

#include "core/error.h"

struct pp_db;

/**
 * Emails for a structure as a whole (a bank account accepted, an invoice available): one
 * outbox row per VALIDATED member of @offerer_id, each with a copy of @payload plus the
 * member's "firstName". Inside the caller's transaction. The reference to @payload is stolen.
 */
enum pp_err pp_notify_members(struct pp_db *db, int64_t offerer_id, const char *kind,
                              json_t *payload);

#endif
