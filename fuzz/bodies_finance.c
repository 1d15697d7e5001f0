/* The JSON bodies of src/api/finance.c for fuzz_json_body (fuzz/bodies.h). */
#include "../src/api/finance.c"

#include "bodies.h"

const struct fuzz_body fuzz_bodies_finance[] = {
    {"POST /api/v1/offerers/{id}/bank-accounts", &account_body, sizeof(struct account_in)},
    {"PUT /api/v1/bank-accounts/{id}/venues", &venues_body, sizeof(struct venues_in)},
    {"PUT /api/v1/venues/{id}/pricing-point", &point_body, sizeof(struct point_in)},
    {"POST /api/v1/admin/finance/runs", &run_body, sizeof(struct run_in)},
    {"POST /api/v1/admin/finance/incidents", &incident_body, sizeof(struct incident_in)},
    {"POST /api/v1/admin/finance/custom-rules", &rule_body, sizeof(struct rule_in)},
    {NULL, NULL, 0},
};
