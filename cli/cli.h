/* The arcs command line: shared state and helpers of every command. */
#ifndef ARCS_CLI_H
#define ARCS_CLI_H

#include <getopt.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "arcs/arcs.h"

/* Exit codes (SPEC §5). */
enum {
    EXIT_OK = 0,
    EXIT_FAIL = 1,
    EXIT_USAGE = 2,
    EXIT_NOTFOUND = 3,
    EXIT_REFUSED = 4,
    EXIT_VERIFY = 5
};

typedef struct cli_env {
    const char *db;    /* --db CONNINFO, or NULL */
    const char *actor; /* --actor NAME, or ARCS_ACTOR, or NULL */
    int json;          /* --json */
    const char *cmd;   /* "case add", for messages */
    arcs_ctx *ctx;     /* opened by cli_connect */
} cli_env;

typedef int (*cli_fn)(cli_env *env, int argc, char **argv);

/* One verb of a noun: "case add". */
typedef struct cli_verb {
    const char *name;
    cli_fn fn;
    const char *usage; /* arguments, shown in help */
    const char *summary;
} cli_verb;

/*
 * Long options every command accepts, to put at the head of a command's
 * option table; their values are below 0x100 + ... so they never clash.
 */
enum { OPT_DB = 0x1000, OPT_JSON, OPT_ACTOR, OPT_HELP, OPT_FIRST_OWN };
#define CLI_COMMON_OPTIONS                                                               \
    {"db", required_argument, NULL, OPT_DB}, {"json", no_argument, NULL, OPT_JSON},      \
        {"actor", required_argument, NULL, OPT_ACTOR},                                   \
    {                                                                                    \
        "help", no_argument, NULL, OPT_HELP                                              \
    }

/*
 * Parse argv with getopt_long (argv[0] is the verb). For each option of the
 * command's own, calls on_opt(env, c, optarg, arg); the common ones are
 * handled here. Operands may come before, between or after the options
 * (SPEC §5 writes "asset add CASE_REF --kind ..."); "--" ends the options.
 * argv is reordered in place so that argv[ret..argc) are the operands, in
 * the order given. Returns that index, or -1 after printing a usage error
 * (exit 2), or -2 when --help was printed (exit 0).
 */
typedef int (*cli_opt_fn)(cli_env *env, int c, const char *optarg, void *arg);
int cli_parse(cli_env *env, int argc, char **argv, const struct option *opts,
              cli_opt_fn on_opt, void *arg, const char *usage);

/* cli_parse, then cli_need_operands for n operands (what names them): the
   first operand's index, or -1 after a usage error, or -2 after --help. */
int cli_parse_operands(cli_env *env, int argc, char **argv, const struct option *opts,
                       cli_opt_fn on_opt, void *arg, const char *usage, int n,
                       const char *what);

/*
 * A verb's option table from the table of all its noun's options: the
 * common options and those whose code is in vals (ended by 0), in the order
 * of all, then the ending zero entry. out has room for n entries.
 */
void cli_pick_options(struct option *out, size_t n, const struct option *all,
                      const int *vals);

/* An option whose value is kept as given: its code and its field's offset in
   the command's options struct. Tables of them end with code 0. */
typedef struct cli_field {
    int code;
    size_t offset;
} cli_field;

/* Inside an on_opt callback: keep value in the field of c in opts. Returns 1,
   or 0 when c is none of fields. */
int cli_store(const cli_field *fields, int c, const char *value, void *opts);

/*
 * Inside an on_opt callback: take the next word of argv as the option's
 * second value ("--amount AMOUNT CCY": getopt gave AMOUNT, this gives CCY).
 * NULL, taking nothing, when there is no next word or it is empty or looks
 * like an option.
 */
const char *cli_next_value(void);

/* Open env->ctx (--db, ARCS_DB, libpq env). Returns an exit code. */
int cli_connect(cli_env *env);

/* Dispatch argv[0] among verbs. */
int cli_dispatch(cli_env *env, const char *noun, const cli_verb *verbs, int argc,
                 char **argv);

/* Print "arcs: MESSAGE" on stderr (one line) and return code. */
int cli_error(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Usage error for the current command: one line, exit 2. */
int cli_usage(cli_env *env, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Map a library status to an exit code. */
int cli_exit_code(arcs_status st);

/* Report the handle's error for status st (one line) and return its exit code. */
int cli_fail(cli_env *env, arcs_status st);

/*
 * Route stdout and stderr through the terminal gate (cli/term.c): control
 * characters are written as \xNN. Called once at start.
 */
void cli_term_install(void);

/* One value for a line of human output, escaped whole (a line break or a
   backslash in it too); valid until 16 more calls. */
const char *cli_t(const char *s);

/* The raw standard output, for documents with their own escaping (JSON, a
   report, a checkpoint): the gate is flushed first. */
FILE *cli_raw_stdout(void);

/* Print a cJSON document on stdout (unformatted, newline) and delete it. */
int cli_print_json(cJSON *doc);

/* What a command made: with --json the document doc, else the text of fmt
   (doc is deleted). Returns the exit code. */
int cli_print_result(cli_env *env, cJSON *doc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Add an integer as a JSON string (ids and counts: never a JSON number). */
void cli_json_add_i64(cJSON *obj, const char *key, int64_t v);

/* Add a string, or JSON null when value is NULL. */
void cli_json_add_str_or_null(cJSON *obj, const char *key, const char *value);

/* Operand count check: exactly n operands left. */
int cli_need_operands(cli_env *env, int argc, char **argv, int optind, int n,
                      const char *what);

/* Read a whole secret line from a file or the terminal; caller frees (wipe first). */
char *cli_read_secret(const char *path, const char *prompt);

/* A simple aligned text table. */
typedef struct cli_table cli_table;
cli_table *cli_table_new(int ncols, const char *const *headers);
void cli_table_add(cli_table *t, const char *const *cells);
void cli_table_print(cli_table *t, FILE *out);
void cli_table_free(cli_table *t);

/* Nouns. */
int cmd_db(cli_env *env, int argc, char **argv);
int cmd_audit(cli_env *env, int argc, char **argv);
int cmd_import(cli_env *env, int argc, char **argv);
int cmd_case(cli_env *env, int argc, char **argv);
int cmd_subject(cli_env *env, int argc, char **argv);
int cmd_decision(cli_env *env, int argc, char **argv);
int cmd_user(cli_env *env, int argc, char **argv);
int cmd_asset(cli_env *env, int argc, char **argv);
int cmd_fx(cli_env *env, int argc, char **argv);
int cmd_fund(cli_env *env, int argc, char **argv);
int cmd_project(cli_env *env, int argc, char **argv);
int cmd_allocate(cli_env *env, int argc, char **argv);
int cmd_disburse(cli_env *env, int argc, char **argv);
/* The end of a ledger verb (cmd_fund.c): the error for st, or the transfer
   printed: its id, or with --json the object. */
int cli_print_transfer(cli_env *env, arcs_status st, const arcs_transfer *t);
cJSON *cli_transfer_json(const arcs_transfer *t);
int cmd_report(cli_env *env, int argc, char **argv);
int cmd_serve(cli_env *env, int argc, char **argv);

#endif
