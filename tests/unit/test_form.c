/* Form bodies (application/x-www-form-urlencoded) as http/form.c reads them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "http/form.h"
#include "http/request.h"

static struct pp_arena *arena;

static int setup(void **state)
{
    (void)state;
    arena = pp_arena_new();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    pp_arena_free(arena);
    return 0;
}

static struct pp_kv *parse(const char *body)
{
    struct pp_kv *kv = NULL;
    assert_int_equal(pp_form_parse(arena, body, strlen(body), 100, &kv), PP_OK);
    return kv;
}

/* The value of the first field named @key in @kv (the last one in the body), or NULL. */
static const char *get(const struct pp_kv *kv, const char *key)
{
    for (; kv != NULL; kv = kv->next)
        if (strcmp(kv->key, key) == 0)
            return kv->value;
    return NULL;
}

static size_t count(const struct pp_kv *kv)
{
    size_t n = 0;
    for (; kv != NULL; kv = kv->next)
        n++;
    return n;
}

static void test_fields_and_decoding(void **state)
{
    (void)state;
    struct pp_kv *kv = parse("email=l%C3%A9a%40exemple.fr&password=Mot+de+passe%21&vide=&seul");
    assert_int_equal(count(kv), 4);
    assert_string_equal(get(kv, "email"), "léa@exemple.fr");
    assert_string_equal(get(kv, "password"), "Mot de passe!");
    assert_string_equal(get(kv, "vide"), "");
    assert_string_equal(get(kv, "seul"), "");
    /* The order of the body, reversed. */
    assert_string_equal(kv->key, "seul");
    assert_string_equal(kv->next->next->next->key, "email");
}

static void test_names_are_decoded_and_repeats_kept(void **state)
{
    (void)state;
    struct pp_kv *kv = parse("lieu=1&lieu=2&l%69eu=3&a+b=c");
    assert_int_equal(count(kv), 4);
    assert_string_equal(get(kv, "lieu"), "3"); /* the last one wins */
    assert_string_equal(get(kv, "a b"), "c");
}

static void test_malformed_pieces(void **state)
{
    (void)state;
    /* Empty pieces and empty names are skipped; bad escapes stay as written. */
    struct pp_kv *kv = parse("&&=x&a=%&b=%4&c=%zz1&d=100%25&e=x=y&");
    assert_int_equal(count(kv), 5);
    assert_string_equal(get(kv, "a"), "%");
    assert_string_equal(get(kv, "b"), "%4");
    assert_string_equal(get(kv, "c"), "%zz1");
    assert_string_equal(get(kv, "d"), "100%");
    assert_string_equal(get(kv, "e"), "x=y");
    assert_null(parse(""));
    assert_null(parse("&"));
    /* A name that decodes to nothing (NUL bytes, escaped or raw) is no name either (found by
     * fuzz/fuzz_form.c: "\0\0\0\0A9" gave a field named ""). */
    assert_null(parse("%00=x&%00abc"));
    struct pp_kv *raw = NULL;
    assert_int_equal(pp_form_parse(arena, "\0\0\0\0A9&k=v", 10, 100, &raw), PP_OK);
    assert_int_equal(count(raw), 1);
    assert_string_equal(get(raw, "k"), "v");
}

static void test_body_is_not_changed_and_not_read_past_len(void **state)
{
    (void)state;
    char body[] = "a=1%202&b=3";
    struct pp_kv *kv;
    /* Only the first 7 bytes: "a=1%202" */
    assert_int_equal(pp_form_parse(arena, body, 7, 10, &kv), PP_OK);
    assert_int_equal(count(kv), 1);
    assert_string_equal(get(kv, "a"), "1 2");
    assert_string_equal(body, "a=1%202&b=3");
}

static void test_too_many_fields(void **state)
{
    (void)state;
    struct pp_kv *kv;
    assert_int_equal(pp_form_parse(arena, "a=1&b=2&c=3", 11, 3, &kv), PP_OK);
    assert_int_equal(count(kv), 3);
    assert_int_equal(pp_form_parse(arena, "a=1&b=2&c=3&d", 13, 3, &kv), PP_ETOOBIG);
    assert_null(kv);
}

static void test_big_value_in_linear_time(void **state)
{
    (void)state;
    /* 4 MB of escapes: one pass, one copy (a quadratic parser takes minutes here). */
    size_t n = 4 * 1024 * 1024;
    char *body = malloc(n + 3);
    assert_non_null(body);
    memcpy(body, "v=", 2);
    for (size_t i = 2; i + 3 <= n + 2; i += 3)
        memcpy(body + i, "%41", 3);
    size_t len = 2 + n / 3 * 3;
    struct pp_arena *a = pp_arena_new();
    struct pp_kv *kv;
    assert_int_equal(pp_form_parse(a, body, len, 10, &kv), PP_OK);
    assert_int_equal(strlen(kv->value), n / 3);
    assert_true(pp_arena_used(a) < len + 4096);
    pp_arena_free(a);
    free(body);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fields_and_decoding),
        cmocka_unit_test(test_names_are_decoded_and_repeats_kept),
        cmocka_unit_test(test_malformed_pieces),
        cmocka_unit_test(test_body_is_not_changed_and_not_read_past_len),
        cmocka_unit_test(test_too_many_fields),
        cmocka_unit_test(test_big_value_in_linear_time),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
