/* A plain aligned text table for the default (human) output. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct cli_table {
    int ncols;
    size_t nrows, cap;
    char **cells; /* nrows * ncols, row 0 = headers */
};

static int add_row(cli_table *t, const char *const *cells)
{
    if (t->nrows == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        char **p = realloc(t->cells, cap * (size_t)t->ncols * sizeof(*p));
        if (!p)
            return -1;
        t->cells = p;
        t->cap = cap;
    }
    for (int c = 0; c < t->ncols; c++)
        /* escaped whole: a value can neither reach the terminal's controls
           nor break the table's lines */
        t->cells[t->nrows * (size_t)t->ncols + (size_t)c] =
            arcs_term_text(cells[c] ? cells[c] : "", ARCS_TERM_BACKSLASH);
    t->nrows++;
    return 0;
}

cli_table *cli_table_new(int ncols, const char *const *headers)
{
    cli_table *t = calloc(1, sizeof(*t));

    if (!t)
        return NULL;
    t->ncols = ncols;
    if (add_row(t, headers) != 0) {
        free(t);
        return NULL;
    }
    return t;
}

void cli_table_add(cli_table *t, const char *const *cells)
{
    if (t)
        add_row(t, cells);
}

/* Display width in characters of UTF-8 text (continuation bytes do not count). */
static size_t width(const char *s)
{
    size_t w = 0;

    for (; s && *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            w++;
    return w;
}

void cli_table_print(cli_table *t, FILE *out)
{
    size_t *w;

    if (!t)
        return;
    w = calloc((size_t)t->ncols, sizeof(*w));
    if (!w)
        return;
    for (size_t r = 0; r < t->nrows; r++)
        for (int c = 0; c < t->ncols; c++) {
            size_t x = width(t->cells[r * (size_t)t->ncols + (size_t)c]);
            if (x > w[c])
                w[c] = x;
        }
    for (size_t r = 0; r < t->nrows; r++) {
        for (int c = 0; c < t->ncols; c++) {
            const char *s = t->cells[r * (size_t)t->ncols + (size_t)c];
            fputs(s ? s : "", out);
            if (c + 1 < t->ncols)
                for (size_t k = width(s); k < w[c] + 2; k++)
                    fputc(' ', out);
        }
        fputc('\n', out);
    }
    free(w);
}

void cli_table_free(cli_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nrows * (size_t)t->ncols; i++)
        free(t->cells[i]);
    free(t->cells);
    free(t);
}
