/*
 * A one-pass reader of import documents: {"cases": [{...}, ...], "assets":
 * [...]}. Not a general JSON parser: the grammar it accepts has a fixed
 * depth (document, section array, row object, list of strings), so nesting
 * cannot grow the stack, and it never holds more than one row. cJSON is not
 * used: it needs the whole text in memory, keeps duplicate keys and looks
 * keys up without regard to case.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import_int.h"
#include "../hex_int.h"

#define INBUF_SIZE ((size_t)64 * 1024)

enum jstate { J_START, J_KEY, J_ROW, J_AFTER_ROW, J_AFTER_SECTION, J_END, J_DONE };

struct arcs__jreader {
    arcs__read_fn fn;
    void *arg;
    const char *const *sections;
    unsigned seen; /* bit i: sections[i] already read */
    char *in;
    size_t inpos, inlen;
    int eof, broken;
    uint64_t offset, line; /* of the next byte */
    enum jstate state;
    const char *section;
    uint64_t index;
    char *arena; /* the row's keys and values, NUL-terminated */
    size_t alen, acap;
    size_t koff[ARCS__JSON_MAX_FIELDS], voff[ARCS__JSON_MAX_FIELDS];
    int isnull[ARCS__JSON_MAX_FIELDS];
};

arcs__jreader *arcs__jreader_new(arcs__read_fn fn, void *arg, const char *const *sections)
{
    arcs__jreader *j = calloc(1, sizeof(*j));

    if (!j)
        return NULL;
    j->in = malloc(INBUF_SIZE);
    j->acap = 4096;
    j->arena = malloc(j->acap);
    if (!j->in || !j->arena) {
        arcs__jreader_free(j);
        return NULL;
    }
    j->fn = fn;
    j->arg = arg;
    j->sections = sections;
    j->line = 1;
    return j;
}

void arcs__jreader_free(arcs__jreader *j)
{
    if (!j)
        return;
    free(j->in);
    free(j->arena);
    free(j);
}

/* The next byte without taking it: 0..255, -1 at the end, -2 on a read error. */
static int peek(arcs__jreader *j)
{
    if (j->inpos >= j->inlen) {
        long n;
        if (j->eof)
            return -1;
        n = j->fn(j->arg, j->in, INBUF_SIZE);
        if (n < 0)
            return -2;
        if (n == 0) {
            j->eof = 1;
            return -1;
        }
        j->inpos = 0;
        j->inlen = (size_t)n;
    }
    return (unsigned char)j->in[j->inpos];
}

static int get(arcs__jreader *j)
{
    int c = peek(j);

    if (c >= 0) {
        j->inpos++;
        j->offset++;
        if (c == '\n')
            j->line++;
    }
    return c;
}

static int skip_ws(arcs__jreader *j)
{
    int c;

    while ((c = peek(j)) == ' ' || c == '\t' || c == '\n' || c == '\r')
        get(j);
    return c;
}

/* An error at the current position, outside any row. */
static arcs_status at(arcs__jreader *j, arcs_err *err, const char *what, int c)
{
    if (c == -2)
        return arcs_err_set(err, ARCS_ERROR, "cannot read the file");
    if (c == -1)
        return arcs_err_set(
            err, ARCS_EINVAL, "line %llu, byte %llu: the JSON document ends early; %s",
            (unsigned long long)j->line, (unsigned long long)j->offset, what);
    return arcs_err_set(err, ARCS_EINVAL, "line %llu, byte %llu: %s",
                        (unsigned long long)j->line, (unsigned long long)j->offset, what);
}

static arcs_status put(arcs__jreader *j, char ch, arcs_err *err)
{
    if (j->alen + 1 > j->acap) {
        size_t cap = j->acap * 2;
        char *p;

        if (cap > 4 * ARCS__JSON_MAX_STRING)
            return arcs_err_set(err, ARCS_EINVAL,
                                "%s[%llu]: the row is longer than %zu bytes",
                                j->section ? j->section : "document",
                                (unsigned long long)j->index, 4 * ARCS__JSON_MAX_STRING);
        p = realloc(j->arena, cap);
        if (!p)
            return arcs_err_set(err, ARCS_ERROR, "out of memory reading JSON");
        j->arena = p;
        j->acap = cap;
    }
    j->arena[j->alen++] = ch;
    return ARCS_OK;
}

static arcs_status read_hex4(arcs__jreader *j, unsigned *out, arcs_err *err)
{
    unsigned v = 0;

    for (int i = 0; i < 4; i++) {
        int c = get(j), h = arcs__hex_digit(c);
        if (h < 0)
            return at(j, err, "a \\u escape needs four hex digits", c);
        v = (v << 4) | (unsigned)h;
    }
    *out = v;
    return ARCS_OK;
}

static arcs_status put_utf8(arcs__jreader *j, unsigned cp, arcs_err *err)
{
    arcs_status st = ARCS_OK;

    if (cp < 0x80) {
        st = put(j, (char)cp, err);
    } else if (cp < 0x800) {
        if ((st = put(j, (char)(0xC0 | (cp >> 6)), err)) == ARCS_OK)
            st = put(j, (char)(0x80 | (cp & 0x3F)), err);
    } else if (cp < 0x10000) {
        if ((st = put(j, (char)(0xE0 | (cp >> 12)), err)) == ARCS_OK &&
            (st = put(j, (char)(0x80 | ((cp >> 6) & 0x3F)), err)) == ARCS_OK)
            st = put(j, (char)(0x80 | (cp & 0x3F)), err);
    } else {
        if ((st = put(j, (char)(0xF0 | (cp >> 18)), err)) == ARCS_OK &&
            (st = put(j, (char)(0x80 | ((cp >> 12) & 0x3F)), err)) == ARCS_OK &&
            (st = put(j, (char)(0x80 | ((cp >> 6) & 0x3F)), err)) == ARCS_OK)
            st = put(j, (char)(0x80 | (cp & 0x3F)), err);
    }
    return st;
}

/* Read a string (the opening quote already taken) into the arena, with a
   closing NUL; *len gets its byte length. */
static arcs_status read_string(arcs__jreader *j, size_t *len, arcs_err *err)
{
    arcs_status st = ARCS_OK;
    size_t begin = j->alen, bad;
    int c, nul;

    for (;;) {
        c = get(j);
        if (c < 0)
            return at(j, err, "a string is never closed", c);
        if (c == '"')
            break;
        if (c < 0x20)
            return at(j, err, "a control character inside a string; escape it (\\n, \\t)",
                      c);
        if (j->alen - begin > ARCS__JSON_MAX_STRING)
            return at(j, err, "a string longer than 1 MiB", c);
        if (c != '\\') {
            if ((st = put(j, (char)c, err)) != ARCS_OK)
                return st;
            continue;
        }
        c = get(j);
        switch (c) {
        case '"':
        case '\\':
        case '/':
            st = put(j, (char)c, err);
            break;
        case 'b':
            st = put(j, '\b', err);
            break;
        case 'f':
            st = put(j, '\f', err);
            break;
        case 'n':
            st = put(j, '\n', err);
            break;
        case 'r':
            st = put(j, '\r', err);
            break;
        case 't':
            st = put(j, '\t', err);
            break;
        case 'u': {
            unsigned cp, lo;
            if ((st = read_hex4(j, &cp, err)) != ARCS_OK)
                return st;
            if (cp >= 0xDC00 && cp <= 0xDFFF)
                return at(j, err, "a lone low surrogate in a \\u escape", 0);
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                if (get(j) != '\\' || get(j) != 'u')
                    return at(j, err,
                              "a high surrogate \\u escape not followed by a low one", 0);
                if ((st = read_hex4(j, &lo, err)) != ARCS_OK)
                    return st;
                if (lo < 0xDC00 || lo > 0xDFFF)
                    return at(j, err,
                              "a high surrogate \\u escape not followed by a low one", 0);
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            }
            st = put_utf8(j, cp, err);
            break;
        }
        default:
            return at(j, err, "an unknown escape in a string", c);
        }
        if (st != ARCS_OK)
            return st;
    }
    *len = j->alen - begin;
    if (arcs__text_check(j->arena + begin, *len, &bad, &nul))
        return at(j, err,
                  nul ? "a string holds a NUL character, which text fields cannot hold"
                      : "a string is not valid UTF-8",
                  0);
    return put(j, '\0', err);
}

static const char *kind_of(int c)
{
    if (c == '-' || (c >= '0' && c <= '9'))
        return "a JSON number";
    if (c == 't' || c == 'f')
        return "true/false";
    if (c == '{')
        return "an object";
    if (c == '[')
        return "an array";
    return "not a JSON value";
}

/* Read the literal "null" (its 'n' not yet taken). */
static int read_null(arcs__jreader *j)
{
    return get(j) == 'n' && get(j) == 'u' && get(j) == 'l' && get(j) == 'l';
}

static arcs_status row_fail(arcs__jreader *j, arcs_err *err, const char *key,
                            const char *what)
{
    return arcs_err_set(err, ARCS_EINVAL, "%s[%llu]%s%s: %s (line %llu)", j->section,
                        (unsigned long long)j->index, key ? "." : "", key ? key : "",
                        what, (unsigned long long)j->line);
}

/* Read one row object (its '{' already taken). */
static arcs_status read_row(arcs__jreader *j, arcs__jrow *row, arcs_err *err)
{
    arcs_status st = ARCS_OK;
    size_t n = 0, len;
    int c;

    j->alen = 0;
    c = skip_ws(j);
    if (c == '}') {
        get(j);
        goto out;
    }
    for (;;) {
        const char *key;
        char why[160];

        c = get(j);
        if (c != '"')
            return c < -1 ? at(j, err, "", c)
                          : row_fail(j, err, NULL, "expected a key in double quotes");
        if (n >= ARCS__JSON_MAX_FIELDS)
            return row_fail(j, err, NULL, "too many keys in one row");
        j->koff[n] = j->alen;
        if ((st = read_string(j, &len, err)) != ARCS_OK)
            return st;
        key = j->arena + j->koff[n];
        for (size_t k = 0; k < n; k++)
            if (!strcmp(j->arena + j->koff[k], key))
                return row_fail(j, err, key, "the key appears twice in the row");
        c = skip_ws(j);
        if (c != ':')
            return row_fail(j, err, key, "expected ':' after the key");
        get(j);
        c = skip_ws(j);
        j->isnull[n] = 0;
        row->is_array[n] = 0;
        if (c == '"') {
            get(j);
            j->voff[n] = j->alen;
            if ((st = read_string(j, &row->lens[n], err)) != ARCS_OK)
                return st;
        } else if (c == 'n') {
            if (!read_null(j))
                return row_fail(j, err, key, "not a JSON value");
            j->isnull[n] = 1;
            row->lens[n] = 0;
        } else if (c == '[') {
            /* a list of strings, kept as the ';'-joined text files use */
            size_t items = 0;
            get(j);
            row->is_array[n] = 1;
            j->voff[n] = j->alen;
            c = skip_ws(j);
            if (c == ']') {
                get(j);
            } else {
                for (;;) {
                    c = get(j);
                    if (c != '"') {
                        snprintf(why, sizeof(why), "the list holds %s; write strings",
                                 kind_of(c));
                        return row_fail(j, err, key, why);
                    }
                    if (items++ && (st = put(j, ';', err)) != ARCS_OK)
                        return st;
                    if ((st = read_string(j, &len, err)) != ARCS_OK)
                        return st;
                    j->alen--; /* drop the NUL: the next item follows */
                    c = skip_ws(j);
                    get(j);
                    if (c == ']')
                        break;
                    if (c != ',')
                        return row_fail(j, err, key, "expected ',' or ']' in the list");
                    skip_ws(j);
                }
            }
            row->lens[n] = j->alen - j->voff[n];
            if ((st = put(j, '\0', err)) != ARCS_OK)
                return st;
        } else {
            snprintf(why, sizeof(why), "%s; every value is a string%s", kind_of(c),
                     c == '-' || (c >= '0' && c <= '9')
                         ? " (write amounts as \"1250000.00\")"
                         : "");
            return c < -1 ? at(j, err, "", c) : row_fail(j, err, key, why);
        }
        n++;
        c = skip_ws(j);
        get(j);
        if (c == '}')
            break;
        if (c != ',')
            return row_fail(j, err, NULL, "expected ',' or '}' after a value");
        skip_ws(j);
    }
out:
    row->nfields = n;
    for (size_t k = 0; k < n; k++) {
        row->keys[k] = j->arena + j->koff[k];
        row->values[k] = j->isnull[k] ? NULL : j->arena + j->voff[k];
    }
    row->section = j->section;
    row->index = j->index;
    return st;
}

static arcs_status next(arcs__jreader *j, arcs__jrow *row, arcs_err *err)
{
    arcs_status st;
    size_t len;
    int c;

    for (;;) {
        switch (j->state) {
        case J_START:
            if (peek(j) == 0xEF) { /* RFC 8259 §8.1: a BOM may be ignored */
                get(j);
                if (get(j) != 0xBB || get(j) != 0xBF)
                    return at(j, err, "the file is not UTF-8 text", 0);
            }
            c = skip_ws(j);
            if (c != '{')
                return at(j, err,
                          "the top level must be an object {\"cases\": [...], "
                          "\"assets\": [...]}",
                          c);
            get(j);
            c = skip_ws(j);
            if (c == '}') {
                get(j);
                j->state = J_END;
            } else {
                j->state = J_KEY;
            }
            break;
        case J_KEY: {
            size_t i;
            c = get(j);
            if (c != '"')
                return at(j, err, "expected a section name in double quotes", c);
            j->alen = 0;
            if ((st = read_string(j, &len, err)) != ARCS_OK)
                return st;
            for (i = 0; j->sections[i]; i++)
                if (!strcmp(j->sections[i], j->arena))
                    break;
            if (!j->sections[i] || i >= 8 * sizeof(j->seen)) {
                char msg[200];
                snprintf(msg, sizeof(msg),
                         "top-level key '%.60s' is not a section; write \"cases\" or "
                         "\"assets\"",
                         j->arena);
                return at(j, err, msg, 0);
            }
            if (j->seen & (1u << i))
                return at(j, err, "a section appears twice in the document", 0);
            j->seen |= 1u << i;
            j->section = j->sections[i];
            if (skip_ws(j) != ':')
                return at(j, err, "expected ':' after the section name", peek(j));
            get(j);
            c = skip_ws(j);
            if (c != '[') {
                char msg[200];
                snprintf(msg, sizeof(msg), "section '%s' must be an array of objects",
                         j->section);
                return at(j, err, msg, c);
            }
            get(j);
            j->index = 0;
            c = skip_ws(j);
            if (c == ']') {
                get(j);
                j->state = J_AFTER_SECTION;
            } else {
                j->state = J_ROW;
            }
            break;
        }
        case J_ROW:
            c = skip_ws(j);
            if (c != '{') {
                char msg[200];
                snprintf(msg, sizeof(msg), "%s[%llu] is %s; each row is an object",
                         j->section, (unsigned long long)j->index,
                         c == '"' ? "a string" : kind_of(c));
                return at(j, err, msg, c);
            }
            get(j);
            j->state = J_AFTER_ROW;
            return read_row(j, row, err);
        case J_AFTER_ROW:
            c = skip_ws(j);
            get(j);
            if (c == ',') {
                j->index++;
                j->state = J_ROW;
            } else if (c == ']') {
                j->state = J_AFTER_SECTION;
            } else {
                return at(j, err, "expected ',' or ']' after a row", c);
            }
            break;
        case J_AFTER_SECTION:
            c = skip_ws(j);
            get(j);
            if (c == ',') {
                skip_ws(j);
                j->state = J_KEY;
            } else if (c == '}') {
                j->state = J_END;
            } else {
                return at(j, err, "expected ',' or '}' after a section", c);
            }
            break;
        case J_END:
            c = skip_ws(j);
            if (c != -1)
                return at(j, err, "text after the end of the JSON document", c);
            j->state = J_DONE;
            break;
        case J_DONE:
            row->section = NULL;
            row->nfields = 0;
            return ARCS_OK;
        }
    }
}

arcs_status arcs__jreader_next(arcs__jreader *j, arcs__jrow *row, arcs_err *err)
{
    arcs_status st;

    if (j->broken)
        return arcs_err_set(err, ARCS_EINVAL,
                            "the JSON reader stopped at an earlier error");
    row->section = NULL;
    row->nfields = 0;
    st = next(j, row, err);
    if (st != ARCS_OK) {
        j->broken = 1;
        row->section = NULL;
        row->nfields = 0;
    }
    return st;
}
