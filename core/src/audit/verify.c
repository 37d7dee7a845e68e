/*
 * arcs audit verify: recompute everything from the raw entry bytes in one
 * snapshot, trusting no stored hash, and compare the business tables with
 * what replaying the log says they hold.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "arcs/audit.h"
#include "arcs/note.h"
#include "canonical_int.h"
#include "capture_int.h"
#include "rows_int.h"
#include "sha256_int.h"

/*
 * Replay keeps, per row key, a digest of its latest image only: 32 bytes a
 * key, open addressing, sized up front for one key a sealed entry and one a
 * pending change (1M entries: 1.33M slots, 43 MiB), grown by half only when
 * that estimate was short. The key is the first 16 bytes of SHA-256(table
 * 0x00 canonical key): two distinct keys collide with probability below
 * n^2 / 2^129 (2^-89 at 1M keys), and forging a collision costs 2^64 work.
 * The image is 10 bytes of SHA-256(canonical image): a row changed behind the
 * log's back matches its logged digest by chance with probability 2^-80, and
 * on purpose only with a second preimage (2^80 work).
 */
#define IMAGE_BYTES 10
#define SEQ_NONE 0xFFFFFFFFFFull /* 5 bytes: pending only, never sealed */

enum { SLOT_USED = 1, SLOT_LIVE = 2, SLOT_SEEN = 4 };

typedef struct slot {
    uint8_t key[16];
    uint8_t image[IMAGE_BYTES]; /* zero when deleted */
    uint8_t seq[5];             /* latest entry, big-endian; SEQ_NONE: pending only */
    uint8_t flags;
} slot;

typedef struct replay {
    slot *slots;
    size_t cap, n;
} replay;

static int64_t slot_seq(const slot *s)
{
    uint64_t v = 0;

    for (int i = 0; i < 5; i++)
        v = v << 8 | s->seq[i];
    return v == SEQ_NONE ? -1 : (int64_t)v;
}

static void slot_set_seq(slot *s, int64_t seq)
{
    /* logs past 2^40 - 1 entries report their latest entries as the last seq */
    uint64_t v =
        seq < 0 ? SEQ_NONE : ((uint64_t)seq >= SEQ_NONE ? SEQ_NONE - 1 : (uint64_t)seq);

    for (int i = 4; i >= 0; i--, v >>= 8)
        s->seq[i] = (uint8_t)v;
}

typedef struct cpinfo {
    const char *name;
    char *own;  /* the name, when made here (a stored checkpoint) */
    int stored; /* a row of arcs_audit.checkpoints, not a given file */
    int parsed;
    uint64_t size;
    uint8_t root[ARCS_HASH_SIZE];
} cpinfo;

typedef struct head {
    int64_t size;
    uint8_t root[ARCS_HASH_SIZE];
} head;

struct vstate {
    arcs_ctx *ctx;
    const arcs_audit_verify_opts *o;
    arcs_audit_verify_result *res;
    arcs_merkle_frontier f;
    int64_t next; /* expected seq */
    replay r;
    EVP_MD_CTX *md; /* reused for every digest */
    const EVP_MD *sha256;
    head *heads;
    size_t nheads, hpos;
    cpinfo *cps;
    size_t ncps;
};

static void finding(struct vstate *v, int64_t seq, const char *entity, const char *fmt,
                    ...) __attribute__((format(printf, 4, 5)));

static void finding(struct vstate *v, int64_t seq, const char *entity, const char *fmt,
                    ...)
{
    char buf[600];
    va_list ap;
    arcs_audit_finding f;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    for (char *p = buf; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    f.seq = seq;
    f.entity = entity ? entity : "";
    f.problem = buf;
    v->res->findings++;
    if (v->o->on_finding)
        v->o->on_finding(v->o->arg, &f);
}

/* SHA-256(a [0x00 b]) with the one context of the run: no allocation, no
   algorithm fetch per digest. prefix, when not negative, comes first. */
static void sha(struct vstate *v, uint8_t out[32], int prefix, const void *a, size_t alen,
                const void *b, size_t blen)
{
    static const uint8_t zero = 0;
    uint8_t pre = (uint8_t)prefix;

    if (!EVP_DigestInit_ex(v->md, v->sha256, NULL) ||
        (prefix >= 0 && !EVP_DigestUpdate(v->md, &pre, 1)) ||
        !EVP_DigestUpdate(v->md, a, alen) ||
        (b &&
         (!EVP_DigestUpdate(v->md, &zero, 1) || !EVP_DigestUpdate(v->md, b, blen))) ||
        !EVP_DigestFinal_ex(v->md, out, NULL))
        memset(out, 0, 32);
}

static int replay_alloc(replay *r, size_t cap)
{
    slot *ns = calloc(cap, sizeof(slot));

    if (!ns)
        return -1;
    for (size_t k = 0; k < r->cap; k++) {
        uint64_t h;
        size_t i;
        if (!(r->slots[k].flags & SLOT_USED))
            continue;
        memcpy(&h, r->slots[k].key, 8);
        for (i = (size_t)(h % cap); ns[i].flags & SLOT_USED; i = i + 1 == cap ? 0 : i + 1)
            ;
        ns[i] = r->slots[k];
    }
    free(r->slots);
    r->slots = ns;
    r->cap = cap;
    return 0;
}

static slot *replay_find(replay *r, const uint8_t key[16], int create)
{
    uint64_t h;
    size_t i;

    /* load at most 3/4; growing is the fallback for a short estimate */
    if (create && (r->n + 1) * 4 > r->cap * 3 &&
        replay_alloc(r, r->cap < 4096 ? 4096 : r->cap + r->cap / 2))
        return NULL;
    if (!r->cap)
        return NULL;
    memcpy(&h, key, 8);
    for (i = (size_t)(h % r->cap); r->slots[i].flags & SLOT_USED;
         i = i + 1 == r->cap ? 0 : i + 1)
        if (!memcmp(r->slots[i].key, key, 16))
            return &r->slots[i];
    if (!create)
        return NULL;
    memset(&r->slots[i], 0, sizeof(slot));
    r->slots[i].flags = SLOT_USED;
    memcpy(r->slots[i].key, key, 16);
    r->n++;
    return &r->slots[i];
}

static void key_digest(struct vstate *v, uint8_t out[16], const char *table,
                       const char *ckey, size_t cklen)
{
    uint8_t d[32];

    sha(v, d, -1, table, strlen(table), ckey, cklen);
    memcpy(out, d, 16);
}

static void image_digest(struct vstate *v, uint8_t out[IMAGE_BYTES], const char *cimage,
                         size_t len)
{
    uint8_t d[32];

    sha(v, d, -1, cimage, len, NULL, 0);
    memcpy(out, d, IMAGE_BYTES);
}

/*
 * Sensitive columns are kept out of captured images (migration 0010); logs
 * sealed before it hold them as an unsalted digest. The rule, in one place:
 * a logged image of arcs.subjects is compared without its id_number member,
 * so old and new entries and the current rows (read without the column)
 * agree. The cost: a change of an identity number alone, made with capture
 * off, is not caught (docs/audit-format.md).
 */
static const char *sensitive_member(const char *table)
{
    return strcmp(table, "arcs.subjects") == 0 ? "id_number" : NULL;
}

/* The image digest of a logged canonical image, its sensitive member cut:
   the bytes around the member and one of its commas, as image_digest would
   hash them joined. */
static void logged_image_digest(struct vstate *v, uint8_t out[IMAGE_BYTES],
                                const char *table, const char *cimage, size_t len)
{
    const char *name = sensitive_member(table);
    arcs__json_member m[64];
    size_t n = 0, nlen = name ? strlen(name) : 0;
    uint8_t d[32];

    if (name)
        arcs__json_split_object(cimage, len, m, 64, &n);
    for (size_t i = 0; i < n && i < 64; i++) {
        const char *from = m[i].key - 1, *to = m[i].val + m[i].vallen;

        if (m[i].keylen != nlen || memcmp(m[i].key, name, nlen))
            continue;
        if (from > cimage && from[-1] == ',')
            from--;
        else if (to < cimage + len && *to == ',')
            to++;
        if (!EVP_DigestInit_ex(v->md, v->sha256, NULL) ||
            !EVP_DigestUpdate(v->md, cimage, (size_t)(from - cimage)) ||
            !EVP_DigestUpdate(v->md, to, (size_t)(cimage + len - to)) ||
            !EVP_DigestFinal_ex(v->md, d, NULL))
            memset(d, 0, sizeof(d));
        memcpy(out, d, IMAGE_BYTES);
        return;
    }
    image_digest(v, out, cimage, len);
}

/* Check heads and checkpoints whose size the tree has just reached. */
static arcs_status check_sizes(struct vstate *v)
{
    uint8_t root[ARCS_HASH_SIZE];
    char hex[65];
    int have = 0;
    arcs_status st = ARCS_OK;

    while (v->hpos < v->nheads && v->heads[v->hpos].size <= (int64_t)v->f.size) {
        head *h = &v->heads[v->hpos++];
        if (h->size < (int64_t)v->f.size)
            continue; /* a head between sizes: reported as out of place below */
        if (!have && (st = arcs_merkle_frontier_root(root, &v->f, NULL)) != ARCS_OK)
            return st;
        have = 1;
        if (memcmp(root, h->root, ARCS_HASH_SIZE)) {
            arcs_hash_hex(hex, root);
            finding(v, h->size - 1, "arcs_audit.tree_heads",
                    "stored tree head of size %lld differs from the root recomputed from "
                    "the entries (%s): a hash or an entry was changed",
                    (long long)h->size, hex);
        }
    }
    for (size_t i = 0; i < v->ncps; i++) {
        cpinfo *c = &v->cps[i];
        if (!c->parsed || c->size != v->f.size)
            continue;
        if (!have && (st = arcs_merkle_frontier_root(root, &v->f, NULL)) != ARCS_OK)
            return st;
        have = 1;
        if (memcmp(root, c->root, ARCS_HASH_SIZE))
            finding(v, (int64_t)c->size - 1, c->name,
                    "checkpoint root differs from the log's root at size %llu: the log "
                    "was rewritten or forked since it was signed, or the checkpoint "
                    "was forged",
                    (unsigned long long)c->size);
        else if (!c->stored)
            v->res->checkpoints_ok++;
        c->parsed = 2; /* checked */
    }
    return ARCS_OK;
}

static int valid_op(const char *op)
{
    return op &&
           (!strcmp(op, "insert") || !strcmp(op, "update") || !strcmp(op, "delete"));
}

/* Replay one change (entry or pending) into the per-key state. ckey, cold
   and cnew are canonical bytes; cold (cnew) is NULL when the old (new) image
   is not an object. */
static arcs_status replay_apply(struct vstate *v, int64_t seq, const char *table,
                                const char *op, const char *ckey, size_t cklen,
                                const char *cold, size_t coldlen, const char *cnew,
                                size_t cnewlen, int check_old)
{
    char entity[400];
    uint8_t kd[16], od[IMAGE_BYTES];
    slot *s;
    int is_insert = !strcmp(op, "insert");

    key_digest(v, kd, table, ckey, cklen);
    s = replay_find(&v->r, kd, 1);
    if (!s)
        return arcs__fail(v->ctx, ARCS_ERROR, "out of memory");
    if (check_old) {
        int live = (s->flags & SLOT_LIVE) != 0, ok = 1;
        if (!is_insert) {
            ok = live && cold;
            if (ok) {
                logged_image_digest(v, od, table, cold, coldlen);
                ok = !memcmp(od, s->image, IMAGE_BYTES);
            }
        }
        if ((is_insert && live) || !ok)
            snprintf(entity, sizeof(entity), "%s %.*s", table, (int)cklen, ckey);
        if (is_insert && live)
            finding(v, seq, entity,
                    "insert of a row the log already holds (entry %lld): an entry was "
                    "deleted or inserted",
                    (long long)slot_seq(s));
        if (!ok)
            finding(v, seq, entity,
                    "%s whose old row is not what the log held before (entry %lld): "
                    "an entry was changed, deleted, inserted or reordered",
                    op, (long long)slot_seq(s));
    }
    slot_set_seq(s, seq);
    if (!strcmp(op, "delete") || !cnew) {
        s->flags &= (uint8_t)~SLOT_LIVE;
        memset(s->image, 0, IMAGE_BYTES);
    } else {
        logged_image_digest(v, s->image, table, cnew, cnewlen);
        s->flags |= SLOT_LIVE;
    }
    return ARCS_OK;
}

/*
 * Member spans of a canonical entry. The bytes were checked canonical, and
 * the serializer writes a member's value exactly as it writes that value on
 * its own, so each value's span is its canonical form: no re-serializing.
 */
typedef struct span {
    const char *p;
    size_t n;
} span;

enum {
    F_ACTOR,
    F_DB_USER,
    F_KEY,
    F_NEW,
    F_OLD,
    F_OP,
    F_SEQ,
    F_TABLE,
    F_TIME,
    F_TXID,
    F_N
};
static const char *const field_names[F_N] = {"actor", "db_user", "key",   "new",  "old",
                                             "op",    "seq",     "table", "time", "txid"};
static const size_t field_len[F_N] = {5, 7, 3, 3, 3, 2, 3, 5, 4, 4};

/* Split a canonical object into its members; *count gets their number (0 if
   it is not an object). Unknown members are counted, not kept. */
static void entry_fields(span f[F_N], size_t *count, const char *s, size_t len)
{
    arcs__json_member m[F_N + 1];
    size_t n;

    memset(f, 0, F_N * sizeof(span));
    arcs__json_split_object(s, len, m, F_N + 1, &n);
    *count = n;
    for (size_t k = 0; k < n && k < F_N + 1; k++)
        for (int j = 0; j < F_N; j++)
            if (m[k].keylen == field_len[j] &&
                !memcmp(m[k].key, field_names[j], field_len[j])) {
                f[j].p = m[k].val;
                f[j].n = m[k].vallen;
            }
}

/* The decoded text of a canonical string span into buf (NUL-terminated, as
   the tree's strings are), or NULL when it is not a string. */
static const char *span_string(char *buf, size_t cap, span sp, char **heap)
{
    arcs_json *j = NULL;
    const char *r = NULL;

    if (!sp.p || sp.n < 2 || sp.p[0] != '"')
        return NULL;
    if (!memchr(sp.p, '\\', sp.n) && sp.n - 2 < cap) {
        memcpy(buf, sp.p + 1, sp.n - 2);
        buf[sp.n - 2] = '\0';
        return buf;
    }
    /* escapes or a long string: decode through the parser */
    if (arcs_json_parse(&j, sp.p, sp.n, 0, NULL) == ARCS_OK &&
        j->type == ARCS_JSON_STRING) {
        free(*heap);
        *heap = malloc(j->len + 1);
        if (*heap) {
            memcpy(*heap, j->str, j->len + 1);
            r = *heap;
        }
    }
    arcs_json_free(j);
    return r;
}

/* The index columns stored beside an entry (arcs_audit.entries), in the
   order table_name, row_key, case_id, asset_id; len < 0 for NULL. */
enum { IX_TABLE, IX_ROW_KEY, IX_CASE, IX_ASSET, IX_N };
static const char *const index_names[IX_N] = {"table_name", "row_key", "case_id",
                                              "asset_id"};

typedef struct index_cols {
    const char *p[IX_N];
    int64_t n[IX_N];
} index_cols;

/* The values of members n1 and n2 (n2 may be NULL) of canonical object obj
   when each is a string without escapes (an id), as the sealer reads them;
   else their p is NULL. One pass over the object for both. */
static void id_members(span obj, const char *n1, span *o1, const char *n2, span *o2)
{
    arcs__json_member local[128], *m = local;
    size_t count = 0;
    const char *names[2] = {n1, n2};
    span *outs[2] = {o1, o2};

    o1->p = NULL;
    if (o2)
        o2->p = NULL;
    if (!obj.p || obj.n < 2 || obj.p[0] != '{')
        return;
    arcs__json_split_object(obj.p, obj.n, m, 128, &count);
    if (count > 128) {
        m = malloc(count * sizeof(*m));
        if (!m)
            return;
        arcs__json_split_object(obj.p, obj.n, m, count, &count);
    }
    for (size_t k = 0; k < count; k++)
        for (int w = 0; w < 2; w++) {
            size_t nlen = names[w] ? strlen(names[w]) : 0;
            if (!names[w] || m[k].keylen != nlen || memcmp(m[k].key, names[w], nlen))
                continue;
            if (m[k].vallen >= 2 && m[k].val[0] == '"' &&
                !memchr(m[k].val, '\\', m[k].vallen)) {
                outs[w]->p = m[k].val + 1;
                outs[w]->n = m[k].vallen - 2;
            }
        }
    if (m != local)
        free(m);
}

/*
 * The index columns are a lookup aid written beside the bytes: recompute
 * them from the bytes with the sealer's rule (table, canonical key, and the
 * "id" of the key for arcs.cases / arcs.assets, else the "case_id" /
 * "asset_id" of the new image, or the old one when there is no new) and
 * report any that differ: a changed column hides an entry from audit log
 * --case and the reports.
 */
static void check_index(struct vstate *v, int64_t seq, const char *table, const span *f,
                        const index_cols *ix)
{
    span want[IX_N], img = f[F_NEW].p[0] == '{' ? f[F_NEW] : f[F_OLD];

    want[IX_TABLE].p = table;
    want[IX_TABLE].n = strlen(table);
    want[IX_ROW_KEY] = f[F_KEY];
    if (!strcmp(table, "arcs.cases")) {
        id_members(f[F_KEY], "id", &want[IX_CASE], NULL, NULL);
        id_members(img, "asset_id", &want[IX_ASSET], NULL, NULL);
    } else if (!strcmp(table, "arcs.assets")) {
        id_members(f[F_KEY], "id", &want[IX_ASSET], NULL, NULL);
        id_members(img, "case_id", &want[IX_CASE], NULL, NULL);
    } else {
        id_members(img, "case_id", &want[IX_CASE], "asset_id", &want[IX_ASSET]);
    }
    for (int i = 0; i < IX_N; i++) {
        int same = want[i].p ? ix->n[i] == (int64_t)want[i].n &&
                                   !memcmp(ix->p[i], want[i].p, want[i].n)
                             : ix->n[i] < 0;
        if (same)
            continue;
        finding(v, seq, "arcs_audit.entries",
                "index column %s is %s%.*s%s but the entry's bytes give "
                "%s%.*s%s: the column was changed, hiding the entry from lookups by "
                "case, asset or row",
                index_names[i], ix->n[i] < 0 ? "NULL" : "'",
                ix->n[i] < 0 ? 0 : (int)(ix->n[i] > 120 ? 120 : ix->n[i]),
                ix->n[i] < 0 ? "" : ix->p[i], ix->n[i] < 0 ? "" : "'",
                want[i].p ? "'" : "NULL",
                want[i].p ? (int)(want[i].n > 120 ? 120 : want[i].n) : 0,
                want[i].p ? want[i].p : "", want[i].p ? "'" : "");
    }
}

static arcs_status entry_cb(void *arg, int64_t seq, const uint8_t *bytes, size_t len,
                            const index_cols *ix)
{
    struct vstate *v = arg;
    const char *e = (const char *)bytes;
    uint8_t leaf[ARCS_HASH_SIZE];
    arcs_err err = {ARCS_OK, ""};
    span f[F_N];
    arcs__json_member m[F_N + 1];
    size_t count;
    char seqbuf[24], tbuf[256], obuf[16], sbuf[32], *theap = NULL, *oheap = NULL,
                                                    *sheap = NULL;
    const char *field, *table, *op;
    arcs_status st = ARCS_OK, cs;

    if (seq != v->next) {
        if (seq > v->next)
            finding(v, v->next, "arcs_audit.entries",
                    "entries %lld to %lld are missing: the log was cut",
                    (long long)v->next, (long long)seq - 1);
        v->next = seq;
    }
    v->next++;
    /* the tree is built over the entries in their stored order, whatever they say */
    sha(v, leaf, 0x00, bytes, len, NULL, 0);
    if ((st = arcs_merkle_frontier_append(&v->f, leaf, NULL)) != ARCS_OK)
        return st;
    /* one pass checks the bytes and finds the members; what it does not
       recognize goes to the reference check, which also says why */
    if (arcs__json_recognize_object(e, len, m, F_N + 1, &count) && count <= F_N + 1) {
        memset(f, 0, sizeof(f));
        for (size_t i = 0; i < count; i++)
            for (int j = 0; j < F_N; j++)
                if (m[i].keylen == field_len[j] &&
                    !memcmp(m[i].key, field_names[j], field_len[j])) {
                    f[j].p = m[i].val;
                    f[j].n = m[i].vallen;
                    break;
                }
    } else {
        cs = arcs_json_is_canonical(e, len, &err);
        if (cs == ARCS_ERROR)
            return arcs__fail(v->ctx, ARCS_ERROR, "out of memory");
        if (cs != ARCS_OK) {
            finding(v, seq, "arcs_audit.entries",
                    "entry bytes are not canonical JSON (%s): the entry was changed",
                    err.msg);
            goto heads;
        }
        entry_fields(f, &count, e, len);
    }
    snprintf(seqbuf, sizeof(seqbuf), "%lld", (long long)seq);
    field = span_string(sbuf, sizeof(sbuf), f[F_SEQ], &sheap);
    table = span_string(tbuf, sizeof(tbuf), f[F_TABLE], &theap);
    op = span_string(obuf, sizeof(obuf), f[F_OP], &oheap);
    if (!table || !valid_op(op) || !f[F_KEY].p || f[F_KEY].p[0] != '{' || !f[F_NEW].p ||
        !f[F_OLD].p || !f[F_TIME].p || f[F_TIME].p[0] != '"' || !f[F_DB_USER].p ||
        f[F_DB_USER].p[0] != '"' || !f[F_ACTOR].p || f[F_ACTOR].p[0] != '"' ||
        !f[F_TXID].p || f[F_TXID].p[0] != '"' || count != 10) {
        finding(
            v, seq, table ? table : "arcs_audit.entries",
            "entry does not have the fields of an audit entry: it was forged or changed");
        goto heads;
    }
    if (!field || strcmp(field, seqbuf)) {
        finding(v, seq, table,
                "entry says seq %s but sits at position %lld: entries were reordered, "
                "inserted or deleted",
                field ? field : "(none)", (long long)seq);
    }
    check_index(v, seq, table, f, ix);
    st = replay_apply(v, seq, table, op, f[F_KEY].p, f[F_KEY].n,
                      f[F_OLD].p[0] == '{' ? f[F_OLD].p : NULL, f[F_OLD].n,
                      f[F_NEW].p[0] == '{' ? f[F_NEW].p : NULL, f[F_NEW].n, 1);
heads:
    free(theap);
    free(oheap);
    free(sheap);
    if (st == ARCS_OK)
        st = check_sizes(v);
    return st;
}

static arcs_status load_heads(struct vstate *v)
{
    PGresult *res = NULL;
    size_t len;
    arcs_status st;

    st = arcs__db_exec(
        v->ctx, &res,
        "SELECT size::text, root FROM arcs_audit.tree_heads h ORDER BY h.size", 0, NULL);
    if (st != ARCS_OK)
        goto done;
    v->nheads = (size_t)PQntuples(res);
    v->heads = calloc(v->nheads + 1, sizeof(head));
    if (!v->heads) {
        st = arcs__fail(v->ctx, ARCS_ERROR, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < v->nheads; i++) {
        v->heads[i].size = strtoll(PQgetvalue(res, (int)i, 0), NULL, 10);
        if (arcs__audit_unhex(v->heads[i].root, ARCS_HASH_SIZE, &len,
                              PQgetvalue(res, (int)i, 1)) != ARCS_OK ||
            len != ARCS_HASH_SIZE)
            memset(v->heads[i].root, 0, ARCS_HASH_SIZE);
    }
done:
    PQclear(res);
    return st;
}

static arcs_status load_checkpoints(struct vstate *v, arcs_note_verifier *keys,
                                    size_t nkeys)
{
    const arcs_audit_verify_opts *o = v->o;
    arcs_err err = {ARCS_OK, ""};

    v->ncps = o->ncheckpoints;
    v->cps = calloc(v->ncps + 1, sizeof(cpinfo));
    if (!v->cps)
        return arcs__fail(v->ctx, ARCS_ERROR, "out of memory");
    for (size_t i = 0; i < v->ncps; i++) {
        cpinfo *c = &v->cps[i];
        arcs_note note = {0};
        arcs_checkpoint cp;
        const char *text = o->checkpoints[i];
        arcs_status st;

        c->name = o->checkpoint_names && o->checkpoint_names[i] ? o->checkpoint_names[i]
                                                                : "checkpoint";
        st = arcs_note_parse(&note, text, strlen(text), &err);
        if (st != ARCS_OK) {
            finding(v, -1, c->name, "not a signed checkpoint note: %s", err.msg);
            continue;
        }
        if (nkeys == 0) {
            finding(v, -1, c->name,
                    "signature not checked: no verifier key given; pass the log's key "
                    "with --vkey");
        } else {
            st = arcs_note_verify(&note, keys, nkeys, NULL, &err);
            if (st != ARCS_OK)
                finding(v, -1, c->name,
                        "signature does not verify with the given keys (%s): forged, "
                        "changed or signed by an unknown key",
                        err.msg);
        }
        st = arcs_checkpoint_parse(&cp, note.text, note.text_len, &err);
        arcs_note_clear(&note);
        if (st != ARCS_OK) {
            finding(v, -1, c->name, "not a checkpoint: %s", err.msg);
            continue;
        }
        c->size = cp.size;
        memcpy(c->root, cp.root, ARCS_HASH_SIZE);
        c->parsed = 1;
    }
    return ARCS_OK;
}

/*
 * The checkpoints stored in arcs_audit.checkpoints: anyone who may write that
 * table can add a row, so each is a claim to check like a given file. Its
 * note must parse, agree with the row's size and root, verify with a trusted
 * key when keys are given, and (in check_sizes) carry the log's root at its
 * size. Without --vkey only the root is checked, and nothing is called signed.
 */
static arcs_status load_stored_checkpoints(struct vstate *v, arcs_note_verifier *keys,
                                           size_t nkeys)
{
    PGresult *res = NULL;
    arcs_err err = {ARCS_OK, ""};
    cpinfo *grown;
    size_t n;
    arcs_status st;

    st = arcs__db_exec(v->ctx, &res,
                       "SELECT c.id::text, c.size::text, c.root, c.note"
                       " FROM arcs_audit.checkpoints c ORDER BY c.id",
                       0, NULL);
    if (st != ARCS_OK)
        goto done;
    n = (size_t)PQntuples(res);
    grown = realloc(v->cps, (v->ncps + n + 1) * sizeof(cpinfo));
    if (!grown) {
        st = arcs__fail(v->ctx, ARCS_ERROR, "out of memory");
        goto done;
    }
    v->cps = grown;
    for (size_t i = 0; i < n; i++) {
        cpinfo *c = &v->cps[v->ncps++];
        arcs_note note = {0};
        arcs_checkpoint cp;
        uint8_t root[ARCS_HASH_SIZE];
        size_t rlen = 0;
        const char *text = PQgetvalue(res, (int)i, 3);
        long long size = strtoll(PQgetvalue(res, (int)i, 1), NULL, 10);
        char name[64];

        memset(c, 0, sizeof(*c));
        snprintf(name, sizeof(name), "arcs_audit.checkpoints id %s",
                 PQgetvalue(res, (int)i, 0));
        c->own = malloc(strlen(name) + 1);
        if (!c->own) {
            st = arcs__fail(v->ctx, ARCS_ERROR, "out of memory");
            goto done;
        }
        memcpy(c->own, name, strlen(name) + 1);
        c->name = c->own;
        c->stored = 1;
        if (arcs__audit_unhex(root, sizeof(root), &rlen, PQgetvalue(res, (int)i, 2)) !=
                ARCS_OK ||
            rlen != ARCS_HASH_SIZE)
            memset(root, 0, sizeof(root));
        if (arcs_note_parse(&note, text, strlen(text), &err) != ARCS_OK) {
            finding(v, -1, c->name, "stored checkpoint is not a signed note (%s): forged",
                    err.msg);
            continue;
        }
        if (nkeys > 0 && arcs_note_verify(&note, keys, nkeys, NULL, &err) != ARCS_OK)
            finding(v, -1, c->name,
                    "stored checkpoint's signature does not verify with the given keys "
                    "(%s): forged, changed or signed by an unknown key",
                    err.msg);
        st = arcs_checkpoint_parse(&cp, note.text, note.text_len, &err);
        arcs_note_clear(&note);
        if (st != ARCS_OK) {
            st = ARCS_OK;
            finding(v, -1, c->name, "stored checkpoint is not a checkpoint (%s): forged",
                    err.msg);
            continue;
        }
        if ((long long)cp.size != size || memcmp(cp.root, root, ARCS_HASH_SIZE))
            finding(v, -1, c->name,
                    "stored checkpoint's size or root columns differ from its signed "
                    "note: the row was changed");
        c->size = cp.size;
        memcpy(c->root, cp.root, ARCS_HASH_SIZE);
        c->parsed = 1;
    }
done:
    PQclear(res);
    return st;
}

/* Apply pending captures on top of the log, and report the stale ones. */
static arcs_status replay_pending(struct vstate *v)
{
    PGresult *res = NULL;
    char age[24], last[24] = "0";
    const char *params[2];
    arcs_status st;
    int n;

    snprintf(age, sizeof(age), "%lld",
             (long long)(v->o->max_pending_age < 0 ? 600 : v->o->max_pending_age));
    for (;;) {
        params[0] = last;
        params[1] = age;
        st = arcs__db_exec(
            v->ctx, &res,
            "SELECT id::text, table_name, op, key::text, new_row::text,"
            " captured_at < pg_catalog.now() - $2::bigint * interval '1 second'"
            " FROM arcs_audit.pending p WHERE p.id > $1::bigint ORDER BY p.id LIMIT 5000",
            2, params);
        if (st != ARCS_OK)
            goto done;
        n = PQntuples(res);
        for (int i = 0; i < n; i++) {
            arcs_json *key = NULL, *img = NULL;
            char *ckey = NULL, *cimg = NULL;
            size_t cklen = 0, cilen = 0;
            const char *k = PQgetvalue(res, i, 3), *im = PQgetvalue(res, i, 4);

            if (arcs_json_parse(&key, k, strlen(k), ARCS_JSON_NUMBERS_AS_STRINGS, NULL) ==
                    ARCS_OK &&
                (PQgetisnull(res, i, 4) ||
                 arcs_json_parse(&img, im, strlen(im), ARCS_JSON_NUMBERS_AS_STRINGS,
                                 NULL) == ARCS_OK)) {
                if (arcs_json_canonical(&ckey, &cklen, key, NULL) != ARCS_OK ||
                    (img && img->type == ARCS_JSON_OBJECT &&
                     arcs_json_canonical(&cimg, &cilen, img, NULL) != ARCS_OK))
                    finding(v, -1, PQgetvalue(res, i, 1), "unreadable key or row image");
                else
                    st = replay_apply(v, -1, PQgetvalue(res, i, 1), PQgetvalue(res, i, 2),
                                      ckey, cklen, NULL, 0, cimg, cilen, 0);
            }
            free(ckey);
            free(cimg);
            if (!strcmp(PQgetvalue(res, i, 5), "t"))
                finding(v, -1, PQgetvalue(res, i, 1),
                        "captured change %s of %s has waited more than %s seconds to be "
                        "sealed; run arcs audit seal",
                        PQgetvalue(res, i, 0), k, age);
            arcs_json_free(key);
            arcs_json_free(img);
            if (st != ARCS_OK)
                goto done;
        }
        if (n > 0)
            snprintf(last, sizeof(last), "%s", PQgetvalue(res, n - 1, 0));
        PQclear(res);
        res = NULL;
        if (n < 5000)
            break;
    }
done:
    PQclear(res);
    return st;
}

/* One current row against the replayed state. */
static void compare_row(struct vstate *v, const char *table, const char *ckey,
                        size_t cklen, const char *cimg, size_t cilen)
{
    char entity[400];
    uint8_t kd[16], id[IMAGE_BYTES];
    slot *s;

    key_digest(v, kd, table, ckey, cklen);
    image_digest(v, id, cimg, cilen);
    s = replay_find(&v->r, kd, 0);
    if (!s || !(s->flags & SLOT_LIVE) || memcmp(s->image, id, IMAGE_BYTES))
        snprintf(entity, sizeof(entity), "%s %s", table, ckey);
    if (!s || !(s->flags & SLOT_LIVE))
        finding(v, s ? slot_seq(s) : -1, entity,
                "row is in the table but not in the log: written with capture bypassed");
    else if (memcmp(s->image, id, IMAGE_BYTES))
        finding(v, slot_seq(s), entity,
                "row differs from what the log says (latest entry %lld): changed with "
                "capture bypassed",
                (long long)slot_seq(s));
    if (s)
        s->flags |= SLOT_SEEN;
}

static void table_row(void *arg, const char *table, const char *ckey, size_t cklen,
                      const char *cimg, size_t cilen, const char *why)
{
    struct vstate *v = arg;

    if (!cimg)
        finding(v, -1, table, "%s", why ? why : "a row cannot be read");
    else
        compare_row(v, table, ckey, cklen, cimg, cilen);
}

/*
 * Compare every row of every captured table with the replayed state. The
 * rows are read raw and their images built in C (rows.c) under settings
 * pinned here as capture pins them; row security off, so a policy cannot
 * hide a row (reading then fails instead).
 */
static arcs_status compare_tables(struct vstate *v)
{
    arcs_status st;

    st = arcs__db_exec(v->ctx, NULL,
                       "SELECT pg_catalog.set_config('TimeZone', 'UTC', true),"
                       " pg_catalog.set_config('DateStyle', 'ISO, YMD', true),"
                       " pg_catalog.set_config('IntervalStyle', 'iso_8601', true),"
                       " pg_catalog.set_config('extra_float_digits', '3', true),"
                       " pg_catalog.set_config('bytea_output', 'hex', true),"
                       " pg_catalog.set_config('row_security', 'off', true)",
                       0, NULL);
    if (st != ARCS_OK)
        return st;
    return arcs__audit_read_tables(v->ctx, table_row, v);
}

/* Name the rows the log holds that the tables do not, by re-reading their entry. */
static arcs_status report_missing_rows(struct vstate *v)
{
    arcs_status st = ARCS_OK;

    for (size_t i = 0; i < v->r.cap; i++) {
        slot *s = &v->r.slots[i];
        char seqbuf[24], entity[400] = "";
        const char *params[1] = {seqbuf};
        PGresult *res = NULL;

        int64_t seq = slot_seq(s);

        if ((s->flags & (SLOT_USED | SLOT_LIVE | SLOT_SEEN)) != (SLOT_USED | SLOT_LIVE))
            continue;
        snprintf(seqbuf, sizeof(seqbuf), "%lld", (long long)seq);
        if (seq >= 0 &&
            arcs__db_exec(v->ctx, &res,
                          "SELECT convert_from(entry, 'UTF8') FROM arcs_audit.entries"
                          " WHERE seq = $1::bigint",
                          1, params) == ARCS_OK &&
            PQntuples(res) == 1) {
            arcs_json *e = NULL;
            const char *t = PQgetvalue(res, 0, 0);
            char *ck = NULL;
            if (arcs_json_parse(&e, t, strlen(t), 0, NULL) == ARCS_OK &&
                arcs_json_canonical(&ck, NULL, arcs_json_get(e, "key"), NULL) == ARCS_OK)
                snprintf(entity, sizeof(entity), "%s %s",
                         arcs_json_string(arcs_json_get(e, "table"), NULL), ck);
            free(ck);
            arcs_json_free(e);
        }
        PQclear(res);
        finding(v, seq, entity[0] ? entity : "arcs",
                "row is in the log but not in the table: deleted with capture bypassed");
    }
    return st;
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/*
 * Every entry in seq order through one binary COPY: the server streams while
 * we hash (no cursor round trips, no per-batch re-sorting, no hex to decode).
 * A fixed statement: nothing in it comes from input.
 */
static arcs_status stream_entries(struct vstate *v)
{
    static const uint8_t sig[11] = {'P',  'G',  'C',  'O',  'P', 'Y',
                                    '\n', 0xff, '\r', '\n', 0};
    PGconn *conn = v->ctx->conn;
    PGresult *res = NULL;
    char *buf = NULL;
    int n, header = 1;
    arcs_status st = ARCS_OK;

    res = PQexec(conn, "COPY (SELECT e.seq, e.entry, e.table_name, e.row_key, e.case_id,"
                       " e.asset_id FROM arcs_audit.entries e ORDER BY e.seq)"
                       " TO STDOUT (FORMAT binary)");
    if (PQresultStatus(res) != PGRES_COPY_OUT) {
        st = arcs__db_fail_result(v->ctx, res);
        goto done;
    }
    PQclear(res);
    res = NULL;
    while ((n = PQgetCopyData(conn, &buf, 0)) > 0) {
        const uint8_t *p = (const uint8_t *)buf, *end = p + n;
        uint64_t seq = 0;
        uint32_t len;

        if (header) {
            /* signature, flags, header extension */
            if (n < 19 || memcmp(p, sig, sizeof(sig)) ||
                (size_t)(end - p) < 19 + be32(p + 15))
                goto bad;
            p += 19 + be32(p + 15);
            header = 0;
            if (p == end) {
                PQfreemem(buf);
                buf = NULL;
                continue;
            }
        }
        if (end - p == 2 && p[0] == 0xff && p[1] == 0xff) { /* trailer */
            PQfreemem(buf);
            buf = NULL;
            continue;
        }
        /* six fields: int8 seq, bytea entry (NOT NULL both), then the text
           index columns (table_name, row_key NOT NULL; case_id, asset_id) */
        if (end - p < 2 + 4 + 8 + 4 || p[0] != 0 || p[1] != 6 || be32(p + 2) != 8)
            goto bad;
        for (int i = 0; i < 8; i++)
            seq = seq << 8 | p[6 + i];
        len = be32(p + 14);
        if ((size_t)(end - p - 18) < len)
            goto bad;
        {
            const uint8_t *q = p + 18 + len;
            index_cols ix;
            for (int i = 0; i < IX_N; i++) {
                uint32_t fl;
                if (end - q < 4)
                    goto bad;
                fl = be32(q);
                q += 4;
                ix.p[i] = (const char *)q;
                ix.n[i] = fl == 0xFFFFFFFFu ? -1 : (int64_t)fl;
                if (ix.n[i] > end - q)
                    goto bad;
                if (ix.n[i] > 0)
                    q += ix.n[i];
            }
            if (q != end)
                goto bad;
            st = entry_cb(v, (int64_t)seq, p + 18, len, &ix);
        }
        PQfreemem(buf);
        buf = NULL;
        if (st != ARCS_OK)
            goto done;
    }
    if (n == -2) {
        st = arcs__fail(v->ctx, ARCS_ERROR, "cannot read audit entries: %s",
                        PQerrorMessage(conn));
        goto done;
    }
    res = PQgetResult(conn);
    if (PQresultStatus(res) != PGRES_COMMAND_OK)
        st = arcs__db_fail_result(v->ctx, res);
    goto done;
bad:
    st = arcs__fail(v->ctx, ARCS_ERROR, "unreadable COPY data from arcs_audit.entries");
done:
    PQfreemem(buf);
    PQclear(res);
    if (st != ARCS_OK) {
        /* stop the COPY: the connection must be usable for the ROLLBACK */
        PGcancel *c = PQgetCancel(conn);
        char eb[256];
        if (c) {
            PQcancel(c, eb, sizeof(eb));
            PQfreeCancel(c);
        }
        while ((n = PQgetCopyData(conn, &buf, 0)) > 0) {
            PQfreemem(buf);
            buf = NULL;
        }
    }
    while ((res = PQgetResult(conn)) != NULL)
        PQclear(res);
    return st;
}

/* Size the replay table once for the keys the log can hold: at most one a
   sealed entry (the sealer's recorded size, bounded by what the entries' heap
   can hold: a tuple takes more than 64 bytes) and one a pending change. With
   no recorded size, the rows of the tables (live and dead, from the
   statistics) stand in for it. A short estimate only costs growing. */
static arcs_status replay_presize(struct vstate *v)
{
    char *n = NULL;
    arcs_status st;
    long long keys;

    st = arcs__db_value(
        v->ctx, &n, NULL,
        "SELECT (coalesce(nullif(least((SELECT max(t.size) FROM arcs_audit.tree_state t),"
        " pg_catalog.pg_relation_size('arcs_audit.entries') / 64), 0),"
        " (SELECT sum(s.n_live_tup + s.n_dead_tup) FROM pg_catalog.pg_stat_all_tables s"
        " WHERE s.schemaname = 'arcs'), 0)"
        " + (SELECT count(*) FROM arcs_audit.pending p))::bigint::text",
        0, NULL);
    if (st != ARCS_OK)
        goto done;
    keys = n ? strtoll(n, NULL, 10) : 0;
    if (keys < 3072)
        keys = 3072;
    if (keys > ((long long)1 << 34))
        keys = (long long)1 << 34;
    /* room for every key under the 3/4 load (growing would hold two tables at
       once); a size too large to allocate (a changed tree state): grow */
    if (replay_alloc(&v->r, (size_t)keys + (size_t)keys / 3 + 16) &&
        replay_alloc(&v->r, 4096))
        st = arcs__fail(v->ctx, ARCS_ERROR, "out of memory");
done:
    free(n);
    return st;
}

/* Whether sp (" " then the stored frontier in hex) is the frontier the
   entries gave: the sealer builds the next tree on the stored one. */
static int frontier_hex_is(const struct vstate *v, const char *sp)
{
    uint8_t buf[ARCS_MERKLE_FRONTIER_MAX];
    size_t len = 0;
    static const char hex[] = "0123456789abcdef";

    if (!sp ||
        arcs_merkle_frontier_serialize(buf, sizeof(buf), &len, &v->f, NULL) != ARCS_OK)
        return 0;
    sp++;
    if (strlen(sp) != 2 * len)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (sp[2 * i] != hex[buf[i] >> 4] || sp[2 * i + 1] != hex[buf[i] & 15])
            return 0;
    return 1;
}

static arcs_status verify_body(struct vstate *v, arcs_note_verifier *keys, size_t nkeys)
{
    PGresult *res = NULL;
    char *size_text = NULL;
    arcs_status st;
    int present;
    uint8_t root[ARCS_HASH_SIZE];

    st = arcs__audit_present(v->ctx, &present);
    if (st != ARCS_OK)
        goto done;
    if (!present) {
        finding(v, -1, "arcs_audit", "the database has no audit log; run arcs db init");
        goto done;
    }
    /* the catalogs themselves, not the arcs_audit.uncaptured view: a view
       can be redefined to hide a missing trigger */
    st = arcs__db_exec(
        v->ctx, &res,
        "SELECT c.oid::pg_catalog.regclass::pg_catalog.text, w.tgname"
        " FROM pg_catalog.pg_class c"
        " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
        " CROSS JOIN (VALUES ('arcs_audit_ins'), ('arcs_audit_upd'), ('arcs_audit_del'),"
        " ('arcs_audit_truncate')) w(tgname)"
        " WHERE n.nspname = 'arcs' AND c.relkind = 'r'"
        " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_trigger t"
        " WHERE t.tgrelid = c.oid AND t.tgname = w.tgname AND t.tgenabled = 'A')"
        " ORDER BY 1, 2",
        0, NULL);
    if (st != ARCS_OK)
        goto done;
    for (int i = 0; i < PQntuples(res); i++)
        finding(v, -1, PQgetvalue(res, i, 0),
                "capture trigger %s is missing or not ENABLE ALWAYS: changes escape the "
                "log; run arcs db init",
                PQgetvalue(res, i, 1));
    PQclear(res);
    res = NULL;
    if ((st = load_heads(v)) != ARCS_OK ||
        (st = load_stored_checkpoints(v, keys, nkeys)) != ARCS_OK)
        goto done;
    arcs_merkle_frontier_init(&v->f);
    st = check_sizes(v); /* checkpoints of the empty tree */
    if (st != ARCS_OK)
        goto done;
    if ((st = replay_presize(v)) != ARCS_OK)
        goto done;
    st = stream_entries(v);
    if (st != ARCS_OK)
        goto done;
    v->res->size = (int64_t)v->f.size;
    if ((st = arcs_merkle_frontier_root(root, &v->f, NULL)) != ARCS_OK)
        goto done;
    memcpy(v->res->root, root, ARCS_HASH_SIZE);
    for (size_t i = 0; i < v->nheads; i++) {
        if (v->heads[i].size > (int64_t)v->f.size)
            finding(v, (int64_t)v->f.size, "arcs_audit.tree_heads",
                    "a tree head of size %lld was stored but the log holds only %llu "
                    "entries: the newest entries were deleted",
                    (long long)v->heads[i].size, (unsigned long long)v->f.size);
    }
    for (size_t i = 0; i < v->ncps; i++) {
        if (v->cps[i].parsed == 1 && v->cps[i].size > v->f.size)
            finding(v, (int64_t)v->f.size, v->cps[i].name,
                    "checkpoint of size %llu but the log holds only %llu entries: rolled "
                    "back or truncated",
                    (unsigned long long)v->cps[i].size, (unsigned long long)v->f.size);
    }
    /* size, then the frontier as hex: the next seal builds on both */
    st =
        arcs__db_value(v->ctx, &size_text, NULL,
                       "SELECT size::text || ' ' || coalesce(encode(frontier, 'hex'), '')"
                       " FROM arcs_audit.tree_state",
                       0, NULL);
    if (st == ARCS_ENOTFOUND || (st == ARCS_OK && !size_text)) {
        finding(v, -1, "arcs_audit.tree_state", "the tree state row is missing");
        st = ARCS_OK;
    } else if (st == ARCS_OK && strtoll(size_text, NULL, 10) != (int64_t)v->f.size) {
        finding(v, (int64_t)v->f.size, "arcs_audit.tree_state",
                "the sealer recorded %.20s entries but the log holds %llu: entries were "
                "deleted or inserted",
                size_text, (unsigned long long)v->f.size);
    } else if (st == ARCS_OK && !frontier_hex_is(v, strchr(size_text, ' '))) {
        finding(v, (int64_t)v->f.size, "arcs_audit.tree_state",
                "the stored frontier is not the one the log's entries give: the next "
                "seal would be refused, or build on a wrong tree");
    }
    if (st != ARCS_OK)
        goto done;
    if ((st = replay_pending(v)) != ARCS_OK || (st = compare_tables(v)) != ARCS_OK ||
        (st = report_missing_rows(v)) != ARCS_OK)
        goto done;
done:
    PQclear(res);
    free(size_text);
    return st;
}

arcs_status arcs_audit_verify(arcs_ctx *ctx, const arcs_audit_verify_opts *opts,
                              arcs_audit_verify_result *res)
{
    arcs_audit_verify_result local;
    arcs_note_verifier *keys = NULL;
    struct vstate v;
    arcs_err err = {ARCS_OK, ""};
    arcs_status st;

    arcs__clear(ctx);
    memset(&v, 0, sizeof(v));
    if (!res)
        res = &local;
    memset(res, 0, sizeof(*res));
    v.ctx = ctx;
    v.o = opts;
    v.res = res;
    v.md = EVP_MD_CTX_new();
    v.sha256 = arcs__sha256_md();
    keys = calloc(opts->nvkeys + 1, sizeof(*keys));
    if (!keys || !v.md || !v.sha256) {
        st = arcs__fail(ctx, ARCS_ERROR, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < opts->nvkeys; i++) {
        st = arcs_note_verifier_parse(&keys[i], opts->vkeys[i], strlen(opts->vkeys[i]),
                                      &err);
        if (st != ARCS_OK) {
            st =
                arcs__fail(ctx, ARCS_EINVAL,
                           "verifier key %zu is malformed (%s); give the text arcs audit "
                           "keygen printed",
                           i + 1, err.msg);
            goto done;
        }
    }
    /* one snapshot for entries, heads and tables: a consistent picture */
    st = arcs__db_exec(ctx, NULL, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", 0,
                       NULL);
    if (st != ARCS_OK)
        goto done;
    st = load_checkpoints(&v, keys, opts->nvkeys);
    if (st == ARCS_OK)
        st = verify_body(&v, keys, opts->nvkeys);
    {
        arcs_err saved = ctx->err;
        PGresult *r = PQexec(ctx->conn, st == ARCS_OK ? "COMMIT" : "ROLLBACK");
        PQclear(r);
        ctx->err = saved;
    }
    if (st == ARCS_OK && res->findings > 0)
        st = arcs__fail(ctx, ARCS_EVERIFY, "%lld problem%s found in the audit log",
                        (long long)res->findings, res->findings == 1 ? "" : "s");
done:
    free(keys);
    EVP_MD_CTX_free(v.md);
    free(v.r.slots);
    free(v.heads);
    for (size_t i = 0; v.cps && i < v.ncps; i++)
        free(v.cps[i].own);
    free(v.cps);
    return st;
}
