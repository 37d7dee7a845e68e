/* Merkle trees: RFC 6962 vectors, and a randomized differential test against
   a direct recursive MTH. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "arcs/merkle.h"

static void unhex(uint8_t *out, const char *hex)
{
    size_t n = strlen(hex) / 2;

    for (size_t i = 0; i < n; i++) {
        unsigned v;
        char b[3] = {hex[2 * i], hex[2 * i + 1], 0};
        v = (unsigned)strtoul(b, NULL, 16);
        out[i] = (uint8_t)v;
    }
}

static void assert_hash_hex(const uint8_t *h, const char *hex)
{
    char buf[65];

    arcs_hash_hex(buf, h);
    assert_string_equal(buf, hex);
}

/* The 8-leaf test tree of transparency-dev/merkle. */
static const char *leaf_hex[8] = {"",
                                  "00",
                                  "10",
                                  "2021",
                                  "3031",
                                  "40414243",
                                  "5051525354555657",
                                  "606162636465666768696a6b6c6d6e6f"};
static const char *roots[8] = {
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};

static void vector_leaves(uint8_t leaves[8][32])
{
    for (int i = 0; i < 8; i++) {
        uint8_t data[32];
        size_t n = strlen(leaf_hex[i]) / 2;
        unhex(data, leaf_hex[i]);
        assert_int_equal(arcs_merkle_leaf_hash(leaves[i], data, n), ARCS_OK);
    }
}

static void test_empty_and_leaf(void **state)
{
    uint8_t h[32];

    (void)state;
    assert_int_equal(arcs_merkle_root(h, NULL, 0, NULL), ARCS_OK);
    assert_hash_hex(h,
                    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assert_int_equal(arcs_merkle_leaf_hash(h, "", 0), ARCS_OK);
    assert_hash_hex(h,
                    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
}

static void test_vector_roots(void **state)
{
    uint8_t leaves[8][32], h[32];

    (void)state;
    vector_leaves(leaves);
    for (uint64_t n = 1; n <= 8; n++) {
        assert_int_equal(arcs_merkle_root(h, &leaves[0][0], n, NULL), ARCS_OK);
        assert_hash_hex(h, roots[n - 1]);
    }
}

static void test_vector_inclusion(void **state)
{
    static const char *want[3] = {
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"};
    uint8_t leaves[8][32], root[32];
    uint8_t *proof = NULL;
    size_t count = 0;

    (void)state;
    vector_leaves(leaves);
    assert_int_equal(
        arcs_merkle_inclusion_proof(&proof, &count, &leaves[0][0], 8, 5, NULL), ARCS_OK);
    assert_int_equal(count, 3);
    for (int i = 0; i < 3; i++)
        assert_hash_hex(proof + 32 * i, want[i]);
    unhex(root, roots[7]);
    assert_int_equal(
        arcs_merkle_verify_inclusion(leaves[5], 5, 8, proof, count, root, NULL), ARCS_OK);
    assert_int_equal(
        arcs_merkle_verify_inclusion(leaves[4], 5, 8, proof, count, root, NULL),
        ARCS_EVERIFY);
    free(proof);
}

static void test_vector_consistency(void **state)
{
    static const char *want[3] = {
        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"};
    uint8_t leaves[8][32], r6[32], r8[32];
    uint8_t *proof = NULL;
    size_t count = 0;
    arcs_err err;

    (void)state;
    vector_leaves(leaves);
    assert_int_equal(
        arcs_merkle_consistency_proof(&proof, &count, &leaves[0][0], 6, 8, NULL),
        ARCS_OK);
    assert_int_equal(count, 3);
    for (int i = 0; i < 3; i++)
        assert_hash_hex(proof + 32 * i, want[i]);
    unhex(r6, roots[5]);
    unhex(r8, roots[7]);
    assert_int_equal(arcs_merkle_verify_consistency(6, 8, proof, count, r6, r8, NULL),
                     ARCS_OK);
    assert_int_equal(arcs_merkle_verify_consistency(6, 8, proof, count, r8, r8, &err),
                     ARCS_EVERIFY);
    assert_int_equal(arcs_merkle_verify_consistency(8, 6, proof, count, r8, r6, NULL),
                     ARCS_EVERIFY);
    free(proof);
}

/* ---- differential ---- */

/* Deterministic xorshift so a failure reproduces. */
static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;
static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* RFC 6962 MTH written as the definition reads. */
static void mth(uint8_t out[32], const uint8_t *leaves, uint64_t n)
{
    uint8_t l[32], r[32];
    uint64_t k = 1;

    if (n == 1) {
        memcpy(out, leaves, 32);
        return;
    }
    while (k * 2 < n)
        k *= 2;
    mth(l, leaves, k);
    mth(r, leaves + 32 * k, n - k);
    assert_int_equal(arcs_merkle_node_hash(out, l, r), ARCS_OK);
}

#define MAXN 300

static void check_inclusion(const uint8_t *leaves, uint64_t n, uint64_t idx,
                            const uint8_t root[32])
{
    uint8_t *proof = NULL, *mut;
    size_t count = 0;

    assert_int_equal(arcs_merkle_inclusion_proof(&proof, &count, leaves, n, idx, NULL),
                     ARCS_OK);
    assert_int_equal(
        arcs_merkle_verify_inclusion(leaves + 32 * idx, idx, n, proof, count, root, NULL),
        ARCS_OK);
    mut = malloc((count + 1) * 32 + 1);
    assert_non_null(mut);
    if (count > 0) {
        /* flip a byte of each hash in turn */
        for (size_t i = 0; i < count; i++) {
            memcpy(mut, proof, count * 32);
            mut[i * 32 + (rnd() % 32)] ^= (uint8_t)(1u << (rnd() % 8));
            assert_int_equal(arcs_merkle_verify_inclusion(leaves + 32 * idx, idx, n, mut,
                                                          count, root, NULL),
                             ARCS_EVERIFY);
        }
        /* drop the last hash */
        assert_int_equal(arcs_merkle_verify_inclusion(leaves + 32 * idx, idx, n, proof,
                                                      count - 1, root, NULL),
                         ARCS_EVERIFY);
    }
    /* one hash too many */
    memcpy(mut, proof ? proof : mut, count * 32);
    memcpy(mut + count * 32, root, 32);
    assert_int_equal(arcs_merkle_verify_inclusion(leaves + 32 * idx, idx, n, mut,
                                                  count + 1, root, NULL),
                     ARCS_EVERIFY);
    /* wrong index, wrong size */
    if (n > 1)
        assert_int_equal(arcs_merkle_verify_inclusion(leaves + 32 * idx, (idx + 1) % n, n,
                                                      proof, count, root, NULL),
                         ARCS_EVERIFY);
    assert_int_equal(arcs_merkle_verify_inclusion(leaves + 32 * idx, idx, idx, proof,
                                                  count, root, NULL),
                     ARCS_EVERIFY);
    if (count > 0 && n < MAXN) {
        /* a size that gives a path of another length fails; one of the same
           length may still verify only if it is the same tree shape */
        uint64_t bigger = n * 2;
        assert_int_equal(arcs_merkle_verify_inclusion(leaves + 32 * idx, idx, bigger,
                                                      proof, count, root, NULL),
                         ARCS_EVERIFY);
    }
    free(mut);
    free(proof);
}

static void check_consistency(const uint8_t *leaves, uint64_t m, uint64_t n,
                              const uint8_t roots_by_size[][32], int mutate)
{
    uint8_t *proof = NULL, *mut;
    size_t count = 0;

    assert_int_equal(arcs_merkle_consistency_proof(&proof, &count, leaves, m, n, NULL),
                     ARCS_OK);
    assert_int_equal(arcs_merkle_verify_consistency(m, n, proof, count, roots_by_size[m],
                                                    roots_by_size[n], NULL),
                     ARCS_OK);
    if (!mutate || m == 0) {
        free(proof);
        return;
    }
    mut = malloc((count + 1) * 32 + 1);
    assert_non_null(mut);
    for (size_t i = 0; i < count; i++) {
        memcpy(mut, proof, count * 32);
        mut[i * 32 + (rnd() % 32)] ^= 0x01;
        assert_int_equal(arcs_merkle_verify_consistency(
                             m, n, mut, count, roots_by_size[m], roots_by_size[n], NULL),
                         ARCS_EVERIFY);
    }
    if (count > 0) {
        assert_int_equal(arcs_merkle_verify_consistency(m, n, proof, count - 1,
                                                        roots_by_size[m],
                                                        roots_by_size[n], NULL),
                         ARCS_EVERIFY);
    }
    memcpy(mut, proof ? proof : mut, count * 32);
    memcpy(mut + count * 32, roots_by_size[n], 32);
    assert_int_equal(arcs_merkle_verify_consistency(
                         m, n, mut, count + 1, roots_by_size[m], roots_by_size[n], NULL),
                     ARCS_EVERIFY);
    if (m < n) {
        /* a forked new tree: change the last leaf's contribution */
        assert_int_equal(arcs_merkle_verify_consistency(m, n, proof, count,
                                                        roots_by_size[m],
                                                        roots_by_size[n - 1], NULL),
                         ARCS_EVERIFY);
        /* a wrong old size */
        if (m + 1 < n)
            assert_int_equal(arcs_merkle_verify_consistency(m + 1, n, proof, count,
                                                            roots_by_size[m],
                                                            roots_by_size[n], NULL),
                             ARCS_EVERIFY);
    }
    free(mut);
    free(proof);
}

static void test_differential(void **state)
{
    static uint8_t leaves[MAXN][32];
    static uint8_t root_by_size[MAXN + 1][32];
    uint8_t h[32], buf[ARCS_MERKLE_FRONTIER_MAX];
    arcs_merkle_frontier f, g;
    size_t blen;

    (void)state;
    for (int i = 0; i < MAXN; i++) {
        uint8_t data[16];
        for (int j = 0; j < 16; j++)
            data[j] = (uint8_t)rnd();
        assert_int_equal(arcs_merkle_leaf_hash(leaves[i], data, 1 + rnd() % 16), ARCS_OK);
    }
    arcs_merkle_frontier_init(&f);
    assert_int_equal(arcs_merkle_root(root_by_size[0], NULL, 0, NULL), ARCS_OK);
    for (uint64_t n = 0; n <= MAXN; n++) {
        if (n > 0) {
            assert_int_equal(arcs_merkle_frontier_append(&f, leaves[n - 1], NULL),
                             ARCS_OK);
            assert_int_equal(arcs_merkle_root(root_by_size[n], &leaves[0][0], n, NULL),
                             ARCS_OK);
            mth(h, &leaves[0][0], n);
            assert_memory_equal(h, root_by_size[n], 32);
        }
        /* frontier: same root, and the same after a round trip */
        assert_int_equal(arcs_merkle_frontier_root(h, &f, NULL), ARCS_OK);
        assert_memory_equal(h, root_by_size[n], 32);
        assert_int_equal(
            arcs_merkle_frontier_serialize(buf, sizeof(buf), &blen, &f, NULL), ARCS_OK);
        assert_int_equal(arcs_merkle_frontier_deserialize(&g, buf, blen, NULL), ARCS_OK);
        assert_int_equal(g.size, n);
        assert_int_equal(arcs_merkle_frontier_root(h, &g, NULL), ARCS_OK);
        assert_memory_equal(h, root_by_size[n], 32);
        assert_int_equal(arcs_merkle_frontier_deserialize(&g, buf, blen + 1, NULL),
                         ARCS_EINVAL);
        if (blen > 8)
            assert_int_equal(arcs_merkle_frontier_deserialize(&g, buf, blen - 32, NULL),
                             ARCS_EINVAL);
    }
    for (uint64_t n = 1; n <= MAXN; n++) {
        /* edge indexes and a few random ones */
        uint64_t idx[6] = {0, n - 1, n / 2, rnd() % n, rnd() % n, n > 1 ? n - 2 : 0};
        for (int i = 0; i < 6; i++)
            check_inclusion(&leaves[0][0], n, idx[i], root_by_size[n]);
        /* every m <= n for small trees, a dense sample for large ones; the
           mutations on a sample */
        for (uint64_t m = 0; m <= n; m++) {
            if (n > 64 && m > 2 && m + 2 < n && (m & (m - 1)) != 0 && rnd() % 8 != 0)
                continue;
            check_consistency(&leaves[0][0], m, n, (const uint8_t(*)[32])root_by_size,
                              m % 7 == 0 || m + 1 >= n || n <= 16);
        }
    }
}

static void test_bad_args(void **state)
{
    uint8_t leaves[8][32], *proof = NULL;
    size_t count = 0;

    (void)state;
    vector_leaves(leaves);
    assert_int_equal(
        arcs_merkle_inclusion_proof(&proof, &count, &leaves[0][0], 8, 8, NULL),
        ARCS_EINVAL);
    assert_null(proof);
    assert_int_equal(
        arcs_merkle_consistency_proof(&proof, &count, &leaves[0][0], 9, 8, NULL),
        ARCS_EINVAL);
    assert_int_equal(
        arcs_merkle_consistency_proof(&proof, &count, &leaves[0][0], 0, 8, NULL),
        ARCS_OK);
    assert_int_equal(count, 0);
    assert_int_equal(
        arcs_merkle_consistency_proof(&proof, &count, &leaves[0][0], 8, 8, NULL),
        ARCS_OK);
    assert_int_equal(count, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_and_leaf),
        cmocka_unit_test(test_vector_roots),
        cmocka_unit_test(test_vector_inclusion),
        cmocka_unit_test(test_vector_consistency),
        cmocka_unit_test(test_differential),
        cmocka_unit_test(test_bad_args),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
