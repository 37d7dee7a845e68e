/*
 * arcs: the money (SPEC §3). FX rates, reinvestment projects, and a
 * double-entry ledger of transfers between accounts, from a case's realized
 * proceeds to the fund (or escrow), out to deductions, and from the fund to
 * projects by allocation and disbursement.
 *
 * Accounts (arcs.ledger_accounts): "case:REF:proceeds" (debit-normal: what a
 * case paid in), "fund", "escrow:asset:ID", "project:CODE",
 * "external:deduction:KIND", "external:owner", "external:disbursed:CODE"
 * (credit-normal). The database keeps every balance on its normal side, so
 * overdrafts fail there under any concurrency.
 *
 * Every write names an external reference (ext_ref). Repeating a write with
 * the same reference and the same content is a retry: nothing is written and
 * the existing transfer is returned with `existed` set. The same reference
 * with different content is ARCS_ECONFLICT.
 *
 * Routing rules:
 *  - receive goes to the asset's escrow account when `escrow` is set or the
 *    asset's confiscation is not final: its state is identified, frozen or
 *    seized, or it was realized straight from seized (interlocutory sale).
 *    Otherwise it goes to the fund.
 *  - deduct takes from the asset's escrow account when that holds money,
 *    else from the fund; a deduction from the fund may not exceed what the
 *    asset's case still has there unattributed (deductions come before the
 *    fund's money is used).
 *  - release_escrow moves the asset's whole escrow balance to the fund or
 *    to the owner.
 */
#ifndef ARCS_LEDGER_H
#define ARCS_LEDGER_H

#include "common.h"
#include "ctx.h"

/* One recorded transfer, as the commands print it. */
typedef struct arcs_transfer {
    int64_t id;
    char ext_ref[208];
    char kind[32];     /* receive escrow_in deduct escrow_release_to_fund ... */
    char sub_kind[32]; /* "" when none */
    char debit_account[128];
    char credit_account[128];
    int64_t amount; /* base currency minor units */
    char currency[4];
    int exponent;
    int64_t orig_amount;
    char orig_currency[4];
    int orig_exponent;
    char fx_rate[40];      /* "82.42135"; "1" for the base currency */
    char fx_rate_date[11]; /* "" for the base currency */
    char value_date[11];
    int64_t reverses; /* 0: none */
    char reverses_ref[208];
    char case_ref[72];      /* "" when none */
    int64_t asset_id;       /* 0: none */
    char project_code[72];  /* "" when none */
    char decision_ref[804]; /* 200 characters of UTF-8: up to 800 bytes */
    int existed;            /* 1: the reference was recorded already (a retry) */
} arcs_transfer;

/*
 * Record the rate of currency on date (units of the base currency for one
 * unit). source may be NULL. The same rate again is a no-op (*changed 0);
 * a different rate for the same date is ARCS_EREFUSED unless replace is set
 * (transfers keep the rate they used). ARCS_EINVAL: bad code, date or rate
 * (at most 12 decimals), or the base currency itself.
 */
ARCS_EXTERN(arcs_status)
arcs_fx_set(arcs_ctx *ctx, int *changed, const char *currency, const char *date,
            const char *rate, const char *source, int replace);

/* Realized proceeds of asset_id enter the fund or escrow (see the top).
   kind: NULL (sale_proceeds), confiscated_cash, voluntary_payment,
   foreign_return, management_income. A missing fx rate is ARCS_EREFUSED. */
ARCS_EXTERN(arcs_status)
arcs_fund_receive(arcs_ctx *ctx, arcs_transfer *out, int64_t asset_id, const char *amount,
                  const char *currency, const char *date, const char *ext_ref,
                  const char *kind, int escrow);

/* A deduction (creditor, victim, cost, foreign_share) from an asset's
   proceeds. ARCS_EREFUSED when there is not enough money. */
ARCS_EXTERN(arcs_status)
arcs_fund_deduct(arcs_ctx *ctx, arcs_transfer *out, int64_t asset_id, const char *amount,
                 const char *currency, const char *date, const char *ext_ref,
                 const char *kind);

/* Move the asset's escrow balance to "fund" or "owner". ARCS_EREFUSED when
   its escrow is empty. */
ARCS_EXTERN(arcs_status)
arcs_fund_release_escrow(arcs_ctx *ctx, arcs_transfer *out, int64_t asset_id,
                         const char *to, const char *date, const char *ext_ref);

/* Reverse the transfer recorded as reverses_ref (at most once; a reversal is
   not reversed). ARCS_ENOTFOUND: no such transfer; ARCS_EREFUSED: already
   reversed, or the money is no longer there. */
ARCS_EXTERN(arcs_status)
arcs_fund_reverse(arcs_ctx *ctx, arcs_transfer *out, const char *ext_ref,
                  const char *reverses_ref, const char *date);

/* A source named for an allocation: case and amount (base currency). */
typedef struct arcs_alloc_source {
    const char *case_ref;
    const char *amount; /* decimal text */
} arcs_alloc_source;

/*
 * Allocate amount (base currency, decimal text) from the fund to a project
 * by an allocation decision. Without sources the allocation is attributed
 * to cases FIFO over fund receipts; with sources their amounts must add up
 * to amount (ARCS_EINVAL) and each case must still have that much
 * (ARCS_EREFUSED). ARCS_ENOTFOUND: project or decision; ARCS_EREFUSED: a
 * decision of another kind, insufficient funds.
 */
ARCS_EXTERN(arcs_status)
arcs_ledger_allocate(arcs_ctx *ctx, arcs_transfer *out, const char *project_code,
                     const char *amount, const char *decision_ref, const char *date,
                     const char *ext_ref, const arcs_alloc_source *sources,
                     size_t nsources);

/* Disburse amount (base currency) of a project's allocation. ARCS_EREFUSED
   when it exceeds what is allocated and not yet disbursed. */
ARCS_EXTERN(arcs_status)
arcs_ledger_disburse(arcs_ctx *ctx, arcs_transfer *out, const char *project_code,
                     const char *amount, const char *date, const char *ext_ref);

/* The transfer recorded as ext_ref. ARCS_ENOTFOUND when none. */
ARCS_EXTERN(arcs_status)
arcs_ledger_transfer_get(arcs_ctx *ctx, arcs_transfer *out, const char *ext_ref);

/* Fund figures, base currency minor units, each net of reversals.
   available = received - deducted - escrow - returned - allocated. */
typedef struct arcs_fund_balance {
    char currency[4];
    int exponent;
    int64_t received;  /* receipts into fund and escrow */
    int64_t deducted;  /* deductions from fund and escrow */
    int64_t escrow;    /* held in escrow now */
    int64_t returned;  /* escrow returned to owners */
    int64_t allocated; /* to projects */
    int64_t disbursed; /* paid out of projects */
    int64_t available; /* the fund account's balance */
} arcs_fund_balance;

ARCS_EXTERN(arcs_status) arcs_fund_balance_get(arcs_ctx *ctx, arcs_fund_balance *out);

/* A project as given. implementer, capacity may be NULL. */
typedef struct arcs_project_in {
    const char *code;
    const char *name;
    const char *sector; /* education health sport water social_protection housing
                           infrastructure other */
    const char *region;
    const char *budget; /* decimal text */
    const char *budget_currency;
    const char *implementer;
    const char *capacity;
} arcs_project_in;

/* Record a project. The same code with the same content is a retry (*id the
   existing one); different content is ARCS_ECONFLICT. */
ARCS_EXTERN(arcs_status)
arcs_project_add(arcs_ctx *ctx, int64_t *id, const arcs_project_in *p);

/* One case's share of a project's money. */
typedef struct arcs_provenance_item {
    char case_ref[72];
    char country[3];          /* the country of the case's assets ("" if none) */
    char jurisdictions[1024]; /* "victim:KZ,holding:AT" ("" if none): 64 at most */
    int64_t amount;           /* base currency minor units */
} arcs_provenance_item;

typedef struct arcs_project {
    int64_t id;
    char code[72];
    char name[512];
    char sector[24];
    char region[208];
    int64_t budget;
    char budget_currency[4];
    int budget_exponent;
    char implementer[512];
    char capacity[512];
    char status[16];
    char currency[4]; /* base */
    int exponent;
    int64_t allocated; /* net of reversals */
    int64_t disbursed;
    size_t ntransfers;
    arcs_transfer *transfers; /* allocations, disbursements, reversals: by id */
    size_t nsources;
    arcs_provenance_item *sources;
} arcs_project;

/* The project code with its transfers and sources (NULL transfers/sources in
   list items). *out: arcs_project_free. ARCS_ENOTFOUND. */
ARCS_EXTERN(arcs_status)
arcs_project_get(arcs_ctx *ctx, arcs_project **out, const char *code);
ARCS_EXTERN(void) arcs_project_free(arcs_project *p);

typedef struct arcs_project_list {
    size_t n;
    arcs_project *items; /* by code */
} arcs_project_list;

ARCS_EXTERN(arcs_status) arcs_project_list_get(arcs_ctx *ctx, arcs_project_list **out);
ARCS_EXTERN(void) arcs_project_list_free(arcs_project_list *l);

/*
 * Provenance of a project's money: for every case whose money paid for its
 * (unreversed) allocations, the amount and the source countries, largest
 * first then by case ref. Read from arcs.allocation_sources, stored at
 * allocation time. *out: arcs_provenance_free. ARCS_ENOTFOUND: no project.
 */
typedef struct arcs_provenance {
    char currency[4];
    int exponent;
    int64_t total;
    size_t n;
    arcs_provenance_item *items;
} arcs_provenance;

ARCS_EXTERN(arcs_status)
arcs_ledger_provenance(arcs_ctx *ctx, const char *project_code, arcs_provenance **out);
ARCS_EXTERN(void) arcs_provenance_free(arcs_provenance *p);

#endif
