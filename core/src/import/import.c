/*
 * arcs import: stream a CSV or JSON file, validate each row in C, COPY the
 * valid rows into a temporary staging table, run the checks that need the
 * database as set-based SQL, then insert with ON CONFLICT DO NOTHING, all in
 * one transaction. No per-row round trips; memory does not grow with the
 * file (the readers hold one row, COPY data leaves in 64 KiB chunks).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arcs/import.h"
#include "arcs/money.h"
#include "../buf_int.h"
#include "../db_int.h"
#include "../text_int.h"
#include "import_int.h"

#define COPY_CHUNK ((size_t)64 * 1024)
#define PROGRESS_EVERY 4096
#define MAX_ITEMS 32

enum { C_REF, C_TITLE, C_ROUTE, C_OFFENCES, C_OPENED, C_JURIS, C_N };
enum { A_CASE, A_EXT, A_KIND, A_DESC, A_COUNTRY, A_VALUE, A_CURRENCY, A_VALUED, A_N };

static const char *const case_cols[C_N] = {"ref",      "title",  "route",
                                           "offences", "opened", "jurisdictions"};
static const char *const asset_cols[A_N] = {"case_ref",    "external_ref", "kind",
                                            "description", "country",      "value",
                                            "currency",    "valued_on"};
static const char *const sections[] = {"cases", "assets", NULL};

static const char *const routes[] = {"criminal",       "non_conviction", "civil",
                                     "administrative", "voluntary",      NULL};
static const char *const offences[] = {"bribery",
                                       "embezzlement",
                                       "trading_in_influence",
                                       "abuse_of_functions",
                                       "illicit_enrichment",
                                       "money_laundering",
                                       "concealment",
                                       "other",
                                       NULL};
static const char *const roles[] = {"victim", "holding", "transit", "bribe_payer", NULL};
static const char *const kinds[] = {
    "real_estate", "bank_account",    "securities", "company_shares", "vehicle", "cash",
    "crypto",      "precious_metals", "art",        "other",          NULL};

typedef struct field {
    const char *p;
    size_t n;
    int present; /* given and not empty */
} field;

typedef struct slice {
    const char *p;
    size_t n;
} slice;

typedef struct imp {
    arcs_ctx *ctx;
    const char *path;
    const char *name; /* file name for messages */
    const arcs_import_opts *opts;
    arcs_import_result *res;
    int json;
    int fd;
    uint64_t size, bytes;
    signed char cur_exp[26 * 26 * 26]; /* exponent + 1; 0: unknown */
    unsigned char country_ok[26 * 26];
    char kind;       /* CSV: 'c' or 'a' */
    int colmap[A_N]; /* CSV: column of each field */
    size_t ncols;    /* CSV: header width */
    arcs__buf cb;    /* COPY data waiting to be sent */
    int copying;
    uint64_t repeats; /* keys staged more than once (same content once checked) */
} imp;

/* ---- small helpers ---- */

static long fd_read(void *arg, char *buf, size_t cap)
{
    imp *m = arg;
    ssize_t n;

    do
        n = read(m->fd, buf, cap);
    while (n < 0 && errno == EINTR);
    if (n > 0)
        m->bytes += (uint64_t)n;
    return (long)n;
}

static int in_list(const char *const *words, const char *p, size_t n)
{
    for (size_t i = 0; words[i]; i++)
        if (strlen(words[i]) == n && !memcmp(words[i], p, n))
            return 1;
    return 0;
}

/* Quote at most 40 bytes of user text for a message, on one line. */
static void shown(char *dst, size_t cap, const char *p, size_t n)
{
    arcs__text_clip(dst, cap, p, n, 40); /* whole characters, "…" when cut */
}

static void where(imp *m, char *buf, size_t cap, char k, uint64_t pos,
                  const char *fieldname)
{
    if (m->json)
        snprintf(buf, cap, "%s[%llu]%s%s", k == 'c' ? "cases" : "assets",
                 (unsigned long long)pos, fieldname ? "." : "",
                 fieldname ? fieldname : "");
    else if (fieldname)
        snprintf(buf, cap, "line %llu, field %s", (unsigned long long)pos, fieldname);
    else
        snprintf(buf, cap, "line %llu", (unsigned long long)pos);
}

static void add_problem_text(imp *m, const char *text)
{
    arcs_import_result *r = m->res;

    r->problems_total++;
    if (r->nproblems >= ARCS_IMPORT_MAX_PROBLEMS)
        return;
    if (!r->problems) {
        r->problems = calloc(ARCS_IMPORT_MAX_PROBLEMS, sizeof(char *));
        if (!r->problems)
            return;
    }
    r->problems[r->nproblems] = arcs__strdup(text);
    if (r->problems[r->nproblems])
        r->nproblems++;
}

static void problem(imp *m, char k, uint64_t pos, const char *fieldname, const char *fmt,
                    ...) __attribute__((format(printf, 5, 6)));

static void problem(imp *m, char k, uint64_t pos, const char *fieldname, const char *fmt,
                    ...)
{
    char loc[128], msg[600], text[760];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    where(m, loc, sizeof(loc), k, pos, fieldname);
    snprintf(text, sizeof(text), "%s: %s", loc, msg);
    add_problem_text(m, text);
}

/* ---- COPY text format ---- */

static arcs_status copy_flush(imp *m)
{
    if (m->cb.n && m->copying && PQputCopyData(m->ctx->conn, m->cb.b, (int)m->cb.n) != 1)
        return arcs__fail(m->ctx, ARCS_ERROR, "database: %s",
                          PQerrorMessage(m->ctx->conn));
    m->cb.n = 0;
    return ARCS_OK;
}

static int copy_reserve(imp *m, size_t more)
{
    return arcs__buf_reserve(&m->cb, more);
}

static void copy_bytes(imp *m, const char *p, size_t n)
{
    memcpy(m->cb.b + m->cb.n, p, n);
    m->cb.n += n;
}

/* One column (escaped per COPY text rules), then the tab or newline after it. */
static void copy_text(imp *m, const char *p, size_t n, char after)
{
    char *o = m->cb.b + m->cb.n;

    for (size_t i = 0; i < n; i++) {
        char ch = p[i];
        if (ch == '\\' || ch == '\t' || ch == '\n' || ch == '\r') {
            *o++ = '\\';
            ch = ch == '\t' ? 't' : ch == '\n' ? 'n' : ch == '\r' ? 'r' : '\\';
        }
        *o++ = ch;
    }
    *o++ = after;
    m->cb.n = (size_t)(o - m->cb.b);
}

static void copy_null(imp *m, char after)
{
    copy_bytes(m, "\\N", 2);
    copy_bytes(m, &after, 1);
}

static void copy_field(imp *m, const field *f, char after)
{
    if (f && f->present)
        copy_text(m, f->p, f->n, after);
    else
        copy_null(m, after);
}

/* A text[] literal of validated words: no quoting needed. */
static void copy_list(imp *m, const slice *items, size_t n, char after)
{
    copy_bytes(m, "{", 1);
    for (size_t i = 0; i < n; i++) {
        if (i)
            copy_bytes(m, ",", 1);
        copy_bytes(m, items[i].p, items[i].n);
    }
    copy_bytes(m, "}", 1);
    copy_bytes(m, &after, 1);
}

/* ---- validation ---- */

static int slice_cmp(const void *a, const void *b)
{
    const slice *x = a, *y = b;
    size_t n = x->n < y->n ? x->n : y->n;
    int c = memcmp(x->p, y->p, n);

    return c ? c : (x->n > y->n) - (x->n < y->n);
}

/* Split a ';' list, sorted and without repeats; -1 on an empty item or too many. */
static int split_list(const field *f, slice *items, size_t *n)
{
    size_t k = 0, start = 0;

    *n = 0;
    if (!f->present)
        return 0;
    for (size_t i = 0; i <= f->n; i++) {
        if (i < f->n && f->p[i] != ';')
            continue;
        if (i == start || k >= MAX_ITEMS)
            return -1;
        items[k].p = f->p + start;
        items[k].n = i - start;
        k++;
        start = i + 1;
    }
    qsort(items, k, sizeof(*items), slice_cmp);
    for (size_t i = 0; i < k; i++)
        if (!*n || slice_cmp(&items[*n - 1], &items[i]))
            items[(*n)++] = items[i];
    return 0;
}

static int ref_shape(const char *p, size_t n)
{
    if (n < 1 || n > 64)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        int alnum =
            (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '/' && c != '-')))
            return 0;
    }
    return 1;
}

static int text_len_ok(imp *m, char k, uint64_t pos, const char *name, const field *f,
                       size_t max)
{
    arcs_err e;

    if (!f->present) {
        problem(m, k, pos, name, "%s is required", name);
        return 0;
    }
    /* the same check as every verb's (text_int.h): characters, not bytes;
       no control character; valid UTF-8 */
    if (arcs__text_valid(name, f->p, f->n, max, &e) != ARCS_OK) {
        problem(m, k, pos, name, "%s", e.msg);
        return 0;
    }
    return 1;
}

static int code_idx3(const char *p, size_t n)
{
    if (n != 3)
        return -1;
    for (int i = 0; i < 3; i++)
        if (p[i] < 'A' || p[i] > 'Z')
            return -1;
    return (p[0] - 'A') * 676 + (p[1] - 'A') * 26 + (p[2] - 'A');
}

static int code_idx2(const char *p, size_t n)
{
    if (n != 2)
        return -1;
    for (int i = 0; i < 2; i++)
        if (p[i] < 'A' || p[i] > 'Z')
            return -1;
    return (p[0] - 'A') * 26 + (p[1] - 'A');
}

static void date_check(imp *m, char k, uint64_t pos, const char *name, const field *f,
                       int *ok)
{
    arcs_err e;
    int32_t days;

    if (f->present && arcs_date_parse_n(&days, f->p, f->n, &e) != ARCS_OK) {
        problem(m, k, pos, name, "%s", e.msg);
        *ok = 0;
    }
}

static arcs_status stage_case(imp *m, uint64_t pos, field *f)
{
    slice off[MAX_ITEMS], jur[MAX_ITEMS];
    size_t noff = 0, njur = 0, need;
    char q[64];
    int ok = 1;

    if (!f[C_REF].present) {
        problem(m, 'c', pos, "ref", "ref is required");
        ok = 0;
    } else if (!ref_shape(f[C_REF].p, f[C_REF].n)) {
        shown(q, sizeof(q), f[C_REF].p, f[C_REF].n);
        problem(m, 'c', pos, "ref",
                "case ref '%s' is not 1-64 letters, digits and . _ / - (starting with a "
                "letter or digit)",
                q);
        ok = 0;
    }
    ok &= text_len_ok(m, 'c', pos, "title", &f[C_TITLE], 500);
    if (f[C_ROUTE].present && !in_list(routes, f[C_ROUTE].p, f[C_ROUTE].n)) {
        shown(q, sizeof(q), f[C_ROUTE].p, f[C_ROUTE].n);
        problem(
            m, 'c', pos, "route",
            "route '%s' is not one of criminal, non_conviction, civil, administrative, "
            "voluntary",
            q);
        ok = 0;
    }
    if (split_list(&f[C_OFFENCES], off, &noff) != 0) {
        problem(m, 'c', pos, "offences",
                "offences has an empty item or more than %d; separate them with one ';'",
                MAX_ITEMS);
        ok = 0;
    }
    for (size_t i = 0; i < noff; i++)
        if (!in_list(offences, off[i].p, off[i].n)) {
            shown(q, sizeof(q), off[i].p, off[i].n);
            problem(m, 'c', pos, "offences",
                    "offence '%s' is not one of bribery, embezzlement, "
                    "trading_in_influence, abuse_of_functions, illicit_enrichment, "
                    "money_laundering, concealment, other",
                    q);
            ok = 0;
            break;
        }
    date_check(m, 'c', pos, "opened", &f[C_OPENED], &ok);
    if (split_list(&f[C_JURIS], jur, &njur) != 0) {
        problem(m, 'c', pos, "jurisdictions",
                "jurisdictions has an empty item or more than %d; write ROLE:CC;ROLE:CC",
                MAX_ITEMS);
        ok = 0;
    }
    for (size_t i = 0; i < njur; i++) {
        const char *colon = memchr(jur[i].p, ':', jur[i].n);
        size_t rl = colon ? (size_t)(colon - jur[i].p) : 0;
        int ci = colon ? code_idx2(colon + 1, jur[i].n - rl - 1) : -1;

        shown(q, sizeof(q), jur[i].p, jur[i].n);
        if (!colon || !in_list(roles, jur[i].p, rl)) {
            problem(m, 'c', pos, "jurisdictions",
                    "jurisdiction '%s' is not ROLE:CC with ROLE one of victim, holding, "
                    "transit, bribe_payer",
                    q);
            ok = 0;
            break;
        }
        if (ci < 0 || !m->country_ok[ci]) {
            problem(m, 'c', pos, "jurisdictions",
                    "jurisdiction '%s' names no known ISO 3166-1 country such as KZ", q);
            ok = 0;
            break;
        }
    }
    if (!ok || m->res->problems_total)
        return ARCS_OK; /* the file is refused: staging more would be wasted */
    need = 64 + 2 * (f[C_REF].n + f[C_TITLE].n + f[C_OFFENCES].n + f[C_JURIS].n) + 64;
    if (copy_reserve(m, need) != 0)
        return arcs__fail(m->ctx, ARCS_ERROR, "out of memory");
    {
        char num[32];
        int len = snprintf(num, sizeof(num), "c\t%llu\t", (unsigned long long)pos);
        copy_bytes(m, num, (size_t)len);
    }
    copy_field(m, &f[C_REF], '\t');
    copy_null(m, '\t'); /* case_ref */
    copy_field(m, &f[C_TITLE], '\t');
    if (f[C_ROUTE].present)
        copy_field(m, &f[C_ROUTE], '\t');
    else
        copy_bytes(m, "criminal\t", 9);
    copy_list(m, off, noff, '\t');
    copy_field(m, &f[C_OPENED], '\t');
    copy_list(m, jur, njur, '\t');
    copy_bytes(m, "\\N\t\\N\t\\N\t\\N\t\\N\t\\N\n", 18);
    return m->cb.n >= COPY_CHUNK ? copy_flush(m) : ARCS_OK;
}

static arcs_status stage_asset(imp *m, uint64_t pos, field *f)
{
    char q[64], amount[32];
    int ok = 1, exp = -1, ci;
    int64_t minor = 0;
    size_t need;
    arcs_err e;

    if (!f[A_CASE].present) {
        problem(m, 'a', pos, "case_ref", "case_ref is required");
        ok = 0;
    }
    ok &= text_len_ok(m, 'a', pos, "external_ref", &f[A_EXT], 200);
    if (!f[A_KIND].present || !in_list(kinds, f[A_KIND].p, f[A_KIND].n)) {
        shown(q, sizeof(q), f[A_KIND].p, f[A_KIND].n);
        problem(m, 'a', pos, "kind",
                "asset kind '%s' is not one of real_estate, bank_account, securities, "
                "company_shares, vehicle, cash, crypto, precious_metals, art, other",
                q);
        ok = 0;
    }
    ok &= text_len_ok(m, 'a', pos, "description", &f[A_DESC], 2000);
    ci = code_idx2(f[A_COUNTRY].p, f[A_COUNTRY].n);
    if (!f[A_COUNTRY].present) {
        problem(m, 'a', pos, "country",
                "country is required (ISO 3166-1 code such as KZ)");
        ok = 0;
    } else if (ci < 0 || !m->country_ok[ci]) {
        shown(q, sizeof(q), f[A_COUNTRY].p, f[A_COUNTRY].n);
        problem(m, 'a', pos, "country",
                "country '%s' is not a known ISO 3166-1 alpha-2 code such as KZ", q);
        ok = 0;
    }
    if (f[A_VALUE].present || f[A_CURRENCY].present || f[A_VALUED].present) {
        for (int i = A_VALUE; i <= A_VALUED; i++)
            if (!f[i].present) {
                problem(m, 'a', pos, asset_cols[i],
                        "%s is missing; value, currency and valued_on go together (or "
                        "leave all three empty)",
                        asset_cols[i]);
                ok = 0;
            }
        if (f[A_CURRENCY].present) {
            int k = code_idx3(f[A_CURRENCY].p, f[A_CURRENCY].n);
            shown(q, sizeof(q), f[A_CURRENCY].p, f[A_CURRENCY].n);
            if (k < 0 || !m->cur_exp[k]) {
                problem(m, 'a', pos, "currency",
                        "currency '%s' is not a known ISO 4217 code such as KZT", q);
                ok = 0;
            } else {
                exp = m->cur_exp[k] - 1;
            }
        }
        if (f[A_VALUE].present && exp >= 0 &&
            arcs_money_parse_n(&minor, f[A_VALUE].p, f[A_VALUE].n, exp, 1, &e) !=
                ARCS_OK) {
            problem(m, 'a', pos, "value", "%s", e.msg);
            ok = 0;
        }
        date_check(m, 'a', pos, "valued_on", &f[A_VALUED], &ok);
    }
    if (!ok || m->res->problems_total)
        return ARCS_OK;
    need = 96 + 2 * (f[A_CASE].n + f[A_EXT].n + f[A_DESC].n) + 64;
    if (copy_reserve(m, need) != 0)
        return arcs__fail(m->ctx, ARCS_ERROR, "out of memory");
    {
        char num[32];
        int len = snprintf(num, sizeof(num), "a\t%llu\t", (unsigned long long)pos);
        copy_bytes(m, num, (size_t)len);
    }
    copy_field(m, &f[A_EXT], '\t');
    copy_field(m, &f[A_CASE], '\t');
    copy_bytes(m, "\\N\t\\N\t\\N\t\\N\t\\N\t", 15); /* title .. juris */
    copy_field(m, &f[A_KIND], '\t');
    copy_field(m, &f[A_DESC], '\t');
    copy_field(m, &f[A_COUNTRY], '\t');
    if (f[A_VALUE].present) {
        int len = snprintf(amount, sizeof(amount), "%lld\t", (long long)minor);
        copy_bytes(m, amount, (size_t)len);
    } else {
        copy_null(m, '\t');
    }
    copy_field(m, &f[A_CURRENCY], '\t');
    copy_field(m, &f[A_VALUED], '\n');
    return m->cb.n >= COPY_CHUNK ? copy_flush(m) : ARCS_OK;
}

/* ---- readers to rows ---- */

static void progress(imp *m, int force)
{
    if (m->opts && m->opts->progress && (force || m->res->rows % PROGRESS_EVERY == 0))
        m->opts->progress(m->opts->progress_arg, m->res->rows, m->bytes, m->size);
}

/* Map the header to the fields of cases or assets: any order, each name once. */
static arcs_status read_header(imp *m, const arcs__csv_record *rec)
{
    const char *const *cols;
    size_t ncols;
    int seen[A_N] = {0};
    char q[64];

    if (rec->nfields == 0)
        return arcs__fail(m->ctx, ARCS_EINVAL,
                          "%s has no header row; the first line names the columns "
                          "(see docs/import-format.md)",
                          m->name);
    if (rec->bad_field >= 0)
        return arcs__fail(m->ctx, ARCS_EINVAL,
                          "%s is not a UTF-8 CSV file: its header is not text", m->name);
    m->kind = 0;
    for (size_t i = 0; i < rec->nfields && !m->kind; i++) {
        if (!strcmp(rec->fields[i], "ref") || !strcmp(rec->fields[i], "title"))
            m->kind = 'c';
        else if (!strcmp(rec->fields[i], "external_ref") ||
                 !strcmp(rec->fields[i], "case_ref"))
            m->kind = 'a';
    }
    cols = m->kind == 'c' ? case_cols : asset_cols;
    ncols = m->kind == 'c' ? C_N : A_N;
    for (size_t i = 0; i < rec->nfields; i++) {
        size_t k;
        for (k = 0; m->kind && k < ncols; k++)
            if (!strcmp(rec->fields[i], cols[k]))
                break;
        shown(q, sizeof(q), rec->fields[i], rec->lens[i]);
        if (!m->kind || k == ncols)
            return arcs__fail(
                m->ctx, ARCS_EINVAL,
                "%s: unknown header column '%s'; a cases file has "
                "ref,title,route,offences,opened,jurisdictions and an assets "
                "file case_ref,external_ref,kind,description,country,value,"
                "currency,valued_on",
                m->name, q);
        if (seen[k]++)
            return arcs__fail(m->ctx, ARCS_EINVAL, "%s: header column '%s' appears twice",
                              m->name, q);
        m->colmap[k] = (int)i;
    }
    for (size_t k = 0; k < ncols; k++)
        if (!seen[k])
            return arcs__fail(
                m->ctx, ARCS_EINVAL,
                "%s: the header has no column '%s'; a %s file needs all of "
                "%s",
                m->name, cols[k], m->kind == 'c' ? "cases" : "assets",
                m->kind == 'c' ? "ref,title,route,offences,opened,jurisdictions"
                               : "case_ref,external_ref,kind,description,country,value,"
                                 "currency,valued_on");
    m->ncols = rec->nfields;
    return ARCS_OK;
}

static arcs_status csv_rows(imp *m, arcs__csv *c)
{
    arcs__csv_record rec;
    arcs_status st = ARCS_OK;
    field f[A_N];
    arcs_err e;

    for (;;) {
        size_t nf = m->kind == 'c' ? C_N : A_N;

        st = arcs__csv_next(c, &rec, &e);
        if (st == ARCS_EINVAL) {
            add_problem_text(m, e.msg);
            return ARCS_OK;
        }
        if (st != ARCS_OK)
            return arcs__fail(m->ctx, st, "%s: %s", m->name, e.msg);
        if (rec.nfields == 0)
            return ARCS_OK;
        m->res->rows++;
        progress(m, 0);
        if (rec.nfields != m->ncols) {
            problem(m, m->kind, rec.line, NULL, "%zu fields, the header has %zu",
                    rec.nfields, m->ncols);
            continue;
        }
        if (rec.bad_field >= 0) {
            size_t k;
            for (k = 0; k < nf && m->colmap[k] != rec.bad_field; k++)
                ;
            problem(m, m->kind, rec.line,
                    (m->kind == 'c' ? case_cols : asset_cols)[k < nf ? k : 0],
                    "%s at byte %zu; save the file as UTF-8",
                    rec.bad_nul ? "a NUL byte" : "text that is not valid UTF-8",
                    rec.bad_offset);
            continue;
        }
        for (size_t k = 0; k < nf; k++) {
            f[k].p = rec.fields[m->colmap[k]];
            f[k].n = rec.lens[m->colmap[k]];
            f[k].present = f[k].n > 0;
        }
        st = m->kind == 'c' ? stage_case(m, rec.line, f) : stage_asset(m, rec.line, f);
        if (st != ARCS_OK)
            return st;
    }
}

static arcs_status json_rows(imp *m, arcs__jreader *j)
{
    arcs__jrow row;
    arcs_status st;
    field f[A_N];
    arcs_err e;

    for (;;) {
        char k;
        const char *const *cols;
        size_t ncols;
        int ok = 1;

        st = arcs__jreader_next(j, &row, &e);
        if (st == ARCS_EINVAL) {
            add_problem_text(m, e.msg);
            return ARCS_OK;
        }
        if (st != ARCS_OK)
            return arcs__fail(m->ctx, st, "%s: %s", m->name, e.msg);
        if (!row.section)
            return ARCS_OK;
        m->res->rows++;
        progress(m, 0);
        k = !strcmp(row.section, "cases") ? 'c' : 'a';
        cols = k == 'c' ? case_cols : asset_cols;
        ncols = k == 'c' ? C_N : A_N;
        memset(f, 0, sizeof(f));
        for (size_t i = 0; i < row.nfields; i++) {
            size_t c;
            char q[64];
            for (c = 0; c < ncols && strcmp(cols[c], row.keys[i]); c++)
                ;
            if (c == ncols) {
                shown(q, sizeof(q), row.keys[i], strlen(row.keys[i]));
                problem(m, k, row.index, NULL, "unknown field '%s'; a %s row has %s", q,
                        k == 'c' ? "case" : "asset",
                        k == 'c' ? "ref, title, route, offences, opened, jurisdictions"
                                 : "case_ref, external_ref, kind, description, country, "
                                   "value, currency, valued_on");
                ok = 0;
                continue;
            }
            if (row.is_array[i] && !(k == 'c' && (c == C_OFFENCES || c == C_JURIS))) {
                problem(m, k, row.index, cols[c], "is a list; write a string");
                ok = 0;
                continue;
            }
            f[c].p = row.values[i] ? row.values[i] : "";
            f[c].n = row.lens[i];
            f[c].present = row.values[i] && row.lens[i] > 0;
        }
        for (size_t c = 0; c < ncols; c++)
            if (!f[c].p)
                f[c].p = "";
        if (!ok)
            continue;
        st = k == 'c' ? stage_case(m, row.index, f) : stage_asset(m, row.index, f);
        if (st != ARCS_OK)
            return st;
    }
}

/* ---- the database part ---- */

static arcs_status load_codes(imp *m)
{
    PGresult *res = NULL;
    arcs_status st;

    memset(m->cur_exp, 0, sizeof(m->cur_exp));
    memset(m->country_ok, 0, sizeof(m->country_ok));
    st = arcs__db_exec(m->ctx, &res,
                       "SELECT code::text, exponent::text FROM arcs.currencies", 0, NULL);
    if (st != ARCS_OK)
        goto done;
    for (int i = 0; i < PQntuples(res); i++) {
        int k = code_idx3(PQgetvalue(res, i, 0), strlen(PQgetvalue(res, i, 0)));
        long e = strtol(PQgetvalue(res, i, 1), NULL, 10);
        if (k >= 0 && e >= 0 && e <= 4)
            m->cur_exp[k] = (signed char)(e + 1);
    }
    PQclear(res);
    res = NULL;
    st = arcs__db_exec(m->ctx, &res, "SELECT code::text FROM arcs.countries", 0, NULL);
    if (st != ARCS_OK)
        goto done;
    for (int i = 0; i < PQntuples(res); i++) {
        int k = code_idx2(PQgetvalue(res, i, 0), strlen(PQgetvalue(res, i, 0)));
        if (k >= 0)
            m->country_ok[k] = 1;
    }
done:
    PQclear(res);
    return st;
}

static const char *const create_sql =
    "CREATE TABLE pg_temp.arcs_import_stage (k \"char\" NOT NULL, pos bigint NOT NULL,"
    " ref text NOT NULL, case_ref text, title text, route text, offences text[],"
    " opened date, juris text[], akind text, description text, country text,"
    " amount bigint, currency text, valued_on date) ON COMMIT DROP";

static const char *const copy_sql =
    "COPY pg_temp.arcs_import_stage (k, pos, ref, case_ref, title, route, offences,"
    " opened, juris, akind, description, country, amount, currency, valued_on)"
    " FROM STDIN";

/* COPY has no PQexecParams form: this fixed statement is the one direct
   PQexec, and its data goes through PQputCopyData. */
static arcs_status copy_begin(imp *m)
{
    PGresult *res = PQexec(m->ctx->conn, copy_sql);
    arcs_status st = ARCS_OK;

    if (!res || PQresultStatus(res) != PGRES_COPY_IN)
        st = arcs__db_fail_result(m->ctx, res);
    else
        m->copying = 1;
    PQclear(res);
    return st;
}

static arcs_status copy_end(imp *m, int abort)
{
    arcs_status st = ARCS_OK;
    PGresult *res;

    if (!m->copying)
        return ARCS_OK;
    if (!abort)
        st = copy_flush(m);
    m->copying = 0;
    if (PQputCopyEnd(m->ctx->conn, (abort || st != ARCS_OK) ? "import refused" : NULL) !=
        1)
        return arcs__fail(m->ctx, ARCS_ERROR, "database: %s",
                          PQerrorMessage(m->ctx->conn));
    while ((res = PQgetResult(m->ctx->conn)) != NULL) {
        if (!abort && st == ARCS_OK && PQresultStatus(res) != PGRES_COMMAND_OK)
            st = arcs__db_fail_result(m->ctx, res);
        PQclear(res);
    }
    return st;
}

static uint64_t to_u64(const char *s)
{
    return (uint64_t)strtoull(s, NULL, 10);
}

/* Duplicates within the file and asset rows whose case exists nowhere. */
static arcs_status sql_checks(imp *m)
{
    /* One hashed pass finds the keys given more than once (usually none);
       only their rows are compared field by field. */
    static const char *const repeats_sql =
        "SELECT count(*)::text FROM (SELECT 1 FROM pg_temp.arcs_import_stage"
        " GROUP BY k, ref HAVING count(*) > 1) r";
    static const char *const dups_sql =
        "WITH r AS (SELECT k, ref FROM pg_temp.arcs_import_stage"
        "           GROUP BY k, ref HAVING count(*) > 1)"
        " SELECT s.k::text, s.ref, min(s.pos)::text, max(s.pos)::text,"
        " (count(*) OVER ())::text"
        " FROM pg_temp.arcs_import_stage s JOIN r ON r.k = s.k AND r.ref = s.ref"
        " GROUP BY s.k, s.ref"
        " HAVING count(DISTINCT ROW(s.case_ref, s.title, s.route, s.offences, s.opened,"
        " s.juris, s.akind, s.description, s.country, s.amount, s.currency,"
        " s.valued_on)::text) > 1"
        " ORDER BY min(s.pos) LIMIT 100";
    static const char *const orphans_sql =
        "SELECT s.pos::text, s.case_ref, (count(*) OVER ())::text"
        " FROM pg_temp.arcs_import_stage s WHERE s.k = 'a'"
        " AND NOT EXISTS (SELECT 1 FROM pg_temp.arcs_import_stage c"
        "                 WHERE c.k = 'c' AND c.ref = s.case_ref)"
        " AND NOT EXISTS (SELECT 1 FROM arcs.cases c WHERE c.ref = s.case_ref)"
        " ORDER BY s.pos LIMIT 100";
    PGresult *res = NULL;
    arcs_status st;
    char q[64], other[96];
    int n;

    st = arcs__db_exec(m->ctx, &res, repeats_sql, 0, NULL);
    if (st != ARCS_OK)
        goto done;
    m->repeats = to_u64(PQgetvalue(res, 0, 0));
    PQclear(res);
    res = NULL;
    if (m->repeats) {
        st = arcs__db_exec(m->ctx, &res, dups_sql, 0, NULL);
        if (st != ARCS_OK)
            goto done;
        n = PQntuples(res);
        for (int i = 0; i < n; i++) {
            char k = PQgetvalue(res, i, 0)[0];
            const char *ref = PQgetvalue(res, i, 1);
            shown(q, sizeof(q), ref, strlen(ref));
            where(m, other, sizeof(other), k, to_u64(PQgetvalue(res, i, 3)), NULL);
            problem(m, k, to_u64(PQgetvalue(res, i, 2)),
                    k == 'c' ? "ref" : "external_ref",
                    "%s '%s' appears again at %s with different content; keep one",
                    k == 'c' ? "case" : "asset", q, other);
        }
        if (n > 0)
            m->res->problems_total += to_u64(PQgetvalue(res, 0, 4)) - (uint64_t)n;
        PQclear(res);
        res = NULL;
    }
    st = arcs__db_exec(m->ctx, &res, orphans_sql, 0, NULL);
    if (st != ARCS_OK)
        goto done;
    n = PQntuples(res);
    for (int i = 0; i < n; i++) {
        const char *ref = PQgetvalue(res, i, 1);
        shown(q, sizeof(q), ref, strlen(ref));
        problem(m, 'a', to_u64(PQgetvalue(res, i, 0)), "case_ref",
                "no case '%s' in the database or in this file; import its case first", q);
    }
    if (n > 0)
        m->res->problems_total += to_u64(PQgetvalue(res, 0, 2)) - (uint64_t)n;
done:
    PQclear(res);
    return st;
}

/* Once the checks pass, a key staged twice has the same content twice: keep
   its first row, so the statements below read each key once without
   sorting the whole file for DISTINCT ON. Linear: each repeated key is
   joined to its first position, not to every other copy. */
static arcs_status dedupe(imp *m)
{
    static const char *const sql =
        "DELETE FROM pg_temp.arcs_import_stage s"
        " USING (SELECT k, ref, min(pos) AS pos FROM pg_temp.arcs_import_stage"
        "        GROUP BY k, ref HAVING count(*) > 1) d"
        " WHERE s.k = d.k AND s.ref = d.ref AND s.pos > d.pos";

    if (!m->repeats)
        return ARCS_OK;
    return arcs__db_exec(m->ctx, NULL, sql, 0, NULL);
}

/* Keys already recorded with different content: refused, naming the first. */
static arcs_status conflicts(imp *m)
{
    static const char *const cases_sql =
        "WITH s AS (SELECT * FROM pg_temp.arcs_import_stage WHERE k = 'c')"
        " SELECT s.pos::text, s.ref, (count(*) OVER ())::text"
        " FROM s JOIN arcs.cases c ON c.ref = s.ref"
        " WHERE c.title <> s.title OR c.route <> s.route"
        "    OR NOT (c.offences @> s.offences AND c.offences <@ s.offences)"
        "    OR (s.opened IS NOT NULL AND c.opened_on <> s.opened)"
        "    OR s.juris IS DISTINCT FROM ARRAY(SELECT j.role || ':' || j.country::text"
        "          FROM arcs.case_jurisdictions j WHERE j.case_id = c.id"
        "          ORDER BY (j.role || ':' || j.country::text) COLLATE \"C\")"
        " ORDER BY s.pos LIMIT 1";
    static const char *const assets_sql =
        "WITH s AS (SELECT * FROM pg_temp.arcs_import_stage WHERE k = 'a')"
        " SELECT s.pos::text, s.ref, (count(*) OVER ())::text"
        " FROM s JOIN arcs.assets a ON a.external_ref = s.ref"
        " JOIN arcs.cases c ON c.id = a.case_id"
        " WHERE c.ref <> s.case_ref OR a.kind <> s.akind OR a.description <> "
        "s.description"
        "    OR a.country::text <> s.country"
        "    OR (s.amount IS NOT NULL AND NOT EXISTS (SELECT 1 FROM arcs.valuations v"
        "        WHERE v.asset_id = a.id AND v.amount = s.amount"
        "          AND v.currency::text = s.currency AND v.valued_on = s.valued_on))"
        " ORDER BY s.pos LIMIT 1";
    PGresult *res = NULL;
    arcs_status st = ARCS_OK;
    char q[64], loc[96];

    for (int pass = 0; pass < 2 && st == ARCS_OK; pass++) {
        char k = pass == 0 ? 'c' : 'a';
        st = arcs__db_exec(m->ctx, &res, pass == 0 ? cases_sql : assets_sql, 0, NULL);
        if (st != ARCS_OK)
            break;
        if (PQntuples(res) > 0) {
            uint64_t more = to_u64(PQgetvalue(res, 0, 2)) - 1;
            const char *ref = PQgetvalue(res, 0, 1);
            shown(q, sizeof(q), ref, strlen(ref));
            where(m, loc, sizeof(loc), k, to_u64(PQgetvalue(res, 0, 0)), NULL);
            st = arcs__fail(
                m->ctx, ARCS_ECONFLICT,
                "%s: %s '%s' (%s) is already recorded with different content%s; "
                "give it another %s or make the row match; nothing imported",
                m->name, k == 'c' ? "case" : "asset", q, loc, more ? " (and others)" : "",
                k == 'c' ? "ref" : "external_ref");
        }
        PQclear(res);
        res = NULL;
    }
    return st;
}

static int64_t to_i64(const char *s)
{
    return (int64_t)strtoll(s, NULL, 10);
}

static arcs_status write_rows(imp *m)
{
    static const char *const cases_sql =
        "WITH s AS (SELECT * FROM pg_temp.arcs_import_stage WHERE k = 'c'),"
        " ins AS (INSERT INTO arcs.cases (ref, title, route, offences, opened_on)"
        "         SELECT ref, title, route, offences, coalesce(opened, current_date)"
        "         FROM s ORDER BY pos ON CONFLICT (ref) DO NOTHING RETURNING id, ref),"
        " j AS (INSERT INTO arcs.case_jurisdictions (case_id, role, country)"
        "       SELECT ins.id, split_part(x, ':', 1), split_part(x, ':', 2)"
        "       FROM ins JOIN s ON s.ref = ins.ref CROSS JOIN LATERAL unnest(s.juris) AS "
        "x"
        "       RETURNING 1)"
        " SELECT (SELECT count(*) FROM ins)::text, (SELECT count(*) FROM s)::text,"
        " (SELECT count(*) FROM j)::text";
    /* The staging table is read directly, not through a CTE that would
       copy every row into a tuplestore first. */
    static const char *const assets_sql =
        "WITH ins AS (INSERT INTO arcs.assets (case_id, external_ref, kind, description,"
        "             country)"
        "         SELECT c.id, s.ref, s.akind, s.description, s.country"
        "         FROM pg_temp.arcs_import_stage s JOIN arcs.cases c ON c.ref = "
        "s.case_ref"
        "         WHERE s.k = 'a' ORDER BY s.pos"
        "         ON CONFLICT (external_ref) DO NOTHING RETURNING id, external_ref),"
        " v AS (INSERT INTO arcs.valuations (asset_id, amount, currency, valued_on)"
        "       SELECT ins.id, s.amount, s.currency, s.valued_on"
        "       FROM ins JOIN pg_temp.arcs_import_stage s"
        "         ON s.k = 'a' AND s.ref = ins.external_ref"
        "       WHERE s.amount IS NOT NULL"
        "       RETURNING 1)"
        " SELECT (SELECT count(*) FROM ins)::text,"
        " (SELECT count(*) FROM pg_temp.arcs_import_stage WHERE k = 'a')::text,"
        " (SELECT count(*) FROM v)::text";
    /* what a dry run would record */
    static const char *const plan_sql =
        "WITH c AS (SELECT ref FROM pg_temp.arcs_import_stage WHERE k = 'c'),"
        " a AS (SELECT ref, amount FROM pg_temp.arcs_import_stage WHERE k = 'a'),"
        " an AS (SELECT * FROM a WHERE NOT EXISTS"
        "        (SELECT 1 FROM arcs.assets x WHERE x.external_ref = a.ref))"
        " SELECT (SELECT count(*) FROM c WHERE NOT EXISTS"
        "         (SELECT 1 FROM arcs.cases x WHERE x.ref = c.ref))::text,"
        " (SELECT count(*) FROM c)::text, (SELECT count(*) FROM an)::text,"
        " (SELECT count(*) FROM a)::text,"
        " (SELECT count(*) FROM an WHERE amount IS NOT NULL)::text";
    PGresult *res = NULL;
    arcs_status st;
    arcs_import_result *r = m->res;

    if (m->opts && m->opts->dry_run) {
        st = arcs__db_exec(m->ctx, &res, plan_sql, 0, NULL);
        if (st != ARCS_OK)
            goto done;
        r->cases_new = to_i64(PQgetvalue(res, 0, 0));
        r->cases_present = to_i64(PQgetvalue(res, 0, 1)) - r->cases_new;
        r->assets_new = to_i64(PQgetvalue(res, 0, 2));
        r->assets_present = to_i64(PQgetvalue(res, 0, 3)) - r->assets_new;
        r->valuations_new = to_i64(PQgetvalue(res, 0, 4));
        goto done;
    }
    st = arcs__db_exec(m->ctx, &res, cases_sql, 0, NULL);
    if (st != ARCS_OK)
        goto done;
    r->cases_new = to_i64(PQgetvalue(res, 0, 0));
    r->cases_present = to_i64(PQgetvalue(res, 0, 1)) - r->cases_new;
    PQclear(res);
    res = NULL;
    st = arcs__db_exec(m->ctx, &res, assets_sql, 0, NULL);
    if (st != ARCS_OK)
        goto done;
    r->assets_new = to_i64(PQgetvalue(res, 0, 0));
    r->assets_present = to_i64(PQgetvalue(res, 0, 1)) - r->assets_new;
    r->valuations_new = to_i64(PQgetvalue(res, 0, 2));
done:
    PQclear(res);
    return st;
}

static void reset_result(arcs_import_result *r, int json)
{
    arcs_import_result_clear(r);
    snprintf(r->format, sizeof(r->format), "%s", json ? "json" : "csv");
}

static arcs_status refuse(imp *m)
{
    arcs_import_result *r = m->res;
    const char *first = r->nproblems ? r->problems[0] : "a problem";

    if (r->problems_total == 1)
        return arcs__fail(m->ctx, ARCS_EINVAL, "1 problem in %s, nothing imported: %s",
                          m->name, first);
    return arcs__fail(m->ctx, ARCS_EINVAL,
                      "%llu problems in %s, nothing imported; first: %s",
                      (unsigned long long)r->problems_total, m->name, first);
}

/* The whole import; run by arcs__db_tx, so it starts over from the first
   byte when the transaction is retried. */
static arcs_status body(arcs_ctx *ctx, void *arg)
{
    imp *m = arg;
    arcs__csv *csv = NULL;
    arcs__jreader *jr = NULL;
    arcs__csv_record head;
    arcs_status st;
    arcs_err e;

    reset_result(m->res, m->json);
    m->bytes = 0;
    m->cb.n = 0;
    m->copying = 0;
    if (lseek(m->fd, 0, SEEK_SET) != 0) {
        st = arcs__fail(ctx, ARCS_ERROR, "cannot read %s: %s", m->name, strerror(errno));
        goto done;
    }
    /* one import at a time: the conflict checks then see every earlier one */
    st = arcs__db_exec(ctx, NULL, "SELECT pg_catalog.pg_advisory_xact_lock(7283544112)",
                       0, NULL);
    /* JIT compiles for longer than these set-based statements run; sorts of
       a million staged rows should not spill to disk */
    if (st == ARCS_OK)
        st = arcs__db_exec(ctx, NULL,
                           "SELECT pg_catalog.set_config('jit', 'off', true),"
                           " pg_catalog.set_config('work_mem', '256MB', true)",
                           0, NULL);
    if (st == ARCS_OK)
        st = load_codes(m);
    if (st == ARCS_OK)
        st = arcs__db_exec(ctx, NULL, create_sql, 0, NULL);
    if (st != ARCS_OK)
        goto done;
    if (m->json) {
        jr = arcs__jreader_new(fd_read, m, sections);
        if (!jr) {
            st = arcs__fail(ctx, ARCS_ERROR, "out of memory");
            goto done;
        }
    } else {
        csv = arcs__csv_new(fd_read, m);
        if (!csv) {
            st = arcs__fail(ctx, ARCS_ERROR, "out of memory");
            goto done;
        }
        st = arcs__csv_next(csv, &head, &e);
        if (st != ARCS_OK) {
            st = arcs__fail(ctx, st, "%s: %s", m->name, e.msg);
            goto done;
        }
        if ((st = read_header(m, &head)) != ARCS_OK)
            goto done;
    }
    if ((st = copy_begin(m)) != ARCS_OK)
        goto done;
    st = m->json ? json_rows(m, jr) : csv_rows(m, csv);
    progress(m, 1);
    if (st != ARCS_OK) {
        copy_end(m, 1);
        goto done;
    }
    st = copy_end(m, m->res->problems_total > 0);
    if (st != ARCS_OK)
        goto done;
    if (m->res->problems_total > 0) {
        st = refuse(m);
        goto done;
    }
    /* statistics for the joins only: the other columns are never joined on */
    st = arcs__db_exec(ctx, NULL, "ANALYZE pg_temp.arcs_import_stage (k, ref, case_ref)",
                       0, NULL);
    if (st == ARCS_OK)
        st = sql_checks(m);
    if (st != ARCS_OK)
        goto done;
    if (m->res->problems_total > 0) {
        st = refuse(m);
        goto done;
    }
    st = dedupe(m);
    if (st == ARCS_OK)
        st = conflicts(m);
    if (st == ARCS_OK)
        st = write_rows(m);
done:
    arcs__csv_free(csv);
    arcs__jreader_free(jr);
    return st;
}

/* Decide CSV or JSON from the first bytes, and refuse what is not text. */
static arcs_status sniff(imp *m)
{
    char buf[4096];
    ssize_t n;
    size_t off = 0, bad, len;
    int nul;

    n = pread(m->fd, buf, sizeof(buf), 0);
    if (n < 0)
        return arcs__fail(m->ctx, ARCS_ERROR, "cannot read %s: %s", m->name,
                          strerror(errno));
    len = (size_t)n;
    if (len == 0)
        return arcs__fail(m->ctx, ARCS_EINVAL,
                          "%s is empty; give a CSV file with a header row or a JSON "
                          "document",
                          m->name);
    if (len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3))
        off = 3;
    if (arcs__text_check(buf + off, len - off, &bad, &nul)) {
        /* a character cut by the end of the sample is not an error */
        if (nul || len < sizeof(buf) || bad + off + 4 < len)
            return arcs__fail(
                m->ctx, ARCS_EINVAL,
                "%s is not a CSV or JSON text file: byte %zu (0x%02X) is %s; "
                "save it as UTF-8 text",
                m->name, bad + off, (unsigned char)buf[bad + off],
                nul ? "a NUL" : "not UTF-8");
    }
    while (off < len &&
           (buf[off] == ' ' || buf[off] == '\t' || buf[off] == '\n' || buf[off] == '\r'))
        off++;
    m->json = off < len && (buf[off] == '{' || buf[off] == '[');
    return ARCS_OK;
}

arcs_status arcs_import_file(arcs_ctx *ctx, arcs_import_result *out, const char *path,
                             const arcs_import_opts *opts)
{
    imp *m = NULL;
    struct stat sb;
    arcs_status st;
    int autoseal = ctx->autoseal;

    arcs__clear(ctx);
    memset(out, 0, sizeof(*out));
    m = calloc(1, sizeof(*m));
    if (!m) {
        st = arcs__fail(ctx, ARCS_ERROR, "out of memory");
        goto done;
    }
    m->ctx = ctx;
    m->path = path;
    m->name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    m->opts = opts;
    m->res = out;
    m->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (m->fd < 0) {
        st =
            arcs__fail(ctx, errno == ENOENT || errno == EACCES ? ARCS_EINVAL : ARCS_ERROR,
                       "cannot open %s: %s; check the path", path, strerror(errno));
        goto done;
    }
    if (fstat(m->fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        st = arcs__fail(ctx, ARCS_EINVAL,
                        "%s is not a regular file; give a CSV or JSON file", path);
        goto done;
    }
    m->size = (uint64_t)sb.st_size;
#ifdef POSIX_FADV_SEQUENTIAL
    posix_fadvise(m->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
    if ((st = sniff(m)) != ARCS_OK)
        goto done;
    if (opts && opts->dry_run) {
        /* the same work inside a transaction that is always rolled back */
        st = arcs__db_exec(ctx, NULL, "BEGIN", 0, NULL);
        if (st == ARCS_OK) {
            arcs_err saved;
            st = body(ctx, m);
            saved = ctx->err;
            PQclear(PQexec(ctx->conn, "ROLLBACK"));
            ctx->err = saved;
        }
        goto done;
    }
    /* one seal for the whole file, after the commit, not one per statement */
    ctx->autoseal = 0;
    st = arcs__db_tx(ctx, ARCS__TX_NOSEAL, body, m);
    ctx->autoseal = autoseal;
    if (st == ARCS_OK && autoseal && (out->cases_new || out->assets_new))
        st = arcs__audit_seal(ctx, NULL);
done:
    if (m) {
        if (m->fd >= 0)
            close(m->fd);
        arcs__buf_free(&m->cb);
        free(m);
    }
    return st;
}

void arcs_import_result_clear(arcs_import_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nproblems; i++)
        free(r->problems[i]);
    free(r->problems);
    memset(r, 0, sizeof(*r));
}
