/* libpq: connect, one exec wrapper, transactions with retry. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db_int.h"
#include "error_int.h"
#include "text_int.h"

char *arcs__strdup(const char *s)
{
    size_t n;
    char *p;

    if (!s)
        return NULL;
    n = strlen(s) + 1;
    p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

/* Settings pinned on every connection so results never depend on the session. */
static const char *const pin_sql =
    "SELECT pg_catalog.set_config('search_path', 'pg_catalog', false),"
    " pg_catalog.set_config('TimeZone', 'UTC', false),"
    " pg_catalog.set_config('DateStyle', 'ISO, YMD', false),"
    " pg_catalog.set_config('IntervalStyle', 'iso_8601', false),"
    " pg_catalog.set_config('extra_float_digits', '3', false),"
    " pg_catalog.set_config('application_name', 'arcs', false),"
    " pg_catalog.set_config('client_min_messages', 'warning', false)";

/* Forget the prepared statements: they belonged to the old session. */
static void stmts_clear(arcs_ctx *ctx)
{
    for (size_t b = 0; b < ARCS__STMT_BUCKETS; b++) {
        arcs__stmt *s = ctx->stmts[b], *next;
        for (; s; s = next) {
            next = s->next;
            free(s);
        }
        ctx->stmts[b] = NULL;
    }
    ctx->nstmts = 0;
}

/* The settings every connection gets once it is up. */
static arcs_status pin(arcs_ctx *ctx)
{
    PGresult *res = NULL;
    arcs_status st;

    if (PQsetClientEncoding(ctx->conn, "UTF8") != 0)
        return arcs__fail(ctx, ARCS_ERROR, "cannot set client encoding to UTF8");
    st = arcs__db_exec(ctx, &res, pin_sql, 0, NULL);
    PQclear(res);
    return st;
}

static arcs_status connect_pinned(arcs_ctx *ctx)
{
    stmts_clear(ctx);
    if (ctx->conn)
        PQfinish(ctx->conn);
    ctx->conn = NULL;
    if (ctx->login)
        return arcs__fail(ctx, ARCS_ERROR,
                          "the connection to the database was lost; log in again");
    ctx->conn = PQconnectdb(ctx->conninfo);
    if (!ctx->conn)
        return arcs__fail(ctx, ARCS_ERROR, "out of memory connecting to the database");
    if (PQstatus(ctx->conn) != CONNECTION_OK)
        return arcs__fail(
            ctx, ARCS_ERROR,
            "cannot connect to the database: %s; set --db, ARCS_DB or PGHOST",
            PQerrorMessage(ctx->conn));
    return pin(ctx);
}

arcs_status arcs_conninfo_check(const char *conninfo, arcs_err *err)
{
    PQconninfoOption *opts;
    char *why = NULL;
    int has_password = 0;

    /* libpq's own parser (key=value and postgresql:// URIs alike). Its
       message on a parse error may quote the string, password and all, so
       it is never shown. */
    opts = PQconninfoParse(conninfo, &why);
    if (why)
        PQfreemem(why);
    if (!opts)
        return arcs_err_set(err, ARCS_EINVAL,
                            "the connection string is not valid key=value pairs or a "
                            "postgresql:// URI; check --db or ARCS_DB");
    for (PQconninfoOption *o = opts; o->keyword; o++)
        if (!strcmp(o->keyword, "password") && o->val && *o->val)
            has_password = 1;
    PQconninfoFree(opts);
    if (has_password)
        return arcs_err_set(err, ARCS_EINVAL,
                            "the connection string holds a password, which anyone can "
                            "read in the process list; remove it and put it in ~/.pgpass "
                            "or a file named by PGPASSFILE");
    return ARCS_OK;
}

/* A new handle in *out (the caller's to free, even on failure, so the
   message can be read) for conninfo, else ARCS_DB, else libpq's
   environment: *conninfo is set to the one chosen, refused when it holds a
   password. */
static arcs_status ctx_new(arcs_ctx **out, const char **conninfo)
{
    arcs_ctx *ctx;

    *out = NULL;
    ctx = calloc(1, sizeof(*ctx));
    if (!ctx)
        return ARCS_ERROR;
    if (!*conninfo || !**conninfo)
        *conninfo = getenv("ARCS_DB");
    ctx->autoseal = 1;
    *out = ctx;
    if (*conninfo && **conninfo && arcs_conninfo_check(*conninfo, &ctx->err) != ARCS_OK)
        return ctx->err.code;
    return ARCS_OK;
}

arcs_status arcs_ctx_open(arcs_ctx **out, const char *conninfo)
{
    arcs_ctx *ctx;
    arcs_status st;

    if ((st = ctx_new(out, &conninfo)) != ARCS_OK)
        return st;
    ctx = *out;
    ctx->conninfo = arcs__strdup(conninfo ? conninfo : "");
    if (!ctx->conninfo)
        return arcs__fail(ctx, ARCS_ERROR, "out of memory");
    return connect_pinned(ctx);
}

static int role_name_ok(const char *s)
{
    size_t n = s ? strlen(s) : 0;

    if (n == 0 || n > 63 || strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") != n)
        return 0;
    return !(s[0] >= '0' && s[0] <= '9');
}

arcs_status arcs_ctx_open_login(arcs_ctx **out, const char *conninfo, const char *user,
                                const char *password)
{
    const char *keys[] = {"dbname", "user", "password", "passfile", NULL};
    const char *vals[] = {NULL, user, password, "/dev/null", NULL};
    arcs_ctx *ctx;
    arcs_status st;

    if ((st = ctx_new(out, &conninfo)) != ARCS_OK)
        return st;
    ctx = *out;
    if (!role_name_ok(user))
        return arcs__fail(ctx, ARCS_EINVAL,
                          "the user name is malformed; use lowercase letters, digits "
                          "and _ (at most 63)");
    if (!password || !*password)
        return arcs__fail(ctx, ARCS_EINVAL, "missing password; give the password");
    ctx->conninfo = arcs__strdup(conninfo ? conninfo : "");
    ctx->login = arcs__strdup(user);
    if (!ctx->conninfo || !ctx->login)
        return arcs__fail(ctx, ARCS_ERROR, "out of memory");
    vals[0] = ctx->conninfo;
    /* dbname first and expanded: the user and password after it win */
    ctx->conn = PQconnectdbParams(keys, vals, 1);
    if (!ctx->conn)
        return arcs__fail(ctx, ARCS_ERROR, "out of memory connecting to the database");
    if (PQstatus(ctx->conn) != CONNECTION_OK || !PQconnectionUsedPassword(ctx->conn)) {
        /* libpq's message may tell a missing role from a wrong password:
           neither is said */
        int reachable = PQstatus(ctx->conn) == CONNECTION_OK ||
                        strstr(PQerrorMessage(ctx->conn), "authentication") ||
                        strstr(PQerrorMessage(ctx->conn), "does not exist") ||
                        strstr(PQerrorMessage(ctx->conn), "password");
        PQfinish(ctx->conn);
        ctx->conn = NULL;
        if (!reachable)
            return arcs__fail(ctx, ARCS_ERROR,
                              "cannot reach the database; check the server's --db, "
                              "ARCS_DB or PGHOST");
        return arcs__fail(ctx, ARCS_EPERM,
                          "the user name or password is wrong; try again");
    }
    return pin(ctx);
}

const char *arcs_ctx_user(const arcs_ctx *ctx)
{
    const char *u = ctx && ctx->conn ? PQuser(ctx->conn) : NULL;
    return u ? u : "";
}

void arcs_ctx_free(arcs_ctx *ctx)
{
    if (!ctx)
        return;
    stmts_clear(ctx);
    if (ctx->conn)
        PQfinish(ctx->conn);
    if (ctx->conninfo) {
        /* the connection string may hold a password: do not leave it in freed memory */
        memset(ctx->conninfo, 0, strlen(ctx->conninfo));
        free(ctx->conninfo);
    }
    free(ctx->actor);
    free(ctx->login);
    for (size_t i = 0; i < ctx->nreport_vkeys; i++)
        free(ctx->report_vkeys[i]);
    free(ctx->report_vkeys);
    free(ctx);
}

arcs_status arcs__fail(arcs_ctx *ctx, arcs_status code, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    arcs__err_vset(&ctx->err, code, fmt, ap);
    va_end(ap);
    return code;
}

void arcs__clear(arcs_ctx *ctx)
{
    arcs_err_clear(&ctx->err);
}

const char *arcs_errmsg(const arcs_ctx *ctx)
{
    return ctx ? ctx->err.msg : "out of memory";
}

arcs_status arcs_errcode(const arcs_ctx *ctx)
{
    return ctx ? ctx->err.code : ARCS_ERROR;
}

arcs_status arcs_ctx_set_actor(arcs_ctx *ctx, const char *actor)
{
    char *copy = NULL;

    arcs__clear(ctx);
    if (actor && *actor) {
        /* recorded with every change and shown in the log: the same text
           rules as any value */
        if (arcs__text_valid("actor", actor, strlen(actor), 200, &ctx->err) != ARCS_OK)
            return ctx->err.code;
        copy = arcs__strdup(actor);
        if (!copy)
            return arcs__fail(ctx, ARCS_ERROR, "out of memory");
    }
    free(ctx->actor);
    ctx->actor = copy;
    return ARCS_OK;
}

void arcs_ctx_set_autoseal(arcs_ctx *ctx, int on)
{
    ctx->autoseal = on;
}

static arcs_status status_from_sqlstate(const char *state)
{
    if (!state)
        return ARCS_ERROR;
    if (!strcmp(state, "40001") || !strcmp(state, "40P01"))
        return ARCS_ERETRY;
    if (!strcmp(state, "23505"))
        return ARCS_ECONFLICT;
    if (!strcmp(state, "23514") || !strcmp(state, "P0001") || !strcmp(state, "23P01"))
        return ARCS_EREFUSED;
    if (!strcmp(state, "23503") || !strcmp(state, "P0002"))
        return ARCS_ENOTFOUND;
    if (!strcmp(state, "42501"))
        return ARCS_EPERM;
    if (!strcmp(state, "23502") || !strncmp(state, "22", 2))
        return ARCS_EINVAL;
    return ARCS_ERROR;
}

arcs_status arcs__db_fail_result(arcs_ctx *ctx, const PGresult *res)
{
    const char *state, *primary, *hint;
    arcs_status st;

    if (!res)
        return arcs__fail(ctx, ARCS_ERROR, "database: %s", PQerrorMessage(ctx->conn));
    state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
    hint = PQresultErrorField(res, PG_DIAG_MESSAGE_HINT);
    st = status_from_sqlstate(state);
    if (!primary)
        primary = PQerrorMessage(ctx->conn);
    if (st == ARCS_EPERM)
        return arcs__fail(ctx, st, "%s; ask an administrator for the right arcs role",
                          primary);
    if (hint)
        return arcs__fail(ctx, st, "%s; %s", primary, hint);
    return arcs__fail(ctx, st, "%s", primary);
}

/* FNV-1a: statement texts are short and few. */
static uint32_t sql_hash(const char *sql)
{
    uint32_t h = 2166136261u;

    for (; *sql; sql++)
        h = (h ^ (unsigned char)*sql) * 16777619u;
    return h;
}

/* Only plain queries are worth preparing; utility statements (BEGIN, DDL) run
   once or have nothing to plan. */
static int preparable(const char *sql)
{
    while (*sql == ' ' || *sql == '\n' || *sql == '\t')
        sql++;
    return !strncmp(sql, "SELECT", 6) || !strncmp(sql, "INSERT", 6) ||
           !strncmp(sql, "UPDATE", 6) || !strncmp(sql, "DELETE", 6) ||
           !strncmp(sql, "WITH", 4);
}

/*
 * The name of sql prepared on this connection, preparing it on first use:
 * planning a statement once per session instead of at every call. NULL when
 * it is not worth it or the cache is full; then the caller runs it unnamed.
 * A failed prepare is returned in *fail (the same error the execution would
 * have given).
 */
static const char *stmt_name(arcs_ctx *ctx, const char *sql, int nparams, PGresult **fail)
{
    uint32_t h;
    arcs__stmt *s;
    size_t len;
    PGresult *res;

    *fail = NULL;
    if (!preparable(sql))
        return NULL;
    h = sql_hash(sql);
    for (s = ctx->stmts[h % ARCS__STMT_BUCKETS]; s; s = s->next)
        if (s->hash == h && !strcmp(s->sql, sql))
            return s->name;
    if (ctx->nstmts >= 1024)
        return NULL;
    len = strlen(sql);
    s = malloc(sizeof(*s) + len + 1);
    if (!s)
        return NULL;
    memcpy(s->sql, sql, len + 1);
    s->hash = h;
    snprintf(s->name, sizeof(s->name), "arcs_%u", ctx->nstmts);
    res = PQprepare(ctx->conn, s->name, sql, nparams, NULL);
    if (!res || PQresultStatus(res) != PGRES_COMMAND_OK) {
        free(s);
        *fail = res;
        return NULL;
    }
    PQclear(res);
    s->next = ctx->stmts[h % ARCS__STMT_BUCKETS];
    ctx->stmts[h % ARCS__STMT_BUCKETS] = s;
    ctx->nstmts++;
    return s->name;
}

arcs_status arcs__db_exec(arcs_ctx *ctx, PGresult **out, const char *sql, int nparams,
                          const char *const *params)
{
    return arcs__db_exec_bin(ctx, out, sql, nparams, params, NULL, NULL);
}

arcs_status arcs__db_exec_bin(arcs_ctx *ctx, PGresult **out, const char *sql, int nparams,
                              const char *const *params, const int *lengths,
                              const int *formats)
{
    PGresult *res = NULL;
    ExecStatusType rs;
    arcs_status st;
    const char *name;

    if (out)
        *out = NULL;
    name = stmt_name(ctx, sql, nparams, &res);
    if (name)
        res = PQexecPrepared(ctx->conn, name, nparams, params, lengths, formats, 0);
    else if (!res)
        res = PQexecParams(ctx->conn, sql, nparams, NULL, params, lengths, formats, 0);
    rs = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (rs == PGRES_COMMAND_OK || rs == PGRES_TUPLES_OK) {
        if (out)
            *out = res;
        else
            PQclear(res);
        return ARCS_OK;
    }
    st = arcs__db_fail_result(ctx, res);
    PQclear(res);
    return st;
}

arcs_status arcs__db_value(arcs_ctx *ctx, char **out, const char *what, const char *sql,
                           int nparams, const char *const *params)
{
    PGresult *res = NULL;
    arcs_status st;

    *out = NULL;
    st = arcs__db_exec(ctx, &res, sql, nparams, params);
    if (st != ARCS_OK)
        goto done;
    if (PQntuples(res) < 1) {
        st = what ? arcs__fail(ctx, ARCS_ENOTFOUND, "%s not found", what)
                  : arcs__fail(ctx, ARCS_ENOTFOUND, "no row");
        goto done;
    }
    if (!PQgetisnull(res, 0, 0)) {
        *out = arcs__strdup(PQgetvalue(res, 0, 0));
        if (!*out)
            st = arcs__fail(ctx, ARCS_ERROR, "out of memory");
    }
done:
    PQclear(res);
    return st;
}

static void backoff(int attempt)
{
    struct timespec ts = {0, 0};
    long ms = (1L << (attempt < 6 ? attempt : 6)) + (rand() % 7);

    ts.tv_nsec = ms * 1000000L;
    nanosleep(&ts, NULL);
}

static int connection_lost(arcs_ctx *ctx)
{
    return PQstatus(ctx->conn) != CONNECTION_OK;
}

static arcs_status tx_once(arcs_ctx *ctx, int flags, arcs__tx_fn fn, void *arg)
{
    const char *begin = (flags & ARCS__TX_SERIALIZABLE)
                            ? "BEGIN ISOLATION LEVEL SERIALIZABLE"
                            : ((flags & ARCS__TX_READONLY) ? "BEGIN READ ONLY" : "BEGIN");
    const char *actor_sql = "SELECT pg_catalog.set_config('arcs.actor', $1, true)";
    const char *params[1];
    arcs_status st;

    st = arcs__db_exec(ctx, NULL, begin, 0, NULL);
    if (st != ARCS_OK)
        return st;
    /* without an actor the setting stays unset (or '' after an earlier
       transaction's local set), which the database reads as session_user
       either way: save the round trip */
    params[0] = ctx->actor;
    if (ctx->actor && *ctx->actor)
        st = arcs__db_exec(ctx, NULL, actor_sql, 1, params);
    if (st == ARCS_OK)
        st = fn(ctx, arg);
    if (st == ARCS_OK) {
        st = arcs__db_exec(ctx, NULL, "COMMIT", 0, NULL);
        return st;
    }
    if (!connection_lost(ctx)) {
        arcs_err saved = ctx->err;
        PGresult *res = PQexec(ctx->conn, "ROLLBACK");
        PQclear(res);
        ctx->err = saved;
    }
    return st;
}

/* A restarting server takes seconds (crash recovery): try for about 20 s. */
static arcs_status reconnect_wait(arcs_ctx *ctx)
{
    struct timespec ts = {0, 200000000L};
    arcs_status st = ARCS_ERROR;

    for (int i = 0; i < 100; i++) {
        st = connect_pinned(ctx);
        if (st == ARCS_OK)
            break;
        nanosleep(&ts, NULL);
    }
    return st;
}

arcs_status arcs__db_tx(arcs_ctx *ctx, int flags, arcs__tx_fn fn, void *arg)
{
    arcs_status st;
    int attempt;

    ctx->in_tx = 1;
    for (attempt = 0;; attempt++) {
        arcs__clear(ctx);
        st = tx_once(ctx, flags, fn, arg);
        if (st == ARCS_OK)
            break;
        if (attempt >= 30)
            break;
        if (st == ARCS_ERETRY) {
            backoff(attempt);
            continue;
        }
        if (connection_lost(ctx) && (flags & ARCS__TX_RECONNECT)) {
            /* The COMMIT may or may not have happened: the body is keyed by a
               reference, so running it again either records it or finds it. */
            if (reconnect_wait(ctx) != ARCS_OK)
                break;
            continue;
        }
        break;
    }
    ctx->in_tx = 0;
    if (st == ARCS_OK && !(flags & (ARCS__TX_READONLY | ARCS__TX_NOSEAL)) &&
        ctx->autoseal) {
        st = arcs__audit_seal(ctx, NULL);
    }
    return st;
}

arcs_status arcs__db_rows(arcs_ctx *ctx, const char *sql, int nparams,
                          const char *const *params, arcs__row_fn fn, void *arg,
                          size_t size, void **items, size_t *n)
{
    PGresult *res = NULL;
    char *slots = NULL;
    arcs_status st;
    int rows;

    if (size) {
        *items = NULL;
        *n = 0;
    }
    st = arcs__db_exec(ctx, &res, sql, nparams, params);
    if (st != ARCS_OK)
        goto done;
    rows = PQntuples(res);
    if (size && rows) {
        slots = calloc((size_t)rows, size);
        if (!slots) {
            st = arcs__fail(ctx, ARCS_ERROR, "out of memory");
            goto done;
        }
        *items = slots;
    }
    for (int r = 0; r < rows && st == ARCS_OK; r++) {
        if (size)
            (*n)++;
        st = fn(ctx, res, r, slots ? slots + (size_t)r * size : NULL, arg);
    }
done:
    PQclear(res);
    return st;
}
