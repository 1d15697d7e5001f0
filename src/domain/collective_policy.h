#ifndef PP_DOMAIN_COLLECTIVE_POLICY_H
#define PP_DOMAIN_COLLECTIVE_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

struct pp_db;
struct pp_arena;

/**
 * The eligible formats of collective offers (RULES §10), a back-office policy stored in
 * collective_policy: the subcategories and the EAC formats allowed. An offer is eligible when
 * its subcategory AND its format are both in the policy. Default (migration 006): the four
 * cinema subcategories and the format "Projection audiovisuelle". docs/collective.md.
 */

/** The 8 EAC formats of the reference (finance_pro.md §6.5), in its order. */
#define PP_EAC_FORMAT_COUNT 8
extern const char *const pp_eac_formats[PP_EAC_FORMAT_COUNT];

/** True when @format is one of the 8 EAC formats (exact spelling). */
bool pp_eac_format_valid(const char *format);

/** True when each of the @n @formats is one of the 8 EAC formats (true when @n is 0). */
bool pp_eac_formats_valid(const char *const *formats, size_t n);

/** A policy: subcategory ids in the order of core/categories, formats in pp_eac_formats'. */
struct pp_collective_policy {
    const char **subcategories;
    size_t nsubcategories;
    const char **formats;
    size_t nformats;
};

/** The stored policy; arrays in @arena, strings static. */
enum pp_err pp_collective_policy_get(struct pp_db *db, struct pp_arena *arena,
                                     struct pp_collective_policy *out);

/**
 * Replaces the policy with @p (by admin @admin_id, audited), in one transaction.
 * PP_EVALIDATION ("subcategories" / "formats") for an unknown subcategory, one that cannot be
 * collective (core/categories), or a format that is not an EAC format; nothing changed then.
 */
enum pp_err pp_collective_policy_set(struct pp_db *db, int64_t admin_id,
                                     const struct pp_collective_policy *p, struct pp_error *e);

/** True when @p allows subcategory @subcategory_id with format @format. Pure. */
bool pp_collective_policy_allows(const struct pp_collective_policy *p,
                                 const char *subcategory_id, const char *format);

/**
 * The French explanation of @p shown to a structure whose offer is not eligible: the
 * eligible subcategories' labels and formats, then, when @subcategory_id / @format are given
 * (either may be NULL), which of them is refused. Pure; the text lives in @arena.
 */
const char *pp_collective_policy_explain(struct pp_arena *arena,
                                         const struct pp_collective_policy *p,
                                         const char *subcategory_id, const char *format);

/**
 * PP_OK when the stored policy allows (@subcategory_id, @format); PP_EFORBIDDEN with the
 * explanation under "global" in @e (strings in @arena) otherwise.
 */
enum pp_err pp_collective_policy_check(struct pp_db *db, struct pp_arena *arena,
                                       const char *subcategory_id, const char *format,
                                       struct pp_error *e);

#endif
