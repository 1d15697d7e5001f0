/*
 * Countermarks and QR payloads as the counter receives them: typed in the Guichet page's field
 * (GET /guichet?contremarque=..., read by the page's own read_input, reached by including
 * src/web/guichet_page.c), scanned by a camera ("PASSCULTURE:v3;TOKEN:ABC234"), or given in the
 * partner API's path: pp_token_parse() (core/booking_rules.c), the step pp_guichet_check/use/
 * keep/cancel take before any database lookup. The countermark is also drawn as a QR code
 * (pp_qr_svg, web/qr.c) and must scan back. Invariants: a parsed token is 6 characters of the
 * countermark alphabet, parses again to itself, alone and inside a QR payload; the page accepts
 * every input the domain parses (bar inner tabs and line breaks, refused by the page on
 * purpose) and reads the same code from it; the QR SVG is one document.
 */
#include "../src/web/guichet_page.c"

#include "fuzz.h"
#include "web/qr.h"

static bool in_alphabet(const char *t)
{
    if (strlen(t) != PP_TOKEN_LEN)
        return false;
    for (; *t; t++)
        if (strchr(PP_TOKEN_ALPHABET, *t) == NULL)
            return false;
    return true;
}

/* True when @s has a tab, CR or LF between its first and last other character. */
static bool inner_breaks(const char *s)
{
    while (is_space(*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && is_space(s[n - 1]))
        n--;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '\t' || s[i] == '\r' || s[i] == '\n')
            return true;
    return false;
}

static void check_qr(const char *payload)
{
    char *svg = pp_qr_svg(payload, "Contremarque");
    if (svg == NULL)
        return;
    size_t n = strlen(svg);
    FUZZ_CHECK(strncmp(svg, "<svg ", 5) == 0 && n > 6 && strcmp(svg + n - 6, "</svg>") == 0);
    free(svg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *raw = fuzz_cstr(data, size);
    char token[PP_TOKEN_LEN + 1];
    bool parsed = pp_token_parse(raw, token);
    if (parsed) {
        FUZZ_CHECK(in_alphabet(token));
        char again[PP_TOKEN_LEN + 1], payload[64];
        FUZZ_CHECK(pp_token_parse(token, again) && strcmp(again, token) == 0);
        snprintf(payload, sizeof payload, "%s%s", PP_QR_PREFIX, token);
        FUZZ_CHECK(pp_token_parse(payload, again) && strcmp(again, token) == 0);
        check_qr(payload);
    }

    struct pp_req req = {.arena = pp_arena_new()};
    struct input in;
    bool page_ok = read_input(&req, raw, &in);
    if (page_ok) {
        FUZZ_CHECK(in.error == NULL && strlen(in.token) == PP_TOKEN_LEN);
        FUZZ_CHECK(strcmp(in.value, in.token) == 0);
        for (const char *p = in.token; *p; p++)
            FUZZ_CHECK((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9'));
    } else {
        FUZZ_CHECK(in.error != NULL && in.token[0] == '\0');
    }
    /* What the domain reads from a field of at most INPUT_MAX bytes, the page reads too,
     * unless it holds a tab or line break inside (the page refuses those on purpose, as it
     * echoes the field back; the domain only looks past the last ':'). */
    if (parsed && size <= INPUT_MAX && memchr(data, '\0', size) == NULL &&
        pp_view_text(req.arena, raw, size) != NULL && !inner_breaks(raw))
        FUZZ_CHECK(page_ok && strcmp(in.token, token) == 0);
    pp_arena_free(req.arena);

    /* Drawing a QR code costs about a millisecond: short inputs only. */
    if (size <= 32)
        check_qr(raw);
    free(raw);
    return 0;
}
