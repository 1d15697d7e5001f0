/* The JSON bodies of src/api/offers.c for fuzz_json_body (fuzz/bodies.h). */
#include "../src/api/offers.c"

#include "bodies.h"

const struct fuzz_body fuzz_bodies_offers[] = {
    {"POST /api/v1/offers", &offer_create_body, sizeof(struct pp_offer_input)},
    {"PATCH /api/v1/offers/{id}", &offer_update_body, sizeof(struct pp_offer_input)},
    {"POST /api/v1/offers/{id}/price-categories", &price_category_body, sizeof(struct price_category_input)},
    {"POST /api/v1/offers/{id}/stocks, PATCH /api/v1/stocks/{id}", &stock_body, sizeof(struct pp_stock_input)},
    {"POST /api/v1/offers/{id}/stocks/recurrence", &recurrence_body, sizeof(struct pp_recurrence)},
    {"POST /api/v1/offers/{id}/activation-codes", &activation_body, sizeof(struct activation_input)},
    {NULL, NULL, 0},
};
