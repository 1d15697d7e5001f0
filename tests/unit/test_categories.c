#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "core/categories.h"

/*
 * reference/helpcenter.md §5 "Subcategory table" has 70 rows; the last (TECHNIQUE) names four
 * ids, so 69 + 4 = 73 subcategories (reference/individual.md §3.3 also counts 73).
 */
#define SUBCATEGORY_ROWS 73

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

static const struct pp_subcategory *sub(const char *id)
{
    const struct pp_subcategory *s = pp_subcategory_find(id);
    if (s == NULL)
        fail_msg("subcategory %s is missing", id);
    return s;
}

static bool in_list(const char *id, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(id, list[i]) == 0)
            return true;
    }
    return false;
}

static void test_categories(void **state)
{
    (void)state;
    static const char *const expected[][2] = {
        {"BEAUX_ARTS", "Beaux-arts"},
        {"CARTE_JEUNES", "Carte jeunes"},
        {"CINEMA", "Cinéma"},
        {"CONFERENCE", "Conférences, rencontres"},
        {"FILM", "Films, vidéos"},
        {"INSTRUMENT", "Instrument de musique"},
        {"JEU", "Jeux"},
        {"LIVRE", "Livre"},
        {"MEDIA", "Médias"},
        {"MUSEE", "Musée, patrimoine, architecture, arts visuels"},
        {"MUSIQUE_ENREGISTREE", "Musique enregistrée"},
        {"MUSIQUE_LIVE", "Musique live"},
        {"PRATIQUE_ART", "Pratique artistique"},
        {"SPECTACLE", "Spectacle vivant"},
        {"TECHNIQUE", "Catégorie technique"},
    };
    size_t count = 0;
    const struct pp_category *c = pp_categories(&count);
    assert_non_null(c);
    assert_int_equal(count, 15);
    assert_int_equal(COUNT_OF(expected), 15);
    for (size_t i = 0; i < count; i++) {
        assert_string_equal(c[i].id, expected[i][0]);
        assert_string_equal(c[i].pro_label, expected[i][1]);
        assert_int_equal(c[i].selectable, strcmp(c[i].id, "TECHNIQUE") != 0);
        assert_ptr_equal(pp_category_find(c[i].id), &c[i]);
        for (size_t j = i + 1; j < count; j++)
            assert_string_not_equal(c[i].id, c[j].id);
    }
    assert_ptr_equal(pp_categories(NULL), c);
    /* UTF-8, precomposed: "é" is C3 A9. */
    assert_memory_equal(pp_category_find("CINEMA")->pro_label, "Cin\xc3\xa9ma", 7);
}

static void test_subcategories_table(void **state)
{
    (void)state;
    size_t count = 0;
    const struct pp_subcategory *s = pp_subcategories(&count);
    assert_non_null(s);
    assert_int_equal(count, SUBCATEGORY_ROWS);
    assert_ptr_equal(pp_subcategories(NULL), s);
    for (size_t i = 0; i < count; i++) {
        assert_non_null(s[i].id);
        assert_non_null(s[i].pro_label);
        assert_true(strlen(s[i].pro_label) > 0);
        if (pp_category_find(s[i].category_id) == NULL)
            fail_msg("%s: unknown category %s", s[i].id, s[i].category_id);
        for (size_t j = i + 1; j < count; j++) {
            if (strcmp(s[i].id, s[j].id) == 0)
                fail_msg("%s is listed twice", s[i].id);
        }
        assert_ptr_equal(pp_subcategory_find(s[i].id), &s[i]);
        /* Rows of one category are contiguous: once a group ends it never comes back. */
        if (i > 0 && strcmp(s[i].category_id, s[i - 1].category_id) != 0) {
            for (size_t j = 0; j + 1 < i; j++) {
                if (strcmp(s[j].category_id, s[i].category_id) == 0)
                    fail_msg("%s: category %s is split", s[i].id, s[i].category_id);
            }
        }
    }
    /* Every category has at least one subcategory. */
    size_t ncat = 0;
    const struct pp_category *c = pp_categories(&ncat);
    for (size_t i = 0; i < ncat; i++) {
        size_t n = 0;
        for (size_t j = 0; j < count; j++)
            n += strcmp(s[j].category_id, c[i].id) == 0;
        if (n == 0)
            fail_msg("category %s has no subcategory", c[i].id);
    }
    /* First and last rows, as in the reference. */
    assert_string_equal(s[0].id, "SUPPORT_PHYSIQUE_FILM");
    assert_string_equal(s[count - 1].id, "OEUVRE_ART");
}

static void test_group_sizes(void **state)
{
    (void)state;
    static const struct {
        const char *category;
        size_t n;
    } groups[] = {
        {"FILM", 5},         {"CINEMA", 7},       {"CONFERENCE", 5},
        {"JEU", 7},          {"LIVRE", 7},        {"CARTE_JEUNES", 1},
        {"MUSEE", 7},        {"MUSIQUE_LIVE", 5}, {"MUSIQUE_ENREGISTREE", 5},
        {"PRATIQUE_ART", 6}, {"MEDIA", 3},        {"SPECTACLE", 6},
        {"INSTRUMENT", 4},   {"BEAUX_ARTS", 1},   {"TECHNIQUE", 4},
    };
    size_t count = 0;
    const struct pp_subcategory *s = pp_subcategories(&count);
    size_t at = 0, total = 0;
    for (size_t g = 0; g < COUNT_OF(groups); g++) {
        for (size_t k = 0; k < groups[g].n; k++, at++) {
            assert_true(at < count);
            if (strcmp(s[at].category_id, groups[g].category) != 0)
                fail_msg("row %zu (%s): %s, expected %s", at, s[at].id, s[at].category_id,
                         groups[g].category);
        }
        total += groups[g].n;
    }
    assert_int_equal(total, SUBCATEGORY_ROWS);
    assert_int_equal(at, count);
}

static void test_museum(void **state)
{
    (void)state;
    const struct pp_subcategory *s;

    s = sub("CARTE_MUSEE");
    assert_string_equal(s->category_id, "MUSEE");
    assert_string_equal(s->pro_label, "Abonnement musée, carte ou pass");
    assert_false(s->is_event);
    assert_int_equal(s->platform, PP_PLATFORM_OFFLINE);
    assert_true(s->can_be_duo);
    assert_true(s->can_expire);
    assert_int_equal(s->expiry_days, 30);
    assert_false(s->can_be_educational);
    assert_int_equal(s->reimbursement, PP_REIMBURSEMENT_STANDARD);
    assert_int_equal(s->cap, PP_CAP_NONE);
    assert_true(s->used_at_booking_when_free);
    assert_true(s->minors_paid);
    assert_true(s->minors_free);
    assert_true(s->selectable);

    static const char *const museum_events[] = {"VISITE", "VISITE_GUIDEE", "EVENEMENT_PATRIMOINE",
                                                "FESTIVAL_ART_VISUEL"};
    for (size_t i = 0; i < COUNT_OF(museum_events); i++) {
        s = sub(museum_events[i]);
        assert_string_equal(s->category_id, "MUSEE");
        assert_true(s->is_event);
        assert_int_equal(s->platform, PP_PLATFORM_OFFLINE);
        assert_true(s->can_be_duo);
        assert_true(s->can_be_educational);
        assert_false(s->can_expire);
        assert_int_equal(s->expiry_days, 0);
        assert_int_equal(s->reimbursement, PP_REIMBURSEMENT_STANDARD);
        assert_int_equal(s->cap, PP_CAP_NONE);
        assert_true(s->minors_paid);
        assert_true(s->selectable);
        assert_false(s->used_at_booking_when_free);
    }
    assert_string_equal(sub("VISITE")->pro_label, "Visite");
    assert_string_equal(sub("VISITE_GUIDEE")->pro_label, "Visite guidée");
    assert_string_equal(sub("EVENEMENT_PATRIMOINE")->pro_label,
                        "Évènement et atelier patrimoine");
    assert_string_equal(sub("FESTIVAL_ART_VISUEL")->pro_label,
                        "Festival d'arts visuels / arts numériques");
    assert_false(sub("VISITE")->can_be_withdrawable);
    assert_true(sub("FESTIVAL_ART_VISUEL")->can_be_withdrawable);

    s = sub("VISITE_VIRTUELLE");
    assert_string_equal(s->category_id, "MUSEE");
    assert_false(s->is_event);
    assert_int_equal(s->platform, PP_PLATFORM_ONLINE);
    assert_false(s->can_be_duo);
    assert_false(s->can_expire);
    assert_false(s->can_be_educational);
    assert_int_equal(s->reimbursement, PP_REIMBURSEMENT_NOT_REIMBURSED);
    assert_int_equal(s->cap, PP_CAP_DIGITAL);
    assert_false(s->minors_paid);
    assert_true(s->minors_free);
    assert_true(s->selectable);

    s = sub("MUSEE_VENTE_DISTANCE");
    assert_string_equal(s->category_id, "MUSEE");
    assert_string_equal(s->pro_label, "Musée vente à distance");
    assert_false(s->is_event);
    assert_int_equal(s->platform, PP_PLATFORM_ONLINE);
    assert_false(s->can_be_duo);
    assert_false(s->can_expire);
    assert_int_equal(s->reimbursement, PP_REIMBURSEMENT_STANDARD);
    assert_int_equal(s->cap, PP_CAP_NONE);
    assert_true(s->minors_paid);
    assert_true(s->selectable);

    /* Only VISITE_VIRTUELLE counts against a cap in MUSEE (individual.md §3.4). */
    size_t count = 0;
    const struct pp_subcategory *t = pp_subcategories(&count);
    size_t n_musee = 0;
    for (size_t i = 0; i < count; i++) {
        if (strcmp(t[i].category_id, "MUSEE") != 0)
            continue;
        n_musee++;
        assert_int_equal(t[i].cap, strcmp(t[i].id, "VISITE_VIRTUELLE") == 0 ? PP_CAP_DIGITAL
                                                                             : PP_CAP_NONE);
    }
    assert_int_equal(n_musee, 7);
}

static void test_conference(void **state)
{
    (void)state;
    static const char *const offline[] = {"CONFERENCE", "RENCONTRE", "DECOUVERTE_METIERS",
                                          "SALON"};
    for (size_t i = 0; i < COUNT_OF(offline); i++) {
        const struct pp_subcategory *s = sub(offline[i]);
        assert_string_equal(s->category_id, "CONFERENCE");
        assert_true(s->is_event);
        assert_int_equal(s->platform, PP_PLATFORM_OFFLINE);
        assert_true(s->can_be_duo);
        assert_true(s->can_be_educational);
        assert_false(s->can_expire);
        assert_int_equal(s->reimbursement, PP_REIMBURSEMENT_STANDARD);
        assert_int_equal(s->cap, PP_CAP_NONE);
        assert_true(s->minors_paid);
        assert_int_equal(s->selectable, strcmp(s->id, "DECOUVERTE_METIERS") != 0);
    }
    assert_string_equal(sub("DECOUVERTE_METIERS")->pro_label, "Découverte des métiers");
    assert_string_equal(sub("SALON")->pro_label, "Salon, Convention");

    const struct pp_subcategory *s = sub("RENCONTRE_EN_LIGNE");
    assert_string_equal(s->category_id, "CONFERENCE");
    assert_true(s->is_event);
    assert_int_equal(s->platform, PP_PLATFORM_ONLINE);
    assert_false(s->can_be_duo);
    assert_true(s->can_be_educational);
    assert_int_equal(s->reimbursement, PP_REIMBURSEMENT_NOT_REIMBURSED);
    assert_int_equal(s->cap, PP_CAP_NONE);
    assert_false(s->minors_paid);
    assert_true(s->minors_free);
    assert_true(s->selectable);
}

static void test_expiry(void **state)
{
    (void)state;
    const struct pp_subcategory *book = sub("LIVRE_PAPIER");
    assert_string_equal(book->category_id, "LIVRE");
    assert_string_equal(book->pro_label, "Livre papier");
    assert_int_equal(book->reimbursement, PP_REIMBURSEMENT_BOOK);
    assert_int_equal(book->cap, PP_CAP_PHYSICAL);
    assert_true(book->can_expire);
    assert_int_equal(book->expiry_days, 10);

    size_t count = 0;
    const struct pp_subcategory *s = pp_subcategories(&count);
    size_t n_expire = 0;
    for (size_t i = 0; i < count; i++) {
        if (!s[i].can_expire) {
            assert_int_equal(s[i].expiry_days, 0);
            continue;
        }
        n_expire++;
        assert_int_equal(s[i].expiry_days, &s[i] == book ? 10 : 30);
        /* Events do not expire; the table marks one exception. */
        if (s[i].is_event)
            assert_string_equal(s[i].id, "SEANCE_ESSAI_PRATIQUE_ART");
    }
    /* Exp Y rows of the table. */
    assert_int_equal(n_expire, 23);
    assert_true(sub("SEANCE_ESSAI_PRATIQUE_ART")->is_event);
    assert_true(sub("SEANCE_ESSAI_PRATIQUE_ART")->can_expire);
    assert_int_equal(sub("SEANCE_ESSAI_PRATIQUE_ART")->expiry_days, 30);
    assert_true(sub("ABO_LIVRE_NUMERIQUE")->can_expire);
    assert_true(sub("PLATEFORME_PRATIQUE_ARTISTIQUE")->can_expire);
    assert_false(sub("LIVRE_NUMERIQUE")->can_expire);
    assert_false(sub("ACTIVATION_THING")->can_expire);
}

static void test_platform_and_caps(void **state)
{
    (void)state;
    size_t count = 0;
    const struct pp_subcategory *s = pp_subcategories(&count);
    size_t n_online = 0, n_digital = 0, n_physical = 0;
    for (size_t i = 0; i < count; i++) {
        /* This table has no ONLINE_OR_OFFLINE row. */
        assert_true(s[i].platform == PP_PLATFORM_ONLINE || s[i].platform == PP_PLATFORM_OFFLINE);
        if (s[i].platform == PP_PLATFORM_ONLINE) {
            n_online++;
            /* Online: never Duo, never a physical good. */
            assert_false(s[i].can_be_duo);
            assert_int_not_equal(s[i].cap, PP_CAP_PHYSICAL);
        }
        if (s[i].cap == PP_CAP_PHYSICAL) {
            n_physical++;
            /* Physical goods are things, offline, and expire when not collected. */
            assert_false(s[i].is_event);
            assert_int_equal(s[i].platform, PP_PLATFORM_OFFLINE);
            assert_true(s[i].can_expire);
        }
        if (s[i].cap == PP_CAP_DIGITAL) {
            n_digital++;
            /* A digital subcategory is online; the table lists one OFFLINE exception, hidden
             * from the portal (the cap needs a URL, so it never applies to it). */
            if (s[i].platform == PP_PLATFORM_OFFLINE) {
                assert_string_equal(s[i].id, "CAPTATION_MUSIQUE");
                assert_false(s[i].selectable);
                assert_false(s[i].is_event);
            }
        }
        /* Online things are never collective offers. */
        if (!s[i].is_event && s[i].platform == PP_PLATFORM_ONLINE)
            assert_false(s[i].can_be_educational);
    }
    assert_int_equal(n_online, 24);
    assert_int_equal(n_digital, 20);
    assert_int_equal(n_physical, 14);
    /* Online events: livestreams and the online meeting. */
    static const char *const online_events[] = {"RENCONTRE_EN_LIGNE", "LIVESTREAM_MUSIQUE",
                                                "LIVESTREAM_PRATIQUE_ARTISTIQUE",
                                                "LIVESTREAM_EVENEMENT"};
    for (size_t i = 0; i < count; i++) {
        bool expected = in_list(s[i].id, online_events, COUNT_OF(online_events));
        if ((s[i].is_event && s[i].platform == PP_PLATFORM_ONLINE) != expected)
            fail_msg("%s: online event should be %d", s[i].id, expected);
    }
}

static void test_reimbursement(void **state)
{
    (void)state;
    /* reference/finance_pro.md §1.3 and §1.4. */
    static const char *const book[] = {"LIVRE_PAPIER", "LIVRE_NUMERIQUE", "ABO_LIVRE_NUMERIQUE"};
    static const char *const not_reimbursed[] = {
        "VOD", "ABO_PLATEFORME_VIDEO", "AUTRE_SUPPORT_NUMERIQUE", "RENCONTRE_EN_LIGNE",
        "JEU_EN_LIGNE", "ABO_JEU_VIDEO", "TELECHARGEMENT_LIVRE_AUDIO", "VISITE_VIRTUELLE",
        "TELECHARGEMENT_MUSIQUE", "ABO_PLATEFORME_MUSIQUE", "CAPTATION_MUSIQUE",
        "PLATEFORME_PRATIQUE_ARTISTIQUE", "ABO_PRESSE_EN_LIGNE", "PODCAST", "APP_CULTURELLE",
        "SPECTACLE_ENREGISTRE", "ACTIVATION_EVENT", "ACTIVATION_THING", "JEU_SUPPORT_PHYSIQUE",
        "OEUVRE_ART",
    };
    size_t count = 0;
    const struct pp_subcategory *s = pp_subcategories(&count);
    for (size_t i = 0; i < count; i++) {
        enum pp_reimbursement expected = PP_REIMBURSEMENT_STANDARD;
        if (in_list(s[i].id, book, COUNT_OF(book)))
            expected = PP_REIMBURSEMENT_BOOK;
        else if (in_list(s[i].id, not_reimbursed, COUNT_OF(not_reimbursed)))
            expected = PP_REIMBURSEMENT_NOT_REIMBURSED;
        if (s[i].reimbursement != expected)
            fail_msg("%s: %s, expected %s", s[i].id, pp_reimbursement_name(s[i].reimbursement),
                     pp_reimbursement_name(expected));
    }
    for (size_t i = 0; i < COUNT_OF(not_reimbursed); i++)
        assert_non_null(sub(not_reimbursed[i]));
    /* Online but reimbursed (finance_pro.md §1.4 note). */
    assert_int_equal(sub("LIVESTREAM_EVENEMENT")->reimbursement, PP_REIMBURSEMENT_STANDARD);
    assert_int_equal(sub("CINE_VENTE_DISTANCE")->reimbursement, PP_REIMBURSEMENT_STANDARD);
    assert_int_equal(sub("LIVRE_AUDIO_PHYSIQUE")->reimbursement, PP_REIMBURSEMENT_STANDARD);
}

static void test_minors(void **state)
{
    (void)state;
    /* "U18paid N": minors may book only when free. */
    static const char *const free_only[] = {
        "VOD", "ABO_PLATEFORME_VIDEO", "AUTRE_SUPPORT_NUMERIQUE", "RENCONTRE_EN_LIGNE",
        "VISITE_VIRTUELLE", "LIVESTREAM_MUSIQUE", "TELECHARGEMENT_MUSIQUE",
        "ABO_PLATEFORME_MUSIQUE", "PLATEFORME_PRATIQUE_ARTISTIQUE",
        "LIVESTREAM_PRATIQUE_ARTISTIQUE", "SPECTACLE_ENREGISTRE", "LIVESTREAM_EVENEMENT",
    };
    /* "U18 N (also free)" / "U18 N": never. */
    static const char *const never[] = {"JEU_EN_LIGNE", "ABO_JEU_VIDEO", "ABO_LUDOTHEQUE"};
    size_t count = 0;
    const struct pp_subcategory *s = pp_subcategories(&count);
    for (size_t i = 0; i < count; i++) {
        bool is_free_only = in_list(s[i].id, free_only, COUNT_OF(free_only));
        bool is_never = in_list(s[i].id, never, COUNT_OF(never));
        if (s[i].minors_paid != (!is_free_only && !is_never))
            fail_msg("%s: minors_paid %d", s[i].id, s[i].minors_paid);
        if (s[i].minors_free != !is_never)
            fail_msg("%s: minors_free %d", s[i].id, s[i].minors_free);
        /* Whoever may book it paid may book it free. */
        if (s[i].minors_paid)
            assert_true(s[i].minors_free);
    }
}

static void test_selectable_withdrawable_used(void **state)
{
    (void)state;
    static const char *const hidden[] = {
        "DECOUVERTE_METIERS", "ABO_LUDOTHEQUE", "CAPTATION_MUSIQUE", "BON_ACHAT_INSTRUMENT",
        "ACTIVATION_EVENT", "ACTIVATION_THING", "JEU_SUPPORT_PHYSIQUE", "OEUVRE_ART",
    };
    static const char *const withdrawable[] = {
        "CONCERT", "EVENEMENT_MUSIQUE", "FESTIVAL_MUSIQUE", "SPECTACLE_REPRESENTATION",
        "FESTIVAL_SPECTACLE", "FESTIVAL_ART_VISUEL",
    };
    static const char *const used_when_free[] = {"CARTE_MUSEE", "ABO_BIBLIOTHEQUE",
                                                 "ABO_MEDIATHEQUE"};
    size_t count = 0;
    const struct pp_subcategory *s = pp_subcategories(&count);
    for (size_t i = 0; i < count; i++) {
        if (s[i].selectable == in_list(s[i].id, hidden, COUNT_OF(hidden)))
            fail_msg("%s: selectable %d", s[i].id, s[i].selectable);
        if (s[i].can_be_withdrawable != in_list(s[i].id, withdrawable, COUNT_OF(withdrawable)))
            fail_msg("%s: can_be_withdrawable %d", s[i].id, s[i].can_be_withdrawable);
        if (s[i].used_at_booking_when_free !=
            in_list(s[i].id, used_when_free, COUNT_OF(used_when_free)))
            fail_msg("%s: used_at_booking_when_free %d", s[i].id, s[i].used_at_booking_when_free);
        /* Withdrawal options are for offline events. */
        if (s[i].can_be_withdrawable) {
            assert_true(s[i].is_event);
            assert_int_equal(s[i].platform, PP_PLATFORM_OFFLINE);
        }
        /* TECHNIQUE: hidden, OFFLINE, not reimbursed, no cap; ACTIVATION_EVENT is the event. */
        if (strcmp(s[i].category_id, "TECHNIQUE") == 0) {
            assert_false(s[i].selectable);
            assert_int_equal(s[i].platform, PP_PLATFORM_OFFLINE);
            assert_int_equal(s[i].reimbursement, PP_REIMBURSEMENT_NOT_REIMBURSED);
            assert_int_equal(s[i].cap, PP_CAP_NONE);
            assert_false(s[i].can_be_duo);
            assert_false(s[i].can_be_educational);
            assert_false(s[i].can_expire);
            assert_int_equal(s[i].is_event, strcmp(s[i].id, "ACTIVATION_EVENT") == 0);
        }
    }
}

static void test_duo_and_collective(void **state)
{
    (void)state;
    size_t count = 0;
    const struct pp_subcategory *s = pp_subcategories(&count);
    size_t n_duo = 0, n_coll = 0, n_event = 0;
    for (size_t i = 0; i < count; i++) {
        n_duo += s[i].can_be_duo;
        n_coll += s[i].can_be_educational;
        n_event += s[i].is_event;
        /* Duo things: the museum card and the escape game only. */
        if (s[i].can_be_duo && !s[i].is_event)
            assert_true(strcmp(s[i].id, "CARTE_MUSEE") == 0 ||
                        strcmp(s[i].id, "ESCAPE_GAME") == 0);
        /* Collective offers are events. */
        if (s[i].can_be_educational)
            assert_true(s[i].is_event);
    }
    assert_int_equal(n_duo, 25);
    assert_int_equal(n_coll, 23);
    assert_int_equal(n_event, 28);
    assert_false(sub("FESTIVAL_LIVRE")->can_be_educational);
    assert_true(sub("FESTIVAL_LIVRE")->can_be_duo);
}

static void test_labels(void **state)
{
    (void)state;
    static const char *const labels[][2] = {
        {"SUPPORT_PHYSIQUE_FILM", "Support physique (DVD, Blu-ray...)"},
        {"VOD", "Vidéo à la demande"},
        {"CARTE_CINE_MULTISEANCES", "Carte cinéma multi-séances"},
        {"EVENEMENT_CINE", "Évènement cinématographique"},
        {"CONCOURS", "Concours - jeux"},
        {"ABO_JEU_VIDEO", "Abonnement jeux vidéos"},
        {"ABO_BIBLIOTHEQUE", "Abonnement (bibliothèques, médiathèques...)"},
        {"LIVRE_NUMERIQUE", "Livre numérique, e-book"},
        {"EVENEMENT_MUSIQUE", "Autre type d'évènement musical"},
        {"SUPPORT_PHYSIQUE_MUSIQUE_CD", "CD"},
        {"SUPPORT_PHYSIQUE_MUSIQUE_VINYLE", "Vinyles et autres supports"},
        {"SEANCE_ESSAI_PRATIQUE_ART", "Séance d'essai"},
        {"PLATEFORME_PRATIQUE_ARTISTIQUE", "Pratique artistique - plateforme en ligne"},
        {"SPECTACLE_REPRESENTATION", "Spectacle, représentation"},
        {"LIVESTREAM_EVENEMENT", "Livestream d'évènement"},
        {"SPECTACLE_VENTE_DISTANCE", "Spectacle vivant - vente à distance"},
        {"BON_ACHAT_INSTRUMENT", "Bon d'achat instrument"},
        {"MATERIEL_ART_CREATIF", "Matériel arts créatifs"},
        {"CARTE_JEUNES", "Carte jeunes"},
    };
    for (size_t i = 0; i < COUNT_OF(labels); i++)
        assert_string_equal(sub(labels[i][0])->pro_label, labels[i][1]);
    /* "É" precomposed (C3 89), "è" (C3 A8). */
    assert_memory_equal(sub("EVENEMENT_CINE")->pro_label, "\xc3\x89v\xc3\xa8nement", 11);
}

static void test_find_unknown(void **state)
{
    (void)state;
    assert_null(pp_subcategory_find(NULL));
    assert_null(pp_subcategory_find("NOPE"));
    assert_null(pp_subcategory_find(""));
    assert_null(pp_subcategory_find("visite"));
    assert_null(pp_subcategory_find("VISITE "));
    assert_null(pp_subcategory_find("MUSEE"));
    assert_null(pp_subcategory_find("SUPPORT_PHYSIQUE_MUSIQUE"));
    assert_null(pp_subcategory_find("ABO_MUSEE"));
    assert_null(pp_category_find(NULL));
    assert_null(pp_category_find("NOPE"));
    assert_null(pp_category_find(""));
    assert_null(pp_category_find("musee"));
    assert_null(pp_category_find("VISITE"));
    assert_non_null(pp_category_find("CONFERENCE"));
    assert_non_null(pp_subcategory_find("CONFERENCE"));
}

static void test_enum_names(void **state)
{
    (void)state;
    assert_string_equal(pp_platform_name(PP_PLATFORM_OFFLINE), "OFFLINE");
    assert_string_equal(pp_platform_name(PP_PLATFORM_ONLINE), "ONLINE");
    assert_string_equal(pp_platform_name(PP_PLATFORM_ONLINE_OR_OFFLINE), "ONLINE_OR_OFFLINE");
    assert_string_equal(pp_reimbursement_name(PP_REIMBURSEMENT_STANDARD), "STANDARD");
    assert_string_equal(pp_reimbursement_name(PP_REIMBURSEMENT_BOOK), "BOOK");
    assert_string_equal(pp_reimbursement_name(PP_REIMBURSEMENT_NOT_REIMBURSED), "NOT_REIMBURSED");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_categories),
        cmocka_unit_test(test_subcategories_table),
        cmocka_unit_test(test_group_sizes),
        cmocka_unit_test(test_museum),
        cmocka_unit_test(test_conference),
        cmocka_unit_test(test_expiry),
        cmocka_unit_test(test_platform_and_caps),
        cmocka_unit_test(test_reimbursement),
        cmocka_unit_test(test_minors),
        cmocka_unit_test(test_selectable_withdrawable_used),
        cmocka_unit_test(test_duo_and_collective),
        cmocka_unit_test(test_labels),
        cmocka_unit_test(test_find_unknown),
        cmocka_unit_test(test_enum_names),
    };
    return cmocka_run_group_tests_name("categories", tests, NULL, NULL);
}
