/* Canonical JSON: RFC 8785 examples that fit the no-number profile, round
   trips and rejects. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "arcs/canonical.h"

/* Canonical bytes of text (parsed with flags), or NULL with the status in *st. */
static char *canon(const char *text, int flags, arcs_status *st)
{
    char *out = NULL;
    arcs_err err;

    *st = arcs_json_canonicalize(&out, NULL, text, strlen(text), flags, &err);
    return out;
}

static void expect_canon(const char *in, const char *want)
{
    arcs_status st;
    char *out = canon(in, 0, &st);

    assert_int_equal(st, ARCS_OK);
    assert_string_equal(out, want);
    /* the output is canonical, and canonicalizing it changes nothing */
    assert_int_equal(arcs_json_is_canonical(out, strlen(out), NULL), ARCS_OK);
    free(out);
}

static void test_rfc8785_sorting(void **state)
{
    (void)state;
    /* RFC 8785 §3.2.3: the astral-plane key (U+1F600, surrogates D83D DE00)
       sorts before U+FB33, unlike in UTF-8 byte order. */
    expect_canon("{\n"
                 "  \"\\u20ac\": \"Euro Sign\",\n"
                 "  \"\\r\": \"Carriage Return\",\n"
                 "  \"\\ufb33\": \"Hebrew Letter Dalet With Dagesh\",\n"
                 "  \"1\": \"One\",\n"
                 "  \"\\ud83d\\ude00\": \"Emoji: Grinning Face\",\n"
                 "  \"\\u0080\": \"Control\",\n"
                 "  \"\\u00f6\": \"Latin Small Letter O With Diaeresis\"\n"
                 "}",
                 "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\xC2\x80\":\"Control\","
                 "\"\xC3\xB6\":\"Latin Small Letter O With Diaeresis\","
                 "\"\xE2\x82\xAC\":\"Euro Sign\","
                 "\"\xF0\x9F\x98\x80\":\"Emoji: Grinning Face\","
                 "\"\xEF\xAC\xB3\":\"Hebrew Letter Dalet With Dagesh\"}");
    /* nested objects are sorted too; arrays keep their order */
    expect_canon("{\"b\":[\"z\",\"a\"],\"a\":{\"y\":null,\"x\":true}}",
                 "{\"a\":{\"x\":true,\"y\":null},\"b\":[\"z\",\"a\"]}");
    /* a prefix sorts first */
    expect_canon("{\"ab\":\"1\",\"a\":\"2\",\"\":\"3\"}",
                 "{\"\":\"3\",\"a\":\"2\",\"ab\":\"1\"}");
}

static void test_rfc8785_strings(void **state)
{
    (void)state;
    /* RFC 8785 §3.2.2.2 */
    expect_canon(
        "{\"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\"}",
        "{\"string\":\"\xE2\x82\xAC$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
    expect_canon("[null, true, false]", "[null,true,false]");
    /* every control character */
    expect_canon("\"\\u0000\\u0001\\b\\t\\n\\u000b\\f\\r\\u001f\\u007f\"",
                 "\"\\u0000\\u0001\\b\\t\\n\\u000b\\f\\r\\u001f\x7f\"");
    expect_canon("\"\\uD834\\uDD1E\"", "\"\xF0\x9D\x84\x9E\"");
    expect_canon("\"caf\xC3\xA9 / \xE2\x82\xB8\"", "\"caf\xC3\xA9 / \xE2\x82\xB8\"");
    expect_canon("{}", "{}");
    expect_canon("[]", "[]");
    expect_canon(" [ { } , [ ] ] ", "[{},[]]");
}

static void test_rejects(void **state)
{
    static const char *bad[] = {
        "",
        "   ",
        "1",
        "{\"amount\":1250000}",
        "[1.5]",
        "{\"a\":\"1\",\"a\":\"2\"}",
        "{\"a\":{\"b\":null,\"b\":null}}",
        "\"\xC3\"",
        "\"\xC0\xAF\"",         /* overlong '/' */
        "\"\xE0\x80\xAF\"",     /* overlong */
        "\"\xED\xA0\x80\"",     /* encoded surrogate */
        "\"\xF4\x90\x80\x80\"", /* above U+10FFFF */
        "\"\xFF\"",
        "\"\\ud800\"",
        "\"\\udc00\"",
        "\"\\ud800\\u0041\"",
        "\"\\ud800x\"",
        "\"\\x\"",
        "\"\\u12\"",
        "\"a\tb\"",
        "\"abc",
        "{\"a\":true} x",
        "{\"a\":true}{}",
        "[true,]",
        "{\"a\":true,}",
        "{a:true}",
        "[tru]",
        "nul",
        "{\"a\" true}",
        "\xEF\xBB\xBF{}", /* BOM */
        "[\"a\"\"b\"]",
    };
    arcs_json *v = NULL;
    arcs_err err;

    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        arcs_status st = arcs_json_parse(&v, bad[i], strlen(bad[i]), 0, &err);
        if (st != ARCS_EINVAL)
            fail_msg("input %zu accepted: %s", i, bad[i]);
        assert_null(v);
        assert_true(strlen(err.msg) > 0);
    }
    /* a NUL byte inside input is not a string terminator */
    assert_int_equal(arcs_json_parse(&v, "\"a\0b\"", 5, 0, &err), ARCS_EINVAL);
    assert_int_equal(arcs_json_parse(&v, "{}\0", 3, 0, &err), ARCS_EINVAL);
}

static char *nest(int depth)
{
    char *s = malloc((size_t)depth * 2 + 1);

    for (int i = 0; i < depth; i++) {
        s[i] = '[';
        s[2 * depth - 1 - i] = ']';
    }
    s[2 * depth] = '\0';
    return s;
}

static void test_depth(void **state)
{
    arcs_json *v = NULL;
    char *ok = nest(ARCS_JSON_MAX_DEPTH), *deep = nest(ARCS_JSON_MAX_DEPTH + 1),
         *huge = nest(100000);

    (void)state;
    assert_int_equal(arcs_json_parse(&v, ok, strlen(ok), 0, NULL), ARCS_OK);
    arcs_json_free(v);
    assert_int_equal(arcs_json_parse(&v, deep, strlen(deep), 0, NULL), ARCS_EINVAL);
    assert_int_equal(arcs_json_parse(&v, huge, strlen(huge), 0, NULL), ARCS_EINVAL);
    free(ok);
    free(deep);
    free(huge);
}

static void test_is_canonical(void **state)
{
    static const char *not_canon[] = {
        "{\"b\":null,\"a\":null}",
        "{ \"a\":null}",
        "[null, true]",
        "\"\\/\"",
        "\"\\u0041\"",
        "\"\\u000A\"",
        "\"\\u000a\"",
        "[null]\n",
        "{\"\xEF\xAC\xB3\":null,\"\xF0\x9F\x98\x80\":null}",
    };
    arcs_err err;

    (void)state;
    for (size_t i = 0; i < sizeof(not_canon) / sizeof(not_canon[0]); i++)
        if (arcs_json_is_canonical(not_canon[i], strlen(not_canon[i]), &err) !=
            ARCS_EVERIFY)
            fail_msg("input %zu called canonical: %s", i, not_canon[i]);
    assert_int_equal(arcs_json_is_canonical("{\"a\":1}", 7, &err), ARCS_EINVAL);
    assert_int_equal(
        arcs_json_is_canonical("{\"\xF0\x9F\x98\x80\":null,\"\xEF\xAC\xB3\":null}",
                               strlen("{\"\xF0\x9F\x98\x80\":null,\"\xEF\xAC\xB3\":"
                                      "null}"),
                               &err),
        ARCS_OK);
}

static void test_numbers_as_strings(void **state)
{
    arcs_status st;
    char *out;

    (void)state;
    /* jsonb text: numbers keep their exact text, as strings */
    out = canon("{\"amount\": 1250000.00, \"id\": 9007199254740993, \"neg\": -0, "
                "\"exp\": 1E+5, \"t\": \"2024-09-01T00:00:00.000000Z\"}",
                ARCS_JSON_NUMBERS_AS_STRINGS, &st);
    assert_int_equal(st, ARCS_OK);
    assert_string_equal(out, "{\"amount\":\"1250000.00\",\"exp\":\"1E+5\","
                             "\"id\":\"9007199254740993\",\"neg\":\"-0\","
                             "\"t\":\"2024-09-01T00:00:00.000000Z\"}");
    free(out);
    /* malformed numbers are refused even with the flag */
    static const char *bad[] = {"01", "1.", ".5", "-", "1e", "+1", "1.e5", "0x10", "NaN"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        out = canon(bad[i], ARCS_JSON_NUMBERS_AS_STRINGS, &st);
        if (st != ARCS_EINVAL)
            fail_msg("number %s accepted", bad[i]);
        assert_null(out);
    }
}

static void test_build_and_lookup(void **state)
{
    arcs_json *o = arcs_json_new_object(), *a = arcs_json_new_array();
    const arcs_json *got;
    char *out = NULL;
    size_t len = 0;
    arcs_err err;

    (void)state;
    assert_int_equal(
        arcs_json_object_set_cstr(o, "Op", arcs_json_new_cstr("insert"), &err), ARCS_OK);
    assert_int_equal(
        arcs_json_object_set_cstr(o, "op", arcs_json_new_cstr("update"), &err), ARCS_OK);
    assert_int_equal(arcs_json_object_set_cstr(o, "op", arcs_json_new_null(), &err),
                     ARCS_EINVAL);
    assert_int_equal(arcs_json_object_set(o, "k\0z", 3, arcs_json_new_bool(1), &err),
                     ARCS_OK);
    assert_int_equal(arcs_json_array_append(a, arcs_json_new_string("a\0b", 3), &err),
                     ARCS_OK);
    assert_int_equal(arcs_json_array_append(a, NULL, &err), ARCS_ERROR);
    assert_int_equal(arcs_json_array_append(o, arcs_json_new_null(), &err), ARCS_EINVAL);
    assert_int_equal(arcs_json_object_set_cstr(o, "list", a, &err), ARCS_OK);

    /* case-sensitive, exact lookups */
    got = arcs_json_get(o, "op");
    assert_non_null(got);
    assert_string_equal(arcs_json_string(got, NULL), "update");
    assert_string_equal(arcs_json_string(arcs_json_get(o, "Op"), NULL), "insert");
    assert_null(arcs_json_get(o, "OP"));
    assert_null(arcs_json_get(o, "k"));
    assert_non_null(arcs_json_getn(o, "k\0z", 3));
    assert_null(arcs_json_string(arcs_json_getn(o, "k\0z", 3), NULL));

    assert_int_equal(arcs_json_canonical(&out, &len, o, &err), ARCS_OK);
    assert_int_equal(len, strlen("{\"Op\":\"insert\",\"k\\u0000z\":true,"
                                 "\"list\":[\"a\\u0000b\"],\"op\":\"update\"}"));
    assert_memory_equal(out,
                        "{\"Op\":\"insert\",\"k\\u0000z\":true,\"list\":[\"a\\u0000b\"],"
                        "\"op\":\"update\"}",
                        len);
    free(out);

    /* invalid UTF-8 put in by a constructor is refused at serialization */
    assert_int_equal(
        arcs_json_object_set_cstr(o, "bad", arcs_json_new_cstr("\xC3("), &err), ARCS_OK);
    assert_int_equal(arcs_json_canonical(&out, &len, o, &err), ARCS_EINVAL);
    assert_null(out);
    arcs_json_free(o);
    arcs_json_free(NULL);
}

static void test_round_trip(void **state)
{
    static const char *inputs[] = {
        "{\"op\":\"insert\",\"row\":{\"amount\":\"176300000000.00\",\"currency\":\"KZT\","
        "\"id\":\"42\",\"note\":\"Temirlan music school \xE2\x80\x94 300 places\"},"
        "\"table\":\"fund_event\",\"ts\":\"2024-09-30T12:00:00.000000Z\"}",
        "[\"\",\"\\\"\",\"\\\\\",\"\\u001b\",[[[]]],{\"\":{}}]",
    };

    (void)state;
    for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
        arcs_json *v = NULL;
        char *out = NULL;
        size_t len;
        assert_int_equal(arcs_json_parse(&v, inputs[i], strlen(inputs[i]), 0, NULL),
                         ARCS_OK);
        assert_int_equal(arcs_json_canonical(&out, &len, v, NULL), ARCS_OK);
        assert_int_equal(len, strlen(inputs[i]));
        assert_memory_equal(out, inputs[i], len);
        assert_int_equal(arcs_json_is_canonical(inputs[i], strlen(inputs[i]), NULL),
                         ARCS_OK);
        free(out);
        arcs_json_free(v);
    }
}

static void test_utf8(void **state)
{
    (void)state;
    assert_true(arcs_utf8_valid("", 0));
    assert_true(arcs_utf8_valid("\xF4\x8F\xBF\xBF", 4));
    assert_true(arcs_utf8_valid("\xEF\xBF\xBF", 3));
    assert_false(arcs_utf8_valid("\xF4\x90\x80\x80", 4));
    assert_false(arcs_utf8_valid("\xED\xBF\xBF", 3));
    assert_false(arcs_utf8_valid("\xF0\x8F\xBF\xBF", 4));
    assert_false(arcs_utf8_valid("\xC1\xBF", 2));
    assert_false(arcs_utf8_valid("\x80", 1));
    assert_false(arcs_utf8_valid("\xE2\x82", 2));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc8785_sorting),
        cmocka_unit_test(test_rfc8785_strings),
        cmocka_unit_test(test_rejects),
        cmocka_unit_test(test_depth),
        cmocka_unit_test(test_is_canonical),
        cmocka_unit_test(test_numbers_as_strings),
        cmocka_unit_test(test_build_and_lookup),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
