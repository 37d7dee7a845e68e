# Sealing a bulk change: more pending rows than one seal batch, with ids that
# cross a power of ten (9999 -> 10000), sealed in capture order by one call.
. "$(dirname "$0")/lib.sh"

expect_exit 0 "init" arcs db init
sql "INSERT INTO arcs.cases (ref, title) SELECT 'BULK-' || g, 'bulk case ' || g FROM generate_series(1, 12000) g"
expect_eq "12000" "$(sql "SELECT count(*) FROM arcs_audit.pending WHERE table_name = 'arcs.cases'")" "12000 changes captured by one statement"
# An insert and an update of the same row in one transaction: the log must
# keep them in that order.
sql "BEGIN; INSERT INTO arcs.cases (ref, title) VALUES ('BULK-X', 'before'); UPDATE arcs.cases SET title = 'after' WHERE ref = 'BULK-X'; COMMIT;"
expect_exit 0 "one seal call" arcs audit seal
expect_eq "0" "$(sql "SELECT count(*) FROM arcs_audit.pending")" "nothing left unsealed after one call"
total=$(sql "SELECT count(*) FROM arcs_audit.entries")
expect_eq "$total" "$(sql "SELECT max(seq) + 1 FROM arcs_audit.entries")" "entries are gap-free"
expect_eq "insert update" "$(sql "SELECT string_agg(convert_from(entry, 'UTF8')::json->>'op', ' ' ORDER BY seq) FROM arcs_audit.entries WHERE convert_from(entry, 'UTF8') LIKE '%BULK-X%'")" "insert then update, in capture order"
expect_eq "after" "$(sql "SELECT convert_from(entry, 'UTF8')::json->'new'->>'title' FROM arcs_audit.entries ORDER BY seq DESC LIMIT 1")" "the newest entry holds the update"
expect_exit 0 "verify" arcs audit verify
expect_match "ok" "$OUT" "verify says ok"
finish
