#include "core/clock.h"

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static atomic_bool test_enabled;
/* Offset added to real time once the test clock has been set. */
static _Atomic int64_t test_offset;

static int64_t real_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec;
}

int64_t pp_clock_now(void)
{
    return real_now() + atomic_load(&test_offset);
}

void pp_clock_enable_test(void)
{
    atomic_store(&test_enabled, true);
}

bool pp_clock_is_test(void)
{
    return atomic_load(&test_enabled);
}

void pp_clock_reset(void)
{
    atomic_store(&test_offset, 0);
    atomic_store(&test_enabled, false);
}

bool pp_clock_set(int64_t t)
{
    if (!atomic_load(&test_enabled))
        return false;
    atomic_store(&test_offset, t - real_now());
    return true;
}

int64_t pp_clock_offset(void)
{
    return atomic_load(&test_offset);
}

void pp_clock_set_offset(int64_t offset)
{
    if (atomic_load(&test_enabled))
        atomic_store(&test_offset, offset);
}

int64_t pp_clock_days_from_civil(int year, int month, int day)
{
    int64_t y = (int64_t)year - (month <= 2);
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t mp = (month + 9) % 12;
    int64_t doy = (153 * mp + 2) / 5 + day - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Reads exactly @n digits from @s into @out. */
static bool digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

bool pp_clock_parse_date(const char *s, int *year, int *month, int *day)
{
    int y, m, d;
    if (s == NULL || strlen(s) < 10 || !digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &m) ||
        s[7] != '-' || !digits(s + 8, 2, &d))
        return false;
    if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return false;
    *year = y;
    *month = m;
    *day = d;
    return true;
}

bool pp_clock_parse_iso(const char *s, int64_t *out)
{
    int y, mo, d, h, mi, sec;
    if (s == NULL || !pp_clock_parse_date(s, &y, &mo, &d) || (s[10] != 'T' && s[10] != ' ') ||
        !digits(s + 11, 2, &h) || s[13] != ':' || !digits(s + 14, 2, &mi))
        return false;
    const char *p = s + 16;
    sec = 0;
    if (*p == ':') {
        if (!digits(p + 1, 2, &sec))
            return false;
        p += 3;
        if (*p == '.') {
            p++;
            if (*p < '0' || *p > '9')
                return false;
            while (*p >= '0' && *p <= '9')
                p++;
        }
    }
    if (h > 23 || mi > 59 || sec > 59)
        return false;
    if (strcmp(p, "Z") != 0 && strcmp(p, "+00:00") != 0)
        return false;
    *out = pp_clock_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
    return true;
}

void pp_clock_format_iso(int64_t t, char buf[21])
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(buf, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
