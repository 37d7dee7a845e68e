/* The log's size and last stored checkpoint, for the workspace's home page. */
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
