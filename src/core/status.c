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

#define NAMES(t) {t, sizeof(t) / sizeof((t)[0])}

const struct pp_names pp_role_names = NAMES(roles);
const struct pp_names pp_booking_status_names = NAMES(bookings);
const struct pp_names pp_validation_names = NAMES(validations);
const struct pp_names pp_bank_status_names = NAMES(banks);
const struct pp_names pp_outbox_status_names = NAMES(outboxes);

int pp_names_index(const struct pp_names *t, const char *s)
{
    for (size_t i = 1; s != NULL && i < t->n; i++)
        if (strcmp(s, t->names[i]) == 0)
            return (int)i;
    return 0;
}

static const char *name(const struct pp_names *t, int v)
{
    return v > 0 && (size_t)v < t->n ? t->names[v] : NULL;
}

enum pp_role pp_role_parse(const char *s)
{
    return (enum pp_role)pp_names_index(&pp_role_names, s);
}

enum pp_booking_status pp_booking_status_parse(const char *s)
{
    return (enum pp_booking_status)pp_names_index(&pp_booking_status_names, s);
}

enum pp_validation pp_validation_parse(const char *s)
{
    return (enum pp_validation)pp_names_index(&pp_validation_names, s);
}

enum pp_bank_status pp_bank_status_parse(const char *s)
{
    return (enum pp_bank_status)pp_names_index(&pp_bank_status_names, s);
}

enum pp_outbox_status pp_outbox_status_parse(const char *s)
{
    return (enum pp_outbox_status)pp_names_index(&pp_outbox_status_names, s);
}

const char *pp_role_name(enum pp_role r)
{
    return name(&pp_role_names, (int)r);
}

const char *pp_booking_status_name(enum pp_booking_status s)
{
    return name(&pp_booking_status_names, (int)s);
}

const char *pp_validation_name(enum pp_validation v)
{
    return name(&pp_validation_names, (int)v);
}

const char *pp_bank_status_name(enum pp_bank_status s)
{
    return name(&pp_bank_status_names, (int)s);
}

const char *pp_outbox_status_name(enum pp_outbox_status s)
{
    return name(&pp_outbox_status_names, (int)s);
}
