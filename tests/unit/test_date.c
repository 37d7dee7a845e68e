/* Dates (YYYY-MM-DD <-> days since 1970-01-01) and code shapes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "arcs/money.h"

typedef struct date_case {
    const char *text;
    int ok;
    int32_t days;
    const char *needle;
} date_case;

static const date_case date_cases[] = {
    {"1970-01-01", 1, 0, NULL},
    {"1969-12-31", 1, -1, NULL},
    {"1970-01-02", 1, 1, NULL},
    {"1900-01-01", 1, -25567, NULL},
    {"1900-03-01", 1, -25508, NULL},
    {"2000-01-01", 1, 10957, NULL},
    {"2000-02-29", 1, 11016, NULL},
    {"2024-02-29", 1, 19782, NULL},
    {"2999-12-31", 1, 376199, NULL},
    {"2023-02-29", 0, 0, "February 2023 has 28 days"},
    {"2024-02-30", 0, 0, "February 2024 has 29 days"},
    {"1900-02-29", 0, 0, "February 1900 has 28 days"},
    {"2100-02-29", 0, 0, "does not exist"},
    {"2024-04-31", 0, 0, "April 2024 has 30 days"},
    {"2024-01-32", 0, 0, "does not exist"},
    {"2024-01-00", 0, 0, "does not exist"},
    {"2024-13-01", 0, 0, "month 13"},
    {"2024-00-10", 0, 0, "month 00"},
    {"1899-12-31", 0, 0, "out of range"},
    {"3000-01-01", 0, 0, "out of range"},
    {"0000-01-01", 0, 0, "out of range"},
    {"", 0, 0, "empty"},
    {"2024-2-29", 0, 0, "YYYY-MM-DD"},
    {"2024-02-9", 0, 0, "YYYY-MM-DD"},
    {"24-02-29", 0, 0, "YYYY-MM-DD"},
    {"2024/02/29", 0, 0, "YYYY-MM-DD"},
    {"20240229", 0, 0, "YYYY-MM-DD"},
    {"2024-02-29 ", 0, 0, "YYYY-MM-DD"},
    {" 2024-02-29", 0, 0, "YYYY-MM-DD"},
    {"2024-02-29T00:00:00Z", 0, 0, "YYYY-MM-DD"},
    {"+024-02-29", 0, 0, "YYYY-MM-DD"},
    {"2024-+2-09", 0, 0, "YYYY-MM-DD"},
    {"2024--2-09", 0, 0, "YYYY-MM-DD"},
    {"2O24-02-29", 0, 0, "YYYY-MM-DD"},
    {"\xd9\xa2"
     "024-02-29",
     0, 0, "YYYY-MM-DD"},
    {"12024-02-29", 0, 0, "YYYY-MM-DD"},
};

static void test_date_table(void **state)
{
    (void)state;
    assert_true(sizeof(date_cases) / sizeof(date_cases[0]) >= 30);
    for (size_t i = 0; i < sizeof(date_cases) / sizeof(date_cases[0]); i++) {
        const date_case *c = &date_cases[i];
        arcs_err err;
        int32_t d = 4242;
        arcs_status st = arcs_date_parse(&d, c->text, &err);

        if (c->ok) {
            if (st != ARCS_OK)
                fail_msg("date '%s' refused: %s", c->text, err.msg);
            assert_int_equal(d, c->days);
        } else {
            if (st != ARCS_EINVAL)
                fail_msg("date '%s' accepted as %d", c->text, (int)d);
            assert_int_equal(d, 4242);
            if (!strstr(err.msg, c->needle))
                fail_msg("date '%s': '%s' lacks '%s'", c->text, err.msg, c->needle);
        }
    }
    {
        arcs_err err;
        int32_t d;
        assert_int_equal(arcs_date_parse(&d, NULL, &err), ARCS_EINVAL);
        assert_int_equal(arcs_date_parse_n(&d, "2024-02-2\0", 10, &err), ARCS_EINVAL);
        assert_int_equal(arcs_date_parse_n(&d, "2024-02-29xyz", 10, &err), ARCS_OK);
        assert_int_equal(d, 19782);
    }
}

/*
 * Every day 1900-01-01 .. 2999-12-31: the text built by nested loops over
 * years, months and days (an oracle independent of the era arithmetic)
 * parses to consecutive day numbers, and formats back to the same text.
 */
static void test_every_day(void **state)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int32_t expect = -25567;
    long count = 0;

    (void)state;
    for (int y = 1900; y <= 2999; y++) {
        int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        for (int m = 1; m <= 12; m++) {
            int last = mdays[m - 1] + (m == 2 && leap);
            for (int d = 1; d <= last + 1; d++) {
                char text[32], back[11];
                int32_t got = 0;
                arcs_err err;

                snprintf(text, sizeof(text), "%04d-%02d-%02d", y, m, d);
                if (d == last + 1) {
                    /* The day after the month's last: never a date. */
                    assert_int_equal(arcs_date_parse(&got, text, &err), ARCS_EINVAL);
                    continue;
                }
                if (arcs_date_parse(&got, text, &err) != ARCS_OK)
                    fail_msg("%s: %s", text, err.msg);
                assert_int_equal(got, expect);
                arcs_date_format(back, got);
                assert_string_equal(back, text);
                expect++;
                count++;
            }
        }
    }
    assert_int_equal(expect, 376199 + 1);
    assert_int_equal(count, 376199 + 25567 + 1);
}

static void test_format_edges(void **state)
{
    char buf[11];

    (void)state;
    arcs_date_format(buf, 0);
    assert_string_equal(buf, "1970-01-01");
    arcs_date_format(buf, -1);
    assert_string_equal(buf, "1969-12-31");
    arcs_date_format(buf, -719162);
    assert_string_equal(buf, "0001-01-01");
    arcs_date_format(buf, 2932896);
    assert_string_equal(buf, "9999-12-31");
    /* Outside four-digit years: a marker no parser accepts, never longer. */
    arcs_date_format(buf, 2932897);
    assert_string_equal(buf, "0000-00-00");
    arcs_date_format(buf, INT32_MAX);
    assert_string_equal(buf, "0000-00-00");
    arcs_date_format(buf, INT32_MIN);
    assert_string_equal(buf, "0000-00-00");
}

static void test_codes(void **state)
{
    static const struct {
        const char *text;
        int currency_ok, country_ok;
    } cases[] = {
        {"KZT", 1, 0},
        {"USD", 1, 0},
        {"KZ", 0, 1},
        {"US", 0, 1},
        {"kzt", 0, 0},
        {"Kzt", 0, 0},
        {"kz", 0, 0},
        {"KZTT", 0, 0},
        {"K", 0, 0},
        {"", 0, 0},
        {"K1T", 0, 0},
        {"K Z", 0, 0},
        {"KZ ", 0, 0},
        {" KZ", 0, 0},
        {"\xc3\x84"
         "B",
         0, 0},
        {"\xc3\x84"
         "BC",
         0, 0},
        {"K-", 0, 0},
    };
    arcs_err err;

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        arcs_status c = arcs_currency_code_check(cases[i].text, &err);
        if ((c == ARCS_OK) != cases[i].currency_ok)
            fail_msg("currency '%s': %d %s", cases[i].text, c, err.msg);
        if (c != ARCS_OK)
            assert_non_null(strstr(err.msg, "currency code"));
        c = arcs_country_code_check(cases[i].text, &err);
        if ((c == ARCS_OK) != cases[i].country_ok)
            fail_msg("country '%s': %d %s", cases[i].text, c, err.msg);
        if (c != ARCS_OK)
            assert_int_equal(c, ARCS_EINVAL);
    }
    assert_int_equal(arcs_currency_code_check(NULL, &err), ARCS_EINVAL);
    assert_int_equal(arcs_country_code_check(NULL, NULL), ARCS_EINVAL);
    assert_int_equal(arcs_currency_code_check("kzt", &err), ARCS_EINVAL);
    assert_string_equal(err.msg,
                        "currency code 'kzt' is not 3 capital letters; write e.g. KZT");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_date_table),
        cmocka_unit_test(test_every_day),
        cmocka_unit_test(test_format_edges),
        cmocka_unit_test(test_codes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
