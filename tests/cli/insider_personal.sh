# Personal data (SPEC §2): only auditors and admins read identity numbers,
# through psql as well; the audit log holds neither the numbers nor a digest
# of them; analysts still record subjects, see whether a number is on file,
# and get masked reports. A log sealed before 0010, with the old digests,
# still verifies after the upgrade.
. "$(dirname "$0")/lib.sh"

pwdir=$(mktemp -d)
trap 'rm -rf "$pwdir" "$T_OUT" "$T_ERR"' EXIT
for u in ana1 ana2 sup1 aud1 adm1; do
    printf 'pw-%s-%s\n' "$u" "$RANDOM$RANDOM" >"$pwdir/$u"
    chmod 600 "$pwdir/$u"
done
pw() { head -n 1 "$pwdir/$1"; }
as() { local u=$1; shift; PGUSER=$u PGPASSWORD=$(pw "$u") "$@"; }
idfile() { printf '%s\n' "$2" >"$pwdir/$1"; chmod 600 "$pwdir/$1"; echo "$pwdir/$1"; }
jget() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1], {"d": d}))' "$1"; }

OLD=670101300111   # sealed before the upgrade: its digest is in the log
NUM=850101300123   # recorded by an analyst after it
OTHER=900202400456 # recorded by the admin
digest() { printf '%s' "$1" | sha256sum | cut -c1-64; }

# --- a change captured by the previous version but not sealed before the
# upgrade: its digest is stripped by the upgrade (this binary seals only from
# schema 11 on, so under version 8 it waits in pending)
expect_exit 0 "init at version 8" arcs db init --base-currency KZT --to-version 8
sql "INSERT INTO arcs.cases (ref, title) VALUES ('ARC-2019-0007', 'Austrian accounts')"
PEND=680202300222
sql "INSERT INTO arcs.subjects (case_id, name, kind, role, id_number)
     SELECT id, 'S. Waiting', 'person', 'nominee', '$PEND' FROM arcs.cases WHERE ref = 'ARC-2019-0007'"
expect_eq 1 "$(sql "SELECT count(*) FROM arcs_audit.pending WHERE position('$(digest $PEND)' in new_row::text) > 0")" \
    "the unsealed change holds its digest before the upgrade"
expect_exit 0 "db init upgrades" arcs db init
expect_exit 0 "seal what waited" arcs audit seal
expect_eq "0 1" "$(sql "SELECT count(*) FILTER (WHERE position('$(digest $PEND)' in convert_from(entry, 'UTF8')) > 0) || ' ' || count(*) FILTER (WHERE position('S. Waiting' in convert_from(entry, 'UTF8')) > 0) FROM arcs_audit.entries")" \
    "the change that waited was sealed without its digest"

# --- an entry sealed before 0010, with a digest of OLD in its image: made
# here as that capture made it, by the superuser adding the 'sha256:' member
# to the captured image before it is sealed
psql -X -v ON_ERROR_STOP=1 -q <<SQL || fail "could not make an old-style entry"
BEGIN;
INSERT INTO arcs.subjects (case_id, name, kind, role, country, id_number)
SELECT id, 'R. Aliyev', 'person', 'defendant', 'KZ', '$OLD' FROM arcs.cases WHERE ref = 'ARC-2019-0007';
UPDATE arcs_audit.pending
   SET new_row = (new_row::jsonb || jsonb_build_object('id_number',
                  'sha256:' || encode(sha256(convert_to('$OLD', 'UTF8')), 'hex')))::json,
       canonical = false -- json form, as the capture of that time wrote it
 WHERE table_name = 'arcs.subjects' AND new_row->>'name' = 'R. Aliyev';
COMMIT;
SQL
expect_exit 0 "seal the old-style entry" arcs audit seal
expect_eq 1 "$(sql "SELECT count(*) FROM arcs_audit.entries WHERE position('$(digest $OLD)' in convert_from(entry, 'UTF8')) > 0")" \
    "the log holds the old digest (append-only: it stays)"
expect_exit 0 "the upgraded log verifies, old digests and all" arcs audit verify
sql "UPDATE arcs.subjects SET role = 'beneficial_owner' WHERE name = 'R. Aliyev'"
expect_exit 0 "seal an update of the old subject" arcs audit seal
expect_exit 0 "verify: the old digest entry and the new image agree" arcs audit verify

# --- logins
expect_exit 0 "user add ana1" arcs user add ana1 --role analyst --password-file "$pwdir/ana1"
expect_exit 0 "user add ana2" arcs user add ana2 --role analyst --password-file "$pwdir/ana2"
expect_exit 0 "user add sup1" arcs user add sup1 --role supervisor --password-file "$pwdir/sup1"
expect_exit 0 "user add aud1" arcs user add aud1 --role auditor --password-file "$pwdir/aud1"
expect_exit 0 "user add adm1" arcs user add adm1 --role admin --password-file "$pwdir/adm1"

# --- the analyst's ordinary work still works
expect_exit 0 "analyst: case add" as ana1 "$ARCS_BIN" case add --ref ARC-2025-0001 --title "Funds in Cyprus" --opened 2025-01-10
expect_exit 0 "analyst: subject add with an identity number" as ana1 "$ARCS_BIN" subject add ARC-2025-0001 \
    --name "A. Person" --kind person --role defendant --country KZ --id-number-file "$(idfile num $NUM)" --json
sid=$(printf '%s' "$OUT" | jget 'd["id"]')
expect_eq "$NUM" "$(sql "SELECT id_number FROM arcs.subjects WHERE id = $sid")" "the analyst's number is stored"
expect_exit 0 "analyst: the same subject again is a retry" as ana1 "$ARCS_BIN" subject add ARC-2025-0001 \
    --name "A. Person" --kind person --role defendant --country KZ --id-number-file "$pwdir/num" --json
expect_eq "$sid True" "$(printf '%s' "$OUT" | jget 'd["id"] + " " + str(d["existed"])')" "retry finds the first subject"
expect_exit 0 "analyst: a namesake with another number is a new subject" as ana1 "$ARCS_BIN" subject add ARC-2025-0001 \
    --name "A. Person" --kind person --role defendant --country KZ --id-number-file "$(idfile num2 770303500789)" --json
expect_eq "False" "$(printf '%s' "$OUT" | jget 'str(d["existed"])')" "the namesake is not taken for a retry"
expect_exit 0 "analyst: a subject without a number" as ana1 "$ARCS_BIN" subject add ARC-2025-0001 \
    --name "B. Entity" --kind entity --role nominee
expect_exit 0 "admin: subject add with another number" as adm1 "$ARCS_BIN" subject add ARC-2025-0001 \
    --name "C. Person" --kind person --role victim --id-number-file "$(idfile other $OTHER)"
expect_exit 0 "analyst: case show" as ana1 "$ARCS_BIN" case show ARC-2025-0001 --json
expect_eq "True False True" "$(printf '%s' "$OUT" | jget '" ".join(str(s["id_number_on_file"]) for s in d["subjects"] if s["name"] != "A. Person" or s["id"] == "'"$sid"'")')" \
    "case show: on file or not, without reading the number"
expect_exit 0 "analyst: report case" as ana1 "$ARCS_BIN" report case ARC-2025-0001 --format json
expect_eq "•••• 0123" "$(printf '%s' "$OUT" | jget '[s["id_number"] for s in d["subjects"] if s["id"] == "'"$sid"'"][0]')" "report case masks the number"
if printf '%s' "$OUT" | grep -q "$NUM"; then fail "the analyst's report holds the number"; else pass "the analyst's report holds no number"; fi
expect_exit 4 "analyst: report case --show-identity refused" as ana1 "$ARCS_BIN" report case ARC-2025-0001 --format json --show-identity
expect_exit 0 "auditor: report case --show-identity" as aud1 "$ARCS_BIN" report case ARC-2025-0001 --format json --show-identity
expect_match "$NUM" "$OUT" "the auditor's report shows the number"

sql "ANALYZE arcs.subjects"
# refused_read WHO WHAT SQL: WHO's psql statement fails for permission and
# prints none of the numbers; nothing changes.
refused_read() {
    local before
    before=$(db_digest)
    run as "$1" psql -X -v ON_ERROR_STOP=1 -Atc "$3"
    if [ "$RC" != 0 ] && printf '%s' "$ERR" | grep -q 'permission denied'; then pass "$1: $2 refused"; else fail "$1: $2 not refused (rc $RC: $OUT $ERR)"; fi
    if printf '%s %s' "$OUT" "$ERR" | grep -q -e "$NUM" -e "$OTHER" -e "$OLD"; then fail "$1: $2 printed a number"; else pass "$1: $2 printed no number"; fi
    expect_eq "$before" "$(db_digest)" "$1: $2: nothing changed"
}
# no_number WHO WHAT SQL: WHO's statement may run, but prints no number.
no_number() {
    run as "$1" psql -X -Atc "$3"
    if printf '%s %s' "$OUT" "$ERR" | grep -q -e "$NUM" -e "$OTHER" -e "$OLD" -e "$(digest $NUM)" -e "$(digest $OTHER)"; then
        fail "$1: $2 shows a number or its digest"; else pass "$1: $2 shows no number"; fi
}
attacks() {
    local who=$1
    refused_read $who "SELECT id_number" "SELECT id_number FROM arcs.subjects"
    refused_read $who "SELECT *" "SELECT * FROM arcs.subjects"
    refused_read $who "a whole-row reference" "SELECT s FROM arcs.subjects s"
    refused_read $who "to_jsonb of the row" "SELECT to_jsonb(s) FROM arcs.subjects s"
    refused_read $who "a WHERE on the number" "SELECT id FROM arcs.subjects WHERE id_number LIKE '85%'"
    refused_read $who "an ORDER BY the number" "SELECT id FROM arcs.subjects ORDER BY id_number"
    refused_read $who "COPY of the table" "COPY arcs.subjects TO STDOUT"
    refused_read $who "COPY of the column" "COPY arcs.subjects (id, id_number) TO STDOUT"
    refused_read $who "UPDATE ... RETURNING the number" "UPDATE arcs.subjects SET name = name WHERE id = $sid RETURNING id_number"
    refused_read $who "UPDATE guarded by the number" "UPDATE arcs.subjects SET name = name WHERE id_number = '$NUM'"
    refused_read $who "INSERT ... RETURNING *" "INSERT INTO arcs.subjects (case_id, name, kind, role) SELECT case_id, 'X', 'person', 'victim' FROM arcs.subjects WHERE id = $sid RETURNING *"
    no_number $who "pg_stats of the column" "SELECT most_common_vals, histogram_bounds FROM pg_stats WHERE schemaname = 'arcs' AND tablename = 'subjects'"
    no_number $who "the masked view" "SELECT * FROM arcs.subject_identity"
    no_number $who "arcs_audit.pending" "SELECT p::text FROM arcs_audit.pending p"
    no_number $who "arcs_audit.entries since the upgrade" "SELECT convert_from(entry, 'UTF8') FROM arcs_audit.entries"
    no_number $who "a guessed number through the retry lookup" \
        "SELECT arcs.subject_retry_of(s.case_id, s.name, s.kind, s.role, s.country, '$OTHER') FROM arcs.subjects s WHERE s.name = 'C. Person'"
    expect_eq "" "$(as $who psql -X -Atc "SELECT arcs.subject_retry_of(s.case_id, s.name, s.kind, s.role, s.country, '$OTHER') FROM arcs.subjects s WHERE s.name = 'C. Person'")" \
        "$who: the retry lookup does not confirm a number someone else entered"
}
attacks ana1
attacks sup1
expect_exit 0 "analyst: the other columns stay readable" as ana1 psql -X -Atc "SELECT id, case_id, name, kind, role, country, created_at FROM arcs.subjects"
expect_match 'A\. Person' "$OUT" "the analyst reads names"
expect_exit 0 "analyst: writers may still record a number" as ana1 psql -X -v ON_ERROR_STOP=1 -c \
    "UPDATE arcs.subjects SET id_number = '111111111111' WHERE name = 'B. Entity'"
expect_exit 0 "analyst: ana2 cannot confirm ana1's number either" as ana2 psql -X -Atc \
    "SELECT arcs.subject_retry_of(s.case_id, s.name, s.kind, s.role, s.country, '$NUM') FROM arcs.subjects s WHERE s.id = $sid"
expect_eq "" "$OUT" "ana2's retry lookup of ana1's subject finds nothing"

# auditor and admin read it
for who in aud1 adm1; do
    expect_eq "$NUM" "$(as $who psql -X -Atc "SELECT id_number FROM arcs.subjects WHERE id = $sid")" "$who reads the identity number"
done

# nothing in the log since the upgrade, nor pending, holds a number or a digest
expect_exit 0 "seal" arcs audit seal
for n in $NUM $OTHER 111111111111 770303500789; do
    expect_eq 0 "$(sql "SELECT count(*) FROM arcs_audit.entries e WHERE position('$n' in convert_from(e.entry, 'UTF8')) > 0 OR position('$(digest $n)' in convert_from(e.entry, 'UTF8')) > 0")" \
        "no entry holds $n or its SHA-256"
done
sql "UPDATE arcs.subjects SET id_number = '$NUM' WHERE name = 'B. Entity'"
expect_eq 0 "$(sql "SELECT count(*) FROM arcs_audit.pending p WHERE position('$NUM' in p::text) > 0 OR position('$(digest $NUM)' in p::text) > 0")" \
    "no pending row holds the number or its SHA-256"
expect_eq 0 "$(sql "SELECT count(*) FROM arcs_audit.entries e WHERE position('id_number' in convert_from(e.entry, 'UTF8')) > 0 AND e.seq > (SELECT min(seq) FROM arcs_audit.entries WHERE position('$(digest $OLD)' in convert_from(entry, 'UTF8')) > 0)")" \
    "no entry after the old one names id_number at all"

# a later migration's GRANT SELECT ON ALL TABLES does not give it back
sql "GRANT SELECT ON ALL TABLES IN SCHEMA arcs TO arcs_analyst, arcs_supervisor"
expect_exit 0 "db init again" arcs db init
refused_read ana1 "SELECT id_number after a re-grant and db init" "SELECT id_number FROM arcs.subjects"
refused_read sup1 "SELECT * after a re-grant and db init" "SELECT * FROM arcs.subjects"

# verify still catches a change of anything else on a subject
expect_exit 0 "auditor: the log verifies" as aud1 "$ARCS_BIN" audit verify
sql "ALTER EVENT TRIGGER arcs_audit_ddl DISABLE; ALTER TABLE arcs.subjects DISABLE TRIGGER ALL; UPDATE arcs.subjects SET name = 'Nobody' WHERE id = $sid" >/dev/null
expect_exit 5 "verify finds a subject renamed with capture off" arcs audit verify
expect_match "arcs.subjects \{\"id\":\"$sid\"\}" "$OUT$ERR" "verify names the subject"
finish
