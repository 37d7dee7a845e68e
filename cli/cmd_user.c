/* arcs user add */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

#define MAX_OPERANDS 4

/*
 * SPEC §5 puts operands before options ("subject add CASE_REF --name ...")
 * while cli_parse stops at the first operand: parse the options after the
 * leading operands, then gather leading and trailing operands into ops
 * (argc entries). Returns what cli_parse returns; *nops gets the count.
 */
static int parse_with_operands(cli_env *env, int argc, char **argv,
                               const struct option *opts, cli_opt_fn fn, void *arg,
                               const char *usage, char **ops, int *nops)
{
    int lead = 1, i, n = 0;

    /* ops holds MAX_OPERANDS: more operands than that is a usage error anyway */

    while (lead < argc && argv[lead][0] != '-')
        lead++;
    i = cli_parse(env, argc - (lead - 1), argv + (lead - 1), opts, fn, arg, usage);
    if (i < 0)
        return i;
    for (int k = 1; k < argc; k++) {
        if (k >= lead && k < i + lead - 1)
            continue;
        if (n == MAX_OPERANDS) {
            cli_usage(env, "unexpected argument '%s'; see 'arcs %s --help'", argv[k],
                      env->cmd);
            return -1;
        }
        ops[n++] = argv[k];
    }
    *nops = n;
    return i;
}

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
    char *ops[MAX_OPERANDS];
    int nops = 0;
    int i, rc, existed = 0;
    arcs_status st;

    i = parse_with_operands(
        env, argc, argv, opts, user_opt, &o,
        "NAME --role analyst|supervisor|auditor|admin [--password-file FILE]", ops,
        &nops);
    if (i < 0)
        return i == -2 ? EXIT_OK : EXIT_USAGE;
    if (cli_need_operands(env, nops, ops, 0, 1, "user name") != 0)
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
    st = arcs_user_add(env->ctx, ops[0], o.role, pw, &existed);
    memset(pw, 0, strlen(pw));
    free(pw);
    if (st != ARCS_OK)
        return cli_fail(env, st);
    if (env->json) {
        cJSON *doc = cJSON_CreateObject();
        cJSON_AddStringToObject(doc, "id", ops[0]);
        cJSON_AddStringToObject(doc, "name", ops[0]);
        cJSON_AddStringToObject(doc, "role", o.role);
        cJSON_AddBoolToObject(doc, "existed", existed);
        return cli_print_json(doc);
    }
    if (existed)
        fprintf(stderr, "arcs: user %s exists already with role %s; password unchanged\n",
                ops[0], o.role);
    printf("%s\n", ops[0]);
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
