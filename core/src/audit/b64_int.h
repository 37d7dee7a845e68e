/* Internal base64 helpers of the audit module (strict RFC 4648, padded). */
#ifndef ARCS_AUDIT_B64_INT_H
#define ARCS_AUDIT_B64_INT_H

#include <stddef.h>
#include <stdint.h>

/* Length of the encoding of n bytes, without NUL. */
size_t arcs__b64_enclen(size_t n);

/* Encode n bytes into dst, which holds arcs__b64_enclen(n) + 1 bytes; NUL-terminates. */
void arcs__b64_encode_to(char *dst, const uint8_t *src, size_t n);

/*
 * Decode len characters into dst (cap bytes). Returns the decoded length, or
 * -1 if the text is not strict padded base64 or does not fit.
 */
long long arcs__b64_decode_to(uint8_t *dst, size_t cap, const char *src, size_t len);

#endif
