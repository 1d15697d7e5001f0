#include "web/web.h"

/* Portal pages. PAGE: anonymous visitors go to /connexion; FORM: the CSRF token is checked. */
const struct pp_route pp_web_routes[] = {
    {"GET", "/", PP_ACCESS_ANON, pp_web_root, PP_ROUTE_PAGE},
    {"GET", "/connexion", PP_ACCESS_ANON, pp_web_login_form, PP_ROUTE_PAGE},
    {"POST", "/connexion", PP_ACCESS_ANON, pp_web_login, PP_ROUTE_FORM},
    {"GET", "/inscription", PP_ACCESS_ANON, pp_web_signup_form, PP_ROUTE_PAGE},
    {"POST", "/inscription", PP_ACCESS_ANON, pp_web_signup, PP_ROUTE_FORM},
    {"POST", "/deconnexion", PP_ACCESS_USER, pp_web_logout, PP_ROUTE_FORM},
    {"GET", "/accueil", PP_ACCESS_PRO, pp_web_home, PP_ROUTE_PAGE},
    {"GET", "/structures/nouvelle", PP_ACCESS_PRO, pp_web_offerer_form, PP_ROUTE_PAGE},
    {"POST", "/structures/nouvelle", PP_ACCESS_PRO, pp_web_offerer_create, PP_ROUTE_FORM},
    {"GET", "/lieux/nouveau", PP_ACCESS_PRO, pp_web_venue_new_form, PP_ROUTE_PAGE},
    {"POST", "/lieux/nouveau", PP_ACCESS_PRO, pp_web_venue_create, PP_ROUTE_FORM},
    {"GET", "/lieux/{id}", PP_ACCESS_PRO, pp_web_venue_page, PP_ROUTE_PAGE},
    {"POST", "/lieux/{id}", PP_ACCESS_PRO, pp_web_venue_update, PP_ROUTE_FORM},
    {"GET", "/backoffice", PP_ACCESS_ADMIN, pp_web_backoffice, PP_ROUTE_PAGE},
    {"POST", "/backoffice/structures/{id}/{decision}", PP_ACCESS_ADMIN,
     pp_web_backoffice_offerer_decide, PP_ROUTE_FORM},
    {"POST", "/backoffice/rattachements/{id}/{decision}", PP_ACCESS_ADMIN,
     pp_web_backoffice_attachment_decide, PP_ROUTE_FORM},
    {0, 0, 0, 0, 0},
};
