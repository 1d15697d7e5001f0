#ifndef PP_DOMAIN_AUTHZ_H
#define PP_DOMAIN_AUTHZ_H

#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"
#include "domain/account.h"

struct pp_db;

/**
 * The one place that decides whether a caller may see an object. A pro sees what belongs to
 * structures where its attachment is VALIDATED; an admin sees everything; anything else is
 * PP_ENOTFOUND, exactly like an unknown id, so that existence never leaks.
 */

/** True for a back-office account. */
bool pp_authz_is_admin(const struct pp_user *user);

/** PP_OK when @user may act on structure @offerer_id, else PP_ENOTFOUND (or PP_EDB). */
enum pp_err pp_authz_offerer(struct pp_db *db, const struct pp_user *user, int64_t offerer_id);

/**
 * PP_OK when @user may act on venue @venue_id (through its structure); *offerer_id receives
 * the venue's structure when not NULL.
 */
enum pp_err pp_authz_venue(struct pp_db *db, const struct pp_user *user, int64_t venue_id,
                           int64_t *offerer_id);

/**
 * PP_OK when @user may act on bank account @bank_account_id (through its structure);
 * *offerer_id receives the account's structure when not NULL.
 */
enum pp_err pp_authz_bank_account(struct pp_db *db, const struct pp_user *user,
                                  int64_t bank_account_id, int64_t *offerer_id);

/** PP_OK when @user may act on offer @offer_id (through its venue's structure). */
enum pp_err pp_authz_offer(struct pp_db *db, const struct pp_user *user, int64_t offer_id);

/** PP_OK when @user may act on stock @stock_id; *offer_id receives its offer when not NULL. */
enum pp_err pp_authz_stock(struct pp_db *db, const struct pp_user *user, int64_t stock_id,
                           int64_t *offer_id);

#endif
