/*
 * The funds report: receipts, deductions, escrow, allocations and
 * disbursements between two dates, and a monthly roll-forward of the money
 * the state holds (fund + escrow + projects' undisbursed allocations):
 *   opening + received - deducted - returned to owners - disbursed = closing
 * where the flows are summed by what they are and the balances by where the
 * money sits. They are computed apart and compared here; a report that does
 * not balance is refused (ARCS_ERROR), never printed.
 *
 * Every figure is net of reversals: a reversal moves money back between the
 * same accounts, so summing signed flows between account kinds nets it out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arcs/money.h"
#include "../db_int.h"
#include "report_int.h"

/* Transfers with their account kinds and codes, and the report's window
   (lo..hi: the given dates, else the ledger's first and last value dates). */
#define CTE                                                                              \
    "WITH t AS (SELECT tr.amount, tr.value_date,"                                        \
    " coalesce(tr.case_id, o.case_id) AS case_id,"                                       \
    " coalesce(tr.asset_id, o.asset_id) AS asset_id,"                                    \
    " coalesce(tr.project_id, o.project_id) AS project_id,"                              \
    " da.kind AS dk, da.code AS dc, ca.kind AS ck, ca.code AS cc"                        \
    " FROM arcs.ledger_transfers tr"                                                     \
    " LEFT JOIN arcs.ledger_transfers o ON o.id = tr.reverses"                           \
    " JOIN arcs.ledger_accounts da ON da.id = tr.debit_account"                          \
    " JOIN arcs.ledger_accounts ca ON ca.id = tr.credit_account),"                       \
    " b AS (SELECT coalesce($1::date, (SELECT min(value_date) FROM t), current_date) "   \
    "AS lo,"                                                                             \
    " coalesce($2::date, greatest((SELECT max(value_date) FROM t), $1::date),"           \
    "   current_date) AS hi) "

#define REC                                                                              \
    "(CASE WHEN dk = 'case' AND ck IN ('fund', 'escrow') THEN amount"                    \
    " WHEN ck = 'case' AND dk IN ('fund', 'escrow') THEN -amount ELSE 0 END)"
#define DED                                                                              \
    "(CASE WHEN cc LIKE 'external:deduction:%' THEN amount"                              \
    " WHEN dc LIKE 'external:deduction:%' THEN -amount ELSE 0 END)"
#define RET                                                                              \
    "(CASE WHEN cc = 'external:owner' THEN amount"                                       \
    " WHEN dc = 'external:owner' THEN -amount ELSE 0 END)"
#define ALLOC                                                                            \
    "(CASE WHEN dk = 'fund' AND ck = 'project' THEN amount"                              \
    " WHEN dk = 'project' AND ck = 'fund' THEN -amount ELSE 0 END)"
#define DISB                                                                             \
    "(CASE WHEN dk = 'project' AND ck = 'external' THEN amount"                          \
    " WHEN ck = 'project' AND dk = 'external' THEN -amount ELSE 0 END)"
#define HOLD                                                                             \
    "(CASE WHEN ck IN ('fund', 'escrow', 'project') THEN amount ELSE 0 END"              \
    " - CASE WHEN dk IN ('fund', 'escrow', 'project') THEN amount ELSE 0 END)"
#define BAL(kind)                                                                        \
    "(CASE WHEN ck = '" kind "' THEN amount ELSE 0 END"                                  \
    " - CASE WHEN dk = '" kind "' THEN amount ELSE 0 END)"

static int64_t num(rep_doc *d, const PGresult *res, int row, int col)
{
    return arcs__rep_i64(d,
                         PQgetisnull(res, row, col) ? NULL : PQgetvalue(res, row, col));
}

static void money_text(char *buf, const rep_doc *d, int64_t v)
{
    char m[64];

    arcs__money_human(m, sizeof(m), v, d->exp);
    snprintf(buf, 80, "%s %s", m, d->currency);
}

static arcs_status rollforward(arcs_ctx *ctx, rep_doc *d, const char *const *params,
                               int64_t *closing_out)
{
    static const char *const cols[] = {"from:From",
                                       "to:To",
                                       "opening:Opening",
                                       "received:+ Received",
                                       "deducted:− Deducted",
                                       "returned:− Returned to owners",
                                       "disbursed:− Disbursed",
                                       "closing:= Closing"};
    PGresult *res = NULL;
    rep_table *t;
    arcs_status st;
    char a[80], b[80], c[80];

    st = arcs__db_exec(
        ctx, &res,
        CTE ", m AS (SELECT greatest(g::date, b.lo) AS s,"
            " least((g + interval '1 month' - interval '1 day')::date, b.hi) AS e"
            " FROM b, pg_catalog.generate_series(pg_catalog.date_trunc('month', b.lo),"
            "   pg_catalog.date_trunc('month', b.hi), interval '1 month') g)"
            " SELECT m.s::text, m.e::text,"
            " (SELECT coalesce(sum(" HOLD "), 0) FROM t WHERE t.value_date < m.s)::text,"
            " (SELECT coalesce(sum(" REC
            "), 0) FROM t WHERE t.value_date BETWEEN m.s AND m.e)::text,"
            " (SELECT coalesce(sum(" DED
            "), 0) FROM t WHERE t.value_date BETWEEN m.s AND m.e)::text,"
            " (SELECT coalesce(sum(" RET
            "), 0) FROM t WHERE t.value_date BETWEEN m.s AND m.e)::text,"
            " (SELECT coalesce(sum(" DISB
            "), 0) FROM t WHERE t.value_date BETWEEN m.s AND m.e)::text,"
            " (SELECT coalesce(sum(" HOLD "), 0) FROM t WHERE t.value_date <= m.e)::text"
            " FROM m ORDER BY m.s",
        2, params);
    if (st != ARCS_OK)
        goto done;
    t = arcs__doc_table(d, "rollforward",
                        "Roll-forward of the money held (fund, escrow, "
                        "projects)",
                        8, cols);
    if (t)
        t->note =
            arcs__strdup("opening + received − deducted − returned − disbursed = "
                         "closing, checked for every period when the report is made");
    for (int r = 0; r < PQntuples(res); r++) {
        int64_t open = num(d, res, r, 2), in = num(d, res, r, 3), ded = num(d, res, r, 4),
                ret = num(d, res, r, 5), dis = num(d, res, r, 6),
                close = num(d, res, r, 7);
        size_t row;
        int64_t sum = arcs__rep_sub(
            d, arcs__rep_sub(d, arcs__rep_sub(d, arcs__rep_add(d, open, in), ded), ret),
            dis);
        if (d->overflow)
            break; /* refused as a whole (doc.c) */
        if (sum != close) {
            money_text(a, d, sum);
            money_text(b, d, close);
            st = arcs__fail(
                ctx, ARCS_ERROR,
                "the funds roll-forward for %s to %s does not balance: opening + "
                "in - out gives %s but the accounts hold %s; run 'arcs audit "
                "verify' and check the ledger",
                PQgetvalue(res, r, 0), PQgetvalue(res, r, 1), a, b);
            goto done;
        }
        row = arcs__table_row(d, t);
        arcs__cell_text(d, t, row, 0, PQgetvalue(res, r, 0));
        arcs__cell_text(d, t, row, 1, PQgetvalue(res, r, 1));
        for (int k = 2; k < 8; k++)
            arcs__cell_money(t, row, (size_t)k, num(d, res, r, k), d->exp, d->currency);
        *closing_out = close;
    }
    (void)c;
done:
    PQclear(res);
    return st;
}

arcs_status arcs__model_funds(arcs_ctx *ctx, rep_doc *d, const char *from, const char *to)
{
    const char *params[2] = {from, to};
    PGresult *res = NULL;
    int has = 0;
    int64_t closing = 0, v[8];
    char title[160], a[80], b[80];
    rep_table *t;
    rep_chart *ch;
    arcs_status st;

    st = arcs__report_has(ctx, "arcs.ledger_transfers", &has);
    if (st != ARCS_OK)
        goto done;
    if (!has) {
        st =
            arcs__fail(ctx, ARCS_ERROR, "the database has no ledger; run 'arcs db init'");
        goto done;
    }
    st = arcs__db_exec(
        ctx, &res,
        CTE "SELECT b.lo::text, b.hi::text,"
            " coalesce(sum(" REC
            ") FILTER (WHERE value_date BETWEEN b.lo AND b.hi), 0)::text,"
            " coalesce(sum(" DED
            ") FILTER (WHERE value_date BETWEEN b.lo AND b.hi), 0)::text,"
            " coalesce(sum(" RET
            ") FILTER (WHERE value_date BETWEEN b.lo AND b.hi), 0)::text,"
            " coalesce(sum(" ALLOC
            ") FILTER (WHERE value_date BETWEEN b.lo AND b.hi), 0)::text,"
            " coalesce(sum(" DISB
            ") FILTER (WHERE value_date BETWEEN b.lo AND b.hi), 0)::text,"
            " coalesce(sum(" BAL(
                "escrow") ") FILTER (WHERE value_date <= b.hi), 0)::text,"
                          " coalesce(sum(" BAL(
                              "fund") ") FILTER (WHERE value_date <= b.hi), 0)::text,"
                                      " coalesce(sum(" BAL(
                                          "project") ") FILTER (WHERE value_date <= "
                                                     "b.hi), 0)::text"
                                                     " FROM b LEFT JOIN t ON true GROUP "
                                                     "BY b.lo, b.hi",
        2, params);
    if (st != ARCS_OK)
        goto done;
    for (int k = 0; k < 8; k++)
        v[k] = num(d, res, 0, k + 2);
    snprintf(title, sizeof(title), "Fund report %s to %s", PQgetvalue(res, 0, 0),
             PQgetvalue(res, 0, 1));
    d->title = arcs__strdup(title);
    d->subtitle =
        arcs__strdup("Recovered assets: receipts, deductions, escrow, allocations "
                     "and disbursements");
    arcs__doc_field_text(d, "from", "From", PQgetvalue(res, 0, 0));
    arcs__doc_field_text(d, "to", "To", PQgetvalue(res, 0, 1));
    PQclear(res);
    res = NULL;
    arcs__doc_field_money(d, "received", "Received", v[0]);
    arcs__doc_field_money(d, "deducted", "Deducted", v[1]);
    arcs__doc_field_money(d, "returned", "Returned to owners", v[2]);
    arcs__doc_field_money(d, "escrow", "Held in escrow", v[5]);
    arcs__doc_field_money(d, "allocated", "Allocated to projects", v[3]);
    arcs__doc_field_money(d, "disbursed", "Disbursed", v[4]);
    arcs__doc_field_money(d, "available", "Available in the fund", v[6]);
    arcs__doc_field_money(d, "undisbursed", "Allocated, not yet disbursed", v[7]);

    st = rollforward(ctx, d, params, &closing);
    if (st != ARCS_OK)
        goto done;
    arcs__doc_field_money(
        d, "opening", "Held at opening",
        d->tables[d->ntables - 1]->nrows ? d->tables[d->ntables - 1]->cells[2].n : 0);
    arcs__doc_field_money(d, "closing", "Held at closing", v[5] + v[6] + v[7]);
    if (closing != v[5] + v[6] + v[7]) {
        money_text(a, d, closing);
        money_text(b, d, v[5] + v[6] + v[7]);
        st = arcs__fail(
            ctx, ARCS_ERROR,
            "the funds report does not balance: the roll-forward closes at %s but "
            "fund + escrow + projects hold %s; check the ledger",
            a, b);
        goto done;
    }
    if (!to) {
        /* The stored balances are kept by the database apart from the
           transfers: with an open end they must agree with them too. */
        char *stored = NULL;
        st = arcs__db_value(
            ctx, &stored, NULL,
            "SELECT coalesce(sum(credits - debits), 0)::text FROM"
            " arcs.ledger_accounts WHERE kind IN ('fund', 'escrow', 'project')",
            0, NULL);
        if (st != ARCS_OK)
            goto done;
        if (stored && !d->overflow && arcs__rep_i64(d, stored) != closing) {
            money_text(a, d, arcs__rep_i64(d, stored));
            money_text(b, d, closing);
            st = arcs__fail(
                ctx, ARCS_ERROR,
                "the funds report does not balance: the accounts hold %s but the "
                "transfers add up to %s; run 'arcs audit verify'",
                a, b);
            free(stored);
            goto done;
        }
        free(stored);
    }

    {
        static const char *const cols[] = {"case:Case", "title:Title",
                                           "received:Received"};
        t = arcs__doc_table(d, "receipts_by_case", "Receipts by case", 3, cols);
        st = arcs__report_table(
            ctx, d, t, "ttb",
            CTE "SELECT c.ref, c.title, sum(" REC ")::text FROM t, b, arcs.cases c"
                " WHERE c.id = t.case_id AND t.value_date BETWEEN b.lo AND b.hi"
                " GROUP BY c.ref, c.title HAVING sum(" REC ") <> 0"
                " ORDER BY sum(" REC ") DESC, c.ref",
            2, params);
        if (st != ARCS_OK)
            goto done;
    }
    {
        static const char *const cols[] = {"country:Country", "name:Name",
                                           "received:Received"};
        t = arcs__doc_table(d, "receipts_by_country", "Receipts by source country", 3,
                            cols);
        st = arcs__report_table(
            ctx, d, t, "ttb",
            CTE "SELECT coalesce(a.country, '—'), coalesce(k.name, 'not known'),"
                " sum(" REC ")::text FROM t CROSS JOIN b"
                " LEFT JOIN arcs.assets a ON a.id = t.asset_id"
                " LEFT JOIN arcs.countries k ON k.code = a.country"
                " WHERE t.value_date BETWEEN b.lo AND b.hi"
                " GROUP BY 1, 2 HAVING sum(" REC ") <> 0 ORDER BY 3 DESC, 1",
            2, params);
        if (st != ARCS_OK)
            goto done;
    }
    {
        static const char *const cols[] = {"kind:Kind", "deducted:Deducted"};
        t = arcs__doc_table(d, "deductions", "Deductions by kind", 2, cols);
        st = arcs__report_table(
            ctx, d, t, "tb",
            CTE "SELECT pg_catalog.substr(x.code, 20), sum(x.v)::text FROM"
                " (SELECT CASE WHEN cc LIKE 'external:deduction:%' THEN cc ELSE dc END"
                "   AS code, " DED " AS v FROM t, b WHERE t.value_date BETWEEN"
                "   b.lo AND b.hi AND (cc LIKE 'external:deduction:%'"
                "   OR dc LIKE 'external:deduction:%')) x"
                " GROUP BY x.code HAVING sum(x.v) <> 0 ORDER BY 1",
            2, params);
        if (st != ARCS_OK)
            goto done;
    }
    {
        static const char *const cols[] = {"code:Code",           "name:Project",
                                           "sector:Sector",       "region:Region",
                                           "allocated:Allocated", "disbursed:Disbursed",
                                           "balance:Undisbursed"};
        t = arcs__doc_table(d, "projects", "Projects", 7, cols);
        st = arcs__report_table(
            ctx, d, t, "ttttbbb",
            CTE
            "SELECT p.code, p.name, p.sector, p.region,"
            " coalesce(sum(" ALLOC
            ") FILTER (WHERE t.value_date BETWEEN b.lo AND b.hi), 0)::text,"
            " coalesce(sum(" DISB
            ") FILTER (WHERE t.value_date BETWEEN b.lo AND b.hi), 0)::text,"
            " coalesce(sum(" BAL(
                "project") ") FILTER (WHERE t.value_date <= b.hi), 0)::text"
                           " FROM arcs.projects p CROSS JOIN b LEFT JOIN t ON "
                           "t.project_id = p.id"
                           " GROUP BY p.code, p.name, p.sector, p.region ORDER BY p.code",
            2, params);
        if (st != ARCS_OK)
            goto done;
    }
    {
        static const char *const cols[] = {"sector:Sector", "allocated:Allocated",
                                           "disbursed:Disbursed"};
        t = arcs__doc_table(d, "by_sector", "Allocations by sector", 3, cols);
        st = arcs__report_table(
            ctx, d, t, "tbb",
            CTE "SELECT p.sector, coalesce(sum(" ALLOC "), 0)::text, coalesce(sum(" DISB
                "), 0)::text"
                " FROM t, b, arcs.projects p WHERE p.id = t.project_id"
                " AND t.value_date BETWEEN b.lo AND b.hi GROUP BY p.sector "
                "ORDER BY 2 DESC, 1",
            2, params);
        if (st != ARCS_OK)
            goto done;
        ch = arcs__doc_chart(d, REP_CHART_BARS, "Allocations by sector", 1);
        for (size_t r = 0; t && r < t->nrows; r++)
            arcs__chart_bar(d, ch, t->cells[r * 3].text, t->cells[r * 3 + 1].n);
    }
    {
        static const char *const cols[] = {"region:Region", "allocated:Allocated",
                                           "disbursed:Disbursed"};
        t = arcs__doc_table(d, "by_region", "Allocations by region", 3, cols);
        st = arcs__report_table(
            ctx, d, t, "tbb",
            CTE "SELECT p.region, coalesce(sum(" ALLOC "), 0)::text, coalesce(sum(" DISB
                "), 0)::text"
                " FROM t, b, arcs.projects p WHERE p.id = t.project_id"
                " AND t.value_date BETWEEN b.lo AND b.hi GROUP BY p.region "
                "ORDER BY 2 DESC, 1",
            2, params);
        if (st != ARCS_OK)
            goto done;
    }

    /* The flow chart: source country -> case -> fund -> sector -> project. */
    ch = arcs__doc_chart(d, REP_CHART_FLOW,
                         "Money flow: source countries and cases, through the fund, to "
                         "sectors and projects",
                         1);
    arcs__chart_column(d, ch, "Source country");
    arcs__chart_column(d, ch, "Case");
    arcs__chart_column(d, ch, "Fund");
    arcs__chart_column(d, ch, "Sector");
    arcs__chart_column(d, ch, "Project");
    st = arcs__db_exec(
        ctx, &res,
        CTE
        ", r AS (SELECT coalesce(a.country, '—') AS country, c.ref, sum(" REC ") AS v"
        " FROM t CROSS JOIN b JOIN arcs.cases c ON c.id = t.case_id"
        " LEFT JOIN arcs.assets a ON a.id = t.asset_id"
        " WHERE t.value_date BETWEEN b.lo AND b.hi GROUP BY 1, 2),"
        " k AS (SELECT ref, pg_catalog.dense_rank() OVER (ORDER BY sum(v) DESC, ref) AS n"
        " FROM r GROUP BY ref)"
        " SELECT r.country, CASE WHEN k.n <= 8 THEN r.ref ELSE 'other cases' END,"
        " sum(r.v)::text FROM r JOIN k ON k.ref = r.ref GROUP BY 1, 2 HAVING sum(r.v) > 0"
        " ORDER BY 3 DESC",
        2, params);
    if (st != ARCS_OK)
        goto done;
    for (int r = 0; r < PQntuples(res); r++) {
        arcs__chart_flow(d, ch, 0, PQgetvalue(res, r, 0), PQgetvalue(res, r, 1),
                         num(d, res, r, 2));
        arcs__chart_flow(d, ch, 1, PQgetvalue(res, r, 1), "Fund", num(d, res, r, 2));
    }
    PQclear(res);
    res = NULL;
    arcs__chart_flow(d, ch, 2, "Fund", "deductions", v[1]);
    arcs__chart_flow(d, ch, 2, "Fund", "returned to owners", v[2]);
    arcs__chart_flow(d, ch, 2, "Fund", "held in escrow", v[5]);
    arcs__chart_flow(d, ch, 2, "Fund", "available", v[6]);
    st = arcs__db_exec(
        ctx, &res,
        CTE "SELECT p.sector, p.code, sum(" ALLOC ")::text FROM t, b, arcs.projects p"
            " WHERE p.id = t.project_id AND t.value_date BETWEEN b.lo AND b.hi"
            " GROUP BY 1, 2 HAVING sum(" ALLOC ") > 0 ORDER BY 3 DESC",
        2, params);
    if (st != ARCS_OK)
        goto done;
    for (int r = 0; r < PQntuples(res); r++) {
        arcs__chart_flow(d, ch, 2, "Fund", PQgetvalue(res, r, 0), num(d, res, r, 2));
        arcs__chart_flow(d, ch, 3, PQgetvalue(res, r, 0), PQgetvalue(res, r, 1),
                         num(d, res, r, 2));
    }
    /* merge repeated Fund -> sector flows into one band */
    for (size_t i = 0; ch && i < ch->nflows; i++)
        for (size_t j = i + 1; j < ch->nflows; j++)
            if (ch->flows[i].col == ch->flows[j].col &&
                !strcmp(ch->flows[i].from, ch->flows[j].from) &&
                !strcmp(ch->flows[i].to, ch->flows[j].to) && ch->flows[j].value) {
                ch->flows[i].value =
                    arcs__rep_add(d, ch->flows[i].value, ch->flows[j].value);
                ch->flows[j].value = 0;
            }
    st = arcs__report_bars(ctx, d, "Recoveries by year", 1,
                           CTE
                           "SELECT pg_catalog.date_part('year', value_date)::int::text,"
                           " sum(" REC ")::text FROM t, b WHERE t.value_date <= b.hi"
                           " GROUP BY 1 HAVING sum(" REC ") <> 0 ORDER BY 1",
                           2, params);
    if (st != ARCS_OK)
        goto done;
    st = arcs__report_bars(ctx, d, "Assets by state", 0,
                           "SELECT state, count(*)::text FROM arcs.assets GROUP BY state"
                           " ORDER BY count(*) DESC, state",
                           0, NULL);
done:
    PQclear(res);
    return st;
}
