/*
 * arcs: Merkle trees of RFC 6962 / RFC 9162 over SHA-256. Pure functions of
 * bytes: no database, no globals.
 *
 *   leaf hash   = SHA-256(0x00 || entry bytes)
 *   node hash   = SHA-256(0x01 || left || right)
 *   empty tree  = SHA-256("")  (e3b0c442...b855)
 *   MTH(D[n])   = for n > 1, with k the largest power of two < n:
 *                 node(MTH(D[0:k]), MTH(D[k:n]))
 *
 * Proofs are arrays of 32-byte hashes, laid out contiguously (count * 32
 * bytes), in the order of RFC 9162 §2.1.3 (inclusion: from the leaf's
 * sibling upwards) and §2.1.4 (consistency). Verification follows RFC 9162
 * §2.1.3.2 and §2.1.4.2 exactly: a proof one hash too long or too short fails.
 *
 * Frontier ("compact range" of [0, size)): the roots of the perfect subtrees
 * that make up the tree, one per set bit of size, largest (leftmost) first.
 * Serialized as 8 bytes of size (big-endian) followed by popcount(size)
 * hashes of 32 bytes, largest first: at most ARCS_MERKLE_FRONTIER_MAX bytes.
 * Appending a leaf costs O(log n) hashes and the root O(log n), so a seal of
 * k new entries costs O(k + log n) with the frontier stored between seals.
 */
#ifndef ARCS_MERKLE_H
#define ARCS_MERKLE_H

#include "common.h"

#define ARCS_HASH_SIZE 32
#define ARCS_MERKLE_MAX_LEVELS 64
#define ARCS_MERKLE_FRONTIER_MAX (8 + ARCS_MERKLE_MAX_LEVELS * ARCS_HASH_SIZE)

/* out = SHA-256(0x00 || data). ARCS_ERROR only if OpenSSL fails. */
ARCS_EXTERN(arcs_status)
arcs_merkle_leaf_hash(uint8_t out[ARCS_HASH_SIZE], const void *data, size_t len);

/* out = SHA-256(0x01 || left || right); out may alias left or right. */
ARCS_EXTERN(arcs_status)
arcs_merkle_node_hash(uint8_t out[ARCS_HASH_SIZE], const uint8_t left[ARCS_HASH_SIZE],
                      const uint8_t right[ARCS_HASH_SIZE]);

/*
 * Root of the tree of n leaf hashes (leaves: n * 32 bytes, borrowed; NULL
 * when n is 0). The empty tree's root is SHA-256(""). ARCS_ERROR if OpenSSL
 * fails.
 */
ARCS_EXTERN(arcs_status)
arcs_merkle_root(uint8_t out[ARCS_HASH_SIZE], const uint8_t *leaves, uint64_t n,
                 arcs_err *err);

/*
 * Inclusion proof of leaf `index` in the tree of the first n leaf hashes:
 * *proof (malloc'd, the caller frees it with free(); NULL when the proof is
 * empty, i.e. n == 1) holds *count hashes. ARCS_EINVAL if index >= n.
 */
ARCS_EXTERN(arcs_status)
arcs_merkle_inclusion_proof(uint8_t **proof, size_t *count, const uint8_t *leaves,
                            uint64_t n, uint64_t index, arcs_err *err);

/*
 * Consistency proof from the tree of the first m leaves to the tree of the
 * first n leaves (RFC 6962 §2.1.2 PROOF(m, D[n])): *proof as above. Empty
 * when m == 0 or m == n. ARCS_EINVAL if m > n.
 */
ARCS_EXTERN(arcs_status)
arcs_merkle_consistency_proof(uint8_t **proof, size_t *count, const uint8_t *leaves,
                              uint64_t m, uint64_t n, arcs_err *err);

/*
 * Verify that leaf_hash is at index in the tree of size whose root is root,
 * given the proof (count hashes), per RFC 9162 §2.1.3.2. ARCS_OK or
 * ARCS_EVERIFY (index >= size, wrong length, wrong root).
 */
ARCS_EXTERN(arcs_status)
arcs_merkle_verify_inclusion(const uint8_t leaf_hash[ARCS_HASH_SIZE], uint64_t index,
                             uint64_t size, const uint8_t *proof, size_t count,
                             const uint8_t root[ARCS_HASH_SIZE], arcs_err *err);

/*
 * Verify that the tree of size m with root old_root is a prefix of the tree
 * of size n with root new_root, per RFC 9162 §2.1.4.2. m == n needs an empty
 * proof and equal roots; m == 0 needs an empty proof (consistent with
 * anything). ARCS_OK or ARCS_EVERIFY.
 */
ARCS_EXTERN(arcs_status)
arcs_merkle_verify_consistency(uint64_t m, uint64_t n, const uint8_t *proof, size_t count,
                               const uint8_t old_root[ARCS_HASH_SIZE],
                               const uint8_t new_root[ARCS_HASH_SIZE], arcs_err *err);

/* The right edge of a tree: see the top of this file. Plain data: copy it
   freely; arcs_merkle_frontier_init gives the empty tree. */
typedef struct arcs_merkle_frontier {
    uint64_t size;
    unsigned count; /* == popcount(size) */
    uint8_t hashes[ARCS_MERKLE_MAX_LEVELS][ARCS_HASH_SIZE];
} arcs_merkle_frontier;

ARCS_EXTERN(void) arcs_merkle_frontier_init(arcs_merkle_frontier *f);

/* Append one leaf hash. ARCS_EINVAL if the tree is full (2^64 - 1). */
ARCS_EXTERN(arcs_status)
arcs_merkle_frontier_append(arcs_merkle_frontier *f,
                            const uint8_t leaf_hash[ARCS_HASH_SIZE], arcs_err *err);

/* Root of the tree so far (SHA-256("") when empty). */
ARCS_EXTERN(arcs_status)
arcs_merkle_frontier_root(uint8_t out[ARCS_HASH_SIZE], const arcs_merkle_frontier *f,
                          arcs_err *err);

/* Write f into buf (cap bytes; ARCS_MERKLE_FRONTIER_MAX always suffices);
 *outlen gets the length. ARCS_EINVAL if cap is too small. */
ARCS_EXTERN(arcs_status)
arcs_merkle_frontier_serialize(uint8_t *buf, size_t cap, size_t *outlen,
                               const arcs_merkle_frontier *f, arcs_err *err);

/* Read a frontier written by arcs_merkle_frontier_serialize. ARCS_EINVAL
   unless len is exactly 8 + popcount(size) * 32. */
ARCS_EXTERN(arcs_status)
arcs_merkle_frontier_deserialize(arcs_merkle_frontier *f, const uint8_t *buf, size_t len,
                                 arcs_err *err);

/* Lowercase hex of a hash into buf (65 bytes with NUL), for messages. */
ARCS_EXTERN(void)
arcs_hash_hex(char buf[2 * ARCS_HASH_SIZE + 1], const uint8_t hash[ARCS_HASH_SIZE]);

#endif
