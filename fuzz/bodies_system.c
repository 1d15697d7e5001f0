/* The JSON bodies of src/api/system.c for fuzz_json_body (fuzz/bodies.h). */
#include "../src/api/system.c"

#include "bodies.h"

const struct fuzz_body fuzz_bodies_system[] = {
    {"POST /api/test/clock", &clock_body, sizeof(struct clock_input)},
    {NULL, NULL, 0},
};
