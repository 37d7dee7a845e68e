/* arcs audit seal | keygen | checkpoint | cosign | verify | log | prove |
   verify-proof | export | verify-export */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

#define MAX_LIST 32
#define MAX_FILE ((size_t)96 * 1024 * 1024)

enum {
    OPT_NAME = OPT_FIRST_OWN,
    OPT_OUT,
    OPT_KEY,
    OPT_CHECKPOINT,
    OPT_PREVIOUS,
    OPT_VKEY,
    OPT_MAXAGE,
    OPT_CASE,
    OPT_SINCE,
    OPT_UPTO
};

struct audit_opts {
    const char *name, *out, *key, *previous, *casref;
    const char *checkpoints[MAX_LIST];
    size_t ncheckpoints;
    const char *vkeys[MAX_LIST];
    size_t nvkeys;
    long long maxage, since, upto;
};

static int parse_count(cli_env *env, const char *flag, const char *arg, long long *out)
{
    char *end;
    long long v;

    errno = 0;
    v = strtoll(arg, &end, 10);
    if (errno || *end || end == arg || v < 0)
        return cli_usage(env, "%s needs a whole number 0 or more, not '%s'", flag, arg)
                   ? -1
                   : -1;
    *out = v;
    return 0;
}

static const cli_field audit_fields[] = {
    {OPT_NAME, offsetof(struct audit_opts, name)},
    {OPT_OUT, offsetof(struct audit_opts, out)},
    {OPT_KEY, offsetof(struct audit_opts, key)},
    {OPT_PREVIOUS, offsetof(struct audit_opts, previous)},
    {OPT_CASE, offsetof(struct audit_opts, casref)},
    {0, 0}};

static int audit_opt(cli_env *env, int c, const char *arg, void *p)
{
    struct audit_opts *o = p;

    if (cli_store(audit_fields, c, arg, o))
        return 0;
    switch (c) {
    case OPT_CHECKPOINT:
        if (o->ncheckpoints >= MAX_LIST) {
            cli_usage(env, "at most %d --checkpoint files", MAX_LIST);
            return -1;
        }
        o->checkpoints[o->ncheckpoints++] = arg;
        return 0;
    case OPT_VKEY:
        if (o->nvkeys >= MAX_LIST) {
            cli_usage(env, "at most %d --vkey keys", MAX_LIST);
            return -1;
        }
        o->vkeys[o->nvkeys++] = arg;
        return 0;
    case OPT_MAXAGE:
        return parse_count(env, "--max-pending-age", arg, &o->maxage);
    case OPT_SINCE:
        return parse_count(env, "--since", arg, &o->since);
    case OPT_UPTO:
        return parse_count(env, "--upto", arg, &o->upto);
    }
    return -1;
}

static const struct option audit_options[] = {
    CLI_COMMON_OPTIONS,
    {"name", required_argument, NULL, OPT_NAME},
    {"out", required_argument, NULL, OPT_OUT},
    {"key", required_argument, NULL, OPT_KEY},
    {"checkpoint", required_argument, NULL, OPT_CHECKPOINT},
    {"previous", required_argument, NULL, OPT_PREVIOUS},
    {"vkey", required_argument, NULL, OPT_VKEY},
    {"max-pending-age", required_argument, NULL, OPT_MAXAGE},
    {"case", required_argument, NULL, OPT_CASE},
    {"since", required_argument, NULL, OPT_SINCE},
    {"upto", required_argument, NULL, OPT_UPTO},
    {0, 0, 0, 0}};

/* Parse argv with n operands (what names them); returns the first operand
   index, or -1 (exit 2) / -2 (help). */
static int parse(cli_env *env, int argc, char **argv, struct audit_opts *o,
                 const char *usage, int n, const char *what)
{
    memset(o, 0, sizeof(*o));
    o->maxage = -1;
    o->upto = -1;
    return cli_parse_operands(env, argc, argv, audit_options, audit_opt, o, usage, n,
                              what);
}

/* A whole file as a NUL-terminated string; NULL after printing the error. */
static char *read_whole(cli_env *env, const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t n = 0, cap = 0, r;

    if (!f) {
        cli_usage(env, "cannot read '%s': %s", path, strerror(errno));
        return NULL;
    }
    for (;;) {
        if (n + 65536 + 1 > cap) {
            char *p;
            cap = (cap + 65536) * 2;
            p = cap > MAX_FILE ? NULL : realloc(buf, cap);
            if (!p) {
                free(buf);
                fclose(f);
                cli_usage(env, "'%s' is too large", path);
                return NULL;
            }
            buf = p;
        }
        r = fread(buf + n, 1, 65536, f);
        n += r;
        if (r == 0)
            break;
    }
    fclose(f);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

static int write_out(cli_env *env, const char *path, const char *text, size_t len)
{
    arcs_err err = {ARCS_OK, ""};
    arcs_status st;

    if (!path) {
        FILE *out = cli_raw_stdout(); /* a note or proof, byte for byte */
        fwrite(text, 1, len, out);
        fflush(out);
        return EXIT_OK;
    }
    /* never through a link, never over a device: arcs/file.h */
    if ((st = arcs_file_write(path, text, len, 0, &err)) != ARCS_OK)
        return cli_error(cli_exit_code(st), "%s: %s", env->cmd, err.msg);
    return EXIT_OK;
}

static int audit_seal(cli_env *env, int argc, char **argv)
{
    struct audit_opts o;
    int64_t sealed = 0, size = 0;
    cJSON *doc;
    arcs_status st;
    int i, rc;

    i = parse(env, argc, argv, &o, "", 0, "");
    if (i < 0)
        return i == -2 ? EXIT_OK : EXIT_USAGE;
    if ((rc = cli_connect(env)) != EXIT_OK)
        return rc;
    st = arcs_audit_seal(env->ctx, &sealed, &size);
    if (st != ARCS_OK)
        return cli_fail(env, st);
    doc = cJSON_CreateObject();
    cli_json_add_i64(doc, "sealed", sealed);
    cli_json_add_i64(doc, "size", size);
    return cli_print_result(env, doc, "sealed %lld entr%s; the log holds %lld\n",
                            (long long)sealed, sealed == 1 ? "y" : "ies",
                            (long long)size);
}

static int audit_keygen(cli_env *env, int argc, char **argv)
{
    struct audit_opts o;
    arcs_note_signer s;
    arcs_note_verifier v;
    arcs_err err = {ARCS_OK, ""};
    char *pem = NULL, *vkey = NULL;
    size_t pemlen = 0;
    cJSON *doc;
    int i, rc = EXIT_OK;

    i = parse(env, argc, argv, &o, "--name ORIGIN --out KEYFILE", 0, "");
    if (i < 0)
        return i == -2 ? EXIT_OK : EXIT_USAGE;
    if (!o.name || !o.out)
        return cli_usage(env, "give --name ORIGIN and --out KEYFILE");
    memset(&s, 0, sizeof(s));
    if (arcs_note_keygen(&s, o.name, &err) != ARCS_OK) {
        rc = cli_usage(env, "%s", err.msg);
        goto done;
    }
    arcs_note_signer_verifier(&v, &s);
    if (arcs_note_signer_pem(&pem, &pemlen, &s, &err) != ARCS_OK ||
        arcs_note_verifier_format(&vkey, NULL, &v, &err) != ARCS_OK) {
        rc = cli_error(EXIT_FAIL, "%s: %s", env->cmd, err.msg);
        goto done;
    }
    /* never overwrite a key (the old one may be the only copy), never write
       through a link; mode 0600 */
    if (arcs_file_write(o.out, pem, pemlen, ARCS_FILE_SECRET | ARCS_FILE_NOREPLACE,
                        &err) != ARCS_OK) {
        rc = cli_error(cli_exit_code(err.code), "%s: %s", env->cmd, err.msg);
        goto done;
    }
    doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "vkey", vkey);
    cJSON_AddStringToObject(doc, "key_file", o.out);
    rc = cli_print_result(env, doc, "%s\n", vkey);
done:
    if (pem) {
        memset(pem, 0, pemlen);
        free(pem);
    }
    free(vkey);
    arcs_note_signer_clear(&s);
    return rc;
}

static int audit_checkpoint(cli_env *env, int argc, char **argv)
{
    struct audit_opts o;
    char *note = NULL;
    int64_t size = 0;
    arcs_status st;
    int i, rc;

    i = parse(env, argc, argv, &o, "--key KEYFILE [--out FILE]", 0, "");
    if (i < 0)
        return i == -2 ? EXIT_OK : EXIT_USAGE;
    if (!o.key)
        return cli_usage(env, "give the signing key with --key KEYFILE");
    if ((rc = cli_connect(env)) != EXIT_OK)
        return rc;
    st = arcs_audit_checkpoint(env->ctx, o.key, &note, &size);
    if (st != ARCS_OK)
        return cli_fail(env, st);
    if (env->json) {
        cJSON *doc = cJSON_CreateObject();
        cli_json_add_i64(doc, "size", size);
        cJSON_AddStringToObject(doc, "checkpoint", note);
        if (o.out)
            rc = write_out(env, o.out, note, strlen(note));
        free(note);
        return rc == EXIT_OK ? cli_print_json(doc) : (cJSON_Delete(doc), rc);
    }
    rc = write_out(env, o.out, note, strlen(note));
    free(note);
    return rc;
}

static int audit_cosign(cli_env *env, int argc, char **argv)
{
    struct audit_opts o;
    char *cp = NULL, *prev = NULL, *out = NULL;
    size_t cplen = 0, prevlen = 0;
    arcs_status st;
    int i, rc;

    i = parse(env, argc, argv, &o, "--key KEYFILE --checkpoint FILE [--previous FILE]", 0,
              "");
    if (i < 0)
        return i == -2 ? EXIT_OK : EXIT_USAGE;
    if (!o.key || o.ncheckpoints != 1)
        return cli_usage(env, "give --key KEYFILE and one --checkpoint FILE");
    cp = read_whole(env, o.checkpoints[0], &cplen);
    if (!cp)
        return EXIT_USAGE;
    if (o.previous && !(prev = read_whole(env, o.previous, &prevlen))) {
        free(cp);
        return EXIT_USAGE;
    }
    if ((rc = cli_connect(env)) != EXIT_OK)
        goto done;
    st = arcs_audit_cosign(env->ctx, o.key, cp, cplen, prev, prevlen, &out);
    if (st != ARCS_OK) {
        rc = cli_fail(env, st);
        goto done;
    }
    rc = write_out(env, o.checkpoints[0], out, strlen(out));
    if (rc == EXIT_OK) {
        cJSON *doc = cJSON_CreateObject();
        cJSON_AddStringToObject(doc, "checkpoint", out);
        rc = cli_print_result(env, doc, "cosigned %s\n", o.checkpoints[0]);
    }
done:
    free(cp);
    free(prev);
    free(out);
    return rc;
}

struct verify_print {
    cli_env *env;
    cJSON *list;
};

static void print_finding(void *arg, const arcs_audit_finding *f)
{
    struct verify_print *p = arg;
    char seq[24];

    if (f->seq >= 0)
        snprintf(seq, sizeof(seq), "%lld", (long long)f->seq);
    else
        snprintf(seq, sizeof(seq), "-");
    if (p->list) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "seq", seq);
        cJSON_AddStringToObject(o, "entity", f->entity);
        cJSON_AddStringToObject(o, "problem", f->problem);
        cJSON_AddItemToArray(p->list, o);
        return;
    }
    printf("seq %s: %s: %s\n", seq, f->entity, f->problem);
}

static int audit_verify(cli_env *env, int argc, char **argv)
{
    struct audit_opts o;
    arcs_audit_verify_opts vo;
    arcs_audit_verify_result res;
    struct verify_print p = {env, NULL};
    char *texts[MAX_LIST] = {0}, hex[65];
    arcs_status st;
    int i, rc = EXIT_OK;

    i = parse(env, argc, argv, &o,
              "[--vkey VKEY]... [--checkpoint FILE]... [--max-pending-age SECONDS]", 0,
              "");
    if (i < 0)
        return i == -2 ? EXIT_OK : EXIT_USAGE;
    for (size_t k = 0; k < o.ncheckpoints; k++) {
        texts[k] = read_whole(env, o.checkpoints[k], NULL);
        if (!texts[k]) {
            rc = EXIT_USAGE;
            goto done;
        }
    }
    if ((rc = cli_connect(env)) != EXIT_OK)
        goto done;
    memset(&vo, 0, sizeof(vo));
    vo.vkeys = o.vkeys;
    vo.nvkeys = o.nvkeys;
    vo.checkpoints = (const char *const *)texts;
    vo.checkpoint_names = o.checkpoints;
    vo.ncheckpoints = o.ncheckpoints;
    vo.max_pending_age = o.maxage;
    vo.on_finding = print_finding;
    vo.arg = &p;
    if (env->json)
        p.list = cJSON_CreateArray();
    st = arcs_audit_verify(env->ctx, &vo, &res);
    if (st != ARCS_OK && st != ARCS_EVERIFY) {
        cJSON_Delete(p.list);
        rc = cli_fail(env, st);
        goto done;
    }
    arcs_hash_hex(hex, res.root);
    if (env->json) {
        cJSON *doc = cJSON_CreateObject();
        cJSON_AddBoolToObject(doc, "ok", st == ARCS_OK);
        cli_json_add_i64(doc, "size", res.size);
        cJSON_AddStringToObject(doc, "root", hex);
        cJSON_AddItemToObject(doc, "findings", p.list);
        cli_print_json(doc);
    } else if (st == ARCS_OK) {
        printf("ok: %lld entries, root %s, %d checkpoint%s consistent\n",
               (long long)res.size, hex, res.checkpoints_ok,
               res.checkpoints_ok == 1 ? "" : "s");
    }
    if (st == ARCS_EVERIFY)
        rc = cli_fail(env, st);
done:
    for (size_t k = 0; k < o.ncheckpoints; k++)
        free(texts[k]);
    return rc;
}

struct log_print {
    cli_table *t;
    cJSON *list;
};

static int print_row(void *arg, const arcs_audit_log_row *r)
{
    struct log_print *p = arg;
    char seq[24];

    snprintf(seq, sizeof(seq), "%lld", (long long)r->seq);
    if (p->list) {
        cJSON *o = cJSON_CreateObject();
        cJSON *e = cJSON_Parse(r->entry);
        cJSON_AddStringToObject(o, "seq", seq);
        cJSON_AddStringToObject(o, "time", r->time ? r->time : "");
        cJSON_AddStringToObject(o, "db_user", r->db_user ? r->db_user : "");
        cJSON_AddStringToObject(o, "actor", r->actor ? r->actor : "");
        cJSON_AddStringToObject(o, "op", r->op ? r->op : "");
        cJSON_AddStringToObject(o, "table", r->table ? r->table : "");
        cJSON_AddStringToObject(o, "key", r->key ? r->key : "");
        cJSON_AddStringToObject(o, "entry", r->entry);
        cJSON_Delete(e);
        cJSON_AddItemToArray(p->list, o);
    } else {
        const char *cells[7] = {seq,
                                r->time ? r->time : "?",
                                r->db_user ? r->db_user : "?",
                                r->actor ? r->actor : "?",
                                r->op ? r->op : "?",
                                r->table ? r->table : "?",
                                r->key ? r->key : "?"};
        cli_table_add(p->t, cells);
    }
    return 0;
}

static int audit_log(cli_env *env, int argc, char **argv)
{
    static const char *const headers[7] = {"seq", "time",  "db_user", "actor",
                                           "op",  "table", "key"};
    struct audit_opts o;
    struct log_print p = {NULL, NULL};
    arcs_status st;
    int i, rc;

    i = parse(env, argc, argv, &o, "[--case REF] [--since SEQ]", 0, "");
    if (i < 0)
        return i == -2 ? EXIT_OK : EXIT_USAGE;
    if ((rc = cli_connect(env)) != EXIT_OK)
        return rc;
    if (env->json)
        p.list = cJSON_CreateArray();
    else
        p.t = cli_table_new(7, headers);
    st = arcs_audit_log(env->ctx, o.casref, o.since, print_row, &p);
    if (st != ARCS_OK) {
        cJSON_Delete(p.list);
        cli_table_free(p.t);
        return cli_fail(env, st);
    }
    if (p.list)
        return cli_print_json(p.list);
    cli_table_print(p.t, stdout);
    cli_table_free(p.t);
    return EXIT_OK;
}

static int audit_prove(cli_env *env, int argc, char **argv)
{
    struct audit_opts o;
    char *cp = NULL, *out = NULL, *end;
    size_t cplen = 0, outlen = 0;
    long long seq;
    arcs_status st;
    int i, rc;

    i = parse(env, argc, argv, &o, "SEQ [--checkpoint FILE] [--out FILE]", 1, "SEQ");
    if (i < 0)
        return i == -2 ? EXIT_OK : EXIT_USAGE;
    errno = 0;
    seq = strtoll(argv[i], &end, 10);
    if (errno || *end || end == argv[i] || seq < 0)
        return cli_usage(env, "SEQ is an entry's sequence number, not '%s'", argv[i]);
    if (o.ncheckpoints > 1)
        return cli_usage(env, "give at most one --checkpoint");
    if (o.ncheckpoints && !(cp = read_whole(env, o.checkpoints[0], &cplen)))
        return EXIT_USAGE;
    if ((rc = cli_connect(env)) != EXIT_OK)
        goto done;
    st = arcs_audit_prove(env->ctx, seq, cp, cplen, &out, &outlen);
    if (st != ARCS_OK) {
        rc = cli_fail(env, st);
        goto done;
    }
    rc = write_out(env, o.out, out, outlen);
done:
    free(cp);
    free(out);
    return rc;
}

static int audit_verify_proof(cli_env *env, int argc, char **argv)
{
    struct audit_opts o;
    arcs_proof proof = {0};
    arcs_note_verifier keys[MAX_LIST];
    arcs_err err = {ARCS_OK, ""};
    char *text = NULL, buf[24];
    size_t len = 0;
    cJSON *doc;
    int i, rc = EXIT_OK;

    i = parse(env, argc, argv, &o, "FILE --vkey VKEY", 1, "FILE");
    if (i < 0)
        return i == -2 ? EXIT_OK : EXIT_USAGE;
    if (o.nvkeys == 0)
        return cli_usage(env, "give the log's verifier key with --vkey");
    for (size_t k = 0; k < o.nvkeys; k++)
        if (arcs_note_verifier_parse(&keys[k], o.vkeys[k], strlen(o.vkeys[k]), &err) !=
            ARCS_OK)
            return cli_usage(env, "verifier key '%s' is malformed: %s", o.vkeys[k],
                             err.msg);
    text = read_whole(env, argv[i], &len);
    if (!text)
        return EXIT_USAGE;
    if (arcs_proof_parse(&proof, text, len, &err) != ARCS_OK) {
        rc = cli_error(EXIT_VERIFY, "%s: %s is not a valid proof: %s", env->cmd, argv[i],
                       err.msg);
        goto done;
    }
    if (arcs_proof_verify(&proof, keys, o.nvkeys, &err) != ARCS_OK) {
        rc = cli_error(EXIT_VERIFY, "%s: %s", env->cmd, err.msg);
        goto done;
    }
    doc = cJSON_CreateObject();
    cJSON_AddBoolToObject(doc, "ok", 1);
    snprintf(buf, sizeof(buf), "%llu", (unsigned long long)proof.index);
    cJSON_AddStringToObject(doc, "seq", buf);
    snprintf(buf, sizeof(buf), "%llu", (unsigned long long)proof.tree_size);
    cJSON_AddStringToObject(doc, "size", buf);
    rc = cli_print_result(env, doc, "ok: entry %llu is in the signed log of size %llu\n",
                          (unsigned long long)proof.index,
                          (unsigned long long)proof.tree_size);
done:
    arcs_proof_clear(&proof);
    free(text);
    return rc;
}

static int audit_export(cli_env *env, int argc, char **argv)
{
    struct audit_opts o;
    int64_t size = 0;
    cJSON *doc;
    arcs_status st;
    int i, rc;

    i = parse(env, argc, argv, &o, "DIR [--upto SIZE] [--key KEYFILE]", 1, "DIR");
    if (i < 0)
        return i == -2 ? EXIT_OK : EXIT_USAGE;
    if ((rc = cli_connect(env)) != EXIT_OK)
        return rc;
    st = arcs_audit_export(env->ctx, argv[i], o.upto, o.key, &size);
    if (st != ARCS_OK)
        return cli_fail(env, st);
    doc = cJSON_CreateObject();
    cli_json_add_i64(doc, "size", size);
    cJSON_AddStringToObject(doc, "dir", argv[i]);
    return cli_print_result(env, doc, "exported %lld entries to %s\n", (long long)size,
                            argv[i]);
}

static int audit_verify_export(cli_env *env, int argc, char **argv)
{
    struct audit_opts o;
    arcs_err err = {ARCS_OK, ""};
    int64_t size = 0;
    cJSON *doc;
    arcs_status st;
    int i;

    i = parse(env, argc, argv, &o, "DIR --vkey VKEY", 1, "DIR");
    if (i < 0)
        return i == -2 ? EXIT_OK : EXIT_USAGE;
    if (o.nvkeys == 0)
        return cli_usage(env, "give the log's verifier key with --vkey");
    st = arcs_audit_verify_export(argv[i], o.vkeys, o.nvkeys, &size, &err);
    if (st != ARCS_OK)
        return cli_error(cli_exit_code(st), "%s: %s", env->cmd, err.msg);
    doc = cJSON_CreateObject();
    cJSON_AddBoolToObject(doc, "ok", 1);
    cli_json_add_i64(doc, "size", size);
    return cli_print_result(env, doc, "ok: %lld entries match the signed checkpoint\n",
                            (long long)size);
}

int cmd_audit(cli_env *env, int argc, char **argv)
{
    static const cli_verb verbs[] = {
        {"seal", audit_seal, "", "seal captured changes into the log"},
        {"keygen", audit_keygen, "--name ORIGIN --out KEYFILE",
         "make a signing key (file mode 0600); prints the verifier key"},
        {"checkpoint", audit_checkpoint, "--key KEYFILE [--out FILE]",
         "seal, then sign a checkpoint of the log"},
        {"cosign", audit_cosign, "--key KEYFILE --checkpoint FILE [--previous FILE]",
         "witness: check a checkpoint against the log and the previous one, then sign"},
        {"verify", audit_verify,
         "[--vkey VKEY]... [--checkpoint FILE]... [--max-pending-age SECONDS]",
         "recompute the log from its bytes and compare the tables with it"},
        {"log", audit_log, "[--case REF] [--since SEQ]", "list log entries"},
        {"prove", audit_prove, "SEQ [--checkpoint FILE] [--out FILE]",
         "inclusion proof of an entry in a signed checkpoint"},
        {"verify-proof", audit_verify_proof, "FILE --vkey VKEY",
         "check a proof file offline"},
        {"export", audit_export, "DIR [--upto SIZE] [--key KEYFILE]",
         "write entries.jsonl, checkpoint and README"},
        {"verify-export", audit_verify_export, "DIR --vkey VKEY",
         "check an export folder offline"},
        {NULL, NULL, NULL, NULL}};
    return cli_dispatch(env, "audit", verbs, argc, argv);
}
