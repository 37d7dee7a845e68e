/* arcs: creating, upgrading and inspecting the database schema. */
#ifndef ARCS_DB_H
#define ARCS_DB_H

#include "ctx.h"

/*
 * Create or upgrade the schema to target_version (0: the newest this binary
 * knows), each migration in its own transaction, under an advisory lock so
 * two installers never race. base_currency (NULL: keep, or KZT on a new
 * database) fixes the fund's currency once; asking for a different one later
 * is ARCS_EREFUSED. *applied (may be NULL) gets the number of migrations run.
 * Idempotent.
 */
ARCS_EXTERN(arcs_status)
arcs_db_init(arcs_ctx *ctx, const char *base_currency, int target_version, int *applied);

/* One row count of db status. */
typedef struct arcs_db_count {
    const char *name; /* "cases", "assets" ... (static string) */
    int64_t n;
} arcs_db_count;

#define ARCS_DB_MAX_COUNTS 24

typedef struct arcs_db_status {
    int schema_version; /* 0: not initialized */
    int latest_version; /* newest migration this binary carries */
    char base_currency[4];
    int64_t unsealed; /* captured changes not yet sealed into the log */
    int64_t log_size; /* sealed entries */
    size_t ncounts;
    arcs_db_count counts[ARCS_DB_MAX_COUNTS];
} arcs_db_status;

/* Fill *out. A database with no arcs schema gives schema_version 0 and ARCS_OK. */
ARCS_EXTERN(arcs_status) arcs_db_status_get(arcs_ctx *ctx, arcs_db_status *out);

/* The log's state as any arcs role may read it (arcs_db_status_get needs
   more): its size, and the last checkpoint stored in the database (a claim
   until verified against a key: arcs audit verify). */
typedef struct arcs_log_state {
    int64_t size;             /* sealed entries */
    int64_t checkpoint_size;  /* -1 when no checkpoint is stored */
    char checkpoint_time[40]; /* when it was stored (UTC), or "" */
    char checkpoint_signer[128];
} arcs_log_state;

ARCS_EXTERN(arcs_status) arcs_db_log_state(arcs_ctx *ctx, arcs_log_state *out);

/* A checkpoint stored in the database, as any arcs role may read it: a claim
   until verified against a key (arcs audit verify). */
typedef struct arcs_checkpoint_info {
    int64_t size;  /* entries it covers */
    char time[40]; /* when it was stored (UTC) */
    char signer[128];
} arcs_checkpoint_info;

/* The last stored checkpoints, largest first (the order arcs_db_log_state
   takes the last from), at most max of them into out; *n gets how many. */
ARCS_EXTERN(arcs_status)
arcs_db_checkpoints(arcs_ctx *ctx, arcs_checkpoint_info *out, size_t max, size_t *n);

/* The newest schema version this binary carries. */
ARCS_EXTERN(int) arcs_db_latest_version(void);

#endif
