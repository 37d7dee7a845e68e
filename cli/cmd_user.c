/* arcs user add | lock | unlock | password */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

struct user_opts {
    const char *role;
    const char *pwfile;
};

enum { OPT_ROLE = OPT_FIRST_OWN, OPT_PWFILE };

static int user_opt(cli_env *env, int c, const char *arg, void *p)
{
    struct user_opts *o = p;

    (void)env;
    if (c == OPT_ROLE)
        o->role = arg;
    else if (c == OPT_PWFILE)
        o->pwfile = arg;
    else
        return -1;
    return 0;
}

static int check_pwfile(cli_env *env, const char *path);

static int user_add(cli_env *env, int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_OPTIONS,
        {"role", required_argument, NULL, OPT_ROLE},
        {"password-file", required_argument, NULL, OPT_PWFILE},
        {0, 0, 0, 0}};
    struct user_opts o = {NULL, NULL};
    char *pw = NULL;
    int i, rc, existed = 0;
    arcs_status st;

    i = cli_parse(env, argc, argv, opts, user_opt, &o,
                  "NAME --role analyst|supervisor|auditor|admin [--password-file FILE]");
    if (i < 0)
        return i == -2 ? EXIT_OK : EXIT_USAGE;
    if (cli_need_operands(env, argc, argv, i, 1, "user name") != 0)
        return EXIT_USAGE;
    if (!o.role)
        return cli_usage(env,
                         "missing --role; use analyst, supervisor, auditor or admin");
    if ((rc = check_pwfile(env, o.pwfile)) != EXIT_OK)
        return rc;
    if ((rc = cli_connect(env)) != EXIT_OK)
        return rc;
    pw = cli_read_secret(o.pwfile, "password: ");
    if (!pw)
        return EXIT_USAGE;
    st = arcs_user_add(env->ctx, argv[i], o.role, pw, &existed);
    memset(pw, 0, strlen(pw));
    free(pw);
    if (st != ARCS_OK)
        return cli_fail(env, st);
    if (env->json) {
        cJSON *doc = cJSON_CreateObject();
        cJSON_AddStringToObject(doc, "id", argv[i]);
        cJSON_AddStringToObject(doc, "name", argv[i]);
        cJSON_AddStringToObject(doc, "role", o.role);
        cJSON_AddBoolToObject(doc, "existed", existed);
        return cli_print_json(doc);
    }
    if (existed)
        fprintf(stderr, "arcs: user %s exists already with role %s; password unchanged\n",
                argv[i], o.role);
    printf("%s\n", argv[i]);
    return EXIT_OK;
}

/* Refuse a password file others can read: it is no secret, as ssh says. */
static int check_pwfile(cli_env *env, const char *path)
{
    struct stat sb;

    if (!path)
        return EXIT_OK;
    if (stat(path, &sb) != 0)
        return cli_usage(env, "cannot read --password-file '%s': %s", path,
                         strerror(errno));
    if (sb.st_mode & (S_IRWXG | S_IRWXO))
        return cli_usage(
            env, "--password-file '%s' is open to others (mode %03o); chmod 600 it", path,
            (unsigned)(sb.st_mode & 0777));
    return EXIT_OK;
}

static int user_enable(cli_env *env, int argc, char **argv, int enabled)
{
    static const struct option opts[] = {CLI_COMMON_OPTIONS, {0, 0, 0, 0}};
    struct user_opts o = {NULL, NULL};
    int i, rc, changed = 0;
    arcs_status st;

    i = cli_parse(env, argc, argv, opts, user_opt, &o, "NAME");
    if (i < 0)
        return i == -2 ? EXIT_OK : EXIT_USAGE;
    if (cli_need_operands(env, argc, argv, i, 1, "user name") != 0)
        return EXIT_USAGE;
    if ((rc = cli_connect(env)) != EXIT_OK)
        return rc;
    st = arcs_user_set_enabled(env->ctx, argv[i], enabled, &changed);
    if (st != ARCS_OK)
        return cli_fail(env, st);
    if (env->json) {
        cJSON *doc = cJSON_CreateObject();
        cJSON_AddStringToObject(doc, "name", argv[i]);
        cJSON_AddBoolToObject(doc, "locked", !enabled);
        cJSON_AddBoolToObject(doc, "changed", changed);
        return cli_print_json(doc);
    }
    if (!changed)
        fprintf(stderr, "arcs: user %s is %s already\n", argv[i],
                enabled ? "unlocked" : "locked");
    printf("%s\n", argv[i]);
    return EXIT_OK;
}

static int user_lock(cli_env *env, int argc, char **argv)
{
    return user_enable(env, argc, argv, 0);
}

static int user_unlock(cli_env *env, int argc, char **argv)
{
    return user_enable(env, argc, argv, 1);
}

static int user_password(cli_env *env, int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_OPTIONS,
        {"password-file", required_argument, NULL, OPT_PWFILE},
        {0, 0, 0, 0}};
    struct user_opts o = {NULL, NULL};
    char *pw = NULL;
    int i, rc;
    arcs_status st;

    i = cli_parse(env, argc, argv, opts, user_opt, &o, "[--password-file FILE]");
    if (i < 0)
        return i == -2 ? EXIT_OK : EXIT_USAGE;
    if (cli_need_operands(env, argc, argv, i, 0, "arguments") != 0)
        return EXIT_USAGE;
    if ((rc = check_pwfile(env, o.pwfile)) != EXIT_OK)
        return rc;
    if ((rc = cli_connect(env)) != EXIT_OK)
        return rc;
    pw = cli_read_secret(o.pwfile, "new password: ");
    if (!pw)
        return EXIT_USAGE;
    st = arcs_user_set_password(env->ctx, pw);
    memset(pw, 0, strlen(pw));
    free(pw);
    if (st != ARCS_OK)
        return cli_fail(env, st);
    if (env->json) {
        cJSON *doc = cJSON_CreateObject();
        cJSON_AddBoolToObject(doc, "changed", 1);
        return cli_print_json(doc);
    }
    printf("password changed\n");
    return EXIT_OK;
}

int cmd_user(cli_env *env, int argc, char **argv)
{
    static const cli_verb verbs[] = {
        {"add", user_add,
         "NAME --role analyst|supervisor|auditor|admin [--password-file FILE]",
         "create a login in one of the arcs roles (password from a file or the "
         "terminal)"},
        {"lock", user_lock, "NAME",
         "lock an arcs login: it can no longer connect (admin)"},
        {"unlock", user_unlock, "NAME", "unlock an arcs login (admin)"},
        {"password", user_password, "[--password-file FILE]",
         "change your own password (from a file or the terminal)"},
        {NULL, NULL, NULL, NULL}};
    return cli_dispatch(env, "user", verbs, argc, argv);
}
