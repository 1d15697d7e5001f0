/* The "Justificatif de remboursement" PDF, read back by poppler (pdftotext, pdfinfo). */
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "export/invoice_pdf.h"

#define IBAN "FR76 **** **** **** **** ***2 345"

/* 2026-03-15 23:30 UTC is already the 16th in Paris. */
#define INVOICE_DATE 1773617400
#define PERIOD_START 1772319600 /* 01/03/2026 00:00 Paris */
#define PERIOD_END 1773529200   /* 15/03/2026 00:00 Paris */
#define TRANSFER_DATE 1773738000

/*
 * Under the sanitizer build: fontconfig (below pango) keeps its font caches for the life of
 * the process, and LeakSanitizer reports them. They do not grow with use (the same ~90 kB
 * after one render or forty), so allocations made inside fontconfig are not counted.
 */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}

static const struct pp_invoice_line general[] = {
    {"Réservations", 10000, 2000000, 0, 2000000},
    {"Réservations", 9500, 23500, 1175, 22325},
};
static const struct pp_invoice_line books[] = {
    {"Réservations", 10000, 4550, 0, 4550},
};
static const struct pp_invoice_line custom[] = {
    {"Réservations", -1, 3000, 1000, 2000},
    {"Gestes commerciaux", -1, 0, 0, 0},
    {"Incidents", 10000, -1000, 0, -1000},
};
static const struct pp_invoice_group groups[] = {
    {"Barème général", general, 2},
    {"Barème livres", books, 1},
    {"Barème dérogatoire", custom, 3},
};
static const struct pp_invoice_transfer transfers[] = {
    {4242, TRANSFER_DATE, 2027875},
};

static struct pp_invoice_doc sample_doc(void)
{
    return (struct pp_invoice_doc){
        .reference = "F260000001",
        .date = INVOICE_DATE,
        .batch_label = "VIR3",
        .offerer_name = "Librairie des Canuts",
        .offerer_address = "1 place de la Mairie, 69001 Lyon",
        .offerer_siren = "123456782",
        .siret = "12345678200010",
        .bank_label = "Compte principal",
        .iban_masked = IBAN,
        .period_start = PERIOD_START,
        .period_end = PERIOD_END,
        .groups = groups,
        .ngroups = 3,
        .transfers = transfers,
        .ntransfers = 1,
    };
}

static char *render_to_file(const struct pp_invoice_doc *doc)
{
    char *pdf = NULL;
    size_t len = 0;
    assert_int_equal(pp_invoice_pdf_render(doc, &pdf, &len), PP_OK);
    assert_non_null(pdf);
    assert_true(len > 1000);
    assert_memory_equal(pdf, "%PDF-", 5);
    const char *tmp = getenv("TMPDIR");
    char *path = malloc(512);
    assert_non_null(path);
    snprintf(path, 512, "%s/test_invoice_pdf_XXXXXX", tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, pdf, len), (ssize_t)len);
    close(fd);
    free(pdf);
    return path;
}

/* Output of `@cmd @path @tail`, with the no-break spaces (U+00A0, U+202F) made plain spaces. */
static char *run(const char *cmd, const char *path, const char *tail)
{
    char line[1024];
    snprintf(line, sizeof line, "%s '%s' %s 2>&1", cmd, path, tail);
    FILE *f = popen(line, "r");
    assert_non_null(f);
    size_t cap = 1 << 16, len = 0, n;
    char *out = malloc(cap);
    assert_non_null(out);
    while ((n = fread(out + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (cap - len < 4096) {
            cap *= 2;
            out = realloc(out, cap);
            assert_non_null(out);
        }
    }
    assert_int_equal(pclose(f), 0);
    out[len] = '\0';
    size_t k = 0;
    for (size_t i = 0; i < len;) {
        if ((unsigned char)out[i] == 0xC2 && (unsigned char)out[i + 1] == 0xA0) {
            out[k++] = ' ';
            i += 2;
        } else if (memcmp(out + i, "\u202f", 3) == 0) {
            out[k++] = ' ';
            i += 3;
        } else {
            out[k++] = out[i++];
        }
    }
    out[k] = '\0';
    return out;
}

/* Runs of white space (line breaks included) become one space: wrapped text reads as one line. */
static void flatten(char *s)
{
    size_t k = 0;
    for (size_t i = 0; s[i] != '\0'; i++) {
        bool blank = s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\f';
        if (blank && (k == 0 || s[k - 1] == ' '))
            continue;
        s[k++] = blank ? ' ' : s[i];
    }
    s[k] = '\0';
}

static int pdf_pages(const char *path)
{
    char *info = run("pdfinfo", path, "");
    const char *p = strstr(info, "Pages:");
    assert_non_null(p);
    int n = (int)strtol(p + 6, NULL, 10);
    free(info);
    return n;
}

static void assert_contains(const char *text, const char *needle)
{
    if (strstr(text, needle) == NULL) {
        /* cmocka cuts long messages: the text goes to stderr whole */
        fprintf(stderr, "%s\n", text);
        fail_msg("\"%s\" not found in the text above", needle);
    }
}

static size_t count(const char *text, const char *needle)
{
    size_t n = 0;
    for (const char *p = text; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

static void test_content(void **state)
{
    (void)state;
    struct pp_invoice_doc doc = sample_doc();
    char *path = render_to_file(&doc);
    assert_int_equal(pdf_pages(path), 1);
    char *text = run("pdftotext -layout", path, "-");
    /* the invoice date is read in Paris time (23:30 UTC on the 15th) */
    assert_contains(text, "Relevé n°F260000001 du 16/03/2026");
    assert_contains(text, "Justificatif de remboursement");
    assert_contains(text, "N° de virement : VIR3");
    assert_contains(text, "Librairie des Canuts");
    assert_contains(text, "1 place de la Mairie, 69001 Lyon");
    assert_contains(text, "SIREN : 123456782");
    assert_contains(text, "SIRET : 12345678200010");
    assert_contains(text, "Compte bancaire : Compte principal");
    assert_contains(text, "IBAN : " IBAN);
    assert_contains(text, "Période : du 01/03/2026 au 15/03/2026");
    assert_contains(text, "Détail des offres remboursées incluant la contribution offreur");
    assert_contains(text, "Barème général");
    assert_contains(text, "Barème dérogatoire");
    assert_contains(text, "Typologie");
    assert_contains(text, "95 %");
    assert_contains(text, "20 235,00 €");
    assert_int_equal(count(text, "SOUS-TOTAL"), 3);
    assert_contains(text, "TOTAL RÈGLEMENT PASS CULTURE");
    assert_contains(text, "Virement " IBAN);
    /* -raw keeps each table row on one line, in column order: whole rows can be checked */
    char *raw = run("pdftotext -raw", path, "-");
    flatten(raw);
    assert_contains(raw, "Réservations 100 % 20 000,00 € 0 % 0,00 € 20 000,00 €");
    assert_contains(raw, "Réservations 95 % 235,00 € 5 % 11,75 € 223,25 €");
    assert_contains(raw, "SOUS-TOTAL 20 235,00 € 11,75 € 20 223,25 €");
    assert_contains(raw, "SOUS-TOTAL 45,50 € 0,00 € 45,50 €");
    /* a fixed amount shows its effective rate (20,00 € of 30,00 €), or a dash on nothing */
    assert_contains(raw, "Réservations 66,67 % 30,00 € 33,33 % 10,00 € 20,00 €");
    assert_contains(raw, "Gestes commerciaux — 0,00 € — 0,00 € 0,00 €");
    assert_contains(raw, "Incidents 100 % -10,00 € 0 % 0,00 € -10,00 €");
    assert_contains(raw, "SOUS-TOTAL 20,00 € 10,00 € 10,00 €");
    assert_contains(raw, "TOTAL 20 300,50 € 21,75 € 20 278,75 €");
    assert_contains(raw, "au sens de l'article 267 du Code général des impôts");
    assert_contains(raw, "toutes taxes comprises (TTC)");
    assert_contains(raw, "Règlements effectués correspondant au montant remboursé");
    assert_contains(raw, "Virement " IBAN " 4242 17/03/2026 20 278,75 €");
    assert_contains(raw, "TOTAL RÈGLEMENT PASS CULTURE 20 278,75 €");
    free(raw);
    assert_contains(text, "pass Culture");
    assert_contains(text, "1/1");
    free(text);
    unlink(path);
    free(path);
}

static void test_same_bytes(void **state)
{
    (void)state;
    struct pp_invoice_doc doc = sample_doc();
    char *a = NULL, *b = NULL;
    size_t alen = 0, blen = 0;
    assert_int_equal(pp_invoice_pdf_render(&doc, &a, &alen), PP_OK);
    assert_int_equal(pp_invoice_pdf_render(&doc, &b, &blen), PP_OK);
    assert_int_equal(alen, blen);
    assert_memory_equal(a, b, alen);
    assert_null(memmem(a, alen, "/CreationDate", 13));
    free(a);
    free(b);
}

static void test_many_lines(void **state)
{
    (void)state;
    enum { N = 200 };
    static struct pp_invoice_line lines[N];
    static char labels[N][32];
    for (int i = 0; i < N; i++) {
        snprintf(labels[i], sizeof labels[i], "Ligne %03d", i + 1);
        int rate = i % 7 == 6 ? 9250 : 10000;
        int64_t booked = 1000 + i;
        int64_t reimbursed = booked * rate / 10000;
        lines[i] = (struct pp_invoice_line){labels[i], rate, booked, booked - reimbursed,
                                            reimbursed};
    }
    struct pp_invoice_group one = {"Barème général", lines, N};
    struct pp_invoice_doc doc = sample_doc();
    doc.groups = &one;
    doc.ngroups = 1;
    char *path = render_to_file(&doc);
    int pages = pdf_pages(path);
    assert_true(pages >= 2);
    char *text = run("pdftotext -layout", path, "-");
    for (int i = 0; i < N; i++)
        assert_contains(text, labels[i]);
    assert_contains(text, "92,5 %");
    char num[32];
    for (int p = 1; p <= pages; p++) {
        snprintf(num, sizeof num, "%d/%d", p, pages);
        assert_contains(text, num);
    }
    /* the table header is repeated on every page the table runs over */
    assert_true(count(text, "Typologie") >= 2);
    assert_int_equal(count(text, "Relevé n°F260000001"), (size_t)pages);
    assert_contains(text, "TOTAL RÈGLEMENT PASS CULTURE");
    free(text);
    unlink(path);
    free(path);
}

static void test_bad_input(void **state)
{
    (void)state;
    char *pdf = (char *)1;
    size_t len = 1;
    assert_int_equal(pp_invoice_pdf_render(NULL, &pdf, &len), PP_EINVAL);
    assert_null(pdf);
    assert_int_equal(len, 0);
    struct pp_invoice_doc doc = sample_doc();
    doc.groups = NULL;
    assert_int_equal(pp_invoice_pdf_render(&doc, &pdf, &len), PP_EINVAL);
    /* empty and missing fields still give a document */
    struct pp_invoice_doc bare = {0};
    assert_int_equal(pp_invoice_pdf_render(&bare, &pdf, &len), PP_OK);
    assert_true(len > 0);
    free(pdf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_content),
        cmocka_unit_test(test_same_bytes),
        cmocka_unit_test(test_many_lines),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
