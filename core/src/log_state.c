/* The log's size and its last stored checkpoints, for the workspace's pages. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arcs/db.h"
#include "db_int.h"

static arcs_status state_row(arcs_ctx *ctx, const PGresult *res, int row, void *item,
                             void *arg)
{
    arcs_log_state *out = arg;

    (void)ctx;
    (void)item;
    out->size = strtoll(PQgetvalue(res, row, 0), NULL, 10);
    if (!PQgetisnull(res, row, 1)) {
        out->checkpoint_size = strtoll(PQgetvalue(res, row, 1), NULL, 10);
        snprintf(out->checkpoint_time, sizeof(out->checkpoint_time), "%s",
                 PQgetvalue(res, row, 2));
        snprintf(out->checkpoint_signer, sizeof(out->checkpoint_signer), "%s",
                 PQgetvalue(res, row, 3));
    }
    return ARCS_OK;
}

static arcs_status state_body(arcs_ctx *ctx, void *arg)
{
    return arcs__db_rows(
        ctx,
        "SELECT (SELECT coalesce(max(seq) + 1, 0) FROM arcs_audit.entries)::text,"
        " c.size::text,"
        " pg_catalog.to_char(c.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'),"
        " c.signer"
        " FROM (SELECT 1) one LEFT JOIN LATERAL (SELECT * FROM arcs_audit.checkpoints"
        "  ORDER BY size DESC, id DESC LIMIT 1) c ON true",
        0, NULL, state_row, arg, 0, NULL, NULL);
}

arcs_status arcs_db_log_state(arcs_ctx *ctx, arcs_log_state *out)
{
    arcs__clear(ctx);
    memset(out, 0, sizeof(*out));
    out->checkpoint_size = -1;
    return arcs__db_tx(ctx, ARCS__TX_READONLY, state_body, out);
}

struct cp_list {
    arcs_checkpoint_info *out;
    size_t max, n;
    char limit[24];
};

static arcs_status cp_row(arcs_ctx *ctx, const PGresult *res, int row, void *item,
                          void *arg)
{
    struct cp_list *l = arg;
    arcs_checkpoint_info *c;

    (void)ctx;
    (void)item;
    if (l->n >= l->max)
        return ARCS_OK;
    c = &l->out[l->n++];
    c->size = strtoll(PQgetvalue(res, row, 0), NULL, 10);
    snprintf(c->time, sizeof(c->time), "%s", PQgetvalue(res, row, 1));
    snprintf(c->signer, sizeof(c->signer), "%s", PQgetvalue(res, row, 2));
    return ARCS_OK;
}

static arcs_status cp_body(arcs_ctx *ctx, void *arg)
{
    struct cp_list *l = arg;
    const char *params[1] = {l->limit};

    return arcs__db_rows(
        ctx,
        "SELECT c.size::text,"
        " pg_catalog.to_char(c.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'),"
        " c.signer FROM arcs_audit.checkpoints c"
        " ORDER BY c.size DESC, c.id DESC LIMIT $1::bigint",
        1, params, cp_row, l, 0, NULL, NULL);
}

arcs_status arcs_db_checkpoints(arcs_ctx *ctx, arcs_checkpoint_info *out, size_t max,
                                size_t *n)
{
    struct cp_list l = {out, max, 0, ""};
    arcs_status st;

    arcs__clear(ctx);
    *n = 0;
    snprintf(l.limit, sizeof(l.limit), "%zu", max);
    st = arcs__db_tx(ctx, ARCS__TX_READONLY, cp_body, &l);
    if (st == ARCS_OK)
        *n = l.n;
    return st;
}
