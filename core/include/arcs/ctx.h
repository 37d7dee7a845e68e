/*
 * arcs: the context handle. One handle holds one database connection, the
 * application actor, and the last error message.
 */
#ifndef ARCS_CTX_H
#define ARCS_CTX_H

#include "common.h"

typedef struct arcs_ctx arcs_ctx;

/*
 * Connect. conninfo may be NULL or "": then ARCS_DB, then libpq's own
 * environment (PGHOST, PGDATABASE, PGSERVICE ...) decide. *out is always set
 * unless memory ran out, even on failure, so the message can be read with
 * arcs_errmsg(); free it with arcs_ctx_free(). Returns ARCS_ERROR when the
 * connection fails, ARCS_EINVAL when conninfo holds a password
 * (arcs_conninfo_check).
 */
ARCS_EXTERN(arcs_status) arcs_ctx_open(arcs_ctx **out, const char *conninfo);

/*
 * Refuse a connection string that holds a password (key=value or a
 * postgresql:// URI): arguments and the environment show in the process
 * list. ARCS_EINVAL with a hint to use ~/.pgpass or PGPASSFILE; the
 * password is never echoed. arcs_ctx_open runs it on what it is given.
 */
ARCS_EXTERN(arcs_status) arcs_conninfo_check(const char *conninfo, arcs_err *err);

/*
 * Connect as a person: the PostgreSQL role user with its password (the web
 * workspace's login). conninfo as for arcs_ctx_open names the server and
 * database; user and password given here override it. The connection is
 * refused (ARCS_EPERM, one message for every cause, naming neither) unless
 * the server actually checked the password: a server that lets the role in
 * without one (trust, peer), or a password taken from ~/.pgpass or
 * PGPASSWORD, would let anyone in as anyone. user must be a plain role name
 * (lowercase letters, digits, _; at most 63), password non-empty: else
 * ARCS_EINVAL. The password is not kept: a lost connection is not
 * reconnected. *out as for arcs_ctx_open.
 */
ARCS_EXTERN(arcs_status)
arcs_ctx_open_login(arcs_ctx **out, const char *conninfo, const char *user,
                    const char *password);

/* The database user of the connection (session_user); "" when not connected.
   Valid until the handle is freed. */
ARCS_EXTERN(const char *) arcs_ctx_user(const arcs_ctx *ctx);

/* Close the connection and free the handle. Accepts NULL. */
ARCS_EXTERN(void) arcs_ctx_free(arcs_ctx *ctx);

/* Last error message; "" when the last call succeeded. Valid until the next call. */
ARCS_EXTERN(const char *) arcs_errmsg(const arcs_ctx *ctx);

/* Last error status (ARCS_OK after a success). */
ARCS_EXTERN(arcs_status) arcs_errcode(const arcs_ctx *ctx);

/*
 * The application actor recorded with every change (a person behind a shared
 * database login). NULL clears it; the database user is then the actor.
 */
ARCS_EXTERN(arcs_status) arcs_ctx_set_actor(arcs_ctx *ctx, const char *actor);

/*
 * Whether write functions seal the audit log after they commit (on by default).
 * Bulk loaders turn it off and seal once at the end.
 */
ARCS_EXTERN(void) arcs_ctx_set_autoseal(arcs_ctx *ctx, int on);

#endif
