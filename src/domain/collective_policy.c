#include "domain/collective_policy.h"

#include <string.h>

#include "core/arena.h"
#include "core/categories.h"
#include "db/db.h"
#include "db/row.h"
#include "db/scalar.h"
#include "db/tx.h"
#include "domain/audit.h"

const char *const pp_eac_formats[PP_EAC_FORMAT_COUNT] = {
    "Atelier de pratique",      "Concert",                 "Conférence, rencontre",
    "Festival, salon, congrès", "Projection audiovisuelle", "Représentation",
    "Visite guidée",            "Visite libre",
};

bool pp_eac_format_valid(const char *format)
{
    for (size_t i = 0; format != NULL && i < PP_EAC_FORMAT_COUNT; i++)
        if (strcmp(pp_eac_formats[i], format) == 0)
            return true;
    return false;
}

bool pp_eac_formats_valid(const char *const *formats, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!pp_eac_format_valid(formats[i]))
            return false;
    return true;
}

static bool listed(const char *const *items, size_t n, const char *s)
{
    for (size_t i = 0; s != NULL && i < n; i++)
        if (strcmp(items[i], s) == 0)
            return true;
    return false;
}

enum pp_err pp_collective_policy_get(struct pp_db *db, struct pp_arena *arena,
                                     struct pp_collective_policy *out)
{
    const char **codes;
    size_t n;
    memset(out, 0, sizeof *out);
    /* Subcategory ids and formats never share a spelling: the codes need not their kind. */
    enum pp_err rc = pp_scalar_texts(
        pp_bind_prepare(db, "SELECT code FROM collective_policy", NULL, 0), arena, &codes, &n);
    if (rc != PP_OK)
        return rc;
    /* In the order of the reference tables, with static strings. */
    size_t nsub;
    const struct pp_subcategory *subs = pp_subcategories(&nsub);
    out->subcategories = pp_arena_calloc(arena, (n + 1) * sizeof(char *));
    out->formats = pp_arena_calloc(arena, (n + 1) * sizeof(char *));
    for (size_t i = 0; i < nsub; i++)
        if (listed(codes, n, subs[i].id))
            out->subcategories[out->nsubcategories++] = subs[i].id;
    for (size_t i = 0; i < PP_EAC_FORMAT_COUNT; i++)
        if (listed(codes, n, pp_eac_formats[i]))
            out->formats[out->nformats++] = pp_eac_formats[i];
    return PP_OK;
}

static void check_policy(const struct pp_collective_policy *p, struct pp_error *e)
{
    for (size_t i = 0; i < p->nsubcategories; i++) {
        const struct pp_subcategory *s = pp_subcategory_find(p->subcategories[i]);
        if (s == NULL || !s->can_be_educational) {
            pp_error_set(e, PP_EVALIDATION, "subcategories",
                         "Une des sous-catégories est inconnue ou ne peut pas être proposée en "
                         "offre collective.");
            break;
        }
    }
    if (!pp_eac_formats_valid(p->formats, p->nformats))
        pp_error_set(e, PP_EVALIDATION, "formats",
                     "Un des formats n'est pas un format EAC (ex. « Projection "
                     "audiovisuelle », « Visite guidée »).");
}

static enum pp_err insert_all(struct pp_db *db, const char *kind, const char *const *codes,
                              size_t n)
{
    enum pp_err rc = PP_OK;
    for (size_t i = 0; i < n && rc == PP_OK; i++)
        rc = PP_EXEC(db, "INSERT INTO collective_policy (kind, code) VALUES (?, ?)"
                         " ON CONFLICT DO NOTHING",
                     PP_TEXT(kind), PP_TEXT(codes[i]));
    return rc;
}

enum pp_err pp_collective_policy_set(struct pp_db *db, int64_t admin_id,
                                     const struct pp_collective_policy *p, struct pp_error *e)
{
    check_policy(p, e);
    if (e->count > 0)
        return PP_EVALIDATION;
    if (pp_db_begin(db) != PP_OK)
        return PP_EDB;
    enum pp_err rc = pp_db_exec(db, "DELETE FROM collective_policy");
    if (rc == PP_OK)
        rc = insert_all(db, "SUBCATEGORY", p->subcategories, p->nsubcategories);
    if (rc == PP_OK)
        rc = insert_all(db, "FORMAT", p->formats, p->nformats);
    if (rc == PP_OK)
        rc = pp_audit_log(db, admin_id, PP_CHANNEL_BACKOFFICE, "collective_policy.update",
                          "collective_policy", 0, NULL);
    return pp_tx_end(db, rc);
}

bool pp_collective_policy_allows(const struct pp_collective_policy *p,
                                 const char *subcategory_id, const char *format)
{
    return listed(p->subcategories, p->nsubcategories, subcategory_id) &&
           listed(p->formats, p->nformats, format);
}

/* @label with its first letter in lower case ("Séance de cinéma" → "séance de cinéma"). */
static const char *lower_first(struct pp_arena *a, const char *label)
{
    char *s = pp_arena_strdup(a, label);
    if (s[0] >= 'A' && s[0] <= 'Z')
        s[0] = (char)(s[0] - 'A' + 'a');
    else if ((unsigned char)s[0] == 0xC3 && (unsigned char)s[1] >= 0x80 &&
             (unsigned char)s[1] <= 0x9E) /* À..Þ in UTF-8: + 0x20 for the lower case */
        s[1] = (char)((unsigned char)s[1] + 0x20);
    return s;
}

/* "a", "a et b", "a, b et c", each through @show. */
static const char *enumerate(struct pp_arena *a, const char *const *items, size_t n,
                             const char *(*show)(struct pp_arena *, const char *))
{
    const char *out = "";
    for (size_t i = 0; i < n; i++)
        out = pp_arena_printf(a, "%s%s%s", out, i == 0 ? "" : (i + 1 == n ? " et " : ", "),
                              show(a, items[i]));
    return out;
}

static const char *sub_label(struct pp_arena *a, const char *id)
{
    const struct pp_subcategory *s = pp_subcategory_find(id);
    return lower_first(a, s ? s->pro_label : id);
}

static const char *quoted(struct pp_arena *a, const char *s)
{
    return pp_arena_printf(a, "« %s »", s);
}

const char *pp_collective_policy_explain(struct pp_arena *arena,
                                         const struct pp_collective_policy *p,
                                         const char *subcategory_id, const char *format)
{
    if (p->nsubcategories == 0 || p->nformats == 0)
        return "Aucune offre collective ne peut être proposée aujourd'hui aux groupes scolaires.";
    const char *text = pp_arena_printf(
        arena,
        "Les offres collectives sont ouvertes aujourd'hui aux offres suivantes : %s "
        "(format%s %s).",
        enumerate(arena, p->subcategories, p->nsubcategories, sub_label),
        p->nformats > 1 ? "s" : "", enumerate(arena, p->formats, p->nformats, quoted));
    const struct pp_subcategory *s = pp_subcategory_find(subcategory_id);
    if (subcategory_id != NULL && !listed(p->subcategories, p->nsubcategories, subcategory_id))
        return pp_arena_printf(arena,
                               "%s Votre offre « %s » ne peut pas encore être proposée aux "
                               "groupes scolaires.",
                               text, s ? s->pro_label : subcategory_id);
    if (format != NULL && !listed(p->formats, p->nformats, format))
        return pp_arena_printf(arena,
                               "%s Le format « %s » ne peut pas encore être proposé aux groupes "
                               "scolaires.",
                               text, format);
    return text;
}

enum pp_err pp_collective_policy_check(struct pp_db *db, struct pp_arena *arena,
                                       const char *subcategory_id, const char *format,
                                       struct pp_error *e)
{
    struct pp_collective_policy p;
    enum pp_err rc = pp_collective_policy_get(db, arena, &p);
    if (rc != PP_OK || pp_collective_policy_allows(&p, subcategory_id, format))
        return rc;
    return pp_error_set(e, PP_EFORBIDDEN, "global",
                        pp_collective_policy_explain(arena, &p, subcategory_id, format));
}
