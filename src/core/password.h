#ifndef PP_CORE_PASSWORD_H
#define PP_CORE_PASSWORD_H

#include <stddef.h>

/**
 * The password rule of RULES §1: at least 12 characters, with an upper-case letter, a
 * lower-case letter, a digit and a symbol (any other printable character, accented letters
 * count as letters of their case only when ASCII; other UTF-8 characters count as symbols).
 * Length is counted in characters (UTF-8 code points), not bytes. At most 256 bytes, so that
 * hashing cost stays bounded.
 */

/**
 * NULL when @pw satisfies the rule, else a French sentence (static string, not to be freed).
 * When exactly one requirement is missing the sentence names it alone ("Le mot de passe doit
 * contenir au moins une majuscule."); when several are (and for NULL or ""), it states the
 * whole rule: "Le mot de passe doit contenir au moins 12 caractères, une majuscule, une
 * minuscule, un chiffre et un caractère spécial." Over 256 bytes and malformed UTF-8 (overlong
 * forms, surrogates, truncated sequences) have their own sentences. ASCII space counts as a
 * symbol; ASCII control characters count as characters but not as symbols.
 */
const char *pp_password_check(const char *pw);

#endif
