#include "export/csv.h"

#include <string.h>

static void put(struct pp_csv *w, const char *s, size_t n)
{
    if (n > 0 && fwrite(s, 1, n, w->out) != n)
        w->failed = true;
}

static void separator(struct pp_csv *w)
{
    if (!w->first)
        put(w, ";", 1);
    w->first = false;
}

void pp_csv_begin(struct pp_csv *w, FILE *out)
{
    w->out = out;
    w->first = true;
    w->failed = false;
    put(w, "\xEF\xBB\xBF", 3);
}

bool pp_csv_is_formula(const char *s)
{
    return s != NULL && (*s == '=' || *s == '+' || *s == '-' || *s == '@' || *s == '\t' ||
                         *s == '\r');
}

void pp_csv_text(struct pp_csv *w, const char *s)
{
    separator(w);
    if (s == NULL)
        return;
    put(w, "\"", 1);
    if (pp_csv_is_formula(s))
        put(w, "'", 1);
    for (const char *p = s;;) {
        const char *q = strchr(p, '"');
        if (q == NULL) {
            put(w, p, strlen(p));
            break;
        }
        put(w, p, (size_t)(q - p) + 1);
        put(w, "\"", 1); /* the quote doubled */
        p = q + 1;
    }
    put(w, "\"", 1);
}

void pp_csv_raw(struct pp_csv *w, const char *s)
{
    separator(w);
    if (s != NULL)
        put(w, s, strlen(s));
}

void pp_csv_end_row(struct pp_csv *w)
{
    put(w, "\r\n", 2);
    w->first = true;
}

bool pp_csv_finish(struct pp_csv *w)
{
    if (fflush(w->out) != 0 || ferror(w->out))
        w->failed = true;
    return !w->failed;
}
