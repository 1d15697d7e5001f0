#ifndef PP_FUZZ_BODIES_H
#define PP_FUZZ_BODIES_H

/*
 * The JSON bodies of the API, one entry per endpoint, for fuzz_json_body: each bodies_<file>.c
 * includes src/api/<file>.c (h2o's way of testing statics) and lists that file's body specs
 * with the size of the input struct its handler reads them into.
 */

#include <stddef.h>

#include "api/api.h"

struct fuzz_body {
    const char *endpoint; /* "POST /api/v1/..." as routes.c names it */
    const struct pp_api_body *spec;
    size_t size; /* sizeof the handler's input struct */
};

/* A file's table ends with a NULL endpoint. */
extern const struct fuzz_body fuzz_bodies_adage[], fuzz_bodies_auth[], fuzz_bodies_bookings[],
    fuzz_bodies_collective[], fuzz_bodies_collective_admin[], fuzz_bodies_finance[],
    fuzz_bodies_offerers[], fuzz_bodies_offers[], fuzz_bodies_system[], fuzz_bodies_venues[];

#endif
