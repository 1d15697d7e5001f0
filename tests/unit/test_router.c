/* Route matching and the error-code → HTTP status table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "http/request.h"
#include "http/router.h"

static void h_a(struct pp_req *req) { (void)req; }
static void h_b(struct pp_req *req) { (void)req; }
static void h_c(struct pp_req *req) { (void)req; }

static const struct pp_route routes[] = {
    {"GET", "/api/v1/venues", PP_ACCESS_PRO, h_a, 0},
    {"GET", "/api/v1/venues/{id}", PP_ACCESS_PRO, h_b, 0},
    {"PATCH", "/api/v1/venues/{id}", PP_ACCESS_PRO, h_c, 0},
    {"POST", "/backoffice/structures/{id}/{decision}", PP_ACCESS_ADMIN, h_a, 0},
    {0, 0, 0, 0, 0},
};

static struct pp_req *new_req(void)
{
    static struct pp_req req;
    memset(&req, 0, sizeof req);
    req.arena = pp_arena_new();
    return &req;
}

static void test_exact_and_param(void **state)
{
    (void)state;
    struct pp_req *req = new_req();
    bool known;
    const struct pp_route *r = pp_router_match(routes, "GET", "/api/v1/venues", req, &known);
    assert_non_null(r);
    assert_ptr_equal(r->handler, h_a);
    r = pp_router_match(routes, "GET", "/api/v1/venues/42", req, &known);
    assert_non_null(r);
    assert_ptr_equal(r->handler, h_b);
    assert_int_equal(req->nparams, 1);
    assert_string_equal(req->params[0], "42");
    assert_int_equal(pp_req_param_id(req, 0), 42);
    pp_arena_free(req->arena);
}

static void test_method_selects_route(void **state)
{
    (void)state;
    struct pp_req *req = new_req();
    bool known;
    const struct pp_route *r = pp_router_match(routes, "PATCH", "/api/v1/venues/7", req, &known);
    assert_non_null(r);
    assert_ptr_equal(r->handler, h_c);
    /* HEAD is answered by the GET route. */
    r = pp_router_match(routes, "HEAD", "/api/v1/venues/7", req, &known);
    assert_non_null(r);
    assert_ptr_equal(r->handler, h_b);
    pp_arena_free(req->arena);
}

static void test_unknown_method_is_known_path(void **state)
{
    (void)state;
    struct pp_req *req = new_req();
    bool known;
    assert_null(pp_router_match(routes, "DELETE", "/api/v1/venues/7", req, &known));
    assert_true(known);
    assert_null(pp_router_match(routes, "GET", "/api/v1/nothing", req, &known));
    assert_false(known);
    pp_arena_free(req->arena);
}

static void test_no_partial_or_empty_segments(void **state)
{
    (void)state;
    struct pp_req *req = new_req();
    bool known;
    assert_null(pp_router_match(routes, "GET", "/api/v1/venues/", req, &known));
    assert_null(pp_router_match(routes, "GET", "/api/v1/venues/1/2", req, &known));
    assert_null(pp_router_match(routes, "GET", "/api/v1/venuesX", req, &known));
    assert_null(pp_router_match(routes, "GET", "/api/v1", req, &known));
    pp_arena_free(req->arena);
}

static void test_two_params(void **state)
{
    (void)state;
    struct pp_req *req = new_req();
    bool known;
    const struct pp_route *r =
        pp_router_match(routes, "POST", "/backoffice/structures/12/valider", req, &known);
    assert_non_null(r);
    assert_int_equal(req->nparams, 2);
    assert_string_equal(req->params[0], "12");
    assert_string_equal(req->params[1], "valider");
    pp_arena_free(req->arena);
}

static void test_param_id_rejects_non_ids(void **state)
{
    (void)state;
    struct pp_req *req = new_req();
    bool known;
    const char *bad[] = {"0", "-1", "abc", "1e3", "012", "99999999999999999999", "4 2"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char path[64];
        snprintf(path, sizeof path, "/api/v1/venues/%s", bad[i]);
        assert_non_null(pp_router_match(routes, "GET", path, req, &known));
        assert_int_equal(pp_req_param_id(req, 0), 0);
    }
    pp_arena_free(req->arena);
}

static void test_status_table(void **state)
{
    (void)state;
    assert_int_equal(pp_err_status(PP_EINVAL), 400);
    assert_int_equal(pp_err_status(PP_EUNAUTH), 401);
    assert_int_equal(pp_err_status(PP_EFORBIDDEN), 403);
    assert_int_equal(pp_err_status(PP_ENOTFOUND), 404);
    assert_int_equal(pp_err_status(PP_ECONFLICT), 409);
    assert_int_equal(pp_err_status(PP_EGONE), 410);
    assert_int_equal(pp_err_status(PP_ETOOBIG), 413);
    assert_int_equal(pp_err_status(PP_EVALIDATION), 422);
    assert_int_equal(pp_err_status(PP_ERATE), 429);
    assert_int_equal(pp_err_status(PP_EDB), 500);
}

static void test_error_list_caps(void **state)
{
    (void)state;
    struct pp_error e;
    pp_error_init(&e);
    for (int i = 0; i < PP_ERROR_MAX + 3; i++)
        assert_int_equal(pp_error_set(&e, PP_EVALIDATION, "f", "m"), PP_EVALIDATION);
    assert_int_equal(e.count, PP_ERROR_MAX);
    assert_int_equal(pp_error_set(NULL, PP_ECONFLICT, "f", "m"), PP_ECONFLICT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_and_param),
        cmocka_unit_test(test_method_selects_route),
        cmocka_unit_test(test_unknown_method_is_known_path),
        cmocka_unit_test(test_no_partial_or_empty_segments),
        cmocka_unit_test(test_two_params),
        cmocka_unit_test(test_param_id_rejects_non_ids),
        cmocka_unit_test(test_status_table),
        cmocka_unit_test(test_error_list_caps),
    };
    return cmocka_run_group_tests_name("router", tests, NULL, NULL);
}
