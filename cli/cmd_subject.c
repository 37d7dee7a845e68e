/* arcs subject add */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct subject_opts {
    arcs_subject_new in;
    const char *id_file;
};

enum { OPT_NAME = OPT_FIRST_OWN, OPT_KIND, OPT_ROLE, OPT_COUNTRY, OPT_IDFILE };

static int subject_opt(cli_env *env, int c, const char *arg, void *p)
{
    struct subject_opts *o = p;

    (void)env;
    switch (c) {
    case OPT_NAME:
        o->in.name = arg;
        return 0;
    case OPT_KIND:
        o->in.kind = arg;
        return 0;
    case OPT_ROLE:
        o->in.role = arg;
        return 0;
    case OPT_COUNTRY:
        o->in.country = arg;
        return 0;
    case OPT_IDFILE:
        o->id_file = arg;
        return 0;
    }
    return -1;
}

/* The identity number comes from a file so that it never shows in argv or
   the shell history. Returns a malloc'd line, or NULL after a message. */
static char *read_id_number(cli_env *env, const char *path)
{
    char buf[512];
    FILE *f = fopen(path, "r");
    size_t n;

    if (!f) {
        cli_usage(env, "cannot read --id-number-file '%s': %s", path, strerror(errno));
        return NULL;
    }
    if (!fgets(buf, sizeof(buf), f))
        buf[0] = '\0';
    fclose(f);
    n = strcspn(buf, "\r\n");
    buf[n] = '\0';
    if (n == 0) {
        cli_usage(env,
                  "--id-number-file '%s' is empty; put the identity number on its "
                  "first line",
                  path);
        return NULL;
    }
    char *s = strdup(buf);
    memset(buf, 0, sizeof(buf));
    return s;
}

static int subject_add(cli_env *env, int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_OPTIONS,
        {"name", required_argument, NULL, OPT_NAME},
        {"kind", required_argument, NULL, OPT_KIND},
        {"role", required_argument, NULL, OPT_ROLE},
        {"country", required_argument, NULL, OPT_COUNTRY},
        {"id-number-file", required_argument, NULL, OPT_IDFILE},
        {0, 0, 0, 0}};
    struct subject_opts o;
    char *idnum = NULL;
    int64_t id = 0;
    int i, rc, existed = 0;
    arcs_status st;
    char buf[24];

    memset(&o, 0, sizeof(o));
    i = cli_parse(env, argc, argv, opts, subject_opt, &o,
                  "CASE_REF --name NAME --kind person|entity --role ROLE [--country CC] "
                  "[--id-number-file FILE]");
    if (i < 0)
        return i == -2 ? EXIT_OK : EXIT_USAGE;
    if (cli_need_operands(env, argc, argv, i, 1, "case ref") != 0)
        return EXIT_USAGE;
    o.in.case_ref = argv[i];
    if (!o.in.name)
        return cli_usage(env, "missing --name; give the subject's name");
    if (!o.in.kind)
        return cli_usage(env, "missing --kind; use person or entity");
    if (!o.in.role)
        return cli_usage(env, "missing --role; use defendant, beneficial_owner, nominee, "
                              "third_party, bona_fide_acquirer, creditor or victim");
    if (o.id_file && !(idnum = read_id_number(env, o.id_file)))
        return EXIT_USAGE;
    o.in.id_number = idnum;
    rc = cli_connect(env);
    if (rc == EXIT_OK) {
        st = arcs_subject_add(env->ctx, &o.in, &id, &existed);
        rc = st == ARCS_OK ? EXIT_OK : cli_fail(env, st);
    }
    if (idnum) {
        memset(idnum, 0, strlen(idnum));
        free(idnum);
    }
    if (rc != EXIT_OK)
        return rc;
    snprintf(buf, sizeof(buf), "%lld", (long long)id);
    if (env->json) {
        cJSON *doc = cJSON_CreateObject();
        cJSON_AddStringToObject(doc, "id", buf);
        cJSON_AddStringToObject(doc, "case", o.in.case_ref);
        cJSON_AddStringToObject(doc, "name", o.in.name);
        cJSON_AddStringToObject(doc, "kind", o.in.kind);
        cJSON_AddStringToObject(doc, "role", o.in.role);
        cli_json_add_str_or_null(doc, "country", o.in.country);
        cJSON_AddBoolToObject(doc, "id_number_on_file", o.id_file != NULL);
        cJSON_AddBoolToObject(doc, "existed", existed);
        return cli_print_json(doc);
    }
    if (existed)
        fprintf(stderr, "arcs: this subject is on case %s already; nothing changed\n",
                o.in.case_ref);
    printf("%s\n", buf);
    return EXIT_OK;
}

int cmd_subject(cli_env *env, int argc, char **argv)
{
    static const cli_verb verbs[] = {
        {"add", subject_add,
         "CASE_REF --name NAME --kind person|entity --role ROLE [--country CC] "
         "[--id-number-file FILE]",
         "add a person or entity to a case"},
        {NULL, NULL, NULL, NULL}};
    return cli_dispatch(env, "subject", verbs, argc, argv);
}
