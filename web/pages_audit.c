/* The audit page: the log's size, its last stored checkpoints (claims: the
   workspace holds no key to verify it), the unsealed count when the role may
   read it, and the audit trail of one case (the entries `arcs audit log
   --case` lists, through the same call). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "web.h"

#define LATEST 50
#define CHECKPOINTS 10

/* The last stored checkpoints, each named for what it is here: a claim. */
static void checkpoints(web_buf *b, web_session *s)
{
    arcs_checkpoint_info cp[CHECKPOINTS];
    size_t n = 0;

    wb_printf(b, "<h2 id=\"checkpoints\">Last stored checkpoints (at most %d)</h2>\n",
              CHECKPOINTS);
    wb_puts(b, "<table><thead><tr><th>Entries covered</th><th>Stored (UTC)</th>"
               "<th>Signer</th><th>Trust</th></tr></thead><tbody>\n");
    if (arcs_db_checkpoints(s->ctx, cp, CHECKPOINTS, &n) != ARCS_OK) {
        wb_puts(b, "<tr><td colspan=\"4\">");
        wb_esc(b, arcs_errmsg(s->ctx));
        wb_puts(b, "</td></tr>\n");
    }
    for (size_t k = 0; k < n; k++) {
        wb_printf(b, "<tr><td>%" PRId64 "</td><td>", cp[k].size);
        wb_esc(b, cp[k].time);
        wb_puts(b, "</td><td>");
        wb_esc(b, cp[k].signer);
        wb_puts(b, "</td><td>recorded, not verified</td></tr>\n");
    }
    if (!n)
        wb_puts(b, "<tr><td colspan=\"4\">none stored yet</td></tr>\n");
    wb_puts(b, "</tbody></table>\n");
}

static void log_state(web_buf *b, web_session *s, const arcs_log_state *ls)
{
    arcs_db_status ds;
    arcs_status rc;

    wb_puts(b, "<h2>The log</h2>\n<table><tbody>");
    wb_printf(b,
              "<tr><th scope=\"row\">Entries</th><td id=\"audit-size\">%" PRId64
              "</td></tr>",
              ls->size);
    wb_puts(b, "<tr><th scope=\"row\">Last stored checkpoint</th><td id=\"audit-cp\">");
    if (ls->checkpoint_size >= 0) {
        wb_printf(b, "covers %" PRId64 " entries; stored ", ls->checkpoint_size);
        wb_esc(b, ls->checkpoint_time);
        wb_puts(b, " UTC; signer ");
        wb_esc(b, ls->checkpoint_signer);
        wb_puts(b, "; <strong>recorded, not verified</strong>");
    } else {
        wb_puts(b, "none stored yet");
    }
    wb_puts(b, "</td></tr><tr><th scope=\"row\">Captured, not yet sealed</th>"
               "<td id=\"audit-unsealed\">");
    /* the count of captured changes is the database status; a role that may
       not read it is told so rather than shown a guess */
    rc = arcs_db_status_get(s->ctx, &ds);
    if (rc == ARCS_OK && ds.unsealed >= 0)
        wb_printf(b, "%" PRId64, ds.unsealed);
    else if (rc == ARCS_OK || rc == ARCS_EPERM)
        wb_puts(b, "not readable by your role");
    else
        wb_esc(b, arcs_errmsg(s->ctx));
    wb_puts(b, "</td></tr></tbody></table>\n");
    checkpoints(b, s);
    wb_puts(b, "<p class=\"note\">A checkpoint stored in the "
               "database is a claim: anyone who may write there can add one. This "
               "workspace holds no verifier key, so it shows checkpoints as recorded, "
               "not verified; <code>arcs audit verify</code> with the log's public key "
               "checks them.</p>\n");
}

void web_page_audit(web_reply *rep, web_session *s, const web_form *q)
{
    web_buf *b = &rep->body;
    const char *ref = web_form_get_nonempty(q, "case");
    web_formstate st = {"filter", 0, q, NULL, NULL, 200};
    web_formctx fc = {b, &st, "filter", 0, "audit"};
    web_log_rows l = {b, NULL, 0};
    arcs_log_state ls;
    arcs_status rc;
    int64_t since;
    web_buf trail = {0};

    if ((rc = arcs_db_log_state(s->ctx, &ls)) != ARCS_OK) {
        web_page_error(rep, s, web_status_of(rc), arcs_errmsg(s->ctx));
        return;
    }
    if (ref) {
        /* read the trail first: an unknown case is a 404 page */
        l.b = &trail;
        rc = arcs_audit_log(s->ctx, ref, 0, web_log_row, &l);
        if (rc != ARCS_OK) {
            wb_free(&trail);
            web_page_error(rep, s, web_status_of(rc), arcs_errmsg(s->ctx));
            return;
        }
    }
    web_page_start(rep, 200, "Audit", s);
    log_state(b, s, &ls);
    wb_puts(b, "<form class=\"f\" method=\"get\" action=\"/audit\" role=\"search\">");
    web_in_text(&fc, "case", "Audit trail of the case (ref)", NULL, "text", 0);
    wb_puts(b, "<div><button type=\"submit\">Show</button></div></form>\n");
    if (ref) {
        wb_puts(b, "<h2 id=\"trail\">Audit trail of ");
        web_case_link(b, ref);
        wb_printf(b, " (%zu entries)</h2>\n", l.n);
        web_log_open(b);
        wb_put(b, trail.b ? trail.b : "", trail.n);
        wb_puts(b, "</tbody></table>\n");
        wb_free(&trail);
    } else {
        since = ls.size > LATEST ? ls.size - LATEST : 0;
        wb_printf(b, "<h2 id=\"latest\">Latest %d entries</h2>\n", LATEST);
        web_log_open(b);
        if (arcs_audit_log(s->ctx, NULL, since, web_log_row, &l) != ARCS_OK) {
            wb_puts(b, "<tr><td colspan=\"7\">");
            wb_esc(b, arcs_errmsg(s->ctx));
            wb_puts(b, "</td></tr>");
        }
        wb_puts(b, "</tbody></table>\n");
    }
    web_page_end(b);
}
