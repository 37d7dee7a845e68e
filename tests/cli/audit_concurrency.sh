# 8 concurrent writers, each sealing at the end of every command, never fork
# the log: entries gap-free, verify exits 0, one entry per captured change.
. "$(dirname "$0")/lib.sh"

arcs db init --base-currency KZT >/dev/null
n0=$(sql "SELECT count(*) FROM arcs_audit.entries")
for w in 1 2 3 4 5 6 7 8; do
    (
        for i in $(seq 1 25); do
            arcs case add --ref "W$w-$i" --title "writer $w case $i" >/dev/null || echo "writer $w case $i failed" >&2
        done
    ) &
done
wait
expect_eq "200" "$(sql "SELECT count(*) FROM arcs.cases")" "200 cases written"
expect_eq "0" "$(sql "SELECT count(*) FROM arcs_audit.pending")" "nothing left pending"
expect_eq "$((n0 + 200))" "$(sql "SELECT count(*) FROM arcs_audit.entries")" "one entry per captured change"
expect_eq "$((n0 + 199))" "$(sql "SELECT max(seq) FROM arcs_audit.entries")" "entries gap-free from 0"
expect_eq "$((n0 + 200))" "$(sql "SELECT size FROM arcs_audit.tree_state")" "tree state at the log size"
expect_eq "0" "$(sql "SELECT count(*) FROM (SELECT size FROM arcs_audit.tree_heads GROUP BY size HAVING count(*) > 1) d")" \
    "no two tree heads of one size (no fork)"
expect_exit 0 "verify after concurrent writers" arcs audit verify
expect_match "^ok: $((n0 + 200)) entries" "$OUT" "verify saw every entry"
finish
