/*
 * Sessions: a random 256-bit token in the arcs_session cookie names one
 * slot of a fixed table; the slot holds the person's own database
 * connection (their PostgreSQL role, so every grant, row rule and the log's
 * db_user are theirs), the csrf token of their forms, and the forms already
 * written. A session is used by one request at a time (its mutex). Failed
 * logins of a user name are slowed down.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "web.h"

static pthread_mutex_t tab_lock = PTHREAD_MUTEX_INITIALIZER;
static web_session *tab;
static unsigned ntab;
static const web_config *conf;

/* failed logins by user name */
#define THROTTLE_SLOTS 256
#define THROTTLE_FREE 3      /* failures before the first wait */
#define THROTTLE_MAX_WAIT 60 /* seconds */
static pthread_mutex_t thr_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
    char user[64];
    unsigned fails;
    time_t until, last;
} thr[THROTTLE_SLOTS];

int web_random_hex(char *out, size_t nbytes)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char raw[64];

    if (nbytes > sizeof(raw) || RAND_bytes(raw, (int)nbytes) != 1) {
        out[0] = '\0';
        return -1;
    }
    for (size_t i = 0; i < nbytes; i++) {
        out[2 * i] = hex[raw[i] >> 4];
        out[2 * i + 1] = hex[raw[i] & 15];
    }
    out[2 * nbytes] = '\0';
    OPENSSL_cleanse(raw, sizeof(raw));
    return 0;
}

int web_sessions_init(const web_config *cfg)
{
    conf = cfg;
    ntab = cfg->max_sessions;
    tab = calloc(ntab, sizeof(*tab));
    if (!tab)
        return -1;
    for (unsigned i = 0; i < ntab; i++)
        pthread_mutex_init(&tab[i].lock, NULL);
    return 0;
}

/* Free the slot's insides; the table lock is held and no request uses it. */
static void slot_clear(web_session *s)
{
    arcs_ctx_free(s->ctx);
    for (unsigned i = 0; i < WEB_DONE_FORMS; i++)
        free(s->done[i].location);
    OPENSSL_cleanse(s->token, sizeof(s->token));
    OPENSSL_cleanse(s->csrf, sizeof(s->csrf));
    s->ctx = NULL;
    memset(s->done, 0, sizeof(s->done));
    s->ndone = 0;
    s->user[0] = s->group[0] = '\0';
    s->in_use = s->dead = 0;
    s->refs = 0;
}

void web_sessions_shutdown(void)
{
    pthread_mutex_lock(&tab_lock);
    for (unsigned i = 0; i < ntab; i++)
        if (tab[i].in_use)
            slot_clear(&tab[i]);
    pthread_mutex_unlock(&tab_lock);
}

/* End the sessions idle too long; the table lock is held. */
static void sweep(time_t now)
{
    for (unsigned i = 0; i < ntab; i++) {
        web_session *s = &tab[i];
        if (!s->in_use)
            continue;
        if (!s->dead && now - s->last > (time_t)conf->idle_timeout)
            s->dead = 1;
        if (s->dead && s->refs == 0)
            slot_clear(s);
    }
}

web_session *web_session_acquire(const char *token)
{
    web_session *found = NULL;
    time_t now = time(NULL);

    if (!token || strlen(token) != WEB_TOKEN_HEX)
        return NULL;
    pthread_mutex_lock(&tab_lock);
    sweep(now);
    for (unsigned i = 0; i < ntab; i++) {
        web_session *s = &tab[i];
        /* every live slot is compared, in constant time each */
        if (s->in_use && !s->dead && !CRYPTO_memcmp(s->token, token, WEB_TOKEN_HEX))
            found = s;
    }
    if (found) {
        found->refs++;
        found->last = now;
    }
    pthread_mutex_unlock(&tab_lock);
    if (found)
        pthread_mutex_lock(&found->lock);
    return found;
}

void web_session_release(web_session *s)
{
    if (!s)
        return;
    pthread_mutex_unlock(&s->lock);
    pthread_mutex_lock(&tab_lock);
    s->refs--;
    s->last = time(NULL);
    if (s->dead && s->refs == 0)
        slot_clear(s);
    pthread_mutex_unlock(&tab_lock);
}

void web_session_end(web_session *s)
{
    pthread_mutex_lock(&tab_lock);
    s->dead = 1;
    pthread_mutex_unlock(&tab_lock);
}

int web_csrf_ok(const web_session *s, const char *given)
{
    return given && strlen(given) == WEB_TOKEN_HEX &&
           !CRYPTO_memcmp(s->csrf, given, WEB_TOKEN_HEX);
}

const char *web_form_done(const web_session *s, const char *tok)
{
    if (!tok || !*tok)
        return NULL;
    for (unsigned i = 0; i < WEB_DONE_FORMS; i++)
        if (s->done[i].location && !strcmp(s->done[i].tok, tok))
            return s->done[i].location;
    return NULL;
}

void web_form_remember(web_session *s, const char *tok, const char *location)
{
    unsigned i = s->ndone++ % WEB_DONE_FORMS;
    char *copy;

    if (!tok || !*tok || strlen(tok) >= sizeof(s->done[0].tok) || !location)
        return;
    copy = malloc(strlen(location) + 1);
    if (!copy)
        return;
    memcpy(copy, location, strlen(location) + 1);
    free(s->done[i].location);
    s->done[i].location = copy;
    snprintf(s->done[i].tok, sizeof(s->done[i].tok), "%s", tok);
}

/* --- throttling failed logins --- */

static int thr_find(const char *user)
{
    for (int i = 0; i < THROTTLE_SLOTS; i++)
        if (thr[i].user[0] && !strcmp(thr[i].user, user))
            return i;
    return -1;
}

/* Seconds this user must still wait before trying again; 0: may try. */
static unsigned thr_wait(const char *user, time_t now)
{
    unsigned w = 0;
    int i;

    pthread_mutex_lock(&thr_lock);
    i = thr_find(user);
    if (i >= 0 && thr[i].until > now)
        w = (unsigned)(thr[i].until - now);
    pthread_mutex_unlock(&thr_lock);
    return w;
}

static void thr_result(const char *user, int ok, time_t now)
{
    int i;

    pthread_mutex_lock(&thr_lock);
    i = thr_find(user);
    if (ok) {
        if (i >= 0)
            memset(&thr[i], 0, sizeof(thr[i]));
    } else {
        if (i < 0) {
            /* a free slot, else the one failed least recently */
            i = 0;
            for (int k = 0; k < THROTTLE_SLOTS; k++) {
                if (!thr[k].user[0]) {
                    i = k;
                    break;
                }
                if (thr[k].last < thr[i].last)
                    i = k;
            }
            memset(&thr[i], 0, sizeof(thr[i]));
            snprintf(thr[i].user, sizeof(thr[i].user), "%s", user);
        }
        thr[i].fails++;
        thr[i].last = now;
        if (thr[i].fails >= THROTTLE_FREE) {
            unsigned shift = thr[i].fails - THROTTLE_FREE;
            /* 2 s at least: whole seconds are counted, and a wait of 1 could
               end at once */
            unsigned w = shift >= 5 ? THROTTLE_MAX_WAIT : 2u << shift;
            thr[i].until = now + (time_t)(w > THROTTLE_MAX_WAIT ? THROTTLE_MAX_WAIT : w);
        }
    }
    pthread_mutex_unlock(&thr_lock);
}

static int count_free(void)
{
    int n = 0;
    for (unsigned i = 0; i < ntab; i++)
        n += !tab[i].in_use;
    return n;
}

int web_session_login(const char *user, const char *password, char *token, unsigned *wait,
                      char *msg, size_t msgn)
{
    time_t now = time(NULL);
    arcs_ctx *ctx = NULL;
    char group[16] = "";
    arcs_status st;
    int rc = WEB_LOGIN_ERROR, room;

    token[0] = '\0';
    *wait = 0;
    if (!user || strlen(user) >= 64)
        user = "";
    if ((*wait = thr_wait(user, now)) > 0) {
        snprintf(msg, msgn,
                 "too many failed logins for this user; wait %u seconds and try again",
                 *wait);
        return WEB_LOGIN_SLOW;
    }
    pthread_mutex_lock(&tab_lock);
    sweep(now);
    room = count_free();
    pthread_mutex_unlock(&tab_lock);
    if (!room) {
        snprintf(msg, msgn,
                 "the server has as many sessions as it may hold (%u); try again later "
                 "or ask for a larger --max-sessions",
                 ntab);
        return WEB_LOGIN_FULL;
    }
    st = arcs_ctx_open_login(&ctx, conf->db, user, password);
    if (st == ARCS_EPERM || st == ARCS_EINVAL) {
        thr_result(user, 0, now);
        snprintf(msg, msgn, "the user name or password is wrong; try again");
        rc = WEB_LOGIN_BAD;
        goto done;
    }
    if (st != ARCS_OK) {
        snprintf(msg, msgn, "%s", arcs_errmsg(ctx));
        goto done;
    }
    if (arcs_user_group(ctx, group) != ARCS_OK) {
        snprintf(msg, msgn, "%s", arcs_errmsg(ctx));
        goto done;
    }
    thr_result(user, 1, now);
    if (!group[0]) {
        snprintf(msg, msgn,
                 "this login is in no arcs role; ask an administrator to add it with "
                 "arcs user add");
        rc = WEB_LOGIN_NOROLE;
        goto done;
    }
    pthread_mutex_lock(&tab_lock);
    for (unsigned i = 0; i < ntab; i++) {
        web_session *s = &tab[i];
        if (s->in_use)
            continue;
        if (web_random_hex(s->token, 32) != 0 || web_random_hex(s->csrf, 32) != 0)
            break;
        s->in_use = 1;
        s->dead = 0;
        s->refs = 0;
        s->ctx = ctx;
        ctx = NULL;
        s->last = now;
        snprintf(s->user, sizeof(s->user), "%s", user);
        snprintf(s->group, sizeof(s->group), "%s", group);
        memcpy(token, s->token, WEB_TOKEN_HEX + 1);
        rc = WEB_LOGIN_OK;
        break;
    }
    pthread_mutex_unlock(&tab_lock);
    if (rc != WEB_LOGIN_OK) {
        snprintf(msg, msgn,
                 "the server has as many sessions as it may hold (%u); try again later",
                 ntab);
        rc = WEB_LOGIN_FULL;
    }
done:
    arcs_ctx_free(ctx);
    return rc;
}
