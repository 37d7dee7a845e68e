# arcs audit verify against tampering done the way a superuser could: each
# case works on a copy of a prepared database (createdb -T), must exit 5 and
# name what is wrong; the untouched original exits 0.
. "$(dirname "$0")/lib.sh"
W=$(mktemp -d)
trap 'rm -rf "$W" "$T_OUT" "$T_ERR"' EXIT

arcs db init --base-currency KZT >/dev/null
VK=$(arcs audit keygen --name arcs.example/log --out "$W/log.key")
UK=$(arcs audit keygen --name intruder.example --out "$W/other.key")
for i in 1 2 3 4 5; do arcs case add --ref "ARC-$i" --title "Case $i" >/dev/null; done
arcs audit checkpoint --key "$W/log.key" --out "$W/cp_old" >/dev/null
pg_dump -Fc -f "$W/old.dump" arcs
for i in 6 7 8; do arcs case add --ref "ARC-$i" --title "Case $i" >/dev/null; done
arcs audit checkpoint --key "$W/log.key" --out "$W/cp_new" >/dev/null
N=$(sql "SELECT count(*) FROM arcs_audit.entries")
MID=$((N - 5))

expect_exit 0 "untouched database verifies" arcs audit verify --vkey "$VK" --checkpoint "$W/cp_old" --checkpoint "$W/cp_new"

n=0
# tamper NAME SQL: copy the database, change it as a superuser, verify.
tamper() {
    n=$((n + 1))
    local db="t$n"
    createdb -T arcs "$db"
    psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "ALTER EVENT TRIGGER arcs_audit_ddl DISABLE" \
        -c "ALTER TABLE arcs_audit.entries DISABLE TRIGGER ALL" \
        -c "ALTER TABLE arcs_audit.tree_heads DISABLE TRIGGER ALL" -c "$2" >/dev/null ||
        { fail "$1: tampering SQL failed"; return; }
    expect_exit 5 "$1: verify exits 5" arcs --db "dbname=$db" audit verify --vkey "$VK" --checkpoint "$W/cp_new"
    expect_match "$3" "$OUT" "$1: names it"
}

tamper "one byte of an entry changed" \
    "UPDATE arcs_audit.entries SET entry = overlay(entry placing '9'::bytea from position('Case 7' in convert_from(entry,'UTF8')) + 5) WHERE seq = $((N - 2))" \
    "seq $((N - 2)): "
tamper "a stored leaf hash changed" \
    "UPDATE arcs_audit.entries SET leaf_hash = sha256('x') WHERE seq = 3; UPDATE arcs_audit.tree_heads SET root = sha256('y') WHERE size = (SELECT max(size) FROM arcs_audit.tree_heads)" \
    "stored tree head of size $N differs"
tamper "a middle entry deleted" \
    "DELETE FROM arcs_audit.entries WHERE seq = $MID" \
    "seq $MID: arcs_audit.entries: entries $MID to $MID are missing"
tamper "the newest entries deleted" \
    "DELETE FROM arcs_audit.entries WHERE seq >= $((N - 2))" \
    "seq $((N - 2)): .*(log holds only|rolled back)"
tamper "two entries swapped" \
    "UPDATE arcs_audit.entries e SET entry = x.entry, leaf_hash = x.leaf_hash
     FROM arcs_audit.entries x WHERE e.seq IN ($MID, $((MID + 1))) AND x.seq = $((2 * MID + 1)) - e.seq" \
    "seq $MID: .*says seq $((MID + 1))"
tamper "a forged entry inserted" \
    "INSERT INTO arcs_audit.entries (seq, entry, leaf_hash, table_name, row_key)
     SELECT $N, convert_to(replace(convert_from(entry,'UTF8'), '\"seq\":\"$((N - 1))\"', '\"seq\":\"$N\"'), 'UTF8'), leaf_hash, table_name, row_key FROM arcs_audit.entries WHERE seq = $((N - 1))" \
    "seq $N: "
tamper "a business row changed with triggers disabled" \
    "ALTER TABLE arcs.cases DISABLE TRIGGER ALL; UPDATE arcs.cases SET title = 'Nothing to see' WHERE ref = 'ARC-3'" \
    'arcs.cases \{"id":"3"\}: row differs from what the log says'
tamper "a business row inserted with triggers disabled" \
    "ALTER TABLE arcs.cases DISABLE TRIGGER ALL; INSERT INTO arcs.cases (ref, title) VALUES ('GHOST', 'ghost')" \
    'arcs.cases \{"id":"[0-9]+"\}: row is in the table but not in the log'
tamper "a business row deleted with triggers disabled" \
    "ALTER TABLE arcs.cases DISABLE TRIGGER ALL; DELETE FROM arcs.cases WHERE ref = 'ARC-8'" \
    'arcs.cases \{"id":"8"\}: row is in the log but not in the table'

# An older backup checked against the newer checkpoint: rollback.
createdb restored
pg_restore -d restored "$W/old.dump" 2>/dev/null
expect_exit 0 "the restored backup verifies alone" arcs --db dbname=restored audit verify --vkey "$VK" --checkpoint "$W/cp_old"
expect_exit 5 "restored backup vs newer checkpoint" arcs --db dbname=restored audit verify --vkey "$VK" --checkpoint "$W/cp_new"
expect_match "cp_new: checkpoint of size $N but the log holds only" "$OUT" "rollback named"
# The older backup extended with a different history: a fork.
createdb forked
pg_restore -d forked "$W/old.dump" 2>/dev/null
for i in 6 7 8; do arcs --db dbname=forked case add --ref "FORK-$i" --title "Other $i" >/dev/null; done
expect_exit 5 "forked history vs newer checkpoint" arcs --db dbname=forked audit verify --vkey "$VK" --checkpoint "$W/cp_new"
expect_match "cp_new: checkpoint root differs" "$OUT" "fork named"

# Checkpoints: a changed root, an unknown signer.
# its first base64 character changed, to A, or to B when it was an A
sed '3s/^A/#/;3s/^[^#]/A/;3s/^#/B/' "$W/cp_new" >"$W/cp_root"
expect_eq 1 "$(diff "$W/cp_new" "$W/cp_root" | grep -c '^>')" "the root line differs"
expect_exit 5 "checkpoint whose root was changed" arcs audit verify --vkey "$VK" --checkpoint "$W/cp_root"
expect_match "cp_root: signature does not verify" "$OUT" "changed root breaks the signature"
arcs audit checkpoint --key "$W/other.key" --out "$W/cp_other" >/dev/null
expect_exit 5 "checkpoint signed by an unknown key" arcs audit verify --vkey "$VK" --checkpoint "$W/cp_other"
expect_match "cp_other: signature does not verify" "$OUT" "unknown signer named"
# the log now stores a checkpoint signed by the other key: trusted only when
# that key is given too
expect_exit 0 "the same checkpoint with its key verifies" arcs audit verify --vkey "$UK" --vkey "$VK" --checkpoint "$W/cp_other"
expect_exit 5 "a stored checkpoint of an untrusted key" arcs audit verify --vkey "$VK"
expect_match "arcs_audit.checkpoints id [0-9]*: stored checkpoint's signature does not verify" "$OUT" "untrusted stored checkpoint named"
# Stale pending changes are a finding.
createdb stale -T arcs
psql -X -q -d stale -c "INSERT INTO arcs.countries VALUES ('QZ', 'Testland')" \
    -c "ALTER TABLE arcs_audit.pending DISABLE TRIGGER ALL" \
    -c "UPDATE arcs_audit.pending SET captured_at = now() - interval '1 hour'"
expect_exit 5 "a change left unsealed for an hour" arcs --db dbname=stale audit verify
expect_match 'waited more than 600 seconds' "$OUT" "stale pending named"
expect_exit 0 "a shorter threshold" arcs --db dbname=stale audit verify --max-pending-age 7200
expect_exit 0 "untouched original still verifies" arcs audit verify --vkey "$VK" --vkey "$UK" --checkpoint "$W/cp_new"
finish
