#ifndef PP_CORE_UTF8_H
#define PP_CORE_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/** Number of characters (code points) of the UTF-8 string @s: lengths are counted so. */
size_t pp_utf8_chars(const char *s);

/** True when @s has no control character other than tab and newline. */
bool pp_utf8_is_clean(const char *s);

/**
 * Writes into @out the UTF-8 text @s in lower case without diacritics: the letters of
 * Latin-1 and Latin Extended-A lose their accents (é, È, ê → e; ç → c; ñ → n), the ligatures
 * open up (œ → oe, æ → ae, ß → ss, ĳ → ij) and ASCII capitals become small; the curly quotes
 * ‘ ’ become the ASCII apostrophe. Everything else, punctuation, spaces, digits and letters
 * of other scripts, is copied as it is. A byte that does not start a well-formed UTF-8
 * sequence (stray continuation, overlong form, surrogate, cut sequence) is dropped.
 * @out must hold strlen(@s) + 1 bytes: the result is never longer than @s. Returns the
 * length written (without the NUL).
 */
size_t pp_utf8_fold(const char *s, char *out);

/**
 * The search key of @s (docs/search.md): pp_utf8_fold, then every character that is not a
 * letter or a digit (hyphen, apostrophe, punctuation, LIKE's % and _, the Latin-1 signs
 * « » ° and the general punctuation – … ) becomes a space, and spaces are collapsed and
 * trimmed: "L’Opéra - Garnier" → "l opera garnier", "Visite « Musée » n°3" → "visite musee n 3". Stored beside a
 * searchable name and applied to the typed text, so that both compare alike. Same @out rule
 * and result as pp_utf8_fold.
 */
size_t pp_utf8_search_key(const char *s, char *out);

#endif
