#include "api/api.h"

/* Who may call what: the router applies `access` before any handler runs (ARCHITECTURE.md). */
const struct pp_route pp_api_routes[] = {
    {"GET", "/healthz", PP_ACCESS_ANON, pp_api_healthz, 0},
    {"GET", "/metrics", PP_ACCESS_ANON, pp_api_metrics, 0},

    {"POST", "/api/v1/auth/signup", PP_ACCESS_ANON, pp_api_signup, 0},
    {"POST", "/api/v1/auth/login", PP_ACCESS_ANON, pp_api_login, 0},
    {"POST", "/api/v1/auth/logout", PP_ACCESS_ANON, pp_api_logout, 0},
    {"GET", "/api/v1/me", PP_ACCESS_USER, pp_api_me, 0},

    {"POST", "/api/v1/offerers", PP_ACCESS_PRO, pp_api_offerer_create, 0},
    {"GET", "/api/v1/offerers", PP_ACCESS_PRO, pp_api_offerer_list, 0},
    {"POST", "/api/v1/venues", PP_ACCESS_PRO, pp_api_venue_create, 0},
    {"GET", "/api/v1/venues", PP_ACCESS_PRO, pp_api_venue_list, 0},
    {"GET", "/api/v1/venues/{id}", PP_ACCESS_PRO, pp_api_venue_get, 0},
    {"PATCH", "/api/v1/venues/{id}", PP_ACCESS_PRO, pp_api_venue_update, 0},

    {"GET", "/api/v1/categories", PP_ACCESS_USER, pp_api_categories, 0},
    {"POST", "/api/v1/offers", PP_ACCESS_PRO, pp_api_offer_create, 0},
    {"GET", "/api/v1/offers", PP_ACCESS_PRO, pp_api_offer_list, 0},
    {"GET", "/api/v1/offers/{id}", PP_ACCESS_PRO, pp_api_offer_get, 0},
    {"PATCH", "/api/v1/offers/{id}", PP_ACCESS_PRO, pp_api_offer_update, 0},
    {"POST", "/api/v1/offers/{id}/publish", PP_ACCESS_PRO, pp_api_offer_publish, 0},
    {"POST", "/api/v1/offers/{id}/price-categories", PP_ACCESS_PRO, pp_api_price_category_create,
     0},
    {"POST", "/api/v1/offers/{id}/stocks", PP_ACCESS_PRO, pp_api_stock_create, 0},
    {"POST", "/api/v1/offers/{id}/stocks/recurrence", PP_ACCESS_PRO, pp_api_stock_recurrence, 0},
    {"POST", "/api/v1/offers/{id}/activation-codes", PP_ACCESS_PRO, pp_api_activation_codes, 0},
    {"PATCH", "/api/v1/stocks/{id}", PP_ACCESS_PRO, pp_api_stock_update, 0},
    {"DELETE", "/api/v1/stocks/{id}", PP_ACCESS_PRO, pp_api_stock_delete, 0},
    {"POST", "/api/v1/admin/offers/{id}/approve", PP_ACCESS_ADMIN, pp_api_admin_offer_approve, 0},
    {"POST", "/api/v1/admin/offers/{id}/reject", PP_ACCESS_ADMIN, pp_api_admin_offer_reject, 0},

    {"POST", "/api/v1/admin/beneficiaries", PP_ACCESS_ADMIN, pp_api_admin_beneficiary_create, 0},
    {"GET", "/api/v1/me/wallet", PP_ACCESS_BENEFICIARY, pp_api_wallet, 0},
    {"GET", "/api/v1/search/offers", PP_ACCESS_USER, pp_api_search_offers, 0},
    {"POST", "/api/v1/bookings", PP_ACCESS_BENEFICIARY, pp_api_booking_create, 0},
    {"GET", "/api/v1/me/bookings", PP_ACCESS_BENEFICIARY, pp_api_my_bookings, 0},
    {"POST", "/api/v1/bookings/{id}/cancel", PP_ACCESS_BENEFICIARY, pp_api_booking_cancel, 0},
    {"POST", "/api/v1/pro/bookings/{id}/cancel", PP_ACCESS_PRO, pp_api_pro_booking_cancel, 0},

    {"POST", "/api/v1/admin/offerers/{id}/validate", PP_ACCESS_ADMIN,
     pp_api_admin_offerer_validate, 0},
    {"POST", "/api/v1/admin/offerers/{id}/reject", PP_ACCESS_ADMIN, pp_api_admin_offerer_reject,
     0},
    {"POST", "/api/v1/admin/attachments/{id}/validate", PP_ACCESS_ADMIN,
     pp_api_admin_attachment_validate, 0},
    {"POST", "/api/v1/admin/attachments/{id}/reject", PP_ACCESS_ADMIN,
     pp_api_admin_attachment_reject, 0},

    {"POST", "/api/test/clock", PP_ACCESS_TEST, pp_api_test_clock, 0},
    {"POST", "/api/test/jobs/run", PP_ACCESS_TEST, pp_api_test_jobs, 0},
    {0, 0, 0, 0, 0},
};
