/* The pure parts of the report renderers: escapers, number writers, and the
   renderers themselves on hand-built documents (no database). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "arcs/canonical.h"
#include "report/report_int.h"
#include "text_int.h"

/* Run an escaper on s into a fresh buffer; the caller frees with free(). */
static char *esc(void (*fn)(rep_buf *, const char *), const char *s)
{
    rep_buf b = {0};

    fn(&b, s);
    assert_false(b.oom);
    if (!b.b)
        return strdup("");
    return b.b;
}

static void expect_esc(void (*fn)(rep_buf *, const char *), const char *in,
                       const char *want)
{
    char *got = esc(fn, in);

    assert_string_equal(got, want);
    free(got);
}

static char *svg_num(double v)
{
    rep_buf b = {0};

    arcs__svg_num(&b, v);
    assert_false(b.oom);
    assert_non_null(b.b);
    return b.b;
}

/* A locale-free SVG number: -?digits, then optionally . and digits. */
static int is_svg_number(const char *s, size_t n)
{
    size_t i = 0, digits = 0;

    if (i < n && s[i] == '-')
        i++;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++, digits++;
    if (!digits)
        return 0;
    if (i == n)
        return 1;
    if (s[i] != '.' || ++i == n)
        return 0;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++;
    return i == n;
}

/* --- CSV (RFC 4180) --- */

static void test_csv_plain(void **state)
{
    (void)state;
    expect_esc(arcs__csv_field, "abc", "abc");
    expect_esc(arcs__csv_field, "", "");
    expect_esc(arcs__csv_field, "1234.56", "1234.56");
    expect_esc(arcs__csv_field, NULL, "");
}

static void test_csv_quoting(void **state)
{
    (void)state;
    expect_esc(arcs__csv_field, "a,b", "\"a,b\"");
    expect_esc(arcs__csv_field, "say \"hi\"", "\"say \"\"hi\"\"\"");
    expect_esc(arcs__csv_field, "\"", "\"\"\"\"");
    expect_esc(arcs__csv_field, "line1\r\nline2", "\"line1\r\nline2\"");
    expect_esc(arcs__csv_field, "a\nb", "\"a\nb\"");
    expect_esc(arcs__csv_field, "a\rb", "\"a\rb\"");
    expect_esc(arcs__csv_field, " lead", "\" lead\"");
    expect_esc(arcs__csv_field, "trail ", "\"trail \"");
}

static void test_csv_formula_guard(void **state)
{
    (void)state;
    /* a spreadsheet must never run a cell as a formula */
    expect_esc(arcs__csv_field, "=SUM(A1:A9)", "\"'=SUM(A1:A9)\"");
    expect_esc(arcs__csv_field, "+1", "\"'+1\"");
    expect_esc(arcs__csv_field, "-1", "\"'-1\"");
    expect_esc(arcs__csv_field, "@cmd", "\"'@cmd\"");
    expect_esc(arcs__csv_field, "\tx", "\"'\tx\"");
    expect_esc(arcs__csv_field, "\rx", "\"'\rx\"");
    expect_esc(arcs__csv_field, "\nx", "\"'\nx\"");
    expect_esc(arcs__csv_field, "=HYPERLINK(\"http://x\",\"y\")",
               "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
    /* numbers the renderer wrote stay numbers, negative ones too */
    expect_esc(arcs__csv_number, "-1.50", "-1.50");
    expect_esc(arcs__csv_number, "42", "42");
    /* anything else given as a number is still guarded as text */
    expect_esc(arcs__csv_number, "-1+2", "\"'-1+2\"");
    expect_esc(arcs__csv_number, "=1", "\"'=1\"");
    expect_esc(arcs__csv_field, "=\"x\",1", "\"'=\"\"x\"\",1\"");
    /* only the first character counts */
    expect_esc(arcs__csv_field, "a=b", "a=b");
}

/* Split RFC 4180 text into records; check each has nfields fields and ends
   in CRLF, with bare CR or LF only inside quotes. Returns the record count. */
static size_t csv_records(const char *s, size_t len, int nfields)
{
    size_t records = 0, i = 0;
    int fields = 1, inq = 0;

    while (i < len) {
        char c = s[i];

        if (inq) {
            if (c == '"' && i + 1 < len && s[i + 1] == '"') {
                i += 2;
                continue;
            }
            if (c == '"')
                inq = 0;
            i++;
            continue;
        }
        if (c == '"') {
            inq = 1;
        } else if (c == ',') {
            fields++;
        } else if (c == '\r') {
            assert_true(i + 1 < len);
            assert_int_equal(s[i + 1], '\n');
            assert_int_equal(fields, nfields);
            records++;
            fields = 1;
            i += 2;
            continue;
        } else {
            assert_int_not_equal(c, '\n'); /* a bare LF outside quotes */
        }
        i++;
    }
    assert_false(inq);
    assert_int_equal(fields, 1); /* the text ends with a complete record */
    return records;
}

static rep_doc *hostile_doc(void)
{
    static const char *const cols[] = {"name:Name", "amount:Amount", "n:Count"};
    rep_doc *d = arcs__doc_new("case");
    rep_table *t;
    size_t r;

    assert_non_null(d);
    d->title = strdup("Case \"A,B\"\r\n</title><script>alert(1)</script>");
    d->subtitle = strdup("<img src=x onerror='alert(2)'>");
    arcs__doc_field_text(d, "who", "<b>Who</b>", "O'Brien & \"Sons\", Ltd\n=cmd");
    arcs__doc_field_money(d, "total", "Total", 123456789);
    arcs__doc_field_count(d, "assets", "Assets", 42);
    t = arcs__doc_table(d, "assets", "Assets </h2><script>x</script>", 3, cols);
    assert_non_null(t);
    r = arcs__table_row(d, t);
    arcs__cell_text(d, t, r, 0, "</td></tr></table><script>alert(3)</script>");
    arcs__cell_money(t, r, 1, -150, 2, "USD");
    arcs__cell_count(t, r, 2, 7);
    r = arcs__table_row(d, t);
    arcs__cell_text(d, t, r, 0, "line1\nline2,\"q\"");
    arcs__doc_note(d, "note with <script> and \"quotes\" and a | pipe");
    assert_false(d->oom);
    return d;
}

static void test_csv_render(void **state)
{
    rep_doc *d = hostile_doc();
    rep_buf b = {0};
    const char header[] = "section,row,field,value\r\n";

    (void)state;
    arcs__render_csv(&b, d);
    assert_false(b.oom);
    assert_non_null(b.b);
    assert_memory_equal(b.b, header, sizeof(header) - 1);
    /* header, 4 report rows, 3 checkpoint rows, 3 summary rows, 2 rows x 3
       columns, 1 note */
    assert_int_equal(csv_records(b.b, b.n, 4), 1 + 4 + 3 + 3 + 6 + 1);
    assert_non_null(strstr(b.b, "report,,title,\"Case \"\"A,B\"\"\r\n</title>"));
    assert_non_null(strstr(b.b, "summary,,total,1234567.89\r\n"));
    assert_non_null(strstr(b.b, "summary,,assets,42\r\n"));
    /* a negative amount stays a number: only text cells are guarded */
    assert_non_null(strstr(b.b, "assets,1,amount,-1.50\r\n"));
    /* the text cell beginning "=cmd" after a newline is quoted whole */
    assert_non_null(
        strstr(b.b, "summary,,who,\"O'Brien & \"\"Sons\"\", Ltd\n=cmd\"\r\n"));
    /* a null cell is an empty field */
    assert_non_null(strstr(b.b, "assets,2,amount,\r\n"));
    arcs__buf_free(&b);
    arcs__doc_free(d);
}

/* --- HTML --- */

static void test_html_escape(void **state)
{
    (void)state;
    expect_esc(arcs__html_escape, "plain text 123", "plain text 123");
    /* controls HTML forbids, C1 included, become U+FFFD; tab and LF stay */
    expect_esc(arcs__html_escape, "a\x1b[31m\x07\x7f\xc2\x9b|\t\n",
               "a&#xFFFD;[31m&#xFFFD;&#xFFFD;&#xFFFD;|\t\n");
    expect_esc(arcs__html_escape, "Жя", "Жя");
    expect_esc(arcs__html_escape, "<>&\"'", "&lt;&gt;&amp;&quot;&#39;");
    expect_esc(arcs__html_escape, "</td><script>alert('x')</script>",
               "&lt;/td&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
    expect_esc(arcs__html_escape, "\" onmouseover=\"x", "&quot; onmouseover=&quot;x");
    /* already-escaped text is escaped again, not trusted */
    expect_esc(arcs__html_escape, "&lt;", "&amp;lt;");
    /* UTF-8 passes through */
    expect_esc(arcs__html_escape, "Алматы €", "Алматы €");
    expect_esc(arcs__html_escape, NULL, "");
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;

    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

static void test_html_render_contains_text(void **state)
{
    rep_doc *d = hostile_doc();
    rep_buf b = {0};

    (void)state;
    arcs__render_html(&b, d);
    assert_false(b.oom);
    assert_non_null(b.b);
    /* no script of any kind, nor any handler, can come from the data */
    assert_null(strstr(b.b, "<script"));
    assert_null(strstr(b.b, "<img"));
    assert_null(strstr(b.b, "onerror='"));
    /* each structural tag appears only as the renderer wrote it */
    assert_int_equal(count(b.b, "<title>"), 1);
    assert_int_equal(count(b.b, "</title>"), 1);
    assert_int_equal(count(b.b, "<table"), 1);
    assert_int_equal(count(b.b, "</table>"), 1);
    assert_int_equal(count(b.b, "<tr>"), 3);
    assert_int_equal(count(b.b, "</td>"), 6);
    assert_non_null(strstr(b.b, "O&#39;Brien &amp; &quot;Sons&quot;, Ltd"));
    assert_non_null(strstr(b.b, "&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;script&gt;"));
    /* money for people: separators and its currency */
    assert_non_null(strstr(b.b, ">1,234,567.89 KZT<"));
    assert_non_null(strstr(b.b, ">-1.50 USD<"));
    /* self-contained: no URL to fetch */
    assert_null(strstr(b.b, "http://"));
    assert_null(strstr(b.b, "https://"));
    assert_non_null(strstr(b.b, "&lt;img src=x onerror=&#39;alert(2)&#39;&gt;"));
    arcs__buf_free(&b);
    arcs__doc_free(d);
}

/* --- Markdown --- */

static void test_md_cell(void **state)
{
    (void)state;
    expect_esc(arcs__md_cell, "a|b", "a\\|b");
    expect_esc(arcs__md_cell, "a\r\nb", "a  b");
    expect_esc(arcs__md_cell, "<script>&", "&lt;script&gt;&amp;");
    expect_esc(arcs__md_cell, NULL, "");
    /* no heading, link, image, emphasis, code or list can start */
    expect_esc(arcs__md_cell, "# heading", "\\# heading");
    expect_esc(arcs__md_cell, "[link](http://x)", "\\[link\\]\\(http://x\\)");
    expect_esc(arcs__md_cell, "![img](x)", "\\!\\[img\\]\\(x\\)");
    expect_esc(arcs__md_cell, "*a* _b_ `c`", "\\*a\\* \\_b\\_ \\`c\\`");
    expect_esc(arcs__md_cell, "- item", "\\- item");
    expect_esc(arcs__md_cell, "1. x", "1\\. x");
    expect_esc(arcs__md_cell, "a\\b {c} +d ~e", "a\\\\b \\{c\\} +d \\~e");
    /* - + = and "1." only matter at the start of a line: escaped there */
    expect_esc(arcs__md_cell, "ARC-2024-0001 1.5 a+b x=y", "ARC-2024-0001 1.5 a+b x=y");
    expect_esc(arcs__md_cell, "  + x", "  \\+ x");
    expect_esc(arcs__md_cell, "=== ", "\\=== ");
    expect_esc(arcs__md_cell, "12. x", "12\\. x");
    expect_esc(arcs__md_cell, "12) x", "12\\) x");
    /* a line break cannot start a new line (and so a heading) */
    expect_esc(arcs__md_cell, "x\n# h", "x \\# h");
    expect_esc(arcs__md_cell, "\x1b[31m", " \\[31m");
    expect_esc(arcs__md_cell,
               "a\xc2\x9b"
               "2J",
               "a 2J");
}

static void test_md_render(void **state)
{
    rep_doc *d = hostile_doc();
    rep_buf b = {0};

    (void)state;
    arcs__render_md(&b, d);
    assert_false(b.oom);
    assert_non_null(b.b);
    assert_null(strstr(b.b, "<script"));
    assert_non_null(strstr(b.b, "| Name | Amount | Count |\n"));
    assert_non_null(
        strstr(b.b, "note with &lt;script&gt; and \"quotes\" and a \\| pipe"));
    /* money is the renderer's own digits, not escaped */
    assert_non_null(strstr(b.b, "**Total**: 1,234,567.89 KZT\n"));
    arcs__buf_free(&b);
    arcs__doc_free(d);
}

/* --- SVG numbers and charts --- */

static void expect_num(double v, const char *want)
{
    char *got = svg_num(v);

    assert_string_equal(got, want);
    free(got);
}

static void test_svg_num(void **state)
{
    (void)state;
    expect_num(0, "0.0");
    expect_num(760, "760.0");
    expect_num(1.25, "1.3");
    expect_num(12.04, "12.0");
    expect_num(-2.25, "-2.3");
    expect_num(-0.04, "0.0");
    expect_num(123456.7, "123456.7");
    expect_num(1e12, "1000000000000.0");
}

static void test_svg_num_not_finite(void **state)
{
    (void)state;
    expect_num(NAN, "0.0");
    expect_num(-NAN, "0.0");
    expect_num(INFINITY, "0.0");
    expect_num(-INFINITY, "0.0");
    expect_num(1e300, "0.0");
    expect_num(-1e300, "0.0");
}

static void test_svg_num_locale(void **state)
{
    static const char *const locales[] = {"de_DE.UTF-8", "fr_FR.UTF-8", "ru_RU.UTF-8",
                                          "de_DE", NULL};
    int set = 0;

    (void)state;
    for (size_t i = 0; locales[i] && !set; i++)
        set = setlocale(LC_NUMERIC, locales[i]) != NULL;
    /* with a comma locale if the machine has one, else in C: the same text */
    expect_num(3.5, "3.5");
    expect_num(-1234.56, "-1234.6");
    setlocale(LC_NUMERIC, "C");
}

/* Every x= y= width= height= attribute of the SVG is a plain number. */
static void check_svg_geometry(const char *svg)
{
    static const char *const attrs[] = {" x=\"", " y=\"", " width=\"", " height=\"",
                                        NULL};

    assert_null(strstr(svg, "nan"));
    assert_null(strstr(svg, "NaN"));
    assert_null(strstr(svg, "inf"));
    assert_null(strstr(svg, "<script"));
    for (size_t a = 0; attrs[a]; a++) {
        for (const char *p = strstr(svg, attrs[a]); p; p = strstr(p, attrs[a])) {
            const char *v = p + strlen(attrs[a]), *end = strchr(v, '"');

            assert_non_null(end);
            if (!is_svg_number(v, (size_t)(end - v)))
                fail_msg("not a plain SVG number: %.*s", (int)(end - v), v);
            p = end;
        }
    }
}

static void test_svg_bars(void **state)
{
    rep_doc *d = arcs__doc_new("statistics");
    rep_chart *c;
    rep_buf b = {0};

    (void)state;
    assert_non_null(d);
    c = arcs__doc_chart(d, REP_CHART_BARS, "Values <script>", 1);
    arcs__chart_bar(d, c, "KZ </text><script>alert(1)</script>", 100000);
    arcs__chart_bar(d, c, "zero", 0);
    arcs__chart_bar(d, c, "tiny", 1);
    arcs__chart_bar(d, c, "huge", INT64_MAX);
    assert_false(d->oom);
    arcs__render_svg(&b, c, d);
    assert_false(b.oom);
    assert_non_null(b.b);
    check_svg_geometry(b.b);
    assert_non_null(strstr(b.b, "KZ &lt;/text&gt;&lt;script&gt;"));
    assert_non_null(strstr(b.b, "<title>Values &lt;script&gt;</title>"));
    assert_int_equal(count(b.b, "<svg"), 1);
    assert_int_equal(count(b.b, "</svg>"), 1);
    arcs__buf_free(&b);
    arcs__doc_free(d);
}

static void test_svg_bars_all_zero(void **state)
{
    rep_doc *d = arcs__doc_new("statistics");
    rep_chart *c;
    rep_buf b = {0};

    (void)state;
    assert_non_null(d);
    c = arcs__doc_chart(d, REP_CHART_BARS, "Nothing", 0);
    arcs__chart_bar(d, c, "a", 0);
    arcs__chart_bar(d, c, "b", 0);
    arcs__render_svg(&b, c, d);
    assert_false(b.oom);
    check_svg_geometry(b.b);
    arcs__buf_free(&b);
    /* and no bars at all */
    c = arcs__doc_chart(d, REP_CHART_BARS, "Empty", 0);
    arcs__render_svg(&b, c, d);
    assert_false(b.oom);
    check_svg_geometry(b.b);
    assert_non_null(strstr(b.b, "nothing to show"));
    arcs__buf_free(&b);
    arcs__doc_free(d);
}

static void test_svg_flow(void **state)
{
    rep_doc *d = arcs__doc_new("provenance");
    rep_chart *c;
    rep_buf b = {0};

    (void)state;
    assert_non_null(d);
    c = arcs__doc_chart(d, REP_CHART_FLOW, "Where the money went", 1);
    arcs__chart_column(d, c, "Country");
    arcs__chart_column(d, c, "Case");
    arcs__chart_column(d, c, "Project <b>");
    arcs__chart_flow(d, c, 0, "CH", "ARC-1 </text><script>", 500000);
    arcs__chart_flow(d, c, 0, "GB", "ARC-1 </text><script>", 0);
    arcs__chart_flow(d, c, 1, "ARC-1 </text><script>", "P-1", 250000);
    arcs__chart_flow(d, c, 1, "ARC-1 </text><script>", "P-2", 1);
    assert_false(d->oom);
    arcs__render_svg(&b, c, d);
    assert_false(b.oom);
    assert_non_null(b.b);
    check_svg_geometry(b.b);
    assert_null(strstr(b.b, "<b>"));
    arcs__buf_free(&b);

    /* all flows zero: no division by zero shows up as NaN */
    arcs__doc_free(d);
    d = arcs__doc_new("provenance");
    c = arcs__doc_chart(d, REP_CHART_FLOW, "Zero", 1);
    arcs__chart_flow(d, c, 0, "a", "b", 0);
    arcs__chart_flow(d, c, 1, "b", "c", 0);
    arcs__render_svg(&b, c, d);
    assert_false(b.oom);
    check_svg_geometry(b.b);
    arcs__buf_free(&b);

    /* no flows at all */
    c = arcs__doc_chart(d, REP_CHART_FLOW, "None", 1);
    arcs__render_svg(&b, c, d);
    assert_false(b.oom);
    check_svg_geometry(b.b);
    arcs__buf_free(&b);
    arcs__doc_free(d);
}

/* --- values --- */

static void test_money_human(void **state)
{
    char buf[64];

    (void)state;
    arcs__money_human(buf, sizeof(buf), 605625000000, 2);
    assert_string_equal(buf, "6,056,250,000.00");
    arcs__money_human(buf, sizeof(buf), -123456, 2);
    assert_string_equal(buf, "-1,234.56");
    arcs__money_human(buf, sizeof(buf), 999, 2);
    assert_string_equal(buf, "9.99");
    arcs__money_human(buf, sizeof(buf), 100000, 2);
    assert_string_equal(buf, "1,000.00");
    arcs__money_human(buf, sizeof(buf), 1000, 0);
    assert_string_equal(buf, "1,000");
    arcs__money_human(buf, sizeof(buf), 100, 0);
    assert_string_equal(buf, "100");
    arcs__money_human(buf, sizeof(buf), 1234567, 3);
    assert_string_equal(buf, "1,234.567");
    arcs__money_human(buf, sizeof(buf), INT64_MAX, 2);
    assert_string_equal(buf, "92,233,720,368,547,758.07");
    arcs__money_human(buf, sizeof(buf), INT64_MIN, 2);
    assert_string_equal(buf, "-92,233,720,368,547,758.08");
    /* a short buffer is cut, never overrun */
    arcs__money_human(buf, 6, 605625000000, 2);
    assert_string_equal(buf, "6,056");
}

static void test_val_text(void **state)
{
    rep_val v;
    char buf[REP_NUM_MAX];

    (void)state;
    memset(&v, 0, sizeof(v));
    assert_string_equal(arcs__val_str(&v, buf, 0), "");
    assert_string_equal(arcs__val_str(&v, buf, 1), "");

    v.type = REP_COUNT;
    v.n = 42;
    assert_string_equal(arcs__val_str(&v, buf, 0), "42");
    assert_string_equal(arcs__val_str(&v, buf, 1), "42");

    v.type = REP_MONEY;
    v.n = 123456;
    v.exp = 2;
    memcpy(v.cur, "USD", 4);
    assert_string_equal(arcs__val_str(&v, buf, 0), "1234.56");
    assert_string_equal(arcs__val_str(&v, buf, 1), "1,234.56 USD");
    v.cur[0] = '\0';
    assert_string_equal(arcs__val_str(&v, buf, 1), "1,234.56");
    v.n = INT64_MIN;
    v.exp = 0;
    memcpy(v.cur, "KZT", 4);
    assert_string_equal(arcs__val_str(&v, buf, 1), "-9,223,372,036,854,775,808 KZT");

    v.type = REP_TEXT;
    v.text = (char *)"text, as is <b>";
    /* text is returned itself, never copied into a fixed buffer */
    assert_ptr_equal(arcs__val_str(&v, buf, 0), v.text);
    v.text = NULL;
    assert_string_equal(arcs__val_str(&v, buf, 1), "");
}

/* JSON carries money as strings, never as a number; counts are integers. */
static void test_json_render(void **state)
{
    rep_doc *d = hostile_doc();
    rep_buf b = {0};
    cJSON *doc, *arr, *row;

    (void)state;
    arcs__render_json(&b, d);
    assert_false(b.oom);
    doc = cJSON_Parse(b.b);
    assert_non_null(doc);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(doc, "title")->valuestring,
                        d->title);
    assert_true(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(doc, "total")));
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(doc, "total")->valuestring,
                        "1234567.89");
    /* counts are JSON integers; only money must never be a number */
    assert_true(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(doc, "assets")));
    assert_int_equal(cJSON_GetObjectItemCaseSensitive(doc, "assets")->valueint, 42);
    arr = cJSON_GetObjectItemCaseSensitive(doc, "assets_table");
    assert_null(arr); /* the table's key is "assets": it replaced the field */
    cJSON_Delete(doc);
    arcs__buf_free(&b);
    arcs__doc_free(d);

    /* a table of its own key */
    d = arcs__doc_new("funds");
    {
        static const char *const cols[] = {"amount:Amount", "n:N", "x:X"};
        rep_table *t = arcs__doc_table(d, "rows", "Rows", 3, cols);
        size_t r = arcs__table_row(d, t);
        arcs__cell_money(t, r, 0, 5, 2, "KZT");
        arcs__cell_count(t, r, 1, 3);
    }
    arcs__render_json(&b, d);
    doc = cJSON_Parse(b.b);
    assert_non_null(doc);
    arr = cJSON_GetObjectItemCaseSensitive(doc, "rows");
    assert_int_equal(cJSON_GetArraySize(arr), 1);
    row = cJSON_GetArrayItem(arr, 0);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(row, "amount")->valuestring,
                        "0.05");
    assert_true(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(row, "n")));
    assert_int_equal(cJSON_GetObjectItemCaseSensitive(row, "n")->valueint, 3);
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(row, "x")));
    cJSON_Delete(doc);
    arcs__buf_free(&b);
    arcs__doc_free(d);
}

/* --- whole text: no renderer cuts a value --- */

/* n Cyrillic characters (2 bytes each) ending in a marker. */
static char *cyrillic(size_t n)
{
    char *s = malloc(n * 2 + 16);
    size_t o = 0;

    assert_non_null(s);
    for (size_t i = 0; i + 1 < n; i++) {
        s[o++] = (char)0xD0; /* "Ж" */
        s[o++] = (char)0x96;
    }
    s[o++] = (char)0xD1; /* "я" */
    s[o++] = (char)0x8F;
    s[o] = '\0';
    return s;
}

static void test_long_text_whole(void **state)
{
    static const char *const cols[] = {"description:Description", "amount:Amount"};
    void (*renderers[4])(rep_buf *, const rep_doc *) = {
        arcs__render_html, arcs__render_md, arcs__render_csv, arcs__render_json};
    char *text = cyrillic(2000);
    rep_doc *d = arcs__doc_new("case");
    rep_table *t;
    size_t r;

    (void)state;
    assert_non_null(d);
    d->title = strdup(text);
    t = arcs__doc_table(d, "assets", "Assets", 2, cols);
    r = arcs__table_row(d, t);
    arcs__cell_text(d, t, r, 0, text);
    arcs__cell_money(t, r, 1, 100, 2, "KZT");
    arcs__doc_note(d, "note: %s", text);
    assert_false(d->oom);
    for (int i = 0; i < 4; i++) {
        rep_buf b = {0};
        const char *p;
        int found = 0;

        renderers[i](&b, d);
        assert_false(b.oom);
        assert_true(arcs_utf8_valid(b.b, b.n));
        /* all 2,000 characters, with the last, in one piece */
        for (p = b.b; (p = strstr(p, text)) != NULL; p += strlen(text))
            found++;
        assert_true(found >= 2);
        arcs__buf_free(&b);
    }
    arcs__doc_free(d);
    free(text);
}

/* --- terminal text --- */

static char *term(const char *s)
{
    arcs__buf b = {0};

    arcs__text_term(&b, s);
    assert_false(b.oom);
    return b.b ? b.b : strdup("");
}

static void expect_term(const char *in, const char *want)
{
    char *got = term(in);

    assert_string_equal(got, want);
    free(got);
}

static void test_term_escape(void **state)
{
    (void)state;
    expect_term("plain Жя text", "plain Жя text");
    expect_term("\x1b[31mred", "\\x1b[31mred");
    expect_term("bell\a cr\r lf\n tab\t del\x7f",
                "bell\\x07 cr\\x0d lf\\x0a tab\\x09 del\\x7f");
    /* C1 controls (U+009B is a one-character CSI on some terminals) */
    expect_term("\xc2\x9b"
                "2J",
                "\\xc2\\x9b2J");
    /* broken UTF-8 is shown byte by byte, never passed through */
    expect_term("a\xff"
                "b\xd0",
                "a\\xffb\\xd0");
    /* the escape cannot be forged */
    expect_term("\\x1b", "\\\\x1b");
    expect_term("", "");
}

/* --- the one text validator --- */

static void expect_text(const char *s, size_t max, arcs_status want, const char *msg_part)
{
    arcs_err e = {ARCS_OK, ""};

    assert_int_equal(arcs__text_valid("title", s, strlen(s), max, &e), want);
    if (msg_part)
        assert_non_null(strstr(e.msg, msg_part));
}

static void test_text_valid(void **state)
{
    char *c500 = cyrillic(500), *c501 = cyrillic(501);

    (void)state;
    expect_text("ok", 10, ARCS_OK, NULL);
    /* characters, not bytes: 500 Cyrillic characters are 1,000 bytes */
    expect_text(c500, 500, ARCS_OK, NULL);
    expect_text(c501, 500, ARCS_EINVAL, "at most 500 characters");
    expect_text(c501, 500, ARCS_EINVAL, "title");
    expect_text("", 10, ARCS_EINVAL, "empty title");
    expect_text("   ", 10, ARCS_EINVAL, "empty title");
    expect_text("a\x1b[31m", 10, ARCS_EINVAL, "control character");
    expect_text("a\nb", 10, ARCS_EINVAL, "control character");
    expect_text("a\tb", 10, ARCS_EINVAL, "control character");
    expect_text("a\x7f", 10, ARCS_EINVAL, "control character");
    expect_text("a\xc2\x85", 10, ARCS_EINVAL, "control character");
    expect_text("a\xff", 10, ARCS_EINVAL, "UTF-8");
    expect_text("\xc0\xaf", 10, ARCS_EINVAL, "UTF-8"); /* overlong "/" */
    /* a character boundary, never half a character */
    assert_int_equal(arcs__text_prefix(c500, strlen(c500), 3), 6);
    assert_int_equal(arcs__text_prefix("ab", 2, 5), 2);
    free(c500);
    free(c501);
}

/* --- shortening for messages: whole characters and a visible cut --- */

static void test_text_clip(void **state)
{
    char out[64];

    (void)state;
    arcs__text_clip(out, sizeof(out), "ЖЖЖ", 6, 2);
    assert_string_equal(out, "ЖЖ…");
    arcs__text_clip(out, sizeof(out), "ЖЖЖ", 6, 3);
    assert_string_equal(out, "ЖЖЖ");
    /* the byte room, not only the count, is honoured on a boundary */
    arcs__text_clip(out, 7, "ЖЖЖЖ", 8, 10);
    assert_string_equal(out, "Ж…");
    assert_true(arcs_utf8_valid(out, strlen(out)));
    arcs__text_clip(out, sizeof(out), NULL, 0, 5);
    assert_string_equal(out, "");
}

/* --- the error setter may quote its own buffer --- */

static void test_err_self_format(void **state)
{
    arcs_err e;

    (void)state;
    arcs_err_set(&e, ARCS_EPERM, "permission denied to create role");
    arcs_err_set(&e, ARCS_EPERM, "migration %s failed: %s", "0001_reference", e.msg);
    assert_string_equal(e.msg, "migration 0001_reference failed: permission denied to "
                               "create role");
    assert_int_equal(e.code, ARCS_EPERM);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_plain),
        cmocka_unit_test(test_csv_quoting),
        cmocka_unit_test(test_csv_formula_guard),
        cmocka_unit_test(test_csv_render),
        cmocka_unit_test(test_html_escape),
        cmocka_unit_test(test_html_render_contains_text),
        cmocka_unit_test(test_md_cell),
        cmocka_unit_test(test_md_render),
        cmocka_unit_test(test_svg_num),
        cmocka_unit_test(test_svg_num_not_finite),
        cmocka_unit_test(test_svg_num_locale),
        cmocka_unit_test(test_svg_bars),
        cmocka_unit_test(test_svg_bars_all_zero),
        cmocka_unit_test(test_svg_flow),
        cmocka_unit_test(test_money_human),
        cmocka_unit_test(test_val_text),
        cmocka_unit_test(test_json_render),
        cmocka_unit_test(test_long_text_whole),
        cmocka_unit_test(test_term_escape),
        cmocka_unit_test(test_text_valid),
        cmocka_unit_test(test_err_self_format),
        cmocka_unit_test(test_text_clip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
