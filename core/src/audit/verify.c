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
#include "capture_int.h"

/* Per row key, replay keeps a digest of its latest image only. */
typedef struct slot {
    uint8_t key[16];  /* SHA-256(table 0x00 canonical key), truncated */
    uint8_t image[8]; /* SHA-256(canonical image), truncated; zero when deleted */
    int64_t seq;      /* latest entry for the key; -1 for pending only */
    uint8_t used, live, seen, pad;
} slot;

typedef struct replay {
    slot *slots;
    size_t cap, n;
} replay;

typedef struct cpinfo {
    const char *name;
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

static void sha(uint8_t out[32], const void *a, size_t alen, const void *b, size_t blen)
{
    EVP_MD_CTX *m = EVP_MD_CTX_new();
    static const uint8_t zero = 0;

    if (!m || !EVP_DigestInit_ex(m, EVP_sha256(), NULL) ||
        !EVP_DigestUpdate(m, a, alen) ||
        (b && (!EVP_DigestUpdate(m, &zero, 1) || !EVP_DigestUpdate(m, b, blen))) ||
        !EVP_DigestFinal_ex(m, out, NULL))
        memset(out, 0, 32);
    EVP_MD_CTX_free(m);
}

static slot *replay_find(replay *r, const uint8_t key[16], int create)
{
    size_t i;

    if (create && (r->n + 1) * 4 >= r->cap * 3) {
        size_t ncap = r->cap ? r->cap * 2 : 4096;
        slot *ns = calloc(ncap, sizeof(slot));
        if (!ns)
            return NULL;
        for (size_t k = 0; k < r->cap; k++) {
            if (!r->slots[k].used)
                continue;
            uint64_t h;
            memcpy(&h, r->slots[k].key, 8);
            for (i = h & (ncap - 1); ns[i].used; i = (i + 1) & (ncap - 1))
                ;
            ns[i] = r->slots[k];
        }
        free(r->slots);
        r->slots = ns;
        r->cap = ncap;
    }
    if (!r->cap)
        return NULL;
    uint64_t h;
    memcpy(&h, key, 8);
    for (i = h & (r->cap - 1); r->slots[i].used; i = (i + 1) & (r->cap - 1))
        if (!memcmp(r->slots[i].key, key, 16))
            return &r->slots[i];
    if (!create)
        return NULL;
    r->slots[i].used = 1;
    memcpy(r->slots[i].key, key, 16);
    r->n++;
    return &r->slots[i];
}

static void key_digest(uint8_t out[16], const char *table, const char *ckey)
{
    uint8_t d[32];

    sha(d, table, strlen(table), ckey, strlen(ckey));
    memcpy(out, d, 16);
}

static void image_digest(uint8_t out[8], const char *cimage)
{
    uint8_t d[32];

    sha(d, cimage, strlen(cimage), NULL, 0);
    memcpy(out, d, 8);
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
                    "was rewritten or forked since it was signed",
                    (unsigned long long)c->size);
        else
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

/* Replay one change (entry or pending) into the per-key state. */
static arcs_status replay_apply(struct vstate *v, int64_t seq, const char *table,
                                const char *op, const arcs_json *key,
                                const arcs_json *old_img, const arcs_json *new_img,
                                int check_old)
{
    char *ckey = NULL, *cimg = NULL, entity[400];
    uint8_t kd[16], od[8];
    slot *s;
    arcs_status st;

    st = arcs_json_canonical(&ckey, NULL, key, NULL);
    if (st != ARCS_OK)
        goto done;
    snprintf(entity, sizeof(entity), "%s %s", table, ckey);
    key_digest(kd, table, ckey);
    s = replay_find(&v->r, kd, 1);
    if (!s) {
        st = arcs__fail(v->ctx, ARCS_ERROR, "out of memory");
        goto done;
    }
    if (check_old) {
        if (!strcmp(op, "insert") && s->live)
            finding(v, seq, entity,
                    "insert of a row the log already holds (entry %lld): an entry was "
                    "deleted or inserted",
                    (long long)s->seq);
        if (strcmp(op, "insert")) {
            int ok = s->live && old_img && old_img->type == ARCS_JSON_OBJECT;
            if (ok) {
                st = arcs_json_canonical(&cimg, NULL, old_img, NULL);
                if (st != ARCS_OK)
                    goto done;
                image_digest(od, cimg);
                ok = !memcmp(od, s->image, 8);
                free(cimg);
                cimg = NULL;
            }
            if (!ok)
                finding(v, seq, entity,
                        "%s whose old row is not what the log held before (entry %lld): "
                        "an entry was changed, deleted, inserted or reordered",
                        op, (long long)s->seq);
        }
    }
    s->seq = seq;
    if (!strcmp(op, "delete") || !new_img || new_img->type != ARCS_JSON_OBJECT) {
        s->live = 0;
        memset(s->image, 0, 8);
    } else {
        st = arcs_json_canonical(&cimg, NULL, new_img, NULL);
        if (st != ARCS_OK)
            goto done;
        image_digest(s->image, cimg);
        s->live = 1;
    }
done:
    free(ckey);
    free(cimg);
    if (st != ARCS_OK && st != ARCS_ERROR) {
        finding(v, seq, table, "unreadable key or row image");
        st = ARCS_OK;
    }
    return st;
}

static arcs_status entry_cb(void *arg, int64_t seq, const uint8_t *bytes, size_t len)
{
    struct vstate *v = arg;
    arcs_json *e = NULL;
    uint8_t leaf[ARCS_HASH_SIZE];
    arcs_err err = {ARCS_OK, ""};
    const char *field, *table, *op;
    char seqbuf[24];
    arcs_status st, cs;

    if (seq != v->next) {
        if (seq > v->next)
            finding(v, v->next, "arcs_audit.entries",
                    "entries %lld to %lld are missing: the log was cut",
                    (long long)v->next, (long long)seq - 1);
        v->next = seq;
    }
    v->next++;
    /* the tree is built over the entries in their stored order, whatever they say */
    if ((st = arcs_merkle_leaf_hash(leaf, bytes, len)) != ARCS_OK ||
        (st = arcs_merkle_frontier_append(&v->f, leaf, NULL)) != ARCS_OK)
        return st;
    cs = arcs_json_is_canonical((const char *)bytes, len, &err);
    if (cs == ARCS_ERROR)
        return arcs__fail(v->ctx, ARCS_ERROR, "out of memory");
    if (cs != ARCS_OK) {
        finding(v, seq, "arcs_audit.entries",
                "entry bytes are not canonical JSON (%s): the entry was changed",
                err.msg);
        goto heads;
    }
    if (arcs_json_parse(&e, (const char *)bytes, len, 0, NULL) != ARCS_OK)
        goto heads;
    snprintf(seqbuf, sizeof(seqbuf), "%lld", (long long)seq);
    field = arcs_json_string(arcs_json_get(e, "seq"), NULL);
    table = arcs_json_string(arcs_json_get(e, "table"), NULL);
    op = arcs_json_string(arcs_json_get(e, "op"), NULL);
    if (!table || !valid_op(op) || !arcs_json_get(e, "key") ||
        arcs_json_get(e, "key")->type != ARCS_JSON_OBJECT || !arcs_json_get(e, "new") ||
        !arcs_json_get(e, "old") || !arcs_json_string(arcs_json_get(e, "time"), NULL) ||
        !arcs_json_string(arcs_json_get(e, "db_user"), NULL) ||
        !arcs_json_string(arcs_json_get(e, "actor"), NULL) ||
        !arcs_json_string(arcs_json_get(e, "txid"), NULL) || e->count != 10) {
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
    st = replay_apply(v, seq, table, op, arcs_json_get(e, "key"), arcs_json_get(e, "old"),
                      arcs_json_get(e, "new"), 1);
heads:
    arcs_json_free(e);
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
            const char *k = PQgetvalue(res, i, 3), *im = PQgetvalue(res, i, 4);

            if (arcs_json_parse(&key, k, strlen(k), ARCS_JSON_NUMBERS_AS_STRINGS, NULL) ==
                    ARCS_OK &&
                (PQgetisnull(res, i, 4) ||
                 arcs_json_parse(&img, im, strlen(im), ARCS_JSON_NUMBERS_AS_STRINGS,
                                 NULL) == ARCS_OK))
                st = replay_apply(v, -1, PQgetvalue(res, i, 1), PQgetvalue(res, i, 2),
                                  key, NULL, img, 0);
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

/* Compare every row of every captured table with the replayed state. */
static arcs_status compare_tables(struct vstate *v)
{
    PGresult *tabs = NULL, *res = NULL;
    arcs_status st;

    st = arcs__db_exec(v->ctx, &tabs,
                       "SELECT c.oid::regclass::text FROM pg_catalog.pg_class c"
                       " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                       " WHERE n.nspname = 'arcs' AND c.relkind = 'r' ORDER BY 1",
                       0, NULL);
    if (st != ARCS_OK)
        goto done;
    for (int t = 0; t < PQntuples(tabs); t++) {
        const char *table = PQgetvalue(tabs, t, 0);
        const char *params[1] = {table};

        st = arcs__db_exec(v->ctx, NULL,
                           "DECLARE arcs_audit_rows NO SCROLL CURSOR FOR"
                           " SELECT key, image FROM arcs_audit.snapshot($1::regclass)",
                           1, params);
        if (st != ARCS_OK)
            goto done;
        for (;;) {
            int n;
            st = arcs__db_exec(v->ctx, &res, "FETCH 5000 FROM arcs_audit_rows", 0, NULL);
            if (st != ARCS_OK)
                goto done;
            n = PQntuples(res);
            for (int i = 0; i < n; i++) {
                char *ckey = NULL, *cimg = NULL, entity[400];
                const char *k = PQgetvalue(res, i, 0), *im = PQgetvalue(res, i, 1);
                uint8_t kd[16], id[8];
                slot *s;

                if (arcs_json_canonicalize(&ckey, NULL, k, strlen(k),
                                           ARCS_JSON_NUMBERS_AS_STRINGS,
                                           NULL) != ARCS_OK ||
                    arcs_json_canonicalize(&cimg, NULL, im, strlen(im),
                                           ARCS_JSON_NUMBERS_AS_STRINGS,
                                           NULL) != ARCS_OK) {
                    finding(v, -1, table, "a row cannot be rendered as canonical JSON");
                    free(ckey);
                    free(cimg);
                    continue;
                }
                snprintf(entity, sizeof(entity), "%s %s", table, ckey);
                key_digest(kd, table, ckey);
                image_digest(id, cimg);
                s = replay_find(&v->r, kd, 0);
                if (!s || !s->live)
                    finding(
                        v, s ? s->seq : -1, entity,
                        "row is in the table but not in the log: written with capture "
                        "bypassed");
                else if (memcmp(s->image, id, 8))
                    finding(v, s->seq, entity,
                            "row differs from what the log says (latest entry %lld): "
                            "changed with capture bypassed",
                            (long long)s->seq);
                if (s)
                    s->seen = 1;
                free(ckey);
                free(cimg);
            }
            PQclear(res);
            res = NULL;
            if (n == 0)
                break;
        }
        st = arcs__db_exec(v->ctx, NULL, "CLOSE arcs_audit_rows", 0, NULL);
        if (st != ARCS_OK)
            goto done;
    }
done:
    PQclear(tabs);
    PQclear(res);
    return st;
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

        if (!s->used || !s->live || s->seen)
            continue;
        snprintf(seqbuf, sizeof(seqbuf), "%lld", (long long)s->seq);
        if (s->seq >= 0 &&
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
        finding(v, s->seq, entity[0] ? entity : "arcs",
                "row is in the log but not in the table: deleted with capture bypassed");
    }
    return st;
}

static arcs_status verify_body(struct vstate *v)
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
    st = arcs__db_exec(v->ctx, &res,
                       "SELECT table_name, trigger_name FROM arcs_audit.uncaptured"
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
    if ((st = load_heads(v)) != ARCS_OK)
        goto done;
    arcs_merkle_frontier_init(&v->f);
    st = check_sizes(v); /* checkpoints of the empty tree */
    if (st != ARCS_OK)
        goto done;
    st = arcs__audit_stream(v->ctx, 0, -1, entry_cb, v);
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
    st = arcs__db_value(v->ctx, &size_text, NULL,
                        "SELECT size::text FROM arcs_audit.tree_state", 0, NULL);
    if (st == ARCS_ENOTFOUND || (st == ARCS_OK && !size_text)) {
        finding(v, -1, "arcs_audit.tree_state", "the tree state row is missing");
        st = ARCS_OK;
    } else if (st == ARCS_OK && strtoll(size_text, NULL, 10) != (int64_t)v->f.size) {
        finding(v, (int64_t)v->f.size, "arcs_audit.tree_state",
                "the sealer recorded %s entries but the log holds %llu: entries were "
                "deleted or inserted",
                size_text, (unsigned long long)v->f.size);
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
    keys = calloc(opts->nvkeys + 1, sizeof(*keys));
    if (!keys)
        return arcs__fail(ctx, ARCS_ERROR, "out of memory");
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
        st = verify_body(&v);
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
    free(v.r.slots);
    free(v.heads);
    free(v.cps);
    return st;
}
