/*
 * The demo's money side. The history is written by the same domain functions as real use,
 * at the dates it would have happened: the clock travels back, books, validates and runs the
 * scheduled reimbursements at each cut-off, then comes back to real time.
 */
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/tz.h"
#include "db/db.h"
#include "demo_internal.h"
#include "domain/audit.h"
#include "domain/bank_account.h"
#include "domain/booking.h"
#include "domain/finance_event.h"
#include "domain/finance_run.h"
#include "domain/guichet.h"
#include "domain/invoice.h"
#include "domain/stock.h"
#include "export/justificatif.h"

#define DAY 86400
/* 140 passes at 150 € is 21 000 €: the 134th takes the year's revenue from 19 950 € to
 * 20 100 €, and is the first paid at 95 %. */
#define PASS_BUYERS 140
#define PASS_CENTS 15000
#define CATALOGUE_BUYERS 8

static const char *const first_names[] = {
    "Emma", "Louis", "Jade", "Gabriel", "Louise", "Raphaël", "Alice", "Arthur", "Lina", "Jules",
    "Mia", "Adam", "Chloé", "Lucas", "Léa", "Hugo", "Manon", "Nathan", "Inès", "Théo",
};
static const char *const last_names[] = {"Martin", "Bernard", "Dubois", "Thomas", "Robert",
                                         "Richard", "Petit", "Durand"};

/* A young person of the demo's history, created at the current (travelled) clock. */
static struct pp_user young(struct demo *d, int i)
{
    char email[80];
    snprintf(email, sizeof email, "jeune%03d@example.test", i + 1);
    return pp_demo_beneficiary(d, pp_arena_strdup(d->arena, email),
                               first_names[i % 20], last_names[(i / 20) % 8], 18, "33000");
}

/* The account of the museum, accepted by the back office, paying the museum and the garden. */
static void bank_account(struct demo *d, int64_t director, int64_t offerer_id, int64_t museum,
                         int64_t garden)
{
    struct pp_error *e = pp_demo_errors(d);
    int64_t id = 0;
    pp_demo_report(d, "compte bancaire",
                   pp_bank_account_create(d->db, director, offerer_id,
                                          "Régie de recettes du musée",
                                          "FR76 3000 4000 0312 3456 7890 143", &id, e),
                   e);
    if (d->failed)
        return;
    pp_demo_report(d, "compte accepté", pp_bank_account_decide(d->db, d->admin_id, id, true), e);
    pp_demo_report(d, "lieu de calcul",
                   pp_pricing_point_set(d->db, director, garden, museum, e), e);
    int64_t venues[] = {museum, garden};
    pp_demo_report(d, "lieux du compte",
                   pp_bank_account_link_venues(d->db, director, id, venues, 2, e), e);
}

/* Runs the scheduler at every cut-off from @first to @now, as the server would have. */
static void runs(struct demo *d, int64_t first, int64_t now)
{
    for (int64_t at = first + 600; at < now; at = pp_finance_next_cutoff(at) + 600) {
        pp_clock_set(at);
        int64_t invoices = 0;
        pp_demo_report(d, "virement", pp_finance_scheduled_run(d->db, at, &invoices), NULL);
    }
    pp_demo_report(d, "justificatifs", pp_justificatif_render_pending(d->db), NULL);
}

void pp_demo_finance(struct demo *d, int64_t director, int64_t museum, int64_t garden)
{
    int64_t now = pp_clock_now(), offerer_id = 0;
    if (pp_db_query_int(d->db, &offerer_id, "SELECT offerer_id FROM venue WHERE id = ?", 1,
                        museum) != PP_OK) {
        d->failed = 1;
        return;
    }
    /* The busy month: the one that began about two and a half months ago. */
    struct pp_local m;
    pp_tz_to_local(PP_FINANCE_ZONE, now - 75 * DAY, &m);
    int64_t month = 0;
    pp_tz_from_local(PP_FINANCE_ZONE, m.year, m.month, 1, 0, 0, &month);
    pp_clock_enable_test();
    pp_clock_set(month - 20 * DAY);
    bank_account(d, director, offerer_id, museum, garden);
    int64_t pass = pp_demo_offer(d, museum, "Pass saison : expositions et concerts", "CARTE_MUSEE",
                                 NULL, "Un an d'expositions, de concerts et d'ateliers au musée.");
    pp_demo_thing_stock(d, pass, PASS_CENTS, PP_UNLIMITED);
    pp_demo_publish(d, director, pass);
    int64_t catalogue =
        pp_demo_offer(d, museum, "Catalogue de l'exposition « Lumières du Nord »", "LIVRE_PAPIER",
                      NULL, "Le catalogue illustré, en vente à la boutique du musée.");
    pp_demo_thing_stock(d, catalogue, 2500, PP_UNLIMITED);
    pp_demo_publish(d, director, catalogue);
    int64_t pass_stock = pp_demo_first_stock(d, pass, 0);
    int64_t catalogue_stock = pp_demo_first_stock(d, catalogue, 0);
    /* Young people discover the pass over the month, about five a day. */
    for (int i = 0; i < PASS_BUYERS && !d->failed; i++) {
        pp_clock_set(month + (int64_t)i * 28 * DAY / PASS_BUYERS + 10 * 3600);
        struct pp_user u = young(d, i);
        pp_demo_collect(d, director, pp_demo_book(d, &u, pass_stock, 1));
    }
    /* Then a catalogue from the shop now and then; the last two after the last cut-off, for
     * the forecast. */
    int64_t from = month + 32 * DAY, to = pp_finance_last_cutoff(now) - DAY;
    for (int i = 0; i < CATALOGUE_BUYERS && !d->failed; i++) {
        int spread = CATALOGUE_BUYERS - 2;
        pp_clock_set(i < spread ? from + (to - from) * i / (spread - 1) : now - (4 - i % 2) * 3600);
        struct pp_user u = young(d, PASS_BUYERS + i);
        pp_demo_collect(d, director, pp_demo_book(d, &u, catalogue_stock, 1));
    }
    if (!d->failed)
        runs(d, pp_finance_next_cutoff(month), now);
    pp_clock_reset();
}
