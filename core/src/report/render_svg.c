/*
 * Chart primitives as inline SVG: horizontal bars and a Sankey-style flow.
 * Geometry is computed in doubles (it is only drawing) and written with
 * arcs__svg_num, which is locale-free and never prints NaN. Amounts shown
 * as text come from the integer minor units, never from the geometry.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arcs/money.h"
#include "report_int.h"

static const char *const palette[] = {"#1f6f8b", "#e07a5f", "#3d9970", "#8e6bb8",
                                      "#d4a72c", "#5c7cfa", "#c2410c", "#0f766e"};
#define NPALETTE (sizeof(palette) / sizeof(palette[0]))

static void value_text(char *buf, size_t n, const rep_chart *c, const rep_doc *d,
                       int64_t v)
{
    char m[64];

    if (c->money) {
        arcs__money_human(m, sizeof(m), v, d->exp);
        snprintf(buf, n, "%s %s", m, d->currency);
    } else {
        snprintf(buf, n, "%lld", (long long)v);
    }
}

static void attr_num(rep_buf *b, const char *name, double v)
{
    arcs__buf_printf(b, " %s=\"", name);
    arcs__svg_num(b, v);
    arcs__buf_puts(b, "\"");
}

static void render_bars(rep_buf *b, const rep_chart *c, const rep_doc *d)
{
    const double width = 760, label_w = 210, bar_w = 330, row_h = 26, top = 6;
    double height = top * 2 + row_h * (double)(c->n ? c->n : 1);
    int64_t max = 0;
    char text[96];

    for (size_t i = 0; i < c->n; i++)
        if (c->bars[i].value > max)
            max = c->bars[i].value;
    arcs__buf_puts(b, "<svg class=\"chart bars\"");
    arcs__buf_puts(b, " role=\"img\" viewBox=\"0 0 ");
    arcs__svg_num(b, width);
    arcs__buf_puts(b, " ");
    arcs__svg_num(b, height);
    arcs__buf_puts(b, "\"");
    attr_num(b, "width", width);
    attr_num(b, "height", height);
    arcs__buf_puts(b, "><title>");
    arcs__html_escape(b, c->title);
    arcs__buf_puts(b, "</title>\n");
    if (c->n == 0)
        arcs__buf_puts(b,
                       "<text x=\"0\" y=\"20\" class=\"empty\">nothing to show</text>\n");
    for (size_t i = 0; i < c->n; i++) {
        double y = top + row_h * (double)i;
        double w = max > 0 ? bar_w * ((double)c->bars[i].value / (double)max) : 0;
        if (c->bars[i].value > 0 && w < 1)
            w = 1;
        arcs__buf_puts(b, "<text");
        attr_num(b, "x", label_w - 8);
        attr_num(b, "y", y + row_h / 2 + 4);
        arcs__buf_puts(b, " text-anchor=\"end\">");
        arcs__html_escape(b, c->bars[i].label);
        arcs__buf_puts(b, "</text><rect");
        attr_num(b, "x", label_w);
        attr_num(b, "y", y + 4);
        attr_num(b, "width", w);
        attr_num(b, "height", row_h - 8);
        arcs__buf_printf(b, " fill=\"%s\"/><text", palette[i % NPALETTE]);
        attr_num(b, "x", label_w + w + 6);
        attr_num(b, "y", y + row_h / 2 + 4);
        value_text(text, sizeof(text), c, d, c->bars[i].value);
        arcs__buf_puts(b, ">");
        arcs__html_escape(b, text);
        arcs__buf_puts(b, "</text>\n");
    }
    arcs__buf_puts(b, "</svg>\n");
}

typedef struct node {
    int col;
    const char *name;
    int64_t in, out;
    double y, h, in_off, out_off;
    size_t color;
} node;

static size_t node_find(node *nodes, size_t *n, int col, const char *name)
{
    for (size_t i = 0; i < *n; i++)
        if (nodes[i].col == col && !strcmp(nodes[i].name, name))
            return i;
    memset(&nodes[*n], 0, sizeof(node));
    nodes[*n].col = col;
    nodes[*n].name = name;
    nodes[*n].color = *n % NPALETTE;
    return (*n)++;
}

static void render_flow(rep_buf *b, const rep_chart *c, const rep_doc *d)
{
    const double width = 980, top = 30, node_w = 12, gap = 14, margin = 4, label_h = 30;
    double height = 360, scale = 0, colx[8];
    node *nodes = NULL;
    size_t nn = 0, *from = NULL, *to = NULL;
    int ncol = 0;
    char text[96];

    if (c->nflows == 0) {
        arcs__buf_puts(b,
                       "<svg class=\"chart flow\" "
                       "role=\"img\" viewBox=\"0 0 600 30\" width=\"600\" height=\"30\">"
                       "<title>");
        arcs__html_escape(b, c->title);
        arcs__buf_puts(
            b, "</title><text x=\"0\" y=\"20\">no money has moved yet</text></svg>\n");
        return;
    }
    nodes = calloc(c->nflows * 2, sizeof(*nodes));
    from = calloc(c->nflows, sizeof(*from));
    to = calloc(c->nflows, sizeof(*to));
    if (!nodes || !from || !to) {
        b->oom = 1;
        goto done;
    }
    for (size_t i = 0; i < c->nflows; i++) {
        const rep_flow *f = &c->flows[i];
        if (f->col < 0 || f->col > 6 || f->value <= 0)
            continue;
        from[i] = node_find(nodes, &nn, f->col, f->from);
        to[i] = node_find(nodes, &nn, f->col + 1, f->to);
        /* geometry only (figures come from the document): saturate, never wrap */
        if (__builtin_add_overflow(nodes[from[i]].out, f->value, &nodes[from[i]].out))
            nodes[from[i]].out = INT64_MAX;
        if (__builtin_add_overflow(nodes[to[i]].in, f->value, &nodes[to[i]].in))
            nodes[to[i]].in = INT64_MAX;
        if (f->col + 2 > ncol)
            ncol = f->col + 2;
    }
    /* The tallest column decides the scale; others are centred. */
    {
        size_t most = 1;
        for (int k = 0; k < ncol; k++) {
            size_t cnt = 0;
            for (size_t i = 0; i < nn; i++)
                cnt += nodes[i].col == k;
            if (cnt > most)
                most = cnt;
        }
        height = 40.0 * (double)most + 80;
        if (height < 360)
            height = 360;
        for (int k = 0; k < ncol; k++) {
            double sum = 0, cnt = 0, s;
            for (size_t i = 0; i < nn; i++) {
                if (nodes[i].col != k)
                    continue;
                sum += (double)(nodes[i].in > nodes[i].out ? nodes[i].in : nodes[i].out);
                cnt++;
            }
            s = sum > 0 ? (height - top - 10 - gap * (cnt - 1)) / sum : 0;
            if (s > 0 && (scale == 0 || s < scale))
                scale = s;
        }
    }
    /* A small node still gets room for its two label lines: each node stands
       in a slot at least label_h tall, and the chart grows to fit the
       fullest column, so labels never overlap. */
    for (int k = 0; k < ncol; k++) {
        double total = 0;
        for (size_t i = 0; i < nn; i++) {
            if (nodes[i].col != k)
                continue;
            nodes[i].h =
                scale * (double)(nodes[i].in > nodes[i].out ? nodes[i].in : nodes[i].out);
            if (nodes[i].h < 2)
                nodes[i].h = 2;
            total += (nodes[i].h > label_h ? nodes[i].h : label_h) + gap;
        }
        if (total - gap + top + 10 > height)
            height = total - gap + top + 10;
    }
    for (int k = 0; k < ncol; k++) {
        double y = 0, total = 0;
        colx[k] =
            margin + (width - 2 * margin - node_w - 150) * k / (ncol > 1 ? ncol - 1 : 1);
        for (size_t i = 0; i < nn; i++)
            if (nodes[i].col == k)
                total += (nodes[i].h > label_h ? nodes[i].h : label_h) + gap;
        y = top + (height - top - 10 - (total - gap)) / 2;
        for (size_t i = 0; i < nn; i++) {
            if (nodes[i].col != k)
                continue;
            nodes[i].y = y;
            y += (nodes[i].h > label_h ? nodes[i].h : label_h) + gap;
        }
    }
    arcs__buf_puts(b, "<svg class=\"chart flow\"");
    arcs__buf_puts(b, " role=\"img\" viewBox=\"0 0 ");
    arcs__svg_num(b, width);
    arcs__buf_puts(b, " ");
    arcs__svg_num(b, height);
    arcs__buf_puts(b, "\"");
    attr_num(b, "width", width);
    attr_num(b, "height", height);
    arcs__buf_puts(b, "><title>");
    arcs__html_escape(b, c->title);
    arcs__buf_puts(b, "</title>\n");
    for (size_t k = 0; k < c->ncolumns && (int)k < ncol; k++) {
        arcs__buf_puts(b, "<text class=\"col\"");
        attr_num(b, "x", colx[k]);
        attr_num(b, "y", 14);
        arcs__buf_puts(b, ">");
        arcs__html_escape(b, c->columns[k]);
        arcs__buf_puts(b, "</text>\n");
    }
    for (size_t i = 0; i < c->nflows; i++) {
        node *a = &nodes[from[i]], *z = &nodes[to[i]];
        double th = scale * (double)c->flows[i].value, x0, x1, xm, y0, y1;
        if (c->flows[i].col < 0 || c->flows[i].col > 6 || c->flows[i].value <= 0)
            continue;
        if (th < 1)
            th = 1;
        x0 = colx[a->col] + node_w;
        x1 = colx[z->col];
        xm = (x0 + x1) / 2;
        y0 = a->y + a->out_off;
        y1 = z->y + z->in_off;
        a->out_off += th;
        z->in_off += th;
        arcs__buf_printf(b, "<path fill=\"%s\" fill-opacity=\"0.35\" d=\"M",
                         palette[a->color]);
        arcs__svg_num(b, x0);
        arcs__buf_puts(b, " ");
        arcs__svg_num(b, y0);
        arcs__buf_puts(b, " C");
        arcs__svg_num(b, xm);
        arcs__buf_puts(b, " ");
        arcs__svg_num(b, y0);
        arcs__buf_puts(b, " ");
        arcs__svg_num(b, xm);
        arcs__buf_puts(b, " ");
        arcs__svg_num(b, y1);
        arcs__buf_puts(b, " ");
        arcs__svg_num(b, x1);
        arcs__buf_puts(b, " ");
        arcs__svg_num(b, y1);
        arcs__buf_puts(b, " L");
        arcs__svg_num(b, x1);
        arcs__buf_puts(b, " ");
        arcs__svg_num(b, y1 + th);
        arcs__buf_puts(b, " C");
        arcs__svg_num(b, xm);
        arcs__buf_puts(b, " ");
        arcs__svg_num(b, y1 + th);
        arcs__buf_puts(b, " ");
        arcs__svg_num(b, xm);
        arcs__buf_puts(b, " ");
        arcs__svg_num(b, y0 + th);
        arcs__buf_puts(b, " ");
        arcs__svg_num(b, x0);
        arcs__buf_puts(b, " ");
        arcs__svg_num(b, y0 + th);
        arcs__buf_puts(b, " Z\"><title>");
        arcs__html_escape(b, c->flows[i].from);
        arcs__buf_puts(b, " → ");
        arcs__html_escape(b, c->flows[i].to);
        value_text(text, sizeof(text), c, d, c->flows[i].value);
        arcs__buf_puts(b, ": ");
        arcs__html_escape(b, text);
        arcs__buf_puts(b, "</title></path>\n");
    }
    for (size_t i = 0; i < nn; i++) {
        node *x = &nodes[i];
        int64_t v = x->in > x->out ? x->in : x->out;
        arcs__buf_printf(b, "<rect fill=\"%s\"", palette[x->color]);
        attr_num(b, "x", colx[x->col]);
        attr_num(b, "y", x->y);
        attr_num(b, "width", node_w);
        attr_num(b, "height", x->h);
        arcs__buf_puts(b, "/><text class=\"node\"");
        attr_num(b, "x", colx[x->col] + node_w + 4);
        attr_num(b, "y", x->y + x->h / 2);
        arcs__buf_puts(b, "><tspan>");
        arcs__html_escape(b, x->name);
        arcs__buf_puts(b, "</tspan><tspan class=\"v\"");
        attr_num(b, "x", colx[x->col] + node_w + 4);
        arcs__buf_puts(b, " dy=\"12\">");
        value_text(text, sizeof(text), c, d, v);
        arcs__html_escape(b, text);
        arcs__buf_puts(b, "</tspan></text>\n");
    }
    arcs__buf_puts(b, "</svg>\n");
done:
    free(nodes);
    free(from);
    free(to);
}

void arcs__render_svg(rep_buf *b, const rep_chart *c, const rep_doc *d)
{
    if (c->kind == REP_CHART_FLOW)
        render_flow(b, c, d);
    else
        render_bars(b, c, d);
}
