/* arcs: users are PostgreSQL login roles in one of four groups (SPEC §2). */
#ifndef ARCS_USER_H
#define ARCS_USER_H

#include "ctx.h"

/*
 * Create login `name` (lowercase letters, digits, _) in group role
 * (analyst, supervisor, auditor, admin). The password is hashed here into a
 * SCRAM-SHA-256 verifier (PQencryptPasswordConn) and only the verifier goes
 * to the server. The database user calling needs CREATEROLE (a superuser or
 * an arcs admin login). A login that exists in that group already is a
 * retry: nothing changes (its password neither) and *existed (may be NULL)
 * is 1; one in another group is ARCS_ECONFLICT. Malformed name, role or
 * empty password: ARCS_EINVAL. The caller should wipe password after.
 */
ARCS_EXTERN(arcs_status)
arcs_user_add(arcs_ctx *ctx, const char *name, const char *role, const char *password,
              int *existed);

#endif
