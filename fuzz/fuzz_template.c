/*
 * The template renderer (src/template/template.c) on a fuzzed template, a fuzzed partial and a
 * fuzzed JSON context: input "<template>\xFF<JSON>\xFF<partial>". The template is named "t",
 * the partial "p" (so "{{>p}}" reaches it, and "{{>t}}" recurses into the template itself).
 * Both modes render: HTML (escaping) and text. Invariants: both modes compile and fail alike;
 * a template without tags renders as itself; in HTML mode, a template and partial with no '<'
 * and no unescaped tag ({{{ }}} or {{& }}) render no '<', whatever the data holds.
 */
#include <jansson.h>
#include <stdbool.h>

#include "fuzz.h"
#include "template/template.h"

struct sources {
    const char *t, *p;
};

static const char *source(const char *name, size_t *len, void *ctx)
{
    const struct sources *s = ctx;
    const char *text = strcmp(name, "t") == 0 ? s->t : strcmp(name, "p") == 0 ? s->p : NULL;
    if (text != NULL)
        *len = strlen(text);
    return text;
}

static bool has_raw_tags(const char *s)
{
    return strchr(s, '<') != NULL || strstr(s, "{{{") != NULL || strstr(s, "{{&") != NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *tpl, *rest, *json, *partial;
    fuzz_split(data, size, &tpl, &rest);
    fuzz_split((const uint8_t *)rest, strlen(rest), &json, &partial);
    json_t *ctx = json_loads(json, JSON_DECODE_ANY, NULL);

    struct sources src = {tpl, partial};
    struct pp_template_set *set = pp_template_set_new(source, &src);
    const char *err_html = NULL, *err_text = NULL;
    char *html = pp_template_render(set, "t", ctx, &err_html);
    char *text = pp_template_render_text(set, "t", ctx, &err_text);
    FUZZ_CHECK((html == NULL) == (text == NULL));
    FUZZ_CHECK(html != NULL || (err_html != NULL && err_text != NULL));
    if (strstr(tpl, "{{") == NULL) {
        FUZZ_CHECK(html != NULL && strcmp(html, tpl) == 0);
        FUZZ_CHECK(strcmp(text, tpl) == 0);
    }
    if (html != NULL && !has_raw_tags(tpl) && !has_raw_tags(partial))
        FUZZ_CHECK(strchr(html, '<') == NULL);
    /* A second render reuses the compiled template: same text. */
    char *again = pp_template_render(set, "t", ctx, NULL);
    FUZZ_CHECK((again == NULL) == (html == NULL) && (again == NULL || strcmp(again, html) == 0));

    free(again);
    free(html);
    free(text);
    pp_template_set_free(set);
    json_decref(ctx);
    free(tpl);
    free(rest);
    free(json);
    free(partial);
    return 0;
}
