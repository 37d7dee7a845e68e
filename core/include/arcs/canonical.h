/*
 * arcs: canonical JSON, the RFC 8785 (JCS) profile used for audit entries.
 * Pure functions of bytes: no database, no globals.
 *
 * Canonical form, byte for byte:
 *   - no whitespace anywhere;
 *   - object members sorted by key, comparing the keys as sequences of UTF-16
 *     code units (RFC 8785 §3.2.3): a key holding a character outside the BMP
 *     (encoded as a surrogate pair, 0xD800..0xDBFF) sorts before one holding
 *     U+E000..U+FFFF, unlike plain UTF-8 byte order; duplicate keys are an
 *     error;
 *   - strings: `"` and `\` escaped as \" and \\; U+0008 U+0009 U+000A U+000C
 *     U+000D as \b \t \n \f \r; every other control U+0000..U+001F as \u00XX
 *     with lowercase hex; everything else (including `/`, DEL and non-ASCII)
 *     written literally as UTF-8;
 *   - values: object, array, string, true, false, null. No JSON numbers:
 *     amounts and ids are strings;
 *   - valid UTF-8 only: no overlong forms, no surrogates (U+D800..U+DFFF),
 *     nothing above U+10FFFF. \uXXXX escapes in input are decoded (a valid
 *     surrogate pair becomes one character; a lone surrogate is an error).
 */
#ifndef ARCS_CANONICAL_H
#define ARCS_CANONICAL_H

#include "common.h"

typedef enum arcs_json_type {
    ARCS_JSON_NULL = 0,
    ARCS_JSON_FALSE,
    ARCS_JSON_TRUE,
    ARCS_JSON_STRING,
    ARCS_JSON_ARRAY,
    ARCS_JSON_OBJECT
} arcs_json_type;

typedef struct arcs_json arcs_json;

/* One member of an object: key bytes (UTF-8, NUL-terminated, may also hold
   NUL bytes inside: keylen is authoritative) and its value. */
typedef struct arcs_json_member {
    char *key;
    size_t keylen;
    arcs_json *value;
} arcs_json_member;

/*
 * A JSON value. Read the fields freely; change them only through the
 * functions below. A tree owns all its children: free the root only.
 */
struct arcs_json {
    arcs_json_type type;
    char *str;         /* STRING: the bytes, NUL-terminated (len is authoritative) */
    size_t len;        /* STRING: byte length */
    size_t count;      /* ARRAY items or OBJECT members */
    arcs_json **items; /* ARRAY: count items */
    arcs_json_member *members; /* OBJECT: count members, in insertion order */
    size_t cap;                /* allocated slots (internal) */
};

/* Limits of the parser. Deeper nesting or longer input is ARCS_EINVAL. */
#define ARCS_JSON_MAX_DEPTH 64
#define ARCS_JSON_MAX_INPUT ((size_t)64 * 1024 * 1024)

/* Parser flags. */
/* Accept RFC 8259 numbers and return each as a STRING holding the exact
   number text as written ("1250000.00", "-0", "1e5"): for PostgreSQL jsonb
   text, whose numbers must become strings in the canonical entry. */
#define ARCS_JSON_NUMBERS_AS_STRINGS 0x1

/*
 * Constructors. Each returns a new value owned by the caller (free with
 * arcs_json_free), or NULL when out of memory. String bytes are copied; they
 * are checked for valid UTF-8 when serialized, not here.
 */
ARCS_EXTERN(arcs_json *) arcs_json_new_null(void);
ARCS_EXTERN(arcs_json *) arcs_json_new_bool(int value);
ARCS_EXTERN(arcs_json *) arcs_json_new_string(const char *bytes, size_t len);
ARCS_EXTERN(arcs_json *) arcs_json_new_cstr(const char *s); /* NULL s: NULL */
ARCS_EXTERN(arcs_json *) arcs_json_new_array(void);
ARCS_EXTERN(arcs_json *) arcs_json_new_object(void);

/* Free a value and all its children. Accepts NULL. */
ARCS_EXTERN(void) arcs_json_free(arcs_json *v);

/*
 * Append item to an array. Takes ownership of item in every case (it is
 * freed on failure), so calls may be chained with constructors: a NULL item
 * (a constructor that ran out of memory) is ARCS_ERROR. ARCS_EINVAL if arr
 * is not an array.
 */
ARCS_EXTERN(arcs_status)
arcs_json_array_append(arcs_json *arr, arcs_json *item, arcs_err *err);

/*
 * Add the member key (keylen bytes, copied) = value to an object. Takes
 * ownership of value in every case (freed on failure); NULL value is
 * ARCS_ERROR. A key already present is ARCS_EINVAL (objects never hold
 * duplicates). arcs_json_object_set_cstr takes a NUL-terminated key.
 */
ARCS_EXTERN(arcs_status)
arcs_json_object_set(arcs_json *obj, const char *key, size_t keylen, arcs_json *value,
                     arcs_err *err);
ARCS_EXTERN(arcs_status)
arcs_json_object_set_cstr(arcs_json *obj, const char *key, arcs_json *value,
                          arcs_err *err);

/*
 * Lookups by exact, case-sensitive key. Return a pointer borrowed from obj
 * (valid until obj is freed or changed), or NULL when obj is not an object or
 * has no such key.
 */
ARCS_EXTERN(const arcs_json *) arcs_json_get(const arcs_json *obj, const char *key);
ARCS_EXTERN(const arcs_json *)
arcs_json_getn(const arcs_json *obj, const char *key, size_t keylen);

/* The bytes of a STRING value (borrowed, NUL-terminated) and their length in
 *len (may be NULL); NULL when v is NULL or not a string. */
ARCS_EXTERN(const char *) arcs_json_string(const arcs_json *v, size_t *len);

/*
 * Parse RFC 8259 JSON text (len bytes; need not be NUL-terminated) into a new
 * tree in *out (the caller frees it with arcs_json_free). Strict: one value
 * and nothing after it but whitespace; whitespace between tokens is allowed
 * (use arcs_json_is_canonical to refuse it). ARCS_EINVAL with the byte offset
 * for: invalid UTF-8 or an overlong/surrogate encoding, a lone surrogate
 * escape, a bad escape, a raw control character in a string, a duplicate
 * key, a number (unless ARCS_JSON_NUMBERS_AS_STRINGS), nesting deeper than
 * ARCS_JSON_MAX_DEPTH, input longer than ARCS_JSON_MAX_INPUT, trailing bytes.
 * ARCS_ERROR when out of memory. *out is NULL on failure.
 */
ARCS_EXTERN(arcs_status)
arcs_json_parse(arcs_json **out, const char *buf, size_t len, int flags, arcs_err *err);

/*
 * Serialize v in canonical form into a new buffer *out (malloc'd,
 * NUL-terminated; the caller frees it with free()) of *outlen bytes (outlen
 * may be NULL). ARCS_EINVAL if a string or key is not valid UTF-8, an object
 * holds a duplicate key, or nesting is deeper than ARCS_JSON_MAX_DEPTH;
 * ARCS_ERROR when out of memory. *out is NULL on failure.
 */
ARCS_EXTERN(arcs_status)
arcs_json_canonical(char **out, size_t *outlen, const arcs_json *v, arcs_err *err);

/*
 * Parse then serialize: the canonical bytes of JSON text (with the parser
 * flags above; ARCS_JSON_NUMBERS_AS_STRINGS turns jsonb text into an entry).
 * *out as for arcs_json_canonical.
 */
ARCS_EXTERN(arcs_status)
arcs_json_canonicalize(char **out, size_t *outlen, const char *buf, size_t len, int flags,
                       arcs_err *err);

/*
 * Check that buf is exactly the canonical form of the value it holds: it
 * parses strictly (no numbers) and serializes back to the same bytes.
 * ARCS_OK if so; ARCS_EINVAL if it is not valid strict JSON; ARCS_EVERIFY
 * if it is valid but not canonical (the message gives the first differing
 * offset); ARCS_ERROR when out of memory.
 */
ARCS_EXTERN(arcs_status)
arcs_json_is_canonical(const char *buf, size_t len, arcs_err *err);

/* Is buf valid UTF-8 (no overlongs, no surrogates, <= U+10FFFF)? 1 or 0. */
ARCS_EXTERN(int) arcs_utf8_valid(const char *buf, size_t len);

#endif
