#include <string.h>

#include "api/api.h"
#include "domain/offerer.h"

static const struct pp_api_body offerer_body = PP_API_FIELDS(
    PP_FIELD_STR(struct pp_offerer_signup, siret, "siret", true, 20),
    PP_FIELD_STR(struct pp_offerer_signup, name, "name", false, 140),
    PP_API_ADDRESS_FIELDS(struct pp_offerer_signup),
    PP_FIELD_STR(struct pp_offerer_signup, ape_code, "apeCode", false, 6));

void pp_api_offerer_create(struct pp_req *req)
{
    struct pp_error e;
    struct pp_offerer_signup in = {0};
    if (!pp_api_read(req, &offerer_body, &in, &e))
        return;
    struct pp_offerer_registration r;
    enum pp_err rc = pp_offerer_register(pp_req_db(req), req->arena, req->user.id,
                                         req->user.email, &in, &r, &e);
    if (!pp_api_ok(req, rc, &e))
        return;
    pp_res_json(req, 201,
                json_pack("{s:{s:I, s:s, s:s, s:s}, s:{s:I, s:s}, s:{s:I, s:s}}", "offerer", "id",
                          (json_int_t)r.offerer.id, "siren", r.offerer.siren, "name",
                          r.offerer.name, "status", r.offerer.status, "venue", "id",
                          (json_int_t)r.venue_id, "siret", r.venue_siret, "attachment", "id",
                          (json_int_t)r.attachment_id, "status", r.attachment_status));
}

static json_t *offerer_json(const void *item)
{
    const struct pp_offerer *o = item;
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:b}", "id", (json_int_t)o->id, "siren",
                     o->siren, "name", o->name, "status", o->status, "attachmentStatus",
                     o->attachment_status, "isLocalAuthority", o->is_local_authority);
}

void pp_api_offerer_list(struct pp_req *req)
{
    struct pp_offerer *items;
    size_t n;
    enum pp_err rc =
        pp_offerer_list_for_account(pp_req_db(req), req->arena, req->user.id, &items, &n);
    pp_api_reply_list(req, rc, "offerers", items, n, sizeof *items, offerer_json);
}

typedef enum pp_err (*decide_fn)(struct pp_db *db, int64_t admin_id, int64_t id, bool validate,
                                 const char **new_status);

/* Back-office decision on the object of the path's {id}: a structure or an attachment. */
static void decide(struct pp_req *req, decide_fn fn, bool validate)
{
    const char *status = NULL;
    int64_t id = pp_req_param_id(req, 0);
    enum pp_err rc = id ? fn(pp_req_db(req), req->user.id, id, validate, &status) : PP_ENOTFOUND;
    pp_api_reply_state(req, rc, NULL, 200, id, status);
}

void pp_api_admin_offerer_validate(struct pp_req *req)
{
    decide(req, pp_offerer_decide, true);
}

void pp_api_admin_offerer_reject(struct pp_req *req)
{
    decide(req, pp_offerer_decide, false);
}

void pp_api_admin_attachment_validate(struct pp_req *req)
{
    decide(req, pp_attachment_decide, true);
}

void pp_api_admin_attachment_reject(struct pp_req *req)
{
    decide(req, pp_attachment_decide, false);
}
