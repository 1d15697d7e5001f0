#ifndef PP_DOMAIN_PRO_BOOKING_H
#define PP_DOMAIN_PRO_BOOKING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/status.h"
#include "domain/account.h"

struct pp_db;
struct pp_arena;

/**
 * Bookings as a pro follows them (SPEC §6, RULES §6 and §9): the filtered, paginated list,
 * a streaming iterator for the exports, and the bookings per day of the home page. Everything
 * is scoped to the structures where the pro's attachment is VALIDATED: bookings of any other
 * structure never show, and an id of another structure in a filter is PP_ENOTFOUND.
 * Periods and event dates are calendar dates compared in each booking's venue time zone.
 */

/** Rows of one page of the list. */
#define PP_PRO_BOOKING_PAGE_SIZE 20
/**
 * The deepest page (20,000 bookings): several structures are sorted by the database, which
 * keeps offset + page rows in memory. The exports have no such bound.
 */
#define PP_PRO_BOOKING_MAX_PAGE 1000
/** The default period: the 30 calendar days up to today (Europe/Paris), today included. */
#define PP_PRO_BOOKING_DEFAULT_DAYS 30
/** Zone of "today" for the default period and the home page chart. */
#define PP_PRO_BOOKING_ZONE "Europe/Paris"

/** Which date a period filters on ("Période de réservation / de validation / de remboursement"). */
enum pp_pro_booking_period {
    PP_PERIOD_BOOKING,       /**< dateCreated */
    PP_PERIOD_VALIDATION,    /**< dateUsed */
    PP_PERIOD_REIMBURSEMENT, /**< reimbursedAt */
};

/** The status a pro sees (pass Culture's "recap" status). */
enum pp_pro_status {
    PP_PRO_STATUS_ANY = 0,    /**< no status filter */
    PP_PRO_STATUS_BOOKED,     /**< CONFIRMED, cancellation window open (or a thing) */
    PP_PRO_STATUS_CONFIRMED,  /**< CONFIRMED, cancellation limit passed */
    PP_PRO_STATUS_VALIDATED,  /**< USED */
    PP_PRO_STATUS_CANCELLED,  /**< CANCELLED */
    PP_PRO_STATUS_REIMBURSED, /**< REIMBURSED */
};

/** "booked", "confirmed", "validated", "cancelled", "reimbursed" (JSON and filters). */
const char *pp_pro_status_code(enum pp_pro_status s);
/** Screen label of RULES §6: "Réservée", "Confirmée", "Validée", "Annulée", "Remboursée". */
const char *pp_pro_status_label(enum pp_pro_status s);
/** Export word of RULES §9: "réservé", "confirmé", "validé", "annulé", "remboursé". */
const char *pp_pro_status_word(enum pp_pro_status s);

/** Raw filter values as received (query string or form); NULL or "" means "not given". */
struct pp_pro_booking_query {
    const char *offerer_id, *venue_id, *offer_id;
    const char *status;      /**< a pp_pro_status_code() */
    const char *period_type; /**< "booking", "validation", "reimbursement" */
    /** pass Culture's name of the same choice (bookingStatusFilter): booked, validated,
     * reimbursed; period_type wins when both are given. */
    const char *period_type_alias;
    const char *period_begin, *period_end; /**< "YYYY-MM-DD" */
    const char *event_date;  /**< "YYYY-MM-DD" */
    const char *page;        /**< 1-based */
};

/** A checked filter. Dates are local calendar dates; has_* say whether they apply. */
struct pp_pro_booking_filter {
    int64_t offerer_id, venue_id, offer_id; /**< 0: all */
    enum pp_pro_status status;
    enum pp_pro_booking_period period;
    bool has_period;
    bool default_period;   /**< the period was not given: the default 30 days apply */
    int64_t begin_day, end_day; /**< days since 1970-01-01, inclusive */
    bool has_event_date;
    int64_t event_day;
    int64_t page;          /**< 1-based */
    char begin_iso[11], end_iso[11], event_iso[11]; /**< "YYYY-MM-DD" or "" */
};

/**
 * Checks @q into @f, as of @now. Malformed values are PP_EVALIDATION with French messages
 * under the query parameter's name (bookingPeriodBeginningDate, status, page...): a bad
 * date, a period with one end only, an end before the beginning, an unknown status or period
 * type, an id or page that is not a positive integer, a page past PP_PRO_BOOKING_MAX_PAGE.
 * An offerer, venue or offer id that is not the pro's is PP_ENOTFOUND. When neither a period
 * nor an event date nor an offer is given, the period is the PP_PRO_BOOKING_DEFAULT_DAYS days
 * up to today on the booking date (an offer's own bookings view shows all its dates).
 */
enum pp_err pp_pro_booking_filter_parse(struct pp_db *db, const struct pp_user *user,
                                        const struct pp_pro_booking_query *q, int64_t now,
                                        struct pp_pro_booking_filter *f, struct pp_error *e);

/** One booking as a pro sees it. */
struct pp_pro_booking {
    int64_t id;
    const char *token;        /**< NULL when hidden: a thing not used yet (RULES §6) */
    const char *db_status;    /**< CONFIRMED, USED, CANCELLED, REIMBURSED */
    enum pp_booking_status db_status_code; /**< @db_status, parsed */
    enum pp_pro_status status;
    int64_t quantity;         /**< 1, or 2 for a Duo */
    int64_t amount_cents;     /**< unit price */
    int64_t created_at, used_at, cancelled_at, reimbursed_at; /**< 0 when none */
    int64_t cancellation_limit_at; /**< 0 for things */
    int64_t beginning_at;     /**< event start, 0 for things */
    int64_t offer_id, venue_id, offerer_id;
    const char *offer_name;
    const char *offerer_name;
    const char *venue_name;   /**< public name, else name */
    const char *venue_street, *venue_postal_code, *venue_city;
    const char *venue_timezone;
    const char *price_category_label; /**< NULL for things */
    const char *first_name, *last_name, *email, *phone, *postal_code; /**< the beneficiary */
};

/** One step of a booking's history ("bookingStatusHistory"). */
struct pp_pro_booking_step {
    enum pp_pro_status status;
    int64_t at;
};

/**
 * The history of @b as of @now, oldest first, into @out: booked (dateCreated), confirmed
 * (once the cancellation limit passed, for events), validated (dateUsed), cancelled,
 * reimbursed. Returns the number of steps (1 to 5).
 */
size_t pp_pro_booking_history(const struct pp_pro_booking *b, int64_t now,
                              struct pp_pro_booking_step out[5]);

/**
 * Page f->page of the bookings of @account_id matching @f, newest booking first, at most
 * @per_page rows; *total (when not NULL) receives the number of matching bookings. Strings
 * live in @arena; the caller owns nothing else.
 */
enum pp_err pp_pro_booking_list(struct pp_db *db, struct pp_arena *arena, int64_t account_id,
                                const struct pp_pro_booking_filter *f, int64_t now,
                                int64_t per_page, struct pp_pro_booking **items, size_t *count,
                                int64_t *total);

/**
 * Streaming over every booking matching @f with database cursors read in index order: one
 * structure after the other (by id), newest booking first within each; nothing but the
 * current row is held in memory, whatever the number of rows.
 */
struct pp_pro_booking_iter;

/** Opens the cursor; free it with pp_pro_booking_iter_close(). PP_EDB on failure. */
enum pp_err pp_pro_booking_iter_open(struct pp_db *db, int64_t account_id,
                                     const struct pp_pro_booking_filter *f, int64_t now,
                                     struct pp_pro_booking_iter **out);

/**
 * Next row into @row: PP_OK, PP_ENOTFOUND after the last one, PP_EDB on failure. The strings
 * of @row belong to the iterator and stay valid until the next call or the close.
 */
enum pp_err pp_pro_booking_iter_next(struct pp_pro_booking_iter *it, struct pp_pro_booking *row);

/** Ends the cursor. NULL is accepted. */
void pp_pro_booking_iter_close(struct pp_pro_booking_iter *it);

/**
 * Bookings made per day (dateCreated in each venue's zone, every status counted) of the
 * pro's structures over the @days calendar days starting @first_day (days since
 * 1970-01-01): counts[i] for day first_day + i. @days at most 366.
 */
enum pp_err pp_pro_booking_daily(struct pp_db *db, int64_t account_id, int64_t first_day,
                                 int days, int64_t *counts);

/** Today in PP_PRO_BOOKING_ZONE at @now, as days since 1970-01-01. */
int64_t pp_pro_booking_today(int64_t now);

/** "YYYY-MM-DD" of @day (days since 1970-01-01) into @buf. */
void pp_pro_booking_day_iso(int64_t day, char buf[11]);

#endif
