/*
 * The case report, and what every model shares: the base currency and the
 * one place fx rates are read (the audit checkpoint a report is generated at
 * is trust.c's).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arcs/money.h"
#include "../db_int.h"
#include "report_int.h"

arcs_status arcs__report_has(arcs_ctx *ctx, const char *rel, int *yes)
{
    const char *params[1] = {rel};
    char *v = NULL;
    arcs_status st;

    *yes = 0;
    st = arcs__db_value(ctx, &v, NULL, "SELECT pg_catalog.to_regclass($1)::text", 1,
                        params);
    if (st == ARCS_OK)
        *yes = v != NULL;
    free(v);
    return st;
}

arcs_status arcs__report_base(arcs_ctx *ctx, rep_doc *d)
{
    PGresult *res = NULL;
    arcs_status st;

    st = arcs__db_exec(ctx, &res,
                       "SELECT c.code, c.exponent::text FROM arcs.settings s"
                       " JOIN arcs.currencies c ON c.code = s.value"
                       " WHERE s.key = 'base_currency'",
                       0, NULL);
    if (st != ARCS_OK)
        goto done;
    if (PQntuples(res) < 1) {
        st = arcs__fail(ctx, ARCS_ERROR,
                        "the database has no base currency; run 'arcs db init'");
        goto done;
    }
    snprintf(d->currency, sizeof(d->currency), "%s", PQgetvalue(res, 0, 0));
    d->exp = (int)strtol(PQgetvalue(res, 0, 1), NULL, 10);
done:
    PQclear(res);
    return st;
}

arcs_status arcs__report_convert(arcs_ctx *ctx, const rep_doc *d, int64_t *out,
                                 int64_t minor, const char *cur, int exp,
                                 const char *date)
{
    const char *params[2] = {cur, date};
    PGresult *res = NULL;
    arcs_rate rate;
    arcs_err err = {0};
    arcs_status st = ARCS_OK;

    if (!strcmp(cur, d->currency)) {
        *out = minor;
        goto done;
    }
    st = arcs__db_exec(ctx, &res,
                       "SELECT rate::text FROM arcs.fx_rates WHERE currency = $1"
                       " AND rate_date <= $2::date ORDER BY rate_date DESC LIMIT 1",
                       2, params);
    if (st != ARCS_OK)
        goto done;
    if (PQntuples(res) < 1) {
        st = arcs__fail(
            ctx, ARCS_EREFUSED,
            "no fx rate for %s on or before %s; record one with 'arcs fx set %s "
            "DATE RATE'",
            cur, date, cur);
        goto done;
    }
    if (arcs_rate_parse(&rate, PQgetvalue(res, 0, 0), &err) != ARCS_OK ||
        arcs_money_convert(out, minor, exp, &rate, d->exp, &err) != ARCS_OK)
        st = arcs__fail(ctx, ARCS_ERROR, "cannot convert %s on %s: %s", cur, date,
                        err.msg);
done:
    PQclear(res);
    return st;
}

static int64_t num(rep_doc *d, const PGresult *res, int row, int col)
{
    return arcs__rep_i64(d,
                         PQgetisnull(res, row, col) ? NULL : PQgetvalue(res, row, col));
}

static const char *txt(const PGresult *res, int row, int col)
{
    return PQgetisnull(res, row, col) ? "" : PQgetvalue(res, row, col);
}

struct table_fill {
    rep_doc *d;
    rep_table *t;
    const char *shape;
};

static arcs_status table_row(arcs_ctx *ctx, const PGresult *res, int r, void *item,
                             void *arg)
{
    const struct table_fill *f = arg;
    rep_table *t = f->t;
    size_t row;
    int rc = 0;

    (void)ctx;
    (void)item;
    if (!t)
        return ARCS_OK;
    row = arcs__table_row(f->d, t);
    for (size_t c = 0; c < t->ncols; c++) {
        switch (f->shape[c]) {
        case 'm':
            if (!PQgetisnull(res, r, rc))
                arcs__cell_money(t, row, c, num(f->d, res, r, rc),
                                 (int)num(f->d, res, r, rc + 2), txt(res, r, rc + 1));
            rc += 3;
            break;
        case 'b':
            arcs__cell_money(t, row, c, num(f->d, res, r, rc), f->d->exp, f->d->currency);
            rc++;
            break;
        default:
            arcs__cell_text(f->d, t, row, c, txt(res, r, rc));
            rc++;
        }
    }
    return ARCS_OK;
}

arcs_status arcs__report_table(arcs_ctx *ctx, rep_doc *d, rep_table *t, const char *shape,
                               const char *sql, int nparams, const char *const *params)
{
    struct table_fill f = {d, t, shape};

    return arcs__db_rows(ctx, sql, nparams, params, table_row, &f, 0, NULL, NULL);
}

struct bars_fill {
    rep_doc *d;
    rep_chart *ch;
};

static arcs_status bar_row(arcs_ctx *ctx, const PGresult *res, int r, void *item,
                           void *arg)
{
    const struct bars_fill *f = arg;

    (void)ctx;
    (void)item;
    arcs__chart_bar(f->d, f->ch, PQgetvalue(res, r, 0), num(f->d, res, r, 1));
    return ARCS_OK;
}

arcs_status arcs__report_bars(arcs_ctx *ctx, rep_doc *d, const char *title, int money,
                              const char *sql, int nparams, const char *const *params)
{
    struct bars_fill f = {d, NULL};

    f.ch = arcs__doc_chart(d, REP_CHART_BARS, title, money);
    return arcs__db_rows(ctx, sql, nparams, params, bar_row, &f, 0, NULL, NULL);
}

/* A table from sql with the case id as $1. */
static arcs_status fill(arcs_ctx *ctx, rep_doc *d, rep_table *t, const char *sql,
                        const char *id, const char *shape)
{
    const char *params[1] = {id};

    return arcs__report_table(ctx, d, t, shape, sql, 1, params);
}

arcs_status arcs__model_case(arcs_ctx *ctx, rep_doc *d, const char *ref,
                             int show_identity)
{
    const char *params[2] = {ref, NULL};
    PGresult *res = NULL;
    char *id = NULL, *allowed = NULL, title[600];
    int has_ledger = 0, has_audit = 0;
    rep_table *t;
    arcs_status st;

    if (show_identity) {
        st = arcs__db_value(
            ctx, &allowed, NULL,
            "SELECT (r.rolsuper"
            " OR pg_catalog.pg_has_role(current_user, 'arcs_admin', 'MEMBER')"
            " OR pg_catalog.pg_has_role(current_user, 'arcs_auditor', 'MEMBER'))"
            "::text FROM pg_catalog.pg_roles r WHERE r.rolname = current_user",
            0, NULL);
        if (st != ARCS_OK)
            goto done;
        if (!allowed || strcmp(allowed, "true")) {
            st = arcs__fail(ctx, ARCS_EPERM,
                            "--show-identity needs the arcs_admin or arcs_auditor role; "
                            "run the report without it to see masked numbers");
            goto done;
        }
    }
    st = arcs__db_exec(
        ctx, &res,
        "SELECT c.id::text, c.ref, c.title, c.route,"
        " pg_catalog.array_to_string(c.offences, ', '), c.status,"
        " c.opened_on::text, coalesce(c.closed_on::text, ''),"
        " coalesce(c.lead_agency, ''), coalesce(c.cluster, ''),"
        " coalesce((SELECT pg_catalog.string_agg(j.role || ':' || j.country, ', '"
        "   ORDER BY j.role, j.country) FROM arcs.case_jurisdictions j"
        "   WHERE j.case_id = c.id), '')"
        " FROM arcs.cases c WHERE c.ref = $1",
        1, params);
    if (st != ARCS_OK)
        goto done;
    if (PQntuples(res) != 1) {
        st = arcs__fail(ctx, ARCS_ENOTFOUND, "case '%s' not found; see 'arcs case list'",
                        ref);
        goto done;
    }
    id = arcs__strdup(PQgetvalue(res, 0, 0));
    snprintf(title, sizeof(title), "Case report %s", PQgetvalue(res, 0, 1));
    d->title = arcs__strdup(title);
    d->subtitle = arcs__strdup(PQgetvalue(res, 0, 2));
    arcs__doc_field_text(d, "ref", "Reference", PQgetvalue(res, 0, 1));
    arcs__doc_field_text(d, "title", "Title", PQgetvalue(res, 0, 2));
    arcs__doc_field_text(d, "route", "Legal route", PQgetvalue(res, 0, 3));
    arcs__doc_field_text(d, "offences", "Offences", PQgetvalue(res, 0, 4));
    arcs__doc_field_text(d, "status", "Status", PQgetvalue(res, 0, 5));
    arcs__doc_field_text(d, "opened", "Opened", PQgetvalue(res, 0, 6));
    arcs__doc_field_text(d, "closed", "Closed", PQgetvalue(res, 0, 7));
    arcs__doc_field_text(d, "lead_agency", "Lead agency", PQgetvalue(res, 0, 8));
    arcs__doc_field_text(d, "jurisdictions", "Jurisdictions", PQgetvalue(res, 0, 10));
    PQclear(res);
    res = NULL;
    if (!id) {
        st = arcs__fail(ctx, ARCS_ERROR, "out of memory");
        goto done;
    }

    {
        static const char *const cols[] = {
            "id:Id",     "name:Name",       "kind:Kind",
            "role:Role", "country:Country", "id_number:Identity number"};
        t = arcs__doc_table(d, "subjects", "Subjects", 6, cols);
        /* The number is masked in the database (arcs.subject_identity), so an
           unmasked one never crosses the wire unless the reader may see it. */
        st = fill(
            ctx, d, t,
            show_identity
                ? "SELECT id::text, name, kind, role, coalesce(country, ''),"
                  " coalesce(id_number, '') FROM arcs.subjects WHERE case_id = $1::bigint"
                  " ORDER BY subjects.id"
                : "SELECT s.id::text, s.name, s.kind, s.role, coalesce(s.country, ''),"
                  " coalesce(i.masked, '') FROM arcs.subjects s"
                  " JOIN arcs.subject_identity i ON i.id = s.id"
                  " WHERE s.case_id = $1::bigint ORDER BY s.id",
            id, "tttttt");
        if (st != ARCS_OK)
            goto done;
    }
    {
        static const char *const cols[] = {
            "ref:Reference",       "kind:Kind",   "issuer:Issuer", "issued:Issued",
            "effective:Effective", "final:Final", "assets:Assets"};
        t = arcs__doc_table(d, "decisions", "Decisions", 7, cols);
        st = fill(ctx, d, t,
                  "SELECT x.ref, x.kind, x.issuer, x.issued_on::text,"
                  " coalesce(x.effective_on::text, ''), coalesce(x.final_on::text, ''),"
                  " coalesce((SELECT pg_catalog.string_agg(da.asset_id::text, ', '"
                  "   ORDER BY da.asset_id) FROM arcs.decision_assets da"
                  "   WHERE da.decision_id = x.id), '')"
                  " FROM arcs.decisions x WHERE x.case_id = $1::bigint ORDER BY "
                  "x.issued_on, x.id",
                  id, "ttttttt");
        if (st != ARCS_OK)
            goto done;
    }
    {
        static const char *const cols[] = {"id:Asset",
                                           "kind:Kind",
                                           "description:Description",
                                           "country:Country",
                                           "identifiers:Identifiers",
                                           "custodian:Custodian",
                                           "state:State",
                                           "state_since:Since"};
        t = arcs__doc_table(d, "assets", "Assets", 8, cols);
        st =
            fill(ctx, d, t,
                 "SELECT id::text, kind, description, country, coalesce(identifiers, ''),"
                 " coalesce(custodian, ''), state, coalesce(state_since::text, '')"
                 " FROM arcs.assets WHERE case_id = $1::bigint ORDER BY assets.id",
                 id, "tttttttt");
        if (st != ARCS_OK)
            goto done;
    }
    {
        static const char *const cols[] = {"asset:Asset",
                                           "from:From",
                                           "to:To",
                                           "date:Date",
                                           "decision:Decision",
                                           "amount:Amount",
                                           "amount_currency:Currency",
                                           "actor:Actor",
                                           "db_user:Database user",
                                           "note:Note"};
        t = arcs__doc_table(d, "history", "State history of every asset", 10, cols);
        st = fill(ctx, d, t,
                  "SELECT t.asset_id::text, t.from_state, t.to_state, t.on_date::text,"
                  " x.ref, t.amount::text, t.currency, cu.exponent::text,"
                  " coalesce(t.currency, ''), t.actor, t.db_user, coalesce(t.note, '')"
                  " FROM arcs.asset_transitions t JOIN arcs.assets a ON a.id = t.asset_id"
                  " JOIN arcs.decisions x ON x.id = t.decision_id"
                  " LEFT JOIN arcs.currencies cu ON cu.code = t.currency"
                  " WHERE a.case_id = $1::bigint ORDER BY t.asset_id, t.id",
                  id, "tttttmtttt");
        if (st != ARCS_OK)
            goto done;
    }
    {
        static const char *const cols[] = {"asset:Asset", "valued_on:Valued on",
                                           "amount:Amount", "amount_currency:Currency",
                                           "method:Method"};
        t = arcs__doc_table(d, "valuations", "Valuations (original currency)", 5, cols);
        st =
            fill(ctx, d, t,
                 "SELECT v.asset_id::text, v.valued_on::text, v.amount::text, v.currency,"
                 " cu.exponent::text, v.currency, v.method"
                 " FROM arcs.valuations v JOIN arcs.assets a ON a.id = v.asset_id"
                 " JOIN arcs.currencies cu ON cu.code = v.currency"
                 " WHERE a.case_id = $1::bigint ORDER BY v.asset_id, v.valued_on, v.id",
                 id, "ttmtt");
        if (st != ARCS_OK)
            goto done;
    }
    st = arcs__report_has(ctx, "arcs.ledger_transfers", &has_ledger);
    if (st != ARCS_OK)
        goto done;
    if (has_ledger) {
        static const char *const cols[] = {
            "ref:Reference", "date:Value date",
            "kind:Kind",     "sub_kind:Detail",
            "asset:Asset",   "from:From",
            "to:To",         "amount:Amount",
            "orig:Original", "orig_currency:Original currency",
            "fx_rate:Rate",  "fx_rate_date:Rate date"};
        t = arcs__doc_table(d, "transfers", "Money movements", 12, cols);
        params[0] = d->currency;
        st = fill(
            ctx, d, t,
            "SELECT t.ext_ref, t.value_date::text, t.kind, coalesce(t.sub_kind, ''),"
            " coalesce(t.asset_id::text, ''), da.code, ca.code,"
            " t.amount::text, s.value, bc.exponent::text,"
            " t.orig_amount::text, t.orig_currency, oc.exponent::text, t.orig_currency,"
            " t.fx_rate::text, coalesce(t.fx_rate_date::text, '')"
            " FROM arcs.ledger_transfers t"
            " JOIN arcs.ledger_accounts da ON da.id = t.debit_account"
            " JOIN arcs.ledger_accounts ca ON ca.id = t.credit_account"
            " JOIN arcs.settings s ON s.key = 'base_currency'"
            " JOIN arcs.currencies bc ON bc.code = s.value"
            " JOIN arcs.currencies oc ON oc.code = t.orig_currency"
            " WHERE t.case_id = $1::bigint OR t.asset_id IN"
            "   (SELECT a.id FROM arcs.assets a WHERE a.case_id = $1::bigint)"
            " ORDER BY t.value_date, t.id",
            id, "tttttttmmttt");
        if (st != ARCS_OK)
            goto done;
        if (t) {
            int64_t in = 0;
            for (size_t r = 0; r < t->nrows; r++) {
                const rep_val *k = &t->cells[r * t->ncols + 2];
                const rep_val *sub = &t->cells[r * t->ncols + 3];
                int64_t a = t->cells[r * t->ncols + 7].n;
                if (k->text &&
                    (!strcmp(k->text, "receive") || !strcmp(k->text, "escrow_in")))
                    in = arcs__rep_add(d, in, a);
                else if (k->text && sub->text && !strcmp(k->text, "reverse") &&
                         (!strcmp(sub->text, "receive") ||
                          !strcmp(sub->text, "escrow_in")))
                    in = arcs__rep_sub(d, in, a);
            }
            arcs__doc_field_money(d, "received", "Received from this case", in);
        }
    }
    st = arcs__report_has(ctx, "arcs_audit.entries", &has_audit);
    if (st != ARCS_OK)
        goto done;
    if (has_audit) {
        static const char *const cols[] = {"seq:Seq",     "time:Time",
                                           "table:Table", "op:Change",
                                           "row:Row",     "db_user:Database user",
                                           "actor:Actor", "checkpoint:In checkpoint"};
        t = arcs__doc_table(d, "audit", "Audit entries behind this case", 8, cols);
        st = fill(
            ctx, d, t,
            "SELECT e.seq::text, j->>'time', e.table_name, j->>'op', e.row_key,"
            " j->>'db_user', j->>'actor',"
            " e.seq::text"
            " FROM arcs_audit.entries e,"
            " LATERAL (SELECT pg_catalog.convert_from(e.entry, 'UTF8')::jsonb AS j) x"
            " WHERE e.case_id = $1 OR e.asset_id IN"
            "   (SELECT a.id::text FROM arcs.assets a WHERE a.case_id = $1::bigint)"
            " ORDER BY e.seq",
            id, "tttttttt");
        if (st != ARCS_OK)
            goto done;
        if (t) {
            /* only a checkpoint verified with a trusted key is cited (trust.c) */
            for (size_t r = 0; r < t->nrows; r++) {
                rep_val *c = &t->cells[r * t->ncols + 7];
                char *cell = arcs__strdup(d->cp_signed && c->text &&
                                                  strtoll(c->text, NULL, 10) < d->cp_size
                                              ? "in the verified checkpoint"
                                              : "not in a verified checkpoint");
                if (!cell) {
                    st = arcs__fail(ctx, ARCS_ERROR, "out of memory");
                    goto done;
                }
                free(c->text);
                c->text = cell;
            }
            t->note = arcs__strdup(
                "each change to this case's rows, as sealed in the tamper-evident log; "
                "'in checkpoint' says whether the report's checkpoint, verified with a "
                "trusted key (--vkey), includes the entry");
        }
    }
    st = arcs__report_bars(
        ctx, d, "Assets by state", 0,
        "SELECT state, count(*)::text FROM arcs.assets WHERE case_id = $1::bigint"
        " GROUP BY state ORDER BY count(*) DESC, state",
        1, (const char *const *)&id);
    if (st != ARCS_OK)
        goto done;
    if (!show_identity)
        arcs__doc_note(d, "identity numbers are masked; an auditor or administrator may "
                          "show them with --show-identity");
done:
    PQclear(res);
    free(id);
    free(allowed);
    return st;
}
