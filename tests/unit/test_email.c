#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "core/email.h"

static void test_valid(void **state)
{
    (void)state;
    assert_true(pp_email_is_valid("jeanne.dupont@example.fr"));
    assert_true(pp_email_is_valid("musee+reservations@ville-de-lyon.fr"));
    assert_true(pp_email_is_valid("A.B_C-d@Sub.Example.COM"));
    assert_true(pp_email_is_valid("x@a.b.c.passculture.app"));
    assert_true(pp_email_is_valid("o'brien@example.ie"));
    assert_true(pp_email_is_valid("contact@xn--bcher-kva.fr"));
    assert_true(pp_email_is_valid("contact@123.example.fr"));
}

static void test_cr_lf_refused(void **state)
{
    (void)state;
    assert_false(pp_email_is_valid("a@example.fr\r\nBcc: victim@example.fr"));
    assert_false(pp_email_is_valid("a@example.fr\n"));
    assert_false(pp_email_is_valid("a@example.fr\r"));
    assert_false(pp_email_is_valid("a\r\n@example.fr"));
    assert_false(pp_email_is_valid("a@exam\nple.fr"));
}

static void test_no_dot_in_domain(void **state)
{
    (void)state;
    assert_false(pp_email_is_valid("jeanne@localhost"));
    assert_false(pp_email_is_valid("jeanne.dupont@examplefr"));
}

static void test_at_count(void **state)
{
    (void)state;
    assert_false(pp_email_is_valid("jeanne@@example.fr"));
    assert_false(pp_email_is_valid("jeanne@dupont@example.fr"));
    assert_false(pp_email_is_valid("jeanne.example.fr"));
    assert_false(pp_email_is_valid("@example.fr"));
    assert_false(pp_email_is_valid("jeanne@"));
    assert_false(pp_email_is_valid("@"));
}

static void test_local_part(void **state)
{
    (void)state;
    assert_false(pp_email_is_valid("jeanne dupont@example.fr"));
    assert_false(pp_email_is_valid("\"jeanne\"@example.fr"));
    assert_false(pp_email_is_valid("<jeanne>@example.fr"));
    assert_false(pp_email_is_valid("a,b@example.fr"));
    assert_false(pp_email_is_valid("a;b@example.fr"));
    assert_false(pp_email_is_valid("a:b@example.fr"));
    assert_false(pp_email_is_valid(".jeanne@example.fr"));
    assert_false(pp_email_is_valid("jeanne.@example.fr"));
    assert_false(pp_email_is_valid("jea..nne@example.fr"));
    assert_false(pp_email_is_valid("j\xc3\xa9r\xc3\xb4me@example.fr"));
    assert_false(pp_email_is_valid("a\tb@example.fr"));

    char local[80];
    memset(local, 'a', 64);
    memcpy(local + 64, "@example.fr", sizeof "@example.fr");
    assert_true(pp_email_is_valid(local));
    memset(local, 'a', 65);
    memcpy(local + 65, "@example.fr", sizeof "@example.fr");
    assert_false(pp_email_is_valid(local));
}

static void test_domain(void **state)
{
    (void)state;
    assert_false(pp_email_is_valid("a@.example.fr"));
    assert_false(pp_email_is_valid("a@example.fr."));
    assert_false(pp_email_is_valid("a@example..fr"));
    assert_false(pp_email_is_valid("a@-example.fr"));
    assert_false(pp_email_is_valid("a@example-.fr"));
    assert_false(pp_email_is_valid("a@exa_mple.fr"));
    assert_false(pp_email_is_valid("a@example.f"));
    assert_false(pp_email_is_valid("a@192.168.0.1"));
    assert_false(pp_email_is_valid("a@[192.168.0.1]"));
    assert_false(pp_email_is_valid("a@exam ple.fr"));
    assert_false(pp_email_is_valid("a@m\xc3\xa9tropole.fr"));
}

static void test_length_limit(void **state)
{
    (void)state;
    /* 60 + '@' + 3 × (60 + '.') + 10 = 254 bytes. */
    char s[300];
    size_t n = 0;
    memset(s + n, 'a', 60);
    n += 60;
    s[n++] = '@';
    for (int i = 0; i < 3; i++) {
        memset(s + n, 'b', 60);
        n += 60;
        s[n++] = '.';
    }
    memset(s + n, 'c', 10);
    n += 10;
    s[n] = '\0';
    assert_int_equal(n, 254);
    assert_true(pp_email_is_valid(s));
    s[n++] = 'c';
    s[n] = '\0';
    assert_false(pp_email_is_valid(s));

    /* A 64-byte label is too long even when the address is short; 63 is fine. */
    char label[100];
    memcpy(label, "a@", 2);
    memset(label + 2, 'b', 64);
    memcpy(label + 66, ".fr", sizeof ".fr");
    assert_false(pp_email_is_valid(label));
    memcpy(label + 65, ".fr", sizeof ".fr");
    assert_true(pp_email_is_valid(label));
}

static void test_null_empty(void **state)
{
    (void)state;
    assert_false(pp_email_is_valid(NULL));
    assert_false(pp_email_is_valid(""));
    assert_null(pp_email_normalize(NULL));
}

static void test_normalize(void **state)
{
    (void)state;
    char a[] = "  Jeanne.DUPONT@Example.FR \t";
    assert_ptr_equal(pp_email_normalize(a), a);
    assert_string_equal(a, "jeanne.dupont@example.fr");
    assert_true(pp_email_is_valid(a));

    char b[] = "already@lower.fr";
    assert_string_equal(pp_email_normalize(b), "already@lower.fr");

    char c[] = "   ";
    assert_string_equal(pp_email_normalize(c), "");

    char d[] = "";
    assert_string_equal(pp_email_normalize(d), "");

    /* Inner spaces are kept: the address stays invalid rather than silently changed. */
    char e[] = " Jeanne Dupont@example.fr ";
    assert_string_equal(pp_email_normalize(e), "jeanne dupont@example.fr");
    assert_false(pp_email_is_valid(e));

    /* Only ASCII is folded; CR/LF are not trimmed, so validation still refuses them. */
    char f[] = "J\xc3\x89R\xc3\x94ME@EXAMPLE.FR\r\n";
    assert_string_equal(pp_email_normalize(f), "j\xc3\x89r\xc3\x94me@example.fr\r\n");
    assert_false(pp_email_is_valid(f));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_cr_lf_refused),
        cmocka_unit_test(test_no_dot_in_domain),
        cmocka_unit_test(test_at_count),
        cmocka_unit_test(test_local_part),
        cmocka_unit_test(test_domain),
        cmocka_unit_test(test_length_limit),
        cmocka_unit_test(test_null_empty),
        cmocka_unit_test(test_normalize),
    };
    return cmocka_run_group_tests_name("email", tests, NULL, NULL);
}
