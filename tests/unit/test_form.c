/* The workspace's form and query decoding (web/form.c) and the one HTML
   escaper its pages write through (arcs_html_escape). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "arcs/report.h"
#include "form.h"

static int parse(web_form *f, const char *s)
{
    return web_form_parse(f, s, strlen(s));
}

static void test_decode(void **state)
{
    web_form f;
    const char *all[4];

    (void)state;
    assert_int_equal(parse(&f, "ref=ARC-1&title=Kazakh+funds%21&offence=bribery&&offence="
                               "money_laundering&flag&jurisdiction=victim%3AKZ"),
                     0);
    assert_int_equal(f.n, 6);
    assert_string_equal(web_form_get(&f, "title"), "Kazakh funds!");
    assert_string_equal(web_form_get(&f, "flag"), "");
    assert_null(web_form_get_nonempty(&f, "flag"));
    assert_null(web_form_get(&f, "missing"));
    assert_string_equal(web_form_get(&f, "jurisdiction"), "victim:KZ");
    assert_int_equal(web_form_all(&f, "offence", all, 4), 2);
    assert_string_equal(all[0], "bribery");
    assert_string_equal(all[1], "money_laundering");
    web_form_free(&f);

    /* Cyrillic, escaped and raw; markup stays text */
    assert_int_equal(parse(&f, "name=%D0%98%D0%B2%D0%B0%D0%BD&x=\xd0\x98&y=%3Cscript%3E"),
                     0);
    assert_string_equal(web_form_get(&f, "name"), "Иван");
    assert_string_equal(web_form_get(&f, "x"), "И");
    assert_string_equal(web_form_get(&f, "y"), "<script>");
    web_form_free(&f);
}

static void test_malformed(void **state)
{
    static const char *const bad[] = {
        "a=%ZZ",          /* not hex */
        "a=%4",           /* cut short */
        "a=%00",          /* NUL */
        "a=%C0%80",       /* overlong NUL */
        "a=%ED%A0%80",    /* a surrogate */
        "a=%F4%90%80%80", /* beyond U+10FFFF */
        "a=%E2%82",       /* half a character */
        "%FF=1",          /* not UTF-8 in a name */
    };
    web_form f;
    char *many;

    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(parse(&f, bad[i]), -1);
        web_form_free(&f);
    }
    /* more fields than a form has */
    many = malloc(4 * (WEB_FORM_MAX_FIELDS + 1) + 1);
    assert_non_null(many);
    for (int i = 0; i <= WEB_FORM_MAX_FIELDS; i++)
        memcpy(many + 4 * i, "a=1&", 4);
    many[4 * (WEB_FORM_MAX_FIELDS + 1)] = '\0';
    assert_int_equal(parse(&f, many), -1);
    web_form_free(&f);
    free(many);
}

static void test_escape(void **state)
{
    size_t n = 0;
    char *e;

    (void)state;
    e = arcs_html_escape("\"><img src=x onerror=alert(1)> & 'Иван'\x01", &n);
    assert_non_null(e);
    assert_string_equal(e, "&quot;&gt;&lt;img src=x onerror=alert(1)&gt; &amp; "
                           "&#39;Иван&#39;&#xFFFD;");
    assert_int_equal(n, strlen(e));
    free(e);
    e = arcs_html_escape(NULL, NULL);
    assert_string_equal(e, "");
    free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_escape),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
