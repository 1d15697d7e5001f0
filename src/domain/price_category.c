#include "domain/price_category.h"

#include <string.h>

#include "core/arena.h"
#include "core/utf8.h"
#include "db/db.h"
#include "db/row.h"
#include "db/scalar.h"
#include "db/tx.h"

#define LABEL_MAX 50

const char *pp_price_check(int64_t cents)
{
    if (cents < 0)
        return "Le prix doit être positif.";
    if (cents > PP_PRICE_MAX_CENTS)
        return "Le prix d’une offre ne peut excéder 300 euros. Pour plus d’infos, merci de "
               "consulter nos Conditions Générales d’Utilisation.";
    return NULL;
}

static enum pp_err insert_in_tx(struct pp_db *db, int64_t offer_id, const char *label,
                                int64_t price_cents, int64_t *id, struct pp_error *e)
{
    int64_t n = 0;
    if (pp_db_query_int(db, &n, "SELECT COUNT(*) FROM price_category WHERE offer_id = ?", 1,
                        offer_id) != PP_OK)
        return PP_EDB;
    if (n >= PP_PRICE_CATEGORY_MAX)
        return pp_error_set(e, PP_EVALIDATION, "global",
                            "Une offre ne peut pas avoir plus de 50 tarifs.");
    struct pp_stmt *st = PP_BIND(
        db, "INSERT INTO price_category (offer_id, label, price_cents) VALUES (?, ?, ?)"
            " RETURNING id",
            PP_INT(offer_id), PP_TEXT(label), PP_INT(price_cents));
    enum pp_err rc = pp_row_returning(st, id);
    if (rc == PP_ECONFLICT)
        rc = pp_error_set(e, PP_ECONFLICT, "label", "Cette offre a déjà un tarif de ce nom.");
    return rc;
}

enum pp_err pp_price_category_create(struct pp_db *db, int64_t offer_id, const char *label,
                                     int64_t price_cents, int64_t *id, struct pp_error *e)
{
    if (label == NULL || *label == '\0')
        label = PP_DEFAULT_PRICE_LABEL;
    if (pp_utf8_chars(label) > LABEL_MAX)
        pp_error_set(e, PP_EVALIDATION, "label",
                     "L'intitulé du tarif ne doit pas dépasser 50 caractères.");
    const char *problem = pp_price_check(price_cents);
    if (problem != NULL)
        pp_error_set(e, PP_EVALIDATION, "priceCents", problem);
    if (e->count > 0)
        return PP_EVALIDATION;
    /* Count and insert in one write transaction: two requests cannot both take the 50th. */
    if (pp_db_begin(db) != PP_OK)
        return PP_EDB;
    return pp_tx_end(db, insert_in_tx(db, offer_id, label, price_cents, id, e));
}

static const struct pp_col price_category_cols[] = PP_COLS(struct pp_price_category,
    PPC_INT(id), PPC_INT(offer_id), PPC_TEXT(label), PPC_INT(price_cents));
static const struct pp_row_spec price_category_row =
    PP_ROW_SPEC(struct pp_price_category, price_category_cols, NULL);

enum pp_err pp_price_category_list(struct pp_db *db, struct pp_arena *arena, int64_t offer_id,
                                   struct pp_price_category **items, size_t *count)
{
    return PP_COLLECT(db, arena, &price_category_row, items, count,
        "SELECT id, offer_id, label, price_cents FROM price_category WHERE offer_id = ?"
        " ORDER BY price_cents DESC, label",
        PP_INT(offer_id));
}

enum pp_err pp_price_category_venue_labels(struct pp_db *db, struct pp_arena *arena,
                                           int64_t venue_id, const char ***labels,
                                           size_t *count)
{
    return pp_scalar_texts(
        PP_BIND(db, "SELECT DISTINCT pc.label FROM price_category pc"
                    " JOIN offer o ON o.id = pc.offer_id"
                    " WHERE o.venue_id = ? ORDER BY pc.label LIMIT 100",
                PP_INT(venue_id)),
        arena, labels, count);
}
