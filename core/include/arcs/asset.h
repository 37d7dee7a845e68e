/*
 * arcs: assets, their valuations and their legal life cycle (SPEC §1).
 *
 * The state machine is written twice on purpose: here as a pure table the
 * CLI and the library check first (to give a clear message and to refuse
 * before anything is written), and in the database (arcs.asset_moves and its
 * triggers), which is the final authority for every writer.
 */
#ifndef ARCS_ASSET_H
#define ARCS_ASSET_H

#include "common.h"
#include "ctx.h"

/* Asset states, in the order of SPEC §1. Values are stable. */
typedef enum arcs_asset_state {
    ARCS_ASSET_IDENTIFIED = 0,
    ARCS_ASSET_FROZEN,
    ARCS_ASSET_SEIZED,
    ARCS_ASSET_CONFISCATED,
    ARCS_ASSET_REALIZED,
    ARCS_ASSET_TRANSFERRED_IN_KIND,
    ARCS_ASSET_RETURNED_ABROAD,
    ARCS_ASSET_DESTROYED,
    ARCS_ASSET_RELEASED
} arcs_asset_state;

#define ARCS_ASSET_NSTATES 9

/* Parse a state name ("frozen"). Unknown: ARCS_EINVAL naming the valid ones. */
ARCS_EXTERN(arcs_status)
arcs_asset_state_parse(arcs_asset_state *out, const char *text, arcs_err *err);

/* The name of a state ("frozen"), or NULL when out of range. Static string. */
ARCS_EXTERN(const char *) arcs_asset_state_name(arcs_asset_state s);

/* 1 when the law allows moving an asset from `from` to `to` (SPEC §1), else 0.
   Out-of-range states give 0. */
ARCS_EXTERN(int) arcs_asset_move_allowed(arcs_asset_state from, arcs_asset_state to);

/* 1 when no move leaves the state. */
ARCS_EXTERN(int) arcs_asset_state_final(arcs_asset_state s);

/* Write the states reachable from `from` as "seized, confiscated, released"
   (or "none (STATE is final)") into buf of size n. */
ARCS_EXTERN(void) arcs_asset_moves_text(char *buf, size_t n, arcs_asset_state from);

/* The asset kinds, for a face that offers them as choices: a static
   NULL-terminated list. */
ARCS_EXTERN(const char *const *) arcs_asset_kinds(void);

/* Validate an asset kind ("real_estate" ...) and a valuation method
   ("estimate", "appraisal", "market", "sale"): ARCS_EINVAL when unknown. */
ARCS_EXTERN(arcs_status) arcs_asset_kind_check(const char *text, arcs_err *err);
ARCS_EXTERN(arcs_status) arcs_valuation_method_check(const char *text, arcs_err *err);

/*
 * A valuation as the user gives it: decimal text, parsed with the exponent
 * of the currency (which must exist in arcs.currencies).
 */
typedef struct arcs_valuation_in {
    const char *amount;   /* "1250000.00": positive, no more decimals than the currency */
    const char *currency; /* "USD" */
    const char *valued_on; /* "YYYY-MM-DD" */
    const char *method;    /* NULL: "estimate" */
} arcs_valuation_in;

/*
 * Record a new asset of the case case_ref, born identified, with an optional
 * first valuation (NULL: none). identifiers, custodian, external_ref may be
 * NULL. Everything is validated before anything is written: ARCS_EINVAL for
 * a bad kind, country, amount, currency or date; ARCS_ENOTFOUND for an
 * unknown case. With an external_ref already recorded: the same content is a
 * retry (*id gets the existing asset, ARCS_OK, nothing written); different
 * content is ARCS_ECONFLICT.
 */
ARCS_EXTERN(arcs_status)
arcs_asset_add(arcs_ctx *ctx, int64_t *id, const char *case_ref, const char *kind,
               const char *description, const char *country, const char *identifiers,
               const char *custodian, const char *external_ref,
               const arcs_valuation_in *valuation);

/*
 * Move an asset to to_state by the decision decision_ref on date. The asset
 * row is locked, so two concurrent transitions cannot both pass. realized
 * needs amount and currency (the proceeds); other states may carry them.
 * note may be NULL. Errors: ARCS_ENOTFOUND (asset, decision), ARCS_EREFUSED
 * (a move SPEC §1 forbids, a decision of another case), ARCS_EINVAL (bad
 * state name, date, amount, currency; realized without an amount).
 */
ARCS_EXTERN(arcs_status)
arcs_asset_transition(arcs_ctx *ctx, int64_t asset_id, const char *to_state,
                      const char *decision_ref, const char *date, const char *amount,
                      const char *currency, const char *note);

/* Record a new valuation of an asset (never overwrites). *id (may be NULL)
   gets the valuation's id. Errors as for arcs_asset_add. */
ARCS_EXTERN(arcs_status)
arcs_asset_valuation_add(arcs_ctx *ctx, int64_t *id, int64_t asset_id,
                         const arcs_valuation_in *v);

/* A recorded valuation. */
typedef struct arcs_valuation {
    int64_t id;
    int64_t amount; /* minor units */
    char currency[4];
    int exponent; /* of the currency, for arcs_money_format */
    char valued_on[11];
    char method[16];
} arcs_valuation;

/* One recorded state change. Strings are owned by the enclosing arcs_asset. */
typedef struct arcs_transition {
    int64_t id;
    char from[24];
    char to[24];
    char date[11];
    char *decision; /* decision ref */
    char *actor;    /* the application actor, else the database user */
    char *db_user;  /* the database user who wrote it */
    char *note;     /* NULL when none */
    int has_amount;
    int64_t amount; /* minor units, when has_amount */
    char currency[4];
    int exponent;
} arcs_transition;

typedef struct arcs_asset {
    int64_t id;
    char *case_ref;
    char *external_ref; /* NULL when none */
    char kind[24];
    char *description;
    char country[3];
    char *identifiers; /* NULL when none */
    char *custodian;   /* NULL when none */
    char state[24];
    char state_since[11]; /* "" while identified */
    size_t nvaluations;
    arcs_valuation *valuations; /* oldest first; a list item holds the latest only */
    size_t nhistory;
    arcs_transition *history; /* oldest first; empty in list items */
} arcs_asset;

/* The asset with its valuations and full state history. *out is the
   caller's (arcs_asset_free). ARCS_ENOTFOUND when there is no such asset. */
ARCS_EXTERN(arcs_status) arcs_asset_get(arcs_ctx *ctx, arcs_asset **out, int64_t id);

/* Free an asset from arcs_asset_get. Accepts NULL. */
ARCS_EXTERN(void) arcs_asset_free(arcs_asset *a);

/* Filters of arcs_asset_list; NULL members do not filter. */
typedef struct arcs_asset_filter {
    const char *case_ref;
    const char *state;
    const char *country;
} arcs_asset_filter;

typedef struct arcs_asset_items {
    size_t n;
    arcs_asset *items; /* by id; each with its latest valuation, no history */
} arcs_asset_items;

/* Assets matching filter (may be NULL). ARCS_EINVAL for a malformed state or
   country, ARCS_ENOTFOUND for an unknown case. *out: arcs_asset_items_free. */
ARCS_EXTERN(arcs_status)
arcs_asset_list(arcs_ctx *ctx, arcs_asset_items **out, const arcs_asset_filter *filter);

/* Free a list. Accepts NULL. */
ARCS_EXTERN(void) arcs_asset_items_free(arcs_asset_items *l);

#endif
