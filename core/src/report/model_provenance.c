/*
 * Provenance of a project's money: which cases (and the countries their
 * money came from) paid for its allocations, read from the attribution the
 * ledger stored at allocation time (FIFO over fund receipts, or the sources
 * the allocation named). Reversed allocations drop out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../db_int.h"
#include "report_int.h"

static int64_t num(rep_doc *d, const PGresult *res, int row, int col)
{
    return arcs__rep_i64(d,
                         PQgetisnull(res, row, col) ? NULL : PQgetvalue(res, row, col));
}

arcs_status arcs__model_provenance(arcs_ctx *ctx, rep_doc *d, const char *project)
{
    const char *params[1] = {project};
    PGresult *res = NULL;
    char title[200];
    int64_t total = 0, attributed = 0;
    rep_table *t;
    rep_chart *ch;
    arcs_status st;

    st = arcs__db_exec(
        ctx, &res,
        "SELECT p.id::text, p.code, p.name, p.sector, p.region FROM arcs.projects p"
        " WHERE p.code = $1",
        1, params);
    if (st != ARCS_OK)
        goto done;
    if (PQntuples(res) != 1) {
        st = arcs__fail(ctx, ARCS_ENOTFOUND,
                        "project '%s' not found; see 'arcs project list'", project);
        goto done;
    }
    snprintf(title, sizeof(title), "Provenance of project %s", PQgetvalue(res, 0, 1));
    d->title = arcs__strdup(title);
    d->subtitle = arcs__strdup(PQgetvalue(res, 0, 2));
    arcs__doc_field_text(d, "project", "Project", PQgetvalue(res, 0, 1));
    arcs__doc_field_text(d, "name", "Name", PQgetvalue(res, 0, 2));
    arcs__doc_field_text(d, "sector", "Sector", PQgetvalue(res, 0, 3));
    arcs__doc_field_text(d, "region", "Region", PQgetvalue(res, 0, 4));
    PQclear(res);
    res = NULL;
    st = arcs__db_exec(
        ctx, &res,
        "WITH s AS (SELECT s.case_id, sum(s.amount) AS amount FROM "
        "arcs.allocation_sources s"
        "   JOIN arcs.ledger_transfers t ON t.id = s.transfer_id"
        "   JOIN arcs.projects p ON p.id = t.project_id"
        "   WHERE p.code = $1 AND NOT EXISTS (SELECT 1 FROM arcs.ledger_transfers r"
        "     WHERE r.reverses = t.id) GROUP BY s.case_id)"
        " SELECT c.ref, c.title,"
        " coalesce((SELECT pg_catalog.string_agg(DISTINCT a.country, ', ')"
        "   FROM arcs.assets a WHERE a.case_id = c.id), ''),"
        " coalesce((SELECT pg_catalog.string_agg(j.role || ':' || j.country, ', '"
        "   ORDER BY j.role, j.country) FROM arcs.case_jurisdictions j"
        "   WHERE j.case_id = c.id), ''),"
        " s.amount::text"
        " FROM s JOIN arcs.cases c ON c.id = s.case_id ORDER BY s.amount DESC, c.ref",
        1, params);
    if (st != ARCS_OK)
        goto done;
    {
        static const char *const cols[] = {
            "case:Case", "title:Title", "countries:Asset countries",
            "jurisdictions:Jurisdictions", "amount:Amount"};
        t = arcs__doc_table(d, "sources", "Cases whose money paid for the project", 5,
                            cols);
    }
    ch = arcs__doc_chart(d, REP_CHART_FLOW, "Where the project's money came from", 1);
    arcs__chart_column(d, ch, "Source country");
    arcs__chart_column(d, ch, "Case");
    arcs__chart_column(d, ch, "Project");
    for (int r = 0; t && r < PQntuples(res); r++) {
        size_t row = arcs__table_row(d, t);
        const char *countries = PQgetvalue(res, r, 2);
        char first[3] = "—";
        for (int c = 0; c < 4; c++)
            arcs__cell_text(d, t, row, (size_t)c, PQgetvalue(res, r, c));
        arcs__cell_money(t, row, 4, num(d, res, r, 4), d->exp, d->currency);
        attributed = arcs__rep_add(d, attributed, num(d, res, r, 4));
        /* a case with assets in several countries is drawn from its first */
        if (strlen(countries) >= 2)
            snprintf(first, sizeof(first), "%.2s", countries);
        arcs__chart_flow(d, ch, 0, first, PQgetvalue(res, r, 0), num(d, res, r, 4));
        arcs__chart_flow(d, ch, 1, PQgetvalue(res, r, 0), project, num(d, res, r, 4));
    }
    PQclear(res);
    res = NULL;
    st = arcs__db_exec(
        ctx, &res,
        "SELECT coalesce(sum(CASE WHEN t.kind = 'allocate' THEN t.amount"
        "   WHEN t.kind = 'reverse' AND t.sub_kind = 'allocate' THEN -t.amount END), "
        "0)::text,"
        " coalesce(sum(CASE WHEN t.kind = 'disburse' THEN t.amount"
        "   WHEN t.kind = 'reverse' AND t.sub_kind = 'disburse' THEN -t.amount END), "
        "0)::text"
        " FROM arcs.ledger_transfers t JOIN arcs.projects p ON p.id = t.project_id"
        " WHERE p.code = $1",
        1, params);
    if (st != ARCS_OK)
        goto done;
    total = num(d, res, 0, 0);
    arcs__doc_field_money(d, "allocated", "Allocated", total);
    arcs__doc_field_money(d, "disbursed", "Disbursed", num(d, res, 0, 1));
    arcs__doc_field_money(d, "attributed", "Attributed to cases", attributed);
    if (attributed != total)
        arcs__doc_note(d,
                       "the allocations and their attribution to cases differ; check the "
                       "ledger with 'arcs audit verify'");
done:
    PQclear(res);
    return st;
}
