#ifndef PP_DEMO_INTERNAL_H
#define PP_DEMO_INTERNAL_H

/* Shared by demo.c and demo_finance.c: the seeding helpers. Each one reports a failure on
 * stderr and sets d->failed; the demo stops at the end of the step that failed. */

#include <stdint.h>

#include "core/error.h"
#include "domain/account.h"

struct demo {
    struct pp_db *db;
    struct pp_arena *arena;
    int64_t admin_id;
    int failed;
    /* Every demo account has the same password: hashed once (Argon2id takes ~70 ms and the
     * demo creates some 160 accounts). */
    char password_hash[PP_PASSWORD_HASH_MAX];
    /* The errors of the step under way (pp_demo_errors). */
    struct pp_error errors;
};

/** The demo's error list, emptied for the next step: every step reports through it. */
struct pp_error *pp_demo_errors(struct demo *d);
void pp_demo_report(struct demo *d, const char *what, enum pp_err rc, const struct pp_error *e);
int64_t pp_demo_offer(struct demo *d, int64_t venue_id, const char *name, const char *sub,
                      const char *url, const char *description);
void pp_demo_thing_stock(struct demo *d, int64_t offer_id, int64_t cents, int64_t quantity);
void pp_demo_publish(struct demo *d, int64_t account_id, int64_t offer_id);
struct pp_user pp_demo_beneficiary(struct demo *d, const char *email, const char *first,
                                   const char *last, int age, const char *postal_code);
int64_t pp_demo_first_stock(struct demo *d, int64_t offer_id, int skip);
int64_t pp_demo_book(struct demo *d, const struct pp_user *u, int64_t stock_id, int quantity);
/** The desk of @director validates booking @booking_id (0: a failed booking) at once. */
void pp_demo_collect(struct demo *d, int64_t director, int64_t booking_id);

/**
 * The money side (finance issue): months of history at the museum's pricing point: a bank
 * account accepted and linked, a season pass bought by 140 young people in one month (the
 * venue crosses 20 000 € with the 134th), finished runs VIR1, VIR2... with their invoices and
 * justificatifs, and bookings used since the last cut-off for the forecast. Travels the clock
 * back in time and resets it to real time at the end.
 */
void pp_demo_finance(struct demo *d, int64_t director, int64_t museum, int64_t garden);

/**
 * The collective side: structure @offerer_id of @cinema referenced, schools with budgets, a
 * showcase offer and bookable screenings at @venue_id, one pre-booked and one confirmed.
 */
void pp_demo_collective(struct demo *d, int64_t cinema, int64_t offerer_id, int64_t venue_id);

#endif
