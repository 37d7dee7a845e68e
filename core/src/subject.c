/* Subjects: the people and legal entities tied to a case. */
#include <stdlib.h>
#include <string.h>

#include "arcs/case.h"
#include "case_int.h"
#include "db_int.h"

struct subject_args {
    const arcs_subject_new *in;
    int64_t id;
    int existed;
};

static arcs_status subject_body(arcs_ctx *ctx, void *arg)
{
    struct subject_args *a = arg;
    const arcs_subject_new *in = a->in;
    const char *params[6];
    char idbuf[24];
    char *v = NULL;
    int64_t case_id;
    arcs_status st;

    a->existed = 0;
    st = arcs__case_lookup(ctx, in->case_ref, &case_id);
    if (st == ARCS_OK && in->country)
        st = arcs__check_country_known(ctx, "country", in->country);
    if (st != ARCS_OK)
        goto done;
    params[0] = arcs__id_text(idbuf, case_id);
    params[1] = in->name;
    params[2] = in->kind;
    params[3] = in->role;
    params[4] = in->country;
    params[5] = in->id_number;
    /* A retry of the same subject finds the one recorded the first time. */
    /* An analyst may not read identity numbers: the database compares them. */
    st = arcs__db_value(
        ctx, &v, NULL,
        "SELECT arcs.subject_retry_of($1::bigint, $2, $3, $4, $5, $6)::text", 6, params);
    if (st == ARCS_OK && !v)
        st = ARCS_ENOTFOUND;
    if (st == ARCS_OK) {
        a->existed = 1;
        goto got;
    }
    if (st != ARCS_ENOTFOUND)
        goto done;
    st = arcs__db_value(ctx, &v, NULL,
                        "INSERT INTO arcs.subjects (case_id, name, kind, role, country,"
                        " id_number) VALUES ($1::bigint, $2, $3, $4, $5, $6)"
                        " RETURNING id::text",
                        6, params);
    if (st != ARCS_OK)
        goto done;
got:
    a->id = v ? strtoll(v, NULL, 10) : 0;
done:
    free(v);
    return st;
}

arcs_status arcs_subject_add(arcs_ctx *ctx, const arcs_subject_new *in, int64_t *id,
                             int *existed)
{
    struct subject_args a = {in, 0, 0};
    arcs_status st;

    arcs__clear(ctx);
    *id = 0;
    if (existed)
        *existed = 0;
    st = arcs__check_case_ref(ctx, in->case_ref);
    if (st == ARCS_OK)
        st = arcs__check_text(ctx, "name", in->name, 500);
    if (st == ARCS_OK)
        st = arcs__check_word(ctx, "subject kind", in->kind, arcs__subject_kinds);
    if (st == ARCS_OK)
        st = arcs__check_word(ctx, "subject role", in->role, arcs__subject_roles);
    if (st == ARCS_OK && in->country)
        st = arcs__check_country_shape(ctx, "country", in->country);
    if (st == ARCS_OK && in->id_number)
        st = arcs__check_text(ctx, "identity number", in->id_number, 100);
    if (st != ARCS_OK)
        return st;
    st = arcs__db_tx(ctx, ARCS__TX_RECONNECT, subject_body, &a);
    if (st != ARCS_OK)
        return st;
    *id = a.id;
    if (existed)
        *existed = a.existed;
    return ARCS_OK;
}
