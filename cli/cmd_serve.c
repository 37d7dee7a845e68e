/* arcs serve: the analysts' workspace (web/), on the connection settings of
   every command minus the user: each person logs in as their own role. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "../web/web.h"

enum {
    OPT_LISTEN = OPT_FIRST_OWN,
    OPT_IDLE,
    OPT_MAX_SESSIONS,
    OPT_MAX_BODY,
    OPT_CONN_TIMEOUT,
    OPT_MAX_CONN,
    OPT_PROXY,
    OPT_QUIET
};

static const char usage_text[] =
    "[--listen HOST:PORT] [--idle-timeout SECONDS] [--max-sessions N] [--max-body BYTES]"
    " [--conn-timeout SECONDS] [--max-connections N] [--trusted-proxy ADDR] [--quiet]";

static int number(cli_env *env, const char *flag, const char *arg, unsigned long lo,
                  unsigned long hi, unsigned long *out)
{
    char *end;
    unsigned long v;

    errno = 0;
    v = strtoul(arg, &end, 10);
    if (errno || end == arg || *end || arg[0] == '-' || v < lo || v > hi) {
        cli_usage(env, "%s needs a number from %lu to %lu, not '%s'", flag, lo, hi, arg);
        return -1;
    }
    *out = v;
    return 0;
}

static int serve_opt(cli_env *env, int c, const char *arg, void *p)
{
    web_config *cfg = p;
    unsigned long v;

    switch (c) {
    case OPT_LISTEN:
        cfg->listen = arg;
        return 0;
    case OPT_PROXY:
        cfg->trusted_proxy = arg;
        return 0;
    case OPT_QUIET:
        cfg->quiet = 1;
        return 0;
    case OPT_IDLE:
        if (number(env, "--idle-timeout", arg, 1, 7 * 86400, &v))
            return -1;
        cfg->idle_timeout = (unsigned)v;
        return 0;
    case OPT_MAX_SESSIONS:
        if (number(env, "--max-sessions", arg, 1, 10000, &v))
            return -1;
        cfg->max_sessions = (unsigned)v;
        return 0;
    case OPT_MAX_BODY:
        if (number(env, "--max-body", arg, 1024, 16 * 1024 * 1024, &v))
            return -1;
        cfg->max_body = v;
        return 0;
    case OPT_CONN_TIMEOUT:
        if (number(env, "--conn-timeout", arg, 1, 3600, &v))
            return -1;
        cfg->conn_timeout = (unsigned)v;
        return 0;
    case OPT_MAX_CONN:
        if (number(env, "--max-connections", arg, 1, 100000, &v))
            return -1;
        cfg->max_connections = (unsigned)v;
        return 0;
    }
    return -1;
}

int cmd_serve(cli_env *env, int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_OPTIONS,
        {"listen", required_argument, NULL, OPT_LISTEN},
        {"idle-timeout", required_argument, NULL, OPT_IDLE},
        {"max-sessions", required_argument, NULL, OPT_MAX_SESSIONS},
        {"max-body", required_argument, NULL, OPT_MAX_BODY},
        {"conn-timeout", required_argument, NULL, OPT_CONN_TIMEOUT},
        {"max-connections", required_argument, NULL, OPT_MAX_CONN},
        {"trusted-proxy", required_argument, NULL, OPT_PROXY},
        {"quiet", no_argument, NULL, OPT_QUIET},
        {0, 0, 0, 0}};
    web_config cfg = {0};
    /* argv[-1] is "serve" itself: getopt wants the command name first */
    int ac = argc + 1, i;
    char **av = argv - 1;
    arcs_err err;

    env->cmd = "serve";
    cfg.listen = "127.0.0.1:8080";
    cfg.idle_timeout = 1800;
    cfg.max_sessions = 64;
    cfg.max_body = 65536;
    cfg.conn_timeout = 30;
    cfg.max_connections = 256;
    i = cli_parse(env, ac, av, opts, serve_opt, &cfg, usage_text);
    if (i < 0)
        return i == -2 ? EXIT_OK : EXIT_USAGE;
    if (i < ac)
        return cli_usage(env, "unexpected argument '%s'; see 'arcs serve --help'", av[i]);
    if (env->actor)
        return cli_usage(env, "--actor does not apply to serve: each person logs in as "
                              "themselves");
    cfg.db = env->db && *env->db ? env->db : getenv("ARCS_DB");
    if (cfg.db && *cfg.db && arcs_conninfo_check(cfg.db, &err) != ARCS_OK)
        return cli_error(EXIT_USAGE, "%s", err.msg);
    return web_serve(&cfg) == 0 ? EXIT_OK : EXIT_FAIL;
}
