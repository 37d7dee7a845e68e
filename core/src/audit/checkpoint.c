/*
 * Checkpoints (C2SP tlog-checkpoint signed notes) of the log, witness
 * cosigning, inclusion proofs, and the export folder with its offline check.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "arcs/audit.h"
#include "arcs/file.h"
#include "arcs/note.h"
#include "arcs/proof.h"
#include "capture_int.h"
#include "signer_state_int.h"

struct cp_args {
    const arcs_note_signer *signer;
    const char *key_path;
    const arcs__signer_state *last; /* what this key signed last, or NULL */
    char *note;
    int64_t size;
};

/* The tree recomputed from the entry bytes, checked at the last signed size. */
struct recompute {
    arcs_merkle_frontier f;
    const arcs__signer_state *last;
    int forked;
};

static arcs_status recompute_leaf(void *arg, int64_t seq, const uint8_t *entry,
                                  size_t len)
{
    struct recompute *r = arg;
    uint8_t leaf[ARCS_HASH_SIZE], root[ARCS_HASH_SIZE];
    arcs_status st;

    if (seq != (int64_t)r->f.size)
        return ARCS_EVERIFY; /* a gap */
    if ((st = arcs_merkle_leaf_hash(leaf, entry, len)) != ARCS_OK ||
        (st = arcs_merkle_frontier_append(&r->f, leaf, NULL)) != ARCS_OK)
        return st;
    if (r->last && r->f.size == r->last->size) {
        if ((st = arcs_merkle_frontier_root(root, &r->f, NULL)) != ARCS_OK)
            return st;
        r->forked = memcmp(root, r->last->root, ARCS_HASH_SIZE) != 0;
    }
    return ARCS_OK;
}

/*
 * Sign only a root recomputed here from the entry bytes (never the stored
 * tree head or frontier), and only a tree that extends the last one this key
 * signed: the log must hold at least that many entries, and its first ones
 * must give that root. The new state is on disk before the note leaves.
 */
static arcs_status checkpoint_body(arcs_ctx *ctx, void *arg)
{
    struct cp_args *a = arg;
    struct recompute r;
    arcs__signer_state next;
    arcs_checkpoint cp;
    char *text = NULL, sizebuf[24], rhex[2 * ARCS_HASH_SIZE + 3];
    const char *params[4];
    arcs_status st;

    /* the sealer's lock: the log cannot grow while it is signed */
    st = arcs__db_exec(
        ctx, NULL, "SELECT pg_catalog.pg_advisory_xact_lock(" ARCS__AUDIT_SEAL_LOCK ")",
        0, NULL);
    if (st != ARCS_OK)
        goto done;
    memset(&r, 0, sizeof(r));
    arcs_merkle_frontier_init(&r.f);
    r.last = a->last;
    st = arcs__audit_stream(ctx, 0, -1, recompute_leaf, &r);
    if (st == ARCS_EVERIFY)
        st = arcs__fail(ctx, ARCS_EVERIFY,
                        "the log has a gap at entry %llu; run arcs audit verify",
                        (unsigned long long)r.f.size);
    if (st != ARCS_OK)
        goto done;
    if (a->last && r.f.size < a->last->size) {
        st = arcs__fail(
            ctx, ARCS_EVERIFY,
            "the log holds %llu entries but this key last signed %llu: the "
            "database was rolled back (a lagging replica?); refusing to sign a "
            "tree that does not extend the last checkpoint",
            (unsigned long long)r.f.size, (unsigned long long)a->last->size);
        goto done;
    }
    if (a->last && r.forked) {
        st =
            arcs__fail(ctx, ARCS_EVERIFY,
                       "the log's first %llu entries are not the ones this key signed: "
                       "the log forked; refusing to sign a tree that does not extend the "
                       "last checkpoint",
                       (unsigned long long)a->last->size);
        goto done;
    }
    memset(&cp, 0, sizeof(cp));
    snprintf(cp.origin, sizeof(cp.origin), "%s", a->signer->name);
    cp.size = r.f.size;
    if ((st = arcs_merkle_frontier_root(cp.root, &r.f, &ctx->err)) != ARCS_OK ||
        (st = arcs_checkpoint_format(&text, NULL, &cp, &ctx->err)) != ARCS_OK ||
        (st = arcs_note_sign(&a->note, NULL, text, strlen(text), a->signer, &ctx->err)) !=
            ARCS_OK)
        goto done;
    snprintf(sizebuf, sizeof(sizebuf), "%llu", (unsigned long long)cp.size);
    rhex[0] = '\\';
    rhex[1] = 'x';
    arcs_hash_hex(rhex + 2, cp.root);
    params[0] = sizebuf;
    params[1] = rhex;
    params[2] = a->note;
    params[3] = a->signer->name;
    st = arcs__db_exec(ctx, NULL,
                       "INSERT INTO arcs_audit.checkpoints (size, root, note, signer)"
                       " VALUES ($1::bigint, $2::bytea, $3, $4)",
                       4, params);
    if (st != ARCS_OK)
        goto done;
    memset(&next, 0, sizeof(next));
    snprintf(next.origin, sizeof(next.origin), "%s", a->signer->name);
    next.size = cp.size;
    memcpy(next.root, cp.root, ARCS_HASH_SIZE);
    next.f = r.f;
    st = arcs__signer_state_save(a->key_path, &next, &ctx->err);
    a->size = (int64_t)cp.size;
done:
    free(text);
    if (st != ARCS_OK) {
        free(a->note);
        a->note = NULL;
    }
    return st;
}

arcs_status arcs_audit_checkpoint(arcs_ctx *ctx, const char *key_path, char **note,
                                  int64_t *size)
{
    arcs_note_signer signer;
    arcs__signer_state last;
    struct cp_args a = {&signer, key_path, NULL, NULL, 0};
    int have_last = 0, lock = -1;
    arcs_status st;

    arcs__clear(ctx);
    *note = NULL;
    memset(&signer, 0, sizeof(signer));
    /* a bad key or state is refused before anything is written */
    st = arcs_note_signer_load(&signer, key_path, NULL, &ctx->err);
    if (st != ARCS_OK)
        goto done;
    /* one signer of this key at a time, whatever database each signs */
    st = arcs__signer_lock(key_path, &lock, &ctx->err);
    if (st != ARCS_OK)
        goto done;
    st = arcs__signer_state_load(key_path, &last, &have_last, &ctx->err);
    if (st != ARCS_OK)
        goto done;
    if (have_last && strcmp(last.origin, signer.name)) {
        st =
            arcs__fail(ctx, ARCS_EVERIFY,
                       "the signer state beside the key is of log '%s', the key of '%s'; "
                       "give the key's own state file",
                       last.origin, signer.name);
        goto done;
    }
    a.last = have_last ? &last : NULL;
    st = arcs__audit_seal(ctx, NULL);
    if (st != ARCS_OK)
        goto done;
    st = arcs__db_tx(ctx, ARCS__TX_NOSEAL, checkpoint_body, &a);
    if (st == ARCS_OK) {
        *note = a.note;
        if (size)
            *size = a.size;
    }
done:
    arcs__signer_unlock(lock);
    arcs_note_signer_clear(&signer);
    return st;
}

/* Parse a signed note's checkpoint (structure only; signatures elsewhere). */
static arcs_status parse_cp(arcs_checkpoint *cp, const char *note, size_t len,
                            const char *what, arcs_err *err)
{
    arcs_note n = {0};
    arcs_status st;

    st = arcs_note_parse(&n, note, len, err);
    if (st == ARCS_OK)
        st = arcs_checkpoint_parse(cp, n.text, n.text_len, err);
    arcs_note_clear(&n);
    if (st != ARCS_OK)
        return arcs_err_set(err, ARCS_EINVAL, "%s is not a signed checkpoint: %s", what,
                            err ? err->msg : "");
    return ARCS_OK;
}

struct cosign_args {
    const arcs_checkpoint *cp, *prev;
};

static arcs_status cosign_body(arcs_ctx *ctx, void *arg)
{
    struct cosign_args *a = arg;
    uint8_t *leaves = NULL, *proof = NULL, root[ARCS_HASH_SIZE];
    size_t count = 0;
    arcs_status st;

    st = arcs__audit_leaves(ctx, (int64_t)a->cp->size, &leaves);
    if (st != ARCS_OK)
        goto done;
    st = arcs_merkle_root(root, leaves, a->cp->size, &ctx->err);
    if (st != ARCS_OK)
        goto done;
    if (memcmp(root, a->cp->root, ARCS_HASH_SIZE)) {
        st = arcs__fail(ctx, ARCS_EVERIFY,
                        "the checkpoint's root is not the root of the log's first %llu "
                        "entries; do not cosign it",
                        (unsigned long long)a->cp->size);
        goto done;
    }
    if (!a->prev)
        goto done;
    st = arcs_merkle_consistency_proof(&proof, &count, leaves, a->prev->size, a->cp->size,
                                       &ctx->err);
    if (st != ARCS_OK)
        goto done;
    st = arcs_merkle_verify_consistency(a->prev->size, a->cp->size, proof, count,
                                        a->prev->root, a->cp->root, &ctx->err);
    if (st != ARCS_OK)
        st = arcs__fail(ctx, ARCS_EVERIFY,
                        "the checkpoint is not consistent with the previous one of size "
                        "%llu: the log was rewritten or forked; do not cosign it",
                        (unsigned long long)a->prev->size);
done:
    free(leaves);
    free(proof);
    return st;
}

arcs_status arcs_audit_cosign(arcs_ctx *ctx, const char *key_path, const char *cp,
                              size_t cp_len, const char *prev, size_t prev_len,
                              char **out)
{
    arcs_note_signer signer;
    arcs_checkpoint c, p;
    struct cosign_args a = {&c, NULL};
    arcs_status st;

    arcs__clear(ctx);
    *out = NULL;
    memset(&signer, 0, sizeof(signer));
    st = arcs_note_signer_load(&signer, key_path, NULL, &ctx->err);
    if (st != ARCS_OK)
        goto done;
    if ((st = parse_cp(&c, cp, cp_len, "the checkpoint", &ctx->err)) != ARCS_OK)
        goto done;
    if (prev) {
        if ((st = parse_cp(&p, prev, prev_len, "the previous checkpoint", &ctx->err)) !=
            ARCS_OK)
            goto done;
        if (p.size > c.size) {
            st = arcs__fail(
                ctx, ARCS_EVERIFY,
                "the checkpoint holds %llu entries, fewer than the %llu of the "
                "previous one: the log was rolled back; do not cosign it",
                (unsigned long long)c.size, (unsigned long long)p.size);
            goto done;
        }
        if (strcmp(p.origin, c.origin)) {
            st = arcs__fail(ctx, ARCS_EVERIFY,
                            "the checkpoint is of log '%s', the previous one of '%s'",
                            c.origin, p.origin);
            goto done;
        }
        a.prev = &p;
    }
    st = arcs__db_tx(ctx, ARCS__TX_READONLY, cosign_body, &a);
    if (st != ARCS_OK)
        goto done;
    st = arcs_note_cosign(out, NULL, cp, cp_len, &signer, &ctx->err);
done:
    arcs_note_signer_clear(&signer);
    return st;
}

struct prove_args {
    int64_t seq;
    const char *cp;
    size_t cp_len;
    char *out;
    size_t outlen;
};

static arcs_status prove_body(arcs_ctx *ctx, void *arg)
{
    struct prove_args *a = arg;
    PGresult *res = NULL;
    char *stored = NULL, seqbuf[24];
    const char *params[1] = {seqbuf};
    const char *note = a->cp;
    size_t note_len = a->cp_len, elen;
    arcs_checkpoint cp;
    arcs_proof proof = {0};
    uint8_t *leaves = NULL, *entry = NULL;
    arcs_status st;

    snprintf(seqbuf, sizeof(seqbuf), "%lld", (long long)a->seq);
    if (!note) {
        st = arcs__db_value(
            ctx, &stored, NULL,
            "SELECT note FROM arcs_audit.checkpoints WHERE size > $1::bigint"
            " ORDER BY size DESC, id DESC LIMIT 1",
            1, params);
        if (st == ARCS_ENOTFOUND || (st == ARCS_OK && !stored))
            st = arcs__fail(
                ctx, ARCS_ENOTFOUND,
                "no checkpoint includes entry %s yet; run arcs audit checkpoint", seqbuf);
        if (st != ARCS_OK)
            goto done;
        note = stored;
        note_len = strlen(stored);
    }
    if ((st = parse_cp(&cp, note, note_len, "the checkpoint", &ctx->err)) != ARCS_OK)
        goto done;
    if ((uint64_t)a->seq >= cp.size) {
        st = arcs__fail(ctx, ARCS_ENOTFOUND,
                        "entry %s is not in the checkpoint of size %llu", seqbuf,
                        (unsigned long long)cp.size);
        goto done;
    }
    st = arcs__db_exec(ctx, &res,
                       "SELECT entry FROM arcs_audit.entries WHERE seq = $1::bigint", 1,
                       params);
    if (st != ARCS_OK)
        goto done;
    if (PQntuples(res) != 1) {
        st = arcs__fail(ctx, ARCS_ENOTFOUND, "entry %s not found; see arcs audit log",
                        seqbuf);
        goto done;
    }
    entry = malloc(strlen(PQgetvalue(res, 0, 0)) / 2 + 1);
    if (!entry || arcs__audit_unhex(entry, strlen(PQgetvalue(res, 0, 0)) / 2 + 1, &elen,
                                    PQgetvalue(res, 0, 0)) != ARCS_OK) {
        st = arcs__fail(ctx, ARCS_ERROR, "cannot read entry %s", seqbuf);
        goto done;
    }
    if ((st = arcs__audit_leaves(ctx, (int64_t)cp.size, &leaves)) != ARCS_OK)
        goto done;
    st = arcs_proof_build(&proof, leaves, cp.size, (uint64_t)a->seq, entry, elen, note,
                          note_len, &ctx->err);
    if (st == ARCS_OK)
        st = arcs_proof_write(&a->out, &a->outlen, &proof, &ctx->err);
done:
    arcs_proof_clear(&proof);
    PQclear(res);
    free(stored);
    free(leaves);
    free(entry);
    return st;
}

arcs_status arcs_audit_prove(arcs_ctx *ctx, int64_t seq, const char *cp, size_t cp_len,
                             char **out, size_t *outlen)
{
    struct prove_args a = {seq, cp, cp_len, NULL, 0};
    arcs_status st;

    arcs__clear(ctx);
    *out = NULL;
    if (seq < 0)
        return arcs__fail(ctx, ARCS_EINVAL, "a sequence number is 0 or more");
    st = arcs__db_tx(ctx, ARCS__TX_READONLY, prove_body, &a);
    if (st == ARCS_OK) {
        *out = a.out;
        if (outlen)
            *outlen = a.outlen;
    } else {
        free(a.out);
    }
    return st;
}

static const char readme_text[] =
    "This folder is an export of an arcs audit log. entries.jsonl holds one entry per "
    "line: line i (from 0) is exactly the canonical JSON bytes of entry i, the bytes "
    "that "
    "were hashed, followed by one newline that is not part of them. checkpoint is a C2SP "
    "signed note (tlog-checkpoint) naming the log, the number of lines and the RFC 6962 "
    "Merkle root of the lines (leaf = SHA-256(0x00 || entry), node = SHA-256(0x01 || "
    "left "
    "|| right)). To verify: check the checkpoint's Ed25519 signature with the log's "
    "verifier key, check that every line is canonical JSON whose \"seq\" is its line "
    "number, recompute the root and compare it with the checkpoint's; `arcs audit "
    "verify-export DIR --vkey VKEY` does all of this, and docs/audit-format.md describes "
    "the format for an independent verifier.\n";

struct export_args {
    FILE *out;
    int64_t lines;
};

static arcs_status export_line(void *arg, int64_t seq, const uint8_t *entry, size_t len)
{
    struct export_args *a = arg;

    if (seq != a->lines)
        return ARCS_EVERIFY;
    a->lines++;
    if (fwrite(entry, 1, len, a->out) != len || fputc('\n', a->out) == EOF)
        return ARCS_ERROR;
    return ARCS_OK;
}

static arcs_status write_file(arcs_ctx *ctx, const char *dir, const char *name,
                              const char *text, size_t len)
{
    char path[4096];

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    /* never through a link, never over anything but a regular file */
    if (arcs_file_write(path, text, len, 0, &ctx->err) != ARCS_OK)
        return ctx->err.code;
    return ARCS_OK;
}

struct exp_body_args {
    const char *dir;
    int64_t upto;
};

static arcs_status export_body(arcs_ctx *ctx, void *arg)
{
    struct exp_body_args *a = arg;
    char *note = NULL, sizebuf[24], path[4096];
    const char *params[1] = {sizebuf};
    struct export_args ea = {NULL, 0};
    arcs_file *ef = NULL;
    arcs_status st;

    if (a->upto < 0)
        st = arcs__db_value(ctx, &note, NULL,
                            "SELECT note FROM arcs_audit.checkpoints"
                            " ORDER BY size DESC, id DESC LIMIT 1",
                            0, NULL);
    else {
        snprintf(sizebuf, sizeof(sizebuf), "%lld", (long long)a->upto);
        st = arcs__db_value(
            ctx, &note, NULL,
            "SELECT note FROM arcs_audit.checkpoints WHERE size = $1::bigint"
            " ORDER BY id DESC LIMIT 1",
            1, params);
    }
    if (st == ARCS_ENOTFOUND || (st == ARCS_OK && !note)) {
        st = arcs__fail(ctx, ARCS_ENOTFOUND,
                        "no signed checkpoint of that size; give --key to sign one");
        goto done;
    }
    if (st != ARCS_OK)
        goto done;
    {
        arcs_checkpoint cp;
        if ((st = parse_cp(&cp, note, strlen(note), "the stored checkpoint",
                           &ctx->err)) != ARCS_OK)
            goto done;
        a->upto = (int64_t)cp.size;
    }
    snprintf(path, sizeof(path), "%s/entries.jsonl", a->dir);
    if ((st = arcs_file_begin(&ef, &ea.out, path, 0, &ctx->err)) != ARCS_OK)
        goto done;
    st = arcs__audit_stream(ctx, 0, a->upto, export_line, &ea);
    if (st == ARCS_OK && ea.lines == a->upto) {
        st = arcs_file_commit(ef, &ctx->err);
        ef = NULL;
    }
    if (st == ARCS_OK && ea.lines != a->upto)
        st = ARCS_EVERIFY;
    if (st == ARCS_EVERIFY)
        st = arcs__fail(ctx, st,
                        "the log has a gap or is shorter than its checkpoint; run "
                        "arcs audit verify");
    else if (st == ARCS_ERROR && !ctx->err.msg[0])
        st = arcs__fail(ctx, st, "cannot write '%s'", path);
    if (st != ARCS_OK)
        goto done;
    if ((st = write_file(ctx, a->dir, "checkpoint", note, strlen(note))) != ARCS_OK)
        goto done;
    st = write_file(ctx, a->dir, "README", readme_text, sizeof(readme_text) - 1);
done:
    arcs_file_abort(ef);
    free(note);
    return st;
}

arcs_status arcs_audit_export(arcs_ctx *ctx, const char *dir, int64_t upto,
                              const char *key_path, int64_t *size)
{
    struct exp_body_args a = {dir, upto};
    arcs_status st;

    arcs__clear(ctx);
    if (size)
        *size = 0;
    if (mkdir(dir, 0755) != 0 && errno != EEXIST)
        return arcs__fail(ctx, ARCS_ERROR, "cannot create '%s': %s", dir,
                          strerror(errno));
    if (key_path) {
        char *note = NULL;
        int64_t n = 0;
        st = arcs_audit_checkpoint(ctx, key_path, &note, &n);
        free(note);
        if (st != ARCS_OK)
            return st;
        if (a.upto < 0)
            a.upto = n;
    }
    st = arcs__db_tx(ctx, ARCS__TX_READONLY, export_body, &a);
    if (st == ARCS_OK && size)
        *size = a.upto;
    return st;
}

static char *slurp(const char *path, size_t *len, size_t max)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t n = 0, cap = 0, r;

    if (!f)
        return NULL;
    for (;;) {
        if (n + 4096 + 1 > cap) {
            char *p;
            if (cap > max)
                break;
            cap = (cap + 4096) * 2;
            p = realloc(buf, cap);
            if (!p)
                break;
            buf = p;
        }
        r = fread(buf + n, 1, 4096, f);
        n += r;
        if (r == 0)
            break;
    }
    fclose(f);
    if (!buf || n > max) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

arcs_status arcs_audit_verify_export(const char *dir, const char *const *vkeys,
                                     size_t nvkeys, int64_t *size, arcs_err *err)
{
    arcs_note_verifier *keys = NULL;
    arcs_note note = {0};
    arcs_checkpoint cp;
    arcs_merkle_frontier f;
    char path[4096], *cptext = NULL, *line = NULL, seqbuf[24];
    size_t cplen = 0, lcap = 0;
    ssize_t got;
    uint8_t leaf[ARCS_HASH_SIZE], root[ARCS_HASH_SIZE];
    FILE *in = NULL;
    arcs_status st;

    if (size)
        *size = 0;
    arcs_merkle_frontier_init(&f);
    if (nvkeys == 0) {
        st = arcs_err_set(err, ARCS_EINVAL, "give the log's verifier key with --vkey");
        goto done;
    }
    keys = calloc(nvkeys, sizeof(*keys));
    if (!keys) {
        st = arcs_err_set(err, ARCS_ERROR, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < nvkeys; i++) {
        st = arcs_note_verifier_parse(&keys[i], vkeys[i], strlen(vkeys[i]), err);
        if (st != ARCS_OK) {
            st = arcs_err_set(err, ARCS_EINVAL, "verifier key %zu is malformed", i + 1);
            goto done;
        }
    }
    snprintf(path, sizeof(path), "%s/checkpoint", dir);
    cptext = slurp(path, &cplen, ARCS_NOTE_MAX_BYTES);
    if (!cptext) {
        st = arcs_err_set(err, ARCS_EINVAL, "cannot read '%s'; is this an export folder?",
                          path);
        goto done;
    }
    st = arcs_note_open(&note, cptext, cplen, keys, nvkeys, NULL, err);
    if (st != ARCS_OK) {
        st = arcs_err_set(err, ARCS_EVERIFY, "checkpoint signature does not verify: %s",
                          err ? err->msg : "");
        goto done;
    }
    st = arcs_checkpoint_parse(&cp, note.text, note.text_len, err);
    if (st != ARCS_OK) {
        st = arcs_err_set(err, ARCS_EVERIFY, "checkpoint is malformed");
        goto done;
    }
    snprintf(path, sizeof(path), "%s/entries.jsonl", dir);
    in = fopen(path, "rb");
    if (!in) {
        st =
            arcs_err_set(err, ARCS_EINVAL, "cannot read '%s': %s", path, strerror(errno));
        goto done;
    }
    while ((got = getline(&line, &lcap, in)) > 0) {
        arcs_json *e = NULL;
        const char *s;
        size_t n = (size_t)got;

        if (line[n - 1] != '\n') {
            st = arcs_err_set(err, ARCS_EVERIFY, "line %llu does not end in a newline",
                              (unsigned long long)f.size);
            goto done;
        }
        n--;
        if (arcs_json_is_canonical(line, n, NULL) != ARCS_OK ||
            arcs_json_parse(&e, line, n, 0, NULL) != ARCS_OK) {
            st = arcs_err_set(err, ARCS_EVERIFY, "line %llu is not canonical JSON",
                              (unsigned long long)f.size);
            goto done;
        }
        snprintf(seqbuf, sizeof(seqbuf), "%llu", (unsigned long long)f.size);
        s = arcs_json_string(arcs_json_get(e, "seq"), NULL);
        if (!s || strcmp(s, seqbuf)) {
            arcs_json_free(e);
            st = arcs_err_set(err, ARCS_EVERIFY,
                              "line %s says seq %s: lines were reordered or removed",
                              seqbuf, s ? s : "(none)");
            goto done;
        }
        arcs_json_free(e);
        if ((st = arcs_merkle_leaf_hash(leaf, line, n)) != ARCS_OK ||
            (st = arcs_merkle_frontier_append(&f, leaf, err)) != ARCS_OK)
            goto done;
    }
    if (f.size != cp.size) {
        st = arcs_err_set(err, ARCS_EVERIFY,
                          "entries.jsonl has %llu lines but the checkpoint says %llu",
                          (unsigned long long)f.size, (unsigned long long)cp.size);
        goto done;
    }
    if ((st = arcs_merkle_frontier_root(root, &f, err)) != ARCS_OK)
        goto done;
    if (memcmp(root, cp.root, ARCS_HASH_SIZE)) {
        st = arcs_err_set(
            err, ARCS_EVERIFY,
            "the root of entries.jsonl differs from the checkpoint's: entries "
            "were changed");
        goto done;
    }
    if (size)
        *size = (int64_t)f.size;
    st = ARCS_OK;
done:
    if (in)
        fclose(in);
    free(line);
    free(cptext);
    free(keys);
    arcs_note_clear(&note);
    return st;
}
