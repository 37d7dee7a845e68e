/*
 * Canonical JSON: whatever the input, the parser must not crash or leak;
 * text the checker calls canonical must serialize back to itself; any parsed
 * value's canonical form must be a fixed point. The audit code's fast paths
 * must agree with the reference functions byte for byte.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arcs/canonical.h"
#include "audit/canonical_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fixed_point(const char *c, size_t cl)
{
    char *again = NULL;
    size_t al = 0;

    /* canonical output holds no numbers: it parses strictly and is stable */
    if (arcs_json_canonicalize(&again, &al, c, cl, 0, NULL) != ARCS_OK)
        abort();
    if (al != cl || memcmp(again, c, cl) != 0)
        abort();
    if (arcs_json_is_canonical(c, cl, NULL) != ARCS_OK)
        abort();
    free(again);
}

/* arcs__json_canon_run against arcs_json_canonicalize; the recognizer of
   objects against arcs_json_is_canonical and the splitter. */
static void fast_paths(const char *buf, size_t size, int flags)
{
    static arcs__json_canon c; /* reused across inputs, as verify reuses it */
    arcs__json_member m[8], m2[8];
    size_t n = 0, n2 = 0;
    char *ref = NULL;
    size_t rl = 0;
    arcs_status a = arcs_json_canonicalize(&ref, &rl, buf, size, flags, NULL);
    arcs_status b = arcs__json_canon_run(&c, buf, size, flags, NULL);

    if (a != b ||
        (a == ARCS_OK && (c.n != rl || memcmp(c.out, ref, rl) != 0 || c.out[rl] != '\0')))
        abort();
    free(ref);
    if (b == ARCS_OK) { /* the members it names are those of its output */
        arcs__json_member t[64];
        size_t tn = 0;
        arcs__json_split_object(c.out, c.n, t, 64, &tn);
        if (tn != c.ntop)
            abort();
        for (size_t i = 0; i < tn && i < 64; i++)
            if (t[i].key != c.top[i].key || t[i].keylen != c.top[i].keylen ||
                t[i].val != c.top[i].val || t[i].vallen != c.top[i].vallen)
                abort();
    }
    if (arcs__json_recognize_object(buf, size, m, 8, &n)) {
        if (arcs_json_is_canonical(buf, size, NULL) != ARCS_OK)
            abort();
        arcs__json_split_object(buf, size, m2, 8, &n2);
        if (n != n2 || (n > 0 && buf[0] != '{'))
            abort();
        for (size_t i = 0; i < n && i < 8; i++)
            if (m[i].key != m2[i].key || m[i].keylen != m2[i].keylen ||
                m[i].val != m2[i].val || m[i].vallen != m2[i].vallen)
                abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *buf = (const char *)data;
    int flags[2] = {0, ARCS_JSON_NUMBERS_AS_STRINGS};

    if (arcs_json_is_canonical(buf, size, NULL) == ARCS_OK) {
        char *c = NULL;
        size_t cl = 0;
        if (arcs_json_canonicalize(&c, &cl, buf, size, 0, NULL) != ARCS_OK)
            abort();
        if (cl != size || memcmp(c, buf, size) != 0)
            abort();
        free(c);
    }
    for (int i = 0; i < 2; i++)
        fast_paths(buf, size, flags[i]);
    for (int i = 0; i < 2; i++) {
        arcs_json *v = NULL;
        char *c = NULL;
        size_t cl = 0;

        if (arcs_json_parse(&v, buf, size, flags[i], NULL) != ARCS_OK)
            continue;
        /* a parsed tree is always serializable */
        if (arcs_json_canonical(&c, &cl, v, NULL) != ARCS_OK)
            abort();
        fixed_point(c, cl);
        free(c);
        arcs_json_free(v);
    }
    return 0;
}
