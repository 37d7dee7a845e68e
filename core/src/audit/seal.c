/*
 * Sealing captured changes into the audit log: pending rows become numbered
 * entries of canonical bytes, leaf hashes extend the stored frontier, and a
 * tree head is stored, all in one transaction under an advisory lock.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arcs/audit.h"
#include "capture_int.h"
#include "sha256_int.h"

/* Rows read and written per round trip. */
#define SEAL_BATCH 10000

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

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
        int hi = hexval(text[2 * i]), lo = hexval(text[2 * i + 1]);
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

/* The batch handed to arcs_audit.append (migration 0008): entry bytes back
   to back with their lengths, 32 bytes of leaf hash each, and array
   literals of the pending ids sealed and the untrusted convenience columns. */
struct seal_state {
    arcs_merkle_frontier f;
    arcs__audit_entry e; /* buffers reused from one change to the next */
    int64_t sealed;
    int n;            /* entries in the batch; the first is seq f.size - n */
    arcs__buf blob;   /* entry bytes */
    arcs__buf leaves; /* leaf hashes */
    arcs__buf ids, lens, keys, cases, assets; /* "{...}" array literals */
};

/* Start the next element of array literal b. */
static void list_next(arcs__buf *b)
{
    arcs__buf_put(b, b->n ? "," : "{", 1);
}

/* Append p[0, n) to array literal b as a quoted element, or NULL. */
static void list_quoted(arcs__buf *b, const char *p, size_t n)
{
    size_t from = 0;

    list_next(b);
    if (!p) {
        arcs__buf_puts(b, "NULL");
        return;
    }
    arcs__buf_put(b, "\"", 1);
    for (size_t i = 0; i < n; i++) {
        if (p[i] != '"' && p[i] != '\\')
            continue;
        arcs__buf_put(b, p + from, i - from);
        arcs__buf_put(b, "\\", 1);
        from = i;
    }
    arcs__buf_put(b, p + from, n - from);
    arcs__buf_put(b, "\"", 1);
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
    s->blob.n = s->leaves.n = 0;
    s->ids.n = s->lens.n = s->keys.n = s->cases.n = s->assets.n = 0;
}

/* Build one entry from pending row i and add it to the batch. */
static arcs_status seal_row(arcs_ctx *ctx, struct seal_state *s, PGresult *res, int i)
{
    static const uint8_t zero = 0;
    arcs__audit_change c;
    arcs__audit_entry *e = &s->e;
    uint8_t leaf[ARCS_HASH_SIZE];
    int64_t seq = (int64_t)s->f.size;
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
    st = arcs__audit_entry_make(e, seq, &c, &ctx->err);
    if (st != ARCS_OK)
        return arcs__fail(ctx, st, "cannot seal captured change %s: %s",
                          PQgetvalue(res, i, 0), ctx->err.msg);
    if (e->out.n > 0x3FFFFFFF)
        return arcs__fail(ctx, ARCS_ERROR, "captured change %s is too large to seal",
                          PQgetvalue(res, i, 0));
    if (arcs__sha256(leaf, &zero, 1, e->out.b, e->out.n) != 0)
        return arcs__fail(ctx, ARCS_ERROR, "sha-256 failed in openssl");
    if ((st = arcs_merkle_frontier_append(&s->f, leaf, &ctx->err)) != ARCS_OK)
        return st;
    arcs__buf_put(&s->blob, e->out.b, e->out.n);
    arcs__buf_put(&s->leaves, leaf, sizeof(leaf));
    list_next(&s->ids);
    arcs__buf_puts(&s->ids, PQgetvalue(res, i, 0));
    list_next(&s->lens);
    arcs__buf_printf(&s->lens, "%zu", e->out.n);
    list_quoted(&s->keys, e->key.out, e->key.n);
    list_quoted(&s->cases, e->case_id, e->case_id_len);
    list_quoted(&s->assets, e->asset_id, e->asset_id_len);
    if (s->blob.oom || s->leaves.oom || s->ids.oom || s->lens.oom || s->keys.oom ||
        s->cases.oom || s->assets.oom)
        return arcs__fail(ctx, ARCS_ERROR, "out of memory");
    s->n++;
    s->sealed++;
    return ARCS_OK;
}

/* Hand the batch to arcs_audit.append, which checks each entry against its
   captured change, appends them and deletes those changes; with final, it
   also stores the tree head and the frontier. */
static arcs_status flush_batch(arcs_ctx *ctx, struct seal_state *s, int final)
{
    uint8_t fbuf[ARCS_MERKLE_FRONTIER_MAX], root[ARCS_HASH_SIZE];
    size_t flen = 0;
    char first[24];
    const char *params[10];
    int lengths[10] = {0}, formats[10] = {0};
    arcs_status st;

    if (s->n == 0 && !final)
        return ARCS_OK;
    if (final && ((st = arcs_merkle_frontier_root(root, &s->f, &ctx->err)) != ARCS_OK ||
                  (st = arcs_merkle_frontier_serialize(fbuf, sizeof(fbuf), &flen, &s->f,
                                                       &ctx->err)) != ARCS_OK))
        return st;
    snprintf(first, sizeof(first), "%lld", (long long)(s->f.size - (uint64_t)s->n));
    params[0] = first;
    params[1] = list_close(&s->ids);
    params[2] = list_close(&s->lens);
    params[5] = list_close(&s->keys);
    params[6] = list_close(&s->cases);
    params[7] = list_close(&s->assets);
    if (!params[1] || !params[2] || !params[5] || !params[6] || !params[7])
        return arcs__fail(ctx, ARCS_ERROR, "out of memory");
    if (s->blob.n > 0x7FFFFFFF || s->leaves.n > 0x7FFFFFFF)
        return arcs__fail(ctx, ARCS_ERROR, "audit batch too large");
    /* the entry bytes and hashes travel as raw bytea, not as hex text */
    params[3] = s->blob.b ? s->blob.b : "";
    lengths[3] = (int)s->blob.n;
    formats[3] = 1;
    params[4] = s->leaves.b ? s->leaves.b : "";
    lengths[4] = (int)s->leaves.n;
    formats[4] = 1;
    params[8] = final ? (const char *)root : NULL;
    lengths[8] = final ? (int)sizeof(root) : 0;
    formats[8] = 1;
    params[9] = final ? (const char *)fbuf : NULL;
    lengths[9] = final ? (int)flen : 0;
    formats[9] = 1;
    st = arcs__db_exec_bin(ctx, NULL,
                           "SELECT arcs_audit.append($1::bigint, $2::bigint[], $3::int[],"
                           " $4::bytea, $5::bytea, $6::text[], $7::text[], $8::text[],"
                           " $9::bytea, $10::bytea)",
                           10, params, lengths, formats);
    batch_reset(s);
    return st;
}

struct seal_args {
    int64_t sealed;
    int64_t size;
};

static arcs_status seal_body(arcs_ctx *ctx, void *arg)
{
    struct seal_args *a = arg;
    struct seal_state s;
    PGresult *res = NULL;
    uint8_t fbuf[ARCS_MERKLE_FRONTIER_MAX];
    size_t flen;
    char last[24] = "0";
    const char *params[1];
    arcs_status st;
    int n;

    memset(&s, 0, sizeof(s));
    /* The lock, and whether there is a log this binary writes: none before
       migration 0003, and from 0003 to 0007 the log has no arcs_audit.append
       (0008). Changes made there wait in pending; the upgrade's own seal
       (arcs db init) seals them. */
    st = arcs__db_exec(ctx, &res,
                       "SELECT pg_catalog.pg_advisory_xact_lock(" ARCS__AUDIT_SEAL_LOCK
                       "),"
                       " pg_catalog.to_regprocedure('arcs_audit.append(bigint, bigint[],"
                       " integer[], bytea, bytea, text[], text[], text[], bytea, bytea)')"
                       " IS NOT NULL",
                       0, NULL);
    if (st != ARCS_OK || strcmp(PQgetvalue(res, 0, 1), "t"))
        goto done;
    PQclear(res);
    res = NULL;
    /* Every sealer holds the lock above, and this statement's snapshot is
       taken after it was granted: it sees the last sealer's frontier. No row
       lock, so a role that cannot seal still finds nothing to do. */
    st = arcs__db_exec(ctx, &res,
                       "SELECT size::text, frontier FROM arcs_audit.tree_state", 0, NULL);
    if (st != ARCS_OK)
        goto done;
    if (PQntuples(res) != 1 ||
        arcs__audit_unhex(fbuf, sizeof(fbuf), &flen, PQgetvalue(res, 0, 1)) != ARCS_OK ||
        arcs_merkle_frontier_deserialize(&s.f, fbuf, flen, &ctx->err) != ARCS_OK) {
        st = arcs__fail(ctx, ARCS_ERROR,
                        "the audit tree state is damaged; run arcs audit verify");
        goto done;
    }
    PQclear(res);
    res = NULL;
    for (;;) {
        params[0] = last;
        st = arcs__db_exec(
            ctx, &res,
            "SELECT id::text, txid::text, table_name, op, key::text, old_row::text,"
            " new_row::text, db_user, actor,"
            " pg_catalog.to_char(captured_at AT TIME ZONE 'UTC',"
            " 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
            " FROM arcs_audit.pending p WHERE p.id > $1::bigint ORDER BY p.id LIMIT "
            "10000",
            1, params);
        if (st != ARCS_OK)
            goto done;
        n = PQntuples(res);
        for (int i = 0; i < n; i++) {
            st = seal_row(ctx, &s, res, i);
            if (st != ARCS_OK)
                goto done;
        }
        if (n > 0)
            snprintf(last, sizeof(last), "%s", PQgetvalue(res, n - 1, 0));
        PQclear(res);
        res = NULL;
        /* the last call also stores the tree head; none when nothing was sealed */
        if (n < SEAL_BATCH) {
            if (s.sealed > 0)
                st = flush_batch(ctx, &s, 1);
            break;
        }
        if ((st = flush_batch(ctx, &s, 0)) != ARCS_OK)
            break;
    }
done:
    a->sealed = s.sealed;
    a->size = (int64_t)s.f.size;
    PQclear(res);
    arcs__audit_entry_free(&s.e);
    arcs__buf_free(&s.blob);
    arcs__buf_free(&s.leaves);
    arcs__buf_free(&s.ids);
    arcs__buf_free(&s.lens);
    arcs__buf_free(&s.keys);
    arcs__buf_free(&s.cases);
    arcs__buf_free(&s.assets);
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
