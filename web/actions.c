/*
 * The POST handlers: each gathers the form's fields (named as the CLI's
 * flags), calls the library once, and answers 303 to what was written, or
 * shows the form again with the input kept and the library's message at the
 * field it names. The library validates before it writes, and writes in one
 * transaction: nothing is written unless the answer is 303.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "web.h"

/* Which field a library message is about: the keyword that comes first in
   it. keys and fields run in pairs, NULL-ended. */
static const char *field_of(const char *msg, const char *const *pairs)
{
    const char *best = NULL, *at = NULL;

    for (size_t i = 0; pairs[i]; i += 2) {
        const char *p = strstr(msg, pairs[i]);
        if (p && (!at || p < at)) {
            at = p;
            best = pairs[i + 1];
        }
    }
    return best;
}

static void cookie_set(web_reply *rep, const char *value, int https, int end)
{
    snprintf(rep->cookie, sizeof(rep->cookie),
             "arcs_session=%s; Path=/; HttpOnly; SameSite=Strict%s%s", value,
             https ? "; Secure" : "", end ? "; Max-Age=0" : "");
}

void web_act_login(web_reply *rep, web_request *req, const web_config *cfg)
{
    const char *user = web_form_get(&req->body, "user");
    char *password = NULL;
    char token[WEB_TOKEN_HEX + 1], msg[300];
    unsigned wait = 0;
    int rc;

    (void)cfg;
    for (size_t i = 0; i < req->body.n; i++)
        if (!strcmp(req->body.f[i].name, "password"))
            password = req->body.f[i].value;
    rc = web_session_login(user, password, token, &wait, msg, sizeof(msg));
    if (password) /* not kept past this call */
        OPENSSL_cleanse(password, strlen(password));
    switch (rc) {
    case WEB_LOGIN_OK:
        cookie_set(rep, token, req->https, 0);
        OPENSSL_cleanse(token, sizeof(token));
        web_redirect(rep, "/");
        return;
    case WEB_LOGIN_BAD:
        web_page_login(rep, 401, msg, user);
        return;
    case WEB_LOGIN_SLOW:
        web_page_login(rep, 429, msg, user);
        return;
    case WEB_LOGIN_FULL:
        web_page_login(rep, 503, msg, user);
        return;
    case WEB_LOGIN_NOROLE:
        web_page_login(rep, 403, msg, user);
        return;
    default:
        web_page_login(rep, 500, msg, user);
        return;
    }
}

void web_act_logout(web_reply *rep, web_session *s, const web_request *req)
{
    web_session_end(s);
    cookie_set(rep, "", req->https, 1);
    web_redirect(rep, "/login");
}

/* The case page's address, with an anchor. */
static void case_location(web_buf *b, const char *ref, const char *anchor)
{
    wb_puts(b, "/cases/");
    wb_url(b, ref);
    if (anchor)
        wb_puts(b, anchor);
}

/* After the library said no: a 409/403/404 page, or the form again (422). */
static void refused(web_reply *rep, web_session *s, arcs_status st, const char *which,
                    long long asset, const web_form *in, const char *const *pairs,
                    const char *ref)
{
    char msg[600];
    web_formstate fs;

    snprintf(msg, sizeof(msg), "%s", arcs_errmsg(s->ctx));
    fs.which = which;
    fs.asset = asset;
    fs.in = in;
    fs.msg = msg;
    fs.field = field_of(msg, pairs);
    fs.status = web_status_of(st);
    if (fs.status == 500) {
        web_page_error(rep, s, 500, msg);
        return;
    }
    if (!ref)
        web_page_case_new(rep, s, &fs);
    else
        web_page_case(rep, s, ref, &fs);
    /* the case page may be missing (404) or unreadable: its own answer */
    if (rep->status == 200)
        rep->status = fs.status;
}

/* Bad input found here (a field the library takes as a number): 422. */
static void refused_text(web_reply *rep, web_session *s, const char *which,
                         const web_form *in, const char *field, const char *msg,
                         const char *ref)
{
    web_formstate fs = {which, 0, in, field, msg, 422};

    web_page_case(rep, s, ref, &fs);
    if (rep->status == 200)
        rep->status = 422;
}

void web_act_case_add(web_reply *rep, web_session *s, const web_form *in)
{
    static const char *const pairs[] = {
        "case ref", "ref",     "title",        "title",        "route",
        "route",    "offence", "offence",      "opened",       "opened",
        "opening",  "opened",  "jurisdiction", "jurisdiction", NULL};
    const char *offences[65], *jur[65];
    arcs_case_new c = {0};
    int64_t id = 0;
    int existed = 0;
    arcs_status st;
    web_buf loc = {0};

    c.ref = web_form_get(in, "ref");
    c.title = web_form_get(in, "title");
    c.route = web_form_get_nonempty(in, "route");
    c.opened = web_form_get_nonempty(in, "opened");
    c.noffences = web_form_all(in, "offence", offences, 64);
    c.njurisdictions = web_form_all(in, "jurisdiction", jur, 64);
    /* more than 64 is passed on as such: the library names the limit */
    c.offences = offences;
    c.jurisdictions = jur;
    if (c.noffences > 64)
        c.noffences = 65, offences[64] = "";
    if (c.njurisdictions > 64)
        c.njurisdictions = 65, jur[64] = "";
    st = arcs_case_add(s->ctx, &c, &id, &existed);
    if (st != ARCS_OK) {
        refused(rep, s, st, "case", 0, in, pairs, NULL);
        return;
    }
    case_location(&loc, c.ref, NULL);
    web_redirect(rep, loc.oom ? "/cases" : loc.b);
    wb_free(&loc);
}

/* The case of ref must exist before anything about the form is said. */
static int case_exists(web_reply *rep, web_session *s, const char *ref)
{
    arcs_case_detail *d = NULL;
    arcs_status st = arcs_case_get(s->ctx, ref, &d);

    arcs_case_detail_free(d);
    if (st != ARCS_OK) {
        web_page_error(rep, s, web_status_of(st), arcs_errmsg(s->ctx));
        return 0;
    }
    return 1;
}

void web_act_subject_add(web_reply *rep, web_session *s, const char *ref,
                         const web_form *in)
{
    static const char *const pairs[] = {"name", "name",    "kind",    "kind", "role",
                                        "role", "country", "country", NULL};
    arcs_subject_new n = {0};
    int64_t id = 0;
    arcs_status st;
    web_buf loc = {0};

    if (!case_exists(rep, s, ref))
        return;
    n.case_ref = ref;
    n.name = web_form_get(in, "name");
    n.kind = web_form_get(in, "kind");
    n.role = web_form_get(in, "role");
    n.country = web_form_get_nonempty(in, "country");
    st = arcs_subject_add(s->ctx, &n, &id, NULL);
    if (st != ARCS_OK) {
        refused(rep, s, st, "subject", 0, in, pairs, ref);
        return;
    }
    case_location(&loc, ref, "#subjects");
    web_redirect(rep, loc.oom ? "/cases" : loc.b);
    wb_free(&loc);
}

void web_act_decision_add(web_reply *rep, web_session *s, const char *ref,
                          const web_form *in)
{
    static const char *const pairs[] = {
        "decision kind", "kind",   "kind",  "kind",  "ref",  "ref",  "reference", "ref",
        "issuer",        "issuer", "final", "final", "date", "date", NULL};
    arcs_decision_new n = {0};
    const char *given[257];
    int64_t id = 0, assets[256];
    size_t ngiven;
    arcs_status st;
    web_buf loc = {0};

    if (!case_exists(rep, s, ref))
        return;
    n.case_ref = ref;
    n.kind = web_form_get(in, "kind");
    n.ref = web_form_get(in, "ref");
    n.issuer = web_form_get(in, "issuer");
    n.issued = web_form_get(in, "date");
    n.final = web_form_get_nonempty(in, "final");
    /* the assets it covers: ids, as the CLI's repeated --asset */
    ngiven = web_form_all(in, "asset", given, 256);
    if (ngiven > 256) {
        refused_text(rep, s, "decision", in, "asset", "too many assets; at most 256",
                     ref);
        return;
    }
    for (size_t i = 0; i < ngiven; i++) {
        char *end = NULL;
        errno = 0;
        assets[i] = strtoll(given[i], &end, 10);
        if (errno || *end || assets[i] <= 0) {
            refused_text(rep, s, "decision", in, "asset",
                         "an asset to cover is not an asset id; tick the assets shown",
                         ref);
            return;
        }
    }
    n.assets = assets;
    n.nassets = ngiven;
    st = arcs_decision_add(s->ctx, &n, &id, NULL);
    if (st != ARCS_OK) {
        refused(rep, s, st, "decision", 0, in, pairs, ref);
        return;
    }
    case_location(&loc, ref, "#decisions");
    web_redirect(rep, loc.oom ? "/cases" : loc.b);
    wb_free(&loc);
}

void web_act_asset_add(web_reply *rep, web_session *s, const char *ref,
                       const web_form *in)
{
    static const char *const pairs[] = {
        "asset kind", "kind",      "kind",      "kind",        "description",
        "desc",       "country",   "country",   "identifiers", "identifiers",
        "custodian",  "custodian", "currency",  "currency",    "amount",
        "value",      "valu",      "valued_on", "date",        "valued_on",
        NULL};
    arcs_valuation_in v = {0};
    int64_t id = 0;
    arcs_status st;
    web_buf loc = {0};
    char anchor[40];
    const char *value = web_form_get_nonempty(in, "value");

    if (!case_exists(rep, s, ref))
        return;
    v.amount = value;
    v.currency = web_form_get_nonempty(in, "currency");
    v.valued_on = web_form_get_nonempty(in, "valued_on");
    st = arcs_asset_add(s->ctx, &id, ref, web_form_get(in, "kind"),
                        web_form_get(in, "desc"), web_form_get(in, "country"),
                        web_form_get_nonempty(in, "identifiers"),
                        web_form_get_nonempty(in, "custodian"), NULL,
                        value || v.currency || v.valued_on ? &v : NULL);
    if (st != ARCS_OK) {
        refused(rep, s, st, "asset", 0, in, pairs, ref);
        return;
    }
    snprintf(anchor, sizeof(anchor), "#asset-%" PRId64, id);
    case_location(&loc, ref, anchor);
    web_redirect(rep, loc.oom ? "/cases" : loc.b);
    wb_free(&loc);
}

void web_act_transition(web_reply *rep, web_session *s, const char *id_text,
                        const web_form *in)
{
    static const char *const pairs[] = {
        "state",  "to",   "decision", "decision", "currency", "currency", "amount",
        "amount", "note", "note",     "date",     "date",     NULL};
    arcs_asset *a = NULL;
    char *end = NULL, ref[80], anchor[40];
    long long id;
    arcs_status st;
    web_buf loc = {0};

    errno = 0;
    id = strtoll(id_text, &end, 10);
    if (errno || !*id_text || *end || id <= 0) {
        web_page_error(rep, s, 404, "no such asset; asset ids are numbers");
        return;
    }
    st = arcs_asset_get(s->ctx, &a, (int64_t)id);
    if (st != ARCS_OK) {
        web_page_error(rep, s, web_status_of(st), arcs_errmsg(s->ctx));
        return;
    }
    snprintf(ref, sizeof(ref), "%s", a->case_ref);
    arcs_asset_free(a);
    st = arcs_asset_transition(
        s->ctx, (int64_t)id, web_form_get(in, "to"), web_form_get(in, "decision"),
        web_form_get(in, "date"), web_form_get_nonempty(in, "amount"),
        web_form_get_nonempty(in, "currency"), web_form_get_nonempty(in, "note"));
    if (st != ARCS_OK) {
        /* a decision that does not exist is the form's problem, not a
           missing page */
        if (st == ARCS_ENOTFOUND) {
            char msg[600];
            web_formstate fs = {"transition", id, in, "decision", msg, 422};
            snprintf(msg, sizeof(msg), "%s", arcs_errmsg(s->ctx));
            web_page_case(rep, s, ref, &fs);
            if (rep->status == 200)
                rep->status = 422;
            return;
        }
        refused(rep, s, st, "transition", id, in, pairs, ref);
        return;
    }
    snprintf(anchor, sizeof(anchor), "#asset-%lld", id);
    case_location(&loc, ref, anchor);
    web_redirect(rep, loc.oom ? "/cases" : loc.b);
    wb_free(&loc);
}
