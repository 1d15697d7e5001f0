#include "domain/authz.h"


#include "db/db.h"

bool pp_authz_is_admin(const struct pp_user *user)
{
    return user->role_code == PP_ROLE_ADMIN;
}

enum pp_err pp_authz_offerer(struct pp_db *db, const struct pp_user *user, int64_t offerer_id)
{
    if (user->id <= 0 || offerer_id <= 0)
        return PP_ENOTFOUND;
    /* Admins reach structures through back-office routes; pro routes refuse them earlier. */
    if (pp_authz_is_admin(user))
        return pp_db_query_int(db, NULL, "SELECT 1 FROM offerer WHERE id = ?", 1, offerer_id);
    return pp_db_query_int(db, NULL,
                           "SELECT 1 FROM user_offerer WHERE account_id = ? AND offerer_id = ?"
                           " AND status = 'VALIDATED'",
                           2, user->id, offerer_id);
}

enum pp_err pp_authz_venue(struct pp_db *db, const struct pp_user *user, int64_t venue_id,
                           int64_t *offerer_id)
{
    int64_t owner = 0;
    if (user->id <= 0 || venue_id <= 0)
        return PP_ENOTFOUND;
    enum pp_err rc =
        pp_db_query_int(db, &owner, "SELECT offerer_id FROM venue WHERE id = ?", 1, venue_id);
    if (rc != PP_OK)
        return rc;
    rc = pp_authz_offerer(db, user, owner);
    if (rc == PP_OK && offerer_id != NULL)
        *offerer_id = owner;
    return rc;
}

enum pp_err pp_authz_offer(struct pp_db *db, const struct pp_user *user, int64_t offer_id)
{
    int64_t venue_id = 0;
    if (user->id <= 0 || offer_id <= 0)
        return PP_ENOTFOUND;
    enum pp_err rc =
        pp_db_query_int(db, &venue_id, "SELECT venue_id FROM offer WHERE id = ?", 1, offer_id);
    return rc == PP_OK ? pp_authz_venue(db, user, venue_id, NULL) : rc;
}

enum pp_err pp_authz_stock(struct pp_db *db, const struct pp_user *user, int64_t stock_id,
                           int64_t *offer_id)
{
    int64_t owner = 0;
    if (user->id <= 0 || stock_id <= 0)
        return PP_ENOTFOUND;
    enum pp_err rc = pp_db_query_int(
        db, &owner, "SELECT offer_id FROM stock WHERE id = ? AND is_deleted = 0", 1, stock_id);
    if (rc == PP_OK)
        rc = pp_authz_offer(db, user, owner);
    if (rc == PP_OK && offer_id != NULL)
        *offer_id = owner;
    return rc;
}

enum pp_err pp_authz_bank_account(struct pp_db *db, const struct pp_user *user,
                                  int64_t bank_account_id, int64_t *offerer_id)
{
    int64_t owner = 0;
    enum pp_err rc = pp_db_query_int(db, &owner, "SELECT offerer_id FROM bank_account WHERE id = ?",
                                     1, bank_account_id);
    if (rc == PP_OK)
        rc = pp_authz_offerer(db, user, owner);
    if (rc == PP_OK && offerer_id != NULL)
        *offerer_id = owner;
    return rc;
}
