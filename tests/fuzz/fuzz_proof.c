/*
 * Proof files: the parser never crashes or leaks; what parses writes back to
 * the same bytes; verification against the Go sumdb/note test key never
 * crashes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arcs/proof.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char vkey[] =
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    arcs_note_verifier v;
    arcs_proof p = {0};

    if (arcs_note_verifier_parse(&v, vkey, sizeof(vkey) - 1, NULL) != ARCS_OK)
        abort();
    if (arcs_proof_parse(&p, (const char *)data, size, NULL) == ARCS_OK) {
        char *out = NULL;
        size_t ol = 0;
        if (arcs_proof_write(&out, &ol, &p, NULL) != ARCS_OK)
            abort();
        if (ol != size || memcmp(out, data, size) != 0)
            abort();
        free(out);
        (void)arcs_proof_verify(&p, &v, 1, NULL);
        arcs_proof_clear(&p);
    }
    return 0;
}
