/*
 * arcs: cases, their jurisdictions, subjects, decisions and status history
 * (SPEC §1). Every function validates its input before it writes: malformed
 * input is ARCS_EINVAL with a message naming the field, an unknown case is
 * ARCS_ENOTFOUND, and nothing is written when a call fails.
 */
#ifndef ARCS_CASE_H
#define ARCS_CASE_H

#include "ctx.h"

/* A new case. Strings are borrowed for the duration of the call. */
typedef struct arcs_case_new {
    const char *ref;   /* "ARC-2025-0042": letters, digits, . _ / -; at most 64 */
    const char *title; /* 1..500 characters */
    const char *route; /* criminal (NULL), non_conviction, civil, administrative,
                          voluntary */
    const char *const *offences; /* UNCAC offences: bribery, embezzlement ... */
    size_t noffences;
    const char *opened;               /* YYYY-MM-DD, NULL: today */
    const char *const *jurisdictions; /* "ROLE:CC": victim|holding|transit|bribe_payer */
    size_t njurisdictions;
} arcs_case_new;

/*
 * Add a case. *id gets its id. Idempotent: when the ref exists with the same
 * title, route, offences and jurisdictions (and opening date, when given),
 * nothing is written, *id is the existing case and *existed (may be NULL) is
 * 1. The same ref with other content is ARCS_ECONFLICT. Offences and
 * jurisdictions are sets: order and repeats do not matter.
 */
ARCS_EXTERN(arcs_status)
arcs_case_add(arcs_ctx *ctx, const arcs_case_new *in, int64_t *id, int *existed);

typedef struct arcs_jurisdiction {
    char role[16]; /* victim, holding, transit, bribe_payer */
    char country[3];
} arcs_jurisdiction;

/* A case as read back. Owned by its list or detail. */
typedef struct arcs_case {
    int64_t id;
    char ref[65];
    char *title;
    char route[24];
    char status[16];
    char opened[11]; /* YYYY-MM-DD */
    char closed[11]; /* "" while not closed */
    char **offences;
    size_t noffences;
    arcs_jurisdiction *jurisdictions;
    size_t njurisdictions;
} arcs_case;

typedef struct arcs_case_list {
    arcs_case *items;
    size_t n;
} arcs_case_list;

/* Filters of arcs_case_list; NULL fields do not filter. */
typedef struct arcs_case_filter {
    const char *status;
    const char *offence;
    const char *country; /* any jurisdiction, or the country of any asset */
    const char *q;       /* text searched (case-insensitively, as a substring) in
                            refs, titles, subject names, asset descriptions and
                            identifiers; at most 200 characters */
} arcs_case_filter;

/*
 * List cases matching filter (NULL: all), ordered by ref. *out is the
 * caller's, to free with arcs_case_list_free. A malformed filter value is
 * ARCS_EINVAL.
 */
ARCS_EXTERN(arcs_status)
arcs_case_list_get(arcs_ctx *ctx, const arcs_case_filter *filter, arcs_case_list **out);
ARCS_EXTERN(void) arcs_case_list_free(arcs_case_list *list);

typedef struct arcs_subject {
    int64_t id;
    char *name;
    char kind[8];  /* person, entity */
    char role[24]; /* defendant, beneficial_owner ... */
    char country[3];
    int has_id_number; /* the number itself is never read back here */
} arcs_subject;

typedef struct arcs_decision {
    int64_t id;
    char kind[24];
    char *ref;
    char *issuer;
    char issued[11];
    char effective[11]; /* "" when not given */
    char final[11];     /* "" when not given */
    int64_t *assets;    /* ids of the assets it covers */
    size_t nassets;
} arcs_decision;

typedef struct arcs_case_status_change {
    char from[16];
    char to[16];
    char on[11];
    char *decision_ref;
    char *actor;
} arcs_case_status_change;

/* A case with everything case show prints. */
typedef struct arcs_case_detail {
    arcs_case c;
    arcs_subject *subjects;
    size_t nsubjects;
    arcs_decision *decisions;
    size_t ndecisions;
    arcs_case_status_change *history;
    size_t nhistory;
    int64_t nassets;
} arcs_case_detail;

/* Read the case with this ref. Unknown ref: ARCS_ENOTFOUND. *out is the
   caller's, to free with arcs_case_detail_free. */
ARCS_EXTERN(arcs_status)
arcs_case_get(arcs_ctx *ctx, const char *ref, arcs_case_detail **out);
ARCS_EXTERN(void) arcs_case_detail_free(arcs_case_detail *d);

/*
 * Move a case to status (open, investigation, prosecution, trial, judgment,
 * appeal, enforcement, suspended, closed) by decision decision_ref of that
 * case, on date (YYYY-MM-DD); the change is recorded with the actor. Closing
 * sets the closing date. A retry (the case is in that status by that
 * decision on that date already) writes nothing and sets *existed (may be
 * NULL). A case already in that status otherwise, a decision of another
 * case, or a date before the opening is ARCS_EREFUSED; an unknown case or
 * decision is ARCS_ENOTFOUND.
 */
ARCS_EXTERN(arcs_status)
arcs_case_set_status(arcs_ctx *ctx, const char *ref, const char *status,
                     const char *decision_ref, const char *date, int *existed);

/* A new subject of a case. */
typedef struct arcs_subject_new {
    const char *case_ref;
    const char *name;      /* 1..500 characters */
    const char *kind;      /* person, entity */
    const char *role;      /* defendant, beneficial_owner, nominee, third_party,
                              bona_fide_acquirer, creditor, victim */
    const char *country;   /* ISO 3166-1 alpha-2, or NULL */
    const char *id_number; /* identity number, or NULL; never logged here */
} arcs_subject_new;

/*
 * Add a subject; *id gets its id. A subject identical in every field to one
 * the case has already is a retry: nothing is written, *id is that one and
 * *existed (may be NULL) is 1.
 */
ARCS_EXTERN(arcs_status)
arcs_subject_add(arcs_ctx *ctx, const arcs_subject_new *in, int64_t *id, int *existed);

/* A new decision (a legal act) of a case. */
typedef struct arcs_decision_new {
    const char *case_ref;
    const char *kind; /* freeze, seizure, confiscation, appeal, release,
                         return_agreement, sharing_agreement, allocation */
    const char *ref;  /* unique across the system, 1..200 characters */
    const char *issuer;
    const char *issued;    /* YYYY-MM-DD */
    const char *final;     /* YYYY-MM-DD, not before issued; or NULL */
    const char *effective; /* YYYY-MM-DD or NULL */
    const int64_t *assets; /* assets of the case it covers */
    size_t nassets;
} arcs_decision_new;

/*
 * Add a decision; *id gets its id. The same ref with the same content is a
 * retry (nothing written, *existed set); with other content ARCS_ECONFLICT.
 * A final date before the issue date is ARCS_EINVAL. An unknown asset is
 * ARCS_ENOTFOUND; an asset of another case ARCS_EREFUSED.
 */
ARCS_EXTERN(arcs_status)
arcs_decision_add(arcs_ctx *ctx, const arcs_decision_new *in, int64_t *id, int *existed);

/*
 * The words a field of a case, subject or decision takes, for a face that
 * offers them as choices (validation stays the library's): which is one of
 * "route", "offence", "status", "jurisdiction_role", "subject_kind",
 * "subject_role", "decision_kind". A static NULL-terminated list; NULL for
 * an unknown which.
 */
ARCS_EXTERN(const char *const *) arcs_case_vocab(const char *which);

#endif
