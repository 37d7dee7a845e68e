/*
 * arcs: C2SP signed notes (https://c2sp.org/signed-note) and transparency
 * log checkpoints (https://c2sp.org/tlog-checkpoint), Ed25519 via OpenSSL 3.
 * Pure functions of bytes (key files aside): no database, no globals.
 *
 * Bytes-level details:
 *   - Base64 is standard RFC 4648 with '=' padding; decoding is strict (no
 *     whitespace, no missing or extra padding, no non-zero spare bits).
 *   - Key name: non-empty UTF-8, at most ARCS_NOTE_NAME_MAX bytes, no '+',
 *     no spaces or control characters (ASCII or Unicode).
 *   - Key id: the first 4 bytes of SHA-256(name || 0x0A || 0x01 || pubkey),
 *     pubkey being the 32-byte Ed25519 public key (0x01 = algorithm Ed25519);
 *     as a number, those 4 bytes big-endian.
 *   - Verifier key text: name "+" hex8(key id, lowercase) "+"
 *     base64(0x01 || pubkey), e.g.
 *     example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k
 *   - Signer (private) key: either a PEM file (PKCS#8 "PRIVATE KEY", as
 *     `openssl genpkey -algorithm ed25519` writes), optionally preceded by
 *     the line "arcs-key-name: NAME" (arcs keygen writes it; OpenSSL ignores
 *     text before the PEM block), or the Go text form
 *     PRIVATE+KEY+name+hex8(keyid)+base64(0x01 || 32-byte seed).
 *     A key file readable or writable by group or others is refused.
 *   - Note: text + "\n" + one or more signature lines. The text is valid
 *     UTF-8, non-empty, ends with "\n" and holds no byte below 0x20 but
 *     "\n" (it may hold blank lines: the signatures start after the LAST
 *     "\n\n"). A signature line is
 *       U+2014 (em dash, bytes E2 80 94) " " name " " base64(keyid || sig) "\n"
 *     where keyid is the 4-byte key id and sig the 64-byte Ed25519 signature
 *     of the text bytes (including its final "\n"). At most
 *     ARCS_NOTE_MAX_SIGS lines, at most ARCS_NOTE_MAX_BYTES in all.
 *   - Checkpoint text (the note text of a checkpoint):
 *       origin "\n" decimal tree size "\n" base64(32-byte root) "\n"
 *     then optional extension lines (each non-empty, ending in "\n"). The
 *     size has no sign and no leading zero (except "0").
 */
#ifndef ARCS_NOTE_H
#define ARCS_NOTE_H

#include "common.h"

#define ARCS_NOTE_NAME_MAX 255
#define ARCS_NOTE_MAX_SIGS 100
#define ARCS_NOTE_MAX_BYTES ((size_t)1024 * 1024)
#define ARCS_ED25519_PUB 32
#define ARCS_ED25519_SIG 64

/* A public key that can check signatures. Plain data. */
typedef struct arcs_note_verifier {
    char name[ARCS_NOTE_NAME_MAX + 1];
    uint32_t keyid;
    uint8_t pub[ARCS_ED25519_PUB];
} arcs_note_verifier;

/* A private key that can sign. Holds a secret: clear it with
   arcs_note_signer_clear when done. */
typedef struct arcs_note_signer {
    char name[ARCS_NOTE_NAME_MAX + 1];
    uint32_t keyid;
    uint8_t pub[ARCS_ED25519_PUB];
    uint8_t seed[32];
} arcs_note_signer;

/* One signature line of a note. */
typedef struct arcs_note_sig {
    char name[ARCS_NOTE_NAME_MAX + 1];
    uint32_t keyid;
    uint8_t sig[ARCS_ED25519_SIG]; /* valid when siglen == ARCS_ED25519_SIG */
    size_t siglen;                 /* bytes after the key id (64 for Ed25519) */
    int verified;                  /* set by arcs_note_verify */
    int known;                     /* set by arcs_note_verify: a key matched */
} arcs_note_sig;

/* A parsed note. Owns its memory: arcs_note_clear. Init with {0}. */
typedef struct arcs_note {
    char *text; /* NUL-terminated copy of the text (ends with "\n") */
    size_t text_len;
    arcs_note_sig *sigs;
    size_t nsigs;
} arcs_note;

/* Strict base64 (RFC 4648, padded). encode: *out malloc'd NUL-terminated
   text (free()), *outlen its length (may be NULL). decode: *out malloc'd
   bytes (free()); ARCS_EINVAL on any malformed input. */
ARCS_EXTERN(arcs_status)
arcs_base64_encode(char **out, size_t *outlen, const void *data, size_t len);
ARCS_EXTERN(arcs_status)
arcs_base64_decode(uint8_t **out, size_t *outlen, const char *text, size_t len,
                   arcs_err *err);

/* Is name a valid key name (see above)? 1 or 0. */
ARCS_EXTERN(int) arcs_note_name_valid(const char *name, size_t len);

/* The key id of name and an Ed25519 public key. */
ARCS_EXTERN(arcs_status)
arcs_note_keyid(uint32_t *out, const char *name, const uint8_t pub[ARCS_ED25519_PUB]);

/* Make a fresh random Ed25519 signer named name. ARCS_EINVAL for a bad name. */
ARCS_EXTERN(arcs_status)
arcs_note_keygen(arcs_note_signer *out, const char *name, arcs_err *err);

/* Wipe the secret. Accepts NULL. */
ARCS_EXTERN(void) arcs_note_signer_clear(arcs_note_signer *s);

/* The verifier matching a signer. */
ARCS_EXTERN(void)
arcs_note_signer_verifier(arcs_note_verifier *out, const arcs_note_signer *s);

/*
 * The key file text of a signer: "arcs-key-name: NAME\n" followed by the
 * PKCS#8 PEM block. *out malloc'd, NUL-terminated (the caller wipes and
 * frees it); *outlen may be NULL. Write it with mode 0600.
 */
ARCS_EXTERN(arcs_status)
arcs_note_signer_pem(char **out, size_t *outlen, const arcs_note_signer *s,
                     arcs_err *err);

/*
 * Load a signer from key text: the Go PRIVATE+KEY+... form (name inside; if
 * name is not NULL it must match) or PEM (name from the argument, else from
 * an "arcs-key-name: NAME" line before the block). ARCS_EINVAL for anything
 * malformed, a non-Ed25519 key, a key id that does not match, or no name.
 */
ARCS_EXTERN(arcs_status)
arcs_note_signer_parse(arcs_note_signer *out, const char *text, size_t len,
                       const char *name, arcs_err *err);

/*
 * Load a signer from a key file (as arcs_note_signer_parse). ARCS_EINVAL if
 * the file is readable or writable by group or others (the message says to
 * chmod 600) or is not a regular file or is larger than 64 KiB; ARCS_ERROR
 * if it cannot be opened or read.
 */
ARCS_EXTERN(arcs_status)
arcs_note_signer_load(arcs_note_signer *out, const char *path, const char *name,
                      arcs_err *err);

/* Parse verifier key text (see above; surrounding whitespace is not allowed).
   ARCS_EINVAL if malformed, not Ed25519, or the key id does not match. */
ARCS_EXTERN(arcs_status)
arcs_note_verifier_parse(arcs_note_verifier *out, const char *text, size_t len,
                         arcs_err *err);

/* Verifier key text: *out malloc'd, NUL-terminated (free()). */
ARCS_EXTERN(arcs_status)
arcs_note_verifier_format(char **out, size_t *outlen, const arcs_note_verifier *v,
                          arcs_err *err);

/*
 * Sign a text (must be valid note text, see above): *out (malloc'd,
 * NUL-terminated, free()) = text "\n" signature line. ARCS_EINVAL for bad
 * text; ARCS_ERROR if OpenSSL fails.
 */
ARCS_EXTERN(arcs_status)
arcs_note_sign(char **out, size_t *outlen, const char *text, size_t len,
               const arcs_note_signer *s, arcs_err *err);

/*
 * Cosign: add s's signature line to an existing note (len bytes). If the note
 * already holds a signature by the same name and key id, it is returned
 * unchanged when that signature is the same bytes (a retry) and refused
 * with ARCS_ECONFLICT otherwise. The other signatures are kept as they are
 * (not verified here). *out as for arcs_note_sign.
 */
ARCS_EXTERN(arcs_status)
arcs_note_cosign(char **out, size_t *outlen, const char *note, size_t len,
                 const arcs_note_signer *s, arcs_err *err);

/*
 * Split a note into text and signature lines, checking the structure only
 * (no signature is checked). ARCS_EINVAL if malformed: no "\n\n", bad text,
 * bad signature line, bad name or base64, fewer than 5 or more than 516
 * decoded bytes (longer ones than Ed25519 are kept as unknown), the
 * same (name, key id) twice, more than ARCS_NOTE_MAX_SIGS lines, more than
 * ARCS_NOTE_MAX_BYTES. out is {0} on failure; arcs_note_clear it after
 * success.
 */
ARCS_EXTERN(arcs_status)
arcs_note_parse(arcs_note *out, const char *buf, size_t len, arcs_err *err);

/* Free what a note owns and zero it. Accepts NULL. */
ARCS_EXTERN(void) arcs_note_clear(arcs_note *n);

/*
 * Check the signatures of a parsed note against nkeys verifiers. A signature
 * whose name and key id match a key is checked (sig->known, sig->verified);
 * others are ignored. ARCS_OK if at least one signature verified and no
 * known key's signature failed; *nverified (may be NULL) counts verified
 * signatures. ARCS_EVERIFY if a known key's signature is wrong, or if no
 * signature is by a known key.
 */
ARCS_EXTERN(arcs_status)
arcs_note_verify(arcs_note *note, const arcs_note_verifier *keys, size_t nkeys,
                 size_t *nverified, arcs_err *err);

/* Parse then verify (arcs_note_parse + arcs_note_verify). On ARCS_OK the
   caller clears out; on failure out is cleared already. */
ARCS_EXTERN(arcs_status)
arcs_note_open(arcs_note *out, const char *buf, size_t len,
               const arcs_note_verifier *keys, size_t nkeys, size_t *nverified,
               arcs_err *err);

/* A checkpoint body. */
typedef struct arcs_checkpoint {
    char origin[ARCS_NOTE_NAME_MAX + 1]; /* any non-empty UTF-8 line */
    uint64_t size;
    uint8_t root[32];
} arcs_checkpoint;

/* Parse checkpoint text (a note's text, not the whole note). Extension lines
   after the root are allowed and ignored. ARCS_EINVAL if malformed. */
ARCS_EXTERN(arcs_status)
arcs_checkpoint_parse(arcs_checkpoint *out, const char *text, size_t len, arcs_err *err);

/* Checkpoint text "origin\nsize\nbase64(root)\n": *out malloc'd (free()). */
ARCS_EXTERN(arcs_status)
arcs_checkpoint_format(char **out, size_t *outlen, const arcs_checkpoint *cp,
                       arcs_err *err);

#endif
