/* arcs fund receive | deduct | release-escrow | reverse | balance | show */
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void money_text(char buf[ARCS_MONEY_TEXT_MAX], int64_t v, int exp)
{
    arcs_money_format(buf, v, exp);
}

static void add_money(cJSON *o, const char *key, int64_t v, int exp)
{
    char buf[ARCS_MONEY_TEXT_MAX];

    money_text(buf, v, exp);
    cJSON_AddStringToObject(o, key, buf);
}

cJSON *cli_transfer_json(const arcs_transfer *t)
{
    cJSON *o = cJSON_CreateObject();
    char buf[32];

    snprintf(buf, sizeof(buf), "%" PRId64, t->id);
    cJSON_AddStringToObject(o, "id", buf);
    cJSON_AddStringToObject(o, "ext_ref", t->ext_ref);
    cJSON_AddStringToObject(o, "kind", t->kind);
    if (t->sub_kind[0])
        cJSON_AddStringToObject(o, "sub_kind", t->sub_kind);
    cJSON_AddStringToObject(o, "debit_account", t->debit_account);
    cJSON_AddStringToObject(o, "credit_account", t->credit_account);
    add_money(o, "amount", t->amount, t->exponent);
    cJSON_AddStringToObject(o, "currency", t->currency);
    add_money(o, "orig_amount", t->orig_amount, t->orig_exponent);
    cJSON_AddStringToObject(o, "orig_currency", t->orig_currency);
    cJSON_AddStringToObject(o, "fx_rate", t->fx_rate);
    if (t->fx_rate_date[0])
        cJSON_AddStringToObject(o, "fx_rate_date", t->fx_rate_date);
    cJSON_AddStringToObject(o, "value_date", t->value_date);
    if (t->reverses_ref[0])
        cJSON_AddStringToObject(o, "reverses", t->reverses_ref);
    if (t->case_ref[0])
        cJSON_AddStringToObject(o, "case", t->case_ref);
    if (t->asset_id) {
        snprintf(buf, sizeof(buf), "%" PRId64, t->asset_id);
        cJSON_AddStringToObject(o, "asset", buf);
    }
    if (t->project_code[0])
        cJSON_AddStringToObject(o, "project", t->project_code);
    if (t->decision_ref[0])
        cJSON_AddStringToObject(o, "decision", t->decision_ref);
    cJSON_AddBoolToObject(o, "existed", t->existed);
    return o;
}

int cli_print_transfer(cli_env *env, arcs_status st, const arcs_transfer *t)
{
    if (st != ARCS_OK)
        return cli_fail(env, st);
    if (env->json)
        return cli_print_json(cli_transfer_json(t));
    /* the id alone, like every add: a retry prints the same id */
    printf("%" PRId64 "\n", t->id);
    return EXIT_OK;
}

/* Options of the money verbs; --amount takes AMOUNT and the next word CCY. */
struct fund_opts {
    char **argv;
    int argc;
    const char *asset, *amount, *currency, *date, *ref, *kind, *to, *reverses;
    int escrow;
};

enum {
    OPT_ASSET = OPT_FIRST_OWN,
    OPT_AMOUNT,
    OPT_DATE,
    OPT_REF,
    OPT_KIND,
    OPT_ESCROW,
    OPT_TO,
    OPT_REVERSES
};

static const cli_field fund_fields[] = {
    {OPT_ASSET, offsetof(struct fund_opts, asset)},
    {OPT_DATE, offsetof(struct fund_opts, date)},
    {OPT_REF, offsetof(struct fund_opts, ref)},
    {OPT_KIND, offsetof(struct fund_opts, kind)},
    {OPT_TO, offsetof(struct fund_opts, to)},
    {OPT_REVERSES, offsetof(struct fund_opts, reverses)},
    {0, 0}};

static int fund_opt(cli_env *env, int c, const char *arg, void *p)
{
    struct fund_opts *o = p;

    if (cli_store(fund_fields, c, arg, o))
        return 0;
    switch (c) {
    case OPT_AMOUNT:
        o->amount = arg;
        if (optind >= o->argc || o->argv[optind][0] == '-') {
            cli_usage(env, "--amount needs AMOUNT and CCY, as in --amount 1250.00 USD");
            return -1;
        }
        o->currency = o->argv[optind++];
        return 0;
    case OPT_ESCROW:
        o->escrow = 1;
        return 0;
    }
    return -1;
}

static const struct option fund_options[] = {
    CLI_COMMON_OPTIONS,
    {"asset", required_argument, NULL, OPT_ASSET},
    {"amount", required_argument, NULL, OPT_AMOUNT},
    {"date", required_argument, NULL, OPT_DATE},
    {"ref", required_argument, NULL, OPT_REF},
    {"kind", required_argument, NULL, OPT_KIND},
    {"escrow", no_argument, NULL, OPT_ESCROW},
    {"to", required_argument, NULL, OPT_TO},
    {"reverses", required_argument, NULL, OPT_REVERSES},
    {0, 0, 0, 0}};

static int parse_asset(cli_env *env, const char *text, int64_t *id)
{
    char *end;
    long long v;

    if (!text)
        return cli_usage(env,
                         "name the asset: --asset ASSET (the id arcs asset add printed)");
    errno = 0;
    v = strtoll(text, &end, 10);
    if (end == text || *end || errno || v <= 0)
        return cli_usage(env, "--asset needs an asset id (a positive number), not '%s'",
                         text);
    *id = (int64_t)v;
    return EXIT_OK;
}

static int need(cli_env *env, const char *v, const char *what)
{
    if (v)
        return EXIT_OK;
    return cli_usage(env, "missing %s; see 'arcs %s --help'", what, env->cmd);
}

static int parse_fund(cli_env *env, int argc, char **argv, struct fund_opts *o,
                      const char *usage)
{
    int i;

    memset(o, 0, sizeof(*o));
    o->argc = argc;
    o->argv = argv;
    i = cli_parse_operands(env, argc, argv, fund_options, fund_opt, o, usage, 0, "");
    if (i < 0)
        return i == -2 ? -2 : EXIT_USAGE;
    return EXIT_OK;
}

#define PARSE(usage)                                                                     \
    do {                                                                                 \
        int prc_ = parse_fund(env, argc, argv, &o, usage);                               \
        if (prc_ == -2)                                                                  \
            return EXIT_OK;                                                              \
        if (prc_ != EXIT_OK)                                                             \
            return prc_;                                                                 \
    } while (0)

static const char receive_usage[] =
    "--asset ASSET --amount AMOUNT CCY --date DATE --ref EXTREF [--kind K] [--escrow]";

static int fund_receive(cli_env *env, int argc, char **argv)
{
    struct fund_opts o;
    arcs_transfer t;
    int64_t asset;
    int rc;
    arcs_status st;

    PARSE(receive_usage);
    if ((rc = parse_asset(env, o.asset, &asset)) ||
        (rc = need(env, o.amount, "--amount")) || (rc = need(env, o.date, "--date")) ||
        (rc = need(env, o.ref, "--ref")) || (rc = cli_connect(env)))
        return rc;
    st = arcs_fund_receive(env->ctx, &t, asset, o.amount, o.currency, o.date, o.ref,
                           o.kind, o.escrow);
    return cli_print_transfer(env, st, &t);
}

static int fund_deduct(cli_env *env, int argc, char **argv)
{
    struct fund_opts o;
    arcs_transfer t;
    int64_t asset;
    int rc;
    arcs_status st;

    PARSE("--asset ASSET --amount AMOUNT CCY --date DATE --ref EXTREF --kind "
          "creditor|victim|cost|foreign_share");
    if ((rc = parse_asset(env, o.asset, &asset)) ||
        (rc = need(env, o.amount, "--amount")) || (rc = need(env, o.date, "--date")) ||
        (rc = need(env, o.ref, "--ref")) || (rc = need(env, o.kind, "--kind")) ||
        (rc = cli_connect(env)))
        return rc;
    st = arcs_fund_deduct(env->ctx, &t, asset, o.amount, o.currency, o.date, o.ref,
                          o.kind);
    return cli_print_transfer(env, st, &t);
}

static int fund_release(cli_env *env, int argc, char **argv)
{
    struct fund_opts o;
    arcs_transfer t;
    int64_t asset;
    int rc;
    arcs_status st;

    PARSE("--asset ASSET --to fund|owner --date DATE --ref EXTREF");
    if ((rc = parse_asset(env, o.asset, &asset)) || (rc = need(env, o.to, "--to")) ||
        (rc = need(env, o.date, "--date")) || (rc = need(env, o.ref, "--ref")))
        return rc;
    if (strcmp(o.to, "fund") && strcmp(o.to, "owner"))
        return cli_usage(env, "--to must be fund or owner, not '%s'", o.to);
    if ((rc = cli_connect(env)) != EXIT_OK)
        return rc;
    st = arcs_fund_release_escrow(env->ctx, &t, asset, o.to, o.date, o.ref);
    return cli_print_transfer(env, st, &t);
}

static int fund_reverse(cli_env *env, int argc, char **argv)
{
    struct fund_opts o;
    arcs_transfer t;
    int rc;
    arcs_status st;

    PARSE("--ref EXTREF --reverses EXTREF --date DATE");
    if ((rc = need(env, o.ref, "--ref")) || (rc = need(env, o.reverses, "--reverses")) ||
        (rc = need(env, o.date, "--date")) || (rc = cli_connect(env)))
        return rc;
    st = arcs_fund_reverse(env->ctx, &t, o.ref, o.reverses, o.date);
    return cli_print_transfer(env, st, &t);
}

static int fund_show(cli_env *env, int argc, char **argv)
{
    struct fund_opts o;
    arcs_transfer t;
    int rc;
    arcs_status st;

    PARSE("--ref EXTREF");
    if ((rc = need(env, o.ref, "--ref")) || (rc = cli_connect(env)))
        return rc;
    st = arcs_ledger_transfer_get(env->ctx, &t, o.ref);
    t.existed = 1;
    return cli_print_transfer(env, st, &t);
}

static int fund_balance(cli_env *env, int argc, char **argv)
{
    struct fund_opts o;
    arcs_fund_balance b;
    int rc;
    arcs_status st;
    struct {
        const char *key;
        int64_t v;
    } rows[8];

    PARSE("");
    if ((rc = cli_connect(env)) != EXIT_OK)
        return rc;
    st = arcs_fund_balance_get(env->ctx, &b);
    if (st != ARCS_OK)
        return cli_fail(env, st);
    rows[0].key = "received", rows[0].v = b.received;
    rows[1].key = "deducted", rows[1].v = b.deducted;
    rows[2].key = "escrow", rows[2].v = b.escrow;
    rows[3].key = "returned", rows[3].v = b.returned;
    rows[4].key = "allocated", rows[4].v = b.allocated;
    rows[5].key = "disbursed", rows[5].v = b.disbursed;
    rows[6].key = "available", rows[6].v = b.available;
    rows[7].key = "undisbursed", rows[7].v = b.allocated - b.disbursed;
    if (env->json) {
        cJSON *doc = cJSON_CreateObject();
        cJSON_AddStringToObject(doc, "currency", b.currency);
        for (size_t i = 0; i < 8; i++)
            add_money(doc, rows[i].key, rows[i].v, b.exponent);
        return cli_print_json(doc);
    }
    printf("currency     %s\n", b.currency);
    for (size_t i = 0; i < 8; i++) {
        char m[ARCS_MONEY_TEXT_MAX];
        money_text(m, rows[i].v, b.exponent);
        printf("%-12s %20s\n", rows[i].key, m);
    }
    return EXIT_OK;
}

int cmd_fund(cli_env *env, int argc, char **argv)
{
    static const cli_verb verbs[] = {
        {"receive", fund_receive, receive_usage,
         "realized proceeds into the fund (or escrow while confiscation is not final)"},
        {"deduct", fund_deduct,
         "--asset ASSET --amount AMOUNT CCY --date DATE --ref EXTREF --kind K",
         "a deduction from an asset's proceeds (creditor, victim, cost, foreign_share)"},
        {"release-escrow", fund_release,
         "--asset ASSET --to fund|owner --date DATE --ref EXTREF",
         "move an asset's escrow to the fund (final confiscation) or back to its owner"},
        {"reverse", fund_reverse, "--ref EXTREF --reverses EXTREF --date DATE",
         "record a transfer that reverses another (at most once)"},
        {"balance", fund_balance, "",
         "received, deducted, escrow, allocated, disbursed, "
         "available"},
        {"show", fund_show, "--ref EXTREF", "one transfer by its reference"},
        {NULL, NULL, NULL, NULL}};
    return cli_dispatch(env, "fund", verbs, argc, argv);
}
