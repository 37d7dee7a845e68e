/* Assets, valuations and state transitions: validate, then write in one transaction. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arcs/asset.h"
#include "arcs/money.h"
#include "case_int.h"
#include "db_int.h"

/* Integers the database gave us in text; its own output, so well formed. */
static int64_t to_i64(const char *s)
{
    char *end;
    long long v = strtoll(s, &end, 10);

    return (end == s || *end) ? 0 : (int64_t)v;
}

static void copy_text(char *dst, size_t n, const char *src)
{
    snprintf(dst, n, "%s", src ? src : "");
}

/* NULL stays NULL; ARCS_ERROR when memory ran out. */
static arcs_status dup_col(arcs_ctx *ctx, char **dst, const PGresult *res, int row,
                           int col)
{
    *dst = NULL;
    if (PQgetisnull(res, row, col))
        return ARCS_OK;
    *dst = arcs__strdup(PQgetvalue(res, row, col));
    return *dst ? ARCS_OK : arcs__fail(ctx, ARCS_ERROR, "out of memory");
}

static arcs_status currency_exponent(arcs_ctx *ctx, const char *code, int *exponent)
{
    const char *params[1] = {code};
    char *v = NULL;
    arcs_err err;
    arcs_status st;

    arcs_err_clear(&err);
    st = arcs_currency_code_check(code ? code : "", &err);
    if (st != ARCS_OK) {
        st = arcs__fail(ctx, ARCS_EINVAL, "%s", err.msg);
        goto done;
    }
    st = arcs__db_value(ctx, &v, NULL,
                        "SELECT exponent::text FROM arcs.currencies WHERE code = $1", 1,
                        params);
    if (st == ARCS_ENOTFOUND)
        st = arcs__fail(ctx, ARCS_EINVAL,
                        "unknown currency '%s'; use an ISO 4217 code the database knows,"
                        " such as KZT, USD or EUR",
                        code);
    if (st == ARCS_OK)
        *exponent = v ? (int)to_i64(v) : 0;
done:
    free(v);
    return st;
}

/* Parse amount text in currency into minor units (> 0). */
static arcs_status parse_amount(arcs_ctx *ctx, int64_t *minor, const char *amount,
                                const char *currency)
{
    arcs_err err;
    int exponent = 0;
    arcs_status st;

    if (!amount || !*amount)
        return arcs__fail(ctx, ARCS_EINVAL,
                          "missing amount; give one such as 1250000.00");
    st = currency_exponent(ctx, currency, &exponent);
    if (st != ARCS_OK)
        return st;
    arcs_err_clear(&err);
    st = arcs_money_parse(minor, amount, exponent, 1, &err);
    if (st != ARCS_OK)
        return arcs__fail(ctx, ARCS_EINVAL, "%s: %s", currency, err.msg);
    return ARCS_OK;
}

/* Validate a date and write its canonical text into out (11 bytes). */
static arcs_status check_date(arcs_ctx *ctx, char *out, const char *text)
{
    arcs_err err;
    int32_t days;

    arcs_err_clear(&err);
    if (!text || !*text)
        return arcs__fail(ctx, ARCS_EINVAL, "missing date; give one as YYYY-MM-DD");
    if (arcs_date_parse(&days, text, &err) != ARCS_OK)
        return arcs__fail(ctx, ARCS_EINVAL, "%s", err.msg);
    arcs_date_format(out, days);
    return ARCS_OK;
}

static arcs_status check_country(arcs_ctx *ctx, const char *cc)
{
    const char *params[1] = {cc};
    char *v = NULL;
    arcs_err err;
    arcs_status st;

    arcs_err_clear(&err);
    if (arcs_country_code_check(cc ? cc : "", &err) != ARCS_OK)
        return arcs__fail(ctx, ARCS_EINVAL, "%s", err.msg);
    st = arcs__db_value(ctx, &v, NULL, "SELECT code FROM arcs.countries WHERE code = $1",
                        1, params);
    if (st == ARCS_ENOTFOUND)
        st = arcs__fail(ctx, ARCS_EINVAL,
                        "unknown country '%s'; use an ISO 3166-1 alpha-2 code the "
                        "database knows, such as KZ",
                        cc);
    free(v);
    return st;
}

static arcs_status case_id_of(arcs_ctx *ctx, char **id, const char *ref)
{
    const char *params[1] = {ref};
    arcs_status st;

    st = arcs__db_value(ctx, id, NULL, "SELECT id::text FROM arcs.cases WHERE ref = $1",
                        1, params);
    if (st == ARCS_ENOTFOUND)
        st = arcs__fail(ctx, ARCS_ENOTFOUND,
                        "case '%s' not found; list cases with 'arcs case list'", ref);
    return st;
}

/* A valuation checked and ready to insert. */
struct val_ready {
    char amount[24];
    char currency[4];
    char date[11];
    const char *method;
};

static arcs_status valuation_prepare(arcs_ctx *ctx, struct val_ready *out,
                                     const arcs_valuation_in *v)
{
    int64_t minor = 0;
    arcs_err err;
    arcs_status st;

    arcs_err_clear(&err);
    out->method = v->method ? v->method : "estimate";
    if (arcs_valuation_method_check(out->method, &err) != ARCS_OK)
        return arcs__fail(ctx, ARCS_EINVAL, "%s", err.msg);
    st = check_date(ctx, out->date, v->valued_on);
    if (st != ARCS_OK)
        return st;
    st = parse_amount(ctx, &minor, v->amount, v->currency);
    if (st != ARCS_OK)
        return st;
    snprintf(out->amount, sizeof(out->amount), "%lld", (long long)minor);
    copy_text(out->currency, sizeof(out->currency), v->currency);
    return ARCS_OK;
}

static arcs_status valuation_insert(arcs_ctx *ctx, int64_t *id, const char *asset_id,
                                    const struct val_ready *v)
{
    const char *params[5] = {asset_id, v->amount, v->currency, v->date, v->method};
    char *out = NULL;
    arcs_status st;

    st =
        arcs__db_value(ctx, &out, NULL,
                       "INSERT INTO arcs.valuations (asset_id, amount, currency,"
                       " valued_on, method) VALUES ($1::bigint, $2::bigint, $3, $4::date,"
                       " $5) RETURNING id::text",
                       5, params);
    if (st == ARCS_OK && id)
        *id = out ? to_i64(out) : 0;
    free(out);
    return st;
}

/* ---- add ---- */

struct add_args {
    int64_t id;
    const char *case_ref, *kind, *description, *country, *identifiers, *custodian,
        *external_ref;
    const arcs_valuation_in *valuation;
};

/* An asset with this external_ref exists: the same content is a retry. */
static arcs_status add_existing(arcs_ctx *ctx, struct add_args *a, const char *case_id,
                                const struct val_ready *v, int *found)
{
    const char *params[12];
    PGresult *res = NULL;
    arcs_status st;

    *found = 0;
    params[0] = a->external_ref;
    params[1] = case_id;
    params[2] = a->kind;
    params[3] = a->description;
    params[4] = a->country;
    params[5] = a->identifiers;
    params[6] = a->custodian;
    params[7] = v ? "1" : NULL;
    params[8] = v ? v->amount : NULL;
    params[9] = v ? v->currency : NULL;
    params[10] = v ? v->date : NULL;
    params[11] = v ? v->method : NULL;
    st = arcs__db_exec(
        ctx, &res,
        "SELECT a.id::text, (a.case_id = $2::bigint AND a.kind = $3 AND a.description = "
        "$4"
        " AND a.country = $5 AND a.identifiers IS NOT DISTINCT FROM $6"
        " AND a.custodian IS NOT DISTINCT FROM $7"
        " AND ($8::text IS NULL OR EXISTS (SELECT 1 FROM arcs.valuations v"
        "  WHERE v.asset_id = a.id AND v.amount = $9::bigint AND v.currency = $10"
        "  AND v.valued_on = $11::date AND v.method = $12)))::text"
        " FROM arcs.assets a WHERE a.external_ref = $1",
        12, params);
    if (st != ARCS_OK || PQntuples(res) < 1)
        goto done;
    *found = 1;
    a->id = to_i64(PQgetvalue(res, 0, 0));
    if (strcmp(PQgetvalue(res, 0, 1), "true") != 0)
        st = arcs__fail(ctx, ARCS_ECONFLICT,
                        "external reference '%s' is already used by asset %lld with"
                        " different content; choose another reference",
                        a->external_ref, (long long)a->id);
done:
    PQclear(res);
    return st;
}

static arcs_status add_body(arcs_ctx *ctx, void *arg)
{
    struct add_args *a = arg;
    struct val_ready v;
    const char *params[7];
    char *case_id = NULL, *id = NULL;
    int found = 0;
    arcs_status st;

    st = case_id_of(ctx, &case_id, a->case_ref);
    if (st != ARCS_OK)
        goto done;
    st = check_country(ctx, a->country);
    if (st != ARCS_OK)
        goto done;
    if (a->valuation) {
        st = valuation_prepare(ctx, &v, a->valuation);
        if (st != ARCS_OK)
            goto done;
    }
    if (a->external_ref) {
        st = add_existing(ctx, a, case_id, a->valuation ? &v : NULL, &found);
        if (st != ARCS_OK || found)
            goto done;
    }
    params[0] = case_id;
    params[1] = a->external_ref;
    params[2] = a->kind;
    params[3] = a->description;
    params[4] = a->country;
    params[5] = a->identifiers;
    params[6] = a->custodian;
    st = arcs__db_value(
        ctx, &id, NULL,
        "INSERT INTO arcs.assets (case_id, external_ref, kind, description,"
        " country, identifiers, custodian) VALUES ($1::bigint, $2, $3, $4,"
        " $5, $6, $7) RETURNING id::text",
        7, params);
    if (st != ARCS_OK)
        goto done;
    a->id = id ? to_i64(id) : 0;
    if (a->valuation)
        st = valuation_insert(ctx, NULL, id, &v);
done:
    free(case_id);
    free(id);
    return st;
}

/* An optional or required text: the shared validator (case_int.h), which
   counts characters, not bytes. */
static arcs_status check_text(arcs_ctx *ctx, const char *text, const char *what,
                              size_t max, int required)
{
    if (!text) {
        if (required)
            return arcs__fail(ctx, ARCS_EINVAL, "missing %s; give one", what);
        return ARCS_OK;
    }
    return arcs__check_text(ctx, what, text, max);
}

arcs_status arcs_asset_add(arcs_ctx *ctx, int64_t *id, const char *case_ref,
                           const char *kind, const char *description, const char *country,
                           const char *identifiers, const char *custodian,
                           const char *external_ref, const arcs_valuation_in *valuation)
{
    struct add_args a = {0,           case_ref,  kind,         description, country,
                         identifiers, custodian, external_ref, valuation};
    arcs_err err;
    arcs_status st;

    arcs__clear(ctx);
    arcs_err_clear(&err);
    if (id)
        *id = 0;
    if (!case_ref || !*case_ref)
        return arcs__fail(ctx, ARCS_EINVAL, "missing case reference; give CASE_REF");
    if (arcs_asset_kind_check(kind, &err) != ARCS_OK)
        return arcs__fail(ctx, ARCS_EINVAL, "%s", err.msg);
    if ((st = check_text(ctx, description, "description", 2000, 1)) != ARCS_OK ||
        (st = check_text(ctx, external_ref, "external reference", 200, 0)) != ARCS_OK ||
        (st = check_text(ctx, identifiers, "identifiers", 2000, 0)) != ARCS_OK ||
        (st = check_text(ctx, custodian, "custodian", 2000, 0)) != ARCS_OK)
        return st;
    st = arcs__db_tx(ctx, 0, add_body, &a);
    if (st == ARCS_OK && id)
        *id = a.id;
    return st;
}

/* ---- valuation ---- */

struct val_args {
    int64_t asset_id;
    int64_t id;
    const arcs_valuation_in *v;
};

static arcs_status asset_missing(arcs_ctx *ctx, int64_t id)
{
    return arcs__fail(ctx, ARCS_ENOTFOUND,
                      "asset %lld not found; list assets with 'arcs asset list'",
                      (long long)id);
}

static arcs_status val_body(arcs_ctx *ctx, void *arg)
{
    struct val_args *a = arg;
    struct val_ready v;
    char idbuf[24];
    const char *params[1] = {idbuf};
    char *found = NULL;
    arcs_status st;

    snprintf(idbuf, sizeof(idbuf), "%lld", (long long)a->asset_id);
    st = arcs__db_value(ctx, &found, NULL,
                        "SELECT id::text FROM arcs.assets WHERE id = $1", 1, params);
    if (st == ARCS_ENOTFOUND)
        st = asset_missing(ctx, a->asset_id);
    if (st != ARCS_OK)
        goto done;
    st = valuation_prepare(ctx, &v, a->v);
    if (st != ARCS_OK)
        goto done;
    st = valuation_insert(ctx, &a->id, idbuf, &v);
done:
    free(found);
    return st;
}

arcs_status arcs_asset_valuation_add(arcs_ctx *ctx, int64_t *id, int64_t asset_id,
                                     const arcs_valuation_in *v)
{
    struct val_args a = {asset_id, 0, v};
    arcs_status st;

    arcs__clear(ctx);
    if (id)
        *id = 0;
    if (!v)
        return arcs__fail(ctx, ARCS_EINVAL,
                          "missing valuation; give an amount and a date");
    st = arcs__db_tx(ctx, 0, val_body, &a);
    if (st == ARCS_OK && id)
        *id = a.id;
    return st;
}

/* ---- transition ---- */

struct tr_args {
    int64_t asset_id;
    arcs_asset_state to;
    const char *decision_ref;
    char date[11];
    const char *amount, *currency, *note;
};

static arcs_status tr_body(arcs_ctx *ctx, void *arg)
{
    struct tr_args *a = arg;
    PGresult *res = NULL;
    char idbuf[24], minor_text[24];
    const char *params[8];
    arcs_asset_state cur;
    char allowed[160];
    char *decision_id = NULL;
    int64_t minor = 0;
    arcs_status st;

    snprintf(idbuf, sizeof(idbuf), "%lld", (long long)a->asset_id);
    params[0] = idbuf;
    params[1] = a->date;
    /* The row lock makes a concurrent transition wait and then see our state. */
    st = arcs__db_exec(ctx, &res,
                       "SELECT state, case_id::text, coalesce(state_since::text, ''),"
                       " coalesce(state_since > $2::date, false)::text"
                       " FROM arcs.assets WHERE id = $1::bigint FOR UPDATE",
                       2, params);
    if (st != ARCS_OK)
        goto done;
    if (PQntuples(res) < 1) {
        st = asset_missing(ctx, a->asset_id);
        goto done;
    }
    if (arcs_asset_state_parse(&cur, PQgetvalue(res, 0, 0), NULL) != ARCS_OK) {
        st = arcs__fail(ctx, ARCS_ERROR,
                        "asset %lld has state '%s' this binary does not"
                        " know; upgrade arcs",
                        (long long)a->asset_id, PQgetvalue(res, 0, 0));
        goto done;
    }
    params[0] = a->decision_ref;
    params[1] = PQgetvalue(res, 0, 1);
    params[2] = a->date;
    {
        PGresult *d = NULL;

        st = arcs__db_exec(ctx, &d,
                           "SELECT d.id::text, (d.case_id IS NULL OR d.case_id ="
                           " $2::bigint)::text, coalesce(c.ref, ''), d.issued_on::text,"
                           " (d.issued_on > $3::date)::text FROM arcs.decisions d"
                           " LEFT JOIN arcs.cases c ON c.id = d.case_id WHERE d.ref = $1",
                           3, params);
        if (st == ARCS_OK && PQntuples(d) < 1)
            st = arcs__fail(ctx, ARCS_ENOTFOUND,
                            "decision '%s' not found; record it first with 'arcs decision"
                            " add'",
                            a->decision_ref);
        else if (st == ARCS_OK && !arcs_asset_move_allowed(cur, a->to)) {
            arcs_asset_moves_text(allowed, sizeof(allowed), cur);
            st = arcs__fail(ctx, ARCS_EREFUSED,
                            "illegal transition: asset %lld is %s and cannot become %s;"
                            " allowed: %s",
                            (long long)a->asset_id, arcs_asset_state_name(cur),
                            arcs_asset_state_name(a->to), allowed);
        } else if (st == ARCS_OK && strcmp(PQgetvalue(d, 0, 1), "true") != 0)
            st = arcs__fail(ctx, ARCS_EREFUSED,
                            "decision '%s' belongs to case %s, not to the case of asset"
                            " %lld; name a decision of the asset's case",
                            a->decision_ref, PQgetvalue(d, 0, 2), (long long)a->asset_id);
        /* the history stays in date order, and follows its decisions */
        else if (st == ARCS_OK && strcmp(PQgetvalue(res, 0, 3), "true") == 0)
            st = arcs__fail(ctx, ARCS_EREFUSED,
                            "asset %lld has been %s since %s; a transition dated %s would"
                            " come before that; give a date on or after %s",
                            (long long)a->asset_id, arcs_asset_state_name(cur),
                            PQgetvalue(res, 0, 2), a->date, PQgetvalue(res, 0, 2));
        else if (st == ARCS_OK && strcmp(PQgetvalue(d, 0, 4), "true") == 0)
            st = arcs__fail(ctx, ARCS_EREFUSED,
                            "decision '%s' was issued on %s; a transition under it cannot"
                            " be dated %s",
                            a->decision_ref, PQgetvalue(d, 0, 3), a->date);
        else if (st == ARCS_OK) {
            decision_id = arcs__strdup(PQgetvalue(d, 0, 0));
            if (!decision_id)
                st = arcs__fail(ctx, ARCS_ERROR, "out of memory");
        }
        PQclear(d);
    }
    if (st != ARCS_OK)
        goto done;
    if (a->to == ARCS_ASSET_REALIZED && !a->amount) {
        st =
            arcs__fail(ctx, ARCS_EINVAL,
                       "a realized asset records its proceeds; give --amount AMOUNT CCY");
        goto done;
    }
    if (a->amount) {
        st = parse_amount(ctx, &minor, a->amount, a->currency);
        if (st != ARCS_OK)
            goto done;
        snprintf(minor_text, sizeof(minor_text), "%lld", (long long)minor);
    }
    params[0] = idbuf;
    params[1] = arcs_asset_state_name(cur);
    params[2] = arcs_asset_state_name(a->to);
    params[3] = decision_id;
    params[4] = a->date;
    params[5] = a->note;
    params[6] = a->amount ? minor_text : NULL;
    params[7] = a->amount ? a->currency : NULL;
    st = arcs__db_exec(
        ctx, NULL,
        "INSERT INTO arcs.asset_transitions (asset_id, from_state, to_state,"
        " decision_id, on_date, note, amount, currency) VALUES ($1::bigint,"
        " $2, $3, $4::bigint, $5::date, $6, $7::bigint, $8)",
        8, params);
    if (st != ARCS_OK)
        goto done;
    /* A decision that moved an asset covers it (reports list them). */
    params[1] = decision_id;
    st = arcs__db_exec(ctx, NULL,
                       "INSERT INTO arcs.decision_assets (decision_id, asset_id)"
                       " VALUES ($2::bigint, $1::bigint) ON CONFLICT DO NOTHING",
                       2, params);
done:
    PQclear(res);
    free(decision_id);
    return st;
}

arcs_status arcs_asset_transition(arcs_ctx *ctx, int64_t asset_id, const char *to_state,
                                  const char *decision_ref, const char *date,
                                  const char *amount, const char *currency,
                                  const char *note)
{
    struct tr_args a;
    arcs_err err;
    arcs_status st;

    arcs__clear(ctx);
    arcs_err_clear(&err);
    memset(&a, 0, sizeof(a));
    a.asset_id = asset_id;
    a.decision_ref = decision_ref;
    a.amount = amount;
    a.currency = currency;
    a.note = note;
    if (asset_id <= 0)
        return asset_missing(ctx, asset_id);
    if (arcs_asset_state_parse(&a.to, to_state, &err) != ARCS_OK)
        return arcs__fail(ctx, ARCS_EINVAL, "%s", err.msg);
    if (!decision_ref || !*decision_ref)
        return arcs__fail(ctx, ARCS_EINVAL,
                          "a transition names its decision; give --decision DREF");
    if ((amount != NULL) != (currency != NULL))
        return arcs__fail(ctx, ARCS_EINVAL, "an amount needs its currency: AMOUNT CCY");
    if ((st = check_date(ctx, a.date, date)) != ARCS_OK ||
        (st = check_text(ctx, note, "note", 2000, 0)) != ARCS_OK)
        return st;
    return arcs__db_tx(ctx, 0, tr_body, &a);
}

/* ---- reading ---- */

void arcs_asset_free(arcs_asset *a)
{
    if (!a)
        return;
    free(a->case_ref);
    free(a->external_ref);
    free(a->description);
    free(a->identifiers);
    free(a->custodian);
    free(a->valuations);
    for (size_t i = 0; i < a->nhistory; i++) {
        free(a->history[i].decision);
        free(a->history[i].actor);
        free(a->history[i].db_user);
        free(a->history[i].note);
    }
    free(a->history);
    free(a);
}

static void asset_clear(arcs_asset *a)
{
    free(a->case_ref);
    free(a->external_ref);
    free(a->description);
    free(a->identifiers);
    free(a->custodian);
    free(a->valuations);
}

void arcs_asset_items_free(arcs_asset_items *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        asset_clear(&l->items[i]);
    free(l->items);
    free(l);
}

/* Columns 0..9 of an asset row, as selected by ASSET_COLUMNS. */
#define ASSET_COLUMNS                                                                    \
    "a.id::text, c.ref, a.external_ref, a.kind, a.description, a.country,"               \
    " a.identifiers, a.custodian, a.state, coalesce(a.state_since::text, '')"

static arcs_status asset_from_row(arcs_ctx *ctx, arcs_asset *a, const PGresult *res,
                                  int row)
{
    arcs_status st;

    a->id = to_i64(PQgetvalue(res, row, 0));
    copy_text(a->kind, sizeof(a->kind), PQgetvalue(res, row, 3));
    copy_text(a->country, sizeof(a->country), PQgetvalue(res, row, 5));
    copy_text(a->state, sizeof(a->state), PQgetvalue(res, row, 8));
    copy_text(a->state_since, sizeof(a->state_since), PQgetvalue(res, row, 9));
    if ((st = dup_col(ctx, &a->case_ref, res, row, 1)) != ARCS_OK ||
        (st = dup_col(ctx, &a->external_ref, res, row, 2)) != ARCS_OK ||
        (st = dup_col(ctx, &a->description, res, row, 4)) != ARCS_OK ||
        (st = dup_col(ctx, &a->identifiers, res, row, 6)) != ARCS_OK ||
        (st = dup_col(ctx, &a->custodian, res, row, 7)) != ARCS_OK)
        return st;
    return ARCS_OK;
}

/* Columns from `col`: id, amount, currency, exponent, valued_on, method. */
static void valuation_from_row(arcs_valuation *v, const PGresult *res, int row, int col)
{
    v->id = to_i64(PQgetvalue(res, row, col));
    v->amount = to_i64(PQgetvalue(res, row, col + 1));
    copy_text(v->currency, sizeof(v->currency), PQgetvalue(res, row, col + 2));
    v->exponent = (int)to_i64(PQgetvalue(res, row, col + 3));
    copy_text(v->valued_on, sizeof(v->valued_on), PQgetvalue(res, row, col + 4));
    copy_text(v->method, sizeof(v->method), PQgetvalue(res, row, col + 5));
}

struct get_args {
    int64_t id;
    arcs_asset *out;
};

static arcs_status valuation_row(arcs_ctx *ctx, const PGresult *res, int row, void *item,
                                 void *arg)
{
    (void)ctx;
    (void)arg;
    valuation_from_row(item, res, row, 0);
    return ARCS_OK;
}

static arcs_status transition_row(arcs_ctx *ctx, const PGresult *res, int i, void *item,
                                  void *arg)
{
    arcs_transition *t = item;
    arcs_status st;

    (void)arg;
    t->id = to_i64(PQgetvalue(res, i, 0));
    copy_text(t->from, sizeof(t->from), PQgetvalue(res, i, 1));
    copy_text(t->to, sizeof(t->to), PQgetvalue(res, i, 2));
    copy_text(t->date, sizeof(t->date), PQgetvalue(res, i, 3));
    if ((st = dup_col(ctx, &t->decision, res, i, 4)) != ARCS_OK ||
        (st = dup_col(ctx, &t->actor, res, i, 5)) != ARCS_OK ||
        (st = dup_col(ctx, &t->db_user, res, i, 6)) != ARCS_OK ||
        (st = dup_col(ctx, &t->note, res, i, 7)) != ARCS_OK)
        return st;
    if (!PQgetisnull(res, i, 8)) {
        t->has_amount = 1;
        t->amount = to_i64(PQgetvalue(res, i, 8));
        copy_text(t->currency, sizeof(t->currency), PQgetvalue(res, i, 9));
        t->exponent = (int)to_i64(PQgetvalue(res, i, 10));
    }
    return ARCS_OK;
}

static arcs_status get_history(arcs_ctx *ctx, arcs_asset *a, const char *const *params)
{
    void *items = NULL;
    arcs_status st;

    st = arcs__db_rows(
        ctx,
        "SELECT t.id::text, t.from_state, t.to_state, t.on_date::text, d.ref, t.actor,"
        " t.db_user, t.note, t.amount::text, t.currency, cu.exponent::text"
        " FROM arcs.asset_transitions t JOIN arcs.decisions d ON d.id = t.decision_id"
        " LEFT JOIN arcs.currencies cu ON cu.code = t.currency"
        " WHERE t.asset_id = $1::bigint ORDER BY t.id",
        1, params, transition_row, NULL, sizeof(*a->history), &items, &a->nhistory);
    a->history = items;
    return st;
}

static arcs_status get_body(arcs_ctx *ctx, void *arg)
{
    struct get_args *g = arg;
    PGresult *res = NULL;
    char idbuf[24];
    const char *params[1] = {idbuf};
    void *items = NULL;
    arcs_asset *a;
    arcs_status st;

    snprintf(idbuf, sizeof(idbuf), "%lld", (long long)g->id);
    a = calloc(1, sizeof(*a));
    if (!a)
        return arcs__fail(ctx, ARCS_ERROR, "out of memory");
    st = arcs__db_exec(ctx, &res,
                       "SELECT " ASSET_COLUMNS " FROM arcs.assets a JOIN arcs.cases c"
                       " ON c.id = a.case_id WHERE a.id = $1::bigint",
                       1, params);
    if (st != ARCS_OK)
        goto done;
    if (PQntuples(res) < 1) {
        st = asset_missing(ctx, g->id);
        goto done;
    }
    st = asset_from_row(ctx, a, res, 0);
    if (st != ARCS_OK)
        goto done;
    st = arcs__db_rows(ctx,
                       "SELECT v.id::text, v.amount::text, v.currency, cu.exponent::text,"
                       " v.valued_on::text, v.method FROM arcs.valuations v"
                       " JOIN arcs.currencies cu ON cu.code = v.currency"
                       " WHERE v.asset_id = $1::bigint ORDER BY v.valued_on, v.id",
                       1, params, valuation_row, NULL, sizeof(*a->valuations), &items,
                       &a->nvaluations);
    a->valuations = items;
    if (st != ARCS_OK)
        goto done;
    st = get_history(ctx, a, params);
done:
    PQclear(res);
    if (st == ARCS_OK) {
        arcs_asset_free(g->out);
        g->out = a;
    } else {
        arcs_asset_free(a);
    }
    return st;
}

arcs_status arcs_asset_get(arcs_ctx *ctx, arcs_asset **out, int64_t id)
{
    struct get_args g = {id, NULL};
    arcs_status st;

    arcs__clear(ctx);
    *out = NULL;
    if (id <= 0)
        return asset_missing(ctx, id);
    st = arcs__db_tx(ctx, ARCS__TX_READONLY, get_body, &g);
    if (st == ARCS_OK)
        *out = g.out;
    else
        arcs_asset_free(g.out);
    return st;
}

struct list_args {
    const arcs_asset_filter *f;
    arcs_asset_items *out;
};

/* An asset row of the list, with its latest valuation from column 10. */
static arcs_status list_row(arcs_ctx *ctx, const PGresult *res, int i, void *item,
                            void *arg)
{
    arcs_asset *a = item;
    arcs_status st;

    (void)arg;
    st = asset_from_row(ctx, a, res, i);
    if (st != ARCS_OK || PQgetisnull(res, i, 10))
        return st;
    a->valuations = calloc(1, sizeof(*a->valuations));
    if (!a->valuations)
        return arcs__fail(ctx, ARCS_ERROR, "out of memory");
    valuation_from_row(a->valuations, res, i, 10);
    a->nvaluations = 1;
    return ARCS_OK;
}

static arcs_status list_body(arcs_ctx *ctx, void *arg)
{
    struct list_args *l = arg;
    const arcs_asset_filter *f = l->f;
    const char *params[3];
    char *case_id = NULL;
    arcs_asset_items *items;
    void *rows = NULL;
    arcs_status st;

    items = calloc(1, sizeof(*items));
    if (!items)
        return arcs__fail(ctx, ARCS_ERROR, "out of memory");
    if (f->case_ref) {
        st = case_id_of(ctx, &case_id, f->case_ref);
        if (st != ARCS_OK)
            goto done;
    }
    params[0] = case_id;
    params[1] = f->state;
    params[2] = f->country;
    st = arcs__db_rows(
        ctx,
        "SELECT " ASSET_COLUMNS ", v.id::text, v.amount::text, v.currency,"
        " cu.exponent::text, v.valued_on::text, v.method"
        " FROM arcs.assets a JOIN arcs.cases c ON c.id = a.case_id"
        " LEFT JOIN LATERAL (SELECT * FROM arcs.valuations x WHERE x.asset_id = a.id"
        "  ORDER BY x.valued_on DESC, x.id DESC LIMIT 1) v ON true"
        " LEFT JOIN arcs.currencies cu ON cu.code = v.currency"
        " WHERE ($1::bigint IS NULL OR a.case_id = $1::bigint)"
        " AND ($2::text IS NULL OR a.state = $2) AND ($3::text IS NULL OR a.country = $3)"
        " ORDER BY a.id",
        3, params, list_row, NULL, sizeof(*items->items), &rows, &items->n);
    items->items = rows;
done:
    free(case_id);
    if (st == ARCS_OK) {
        arcs_asset_items_free(l->out);
        l->out = items;
    } else {
        arcs_asset_items_free(items);
    }
    return st;
}

arcs_status arcs_asset_list(arcs_ctx *ctx, arcs_asset_items **out,
                            const arcs_asset_filter *filter)
{
    arcs_asset_filter none = {NULL, NULL, NULL};
    struct list_args l = {filter ? filter : &none, NULL};
    arcs_asset_state s;
    arcs_err err;
    arcs_status st;

    arcs__clear(ctx);
    arcs_err_clear(&err);
    *out = NULL;
    if (l.f->state && arcs_asset_state_parse(&s, l.f->state, &err) != ARCS_OK)
        return arcs__fail(ctx, ARCS_EINVAL, "%s", err.msg);
    if (l.f->country && arcs_country_code_check(l.f->country, &err) != ARCS_OK)
        return arcs__fail(ctx, ARCS_EINVAL, "%s", err.msg);
    st = arcs__db_tx(ctx, ARCS__TX_READONLY, list_body, &l);
    if (st == ARCS_OK)
        *out = l.out;
    else
        arcs_asset_items_free(l.out);
    return st;
}
