#ifndef PP_DOMAIN_OFFERER_H
#define PP_DOMAIN_OFFERER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/status.h"

struct pp_db;
struct pp_arena;

/**
 * Structures ("offerers", a SIREN) and the attachments of pro accounts to them (RULES §1,
 * SPEC §3). Strings of returned structs live in the caller's arena.
 */

struct pp_offerer {
    int64_t id;
    const char *siren;
    const char *name;
    const char *street;
    const char *postal_code;
    const char *city;
    const char *status;            /**< NEW, PENDING, VALIDATED, REJECTED, CLOSED */
    int is_local_authority;        /**< APE 84.11Z: tagged "Collectivité" */
    int64_t created_at;
    int64_t attachment_id;         /**< the caller's attachment, in lists for an account */
    const char *attachment_status; /**< NEW, PENDING, VALIDATED, REJECTED */
    enum pp_validation status_code;            /**< @status, parsed */
    enum pp_validation attachment_status_code; /**< @attachment_status, parsed */
};

struct pp_offerer_signup {
    const char *siret;       /**< 14 digits, spaces allowed */
    const char *name;        /**< optional: "Structure <SIREN>" when absent */
    const char *street;      /**< optional */
    const char *postal_code; /**< optional, 5 digits when given */
    const char *city;        /**< optional */
    const char *ape_code;    /**< optional; "84.11Z" marks a local authority */
};

struct pp_offerer_registration {
    struct pp_offerer offerer;
    int64_t venue_id;
    const char *venue_siret;
    int64_t attachment_id;
    const char *attachment_status;
    enum pp_validation attachment_status_code;
};

/**
 * Registers @account_id on the SIREN of @in->siret, in one transaction:
 * - unknown SIREN: the offerer (NEW), its first venue with that SIRET, the caller attached
 *   VALIDATED;
 * - known SIREN (a local authority's account, say): an attachment request NEW for the back
 *   office, plus a venue when the SIRET is new;
 * - the caller already attached (not rejected) to that SIREN: PP_ECONFLICT.
 * Bad SIRET or fields: PP_EVALIDATION. Audit entries OFFERER_NEW / USER_OFFERER_NEW.
 */
enum pp_err pp_offerer_register(struct pp_db *db, struct pp_arena *arena, int64_t account_id,
                                const char *account_email, const struct pp_offerer_signup *in,
                                struct pp_offerer_registration *out, struct pp_error *e);

/** Every structure @account_id is attached to, whatever the attachment's status, by name. */
enum pp_err pp_offerer_list_for_account(struct pp_db *db, struct pp_arena *arena,
                                        int64_t account_id, struct pp_offerer **items,
                                        size_t *count);

/** Structures in @status (back office lists), oldest first, at most @limit. */
enum pp_err pp_offerer_list_by_status(struct pp_db *db, struct pp_arena *arena,
                                      const char *status, int limit, struct pp_offerer **items,
                                      size_t *count);

/** Loads structure @id; PP_ENOTFOUND when unknown. */
enum pp_err pp_offerer_get(struct pp_db *db, struct pp_arena *arena, int64_t id,
                           struct pp_offerer *out);

/**
 * Back-office decision on a structure: @validate true → VALIDATED, false → REJECTED (and its
 * pending attachments rejected). PP_ENOTFOUND when unknown. Audited with @admin_id.
 */
enum pp_err pp_offerer_decide(struct pp_db *db, int64_t admin_id, int64_t offerer_id,
                              bool validate, const char **new_status);

/** An attachment request with who asked, for the back office. */
struct pp_attachment {
    int64_t id;
    int64_t account_id;
    const char *account_email;
    const char *account_name;
    int64_t offerer_id;
    const char *offerer_name;
    const char *siren;
    const char *status;
    int64_t created_at;
};

/** Attachment requests in @status, oldest first, at most @limit. */
enum pp_err pp_attachment_list_by_status(struct pp_db *db, struct pp_arena *arena,
                                         const char *status, int limit,
                                         struct pp_attachment **items, size_t *count);

/** Back-office decision on an attachment request (VALIDATED / REJECTED). */
enum pp_err pp_attachment_decide(struct pp_db *db, int64_t admin_id, int64_t attachment_id,
                                 bool validate, const char **new_status);

#endif
