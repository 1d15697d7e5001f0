#ifndef PP_DOMAIN_AUDIT_H
#define PP_DOMAIN_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/status.h"

struct pp_db;
struct pp_arena;

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

/** One entry of the audit log, with its author's account when there is one. */
struct pp_audit_entry {
    int64_t id;
    int64_t at;                 /**< Unix seconds (UTC) */
    int64_t account_id;         /**< 0 for none (jobs) */
    const char *account_email;  /**< NULL when account_id is 0 */
    const char *account_first_name, *account_last_name;
    const char *account_role;   /**< "PRO", "BENEFICIARY", "UNDERAGE", "ADMIN" or NULL */
    enum pp_role account_role_code; /**< @account_role, parsed (PP_ROLE_NONE for NULL) */
    const char *channel;        /**< PP_CHANNEL_* */
    const char *action;         /**< "BOOKING_USED", "OFFER_PUBLISHED"... */
    const char *object_type;    /**< "booking", "offer", "offerer", "account"... */
    int64_t object_id;
    const char *detail;         /**< may be NULL */
};

/**
 * Reads the audit log, newest first (insertion order), at most @limit entries (1-500):
 * every entry when @object_type is NULL; else the entries of that type, and of object
 * @object_id only when it is not 0 (a booking's history: "booking", id). Read-only; strings
 * live in @arena. *items is NULL when *count is 0.
 */
enum pp_err pp_audit_list(struct pp_db *db, struct pp_arena *arena, const char *object_type,
                          int64_t object_id, int limit, struct pp_audit_entry **items,
                          size_t *count);

#endif
