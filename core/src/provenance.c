/*
 * Provenance: which cases paid for an allocation. Attributed once, when the
 * allocation is recorded (FIFO over the fund's receipts unless the
 * allocation names its sources; arcs.ledger_allocate in
 * sql/0009_checked_ledger.sql), and stored in arcs.allocation_sources, so
 * reports are stable and cheap.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger_int.h"

/* Sources of a project (its unreversed allocations), largest first. */
static const char *const sources_sql =
    "SELECT c.ref, coalesce((SELECT a.country FROM arcs.assets a WHERE a.case_id = c.id"
    " GROUP BY a.country ORDER BY count(*) DESC, a.country LIMIT 1), ''),"
    " coalesce((SELECT string_agg(j.role || ':' || j.country, ','"
    " ORDER BY j.role, j.country) FROM arcs.case_jurisdictions j WHERE j.case_id = c.id),"
    " ''), sum(s.amount)::text"
    " FROM arcs.allocation_sources s"
    " JOIN arcs.ledger_transfers t ON t.id = s.transfer_id"
    " JOIN arcs.projects p ON p.id = t.project_id"
    " JOIN arcs.cases c ON c.id = s.case_id"
    " WHERE p.code = $1 AND NOT EXISTS (SELECT 1 FROM arcs.ledger_transfers r"
    " WHERE r.reverses = t.id)"
    " GROUP BY c.id, c.ref ORDER BY sum(s.amount) DESC, c.ref";

static arcs_status source_row(arcs_ctx *ctx, const PGresult *res, int i, void *item,
                              void *arg)
{
    arcs_provenance_item *it = item;

    (void)ctx;
    (void)arg;
    snprintf(it->case_ref, sizeof(it->case_ref), "%s", PQgetvalue(res, i, 0));
    snprintf(it->country, sizeof(it->country), "%s", PQgetvalue(res, i, 1));
    snprintf(it->jurisdictions, sizeof(it->jurisdictions), "%s", PQgetvalue(res, i, 2));
    it->amount = arcs__ledger_i64(PQgetvalue(res, i, 3));
    return ARCS_OK;
}

arcs_status arcs__ledger_sources(arcs_ctx *ctx, arcs_provenance_item **out, size_t *n,
                                 const char *code)
{
    const char *params[1] = {code};
    void *items = NULL;
    arcs_status st;

    st = arcs__db_rows(ctx, sources_sql, 1, params, source_row, NULL, sizeof(**out),
                       &items, n);
    *out = items;
    return st;
}

struct prov_args {
    const char *code;
    arcs_provenance *p;
};

static arcs_status prov_body(arcs_ctx *ctx, void *arg)
{
    struct prov_args *a = arg;
    const char *params[1] = {a->code};
    char *v = NULL;
    arcs_status st;

    st = arcs__ledger_base(ctx, a->p->currency, &a->p->exponent);
    if (st != ARCS_OK)
        goto done;
    st = arcs__db_value(ctx, &v, NULL,
                        "SELECT id::text FROM arcs.projects WHERE code = $1", 1, params);
    if (st == ARCS_ENOTFOUND)
        st = arcs__fail(ctx, ARCS_ENOTFOUND, "project '%s' not found; arcs project list",
                        a->code);
    if (st != ARCS_OK)
        goto done;
    st = arcs__ledger_sources(ctx, &a->p->items, &a->p->n, a->code);
    for (size_t i = 0; st == ARCS_OK && i < a->p->n; i++)
        if (__builtin_add_overflow(a->p->total, a->p->items[i].amount, &a->p->total))
            st = arcs__fail(ctx, ARCS_EREFUSED,
                            "the sources of project %s add up beyond the range of "
                            "amounts; check the ledger",
                            a->code);
done:
    free(v);
    return st;
}

arcs_status arcs_ledger_provenance(arcs_ctx *ctx, const char *project_code,
                                   arcs_provenance **out)
{
    struct prov_args a;
    arcs_status st;

    arcs__clear(ctx);
    *out = NULL;
    a.code = project_code ? project_code : "";
    a.p = calloc(1, sizeof(*a.p));
    if (!a.p)
        return arcs__fail(ctx, ARCS_ERROR, "out of memory");
    st = arcs__db_tx(ctx, ARCS__TX_READONLY, prov_body, &a);
    if (st != ARCS_OK) {
        arcs_provenance_free(a.p);
        return st;
    }
    *out = a.p;
    return st;
}

void arcs_provenance_free(arcs_provenance *p)
{
    if (!p)
        return;
    free(p->items);
    free(p);
}
