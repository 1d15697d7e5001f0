/* The JSON bodies of src/api/auth.c for fuzz_json_body (fuzz/bodies.h). */
#include "../src/api/auth.c"

#include "bodies.h"

const struct fuzz_body fuzz_bodies_auth[] = {
    {"POST /api/v1/auth/signup", &signup_body, sizeof(struct pp_account_new)},
    {"POST /api/v1/auth/login", &login_body, sizeof(struct login_input)},
    {NULL, NULL, 0},
};
