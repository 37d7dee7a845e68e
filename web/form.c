/* application/x-www-form-urlencoded decoding: the bytes of the request that
   no library has parsed for us. */
#include <stdlib.h>
#include <string.h>

#include "form.h"

int web_utf8_valid(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;

    while (i < n) {
        unsigned c = s[i];
        size_t need;
        unsigned cp;

        if (c == 0)
            return 0;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF)
            need = 1, cp = c & 0x1F;
        else if (c >= 0xE0 && c <= 0xEF)
            need = 2, cp = c & 0x0F;
        else if (c >= 0xF0 && c <= 0xF4)
            need = 3, cp = c & 0x07;
        else
            return 0;
        if (n - i <= need)
            return 0;
        for (size_t k = 1; k <= need; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return 0;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        /* overlong forms, surrogates, beyond U+10FFFF */
        if ((need == 2 && cp < 0x800) || (need == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        i += need + 1;
    }
    return 1;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decode s[0, n) into a new string; *bad on a malformed escape. */
static char *decode(const char *s, size_t n, int *bad)
{
    char *out = malloc(n + 1);
    size_t o = 0;

    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '+') {
            out[o++] = ' ';
        } else if (s[i] == '%') {
            int hi, lo;
            if (n - i < 3 || (hi = hexval(s[i + 1])) < 0 || (lo = hexval(s[i + 2])) < 0) {
                *bad = 1;
                break;
            }
            out[o++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            out[o++] = s[i];
        }
    }
    out[o] = '\0';
    if (!*bad && !web_utf8_valid(out, o))
        *bad = 1;
    return out;
}

static int push(web_form *f, char *name, char *value)
{
    if (f->n >= WEB_FORM_MAX_FIELDS) {
        free(name);
        free(value);
        return -1;
    }
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 8;
        web_field *nf = realloc(f->f, cap * sizeof(*nf));
        if (!nf) {
            free(name);
            free(value);
            return -2;
        }
        f->f = nf;
        f->cap = cap;
    }
    f->f[f->n].name = name;
    f->f[f->n].value = value;
    f->n++;
    return 0;
}

int web_form_add(web_form *f, const char *name, const char *value)
{
    size_t nn = name ? strlen(name) : 0, vn = value ? strlen(value) : 0;
    char *a, *b;

    if (!web_utf8_valid(name ? name : "", nn) || !web_utf8_valid(value ? value : "", vn))
        return -1;
    a = malloc(nn + 1);
    b = malloc(vn + 1);
    if (!a || !b) {
        free(a);
        free(b);
        return -2;
    }
    memcpy(a, name ? name : "", nn + 1);
    memcpy(b, value ? value : "", vn + 1);
    return push(f, a, b);
}

int web_form_parse(web_form *out, const char *s, size_t len)
{
    size_t i = 0;

    memset(out, 0, sizeof(*out));
    while (i < len) {
        const char *pair = s + i, *amp = memchr(pair, '&', len - i), *eq;
        size_t plen = amp ? (size_t)(amp - pair) : len - i;
        char *name, *value;
        int bad = 0, rc;

        i += plen + 1;
        if (plen == 0)
            continue;
        eq = memchr(pair, '=', plen);
        name = decode(pair, eq ? (size_t)(eq - pair) : plen, &bad);
        value = eq ? decode(eq + 1, plen - (size_t)(eq - pair) - 1, &bad)
                   : decode("", 0, &bad);
        if (!name || !value) {
            free(name);
            free(value);
            return -2;
        }
        if (bad) {
            free(name);
            free(value);
            return -1;
        }
        if ((rc = push(out, name, value)) != 0)
            return rc;
    }
    return 0;
}

const char *web_form_get(const web_form *f, const char *name)
{
    for (size_t i = 0; f && i < f->n; i++)
        if (!strcmp(f->f[i].name, name))
            return f->f[i].value;
    return NULL;
}

const char *web_form_get_nonempty(const web_form *f, const char *name)
{
    const char *v = web_form_get(f, name);
    return v && *v ? v : NULL;
}

size_t web_form_all(const web_form *f, const char *name, const char **out, size_t max)
{
    size_t k = 0;

    for (size_t i = 0; f && i < f->n; i++) {
        if (strcmp(f->f[i].name, name) || !*f->f[i].value)
            continue;
        if (k < max)
            out[k] = f->f[i].value;
        k++;
    }
    return k;
}

void web_form_free(web_form *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->n; i++) {
        free(f->f[i].name);
        free(f->f[i].value);
    }
    free(f->f);
    memset(f, 0, sizeof(*f));
}
