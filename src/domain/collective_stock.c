/* The one stock of a bookable collective offer (domain/collective_offer.h). */
#include <string.h>

#include "core/arena.h"
#include "core/clock.h"
#include "db/db.h"
#include "db/row.h"
#include "db/tx.h"
#include "domain/audit.h"
#include "domain/collective_offer.h"
#include "domain/institution.h"

#define CANCELLATION_NOTICE (30 * 24 * 3600) /* RULES §10: cancel until 30 days before */

/* A given value of a change, or the stored one. */
static int64_t pick(int64_t given, int64_t none, int64_t stored)
{
    return given != none ? given : stored;
}

/* Dates, pupils and price once the school has confirmed: frozen. */
static bool touches_frozen(const struct pp_collective_offer *o,
                           const struct pp_collective_stock_input *m)
{
    return m->start_at != o->start_at || m->end_at != o->end_at ||
           m->booking_limit_at != o->booking_limit_at ||
           m->number_of_tickets != o->number_of_tickets || m->price_cents != o->price_cents;
}

static void check_dates(const struct pp_collective_stock_input *given,
                        const struct pp_collective_stock_input *m, int64_t now,
                        struct pp_error *e)
{
    if (m->start_at <= 0)
        pp_error_set(e, PP_EVALIDATION, "startDatetime", "Indiquez la date de début.");
    if (m->end_at <= 0)
        pp_error_set(e, PP_EVALIDATION, "endDatetime", "Indiquez la date de fin.");
    if (e->count > 0)
        return;
    if (m->end_at < m->start_at)
        pp_error_set(e, PP_EVALIDATION, "endDatetime",
                     "La date de fin doit être postérieure à la date de début.");
    else if (pp_school_year_of(m->start_at) != pp_school_year_of(m->end_at))
        pp_error_set(e, PP_EVALIDATION, "endDatetime",
                     "Les dates de début et de fin doivent appartenir à la même année scolaire "
                     "(du 1er septembre au 31 août).");
    if (m->booking_limit_at > m->start_at)
        pp_error_set(e, PP_EVALIDATION, "bookingLimitDatetime",
                     "La date limite de réservation doit précéder la date de début.");
    if (given->start_at > 0 && given->start_at <= now)
        pp_error_set(e, PP_EVALIDATION, "startDatetime",
                     "La date de début ne peut pas être dans le passé.");
    if (given->booking_limit_at > 0 && given->booking_limit_at <= now)
        pp_error_set(e, PP_EVALIDATION, "bookingLimitDatetime",
                     "La date limite de réservation ne peut pas être dans le passé.");
}

static void check_counts(const struct pp_collective_stock_input *m, struct pp_error *e)
{
    if (m->number_of_tickets < 1 || m->number_of_tickets > PP_COLLECTIVE_TICKETS_MAX)
        pp_error_set(e, PP_EVALIDATION, "numberOfTickets",
                     "Le nombre de participants doit être compris entre 1 et 3000.");
    if (m->price_cents < 0 || m->price_cents > PP_COLLECTIVE_PRICE_MAX)
        pp_error_set(e, PP_EVALIDATION, "totalPriceCents",
                     "Le prix total doit être compris entre 0 et 60 000 € (en centimes).");
}

/* The offer's state allows this save: a bookable offer, a stock or not, not frozen. */
static enum pp_err check_state(const struct pp_collective_offer *o, bool create,
                               const struct pp_collective_stock_input *m, struct pp_error *e)
{
    if (o->is_template)
        return pp_error_set(e, PP_EVALIDATION, "global",
                            "Une offre vitrine n'a ni date ni prix : créez une offre "
                            "réservable.");
    if (create && o->stock_id != 0)
        return pp_error_set(e, PP_ECONFLICT, "global",
                            "Cette offre a déjà sa date : modifiez-la plutôt.");
    if (!create && o->stock_id == 0)
        return PP_ENOTFOUND;
    if (!create && o->booking_status != NULL && strcmp(o->booking_status, "PENDING") != 0 &&
        touches_frozen(o, m))
        return pp_error_set(e, PP_ECONFLICT, "global",
                            "Cette offre est réservée et confirmée par l'établissement : ses "
                            "dates, son prix et son nombre de participants ne peuvent plus "
                            "changer.");
    return PP_OK;
}

static enum pp_err write(struct pp_db *db, const struct pp_collective_offer *o, bool create,
                         const struct pp_collective_stock_input *m, int64_t *stock_id)
{
    if (create)
        return pp_row_returning(
            PP_BIND(db, "INSERT INTO collective_stock (offer_id, start_at, end_at,"
                        " number_of_tickets, price_cents, booking_limit_at, created_at)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                    PP_INT(o->id), PP_INT(m->start_at), PP_INT(m->end_at),
                    PP_INT(m->number_of_tickets), PP_INT(m->price_cents),
                    PP_INT(m->booking_limit_at), PP_INT(pp_clock_now())),
            stock_id);
    *stock_id = o->stock_id;
    enum pp_err rc = PP_EXEC(db, "UPDATE collective_stock SET start_at = ?, end_at = ?,"
                                 " number_of_tickets = ?, price_cents = ?, booking_limit_at = ?"
                                 " WHERE id = ?",
                             PP_INT(m->start_at), PP_INT(m->end_at), PP_INT(m->number_of_tickets),
                             PP_INT(m->price_cents), PP_INT(m->booking_limit_at),
                             PP_INT(o->stock_id));
    /* A pre-booking follows its offer: the school confirms the new price and dates. */
    if (rc == PP_OK && o->booking_id != 0)
        rc = PP_EXEC(db, "UPDATE collective_booking SET price_cents = ?,"
                         " confirmation_limit_at = ?,"
                         " cancellation_limit_at = CASE WHEN created_at > ?3 THEN created_at ELSE ?3 END"
                         " WHERE id = ? AND status = 'PENDING'",
                     PP_INT(m->price_cents), PP_INT(m->booking_limit_at),
                     PP_INT(m->start_at - CANCELLATION_NOTICE), PP_INT(o->booking_id));
    return rc;
}

static enum pp_err save(struct pp_db *db, struct pp_arena *a, int64_t offer_id, bool create,
                        const struct pp_collective_stock_input *in, int64_t *stock_id,
                        struct pp_error *e)
{
    struct pp_collective_offer o;
    enum pp_err rc = pp_collective_offer_get(db, a, offer_id, &o);
    if (rc != PP_OK)
        return rc;
    struct pp_collective_stock_input m = *in;
    if (!create) {
        m.start_at = pick(in->start_at, 0, o.start_at);
        m.end_at = pick(in->end_at, 0, o.end_at);
        m.booking_limit_at = pick(in->booking_limit_at, 0, o.booking_limit_at);
        m.number_of_tickets = pick(in->number_of_tickets, -1, o.number_of_tickets);
        m.price_cents = pick(in->price_cents, -1, o.price_cents);
    } else if (m.booking_limit_at == 0) {
        m.booking_limit_at = m.start_at;
    }
    if ((rc = check_state(&o, create, &m, e)) != PP_OK)
        return rc;
    check_dates(in, &m, pp_clock_now(), e);
    check_counts(&m, e);
    if (e->count > 0)
        return PP_EVALIDATION;
    return write(db, &o, create, &m, stock_id);
}

enum pp_err pp_collective_stock_save(struct pp_db *db, int64_t account_id, int64_t offer_id,
                                     bool create, const struct pp_collective_stock_input *in,
                                     int64_t *stock_id, struct pp_error *e)
{
    struct pp_arena *a = pp_arena_new();
    enum pp_err rc = pp_db_begin(db);
    if (rc == PP_OK) {
        rc = save(db, a, offer_id, create, in, stock_id, e);
        if (rc == PP_OK)
            rc = pp_audit_log(db, account_id, PP_CHANNEL_PORTAL,
                              create ? "collective_stock.create" : "collective_stock.update",
                              "collective_offer", offer_id, NULL);
        rc = pp_tx_end(db, rc);
    }
    pp_arena_free(a);
    return rc;
}
