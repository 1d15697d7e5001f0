#include "api/api.h"

/*
 * One route a line: its method, its path, who may call it (PP_ACCESS_<who>) and its handler.
 * A route with flags (the CSV import) is written out whole.
 */
#define ROUTE(method, path, who, handler) {method, path, PP_ACCESS_##who, handler, 0}
#define GET(path, who, handler) ROUTE("GET", path, who, handler)
#define POST(path, who, handler) ROUTE("POST", path, who, handler)
#define PUT(path, who, handler) ROUTE("PUT", path, who, handler)
#define PATCH(path, who, handler) ROUTE("PATCH", path, who, handler)
#define DELETE(path, who, handler) ROUTE("DELETE", path, who, handler)

/* Who may call what: the router applies `access` before any handler runs (ARCHITECTURE.md). */
const struct pp_route pp_api_routes[] = {
    GET("/healthz", ANON, pp_api_healthz),
    GET("/metrics", METRICS, pp_api_metrics),

    POST("/api/v1/auth/signup", ANON, pp_api_signup),
    POST("/api/v1/auth/login", ANON, pp_api_login),
    POST("/api/v1/auth/logout", ANON, pp_api_logout),
    POST("/api/v1/auth/logout-all", USER, pp_api_logout_all),
    POST("/api/v1/auth/password-reset", ANON, pp_api_password_reset),
    POST("/api/v1/auth/password-reset/confirm", ANON, pp_api_password_reset_confirm),
    GET("/api/v1/me", USER, pp_api_me),

    POST("/api/v1/offerers", PRO, pp_api_offerer_create),
    GET("/api/v1/offerers", PRO, pp_api_offerer_list),
    POST("/api/v1/venues", PRO, pp_api_venue_create),
    GET("/api/v1/venues", PRO, pp_api_venue_list),
    GET("/api/v1/venues/{id}", PRO, pp_api_venue_get),
    PATCH("/api/v1/venues/{id}", PRO, pp_api_venue_update),

    GET("/api/v1/categories", USER, pp_api_categories),
    POST("/api/v1/offers", PRO, pp_api_offer_create),
    GET("/api/v1/offers", PRO, pp_api_offer_list),
    GET("/api/v1/offers/{id}", PRO, pp_api_offer_get),
    PATCH("/api/v1/offers/{id}", PRO, pp_api_offer_update),
    POST("/api/v1/offers/{id}/publish", PRO, pp_api_offer_publish),
    POST("/api/v1/offers/{id}/price-categories", PRO, pp_api_price_category_create),
    POST("/api/v1/offers/{id}/stocks", PRO, pp_api_stock_create),
    POST("/api/v1/offers/{id}/stocks/recurrence", PRO, pp_api_stock_recurrence),
    POST("/api/v1/offers/{id}/activation-codes", PRO, pp_api_activation_codes),
    PATCH("/api/v1/stocks/{id}", PRO, pp_api_stock_update),
    DELETE("/api/v1/stocks/{id}", PRO, pp_api_stock_delete),
    POST("/api/v1/admin/offers/{id}/approve", ADMIN, pp_api_admin_offer_approve),
    POST("/api/v1/admin/offers/{id}/reject", ADMIN, pp_api_admin_offer_reject),

    POST("/api/v1/admin/beneficiaries", ADMIN, pp_api_admin_beneficiary_create),
    GET("/api/v1/me/wallet", BENEFICIARY, pp_api_wallet),
    GET("/api/v1/search/offers", USER, pp_api_search_offers),
    POST("/api/v1/bookings", BENEFICIARY, pp_api_booking_create),
    GET("/api/v1/me/bookings", BENEFICIARY, pp_api_my_bookings),
    POST("/api/v1/bookings/{id}/cancel", BENEFICIARY, pp_api_booking_cancel),
    POST("/api/v1/pro/bookings/{id}/cancel", PRO, pp_api_pro_booking_cancel),
    GET("/api/v1/pro/bookings", PRO, pp_api_pro_bookings),
    GET("/api/v1/pro/bookings/export", PRO, pp_api_pro_bookings_export),

    GET("/api/v1/pro/bookings/token/{token}", PRO, pp_api_pro_token_get),
    POST("/api/v1/pro/bookings/token/{token}/use", PRO, pp_api_pro_token_use),
    POST("/api/v1/pro/bookings/token/{token}/unuse", PRO, pp_api_pro_token_unuse),
    POST("/api/v1/offerers/{id}/api-keys", PRO, pp_api_api_key_create),
    GET("/api/v1/offerers/{id}/api-keys", PRO, pp_api_api_key_list),
    DELETE("/api/v1/offerers/{id}/api-keys/{keyId}", PRO, pp_api_api_key_revoke),
    /* Partner software authenticates with its Bearer key in the handler, not a session. */
    GET("/public/bookings/v1/token/{token}", ANON, pp_api_public_token_get),
    PATCH("/public/bookings/v1/use/token/{token}", ANON, pp_api_public_token_use),
    PATCH("/public/bookings/v1/keep/token/{token}", ANON, pp_api_public_token_keep),
    PATCH("/public/bookings/v1/cancel/token/{token}", ANON, pp_api_public_token_cancel),

    POST("/api/v1/offerers/{id}/bank-accounts", PRO, pp_api_bank_account_create),
    GET("/api/v1/offerers/{id}/bank-accounts", PRO, pp_api_bank_account_list),
    PUT("/api/v1/bank-accounts/{id}/venues", PRO, pp_api_bank_account_venues),
    PUT("/api/v1/venues/{id}/pricing-point", PRO, pp_api_venue_pricing_point),
    GET("/api/v1/pro/invoices", PRO_ADMIN, pp_api_pro_invoices),
    GET("/api/v1/pro/invoices/{reference}", PRO_ADMIN, pp_api_pro_invoice_pdf),
    GET("/api/v1/pro/reimbursements.csv", PRO_ADMIN, pp_api_pro_reimbursements_csv),
    GET("/api/v1/pro/finance/forecast", PRO_ADMIN, pp_api_pro_forecast),
    GET("/api/v1/admin/bank-accounts", ADMIN, pp_api_admin_bank_accounts),
    POST("/api/v1/admin/bank-accounts/{id}/accept", ADMIN, pp_api_admin_bank_account_accept),
    POST("/api/v1/admin/bank-accounts/{id}/refuse", ADMIN, pp_api_admin_bank_account_refuse),
    POST("/api/v1/admin/finance/runs", ADMIN, pp_api_admin_finance_run),
    POST("/api/v1/admin/finance/incidents", ADMIN, pp_api_admin_finance_incident),
    POST("/api/v1/admin/finance/custom-rules", ADMIN, pp_api_admin_custom_rule_create),

    /* Collective bookings: the ADAGE side (an ADAGE key, or a back-office session). */
    POST("/api/v1/adage/bookings", ADAGE, pp_api_adage_booking_create),
    POST("/api/v1/adage/bookings/{id}/confirm", ADAGE, pp_api_adage_booking_confirm),
    POST("/api/v1/adage/bookings/{id}/cancel", ADAGE, pp_api_adage_booking_cancel),
    GET("/api/v1/pro/collective/bookings", PRO_ADMIN, pp_api_pro_collective_bookings),
    POST("/api/v1/pro/collective/bookings/{id}/cancel", PRO, pp_api_pro_collective_booking_cancel),

    POST("/api/v1/admin/offerers/{id}/validate", ADMIN, pp_api_admin_offerer_validate),
    POST("/api/v1/admin/offerers/{id}/reject", ADMIN, pp_api_admin_offerer_reject),
    POST("/api/v1/admin/attachments/{id}/validate", ADMIN, pp_api_admin_attachment_validate),
    POST("/api/v1/admin/attachments/{id}/reject", ADMIN, pp_api_admin_attachment_reject),

    /* Collective offers, the setup side (docs/collective.md). */
    POST("/api/v1/offerers/{id}/adage-application", PRO, pp_api_adage_application_create),
    GET("/api/v1/offerers/{id}/adage-application", PRO, pp_api_adage_application_get),
    GET("/api/v1/admin/adage-applications", ADMIN, pp_api_admin_adage_applications),
    POST("/api/v1/admin/offerers/{id}/adage", ADMIN, pp_api_admin_adage_accept),
    POST("/api/v1/admin/offerers/{id}/adage/reject", ADMIN, pp_api_admin_adage_reject),
    GET("/api/v1/collective/policy", PRO_ADMIN, pp_api_collective_policy_get),
    PUT("/api/v1/admin/collective/policy", ADMIN, pp_api_admin_collective_policy_put),
    POST("/api/v1/collective/templates", PRO, pp_api_collective_template_create),
    POST("/api/v1/collective/offers", PRO, pp_api_collective_offer_create),
    GET("/api/v1/collective/offers", PRO, pp_api_collective_offer_list),
    GET("/api/v1/collective/offers/{id}", PRO, pp_api_collective_offer_get),
    PATCH("/api/v1/collective/offers/{id}", PRO, pp_api_collective_offer_update),
    POST("/api/v1/collective/offers/{id}/stock", PRO, pp_api_collective_stock_create),
    PATCH("/api/v1/collective/offers/{id}/stock", PRO, pp_api_collective_stock_update),
    POST("/api/v1/admin/institutions", ADMIN, pp_api_admin_institution_save),
    GET("/api/v1/admin/institutions", ADMIN, pp_api_admin_institutions),
    {"POST", "/api/v1/admin/institutions/import", PP_ACCESS_ADMIN,
     pp_api_admin_institution_import, PP_ROUTE_CSV},
    POST("/api/v1/admin/adage-keys", ADMIN, pp_api_admin_adage_key_create),
    GET("/api/v1/admin/adage-keys", ADMIN, pp_api_admin_adage_keys),
    DELETE("/api/v1/admin/adage-keys/{id}", ADMIN, pp_api_admin_adage_key_revoke),
    GET("/api/v1/adage/offers", ADAGE, pp_api_adage_offers),

    POST("/api/test/clock", TEST, pp_api_test_clock),
    POST("/api/test/jobs/run", TEST, pp_api_test_jobs),
    GET("/api/test/outbox", TEST, pp_api_test_outbox),
    {0, 0, 0, 0, 0},
};
