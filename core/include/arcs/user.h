/* arcs: users are PostgreSQL login roles in one of four groups (SPEC §2). */
#ifndef ARCS_USER_H
#define ARCS_USER_H

#include "ctx.h"

/*
 * Create login `name` (lowercase letters, digits, _) in group role
 * (analyst, supervisor, auditor, admin). The password is hashed here into a
 * SCRAM-SHA-256 verifier (PQencryptPasswordConn) and only the verifier goes
 * to the server. The database user calling must be an arcs admin login or a
 * superuser; the database's checked function arcs.create_login makes the
 * login (no CREATEROLE needed). A login that exists in that group already is a
 * retry: nothing changes (its password neither) and *existed (may be NULL)
 * is 1; one in another group is ARCS_ECONFLICT. Malformed name, role or
 * empty password: ARCS_EINVAL. The caller should wipe password after.
 */
ARCS_EXTERN(arcs_status)
arcs_user_add(arcs_ctx *ctx, const char *name, const char *role, const char *password,
              int *existed);

/*
 * Lock (enabled 0: the login can no longer connect) or unlock an arcs login,
 * through arcs.set_login_enabled: only an arcs admin (or a superuser) may,
 * never its own login, never a role that is not purely an arcs login
 * (ARCS_EPERM). *changed (may be NULL) is 0 when it was so already. No such
 * login: ARCS_ENOTFOUND.
 */
ARCS_EXTERN(arcs_status)
arcs_user_set_enabled(arcs_ctx *ctx, const char *name, int enabled, int *changed);

/*
 * Change the connected user's own password: hashed here into a SCRAM
 * verifier, as for arcs_user_add. No one changes another's password.
 */
ARCS_EXTERN(arcs_status) arcs_user_set_password(arcs_ctx *ctx, const char *password);

/*
 * The arcs group of the connected database user, for a face that shows or
 * hides what the role may do (the database decides all the same): the first
 * of "admin", "supervisor", "analyst", "auditor" it is a member of, written
 * into out (room for 16), or "" when none.
 */
ARCS_EXTERN(arcs_status) arcs_user_group(arcs_ctx *ctx, char out[16]);

#endif
