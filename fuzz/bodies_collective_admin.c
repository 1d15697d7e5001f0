/* The JSON bodies of src/api/collective_admin.c for fuzz_json_body (fuzz/bodies.h). */
#include "../src/api/collective_admin.c"

#include "bodies.h"

const struct fuzz_body fuzz_bodies_collective_admin[] = {
    {"POST /api/v1/admin/institutions", &institution_body, sizeof(struct pp_institution_input)},
    {"POST /api/v1/admin/adage-keys", &key_body, sizeof(struct key_in)},
    {NULL, NULL, 0},
};
