/*
 * arcs: audit reports (SPEC §6): case, funds, statistics, provenance, in
 * HTML (one self-contained file with inline SVG charts), CSV (RFC 4180),
 * JSON (one document, amounts as decimal strings in the base currency) and
 * Markdown.
 *
 * Every report is read in one serializable read-only transaction, so its
 * figures come from one consistent snapshot, and names the audit checkpoint
 * (or unsigned tree head) it was generated at.
 */
#ifndef ARCS_REPORT_H
#define ARCS_REPORT_H

#include "common.h"
#include "ctx.h"

typedef enum arcs_report_format {
    ARCS_REPORT_HTML = 0,
    ARCS_REPORT_CSV,
    ARCS_REPORT_JSON,
    ARCS_REPORT_MD
} arcs_report_format;

/* Parse "html", "csv", "json", "md" (or "markdown"). ARCS_EINVAL otherwise. */
ARCS_EXTERN(arcs_status)
arcs_report_format_parse(arcs_report_format *out, const char *text, arcs_err *err);

/*
 * Each function writes the whole report into *out (malloc'd, NUL-terminated,
 * the caller free()s it) of *outlen bytes (outlen may be NULL). *out is NULL
 * on failure. Errors: ARCS_EINVAL (bad date, year, format the report does
 * not offer), ARCS_ENOTFOUND (no such case or project), ARCS_EREFUSED (a
 * value needs an fx rate that is missing; a roll-forward that does not
 * balance is ARCS_ERROR), ARCS_EPERM.
 */

/* Trust these verifier keys (the text arcs audit keygen prints) for the
   checkpoint a report names: a stored checkpoint is called signed only when
   its signature verifies with one of them and its root is the root the log's
   entries give at its size. Without keys (the default) no report calls a
   checkpoint signed: a row of arcs_audit.checkpoints is only a claim.
   ARCS_EINVAL for a malformed key. */
ARCS_EXTERN(arcs_status)
arcs_report_trust_keys(arcs_ctx *ctx, const char *const *vkeys, size_t n);

/* The case ref: subjects (identity numbers masked unless show_identity),
   decisions, assets with history and valuations, money movements, and the
   audit entries behind each. show_identity needs the database user to be a
   member of arcs_admin or arcs_auditor (or a superuser): else ARCS_EPERM.
   Formats: html, md, json. */
ARCS_EXTERN(arcs_status)
arcs_report_case(arcs_ctx *ctx, char **out, size_t *outlen, const char *ref,
                 arcs_report_format fmt, int show_identity);

/* The fund between from and to (YYYY-MM-DD, inclusive; either may be NULL:
   open-ended), with a roll-forward per month (opening + in - out = closing)
   checked here. Formats: html, csv, json. */
ARCS_EXTERN(arcs_status)
arcs_report_funds(arcs_ctx *ctx, char **out, size_t *outlen, const char *from,
                  const char *to, arcs_report_format fmt);

/* Statistics for a calendar year (1900..2999). Formats: html, csv, json. */
ARCS_EXTERN(arcs_status)
arcs_report_statistics(arcs_ctx *ctx, char **out, size_t *outlen, int year,
                       arcs_report_format fmt);

/* Which cases and source countries paid for the project code. Formats: html,
   csv, json. */
ARCS_EXTERN(arcs_status)
arcs_report_provenance(arcs_ctx *ctx, char **out, size_t *outlen, const char *project,
                       arcs_report_format fmt);

/*
 * The one HTML escaper of arcs (the reports and the web workspace both write
 * through it): & < > " ' as entities, so the result is safe in element text
 * and in quoted attribute values; control characters HTML forbids (and C1
 * controls) as U+FFFD; everything else, UTF-8 included, as it is. A new
 * string the caller free()s (*len, which may be NULL, gets its length);
 * NULL when out of memory. NULL s gives "".
 */
ARCS_EXTERN(char *) arcs_html_escape(const char *s, size_t *len);

#endif
