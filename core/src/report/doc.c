/* The report document, its escapers, and the public entry points. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arcs/money.h"
#include "../db_int.h"
#include "report_int.h"

/* A C1 control (U+0080..U+009F, C2 80..C2 9F): some terminals run U+009B
   as CSI, so no document carries one raw. */
static int c1_at(const char *s)
{
    return (unsigned char)s[0] == 0xC2 && (unsigned char)s[1] >= 0x80 &&
           (unsigned char)s[1] <= 0x9F;
}

static void escape(rep_buf *b, const char *s, const char *const *map)
{
    for (; s && *s; s++) {
        const char *to = map[(unsigned char)*s];

        if (c1_at(s)) {
            arcs__buf_puts(b, map[0x01]); /* as the C0 controls */
            s++;
        } else if (to)
            arcs__buf_puts(b, to);
        else
            arcs__buf_put(b, s, 1);
    }
}

/* HTML: the five specials, and the control characters HTML forbids as the
   replacement character (tab, LF and CR are allowed as they are). */
#define HTML_BAD "&#xFFFD;"
static const char *const html_map[256] = {
    ['&'] = "&amp;",   ['<'] = "&lt;",    ['>'] = "&gt;",    ['"'] = "&quot;",
    ['\''] = "&#39;",  [0x01] = HTML_BAD, [0x02] = HTML_BAD, [0x03] = HTML_BAD,
    [0x04] = HTML_BAD, [0x05] = HTML_BAD, [0x06] = HTML_BAD, [0x07] = HTML_BAD,
    [0x08] = HTML_BAD, [0x0B] = HTML_BAD, [0x0C] = HTML_BAD, [0x0E] = HTML_BAD,
    [0x0F] = HTML_BAD, [0x10] = HTML_BAD, [0x11] = HTML_BAD, [0x12] = HTML_BAD,
    [0x13] = HTML_BAD, [0x14] = HTML_BAD, [0x15] = HTML_BAD, [0x16] = HTML_BAD,
    [0x17] = HTML_BAD, [0x18] = HTML_BAD, [0x19] = HTML_BAD, [0x1A] = HTML_BAD,
    [0x1B] = HTML_BAD, [0x1C] = HTML_BAD, [0x1D] = HTML_BAD, [0x1E] = HTML_BAD,
    [0x1F] = HTML_BAD, [0x7F] = HTML_BAD};

/*
 * Markdown (CommonMark / GitHub): every ASCII punctuation character that
 * can start or end markup is backslash-escaped, so text can never become a
 * heading, list, emphasis, code, link, image, HTML or a table cell border;
 * <, > and & are entities (a backslash does not stop an entity or autolink
 * everywhere); line breaks and other control characters become a space, so
 * a value stays on its line of the table.
 */
#define MD_SP " "
static const char *const md_map[256] = {
    ['\\'] = "\\\\", ['`'] = "\\`",   ['*'] = "\\*",  ['_'] = "\\_",  ['{'] = "\\{",
    ['}'] = "\\}",   ['['] = "\\[",   [']'] = "\\]",  ['('] = "\\(",  [')'] = "\\)",
    ['#'] = "\\#",   ['!'] = "\\!",   ['|'] = "\\|",  ['~'] = "\\~",  ['<'] = "&lt;",
    ['>'] = "&gt;",  ['&'] = "&amp;", [0x01] = MD_SP, [0x02] = MD_SP, [0x03] = MD_SP,
    [0x04] = MD_SP,  [0x05] = MD_SP,  [0x06] = MD_SP, [0x07] = MD_SP, [0x08] = MD_SP,
    [0x09] = MD_SP,  [0x0A] = MD_SP,  [0x0B] = MD_SP, [0x0C] = MD_SP, [0x0D] = MD_SP,
    [0x0E] = MD_SP,  [0x0F] = MD_SP,  [0x10] = MD_SP, [0x11] = MD_SP, [0x12] = MD_SP,
    [0x13] = MD_SP,  [0x14] = MD_SP,  [0x15] = MD_SP, [0x16] = MD_SP, [0x17] = MD_SP,
    [0x18] = MD_SP,  [0x19] = MD_SP,  [0x1A] = MD_SP, [0x1B] = MD_SP, [0x1C] = MD_SP,
    [0x1D] = MD_SP,  [0x1E] = MD_SP,  [0x1F] = MD_SP, [0x7F] = MD_SP};

void arcs__html_escape(rep_buf *b, const char *s)
{
    escape(b, s, html_map);
}

char *arcs_html_escape(const char *s, size_t *len)
{
    rep_buf b = {0};

    arcs__buf_put(&b, "", 0);
    escape(&b, s, html_map);
    if (b.oom) {
        arcs__buf_free(&b);
        return NULL;
    }
    if (len)
        *len = b.n;
    return b.b;
}

/* A decimal number as the renderers write money and counts: -?digits[.digits]. */
static int is_decimal(const char *s)
{
    size_t i = 0, d = 0;

    if (s[i] == '-')
        i++;
    while (s[i] >= '0' && s[i] <= '9')
        i++, d++;
    if (!d)
        return 0;
    if (s[i] == '.') {
        i++;
        d = 0;
        while (s[i] >= '0' && s[i] <= '9')
            i++, d++;
        if (!d)
            return 0;
    }
    return s[i] == '\0';
}

static void csv_write(rep_buf *b, const char *s, int may_guard)
{
    size_t n = s ? strlen(s) : 0;
    int quote = 0, guard = 0;

    if (!s)
        return;
    if (strpbrk(s, ",\"\r\n") || (n && (s[0] == ' ' || s[n - 1] == ' ')))
        quote = 1;
    /* A text cell that a spreadsheet would run as a formula (or whose first
       character a spreadsheet strips: tab, CR, LF) is made inert. */
    if (may_guard && n && strchr("=+-@\t\r\n", s[0]))
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

void arcs__csv_field(rep_buf *b, const char *s)
{
    csv_write(b, s, 1);
}

void arcs__csv_number(rep_buf *b, const char *s)
{
    /* a negative amount stays a number a spreadsheet can add up; anything
       that is not plainly a decimal number is treated as text */
    csv_write(b, s, !(s && is_decimal(s)));
}

void arcs__md_cell(rep_buf *b, const char *s)
{
    int lead = 1, digits = 0; /* still at the line start: spaces, then digits */

    /* - + = start a list, a rule or a heading underline, and "1." or "1)" an
       ordered list, only at the start of a line: there they are escaped
       (a cell's text has no line breaks, so its start is the only one);
       elsewhere "ARC-2024-0001" and "1.5" stay as they are. */
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;

        if (c1_at(s)) {
            arcs__buf_puts(b, MD_SP);
            s++;
            lead = 0;
            continue;
        }
        if (lead && !digits && (c == '-' || c == '+' || c == '=')) {
            arcs__buf_put(b, "\\", 1);
            arcs__buf_put(b, s, 1);
        } else if (lead && digits && c == '.') {
            arcs__buf_puts(b, "\\.");
        } else if (md_map[c]) {
            arcs__buf_puts(b, md_map[c]);
        } else {
            arcs__buf_put(b, s, 1);
        }
        if (c >= '0' && c <= '9')
            digits = 1;
        else if (c != ' ' || digits)
            lead = 0;
    }
}

int64_t arcs__rep_i64(rep_doc *d, const char *text)
{
    char *end;
    long long v;

    if (!text || !*text)
        return 0;
    errno = 0;
    v = strtoll(text, &end, 10);
    if (errno == ERANGE || *end) {
        /* a SQL sum (numeric) past the range of amounts: never saturated */
        d->overflow = 1;
        return 0;
    }
    return (int64_t)v;
}

int64_t arcs__rep_add(rep_doc *d, int64_t a, int64_t b)
{
    int64_t r;

    if (__builtin_add_overflow(a, b, &r)) {
        d->overflow = 1;
        return a;
    }
    return r;
}

int64_t arcs__rep_sub(rep_doc *d, int64_t a, int64_t b)
{
    int64_t r;

    if (__builtin_sub_overflow(a, b, &r)) {
        d->overflow = 1;
        return a;
    }
    return r;
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

const char *arcs__val_str(const rep_val *v, char buf[REP_NUM_MAX], int human)
{
    char m[ARCS_MONEY_TEXT_MAX * 2];

    buf[0] = '\0';
    switch (v->type) {
    case REP_TEXT:
        return v->text ? v->text : ""; /* whole: never copied into buf */
    case REP_MONEY:
        if (!human) {
            arcs_money_format(buf, v->n, v->exp);
            return buf;
        }
        arcs__money_human(m, sizeof(m), v->n, v->exp);
        if (v->cur[0])
            snprintf(buf, REP_NUM_MAX, "%s %s", m, v->cur);
        else
            snprintf(buf, REP_NUM_MAX, "%s", m);
        return buf;
    case REP_COUNT:
        snprintf(buf, REP_NUM_MAX, "%lld", (long long)v->n);
        return buf;
    case REP_NULL:
        break;
    }
    return buf;
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
    char **p, *buf;
    va_list ap;
    int n;

    /* measured, then written whole: a note may quote a value of any length */
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !(buf = malloc((size_t)n + 1))) {
        d->oom = 1;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(buf, (size_t)n + 1, fmt, ap);
    va_end(ap);
    p = grow(d, d->notes, d->nnotes, sizeof(*p));
    if (!p) {
        free(buf);
        return;
    }
    d->notes = p;
    d->notes[d->nnotes++] = buf;
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
    /* before any other verdict: a check that failed may only be its echo */
    if (r->doc->overflow && st != ARCS_ERETRY)
        st = arcs__fail(ctx, ARCS_EREFUSED,
                        "a total of the report is beyond the range of amounts "
                        "(9223372036854775807 minor units) and cannot be shown "
                        "exactly; check the recorded amounts with 'arcs fund balance'");
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
