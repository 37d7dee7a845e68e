/* The signer's memory of the last checkpoint it signed, kept beside its key
   file (KEYFILE.last) so that it never signs a tree that does not extend it
   (SPEC §12; docs/audit-format.md). */
#ifndef ARCS_AUDIT_SIGNER_STATE_INT_H
#define ARCS_AUDIT_SIGNER_STATE_INT_H

#include <stdint.h>

#include "arcs/merkle.h"
#include "arcs/note.h"

typedef struct arcs__signer_state {
    char origin[ARCS_NOTE_NAME_MAX + 1]; /* the key's name */
    uint64_t size;
    uint8_t root[ARCS_HASH_SIZE];
    arcs_merkle_frontier f; /* the tree's right edge at size */
} arcs__signer_state;

/*
 * Hold the key file locked (flock, exclusive) while a checkpoint is made:
 * two signers with one key, even against two databases, take turns, and
 * each reads the state the other left. *fd gets the descriptor to pass to
 * arcs__signer_unlock.
 */
arcs_status arcs__signer_lock(const char *key_path, int *fd, arcs_err *err);
void arcs__signer_unlock(int fd);

/*
 * Read the state file of the key at key_path. *exists 0 (and ARCS_OK) when
 * there is none yet. The file must be a regular file, not a symlink, and
 * self-consistent (its frontier's root is its root): otherwise ARCS_EVERIFY
 * with the reason in err.
 */
arcs_status arcs__signer_state_load(const char *key_path, arcs__signer_state *s,
                                    int *exists, arcs_err *err);

/*
 * Replace the state file atomically: a temporary file made with mkstemp in
 * the same folder (mode 0600), written, fsync'd, renamed over the old one
 * (rename replaces a symlink itself, never its target), the folder fsync'd.
 * Refuses when the state path is anything but a regular file or absent.
 */
arcs_status arcs__signer_state_save(const char *key_path, const arcs__signer_state *s,
                                    arcs_err *err);

#endif
