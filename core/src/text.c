/* Text validation and terminal escaping: see text_int.h. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arcs/canonical.h"
#include "arcs/text.h"
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

void arcs__text_clip(char *dst, size_t cap, const char *s, size_t n, size_t maxchars)
{
    size_t i = 0, chars = 0, o;

    if (cap < sizeof("\u2026")) { /* no room for the mark: nothing */
        if (cap)
            dst[0] = '\0';
        return;
    }
    if (!s)
        n = 0;
    /* whole characters only, leaving room for the ellipsis and the NUL */
    while (i < n && chars < maxchars) {
        size_t k = seq_len((unsigned char)s[i]);
        if (k > n - i || (k > 1 && !arcs_utf8_valid(s + i, k)))
            k = 1;
        if (i + k + sizeof("\u2026") > cap)
            break;
        i += k;
        chars++;
    }
    memcpy(dst, s ? s : "", i);
    o = i;
    if (i < n) {
        memcpy(dst + o, "\u2026", sizeof("\u2026") - 1); /* a visible cut: "…" */
        o += sizeof("\u2026") - 1;
    }
    dst[o] = '\0';
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

static void put_hex(arcs_term_put put, void *arg, unsigned char c)
{
    static const char hex[] = "0123456789abcdef";
    char e[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};

    put(arg, e, 4);
}

/* Held bytes that did not make a character: each escaped. */
static void flush_held(arcs_term *st, arcs_term_put put, void *arg)
{
    for (int i = 0; i < st->nheld; i++)
        put_hex(put, arg, st->held[i]);
    st->nheld = st->need = 0;
}

void arcs_term_escape(arcs_term *st, const char *s, size_t n, unsigned flags,
                      arcs_term_put put, void *arg)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t run = 0; /* start of the pending plain ASCII run */

    for (size_t i = 0; i < n; i++) {
        unsigned char c = p[i];
        int plain =
            c >= 0x20 && c < 0x7F && !(c == '\\' && (flags & ARCS_TERM_BACKSLASH));

        if (st->need == 0 && (plain || (c == '\n' && (flags & ARCS_TERM_KEEP_NL))))
            continue; /* stays in the run */
        if (run < i)
            put(arg, s + run, i - run);
        run = i + 1;
        if (st->need > 0) {
            if ((c & 0xC0) == 0x80) {
                st->held[st->nheld++] = c;
                if (--st->need == 0) {
                    /* C1 controls are C2 80..C2 9F */
                    if ((st->held[0] == 0xC2 && st->held[1] <= 0x9F) ||
                        !arcs_utf8_valid((const char *)st->held, (size_t)st->nheld))
                        flush_held(st, put, arg); /* C1, overlong, surrogate */
                    else {
                        put(arg, (const char *)st->held, (size_t)st->nheld);
                        st->nheld = 0;
                    }
                }
                continue;
            }
            flush_held(st, put, arg); /* cut short: not a character */
            if (plain || (c == '\n' && (flags & ARCS_TERM_KEEP_NL))) {
                run = i;
                continue;
            }
        }
        if (c == '\\' && (flags & ARCS_TERM_BACKSLASH))
            put(arg, "\\\\", 2);
        else if (c >= 0xC2 && c <= 0xF4) {
            st->held[0] = c;
            st->nheld = 1;
            st->need = c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
        } else
            put_hex(put, arg, c); /* C0, DEL, a stray or impossible byte */
    }
    if (run < n)
        put(arg, s + run, n - run);
}

void arcs_term_end(arcs_term *st, arcs_term_put put, void *arg)
{
    flush_held(st, put, arg);
}

static void buf_put(void *arg, const char *p, size_t n)
{
    arcs__buf_put(arg, p, n);
}

void arcs__text_term(arcs__buf *b, const char *s)
{
    arcs_term st = {{0}, 0, 0};

    arcs_term_escape(&st, s ? s : "", s ? strlen(s) : 0, ARCS_TERM_BACKSLASH, buf_put, b);
    arcs_term_end(&st, buf_put, b);
}

char *arcs_term_text(const char *s, unsigned flags)
{
    arcs__buf b = {0};
    arcs_term st = {{0}, 0, 0};

    arcs_term_escape(&st, s ? s : "", s ? strlen(s) : 0, flags, buf_put, &b);
    arcs_term_end(&st, buf_put, &b);
    if (b.oom) {
        arcs__buf_free(&b);
        return NULL;
    }
    return b.b ? b.b : calloc(1, 1);
}
