/* Text validation and terminal escaping: see text_int.h. */
#include <stdint.h>
#include <string.h>

#include "arcs/canonical.h"
#include "text_int.h"

/* Length of the UTF-8 sequence starting at s (1 for a byte that starts none). */
static size_t seq_len(unsigned char c)
{
    if (c < 0x80)
        return 1;
    if (c >= 0xF0 && c <= 0xF4)
        return 4;
    if (c >= 0xE0)
        return c <= 0xEF ? 3 : 1;
    if (c >= 0xC2)
        return 2;
    return 1;
}

size_t arcs__text_chars(const char *s, size_t len)
{
    size_t n = 0;

    for (size_t i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            n++;
    return n;
}

size_t arcs__text_prefix(const char *s, size_t len, size_t maxchars)
{
    size_t i = 0, chars = 0;

    while (i < len && chars < maxchars) {
        size_t n = seq_len((unsigned char)s[i]);
        if (n > len - i || (n > 1 && !arcs_utf8_valid(s + i, n)))
            n = 1; /* a broken byte counts as one character of its own */
        i += n;
        chars++;
    }
    return i;
}

/* A C1 control (U+0080..U+009F) is C2 80..C2 9F in UTF-8. */
static int is_c1(const unsigned char *p, size_t left)
{
    return left >= 2 && p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F;
}

arcs_status arcs__text_valid(const char *field, const char *s, size_t len,
                             size_t maxchars, arcs_err *err)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t chars, blanks = 0;

    if (!s || len == 0)
        return arcs_err_set(err, ARCS_EINVAL, "empty %s; give a non-empty %s", field,
                            field);
    if (!arcs_utf8_valid(s, len) || memchr(s, '\0', len))
        return arcs_err_set(err, ARCS_EINVAL,
                            "%s is not valid UTF-8 text; give it as UTF-8", field);
    for (size_t i = 0; i < len; i++) {
        if (p[i] < 0x20 || p[i] == 0x7F || is_c1(p + i, len - i))
            return arcs_err_set(err, ARCS_EINVAL,
                                "%s holds a control character (U+%04X); give it as "
                                "printable text on one line",
                                field,
                                p[i] == 0xC2 ? (unsigned)p[i + 1] : (unsigned)p[i]);
        if (p[i] == ' ')
            blanks++;
    }
    if (blanks == len)
        return arcs_err_set(err, ARCS_EINVAL, "empty %s; give a non-empty %s", field,
                            field);
    chars = arcs__text_chars(s, len);
    if (chars > maxchars)
        return arcs_err_set(err, ARCS_EINVAL,
                            "%s is too long (%zu characters); at most %zu characters",
                            field, chars, maxchars);
    return ARCS_OK;
}

void arcs__text_term(arcs__buf *b, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t len = s ? strlen(s) : 0, i = 0;

    while (i < len) {
        size_t n = seq_len(p[i]);

        if (p[i] == '\\') {
            arcs__buf_puts(b, "\\\\");
            i++;
        } else if (p[i] < 0x20 || p[i] == 0x7F) {
            arcs__buf_printf(b, "\\x%02x", p[i]);
            i++;
        } else if (is_c1(p + i, len - i)) {
            arcs__buf_printf(b, "\\x%02x\\x%02x", p[i], p[i + 1]);
            i += 2;
        } else if (n == 1 && p[i] >= 0x80) {
            arcs__buf_printf(b, "\\x%02x", p[i]);
            i++;
        } else if (n > len - i || !arcs_utf8_valid(s + i, n)) {
            arcs__buf_printf(b, "\\x%02x", p[i]);
            i++;
        } else {
            arcs__buf_put(b, s + i, n);
            i += n;
        }
    }
}
