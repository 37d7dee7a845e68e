/* A growable byte buffer (buf_int.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf_int.h"

int arcs__buf_reserve(arcs__buf *s, size_t more)
{
    if (s->oom)
        return -1;
    if (s->n + more + 1 > s->cap) {
        size_t cap = s->cap ? s->cap : 256;
        char *b;
        while (cap < s->n + more + 1)
            cap *= 2;
        b = realloc(s->b, cap);
        if (!b) {
            s->oom = 1;
            return -1;
        }
        s->b = b;
        s->cap = cap;
    }
    return 0;
}

void arcs__buf_put(arcs__buf *s, const void *src, size_t n)
{
    if (arcs__buf_reserve(s, n) != 0)
        return;
    if (n)
        memcpy(s->b + s->n, src, n);
    s->n += n;
    s->b[s->n] = '\0';
}

void arcs__buf_puts(arcs__buf *s, const char *str)
{
    arcs__buf_put(s, str, strlen(str));
}

void arcs__buf_printf(arcs__buf *s, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        s->oom = 1;
        return;
    }
    if (arcs__buf_reserve(s, (size_t)n) != 0)
        return;
    va_start(ap, fmt);
    vsnprintf(s->b + s->n, (size_t)n + 1, fmt, ap);
    va_end(ap);
    s->n += (size_t)n;
}

void arcs__buf_free(arcs__buf *s)
{
    free(s->b);
    memset(s, 0, sizeof(*s));
}
