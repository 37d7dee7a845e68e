/* Reading the audit log: streaming entries, recomputed leaves, listing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arcs/audit.h"
#include "capture_int.h"

#define FETCH_ROWS "5000"

arcs_status arcs__audit_stream(arcs_ctx *ctx, int64_t from, int64_t upto,
                               arcs__audit_entry_fn fn, void *arg)
{
    PGresult *res = NULL;
    char fbuf[24], ubuf[24];
    const char *params[2] = {fbuf, ubuf};
    uint8_t *bytes = NULL;
    size_t cap = 0, len;
    arcs_status st;
    int n, open = 0;

    snprintf(fbuf, sizeof(fbuf), "%lld", (long long)from);
    snprintf(ubuf, sizeof(ubuf), "%lld", (long long)upto);
    st = arcs__db_exec(ctx, NULL,
                       "DECLARE arcs_audit_entries NO SCROLL CURSOR FOR"
                       " SELECT seq::text, entry FROM arcs_audit.entries"
                       " WHERE seq >= $1::bigint AND ($2::bigint < 0 OR seq < $2::bigint)"
                       " ORDER BY entries.seq",
                       2, params);
    if (st != ARCS_OK)
        goto done;
    open = 1;
    for (;;) {
        st = arcs__db_exec(ctx, &res, "FETCH " FETCH_ROWS " FROM arcs_audit_entries", 0,
                           NULL);
        if (st != ARCS_OK)
            goto done;
        n = PQntuples(res);
        for (int i = 0; i < n; i++) {
            const char *hex = PQgetvalue(res, i, 1);
            size_t need = strlen(hex) / 2 + 1;
            if (need > cap) {
                uint8_t *p = realloc(bytes, need);
                if (!p) {
                    st = arcs__fail(ctx, ARCS_ERROR, "out of memory");
                    goto done;
                }
                bytes = p;
                cap = need;
            }
            if (arcs__audit_unhex(bytes, cap, &len, hex) != ARCS_OK) {
                st = arcs__fail(ctx, ARCS_ERROR, "entry %s: unreadable bytes",
                                PQgetvalue(res, i, 0));
                goto done;
            }
            st = fn(arg, strtoll(PQgetvalue(res, i, 0), NULL, 10), bytes, len);
            if (st != ARCS_OK)
                goto done;
        }
        PQclear(res);
        res = NULL;
        if (n == 0)
            break;
    }
done:
    PQclear(res);
    free(bytes);
    if (open && st == ARCS_OK)
        st = arcs__db_exec(ctx, NULL, "CLOSE arcs_audit_entries", 0, NULL);
    return st;
}

struct leaves_arg {
    uint8_t *leaves;
    int64_t n, next;
};

static arcs_status leaf_cb(void *arg, int64_t seq, const uint8_t *entry, size_t len)
{
    struct leaves_arg *a = arg;

    if (seq != a->next)
        return ARCS_EVERIFY;
    a->next++;
    return arcs_merkle_leaf_hash(a->leaves + (size_t)seq * ARCS_HASH_SIZE, entry, len);
}

arcs_status arcs__audit_leaves(arcs_ctx *ctx, int64_t n, uint8_t **out)
{
    struct leaves_arg a = {NULL, n, 0};
    arcs_status st;

    *out = NULL;
    a.leaves = malloc((size_t)(n > 0 ? n : 1) * ARCS_HASH_SIZE);
    if (!a.leaves)
        return arcs__fail(ctx, ARCS_ERROR, "out of memory");
    st = arcs__audit_stream(ctx, 0, n, leaf_cb, &a);
    if (st == ARCS_EVERIFY || (st == ARCS_OK && a.next != n))
        st = arcs__fail(ctx, ARCS_EVERIFY,
                        "the log has a gap or is shorter than %lld entries at %lld; run "
                        "arcs audit verify",
                        (long long)n, (long long)a.next);
    if (st != ARCS_OK) {
        free(a.leaves);
        return st;
    }
    *out = a.leaves;
    return ARCS_OK;
}

struct log_args {
    const char *case_ref;
    int64_t since;
    arcs_audit_log_fn fn;
    void *arg;
};

static arcs_status log_body(arcs_ctx *ctx, void *arg)
{
    struct log_args *a = arg;
    PGresult *res = NULL;
    char sbuf[24], *case_id = NULL, last[24];
    const char *params[2];
    arcs_status st = ARCS_OK;

    if (a->case_ref) {
        params[0] = a->case_ref;
        st = arcs__db_value(ctx, &case_id, "case",
                            "SELECT id::text FROM arcs.cases WHERE ref = $1", 1, params);
        if (st == ARCS_ENOTFOUND)
            st = arcs__fail(ctx, st, "case '%s' not found; see arcs case list",
                            a->case_ref);
        if (st != ARCS_OK)
            goto done;
    }
    snprintf(last, sizeof(last), "%lld", (long long)(a->since - 1));
    for (;;) {
        params[0] = last;
        params[1] = case_id;
        st = arcs__db_exec(
            ctx, &res,
            "SELECT e.seq::text, convert_from(e.entry, 'UTF8') FROM arcs_audit.entries e"
            " WHERE e.seq > $1::bigint AND ($2::text IS NULL OR e.case_id = $2"
            " OR e.asset_id IN (SELECT a.id::text FROM arcs.assets a"
            "                   WHERE a.case_id::text = $2))"
            " ORDER BY e.seq LIMIT 2000",
            2, params);
        if (st != ARCS_OK)
            goto done;
        if (PQntuples(res) == 0)
            break;
        for (int i = 0; i < PQntuples(res); i++) {
            const char *text = PQgetvalue(res, i, 1);
            arcs_json *e = NULL;
            arcs_audit_log_row row;
            char *key = NULL;
            int stop;

            /* lines come from the stored bytes; a damaged one is still listed */
            memset(&row, 0, sizeof(row));
            row.seq = strtoll(PQgetvalue(res, i, 0), NULL, 10);
            row.entry = text;
            if (arcs_json_parse(&e, text, strlen(text), ARCS_JSON_NUMBERS_AS_STRINGS,
                                NULL) == ARCS_OK) {
                row.time = arcs_json_string(arcs_json_get(e, "time"), NULL);
                row.db_user = arcs_json_string(arcs_json_get(e, "db_user"), NULL);
                row.actor = arcs_json_string(arcs_json_get(e, "actor"), NULL);
                row.op = arcs_json_string(arcs_json_get(e, "op"), NULL);
                row.table = arcs_json_string(arcs_json_get(e, "table"), NULL);
                if (arcs_json_get(e, "key"))
                    arcs_json_canonical(&key, NULL, arcs_json_get(e, "key"), NULL);
                row.key = key;
            }
            stop = a->fn(a->arg, &row);
            free(key);
            arcs_json_free(e);
            if (stop)
                goto done;
        }
        snprintf(sbuf, sizeof(sbuf), "%s", PQgetvalue(res, PQntuples(res) - 1, 0));
        snprintf(last, sizeof(last), "%s", sbuf);
        PQclear(res);
        res = NULL;
    }
done:
    PQclear(res);
    free(case_id);
    return st;
}

arcs_status arcs_audit_log(arcs_ctx *ctx, const char *case_ref, int64_t since,
                           arcs_audit_log_fn fn, void *arg)
{
    struct log_args a = {case_ref, since < 0 ? 0 : since, fn, arg};

    arcs__clear(ctx);
    return arcs__db_tx(ctx, ARCS__TX_READONLY, log_body, &a);
}
