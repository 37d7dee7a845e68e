/* Audit internals shared by seal.c, verify.c, checkpoint.c and log.c. */
#ifndef ARCS_AUDIT_CAPTURE_INT_H
#define ARCS_AUDIT_CAPTURE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "arcs/canonical.h"
#include "arcs/merkle.h"
#include "../db_int.h"
#include "entry_int.h"

/* The advisory lock key every sealer takes: appends are serialized. */
#define ARCS__AUDIT_SEAL_LOCK "7243010003"

/* Decode PostgreSQL bytea hex output ("\x0a1b...") into buf (cap bytes);
 *len gets the length. ARCS_EINVAL if malformed or too long. */
arcs_status arcs__audit_unhex(uint8_t *buf, size_t cap, size_t *len, const char *text);

/* Does the audit schema exist (0003 applied)? *yes 1 or 0. */
arcs_status arcs__audit_present(arcs_ctx *ctx, int *yes);

/*
 * Stream entries [from, upto) (upto < 0: all) in seq order through a cursor
 * inside the caller's transaction: fn gets seq and the raw entry bytes
 * (borrowed). fn returning non-OK stops with that status.
 */
typedef arcs_status (*arcs__audit_entry_fn)(void *arg, int64_t seq, const uint8_t *entry,
                                            size_t len);
arcs_status arcs__audit_stream(arcs_ctx *ctx, int64_t from, int64_t upto,
                               arcs__audit_entry_fn fn, void *arg);

/* Leaf hashes of entries [0, n) recomputed from their bytes (n * 32 bytes,
   malloc'd); ARCS_EVERIFY if fewer than n entries or a gap. */
arcs_status arcs__audit_leaves(arcs_ctx *ctx, int64_t n, uint8_t **out);

#endif
