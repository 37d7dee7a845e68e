/* A growable byte buffer: the one way this code appends bytes to memory it
   grows (canonical JSON, audit entries, COPY data, reports). */
#ifndef ARCS_BUF_INT_H
#define ARCS_BUF_INT_H

#include <stddef.h>

typedef struct arcs__buf {
    char *b;
    size_t n, cap;
    int oom; /* set once an allocation failed; later appends do nothing */
} arcs__buf;

/* Append src[0, n); b[n] is then a NUL (one byte is always kept free). */
void arcs__buf_put(arcs__buf *s, const void *src, size_t n);

/* Append a C string; append printf-formatted text. */
void arcs__buf_puts(arcs__buf *s, const char *str);
void arcs__buf_printf(arcs__buf *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Make room for more bytes (and a NUL) beyond n, for a caller that then
   writes into b + n directly and advances n. 0, or -1 when out of memory
   (oom is set). */
int arcs__buf_reserve(arcs__buf *s, size_t more);

/* Release the memory and zero the buffer. */
void arcs__buf_free(arcs__buf *s);

#endif
