/* The bytes of one audit entry (docs/audit-format.md §2), shared by the
   sealer and its tests. Pure: no database. */
#ifndef ARCS_AUDIT_ENTRY_INT_H
#define ARCS_AUDIT_ENTRY_INT_H

#include <stddef.h>
#include <stdint.h>

#include "arcs/canonical.h"
#include "canonical_int.h"

/* One captured change, as read from arcs_audit.pending (text columns). */
typedef struct arcs__audit_change {
    const char *txid;
    const char *table;
    const char *op;
    const char *key;     /* JSON text */
    const char *old_row; /* JSON text or NULL */
    const char *new_row; /* JSON text or NULL */
    const char *db_user;
    const char *actor;
    const char *time; /* YYYY-MM-DDTHH:MM:SS.ffffffZ */
} arcs__audit_change;

/*
 * The reference: the canonical entry bytes of change c at position seq,
 * written from a tree. *out malloc'd (free()), *outlen bytes; *key_out (may
 * be NULL) the canonical key, malloc'd.
 */
arcs_status arcs__audit_entry_build(char **out, size_t *outlen, char **key_out,
                                    int64_t seq, const arcs__audit_change *c,
                                    arcs_err *err);

/*
 * The sealer's way to the same bytes: no tree, and buffers reused from one
 * change to the next. After arcs__audit_entry_make succeeds, out.b[0, out.n)
 * are the entry's bytes (NUL-terminated), key.out[0, key.n) its canonical key,
 * and case_id / asset_id (NULL when absent) the lookup values the database
 * stores beside the entry (docs/audit-format.md §3; since migration 0011 it
 * derives them itself, by this same rule): the key's "id" for arcs.cases and
 * arcs.assets, otherwise the "case_id" / "asset_id" member of the new image
 * (else the old one), when it is a string without escapes. Start from a
 * zeroed struct.
 */
typedef struct arcs__audit_entry {
    arcs__json_canon key, new_img, old_img;
    arcs__buf out;
    const char *case_id, *asset_id;
    size_t case_id_len, asset_id_len;
} arcs__audit_entry;

arcs_status arcs__audit_entry_make(arcs__audit_entry *e, int64_t seq,
                                   const arcs__audit_change *c, arcs_err *err);
void arcs__audit_entry_free(arcs__audit_entry *e);

#endif
