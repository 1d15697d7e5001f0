#ifndef PP_CORE_STATUS_H
#define PP_CORE_STATUS_H

/**
 * Roles and statuses as enums at the boundary: the database and the requests carry the
 * strings below, which are parsed once where rows and requests are read; the code compares
 * enums. Each name function gives back the exact string its parse function takes, so JSON and
 * pages that print a status are unchanged. The 0 of each enum is "none or unknown" (a NULL or
 * unexpected string), and its name is NULL.
 */

#include <stddef.h>

/** The names behind one of the enums below: names[i] is value i's, names[0] is NULL (none). */
struct pp_names {
    const char *const *names;
    size_t n;
};

extern const struct pp_names pp_role_names, pp_booking_status_names, pp_validation_names,
    pp_bank_status_names, pp_outbox_status_names;

/** Index of @s (NULL allowed) in @t, 0 when it is none of its names. */
int pp_names_index(const struct pp_names *t, const char *s);

/** An account's role (account.role). */
enum pp_role {
    PP_ROLE_NONE = 0,
    PP_ROLE_PRO,
    PP_ROLE_BENEFICIARY,
    PP_ROLE_UNDERAGE,
    PP_ROLE_ADMIN,
};

/** A booking's stored status (booking.status). */
enum pp_booking_status {
    PP_BOOKING_NONE = 0,
    PP_BOOKING_CONFIRMED,
    PP_BOOKING_USED,
    PP_BOOKING_CANCELLED,
    PP_BOOKING_REIMBURSED,
};

/** The validation status of a structure (offerer.status) or of an attachment to it
 *  (user_offerer.status); CLOSED only for structures. */
enum pp_validation {
    PP_VALIDATION_NONE = 0,
    PP_VALIDATION_NEW,
    PP_VALIDATION_PENDING,
    PP_VALIDATION_VALIDATED,
    PP_VALIDATION_REJECTED,
    PP_VALIDATION_CLOSED,
};

/** A bank account's status (bank_account.status). */
enum pp_bank_status {
    PP_BANK_NONE = 0,
    PP_BANK_DRAFT,
    PP_BANK_ACCEPTED,
    PP_BANK_REFUSED,
};

/** An outbox email's status (outbox.status). */
enum pp_outbox_status {
    PP_OUTBOX_NONE = 0,
    PP_OUTBOX_PENDING,
    PP_OUTBOX_SENDING,
    PP_OUTBOX_SENT,
    PP_OUTBOX_FAILED,
};

/** Number of outbox statuses, PP_OUTBOX_NONE excluded. */
#define PP_OUTBOX_STATUSES 4

/* The row reader (db/row.h) stores these enums as ints. */
_Static_assert(sizeof(enum pp_role) == sizeof(int), "status enums are int-sized");
_Static_assert(sizeof(enum pp_booking_status) == sizeof(int), "status enums are int-sized");
_Static_assert(sizeof(enum pp_validation) == sizeof(int), "status enums are int-sized");
_Static_assert(sizeof(enum pp_bank_status) == sizeof(int), "status enums are int-sized");
_Static_assert(sizeof(enum pp_outbox_status) == sizeof(int), "status enums are int-sized");

/** The enum value of @s (NULL allowed), or the enum's 0 when @s is not one of its names. */
enum pp_role pp_role_parse(const char *s);
enum pp_booking_status pp_booking_status_parse(const char *s);
enum pp_validation pp_validation_parse(const char *s);
enum pp_bank_status pp_bank_status_parse(const char *s);
enum pp_outbox_status pp_outbox_status_parse(const char *s);

/** The database and JSON string of a value (static storage), NULL for the enum's 0. */
const char *pp_role_name(enum pp_role r);
const char *pp_booking_status_name(enum pp_booking_status s);
const char *pp_validation_name(enum pp_validation v);
const char *pp_bank_status_name(enum pp_bank_status s);
const char *pp_outbox_status_name(enum pp_outbox_status s);

#endif
