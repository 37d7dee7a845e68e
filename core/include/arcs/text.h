/*
 * Text for a terminal: every control character a value could smuggle to a
 * screen (C0 such as ESC, BEL, CR; DEL; C1 such as U+009B, a one-character
 * CSI) is written as \xNN, never raw, and so is every byte that is not part
 * of valid UTF-8. The CLI sends all its human-readable output through this;
 * JSON output has its own escaping and does not.
 */
#ifndef ARCS_TEXT_H
#define ARCS_TEXT_H

#include <stddef.h>

#include "common.h"

#define ARCS_TERM_KEEP_NL 1u   /* pass '\n' through (a stream of lines) */
#define ARCS_TERM_BACKSLASH 2u /* write '\' as \\ so no escape can be forged */

/* A byte stream being escaped: a UTF-8 sequence may be split between calls.
   Zero it to start. */
typedef struct arcs_term {
    unsigned char held[4];
    int nheld, need;
} arcs_term;

typedef void (*arcs_term_put)(void *arg, const char *p, size_t n);

/* Escape s[0, n) through put; bytes of an unfinished sequence are held in st
   until the next call or arcs_term_end. */
ARCS_EXTERN(void)
arcs_term_escape(arcs_term *st, const char *s, size_t n, unsigned flags,
                 arcs_term_put put, void *arg);

/* The end of the stream: write what is held (an unfinished sequence, escaped). */
ARCS_EXTERN(void) arcs_term_end(arcs_term *st, arcs_term_put put, void *arg);

/* One value escaped (flags as above), as a new string the caller frees;
   NULL when out of memory. NULL s gives "". */
ARCS_EXTERN(char *) arcs_term_text(const char *s, unsigned flags);

#endif
