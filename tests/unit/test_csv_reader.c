/* The streaming CSV reader: fields, quotes, line numbers, BOM, CRLF, UTF-8. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "import/import_int.h"

/* Read all records of text (fed step bytes at a time) into a flat
   description "line:f1|f2;line:f1|..."; returns the final status. */
static arcs_status read_all(const char *text, size_t len, size_t step, char *out,
                            size_t cap, arcs_err *err)
{
    arcs__memsrc src = {text, len, 0, step};
    arcs__csv *c = arcs__csv_new(arcs__memsrc_read, &src);
    arcs__csv_record rec;
    arcs_status st;
    size_t o = 0;

    assert_non_null(c);
    out[0] = '\0';
    for (;;) {
        st = arcs__csv_next(c, &rec, err);
        if (st != ARCS_OK || rec.nfields == 0)
            break;
        o += (size_t)snprintf(out + o, cap - o, "%llu:", (unsigned long long)rec.line);
        for (size_t i = 0; i < rec.nfields; i++) {
            assert_int_equal(strlen(rec.fields[i]), rec.lens[i]);
            o += (size_t)snprintf(out + o, cap - o, "%s%s", i ? "|" : "", rec.fields[i]);
        }
        o += (size_t)snprintf(out + o, cap - o, ";");
    }
    arcs__csv_free(c);
    return st;
}

static void check(const char *text, const char *want)
{
    char out[2048];
    arcs_err err;

    /* whole buffer, then one byte at a time: refills must not matter */
    assert_int_equal(read_all(text, strlen(text), 0, out, sizeof(out), &err), ARCS_OK);
    assert_string_equal(out, want);
    assert_int_equal(read_all(text, strlen(text), 1, out, sizeof(out), &err), ARCS_OK);
    assert_string_equal(out, want);
}

static void check_fails(const char *text, const char *msg_part)
{
    char out[2048];
    arcs_err err;

    arcs_err_clear(&err);
    assert_int_equal(read_all(text, strlen(text), 1, out, sizeof(out), &err),
                     ARCS_EINVAL);
    if (!strstr(err.msg, msg_part))
        fail_msg("message '%s' lacks '%s'", err.msg, msg_part);
}

static void test_plain_fields(void **state)
{
    (void)state;
    check("a,b,c\n1,2,3\n", "1:a|b|c;2:1|2|3;");
    check("a,,c\n,,\n", "1:a||c;2:||;");
    check("a,b", "1:a|b;"); /* no final newline */
}

static void test_crlf_and_empty_lines(void **state)
{
    (void)state;
    check("a,b\r\n1,2\r\n", "1:a|b;2:1|2;");
    check("a\n\n\nb\n", "1:a;4:b;");
    check("a\r\n\r\nb\r\n", "1:a;3:b;");
}

static void test_quotes(void **state)
{
    (void)state;
    check("\"a,b\",\"say \"\"hi\"\"\",\"\"\n", "1:a,b|say \"hi\"|;");
    /* newlines inside quotes count as physical lines */
    check("h\n\"one\ntwo\nthree\",x\nnext\n", "1:h;2:one\ntwo\nthree|x;5:next;");
    check("\"cr\r\nlf\"\r\nz\r\n", "1:cr\r\nlf;3:z;");
}

static void test_bom(void **state)
{
    (void)state;
    check("\xEF\xBB\xBFref,title\nA,B\n", "1:ref|title;2:A|B;");
    /* a BOM later in the file is data, not skipped */
    check("a\n\xEF\xBB\xBF"
          "b\n",
          "1:a;2:\xEF\xBB\xBF"
          "b;");
}

static void test_cyrillic(void **state)
{
    (void)state;
    check("\"Алматы, Қазақстан\",ok\n", "1:Алматы, Қазақстан|ok;");
}

static void test_malformed(void **state)
{
    (void)state;
    check_fails("a,b\nx\"y,z\n", "line 2: a double quote inside an unquoted field");
    check_fails("a\n\"open\nstill open", "line 2: a quoted field is never closed");
    check_fails("\"ab\"c,d\n", "line 1: text after a closing quote");
    check_fails("a\rb\n", "carriage return");
}

static void test_invalid_utf8(void **state)
{
    const char text[] = "ok,\xC3\x28,x\nnul,a\0b,y\n";
    arcs__memsrc src = {text, sizeof(text) - 1, 0, 0};
    arcs__csv *c = arcs__csv_new(arcs__memsrc_read, &src);
    arcs__csv_record rec;
    arcs_err err;

    (void)state;
    assert_int_equal(arcs__csv_next(c, &rec, &err), ARCS_OK);
    assert_int_equal(rec.nfields, 3);
    assert_int_equal(rec.bad_field, 1);
    assert_int_equal(rec.bad_offset, 0);
    assert_int_equal(rec.bad_nul, 0);
    assert_int_equal(arcs__csv_next(c, &rec, &err), ARCS_OK);
    assert_int_equal(rec.line, 2);
    assert_int_equal(rec.bad_field, 1);
    assert_int_equal(rec.bad_offset, 1);
    assert_int_equal(rec.bad_nul, 1);
    assert_int_equal(arcs__csv_next(c, &rec, &err), ARCS_OK);
    assert_int_equal(rec.nfields, 0);
    arcs__csv_free(c);
}

static void test_text_check(void **state)
{
    size_t bad;
    int nul;

    (void)state;
    assert_int_equal(arcs__text_check("Қ😀", strlen("Қ😀"), &bad, &nul), 0);
    assert_int_equal(arcs__text_check("\xC0\x80", 2, &bad, &nul), 1);      /* overlong */
    assert_int_equal(arcs__text_check("a\xED\xA0\x80", 4, &bad, &nul), 1); /* surrogate */
    assert_int_equal(bad, 1);
    assert_int_equal(arcs__text_check("\xF4\x90\x80\x80", 4, &bad, &nul),
                     1);                                                /* > U+10FFFF */
    assert_int_equal(arcs__text_check("ab\xE2\x82", 4, &bad, &nul), 1); /* truncated */
    assert_int_equal(arcs__utf8_chars("Алматы", strlen("Алматы")), 6);
}

static void test_too_many_fields(void **state)
{
    char text[400];
    size_t o = 0;

    (void)state;
    for (int i = 0; i < ARCS__CSV_MAX_FIELDS + 1; i++)
        text[o++] = ',';
    text[o++] = '\n';
    text[o] = '\0';
    check_fails(text, "more than 64 fields");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_fields),
        cmocka_unit_test(test_crlf_and_empty_lines),
        cmocka_unit_test(test_quotes),
        cmocka_unit_test(test_bom),
        cmocka_unit_test(test_cyrillic),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_text_check),
        cmocka_unit_test(test_too_many_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
