/* The JSON bodies of src/api/venues.c for fuzz_json_body (fuzz/bodies.h). */
#include "../src/api/venues.c"

#include "bodies.h"

const struct fuzz_body fuzz_bodies_venues[] = {
    {"POST /api/v1/venues", &venue_create_body, sizeof(struct pp_venue)},
    {"PATCH /api/v1/venues/{id}", &venue_update_body, sizeof(struct pp_venue)},
    {NULL, NULL, 0},
};
