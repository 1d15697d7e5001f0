#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"

/* pp_utf8_fold of @s, checking that it never writes past strlen(@s) + 1. */
static char *fold(const char *s, bool key)
{
    size_t n = strlen(s);
    char *out = malloc(n + 2);
    assert_non_null(out);
    out[n + 1] = '#';
    size_t len = key ? pp_utf8_search_key(s, out) : pp_utf8_fold(s, out);
    assert_int_equal(len, strlen(out));
    assert_true(len <= n);
    assert_int_equal(out[n + 1], '#');
    return out;
}

static void expect(const char *s, const char *folded, bool key)
{
    char *got = fold(s, key);
    assert_string_equal(got, folded);
    free(got);
}

static void test_french(void **state)
{
    (void)state;
    expect("Musée", "musee", false);
    expect("MUSÉE", "musee", false);
    expect("musee", "musee", false);
    expect("éèêë àâä ç îï ôö ùûü ÿ", "eeee aaa c ii oo uuu y", false);
    expect("ÉÈÊË ÀÂÄ Ç ÎÏ ÔÖ ÙÛÜ Ÿ", "eeee aaa c ii oo uuu y", false);
    expect("Œuvre cœur Æsop nævus", "oeuvre coeur aesop naevus", false);
    expect("Zoé Lefèvre", "zoe lefevre", false);
}

static void test_latin(void **state)
{
    (void)state;
    /* Latin-1 beyond French, and Latin Extended-A. */
    expect("ÁÃÅáãå ÌÍìí ÑñÒÓÕØòóõø ÚúÝý Ðð Þþ ß", "aaaaaa iiii nnoooooooo uuyy dd thth ss", false);
    expect("Łódź Kraków Dvořák Šťastný Ĳssel İstanbul ſ",
           "lodz krakow dvorak stastny ijssel istanbul s", false);
    expect("Ąą Ćč Đđ Ğğ Ħħ Ĵĵ Ķķ Ŋŋ Őő Ŕř Ţţ Ůű Ŵŵ Ŷŷ Źżž",
           "aa cc dd gg hh jj kk nn oo rr tt uu ww yy zzz", false);
    /* The two signs of Latin-1 stay. */
    expect("2×3÷6", "2×3÷6", false);
}

static void test_kept(void **state)
{
    (void)state;
    /* Punctuation, spaces, digits and other scripts are copied; curly quotes
     * become ASCII. */
    expect("Beaux-Arts, 2e étage !", "beaux-arts, 2e etage !", false);
    expect("L’Opéra ‘x’", "l'opera 'x'", false);
    expect("Ωμέγα 東京 €5", "Ωμέγα 東京 €5", false);
    expect("", "", false);
}

static void test_invalid(void **state)
{
    (void)state;
    /* Stray continuation bytes, bytes that start nothing, cut and overlong
     * sequences, encoded surrogates and code points past U+10FFFF are dropped;
     * the rest goes on. */
    expect("a\x80"
           "b\xbf"
           "c",
           "abc", false);
    expect("a\xc3", "a", false);
    expect("\xc3"
           "A",
           "a", false);
    expect("x\xe2\x82", "x", false);
    expect("\xc0\xaf"
           "e\xe0\x80\xaf",
           "e", false);
    expect("\xed\xa0\x80"
           "s",
           "s", false);
    expect("\xf4\x90\x80\x80"
           "z\xff\xfe",
           "z", false);
    expect("\xf0\x9f\x8e\xad"
           "!",
           "\xf0\x9f\x8e\xad!", false);
}

static void test_search_key(void **state)
{
    (void)state;
    expect("Musée des Beaux-Arts", "musee des beaux arts", true);
    expect("  beaux   arts ", "beaux arts", true);
    expect("L’Opéra - Garnier", "l opera garnier", true);
    expect("aujourd'hui", "aujourd hui", true);
    /* LIKE's wildcards and the escape character are word breaks, never wildcards.
     */
    expect("100% _x_ a\\b", "100 x a b", true);
    expect("--- !", "", true);
    /* Latin-1 signs and general punctuation are word breaks too; letters of other scripts
     * are words. */
    expect("Visite « Musée » n°3 – 2×1…", "visite musee n 3 2 1", true);
    expect("a\xc2\xa0"
           "b\xe2\x80\xaf"
           "c",
           "a b c", true);
    expect("Ωμέγα-東京", "Ωμέγα 東京", true);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_french),     cmocka_unit_test(test_latin),
        cmocka_unit_test(test_kept),       cmocka_unit_test(test_invalid),
        cmocka_unit_test(test_search_key),
    };
    return cmocka_run_group_tests_name("fold", tests, NULL, NULL);
}
