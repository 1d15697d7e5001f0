#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "template/template.h"

struct source {
    const char *name;
    const char *text;
};

static const struct source sources[] = {
    {"escape", "{{x}}"},
    {"attr", "<a href=\"/o?q={{q}}\" title=\"{{t}}\" data-x='{{t}}'>{{t}}</a>"},
    {"raw", "{{{html}}}|{{&html}}|{{html}}"},
    {"dotted", "{{venue.name}} ({{venue.address.city}})[{{venue.nope.x}}][{{title.x}}]"},
    {"index", "{{#list.0}}non vide:{{list.1.name}}{{/list.0}}{{^list.0}}vide{{/list.0}}[{{list.x}}]"},
    {"fallback", "{{#offers}}{{name}} @ {{venue}};{{/offers}}"},
    {"fallback_dotted", "{{#offers}}{{venue.name}}/{{name}}|{{/offers}}"},
    {"loop_objects", "<ul>{{#items}}<li>{{name}}: {{price}}</li>{{/items}}</ul>"},
    {"loop_strings", "{{#tags}}[{{.}}]{{/tags}}"},
    {"section", "a{{#s}}X{{/s}}b"},
    {"scalar_section", "{{#s}}<{{.}}>{{/s}}"},
    {"inverted", "{{^items}}Aucune offre{{/items}}{{#items}}{{.}}{{/items}}"},
    {"nested",
     "{{#venues}}{{name}}:{{#offers}}{{title}}({{name}}){{^stocks}}!{{/stocks}},{{/offers}};"
     "{{/venues}}"},
    {"page", "<h1>{{title}}</h1>{{>footer}}"},
    {"footer", "<p>{{org}}</p>"},
    {"loop_partial", "{{#items}}{{>item}}{{/items}}"},
    {"item", "<li>{{name}} ({{org}})</li>"},
    {"bad_partial", "x{{>nope}}y"},
    {"broken_partial", "x{{>mismatched}}y"},
    {"skipped_partial", "{{#no}}{{>nope}}{{/no}}ok"},
    {"node", "[{{name}}{{#child}}{{>node}}{{/child}}]"},
    {"self", "a{{>self}}"},
    {"unclosed", "{{#a}}x{{#b}}{{/b}}"},
    {"mismatched", "{{#a}}x{{/b}}"},
    {"stray", "x{{/a}}"},
    {"unterminated", "hello {{name"},
    {"unterminated_raw", "hello {{{name}}"},
    {"empty_name", "a{{}}b"},
    {"bad_name", "{{a..b}}"},
    {"delims", "{{=<% %>=}}"},
    {"mail", "Bonjour {{name}},\nVotre réservation {{code}} : {{{offer}}}.\n"},
    {"standalone", "<ul>\n  {{#items}}\n  <li>{{.}}</li>\n  {{/items}}\n</ul>\n"},
    {"standalone_crlf", "a\r\n  {{#t}}  \r\nb\r\n{{/t}}\r\nc"},
    {"standalone_misc",
     "x\n{{! a comment }}\n{{^none}}\n  y\n{{/none}}\n  {{>line}}\nz\n{{#t}}\nend{{/t}}"},
    {"line", "L\n"},
    {"inline", "a {{#t}}b{{/t}} c\n  {{#t}}d{{/t}}\n{{name}}\n"},
    {"utf8", "Musée, Créneaux : {{label}} / {{{label}}}"},
    {"numbers", "{{i}}|{{neg}}|{{r}}|{{small}}|{{t}}|{{f}}|{{n}}|{{missing}}|{{obj}}|{{arr}}"},
    {"truthy", "{{#t}}t{{/t}}{{#f}}f{{/f}}{{#n}}n{{/n}}{{#e}}e{{/e}}{{#s}}s{{/s}}{{#z}}z{{/z}}"
               "{{#r}}r{{/r}}{{#o}}o{{/o}}{{#eo}}eo{{/eo}}{{#m}}m{{/m}}{{#one}}1{{/one}}"},
    {"inverted_all",
     "{{^t}}t{{/t}}{{^f}}f{{/f}}{{^n}}n{{/n}}{{^e}}e{{/e}}{{^s}}s{{/s}}{{^z}}z{{/z}}"
     "{{^r}}r{{/r}}{{^o}}o{{/o}}{{^eo}}eo{{/eo}}{{^m}}m{{/m}}{{^one}}1{{/one}}"},
    {"comment", "a{{! ignore < & {{ this }}b{{!}}c"},
    {"spaces", "{{ name }}|{{# s }}y{{/ s }}|{{{ name }}}|{{& name }}"},
    {"concurrent", "<h1>{{title}}</h1>\n<table>\n  {{#rows}}\n  {{>row}}\n  {{/rows}}\n</table>\n"
                   "{{^rows}}vide{{/rows}}"},
    {"row", "<tr><td>{{name}}</td><td>{{price}}</td><td>{{{badge}}}</td><td>{{org}}</td></tr>\n"},
};

static atomic_int source_calls;

static const char *source_fn(const char *name, size_t *len, void *ctx)
{
    (void)ctx;
    atomic_fetch_add(&source_calls, 1);
    for (size_t i = 0; i < sizeof(sources) / sizeof(sources[0]); i++) {
        if (strcmp(sources[i].name, name) == 0) {
            *len = strlen(sources[i].text);
            return sources[i].text;
        }
    }
    return NULL;
}

static int setup(void **state)
{
    *state = pp_template_set_new(source_fn, NULL);
    return 0;
}

static int teardown(void **state)
{
    pp_template_set_free(*state);
    return 0;
}

static json_t *parse(const char *text)
{
    json_error_t jerr;
    json_t *v = json_loads(text, 0, &jerr);
    if (v == NULL)
        fail_msg("bad test JSON: %s", jerr.text);
    return v;
}

static void check_with(struct pp_template_set *set, const char *name, const char *json,
                       const char *want, int text_mode)
{
    json_t *data = json ? parse(json) : NULL;
    const char *err = "untouched";
    char *out = text_mode ? pp_template_render_text(set, name, data, &err)
                          : pp_template_render(set, name, data, &err);
    if (out == NULL)
        fail_msg("%s: render failed: %s", name, err);
    assert_string_equal(out, want);
    free(out);
    json_decref(data);
}

static void check(void **state, const char *name, const char *json, const char *want)
{
    check_with(*state, name, json, want, 0);
}

static void check_error(void **state, const char *name, const char *want_err)
{
    json_t *data = parse("{\"a\": true, \"b\": true}");
    const char *err = NULL;
    char *out = pp_template_render(*state, name, data, &err);
    assert_null(out);
    assert_non_null(err);
    assert_string_equal(err, want_err);
    json_decref(data);
}

static void test_escape_each_character(void **state)
{
    check(state, "escape", "{\"x\": \"&\"}", "&amp;");
    check(state, "escape", "{\"x\": \"<\"}", "&lt;");
    check(state, "escape", "{\"x\": \">\"}", "&gt;");
    check(state, "escape", "{\"x\": \"\\\"\"}", "&quot;");
    check(state, "escape", "{\"x\": \"'\"}", "&#39;");
    check(state, "escape", "{\"x\": \"<script>alert('x' && \\\"y\\\")</script>\"}",
          "&lt;script&gt;alert(&#39;x&#39; &amp;&amp; &quot;y&quot;)&lt;/script&gt;");
    check(state, "escape", "{\"x\": \"plain text\"}", "plain text");
    check(state, "escape", "{\"x\": \"\"}", "");
}

static void test_escape_in_attributes(void **state)
{
    check(state, "attr", "{\"q\": \"a&b=c\", \"t\": \"\\\" onmouseover=\\\"x' y\"}",
          "<a href=\"/o?q=a&amp;b=c\" title=\"&quot; onmouseover=&quot;x&#39; y\" "
          "data-x='&quot; onmouseover=&quot;x&#39; y'>&quot; onmouseover=&quot;x&#39; y</a>");
}

static void test_raw_triple_braces(void **state)
{
    check(state, "raw", "{\"html\": \"<b>A & B</b>\"}",
          "<b>A & B</b>|<b>A & B</b>|&lt;b&gt;A &amp; B&lt;/b&gt;");
}

static void test_dotted_lookup(void **state)
{
    check(state, "dotted",
          "{\"venue\": {\"name\": \"Le Grand Rex\", \"address\": {\"city\": \"Paris\"}},"
          " \"title\": \"t\"}",
          "Le Grand Rex (Paris)[][]");
    check(state, "dotted", "{\"venue\": \"flat\"}", " ()[][]");
    check(state, "dotted", "{}", " ()[][]");
}

static void test_array_index(void **state)
{
    check(state, "index", "{\"list\": [{\"name\": \"a\"}, {\"name\": \"b<\"}]}",
          "non vide:b&lt;[]");
    check(state, "index", "{\"list\": []}", "vide[]");
    check(state, "index", "{}", "vide[]");
}

static void test_lookup_falls_back_to_outer_context(void **state)
{
    check(state, "fallback",
          "{\"venue\": \"Cinéma\", \"offers\": [{\"name\": \"A\"},"
          " {\"name\": \"B\", \"venue\": \"Théâtre\"}]}",
          "A @ Cinéma;B @ Théâtre;");
    check(state, "fallback_dotted",
          "{\"venue\": {\"name\": \"V\"}, \"name\": \"outer\","
          " \"offers\": [{\"name\": \"A\"}, {\"id\": 2}]}",
          "V/A|V/outer|");
}

static void test_loop_over_objects(void **state)
{
    check(state, "loop_objects",
          "{\"items\": [{\"name\": \"Concert\", \"price\": 1500},"
          " {\"name\": \"<Livre>\", \"price\": 12.5}]}",
          "<ul><li>Concert: 1500</li><li>&lt;Livre&gt;: 12.5</li></ul>");
}

static void test_loop_over_strings(void **state)
{
    check(state, "loop_strings", "{\"tags\": [\"a\", \"b&c\", \"d\"]}", "[a][b&amp;c][d]");
    check(state, "loop_strings", "{\"tags\": [1, true, null, \"\"]}", "[1][true][][]");
}

static void test_empty_or_missing_skips_section(void **state)
{
    check(state, "loop_strings", "{\"tags\": []}", "");
    check(state, "loop_strings", "{}", "");
    check(state, "section", "{\"s\": []}", "ab");
    check(state, "section", "{}", "ab");
    check(state, "section", "{\"s\": [1, 2]}", "aXXb");
    check(state, "section", NULL, "ab");
}

static void test_truthiness(void **state)
{
    const char *data = "{\"t\": true, \"f\": false, \"n\": null, \"e\": \"\", \"s\": \"x\","
                       " \"z\": 0, \"r\": 0.5, \"o\": {\"k\": 1}, \"eo\": {}, \"one\": 1}";
    check(state, "truthy", data, "tsro1");
    check(state, "inverted_all", data, "fnezeom");
    check(state, "scalar_section", "{\"s\": \"x&y\"}", "<x&amp;y>");
    check(state, "scalar_section", "{\"s\": {\"a\": 1}}", "<>");
    check(state, "scalar_section", "{\"s\": 0.0}", "");
}

static void test_inverted_section(void **state)
{
    check(state, "inverted", "{\"items\": []}", "Aucune offre");
    check(state, "inverted", "{}", "Aucune offre");
    check(state, "inverted", "{\"items\": false}", "Aucune offre");
    check(state, "inverted", "{\"items\": [\"a\", \"b\"]}", "ab");
}

static void test_nested_sections(void **state)
{
    check(state, "nested",
          "{\"venues\": [{\"name\": \"V1\", \"offers\": [{\"title\": \"O1\", \"stocks\": [1]},"
          " {\"title\": \"O2\"}]}, {\"name\": \"V2\", \"offers\": []}]}",
          "V1:O1(V1),O2(V1)!,;V2:;");
}

static void test_partials(void **state)
{
    check(state, "page", "{\"title\": \"Accueil\", \"org\": \"pass <Culture>\"}",
          "<h1>Accueil</h1><p>pass &lt;Culture&gt;</p>");
    check(state, "loop_partial",
          "{\"org\": \"O\", \"items\": [{\"name\": \"a\"}, {\"name\": \"b\"}]}",
          "<li>a (O)</li><li>b (O)</li>");
}

static void test_unknown_partial(void **state)
{
    check_error(state, "bad_partial", "unknown partial");
    check_error(state, "no_such_template", "unknown template");
    /* Partials resolve when reached, so one in a skipped section is never looked up. */
    check(state, "skipped_partial", "{}", "ok");
    check_error(state, "broken_partial", "mismatched section close");
}

/* The leaf says "child": false, else lookup would fall back to its parent's child. */
static json_t *chain(int levels)
{
    json_t *node = json_false();
    for (int i = levels; i >= 0; i--) {
        json_t *o = json_object();
        json_object_set_new(o, "name", json_integer(i));
        json_object_set_new(o, "child", node);
        node = o;
    }
    return node;
}

static void test_partial_depth_limit(void **state)
{
    json_t *data = chain(2);
    char *out = pp_template_render(*state, "node", data, NULL);
    assert_non_null(out);
    assert_string_equal(out, "[0[1[2]]]");
    free(out);
    json_decref(data);

    data = chain(16);
    const char *err = NULL;
    out = pp_template_render(*state, "node", data, &err);
    assert_non_null(out);
    assert_non_null(strstr(out, "[16]"));
    free(out);
    json_decref(data);

    data = chain(17);
    out = pp_template_render(*state, "node", data, &err);
    assert_null(out);
    assert_string_equal(err, "partials nested deeper than 16");
    json_decref(data);

    check_error(state, "self", "partials nested deeper than 16");
}

static void test_section_errors(void **state)
{
    check_error(state, "unclosed", "unclosed section");
    check_error(state, "mismatched", "mismatched section close");
    check_error(state, "stray", "section closed without being opened");
    check_error(state, "unterminated", "unterminated tag");
    check_error(state, "unterminated_raw", "unterminated tag");
    check_error(state, "empty_name", "empty tag name");
    check_error(state, "bad_name", "bad tag name");
    check_error(state, "delims", "set-delimiter tags are not supported");
    /* Failures are cached: the second render gives the same answer without recompiling. */
    int before = atomic_load(&source_calls);
    check_error(state, "mismatched", "mismatched section close");
    assert_int_equal(atomic_load(&source_calls), before);
    /* err is optional. */
    assert_null(pp_template_render(*state, "mismatched", NULL, NULL));
}

static void test_render_text_does_not_escape(void **state)
{
    const char *data = "{\"name\": \"Zoé & <Léa>\", \"code\": \"A'B\\\"C\", \"offer\": \"x<y\"}";
    check_with(*state, "mail", data, "Bonjour Zoé & <Léa>,\nVotre réservation A'B\"C : x<y.\n", 1);
    check_with(*state, "mail", data,
               "Bonjour Zoé &amp; &lt;Léa&gt;,\nVotre réservation A&#39;B&quot;C : x<y.\n", 0);
}

static void test_standalone_lines(void **state)
{
    check(state, "standalone", "{\"items\": [\"a\", \"b\"]}",
          "<ul>\n  <li>a</li>\n  <li>b</li>\n</ul>\n");
    check(state, "standalone", "{\"items\": []}", "<ul>\n</ul>\n");
    check(state, "standalone_crlf", "{\"t\": true}", "a\r\nb\r\nc");
    check(state, "standalone_misc", "{\"t\": true}", "x\n  y\nL\nz\nend");
    check(state, "inline", "{\"t\": true, \"name\": \"n\"}", "a b c\n  d\nn\n");
    check(state, "inline", "{}", "a  c\n  \n\n");
}

static void test_utf8_passthrough(void **state)
{
    check(state, "utf8", "{\"label\": \"Musée, Créneaux — été 🎭\"}",
          "Musée, Créneaux : Musée, Créneaux — été 🎭 / Musée, Créneaux — été 🎭");
}

static void test_numbers_and_literals(void **state)
{
    check(state, "numbers",
          "{\"i\": 42, \"neg\": -7, \"r\": 12.5, \"small\": 0.1, \"t\": true, \"f\": false,"
          " \"n\": null, \"obj\": {\"a\": 1}, \"arr\": [1]}",
          "42|-7|12.5|0.1|true|||||");
}

static void test_comments_and_spacing(void **state)
{
    check(state, "comment", "{}", "abc");
    check(state, "spaces", "{\"name\": \"<n>\", \"s\": 1}", "&lt;n&gt;|y|<n>|<n>");
}

static void test_compiled_once(void **state)
{
    (void)state;
    struct pp_template_set *set = pp_template_set_new(source_fn, NULL);
    int before = atomic_load(&source_calls);
    for (int i = 0; i < 5; i++)
        check_with(set, "loop_partial", "{\"org\": \"O\", \"items\": [{\"name\": \"a\"}]}",
                   "<li>a (O)</li>", i % 2);
    assert_int_equal(atomic_load(&source_calls) - before, 2);
    pp_template_set_free(set);
}

struct worker {
    struct pp_template_set *set;
    json_t *data;
    const char *want;
    int mismatches;
};

static void *worker_run(void *arg)
{
    struct worker *w = arg;
    for (int i = 0; i < 300; i++) {
        char *out = pp_template_render(w->set, "concurrent", w->data, NULL);
        if (out == NULL || strcmp(out, w->want) != 0)
            w->mismatches++;
        free(out);
    }
    return NULL;
}

static void test_concurrent_rendering(void **state)
{
    (void)state;
    json_t *data =
        json_pack("{s:s, s:s, s:[]}", "title", "Offres & créneaux", "org", "Musée", "rows");
    json_t *rows = json_object_get(data, "rows");
    for (int i = 0; i < 50; i++) {
        char name[32];
        snprintf(name, sizeof(name), "Offre <%d>", i);
        json_array_append_new(rows, json_pack("{s:s, s:i, s:s}", "name", name, "price", i * 100,
                                              "badge", "<span class=\"fr-badge\">ok</span>"));
    }

    struct pp_template_set *ref = pp_template_set_new(source_fn, NULL);
    char *want = pp_template_render(ref, "concurrent", data, NULL);
    assert_non_null(want);
    assert_non_null(strstr(want,
                           "<tr><td>Offre &lt;49&gt;</td><td>4900</td>"
                           "<td><span class=\"fr-badge\">ok</span></td><td>Musée</td></tr>\n"));
    pp_template_set_free(ref);

    /* A fresh set, so the threads also race on the first compile of each template. */
    struct pp_template_set *set = pp_template_set_new(source_fn, NULL);
    pthread_t threads[4];
    struct worker workers[4];
    for (int i = 0; i < 4; i++) {
        workers[i] = (struct worker){set, data, want, 0};
        assert_int_equal(pthread_create(&threads[i], NULL, worker_run, &workers[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        assert_int_equal(pthread_join(threads[i], NULL), 0);
        assert_int_equal(workers[i].mismatches, 0);
    }
    pp_template_set_free(set);
    free(want);
    json_decref(data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_escape_each_character, setup, teardown),
        cmocka_unit_test_setup_teardown(test_escape_in_attributes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_raw_triple_braces, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dotted_lookup, setup, teardown),
        cmocka_unit_test_setup_teardown(test_array_index, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lookup_falls_back_to_outer_context, setup, teardown),
        cmocka_unit_test_setup_teardown(test_loop_over_objects, setup, teardown),
        cmocka_unit_test_setup_teardown(test_loop_over_strings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_or_missing_skips_section, setup, teardown),
        cmocka_unit_test_setup_teardown(test_truthiness, setup, teardown),
        cmocka_unit_test_setup_teardown(test_inverted_section, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nested_sections, setup, teardown),
        cmocka_unit_test_setup_teardown(test_partials, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_partial, setup, teardown),
        cmocka_unit_test_setup_teardown(test_partial_depth_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_section_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_render_text_does_not_escape, setup, teardown),
        cmocka_unit_test_setup_teardown(test_standalone_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(test_utf8_passthrough, setup, teardown),
        cmocka_unit_test_setup_teardown(test_numbers_and_literals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_comments_and_spacing, setup, teardown),
        cmocka_unit_test(test_compiled_once),
        cmocka_unit_test(test_concurrent_rendering),
    };
    return cmocka_run_group_tests_name("template", tests, NULL, NULL);
}
