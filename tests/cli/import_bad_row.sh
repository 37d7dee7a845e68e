# arcs import: one bad row among 100,000 rejects the whole file, names its
# line and field, and leaves the database exactly as it was.
. "$(dirname "$0")/lib.sh"

dir=$(mktemp -d)
trap 'rm -rf "$dir"; rm -f "$T_OUT" "$T_ERR"' EXIT

arcs db init --base-currency KZT >/dev/null || { fail "db init"; finish; exit 1; }

# 1,000 cases; 100,000 assets, 100 per case. Line 1 is the header, so data
# row n is on line n + 1: the bad value sits on line 50,001.
awk 'BEGIN { print "ref,title,route,offences,opened,jurisdictions";
             for (i = 1; i <= 1000; i++)
                 printf "ARC-%04d,Case %d,criminal,bribery;money_laundering,2024-01-15,victim:KZ\n", i, i }' \
    >"$dir/cases.csv"
gen_assets() {
    awk -v bad="$1" 'BEGIN { print "case_ref,external_ref,kind,description,country,value,currency,valued_on";
        for (i = 1; i <= 100000; i++) {
            v = sprintf("%d.%02d", 1000 + i, i % 100)
            if (i + 1 == bad) v = "1.2.3"
            printf "ARC-%04d,EXT-%06d,real_estate,\"Flat %d, Astana\",KZ,%s,KZT,2024-03-01\n", (i - 1) % 1000 + 1, i, i, v
        } }'
}
gen_assets 50001 >"$dir/assets_bad.csv"
gen_assets 0 >"$dir/assets.csv"

expect_exit 0 "import the cases" arcs import "$dir/cases.csv"
expect_eq "1000" "$(sql 'SELECT count(*) FROM arcs.cases')" "1,000 cases recorded"
before=$(db_digest)

run arcs import "$dir/assets_bad.csv"
expect_eq 2 "$RC" "one bad row: exit 2"
expect_match "^arcs: import: 1 problem in assets_bad.csv, nothing imported: line 50001, field value: amount '1.2.3'" \
    "$ERR" "the message names line 50,001 and the field value"
expect_eq 1 "$(printf '%s' "$ERR" | grep -c '')" "a single problem is a single line"
expect_eq "0" "$(sql 'SELECT count(*) FROM arcs.assets')" "no asset recorded"
expect_eq "$before" "$(db_digest)" "database unchanged after the refused file"

# the same rows with a valid value import whole
expect_exit 0 "the corrected file imports" arcs import --json "$dir/assets.csv"
expect_match '"assets_new":"100000"' "$OUT" "100,000 new assets reported"
expect_eq "100000|100000" "$(sql 'SELECT (SELECT count(*) FROM arcs.assets), (SELECT count(*) FROM arcs.valuations)')" \
    "100,000 assets and valuations recorded"
expect_eq "EXT-050000|ARC-1000|5100000|KZT" \
    "$(sql "SELECT a.external_ref, c.ref, v.amount, v.currency FROM arcs.assets a JOIN arcs.cases c ON c.id = a.case_id JOIN arcs.valuations v ON v.asset_id = a.id WHERE a.external_ref = 'EXT-050000'")" \
    "row 50,000 holds its exact values"
finish
