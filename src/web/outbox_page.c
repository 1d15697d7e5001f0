/*
 * /backoffice/emails: the outbox as the back office sees it (mail issue): counts, the emails
 * waiting (with their next attempt), those that failed (last error, attempts, "Renvoyer"),
 * and the last ones sent. POST /backoffice/emails/{id}/renvoyer → pp_outbox_resend.
 */
#include <string.h>

#include "core/status.h"
#include "core/clock.h"
#include "core/tz.h"
#include "domain/outbox.h"
#include "web/view.h"
#include "web/web.h"

#define LIST_MAX 200
#define SENT_SHOWN 50

/* French name of an email kind; the code itself for an unknown one. */
static const char *kind_label(const char *kind)
{
    static const struct pp_view_wording kinds[] = {
        {"VENUE_NEW_BOOKING", "Nouvelle réservation (lieu)"},
        {"VENUE_FIRST_BOOKING", "Première réservation du lieu"},
        {"BENEFICIARY_BOOKING_CONFIRMATION", "Confirmation de réservation (bénéficiaire)"},
        {"VENUE_BOOKING_CANCELLED_BY_BENEFICIARY", "Annulation par le bénéficiaire (lieu)"},
        {"BENEFICIARY_BOOKING_CANCELLED_BY_OFFERER", "Annulation par le lieu (bénéficiaire)"},
        {"BENEFICIARY_EVENT_MOVED", "Changement de date (bénéficiaire)"},
        {"BENEFICIARY_BOOKING_EXPIRY_REMINDER", "Rappel avant expiration (bénéficiaire)"},
        {"BENEFICIARY_BOOKING_EXPIRED", "Réservation expirée (bénéficiaire)"},
        {"VENUE_BOOKING_EXPIRED", "Réservation expirée (lieu)"},
        {"OFFER_APPROVED", "Offre validée"},
        {"OFFER_REJECTED", "Offre refusée"},
        {"OFFERER_VALIDATED", "Structure validée"},
        {"PASSWORD_RESET", "Réinitialisation du mot de passe"},
        {"ATTACHMENT_VALIDATED", "Rattachement accepté"},
        {"INVOICE_AVAILABLE", "Justificatif de remboursement disponible"},
        {"BANK_ACCOUNT_ACCEPTED", "Coordonnées bancaires validées"},
        {"VENUE_COLLECTIVE_PREBOOKING", "Préréservation collective (lieu)"},
        {"VENUE_COLLECTIVE_CONFIRMED", "Réservation collective confirmée (lieu)"},
        {"VENUE_COLLECTIVE_CANCELLED", "Réservation collective annulée (lieu)"},
        {"ADAGE_ACCEPTED", "Référencement pour les offres collectives accepté"},
        {"ADAGE_REJECTED", "Référencement pour les offres collectives refusé"},
    };
    return pp_view_label(kinds, PP_VIEW_COUNT(kinds), kind, kind ? kind : "?");
}

static json_t *when(int64_t t)
{
    if (t == 0)
        return json_null();
    char buf[24];
    pp_tz_format_fr("Europe/Paris", t, buf);
    return json_string(buf);
}

/* The rows of @status as the template lists them, owned by the request; NULL on a failure. */
static json_t *rows_json(struct pp_req *req, const char *status, int limit)
{
    struct pp_outbox_email *items;
    size_t n;
    if (pp_outbox_list(pp_req_db(req), req->arena, status, limit, &items, &n) != PP_OK)
        return NULL;
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++) {
        const struct pp_outbox_email *e = &items[i];
        json_t *j = json_pack("{s:I, s:s, s:s, s:s, s:I, s:b}", "id", (json_int_t)e->id, "kind",
                              e->kind, "label", kind_label(e->kind), "to", e->to, "attempts",
                              (json_int_t)e->attempts, "sending",
                              e->status_code == PP_OUTBOX_SENDING);
        json_object_set_new(j, "createdAt", when(e->created_at));
        json_object_set_new(j, "nextAttemptAt", when(e->next_attempt_at));
        json_object_set_new(j, "sentAt", when(e->sent_at));
        pp_view_set_str(j, "lastError", e->last_error);
        json_array_append_new(list, j);
    }
    return pp_req_own(req, list);
}

void pp_web_backoffice_emails(struct pp_req *req)
{
    struct pp_outbox_counts c;
    if (pp_outbox_count(pp_req_db(req), &c) != PP_OK) {
        pp_web_page_error(req, 500, NULL);
        return;
    }
    json_t *pending = rows_json(req, "PENDING", LIST_MAX);
    json_t *failed = rows_json(req, "FAILED", LIST_MAX);
    json_t *sent = rows_json(req, "SENT", SENT_SHOWN);
    if (pending == NULL || failed == NULL || sent == NULL) {
        pp_web_page_error(req, 500, NULL);
        return;
    }
    json_t *data = json_pack(
        "{s:O, s:O, s:O, s:{s:I, s:I, s:I, s:I}, s:b, s:b}", "pending", pending, "failed", failed,
        "sent", sent, "counts", "pending", (json_int_t)c.pending, "sending", (json_int_t)c.sending,
        "sent", (json_int_t)c.sent, "failed", (json_int_t)c.failed, "done",
        pp_req_query(req, "fait") != NULL, "navEmails", 1);
    pp_web_render(req, 200, "outbox.html", "Courriels", data);
}

void pp_web_backoffice_email_resend(struct pp_req *req)
{
    enum pp_err rc =
        pp_outbox_resend(pp_req_db(req), req->user.id, pp_req_param_id(req, 0), pp_clock_now());
    pp_view_done(req, rc, "Ce courriel n'est pas en échec : il n'y a rien à renvoyer.",
                 "/backoffice/emails?fait=1");
}
