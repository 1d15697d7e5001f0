#ifndef PP_DOMAIN_GUICHET_H
#define PP_DOMAIN_GUICHET_H

#include <stdint.h>

#include "core/error.h"
#include "domain/api_key.h"
#include "domain/booking.h"

struct pp_db;
struct pp_arena;

/**
 * The counter ("Guichet", RULES §4): look up a countermark, validate it ("use"), undo a
 * validation ("keep"), cancel it from ticketing software. Refusals are reason codes (like
 * pretix's check-in reasons); each caller turns them into its own words: French on the
 * portal, pass Culture's English messages on the partner API.
 */

enum pp_guichet_reason {
    PP_GUICHET_OK,
    PP_GUICHET_NOT_FOUND,      /**< unknown, or another structure's: the same answer */
    PP_GUICHET_REIMBURSED,
    PP_GUICHET_ALREADY_USED,
    PP_GUICHET_CANCELLED,
    PP_GUICHET_TOO_EARLY,      /**< an event inside its cancellation window */
    PP_GUICHET_NOT_USED,       /**< keep: the booking is not validated */
    PP_GUICHET_HAS_CODE,       /**< keep: activation-code bookings stay used */
    PP_GUICHET_TOO_LATE,       /**< cancel: an event past its cancellation limit */
    PP_GUICHET_THROTTLED,      /**< too many unknown countermarks tried */
};

/** Who is at the counter: a pro (account) or partner software (a structure's API key). */
struct pp_guichet_actor {
    int64_t account_id;        /**< the pro, or 0 */
    int64_t offerer_id;        /**< the API key's structure, or 0 */
    const char *channel;       /**< PP_CHANNEL_PORTAL or PP_CHANNEL_API */
    const char *key_prefix;    /**< for the audit log, API only */
};

/** Result of an operation: the reason and, for TOO_EARLY, from when it will be possible. */
struct pp_guichet_result {
    enum pp_guichet_reason reason;
    int64_t usable_from;
    struct pp_booking booking; /**< filled when the countermark was found */
};

/**
 * The contract every counter operation shares, so that a caller (the portal, the partner API)
 * can take any of them as a value: the countermark @input (typed or scanned, any case,
 * "PASSCULTURE:v3;TOKEN:XXXXXX") looked up among the bookings @actor may see, the outcome in
 * @out (strings in @arena). PP_EINVAL when @input is not a countermark at all (wrong length or
 * alphabet).
 */
typedef enum pp_err pp_guichet_op(struct pp_db *db, struct pp_arena *arena,
                                  const struct pp_guichet_actor *actor, const char *input,
                                  struct pp_guichet_result *out);

/** Finds the countermark and says whether it could be validated now. */
pp_guichet_op pp_guichet_check;

/** Validates the countermark (USED, author OFFERER), audited with the actor's channel. */
pp_guichet_op pp_guichet_use;

/** Undoes a validation (USED → CONFIRMED) when not reimbursed and without activation code. */
pp_guichet_op pp_guichet_keep;

/**
 * Cancels the booking (reason OFFERER) from partner software: not used nor reimbursed, and
 * for events not past the cancellation limit.
 */
pp_guichet_op pp_guichet_cancel;

/**
 * Creates an API key for structure @offerer_id on behalf of pro @account_id (the caller checked
 * the structure is the pro's), audited API_KEY_CREATED, in one transaction. *key receives the
 * whole key (in @arena), to show once; @out its stored part. Errors of pp_api_key_create
 * (PP_EFORBIDDEN for a structure not yet VALIDATED, PP_EVALIDATION past 20 live keys, in @e),
 * PP_EDB.
 */
enum pp_err pp_guichet_api_key_create(struct pp_db *db, struct pp_arena *arena,
                                      int64_t offerer_id, int64_t account_id, const char **key,
                                      struct pp_api_key *out, struct pp_error *e);

/**
 * Revokes key @key_id of structure @offerer_id on behalf of pro @account_id, audited
 * API_KEY_REVOKED, in one transaction. PP_ENOTFOUND when it is not one of the structure's live
 * keys, PP_EDB.
 */
enum pp_err pp_guichet_api_key_revoke(struct pp_db *db, int64_t offerer_id, int64_t account_id,
                                      int64_t key_id);

/** "Vous pourrez valider cette contremarque à partir du ..." for @r (in @arena). */
const char *pp_guichet_too_early_message(struct pp_arena *arena,
                                         const struct pp_guichet_result *r);

#endif
