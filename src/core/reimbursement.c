#include "core/reimbursement.h"

#include <string.h>

static const struct {
    const char *code;
    const char *description;
    int rate_bp;
    enum pp_rule_group group;
} rules[PP_RULE_COUNT] = {
    [PP_RULE_PHYSICAL] = {"PHYSICAL", "Remboursement total pour les offres physiques", 10000,
                          PP_GROUP_STANDARD},
    [PP_RULE_STANDARD_95] = {"STANDARD_95",
                             "Remboursement à 95% entre 20 000 € et 40 000 € par lieu "
                             "(>= 2021-09-01)",
                             9500, PP_GROUP_STANDARD},
    [PP_RULE_STANDARD_92] = {"STANDARD_92",
                             "Remboursement à 92% entre 40 000 € et 150 000 € par lieu "
                             "(>= 2021-09-01)",
                             9200, PP_GROUP_STANDARD},
    [PP_RULE_STANDARD_90] = {"STANDARD_90",
                             "Remboursement à 90% au dessus de 150 000 € par lieu (>= 2021-09-01)",
                             9000, PP_GROUP_STANDARD},
    [PP_RULE_BOOK_100] = {"BOOK_100", "Remboursement à 100% jusqu'à 20 000 € pour les livres",
                          10000, PP_GROUP_BOOK},
    [PP_RULE_BOOK_95] = {"BOOK_95", "Remboursement à 95% au dessus de 20 000 € pour les livres",
                         9500, PP_GROUP_BOOK},
    [PP_RULE_NOT_REIMBURSED] = {"NOT_REIMBURSED", "Pas de remboursement pour les offres digitales",
                                0, PP_GROUP_NOT_REIMBURSED},
    [PP_RULE_EDUCATIONAL] = {"EDUCATIONAL", "Remboursement total pour les offres éducationnelles",
                             10000, PP_GROUP_EDUCATIONAL},
    [PP_RULE_CUSTOM] = {"CUSTOM", "Barème dérogatoire", 0, PP_GROUP_CUSTOM},
};

static const char *const group_titles[PP_GROUP_COUNT] = {
    [PP_GROUP_STANDARD] = "Barème général",
    [PP_GROUP_BOOK] = "Barème livres",
    [PP_GROUP_NOT_REIMBURSED] = "Barème non remboursé",
    [PP_GROUP_CUSTOM] = "Barème dérogatoire",
    [PP_GROUP_EDUCATIONAL] = "Barème offres collectives",
};

const char *pp_rule_code(enum pp_rule r)
{
    return rules[r].code;
}

bool pp_rule_from_code(const char *code, enum pp_rule *out)
{
    for (int r = 0; r < PP_RULE_COUNT && code != NULL; r++) {
        if (strcmp(rules[r].code, code) == 0) {
            *out = (enum pp_rule)r;
            return true;
        }
    }
    return false;
}

const char *pp_rule_description(enum pp_rule r)
{
    return rules[r].description;
}

int pp_rule_rate_bp(enum pp_rule r)
{
    return rules[r].rate_bp;
}

enum pp_rule_group pp_rule_group_of(enum pp_rule r)
{
    return rules[r].group;
}

const char *pp_rule_group_title(enum pp_rule_group g)
{
    return group_titles[g];
}

enum pp_rule pp_rule_pick(enum pp_reimbursement scale, int64_t revenue_cents)
{
    switch (scale) {
    case PP_REIMBURSEMENT_NOT_REIMBURSED:
        return PP_RULE_NOT_REIMBURSED;
    case PP_REIMBURSEMENT_BOOK:
        return revenue_cents <= PP_REVENUE_20K ? PP_RULE_BOOK_100 : PP_RULE_BOOK_95;
    case PP_REIMBURSEMENT_STANDARD:
        break;
    }
    if (revenue_cents <= PP_REVENUE_20K)
        return PP_RULE_PHYSICAL;
    if (revenue_cents <= PP_REVENUE_40K)
        return PP_RULE_STANDARD_95;
    if (revenue_cents <= PP_REVENUE_150K)
        return PP_RULE_STANDARD_92;
    return PP_RULE_STANDARD_90;
}

int64_t pp_reimbursed_cents(int64_t total_cents, int rate_bp)
{
    /* Exact in integers: a total is at most a few million cents, times 10000 stays far
     * below 2^63. Negative totals (incidents) round half away from zero, symmetrically. */
    int64_t scaled = total_cents * rate_bp;
    if (scaled >= 0)
        return (scaled + 5000) / 10000;
    return -((-scaled + 5000) / 10000);
}

/* True when the comma-separated @list names @sub (an empty or NULL list names every one). */
static bool lists_subcategory(const char *list, const char *sub)
{
    if (list == NULL || *list == '\0')
        return true;
    size_t len = strlen(sub);
    for (const char *p = list; *p != '\0';) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n == len && strncmp(p, sub, n) == 0)
            return true;
        if (end == NULL)
            break;
        p = end + 1;
    }
    return false;
}

static bool covers(const struct pp_custom_rule *r, const char *sub, int64_t used_at)
{
    return used_at >= r->starts_at && (r->ends_at == 0 || used_at < r->ends_at) &&
           lists_subcategory(r->subcategories, sub);
}

const struct pp_custom_rule *pp_custom_rule_pick(const struct pp_custom_rule *rules_in, size_t n,
                                                 int64_t offer_id, int64_t pricing_point_id,
                                                 int64_t offerer_id, const char *subcategory,
                                                 int64_t used_at)
{
    for (int level = 0; level < 3; level++) {
        for (size_t i = 0; i < n; i++) {
            const struct pp_custom_rule *r = &rules_in[i];
            bool mine = level == 0   ? r->offer_id != 0 && r->offer_id == offer_id
                        : level == 1 ? r->venue_id != 0 && r->venue_id == pricing_point_id
                                     : r->offerer_id != 0 && r->offerer_id == offerer_id;
            if (mine && covers(r, subcategory, used_at))
                return r;
        }
    }
    return NULL;
}

int64_t pp_custom_rule_amount(const struct pp_custom_rule *rule, int64_t total_cents,
                              int64_t quantity)
{
    if (rule->rate_bp < 0)
        return rule->amount_cents * quantity;
    return pp_reimbursed_cents(total_cents, rule->rate_bp);
}
