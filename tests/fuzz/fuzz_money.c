/*
 * Amount, rate and date parsers: never crash, never read past the input, and
 * whatever they accept formats back to text that parses to the same value.
 * The first byte chooses the amount's exponent; the rest is the text. A
 * conversion of each accepted amount at each accepted rate is checked
 * against a signed reference.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arcs/money.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_money(const char *text, size_t len, int exp, int positive)
{
    int64_t v, back;
    char buf[ARCS_MONEY_TEXT_MAX];
    arcs_err err;

    if (arcs_money_parse_n(&v, text, len, exp, positive, &err) != ARCS_OK) {
        /* A refusal always says why, on one line. */
        if (err.code != ARCS_EINVAL || err.msg[0] == '\0' || strchr(err.msg, '\n'))
            abort();
        return;
    }
    if (v < 0 || (positive && v == 0))
        abort();
    arcs_money_format(buf, v, exp);
    if (strlen(buf) >= sizeof(buf))
        abort();
    if (arcs_money_parse(&back, buf, exp, positive, &err) != ARCS_OK || back != v)
        abort();
    /* The NUL-terminated path agrees with the counted one. */
    if (memchr(text, '\0', len) == NULL &&
        (arcs_money_parse(&back, text, exp, positive, &err) != ARCS_OK || back != v))
        abort();
}

static void check_rate(const char *text, size_t len)
{
    arcs_rate r, back;
    char buf[ARCS_MONEY_TEXT_MAX];
    arcs_err err;

    if (arcs_rate_parse_n(&r, text, len, &err) != ARCS_OK)
        return;
    if (r.mantissa <= 0 || r.scale < 0 || r.scale > 12)
        abort();
    arcs_rate_format(buf, &r);
    if (arcs_rate_parse(&back, buf, &err) != ARCS_OK || back.mantissa != r.mantissa ||
        back.scale != r.scale)
        abort();
}

static void check_date(const char *text, size_t len)
{
    int32_t d, back;
    char buf[11];
    arcs_err err;

    if (arcs_date_parse_n(&d, text, len, &err) != ARCS_OK)
        return;
    arcs_date_format(buf, d);
    if (arcs_date_parse(&back, buf, &err) != ARCS_OK || back != d)
        abort();
    /* Canonical shape: the accepted text is exactly what format writes. */
    if (len != 10 || memcmp(buf, text, 10) != 0)
        abort();
}

/* Split "amount|rate" and convert; compare with a plain signed reference. */
static void check_convert(const char *text, size_t len, int from)
{
    const char *bar = memchr(text, '|', len);
    int64_t minor, out;
    arcs_rate r;
    arcs_err err;
    int to = (from + 3) % 5;
    __int128 num, den = 1, q, rem;
    arcs_status st;

    if (!bar || arcs_money_parse_n(&minor, text, (size_t)(bar - text), from, 0, &err) ||
        arcs_rate_parse_n(&r, bar + 1, len - (size_t)(bar - text) - 1, &err))
        return;
    st = arcs_money_convert(&out, minor, from, &r, to, &err);
    /* The reference itself would overflow past 2^127 / 10^4: those only get
       the crash checks. */
    if ((__int128)minor * r.mantissa > ((__int128)1 << 112))
        return;
    num = (__int128)minor * r.mantissa;
    for (int k = 0; k < to; k++)
        num *= 10;
    for (int k = 0; k < r.scale + from; k++)
        den *= 10;
    q = num / den;
    rem = num % den;
    if (2 * rem > den || (2 * rem == den && (q & 1)))
        q++;
    if (q > INT64_MAX) {
        if (st != ARCS_EINVAL)
            abort();
        return;
    }
    if (st != ARCS_OK || out != (int64_t)q)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text;
    size_t len;
    int exp;

    if (size == 0 || size > 4096)
        return 0;
    /* Any byte value, so an out-of-range exponent is exercised too. */
    exp = (int)(data[0] % 7) - 1;
    len = size - 1;
    /* A copy exactly len bytes long (plus NUL) so ASan sees any overread. */
    text = malloc(len + 1);
    if (!text)
        return 0;
    memcpy(text, data + 1, len);
    text[len] = '\0';
    check_money(text, len, exp, data[0] & 0x80);
    check_rate(text, len);
    check_date(text, len);
    if (exp >= 0 && exp <= 4)
        check_convert(text, len, exp);
    free(text);
    return 0;
}
