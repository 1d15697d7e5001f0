#ifndef PP_CORE_VENUE_TYPE_H
#define PP_CORE_VENUE_TYPE_H

#include <stdbool.h>
#include <stddef.h>

/**
 * Venue types (reference/finance_pro.md §5.5) and the time zones a French venue may be in.
 */

struct pp_venue_type {
    const char *code;  /**< "MUSEUM" */
    const char *label; /**< "Musée" */
    bool permanent;    /**< permanent venues: museum, library, cinema... */
};

/**
 * The table, sorted by label for display (French order, "Autre" last); @count, when not NULL,
 * receives its length. Static storage.
 */
const struct pp_venue_type *pp_venue_types(size_t *count);

/** Entry for @code (exact, case-sensitive), or NULL when unknown or NULL. Static storage. */
const struct pp_venue_type *pp_venue_type_find(const char *code);

/**
 * True when @tz is one of the IANA zones of metropolitan and overseas France: Europe/Paris,
 * America/Cayenne, America/Guadeloupe, America/Martinique, America/Miquelon, Indian/Reunion,
 * Indian/Mayotte, Pacific/Tahiti, Pacific/Noumea, Pacific/Wallis.
 */
bool pp_timezone_is_valid(const char *tz);

/**
 * Default zone of a French postal code from its first three digits ("97300" →
 * "America/Cayenne", 971 Guadeloupe, 972 Martinique, 974 Réunion, 975 Saint-Pierre-et-Miquelon,
 * 976 Mayotte, 986 Wallis, 987 Tahiti, 988 Nouméa), Europe/Paris otherwise, including for an
 * invalid code or NULL. Static string.
 */
const char *pp_timezone_for_postal_code(const char *postal_code);

/** True when @pc is exactly 5 ASCII digits (French postal code). NULL gives false. */
bool pp_postal_code_is_valid(const char *pc);

#endif
