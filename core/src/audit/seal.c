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

/* Rows read and written per round trip. */
#define SEAL_BATCH 5000

static arcs_status set_parsed(arcs_json *obj, const char *name, const char *jsonb,
                              arcs_err *err)
{
    arcs_json *v = NULL;
    arcs_status st;

    if (!jsonb)
        return arcs_json_object_set_cstr(obj, name, arcs_json_new_null(), err);
    /* capture writes no numbers; should one slip in, it becomes its text */
    st = arcs_json_parse(&v, jsonb, strlen(jsonb), ARCS_JSON_NUMBERS_AS_STRINGS, err);
    if (st != ARCS_OK)
        return st;
    return arcs_json_object_set_cstr(obj, name, v, err);
}

arcs_status arcs__audit_entry_build(char **out, size_t *outlen, char **key_out,
                                    int64_t seq, const arcs__audit_change *c,
                                    arcs_err *err)
{
    arcs_json *obj = NULL, *key = NULL;
    char seqbuf[24];
    arcs_status st;

    *out = NULL;
    if (key_out)
        *key_out = NULL;
    snprintf(seqbuf, sizeof(seqbuf), "%lld", (long long)seq);
    obj = arcs_json_new_object();
    if (!obj) {
        st = arcs_err_set(err, ARCS_ERROR, "out of memory");
        goto done;
    }
    if ((st = arcs_json_object_set_cstr(obj, "actor", arcs_json_new_cstr(c->actor),
                                        err)) != ARCS_OK ||
        (st = arcs_json_object_set_cstr(obj, "db_user", arcs_json_new_cstr(c->db_user),
                                        err)) != ARCS_OK ||
        (st = set_parsed(obj, "key", c->key, err)) != ARCS_OK ||
        (st = set_parsed(obj, "new", c->new_row, err)) != ARCS_OK ||
        (st = set_parsed(obj, "old", c->old_row, err)) != ARCS_OK ||
        (st = arcs_json_object_set_cstr(obj, "op", arcs_json_new_cstr(c->op), err)) !=
            ARCS_OK ||
        (st = arcs_json_object_set_cstr(obj, "seq", arcs_json_new_cstr(seqbuf), err)) !=
            ARCS_OK ||
        (st = arcs_json_object_set_cstr(obj, "table", arcs_json_new_cstr(c->table),
                                        err)) != ARCS_OK ||
        (st = arcs_json_object_set_cstr(obj, "time", arcs_json_new_cstr(c->time), err)) !=
            ARCS_OK ||
        (st = arcs_json_object_set_cstr(obj, "txid", arcs_json_new_cstr(c->txid), err)) !=
            ARCS_OK)
        goto done;
    st = arcs_json_canonical(out, outlen, obj, err);
    if (st != ARCS_OK || !key_out)
        goto done;
    st = arcs_json_canonical(key_out, NULL, arcs_json_get(obj, "key"), err);
done:
    arcs_json_free(obj);
    arcs_json_free(key);
    if (st != ARCS_OK) {
        free(*out);
        *out = NULL;
    }
    return st;
}

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

/* COPY text format: backslash, tab, newline and carriage return escaped. */
static int copy_field(char **buf, size_t *len, size_t *cap, const char *s)
{
    size_t need = s ? 2 * strlen(s) + 3 : 3;

    if (*len + need + 1 > *cap) {
        size_t ncap = (*cap + need + 1) * 2;
        char *p = realloc(*buf, ncap);
        if (!p)
            return -1;
        *buf = p;
        *cap = ncap;
    }
    if (!s) {
        memcpy(*buf + *len, "\\N", 2);
        *len += 2;
        return 0;
    }
    for (; *s; s++) {
        char e = 0;
        if (*s == '\\')
            e = '\\';
        else if (*s == '\t')
            e = 't';
        else if (*s == '\n')
            e = 'n';
        else if (*s == '\r')
            e = 'r';
        if (e) {
            (*buf)[(*len)++] = '\\';
            (*buf)[(*len)++] = e;
        } else {
            (*buf)[(*len)++] = *s;
        }
    }
    return 0;
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

/* The value of a lookup field in the row image (new, else old), or NULL. */
static const char *image_field(const arcs_json *entry, const char *name)
{
    const arcs_json *img = arcs_json_get(entry, "new");

    if (!img || img->type != ARCS_JSON_OBJECT)
        img = arcs_json_get(entry, "old");
    return arcs_json_string(arcs_json_get(img, name), NULL);
}

struct seal_state {
    arcs_merkle_frontier f;
    int64_t sealed;
    char *copybuf;
    size_t copylen, copycap;
    char *ids;
    size_t idslen, idscap;
};

static int ids_add(struct seal_state *s, const char *id)
{
    size_t n = strlen(id);

    if (s->idslen + n + 3 > s->idscap) {
        size_t ncap = (s->idscap + n + 3) * 2;
        char *p = realloc(s->ids, ncap);
        if (!p)
            return -1;
        s->ids = p;
        s->idscap = ncap;
    }
    s->ids[s->idslen] = s->idslen == 0 ? '{' : ',';
    s->idslen++;
    memcpy(s->ids + s->idslen, id, n);
    s->idslen += n;
    s->ids[s->idslen] = '\0';
    return 0;
}

/* Build one entry from pending row i and append its COPY line. */
static arcs_status seal_row(arcs_ctx *ctx, struct seal_state *s, PGresult *res, int i)
{
    arcs__audit_change c;
    char *bytes = NULL, *key = NULL, *ehex = NULL, *lhex = NULL, seqbuf[24];
    arcs_json *parsed = NULL;
    uint8_t leaf[ARCS_HASH_SIZE];
    size_t len;
    int64_t seq = (int64_t)s->f.size;
    const char *case_id, *asset_id;
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
    st = arcs__audit_entry_build(&bytes, &len, &key, seq, &c, &ctx->err);
    if (st != ARCS_OK) {
        st = arcs__fail(ctx, st, "cannot seal captured change %s: %s",
                        PQgetvalue(res, i, 0), ctx->err.msg);
        goto done;
    }
    if ((st = arcs_merkle_leaf_hash(leaf, bytes, len)) != ARCS_OK ||
        (st = arcs_merkle_frontier_append(&s->f, leaf, &ctx->err)) != ARCS_OK)
        goto done;
    st = arcs_json_parse(&parsed, bytes, len, 0, &ctx->err);
    if (st != ARCS_OK)
        goto done;
    if (!strcmp(c.table, "arcs.cases"))
        case_id =
            arcs_json_string(arcs_json_get(arcs_json_get(parsed, "key"), "id"), NULL);
    else
        case_id = image_field(parsed, "case_id");
    if (!strcmp(c.table, "arcs.assets"))
        asset_id =
            arcs_json_string(arcs_json_get(arcs_json_get(parsed, "key"), "id"), NULL);
    else
        asset_id = image_field(parsed, "asset_id");
    ehex = bytea_hex((const uint8_t *)bytes, len);
    lhex = bytea_hex(leaf, sizeof(leaf));
    snprintf(seqbuf, sizeof(seqbuf), "%lld", (long long)seq);
    if (!ehex || !lhex) {
        st = arcs__fail(ctx, ARCS_ERROR, "out of memory");
        goto done;
    }
    {
        const char *fields[7] = {seqbuf, ehex, lhex, c.table, key, case_id, asset_id};
        for (int k = 0; k < 7; k++) {
            if (copy_field(&s->copybuf, &s->copylen, &s->copycap, fields[k])) {
                st = arcs__fail(ctx, ARCS_ERROR, "out of memory");
                goto done;
            }
            s->copybuf[s->copylen++] = k == 6 ? '\n' : '\t';
        }
    }
    if (ids_add(s, PQgetvalue(res, i, 0))) {
        st = arcs__fail(ctx, ARCS_ERROR, "out of memory");
        goto done;
    }
    s->sealed++;
done:
    arcs_json_free(parsed);
    free(bytes);
    free(key);
    free(ehex);
    free(lhex);
    return st;
}

/* COPY the batch's entries in, then delete exactly the pending rows sealed. */
static arcs_status flush_batch(arcs_ctx *ctx, struct seal_state *s)
{
    PGresult *res = NULL;
    const char *params[1];
    arcs_status st = ARCS_OK;

    if (s->copylen == 0)
        return ARCS_OK;
    /* a constant statement: the data travels separately */
    res = PQexec(ctx->conn, "COPY arcs_audit.entries (seq, entry, leaf_hash, table_name,"
                            " row_key, case_id, asset_id) FROM STDIN");
    if (PQresultStatus(res) != PGRES_COPY_IN) {
        st = arcs__db_fail_result(ctx, res);
        goto done;
    }
    PQclear(res);
    res = NULL;
    if (PQputCopyData(ctx->conn, s->copybuf, (int)s->copylen) != 1 ||
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
    s->ids[s->idslen] = '}';
    s->ids[s->idslen + 1] = '\0';
    params[0] = s->ids;
    st = arcs__db_exec(ctx, NULL,
                       "DELETE FROM arcs_audit.pending WHERE id = ANY ($1::bigint[])", 1,
                       params);
done:
    PQclear(res);
    /* drain whatever is left of the COPY exchange */
    while ((res = PQgetResult(ctx->conn)) != NULL)
        PQclear(res);
    s->copylen = 0;
    s->idslen = 0;
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
    const char *params[3];
    arcs_status st;
    int n;

    memset(&s, 0, sizeof(s));
    st = arcs__db_exec(
        ctx, NULL, "SELECT pg_catalog.pg_advisory_xact_lock(" ARCS__AUDIT_SEAL_LOCK ")",
        0, NULL);
    if (st != ARCS_OK)
        goto done;
    st = arcs__db_exec(
        ctx, &res, "SELECT size::text, frontier FROM arcs_audit.tree_state FOR UPDATE", 0,
        NULL);
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
            " FROM arcs_audit.pending p WHERE p.id > $1::bigint ORDER BY p.id LIMIT 5000",
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
        st = flush_batch(ctx, &s);
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
    st = arcs__db_exec(ctx, NULL,
                       "INSERT INTO arcs_audit.tree_heads (size, root)"
                       " VALUES ($1::bigint, $2::bytea)",
                       2, params);
    if (st != ARCS_OK)
        goto done;
    st = arcs__db_exec(ctx, NULL,
                       "UPDATE arcs_audit.tree_state SET size = $1::bigint,"
                       " frontier = $3::bytea WHERE one AND $2::text IS NOT NULL",
                       3, params);
done:
    a->sealed = s.sealed;
    a->size = (int64_t)s.f.size;
    PQclear(res);
    free(s.copybuf);
    free(s.ids);
    free(fhex);
    free(rhex);
    return st;
}

arcs_status arcs__audit_seal(arcs_ctx *ctx, int64_t *sealed)
{
    struct seal_args a = {0, 0};
    char *v = NULL;
    int present;
    arcs_status st;

    if (sealed)
        *sealed = 0;
    st = arcs__audit_present(ctx, &present);
    if (st != ARCS_OK || !present)
        goto done;
    /* nothing to do is the common case after a read: skip the lock */
    st = arcs__db_value(ctx, &v, NULL, "SELECT EXISTS (SELECT 1 FROM arcs_audit.pending)",
                        0, NULL);
    if (st != ARCS_OK || !v || strcmp(v, "t"))
        goto done;
    st = arcs__db_tx(ctx, ARCS__TX_NOSEAL, seal_body, &a);
    if (st == ARCS_OK && sealed)
        *sealed = a.sealed;
done:
    free(v);
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
