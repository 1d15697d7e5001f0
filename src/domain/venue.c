#include "domain/venue.h"

#include <string.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/email.h"
#include "core/siret.h"
#include "core/venue_type.h"
#include "db/bind.h"
#include "db/db.h"
#include "db/row.h"

#define VENUE_NAME_MAX 140
#define PUBLIC_NAME_MAX 255
#define ADDRESS_MAX 200
#define COMMENT_MAX 500

static bool too_long(const char *s, size_t max)
{
    return s != NULL && strlen(s) > max;
}

/* A field a create requires and an edit may leave out: refused when missing on a create, or
 * given and not @ok. */
static bool refused(bool creating, const char *s, bool (*ok)(const char *))
{
    return s == NULL ? creating : !ok(s);
}

static bool known_venue_type(const char *s)
{
    return pp_venue_type_find(s) != NULL;
}

void pp_venue_validate(const struct pp_venue *v, bool creating, struct pp_error *e)
{
    if (creating && (v->name == NULL || *v->name == '\0'))
        pp_error_set(e, PP_EVALIDATION, "name", "Veuillez renseigner le nom du lieu.");
    if (too_long(v->name, VENUE_NAME_MAX))
        pp_error_set(e, PP_EVALIDATION, "name", "Le nom du lieu ne doit pas dépasser 140 caractères.");
    if (too_long(v->public_name, PUBLIC_NAME_MAX))
        pp_error_set(e, PP_EVALIDATION, "publicName",
                     "Le nom d'usage ne doit pas dépasser 255 caractères.");
    if (creating) {
        if (v->siret != NULL && !pp_siret_is_valid(v->siret))
            pp_error_set(e, PP_EVALIDATION, "siret",
                         "Le SIRET doit comporter 14 chiffres et être valide.");
        if (v->siret == NULL && (v->comment == NULL || *v->comment == '\0'))
            pp_error_set(e, PP_EVALIDATION, "comment",
                         "Un lieu sans SIRET doit avoir un commentaire (« Commentaire du lieu sans "
                         "SIRET »).");
    }
    if (too_long(v->comment, COMMENT_MAX))
        pp_error_set(e, PP_EVALIDATION, "comment",
                     "Le commentaire ne doit pas dépasser 500 caractères.");
    if ((creating && (v->street == NULL || *v->street == '\0')) || too_long(v->street, ADDRESS_MAX))
        pp_error_set(e, PP_EVALIDATION, "street", "Veuillez renseigner l'adresse du lieu.");
    if (refused(creating, v->postal_code, pp_postal_code_is_valid))
        pp_error_set(e, PP_EVALIDATION, "postalCode",
                     "Le code postal doit comporter 5 chiffres.");
    if ((creating && (v->city == NULL || *v->city == '\0')) || too_long(v->city, ADDRESS_MAX))
        pp_error_set(e, PP_EVALIDATION, "city", "Veuillez renseigner la ville du lieu.");
    if (refused(creating, v->booking_email, pp_email_is_valid))
        pp_error_set(e, PP_EVALIDATION, "bookingEmail",
                     "Veuillez renseigner une adresse email valide pour les réservations.");
    if (refused(creating, v->venue_type, known_venue_type))
        pp_error_set(e, PP_EVALIDATION, "venueType", "Veuillez choisir un type de lieu de la liste.");
    if (v->timezone != NULL && !pp_timezone_is_valid(v->timezone))
        pp_error_set(e, PP_EVALIDATION, "timezone", "Ce fuseau horaire n'est pas pris en charge.");
}

enum pp_err pp_venue_create(struct pp_db *db, struct pp_arena *arena, const struct pp_venue *in,
                            int64_t *id, struct pp_error *e)
{
    struct pp_venue v = *in;
    char siret[15];
    if (v.siret != NULL) {
        if (pp_siret_normalize(v.siret, siret, sizeof siret))
            v.siret = siret;
    }
    if (v.booking_email != NULL)
        v.booking_email = pp_email_normalize(pp_arena_strdup(arena, v.booking_email));
    pp_venue_validate(&v, true, e);
    if (e->count > 0)
        return PP_EVALIDATION;

    struct pp_stmt *st;
    if (v.siret != NULL) {
        /* The SIRET must be an establishment of the venue's own structure. */
        st = PP_BIND(db, "SELECT siren FROM offerer WHERE id = ?",
                     PP_INT(v.offerer_id));
        if (st == NULL)
            return PP_EDB;
        enum pp_step s = pp_stmt_step(st);
        bool same = s == PP_STEP_ROW && strncmp(pp_stmt_text(st, 0), v.siret, 9) == 0;
        pp_stmt_done(st);
        if (s == PP_STEP_ERROR)
            return PP_EDB;
        if (!same)
            return pp_error_set(e, PP_EVALIDATION, "siret",
                                "Le SIRET doit commencer par le SIREN de la structure.");
    }
    v.created_at = pp_clock_now();
    enum pp_err rc = pp_venue_insert(db, &v, id);
    if (rc == PP_ECONFLICT)
        return pp_error_set(e, PP_ECONFLICT, "siret", "Un lieu existe déjà avec ce SIRET.");
    return rc;
}

enum pp_err pp_venue_insert(struct pp_db *db, const struct pp_venue *v, int64_t *id)
{
    const char *tz = v->timezone ? v->timezone : pp_timezone_for_postal_code(v->postal_code);
    struct pp_stmt *st = PP_BIND(
        db, "INSERT INTO venue (offerer_id, name, public_name, siret, comment, street, postal_code,"
            " city, booking_email, venue_type, timezone, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        PP_INT(v->offerer_id), PP_TEXT(v->name), PP_TEXT(v->public_name), PP_TEXT(v->siret),
        PP_TEXT(v->siret ? NULL : v->comment), PP_TEXT(v->street), PP_TEXT(v->postal_code),
        PP_TEXT(v->city), PP_TEXT(v->booking_email), PP_TEXT(v->venue_type), PP_TEXT(tz),
        PP_INT(v->created_at));
    return pp_row_returning(st, id);
}

#define VENUE_COLUMNS                                                                             \
    "id, offerer_id, name, public_name, siret, comment, street, postal_code, city,"               \
    " booking_email, venue_type, timezone, created_at"

static const struct pp_col venue_cols[] = PP_COLS(struct pp_venue,
    PPC_INT(id), PPC_INT(offerer_id), PPC_TEXT(name), PPC_TEXT(public_name), PPC_TEXT(siret),
    PPC_TEXT(comment), PPC_TEXT(street), PPC_TEXT(postal_code), PPC_TEXT(city),
    PPC_TEXT(booking_email), PPC_TEXT(venue_type), PPC_TEXT(timezone), PPC_INT(created_at));
static const struct pp_row_spec venue_row = PP_ROW_SPEC(struct pp_venue, venue_cols, NULL);

enum pp_err pp_venue_list(struct pp_db *db, struct pp_arena *arena, int64_t offerer_id,
                          struct pp_venue **items, size_t *count)
{
    return PP_COLLECT(db, arena, &venue_row, items, count,
        "SELECT " VENUE_COLUMNS " FROM venue WHERE offerer_id = ? ORDER BY name, id",
        PP_INT(offerer_id));
}

enum pp_err pp_venue_get(struct pp_db *db, struct pp_arena *arena, int64_t id,
                         struct pp_venue *out)
{
    return PP_FETCH(db, arena, &venue_row, out, "SELECT " VENUE_COLUMNS " FROM venue WHERE id = ?",
                                                PP_INT(id));
}

enum pp_err pp_venue_find_by_siret(struct pp_db *db, struct pp_arena *arena, const char *siret,
                                   struct pp_venue *out)
{
    return PP_FETCH(db, arena, &venue_row, out,
        "SELECT " VENUE_COLUMNS " FROM venue WHERE siret = ?",
        PP_TEXT(siret));
}

enum pp_err pp_venue_update(struct pp_db *db, struct pp_arena *arena, int64_t id,
                            const struct pp_venue *patch, struct pp_error *e)
{
    struct pp_venue cur;
    enum pp_err rc = pp_venue_get(db, arena, id, &cur);
    if (rc != PP_OK)
        return rc;
    if (patch->siret != NULL && (cur.siret == NULL || strcmp(patch->siret, cur.siret) != 0))
        pp_error_set(e, PP_EVALIDATION, "siret", "Le SIRET d'un lieu ne peut pas être modifié.");
    if (patch->name != NULL && strcmp(patch->name, cur.name) != 0)
        pp_error_set(e, PP_EVALIDATION, "name",
                     "La raison sociale du lieu ne peut pas être modifiée ; changez son nom d'usage.");
    struct pp_venue p = *patch;
    if (p.booking_email != NULL)
        p.booking_email = pp_email_normalize(pp_arena_strdup(arena, p.booking_email));
    pp_venue_validate(&p, false, e);
    if (cur.siret == NULL && p.comment != NULL && *p.comment == '\0')
        pp_error_set(e, PP_EVALIDATION, "comment",
                     "Un lieu sans SIRET doit garder un commentaire.");
    if (e->count > 0)
        return PP_EVALIDATION;

    struct pp_stmt *st = PP_BIND(
        db, "UPDATE venue SET public_name = COALESCE(?, public_name),"
            " booking_email = COALESCE(?, booking_email), street = COALESCE(?, street),"
            " postal_code = COALESCE(?, postal_code), city = COALESCE(?, city),"
            " venue_type = COALESCE(?, venue_type), timezone = COALESCE(?, timezone),"
            " comment = CASE WHEN siret IS NULL THEN COALESCE(?, comment) ELSE comment END"
            " WHERE id = ?",
        PP_TEXT(p.public_name), PP_TEXT(p.booking_email), PP_TEXT(p.street), PP_TEXT(p.postal_code),
        PP_TEXT(p.city), PP_TEXT(p.venue_type), PP_TEXT(p.timezone), PP_TEXT(p.comment),
        PP_INT(id));
    return pp_row_exec(st);
}
