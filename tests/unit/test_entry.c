/* Audit entry bytes: the sealer's builder against the tree-based reference,
   change by change with one reused builder, and the lookup values stored
   beside each entry. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "audit/entry_int.h"

typedef struct {
    arcs__audit_change c;
    const char *case_id;  /* expected lookup, NULL: none */
    const char *asset_id; /* expected lookup, NULL: none */
} example;

static const example examples[] = {
    /* json text as capture writes it: spaces, column order */
    {{"741", "arcs.cases", "insert", "{\"id\" : \"7\"}", NULL,
      "{\"id\" : \"7\", \"ref\" : \"ARC-2025-0042\", \"title\" : \"Esentai "
      "\\\"tower\\\"\","
      " \"offences\" : [\"bribery\",\"money_laundering\"], \"closed_on\" : null}",
      "arcs_analyst", "Алма Нурланова", "2025-01-15T09:30:00.000000Z"},
     "7",
     NULL},
    {{"742", "arcs.assets", "update", "{\"id\" : \"12\"}",
      "{\"id\" : \"12\", \"case_id\" : \"3\", \"state\" : \"identified\"}",
      "{\"id\" : \"12\", \"case_id\" : \"3\", \"state\" : \"frozen\"}", "u", "u",
      "2025-02-01T00:00:00.000000Z"},
     "3",
     "12"},
    {{"743", "arcs.valuations", "delete", "{\"id\" : \"5\"}",
      "{\"id\" : \"5\", \"asset_id\" : \"9\", \"amount\" : \"125000000\"}", NULL, "u",
      "u", "2025-02-02T00:00:00.000000Z"},
     NULL,
     "9"},
    /* escapes, control characters, astral keys, nesting, booleans, an
       empty image, a number that must become its text */
    {{"744", "arcs.settings", "insert", "{\"key\":\"a\\\\b\\u0001\"}", NULL,
      "{\"\\ud83d\\ude00\":\"x\",\"\\ufb33\":[\"a\",[\"b\",null]],\"t\":true,"
      "\"f\":false,\"rate\":1.50,\"é\":\"\\u00e9\\n\",\"case_id\":\"a\\\"b\"}",
      "db\tuser", "act\"or", "2025-03-01T00:00:00.000001Z"},
     NULL,
     NULL},
    {{"745", "arcs.assets", "insert", "{\"id\":\"13\"}", NULL, "{}", "u", "u",
      "2025-03-01T00:00:00.000000Z"},
     NULL,
     "13"},
};

static void expect_lookup(const char *want, const char *got, size_t len)
{
    if (!want) {
        assert_null(got);
        return;
    }
    assert_non_null(got);
    assert_int_equal(len, strlen(want));
    assert_memory_equal(got, want, len);
}

static void test_same_bytes_as_reference(void **state)
{
    arcs__audit_entry e;
    (void)state;

    memset(&e, 0, sizeof(e));
    for (int round = 0; round < 2; round++) {
        for (size_t i = 0; i < sizeof(examples) / sizeof(examples[0]); i++) {
            const example *x = &examples[i];
            int64_t seq = (int64_t)(round * 1000000 + i);
            char *ref = NULL, *refkey = NULL;
            size_t reflen = 0;
            arcs_err err;

            assert_int_equal(
                arcs__audit_entry_build(&ref, &reflen, &refkey, seq, &x->c, &err),
                ARCS_OK);
            assert_int_equal(arcs__audit_entry_make(&e, seq, &x->c, &err), ARCS_OK);
            assert_int_equal(e.out.n, reflen);
            assert_memory_equal(e.out.b, ref, reflen);
            assert_int_equal(e.out.b[e.out.n], '\0');
            assert_int_equal(e.key.n, strlen(refkey));
            assert_memory_equal(e.key.out, refkey, e.key.n);
            assert_int_equal(arcs_json_is_canonical(e.out.b, e.out.n, &err), ARCS_OK);
            expect_lookup(x->case_id, e.case_id, e.case_id_len);
            expect_lookup(x->asset_id, e.asset_id, e.asset_id_len);
            free(ref);
            free(refkey);
        }
    }
    arcs__audit_entry_free(&e);
}

static void test_known_bytes(void **state)
{
    arcs__audit_entry e;
    arcs_err err;
    const char *want =
        "{\"actor\":\"u\",\"db_user\":\"u\",\"key\":{\"id\":\"12\"},"
        "\"new\":{\"case_id\":\"3\",\"id\":\"12\",\"state\":\"frozen\"},"
        "\"old\":{\"case_id\":\"3\",\"id\":\"12\",\"state\":\"identified\"},"
        "\"op\":\"update\",\"seq\":\"42\",\"table\":\"arcs.assets\","
        "\"time\":\"2025-02-01T00:00:00.000000Z\",\"txid\":\"742\"}";
    (void)state;

    memset(&e, 0, sizeof(e));
    assert_int_equal(arcs__audit_entry_make(&e, 42, &examples[1].c, &err), ARCS_OK);
    assert_string_equal(e.out.b, want);
    arcs__audit_entry_free(&e);
}

static void test_refusals_match(void **state)
{
    arcs__audit_change bad[3];
    arcs__audit_entry e;
    (void)state;

    bad[0] = examples[0].c;
    bad[0].key = "not json";
    bad[1] = examples[0].c;
    bad[1].actor = "\xff\xfe";
    bad[2] = examples[0].c;
    bad[2].new_row = "{\"a\":\"1\",\"a\":\"2\"}";
    memset(&e, 0, sizeof(e));
    for (size_t i = 0; i < 3; i++) {
        char *ref = NULL;
        size_t reflen = 0;
        arcs_err err;
        arcs_status want = arcs__audit_entry_build(&ref, &reflen, NULL, 1, &bad[i], &err);

        assert_int_not_equal(want, ARCS_OK);
        assert_int_equal(arcs__audit_entry_make(&e, 1, &bad[i], &err), want);
        free(ref);
    }
    arcs__audit_entry_free(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_bytes_as_reference),
        cmocka_unit_test(test_known_bytes),
        cmocka_unit_test(test_refusals_match),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
