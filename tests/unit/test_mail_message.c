/*
 * Emails (mail issue): RFC 5322 composition (src/mail/message.c) read back by an independent
 * reader (tests/mail_eml.h): header encoding and folding, CRLF, header injection attempts,
 * the multipart structure and its decoded parts; the outbox's claims, back-off and leases
 * (src/domain/outbox.c) on a real SQLite file, two connections claiming at once; and every
 * kind of email rendered from its templates (src/mail/delivery.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/clock.h"
#include "db/db.h"
#include "domain/outbox.h"
#include "mail/delivery.h"
#include "mail/message.h"
#include "mail_eml.h"

/* ------------------------------------------------------------------ helpers */

static struct pp_mail sample(void)
{
    struct pp_mail m = {
        .from = {"passpro", "no-reply@passpro.localhost"},
        .to = {NULL, "reservations@musee.example.fr"},
        .reply_to = {"Inès Laurent", "ines.laurent@example.fr"},
        .subject = "Nouvelle réservation pour Visite guidée : les impressionnistes",
        .text = "Bonjour,\n\nInès Laurent a réservé.\nContremarque : ABC234\n",
        .html = "<!doctype html><p>Bonjour,</p><p>Contremarque : <b>ABC234</b></p>\n",
        .message_id = "42.0123456789abcdef@passpro.localhost",
        .date = 1773480600, /* 2026-03-14T09:30:00Z */
        .kind = "VENUE_NEW_BOOKING",
        .outbox_id = 42,
    };
    return m;
}

/* Composes @m, asserts success, parses it back into @e; returns the raw text (to free). */
static char *compose_parse(const struct pp_mail *m, struct eml *e)
{
    char *out = NULL;
    size_t len = 0;
    const char *why = NULL;
    assert_int_equal(pp_mail_compose(m, &out, &len, &why), PP_OK);
    assert_non_null(out);
    assert_int_equal(strlen(out), len);
    assert_int_equal(eml_parse(out, len, e), 0);
    return out;
}

/* Every line ends with CRLF and is at most 78 characters. */
static void assert_wire_format(const struct eml *e)
{
    assert_true(e->crlf_only);
    assert_true(e->max_line <= 78);
}

/* ------------------------------------------------------------------ headers */

static void test_subject_ascii_stays_plain(void **state)
{
    (void)state;
    char *h = pp_mail_encode_header("Subject", "Votre offre est en ligne");
    assert_string_equal(h, "Subject: Votre offre est en ligne\r\n");
    free(h);
}

static void test_subject_utf8_is_encoded_and_folded(void **state)
{
    (void)state;
    const char *subjects[] = {
        "é",
        "Nouvelle réservation pour Visite guidée : les impressionnistes",
        "Ta réservation pour « Exposition Lumières du Nord » est confirmée 🎉",
        "ééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé"
        "ééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé",
        "A very long ASCII subject that cannot fit on one header line of seventy-eight "
        "characters at most, so it is encoded",
    };
    for (size_t i = 0; i < sizeof subjects / sizeof subjects[0]; i++) {
        char *h = pp_mail_encode_header("Subject", subjects[i]);
        /* Parse it back as a one-header message. */
        size_t n = strlen(h);
        char *msg = malloc(n + 3);
        memcpy(msg, h, n);
        memcpy(msg + n, "\r\n", 3);
        struct eml e;
        assert_int_equal(eml_parse(msg, n + 2, &e), 0);
        assert_true(e.crlf_only);
        assert_true(e.max_line <= 78);
        assert_int_equal(eml_count(&e, "Subject"), 1);
        assert_int_equal(e.nheaders, 1);
        char *dec = eml_decoded(&e, "Subject");
        assert_string_equal(dec, subjects[i]);
        free(dec);
        eml_free(&e);
        free(msg);
        free(h);
    }
}

static void test_header_text_strips_controls(void **state)
{
    (void)state;
    char *t = pp_mail_header_text("  Salut\r\nBcc: victime@example.fr\t\x01 fin  ");
    assert_string_equal(t, "Salut Bcc: victime@example.fr fin");
    free(t);
    t = pp_mail_header_text(NULL);
    assert_string_equal(t, "");
    free(t);
}

/* Names and titles typed by users cannot add a header, whatever they contain. */
static void test_injection_through_subject_and_names(void **state)
{
    (void)state;
    const char *attacks[] = {
        "Titre\r\nBcc: victime@example.fr",
        "Titre\nBcc: victime@example.fr",
        "Titre\rBcc: victime@example.fr",
        "Titre\r\n\r\n<html>corps injecté",
        "Zoé\r\nBcc: victime@example.fr",
        "\"Jean\" <x@y.fr>, victime@example.fr",
    };
    for (size_t i = 0; i < sizeof attacks / sizeof attacks[0]; i++) {
        struct pp_mail m = sample();
        m.subject = attacks[i];
        m.reply_to.name = attacks[i];
        m.to.name = attacks[i];
        struct eml e;
        char *raw = compose_parse(&m, &e);
        assert_wire_format(&e);
        assert_int_equal(eml_count(&e, "Bcc"), 0);
        assert_int_equal(eml_count(&e, "Subject"), 1);
        assert_int_equal(eml_count(&e, "To"), 1);
        assert_int_equal(eml_count(&e, "Reply-To"), 1);
        /* The structure is intact: still two parts, and the addresses are the real ones. */
        assert_true(e.multipart);
        assert_int_equal(e.nparts, 2);
        char *to = eml_address(eml_get(&e, "To"));
        char *reply = eml_address(eml_get(&e, "Reply-To"));
        assert_string_equal(to, "reservations@musee.example.fr");
        assert_string_equal(reply, "ines.laurent@example.fr");
        char *subject = eml_decoded(&e, "Subject");
        assert_null(strchr(subject, '\r'));
        assert_null(strchr(subject, '\n'));
        free(subject);
        free(to);
        free(reply);
        eml_free(&e);
        free(raw);
    }
}

static void test_invalid_addresses_are_refused(void **state)
{
    (void)state;
    const char *bad[] = {"reservations@musee.fr\r\nBcc: victime@example.fr",
                         "reservations@musee.fr, victime@example.fr",
                         "pas-une-adresse",
                         "<a@b.fr>",
                         "",
                         NULL};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        for (int which = 0; which < 3; which++) {
            struct pp_mail m = sample();
            if (which == 0)
                m.to.email = bad[i];
            else if (which == 1)
                m.from.email = bad[i];
            else if (bad[i] == NULL)
                continue; /* no Reply-To is fine */
            else
                m.reply_to.email = bad[i];
            char *out = NULL;
            size_t len = 0;
            const char *why = NULL;
            assert_int_equal(pp_mail_compose(&m, &out, &len, &why), PP_EINVAL);
            assert_null(out);
            assert_non_null(why);
        }
    }
    struct pp_mail m = sample();
    m.message_id = "1.abc@passpro>\r\nBcc: x@y.fr";
    char *out = NULL;
    size_t len;
    const char *why;
    assert_int_equal(pp_mail_compose(&m, &out, &len, &why), PP_EINVAL);
}

static void test_display_names(void **state)
{
    (void)state;
    const char *names[] = {"Inès Laurent", "Jean \"Jo\" Dupont", "O'Brien Smith", "Jean Dupont",
                           "Musée des Beaux-Arts de Saint-Aubin-sur-Mer, service des publics"
                           " et de la médiation culturelle"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        struct pp_mail m = sample();
        m.reply_to.name = names[i];
        struct eml e;
        char *raw = compose_parse(&m, &e);
        assert_wire_format(&e);
        char *reply = eml_decoded(&e, "Reply-To");
        /* Decoded: the name (quoted when it has specials) and the address. */
        if (strchr(names[i], '"') != NULL)
            assert_non_null(strstr(reply, "Jean \\\"Jo\\\" Dupont"));
        else
            assert_non_null(strstr(reply, names[i]));
        assert_non_null(strstr(reply, "<ines.laurent@example.fr>"));
        free(reply);
        eml_free(&e);
        free(raw);
    }
}

/* ------------------------------------------------------------------ the whole message */

static void test_multipart_structure(void **state)
{
    (void)state;
    struct pp_mail m = sample();
    struct eml e;
    char *raw = compose_parse(&m, &e);
    assert_wire_format(&e);
    const char *once[] = {"From", "To", "Reply-To", "Subject", "Date", "Message-ID",
                          "MIME-Version", "Content-Type"};
    for (size_t i = 0; i < sizeof once / sizeof once[0]; i++)
        assert_int_equal(eml_count(&e, once[i]), 1);
    assert_string_equal(eml_get(&e, "MIME-Version"), "1.0");
    assert_string_equal(eml_get(&e, "Message-ID"), "<42.0123456789abcdef@passpro.localhost>");
    assert_string_equal(eml_get(&e, "From"), "passpro <no-reply@passpro.localhost>");
    assert_string_equal(eml_get(&e, "X-Passpro-Kind"), "VENUE_NEW_BOOKING");
    assert_string_equal(eml_get(&e, "X-Passpro-Outbox-Id"), "42");
    assert_string_equal(eml_get(&e, "Date"), "Sat, 14 Mar 2026 10:30:00 +0100");
    assert_true(strncmp(eml_get(&e, "Content-Type"), "multipart/alternative;", 22) == 0);
    char *subject = eml_decoded(&e, "Subject");
    assert_string_equal(subject, m.subject);
    free(subject);
    assert_true(e.multipart);
    assert_int_equal(e.nparts, 2);
    const struct eml_part *text = eml_part_of(&e, "text/plain");
    const struct eml_part *html = eml_part_of(&e, "text/html");
    assert_non_null(text);
    assert_non_null(html);
    assert_ptr_equal(text, &e.parts[0]); /* the preferred part comes last */
    assert_non_null(strstr(eml_find(text->headers, text->nheaders, "Content-Type"),
                           "charset=UTF-8"));
    assert_string_equal(eml_find(text->headers, text->nheaders, "Content-Transfer-Encoding"),
                        "quoted-printable");
    assert_string_equal(text->body, m.text);
    assert_string_equal(html->body, m.html);
    eml_free(&e);
    free(raw);
}

static void test_bodies_round_trip(void **state)
{
    (void)state;
    char long_line[2100];
    for (size_t i = 0; i < sizeof long_line - 1; i++)
        long_line[i] = "abcdefghé=. \t"[i % 13];
    long_line[sizeof long_line - 1] = '\0';
    char *texts[] = {
        "",
        "ligne avec espaces en fin   \nligne avec tab\t\n",
        ".\n.ligne qui commence par un point\nFrom le début\n=3D n'est pas un code\n",
        "pas de fin de ligne",
        "lignes CRLF\r\ndeuxième\r\n",
        long_line,
        "€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€\n",
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        struct pp_mail m = sample();
        m.text = texts[i];
        m.html = texts[i];
        struct eml e;
        char *raw = compose_parse(&m, &e);
        assert_wire_format(&e);
        assert_int_equal(e.nparts, 2);
        /* Decoded bodies equal the input, line ends as LF; a missing final one is added. */
        char *want = malloc(strlen(texts[i]) + 2);
        size_t k = 0;
        for (const char *p = texts[i]; *p; p++)
            if (!(*p == '\r' && p[1] == '\n'))
                want[k++] = *p;
        if (k > 0 && want[k - 1] != '\n')
            want[k++] = '\n';
        want[k] = '\0';
        assert_string_equal(e.parts[0].body, want);
        assert_string_equal(e.parts[1].body, want);
        /* No line of the raw message starts with "." or "From ". */
        assert_null(strstr(raw, "\r\n.ligne"));
        assert_null(strstr(raw, "\r\nFrom le"));
        free(want);
        eml_free(&e);
        free(raw);
    }
}

static void test_text_only_message(void **state)
{
    (void)state;
    struct pp_mail m = sample();
    m.html = NULL;
    m.reply_to.email = NULL;
    struct eml e;
    char *raw = compose_parse(&m, &e);
    assert_wire_format(&e);
    assert_false(e.multipart);
    assert_int_equal(eml_count(&e, "Reply-To"), 0);
    assert_true(strncmp(eml_get(&e, "Content-Type"), "text/plain", 10) == 0);
    assert_string_equal(e.parts[0].body, m.text);
    eml_free(&e);
    free(raw);
}

static void test_random_boundaries_differ(void **state)
{
    (void)state;
    struct pp_mail m = sample();
    struct eml a, b;
    char *ra = compose_parse(&m, &a), *rb = compose_parse(&m, &b);
    char *ba = eml_param(eml_get(&a, "Content-Type"), "boundary");
    char *bb = eml_param(eml_get(&b, "Content-Type"), "boundary");
    assert_non_null(ba);
    assert_non_null(bb);
    assert_string_not_equal(ba, bb);
    free(ba);
    free(bb);
    eml_free(&a);
    eml_free(&b);
    free(ra);
    free(rb);
}

static void test_date_in_paris_time(void **state)
{
    (void)state;
    char buf[40];
    pp_mail_date(1773480600, buf); /* 2026-03-14T09:30:00Z, winter time */
    assert_string_equal(buf, "Sat, 14 Mar 2026 10:30:00 +0100");
    pp_mail_date(1782907200, buf); /* 2026-07-01T12:00:00Z, summer time */
    assert_string_equal(buf, "Wed, 01 Jul 2026 14:00:00 +0200");
}

static void test_sender_parsing(void **state)
{
    (void)state;
    char name[128], email[256];
    assert_true(pp_mail_addr_parse("passpro <no-reply@passpro.localhost>", name, sizeof name,
                                   email, sizeof email));
    assert_string_equal(name, "passpro");
    assert_string_equal(email, "no-reply@passpro.localhost");
    assert_true(pp_mail_addr_parse("\"Musée de Saint-Aubin\" <contact@musee.fr>", name,
                                   sizeof name, email, sizeof email));
    assert_string_equal(name, "Musée de Saint-Aubin");
    assert_string_equal(email, "contact@musee.fr");
    assert_true(pp_mail_addr_parse("contact@musee.fr", name, sizeof name, email, sizeof email));
    assert_string_equal(name, "");
    assert_false(pp_mail_addr_parse("passpro <pas une adresse>", name, sizeof name, email,
                                    sizeof email));
    assert_false(pp_mail_addr_parse("a@b.fr\r\nBcc: c@d.fr", name, sizeof name, email,
                                    sizeof email));
    assert_false(pp_mail_addr_parse("passpro <a@b.fr", name, sizeof name, email, sizeof email));
}

/* ------------------------------------------------------------------ outbox */

static char dir[64];
static char db_url[128];

static int outbox_setup(void **state)
{
    snprintf(dir, sizeof dir, "/tmp/passpro-test-mail-XXXXXX");
    if (mkdtemp(dir) == NULL)
        return -1;
    snprintf(db_url, sizeof db_url, "sqlite:%s/t.db", dir);
    struct pp_db *db;
    char msg[256];
    int applied;
    if (pp_db_open(db_url, &db, msg, sizeof msg) != PP_OK || pp_db_migrate(db, &applied) != PP_OK)
        return -1;
    *state = db;
    return 0;
}

static int outbox_teardown(void **state)
{
    pp_db_close(*state);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd);
}

/* Empties the outbox between tests. */
static int clear_outbox(void **state)
{
    return pp_db_exec(*state, "DELETE FROM outbox") == PP_OK ? 0 : -1;
}

static int64_t add_email(struct pp_db *db, const char *to)
{
    assert_int_equal(pp_outbox_add(db, "OFFER_APPROVED", to, NULL,
                                   json_pack("{s:s, s:s, s:i}", "offerName", "Visite",
                                             "venueName", "Musée", "offerId", 1)),
                     PP_OK);
    int64_t id;
    assert_int_equal(pp_db_query_int(db, &id, "SELECT MAX(id) FROM outbox", 0), PP_OK);
    return id;
}

static const char *status_of(struct pp_db *db, struct pp_arena *a, int64_t id,
                             struct pp_outbox_email *e)
{
    assert_int_equal(pp_outbox_get(db, a, id, e), PP_OK);
    return e->status;
}

static void test_backoff_schedule(void **state)
{
    (void)state;
    assert_int_equal(pp_outbox_backoff(1), 60);
    assert_int_equal(pp_outbox_backoff(2), 120);
    assert_int_equal(pp_outbox_backoff(3), 240);
    assert_int_equal(pp_outbox_backoff(8), 128 * 60);
    assert_int_equal(pp_outbox_backoff(9), 4 * 3600);
    assert_int_equal(pp_outbox_backoff(PP_OUTBOX_MAX_ATTEMPTS), 0);
    int64_t total = 0;
    for (int64_t a = 1; a < PP_OUTBOX_MAX_ATTEMPTS; a++) {
        assert_true(pp_outbox_backoff(a) >= pp_outbox_backoff(a > 1 ? a - 1 : 1));
        total += pp_outbox_backoff(a);
    }
    /* Retries stop after about a day. */
    assert_true(total >= 22 * 3600 && total <= 26 * 3600);
}

static void test_empty_recipient_queues_nothing(void **state)
{
    struct pp_db *db = *state;
    assert_int_equal(pp_outbox_add(db, "VENUE_NEW_BOOKING", NULL, NULL, json_object()), PP_OK);
    assert_int_equal(pp_outbox_add(db, "VENUE_NEW_BOOKING", "", NULL, json_object()), PP_OK);
    int64_t n;
    assert_int_equal(pp_db_query_int(db, &n, "SELECT COUNT(*) FROM outbox", 0), PP_OK);
    assert_int_equal(n, 0);
}

static void test_claim_retry_and_lease(void **state)
{
    struct pp_db *db = *state;
    struct pp_arena *a = pp_arena_new();
    int64_t sent = add_email(db, "a@example.fr");
    int64_t retried = add_email(db, "b@example.fr");
    int64_t crashed = add_email(db, "c@example.fr");
    int64_t t = pp_clock_now() + 5;
    struct pp_outbox_email *items, e;
    size_t n;
    assert_int_equal(pp_outbox_claim(db, a, t, 10, &items, &n), PP_OK);
    assert_int_equal(n, 3);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(items[i].status, "SENDING");
        assert_int_equal(items[i].attempts, 1);
    }
    /* Claimed rows are nobody else's. */
    struct pp_outbox_email *again;
    size_t n2;
    assert_int_equal(pp_outbox_claim(db, a, t, 10, &again, &n2), PP_OK);
    assert_int_equal(n2, 0);

    assert_int_equal(pp_outbox_mark_sent(db, sent, 1, t), PP_OK);
    bool gave_up = true;
    assert_int_equal(pp_outbox_mark_failed(db, retried, 1, t, "SMTP : 451 réessayez", false,
                                           &gave_up),
                     PP_OK);
    assert_false(gave_up);
    assert_string_equal(status_of(db, a, sent, &e), "SENT");
    assert_int_equal(e.sent_at, t);
    assert_string_equal(status_of(db, a, retried, &e), "PENDING");
    assert_int_equal(e.next_attempt_at, t + 60);
    assert_string_equal(e.last_error, "SMTP : 451 réessayez");
    /* "crashed" was never marked: its server died. */
    assert_string_equal(status_of(db, a, crashed, &e), "SENDING");

    assert_int_equal(pp_outbox_claim(db, a, t + 59, 10, &again, &n2), PP_OK);
    assert_int_equal(n2, 0); /* back-off not over, lease not over */
    assert_int_equal(pp_outbox_claim(db, a, t + 60, 10, &again, &n2), PP_OK);
    assert_int_equal(n2, 1);
    assert_int_equal(again[0].id, retried);
    assert_int_equal(again[0].attempts, 2);
    assert_int_equal(pp_outbox_mark_sent(db, retried, 2, t + 60), PP_OK);

    /* The lease ends: the crashed row is claimed again, and the old claim cannot write. */
    assert_int_equal(pp_outbox_claim(db, a, t + PP_OUTBOX_LEASE_SECONDS, 10, &again, &n2),
                     PP_OK);
    assert_int_equal(n2, 1);
    assert_int_equal(again[0].id, crashed);
    assert_int_equal(again[0].attempts, 2);
    assert_int_equal(pp_outbox_mark_sent(db, crashed, 1, t), PP_OK); /* stale claim */
    assert_string_equal(status_of(db, a, crashed, &e), "SENDING");
    assert_int_equal(pp_outbox_mark_sent(db, crashed, 2, t + PP_OUTBOX_LEASE_SECONDS), PP_OK);
    assert_string_equal(status_of(db, a, crashed, &e), "SENT");
    pp_arena_free(a);
}

static void test_gives_up_after_a_day_then_resend(void **state)
{
    struct pp_db *db = *state;
    struct pp_arena *a = pp_arena_new();
    int64_t id = add_email(db, "a@example.fr");
    int64_t t = pp_clock_now() + 5, first = t;
    struct pp_outbox_email *items, e;
    size_t n;
    int tries = 0;
    for (;;) {
        assert_int_equal(pp_outbox_claim(db, a, t, 10, &items, &n), PP_OK);
        assert_int_equal(n, 1);
        tries++;
        bool gave_up;
        assert_int_equal(pp_outbox_mark_failed(db, id, items[0].attempts, t,
                                               "SMTP : connexion refusée", false, &gave_up),
                         PP_OK);
        status_of(db, a, id, &e);
        if (gave_up) {
            assert_string_equal(e.status, "FAILED");
            break;
        }
        assert_string_equal(e.status, "PENDING");
        t = e.next_attempt_at;
    }
    assert_int_equal(tries, PP_OUTBOX_MAX_ATTEMPTS);
    assert_true(t - first >= 22 * 3600 && t - first <= 26 * 3600);
    assert_string_equal(e.last_error, "SMTP : connexion refusée");
    /* Failed rows are never claimed again... */
    assert_int_equal(pp_outbox_claim(db, a, t + 30 * 86400, 10, &items, &n), PP_OK);
    assert_int_equal(n, 0);
    /* ...until the back office sends them again. */
    assert_int_equal(pp_outbox_resend(db, 0, id, t), PP_OK);
    assert_int_equal(pp_outbox_resend(db, 0, id, t), PP_ECONFLICT);
    assert_int_equal(pp_outbox_resend(db, 0, 999999, t), PP_ENOTFOUND);
    assert_string_equal(status_of(db, a, id, &e), "PENDING");
    assert_int_equal(e.attempts, 0);
    assert_int_equal(pp_outbox_claim(db, a, t, 10, &items, &n), PP_OK);
    assert_int_equal(n, 1);
    pp_arena_free(a);
}

static void test_permanent_failure_at_once(void **state)
{
    struct pp_db *db = *state;
    struct pp_arena *a = pp_arena_new();
    int64_t id = add_email(db, "a@example.fr");
    struct pp_outbox_email *items, e;
    size_t n;
    int64_t t = pp_clock_now() + 5;
    assert_int_equal(pp_outbox_claim(db, a, t, 10, &items, &n), PP_OK);
    assert_int_equal(n, 1);
    bool gave_up = false;
    assert_int_equal(pp_outbox_mark_failed(db, id, 1, t, "SMTP : 550 boîte inconnue", true,
                                           &gave_up),
                     PP_OK);
    assert_true(gave_up);
    assert_string_equal(status_of(db, a, id, &e), "FAILED");
    assert_int_equal(e.attempts, 1);
    struct pp_outbox_counts c;
    assert_int_equal(pp_outbox_count(db, &c), PP_OK);
    assert_int_equal(c.failed, 1);
    pp_arena_free(a);
}

/* A row claimed on its 14th attempt whose server died is marked FAILED, not tried again. */
static void test_crash_on_last_attempt_fails(void **state)
{
    struct pp_db *db = *state;
    struct pp_arena *a = pp_arena_new();
    int64_t id = add_email(db, "a@example.fr");
    int64_t t = pp_clock_now() + 5;
    assert_int_equal(pp_db_exec(db, "UPDATE outbox SET attempts = 13"), PP_OK);
    struct pp_outbox_email *items, e;
    size_t n;
    assert_int_equal(pp_outbox_claim(db, a, t, 10, &items, &n), PP_OK);
    assert_int_equal(n, 1);
    assert_int_equal(items[0].attempts, PP_OUTBOX_MAX_ATTEMPTS);
    assert_int_equal(pp_outbox_claim(db, a, t + PP_OUTBOX_LEASE_SECONDS, 10, &items, &n), PP_OK);
    assert_int_equal(n, 0);
    assert_string_equal(status_of(db, a, id, &e), "FAILED");
    assert_non_null(e.last_error);
    pp_arena_free(a);
}

#define RACE_ROWS 400
#define RACERS 4

struct racer {
    int64_t now;
    int64_t ids[RACE_ROWS];
    size_t n;
};

/* Claims in small batches on a connection of its own until nothing is left. */
static void *race_main(void *arg)
{
    struct racer *r = arg;
    struct pp_db *db;
    char msg[256];
    if (pp_db_open(db_url, &db, msg, sizeof msg) != PP_OK)
        return NULL;
    for (;;) {
        struct pp_arena *a = pp_arena_new();
        struct pp_outbox_email *items;
        size_t n = 0;
        enum pp_err rc = pp_outbox_claim(db, a, r->now, 7, &items, &n);
        for (size_t i = 0; i < n && r->n < RACE_ROWS; i++) {
            r->ids[r->n++] = items[i].id;
            pp_outbox_mark_sent(db, items[i].id, items[i].attempts, r->now);
        }
        pp_arena_free(a);
        if (rc != PP_OK || n == 0)
            break;
    }
    pp_db_close(db);
    return NULL;
}

static void test_concurrent_claims_are_disjoint(void **state)
{
    struct pp_db *db = *state;
    assert_int_equal(pp_db_begin(db), PP_OK);
    for (int i = 0; i < RACE_ROWS; i++)
        add_email(db, "a@example.fr");
    assert_int_equal(pp_db_commit(db), PP_OK);
    static struct racer racers[RACERS];
    pthread_t threads[RACERS];
    int64_t now = pp_clock_now() + 5;
    for (int i = 0; i < RACERS; i++) {
        racers[i].now = now;
        racers[i].n = 0;
        assert_int_equal(pthread_create(&threads[i], NULL, race_main, &racers[i]), 0);
    }
    for (int i = 0; i < RACERS; i++)
        pthread_join(threads[i], NULL);
    int64_t min_id;
    assert_int_equal(pp_db_query_int(db, &min_id, "SELECT MIN(id) FROM outbox", 0), PP_OK);
    static int seen[RACE_ROWS];
    memset(seen, 0, sizeof seen);
    size_t total = 0;
    for (int i = 0; i < RACERS; i++) {
        total += racers[i].n;
        for (size_t j = 0; j < racers[i].n; j++) {
            int64_t k = racers[i].ids[j] - min_id;
            assert_true(k >= 0 && k < RACE_ROWS);
            seen[k]++;
        }
    }
    assert_int_equal(total, RACE_ROWS);
    for (int k = 0; k < RACE_ROWS; k++)
        assert_int_equal(seen[k], 1);
    int64_t sent;
    assert_int_equal(
        pp_db_query_int(db, &sent, "SELECT COUNT(*) FROM outbox WHERE status = 'SENT'", 0),
        PP_OK);
    assert_int_equal(sent, RACE_ROWS);
}

/* ------------------------------------------------------------------ rendering */

struct kind_case {
    const char *kind;
    const char *payload;
    const char *subject_has;
    const char *text_has[4];
};

#define BOOKING_PAYLOAD(name)                                                                      \
    "{\"firstName\":\"Inès\",\"lastName\":\"Laurent\",\"email\":\"ines@example.fr\","             \
    "\"phone\":\"0612345678\",\"token\":\"ABC234\",\"offerName\":\"" name "\","                  \
    "\"priceCategoryLabel\":\"Plus de 18 ans\",\"venueName\":\"Musée des Beaux-Arts\","           \
    "\"quantity\":2,\"price\":\"12,00 €\",\"total\":\"24,00 €\",\"isEvent\":true,"                \
    "\"isPaid\":true,\"bookedAt\":\"14/03/2026 à 10:30\",\"eventDate\":\"21/03/2026 à 14:00\"}"

static const struct kind_case kind_cases[] = {
    {"VENUE_NEW_BOOKING", BOOKING_PAYLOAD("Visite guidée"),
     "Nouvelle réservation pour Visite guidée",
     {"Inès", "Laurent", "ABC234", "vous devez valider la contremarque pour être remboursé"}},
    {"VENUE_FIRST_BOOKING", BOOKING_PAYLOAD("Visite guidée"), "première réservation",
     {"ines@example.fr", "0612345678", "14h00", "24,00 €"}},
    {"BENEFICIARY_BOOKING_CONFIRMATION", BOOKING_PAYLOAD("Visite guidée"),
     "Ta réservation pour Visite guidée est confirmée",
     {"Bonjour Inès", "ABC234", "21/03/2026", NULL}},
    {"VENUE_BOOKING_CANCELLED_BY_BENEFICIARY",
     "{\"firstName\":\"Inès\",\"lastName\":\"Laurent\",\"email\":\"ines@example.fr\","
     "\"token\":\"ABC234\",\"offerName\":\"Visite\",\"quantity\":1,\"eventDate\":\"\","
     "\"reason\":\"BENEFICIARY\"}",
     "annulée", {"Inès Laurent", "ABC234", NULL, NULL}},
    {"BENEFICIARY_BOOKING_CANCELLED_BY_OFFERER",
     "{\"firstName\":\"Inès\",\"lastName\":\"Laurent\",\"email\":\"ines@example.fr\","
     "\"token\":\"ABC234\",\"offerName\":\"Visite\",\"quantity\":1,"
     "\"eventDate\":\"21/03/2026 à 14:00\",\"reason\":\"OFFERER\"}",
     "a été annulée", {"par l'acteur culturel", "ABC234", "recrédité", NULL}},
    {"BENEFICIARY_BOOKING_CANCELLED_BY_OFFERER",
     "{\"firstName\":\"Inès\",\"lastName\":\"Laurent\",\"email\":\"ines@example.fr\","
     "\"token\":\"ABC234\",\"offerName\":\"Visite\",\"quantity\":1,\"eventDate\":\"\","
     "\"reason\":\"FRAUD\"}",
     "a été annulée", {"retirée du pass Culture", NULL, NULL, NULL}},
    {"BENEFICIARY_EVENT_MOVED",
     "{\"firstName\":\"Inès\",\"offerName\":\"Visite\",\"token\":\"ABC234\","
     "\"eventDate\":\"28/03/2026 à 15:30\"}",
     "Changement de date pour Visite", {"28/03/2026 à 15h30", "ABC234", NULL, NULL}},
    {"BENEFICIARY_BOOKING_EXPIRY_REMINDER",
     "{\"firstName\":\"Inès\",\"offerName\":\"Carte musées\",\"token\":\"ABC234\","
     "\"expirationDate\":\"13/04/2026 à 10:30\",\"daysLeft\":7}",
     "Plus que 7 jours", {"13/04/2026", "ABC234", NULL, NULL}},
    {"BENEFICIARY_BOOKING_EXPIRED",
     "{\"firstName\":\"Inès\",\"lastName\":\"Laurent\",\"email\":\"ines@example.fr\","
     "\"token\":\"ABC234\",\"offerName\":\"Carte musées\",\"quantity\":1,\"eventDate\":\"\","
     "\"reason\":\"EXPIRED\"}",
     "a expiré", {"ABC234", NULL, NULL, NULL}},
    {"VENUE_BOOKING_EXPIRED",
     "{\"firstName\":\"Inès\",\"lastName\":\"Laurent\",\"email\":\"ines@example.fr\","
     "\"token\":\"ABC234\",\"offerName\":\"Carte musées\"}",
     "Réservation expirée", {"Inès Laurent", "ines@example.fr", "ABC234", NULL}},
    /* Several expiries of one run reach the venue as one email listing them. */
    {"VENUE_BOOKING_EXPIRED",
     "{\"fullName\":\"Inès Laurent\",\"email\":\"ines@example.fr\",\"token\":\"ABC234\","
     "\"offerName\":\"Carte musées\",\"count\":2,\"several\":true,\"bookings\":["
     "{\"fullName\":\"Inès Laurent\",\"email\":\"ines@example.fr\",\"token\":\"ABC234\","
     "\"offerName\":\"Carte musées\"},"
     "{\"fullName\":\"Hugo Fontaine\",\"email\":\"hugo@example.fr\",\"token\":\"XYZ567\","
     "\"offerName\":\"Livre\"}]}",
     "2 réservations expirées", {"Inès Laurent", "Hugo Fontaine", "XYZ567", "ABC234"}},
    {"OFFER_APPROVED", "{\"offerId\":7,\"offerName\":\"Visite\",\"venueName\":\"Musée\"}",
     "a été validée", {"/offres/7", NULL, NULL, NULL}},
    {"OFFER_REJECTED",
     "{\"offerId\":7,\"offerName\":\"Visite\",\"venueName\":\"Musée\",\"cancelledBookings\":3}",
     "a été refusée", {"3 réservation(s)", NULL, NULL, NULL}},
    {"OFFERER_VALIDATED",
     "{\"firstName\":\"Julien\",\"offererName\":\"Ville de Saint-Aubin\",\"siren\":\"213500001\"}",
     "Ville de Saint-Aubin a été validée", {"Bonjour Julien", "213500001", NULL, NULL}},
    {"PASSWORD_RESET", "{\"firstName\":\"Julien\",\"token\":\"0a1b2c\"}",
     "Réinitialisation de votre mot de passe",
     {"Bonjour Julien", "/mot-de-passe/nouveau?token=0a1b2c", "24 heures", NULL}},
    {"ATTACHMENT_VALIDATED",
     "{\"firstName\":\"Julien\",\"offererName\":\"Ville de Saint-Aubin\",\"siren\":\"213500001\"}",
     "rattachement", {"acceptée", NULL, NULL, NULL}},
    {"INVOICE_AVAILABLE",
     "{\"offererName\":\"Ville\",\"amount\":\"1 234,50 €\",\"periodStart\":\"01/03/2026\","
     "\"periodEnd\":\"15/03/2026\",\"reference\":\"F26-0001\",\"bankAccountLabel\":\"Compte\"}",
     "justificatif", {"1 234,50 €", "F26-0001", "01/03/2026", NULL}},
    {"BANK_ACCOUNT_ACCEPTED",
     "{\"offererName\":\"Ville\",\"label\":\"Compte principal\",\"ibanEnd\":\"1234\"}",
     "coordonnées bancaires", {"Compte principal", "1234", NULL, NULL}},
#define COLLECTIVE_PAYLOAD(extra)                                                                 \
    "{\"bookingId\":4,\"offerName\":\"Séance scolaire\",\"venueName\":\"Cinéma Le Palace\","  \
    "\"institutionName\":\"Collège Jean Moulin\",\"institutionCity\":\"Lyon\","                \
    "\"uai\":\"0691234A\",\"teacherEmail\":\"prof@ac-lyon.fr\","                             \
    "\"eventDate\":\"10/06/2026 à 09:30\",\"price\":\"300,00 €\","                            \
    "\"cancellationLimitDate\":\"11/05/2026 à 09:30\",\"year\":2025" extra "}"
    {"VENUE_COLLECTIVE_PREBOOKING", COLLECTIVE_PAYLOAD(""), "Préréservation de Séance scolaire",
     {"Collège Jean Moulin", "prof@ac-lyon.fr", "10/06/2026 à 09h30", "300,00 €"}},
    {"VENUE_COLLECTIVE_CONFIRMED", COLLECTIVE_PAYLOAD(""), "Réservation confirmée",
     {"a confirmé", "11/05/2026 à 09:30", "0691234A", "300,00 €"}},
    {"VENUE_COLLECTIVE_CANCELLED",
     COLLECTIVE_PAYLOAD(",\"reason\":\"REFUSED_BY_HEADMASTER\",\"bySchool\":true,"
                        "\"comment\":\"Sortie reportée\""),
     "Réservation annulée", {"a annulé la réservation", "Sortie reportée", "Lyon", NULL}},
    {"VENUE_COLLECTIVE_CANCELLED", COLLECTIVE_PAYLOAD(",\"reason\":\"EXPIRED\""),
     "Réservation annulée", {"avant la date limite", "Collège Jean Moulin", NULL, NULL}},
    {"ADAGE_ACCEPTED",
     "{\"firstName\":\"Léa\",\"offererName\":\"Cinéma Le Palace\",\"siren\":\"123456782\"}",
     "référencée", {"Cinéma Le Palace", "123456782", "/collectif", NULL}},
    {"ADAGE_REJECTED",
     "{\"firstName\":\"Léa\",\"offererName\":\"Musée\",\"siren\":\"123456782\","
     "\"reason\":\"Formats non éligibles\"}",
     "pas été retenue", {"Musée", "Formats non éligibles", NULL, NULL}},
};

static struct pp_mailer *new_mailer(void)
{
    char mail_dir[128], msg[256];
    snprintf(mail_dir, sizeof mail_dir, "%s/mail", dir);
    struct pp_mailer_config cfg = {.mail_dir = mail_dir, .base_url = "https://pro.example"};
    struct pp_mailer *m = pp_mailer_new(&cfg, msg, sizeof msg);
    assert_non_null(m);
    return m;
}

static bool contains_ci(const char *hay, const char *needle)
{
    return strcasestr(hay, needle) != NULL;
}

static void test_every_kind_renders(void **state)
{
    (void)state;
    struct pp_mailer *mailer = new_mailer();
    for (size_t i = 0; i < sizeof kind_cases / sizeof kind_cases[0]; i++) {
        const struct kind_case *k = &kind_cases[i];
        struct pp_outbox_email e = {.id = (int64_t)i + 1, .created_at = 1773480600,
                                    .kind = k->kind, .to = "dest@example.fr",
                                    .payload = k->payload};
        char *raw = NULL, err[256] = "";
        size_t len = 0;
        if (pp_mailer_render(mailer, &e, 1773480600, &raw, &len, err, sizeof err) != PP_OK) {
            print_error("%s: %s\n", k->kind, err);
            fail();
        }
        struct eml m;
        assert_int_equal(eml_parse(raw, len, &m), 0);
        assert_wire_format(&m);
        char *subject = eml_decoded(&m, "Subject");
        if (!contains_ci(subject, k->subject_has)) {
            print_error("%s: subject \"%s\" lacks \"%s\"\n", k->kind, subject, k->subject_has);
            fail();
        }
        const struct eml_part *text = eml_part_of(&m, "text/plain");
        const struct eml_part *html = eml_part_of(&m, "text/html");
        assert_non_null(text);
        assert_non_null(html);
        assert_non_null(strstr(html->body, "<html lang=\"fr\">"));
        for (int j = 0; j < 4 && k->text_has[j]; j++) {
            if (strstr(text->body, k->text_has[j]) == NULL) {
                print_error("%s: text lacks \"%s\":\n%s\n", k->kind, k->text_has[j], text->body);
                fail();
            }
        }
        /* Nothing left unrendered. */
        assert_null(strstr(text->body, "{{"));
        assert_null(strstr(html->body, "{{"));
        assert_null(strstr(subject, "{{"));
        assert_non_null(strstr(text->body, "L'équipe passpro"));
        free(subject);
        eml_free(&m);
        free(raw);
    }
    pp_mailer_free(mailer);
}

static void test_rendering_escapes_html_not_text(void **state)
{
    (void)state;
    struct pp_mailer *mailer = new_mailer();
    struct pp_outbox_email e = {
        .id = 1, .created_at = 1, .kind = "VENUE_NEW_BOOKING", .to = "dest@example.fr",
        .reply_to = "ines@example.fr",
        .payload = "{\"firstName\":\"<script>alert(1)</script>\",\"lastName\":\"O'Hara & co\","
                   "\"email\":\"ines@example.fr\",\"token\":\"ABC234\","
                   "\"offerName\":\"Visite\\r\\nBcc: victime@example.fr\",\"venueName\":\"M\","
                   "\"quantity\":1,\"price\":\"Gratuit\",\"total\":\"Gratuit\","
                   "\"isEvent\":false,\"isPaid\":false,\"eventDate\":null,\"withdrawalDays\":30}"};
    char *raw = NULL, err[256];
    size_t len;
    assert_int_equal(pp_mailer_render(mailer, &e, 1, &raw, &len, err, sizeof err), PP_OK);
    struct eml m;
    assert_int_equal(eml_parse(raw, len, &m), 0);
    assert_int_equal(eml_count(&m, "Bcc"), 0);
    const struct eml_part *text = eml_part_of(&m, "text/plain");
    const struct eml_part *html = eml_part_of(&m, "text/html");
    assert_non_null(strstr(text->body, "<script>alert(1)</script>"));
    assert_null(strstr(html->body, "<script>"));
    assert_non_null(strstr(html->body, "&lt;script&gt;"));
    assert_non_null(strstr(html->body, "O&#39;Hara &amp; co"));
    /* Free, thing: "Gratuit", the withdrawal period, no reimbursement sentence. */
    assert_non_null(strstr(text->body, "Prix : Gratuit"));
    assert_non_null(strstr(text->body, "30 jours"));
    assert_null(strstr(text->body, "pour être remboursé"));
    char *reply = eml_decoded(&m, "Reply-To");
    assert_non_null(strstr(reply, "<ines@example.fr>"));
    assert_non_null(strstr(reply, "O'Hara & co"));
    free(reply);
    eml_free(&m);
    free(raw);
    pp_mailer_free(mailer);
}

static void test_unknown_kind_and_bad_payload(void **state)
{
    (void)state;
    struct pp_mailer *mailer = new_mailer();
    const struct pp_outbox_email bad[] = {
        {.id = 1, .kind = "NO_SUCH_KIND", .to = "a@example.fr", .payload = "{}"},
        {.id = 2, .kind = "../../etc/passwd", .to = "a@example.fr", .payload = "{}"},
        {.id = 3, .kind = "OFFER_APPROVED", .to = "a@example.fr", .payload = "pas du json"},
        {.id = 4, .kind = "OFFER_APPROVED", .to = "pas une adresse", .payload = "{}"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *raw = NULL, err[256] = "";
        size_t len;
        assert_int_equal(pp_mailer_render(mailer, &bad[i], 1, &raw, &len, err, sizeof err),
                         PP_EINVAL);
        assert_null(raw);
        assert_true(err[0] != '\0');
    }
    pp_mailer_free(mailer);
}

/* The worker through the folder transport: one file per email, no temporary file left. */
static void test_deliver_to_mail_dir(void **state)
{
    struct pp_db *db = *state;
    struct pp_mailer *mailer = new_mailer();
    int64_t a = add_email(db, "a@example.fr");
    int64_t b = add_email(db, "pas une adresse");
    struct pp_delivery_stats st;
    assert_int_equal(pp_mailer_deliver(mailer, db, pp_clock_now() + 5, &st), PP_OK);
    assert_int_equal(st.sent, 1);
    assert_int_equal(st.failed, 1);
    char path[200];
    snprintf(path, sizeof path, "%s/mail/%lld.eml", dir, (long long)a);
    size_t len = 0;
    char *raw = eml_read_file(path, &len);
    assert_non_null(raw);
    struct eml m;
    assert_int_equal(eml_parse(raw, len, &m), 0);
    assert_wire_format(&m);
    char *to = eml_address(eml_get(&m, "To"));
    assert_string_equal(to, "a@example.fr");
    free(to);
    eml_free(&m);
    free(raw);
    snprintf(path, sizeof path, "%s/mail/%lld.eml", dir, (long long)b);
    assert_int_equal(access(path, F_OK), -1);
    snprintf(path, sizeof path, "%s/mail", dir);
    DIR *d = opendir(path);
    assert_non_null(d);
    struct dirent *de;
    while ((de = readdir(d)) != NULL)
        assert_null(strstr(de->d_name, ".tmp"));
    closedir(d);
    struct pp_arena *ar = pp_arena_new();
    struct pp_outbox_email e;
    assert_string_equal(status_of(db, ar, b, &e), "FAILED");
    assert_non_null(strstr(e.last_error, "adresse"));
    /* Nothing left to do. */
    assert_int_equal(pp_mailer_deliver(mailer, db, pp_clock_now() + 5, &st), PP_OK);
    assert_int_equal(st.sent + st.failed + st.retried, 0);
    pp_arena_free(ar);
    pp_mailer_free(mailer);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest message_tests[] = {
        cmocka_unit_test(test_subject_ascii_stays_plain),
        cmocka_unit_test(test_subject_utf8_is_encoded_and_folded),
        cmocka_unit_test(test_header_text_strips_controls),
        cmocka_unit_test(test_injection_through_subject_and_names),
        cmocka_unit_test(test_invalid_addresses_are_refused),
        cmocka_unit_test(test_display_names),
        cmocka_unit_test(test_multipart_structure),
        cmocka_unit_test(test_bodies_round_trip),
        cmocka_unit_test(test_text_only_message),
        cmocka_unit_test(test_random_boundaries_differ),
        cmocka_unit_test(test_date_in_paris_time),
        cmocka_unit_test(test_sender_parsing),
    };
    const struct CMUnitTest outbox_tests[] = {
        cmocka_unit_test(test_backoff_schedule),
        cmocka_unit_test_setup(test_empty_recipient_queues_nothing, clear_outbox),
        cmocka_unit_test_setup(test_claim_retry_and_lease, clear_outbox),
        cmocka_unit_test_setup(test_gives_up_after_a_day_then_resend, clear_outbox),
        cmocka_unit_test_setup(test_permanent_failure_at_once, clear_outbox),
        cmocka_unit_test_setup(test_crash_on_last_attempt_fails, clear_outbox),
        cmocka_unit_test_setup(test_concurrent_claims_are_disjoint, clear_outbox),
        cmocka_unit_test(test_every_kind_renders),
        cmocka_unit_test(test_rendering_escapes_html_not_text),
        cmocka_unit_test(test_unknown_kind_and_bad_payload),
        cmocka_unit_test_setup(test_deliver_to_mail_dir, clear_outbox),
    };
    int failed = cmocka_run_group_tests_name("mail_message", message_tests, NULL, NULL);
    failed += cmocka_run_group_tests_name("mail_outbox", outbox_tests, outbox_setup,
                                          outbox_teardown);
    return failed;
}
