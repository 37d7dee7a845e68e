/* Decisions: the legal acts of a case (freeze, confiscation ...). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arcs/case.h"
#include "case_int.h"
#include "db_int.h"

struct decision_args {
    const arcs_decision_new *in;
    char assets_text[1024]; /* sorted, unique ids: "3,7" */
    int64_t id;
    int existed;
};

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return (x > y) - (x < y);
}

static arcs_status compare_existing(arcs_ctx *ctx, struct decision_args *a,
                                    const char *case_id)
{
    const arcs_decision_new *in = a->in;
    const char *params[2] = {in->ref, a->assets_text};
    PGresult *res = NULL;
    arcs_status st;
    int same;

    st = arcs__db_exec(
        ctx, &res,
        "SELECT d.id::text, coalesce(d.case_id::text, ''), d.kind, d.issuer,"
        " d.issued_on::text, coalesce(d.final_on::text, ''),"
        " coalesce(d.effective_on::text, ''),"
        /* a retry names no asset the decision does not cover already; later
           transitions may have added assets to it */
        " NOT EXISTS (SELECT pg_catalog.unnest(pg_catalog.string_to_array("
        "   NULLIF($2, ''), ',')::bigint[])"
        "  EXCEPT SELECT x.asset_id FROM arcs.decision_assets x"
        "  WHERE x.decision_id = d.id)"
        " FROM arcs.decisions d WHERE d.ref = $1",
        2, params);
    if (st != ARCS_OK)
        goto done;
    if (PQntuples(res) != 1) {
        st =
            arcs__fail(ctx, ARCS_ERETRY, "decision %s vanished while adding it", in->ref);
        goto done;
    }
    same = !strcmp(PQgetvalue(res, 0, 1), case_id) &&
           !strcmp(PQgetvalue(res, 0, 2), in->kind) &&
           !strcmp(PQgetvalue(res, 0, 3), in->issuer) &&
           !strcmp(PQgetvalue(res, 0, 4), in->issued) &&
           !strcmp(PQgetvalue(res, 0, 5), in->final ? in->final : "") &&
           !strcmp(PQgetvalue(res, 0, 6), in->effective ? in->effective : "") &&
           !strcmp(PQgetvalue(res, 0, 7), "t");
    if (!same) {
        st =
            arcs__fail(ctx, ARCS_ECONFLICT,
                       "decision ref %s is already used for a different decision; choose "
                       "another ref",
                       in->ref);
        goto done;
    }
    a->id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    a->existed = 1;
done:
    PQclear(res);
    return st;
}

static arcs_status check_asset(arcs_ctx *ctx, const char *asset, const char *case_id,
                               const char *case_ref)
{
    char *v = NULL;
    arcs_status st;

    st = arcs__db_value(ctx, &v, NULL,
                        "SELECT case_id::text FROM arcs.assets WHERE id = $1::bigint", 1,
                        &asset);
    if (st == ARCS_ENOTFOUND)
        st =
            arcs__fail(ctx, ARCS_ENOTFOUND,
                       "asset %s not found; list the case's assets with 'arcs asset list "
                       "--case %s'",
                       asset, case_ref);
    else if (st == ARCS_OK && (!v || strcmp(v, case_id)))
        st = arcs__fail(ctx, ARCS_EREFUSED,
                        "asset %s belongs to another case than %s; a decision covers "
                        "assets of its own case",
                        asset, case_ref);
    free(v);
    return st;
}

static arcs_status decision_body(arcs_ctx *ctx, void *arg)
{
    struct decision_args *a = arg;
    const arcs_decision_new *in = a->in;
    PGresult *res = NULL;
    const char *params[7];
    char case_buf[24], id_buf[24], asset_buf[24];
    int64_t case_id;
    arcs_status st;

    a->existed = 0;
    case_buf[0] = '\0';
    if (in->case_ref) {
        st = arcs__case_lookup(ctx, in->case_ref, &case_id);
        if (st != ARCS_OK)
            goto done;
        arcs__id_text(case_buf, case_id);
    }
    for (size_t i = 0; i < in->nassets; i++) {
        st = check_asset(ctx, arcs__id_text(asset_buf, in->assets[i]), case_buf,
                         in->case_ref);
        if (st != ARCS_OK)
            goto done;
    }
    params[0] = in->case_ref ? case_buf : NULL;
    params[1] = in->kind;
    params[2] = in->ref;
    params[3] = in->issuer;
    params[4] = in->issued;
    params[5] = in->effective;
    params[6] = in->final;
    st = arcs__db_exec(
        ctx, &res,
        "INSERT INTO arcs.decisions (case_id, kind, ref, issuer, issued_on,"
        " effective_on, final_on) VALUES ($1::bigint, $2, $3, $4, $5::date,"
        " $6::date, $7::date) ON CONFLICT (ref) DO NOTHING RETURNING id::text",
        7, params);
    if (st != ARCS_OK)
        goto done;
    if (PQntuples(res) == 0) {
        st = compare_existing(ctx, a, case_buf);
        goto done;
    }
    a->id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    params[0] = arcs__id_text(id_buf, a->id);
    for (size_t i = 0; i < in->nassets; i++) {
        params[1] = arcs__id_text(asset_buf, in->assets[i]);
        st = arcs__db_exec(ctx, NULL,
                           "INSERT INTO arcs.decision_assets (decision_id, asset_id)"
                           " VALUES ($1::bigint, $2::bigint) ON CONFLICT DO NOTHING",
                           2, params);
        if (st != ARCS_OK)
            goto done;
    }
done:
    PQclear(res);
    return st;
}

arcs_status arcs_decision_add(arcs_ctx *ctx, const arcs_decision_new *in, int64_t *id,
                              int *existed)
{
    struct decision_args *a = NULL;
    int64_t *sorted = NULL;
    int32_t issued = 0, final = 0;
    size_t len = 0;
    arcs_status st;

    arcs__clear(ctx);
    *id = 0;
    if (existed)
        *existed = 0;
    /* Only an allocation of the fund may stand without a case: it spends the
       fund's money, not one case's. */
    st = in->case_ref ? arcs__check_case_ref(ctx, in->case_ref) : ARCS_OK;
    if (st == ARCS_OK)
        st = arcs__check_word(ctx, "decision kind", in->kind, arcs__decision_kinds);
    if (st == ARCS_OK && !in->case_ref && (!in->kind || strcmp(in->kind, "allocation")))
        st = arcs__fail(ctx, ARCS_EINVAL,
                        "a %s decision needs a case ref; only an allocation decision may "
                        "stand without one",
                        in->kind ? in->kind : "");
    if (st == ARCS_OK && !in->case_ref && in->nassets > 0)
        st = arcs__fail(
            ctx, ARCS_EINVAL,
            "an allocation decision without a case covers no asset; drop --asset");
    if (st == ARCS_OK)
        st = arcs__check_text(ctx, "decision ref", in->ref, 200);
    if (st == ARCS_OK)
        st = arcs__check_text(ctx, "issuer", in->issuer, 500);
    if (st == ARCS_OK)
        st = arcs__check_date(ctx, "issue date", in->issued, &issued);
    if (st == ARCS_OK && in->final)
        st = arcs__check_date(ctx, "final date", in->final, &final);
    if (st == ARCS_OK && in->effective)
        st = arcs__check_date(ctx, "effective date", in->effective, NULL);
    if (st == ARCS_OK && in->final && final < issued)
        st = arcs__fail(ctx, ARCS_EINVAL,
                        "final date %s is before the issue date %s; a decision becomes "
                        "final on or after it is issued",
                        in->final, in->issued);
    if (st == ARCS_OK && in->nassets > 40)
        st = arcs__fail(ctx, ARCS_EINVAL,
                        "too many assets (%zu); at most 40 per decision", in->nassets);
    for (size_t i = 0; st == ARCS_OK && i < in->nassets; i++)
        if (in->assets[i] <= 0)
            st = arcs__fail(ctx, ARCS_EINVAL, "asset id %lld is not a positive number",
                            (long long)in->assets[i]);
    if (st != ARCS_OK)
        goto done;
    a = calloc(1, sizeof(*a));
    sorted = calloc(in->nassets + 1, sizeof(int64_t));
    if (!a || !sorted) {
        st = arcs__fail(ctx, ARCS_ERROR, "out of memory");
        goto done;
    }
    if (in->nassets) /* assets may be NULL when there are none */
        memcpy(sorted, in->assets, in->nassets * sizeof(int64_t));
    qsort(sorted, in->nassets, sizeof(int64_t), cmp_id);
    for (size_t i = 0; i < in->nassets; i++) {
        if (i > 0 && sorted[i] == sorted[i - 1])
            continue;
        len += (size_t)snprintf(a->assets_text + len, sizeof(a->assets_text) - len,
                                "%s%lld", len ? "," : "", (long long)sorted[i]);
    }
    a->in = in;
    st = arcs__db_tx(ctx, ARCS__TX_RECONNECT, decision_body, a);
    if (st != ARCS_OK)
        goto done;
    *id = a->id;
    if (existed)
        *existed = a->existed;
done:
    free(sorted);
    free(a);
    return st;
}
