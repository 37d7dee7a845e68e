/* Cases: validate, then add, list, read and move through their statuses. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arcs/case.h"
#include "arcs/money.h"
#include "case_int.h"
#include "db_int.h"
#include "text_int.h"

const char *const arcs__case_routes[] = {"criminal",       "non_conviction", "civil",
                                         "administrative", "voluntary",      NULL};
const char *const arcs__case_offences[] = {"bribery",
                                           "embezzlement",
                                           "trading_in_influence",
                                           "abuse_of_functions",
                                           "illicit_enrichment",
                                           "money_laundering",
                                           "concealment",
                                           "other",
                                           NULL};
const char *const arcs__case_statuses[] = {
    "open",   "investigation", "prosecution", "trial",  "judgment",
    "appeal", "enforcement",   "suspended",   "closed", NULL};
const char *const arcs__jurisdiction_roles[] = {"victim", "holding", "transit",
                                                "bribe_payer", NULL};
const char *const arcs__subject_kinds[] = {"person", "entity", NULL};
const char *const arcs__subject_roles[] = {
    "defendant",          "beneficial_owner", "nominee", "third_party",
    "bona_fide_acquirer", "creditor",         "victim",  NULL};
const char *const arcs__decision_kinds[] = {
    "freeze",           "seizure",           "confiscation", "appeal", "release",
    "return_agreement", "sharing_agreement", "allocation",   NULL};

int arcs__word_in(const char *word, const char *const *list)
{
    for (size_t i = 0; word && list[i]; i++)
        if (!strcmp(word, list[i]))
            return 1;
    return 0;
}

arcs_status arcs__check_word(arcs_ctx *ctx, const char *field, const char *value,
                             const char *const *list)
{
    char choices[400];
    size_t n = 0, len = 0;

    if (arcs__word_in(value, list))
        return ARCS_OK;
    while (list[n])
        n++;
    choices[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        const char *sep = i == 0 ? "" : (i + 1 == n ? " or " : ", ");
        int w = snprintf(choices + len, sizeof(choices) - len, "%s%s", sep, list[i]);
        if (w < 0 || (size_t)w >= sizeof(choices) - len)
            break;
        len += (size_t)w;
    }
    if (!value || !*value)
        return arcs__fail(ctx, ARCS_EINVAL, "missing %s; use %s", field, choices);
    {
        char shown[200];
        arcs__text_clip(shown, sizeof(shown), value, strlen(value), 80);
        return arcs__fail(ctx, ARCS_EINVAL, "unknown %s '%s'; use %s", field, shown,
                          choices);
    }
}

arcs_status arcs__check_text(arcs_ctx *ctx, const char *field, const char *text,
                             size_t maxchars)
{
    arcs_err err;

    arcs_err_clear(&err);
    if (arcs__text_valid(field, text, text ? strlen(text) : 0, maxchars, &err) != ARCS_OK)
        return arcs__fail(ctx, err.code, "%s", err.msg);
    return ARCS_OK;
}

arcs_status arcs__check_date(arcs_ctx *ctx, const char *field, const char *text,
                             int32_t *days)
{
    arcs_err err;
    int32_t d;

    arcs_err_clear(&err);
    if (!text || arcs_date_parse(&d, text, &err) != ARCS_OK) {
        char shown[160];
        arcs__text_clip(shown, sizeof(shown), text, text ? strlen(text) : 0, 40);
        return arcs__fail(ctx, ARCS_EINVAL,
                          "%s '%s' is not a calendar date; use YYYY-MM-DD, e.g. "
                          "2024-03-15",
                          field, shown);
    }
    if (days)
        *days = d;
    return ARCS_OK;
}

arcs_status arcs__check_country_shape(arcs_ctx *ctx, const char *field, const char *cc)
{
    if (arcs_country_code_check(cc, NULL) != ARCS_OK) {
        char shown[160];
        arcs__text_clip(shown, sizeof(shown), cc, cc ? strlen(cc) : 0, 40);
        return arcs__fail(ctx, ARCS_EINVAL,
                          "%s '%s' is not a country code; use an ISO 3166-1 alpha-2 "
                          "code in capitals, e.g. KZ",
                          field, shown);
    }
    return ARCS_OK;
}

arcs_status arcs__check_country_known(arcs_ctx *ctx, const char *field, const char *cc)
{
    const char *params[1] = {cc};
    char *v = NULL;
    arcs_status st;

    st = arcs__db_value(ctx, &v, NULL, "SELECT code FROM arcs.countries WHERE code = $1",
                        1, params);
    if (st == ARCS_ENOTFOUND)
        st = arcs__fail(ctx, ARCS_EINVAL,
                        "unknown %s '%s'; use an ISO 3166-1 alpha-2 code such as KZ",
                        field, cc);
    free(v);
    return st;
}

arcs_status arcs__check_case_ref(arcs_ctx *ctx, const char *ref)
{
    static const char ok[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                             "0123456789._/-";
    size_t n = ref ? strlen(ref) : 0;

    if (n == 0)
        return arcs__fail(ctx, ARCS_EINVAL,
                          "missing case ref; give one such as "
                          "ARC-2025-0042");
    if (n > 64 || strspn(ref, ok) != n || strchr("._/-", ref[0])) {
        char shown[320];
        arcs__text_clip(shown, sizeof(shown), ref, n, 80);
        return arcs__fail(
            ctx, ARCS_EINVAL,
            "case ref '%s' is malformed; use up to 64 letters, digits "
            "and . _ / - starting with a letter or digit, e.g. ARC-2025-0042",
            shown);
    }
    return ARCS_OK;
}

char *arcs__id_text(char *buf, int64_t id)
{
    snprintf(buf, 24, "%lld", (long long)id);
    return buf;
}

static int64_t parse_id(const char *s)
{
    char *end;
    long long v = strtoll(s, &end, 10);

    return (end == s || *end) ? -1 : (int64_t)v;
}

arcs_status arcs__case_lookup(arcs_ctx *ctx, const char *ref, int64_t *id)
{
    const char *params[1] = {ref};
    char *v = NULL;
    arcs_status st;

    *id = 0;
    st = arcs__db_value(ctx, &v, NULL, "SELECT id::text FROM arcs.cases WHERE ref = $1",
                        1, params);
    if (st == ARCS_ENOTFOUND)
        st = arcs__fail(ctx, ARCS_ENOTFOUND,
                        "case %s not found; list cases with 'arcs case list'", ref);
    if (st == ARCS_OK && v)
        *id = parse_id(v);
    free(v);
    return st;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorted, de-duplicated copies of the sets, and their text forms. */
struct case_norm {
    const char *offences[64];
    size_t noffences;
    char jur[64][24];
    const char *jurp[64];
    size_t njur;
    char off_text[1024];  /* "a,b" */
    char off_array[1030]; /* "{a,b}" */
    char jur_text[64 * 24];
};

static arcs_status normalize(arcs_ctx *ctx, const arcs_case_new *in, struct case_norm *n)
{
    arcs_status st;
    size_t len;

    memset(n, 0, sizeof(*n));
    if (in->noffences > 64)
        return arcs__fail(ctx, ARCS_EINVAL, "too many offences (%zu); at most 64",
                          in->noffences);
    for (size_t i = 0; i < in->noffences; i++) {
        st = arcs__check_word(ctx, "offence", in->offences[i], arcs__case_offences);
        if (st != ARCS_OK)
            return st;
        n->offences[n->noffences++] = in->offences[i];
    }
    qsort(n->offences, n->noffences, sizeof(n->offences[0]), cmp_str);
    if (in->njurisdictions > 64)
        return arcs__fail(ctx, ARCS_EINVAL, "too many jurisdictions (%zu); at most 64",
                          in->njurisdictions);
    for (size_t i = 0; i < in->njurisdictions; i++) {
        const char *j = in->jurisdictions[i], *colon = j ? strchr(j, ':') : NULL;
        char role[24];

        if (!colon || (size_t)(colon - j) >= sizeof(role)) {
            char shown[320];
            arcs__text_clip(shown, sizeof(shown), j, j ? strlen(j) : 0, 80);
            return arcs__fail(ctx, ARCS_EINVAL,
                              "jurisdiction '%s' is malformed; use ROLE:CC, e.g. "
                              "victim:KZ or holding:AT",
                              shown);
        }
        memcpy(role, j, (size_t)(colon - j));
        role[colon - j] = '\0';
        st = arcs__check_word(ctx, "jurisdiction role", role, arcs__jurisdiction_roles);
        if (st == ARCS_OK)
            st = arcs__check_country_shape(ctx, "jurisdiction country", colon + 1);
        if (st != ARCS_OK)
            return st;
        snprintf(n->jur[n->njur], sizeof(n->jur[0]), "%s", j);
        n->jurp[n->njur] = n->jur[n->njur];
        n->njur++;
    }
    qsort(n->jurp, n->njur, sizeof(n->jurp[0]), cmp_str);
    /* repeats collapse: the sets are what counts */
    len = 0;
    for (size_t i = 0; i < n->noffences; i++) {
        if (i > 0 && !strcmp(n->offences[i], n->offences[i - 1]))
            continue;
        len += (size_t)snprintf(n->off_text + len, sizeof(n->off_text) - len, "%s%s",
                                len ? "," : "", n->offences[i]);
    }
    snprintf(n->off_array, sizeof(n->off_array), "{%s}", n->off_text);
    len = 0;
    for (size_t i = 0; i < n->njur; i++) {
        if (i > 0 && !strcmp(n->jurp[i], n->jurp[i - 1]))
            continue;
        len += (size_t)snprintf(n->jur_text + len, sizeof(n->jur_text) - len, "%s%s",
                                len ? "," : "", n->jurp[i]);
    }
    return ARCS_OK;
}

struct add_args {
    const arcs_case_new *in;
    struct case_norm *n;
    const char *route;
    int64_t id;
    int existed;
};

static arcs_status compare_existing(arcs_ctx *ctx, struct add_args *a)
{
    const char *params[1] = {a->in->ref};
    PGresult *res = NULL;
    arcs_status st;
    int same;

    st = arcs__db_exec(
        ctx, &res,
        "SELECT c.id::text, c.title, c.route,"
        " pg_catalog.array_to_string(ARRAY(SELECT o FROM pg_catalog.unnest(c.offences) o"
        "  ORDER BY o COLLATE \"C\"), ','),"
        " c.opened_on::text,"
        " coalesce((SELECT pg_catalog.string_agg(j.role || ':' || j.country, ','"
        "  ORDER BY (j.role || ':' || j.country) COLLATE \"C\")"
        "  FROM arcs.case_jurisdictions j WHERE j.case_id = c.id), '')"
        " FROM arcs.cases c WHERE c.ref = $1",
        1, params);
    if (st != ARCS_OK)
        goto done;
    if (PQntuples(res) != 1) {
        st = arcs__fail(ctx, ARCS_ERETRY, "case %s vanished while adding it", a->in->ref);
        goto done;
    }
    same = !strcmp(PQgetvalue(res, 0, 1), a->in->title) &&
           !strcmp(PQgetvalue(res, 0, 2), a->route) &&
           !strcmp(PQgetvalue(res, 0, 3), a->n->off_text) &&
           (!a->in->opened || !strcmp(PQgetvalue(res, 0, 4), a->in->opened)) &&
           !strcmp(PQgetvalue(res, 0, 5), a->n->jur_text);
    if (!same) {
        st =
            arcs__fail(ctx, ARCS_ECONFLICT,
                       "case ref %s is already used for a different case; choose another "
                       "ref, or see it with 'arcs case show %s'",
                       a->in->ref, a->in->ref);
        goto done;
    }
    a->id = parse_id(PQgetvalue(res, 0, 0));
    a->existed = 1;
done:
    PQclear(res);
    return st;
}

static arcs_status add_body(arcs_ctx *ctx, void *arg)
{
    struct add_args *a = arg;
    const arcs_case_new *in = a->in;
    PGresult *res = NULL;
    const char *params[5];
    char idbuf[24];
    arcs_status st;

    a->existed = 0;
    for (size_t i = 0; i < a->n->njur; i++) {
        st = arcs__check_country_known(ctx, "jurisdiction country",
                                       strchr(a->n->jurp[i], ':') + 1);
        if (st != ARCS_OK)
            goto done;
    }
    params[0] = in->ref;
    params[1] = in->title;
    params[2] = a->route;
    params[3] = a->n->off_array;
    params[4] = in->opened;
    st = arcs__db_exec(ctx, &res,
                       "INSERT INTO arcs.cases (ref, title, route, offences, opened_on)"
                       " VALUES ($1, $2, $3, $4::text[],"
                       " coalesce($5::date, CURRENT_DATE))"
                       " ON CONFLICT (ref) DO NOTHING RETURNING id::text",
                       5, params);
    if (st != ARCS_OK)
        goto done;
    if (PQntuples(res) == 0) {
        st = compare_existing(ctx, a);
        goto done;
    }
    a->id = parse_id(PQgetvalue(res, 0, 0));
    for (size_t i = 0; i < a->n->njur; i++) {
        char role[24];
        const char *colon = strchr(a->n->jurp[i], ':');

        if (i > 0 && !strcmp(a->n->jurp[i], a->n->jurp[i - 1]))
            continue;
        snprintf(role, sizeof(role), "%.*s", (int)(colon - a->n->jurp[i]), a->n->jurp[i]);
        params[0] = arcs__id_text(idbuf, a->id);
        params[1] = role;
        params[2] = colon + 1;
        st = arcs__db_exec(ctx, NULL,
                           "INSERT INTO arcs.case_jurisdictions (case_id, role, country)"
                           " VALUES ($1::bigint, $2, $3)",
                           3, params);
        if (st != ARCS_OK)
            goto done;
    }
done:
    PQclear(res);
    return st;
}

arcs_status arcs_case_add(arcs_ctx *ctx, const arcs_case_new *in, int64_t *id,
                          int *existed)
{
    struct case_norm *n = NULL;
    struct add_args a;
    arcs_status st;

    arcs__clear(ctx);
    *id = 0;
    if (existed)
        *existed = 0;
    memset(&a, 0, sizeof(a));
    st = arcs__check_case_ref(ctx, in->ref);
    if (st == ARCS_OK)
        st = arcs__check_text(ctx, "title", in->title, 500);
    if (st == ARCS_OK && in->route)
        st = arcs__check_word(ctx, "route", in->route, arcs__case_routes);
    if (st == ARCS_OK && in->opened)
        st = arcs__check_date(ctx, "opened date", in->opened, NULL);
    if (st != ARCS_OK)
        goto done;
    n = malloc(sizeof(*n));
    if (!n) {
        st = arcs__fail(ctx, ARCS_ERROR, "out of memory");
        goto done;
    }
    st = normalize(ctx, in, n);
    if (st != ARCS_OK)
        goto done;
    a.in = in;
    a.n = n;
    a.route = in->route ? in->route : "criminal";
    st = arcs__db_tx(ctx, ARCS__TX_RECONNECT, add_body, &a);
    if (st != ARCS_OK)
        goto done;
    *id = a.id;
    if (existed)
        *existed = a.existed;
done:
    free(n);
    return st;
}

/* Split "a,b,c" into a malloc'd array of malloc'd strings. */
static int split_list(const char *text, char ***out, size_t *n)
{
    size_t count = 0, k = 0;
    const char *p = text, *comma;

    *out = NULL;
    *n = 0;
    if (!*text)
        return 0;
    for (const char *q = text; *q; q++)
        count += *q == ',';
    count++;
    *out = calloc(count, sizeof(char *));
    if (!*out)
        return -1;
    for (;;) {
        comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        (*out)[k] = malloc(len + 1);
        if (!(*out)[k])
            return -1;
        memcpy((*out)[k], p, len);
        (*out)[k][len] = '\0';
        k++;
        *n = k;
        if (!comma)
            break;
        p = comma + 1;
    }
    return 0;
}

static void case_clear(arcs_case *c)
{
    free(c->title);
    for (size_t i = 0; i < c->noffences; i++)
        free(c->offences[i]);
    free(c->offences);
    free(c->jurisdictions);
    memset(c, 0, sizeof(*c));
}

/* Columns: id ref title route status opened closed offences jurisdictions. */
#define CASE_COLUMNS                                                                     \
    "c.id::text, c.ref, c.title, c.route, c.status, c.opened_on::text,"                  \
    " coalesce(c.closed_on::text, ''), pg_catalog.array_to_string(c.offences, ','),"     \
    " coalesce((SELECT pg_catalog.string_agg(j.role || ':' || j.country, ','"            \
    "  ORDER BY j.role COLLATE \"C\", j.country COLLATE \"C\")"                          \
    "  FROM arcs.case_jurisdictions j WHERE j.case_id = c.id), '')"

static int case_from_row(arcs_case *c, const PGresult *res, int row)
{
    char **jur = NULL;
    size_t njur = 0;
    int rc = -1;

    memset(c, 0, sizeof(*c));
    c->id = parse_id(PQgetvalue(res, row, 0));
    snprintf(c->ref, sizeof(c->ref), "%s", PQgetvalue(res, row, 1));
    c->title = arcs__strdup(PQgetvalue(res, row, 2));
    snprintf(c->route, sizeof(c->route), "%s", PQgetvalue(res, row, 3));
    snprintf(c->status, sizeof(c->status), "%s", PQgetvalue(res, row, 4));
    snprintf(c->opened, sizeof(c->opened), "%s", PQgetvalue(res, row, 5));
    snprintf(c->closed, sizeof(c->closed), "%s", PQgetvalue(res, row, 6));
    if (!c->title || split_list(PQgetvalue(res, row, 7), &c->offences, &c->noffences))
        goto done;
    if (split_list(PQgetvalue(res, row, 8), &jur, &njur))
        goto done;
    if (njur) {
        c->jurisdictions = calloc(njur, sizeof(*c->jurisdictions));
        if (!c->jurisdictions)
            goto done;
    }
    for (size_t i = 0; i < njur; i++) {
        char *colon = strchr(jur[i], ':');
        if (!colon)
            continue;
        *colon = '\0';
        snprintf(c->jurisdictions[c->njurisdictions].role,
                 sizeof(c->jurisdictions[0].role), "%s", jur[i]);
        snprintf(c->jurisdictions[c->njurisdictions].country,
                 sizeof(c->jurisdictions[0].country), "%s", colon + 1);
        c->njurisdictions++;
    }
    rc = 0;
done:
    for (size_t i = 0; i < njur; i++)
        free(jur ? jur[i] : NULL);
    free(jur);
    return rc;
}

void arcs_case_list_free(arcs_case_list *list)
{
    if (!list)
        return;
    for (size_t i = 0; i < list->n; i++)
        case_clear(&list->items[i]);
    free(list->items);
    free(list);
}

struct list_args {
    const arcs_case_filter *f;
    arcs_case_list *list;
};

static arcs_status case_row(arcs_ctx *ctx, const PGresult *res, int row, void *item,
                            void *arg)
{
    (void)arg;
    if (case_from_row(item, res, row) != 0)
        return arcs__fail(ctx, ARCS_ERROR, "out of memory");
    return ARCS_OK;
}

static arcs_status list_body(arcs_ctx *ctx, void *arg)
{
    struct list_args *a = arg;
    const char *params[4] = {a->f ? a->f->status : NULL, a->f ? a->f->offence : NULL,
                             a->f ? a->f->country : NULL,
                             a->f && a->f->q && *a->f->q ? a->f->q : NULL};
    void *items = NULL;
    arcs_status st;

    if (params[2]) {
        st = arcs__check_country_known(ctx, "country", params[2]);
        if (st != ARCS_OK)
            return st;
    }
    st =
        arcs__db_rows(ctx,
                      "SELECT " CASE_COLUMNS " FROM arcs.cases c"
                      " WHERE ($1::text IS NULL OR c.status = $1)"
                      " AND ($2::text IS NULL OR $2 = ANY (c.offences))"
                      " AND ($3::text IS NULL"
                      "  OR EXISTS (SELECT 1 FROM arcs.case_jurisdictions j"
                      "   WHERE j.case_id = c.id AND j.country = $3)"
                      "  OR EXISTS (SELECT 1 FROM arcs.assets s WHERE s.case_id = c.id "
                      "AND s.country = $3))"
                      /* $4 is matched as a literal substring: LIKE's own
                         metacharacters in it are escaped */
                      " AND ($4::text IS NULL OR EXISTS (SELECT 1 FROM (SELECT"
                      "  '%' || pg_catalog.replace(pg_catalog.replace(pg_catalog.replace("
                      "  $4, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%' AS p) q"
                      "  WHERE c.ref ILIKE q.p OR c.title ILIKE q.p"
                      "  OR EXISTS (SELECT 1 FROM arcs.subjects s WHERE s.case_id = c.id"
                      "   AND s.name ILIKE q.p)"
                      "  OR EXISTS (SELECT 1 FROM arcs.assets s WHERE s.case_id = c.id"
                      "   AND (s.description ILIKE q.p OR s.identifiers ILIKE q.p))))"
                      " ORDER BY c.ref COLLATE \"C\"",
                      4, params, case_row, NULL, sizeof(arcs_case), &items, &a->list->n);
    a->list->items = items;
    return st;
}

arcs_status arcs_case_list_get(arcs_ctx *ctx, const arcs_case_filter *filter,
                               arcs_case_list **out)
{
    struct list_args a = {filter, NULL};
    arcs_status st = ARCS_OK;

    arcs__clear(ctx);
    *out = NULL;
    if (filter && filter->status)
        st = arcs__check_word(ctx, "status", filter->status, arcs__case_statuses);
    if (st == ARCS_OK && filter && filter->offence)
        st = arcs__check_word(ctx, "offence", filter->offence, arcs__case_offences);
    if (st == ARCS_OK && filter && filter->country)
        st = arcs__check_country_shape(ctx, "country", filter->country);
    if (st == ARCS_OK && filter && filter->q && *filter->q)
        st = arcs__check_text(ctx, "search text", filter->q, 200);
    if (st != ARCS_OK)
        return st;
    a.list = calloc(1, sizeof(*a.list));
    if (!a.list)
        return arcs__fail(ctx, ARCS_ERROR, "out of memory");
    st = arcs__db_tx(ctx, ARCS__TX_READONLY, list_body, &a);
    if (st != ARCS_OK) {
        arcs_case_list_free(a.list);
        return st;
    }
    *out = a.list;
    return ARCS_OK;
}

void arcs_case_detail_free(arcs_case_detail *d)
{
    if (!d)
        return;
    case_clear(&d->c);
    for (size_t i = 0; i < d->nsubjects; i++)
        free(d->subjects[i].name);
    free(d->subjects);
    for (size_t i = 0; i < d->ndecisions; i++) {
        free(d->decisions[i].ref);
        free(d->decisions[i].issuer);
        free(d->decisions[i].assets);
    }
    free(d->decisions);
    for (size_t i = 0; i < d->nhistory; i++) {
        free(d->history[i].decision_ref);
        free(d->history[i].actor);
    }
    free(d->history);
    free(d);
}

static arcs_status subject_row(arcs_ctx *ctx, const PGresult *res, int r, void *item,
                               void *arg)
{
    arcs_subject *s = item;

    (void)arg;
    s->id = parse_id(PQgetvalue(res, r, 0));
    s->name = arcs__strdup(PQgetvalue(res, r, 1));
    snprintf(s->kind, sizeof(s->kind), "%s", PQgetvalue(res, r, 2));
    snprintf(s->role, sizeof(s->role), "%s", PQgetvalue(res, r, 3));
    snprintf(s->country, sizeof(s->country), "%s", PQgetvalue(res, r, 4));
    s->has_id_number = !strcmp(PQgetvalue(res, r, 5), "t");
    if (!s->name)
        return arcs__fail(ctx, ARCS_ERROR, "out of memory");
    return ARCS_OK;
}

static arcs_status load_subjects(arcs_ctx *ctx, arcs_case_detail *d, const char *id)
{
    void *items = NULL;
    arcs_status st;

    st = arcs__db_rows(
        ctx,
        /* on_file, not id_number: analysts may not read the number */
        "SELECT s.id::text, s.name, s.kind, s.role, coalesce(s.country, ''),"
        " i.on_file FROM arcs.subjects s"
        " JOIN arcs.subject_identity i ON i.id = s.id"
        " WHERE s.case_id = $1::bigint ORDER BY s.id",
        1, &id, subject_row, NULL, sizeof(*d->subjects), &items, &d->nsubjects);
    d->subjects = items;
    return st;
}

static arcs_status decision_row(arcs_ctx *ctx, const PGresult *res, int r, void *item,
                                void *arg)
{
    arcs_decision *x = item;
    char **ids = NULL;
    size_t nids = 0;

    (void)arg;
    x->id = parse_id(PQgetvalue(res, r, 0));
    snprintf(x->kind, sizeof(x->kind), "%s", PQgetvalue(res, r, 1));
    x->ref = arcs__strdup(PQgetvalue(res, r, 2));
    x->issuer = arcs__strdup(PQgetvalue(res, r, 3));
    snprintf(x->issued, sizeof(x->issued), "%s", PQgetvalue(res, r, 4));
    snprintf(x->effective, sizeof(x->effective), "%s", PQgetvalue(res, r, 5));
    snprintf(x->final, sizeof(x->final), "%s", PQgetvalue(res, r, 6));
    if (split_list(PQgetvalue(res, r, 7), &ids, &nids) == 0 && nids) {
        x->assets = calloc(nids, sizeof(int64_t));
        for (size_t k = 0; x->assets && k < nids; k++)
            x->assets[x->nassets++] = parse_id(ids[k]);
    }
    for (size_t k = 0; k < nids; k++)
        free(ids[k]);
    free(ids);
    if (!x->ref || !x->issuer || (nids && !x->assets))
        return arcs__fail(ctx, ARCS_ERROR, "out of memory");
    return ARCS_OK;
}

static arcs_status load_decisions(arcs_ctx *ctx, arcs_case_detail *d, const char *id)
{
    void *items = NULL;
    arcs_status st;

    st = arcs__db_rows(
        ctx,
        "SELECT d.id::text, d.kind, d.ref, d.issuer, d.issued_on::text,"
        " coalesce(d.effective_on::text, ''), coalesce(d.final_on::text, ''),"
        " coalesce((SELECT pg_catalog.string_agg(x.asset_id::text, ',' ORDER BY "
        "x.asset_id)"
        "  FROM arcs.decision_assets x WHERE x.decision_id = d.id), '')"
        " FROM arcs.decisions d WHERE d.case_id = $1::bigint ORDER BY d.issued_on, d.id",
        1, &id, decision_row, NULL, sizeof(*d->decisions), &items, &d->ndecisions);
    d->decisions = items;
    return st;
}

static arcs_status history_row(arcs_ctx *ctx, const PGresult *res, int r, void *item,
                               void *arg)
{
    arcs_case_status_change *h = item;

    (void)arg;
    snprintf(h->from, sizeof(h->from), "%s", PQgetvalue(res, r, 0));
    snprintf(h->to, sizeof(h->to), "%s", PQgetvalue(res, r, 1));
    snprintf(h->on, sizeof(h->on), "%s", PQgetvalue(res, r, 2));
    h->decision_ref = arcs__strdup(PQgetvalue(res, r, 3));
    h->actor = arcs__strdup(PQgetvalue(res, r, 4));
    if (!h->decision_ref || !h->actor)
        return arcs__fail(ctx, ARCS_ERROR, "out of memory");
    return ARCS_OK;
}

static arcs_status load_history(arcs_ctx *ctx, arcs_case_detail *d, const char *id)
{
    void *items = NULL;
    arcs_status st;

    st = arcs__db_rows(
        ctx,
        "SELECT h.from_status, h.to_status, h.on_date::text, d.ref, h.actor"
        " FROM arcs.case_status_changes h"
        " JOIN arcs.decisions d ON d.id = h.decision_id"
        " WHERE h.case_id = $1::bigint ORDER BY h.id",
        1, &id, history_row, NULL, sizeof(*d->history), &items, &d->nhistory);
    d->history = items;
    return st;
}

struct get_args {
    const char *ref;
    arcs_case_detail *d;
};

static arcs_status get_body(arcs_ctx *ctx, void *arg)
{
    struct get_args *a = arg;
    PGresult *res = NULL;
    char idbuf[24];
    char *n = NULL;
    const char *id;
    arcs_status st;

    st = arcs__db_exec(ctx, &res,
                       "SELECT " CASE_COLUMNS " FROM arcs.cases c WHERE c.ref = $1", 1,
                       &a->ref);
    if (st != ARCS_OK)
        goto done;
    if (PQntuples(res) != 1) {
        st = arcs__fail(ctx, ARCS_ENOTFOUND,
                        "case %s not found; list cases with 'arcs case list'", a->ref);
        goto done;
    }
    st = case_row(ctx, res, 0, &a->d->c, NULL);
    if (st != ARCS_OK)
        goto done;
    id = arcs__id_text(idbuf, a->d->c.id);
    st = load_subjects(ctx, a->d, id);
    if (st == ARCS_OK)
        st = load_decisions(ctx, a->d, id);
    if (st == ARCS_OK)
        st = load_history(ctx, a->d, id);
    if (st == ARCS_OK)
        st = arcs__db_value(
            ctx, &n, NULL,
            "SELECT count(*)::text FROM arcs.assets WHERE case_id = $1::bigint", 1, &id);
    if (st == ARCS_OK && n)
        a->d->nassets = parse_id(n);
done:
    free(n);
    PQclear(res);
    return st;
}

arcs_status arcs_case_get(arcs_ctx *ctx, const char *ref, arcs_case_detail **out)
{
    struct get_args a = {ref, NULL};
    arcs_status st;

    arcs__clear(ctx);
    *out = NULL;
    st = arcs__check_case_ref(ctx, ref);
    if (st != ARCS_OK)
        return st;
    a.d = calloc(1, sizeof(*a.d));
    if (!a.d)
        return arcs__fail(ctx, ARCS_ERROR, "out of memory");
    st = arcs__db_tx(ctx, ARCS__TX_READONLY, get_body, &a);
    if (st != ARCS_OK) {
        arcs_case_detail_free(a.d);
        return st;
    }
    *out = a.d;
    return ARCS_OK;
}

struct status_args {
    const char *ref, *status, *dref, *date;
    int existed;
};

static arcs_status status_body(arcs_ctx *ctx, void *arg)
{
    struct status_args *a = arg;
    PGresult *res = NULL, *dres = NULL, *last = NULL;
    const char *params[6];
    const char *case_id, *cur, *opened, *dec_id;
    arcs_status st;

    a->existed = 0;
    params[0] = a->ref;
    st = arcs__db_exec(ctx, &res,
                       "SELECT id::text, status, opened_on::text FROM arcs.cases"
                       " WHERE ref = $1 FOR UPDATE",
                       1, params);
    if (st != ARCS_OK)
        goto done;
    if (PQntuples(res) != 1) {
        st = arcs__fail(ctx, ARCS_ENOTFOUND,
                        "case %s not found; list cases with 'arcs case list'", a->ref);
        goto done;
    }
    case_id = PQgetvalue(res, 0, 0);
    cur = PQgetvalue(res, 0, 1);
    opened = PQgetvalue(res, 0, 2);
    params[0] = a->dref;
    st = arcs__db_exec(ctx, &dres,
                       "SELECT id::text, coalesce(case_id::text, '') FROM arcs.decisions"
                       " WHERE ref = $1",
                       1, params);
    if (st != ARCS_OK)
        goto done;
    if (PQntuples(dres) != 1) {
        st = arcs__fail(
            ctx, ARCS_ENOTFOUND,
            "decision %s not found; record it first with 'arcs decision add %s'", a->dref,
            a->ref);
        goto done;
    }
    dec_id = PQgetvalue(dres, 0, 0);
    if (strcmp(PQgetvalue(dres, 0, 1), case_id)) {
        st = arcs__fail(ctx, ARCS_EREFUSED,
                        "decision %s does not belong to case %s; name a decision of this "
                        "case",
                        a->dref, a->ref);
        goto done;
    }
    if (strcmp(a->date, opened) < 0) {
        st = arcs__fail(ctx, ARCS_EREFUSED,
                        "date %s is before case %s was opened (%s); give a later date",
                        a->date, a->ref, opened);
        goto done;
    }
    if (!strcmp(cur, a->status)) {
        params[0] = case_id;
        st = arcs__db_exec(ctx, &last,
                           "SELECT to_status, decision_id::text, on_date::text"
                           " FROM arcs.case_status_changes WHERE case_id = $1::bigint"
                           " ORDER BY id DESC LIMIT 1",
                           1, params);
        if (st != ARCS_OK)
            goto done;
        if (PQntuples(last) == 1 && !strcmp(PQgetvalue(last, 0, 0), a->status) &&
            !strcmp(PQgetvalue(last, 0, 1), dec_id) &&
            !strcmp(PQgetvalue(last, 0, 2), a->date)) {
            a->existed = 1;
            goto done;
        }
        st = arcs__fail(ctx, ARCS_EREFUSED, "case %s is %s already; nothing to change",
                        a->ref, cur);
        goto done;
    }
    params[0] = case_id;
    params[1] = cur;
    params[2] = a->status;
    params[3] = dec_id;
    params[4] = a->date;
    st = arcs__db_exec(ctx, NULL,
                       "INSERT INTO arcs.case_status_changes"
                       " (case_id, from_status, to_status, decision_id, on_date)"
                       " VALUES ($1::bigint, $2, $3, $4::bigint, $5::date)",
                       5, params);
done:
    PQclear(last);
    PQclear(dres);
    PQclear(res);
    return st;
}

arcs_status arcs_case_set_status(arcs_ctx *ctx, const char *ref, const char *status,
                                 const char *decision_ref, const char *date, int *existed)
{
    struct status_args a = {ref, status, decision_ref, date, 0};
    arcs_status st;

    arcs__clear(ctx);
    if (existed)
        *existed = 0;
    st = arcs__check_case_ref(ctx, ref);
    if (st == ARCS_OK)
        st = arcs__check_word(ctx, "status", status, arcs__case_statuses);
    if (st == ARCS_OK)
        st = arcs__check_text(ctx, "decision ref", decision_ref, 200);
    if (st == ARCS_OK)
        st = arcs__check_date(ctx, "date", date, NULL);
    if (st != ARCS_OK)
        return st;
    st = arcs__db_tx(ctx, ARCS__TX_RECONNECT, status_body, &a);
    if (st == ARCS_OK && existed)
        *existed = a.existed;
    return st;
}

const char *const *arcs_case_vocab(const char *which)
{
    static const struct {
        const char *name;
        const char *const *list;
    } v[] = {{"route", arcs__case_routes},
             {"offence", arcs__case_offences},
             {"status", arcs__case_statuses},
             {"jurisdiction_role", arcs__jurisdiction_roles},
             {"subject_kind", arcs__subject_kinds},
             {"subject_role", arcs__subject_roles},
             {"decision_kind", arcs__decision_kinds}};

    for (size_t i = 0; which && i < sizeof(v) / sizeof(v[0]); i++)
        if (!strcmp(which, v[i].name))
            return v[i].list;
    return NULL;
}
