/*
 * arcs: the tamper-evident audit log kept in the database (SPEC §4,
 * docs/audit-format.md): sealing captured changes, checkpoints, verification,
 * reading the log, proofs and export.
 */
#ifndef ARCS_AUDIT_H
#define ARCS_AUDIT_H

#include "ctx.h"

/*
 * Seal every captured change into the log, under an advisory lock so
 * concurrent sealers never fork it. *sealed (may be NULL) gets the number of
 * new entries, *size (may be NULL) the log size after. A database without
 * the audit schema seals nothing. ARCS_EPERM for a role that may not seal.
 */
ARCS_EXTERN(arcs_status) arcs_audit_seal(arcs_ctx *ctx, int64_t *sealed, int64_t *size);

/* One problem found by verify. Strings are borrowed for the callback only. */
typedef struct arcs_audit_finding {
    int64_t seq;         /* the entry involved, or -1 when none */
    const char *entity;  /* "arcs.assets {"id":"42"}", a checkpoint file, or "" */
    const char *problem; /* one line */
} arcs_audit_finding;

typedef void (*arcs_audit_finding_fn)(void *arg, const arcs_audit_finding *f);

typedef struct arcs_audit_verify_opts {
    const char *const *vkeys; /* verifier key texts */
    size_t nvkeys;
    const char *const *checkpoints;      /* signed checkpoint notes (file contents) */
    const char *const *checkpoint_names; /* for findings (file names), may be NULL */
    size_t ncheckpoints;
    int64_t max_pending_age; /* seconds; < 0: the default, 600 */
    arcs_audit_finding_fn on_finding;
    void *arg;
} arcs_audit_verify_opts;

typedef struct arcs_audit_verify_result {
    int64_t size;       /* entries checked */
    int64_t findings;   /* problems found */
    int checkpoints_ok; /* given checkpoints that verified and are consistent */
    uint8_t root[32];   /* recomputed root of the whole log */
} arcs_audit_verify_result;

/*
 * Recompute everything from the raw entry bytes (never a stored hash) in one
 * consistent snapshot, reporting each problem through opts->on_finding:
 * sequence gaps, non-canonical entries or a seq field that is not the
 * position, stored tree heads that differ from the recomputed roots,
 * checkpoints (given, or stored in arcs_audit.checkpoints) that do not
 * verify with the given keys or are not consistent with the log, index
 * columns of entries that differ from what their bytes give, business rows
 * (read raw and rendered here, relying on no function or view of the arcs
 * schemas) that differ from what replaying the log gives, changes left
 * unsealed longer than max_pending_age, tables without capture. Streams
 * entries: memory is bounded by the frontier and one digest per row key.
 * ARCS_OK when all holds, ARCS_EVERIFY when anything was found, another
 * status when verification could not run. res may be NULL.
 */
ARCS_EXTERN(arcs_status)
arcs_audit_verify(arcs_ctx *ctx, const arcs_audit_verify_opts *opts,
                  arcs_audit_verify_result *res);

/*
 * Seal, then sign a checkpoint of the whole log with the key file at
 * key_path (refused with ARCS_EINVAL when group or others may read it) and
 * store it in arcs_audit.checkpoints. *note (malloc'd, free()) gets the
 * signed note. The root signed is recomputed from the entry bytes, never
 * read from the stored tree state, and must extend the last tree this key
 * signed, kept in key_path + ".last" (written atomically before the note is
 * returned; created by the first checkpoint): a shorter log (rollback) or
 * one whose first entries give another root (fork) is refused with
 * ARCS_EVERIFY, nothing signed, the state unchanged.
 */
ARCS_EXTERN(arcs_status)
arcs_audit_checkpoint(arcs_ctx *ctx, const char *key_path, char **note, int64_t *size);

/*
 * Witness: check that the checkpoint note cp (signed by the log key in
 * vkeys, when given) matches the log and is consistent with the older
 * checkpoint prev (may be NULL) by a consistency proof computed from the
 * entry bytes, then add the signature of the key at key_path. ARCS_EVERIFY
 * for a smaller or inconsistent checkpoint or one whose root is not the
 * log's. *out malloc'd (free()).
 */
ARCS_EXTERN(arcs_status)
arcs_audit_cosign(arcs_ctx *ctx, const char *key_path, const char *cp, size_t cp_len,
                  const char *prev, size_t prev_len, char **out);

/* One entry of the log, for listing. Strings borrowed for the callback. */
typedef struct arcs_audit_log_row {
    int64_t seq;
    const char *time;
    const char *db_user;
    const char *actor;
    const char *op;
    const char *table;
    const char *key;   /* canonical JSON of the key */
    const char *entry; /* the canonical entry bytes */
} arcs_audit_log_row;

typedef int (*arcs_audit_log_fn)(void *arg, const arcs_audit_log_row *row);

/*
 * List entries from seq since (0: all), of one case when case_ref is not
 * NULL (entries of the case row and of rows naming it by case_id, or naming
 * one of its assets by asset_id). fn returning non-zero stops. ARCS_ENOTFOUND
 * for an unknown case.
 */
ARCS_EXTERN(arcs_status)
arcs_audit_log(arcs_ctx *ctx, const char *case_ref, int64_t since, arcs_audit_log_fn fn,
               void *arg);

/*
 * Proof file (proof.h format) for entry seq against the latest stored
 * checkpoint that includes it (or the note given in cp). *out malloc'd.
 */
ARCS_EXTERN(arcs_status)
arcs_audit_prove(arcs_ctx *ctx, int64_t seq, const char *cp, size_t cp_len, char **out,
                 size_t *outlen);

/*
 * Export entries [0, upto) (upto < 0: all) into directory dir: entries.jsonl,
 * checkpoint, README. With key_path, seal and sign a checkpoint first.
 * ARCS_ENOTFOUND if no stored checkpoint has exactly that size.
 */
ARCS_EXTERN(arcs_status)
arcs_audit_export(arcs_ctx *ctx, const char *dir, int64_t upto, const char *key_path,
                  int64_t *size);

/*
 * Check an export folder offline against verifier keys: every line canonical
 * with its seq, the root of the lines equals the signed checkpoint's.
 * ARCS_EVERIFY with a message naming the first problem. err may be NULL.
 */
ARCS_EXTERN(arcs_status)
arcs_audit_verify_export(const char *dir, const char *const *vkeys, size_t nvkeys,
                         int64_t *size, arcs_err *err);

#endif
