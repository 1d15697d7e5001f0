#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/status.h"
#include "template/template.h"
#include "web/view.h"
#include "web/web.h"

#define CSRF_COOKIE "pp_csrf"

/* The CSRF token of the page: the session's, or for anonymous forms a cookie of its own. */
static const char *page_csrf(struct pp_req *req)
{
    if (req->user.id != 0)
        return req->user.csrf;
    const char *c = pp_req_cookie(req, CSRF_COOKIE);
    if (c != NULL && strlen(c) == 32)
        return c;
    unsigned char raw[16];
    char *hex = pp_arena_alloc(req->arena, 33);
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(hex, 33, raw, sizeof raw);
    pp_res_cookie(req, CSRF_COOKIE, hex, -1);
    return hex;
}

void pp_web_render(struct pp_req *req, int status, const char *name, const char *title,
                   json_t *data)
{
    if (data == NULL)
        data = json_object();
    json_object_set_new(data, "title", json_string(title));
    json_object_set_new(data, "csrf", json_string(page_csrf(req)));
    if (req->user.id != 0) {
        json_object_set_new(
            data, "user",
            json_pack("{s:s, s:s, s:s, s:b, s:b}", "firstName", req->user.first_name, "lastName",
                      req->user.last_name, "email", req->user.email, "isPro",
                      req->user.role_code == PP_ROLE_PRO, "isAdmin",
                      req->user.role_code == PP_ROLE_ADMIN));
    }
    const char *err = NULL;
    char *html = pp_template_render(req->app->templates, name, data, &err);
    json_decref(data);
    if (html == NULL) {
        fprintf(stderr, "passpro: gabarit %s : %s\n", name, err ? err : "?");
        pp_res_html(req, 500, "<!doctype html><title>Erreur</title><p>Erreur interne.</p>");
        return;
    }
    pp_res_html(req, status, html);
    free(html);
}

void pp_web_page_error(struct pp_req *req, int status, const char *message)
{
    if (message == NULL) {
        switch (status) {
        case 401: message = "Vous devez être connecté pour accéder à cette page."; break;
        case 403: message = "Vous n'avez pas accès à cette page."; break;
        case 404: message = "La page que vous cherchez est introuvable."; break;
        case 429: message = "Trop de tentatives. Veuillez réessayer dans quelques minutes."; break;
        default: message = "Une erreur est survenue. Veuillez réessayer plus tard."; break;
        }
    }
    const char *title = status == 404 ? "Page introuvable"
                        : status == 403 ? "Accès refusé"
                        : status >= 500 ? "Erreur" : "Erreur";
    pp_web_render(req, status, "error.html", title,
                  json_pack("{s:i, s:s}", "status", status, "message", message));
}

json_t *pp_web_errors(const struct pp_error *e)
{
    json_t *o = json_object();
    for (int i = 0; e != NULL && i < e->count; i++)
        if (json_object_get(o, e->items[i].field) == NULL)
            json_object_set_new(o, e->items[i].field, json_string(e->items[i].message));
    return o;
}

const char *pp_web_field(struct pp_req *req, const char *key)
{
    const char *v = pp_req_form(req, key);
    if (v == NULL)
        return NULL;
    while (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n')
        v++;
    size_t n = strlen(v);
    while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t' || v[n - 1] == '\r' || v[n - 1] == '\n'))
        n--;
    if (n == 0)
        return NULL;
    /* Browsers send a textarea's line breaks as CR LF: kept as LF, not refused as controls. */
    char *out = pp_arena_alloc(req->arena, n + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (v[i] != '\r')
            out[k++] = v[i];
        else if (i + 1 >= n || v[i + 1] != '\n')
            out[k++] = '\n';
    }
    /* Invalid UTF-8 or control characters count as no answer: they never reach the database. */
    return pp_view_text(req->arena, out, k);
}

void pp_web_read_form(struct pp_req *req, const struct pp_web_input *fields, size_t n,
                      void *dst)
{
    for (size_t i = 0; i < n; i++)
        *(const char **)((char *)dst + fields[i].offset) = pp_web_field(req, fields[i].key);
}

void pp_web_read_query(struct pp_req *req, const struct pp_web_input *fields, size_t n,
                       void *dst)
{
    for (size_t i = 0; i < n; i++)
        *(const char **)((char *)dst + fields[i].offset) = pp_req_query(req, fields[i].key);
}
