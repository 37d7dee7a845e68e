# The signer never forks (SPEC §12): arcs audit checkpoint keeps the last
# checkpoint it signed beside its key (KEYFILE.last), signs only a root it
# recomputed from the entry bytes, and refuses with exit 5 a log that was
# rolled back or forked since, leaving its state as it was.
. "$(dirname "$0")/lib.sh"
W=$(mktemp -d)
trap 'rm -rf "$W" "$T_OUT" "$T_ERR"' EXIT

arcs db init --base-currency KZT >/dev/null
VK=$(arcs audit keygen --name arcs.example/log --out "$W/log.key")
for i in 1 2 3; do arcs case add --ref "ARC-$i" --title "Case $i" >/dev/null; done
N1=$(sql "SELECT count(*) FROM arcs_audit.entries")

expect_exit 0 "the first checkpoint signs and creates the state" arcs audit checkpoint --key "$W/log.key" --out "$W/cp1"
expect_eq "600" "$(stat -c %a "$W/log.key.last")" "the state file is private"
expect_eq "size $N1" "$(sed -n 3p "$W/log.key.last")" "the state holds the signed size"
# the moment a failover would go back to: a copy of the database now
createdb -T arcs lagging

for i in 4 5; do arcs case add --ref "ARC-$i" --title "Case $i" >/dev/null; done
N2=$(sql "SELECT count(*) FROM arcs_audit.entries")
expect_exit 0 "a genuine extension signs" arcs audit checkpoint --key "$W/log.key" --out "$W/cp2"
expect_eq "size $N2" "$(sed -n 3p "$W/log.key.last")" "the state moved on to the new size"
expect_exit 0 "both checkpoints verify against the log" arcs audit verify --vkey "$VK" --checkpoint "$W/cp1" --checkpoint "$W/cp2"
cp "$W/log.key.last" "$W/state.before"

# Failover to the lagging copy: the log is shorter than the last signed tree.
expect_exit 5 "a rolled-back log is refused" arcs --db dbname=lagging audit checkpoint --key "$W/log.key" --out "$W/cp_bad"
expect_match "rolled back" "$ERR" "the refusal says rolled back"
if cmp -s "$W/state.before" "$W/log.key.last"; then pass "the state is unchanged"; else fail "the state changed on refusal"; fi
if [ -e "$W/cp_bad" ]; then fail "a checkpoint was written"; else pass "no checkpoint was written"; fi

# ... and then grows past the signed size with different entries: a fork.
for i in 6 7 8 9; do arcs --db dbname=lagging case add --ref "ARC-X$i" --title "Other $i" >/dev/null; done
expect_exit 5 "a forked log is refused" arcs --db dbname=lagging audit checkpoint --key "$W/log.key" --out "$W/cp_bad"
expect_match "forked" "$ERR" "the refusal says forked"
if cmp -s "$W/state.before" "$W/log.key.last"; then pass "the state is unchanged after the fork"; else fail "the state changed on the fork"; fi
expect_eq "0" "$(psql -X -Atq -d lagging -c "SELECT count(*) FROM arcs_audit.checkpoints WHERE size > $N1")" "no checkpoint row stored on the fork"

# The same fork made as a superuser by deleting entries and adding others.
createdb -T arcs cut
psql -X -q -v ON_ERROR_STOP=1 -d cut -c "ALTER EVENT TRIGGER arcs_audit_ddl DISABLE" \
    -c "ALTER TABLE arcs_audit.entries DISABLE TRIGGER ALL" \
    -c "DELETE FROM arcs_audit.entries WHERE seq >= $N1" \
    -c "UPDATE arcs_audit.tree_state SET size = $N1, frontier = (SELECT frontier FROM arcs_audit.tree_state)" >/dev/null
expect_exit 5 "entries deleted as superuser: refused" arcs --db dbname=cut audit checkpoint --key "$W/log.key"
if cmp -s "$W/state.before" "$W/log.key.last"; then pass "the state is unchanged after the cut"; else fail "the state changed after the cut"; fi

# A wrong root stored in tree_heads and tree_state is not what gets signed.
VK2=$(arcs audit keygen --name arcs.example/other --out "$W/other.key")
ROOT=$(arcs audit verify | sed -n 's/.*root \([0-9a-f]*\),.*/\1/p')
createdb -T arcs wrong
psql -X -q -v ON_ERROR_STOP=1 -d wrong -c "ALTER TABLE arcs_audit.tree_heads DISABLE TRIGGER ALL" \
    -c "UPDATE arcs_audit.tree_heads SET root = sha256('forged') WHERE size = (SELECT max(size) FROM arcs_audit.tree_heads)" >/dev/null
expect_exit 0 "checkpoint beside a wrong stored head" arcs --db dbname=wrong audit checkpoint --key "$W/other.key" --out "$W/cp_other"
SIGNED=$(sed -n 3p "$W/cp_other" | base64 -d | od -An -tx1 | tr -d ' \n')
expect_eq "$ROOT" "$SIGNED" "the signed root is the one recomputed from the entries"

# A state file that is a symlink is never followed or replaced.
mv -f "$W/other.key.last" "$W/other.saved"
echo "keep me" >"$W/elsewhere"
ln -s "$W/elsewhere" "$W/other.key.last"
expect_exit 5 "a symlinked state is refused" arcs --db dbname=wrong audit checkpoint --key "$W/other.key"
expect_eq "keep me" "$(cat "$W/elsewhere")" "the symlink's target is untouched"
finish
