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

/* COPY binary format: a field is its int32 length (-1: NULL) and its bytes. */
static void copy_field(arcs__buf *b, const void *p, size_t n)
{
    uint8_t be[4];
    uint32_t v = p ? (uint32_t)n : 0xFFFFFFFFu;

    if (n > 0x7FFFFFFF) {
        b->oom = 1;
        return;
    }
    be[0] = (uint8_t)(v >> 24);
    be[1] = (uint8_t)(v >> 16);
    be[2] = (uint8_t)(v >> 8);
    be[3] = (uint8_t)v;
    arcs__buf_put(b, be, 4);
    if (p)
        arcs__buf_put(b, p, n);
}

/* "\x" + hex, the bytea input form */
static char *bytea_hex(const uint8_t *b, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    char *s = malloc(2 * n + 3);

    if (!s)
        return NULL;
    s[0] = '\\';
    s[1] = 'x';
    for (size_t i = 0; i < n; i++) {
        s[2 + 2 * i] = digits[b[i] >> 4];
        s[3 + 2 * i] = digits[b[i] & 15];
    }
    s[2 * n + 2] = '\0';
    return s;
}

struct seal_state {
    arcs_merkle_frontier f;
    arcs__audit_entry e; /* buffers reused from one change to the next */
    int64_t sealed;
    arcs__buf copy; /* COPY rows of the batch */
    arcs__buf ids;  /* "{id,id,..." of the pending rows they seal */
};

/* The ids gathered so far as an array literal ("{}" when none), or NULL
   when out of memory; called once before the buffer is emptied. */
static const char *ids_array(struct seal_state *s)
{
    if (s->ids.n == 0)
        return "{}";
    arcs__buf_put(&s->ids, "}", 1);
    return s->ids.oom ? NULL : s->ids.b;
}

/* Build one entry from pending row i and append its COPY row. */
static arcs_status seal_row(arcs_ctx *ctx, struct seal_state *s, PGresult *res, int i)
{
    static const uint8_t zero = 0;
    arcs__audit_change c;
    arcs__audit_entry *e = &s->e;
    uint8_t leaf[ARCS_HASH_SIZE], seqbe[8], nfields[2] = {0, 7};
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
    if (arcs__sha256(leaf, &zero, 1, e->out.b, e->out.n) != 0)
        return arcs__fail(ctx, ARCS_ERROR, "sha-256 failed in openssl");
    if ((st = arcs_merkle_frontier_append(&s->f, leaf, &ctx->err)) != ARCS_OK)
        return st;
    for (int k = 0; k < 8; k++)
        seqbe[k] = (uint8_t)((uint64_t)seq >> (56 - 8 * k));
    arcs__buf_put(&s->copy, nfields, 2);
    copy_field(&s->copy, seqbe, 8);
    copy_field(&s->copy, e->out.b, e->out.n);
    copy_field(&s->copy, leaf, sizeof(leaf));
    copy_field(&s->copy, c.table, strlen(c.table));
    copy_field(&s->copy, e->key.out, e->key.n);
    copy_field(&s->copy, e->case_id, e->case_id_len);
    copy_field(&s->copy, e->asset_id, e->asset_id_len);
    arcs__buf_put(&s->ids, s->ids.n ? "," : "{", 1);
    arcs__buf_put(&s->ids, PQgetvalue(res, i, 0), strlen(PQgetvalue(res, i, 0)));
    if (s->copy.oom || s->ids.oom)
        return arcs__fail(ctx, ARCS_ERROR, "out of memory");
    s->sealed++;
    return ARCS_OK;
}

/* COPY the batch's entries in; with delete, also delete exactly the pending
   rows sealed (otherwise their ids stay in s->ids for the final statement). */
static arcs_status flush_batch(arcs_ctx *ctx, struct seal_state *s, int delete)
{
    /* binary COPY: signature, flags, no header extension; -1 fields ends it */
    static const uint8_t copy_header[19] = {
        'P', 'G', 'C', 'O', 'P', 'Y', '\n', 0xff, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0};
    static const uint8_t copy_trailer[2] = {0xff, 0xff};
    PGresult *res = NULL;
    const char *params[1];
    arcs_status st = ARCS_OK;

    if (s->copy.n == 0)
        return ARCS_OK;
    /* a constant statement: the data travels separately */
    res = PQexec(ctx->conn, "COPY arcs_audit.entries (seq, entry, leaf_hash, table_name,"
                            " row_key, case_id, asset_id) FROM STDIN (FORMAT binary)");
    if (PQresultStatus(res) != PGRES_COPY_IN) {
        st = arcs__db_fail_result(ctx, res);
        goto done;
    }
    PQclear(res);
    res = NULL;
    if (PQputCopyData(ctx->conn, (const char *)copy_header, sizeof(copy_header)) != 1 ||
        PQputCopyData(ctx->conn, s->copy.b, (int)s->copy.n) != 1 ||
        PQputCopyData(ctx->conn, (const char *)copy_trailer, sizeof(copy_trailer)) != 1 ||
        PQputCopyEnd(ctx->conn, NULL) != 1) {
        st = arcs__fail(ctx, ARCS_ERROR, "cannot write audit entries: %s",
                        PQerrorMessage(ctx->conn));
        goto done;
    }
    res = PQgetResult(ctx->conn);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        st = arcs__db_fail_result(ctx, res);
        goto done;
    }
    s->copy.n = 0;
    if (delete) {
        if (!(params[0] = ids_array(s))) {
            st = arcs__fail(ctx, ARCS_ERROR, "out of memory");
            goto done;
        }
        st = arcs__db_exec(ctx, NULL,
                           "DELETE FROM arcs_audit.pending WHERE id = ANY ($1::bigint[])",
                           1, params);
        s->ids.n = 0;
    }
done:
    PQclear(res);
    /* drain whatever is left of the COPY exchange */
    while ((res = PQgetResult(ctx->conn)) != NULL)
        PQclear(res);
    s->copy.n = 0;
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
    uint8_t fbuf[ARCS_MERKLE_FRONTIER_MAX], root[ARCS_HASH_SIZE];
    size_t flen;
    char last[24] = "0", sizebuf[24], *fhex = NULL, *rhex = NULL;
    const char *params[4];
    arcs_status st;
    int n;

    memset(&s, 0, sizeof(s));
    /* the lock, and whether there is a log at all (before migration 0003) */
    st = arcs__db_exec(ctx, &res,
                       "SELECT pg_catalog.pg_advisory_xact_lock(" ARCS__AUDIT_SEAL_LOCK
                       "),"
                       " pg_catalog.to_regclass('arcs_audit.tree_state') IS NOT NULL",
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
        /* the last batch's rows are deleted by the final statement below */
        st = flush_batch(ctx, &s, n == SEAL_BATCH);
        if (st != ARCS_OK || n < SEAL_BATCH)
            break;
    }
    if (st != ARCS_OK || s.sealed == 0)
        goto done;
    if ((st = arcs_merkle_frontier_root(root, &s.f, &ctx->err)) != ARCS_OK ||
        (st = arcs_merkle_frontier_serialize(fbuf, sizeof(fbuf), &flen, &s.f,
                                             &ctx->err)) != ARCS_OK)
        goto done;
    fhex = bytea_hex(fbuf, flen);
    rhex = bytea_hex(root, sizeof(root));
    if (!fhex || !rhex) {
        st = arcs__fail(ctx, ARCS_ERROR, "out of memory");
        goto done;
    }
    snprintf(sizebuf, sizeof(sizebuf), "%llu", (unsigned long long)s.f.size);
    params[0] = sizebuf;
    params[1] = rhex;
    params[2] = fhex;
    if (!(params[3] = ids_array(&s))) {
        st = arcs__fail(ctx, ARCS_ERROR, "out of memory");
        goto done;
    }
    /* one round trip: the last batch leaves pending, the tree head is
       stored, the frontier moves */
    st = arcs__db_exec(
        ctx, NULL,
        "WITH d AS (DELETE FROM arcs_audit.pending WHERE id = ANY ($4::bigint[])),"
        " h AS (INSERT INTO arcs_audit.tree_heads (size, root)"
        "       VALUES ($1::bigint, $2::bytea))"
        " UPDATE arcs_audit.tree_state SET size = $1::bigint,"
        " frontier = $3::bytea WHERE one",
        4, params);
done:
    a->sealed = s.sealed;
    a->size = (int64_t)s.f.size;
    PQclear(res);
    arcs__audit_entry_free(&s.e);
    arcs__buf_free(&s.copy);
    arcs__buf_free(&s.ids);
    free(fhex);
    free(rhex);
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
