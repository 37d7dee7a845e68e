/* The streaming JSON import reader: shape, escapes, surrogates, limits. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/import_int.h"

static const char *const sections[] = {"cases", "assets", NULL};

/* Rows of text as "section[i]{k=v,k=[v],k=null}" joined; returns the status. */
static arcs_status read_all(const char *text, size_t len, size_t step, char *out,
                            size_t cap, arcs_err *err)
{
    arcs__memsrc src = {text, len, 0, step};
    arcs__jreader *j = arcs__jreader_new(arcs__memsrc_read, &src, sections);
    arcs__jrow row;
    arcs_status st;
    size_t o = 0;

    assert_non_null(j);
    out[0] = '\0';
    for (;;) {
        st = arcs__jreader_next(j, &row, err);
        if (st != ARCS_OK || !row.section)
            break;
        o += (size_t)snprintf(out + o, cap - o, "%s[%llu]{", row.section,
                              (unsigned long long)row.index);
        for (size_t i = 0; i < row.nfields; i++) {
            if (!row.values[i])
                o += (size_t)snprintf(out + o, cap - o, "%s%s=null", i ? "," : "",
                                      row.keys[i]);
            else
                o += (size_t)snprintf(out + o, cap - o,
                                      row.is_array[i] ? "%s%s=[%s]" : "%s%s=%s",
                                      i ? "," : "", row.keys[i], row.values[i]);
        }
        o += (size_t)snprintf(out + o, cap - o, "}");
    }
    arcs__jreader_free(j);
    return st;
}

static void check(const char *text, const char *want)
{
    char out[4096];
    arcs_err err;

    assert_int_equal(read_all(text, strlen(text), 0, out, sizeof(out), &err), ARCS_OK);
    assert_string_equal(out, want);
    assert_int_equal(read_all(text, strlen(text), 1, out, sizeof(out), &err), ARCS_OK);
    assert_string_equal(out, want);
}

static void check_fails(const char *text, const char *msg_part)
{
    char out[4096];
    arcs_err err;

    arcs_err_clear(&err);
    assert_int_equal(read_all(text, strlen(text), 3, out, sizeof(out), &err),
                     ARCS_EINVAL);
    if (!strstr(err.msg, msg_part))
        fail_msg("message '%s' lacks '%s'", err.msg, msg_part);
}

static void test_shape(void **state)
{
    (void)state;
    check("{}", "");
    check(" {\"cases\": [], \"assets\": []} \n", "");
    check("{\"cases\":[{\"ref\":\"A\",\"title\":\"T\"},{}],\"assets\":[{\"case_ref\":"
          "\"A\"}]}",
          "cases[0]{ref=A,title=T}cases[1]{}assets[0]{case_ref=A}");
    check("{\"assets\":[{\"a\":null}],\"cases\":[{\"offences\":[\"bribery\",\"other\"],"
          "\"jurisdictions\":[]}]}",
          "assets[0]{a=null}cases[0]{offences=[bribery;other],jurisdictions=[]}");
    check("\xEF\xBB\xBF{\"cases\":[{\"ref\":\"B\"}]}", "cases[0]{ref=B}");
}

static void test_escapes(void **state)
{
    (void)state;
    check("{\"cases\":[{\"t\":\"q\\\"b\\\\s\\/n\\nt\\tr\\rb\\bf\\f\"}]}",
          "cases[0]{t=q\"b\\s/n\nt\tr\rb\bf\f}");
    check("{\"cases\":[{\"t\":\"\\u0410\\u043b\\u043c\\u0430\\u0442\\u044b\"}]}",
          "cases[0]{t=Алматы}");
    /* a surrogate pair is one character: U+1F600 */
    check("{\"cases\":[{\"t\":\"\\ud83d\\ude00\"}]}", "cases[0]{t=\xF0\x9F\x98\x80}");
    check("{\"cases\":[{\"t\":\"Қазақстан\"}]}", "cases[0]{t=Қазақстан}");
}

static void test_bad_strings(void **state)
{
    (void)state;
    check_fails("{\"cases\":[{\"t\":\"\\ud83d\"}]}", "surrogate");
    check_fails("{\"cases\":[{\"t\":\"\\ude00\"}]}", "lone low surrogate");
    check_fails("{\"cases\":[{\"t\":\"\\ud83d\\u0041\"}]}", "surrogate");
    check_fails("{\"cases\":[{\"t\":\"\\x\"}]}", "unknown escape");
    check_fails("{\"cases\":[{\"t\":\"\\u12G4\"}]}", "four hex digits");
    check_fails("{\"cases\":[{\"t\":\"a\nb\"}]}", "control character");
    check_fails("{\"cases\":[{\"t\":\"\xC3\x28\"}]}", "not valid UTF-8");
    check_fails("{\"cases\":[{\"t\":\"\\u0000\"}]}", "NUL");
    check_fails("{\"cases\":[{\"t\":\"open", "never closed");
}

static void test_bad_shapes(void **state)
{
    (void)state;
    check_fails("[]", "top level must be an object");
    check_fails("\"x\"", "top level must be an object");
    check_fails("", "ends early");
    check_fails("{\"people\":[]}", "top-level key 'people' is not a section");
    check_fails("{\"cases\":[],\"cases\":[]}", "appears twice");
    check_fails("{\"cases\":{}}", "must be an array of objects");
    check_fails("{\"cases\":[\"x\"]}", "cases[0] is a string");
    check_fails("{\"assets\":[{},{\"value\":1250000.00}]}",
                "assets[1].value: a JSON number");
    check_fails("{\"assets\":[{\"value\":true}]}", "assets[0].value: true/false");
    check_fails("{\"assets\":[{\"v\":{\"x\":\"y\"}}]}", "an object");
    check_fails("{\"cases\":[{\"ref\":\"a\",\"ref\":\"b\"}]}",
                "cases[0].ref: the key appears twice");
    check_fails("{\"cases\":[]} x", "text after the end");
    check_fails("{\"cases\":[{\"t\":\"a\"} {}]}", "expected ',' or ']'");
    check_fails("{\"cases\":[{\"offences\":[\"a\",1]}]}", "the list holds a JSON number");
}

static void test_nesting_limit(void **state)
{
    /* deep nesting is refused at the first level the grammar does not allow,
       without recursion: 100000 brackets cost nothing */
    size_t n = 100000, o = 0;
    char *text = malloc(n + 64);

    (void)state;
    assert_non_null(text);
    o += (size_t)snprintf(text, 64, "{\"cases\":[{\"offences\":[");
    for (size_t i = 0; i < n; i++)
        text[o++] = '[';
    text[o] = '\0';
    check_fails(text, "the list holds an array");
    free(text);
}

static void test_many_rows_bounded(void **state)
{
    /* many rows pass through one reader; each row is handed out alone */
    size_t rows = 20000, o = 0, cap = rows * 40 + 64;
    char *text = malloc(cap);
    arcs__memsrc src;
    arcs__jreader *j;
    arcs__jrow row;
    arcs_err err;
    uint64_t seen = 0;

    (void)state;
    assert_non_null(text);
    o += (size_t)snprintf(text + o, cap - o, "{\"assets\":[");
    for (size_t i = 0; i < rows; i++)
        o += (size_t)snprintf(text + o, cap - o, "%s{\"external_ref\":\"X-%zu\"}",
                              i ? "," : "", i);
    o += (size_t)snprintf(text + o, cap - o, "]}");
    src = (arcs__memsrc){text, o, 0, 0};
    j = arcs__jreader_new(arcs__memsrc_read, &src, sections);
    for (;;) {
        char want[32];
        assert_int_equal(arcs__jreader_next(j, &row, &err), ARCS_OK);
        if (!row.section)
            break;
        snprintf(want, sizeof(want), "X-%llu", (unsigned long long)seen);
        assert_int_equal(row.index, seen);
        assert_string_equal(row.values[0], want);
        seen++;
    }
    assert_int_equal(seen, rows);
    arcs__jreader_free(j);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shape),         cmocka_unit_test(test_escapes),
        cmocka_unit_test(test_bad_strings),   cmocka_unit_test(test_bad_shapes),
        cmocka_unit_test(test_nesting_limit), cmocka_unit_test(test_many_rows_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
