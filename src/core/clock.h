#ifndef PP_CORE_CLOCK_H
#define PP_CORE_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

/**
 * The only source of "now" in passpro. Real time by default; with the test clock enabled
 * (serve --test-clock, SPEC §9) a settable instant that every rule and job uses.
 * Times are Unix seconds, UTC.
 */

/** Current time in Unix seconds (UTC). Thread-safe. */
int64_t pp_clock_now(void);

/** Back to real time, pp_clock_set() refused again (the demo, after seeding its history). */
void pp_clock_reset(void);

/** Allows pp_clock_set(); called once at start-up by `serve --test-clock`. */
void pp_clock_enable_test(void);

/** True when the test clock is enabled. */
bool pp_clock_is_test(void);

/**
 * Sets the test clock to @t; time then flows on from @t at real speed, so that timeouts
 * and durations still behave. Returns false when the test clock is not enabled.
 */
bool pp_clock_set(int64_t t);

/** The test clock's offset from real time (0 when it was never set). */
int64_t pp_clock_offset(void);

/** Sets the offset read from the database (every server shares it); ignored unless enabled. */
void pp_clock_set_offset(int64_t offset);

/**
 * Parses an ISO 8601 UTC datetime ("2026-03-14T09:30:00Z", also "+00:00" and fractional
 * seconds) into Unix seconds. Returns false on anything else.
 */
bool pp_clock_parse_iso(const char *s, int64_t *out);

/** Formats @t as "YYYY-MM-DDTHH:MM:SSZ" into @buf (at least 21 bytes). */
void pp_clock_format_iso(int64_t t, char buf[21]);

/**
 * Parses a calendar date "YYYY-MM-DD", checking that the day exists; writes the parts.
 */
bool pp_clock_parse_date(const char *s, int *year, int *month, int *day);

/** Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm). */
int64_t pp_clock_days_from_civil(int year, int month, int day);

#endif
