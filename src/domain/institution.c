#include "domain/institution.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/tz.h"
#include "core/utf8.h"
#include "db/db.h"
#include "db/row.h"
#include "db/tx.h"
#include "domain/audit.h"

#define UAI_KEYS "ABCDEFGHJKLMNPRSTUVWXYZ"
#define HEADER "uai;name;city;budgetCents;educationalYear"

bool pp_uai_is_valid(const char *uai)
{
    if (uai == NULL || strlen(uai) != 8)
        return false;
    long n = 0;
    for (int i = 0; i < 7; i++) {
        if (!isdigit((unsigned char)uai[i]))
            return false;
        n = n * 10 + (uai[i] - '0');
    }
    return uai[7] == UAI_KEYS[n % 23];
}

bool pp_school_year_parse(const char *s, int *year)
{
    if (s == NULL || !isdigit((unsigned char)s[0]))
        return false;
    char *end = NULL;
    long y = strtol(s, &end, 10);
    if (end - s != 4 || y < 2000 || y > 2099)
        return false;
    if (*end == '-') {
        char *end2 = NULL;
        long next = strtol(end + 1, &end2, 10);
        if (end2 - (end + 1) != 4 || next != y + 1 || *end2 != '\0')
            return false;
    } else if (*end != '\0') {
        return false;
    }
    *year = (int)y;
    return true;
}

int pp_school_year_of(int64_t t)
{
    struct pp_local l;
    pp_tz_to_local("Europe/Paris", t, &l);
    return l.month >= 9 ? l.year : l.year - 1;
}

static const char *normalize_uai(struct pp_arena *a, const char *uai)
{
    if (uai == NULL)
        return NULL;
    char *s = pp_arena_strdup(a, uai);
    for (char *p = s; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    return s;
}

static void check_input(const struct pp_institution_input *in, const char *uai,
                        struct pp_error *e)
{
    if (!pp_uai_is_valid(uai))
        pp_error_set(e, PP_EVALIDATION, "uai",
                     "Le code UAI doit compter 7 chiffres et sa lettre clé (ex. 0750655E).");
    if (in->name == NULL || *in->name == '\0' || pp_utf8_chars(in->name) > PP_INSTITUTION_NAME_MAX)
        pp_error_set(e, PP_EVALIDATION, "name",
                     "Le nom de l'établissement est obligatoire (200 caractères au plus).");
    if (in->city == NULL || *in->city == '\0' || pp_utf8_chars(in->city) > PP_INSTITUTION_CITY_MAX)
        pp_error_set(e, PP_EVALIDATION, "city",
                     "La commune est obligatoire (100 caractères au plus).");
    if (in->budget_cents < 0 || in->budget_cents > PP_INSTITUTION_BUDGET_MAX)
        pp_error_set(e, PP_EVALIDATION, "budgetCents",
                     "Le budget doit être un nombre entier de centimes, positif ou nul.");
    if (in->year == 0)
        pp_error_set(e, PP_EVALIDATION, "educationalYear",
                     "L'année scolaire doit s'écrire 2026-2027 (ou 2026, l'année où elle "
                     "commence).");
}

struct id_row {
    int64_t id;
};
static const struct pp_col id_cols[] = PP_COLS(struct id_row, PPC_INT(id));
static const struct pp_row_spec id_row = PP_ROW_SPEC(struct id_row, id_cols, NULL);

/* The school's row, created or updated. Inside a transaction. */
static enum pp_err write_school(struct pp_db *db, const struct pp_institution_input *in,
                                const char *uai, int64_t *id, bool *created)
{
    struct id_row r;
    enum pp_err rc = PP_FETCH(db, NULL, &id_row, &r,
                              "SELECT id FROM educational_institution WHERE uai = ?",
                              PP_TEXT(uai));
    *created = rc == PP_ENOTFOUND;
    if (rc == PP_OK) {
        *id = r.id;
        return PP_EXEC(db, "UPDATE educational_institution SET name = ?, city = ? WHERE id = ?",
                       PP_TEXT(in->name), PP_TEXT(in->city), PP_INT(r.id));
    }
    if (rc != PP_ENOTFOUND)
        return rc;
    return pp_row_returning(
        PP_BIND(db, "INSERT INTO educational_institution (uai, name, city, created_at)"
                    " VALUES (?, ?, ?, ?) RETURNING id",
                PP_TEXT(uai), PP_TEXT(in->name), PP_TEXT(in->city), PP_INT(pp_clock_now())),
        id);
}

/* The budget of @id for the year, never below what it has spent. Inside a transaction. */
static enum pp_err write_budget(struct pp_db *db, int64_t id,
                                const struct pp_institution_input *in, struct pp_error *e)
{
    int64_t spent = 0;
    enum pp_err rc = pp_db_query_int(db, &spent,
                                     "SELECT spent_cents FROM institution_budget"
                                     " WHERE institution_id = ? AND year = ?",
                                     2, id, (int64_t)in->year);
    if (rc == PP_ENOTFOUND)
        return PP_EXEC(db, "INSERT INTO institution_budget (institution_id, year, budget_cents)"
                           " VALUES (?, ?, ?)",
                       PP_INT(id), PP_INT(in->year), PP_INT(in->budget_cents));
    if (rc != PP_OK)
        return rc;
    if (in->budget_cents < spent)
        return pp_error_set(e, PP_EVALIDATION, "budgetCents",
                            "Le budget ne peut pas être inférieur à ce que l'établissement a déjà "
                            "engagé cette année scolaire.");
    return PP_EXEC(db, "UPDATE institution_budget SET budget_cents = ?"
                       " WHERE institution_id = ? AND year = ?",
                   PP_INT(in->budget_cents), PP_INT(id), PP_INT(in->year));
}

/* One school and its budget, checked and written, audited. Inside a transaction. */
static enum pp_err save(struct pp_db *db, struct pp_arena *a, int64_t admin_id,
                        const struct pp_institution_input *in, int64_t *id, bool *created,
                        struct pp_error *e)
{
    const char *uai = normalize_uai(a, in->uai);
    check_input(in, uai, e);
    if (e->count > 0)
        return PP_EVALIDATION;
    enum pp_err rc = write_school(db, in, uai, id, created);
    if (rc == PP_OK)
        rc = write_budget(db, *id, in, e);
    if (rc == PP_OK)
        rc = pp_audit_log(db, admin_id, PP_CHANNEL_BACKOFFICE, "institution.save",
                          "educational_institution", *id,
                          pp_arena_printf(a, "%s %d : %lld c", uai, in->year,
                                          (long long)in->budget_cents));
    return rc;
}

enum pp_err pp_institution_save(struct pp_db *db, int64_t admin_id,
                                const struct pp_institution_input *in, int64_t *id,
                                bool *created, struct pp_error *e)
{
    struct pp_arena *a = pp_arena_new();
    enum pp_err rc = pp_db_begin(db);
    if (rc == PP_OK)
        rc = pp_tx_end(db, save(db, a, admin_id, in, id, created, e));
    pp_arena_free(a);
    return rc;
}

static const struct pp_col school_cols[] = PP_COLS(struct pp_institution,
    PPC_INT(id), PPC_TEXT(uai), PPC_TEXT(name), PPC_TEXT(city), PPC_INT(created_at));
static const struct pp_row_spec school_row = PP_ROW_SPEC(struct pp_institution, school_cols, NULL);
static const struct pp_col budget_cols[] = PP_COLS(struct pp_institution_budget,
    PPC_INT(institution_id), PPC_INT(year), PPC_INT(budget_cents), PPC_INT(spent_cents));
static const struct pp_row_spec budget_row =
    PP_ROW_SPEC(struct pp_institution_budget, budget_cols, NULL);

enum pp_err pp_institution_list(struct pp_db *db, struct pp_arena *arena,
                                struct pp_institution **items, size_t *count)
{
    struct pp_institution_budget *b;
    size_t nb;
    enum pp_err rc = pp_row_collect(
        pp_bind_prepare(db, "SELECT id, uai, name, city, created_at FROM educational_institution"
                            " ORDER BY id", NULL, 0),
        arena, &school_row, (void **)items, count);
    if (rc == PP_OK)
        rc = pp_row_collect(
            pp_bind_prepare(db, "SELECT institution_id, year, budget_cents, spent_cents"
                                " FROM institution_budget ORDER BY institution_id, year DESC",
                            NULL, 0),
            arena, &budget_row, (void **)&b, &nb);
    /* Both lists are sorted by school id: each school's budgets are the next run of @b. */
    for (size_t i = 0, j = 0; rc == PP_OK && i < *count; i++) {
        struct pp_institution *s = &(*items)[i];
        while (j < nb && b[j].institution_id < s->id)
            j++;
        s->budgets = &b[j];
        for (; j < nb && b[j].institution_id == s->id; j++)
            s->nbudgets++;
    }
    return rc;
}

/* Splits @line (modified) at ';' into at most @max fields; returns their number. */
static size_t split_fields(char *line, char **fields, size_t max)
{
    size_t n = 0;
    for (char *p = line;; p++) {
        if (n < max)
            fields[n] = p;
        n++;
        p = strchr(p, ';');
        if (p == NULL)
            return n;
        *p = '\0';
    }
}

/* Trims spaces and one pair of surrounding double quotes, in place. */
static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
        s[n - 1] = '\0';
        s++;
    }
    return s;
}

static void add_error(struct pp_arena *a, struct pp_import_result *out, size_t *cap, int line,
                      const char *message)
{
    out->errors = pp_arena_grow(a, out->errors, out->nerrors, cap, sizeof *out->errors);
    out->errors[out->nerrors++] = (struct pp_import_error){line, message};
}

/* Reads one data line into @in; false (and the reason in *why) when it has not 5 fields. */
static bool read_line(char *line, struct pp_institution_input *in, const char **why)
{
    char *f[5];
    if (split_fields(line, f, 5) != 5) {
        *why = "La ligne doit compter 5 champs séparés par des points-virgules.";
        return false;
    }
    char *end = NULL;
    const char *budget = trim(f[3]);
    long long cents = strtoll(budget, &end, 10);
    *in = (struct pp_institution_input){.uai = trim(f[0]), .name = trim(f[1]),
                                         .city = trim(f[2]),
                                         .budget_cents = *budget && !*end ? cents : -1};
    if (!pp_school_year_parse(trim(f[4]), &in->year))
        in->year = 0;
    return true;
}

/* "uai : message ; name : message" from the errors of one line. */
static const char *line_message(struct pp_arena *a, const struct pp_error *e)
{
    const char *m = "";
    for (int i = 0; i < e->count; i++)
        m = pp_arena_printf(a, "%s%s%s : %s", m, i ? " " : "", e->items[i].field,
                            e->items[i].message);
    return m;
}

/* Line @lineno (data) checked and written inside the caller's transaction, errors collected;
 * returns a database error only. */
static enum pp_err import_line(struct pp_db *db, struct pp_arena *a, int64_t admin_id,
                               char *line, int lineno, struct pp_import_result *out, size_t *cap)
{
    struct pp_institution_input in;
    const char *why = NULL;
    if (!read_line(line, &in, &why)) {
        add_error(a, out, cap, lineno, why);
        return PP_OK;
    }
    struct pp_error e;
    pp_error_init(&e);
    int64_t id;
    bool created = false;
    enum pp_err rc = save(db, a, admin_id, &in, &id, &created, &e);
    if (rc == PP_EVALIDATION) {
        add_error(a, out, cap, lineno, line_message(a, &e));
        return PP_OK;
    }
    if (rc == PP_OK)
        *(created ? &out->created : &out->updated) += 1;
    return rc;
}

static bool header_ok(const char *line)
{
    if (strncmp(line, "\xEF\xBB\xBF", 3) == 0) /* a byte order mark, as spreadsheets write */
        line += 3;
    size_t n = strlen(line);
    while (n > 0 && (line[n - 1] == '\r' || line[n - 1] == ' '))
        n--;
    return n == strlen(HEADER) && strncasecmp(line, HEADER, n) == 0;
}

/* Every line of @text (modified) imported inside the caller's transaction. */
static enum pp_err import_text(struct pp_db *db, struct pp_arena *a, int64_t admin_id,
                               char *text, struct pp_import_result *out)
{
    size_t cap = 0;
    int lineno = 0, rows = 0;
    enum pp_err rc = PP_OK;
    for (char *line = text, *next; line != NULL && rc == PP_OK; line = next) {
        next = strchr(line, '\n');
        if (next != NULL)
            *next++ = '\0';
        lineno++;
        if (lineno == 1) {
            if (!header_ok(line))
                add_error(a, out, &cap, 1, "La première ligne doit être l'en-tête « " HEADER " ».");
            continue;
        }
        if (*trim(line) == '\0')
            continue;
        if (++rows > PP_INSTITUTION_IMPORT_MAX) {
            add_error(a, out, &cap, lineno, "Le fichier dépasse 5000 lignes : découpez-le.");
            break;
        }
        rc = import_line(db, a, admin_id, line, lineno, out, &cap);
    }
    if (rc == PP_OK && rows == 0 && out->nerrors == 0)
        add_error(a, out, &cap, lineno, "Le fichier ne contient aucun établissement.");
    return rc == PP_OK && out->nerrors > 0 ? PP_EVALIDATION : rc;
}

enum pp_err pp_institution_import(struct pp_db *db, struct pp_arena *arena, int64_t admin_id,
                                  const char *csv, struct pp_import_result *out)
{
    memset(out, 0, sizeof *out);
    char *text = pp_arena_strdup(arena, csv ? csv : "");
    if (pp_db_begin(db) != PP_OK)
        return PP_EDB;
    enum pp_err rc = pp_tx_end(db, import_text(db, arena, admin_id, text, out));
    if (rc != PP_OK)
        out->created = out->updated = 0;
    return rc;
}
