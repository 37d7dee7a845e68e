/* Markdown: headings, a figures list and pipe tables (GitHub flavour). */
#include <stdio.h>
#include <string.h>

#include "arcs/money.h"
#include "report_int.h"

static void md_val(rep_buf *b, const rep_val *v)
{
    char num[REP_NUM_MAX];
    const char *s = arcs__val_str(v, num, 1);

    /* money and counts are the renderer's own digits: written as they are
       (escaping their '.' and '-' would only clutter them) */
    if (v->type == REP_MONEY || v->type == REP_COUNT)
        arcs__buf_puts(b, s);
    else
        arcs__md_cell(b, s);
}

void arcs__render_md(rep_buf *b, const rep_doc *d)
{
    arcs__buf_puts(b, "# ");
    arcs__md_cell(b, d->title ? d->title : d->kind);
    arcs__buf_puts(b, "\n\n");
    if (d->subtitle) {
        arcs__md_cell(b, d->subtitle);
        arcs__buf_puts(b, "\n\n");
    }
    if (d->has_log)
        arcs__buf_printf(b,
                         "Generated %s at audit %s of size %lld, root `%s`.\n"
                         "Amounts in %s unless marked.\n\n",
                         d->generated, d->cp_kind ? d->cp_kind : "",
                         (long long)d->cp_size, d->cp_root, d->currency);
    else
        arcs__buf_printf(
            b, "Generated %s; the database has no audit log yet. Amounts in %s.\n\n",
            d->generated, d->currency);
    if (d->nfields) {
        arcs__buf_puts(b, "## Summary\n\n");
        for (size_t i = 0; i < d->nfields; i++) {
            arcs__buf_puts(b, "- **");
            arcs__md_cell(b, d->fields[i].label);
            arcs__buf_puts(b, "**: ");
            md_val(b, &d->fields[i].v);
            arcs__buf_puts(b, "\n");
        }
        arcs__buf_puts(b, "\n");
    }
    for (size_t i = 0; i < d->ntables; i++) {
        const rep_table *t = d->tables[i];
        arcs__buf_puts(b, "## ");
        arcs__md_cell(b, t->title);
        arcs__buf_puts(b, "\n\n");
        if (t->nrows == 0) {
            arcs__buf_puts(b, "None.\n\n");
            continue;
        }
        arcs__buf_puts(b, "|");
        for (size_t c = 0; c < t->ncols; c++) {
            arcs__buf_puts(b, " ");
            arcs__md_cell(b, t->cols[c].label);
            arcs__buf_puts(b, " |");
        }
        arcs__buf_puts(b, "\n|");
        for (size_t c = 0; c < t->ncols; c++) {
            int right = t->nrows && t->cells[c].type == REP_MONEY;
            arcs__buf_puts(b, right ? " ---: |" : " --- |");
        }
        arcs__buf_puts(b, "\n");
        for (size_t r = 0; r < t->nrows; r++) {
            arcs__buf_puts(b, "|");
            for (size_t c = 0; c < t->ncols; c++) {
                arcs__buf_puts(b, " ");
                md_val(b, &t->cells[r * t->ncols + c]);
                arcs__buf_puts(b, " |");
            }
            arcs__buf_puts(b, "\n");
        }
        arcs__buf_puts(b, "\n");
    }
    if (d->nnotes) {
        arcs__buf_puts(b, "## Notes\n\n");
        for (size_t i = 0; i < d->nnotes; i++) {
            arcs__buf_puts(b, "- ");
            arcs__md_cell(b, d->notes[i]);
            arcs__buf_puts(b, "\n");
        }
    }
}
