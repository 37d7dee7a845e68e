/* arcs asset add | transition | value | list | show */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum {
    OPT_KIND = OPT_FIRST_OWN,
    OPT_DESC,
    OPT_COUNTRY,
    OPT_VALUE,
    OPT_VALUED_ON,
    OPT_METHOD,
    OPT_IDENTIFIERS,
    OPT_CUSTODIAN,
    OPT_EXTREF,
    OPT_DECISION,
    OPT_DATE,
    OPT_AMOUNT,
    OPT_NOTE,
    OPT_CASE,
    OPT_STATE
};

struct asset_opts {
    const char *case_ref, *kind, *desc, *country, *identifiers, *custodian, *extref;
    const char *amount, *currency, *valued_on, *method;
    const char *decision, *date, *note, *state;
};

static const cli_field asset_fields[] = {
    {OPT_KIND, offsetof(struct asset_opts, kind)},
    {OPT_DESC, offsetof(struct asset_opts, desc)},
    {OPT_COUNTRY, offsetof(struct asset_opts, country)},
    {OPT_VALUED_ON, offsetof(struct asset_opts, valued_on)},
    {OPT_METHOD, offsetof(struct asset_opts, method)},
    {OPT_IDENTIFIERS, offsetof(struct asset_opts, identifiers)},
    {OPT_CUSTODIAN, offsetof(struct asset_opts, custodian)},
    {OPT_EXTREF, offsetof(struct asset_opts, extref)},
    {OPT_DECISION, offsetof(struct asset_opts, decision)},
    {OPT_DATE, offsetof(struct asset_opts, date)},
    {OPT_NOTE, offsetof(struct asset_opts, note)},
    {OPT_CASE, offsetof(struct asset_opts, case_ref)},
    {OPT_STATE, offsetof(struct asset_opts, state)},
    {0, 0}};

static int asset_opt(cli_env *env, int c, const char *arg, void *p)
{
    struct asset_opts *o = p;

    if (cli_store(asset_fields, c, arg, o))
        return 0;
    switch (c) {
    case OPT_VALUE:
    case OPT_AMOUNT:
        /* AMOUNT CCY: getopt gave the amount; the currency is the next word. */
        o->currency = cli_next_value();
        if (!o->currency) {
            cli_usage(env, "%s needs an amount and a currency, e.g. %s 1250000.00 USD",
                      c == OPT_VALUE ? "--value" : "--amount",
                      c == OPT_VALUE ? "--value" : "--amount");
            return -1;
        }
        o->amount = arg;
        return 0;
    }
    return -1;
}

/* Every option of the asset verbs; each verb takes those of its own. */
static const struct option asset_options[] = {
    CLI_COMMON_OPTIONS,
    {"kind", required_argument, NULL, OPT_KIND},
    {"desc", required_argument, NULL, OPT_DESC},
    {"description", required_argument, NULL, OPT_DESC},
    {"country", required_argument, NULL, OPT_COUNTRY},
    {"value", required_argument, NULL, OPT_VALUE},
    {"valued-on", required_argument, NULL, OPT_VALUED_ON},
    {"method", required_argument, NULL, OPT_METHOD},
    {"identifiers", required_argument, NULL, OPT_IDENTIFIERS},
    {"custodian", required_argument, NULL, OPT_CUSTODIAN},
    {"external-ref", required_argument, NULL, OPT_EXTREF},
    {"decision", required_argument, NULL, OPT_DECISION},
    {"date", required_argument, NULL, OPT_DATE},
    {"amount", required_argument, NULL, OPT_AMOUNT},
    {"note", required_argument, NULL, OPT_NOTE},
    {"case", required_argument, NULL, OPT_CASE},
    {"state", required_argument, NULL, OPT_STATE},
    {0, 0, 0, 0}};

/* What a verb takes: its options (codes ended by 0), usage and operands. */
struct asset_verb {
    int codes[10];
    const char *usage;
    int noperands;
    const char *operands;
};

/* Parse a verb's arguments into o: the first operand's index, or -1 after a
   usage error, or -2 after --help. */
static int asset_args(cli_env *env, int argc, char **argv, const struct asset_verb *v,
                      struct asset_opts *o)
{
    struct option opts[sizeof(asset_options) / sizeof(asset_options[0])];

    cli_pick_options(opts, sizeof(opts) / sizeof(opts[0]), asset_options, v->codes);
    return cli_parse_operands(env, argc, argv, opts, asset_opt, o, v->usage, v->noperands,
                              v->operands);
}

/* The ASSET operand: the positive number asset add printed. */
static int parse_asset_id(cli_env *env, const char *text, int64_t *id)
{
    char *end;
    long long v;

    errno = 0;
    v = strtoll(text, &end, 10);
    if (end == text || *end || errno || v <= 0 || text[0] == '+' || text[0] == ' ') {
        cli_usage(env, "ASSET must be the number 'arcs asset add' printed, not '%s'",
                  text);
        return -1;
    }
    *id = (int64_t)v;
    return 0;
}

/* Pure checks of what the CLI can check without the database, so bad input
   is a usage error even before connecting. */
static int precheck(cli_env *env, const struct asset_opts *o)
{
    arcs_err err;
    int32_t days;

    arcs_err_clear(&err);
    if (o->kind && arcs_asset_kind_check(o->kind, &err) != ARCS_OK)
        return cli_usage(env, "%s", err.msg);
    if (o->method && arcs_valuation_method_check(o->method, &err) != ARCS_OK)
        return cli_usage(env, "%s", err.msg);
    if (o->country && arcs_country_code_check(o->country, &err) != ARCS_OK)
        return cli_usage(env, "%s", err.msg);
    if (o->currency && arcs_currency_code_check(o->currency, &err) != ARCS_OK)
        return cli_usage(env, "%s", err.msg);
    if (o->valued_on && arcs_date_parse(&days, o->valued_on, &err) != ARCS_OK)
        return cli_usage(env, "--valued-on: %s", err.msg);
    if (o->date && arcs_date_parse(&days, o->date, &err) != ARCS_OK)
        return cli_usage(env, "--date: %s", err.msg);
    return EXIT_OK;
}

static cJSON *valuation_json(const arcs_valuation *v)
{
    cJSON *o = cJSON_CreateObject();
    char amount[ARCS_MONEY_TEXT_MAX];

    arcs_money_format(amount, v->amount, v->exponent);
    cli_json_add_i64(o, "id", v->id);
    cJSON_AddStringToObject(o, "amount", amount);
    cJSON_AddStringToObject(o, "currency", v->currency);
    cJSON_AddStringToObject(o, "valued_on", v->valued_on);
    cJSON_AddStringToObject(o, "method", v->method);
    return o;
}

static cJSON *asset_json(const arcs_asset *a, int with_history)
{
    cJSON *o = cJSON_CreateObject(), *vals = cJSON_CreateArray();
    char amount[ARCS_MONEY_TEXT_MAX];

    cli_json_add_i64(o, "id", a->id);
    cJSON_AddStringToObject(o, "case", a->case_ref);
    cli_json_add_str_or_null(o, "external_ref", a->external_ref);
    cJSON_AddStringToObject(o, "kind", a->kind);
    cJSON_AddStringToObject(o, "description", a->description);
    cJSON_AddStringToObject(o, "country", a->country);
    cli_json_add_str_or_null(o, "identifiers", a->identifiers);
    cli_json_add_str_or_null(o, "custodian", a->custodian);
    cJSON_AddStringToObject(o, "state", a->state);
    cli_json_add_str_or_null(o, "state_since", a->state_since[0] ? a->state_since : NULL);
    for (size_t i = 0; i < a->nvaluations; i++)
        cJSON_AddItemToArray(vals, valuation_json(&a->valuations[i]));
    cJSON_AddItemToObject(
        o, with_history ? "valuations" : "latest_valuation",
        with_history ? vals
                     : (a->nvaluations ? cJSON_Duplicate(cJSON_GetArrayItem(vals, 0), 1)
                                       : cJSON_CreateNull()));
    if (!with_history) {
        cJSON_Delete(vals);
        return o;
    }
    cJSON *hist = cJSON_CreateArray();
    for (size_t i = 0; i < a->nhistory; i++) {
        const arcs_transition *t = &a->history[i];
        cJSON *h = cJSON_CreateObject();

        cli_json_add_i64(h, "id", t->id);
        cJSON_AddStringToObject(h, "from", t->from);
        cJSON_AddStringToObject(h, "to", t->to);
        cJSON_AddStringToObject(h, "date", t->date);
        cJSON_AddStringToObject(h, "decision", t->decision);
        cJSON_AddStringToObject(h, "actor", t->actor);
        cJSON_AddStringToObject(h, "db_user", t->db_user);
        cli_json_add_str_or_null(h, "note", t->note);
        if (t->has_amount) {
            arcs_money_format(amount, t->amount, t->exponent);
            cJSON_AddStringToObject(h, "amount", amount);
            cJSON_AddStringToObject(h, "currency", t->currency);
        } else {
            cJSON_AddNullToObject(h, "amount");
            cJSON_AddNullToObject(h, "currency");
        }
        cJSON_AddItemToArray(hist, h);
    }
    cJSON_AddItemToObject(o, "history", hist);
    return o;
}

static void print_asset(const arcs_asset *a)
{
    char amount[ARCS_MONEY_TEXT_MAX];

    printf("asset %lld (case %s)\n", (long long)a->id, a->case_ref);
    printf("  kind:        %s\n", a->kind);
    printf("  description: %s\n", cli_t(a->description));
    printf("  country:     %s\n", a->country);
    if (a->identifiers)
        printf("  identifiers: %s\n", cli_t(a->identifiers));
    if (a->custodian)
        printf("  custodian:   %s\n", cli_t(a->custodian));
    if (a->external_ref)
        printf("  external ref: %s\n", cli_t(a->external_ref));
    printf("  state:       %s%s%s\n", a->state, a->state_since[0] ? " since " : "",
           a->state_since);
    printf("valuations:\n");
    if (!a->nvaluations)
        printf("  (none)\n");
    for (size_t i = 0; i < a->nvaluations; i++) {
        const arcs_valuation *v = &a->valuations[i];

        arcs_money_format(amount, v->amount, v->exponent);
        printf("  %s  %s %s  (%s)\n", v->valued_on, amount, v->currency, v->method);
    }
    printf("history:\n");
    if (!a->nhistory)
        printf("  (none: identified since it was recorded)\n");
    for (size_t i = 0; i < a->nhistory; i++) {
        const arcs_transition *t = &a->history[i];

        printf("  %s  %s -> %s  decision %s  by %s", t->date, t->from, t->to, t->decision,
               t->actor);
        if (t->has_amount) {
            arcs_money_format(amount, t->amount, t->exponent);
            printf("  %s %s", amount, t->currency);
        }
        if (t->note)
            printf("  (%s)", cli_t(t->note));
        printf("\n");
    }
}

/* Print the asset (for show, and for add/transition with --json). */
static int show_asset(cli_env *env, int64_t id)
{
    arcs_asset *a = NULL;
    arcs_status st;

    st = arcs_asset_get(env->ctx, &a, id);
    if (st != ARCS_OK)
        return cli_fail(env, st);
    if (env->json) {
        cJSON *doc = asset_json(a, 1);

        arcs_asset_free(a);
        return cli_print_json(doc);
    }
    print_asset(a);
    arcs_asset_free(a);
    return EXIT_OK;
}

/* The end of a verb that recorded something on asset id: the error, or with
   --json the asset, else the text of fmt. */
static int asset_done(cli_env *env, arcs_status st, int64_t id, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int asset_done(cli_env *env, arcs_status st, int64_t id, const char *fmt, ...)
{
    va_list ap;

    if (st != ARCS_OK)
        return cli_fail(env, st);
    if (env->json)
        return show_asset(env, id);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    return EXIT_OK;
}

static arcs_valuation_in valuation_of(const struct asset_opts *o)
{
    arcs_valuation_in v;

    v.amount = o->amount;
    v.currency = o->currency;
    v.valued_on = o->valued_on;
    v.method = o->method;
    return v;
}

static const struct asset_verb add_verb = {
    {OPT_KIND, OPT_DESC, OPT_COUNTRY, OPT_VALUE, OPT_VALUED_ON, OPT_METHOD,
     OPT_IDENTIFIERS, OPT_CUSTODIAN, OPT_EXTREF, 0},
    "CASE_REF --kind KIND --desc TEXT --country CC [--value AMOUNT CCY --valued-on "
    "DATE] [--method M] [--identifiers TEXT] [--custodian TEXT] [--external-ref REF]",
    1,
    "CASE_REF"};

static int asset_add(cli_env *env, int argc, char **argv)
{
    struct asset_opts o = {0};
    arcs_valuation_in v;
    int64_t id = 0;
    int i, rc;
    arcs_status st;

    i = asset_args(env, argc, argv, &add_verb, &o);
    if (i < 0)
        return i == -2 ? EXIT_OK : EXIT_USAGE;
    if (!o.kind)
        return cli_usage(env, "missing --kind KIND (real_estate, bank_account, ...)");
    if (!o.desc)
        return cli_usage(env, "missing --desc TEXT: describe the asset");
    if (!o.country)
        return cli_usage(
            env, "missing --country CC: where the asset is (ISO 3166-1, e.g. KZ)");
    if (o.amount && !o.valued_on)
        return cli_usage(env,
                         "--value needs --valued-on DATE: the date of the valuation");
    if (!o.amount && (o.valued_on || o.method))
        return cli_usage(env,
                         "--valued-on and --method describe a valuation; give --value "
                         "AMOUNT CCY too");
    if ((rc = precheck(env, &o)) != EXIT_OK || (rc = cli_connect(env)) != EXIT_OK)
        return rc;
    v = valuation_of(&o);
    st = arcs_asset_add(env->ctx, &id, argv[i], o.kind, o.desc, o.country, o.identifiers,
                        o.custodian, o.extref, o.amount ? &v : NULL);
    return asset_done(env, st, id, "%lld\n", (long long)id);
}

static const struct asset_verb tr_verb = {
    {OPT_DECISION, OPT_DATE, OPT_AMOUNT, OPT_NOTE, 0},
    "ASSET STATE --decision DREF --date DATE [--amount AMOUNT CCY] [--note TEXT]",
    2,
    "ASSET and STATE"};

static int asset_transition(cli_env *env, int argc, char **argv)
{
    struct asset_opts o = {0};
    arcs_asset_state to;
    arcs_err err;
    int64_t id = 0;
    int i, rc;
    arcs_status st;

    arcs_err_clear(&err);
    i = asset_args(env, argc, argv, &tr_verb, &o);
    if (i < 0)
        return i == -2 ? EXIT_OK : EXIT_USAGE;
    if (parse_asset_id(env, argv[i], &id) != 0)
        return EXIT_USAGE;
    if (arcs_asset_state_parse(&to, argv[i + 1], &err) != ARCS_OK)
        return cli_usage(env, "%s", err.msg);
    if (!o.decision)
        return cli_usage(env,
                         "missing --decision DREF: the decision that orders this move");
    if (!o.date)
        return cli_usage(env, "missing --date DATE: when the move took effect");
    if ((rc = precheck(env, &o)) != EXIT_OK || (rc = cli_connect(env)) != EXIT_OK)
        return rc;
    st = arcs_asset_transition(env->ctx, id, argv[i + 1], o.decision, o.date, o.amount,
                               o.currency, o.note);
    return asset_done(env, st, id, "asset %lld is %s\n", (long long)id,
                      arcs_asset_state_name(to));
}

static const struct asset_verb value_verb = {
    {OPT_AMOUNT, OPT_VALUE, OPT_DATE, OPT_VALUED_ON, OPT_METHOD, 0},
    "ASSET --amount AMOUNT CCY --date DATE [--method M]",
    1,
    "ASSET"};

static int asset_value(cli_env *env, int argc, char **argv)
{
    struct asset_opts o = {0};
    arcs_valuation_in v;
    arcs_valuation rec;
    arcs_asset *a = NULL;
    cJSON *doc;
    int64_t id = 0, vid = 0;
    int i, rc;
    arcs_status st;

    i = asset_args(env, argc, argv, &value_verb, &o);
    if (i < 0)
        return i == -2 ? EXIT_OK : EXIT_USAGE;
    if (parse_asset_id(env, argv[i], &id) != 0)
        return EXIT_USAGE;
    if (!o.valued_on)
        o.valued_on = o.date;
    o.date = NULL;
    if (!o.amount)
        return cli_usage(env, "missing --amount AMOUNT CCY: the value and its currency");
    if (!o.valued_on)
        return cli_usage(env, "missing --date DATE: when the asset was valued");
    if ((rc = precheck(env, &o)) != EXIT_OK || (rc = cli_connect(env)) != EXIT_OK)
        return rc;
    v = valuation_of(&o);
    st = arcs_asset_valuation_add(env->ctx, &vid, id, &v);
    if (st != ARCS_OK)
        return cli_fail(env, st);
    if (!env->json) {
        printf("%lld\n", (long long)vid);
        return EXIT_OK;
    }
    /* Echo what was recorded, the amount as its canonical decimal text. */
    memset(&rec, 0, sizeof(rec));
    st = arcs_asset_get(env->ctx, &a, id);
    if (st != ARCS_OK)
        return cli_fail(env, st);
    for (size_t k = 0; k < a->nvaluations; k++)
        if (a->valuations[k].id == vid)
            rec = a->valuations[k];
    arcs_asset_free(a);
    doc = valuation_json(&rec);
    cli_json_add_i64(doc, "asset", id);
    return cli_print_json(doc);
}

static const struct asset_verb list_verb = {{OPT_CASE, OPT_STATE, OPT_COUNTRY, 0},
                                            "[--case REF] [--state S] [--country CC]",
                                            0,
                                            ""};

static void print_list(const arcs_asset_items *items)
{
    static const char *const headers[] = {"id",    "case",  "kind",       "country",
                                          "state", "value", "description"};
    cli_table *t = cli_table_new(7, headers);

    for (size_t k = 0; k < items->n; k++) {
        const arcs_asset *a = &items->items[k];
        char idbuf[24], value[ARCS_MONEY_TEXT_MAX + 8];
        const char *cells[7];

        snprintf(idbuf, sizeof(idbuf), "%lld", (long long)a->id);
        value[0] = '\0';
        if (a->nvaluations) {
            char amount[ARCS_MONEY_TEXT_MAX];

            arcs_money_format(amount, a->valuations[0].amount, a->valuations[0].exponent);
            snprintf(value, sizeof(value), "%s %s", amount, a->valuations[0].currency);
        }
        cells[0] = idbuf;
        cells[1] = a->case_ref;
        cells[2] = a->kind;
        cells[3] = a->country;
        cells[4] = a->state;
        cells[5] = value[0] ? value : "-";
        cells[6] = a->description;
        cli_table_add(t, cells);
    }
    cli_table_print(t, stdout);
    cli_table_free(t);
}

static int asset_list(cli_env *env, int argc, char **argv)
{
    struct asset_opts o = {0};
    arcs_asset_filter f;
    arcs_asset_items *items = NULL;
    arcs_asset_state s;
    arcs_err err;
    int i, rc;
    arcs_status st;

    arcs_err_clear(&err);
    i = asset_args(env, argc, argv, &list_verb, &o);
    if (i < 0)
        return i == -2 ? EXIT_OK : EXIT_USAGE;
    if (o.state && arcs_asset_state_parse(&s, o.state, &err) != ARCS_OK)
        return cli_usage(env, "%s", err.msg);
    if ((rc = precheck(env, &o)) != EXIT_OK || (rc = cli_connect(env)) != EXIT_OK)
        return rc;
    f.case_ref = o.case_ref;
    f.state = o.state;
    f.country = o.country;
    st = arcs_asset_list(env->ctx, &items, &f);
    if (st != ARCS_OK)
        return cli_fail(env, st);
    if (env->json) {
        cJSON *doc = cJSON_CreateObject(), *arr = cJSON_CreateArray();

        for (size_t k = 0; k < items->n; k++)
            cJSON_AddItemToArray(arr, asset_json(&items->items[k], 0));
        cli_json_add_i64(doc, "count", (int64_t)items->n);
        cJSON_AddItemToObject(doc, "assets", arr);
        rc = cli_print_json(doc);
    } else {
        print_list(items);
        rc = EXIT_OK;
    }
    arcs_asset_items_free(items);
    return rc;
}

static const struct asset_verb show_verb = {{0}, "ASSET", 1, "ASSET"};

static int asset_show(cli_env *env, int argc, char **argv)
{
    struct asset_opts o = {0};
    int64_t id = 0;
    int i, rc;

    i = asset_args(env, argc, argv, &show_verb, &o);
    if (i < 0)
        return i == -2 ? EXIT_OK : EXIT_USAGE;
    if (parse_asset_id(env, argv[i], &id) != 0)
        return EXIT_USAGE;
    if ((rc = cli_connect(env)) != EXIT_OK)
        return rc;
    return show_asset(env, id);
}

int cmd_asset(cli_env *env, int argc, char **argv)
{
    const cli_verb verbs[] = {
        {"add", asset_add, add_verb.usage, "record an asset of a case (prints its id)"},
        {"transition", asset_transition, tr_verb.usage,
         "move an asset to a new legal state by a decision"},
        {"value", asset_value, value_verb.usage, "record a new valuation of an asset"},
        {"list", asset_list, list_verb.usage, "list assets"},
        {"show", asset_show, show_verb.usage,
         "an asset with its valuations and full history"},
        {NULL, NULL, NULL, NULL}};
    return cli_dispatch(env, "asset", verbs, argc, argv);
}
