/* The GET pages: home, the case list and search, the new-case form, the
   case page with its forms, and reports. Read through the public API only. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web.h"

static int may_write(const web_session *s)
{
    return strcmp(s->group, "auditor") != 0;
}

void web_page_start(web_reply *rep, int status, const char *title, const web_session *s)
{
    rep->status = status;
    rep->ctype = "text/html; charset=utf-8";
    rep->body.n = 0;
    web_page_begin(&rep->body, title, s);
}

void web_case_link(web_buf *b, const char *ref)
{
    wb_puts(b, "<a href=\"/cases/");
    wb_url(b, ref);
    wb_puts(b, "\">");
    wb_esc(b, ref);
    wb_puts(b, "</a>");
}

void web_page_login(web_reply *rep, int status, const char *msg, const char *user)
{
    web_buf *b = &rep->body;

    web_page_start(rep, status, "Log in", NULL);
    if (msg) {
        wb_puts(b, "<p class=\"err\" role=\"alert\">");
        wb_esc(b, msg);
        wb_puts(b, "</p>\n");
    }
    /* the password is never put back into the page */
    wb_puts(
        b, "<form class=\"f\" method=\"post\" action=\"/login\" accept-charset=\"utf-8\">"
           "<div><label for=\"login-user\">User</label><input type=\"text\" "
           "id=\"login-user\" name=\"user\" autocomplete=\"username\" required value=\"");
    wb_esc(b, user);
    wb_puts(b, "\"></div><div><label for=\"login-password\">Password</label>"
               "<input type=\"password\" id=\"login-password\" name=\"password\" "
               "autocomplete=\"current-password\" required></div>"
               "<div><button type=\"submit\">Log in</button></div></form>\n"
               "<p class=\"note\">Log in with your own database login: what you do is "
               "recorded under your name.</p>\n");
    web_page_end(b);
}

/* --- home --- */

int web_log_row(void *arg, const arcs_audit_log_row *r)
{
    web_log_rows *l = arg;

    if (l->only_user && strcmp(r->db_user ? r->db_user : "", l->only_user))
        return 0;
    wb_printf(l->b, "<tr><td>%" PRId64 "</td><td>", r->seq);
    wb_esc(l->b, r->time);
    wb_puts(l->b, "</td><td>");
    wb_esc(l->b, r->db_user);
    wb_puts(l->b, "</td><td>");
    wb_esc(l->b, r->actor);
    wb_puts(l->b, "</td><td>");
    wb_esc(l->b, r->op);
    wb_puts(l->b, "</td><td>");
    wb_esc(l->b, r->table);
    wb_puts(l->b, "</td><td>");
    wb_esc(l->b, r->key);
    wb_puts(l->b, "</td></tr>\n");
    l->n++;
    return 0;
}

void web_log_open(web_buf *b)
{
    wb_puts(b, "<table><thead><tr><th>Seq</th><th>Time</th><th>Database user</th>"
               "<th>Actor</th><th>Change</th><th>Table</th><th>Key</th></tr></thead>"
               "<tbody>\n");
}

void web_page_home(web_reply *rep, web_session *s)
{
    web_buf *b = &rep->body;
    arcs_log_state ls;
    web_log_rows l = {b, NULL, 0};
    int64_t since;

    if (arcs_db_log_state(s->ctx, &ls) != ARCS_OK) {
        web_page_error(rep, s, web_status_of(arcs_errcode(s->ctx)), arcs_errmsg(s->ctx));
        return;
    }
    web_page_start(rep, 200, "Home", s);
    wb_puts(b, "<h2>The log</h2>\n<p id=\"log-size\">");
    wb_printf(b, "%" PRId64 " entries.", ls.size);
    if (ls.checkpoint_size >= 0) {
        wb_printf(b, " The last checkpoint stored covers %" PRId64 " of them (",
                  ls.checkpoint_size);
        wb_esc(b, ls.checkpoint_time);
        wb_puts(b, " UTC, signer ");
        wb_esc(b, ls.checkpoint_signer);
        wb_puts(b, "); it is a claim until arcs audit verify checks it against a key.");
    } else {
        wb_puts(b, " No checkpoint is stored yet.");
    }
    wb_puts(b, "</p>\n<h2>My latest changes</h2>\n");
    /* the person's own changes among the latest 500 */
    since = ls.size > 500 ? ls.size - 500 : 0;
    web_log_open(b);
    l.only_user = s->user;
    if (arcs_audit_log(s->ctx, NULL, since, web_log_row, &l) != ARCS_OK)
        wb_puts(b, "<tr><td colspan=\"7\">the log cannot be read</td></tr>");
    else if (!l.n)
        wb_puts(b, "<tr><td colspan=\"7\">none among the latest 500 entries</td></tr>");
    wb_puts(b, "</tbody></table>\n<h2>Latest changes</h2>\n");
    since = ls.size > 20 ? ls.size - 20 : 0;
    l.only_user = NULL;
    web_log_open(b);
    if (arcs_audit_log(s->ctx, NULL, since, web_log_row, &l) != ARCS_OK)
        wb_puts(b, "<tr><td colspan=\"7\">the log cannot be read</td></tr>");
    wb_puts(b, "</tbody></table>\n");
    web_page_end(b);
}

/* --- the case list --- */

void web_page_cases(web_reply *rep, web_session *s, const web_form *q)
{
    web_buf *b = &rep->body;
    arcs_case_filter f = {
        web_form_get_nonempty(q, "status"), web_form_get_nonempty(q, "offence"),
        web_form_get_nonempty(q, "country"), web_form_get_nonempty(q, "q")};
    web_formstate st = {"filter", 0, q, NULL, NULL, 200};
    web_formctx fc = {b, &st, "filter", 0, "filter"};
    arcs_case_list *list = NULL;
    arcs_status rc;

    rc = arcs_case_list_get(s->ctx, &f, &list);
    web_page_start(rep, rc == ARCS_OK ? 200 : web_status_of(rc), "Cases", s);
    if (rc != ARCS_OK)
        st.msg = arcs_errmsg(s->ctx);
    wb_puts(b, "<form class=\"f\" method=\"get\" action=\"/cases\" role=\"search\">");
    web_in_text(&fc, "q", "Search refs, titles, subjects, assets", NULL, "search", 0);
    web_in_select(&fc, "status", "Status", arcs_case_vocab("status"), NULL, 1);
    web_in_select(&fc, "offence", "Offence", arcs_case_vocab("offence"), NULL, 1);
    web_in_text(&fc, "country", "Country (ISO code)", NULL, "text", 0);
    wb_puts(b, "<div><button type=\"submit\">Find</button></div></form>\n");
    if (rc != ARCS_OK) {
        wb_puts(b, "<p class=\"err\" role=\"alert\">");
        wb_esc(b, arcs_errmsg(s->ctx));
        wb_puts(b, "</p>\n");
        web_page_end(b);
        return;
    }
    wb_printf(b, "<p>%zu cases.</p>\n", list->n);
    wb_puts(b, "<table><thead><tr><th>Ref</th><th>Title</th><th>Route</th><th>Status</th>"
               "<th>Opened</th><th>Offences</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < list->n; i++) {
        const arcs_case *c = &list->items[i];
        wb_puts(b, "<tr><td>");
        web_case_link(b, c->ref);
        wb_puts(b, "</td><td>");
        wb_esc(b, c->title);
        wb_puts(b, "</td><td>");
        wb_esc(b, c->route);
        wb_puts(b, "</td><td>");
        wb_esc(b, c->status);
        wb_puts(b, "</td><td>");
        wb_esc(b, c->opened);
        wb_puts(b, "</td><td>");
        for (size_t k = 0; k < c->noffences; k++) {
            if (k)
                wb_puts(b, ", ");
            wb_esc(b, c->offences[k]);
        }
        wb_puts(b, "</td></tr>\n");
    }
    wb_puts(b, "</tbody></table>\n");
    arcs_case_list_free(list);
    web_page_end(b);
}

/* --- the new-case form --- */

static const char *const case_fields[] = {"ref",    "title",        "route", "offence",
                                          "opened", "jurisdiction", NULL};

static void case_form(web_buf *b, web_session *s, const web_formstate *st)
{
    web_formctx fc = {b, st, "case", 0, "case"};
    const char *jur[3] = {NULL, NULL, NULL};

    if (web_form_is(st, "case", 0))
        web_form_all(st->in, "jurisdiction", jur, 3);
    web_form_begin(&fc, s, "/cases");
    web_form_problem(&fc, case_fields);
    web_in_text(&fc, "ref", "Reference (e.g. ARC-2025-0042)", NULL, "text", 1);
    web_in_text(&fc, "title", "Title", NULL, "text", 1);
    web_in_select(&fc, "route", "Legal route", arcs_case_vocab("route"), "criminal", 0);
    web_in_checks(&fc, "offence", "Offences", arcs_case_vocab("offence"));
    web_in_text(&fc, "opened", "Opened (YYYY-MM-DD; empty: today)", NULL, "date", 0);
    /* jurisdictions: ROLE:CC, as the CLI's --jurisdiction; three fields, each
       kept as typed when the form comes back */
    {
        const char *err =
            web_form_is(st, "case", 0) && st->field && !strcmp(st->field, "jurisdiction")
                ? st->msg
                : NULL;
        wb_puts(b, err ? "<fieldset class=\"bad\">" : "<fieldset>");
        wb_puts(b, "<legend>Jurisdictions (ROLE:CC, e.g. victim:KZ; roles: ");
        for (const char *const *r = arcs_case_vocab("jurisdiction_role"); r && *r; r++) {
            wb_esc(b, *r);
            wb_puts(b, r[1] ? ", " : ")");
        }
        wb_puts(b, "</legend>");
        if (err) {
            wb_puts(b, "<p class=\"err\" role=\"alert\">");
            wb_esc(b, err);
            wb_puts(b, "</p>");
        }
        for (int i = 0; i < 3; i++) {
            wb_printf(b,
                      "<label for=\"case-jurisdiction-%d\">Jurisdiction %d</label>"
                      "<input type=\"text\" id=\"case-jurisdiction-%d\" "
                      "name=\"jurisdiction\" value=\"",
                      i, i + 1, i);
            wb_esc(b, jur[i]);
            wb_puts(b, "\">");
        }
        wb_puts(b, "</fieldset>\n");
    }
    web_form_end(&fc, "Add the case");
}

void web_page_case_new(web_reply *rep, web_session *s, const web_formstate *st)
{
    web_page_start(rep, st ? st->status : 200, "New case", s);
    if (!may_write(s))
        wb_puts(&rep->body, "<p>Your role reads cases; it does not add them.</p>\n");
    else
        case_form(&rep->body, s, st);
    web_page_end(&rep->body);
}

/* --- the case page --- */

static void money(web_buf *b, int64_t minor, int exponent, const char *cur)
{
    char t[ARCS_MONEY_TEXT_MAX];

    arcs_money_format(t, minor, exponent);
    wb_esc(b, t);
    wb_puts(b, " ");
    wb_esc(b, cur);
}

static void transition_form(web_buf *b, web_session *s, const arcs_asset *a,
                            const arcs_case_detail *d, const web_formstate *st)
{
    web_formctx fc = {b, st, "transition", a->id, NULL};
    static const char *const fields[] = {"to",       "decision", "date", "amount",
                                         "currency", "note",     NULL};
    const char *next[ARCS_ASSET_NSTATES + 1];
    const char *decs[257];
    size_t nn = 0, nd = 0;
    arcs_asset_state from;
    char idp[40], path[64];

    if (arcs_asset_state_parse(&from, a->state, NULL) != ARCS_OK)
        return;
    /* only the moves the law allows are offered (the library and the
       database refuse the others all the same) */
    for (int to = 0; to < ARCS_ASSET_NSTATES; to++)
        if (arcs_asset_move_allowed(from, (arcs_asset_state)to))
            next[nn++] = arcs_asset_state_name((arcs_asset_state)to);
    next[nn] = NULL;
    if (!nn)
        return;
    for (size_t i = 0; i < d->ndecisions && nd < 256; i++)
        decs[nd++] = d->decisions[i].ref;
    decs[nd] = NULL;
    snprintf(idp, sizeof(idp), "move-%" PRId64, a->id);
    snprintf(path, sizeof(path), "/assets/%" PRId64 "/transitions", a->id);
    fc.idp = idp;
    web_form_begin(&fc, s, path);
    wb_printf(b, "<h4>Move asset %" PRId64 "</h4>", a->id);
    web_form_problem(&fc, fields);
    web_in_select(&fc, "to", "To state", next, NULL, 0);
    web_in_select(&fc, "decision", "By decision", decs, NULL, 0);
    web_in_text(&fc, "date", "Date (YYYY-MM-DD)", NULL, "date", 1);
    web_in_text(&fc, "amount", "Amount (realized proceeds)", NULL, "text", 0);
    web_in_text(&fc, "currency", "Currency", NULL, "text", 0);
    web_in_text(&fc, "note", "Note", NULL, "text", 0);
    web_form_end(&fc, "Move");
}

static void asset_section(web_buf *b, web_session *s, const arcs_asset *a,
                          const arcs_case_detail *d, const web_formstate *st)
{
    wb_printf(b, "<section id=\"asset-%" PRId64 "\"><h3>Asset %" PRId64 ": ", a->id,
              a->id);
    wb_esc(b, a->kind);
    wb_puts(b, " — <span class=\"state\">");
    wb_esc(b, a->state);
    wb_puts(b, "</span></h3>\n<table><tbody><tr><th>Description</th><td>");
    wb_esc(b, a->description);
    wb_puts(b, "</td></tr><tr><th>Country</th><td>");
    wb_esc(b, a->country);
    wb_puts(b, "</td></tr><tr><th>Identifiers</th><td>");
    wb_esc(b, a->identifiers);
    wb_puts(b, "</td></tr><tr><th>Custodian</th><td>");
    wb_esc(b, a->custodian);
    wb_puts(b, "</td></tr><tr><th>State since</th><td>");
    wb_esc(b, a->state_since);
    wb_puts(b, "</td></tr></tbody></table>\n");
    if (a->nvaluations) {
        wb_puts(b, "<h4>Valuations</h4><table><thead><tr><th>On</th><th>Amount</th>"
                   "<th>Method</th></tr></thead><tbody>");
        for (size_t i = 0; i < a->nvaluations; i++) {
            const arcs_valuation *v = &a->valuations[i];
            wb_puts(b, "<tr><td>");
            wb_esc(b, v->valued_on);
            wb_puts(b, "</td><td>");
            money(b, v->amount, v->exponent, v->currency);
            wb_puts(b, "</td><td>");
            wb_esc(b, v->method);
            wb_puts(b, "</td></tr>");
        }
        wb_puts(b, "</tbody></table>\n");
    }
    if (a->nhistory) {
        wb_puts(b, "<h4>History</h4><table><thead><tr><th>Date</th><th>From</th>"
                   "<th>To</th><th>Decision</th><th>Amount</th><th>Actor</th>"
                   "<th>Database user</th><th>Note</th></tr></thead><tbody>");
        for (size_t i = 0; i < a->nhistory; i++) {
            const arcs_transition *t = &a->history[i];
            wb_puts(b, "<tr><td>");
            wb_esc(b, t->date);
            wb_puts(b, "</td><td>");
            wb_esc(b, t->from);
            wb_puts(b, "</td><td>");
            wb_esc(b, t->to);
            wb_puts(b, "</td><td>");
            wb_esc(b, t->decision);
            wb_puts(b, "</td><td>");
            if (t->has_amount)
                money(b, t->amount, t->exponent, t->currency);
            wb_puts(b, "</td><td>");
            wb_esc(b, t->actor);
            wb_puts(b, "</td><td>");
            wb_esc(b, t->db_user);
            wb_puts(b, "</td><td>");
            wb_esc(b, t->note);
            wb_puts(b, "</td></tr>");
        }
        wb_puts(b, "</tbody></table>\n");
    }
    if (may_write(s))
        transition_form(b, s, a, d, st);
    wb_puts(b, "</section>\n");
}

static void write_forms(web_buf *b, web_session *s, const arcs_case_detail *d,
                        const arcs_asset_items *items, const web_formstate *st)
{
    static const char *const subject_fields[] = {"name", "kind", "role", "country", NULL};
    static const char *const decision_fields[] = {"kind",  "ref",   "issuer", "date",
                                                  "final", "asset", NULL};
    static const char *const asset_fields[] = {"kind",        "desc",      "country",
                                               "identifiers", "custodian", "value",
                                               "currency",    "valued_on", NULL};
    static const char *const subject_kinds[] = {"person", "entity", NULL};
    web_buf path = {0};
    web_formctx fc = {b, st, "subject", 0, "subject"};

    wb_puts(&path, "/cases/");
    wb_url(&path, d->c.ref);
    wb_puts(&path, "/subjects");
    if (path.oom)
        return;
    wb_puts(b, "<h2 id=\"add\">Add to the case</h2>\n");
    web_form_begin(&fc, s, path.b);
    wb_puts(b, "<h3>A subject</h3>");
    web_form_problem(&fc, subject_fields);
    web_in_text(&fc, "name", "Name", NULL, "text", 1);
    web_in_select(&fc, "kind", "Kind", subject_kinds, "person", 0);
    web_in_select(&fc, "role", "Role", arcs_case_vocab("subject_role"), NULL, 0);
    web_in_text(&fc, "country", "Country (ISO code)", NULL, "text", 0);
    web_form_end(&fc, "Add the subject");

    path.n = 0;
    wb_puts(&path, "/cases/");
    wb_url(&path, d->c.ref);
    wb_puts(&path, "/decisions");
    fc.which = fc.idp = "decision";
    web_form_begin(&fc, s, path.b);
    wb_puts(b, "<h3>A decision</h3>");
    web_form_problem(&fc, decision_fields);
    web_in_select(&fc, "kind", "Kind", arcs_case_vocab("decision_kind"), NULL, 0);
    web_in_text(&fc, "ref", "Reference", NULL, "text", 1);
    web_in_text(&fc, "issuer", "Issuer", NULL, "text", 1);
    web_in_text(&fc, "date", "Issued (YYYY-MM-DD)", NULL, "date", 1);
    web_in_text(&fc, "final", "Final (YYYY-MM-DD)", NULL, "date", 0);
    if (items->n) {
        /* the assets it covers, as the CLI's repeated --asset */
        char(*ids)[24] = calloc(items->n, sizeof(*ids));
        const char **choices = calloc(items->n + 1, sizeof(*choices));
        if (ids && choices) {
            for (size_t i = 0; i < items->n; i++) {
                snprintf(ids[i], sizeof(ids[i]), "%" PRId64, items->items[i].id);
                choices[i] = ids[i];
            }
            web_in_checks(&fc, "asset", "Assets it covers (ids)", choices);
        }
        free(ids);
        free(choices);
    }
    web_form_end(&fc, "Add the decision");

    path.n = 0;
    wb_puts(&path, "/cases/");
    wb_url(&path, d->c.ref);
    wb_puts(&path, "/assets");
    fc.which = fc.idp = "asset";
    web_form_begin(&fc, s, path.b);
    wb_puts(b, "<h3>An asset</h3>");
    web_form_problem(&fc, asset_fields);
    web_in_select(&fc, "kind", "Kind", arcs_asset_kinds(), NULL, 0);
    web_in_text(&fc, "desc", "Description", NULL, "text", 1);
    web_in_text(&fc, "country", "Country (ISO code)", NULL, "text", 1);
    web_in_text(&fc, "identifiers", "Identifiers (cadastral number, IBAN, VIN ...)", NULL,
                "text", 0);
    web_in_text(&fc, "custodian", "Custodian", NULL, "text", 0);
    web_in_text(&fc, "value", "Value (e.g. 1250000.00)", NULL, "text", 0);
    web_in_text(&fc, "currency", "Currency (e.g. USD)", NULL, "text", 0);
    web_in_text(&fc, "valued_on", "Valued on (YYYY-MM-DD)", NULL, "date", 0);
    web_form_end(&fc, "Add the asset");
    wb_free(&path);
}

void web_page_case(web_reply *rep, web_session *s, const char *ref,
                   const web_formstate *st)
{
    web_buf *b = &rep->body;
    arcs_case_detail *d = NULL;
    arcs_asset_items *items = NULL;
    arcs_asset_filter af = {ref, NULL, NULL};
    web_log_rows l = {b, NULL, 0};
    arcs_status rc;
    int status = st ? st->status : 200;

    rc = arcs_case_get(s->ctx, ref, &d);
    if (rc != ARCS_OK) {
        web_page_error(rep, s, web_status_of(rc), arcs_errmsg(s->ctx));
        return;
    }
    rc = arcs_asset_list(s->ctx, &items, &af);
    if (rc != ARCS_OK) {
        arcs_case_detail_free(d);
        web_page_error(rep, s, web_status_of(rc), arcs_errmsg(s->ctx));
        return;
    }
    web_page_start(rep, status, d->c.ref, s);
    if (st && st->msg) {
        wb_puts(b, "<p class=\"err\" role=\"alert\">Nothing was written: ");
        wb_esc(b, st->msg);
        wb_puts(b, " (<a href=\"#add\">the form</a>)</p>\n");
    }
    wb_puts(b, "<p class=\"title\">");
    wb_esc(b, d->c.title);
    wb_puts(b, "</p>\n<table><tbody><tr><th>Status</th><td id=\"case-status\">");
    wb_esc(b, d->c.status);
    wb_puts(b, "</td></tr><tr><th>Route</th><td>");
    wb_esc(b, d->c.route);
    wb_puts(b, "</td></tr><tr><th>Opened</th><td>");
    wb_esc(b, d->c.opened);
    wb_puts(b, "</td></tr><tr><th>Closed</th><td>");
    wb_esc(b, d->c.closed);
    wb_puts(b, "</td></tr><tr><th>Offences</th><td>");
    for (size_t k = 0; k < d->c.noffences; k++) {
        if (k)
            wb_puts(b, ", ");
        wb_esc(b, d->c.offences[k]);
    }
    wb_puts(b, "</td></tr><tr><th>Jurisdictions</th><td>");
    for (size_t k = 0; k < d->c.njurisdictions; k++) {
        if (k)
            wb_puts(b, ", ");
        wb_esc(b, d->c.jurisdictions[k].role);
        wb_puts(b, ":");
        wb_esc(b, d->c.jurisdictions[k].country);
    }
    wb_puts(b, "</td></tr></tbody></table>\n<p><a href=\"/reports/case/");
    wb_url(b, d->c.ref);
    wb_puts(b, "\">Case report</a> (money movements and the audit entries behind each; "
               "<a href=\"/reports/case/");
    wb_url(b, d->c.ref);
    wb_puts(b, "?format=json\">JSON</a>, <a href=\"/reports/case/");
    wb_url(b, d->c.ref);
    wb_puts(b, "?format=md\">Markdown</a>)</p>\n");

    wb_printf(b, "<h2 id=\"subjects\">Subjects (%zu)</h2>\n", d->nsubjects);
    wb_puts(b, "<table><thead><tr><th>Name</th><th>Kind</th><th>Role</th><th>Country</th>"
               "<th>Identity number on file</th></tr></thead><tbody>\n");
    for (size_t k = 0; k < d->nsubjects; k++) {
        const arcs_subject *x = &d->subjects[k];
        wb_puts(b, "<tr><td>");
        wb_esc(b, x->name);
        wb_puts(b, "</td><td>");
        wb_esc(b, x->kind);
        wb_puts(b, "</td><td>");
        wb_esc(b, x->role);
        wb_puts(b, "</td><td>");
        wb_esc(b, x->country);
        wb_puts(b, x->has_id_number ? "</td><td>yes</td></tr>\n"
                                    : "</td><td>no</td></tr>\n");
    }
    wb_puts(b, "</tbody></table>\n");

    wb_printf(b, "<h2 id=\"decisions\">Decisions (%zu)</h2>\n", d->ndecisions);
    wb_puts(b, "<table><thead><tr><th>Kind</th><th>Reference</th><th>Issuer</th>"
               "<th>Issued</th><th>Final</th><th>Assets</th></tr></thead><tbody>\n");
    for (size_t k = 0; k < d->ndecisions; k++) {
        const arcs_decision *x = &d->decisions[k];
        wb_puts(b, "<tr><td>");
        wb_esc(b, x->kind);
        wb_puts(b, "</td><td>");
        wb_esc(b, x->ref);
        wb_puts(b, "</td><td>");
        wb_esc(b, x->issuer);
        wb_puts(b, "</td><td>");
        wb_esc(b, x->issued);
        wb_puts(b, "</td><td>");
        wb_esc(b, x->final);
        wb_puts(b, "</td><td>");
        for (size_t a = 0; a < x->nassets; a++)
            wb_printf(b, "%s<a href=\"#asset-%" PRId64 "\">%" PRId64 "</a>",
                      a ? ", " : "", x->assets[a], x->assets[a]);
        wb_puts(b, "</td></tr>\n");
    }
    wb_puts(b, "</tbody></table>\n");

    if (d->nhistory) {
        wb_puts(b, "<h2>Status history</h2><table><thead><tr><th>Date</th><th>From</th>"
                   "<th>To</th><th>Decision</th><th>Actor</th></tr></thead><tbody>");
        for (size_t k = 0; k < d->nhistory; k++) {
            const arcs_case_status_change *h = &d->history[k];
            wb_puts(b, "<tr><td>");
            wb_esc(b, h->on);
            wb_puts(b, "</td><td>");
            wb_esc(b, h->from);
            wb_puts(b, "</td><td>");
            wb_esc(b, h->to);
            wb_puts(b, "</td><td>");
            wb_esc(b, h->decision_ref);
            wb_puts(b, "</td><td>");
            wb_esc(b, h->actor);
            wb_puts(b, "</td></tr>");
        }
        wb_puts(b, "</tbody></table>\n");
    }

    wb_printf(b, "<h2 id=\"assets\">Assets (%zu)</h2>\n", items->n);
    for (size_t k = 0; k < items->n; k++) {
        arcs_asset *a = NULL;
        if (arcs_asset_get(s->ctx, &a, items->items[k].id) != ARCS_OK) {
            wb_puts(b, "<p class=\"err\">");
            wb_esc(b, arcs_errmsg(s->ctx));
            wb_puts(b, "</p>");
            continue;
        }
        asset_section(b, s, a, d, st);
        arcs_asset_free(a);
    }

    if (may_write(s))
        write_forms(b, s, d, items, st);

    wb_puts(b, "<h2 id=\"audit\">Audit trail</h2>\n<p><a href=\"/audit?case=");
    wb_url(b, d->c.ref);
    wb_puts(b,
            "\">On the audit page</a>, beside the log's size and last checkpoint.</p>\n");
    web_log_open(b);
    if (arcs_audit_log(s->ctx, d->c.ref, 0, web_log_row, &l) != ARCS_OK) {
        wb_puts(b, "<tr><td colspan=\"7\">");
        wb_esc(b, arcs_errmsg(s->ctx));
        wb_puts(b, "</td></tr>");
    }
    wb_puts(b, "</tbody></table>\n");
    arcs_asset_items_free(items);
    arcs_case_detail_free(d);
    web_page_end(b);
}

/* --- reports --- */

void web_page_report(web_reply *rep, web_session *s, const char *what, const char *arg,
                     const web_form *q)
{
    const char *fmt_text = web_form_get_nonempty(q, "format");
    arcs_report_format fmt = ARCS_REPORT_HTML;
    char *out = NULL;
    size_t n = 0;
    arcs_status st;
    arcs_err err;

    arcs_err_clear(&err);
    if (fmt_text && arcs_report_format_parse(&fmt, fmt_text, &err) != ARCS_OK) {
        web_page_error(rep, s, 422, err.msg);
        return;
    }
    if (!strcmp(what, "funds"))
        st = arcs_report_funds(s->ctx, &out, &n, web_form_get_nonempty(q, "from"),
                               web_form_get_nonempty(q, "to"), fmt);
    else if (!strcmp(what, "statistics")) {
        const char *y = web_form_get_nonempty(q, "year");
        char *end = NULL;
        long year = y ? strtol(y, &end, 10) : 0;
        if (!y || *end || year < 1900 || year > 2999) {
            web_page_error(rep, s, 422, "year is missing or malformed; give ?year=YYYY");
            return;
        }
        st = arcs_report_statistics(s->ctx, &out, &n, (int)year, fmt);
    } else if (!strcmp(what, "case"))
        st = arcs_report_case(s->ctx, &out, &n, arg, fmt, 0);
    else
        st = arcs_report_provenance(s->ctx, &out, &n, arg, fmt);
    if (st != ARCS_OK) {
        web_page_error(rep, s, web_status_of(st), arcs_errmsg(s->ctx));
        return;
    }
    rep->status = 200;
    rep->body.n = 0;
    wb_put(&rep->body, out, n);
    free(out);
    switch (fmt) {
    case ARCS_REPORT_HTML:
        rep->ctype = "text/html; charset=utf-8";
        rep->csp = WEB_CSP_REPORT;
        break;
    case ARCS_REPORT_CSV:
        rep->ctype = "text/csv; charset=utf-8";
        snprintf(rep->disposition, sizeof(rep->disposition),
                 "attachment; filename=\"%s.csv\"", what);
        break;
    case ARCS_REPORT_JSON:
        rep->ctype = "application/json";
        break;
    case ARCS_REPORT_MD:
        rep->ctype = "text/markdown; charset=utf-8";
        break;
    }
}
