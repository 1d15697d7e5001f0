#include "core/collective_rules.h"

#include "core/tz.h"

static const char *const status_names[] = {NULL,   "PENDING",   "CONFIRMED",
                                           "USED", "CANCELLED", "REIMBURSED"};
const struct pp_names pp_collective_status_names = {
    status_names, sizeof status_names / sizeof status_names[0]};

enum pp_collective_status pp_collective_status_parse(const char *s)
{
    return (enum pp_collective_status)pp_names_index(&pp_collective_status_names, s);
}

const char *pp_collective_status_name(enum pp_collective_status s)
{
    return (size_t)s < pp_collective_status_names.n ? status_names[s] : NULL;
}

const char *pp_collective_label(enum pp_collective_status s, int64_t cancellation_limit_at,
                                int64_t now)
{
    switch (s) {
    case PP_COLLECTIVE_PENDING: return "Préréservée";
    case PP_COLLECTIVE_CONFIRMED: return now < cancellation_limit_at ? "Réservée" : "Confirmée";
    case PP_COLLECTIVE_USED: return "Terminée";
    case PP_COLLECTIVE_REIMBURSED: return "Remboursée";
    case PP_COLLECTIVE_CANCELLED: return "Annulée";
    default: return "";
    }
}

int64_t pp_collective_school_year(int64_t t)
{
    struct pp_local l;
    pp_tz_to_local("Europe/Paris", t, &l);
    return l.month >= 9 ? l.year : l.year - 1;
}

int64_t pp_collective_cancellation_limit(int64_t start, int64_t now)
{
    int64_t limit = start - (int64_t)PP_COLLECTIVE_CANCEL_DAYS * 86400;
    return limit > now ? limit : now;
}
