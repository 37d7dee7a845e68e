/* Reinvestment projects: the accounts the fund's money is allocated to. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case_int.h"
#include "ledger_int.h"

static const char *const sectors[] = {
    "education",         "health", "sport", "water", "housing", "infrastructure",
    "social_protection", "other",  NULL};

struct add_args {
    const arcs_project_in *p;
    int64_t id;
};

static int same(const char *a, const char *b)
{
    return !strcmp(a ? a : "", b ? b : "");
}

static arcs_status add_body(arcs_ctx *ctx, void *arg)
{
    struct add_args *a = arg;
    const arcs_project_in *p = a->p;
    char budget[24];
    const char *params[8];
    PGresult *res = NULL;
    int64_t minor;
    int exp;
    arcs_err err;
    arcs_status st;

    st = arcs__ledger_exponent(ctx, p->budget_currency, &exp);
    if (st != ARCS_OK)
        goto done;
    if (arcs_money_parse(&minor, p->budget, exp, 1, &err) != ARCS_OK) {
        st = arcs__fail(ctx, ARCS_EINVAL, "budget: %s", err.msg);
        goto done;
    }
    snprintf(budget, sizeof(budget), "%" PRId64, minor);
    params[0] = p->code;
    st = arcs__db_exec(
        ctx, &res,
        "SELECT id::text, name, sector, region, budget::text, budget_currency,"
        " coalesce(implementer, ''), coalesce(capacity, '')"
        " FROM arcs.projects WHERE code = $1",
        1, params);
    if (st != ARCS_OK)
        goto done;
    if (PQntuples(res) > 0) {
        if (same(PQgetvalue(res, 0, 1), p->name) &&
            same(PQgetvalue(res, 0, 2), p->sector) &&
            same(PQgetvalue(res, 0, 3), p->region) &&
            same(PQgetvalue(res, 0, 4), budget) &&
            same(PQgetvalue(res, 0, 5), p->budget_currency) &&
            same(PQgetvalue(res, 0, 6), p->implementer) &&
            same(PQgetvalue(res, 0, 7), p->capacity)) {
            a->id = arcs__ledger_i64(PQgetvalue(res, 0, 0));
            goto done;
        }
        st = arcs__fail(
            ctx, ARCS_ECONFLICT,
            "project '%s' exists already with other details; use another code", p->code);
        goto done;
    }
    PQclear(res);
    res = NULL;
    params[1] = p->name;
    params[2] = p->sector;
    params[3] = p->region;
    params[4] = budget;
    params[5] = p->budget_currency;
    params[6] = p->implementer && *p->implementer ? p->implementer : NULL;
    params[7] = p->capacity && *p->capacity ? p->capacity : NULL;
    st = arcs__db_exec(ctx, &res,
                       "INSERT INTO arcs.projects (code, name, sector, region, budget,"
                       " budget_currency, implementer, capacity) VALUES ($1, $2, $3, $4,"
                       " $5::bigint, $6, $7, $8) RETURNING id::text",
                       8, params);
    if (st == ARCS_ECONFLICT)
        st = ARCS_ERETRY; /* a concurrent add of the same code: compare on retry */
    if (st != ARCS_OK)
        goto done;
    a->id = arcs__ledger_i64(PQgetvalue(res, 0, 0));
    /* its two accounts, made by the database's function (no writer inserts
       into the ledger tables) */
    st = arcs__db_exec(ctx, NULL, "SELECT arcs.project_accounts($1)", 1, params);
done:
    PQclear(res);
    return st;
}

static int code_ok(const char *s)
{
    size_t n = s ? strlen(s) : 0;

    if (n < 1 || n > 64)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        int alnum =
            (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '/' && c != '-')))
            return 0;
    }
    return 1;
}

arcs_status arcs_project_add(arcs_ctx *ctx, int64_t *id, const arcs_project_in *p)
{
    struct add_args a = {p, 0};
    int known = 0;
    arcs_err err;
    arcs_status st;

    arcs__clear(ctx);
    *id = 0;
    if (!code_ok(p->code))
        return arcs__fail(
            ctx, ARCS_EINVAL,
            "project code '%s' must be 1-64 letters, digits, . _ / -, starting"
            " with a letter or digit",
            p->code ? p->code : "");
    if (!p->name || !*p->name || strlen(p->name) > 500)
        return arcs__fail(ctx, ARCS_EINVAL, "a project name of 1 to 500 bytes is needed");
    /* the shared text check (control characters, UTF-8); the byte limits
       above keep each value whole in arcs_project's fields */
    if ((st = arcs__check_text(ctx, "project name", p->name, 500)) != ARCS_OK ||
        (st = arcs__check_text(ctx, "region", p->region ? p->region : "x", 200)) !=
            ARCS_OK ||
        (p->implementer &&
         (st = arcs__check_text(ctx, "implementer", p->implementer, 500)) != ARCS_OK) ||
        (p->capacity &&
         (st = arcs__check_text(ctx, "capacity", p->capacity, 500)) != ARCS_OK))
        return st;
    for (const char *const *s = sectors; *s; s++)
        known |= p->sector && !strcmp(*s, p->sector);
    if (!known)
        return arcs__fail(ctx, ARCS_EINVAL,
                          "unknown sector '%s'; use education, health, sport, water, "
                          "social_protection, housing, infrastructure or other",
                          p->sector ? p->sector : "");
    if (!p->region || !*p->region || strlen(p->region) > 200)
        return arcs__fail(ctx, ARCS_EINVAL, "a region of 1 to 200 bytes is needed");
    if (!p->budget || !p->budget_currency)
        return arcs__fail(ctx, ARCS_EINVAL, "a budget is needed: --budget AMOUNT CCY");
    if (arcs_currency_code_check(p->budget_currency, &err) != ARCS_OK)
        return arcs__fail(ctx, ARCS_EINVAL, "%s", err.msg);
    if ((p->implementer && strlen(p->implementer) > 500) ||
        (p->capacity && strlen(p->capacity) > 500))
        return arcs__fail(ctx, ARCS_EINVAL,
                          "implementer and capacity are at most 500 bytes");
    st = arcs__db_tx(ctx, ARCS__TX_RECONNECT, add_body, &a);
    if (st == ARCS_OK)
        *id = a.id;
    return st;
}

static const char *const list_sql =
    "SELECT p.id, p.code, p.name, p.sector, p.region, p.budget, p.budget_currency,"
    " c.exponent, coalesce(p.implementer, ''), coalesce(p.capacity, ''), p.status,"
    " coalesce((SELECT sum(CASE WHEN t.kind = 'reverse' THEN -t.amount ELSE t.amount END)"
    "   FROM arcs.ledger_transfers t WHERE t.project_id = p.id"
    "   AND (t.kind = 'allocate' OR (t.kind = 'reverse' AND t.sub_kind = 'allocate'))),"
    " 0),"
    " coalesce((SELECT sum(CASE WHEN t.kind = 'reverse' THEN -t.amount ELSE t.amount END)"
    "   FROM arcs.ledger_transfers t WHERE t.project_id = p.id"
    "   AND (t.kind = 'disburse' OR (t.kind = 'reverse' AND t.sub_kind = 'disburse'))), "
    "0)"
    " FROM arcs.projects p JOIN arcs.currencies c ON c.code = p.budget_currency";

static void fill_project(arcs_project *p, const PGresult *res, int i, const char *base,
                         int exp)
{
#define COL(k) PQgetvalue(res, i, k)
    p->id = arcs__ledger_i64(COL(0));
    snprintf(p->code, sizeof(p->code), "%s", COL(1));
    snprintf(p->name, sizeof(p->name), "%s", COL(2));
    snprintf(p->sector, sizeof(p->sector), "%s", COL(3));
    snprintf(p->region, sizeof(p->region), "%s", COL(4));
    p->budget = arcs__ledger_i64(COL(5));
    snprintf(p->budget_currency, sizeof(p->budget_currency), "%s", COL(6));
    p->budget_exponent = (int)arcs__ledger_i64(COL(7));
    snprintf(p->implementer, sizeof(p->implementer), "%s", COL(8));
    snprintf(p->capacity, sizeof(p->capacity), "%s", COL(9));
    snprintf(p->status, sizeof(p->status), "%s", COL(10));
    p->allocated = arcs__ledger_i64(COL(11));
    p->disbursed = arcs__ledger_i64(COL(12));
    snprintf(p->currency, sizeof(p->currency), "%s", base);
    p->exponent = exp;
#undef COL
}

struct list_args {
    arcs_project_list *l;
    const char *code; /* get: one project */
    arcs_project *one;
    char base[4]; /* the base currency and its exponent */
    int exp;
};

static arcs_status project_row(arcs_ctx *ctx, const PGresult *res, int row, void *item,
                               void *arg)
{
    const struct list_args *a = arg;

    (void)ctx;
    fill_project(item, res, row, a->base, a->exp);
    return ARCS_OK;
}

static arcs_status list_body(arcs_ctx *ctx, void *arg)
{
    struct list_args *a = arg;
    const char *params[1] = {a->code};
    char sql[2048], pid[24];
    PGresult *res = NULL;
    void *items = NULL;
    arcs_status st;

    st = arcs__ledger_base(ctx, a->base, &a->exp);
    if (st != ARCS_OK)
        goto done;
    snprintf(sql, sizeof(sql), "%s%s ORDER BY p.code", list_sql,
             a->code ? " WHERE p.code = $1" : "");
    if (!a->code) {
        st = arcs__db_rows(ctx, sql, 0, NULL, project_row, a, sizeof(*a->l->items),
                           &items, &a->l->n);
        a->l->items = items;
        goto done;
    }
    st = arcs__db_exec(ctx, &res, sql, 1, params);
    if (st != ARCS_OK)
        goto done;
    if (PQntuples(res) < 1) {
        st = arcs__fail(ctx, ARCS_ENOTFOUND,
                        "project '%s' not found; arcs project list shows the codes",
                        a->code);
        goto done;
    }
    fill_project(a->one, res, 0, a->base, a->exp);
    snprintf(pid, sizeof(pid), "%" PRId64, a->one->id);
    st = arcs__ledger_fetch(ctx, &a->one->transfers, &a->one->ntransfers,
                            "t.project_id = $1::bigint", pid);
    if (st == ARCS_OK)
        st = arcs__ledger_sources(ctx, &a->one->sources, &a->one->nsources, a->code);
done:
    PQclear(res);
    return st;
}

arcs_status arcs_project_get(arcs_ctx *ctx, arcs_project **out, const char *code)
{
    struct list_args a = {NULL, code ? code : "", NULL, "", 0};
    arcs_status st;

    arcs__clear(ctx);
    *out = NULL;
    a.one = calloc(1, sizeof(*a.one));
    if (!a.one)
        return arcs__fail(ctx, ARCS_ERROR, "out of memory");
    st = arcs__db_tx(ctx, ARCS__TX_READONLY, list_body, &a);
    if (st != ARCS_OK) {
        arcs_project_free(a.one);
        return st;
    }
    *out = a.one;
    return st;
}

void arcs_project_free(arcs_project *p)
{
    if (!p)
        return;
    free(p->transfers);
    free(p->sources);
    free(p);
}

arcs_status arcs_project_list_get(arcs_ctx *ctx, arcs_project_list **out)
{
    struct list_args a = {NULL, NULL, NULL, "", 0};
    arcs_status st;

    arcs__clear(ctx);
    *out = NULL;
    a.l = calloc(1, sizeof(*a.l));
    if (!a.l)
        return arcs__fail(ctx, ARCS_ERROR, "out of memory");
    st = arcs__db_tx(ctx, ARCS__TX_READONLY, list_body, &a);
    if (st != ARCS_OK) {
        arcs_project_list_free(a.l);
        return st;
    }
    *out = a.l;
    return st;
}

void arcs_project_list_free(arcs_project_list *l)
{
    if (!l)
        return;
    free(l->items);
    free(l);
}
