#include "core/booking_check.h"

#include <string.h>

#define DAY 86400

enum pp_err pp_booking_check_allowed(const struct pp_bookable *b, int age, bool free_only,
                                     struct pp_error *e)
{
    if (!b->listed)
        return pp_error_set(e, PP_ENOTFOUND, "stockId", "Cette offre n'existe pas.");
    bool free_offer = b->price_cents == 0;
    if (age < 18 &&
        ((!free_offer && !b->sub->minors_paid) || (free_offer && !b->sub->minors_free)))
        return pp_error_set(e, PP_EFORBIDDEN, "global",
                            "Vous n'êtes pas autorisé à réserver cette catégorie d'offre.");
    if (free_only && !free_offer)
        return pp_error_set(e, PP_EFORBIDDEN, "global",
                            "Votre crédit ne permet de réserver que des offres gratuites.");
    return PP_OK;
}

enum pp_err pp_booking_check_places(const struct pp_bookable *b, int64_t quantity, int64_t now,
                                    struct pp_error *e)
{
    if (b->duo && (quantity < 1 || quantity > 2))
        return pp_error_set(e, PP_EVALIDATION, "quantity",
                            "Vous devez réserver une place ou deux dans le cas d'une offre DUO.");
    if (!b->duo && quantity != 1)
        return pp_error_set(e, PP_EVALIDATION, "quantity",
                            "Vous ne pouvez réserver qu'une place pour cette offre.");
    if (!b->active || (b->booking_limit_at != 0 && b->booking_limit_at <= now) ||
        (b->beginning_at != 0 && b->beginning_at <= now))
        return pp_error_set(e, PP_EVALIDATION, "stockId", "Ce stock n'est pas réservable.");
    if (b->quantity >= 0 && b->quantity - b->booked < quantity)
        return pp_error_set(e, PP_ECONFLICT, "stockId",
                            "Il n'y a plus assez de places disponibles pour cette date.");
    if (b->codes_left == 0)
        return pp_error_set(e, PP_EVALIDATION, "stockId",
                            "Ce stock ne contient plus de code d'activation disponible.");
    return PP_OK;
}

enum pp_err pp_booking_check_credit(const struct pp_booking_credit *c, int64_t total,
                                    bool digital, int64_t now, struct pp_error *e)
{
    if (total > 0 && now >= c->expires_at)
        return pp_error_set(e, PP_EVALIDATION, "global", "Votre crédit pass Culture a expiré.");
    if (total > c->balance_cents)
        return pp_error_set(e, PP_EVALIDATION, "global",
                            "Le solde de votre pass est insuffisant pour réserver cette offre.");
    if (digital && c->digital_remaining_cents >= 0 && total > c->digital_remaining_cents)
        return pp_error_set(e, PP_EVALIDATION, "global",
                            "Le plafond de 100 € pour les offres numériques ne vous permet pas "
                            "de réserver cette offre.");
    return PP_OK;
}

bool pp_booking_check_used_at_booking(const struct pp_bookable *b)
{
    return b->codes_left > 0 || (b->price_cents == 0 && b->sub->used_at_booking_when_free);
}

static const char already_cancelled[] = "Cette réservation a déjà été annulée.";

enum pp_err pp_booking_check_cancel_by_beneficiary(enum pp_booking_status status, int64_t limit,
                                                   int64_t now, struct pp_error *e)
{
    if (status == PP_BOOKING_CANCELLED)
        return pp_error_set(e, PP_EGONE, "global", already_cancelled);
    if (status != PP_BOOKING_CONFIRMED)
        return pp_error_set(e, PP_EGONE, "global",
                            "Cette réservation a déjà été utilisée : elle ne peut plus être "
                            "annulée.");
    /* At the limit the booking is confirmed (pass Culture: limit <= now): no more cancelling. */
    if (limit != 0 && now >= limit)
        return pp_error_set(e, PP_EFORBIDDEN, "global",
                            "Impossible d'annuler une réservation plus de 48h après l'avoir "
                            "réservée et moins de 48h avant le début de l'évènement");
    return PP_OK;
}

enum pp_err pp_booking_check_cancel_by_offerer(enum pp_booking_status status,
                                               struct pp_error *e)
{
    if (status == PP_BOOKING_CANCELLED)
        return pp_error_set(e, PP_EGONE, "global", already_cancelled);
    if (status == PP_BOOKING_REIMBURSED)
        return pp_error_set(e, PP_EGONE, "global",
                            "Cette réservation a déjà été remboursée : elle ne peut plus "
                            "être annulée.");
    if (status == PP_BOOKING_USED)
        return pp_error_set(e, PP_EGONE, "global",
                            "Cette réservation a déjà été validée : elle ne peut plus être "
                            "annulée.");
    return PP_OK;
}

int pp_booking_check_expiry_days(const char *subcategory_id)
{
    const struct pp_subcategory *sub = pp_subcategory_find(subcategory_id);
    return sub != NULL && sub->can_expire && !sub->is_event ? sub->expiry_days : 0;
}

bool pp_booking_check_expired(const char *subcategory_id, int64_t created_at, int64_t now)
{
    int days = pp_booking_check_expiry_days(subcategory_id);
    return days != 0 && created_at + (int64_t)days * DAY <= now;
}

bool pp_booking_check_reminder(const char *subcategory_id, int64_t created_at, int64_t now,
                             int64_t *expires_at, int *days_left)
{
    int days = pp_booking_check_expiry_days(subcategory_id);
    int notice = strcmp(subcategory_id, "LIVRE_PAPIER") == 0 ? 5 : 7;
    int64_t expires = created_at + (int64_t)days * DAY;
    if (days == 0 || now < expires - (int64_t)notice * DAY || now >= expires)
        return false;
    *expires_at = expires;
    *days_left = notice;
    return true;
}
