/*
 * Routes (SPEC §9). Every route but /healthz, /static and /login needs a
 * session; every POST but /login needs the session's csrf token, and a
 * request whose Origin is sent must come from this site. Answers: 303 to
 * what was written; 422 bad input, the form shown again; 409 refused by a
 * rule; 403 not allowed; 404 not found.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web.h"

int web_status_of(arcs_status st)
{
    switch (st) {
    case ARCS_EINVAL:
        return 422;
    case ARCS_EREFUSED:
    case ARCS_ECONFLICT:
        return 409;
    case ARCS_EPERM:
        return 403;
    case ARCS_ENOTFOUND:
        return 404;
    default:
        return 500;
    }
}

void web_redirect(web_reply *rep, const char *location)
{
    size_t n = strlen(location);

    free(rep->location);
    rep->location = malloc(n + 1);
    if (rep->location)
        memcpy(rep->location, location, n + 1);
    rep->status = 303;
    rep->ctype = "text/plain; charset=utf-8";
    rep->body.n = 0;
    wb_puts(&rep->body, "see other\n");
}

void web_text(web_reply *rep, int status, const char *text)
{
    rep->status = status;
    rep->ctype = "text/plain; charset=utf-8";
    rep->body.n = 0;
    wb_puts(&rep->body, text);
}

/* The Origin a browser sends must be this site's own. */
static int origin_ok(const web_request *req)
{
    char want[300];

    if (!req->origin)
        return 1;
    if (!req->host)
        return 0;
    snprintf(want, sizeof(want), "http://%s", req->host);
    if (!strcmp(req->origin, want))
        return 1;
    snprintf(want, sizeof(want), "https://%s", req->host);
    return !strcmp(req->origin, want);
}

/* path is prefix followed by a non-empty rest: the rest, else NULL. */
static const char *after(const char *path, const char *prefix)
{
    size_t n = strlen(prefix);
    return !strncmp(path, prefix, n) && path[n] ? path + n : NULL;
}

/* rest ends with "/" suffix: copy what comes before into out. */
static int strip_suffix(const char *rest, const char *suffix, char *out, size_t outn)
{
    size_t n = strlen(rest), k = strlen(suffix);

    if (n <= k || strcmp(rest + n - k, suffix) || n - k >= outn)
        return 0;
    memcpy(out, rest, n - k);
    out[n - k] = '\0';
    return 1;
}

static void route_post(web_reply *rep, web_session *s, web_request *req)
{
    const char *rest;
    char key[300];
    const char *done;
    const char *tok = web_form_get(&req->body, "form");

    if (!strcmp(req->path, "/logout")) {
        web_act_logout(rep, s, req);
        return;
    }
    /* the same form again (a double click, a reload): it was written once,
       and leads where it led */
    if ((done = web_form_done(s, tok)) != NULL) {
        web_redirect(rep, done);
        return;
    }
    if (!strcmp(req->path, "/cases"))
        web_act_case_add(rep, s, &req->body);
    else if ((rest = after(req->path, "/cases/")) &&
             strip_suffix(rest, "/subjects", key, sizeof(key)))
        web_act_subject_add(rep, s, key, &req->body);
    else if (rest && strip_suffix(rest, "/decisions", key, sizeof(key)))
        web_act_decision_add(rep, s, key, &req->body);
    else if (rest && strip_suffix(rest, "/assets", key, sizeof(key)))
        web_act_asset_add(rep, s, key, &req->body);
    else if ((rest = after(req->path, "/assets/")) &&
             strip_suffix(rest, "/transitions", key, sizeof(key)))
        web_act_transition(rep, s, key, &req->body);
    else {
        web_page_error(rep, s, 404, "no such page; go back to the list of cases");
        return;
    }
    if (rep->status == 303 && rep->location && tok)
        web_form_remember(s, tok, rep->location);
}

static void route_get(web_reply *rep, web_session *s, web_request *req)
{
    const char *rest;

    if (!strcmp(req->path, "/"))
        web_page_home(rep, s);
    else if (!strcmp(req->path, "/cases"))
        web_page_cases(rep, s, &req->query);
    else if (!strcmp(req->path, "/cases/new"))
        web_page_case_new(rep, s, NULL);
    else if ((rest = after(req->path, "/cases/")))
        web_page_case(rep, s, rest, NULL);
    else if (!strcmp(req->path, "/fund"))
        web_page_fund(rep, s);
    else if ((rest = after(req->path, "/projects/")))
        web_page_project(rep, s, rest);
    else if (!strcmp(req->path, "/audit"))
        web_page_audit(rep, s, &req->query);
    else if (!strcmp(req->path, "/reports/funds"))
        web_page_report(rep, s, "funds", NULL, &req->query);
    else if (!strcmp(req->path, "/reports/statistics"))
        web_page_report(rep, s, "statistics", NULL, &req->query);
    else if ((rest = after(req->path, "/reports/case/")))
        web_page_report(rep, s, "case", rest, &req->query);
    else if ((rest = after(req->path, "/reports/provenance/")))
        web_page_report(rep, s, "provenance", rest, &req->query);
    else
        web_page_error(rep, s, 404, "no such page; go back to the list of cases");
}

void web_route(const web_config *cfg, web_request *req, web_reply *rep)
{
    int get = !strcmp(req->method, "GET") || !strcmp(req->method, "HEAD");
    int post = !strcmp(req->method, "POST");
    web_session *s;

    rep->status = 200;
    rep->ctype = "text/html; charset=utf-8";
    if (!get && !post) {
        web_text(rep, 405, "method not allowed; use GET or POST\n");
        return;
    }
    if (!strcmp(req->path, "/healthz")) {
        web_text(rep, 200, "ok");
        return;
    }
    if (get && !strcmp(req->path, "/static/arcs.css")) {
        rep->ctype = "text/css; charset=utf-8";
        wb_puts(&rep->body, web_css);
        return;
    }
    if (post && !origin_ok(req)) {
        web_page_error(rep, NULL, 403,
                       "this form was sent from another site; open the page here and "
                       "send it again");
        return;
    }
    if (post && req->body_bad) {
        web_page_error(rep, NULL, 400,
                       "the form is malformed (not URL-encoded UTF-8); send it from the "
                       "page");
        return;
    }
    if (!strcmp(req->path, "/login")) {
        if (post)
            web_act_login(rep, req, cfg);
        else
            web_page_login(rep, 200, NULL, NULL);
        return;
    }
    s = web_session_acquire(req->token);
    if (!s) {
        if (get) {
            web_redirect(rep, "/login");
            return;
        }
        web_page_error(rep, NULL, 403, "you are not logged in; log in and try again");
        return;
    }
    if (post && !web_csrf_ok(s, web_form_get(&req->body, "csrf")))
        web_page_error(rep, s, 403,
                       "the form's csrf token is missing or stale; reload the page and "
                       "send it again");
    else if (post)
        route_post(rep, s, req);
    else
        route_get(rep, s, req);
    web_session_release(s);
}
