#include "domain/custom_rule.h"

#include <stdbool.h>
#include <string.h>

#include "core/arena.h"
#include "core/categories.h"
#include "core/clock.h"
#include "core/tz.h"
#include "db/db.h"
#include "db/row.h"
#include "db/scalar.h"
#include "db/tx.h"
#include "domain/audit.h"
#include "domain/finance_event.h"

#define SUBCATEGORIES_MAX 2000

static const struct pp_col rule_cols[] = PP_COLS(struct pp_custom_rule,
    PPC_INT(id), PPC_INT(offer_id), PPC_INT(venue_id), PPC_INT(offerer_id), PPC_I32(rate_bp),
    PPC_INT(amount_cents), PPC_TEXT(subcategories), PPC_INT(starts_at), PPC_INT(ends_at));
static const struct pp_row_spec rule_row = PP_ROW_SPEC(struct pp_custom_rule, rule_cols, NULL);

#define RULE_SELECT                                                                               \
    "SELECT id, COALESCE(offer_id, 0) AS offer_id, COALESCE(venue_id, 0) AS venue_id,"            \
    " COALESCE(offerer_id, 0) AS offerer_id, COALESCE(rate_bp, -1) AS rate_bp,"                   \
    " COALESCE(amount_cents, 0) AS amount_cents, subcategories, starts_at,"                       \
    " COALESCE(ends_at, 0) AS ends_at FROM custom_reimbursement_rule"

enum pp_err pp_custom_rule_list(struct pp_db *db, struct pp_arena *arena,
                                struct pp_custom_rule **items, size_t *count)
{
    return pp_row_collect(pp_db_prepare(db, RULE_SELECT " ORDER BY id DESC"), arena, &rule_row,
                          (void **)items, count);
}

enum pp_err pp_custom_rule_all(struct pp_db *db, struct pp_arena *arena,
                               struct pp_custom_rule **items, size_t *count)
{
    return pp_row_collect(pp_db_prepare(db, RULE_SELECT " ORDER BY id"), arena, &rule_row,
                          (void **)items, count);
}

/* Every name of the comma-separated @list is a subcategory. */
static bool subcategories_ok(const char *list)
{
    if (list == NULL || *list == '\0')
        return true;
    if (strlen(list) > SUBCATEGORIES_MAX)
        return false;
    char name[64];
    for (const char *p = list;;) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n == 0 || n >= sizeof name)
            return false;
        memcpy(name, p, n);
        name[n] = '\0';
        if (pp_subcategory_find(name) == NULL)
            return false;
        if (end == NULL)
            return true;
        p = end + 1;
    }
}

/* Two subcategory lists share a subcategory (an empty list means all of them). */
static bool lists_meet(const char *a, const char *b)
{
    if (a == NULL || *a == '\0' || b == NULL || *b == '\0')
        return true;
    size_t blen = strlen(b);
    for (const char *p = a;;) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        for (const char *q = b; q < b + blen;) {
            const char *qe = strchr(q, ',');
            size_t m = qe ? (size_t)(qe - q) : strlen(q);
            if (m == n && strncmp(p, q, n) == 0)
                return true;
            q += m + 1;
        }
        if (end == NULL)
            return false;
        p = end + 1;
    }
}

static enum pp_err check_target(struct pp_db *db, const struct pp_custom_rule_input *in,
                                struct pp_error *e)
{
    int targets = (in->offer_id > 0) + (in->venue_id > 0) + (in->offerer_id > 0);
    if (targets != 1)
        return pp_error_set(e, PP_EVALIDATION, "global",
                            "Une règle porte sur exactement une offre, un lieu ou une structure.");
    int64_t ok = 0;
    enum pp_err rc;
    if (in->offer_id > 0)
        rc = pp_db_query_int(db, &ok, "SELECT 1 FROM offer WHERE id = ?", 1, in->offer_id);
    else if (in->venue_id > 0)
        rc = pp_db_query_int(db, &ok, "SELECT siret IS NOT NULL FROM venue WHERE id = ?", 1,
                             in->venue_id);
    else
        rc = pp_db_query_int(db, &ok, "SELECT 1 FROM offerer WHERE id = ?", 1, in->offerer_id);
    if (rc == PP_ENOTFOUND || (rc == PP_OK && !ok))
        return pp_error_set(e, PP_EVALIDATION, "global",
                            in->venue_id > 0 ? "Une règle de lieu porte sur un lieu avec SIRET."
                                             : "L'offre ou la structure visée n'existe pas.");
    return rc;
}

/* 00:00 in Paris of the day after @now's day there. */
static int64_t tomorrow_paris(int64_t now)
{
    struct pp_local today;
    pp_tz_to_local(PP_FINANCE_ZONE, now, &today);
    int64_t t = 0;
    pp_tz_next_midnight(PP_FINANCE_ZONE, today.year, today.month, today.day, &t);
    return t;
}

static void check_values(const struct pp_custom_rule_input *in, int64_t now, struct pp_error *e)
{
    if ((in->rate_bp >= 0) == (in->amount_cents >= 0))
        pp_error_set(e, PP_EVALIDATION, "rate",
                     "Indiquez soit un taux, soit un montant par place, pas les deux.");
    else if (in->rate_bp > 10000)
        pp_error_set(e, PP_EVALIDATION, "rate", "Le taux doit être compris entre 0 et 100 %.");
    if (!subcategories_ok(in->subcategories))
        pp_error_set(e, PP_EVALIDATION, "subcategories", "Une des sous-catégories est inconnue.");
    if (in->starts_at < tomorrow_paris(now))
        pp_error_set(e, PP_EVALIDATION, "startDate",
                     "Impossible d'appliquer une règle de remboursement avant le jour suivant.");
    if (in->ends_at != 0 && in->ends_at <= in->starts_at)
        pp_error_set(e, PP_EVALIDATION, "endDate",
                     "La date de fin doit être postérieure à la date de début.");
}

static enum pp_err check_conflicts(struct pp_db *db, const struct pp_custom_rule_input *in,
                                   struct pp_error *e)
{
    struct pp_arena *a = pp_arena_new();
    struct pp_custom_rule *rules;
    size_t n;
    enum pp_err rc = pp_custom_rule_list(db, a, &rules, &n);
    for (size_t i = 0; i < n && rc == PP_OK; i++) {
        const struct pp_custom_rule *r = &rules[i];
        bool same = (in->offer_id && r->offer_id == in->offer_id) ||
                    (in->venue_id && r->venue_id == in->venue_id) ||
                    (in->offerer_id && r->offerer_id == in->offerer_id);
        bool overlap = (r->ends_at == 0 || r->ends_at > in->starts_at) &&
                       (in->ends_at == 0 || in->ends_at > r->starts_at);
        if (same && overlap && lists_meet(r->subcategories, in->subcategories))
            rc = pp_error_set(e, PP_EVALIDATION, "global",
                              "Cette règle est en conflit avec au moins une autre règle de "
                              "remboursement.");
    }
    pp_arena_free(a);
    return rc;
}

static void bind_optional(struct pp_stmt *st, int i, int64_t v, bool set)
{
    if (set)
        pp_stmt_bind_int(st, i, v);
    else
        pp_stmt_bind_null(st, i);
}

static enum pp_err insert_rule(struct pp_db *db, const struct pp_custom_rule_input *in,
                               int64_t now, int64_t *id)
{
    struct pp_stmt *st = pp_db_prepare(
        db, "INSERT INTO custom_reimbursement_rule (offer_id, venue_id, offerer_id, rate_bp,"
            " amount_cents, subcategories, starts_at, ends_at, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    if (st == NULL)
        return PP_EDB;
    bind_optional(st, 1, in->offer_id, in->offer_id > 0);
    bind_optional(st, 2, in->venue_id, in->venue_id > 0);
    bind_optional(st, 3, in->offerer_id, in->offerer_id > 0);
    bind_optional(st, 4, in->rate_bp, in->rate_bp >= 0);
    bind_optional(st, 5, in->amount_cents, in->amount_cents >= 0);
    pp_stmt_bind_text(st, 6, in->subcategories && *in->subcategories ? in->subcategories : NULL);
    pp_stmt_bind_int(st, 7, in->starts_at);
    bind_optional(st, 8, in->ends_at, in->ends_at != 0);
    pp_stmt_bind_int(st, 9, now);
    enum pp_err rc = pp_scalar_int(st, id);
    return rc == PP_ENOTFOUND ? PP_EDB : rc;
}

enum pp_err pp_custom_rule_create(struct pp_db *db, int64_t admin_id,
                                  const struct pp_custom_rule_input *in, int64_t now,
                                  int64_t *id, struct pp_error *e)
{
    check_values(in, now, e);
    if (e->count > 0)
        return PP_EVALIDATION;
    if (pp_db_begin(db) != PP_OK)
        return PP_EDB;
    enum pp_err rc = check_target(db, in, e);
    if (rc == PP_OK)
        rc = check_conflicts(db, in, e);
    if (rc == PP_OK)
        rc = insert_rule(db, in, now, id);
    if (rc == PP_OK)
        rc = pp_audit_log(db, admin_id, PP_CHANNEL_BACKOFFICE, "custom_rule.create",
                          "custom_reimbursement_rule", *id, NULL);
    return pp_tx_end(db, rc);
}
