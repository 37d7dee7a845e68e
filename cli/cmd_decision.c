/* arcs decision add */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

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
    int i, rc, existed = 0;
    arcs_status st;
    char buf[24];

    memset(&o, 0, sizeof(o));
    o.in.assets = o.assets;
    i = cli_parse(env, argc, argv, opts, decision_opt, &o,
                  "CASE_REF --kind KIND --ref DREF --issuer ISSUER --date DATE "
                  "(no CASE_REF for a fund allocation) "
                  "[--final DATE] [--effective DATE] [--asset ID]...");
    if (i < 0)
        return i == -2 ? EXIT_OK : EXIT_USAGE;
    /* An allocation of the fund may be recorded without a case. */
    if (i == argc && o.in.kind && !strcmp(o.in.kind, "allocation")) {
        o.in.case_ref = NULL;
    } else {
        if (cli_need_operands(env, argc, argv, i, 1, "case ref") != 0)
            return EXIT_USAGE;
        o.in.case_ref = argv[i];
    }
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
        cli_json_add_str_or_null(doc, "case", o.in.case_ref);
        cJSON_AddStringToObject(doc, "kind", o.in.kind);
        cJSON_AddStringToObject(doc, "ref", o.in.ref);
        cJSON_AddStringToObject(doc, "issuer", o.in.issuer);
        cJSON_AddStringToObject(doc, "issued", o.in.issued);
        cli_json_add_str_or_null(doc, "effective", o.in.effective);
        cli_json_add_str_or_null(doc, "final", o.in.final);
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
