/* arcs project add | list | show | provenance */
#include <inttypes.h>
#include <string.h>

#include "cli.h"

struct project_opts {
    char **argv;
    int argc;
    arcs_project_in in;
};

enum {
    OPT_CODE = OPT_FIRST_OWN,
    OPT_NAME,
    OPT_SECTOR,
    OPT_REGION,
    OPT_BUDGET,
    OPT_IMPLEMENTER,
    OPT_CAPACITY
};

static int project_opt(cli_env *env, int c, const char *arg, void *p)
{
    struct project_opts *o = p;

    switch (c) {
    case OPT_CODE:
        o->in.code = arg;
        return 0;
    case OPT_NAME:
        o->in.name = arg;
        return 0;
    case OPT_SECTOR:
        o->in.sector = arg;
        return 0;
    case OPT_REGION:
        o->in.region = arg;
        return 0;
    case OPT_BUDGET:
        o->in.budget = arg;
        if (optind >= o->argc || o->argv[optind][0] == '-') {
            cli_usage(env,
                      "--budget needs AMOUNT and CCY, as in --budget 890000000.00 KZT");
            return -1;
        }
        o->in.budget_currency = o->argv[optind++];
        return 0;
    case OPT_IMPLEMENTER:
        o->in.implementer = arg;
        return 0;
    case OPT_CAPACITY:
        o->in.capacity = arg;
        return 0;
    }
    return -1;
}

static void add_money(cJSON *o, const char *key, int64_t v, int exp)
{
    char buf[ARCS_MONEY_TEXT_MAX];

    arcs_money_format(buf, v, exp);
    cJSON_AddStringToObject(o, key, buf);
}

static cJSON *project_json(const arcs_project *p)
{
    cJSON *o = cJSON_CreateObject();
    char buf[32];

    snprintf(buf, sizeof(buf), "%" PRId64, p->id);
    cJSON_AddStringToObject(o, "id", buf);
    cJSON_AddStringToObject(o, "code", p->code);
    cJSON_AddStringToObject(o, "name", p->name);
    cJSON_AddStringToObject(o, "sector", p->sector);
    cJSON_AddStringToObject(o, "region", p->region);
    add_money(o, "budget", p->budget, p->budget_exponent);
    cJSON_AddStringToObject(o, "budget_currency", p->budget_currency);
    if (p->implementer[0])
        cJSON_AddStringToObject(o, "implementer", p->implementer);
    if (p->capacity[0])
        cJSON_AddStringToObject(o, "capacity", p->capacity);
    cJSON_AddStringToObject(o, "status", p->status);
    cJSON_AddStringToObject(o, "currency", p->currency);
    add_money(o, "allocated", p->allocated, p->exponent);
    add_money(o, "disbursed", p->disbursed, p->exponent);
    add_money(o, "undisbursed", p->allocated - p->disbursed, p->exponent);
    return o;
}

static cJSON *sources_json(const arcs_provenance_item *items, size_t n, int exp)
{
    cJSON *arr = cJSON_CreateArray();

    for (size_t i = 0; i < n; i++) {
        cJSON *s = cJSON_CreateObject();
        cJSON_AddStringToObject(s, "case", items[i].case_ref);
        cJSON_AddStringToObject(s, "country", items[i].country);
        cJSON_AddStringToObject(s, "jurisdictions", items[i].jurisdictions);
        add_money(s, "amount", items[i].amount, exp);
        cJSON_AddItemToArray(arr, s);
    }
    return arr;
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

static int project_add(cli_env *env, int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_OPTIONS,
        {"code", required_argument, NULL, OPT_CODE},
        {"name", required_argument, NULL, OPT_NAME},
        {"sector", required_argument, NULL, OPT_SECTOR},
        {"region", required_argument, NULL, OPT_REGION},
        {"budget", required_argument, NULL, OPT_BUDGET},
        {"implementer", required_argument, NULL, OPT_IMPLEMENTER},
        {"capacity", required_argument, NULL, OPT_CAPACITY},
        {0, 0, 0, 0}};
    struct project_opts o;
    arcs_project *p = NULL;
    int64_t id;
    int i, rc;
    arcs_status st;

    memset(&o, 0, sizeof(o));
    o.argc = argc;
    o.argv = argv;
    i = cli_parse(env, argc, argv, opts, project_opt, &o,
                  "--code CODE --name NAME --sector S --region R --budget AMOUNT CCY"
                  " [--implementer TEXT] [--capacity TEXT]");
    if (i < 0)
        return i == -2 ? EXIT_OK : EXIT_USAGE;
    if (cli_need_operands(env, argc, argv, i, 0, "") != 0)
        return EXIT_USAGE;
    if (!o.in.code || !o.in.name || !o.in.sector || !o.in.region || !o.in.budget)
        return cli_usage(env, "missing %s; see 'arcs project add --help'",
                         !o.in.code     ? "--code"
                         : !o.in.name   ? "--name"
                         : !o.in.sector ? "--sector"
                         : !o.in.region ? "--region"
                                        : "--budget");
    if ((rc = cli_connect(env)) != EXIT_OK)
        return rc;
    st = arcs_project_add(env->ctx, &id, &o.in);
    if (st != ARCS_OK)
        return cli_fail(env, st);
    if (!env->json) {
        printf("%" PRId64 "\n", id);
        return EXIT_OK;
    }
    st = arcs_project_get(env->ctx, &p, o.in.code);
    if (st != ARCS_OK)
        return cli_fail(env, st);
    rc = cli_print_json(project_json(p));
    arcs_project_free(p);
    return rc;
}

static int project_list(cli_env *env, int argc, char **argv)
{
    static const struct option opts[] = {CLI_COMMON_OPTIONS, {0, 0, 0, 0}};
    static const char *const heads[] = {"code",      "sector",    "region",
                                        "allocated", "disbursed", "name"};
    arcs_project_list *l = NULL;
    int i, rc;
    arcs_status st;

    i = cli_parse(env, argc, argv, opts, NULL, NULL, "");
    if (i < 0)
        return i == -2 ? EXIT_OK : EXIT_USAGE;
    if (cli_need_operands(env, argc, argv, i, 0, "") != 0)
        return EXIT_USAGE;
    if ((rc = cli_connect(env)) != EXIT_OK)
        return rc;
    st = arcs_project_list_get(env->ctx, &l);
    if (st != ARCS_OK)
        return cli_fail(env, st);
    if (env->json) {
        cJSON *doc = cJSON_CreateObject(), *arr = cJSON_CreateArray();
        for (size_t k = 0; k < l->n; k++)
            cJSON_AddItemToArray(arr, project_json(&l->items[k]));
        cJSON_AddItemToObject(doc, "projects", arr);
        rc = cli_print_json(doc);
    } else {
        cli_table *t = cli_table_new(6, heads);
        for (size_t k = 0; k < l->n; k++) {
            char a[ARCS_MONEY_TEXT_MAX], d[ARCS_MONEY_TEXT_MAX];
            const arcs_project *p = &l->items[k];
            const char *cells[6] = {p->code, p->sector, p->region, a, d, p->name};
            arcs_money_format(a, p->allocated, p->exponent);
            arcs_money_format(d, p->disbursed, p->exponent);
            cli_table_add(t, cells);
        }
        cli_table_print(t, stdout);
        cli_table_free(t);
    }
    arcs_project_list_free(l);
    return rc;
}

static int project_show(cli_env *env, int argc, char **argv)
{
    static const struct option opts[] = {CLI_COMMON_OPTIONS, {0, 0, 0, 0}};
    arcs_project *p = NULL;
    char *ops[1];
    int i, rc;
    arcs_status st;

    i = parse_mixed(env, argc, argv, opts, NULL, NULL, "CODE", ops, 1, "CODE");
    if (i < 0)
        return i == -2 ? EXIT_OK : EXIT_USAGE;
    if ((rc = cli_connect(env)) != EXIT_OK)
        return rc;
    st = arcs_project_get(env->ctx, &p, ops[0]);
    if (st != ARCS_OK)
        return cli_fail(env, st);
    if (env->json) {
        cJSON *doc = project_json(p), *arr = cJSON_CreateArray();
        for (size_t k = 0; k < p->ntransfers; k++)
            cJSON_AddItemToArray(arr, cli_transfer_json(&p->transfers[k]));
        cJSON_AddItemToObject(doc, "transfers", arr);
        cJSON_AddItemToObject(doc, "sources",
                              sources_json(p->sources, p->nsources, p->exponent));
        rc = cli_print_json(doc);
    } else {
        char a[ARCS_MONEY_TEXT_MAX], d[ARCS_MONEY_TEXT_MAX], b[ARCS_MONEY_TEXT_MAX];
        arcs_money_format(a, p->allocated, p->exponent);
        arcs_money_format(d, p->disbursed, p->exponent);
        arcs_money_format(b, p->budget, p->budget_exponent);
        printf("%s  %s\nsector %s, region %s, status %s\nbudget %s %s\n", p->code,
               cli_t(p->name), p->sector, cli_t(p->region), p->status, b,
               p->budget_currency);
        printf("allocated %s %s, disbursed %s %s\n", a, p->currency, d, p->currency);
        for (size_t k = 0; k < p->ntransfers; k++) {
            const arcs_transfer *t = &p->transfers[k];
            arcs_money_format(a, t->amount, t->exponent);
            printf("  %s  %-9s %-24s %20s%s%s\n", t->value_date,
                   strcmp(t->kind, "reverse") ? t->kind : "reversal", t->ext_ref, a,
                   t->reverses_ref[0] ? " of " : "", t->reverses_ref);
        }
        for (size_t k = 0; k < p->nsources; k++) {
            arcs_money_format(a, p->sources[k].amount, p->exponent);
            printf("  source %-20s %-3s %20s\n", p->sources[k].case_ref,
                   p->sources[k].country, a);
        }
    }
    arcs_project_free(p);
    return rc;
}

static int project_provenance(cli_env *env, int argc, char **argv)
{
    static const struct option opts[] = {CLI_COMMON_OPTIONS, {0, 0, 0, 0}};
    arcs_provenance *p = NULL;
    char *ops[1];
    int i, rc;
    arcs_status st;

    i = parse_mixed(env, argc, argv, opts, NULL, NULL, "CODE", ops, 1, "CODE");
    if (i < 0)
        return i == -2 ? EXIT_OK : EXIT_USAGE;
    if ((rc = cli_connect(env)) != EXIT_OK)
        return rc;
    st = arcs_ledger_provenance(env->ctx, ops[0], &p);
    if (st != ARCS_OK)
        return cli_fail(env, st);
    if (env->json) {
        cJSON *doc = cJSON_CreateObject();
        cJSON_AddStringToObject(doc, "project", ops[0]);
        cJSON_AddStringToObject(doc, "currency", p->currency);
        add_money(doc, "total", p->total, p->exponent);
        cJSON_AddItemToObject(doc, "sources", sources_json(p->items, p->n, p->exponent));
        rc = cli_print_json(doc);
    } else {
        for (size_t k = 0; k < p->n; k++) {
            char a[ARCS_MONEY_TEXT_MAX];
            arcs_money_format(a, p->items[k].amount, p->exponent);
            printf("%-20s %-3s %20s %s\n", p->items[k].case_ref, p->items[k].country, a,
                   p->items[k].jurisdictions);
        }
    }
    arcs_provenance_free(p);
    return rc;
}

int cmd_project(cli_env *env, int argc, char **argv)
{
    static const cli_verb verbs[] = {
        {"add", project_add,
         "--code CODE --name NAME --sector S --region R --budget AMOUNT CCY"
         " [--implementer TEXT] [--capacity TEXT]",
         "record a reinvestment project"},
        {"list", project_list, "", "projects with their allocated and disbursed money"},
        {"show", project_show, "CODE", "a project's allocations, disbursements, sources"},
        {"provenance", project_provenance, "CODE",
         "which cases (and countries) paid for the project"},
        {NULL, NULL, NULL, NULL}};
    return cli_dispatch(env, "project", verbs, argc, argv);
}
