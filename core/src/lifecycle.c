/* The asset life cycle of SPEC §1 as a pure table; mirrors arcs.asset_moves. */
#include <stdio.h>
#include <string.h>

#include "arcs/asset.h"

static const char *const state_names[ARCS_ASSET_NSTATES] = {
    "identified",          "frozen",          "seized",    "confiscated", "realized",
    "transferred_in_kind", "returned_abroad", "destroyed", "released"};

/* moves[from][to]: rows and columns in arcs_asset_state order. */
static const unsigned char moves[ARCS_ASSET_NSTATES][ARCS_ASSET_NSTATES] = {
    /*                 id fr se co re ti ra de rl */
    /* identified  */ {0, 1, 1, 1, 0, 0, 0, 0, 1},
    /* frozen      */ {0, 0, 1, 1, 0, 0, 0, 0, 1},
    /* seized      */ {0, 0, 0, 1, 1, 0, 0, 0, 1},
    /* confiscated */ {0, 1, 0, 0, 1, 1, 1, 1, 0},
    /* realized    */ {0, 0, 0, 0, 0, 0, 0, 0, 0},
    /* transferred */ {0, 0, 0, 0, 0, 0, 0, 0, 0},
    /* returned    */ {0, 0, 0, 0, 0, 0, 0, 0, 0},
    /* destroyed   */ {0, 0, 0, 0, 0, 0, 0, 0, 0},
    /* released    */ {0, 0, 0, 0, 0, 0, 0, 0, 0},
};

static const char *const kinds[] = {
    "real_estate", "bank_account",    "securities", "company_shares", "vehicle", "cash",
    "crypto",      "precious_metals", "art",        "other",          NULL};

static const char *const methods[] = {"estimate", "appraisal", "market", "sale"};

static int valid_state(arcs_asset_state s)
{
    return (int)s >= 0 && (int)s < ARCS_ASSET_NSTATES;
}

arcs_status arcs_asset_state_parse(arcs_asset_state *out, const char *text, arcs_err *err)
{
    for (int i = 0; text && i < ARCS_ASSET_NSTATES; i++) {
        if (!strcmp(text, state_names[i])) {
            *out = (arcs_asset_state)i;
            return ARCS_OK;
        }
    }
    return arcs_err_set(err, ARCS_EINVAL,
                        "unknown asset state '%s'; use identified, frozen, seized, "
                        "confiscated, realized, transferred_in_kind, returned_abroad, "
                        "destroyed or released",
                        text ? text : "");
}

const char *arcs_asset_state_name(arcs_asset_state s)
{
    return valid_state(s) ? state_names[s] : NULL;
}

int arcs_asset_move_allowed(arcs_asset_state from, arcs_asset_state to)
{
    if (!valid_state(from) || !valid_state(to))
        return 0;
    return moves[from][to];
}

int arcs_asset_state_final(arcs_asset_state s)
{
    if (!valid_state(s))
        return 0;
    for (int i = 0; i < ARCS_ASSET_NSTATES; i++)
        if (moves[s][i])
            return 0;
    return 1;
}

void arcs_asset_moves_text(char *buf, size_t n, arcs_asset_state from)
{
    size_t used = 0;

    if (!n)
        return;
    buf[0] = '\0';
    if (!valid_state(from))
        return;
    if (arcs_asset_state_final(from)) {
        snprintf(buf, n, "none (%s is final)", state_names[from]);
        return;
    }
    for (int i = 0; i < ARCS_ASSET_NSTATES; i++) {
        int w;

        if (!moves[from][i] || used >= n)
            continue;
        w = snprintf(buf + used, n - used, "%s%s", used ? ", " : "", state_names[i]);
        if (w < 0)
            break;
        used += (size_t)w;
    }
}

static arcs_status check_word(const char *text, const char *const *words, size_t nwords,
                              const char *what, const char *valid, arcs_err *err)
{
    for (size_t i = 0; text && i < nwords; i++)
        if (!strcmp(text, words[i]))
            return ARCS_OK;
    return arcs_err_set(err, ARCS_EINVAL, "unknown %s '%s'; use %s", what,
                        text ? text : "", valid);
}

arcs_status arcs_asset_kind_check(const char *text, arcs_err *err)
{
    return check_word(text, kinds, sizeof(kinds) / sizeof(kinds[0]) - 1, "asset kind",
                      "real_estate, bank_account, securities, company_shares, vehicle, "
                      "cash, crypto, precious_metals, art or other",
                      err);
}

arcs_status arcs_valuation_method_check(const char *text, arcs_err *err)
{
    return check_word(text, methods, sizeof(methods) / sizeof(methods[0]),
                      "valuation method", "estimate, appraisal, market or sale", err);
}

const char *const *arcs_asset_kinds(void)
{
    return kinds;
}
