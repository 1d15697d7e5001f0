#ifndef PP_CORE_EMAIL_H
#define PP_CORE_EMAIL_H

#include <stdbool.h>

/**
 * Email address syntax as a pro portal needs it: one '@'; a local part of 1 to 64 bytes of
 * printable ASCII without spaces, quotes, angle brackets, commas, semicolons, colons,
 * parentheses, square brackets or backslashes, not starting or ending with a dot, no ".."; a
 * domain with at least one dot, labels of 1 to 63 letters, digits and hyphens (no hyphen at
 * either end), the last one at least 2 characters starting with a letter (so no IP address);
 * at most 254 bytes; no CR/LF or other control character ever (addresses end up in mail
 * headers). Internationalized domains must come in punycode ("xn--...").
 */

/** True when @s is an acceptable address. NULL gives false. */
bool pp_email_is_valid(const char *s);

/**
 * Lower-cases @s in place (ASCII) and trims surrounding spaces and tabs; emails are unique
 * case-insensitively, so every stored address goes through here. Inner spaces, CR and LF are
 * left for pp_email_is_valid() to refuse. Returns @s (NULL stays NULL).
 */
char *pp_email_normalize(char *s);

#endif
