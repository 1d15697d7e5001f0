/* /mot-de-passe-oublie, /mot-de-passe/nouveau (SPEC §3, RULES §11) and /compte. */
#include <string.h>

#include "domain/account.h"
#include "domain/password_reset.h"
#include "domain/session.h"
#include "http/session_cookie.h"
#include "web/view.h"
#include "web/web.h"

static void forgot_page(struct pp_req *req, int status, const char *email, bool sent,
                        const struct pp_error *e)
{
    pp_web_render(req, status, "password_forgot.html", "Mot de passe oublié",
                  json_pack("{s:s?, s:b, s:o}", "email", email, "sent", sent, "errors",
                            pp_web_errors(e)));
}

void pp_web_password_forgot_form(struct pp_req *req)
{
    forgot_page(req, 200, NULL, false, NULL);
}

/* The same page whether or not the address has an account (no enumeration). */
void pp_web_password_forgot(struct pp_req *req)
{
    const char *email = pp_web_field(req, "email");
    struct pp_error e;
    pp_error_init(&e);
    if (email == NULL) {
        pp_error_set(&e, PP_EVALIDATION, "email", "Veuillez renseigner votre adresse email.");
        forgot_page(req, 422, NULL, false, &e);
        return;
    }
    if (pp_password_reset_request(pp_req_db(req), req->arena, email) != PP_OK) {
        pp_web_page_error(req, 500, NULL);
        return;
    }
    forgot_page(req, 200, email, true, NULL);
}

/*
 * False, with the error set on "confirmation", when a new password was typed and the form's
 * "confirmation" field does not repeat it (both password forms check this before the domain).
 */
static bool confirmation_matches(struct pp_req *req, const char *password, struct pp_error *e)
{
    const char *confirmation = pp_req_form(req, "confirmation");
    if (password == NULL || *password == '\0' ||
        (confirmation != NULL && strcmp(password, confirmation) == 0))
        return true;
    pp_error_set(e, PP_EVALIDATION, "confirmation",
                 "Les deux mots de passe ne sont pas identiques.");
    return false;
}

static void new_page(struct pp_req *req, int status, const char *token, const struct pp_error *e)
{
    pp_web_render(req, status, "password_new.html", "Choisir un nouveau mot de passe",
                  json_pack("{s:s, s:o}", "token", token ? token : "", "errors",
                            pp_web_errors(e)));
}

void pp_web_password_new_form(struct pp_req *req)
{
    new_page(req, 200, pp_req_query(req, "token"), NULL);
}

void pp_web_password_new(struct pp_req *req)
{
    const char *token = pp_web_field(req, "token");
    const char *password = pp_req_form(req, "password");
    struct pp_error e;
    pp_error_init(&e);
    if (!confirmation_matches(req, password, &e)) {
        new_page(req, 422, token, &e);
        return;
    }
    enum pp_err rc = pp_password_reset_confirm(pp_req_db(req), req->arena, token ? token : "",
                                               password && *password ? password : NULL, &e);
    if (rc == PP_EDB || rc == PP_EINTERNAL) {
        pp_web_page_error(req, 500, NULL);
        return;
    }
    if (rc != PP_OK) {
        new_page(req, pp_err_status(rc), token, &e);
        return;
    }
    /* Every session ended, this browser's too: log in again with the new password. */
    pp_res_cookie(req, PP_SESSION_COOKIE, "", 0);
    pp_res_redirect(req, "/connexion?reinitialise=1");
}

static void account_page(struct pp_req *req, int status, bool changed, const struct pp_error *e)
{
    pp_web_render(req, status, "account.html", "Mon compte",
                  json_pack("{s:b, s:o}", "changed", changed, "errors", pp_web_errors(e)));
}

void pp_web_account(struct pp_req *req)
{
    account_page(req, 200, pp_req_query(req, "modifie") != NULL, NULL);
}

/* "Changer de mot de passe": this session stays, the account's others end. */
void pp_web_account_password(struct pp_req *req)
{
    const char *current = pp_req_form(req, "currentPassword");
    const char *password = pp_req_form(req, "newPassword");
    struct pp_error e;
    pp_error_init(&e);
    if (!confirmation_matches(req, password, &e)) {
        account_page(req, 422, false, &e);
        return;
    }
    enum pp_err rc =
        pp_account_change_password(pp_req_db(req), req->arena, req->user.id, current, password,
                                   pp_req_cookie(req, PP_SESSION_COOKIE), &e);
    if (rc == PP_EDB || rc == PP_EINTERNAL || rc == PP_ENOTFOUND) {
        pp_web_page_error(req, 500, NULL);
        return;
    }
    if (rc != PP_OK) {
        account_page(req, pp_err_status(rc), false, &e);
        return;
    }
    pp_res_redirect(req, "/compte?modifie=1");
}
