/*
 * The one door to libpq: every statement goes through arcs__db_exec, always
 * with $n parameters (PQexecParams); SQL is never built from input.
 */
#ifndef ARCS_DB_INT_H
#define ARCS_DB_INT_H

#include <libpq-fe.h>

#include "ctx_int.h"

/*
 * Run one statement with text parameters (NULL entries are SQL NULLs).
 * Succeeds on PGRES_COMMAND_OK or PGRES_TUPLES_OK; otherwise maps the
 * SQLSTATE to a status and sets the handle's message. *out (if out is not
 * NULL) receives the result, which the caller PQclear()s; on failure *out is
 * NULL.
 */
arcs_status arcs__db_exec(arcs_ctx *ctx, PGresult **out, const char *sql, int nparams,
                          const char *const *params);

/*
 * arcs__db_exec with some parameters in binary form: formats[i] = 1 sends
 * params[i] as lengths[i] raw bytes (bytea), 0 as text. Either array may be
 * NULL (all text).
 */
arcs_status arcs__db_exec_bin(arcs_ctx *ctx, PGresult **out, const char *sql, int nparams,
                              const char *const *params, const int *lengths,
                              const int *formats);

/*
 * Run a query expected to return at most one row; *out gets a malloc'd copy
 * of its first column (NULL for SQL NULL). No row: ARCS_ENOTFOUND, with
 * the message "<what> not found" when what is not NULL.
 */
arcs_status arcs__db_value(arcs_ctx *ctx, char **out, const char *what, const char *sql,
                           int nparams, const char *const *params);

/*
 * Called by arcs__db_rows for each row of its result, in order. item is the
 * row's zeroed slot in the array arcs__db_rows allocated, or NULL when it
 * allocates none. ARCS_OK goes on to the next row; any other status (its
 * message set, as by arcs__fail) stops there and is returned.
 */
typedef arcs_status (*arcs__row_fn)(arcs_ctx *ctx, const PGresult *res, int row,
                                    void *item, void *arg);

/*
 * Run a query as arcs__db_exec does and hand each row of its result to fn.
 * With size 0, items and n are not used. Otherwise *items first receives a
 * zeroed array of one item of size bytes per row (NULL when there is no row;
 * ARCS_ERROR "out of memory" when it cannot be had), and *n counts each row
 * from 0 before fn fills its item: whatever the status, the caller's free
 * function reaches every item fn may have begun to fill.
 */
arcs_status arcs__db_rows(arcs_ctx *ctx, const char *sql, int nparams,
                          const char *const *params, arcs__row_fn fn, void *arg,
                          size_t size, void **items, size_t *n);

/* Map a failed result to a status and message on the handle. */
arcs_status arcs__db_fail_result(arcs_ctx *ctx, const PGresult *res);

/* Flags for arcs__db_tx. */
enum {
    ARCS__TX_READONLY = 1 << 0,
    /* the body is idempotent (keyed by a reference): after a connection lost
       during COMMIT, reconnect and run it again */
    ARCS__TX_RECONNECT = 1 << 1,
    ARCS__TX_SERIALIZABLE = 1 << 2,
    /* do not seal the audit log after commit even when autoseal is on */
    ARCS__TX_NOSEAL = 1 << 3
};

typedef arcs_status (*arcs__tx_fn)(arcs_ctx *ctx, void *arg);

/*
 * Run fn inside one transaction: BEGIN, set the actor (SET LOCAL), fn,
 * COMMIT. A serialization failure or deadlock retries the whole body; a
 * failure of fn rolls back and returns its status with its message. After a
 * committed write, seals the audit log when the handle's autoseal is on.
 */
arcs_status arcs__db_tx(arcs_ctx *ctx, int flags, arcs__tx_fn fn, void *arg);

/* Seal pending audit captures into the log (audit/seal.c). */
arcs_status arcs__audit_seal(arcs_ctx *ctx, int64_t *sealed);

/* malloc'd copy of s, or NULL on NULL or out of memory. */
char *arcs__strdup(const char *s);

#endif
