/*
 * The analysts' workspace (arcs serve): a second face beside cli/. It parses
 * HTTP (libmicrohttpd does the protocol), calls the public API of
 * core/include/arcs/, writes HTML through the reports' one escaper, and holds
 * no rule of its own: every refusal is the library's or the database's.
 *
 * server.c   the daemon, request bodies, limits, headers   (MHD lives here only)
 * router.c   routes, sessions and csrf checks, status codes
 * session.c  sessions (one database connection each), login throttling
 * form.c     form and query decoding (pure, fuzzed)
 * html.c     the page buffer, escaping, layout, form fields
 * pages.c    the GET pages
 * pages_money.c  the fund and project pages
 * pages_audit.c  the audit page
 * actions.c  the POST handlers
 */
#ifndef ARCS_WEB_H
#define ARCS_WEB_H

#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <time.h>

#include "arcs/arcs.h"
#include "form.h"

typedef struct web_config {
    const char *db;            /* conninfo without a user: --db, ARCS_DB, libpq env */
    const char *listen;        /* HOST:PORT; port 0 picks a free one */
    unsigned idle_timeout;     /* seconds a session lives unused (1800) */
    unsigned max_sessions;     /* logins at once (64); past it login answers 503 */
    size_t max_body;           /* request body limit in bytes (65536) */
    unsigned conn_timeout;     /* seconds a connection may stay silent (30) */
    unsigned max_connections;  /* open connections at once (256) */
    const char *trusted_proxy; /* address whose X-Forwarded-Proto is believed */
    int quiet;                 /* no access log */
} web_config;

/* --- html.c: a growing page; out of memory sticks in oom --- */
typedef struct web_buf {
    char *b;
    size_t n, cap;
    int oom;
} web_buf;

void wb_put(web_buf *b, const char *s, size_t n);
void wb_puts(web_buf *b, const char *s);
void wb_printf(web_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* s escaped through arcs_html_escape (NULL: nothing). */
void wb_esc(web_buf *b, const char *s);
/* s percent-encoded for a URL path segment or query value (safe in an
   attribute as it is: only unreserved characters and %XX). */
void wb_url(web_buf *b, const char *s);
void wb_free(web_buf *b);

/* --- session.c --- */
#define WEB_TOKEN_HEX 64 /* 256 random bits */
#define WEB_DONE_FORMS 32

typedef struct web_session {
    int in_use, dead;
    unsigned refs;
    char token[WEB_TOKEN_HEX + 1];
    char csrf[WEB_TOKEN_HEX + 1];
    char user[64];
    char group[16];       /* analyst, supervisor, auditor, admin */
    arcs_ctx *ctx;        /* the person's own connection */
    pthread_mutex_t lock; /* one request at a time on ctx */
    time_t last;
    /* forms already written (their form token and where they led) */
    struct {
        char tok[33];
        char *location;
    } done[WEB_DONE_FORMS];
    unsigned ndone;
} web_session;

enum {
    WEB_LOGIN_OK = 0,
    WEB_LOGIN_BAD,
    WEB_LOGIN_SLOW,
    WEB_LOGIN_FULL,
    WEB_LOGIN_NOROLE,
    WEB_LOGIN_ERROR
};

int web_sessions_init(const web_config *cfg);
void web_sessions_shutdown(void);
/* Fill out with 2*nbytes hex digits of fresh randomness (and a NUL); -1 when
   the generator fails. */
int web_random_hex(char *out, size_t nbytes);
/* The live session of token, locked for the caller's request, or NULL. */
web_session *web_session_acquire(const char *token);
void web_session_release(web_session *s);
/* Log in: on WEB_LOGIN_OK token gets the new session's token. On
   WEB_LOGIN_SLOW *wait is the seconds to wait. msg gets what to show. */
int web_session_login(const char *user, const char *password, char *token, unsigned *wait,
                      char *msg, size_t msgn);
/* End s (acquired by the caller): it is gone once released. */
void web_session_end(web_session *s);
int web_csrf_ok(const web_session *s, const char *given);
/* Where a form already written led, or NULL. */
const char *web_form_done(const web_session *s, const char *tok);
void web_form_remember(web_session *s, const char *tok, const char *location);

/* --- router.c / pages.c / actions.c --- */
typedef struct web_request {
    const char *method;
    const char *path;
    web_form query;
    web_form body;
    int body_bad; /* the body is malformed (not a form, not UTF-8) */
    const char *content_type;
    const char *token; /* the arcs_session cookie, or NULL */
    const char *origin;
    const char *host;
    int https;
} web_request;

enum { WEB_CSP_PAGE = 0, WEB_CSP_REPORT };

typedef struct web_reply {
    int status;
    const char *ctype; /* static string */
    web_buf body;
    char *location;       /* malloc'd, or NULL */
    char cookie[200];     /* Set-Cookie value, or "" */
    int csp;              /* WEB_CSP_* */
    char disposition[96]; /* Content-Disposition, or "" */
} web_reply;

/* A form shown again after a refusal: its input and the problem. */
typedef struct web_formstate {
    const char *which;  /* "case", "subject", "decision", "asset", "transition" */
    long long asset;    /* for "transition": the asset */
    const web_form *in; /* the person's input */
    const char *field;  /* the field the problem is at, or NULL */
    const char *msg;    /* the library's message (a copy, not the handle's) */
    int status;         /* the answer: 422, 409, 403, 404 */
} web_formstate;

void web_route(const web_config *cfg, web_request *req, web_reply *rep);

/* A reply: a page (status, html), a redirect, a plain message. */
void web_redirect(web_reply *rep, const char *location);
void web_text(web_reply *rep, int status, const char *text);
/* The HTTP status for a library status (422, 409, 403, 404, 500). */
int web_status_of(arcs_status st);

/* html.c: the page around content. s may be NULL (logged out). */
void web_page_begin(web_buf *b, const char *title, const web_session *s);
void web_page_end(web_buf *b);
/* A whole page saying status and msg. */
void web_page_error(web_reply *rep, const web_session *s, int status, const char *msg);
extern const char web_css[];

/* Form pieces. The value shown is the person's input when st is this form's
   (st->which == which, and for transitions st->asset == asset), else def. */
typedef struct web_formctx {
    web_buf *b;
    const web_formstate *st; /* may be NULL */
    const char *which;
    long long asset;
    const char *idp; /* id prefix for labels */
} web_formctx;

void web_form_begin(web_formctx *fc, const web_session *s, const char *action_path);
void web_form_end(web_formctx *fc, const char *submit);
void web_in_text(web_formctx *fc, const char *name, const char *label, const char *def,
                 const char *type, int required);
void web_in_select(web_formctx *fc, const char *name, const char *label,
                   const char *const *choices, const char *def, int allow_empty);
/* One checkbox per choice, named name (repeated); checked when given. */
void web_in_checks(web_formctx *fc, const char *name, const char *label,
                   const char *const *choices);
/* The problem of this form when it is not at one of its fields. */
void web_form_problem(web_formctx *fc, const char *const *fields);
int web_form_is(const web_formstate *st, const char *which, long long asset);

/* pages.c */
void web_page_login(web_reply *rep, int status, const char *msg, const char *user);
void web_page_home(web_reply *rep, web_session *s);
void web_page_cases(web_reply *rep, web_session *s, const web_form *q);
void web_page_case_new(web_reply *rep, web_session *s, const web_formstate *st);
void web_page_case(web_reply *rep, web_session *s, const char *ref,
                   const web_formstate *st);
void web_page_report(web_reply *rep, web_session *s, const char *what, const char *arg,
                     const web_form *q);

/* The log's entries as table rows (pages.c): web_log_open writes the head,
   web_log_row is an arcs_audit_log callback taking a web_log_rows. */
typedef struct web_log_rows {
    web_buf *b;
    const char *only_user; /* NULL: everyone's */
    size_t n;
} web_log_rows;
void web_log_open(web_buf *b);
/* Begin a page of status and title in rep (pages.c). */
void web_page_start(web_reply *rep, int status, const char *title, const web_session *s);
/* A link to the case page of ref. */
void web_case_link(web_buf *b, const char *ref);
int web_log_row(void *arg, const arcs_audit_log_row *r);

/* pages_money.c: the fund and the projects */
void web_page_fund(web_reply *rep, web_session *s);
void web_page_project(web_reply *rep, web_session *s, const char *code);

/* pages_audit.c: the log, its last checkpoint, a case's trail */
void web_page_audit(web_reply *rep, web_session *s, const web_form *q);

/* actions.c */
void web_act_login(web_reply *rep, web_request *req, const web_config *cfg);
void web_act_logout(web_reply *rep, web_session *s, const web_request *req);
void web_act_case_add(web_reply *rep, web_session *s, const web_form *in);
void web_act_subject_add(web_reply *rep, web_session *s, const char *ref,
                         const web_form *in);
void web_act_decision_add(web_reply *rep, web_session *s, const char *ref,
                          const web_form *in);
void web_act_asset_add(web_reply *rep, web_session *s, const char *ref,
                       const web_form *in);
void web_act_transition(web_reply *rep, web_session *s, const char *id,
                        const web_form *in);

/* server.c */
int web_serve(const web_config *cfg);

#endif
