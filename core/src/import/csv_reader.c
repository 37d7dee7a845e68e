/*
 * A strict RFC 4180 reader, written here rather than taken from libcsv
 * because import must name the physical line where each record starts
 * (counting newlines inside quoted fields), refuse malformed quoting instead
 * of repairing it, skip a UTF-8 BOM and validate UTF-8 per field: libcsv
 * reports none of the positions and is lenient by default.
 */
#include <stdlib.h>
#include <string.h>

#include "import_int.h"

#define INBUF_SIZE ((size_t)64 * 1024)

enum state { S_FIELD_START, S_UNQUOTED, S_QUOTED, S_QUOTE_IN_QUOTED, S_CR };

struct arcs__csv {
    arcs__read_fn fn;
    void *arg;
    char *in;
    size_t inpos, inlen;
    int eof, started, broken;
    uint64_t line; /* physical line of the next byte */
    char *arena;   /* the record's fields, each followed by a NUL */
    size_t alen, acap;
    size_t starts[ARCS__CSV_MAX_FIELDS];
    char *fields[ARCS__CSV_MAX_FIELDS];
    size_t lens[ARCS__CSV_MAX_FIELDS];
    size_t nfields;
};

long arcs__memsrc_read(void *arg, char *buf, size_t cap)
{
    arcs__memsrc *m = arg;
    size_t n = m->len - m->pos;

    if (n > cap)
        n = cap;
    if (m->step && n > m->step)
        n = m->step;
    memcpy(buf, m->data + m->pos, n);
    m->pos += n;
    return (long)n;
}

int arcs__text_check(const char *buf, size_t len, size_t *bad, int *nul)
{
    const unsigned char *s = (const unsigned char *)buf;
    size_t i = 0;

    *nul = 0;
    while (i < len) {
        unsigned c = s[i];
        size_t need;
        uint32_t cp, min;

        if (c == 0) {
            *nul = 1;
            *bad = i;
            return 1;
        }
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            need = 1, cp = c & 0x1F, min = 0x80;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2, cp = c & 0x0F, min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3, cp = c & 0x07, min = 0x10000;
        } else {
            *bad = i;
            return 1;
        }
        if (len - i <= need) {
            *bad = i;
            return 1;
        }
        for (size_t k = 1; k <= need; k++) {
            if ((s[i + k] & 0xC0) != 0x80) {
                *bad = i;
                return 1;
            }
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            *bad = i;
            return 1;
        }
        i += need + 1;
    }
    return 0;
}

size_t arcs__utf8_chars(const char *buf, size_t len)
{
    size_t n = 0;

    for (size_t i = 0; i < len; i++)
        if (((unsigned char)buf[i] & 0xC0) != 0x80)
            n++;
    return n;
}

arcs__csv *arcs__csv_new(arcs__read_fn fn, void *arg)
{
    arcs__csv *c = calloc(1, sizeof(*c));

    if (!c)
        return NULL;
    c->in = malloc(INBUF_SIZE);
    c->acap = 4096;
    c->arena = malloc(c->acap);
    if (!c->in || !c->arena) {
        arcs__csv_free(c);
        return NULL;
    }
    c->fn = fn;
    c->arg = arg;
    c->line = 1;
    return c;
}

void arcs__csv_free(arcs__csv *c)
{
    if (!c)
        return;
    free(c->in);
    free(c->arena);
    free(c);
}

/* 1 when a byte is ready in the input buffer, 0 at the end, -1 on error. */
static int fill(arcs__csv *c)
{
    long n;

    if (c->inpos < c->inlen)
        return 1;
    if (c->eof)
        return 0;
    n = c->fn(c->arg, c->in, INBUF_SIZE);
    if (n < 0)
        return -1;
    c->inpos = 0;
    c->inlen = (size_t)n;
    if (n == 0) {
        c->eof = 1;
        return 0;
    }
    return 1;
}

static arcs_status put(arcs__csv *c, char ch, uint64_t start, arcs_err *err)
{
    if (c->alen + 2 > c->acap) {
        size_t cap = c->acap * 2;
        char *p;

        if (c->alen + 2 > ARCS__CSV_MAX_RECORD)
            return arcs_err_set(err, ARCS_EINVAL,
                                "line %llu: the record is longer than %zu bytes; is a "
                                "quote left open?",
                                (unsigned long long)start, ARCS__CSV_MAX_RECORD);
        p = realloc(c->arena, cap);
        if (!p)
            return arcs_err_set(err, ARCS_ERROR, "out of memory reading a CSV record");
        c->arena = p;
        c->acap = cap;
    }
    c->arena[c->alen++] = ch;
    return ARCS_OK;
}

static arcs_status end_field(arcs__csv *c, uint64_t start, arcs_err *err)
{
    arcs_status st;

    if (c->nfields >= ARCS__CSV_MAX_FIELDS)
        return arcs_err_set(err, ARCS_EINVAL, "line %llu: more than %d fields",
                            (unsigned long long)start, ARCS__CSV_MAX_FIELDS);
    c->lens[c->nfields] = c->alen - c->starts[c->nfields];
    st = put(c, '\0', start, err);
    if (st != ARCS_OK)
        return st;
    c->nfields++;
    if (c->nfields < ARCS__CSV_MAX_FIELDS)
        c->starts[c->nfields] = c->alen;
    return ARCS_OK;
}

static void finish_record(arcs__csv *c, arcs__csv_record *rec, uint64_t start)
{
    rec->line = start;
    rec->nfields = c->nfields;
    rec->fields = c->fields;
    rec->lens = c->lens;
    rec->bad_field = -1;
    rec->bad_offset = 0;
    rec->bad_nul = 0;
    for (size_t i = 0; i < c->nfields; i++) {
        c->fields[i] = c->arena + c->starts[i];
        if (rec->bad_field < 0 &&
            arcs__text_check(c->fields[i], c->lens[i], &rec->bad_offset, &rec->bad_nul))
            rec->bad_field = (long)i;
    }
}

arcs_status arcs__csv_next(arcs__csv *c, arcs__csv_record *rec, arcs_err *err)
{
    arcs_status st = ARCS_OK;
    enum state s = S_FIELD_START;
    uint64_t start = 0;
    int r, any = 0;

    memset(rec, 0, sizeof(*rec));
    rec->bad_field = -1;
    if (c->broken) {
        st = arcs_err_set(err, ARCS_EINVAL, "the CSV reader stopped at an earlier error");
        goto done;
    }
    c->alen = 0;
    c->nfields = 0;
    c->starts[0] = 0;
    if (!c->started) {
        c->started = 1;
        /* a BOM may straddle reads: gather three bytes first */
        while (c->inlen - c->inpos < 3 && !c->eof) {
            long n;
            if (c->inpos > 0) {
                memmove(c->in, c->in + c->inpos, c->inlen - c->inpos);
                c->inlen -= c->inpos;
                c->inpos = 0;
            }
            n = c->fn(c->arg, c->in + c->inlen, INBUF_SIZE - c->inlen);
            if (n < 0) {
                st = arcs_err_set(err, ARCS_ERROR, "cannot read the file");
                goto done;
            }
            if (n == 0)
                c->eof = 1;
            c->inlen += (size_t)n;
        }
        if (c->inlen - c->inpos >= 3 && !memcmp(c->in + c->inpos, "\xEF\xBB\xBF", 3))
            c->inpos += 3;
    }
    for (;;) {
        char ch;

        r = fill(c);
        if (r < 0) {
            st = arcs_err_set(err, ARCS_ERROR, "cannot read the file");
            goto done;
        }
        if (r == 0) {
            if (s == S_QUOTED) {
                st =
                    arcs_err_set(err, ARCS_EINVAL,
                                 "line %llu: a quoted field is never closed; end it with "
                                 "a double quote",
                                 (unsigned long long)start);
                goto done;
            }
            if (s == S_CR) {
                st = arcs_err_set(err, ARCS_EINVAL,
                                  "line %llu: a carriage return not followed by a line "
                                  "feed; end lines with LF or CRLF",
                                  (unsigned long long)c->line);
                goto done;
            }
            if (any) {
                st = end_field(c, start, err);
                if (st == ARCS_OK)
                    finish_record(c, rec, start);
            }
            goto done;
        }
        ch = c->in[c->inpos++];
        if (!any) {
            if (ch == '\n') { /* an empty line: skip it */
                c->line++;
                s = S_FIELD_START;
                continue;
            }
            if (ch == '\r') {
                s = S_CR;
                continue;
            }
            if (s == S_CR) {
                st = arcs_err_set(err, ARCS_EINVAL,
                                  "line %llu: a carriage return not followed by a line "
                                  "feed; end lines with LF or CRLF",
                                  (unsigned long long)c->line);
                goto done;
            }
            any = 1;
            start = c->line;
        }
        switch (s) {
        case S_FIELD_START:
            if (ch == '"') {
                s = S_QUOTED;
                break;
            }
            s = S_UNQUOTED;
            /* fall through */
        case S_UNQUOTED:
            if (ch == ',') {
                st = end_field(c, start, err);
                s = S_FIELD_START;
            } else if (ch == '\r') {
                s = S_CR;
            } else if (ch == '\n') {
                c->line++;
                st = end_field(c, start, err);
                if (st == ARCS_OK)
                    finish_record(c, rec, start);
                goto done;
            } else if (ch == '"') {
                st = arcs_err_set(err, ARCS_EINVAL,
                                  "line %llu: a double quote inside an unquoted field; "
                                  "quote the whole field and double the quote",
                                  (unsigned long long)c->line);
            } else {
                st = put(c, ch, start, err);
            }
            break;
        case S_QUOTED:
            if (ch == '"') {
                s = S_QUOTE_IN_QUOTED;
            } else {
                if (ch == '\n')
                    c->line++;
                st = put(c, ch, start, err);
            }
            break;
        case S_QUOTE_IN_QUOTED:
            if (ch == '"') {
                st = put(c, '"', start, err);
                s = S_QUOTED;
            } else if (ch == ',') {
                st = end_field(c, start, err);
                s = S_FIELD_START;
            } else if (ch == '\r') {
                s = S_CR;
            } else if (ch == '\n') {
                c->line++;
                st = end_field(c, start, err);
                if (st == ARCS_OK)
                    finish_record(c, rec, start);
                goto done;
            } else {
                st = arcs_err_set(err, ARCS_EINVAL,
                                  "line %llu: text after a closing quote; a quote inside "
                                  "a quoted field is written twice (\"\")",
                                  (unsigned long long)c->line);
            }
            break;
        case S_CR:
            if (ch != '\n') {
                st = arcs_err_set(err, ARCS_EINVAL,
                                  "line %llu: a carriage return not followed by a line "
                                  "feed; end lines with LF or CRLF",
                                  (unsigned long long)c->line);
                break;
            }
            c->line++;
            st = end_field(c, start, err);
            if (st == ARCS_OK)
                finish_record(c, rec, start);
            goto done;
        }
        if (st != ARCS_OK)
            goto done;
    }
done:
    if (st != ARCS_OK) {
        c->broken = 1;
        rec->nfields = 0;
    }
    return st;
}
