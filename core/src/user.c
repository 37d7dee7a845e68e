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
