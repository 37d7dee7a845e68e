/*
 * Form and query decoding (web/form.c) and the HTML escaper the pages write
 * every value through, on any bytes. No crash; a form accepted holds only
 * valid UTF-8 without NUL, at most WEB_FORM_MAX_FIELDS fields; encoding its
 * fields again and decoding gives the same fields; an escaped value holds
 * none of < > " ' and every & starts an entity.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arcs/report.h"
#include "form.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *encode(const web_form *f, size_t *len)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t cap = 1;
    char *out, *p;

    for (size_t i = 0; i < f->n; i++)
        cap += 3 * (strlen(f->f[i].name) + strlen(f->f[i].value)) + 2;
    out = p = malloc(cap);
    if (!out)
        return NULL;
    for (size_t i = 0; i < f->n; i++) {
        const char *parts[2] = {f->f[i].name, f->f[i].value};
        if (i)
            *p++ = '&';
        for (int k = 0; k < 2; k++) {
            if (k)
                *p++ = '=';
            for (const unsigned char *s = (const unsigned char *)parts[k]; *s; s++) {
                *p++ = '%';
                *p++ = hex[*s >> 4];
                *p++ = hex[*s & 15];
            }
        }
    }
    *p = '\0';
    *len = (size_t)(p - out);
    return out;
}

static void check_escaped(const char *v)
{
    size_t n = 0;
    char *e = arcs_html_escape(v, &n);

    if (!e)
        return;
    if (strlen(e) != n || strpbrk(e, "<>\"'"))
        abort();
    for (const char *a = strchr(e, '&'); a; a = strchr(a + 1, '&'))
        if (strncmp(a, "&amp;", 5) && strncmp(a, "&lt;", 4) && strncmp(a, "&gt;", 4) &&
            strncmp(a, "&quot;", 6) && strncmp(a, "&#39;", 5) &&
            strncmp(a, "&#xFFFD;", 8))
            abort();
    free(e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    web_form f, g;
    char *again;
    size_t len = 0;
    int rc;

    rc = web_form_parse(&f, (const char *)data, size);
    if (rc == 0) {
        if (f.n > WEB_FORM_MAX_FIELDS)
            abort();
        for (size_t i = 0; i < f.n; i++) {
            if (!web_utf8_valid(f.f[i].name, strlen(f.f[i].name)) ||
                !web_utf8_valid(f.f[i].value, strlen(f.f[i].value)))
                abort();
            check_escaped(f.f[i].value);
        }
        again = encode(&f, &len);
        if (again) {
            if (web_form_parse(&g, again, len) != 0)
                abort();
            /* empty pairs are dropped: "=" decodes to a field, so counts hold */
            if (g.n != f.n)
                abort();
            for (size_t i = 0; i < f.n; i++)
                if (strcmp(f.f[i].name, g.f[i].name) ||
                    strcmp(f.f[i].value, g.f[i].value))
                    abort();
            web_form_free(&g);
            free(again);
        }
    } else if (rc != -1 && rc != -2) {
        abort();
    }
    web_form_free(&f);
    /* the escaper on the raw bytes, as a C string */
    {
        char *s = malloc(size + 1);
        if (s) {
            memcpy(s, data, size);
            s[size] = '\0';
            check_escaped(s);
            free(s);
        }
    }
    return 0;
}
