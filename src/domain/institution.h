#ifndef PP_DOMAIN_INSTITUTION_H
#define PP_DOMAIN_INSTITUTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

struct pp_db;
struct pp_arena;

/**
 * Schools (educational_institution: UAI code, name, city) and their budget per school year
 * (institution_budget; the year is the one the school year starts: 2026 for 2026-2027, from
 * 1 September to 31 August, Paris time). Written by the back office, one at a time or by a CSV
 * import; the collective bookings spend the budgets. docs/collective.md.
 */

#define PP_INSTITUTION_NAME_MAX 200
#define PP_INSTITUTION_CITY_MAX 100
#define PP_INSTITUTION_BUDGET_MAX 100000000000LL /* 1 billion euros in cents */
#define PP_INSTITUTION_IMPORT_MAX 5000           /* data lines of one CSV file */

/**
 * True when @uai is a UAI code: 7 digits and the check letter, the 7-digit number modulo 23
 * in "ABCDEFGHJKLMNPRSTUVWXYZ" (0750655E). Upper case only. Pure.
 */
bool pp_uai_is_valid(const char *uai);

/** "2026-2027" or "2026" → 2026 in *year (2000-2099). False otherwise. Pure. */
bool pp_school_year_parse(const char *s, int *year);

/** The school year (its starting year) of instant @t in Paris: 1 Sept-31 Aug. Pure. */
int pp_school_year_of(int64_t t);

struct pp_institution_input {
    const char *uai;          /**< upper-cased by the caller or not: normalised here */
    const char *name;
    const char *city;
    int64_t budget_cents;     /**< -1 when missing */
    int year;                 /**< 0 when missing or malformed */
};

struct pp_institution_budget {
    int64_t institution_id;
    int64_t year;
    int64_t budget_cents;
    int64_t spent_cents;
};

struct pp_institution {
    int64_t id;
    const char *uai;
    const char *name;
    const char *city;
    int64_t created_at;
    struct pp_institution_budget *budgets; /**< newest year first, in the arena */
    size_t nbudgets;
};

/**
 * Creates school @in->uai or updates its name and city, and sets its budget for @in->year
 * (by admin @admin_id, audited). *created tells which. PP_EVALIDATION per field ("uai",
 * "name", "city", "budgetCents", "educationalYear"), and "budgetCents" when the new budget is
 * below what the school has already spent that year; nothing changed then.
 */
enum pp_err pp_institution_save(struct pp_db *db, int64_t admin_id,
                                const struct pp_institution_input *in, int64_t *id,
                                bool *created, struct pp_error *e);

/** Every school, by UAI, with its budgets; in @arena. */
enum pp_err pp_institution_list(struct pp_db *db, struct pp_arena *arena,
                                struct pp_institution **items, size_t *count);

/** One refused line of an import. */
struct pp_import_error {
    int line;            /**< 1 is the header */
    const char *message; /**< French */
};

struct pp_import_result {
    int created, updated;
    struct pp_import_error *errors; /**< in the arena */
    size_t nerrors;
};

/**
 * Imports the CSV @csv ("uai;name;city;budgetCents;educationalYear", a header line, at most
 * PP_INSTITUTION_IMPORT_MAX data lines, UTF-8, ';' separated, no quoting) as
 * pp_institution_save would each line, in ONE transaction: when any line is bad the whole
 * file is refused (PP_EVALIDATION, every bad line listed in @out, nothing written); else
 * PP_OK with the counts. A missing or wrong header is a line-1 error.
 */
enum pp_err pp_institution_import(struct pp_db *db, struct pp_arena *arena, int64_t admin_id,
                                  const char *csv, struct pp_import_result *out);

#endif
