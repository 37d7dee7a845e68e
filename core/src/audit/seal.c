/*
 * Sealing captured changes into the audit log: pending rows become numbered
 * entries of canonical bytes, handed to arcs_audit.append, which checks
 * them against the captured changes, extends the tree and stores its head,
 * all in one transaction under an advisory lock.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arcs/audit.h"
#include "capture_int.h"
#include "../hex_int.h"

/* Rows read and written per round trip. */
#define SEAL_BATCH 10000

arcs_status arcs__audit_unhex(uint8_t *buf, size_t cap, size_t *len, const char *text)
{
    size_t n, i;

    *len = 0;
    if (text[0] == '\\' && text[1] == 'x')
        text += 2;
    n = strlen(text);
    if (n % 2 || n / 2 > cap)
        return ARCS_EINVAL;
    for (i = 0; i < n / 2; i++) {
        int hi = arcs__hex_digit(text[2 * i]), lo = arcs__hex_digit(text[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return ARCS_EINVAL;
        buf[i] = (uint8_t)(hi * 16 + lo);
    }
    *len = n / 2;
    return ARCS_OK;
}

arcs_status arcs__audit_present(arcs_ctx *ctx, int *yes)
{
    char *v = NULL;
    arcs_status st;

    *yes = 0;
    st = arcs__db_value(
        ctx, &v, NULL,
        "SELECT pg_catalog.to_regclass('arcs_audit.tree_state') IS NOT NULL", 0, NULL);
    if (st == ARCS_OK && v && !strcmp(v, "t"))
        *yes = 1;
    free(v);
    return st;
}

/* The batch handed to arcs_audit.append (migration 0011): the pending ids
   sealed and the entry bytes back to back with their lengths. The database
   derives everything else (lookup columns, leaf hashes, the tree) itself. */
struct seal_state {
    arcs__audit_entry e; /* buffers reused from one change to the next */
    int64_t size;        /* the log's size with the batch: the next seq */
    int64_t sealed;
    int n;               /* entries in the batch */
    arcs__buf blob;      /* entry bytes */
    arcs__buf ids, lens; /* "{...}" array literals */
};

/* Start the next element of array literal b. */
static void list_next(arcs__buf *b)
{
    arcs__buf_put(b, b->n ? "," : "{", 1);
}

/* Array literal b, closed ("{}" when empty); NULL when out of memory. */
static const char *list_close(arcs__buf *b)
{
    if (b->n == 0)
        arcs__buf_put(b, "{", 1);
    arcs__buf_put(b, "}", 1);
    return b->oom ? NULL : b->b;
}

static void batch_reset(struct seal_state *s)
{
    s->n = 0;
    s->blob.n = 0;
    s->ids.n = s->lens.n = 0;
}

/* Build one entry from pending row i and add it to the batch. */
static arcs_status seal_row(arcs_ctx *ctx, struct seal_state *s, PGresult *res, int i)
{
    arcs__audit_change c;
    arcs__audit_entry *e = &s->e;
    arcs_status st;

    c.txid = PQgetvalue(res, i, 1);
    c.table = PQgetvalue(res, i, 2);
    c.op = PQgetvalue(res, i, 3);
    c.key = PQgetvalue(res, i, 4);
    c.old_row = PQgetisnull(res, i, 5) ? NULL : PQgetvalue(res, i, 5);
    c.new_row = PQgetisnull(res, i, 6) ? NULL : PQgetvalue(res, i, 6);
    c.db_user = PQgetvalue(res, i, 7);
    c.actor = PQgetvalue(res, i, 8);
    c.time = PQgetvalue(res, i, 9);
    st = arcs__audit_entry_make(e, s->size, &c, &ctx->err);
    if (st != ARCS_OK)
        return arcs__fail(ctx, st, "cannot seal captured change %s: %s",
                          PQgetvalue(res, i, 0), ctx->err.msg);
    if (e->out.n > 0x3FFFFFFF)
        return arcs__fail(ctx, ARCS_ERROR, "captured change %s is too large to seal",
                          PQgetvalue(res, i, 0));
    arcs__buf_put(&s->blob, e->out.b, e->out.n);
    list_next(&s->ids);
    arcs__buf_puts(&s->ids, PQgetvalue(res, i, 0));
    list_next(&s->lens);
    arcs__buf_printf(&s->lens, "%zu", e->out.n);
    if (s->blob.oom || s->ids.oom || s->lens.oom)
        return arcs__fail(ctx, ARCS_ERROR, "out of memory");
    s->n++;
    s->size++;
    s->sealed++;
    return ARCS_OK;
}

/* Send the batch to arcs_audit.append, which checks each entry against its
   captured change, appends them, deletes those changes, extends the tree
   and stores its head. The call runs while the caller builds the next
   batch: libpq has copied the parameters when this returns, so the batch's
   buffers are free again; flush_wait collects the result. */
static arcs_status flush_send(arcs_ctx *ctx, struct seal_state *s)
{
    const char *params[3];
    int lengths[3] = {0}, formats[3] = {0};

    params[0] = list_close(&s->ids);
    params[1] = list_close(&s->lens);
    if (!params[0] || !params[1])
        return arcs__fail(ctx, ARCS_ERROR, "out of memory");
    if (s->blob.n > 0x7FFFFFFF)
        return arcs__fail(ctx, ARCS_ERROR, "audit batch too large");
    /* the entry bytes travel as raw bytea, not as hex text */
    params[2] = s->blob.b ? s->blob.b : "";
    lengths[2] = (int)s->blob.n;
    formats[2] = 1;
    if (!PQsendQueryParams(ctx->conn,
                           "SELECT arcs_audit.append($1::bigint[], $2::int[], $3::bytea)",
                           3, NULL, params, lengths, formats, 0))
        return arcs__db_fail_result(ctx, NULL);
    batch_reset(s);
    return ARCS_OK;
}

/* The result of the append sent by flush_send (every result is read, so
   the connection is free again, also after a failure). */
static arcs_status flush_wait(arcs_ctx *ctx)
{
    PGresult *res;
    arcs_status st = ARCS_OK;
    int got = 0;

    while ((res = PQgetResult(ctx->conn)) != NULL) {
        ExecStatusType rs = PQresultStatus(res);

        if (!got && rs != PGRES_TUPLES_OK && rs != PGRES_COMMAND_OK)
            st = arcs__db_fail_result(ctx, res);
        got = 1;
        PQclear(res);
    }
    if (!got)
        st = arcs__db_fail_result(ctx, NULL);
    return st;
}

/* The next batch of captured changes after id $1, in id order. */
#define PENDING_SQL                                                                      \
    "SELECT id::text, txid::text, table_name, op, key::text, old_row::text,"             \
    " new_row::text, db_user, actor,"                                                    \
    " pg_catalog.to_char(captured_at AT TIME ZONE 'UTC', "                               \
    "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"                                               \
    " FROM arcs_audit.pending p WHERE p.id > $1::bigint ORDER BY p.id LIMIT 10000"

struct seal_args {
    int64_t sealed;
    int64_t size;
};

static arcs_status seal_body(arcs_ctx *ctx, void *arg)
{
    struct seal_args *a = arg;
    struct seal_state s;
    PGresult *res = NULL;
    char last[24] = "0";
    const char *params[1];
    arcs_status st;
    int n, inflight = 0;

    memset(&s, 0, sizeof(s));
    /* The lock, and whether there is a log this binary writes: none before
       migration 0003, and until 0011 the log's arcs_audit.append takes what
       this binary no longer sends. Changes made there wait in pending; the
       upgrade's own seal (arcs db init) seals them. */
    st = arcs__db_exec(
        ctx, &res,
        "SELECT pg_catalog.pg_advisory_xact_lock(" ARCS__AUDIT_SEAL_LOCK "),"
        " pg_catalog.to_regprocedure('arcs_audit.append(bigint[], integer[],"
        " bytea)') IS NOT NULL",
        0, NULL);
    if (st != ARCS_OK || strcmp(PQgetvalue(res, 0, 1), "t"))
        goto done;
    PQclear(res);
    res = NULL;
    /* Every sealer holds the lock above, and this statement's snapshot is
       taken after it was granted: it sees the last sealer's size. No row
       lock, so a role that cannot seal still finds nothing to do. The
       database checks the size again, and keeps the tree. */
    st =
        arcs__db_exec(ctx, &res, "SELECT size::text FROM arcs_audit.tree_state", 0, NULL);
    if (st != ARCS_OK)
        goto done;
    if (PQntuples(res) != 1) {
        st = arcs__fail(ctx, ARCS_ERROR,
                        "the audit tree state is damaged; run arcs audit verify");
        goto done;
    }
    s.size = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    res = NULL;
    /* Batch k+1 is read before append k is sent, and built while the
       database checks and appends batch k. */
    params[0] = last;
    st = arcs__db_exec(ctx, &res, PENDING_SQL, 1, params);
    for (;;) {
        if (st != ARCS_OK)
            break;
        n = PQntuples(res);
        for (int i = 0; i < n && st == ARCS_OK; i++)
            st = seal_row(ctx, &s, res, i);
        if (n > 0)
            snprintf(last, sizeof(last), "%s", PQgetvalue(res, n - 1, 0));
        PQclear(res);
        res = NULL;
        if (inflight) {
            arcs_status w = flush_wait(ctx);

            inflight = 0;
            if (st == ARCS_OK)
                st = w;
        }
        if (st != ARCS_OK)
            break;
        if (n == SEAL_BATCH) {
            params[0] = last;
            st = arcs__db_exec(ctx, &res, PENDING_SQL, 1, params);
            if (st != ARCS_OK)
                break;
        }
        if (s.n > 0) {
            if ((st = flush_send(ctx, &s)) != ARCS_OK)
                break;
            inflight = 1;
        }
        if (n < SEAL_BATCH)
            break;
    }
    if (inflight) {
        arcs_status w = flush_wait(ctx);

        if (st == ARCS_OK)
            st = w;
    }
done:
    a->sealed = s.sealed;
    a->size = s.size;
    PQclear(res);
    arcs__audit_entry_free(&s.e);
    arcs__buf_free(&s.blob);
    arcs__buf_free(&s.ids);
    arcs__buf_free(&s.lens);
    return st;
}

arcs_status arcs__audit_seal(arcs_ctx *ctx, int64_t *sealed)
{
    struct seal_args a = {0, 0};
    arcs_status st;

    if (sealed)
        *sealed = 0;
    /* Read-only transactions do not come here: after a write there is
       nearly always something to seal, so no separate look first. */
    st = arcs__db_tx(ctx, ARCS__TX_NOSEAL, seal_body, &a);
    if (st == ARCS_OK && sealed)
        *sealed = a.sealed;
    return st;
}

arcs_status arcs_audit_seal(arcs_ctx *ctx, int64_t *sealed, int64_t *size)
{
    char *v = NULL;
    arcs_status st;
    int present;

    arcs__clear(ctx);
    if (size)
        *size = 0;
    st = arcs__audit_seal(ctx, sealed);
    if (st != ARCS_OK || !size)
        goto done;
    st = arcs__audit_present(ctx, &present);
    if (st != ARCS_OK || !present)
        goto done;
    st = arcs__db_value(ctx, &v, NULL, "SELECT size::text FROM arcs_audit.tree_state", 0,
                        NULL);
    if (st == ARCS_OK && v)
        *size = strtoll(v, NULL, 10);
done:
    free(v);
    return st;
}
