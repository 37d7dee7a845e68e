/* arcs: the command table and the entry point. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct noun {
    const char *name;
    int (*fn)(cli_env *env, int argc, char **argv);
    const char *summary;
};

static const struct noun nouns[] = {
    {"db", cmd_db, "create, upgrade and inspect the database"},
    {"audit", cmd_audit, "the tamper-evident audit log: seal, checkpoint, verify"},
    {"import", cmd_import, "bulk import of cases and assets from CSV or JSON"},
    {"case", cmd_case, "cases: add, list, show, move through statuses"},
    {"subject", cmd_subject, "people and entities tied to a case"},
    {"decision", cmd_decision, "legal acts: freeze, seizure, confiscation ..."},
    {"user", cmd_user, "logins in the analyst, supervisor, auditor, admin roles"},
    {"asset", cmd_asset, "assets, valuations and their legal life cycle"},
    {"fx", cmd_fx, "exchange rates to the base currency"},
    {"fund", cmd_fund, "money in: receipts, deductions, escrow, reversals, balance"},
    {"project", cmd_project, "reinvestment projects and where their money came from"},
    {"allocate", cmd_allocate, "allocate fund money to a project by a decision"},
    {"disburse", cmd_disburse, "disburse a tranche of a project's allocation"},
    {"report", cmd_report, "audit reports: case, funds, statistics, provenance"},
    {"serve", cmd_serve, "the analysts' workspace: a web application (SPEC §9)"},
};

static void usage(FILE *out)
{
    fprintf(out,
            "usage: arcs [--db CONNINFO] [--json] [--actor NAME] NOUN VERB [ARGS]\n\n");
    for (size_t i = 0; i < sizeof(nouns) / sizeof(nouns[0]); i++)
        fprintf(out, "  %-10s %s\n", nouns[i].name, nouns[i].summary);
    fprintf(out,
            "\n'arcs NOUN --help' lists a noun's verbs. Connection: --db, else ARCS_DB,"
            " else PGHOST, PGDATABASE, PGSERVICE ...\n");
}

static int run(int argc, char **argv)
{
    cli_env env = {0};
    int i = 1, rc;

    env.actor = getenv("ARCS_ACTOR");
    /* Options before the noun; the same ones are accepted after the verb. */
    while (i < argc && argv[i][0] == '-') {
        if (!strcmp(argv[i], "--json")) {
            env.json = 1;
            i++;
        } else if ((!strcmp(argv[i], "--db") || !strcmp(argv[i], "--actor")) &&
                   i + 1 < argc) {
            if (argv[i][2] == 'd')
                env.db = argv[i + 1];
            else
                env.actor = argv[i + 1];
            i += 2;
        } else if (!strncmp(argv[i], "--db=", 5)) {
            env.db = argv[i] + 5;
            i++;
        } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return EXIT_OK;
        } else if (!strcmp(argv[i], "--version")) {
            printf("arcs 0.1.0 (schema %d)\n", arcs_db_latest_version());
            return EXIT_OK;
        } else {
            return cli_error(EXIT_USAGE, "unknown option '%s'; see 'arcs --help'",
                             argv[i]);
        }
    }
    if (i >= argc) {
        usage(stderr);
        return EXIT_USAGE;
    }
    for (size_t n = 0; n < sizeof(nouns) / sizeof(nouns[0]); n++) {
        if (strcmp(argv[i], nouns[n].name))
            continue;
        rc = nouns[n].fn(&env, argc - i - 1, argv + i + 1);
        arcs_ctx_free(env.ctx);
        return rc;
    }
    return cli_error(EXIT_USAGE, "unknown command '%s'; see 'arcs --help'", argv[i]);
}

int main(int argc, char **argv)
{
    int rc;

    cli_term_install();
    rc = run(argc, argv);
    fflush(stdout);
    fflush(cli_raw_stdout());
    fflush(stderr);
    return rc;
}
