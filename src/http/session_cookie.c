#include "http/session_cookie.h"

#include "domain/session.h"

enum pp_err pp_session_cookie_start(struct pp_req *req, int64_t account_id)
{
    char token[PP_SESSION_TOKEN_LEN + 1];
    /* A login replaces the session this browser had (rotation): a token known before the
     * login, planted or leaked, is worthless after it. */
    const char *old = pp_req_cookie(req, PP_SESSION_COOKIE);
    if (old != NULL && pp_session_delete(pp_req_db(req), old) != PP_OK)
        return PP_EDB;
    enum pp_err rc = pp_session_create(pp_req_db(req), account_id, token);
    if (rc == PP_OK)
        pp_res_cookie(req, PP_SESSION_COOKIE, token, PP_SESSION_LIFETIME);
    return rc;
}

void pp_session_cookie_end(struct pp_req *req)
{
    const char *token = pp_req_cookie(req, PP_SESSION_COOKIE);
    if (token != NULL)
        pp_session_delete(pp_req_db(req), token);
    pp_res_cookie(req, PP_SESSION_COOKIE, "", 0);
}

enum pp_err pp_session_cookie_load(struct pp_req *req)
{
    const char *token = pp_req_cookie(req, PP_SESSION_COOKIE);
    if (token == NULL)
        return PP_OK;
    enum pp_err rc = pp_session_lookup(pp_req_db(req), req->arena, token, &req->user);
    return rc == PP_EDB ? PP_EDB : PP_OK;
}
