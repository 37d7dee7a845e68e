/* arcs fx set: dated exchange rates to the base currency. */
#include <string.h>

#include "cli.h"

struct fx_opts {
    const char *source;
    int replace;
};

enum { OPT_SOURCE = OPT_FIRST_OWN, OPT_REPLACE };

static int fx_opt(cli_env *env, int c, const char *arg, void *p)
{
    struct fx_opts *o = p;

    (void)env;
    switch (c) {
    case OPT_SOURCE:
        o->source = arg;
        return 0;
    case OPT_REPLACE:
        o->replace = 1;
        return 0;
    }
    return -1;
}

/* cli_parse, but operands may come before, between or after options:
   exactly nops of them land in ops. Returns 0, -1 (usage printed), -2 (help). */
static int parse_mixed(cli_env *env, int argc, char **argv, const struct option *opts,
                       cli_opt_fn fn, void *arg, const char *usage, char **ops, int nops,
                       const char *what)
{
    int got = 0, i;

    for (;;) {
        i = cli_parse(env, argc, argv, opts, fn, arg, usage);
        if (i < 0)
            return i;
        if (i >= argc)
            break;
        if (got >= nops) {
            cli_usage(env, "unexpected argument '%s'; see 'arcs %s --help'", argv[i],
                      env->cmd);
            return -1;
        }
        ops[got++] = argv[i];
        /* the operand takes the verb's slot, which cli_parse skips */
        argc -= i;
        argv += i;
    }
    if (got < nops) {
        cli_usage(env, "missing %s; see 'arcs %s --help'", what, env->cmd);
        return -1;
    }
    return 0;
}

/*
 * The same rate again is a no-op (exit 0). A different rate for a date that
 * has one is refused (exit 4) unless --replace: transfers already recorded
 * keep the rate they used, so replacing changes only later conversions.
 */
static int fx_set(cli_env *env, int argc, char **argv)
{
    static const struct option opts[] = {CLI_COMMON_OPTIONS,
                                         {"source", required_argument, NULL, OPT_SOURCE},
                                         {"replace", no_argument, NULL, OPT_REPLACE},
                                         {0, 0, 0, 0}};
    struct fx_opts o = {NULL, 0};
    char *ops[3];
    int i, rc, changed = 0;
    arcs_status st;

    i = parse_mixed(env, argc, argv, opts, fx_opt, &o,
                    "CCY DATE RATE [--source TEXT] [--replace]", ops, 3, "CCY DATE RATE");
    if (i < 0)
        return i == -2 ? EXIT_OK : EXIT_USAGE;
    if ((rc = cli_connect(env)) != EXIT_OK)
        return rc;
    st = arcs_fx_set(env->ctx, &changed, ops[0], ops[1], ops[2], o.source, o.replace);
    if (st != ARCS_OK)
        return cli_fail(env, st);
    if (env->json) {
        cJSON *doc = cJSON_CreateObject();
        cJSON_AddStringToObject(doc, "currency", ops[0]);
        cJSON_AddStringToObject(doc, "rate_date", ops[1]);
        cJSON_AddStringToObject(doc, "rate", ops[2]);
        cJSON_AddBoolToObject(doc, "changed", changed);
        return cli_print_json(doc);
    }
    printf("%s %s %s%s\n", ops[0], ops[1], ops[2], changed ? "" : " (recorded already)");
    return EXIT_OK;
}

int cmd_fx(cli_env *env, int argc, char **argv)
{
    static const cli_verb verbs[] = {
        {"set", fx_set, "CCY DATE RATE [--source TEXT] [--replace]",
         "record a rate: units of the base currency for one CCY on DATE"},
        {NULL, NULL, NULL, NULL}};
    return cli_dispatch(env, "fx", verbs, argc, argv);
}
