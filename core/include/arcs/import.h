/*
 * arcs: bulk import of cases and assets from CSV or JSON files (SPEC §7).
 *
 * The file is streamed (bounded memory whatever its size), every row is
 * validated in C, valid rows go by COPY into a temporary staging table, the
 * checks that need the database run as set-based SQL, and the rows are
 * inserted with INSERT ... SELECT ... ON CONFLICT DO NOTHING in one
 * transaction: all rows or none. Rows are keyed by cases.ref and
 * assets.external_ref, so importing a file again records nothing new.
 * The format is described in docs/import-format.md.
 */
#ifndef ARCS_IMPORT_H
#define ARCS_IMPORT_H

#include "common.h"
#include "ctx.h"

/* At most this many problems are listed; the rest are only counted. */
#define ARCS_IMPORT_MAX_PROBLEMS 100

/* Called now and then while reading: rows read so far, bytes read of
   bytes_total (0 when the size is unknown). */
typedef void (*arcs_import_progress_fn)(void *arg, uint64_t rows, uint64_t bytes,
                                        uint64_t bytes_total);

typedef struct arcs_import_opts {
    int dry_run; /* validate everything, database checks included; write nothing */
    arcs_import_progress_fn progress; /* may be NULL */
    void *progress_arg;
} arcs_import_opts;

typedef struct arcs_import_result {
    char format[8];    /* "csv" or "json" */
    uint64_t rows;     /* data rows read */
    int64_t cases_new; /* recorded now (with dry_run: would be) */
    int64_t assets_new;
    int64_t valuations_new;
    int64_t cases_present; /* already recorded with the same content */
    int64_t assets_present;
    uint64_t problems_total; /* problems found (file refused when > 0) */
    size_t nproblems;        /* listed: at most ARCS_IMPORT_MAX_PROBLEMS */
    char **problems;         /* "line 50001, field value: amount ..." */
} arcs_import_result;

/*
 * Import the file at path (opts may be NULL). *out is always filled (clear
 * it with arcs_import_result_clear). Errors:
 *   ARCS_EINVAL   the file is refused: not CSV/JSON text, an unknown header,
 *                 malformed syntax, or bad rows. out->problems lists each
 *                 ("line N, field F: ..." for CSV, "assets[i].F: ..." for
 *                 JSON); the handle's message is one summary line naming
 *                 the first. Nothing is written.
 *   ARCS_ECONFLICT a ref/external_ref is already recorded with different
 *                 content (the message names it). Nothing is written.
 *   ARCS_ERROR    I/O or database failure. Nothing is written.
 * Audit sealing happens once, after the commit, whatever the handle's
 * autoseal setting (which is restored).
 */
ARCS_EXTERN(arcs_status)
arcs_import_file(arcs_ctx *ctx, arcs_import_result *out, const char *path,
                 const arcs_import_opts *opts);

/* Free what a result holds and zero it. Accepts NULL. */
ARCS_EXTERN(void) arcs_import_result_clear(arcs_import_result *r);

#endif
