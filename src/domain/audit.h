#ifndef PP_DOMAIN_AUDIT_H
#define PP_DOMAIN_AUDIT_H

#include <stdint.h>

#include "core/error.h"

struct pp_db;

/** Channels of the audit log. */
#define PP_CHANNEL_PORTAL "PORTAL"
#define PP_CHANNEL_API "API"
#define PP_CHANNEL_BACKOFFICE "BACKOFFICE"
#define PP_CHANNEL_JOB "AUTO"

/**
 * Appends one entry to the append-only audit log, inside the caller's transaction.
 * @account_id 0 for none (jobs); @detail may be NULL.
 */
enum pp_err pp_audit_log(struct pp_db *db, int64_t account_id, const char *channel,
                         const char *action, const char *object_type, int64_t object_id,
                         const char *detail);

#endif
