# One asset through its legal life, then illegal moves refused by the CLI,
# the library and the database alike, each leaving every row as it was.
. "$(dirname "$0")/lib.sh"

jqr() { printf '%s' "$OUT" | jq -r "$1"; }

expect_exit 0 "init" arcs db init --base-currency KZT
sql "INSERT INTO arcs.cases (ref, title) VALUES ('ARC-2025-0042', 'Music school funds'),
     ('ARC-2025-0099', 'Another case')"
dec() { # REF KIND DATE [CASE]
    sql "INSERT INTO arcs.decisions (case_id, kind, ref, issuer, issued_on)
         SELECT id, '$2', '$1', 'Astana city court', '$3' FROM arcs.cases
         WHERE ref = '${4:-ARC-2025-0042}'"
}
dec FRZ-1 freeze 2024-02-01
dec CONF-1 confiscation 2024-06-01
dec SALE-1 confiscation 2024-09-01
dec REL-1 release 2024-03-01
dec OTHER-1 freeze 2024-02-01 ARC-2025-0099

# --- the whole life: identified -> frozen -> confiscated -> realized ---
expect_exit 0 "asset add" arcs asset add ARC-2025-0042 --kind real_estate \
    --desc "Villa in Vienna" --country AT --value 1250000.00 USD --valued-on 2024-01-05 \
    --method appraisal --identifiers "EZ 1234 KG 01004" --custodian "Bezirksgericht"
A=$OUT
expect_match '^[0-9]+$' "$A" "asset add prints the numeric id"

expect_exit 0 "show new asset" arcs asset show "$A" --json
expect_eq "$A" "$(jqr .id)" "show: id is the printed one, as a string"
expect_eq identified "$(jqr .state)" "a new asset is identified"
expect_eq 0 "$(jqr '.history | length')" "a new asset has no history"
expect_eq "1250000.00" "$(jqr '.valuations[0].amount')" "valuation amount is a decimal string"
expect_eq "string" "$(jqr '.valuations[0].amount | type')" "valuation amount is not a JSON number"
expect_eq "USD appraisal 2024-01-05" \
    "$(jqr '.valuations[0] | "\(.currency) \(.method) \(.valued_on)"')" "valuation fields"

expect_exit 0 "identified -> frozen" arcs asset transition "$A" frozen --decision FRZ-1 \
    --date 2024-02-01 --note "freezing order"
expect_exit 0 "show after freeze" arcs asset show "$A" --json
expect_eq "frozen 1" "$(jqr '"\(.state) \(.history | length)"')" "frozen, one history entry"
expect_eq "identified frozen FRZ-1 2024-02-01 postgres" \
    "$(jqr '.history[0] | "\(.from) \(.to) \(.decision) \(.date) \(.actor)"')" \
    "history[0]: from, to, decision, date, actor = database user"
expect_eq "2024-02-01" "$(jqr .state_since)" "state_since is the transition date"

expect_exit 0 "frozen -> confiscated (with --actor)" arcs --actor aliya.analyst \
    asset transition "$A" confiscated --decision CONF-1 --date 2024-06-01
expect_exit 0 "show after confiscation" arcs asset show "$A" --json
expect_eq "confiscated 2" "$(jqr '"\(.state) \(.history | length)"')" "confiscated, two entries"
expect_eq "frozen confiscated CONF-1 2024-06-01 aliya.analyst postgres" \
    "$(jqr '.history[1] | "\(.from) \(.to) \(.decision) \(.date) \(.actor) \(.db_user)"')" \
    "history[1]: the application actor and the database user"

expect_exit 0 "confiscated -> realized with proceeds" arcs asset transition "$A" realized \
    --decision SALE-1 --date 2024-09-01 --amount 1300000.50 USD --json
expect_eq "realized 3" "$(jqr '"\(.state) \(.history | length)"')" "--json prints the moved asset"
expect_exit 0 "show after sale" arcs asset show "$A" --json
expect_eq "confiscated realized SALE-1 2024-09-01 1300000.50 USD" \
    "$(jqr '.history[2] | "\(.from) \(.to) \(.decision) \(.date) \(.amount) \(.currency)"')" \
    "history[2] records the realized amount"
expect_eq 3 "$(sql "SELECT count(*) FROM arcs.asset_transitions WHERE asset_id = $A")" \
    "three rows of history in the database"

# Assets in the other states the illegal moves start from.
add() {
    arcs asset add ARC-2025-0042 --kind cash --desc "$1" --country KZ
}
B=$(add "frozen one")
arcs asset transition "$B" frozen --decision FRZ-1 --date 2024-02-01 >/dev/null
C=$(add "released one")
arcs asset transition "$C" released --decision REL-1 --date 2024-03-01 >/dev/null
D=$(add "identified one")
E=$(add "seized one")
arcs asset transition "$E" seized --decision FRZ-1 --date 2024-02-01 >/dev/null
expect_eq "frozen released identified seized" \
    "$(sql "SELECT string_agg(state, ' ' ORDER BY id) FROM arcs.assets WHERE id IN ($B, $C, $D, $E)")" \
    "fixtures are in their states"

# --- illegal moves through the CLI: exit 4, one line, nothing written ---
before=$(db_digest)
illegal() { # WHAT ASSET STATE [ARGS]
    local what=$1
    shift
    expect_exit 4 "refused: $what" arcs asset transition "$@" --decision CONF-1 --date 2024-10-01
    expect_eq "$before" "$(db_digest)" "nothing written: $what"
}
illegal "frozen -> realized" "$B" realized --amount 10.00 USD
expect_eq "arcs: asset transition: illegal transition: asset $B is frozen and cannot become realized; allowed: seized, confiscated, released" \
    "$ERR" "the message names the states and what is allowed"
illegal "released -> frozen" "$C" frozen
expect_match "released is final" "$ERR" "a final state says so"
illegal "realized -> confiscated" "$A" confiscated
illegal "identified -> realized" "$D" realized --amount 5 USD
illegal "seized -> frozen" "$E" frozen
illegal "realized -> realized" "$A" realized --amount 1.00 USD
illegal "identified -> identified" "$D" identified
expect_exit 4 "a decision of another case is refused" \
    arcs asset transition "$D" frozen --decision OTHER-1 --date 2024-02-01
expect_eq "$before" "$(db_digest)" "nothing written: decision of another case"
expect_exit 3 "unknown decision" arcs asset transition "$D" frozen --decision NOPE-7 --date 2024-02-01
expect_match "decision 'NOPE-7' not found" "$ERR" "names the missing decision"
expect_eq "$before" "$(db_digest)" "nothing written: unknown decision"
expect_exit 3 "unknown asset" arcs asset transition 999999 frozen --decision FRZ-1 --date 2024-02-01
expect_eq "$before" "$(db_digest)" "nothing written: unknown asset"
expect_exit 3 "show unknown asset" arcs asset show 999999

# --- the history stays in date order and follows its decisions ---
expect_exit 4 "a transition dated before the current state began" \
    arcs asset transition "$B" seized --decision FRZ-1 --date 2024-01-31
expect_eq "arcs: asset transition: asset $B has been frozen since 2024-02-01; a transition dated 2024-01-31 would come before that; give a date on or after 2024-02-01" \
    "$ERR" "the message names the state's date and the date refused"
expect_eq "$before" "$(db_digest)" "nothing written: transition out of date order"
expect_exit 4 "a transition dated before its decision was issued" \
    arcs asset transition "$D" frozen --decision FRZ-1 --date 2024-01-31
expect_eq "arcs: asset transition: decision 'FRZ-1' was issued on 2024-02-01; a transition under it cannot be dated 2024-01-31" \
    "$ERR" "the message names the decision's date"
expect_eq "$before" "$(db_digest)" "nothing written: transition before its decision"

# --- the database refuses too, whatever the client ---
refused_sql() { # WHAT SQL
    run psql -X -v ON_ERROR_STOP=1 -Atq -c "$2"
    if [ "$RC" != 0 ]; then pass "database refuses: $1"; else fail "database accepted: $1"; fi
    expect_match "refused|illegal transition|is identified, not|is frozen, not|would come before|was issued on" "$ERR" \
        "the database says why: $1"
    expect_eq "$before" "$(db_digest)" "nothing written: $1"
}
did() { echo "(SELECT id FROM arcs.decisions WHERE ref = '$1')"; }
for mode in origin replica; do
    pre="SET session_replication_role = $mode;"
    refused_sql "$mode: UPDATE frozen asset to realized" \
        "$pre UPDATE arcs.assets SET state = 'realized' WHERE id = $B"
    refused_sql "$mode: legal-looking UPDATE frozen -> seized without a transition" \
        "$pre UPDATE arcs.assets SET state = 'seized', state_since = '2024-05-01' WHERE id = $B"
    refused_sql "$mode: UPDATE with a forged arcs.transition setting" \
        "$pre SELECT set_config('arcs.transition', (SELECT max(id)::text FROM arcs.asset_transitions WHERE asset_id = $B), false); UPDATE arcs.assets SET state = 'seized', state_since = '2024-02-01' WHERE id = $B"
    refused_sql "$mode: INSERT an illegal transition frozen -> realized" \
        "$pre INSERT INTO arcs.asset_transitions (asset_id, from_state, to_state, decision_id, on_date, amount, currency) VALUES ($B, 'frozen', 'realized', $(did CONF-1), '2024-10-01', 100, 'USD')"
    refused_sql "$mode: INSERT a transition that lies about the current state" \
        "$pre INSERT INTO arcs.asset_transitions (asset_id, from_state, to_state, decision_id, on_date, amount, currency) VALUES ($B, 'confiscated', 'realized', $(did CONF-1), '2024-10-01', 100, 'USD')"
    refused_sql "$mode: INSERT a transition dated before the asset's state" \
        "$pre INSERT INTO arcs.asset_transitions (asset_id, from_state, to_state, decision_id, on_date) VALUES ($B, 'frozen', 'seized', $(did FRZ-1), '2024-01-31')"
    refused_sql "$mode: INSERT a transition dated before its decision" \
        "$pre INSERT INTO arcs.asset_transitions (asset_id, from_state, to_state, decision_id, on_date) VALUES ($B, 'frozen', 'confiscated', $(did CONF-1), '2024-05-31')"
    refused_sql "$mode: INSERT an asset born confiscated" \
        "$pre INSERT INTO arcs.assets (case_id, kind, description, country, state) SELECT id, 'cash', 'x', 'KZ', 'confiscated' FROM arcs.cases WHERE ref = 'ARC-2025-0042'"
    refused_sql "$mode: UPDATE of the history" \
        "$pre UPDATE arcs.asset_transitions SET to_state = 'released' WHERE asset_id = $A"
    refused_sql "$mode: DELETE of the history" \
        "$pre DELETE FROM arcs.asset_transitions WHERE asset_id = $A"
    refused_sql "$mode: TRUNCATE of the history" "$pre TRUNCATE arcs.asset_transitions"
    refused_sql "$mode: UPDATE of a valuation" \
        "$pre UPDATE arcs.valuations SET amount = 1 WHERE asset_id = $A"
    refused_sql "$mode: DELETE of a valuation" "$pre DELETE FROM arcs.valuations WHERE asset_id = $A"
done
expect_eq "ALWAYS" "$(sql "SELECT string_agg(DISTINCT CASE tgenabled WHEN 'A' THEN 'ALWAYS' ELSE tgenabled::text END, ',') FROM pg_trigger WHERE tgrelid IN ('arcs.assets'::regclass, 'arcs.asset_transitions'::regclass, 'arcs.valuations'::regclass) AND tgname IN ('asset_guard', 'asset_guard_insert', 'transition_apply', 'append_only', 'append_only_truncate')")" \
    "the life cycle triggers are ENABLE ALWAYS"

# A legal transition written straight in SQL is applied by the database itself.
sql "INSERT INTO arcs.asset_transitions (asset_id, from_state, to_state, decision_id, on_date) VALUES ($D, 'identified', 'frozen', $(did FRZ-1), '2024-02-02')"
expect_eq "frozen 2024-02-02" "$(sql "SELECT state || ' ' || state_since FROM arcs.assets WHERE id = $D")" \
    "a legal transition row moves the asset"

# --- valuations and lists ---
expect_exit 0 "a second valuation" arcs asset value "$B" --amount 5000000 KZT --date 2024-03-01 --method market --json
expect_eq "5000000.00 KZT market" "$(jqr '"\(.amount) \(.currency) \(.method)"')" "value --json echoes it"
expect_exit 0 "list frozen" arcs asset list --state frozen --json
expect_eq "$B,$D" "$(jqr '[.assets[].id] | join(",")')" "list --state frozen"
expect_eq "5000000.00" "$(jqr ".assets[] | select(.id == \"$B\") | .latest_valuation.amount")" \
    "list carries the latest valuation"
expect_exit 0 "list by country" arcs asset list --country AT --case ARC-2025-0042 --json
expect_eq "$A" "$(jqr '[.assets[].id] | join(",")')" "list --country AT --case"
expect_exit 0 "list as a table" arcs asset list --case ARC-2025-0042
expect_match "Villa in Vienna" "$OUT" "table lists the asset"
expect_exit 3 "list of an unknown case" arcs asset list --case NO-SUCH-CASE
expect_exit 0 "show as text" arcs asset show "$A"
expect_match "frozen -> confiscated +decision CONF-1 +by aliya.analyst" "$OUT" "text history"

# --- retry with the same external reference ---
expect_exit 0 "add with external ref" arcs asset add ARC-2025-0042 --kind vehicle --desc "Land Cruiser" \
    --country KZ --external-ref VIN-JTM123 --value 45000000 KZT --valued-on 2024-01-01
V=$OUT
before=$(db_digest)
expect_exit 0 "the same add again is a retry" arcs asset add ARC-2025-0042 --kind vehicle \
    --desc "Land Cruiser" --country KZ --external-ref VIN-JTM123 --value 45000000 KZT --valued-on 2024-01-01
expect_eq "$V" "$OUT" "a retry prints the existing id"
expect_eq "$before" "$(db_digest)" "a retry writes nothing"
expect_exit 4 "the same ref with other content is refused" arcs asset add ARC-2025-0042 \
    --kind vehicle --desc "Prado" --country KZ --external-ref VIN-JTM123
expect_eq "$before" "$(db_digest)" "a conflicting add writes nothing"
finish
