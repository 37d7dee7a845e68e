/* FX rates: dated rates to the base currency, and the lookup transfers use. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger_int.h"

int64_t arcs__ledger_i64(const char *s)
{
    char *end;
    long long v;

    if (!s || !*s)
        return 0;
    v = strtoll(s, &end, 10);
    return *end ? 0 : (int64_t)v;
}

arcs_status arcs__ledger_exponent(arcs_ctx *ctx, const char *currency, int *exponent)
{
    const char *params[1] = {currency};
    char *v = NULL;
    arcs_status st;

    st = arcs__db_value(ctx, &v, NULL,
                        "SELECT exponent::text FROM arcs.currencies WHERE code = $1", 1,
                        params);
    if (st == ARCS_ENOTFOUND)
        st =
            arcs__fail(ctx, ARCS_EINVAL,
                       "unknown currency '%s'; give an ISO 4217 code the database knows, "
                       "such as KZT or USD",
                       currency);
    if (st == ARCS_OK)
        *exponent = (int)arcs__ledger_i64(v);
    free(v);
    return st;
}

arcs_status arcs__ledger_base(arcs_ctx *ctx, char currency[4], int *exponent)
{
    PGresult *res = NULL;
    arcs_status st;

    if (ctx->ledger_base[0]) {
        memcpy(currency, ctx->ledger_base, 4);
        *exponent = ctx->ledger_base_exp;
        return ARCS_OK;
    }
    st = arcs__db_exec(ctx, &res,
                       "SELECT s.value, c.exponent::text FROM arcs.settings s"
                       " JOIN arcs.currencies c ON c.code = s.value"
                       " WHERE s.key = 'base_currency'",
                       0, NULL);
    if (st != ARCS_OK)
        goto done;
    if (PQntuples(res) < 1) {
        st = arcs__fail(ctx, ARCS_EREFUSED,
                        "the fund has no base currency; run arcs db init --base-currency "
                        "KZT");
        goto done;
    }
    snprintf(currency, 4, "%s", PQgetvalue(res, 0, 0));
    *exponent = (int)arcs__ledger_i64(PQgetvalue(res, 0, 1));
    memcpy(ctx->ledger_base, currency, 4);
    ctx->ledger_base_exp = *exponent;
done:
    PQclear(res);
    return st;
}

arcs_status arcs__fx_lookup(arcs_ctx *ctx, const char *currency, const char *date,
                            arcs_rate *rate, char text[40], char rate_date[11])
{
    const char *params[2] = {currency, date};
    PGresult *res = NULL;
    arcs_err err;
    arcs_status st;

    st = arcs__db_exec(ctx, &res,
                       "SELECT rate::text, rate_date::text FROM arcs.fx_rates"
                       " WHERE currency = $1 AND rate_date <= $2::date"
                       " ORDER BY fx_rates.rate_date DESC LIMIT 1",
                       2, params);
    if (st != ARCS_OK)
        goto done;
    if (PQntuples(res) < 1) {
        st = arcs__fail(ctx, ARCS_EREFUSED,
                        "no %s rate on or before %s; add one with arcs fx set %s %s RATE",
                        currency, date, currency, date);
        goto done;
    }
    if (arcs_rate_parse(rate, PQgetvalue(res, 0, 0), &err) != ARCS_OK) {
        st = arcs__fail(ctx, ARCS_ERROR, "stored %s rate of %s is unusable: %s", currency,
                        PQgetvalue(res, 0, 1), err.msg);
        goto done;
    }
    arcs_rate_format(text, rate);
    snprintf(rate_date, 11, "%s", PQgetvalue(res, 0, 1));
done:
    PQclear(res);
    return st;
}

struct fx_args {
    const char *currency, *date, *source;
    char rate[ARCS_MONEY_TEXT_MAX];
    int replace;
    int changed;
};

static arcs_status fx_body(arcs_ctx *ctx, void *arg)
{
    struct fx_args *a = arg;
    const char *params[4] = {a->currency, a->date, a->rate, a->source};
    char base[4], *have = NULL;
    int exp;
    arcs_status st;

    a->changed = 0;
    st = arcs__ledger_base(ctx, base, &exp);
    if (st != ARCS_OK)
        goto done;
    st = arcs__ledger_exponent(ctx, a->currency, &exp);
    if (st != ARCS_OK)
        goto done;
    if (!strcmp(base, a->currency)) {
        st =
            arcs__fail(ctx, ARCS_EINVAL,
                       "%s is the base currency and needs no rate; give another currency",
                       a->currency);
        goto done;
    }
    st = arcs__db_value(
        ctx, &have, NULL,
        "SELECT CASE WHEN rate = $3::numeric THEN 'same' ELSE rate::text END"
        " FROM arcs.fx_rates WHERE currency = $1 AND rate_date = $2::date"
        " FOR UPDATE",
        3, params);
    if (st == ARCS_ENOTFOUND) {
        /* ON CONFLICT: a concurrent identical set must not fail; the retry
           then compares with what it wrote */
        PGresult *res = NULL;
        st = arcs__db_exec(ctx, &res,
                           "INSERT INTO arcs.fx_rates (currency, rate_date, rate, source)"
                           " VALUES ($1, $2::date, $3::numeric, $4)"
                           " ON CONFLICT (currency, rate_date) DO NOTHING RETURNING 1",
                           4, params);
        if (st == ARCS_OK && PQntuples(res) < 1)
            st = ARCS_ERETRY;
        else if (st == ARCS_OK)
            a->changed = 1;
        PQclear(res);
        goto done;
    }
    if (st != ARCS_OK || !strcmp(have, "same"))
        goto done;
    if (!a->replace) {
        st =
            arcs__fail(ctx, ARCS_EREFUSED,
                       "%s has rate %s on %s already, not %s; add --replace to change it "
                       "(recorded transfers keep the rate they used)",
                       a->currency, have, a->date, a->rate);
        goto done;
    }
    st = arcs__db_exec(ctx, NULL,
                       "UPDATE arcs.fx_rates SET rate = $3::numeric,"
                       " source = coalesce($4, source)"
                       " WHERE currency = $1 AND rate_date = $2::date",
                       4, params);
    if (st == ARCS_OK)
        a->changed = 1;
done:
    free(have);
    return st;
}

arcs_status arcs_fx_set(arcs_ctx *ctx, int *changed, const char *currency,
                        const char *date, const char *rate, const char *source,
                        int replace)
{
    struct fx_args a;
    arcs_rate r;
    arcs_err err;
    int32_t days;
    arcs_status st;

    arcs__clear(ctx);
    memset(&a, 0, sizeof(a));
    if (changed)
        *changed = 0;
    if (arcs_currency_code_check(currency, &err) != ARCS_OK ||
        arcs_date_parse(&days, date, &err) != ARCS_OK ||
        arcs_rate_parse(&r, rate, &err) != ARCS_OK)
        return arcs__fail(ctx, ARCS_EINVAL, "%s", err.msg);
    if (source && strlen(source) > 500)
        return arcs__fail(ctx, ARCS_EINVAL,
                          "source is longer than 500 bytes; shorten it");
    a.currency = currency;
    a.date = date;
    a.source = source;
    a.replace = replace;
    arcs_rate_format(a.rate, &r);
    st = arcs__db_tx(ctx, ARCS__TX_RECONNECT, fx_body, &a);
    if (st == ARCS_OK && changed)
        *changed = a.changed;
    return st;
}
