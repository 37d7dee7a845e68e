/* Users: PostgreSQL login roles, created with a verifier hashed here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arcs/user.h"
#include "case_int.h"
#include "db_int.h"
#include "text_int.h"

static const char *const user_roles[] = {"analyst", "supervisor", "auditor", "admin",
                                         NULL};

struct user_args {
    const char *name;
    const char *group;
    const char *verifier;
    int existed;
};

static arcs_status user_body(arcs_ctx *ctx, void *arg)
{
    struct user_args *a = arg;
    const char *params[3] = {a->name, a->group, a->verifier};
    char *created = NULL;
    arcs_status st;

    st = arcs__db_value(ctx, &created, NULL, "SELECT arcs.create_login($1, $2, $3)::text",
                        3, params);
    if (st == ARCS_OK)
        a->existed = !created || strcmp(created, "true") != 0;
    free(created);
    return st;
}

arcs_status arcs_user_add(arcs_ctx *ctx, const char *name, const char *role,
                          const char *password, int *existed)
{
    static const char ok[] = "abcdefghijklmnopqrstuvwxyz0123456789_";
    struct user_args a = {name, NULL, NULL, 0};
    char group[32];
    char *verifier = NULL;
    size_t n = name ? strlen(name) : 0;
    arcs_status st;

    arcs__clear(ctx);
    if (existed)
        *existed = 0;
    if (n == 0 || n > 63 || strspn(name, ok) != n || (name[0] >= '0' && name[0] <= '9') ||
        !strncmp(name, "arcs_", 5) || !strncmp(name, "pg_", 3)) {
        char shown[320];
        arcs__text_clip(shown, sizeof(shown), name, n, 80);
        st = arcs__fail(ctx, ARCS_EINVAL,
                        "user name '%s' is malformed; use up to 63 lowercase letters, "
                        "digits and _, not starting with a digit, arcs_ or pg_",
                        shown);
        goto done;
    }
    st = arcs__check_word(ctx, "role", role, user_roles);
    if (st != ARCS_OK)
        goto done;
    if (!password || !*password) {
        st = arcs__fail(ctx, ARCS_EINVAL,
                        "empty password; give a password of at least "
                        "one character");
        goto done;
    }
    snprintf(group, sizeof(group), "arcs_%s", role);
    /* Only the verifier leaves this process: the server never sees the password. */
    verifier = PQencryptPasswordConn(ctx->conn, password, name, "scram-sha-256");
    if (!verifier) {
        st = arcs__fail(ctx, ARCS_ERROR, "cannot hash the password: %s",
                        PQerrorMessage(ctx->conn));
        goto done;
    }
    a.group = group;
    a.verifier = verifier;
    st = arcs__db_tx(ctx, 0, user_body, &a);
    if (st == ARCS_ECONFLICT)
        st = arcs__fail(ctx, ARCS_ECONFLICT,
                        "user %s exists already with another role; choose another name",
                        name);
    if (st == ARCS_OK && existed)
        *existed = a.existed;
done:
    if (verifier) {
        memset(verifier, 0, strlen(verifier));
        PQfreemem(verifier);
    }
    return st;
}

struct enable_args {
    const char *name;
    const char *enabled;
    int changed;
};

static arcs_status enable_body(arcs_ctx *ctx, void *arg)
{
    struct enable_args *a = arg;
    const char *params[2] = {a->name, a->enabled};
    char *changed = NULL;
    arcs_status st;

    st =
        arcs__db_value(ctx, &changed, NULL,
                       "SELECT arcs.set_login_enabled($1, $2::boolean)::text", 2, params);
    if (st == ARCS_OK)
        a->changed = changed && !strcmp(changed, "true");
    free(changed);
    return st;
}

arcs_status arcs_user_set_enabled(arcs_ctx *ctx, const char *name, int enabled,
                                  int *changed)
{
    struct enable_args a = {name, enabled ? "true" : "false", 0};
    arcs_status st;

    arcs__clear(ctx);
    if (changed)
        *changed = 0;
    if (!name || !*name || strlen(name) > 63)
        return arcs__fail(ctx, ARCS_EINVAL,
                          "user name '%.80s' is malformed; give a login name",
                          name ? name : "");
    st = arcs__db_tx(ctx, 0, enable_body, &a);
    if (st == ARCS_OK && changed)
        *changed = a.changed;
    return st;
}

static arcs_status password_body(arcs_ctx *ctx, void *arg)
{
    const char *params[1] = {arg};

    return arcs__db_exec(ctx, NULL, "SELECT arcs.set_own_password($1)", 1, params);
}

arcs_status arcs_user_set_password(arcs_ctx *ctx, const char *password)
{
    char *verifier = NULL;
    const char *me;
    arcs_status st;

    arcs__clear(ctx);
    if (!password || !*password)
        return arcs__fail(ctx, ARCS_EINVAL,
                          "empty password; give a password of at least one character");
    me = PQuser(ctx->conn);
    /* Only the verifier leaves this process: the server never sees the password. */
    verifier = PQencryptPasswordConn(ctx->conn, password, me ? me : "", "scram-sha-256");
    if (!verifier)
        return arcs__fail(ctx, ARCS_ERROR, "cannot hash the password: %s",
                          PQerrorMessage(ctx->conn));
    st = arcs__db_tx(ctx, 0, password_body, verifier);
    memset(verifier, 0, strlen(verifier));
    PQfreemem(verifier);
    return st;
}

arcs_status arcs_user_group(arcs_ctx *ctx, char out[16])
{
    char *v = NULL;
    arcs_status st;

    arcs__clear(ctx);
    out[0] = '\0';
    st = arcs__db_value(
        ctx, &v, "arcs role",
        "SELECT CASE"
        " WHEN pg_catalog.pg_has_role(session_user, 'arcs_admin', 'MEMBER') THEN 'admin'"
        " WHEN pg_catalog.pg_has_role(session_user, 'arcs_supervisor', 'MEMBER')"
        "  THEN 'supervisor'"
        " WHEN pg_catalog.pg_has_role(session_user, 'arcs_analyst', 'MEMBER')"
        "  THEN 'analyst'"
        " WHEN pg_catalog.pg_has_role(session_user, 'arcs_auditor', 'MEMBER')"
        "  THEN 'auditor' ELSE '' END",
        0, NULL);
    if (st == ARCS_OK)
        snprintf(out, 16, "%s", v ? v : "");
    free(v);
    return st;
}
