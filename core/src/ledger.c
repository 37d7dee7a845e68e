/*
 * The double-entry ledger: receipts, deductions, escrow, allocations,
 * disbursements and reversals, each one transfer between two accounts. Every
 * movement is recorded by one of the database's checked functions
 * (sql/0009_checked_ledger.sql): they derive the accounts, check the kind,
 * the decision and the caller's role, convert at the dated rate, attribute
 * allocations, make a retry under the same reference idempotent, and the
 * triggers of sql/0004_ledger.sql refuse overdrafts. This file validates the
 * input, calls them and reads back what they recorded.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger_int.h"

static const char *const receive_kinds[] = {"sale_proceeds",     "confiscated_cash",
                                            "voluntary_payment", "foreign_return",
                                            "management_income", NULL};
static const char *const deduct_kinds[] = {"creditor", "victim", "cost", "foreign_share",
                                           NULL};

static int in_list(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (!strcmp(s, *list))
            return 1;
    return 0;
}

static void i64_text(char buf[24], int64_t v)
{
    snprintf(buf, 24, "%" PRId64, v);
}

/* Columns of a transfer t, in the order fill_transfer reads them, and the
   joins they need. */
#define XFER_COLS                                                                        \
    "SELECT t.id, t.ext_ref, t.kind, coalesce(t.sub_kind, ''), da.code, ca.code,"        \
    " t.amount, t.orig_amount, t.orig_currency, oc.exponent, t.fx_rate::text,"           \
    " coalesce(t.fx_rate_date::text, ''), t.value_date::text, coalesce(t.reverses, 0),"  \
    " coalesce(r.ext_ref, ''), coalesce(c.ref, ''), coalesce(t.asset_id, 0),"            \
    " coalesce(p.code, ''), coalesce(d.ref, '')"
#define XFER_JOINS                                                                       \
    " JOIN arcs.ledger_accounts da ON da.id = t.debit_account"                           \
    " JOIN arcs.ledger_accounts ca ON ca.id = t.credit_account"                          \
    " JOIN arcs.currencies oc ON oc.code = t.orig_currency"                              \
    " LEFT JOIN arcs.ledger_transfers r ON r.id = t.reverses"                            \
    " LEFT JOIN arcs.cases c ON c.id = t.case_id"                                        \
    " LEFT JOIN arcs.projects p ON p.id = t.project_id"                                  \
    " LEFT JOIN arcs.decisions d ON d.id = t.decision_id"

static const char *const select_sql =
    XFER_COLS " FROM arcs.ledger_transfers t" XFER_JOINS " WHERE ";

static void fill_transfer(arcs_transfer *o, const PGresult *res, int row,
                          const char *base, int exp)
{
#define COL(i) PQgetvalue(res, row, i)
    memset(o, 0, sizeof(*o));
    o->id = arcs__ledger_i64(COL(0));
    snprintf(o->ext_ref, sizeof(o->ext_ref), "%s", COL(1));
    snprintf(o->kind, sizeof(o->kind), "%s", COL(2));
    snprintf(o->sub_kind, sizeof(o->sub_kind), "%s", COL(3));
    snprintf(o->debit_account, sizeof(o->debit_account), "%s", COL(4));
    snprintf(o->credit_account, sizeof(o->credit_account), "%s", COL(5));
    o->amount = arcs__ledger_i64(COL(6));
    snprintf(o->currency, sizeof(o->currency), "%s", base);
    o->exponent = exp;
    o->orig_amount = arcs__ledger_i64(COL(7));
    snprintf(o->orig_currency, sizeof(o->orig_currency), "%s", COL(8));
    o->orig_exponent = (int)arcs__ledger_i64(COL(9));
    snprintf(o->fx_rate, sizeof(o->fx_rate), "%s", COL(10));
    snprintf(o->fx_rate_date, sizeof(o->fx_rate_date), "%s", COL(11));
    snprintf(o->value_date, sizeof(o->value_date), "%s", COL(12));
    o->reverses = arcs__ledger_i64(COL(13));
    snprintf(o->reverses_ref, sizeof(o->reverses_ref), "%s", COL(14));
    snprintf(o->case_ref, sizeof(o->case_ref), "%s", COL(15));
    o->asset_id = arcs__ledger_i64(COL(16));
    snprintf(o->project_code, sizeof(o->project_code), "%s", COL(17));
    snprintf(o->decision_ref, sizeof(o->decision_ref), "%s", COL(18));
#undef COL
}

arcs_status arcs__ledger_fetch(arcs_ctx *ctx, arcs_transfer **out, size_t *n,
                               const char *where, const char *param)
{
    const char *params[1] = {param};
    char sql[2048], base[4];
    PGresult *res = NULL;
    int exp, rows;
    arcs_status st;

    *out = NULL;
    *n = 0;
    st = arcs__ledger_base(ctx, base, &exp);
    if (st != ARCS_OK)
        goto done;
    snprintf(sql, sizeof(sql), "%s%s ORDER BY t.id", select_sql, where);
    st = arcs__db_exec(ctx, &res, sql, 1, params);
    if (st != ARCS_OK)
        goto done;
    rows = PQntuples(res);
    if (rows == 0)
        goto done;
    *out = calloc((size_t)rows, sizeof(**out));
    if (!*out) {
        st = arcs__fail(ctx, ARCS_ERROR, "out of memory");
        goto done;
    }
    for (int i = 0; i < rows; i++)
        fill_transfer(&(*out)[i], res, i, base, exp);
    *n = (size_t)rows;
done:
    PQclear(res);
    return st;
}

static arcs_status fetch_one(arcs_ctx *ctx, arcs_transfer *out, const char *ext_ref)
{
    arcs_transfer *list = NULL;
    size_t n = 0;
    arcs_status st;

    st = arcs__ledger_fetch(ctx, &list, &n, "t.ext_ref = $1", ext_ref);
    if (st == ARCS_OK && n == 0)
        st = arcs__fail(ctx, ARCS_ENOTFOUND,
                        "no transfer with reference '%s'; check the reference", ext_ref);
    if (st == ARCS_OK && out)
        *out = list[0];
    free(list);
    return st;
}

struct get_args {
    arcs_transfer *out;
    const char *ext_ref;
};

static arcs_status get_body(arcs_ctx *ctx, void *arg)
{
    struct get_args *a = arg;
    return fetch_one(ctx, a->out, a->ext_ref);
}

arcs_status arcs_ledger_transfer_get(arcs_ctx *ctx, arcs_transfer *out,
                                     const char *ext_ref)
{
    struct get_args a = {out, ext_ref};

    arcs__clear(ctx);
    return arcs__db_tx(ctx, ARCS__TX_READONLY, get_body, &a);
}

/* Checks every write does before touching the database. */
static arcs_status check_common(arcs_ctx *ctx, const char *ext_ref, const char *date)
{
    arcs_err err;
    int32_t days;

    if (!ext_ref || !*ext_ref || strlen(ext_ref) > 200)
        return arcs__fail(ctx, ARCS_EINVAL,
                          "a reference of 1 to 200 bytes is needed; give --ref EXTREF");
    if (!date || arcs_date_parse(&days, date, &err) != ARCS_OK)
        return arcs__fail(ctx, ARCS_EINVAL, "%s", date ? err.msg : "a date is needed");
    return ARCS_OK;
}

/* Run the movement function call (a constant: "arcs.fund_receive($1, ...)")
   and read the transfer it recorded, or found recorded before under the
   same reference for the same request, back into out. Two statements: a
   statement does not see the rows its own function call inserts. */
static arcs_status move(arcs_ctx *ctx, arcs_transfer *out, const char *call, int n,
                        const char *const *params)
{
    char sql[512];
    PGresult *res = NULL;
    arcs_transfer *list = NULL;
    size_t rows = 0;
    int existed;
    arcs_status st;

    snprintf(sql, sizeof(sql), "SELECT transfer_id::text, existed::text FROM %s", call);
    st = arcs__db_exec(ctx, &res, sql, n, params);
    if (st != ARCS_OK)
        goto done;
    existed = !strcmp(PQgetvalue(res, 0, 1), "true");
    st =
        arcs__ledger_fetch(ctx, &list, &rows, "t.id = $1::bigint", PQgetvalue(res, 0, 0));
    if (st == ARCS_OK && rows < 1)
        st = arcs__fail(ctx, ARCS_ERROR, "the ledger recorded no transfer; run it again");
    if (st == ARCS_OK) {
        *out = list[0];
        out->existed = existed;
    }
done:
    free(list);
    PQclear(res);
    return st;
}

/* amount in currency as minor units of it, in text. */
static arcs_status minor_units(arcs_ctx *ctx, char out[24], const char *amount,
                               const char *currency)
{
    char base[4];
    int bexp, exp;
    int64_t v;
    arcs_err err;
    arcs_status st;

    st = arcs__ledger_base(ctx, base, &bexp);
    if (st != ARCS_OK)
        return st;
    if (!strcmp(base, currency))
        exp = bexp;
    else
        st = arcs__ledger_exponent(ctx, currency, &exp);
    if (st != ARCS_OK)
        return st;
    if (arcs_money_parse(&v, amount, exp, 1, &err) != ARCS_OK)
        return arcs__fail(ctx, ARCS_EINVAL, "%s", err.msg);
    i64_text(out, v);
    return ARCS_OK;
}

/* ---- receive ---- */

struct money_args {
    arcs_transfer *out;
    int64_t asset_id;
    const char *amount, *currency, *date, *ext_ref, *kind;
    int escrow;
    const char *to; /* release-escrow */
};

static arcs_status receive_body(arcs_ctx *ctx, void *arg)
{
    struct money_args *a = arg;
    char amt[24], asset[24];
    const char *params[7] = {a->ext_ref,
                             asset,
                             amt,
                             a->currency,
                             a->date,
                             a->kind,
                             a->escrow ? "true" : "false"};
    arcs_status st;

    st = minor_units(ctx, amt, a->amount, a->currency);
    if (st != ARCS_OK)
        return st;
    i64_text(asset, a->asset_id);
    return move(
        ctx, a->out,
        "arcs.fund_receive($1, $2::bigint, $3::bigint, $4, $5::date, $6, $7::boolean)", 7,
        params);
}

static arcs_status money_checks(arcs_ctx *ctx, const char *amount, const char *currency,
                                const char *date, const char *ext_ref)
{
    arcs_err err;
    arcs_status st = check_common(ctx, ext_ref, date);

    if (st != ARCS_OK)
        return st;
    if (!amount || !*amount)
        return arcs__fail(ctx, ARCS_EINVAL, "an amount is needed: --amount AMOUNT CCY");
    if (!currency || arcs_currency_code_check(currency, &err) != ARCS_OK)
        return arcs__fail(ctx, ARCS_EINVAL, "%s",
                          currency ? err.msg
                                   : "a currency is needed: --amount AMOUNT CCY");
    return ARCS_OK;
}

arcs_status arcs_fund_receive(arcs_ctx *ctx, arcs_transfer *out, int64_t asset_id,
                              const char *amount, const char *currency, const char *date,
                              const char *ext_ref, const char *kind, int escrow)
{
    struct money_args a = {out,     asset_id, amount, currency, date,
                           ext_ref, kind,     escrow, NULL};
    arcs_status st;

    arcs__clear(ctx);
    memset(out, 0, sizeof(*out));
    if (!a.kind)
        a.kind = "sale_proceeds";
    st = money_checks(ctx, amount, currency, date, ext_ref);
    if (st != ARCS_OK)
        return st;
    if (!in_list(a.kind, receive_kinds))
        return arcs__fail(
            ctx, ARCS_EINVAL,
            "unknown receipt kind '%s'; use sale_proceeds, confiscated_cash,"
            " voluntary_payment, foreign_return or management_income",
            a.kind);
    a.escrow = escrow ? 1 : 0;
    return arcs__db_tx(ctx, ARCS__TX_RECONNECT, receive_body, &a);
}

/* ---- deduct ---- */

/* From the asset's escrow while it holds money, else from the fund, where
   the ledger_lots trigger takes it from the case's own receipts. */
static arcs_status deduct_body(arcs_ctx *ctx, void *arg)
{
    struct money_args *a = arg;
    char amt[24], asset[24];
    const char *params[6] = {a->ext_ref, asset, amt, a->currency, a->date, a->kind};
    arcs_status st;

    st = minor_units(ctx, amt, a->amount, a->currency);
    if (st != ARCS_OK)
        return st;
    i64_text(asset, a->asset_id);
    return move(ctx, a->out,
                "arcs.fund_deduct($1, $2::bigint, $3::bigint, $4, $5::date, $6)", 6,
                params);
}

arcs_status arcs_fund_deduct(arcs_ctx *ctx, arcs_transfer *out, int64_t asset_id,
                             const char *amount, const char *currency, const char *date,
                             const char *ext_ref, const char *kind)
{
    struct money_args a = {out, asset_id, amount, currency, date, ext_ref, kind, 0, NULL};
    arcs_status st;

    arcs__clear(ctx);
    memset(out, 0, sizeof(*out));
    st = money_checks(ctx, amount, currency, date, ext_ref);
    if (st != ARCS_OK)
        return st;
    if (!kind || !in_list(kind, deduct_kinds))
        return arcs__fail(ctx, ARCS_EINVAL,
                          "deduction kind '%s' is not one of creditor, victim, cost,"
                          " foreign_share; give --kind",
                          kind ? kind : "");
    return arcs__db_tx(ctx, ARCS__TX_RECONNECT, deduct_body, &a);
}

/* ---- release escrow ---- */

static arcs_status release_body(arcs_ctx *ctx, void *arg)
{
    struct money_args *a = arg;
    char asset[24];
    const char *params[4] = {a->ext_ref, asset, a->to, a->date};

    i64_text(asset, a->asset_id);
    return move(ctx, a->out, "arcs.fund_release_escrow($1, $2::bigint, $3, $4::date)", 4,
                params);
}

arcs_status arcs_fund_release_escrow(arcs_ctx *ctx, arcs_transfer *out, int64_t asset_id,
                                     const char *to, const char *date,
                                     const char *ext_ref)
{
    struct money_args a = {out, asset_id, NULL, NULL, date, ext_ref, NULL, 0, to};
    arcs_status st;

    arcs__clear(ctx);
    memset(out, 0, sizeof(*out));
    st = check_common(ctx, ext_ref, date);
    if (st != ARCS_OK)
        return st;
    if (!to || (strcmp(to, "fund") && strcmp(to, "owner")))
        return arcs__fail(ctx, ARCS_EINVAL, "--to must be fund or owner, not '%s'",
                          to ? to : "");
    return arcs__db_tx(ctx, ARCS__TX_RECONNECT, release_body, &a);
}

/* ---- reverse ---- */

struct reverse_args {
    arcs_transfer *out;
    const char *ext_ref, *reverses_ref, *date;
};

static arcs_status reverse_body(arcs_ctx *ctx, void *arg)
{
    struct reverse_args *a = arg;
    const char *params[3] = {a->ext_ref, a->reverses_ref, a->date};

    return move(ctx, a->out, "arcs.fund_reverse($1, $2, $3::date)", 3, params);
}

arcs_status arcs_fund_reverse(arcs_ctx *ctx, arcs_transfer *out, const char *ext_ref,
                              const char *reverses_ref, const char *date)
{
    struct reverse_args a = {out, ext_ref, reverses_ref, date};
    arcs_status st;

    arcs__clear(ctx);
    memset(out, 0, sizeof(*out));
    st = check_common(ctx, ext_ref, date);
    if (st != ARCS_OK)
        return st;
    if (!reverses_ref || !*reverses_ref || strlen(reverses_ref) > 200)
        return arcs__fail(ctx, ARCS_EINVAL,
                          "name the transfer to reverse: --reverses EXTREF of 1 to 200 "
                          "bytes");
    return arcs__db_tx(ctx, ARCS__TX_RECONNECT, reverse_body, &a);
}

/* ---- allocate, disburse ---- */

struct project_args {
    arcs_transfer *out;
    const char *project, *amount, *decision, *date, *ext_ref;
    const arcs_alloc_source *sources;
    size_t nsources;
    int disburse;
};

/* The sources as two array parameters: {"REF",...} (each element quoted,
   " and \ escaped) and {N,...}. */
static arcs_status source_arrays(arcs_ctx *ctx, char **refs, char **amts,
                                 const struct project_args *a, const int64_t *amounts)
{
    size_t rn = 3, an = 3, ri = 0, ai = 0;

    for (size_t i = 0; i < a->nsources; i++) {
        rn += 2 * strlen(a->sources[i].case_ref) + 3;
        an += 22;
    }
    *refs = malloc(rn);
    *amts = malloc(an);
    if (!*refs || !*amts)
        return arcs__fail(ctx, ARCS_ERROR, "out of memory");
    (*refs)[ri++] = '{';
    (*amts)[ai++] = '{';
    for (size_t i = 0; i < a->nsources; i++) {
        if (i) {
            (*refs)[ri++] = ',';
            (*amts)[ai++] = ',';
        }
        (*refs)[ri++] = '"';
        for (const char *s = a->sources[i].case_ref; *s; s++) {
            if (*s == '"' || *s == '\\')
                (*refs)[ri++] = '\\';
            (*refs)[ri++] = *s;
        }
        (*refs)[ri++] = '"';
        ai += (size_t)snprintf(*amts + ai, an - ai, "%" PRId64, amounts[i]);
    }
    (*refs)[ri++] = '}';
    (*refs)[ri] = '\0';
    (*amts)[ai++] = '}';
    (*amts)[ai] = '\0';
    return ARCS_OK;
}

static arcs_status project_body(arcs_ctx *ctx, void *arg)
{
    struct project_args *a = arg;
    char base[4], amt[24], *refs = NULL, *amts = NULL;
    int64_t *amounts = NULL, amount, sum = 0;
    int exp;
    arcs_err err;
    arcs_status st;

    st = arcs__ledger_base(ctx, base, &exp);
    if (st != ARCS_OK)
        goto done;
    if (arcs_money_parse(&amount, a->amount, exp, 1, &err) != ARCS_OK) {
        st = arcs__fail(ctx, ARCS_EINVAL, "%s", err.msg);
        goto done;
    }
    i64_text(amt, amount);
    if (a->disburse) {
        const char *params[4] = {a->ext_ref, a->project, amt, a->date};
        st = move(ctx, a->out, "arcs.ledger_disburse($1, $2, $3::bigint, $4::date)", 4,
                  params);
        goto done;
    }
    if (a->nsources) {
        amounts = calloc(a->nsources, sizeof(*amounts));
        if (!amounts) {
            st = arcs__fail(ctx, ARCS_ERROR, "out of memory");
            goto done;
        }
    }
    for (size_t i = 0; i < a->nsources; i++) {
        if (arcs_money_parse(&amounts[i], a->sources[i].amount, exp, 1, &err) !=
            ARCS_OK) {
            st = arcs__fail(ctx, ARCS_EINVAL, "source %s: %s", a->sources[i].case_ref,
                            err.msg);
            goto done;
        }
        if (amounts[i] > INT64_MAX - sum) {
            st =
                arcs__fail(ctx, ARCS_EINVAL,
                           "the --source amounts add up to more than the largest amount; "
                           "make them equal to the allocation's");
            goto done;
        }
        sum += amounts[i];
    }
    if (a->nsources && sum != amount) {
        st = arcs__fail(ctx, ARCS_EINVAL,
                        "the --source amounts add up to %" PRId64 " minor units, not the "
                        "allocation's %" PRId64 "; make them equal",
                        sum, amount);
        goto done;
    }
    st = source_arrays(ctx, &refs, &amts, a, amounts);
    if (st != ARCS_OK)
        goto done;
    {
        const char *params[7] = {a->ext_ref, a->project, amt, a->decision,
                                 a->date,    refs,       amts};
        st = move(ctx, a->out,
                  "arcs.ledger_allocate($1, $2, $3::bigint, $4, $5::date, $6::text[],"
                  " $7::bigint[])",
                  7, params);
    }
done:
    free(amounts);
    free(refs);
    free(amts);
    return st;
}

static arcs_status project_move(arcs_ctx *ctx, struct project_args *a)
{
    arcs_status st;

    arcs__clear(ctx);
    memset(a->out, 0, sizeof(*a->out));
    st = check_common(ctx, a->ext_ref, a->date);
    if (st != ARCS_OK)
        return st;
    if (!a->project || !*a->project)
        return arcs__fail(ctx, ARCS_EINVAL, "name the project: --project CODE");
    if (!a->amount || !*a->amount)
        return arcs__fail(ctx, ARCS_EINVAL, "an amount is needed: --amount AMOUNT");
    if (!a->disburse && (!a->decision || !*a->decision))
        return arcs__fail(ctx, ARCS_EINVAL,
                          "an allocation names its decision: --decision DREF");
    for (size_t i = 0; i < a->nsources; i++)
        if (!a->sources[i].case_ref || !*a->sources[i].case_ref || !a->sources[i].amount)
            return arcs__fail(ctx, ARCS_EINVAL, "a source is CASE_REF=AMOUNT");
    return arcs__db_tx(ctx, ARCS__TX_RECONNECT, project_body, a);
}

arcs_status arcs_ledger_allocate(arcs_ctx *ctx, arcs_transfer *out,
                                 const char *project_code, const char *amount,
                                 const char *decision_ref, const char *date,
                                 const char *ext_ref, const arcs_alloc_source *sources,
                                 size_t nsources)
{
    struct project_args a = {out,     project_code, amount, decision_ref, date, ext_ref,
                             sources, nsources,     0};
    return project_move(ctx, &a);
}

arcs_status arcs_ledger_disburse(arcs_ctx *ctx, arcs_transfer *out,
                                 const char *project_code, const char *amount,
                                 const char *date, const char *ext_ref)
{
    struct project_args a = {out, project_code, amount, NULL, date, ext_ref, NULL, 0, 1};
    return project_move(ctx, &a);
}

/* ---- balance ---- */

static arcs_status balance_body(arcs_ctx *ctx, void *arg)
{
    arcs_fund_balance *b = arg;
    PGresult *res = NULL;
    arcs_status st;

    st = arcs__ledger_base(ctx, b->currency, &b->exponent);
    if (st != ARCS_OK)
        goto done;
    st = arcs__db_exec(
        ctx, &res,
        "WITH k AS (SELECT CASE WHEN kind = 'reverse' THEN sub_kind ELSE kind END AS k,"
        " CASE WHEN kind = 'reverse' THEN -amount ELSE amount END AS a"
        " FROM arcs.ledger_transfers)"
        " SELECT coalesce(sum(a) FILTER (WHERE k IN ('receive', 'escrow_in')), 0)::text,"
        " coalesce(sum(a) FILTER (WHERE k = 'deduct'), 0)::text,"
        " coalesce(sum(a) FILTER (WHERE k = 'escrow_return_to_owner'), 0)::text,"
        " coalesce(sum(a) FILTER (WHERE k = 'allocate'), 0)::text,"
        " coalesce(sum(a) FILTER (WHERE k = 'disburse'), 0)::text,"
        " (SELECT coalesce(sum(credits - debits), 0) FROM arcs.ledger_accounts"
        "   WHERE kind = 'escrow')::text,"
        " (SELECT credits - debits FROM arcs.ledger_accounts WHERE code = 'fund')::text"
        " FROM k",
        0, NULL);
    if (st != ARCS_OK)
        goto done;
    b->received = arcs__ledger_i64(PQgetvalue(res, 0, 0));
    b->deducted = arcs__ledger_i64(PQgetvalue(res, 0, 1));
    b->returned = arcs__ledger_i64(PQgetvalue(res, 0, 2));
    b->allocated = arcs__ledger_i64(PQgetvalue(res, 0, 3));
    b->disbursed = arcs__ledger_i64(PQgetvalue(res, 0, 4));
    b->escrow = arcs__ledger_i64(PQgetvalue(res, 0, 5));
    b->available = arcs__ledger_i64(PQgetvalue(res, 0, 6));
done:
    PQclear(res);
    return st;
}

arcs_status arcs_fund_balance_get(arcs_ctx *ctx, arcs_fund_balance *out)
{
    arcs__clear(ctx);
    memset(out, 0, sizeof(*out));
    return arcs__db_tx(ctx, ARCS__TX_READONLY, balance_body, out);
}
