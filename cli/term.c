/*
 * The terminal gate: everything the CLI prints for people on stdout and
 * stderr passes through arcs_term_escape (arcs/text.h), so no value from
 * the database or from an argument can put a raw control character (ESC,
 * BEL, CR, a C1 CSI ...) on a screen. Lines stay lines ('\n' passes). The
 * documents a command prints for programs (--json, a report, a checkpoint)
 * are written to the raw stream instead, with their own escaping.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli.h"

struct gate {
    FILE *raw;
    arcs_term st;
};

static struct gate out_gate, err_gate;
static FILE *raw_out;

static void put_raw(void *arg, const char *p, size_t n)
{
    fwrite(p, 1, n, arg);
}

static ssize_t gate_write(void *cookie, const char *buf, size_t n)
{
    struct gate *g = cookie;

    arcs_term_escape(&g->st, buf, n, ARCS_TERM_KEEP_NL, put_raw, g->raw);
    return ferror(g->raw) ? -1 : (ssize_t)n;
}

static int gate_close(void *cookie)
{
    struct gate *g = cookie;

    arcs_term_end(&g->st, put_raw, g->raw);
    return fclose(g->raw);
}

static FILE *gate_open(struct gate *g, int fd, const char *mode)
{
    cookie_io_functions_t io = {NULL, gate_write, NULL, gate_close};
    int copy = dup(fd);
    FILE *f;

    if (copy < 0 || !(g->raw = fdopen(copy, mode))) {
        if (copy >= 0)
            close(copy);
        return NULL;
    }
    f = fopencookie(g, "w", io);
    if (!f) {
        fclose(g->raw);
        g->raw = NULL;
    }
    return f;
}

void cli_term_install(void)
{
    FILE *o = gate_open(&out_gate, STDOUT_FILENO, "w");
    FILE *e = gate_open(&err_gate, STDERR_FILENO, "w");

    if (o) {
        raw_out = out_gate.raw;
        stdout = o;
    }
    if (e) {
        setvbuf(e, NULL, _IOLBF, 0);
        setvbuf(err_gate.raw, NULL, _IONBF, 0);
        stderr = e;
    }
}

FILE *cli_raw_stdout(void)
{
    /* what the gate holds goes first, so the order of output is kept */
    fflush(stdout);
    return raw_out ? raw_out : stdout;
}

const char *cli_t(const char *s)
{
    static char *ring[16];
    static unsigned next;
    char *e = arcs_term_text(s, ARCS_TERM_BACKSLASH);

    free(ring[next % 16]);
    ring[next++ % 16] = e;
    return e ? e : "?";
}
