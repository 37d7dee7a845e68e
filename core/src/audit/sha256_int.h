/* SHA-256 for the audit code: the implementation is fetched from OpenSSL
   once, and each thread reuses one digest context. */
#ifndef ARCS_AUDIT_SHA256_INT_H
#define ARCS_AUDIT_SHA256_INT_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

/* The fetched SHA-256 (NULL if OpenSSL cannot provide it); never freed. A
   digest initialized with it skips the lookup by name that EVP_sha256()
   costs on every EVP_DigestInit in OpenSSL 3. */
const EVP_MD *arcs__sha256_md(void);

/* out = SHA-256(a || b) (b may be NULL), with the calling thread's context.
   -1 if OpenSSL fails (out is then zeroed). */
int arcs__sha256(uint8_t out[32], const void *a, size_t alen, const void *b, size_t blen);

#endif
