/* The C life cycle table against SPEC §1, written out here independently. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "arcs/asset.h"

static const char *const names[ARCS_ASSET_NSTATES] = {
    "identified",          "frozen",          "seized",    "confiscated", "realized",
    "transferred_in_kind", "returned_abroad", "destroyed", "released"};

/* SPEC §1, "Asset states": 1 where the row's state may go to the column's. */
static const int spec[ARCS_ASSET_NSTATES][ARCS_ASSET_NSTATES] = {
    /*                  ide fro sei con rea tik ret des rel */
    /* identified  */ {0, 1, 1, 1, 0, 0, 0, 0, 1},
    /* frozen      */ {0, 0, 1, 1, 0, 0, 0, 0, 1},
    /* seized      */ {0, 0, 0, 1, 1, 0, 0, 0, 1},
    /* confiscated */ {0, 1, 0, 0, 1, 1, 1, 1, 0},
    /* realized    */ {0, 0, 0, 0, 0, 0, 0, 0, 0},
    /* transf.     */ {0, 0, 0, 0, 0, 0, 0, 0, 0},
    /* returned    */ {0, 0, 0, 0, 0, 0, 0, 0, 0},
    /* destroyed   */ {0, 0, 0, 0, 0, 0, 0, 0, 0},
    /* released    */ {0, 0, 0, 0, 0, 0, 0, 0, 0},
};

static void all_81_pairs_match_spec(void **state)
{
    int checked = 0;

    (void)state;
    for (int f = 0; f < ARCS_ASSET_NSTATES; f++) {
        for (int t = 0; t < ARCS_ASSET_NSTATES; t++) {
            int got = arcs_asset_move_allowed((arcs_asset_state)f, (arcs_asset_state)t);
            if (got != spec[f][t])
                fail_msg("%s -> %s: table says %d, SPEC §1 says %d", names[f], names[t],
                         got, spec[f][t]);
            checked++;
        }
    }
    assert_int_equal(checked, 81);
}

static void names_round_trip(void **state)
{
    (void)state;
    for (int i = 0; i < ARCS_ASSET_NSTATES; i++) {
        arcs_asset_state s = ARCS_ASSET_RELEASED;
        assert_string_equal(arcs_asset_state_name((arcs_asset_state)i), names[i]);
        assert_int_equal(arcs_asset_state_parse(&s, names[i], NULL), ARCS_OK);
        assert_int_equal((int)s, i);
    }
    assert_null(arcs_asset_state_name((arcs_asset_state)9));
    assert_null(arcs_asset_state_name((arcs_asset_state)-1));
}

static void unknown_states_refused(void **state)
{
    static const char *const bad[] = {"gone",    "",         "Frozen",
                                      "frozen ", "realised", "identified\n"};
    arcs_asset_state s = ARCS_ASSET_FROZEN;
    arcs_err err;

    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        arcs_err_clear(&err);
        assert_int_equal(arcs_asset_state_parse(&s, bad[i], &err), ARCS_EINVAL);
        assert_int_equal(err.code, ARCS_EINVAL);
        assert_non_null(strstr(err.msg, "unknown asset state"));
        assert_int_equal((int)s, ARCS_ASSET_FROZEN);
    }
    assert_int_equal(arcs_asset_state_parse(&s, NULL, NULL), ARCS_EINVAL);
}

static void out_of_range_never_allowed(void **state)
{
    (void)state;
    assert_int_equal(arcs_asset_move_allowed((arcs_asset_state)-1, ARCS_ASSET_FROZEN), 0);
    assert_int_equal(arcs_asset_move_allowed(ARCS_ASSET_IDENTIFIED, (arcs_asset_state)9),
                     0);
}

static void finals_and_allowed_text(void **state)
{
    char buf[160];

    (void)state;
    for (int i = 0; i < ARCS_ASSET_NSTATES; i++) {
        int any = 0;
        for (int t = 0; t < ARCS_ASSET_NSTATES; t++)
            any |= spec[i][t];
        assert_int_equal(arcs_asset_state_final((arcs_asset_state)i), !any);
    }
    arcs_asset_moves_text(buf, sizeof(buf), ARCS_ASSET_FROZEN);
    assert_string_equal(buf, "seized, confiscated, released");
    arcs_asset_moves_text(buf, sizeof(buf), ARCS_ASSET_CONFISCATED);
    assert_string_equal(buf, "frozen, realized, transferred_in_kind, returned_abroad, "
                             "destroyed");
    arcs_asset_moves_text(buf, sizeof(buf), ARCS_ASSET_RELEASED);
    assert_string_equal(buf, "none (released is final)");
    /* a short buffer is truncated, never overrun */
    arcs_asset_moves_text(buf, 8, ARCS_ASSET_IDENTIFIED);
    assert_int_equal(strlen(buf), 7);
}

static void kinds_and_methods(void **state)
{
    static const char *const kinds[] = {"real_estate",    "bank_account",    "securities",
                                        "company_shares", "vehicle",         "cash",
                                        "crypto",         "precious_metals", "art",
                                        "other"};
    arcs_err err;

    (void)state;
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        assert_int_equal(arcs_asset_kind_check(kinds[i], NULL), ARCS_OK);
    assert_int_equal(arcs_asset_kind_check("house", &err), ARCS_EINVAL);
    assert_non_null(strstr(err.msg, "'house'"));
    assert_int_equal(arcs_asset_kind_check(NULL, NULL), ARCS_EINVAL);
    assert_int_equal(arcs_valuation_method_check("appraisal", NULL), ARCS_OK);
    assert_int_equal(arcs_valuation_method_check("sale", NULL), ARCS_OK);
    assert_int_equal(arcs_valuation_method_check("guess", &err), ARCS_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(all_81_pairs_match_spec),
        cmocka_unit_test(names_round_trip),
        cmocka_unit_test(unknown_states_refused),
        cmocka_unit_test(out_of_range_never_allowed),
        cmocka_unit_test(finals_and_allowed_text),
        cmocka_unit_test(kinds_and_methods),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
