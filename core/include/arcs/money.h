/*
 * arcs: money as integer minor units. Pure functions of bytes: no database,
 * no globals, no floating point.
 */
#ifndef ARCS_MONEY_H
#define ARCS_MONEY_H

#include "common.h"

/*
 * Parse a decimal amount ("1250000.00", "5", "0.5") into minor units of a
 * currency with the given exponent (0..4). Refused with ARCS_EINVAL and a
 * message naming the problem: empty text, a sign, an exponent, a thousands
 * separator or any other character, more decimals than the exponent allows
 * (never rounded), a value past INT64_MAX minor units, and zero when
 * positive is set.
 */
ARCS_EXTERN(arcs_status)
arcs_money_parse(int64_t *out, const char *text, int exponent, int positive,
                 arcs_err *err);

/*
 * The grammar is digits [ "." digits ]: "5." and ".5" are refused (write
 * "5" and "0.5"), leading zeros ("007.50") and trailing zero decimals within
 * the exponent ("5.10") are accepted. An exponent outside 0..4 is
 * ARCS_EINVAL. *out is written only on success.
 *
 * arcs_money_parse_n: the same for `len` bytes that need not end in NUL (a
 * field of a file); a NUL byte among them is refused.
 */
ARCS_EXTERN(arcs_status)
arcs_money_parse_n(int64_t *out, const char *text, size_t len, int exponent, int positive,
                   arcs_err *err);

/* Longest text arcs_money_format writes, with its NUL. */
#define ARCS_MONEY_TEXT_MAX 32

/* Format minor units as a decimal string with exactly `exponent` decimals
   ("-12.50" for negatives). buf must hold ARCS_MONEY_TEXT_MAX bytes.
   Every int64 (INT64_MIN too) formats; an exponent outside 0..18 is clamped
   to it. */
ARCS_EXTERN(void) arcs_money_format(char *buf, int64_t minor, int exponent);

/*
 * An exchange rate: units of the base currency for one unit of the other,
 * as an exact decimal: value = mantissa / 10^scale.
 */
typedef struct arcs_rate {
    int64_t mantissa; /* > 0 */
    int scale;        /* 0..12 decimals */
} arcs_rate;

/* Parse "470.10" or "82.42135" (positive; at most 12 decimals, no sign or exponent).
   Same grammar as amounts. Trailing zero decimals are dropped, so equal rates
   give equal structs: "470.10" is stored as {4701, 1}. The
   mantissa must fit int64 (18 significant digits always do). */
ARCS_EXTERN(arcs_status) arcs_rate_parse(arcs_rate *out, const char *text, arcs_err *err);

/* arcs_rate_parse on `len` bytes; a NUL byte among them is refused. */
ARCS_EXTERN(arcs_status)
arcs_rate_parse_n(arcs_rate *out, const char *text, size_t len, arcs_err *err);

/* Write a rate as its shortest exact decimal text (ARCS_MONEY_TEXT_MAX bytes):
   {47010, 2} prints "470.1", {5, 0} prints "5". */
ARCS_EXTERN(void) arcs_rate_format(char *buf, const arcs_rate *rate);

/*
 * Convert `minor` units of a currency with exponent from_exp into minor units
 * of the base currency (exponent to_exp) at `rate`, rounding half to even
 * once:  out = round_half_even(minor * rate * 10^(to_exp - from_exp)),
 * computed exactly in 128-bit integers. Negative amounts round symmetrically.
 * ARCS_EINVAL on overflow, on an exponent outside 0..4 and on a rate that is
 * not positive with scale 0..12. *out is written only on success.
 */
ARCS_EXTERN(arcs_status)
arcs_money_convert(int64_t *out, int64_t minor, int from_exp, const arcs_rate *rate,
                   int to_exp, arcs_err *err);

/* ISO dates. */

/* Parse "YYYY-MM-DD" (a real calendar date, year 1900..2999) into days since
   1970-01-01. Refuses 2024-02-30 and anything not exactly that shape. */
ARCS_EXTERN(arcs_status) arcs_date_parse(int32_t *days, const char *text, arcs_err *err);

/* arcs_date_parse on `len` bytes; anything but exactly 10 is refused. */
ARCS_EXTERN(arcs_status)
arcs_date_parse_n(int32_t *days, const char *text, size_t len, arcs_err *err);

/* Format days since 1970-01-01 as "YYYY-MM-DD" (11 bytes with NUL). Days
   outside years 0000..9999 write "0000-00-00", which no parser accepts. */
ARCS_EXTERN(void) arcs_date_format(char *buf, int32_t days);

/* Validate codes by shape only (the database knows which exist):
   ISO 4217 "KZT" (three capitals) and ISO 3166-1 alpha-2 "KZ". */
ARCS_EXTERN(arcs_status) arcs_currency_code_check(const char *text, arcs_err *err);
ARCS_EXTERN(arcs_status) arcs_country_code_check(const char *text, arcs_err *err);

#endif
