/*
 * Canonical JSON: whatever the input, the parser must not crash or leak;
 * text the checker calls canonical must serialize back to itself; any parsed
 * value's canonical form must be a fixed point.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arcs/canonical.h"

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
