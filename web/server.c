/*
 * The daemon: libmicrohttpd does the protocol (one thread per connection,
 * a bounded number of connections, each timed out when silent); here the
 * body is gathered up to its limit, the request handed to the router, and
 * the answer sent with the headers every page carries.
 */
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>

#include "web.h"

static const char csp_page[] = "default-src 'self'; frame-ancestors 'none'; "
                               "form-action 'self'; base-uri 'none'";
/* reports carry their own stylesheet and inline SVG, and no script */
static const char csp_report[] = "default-src 'none'; style-src 'unsafe-inline'; "
                                 "img-src data:; frame-ancestors 'none'; base-uri 'none'";

typedef struct conn_state {
    web_buf body;
    int too_big;
    int answered; /* an early answer was queued */
} conn_state;

static const web_config *conf;

static void log_line(const char *method, const char *path, int status, const char *user)
{
    char *p, line[600];
    int n;

    if (conf->quiet)
        return;
    /* the path is the client's: control characters are shown escaped */
    p = arcs_term_text(path, ARCS_TERM_BACKSLASH);
    n = snprintf(line, sizeof(line), "arcs serve: %s %.400s %d%s%s\n", method,
                 p ? p : "?", status, user ? " " : "", user ? user : "");
    free(p);
    if (n > 0)
        (void)!write(STDERR_FILENO, line,
                     (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

static enum MHD_Result collect(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *value)
{
    web_request *req = cls;

    (void)kind;
    if (web_form_add(&req->query, key, value ? value : "") != 0)
        req->body_bad = 2; /* a malformed query */
    return MHD_YES;
}

/* The peer is the trusted proxy: believe its X-Forwarded-Proto. */
static int via_https(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *ci;
    const char *proto;
    char addr[INET6_ADDRSTRLEN] = "";

    if (!conf->trusted_proxy)
        return 0;
    proto = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-Proto");
    if (!proto || strcmp(proto, "https"))
        return 0;
    ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!ci || !ci->client_addr)
        return 0;
    if (ci->client_addr->sa_family == AF_INET)
        inet_ntop(AF_INET,
                  &((const struct sockaddr_in *)(const void *)ci->client_addr)->sin_addr,
                  addr, sizeof(addr));
    else if (ci->client_addr->sa_family == AF_INET6)
        inet_ntop(
            AF_INET6,
            &((const struct sockaddr_in6 *)(const void *)ci->client_addr)->sin6_addr,
            addr, sizeof(addr));
    return !strcmp(addr, conf->trusted_proxy);
}

static enum MHD_Result send_reply(struct MHD_Connection *c, web_reply *rep, int head)
{
    struct MHD_Response *r;
    enum MHD_Result ret;

    r = MHD_create_response_from_buffer(head ? 0 : rep->body.n,
                                        rep->body.b ? rep->body.b : (char *)"",
                                        MHD_RESPMEM_MUST_COPY);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, "Content-Type", rep->ctype ? rep->ctype : "text/plain");
    MHD_add_response_header(r, "Content-Security-Policy",
                            rep->csp == WEB_CSP_REPORT ? csp_report : csp_page);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "same-origin");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Cache-Control", "no-store");
    if (rep->location)
        MHD_add_response_header(r, "Location", rep->location);
    if (rep->cookie[0])
        MHD_add_response_header(r, "Set-Cookie", rep->cookie);
    if (rep->disposition[0])
        MHD_add_response_header(r, "Content-Disposition", rep->disposition);
    ret = MHD_queue_response(c, (unsigned)rep->status, r);
    MHD_destroy_response(r);
    return ret;
}

static void reply_free(web_reply *rep)
{
    wb_free(&rep->body);
    free(rep->location);
}

/* The arcs_session cookie's value, or NULL. */
static const char *session_cookie(struct MHD_Connection *c)
{
    return MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "arcs_session");
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version,
                              const char *upload_data, size_t *upload_data_size,
                              void **con_cls)
{
    conn_state *cs = *con_cls;
    web_request req;
    web_reply rep;
    enum MHD_Result ret;

    (void)cls;
    (void)version;
    if (!cs) {
        const char *len =
            MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
        cs = calloc(1, sizeof(*cs));
        if (!cs)
            return MHD_NO;
        *con_cls = cs;
        if (len && strtoull(len, NULL, 10) > conf->max_body) {
            /* refused before a byte of it is read */
            memset(&rep, 0, sizeof(rep));
            web_text(&rep, 413, "the request body is too large; forms are smaller\n");
            cs->answered = 1;
            ret = send_reply(c, &rep, 0);
            log_line(method, url, 413, NULL);
            reply_free(&rep);
            return ret;
        }
        return MHD_YES;
    }
    if (cs->answered) {
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (*upload_data_size) {
        if (cs->body.n + *upload_data_size > conf->max_body)
            cs->too_big = 1;
        else
            wb_put(&cs->body, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES;
    }
    memset(&rep, 0, sizeof(rep));
    if (cs->too_big || cs->body.oom) {
        web_text(&rep, 413, "the request body is too large; forms are smaller\n");
        ret = send_reply(c, &rep, 0);
        log_line(method, url, 413, NULL);
        reply_free(&rep);
        return ret;
    }
    memset(&req, 0, sizeof(req));
    req.method = method;
    req.path = url;
    req.token = session_cookie(c);
    req.origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
    req.host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host");
    req.content_type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
    req.https = via_https(c);
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect, &req);
    if (!strcmp(method, "POST")) {
        const char *ct = req.content_type ? req.content_type : "";
        if (strncmp(ct, "application/x-www-form-urlencoded", 33) ||
            (ct[33] && ct[33] != ';'))
            req.body_bad = 1;
        else if (web_form_parse(&req.body, cs->body.b ? cs->body.b : "", cs->body.n) != 0)
            req.body_bad = 1;
    }
    if (req.body_bad == 2 || !web_utf8_valid(url, strlen(url))) {
        web_text(&rep, 400, "the address is malformed (not UTF-8); check it\n");
    } else {
        web_route(conf, &req, &rep);
    }
    ret = send_reply(c, &rep, !strcmp(method, "HEAD"));
    log_line(method, url, rep.status, NULL);
    /* the password may be in the body: wiped before it is freed */
    if (cs->body.b)
        memset(cs->body.b, 0, cs->body.cap);
    web_form_free(&req.query);
    web_form_free(&req.body);
    reply_free(&rep);
    return ret;
}

static void done_cb(void *cls, struct MHD_Connection *c, void **con_cls,
                    enum MHD_RequestTerminationCode toe)
{
    conn_state *cs = *con_cls;

    (void)cls;
    (void)c;
    (void)toe;
    if (!cs)
        return;
    if (cs->body.b)
        memset(cs->body.b, 0, cs->body.cap);
    wb_free(&cs->body);
    free(cs);
    *con_cls = NULL;
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    char line[512];
    int n;

    (void)cls;
    if (conf->quiet)
        return;
    n = vsnprintf(line, sizeof(line), fmt, ap);
    if (n > 0 && (size_t)n < sizeof(line) && line[n - 1] == '\n')
        line[n - 1] = '\0';
    if (n > 0) {
        char *p = arcs_term_text(line, 0);
        if (p) {
            fprintf(stderr, "arcs serve: %s\n", p);
            free(p);
        }
    }
}

/* "HOST:PORT", "[V6]:PORT" into an address. */
static int resolve(const char *listen, struct sockaddr_storage *ss, socklen_t *sslen)
{
    char host[256];
    const char *colon = strrchr(listen, ':'), *h = listen;
    size_t hn;
    struct addrinfo hints, *ai = NULL;
    int rc;

    if (!colon || !colon[1])
        return -1;
    hn = (size_t)(colon - listen);
    if (hn >= 2 && listen[0] == '[' && listen[hn - 1] == ']')
        h = listen + 1, hn -= 2;
    if (hn == 0 || hn >= sizeof(host))
        return -1;
    memcpy(host, h, hn);
    host[hn] = '\0';
    memset(&hints, 0, sizeof(hints));
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    rc = getaddrinfo(host, colon + 1, &hints, &ai);
    if (rc != 0 || !ai)
        return -1;
    memcpy(ss, ai->ai_addr, ai->ai_addrlen);
    *sslen = ai->ai_addrlen;
    freeaddrinfo(ai);
    return 0;
}

int web_serve(const web_config *cfg)
{
    struct MHD_Daemon *d;
    struct sockaddr_storage ss;
    socklen_t sslen = 0;
    const union MHD_DaemonInfo *info;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION |
                     MHD_USE_ERROR_LOG;
    sigset_t set;
    int sig = 0;
    char shown[300];

    conf = cfg;
    if (resolve(cfg->listen, &ss, &sslen) != 0) {
        fprintf(stderr, "arcs: --listen '%s' is not HOST:PORT; use e.g. 127.0.0.1:8080\n",
                cfg->listen);
        return 2;
    }
    if (ss.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    if (web_sessions_init(cfg) != 0) {
        fprintf(stderr, "arcs: out of memory\n");
        return 1;
    }
    /* the signals that stop the server are taken here, not by its threads */
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    d = MHD_start_daemon(flags, 0, NULL, NULL, handle, NULL, MHD_OPTION_EXTERNAL_LOGGER,
                         mhd_log, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
                         MHD_OPTION_CONNECTION_TIMEOUT, cfg->conn_timeout,
                         MHD_OPTION_CONNECTION_LIMIT, cfg->max_connections,
                         MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)64 * 1024,
                         MHD_OPTION_NOTIFY_COMPLETED, done_cb, NULL, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr,
                "arcs: cannot listen on %s; is the address in use? pick another with "
                "--listen\n",
                cfg->listen);
        web_sessions_shutdown();
        return 1;
    }
    info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    snprintf(shown, sizeof(shown), "%.*s", (int)(strrchr(cfg->listen, ':') - cfg->listen),
             cfg->listen);
    fprintf(stderr, "arcs: serving on http://%s:%u/ (stop with Ctrl-C or SIGTERM)\n",
            shown, info ? (unsigned)info->port : 0u);
    fflush(stderr);
    (void)sslen;
    while (sigwait(&set, &sig) != 0)
        ;
    fprintf(stderr, "arcs: stopping\n");
    MHD_stop_daemon(d);
    web_sessions_shutdown();
    return 0;
}
