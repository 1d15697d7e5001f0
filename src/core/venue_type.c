#include "core/venue_type.h"

#include <stddef.h>
#include <string.h>

#include "core/table.h"

/* French order of the labels (accents sort as their base letter), "Autre" last as on screen. */
static const struct pp_venue_type venue_types[] = {
    {"VISUAL_ARTS", "Arts visuels, arts plastiques et galeries", false},
    {"LIBRARY", "Bibliothèque ou médiathèque", true},
    {"CULTURAL_CENTRE", "Centre culturel", false},
    {"MOVIE", "Cinéma - Salle de projections", true},
    {"TRAVELING_CINEMA", "Cinéma itinérant", false},
    {"ARTISTIC_COURSE", "Cours et pratique artistiques", false},
    {"SCIENTIFIC_CULTURE", "Culture scientifique", false},
    {"FESTIVAL", "Festival", false},
    {"GAMES", "Jeux / Jeux vidéos", false},
    {"BOOKSTORE", "Librairie", true},
    {"CREATIVE_ARTS_STORE", "Magasin arts créatifs", true},
    {"DISTRIBUTION_STORE", "Magasin de distribution de produits culturels", false},
    {"MUSEUM", "Musée", true},
    {"RECORD_STORE", "Musique - Disquaire", false},
    {"MUSICAL_INSTRUMENT_STORE", "Musique - Magasin d'instruments", true},
    {"CONCERT_HALL", "Musique - Salle de concerts", false},
    {"DIGITAL", "Offre numérique", false},
    {"PATRIMONY_TOURISM", "Patrimoine et tourisme", false},
    {"PERFORMING_ARTS", "Spectacle vivant", false},
    {"OTHER", "Autre", false},
};

#define VENUE_TYPE_COUNT (sizeof venue_types / sizeof venue_types[0])

static const char *const timezones[] = {
    "Europe/Paris",     "America/Cayenne", "America/Guadeloupe", "America/Martinique",
    "America/Miquelon", "Indian/Reunion",  "Indian/Mayotte",     "Pacific/Tahiti",
    "Pacific/Noumea",   "Pacific/Wallis",
};

/*
 * Overseas postal codes start with their department or collectivity number. Saint-Barthélemy
 * (977) and Saint-Martin (978) actually use 97133 and 97150, under 971; their own numbers are
 * mapped too in case a code is typed from the INSEE number.
 */
static const struct {
    const char *prefix;
    const char *tz;
} overseas_zones[] = {
    {"971", "America/Guadeloupe"}, {"972", "America/Martinique"}, {"973", "America/Cayenne"},
    {"974", "Indian/Reunion"},     {"975", "America/Miquelon"},   {"976", "Indian/Mayotte"},
    {"977", "America/Guadeloupe"}, {"978", "America/Guadeloupe"}, {"986", "Pacific/Wallis"},
    {"987", "Pacific/Tahiti"},     {"988", "Pacific/Noumea"},
};

const struct pp_venue_type *pp_venue_types(size_t *count)
{
    if (count != NULL)
        *count = VENUE_TYPE_COUNT;
    return venue_types;
}

const struct pp_venue_type *pp_venue_type_find(const char *code)
{
    return pp_table_find(venue_types, VENUE_TYPE_COUNT, sizeof venue_types[0],
                         offsetof(struct pp_venue_type, code), code);
}

bool pp_timezone_is_valid(const char *tz)
{
    if (tz == NULL)
        return false;
    for (size_t i = 0; i < sizeof timezones / sizeof timezones[0]; i++) {
        if (strcmp(timezones[i], tz) == 0)
            return true;
    }
    return false;
}

const char *pp_timezone_for_postal_code(const char *postal_code)
{
    if (!pp_postal_code_is_valid(postal_code))
        return "Europe/Paris";
    for (size_t i = 0; i < sizeof overseas_zones / sizeof overseas_zones[0]; i++) {
        if (memcmp(postal_code, overseas_zones[i].prefix, 3) == 0)
            return overseas_zones[i].tz;
    }
    return "Europe/Paris";
}

bool pp_postal_code_is_valid(const char *pc)
{
    if (pc == NULL)
        return false;
    for (size_t i = 0; i < 5; i++) {
        if (pc[i] < '0' || pc[i] > '9')
            return false;
    }
    return pc[5] == '\0';
}
