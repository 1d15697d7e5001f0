#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "core/venue_type.h"

/* Lower-cased label with é, è, ê folded to e: enough of French collation for these labels. */
static void fold(const char *in, char *out, size_t cap)
{
    size_t n = 0;
    while (*in != '\0' && n + 1 < cap) {
        unsigned char c = (unsigned char)*in;
        if (c == 0xC3 && (in[1] == '\xa8' || in[1] == '\xa9' || in[1] == '\xaa')) {
            out[n++] = 'e';
            in += 2;
            continue;
        }
        out[n++] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : (char)c;
        in++;
    }
    out[n] = '\0';
}

static void test_table(void **state)
{
    (void)state;
    size_t count = 0;
    const struct pp_venue_type *t = pp_venue_types(&count);
    assert_non_null(t);
    assert_int_equal(count, 20);
    for (size_t i = 0; i < count; i++) {
        assert_non_null(t[i].code);
        assert_non_null(t[i].label);
        for (size_t j = i + 1; j < count; j++)
            assert_string_not_equal(t[i].code, t[j].code);
        assert_ptr_equal(pp_venue_type_find(t[i].code), &t[i]);
    }
    assert_ptr_equal(pp_venue_types(NULL), t);
}

static void test_sorted_by_label_other_last(void **state)
{
    (void)state;
    size_t count = 0;
    const struct pp_venue_type *t = pp_venue_types(&count);
    assert_string_equal(t[0].code, "VISUAL_ARTS");
    assert_string_equal(t[count - 1].code, "OTHER");
    assert_string_equal(t[count - 1].label, "Autre");
    for (size_t i = 1; i + 1 < count; i++) {
        char a[128], b[128];
        fold(t[i - 1].label, a, sizeof a);
        fold(t[i].label, b, sizeof b);
        if (strcmp(a, b) >= 0)
            fail_msg("\"%s\" is listed before \"%s\"", t[i - 1].label, t[i].label);
    }
}

static void test_find(void **state)
{
    (void)state;
    const struct pp_venue_type *m = pp_venue_type_find("MUSEUM");
    assert_non_null(m);
    assert_string_equal(m->label, "Musée");
    assert_true(m->permanent);

    const struct pp_venue_type *r = pp_venue_type_find("RECORD_STORE");
    assert_non_null(r);
    assert_string_equal(r->label, "Musique - Disquaire");
    assert_false(r->permanent);

    assert_string_equal(pp_venue_type_find("MOVIE")->label, "Cinéma - Salle de projections");
    assert_string_equal(pp_venue_type_find("GAMES")->label, "Jeux / Jeux vidéos");
    assert_string_equal(pp_venue_type_find("MUSICAL_INSTRUMENT_STORE")->label,
                        "Musique - Magasin d'instruments");
    assert_string_equal(pp_venue_type_find("DISTRIBUTION_STORE")->label,
                        "Magasin de distribution de produits culturels");
    assert_string_equal(pp_venue_type_find("TRAVELING_CINEMA")->label, "Cinéma itinérant");
}

static void test_find_unknown(void **state)
{
    (void)state;
    assert_null(pp_venue_type_find("MUSEE"));
    assert_null(pp_venue_type_find("museum"));
    assert_null(pp_venue_type_find("MUSEUM "));
    assert_null(pp_venue_type_find(""));
    assert_null(pp_venue_type_find(NULL));
}

static void test_permanent(void **state)
{
    (void)state;
    static const char *const permanent[] = {
        "BOOKSTORE", "CREATIVE_ARTS_STORE", "LIBRARY", "MOVIE", "MUSEUM",
        "MUSICAL_INSTRUMENT_STORE",
    };
    size_t count = 0;
    const struct pp_venue_type *t = pp_venue_types(&count);
    size_t n_permanent = 0;
    for (size_t i = 0; i < count; i++) {
        bool expected = false;
        for (size_t j = 0; j < sizeof permanent / sizeof permanent[0]; j++)
            expected = expected || strcmp(t[i].code, permanent[j]) == 0;
        if (t[i].permanent != expected)
            fail_msg("%s: permanent should be %d", t[i].code, expected);
        n_permanent += t[i].permanent;
    }
    assert_int_equal(n_permanent, 6);
}

static void test_timezone_valid(void **state)
{
    (void)state;
    static const char *const zones[] = {
        "Europe/Paris",   "America/Cayenne", "America/Guadeloupe", "America/Martinique",
        "Indian/Reunion", "Indian/Mayotte",  "America/Miquelon",   "Pacific/Tahiti",
        "Pacific/Noumea", "Pacific/Wallis",
    };
    for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++)
        assert_true(pp_timezone_is_valid(zones[i]));
    assert_false(pp_timezone_is_valid("Europe/London"));
    assert_false(pp_timezone_is_valid("europe/paris"));
    assert_false(pp_timezone_is_valid("UTC"));
    assert_false(pp_timezone_is_valid(""));
    assert_false(pp_timezone_is_valid(NULL));
}

static void test_timezone_for_postal_code(void **state)
{
    (void)state;
    assert_string_equal(pp_timezone_for_postal_code("97300"), "America/Cayenne");
    assert_string_equal(pp_timezone_for_postal_code("75001"), "Europe/Paris");
    assert_string_equal(pp_timezone_for_postal_code("97411"), "Indian/Reunion");
    assert_string_equal(pp_timezone_for_postal_code("97110"), "America/Guadeloupe");
    assert_string_equal(pp_timezone_for_postal_code("97133"), "America/Guadeloupe");
    assert_string_equal(pp_timezone_for_postal_code("97200"), "America/Martinique");
    assert_string_equal(pp_timezone_for_postal_code("97500"), "America/Miquelon");
    assert_string_equal(pp_timezone_for_postal_code("97600"), "Indian/Mayotte");
    assert_string_equal(pp_timezone_for_postal_code("98600"), "Pacific/Wallis");
    assert_string_equal(pp_timezone_for_postal_code("98714"), "Pacific/Tahiti");
    assert_string_equal(pp_timezone_for_postal_code("98800"), "Pacific/Noumea");
    assert_string_equal(pp_timezone_for_postal_code("20000"), "Europe/Paris");
    assert_string_equal(pp_timezone_for_postal_code("97000"), "Europe/Paris");
    assert_string_equal(pp_timezone_for_postal_code("9730"), "Europe/Paris");
    assert_string_equal(pp_timezone_for_postal_code("973000"), "Europe/Paris");
    assert_string_equal(pp_timezone_for_postal_code(""), "Europe/Paris");
    assert_string_equal(pp_timezone_for_postal_code(NULL), "Europe/Paris");
    for (int i = 0; i < 10; i++) {
        char pc[6] = "97300";
        pc[4] = (char)('0' + i);
        assert_true(pp_timezone_is_valid(pp_timezone_for_postal_code(pc)));
    }
}

static void test_postal_code(void **state)
{
    (void)state;
    assert_true(pp_postal_code_is_valid("75001"));
    assert_true(pp_postal_code_is_valid("01000"));
    assert_true(pp_postal_code_is_valid("97300"));
    assert_false(pp_postal_code_is_valid("7500"));
    assert_false(pp_postal_code_is_valid("750011"));
    assert_false(pp_postal_code_is_valid("2A004"));
    assert_false(pp_postal_code_is_valid("75 01"));
    assert_false(pp_postal_code_is_valid(" 75001"));
    assert_false(pp_postal_code_is_valid("75001 "));
    assert_false(pp_postal_code_is_valid("\xd9\xa7" "5001"));
    assert_false(pp_postal_code_is_valid(""));
    assert_false(pp_postal_code_is_valid(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_sorted_by_label_other_last),
        cmocka_unit_test(test_find),
        cmocka_unit_test(test_find_unknown),
        cmocka_unit_test(test_permanent),
        cmocka_unit_test(test_timezone_valid),
        cmocka_unit_test(test_timezone_for_postal_code),
        cmocka_unit_test(test_postal_code),
    };
    return cmocka_run_group_tests_name("venue_type", tests, NULL, NULL);
}
