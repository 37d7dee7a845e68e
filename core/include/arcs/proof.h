/*
 * arcs: self-contained proof files (`arcs audit prove SEQ`, checked offline
 * by `arcs audit verify-proof FILE --vkey VKEY`). Pure functions of bytes.
 *
 * File format "arcs-proof v1": UTF-8 text, lines ending in "\n" (no "\r"),
 * in exactly this order, nothing else (no blank lines, no trailing spaces,
 * no comments). NUM is a decimal number without sign or leading zero ("0"
 * is allowed) below 2^63; B64 is standard base64 with padding (RFC 4648);
 * HASH is B64 of exactly 32 bytes.
 *
 *   arcs-proof v1
 *   index NUM                 the entry's sequence number (leaf index, from 0)
 *   tree-size NUM             size of the tree the proof is for (> index)
 *   entry B64                 the entry bytes exactly as hashed (canonical JSON)
 *   inclusion HASH            zero or more lines: the inclusion path of
 *                             RFC 9162 §2.1.3, from the leaf's sibling upward
 *   [consistency-from NUM     optional section: size m of an older checkpoint
 *                             (0 < m <= tree-size)
 *    consistency HASH         zero or more lines: the consistency proof
 *                             m -> tree-size of RFC 9162 §2.1.4
 *    old-checkpoint NUM       the byte length L of the older signed note,
 *    <L bytes>                followed by that note verbatim (it ends in "\n")]
 *   checkpoint                then the signed checkpoint note verbatim, from
 *   <note bytes to EOF>       the next byte to the end of the file
 *
 * Verification (arcs_proof_verify), all offline:
 *   1. the checkpoint note verifies with one of the given verifier keys
 *      (C2SP signed note, see note.h) and its text is a checkpoint whose size
 *      equals tree-size;
 *   2. SHA-256(0x00 || entry) is at index in a tree of tree-size leaves with
 *      the checkpoint's root, by the inclusion lines (RFC 9162 §2.1.3.2);
 *   3. with a consistency section: the old note verifies with one of the keys,
 *      its checkpoint has the same origin and size m, and the consistency
 *      lines prove its root a prefix of the checkpoint's (RFC 9162 §2.1.4.2).
 * The entry index and tree size are also bound by the signed checkpoint.
 */
#ifndef ARCS_PROOF_H
#define ARCS_PROOF_H

#include "common.h"
#include "note.h"

#define ARCS_PROOF_MAX_BYTES ((size_t)96 * 1024 * 1024)

/* A proof. Owns its buffers: arcs_proof_clear. Init with {0}. */
typedef struct arcs_proof {
    uint64_t index;
    uint64_t tree_size;
    uint8_t *entry; /* entry_len bytes (malloc'd) */
    size_t entry_len;
    uint8_t *inclusion; /* inclusion_count * 32 bytes (malloc'd or NULL) */
    size_t inclusion_count;
    int has_consistency;
    uint64_t old_size;
    uint8_t *consistency; /* consistency_count * 32 bytes (malloc'd or NULL) */
    size_t consistency_count;
    char *old_checkpoint; /* the older signed note (malloc'd, NUL-terminated) */
    size_t old_checkpoint_len;
    char *checkpoint; /* the signed note (malloc'd, NUL-terminated) */
    size_t checkpoint_len;
} arcs_proof;

/* Free what p owns and zero it. Accepts NULL. */
ARCS_EXTERN(void) arcs_proof_clear(arcs_proof *p);

/*
 * Fill p (which must be {0}) for the entry at index, from the leaf hashes of
 * the first tree_size entries (leaves: tree_size * 32 bytes, borrowed), the
 * entry bytes (copied) and the signed checkpoint note for tree_size (copied,
 * not checked here). ARCS_EINVAL if index >= tree_size or the entry's leaf
 * hash differs from leaves[index]. On failure p is cleared.
 */
ARCS_EXTERN(arcs_status)
arcs_proof_build(arcs_proof *p, const uint8_t *leaves, uint64_t tree_size, uint64_t index,
                 const void *entry, size_t entry_len, const char *checkpoint_note,
                 size_t checkpoint_len, arcs_err *err);

/*
 * Add the consistency section to a built proof: from the older checkpoint
 * of old_size leaves (old_note, copied) to p->tree_size, using the same
 * leaves. ARCS_EINVAL if old_size is 0 or > p->tree_size.
 */
ARCS_EXTERN(arcs_status)
arcs_proof_add_consistency(arcs_proof *p, const uint8_t *leaves, uint64_t old_size,
                           const char *old_note, size_t old_note_len, arcs_err *err);

/* Write p in the file format above: *out malloc'd, NUL-terminated (free()),
 *outlen bytes (may be NULL). */
ARCS_EXTERN(arcs_status)
arcs_proof_write(char **out, size_t *outlen, const arcs_proof *p, arcs_err *err);

/*
 * Parse a proof file strictly: any malformed, missing, reordered or extra
 * line is ARCS_EINVAL with the line number. p must be {0}; on failure it is
 * cleared. The notes are not checked here (arcs_proof_verify does that).
 */
ARCS_EXTERN(arcs_status)
arcs_proof_parse(arcs_proof *p, const char *buf, size_t len, arcs_err *err);

/*
 * Verify p offline as described above against nkeys verifier keys.
 * ARCS_OK, or ARCS_EVERIFY with a message naming what failed (signature,
 * size, inclusion, consistency).
 */
ARCS_EXTERN(arcs_status)
arcs_proof_verify(const arcs_proof *p, const arcs_note_verifier *keys, size_t nkeys,
                  arcs_err *err);

#endif
