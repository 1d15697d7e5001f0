#include "domain/collective_offer.h"

#include <string.h>

#include "core/arena.h"
#include "core/categories.h"
#include "core/clock.h"
#include "core/email.h"
#include "core/strlist.h"
#include "core/utf8.h"
#include "db/db.h"
#include "db/row.h"
#include "db/tx.h"
#include "domain/adage_application.h"
#include "domain/audit.h"
#include "domain/collective_policy.h"
#include "domain/search.h"

const char *const pp_student_levels[PP_STUDENT_LEVEL_COUNT] = {
    "Collège - 6e",         "Collège - 5e",    "Collège - 4e",
    "Collège - 3e",         "CAP - 1re année", "CAP - 2e année",
    "Lycée - Seconde",      "Lycée - Première", "Lycée - Terminale",
};

void pp_collective_offer_input_init(struct pp_collective_offer_input *in)
{
    memset(in, 0, sizeof *in);
    in->institution_id = -1;
}

static bool is_level(const char *s)
{
    for (size_t i = 0; i < PP_STUDENT_LEVEL_COUNT; i++)
        if (strcmp(pp_student_levels[i], s) == 0)
            return true;
    return false;
}

/* "01".."95" (not "20"), "2A", "2B", "971".."976", "mainland", "all". */
static bool is_area(const char *s)
{
    size_t n = strlen(s);
    if (strcmp(s, "mainland") == 0 || strcmp(s, "all") == 0 || strcmp(s, "2A") == 0 ||
        strcmp(s, "2B") == 0)
        return true;
    if (n == 3)
        return strncmp(s, "97", 2) == 0 && s[2] >= '1' && s[2] <= '6';
    if (n != 2 || s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
        return false;
    int d = (s[0] - '0') * 10 + (s[1] - '0');
    return d >= 1 && d <= 95 && d != 20;
}

static bool is_email(const char *s)
{
    return pp_email_is_valid(s);
}

static bool is_item(const char *s)
{
    return pp_utf8_chars(s) <= PP_COLLECTIVE_ITEM_MAX;
}

/* Checks list @l with @ok per item; @required: at least one item. */
static void check_list(const struct pp_strs *l, bool required, bool (*ok)(const char *),
                       const char *field, const char *message, struct pp_error *e)
{
    bool bad = l->n > PP_COLLECTIVE_LIST_MAX || (required && l->n == 0);
    for (size_t i = 0; i < l->n && !bad; i++)
        bad = !pp_strlist_item_ok(l->items[i]) || !ok(l->items[i]);
    if (bad)
        pp_error_set(e, PP_EVALIDATION, field, message);
}

/* The whole offer @in (after a change is merged) against the field rules. */
static void check_fields(const struct pp_collective_offer_input *in, struct pp_error *e)
{
    if (in->name == NULL || pp_utf8_chars(in->name) > PP_COLLECTIVE_NAME_MAX)
        pp_error_set(e, PP_EVALIDATION, "name",
                     "Le titre de l'offre est obligatoire (110 caractères au plus).");
    if (in->description == NULL || pp_utf8_chars(in->description) > PP_COLLECTIVE_DESCRIPTION_MAX)
        pp_error_set(e, PP_EVALIDATION, "description",
                     "La description est obligatoire (1500 caractères au plus).");
    const struct pp_subcategory *sub = pp_subcategory_find(in->subcategory_id);
    if (sub == NULL || !sub->can_be_educational)
        pp_error_set(e, PP_EVALIDATION, "subcategoryId",
                     "Cette sous-catégorie est inconnue ou ne peut pas être une offre "
                     "collective.");
    if (!pp_eac_format_valid(in->format))
        pp_error_set(e, PP_EVALIDATION, "format",
                     "Choisissez un format EAC (ex. « Projection audiovisuelle »).");
    check_list(&in->students, true, is_level, "students",
               "Choisissez au moins un niveau, de « Collège - 6e » à « Lycée - Terminale ».", e);
    check_list(&in->domains, false, is_item, "domains",
               "Les domaines artistiques sont une liste de 20 noms au plus.", e);
    if (in->contact_email == NULL || !pp_email_is_valid(in->contact_email))
        pp_error_set(e, PP_EVALIDATION, "contactEmail",
                     "Veuillez renseigner une adresse email de contact valide.");
    if (in->contact_phone != NULL && pp_utf8_chars(in->contact_phone) > 30)
        pp_error_set(e, PP_EVALIDATION, "contactPhone",
                     "Le numéro de téléphone ne doit pas dépasser 30 caractères.");
    check_list(&in->intervention_area, in->is_template, is_area, "interventionArea",
               "Indiquez les départements où vous intervenez (ex. « 33 », « 2A », « 974 », "
               "« all »).",
               e);
    if (!in->is_template)
        check_list(&in->booking_emails, true, is_email, "bookingEmails",
                   "Indiquez au moins une adresse email valide pour les réservations (20 au "
                   "plus).",
                   e);
}

/* The first gate of RULES §10: a referenced structure (the second is the policy). */
static enum pp_err check_referenced(struct pp_db *db, struct pp_arena *a, int64_t offerer_id,
                                    struct pp_error *e)
{
    bool allowed = false;
    enum pp_err rc = pp_adage_offerer_allowed(db, offerer_id, &allowed);
    if (rc != PP_OK)
        return rc;
    if (!allowed) {
        struct pp_collective_policy p;
        if ((rc = pp_collective_policy_get(db, a, &p)) != PP_OK)
            return rc;
        return pp_error_set(
            e, PP_EFORBIDDEN, "global",
            pp_arena_printf(a,
                            "Votre structure n'est pas encore référencée pour les offres "
                            "collectives : envoyez d'abord une demande de référencement. %s",
                            pp_collective_policy_explain(a, &p, NULL, NULL)));
    }
    return PP_OK;
}

static enum pp_err check_institution(struct pp_db *db, int64_t id, struct pp_error *e)
{
    if (id <= 0)
        return PP_OK;
    enum pp_err rc = pp_db_query_int(db, NULL, "SELECT 1 FROM educational_institution WHERE id = ?",
                                     1, id);
    if (rc == PP_ENOTFOUND)
        return pp_error_set(e, PP_EVALIDATION, "institutionId",
                            "Cet établissement scolaire est inconnu.");
    return rc;
}

static const char *joined(struct pp_arena *a, const struct pp_strs *l)
{
    return l->n > 0 ? pp_strlist_join(a, l->items, l->n) : NULL;
}

enum pp_err pp_collective_offer_create(struct pp_db *db, struct pp_arena *arena,
                                       int64_t account_id, int64_t offerer_id,
                                       const struct pp_collective_offer_input *in, int64_t *id,
                                       struct pp_error *e)
{
    enum pp_err rc = check_referenced(db, arena, offerer_id, e);
    if (rc != PP_OK)
        return rc;
    check_fields(in, e);
    if (e->count > 0)
        return PP_EVALIDATION;
    if ((rc = pp_collective_policy_check(db, arena, in->subcategory_id, in->format, e)) != PP_OK)
        return rc;
    if ((rc = check_institution(db, in->is_template ? 0 : in->institution_id, e)) != PP_OK)
        return rc;
    if (pp_db_begin(db) != PP_OK)
        return PP_EDB;
    rc = pp_row_returning(
        PP_BIND(db, "INSERT INTO collective_offer (venue_id, offerer_id, is_template, name,"
                    " description, subcategory_id, format, students, domains, contact_email,"
                    " contact_phone, intervention_area, booking_emails, institution_id,"
                    " created_at, name_search) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                    " ?, ?) RETURNING id",
                PP_INT(in->venue_id), PP_INT(offerer_id), PP_INT(in->is_template),
                PP_TEXT(in->name), PP_TEXT(in->description), PP_TEXT(in->subcategory_id),
                PP_TEXT(in->format), PP_TEXT(joined(arena, &in->students)),
                PP_TEXT(joined(arena, &in->domains)), PP_TEXT(in->contact_email),
                PP_TEXT(in->contact_phone), PP_TEXT(joined(arena, &in->intervention_area)),
                PP_TEXT(in->is_template ? NULL : joined(arena, &in->booking_emails)),
                PP_INT_OR_NULL(in->is_template || in->institution_id < 0 ? 0 : in->institution_id),
                PP_INT(pp_clock_now()), PP_TEXT(pp_search_key(arena, in->name))),
        id);
    if (rc == PP_OK)
        rc = pp_audit_log(db, account_id, PP_CHANNEL_PORTAL,
                          in->is_template ? "collective_offer.create_template"
                                          : "collective_offer.create",
                          "collective_offer", *id, in->name);
    return pp_tx_end(db, rc);
}

#define OFFER_COLUMNS                                                                             \
    "SELECT o.id AS id, o.venue_id AS venue_id, o.offerer_id AS offerer_id,"                      \
    " o.is_template AS is_template, o.name AS name, o.description AS description,"                \
    " o.subcategory_id AS subcategory_id, o.format AS format, o.students AS students,"            \
    " o.domains AS domains, o.contact_email AS contact_email, o.contact_phone AS contact_phone,"  \
    " o.intervention_area AS intervention_area, o.booking_emails AS booking_emails,"              \
    " o.institution_id AS institution_id, i.uai AS institution_uai, o.status AS status,"          \
    " o.created_at AS created_at, v.name AS venue_name, v.city AS venue_city,"                    \
    " v.postal_code AS venue_postal_code, s.id AS stock_id, s.start_at AS start_at,"              \
    " s.end_at AS end_at, s.booking_limit_at AS booking_limit_at,"                                \
    " s.number_of_tickets AS number_of_tickets, s.price_cents AS price_cents,"                    \
    " b.id AS booking_id, b.status AS booking_status"
#define OFFER_FROM                                                                                \
    " FROM collective_offer o JOIN venue v ON v.id = o.venue_id"                                  \
    " JOIN offerer r ON r.id = o.offerer_id"                                                      \
    " LEFT JOIN educational_institution i ON i.id = o.institution_id"                             \
    " LEFT JOIN collective_stock s ON s.offer_id = o.id"                                          \
    " LEFT JOIN collective_booking b ON b.stock_id = s.id AND b.status <> 'CANCELLED'"

static const struct pp_col offer_cols[] = PP_COLS(struct pp_collective_offer,
    PPC_INT(id), PPC_INT(venue_id), PPC_INT(offerer_id), PPC_BOOL(is_template), PPC_TEXT(name),
    PPC_TEXT(description), PPC_TEXT(subcategory_id), PPC_TEXT(format), PPC_TEXT(students),
    PPC_TEXT(domains), PPC_TEXT(contact_email), PPC_TEXT(contact_phone),
    PPC_TEXT(intervention_area), PPC_TEXT(booking_emails), PPC_INT(institution_id),
    PPC_TEXT(institution_uai), PPC_TEXT(status), PPC_INT(created_at), PPC_TEXT(venue_name),
    PPC_TEXT(venue_city), PPC_TEXT(venue_postal_code), PPC_INT(stock_id), PPC_INT(start_at),
    PPC_INT(end_at), PPC_INT(booking_limit_at), PPC_INT(number_of_tickets), PPC_INT(price_cents),
    PPC_INT(booking_id), PPC_TEXT(booking_status));
static const struct pp_row_spec offer_row =
    PP_ROW_SPEC(struct pp_collective_offer, offer_cols, NULL);

enum pp_err pp_collective_offer_get(struct pp_db *db, struct pp_arena *arena, int64_t id,
                                    struct pp_collective_offer *out)
{
    return PP_FETCH(db, arena, &offer_row, out, OFFER_COLUMNS OFFER_FROM " WHERE o.id = ?",
                    PP_INT(id));
}

enum pp_err pp_collective_offer_list(struct pp_db *db, struct pp_arena *arena,
                                     int64_t offerer_id, struct pp_collective_offer **items,
                                     size_t *count)
{
    return PP_COLLECT(db, arena, &offer_row, items, count,
                      OFFER_COLUMNS OFFER_FROM
                      " WHERE o.offerer_id = ? ORDER BY o.created_at DESC, o.id DESC",
                      PP_INT(offerer_id));
}

enum pp_err pp_collective_offer_offerer(struct pp_db *db, int64_t id, int64_t *offerer_id)
{
    return pp_db_query_int(db, offerer_id, "SELECT offerer_id FROM collective_offer WHERE id = ?",
                           1, id);
}

/* What the catalog shows: published, of a referenced structure, a showcase or still bookable. */
#define CATALOG_WHERE                                                                             \
    " WHERE o.status = 'PUBLISHED' AND r.allowed_on_adage = 1"                                    \
    " AND (o.is_template = 1 OR (s.id IS NOT NULL AND b.id IS NULL AND s.booking_limit_at > ?))"  \
    " AND (? IS NULL OR o.name_search LIKE ?)"                                                    \
    " AND (? IS NULL OR v.postal_code LIKE ? || '%')"                                             \
    " AND (? IS NULL OR o.format = ?)"
#define CATALOG_ARGS(q, pattern, now)                                                             \
    PP_INT(now), PP_TEXT(pattern), PP_TEXT(pattern), PP_TEXT((q)->department),                    \
        PP_TEXT((q)->department), PP_TEXT((q)->format), PP_TEXT((q)->format)

struct count_row {
    int64_t n;
};
static const struct pp_col count_cols[] = PP_COLS(struct count_row, PPC_INT(n));
static const struct pp_row_spec count_row = PP_ROW_SPEC(struct count_row, count_cols, NULL);

enum pp_err pp_collective_offer_catalog(struct pp_db *db, struct pp_arena *arena,
                                        const struct pp_collective_catalog_query *q,
                                        struct pp_collective_offer **items, size_t *count,
                                        int64_t *total)
{
    int64_t now = pp_clock_now();
    /* Accents, case and punctuation aside (docs/search.md). */
    const char *pattern = pp_search_pattern(arena, q->q);
    struct count_row c;
    enum pp_err rc = PP_FETCH(db, NULL, &count_row, &c,
                              "SELECT COUNT(*) AS n" OFFER_FROM CATALOG_WHERE,
                              CATALOG_ARGS(q, pattern, now));
    *total = rc == PP_OK ? c.n : 0;
    if (rc != PP_OK)
        return rc;
    return PP_COLLECT(db, arena, &offer_row, items, count,
                      OFFER_COLUMNS OFFER_FROM CATALOG_WHERE
                      " ORDER BY o.created_at DESC, o.id DESC LIMIT ? OFFSET ?",
                      CATALOG_ARGS(q, pattern, now), PP_INT(q->limit), PP_INT(q->offset));
}

static struct pp_strs split(struct pp_arena *a, const char *joined_list)
{
    struct pp_strs l = {.given = true};
    l.items = pp_strlist_split(a, joined_list, &l.n);
    return l;
}

/* The stored offer @o as an input, with what @in gives laid over it. */
static void merge(struct pp_arena *a, const struct pp_collective_offer *o,
                  const struct pp_collective_offer_input *in, struct pp_collective_offer_input *m)
{
    *m = (struct pp_collective_offer_input){
        .venue_id = o->venue_id,
        .is_template = o->is_template,
        .name = in->name ? in->name : o->name,
        .description = in->description ? in->description : o->description,
        .subcategory_id = in->subcategory_id ? in->subcategory_id : o->subcategory_id,
        .format = in->format ? in->format : o->format,
        .students = in->students.given ? in->students : split(a, o->students),
        .domains = in->domains.given ? in->domains : split(a, o->domains),
        .contact_email = in->contact_email ? in->contact_email : o->contact_email,
        .contact_phone = in->contact_phone ? in->contact_phone : o->contact_phone,
        .intervention_area =
            in->intervention_area.given ? in->intervention_area : split(a, o->intervention_area),
        .booking_emails = in->booking_emails.given ? in->booking_emails
                                                   : split(a, o->booking_emails),
        .institution_id = in->institution_id >= 0 ? in->institution_id : o->institution_id,
    };
}

/* Once booked, what the school agreed on stays: subcategory, format, school. */
static enum pp_err check_booked(const struct pp_collective_offer *o,
                                const struct pp_collective_offer_input *m, struct pp_error *e)
{
    if (o->booking_id == 0)
        return PP_OK;
    if (strcmp(m->subcategory_id, o->subcategory_id) != 0 || strcmp(m->format, o->format) != 0 ||
        m->institution_id != o->institution_id)
        return pp_error_set(e, PP_ECONFLICT, "global",
                            "Cette offre est réservée par un établissement : sa sous-catégorie, "
                            "son format et l'établissement ne peuvent plus changer.");
    return PP_OK;
}

static enum pp_err update(struct pp_db *db, struct pp_arena *a, int64_t id,
                          const struct pp_collective_offer_input *in, struct pp_error *e)
{
    struct pp_collective_offer o;
    struct pp_collective_offer_input m;
    enum pp_err rc = pp_collective_offer_get(db, a, id, &o);
    if (rc != PP_OK)
        return rc;
    merge(a, &o, in, &m);
    if ((rc = check_booked(&o, &m, e)) != PP_OK)
        return rc;
    check_fields(&m, e);
    if (e->count > 0)
        return PP_EVALIDATION;
    if ((in->subcategory_id || in->format) &&
        (rc = pp_collective_policy_check(db, a, m.subcategory_id, m.format, e)) != PP_OK)
        return rc;
    if ((rc = check_institution(db, m.is_template ? 0 : m.institution_id, e)) != PP_OK)
        return rc;
    return PP_EXEC(db, "UPDATE collective_offer SET name = ?, name_search = ?, description = ?,"
                       " subcategory_id = ?, format = ?, students = ?, domains = ?,"
                       " contact_email = ?, contact_phone = ?, intervention_area = ?,"
                       " booking_emails = ?, institution_id = ? WHERE id = ?",
                   PP_TEXT(m.name), PP_TEXT(pp_search_key(a, m.name)), PP_TEXT(m.description),
                   PP_TEXT(m.subcategory_id), PP_TEXT(m.format), PP_TEXT(joined(a, &m.students)),
                   PP_TEXT(joined(a, &m.domains)), PP_TEXT(m.contact_email),
                   PP_TEXT(m.contact_phone), PP_TEXT(joined(a, &m.intervention_area)),
                   PP_TEXT(m.is_template ? NULL : joined(a, &m.booking_emails)),
                   PP_INT_OR_NULL(m.is_template ? 0 : m.institution_id), PP_INT(id));
}

enum pp_err pp_collective_offer_update(struct pp_db *db, struct pp_arena *arena,
                                       int64_t account_id, int64_t id,
                                       const struct pp_collective_offer_input *in,
                                       struct pp_error *e)
{
    if (pp_db_begin(db) != PP_OK)
        return PP_EDB;
    enum pp_err rc = update(db, arena, id, in, e);
    if (rc == PP_OK)
        rc = pp_audit_log(db, account_id, PP_CHANNEL_PORTAL, "collective_offer.update",
                          "collective_offer", id, NULL);
    return pp_tx_end(db, rc);
}
