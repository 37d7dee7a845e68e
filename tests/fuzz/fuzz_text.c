/*
 * Text in and out (text_int.h, arcs/text.h): the validator and the terminal
 * escaper on any bytes. No crash; escaped output holds no control byte and
 * no invalid UTF-8; escaping in any split equals escaping whole (a stream
 * gate sees stdio's chunks); what the validator accepts is valid UTF-8 of at
 * most its limit in characters; a prefix is never half a character.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arcs/canonical.h"
#include "arcs/text.h"
#include "buf_int.h"
#include "text_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void put(void *arg, const char *p, size_t n)
{
    arcs__buf_put(arg, p, n);
}

static void escape_split(arcs__buf *out, const char *s, size_t n, size_t cut,
                         unsigned flags)
{
    arcs_term st = {{0}, 0, 0};

    arcs_term_escape(&st, s, cut, flags, put, out);
    arcs_term_escape(&st, s + cut, n - cut, flags, put, out);
    arcs_term_end(&st, put, out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    arcs__buf whole = {0}, split = {0};
    arcs_err err;
    size_t cut = size ? data[0] % (size + 1) : 0, pre;

    escape_split(&whole, s, size, size, ARCS_TERM_BACKSLASH);
    escape_split(&split, s, size, cut, ARCS_TERM_BACKSLASH);
    if (whole.oom || split.oom)
        abort();
    if (whole.n != split.n || (whole.n && memcmp(whole.b, split.b, whole.n)))
        abort();
    for (size_t i = 0; i < whole.n; i++) {
        unsigned char c = (unsigned char)whole.b[i];
        if (c < 0x20 || c == 0x7F)
            abort();
        if (c == 0xC2 && i + 1 < whole.n && (unsigned char)whole.b[i + 1] <= 0x9F)
            abort(); /* a C1 control */
    }
    if (whole.n && !arcs_utf8_valid(whole.b, whole.n))
        abort();
    if (arcs__text_valid("field", s, size, 50, &err) == ARCS_OK) {
        if (!arcs_utf8_valid(s, size) || arcs__text_chars(s, size) > 50 || !size)
            abort();
        pre = arcs__text_prefix(s, size, 7);
        if (pre > size || !arcs_utf8_valid(s, pre))
            abort();
    }
    arcs__buf_free(&whole);
    arcs__buf_free(&split);
    return 0;
}
