/*
 * The double-entry ledger: receipts, deductions, escrow, allocations,
 * disbursements and reversals, each one transfer between two accounts. The
 * database moves the balances and refuses overdrafts (sql/0004_ledger.sql);
 * this file validates, routes, and makes every write idempotent by its
 * external reference.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger_int.h"

/* A transfer to record. request is the normalized command: a retry with
   the same ext_ref must carry the same one, so it is never cut short (a cut
   key made two different allocations look like one retry): it has room for
   the longest the inputs allow, and project_body refuses a longer one. */
typedef struct xfer {
    const char *ext_ref;
    char request[8192];
    const char *kind;
    const char *sub_kind;
    int64_t debit, credit;
    int64_t amount, orig_amount;
    char orig_currency[4];
    char rate[40];
    char rate_date[11]; /* "" for the base currency */
    int64_t reverses, case_id, asset_id, project_id, decision_id;
    const char *value_date;
} xfer;

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

static const char *opt_i64(char buf[24], int64_t v)
{
    if (!v)
        return NULL;
    i64_text(buf, v);
    return buf;
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

arcs_status arcs__ledger_account(arcs_ctx *ctx, int64_t *id, const char *code,
                                 const char *kind, int64_t case_id, int64_t asset_id,
                                 int64_t project_id)
{
    char b1[24], b2[24], b3[24];
    const char *params[5] = {code, kind, opt_i64(b1, case_id), opt_i64(b2, asset_id),
                             opt_i64(b3, project_id)};
    char *v = NULL;
    arcs_status st;

    st = arcs__db_value(ctx, &v, NULL,
                        "SELECT id::text FROM arcs.ledger_accounts WHERE code = $1", 1,
                        params);
    if (st == ARCS_ENOTFOUND) {
        st = arcs__db_exec(ctx, NULL,
                           "INSERT INTO arcs.ledger_accounts"
                           " (code, kind, case_id, asset_id, project_id)"
                           " VALUES ($1, $2, $3::bigint, $4::bigint, $5::bigint)"
                           " ON CONFLICT (code) DO NOTHING",
                           5, params);
        if (st == ARCS_OK)
            st = arcs__db_value(
                ctx, &v, "ledger account",
                "SELECT id::text FROM arcs.ledger_accounts WHERE code = $1", 1, params);
    }
    if (st == ARCS_OK)
        *id = arcs__ledger_i64(v);
    free(v);
    return st;
}

/*
 * Look for ext_ref: *found 1 and out filled when it is a retry of the same
 * request; ARCS_ECONFLICT when the reference names something different.
 */
static arcs_status check_existing(arcs_ctx *ctx, int *found, arcs_transfer *out,
                                  const char *ext_ref, const char *request)
{
    const char *params[1] = {ext_ref};
    char *have = NULL;
    arcs_status st;

    *found = 0;
    st = arcs__db_value(ctx, &have, NULL,
                        "SELECT request FROM arcs.ledger_transfers WHERE ext_ref = $1", 1,
                        params);
    if (st == ARCS_ENOTFOUND) {
        st = ARCS_OK;
        goto done;
    }
    if (st != ARCS_OK)
        goto done;
    if (!have || strcmp(have, request)) {
        st = arcs__fail(ctx, ARCS_ECONFLICT,
                        "reference '%s' is recorded already for something different (%s);"
                        " use a new reference",
                        ext_ref, have ? have : "?");
        goto done;
    }
    *found = 1;
    st = fetch_one(ctx, out, ext_ref);
    if (st == ARCS_OK)
        out->existed = 1;
done:
    free(have);
    return st;
}

/* Insert x and read it back into out (one round trip). A concurrent writer
   of the same reference (or reversal) makes the whole transaction run again,
   and then check_existing finds it. */
static arcs_status insert_xfer(arcs_ctx *ctx, arcs_transfer *out, const xfer *x)
{
    char bd[24], bc[24], ba[24], bo[24], br[24], bca[24], bas[24], bp[24], bde[24];
    char base[4];
    const char *params[17];
    PGresult *res = NULL;
    int exp;
    arcs_status st;

    st = arcs__ledger_base(ctx, base, &exp);
    if (st != ARCS_OK)
        goto done;
    i64_text(bd, x->debit);
    i64_text(bc, x->credit);
    i64_text(ba, x->amount);
    i64_text(bo, x->orig_amount);
    params[0] = x->ext_ref;
    params[1] = bd;
    params[2] = bc;
    params[3] = ba;
    params[4] = bo;
    params[5] = x->orig_currency;
    params[6] = x->rate;
    params[7] = x->rate_date[0] ? x->rate_date : NULL;
    params[8] = x->kind;
    params[9] = x->sub_kind;
    params[10] = opt_i64(br, x->reverses);
    params[11] = opt_i64(bca, x->case_id);
    params[12] = opt_i64(bas, x->asset_id);
    params[13] = opt_i64(bp, x->project_id);
    params[14] = opt_i64(bde, x->decision_id);
    params[15] = x->value_date;
    params[16] = x->request;
    st = arcs__db_exec(
        ctx, &res,
        "WITH t AS (INSERT INTO arcs.ledger_transfers (ext_ref, debit_account,"
        " credit_account, amount, orig_amount, orig_currency, fx_rate, fx_rate_date, "
        "kind,"
        " sub_kind, reverses, case_id, asset_id, project_id, decision_id, value_date,"
        " request)"
        " VALUES ($1, $2::bigint, $3::bigint, $4::bigint, $5::bigint, $6, $7::numeric,"
        " $8::date, $9, $10, $11::bigint, $12::bigint, $13::bigint, $14::bigint,"
        " $15::bigint, $16::date, $17)"
        " ON CONFLICT (ext_ref) DO NOTHING RETURNING *) " XFER_COLS " FROM t" XFER_JOINS,
        17, params);
    if (st == ARCS_ECONFLICT)
        st = ARCS_ERETRY;
    if (st != ARCS_OK)
        goto done;
    if (PQntuples(res) < 1) {
        st = ARCS_ERETRY;
        goto done;
    }
    fill_transfer(out, res, 0, base, exp);
done:
    PQclear(res);
    return st;
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

/* An asset's case and where its proceeds belong, with the ids of the
   accounts a transfer of it may use (0: not made yet). */
typedef struct asset_info {
    int64_t case_id;
    char case_ref[72];
    char state[24];
    char realized_from[24];
    int64_t case_acct, escrow_acct, escrow_balance, fund_acct, other_acct;
} asset_info;

/* other: the code of one more account to look up (NULL: none). */
static arcs_status asset_lookup(arcs_ctx *ctx, asset_info *ai, int64_t asset_id,
                                const char *other)
{
    char b[24];
    const char *params[2];
    PGresult *res = NULL;
    arcs_status st;

    i64_text(b, asset_id);
    params[0] = b;
    params[1] = other;
    st = arcs__db_exec(
        ctx, &res,
        "SELECT a.case_id, c.ref, a.state, coalesce((SELECT from_state"
        " FROM arcs.asset_transitions x WHERE x.asset_id = a.id"
        " AND x.to_state = 'realized' ORDER BY x.id DESC LIMIT 1), ''),"
        " coalesce((SELECT l.id FROM arcs.ledger_accounts l"
        " WHERE l.code = 'case:' || c.ref || ':proceeds'), 0),"
        " coalesce(e.id, 0), coalesce(e.credits - e.debits, 0),"
        " coalesce((SELECT l.id FROM arcs.ledger_accounts l WHERE l.code = 'fund'), 0),"
        " coalesce((SELECT l.id FROM arcs.ledger_accounts l WHERE l.code = $2), 0)"
        " FROM arcs.assets a JOIN arcs.cases c ON c.id = a.case_id"
        " LEFT JOIN arcs.ledger_accounts e ON e.code = 'escrow:asset:' || a.id"
        " WHERE a.id = $1::bigint",
        2, params);
    if (st != ARCS_OK)
        goto done;
    if (PQntuples(res) < 1) {
        st = arcs__fail(ctx, ARCS_ENOTFOUND,
                        "asset %" PRId64 " not found; arcs asset list shows the ids",
                        asset_id);
        goto done;
    }
    ai->case_id = arcs__ledger_i64(PQgetvalue(res, 0, 0));
    snprintf(ai->case_ref, sizeof(ai->case_ref), "%s", PQgetvalue(res, 0, 1));
    snprintf(ai->state, sizeof(ai->state), "%s", PQgetvalue(res, 0, 2));
    snprintf(ai->realized_from, sizeof(ai->realized_from), "%s", PQgetvalue(res, 0, 3));
    ai->case_acct = arcs__ledger_i64(PQgetvalue(res, 0, 4));
    ai->escrow_acct = arcs__ledger_i64(PQgetvalue(res, 0, 5));
    ai->escrow_balance = arcs__ledger_i64(PQgetvalue(res, 0, 6));
    ai->fund_acct = arcs__ledger_i64(PQgetvalue(res, 0, 7));
    ai->other_acct = arcs__ledger_i64(PQgetvalue(res, 0, 8));
done:
    PQclear(res);
    return st;
}

/* *id: known (non-zero) or the account code, created if missing. */
static arcs_status account_or_make(arcs_ctx *ctx, int64_t *id, int64_t known,
                                   const char *code, const char *kind, int64_t case_id,
                                   int64_t asset_id)
{
    if (known) {
        *id = known;
        return ARCS_OK;
    }
    return arcs__ledger_account(ctx, id, code, kind, case_id, asset_id, 0);
}

/* Parse amount in currency and convert it to the base at the rate of date. */
static arcs_status convert(arcs_ctx *ctx, xfer *x, const char *amount,
                           const char *currency, const char *date)
{
    char base[4];
    int bexp, exp;
    arcs_rate rate;
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
    if (arcs_money_parse(&x->orig_amount, amount, exp, 1, &err) != ARCS_OK)
        return arcs__fail(ctx, ARCS_EINVAL, "%s", err.msg);
    snprintf(x->orig_currency, sizeof(x->orig_currency), "%s", currency);
    if (!strcmp(base, currency)) {
        x->amount = x->orig_amount;
        snprintf(x->rate, sizeof(x->rate), "1");
        x->rate_date[0] = '\0';
        return ARCS_OK;
    }
    st = arcs__fx_lookup(ctx, currency, date, &rate, x->rate, x->rate_date);
    if (st != ARCS_OK)
        return st;
    if (arcs_money_convert(&x->amount, x->orig_amount, exp, &rate, bexp, &err) != ARCS_OK)
        return arcs__fail(ctx, ARCS_EINVAL, "%s", err.msg);
    if (x->amount <= 0)
        return arcs__fail(ctx, ARCS_EINVAL,
                          "%s %s converts to zero %s at rate %s; give a larger amount",
                          amount, currency, base, x->rate);
    return ARCS_OK;
}

/* Parse an amount in the base currency. */
static arcs_status base_amount(arcs_ctx *ctx, xfer *x, const char *amount)
{
    int exp;
    arcs_err err;
    arcs_status st;

    st = arcs__ledger_base(ctx, x->orig_currency, &exp);
    if (st != ARCS_OK)
        return st;
    if (arcs_money_parse(&x->amount, amount, exp, 1, &err) != ARCS_OK)
        return arcs__fail(ctx, ARCS_EINVAL, "%s", err.msg);
    x->orig_amount = x->amount;
    snprintf(x->rate, sizeof(x->rate), "1");
    x->rate_date[0] = '\0';
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
    xfer x;
    asset_info ai;
    char code[128];
    int found, to_escrow;
    arcs_status st;

    memset(&x, 0, sizeof(x));
    x.ext_ref = a->ext_ref;
    x.value_date = a->date;
    x.sub_kind = a->kind;
    st = convert(ctx, &x, a->amount, a->currency, a->date);
    /* the request holds what the user gave, so a retry after a new rate is
       still the same request */
    snprintf(x.request, sizeof(x.request),
             "receive asset=%" PRId64 " amount=%" PRId64 " %s date=%s kind=%s escrow=%d",
             a->asset_id, x.orig_amount, a->currency, a->date, a->kind, a->escrow);
    if (st == ARCS_EREFUSED || st == ARCS_OK) {
        /* a retry of a recorded transfer succeeds even when its rate is gone */
        arcs_err saved = ctx->err;
        arcs_status st2 = check_existing(ctx, &found, a->out, a->ext_ref, x.request);
        if (st2 != ARCS_OK || found)
            return st2;
        ctx->err = saved;
    }
    if (st != ARCS_OK)
        return st;
    st = asset_lookup(ctx, &ai, a->asset_id, NULL);
    if (st != ARCS_OK)
        return st;
    if (!strcmp(ai.state, "released") || !strcmp(ai.state, "returned_abroad") ||
        !strcmp(ai.state, "destroyed"))
        return arcs__fail(ctx, ARCS_EREFUSED,
                          "asset %" PRId64 " is %s: it brings no proceeds to the fund",
                          a->asset_id, ai.state);
    to_escrow = a->escrow || !strcmp(ai.state, "identified") ||
                !strcmp(ai.state, "frozen") || !strcmp(ai.state, "seized") ||
                (!strcmp(ai.state, "realized") && !strcmp(ai.realized_from, "seized"));
    x.kind = to_escrow ? "escrow_in" : "receive";
    x.case_id = ai.case_id;
    x.asset_id = a->asset_id;
    snprintf(code, sizeof(code), "case:%s:proceeds", ai.case_ref);
    st = account_or_make(ctx, &x.debit, ai.case_acct, code, "case", ai.case_id, 0);
    if (st != ARCS_OK)
        return st;
    if (to_escrow) {
        snprintf(code, sizeof(code), "escrow:asset:%" PRId64, a->asset_id);
        st = account_or_make(ctx, &x.credit, ai.escrow_acct, code, "escrow", ai.case_id,
                             a->asset_id);
    } else {
        st = account_or_make(ctx, &x.credit, ai.fund_acct, "fund", "fund", 0, 0);
    }
    if (st != ARCS_OK)
        return st;
    return insert_xfer(ctx, a->out, &x);
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

static arcs_status deduct_body(arcs_ctx *ctx, void *arg)
{
    struct money_args *a = arg;
    xfer x;
    asset_info ai;
    char code[128];
    int found;
    arcs_status st;

    memset(&x, 0, sizeof(x));
    x.ext_ref = a->ext_ref;
    x.value_date = a->date;
    x.kind = "deduct";
    x.sub_kind = a->kind;
    st = convert(ctx, &x, a->amount, a->currency, a->date);
    snprintf(x.request, sizeof(x.request),
             "deduct asset=%" PRId64 " amount=%" PRId64 " %s date=%s kind=%s",
             a->asset_id, x.orig_amount, a->currency, a->date, a->kind);
    if (st == ARCS_EREFUSED || st == ARCS_OK) {
        /* a retry of a recorded transfer succeeds even when its rate is gone */
        arcs_err saved = ctx->err;
        arcs_status st2 = check_existing(ctx, &found, a->out, a->ext_ref, x.request);
        if (st2 != ARCS_OK || found)
            return st2;
        ctx->err = saved;
    }
    if (st != ARCS_OK)
        return st;
    snprintf(code, sizeof(code), "external:deduction:%s", a->kind);
    st = asset_lookup(ctx, &ai, a->asset_id, code);
    if (st != ARCS_OK)
        return st;
    x.case_id = ai.case_id;
    x.asset_id = a->asset_id;
    if (ai.escrow_acct && ai.escrow_balance > 0)
        x.debit = ai.escrow_acct;
    else
        st = account_or_make(ctx, &x.debit, ai.fund_acct, "fund", "fund", 0, 0);
    if (st != ARCS_OK)
        return st;
    st = account_or_make(ctx, &x.credit, ai.other_acct, code, "external", 0, 0);
    if (st != ARCS_OK)
        return st;
    /* a deduction from the fund takes from the case's lots: the ledger_lots
       trigger refuses it when the case's money there is allocated already */
    return insert_xfer(ctx, a->out, &x);
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
    xfer x;
    asset_info ai;
    char code[128];
    const char *params[1];
    PGresult *res = NULL;
    int found, to_fund = !strcmp(a->to, "fund");
    arcs_status st;

    memset(&x, 0, sizeof(x));
    x.ext_ref = a->ext_ref;
    x.value_date = a->date;
    x.kind = to_fund ? "escrow_release_to_fund" : "escrow_return_to_owner";
    snprintf(x.request, sizeof(x.request), "release asset=%" PRId64 " to=%s date=%s",
             a->asset_id, a->to, a->date);
    st = check_existing(ctx, &found, a->out, a->ext_ref, x.request);
    if (st != ARCS_OK || found)
        goto done;
    st = asset_lookup(ctx, &ai, a->asset_id, NULL);
    if (st != ARCS_OK)
        goto done;
    x.case_id = ai.case_id;
    x.asset_id = a->asset_id;
    snprintf(code, sizeof(code), "escrow:asset:%" PRId64, a->asset_id);
    params[0] = code;
    /* the row lock makes the amount read here the amount moved */
    st = arcs__db_exec(ctx, &res,
                       "SELECT id, credits - debits FROM arcs.ledger_accounts"
                       " WHERE code = $1 FOR UPDATE",
                       1, params);
    if (st != ARCS_OK)
        goto done;
    if (PQntuples(res) < 1 || arcs__ledger_i64(PQgetvalue(res, 0, 1)) <= 0) {
        st = arcs__fail(ctx, ARCS_EREFUSED,
                        "asset %" PRId64
                        " has nothing in escrow; record the proceeds with "
                        "arcs fund receive first",
                        a->asset_id);
        goto done;
    }
    x.debit = arcs__ledger_i64(PQgetvalue(res, 0, 0));
    x.amount = arcs__ledger_i64(PQgetvalue(res, 0, 1));
    x.orig_amount = x.amount;
    snprintf(x.rate, sizeof(x.rate), "1");
    {
        int exp;
        st = arcs__ledger_base(ctx, x.orig_currency, &exp);
    }
    if (st != ARCS_OK)
        goto done;
    if (to_fund)
        st = arcs__ledger_account(ctx, &x.credit, "fund", "fund", 0, 0, 0);
    else
        st = arcs__ledger_account(ctx, &x.credit, "external:owner", "external", 0, 0, 0);
    if (st != ARCS_OK)
        goto done;
    st = insert_xfer(ctx, a->out, &x);
done:
    PQclear(res);
    return st;
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
    const char *params[1] = {a->reverses_ref};
    PGresult *res = NULL;
    xfer x;
    int found;
    arcs_status st;

    memset(&x, 0, sizeof(x));
    x.ext_ref = a->ext_ref;
    x.value_date = a->date;
    x.kind = "reverse";
    snprintf(x.request, sizeof(x.request), "reverse of=%s date=%s", a->reverses_ref,
             a->date);
    st = check_existing(ctx, &found, a->out, a->ext_ref, x.request);
    if (st != ARCS_OK || found)
        goto done;
    st = arcs__db_exec(
        ctx, &res,
        "SELECT t.id, t.kind, t.debit_account, t.credit_account, t.amount, t.orig_amount,"
        " t.orig_currency, t.fx_rate::text, coalesce(t.fx_rate_date::text, ''),"
        " coalesce(t.case_id, 0), coalesce(t.asset_id, 0), coalesce(t.project_id, 0),"
        " coalesce(t.decision_id, 0),"
        " coalesce((SELECT r.ext_ref FROM arcs.ledger_transfers r WHERE r.reverses = "
        "t.id),"
        " '')"
        " FROM arcs.ledger_transfers t WHERE t.ext_ref = $1",
        1, params);
    if (st != ARCS_OK)
        goto done;
    if (PQntuples(res) < 1) {
        st = arcs__fail(ctx, ARCS_ENOTFOUND,
                        "no transfer with reference '%s' to reverse; check --reverses",
                        a->reverses_ref);
        goto done;
    }
    if (!strcmp(PQgetvalue(res, 0, 1), "reverse")) {
        st = arcs__fail(ctx, ARCS_EREFUSED,
                        "'%s' is a reversal and cannot be reversed; record the transfer "
                        "again with a new reference",
                        a->reverses_ref);
        goto done;
    }
    if (*PQgetvalue(res, 0, 13)) {
        st = arcs__fail(ctx, ARCS_EREFUSED, "'%s' is reversed already by '%s'",
                        a->reverses_ref, PQgetvalue(res, 0, 13));
        goto done;
    }
    x.reverses = arcs__ledger_i64(PQgetvalue(res, 0, 0));
    x.sub_kind = PQgetvalue(res, 0, 1);
    x.debit = arcs__ledger_i64(PQgetvalue(res, 0, 3));
    x.credit = arcs__ledger_i64(PQgetvalue(res, 0, 2));
    x.amount = arcs__ledger_i64(PQgetvalue(res, 0, 4));
    x.orig_amount = arcs__ledger_i64(PQgetvalue(res, 0, 5));
    snprintf(x.orig_currency, sizeof(x.orig_currency), "%s", PQgetvalue(res, 0, 6));
    snprintf(x.rate, sizeof(x.rate), "%s", PQgetvalue(res, 0, 7));
    snprintf(x.rate_date, sizeof(x.rate_date), "%s", PQgetvalue(res, 0, 8));
    x.case_id = arcs__ledger_i64(PQgetvalue(res, 0, 9));
    x.asset_id = arcs__ledger_i64(PQgetvalue(res, 0, 10));
    x.project_id = arcs__ledger_i64(PQgetvalue(res, 0, 11));
    x.decision_id = arcs__ledger_i64(PQgetvalue(res, 0, 12));
    st = insert_xfer(ctx, a->out, &x);
done:
    PQclear(res);
    return st;
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

static arcs_status project_body(arcs_ctx *ctx, void *arg)
{
    struct project_args *a = arg;
    const char *params[1], *lparams[4];
    char code[128], ext[128], *v = NULL;
    PGresult *res = NULL;
    int64_t *case_ids = NULL, *amounts = NULL, sum = 0;
    size_t len;
    xfer x;
    int found, exp;
    arcs_err err;
    arcs_status st;

    memset(&x, 0, sizeof(x));
    x.ext_ref = a->ext_ref;
    x.value_date = a->date;
    x.kind = a->disburse ? "disburse" : "allocate";
    st = base_amount(ctx, &x, a->amount);
    if (st != ARCS_OK)
        goto done;
    exp = 0;
    st = arcs__ledger_base(ctx, x.orig_currency, &exp);
    if (st != ARCS_OK)
        goto done;
    if (a->nsources) {
        case_ids = calloc(a->nsources, sizeof(*case_ids));
        amounts = calloc(a->nsources, sizeof(*amounts));
        if (!case_ids || !amounts) {
            st = arcs__fail(ctx, ARCS_ERROR, "out of memory");
            goto done;
        }
    }
    len = (size_t)snprintf(x.request, sizeof(x.request),
                           "%s project=%s amount=%" PRId64 " date=%s decision=%s", x.kind,
                           a->project, x.amount, a->date, a->decision ? a->decision : "");
    for (size_t i = 0; i < a->nsources; i++) {
        if (arcs_money_parse(&amounts[i], a->sources[i].amount, exp, 1, &err) !=
            ARCS_OK) {
            st = arcs__fail(ctx, ARCS_EINVAL, "source %s: %s", a->sources[i].case_ref,
                            err.msg);
            goto done;
        }
        if (__builtin_add_overflow(sum, amounts[i], &sum)) {
            st = arcs__fail(ctx, ARCS_EINVAL,
                            "the --source amounts add up beyond the "
                            "range of amounts; check them");
            goto done;
        }
        if (len < sizeof(x.request))
            len += (size_t)snprintf(x.request + len, sizeof(x.request) - len,
                                    " source=%s:%" PRId64, a->sources[i].case_ref,
                                    amounts[i]);
    }
    if (len >= sizeof(x.request)) {
        st = arcs__fail(ctx, ARCS_EINVAL,
                        "the request is too long to record whole; use fewer --source "
                        "options or a shorter --decision");
        goto done;
    }
    if (a->nsources && sum != x.amount) {
        st = arcs__fail(ctx, ARCS_EINVAL,
                        "the --source amounts add up to %" PRId64 " minor units, not the "
                        "allocation's %" PRId64 "; make them equal",
                        sum, x.amount);
        goto done;
    }
    st = check_existing(ctx, &found, a->out, a->ext_ref, x.request);
    if (st != ARCS_OK || found)
        goto done;
    /* the project, both accounts and the decision in one round trip */
    snprintf(code, sizeof(code), "project:%s", a->project);
    snprintf(ext, sizeof(ext), "external:disbursed:%s", a->project);
    lparams[0] = a->project;
    lparams[1] = a->disburse ? code : "fund";
    lparams[2] = a->disburse ? ext : code;
    lparams[3] = a->disburse ? NULL : a->decision;
    st = arcs__db_exec(
        ctx, &res,
        "SELECT p.id::text,"
        " coalesce((SELECT x.id FROM arcs.ledger_accounts x WHERE x.code = $2), 0)::text,"
        " coalesce((SELECT x.id FROM arcs.ledger_accounts x WHERE x.code = $3), 0)::text,"
        " coalesce(d.id, 0)::text, coalesce(d.kind, '')"
        " FROM arcs.projects p LEFT JOIN arcs.decisions d ON d.ref = $4"
        " WHERE p.code = $1",
        4, lparams);
    if (st != ARCS_OK)
        goto done;
    if (PQntuples(res) < 1) {
        st = arcs__fail(ctx, ARCS_ENOTFOUND,
                        "project '%s' not found; add it with arcs project add",
                        a->project);
        goto done;
    }
    x.project_id = arcs__ledger_i64(PQgetvalue(res, 0, 0));
    x.debit = arcs__ledger_i64(PQgetvalue(res, 0, 1));
    x.credit = arcs__ledger_i64(PQgetvalue(res, 0, 2));
    if (!a->disburse) {
        const char *dkind = PQgetvalue(res, 0, 4);
        if (!*dkind) {
            st = arcs__fail(ctx, ARCS_ENOTFOUND,
                            "decision '%s' not found; record it with arcs decision add "
                            "--kind allocation",
                            a->decision);
            goto done;
        }
        if (strcmp(dkind, "allocation")) {
            st = arcs__fail(ctx, ARCS_EREFUSED,
                            "decision '%s' is a %s decision, not an allocation; name an "
                            "allocation decision",
                            a->decision, dkind);
            goto done;
        }
        x.decision_id = arcs__ledger_i64(PQgetvalue(res, 0, 3));
        for (size_t i = 0; i < a->nsources; i++) {
            params[0] = a->sources[i].case_ref;
            st = arcs__db_value(ctx, &v, NULL,
                                "SELECT id::text FROM arcs.cases WHERE ref = $1", 1,
                                params);
            if (st == ARCS_ENOTFOUND)
                st = arcs__fail(ctx, ARCS_ENOTFOUND, "source case '%s' not found",
                                a->sources[i].case_ref);
            if (st != ARCS_OK)
                goto done;
            case_ids[i] = arcs__ledger_i64(v);
            free(v);
            v = NULL;
        }
    }
    /* accounts made by project add; created here for projects older than that */
    if (!x.debit)
        st = a->disburse ? arcs__ledger_account(ctx, &x.debit, code, "project", 0, 0,
                                                x.project_id)
                         : arcs__ledger_account(ctx, &x.debit, "fund", "fund", 0, 0, 0);
    if (st == ARCS_OK && !x.credit)
        st = a->disburse ? arcs__ledger_account(ctx, &x.credit, ext, "external", 0, 0,
                                                x.project_id)
                         : arcs__ledger_account(ctx, &x.credit, code, "project", 0, 0,
                                                x.project_id);
    if (st != ARCS_OK)
        goto done;
    st = insert_xfer(ctx, a->out, &x);
    if (st == ARCS_OK && !a->disburse)
        st = arcs__ledger_attribute(ctx, a->out->id, x.amount, case_ids, amounts,
                                    a->nsources);
done:
    PQclear(res);
    free(v);
    free(case_ids);
    free(amounts);
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
