#ifndef PP_HTTP_SESSION_COOKIE_H
#define PP_HTTP_SESSION_COOKIE_H

#include <stdint.h>

#include "core/error.h"
#include "http/request.h"

/**
 * The login session as the browser holds it: the one place that starts a session (a domain
 * session plus its cookie), ends it (both gone) and reads it back on each request. The JSON
 * API (api/auth.c), the portal (web/auth_pages.c) and the router all go through here.
 */

/** Name of the cookie carrying the session token. */
#define PP_SESSION_COOKIE "pp_session"

/**
 * Creates a domain session for @account_id and sets its cookie on the response.
 * Returns PP_OK or the error of the session store (PP_EDB); no cookie is set then.
 */
enum pp_err pp_session_cookie_start(struct pp_req *req, int64_t account_id);

/** Deletes the caller's domain session, if any, and clears the cookie. */
void pp_session_cookie_end(struct pp_req *req);

/**
 * Fills req->user from the session cookie, when there is one and it is live (otherwise the
 * request stays anonymous). Returns PP_OK, or PP_EDB when the session store failed.
 */
enum pp_err pp_session_cookie_load(struct pp_req *req);

#endif
