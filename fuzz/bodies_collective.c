/* The JSON bodies of src/api/collective.c for fuzz_json_body (fuzz/bodies.h). */
#include "../src/api/collective.c"

#include "bodies.h"

const struct fuzz_body fuzz_bodies_collective[] = {
    {"POST /api/v1/offerers/{id}/adage-application", &application_body, sizeof(struct application_in)},
    {"POST /api/v1/admin/offerers/{id}/adage/reject", &reason_body, sizeof(struct reason_in)},
    {"PUT /api/v1/admin/collective/policy", &policy_body, sizeof(struct policy_in)},
    {"POST /api/v1/collective/offers, /api/v1/collective/templates", &offer_create_body, sizeof(struct offer_in)},
    {"PATCH /api/v1/collective/offers/{id}", &offer_update_body, sizeof(struct offer_in)},
    {"POST, PATCH /api/v1/collective/offers/{id}/stock", &stock_body, sizeof(struct pp_collective_stock_input)},
    {NULL, NULL, 0},
};
