#ifndef PP_CORE_COLLECTIVE_RULES_H
#define PP_CORE_COLLECTIVE_RULES_H

#include <stdint.h>

#include "core/status.h"

/**
 * Pure rules of collective bookings (RULES §10, docs/collective.md): the stored statuses, the
 * French label a pro reads, the school year of an event and the cancellation limit.
 */

/** A collective booking's stored status (collective_booking.status). */
enum pp_collective_status {
    PP_COLLECTIVE_NONE = 0,
    PP_COLLECTIVE_PENDING,    /**< pre-booked by a teacher */
    PP_COLLECTIVE_CONFIRMED,  /**< confirmed by the head of school, budget debited */
    PP_COLLECTIVE_USED,       /**< 48 h after the end */
    PP_COLLECTIVE_CANCELLED,
    PP_COLLECTIVE_REIMBURSED,
};

_Static_assert(sizeof(enum pp_collective_status) == sizeof(int), "status enums are int-sized");

/** The names of enum pp_collective_status ("PENDING"...), for db/row.h and for parsing. */
extern const struct pp_names pp_collective_status_names;

/** The enum of @s (NULL allowed), PP_COLLECTIVE_NONE for anything else. */
enum pp_collective_status pp_collective_status_parse(const char *s);

/** "PENDING"... (static storage), NULL for PP_COLLECTIVE_NONE. */
const char *pp_collective_status_name(enum pp_collective_status s);

/**
 * The label shown to pros: "Préréservée" (PENDING), "Réservée" (CONFIRMED while the school may
 * still cancel, i.e. @now before @cancellation_limit_at), "Confirmée" (CONFIRMED after it),
 * "Terminée" (USED), "Remboursée", "Annulée"; "" for NONE. Static storage.
 */
const char *pp_collective_label(enum pp_collective_status s, int64_t cancellation_limit_at,
                                int64_t now);

/** Days before the event until which a school may cancel. */
#define PP_COLLECTIVE_CANCEL_DAYS 30

/** Hours after the end of the event when a confirmed booking becomes USED. */
#define PP_COLLECTIVE_USE_DELAY (48 * 3600)

/**
 * The school year of instant @t: the year it starts in, 1 September 00:00 to 31 August
 * 24:00, Paris time (2027-03-10 → 2026, for 2026-2027).
 */
int64_t pp_collective_school_year(int64_t t);

/** The cancellation limit of a booking made at @now for an event starting at @start:
 *  @start − 30 days, or @now when that has passed. */
int64_t pp_collective_cancellation_limit(int64_t start, int64_t now);

#endif
