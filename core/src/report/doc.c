/* The report document, its escapers, and the public entry points. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arcs/money.h"
#include "../db_int.h"
#include "report_int.h"

static void escape(rep_buf *b, const char *s, const char *const *map)
{
    for (; s && *s; s++) {
        const char *to = map[(unsigned char)*s];

        if (to)
            arcs__buf_puts(b, to);
        else
            arcs__buf_put(b, s, 1);
    }
}

static const char *const html_map[256] = {
    ['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;", ['"'] = "&quot;", ['\''] = "&#39;"};

static const char *const md_map[256] = {['|'] = "\\|",  ['\n'] = " ",   ['\r'] = " ",
                                        ['<'] = "&lt;", ['>'] = "&gt;", ['&'] = "&amp;"};

void arcs__html_escape(rep_buf *b, const char *s)
{
    escape(b, s, html_map);
}

void arcs__csv_field(rep_buf *b, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    int quote = 0, guard = 0;

    if (!s)
        return;
    if (strpbrk(s, ",\"\r\n") || (n && (s[0] == ' ' || s[n - 1] == ' ')))
        quote = 1;
    /* A cell that a spreadsheet would run as a formula is made inert; decimal
       amounts are never negative here, so no number is touched. */
    if (n && strchr("=+-@\t", s[0]))
        guard = quote = 1;
    if (quote)
        arcs__buf_puts(b, "\"");
    if (guard)
        arcs__buf_puts(b, "'");
    for (; *s; s++) {
        if (*s == '"')
            arcs__buf_puts(b, "\"\"");
        else
            arcs__buf_put(b, s, 1);
    }
    if (quote)
        arcs__buf_puts(b, "\"");
}

void arcs__md_cell(rep_buf *b, const char *s)
{
    escape(b, s, md_map);
}

void arcs__svg_num(rep_buf *b, double v)
{
    long long t;

    /* printf("%f") follows LC_NUMERIC (a comma in some locales) and prints
       "nan": write tenths as integers instead. */
    if (v != v || v > 1e12 || v < -1e12)
        v = 0;
    t = (long long)(v * 10.0 + (v < 0 ? -0.5 : 0.5));
    if (t < 0)
        arcs__buf_printf(b, "-%lld.%lld", (-t) / 10, (-t) % 10);
    else
        arcs__buf_printf(b, "%lld.%lld", t / 10, t % 10);
}

void arcs__money_human(char *buf, size_t n, int64_t minor, int exponent)
{
    char raw[ARCS_MONEY_TEXT_MAX], out[ARCS_MONEY_TEXT_MAX * 2];
    const char *dot, *p = raw;
    size_t o = 0, digits;

    arcs_money_format(raw, minor, exponent);
    if (*p == '-')
        out[o++] = *p++;
    dot = strchr(p, '.');
    digits = dot ? (size_t)(dot - p) : strlen(p);
    for (size_t i = 0; i < digits; i++) {
        if (i && (digits - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = p[i];
    }
    if (dot)
        for (const char *q = dot; *q; q++)
            out[o++] = *q;
    out[o] = '\0';
    snprintf(buf, n, "%s", out);
}

void arcs__val_text(char *buf, size_t n, const rep_val *v)
{
    char m[ARCS_MONEY_TEXT_MAX];

    switch (v->type) {
    case REP_TEXT:
        snprintf(buf, n, "%s", v->text ? v->text : "");
        return;
    case REP_MONEY:
        arcs_money_format(m, v->n, v->exp);
        snprintf(buf, n, "%s", m);
        return;
    case REP_COUNT:
        snprintf(buf, n, "%lld", (long long)v->n);
        return;
    case REP_NULL:
        break;
    }
    if (n)
        buf[0] = '\0';
}

void arcs__val_human(char *buf, size_t n, const rep_val *v)
{
    char m[ARCS_MONEY_TEXT_MAX * 2];

    if (v->type != REP_MONEY) {
        arcs__val_text(buf, n, v);
        return;
    }
    arcs__money_human(m, sizeof(m), v->n, v->exp);
    if (v->cur[0])
        snprintf(buf, n, "%s %s", m, v->cur);
    else
        snprintf(buf, n, "%s", m);
}

static char *dup_or_oom(rep_doc *d, const char *s)
{
    char *p;

    if (!s)
        return NULL;
    p = arcs__strdup(s);
    if (!p)
        d->oom = 1;
    return p;
}

static void val_clear(rep_val *v)
{
    if (v->type == REP_TEXT)
        free(v->text);
    memset(v, 0, sizeof(*v));
}

rep_doc *arcs__doc_new(const char *kind)
{
    rep_doc *d = calloc(1, sizeof(*d));
    time_t now = time(NULL);
    struct tm tm;

    if (!d)
        return NULL;
    snprintf(d->kind, sizeof(d->kind), "%s", kind);
    snprintf(d->currency, sizeof(d->currency), "KZT");
    d->exp = 2;
    if (gmtime_r(&now, &tm))
        strftime(d->generated, sizeof(d->generated), "%Y-%m-%dT%H:%M:%SZ", &tm);
    return d;
}

void arcs__doc_free(rep_doc *d)
{
    if (!d)
        return;
    free(d->title);
    free(d->subtitle);
    free(d->cp_note);
    for (size_t i = 0; i < d->nfields; i++) {
        free(d->fields[i].key);
        free(d->fields[i].label);
        val_clear(&d->fields[i].v);
    }
    free(d->fields);
    for (size_t i = 0; i < d->ntables; i++) {
        rep_table *t = d->tables[i];
        for (size_t c = 0; c < t->ncols; c++) {
            free(t->cols[c].key);
            free(t->cols[c].label);
        }
        for (size_t k = 0; k < t->nrows * t->ncols; k++)
            val_clear(&t->cells[k]);
        free(t->cols);
        free(t->cells);
        free(t->key);
        free(t->title);
        free(t->note);
        free(t);
    }
    free(d->tables);
    for (size_t i = 0; i < d->ncharts; i++) {
        rep_chart *c = d->charts[i];
        for (size_t k = 0; k < c->n; k++)
            free(c->bars[k].label);
        for (size_t k = 0; k < c->nflows; k++) {
            free(c->flows[k].from);
            free(c->flows[k].to);
        }
        for (size_t k = 0; k < c->ncolumns; k++)
            free(c->columns[k]);
        free(c->bars);
        free(c->flows);
        free(c->title);
        free(c);
    }
    free(d->charts);
    for (size_t i = 0; i < d->nnotes; i++)
        free(d->notes[i]);
    free(d->notes);
    free(d);
}

/* Grow an array of n items of size sz by one; NULL when out of memory. */
static void *grow(rep_doc *d, void *arr, size_t n, size_t sz)
{
    void *p = realloc(arr, (n + 1) * sz);

    if (!p)
        d->oom = 1;
    return p;
}

static rep_field *field_add(rep_doc *d, const char *key, const char *label)
{
    rep_field *f = grow(d, d->fields, d->nfields, sizeof(*f));

    if (!f)
        return NULL;
    d->fields = f;
    f = &d->fields[d->nfields++];
    memset(f, 0, sizeof(*f));
    f->key = dup_or_oom(d, key);
    f->label = dup_or_oom(d, label);
    return f;
}

void arcs__doc_field_text(rep_doc *d, const char *key, const char *label,
                          const char *text)
{
    rep_field *f = field_add(d, key, label);

    if (!f)
        return;
    f->v.type = REP_TEXT;
    f->v.text = dup_or_oom(d, text ? text : "");
}

void arcs__doc_field_money(rep_doc *d, const char *key, const char *label, int64_t minor)
{
    rep_field *f = field_add(d, key, label);

    if (!f)
        return;
    f->v.type = REP_MONEY;
    f->v.n = minor;
    f->v.exp = d->exp;
    memcpy(f->v.cur, d->currency, sizeof(f->v.cur));
}

void arcs__doc_field_count(rep_doc *d, const char *key, const char *label, int64_t n)
{
    rep_field *f = field_add(d, key, label);

    if (!f)
        return;
    f->v.type = REP_COUNT;
    f->v.n = n;
}

void arcs__doc_note(rep_doc *d, const char *fmt, ...)
{
    char buf[1024];
    char **p;
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    p = grow(d, d->notes, d->nnotes, sizeof(*p));
    if (!p)
        return;
    d->notes = p;
    d->notes[d->nnotes] = dup_or_oom(d, buf);
    if (d->notes[d->nnotes])
        d->nnotes++;
}

rep_table *arcs__doc_table(rep_doc *d, const char *key, const char *title, size_t ncols,
                           const char *const *cols)
{
    rep_table *t = calloc(1, sizeof(*t)), **arr;

    if (!t || !(t->cols = calloc(ncols, sizeof(*t->cols)))) {
        free(t);
        d->oom = 1;
        return NULL;
    }
    arr = grow(d, d->tables, d->ntables, sizeof(*arr));
    if (!arr) {
        free(t->cols);
        free(t);
        return NULL;
    }
    d->tables = arr;
    d->tables[d->ntables++] = t;
    t->key = dup_or_oom(d, key);
    t->title = dup_or_oom(d, title);
    t->ncols = ncols;
    for (size_t i = 0; i < ncols; i++) {
        const char *colon = strchr(cols[i], ':');
        size_t klen = colon ? (size_t)(colon - cols[i]) : strlen(cols[i]);
        t->cols[i].key = malloc(klen + 1);
        if (!t->cols[i].key) {
            d->oom = 1;
            continue;
        }
        memcpy(t->cols[i].key, cols[i], klen);
        t->cols[i].key[klen] = '\0';
        t->cols[i].label = dup_or_oom(d, colon ? colon + 1 : cols[i]);
    }
    return t;
}

size_t arcs__table_row(rep_doc *d, rep_table *t)
{
    if (t->nrows == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        rep_val *p = realloc(t->cells, cap * t->ncols * sizeof(*p));
        if (!p) {
            d->oom = 1;
            return (size_t)-1;
        }
        t->cells = p;
        t->cap = cap;
    }
    memset(&t->cells[t->nrows * t->ncols], 0, t->ncols * sizeof(rep_val));
    return t->nrows++;
}

static rep_val *cell(rep_table *t, size_t row, size_t col)
{
    if (!t || row >= t->nrows || col >= t->ncols)
        return NULL;
    return &t->cells[row * t->ncols + col];
}

void arcs__cell_text(rep_doc *d, rep_table *t, size_t row, size_t col, const char *text)
{
    rep_val *v = cell(t, row, col);

    if (!v)
        return;
    val_clear(v);
    if (!text)
        return;
    v->type = REP_TEXT;
    v->text = dup_or_oom(d, text);
}

void arcs__cell_money(rep_table *t, size_t row, size_t col, int64_t minor, int exp,
                      const char *cur)
{
    rep_val *v = cell(t, row, col);

    if (!v)
        return;
    val_clear(v);
    v->type = REP_MONEY;
    v->n = minor;
    v->exp = exp;
    snprintf(v->cur, sizeof(v->cur), "%s", cur ? cur : "");
}

void arcs__cell_count(rep_table *t, size_t row, size_t col, int64_t n)
{
    rep_val *v = cell(t, row, col);

    if (!v)
        return;
    val_clear(v);
    v->type = REP_COUNT;
    v->n = n;
}

rep_chart *arcs__doc_chart(rep_doc *d, rep_chart_kind kind, const char *title, int money)
{
    rep_chart *c = calloc(1, sizeof(*c)), **arr;

    if (!c) {
        d->oom = 1;
        return NULL;
    }
    arr = grow(d, d->charts, d->ncharts, sizeof(*arr));
    if (!arr) {
        free(c);
        return NULL;
    }
    d->charts = arr;
    d->charts[d->ncharts++] = c;
    c->kind = kind;
    c->money = money;
    c->title = dup_or_oom(d, title);
    return c;
}

void arcs__chart_bar(rep_doc *d, rep_chart *c, const char *label, int64_t value)
{
    rep_bar *p;

    if (!c)
        return;
    p = grow(d, c->bars, c->n, sizeof(*p));
    if (!p)
        return;
    c->bars = p;
    c->bars[c->n].label = dup_or_oom(d, label);
    c->bars[c->n].value = value;
    c->n++;
}

void arcs__chart_flow(rep_doc *d, rep_chart *c, int col, const char *from, const char *to,
                      int64_t value)
{
    rep_flow *p;

    if (!c || value <= 0)
        return;
    p = grow(d, c->flows, c->nflows, sizeof(*p));
    if (!p)
        return;
    c->flows = p;
    c->flows[c->nflows].col = col;
    c->flows[c->nflows].from = dup_or_oom(d, from);
    c->flows[c->nflows].to = dup_or_oom(d, to);
    c->flows[c->nflows].value = value;
    c->nflows++;
}

void arcs__chart_column(rep_doc *d, rep_chart *c, const char *heading)
{
    if (!c || c->ncolumns >= sizeof(c->columns) / sizeof(c->columns[0]))
        return;
    c->columns[c->ncolumns++] = dup_or_oom(d, heading);
}

arcs_status arcs_report_format_parse(arcs_report_format *out, const char *text,
                                     arcs_err *err)
{
    static const struct {
        const char *name;
        arcs_report_format f;
    } names[] = {{"html", ARCS_REPORT_HTML},
                 {"csv", ARCS_REPORT_CSV},
                 {"json", ARCS_REPORT_JSON},
                 {"md", ARCS_REPORT_MD},
                 {"markdown", ARCS_REPORT_MD}};

    for (size_t i = 0; text && i < sizeof(names) / sizeof(names[0]); i++) {
        if (!strcmp(text, names[i].name)) {
            *out = names[i].f;
            return ARCS_OK;
        }
    }
    return arcs_err_set(err, ARCS_EINVAL,
                        "unknown report format '%s'; use html, csv, json or md",
                        text ? text : "");
}

/* What each report runs in its transaction. */
struct run {
    const char *kind;
    const char *ref;  /* case ref or project code */
    const char *from; /* funds */
    const char *to;
    int year;
    int show_identity;
    rep_doc *doc;
};

static arcs_status run_body(arcs_ctx *ctx, void *arg)
{
    struct run *r = arg;
    arcs_status st;

    /* A serialization retry runs the body again: start from an empty document. */
    arcs__doc_free(r->doc);
    r->doc = arcs__doc_new(r->kind);
    if (!r->doc)
        return arcs__fail(ctx, ARCS_ERROR, "out of memory");
    st = arcs__report_base(ctx, r->doc);
    /* the checkpoint first: the case report cites it per entry */
    if (st == ARCS_OK)
        st = arcs__report_checkpoint(ctx, r->doc);
    if (st != ARCS_OK)
        return st;
    if (!strcmp(r->kind, "case"))
        st = arcs__model_case(ctx, r->doc, r->ref, r->show_identity);
    else if (!strcmp(r->kind, "funds"))
        st = arcs__model_funds(ctx, r->doc, r->from, r->to);
    else if (!strcmp(r->kind, "statistics"))
        st = arcs__model_stats(ctx, r->doc, r->year);
    else
        st = arcs__model_provenance(ctx, r->doc, r->ref);
    if (st == ARCS_OK && r->doc->oom)
        st = arcs__fail(ctx, ARCS_ERROR, "out of memory building the report");
    return st;
}

static arcs_status run_report(arcs_ctx *ctx, struct run *r, char **out, size_t *outlen,
                              arcs_report_format fmt)
{
    rep_buf b = {0};
    arcs_status st;

    st = arcs__db_tx(ctx, ARCS__TX_SERIALIZABLE | ARCS__TX_READONLY | ARCS__TX_NOSEAL,
                     run_body, r);
    if (st != ARCS_OK)
        goto done;
    switch (fmt) {
    case ARCS_REPORT_HTML:
        arcs__render_html(&b, r->doc);
        break;
    case ARCS_REPORT_CSV:
        arcs__render_csv(&b, r->doc);
        break;
    case ARCS_REPORT_JSON:
        arcs__render_json(&b, r->doc);
        break;
    case ARCS_REPORT_MD:
        arcs__render_md(&b, r->doc);
        break;
    }
    if (b.oom || !b.b) {
        st = arcs__fail(ctx, ARCS_ERROR, "out of memory rendering the report");
        goto done;
    }
    *out = b.b;
    if (outlen)
        *outlen = b.n;
    b.b = NULL;
done:
    arcs__buf_free(&b);
    arcs__doc_free(r->doc);
    r->doc = NULL;
    return st;
}

static arcs_status check_format(arcs_ctx *ctx, const char *report, arcs_report_format fmt,
                                int allowed)
{
    static const char *const names[] = {"html", "csv", "json", "md"};

    if ((int)fmt < 0 || (int)fmt > 3)
        return arcs__fail(ctx, ARCS_EINVAL, "unknown report format");
    if (!(allowed & (1 << fmt)))
        return arcs__fail(ctx, ARCS_EINVAL,
                          "the %s report has no %s format; see 'arcs report %s --help'",
                          report, names[fmt], report);
    return ARCS_OK;
}

#define F(x) (1 << (x))

arcs_status arcs_report_case(arcs_ctx *ctx, char **out, size_t *outlen, const char *ref,
                             arcs_report_format fmt, int show_identity)
{
    struct run r = {"case", ref, NULL, NULL, 0, show_identity, NULL};
    arcs_status st;

    arcs__clear(ctx);
    *out = NULL;
    st = check_format(ctx, "case", fmt,
                      F(ARCS_REPORT_HTML) | F(ARCS_REPORT_MD) | F(ARCS_REPORT_JSON));
    if (st == ARCS_OK && (!ref || !*ref))
        st = arcs__fail(ctx, ARCS_EINVAL, "missing case reference; give REF");
    if (st == ARCS_OK)
        st = run_report(ctx, &r, out, outlen, fmt);
    return st;
}

arcs_status arcs_report_funds(arcs_ctx *ctx, char **out, size_t *outlen, const char *from,
                              const char *to, arcs_report_format fmt)
{
    struct run r = {"funds", NULL, from, to, 0, 0, NULL};
    int32_t a = 0, z = 0;
    arcs_err err = {0};
    arcs_status st;

    arcs__clear(ctx);
    *out = NULL;
    st = check_format(ctx, "funds", fmt,
                      F(ARCS_REPORT_HTML) | F(ARCS_REPORT_CSV) | F(ARCS_REPORT_JSON));
    if (st == ARCS_OK && from && arcs_date_parse(&a, from, &err) != ARCS_OK)
        st = arcs__fail(ctx, ARCS_EINVAL, "--from: %s", err.msg);
    if (st == ARCS_OK && to && arcs_date_parse(&z, to, &err) != ARCS_OK)
        st = arcs__fail(ctx, ARCS_EINVAL, "--to: %s", err.msg);
    if (st == ARCS_OK && from && to && z < a)
        st = arcs__fail(ctx, ARCS_EINVAL, "--to %s is before --from %s; swap them", to,
                        from);
    if (st == ARCS_OK)
        st = run_report(ctx, &r, out, outlen, fmt);
    return st;
}

arcs_status arcs_report_statistics(arcs_ctx *ctx, char **out, size_t *outlen, int year,
                                   arcs_report_format fmt)
{
    struct run r = {"statistics", NULL, NULL, NULL, year, 0, NULL};
    arcs_status st;

    arcs__clear(ctx);
    *out = NULL;
    st = check_format(ctx, "statistics", fmt,
                      F(ARCS_REPORT_HTML) | F(ARCS_REPORT_CSV) | F(ARCS_REPORT_JSON));
    if (st == ARCS_OK && (year < 1900 || year > 2999))
        st = arcs__fail(ctx, ARCS_EINVAL,
                        "year %d is out of range; give YYYY, 1900 to 2999", year);
    if (st == ARCS_OK)
        st = run_report(ctx, &r, out, outlen, fmt);
    return st;
}

arcs_status arcs_report_provenance(arcs_ctx *ctx, char **out, size_t *outlen,
                                   const char *project, arcs_report_format fmt)
{
    struct run r = {"provenance", project, NULL, NULL, 0, 0, NULL};
    arcs_status st;

    arcs__clear(ctx);
    *out = NULL;
    st = check_format(ctx, "provenance", fmt,
                      F(ARCS_REPORT_HTML) | F(ARCS_REPORT_CSV) | F(ARCS_REPORT_JSON));
    if (st == ARCS_OK && (!project || !*project))
        st = arcs__fail(ctx, ARCS_EINVAL, "missing project code; give --project CODE");
    if (st == ARCS_OK)
        st = run_report(ctx, &r, out, outlen, fmt);
    return st;
}
