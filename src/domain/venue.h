#ifndef PP_DOMAIN_VENUE_H
#define PP_DOMAIN_VENUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

struct pp_db;
struct pp_arena;

/**
 * Venues ("lieux") of a structure (RULES §1): a SIRET starting with the structure's SIREN, or
 * no SIRET and a mandatory comment; an address, a booking email, a venue type, a time zone.
 */
struct pp_venue {
    int64_t id;
    int64_t offerer_id;
    const char *name;
    const char *public_name;
    const char *siret;
    const char *comment;
    const char *street;
    const char *postal_code;
    const char *city;
    const char *booking_email;
    const char *venue_type;
    const char *timezone;
    int64_t created_at;
};

/**
 * Creates a venue from @in (id and created_at ignored; timezone defaults from the postal
 * code). PP_EVALIDATION per field, PP_ECONFLICT when the SIRET is already a venue's.
 */
enum pp_err pp_venue_create(struct pp_db *db, struct pp_arena *arena, const struct pp_venue *in,
                            int64_t *id, struct pp_error *e);

/**
 * Inserts @v as it is, without the checks of pp_venue_create() (a structure's first venue,
 * whose address may come later): the comment only when there is no SIRET, the time zone from
 * the postal code when @v has none, created_at from @v. Sets *id.
 * PP_ECONFLICT when the SIRET is already a venue's, else PP_OK or PP_EDB.
 */
enum pp_err pp_venue_insert(struct pp_db *db, const struct pp_venue *v, int64_t *id);

/** Venues of @offerer_id by name. */
enum pp_err pp_venue_list(struct pp_db *db, struct pp_arena *arena, int64_t offerer_id,
                          struct pp_venue **items, size_t *count);

/** Venue @id; PP_ENOTFOUND when unknown. */
enum pp_err pp_venue_get(struct pp_db *db, struct pp_arena *arena, int64_t id,
                         struct pp_venue *out);

/** The venue of SIRET @siret (14 digits); PP_ENOTFOUND when none. */
enum pp_err pp_venue_find_by_siret(struct pp_db *db, struct pp_arena *arena, const char *siret,
                                   struct pp_venue *out);

/**
 * Applies the non-NULL fields of @patch to venue @id: publicName, bookingEmail, street,
 * postalCode, city, venueType, timezone, comment (venues without SIRET). The SIRET and the name
 * (raison sociale) are not editable: PP_EVALIDATION if @patch sets them.
 */
enum pp_err pp_venue_update(struct pp_db *db, struct pp_arena *arena, int64_t id,
                            const struct pp_venue *patch, struct pp_error *e);

/** Fills the validation errors of @v into @e (shared by create and the portal form). */
void pp_venue_validate(const struct pp_venue *v, bool creating, struct pp_error *e);

#endif
