# arcs db init upgrades a database made by the previous schema version in
# place, keeping its data. Follows the binary: latest comes from db status.
. "$(dirname "$0")/lib.sh"

jget() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1], {"d": d}))' "$1"; }

expect_exit 0 "db status on an empty database" arcs db status --json
latest=$(printf '%s' "$OUT" | jget 'd["latest_version"]')
expect_match '^[0-9]+$' "$latest" "latest_version is a number"
prev=$((latest - 1))
if [ "$prev" -lt 2 ]; then
    fail "the binary carries only $latest migrations: nothing older holds cases"
    finish
    exit 1
fi

expect_exit 0 "init at the previous version $prev" arcs db init --base-currency KZT --to-version "$prev"
expect_exit 0 "db status" arcs db status --json
old=$(printf '%s' "$OUT" | jget 'd["schema_version"]')
if [ "$old" -ge 2 ] && [ "$old" -lt "$latest" ]; then pass "schema at version $old, older than $latest"; else fail "schema at $old after --to-version $prev"; fi

# Data the older schema can hold, written with plain SQL so that nothing a
# newer binary needs (audit tables, later columns) is assumed.
sql "INSERT INTO arcs.cases (ref, title, route, offences, opened_on)
     VALUES ('ARC-2019-0007', 'Austrian accounts', 'criminal', '{embezzlement,money_laundering}', '2019-03-04')"
sql "INSERT INTO arcs.case_jurisdictions (case_id, role, country)
     SELECT id, 'holding', 'AT' FROM arcs.cases WHERE ref = 'ARC-2019-0007'"
sql "INSERT INTO arcs.subjects (case_id, name, kind, role, country, id_number)
     SELECT id, 'R. Aliyev', 'person', 'defendant', 'KZ', '670101300111' FROM arcs.cases WHERE ref = 'ARC-2019-0007'"
sql "INSERT INTO arcs.decisions (case_id, kind, ref, issuer, issued_on, final_on)
     SELECT id, 'confiscation', 'AT-2020-77', 'Regional Court Vienna', '2020-05-06', '2020-09-01'
     FROM arcs.cases WHERE ref = 'ARC-2019-0007'"
snapshot() {
    sql "SELECT c.ref, c.title, c.route, c.offences, c.opened_on, c.status,
                j.role, j.country, s.name, s.id_number, d.ref, d.issued_on, d.final_on
         FROM arcs.cases c JOIN arcs.case_jurisdictions j ON j.case_id = c.id
         JOIN arcs.subjects s ON s.case_id = c.id JOIN arcs.decisions d ON d.case_id = c.id
         ORDER BY c.ref"
}
want=$(snapshot)
expect_match 'ARC-2019-0007\|Austrian accounts\|criminal\|\{embezzlement,money_laundering\}\|2019-03-04\|open\|holding\|AT\|R. Aliyev\|670101300111\|AT-2020-77\|2020-05-06\|2020-09-01' \
    "$want" "old data in place"

expect_exit 0 "db init upgrades in place" arcs db init
expect_match 'applied' "$OUT" "the upgrade applies migrations"
expect_eq "$want" "$(snapshot)" "the data survived the upgrade unchanged"
expect_exit 0 "db status after the upgrade" arcs db status --json
expect_eq "$latest" "$(printf '%s' "$OUT" | jget 'd["schema_version"]')" "schema at the latest version"
expect_eq 1 "$(printf '%s' "$OUT" | jget 'd["counts"]["cases"]')" "the case is counted"

# the new binary reads and writes the upgraded database
expect_exit 0 "case show on the upgraded database" arcs case show ARC-2019-0007 --json
expect_eq "Austrian accounts|holding:AT|AT-2020-77|True" \
    "$(printf '%s' "$OUT" | jget '"|".join([d["title"], d["jurisdictions"][0]["role"] + ":" + d["jurisdictions"][0]["country"], d["decisions"][0]["ref"], str(d["subjects"][0]["id_number_on_file"])])')" \
    "case show reads the old data"
expect_exit 0 "case status on the upgraded database" arcs case status ARC-2019-0007 enforcement --decision AT-2020-77 --date 2020-09-02
expect_exit 0 "case add on the upgraded database" arcs case add --ref ARC-2025-0200 --title "After the upgrade"
expect_exit 0 "init again is a no-op" arcs db init
expect_match 'up to date' "$OUT" "nothing left to apply"
# changes made under the older schema waited; the upgrade sealed them
expect_eq 0 "$(sql "SELECT count(*) FROM arcs_audit.pending")" "nothing left unsealed"
expect_exit 0 "the upgraded log verifies" arcs audit verify
finish
