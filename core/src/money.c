/*
 * Amounts, exchange rates and conversion. Pure functions of bytes: integer
 * arithmetic only, so a value never depends on the platform's floating point
 * or on the locale (isdigit() would follow the locale; we compare bytes).
 */
#include <stdio.h>
#include <string.h>

#include "arcs/money.h"

#define RATE_MAX_SCALE 12
/* Any exponent above this prints more digits than an int64 has. */
#define FORMAT_MAX_EXP 18

static const uint64_t pow10_u64[] = {1ULL,
                                     10ULL,
                                     100ULL,
                                     1000ULL,
                                     10000ULL,
                                     100000ULL,
                                     1000000ULL,
                                     10000000ULL,
                                     100000000ULL,
                                     1000000000ULL,
                                     10000000000ULL,
                                     100000000000ULL,
                                     1000000000000ULL,
                                     10000000000000ULL,
                                     100000000000000ULL,
                                     1000000000000000ULL,
                                     10000000000000000ULL,
                                     100000000000000000ULL,
                                     1000000000000000000ULL};

/*
 * Copy input into a message-safe form: user text can hold control bytes or
 * invalid UTF-8, and a megabyte of digits must not become a megabyte of
 * error message.
 */
static void quote(char *dst, size_t cap, const char *text, size_t len)
{
    const size_t keep = 40;
    size_t n = 0;

    for (size_t i = 0; i < len && i < keep && n + 1 < cap; i++) {
        unsigned char c = (unsigned char)text[i];
        dst[n++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
    }
    if (len > keep && n + 4 < cap) {
        memcpy(dst + n, "...", 3);
        n += 3;
    }
    dst[n] = '\0';
}

/* Shape of an unsigned decimal: int_len digits at text, then optionally a
   point and frac_len digits at frac. */
typedef struct dec_shape {
    size_t int_len;
    const char *frac;
    size_t frac_len;
} dec_shape;

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/*
 * Check the grammar digits [ "." digits ] and name the first thing wrong.
 * `what` is "amount" or "rate"; the fix suggested depends on the mistake
 * because the common ones (a sign, grouping, a decimal comma) each need a
 * different correction from the person typing.
 */
static arcs_status dec_scan(dec_shape *s, const char *what, const char *text, size_t len,
                            arcs_err *err)
{
    char q[64];
    const char *dot = NULL;

    quote(q, sizeof(q), text, len);
    memset(s, 0, sizeof(*s));
    if (len == 0)
        return arcs_err_set(err, ARCS_EINVAL,
                            "%s is empty; write digits such as 1250000.00", what);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];

        if (is_digit((char)c))
            continue;
        if (c == '.') {
            if (dot)
                return arcs_err_set(
                    err, ARCS_EINVAL,
                    "%s '%s' has more than one decimal point; write one '.'", what, q);
            dot = text + i;
            continue;
        }
        if (c == '\0')
            return arcs_err_set(err, ARCS_EINVAL,
                                "%s has a NUL byte at position %zu; remove it", what,
                                i + 1);
        if (c == '+' || c == '-')
            return arcs_err_set(
                err, ARCS_EINVAL,
                "%s '%s' has a sign '%c'; write the digits without + or -", what, q, c);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f')
            return arcs_err_set(err, ARCS_EINVAL,
                                "%s '%s' contains white space at position %zu; write the "
                                "digits alone",
                                what, q, i + 1);
        if (c == ',' || c == '_' || c == '\'')
            return arcs_err_set(err, ARCS_EINVAL,
                                "%s '%s' has a separator '%c'; write digits without "
                                "grouping and '.' for decimals",
                                what, q, c);
        if (c == 'e' || c == 'E')
            return arcs_err_set(
                err, ARCS_EINVAL,
                "%s '%s' uses an exponent; write every digit, e.g. 100000", what, q);
        if (c >= 0x80)
            return arcs_err_set(err, ARCS_EINVAL,
                                "%s '%s' has a non-ASCII byte at position %zu; use the "
                                "digits 0-9 and '.'",
                                what, q, i + 1);
        if (c < 0x20 || c == 0x7f)
            return arcs_err_set(err, ARCS_EINVAL,
                                "%s '%s' has a control byte 0x%02x at position %zu; use "
                                "the digits 0-9 and '.'",
                                what, q, c, i + 1);
        return arcs_err_set(
            err, ARCS_EINVAL,
            "%s '%s' has an unexpected character '%c' at position %zu; use "
            "the digits 0-9 and '.'",
            what, q, c, i + 1);
    }
    s->int_len = dot ? (size_t)(dot - text) : len;
    if (dot) {
        s->frac = dot + 1;
        s->frac_len = len - s->int_len - 1;
    }
    if (s->int_len == 0)
        return arcs_err_set(err, ARCS_EINVAL,
                            "%s '%s' has no digit before the decimal point; write 0%s",
                            what, q, q);
    if (dot && s->frac_len == 0)
        return arcs_err_set(
            err, ARCS_EINVAL,
            "%s '%s' has no digit after the decimal point; drop the '.' or "
            "add the decimals",
            what, q);
    return ARCS_OK;
}

/* v = v * 10 + d, refusing to pass INT64_MAX. */
static int push_digit(uint64_t *v, unsigned d)
{
    if (*v > ((uint64_t)INT64_MAX - d) / 10)
        return -1;
    *v = *v * 10 + d;
    return 0;
}

arcs_status arcs_money_parse_n(int64_t *out, const char *text, size_t len, int exponent,
                               int positive, arcs_err *err)
{
    arcs_status st = ARCS_OK;
    dec_shape s;
    uint64_t v = 0;
    char q[64];
    int over = 0;

    arcs_err_clear(err);
    if (exponent < 0 || exponent > 4) {
        st = arcs_err_set(err, ARCS_EINVAL,
                          "currency exponent %d is out of range; it must be 0..4",
                          exponent);
        goto done;
    }
    if (!text) {
        st = arcs_err_set(err, ARCS_EINVAL,
                          "amount is missing; write digits such as 100.00");
        goto done;
    }
    st = dec_scan(&s, "amount", text, len, err);
    if (st != ARCS_OK)
        goto done;
    quote(q, sizeof(q), text, len);
    if (s.frac_len > (size_t)exponent) {
        st = arcs_err_set(err, ARCS_EINVAL,
                          "amount '%s' has %zu decimal%s; this currency allows %d", q,
                          s.frac_len, s.frac_len == 1 ? "" : "s", exponent);
        goto done;
    }
    for (size_t i = 0; i < s.int_len && !over; i++)
        over = push_digit(&v, (unsigned)(text[i] - '0'));
    for (size_t i = 0; i < s.frac_len && !over; i++)
        over = push_digit(&v, (unsigned)(s.frac[i] - '0'));
    for (size_t i = s.frac_len; i < (size_t)exponent && !over; i++)
        over = push_digit(&v, 0);
    if (over) {
        char lim[ARCS_MONEY_TEXT_MAX];
        arcs_money_format(lim, INT64_MAX, exponent);
        st =
            arcs_err_set(err, ARCS_EINVAL,
                         "amount '%s' is too large; the largest amount this currency can "
                         "hold is %s",
                         q, lim);
        goto done;
    }
    if (positive && v == 0) {
        st = arcs_err_set(err, ARCS_EINVAL, "amount '%s' is zero; give a positive amount",
                          q);
        goto done;
    }
    *out = (int64_t)v;
done:
    return st;
}

arcs_status arcs_money_parse(int64_t *out, const char *text, int exponent, int positive,
                             arcs_err *err)
{
    return arcs_money_parse_n(out, text, text ? strlen(text) : 0, exponent, positive,
                              err);
}

/* Write the magnitude `mag` with `exp` decimals (exp 0..18) after an
   optional '-'. */
static void format_fixed(char *buf, int neg, uint64_t mag, int exp)
{
    char digits[24];
    int nd = 0;
    size_t n = 0;

    /* At least exp + 1 digits, so 5 with exponent 2 prints "0.05". */
    do {
        digits[nd++] = (char)('0' + mag % 10);
        mag /= 10;
    } while (mag != 0 || nd <= exp);
    if (neg)
        buf[n++] = '-';
    for (int i = nd - 1; i >= 0; i--) {
        buf[n++] = digits[i];
        if (i == exp && exp > 0)
            buf[n++] = '.';
    }
    buf[n] = '\0';
}

static uint64_t magnitude(int64_t v)
{
    /* Unsigned negation: well defined for INT64_MIN, unlike -v. */
    return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
}

static int clamp_exp(int exp)
{
    return exp < 0 ? 0 : exp > FORMAT_MAX_EXP ? FORMAT_MAX_EXP : exp;
}

void arcs_money_format(char *buf, int64_t minor, int exponent)
{
    format_fixed(buf, minor < 0, magnitude(minor), clamp_exp(exponent));
}

arcs_status arcs_rate_parse_n(arcs_rate *out, const char *text, size_t len, arcs_err *err)
{
    arcs_status st = ARCS_OK;
    dec_shape s;
    uint64_t v = 0;
    char q[64];
    int over = 0;

    arcs_err_clear(err);
    if (!text) {
        st = arcs_err_set(err, ARCS_EINVAL,
                          "rate is missing; write a decimal such as 470.10");
        goto done;
    }
    st = dec_scan(&s, "rate", text, len, err);
    if (st != ARCS_OK)
        goto done;
    quote(q, sizeof(q), text, len);
    if (s.frac_len > RATE_MAX_SCALE) {
        st = arcs_err_set(err, ARCS_EINVAL,
                          "rate '%s' has %zu decimals; at most %d are allowed", q,
                          s.frac_len, RATE_MAX_SCALE);
        goto done;
    }
    /* Trailing zeros carry no value: dropping them makes equal rates equal
       structs and leaves more room in the mantissa. */
    while (s.frac_len > 0 && s.frac[s.frac_len - 1] == '0')
        s.frac_len--;
    for (size_t i = 0; i < s.int_len && !over; i++)
        over = push_digit(&v, (unsigned)(text[i] - '0'));
    for (size_t i = 0; i < s.frac_len && !over; i++)
        over = push_digit(&v, (unsigned)(s.frac[i] - '0'));
    if (over) {
        st = arcs_err_set(err, ARCS_EINVAL,
                          "rate '%s' has too many significant digits; at most 18 fit", q);
        goto done;
    }
    if (v == 0) {
        st = arcs_err_set(err, ARCS_EINVAL, "rate '%s' is zero; a rate must be positive",
                          q);
        goto done;
    }
    out->mantissa = (int64_t)v;
    out->scale = (int)s.frac_len;
done:
    return st;
}

arcs_status arcs_rate_parse(arcs_rate *out, const char *text, arcs_err *err)
{
    return arcs_rate_parse_n(out, text, text ? strlen(text) : 0, err);
}

void arcs_rate_format(char *buf, const arcs_rate *rate)
{
    uint64_t mag = magnitude(rate->mantissa);
    int scale = clamp_exp(rate->scale);

    while (scale > 0 && mag % 10 == 0) {
        mag /= 10;
        scale--;
    }
    format_fixed(buf, rate->mantissa < 0, mag, scale);
}

arcs_status arcs_money_convert(int64_t *out, int64_t minor, int from_exp,
                               const arcs_rate *rate, int to_exp, arcs_err *err)
{
    arcs_status st = ARCS_OK;
    unsigned __int128 num, den, q, r;
    uint64_t up_mul = 1, limit;
    int neg = minor < 0;

    arcs_err_clear(err);
    if (from_exp < 0 || from_exp > 4 || to_exp < 0 || to_exp > 4) {
        st = arcs_err_set(err, ARCS_EINVAL,
                          "currency exponents %d and %d must both be 0..4; check the "
                          "currency table",
                          from_exp, to_exp);
        goto done;
    }
    if (!rate || rate->mantissa <= 0 || rate->scale < 0 || rate->scale > RATE_MAX_SCALE) {
        st =
            arcs_err_set(err, ARCS_EINVAL,
                         "rate is not a positive decimal with at most 12 decimals; parse "
                         "it with arcs_rate_parse");
        goto done;
    }
    /*
     * Exact: out = minor * mantissa * 10^to_exp / (10^scale * 10^from_exp),
     * with the common powers of ten cancelled. |minor| * mantissa < 2^126
     * fits; the extra factor of at most 10^4 is checked, and when even that
     * overflows 128 bits the quotient (den <= 10^16) is far past INT64_MAX.
     */
    if (to_exp > from_exp)
        up_mul = pow10_u64[to_exp - from_exp];
    den = (unsigned __int128)pow10_u64[rate->scale];
    if (from_exp > to_exp)
        den *= pow10_u64[from_exp - to_exp];
    num = (unsigned __int128)magnitude(minor) * (uint64_t)rate->mantissa;
    if (num > ~(unsigned __int128)0 / up_mul)
        goto overflow;
    num *= up_mul;
    q = num / den;
    r = num % den;
    /* Half to even on the magnitude: the rule is symmetric around zero. */
    if (2 * r > den || (2 * r == den && (q & 1) != 0))
        q++;
    limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    if (q > limit)
        goto overflow;
    /* q may be 2^63 for a negative result: build it without overflowing. */
    *out = !neg ? (int64_t)(uint64_t)q : q == 0 ? 0 : -(int64_t)(uint64_t)(q - 1) - 1;
    goto done;
overflow:
    st = arcs_err_set(err, ARCS_EINVAL,
                      "converted amount does not fit: the result is past the largest "
                      "amount the base currency can hold; check the amount and the rate");
done:
    return st;
}
