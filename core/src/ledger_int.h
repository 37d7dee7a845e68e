/* Helpers shared by the ledger sources: ledger.c fx.c project.c provenance.c (the
   movements themselves are the database's functions, sql/0009_checked_ledger.sql). */
#ifndef ARCS_LEDGER_INT_H
#define ARCS_LEDGER_INT_H

#include "arcs/ledger.h"
#include "arcs/money.h"
#include "db_int.h"

/* The fund's base currency and its exponent (looked up once per handle: it
   never changes once set). */
arcs_status arcs__ledger_base(arcs_ctx *ctx, char currency[4], int *exponent);

/* Exponent of a known currency; ARCS_EINVAL naming the code when unknown. */
arcs_status arcs__ledger_exponent(arcs_ctx *ctx, const char *currency, int *exponent);

/* The latest rate of currency on or before date: *rate, its text and its
   date. ARCS_EREFUSED ("no USD rate on or before ...; add one with ...") when
   none. */
arcs_status arcs__fx_lookup(arcs_ctx *ctx, const char *currency, const char *date,
                            arcs_rate *rate, char text[40], char rate_date[11]);

/* Transfers matching `where` (a constant SQL condition on t with $1), by id. */
arcs_status arcs__ledger_fetch(arcs_ctx *ctx, arcs_transfer **out, size_t *n,
                               const char *where, const char *param);

/* The cases behind project code's unreversed allocations, largest first. */
arcs_status arcs__ledger_sources(arcs_ctx *ctx, arcs_provenance_item **out, size_t *n,
                                 const char *code);

/* strtoll of a whole decimal string; 0 on anything else. */
int64_t arcs__ledger_i64(const char *s);

#endif
