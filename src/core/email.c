#include "core/email.h"

#include <stddef.h>
#include <string.h>

#define EMAIL_MAX 254
#define LOCAL_MAX 64
#define LABEL_MAX 63

static bool is_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool local_char_ok(char c)
{
    /* RFC 5322 specials besides '.' would need quoting in a header: refused outright. */
    return c > ' ' && c < 0x7F && strchr("\"<>,;()[]\\:@", c) == NULL;
}

static bool local_ok(const char *s, size_t len)
{
    if (len == 0 || len > LOCAL_MAX || s[0] == '.' || s[len - 1] == '.')
        return false;
    for (size_t i = 0; i < len; i++) {
        if (!local_char_ok(s[i]))
            return false;
        if (s[i] == '.' && s[i + 1] == '.')
            return false;
    }
    return true;
}

static bool domain_ok(const char *s, size_t len)
{
    size_t labels = 0;
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && s[i] != '.') {
            if (!is_alnum(s[i]) && s[i] != '-')
                return false;
            continue;
        }
        size_t n = i - start;
        if (n == 0 || n > LABEL_MAX || s[start] == '-' || s[i - 1] == '-')
            return false;
        labels++;
        if (i == len && (n < 2 || !is_alpha(s[start])))
            return false;
        start = i + 1;
    }
    return labels >= 2;
}

bool pp_email_is_valid(const char *s)
{
    if (s == NULL)
        return false;
    size_t len = strnlen(s, EMAIL_MAX + 1);
    if (len > EMAIL_MAX)
        return false;
    const char *at = memchr(s, '@', len);
    if (at == NULL || memchr(at + 1, '@', len - (size_t)(at - s) - 1) != NULL)
        return false;
    size_t local_len = (size_t)(at - s);
    return local_ok(s, local_len) && domain_ok(at + 1, len - local_len - 1);
}

char *pp_email_normalize(char *s)
{
    if (s == NULL)
        return NULL;
    size_t start = 0;
    while (s[start] == ' ' || s[start] == '\t')
        start++;
    size_t end = strlen(s);
    while (end > start && (s[end - 1] == ' ' || s[end - 1] == '\t'))
        end--;
    size_t n = end - start;
    memmove(s, s + start, n);
    s[n] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (s[i] >= 'A' && s[i] <= 'Z')
            s[i] = (char)(s[i] - 'A' + 'a');
    }
    return s;
}
