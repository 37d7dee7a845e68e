/* Helpers shared by the case, subject, decision and user sources. */
#ifndef ARCS_CASE_INT_H
#define ARCS_CASE_INT_H

#include <stdint.h>

#include "ctx_int.h"

/* NULL-terminated lists of the words the schema allows (SPEC §1). */
extern const char *const arcs__case_routes[];
extern const char *const arcs__case_offences[];
extern const char *const arcs__case_statuses[];
extern const char *const arcs__jurisdiction_roles[];
extern const char *const arcs__subject_kinds[];
extern const char *const arcs__subject_roles[];
extern const char *const arcs__decision_kinds[];

/* Whether word is one of list. */
int arcs__word_in(const char *word, const char *const *list);

/* ARCS_EINVAL "unknown FIELD 'x'; use a, b or c" unless value is in list. */
arcs_status arcs__check_word(arcs_ctx *ctx, const char *field, const char *value,
                             const char *const *list);

/* A one-line text of 1..maxchars characters; ARCS_EINVAL naming field. */
arcs_status arcs__check_text(arcs_ctx *ctx, const char *field, const char *text,
                             size_t maxchars);

/* A YYYY-MM-DD date; ARCS_EINVAL naming field. days may be NULL. */
arcs_status arcs__check_date(arcs_ctx *ctx, const char *field, const char *text,
                             int32_t *days);

/* An ISO 3166-1 alpha-2 code by shape (no database). */
arcs_status arcs__check_country_shape(arcs_ctx *ctx, const char *field, const char *cc);

/* The country exists in arcs.countries (inside a transaction); else ARCS_EINVAL. */
arcs_status arcs__check_country_known(arcs_ctx *ctx, const char *field, const char *cc);

/* A case ref by shape. */
arcs_status arcs__check_case_ref(arcs_ctx *ctx, const char *ref);

/* The id of the case with this ref; ARCS_ENOTFOUND "case X not found; ...". */
arcs_status arcs__case_lookup(arcs_ctx *ctx, const char *ref, int64_t *id);

/* Decimal text of an id (buf of 24 bytes); returns buf. */
char *arcs__id_text(char *buf, int64_t id);

#endif
