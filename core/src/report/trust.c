/*
 * The audit checkpoint a report is generated at, and how far it is trusted.
 * A row of arcs_audit.checkpoints is only a claim: whoever may insert there
 * can add one. A report calls a checkpoint signed only when the caller gave
 * verifier keys, its signature verifies with one of them and its root is
 * the root recomputed from the log's entries at its size; otherwise it says
 * "recorded, not verified".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arcs/merkle.h"
#include "arcs/note.h"
#include "arcs/report.h"
#include "../audit/capture_int.h"
#include "../db_int.h"
#include "report_int.h"

arcs_status arcs_report_trust_keys(arcs_ctx *ctx, const char *const *vkeys, size_t n)
{
    char **copy = NULL;
    arcs_err err = {ARCS_OK, ""};

    arcs__clear(ctx);
    if (n) {
        copy = calloc(n, sizeof(*copy));
        if (!copy)
            return arcs__fail(ctx, ARCS_ERROR, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        arcs_note_verifier v;
        if (arcs_note_verifier_parse(&v, vkeys[i], strlen(vkeys[i]), &err) != ARCS_OK) {
            for (size_t k = 0; k < i; k++)
                free(copy[k]);
            free(copy);
            return arcs__fail(ctx, ARCS_EINVAL,
                              "verifier key %zu is malformed (%s); give the text arcs "
                              "audit keygen printed",
                              i + 1, err.msg);
        }
        copy[i] = arcs__strdup(vkeys[i]);
        if (!copy[i]) {
            for (size_t k = 0; k < i; k++)
                free(copy[k]);
            free(copy);
            return arcs__fail(ctx, ARCS_ERROR, "out of memory");
        }
    }
    for (size_t i = 0; i < ctx->nreport_vkeys; i++)
        free(ctx->report_vkeys[i]);
    free(ctx->report_vkeys);
    ctx->report_vkeys = copy;
    ctx->nreport_vkeys = n;
    return ARCS_OK;
}

/* Does the log's root at size equal root? Recomputed from the entry bytes. */
static arcs_status root_matches(arcs_ctx *ctx, uint64_t size, const uint8_t *root,
                                int *yes)
{
    uint8_t *leaves = NULL, got[ARCS_HASH_SIZE];
    arcs_status st;

    *yes = 0;
    st = arcs__audit_leaves(ctx, (int64_t)size, &leaves);
    if (st == ARCS_EVERIFY) { /* the log is shorter or has a gap: no */
        arcs__clear(ctx);
        return ARCS_OK;
    }
    if (st == ARCS_OK && (st = arcs_merkle_root(got, leaves, size, &ctx->err)) == ARCS_OK)
        *yes = !memcmp(got, root, ARCS_HASH_SIZE);
    free(leaves);
    return st;
}

/* The newest of the last 20 stored checkpoints that verifies with the trusted keys and
   whose root is the log's at its size; *found 0 when none does. */
static arcs_status find_verified(arcs_ctx *ctx, rep_doc *d, int *found)
{
    arcs_note_verifier *keys;
    PGresult *res = NULL;
    arcs_status st;

    *found = 0;
    keys = calloc(ctx->nreport_vkeys, sizeof(*keys));
    if (!keys)
        return arcs__fail(ctx, ARCS_ERROR, "out of memory");
    for (size_t i = 0; i < ctx->nreport_vkeys; i++)
        if (arcs_note_verifier_parse(&keys[i], ctx->report_vkeys[i],
                                     strlen(ctx->report_vkeys[i]), NULL) != ARCS_OK) {
            free(keys);
            return arcs__fail(ctx, ARCS_EINVAL, "verifier key %zu is malformed", i + 1);
        }
    st = arcs__db_exec(ctx, &res,
                       "SELECT c.note FROM arcs_audit.checkpoints c"
                       " ORDER BY c.size DESC, c.id DESC LIMIT 20",
                       0, NULL);
    for (int i = 0; st == ARCS_OK && i < PQntuples(res) && !*found; i++) {
        const char *text = PQgetvalue(res, i, 0);
        arcs_note note = {0};
        arcs_checkpoint cp;
        int ok = 0;

        if (arcs_note_open(&note, text, strlen(text), keys, ctx->nreport_vkeys, NULL,
                           NULL) != ARCS_OK)
            continue; /* not signed by a trusted key */
        if (arcs_checkpoint_parse(&cp, note.text, note.text_len, NULL) == ARCS_OK)
            st = root_matches(ctx, cp.size, cp.root, &ok);
        arcs_note_clear(&note);
        if (st != ARCS_OK || !ok)
            continue;
        *found = 1;
        d->cp_signed = 1;
        d->cp_kind = "signed and verified checkpoint";
        d->cp_size = (int64_t)cp.size;
        arcs_hash_hex(d->cp_root, cp.root);
        d->cp_note = arcs__strdup(text);
    }
    PQclear(res);
    free(keys);
    return st;
}

arcs_status arcs__report_checkpoint(arcs_ctx *ctx, rep_doc *d)
{
    PGresult *res = NULL;
    int has = 0, found = 0;
    arcs_status st;

    d->cp_signed = 0;
    d->cp_kind = "no audit log";
    st = arcs__report_has(ctx, "arcs_audit.checkpoints", &has);
    if (st != ARCS_OK || !has)
        goto done;
    d->has_log = 1;
    if (ctx->nreport_vkeys > 0 && (st = find_verified(ctx, d, &found)) != ARCS_OK)
        goto done;
    if (found)
        goto done;
    if (ctx->nreport_vkeys == 0) {
        /* the newest stored checkpoint, named for what it is: a claim */
        st = arcs__db_exec(
            ctx, &res,
            "SELECT size::text, encode(root, 'hex'), note FROM arcs_audit.checkpoints c"
            " ORDER BY c.size DESC, c.id DESC LIMIT 1",
            0, NULL);
        if (st != ARCS_OK)
            goto done;
        if (PQntuples(res) == 1) {
            d->cp_kind = "checkpoint recorded, not verified";
            d->cp_note = arcs__strdup(PQgetvalue(res, 0, 2));
            goto take;
        }
        PQclear(res);
        res = NULL;
    }
    d->cp_kind = ctx->nreport_vkeys ? "unsigned tree head (no stored checkpoint verifies "
                                      "with the given keys)"
                                    : "unsigned tree head";
    st = arcs__db_exec(ctx, &res,
                       "SELECT size::text, encode(root, 'hex') FROM arcs_audit.tree_heads"
                       " ORDER BY tree_heads.size DESC LIMIT 1",
                       0, NULL);
    if (st != ARCS_OK)
        goto done;
take:
    if (PQntuples(res) == 1) {
        d->cp_size = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
        snprintf(d->cp_root, sizeof(d->cp_root), "%s", PQgetvalue(res, 0, 1));
    } else {
        /* an empty log: the root of the empty tree (RFC 6962) */
        snprintf(d->cp_root, sizeof(d->cp_root), "%s",
                 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }
done:
    PQclear(res);
    return st;
}
