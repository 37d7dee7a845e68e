/* A growable byte buffer: the one way this code appends bytes to memory it
   grows (canonical JSON, audit entries, COPY data). */
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

/* Release the memory and zero the buffer. */
void arcs__buf_free(arcs__buf *s);

#endif
