/*
 * Text in and out: the one validator every text value passes on its way in
 * (the CLI's verbs and the import alike), and the helpers that keep text
 * whole and inert on its way out. Pure functions of bytes.
 */
#ifndef ARCS_TEXT_INT_H
#define ARCS_TEXT_INT_H

#include <stddef.h>

#include "arcs/common.h"
#include "buf_int.h"

/*
 * Check one text value of len bytes for field: valid UTF-8, not empty nor
 * only blanks, no control character (C0 including tab and newline, DEL,
 * C1), at most maxchars characters (code points, not bytes). On failure
 * ARCS_EINVAL with a message naming field and the limit in characters.
 */
arcs_status arcs__text_valid(const char *field, const char *s, size_t len,
                             size_t maxchars, arcs_err *err);

/* Characters (code points) of valid UTF-8 s[0, len). */
size_t arcs__text_chars(const char *s, size_t len);

/*
 * Append s for a terminal: printable text as it is, every control
 * character (C0, DEL, C1) and every byte of invalid UTF-8 as \xNN, and a
 * backslash as \\, so no value can move the cursor, recolour the screen or
 * hide a line, and the escape itself cannot be forged.
 */
void arcs__text_term(arcs__buf *b, const char *s);

/*
 * The length of the longest prefix of s[0, len) that holds at most
 * maxchars characters of whole UTF-8 sequences (never half a character).
 */
size_t arcs__text_prefix(const char *s, size_t len, size_t maxchars);

/*
 * s[0, n) shortened for a message or a narrow column: at most maxchars
 * characters and what fits in cap bytes, cut on a character boundary and
 * then marked with "…" (U+2026) so the cut shows. Never for stored values
 * or machine formats. dst gets a NUL-terminated string.
 */
void arcs__text_clip(char *dst, size_t cap, const char *s, size_t n, size_t maxchars);

#endif
