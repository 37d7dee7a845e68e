/* arcs decision add */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

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

#define MAX_ASSETS 40

struct decision_opts {
    arcs_decision_new in;
    int64_t assets[MAX_ASSETS];
};

enum {
    OPT_KIND = OPT_FIRST_OWN,
    OPT_REF,
    OPT_ISSUER,
    OPT_DATE,
    OPT_FINAL,
    OPT_EFFECTIVE,
    OPT_ASSET
};

static int decision_opt(cli_env *env, int c, const char *arg, void *p)
{
    struct decision_opts *o = p;
    char *end;
    long long v;

    switch (c) {
    case OPT_KIND:
        o->in.kind = arg;
        return 0;
    case OPT_REF:
        o->in.ref = arg;
        return 0;
    case OPT_ISSUER:
        o->in.issuer = arg;
        return 0;
    case OPT_DATE:
        o->in.issued = arg;
        return 0;
    case OPT_FINAL:
        o->in.final = arg;
        return 0;
    case OPT_EFFECTIVE:
        o->in.effective = arg;
        return 0;
    case OPT_ASSET:
        errno = 0;
        v = strtoll(arg, &end, 10);
        if (end == arg || *end || errno || v <= 0) {
            cli_usage(env, "--asset needs an asset id (a positive number), not '%s'",
                      arg);
            return -1;
        }
        if (o->in.nassets >= MAX_ASSETS) {
            cli_usage(env, "too many --asset values; at most %d", MAX_ASSETS);
            return -1;
        }
        o->assets[o->in.nassets++] = (int64_t)v;
        return 0;
    }
    return -1;
}

static int decision_add(cli_env *env, int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_OPTIONS,
        {"kind", required_argument, NULL, OPT_KIND},
        {"ref", required_argument, NULL, OPT_REF},
        {"issuer", required_argument, NULL, OPT_ISSUER},
        {"date", required_argument, NULL, OPT_DATE},
        {"final", required_argument, NULL, OPT_FINAL},
        {"effective", required_argument, NULL, OPT_EFFECTIVE},
        {"asset", required_argument, NULL, OPT_ASSET},
        {0, 0, 0, 0}};
    struct decision_opts o;
    int64_t id = 0;
    char *ops[MAX_OPERANDS];
    int nops = 0;
    int i, rc, existed = 0;
    arcs_status st;
    char buf[24];

    memset(&o, 0, sizeof(o));
    o.in.assets = o.assets;
    i = parse_with_operands(env, argc, argv, opts, decision_opt, &o,
                            "CASE_REF --kind KIND --ref DREF --issuer ISSUER --date DATE "
                            "[--final DATE] [--effective DATE] [--asset ID]...",
                            ops, &nops);
    if (i < 0)
        return i == -2 ? EXIT_OK : EXIT_USAGE;
    if (cli_need_operands(env, nops, ops, 0, 1, "case ref") != 0)
        return EXIT_USAGE;
    o.in.case_ref = ops[0];
    if (!o.in.kind)
        return cli_usage(env,
                         "missing --kind; use freeze, seizure, confiscation, appeal, "
                         "release, return_agreement, sharing_agreement or allocation");
    if (!o.in.ref)
        return cli_usage(env, "missing --ref; give the decision's reference");
    if (!o.in.issuer)
        return cli_usage(env, "missing --issuer; name the court or body that issued it");
    if (!o.in.issued)
        return cli_usage(env, "missing --date; give the issue date as YYYY-MM-DD");
    if ((rc = cli_connect(env)) != EXIT_OK)
        return rc;
    st = arcs_decision_add(env->ctx, &o.in, &id, &existed);
    if (st != ARCS_OK)
        return cli_fail(env, st);
    snprintf(buf, sizeof(buf), "%lld", (long long)id);
    if (env->json) {
        cJSON *doc = cJSON_CreateObject(), *assets = cJSON_CreateArray();
        char a[24];
        cJSON_AddStringToObject(doc, "id", buf);
        cJSON_AddStringToObject(doc, "case", o.in.case_ref);
        cJSON_AddStringToObject(doc, "kind", o.in.kind);
        cJSON_AddStringToObject(doc, "ref", o.in.ref);
        cJSON_AddStringToObject(doc, "issuer", o.in.issuer);
        cJSON_AddStringToObject(doc, "issued", o.in.issued);
        if (o.in.effective)
            cJSON_AddStringToObject(doc, "effective", o.in.effective);
        else
            cJSON_AddNullToObject(doc, "effective");
        if (o.in.final)
            cJSON_AddStringToObject(doc, "final", o.in.final);
        else
            cJSON_AddNullToObject(doc, "final");
        for (size_t k = 0; k < o.in.nassets; k++) {
            snprintf(a, sizeof(a), "%lld", (long long)o.assets[k]);
            cJSON_AddItemToArray(assets, cJSON_CreateString(a));
        }
        cJSON_AddItemToObject(doc, "assets", assets);
        cJSON_AddBoolToObject(doc, "existed", existed);
        return cli_print_json(doc);
    }
    if (existed)
        fprintf(stderr,
                "arcs: decision %s exists already with this content; nothing "
                "changed\n",
                o.in.ref);
    printf("%s\n", buf);
    return EXIT_OK;
}

int cmd_decision(cli_env *env, int argc, char **argv)
{
    static const cli_verb verbs[] = {
        {"add", decision_add,
         "CASE_REF --kind KIND --ref DREF --issuer ISSUER --date DATE [--final DATE] "
         "[--effective DATE] [--asset ID]...",
         "record a decision (a legal act) of a case"},
        {NULL, NULL, NULL, NULL}};
    return cli_dispatch(env, "decision", verbs, argc, argv);
}
