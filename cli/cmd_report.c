/* arcs report case | funds | statistics | provenance */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arcs/report.h"
#include "cli.h"

enum {
    OPT_FORMAT = OPT_FIRST_OWN,
    OPT_OUT,
    OPT_FROM,
    OPT_TO,
    OPT_YEAR,
    OPT_PROJECT,
    OPT_SHOW_ID,
    OPT_VKEY
};

#define MAX_VKEYS 8

struct report_opts {
    const char *format;
    const char *out;
    const char *from;
    const char *to;
    const char *year;
    const char *project;
    int show_identity;
    const char *vkeys[MAX_VKEYS]; /* verifier keys trusted for the checkpoint */
    size_t nvkeys;
};

static int report_opt(cli_env *env, int c, const char *arg, void *p)
{
    struct report_opts *o = p;

    switch (c) {
    case OPT_FORMAT:
        o->format = arg;
        return 0;
    case OPT_OUT:
        o->out = arg;
        return 0;
    case OPT_FROM:
        o->from = arg;
        return 0;
    case OPT_TO:
        o->to = arg;
        return 0;
    case OPT_YEAR:
        o->year = arg;
        return 0;
    case OPT_PROJECT:
        o->project = arg;
        return 0;
    case OPT_SHOW_ID:
        o->show_identity = 1;
        return 0;
    case OPT_VKEY:
        if (o->nvkeys >= MAX_VKEYS) {
            cli_usage(env, "at most %d --vkey keys", MAX_VKEYS);
            return -1;
        }
        o->vkeys[o->nvkeys++] = arg;
        return 0;
    }
    return -1;
}

static const struct option report_opts_table[] = {
    CLI_COMMON_OPTIONS,
    {"format", required_argument, NULL, OPT_FORMAT},
    {"out", required_argument, NULL, OPT_OUT},
    {"from", required_argument, NULL, OPT_FROM},
    {"to", required_argument, NULL, OPT_TO},
    {"year", required_argument, NULL, OPT_YEAR},
    {"project", required_argument, NULL, OPT_PROJECT},
    {"show-identity", no_argument, NULL, OPT_SHOW_ID},
    {"vkey", required_argument, NULL, OPT_VKEY},
    {0, 0, 0, 0}};

/* Write the report to --out (arcs_file_write: a new file renamed into
   place, never through a link nor over anything but a regular file) or
   stdout. */
static int emit(cli_env *env, const struct report_opts *o, const char *text, size_t len)
{
    arcs_err err = {ARCS_OK, ""};
    arcs_status st;

    if (!o->out) {
        FILE *out = cli_raw_stdout(); /* the document, byte for byte */
        if (fwrite(text, 1, len, out) != len || fflush(out) != 0)
            return cli_error(EXIT_FAIL, "%s: cannot write the report: %s", env->cmd,
                             strerror(errno));
        return EXIT_OK;
    }
    if ((st = arcs_file_write(o->out, text, len, 0, &err)) != ARCS_OK)
        return cli_error(cli_exit_code(st), "%s: %s", env->cmd, err.msg);
    if (env->json) {
        cJSON *doc = cJSON_CreateObject();
        cJSON_AddStringToObject(doc, "out", o->out);
        return cli_print_json(doc);
    }
    return EXIT_OK;
}

/* Common start: parse, pick the format (--json means json), check dates. */
static int start(cli_env *env, int argc, char **argv, struct report_opts *o,
                 arcs_report_format *fmt, int def, const char *usage, int operands,
                 const char *what, int *first)
{
    arcs_err err = {0};
    int32_t days;
    int i;

    i = cli_parse(env, argc, argv, report_opts_table, report_opt, o, usage);
    if (i < 0)
        return i == -2 ? -2 : EXIT_USAGE;
    if (cli_need_operands(env, argc, argv, i, operands, what) != 0)
        return EXIT_USAGE;
    *first = i;
    *fmt = (arcs_report_format)def;
    if (o->format && arcs_report_format_parse(fmt, o->format, &err) != ARCS_OK)
        return cli_usage(env, "%s", err.msg);
    if (env->json && !o->format)
        *fmt = ARCS_REPORT_JSON;
    if (env->json && *fmt != ARCS_REPORT_JSON && !o->out)
        return cli_usage(env, "--json and --format %s disagree; give one", o->format);
    if (o->from && arcs_date_parse(&days, o->from, &err) != ARCS_OK)
        return cli_usage(env, "--from: %s", err.msg);
    if (o->to && arcs_date_parse(&days, o->to, &err) != ARCS_OK)
        return cli_usage(env, "--to: %s", err.msg);
    return EXIT_OK;
}

/* The verifier keys the report's checkpoint line is checked with (--vkey):
   without them no checkpoint is called signed. */
static int trust(cli_env *env, const struct report_opts *o)
{
    arcs_status st;

    if (!o->nvkeys)
        return EXIT_OK;
    st = arcs_report_trust_keys(env->ctx, o->vkeys, o->nvkeys);
    return st == ARCS_OK ? EXIT_OK : cli_fail(env, st);
}

static int finish(cli_env *env, const struct report_opts *o, arcs_status st, char *text,
                  size_t len)
{
    int rc;

    if (st != ARCS_OK)
        return cli_fail(env, st);
    rc = emit(env, o, text, len);
    free(text);
    return rc;
}

static int report_case(cli_env *env, int argc, char **argv)
{
    static const char usage[] =
        "REF [--format html|md|json] [--out FILE] [--show-identity] [--vkey VKEY]...";
    struct report_opts o = {0};
    arcs_report_format fmt;
    char *text = NULL;
    size_t len = 0;
    int rc, i = 0;
    arcs_status st;

    rc = start(env, argc, argv, &o, &fmt, ARCS_REPORT_HTML, usage, 1, "case REF", &i);
    if (rc != EXIT_OK)
        return rc == -2 ? EXIT_OK : rc;
    if (fmt == ARCS_REPORT_CSV)
        return cli_usage(env, "the case report is html, md or json, not csv");
    if ((rc = cli_connect(env)) != EXIT_OK || (rc = trust(env, &o)) != EXIT_OK)
        return rc;
    st = arcs_report_case(env->ctx, &text, &len, argv[i], fmt, o.show_identity);
    return finish(env, &o, st, text, len);
}

static int report_funds(cli_env *env, int argc, char **argv)
{
    static const char usage[] = "[--from DATE] [--to DATE] [--format html|csv|json] "
                                "[--out FILE] [--vkey VKEY]...";
    struct report_opts o = {0};
    arcs_report_format fmt;
    char *text = NULL;
    size_t len = 0;
    int rc, i = 0;
    arcs_status st;

    rc = start(env, argc, argv, &o, &fmt, ARCS_REPORT_HTML, usage, 0, "", &i);
    if (rc != EXIT_OK)
        return rc == -2 ? EXIT_OK : rc;
    if (fmt == ARCS_REPORT_MD)
        return cli_usage(env, "the funds report is html, csv or json, not md");
    if (o.from && o.to && strcmp(o.to, o.from) < 0)
        return cli_usage(env, "--to %s is before --from %s; swap them", o.to, o.from);
    if ((rc = cli_connect(env)) != EXIT_OK || (rc = trust(env, &o)) != EXIT_OK)
        return rc;
    st = arcs_report_funds(env->ctx, &text, &len, o.from, o.to, fmt);
    return finish(env, &o, st, text, len);
}

static int report_statistics(cli_env *env, int argc, char **argv)
{
    static const char usage[] =
        "--year YYYY [--format html|csv|json] [--out FILE] [--vkey VKEY]...";
    struct report_opts o = {0};
    arcs_report_format fmt;
    char *text = NULL, *end;
    size_t len = 0;
    long year;
    int rc, i = 0;
    arcs_status st;

    rc = start(env, argc, argv, &o, &fmt, ARCS_REPORT_HTML, usage, 0, "", &i);
    if (rc != EXIT_OK)
        return rc == -2 ? EXIT_OK : rc;
    if (!o.year)
        return cli_usage(env, "missing --year YYYY");
    errno = 0;
    year = strtol(o.year, &end, 10);
    if (errno || end == o.year || *end || strlen(o.year) != 4 || year < 1900 ||
        year > 2999)
        return cli_usage(env, "--year needs a year such as 2024, not '%s'", o.year);
    if (fmt == ARCS_REPORT_MD)
        return cli_usage(env, "the statistics report is html, csv or json, not md");
    if ((rc = cli_connect(env)) != EXIT_OK || (rc = trust(env, &o)) != EXIT_OK)
        return rc;
    st = arcs_report_statistics(env->ctx, &text, &len, (int)year, fmt);
    return finish(env, &o, st, text, len);
}

static int report_provenance(cli_env *env, int argc, char **argv)
{
    static const char usage[] =
        "--project CODE [--format html|csv|json] [--out FILE] [--vkey VKEY]...";
    struct report_opts o = {0};
    arcs_report_format fmt;
    char *text = NULL;
    size_t len = 0;
    int rc, i = 0;
    arcs_status st;

    rc = start(env, argc, argv, &o, &fmt, ARCS_REPORT_HTML, usage, 0, "", &i);
    if (rc != EXIT_OK)
        return rc == -2 ? EXIT_OK : rc;
    if (!o.project)
        return cli_usage(env, "missing --project CODE");
    if (fmt == ARCS_REPORT_MD)
        return cli_usage(env, "the provenance report is html, csv or json, not md");
    if ((rc = cli_connect(env)) != EXIT_OK || (rc = trust(env, &o)) != EXIT_OK)
        return rc;
    st = arcs_report_provenance(env->ctx, &text, &len, o.project, fmt);
    return finish(env, &o, st, text, len);
}

int cmd_report(cli_env *env, int argc, char **argv)
{
    static const cli_verb verbs[] = {
        {"case", report_case,
         "REF [--format html|md|json] [--out FILE] [--show-identity]",
         "a case: subjects, decisions, assets, money, and the audit entries behind them"},
        {"funds", report_funds,
         "[--from DATE] [--to DATE] [--format html|csv|json] [--out FILE]",
         "the fund: receipts, deductions, escrow, allocations, a balanced roll-forward"},
        {"statistics", report_statistics,
         "--year YYYY [--format html|csv|json] [--out FILE]",
         "a year's statistics as regulators ask (orders, values, recoveries)"},
        {"provenance", report_provenance,
         "--project CODE [--format html|csv|json] [--out FILE]",
         "which cases and countries paid for a project"},
        {NULL, NULL, NULL, NULL}};
    return cli_dispatch(env, "report", verbs, argc, argv);
}
