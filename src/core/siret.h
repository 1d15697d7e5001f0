#ifndef PP_CORE_SIRET_H
#define PP_CORE_SIRET_H

#include <stdbool.h>

/**
 * SIREN (9 digits, a structure) and SIRET (14 digits, an establishment) checks, RULES §1:
 * digits only, Luhn checksum; La Poste exception: a SIRET starting 356000000 is valid when
 * the sum of its 14 digits is a multiple of 5.
 */

/** True when @s is exactly 9 ASCII digits with a valid Luhn checksum. NULL gives false. */
bool pp_siren_is_valid(const char *s);

/**
 * True when @s is exactly 14 ASCII digits, Luhn-valid or La Poste's exception (prefix
 * 356000000 and digit sum a multiple of 5; La Poste's head office 35600000000048 is plain
 * Luhn). No spaces: pass input through pp_siret_normalize() first. NULL gives false.
 */
bool pp_siret_is_valid(const char *s);

/**
 * Copies @in without spaces into @out (capacity @cap, NUL included), so that
 * "123 456 789 00012" is accepted as typed. Spaces are ASCII space and tab, and the UTF-8
 * no-break spaces U+00A0 and U+202F that French pages put between digit groups. Returns false
 * when @in or @out is NULL, @cap is 0, the result does not fit or @in has other than digits
 * and spaces; @out is then "" (when @cap allows). Does not check length or checksum.
 */
bool pp_siret_normalize(const char *in, char *out, unsigned cap);

#endif
