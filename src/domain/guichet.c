#include "domain/guichet.h"

#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/booking_rules.h"
#include "core/clock.h"
#include "core/tz.h"
#include "db/bind.h"
#include "db/db.h"
#include "db/scalar.h"
#include "db/tx.h"
#include "domain/api_key.h"
#include "domain/audit.h"
#include "domain/finance_event.h"
#include "domain/throttle.h"

/* Unknown countermarks tried for one structure before a pause: guessing is hopeless (30^6
 * codes) and this keeps it so. The count belongs to the structure, not to whoever types: its
 * pros and every key it ever had (revoked ones too) share it, so that churning keys or
 * sessions buys no extra guesses. */
#define MISSES_MAX 30
#define MISSES_WINDOW (10 * 60)

/* The counts a miss of @actor goes to (in @a): its key's structure; for a pro, each structure
 * it acts for (VALIDATED attachment), or its own account when it has none (it then finds
 * nothing anyway, but its misses stay bounded). */
static enum pp_err throttle_keys(struct pp_db *db, struct pp_arena *a,
                                 const struct pp_guichet_actor *actor, const char ***keys,
                                 size_t *n)
{
    int64_t *ids = NULL;
    size_t count = 0;
    if (actor->offerer_id != 0) {
        ids = pp_arena_alloc(a, sizeof *ids);
        ids[0] = actor->offerer_id;
        count = 1;
    } else if (pp_scalar_ints(PP_BIND(db, "SELECT offerer_id FROM user_offerer"
                                          " WHERE account_id = ? AND status = 'VALIDATED'",
                                      PP_INT(actor->account_id)),
                              a, &ids, &count) != PP_OK) {
        return PP_EDB;
    }
    *keys = pp_arena_alloc(a, (count ? count : 1) * sizeof **keys);
    for (size_t i = 0; i < count; i++)
        (*keys)[i] = pp_arena_printf(a, "guichet:offerer:%lld", (long long)ids[i]);
    if (count == 0)
        (*keys)[count++] = pp_arena_printf(a, "guichet:account:%lld",
                                           (long long)actor->account_id);
    *n = count;
    return PP_OK;
}

/* Whether one of @keys has @max misses or more in the window. */
static enum pp_err any_exceeded(struct pp_db *db, const char *const *keys, size_t n, int64_t max,
                                int64_t now, bool *exceeded)
{
    *exceeded = false;
    for (size_t i = 0; i < n && !*exceeded; i++)
        if (pp_throttle_exceeded(db, keys[i], max, MISSES_WINDOW, now, exceeded) != PP_OK)
            return PP_EDB;
    return PP_OK;
}

/* The booking of @input if the actor may see it; reason NOT_FOUND (or THROTTLED) otherwise. */
static enum pp_err find(struct pp_db *db, struct pp_arena *a, const struct pp_guichet_actor *actor,
                        const char *input, struct pp_guichet_result *out)
{
    memset(out, 0, sizeof *out);
    char token[PP_TOKEN_LEN + 1];
    if (!pp_token_parse(input, token))
        return PP_EINVAL;
    int64_t now = pp_clock_now();
    const char **keys;
    size_t nkeys;
    bool throttled = false;
    enum pp_err rc = throttle_keys(db, a, actor, &keys, &nkeys);
    if (rc == PP_OK)
        rc = any_exceeded(db, keys, nkeys, MISSES_MAX, now, &throttled);
    if (rc != PP_OK)
        return rc;
    if (throttled) {
        out->reason = PP_GUICHET_THROTTLED;
        return PP_OK;
    }
    /* Another structure's booking reads as an unknown one. */
    rc = pp_booking_find_by_token(db, a, token, actor->account_id, actor->offerer_id,
                                  &out->booking);
    if (rc == PP_ENOTFOUND) {
        memset(&out->booking, 0, sizeof out->booking);
        out->reason = PP_GUICHET_NOT_FOUND;
        /* Recorded, then counted with itself: of misses arriving together, at most
         * MISSES_MAX ever get an answer, the others are throttled. */
        for (size_t i = 0; i < nkeys; i++)
            if ((rc = pp_throttle_record(db, keys[i], now)) != PP_OK)
                return rc;
        if ((rc = any_exceeded(db, keys, nkeys, MISSES_MAX + 1, now, &throttled)) != PP_OK)
            return rc;
        if (throttled)
            out->reason = PP_GUICHET_THROTTLED;
    }
    return rc;
}

/* The booking's new status after a write, in both its forms. */
static void set_status(struct pp_booking *b, enum pp_booking_status s)
{
    b->status_code = s;
    b->status = pp_booking_status_name(s);
}

/* The refusal a settled booking gets whatever the operation (reimbursed, used, cancelled, in
 * pass Culture's order), or PP_GUICHET_OK for a live one. */
static enum pp_guichet_reason settled_reason(const struct pp_booking *b)
{
    if (b->status_code == PP_BOOKING_REIMBURSED)
        return PP_GUICHET_REIMBURSED;
    if (b->status_code == PP_BOOKING_USED)
        return PP_GUICHET_ALREADY_USED;
    if (b->status_code == PP_BOOKING_CANCELLED)
        return PP_GUICHET_CANCELLED;
    return PP_GUICHET_OK;
}

/* Whether the found booking could be validated now (RULES §4, in pass Culture's order). */
static void usable(struct pp_guichet_result *r, int64_t now)
{
    const struct pp_booking *b = &r->booking;
    r->reason = settled_reason(b);
    if (r->reason == PP_GUICHET_OK && b->beginning_at != 0 && b->cancellation_limit_at > now) {
        r->reason = PP_GUICHET_TOO_EARLY;
        r->usable_from = b->cancellation_limit_at;
    }
}

enum pp_err pp_guichet_check(struct pp_db *db, struct pp_arena *arena,
                             const struct pp_guichet_actor *actor, const char *input,
                             struct pp_guichet_result *out)
{
    enum pp_err rc = find(db, arena, actor, input, out);
    if (rc == PP_OK && out->reason == PP_GUICHET_OK)
        usable(out, pp_clock_now());
    return rc;
}

/* Runs @op on the booking found for @input inside one write transaction. */
static enum pp_err in_tx(struct pp_db *db, struct pp_arena *a,
                         const struct pp_guichet_actor *actor, const char *input,
                         struct pp_guichet_result *out,
                         enum pp_err (*op)(struct pp_db *, const struct pp_guichet_actor *,
                                           struct pp_guichet_result *, int64_t))
{
    if (pp_db_begin(db) != PP_OK)
        return PP_EDB;
    enum pp_err rc = find(db, a, actor, input, out);
    if (rc == PP_OK && out->reason == PP_GUICHET_OK)
        rc = op(db, actor, out, pp_clock_now());
    /* A refusal still commits: the throttling count of unknown countermarks must stay. */
    return pp_tx_end(db, rc);
}

/* One conditional UPDATE of booking @id (@sql binds @time when non-zero, then the id; it ends
 * with RETURNING id), and its audit entry @action. */
static enum pp_err transition(struct pp_db *db, const struct pp_guichet_actor *actor,
                              int64_t id, const char *sql, int64_t time, const char *action)
{
    int64_t changed;
    enum pp_err rc = time ? pp_db_query_int(db, &changed, sql, 2, time, id)
                          : pp_db_query_int(db, &changed, sql, 1, id);
    if (rc == PP_ENOTFOUND)
        return PP_ECONFLICT; /* its status changed since it was read */
    if (rc != PP_OK)
        return rc;
    return pp_audit_log(db, actor->account_id, actor->channel, action, "booking", id,
                        actor->key_prefix);
}

static enum pp_err use_op(struct pp_db *db, const struct pp_guichet_actor *actor,
                          struct pp_guichet_result *r, int64_t now)
{
    usable(r, now);
    if (r->reason != PP_GUICHET_OK)
        return PP_OK;
    enum pp_err rc = transition(db, actor, r->booking.id,
                                "UPDATE booking SET status = 'USED', used_at = ?,"
                                " validation_author = 'OFFERER' WHERE id = ?"
                                " AND status = 'CONFIRMED' RETURNING id",
                                now, "BOOKING_USED");
    if (rc == PP_OK)
        rc = pp_finance_booking_used(db, r->booking.id, now);
    if (rc == PP_OK) {
        set_status(&r->booking, PP_BOOKING_USED);
        r->booking.used_at = now;
    }
    return rc;
}

enum pp_err pp_guichet_use(struct pp_db *db, struct pp_arena *arena,
                           const struct pp_guichet_actor *actor, const char *input,
                           struct pp_guichet_result *out)
{
    return in_tx(db, arena, actor, input, out, use_op);
}

static enum pp_err keep_op(struct pp_db *db, const struct pp_guichet_actor *actor,
                           struct pp_guichet_result *r, int64_t now)
{
    (void)now;
    const struct pp_booking *b = &r->booking;
    if (b->status_code == PP_BOOKING_REIMBURSED)
        r->reason = PP_GUICHET_REIMBURSED;
    else if (b->status_code == PP_BOOKING_CANCELLED)
        r->reason = PP_GUICHET_CANCELLED;
    else if (b->status_code != PP_BOOKING_USED)
        r->reason = PP_GUICHET_NOT_USED;
    else if (b->activation_code != NULL)
        r->reason = PP_GUICHET_HAS_CODE;
    if (r->reason != PP_GUICHET_OK)
        return PP_OK;
    enum pp_err rc = transition(db, actor, b->id,
                                "UPDATE booking SET status = 'CONFIRMED', used_at = NULL,"
                                " validation_author = NULL WHERE id = ?"
                                " AND status = 'USED' RETURNING id",
                                0, "BOOKING_UNUSED");
    /* Its waiting event, or its unpaid pricing, goes with the validation. */
    if (rc == PP_OK)
        rc = pp_finance_booking_unused(db, b->id);
    if (rc == PP_OK) {
        set_status(&r->booking, PP_BOOKING_CONFIRMED);
        r->booking.used_at = 0;
    }
    return rc;
}

enum pp_err pp_guichet_keep(struct pp_db *db, struct pp_arena *arena,
                            const struct pp_guichet_actor *actor, const char *input,
                            struct pp_guichet_result *out)
{
    return in_tx(db, arena, actor, input, out, keep_op);
}

enum pp_err pp_guichet_cancel(struct pp_db *db, struct pp_arena *arena,
                              const struct pp_guichet_actor *actor, const char *input,
                              struct pp_guichet_result *out)
{
    enum pp_err rc = find(db, arena, actor, input, out);
    if (rc != PP_OK || out->reason != PP_GUICHET_OK)
        return rc;
    const struct pp_booking *b = &out->booking;
    out->reason = settled_reason(b);
    if (out->reason == PP_GUICHET_OK && b->beginning_at != 0 &&
        b->cancellation_limit_at <= pp_clock_now())
        out->reason = PP_GUICHET_TOO_LATE;
    if (out->reason != PP_GUICHET_OK)
        return PP_OK;
    struct pp_error e;
    pp_error_init(&e);
    rc = pp_booking_cancel_by_offerer(db, actor->account_id, actor->channel, b->id, &e);
    if (rc == PP_EGONE) {
        out->reason = PP_GUICHET_CANCELLED; /* cancelled meanwhile */
        return PP_OK;
    }
    if (rc == PP_OK)
        set_status(&out->booking, PP_BOOKING_CANCELLED);
    return rc;
}

enum pp_err pp_guichet_api_key_create(struct pp_db *db, struct pp_arena *arena,
                                      int64_t offerer_id, int64_t account_id, const char **key,
                                      struct pp_api_key *out, struct pp_error *e)
{
    if (pp_db_begin(db) != PP_OK)
        return PP_EDB;
    enum pp_err rc = pp_api_key_create(db, arena, offerer_id, account_id, key, out, e);
    if (rc == PP_OK)
        rc = pp_audit_log(db, account_id, PP_CHANNEL_PORTAL, "API_KEY_CREATED", "offerer",
                          offerer_id, out->prefix);
    return pp_tx_end(db, rc);
}

enum pp_err pp_guichet_api_key_revoke(struct pp_db *db, int64_t offerer_id, int64_t account_id,
                                      int64_t key_id)
{
    if (pp_db_begin(db) != PP_OK)
        return PP_EDB;
    enum pp_err rc = pp_api_key_revoke(db, offerer_id, key_id);
    if (rc == PP_OK)
        rc = pp_audit_log(db, account_id, PP_CHANNEL_PORTAL, "API_KEY_REVOKED", "offerer",
                          offerer_id, NULL);
    return pp_tx_end(db, rc);
}

const char *pp_guichet_too_early_message(struct pp_arena *arena,
                                         const struct pp_guichet_result *r)
{
    char when[24];
    pp_tz_format_fr(r->booking.venue_timezone, r->usable_from, when);
    return pp_arena_printf(arena,
                           "Vous pourrez valider cette contremarque à partir du %s, une fois le "
                           "délai d’annulation passé.",
                           when);
}
