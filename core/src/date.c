/*
 * ISO dates as days since 1970-01-01, and the shape of currency and country
 * codes. Pure and locale-free: no mktime/timegm (they follow TZ and vary
 * across libcs), just the proleptic Gregorian calendar in integers.
 */
#include <string.h>

#include "arcs/money.h"

#define DATE_YEAR_MIN 1900
#define DATE_YEAR_MAX 2999

static int is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int64_t y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Howard Hinnant's days_from_civil: eras of 400 years (146097 days) make
   the leap rule exact without a table. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    int64_t era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    int64_t era, doe, yoe, doy, mp;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

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

static int digits(const char *p, int n, int *out)
{
    int v = 0;

    for (int i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return -1;
        v = v * 10 + (p[i] - '0');
    }
    *out = v;
    return 0;
}

arcs_status arcs_date_parse_n(int32_t *days, const char *text, size_t len, arcs_err *err)
{
    static const char *const month_name[12] = {
        "January", "February", "March",     "April",   "May",      "June",
        "July",    "August",   "September", "October", "November", "December"};
    arcs_status st = ARCS_OK;
    char q[64];
    int y, m, d;

    arcs_err_clear(err);
    if (!text || len == 0) {
        st = arcs_err_set(err, ARCS_EINVAL,
                          "date is empty; write YYYY-MM-DD, e.g. 2025-03-31");
        goto done;
    }
    quote(q, sizeof(q), text, len);
    if (len != 10 || text[4] != '-' || text[7] != '-' || digits(text, 4, &y) != 0 ||
        digits(text + 5, 2, &m) != 0 || digits(text + 8, 2, &d) != 0) {
        st = arcs_err_set(
            err, ARCS_EINVAL,
            "date '%s' is not in the form YYYY-MM-DD; write e.g. 2025-03-31", q);
        goto done;
    }
    if (y < DATE_YEAR_MIN || y > DATE_YEAR_MAX) {
        st = arcs_err_set(err, ARCS_EINVAL,
                          "date '%s' is out of range; the year must be %d..%d", q,
                          DATE_YEAR_MIN, DATE_YEAR_MAX);
        goto done;
    }
    if (m < 1 || m > 12) {
        st = arcs_err_set(err, ARCS_EINVAL, "date '%s' has month %02d; months are 01..12",
                          q, m);
        goto done;
    }
    if (d < 1 || d > month_days(y, m)) {
        st = arcs_err_set(err, ARCS_EINVAL, "date '%s' does not exist; %s %d has %d days",
                          q, month_name[m - 1], y, month_days(y, m));
        goto done;
    }
    *days = (int32_t)days_from_civil(y, m, d);
done:
    return st;
}

arcs_status arcs_date_parse(int32_t *days, const char *text, arcs_err *err)
{
    return arcs_date_parse_n(days, text, text ? strlen(text) : 0, err);
}

void arcs_date_format(char *buf, int32_t days)
{
    int64_t y;
    int m, d;

    civil_from_days(days, &y, &m, &d);
    /* Past four digits the shape would break: write a date that no parser
       accepts rather than a longer or wrapped one. */
    if (y < 0 || y > 9999) {
        memcpy(buf, "0000-00-00", 11);
        return;
    }
    /* By hand: every field is known to fit, which snprintf cannot prove. */
    buf[0] = (char)('0' + y / 1000);
    buf[1] = (char)('0' + y / 100 % 10);
    buf[2] = (char)('0' + y / 10 % 10);
    buf[3] = (char)('0' + y % 10);
    buf[4] = '-';
    buf[5] = (char)('0' + m / 10);
    buf[6] = (char)('0' + m % 10);
    buf[7] = '-';
    buf[8] = (char)('0' + d / 10);
    buf[9] = (char)('0' + d % 10);
    buf[10] = '\0';
}

static arcs_status code_check(const char *what, const char *example, size_t want,
                              const char *text, arcs_err *err)
{
    arcs_status st = ARCS_OK;
    size_t len;
    char q[64];

    arcs_err_clear(err);
    if (!text || !*text) {
        st = arcs_err_set(err, ARCS_EINVAL, "%s code is empty; write e.g. %s", what,
                          example);
        goto done;
    }
    len = strnlen(text, 64);
    quote(q, sizeof(q), text, len);
    for (size_t i = 0; i < len; i++)
        if (text[i] < 'A' || text[i] > 'Z' || len != want) {
            st = arcs_err_set(err, ARCS_EINVAL,
                              "%s code '%s' is not %zu capital letters; write e.g. %s",
                              what, q, want, example);
            goto done;
        }
done:
    return st;
}

arcs_status arcs_currency_code_check(const char *text, arcs_err *err)
{
    return code_check("currency", "KZT", 3, text, err);
}

arcs_status arcs_country_code_check(const char *text, arcs_err *err)
{
    return code_check("country", "KZ", 2, text, err);
}
