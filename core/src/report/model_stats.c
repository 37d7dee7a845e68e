/*
 * Statistics for a calendar year, as regulators ask (EU Directive 2014/42
 * Art. 11, Regulation 2018/1805 Art. 35, FATF R.33). Our reading of each
 * figure is written in docs/reports.md; in short:
 *   freezing_orders, confiscation_orders: decisions of that kind issued in
 *     the year;
 *   value_frozen / value_confiscated: each asset that became frozen /
 *     confiscated in the year (first such transition in the year), at its
 *     latest valuation on or before that date, converted at the latest rate
 *     on or before that date;
 *   value_recovered: receipts (receive, escrow_in) dated in the year, in the
 *     base amount fixed at receipt, net of reversals;
 *   requests: return and sharing agreements issued in the year are requests
 *     to other states (concluded when final); assets returned abroad in the
 *     year are requests from other states, executed;
 *   victims: deductions of kind victim in the year;
 *   average duration: for cases whose first confiscation became final in
 *     the year, days from opening to that date.
 * A case with several offences counts under each: by_offence rows overlap.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../db_int.h"
#include "report_int.h"

static const char *const kinds[] = {
    "real_estate", "bank_account",    "securities", "company_shares", "vehicle", "cash",
    "crypto",      "precious_metals", "art",        "other"};
static const char *const offences[] = {"bribery",
                                       "embezzlement",
                                       "trading_in_influence",
                                       "abuse_of_functions",
                                       "illicit_enrichment",
                                       "money_laundering",
                                       "concealment",
                                       "other"};
#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))
#define NOFF (sizeof(offences) / sizeof(offences[0]))

enum {
    M_FREEZE_ORDERS,
    M_CONF_ORDERS,
    M_FROZEN_N,
    M_FROZEN_V,
    M_CONF_N,
    M_CONF_V,
    M_RECOVERED,
    M_N
};

typedef struct tally {
    int64_t total[M_N];
    int64_t by_kind[NKINDS][M_N];
    int64_t by_off[NOFF][M_N];
} tally;

static int kind_index(const char *k)
{
    for (size_t i = 0; i < NKINDS; i++)
        if (!strcmp(kinds[i], k))
            return (int)i;
    return (int)NKINDS - 1;
}

/* offs: "bribery,money_laundering" (array_to_string). */
static void add(rep_doc *d, tally *t, int metric, const char *kind, const char *offs,
                int64_t v, int to_total)
{
    if (to_total)
        t->total[metric] = arcs__rep_add(d, t->total[metric], v);
    if (kind && *kind)
        t->by_kind[kind_index(kind)][metric] =
            arcs__rep_add(d, t->by_kind[kind_index(kind)][metric], v);
    for (size_t i = 0; offs && i < NOFF; i++) {
        const char *p = offs;
        size_t n = strlen(offences[i]);
        while ((p = strstr(p, offences[i])) != NULL) {
            if ((p == offs || p[-1] == ',') && (p[n] == ',' || p[n] == '\0')) {
                t->by_off[i][metric] = arcs__rep_add(d, t->by_off[i][metric], v);
                break;
            }
            p += n;
        }
    }
}

static int64_t num(rep_doc *d, const PGresult *res, int row, int col)
{
    return arcs__rep_i64(d,
                         PQgetisnull(res, row, col) ? NULL : PQgetvalue(res, row, col));
}

/* Assets that reached state in the year, valued and converted at that date. */
static arcs_status values_at(arcs_ctx *ctx, rep_doc *d, tally *t, const char *year,
                             const char *state, int m_count, int m_value,
                             rep_table *detail, int64_t *unvalued)
{
    const char *params[2] = {year, state};
    PGresult *res = NULL;
    arcs_status st;

    st = arcs__db_exec(
        ctx, &res,
        "SELECT DISTINCT ON (t.asset_id) t.asset_id::text, t.on_date::text, a.kind,"
        " pg_catalog.array_to_string(c.offences, ','), v.amount::text, v.currency,"
        " cu.exponent::text, v.valued_on::text, c.ref"
        " FROM arcs.asset_transitions t JOIN arcs.assets a ON a.id = t.asset_id"
        " JOIN arcs.cases c ON c.id = a.case_id"
        " LEFT JOIN LATERAL (SELECT v.amount, v.currency, v.valued_on FROM "
        "arcs.valuations v"
        "   WHERE v.asset_id = t.asset_id AND v.valued_on <= t.on_date"
        "   ORDER BY v.valued_on DESC, v.id DESC LIMIT 1) v ON true"
        " LEFT JOIN arcs.currencies cu ON cu.code = v.currency"
        " WHERE t.to_state = $2 AND t.on_date >= pg_catalog.make_date($1::int, 1, 1)"
        " AND t.on_date < pg_catalog.make_date($1::int + 1, 1, 1)"
        " ORDER BY t.asset_id, t.on_date, t.id",
        2, params);
    if (st != ARCS_OK)
        goto done;
    for (int r = 0; r < PQntuples(res); r++) {
        int64_t base = 0;
        size_t row;
        add(d, t, m_count, PQgetvalue(res, r, 2), PQgetvalue(res, r, 3), 1, 1);
        if (PQgetisnull(res, r, 4)) {
            (*unvalued)++;
            continue;
        }
        st = arcs__report_convert(ctx, d, &base, num(d, res, r, 4), PQgetvalue(res, r, 5),
                                  (int)num(d, res, r, 6), PQgetvalue(res, r, 1));
        if (st != ARCS_OK)
            goto done;
        add(d, t, m_value, PQgetvalue(res, r, 2), PQgetvalue(res, r, 3), base, 1);
        if (!detail)
            continue;
        row = arcs__table_row(d, detail);
        arcs__cell_text(d, detail, row, 0, PQgetvalue(res, r, 0));
        arcs__cell_text(d, detail, row, 1, PQgetvalue(res, r, 8));
        arcs__cell_text(d, detail, row, 2, PQgetvalue(res, r, 2));
        arcs__cell_text(d, detail, row, 3, state);
        arcs__cell_text(d, detail, row, 4, PQgetvalue(res, r, 1));
        arcs__cell_money(detail, row, 5, num(d, res, r, 4), (int)num(d, res, r, 6),
                         PQgetvalue(res, r, 5));
        arcs__cell_text(d, detail, row, 6, PQgetvalue(res, r, 5));
        arcs__cell_text(d, detail, row, 7, PQgetvalue(res, r, 7));
        arcs__cell_money(detail, row, 8, base, d->exp, d->currency);
    }
done:
    PQclear(res);
    return st;
}

static arcs_status orders(arcs_ctx *ctx, rep_doc *d, tally *t, const char *year,
                          const char *kind, int metric)
{
    const char *params[2] = {year, kind};
    PGresult *res = NULL;
    arcs_status st;

    /* One row per decision; its asset kinds, distinct, as a list. */
    st = arcs__db_exec(
        ctx, &res,
        "SELECT x.id::text, coalesce(pg_catalog.array_to_string(c.offences, ','), ''),"
        " coalesce((SELECT pg_catalog.string_agg(DISTINCT a.kind, ',') FROM"
        "   arcs.decision_assets da JOIN arcs.assets a ON a.id = da.asset_id"
        "   WHERE da.decision_id = x.id), '')"
        " FROM arcs.decisions x LEFT JOIN arcs.cases c ON c.id = x.case_id"
        " WHERE x.kind = $2 AND x.issued_on >= pg_catalog.make_date($1::int, 1, 1)"
        " AND x.issued_on < pg_catalog.make_date($1::int + 1, 1, 1)",
        2, params);
    if (st != ARCS_OK)
        goto done;
    for (int r = 0; r < PQntuples(res); r++) {
        char ks[256], *k = ks, *comma;
        add(d, t, metric, NULL, PQgetvalue(res, r, 1), 1, 1);
        snprintf(ks, sizeof(ks), "%s", PQgetvalue(res, r, 2));
        while (*k) {
            comma = strchr(k, ',');
            if (comma)
                *comma = '\0';
            add(d, t, metric, k, NULL, 1, 0);
            if (!comma)
                break;
            k = comma + 1;
        }
    }
done:
    PQclear(res);
    return st;
}

static void breakdown(rep_doc *d, const char *key, const char *title, const char *col0,
                      const char *const *names, size_t n, int64_t (*rows)[M_N])
{
    char c0[64];
    const char *cols[8];
    rep_table *t;

    snprintf(c0, sizeof(c0), "%s", col0);
    cols[0] = c0;
    cols[1] = "freezing_orders:Freezing orders";
    cols[2] = "confiscation_orders:Confiscation orders";
    cols[3] = "assets_frozen:Assets frozen";
    cols[4] = "value_frozen:Value frozen";
    cols[5] = "assets_confiscated:Assets confiscated";
    cols[6] = "value_confiscated:Value confiscated";
    cols[7] = "value_recovered:Value recovered";
    t = arcs__doc_table(d, key, title, 8, cols);
    for (size_t i = 0; t && i < n; i++) {
        size_t r = arcs__table_row(d, t);
        arcs__cell_text(d, t, r, 0, names[i]);
        arcs__cell_count(t, r, 1, rows[i][M_FREEZE_ORDERS]);
        arcs__cell_count(t, r, 2, rows[i][M_CONF_ORDERS]);
        arcs__cell_count(t, r, 3, rows[i][M_FROZEN_N]);
        arcs__cell_money(t, r, 4, rows[i][M_FROZEN_V], d->exp, d->currency);
        arcs__cell_count(t, r, 5, rows[i][M_CONF_N]);
        arcs__cell_money(t, r, 6, rows[i][M_CONF_V], d->exp, d->currency);
        arcs__cell_money(t, r, 7, rows[i][M_RECOVERED], d->exp, d->currency);
    }
}

arcs_status arcs__model_stats(arcs_ctx *ctx, rep_doc *d, int year)
{
    char y[8], title[96];
    const char *params[1] = {y};
    PGresult *res = NULL;
    tally *t = calloc(1, sizeof(*t));
    int64_t unvalued = 0, victims_n = 0, victims_v = 0, sent = 0, concluded = 0,
            returned_n = 0, returned_v = 0, dur_n = 0;
    char dur[32] = "";
    int has_ledger = 0;
    rep_table *detail;
    rep_chart *ch;
    arcs_status st;

    if (!t)
        return arcs__fail(ctx, ARCS_ERROR, "out of memory");
    snprintf(y, sizeof(y), "%d", year);
    snprintf(title, sizeof(title), "Asset recovery statistics %d", year);
    d->title = arcs__strdup(title);
    d->subtitle =
        arcs__strdup("EU Directive 2014/42 Art. 11 · Regulation 2018/1805 Art. 35 · "
                     "FATF R.33");
    {
        static const char *const cols[] = {"asset:Asset",
                                           "case:Case",
                                           "kind:Kind",
                                           "event:Event",
                                           "date:Date",
                                           "valuation:Valuation",
                                           "valuation_currency:Currency",
                                           "valued_on:Valued on",
                                           "value:Value"};
        detail = arcs__doc_table(d, "assets", "Assets frozen and confiscated in the year",
                                 9, cols);
    }
    if ((st = orders(ctx, d, t, y, "freeze", M_FREEZE_ORDERS)) != ARCS_OK ||
        (st = orders(ctx, d, t, y, "confiscation", M_CONF_ORDERS)) != ARCS_OK ||
        (st = values_at(ctx, d, t, y, "frozen", M_FROZEN_N, M_FROZEN_V, detail,
                        &unvalued)) != ARCS_OK ||
        (st = values_at(ctx, d, t, y, "confiscated", M_CONF_N, M_CONF_V, detail,
                        &unvalued)) != ARCS_OK)
        goto done;
    {
        tally scratch = {0};
        rep_table *none = NULL;
        st = values_at(ctx, d, &scratch, y, "returned_abroad", M_FROZEN_N, M_FROZEN_V,
                       none, &unvalued);
        if (st != ARCS_OK)
            goto done;
        returned_n = scratch.total[M_FROZEN_N];
        returned_v = scratch.total[M_FROZEN_V];
    }
    st = arcs__report_has(ctx, "arcs.ledger_transfers", &has_ledger);
    if (st != ARCS_OK)
        goto done;
    if (has_ledger) {
        st = arcs__db_exec(
            ctx, &res,
            "SELECT CASE WHEN t.kind = 'reverse' THEN -t.amount ELSE t.amount END::text,"
            " coalesce(a.kind, ''), coalesce(pg_catalog.array_to_string(c.offences, "
            "','), ''),"
            " CASE WHEN coalesce(o.kind, t.kind) = 'deduct' THEN 'deduct' ELSE 'in' END,"
            " coalesce(o.sub_kind, t.sub_kind, '')"
            " FROM arcs.ledger_transfers t"
            " LEFT JOIN arcs.ledger_transfers o ON o.id = t.reverses"
            " LEFT JOIN arcs.assets a ON a.id = coalesce(t.asset_id, o.asset_id)"
            " LEFT JOIN arcs.cases c ON c.id = coalesce(t.case_id, o.case_id, a.case_id)"
            " WHERE coalesce(o.kind, t.kind) IN ('receive', 'escrow_in', 'deduct')"
            " AND t.value_date >= pg_catalog.make_date($1::int, 1, 1)"
            " AND t.value_date < pg_catalog.make_date($1::int + 1, 1, 1)",
            1, params);
        if (st != ARCS_OK)
            goto done;
        for (int r = 0; r < PQntuples(res); r++) {
            int64_t v = num(d, res, r, 0);
            if (!strcmp(PQgetvalue(res, r, 3), "in")) {
                add(d, t, M_RECOVERED, PQgetvalue(res, r, 1), PQgetvalue(res, r, 2), v,
                    1);
            } else if (!strcmp(PQgetvalue(res, r, 4), "victim")) {
                victims_n += v > 0 ? 1 : -1;
                victims_v = arcs__rep_add(d, victims_v, v);
            }
        }
        PQclear(res);
        res = NULL;
    }
    st = arcs__db_exec(
        ctx, &res,
        "SELECT count(*)::text, count(*) FILTER (WHERE x.final_on IS NOT NULL"
        "   AND x.final_on < pg_catalog.make_date($1::int + 1, 1, 1))::text"
        " FROM arcs.decisions x WHERE x.kind IN ('return_agreement', 'sharing_agreement')"
        " AND x.issued_on >= pg_catalog.make_date($1::int, 1, 1)"
        " AND x.issued_on < pg_catalog.make_date($1::int + 1, 1, 1)",
        1, params);
    if (st != ARCS_OK)
        goto done;
    sent = num(d, res, 0, 0);
    concluded = num(d, res, 0, 1);
    PQclear(res);
    res = NULL;
    st = arcs__db_exec(
        ctx, &res,
        "SELECT count(*)::text, coalesce(pg_catalog.round(avg(d))::text, '')"
        " FROM (SELECT min(x.final_on) - c.opened_on AS d FROM arcs.decisions x"
        "   JOIN arcs.cases c ON c.id = x.case_id WHERE x.kind = 'confiscation'"
        "   AND x.final_on >= pg_catalog.make_date($1::int, 1, 1)"
        "   AND x.final_on < pg_catalog.make_date($1::int + 1, 1, 1)"
        "   GROUP BY c.id, c.opened_on) s",
        1, params);
    if (st != ARCS_OK)
        goto done;
    dur_n = num(d, res, 0, 0);
    snprintf(dur, sizeof(dur), "%s", PQgetvalue(res, 0, 1));
    PQclear(res);
    res = NULL;

    arcs__doc_field_count(d, "year", "Year", year);
    arcs__doc_field_count(d, "freezing_orders", "Freezing orders",
                          t->total[M_FREEZE_ORDERS]);
    arcs__doc_field_count(d, "confiscation_orders", "Confiscation orders",
                          t->total[M_CONF_ORDERS]);
    arcs__doc_field_count(d, "assets_frozen", "Assets frozen", t->total[M_FROZEN_N]);
    arcs__doc_field_money(d, "value_frozen", "Value frozen (at freezing)",
                          t->total[M_FROZEN_V]);
    arcs__doc_field_count(d, "assets_confiscated", "Assets confiscated",
                          t->total[M_CONF_N]);
    arcs__doc_field_money(d, "value_confiscated", "Value confiscated (at confiscation)",
                          t->total[M_CONF_V]);
    arcs__doc_field_money(d, "value_recovered", "Value recovered", t->total[M_RECOVERED]);
    arcs__doc_field_count(d, "requests_sent", "Requests to other states (agreements)",
                          sent);
    arcs__doc_field_count(d, "requests_concluded", "Of which concluded (final)",
                          concluded);
    arcs__doc_field_count(d, "requests_received", "Requests from other states executed",
                          returned_n);
    arcs__doc_field_money(d, "value_returned_abroad", "Value returned abroad",
                          returned_v);
    arcs__doc_field_count(d, "victims_compensated", "Victim compensations", victims_n);
    arcs__doc_field_money(d, "value_to_victims", "Paid to victims", victims_v);
    arcs__doc_field_count(d, "cases_confiscation_final", "Cases with confiscation final",
                          dur_n);
    arcs__doc_field_text(d, "average_duration_days",
                         "Average duration, opening to final "
                         "confiscation (days)",
                         dur);
    arcs__doc_field_count(d, "assets_unvalued",
                          "Assets with no valuation before the event", unvalued);
    breakdown(d, "by_asset_kind", "By asset kind", "kind:Asset kind", kinds, NKINDS,
              t->by_kind);
    breakdown(d, "by_offence", "By offence (a case counts under each of its offences)",
              "offence:Offence", offences, NOFF, t->by_off);

    ch = arcs__doc_chart(d, REP_CHART_BARS, "Value confiscated by asset kind", 1);
    for (size_t i = 0; i < NKINDS; i++)
        if (t->by_kind[i][M_CONF_V] > 0)
            arcs__chart_bar(d, ch, kinds[i], t->by_kind[i][M_CONF_V]);
    ch = arcs__doc_chart(d, REP_CHART_BARS, "Value frozen by asset kind", 1);
    for (size_t i = 0; i < NKINDS; i++)
        if (t->by_kind[i][M_FROZEN_V] > 0)
            arcs__chart_bar(d, ch, kinds[i], t->by_kind[i][M_FROZEN_V]);
    if (has_ledger) {
        st = arcs__report_bars(
            ctx, d, "Recoveries by year", 1,
            "SELECT pg_catalog.date_part('year', t.value_date)::int::text,"
            " sum(CASE WHEN t.kind = 'reverse' THEN -t.amount ELSE t.amount END)::text"
            " FROM arcs.ledger_transfers t LEFT JOIN arcs.ledger_transfers o ON o.id = "
            "t.reverses"
            " WHERE coalesce(o.kind, t.kind) IN ('receive', 'escrow_in') GROUP BY 1 "
            "ORDER BY 1",
            0, NULL);
        if (st != ARCS_OK)
            goto done;
    }
    st = arcs__report_bars(ctx, d, "All assets by current state", 0,
                           "SELECT state, count(*)::text FROM arcs.assets GROUP BY state"
                           " ORDER BY count(*) DESC, state",
                           0, NULL);
    if (st != ARCS_OK)
        goto done;
    if (unvalued)
        arcs__doc_note(d,
                       "%lld asset event(s) had no valuation on or before the event date "
                       "and add nothing to the values",
                       (long long)unvalued);
    arcs__doc_note(
        d, "requests to other states are return and sharing agreements issued in "
           "the year; requests from other states are assets returned abroad in the "
           "year");
done:
    PQclear(res);
    free(t);
    return st;
}
