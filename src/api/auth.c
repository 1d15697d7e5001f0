#include <string.h>

#include "api/api.h"
#include "domain/password_reset.h"
#include "domain/session.h"
#include "http/session_cookie.h"

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

static const struct pp_api_body signup_body = PP_API_FIELDS(
    PP_API_PERSON_FIELDS(struct pp_account_new, true),
    PP_FIELD_STR(struct pp_account_new, phone, "phone", false, 20));

void pp_api_signup(struct pp_req *req)
{
    struct pp_error e;
    struct pp_account_new in = {.role = "PRO"};
    if (!pp_api_read(req, &signup_body, &in, &e))
        return;
    struct pp_db *db = pp_req_db(req);
    int64_t id;
    struct pp_user u;
    enum pp_err rc = pp_account_create(db, req->arena, &in, &id, &e);
    if (rc == PP_OK && pp_account_get(db, req->arena, id, &u) != PP_OK)
        rc = PP_EDB;
    if (pp_api_ok(req, rc, &e))
        pp_res_json(req, 201, user_json(&u, false));
}

struct login_input {
    const char *email;
    const char *password;
};

/* Login fields are taken as typed; a missing one gets its own French prompt. */
static bool login_text(json_t *body, const char *key, const char **dst, const char *prompt,
                       struct pp_error *e)
{
    *dst = json_string_value(json_object_get(body, key));
    if (*dst == NULL)
        pp_error_set(e, PP_EVALIDATION, key, prompt);
    return *dst != NULL;
}

static bool login_email(struct pp_req *req, json_t *body, const struct pp_api_field *f,
                        void *dst, struct pp_error *e)
{
    (void)req;
    return login_text(body, f->key, dst, "Veuillez renseigner votre adresse email.", e);
}

static bool login_password(struct pp_req *req, json_t *body, const struct pp_api_field *f,
                           void *dst, struct pp_error *e)
{
    (void)req;
    return login_text(body, f->key, dst, "Veuillez renseigner votre mot de passe.", e);
}

static const struct pp_api_body login_body = PP_API_FIELDS(
    PP_FIELD(struct login_input, email, const char *, "email", true, login_email),
    PP_FIELD(struct login_input, password, const char *, "password", true, login_password));

void pp_api_login(struct pp_req *req)
{
    struct pp_error e;
    struct login_input in;
    if (!pp_api_read(req, &login_body, &in, &e))
        return;
    struct pp_user u;
    int64_t retry_after = 0;
    enum pp_err rc = pp_account_authenticate(pp_req_db(req), req->arena, in.email, in.password,
                                             pp_req_client_addr(req), &retry_after, &u, &e);
    if (rc == PP_OK && pp_session_cookie_start(req, u.id) != PP_OK)
        rc = PP_EDB;
    if (rc == PP_ERATE)
        pp_res_header(req, "Retry-After", pp_arena_printf(req->arena, "%lld",
                                                          (long long)retry_after));
    if (pp_api_ok(req, rc, &e))
        pp_res_json(req, 200, user_json(&u, false));
}

void pp_api_logout(struct pp_req *req)
{
    pp_session_cookie_end(req);
    pp_res_empty(req, 204);
}

/* Every session of the account ends, this one included: a stolen cookie stops working. */
void pp_api_logout_all(struct pp_req *req)
{
    if (pp_session_end_all(pp_req_db(req), req->user.id, NULL, NULL) != PP_OK) {
        pp_res_error1(req, PP_EDB, "global", "Une erreur est survenue. Veuillez réessayer.");
        return;
    }
    pp_res_cookie(req, PP_SESSION_COOKIE, "", 0);
    pp_res_empty(req, 204);
}

void pp_api_me(struct pp_req *req)
{
    pp_res_json(req, 200, user_json(&req->user, true));
}

/* A missing token is judged by the domain like an unknown one (410, French message). */
static bool reset_token(struct pp_req *req, json_t *body, const struct pp_api_field *f, void *dst,
                        struct pp_error *e)
{
    (void)req;
    (void)e;
    const char *t = json_string_value(json_object_get(body, f->key));
    *(const char **)dst = t ? t : "";
    return true;
}

static bool new_password(struct pp_req *req, json_t *body, const struct pp_api_field *f,
                         void *dst, struct pp_error *e)
{
    (void)req;
    return login_text(body, f->key, dst, "Veuillez renseigner un nouveau mot de passe.", e);
}

struct reset_input {
    const char *email;
    const char *token;
    const char *password;
};

static const struct pp_api_body reset_body =
    PP_API_FIELDS(PP_FIELD(struct reset_input, email, const char *, "email", true, login_email));

/* 204 whether or not the account exists, and whether or not an email went (RULES §11). */
void pp_api_password_reset(struct pp_req *req)
{
    struct pp_error e;
    struct reset_input in;
    if (!pp_api_read(req, &reset_body, &in, &e))
        return;
    enum pp_err rc = pp_password_reset_request(pp_req_db(req), req->arena, in.email);
    if (pp_api_ok(req, rc, &e))
        pp_res_empty(req, 204);
}

static const struct pp_api_body reset_confirm_body = PP_API_FIELDS(
    PP_FIELD(struct reset_input, token, const char *, "token", true, reset_token),
    PP_FIELD(struct reset_input, password, const char *, "password", true, new_password));

void pp_api_password_reset_confirm(struct pp_req *req)
{
    struct pp_error e;
    struct reset_input in;
    if (!pp_api_read(req, &reset_confirm_body, &in, &e))
        return;
    pp_error_init(&e);
    enum pp_err rc =
        pp_password_reset_confirm(pp_req_db(req), req->arena, in.token, in.password, &e);
    if (pp_api_ok(req, rc, &e))
        pp_res_empty(req, 204);
}
