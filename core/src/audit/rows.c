/*
 * The business tables as verify reads them: each plain table of schema arcs
 * through COPY of its own columns, and every row image and key built here,
 * value by value, as capture builds them (arcs_audit.column_expr, 0005):
 *
 *   boolean            true / false
 *   date               "YYYY-MM-DD"
 *   timestamptz        "YYYY-MM-DDTHH:MM:SS.ffffffZ" (UTC)
 *   timestamp          "YYYY-MM-DDTHH:MM:SS.ffffff"
 *   bytea              "\x" and hex
 *   json, jsonb        the value as jsonb writes it, numbers as strings
 *   arrays             arrays of the elements' text (nested stay nested)
 *   anything else      its text under the pinned settings
 *   SQL NULL           null
 *
 * The catalogs say which columns and types a table has and which form its
 * primary key (the key's columns; all of them without one). Nothing of the
 * arcs schemas is called: a function, view or trigger there can be redefined
 * by whoever owns it, so the verdict must not rest on one.
 */
#include <stdlib.h>
#include <string.h>

#include "canonical_int.h"
#include "rows_int.h"

/* Columns capture keeps out of images (arcs_audit.sensitive_columns, 0010):
   verify leaves them out too, and compares logged images without them
   (verify.c, logged_image_digest). */
static const struct {
    const char *table, *column;
} sensitive[] = {{"arcs.subjects", "id_number"}};

#define NSENSITIVE (sizeof(sensitive) / sizeof(sensitive[0]))

enum kind { K_TEXT, K_BPCHAR, K_BOOL, K_DATE, K_TSTZ, K_TS, K_JSON, K_ARRAY };

typedef struct col {
    char *lit; /* "name": */
    size_t litlen;
    const char *name; /* borrowed from the catalog result */
    int kind, inkey;
} col;

static int is_sensitive(const char *table, const char *column)
{
    for (size_t i = 0; i < NSENSITIVE; i++)
        if (!strcmp(sensitive[i].table, table) && !strcmp(sensitive[i].column, column))
            return 1;
    return 0;
}

/* ---- values ---- */

/* "YYYY-MM-DD HH:MM:SS[.f]" + "+00" (with_tz) [" BC"] as capture's to_char
   writes it, "YYYY-MM-DDTHH:MM:SS.ffffff" + "Z". -1 if unrecognized. */
static int put_timestamp(arcs__buf *b, const char *s, size_t n, int with_tz)
{
    const char *sp, *t, *end;
    size_t frac = 0;

    if ((n == 8 && !memcmp(s, "infinity", 8)) || (n == 9 && !memcmp(s, "-infinity", 9))) {
        arcs__buf_puts(b, "null"); /* to_char gives NULL */
        return 0;
    }
    if (n > 3 && !memcmp(s + n - 3, " BC", 3))
        n -= 3;
    sp = memchr(s, ' ', n);
    if (!sp || s + n - sp < 9 || sp[3] != ':' || sp[6] != ':')
        return -1;
    t = sp + 1;
    end = t + 8;
    if (end < s + n && *end == '.')
        for (end++; end < s + n && *end >= '0' && *end <= '9'; end++)
            frac++;
    if (frac > 6)
        return -1;
    if (with_tz ? (s + n - end != 3 || memcmp(end, "+00", 3)) : end != s + n)
        return -1;
    arcs__buf_put(b, "\"", 1);
    arcs__buf_put(b, s, (size_t)(sp - s));
    arcs__buf_put(b, "T", 1);
    arcs__buf_put(b, t, 8);
    arcs__buf_put(b, ".", 1);
    if (frac)
        arcs__buf_put(b, t + 9, frac);
    arcs__buf_put(b, "000000", 6 - frac);
    arcs__buf_put(b, with_tz ? "Z\"" : "\"", with_tz ? 2 : 1);
    return 0;
}

static int put_date(arcs__buf *b, const char *s, size_t n)
{
    if ((n == 8 && !memcmp(s, "infinity", 8)) || (n == 9 && !memcmp(s, "-infinity", 9))) {
        arcs__buf_puts(b, "null");
        return 0;
    }
    if (n > 3 && !memcmp(s + n - 3, " BC", 3))
        n -= 3;
    return arcs__json_append_string(b, s, n, NULL) == ARCS_OK ? 0 : -1;
}

/* One array literal ("{a,"b c",NULL,{d}}", maybe after "[1:2]=") as a JSON
   array of strings and nulls; *pos advances past it. -1 if malformed. */
static int put_array(arcs__buf *b, arcs__buf *dec, const char *s, size_t n, size_t *pos,
                     int depth)
{
    size_t i = *pos;
    int first = 1;

    if (depth > 64 || i >= n || s[i] != '{')
        return -1;
    arcs__buf_put(b, "[", 1);
    i++;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (i < n && s[i] == '}') {
        *pos = i + 1;
        arcs__buf_put(b, "]", 1);
        return 0;
    }
    for (;;) {
        while (i < n && (s[i] == ' ' || s[i] == '\t'))
            i++;
        if (i >= n)
            return -1;
        if (!first)
            arcs__buf_put(b, ",", 1);
        first = 0;
        if (s[i] == '{') {
            if (put_array(b, dec, s, n, &i, depth + 1))
                return -1;
        } else {
            int quoted = s[i] == '"';
            size_t last_plain = 0;
            dec->n = 0;
            if (quoted)
                i++;
            for (; i < n; i++) {
                char ch = s[i];
                if (quoted && ch == '"') {
                    i++;
                    break;
                }
                if (!quoted && (ch == ',' || ch == '}'))
                    break;
                if (ch == '\\' && i + 1 < n)
                    ch = s[++i];
                else if (!quoted && (ch == ' ' || ch == '\t')) {
                    arcs__buf_put(dec, &ch, 1); /* trailing blanks are dropped */
                    continue;
                }
                arcs__buf_put(dec, &ch, 1);
                last_plain = dec->n;
            }
            if (!quoted)
                dec->n = last_plain;
            if (!quoted && dec->n == 4 && (dec->b[0] | 0x20) == 'n' &&
                (dec->b[1] | 0x20) == 'u' && (dec->b[2] | 0x20) == 'l' &&
                (dec->b[3] | 0x20) == 'l')
                arcs__buf_puts(b, "null");
            else if (arcs__json_append_string(b, dec->n ? dec->b : "", dec->n, NULL) !=
                     ARCS_OK)
                return -1;
        }
        while (i < n && (s[i] == ' ' || s[i] == '\t'))
            i++;
        if (i < n && s[i] == ',') {
            i++;
            continue;
        }
        if (i < n && s[i] == '}') {
            *pos = i + 1;
            arcs__buf_put(b, "]", 1);
            return 0;
        }
        return -1;
    }
}

/* One column's value (the text COPY gave, unescaped; NULL for SQL NULL). */
static int put_value(arcs__buf *b, arcs__buf *dec, int kind, const char *s, size_t n)
{
    size_t pos = 0;

    if (!s) {
        arcs__buf_puts(b, "null");
        return 0;
    }
    switch (kind) {
    case K_BOOL:
        if (n != 1 || (s[0] != 't' && s[0] != 'f'))
            return -1;
        arcs__buf_puts(b, s[0] == 't' ? "true" : "false");
        return 0;
    case K_DATE:
        return put_date(b, s, n);
    case K_TSTZ:
    case K_TS:
        return put_timestamp(b, s, n, kind == K_TSTZ);
    case K_JSON:
        /* jsonb's text: the canonicalizer turns its numbers into strings */
        arcs__buf_put(b, s, n);
        return 0;
    case K_ARRAY:
        if (n && s[0] == '[') { /* explicit bounds: to_json drops them */
            const char *eq = memchr(s, '=', n);
            if (!eq)
                return -1;
            pos = (size_t)(eq - s) + 1;
        }
        if (put_array(b, dec, s, n, &pos, 0) || pos != n)
            return -1;
        return 0;
    case K_BPCHAR: /* char(n)::text drops the padding */
        while (n > 0 && s[n - 1] == ' ')
            n--;
        /* fall through */
    default:
        return arcs__json_append_string(b, s, n, NULL) == ARCS_OK ? 0 : -1;
    }
}

/* ---- one table ---- */

typedef struct table {
    const char *name; /* as capture names it: arcs.cases */
    col *cols;
    size_t ncols;
    char *copy;       /* the COPY statement */
    int foreign_cast; /* a column's type has a cast outside pg_catalog */
} table;

/* The canonical key: the image's members whose names are key columns, in the
   image's (sorted) order, as the serializer writes the key on its own. */
static int key_from_image(arcs__buf *out, arcs__buf *dec, const arcs__json_canon *img,
                          const table *t)
{
    out->n = 0;
    arcs__buf_put(out, "{", 1);
    for (size_t i = 0; i < img->ntop; i++) {
        const arcs__json_member *m = &img->top[i];
        const char *name = m->key;
        size_t nlen = m->keylen;

        if (memchr(m->key, '\\', m->keylen)) { /* an escaped name: decode it */
            arcs_json *j = NULL;
            if (arcs_json_parse(&j, m->key - 1, m->keylen + 2, 0, NULL) != ARCS_OK ||
                j->type != ARCS_JSON_STRING) {
                arcs_json_free(j);
                return -1;
            }
            dec->n = 0;
            arcs__buf_put(dec, j->str, j->len);
            arcs_json_free(j);
            name = dec->b;
            nlen = dec->n;
        }
        for (size_t c = 0; c < t->ncols; c++)
            if (t->cols[c].inkey && strlen(t->cols[c].name) == nlen &&
                !memcmp(t->cols[c].name, name, nlen)) {
                if (out->n > 1)
                    arcs__buf_put(out, ",", 1);
                arcs__buf_put(out, m->key - 1,
                              (size_t)(m->val + m->vallen - (m->key - 1)));
                break;
            }
    }
    arcs__buf_put(out, "}", 1);
    return out->oom ? -1 : 0;
}

struct rowbufs {
    arcs__buf json, field, dec, key;
    arcs__json_canon img;
};

/* Unescape COPY text field s[0, n) into f; NULL for \N. */
static const char *copy_field(arcs__buf *f, const char *s, size_t n, size_t *outlen)
{
    if (n == 2 && s[0] == '\\' && s[1] == 'N')
        return NULL;
    if (!memchr(s, '\\', n)) {
        *outlen = n;
        return s;
    }
    f->n = 0;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (ch == '\\' && i + 1 < n) {
            ch = s[++i];
            switch (ch) {
            case 'b':
                ch = '\b';
                break;
            case 'f':
                ch = '\f';
                break;
            case 'n':
                ch = '\n';
                break;
            case 'r':
                ch = '\r';
                break;
            case 't':
                ch = '\t';
                break;
            case 'v':
                ch = '\v';
                break;
            default:
                break;
            }
        }
        arcs__buf_put(f, &ch, 1);
    }
    *outlen = f->n;
    return f->oom ? "" : f->b;
}

static void one_row(const table *t, struct rowbufs *rb, const char *line, size_t n,
                    arcs__audit_row_fn fn, void *arg)
{
    const char *p = line, *end = line + n;
    const char *why = NULL;

    if (n > 0 && end[-1] == '\n')
        end--;
    rb->json.n = 0;
    arcs__buf_put(&rb->json, "{", 1);
    for (size_t c = 0; c < t->ncols && !why; c++) {
        const char *tab = memchr(p, '\t', (size_t)(end - p)), *fe = tab ? tab : end;
        const char *v;
        size_t vlen = 0;

        if ((c + 1 < t->ncols) != (tab != NULL)) {
            why = "COPY gave a row of another width";
            break;
        }
        v = copy_field(&rb->field, p, (size_t)(fe - p), &vlen);
        if (c)
            arcs__buf_put(&rb->json, ",", 1);
        arcs__buf_put(&rb->json, t->cols[c].lit, t->cols[c].litlen);
        if (put_value(&rb->json, &rb->dec, t->cols[c].kind, v, vlen))
            why = "a value cannot be rendered as capture renders it";
        p = fe + 1;
    }
    arcs__buf_put(&rb->json, "}", 1);
    if (!why && rb->json.oom)
        why = "out of memory";
    if (!why && arcs__json_canon_run(&rb->img, rb->json.b, rb->json.n,
                                     ARCS_JSON_NUMBERS_AS_STRINGS, NULL) != ARCS_OK)
        why = "a row cannot be rendered as canonical JSON";
    if (!why && key_from_image(&rb->key, &rb->dec, &rb->img, t))
        why = "the row's key cannot be rendered";
    if (why)
        fn(arg, t->name, "", 0, NULL, 0, why);
    else
        fn(arg, t->name, rb->key.b, rb->key.n, rb->img.out, rb->img.n, NULL);
}

static arcs_status read_table(arcs_ctx *ctx, const table *t, struct rowbufs *rb,
                              arcs__audit_row_fn fn, void *arg)
{
    PGconn *conn = ctx->conn;
    PGresult *res;
    char *buf = NULL;
    int n;
    arcs_status st = ARCS_OK;

    res = PQexec(conn, t->copy);
    if (PQresultStatus(res) != PGRES_COPY_OUT) {
        st = arcs__db_fail_result(ctx, res);
        PQclear(res);
        while ((res = PQgetResult(conn)) != NULL)
            PQclear(res);
        return st;
    }
    PQclear(res);
    while ((n = PQgetCopyData(conn, &buf, 0)) > 0) {
        one_row(t, rb, buf, (size_t)n, fn, arg);
        PQfreemem(buf);
        buf = NULL;
    }
    if (n == -2)
        st = arcs__fail(ctx, ARCS_ERROR, "cannot read table %s: %s", t->name,
                        PQerrorMessage(conn));
    while ((res = PQgetResult(conn)) != NULL) {
        if (st == ARCS_OK && PQresultStatus(res) != PGRES_COMMAND_OK)
            st = arcs__db_fail_result(ctx, res);
        PQclear(res);
    }
    return st;
}

/* Quote a catalog name as an identifier into b. */
static int put_ident(arcs__buf *b, PGconn *conn, const char *name)
{
    char *q = PQescapeIdentifier(conn, name, strlen(name));

    if (!q)
        return -1;
    arcs__buf_puts(b, q);
    PQfreemem(q);
    return 0;
}

/*
 * Every column of every plain table of schema arcs, in table order then
 * column order: the table's name as capture writes it, its schema and name,
 * the column, the base type of its domain (if any), that type's category,
 * whether the column is in the key (every column without a primary key),
 * whether the base type has a cast to text of its own (then ::text is not its
 * output text), and whether a cast from it (or its elements) runs a function
 * outside pg_catalog. Catalogs only.
 */
static const char columns_sql[] =
    "WITH RECURSIVE cols AS ("
    " SELECT c.oid AS rel, n.nspname, c.relname, a.attnum, a.attname, a.atttypid"
    " FROM pg_catalog.pg_class c"
    " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
    " JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0"
    " AND NOT a.attisdropped"
    " WHERE n.nspname = 'arcs' AND c.relkind = 'r'),"
    " dom(start, cur, depth) AS ("
    " SELECT DISTINCT x.atttypid, x.atttypid, 0 FROM cols x"
    " UNION ALL"
    " SELECT d.start, t.typbasetype, d.depth + 1 FROM dom d"
    " JOIN pg_catalog.pg_type t ON t.oid = d.cur"
    " WHERE t.typtype = 'd' AND d.depth < 32),"
    " base AS (SELECT DISTINCT ON (d.start) d.start, d.cur FROM dom d"
    " ORDER BY d.start, d.depth DESC)"
    " SELECT x.rel::pg_catalog.regclass::pg_catalog.text, x.nspname, x.relname,"
    " x.attname, b.cur::pg_catalog.int8::pg_catalog.text, t.typcategory,"
    " coalesce(x.attnum = ANY (i.indkey::pg_catalog.int2[]), true),"
    " EXISTS (SELECT 1 FROM pg_catalog.pg_cast k WHERE k.castsource = b.cur"
    " AND k.casttarget = 25 AND k.castmethod = 'f'),"
    " EXISTS (SELECT 1 FROM pg_catalog.pg_cast k"
    " JOIN pg_catalog.pg_proc p ON p.oid = k.castfunc"
    " JOIN pg_catalog.pg_namespace pn ON pn.oid = p.pronamespace"
    " WHERE k.castsource IN (b.cur, t.typelem) AND pn.nspname <> 'pg_catalog')"
    " FROM cols x JOIN base b ON b.start = x.atttypid"
    " JOIN pg_catalog.pg_type t ON t.oid = b.cur"
    " LEFT JOIN pg_catalog.pg_index i ON i.indrelid = x.rel AND i.indisprimary"
    " ORDER BY 1, x.attnum";

static int column_kind(long long oid, const char *category, int has_cast)
{
    switch (oid) {
    case 16:
        return K_BOOL;
    case 1082:
        return K_DATE;
    case 1184:
        return K_TSTZ;
    case 1114:
        return K_TS;
    case 114:
    case 3802:
        return K_JSON;
    case 1042:
        return K_BPCHAR;
    default:
        break;
    }
    if (category[0] == 'A')
        return K_ARRAY;
    return has_cast ? -1 : K_TEXT; /* -1: read as ::text */
}

/* Build table t from catalog rows [from, to). */
static int make_table(PGconn *conn, table *t, const PGresult *cat, int from, int to)
{
    arcs__buf q = {0};

    t->name = PQgetvalue(cat, from, 0);
    t->cols = calloc((size_t)(to - from) + 1, sizeof(col));
    if (!t->cols)
        return -1;
    arcs__buf_puts(&q, "COPY (SELECT ");
    for (int r = from; r < to; r++) {
        col *c = &t->cols[t->ncols];
        arcs__buf lit = {0};
        int kind =
            column_kind(strtoll(PQgetvalue(cat, r, 4), NULL, 10), PQgetvalue(cat, r, 5),
                        !strcmp(PQgetvalue(cat, r, 7), "t"));
        const char *cast = kind == K_ARRAY ? "::pg_catalog.text[]"
                           : kind == -1    ? "::pg_catalog.text"
                           : strtoll(PQgetvalue(cat, r, 4), NULL, 10) == 114
                               ? "::pg_catalog.jsonb"
                               : "";

        if (is_sensitive(t->name, PQgetvalue(cat, r, 3)))
            continue;
        if (!strcmp(PQgetvalue(cat, r, 8), "t")) {
            /* a cast someone defined: read the column's own output text, and
               say so (capture's rendering of it can be redefined) */
            t->foreign_cast = 1;
            kind = K_TEXT;
            cast = "";
        }
        c->name = PQgetvalue(cat, r, 3);
        c->kind = kind < 0 ? K_TEXT : kind;
        c->inkey = !strcmp(PQgetvalue(cat, r, 6), "t");
        if (arcs__json_append_string(&lit, c->name, strlen(c->name), NULL) != ARCS_OK) {
            arcs__buf_free(&lit);
            arcs__buf_free(&q);
            return -1;
        }
        arcs__buf_put(&lit, ":", 1);
        c->lit = lit.b;
        c->litlen = lit.n;
        if (lit.oom)
            return -1;
        if (t->ncols)
            arcs__buf_put(&q, ", ", 2);
        arcs__buf_puts(&q, "n.");
        if (put_ident(&q, conn, c->name))
            return -1;
        arcs__buf_puts(&q, cast);
        t->ncols++;
    }
    arcs__buf_puts(&q, " FROM ONLY ");
    if (put_ident(&q, conn, PQgetvalue(cat, from, 1)))
        return -1;
    arcs__buf_puts(&q, ".");
    if (put_ident(&q, conn, PQgetvalue(cat, from, 2)))
        return -1;
    arcs__buf_puts(&q, " n) TO STDOUT");
    if (q.oom)
        return -1;
    t->copy = q.b;
    return 0;
}

static void free_table(table *t)
{
    for (size_t c = 0; t->cols && c < t->ncols; c++)
        free(t->cols[c].lit);
    free(t->cols);
    free(t->copy);
    memset(t, 0, sizeof(*t));
}

arcs_status arcs__audit_read_tables(arcs_ctx *ctx, arcs__audit_row_fn fn, void *arg)
{
    PGresult *cat = NULL;
    struct rowbufs rb;
    arcs_status st;
    int n, from = 0;

    memset(&rb, 0, sizeof(rb));
    st = arcs__db_exec(ctx, &cat, columns_sql, 0, NULL);
    if (st != ARCS_OK)
        goto done;
    n = PQntuples(cat);
    while (from < n) {
        table t;
        int to = from + 1;

        while (to < n && !strcmp(PQgetvalue(cat, to, 0), PQgetvalue(cat, from, 0)))
            to++;
        memset(&t, 0, sizeof(t));
        if (make_table(ctx->conn, &t, cat, from, to)) {
            free_table(&t);
            st = arcs__fail(ctx, ARCS_ERROR, "out of memory");
            goto done;
        }
        if (t.foreign_cast)
            fn(arg, t.name, "", 0, NULL, 0,
               "a column's type has a cast whose function is outside pg_catalog: how "
               "capture renders it can be redefined; drop that cast");
        st = read_table(ctx, &t, &rb, fn, arg);
        free_table(&t);
        if (st != ARCS_OK)
            goto done;
        from = to;
    }
done:
    PQclear(cat);
    arcs__buf_free(&rb.json);
    arcs__buf_free(&rb.field);
    arcs__buf_free(&rb.dec);
    arcs__buf_free(&rb.key);
    arcs__json_canon_free(&rb.img);
    return st;
}
