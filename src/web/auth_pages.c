/* /connexion, /inscription, /deconnexion, /deconnexion-partout and the root redirect. */
#include <string.h>

#include "core/status.h"
#include "domain/account.h"
#include "domain/session.h"
#include "http/session_cookie.h"
#include "web/view.h"
#include "web/web.h"

/* Where to go after logging in: a local path only, never another site ("//evil", "http:"). */
static const char *safe_next(const char *next)
{
    if (next == NULL || next[0] != '/' || next[1] == '/' || next[1] == '\\' ||
        strchr(next, ':') != NULL || strlen(next) > 200)
        return NULL;
    for (const char *p = next; *p; p++)
        if ((unsigned char)*p < 0x20)
            return NULL;
    return next;
}

static const char *home_of(const struct pp_user *u)
{
    switch (u->role_code) {
    case PP_ROLE_ADMIN: return "/backoffice";
    case PP_ROLE_PRO: return "/accueil";
    case PP_ROLE_BENEFICIARY:
    case PP_ROLE_UNDERAGE: return "/app";
    default: return "/connexion";
    }
}

void pp_web_root(struct pp_req *req)
{
    pp_res_redirect(req, req->user.id ? home_of(&req->user) : "/connexion");
}

static void login_page(struct pp_req *req, int status, const char *email, const char *next,
                       const struct pp_error *e)
{
    pp_web_render(req, status, "login.html", "Connexion",
                  json_pack("{s:s?, s:s?, s:o, s:b, s:b}", "email", email, "next", next, "errors",
                            pp_web_errors(e), "everywhere",
                            pp_req_query(req, "partout") != NULL, "reset",
                            pp_req_query(req, "reinitialise") != NULL));
}

void pp_web_login_form(struct pp_req *req)
{
    if (req->user.id != 0) {
        pp_res_redirect(req, home_of(&req->user));
        return;
    }
    login_page(req, 200, NULL, safe_next(pp_req_query(req, "next")), NULL);
}

void pp_web_login(struct pp_req *req)
{
    const char *email = pp_web_field(req, "email");
    const char *password = pp_req_form(req, "password");
    const char *next = safe_next(pp_web_field(req, "next"));
    struct pp_error e;
    pp_error_init(&e);
    if (email == NULL)
        pp_error_set(&e, PP_EVALIDATION, "email", "Veuillez renseigner votre adresse email.");
    if (password == NULL || *password == '\0')
        pp_error_set(&e, PP_EVALIDATION, "password", "Veuillez renseigner votre mot de passe.");
    if (e.count > 0) {
        login_page(req, 422, email, next, &e);
        return;
    }
    struct pp_user u;
    enum pp_err rc = pp_account_authenticate(pp_req_db(req), req->arena, email, password,
                                             pp_req_client_addr(req), NULL, &u, &e);
    if (rc == PP_OK)
        rc = pp_session_cookie_start(req, u.id);
    if (rc != PP_OK) {
        if (rc == PP_EDB || rc == PP_EINTERNAL)
            pp_web_page_error(req, 500, NULL);
        else
            login_page(req, pp_err_status(rc), email, next, &e);
        return;
    }
    pp_res_redirect(req, next ? next : home_of(&u));
}

/* The sign-up form's text fields (the password is taken as typed). */
static const struct pp_web_input signup_inputs[] = {
    PP_WEB_INPUT(struct pp_account_new, email, "email"),
    PP_WEB_INPUT(struct pp_account_new, first_name, "firstName"),
    PP_WEB_INPUT(struct pp_account_new, last_name, "lastName"),
    PP_WEB_INPUT(struct pp_account_new, phone, "phone"),
};

static void signup_page(struct pp_req *req, int status, json_t *values, const struct pp_error *e)
{
    pp_web_render(req, status, "signup.html", "Créer votre compte",
                  json_pack("{s:o, s:o}", "values", values ? values : json_object(), "errors",
                            pp_web_errors(e)));
}

void pp_web_signup_form(struct pp_req *req)
{
    if (req->user.id != 0) {
        pp_res_redirect(req, home_of(&req->user));
        return;
    }
    signup_page(req, 200, NULL, NULL);
}

void pp_web_signup(struct pp_req *req)
{
    struct pp_account_new in = {.password = pp_req_form(req, "password"), .role = "PRO"};
    pp_web_read_form(req, signup_inputs, PP_VIEW_COUNT(signup_inputs), &in);
    struct pp_error e;
    pp_error_init(&e);
    int64_t id;
    enum pp_err rc = pp_account_create(pp_req_db(req), req->arena, &in, &id, &e);
    if (rc == PP_OK)
        rc = pp_session_cookie_start(req, id);
    if (rc != PP_OK) {
        if (rc == PP_EDB || rc == PP_EINTERNAL) {
            pp_web_page_error(req, 500, NULL);
            return;
        }
        signup_page(req, pp_err_status(rc),
                    json_pack("{s:s?, s:s?, s:s?, s:s?}", "email", in.email, "firstName",
                              in.first_name, "lastName", in.last_name, "phone", in.phone),
                    &e);
        return;
    }
    pp_res_redirect(req, "/structures/nouvelle?bienvenue=1");
}

void pp_web_logout(struct pp_req *req)
{
    pp_session_cookie_end(req);
    pp_res_redirect(req, "/connexion");
}

/* "Se déconnecter de tous les appareils": every session of the account, this one included. */
void pp_web_logout_all(struct pp_req *req)
{
    if (pp_session_end_all(pp_req_db(req), req->user.id, NULL, NULL) != PP_OK) {
        pp_web_page_error(req, 500, NULL);
        return;
    }
    pp_res_cookie(req, PP_SESSION_COOKIE, "", 0);
    pp_res_redirect(req, "/connexion?partout=1");
}
