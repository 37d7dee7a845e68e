/* The fund page and the project pages: the figures `arcs fund balance`,
   `arcs project list` and `arcs project show` print, read through the same
   public calls (one definition per figure). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "web.h"

static void amount(web_buf *b, int64_t minor, int exponent)
{
    char t[ARCS_MONEY_TEXT_MAX];

    arcs_money_format(t, minor, exponent);
    wb_esc(b, t);
}

static void project_link(web_buf *b, const char *code)
{
    wb_puts(b, "<a href=\"/projects/");
    wb_url(b, code);
    wb_puts(b, "\">");
    wb_esc(b, code);
    wb_puts(b, "</a>");
}

/* A figure row: id is a fixed word (the CLI's JSON key), never input. */
static void figure(web_buf *b, const char *id, const char *label, int64_t v, int exp,
                   const char *cur)
{
    wb_printf(b, "<tr><th scope=\"row\">%s</th><td class=\"num\" id=\"fund-%s\">", label,
              id);
    amount(b, v, exp);
    wb_puts(b, "</td><td>");
    wb_esc(b, cur);
    wb_puts(b, "</td></tr>\n");
}

void web_page_fund(web_reply *rep, web_session *s)
{
    web_buf *b = &rep->body;
    arcs_fund_balance f;
    arcs_project_list *l = NULL;
    arcs_status rc;

    rc = arcs_fund_balance_get(s->ctx, &f);
    if (rc != ARCS_OK) {
        web_page_error(rep, s, web_status_of(rc), arcs_errmsg(s->ctx));
        return;
    }
    rc = arcs_project_list_get(s->ctx, &l);
    if (rc != ARCS_OK) {
        web_page_error(rep, s, web_status_of(rc), arcs_errmsg(s->ctx));
        return;
    }
    web_page_start(rep, 200, "Fund", s);
    wb_puts(b, "<h2>Balance</h2>\n<table><thead><tr><th>Figure</th><th>Amount</th>"
               "<th>Currency</th></tr></thead><tbody>\n");
    figure(b, "received", "Received (fund and escrow)", f.received, f.exponent,
           f.currency);
    figure(b, "deducted", "Deducted", f.deducted, f.exponent, f.currency);
    figure(b, "escrow", "Held in escrow", f.escrow, f.exponent, f.currency);
    figure(b, "returned", "Returned to owners", f.returned, f.exponent, f.currency);
    figure(b, "allocated", "Allocated to projects", f.allocated, f.exponent, f.currency);
    figure(b, "disbursed", "Disbursed by projects", f.disbursed, f.exponent, f.currency);
    figure(b, "available", "Available", f.available, f.exponent, f.currency);
    figure(b, "undisbursed", "Allocated, not yet disbursed", f.allocated - f.disbursed,
           f.exponent, f.currency);
    wb_puts(b, "</tbody></table>\n<p class=\"note\">Net of reversals. The same figures "
               "as <code>arcs fund balance</code>; the <a href=\"/reports/funds\">fund "
               "report</a> shows the movements behind them.</p>\n");
    wb_printf(b, "<h2 id=\"projects\">Projects (%zu)</h2>\n", l->n);
    wb_puts(b, "<table><thead><tr><th>Code</th><th>Name</th><th>Sector</th>"
               "<th>Region</th><th>Status</th><th>Allocated</th><th>Disbursed</th>"
               "</tr></thead><tbody>\n");
    for (size_t k = 0; k < l->n; k++) {
        const arcs_project *p = &l->items[k];
        wb_puts(b, "<tr><td>");
        project_link(b, p->code);
        wb_puts(b, "</td><td>");
        wb_esc(b, p->name);
        wb_puts(b, "</td><td>");
        wb_esc(b, p->sector);
        wb_puts(b, "</td><td>");
        wb_esc(b, p->region);
        wb_puts(b, "</td><td>");
        wb_esc(b, p->status);
        wb_puts(b, "</td><td class=\"num\">");
        amount(b, p->allocated, p->exponent);
        wb_puts(b, "</td><td class=\"num\">");
        amount(b, p->disbursed, p->exponent);
        wb_puts(b, "</td></tr>\n");
    }
    if (!l->n)
        wb_puts(b, "<tr><td colspan=\"7\">no projects yet</td></tr>\n");
    wb_puts(b, "</tbody></table>\n");
    arcs_project_list_free(l);
    web_page_end(b);
}

static void row(web_buf *b, const char *label, const char *id, const char *v)
{
    wb_printf(b, "<tr><th scope=\"row\">%s</th><td id=\"project-%s\">", label, id);
    wb_esc(b, v);
    wb_puts(b, "</td></tr>");
}

void web_page_project(web_reply *rep, web_session *s, const char *code)
{
    web_buf *b = &rep->body;
    arcs_project *p = NULL;
    arcs_status rc;

    rc = arcs_project_get(s->ctx, &p, code);
    if (rc != ARCS_OK) {
        web_page_error(rep, s, web_status_of(rc), arcs_errmsg(s->ctx));
        return;
    }
    web_page_start(rep, 200, p->code, s);
    wb_puts(b, "<p class=\"title\" id=\"project-name\">");
    wb_esc(b, p->name);
    wb_puts(b, "</p>\n<table><tbody>");
    row(b, "Sector", "sector", p->sector);
    row(b, "Region", "region", p->region);
    row(b, "Status", "status", p->status);
    row(b, "Implementer", "implementer", p->implementer);
    row(b, "Capacity", "capacity", p->capacity);
    wb_puts(b, "<tr><th scope=\"row\">Budget</th><td id=\"project-budget\">");
    amount(b, p->budget, p->budget_exponent);
    wb_puts(b, " ");
    wb_esc(b, p->budget_currency);
    wb_puts(b, "</td></tr>");
    wb_puts(b, "<tr><th scope=\"row\">Allocated</th><td id=\"project-allocated\">");
    amount(b, p->allocated, p->exponent);
    wb_puts(b, " ");
    wb_esc(b, p->currency);
    wb_puts(b, "</td></tr><tr><th scope=\"row\">Disbursed</th>"
               "<td id=\"project-disbursed\">");
    amount(b, p->disbursed, p->exponent);
    wb_puts(b, " ");
    wb_esc(b, p->currency);
    wb_puts(b, "</td></tr><tr><th scope=\"row\">Not yet disbursed</th>"
               "<td id=\"project-undisbursed\">");
    amount(b, p->allocated - p->disbursed, p->exponent);
    wb_puts(b, " ");
    wb_esc(b, p->currency);
    wb_puts(b, "</td></tr></tbody></table>\n<p><a href=\"/reports/provenance/");
    wb_url(b, p->code);
    wb_puts(b, "\">Provenance report</a> (<a href=\"/reports/provenance/");
    wb_url(b, p->code);
    wb_puts(b, "?format=json\">JSON</a>, <a href=\"/reports/provenance/");
    wb_url(b, p->code);
    wb_puts(b, "?format=md\">Markdown</a>)</p>\n");

    wb_printf(b, "<h2 id=\"transfers\">Allocations and tranches (%zu)</h2>\n",
              p->ntransfers);
    wb_puts(b, "<table><thead><tr><th>Date</th><th>Kind</th><th>Reference</th>"
               "<th>Amount</th><th>Reverses</th><th>Decision</th></tr></thead><tbody>\n");
    for (size_t k = 0; k < p->ntransfers; k++) {
        const arcs_transfer *x = &p->transfers[k];
        wb_puts(b, "<tr><td>");
        wb_esc(b, x->value_date);
        wb_puts(b, "</td><td>");
        wb_esc(b, strcmp(x->kind, "reverse") ? x->kind : "reversal");
        wb_puts(b, "</td><td>");
        wb_esc(b, x->ext_ref);
        wb_puts(b, "</td><td class=\"num\">");
        amount(b, x->amount, x->exponent);
        wb_puts(b, " ");
        wb_esc(b, x->currency);
        wb_puts(b, "</td><td>");
        wb_esc(b, x->reverses_ref);
        wb_puts(b, "</td><td>");
        wb_esc(b, x->decision_ref);
        wb_puts(b, "</td></tr>\n");
    }
    if (!p->ntransfers)
        wb_puts(b, "<tr><td colspan=\"6\">none yet</td></tr>\n");
    wb_puts(b, "</tbody></table>\n");

    wb_printf(b, "<h2 id=\"sources\">Source cases (%zu)</h2>\n", p->nsources);
    wb_puts(b, "<table><thead><tr><th>Case</th><th>Country</th><th>Jurisdictions</th>"
               "<th>Amount</th></tr></thead><tbody>\n");
    for (size_t k = 0; k < p->nsources; k++) {
        const arcs_provenance_item *x = &p->sources[k];
        wb_puts(b, "<tr><td>");
        web_case_link(b, x->case_ref);
        wb_puts(b, "</td><td>");
        wb_esc(b, x->country);
        wb_puts(b, "</td><td>");
        wb_esc(b, x->jurisdictions);
        wb_puts(b, "</td><td class=\"num\">");
        amount(b, x->amount, p->exponent);
        wb_puts(b, " ");
        wb_esc(b, p->currency);
        wb_puts(b, "</td></tr>\n");
    }
    if (!p->nsources)
        wb_puts(b, "<tr><td colspan=\"4\">none yet</td></tr>\n");
    wb_puts(b, "</tbody></table>\n");
    arcs_project_free(p);
    web_page_end(b);
}
