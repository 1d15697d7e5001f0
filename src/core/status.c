#include "core/status.h"

#include <stddef.h>
#include <string.h>

/* Index i of each table is enum value i; entry 0 (none) has no name. */
static const char *const roles[] = {NULL, "PRO", "BENEFICIARY", "UNDERAGE", "ADMIN"};
static const char *const bookings[] = {NULL, "CONFIRMED", "USED", "CANCELLED", "REIMBURSED"};
static const char *const validations[] = {NULL,       "NEW",      "PENDING",
                                          "VALIDATED", "REJECTED", "CLOSED"};
static const char *const banks[] = {NULL, "DRAFT", "ACCEPTED", "REFUSED"};
static const char *const outboxes[] = {NULL, "PENDING", "SENDING", "SENT", "FAILED"};

#define COUNT(t) (sizeof(t) / sizeof((t)[0]))

static int parse(const char *const *names, size_t n, const char *s)
{
    for (size_t i = 1; s != NULL && i < n; i++)
        if (strcmp(s, names[i]) == 0)
            return (int)i;
    return 0;
}

static const char *name(const char *const *names, size_t n, int v)
{
    return v > 0 && (size_t)v < n ? names[v] : NULL;
}

enum pp_role pp_role_parse(const char *s)
{
    return (enum pp_role)parse(roles, COUNT(roles), s);
}

enum pp_booking_status pp_booking_status_parse(const char *s)
{
    return (enum pp_booking_status)parse(bookings, COUNT(bookings), s);
}

enum pp_validation pp_validation_parse(const char *s)
{
    return (enum pp_validation)parse(validations, COUNT(validations), s);
}

enum pp_bank_status pp_bank_status_parse(const char *s)
{
    return (enum pp_bank_status)parse(banks, COUNT(banks), s);
}

enum pp_outbox_status pp_outbox_status_parse(const char *s)
{
    return (enum pp_outbox_status)parse(outboxes, COUNT(outboxes), s);
}

const char *pp_role_name(enum pp_role r)
{
    return name(roles, COUNT(roles), (int)r);
}

const char *pp_booking_status_name(enum pp_booking_status s)
{
    return name(bookings, COUNT(bookings), (int)s);
}

const char *pp_validation_name(enum pp_validation v)
{
    return name(validations, COUNT(validations), (int)v);
}

const char *pp_bank_status_name(enum pp_bank_status s)
{
    return name(banks, COUNT(banks), (int)s);
}

const char *pp_outbox_status_name(enum pp_outbox_status s)
{
    return name(outboxes, COUNT(outboxes), (int)s);
}
