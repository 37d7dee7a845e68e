/*
 * CSV (RFC 4180): CRLF line ends, a header row, every record the same four
 * fields. A report holds several tables of different shapes, so it is
 * written in long form: section, row, field, value. "summary" rows carry the
 * report's figures; each table row becomes one record per column, numbered
 * from 1. Amounts are decimal text in the base currency (the "currency" row).
 */
#include <stdio.h>

#include "arcs/money.h"
#include "report_int.h"

static void record_v(rep_buf *b, const char *section, const char *row, const char *field,
                     const char *value, int number)
{
    arcs__csv_field(b, section);
    arcs__buf_puts(b, ",");
    arcs__csv_field(b, row);
    arcs__buf_puts(b, ",");
    arcs__csv_field(b, field);
    arcs__buf_puts(b, ",");
    if (number)
        arcs__csv_number(b, value);
    else
        arcs__csv_field(b, value);
    arcs__buf_puts(b, "\r\n");
}

static void record(rep_buf *b, const char *section, const char *row, const char *field,
                   const char *value)
{
    record_v(b, section, row, field, value, 0);
}

/* A value: text guarded, money and counts as numbers. */
static void record_val(rep_buf *b, const char *section, const char *row,
                       const char *field, const rep_val *v)
{
    char num[REP_NUM_MAX];
    const char *s = arcs__val_str(v, num, 0);

    record_v(b, section, row, field, s, v->type == REP_MONEY || v->type == REP_COUNT);
}

void arcs__render_csv(rep_buf *b, const rep_doc *d)
{
    char num[32];

    record(b, "section", "row", "field", "value");
    record(b, "report", "", "report", d->kind);
    record(b, "report", "", "title", d->title ? d->title : "");
    record(b, "report", "", "currency", d->currency);
    record(b, "report", "", "generated_at", d->generated);
    snprintf(num, sizeof(num), "%lld", (long long)d->cp_size);
    record_v(b, "checkpoint", "", "size", num, 1);
    record(b, "checkpoint", "", "root", d->cp_root);
    record(b, "checkpoint", "", "signed", d->cp_signed ? "true" : "false");
    for (size_t i = 0; i < d->nfields; i++) {
        record_val(b, "summary", "", d->fields[i].key, &d->fields[i].v);
    }
    for (size_t i = 0; i < d->ntables; i++) {
        const rep_table *t = d->tables[i];
        for (size_t r = 0; r < t->nrows; r++) {
            snprintf(num, sizeof(num), "%zu", r + 1);
            for (size_t c = 0; c < t->ncols; c++) {
                record_val(b, t->key, num, t->cols[c].key, &t->cells[r * t->ncols + c]);
            }
        }
    }
    for (size_t i = 0; i < d->nnotes; i++) {
        snprintf(num, sizeof(num), "%zu", i + 1);
        record(b, "notes", num, "note", d->notes[i]);
    }
}
