/*
 * HTML: one self-contained file. No URL of any kind (no fonts, scripts,
 * images, styles from anywhere): inline CSS with a print stylesheet, charts
 * as inline SVG, so it opens the same offline, years later, as evidence.
 */
#include <stdio.h>
#include <string.h>

#include "arcs/money.h"
#include "report_int.h"

static const char css[] =
    "body{font-family:system-ui,'DejaVu Sans',Arial,sans-serif;color:#1b1f24;"
    "margin:0;background:#f4f5f7;line-height:1.4}"
    "main{max-width:1040px;margin:0 auto;padding:24px 28px;background:#fff}"
    "h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;"
    "border-bottom:2px solid #1f6f8b;padding-bottom:3px}"
    ".sub{color:#555;margin:0 0 12px}"
    ".trace{font-size:12px;color:#333;background:#eef4f7;border-left:4px solid #1f6f8b;"
    "padding:6px 10px;margin:10px 0 16px;word-break:break-all}"
    ".figs{display:flex;flex-wrap:wrap;gap:10px;margin:8px 0}"
    ".fig{border:1px solid #d0d7de;border-radius:6px;padding:8px 12px;min-width:170px}"
    ".fig .k{font-size:12px;color:#555}.fig .v{font-size:17px;font-weight:600;"
    "font-variant-numeric:tabular-nums}"
    "table{border-collapse:collapse;width:100%;font-size:13px;margin:6px 0 10px}"
    "th,td{border-bottom:1px solid #d8dee4;padding:4px 6px;text-align:left;"
    "vertical-align:top}th{background:#f0f3f6}"
    "td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}"
    ".none{color:#777;font-style:italic}"
    "svg.chart{max-width:100%;height:auto;font-size:11px;display:block;margin:6px 0}"
    "svg text.col{font-weight:600;font-size:12px}svg tspan.v{fill:#444}"
    ".notes{font-size:12px;color:#444}"
    "@media print{body{background:#fff}main{max-width:none;padding:0}"
    "h2{break-after:avoid}table,svg,.fig{break-inside:avoid}"
    ".trace{border:1px solid #999}a{color:inherit;text-decoration:none}}";

static void html_val(rep_buf *b, const rep_val *v)
{
    char num[REP_NUM_MAX];

    arcs__html_escape(b, arcs__val_str(v, num, 1));
}

static void table(rep_buf *b, const rep_table *t)
{
    arcs__buf_puts(b, "<h2>");
    arcs__html_escape(b, t->title);
    arcs__buf_puts(b, "</h2>\n");
    if (t->note) {
        arcs__buf_puts(b, "<p class=\"notes\">");
        arcs__html_escape(b, t->note);
        arcs__buf_puts(b, "</p>\n");
    }
    if (t->nrows == 0) {
        arcs__buf_puts(b, "<p class=\"none\">None.</p>\n");
        return;
    }
    arcs__buf_printf(b, "<table id=\"t-%s\"><thead><tr>", t->key);
    for (size_t c = 0; c < t->ncols; c++) {
        arcs__buf_puts(b, "<th>");
        arcs__html_escape(b, t->cols[c].label);
        arcs__buf_puts(b, "</th>");
    }
    arcs__buf_puts(b, "</tr></thead><tbody>\n");
    for (size_t r = 0; r < t->nrows; r++) {
        arcs__buf_puts(b, "<tr>");
        for (size_t c = 0; c < t->ncols; c++) {
            const rep_val *v = &t->cells[r * t->ncols + c];
            arcs__buf_puts(b, v->type == REP_MONEY || v->type == REP_COUNT
                                  ? "<td class=\"n\">"
                                  : "<td>");
            html_val(b, v);
            arcs__buf_puts(b, "</td>");
        }
        arcs__buf_puts(b, "</tr>\n");
    }
    arcs__buf_puts(b, "</tbody></table>\n");
}

void arcs__render_html(rep_buf *b, const rep_doc *d)
{
    arcs__buf_puts(
        b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
           /* the page may load nothing: no script, font, image or style from
              anywhere, even if a value from the database slipped through */
           "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
           "style-src 'unsafe-inline'; img-src data:\">\n"
           "<title>");
    arcs__html_escape(b, d->title ? d->title : d->kind);
    arcs__buf_printf(b, "</title>\n<style>%s</style></head>\n<body><main>\n<h1>", css);
    arcs__html_escape(b, d->title ? d->title : d->kind);
    arcs__buf_puts(b, "</h1>\n");
    if (d->subtitle) {
        arcs__buf_puts(b, "<p class=\"sub\">");
        arcs__html_escape(b, d->subtitle);
        arcs__buf_puts(b, "</p>\n");
    }
    arcs__buf_puts(b, "<div class=\"trace\" id=\"checkpoint\">");
    if (d->has_log)
        arcs__buf_printf(b,
                         "Generated %s at audit <b>%s</b>: tree size <b>%lld</b>, root "
                         "<code>%s</code>. "
                         "Amounts in %s unless marked.",
                         d->generated, d->cp_kind ? d->cp_kind : "",
                         (long long)d->cp_size, d->cp_root, d->currency);
    else
        arcs__buf_printf(
            b, "Generated %s; the database has no audit log yet. Amounts in %s.",
            d->generated, d->currency);
    arcs__buf_puts(b, "</div>\n");
    if (d->nfields) {
        arcs__buf_puts(b, "<div class=\"figs\">\n");
        for (size_t i = 0; i < d->nfields; i++) {
            arcs__buf_printf(b, "<div class=\"fig\" id=\"f-%s\"><div class=\"k\">",
                             d->fields[i].key);
            arcs__html_escape(b, d->fields[i].label);
            arcs__buf_puts(b, "</div><div class=\"v\">");
            html_val(b, &d->fields[i].v);
            arcs__buf_puts(b, "</div></div>\n");
        }
        arcs__buf_puts(b, "</div>\n");
    }
    for (size_t i = 0; i < d->ncharts; i++) {
        arcs__buf_puts(b, "<h2>");
        arcs__html_escape(b, d->charts[i]->title);
        arcs__buf_puts(b, "</h2>\n");
        arcs__render_svg(b, d->charts[i], d);
    }
    for (size_t i = 0; i < d->ntables; i++)
        table(b, d->tables[i]);
    if (d->nnotes) {
        arcs__buf_puts(b, "<h2>Notes</h2>\n<ul class=\"notes\">\n");
        for (size_t i = 0; i < d->nnotes; i++) {
            arcs__buf_puts(b, "<li>");
            arcs__html_escape(b, d->notes[i]);
            arcs__buf_puts(b, "</li>\n");
        }
        arcs__buf_puts(b, "</ul>\n");
    }
    arcs__buf_puts(b, "</main></body></html>\n");
}
