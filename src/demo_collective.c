/*
 * The demo's collective side (docs/collective.md): the Cinéma Le Palace is referenced for the
 * school groups, with a showcase offer and three bookable screenings; schools have budgets for
 * this school year and the next; one screening is pre-booked by a teacher (Préréservée), one
 * confirmed by the head of school (Réservée), one still free in the catalog. The museum sends
 * nothing: it sees what is eligible and the referencing form. Domain functions only.
 */
#include "core/arena.h"
#include "core/clock.h"
#include "core/tz.h"
#include "demo_internal.h"
#include "domain/adage_application.h"
#include "domain/collective_booking.h"
#include "domain/collective_offer.h"
#include "domain/institution.h"

#define DAY 86400
#define CINEMA_CONTACT "lea.roux@cinema-palace.test"

#define FORMAT "Projection audiovisuelle"

/* The structure asks, the back office accepts. */
static void referencing(struct demo *d, int64_t cinema, int64_t offerer_id)
{
    struct pp_error *e = pp_demo_errors(d);
    const char *formats[] = {FORMAT};
    struct pp_adage_application_input in = {
        .activity = "Cinéma d'art et essai, trois salles",
        .public = "Classes de collège et de lycée de la métropole",
        .contact_email = CINEMA_CONTACT, .formats = formats, .nformats = 1,
        .description = "Projections suivies d'un échange sur le langage du cinéma."};
    int64_t id = 0;
    pp_demo_report(d, "demande de référencement",
                   pp_adage_application_create(d->db, cinema, offerer_id, &in, &id, e), e);
    if (!d->failed)
        pp_demo_report(d, "référencement",
                       pp_adage_application_decide(d->db, d->admin_id, offerer_id, true, NULL, e),
                       e);
}

static void schools(struct demo *d, int year)
{
    static const struct {
        const char *uai, *name, *city;
        int64_t budget;
    } list[] = {
        {"0330021U", "Collège Jean Moulin", "Bordeaux", 300000},
        {"0330145D", "Lycée Montesquieu", "Bordeaux", 500000},
        {"0331234M", "Collège Les Chartrons", "Saint-Aubin", 150000},
    };
    struct pp_error *e = pp_demo_errors(d);
    for (int y = year; y <= year + 1; y++)
        for (size_t i = 0; i < sizeof list / sizeof list[0] && !d->failed; i++) {
            struct pp_institution_input in = {list[i].uai, list[i].name, list[i].city,
                                              list[i].budget, y};
            int64_t id;
            bool created;
            pp_demo_report(d, "établissement",
                           pp_institution_save(d->db, d->admin_id, &in, &id, &created, e), e);
        }
}

/* An offer of the cinema; a bookable one gets a screening @days from now at 10:00. */
static int64_t offer(struct demo *d, int64_t cinema, int64_t offerer_id, int64_t venue_id,
                     const char *name, bool is_template, int days, int64_t *stock_id)
{
    const char *area[] = {"33"}, *emails[] = {CINEMA_CONTACT};
    const char *levels[] = {"Collège - 4e", "Collège - 3e", "Lycée - Seconde"};
    struct pp_collective_offer_input in;
    pp_collective_offer_input_init(&in);
    in.venue_id = venue_id;
    in.is_template = is_template;
    in.name = name;
    in.description = "Une séance pour la classe, présentée par l'équipe du cinéma.";
    in.subcategory_id = is_template ? "EVENEMENT_CINE" : "SEANCE_CINE";
    in.format = FORMAT;
    in.students = (struct pp_strs){levels, 3, true};
    in.contact_email = CINEMA_CONTACT;
    in.contact_phone = "05 56 00 00 00";
    in.intervention_area = (struct pp_strs){area, is_template, true};
    in.booking_emails = (struct pp_strs){emails, !is_template, true};
    in.institution_id = 0;
    struct pp_error *e = pp_demo_errors(d);
    int64_t id = 0;
    pp_demo_report(d, "offre collective",
                   pp_collective_offer_create(d->db, d->arena, cinema, offerer_id, &in, &id, e),
                   e);
    if (d->failed || is_template)
        return id;
    struct pp_local l;
    pp_tz_to_local("Europe/Paris", pp_clock_now() + (int64_t)days * DAY, &l);
    int64_t start = 0;
    pp_tz_from_local("Europe/Paris", l.year, l.month, l.day, 10, 0, &start);
    struct pp_collective_stock_input s = {start, start + 2 * 3600, 0, 28, 42000};
    pp_demo_report(d, "date de l'offre collective",
                   pp_collective_stock_save(d->db, cinema, id, true, &s, stock_id, e), e);
    return id;
}

/* A teacher of school @uai pre-books @stock_id; the head confirms it when @confirm. */
static void book(struct demo *d, int64_t stock_id, const char *uai, const char *teacher,
                 bool confirm)
{
    struct pp_error *e = pp_demo_errors(d);
    struct pp_collective_booking_in in = {stock_id, uai, teacher};
    int64_t id = 0;
    pp_demo_report(d, "préréservation",
                   pp_collective_booking_create(d->db, d->arena, 0, &in, &id, e), e);
    if (confirm && !d->failed)
        pp_demo_report(d, "confirmation",
                       pp_collective_booking_confirm(d->db, d->arena, 0, id, e), e);
}

void pp_demo_collective(struct demo *d, int64_t cinema, int64_t offerer_id, int64_t venue_id)
{
    referencing(d, cinema, offerer_id);
    if (!d->failed)
        schools(d, pp_school_year_of(pp_clock_now()));
    int64_t pending = 0, confirmed = 0, free_stock = 0;
    offer(d, cinema, offerer_id, venue_id, "Éducation à l'image : le cinéma vient à vous", true,
          0, NULL);
    if (!d->failed)
        offer(d, cinema, offerer_id, venue_id, "Séance scolaire : Les Quatre Cents Coups", false,
              60, &pending);
    if (!d->failed)
        offer(d, cinema, offerer_id, venue_id, "Séance scolaire : Le Voyage de Chihiro", false, 45,
              &confirmed);
    if (!d->failed)
        offer(d, cinema, offerer_id, venue_id, "Séance scolaire : Microcosmos", false, 75,
              &free_stock);
    if (!d->failed)
        book(d, pending, "0330021U", "anne.leroy@ac-bordeaux.test", false);
    if (!d->failed)
        book(d, confirmed, "0330145D", "marc.dupuis@ac-bordeaux.test", true);
}
