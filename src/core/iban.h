#ifndef PP_CORE_IBAN_H
#define PP_CORE_IBAN_H

#include <stdbool.h>
#include <stddef.h>

/**
 * IBAN (ISO 13616): the country's length from the SWIFT registry and the mod-97 check.
 * An IBAN is stored normalised (upper case, no spaces) and shown grouped by four; pros see it
 * masked, only the back office sees it whole.
 */

/** Room for a normalised IBAN (34 characters at most) and its NUL. */
#define PP_IBAN_MAX 35
/** Room for the grouped or masked form (34 characters, 8 spaces, NUL). */
#define PP_IBAN_SHOWN 44

/**
 * Copies @in into @out upper-cased, without spaces. False when the result cannot be an IBAN
 * (empty, longer than 34, or a character other than a letter, a digit or a space).
 */
bool pp_iban_normalize(const char *in, char out[PP_IBAN_MAX]);

/**
 * True when @iban (normalised) has a known country, that country's length, digits where the
 * check digits go, and a remainder of 1 under mod-97 (ISO 7064).
 */
bool pp_iban_is_valid(const char *iban);

/** "FR76 3000 6000 0112 3456 7890 189": @iban (normalised) grouped by four. */
void pp_iban_group(const char *iban, char out[PP_IBAN_SHOWN]);

/** "FR76 **** **** **** **** ***0 189": country, check digits and the last 4 characters. */
void pp_iban_mask(const char *iban, char out[PP_IBAN_SHOWN]);

#endif
