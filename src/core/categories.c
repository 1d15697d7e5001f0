#include "core/categories.h"

#include <stddef.h>
#include <string.h>

#include "core/table.h"

/* reference/helpcenter.md §5, "Categories", in the table's order. */
static const struct pp_category categories[] = {
    {"BEAUX_ARTS", "Beaux-arts", true},
    {"CARTE_JEUNES", "Carte jeunes", true},
    {"CINEMA", "Cinéma", true},
    {"CONFERENCE", "Conférences, rencontres", true},
    {"FILM", "Films, vidéos", true},
    {"INSTRUMENT", "Instrument de musique", true},
    {"JEU", "Jeux", true},
    {"LIVRE", "Livre", true},
    {"MEDIA", "Médias", true},
    {"MUSEE", "Musée, patrimoine, architecture, arts visuels", true},
    {"MUSIQUE_ENREGISTREE", "Musique enregistrée", true},
    {"MUSIQUE_LIVE", "Musique live", true},
    {"PRATIQUE_ART", "Pratique artistique", true},
    {"SPECTACLE", "Spectacle vivant", true},
    {"TECHNIQUE", "Catégorie technique", false},
};

#define CATEGORY_COUNT (sizeof categories / sizeof categories[0])

/*
 * Row flags: the columns of the reference table. An absent flag is the column's default: thing,
 * OFFLINE, no Duo, not collective, STANDARD scale, no cap, cannot expire, minors may book it
 * paid or free, selectable, no withdrawal options, not used at booking.
 */
enum {
    EV = 1 << 0,     /* Ev Y: an event (dated stocks) */
    ON = 1 << 1,     /* On/Off ON: online only (else OFFLINE) */
    DUO = 1 << 2,    /* Duo Y */
    COLL = 1 << 3,   /* Coll Y: can be a collective offer */
    BOOK = 1 << 4,   /* Remb BOOK: book scale */
    NR = 1 << 5,     /* Remb NR: not reimbursed */
    PHYS = 1 << 6,   /* Cap Phys */
    DIG = 1 << 7,    /* Cap Dig */
    EXP = 1 << 8,    /* Exp Y: expires 30 days after booking if not collected */
    EXP10 = 1 << 9,  /* Exp Y (10 days): LIVRE_PAPIER */
    U18F = 1 << 10,  /* "U18paid N": minors may book it only when it is free */
    U18N = 1 << 11,  /* "U18 N" / "U18 N (also free)": minors may not book it at all */
    NOSEL = 1 << 12, /* Sel N: not offered in the portal */
    WD = 1 << 13,    /* withdrawal options apply (§4 "modalités de retrait") */
    UF = 1 << 14,    /* a free booking is USED at once (RULES §3) */
};

/* One subcategory row: id, pro label, flags; its category is CAT, set before each group. */
#define R(sub_id, label, f)                                                                        \
    {                                                                                              \
        .id = #sub_id,                                                                             \
        .category_id = CAT,                                                                        \
        .pro_label = label,                                                                        \
        .is_event = ((f) & EV) != 0,                                                               \
        .platform = ((f) & ON) ? PP_PLATFORM_ONLINE : PP_PLATFORM_OFFLINE,                         \
        .can_be_duo = ((f) & DUO) != 0,                                                            \
        .can_expire = ((f) & (EXP | EXP10)) != 0,                                                  \
        .expiry_days = ((f) & EXP10) ? 10 : ((f) & EXP) ? 30 : 0,                                  \
        .can_be_educational = ((f) & COLL) != 0,                                                   \
        .reimbursement = ((f) & BOOK) ? PP_REIMBURSEMENT_BOOK                                      \
                         : ((f) & NR) ? PP_REIMBURSEMENT_NOT_REIMBURSED                            \
                                      : PP_REIMBURSEMENT_STANDARD,                                 \
        .cap = ((f) & PHYS) ? PP_CAP_PHYSICAL : ((f) & DIG) ? PP_CAP_DIGITAL : PP_CAP_NONE,        \
        .minors_paid = ((f) & (U18F | U18N)) == 0,                                                 \
        .minors_free = ((f) & U18N) == 0,                                                          \
        .selectable = ((f) & NOSEL) == 0,                                                          \
        .can_be_withdrawable = ((f) & WD) != 0,                                                    \
        .used_at_booking_when_free = ((f) & UF) != 0,                                              \
    }

/*
 * reference/helpcenter.md §5 "Subcategory table", row for row and in its order. The table has
 * 70 rows and its last one (TECHNIQUE) names four ids: 69 + 4 = 73 subcategories, the count of
 * reference/individual.md §3.3 too.
 */
static const struct pp_subcategory subcategories[] = {
    /* R(id, pro label, Ev | On | Duo | Coll | Remb | Cap | Exp | U18 | Sel | withdrawable | UF) */
#define CAT "FILM"
    R(SUPPORT_PHYSIQUE_FILM, "Support physique (DVD, Blu-ray...)", PHYS | EXP),
    R(ABO_MEDIATHEQUE, "Abonnement médiathèque", PHYS | EXP | UF),
    R(VOD, "Vidéo à la demande", ON | NR | DIG | U18F),
    R(ABO_PLATEFORME_VIDEO, "Abonnement plateforme streaming", ON | NR | DIG | U18F),
    R(AUTRE_SUPPORT_NUMERIQUE, "Autre support numérique", ON | NR | DIG | U18F),
#undef CAT
#define CAT "CINEMA"
    R(CARTE_CINE_MULTISEANCES, "Carte cinéma multi-séances", EXP),
    R(CARTE_CINE_ILLIMITE, "Carte cinéma illimité", EXP),
    R(SEANCE_CINE, "Séance de cinéma", EV | DUO | COLL),
    R(EVENEMENT_CINE, "Évènement cinématographique", EV | DUO | COLL),
    R(FESTIVAL_CINE, "Festival de cinéma", EV | DUO | COLL),
    R(CINE_VENTE_DISTANCE, "Cinéma vente à distance", ON),
    R(CINE_PLEIN_AIR, "Cinéma plein air", EV | DUO | COLL),
#undef CAT
#define CAT "CONFERENCE"
    R(CONFERENCE, "Conférence", EV | DUO | COLL),
    R(RENCONTRE, "Rencontre", EV | DUO | COLL),
    R(DECOUVERTE_METIERS, "Découverte des métiers", EV | DUO | COLL | NOSEL),
    R(SALON, "Salon, Convention", EV | DUO | COLL),
    R(RENCONTRE_EN_LIGNE, "Rencontre en ligne", EV | ON | COLL | NR | U18F),
#undef CAT
#define CAT "JEU"
    R(CONCOURS, "Concours - jeux", EV | DUO | COLL),
    R(RENCONTRE_JEU, "Rencontres - jeux", EV | DUO | COLL),
    R(ESCAPE_GAME, "Escape game", DUO),
    R(EVENEMENT_JEU, "Évènements - jeux", EV | DUO | COLL),
    R(JEU_EN_LIGNE, "Jeux en ligne", ON | NR | DIG | U18N),
    R(ABO_JEU_VIDEO, "Abonnement jeux vidéos", ON | NR | DIG | U18N),
    R(ABO_LUDOTHEQUE, "Abonnement ludothèque", PHYS | EXP | U18N | NOSEL),
#undef CAT
#define CAT "LIVRE"
    R(LIVRE_PAPIER, "Livre papier", BOOK | PHYS | EXP10),
    R(LIVRE_NUMERIQUE, "Livre numérique, e-book", ON | BOOK | DIG),
    R(TELECHARGEMENT_LIVRE_AUDIO, "Livre audio à télécharger", ON | NR | DIG),
    R(LIVRE_AUDIO_PHYSIQUE, "Livre audio sur support physique", PHYS | EXP),
    R(ABO_BIBLIOTHEQUE, "Abonnement (bibliothèques, médiathèques...)", PHYS | EXP | UF),
    R(ABO_LIVRE_NUMERIQUE, "Abonnement livres numériques", ON | BOOK | DIG | EXP),
    R(FESTIVAL_LIVRE, "Festival et salon du livre", EV | DUO),
#undef CAT
#define CAT "CARTE_JEUNES"
    R(CARTE_JEUNES, "Carte jeunes", PHYS | EXP),
#undef CAT
#define CAT "MUSEE"
    R(CARTE_MUSEE, "Abonnement musée, carte ou pass", DUO | EXP | UF),
    R(VISITE, "Visite", EV | DUO | COLL),
    R(VISITE_GUIDEE, "Visite guidée", EV | DUO | COLL),
    R(EVENEMENT_PATRIMOINE, "Évènement et atelier patrimoine", EV | DUO | COLL),
    R(VISITE_VIRTUELLE, "Visite virtuelle", ON | NR | DIG | U18F),
    R(MUSEE_VENTE_DISTANCE, "Musée vente à distance", ON),
    R(FESTIVAL_ART_VISUEL, "Festival d'arts visuels / arts numériques", EV | DUO | COLL | WD),
#undef CAT
#define CAT "MUSIQUE_LIVE"
    R(CONCERT, "Concert", EV | DUO | COLL | WD),
    R(EVENEMENT_MUSIQUE, "Autre type d'évènement musical", EV | DUO | COLL | WD),
    R(LIVESTREAM_MUSIQUE, "Livestream musical", EV | ON | DIG | U18F),
    R(ABO_CONCERT, "Abonnement concert", EXP),
    R(FESTIVAL_MUSIQUE, "Festival de musique", EV | DUO | COLL | WD),
#undef CAT
#define CAT "MUSIQUE_ENREGISTREE"
    R(SUPPORT_PHYSIQUE_MUSIQUE_CD, "CD", PHYS | EXP),
    R(SUPPORT_PHYSIQUE_MUSIQUE_VINYLE, "Vinyles et autres supports", PHYS | EXP),
    R(TELECHARGEMENT_MUSIQUE, "Téléchargement de musique", ON | NR | DIG | U18F),
    R(ABO_PLATEFORME_MUSIQUE, "Abonnement plateforme musicale", ON | NR | DIG | U18F),
    R(CAPTATION_MUSIQUE, "Captation musicale", NR | DIG | NOSEL), /* OFF with Dig, as listed */
#undef CAT
#define CAT "PRATIQUE_ART"
    R(SEANCE_ESSAI_PRATIQUE_ART, "Séance d'essai", EV | DUO | COLL | EXP), /* an event, Exp Y */
    R(ATELIER_PRATIQUE_ART, "Atelier, stage de pratique artistique", EV | DUO | COLL),
    R(ABO_PRATIQUE_ART, "Abonnement pratique artistique", EXP),
    R(PRATIQUE_ART_VENTE_DISTANCE, "Pratique artistique - vente à distance", ON),
    R(PLATEFORME_PRATIQUE_ARTISTIQUE, "Pratique artistique - plateforme en ligne",
      ON | NR | DIG | EXP | U18F),
    R(LIVESTREAM_PRATIQUE_ARTISTIQUE, "Pratique artistique - livestream", EV | ON | DIG | U18F),
#undef CAT
#define CAT "MEDIA"
    R(ABO_PRESSE_EN_LIGNE, "Abonnement presse en ligne", ON | NR | DIG),
    R(PODCAST, "Podcast", ON | NR | DIG),
    R(APP_CULTURELLE, "Application culturelle", ON | NR | DIG),
#undef CAT
#define CAT "SPECTACLE"
    R(SPECTACLE_REPRESENTATION, "Spectacle, représentation", EV | DUO | COLL | WD),
    R(SPECTACLE_ENREGISTRE, "Spectacle enregistré", ON | NR | DIG | U18F),
    R(LIVESTREAM_EVENEMENT, "Livestream d'évènement", EV | ON | DIG | U18F),
    R(FESTIVAL_SPECTACLE, "Festival de spectacle vivant", EV | DUO | COLL | WD),
    R(ABO_SPECTACLE, "Abonnement spectacle", EXP),
    R(SPECTACLE_VENTE_DISTANCE, "Spectacle vivant - vente à distance", ON),
#undef CAT
#define CAT "INSTRUMENT"
    R(ACHAT_INSTRUMENT, "Achat instrument", PHYS | EXP),
    R(BON_ACHAT_INSTRUMENT, "Bon d'achat instrument", PHYS | EXP | NOSEL),
    R(LOCATION_INSTRUMENT, "Location instrument", PHYS | EXP),
    R(PARTITION, "Partition", PHYS | EXP),
#undef CAT
#define CAT "BEAUX_ARTS"
    R(MATERIEL_ART_CREATIF, "Matériel arts créatifs", PHYS | EXP),
#undef CAT
#define CAT "TECHNIQUE"
    /* One reference row, four ids, label "technical": labels from the upstream code. */
    R(ACTIVATION_EVENT, "Catégorie technique d'événement d'activation", EV | NR | NOSEL),
    R(ACTIVATION_THING, "Catégorie technique de thing d'activation", NR | NOSEL),
    R(JEU_SUPPORT_PHYSIQUE, "Catégorie technique Jeu support physique", NR | NOSEL),
    R(OEUVRE_ART, "Catégorie technique d'oeuvre d'art", NR | NOSEL),
#undef CAT
};

#undef R

#define SUBCATEGORY_COUNT (sizeof subcategories / sizeof subcategories[0])

const struct pp_category *pp_categories(size_t *count)
{
    if (count != NULL)
        *count = CATEGORY_COUNT;
    return categories;
}

const struct pp_subcategory *pp_subcategories(size_t *count)
{
    if (count != NULL)
        *count = SUBCATEGORY_COUNT;
    return subcategories;
}

const struct pp_category *pp_category_find(const char *id)
{
    return pp_table_find(categories, CATEGORY_COUNT, sizeof categories[0],
                         offsetof(struct pp_category, id), id);
}

const struct pp_subcategory *pp_subcategory_find(const char *id)
{
    return pp_table_find(subcategories, SUBCATEGORY_COUNT, sizeof subcategories[0],
                         offsetof(struct pp_subcategory, id), id);
}

const char *pp_platform_name(enum pp_platform p)
{
    switch (p) {
    case PP_PLATFORM_OFFLINE:
        return "OFFLINE";
    case PP_PLATFORM_ONLINE:
        return "ONLINE";
    case PP_PLATFORM_ONLINE_OR_OFFLINE:
        return "ONLINE_OR_OFFLINE";
    }
    return "OFFLINE";
}

const char *pp_reimbursement_name(enum pp_reimbursement r)
{
    switch (r) {
    case PP_REIMBURSEMENT_STANDARD:
        return "STANDARD";
    case PP_REIMBURSEMENT_BOOK:
        return "BOOK";
    case PP_REIMBURSEMENT_NOT_REIMBURSED:
        return "NOT_REIMBURSED";
    }
    return "STANDARD";
}
