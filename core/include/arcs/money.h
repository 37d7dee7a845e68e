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
arcs_money_parse(int64_t *out, const char *text, int exponent, int positive, arcs_err *err);

/* Longest text arcs_money_format writes, with its NUL. */
#define ARCS_MONEY_TEXT_MAX 32

/* Format minor units as a decimal string with exactly `exponent` decimals
   ("-12.50" for negatives). buf must hold ARCS_MONEY_TEXT_MAX bytes. */
ARCS_EXTERN(void) arcs_money_format(char *buf, int64_t minor, int exponent);

/*
 * An exchange rate: units of the base currency for one unit of the other,
 * as an exact decimal: value = mantissa / 10^scale.
 */
typedef struct arcs_rate {
    int64_t mantissa; /* > 0 */
    int scale;        /* 0..12 decimals */
} arcs_rate;

/* Parse "470.10" or "82.42135" (positive; at most 12 decimals, no sign or exponent). */
ARCS_EXTERN(arcs_status) arcs_rate_parse(arcs_rate *out, const char *text, arcs_err *err);

/* Write a rate as its shortest exact decimal text (ARCS_MONEY_TEXT_MAX bytes). */
ARCS_EXTERN(void) arcs_rate_format(char *buf, const arcs_rate *rate);

/*
 * Convert `minor` units of a currency with exponent from_exp into minor units
 * of the base currency (exponent to_exp) at `rate`, rounding half to even
 * once. ARCS_EINVAL on overflow.
 */
ARCS_EXTERN(arcs_status)
arcs_money_convert(int64_t *out, int64_t minor, int from_exp, const arcs_rate *rate,
                   int to_exp, arcs_err *err);

/* ISO dates. */

/* Parse "YYYY-MM-DD" (a real calendar date, year 1900..2999) into days since
   1970-01-01. Refuses 2024-02-30 and anything not exactly that shape. */
ARCS_EXTERN(arcs_status) arcs_date_parse(int32_t *days, const char *text, arcs_err *err);

/* Format days since 1970-01-01 as "YYYY-MM-DD" (11 bytes with NUL). */
ARCS_EXTERN(void) arcs_date_format(char *buf, int32_t days);

/* Validate codes by shape only (the database knows which exist):
   ISO 4217 "KZT" (three capitals) and ISO 3166-1 alpha-2 "KZ". */
ARCS_EXTERN(arcs_status) arcs_currency_code_check(const char *text, arcs_err *err);
ARCS_EXTERN(arcs_status) arcs_country_code_check(const char *text, arcs_err *err);

#endif
