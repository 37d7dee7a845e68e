# arcs audit: capture of every table, seal, log, checkpoint, cosign, verify,
# prove, export. Each check asserts the value that matters.
. "$(dirname "$0")/lib.sh"
W=$(mktemp -d)
trap 'rm -rf "$W" "$T_OUT" "$T_ERR"' EXIT

expect_exit 0 "init" arcs db init --base-currency KZT

# Capture: every table of schema arcs has the four triggers, ENABLE ALWAYS.
expect_eq "" "$(sql "SELECT table_name || ' ' || trigger_name FROM arcs_audit.uncaptured")" \
    "every table in schema arcs has capture, ENABLE ALWAYS"
ntables=$(sql "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = 'arcs' AND c.relkind = 'r'")
nalways=$(sql "SELECT count(DISTINCT t.tgrelid) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
               JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = 'arcs' AND t.tgname = 'arcs_audit_ins' AND t.tgenabled = 'A'")
expect_eq "$ntables" "$nalways" "capture triggers on all $ntables tables"
run psql -X -v ON_ERROR_STOP=1 -Atq -c "TRUNCATE arcs.settings"
expect_match 'TRUNCATE of arcs.settings refused' "$ERR" "TRUNCATE is refused"
# A table created later is captured at once (event trigger).
sql "CREATE TABLE arcs.later (id bigint PRIMARY KEY, note text)"
expect_eq "" "$(sql "SELECT table_name FROM arcs_audit.uncaptured")" "a new table is captured"
sql "DROP TABLE arcs.later"

# Seeded rows were captured at attach time, and everything is sealed by init.
expect_eq "0" "$(sql "SELECT count(*) FROM arcs_audit.pending")" "init leaves nothing pending"
n0=$(sql "SELECT count(*) FROM arcs_audit.entries")
expect_exit 0 "verify a fresh database" arcs audit verify
expect_match "^ok: $n0 entries" "$OUT" "verify counts the entries"

# A write command seals at its end; the entry names user and actor.
expect_exit 0 "case add" arcs --actor "Aigerim K." case add --ref ARC-1 --title "Temirlan school"
expect_eq "$((n0 + 1))" "$(sql "SELECT count(*) FROM arcs_audit.entries")" "one entry per changed row"
expect_eq "0" "$(sql "SELECT count(*) FROM arcs_audit.pending")" "the write sealed itself"
e=$(sql "SELECT convert_from(entry, 'UTF8') FROM arcs_audit.entries WHERE seq = $n0")
expect_match '^\{"actor":"Aigerim K\.","db_user":"postgres","key":\{"id":"1"\},"new":\{' "$e" \
    "entry bytes: sorted keys, actor, db_user, key as strings"
expect_match '"op":"insert","seq":"'"$n0"'","table":"arcs.cases","time":"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z","txid":"[0-9]+"\}$' \
    "$e" "entry bytes: op, seq, table, UTC time, txid"
expect_match '"offences":\[\],' "$e" "arrays are JSON arrays"
expect_match '"opened_on":"[0-9]{4}-[0-9]{2}-[0-9]{2}"' "$e" "dates as YYYY-MM-DD"
leaf=$(sql "SELECT encode(sha256('\\x00'::bytea || entry), 'hex') FROM arcs_audit.entries WHERE seq = $n0")
expect_eq "$leaf" "$(sql "SELECT encode(leaf_hash, 'hex') FROM arcs_audit.entries WHERE seq = $n0")" \
    "leaf hash is SHA-256(0x00 || entry)"

# Sensitive column: the identity number is never in the log.
sql "INSERT INTO arcs.subjects (case_id, name, kind, role, id_number) VALUES (1, 'R. Ivanov', 'person', 'defendant', '850101300123')"
expect_exit 0 "seal" arcs audit seal --json
expect_match '"sealed":"1"' "$OUT" "audit seal seals the psql change"
expect_eq "0" "$(sql "SELECT count(*) FROM arcs_audit.entries WHERE position('850101300123' in convert_from(entry, 'UTF8')) > 0")" \
    "identity number not in clear in any entry"
want=$(printf '%s' 850101300123 | sha256sum | cut -c1-64)
e=$(sql "SELECT convert_from(entry, 'UTF8') FROM arcs_audit.entries WHERE table_name = 'arcs.subjects'")
expect_match '"name":"R. Ivanov"' "$e" "the subject is logged"
if printf '%s' "$e" | grep -q -e id_number -e "$want"; then fail "identity number (or its digest) in the log: $e"; else pass "identity number kept out of the captured image"; fi

# Update and delete carry old and new rows.
sql "UPDATE arcs.cases SET title = 'Temirlan music school' WHERE ref = 'ARC-1'"
sql "DELETE FROM arcs.subjects WHERE name = 'R. Ivanov'"
expect_exit 0 "seal again" arcs audit seal
u=$(sql "SELECT convert_from(entry, 'UTF8') FROM arcs_audit.entries WHERE table_name = 'arcs.cases' ORDER BY seq DESC LIMIT 1")
expect_match '"new":\{[^}]*"title":"Temirlan music school"' "$u" "update: new image"
expect_match '"old":\{[^}]*"title":"Temirlan school"' "$u" "update: old image"
d=$(sql "SELECT convert_from(entry, 'UTF8') FROM arcs_audit.entries WHERE table_name = 'arcs.subjects' ORDER BY seq DESC LIMIT 1")
expect_match '"new":null,"old":\{' "$d" "delete: old image, new null"

# log
expect_exit 0 "log --case" arcs audit log --case ARC-1 --json
expect_eq "4" "$(printf '%s' "$OUT" | grep -o '"seq":' | wc -l)" "log --case lists the case's 4 entries"
expect_exit 3 "log of an unknown case" arcs audit log --case NOPE
expect_exit 0 "log --since" arcs audit log --since "$((n0 + 2))" --json
expect_eq "2" "$(printf '%s' "$OUT" | grep -o '"seq":' | wc -l)" "log --since lists from that seq"

# keys and checkpoints
expect_exit 0 "keygen" arcs audit keygen --name arcs.example/log --out "$W/log.key"
VK=$OUT
expect_match '^arcs\.example/log\+[0-9a-f]{8}\+[A-Za-z0-9+/]+=*$' "$VK" "keygen prints the verifier key"
expect_eq "600" "$(stat -c %a "$W/log.key")" "key file is mode 0600"
expect_exit 2 "keygen refuses to overwrite a key" arcs audit keygen --name x --out "$W/log.key"
expect_exit 0 "witness keygen" arcs audit keygen --name witness.example --out "$W/w.key"
WK=$OUT
cp "$W/log.key" "$W/open.key"
chmod 644 "$W/open.key"
before=$(db_digest)
expect_exit 2 "checkpoint refuses a key readable by others" arcs audit checkpoint --key "$W/open.key"
expect_eq "$before" "$(db_digest)" "refused checkpoint writes nothing"
expect_exit 0 "checkpoint" arcs audit checkpoint --key "$W/log.key" --out "$W/cp1"
size1=$(sql "SELECT count(*) FROM arcs_audit.entries")
expect_eq "arcs.example/log" "$(sed -n 1p "$W/cp1")" "checkpoint origin line"
expect_eq "$size1" "$(sed -n 2p "$W/cp1")" "checkpoint size line"
root1=$(sql "SELECT encode(root, 'base64') FROM arcs_audit.tree_heads ORDER BY size DESC LIMIT 1")
expect_eq "$root1" "$(sed -n 3p "$W/cp1")" "checkpoint root line is the tree head"
expect_match '^— arcs\.example/log ' "$(sed -n 5p "$W/cp1")" "checkpoint signature line"
expect_eq "1" "$(sql "SELECT count(*) FROM arcs_audit.checkpoints")" "checkpoint stored"

expect_exit 0 "verify with key and checkpoint" arcs audit verify --vkey "$VK" --checkpoint "$W/cp1"
expect_match '1 checkpoint consistent' "$OUT" "checkpoint checked"
expect_exit 5 "verify a checkpoint without --vkey" arcs audit verify --checkpoint "$W/cp1"
expect_match 'signature not checked' "$OUT" "says the signature could not be checked"

# cosign: first with no previous, then a newer one with the previous
cp "$W/cp1" "$W/cp1w"
expect_exit 0 "cosign" arcs audit cosign --key "$W/w.key" --checkpoint "$W/cp1w"
expect_match '^— witness\.example ' "$(tail -n 1 "$W/cp1w")" "witness signature appended"
expect_exit 0 "cosigned checkpoint verifies with both keys" arcs audit verify --vkey "$VK" --vkey "$WK" --checkpoint "$W/cp1w"
arcs case add --ref ARC-2 --title "Zerenda sports complex" >/dev/null
expect_exit 0 "checkpoint 2" arcs audit checkpoint --key "$W/log.key" --out "$W/cp2"
cp "$W/cp2" "$W/cp2w"
expect_exit 0 "cosign newer with previous" arcs audit cosign --key "$W/w.key" --checkpoint "$W/cp2w" --previous "$W/cp1w"
expect_exit 5 "cosign refuses a smaller checkpoint" arcs audit cosign --key "$W/w.key" --checkpoint "$W/cp1" --previous "$W/cp2w"
# a checkpoint with a root that is not the log's: its first base64 character
# changed, to A, or to B when it was an A
sed '3s/^A/#/;3s/^[^#]/A/;3s/^#/B/' "$W/cp2" >"$W/cpbad"
expect_eq 1 "$(diff "$W/cp2" "$W/cpbad" | grep -c '^>')" "the root line differs"
expect_exit 5 "cosign refuses a root that is not the log's" arcs audit cosign --key "$W/w.key" --checkpoint "$W/cpbad" --previous "$W/cp1"

# prove / verify-proof (offline)
expect_exit 0 "prove" arcs audit prove "$n0" --out "$W/proof"
expect_eq "arcs-proof v1" "$(head -n 1 "$W/proof")" "proof file header"
expect_exit 0 "verify-proof" arcs audit verify-proof "$W/proof" --vkey "$VK"
sed 's/^index .*/index 0/' "$W/proof" >"$W/proofbad"
expect_exit 5 "verify-proof refuses a proof for another index" arcs audit verify-proof "$W/proofbad" --vkey "$VK"
expect_exit 5 "verify-proof refuses an unknown key" arcs audit verify-proof "$W/proof" --vkey "$WK"

# export / verify-export
expect_exit 0 "export with key" arcs audit export "$W/exp" --key "$W/log.key"
size=$(sql "SELECT count(*) FROM arcs_audit.entries")
expect_eq "$size" "$(wc -l <"$W/exp/entries.jsonl")" "entries.jsonl has one line per entry"
expect_eq "$(sql "SELECT convert_from(entry, 'UTF8') FROM arcs_audit.entries WHERE seq = 0")" \
    "$(head -n 1 "$W/exp/entries.jsonl")" "line 0 is entry 0's bytes"
expect_eq "$size" "$(sed -n 2p "$W/exp/checkpoint")" "export checkpoint size equals lines"
test -s "$W/exp/README" && pass "README written" || fail "README written"
expect_exit 0 "verify-export" arcs audit verify-export "$W/exp" --vkey "$VK"
expect_exit 0 "export --upto an older checkpoint" arcs audit export "$W/exp1" --upto "$size1"
expect_eq "$size1" "$(wc -l <"$W/exp1/entries.jsonl")" "export --upto writes that many lines"
expect_exit 0 "verify-export of --upto" arcs audit verify-export "$W/exp1" --vkey "$VK"
sed -i '2s/"insert"/"update"/' "$W/exp/entries.jsonl"
expect_exit 5 "verify-export finds a changed line" arcs audit verify-export "$W/exp" --vkey "$VK"
expect_exit 3 "export --upto a size with no checkpoint" arcs audit export "$W/exp2" --upto 3

# bad input
expect_exit 2 "verify with a malformed vkey" arcs audit verify --vkey nonsense
expect_exit 2 "verify with a missing checkpoint file" arcs audit verify --checkpoint "$W/none"
expect_exit 2 "log --since not a number" arcs audit log --since x
expect_exit 2 "prove a negative seq" arcs audit prove -- -1
expect_exit 2 "checkpoint without --key" arcs audit checkpoint
expect_exit 0 "final verify" arcs audit verify --vkey "$VK" --checkpoint "$W/cp1" --checkpoint "$W/cp2"
finish
