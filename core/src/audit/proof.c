/* Self-contained proof files: format and offline verification (see proof.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arcs/merkle.h"
#include "arcs/proof.h"
#include "b64_int.h"
#include "buf_int.h"

#define NUM_MAX ((uint64_t)INT64_MAX)

static const char magic[] = "arcs-proof v1";

void arcs_proof_clear(arcs_proof *p)
{
    if (!p)
        return;
    free(p->entry);
    free(p->inclusion);
    free(p->consistency);
    free(p->old_checkpoint);
    free(p->checkpoint);
    memset(p, 0, sizeof(*p));
}

static char *dup_bytes(const void *src, size_t len)
{
    char *d = malloc(len + 1);

    if (d) {
        if (len)
            memcpy(d, src, len);
        d[len] = '\0';
    }
    return d;
}

arcs_status arcs_proof_build(arcs_proof *p, const uint8_t *leaves, uint64_t tree_size,
                             uint64_t index, const void *entry, size_t entry_len,
                             const char *checkpoint_note, size_t checkpoint_len,
                             arcs_err *err)
{
    uint8_t h[ARCS_HASH_SIZE];
    arcs_status st;

    memset(p, 0, sizeof(*p));
    if (index >= tree_size || tree_size > NUM_MAX) {
        st = arcs_err_set(
            err, ARCS_EINVAL,
            "entry %llu is not in a tree of %llu entries: seal first or pick "
            "a smaller sequence number",
            (unsigned long long)index, (unsigned long long)tree_size);
        goto done;
    }
    if (arcs_merkle_leaf_hash(h, entry, entry_len) != ARCS_OK) {
        st = arcs_err_set(err, ARCS_ERROR, "sha-256 failed in openssl");
        goto done;
    }
    if (memcmp(h, leaves + index * ARCS_HASH_SIZE, ARCS_HASH_SIZE) != 0) {
        st = arcs_err_set(
            err, ARCS_EINVAL,
            "entry %llu does not hash to its stored leaf: the log is damaged",
            (unsigned long long)index);
        goto done;
    }
    st = arcs_merkle_inclusion_proof(&p->inclusion, &p->inclusion_count, leaves,
                                     tree_size, index, err);
    if (st != ARCS_OK)
        goto done;
    p->index = index;
    p->tree_size = tree_size;
    p->entry = (uint8_t *)dup_bytes(entry, entry_len);
    p->entry_len = entry_len;
    p->checkpoint = dup_bytes(checkpoint_note, checkpoint_len);
    p->checkpoint_len = checkpoint_len;
    if (!p->entry || !p->checkpoint)
        st = arcs_err_set(err, ARCS_ERROR, "out of memory building a proof");
done:
    if (st != ARCS_OK)
        arcs_proof_clear(p);
    return st;
}

arcs_status arcs_proof_add_consistency(arcs_proof *p, const uint8_t *leaves,
                                       uint64_t old_size, const char *old_note,
                                       size_t old_note_len, arcs_err *err)
{
    arcs_status st;

    if (old_size == 0 || old_size > p->tree_size)
        return arcs_err_set(
            err, ARCS_EINVAL, "old checkpoint size %llu must be between 1 and %llu",
            (unsigned long long)old_size, (unsigned long long)p->tree_size);
    free(p->consistency);
    free(p->old_checkpoint);
    p->consistency = NULL;
    p->old_checkpoint = NULL;
    p->has_consistency = 0;
    st = arcs_merkle_consistency_proof(&p->consistency, &p->consistency_count, leaves,
                                       old_size, p->tree_size, err);
    if (st != ARCS_OK)
        return st;
    p->old_checkpoint = dup_bytes(old_note, old_note_len);
    if (!p->old_checkpoint) {
        free(p->consistency);
        p->consistency = NULL;
        p->consistency_count = 0;
        return arcs_err_set(err, ARCS_ERROR, "out of memory building a proof");
    }
    p->old_checkpoint_len = old_note_len;
    p->old_size = old_size;
    p->has_consistency = 1;
    return ARCS_OK;
}

/* "key value\n" lines of the proof format */
static void put_num(arcs__buf *w, const char *key, unsigned long long v)
{
    arcs__buf_printf(w, "%s %llu\n", key, v);
}

static void put_b64(arcs__buf *w, const char *key, const uint8_t *data, size_t len)
{
    size_t n = arcs__b64_enclen(len);

    arcs__buf_printf(w, "%s ", key);
    if (arcs__buf_reserve(w, n + 1) != 0)
        return;
    arcs__b64_encode_to(w->b + w->n, data, len);
    w->n += n;
    arcs__buf_put(w, "\n", 1);
}

arcs_status arcs_proof_write(char **out, size_t *outlen, const arcs_proof *p,
                             arcs_err *err)
{
    arcs__buf w = {0};
    arcs_status st = ARCS_OK;

    *out = NULL;
    if (p->tree_size > NUM_MAX || p->index >= p->tree_size || !p->checkpoint ||
        (p->has_consistency &&
         (p->old_size == 0 || p->old_size > p->tree_size || !p->old_checkpoint))) {
        st = arcs_err_set(err, ARCS_EINVAL, "proof is incomplete: build it first");
        goto done;
    }
    arcs__buf_put(&w, magic, sizeof(magic) - 1);
    arcs__buf_put(&w, "\n", 1);
    put_num(&w, "index", (unsigned long long)p->index);
    put_num(&w, "tree-size", (unsigned long long)p->tree_size);
    put_b64(&w, "entry", p->entry, p->entry_len);
    for (size_t i = 0; i < p->inclusion_count; i++)
        put_b64(&w, "inclusion", p->inclusion + i * ARCS_HASH_SIZE, ARCS_HASH_SIZE);
    if (p->has_consistency) {
        put_num(&w, "consistency-from", (unsigned long long)p->old_size);
        for (size_t i = 0; i < p->consistency_count; i++)
            put_b64(&w, "consistency", p->consistency + i * ARCS_HASH_SIZE,
                    ARCS_HASH_SIZE);
        put_num(&w, "old-checkpoint", (unsigned long long)p->old_checkpoint_len);
        arcs__buf_put(&w, p->old_checkpoint, p->old_checkpoint_len);
    }
    arcs__buf_put(&w, "checkpoint\n", 11);
    arcs__buf_put(&w, p->checkpoint, p->checkpoint_len);
    if (w.oom || !w.b) {
        st = arcs_err_set(err, ARCS_ERROR, "out of memory writing a proof");
        goto done;
    }
    *out = w.b;
    if (outlen)
        *outlen = w.n;
    w.b = NULL;
done:
    free(w.b);
    return st;
}

/* ---- parser ---- */

typedef struct rd {
    const char *s;
    size_t len, pos;
    unsigned lineno;
    const char *line; /* the current line, without its "\n" */
    size_t ll;
} rd;

/* Advance to the next line; 0 at end of input or when the line has no "\n". */
static int next_line(rd *r)
{
    const char *eol;

    if (r->pos >= r->len)
        return 0;
    eol = memchr(r->s + r->pos, '\n', r->len - r->pos);
    if (!eol)
        return 0;
    r->line = r->s + r->pos;
    r->ll = (size_t)(eol - r->line);
    r->pos += r->ll + 1;
    r->lineno++;
    return 1;
}

/* Does the current line start with "key "? Then val and vl hold the rest. */
static int keyed(const rd *r, const char *key, const char **val, size_t *vl)
{
    size_t kl = strlen(key);

    if (r->ll < kl + 1 || memcmp(r->line, key, kl) != 0 || r->line[kl] != ' ')
        return 0;
    *val = r->line + kl + 1;
    *vl = r->ll - kl - 1;
    return 1;
}

static int parse_num(const char *s, size_t len, uint64_t *out)
{
    uint64_t v = 0;

    if (len == 0 || len > 19 || (len > 1 && s[0] == '0'))
        return 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    if (v > NUM_MAX)
        return 0;
    *out = v;
    return 1;
}

/* Append the HASH value of the current line to *arr (count *n). */
static arcs_status push_hash(uint8_t **arr, size_t *n, const char *val, size_t vl)
{
    uint8_t h[ARCS_HASH_SIZE];
    uint8_t *p;

    if (vl != 44 || arcs__b64_decode_to(h, sizeof(h), val, vl) != ARCS_HASH_SIZE)
        return ARCS_EINVAL;
    if (*n >= 64 * 2) /* deeper than any tree of 2^63 leaves */
        return ARCS_EINVAL;
    p = realloc(*arr, (*n + 1) * ARCS_HASH_SIZE);
    if (!p)
        return ARCS_ERROR;
    memcpy(p + *n * ARCS_HASH_SIZE, h, ARCS_HASH_SIZE);
    *arr = p;
    (*n)++;
    return ARCS_OK;
}

static arcs_status bad(arcs_err *err, const rd *r, const char *want)
{
    return arcs_err_set(err, ARCS_EINVAL, "malformed proof file at line %u: expected %s",
                        r->lineno, want);
}

arcs_status arcs_proof_parse(arcs_proof *p, const char *buf, size_t len, arcs_err *err)
{
    rd r = {buf, len, 0, 0, NULL, 0};
    const char *val;
    size_t vl;
    uint64_t oldlen = 0;
    long long n;
    arcs_status st = ARCS_OK;

    memset(p, 0, sizeof(*p));
    if (len > ARCS_PROOF_MAX_BYTES) {
        st = arcs_err_set(err, ARCS_EINVAL, "proof file is larger than 96 MiB");
        goto done;
    }
    if (!next_line(&r) || r.ll != sizeof(magic) - 1 || memcmp(r.line, magic, r.ll) != 0) {
        st = bad(err, &r, "\"arcs-proof v1\" (not an arcs proof file)");
        goto done;
    }
    if (!next_line(&r) || !keyed(&r, "index", &val, &vl) ||
        !parse_num(val, vl, &p->index)) {
        st = bad(err, &r, "\"index NUM\"");
        goto done;
    }
    if (!next_line(&r) || !keyed(&r, "tree-size", &val, &vl) ||
        !parse_num(val, vl, &p->tree_size) || p->index >= p->tree_size) {
        st = bad(err, &r, "\"tree-size NUM\" larger than the index");
        goto done;
    }
    if (!next_line(&r) || !keyed(&r, "entry", &val, &vl)) {
        st = bad(err, &r, "\"entry BASE64\"");
        goto done;
    }
    p->entry = malloc(vl / 4 * 3 + 1);
    if (!p->entry) {
        st = arcs_err_set(err, ARCS_ERROR, "out of memory reading a proof");
        goto done;
    }
    n = arcs__b64_decode_to(p->entry, vl / 4 * 3, val, vl);
    if (n < 0) {
        st = bad(err, &r, "the entry as padded base64");
        goto done;
    }
    p->entry_len = (size_t)n;
    if (!next_line(&r)) {
        st = bad(err, &r, "\"inclusion HASH\" or \"checkpoint\"");
        goto done;
    }
    while (keyed(&r, "inclusion", &val, &vl)) {
        if ((st = push_hash(&p->inclusion, &p->inclusion_count, val, vl)) != ARCS_OK) {
            st = st == ARCS_ERROR ? arcs_err_set(err, st, "out of memory reading a proof")
                                  : bad(err, &r, "a 32-byte hash in base64");
            goto done;
        }
        if (!next_line(&r)) {
            st = bad(err, &r, "\"inclusion HASH\" or \"checkpoint\"");
            goto done;
        }
    }
    if (keyed(&r, "consistency-from", &val, &vl)) {
        if (!parse_num(val, vl, &p->old_size) || p->old_size == 0 ||
            p->old_size > p->tree_size) {
            st = bad(err, &r, "an old size between 1 and the tree size");
            goto done;
        }
        p->has_consistency = 1;
        for (;;) {
            if (!next_line(&r)) {
                st = bad(err, &r, "\"consistency HASH\" or \"old-checkpoint LEN\"");
                goto done;
            }
            if (!keyed(&r, "consistency", &val, &vl))
                break;
            if ((st = push_hash(&p->consistency, &p->consistency_count, val, vl)) !=
                ARCS_OK) {
                st = st == ARCS_ERROR
                         ? arcs_err_set(err, st, "out of memory reading a proof")
                         : bad(err, &r, "a 32-byte hash in base64");
                goto done;
            }
        }
        if (!keyed(&r, "old-checkpoint", &val, &vl) || !parse_num(val, vl, &oldlen) ||
            oldlen == 0 || oldlen > ARCS_NOTE_MAX_BYTES || oldlen > r.len - r.pos) {
            st = bad(err, &r, "\"old-checkpoint LEN\" followed by LEN bytes");
            goto done;
        }
        p->old_checkpoint = dup_bytes(r.s + r.pos, (size_t)oldlen);
        if (!p->old_checkpoint) {
            st = arcs_err_set(err, ARCS_ERROR, "out of memory reading a proof");
            goto done;
        }
        p->old_checkpoint_len = (size_t)oldlen;
        /* The old note must end its own line so "checkpoint" starts one. */
        if (p->old_checkpoint[oldlen - 1] != '\n') {
            st = bad(err, &r, "an old checkpoint note ending in a newline");
            goto done;
        }
        for (size_t i = 0; i < oldlen; i++)
            if (p->old_checkpoint[i] == '\n')
                r.lineno++;
        r.pos += (size_t)oldlen;
        if (!next_line(&r)) {
            st = bad(err, &r, "\"checkpoint\"");
            goto done;
        }
    }
    if (r.ll != 10 || memcmp(r.line, "checkpoint", 10) != 0) {
        st = bad(err, &r, "\"checkpoint\" then the signed note");
        goto done;
    }
    if (r.pos >= r.len || r.len - r.pos > ARCS_NOTE_MAX_BYTES) {
        st = bad(err, &r, "a signed checkpoint note after \"checkpoint\"");
        goto done;
    }
    p->checkpoint = dup_bytes(r.s + r.pos, r.len - r.pos);
    if (!p->checkpoint) {
        st = arcs_err_set(err, ARCS_ERROR, "out of memory reading a proof");
        goto done;
    }
    p->checkpoint_len = r.len - r.pos;
done:
    if (st != ARCS_OK)
        arcs_proof_clear(p);
    return st;
}

/* Open and parse a signed checkpoint; every failure is a verification failure. */
static arcs_status open_checkpoint(arcs_checkpoint *cp, const char *note, size_t len,
                                   const arcs_note_verifier *keys, size_t nkeys,
                                   const char *which, arcs_err *err)
{
    arcs_note n = {0};
    arcs_err e = {0};
    arcs_status st;

    st = arcs_note_open(&n, note, len, keys, nkeys, NULL, &e);
    if (st == ARCS_OK)
        st = arcs_checkpoint_parse(cp, n.text, n.text_len, &e);
    arcs_note_clear(&n);
    if (st == ARCS_ERROR)
        return arcs_err_set(err, ARCS_ERROR, "%s", e.msg);
    if (st != ARCS_OK)
        return arcs_err_set(err, ARCS_EVERIFY, "%s: %s", which, e.msg);
    return ARCS_OK;
}

arcs_status arcs_proof_verify(const arcs_proof *p, const arcs_note_verifier *keys,
                              size_t nkeys, arcs_err *err)
{
    arcs_checkpoint cp, old;
    uint8_t leaf[ARCS_HASH_SIZE];
    arcs_err e = {0};
    arcs_status st;

    if (!p->checkpoint)
        return arcs_err_set(err, ARCS_EVERIFY, "proof has no checkpoint");
    st = open_checkpoint(&cp, p->checkpoint, p->checkpoint_len, keys, nkeys, "checkpoint",
                         err);
    if (st != ARCS_OK)
        return st;
    if (cp.size != p->tree_size)
        return arcs_err_set(
            err, ARCS_EVERIFY,
            "proof is for a tree of %llu entries but its checkpoint signs "
            "%llu",
            (unsigned long long)p->tree_size, (unsigned long long)cp.size);
    if (arcs_merkle_leaf_hash(leaf, p->entry, p->entry_len) != ARCS_OK)
        return arcs_err_set(err, ARCS_ERROR, "sha-256 failed in openssl");
    st = arcs_merkle_verify_inclusion(leaf, p->index, p->tree_size, p->inclusion,
                                      p->inclusion_count, cp.root, &e);
    if (st != ARCS_OK)
        return arcs_err_set(err, st, "entry %llu: %s", (unsigned long long)p->index,
                            e.msg);
    if (!p->has_consistency)
        return ARCS_OK;
    if (!p->old_checkpoint)
        return arcs_err_set(err, ARCS_EVERIFY, "proof has no old checkpoint");
    st = open_checkpoint(&old, p->old_checkpoint, p->old_checkpoint_len, keys, nkeys,
                         "old checkpoint", err);
    if (st != ARCS_OK)
        return st;
    if (strcmp(old.origin, cp.origin) != 0)
        return arcs_err_set(err, ARCS_EVERIFY,
                            "old checkpoint is for log \"%s\", not \"%s\"", old.origin,
                            cp.origin);
    if (old.size != p->old_size)
        return arcs_err_set(
            err, ARCS_EVERIFY,
            "consistency section is from size %llu but the old checkpoint "
            "signs %llu",
            (unsigned long long)p->old_size, (unsigned long long)old.size);
    st = arcs_merkle_verify_consistency(p->old_size, p->tree_size, p->consistency,
                                        p->consistency_count, old.root, cp.root, &e);
    if (st != ARCS_OK)
        return arcs_err_set(err, st, "%s", e.msg);
    return ARCS_OK;
}
