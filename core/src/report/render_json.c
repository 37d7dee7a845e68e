/*
 * JSON: one document. Amounts are strings (decimal text in the base currency,
 * named once): no reader ever sees money as a float. Counts (orders, assets,
 * a year, a tree size) are JSON integers, far below 2^53 where they are exact.
 */
#include <cjson/cJSON.h>

#include "arcs/money.h"
#include "report_int.h"

static int add_val(cJSON *obj, const char *key, const rep_val *v)
{
    char buf[REP_NUM_MAX];

    if (v->type == REP_NULL)
        return cJSON_AddNullToObject(obj, key) != NULL;
    if (v->type == REP_TEXT)
        return cJSON_AddStringToObject(obj, key, v->text ? v->text : "") != NULL;
    if (v->type == REP_COUNT)
        return cJSON_AddNumberToObject(obj, key, (double)v->n) != NULL;
    return cJSON_AddStringToObject(obj, key, arcs__val_str(v, buf, 0)) != NULL;
}

void arcs__render_json(rep_buf *b, const rep_doc *d)
{
    cJSON *doc = cJSON_CreateObject(), *cp, *arr, *row;
    char *text = NULL;
    int ok = doc != NULL;

    ok = ok && cJSON_AddStringToObject(doc, "report", d->kind);
    ok = ok && cJSON_AddStringToObject(doc, "title", d->title ? d->title : "");
    ok = ok && cJSON_AddStringToObject(doc, "currency", d->currency);
    ok = ok && cJSON_AddStringToObject(doc, "generated_at", d->generated);
    cp = ok ? cJSON_AddObjectToObject(doc, "checkpoint") : NULL;
    ok = ok && cp;
    ok = ok && cJSON_AddNumberToObject(cp, "size", (double)d->cp_size);
    ok = ok && cJSON_AddStringToObject(cp, "root", d->cp_root);
    ok = ok && cJSON_AddBoolToObject(cp, "signed", d->cp_signed);
    ok = ok && cJSON_AddStringToObject(cp, "kind",
                                       !d->has_log  ? "no audit log"
                                       : d->cp_kind ? d->cp_kind
                                                    : "");
    if (ok && d->cp_note)
        ok = cJSON_AddStringToObject(cp, "note", d->cp_note) != NULL;
    for (size_t i = 0; ok && i < d->nfields; i++)
        ok = add_val(doc, d->fields[i].key, &d->fields[i].v);
    for (size_t i = 0; ok && i < d->ntables; i++) {
        const rep_table *t = d->tables[i];
        arr = cJSON_AddArrayToObject(doc, t->key);
        ok = arr != NULL;
        for (size_t r = 0; ok && r < t->nrows; r++) {
            row = cJSON_CreateObject();
            ok = row && cJSON_AddItemToArray(arr, row);
            for (size_t c = 0; ok && c < t->ncols; c++)
                ok = add_val(row, t->cols[c].key, &t->cells[r * t->ncols + c]);
        }
    }
    if (ok && d->nnotes) {
        arr = cJSON_AddArrayToObject(doc, "notes");
        ok = arr != NULL;
        for (size_t i = 0; ok && i < d->nnotes; i++)
            ok = cJSON_AddItemToArray(arr, cJSON_CreateString(d->notes[i]));
    }
    if (ok)
        text = cJSON_PrintUnformatted(doc);
    if (!text) {
        b->oom = 1;
    } else {
        arcs__buf_puts(b, text);
        arcs__buf_puts(b, "\n");
        cJSON_free(text);
    }
    cJSON_Delete(doc);
}
