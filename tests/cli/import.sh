# arcs import: awkward CSV, JSON equal to CSV, idempotence, dry run, files
# that are not what they claim, conflicts, problem lists.
. "$(dirname "$0")/lib.sh"

dir=$(mktemp -d)
trap 'rm -rf "$dir"; rm -f "$T_OUT" "$T_ERR"' EXIT

arcs db init --base-currency KZT >/dev/null || { fail "db init"; finish; exit 1; }

# --- awkward CSV: BOM, CRLF, Cyrillic, quoted commas, doubled quotes;
# header columns in another order than the documented one. (A newline inside
# a text field is a control character and is refused: input_limits.sh.)
printf '\xEF\xBB\xBFtitle,ref,route,offences,opened,jurisdictions\r\n' >"$dir/cases.csv"
printf '"Алматы, ""Esentai"" tower, second line",KZ-2024-001,criminal,money_laundering;bribery,2024-01-15,victim:KZ;holding:AT\r\n' >>"$dir/cases.csv"
printf 'Қазақстан,KZ-2024-002,non_conviction,,2023-12-31,\r\n' >>"$dir/cases.csv"
printf '\xEF\xBB\xBFcase_ref,external_ref,kind,description,country,value,currency,valued_on\r\n' >"$dir/assets.csv"
printf 'KZ-2024-001,A-1,real_estate,"Flat, Алматы ""Dostyk""",KZ,1250000.50,KZT,2024-02-01\r\n' >>"$dir/assets.csv"
printf 'KZ-2024-001,A-2,bank_account,"IBAN: LI21 0881 0000 2324 013A A",LI,80000000,USD,2024-03-05\r\n' >>"$dir/assets.csv"
printf 'KZ-2024-002,A-3,cash,Қазақстан теңгесі,KZ,,,\r\n' >>"$dir/assets.csv"
printf 'KZ-2024-002,A-4,securities,Bonds,JP,1500,JPY,2024-04-30\r\n' >>"$dir/assets.csv"

expect_exit 0 "import the awkward cases file" arcs import "$dir/cases.csv"
expect_eq "imported 2 new cases, 0 new assets (0 already present)" "$OUT" "cases import summary"
expect_exit 0 "import the awkward assets file" arcs import --json "$dir/assets.csv"
expect_match '"assets_new":"4"' "$OUT" "4 new assets"
expect_match '"valuations_new":"3"' "$OUT" "3 valuations"

want_title='Алматы, "Esentai" tower, second line'
expect_eq "$want_title" "$(sql "SELECT title FROM arcs.cases WHERE ref = 'KZ-2024-001'")" \
    "quoted title keeps its commas and doubled quotes"
expect_eq "criminal|{bribery,money_laundering}|2024-01-15" \
    "$(sql "SELECT route, offences::text, opened_on FROM arcs.cases WHERE ref = 'KZ-2024-001'")" \
    "route, offences, opened"
expect_eq "holding:AT,victim:KZ" \
    "$(sql "SELECT string_agg(role || ':' || country, ',' ORDER BY role) FROM arcs.case_jurisdictions j JOIN arcs.cases c ON c.id = j.case_id WHERE c.ref = 'KZ-2024-001'")" \
    "jurisdictions"
expect_eq "Қазақстан|non_conviction|{}" \
    "$(sql "SELECT title, route, offences::text FROM arcs.cases WHERE ref = 'KZ-2024-002'")" \
    "Cyrillic title, empty offences"
expect_eq 'Flat, Алматы "Dostyk"|KZ|125000050|KZT|2024-02-01' \
    "$(sql "SELECT a.description, a.country, v.amount, v.currency, v.valued_on FROM arcs.assets a JOIN arcs.valuations v ON v.asset_id = a.id WHERE a.external_ref = 'A-1'")" \
    "asset A-1 exact values (amount in tiyn)"
want_desc='IBAN: LI21 0881 0000 2324 013A A'
expect_eq "$want_desc" "$(sql "SELECT description FROM arcs.assets WHERE external_ref = 'A-2'")" \
    "a quoted field kept as written"
expect_eq "8000000000|USD" \
    "$(sql "SELECT v.amount, v.currency FROM arcs.assets a JOIN arcs.valuations v ON v.asset_id = a.id WHERE a.external_ref = 'A-2'")" \
    "USD amount in cents"
expect_eq "Қазақстан теңгесі|0|identified" \
    "$(sql "SELECT a.description, (SELECT count(*) FROM arcs.valuations v WHERE v.asset_id = a.id), a.state FROM arcs.assets a WHERE a.external_ref = 'A-3'")" \
    "asset without a valuation"
expect_eq "1500" "$(sql "SELECT v.amount FROM arcs.assets a JOIN arcs.valuations v ON v.asset_id = a.id WHERE a.external_ref = 'A-4'")" \
    "JPY has no minor unit"

# --- the same files again: nothing new
before=$(db_digest)
counts=$(sql 'SELECT (SELECT count(*) FROM arcs.cases), (SELECT count(*) FROM arcs.assets), (SELECT count(*) FROM arcs.valuations)')
expect_exit 0 "cases again" arcs import "$dir/cases.csv"
expect_eq "imported 0 new cases, 0 new assets (2 already present)" "$OUT" "second cases import says so"
expect_exit 0 "assets again" arcs import "$dir/assets.csv"
expect_eq "imported 0 new cases, 0 new assets (4 already present)" "$OUT" "second assets import says so"
expect_eq "$counts" "$(sql 'SELECT (SELECT count(*) FROM arcs.cases), (SELECT count(*) FROM arcs.assets), (SELECT count(*) FROM arcs.valuations)')" \
    "counts unchanged"
expect_eq "$before" "$(db_digest)" "digest unchanged by the repeated import"

# --- JSON equivalent to the CSV files gives the same business rows
cat >"$dir/all.json" <<'JSON'
{"cases": [
  {"ref": "KZ-2024-001", "title": "\u0410\u043b\u043c\u0430\u0442\u044b, \"Esentai\" tower, second line",
   "route": "criminal", "offences": ["bribery", "money_laundering"], "opened": "2024-01-15",
   "jurisdictions": "holding:AT;victim:KZ"},
  {"ref": "KZ-2024-002", "title": "Қазақстан", "route": "non_conviction", "offences": [],
   "opened": "2023-12-31", "jurisdictions": null}
 ],
 "assets": [
  {"case_ref": "KZ-2024-001", "external_ref": "A-1", "kind": "real_estate",
   "description": "Flat, Алматы \"Dostyk\"", "country": "KZ", "value": "1250000.50",
   "currency": "KZT", "valued_on": "2024-02-01"},
  {"external_ref": "A-2", "case_ref": "KZ-2024-001", "kind": "bank_account",
   "description": "IBAN: LI21 0881 0000 2324 013A A", "country": "LI", "value": "80000000",
   "currency": "USD", "valued_on": "2024-03-05"},
  {"case_ref": "KZ-2024-002", "external_ref": "A-3", "kind": "cash",
   "description": "Қазақстан теңгесі", "country": "KZ"},
  {"case_ref": "KZ-2024-002", "external_ref": "A-4", "kind": "securities",
   "description": "Bonds", "country": "JP", "value": "1500", "currency": "JPY",
   "valued_on": "2024-04-30"}
 ]}
JSON
business() {
    psql -X -Atq "$@" <<'SQL'
SELECT c.ref, c.title, c.route, c.offences::text, c.opened_on, c.status,
       coalesce((SELECT string_agg(j.role || ':' || j.country, ';' ORDER BY j.role, j.country)
                 FROM arcs.case_jurisdictions j WHERE j.case_id = c.id), '')
FROM arcs.cases c ORDER BY c.ref;
SELECT a.external_ref, c.ref, a.kind, a.description, a.country, a.state,
       coalesce((SELECT string_agg(v.amount || ' ' || v.currency || ' ' || v.valued_on || ' ' || v.method, ';' ORDER BY v.valued_on)
                 FROM arcs.valuations v WHERE v.asset_id = a.id), '')
FROM arcs.assets a JOIN arcs.cases c ON c.id = a.case_id ORDER BY a.external_ref;
SQL
}
createdb arcs_json || fail "createdb"
expect_exit 0 "db init of the second database" arcs --db dbname=arcs_json db init --base-currency KZT
expect_exit 0 "import the JSON file" arcs --db dbname=arcs_json import "$dir/all.json"
expect_eq "imported 2 new cases, 4 new assets (0 already present)" "$OUT" "JSON import summary"
csv_rows=$(business -d arcs)
expect_eq "6" "$(printf '%s\n' "$csv_rows" | grep -c '^[AK][Z-]')" "the canonical dump holds 6 rows"
expect_eq "$csv_rows" "$(business -d arcs_json)" "JSON and CSV give the same business rows"

# --- dry run writes nothing
printf 'ref,title,route,offences,opened,jurisdictions\nKZ-2025-009,Dry,civil,,2025-01-01,\n' >"$dir/dry.csv"
before=$(db_digest)
expect_exit 0 "dry run" arcs import --dry-run "$dir/dry.csv"
expect_eq "dry run: would import 1 new case, 0 new assets (0 already present); nothing written" "$OUT" "dry run says what it would do"
expect_eq "$before" "$(db_digest)" "dry run changed nothing"
expect_eq "0" "$(sql "SELECT count(*) FROM arcs.cases WHERE ref = 'KZ-2025-009'")" "no case from the dry run"

# --- files that are not what they claim: one line, exit 2, nothing written
printf '\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01' >"$dir/photo.csv"
expect_exit 2 "a PNG renamed .csv" arcs import "$dir/photo.csv"
expect_match "photo.csv is not a CSV or JSON text file" "$ERR" "PNG: names the problem"
printf '[{"ref": "X"}]' >"$dir/list.json"
expect_exit 2 "JSON with a wrong top-level shape" arcs import "$dir/list.json"
expect_match "top level must be an object" "$ERR" "wrong shape: names the problem"
printf '{"cases": {"ref": "X"}}' >"$dir/obj.json"
expect_exit 2 "JSON section that is not an array" arcs import "$dir/obj.json"
printf 'name,amount\nx,1\n' >"$dir/other.csv"
expect_exit 2 "an unknown header" arcs import "$dir/other.csv"
expect_match "unknown header column 'name'" "$ERR" "unknown header named"
printf 'ref,title,route,offences,opened\nX,Y,civil,,2024-01-01\n' >"$dir/short.csv"
expect_exit 2 "a header without a column" arcs import "$dir/short.csv"
expect_match "no column 'jurisdictions'" "$ERR" "missing column named"
: >"$dir/empty.csv"
expect_exit 2 "an empty file" arcs import "$dir/empty.csv"
expect_exit 2 "a missing file" arcs import "$dir/nope.csv"
printf '{"assets": [{"case_ref": "KZ-2024-001", "external_ref": "N-1", "kind": "cash", "description": "d", "country": "KZ", "value": 100, "currency": "KZT", "valued_on": "2024-01-01"}]}' >"$dir/num.json"
expect_exit 2 "a JSON number for an amount" arcs import "$dir/num.json"
expect_match "assets\[0\]\.value: a JSON number" "$ERR" "JSON number named by index and field"
printf 'ref,title,route,offences,opened,jurisdictions\nX,"open\n' >"$dir/open.csv"
expect_exit 2 "an unterminated quote" arcs import "$dir/open.csv"
expect_match "line 2: a quoted field is never closed" "$ERR" "unterminated quote named by line"
expect_exit 2 "no FILE" arcs import
expect_exit 2 "two files" arcs import "$dir/cases.csv" "$dir/assets.csv"
expect_eq "$before" "$(db_digest)" "nothing written by any refused file"

# --- problems are listed after one summary line; line numbers count quoted newlines
{
    printf 'case_ref,external_ref,kind,description,country,value,currency,valued_on\n'
    printf 'KZ-2024-001,B-1,cash,"two\nlines",KZ,1.234,KZT,2024-01-01\n'
    printf 'KZ-2024-001,B-2,boat,x,KZ,,,\n'
    printf 'KZ-2024-001,B-3,cash,x,QQ,5,XXX,2024-13-01\n'
    printf 'KZ-2024-001,B-4,cash,x,KZ,5,KZT\n'
} >"$dir/bad.csv"
run arcs import "$dir/bad.csv"
expect_eq 2 "$RC" "bad rows: exit 2"
expect_eq "arcs: import: 7 problems in bad.csv, nothing imported; first: line 2, field description: description holds a control character (U+000A); give it as printable text on one line" \
    "$(printf '%s\n' "$ERR" | head -n 1)" "summary line names the first problem (the quoted newline)"
expect_match "line 2, field value: amount '1.234' has 3 decimals; this currency allows 2" "$ERR" "too many decimals"
expect_match "line 4, field kind: asset kind 'boat'" "$ERR" "line 4 (after a quoted newline) kind"
expect_match "line 5, field country: country 'QQ'" "$ERR" "unknown country"
expect_match "line 5, field currency: currency 'XXX'" "$ERR" "unknown currency"
expect_match "line 5, field valued_on: " "$ERR" "impossible date"
expect_match "line 6: 7 fields, the header has 8" "$ERR" "short record"
expect_eq 8 "$(printf '%s\n' "$ERR" | grep -c '')" "summary plus one line per problem"

# more than 100 problems: capped with a count of the rest
{
    printf 'case_ref,external_ref,kind,description,country,value,currency,valued_on\n'
    for i in $(seq 1 150); do printf 'KZ-2024-001,C-%d,cash,x,KZ,-5,KZT,2024-01-01\n' "$i"; done
} >"$dir/many.csv"
run arcs import "$dir/many.csv"
expect_eq 2 "$RC" "150 bad rows: exit 2"
expect_match "^arcs: import: 150 problems in many.csv" "$ERR" "150 problems counted"
expect_eq "  ... and 50 more problems" "$(printf '%s\n' "$ERR" | tail -n 1)" "list capped at 100"
expect_eq 102 "$(printf '%s\n' "$ERR" | grep -c '')" "summary, 100 problems, the rest counted"

# case refs must exist in the database or in the same file; duplicates must agree
printf 'case_ref,external_ref,kind,description,country,value,currency,valued_on\nNO-SUCH,D-1,cash,x,KZ,,,\n' >"$dir/orphan.csv"
expect_exit 2 "an asset of an unknown case" arcs import "$dir/orphan.csv"
expect_match "line 2, field case_ref: no case 'NO-SUCH'" "$ERR" "unknown case named"
printf '{"cases": [{"ref": "NEW-1", "title": "New"}], "assets": [{"case_ref": "NEW-1", "external_ref": "D-2", "kind": "art", "description": "Painting", "country": "FR"}, {"case_ref": "NEW-1", "external_ref": "D-2", "kind": "art", "description": "Other painting", "country": "FR"}]}' >"$dir/dup.json"
expect_exit 2 "the same key twice with different content" arcs import "$dir/dup.json"
expect_match "assets\[0\]\.external_ref: asset 'D-2' appears again at assets\[1\]" "$ERR" "duplicate named"
printf '{"cases": [{"ref": "NEW-1", "title": "New"}], "assets": [{"case_ref": "NEW-1", "external_ref": "D-2", "kind": "art", "description": "Painting", "country": "FR"}, {"case_ref": "NEW-1", "external_ref": "D-2", "kind": "art", "description": "Painting", "country": "FR"}]}' >"$dir/same.json"
expect_exit 0 "the same row twice is one row" arcs import "$dir/same.json"
expect_eq "imported 1 new case, 1 new asset (0 already present)" "$OUT" "asset of a case in the same file"

# a key already recorded with different content: exit 4, nothing written
before=$(db_digest)
printf 'case_ref,external_ref,kind,description,country,value,currency,valued_on\nKZ-2024-001,A-9,cash,new,KZ,,,\nKZ-2024-001,A-1,real_estate,"Flat, Алматы ""Dostyk""",KZ,999.00,KZT,2024-02-01\n' >"$dir/conflict.csv"
expect_exit 4 "a changed valuation for a recorded asset" arcs import "$dir/conflict.csv"
expect_match "asset 'A-1' \(line 3\) is already recorded with different content" "$ERR" "conflict names the key and line"
printf 'ref,title,route,offences,opened,jurisdictions\nKZ-2024-002,Another title,non_conviction,,2023-12-31,\n' >"$dir/conflict_case.csv"
expect_exit 4 "a changed case title" arcs import "$dir/conflict_case.csv"
expect_match "case 'KZ-2024-002'" "$ERR" "case conflict named"
expect_eq "$before" "$(db_digest)" "nothing written by a refused conflict"
expect_eq "0" "$(sql "SELECT count(*) FROM arcs.assets WHERE external_ref = 'A-9'")" "the valid row of a refused file is not written"
finish
