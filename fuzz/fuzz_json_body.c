/*
 * The JSON bodies of every API endpoint that reads one (30 body specs in the files of src/api/): the
 * input's first byte picks the endpoint, the rest is the request body. The body goes through
 * pp_api_read() exactly as the handler calls it (pp_req_json: jansson with duplicate keys
 * refused; then the endpoint's field table and its extra reader: strings trimmed and measured,
 * ids, flags, datetimes, counts, string lists, arrays of venue ids, recurrence rules,
 * activation codes...), on a request with an arena and no database: it stops where the handler
 * would call the domain. Invariants: a refusal answers 400 or 422 with a SPEC §2 error body
 * ({"errors": {field: [message...]}}); an acceptance sets no answer and no error; every string
 * field read is trimmed, non-empty (or "", an extra reader's mark for "clear it") and within its field's length in characters; every id read
 * is positive or 0 (absent).
 */
#include <jansson.h>
#include <stdbool.h>

#include "bodies.h"
#include "core/utf8.h"
#include "fuzz.h"

static const struct fuzz_body *const files[] = {
    fuzz_bodies_adage,   fuzz_bodies_auth,     fuzz_bodies_bookings, fuzz_bodies_collective,
    fuzz_bodies_collective_admin, fuzz_bodies_finance, fuzz_bodies_offerers, fuzz_bodies_offers,
    fuzz_bodies_system,  fuzz_bodies_venues,
};

static const struct fuzz_body *bodies[64];
static size_t nbodies;

static void list_bodies(void)
{
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++)
        for (const struct fuzz_body *b = files[f]; b->endpoint != NULL; b++)
            bodies[nbodies++] = b;
}

static void check_error_body(const struct pp_req *req)
{
    FUZZ_CHECK(req->status == 400 || req->status == 422);
    json_t *j = json_loadb(req->resp_body, req->resp_len, 0, NULL);
    FUZZ_CHECK(j != NULL);
    json_t *errors = json_object_get(j, "errors");
    FUZZ_CHECK(json_is_object(errors) && json_object_size(errors) > 0);
    const char *key;
    json_t *list;
    json_object_foreach(errors, key, list) {
        FUZZ_CHECK(json_is_array(list) && json_array_size(list) > 0);
        for (size_t i = 0; i < json_array_size(list); i++)
            FUZZ_CHECK(json_string_length(json_array_get(list, i)) > 0);
    }
    json_decref(j);
}

static void check_fields(const struct pp_api_body *spec, const char *in)
{
    for (size_t i = 0; i < spec->nfields; i++) {
        const struct pp_api_field *f = &spec->fields[i];
        if (f->read == pp_api_read_str) {
            const char *s = *(const char *const *)(in + f->offset);
            if (s == NULL)
                continue;
            size_t n = strlen(s);
            /* "" is how an extra reader marks a field to clear (offers: "url": null). */
            if (n == 0) {
                FUZZ_CHECK(spec->extra != NULL);
                continue;
            }
            FUZZ_CHECK(strchr(" \t\n", s[0]) == NULL && strchr(" \t\n", s[n - 1]) == NULL);
            FUZZ_CHECK(f->max_chars == 0 || pp_utf8_chars(s) <= f->max_chars);
        } else if (f->read == pp_api_read_id) {
            FUZZ_CHECK(*(const int64_t *)(in + f->offset) >= 0);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (nbodies == 0)
        list_bodies();
    if (size == 0)
        return 0;
    const struct fuzz_body *b = bodies[data[0] % nbodies];
    char *body = fuzz_cstr(data + 1, size - 1);
    struct pp_req req = {.arena = pp_arena_new(), .method = "POST", .body = body,
                         .body_len = size - 1};
    char *in = calloc(1, b->size);
    struct pp_error e;
    if (pp_api_read(&req, b->spec, in, &e)) {
        FUZZ_CHECK(e.count == 0 && req.status == 0);
        check_fields(b->spec, in);
    } else {
        check_error_body(&req);
    }
    free(in);
    json_decref(req.owned_json);
    pp_arena_free(req.arena);
    free(body);
    return 0;
}
