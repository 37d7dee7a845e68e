/*
 * The bytes of one audit entry: the canonical JSON object of a captured
 * change at its sequence number. Two roads to the same bytes: the
 * reference builds a tree and serializes it; the sealer's canonicalizes the
 * key and the row images on their own and writes the fixed top level
 * directly, in the order the canonical form sorts it:
 * actor, db_user, key, new, old, op, seq, table, time, txid.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "entry_int.h"

/* ---- the reference ---- */

static arcs_status set_parsed(arcs_json *obj, const char *name, const char *text,
                              arcs_err *err)
{
    arcs_json *v = NULL;
    arcs_status st;

    if (!text)
        return arcs_json_object_set_cstr(obj, name, arcs_json_new_null(), err);
    /* capture writes no numbers; should one slip in, it becomes its text */
    st = arcs_json_parse(&v, text, strlen(text), ARCS_JSON_NUMBERS_AS_STRINGS, err);
    if (st != ARCS_OK)
        return st;
    return arcs_json_object_set_cstr(obj, name, v, err);
}

static arcs_status set_str(arcs_json *obj, const char *name, const char *value,
                           arcs_err *err)
{
    return arcs_json_object_set_cstr(obj, name, arcs_json_new_cstr(value), err);
}

arcs_status arcs__audit_entry_build(char **out, size_t *outlen, char **key_out,
                                    int64_t seq, const arcs__audit_change *c,
                                    arcs_err *err)
{
    arcs_json *obj = arcs_json_new_object();
    char seqbuf[24];
    arcs_status st;

    *out = NULL;
    if (key_out)
        *key_out = NULL;
    if (!obj)
        return arcs_err_set(err, ARCS_ERROR, "out of memory");
    snprintf(seqbuf, sizeof(seqbuf), "%lld", (long long)seq);
    if ((st = set_str(obj, "actor", c->actor, err)) != ARCS_OK ||
        (st = set_str(obj, "db_user", c->db_user, err)) != ARCS_OK ||
        (st = set_parsed(obj, "key", c->key, err)) != ARCS_OK ||
        (st = set_parsed(obj, "new", c->new_row, err)) != ARCS_OK ||
        (st = set_parsed(obj, "old", c->old_row, err)) != ARCS_OK ||
        (st = set_str(obj, "op", c->op, err)) != ARCS_OK ||
        (st = set_str(obj, "seq", seqbuf, err)) != ARCS_OK ||
        (st = set_str(obj, "table", c->table, err)) != ARCS_OK ||
        (st = set_str(obj, "time", c->time, err)) != ARCS_OK ||
        (st = set_str(obj, "txid", c->txid, err)) != ARCS_OK)
        goto done;
    st = arcs_json_canonical(out, outlen, obj, err);
    if (st == ARCS_OK && key_out)
        st = arcs_json_canonical(key_out, NULL, arcs_json_get(obj, "key"), err);
done:
    arcs_json_free(obj);
    if (st != ARCS_OK) {
        free(*out);
        *out = NULL;
    }
    return st;
}

/* ---- the sealer's ---- */

static arcs_status put_str(arcs__audit_entry *e, const char *lit, const char *value,
                           arcs_err *err)
{
    arcs__buf_put(&e->out, lit, strlen(lit));
    return arcs__json_append_string(&e->out, value, strlen(value), err);
}

static arcs_status put_json(arcs__audit_entry *e, const char *lit, arcs__json_canon *cn,
                            const char *text, arcs_err *err)
{
    arcs_status st = ARCS_OK;

    cn->n = 0;
    cn->ntop = 0;
    if (text)
        st = arcs__json_canon_run(cn, text, strlen(text), ARCS_JSON_NUMBERS_AS_STRINGS,
                                  err);
    if (st != ARCS_OK)
        return st;
    arcs__buf_put(&e->out, lit, strlen(lit));
    if (text)
        arcs__buf_put(&e->out, cn->out, cn->n);
    else
        arcs__buf_put(&e->out, "null", 4);
    return e->out.oom ? arcs_err_set(err, ARCS_ERROR, "out of memory") : ARCS_OK;
}

/* The value of member name of canonical object cn when it is a string
   without escapes (an id). */
static const char *member(const arcs__json_canon *cn, const char *name, size_t *len)
{
    size_t nlen = strlen(name);

    for (size_t k = 0; k < cn->ntop; k++) {
        const arcs__json_member *m = &cn->top[k];
        if (m->keylen != nlen || memcmp(m->key, name, nlen))
            continue;
        if (m->vallen < 2 || m->val[0] != '"' || memchr(m->val, '\\', m->vallen))
            return NULL;
        *len = m->vallen - 2;
        return m->val + 1;
    }
    return NULL;
}

static const char *image_member(const arcs__audit_entry *e, const arcs__audit_change *c,
                                const char *name, size_t *len)
{
    const arcs__json_canon *img = &e->new_img;

    if (!c->new_row || e->new_img.n == 0 || e->new_img.out[0] != '{')
        img = &e->old_img;
    if (img == &e->old_img && (!c->old_row || img->n == 0 || img->out[0] != '{'))
        return NULL;
    return member(img, name, len);
}

arcs_status arcs__audit_entry_make(arcs__audit_entry *e, int64_t seq,
                                   const arcs__audit_change *c, arcs_err *err)
{
    char seqbuf[24];
    arcs_status st;

    e->out.n = 0;
    e->case_id = e->asset_id = NULL;
    e->case_id_len = e->asset_id_len = 0;
    snprintf(seqbuf, sizeof(seqbuf), "%lld", (long long)seq);
    if ((st = put_str(e, "{\"actor\":", c->actor, err)) != ARCS_OK ||
        (st = put_str(e, ",\"db_user\":", c->db_user, err)) != ARCS_OK ||
        (st = put_json(e, ",\"key\":", &e->key, c->key, err)) != ARCS_OK ||
        (st = put_json(e, ",\"new\":", &e->new_img, c->new_row, err)) != ARCS_OK ||
        (st = put_json(e, ",\"old\":", &e->old_img, c->old_row, err)) != ARCS_OK ||
        (st = put_str(e, ",\"op\":", c->op, err)) != ARCS_OK ||
        (st = put_str(e, ",\"seq\":", seqbuf, err)) != ARCS_OK ||
        (st = put_str(e, ",\"table\":", c->table, err)) != ARCS_OK ||
        (st = put_str(e, ",\"time\":", c->time, err)) != ARCS_OK ||
        (st = put_str(e, ",\"txid\":", c->txid, err)) != ARCS_OK)
        return st;
    arcs__buf_put(&e->out, "}", 1);
    if (e->out.oom)
        return arcs_err_set(err, ARCS_ERROR, "out of memory");
    if (!strcmp(c->table, "arcs.cases"))
        e->case_id = member(&e->key, "id", &e->case_id_len);
    else
        e->case_id = image_member(e, c, "case_id", &e->case_id_len);
    if (!strcmp(c->table, "arcs.assets"))
        e->asset_id = member(&e->key, "id", &e->asset_id_len);
    else
        e->asset_id = image_member(e, c, "asset_id", &e->asset_id_len);
    return ARCS_OK;
}

void arcs__audit_entry_free(arcs__audit_entry *e)
{
    arcs__json_canon_free(&e->key);
    arcs__json_canon_free(&e->new_img);
    arcs__json_canon_free(&e->old_img);
    arcs__buf_free(&e->out);
    memset(e, 0, sizeof(*e));
}
