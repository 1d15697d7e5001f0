#ifndef PP_DOMAIN_ADAGE_APPLICATION_H
#define PP_DOMAIN_ADAGE_APPLICATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

struct pp_db;
struct pp_arena;

/**
 * Referencing ("Demande de référencement", RULES §10): a structure not referenced for
 * collective offers sends a questionnaire; the back office accepts it (offerer.allowed_on_adage
 * = 1) or declines it with a reason; the structure's members are emailed both ways
 * (ADAGE_ACCEPTED / ADAGE_REJECTED). At most one PENDING request per structure.
 */

#define PP_ADAGE_TEXT_MAX 1000  /**< activity, public */
#define PP_ADAGE_DESCRIPTION_MAX 3000
#define PP_ADAGE_REASON_MAX 1000

struct pp_adage_application_input {
    const char *activity;
    const char *public;
    const char *contact_email;
    const char *contact_phone; /**< may be NULL */
    const char **formats;      /**< EAC formats (domain/collective_policy.h) */
    size_t nformats;
    const char *description;
};

struct pp_adage_application {
    int64_t id;
    int64_t offerer_id;
    const char *offerer_name;
    const char *siren;
    const char *activity;
    const char *public;
    const char *contact_email;
    const char *contact_phone; /**< NULL when none */
    const char *formats;       /**< "A|B" as stored */
    const char *description;
    const char *status;        /**< PENDING, ACCEPTED, REJECTED */
    const char *reason;        /**< the decline's reason, NULL otherwise */
    int64_t created_at;
    int64_t decided_at;        /**< 0 while PENDING */
    bool allowed_on_adage;     /**< the structure's state now */
};

/**
 * Sends the request of structure @offerer_id by @account_id (audited). PP_EVALIDATION per
 * field (French messages); PP_ECONFLICT ("global") when a request is already pending or the
 * structure is already referenced. *id receives the new request.
 */
enum pp_err pp_adage_application_create(struct pp_db *db, int64_t account_id,
                                        int64_t offerer_id,
                                        const struct pp_adage_application_input *in, int64_t *id,
                                        struct pp_error *e);

/** The latest request of @offerer_id; PP_ENOTFOUND when it never sent one. */
enum pp_err pp_adage_application_latest(struct pp_db *db, struct pp_arena *arena,
                                        int64_t offerer_id, struct pp_adage_application *out);

/** The PENDING requests, oldest first (the back office's queue). */
enum pp_err pp_adage_application_pending(struct pp_db *db, struct pp_arena *arena,
                                         struct pp_adage_application **items, size_t *count);

/**
 * Back office (@admin_id, audited): references structure @offerer_id (@accept) or not, with
 * @reason (required when declining: PP_EVALIDATION "reason"); its pending request, if any, is
 * ACCEPTED or REJECTED; every VALIDATED member is emailed. PP_ENOTFOUND for an unknown
 * structure.
 */
enum pp_err pp_adage_application_decide(struct pp_db *db, int64_t admin_id, int64_t offerer_id,
                                        bool accept, const char *reason, struct pp_error *e);

/** *allowed: whether structure @offerer_id is referenced. PP_ENOTFOUND when unknown. */
enum pp_err pp_adage_offerer_allowed(struct pp_db *db, int64_t offerer_id, bool *allowed);

#endif
