#include "http/request.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "db/db.h"

struct pp_db *pp_req_db(struct pp_req *req)
{
    if (req->db == NULL)
        req->db = pp_db_pool_acquire(req->app->pool);
    return req->db;
}

const char *pp_req_query(struct pp_req *req, const char *key)
{
    return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, key);
}

const char *pp_req_header(struct pp_req *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *pp_req_cookie(struct pp_req *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, name);
}

const char *pp_req_form(struct pp_req *req, const char *key)
{
    for (struct pp_kv *kv = req->form; kv != NULL; kv = kv->next)
        if (strcmp(kv->key, key) == 0)
            return kv->value;
    return NULL;
}

int64_t pp_req_param_id(struct pp_req *req, int i)
{
    if (i >= req->nparams)
        return 0;
    const char *s = req->params[i];
    int64_t v = 0;
    if (*s == '\0' || *s == '0')
        return 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > (INT64_MAX - 9) / 10)
            return 0;
        v = v * 10 + (*s - '0');
    }
    return v;
}

json_t *pp_req_own(struct pp_req *req, json_t *j)
{
    if (j == NULL)
        return NULL;
    if (req->owned_json == NULL)
        req->owned_json = json_array();
    json_array_append_new(req->owned_json, j);
    return j;
}

/*
 * What jansson would build from the body, bounded before it does: nesting (each level is a
 * recursion of its parser and a value to free) and the length of each string as written
 * (escapes only ever shorten it). One pass over the bytes; false with a 400 set otherwise.
 */
static bool json_within_limits(struct pp_req *req)
{
    size_t max_depth = req->app && req->app->max_json_depth ? req->app->max_json_depth
                                                            : PP_MAX_JSON_DEPTH_DEFAULT;
    size_t max_string = req->app && req->app->max_json_string ? req->app->max_json_string
                                                              : PP_MAX_JSON_STRING_DEFAULT;
    size_t depth = 0, string_start = 0;
    bool in_string = false;
    for (size_t i = 0; i < req->body_len; i++) {
        char c = req->body[i];
        if (in_string) {
            if (c == '\\') {
                i++;
                continue;
            }
            if (c != '"')
                continue;
            in_string = false;
            if (i - string_start > max_string) {
                pp_res_error1(req, PP_EINVAL, "global",
                              pp_arena_printf(req->arena,
                                              "Un texte du JSON envoyé est trop long (%zu octets "
                                              "au plus).",
                                              max_string));
                return false;
            }
        } else if (c == '"') {
            in_string = true;
            string_start = i + 1;
        } else if (c == '[' || c == '{') {
            if (++depth > max_depth) {
                pp_res_error1(req, PP_EINVAL, "global",
                              pp_arena_printf(req->arena,
                                              "Le JSON envoyé est trop imbriqué (%zu niveaux au "
                                              "plus).",
                                              max_depth));
                return false;
            }
        } else if ((c == ']' || c == '}') && depth > 0) {
            depth--;
        }
    }
    return true;
}

json_t *pp_req_json(struct pp_req *req)
{
    json_error_t jerr;
    json_t *j = NULL;
    if (!json_within_limits(req))
        return NULL;
    if (req->body_len > 0)
        j = pp_req_own(req, json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &jerr));
    if (j == NULL || !json_is_object(j)) {
        pp_res_error1(req, PP_EINVAL, "global",
                      "Le corps de la requête doit être un objet JSON valide.");
        return NULL;
    }
    return j;
}

void pp_res_header(struct pp_req *req, const char *name, const char *value)
{
    struct pp_header *h = pp_arena_alloc(req->arena, sizeof *h);
    h->name = pp_arena_strdup(req->arena, name);
    h->value = pp_arena_strdup(req->arena, value);
    h->next = req->resp_headers;
    req->resp_headers = h;
}

/* The answer, its @body (@n bytes) already owned by the request. */
static void answer(struct pp_req *req, int status, const char *type, const char *body, size_t n)
{
    req->status = status;
    req->content_type = type;
    req->resp_body = body;
    req->resp_len = n;
}

void pp_res_bytes(struct pp_req *req, int status, const char *type, const char *data, size_t n)
{
    answer(req, status, type, n ? pp_arena_strndup(req->arena, data, n) : "", n);
}

#define JSON_FIRST_TRY 4096

static const char json_content_type[] = "application/json; charset=utf-8";

void pp_res_json(struct pp_req *req, int status, json_t *body)
{
    if (body == NULL) {
        pp_res_empty(req, status);
        return;
    }
    /* Written straight into the request's arena: most answers fit the first try; a longer
     * one is written again into a buffer of the size jansson reported. */
    size_t cap = JSON_FIRST_TRY;
    char *s = pp_arena_alloc(req->arena, cap + 1);
    size_t n = json_dumpb(body, s, cap, JSON_COMPACT);
    if (n > cap) {
        cap = n;
        s = pp_arena_alloc(req->arena, cap + 1);
        n = json_dumpb(body, s, cap, JSON_COMPACT);
    }
    json_decref(body);
    if (n == 0 || n > cap) {
        pp_res_empty(req, 500);
        return;
    }
    s[n] = '\0';
    answer(req, status, json_content_type, s, n);
}

void pp_res_jw(struct pp_req *req, int status, struct pp_jw *w)
{
    size_t n;
    const char *s = pp_jw_finish(w, &n);
    answer(req, status, json_content_type, s, n);
}

void pp_res_empty(struct pp_req *req, int status)
{
    answer(req, status, NULL, "", 0);
}

void pp_res_html(struct pp_req *req, int status, const char *html)
{
    pp_res_bytes(req, status, "text/html; charset=utf-8", html, strlen(html));
}

void pp_res_redirect(struct pp_req *req, const char *location)
{
    pp_res_empty(req, 303);
    pp_res_header(req, "Location", location);
}

int pp_err_status(enum pp_err code)
{
    switch (code) {
    case PP_OK: return 200;
    case PP_EINVAL: return 400;
    case PP_EUNAUTH: return 401;
    case PP_EFORBIDDEN: return 403;
    case PP_ENOTFOUND: return 404;
    case PP_ECONFLICT: return 409;
    case PP_EGONE: return 410;
    case PP_ETOOBIG: return 413;
    case PP_EVALIDATION: return 422;
    case PP_ERATE: return 429;
    case PP_EDB:
    case PP_EINTERNAL: return 500;
    }
    return 500;
}

static const char *generic_message(enum pp_err code)
{
    switch (code) {
    case PP_EINVAL: return "Requête mal formée.";
    case PP_EUNAUTH: return "Vous devez être connecté pour accéder à cette page.";
    case PP_EFORBIDDEN: return "Vous n'avez pas les droits nécessaires pour cette action.";
    case PP_ENOTFOUND: return "Cette ressource est introuvable.";
    case PP_ECONFLICT: return "Cette ressource existe déjà.";
    case PP_EGONE: return "Cette ressource n'est plus disponible.";
    case PP_ETOOBIG: return "La requête est trop volumineuse.";
    case PP_EVALIDATION: return "Les données envoyées ne sont pas valides.";
    case PP_ERATE: return "Trop de tentatives. Veuillez réessayer dans quelques minutes.";
    default: return "Une erreur interne est survenue. Veuillez réessayer plus tard.";
    }
}

void pp_res_error(struct pp_req *req, enum pp_err code, const struct pp_error *e)
{
    json_t *errors = json_object();
    if (e == NULL || e->count == 0) {
        json_object_set_new(errors, "global", json_pack("[s]", generic_message(code)));
    } else {
        for (int i = 0; i < e->count; i++) {
            json_t *list = json_object_get(errors, e->items[i].field);
            if (list == NULL) {
                list = json_array();
                json_object_set_new(errors, e->items[i].field, list);
            }
            json_array_append_new(list, json_string(e->items[i].message));
        }
    }
    pp_res_json(req, pp_err_status(code), json_pack("{s:o}", "errors", errors));
}

void pp_res_error1(struct pp_req *req, enum pp_err code, const char *field, const char *message)
{
    struct pp_error e;
    pp_error_init(&e);
    pp_error_set(&e, code, field, message);
    pp_res_error(req, code, &e);
}

void pp_res_cookie(struct pp_req *req, const char *name, const char *value, long max_age)
{
    char age[48] = "";
    if (max_age >= 0)
        snprintf(age, sizeof age, "; Max-Age=%ld", max_age);
    pp_res_header(req, "Set-Cookie",
                  pp_arena_printf(req->arena, "%s=%s; Path=/; HttpOnly; SameSite=Lax%s%s", name,
                                  value, age, req->app->secure_cookies ? "; Secure" : ""));
}

/* ---------------------------------------------------------------- the client's address */

/* @text (@len bytes, blanks around allowed) as 16 bytes, IPv4 as ::ffff:a.b.c.d so that both
 * spellings of one address compare equal; false when it is not an address. */
static bool addr_parse(const char *text, size_t len, unsigned char out[16])
{
    char buf[INET6_ADDRSTRLEN + 1];
    while (len > 0 && (*text == ' ' || *text == '\t'))
        text++, len--;
    while (len > 0 && (text[len - 1] == ' ' || text[len - 1] == '\t'))
        len--;
    if (len == 0 || len >= sizeof buf)
        return false;
    memcpy(buf, text, len);
    buf[len] = '\0';
    unsigned char v4[4];
    if (inet_pton(AF_INET, buf, v4) == 1) {
        memset(out, 0, 10);
        out[10] = out[11] = 0xff;
        memcpy(out + 12, v4, 4);
        return true;
    }
    return inet_pton(AF_INET6, buf, out) == 1;
}

/* The canonical text of @a (in @arena): dotted IPv4 for IPv4 and IPv4-mapped addresses. */
static const char *addr_text(struct pp_arena *arena, const unsigned char a[16])
{
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    char buf[INET6_ADDRSTRLEN];
    if (memcmp(a, mapped, sizeof mapped) == 0)
        inet_ntop(AF_INET, a + 12, buf, sizeof buf);
    else
        inet_ntop(AF_INET6, a, buf, sizeof buf);
    return pp_arena_strdup(arena, buf);
}

/* Whether @a is one of the comma-separated addresses of @list. */
static bool addr_in_list(const char *list, const unsigned char a[16])
{
    for (const char *p = list; p != NULL && *p != '\0';) {
        const char *comma = strchr(p, ',');
        unsigned char t[16];
        if (addr_parse(p, comma ? (size_t)(comma - p) : strlen(p), t) && memcmp(t, a, 16) == 0)
            return true;
        p = comma ? comma + 1 : NULL;
    }
    return false;
}

bool pp_req_addr_list_valid(const char *list)
{
    if (list == NULL || *list == '\0')
        return false;
    for (const char *p = list; p != NULL;) {
        const char *comma = strchr(p, ',');
        unsigned char t[16];
        if (!addr_parse(p, comma ? (size_t)(comma - p) : strlen(p), t))
            return false;
        p = comma ? comma + 1 : NULL;
    }
    return true;
}

/* Every X-Forwarded-For header of the request joined by commas, in the order received. */
struct forwarded {
    struct pp_arena *arena;
    const char *joined;
};

static enum MHD_Result collect_forwarded(void *cls, enum MHD_ValueKind kind, const char *key,
                                         const char *value)
{
    (void)kind;
    struct forwarded *f = cls;
    if (key != NULL && value != NULL && strcasecmp(key, "X-Forwarded-For") == 0)
        f->joined = f->joined ? pp_arena_printf(f->arena, "%s,%s", f->joined, value)
                              : pp_arena_strdup(f->arena, value);
    return MHD_YES;
}

const char *pp_req_client_addr(struct pp_req *req)
{
    unsigned char peer[16];
    const char *trusted = req->app ? req->app->trusted_proxies : NULL;
    if (trusted == NULL || req->conn == NULL || req->remote_addr == NULL ||
        !addr_parse(req->remote_addr, strlen(req->remote_addr), peer) ||
        !addr_in_list(trusted, peer))
        return req->remote_addr;
    struct forwarded f = {req->arena, NULL};
    MHD_get_connection_values(req->conn, MHD_HEADER_KIND, collect_forwarded, &f);
    /* From the right: each hop appends the address it received from; trusted hops are
     * skipped, the first other one is the client. */
    for (size_t end = f.joined ? strlen(f.joined) : 0; end > 0;) {
        size_t start = end;
        while (start > 0 && f.joined[start - 1] != ',')
            start--;
        unsigned char a[16];
        if (!addr_parse(f.joined + start, end - start, a))
            break; /* not an address: nothing left of it can be believed */
        if (!addr_in_list(trusted, a))
            return addr_text(req->arena, a);
        end = start > 0 ? start - 1 : 0;
    }
    return req->remote_addr;
}
