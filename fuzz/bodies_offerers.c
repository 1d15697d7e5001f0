/* The JSON bodies of src/api/offerers.c for fuzz_json_body (fuzz/bodies.h). */
#include "../src/api/offerers.c"

#include "bodies.h"

const struct fuzz_body fuzz_bodies_offerers[] = {
    {"POST /api/v1/offerers", &offerer_body, sizeof(struct pp_offerer_signup)},
    {NULL, NULL, 0},
};
