/* Migrations: create or upgrade the schema in place; report its state. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arcs/db.h"
#include "db_int.h"
#include "schema_int.h"

int arcs_db_latest_version(void)
{
    int v = 0;

    for (size_t i = 0; i < arcs__nmigrations; i++)
        if (arcs__migrations[i].version > v)
            v = arcs__migrations[i].version;
    return v;
}

/* Migration scripts are the binary's own text, never input: they run through
   the simple query protocol because they hold many statements. */
static arcs_status exec_script(arcs_ctx *ctx, const char *name, const char *sql)
{
    PGresult *res = PQexec(ctx->conn, sql);
    arcs_status st = ARCS_OK;

    if (!res || PQresultStatus(res) != PGRES_COMMAND_OK) {
        if (PQresultStatus(res) == PGRES_TUPLES_OK)
            goto done;
        st = arcs__db_fail_result(ctx, res);
        arcs__fail(ctx, st, "migration %s failed: %s", name, arcs_errmsg(ctx));
    }
done:
    PQclear(res);
    return st;
}

static arcs_status current_version(arcs_ctx *ctx, int *out)
{
    char *v = NULL;
    arcs_status st;

    *out = 0;
    st = arcs__db_value(
        ctx, &v, NULL,
        "SELECT CASE WHEN pg_catalog.to_regclass('arcs_meta.schema_migrations')"
        " IS NULL THEN NULL ELSE 'yes' END",
        0, NULL);
    if (st != ARCS_OK || !v)
        goto done;
    free(v);
    v = NULL;
    st = arcs__db_value(
        ctx, &v, NULL,
        "SELECT coalesce(max(version), 0)::text FROM arcs_meta.schema_migrations", 0,
        NULL);
    if (st == ARCS_OK && v)
        *out = (int)strtol(v, NULL, 10);
done:
    free(v);
    return st;
}

struct init_args {
    const char *base_currency;
    int target;
    int applied;
};

static arcs_status set_base_currency(arcs_ctx *ctx, const char *want)
{
    const char *params[1];
    char *have = NULL, *known = NULL;
    arcs_status st;

    st = arcs__db_value(ctx, &have, NULL,
                        "SELECT value FROM arcs.settings WHERE key = 'base_currency'", 0,
                        NULL);
    if (st == ARCS_ENOTFOUND)
        st = ARCS_OK;
    if (st != ARCS_OK)
        goto done;
    if (have && (!want || !strcmp(have, want)))
        goto done;
    if (have) {
        st = arcs__fail(ctx, ARCS_EREFUSED,
                        "the base currency is %s already and cannot change to %s", have,
                        want);
        goto done;
    }
    params[0] = want ? want : "KZT";
    st = arcs__db_value(ctx, &known, NULL,
                        "SELECT code FROM arcs.currencies WHERE code = $1", 1, params);
    if (st == ARCS_ENOTFOUND) {
        st = arcs__fail(ctx, ARCS_EINVAL,
                        "unknown currency '%s'; give an ISO 4217 code such as KZT",
                        params[0]);
        goto done;
    }
    if (st != ARCS_OK)
        goto done;
    st = arcs__db_exec(
        ctx, NULL, "INSERT INTO arcs.settings (key, value) VALUES ('base_currency', $1)",
        1, params);
done:
    free(have);
    free(known);
    return st;
}

/* Sensitive columns (identity numbers) readable only by auditor and admin:
   restated after every run, since a migration's "GRANT SELECT ON ALL
   TABLES" gives writers the whole table back. */
static arcs_status protect_sensitive(arcs_ctx *ctx)
{
    PGresult *res = NULL;
    arcs_status st;

    st = arcs__db_exec(ctx, &res,
                       "SELECT pg_catalog.to_regprocedure("
                       "'arcs_audit.protect_sensitive()') IS NOT NULL",
                       0, NULL);
    if (st == ARCS_OK && !strcmp(PQgetvalue(res, 0, 0), "t"))
        st = arcs__db_exec(ctx, NULL, "SELECT arcs_audit.protect_sensitive()", 0, NULL);
    PQclear(res);
    return st;
}

static arcs_status init_body(arcs_ctx *ctx, void *arg)
{
    struct init_args *a = arg;
    PGresult *res = NULL;
    char vbuf[16];
    const char *params[2];
    int have;
    arcs_status st;

    st = arcs__db_exec(ctx, NULL, "SELECT pg_catalog.pg_advisory_xact_lock(7243010001)",
                       0, NULL);
    if (st != ARCS_OK)
        goto done;
    st = arcs__db_exec(ctx, NULL, "CREATE SCHEMA IF NOT EXISTS arcs_meta; ", 0, NULL);
    if (st != ARCS_OK)
        goto done;
    st = arcs__db_exec(ctx, NULL,
                       "CREATE TABLE IF NOT EXISTS arcs_meta.schema_migrations ("
                       " version integer PRIMARY KEY, name text NOT NULL,"
                       " applied_at timestamptz NOT NULL DEFAULT pg_catalog.now())",
                       0, NULL);
    if (st != ARCS_OK)
        goto done;
    st = current_version(ctx, &have);
    if (st != ARCS_OK)
        goto done;
    for (size_t i = 0; i < arcs__nmigrations; i++) {
        const arcs__migration *m = &arcs__migrations[i];

        if (m->version <= have || (a->target > 0 && m->version > a->target))
            continue;
        st = exec_script(ctx, m->name, m->sql);
        if (st != ARCS_OK)
            goto done;
        snprintf(vbuf, sizeof(vbuf), "%d", m->version);
        params[0] = vbuf;
        params[1] = m->name;
        st = arcs__db_exec(ctx, NULL,
                           "INSERT INTO arcs_meta.schema_migrations (version, name)"
                           " VALUES ($1::integer, $2)",
                           2, params);
        if (st != ARCS_OK)
            goto done;
        a->applied++;
    }
    /* Capture every business table, including ones a migration just made. */
    st = arcs__db_exec(
        ctx, &res,
        "SELECT pg_catalog.to_regprocedure('arcs_audit.attach_all()') IS NOT NULL", 0,
        NULL);
    if (st != ARCS_OK)
        goto done;
    if (!strcmp(PQgetvalue(res, 0, 0), "t"))
        st = arcs__db_exec(ctx, NULL, "SELECT arcs_audit.attach_all()", 0, NULL);
    if (st != ARCS_OK)
        goto done;
    st = protect_sensitive(ctx);
    if (st != ARCS_OK)
        goto done;
    st = set_base_currency(ctx, a->base_currency);
done:
    PQclear(res);
    return st;
}

arcs_status arcs_db_init(arcs_ctx *ctx, const char *base_currency, int target_version,
                         int *applied)
{
    struct init_args a = {base_currency, target_version, 0};
    arcs_status st;

    arcs__clear(ctx);
    if (applied)
        *applied = 0;
    if (target_version < 0 || target_version > arcs_db_latest_version())
        return arcs__fail(ctx, ARCS_EINVAL,
                          "no schema version %d; this binary knows 1 to %d",
                          target_version, arcs_db_latest_version());
    st = arcs__db_tx(ctx, 0, init_body, &a);
    if (st == ARCS_OK && applied)
        *applied = a.applied;
    return st;
}

/* What db status counts; statements are constants, never input. */
static const struct {
    const char *name;
    const char *table;
    const char *sql;
} counted[] = {
    {"cases", "arcs.cases", "SELECT count(*) FROM arcs.cases"},
    {"subjects", "arcs.subjects", "SELECT count(*) FROM arcs.subjects"},
    {"decisions", "arcs.decisions", "SELECT count(*) FROM arcs.decisions"},
    {"assets", "arcs.assets", "SELECT count(*) FROM arcs.assets"},
    {"valuations", "arcs.valuations", "SELECT count(*) FROM arcs.valuations"},
    {"transitions", "arcs.asset_transitions",
     "SELECT count(*) FROM arcs.asset_transitions"},
    {"fx_rates", "arcs.fx_rates", "SELECT count(*) FROM arcs.fx_rates"},
    {"projects", "arcs.projects", "SELECT count(*) FROM arcs.projects"},
    {"transfers", "arcs.ledger_transfers", "SELECT count(*) FROM arcs.ledger_transfers"},
    {"log_entries", "arcs_audit.entries", "SELECT count(*) FROM arcs_audit.entries"},
    {"checkpoints", "arcs_audit.checkpoints",
     "SELECT count(*) FROM arcs_audit.checkpoints"},
};

static arcs_status count_if_exists(arcs_ctx *ctx, const char *table, const char *sql,
                                   int64_t *n)
{
    const char *params[1] = {table};
    char *v = NULL;
    arcs_status st;

    *n = -1;
    st = arcs__db_value(ctx, &v, NULL, "SELECT pg_catalog.to_regclass($1)::text", 1,
                        params);
    if (st != ARCS_OK || !v)
        goto done;
    free(v);
    v = NULL;
    st = arcs__db_value(ctx, &v, NULL, sql, 0, NULL);
    if (st == ARCS_OK && v)
        *n = strtoll(v, NULL, 10);
done:
    free(v);
    return st;
}

static arcs_status status_body(arcs_ctx *ctx, void *arg)
{
    arcs_db_status *out = arg;
    char *v = NULL;
    arcs_status st;

    st = current_version(ctx, &out->schema_version);
    if (st != ARCS_OK || out->schema_version == 0)
        goto done;
    st = arcs__db_value(ctx, &v, NULL,
                        "SELECT value FROM arcs.settings WHERE key = 'base_currency'", 0,
                        NULL);
    if (st == ARCS_OK && v)
        snprintf(out->base_currency, sizeof(out->base_currency), "%s", v);
    if (st == ARCS_ENOTFOUND)
        st = ARCS_OK;
    if (st != ARCS_OK)
        goto done;
    for (size_t i = 0; i < sizeof(counted) / sizeof(counted[0]); i++) {
        int64_t n;

        st = count_if_exists(ctx, counted[i].table, counted[i].sql, &n);
        if (st != ARCS_OK)
            goto done;
        if (n < 0 || out->ncounts >= ARCS_DB_MAX_COUNTS)
            continue;
        out->counts[out->ncounts].name = counted[i].name;
        out->counts[out->ncounts].n = n;
        out->ncounts++;
    }
    st = count_if_exists(ctx, "arcs_audit.pending",
                         "SELECT count(*) FROM arcs_audit.pending", &out->unsealed);
    if (st != ARCS_OK)
        goto done;
    st = count_if_exists(ctx, "arcs_audit.entries",
                         "SELECT count(*) FROM arcs_audit.entries", &out->log_size);
done:
    free(v);
    return st;
}

arcs_status arcs_db_status_get(arcs_ctx *ctx, arcs_db_status *out)
{
    arcs__clear(ctx);
    memset(out, 0, sizeof(*out));
    out->latest_version = arcs_db_latest_version();
    out->unsealed = -1;
    out->log_size = -1;
    return arcs__db_tx(ctx, ARCS__TX_READONLY, status_body, out);
}
