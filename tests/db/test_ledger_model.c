/*
 * Randomized model test of the ledger: seeded operations (receive, deduct,
 * allocate, disburse, reverse, repeats with the same reference, and
 * operations that must fail) through the library, each reply compared with
 * an in-memory model, then the final balances and attributions.
 *
 * ARCS_LEDGER_MODEL_SEEDS (default 20) and ARCS_LEDGER_MODEL_OPS (default
 * 10000) size it, starting at seed ARCS_LEDGER_MODEL_FIRST (default 1): ctest
 * runs the seeds in parts side by side. Each seed gets its own database. A
 * failure prints its seed.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arcs/arcs.h"
#include "db_int.h"

#define NCASES 4
#define NPROJ 3
#define MAXOPS 200000

enum { K_RECEIVE, K_DEDUCT, K_ALLOCATE, K_DISBURSE, K_REVERSE };

typedef struct op {
    int kind, c, p, reversed, usd;
    int64_t amount;       /* base minor units */
    int64_t given;        /* as given: KZT or USD minor units */
    int64_t id;           /* transfer id */
    int64_t attr[NCASES]; /* allocation: per case */
    int target;           /* reverse: index of the reversed op */
} op;

static struct {
    op ops[MAXOPS];
    int n;
    int64_t fund, proj[NPROJ], used[NCASES];
    int64_t asset[NCASES];
    unsigned seed;
    uint64_t rng;
} M;

static uint64_t rnd(void)
{
    M.rng ^= M.rng << 13;
    M.rng ^= M.rng >> 7;
    M.rng ^= M.rng << 17;
    return M.rng;
}

static int64_t pick(int64_t lo, int64_t hi)
{
    return lo + (int64_t)(rnd() % (uint64_t)(hi - lo + 1));
}

#define CHECK(cond, ...)                                                                 \
    do {                                                                                 \
        if (!(cond)) {                                                                   \
            print_error("seed %u op %d: ", M.seed, M.n);                                 \
            print_error(__VA_ARGS__);                                                    \
            print_error("\n");                                                           \
            fail();                                                                      \
        }                                                                                \
    } while (0)

/* 450.5 KZT per USD, half to even, as the ledger must round. */
static int64_t usd_to_kzt(int64_t usd_minor)
{
    int64_t num = usd_minor * 4505, q = num / 10, r = num % 10;
    if (r > 5 || (r == 5 && (q & 1)))
        q++;
    return q;
}

/* Unattributed money of case c per lot, FIFO: cum of receipts minus used. */
static void fifo(int64_t amount, int64_t attr[NCASES])
{
    int64_t cum[NCASES] = {0}, need = amount;

    memset(attr, 0, sizeof(int64_t) * NCASES);
    for (int i = 0; i < M.n && need > 0; i++) {
        op *o = &M.ops[i];
        int64_t rem, take;
        if (o->kind != K_RECEIVE || o->reversed)
            continue;
        cum[o->c] += o->amount;
        rem = cum[o->c] - M.used[o->c] - attr[o->c];
        if (rem > o->amount)
            rem = o->amount;
        if (rem <= 0)
            continue;
        take = rem < need ? rem : need;
        attr[o->c] += take;
        need -= take;
    }
}

static int64_t inflow(int c)
{
    int64_t s = 0;
    for (int i = 0; i < M.n; i++)
        if (M.ops[i].kind == K_RECEIVE && !M.ops[i].reversed && M.ops[i].c == c)
            s += M.ops[i].amount;
    return s;
}

static void text(char buf[32], int64_t minor)
{
    arcs_money_format(buf, minor, 2);
}

/* Call the library for op o with reference ref; returns the status. */
static arcs_status call(arcs_ctx *ctx, arcs_transfer *t, const op *o, const char *ref,
                        int64_t delta)
{
    char amt[32], proj[16];
    text(amt, (o->usd ? o->given : o->amount) + delta);
    snprintf(proj, sizeof(proj), "P%d", o->p);
    switch (o->kind) {
    case K_RECEIVE:
        return arcs_fund_receive(ctx, t, M.asset[o->c], amt, o->usd ? "USD" : "KZT",
                                 "2024-02-01", ref, NULL, 0);
    case K_DEDUCT:
        return arcs_fund_deduct(ctx, t, M.asset[o->c], amt, "KZT", "2024-02-01", ref,
                                "victim");
    case K_ALLOCATE:
        return arcs_ledger_allocate(ctx, t, proj, amt, "ALLOC-1", "2024-02-01", ref, NULL,
                                    0);
    case K_DISBURSE:
        return arcs_ledger_disburse(ctx, t, proj, amt, "2024-02-01", ref);
    default: {
        char target[32];
        snprintf(target, sizeof(target), "R%d", o->target);
        return arcs_fund_reverse(ctx, t, ref, target,
                                 delta ? "2024-02-02" : "2024-02-01");
    }
    }
}

/* Would the op succeed in the model? Applies it when it does. */
static int model_apply(op *o)
{
    int64_t a = o->amount;
    switch (o->kind) {
    case K_RECEIVE:
        M.fund += a;
        return 1;
    case K_DEDUCT:
        if (a > M.fund || a > inflow(o->c) - M.used[o->c])
            return 0;
        M.fund -= a;
        M.used[o->c] += a;
        return 1;
    case K_ALLOCATE:
        if (a > M.fund)
            return 0;
        fifo(a, o->attr);
        M.fund -= a;
        M.proj[o->p] += a;
        for (int c = 0; c < NCASES; c++)
            M.used[c] += o->attr[c];
        return 1;
    case K_DISBURSE:
        if (a > M.proj[o->p])
            return 0;
        M.proj[o->p] -= a;
        return 1;
    }
    {
        op *t = &M.ops[o->target];
        if (t->reversed || t->kind == K_REVERSE)
            return 0;
        switch (t->kind) {
        case K_RECEIVE:
            if (t->amount > M.fund || inflow(t->c) - t->amount - M.used[t->c] < 0)
                return 0;
            M.fund -= t->amount;
            break;
        case K_DEDUCT:
            M.fund += t->amount;
            M.used[t->c] -= t->amount;
            break;
        case K_ALLOCATE:
            if (t->amount > M.proj[t->p])
                return 0;
            M.proj[t->p] -= t->amount;
            M.fund += t->amount;
            for (int c = 0; c < NCASES; c++)
                M.used[c] -= t->attr[c];
            break;
        case K_DISBURSE:
            M.proj[t->p] += t->amount;
            break;
        }
        t->reversed = 1;
        o->amount = t->amount;
        return 1;
    }
}

/* The schema and the fixed data (cases, assets, decisions, a rate, projects),
   made once in a template database: every seed starts from a copy of it. */
static void make_template(void)
{
    arcs_ctx *admin = NULL, *ctx = NULL;
    PGresult *res;
    int applied;

    assert_int_equal(arcs_ctx_open(&admin, ""), ARCS_OK);
    res = PQexec(((struct arcs_ctx *)admin)->conn, "CREATE DATABASE arcs_model_tpl");
    PQclear(res);
    arcs_ctx_free(admin);
    assert_int_equal(arcs_ctx_open(&ctx, "dbname=arcs_model_tpl"), ARCS_OK);
    arcs_ctx_set_autoseal(ctx, 0);
    assert_int_equal(arcs_db_init(ctx, "KZT", 0, &applied), ARCS_OK);
    res = PQexec(
        ctx->conn,
        "INSERT INTO arcs.cases (ref, title) VALUES ('C0', 'c'), ('C1', 'c'), ('C2', "
        "'c'),"
        " ('C3', 'c');"
        "INSERT INTO arcs.decisions (kind, ref, issuer, issued_on) VALUES"
        " ('confiscation', 'CONF', 'court', '2024-01-01'),"
        " ('allocation', 'ALLOC-1', 'gov', '2024-01-01');"
        "INSERT INTO arcs.assets (case_id, kind, description, country)"
        " SELECT id, 'cash', 'cash', 'KZ' FROM arcs.cases ORDER BY ref;"
        "INSERT INTO arcs.asset_transitions (asset_id, from_state, to_state, decision_id,"
        " on_date) SELECT id, 'identified', 'confiscated', (SELECT id FROM arcs.decisions"
        " WHERE ref = 'CONF'), '2024-01-02' FROM arcs.assets;");
    assert_int_equal(PQresultStatus(res), PGRES_COMMAND_OK);
    PQclear(res);
    assert_int_equal(arcs_fx_set(ctx, NULL, "USD", "2024-01-01", "450.5", NULL, 0),
                     ARCS_OK);
    for (int p = 0; p < NPROJ; p++) {
        char code[8];
        int64_t id;
        arcs_project_in in = {code,      "project", "water", "region",
                              "1000.00", "KZT",     NULL,    NULL};
        snprintf(code, sizeof(code), "P%d", p);
        assert_int_equal(arcs_project_add(ctx, &id, &in), ARCS_OK);
    }
    arcs_ctx_free(ctx);
}

static void setup_db(arcs_ctx **ctx, unsigned seed)
{
    static int have_template;
    char sql[128], conn[128];
    arcs_ctx *admin = NULL;
    PGresult *res;

    if (!have_template) {
        make_template();
        have_template = 1;
    }
    assert_int_equal(arcs_ctx_open(&admin, ""), ARCS_OK);
    snprintf(sql, sizeof(sql), "CREATE DATABASE arcs_model_%u TEMPLATE arcs_model_tpl",
             seed);
    res = PQexec(((struct arcs_ctx *)admin)->conn, sql);
    assert_int_equal(PQresultStatus(res), PGRES_COMMAND_OK);
    PQclear(res);
    arcs_ctx_free(admin);
    snprintf(conn, sizeof(conn), "dbname=arcs_model_%u", seed);
    assert_int_equal(arcs_ctx_open(ctx, conn), ARCS_OK);
    arcs_ctx_set_autoseal(*ctx, 0);
    res = PQexec((*ctx)->conn, "SELECT a.id FROM arcs.assets a ORDER BY a.case_id");
    assert_int_equal(PQntuples(res), NCASES);
    for (int c = 0; c < NCASES; c++)
        M.asset[c] = strtoll(PQgetvalue(res, c, 0), NULL, 10);
    PQclear(res);
}

/* The lots table kept by the triggers equals the reference definition
   (arcs.fund_lots(), recomputed from every transfer), and each case's lots
   hold what the model says the case has left. */
static void check_lots(arcs_ctx *ctx)
{
    char want[256];
    int n = 0;
    PGresult *res = PQexec(
        ctx->conn,
        "SELECT (SELECT coalesce(string_agg(transfer_id || ':' || remaining, ','"
        " ORDER BY value_date, transfer_id), '') FROM arcs.fund_lots())"
        " = (SELECT coalesce(string_agg(transfer_id || ':' || remaining, ','"
        " ORDER BY value_date, transfer_id), '') FROM arcs.ledger_lots"
        " WHERE remaining > 0),"
        " (SELECT string_agg(coalesce((SELECT sum(l.remaining) FROM arcs.ledger_lots l"
        " WHERE l.case_id = c.id), 0)::text, ',' ORDER BY c.ref) FROM arcs.cases c)");
    CHECK(PQresultStatus(res) == PGRES_TUPLES_OK, "lots query: %s",
          PQresultErrorMessage(res));
    for (int c = 0; c < NCASES; c++)
        n += snprintf(want + n, sizeof(want) - (size_t)n, "%s%" PRId64, c ? "," : "",
                      inflow(c) - M.used[c]);
    CHECK(!strcmp(PQgetvalue(res, 0, 0), "t"),
          "arcs.ledger_lots differs from arcs.fund_lots()");
    CHECK(!strcmp(PQgetvalue(res, 0, 1), want), "case lots %s vs model %s",
          PQgetvalue(res, 0, 1), want);
    PQclear(res);
}

static void run_seed(unsigned seed, int nops)
{
    arcs_ctx *ctx = NULL;
    arcs_transfer t;
    arcs_fund_balance b;
    char ref[32];

    memset(&M, 0, sizeof(M));
    M.seed = seed;
    M.rng = 0x9E3779B97F4A7C15ULL ^ ((uint64_t)seed * 0x100000001B3ULL);
    setup_db(&ctx, seed);
    for (int step = 0; step < nops && M.n < MAXOPS; step++) {
        int r = (int)pick(0, 99);
        op o;
        arcs_status st;
        if (step > 0 && step % 1000 == 0)
            check_lots(ctx);
        memset(&o, 0, sizeof(o));
        o.c = (int)pick(0, NCASES - 1);
        o.p = (int)pick(0, NPROJ - 1);
        if (r < 8 && M.n > 0) { /* repeat a recorded op */
            int i = (int)pick(0, M.n - 1);
            snprintf(ref, sizeof(ref), "R%d", i);
            st = call(ctx, &t, &M.ops[i], ref, 0);
            CHECK(st == ARCS_OK && t.existed && t.id == M.ops[i].id,
                  "repeat of %s: status %d existed %d id %" PRId64 "/%" PRId64 " (%s)",
                  ref, st, t.existed, t.id, M.ops[i].id, arcs_errmsg(ctx));
            st = call(ctx, &t, &M.ops[i], ref, 1);
            CHECK(st == ARCS_ECONFLICT, "conflicting repeat of %s: status %d (%s)", ref,
                  st, arcs_errmsg(ctx));
            continue;
        }
        if (r < 11) { /* must fail: missing rate, unknown project */
            char amt[32];
            snprintf(ref, sizeof(ref), "X%d", step);
            text(amt, pick(1, 1000));
            st = r < 10 ? arcs_fund_receive(ctx, &t, M.asset[o.c], amt, "USD",
                                            "2023-12-31", ref, NULL, 0)
                        : arcs_ledger_disburse(ctx, &t, "NOPE", amt, "2024-02-01", ref);
            CHECK(st == (r < 10 ? ARCS_EREFUSED : ARCS_ENOTFOUND),
                  "failing op: status %d (%s)", st, arcs_errmsg(ctx));
            continue;
        }
        if (r < 40) {
            o.kind = K_RECEIVE;
            o.usd = r < 20;
            o.given = pick(1, 500000);
            o.amount = o.usd ? usd_to_kzt(o.given) : o.given;
        } else if (r < 55) {
            o.kind = K_DEDUCT;
            o.amount = pick(1, 200000);
        } else if (r < 75) {
            o.kind = K_ALLOCATE;
            o.amount = pick(1, 600000);
        } else if (r < 90) {
            o.kind = K_DISBURSE;
            o.amount = pick(1, 300000);
        } else {
            if (M.n == 0)
                continue;
            o.kind = K_REVERSE;
            o.target = (int)pick(0, M.n - 1);
        }
        {
            op before = M.ops[o.kind == K_REVERSE ? o.target : 0];
            int64_t fund = M.fund, proj[NPROJ], used[NCASES];
            int ok;
            memcpy(proj, M.proj, sizeof(proj));
            memcpy(used, M.used, sizeof(used));
            ok = model_apply(&o);
            snprintf(ref, sizeof(ref), "R%d", M.n);
            st = call(ctx, &t, &o, ref, 0);
            if (ok) {
                CHECK(st == ARCS_OK && !t.existed && t.amount == o.amount,
                      "op kind %d amount %" PRId64 ": status %d amount %" PRId64 " (%s)",
                      o.kind, o.amount, st, t.amount, arcs_errmsg(ctx));
                o.id = t.id;
                M.ops[M.n++] = o;
            } else {
                CHECK(st == ARCS_EREFUSED,
                      "op kind %d amount %" PRId64 " should be refused: status %d (%s)",
                      o.kind, o.amount, st, arcs_errmsg(ctx));
                M.fund = fund;
                memcpy(M.proj, proj, sizeof(proj));
                memcpy(M.used, used, sizeof(used));
                if (o.kind == K_REVERSE)
                    M.ops[o.target] = before;
            }
        }
    }
    assert_int_equal(arcs_fund_balance_get(ctx, &b), ARCS_OK);
    CHECK(b.available == M.fund, "final fund %" PRId64 " vs model %" PRId64, b.available,
          M.fund);
    {
        PGresult *res = PQexec(
            ctx->conn,
            "SELECT (SELECT sum(credits - debits) FROM arcs.ledger_accounts)::text,"
            " (SELECT string_agg(credits - debits || '', ',' ORDER BY code) FROM"
            " arcs.ledger_accounts WHERE kind = 'project')");
        char want[256];
        int n = 0;
        for (int p = 0; p < NPROJ; p++)
            n += snprintf(want + n, sizeof(want) - (size_t)n, "%s%" PRId64, p ? "," : "",
                          M.proj[p]);
        CHECK(!strcmp(PQgetvalue(res, 0, 0), "0"), "balances sum to %s",
              PQgetvalue(res, 0, 0));
        CHECK(!strcmp(PQgetvalue(res, 0, 1), want), "projects %s vs model %s",
              PQgetvalue(res, 0, 1), want);
        PQclear(res);
        res =
            PQexec(ctx->conn, "SELECT string_agg(arcs.fund_case_remaining(id)::text, ','"
                              " ORDER BY ref) FROM arcs.cases");
        n = 0;
        for (int c = 0; c < NCASES; c++)
            n += snprintf(want + n, sizeof(want) - (size_t)n, "%s%" PRId64, c ? "," : "",
                          inflow(c) - M.used[c]);
        CHECK(!strcmp(PQgetvalue(res, 0, 0), want), "case remainders %s vs model %s",
              PQgetvalue(res, 0, 0), want);
        PQclear(res);
    }
    check_lots(ctx);
    arcs_ctx_free(ctx);
}

static int env_int(const char *name, int def)
{
    const char *v = getenv(name);
    char *end;
    long n;
    if (!v || !*v)
        return def;
    n = strtol(v, &end, 10);
    return (*end || n < 1 || n > MAXOPS) ? def : (int)n;
}

static void test_model(void **state)
{
    int first = env_int("ARCS_LEDGER_MODEL_FIRST", 1);
    int seeds = env_int("ARCS_LEDGER_MODEL_SEEDS", 20);
    int nops = env_int("ARCS_LEDGER_MODEL_OPS", 10000);
    (void)state;
    for (int s = first; s < first + seeds; s++) {
        print_message("seed %d: %d operations\n", s, nops);
        run_seed((unsigned)s, nops);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_model)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
