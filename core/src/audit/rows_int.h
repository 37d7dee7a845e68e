/* The business tables' rows as verify sees them: read raw with COPY, each
   image and key built here exactly as capture builds them. */
#ifndef ARCS_AUDIT_ROWS_INT_H
#define ARCS_AUDIT_ROWS_INT_H

#include <stddef.h>

#include "capture_int.h"

/* One current row: canonical key and canonical image (borrowed, for the call
   only). cimg is NULL when the row cannot be rendered (why says why). */
typedef void (*arcs__audit_row_fn)(void *arg, const char *table, const char *ckey,
                                   size_t cklen, const char *cimg, size_t cilen,
                                   const char *why);

/*
 * Every row of every plain table (relkind 'r') of schema arcs, table by table,
 * read inside the caller's transaction with COPY of the table's own columns.
 * The columns, their types and the primary key come from pg_class,
 * pg_attribute, pg_type and pg_index only: no function, view or trigger of
 * the arcs schemas takes part. The caller pins TimeZone, DateStyle,
 * IntervalStyle, extra_float_digits and bytea_output as capture does.
 */
arcs_status arcs__audit_read_tables(arcs_ctx *ctx, arcs__audit_row_fn fn, void *arg);

#endif
