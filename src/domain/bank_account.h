#ifndef PP_DOMAIN_BANK_ACCOUNT_H
#define PP_DOMAIN_BANK_ACCOUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/status.h"

struct pp_db;
struct pp_arena;

/**
 * Bank accounts of a structure (RULES §8): label + IBAN, DRAFT until the back office accepts
 * (ACCEPTED) or refuses (REFUSED) it. An account pays the venues linked to it; a venue has at
 * most one account at a time, and the links keep their history so that a run pays the
 * account that was linked at its cut-off. Callers check access (domain/authz.c) first.
 */

#define PP_BANK_LABEL_MAX 100

struct pp_bank_account {
    int64_t id;
    int64_t offerer_id;
    const char *label;
    const char *iban;        /**< normalised, whole: show it masked except to the back office */
    const char *status;      /**< DRAFT, ACCEPTED, REFUSED */
    enum pp_bank_status status_code; /**< @status, parsed */
    int64_t created_at;
    int64_t decided_at;      /**< 0 while DRAFT */
    const char *offerer_name;
    int64_t *venue_ids;      /**< venues linked now (in the arena) */
    size_t nvenues;
};

/**
 * Creates a DRAFT account of @offerer_id by @author_id. PP_EVALIDATION with the field
 * ("label", "iban") and a French message for a missing label, a label over 100 characters,
 * or an IBAN that fails ISO 13616.
 */
enum pp_err pp_bank_account_create(struct pp_db *db, int64_t author_id, int64_t offerer_id,
                                   const char *label, const char *iban, int64_t *id,
                                   struct pp_error *e);

/** The account @id with its current venues, strings in @arena. PP_ENOTFOUND. */
enum pp_err pp_bank_account_get(struct pp_db *db, struct pp_arena *arena, int64_t id,
                                struct pp_bank_account *out);

/**
 * The accounts of @offerer_id (every structure's when 0) whose status is @status (any when
 * NULL), newest first, with their current venues. Arrays and strings in @arena.
 */
enum pp_err pp_bank_account_list(struct pp_db *db, struct pp_arena *arena, int64_t offerer_id,
                                 const char *status, struct pp_bank_account **items,
                                 size_t *count);

/**
 * Back office: accepts (@accept) or refuses the DRAFT account @id; accepting emails the
 * structure's members. PP_ENOTFOUND; PP_ECONFLICT when the account is not DRAFT any more.
 */
enum pp_err pp_bank_account_decide(struct pp_db *db, int64_t admin_id, int64_t id, bool accept);

/**
 * Makes @venue_ids (@n of them, the full list) the venues of account @id: links start now for
 * new ones, and end now for venues left out. PP_EVALIDATION ("venueIds") for a venue of
 * another structure, a venue already linked to another account, or a refused account.
 */
enum pp_err pp_bank_account_link_venues(struct pp_db *db, int64_t author_id, int64_t id,
                                        const int64_t *venue_ids, size_t n, struct pp_error *e);


#endif
