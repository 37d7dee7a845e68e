/* arcs case add | list | show | status */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define MAX_MULTI 64

static char *id_text(char *buf, size_t n, int64_t id)
{
    snprintf(buf, n, "%lld", (long long)id);
    return buf;
}

static cJSON *case_json(const arcs_case *c)
{
    cJSON *o = cJSON_CreateObject(), *offences = cJSON_CreateArray(),
          *jur = cJSON_CreateArray();

    cli_json_add_i64(o, "id", c->id);
    cJSON_AddStringToObject(o, "ref", c->ref);
    cJSON_AddStringToObject(o, "title", c->title);
    cJSON_AddStringToObject(o, "route", c->route);
    cJSON_AddStringToObject(o, "status", c->status);
    cJSON_AddStringToObject(o, "opened", c->opened);
    cli_json_add_str_or_null(o, "closed", c->closed[0] ? c->closed : NULL);
    for (size_t i = 0; i < c->noffences; i++)
        cJSON_AddItemToArray(offences, cJSON_CreateString(c->offences[i]));
    cJSON_AddItemToObject(o, "offences", offences);
    for (size_t i = 0; i < c->njurisdictions; i++) {
        cJSON *j = cJSON_CreateObject();
        cJSON_AddStringToObject(j, "role", c->jurisdictions[i].role);
        cJSON_AddStringToObject(j, "country", c->jurisdictions[i].country);
        cJSON_AddItemToArray(jur, j);
    }
    cJSON_AddItemToObject(o, "jurisdictions", jur);
    return o;
}

static void join_offences(char *buf, size_t n, const arcs_case *c, const char *sep)
{
    size_t len = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < c->noffences && len < n; i++) {
        int w = snprintf(buf + len, n - len, "%s%s", i ? sep : "", c->offences[i]);
        if (w < 0)
            break;
        len += (size_t)w;
    }
}

static void join_jurisdictions(char *buf, size_t n, const arcs_case *c)
{
    size_t len = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < c->njurisdictions && len < n; i++) {
        int w = snprintf(buf + len, n - len, "%s%s:%s", i ? ", " : "",
                         c->jurisdictions[i].role, c->jurisdictions[i].country);
        if (w < 0)
            break;
        len += (size_t)w;
    }
}

/* --- add --- */

struct add_opts {
    arcs_case_new in;
    const char *offences[MAX_MULTI];
    const char *jurisdictions[MAX_MULTI];
};

enum { OPT_REF = OPT_FIRST_OWN, OPT_TITLE, OPT_ROUTE, OPT_OFFENCE, OPT_OPENED, OPT_JUR };

static int add_opt(cli_env *env, int c, const char *arg, void *p)
{
    struct add_opts *o = p;

    switch (c) {
    case OPT_REF:
        o->in.ref = arg;
        return 0;
    case OPT_TITLE:
        o->in.title = arg;
        return 0;
    case OPT_ROUTE:
        o->in.route = arg;
        return 0;
    case OPT_OPENED:
        o->in.opened = arg;
        return 0;
    case OPT_OFFENCE:
        if (o->in.noffences >= MAX_MULTI)
            break;
        o->offences[o->in.noffences++] = arg;
        return 0;
    case OPT_JUR:
        if (o->in.njurisdictions >= MAX_MULTI)
            break;
        o->jurisdictions[o->in.njurisdictions++] = arg;
        return 0;
    default:
        return -1;
    }
    cli_usage(env, "too many values of one option; at most %d", MAX_MULTI);
    return -1;
}

static int case_add(cli_env *env, int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_OPTIONS,
        {"ref", required_argument, NULL, OPT_REF},
        {"title", required_argument, NULL, OPT_TITLE},
        {"route", required_argument, NULL, OPT_ROUTE},
        {"offence", required_argument, NULL, OPT_OFFENCE},
        {"opened", required_argument, NULL, OPT_OPENED},
        {"jurisdiction", required_argument, NULL, OPT_JUR},
        {0, 0, 0, 0}};
    struct add_opts o;
    arcs_case_detail *d = NULL;
    int64_t id = 0;
    int i, rc, existed = 0;
    arcs_status st;
    char buf[24];

    memset(&o, 0, sizeof(o));
    o.in.offences = o.offences;
    o.in.jurisdictions = o.jurisdictions;
    i = cli_parse(env, argc, argv, opts, add_opt, &o,
                  "--ref REF --title TITLE [--route R] [--offence O]... [--opened DATE] "
                  "[--jurisdiction ROLE:CC]...");
    if (i < 0)
        return i == -2 ? EXIT_OK : EXIT_USAGE;
    if (cli_need_operands(env, argc, argv, i, 0, "") != 0)
        return EXIT_USAGE;
    if (!o.in.ref)
        return cli_usage(env, "missing --ref; give the case reference, e.g. --ref "
                              "ARC-2025-0042");
    if (!o.in.title)
        return cli_usage(env, "missing --title; give the case title");
    if ((rc = cli_connect(env)) != EXIT_OK)
        return rc;
    st = arcs_case_add(env->ctx, &o.in, &id, &existed);
    if (st != ARCS_OK)
        return cli_fail(env, st);
    if (!env->json) {
        if (existed)
            fprintf(stderr,
                    "arcs: case %s exists already with this content; nothing "
                    "changed\n",
                    o.in.ref);
        printf("%s\n", id_text(buf, sizeof(buf), id));
        return EXIT_OK;
    }
    st = arcs_case_get(env->ctx, o.in.ref, &d);
    if (st != ARCS_OK)
        return cli_fail(env, st);
    cJSON *doc = case_json(&d->c);
    cJSON_AddBoolToObject(doc, "existed", existed);
    arcs_case_detail_free(d);
    return cli_print_json(doc);
}

/* --- list --- */

enum { OPT_STATUS = OPT_FIRST_OWN, OPT_LOFFENCE, OPT_COUNTRY, OPT_SEARCH };

static int list_opt(cli_env *env, int c, const char *arg, void *p)
{
    arcs_case_filter *f = p;

    (void)env;
    switch (c) {
    case OPT_STATUS:
        f->status = arg;
        return 0;
    case OPT_LOFFENCE:
        f->offence = arg;
        return 0;
    case OPT_COUNTRY:
        f->country = arg;
        return 0;
    case OPT_SEARCH:
        f->q = arg;
        return 0;
    }
    return -1;
}

static int case_list(cli_env *env, int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_OPTIONS,
        {"status", required_argument, NULL, OPT_STATUS},
        {"offence", required_argument, NULL, OPT_LOFFENCE},
        {"country", required_argument, NULL, OPT_COUNTRY},
        {"search", required_argument, NULL, OPT_SEARCH},
        {0, 0, 0, 0}};
    static const char *const headers[] = {"REF",    "TITLE",  "ROUTE",
                                          "STATUS", "OPENED", "OFFENCES"};
    arcs_case_filter f = {NULL, NULL, NULL, NULL};
    arcs_case_list *list = NULL;
    int i, rc;
    arcs_status st;

    i = cli_parse(env, argc, argv, opts, list_opt, &f,
                  "[--status S] [--offence O] [--country CC] [--search TEXT]");
    if (i < 0)
        return i == -2 ? EXIT_OK : EXIT_USAGE;
    if (cli_need_operands(env, argc, argv, i, 0, "") != 0)
        return EXIT_USAGE;
    if ((rc = cli_connect(env)) != EXIT_OK)
        return rc;
    st = arcs_case_list_get(env->ctx, &f, &list);
    if (st != ARCS_OK)
        return cli_fail(env, st);
    if (env->json) {
        cJSON *doc = cJSON_CreateObject(), *arr = cJSON_CreateArray();
        for (size_t k = 0; k < list->n; k++)
            cJSON_AddItemToArray(arr, case_json(&list->items[k]));
        cJSON_AddItemToObject(doc, "cases", arr);
        arcs_case_list_free(list);
        return cli_print_json(doc);
    }
    cli_table *t = cli_table_new(6, headers);
    for (size_t k = 0; k < list->n; k++) {
        const arcs_case *c = &list->items[k];
        char off[512];
        const char *cells[6];

        join_offences(off, sizeof(off), c, ",");
        cells[0] = c->ref;
        cells[1] = c->title;
        cells[2] = c->route;
        cells[3] = c->status;
        cells[4] = c->opened;
        cells[5] = off;
        cli_table_add(t, cells);
    }
    cli_table_print(t, stdout);
    cli_table_free(t);
    arcs_case_list_free(list);
    return EXIT_OK;
}

/* --- show --- */

static cJSON *detail_json(const arcs_case_detail *d)
{
    cJSON *doc = case_json(&d->c), *subs = cJSON_CreateArray(),
          *decs = cJSON_CreateArray(), *hist = cJSON_CreateArray();
    char buf[24];

    for (size_t k = 0; k < d->nsubjects; k++) {
        const arcs_subject *s = &d->subjects[k];
        cJSON *o = cJSON_CreateObject();
        cli_json_add_i64(o, "id", s->id);
        cJSON_AddStringToObject(o, "name", s->name);
        cJSON_AddStringToObject(o, "kind", s->kind);
        cJSON_AddStringToObject(o, "role", s->role);
        cli_json_add_str_or_null(o, "country", s->country[0] ? s->country : NULL);
        cJSON_AddBoolToObject(o, "id_number_on_file", s->has_id_number);
        cJSON_AddItemToArray(subs, o);
    }
    for (size_t k = 0; k < d->ndecisions; k++) {
        const arcs_decision *x = &d->decisions[k];
        cJSON *o = cJSON_CreateObject(), *assets = cJSON_CreateArray();
        cli_json_add_i64(o, "id", x->id);
        cJSON_AddStringToObject(o, "kind", x->kind);
        cJSON_AddStringToObject(o, "ref", x->ref);
        cJSON_AddStringToObject(o, "issuer", x->issuer);
        cJSON_AddStringToObject(o, "issued", x->issued);
        cli_json_add_str_or_null(o, "effective", x->effective[0] ? x->effective : NULL);
        cli_json_add_str_or_null(o, "final", x->final[0] ? x->final : NULL);
        for (size_t a = 0; a < x->nassets; a++)
            cJSON_AddItemToArray(
                assets, cJSON_CreateString(id_text(buf, sizeof(buf), x->assets[a])));
        cJSON_AddItemToObject(o, "assets", assets);
        cJSON_AddItemToArray(decs, o);
    }
    for (size_t k = 0; k < d->nhistory; k++) {
        const arcs_case_status_change *h = &d->history[k];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "from", h->from);
        cJSON_AddStringToObject(o, "to", h->to);
        cJSON_AddStringToObject(o, "date", h->on);
        cJSON_AddStringToObject(o, "decision", h->decision_ref);
        cJSON_AddStringToObject(o, "actor", h->actor);
        cJSON_AddItemToArray(hist, o);
    }
    cJSON_AddItemToObject(doc, "subjects", subs);
    cJSON_AddItemToObject(doc, "decisions", decs);
    cJSON_AddItemToObject(doc, "status_history", hist);
    cli_json_add_i64(doc, "asset_count", d->nassets);
    return doc;
}

static void print_detail(const arcs_case_detail *d)
{
    static const char *const sh[] = {"ID",   "NAME",    "KIND",
                                     "ROLE", "COUNTRY", "ID NUMBER"};
    static const char *const dh[] = {"ID",     "KIND",      "REF",   "ISSUER",
                                     "ISSUED", "EFFECTIVE", "FINAL", "ASSETS"};
    static const char *const hh[] = {"DATE", "FROM", "TO", "DECISION", "ACTOR"};
    const arcs_case *c = &d->c;
    char buf[1024];

    printf("case %s\n", c->ref);
    printf("  title:         %s\n", cli_t(c->title));
    printf("  route:         %s\n", c->route);
    printf("  status:        %s\n", c->status);
    printf("  opened:        %s\n", c->opened);
    printf("  closed:        %s\n", c->closed[0] ? c->closed : "-");
    join_offences(buf, sizeof(buf), c, ", ");
    printf("  offences:      %s\n", buf[0] ? buf : "-");
    join_jurisdictions(buf, sizeof(buf), c);
    printf("  jurisdictions: %s\n", buf[0] ? buf : "-");
    printf("  assets:        %lld\n", (long long)d->nassets);

    printf("\nsubjects (%zu)\n", d->nsubjects);
    if (d->nsubjects) {
        cli_table *t = cli_table_new(6, sh);
        for (size_t k = 0; k < d->nsubjects; k++) {
            const arcs_subject *s = &d->subjects[k];
            char id[24];
            const char *cells[6] = {id_text(id, sizeof(id), s->id),
                                    s->name,
                                    s->kind,
                                    s->role,
                                    s->country[0] ? s->country : "-",
                                    s->has_id_number ? "on file" : "-"};
            cli_table_add(t, cells);
        }
        cli_table_print(t, stdout);
        cli_table_free(t);
    }
    printf("\ndecisions (%zu)\n", d->ndecisions);
    if (d->ndecisions) {
        cli_table *t = cli_table_new(8, dh);
        for (size_t k = 0; k < d->ndecisions; k++) {
            const arcs_decision *x = &d->decisions[k];
            char id[24];
            size_t len = 0;

            buf[0] = '\0';
            for (size_t a = 0; a < x->nassets && len < sizeof(buf) - 24; a++)
                len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%lld",
                                        a ? "," : "", (long long)x->assets[a]);
            const char *cells[8] = {id_text(id, sizeof(id), x->id),
                                    x->kind,
                                    x->ref,
                                    x->issuer,
                                    x->issued,
                                    x->effective[0] ? x->effective : "-",
                                    x->final[0] ? x->final : "-",
                                    buf[0] ? buf : "-"};
            cli_table_add(t, cells);
        }
        cli_table_print(t, stdout);
        cli_table_free(t);
    }
    if (d->nhistory) {
        printf("\nstatus history\n");
        cli_table *t = cli_table_new(5, hh);
        for (size_t k = 0; k < d->nhistory; k++) {
            const arcs_case_status_change *h = &d->history[k];
            const char *cells[5] = {h->on, h->from, h->to, h->decision_ref, h->actor};
            cli_table_add(t, cells);
        }
        cli_table_print(t, stdout);
        cli_table_free(t);
    }
}

static int case_show(cli_env *env, int argc, char **argv)
{
    static const struct option opts[] = {CLI_COMMON_OPTIONS, {0, 0, 0, 0}};
    arcs_case_detail *d = NULL;
    int i, rc;
    arcs_status st;

    i = cli_parse(env, argc, argv, opts, NULL, NULL, "REF");
    if (i < 0)
        return i == -2 ? EXIT_OK : EXIT_USAGE;
    if (cli_need_operands(env, argc, argv, i, 1, "case ref") != 0)
        return EXIT_USAGE;
    if ((rc = cli_connect(env)) != EXIT_OK)
        return rc;
    st = arcs_case_get(env->ctx, argv[i], &d);
    if (st != ARCS_OK)
        return cli_fail(env, st);
    if (env->json) {
        cJSON *doc = detail_json(d);
        arcs_case_detail_free(d);
        return cli_print_json(doc);
    }
    print_detail(d);
    arcs_case_detail_free(d);
    return EXIT_OK;
}

/* --- status --- */

struct status_opts {
    const char *decision, *date;
};

enum { OPT_DECISION = OPT_FIRST_OWN, OPT_DATE };

static int status_opt(cli_env *env, int c, const char *arg, void *p)
{
    struct status_opts *o = p;

    (void)env;
    if (c == OPT_DECISION)
        o->decision = arg;
    else if (c == OPT_DATE)
        o->date = arg;
    else
        return -1;
    return 0;
}

static int case_status(cli_env *env, int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_OPTIONS,
        {"decision", required_argument, NULL, OPT_DECISION},
        {"date", required_argument, NULL, OPT_DATE},
        {0, 0, 0, 0}};
    struct status_opts o = {NULL, NULL};
    arcs_case_detail *d = NULL;
    int i, rc, existed = 0;
    arcs_status st;

    i = cli_parse(env, argc, argv, opts, status_opt, &o,
                  "REF STATUS --decision DREF --date DATE");
    if (i < 0)
        return i == -2 ? EXIT_OK : EXIT_USAGE;
    if (cli_need_operands(env, argc, argv, i, 2, "case ref and status") != 0)
        return EXIT_USAGE;
    if (!o.decision)
        return cli_usage(env, "missing --decision; name the decision behind the change");
    if (!o.date)
        return cli_usage(env,
                         "missing --date; give the date of the change as YYYY-MM-DD");
    if ((rc = cli_connect(env)) != EXIT_OK)
        return rc;
    st = arcs_case_set_status(env->ctx, argv[i], argv[i + 1], o.decision, o.date,
                              &existed);
    if (st != ARCS_OK)
        return cli_fail(env, st);
    if (!env->json) {
        printf("case %s is %s%s\n", argv[i], argv[i + 1],
               existed ? " (already; nothing changed)" : "");
        return EXIT_OK;
    }
    st = arcs_case_get(env->ctx, argv[i], &d);
    if (st != ARCS_OK)
        return cli_fail(env, st);
    cJSON *doc = case_json(&d->c);
    cJSON_AddBoolToObject(doc, "existed", existed);
    arcs_case_detail_free(d);
    return cli_print_json(doc);
}

int cmd_case(cli_env *env, int argc, char **argv)
{
    static const cli_verb verbs[] = {
        {"add", case_add,
         "--ref REF --title TITLE [--route R] [--offence O]... [--opened DATE] "
         "[--jurisdiction ROLE:CC]...",
         "add a case (a retry with the same content changes nothing)"},
        {"list", case_list, "[--status S] [--offence O] [--country CC]", "list cases"},
        {"show", case_show, "REF", "a case with its jurisdictions, subjects, decisions"},
        {"status", case_status, "REF STATUS --decision DREF --date DATE",
         "move a case to a status by a decision"},
        {NULL, NULL, NULL, NULL}};
    return cli_dispatch(env, "case", verbs, argc, argv);
}
