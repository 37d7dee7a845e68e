/* arcs db init | status */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct init_opts {
    const char *base;
    int target;
};

enum { OPT_BASE = OPT_FIRST_OWN, OPT_TARGET };

static int init_opt(cli_env *env, int c, const char *arg, void *p)
{
    struct init_opts *o = p;
    char *end;
    long v;

    switch (c) {
    case OPT_BASE:
        o->base = arg;
        return 0;
    case OPT_TARGET:
        errno = 0;
        v = strtol(arg, &end, 10);
        if (*end || end == arg || v < 1 || v > 100000) {
            cli_usage(env, "--to-version needs a schema version number, not '%s'", arg);
            return -1;
        }
        o->target = (int)v;
        return 0;
    }
    return -1;
}

static int db_init(cli_env *env, int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_OPTIONS,
        {"base-currency", required_argument, NULL, OPT_BASE},
        {"to-version", required_argument, NULL, OPT_TARGET},
        {0, 0, 0, 0}};
    struct init_opts o = {NULL, 0};
    arcs_err err;
    int i, rc, applied = 0;
    arcs_status st;

    i = cli_parse(env, argc, argv, opts, init_opt, &o, "[--base-currency CCY]");
    if (i < 0)
        return i == -2 ? EXIT_OK : EXIT_USAGE;
    if (cli_need_operands(env, argc, argv, i, 0, "") != 0)
        return EXIT_USAGE;
    if (o.base && arcs_currency_code_check(o.base, &err) != ARCS_OK)
        return cli_usage(env, "base currency '%s' is not an ISO 4217 code such as KZT",
                         o.base);
    if ((rc = cli_connect(env)) != EXIT_OK)
        return rc;
    st = arcs_db_init(env->ctx, o.base, o.target, &applied);
    if (st != ARCS_OK)
        return cli_fail(env, st);
    if (env->json) {
        cJSON *doc = cJSON_CreateObject();
        cJSON_AddNumberToObject(doc, "schema_version",
                                o.target ? o.target : arcs_db_latest_version());
        cJSON_AddNumberToObject(doc, "applied", applied);
        return cli_print_json(doc);
    }
    if (applied)
        printf("schema upgraded: %d migration%s applied, now at version %d\n", applied,
               applied == 1 ? "" : "s", o.target ? o.target : arcs_db_latest_version());
    else
        printf("schema up to date at version %d\n",
               o.target ? o.target : arcs_db_latest_version());
    return EXIT_OK;
}

static int db_status(cli_env *env, int argc, char **argv)
{
    static const struct option opts[] = {CLI_COMMON_OPTIONS, {0, 0, 0, 0}};
    arcs_db_status s;
    arcs_status st;
    int i, rc;

    i = cli_parse(env, argc, argv, opts, NULL, NULL, "");
    if (i < 0)
        return i == -2 ? EXIT_OK : EXIT_USAGE;
    if (cli_need_operands(env, argc, argv, i, 0, "") != 0)
        return EXIT_USAGE;
    if ((rc = cli_connect(env)) != EXIT_OK)
        return rc;
    st = arcs_db_status_get(env->ctx, &s);
    if (st != ARCS_OK)
        return cli_fail(env, st);
    if (env->json) {
        cJSON *doc = cJSON_CreateObject(), *counts = cJSON_CreateObject();
        /* counts are JSON integers; no amount of money appears here */
        cJSON_AddNumberToObject(doc, "schema_version", s.schema_version);
        cJSON_AddNumberToObject(doc, "latest_version", s.latest_version);
        cJSON_AddStringToObject(doc, "base_currency", s.base_currency);
        cJSON_AddNumberToObject(doc, "unsealed",
                                (double)(s.unsealed < 0 ? 0 : s.unsealed));
        cJSON_AddNumberToObject(doc, "log_size",
                                (double)(s.log_size < 0 ? 0 : s.log_size));
        for (size_t k = 0; k < s.ncounts; k++) {
            cJSON_AddNumberToObject(counts, s.counts[k].name, (double)s.counts[k].n);
        }
        cJSON_AddItemToObject(doc, "counts", counts);
        return cli_print_json(doc);
    }
    if (s.schema_version == 0) {
        printf("schema: not initialized (this binary carries version %d); run 'arcs db "
               "init'\n",
               s.latest_version);
        return EXIT_OK;
    }
    printf("schema version: %d%s\n", s.schema_version,
           s.schema_version < s.latest_version ? " (upgrade with 'arcs db init')" : "");
    printf("base currency:  %s\n", s.base_currency[0] ? s.base_currency : "-");
    printf("audit log:      %lld entries, %lld unsealed\n",
           (long long)(s.log_size < 0 ? 0 : s.log_size),
           (long long)(s.unsealed < 0 ? 0 : s.unsealed));
    for (size_t k = 0; k < s.ncounts; k++)
        printf("%-15s %lld\n", s.counts[k].name, (long long)s.counts[k].n);
    return EXIT_OK;
}

int cmd_db(cli_env *env, int argc, char **argv)
{
    static const cli_verb verbs[] = {
        {"init", db_init, "[--base-currency CCY]",
         "create or upgrade the schema (idempotent)"},
        {"status", db_status, "", "schema version, unsealed entries, counts"},
        {NULL, NULL, NULL, NULL}};
    return cli_dispatch(env, "db", verbs, argc, argv);
}
