#include "demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "db/db.h"
#include "domain/account.h"
#include "domain/offerer.h"
#include "domain/venue.h"

#define DEMO_PASSWORD "Demo-Passpro-2026!"

struct demo {
    struct pp_db *db;
    struct pp_arena *arena;
    int64_t admin_id;
    int failed;
};

static int64_t account(struct demo *d, const char *email, const char *first, const char *last,
                       const char *role)
{
    struct pp_error e;
    pp_error_init(&e);
    struct pp_account_new in = {.email = email, .password = DEMO_PASSWORD, .first_name = first,
                                .last_name = last, .phone = "01 23 45 67 89", .role = role};
    int64_t id = 0;
    if (pp_account_create(d->db, d->arena, &in, &id, &e) != PP_OK) {
        fprintf(stderr, "passpro: démo : compte %s : %s\n", email,
                e.count ? e.items[0].message : "erreur");
        d->failed = 1;
    }
    return id;
}

static struct pp_offerer_registration signup(struct demo *d, int64_t account_id,
                                             const char *email,
                                             const struct pp_offerer_signup *in)
{
    struct pp_error e;
    pp_error_init(&e);
    struct pp_offerer_registration r = {0};
    if (pp_offerer_register(d->db, d->arena, account_id, email, in, &r, &e) != PP_OK) {
        fprintf(stderr, "passpro: démo : SIRET %s : %s\n", in->siret,
                e.count ? e.items[0].message : "erreur");
        d->failed = 1;
    }
    return r;
}

static void set_venue(struct demo *d, int64_t venue_id, const struct pp_venue *patch)
{
    struct pp_error e;
    pp_error_init(&e);
    if (pp_venue_update(d->db, d->arena, venue_id, patch, &e) != PP_OK) {
        fprintf(stderr, "passpro: démo : lieu %lld : %s\n", (long long)venue_id,
                e.count ? e.items[0].message : "erreur");
        d->failed = 1;
    }
}

static void seed(struct demo *d)
{
    const char *status;
    d->admin_id = account(d, "admin@passpro.test", "Camille", "Durand", "ADMIN");

    /* The local authority registers first, with its town hall's SIRET. */
    int64_t mairie = account(d, "claire.martin@saint-aubin.test", "Claire", "Martin", "PRO");
    struct pp_offerer_signup town = {.siret = "21330063500025", .name = "Ville de Saint-Aubin",
                                     .street = "1 place de la Mairie", .postal_code = "33000",
                                     .city = "Saint-Aubin", .ape_code = "84.11Z"};
    struct pp_offerer_registration r = signup(d, mairie, "claire.martin@saint-aubin.test", &town);
    if (d->failed || pp_offerer_decide(d->db, d->admin_id, r.offerer.id, true, &status) != PP_OK)
        goto fail;
    set_venue(d, r.venue_id,
              &(struct pp_venue){.public_name = "Hôtel de ville de Saint-Aubin",
                                 .venue_type = "CULTURAL_CENTRE"});

    /* The museum joins the authority's account with its own SIRET: a request to join. */
    int64_t musee = account(d, "julien.moreau@musee-saint-aubin.test", "Julien", "Moreau", "PRO");
    struct pp_offerer_signup museum = {.siret = "21330063500017",
                                       .name = "Musée des Beaux-Arts de Saint-Aubin",
                                       .street = "12 rue des Arts", .postal_code = "33000",
                                       .city = "Saint-Aubin"};
    struct pp_offerer_registration m =
        signup(d, musee, "julien.moreau@musee-saint-aubin.test", &museum);
    if (d->failed || pp_attachment_decide(d->db, d->admin_id, m.attachment_id, true, &status) !=
                         PP_OK)
        goto fail;
    set_venue(d, m.venue_id,
              &(struct pp_venue){.public_name = "Musée des Beaux-Arts",
                                 .booking_email = "reservations@musee-saint-aubin.test",
                                 .venue_type = "MUSEUM"});

    /* A second venue without SIRET: the sculpture garden. */
    struct pp_error e;
    pp_error_init(&e);
    int64_t garden;
    struct pp_venue g = {.offerer_id = r.offerer.id, .name = "Jardin des sculptures",
                         .comment = "Annexe en plein air du musée, sans SIRET propre",
                         .street = "14 rue des Arts", .postal_code = "33000", .city = "Saint-Aubin",
                         .booking_email = "reservations@musee-saint-aubin.test",
                         .venue_type = "MUSEUM"};
    if (pp_venue_create(d->db, d->arena, &g, &garden, &e) != PP_OK)
        goto fail;

    /* A museum receptionist asked to join too: waiting in the back office. */
    int64_t accueil = account(d, "sophie.bernard@musee-saint-aubin.test", "Sophie", "Bernard", "PRO");
    signup(d, accueil, "sophie.bernard@musee-saint-aubin.test", &museum);

    /* A bookshop just registered: a new structure waiting for validation. */
    int64_t libraire = account(d, "paul.petit@librairie-des-quais.test", "Paul", "Petit", "PRO");
    struct pp_offerer_signup shop = {.siret = "91234567500017", .name = "Librairie des Quais",
                                     .street = "3 quai des Chartrons", .postal_code = "33000",
                                     .city = "Bordeaux"};
    signup(d, libraire, "paul.petit@librairie-des-quais.test", &shop);

    /* Another, unrelated structure: its data must never show in the museum's portal. */
    int64_t cinema = account(d, "lea.roux@cinema-palace.test", "Léa", "Roux", "PRO");
    struct pp_offerer_signup palace = {.siret = "88765432500018", .name = "Cinéma Le Palace",
                                       .street = "8 cours de l'Intendance", .postal_code = "33000",
                                       .city = "Bordeaux"};
    struct pp_offerer_registration c = signup(d, cinema, "lea.roux@cinema-palace.test", &palace);
    if (d->failed || pp_offerer_decide(d->db, d->admin_id, c.offerer.id, true, &status) != PP_OK)
        goto fail;
    set_venue(d, c.venue_id, &(struct pp_venue){.venue_type = "MOVIE"});
    return;
fail:
    d->failed = 1;
}

int pp_demo_create(const char *url, char **banner)
{
    if (strncmp(url, "sqlite:", 7) == 0 && strcmp(url, "sqlite::memory:") != 0) {
        /* A fresh demo every time: remove the file and its WAL companions. */
        const char *path = url + 7;
        char side[4096];
        unlink(path);
        snprintf(side, sizeof side, "%s-wal", path);
        unlink(side);
        snprintf(side, sizeof side, "%s-shm", path);
        unlink(side);
    }
    struct demo d = {0};
    char msg[512];
    if (pp_db_open(url, &d.db, msg, sizeof msg) != PP_OK) {
        fprintf(stderr, "passpro: %s\n", msg);
        return 1;
    }
    if (pp_db_migrate(d.db, NULL) != PP_OK) {
        fprintf(stderr, "passpro: la création du schéma de démo a échoué\n");
        pp_db_close(d.db);
        return 1;
    }
    d.arena = pp_arena_new();
    seed(&d);
    pp_arena_free(d.arena);
    pp_db_close(d.db);
    if (d.failed) {
        fprintf(stderr, "passpro: la démo n'a pas pu être créée\n");
        return 1;
    }
    const char *text =
        "Démo passpro prête. Comptes de démonstration (email / mot de passe) :\n"
        "# Directeur du Musée des Beaux-Arts (pro, rattaché à la Ville de Saint-Aubin)\n"
        "julien.moreau@musee-saint-aubin.test / " DEMO_PASSWORD "\n"
        "# Ville de Saint-Aubin (pro, collectivité)\n"
        "claire.martin@saint-aubin.test / " DEMO_PASSWORD "\n"
        "# Back office (administrateur)\n"
        "admin@passpro.test / " DEMO_PASSWORD "\n"
        "# Cinéma Le Palace (pro d'une autre structure)\n"
        "lea.roux@cinema-palace.test / " DEMO_PASSWORD "\n"
        "# Demande de rattachement en attente (ne voit encore aucune structure)\n"
        "sophie.bernard@musee-saint-aubin.test / " DEMO_PASSWORD "\n";
    *banner = pp_xstrdup(text);
    return 0;
}
