#include <string.h>

#include "api/api.h"
#include "db/db.h"
#include "domain/session.h"
#include "http/json.h"

#define SESSION_COOKIE "pp_session"

void pp_api_fail(struct pp_req *req, enum pp_err code, const struct pp_error *e)
{
    if (code == PP_EDB || code == PP_EINTERNAL)
        pp_res_error(req, code, NULL);
    else
        pp_res_error(req, code, e);
}

enum pp_err pp_api_start_session(struct pp_req *req, int64_t account_id)
{
    char token[PP_SESSION_TOKEN_LEN + 1];
    enum pp_err rc = pp_session_create(pp_req_db(req), account_id, token);
    if (rc == PP_OK)
        pp_res_cookie(req, SESSION_COOKIE, token, PP_SESSION_LIFETIME);
    return rc;
}

void pp_api_end_session(struct pp_req *req)
{
    const char *token = pp_req_cookie(req, SESSION_COOKIE);
    if (token != NULL)
        pp_session_delete(pp_req_db(req), token);
    pp_res_cookie(req, SESSION_COOKIE, "", 0);
}

static json_t *user_json(const struct pp_user *u, bool full)
{
    json_t *j = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)u->id, "email", u->email, "role",
                          u->role);
    if (full) {
        json_object_set_new(j, "firstName", json_string(u->first_name));
        json_object_set_new(j, "lastName", json_string(u->last_name));
    }
    return j;
}

void pp_api_signup(struct pp_req *req)
{
    json_t *body = pp_req_json(req);
    if (body == NULL)
        return;
    struct pp_error e;
    pp_error_init(&e);
    struct pp_account_new in = {.role = "PRO"};
    /* The password is taken as typed (no trimming): spaces are legitimate symbols. */
    json_t *pw = json_object_get(body, "password");
    if (pw == NULL || json_is_null(pw))
        pp_error_set(&e, PP_EVALIDATION, "password", "Ce champ est obligatoire.");
    else if (!json_is_string(pw))
        pp_error_set(&e, PP_EVALIDATION, "password", "Ce champ doit être une chaîne de caractères.");
    in.password = json_string_value(pw);
    pp_json_get_str(body, "email", true, 254, req->arena, &in.email, &e);
    pp_json_get_str(body, "firstName", true, 128, req->arena, &in.first_name, &e);
    pp_json_get_str(body, "lastName", true, 128, req->arena, &in.last_name, &e);
    pp_json_get_str(body, "phone", false, 20, req->arena, &in.phone, &e);
    if (e.count > 0) {
        pp_res_error(req, PP_EVALIDATION, &e);
        return;
    }
    int64_t id;
    enum pp_err rc = pp_account_create(pp_req_db(req), req->arena, &in, &id, &e);
    if (rc != PP_OK) {
        pp_api_fail(req, rc, &e);
        return;
    }
    struct pp_user u;
    if (pp_account_get(pp_req_db(req), req->arena, id, &u) != PP_OK) {
        pp_res_error(req, PP_EDB, NULL);
        return;
    }
    pp_res_json(req, 201, user_json(&u, false));
}

void pp_api_login(struct pp_req *req)
{
    json_t *body = pp_req_json(req);
    if (body == NULL)
        return;
    const char *email = json_string_value(json_object_get(body, "email"));
    const char *password = json_string_value(json_object_get(body, "password"));
    if (email == NULL || password == NULL) {
        struct pp_error e;
        pp_error_init(&e);
        if (email == NULL)
            pp_error_set(&e, PP_EVALIDATION, "email", "Veuillez renseigner votre adresse email.");
        if (password == NULL)
            pp_error_set(&e, PP_EVALIDATION, "password", "Veuillez renseigner votre mot de passe.");
        pp_res_error(req, PP_EVALIDATION, &e);
        return;
    }
    struct pp_error e;
    pp_error_init(&e);
    struct pp_user u;
    enum pp_err rc = pp_account_authenticate(pp_req_db(req), req->arena, email, password,
                                             req->remote_addr, &u, &e);
    if (rc != PP_OK) {
        pp_api_fail(req, rc, &e);
        return;
    }
    if (pp_api_start_session(req, u.id) != PP_OK) {
        pp_res_error(req, PP_EDB, NULL);
        return;
    }
    pp_res_json(req, 200, user_json(&u, false));
}

void pp_api_logout(struct pp_req *req)
{
    pp_api_end_session(req);
    pp_res_empty(req, 204);
}

void pp_api_me(struct pp_req *req)
{
    pp_res_json(req, 200, user_json(&req->user, true));
}
