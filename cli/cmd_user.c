/* arcs user add */
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

static int user_add(cli_env *env, int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_OPTIONS,
        {"role", required_argument, NULL, OPT_ROLE},
        {"password-file", required_argument, NULL, OPT_PWFILE},
        {0, 0, 0, 0}};
    struct user_opts o = {NULL, NULL};
    struct stat sb;
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
    /* A password file others can read is no secret: refuse it, as ssh does. */
    if (o.pwfile) {
        if (stat(o.pwfile, &sb) != 0)
            return cli_usage(env, "cannot read --password-file '%s': %s", o.pwfile,
                             strerror(errno));
        if (sb.st_mode & (S_IRWXG | S_IRWXO))
            return cli_usage(env,
                             "--password-file '%s' is open to others (mode %03o); "
                             "chmod 600 it",
                             o.pwfile, (unsigned)(sb.st_mode & 0777));
    }
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

int cmd_user(cli_env *env, int argc, char **argv)
{
    static const cli_verb verbs[] = {
        {"add", user_add,
         "NAME --role analyst|supervisor|auditor|admin [--password-file FILE]",
         "create a login in one of the arcs roles (password from a file or the "
         "terminal)"},
        {NULL, NULL, NULL, NULL}};
    return cli_dispatch(env, "user", verbs, argc, argv);
}
