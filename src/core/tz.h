#ifndef PP_CORE_TZ_H
#define PP_CORE_TZ_H

#include <stdbool.h>
#include <stdint.h>

/**
 * Local time in the time zones of French venues, as pure rules (no zoneinfo files, no global
 * TZ): Europe/Paris follows the EU rule (summer time from the last Sunday of March 01:00 UTC
 * to the last Sunday of October 01:00 UTC); America/Miquelon the North-American rule
 * (second Sunday of March to first Sunday of November, 02:00 local); the other overseas
 * zones have a fixed offset: America/Cayenne -3 h, America/Guadeloupe and America/Martinique
 * -4 h, Indian/Reunion +4 h, Indian/Mayotte +3 h, Pacific/Tahiti -10 h, Pacific/Noumea +11 h,
 * Pacific/Wallis +12 h. Zone names are the exact IANA names; any other name, and NULL, is UTC.
 * Valid for years 2000-2099 (the rules in force since 2007 for Miquelon, 1996 for the EU),
 * which covers every date passpro handles; outside it the same rules are simply extended.
 * Times are Unix seconds (UTC). All functions are pure and thread-safe.
 */

/** Broken-down local time. */
struct pp_local {
    int year, month, day;  /**< 1-based month and day */
    int hour, minute, second;
    int weekday;           /**< ISO: 1 = Monday ... 7 = Sunday */
    int offset;            /**< seconds east of UTC in force at that instant */
};

/** Offset from UTC in seconds of @zone at instant @utc; 0 for an unknown zone (UTC). */
int pp_tz_offset(const char *zone, int64_t utc);

/** Local time of @utc in @zone; the weekday is that of the local date. */
void pp_tz_to_local(const char *zone, int64_t utc, struct pp_local *out);

/**
 * The instant of local time (y, m, d, h, min) in @zone. A time that does not exist (the
 * spring-forward gap, 02:30 in Paris on the last Sunday of March) resolves to the same
 * wall-clock reading plus the gap (03:30 summer time); an ambiguous time (the autumn overlap)
 * resolves to its first occurrence (summer time). Returns false, leaving *@utc untouched, when
 * the date is invalid: month outside 1-12, a day the month does not have (30 February),
 * hour outside 0-23 or minute outside 0-59.
 */
bool pp_tz_from_local(const char *zone, int year, int month, int day, int hour, int minute,
                      int64_t *utc);

/**
 * 00:00 in @zone of the day after the local date (@year, @month, @day): the end of that day,
 * for "valid through that whole day" and "from tomorrow on". False, leaving *@utc untouched,
 * for an invalid date.
 */
bool pp_tz_next_midnight(const char *zone, int year, int month, int day, int64_t *utc);

/**
 * "DD/MM/YYYY à HH:MM" (local time of @zone, 24-hour clock, UTF-8) of @utc into @buf (at
 * least 24 bytes), e.g. "14/03/2026 à 10:30".
 */
void pp_tz_format_fr(const char *zone, int64_t utc, char buf[24]);

#endif
