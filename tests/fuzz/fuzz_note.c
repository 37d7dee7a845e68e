/*
 * Signed notes, checkpoints and key texts: no crash, no leak, and what parses
 * is self-consistent. Verification runs against the Go sumdb/note test key.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arcs/note.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char vkey[] =
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *buf = (const char *)data;
    arcs_note_verifier v, parsed;
    arcs_note_signer s;
    arcs_checkpoint cp;
    arcs_note n = {0};

    if (arcs_note_verifier_parse(&v, vkey, sizeof(vkey) - 1, NULL) != ARCS_OK)
        abort();
    if (arcs_note_parse(&n, buf, size, NULL) == ARCS_OK) {
        if (n.nsigs == 0 || n.nsigs > ARCS_NOTE_MAX_SIGS || n.text_len == 0 ||
            n.text[n.text_len - 1] != '\n')
            abort();
        (void)arcs_note_verify(&n, &v, 1, NULL, NULL);
        if (arcs_checkpoint_parse(&cp, n.text, n.text_len, NULL) == ARCS_OK) {
            char *t = NULL;
            size_t tl;
            /* the three fixed lines format back to the prefix of the text */
            if (arcs_checkpoint_format(&t, &tl, &cp, NULL) != ARCS_OK)
                abort();
            if (tl > n.text_len || memcmp(t, n.text, tl) != 0)
                abort();
            free(t);
        }
        arcs_note_clear(&n);
    }
    (void)arcs_checkpoint_parse(&cp, buf, size, NULL);
    if (arcs_note_verifier_parse(&parsed, buf, size, NULL) == ARCS_OK) {
        char *t = NULL;
        size_t tl;
        if (arcs_note_verifier_format(&t, &tl, &parsed, NULL) != ARCS_OK)
            abort();
        /* hex case may differ; the rest round-trips */
        if (tl != size)
            abort();
        free(t);
    }
    if (arcs_note_signer_parse(&s, buf, size, NULL, NULL) == ARCS_OK)
        arcs_note_signer_clear(&s);
    {
        uint8_t *out = NULL;
        size_t ol;
        if (arcs_base64_decode(&out, &ol, buf, size, NULL) == ARCS_OK) {
            char *e = NULL;
            size_t el;
            if (arcs_base64_encode(&e, &el, out, ol) != ARCS_OK || el != size ||
                memcmp(e, buf, size) != 0)
                abort();
            free(e);
            free(out);
        }
    }
    return 0;
}
