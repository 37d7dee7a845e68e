/* Canonical JSON: the RFC 8785 profile of the audit log (no numbers). */
#include <stdlib.h>
#include <string.h>

#include "arcs/canonical.h"
#include "canonical_int.h"
#include "../buf_int.h"
#include "../hex_int.h"

/* ---- UTF-8 ---- */

/* Length of the valid UTF-8 sequence at s[0..len), or 0 if it is not one
   (overlong, surrogate, above U+10FFFF, truncated). *cp gets the code point. */
static size_t utf8_next(const unsigned char *s, size_t len, uint32_t *cp)
{
    unsigned char c = s[0];

    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        if (len < 2 || (s[1] & 0xC0) != 0x80)
            return 0;
        *cp = (uint32_t)(c & 0x1F) << 6 | (s[1] & 0x3F);
        return 2;
    }
    if (c >= 0xE0 && c <= 0xEF) {
        if (len < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
            return 0;
        if (c == 0xE0 && s[1] < 0xA0) /* overlong */
            return 0;
        if (c == 0xED && s[1] >= 0xA0) /* surrogate */
            return 0;
        *cp = (uint32_t)(c & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (len < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 ||
            (s[3] & 0xC0) != 0x80)
            return 0;
        if (c == 0xF0 && s[1] < 0x90) /* overlong */
            return 0;
        if (c == 0xF4 && s[1] >= 0x90) /* above U+10FFFF */
            return 0;
        *cp = (uint32_t)(c & 0x07) << 18 | (uint32_t)(s[1] & 0x3F) << 12 |
              (uint32_t)(s[2] & 0x3F) << 6 | (s[3] & 0x3F);
        return 4;
    }
    return 0;
}

int arcs_utf8_valid(const char *buf, size_t len)
{
    const unsigned char *s = (const unsigned char *)buf;
    size_t i = 0;

    while (i < len) {
        uint32_t cp;
        size_t n;

        if (s[i] < 0x80) {
            i++;
            continue;
        }
        n = utf8_next(s + i, len - i, &cp);
        if (n == 0)
            return 0;
        i += n;
    }
    return 1;
}

static size_t utf8_put(char *dst, uint32_t cp)
{
    if (cp < 0x80) {
        dst[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        dst[0] = (char)(0xC0 | (cp >> 6));
        dst[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        dst[0] = (char)(0xE0 | (cp >> 12));
        dst[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        dst[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    dst[0] = (char)(0xF0 | (cp >> 18));
    dst[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    dst[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    dst[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Compare two valid UTF-8 strings as sequences of UTF-16 code units (RFC 8785
   §3.2.3). Code point order differs from it only between U+E000..U+FFFF and
   characters outside the BMP, whose surrogates (0xD800..) sort first. */
static int cmp_utf16(const char *a, size_t al, const char *b, size_t bl)
{
    const unsigned char *sa = (const unsigned char *)a, *sb = (const unsigned char *)b;
    size_t i = 0, j = 0;

    while (i < al && j < bl) {
        uint32_t ca, cb, ka, kb;
        size_t na = utf8_next(sa + i, al - i, &ca);
        size_t nb = utf8_next(sb + j, bl - j, &cb);

        if (na == 0 || nb == 0) /* not reached for validated input; stay total */
            return (na == 0 ? sa[i] : 0) < (nb == 0 ? sb[j] : 0) ? -1 : 1;
        i += na;
        j += nb;
        if (ca == cb)
            continue;
        /* The first UTF-16 unit decides unless both are astral with the same
           high surrogate, where the low surrogate order equals cp order. */
        ka = ca >= 0x10000 ? 0xD800 + ((ca - 0x10000) >> 10) : ca;
        kb = cb >= 0x10000 ? 0xD800 + ((cb - 0x10000) >> 10) : cb;
        if (ka != kb)
            return ka < kb ? -1 : 1;
        return ca < cb ? -1 : 1;
    }
    if (i < al)
        return 1;
    if (j < bl)
        return -1;
    return 0;
}

/* cmp_utf16 with a fast path: up to the first differing byte the strings
   agree; when both differing bytes are ASCII they begin characters whose
   single UTF-16 units compare as the bytes do, and when one string is a
   prefix of the other it sorts first in either order. */
static int key_cmp(const char *a, size_t al, const char *b, size_t bl)
{
    size_t n = al < bl ? al : bl, i = 0;

    while (i < n && a[i] == b[i])
        i++;
    if (i == n)
        return al == bl ? 0 : (al < bl ? -1 : 1);
    if (!((unsigned char)a[i] & 0x80) && !((unsigned char)b[i] & 0x80))
        return (unsigned char)a[i] < (unsigned char)b[i] ? -1 : 1;
    return cmp_utf16(a, al, b, bl);
}

/* ---- tree ---- */

static arcs_json *new_value(arcs_json_type t)
{
    arcs_json *v = calloc(1, sizeof(*v));

    if (v)
        v->type = t;
    return v;
}

arcs_json *arcs_json_new_null(void)
{
    return new_value(ARCS_JSON_NULL);
}

arcs_json *arcs_json_new_bool(int value)
{
    return new_value(value ? ARCS_JSON_TRUE : ARCS_JSON_FALSE);
}

arcs_json *arcs_json_new_string(const char *bytes, size_t len)
{
    arcs_json *v;

    if (len == (size_t)-1)
        return NULL;
    v = new_value(ARCS_JSON_STRING);
    if (!v)
        return NULL;
    v->str = malloc(len + 1);
    if (!v->str) {
        free(v);
        return NULL;
    }
    if (len)
        memcpy(v->str, bytes, len);
    v->str[len] = '\0';
    v->len = len;
    return v;
}

arcs_json *arcs_json_new_cstr(const char *s)
{
    return s ? arcs_json_new_string(s, strlen(s)) : NULL;
}

arcs_json *arcs_json_new_array(void)
{
    return new_value(ARCS_JSON_ARRAY);
}

arcs_json *arcs_json_new_object(void)
{
    return new_value(ARCS_JSON_OBJECT);
}

void arcs_json_free(arcs_json *v)
{
    if (!v)
        return;
    free(v->str);
    for (size_t i = 0; v->items && i < v->count; i++)
        arcs_json_free(v->items[i]);
    free(v->items);
    for (size_t i = 0; v->members && i < v->count; i++) {
        free(v->members[i].key);
        arcs_json_free(v->members[i].value);
    }
    free(v->members);
    free(v);
}

static int grow(arcs_json *v)
{
    size_t cap;

    if (v->count < v->cap)
        return 1;
    cap = v->cap ? v->cap * 2 : 8;
    if (v->type == ARCS_JSON_ARRAY) {
        arcs_json **p = realloc(v->items, cap * sizeof(*p));
        if (!p)
            return 0;
        v->items = p;
    } else {
        arcs_json_member *p = realloc(v->members, cap * sizeof(*p));
        if (!p)
            return 0;
        v->members = p;
    }
    v->cap = cap;
    return 1;
}

arcs_status arcs_json_array_append(arcs_json *arr, arcs_json *item, arcs_err *err)
{
    arcs_status st = ARCS_OK;

    if (!item) {
        st = arcs_err_set(err, ARCS_ERROR, "out of memory building json");
        goto done;
    }
    if (!arr || arr->type != ARCS_JSON_ARRAY) {
        st = arcs_err_set(err, ARCS_EINVAL, "json value is not an array: cannot append");
        goto done;
    }
    if (!grow(arr)) {
        st = arcs_err_set(err, ARCS_ERROR, "out of memory building json");
        goto done;
    }
    arr->items[arr->count++] = item;
    item = NULL;
done:
    arcs_json_free(item);
    return st;
}

/* Append without the duplicate check (the parser checks all keys at once). */
static arcs_status member_push(arcs_json *obj, const char *key, size_t keylen,
                               arcs_json *value)
{
    char *k = NULL;

    if (!grow(obj) || !(k = malloc(keylen + 1))) {
        arcs_json_free(value);
        return ARCS_ERROR;
    }
    if (keylen)
        memcpy(k, key, keylen);
    k[keylen] = '\0';
    obj->members[obj->count].key = k;
    obj->members[obj->count].keylen = keylen;
    obj->members[obj->count].value = value;
    obj->count++;
    return ARCS_OK;
}

arcs_status arcs_json_object_set(arcs_json *obj, const char *key, size_t keylen,
                                 arcs_json *value, arcs_err *err)
{
    arcs_status st = ARCS_OK;

    if (!value) {
        st = arcs_err_set(err, ARCS_ERROR, "out of memory building json");
        goto done;
    }
    if (!obj || obj->type != ARCS_JSON_OBJECT || !key) {
        st = arcs_err_set(err, ARCS_EINVAL,
                          "json value is not an object: cannot set a key");
        goto done;
    }
    if (arcs_json_getn(obj, key, keylen)) {
        st = arcs_err_set(err, ARCS_EINVAL,
                          "duplicate json key \"%.*s\": each key may appear once",
                          (int)(keylen > 64 ? 64 : keylen), key);
        goto done;
    }
    st = member_push(obj, key, keylen, value);
    value = NULL;
    if (st != ARCS_OK)
        arcs_err_set(err, st, "out of memory building json");
done:
    arcs_json_free(value);
    return st;
}

arcs_status arcs_json_object_set_cstr(arcs_json *obj, const char *key, arcs_json *value,
                                      arcs_err *err)
{
    return arcs_json_object_set(obj, key, key ? strlen(key) : 0, value, err);
}

const arcs_json *arcs_json_getn(const arcs_json *obj, const char *key, size_t keylen)
{
    if (!obj || obj->type != ARCS_JSON_OBJECT || !key)
        return NULL;
    for (size_t i = 0; i < obj->count; i++)
        if (obj->members[i].keylen == keylen &&
            (keylen == 0 || memcmp(obj->members[i].key, key, keylen) == 0))
            return obj->members[i].value;
    return NULL;
}

const arcs_json *arcs_json_get(const arcs_json *obj, const char *key)
{
    return key ? arcs_json_getn(obj, key, strlen(key)) : NULL;
}

const char *arcs_json_string(const arcs_json *v, size_t *len)
{
    if (!v || v->type != ARCS_JSON_STRING)
        return NULL;
    if (len)
        *len = v->len;
    return v->str;
}

/* ---- member order ---- */

static int member_cmp(const void *pa, const void *pb)
{
    const arcs_json_member *a = *(const arcs_json_member *const *)pa;
    const arcs_json_member *b = *(const arcs_json_member *const *)pb;

    return key_cmp(a->key, a->keylen, b->key, b->keylen);
}

/*
 * The members of obj sorted in canonical order, as a malloc'd array of
 * pointers into obj (count 0: NULL). Keys must be valid UTF-8 (checked here).
 * Fails with ARCS_EINVAL on a duplicate key, ARCS_ERROR when out of memory.
 */
static arcs_status sorted_members(const arcs_json_member ***out, const arcs_json *obj,
                                  arcs_err *err)
{
    const arcs_json_member **v = NULL;
    arcs_status st = ARCS_OK;

    *out = NULL;
    if (obj->count == 0)
        goto done;
    for (size_t i = 0; i < obj->count; i++)
        if (!arcs_utf8_valid(obj->members[i].key, obj->members[i].keylen)) {
            st = arcs_err_set(
                err, ARCS_EINVAL,
                "json key is not valid utf-8: fix the encoding of the input");
            goto done;
        }
    v = malloc(obj->count * sizeof(*v));
    if (!v) {
        st = arcs_err_set(err, ARCS_ERROR, "out of memory sorting json keys");
        goto done;
    }
    for (size_t i = 0; i < obj->count; i++)
        v[i] = &obj->members[i];
    qsort(v, obj->count, sizeof(*v), member_cmp);
    for (size_t i = 1; i < obj->count; i++)
        if (member_cmp(&v[i - 1], &v[i]) == 0) {
            st = arcs_err_set(err, ARCS_EINVAL,
                              "duplicate json key \"%.*s\": each key may appear once",
                              (int)(v[i]->keylen > 64 ? 64 : v[i]->keylen), v[i]->key);
            goto done;
        }
    *out = v;
    v = NULL;
done:
    free(v);
    return st;
}

/* ---- parser ---- */

typedef struct parser {
    const unsigned char *s;
    size_t len, pos;
    int flags;
    arcs_err *err;
    /* scratch buffer for decoded strings */
    char *buf;
    size_t blen, bcap;
} parser;

static arcs_status perr(parser *p, const char *what)
{
    return arcs_err_set(p->err, ARCS_EINVAL, "invalid json at byte %zu: %s", p->pos,
                        what);
}

static void skip_ws(parser *p)
{
    while (p->pos < p->len && (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' ||
                               p->s[p->pos] == '\n' || p->s[p->pos] == '\r'))
        p->pos++;
}

static int buf_put(parser *p, const char *src, size_t n)
{
    if (p->blen + n > p->bcap) {
        size_t cap = p->bcap ? p->bcap : 64;
        char *b;
        while (cap < p->blen + n)
            cap *= 2;
        b = realloc(p->buf, cap);
        if (!b)
            return 0;
        p->buf = b;
        p->bcap = cap;
    }
    memcpy(p->buf + p->blen, src, n);
    p->blen += n;
    return 1;
}

static int hex4(const unsigned char *s, uint32_t *out)
{
    uint32_t v = 0;

    for (int i = 0; i < 4; i++) {
        int d = arcs__hex_digit(s[i]);
        if (d < 0)
            return 0;
        v = v << 4 | (uint32_t)d;
    }
    *out = v;
    return 1;
}

/* Parse a string at p->pos (on the opening quote) into p->buf[0..blen). */
static arcs_status parse_string(parser *p)
{
    p->blen = 0;
    p->pos++; /* opening quote */
    for (;;) {
        unsigned char c;
        size_t start = p->pos;

        /* copy a run of plain bytes at once */
        while (p->pos < p->len && p->s[p->pos] != '"' && p->s[p->pos] != '\\' &&
               p->s[p->pos] >= 0x20 && p->s[p->pos] < 0x80)
            p->pos++;
        if (p->pos > start && !buf_put(p, (const char *)p->s + start, p->pos - start))
            return arcs_err_set(p->err, ARCS_ERROR, "out of memory parsing json");
        if (p->pos >= p->len)
            return perr(p, "unterminated string: add the closing quote");
        c = p->s[p->pos];
        if (c == '"') {
            p->pos++;
            return ARCS_OK;
        }
        if (c < 0x20)
            return perr(p, "raw control character in a string: escape it");
        if (c >= 0x80) {
            uint32_t cp;
            size_t n = utf8_next(p->s + p->pos, p->len - p->pos, &cp);
            if (n == 0)
                return perr(p, "invalid utf-8 in a string: fix the encoding");
            if (!buf_put(p, (const char *)p->s + p->pos, n))
                return arcs_err_set(p->err, ARCS_ERROR, "out of memory parsing json");
            p->pos += n;
            continue;
        }
        /* backslash */
        if (p->pos + 1 >= p->len)
            return perr(p, "unterminated escape");
        {
            char ch = 0;
            char u8[4];
            uint32_t cp, lo;

            switch (p->s[p->pos + 1]) {
            case '"':
                ch = '"';
                break;
            case '\\':
                ch = '\\';
                break;
            case '/':
                ch = '/';
                break;
            case 'b':
                ch = '\b';
                break;
            case 'f':
                ch = '\f';
                break;
            case 'n':
                ch = '\n';
                break;
            case 'r':
                ch = '\r';
                break;
            case 't':
                ch = '\t';
                break;
            case 'u':
                if (p->pos + 6 > p->len || !hex4(p->s + p->pos + 2, &cp))
                    return perr(p, "bad \\u escape: expected four hex digits");
                if (cp >= 0xDC00 && cp <= 0xDFFF)
                    return perr(p, "lone low surrogate escape: not a character");
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    if (p->pos + 12 > p->len || p->s[p->pos + 6] != '\\' ||
                        p->s[p->pos + 7] != 'u' || !hex4(p->s + p->pos + 8, &lo) ||
                        lo < 0xDC00 || lo > 0xDFFF)
                        return perr(p, "lone high surrogate escape: not a character");
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    p->pos += 6;
                }
                p->pos += 6;
                if (!buf_put(p, u8, utf8_put(u8, cp)))
                    return arcs_err_set(p->err, ARCS_ERROR, "out of memory parsing json");
                continue;
            default:
                return perr(p, "unknown escape in a string");
            }
            if (!buf_put(p, &ch, 1))
                return arcs_err_set(p->err, ARCS_ERROR, "out of memory parsing json");
            p->pos += 2;
        }
    }
}

static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* RFC 8259 number grammar; returns the end position or 0 if malformed. */
static size_t scan_number(const parser *p)
{
    size_t i = p->pos;

    if (i < p->len && p->s[i] == '-')
        i++;
    if (i >= p->len)
        return 0;
    if (p->s[i] == '0')
        i++;
    else if (p->s[i] >= '1' && p->s[i] <= '9')
        while (i < p->len && is_digit(p->s[i]))
            i++;
    else
        return 0;
    if (i < p->len && p->s[i] == '.') {
        i++;
        if (i >= p->len || !is_digit(p->s[i]))
            return 0;
        while (i < p->len && is_digit(p->s[i]))
            i++;
    }
    if (i < p->len && (p->s[i] == 'e' || p->s[i] == 'E')) {
        i++;
        if (i < p->len && (p->s[i] == '+' || p->s[i] == '-'))
            i++;
        if (i >= p->len || !is_digit(p->s[i]))
            return 0;
        while (i < p->len && is_digit(p->s[i]))
            i++;
    }
    return i;
}

static int literal(parser *p, const char *word)
{
    size_t n = strlen(word);

    if (p->len - p->pos < n || memcmp(p->s + p->pos, word, n) != 0)
        return 0;
    p->pos += n;
    return 1;
}

static arcs_status parse_value(parser *p, arcs_json **out, int depth);

static arcs_status parse_container(parser *p, arcs_json **out, int depth, int is_obj)
{
    arcs_json *v = is_obj ? arcs_json_new_object() : arcs_json_new_array();
    const arcs_json_member **sorted = NULL;
    arcs_status st = ARCS_OK;
    char close = is_obj ? '}' : ']';

    if (!v) {
        st = arcs_err_set(p->err, ARCS_ERROR, "out of memory parsing json");
        goto done;
    }
    if (depth > ARCS_JSON_MAX_DEPTH) {
        st = perr(p, "nesting deeper than 64 levels");
        goto done;
    }
    p->pos++;
    skip_ws(p);
    if (p->pos < p->len && p->s[p->pos] == close) {
        p->pos++;
        goto done;
    }
    for (;;) {
        arcs_json *item = NULL;
        char *key = NULL;
        size_t keylen = 0;

        skip_ws(p);
        if (is_obj) {
            if (p->pos >= p->len || p->s[p->pos] != '"') {
                st = perr(p, "expected a quoted key");
                goto done;
            }
            if ((st = parse_string(p)) != ARCS_OK)
                goto done;
            keylen = p->blen;
            key = malloc(keylen + 1);
            if (!key) {
                st = arcs_err_set(p->err, ARCS_ERROR, "out of memory parsing json");
                goto done;
            }
            if (keylen)
                memcpy(key, p->buf, keylen);
            skip_ws(p);
            if (p->pos >= p->len || p->s[p->pos] != ':') {
                free(key);
                st = perr(p, "expected ':' after a key");
                goto done;
            }
            p->pos++;
        }
        st = parse_value(p, &item, depth);
        if (st == ARCS_OK)
            st = is_obj ? member_push(v, key, keylen, item)
                        : (grow(v) ? ARCS_OK : ARCS_ERROR);
        else
            item = NULL;
        if (st == ARCS_OK && !is_obj)
            v->items[v->count++] = item;
        else if (st == ARCS_ERROR && !is_obj)
            arcs_json_free(item);
        free(key);
        if (st != ARCS_OK) {
            if (st == ARCS_ERROR)
                arcs_err_set(p->err, ARCS_ERROR, "out of memory parsing json");
            goto done;
        }
        skip_ws(p);
        if (p->pos < p->len && p->s[p->pos] == ',') {
            p->pos++;
            continue;
        }
        if (p->pos < p->len && p->s[p->pos] == close) {
            p->pos++;
            break;
        }
        st = perr(p, is_obj ? "expected ',' or '}'" : "expected ',' or ']'");
        goto done;
    }
    if (is_obj) /* refuses duplicate keys */
        st = sorted_members(&sorted, v, p->err);
done:
    free(sorted);
    if (st != ARCS_OK) {
        arcs_json_free(v);
        v = NULL;
    }
    *out = v;
    return st;
}

static arcs_status parse_value(parser *p, arcs_json **out, int depth)
{
    arcs_json *v = NULL;
    arcs_status st = ARCS_OK;
    unsigned char c;

    *out = NULL;
    skip_ws(p);
    if (p->pos >= p->len)
        return perr(p, "unexpected end of input: a value is missing");
    c = p->s[p->pos];
    if (c == '{' || c == '[')
        return parse_container(p, out, depth + 1, c == '{');
    if (c == '"') {
        if ((st = parse_string(p)) != ARCS_OK)
            return st;
        v = arcs_json_new_string(p->buf ? p->buf : "", p->blen);
    } else if (c == 't' && literal(p, "true")) {
        v = arcs_json_new_bool(1);
    } else if (c == 'f' && literal(p, "false")) {
        v = arcs_json_new_bool(0);
    } else if (c == 'n' && literal(p, "null")) {
        v = arcs_json_new_null();
    } else if (c == '-' || is_digit(c)) {
        size_t end = scan_number(p);
        if (end == 0)
            return perr(p, "malformed number");
        if (!(p->flags & ARCS_JSON_NUMBERS_AS_STRINGS))
            return perr(p,
                        "json numbers are not allowed: write amounts and ids as strings");
        v = arcs_json_new_string((const char *)p->s + p->pos, end - p->pos);
        p->pos = end;
    } else {
        return perr(p, "unexpected character: expected a json value");
    }
    if (!v)
        return arcs_err_set(p->err, ARCS_ERROR, "out of memory parsing json");
    *out = v;
    return ARCS_OK;
}

arcs_status arcs_json_parse(arcs_json **out, const char *buf, size_t len, int flags,
                            arcs_err *err)
{
    parser p = {(const unsigned char *)buf, len, 0, flags, err, NULL, 0, 0};
    arcs_json *v = NULL;
    arcs_status st;

    *out = NULL;
    if (len > ARCS_JSON_MAX_INPUT) {
        st = arcs_err_set(err, ARCS_EINVAL,
                          "json input of %zu bytes is over the %zu limit", len,
                          ARCS_JSON_MAX_INPUT);
        goto done;
    }
    if (!buf && len) {
        st = arcs_err_set(err, ARCS_EINVAL, "no json input");
        goto done;
    }
    st = parse_value(&p, &v, 0);
    if (st != ARCS_OK)
        goto done;
    skip_ws(&p);
    if (p.pos != p.len) {
        st = perr(&p, "trailing bytes after the json value");
        goto done;
    }
    *out = v;
    v = NULL;
done:
    arcs_json_free(v);
    free(p.buf);
    return st;
}

/* ---- serializer ---- */

static arcs_status put_string(arcs__buf *s, const char *str, size_t len, arcs_err *err)
{
    static const char hex[] = "0123456789abcdef";
    size_t run = 0;

    if (!arcs_utf8_valid(str, len))
        return arcs_err_set(
            err, ARCS_EINVAL,
            "json string is not valid utf-8: fix the encoding of the input");
    arcs__buf_put(s, "\"", 1);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)str[i];
        char esc[6];
        size_t en = 2;

        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        arcs__buf_put(s, str + run, i - run);
        run = i + 1;
        esc[0] = '\\';
        switch (c) {
        case '"':
            esc[1] = '"';
            break;
        case '\\':
            esc[1] = '\\';
            break;
        case '\b':
            esc[1] = 'b';
            break;
        case '\f':
            esc[1] = 'f';
            break;
        case '\n':
            esc[1] = 'n';
            break;
        case '\r':
            esc[1] = 'r';
            break;
        case '\t':
            esc[1] = 't';
            break;
        default:
            esc[1] = 'u';
            esc[2] = '0';
            esc[3] = '0';
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            en = 6;
        }
        arcs__buf_put(s, esc, en);
    }
    arcs__buf_put(s, str + run, len - run);
    arcs__buf_put(s, "\"", 1);
    return ARCS_OK;
}

static arcs_status put_value(arcs__buf *s, const arcs_json *v, int depth, arcs_err *err)
{
    const arcs_json_member **sorted = NULL;
    arcs_status st = ARCS_OK;

    if (!v) {
        st = arcs_err_set(err, ARCS_EINVAL, "missing json value");
        goto done;
    }
    switch (v->type) {
    case ARCS_JSON_NULL:
        arcs__buf_put(s, "null", 4);
        break;
    case ARCS_JSON_TRUE:
        arcs__buf_put(s, "true", 4);
        break;
    case ARCS_JSON_FALSE:
        arcs__buf_put(s, "false", 5);
        break;
    case ARCS_JSON_STRING:
        st = put_string(s, v->str ? v->str : "", v->len, err);
        break;
    case ARCS_JSON_ARRAY:
        if (depth >= ARCS_JSON_MAX_DEPTH) {
            st = arcs_err_set(err, ARCS_EINVAL, "json nesting deeper than 64 levels");
            goto done;
        }
        arcs__buf_put(s, "[", 1);
        for (size_t i = 0; i < v->count && st == ARCS_OK; i++) {
            if (i)
                arcs__buf_put(s, ",", 1);
            st = put_value(s, v->items[i], depth + 1, err);
        }
        arcs__buf_put(s, "]", 1);
        break;
    case ARCS_JSON_OBJECT:
        if (depth >= ARCS_JSON_MAX_DEPTH) {
            st = arcs_err_set(err, ARCS_EINVAL, "json nesting deeper than 64 levels");
            goto done;
        }
        if ((st = sorted_members(&sorted, v, err)) != ARCS_OK)
            goto done;
        arcs__buf_put(s, "{", 1);
        for (size_t i = 0; i < v->count && st == ARCS_OK; i++) {
            if (i)
                arcs__buf_put(s, ",", 1);
            st = put_string(s, sorted[i]->key, sorted[i]->keylen, err);
            arcs__buf_put(s, ":", 1);
            if (st == ARCS_OK)
                st = put_value(s, sorted[i]->value, depth + 1, err);
        }
        arcs__buf_put(s, "}", 1);
        break;
    default:
        st = arcs_err_set(err, ARCS_EINVAL, "unknown json value type %d", (int)v->type);
    }
done:
    free(sorted);
    return st;
}

arcs_status arcs_json_canonical(char **out, size_t *outlen, const arcs_json *v,
                                arcs_err *err)
{
    arcs__buf s = {0};
    arcs_status st;

    *out = NULL;
    st = put_value(&s, v, 0, err);
    if (st == ARCS_OK && s.oom)
        st = arcs_err_set(err, ARCS_ERROR, "out of memory writing canonical json");
    if (st != ARCS_OK)
        goto done;
    arcs__buf_put(&s, "", 0);
    if (s.oom || !s.b) {
        st = arcs_err_set(err, ARCS_ERROR, "out of memory writing canonical json");
        goto done;
    }
    s.b[s.n] = '\0';
    *out = s.b;
    if (outlen)
        *outlen = s.n;
    s.b = NULL;
done:
    free(s.b);
    return st;
}

arcs_status arcs_json_canonicalize(char **out, size_t *outlen, const char *buf,
                                   size_t len, int flags, arcs_err *err)
{
    arcs_json *v = NULL;
    arcs_status st;

    *out = NULL;
    st = arcs_json_parse(&v, buf, len, flags, err);
    if (st == ARCS_OK)
        st = arcs_json_canonical(out, outlen, v, err);
    arcs_json_free(v);
    return st;
}

/* ---- canonical recognizer ----
 *
 * A one-pass check, with no allocation, that accepts only bytes the
 * serializer would write back unchanged. It may refuse canonical input (keys
 * holding escapes, nesting near the limit): arcs_json_is_canonical then runs
 * the parse-and-serialize reference, which also gives the error message. So
 * the recognizer must never accept what the reference refuses; it accepts
 *   - strings: bytes 0x20..0x7F other than '"' and '\' literally, valid UTF-8
 *     sequences, and exactly the escapes put_string writes (\" \\ \b \t \n
 *     \f \r, and \u00xx lowercase for the other controls);
 *   - objects whose keys hold no escape and strictly increase in UTF-16 order
 *     (so no duplicates), as sorted_members orders them;
 *   - arrays, true, false, null; no whitespace, no numbers, nothing after.
 */

#define RECOGNIZE_MAX_DEPTH 48 /* below ARCS_JSON_MAX_DEPTH; deeper goes the slow way */

/* The string at s[*pos] (on its '"'); *pos moves past it. 0 if refused. */
static int rec_string(const unsigned char *s, size_t len, size_t *pos, int *escaped)
{
    size_t i = *pos + 1;

    *escaped = 0;
    for (;;) {
        unsigned char c;

        while (i < len && s[i] >= 0x20 && s[i] < 0x80 && s[i] != '"' && s[i] != '\\')
            i++;
        if (i >= len)
            return 0;
        c = s[i];
        if (c == '"') {
            *pos = i + 1;
            return 1;
        }
        if (c < 0x20)
            return 0;
        if (c >= 0x80) {
            uint32_t cp;
            size_t n = utf8_next(s + i, len - i, &cp);
            if (n == 0)
                return 0;
            i += n;
            continue;
        }
        /* backslash: only the escapes put_string writes */
        *escaped = 1;
        if (i + 1 >= len)
            return 0;
        switch (s[i + 1]) {
        case '"':
        case '\\':
        case 'b':
        case 't':
        case 'n':
        case 'f':
        case 'r':
            i += 2;
            break;
        case 'u': {
            unsigned char lo;
            if (i + 6 > len || s[i + 2] != '0' || s[i + 3] != '0' ||
                (s[i + 4] != '0' && s[i + 4] != '1'))
                return 0;
            lo = s[i + 5];
            if (!((lo >= '0' && lo <= '9') || (lo >= 'a' && lo <= 'f')))
                return 0;
            {
                unsigned v = (unsigned)(s[i + 4] - '0') * 16 +
                             (unsigned)(lo <= '9' ? lo - '0' : lo - 'a' + 10);
                if (v == '\b' || v == '\t' || v == '\n' || v == '\f' || v == '\r')
                    return 0;
            }
            i += 6;
            break;
        }
        default:
            return 0;
        }
    }
}

static int rec_value(const unsigned char *s, size_t len, size_t *pos, int depth)
{
    size_t i = *pos;
    int esc;

    if (i >= len)
        return 0;
    switch (s[i]) {
    case '"':
        return rec_string(s, len, pos, &esc);
    case 't':
        if (len - i < 4 || memcmp(s + i, "true", 4))
            return 0;
        *pos = i + 4;
        return 1;
    case 'f':
        if (len - i < 5 || memcmp(s + i, "false", 5))
            return 0;
        *pos = i + 5;
        return 1;
    case 'n':
        if (len - i < 4 || memcmp(s + i, "null", 4))
            return 0;
        *pos = i + 4;
        return 1;
    case '[':
        if (depth >= RECOGNIZE_MAX_DEPTH)
            return 0;
        i++;
        if (i < len && s[i] == ']') {
            *pos = i + 1;
            return 1;
        }
        for (;;) {
            if (!rec_value(s, len, &i, depth + 1) || i >= len)
                return 0;
            if (s[i] == ']') {
                *pos = i + 1;
                return 1;
            }
            if (s[i] != ',')
                return 0;
            i++;
        }
    case '{': {
        size_t pk = 0, pklen = 0, k;
        int first = 1;

        if (depth >= RECOGNIZE_MAX_DEPTH)
            return 0;
        i++;
        if (i < len && s[i] == '}') {
            *pos = i + 1;
            return 1;
        }
        for (;;) {
            if (i >= len || s[i] != '"')
                return 0;
            k = i;
            if (!rec_string(s, len, &i, &esc) || esc)
                return 0;
            /* key bytes are s[k+1, i-1): valid UTF-8, no escapes */
            if (!first && key_cmp((const char *)s + pk, pklen, (const char *)s + k + 1,
                                  i - k - 2) >= 0)
                return 0;
            first = 0;
            pk = k + 1;
            pklen = i - k - 2;
            if (i >= len || s[i] != ':')
                return 0;
            i++;
            if (!rec_value(s, len, &i, depth + 1) || i >= len)
                return 0;
            if (s[i] == '}') {
                *pos = i + 1;
                return 1;
            }
            if (s[i] != ',')
                return 0;
            i++;
        }
    }
    default:
        return 0;
    }
}

static int recognized_canonical(const char *buf, size_t len)
{
    size_t pos = 0;

    if (!buf || len == 0 || len > ARCS_JSON_MAX_INPUT)
        return 0;
    return rec_value((const unsigned char *)buf, len, &pos, 0) && pos == len;
}

arcs_status arcs_json_is_canonical(const char *buf, size_t len, arcs_err *err)
{
    char *c = NULL;
    size_t clen = 0;
    arcs_status st;

    if (recognized_canonical(buf, len))
        return ARCS_OK;
    st = arcs_json_canonicalize(&c, &clen, buf, len, 0, err);
    if (st != ARCS_OK)
        goto done;
    if (clen != len || memcmp(c, buf, len) != 0) {
        size_t i = 0;
        while (i < len && i < clen && c[i] == buf[i])
            i++;
        st = arcs_err_set(err, ARCS_EVERIFY,
                          "json is valid but not canonical: first difference at byte %zu "
                          "(whitespace, key order or escaping)",
                          i);
    }
done:
    free(c);
    return st;
}

/* ---- fast paths for the audit code (canonical_int.h) ---- */

int arcs__json_recognize_object(const char *buf, size_t len, arcs__json_member *m,
                                size_t max, size_t *count)
{
    const unsigned char *s = (const unsigned char *)buf;
    size_t i = 1, pk = 0, pklen = 0, n = 0;
    int esc;

    *count = 0;
    if (!buf || len < 2 || len > ARCS_JSON_MAX_INPUT || s[0] != '{')
        return recognized_canonical(buf, len);
    if (s[1] == '}')
        return len == 2;
    for (;;) {
        size_t k = i, v;

        if (i >= len || s[i] != '"' || !rec_string(s, len, &i, &esc) || esc)
            return 0;
        /* the same order check as rec_value's */
        if (n > 0 &&
            key_cmp((const char *)s + pk, pklen, (const char *)s + k + 1, i - k - 2) >= 0)
            return 0;
        pk = k + 1;
        pklen = i - k - 2;
        if (i >= len || s[i] != ':')
            return 0;
        v = ++i;
        if (!rec_value(s, len, &i, 1) || i >= len)
            return 0;
        if (n < max) {
            m[n].key = buf + pk;
            m[n].keylen = pklen;
            m[n].val = buf + v;
            m[n].vallen = i - v;
        }
        n++;
        if (s[i] == '}') {
            if (i + 1 != len)
                return 0;
            *count = n;
            return 1;
        }
        if (s[i] != ',')
            return 0;
        i++;
    }
}

/* Past the canonical string at s[i] ('"'). */
static size_t skip_cstring(const char *s, size_t len, size_t i)
{
    for (i++; i < len && s[i] != '"'; i++)
        if (s[i] == '\\')
            i++;
    return i + 1;
}

/* Past the canonical value at s[i]. */
static size_t skip_cvalue(const char *s, size_t len, size_t i)
{
    int depth = 0;

    do {
        if (i >= len)
            return len;
        if (s[i] == '"') {
            i = skip_cstring(s, len, i);
            continue;
        }
        if (s[i] == '{' || s[i] == '[')
            depth++;
        else if (s[i] == '}' || s[i] == ']')
            depth--;
        else
            while (i + 1 < len && s[i + 1] >= 'a' && s[i + 1] <= 'z')
                i++; /* true false null */
        i++;
    } while (depth > 0);
    return i;
}

void arcs__json_split_object(const char *buf, size_t len, arcs__json_member *m,
                             size_t max, size_t *count)
{
    size_t i = 1, n = 0;

    *count = 0;
    if (len < 2 || buf[0] != '{' || buf[1] == '}')
        return;
    while (i < len) {
        size_t kend = skip_cstring(buf, len, i), vend;
        if (kend >= len)
            return;
        vend = skip_cvalue(buf, len, kend + 1);
        if (n < max) {
            m[n].key = buf + i + 1;
            m[n].keylen = kend - i - 2;
            m[n].val = buf + kend + 1;
            m[n].vallen = vend - kend - 1;
        }
        n++;
        i = vend + 1; /* past ',' or the final '}' */
    }
    *count = n;
}

/*
 * The canonicalizer's fast path reads the input once into a flat array of
 * nodes (each subtree contiguous, its size kept to step over it), then writes
 * it with each object's members sorted. It leaves to arcs_json_canonicalize
 * whatever it does not handle the same way for sure: escaped keys, objects
 * of many members, deep nesting, duplicate keys, numbers when they are
 * refused, and every error.
 */
#define CANON_FAST_DEPTH 48
#define CANON_FAST_MEMBERS 64

enum { CN_STR, CN_ESC, CN_NUM, CN_LIT, CN_ARR, CN_OBJ };

typedef struct arcs__cnode {
    size_t start, len; /* input bytes: string content, number or literal */
    size_t size;       /* nodes in the subtree, this one included */
    size_t count;      /* items or members */
    int type;
} arcs__cnode;

static size_t cn_push(arcs__json_canon *c, int type, size_t start)
{
    if (c->nn == c->ncap) {
        size_t cap = c->ncap ? c->ncap * 2 : 64;
        arcs__cnode *p = realloc(c->nodes, cap * sizeof(*p));
        if (!p)
            return (size_t)-1;
        c->nodes = p;
        c->ncap = cap;
    }
    c->nodes[c->nn].type = type;
    c->nodes[c->nn].start = start;
    c->nodes[c->nn].len = 0;
    c->nodes[c->nn].size = 1;
    c->nodes[c->nn].count = 0;
    return c->nn++;
}

/* The string at s[*pos] ('"'): 0 unless well formed as far as a scan tells
   (escapes are checked when decoded); *esc: it holds one. */
static int cn_string(const unsigned char *s, size_t len, size_t *pos, int *esc)
{
    size_t i = *pos + 1;

    *esc = 0;
    for (;;) {
        while (i < len && s[i] >= 0x20 && s[i] < 0x80 && s[i] != '"' && s[i] != '\\')
            i++;
        if (i >= len || s[i] < 0x20)
            return 0;
        if (s[i] == '"') {
            *pos = i + 1;
            return 1;
        }
        if (s[i] == '\\') {
            *esc = 1;
            i += 2;
            continue;
        }
        {
            uint32_t cp;
            size_t n = utf8_next(s + i, len - i, &cp);
            if (n == 0)
                return 0;
            i += n;
        }
    }
}

static void cn_ws(const unsigned char *s, size_t len, size_t *pos)
{
    while (*pos < len &&
           (s[*pos] == ' ' || s[*pos] == '\t' || s[*pos] == '\n' || s[*pos] == '\r'))
        (*pos)++;
}

/* Read the value at *pos into nodes: 1, or 0 to leave it to the reference. */
static int cn_parse(arcs__json_canon *c, const unsigned char *s, size_t len, size_t *pos,
                    int flags, int depth)
{
    size_t i, at;
    int esc;

    cn_ws(s, len, pos);
    i = *pos;
    if (i >= len)
        return 0;
    switch (s[i]) {
    case '"':
        if ((at = cn_push(c, CN_STR, i + 1)) == (size_t)-1 ||
            !cn_string(s, len, pos, &esc))
            return 0;
        c->nodes[at].type = esc ? CN_ESC : CN_STR;
        c->nodes[at].len = *pos - i - 2;
        return 1;
    case 't':
    case 'f':
    case 'n': {
        size_t n = s[i] == 'f' ? 5 : 4;
        const char *w = s[i] == 't' ? "true" : s[i] == 'f' ? "false" : "null";
        if (len - i < n || memcmp(s + i, w, n) ||
            (at = cn_push(c, CN_LIT, i)) == (size_t)-1)
            return 0;
        c->nodes[at].len = n;
        *pos = i + n;
        return 1;
    }
    case '[':
    case '{': {
        int obj = s[i] == '{';
        char close = obj ? '}' : ']';

        if (depth >= CANON_FAST_DEPTH ||
            (at = cn_push(c, obj ? CN_OBJ : CN_ARR, i)) == (size_t)-1)
            return 0;
        (*pos)++;
        cn_ws(s, len, pos);
        if (*pos < len && s[*pos] == close) {
            (*pos)++;
            return 1;
        }
        for (;;) {
            if (obj) {
                size_t k, ks;
                cn_ws(s, len, pos);
                ks = *pos;
                if (ks >= len || s[ks] != '"' ||
                    (k = cn_push(c, CN_STR, ks + 1)) == (size_t)-1)
                    return 0;
                if (!cn_string(s, len, pos, &esc) || esc)
                    return 0;
                c->nodes[k].len = *pos - ks - 2;
                cn_ws(s, len, pos);
                if (*pos >= len || s[*pos] != ':')
                    return 0;
                (*pos)++;
            }
            if (!cn_parse(c, s, len, pos, flags, depth + 1))
                return 0;
            if (++c->nodes[at].count > CANON_FAST_MEMBERS && obj)
                return 0;
            cn_ws(s, len, pos);
            if (*pos < len && s[*pos] == ',') {
                (*pos)++;
                continue;
            }
            if (*pos < len && s[*pos] == close) {
                (*pos)++;
                break;
            }
            return 0;
        }
        c->nodes[at].size = c->nn - at;
        return 1;
    }
    default: {
        parser p = {s, len, i, flags, NULL, NULL, 0, 0};
        size_t end;

        if (!(flags & ARCS_JSON_NUMBERS_AS_STRINGS) || (s[i] != '-' && !is_digit(s[i])) ||
            (end = scan_number(&p)) == 0 || (at = cn_push(c, CN_NUM, i)) == (size_t)-1)
            return 0;
        c->nodes[at].len = end - i;
        *pos = end;
        return 1;
    }
    }
}

/* Room for n top-level members. */
static int top_room(arcs__json_canon *c, size_t n)
{
    if (n > c->topcap) {
        arcs__json_member *t = realloc(c->top, n * sizeof(*t));
        size_t *o;
        if (t)
            c->top = t;
        o = t ? realloc(c->topoff, 3 * n * sizeof(*o)) : NULL;
        if (!o)
            return 0;
        c->topoff = o;
        c->topcap = n;
    }
    return 1;
}

/* Write the subtree at node idx: 1, or 0 to leave it to the reference. */
static int cn_emit(arcs__json_canon *c, arcs__buf *sb, const unsigned char *s, size_t len,
                   size_t idx, size_t otop)
{
    const arcs__cnode *nd = &c->nodes[idx];
    size_t count = nd->count, j;

    switch (nd->type) {
    case CN_STR:
    case CN_NUM:
        arcs__buf_put(sb, "\"", 1);
        arcs__buf_put(sb, (const char *)s + nd->start, nd->len);
        arcs__buf_put(sb, "\"", 1);
        return 1;
    case CN_LIT:
        arcs__buf_put(sb, (const char *)s + nd->start, nd->len);
        return 1;
    case CN_ESC: {
        parser p = {s, len, nd->start - 1, 0, NULL, c->dec, 0, c->deccap};
        arcs_status st = parse_string(&p);
        c->dec = p.buf;
        c->deccap = p.bcap;
        if (st != ARCS_OK || p.pos != nd->start + nd->len + 1)
            return 0;
        return put_string(sb, p.buf ? p.buf : "", p.blen, NULL) == ARCS_OK;
    }
    case CN_ARR:
        arcs__buf_put(sb, "[", 1);
        for (size_t k = 0, j2 = idx + 1; k < count; k++) {
            if (k)
                arcs__buf_put(sb, ",", 1);
            if (!cn_emit(c, sb, s, len, j2, otop))
                return 0;
            j2 += c->nodes[j2].size;
        }
        arcs__buf_put(sb, "]", 1);
        return 1;
    default: /* CN_OBJ */
        if (otop + count > c->ocap) {
            size_t cap = c->ocap ? c->ocap : 64;
            size_t *o;
            while (cap < otop + count)
                cap *= 2;
            o = realloc(c->order, cap * sizeof(*o));
            if (!o)
                return 0;
            c->order = o;
            c->ocap = cap;
        }
        j = idx + 1;
        for (size_t k = 0; k < count; k++) {
            /* insertion sort of the key nodes by key */
            const arcs__cnode *kn = &c->nodes[j];
            size_t m = k;
            while (m > 0) {
                const arcs__cnode *pn = &c->nodes[c->order[otop + m - 1]];
                int r = key_cmp((const char *)s + pn->start, pn->len,
                                (const char *)s + kn->start, kn->len);
                if (r == 0)
                    return 0; /* duplicate: the reference refuses it */
                if (r < 0)
                    break;
                c->order[otop + m] = c->order[otop + m - 1];
                m--;
            }
            c->order[otop + m] = j;
            j += 1 + c->nodes[j + 1].size;
        }
        if (idx == 0 && !top_room(c, count))
            return 0;
        arcs__buf_put(sb, "{", 1);
        for (size_t k = 0; k < count; k++) {
            size_t kj = c->order[otop + k];
            if (k)
                arcs__buf_put(sb, ",", 1);
            if (idx == 0)
                c->topoff[3 * k] = sb->n;
            if (!cn_emit(c, sb, s, len, kj, otop + count))
                return 0;
            arcs__buf_put(sb, ":", 1);
            if (idx == 0)
                c->topoff[3 * k + 1] = sb->n;
            if (!cn_emit(c, sb, s, len, kj + 1, otop + count))
                return 0;
            if (idx == 0)
                c->topoff[3 * k + 2] = sb->n;
        }
        if (idx == 0)
            c->ntop = count;
        arcs__buf_put(sb, "}", 1);
        return 1;
    }
}

arcs_status arcs__json_canon_run(arcs__json_canon *c, const char *buf, size_t len,
                                 int flags, arcs_err *err)
{
    const unsigned char *s = (const unsigned char *)buf;
    arcs__buf sb = {c->out, 0, c->cap, 0};
    size_t pos = 0;
    char *ref = NULL;
    size_t rlen = 0;
    arcs_status st;

    c->nn = 0;
    c->n = 0;
    c->ntop = 0;
    if (buf && len > 0 && len <= ARCS_JSON_MAX_INPUT &&
        cn_parse(c, s, len, &pos, flags, 0) && (cn_ws(s, len, &pos), pos == len) &&
        cn_emit(c, &sb, s, len, 0, 0)) {
        arcs__buf_put(&sb, "", 0);
        if (!sb.oom && sb.b) {
            sb.b[sb.n] = '\0';
            c->out = sb.b;
            c->cap = sb.cap;
            c->n = sb.n;
            for (size_t k = 0; k < c->ntop; k++) {
                const size_t *o = c->topoff + 3 * k;
                c->top[k].key = c->out + o[0] + 1;
                c->top[k].keylen = o[1] - o[0] - 3;
                c->top[k].val = c->out + o[1];
                c->top[k].vallen = o[2] - o[1];
            }
            return ARCS_OK;
        }
    }
    c->ntop = 0;
    /* the reference, for everything else */
    c->out = sb.b;
    c->cap = sb.cap;
    st = arcs_json_canonicalize(&ref, &rlen, buf, len, flags, err);
    if (st == ARCS_OK) {
        sb.n = 0;
        sb.oom = 0;
        arcs__buf_put(&sb, ref, rlen);
        arcs__buf_put(&sb, "", 0);
        c->out = sb.b;
        c->cap = sb.cap;
        if (sb.oom || !sb.b)
            st = arcs_err_set(err, ARCS_ERROR, "out of memory writing canonical json");
        else {
            size_t n;
            sb.b[rlen] = '\0';
            c->n = rlen;
            arcs__json_split_object(c->out, c->n, c->top, c->topcap, &n);
            if (n > c->topcap && top_room(c, n))
                arcs__json_split_object(c->out, c->n, c->top, c->topcap, &n);
            if (n > c->topcap)
                st =
                    arcs_err_set(err, ARCS_ERROR, "out of memory writing canonical json");
            else
                c->ntop = n;
        }
    }
    free(ref);
    return st;
}

void arcs__json_canon_free(arcs__json_canon *c)
{
    free(c->out);
    free(c->nodes);
    free(c->order);
    free(c->dec);
    free(c->top);
    free(c->topoff);
    memset(c, 0, sizeof(*c));
}

arcs_status arcs__json_append_string(arcs__buf *b, const char *str, size_t n,
                                     arcs_err *err)
{
    arcs_status st = put_string(b, str, n, err);

    if (st == ARCS_OK && b->oom)
        st = arcs_err_set(err, ARCS_ERROR, "out of memory writing canonical json");
    return st;
}
