/* Amounts, rates and conversion: the accept/refuse table, golden conversions
   (half to even) and format/parse round trips. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "arcs/money.h"

typedef struct parse_case {
    const char *text;
    int exponent;
    int positive;
    int ok;
    int64_t value;      /* when ok */
    const char *needle; /* when refused: a word the message must contain */
} parse_case;

static const parse_case parse_cases[] = {
    /* accepted */
    {"0", 2, 0, 1, 0, NULL},
    {"5", 2, 0, 1, 500, NULL},
    {"5.1", 2, 0, 1, 510, NULL},
    {"5.10", 2, 0, 1, 510, NULL},
    {"007.50", 2, 0, 1, 750, NULL},
    {"1250000.00", 2, 0, 1, 125000000, NULL},
    {"0.01", 2, 1, 1, 1, NULL},
    {"1", 0, 1, 1, 1, NULL},
    {"1234", 0, 0, 1, 1234, NULL},
    {"1.234", 3, 0, 1, 1234, NULL},
    {"1.2", 3, 0, 1, 1200, NULL},
    {"0.0001", 4, 1, 1, 1, NULL},
    {"0000000000000000000000000001", 0, 0, 1, 1, NULL},
    {"9223372036854775807", 0, 0, 1, INT64_MAX, NULL},
    {"92233720368547758.07", 2, 0, 1, INT64_MAX, NULL},
    {"92233720368547758", 2, 0, 1, 9223372036854775800, NULL},
    {"922337203685477.5807", 4, 0, 1, INT64_MAX, NULL},
    {"00.00", 2, 0, 1, 0, NULL},
    /* refused */
    {"", 2, 0, 0, 0, "empty"},
    {" 5", 2, 0, 0, 0, "white space"},
    {"5 ", 2, 0, 0, 0, "white space"},
    {"5\t", 2, 0, 0, 0, "white space"},
    {"5\n", 2, 0, 0, 0, "white space"},
    {"+5", 2, 0, 0, 0, "sign"},
    {"-5", 2, 0, 0, 0, "sign"},
    {"-0", 2, 0, 0, 0, "sign"},
    {"1e5", 2, 0, 0, 0, "exponent"},
    {"1E5", 2, 0, 0, 0, "exponent"},
    {"1,000", 2, 0, 0, 0, "separator"},
    {"1,5", 2, 0, 0, 0, "separator"},
    {"1 000", 2, 0, 0, 0, "white space"},
    {"1_000", 2, 0, 0, 0, "separator"},
    {"1'000", 2, 0, 0, 0, "separator"},
    {"5.", 2, 0, 0, 0, "no digit after"},
    {".5", 2, 0, 0, 0, "no digit before"},
    {".", 2, 0, 0, 0, "no digit before"},
    {"1.2.3", 2, 0, 0, 0, "more than one decimal point"},
    {"1.234", 2, 0, 0, 0, "has 3 decimals; this currency allows 2"},
    {"5.0", 0, 0, 0, 0, "has 1 decimal; this currency allows 0"},
    {"5.00", 0, 0, 0, 0, "has 2 decimals; this currency allows 0"},
    {"1.23456", 4, 0, 0, 0, "has 5 decimals; this currency allows 4"},
    {"0.001", 2, 0, 0, 0, "has 3 decimals"},
    {"9223372036854775808", 0, 0, 0, 0, "too large"},
    {"92233720368547758.08", 2, 0, 0, 0, "too large"},
    {"92233720368547759", 2, 0, 0, 0, "too large"},
    {"922337203685477.5808", 4, 0, 0, 0, "too large"},
    {"99999999999999999999999", 0, 0, 0, 0, "too large"},
    {"0", 2, 1, 0, 0, "zero"},
    {"0.00", 2, 1, 0, 0, "zero"},
    {"000", 0, 1, 0, 0, "zero"},
    {"abc", 2, 0, 0, 0, "unexpected character 'a'"},
    {"0x10", 2, 0, 0, 0, "unexpected character 'x'"},
    {"NaN", 2, 0, 0, 0, "unexpected character"},
    {"inf", 2, 0, 0, 0, "unexpected character"},
    {"$5", 2, 0, 0, 0, "unexpected character '$'"},
    {"5\x01", 2, 0, 0, 0, "control byte 0x01 at position 2"},
    {"\x7f", 2, 0, 0, 0, "control byte 0x7f"},
    {"\xd9\xa1\xd9\xa2", 2, 0, 0, 0, "non-ASCII"}, /* Arabic-Indic 12 */
    {"\xef\xbc\x95", 2, 0, 0, 0, "non-ASCII"},     /* fullwidth 5 */
    {"5\xc2\xa0", 2, 0, 0, 0, "non-ASCII"},        /* no-break space */
    {"1", 5, 0, 0, 0, "exponent 5 is out of range"},
    {"1", -1, 0, 0, 0, "exponent -1 is out of range"},
};

static void test_parse_table(void **state)
{
    (void)state;
    assert_true(sizeof(parse_cases) / sizeof(parse_cases[0]) >= 40);
    for (size_t i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
        const parse_case *c = &parse_cases[i];
        arcs_err err;
        int64_t v = -12345;
        arcs_status st = arcs_money_parse(&v, c->text, c->exponent, c->positive, &err);

        if (c->ok) {
            if (st != ARCS_OK)
                fail_msg("case %zu '%s' refused: %s", i, c->text, err.msg);
            assert_int_equal(v, c->value);
            assert_string_equal(err.msg, "");
        } else {
            if (st != ARCS_EINVAL)
                fail_msg("case %zu '%s' accepted as %lld", i, c->text, (long long)v);
            assert_int_equal(err.code, ARCS_EINVAL);
            assert_int_equal(v, -12345); /* untouched on refusal */
            if (!strstr(err.msg, c->needle))
                fail_msg("case %zu '%s': message '%s' lacks '%s'", i, c->text, err.msg,
                         c->needle);
            assert_null(strchr(err.msg, '\n'));
        }
    }
}

static void test_parse_messages(void **state)
{
    arcs_err err;
    int64_t v = 0;

    (void)state;
    assert_int_equal(arcs_money_parse(&v, "1.234", 2, 1, &err), ARCS_EINVAL);
    assert_string_equal(err.msg, "amount '1.234' has 3 decimals; this currency allows 2");
    assert_int_equal(arcs_money_parse(&v, "92233720368547758.08", 2, 1, &err),
                     ARCS_EINVAL);
    assert_non_null(strstr(err.msg, "92233720368547758.07"));
    assert_int_equal(arcs_money_parse(&v, NULL, 2, 1, &err), ARCS_EINVAL);
    assert_non_null(strstr(err.msg, "missing"));
    /* A NULL err is allowed. */
    assert_int_equal(arcs_money_parse(&v, "x", 2, 1, NULL), ARCS_EINVAL);
    /* Input echoed in a message is bounded and printable. */
    {
        char big[300];
        memset(big, '9', sizeof(big) - 1);
        big[10] = '\x01';
        big[sizeof(big) - 1] = '\0';
        assert_int_equal(arcs_money_parse(&v, big, 2, 1, &err), ARCS_EINVAL);
        assert_true(strlen(err.msg) < 200);
        assert_null(strchr(err.msg, '\x01'));
    }
}

static void test_parse_n(void **state)
{
    arcs_err err;
    int64_t v = 0;

    (void)state;
    assert_int_equal(arcs_money_parse_n(&v,
                                        "5\0"
                                        "0",
                                        3, 2, 0, &err),
                     ARCS_EINVAL);
    assert_non_null(strstr(err.msg, "NUL byte at position 2"));
    /* Only len bytes are read: the field "12" of "12.345". */
    assert_int_equal(arcs_money_parse_n(&v, "12.345", 2, 2, 0, &err), ARCS_OK);
    assert_int_equal(v, 1200);
    assert_int_equal(arcs_money_parse_n(&v, "12.345", 5, 2, 0, &err), ARCS_OK);
    assert_int_equal(v, 1234);
    assert_int_equal(arcs_money_parse_n(&v, "12.345", 0, 2, 0, &err), ARCS_EINVAL);
    assert_non_null(strstr(err.msg, "empty"));
}

static void test_format(void **state)
{
    static const struct {
        int64_t minor;
        int exp;
        const char *text;
    } cases[] = {
        {0, 2, "0.00"},
        {0, 0, "0"},
        {5, 2, "0.05"},
        {-5, 2, "-0.05"},
        {-1, 4, "-0.0001"},
        {125000000, 2, "1250000.00"},
        {7, 0, "7"},
        {-7, 0, "-7"},
        {1234, 3, "1.234"},
        {INT64_MAX, 0, "9223372036854775807"},
        {INT64_MAX, 2, "92233720368547758.07"},
        {INT64_MIN, 0, "-9223372036854775808"},
        {INT64_MIN, 2, "-92233720368547758.08"},
        {INT64_MIN, 4, "-922337203685477.5808"},
        {INT64_MIN, 18, "-9.223372036854775808"},
        {INT64_MIN, 40, "-9.223372036854775808"}, /* clamped to 18 */
        {1, 18, "0.000000000000000001"},
        {5, -3, "5"}, /* clamped to 0 */
    };
    char buf[ARCS_MONEY_TEXT_MAX];

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        memset(buf, 'Z', sizeof(buf));
        arcs_money_format(buf, cases[i].minor, cases[i].exp);
        assert_string_equal(buf, cases[i].text);
    }
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rng(void)
{
    /* xorshift64*: deterministic, so a failure reproduces. */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dULL;
}

/* Values of every magnitude, not just ~19-digit ones. */
static int64_t random_minor(void)
{
    uint64_t r = rng();
    int bits = (int)(rng() % 64);
    uint64_t mag = bits == 0 ? 0 : r >> (64 - bits);
    return (rng() & 1) ? (int64_t)mag : -(int64_t)(mag >> 1);
}

static void test_format_parse_roundtrip(void **state)
{
    static const int64_t edges[] = {
        0, 1, -1, 9, 10, 99, 100, INT64_MAX, INT64_MIN, INT64_MIN + 1, INT64_MAX - 1};
    char buf[ARCS_MONEY_TEXT_MAX];
    arcs_err err;

    (void)state;
    for (int i = 0; i < 200000; i++) {
        int64_t v = i < 11 * 5 ? edges[i / 5] : random_minor();
        int exp = i % 5;
        int64_t back = 0;

        arcs_money_format(buf, v, exp);
        if (v < 0) {
            /* Amounts are typed unsigned: the digits after '-' parse to -v. */
            assert_int_equal(buf[0], '-');
            if (v == INT64_MIN) {
                assert_int_equal(arcs_money_parse(&back, buf + 1, exp, 0, &err),
                                 ARCS_EINVAL);
                continue;
            }
            if (arcs_money_parse(&back, buf + 1, exp, 0, &err) != ARCS_OK)
                fail_msg("'%s' exp %d: %s", buf, exp, err.msg);
            assert_int_equal(back, -v);
        } else {
            if (arcs_money_parse(&back, buf, exp, 0, &err) != ARCS_OK)
                fail_msg("'%s' exp %d: %s", buf, exp, err.msg);
            assert_int_equal(back, v);
        }
    }
}

static arcs_rate rate_of(const char *text)
{
    arcs_rate r = {0, 0};
    arcs_err err;
    if (arcs_rate_parse(&r, text, &err) != ARCS_OK)
        fail_msg("rate '%s': %s", text, err.msg);
    return r;
}

static void test_rate_parse(void **state)
{
    static const struct {
        const char *text;
        int ok;
        int64_t mantissa;
        int scale;
        const char *needle;
    } cases[] = {
        {"470.10", 1, 4701, 1, NULL},
        {"82.42135", 1, 8242135, 5, NULL},
        {"1", 1, 1, 0, NULL},
        {"1.000", 1, 1, 0, NULL},
        {"100", 1, 100, 0, NULL},
        {"100.000000000000", 1, 100, 0, NULL},
        {"0.000000000001", 1, 1, 12, NULL},
        {"0.000617", 1, 617, 6, NULL},
        {"9223372036854775807", 1, INT64_MAX, 0, NULL},
        {"92233720368.54775807", 1, INT64_MAX, 8, NULL},
        {"9223372036854775807.000000000000", 1, INT64_MAX, 0, NULL},
        {"0.0000000000001", 0, 0, 0, "13 decimals; at most 12"},
        {"9223372036854775808", 0, 0, 0, "too many significant digits"},
        {"1.0000000000001", 0, 0, 0, "13 decimals"},
        {"0", 0, 0, 0, "zero"},
        {"0.000", 0, 0, 0, "zero"},
        {"", 0, 0, 0, "empty"},
        {"-1", 0, 0, 0, "sign"},
        {"+1", 0, 0, 0, "sign"},
        {"1e3", 0, 0, 0, "exponent"},
        {"1,5", 0, 0, 0, "separator"},
        {".5", 0, 0, 0, "no digit before"},
        {"5.", 0, 0, 0, "no digit after"},
        {" 5", 0, 0, 0, "white space"},
    };
    arcs_err err;

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        arcs_rate r = {-1, -1};
        arcs_status st = arcs_rate_parse(&r, cases[i].text, &err);
        if (cases[i].ok) {
            if (st != ARCS_OK)
                fail_msg("rate '%s' refused: %s", cases[i].text, err.msg);
            assert_int_equal(r.mantissa, cases[i].mantissa);
            assert_int_equal(r.scale, cases[i].scale);
        } else {
            if (st != ARCS_EINVAL)
                fail_msg("rate '%s' accepted", cases[i].text);
            assert_int_equal(r.mantissa, -1);
            if (!strstr(err.msg, cases[i].needle))
                fail_msg("rate '%s': '%s' lacks '%s'", cases[i].text, err.msg,
                         cases[i].needle);
        }
    }
    assert_int_equal(arcs_rate_parse(&(arcs_rate){0, 0}, NULL, &err), ARCS_EINVAL);
    assert_int_equal(arcs_rate_parse_n(&(arcs_rate){0, 0}, "1\0", 2, &err), ARCS_EINVAL);
    assert_non_null(strstr(err.msg, "NUL"));
}

static void test_rate_format(void **state)
{
    static const struct {
        arcs_rate rate;
        const char *text;
    } cases[] = {
        {{47010, 2}, "470.1"},
        {{4701, 1}, "470.1"},
        {{5, 0}, "5"},
        {{100, 2}, "1"},
        {{1, 12}, "0.000000000001"},
        {{8242135, 5}, "82.42135"},
        {{INT64_MAX, 12}, "9223372.036854775807"},
    };
    char buf[ARCS_MONEY_TEXT_MAX];

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        arcs_rate_format(buf, &cases[i].rate);
        assert_string_equal(buf, cases[i].text);
    }
    /* Round trip: format then parse gives the same value (normalized). */
    for (int i = 0; i < 100000; i++) {
        arcs_rate r = {(int64_t)(rng() >> (1 + rng() % 63)), (int)(rng() % 13)}, back;
        arcs_err err;
        if (r.mantissa == 0)
            r.mantissa = 1;
        arcs_rate_format(buf, &r);
        if (arcs_rate_parse(&back, buf, &err) != ARCS_OK)
            fail_msg("rate '%s': %s", buf, err.msg);
        while (r.scale > 0 && r.mantissa % 10 == 0) {
            r.mantissa /= 10;
            r.scale--;
        }
        assert_int_equal(back.mantissa, r.mantissa);
        assert_int_equal(back.scale, r.scale);
    }
}

static int64_t convert_ok(int64_t minor, int from_exp, const char *rate, int to_exp)
{
    arcs_rate r = rate_of(rate);
    arcs_err err;
    int64_t out = 0;
    if (arcs_money_convert(&out, minor, from_exp, &r, to_exp, &err) != ARCS_OK)
        fail_msg("convert %lld at %s: %s", (long long)minor, rate, err.msg);
    return out;
}

static void test_convert_golden(void **state)
{
    (void)state;
    /* 100.00 USD at 82.42135 = 8242.135 KZT: the 5 after an odd 3 goes up. */
    assert_int_equal(convert_ok(10000, 2, "82.42135", 2), 824214);
    /* 1.25 USD at 470.10 = 587.625: half to even keeps 587.62. */
    assert_int_equal(convert_ok(125, 2, "470.10", 2), 58762);
    /* Exact halves where half-up would give .79 and .13. */
    assert_int_equal(convert_ok(24785, 3, "1", 2), 2478);
    assert_int_equal(convert_ok(10000, 2, "82.42125", 2), 824212);
    /* Exact halves that half to even rounds up (odd preceding digit). */
    assert_int_equal(convert_ok(15, 3, "1", 2), 2);       /* 0.015 -> 0.02 */
    assert_int_equal(convert_ok(24775, 3, "1", 2), 2478); /* 24.775 -> 24.78 */
    assert_int_equal(convert_ok(25, 3, "1", 2), 2);       /* 0.025 -> 0.02 */
    assert_int_equal(convert_ok(5, 1, "1", 0), 0);        /* 0.5 -> 0 */
    assert_int_equal(convert_ok(1, 0, "0.5", 0), 0);
    assert_int_equal(convert_ok(3, 0, "0.5", 0), 2); /* 1.5 -> 2 */
    /* Not halves: ordinary nearest. */
    assert_int_equal(convert_ok(10000, 2, "82.421351", 2), 824214);
    assert_int_equal(convert_ok(10000, 2, "82.421249", 2), 824212);
    assert_int_equal(convert_ok(10000, 2, "82.4212501", 2), 824213);
    /* JPY (exp 0) to KZT (exp 2): 1000 JPY at 3.35 = 3350.00 KZT. */
    assert_int_equal(convert_ok(1000, 0, "3.35", 2), 335000);
    /* 1 JPY at 3.355 = 3.355 KZT -> 3.36 (5 after odd 5). */
    assert_int_equal(convert_ok(1, 0, "3.355", 2), 336);
    /* 7 JPY at 3.3333 = 23.3331 KZT. */
    assert_int_equal(convert_ok(7, 0, "3.3333", 2), 2333);
    /* KZT (exp 2) to KWD (exp 3): 100000.00 KZT at 0.000617 = 61.700 KWD. */
    assert_int_equal(convert_ok(10000000, 2, "0.000617", 3), 61700);
    /* 123.45 KZT at 0.000617 = 0.07616865 KWD -> 0.076. */
    assert_int_equal(convert_ok(12345, 2, "0.000617", 3), 76);
    /* KWD (exp 3) to KZT (exp 2): 1.000 KWD at 1620.5 = 1620.50 KZT. */
    assert_int_equal(convert_ok(1000, 3, "1620.5", 2), 162050);
    /* 0.001 KWD at 1620.5 = 1.6205 KZT -> 1.62. */
    assert_int_equal(convert_ok(1, 3, "1620.5", 2), 162);
    /* Identity and zero. */
    assert_int_equal(convert_ok(123456789, 2, "1", 2), 123456789);
    assert_int_equal(convert_ok(0, 2, "470.10", 2), 0);
    /* Negative amounts round symmetrically. */
    assert_int_equal(convert_ok(-125, 2, "470.10", 2), -58762);
    assert_int_equal(convert_ok(-15, 3, "1", 2), -2);
    assert_int_equal(convert_ok(-10000, 2, "82.42135", 2), -824214);
    /* The whole int64 range at rate 1. */
    assert_int_equal(convert_ok(INT64_MAX, 2, "1", 2), INT64_MAX);
    assert_int_equal(convert_ok(INT64_MIN, 2, "1", 2), INT64_MIN);
    assert_int_equal(convert_ok(INT64_MIN, 4, "1", 0), -922337203685478); /* .5808 up */
}

static void test_convert_refused(void **state)
{
    arcs_rate r = rate_of("2");
    arcs_rate big = {INT64_MAX, 0};
    arcs_err err;
    int64_t out = 77;

    (void)state;
    assert_int_equal(arcs_money_convert(&out, INT64_MAX, 2, &r, 2, &err), ARCS_EINVAL);
    assert_non_null(strstr(err.msg, "does not fit"));
    assert_int_equal(out, 77);
    assert_int_equal(arcs_money_convert(&out, INT64_MIN, 2, &r, 2, &err), ARCS_EINVAL);
    /* Past 128 bits before division. */
    assert_int_equal(arcs_money_convert(&out, INT64_MAX, 0, &big, 4, &err), ARCS_EINVAL);
    assert_int_equal(arcs_money_convert(&out, INT64_MIN, 0, &big, 4, &err), ARCS_EINVAL);
    /* Exactly at the edge: INT64_MAX / 2 at 2 fits, one more does not. */
    assert_int_equal(arcs_money_convert(&out, INT64_MAX / 2, 2, &r, 2, &err), ARCS_OK);
    assert_int_equal(out, INT64_MAX - 1);
    assert_int_equal(arcs_money_convert(&out, INT64_MAX / 2 + 1, 2, &r, 2, &err),
                     ARCS_EINVAL);
    /* 2^62 at 2 is exactly INT64_MIN when negative. */
    assert_int_equal(arcs_money_convert(&out, INT64_MIN / 2, 2, &r, 2, &err), ARCS_OK);
    assert_int_equal(out, INT64_MIN);
    /* Bad exponents and rates. */
    out = 77;
    assert_int_equal(arcs_money_convert(&out, 1, 5, &r, 2, &err), ARCS_EINVAL);
    assert_int_equal(arcs_money_convert(&out, 1, 2, &r, -1, &err), ARCS_EINVAL);
    assert_int_equal(arcs_money_convert(&out, 1, 2, NULL, 2, &err), ARCS_EINVAL);
    assert_int_equal(arcs_money_convert(&out, 1, 2, &(arcs_rate){0, 0}, 2, &err),
                     ARCS_EINVAL);
    assert_int_equal(arcs_money_convert(&out, 1, 2, &(arcs_rate){-5, 0}, 2, &err),
                     ARCS_EINVAL);
    assert_int_equal(arcs_money_convert(&out, 1, 2, &(arcs_rate){5, 13}, 2, &err),
                     ARCS_EINVAL);
    assert_int_equal(out, 77);
}

/* Against a plain signed reference without the fast path's shortcuts
   (cancelled powers of ten, unsigned magnitudes, the overflow guard). */
static void test_convert_property(void **state)
{
    arcs_err err;
    int overflows = 0;

    (void)state;
    for (int i = 0; i < 100000; i++) {
        int64_t minor = (int64_t)(rng() % 2000000001ULL) - 1000000000;
        arcs_rate r = {(int64_t)(rng() % 100000000ULL) + 1, (int)(rng() % 9)};
        int from = (int)(rng() % 5), to = (int)(rng() % 5);
        int64_t out;
        /* num / den with num = minor * m * 10^to, den = 10^(scale + from). */
        __int128 num = (__int128)minor * r.mantissa;
        __int128 den = 1, q, rem;
        for (int k = 0; k < to; k++)
            num *= 10;
        for (int k = 0; k < r.scale + from; k++)
            den *= 10;
        q = num / den; /* truncates toward zero */
        rem = num % den;
        if (rem < 0)
            rem = -rem;
        if (2 * rem > den || (2 * rem == den && (q % 2) != 0))
            q += num < 0 ? -1 : 1;
        if (q > INT64_MAX || q < INT64_MIN) {
            assert_int_equal(arcs_money_convert(&out, minor, from, &r, to, &err),
                             ARCS_EINVAL);
            overflows++;
            continue;
        }
        if (arcs_money_convert(&out, minor, from, &r, to, &err) != ARCS_OK)
            fail_msg("%lld exp %d at %lld/10^%d to exp %d: %s", (long long)minor, from,
                     (long long)r.mantissa, r.scale, to, err.msg);
        assert_int_equal(out, (int64_t)q);
    }
    /* Both outcomes were exercised. */
    assert_true(overflows > 100 && overflows < 50000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_table),
        cmocka_unit_test(test_parse_messages),
        cmocka_unit_test(test_parse_n),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_format_parse_roundtrip),
        cmocka_unit_test(test_rate_parse),
        cmocka_unit_test(test_rate_format),
        cmocka_unit_test(test_convert_golden),
        cmocka_unit_test(test_convert_refused),
        cmocka_unit_test(test_convert_property),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
