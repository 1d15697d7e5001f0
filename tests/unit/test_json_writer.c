/* The JSON writer of the hot answers: escaping, nesting, growth, dates; read back by jansson. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <jansson.h>
#include <string.h>

#include "core/arena.h"
#include "core/clock.h"
#include "http/json_writer.h"

/* The text of @w parsed by jansson equals @expected (a JSON document). */
static void assert_same_document(struct pp_jw *w, const char *expected)
{
    size_t n;
    const char *text = pp_jw_finish(w, &n);
    assert_int_equal(strlen(text), n);
    json_error_t err;
    json_t *got = json_loadb(text, n, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &err);
    if (got == NULL)
        fail_msg("jansson rejects %s: %s", text, err.text);
    json_t *want = json_loads(expected, JSON_ALLOW_NUL, &err);
    assert_non_null(want);
    if (!json_equal(got, want))
        fail_msg("got %s, expected %s", text, expected);
    json_decref(got);
    json_decref(want);
}

static void test_escaping(void **state)
{
    (void)state;
    struct pp_arena *a = pp_arena_new();
    struct pp_jw w;
    pp_jw_init(&w, a);
    pp_jw_array(&w);
    pp_jw_str(&w, "dit \"bonjour\" \\ à tous");
    pp_jw_str(&w, "ligne\nsuivante\ttab\r\x01\x1f");
    pp_jw_str(&w, "Musée d’Orsay – 5 € 😀 / \x7f");
    pp_jw_strn(&w, "a\0b", 3);
    pp_jw_str(&w, "");
    pp_jw_str(&w, NULL);
    pp_jw_end(&w);
    size_t n;
    const char *text = pp_jw_finish(&w, &n);
    assert_string_equal(text, "[\"dit \\\"bonjour\\\" \\\\ à tous\","
                              "\"ligne\\u000asuivante\\u0009tab\\u000d\\u0001\\u001f\","
                              "\"Musée d’Orsay – 5 € 😀 / \x7f\","
                              "\"a\\u0000b\",\"\",null]");
    assert_same_document(&w, "[\"dit \\\"bonjour\\\" \\\\ à tous\","
                              "\"ligne\\nsuivante\\ttab\\r\\u0001\\u001f\","
                              "\"Musée d’Orsay – 5 € 😀 / \\u007f\",\"a\\u0000b\",\"\",null]");
    pp_arena_free(a);
}

static void test_nesting(void **state)
{
    (void)state;
    struct pp_arena *a = pp_arena_new();
    struct pp_jw w;
    pp_jw_init(&w, a);
    pp_jw_object(&w);
    pp_jw_key(&w, "a");
    pp_jw_array(&w);
    pp_jw_int(&w, 1);
    pp_jw_object(&w);
    pp_jw_knull(&w, "b");
    pp_jw_key(&w, "c");
    pp_jw_array(&w);
    pp_jw_end(&w);
    pp_jw_end(&w);
    pp_jw_bool(&w, true);
    pp_jw_end(&w);
    pp_jw_key(&w, "d");
    pp_jw_object(&w);
    pp_jw_end(&w);
    pp_jw_kint(&w, "min", INT64_MIN);
    pp_jw_kint(&w, "max", INT64_MAX);
    pp_jw_kint(&w, "zero", 0);
    pp_jw_kbool(&w, "no", false);
    pp_jw_kstr(&w, "k\"ey", "v");
    pp_jw_kiso(&w, "when", 1773480600);
    pp_jw_kiso(&w, "never", 0);
    pp_jw_end(&w);
    size_t n;
    const char *text = pp_jw_finish(&w, &n);
    const char *expected = "{\"a\":[1,{\"b\":null,\"c\":[]},true],\"d\":{},"
                           "\"min\":-9223372036854775808,\"max\":9223372036854775807,"
                           "\"zero\":0,\"no\":false,\"k\\\"ey\":\"v\","
                           "\"when\":\"2026-03-14T09:30:00Z\",\"never\":null}";
    assert_string_equal(text, expected);
    assert_same_document(&w, expected);
    pp_arena_free(a);
}

/* Past the first buffer, the document is copied whole into a larger one. */
static void test_growth(void **state)
{
    (void)state;
    struct pp_arena *a = pp_arena_new();
    struct pp_jw w;
    pp_jw_init(&w, a);
    pp_jw_object(&w);
    pp_jw_key(&w, "items");
    pp_jw_array(&w);
    for (int i = 0; i < 5000; i++) {
        pp_jw_object(&w);
        pp_jw_kint(&w, "id", i);
        pp_jw_kstr(&w, "name", "Réservation \"duo\"");
        pp_jw_end(&w);
    }
    pp_jw_end(&w);
    /* A long text, escapes across the writer's chunks. */
    static char long_text[5001];
    for (int i = 0; i < 5000; i++)
        long_text[i] = i % 7 == 0 ? '"' : i % 11 == 0 ? '\n' : (char)('a' + i % 26);
    pp_jw_kstr(&w, "long", long_text);
    pp_jw_end(&w);
    size_t n;
    const char *text = pp_jw_finish(&w, &n);
    json_t *j = json_loadb(text, n, 0, NULL);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "long")), long_text);
    json_t *items = json_object_get(j, "items");
    assert_int_equal(json_array_size(items), 5000);
    for (size_t i = 0; i < 5000; i += 499) {
        json_t *it = json_array_get(items, i);
        assert_int_equal(json_integer_value(json_object_get(it, "id")), (json_int_t)i);
        assert_string_equal(json_string_value(json_object_get(it, "name")),
                            "Réservation \"duo\"");
    }
    json_decref(j);
    pp_arena_free(a);
}

/* The fast date formatter says what gmtime and strftime say, leap days and 1970 included. */
static void test_iso_dates(void **state)
{
    (void)state;
    char fast[21], slow[21];
    const int64_t known[] = {1,           -1,          59,          86399,      86400,
                             951782400,   951868800,   1709164800,  1709251199, 4107542400,
                             4107628799,  -2208988800, 253402300799, -30610224000};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        assert_true(pp_jw_format_iso(known[i], fast));
        pp_clock_format_iso(known[i], slow);
        assert_string_equal(fast, slow);
    }
    /* Every few hours from 1900 to 2200, at a step prime to the day. */
    for (int64_t t = -2208988800; t < 7258118400; t += 3 * 3600 + 17) {
        assert_true(pp_jw_format_iso(t, fast));
        pp_clock_format_iso(t, slow);
        if (strcmp(fast, slow) != 0)
            fail_msg("%lld: %s, expected %s", (long long)t, fast, slow);
    }
    assert_true(pp_jw_format_iso(951825600, fast));
    assert_string_equal(fast, "2000-02-29T12:00:00Z");
    assert_false(pp_jw_format_iso(253402300800, fast));
    assert_false(pp_jw_format_iso(-30610224001, fast));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escaping),
        cmocka_unit_test(test_nesting),
        cmocka_unit_test(test_growth),
        cmocka_unit_test(test_iso_dates),
    };
    return cmocka_run_group_tests_name("json_writer", tests, NULL, NULL);
}
