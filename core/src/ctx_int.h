/* The context handle's insides, shared by core sources only. */
#ifndef ARCS_CTX_INT_H
#define ARCS_CTX_INT_H

#include <libpq-fe.h>

#include "arcs/ctx.h"

/* A statement prepared on this connection, found again by its text. */
typedef struct arcs__stmt {
    struct arcs__stmt *next;
    uint32_t hash;
    char name[16];
    char sql[]; /* the statement text, NUL-terminated */
} arcs__stmt;

#define ARCS__STMT_BUCKETS 128

struct arcs_ctx {
    PGconn *conn;
    arcs__stmt *stmts[ARCS__STMT_BUCKETS]; /* prepared statements of conn */
    unsigned nstmts;
    char *conninfo; /* kept to reconnect after a lost connection */
    char *actor;    /* application actor, or NULL */
    char *login;    /* arcs_ctx_open_login: the person's role; no reconnect */
    int autoseal;   /* seal the audit log after each committed write */
    int in_tx;      /* inside arcs__db_tx */
    /* the fund's base currency and its exponent, looked up once (ledger_int.h):
       it is set once at db init and never changes; "" until then */
    char ledger_base[4];
    int ledger_base_exp;
    /* verifier keys the reports trust for their checkpoint line
       (arcs_report_trust_keys), as given */
    char **report_vkeys;
    size_t nreport_vkeys;
    arcs_err err;
};

/* Set the handle's error (printf-style); returns code. */
arcs_status arcs__fail(arcs_ctx *ctx, arcs_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Clear the handle's error at the start of a public entry point. */
void arcs__clear(arcs_ctx *ctx);

#endif
