/*
 * Form and query decoding (application/x-www-form-urlencoded), a pure
 * function of bytes: no server, no database, fuzzed on its own.
 */
#ifndef ARCS_WEB_FORM_H
#define ARCS_WEB_FORM_H

#include <stddef.h>

/* At most this many fields in one form or query: more is malformed. */
#define WEB_FORM_MAX_FIELDS 256

typedef struct web_field {
    char *name;  /* decoded, NUL-terminated, valid UTF-8 */
    char *value; /* likewise */
} web_field;

typedef struct web_form {
    web_field *f;
    size_t n, cap;
} web_form;

/*
 * Decode s[0, len) ("a=1&b=x+y%21") into *out (zeroed first; free with
 * web_form_free, also after a failure). '+' is a space, %XX a byte; a
 * malformed escape, a NUL byte, bytes that are not valid UTF-8, or more than
 * WEB_FORM_MAX_FIELDS fields make the whole form malformed: -1. Empty pairs
 * ("a=1&&b=2") are skipped; a name without '=' has the value "". 0 on
 * success, -1 when malformed, -2 when out of memory.
 */
int web_form_parse(web_form *out, const char *s, size_t len);

/* Add one field already decoded (copied); the same checks on name and value
   as web_form_parse. 0, -1 malformed, -2 out of memory. */
int web_form_add(web_form *f, const char *name, const char *value);

/* The first value of name, or NULL. Borrowed until web_form_free. */
const char *web_form_get(const web_form *f, const char *name);

/* The first value of name when it is not empty, else NULL. */
const char *web_form_get_nonempty(const web_form *f, const char *name);

/* Every non-empty value of name, in order, into out (room for max); the
   count found (which may exceed max: only max are written). */
size_t web_form_all(const web_form *f, const char *name, const char **out, size_t max);

/* 1 when s[0, n) is valid UTF-8 without NUL bytes or overlong forms. */
int web_utf8_valid(const char *s, size_t n);

void web_form_free(web_form *f);

#endif
