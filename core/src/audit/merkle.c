/* RFC 6962 / RFC 9162 Merkle trees over SHA-256. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "arcs/merkle.h"
#include "sha256_int.h"

/*
 * OpenSSL 3 looks an algorithm up by name (under a lock) each time a digest
 * is initialized with EVP_sha256(), and EVP_Digest allocates a context per
 * call: at a few hundred bytes a hash, that costs more than the hashing. So
 * SHA-256 is fetched once, and each thread keeps one context (freed when the
 * thread exits).
 */
static pthread_once_t sha_once = PTHREAD_ONCE_INIT;
static EVP_MD *sha_md;
static pthread_key_t sha_key;
static int sha_key_ok;

static void sha_ctx_free(void *p)
{
    EVP_MD_CTX_free(p);
}

static void sha_init(void)
{
    sha_md = EVP_MD_fetch(NULL, "SHA256", NULL);
    sha_key_ok = pthread_key_create(&sha_key, sha_ctx_free) == 0;
}

const EVP_MD *arcs__sha256_md(void)
{
    pthread_once(&sha_once, sha_init);
    return sha_md;
}

static EVP_MD_CTX *sha_ctx(void)
{
    EVP_MD_CTX *md;

    if (!arcs__sha256_md() || !sha_key_ok)
        return NULL;
    md = pthread_getspecific(sha_key);
    if (!md) {
        md = EVP_MD_CTX_new();
        if (md && pthread_setspecific(sha_key, md) != 0) {
            EVP_MD_CTX_free(md);
            md = NULL;
        }
    }
    return md;
}

/* SHA-256(a || b || c); each part may be empty. */
static int sha3parts(uint8_t out[ARCS_HASH_SIZE], const void *a, size_t alen,
                     const void *b, size_t blen, const void *c, size_t clen)
{
    EVP_MD_CTX *md = sha_ctx();

    if (!md || EVP_DigestInit_ex(md, sha_md, NULL) != 1 ||
        (alen > 0 && EVP_DigestUpdate(md, a, alen) != 1) ||
        (blen > 0 && EVP_DigestUpdate(md, b, blen) != 1) ||
        (clen > 0 && EVP_DigestUpdate(md, c, clen) != 1) ||
        EVP_DigestFinal_ex(md, out, NULL) != 1) {
        memset(out, 0, ARCS_HASH_SIZE);
        return -1;
    }
    return 0;
}

int arcs__sha256(uint8_t out[32], const void *a, size_t alen, const void *b, size_t blen)
{
    return sha3parts(out, a, alen, b, b ? blen : 0, NULL, 0);
}

arcs_status arcs_merkle_leaf_hash(uint8_t out[ARCS_HASH_SIZE], const void *data,
                                  size_t len)
{
    static const uint8_t prefix = 0x00;

    return sha3parts(out, &prefix, 1, data, len, NULL, 0) ? ARCS_ERROR : ARCS_OK;
}

arcs_status arcs_merkle_node_hash(uint8_t out[ARCS_HASH_SIZE],
                                  const uint8_t left[ARCS_HASH_SIZE],
                                  const uint8_t right[ARCS_HASH_SIZE])
{
    uint8_t buf[1 + 2 * ARCS_HASH_SIZE];

    buf[0] = 0x01;
    memcpy(buf + 1, left, ARCS_HASH_SIZE);
    memcpy(buf + 1 + ARCS_HASH_SIZE, right, ARCS_HASH_SIZE);
    return sha3parts(out, buf, sizeof(buf), NULL, 0, NULL, 0) ? ARCS_ERROR : ARCS_OK;
}

static arcs_status empty_root(uint8_t out[ARCS_HASH_SIZE])
{
    return sha3parts(out, NULL, 0, NULL, 0, NULL, 0) ? ARCS_ERROR : ARCS_OK;
}

/* Largest power of two strictly below n (n >= 2). */
static uint64_t split_point(uint64_t n)
{
    uint64_t k = 1;

    while (k << 1 < n)
        k <<= 1;
    return k;
}

/* MTH(D[0:n]) for n >= 1, iteratively on a stack of perfect subtrees so the
   recursion depth never depends on n. */
static arcs_status subtree_root(uint8_t out[ARCS_HASH_SIZE], const uint8_t *leaves,
                                uint64_t n)
{
    uint8_t stack[ARCS_MERKLE_MAX_LEVELS + 1][ARCS_HASH_SIZE];
    unsigned depth = 0;

    for (uint64_t i = 0; i < n; i++) {
        memcpy(stack[depth++], leaves + i * ARCS_HASH_SIZE, ARCS_HASH_SIZE);
        /* After adding leaf i, merge as many times as i+1 has trailing zeros. */
        for (uint64_t s = i + 1; (s & 1) == 0; s >>= 1) {
            if (arcs_merkle_node_hash(stack[depth - 2], stack[depth - 2],
                                      stack[depth - 1]) != ARCS_OK)
                return ARCS_ERROR;
            depth--;
        }
    }
    while (depth > 1) {
        if (arcs_merkle_node_hash(stack[depth - 2], stack[depth - 2], stack[depth - 1]) !=
            ARCS_OK)
            return ARCS_ERROR;
        depth--;
    }
    memcpy(out, stack[0], ARCS_HASH_SIZE);
    return ARCS_OK;
}

arcs_status arcs_merkle_root(uint8_t out[ARCS_HASH_SIZE], const uint8_t *leaves,
                             uint64_t n, arcs_err *err)
{
    arcs_status st = n == 0 ? empty_root(out) : subtree_root(out, leaves, n);

    if (st != ARCS_OK)
        return arcs_err_set(err, ARCS_ERROR, "sha-256 failed in openssl");
    return ARCS_OK;
}

/* A growable list of hashes for proof generation. */
typedef struct hashlist {
    uint8_t *h;
    size_t n, cap;
} hashlist;

static arcs_status hashlist_push(hashlist *l, const uint8_t h[ARCS_HASH_SIZE])
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        uint8_t *p = realloc(l->h, cap * ARCS_HASH_SIZE);
        if (!p)
            return ARCS_ERROR;
        l->h = p;
        l->cap = cap;
    }
    memcpy(l->h + l->n * ARCS_HASH_SIZE, h, ARCS_HASH_SIZE);
    l->n++;
    return ARCS_OK;
}

/* RFC 6962 §2.1.1 PATH(m, D[n]), with D = leaves[0:n]. Hashes are pushed in
   proof order: the recursion goes first, then this level's sibling. */
static arcs_status path(hashlist *out, const uint8_t *leaves, uint64_t m, uint64_t n)
{
    uint8_t h[ARCS_HASH_SIZE];
    uint64_t k;

    if (n <= 1)
        return ARCS_OK;
    k = split_point(n);
    if (m < k) {
        if (path(out, leaves, m, k) != ARCS_OK ||
            subtree_root(h, leaves + k * ARCS_HASH_SIZE, n - k) != ARCS_OK)
            return ARCS_ERROR;
    } else {
        if (path(out, leaves + k * ARCS_HASH_SIZE, m - k, n - k) != ARCS_OK ||
            subtree_root(h, leaves, k) != ARCS_OK)
            return ARCS_ERROR;
    }
    return hashlist_push(out, h);
}

/* RFC 6962 §2.1.2 SUBPROOF(m, D[n], b). */
static arcs_status subproof(hashlist *out, const uint8_t *leaves, uint64_t m, uint64_t n,
                            int b)
{
    uint8_t h[ARCS_HASH_SIZE];
    uint64_t k;

    if (m == n) {
        if (b)
            return ARCS_OK;
        if (subtree_root(h, leaves, n) != ARCS_OK)
            return ARCS_ERROR;
        return hashlist_push(out, h);
    }
    k = split_point(n);
    if (m <= k) {
        if (subproof(out, leaves, m, k, b) != ARCS_OK ||
            subtree_root(h, leaves + k * ARCS_HASH_SIZE, n - k) != ARCS_OK)
            return ARCS_ERROR;
    } else {
        if (subproof(out, leaves + k * ARCS_HASH_SIZE, m - k, n - k, 0) != ARCS_OK ||
            subtree_root(h, leaves, k) != ARCS_OK)
            return ARCS_ERROR;
    }
    return hashlist_push(out, h);
}

arcs_status arcs_merkle_inclusion_proof(uint8_t **proof, size_t *count,
                                        const uint8_t *leaves, uint64_t n, uint64_t index,
                                        arcs_err *err)
{
    hashlist l = {0};
    arcs_status st = ARCS_OK;

    *proof = NULL;
    *count = 0;
    if (index >= n) {
        st = arcs_err_set(err, ARCS_EINVAL,
                          "leaf index %llu is outside a tree of %llu leaves: pick an "
                          "index below the tree size",
                          (unsigned long long)index, (unsigned long long)n);
        goto done;
    }
    if (path(&l, leaves, index, n) != ARCS_OK) {
        st = arcs_err_set(err, ARCS_ERROR,
                          "out of memory or sha-256 failure building proof");
        goto done;
    }
    *proof = l.h;
    *count = l.n;
    l.h = NULL;
done:
    free(l.h);
    return st;
}

arcs_status arcs_merkle_consistency_proof(uint8_t **proof, size_t *count,
                                          const uint8_t *leaves, uint64_t m, uint64_t n,
                                          arcs_err *err)
{
    hashlist l = {0};
    arcs_status st = ARCS_OK;

    *proof = NULL;
    *count = 0;
    if (m > n) {
        st = arcs_err_set(
            err, ARCS_EINVAL,
            "old tree size %llu is larger than new size %llu: give the older "
            "checkpoint first",
            (unsigned long long)m, (unsigned long long)n);
        goto done;
    }
    if (m == 0 || m == n)
        goto done;
    if (subproof(&l, leaves, m, n, 1) != ARCS_OK) {
        st = arcs_err_set(err, ARCS_ERROR,
                          "out of memory or sha-256 failure building proof");
        goto done;
    }
    *proof = l.h;
    *count = l.n;
    l.h = NULL;
done:
    free(l.h);
    return st;
}

arcs_status arcs_merkle_verify_inclusion(const uint8_t leaf_hash[ARCS_HASH_SIZE],
                                         uint64_t index, uint64_t size,
                                         const uint8_t *proof, size_t count,
                                         const uint8_t root[ARCS_HASH_SIZE],
                                         arcs_err *err)
{
    uint8_t r[ARCS_HASH_SIZE];
    uint64_t fn, sn;

    if (index >= size)
        return arcs_err_set(err, ARCS_EVERIFY,
                            "inclusion proof names leaf %llu of a tree of %llu leaves",
                            (unsigned long long)index, (unsigned long long)size);
    fn = index;
    sn = size - 1;
    memcpy(r, leaf_hash, ARCS_HASH_SIZE);
    for (size_t i = 0; i < count; i++) {
        const uint8_t *p = proof + i * ARCS_HASH_SIZE;
        arcs_status st;

        if (sn == 0)
            return arcs_err_set(err, ARCS_EVERIFY,
                                "inclusion proof is too long: %zu hashes", count);
        if ((fn & 1) || fn == sn) {
            st = arcs_merkle_node_hash(r, p, r);
            if (!(fn & 1))
                while (!(fn & 1) && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
        } else {
            st = arcs_merkle_node_hash(r, r, p);
        }
        if (st != ARCS_OK)
            return arcs_err_set(err, ARCS_ERROR, "sha-256 failed in openssl");
        fn >>= 1;
        sn >>= 1;
    }
    if (sn != 0)
        return arcs_err_set(err, ARCS_EVERIFY, "inclusion proof is too short: %zu hashes",
                            count);
    if (CRYPTO_memcmp(r, root, ARCS_HASH_SIZE) != 0)
        return arcs_err_set(
            err, ARCS_EVERIFY,
            "inclusion proof does not lead to the tree root: the entry or "
            "the proof was changed");
    return ARCS_OK;
}

arcs_status arcs_merkle_verify_consistency(uint64_t m, uint64_t n, const uint8_t *proof,
                                           size_t count,
                                           const uint8_t old_root[ARCS_HASH_SIZE],
                                           const uint8_t new_root[ARCS_HASH_SIZE],
                                           arcs_err *err)
{
    uint8_t fr[ARCS_HASH_SIZE], sr[ARCS_HASH_SIZE];
    uint64_t fn, sn;
    size_t start;

    if (m > n)
        return arcs_err_set(
            err, ARCS_EVERIFY,
            "tree shrank from %llu to %llu leaves: a rollback or a truncation",
            (unsigned long long)m, (unsigned long long)n);
    if (m == n) {
        if (count != 0)
            return arcs_err_set(err, ARCS_EVERIFY,
                                "consistency proof between equal sizes must be empty");
        if (CRYPTO_memcmp(old_root, new_root, ARCS_HASH_SIZE) != 0)
            return arcs_err_set(err, ARCS_EVERIFY,
                                "two trees of %llu leaves have different roots: a fork",
                                (unsigned long long)m);
        return ARCS_OK;
    }
    if (m == 0) {
        if (count != 0)
            return arcs_err_set(err, ARCS_EVERIFY,
                                "consistency proof from the empty tree must be empty");
        return ARCS_OK;
    }
    if (count == 0)
        return arcs_err_set(err, ARCS_EVERIFY, "consistency proof is empty");

    /* RFC 9162 §2.1.4.2: when m is a power of two the old root is itself the
       first node of the path. */
    if ((m & (m - 1)) == 0) {
        memcpy(fr, old_root, ARCS_HASH_SIZE);
        start = 0;
    } else {
        memcpy(fr, proof, ARCS_HASH_SIZE);
        start = 1;
    }
    memcpy(sr, fr, ARCS_HASH_SIZE);
    fn = m - 1;
    sn = n - 1;
    while (fn & 1) {
        fn >>= 1;
        sn >>= 1;
    }
    for (size_t i = start; i < count; i++) {
        const uint8_t *c = proof + i * ARCS_HASH_SIZE;

        if (sn == 0)
            return arcs_err_set(err, ARCS_EVERIFY,
                                "consistency proof is too long: %zu hashes", count);
        if ((fn & 1) || fn == sn) {
            if (arcs_merkle_node_hash(fr, c, fr) != ARCS_OK ||
                arcs_merkle_node_hash(sr, c, sr) != ARCS_OK)
                return arcs_err_set(err, ARCS_ERROR, "sha-256 failed in openssl");
            while (!(fn & 1) && fn != 0) {
                fn >>= 1;
                sn >>= 1;
            }
        } else {
            if (arcs_merkle_node_hash(sr, sr, c) != ARCS_OK)
                return arcs_err_set(err, ARCS_ERROR, "sha-256 failed in openssl");
        }
        fn >>= 1;
        sn >>= 1;
    }
    if (sn != 0)
        return arcs_err_set(err, ARCS_EVERIFY,
                            "consistency proof is too short: %zu hashes", count);
    if (CRYPTO_memcmp(fr, old_root, ARCS_HASH_SIZE) != 0)
        return arcs_err_set(
            err, ARCS_EVERIFY,
            "consistency proof does not match the old root of %llu leaves",
            (unsigned long long)m);
    if (CRYPTO_memcmp(sr, new_root, ARCS_HASH_SIZE) != 0)
        return arcs_err_set(err, ARCS_EVERIFY,
                            "tree of %llu leaves is not an extension of the tree of %llu "
                            "leaves: history was rewritten",
                            (unsigned long long)n, (unsigned long long)m);
    return ARCS_OK;
}

void arcs_merkle_frontier_init(arcs_merkle_frontier *f)
{
    memset(f, 0, sizeof(*f));
}

arcs_status arcs_merkle_frontier_append(arcs_merkle_frontier *f,
                                        const uint8_t leaf_hash[ARCS_HASH_SIZE],
                                        arcs_err *err)
{
    uint8_t h[ARCS_HASH_SIZE];

    if (f->size == UINT64_MAX)
        return arcs_err_set(err, ARCS_EINVAL, "merkle tree is full");
    memcpy(h, leaf_hash, ARCS_HASH_SIZE);
    /* Each trailing one bit of the old size is a perfect subtree of the same
       height as the one being carried: merge them, like binary addition. */
    for (uint64_t s = f->size; s & 1; s >>= 1) {
        if (arcs_merkle_node_hash(h, f->hashes[f->count - 1], h) != ARCS_OK)
            return arcs_err_set(err, ARCS_ERROR, "sha-256 failed in openssl");
        f->count--;
    }
    memcpy(f->hashes[f->count++], h, ARCS_HASH_SIZE);
    f->size++;
    return ARCS_OK;
}

arcs_status arcs_merkle_frontier_root(uint8_t out[ARCS_HASH_SIZE],
                                      const arcs_merkle_frontier *f, arcs_err *err)
{
    uint8_t r[ARCS_HASH_SIZE];

    if (f->count == 0) {
        if (empty_root(out) != ARCS_OK)
            return arcs_err_set(err, ARCS_ERROR, "sha-256 failed in openssl");
        return ARCS_OK;
    }
    memcpy(r, f->hashes[f->count - 1], ARCS_HASH_SIZE);
    for (unsigned i = f->count - 1; i-- > 0;)
        if (arcs_merkle_node_hash(r, f->hashes[i], r) != ARCS_OK)
            return arcs_err_set(err, ARCS_ERROR, "sha-256 failed in openssl");
    memcpy(out, r, ARCS_HASH_SIZE);
    return ARCS_OK;
}

static unsigned popcount64(uint64_t v)
{
    unsigned c = 0;

    for (; v; v &= v - 1)
        c++;
    return c;
}

arcs_status arcs_merkle_frontier_serialize(uint8_t *buf, size_t cap, size_t *outlen,
                                           const arcs_merkle_frontier *f, arcs_err *err)
{
    size_t need = 8 + (size_t)f->count * ARCS_HASH_SIZE;

    if (f->count != popcount64(f->size) || f->count > ARCS_MERKLE_MAX_LEVELS)
        return arcs_err_set(err, ARCS_EINVAL, "merkle frontier is inconsistent");
    if (cap < need)
        return arcs_err_set(err, ARCS_EINVAL,
                            "buffer of %zu bytes is too small for a frontier of %zu", cap,
                            need);
    for (int i = 0; i < 8; i++)
        buf[i] = (uint8_t)(f->size >> (56 - 8 * i));
    memcpy(buf + 8, f->hashes, (size_t)f->count * ARCS_HASH_SIZE);
    *outlen = need;
    return ARCS_OK;
}

arcs_status arcs_merkle_frontier_deserialize(arcs_merkle_frontier *f, const uint8_t *buf,
                                             size_t len, arcs_err *err)
{
    uint64_t size = 0;
    unsigned count;

    if (len < 8)
        return arcs_err_set(
            err, ARCS_EINVAL,
            "merkle frontier of %zu bytes is too short: expected at least 8", len);
    for (int i = 0; i < 8; i++)
        size = size << 8 | buf[i];
    count = popcount64(size);
    if (len != 8 + (size_t)count * ARCS_HASH_SIZE)
        return arcs_err_set(err, ARCS_EINVAL,
                            "merkle frontier of %zu bytes does not match its size %llu: "
                            "expected %zu bytes",
                            len, (unsigned long long)size,
                            8 + (size_t)count * ARCS_HASH_SIZE);
    arcs_merkle_frontier_init(f);
    f->size = size;
    f->count = count;
    memcpy(f->hashes, buf + 8, (size_t)count * ARCS_HASH_SIZE);
    return ARCS_OK;
}

void arcs_hash_hex(char buf[2 * ARCS_HASH_SIZE + 1], const uint8_t hash[ARCS_HASH_SIZE])
{
    static const char hex[] = "0123456789abcdef";

    for (int i = 0; i < ARCS_HASH_SIZE; i++) {
        buf[2 * i] = hex[hash[i] >> 4];
        buf[2 * i + 1] = hex[hash[i] & 15];
    }
    buf[2 * ARCS_HASH_SIZE] = '\0';
}
