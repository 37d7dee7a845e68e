/* The page buffer, the layout around every page and the form fields. Every
   value goes through wb_esc (the reports' escaper) or wb_url. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web.h"

const char web_css[] =
    "body{font:16px/1.45 system-ui,sans-serif;margin:0;color:#1d2430;background:#fafbfc}"
    "header{background:#1f3a5f;color:#fff;padding:.5rem 1rem;display:flex;flex-wrap:wrap;"
    "gap:1rem;align-items:center}"
    "header a{color:#fff}header form{margin:0 0 0 auto}"
    "main{max-width:70rem;margin:0 auto;padding:1rem}"
    "table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem;display:block;"
    "overflow-x:auto}"
    "th,td{border-bottom:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;"
    "vertical-align:top;overflow-wrap:break-word;word-break:normal}"
    "td{max-width:32rem}td.num{text-align:right;white-space:nowrap}"
    "form.f{background:#fff;border:1px solid #d0d7de;padding:.75rem;margin:.75rem 0;"
    "max-width:40rem}"
    "form.f div{margin:.4rem 0}label{display:block;font-weight:600}"
    "input,select,textarea{font:inherit;padding:.3rem;max-width:100%;box-sizing:border-"
    "box}"
    "input[type=text],input[type=password],input[type=date],textarea{width:100%}"
    "fieldset label{display:inline-block;font-weight:400;margin-right:.75rem}"
    ".err{color:#a40000;font-weight:600}.bad input,.bad select{border:2px solid #a40000}"
    ".note{color:#57606a}button{font:inherit;padding:.35rem .9rem}"
    "a:focus,button:focus,input:focus,select:focus{outline:3px solid #f0b400}"
    "@media print{header form,form.f{display:none}}";

void wb_put(web_buf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        char *nb;
        while (cap < b->n + n + 1)
            cap *= 2;
        nb = realloc(b->b, cap);
        if (!nb) {
            b->oom = 1;
            return;
        }
        b->b = nb;
        b->cap = cap;
    }
    memcpy(b->b + b->n, s, n);
    b->n += n;
    b->b[b->n] = '\0';
}

void wb_puts(web_buf *b, const char *s)
{
    wb_put(b, s, strlen(s));
}

void wb_printf(web_buf *b, const char *fmt, ...)
{
    va_list ap;
    char small[256];
    int n;

    va_start(ap, fmt);
    n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->oom = 1;
        return;
    }
    if ((size_t)n < sizeof(small)) {
        wb_put(b, small, (size_t)n);
        return;
    }
    {
        char *big = malloc((size_t)n + 1);
        if (!big) {
            b->oom = 1;
            return;
        }
        va_start(ap, fmt);
        vsnprintf(big, (size_t)n + 1, fmt, ap);
        va_end(ap);
        wb_put(b, big, (size_t)n);
        free(big);
    }
}

void wb_esc(web_buf *b, const char *s)
{
    size_t n;
    char *e;

    if (!s)
        return;
    e = arcs_html_escape(s, &n);
    if (!e) {
        b->oom = 1;
        return;
    }
    wb_put(b, e, n);
    free(e);
}

void wb_url(web_buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";

    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~') {
            wb_put(b, s, 1);
        } else {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};
            wb_put(b, e, 3);
        }
    }
}

void wb_free(web_buf *b)
{
    free(b->b);
    memset(b, 0, sizeof(*b));
}

void web_page_begin(web_buf *b, const char *title, const web_session *s)
{
    wb_puts(b, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
               "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
               "<title>");
    wb_esc(b, title);
    wb_puts(b, " · arcs</title><link rel=\"stylesheet\" href=\"/static/arcs.css\">"
               "</head>\n<body><header><strong>arcs</strong>");
    if (s) {
        wb_puts(b, "<nav><a href=\"/\">Home</a> · <a href=\"/cases\">Cases</a>");
        if (strcmp(s->group, "auditor"))
            wb_puts(b, " · <a href=\"/cases/new\">New case</a>");
        wb_puts(b, " · <a href=\"/fund\">Fund</a> · <a href=\"/audit\">Audit</a>"
                   " · <a href=\"/reports/funds\">Fund report</a></nav><span>");
        wb_esc(b, s->user);
        wb_puts(b, " (");
        wb_esc(b, s->group);
        wb_puts(b, ")</span><form method=\"post\" action=\"/logout\">"
                   "<input type=\"hidden\" name=\"csrf\" value=\"");
        wb_esc(b, s->csrf);
        wb_puts(b, "\"><button type=\"submit\">Log out</button></form>");
    }
    wb_puts(b, "</header>\n<main>\n<h1>");
    wb_esc(b, title);
    wb_puts(b, "</h1>\n");
}

void web_page_end(web_buf *b)
{
    wb_puts(b, "</main></body></html>\n");
}

void web_page_error(web_reply *rep, const web_session *s, int status, const char *msg)
{
    const char *title = status == 404   ? "Not found"
                        : status == 403 ? "Not allowed"
                        : status == 409 ? "Refused"
                        : status == 422 ? "Check the input"
                        : status == 400 ? "Bad request"
                                        : "Something failed";
    rep->status = status;
    rep->ctype = "text/html; charset=utf-8";
    rep->body.n = 0;
    web_page_begin(&rep->body, title, s);
    wb_puts(&rep->body, "<p class=\"err\" role=\"alert\">");
    wb_esc(&rep->body, msg);
    wb_puts(&rep->body, "</p>\n");
    web_page_end(&rep->body);
}

int web_form_is(const web_formstate *st, const char *which, long long asset)
{
    return st && st->which && !strcmp(st->which, which) &&
           (strcmp(which, "transition") || st->asset == asset);
}

static const char *shown_value(web_formctx *fc, const char *name, const char *def)
{
    if (web_form_is(fc->st, fc->which, fc->asset)) {
        const char *v = web_form_get(fc->st->in, name);
        return v ? v : "";
    }
    return def ? def : "";
}

static const char *error_at(web_formctx *fc, const char *name)
{
    if (web_form_is(fc->st, fc->which, fc->asset) && fc->st->field &&
        !strcmp(fc->st->field, name))
        return fc->st->msg;
    return NULL;
}

static void field_id(web_formctx *fc, const char *name)
{
    wb_esc(fc->b, fc->idp);
    wb_puts(fc->b, "-");
    wb_esc(fc->b, name);
}

static void field_open(web_formctx *fc, const char *name, const char *label,
                       const char *err)
{
    wb_puts(fc->b, err ? "<div class=\"bad\">" : "<div>");
    wb_puts(fc->b, "<label for=\"");
    field_id(fc, name);
    wb_puts(fc->b, "\">");
    wb_esc(fc->b, label);
    wb_puts(fc->b, "</label>");
    if (err) {
        wb_puts(fc->b, "<p class=\"err\" role=\"alert\" id=\"");
        field_id(fc, name);
        wb_puts(fc->b, "-err\">");
        wb_esc(fc->b, err);
        wb_puts(fc->b, "</p>");
    }
}

void web_form_begin(web_formctx *fc, const web_session *s, const char *action_path)
{
    char tok[33];

    wb_puts(fc->b, "<form class=\"f\" method=\"post\" action=\"");
    wb_esc(fc->b, action_path);
    wb_puts(fc->b,
            "\" accept-charset=\"utf-8\"><input type=\"hidden\" name=\"csrf\" value=\"");
    wb_esc(fc->b, s->csrf);
    wb_puts(fc->b, "\">");
    /* a form submitted twice writes once: it carries its own token; a form
       shown again keeps the token it had */
    if (web_form_is(fc->st, fc->which, fc->asset) && web_form_get(fc->st->in, "form"))
        snprintf(tok, sizeof(tok), "%s", web_form_get(fc->st->in, "form"));
    else if (web_random_hex(tok, 16) != 0)
        tok[0] = '\0';
    wb_puts(fc->b, "<input type=\"hidden\" name=\"form\" value=\"");
    wb_esc(fc->b, tok);
    wb_puts(fc->b, "\">");
}

void web_form_end(web_formctx *fc, const char *submit)
{
    wb_puts(fc->b, "<div><button type=\"submit\">");
    wb_esc(fc->b, submit);
    wb_puts(fc->b, "</button></div></form>\n");
}

void web_in_text(web_formctx *fc, const char *name, const char *label, const char *def,
                 const char *type, int required)
{
    const char *err = error_at(fc, name);

    field_open(fc, name, label, err);
    wb_puts(fc->b, "<input type=\"");
    wb_esc(fc->b, type ? type : "text");
    wb_puts(fc->b, "\" id=\"");
    field_id(fc, name);
    wb_puts(fc->b, "\" name=\"");
    wb_esc(fc->b, name);
    wb_puts(fc->b, "\" value=\"");
    wb_esc(fc->b, shown_value(fc, name, def));
    wb_puts(fc->b, "\"");
    if (required)
        wb_puts(fc->b, " required");
    if (err) {
        wb_puts(fc->b, " aria-invalid=\"true\" aria-describedby=\"");
        field_id(fc, name);
        wb_puts(fc->b, "-err\"");
    }
    wb_puts(fc->b, "></div>\n");
}

void web_in_select(web_formctx *fc, const char *name, const char *label,
                   const char *const *choices, const char *def, int allow_empty)
{
    const char *err = error_at(fc, name);
    const char *v = shown_value(fc, name, def);

    field_open(fc, name, label, err);
    wb_puts(fc->b, "<select id=\"");
    field_id(fc, name);
    wb_puts(fc->b, "\" name=\"");
    wb_esc(fc->b, name);
    wb_puts(fc->b, "\">");
    if (allow_empty)
        wb_puts(fc->b, "<option value=\"\">—</option>");
    for (size_t i = 0; choices && choices[i]; i++) {
        wb_puts(fc->b, "<option value=\"");
        wb_esc(fc->b, choices[i]);
        wb_puts(fc->b, !strcmp(v, choices[i]) ? "\" selected>" : "\">");
        wb_esc(fc->b, choices[i]);
        wb_puts(fc->b, "</option>");
    }
    wb_puts(fc->b, "</select></div>\n");
}

void web_in_checks(web_formctx *fc, const char *name, const char *label,
                   const char *const *choices)
{
    const char *err = error_at(fc, name);
    const char *given[64];
    size_t ngiven = 0;

    if (web_form_is(fc->st, fc->which, fc->asset))
        ngiven = web_form_all(fc->st->in, name, given, 64);
    if (ngiven > 64)
        ngiven = 64;
    wb_puts(fc->b, err ? "<fieldset class=\"bad\"><legend>" : "<fieldset><legend>");
    wb_esc(fc->b, label);
    wb_puts(fc->b, "</legend>");
    if (err) {
        wb_puts(fc->b, "<p class=\"err\" role=\"alert\">");
        wb_esc(fc->b, err);
        wb_puts(fc->b, "</p>");
    }
    for (size_t i = 0; choices && choices[i]; i++) {
        int on = 0;
        for (size_t k = 0; k < ngiven; k++)
            on |= !strcmp(given[k], choices[i]);
        wb_puts(fc->b, "<label><input type=\"checkbox\" name=\"");
        wb_esc(fc->b, name);
        wb_puts(fc->b, "\" value=\"");
        wb_esc(fc->b, choices[i]);
        wb_puts(fc->b, on ? "\" checked> " : "\"> ");
        wb_esc(fc->b, choices[i]);
        wb_puts(fc->b, "</label>");
    }
    wb_puts(fc->b, "</fieldset>\n");
}

void web_form_problem(web_formctx *fc, const char *const *fields)
{
    if (!web_form_is(fc->st, fc->which, fc->asset) || !fc->st->msg)
        return;
    for (size_t i = 0; fc->st->field && fields && fields[i]; i++)
        if (!strcmp(fields[i], fc->st->field))
            return; /* shown at the field */
    wb_puts(fc->b, "<p class=\"err\" role=\"alert\">");
    wb_esc(fc->b, fc->st->msg);
    wb_puts(fc->b, "</p>\n");
}
