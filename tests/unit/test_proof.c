/* Proof files: built from the 8-leaf vector tree with a fresh key, written,
   parsed and verified offline; every mutation must fail. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arcs/merkle.h"
#include "arcs/note.h"
#include "arcs/proof.h"

static const char *leaf_hex[8] = {"",
                                  "00",
                                  "10",
                                  "2021",
                                  "3031",
                                  "40414243",
                                  "5051525354555657",
                                  "606162636465666768696a6b6c6d6e6f"};

typedef struct fixture {
    uint8_t entries[8][16];
    size_t entry_len[8];
    uint8_t leaves[8][32];
    arcs_note_signer key, other;
    arcs_note_verifier vkey, vother;
    char *note8, *note6, *note6_other_origin;
    char *file;  /* proof of entry 5 in 8, with consistency from 6 */
    char *plain; /* proof of entry 5 in 8, no consistency */
} fixture;

static char *signed_checkpoint(const arcs_note_signer *s, const char *origin,
                               const uint8_t *leaves, uint64_t n)
{
    arcs_checkpoint cp = {0};
    char *text = NULL, *note = NULL;
    size_t tlen;

    snprintf(cp.origin, sizeof(cp.origin), "%s", origin);
    cp.size = n;
    assert_int_equal(arcs_merkle_root(cp.root, leaves, n, NULL), ARCS_OK);
    assert_int_equal(arcs_checkpoint_format(&text, &tlen, &cp, NULL), ARCS_OK);
    assert_int_equal(arcs_note_sign(&note, NULL, text, tlen, s, NULL), ARCS_OK);
    free(text);
    return note;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    arcs_proof p = {0};
    arcs_err err;

    for (int i = 0; i < 8; i++) {
        f->entry_len[i] = strlen(leaf_hex[i]) / 2;
        for (size_t j = 0; j < f->entry_len[i]; j++) {
            char b[3] = {leaf_hex[i][2 * j], leaf_hex[i][2 * j + 1], 0};
            f->entries[i][j] = (uint8_t)strtoul(b, NULL, 16);
        }
        assert_int_equal(
            arcs_merkle_leaf_hash(f->leaves[i], f->entries[i], f->entry_len[i]), ARCS_OK);
    }
    assert_int_equal(arcs_note_keygen(&f->key, "arcs.example/log", &err), ARCS_OK);
    assert_int_equal(arcs_note_keygen(&f->other, "arcs.example/log", &err), ARCS_OK);
    arcs_note_signer_verifier(&f->vkey, &f->key);
    arcs_note_signer_verifier(&f->vother, &f->other);
    f->note8 = signed_checkpoint(&f->key, "arcs.example/log", &f->leaves[0][0], 8);
    f->note6 = signed_checkpoint(&f->key, "arcs.example/log", &f->leaves[0][0], 6);
    f->note6_other_origin =
        signed_checkpoint(&f->key, "arcs.example/other", &f->leaves[0][0], 6);

    assert_int_equal(arcs_proof_build(&p, &f->leaves[0][0], 8, 5, f->entries[5],
                                      f->entry_len[5], f->note8, strlen(f->note8), &err),
                     ARCS_OK);
    assert_int_equal(arcs_proof_write(&f->plain, NULL, &p, &err), ARCS_OK);
    assert_int_equal(arcs_proof_add_consistency(&p, &f->leaves[0][0], 6, f->note6,
                                                strlen(f->note6), &err),
                     ARCS_OK);
    assert_int_equal(arcs_proof_write(&f->file, NULL, &p, &err), ARCS_OK);
    arcs_proof_clear(&p);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;

    free(f->note8);
    free(f->note6);
    free(f->note6_other_origin);
    free(f->file);
    free(f->plain);
    arcs_note_signer_clear(&f->key);
    arcs_note_signer_clear(&f->other);
    free(f);
    return 0;
}

/* Parse then verify a proof file text. */
static arcs_status check(const char *text, const arcs_note_verifier *keys, size_t nkeys,
                         arcs_err *err)
{
    arcs_proof p = {0};
    arcs_status st = arcs_proof_parse(&p, text, strlen(text), err);

    if (st == ARCS_OK)
        st = arcs_proof_verify(&p, keys, nkeys, err);
    arcs_proof_clear(&p);
    return st;
}

/* text with the first occurrence of from replaced by to (malloc'd). */
static char *replace(const char *text, const char *from, const char *to)
{
    const char *at = strstr(text, from);
    size_t n;
    char *out;

    assert_non_null(at);
    n = strlen(text) - strlen(from) + strlen(to);
    out = malloc(n + 1);
    memcpy(out, text, (size_t)(at - text));
    memcpy(out + (at - text), to, strlen(to));
    strcpy(out + (at - text) + strlen(to), at + strlen(from)); /* test-only */
    return out;
}

static void test_layout(void **state)
{
    fixture *f = *state;
    char want_head[256];

    /* the documented line layout, byte for byte up to the inclusion lines:
       entry 5 is 40414243 = "QEFCQw==" and the path is the RFC vector */
    snprintf(want_head, sizeof(want_head),
             "arcs-proof v1\nindex 5\ntree-size 8\nentry QEFCQw==\n"
             "inclusion vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=\n"
             "inclusion yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=\n"
             "inclusion 037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc=\n");
    assert_memory_equal(f->plain, want_head, strlen(want_head));
    assert_true(strncmp(f->plain + strlen(want_head), "checkpoint\n", 11) == 0);
    assert_string_equal(f->plain + strlen(want_head) + 11, f->note8);
    assert_non_null(strstr(f->file,
                           "consistency-from 6\n"
                           "consistency DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=\n"));
}

static void test_verify_ok(void **state)
{
    fixture *f = *state;
    arcs_note_verifier both[2] = {f->vother, f->vkey};
    arcs_proof p = {0};
    char *again = NULL;
    arcs_err err;

    assert_int_equal(check(f->plain, &f->vkey, 1, &err), ARCS_OK);
    assert_int_equal(check(f->file, &f->vkey, 1, &err), ARCS_OK);
    assert_int_equal(check(f->file, both, 2, &err), ARCS_OK);
    /* parse and write give back the same bytes */
    assert_int_equal(arcs_proof_parse(&p, f->file, strlen(f->file), &err), ARCS_OK);
    assert_int_equal(p.index, 5);
    assert_int_equal(p.tree_size, 8);
    assert_int_equal(p.old_size, 6);
    assert_int_equal(p.inclusion_count, 3);
    assert_int_equal(arcs_proof_write(&again, NULL, &p, &err), ARCS_OK);
    assert_string_equal(again, f->file);
    free(again);
    arcs_proof_clear(&p);

    /* every entry of the tree has a proof that verifies */
    for (uint64_t i = 0; i < 8; i++) {
        char *text = NULL;
        assert_int_equal(arcs_proof_build(&p, &f->leaves[0][0], 8, i, f->entries[i],
                                          f->entry_len[i], f->note8, strlen(f->note8),
                                          &err),
                         ARCS_OK);
        assert_int_equal(arcs_proof_write(&text, NULL, &p, &err), ARCS_OK);
        assert_int_equal(check(text, &f->vkey, 1, &err), ARCS_OK);
        free(text);
        arcs_proof_clear(&p);
    }
    /* the builder refuses an entry that is not the stored leaf */
    assert_int_equal(arcs_proof_build(&p, &f->leaves[0][0], 8, 4, f->entries[5],
                                      f->entry_len[5], f->note8, strlen(f->note8), &err),
                     ARCS_EINVAL);
    assert_int_equal(arcs_proof_build(&p, &f->leaves[0][0], 8, 8, f->entries[5],
                                      f->entry_len[5], f->note8, strlen(f->note8), &err),
                     ARCS_EINVAL);
}

static void test_verify_failures(void **state)
{
    fixture *f = *state;
    struct {
        const char *from, *to;
    } muts[] = {
        {"entry QEFCQw==", "entry QEFCRA=="}, /* entry changed */
        {"index 5\n", "index 4\n"},           /* another index */
        {"tree-size 8\n", "tree-size 7\n"},   /* size != checkpoint */
        {"inclusion vBoG", "inclusion vBoH"}, /* path hash changed */
        {"inclusion vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=\n", ""}, /* dropped */
        {"consistency DrxdNDf7", "consistency DrxdNDf8"}, /* consistency changed */
        {"consistency-from 6\n", "consistency-from 5\n"}, /* old size differs */
    };
    arcs_err err;

    for (size_t i = 0; i < sizeof(muts) / sizeof(muts[0]); i++) {
        char *t = replace(f->file, muts[i].from, muts[i].to);
        arcs_status st = check(t, &f->vkey, 1, &err);
        if (st != ARCS_EVERIFY)
            fail_msg("mutation %zu gave %d, not a verification failure", i, (int)st);
        free(t);
    }
    /* an added inclusion line */
    {
        char *t = replace(
            f->plain, "checkpoint\n",
            "inclusion 037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc=\ncheckpoint\n");
        assert_int_equal(check(t, &f->vkey, 1, &err), ARCS_EVERIFY);
        free(t);
    }
    /* the wrong key, and a changed checkpoint */
    assert_int_equal(check(f->file, &f->vother, 1, &err), ARCS_EVERIFY);
    {
        char *t = replace(f->plain, "arcs.example/log\n8\n", "arcs.example/log\n9\n");
        assert_int_equal(check(t, &f->vkey, 1, &err), ARCS_EVERIFY);
        free(t);
    }
    /* an old checkpoint of another log (same length) */
    {
        char *t = replace(f->file, f->note6, f->note6_other_origin);
        char old[64], neu[64];
        snprintf(old, sizeof(old), "old-checkpoint %zu\n", strlen(f->note6));
        snprintf(neu, sizeof(neu), "old-checkpoint %zu\n", strlen(f->note6_other_origin));
        char *u = replace(t, old, neu);
        assert_int_equal(check(u, &f->vkey, 1, &err), ARCS_EVERIFY);
        assert_non_null(strstr(err.msg, "arcs.example/other"));
        free(t);
        free(u);
    }
}

static void test_parse_failures(void **state)
{
    fixture *f = *state;
    struct {
        const char *from, *to;
    } muts[] = {
        {"arcs-proof v1\n", "arcs-proof v2\n"},
        {"arcs-proof v1\n", "\narcs-proof v1\n"},
        {"arcs-proof v1\n", "arcs-proof v1\r\n"},
        {"index 5\n", "index 05\n"},
        {"index 5\n", "index  5\n"},
        {"index 5\n", "index 5 \n"},
        {"index 5\n", "index -5\n"},
        {"index 5\n", "index 9223372036854775808\n"},
        {"index 5\n", "index 8\n"},
        {"index 5\ntree-size 8\n", "tree-size 8\nindex 5\n"},
        {"entry QEFCQw==", "entry QEFCQw="},
        {"entry QEFCQw==", "entry QEFCQw== "},
        {"inclusion vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=",
         "inclusion vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnm=="},
        {"inclusion vBoG", "inclusio vBoG"},
        {"tree-size 8\n", "tree-size 8\n# comment\n"},
        {"consistency-from 6\n", "consistency-from 0\n"},
        {"consistency-from 6\n", "consistency-from 9\n"},
        {"old-checkpoint ", "old-checkpoint 1"},
        {"checkpoint\narcs", "checkpoint \narcs"},
        {"checkpoint\narcs", "checkpoints\narcs"},
    };
    arcs_proof p = {0};
    arcs_err err;

    for (size_t i = 0; i < sizeof(muts) / sizeof(muts[0]); i++) {
        char *t = replace(f->file, muts[i].from, muts[i].to);
        arcs_status st = arcs_proof_parse(&p, t, strlen(t), &err);
        if (st != ARCS_EINVAL)
            fail_msg("parse mutation %zu gave %d", i, (int)st);
        assert_null(p.entry);
        free(t);
    }
    /* truncated anywhere before the note, and nothing after "checkpoint" */
    {
        const char *cp = strstr(f->plain, "checkpoint\n");
        size_t upto = (size_t)(cp - f->plain) + 11;
        for (size_t n = 0; n <= upto; n++)
            if (arcs_proof_parse(&p, f->plain, n, &err) != ARCS_EINVAL)
                fail_msg("truncated proof of %zu bytes parsed", n);
    }
    /* a note that continues past its end fails at verification */
    {
        size_t n = strlen(f->plain);
        char *t = malloc(n + 8);
        memcpy(t, f->plain, n);
        memcpy(t + n, "extra\n", 7);
        assert_int_equal(check(t, &f->vkey, 1, &err), ARCS_EVERIFY);
        free(t);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layout),
        cmocka_unit_test(test_verify_ok),
        cmocka_unit_test(test_verify_failures),
        cmocka_unit_test(test_parse_failures),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
