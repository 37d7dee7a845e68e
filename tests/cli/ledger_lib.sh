# Test data for the ledger tests, set up with SQL so they do not depend on
# the case and asset commands. Source after lib.sh.

# ledger_setup: schema with base KZT, two cases, a confiscation decision and
# an allocation decision.
ledger_setup() {
    arcs db init --base-currency KZT >/dev/null || { echo "db init failed"; exit 1; }
    sql "INSERT INTO arcs.cases (ref, title) VALUES ('ARC-A', 'case A'), ('ARC-B', 'case B'), ('ARC-C', 'case C')"
    sql "INSERT INTO arcs.case_jurisdictions (case_id, role, country) SELECT id, 'victim', 'KZ' FROM arcs.cases"
    sql "INSERT INTO arcs.case_jurisdictions (case_id, role, country) SELECT id, 'holding', 'AT' FROM arcs.cases WHERE ref = 'ARC-B'"
    sql "INSERT INTO arcs.decisions (case_id, kind, ref, issuer, issued_on) VALUES
         (NULL, 'confiscation', 'CONF-1', 'court', '2024-01-01'),
         (NULL, 'seizure', 'SEIZ-1', 'court', '2024-01-01'),
         (NULL, 'allocation', 'ALLOC-1', 'government', '2024-01-01'),
         (NULL, 'allocation', 'ALLOC-2', 'government', '2024-01-01')"
}

# mkasset CASE_REF COUNTRY STATE: a cash asset moved to STATE
# (confiscated, seized, realized_conf, realized_seized); prints its id.
mkasset() {
    local id
    id=$(sql "INSERT INTO arcs.assets (case_id, kind, description, country)
              SELECT id, 'cash', 'cash', '$2' FROM arcs.cases WHERE ref = '$1' RETURNING id" | head -n 1)
    move() {
        sql "INSERT INTO arcs.asset_transitions (asset_id, from_state, to_state, decision_id, on_date, amount, currency)
             VALUES ($id, '$1', '$2', (SELECT id FROM arcs.decisions WHERE ref = '$3'), '2024-01-02', $4, $5)" >/dev/null
    }
    case $3 in
    confiscated) move identified confiscated CONF-1 NULL NULL ;;
    seized) move identified seized SEIZ-1 NULL NULL ;;
    realized_conf) move identified confiscated CONF-1 NULL NULL; move confiscated realized CONF-1 100 "'KZT'" ;;
    realized_seized) move identified seized SEIZ-1 NULL NULL; move seized realized SEIZ-1 100 "'KZT'" ;;
    esac
    echo "$id"
}

# jget KEY: a string member of the JSON document in $OUT.
jget() {
    printf '%s' "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d.get(sys.argv[1], ""))' "$1"
}

# balance_is "received deducted escrow allocated disbursed available": checks
# fund balance --json figure by figure.
balance_is() {
    local want=($1) keys=(received deducted escrow allocated disbursed available) got i
    run arcs fund balance --json
    read -r -a got < <(printf '%s' "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(" ".join(str(d.get(k, "-")) for k in sys.argv[1:]))' "${keys[@]}")
    for i in 0 1 2 3 4 5; do
        expect_eq "${want[$i]}" "${got[$i]:-}" "$2: ${keys[$i]}"
    done
}
