# Statuses change only with their record: a case's status, an asset's state
# and an account's balance move only through the recorded change, whatever
# session variable the caller sets and whatever trigger of its own it
# writes. Attacks as an analyst through psql; nothing changes after each.
. "$(dirname "$0")/lib.sh"
expect_exit 0 "db init" arcs db init --base-currency KZT
expect_exit 0 "a case" arcs case add --ref ARC-S-1 --title "Status case" --offence embezzlement \
    --opened 2024-01-10 --jurisdiction victim:KZ
expect_exit 0 "a decision" arcs decision add ARC-S-1 --kind freeze --ref FR-1 --issuer Court --date 2024-01-11
expect_exit 0 "an asset" arcs asset add ARC-S-1 --kind cash --description "cash" --country KZ
A=$OUT
expect_exit 0 "a receipt opens the case's account" arcs fund receive --asset "$A" --amount 10.00 KZT --date 2024-01-12 --ref IN-1

pwdir=$(mktemp -d)
trap 'rm -rf "$pwdir" "$T_OUT" "$T_ERR"' EXIT
printf 'pw-ana1-%s\n' "$RANDOM$RANDOM" >"$pwdir/ana1"
chmod 600 "$pwdir/ana1"
expect_exit 0 "analyst login" arcs user add ana1 --role analyst --password-file "$pwdir/ana1"
expect_exit 0 "the setup is sealed" arcs audit seal
as() { local u=$1; shift; PGUSER=$u PGPASSWORD=$(head -n 1 "$pwdir/$u") "$@"; }
cid=$(sql "SELECT id FROM arcs.cases WHERE ref = 'ARC-S-1'")
last_change=$(sql "SELECT coalesce(max(id), 0) FROM arcs.case_status_changes")
last_move=$(sql "SELECT coalesce(max(id), 0) FROM arcs.asset_transitions")

# refused WHAT PATTERN SQL: the analyst's psql script fails with an error
# matching PATTERN, and nothing in the database changed.
refused() {
    local before
    before=$(db_digest)
    run as ana1 psql -X -v ON_ERROR_STOP=1 -Atq -c "$3"
    if [ "$RC" != 0 ] && printf '%s' "$ERR" | grep -qE "$2"; then
        pass "analyst: $1 refused"
    else
        fail "analyst: $1 not refused as expected (rc $RC: $OUT $ERR)"
    fi
    expect_eq "$before" "$(db_digest)" "analyst: $1: nothing changed"
}

# Found: the session variable the case guard trusted, then an UPDATE.
for v in "$last_change" 1 999 on; do
    refused "SET arcs.case_status = '$v', then closing the case" "changes only by a recorded change" \
        "SET arcs.case_status = '$v'; UPDATE arcs.cases SET status = 'closed', closed_on = '2024-12-31' WHERE ref = 'ARC-S-1'"
done
refused "SET arcs.transition, then moving the asset" "changes only by a recorded transition" \
    "SET arcs.transition = '$last_move'; UPDATE arcs.assets SET state = 'confiscated' WHERE id = $A"
refused "SET arcs.transition to a fresh transition's id" "changes only by a recorded transition" \
    "SET arcs.transition = '$((last_move + 1))'; UPDATE arcs.assets SET state = 'realized', state_since = '2024-02-01' WHERE id = $A"
refused "SET arcs.ledger_apply, then a balance UPDATE" "permission denied|changes only by a transfer" \
    "SET arcs.ledger_apply = '1'; UPDATE arcs.ledger_accounts SET debits = 0 WHERE kind = 'case'"
# A trigger of the caller's own (so the UPDATE runs nested, as the guards'
# apply triggers do) still runs as the caller.
refused "closing the case from a trigger of its own" "changes only by a recorded change" \
    "CREATE FUNCTION pg_temp.evil() RETURNS trigger LANGUAGE plpgsql AS \$\$
       BEGIN UPDATE arcs.cases SET status = 'closed', closed_on = '2024-12-31' WHERE ref = 'ARC-S-1'; RETURN NULL; END \$\$;
     CREATE TEMP TABLE t (x int);
     CREATE TRIGGER evil AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION pg_temp.evil();
     SET arcs.case_status = '1';
     INSERT INTO t VALUES (1)"
refused "moving the asset from a trigger of its own" "changes only by a recorded transition" \
    "CREATE FUNCTION pg_temp.evil() RETURNS trigger LANGUAGE plpgsql AS \$\$
       BEGIN UPDATE arcs.assets SET state = 'confiscated' WHERE id = $A; RETURN NULL; END \$\$;
     CREATE TEMP TABLE t (x int);
     CREATE TRIGGER evil AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION pg_temp.evil();
     INSERT INTO t VALUES (1)"
# The record names its maker: a writer cannot write db_user.
refused "a status change recorded under another user's name" "permission denied" \
    "INSERT INTO arcs.case_status_changes (case_id, from_status, to_status, decision_id, on_date, db_user)
     SELECT $cid, 'open', 'investigation', id, '2024-02-01', 'aud1' FROM arcs.decisions WHERE ref = 'FR-1'"
refused "a transition recorded under another user's name" "permission denied" \
    "INSERT INTO arcs.asset_transitions (asset_id, from_state, to_state, decision_id, on_date, db_user)
     SELECT $A, 'identified', 'frozen', id, '2024-02-01', 'aud1' FROM arcs.decisions WHERE ref = 'FR-1'"
expect_eq "open|identified" "$(sql "SELECT c.status || '|' || a.state FROM arcs.cases c JOIN arcs.assets a ON a.case_id = c.id WHERE a.id = $A")" \
    "the case is open and the asset identified after every attack"

# Even the owner's own direct UPDATE is refused (only the apply trigger moves it).
before=$(db_digest)
run psql -X -v ON_ERROR_STOP=1 -Atq -c "UPDATE arcs.cases SET status = 'closed' WHERE ref = 'ARC-S-1'"
if [ "$RC" != 0 ] && printf '%s' "$ERR" | grep -q "changes only by a recorded change"; then pass "owner: direct status UPDATE refused"; else fail "owner: direct status UPDATE not refused (rc $RC: $ERR)"; fi
expect_eq "$before" "$(db_digest)" "owner: nothing changed"

# The recorded way still works, for the analyst, and names the analyst.
expect_exit 0 "analyst: arcs case status" as ana1 "$ARCS_BIN" case status ARC-S-1 investigation --decision FR-1 --date 2024-02-01
expect_exit 0 "analyst: arcs asset transition" as ana1 "$ARCS_BIN" asset transition "$A" frozen --decision FR-1 --date 2024-02-01
expect_eq "investigation|frozen|2024-02-01" "$(sql "SELECT c.status || '|' || a.state || '|' || a.state_since FROM arcs.cases c JOIN arcs.assets a ON a.case_id = c.id WHERE a.id = $A")" \
    "status and state moved with their records"
expect_eq "ana1|ana1" "$(sql "SELECT (SELECT db_user FROM arcs.case_status_changes ORDER BY id DESC LIMIT 1) || '|' || (SELECT db_user FROM arcs.asset_transitions ORDER BY id DESC LIMIT 1)")" \
    "both records name the analyst"
# and a record inserted with psql (the record itself) applies too
expect_exit 0 "analyst: a status change recorded with psql" as ana1 psql -X -v ON_ERROR_STOP=1 -Atq -c \
    "INSERT INTO arcs.case_status_changes (case_id, from_status, to_status, decision_id, on_date)
     SELECT $cid, 'investigation', 'closed', id, '2024-03-01' FROM arcs.decisions WHERE ref = 'FR-1'"
expect_eq "closed|2024-03-01" "$(sql "SELECT status || '|' || closed_on FROM arcs.cases WHERE id = $cid")" "closed with its record"
expect_exit 0 "analyst: seal" as ana1 "$ARCS_BIN" audit seal
expect_exit 0 "the log verifies" arcs audit verify
finish
