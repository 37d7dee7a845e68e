/* Canonical JSON internals for the audit code: allocation-free fast paths
   that give exactly what the public functions of arcs/canonical.h give. */
#ifndef ARCS_AUDIT_CANONICAL_INT_H
#define ARCS_AUDIT_CANONICAL_INT_H

#include <stddef.h>

#include "arcs/canonical.h"
#include "../buf_int.h"

/* One member of a canonical object: the key's bytes between its quotes, and
   the value's canonical bytes. */
typedef struct arcs__json_member {
    const char *key;
    size_t keylen;
    const char *val;
    size_t vallen;
} arcs__json_member;

/*
 * Does the one-pass recognizer accept buf as canonical JSON? 1: yes (then
 * arcs_json_is_canonical says ARCS_OK too), and when buf is an object its
 * members go to m (the first max of them; *count gets how many there are,
 * 0 when buf is not an object or is empty). 0: not recognized; ask
 * arcs_json_is_canonical, which may still accept it (keys with escapes, deep
 * nesting) and otherwise says why not.
 */
int arcs__json_recognize_object(const char *buf, size_t len, arcs__json_member *m,
                                size_t max, size_t *count);

/* Split canonical object bytes into members as above (no check). */
void arcs__json_split_object(const char *buf, size_t len, arcs__json_member *m,
                             size_t max, size_t *count);

/*
 * A reusable canonicalizer: arcs__json_canon_run gives the same bytes and
 * the same status as arcs_json_canonicalize(buf, len, flags), into c->out
 * (c->n bytes, NUL-terminated, valid until the next run), without building
 * a tree: common input takes one pass with no allocation once the buffers
 * have grown; anything unusual goes through arcs_json_canonicalize itself.
 * When the value is an object, c->top[0, c->ntop) are its members in c->out.
 * Start from a zeroed struct; arcs__json_canon_free releases it.
 */
typedef struct arcs__json_canon {
    char *out;
    size_t n, cap;
    struct arcs__cnode *nodes;
    size_t nn, ncap;
    size_t *order;
    size_t ocap;
    arcs__json_member *top;
    size_t ntop, topcap;
    /* scratch */
    char *dec;
    size_t deccap;
    size_t *topoff;
} arcs__json_canon;

arcs_status arcs__json_canon_run(arcs__json_canon *c, const char *buf, size_t len,
                                 int flags, arcs_err *err);
void arcs__json_canon_free(arcs__json_canon *c);

/*
 * Append the canonical JSON string of str[0, n) (quoted and escaped as the
 * serializer writes strings) to b. ARCS_EINVAL if str is not valid UTF-8
 * (nothing appended), ARCS_ERROR when out of memory.
 */
arcs_status arcs__json_append_string(arcs__buf *b, const char *str, size_t n,
                                     arcs_err *err);

#endif
