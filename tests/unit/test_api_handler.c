/* The handler steps of api/handler.c: reading a body through a field table, answering. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "api/api.h"

struct input {
    const char *name;
    int64_t venue_id;
    int flag;
    bool bonus;
    const char *password;
};

static const struct pp_api_field fields[] = {
    PP_FIELD_STR(struct input, name, "name", true, 5),
    PP_FIELD_ID(struct input, venue_id, "venueId", false),
    PP_FIELD_FLAG(struct input, flag, "isDuo"),
    PP_FIELD_BOOL(struct input, bonus, "bonus"),
    PP_FIELD_TEXT(struct input, password, "password", false),
};

static int extra_calls;

static void extra(struct pp_req *req, json_t *body, void *in, struct pp_error *e)
{
    (void)req;
    (void)body;
    (void)in;
    (void)e;
    extra_calls++;
}

static const struct pp_api_body spec = PP_API_BODY(fields, extra);

static struct pp_arena *arena;
static struct pp_req req;

static struct pp_req *req_with(const char *body)
{
    json_decref(req.owned_json);
    if (arena != NULL)
        pp_arena_free(arena);
    arena = pp_arena_new();
    memset(&req, 0, sizeof req);
    req.arena = arena;
    req.body = body;
    req.body_len = strlen(body);
    return &req;
}

static void test_reads_the_table(void **state)
{
    (void)state;
    struct pp_req *r = req_with("{\"name\": \"  Jazz \", \"venueId\": 7, \"isDuo\": false,"
                                " \"bonus\": true, \"password\": \" p w \"}");
    struct input in;
    struct pp_error e;
    extra_calls = 0;
    assert_true(pp_api_read(r, &spec, &in, &e));
    assert_string_equal(in.name, "Jazz");
    assert_int_equal(in.venue_id, 7);
    assert_int_equal(in.flag, 0);
    assert_true(in.bonus);
    assert_string_equal(in.password, " p w ");
    assert_int_equal(e.count, 0);
    assert_int_equal(extra_calls, 1);
    assert_int_equal(r->status, 0); /* nothing answered yet */
}

static void test_absent_optionals(void **state)
{
    (void)state;
    struct pp_req *r = req_with("{\"name\": \"Jazz\"}");
    struct input in = {.venue_id = 99};
    struct pp_error e;
    assert_true(pp_api_read(r, &spec, &in, &e));
    assert_int_equal(in.venue_id, 0);
    assert_int_equal(in.flag, -1);
    assert_false(in.bonus);
    assert_null(in.password);
}

static void test_422_lists_every_field_in_table_order(void **state)
{
    (void)state;
    struct pp_req *r = req_with("{\"name\": \"too long\", \"venueId\": -1, \"isDuo\": 1,"
                                " \"password\": 3}");
    struct input in;
    struct pp_error e;
    assert_false(pp_api_read(r, &spec, &in, &e));
    assert_int_equal(r->status, 422);
    assert_int_equal(e.count, 4);
    assert_string_equal(e.items[0].field, "name");
    assert_string_equal(e.items[1].field, "venueId");
    assert_string_equal(e.items[2].field, "isDuo");
    assert_string_equal(e.items[3].field, "password");
    assert_non_null(strstr(r->resp_body, "\"errors\":{\"name\":"));
}

static void test_400_when_not_an_object(void **state)
{
    (void)state;
    struct input in;
    struct pp_error e;
    assert_false(pp_api_read(req_with("[1]"), &spec, &in, &e));
    assert_int_equal(req.status, 400);
    assert_false(pp_api_read(req_with("{oops"), &spec, &in, &e));
    assert_int_equal(req.status, 400);
}

static void test_reply(void **state)
{
    (void)state;
    struct pp_req *r = req_with("");
    pp_api_reply(r, PP_OK, NULL, 201, json_pack("{s:i}", "id", 3));
    assert_int_equal(r->status, 201);
    assert_string_equal(r->resp_body, "{\"id\":3}");

    r = req_with("");
    struct pp_error e;
    pp_error_init(&e);
    pp_error_set(&e, PP_ECONFLICT, "global", "Déjà là.");
    pp_api_reply(r, PP_ECONFLICT, &e, 201, json_pack("{s:i}", "id", 3));
    assert_int_equal(r->status, 409);
    assert_non_null(strstr(r->resp_body, "Déjà là."));

    /* Database failures never show their details. */
    r = req_with("");
    assert_false(pp_api_ok(r, PP_EDB, &e));
    assert_int_equal(r->status, 500);
    assert_null(strstr(r->resp_body, "Déjà là."));

    r = req_with("");
    pp_api_reply(r, PP_OK, NULL, 204, NULL);
    assert_int_equal(r->status, 204);
}

static void test_authorized(void **state)
{
    (void)state;
    struct pp_req *r = req_with("");
    assert_int_equal(pp_api_authorized(r, 12, PP_OK), 12);
    assert_int_equal(r->status, 0);
    assert_int_equal(pp_api_authorized(r, 12, PP_ENOTFOUND), 0);
    assert_int_equal(r->status, 404);
}

/* A body of fields alone: PP_API_FIELDS counts its table itself. */
static const struct pp_api_body fields_only = PP_API_FIELDS(
    PP_FIELD_STR(struct input, name, "name", true, 5),
    PP_FIELD_ID(struct input, venue_id, "venueId", false));

static void test_fields_body(void **state)
{
    (void)state;
    assert_int_equal(fields_only.nfields, 2);
    assert_null(fields_only.extra);
    struct input in = {0};
    struct pp_error e;
    assert_true(pp_api_read(req_with("{\"name\": \"Jazz\", \"venueId\": 3}"), &fields_only, &in,
                            &e));
    assert_string_equal(in.name, "Jazz");
    assert_int_equal(in.venue_id, 3);
    struct pp_req *r = req_with("{\"venueId\": 3}");
    assert_false(pp_api_read(r, &fields_only, &in, &e));
    assert_int_equal(r->status, 422);
    assert_non_null(strstr(r->resp_body, "name"));
}

static int teardown(void **state)
{
    (void)state;
    json_decref(req.owned_json);
    req.owned_json = NULL;
    if (arena != NULL)
        pp_arena_free(arena);
    arena = NULL;
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reads_the_table),
        cmocka_unit_test(test_absent_optionals),
        cmocka_unit_test(test_422_lists_every_field_in_table_order),
        cmocka_unit_test(test_400_when_not_an_object),
        cmocka_unit_test(test_reply),
        cmocka_unit_test(test_authorized),
        cmocka_unit_test(test_fields_body),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
