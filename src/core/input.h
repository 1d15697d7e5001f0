#ifndef PP_CORE_INPUT_H
#define PP_CORE_INPUT_H

#include <stdbool.h>
#include <stdint.h>

/**
 * What people type in the portal's forms and query strings, read the French way: times
 * ("14:30", "9h30", "10h"), calendar days ("2026-04-14", "14/04/2026"), whole counts
 * ("1 000") and ids. Pure functions of their arguments; no allocation. Prices typed in forms
 * are read by pp_money_parse (core/money.h).
 */

/** Largest id pp_input_id() reads: 18 digits always fit an int64_t. */
#define PP_INPUT_ID_DIGITS 18

/**
 * "10:30" (also "9:30", "10h30", "10h", "10:30:00" as a browser with a seconds step sends
 * it) → minutes after midnight, 0..1439; -1 for NULL or anything else.
 */
int pp_input_time(const char *s);

/**
 * "14/04/2026" → "2026-04-14" written into @iso (11 bytes) and returned; any other @s is
 * returned as it is (NULL stays NULL). Only the shape is looked at, not whether the day exists.
 */
const char *pp_input_day_iso(const char *s, char iso[11]);

/**
 * A calendar day "2026-04-14" or "14/04/2026" into its parts; false (parts unspecified) for
 * NULL, another shape, or a day that does not exist (31/02).
 */
bool pp_input_day(const char *s, int *year, int *month, int *day);

/**
 * A whole number 0..@max, spaces allowed between digits ("1 000"); -1 for NULL, "", a sign,
 * any other character, or a value above @max.
 */
int64_t pp_input_count(const char *s, int64_t max);

/**
 * A positive id: 1 to PP_INPUT_ID_DIGITS decimal digits, nothing else (no sign, no space);
 * 0 for NULL, "", "0" or anything else.
 */
int64_t pp_input_id(const char *s);

#endif
