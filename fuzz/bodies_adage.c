/* The JSON bodies of src/api/adage.c for fuzz_json_body (fuzz/bodies.h). */
#include "../src/api/adage.c"

#include "bodies.h"

const struct fuzz_body fuzz_bodies_adage[] = {
    {"POST /api/v1/adage/bookings", &prebook_body, sizeof(struct pp_collective_booking_in)},
    {"POST /api/v1/adage/bookings/{id}/cancel, /api/v1/pro/collective/bookings/{id}/cancel", &cancel_body, sizeof(struct cancel_in)},
    {NULL, NULL, 0},
};
