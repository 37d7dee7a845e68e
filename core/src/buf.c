/* A growable byte buffer (buf_int.h). */
#include <stdlib.h>
#include <string.h>

#include "buf_int.h"

void arcs__buf_put(arcs__buf *s, const void *src, size_t n)
{
    if (s->oom)
        return;
    if (s->n + n + 1 > s->cap) {
        size_t cap = s->cap ? s->cap : 256;
        char *b;
        while (cap < s->n + n + 1)
            cap *= 2;
        b = realloc(s->b, cap);
        if (!b) {
            s->oom = 1;
            return;
        }
        s->b = b;
        s->cap = cap;
    }
    if (n)
        memcpy(s->b + s->n, src, n);
    s->n += n;
    s->b[s->n] = '\0';
}

void arcs__buf_free(arcs__buf *s)
{
    free(s->b);
    memset(s, 0, sizeof(*s));
}
