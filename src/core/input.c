#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/input.h"

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Up to two digits at *s into *v; how many were read. */
static int two_digits(const char **s, int *v)
{
    int n = 0;
    *v = 0;
    for (; is_digit(**s) && n < 2; (*s)++, n++)
        *v = *v * 10 + (**s - '0');
    return n;
}

int pp_input_time(const char *s)
{
    if (s == NULL)
        return -1;
    int h, m;
    if (two_digits(&s, &h) == 0 || (*s != ':' && *s != 'h' && *s != 'H'))
        return -1;
    bool h_sep = *s != ':';
    s++;
    int n = two_digits(&s, &m);
    if (*s == ':' && n == 2 && s[1] == '0' && s[2] == '0' && s[3] == '\0')
        s += 3; /* "10:30:00" from browsers with a seconds step */
    /* "10h" alone is a whole hour; "10:" is not a time. */
    if (*s != '\0' || (n != 2 && !(h_sep && n == 0)) || h > 23 || m > 59)
        return -1;
    return h * 60 + m;
}

const char *pp_input_day_iso(const char *s, char iso[11])
{
    if (s == NULL || strlen(s) != 10 || s[2] != '/' || s[5] != '/')
        return s;
    snprintf(iso, 11, "%.4s-%.2s-%.2s", s + 6, s + 3, s);
    return iso;
}

bool pp_input_day(const char *s, int *year, int *month, int *day)
{
    char iso[11];
    s = pp_input_day_iso(s, iso);
    return s != NULL && strlen(s) == 10 && pp_clock_parse_date(s, year, month, day);
}

int64_t pp_input_count(const char *s, int64_t max)
{
    if (s == NULL || *s == '\0')
        return -1;
    int64_t v = 0;
    for (; *s; s++) {
        if (*s == ' ')
            continue; /* "1 000" */
        if (!is_digit(*s))
            return -1;
        /* Checked before the multiplication: with @max near INT64_MAX it could overflow. */
        if (v > (INT64_MAX - (*s - '0')) / 10)
            return -1;
        v = v * 10 + (*s - '0');
        if (v > max)
            return -1;
    }
    return v;
}

int64_t pp_input_id(const char *s)
{
    if (s == NULL || *s == '\0' || strlen(s) > PP_INPUT_ID_DIGITS)
        return 0;
    int64_t v = 0;
    for (; *s; s++) {
        if (!is_digit(*s))
            return 0;
        v = v * 10 + (*s - '0');
    }
    return v;
}
