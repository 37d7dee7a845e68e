/* arcs allocate | disburse: the fund's money to projects, and out in tranches. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define MAX_SOURCES 64

struct alloc_opts {
    const char *project, *amount, *decision, *date, *ref;
    arcs_alloc_source sources[MAX_SOURCES];
    char *source_text[MAX_SOURCES];
    size_t nsources;
};

enum {
    OPT_PROJECT = OPT_FIRST_OWN,
    OPT_AMOUNT,
    OPT_DECISION,
    OPT_DATE,
    OPT_REF,
    OPT_SOURCE
};

static int alloc_opt(cli_env *env, int c, const char *arg, void *p)
{
    struct alloc_opts *o = p;
    char *copy, *eq;

    switch (c) {
    case OPT_PROJECT:
        o->project = arg;
        return 0;
    case OPT_AMOUNT:
        o->amount = arg;
        return 0;
    case OPT_DECISION:
        o->decision = arg;
        return 0;
    case OPT_DATE:
        o->date = arg;
        return 0;
    case OPT_REF:
        o->ref = arg;
        return 0;
    case OPT_SOURCE:
        eq = strchr(arg, '=');
        if (!eq || eq == arg || !eq[1]) {
            cli_usage(env, "--source needs CASE_REF=AMOUNT, not '%s'", arg);
            return -1;
        }
        if (o->nsources >= MAX_SOURCES) {
            cli_usage(env, "at most %d --source options", MAX_SOURCES);
            return -1;
        }
        copy = strdup(arg);
        if (!copy) {
            cli_error(EXIT_FAIL, "out of memory");
            return -1;
        }
        copy[eq - arg] = '\0';
        o->source_text[o->nsources] = copy;
        o->sources[o->nsources].case_ref = copy;
        o->sources[o->nsources].amount = copy + (eq - arg) + 1;
        o->nsources++;
        return 0;
    }
    return -1;
}

static int run(cli_env *env, int argc, char **argv, int disburse)
{
    static const struct option opts[] = {
        CLI_COMMON_OPTIONS,
        {"project", required_argument, NULL, OPT_PROJECT},
        {"amount", required_argument, NULL, OPT_AMOUNT},
        {"decision", required_argument, NULL, OPT_DECISION},
        {"date", required_argument, NULL, OPT_DATE},
        {"ref", required_argument, NULL, OPT_REF},
        {"source", required_argument, NULL, OPT_SOURCE},
        {0, 0, 0, 0}};
    struct alloc_opts o;
    arcs_transfer t;
    int i, rc = EXIT_OK;
    arcs_status st;

    memset(&o, 0, sizeof(o));
    env->cmd = disburse ? "disburse" : "allocate";
    /* cli_parse expects argv[0] to be the verb: ours is the noun itself */
    i = cli_parse(env, argc + 1, argv - 1, opts, alloc_opt, &o,
                  disburse ? "--project CODE --amount AMOUNT --date DATE --ref EXTREF"
                           : "--project CODE --amount AMOUNT --decision DREF --date DATE"
                             " --ref EXTREF [--source CASE_REF=AMOUNT]...");
    if (i < 0) {
        rc = i == -2 ? EXIT_OK : EXIT_USAGE;
        goto done;
    }
    if (cli_need_operands(env, argc + 1, argv - 1, i, 0, "") != 0) {
        rc = EXIT_USAGE;
        goto done;
    }
    if (!o.project || !o.amount || !o.date || !o.ref || (!disburse && !o.decision)) {
        rc = cli_usage(env, "missing %s; see 'arcs %s --help'",
                       !o.project  ? "--project"
                       : !o.amount ? "--amount"
                       : !o.date   ? "--date"
                       : !o.ref    ? "--ref"
                                   : "--decision",
                       env->cmd);
        goto done;
    }
    if (disburse && o.nsources) {
        rc = cli_usage(env, "--source belongs to allocate, not disburse");
        goto done;
    }
    if ((rc = cli_connect(env)) != EXIT_OK)
        goto done;
    if (disburse)
        st = arcs_ledger_disburse(env->ctx, &t, o.project, o.amount, o.date, o.ref);
    else
        st = arcs_ledger_allocate(env->ctx, &t, o.project, o.amount, o.decision, o.date,
                                  o.ref, o.sources, o.nsources);
    rc = cli_print_transfer(env, st, &t);
done:
    for (size_t k = 0; k < o.nsources; k++)
        free(o.source_text[k]);
    return rc;
}

int cmd_allocate(cli_env *env, int argc, char **argv)
{
    return run(env, argc, argv, 0);
}

int cmd_disburse(cli_env *env, int argc, char **argv)
{
    return run(env, argc, argv, 1);
}
