/* The pure parts of the collective setup: UAI codes, school years, the policy's explanation,
 * string lists, Bearer key mechanics. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/strlist.h"
#include "domain/collective_policy.h"
#include "domain/institution.h"
#include "domain/secret_key.h"

static void test_uai(void **state)
{
    (void)state;
    assert_true(pp_uai_is_valid("0750655E"));  /* Louis-le-Grand */
    assert_true(pp_uai_is_valid("0750654D"));  /* Henri-IV */
    assert_true(pp_uai_is_valid("0330023W"));
    assert_false(pp_uai_is_valid("0750655A")); /* wrong key letter */
    assert_false(pp_uai_is_valid("0750655e")); /* upper case only (the domain upper-cases) */
    assert_false(pp_uai_is_valid("075065E"));
    assert_false(pp_uai_is_valid("07506551"));
    assert_false(pp_uai_is_valid(""));
    assert_false(pp_uai_is_valid(NULL));
}

static void test_school_year(void **state)
{
    (void)state;
    int y = 0;
    assert_true(pp_school_year_parse("2026-2027", &y));
    assert_int_equal(y, 2026);
    assert_true(pp_school_year_parse("2027", &y));
    assert_int_equal(y, 2027);
    assert_false(pp_school_year_parse("2026-2028", &y));
    assert_false(pp_school_year_parse("2026/2027", &y));
    assert_false(pp_school_year_parse("1999", &y));
    assert_false(pp_school_year_parse("26", &y));
    assert_false(pp_school_year_parse(NULL, &y));
    /* 2026-08-31T21:59:59Z is 23:59:59 in Paris: still 2025-2026; a second later, 2026. */
    assert_int_equal(pp_school_year_of(1788213599), 2025);
    assert_int_equal(pp_school_year_of(1788213600), 2026);
    assert_int_equal(pp_school_year_of(1803902400), 2026); /* 2027-03-01 */
}

static const char *subs[] = {"SEANCE_CINE", "EVENEMENT_CINE", "FESTIVAL_CINE", "CINE_PLEIN_AIR"};
static const char *formats[] = {"Projection audiovisuelle"};

static void test_policy_explain(void **state)
{
    (void)state;
    struct pp_arena *a = pp_arena_new();
    struct pp_collective_policy p = {subs, 4, formats, 1};
    assert_true(pp_collective_policy_allows(&p, "SEANCE_CINE", "Projection audiovisuelle"));
    assert_false(pp_collective_policy_allows(&p, "SEANCE_CINE", "Visite guidée"));
    assert_false(pp_collective_policy_allows(&p, "VISITE_GUIDEE", "Projection audiovisuelle"));
    assert_string_equal(
        pp_collective_policy_explain(a, &p, "VISITE_GUIDEE", "Visite guidée"),
        "Les offres collectives sont ouvertes aujourd'hui aux offres suivantes : séance de "
        "cinéma, évènement cinématographique, festival de cinéma et cinéma plein air (format "
        "« Projection audiovisuelle »). Votre offre « Visite guidée » ne peut pas encore être "
        "proposée aux groupes scolaires.");
    const char *f = pp_collective_policy_explain(a, &p, "SEANCE_CINE", "Concert");
    assert_non_null(strstr(f, "Le format « Concert » ne peut pas encore être proposé"));
    const char *two[] = {"Projection audiovisuelle", "Conférence, rencontre"};
    struct pp_collective_policy q = {subs, 1, two, 2};
    assert_string_equal(pp_collective_policy_explain(a, &q, NULL, NULL),
                        "Les offres collectives sont ouvertes aujourd'hui aux offres suivantes : "
                        "séance de cinéma (formats « Projection audiovisuelle » et « Conférence, "
                        "rencontre »).");
    struct pp_collective_policy none = {subs, 0, formats, 1};
    assert_non_null(strstr(pp_collective_policy_explain(a, &none, NULL, NULL), "Aucune"));
    assert_true(pp_eac_format_valid("Visite libre"));
    assert_false(pp_eac_format_valid("visite libre"));
    pp_arena_free(a);
}

static void test_strlist(void **state)
{
    (void)state;
    struct pp_arena *a = pp_arena_new();
    const char *items[] = {"Collège - 6e", "Lycée - Terminale", "x"};
    const char *j = pp_strlist_join(a, items, 3);
    assert_string_equal(j, "Collège - 6e|Lycée - Terminale|x");
    size_t n;
    const char **back = pp_strlist_split(a, j, &n);
    assert_int_equal(n, 3);
    assert_string_equal(back[1], "Lycée - Terminale");
    assert_null(back[3]);
    assert_int_equal((pp_strlist_split(a, "", &n), n), 0);
    assert_int_equal((pp_strlist_split(a, NULL, &n), n), 0);
    assert_string_equal(pp_strlist_join(a, items, 0), "");
    assert_false(pp_strlist_item_ok("a|b"));
    assert_false(pp_strlist_item_ok(""));
    assert_true(pp_strlist_item_ok("a b"));
    pp_arena_free(a);
}

static void test_secret_key(void **state)
{
    (void)state;
    struct pp_arena *a = pp_arena_new();
    const char *prefix, *key, *pre, *secret;
    char hash[PP_SECRET_HASH_HEX + 1];
    pp_secret_key_generate(a, "adage", &prefix, &key, hash);
    assert_int_equal(strlen(key), 6 + 12 + 1 + 64);
    assert_int_equal(strncmp(key, prefix, strlen(prefix)), 0);
    assert_null(strstr(hash, key + strlen(prefix) + 1)); /* the hash is not the secret */
    assert_true(pp_secret_key_parse(a, pp_arena_printf(a, "Bearer %s", key), &pre, &secret));
    assert_string_equal(pre, prefix);
    assert_true(pp_secret_key_verify(secret, hash));
    char other[65];
    memcpy(other, secret, 65);
    other[0] = other[0] == 'a' ? 'b' : 'a';
    assert_false(pp_secret_key_verify(other, hash));
    assert_false(pp_secret_key_verify(secret, NULL));
    assert_false(pp_secret_key_parse(a, key, &pre, &secret)); /* no "Bearer " */
    assert_false(pp_secret_key_parse(a, "Bearer adage_12345_abc", &pre, &secret));
    assert_false(pp_secret_key_parse(a, pp_arena_printf(a, "Bearer _%s", key + 6), &pre, &secret));
    assert_false(pp_secret_key_parse(a, pp_arena_printf(a, "Bearer %sZ", key), &pre, &secret));
    pp_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_uai),           cmocka_unit_test(test_school_year),
        cmocka_unit_test(test_policy_explain), cmocka_unit_test(test_strlist),
        cmocka_unit_test(test_secret_key),
    };
    return cmocka_run_group_tests_name("collective", tests, NULL, NULL);
}
