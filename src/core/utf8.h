#ifndef PP_CORE_UTF8_H
#define PP_CORE_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/** Number of characters (code points) of the UTF-8 string @s: lengths are counted so. */
size_t pp_utf8_chars(const char *s);

/** True when @s has no control character other than tab and newline. */
bool pp_utf8_is_clean(const char *s);

#endif
