/* The JSON bodies of src/api/bookings.c for fuzz_json_body (fuzz/bodies.h). */
#include "../src/api/bookings.c"

#include "bodies.h"

const struct fuzz_body fuzz_bodies_bookings[] = {
    {"POST /api/v1/admin/beneficiaries", &beneficiary_body, sizeof(struct pp_beneficiary_new)},
    {"POST /api/v1/bookings", &booking_body, sizeof(struct booking_input)},
    {NULL, NULL, 0},
};
