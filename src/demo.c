#include "demo.h"
#include "demo_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "db/db.h"
#include "domain/account.h"
#include "domain/audit.h"
#include "domain/beneficiary.h"
#include "domain/booking.h"
#include "domain/guichet.h"
#include "core/categories.h"
#include "core/clock.h"
#include "core/tz.h"
#include "domain/offer.h"
#include "domain/offerer.h"
#include "domain/price_category.h"
#include "domain/stock.h"
#include "domain/venue.h"

#define DEMO_PASSWORD "Demo-Passpro-2026!"


static int64_t account(struct demo *d, const char *email, const char *first, const char *last,
                       const char *role)
{
    struct pp_error *e = pp_demo_errors(d);
    struct pp_account_new in = {.email = email, .password = DEMO_PASSWORD, .first_name = first,
                                .last_name = last, .phone = "01 23 45 67 89", .role = role,
                                .password_hash = d->password_hash};
    int64_t id = 0;
    char what[300];
    snprintf(what, sizeof what, "compte %s", email);
    pp_demo_report(d, what, pp_account_create(d->db, d->arena, &in, &id, e), e);
    return id;
}

static struct pp_offerer_registration signup(struct demo *d, int64_t account_id,
                                             const char *email,
                                             const struct pp_offerer_signup *in)
{
    struct pp_error *e = pp_demo_errors(d);
    struct pp_offerer_registration r = {0};
    char what[64];
    snprintf(what, sizeof what, "SIRET %s", in->siret);
    pp_demo_report(d, what, pp_offerer_register(d->db, d->arena, account_id, email, in, &r, e), e);
    return r;
}

static void set_venue(struct demo *d, int64_t venue_id, const struct pp_venue *patch)
{
    struct pp_error *e = pp_demo_errors(d);
    char what[40];
    snprintf(what, sizeof what, "lieu %lld", (long long)venue_id);
    pp_demo_report(d, what, pp_venue_update(d->db, d->arena, venue_id, patch, e), e);
}

struct pp_error *pp_demo_errors(struct demo *d)
{
    pp_error_init(&d->errors);
    return &d->errors;
}

void pp_demo_report(struct demo *d, const char *what, enum pp_err rc, const struct pp_error *e)
{
    if (rc == PP_OK)
        return;
    fprintf(stderr, "passpro: démo : %s : %s\n", what,
            e != NULL && e->count ? e->items[0].message : pp_err_name(rc));
    d->failed = 1;
}

int64_t pp_demo_offer(struct demo *d, int64_t venue_id, const char *name, const char *sub,
                     const char *url, const char *description)
{
    struct pp_error *e = pp_demo_errors(d);
    struct pp_offer_input in;
    pp_offer_input_init(&in);
    in.venue_id = venue_id;
    in.name = name;
    in.subcategory_id = sub;
    in.url = url;
    in.description = description;
    /* Events welcome a companion ("Duo"), as most museums do. */
    const struct pp_subcategory *subcategory = pp_subcategory_find(sub);
    in.is_duo = subcategory != NULL && subcategory->is_event && subcategory->can_be_duo;
    in.audio_disability = 1;
    in.mental_disability = 1;
    in.motor_disability = 1;
    in.visual_disability = 0;
    int64_t id = 0;
    pp_demo_report(d, name, pp_offer_create(d->db, d->arena, &in, &id, e), e);
    return id;
}

static int64_t tariff(struct demo *d, int64_t offer_id, const char *label, int64_t cents)
{
    struct pp_error *e = pp_demo_errors(d);
    int64_t id = 0;
    pp_demo_report(d, label, pp_price_category_create(d->db, offer_id, label, cents, &id, e), e);
    return id;
}

/* From tomorrow for @days days (Tuesday-Sunday, or every day), at @times (Paris time). */
static void dates(struct demo *d, int64_t offer_id, const int64_t *tariffs, size_t ntariffs,
                  const int *times, size_t ntimes, int days, int64_t quantity, bool mondays)
{
    struct pp_local from, to;
    int64_t now = pp_clock_now();
    pp_tz_to_local("Europe/Paris", now + 86400, &from);
    pp_tz_to_local("Europe/Paris", now + (int64_t)days * 86400, &to);
    struct pp_recurrence r = {
        .price_category_ids = tariffs, .n_price_categories = ntariffs,
        .start_year = from.year, .start_month = from.month, .start_day = from.day,
        .end_year = to.year, .end_month = to.month, .end_day = to.day,
        .weekdays = {false, mondays, true, true, true, true, true, true},
        .times = times, .n_times = ntimes, .quantity = quantity, .booking_limit_hours = -1,
    };
    struct pp_error *e = pp_demo_errors(d);
    int64_t created;
    pp_demo_report(d, "dates", pp_stock_recurrence(d->db, offer_id, &r, &created, e), e);
}

void pp_demo_thing_stock(struct demo *d, int64_t offer_id, int64_t cents, int64_t quantity)
{
    struct pp_error *e = pp_demo_errors(d);
    struct pp_stock_input in;
    pp_stock_input_init(&in);
    in.price_cents = cents;
    in.quantity = quantity;
    int64_t id;
    pp_demo_report(d, "stock", pp_stock_create(d->db, offer_id, &in, &id, e), e);
}

void pp_demo_publish(struct demo *d, int64_t account_id, int64_t offer_id)
{
    struct pp_error *e = pp_demo_errors(d);
    const char *status;
    pp_demo_report(d, "publication", pp_offer_publish(d->db, account_id, offer_id, &status, e), e);
}

/* The museum's offers (issue "offers"): free entries, timed slots, a card, a talk, a tour. */
static void seed_offers(struct demo *d, int64_t director, int64_t museum)
{
    int64_t expo = pp_demo_offer(d, museum, "Exposition « Lumières du Nord »", "VISITE", NULL,
                         "Peintures de la côte d'Opale, 1870-1910. Entrée libre aux heures "
                         "d'ouverture.");
    int64_t expo_tariffs[] = {tariff(d, expo, "Plus de 18 ans", 800),
                              tariff(d, expo, "Moins de 18 ans", 0)};
    static const int opening[] = {10 * 60};
    dates(d, expo, expo_tariffs, 2, opening, 1, 30, 200, false);
    pp_demo_publish(d, director, expo);

    int64_t tour = pp_demo_offer(d, museum, "Visite guidée : les impressionnistes", "VISITE_GUIDEE",
                         NULL, "Une heure avec un médiateur dans les salles impressionnistes.");
    int64_t tour_tariffs[] = {tariff(d, tour, "Plus de 18 ans", 1200),
                              tariff(d, tour, "Moins de 18 ans", 500),
                              tariff(d, tour, "Personne en situation de handicap", 0)};
    int slots[14];
    for (int i = 0; i < 14; i++)
        slots[i] = 10 * 60 + 30 * i; /* 10:00 to 16:30, every 30 minutes */
    /* Guided tours run every day: tomorrow's first one is always less than 48 h away, so the
     * demo's booking of it can be validated at the counter right away. */
    dates(d, tour, tour_tariffs, 3, slots, 14, 14, 15, true);
    pp_demo_publish(d, director, tour);

    int64_t card = pp_demo_offer(d, museum, "Carte Musées de Saint-Aubin (1 an)", "CARTE_MUSEE", NULL,
                         "Accès illimité aux collections et expositions pendant un an.");
    pp_demo_thing_stock(d, card, 1500, 100);
    pp_demo_publish(d, director, card);

    int64_t talk = pp_demo_offer(d, museum, "Conférence : Monet et la lumière", "CONFERENCE", NULL,
                         "Par la conservatrice du musée, suivie d'un échange avec le public.");
    struct pp_local day;
    pp_tz_to_local("Europe/Paris", pp_clock_now() + 10 * 86400, &day);
    struct pp_stock_input at;
    pp_stock_input_init(&at);
    at.price_category_id = tariff(d, talk, NULL, 0);
    at.quantity = 80;
    pp_tz_from_local("Europe/Paris", day.year, day.month, day.day, 18, 30, &at.beginning_at);
    struct pp_error *e = pp_demo_errors(d);
    int64_t stock_id;
    pp_demo_report(d, "conférence", pp_stock_create(d->db, talk, &at, &stock_id, e), e);
    pp_demo_publish(d, director, talk);

    int64_t virtual = pp_demo_offer(d, museum, "Visite virtuelle des collections", "VISITE_VIRTUELLE",
                            "https://musee-saint-aubin.test/visite-virtuelle",
                            "Les chefs-d'œuvre du musée en 360°, depuis chez vous.");
    pp_demo_thing_stock(d, virtual, 0, PP_UNLIMITED);
    pp_demo_publish(d, director, virtual);
}

struct pp_user pp_demo_beneficiary(struct demo *d, const char *email, const char *first,
                                  const char *last, int age, const char *postal_code)
{
    struct pp_local today;
    pp_tz_to_local("Europe/Paris", pp_clock_now(), &today);
    char birth[32];
    /* Born on 1 January, @age years ago (plus one day when today is 1 January). */
    snprintf(birth, sizeof birth, "%04d-01-01", today.year - age - (today.month == 1 &&
                                                                     today.day == 1));
    struct pp_beneficiary_new in = {.email = email, .password = DEMO_PASSWORD, .first_name = first,
                                    .last_name = last, .birth_date = birth,
                                    .postal_code = postal_code, .phone = "06 12 34 56 78",
                                    .password_hash = d->password_hash};
    struct pp_error *e = pp_demo_errors(d);
    struct pp_user u = {.email = email, .first_name = first, .last_name = last};
    struct pp_wallet w;
    pp_demo_report(d, email,
                   pp_beneficiary_create(d->db, d->arena, d->admin_id, &in, &u.id, &w, e), e);
    u.role_code = age >= 17 ? PP_ROLE_BENEFICIARY : PP_ROLE_UNDERAGE;
    u.role = pp_role_name(u.role_code);
    return u;
}

/* First stock of @offer_id (by start), for the demo bookings. */
int64_t pp_demo_first_stock(struct demo *d, int64_t offer_id, int skip)
{
    struct pp_stock *stocks;
    size_t n;
    if (pp_stock_list(d->db, d->arena, offer_id, &stocks, &n) != PP_OK || n <= (size_t)skip) {
        d->failed = 1;
        return 0;
    }
    return stocks[skip].id;
}

int64_t pp_demo_book(struct demo *d, const struct pp_user *u, int64_t stock_id, int quantity)
{
    struct pp_error *e = pp_demo_errors(d);
    struct pp_booking b = {0};
    pp_demo_report(d, "réservation", pp_booking_create(d->db, d->arena, u, stock_id, quantity, &b, e),
           e);
    return b.id;
}

/* Young people of Saint-Aubin and their bookings (issue "booking engine"). */
static void seed_beneficiaries(struct demo *d, int64_t director)
{
    struct pp_user ines = pp_demo_beneficiary(d, "ines.laurent@example.test", "Inès", "Laurent", 18,
                                      "33000");
    struct pp_user hugo = pp_demo_beneficiary(d, "hugo.fontaine@example.test", "Hugo", "Fontaine", 17,
                                      "33100");
    if (d->failed)
        return;
    /* Offers of the demo: 1 exhibition, 2 guided tour, 3 museum card, 4 talk, 5 virtual. */
    pp_demo_book(d, &ines, pp_demo_first_stock(d, 2, 0), 1);          /* a timed slot, confirmed */
    pp_demo_book(d, &ines, pp_demo_first_stock(d, 3, 0), 1);          /* the museum card, to collect */
    pp_demo_book(d, &ines, pp_demo_first_stock(d, 5, 0), 1);          /* the virtual tour */
    pp_demo_book(d, &hugo, pp_demo_first_stock(d, 1, 1), 2);          /* the exhibition, Duo */
    int64_t talk = pp_demo_book(d, &hugo, pp_demo_first_stock(d, 4, 0), 1);
    struct pp_error *e = pp_demo_errors(d);
    pp_demo_report(d, "annulation", pp_booking_cancel_by_beneficiary(d->db, hugo.id, talk, e), e);
    /* Hugo's museum card was validated at the counter, at his first visit. */
    pp_demo_collect(d, director, pp_demo_book(d, &hugo, pp_demo_first_stock(d, 3, 0), 1));
}

void pp_demo_collect(struct demo *d, int64_t director, int64_t booking_id)
{
    struct pp_booking b;
    struct pp_guichet_result r;
    struct pp_guichet_actor desk = {.account_id = director, .channel = PP_CHANNEL_PORTAL};
    if (booking_id == 0 || pp_booking_get(d->db, d->arena, booking_id, &b) != PP_OK ||
        pp_guichet_use(d->db, d->arena, &desk, b.token, &r) != PP_OK ||
        r.reason != PP_GUICHET_OK) {
        fprintf(stderr, "passpro: démo : validation de la contremarque impossible\n");
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

    seed_offers(d, musee, m.venue_id);
    if (d->failed)
        goto fail;

    /* A second venue without SIRET: the sculpture garden. */
    struct pp_error *e = pp_demo_errors(d);
    int64_t garden;
    struct pp_venue g = {.offerer_id = r.offerer.id, .name = "Jardin des sculptures",
                         .comment = "Annexe en plein air du musée, sans SIRET propre",
                         .street = "14 rue des Arts", .postal_code = "33000", .city = "Saint-Aubin",
                         .booking_email = "reservations@musee-saint-aubin.test",
                         .venue_type = "MUSEUM"};
    if (pp_venue_create(d->db, d->arena, &g, &garden, e) != PP_OK)
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
    seed_beneficiaries(d, musee);
    if (!d->failed)
        pp_demo_finance(d, musee, m.venue_id, garden);
    if (!d->failed)
        pp_demo_collective(d, cinema, c.offerer.id, c.venue_id);
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
    if (pp_account_hash(DEMO_PASSWORD, d.password_hash) != PP_OK)
        d.failed = 1;
    else
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
        "# Cinéma Le Palace (pro d'une autre structure, référencé pour les offres collectives)\n"
        "lea.roux@cinema-palace.test / " DEMO_PASSWORD "\n"
        "# Demande de rattachement en attente (ne voit encore aucune structure)\n"
        "sophie.bernard@musee-saint-aubin.test / " DEMO_PASSWORD "\n"
        "# Bénéficiaire de 18 ans (crédit pass Culture, application jeune /app)\n"
        "ines.laurent@example.test / " DEMO_PASSWORD "\n"
        "# Bénéficiaire de 17 ans\n"
        "hugo.fontaine@example.test / " DEMO_PASSWORD "\n";
    *banner = pp_xstrdup(text);
    return 0;
}
