/* arcs import FILE [--dry-run]: bulk load of cases and assets (SPEC §7). */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "arcs/import.h"

enum { OPT_DRY_RUN = OPT_FIRST_OWN };

static const char usage_text[] = "FILE [--dry-run]";

struct import_opts {
    int dry_run;
};

static int import_opt(cli_env *env, int c, const char *arg, void *p)
{
    struct import_opts *o = p;

    (void)env;
    (void)arg;
    if (c == OPT_DRY_RUN) {
        o->dry_run = 1;
        return 0;
    }
    return -1;
}

struct progress {
    struct timespec start, last;
    int shown;
};

static double since(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/* One self-overwriting line on a terminal, at most four times a second. */
static void show_progress(void *arg, uint64_t rows, uint64_t bytes, uint64_t total)
{
    struct progress *p = arg;
    struct timespec now;
    double t, rate, left = -1;

    clock_gettime(CLOCK_MONOTONIC, &now);
    if (p->shown && since(&p->last, &now) < 0.25)
        return;
    p->last = now;
    t = since(&p->start, &now);
    if (t < 0.5)
        return;
    rate = (double)rows / t;
    if (total && bytes && bytes <= total)
        left = t * (double)(total - bytes) / (double)bytes;
    if (left >= 0)
        fprintf(stderr, "\r\033[Kimport: %llu rows, %.0f rows/s, %d:%02d left",
                (unsigned long long)rows, rate, (int)left / 60, (int)left % 60);
    else
        fprintf(stderr, "\r\033[Kimport: %llu rows, %.0f rows/s",
                (unsigned long long)rows, rate);
    fflush(stderr);
    p->shown = 1;
}

static void print_result(cli_env *env, const arcs_import_result *r, int dry_run)
{
    char buf[32];
    long long present = (long long)(r->cases_present + r->assets_present);

    if (env->json) {
        cJSON *doc = cJSON_CreateObject();
        cJSON_AddStringToObject(doc, "format", r->format);
        cJSON_AddBoolToObject(doc, "dry_run", dry_run);
        snprintf(buf, sizeof(buf), "%llu", (unsigned long long)r->rows);
        cJSON_AddStringToObject(doc, "rows", buf);
        snprintf(buf, sizeof(buf), "%lld", (long long)r->cases_new);
        cJSON_AddStringToObject(doc, "cases_new", buf);
        snprintf(buf, sizeof(buf), "%lld", (long long)r->assets_new);
        cJSON_AddStringToObject(doc, "assets_new", buf);
        snprintf(buf, sizeof(buf), "%lld", (long long)r->valuations_new);
        cJSON_AddStringToObject(doc, "valuations_new", buf);
        snprintf(buf, sizeof(buf), "%lld", (long long)r->cases_present);
        cJSON_AddStringToObject(doc, "cases_present", buf);
        snprintf(buf, sizeof(buf), "%lld", (long long)r->assets_present);
        cJSON_AddStringToObject(doc, "assets_present", buf);
        cli_print_json(doc);
        return;
    }
    printf("%s %lld new case%s, %lld new asset%s (%lld already present)%s\n",
           dry_run ? "dry run: would import" : "imported", (long long)r->cases_new,
           r->cases_new == 1 ? "" : "s", (long long)r->assets_new,
           r->assets_new == 1 ? "" : "s", present, dry_run ? "; nothing written" : "");
}

int cmd_import(cli_env *env, int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_OPTIONS, {"dry-run", no_argument, NULL, OPT_DRY_RUN}, {0, 0, 0, 0}};
    struct import_opts o = {0};
    struct progress prog;
    arcs_import_opts io;
    arcs_import_result r;
    const char *file = NULL;
    /* argv[-1] is "import" itself: getopt wants the command name first */
    int ac = argc + 1, i, rc;
    char **av = argv - 1;
    arcs_status st;

    env->cmd = "import";
    /* operands and options in any order: parse, take one operand, go on */
    for (;;) {
        i = cli_parse(env, ac, av, opts, import_opt, &o, usage_text);
        if (i < 0)
            return i == -2 ? EXIT_OK : EXIT_USAGE;
        if (i >= ac)
            break;
        if (file)
            return cli_usage(env, "unexpected argument '%s'; import one file at a time",
                             av[i]);
        file = av[i];
        av += i;
        ac -= i;
    }
    if (!file)
        return cli_usage(env, "missing FILE; see 'arcs import --help'");
    if ((rc = cli_connect(env)) != EXIT_OK)
        return rc;
    memset(&io, 0, sizeof(io));
    memset(&prog, 0, sizeof(prog));
    io.dry_run = o.dry_run;
    if (isatty(STDERR_FILENO)) {
        clock_gettime(CLOCK_MONOTONIC, &prog.start);
        io.progress = show_progress;
        io.progress_arg = &prog;
    }
    st = arcs_import_file(env->ctx, &r, file, &io);
    if (prog.shown)
        fputs("\r\033[K", stderr);
    if (st != ARCS_OK) {
        rc = cli_fail(env, st);
        /* the documented exception to one line: every problem, after the summary */
        if (r.problems_total > 1) {
            for (size_t k = 0; k < r.nproblems; k++)
                fprintf(stderr, "  %s\n", r.problems[k]);
            if (r.problems_total > r.nproblems)
                fprintf(stderr, "  ... and %llu more problems\n",
                        (unsigned long long)(r.problems_total - r.nproblems));
        }
        arcs_import_result_clear(&r);
        return rc;
    }
    print_result(env, &r, o.dry_run);
    arcs_import_result_clear(&r);
    return EXIT_OK;
}
