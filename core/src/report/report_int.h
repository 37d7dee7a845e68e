/*
 * Reports inside: every model (model_*.c) turns queries into one generic
 * document (rep_doc: fields, tables, charts, notes) and every renderer
 * (render_*.c) turns any document into one format. So a new report needs no
 * renderer change, and a new format works for every report.
 *
 * Money in a document is int64 minor units with the currency's exponent,
 * never a float; floats appear only as SVG geometry.
 */
#ifndef ARCS_REPORT_INT_H
#define ARCS_REPORT_INT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "arcs/money.h"
#include "arcs/report.h"
#include "../buf_int.h"
#include "../ctx_int.h"

/* The report's output buffer (buf_int.h): out of memory sticks in oom,
   writes then do nothing. */
typedef arcs__buf rep_buf;

/* Escapers. HTML escapes & < > " ' (safe in text and in quoted attributes)
   and writes the control characters HTML forbids as U+FFFD. */
void arcs__html_escape(rep_buf *b, const char *s);
/* One RFC 4180 text field: quoted when it holds , " CR LF or leading/trailing
   space; a leading = + - @ tab CR LF is prefixed with ' so a spreadsheet
   never runs it as a formula (docs/reports.md). */
void arcs__csv_field(rep_buf *b, const char *s);
/* A field the renderer wrote as a number (money, a count): a plain decimal
   such as -1.50 stays unguarded, so it stays a number in a spreadsheet;
   anything else is guarded as text. */
void arcs__csv_number(rep_buf *b, const char *s);
/* Markdown text: its metacharacters backslash-escaped, < > & as entities,
   line breaks and control characters as spaces (one line, one cell). */
void arcs__md_cell(rep_buf *b, const char *s);
/* An SVG coordinate with one decimal, locale-free; NaN and infinities are 0. */
void arcs__svg_num(rep_buf *b, double v);
/* "6,056,250,000.00": money with thousands separators, for people. */
void arcs__money_human(char *buf, size_t n, int64_t minor, int exponent);

typedef enum rep_type { REP_NULL = 0, REP_TEXT, REP_MONEY, REP_COUNT } rep_type;

typedef struct rep_val {
    rep_type type;
    char *text;  /* REP_TEXT: owned */
    int64_t n;   /* REP_MONEY: minor units; REP_COUNT: the count */
    int exp;     /* REP_MONEY: the currency's exponent */
    char cur[4]; /* REP_MONEY: its currency */
} rep_val;

/* Room for money or a count written by arcs__val_str. */
#define REP_NUM_MAX (ARCS_MONEY_TEXT_MAX * 2 + 8)
/*
 * A value as text. A text value is returned as it is, whole (borrowed from
 * v): no renderer ever copies text into a fixed buffer. Money and counts are
 * written into buf and buf is returned: money as a decimal string without
 * separators, or when human is set with separators and its currency
 * ("6,056,250.00 USD"). NULL is "". Not escaped.
 */
const char *arcs__val_str(const rep_val *v, char buf[REP_NUM_MAX], int human);

typedef struct rep_field {
    char *key;   /* JSON key, CSV metric */
    char *label; /* for people */
    rep_val v;
} rep_field;

typedef struct rep_col {
    char *key;
    char *label;
} rep_col;

typedef struct rep_table {
    char *key; /* JSON key */
    char *title;
    char *note; /* may be NULL */
    size_t ncols;
    rep_col *cols;
    size_t nrows;
    size_t cap;
    rep_val *cells; /* nrows * ncols */
} rep_table;

typedef enum rep_chart_kind { REP_CHART_BARS, REP_CHART_FLOW } rep_chart_kind;

typedef struct rep_bar {
    char *label;
    int64_t value;
} rep_bar;

/* A flow from a node of column col to a node of column col + 1. */
typedef struct rep_flow {
    int col;
    char *from;
    char *to;
    int64_t value;
} rep_flow;

typedef struct rep_chart {
    rep_chart_kind kind;
    char *title;
    int money; /* values are base-currency minor units, else counts */
    size_t n;
    rep_bar *bars;
    size_t nflows;
    rep_flow *flows;
    size_t ncolumns;
    char *columns[8]; /* flow column headings */
} rep_chart;

typedef struct rep_doc {
    char kind[16]; /* "case", "funds", "statistics", "provenance" */
    char *title;
    char *subtitle;
    char currency[4]; /* base currency */
    int exp;
    /* the audit state the report was generated at */
    int has_log;
    int64_t cp_size;
    char cp_root[65];
    int cp_signed;       /* signature and root verified with a trusted key */
    const char *cp_kind; /* what the report calls it (static text) */
    char *cp_note;       /* the checkpoint's text, or NULL */
    char generated[32];
    size_t nfields;
    rep_field *fields;
    size_t ntables;
    rep_table **tables;
    size_t ncharts;
    rep_chart **charts;
    size_t nnotes;
    char **notes;
    int oom;
    int overflow; /* a sum left the range of int64: the report is refused */
} rep_doc;

/* A count or amount from SQL text (a sum is numeric): 0 for NULL or "";
   past the range of int64 it sets d->overflow (the report is then refused,
   never shown with a saturated or wrapped figure) and gives 0. */
int64_t arcs__rep_i64(rep_doc *d, const char *text);
/* a + b and a - b, checked: on overflow d->overflow is set and a returned. */
int64_t arcs__rep_add(rep_doc *d, int64_t a, int64_t b);
int64_t arcs__rep_sub(rep_doc *d, int64_t a, int64_t b);

/* Building a document. Every function records out of memory in doc->oom. */
rep_doc *arcs__doc_new(const char *kind);
void arcs__doc_free(rep_doc *d);
void arcs__doc_field_text(rep_doc *d, const char *key, const char *label,
                          const char *text);
void arcs__doc_field_money(rep_doc *d, const char *key, const char *label, int64_t minor);
void arcs__doc_field_count(rep_doc *d, const char *key, const char *label, int64_t n);
void arcs__doc_note(rep_doc *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* cols: "key:Label" strings. */
rep_table *arcs__doc_table(rep_doc *d, const char *key, const char *title, size_t ncols,
                           const char *const *cols);
/* Append a row; cells are then set with the setters (row index returned). */
size_t arcs__table_row(rep_doc *d, rep_table *t);
void arcs__cell_text(rep_doc *d, rep_table *t, size_t row, size_t col, const char *text);
void arcs__cell_money(rep_table *t, size_t row, size_t col, int64_t minor, int exp,
                      const char *cur);
void arcs__cell_count(rep_table *t, size_t row, size_t col, int64_t n);
rep_chart *arcs__doc_chart(rep_doc *d, rep_chart_kind kind, const char *title, int money);
void arcs__chart_bar(rep_doc *d, rep_chart *c, const char *label, int64_t value);
void arcs__chart_flow(rep_doc *d, rep_chart *c, int col, const char *from, const char *to,
                      int64_t value);
void arcs__chart_column(rep_doc *d, rep_chart *c, const char *heading);

/* Renderers: append the document to b. */
void arcs__render_json(rep_buf *b, const rep_doc *d);
void arcs__render_csv(rep_buf *b, const rep_doc *d);
void arcs__render_html(rep_buf *b, const rep_doc *d);
void arcs__render_md(rep_buf *b, const rep_doc *d);
/* One chart as an inline <svg> element. */
void arcs__render_svg(rep_buf *b, const rep_chart *c, const rep_doc *d);

/* Models (run inside a read-only serializable transaction). */
arcs_status arcs__model_case(arcs_ctx *ctx, rep_doc *d, const char *ref,
                             int show_identity);
arcs_status arcs__model_funds(arcs_ctx *ctx, rep_doc *d, const char *from,
                              const char *to);
arcs_status arcs__model_stats(arcs_ctx *ctx, rep_doc *d, int year);
arcs_status arcs__model_provenance(arcs_ctx *ctx, rep_doc *d, const char *project);

/* Shared by models (model_case.c). */
/* Base currency and its exponent into the document. */
arcs_status arcs__report_base(arcs_ctx *ctx, rep_doc *d);
/* The checkpoint (or tree head) the report is generated at. */
arcs_status arcs__report_checkpoint(arcs_ctx *ctx, rep_doc *d);
/* Does a relation exist ("arcs.fx_rates")? */
arcs_status arcs__report_has(arcs_ctx *ctx, const char *rel, int *yes);
/*
 * Run sql and fill table t (which may be NULL: the query still runs) with a
 * row for each of its rows. shape holds a letter for each column of t: 't'
 * text from one result column; 'm' money from three (amount, currency,
 * exponent), left empty when the amount is NULL; 'b' money in the base
 * currency from one.
 */
arcs_status arcs__report_table(arcs_ctx *ctx, rep_doc *d, rep_table *t, const char *shape,
                               const char *sql, int nparams, const char *const *params);
/* A bar chart titled title, a bar for each row of sql (label, value). */
arcs_status arcs__report_bars(arcs_ctx *ctx, rep_doc *d, const char *title, int money,
                              const char *sql, int nparams, const char *const *params);
/* The one place rates are read: the latest rate of cur on or before date,
   converted into base minor units. ARCS_EREFUSED when there is none. */
arcs_status arcs__report_convert(arcs_ctx *ctx, const rep_doc *d, int64_t *out,
                                 int64_t minor, const char *cur, int exp,
                                 const char *date);

#endif
