/* Helpers every command shares: options, errors, connection, output. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"

int cli_error(int code, const char *fmt, ...)
{
    va_list ap;
    char *buf;
    int n;

    /* measured, then written whole (never half a character); stderr's gate
       (term.c) escapes any control character left in it */
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !(buf = malloc((size_t)n + 1))) {
        fputs("arcs: out of memory\n", stderr);
        return code;
    }
    va_start(ap, fmt);
    vsnprintf(buf, (size_t)n + 1, fmt, ap);
    va_end(ap);
    for (char *p = buf; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    fprintf(stderr, "arcs: %s\n", buf);
    free(buf);
    return code;
}

int cli_usage(cli_env *env, const char *fmt, ...)
{
    char buf[900];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (env && env->cmd)
        return cli_error(EXIT_USAGE, "%s: %s", env->cmd, buf);
    return cli_error(EXIT_USAGE, "%s", buf);
}

int cli_exit_code(arcs_status st)
{
    switch (st) {
    case ARCS_OK:
        return EXIT_OK;
    case ARCS_EINVAL:
        return EXIT_USAGE;
    case ARCS_ENOTFOUND:
        return EXIT_NOTFOUND;
    case ARCS_EREFUSED:
    case ARCS_EPERM:
    case ARCS_ECONFLICT:
        return EXIT_REFUSED;
    case ARCS_EVERIFY:
        return EXIT_VERIFY;
    case ARCS_ERROR:
    case ARCS_ERETRY:
        break;
    }
    return EXIT_FAIL;
}

int cli_fail(cli_env *env, arcs_status st)
{
    const char *msg = env->ctx ? arcs_errmsg(env->ctx) : "";

    if (!*msg)
        msg = arcs_status_name(st);
    if (env->cmd)
        return cli_error(cli_exit_code(st), "%s: %s", env->cmd, msg);
    return cli_error(cli_exit_code(st), "%s", msg);
}

int cli_connect(cli_env *env)
{
    arcs_status st;

    if (env->ctx)
        return EXIT_OK;
    st = arcs_ctx_open(&env->ctx, env->db);
    if (!env->ctx)
        return cli_error(EXIT_FAIL, "out of memory");
    if (st != ARCS_OK) /* exit 2 for a password in --db or ARCS_DB */
        return cli_error(st == ARCS_EINVAL ? EXIT_USAGE : EXIT_FAIL, "%s",
                         arcs_errmsg(env->ctx));
    if (env->actor && (st = arcs_ctx_set_actor(env->ctx, env->actor)) != ARCS_OK)
        return cli_fail(env, st);
    return EXIT_OK;
}

/* The argv getopt is walking, for cli_next_value. */
static int walk_argc;
static char **walk_argv;

const char *cli_next_value(void)
{
    const char *v;

    if (!walk_argv || optind >= walk_argc)
        return NULL;
    v = walk_argv[optind];
    if (!v || !v[0] || v[0] == '-')
        return NULL;
    optind++;
    return v;
}

/*
 * Move the operands argv[ops[0..nops)] (ascending indices below end) to sit,
 * in their order, just before argv[end], keeping everything else in order.
 * Returns the index of the first moved operand. Rotations one step at a
 * time: argv is a handful of words, and this needs no allocation.
 */
static int operands_last(char **argv, int end, const int *ops, int nops)
{
    for (int k = nops - 1; k >= 0; k--) {
        int from = ops[k], to = end - (nops - k);
        char *w = argv[from];

        memmove(argv + from, argv + from + 1, (size_t)(to - from) * sizeof(*argv));
        argv[to] = w;
    }
    return end - nops;
}

/*
 * SPEC §5 writes operands before options ("asset add CASE_REF --kind ...")
 * and fx/project put them anywhere, but getopt with "+" stops at the first
 * operand. So: when getopt stops at an operand, note it and go on after it;
 * "--" ends the options. argv is not reordered while getopt walks it, so an
 * option handler that takes a second value (--amount AMOUNT CCY, through
 * cli_next_value) sees the words as typed. At the end the noted operands
 * are moved, in order, to just before those after "--": argv[ret..argc) are
 * then all the operands.
 */
int cli_parse(cli_env *env, int argc, char **argv, const struct option *opts,
              cli_opt_fn on_opt, void *arg, const char *usage)
{
    char shortopts[] = "+:h";
    int ops[64], nops = 0;
    int c, idx, before, rc = -1;

    optind = 0; /* 0: a full restart of getopt, as cli_parse may run repeatedly */
    opterr = 0;
    walk_argc = argc;
    walk_argv = argv;
    for (;;) {
        before = optind ? optind : 1;
        idx = -1;
        c = getopt_long(argc, argv, shortopts, opts, &idx);
        if (c == -1) {
            /* getopt consumed "--" (the rest are operands), or reached the end */
            if (optind >= argc || (optind == before + 1 && !strcmp(argv[before], "--")))
                break;
            /* an operand: note it and parse on after it */
            if (nops == (int)(sizeof(ops) / sizeof(ops[0]))) {
                cli_usage(env, "unexpected argument '%s'; see 'arcs %s --help'",
                          argv[optind], env->cmd);
                goto done;
            }
            ops[nops++] = optind++;
            continue;
        }
        switch (c) {
        case OPT_DB:
            env->db = optarg;
            break;
        case OPT_JSON:
            env->json = 1;
            break;
        case OPT_ACTOR:
            env->actor = optarg;
            break;
        case 'h':
        case OPT_HELP:
            printf("usage: arcs %s %s\n", env->cmd, usage ? usage : "");
            rc = -2;
            goto done;
        case ':':
            cli_usage(env, "option '%s' needs a value; see 'arcs %s --help'",
                      argv[optind - 1], env->cmd);
            goto done;
        case '?':
            cli_usage(env, "unknown option '%s'; see 'arcs %s --help'", argv[optind - 1],
                      env->cmd);
            goto done;
        default:
            if (!on_opt || on_opt(env, c, optarg, arg) != 0)
                goto done;
        }
    }
    rc = operands_last(argv, optind < argc ? optind : argc, ops, nops);
done:
    walk_argc = 0;
    walk_argv = NULL;
    return rc;
}

int cli_parse_operands(cli_env *env, int argc, char **argv, const struct option *opts,
                       cli_opt_fn on_opt, void *arg, const char *usage, int n,
                       const char *what)
{
    int i = cli_parse(env, argc, argv, opts, on_opt, arg, usage);

    if (i >= 0 && cli_need_operands(env, argc, argv, i, n, what) != 0)
        return -1;
    return i;
}

void cli_pick_options(struct option *out, size_t n, const struct option *all,
                      const int *vals)
{
    size_t k = 0;

    for (; all->name && k + 1 < n; all++) {
        int pick = all->val < OPT_FIRST_OWN;
        for (const int *v = vals; !pick && *v; v++)
            pick = all->val == *v;
        if (pick)
            out[k++] = *all;
    }
    memset(&out[k], 0, sizeof(out[k]));
}

int cli_store(const cli_field *fields, int c, const char *value, void *opts)
{
    for (; fields->code; fields++) {
        if (fields->code == c) {
            *(const char **)((char *)opts + fields->offset) = value;
            return 1;
        }
    }
    return 0;
}

int cli_dispatch(cli_env *env, const char *noun, const cli_verb *verbs, int argc,
                 char **argv)
{
    static char cmdbuf[64];
    const cli_verb *v;

    if (argc < 1 || !strcmp(argv[0], "--help") || !strcmp(argv[0], "-h")) {
        FILE *out = argc < 1 ? stderr : stdout;
        fprintf(out, "usage: arcs %s VERB ...\n", noun);
        for (v = verbs; v->name; v++)
            fprintf(out, "  arcs %s %s %s\n      %s\n", noun, v->name, v->usage,
                    v->summary);
        return argc < 1 ? EXIT_USAGE : EXIT_OK;
    }
    for (v = verbs; v->name; v++) {
        if (strcmp(v->name, argv[0]))
            continue;
        snprintf(cmdbuf, sizeof(cmdbuf), "%s %s", noun, v->name);
        env->cmd = cmdbuf;
        return v->fn(env, argc, argv);
    }
    return cli_error(EXIT_USAGE, "unknown verb '%s' for '%s'; see 'arcs %s --help'",
                     argv[0], noun, noun);
}

int cli_print_json(cJSON *doc)
{
    char *s;

    if (!doc)
        return cli_error(EXIT_FAIL, "out of memory");
    s = cJSON_PrintUnformatted(doc);
    cJSON_Delete(doc);
    if (!s)
        return cli_error(EXIT_FAIL, "out of memory");
    {
        FILE *out = cli_raw_stdout(); /* JSON escapes its own control characters */
        fputs(s, out);
        fputc('\n', out);
        fflush(out);
    }
    cJSON_free(s);
    return EXIT_OK;
}

int cli_print_result(cli_env *env, cJSON *doc, const char *fmt, ...)
{
    va_list ap;

    if (env->json)
        return cli_print_json(doc);
    cJSON_Delete(doc);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    return EXIT_OK;
}

void cli_json_add_i64(cJSON *obj, const char *key, int64_t v)
{
    char buf[24];

    snprintf(buf, sizeof(buf), "%lld", (long long)v);
    cJSON_AddStringToObject(obj, key, buf);
}

void cli_json_add_str_or_null(cJSON *obj, const char *key, const char *value)
{
    if (value)
        cJSON_AddStringToObject(obj, key, value);
    else
        cJSON_AddNullToObject(obj, key);
}

int cli_need_operands(cli_env *env, int argc, char **argv, int optind_, int n,
                      const char *what)
{
    if (argc - optind_ < n) {
        cli_usage(env, "missing %s; see 'arcs %s --help'", what, env->cmd);
        return -1;
    }
    if (argc - optind_ > n) {
        cli_usage(env, "unexpected argument '%s'; see 'arcs %s --help'",
                  argv[optind_ + n], env->cmd);
        return -1;
    }
    return 0;
}

char *cli_read_secret(const char *path, const char *prompt)
{
    char buf[1024];
    struct termios old, quiet;
    FILE *f;
    int tty = 0;
    size_t n;

    if (path) {
        f = fopen(path, "r");
        if (!f) {
            cli_error(EXIT_USAGE, "cannot read '%s': %s", path, strerror(errno));
            return NULL;
        }
    } else {
        f = stdin;
        tty = isatty(STDIN_FILENO);
        if (tty) {
            fprintf(stderr, "%s", prompt);
            tcgetattr(STDIN_FILENO, &old);
            quiet = old;
            quiet.c_lflag &= ~(tcflag_t)ECHO;
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
        }
    }
    if (!fgets(buf, sizeof(buf), f))
        buf[0] = '\0';
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
        fputc('\n', stderr);
    }
    if (f != stdin)
        fclose(f);
    n = strcspn(buf, "\r\n");
    buf[n] = '\0';
    if (n == 0) {
        cli_error(EXIT_USAGE, "empty password; put it in a file given with "
                              "--password-file or type it at the prompt");
        return NULL;
    }
    char *s = strdup(buf);
    memset(buf, 0, sizeof(buf));
    return s;
}
