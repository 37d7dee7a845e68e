/*
 * Import internals: the two streaming readers (pure: no database) and the
 * byte source they pull from. Readers never hold more than one record and a
 * fixed read buffer, so a file of millions of rows is read in bounded memory.
 */
#ifndef ARCS_IMPORT_INT_H
#define ARCS_IMPORT_INT_H

#include <stddef.h>
#include <stdint.h>

#include "arcs/common.h"

/* Fill buf with up to cap bytes: the count, 0 at the end, -1 on a read error. */
typedef long (*arcs__read_fn)(void *arg, char *buf, size_t cap);

/* A source over a memory buffer, for tests and fuzzers. */
typedef struct arcs__memsrc {
    const char *data;
    size_t len, pos;
    size_t step; /* at most this many bytes per read (0: all), to test refills */
} arcs__memsrc;
long arcs__memsrc_read(void *arg, char *buf, size_t cap);

/* Is buf valid UTF-8 without NUL bytes? 0 if so; else 1 with *bad the offset
   of the first bad byte and *nul set when it is a NUL. */
int arcs__text_check(const char *buf, size_t len, size_t *bad, int *nul);

/* Count the characters (code points) of valid UTF-8. */
size_t arcs__utf8_chars(const char *buf, size_t len);

/* ---- CSV (RFC 4180) ---- */

#define ARCS__CSV_MAX_FIELDS 64
#define ARCS__CSV_MAX_RECORD ((size_t)1 << 20)

typedef struct arcs__csv arcs__csv;

typedef struct arcs__csv_record {
    size_t nfields;    /* 0: end of file */
    char **fields;     /* NUL-terminated, borrowed until the next call */
    size_t *lens;      /* byte length of each field */
    uint64_t line;     /* physical line (from 1) where the record starts */
    long bad_field;    /* first field that is not UTF-8 text, or -1 */
    size_t bad_offset; /* offset of the bad byte within it */
    int bad_nul;       /* the bad byte is a NUL */
} arcs__csv_record;

/* A reader pulling from fn(arg). NULL when out of memory. */
arcs__csv *arcs__csv_new(arcs__read_fn fn, void *arg);
void arcs__csv_free(arcs__csv *c);

/*
 * The next record into *rec (valid until the next call). A leading UTF-8 BOM
 * is skipped; records end with LF or CRLF; empty lines are skipped. ARCS_OK
 * (rec->nfields == 0 at the end); ARCS_EINVAL with "line N: ..." in err for
 * a malformed file (a quote inside an unquoted field, text after a closing
 * quote, a bare CR, an unterminated quoted field, a record too long or with
 * too many fields), after which the reader is unusable; ARCS_ERROR on a read
 * error or out of memory.
 */
arcs_status arcs__csv_next(arcs__csv *c, arcs__csv_record *rec, arcs_err *err);

/* ---- JSON import documents: {"section": [ {row}, ... ], ...} ---- */

#define ARCS__JSON_MAX_FIELDS 32
#define ARCS__JSON_MAX_STRING ((size_t)1 << 20)

typedef struct arcs__jreader arcs__jreader;

typedef struct arcs__jrow {
    const char *section; /* "cases"; NULL at the end of the document */
    uint64_t index;      /* index within its section's array */
    size_t nfields;
    const char *keys[ARCS__JSON_MAX_FIELDS];
    const char *values[ARCS__JSON_MAX_FIELDS]; /* NULL for JSON null */
    size_t lens[ARCS__JSON_MAX_FIELDS];
    int is_array[ARCS__JSON_MAX_FIELDS]; /* an array of strings, joined with ';' */
} arcs__jrow;

/* A reader pulling from fn(arg); sections is the NULL-terminated list of
   allowed top-level keys (borrowed for the reader's life). */
arcs__jreader *arcs__jreader_new(arcs__read_fn fn, void *arg,
                                 const char *const *sections);
void arcs__jreader_free(arcs__jreader *j);

/*
 * The next row (an object of strings, nulls and arrays of strings) into
 * *row, valid until the next call. ARCS_OK (row->section NULL at the end,
 * after the whole document was checked, trailing bytes included);
 * ARCS_EINVAL with a message naming the place ("assets[3].value: ...", or
 * "line 4, byte 120: ...") for anything else: a top level that is not an
 * object, an unknown or repeated section, a section that is not an array of
 * objects, a number, true/false or nested value in a row, a duplicate key,
 * bad escapes, lone surrogates, invalid UTF-8, NUL; the reader is then
 * unusable. ARCS_ERROR on a read error or out of memory.
 */
arcs_status arcs__jreader_next(arcs__jreader *j, arcs__jrow *row, arcs_err *err);

#endif
