# arcs user add: logins in the four roles, SCRAM verifiers hashed by the
# client, and the database (not only the CLI) enforcing what each may do.
. "$(dirname "$0")/lib.sh"

expect_exit 0 "db init" arcs db init --base-currency KZT
expect_exit 0 "a case" arcs case add --ref ARC-2025-0100 --title "Kazakh funds in Austria" \
    --offence embezzlement --opened 2024-01-10 --jurisdiction victim:KZ --jurisdiction holding:AT

# Log every statement, to show the clear password never reaches the server.
sql "ALTER SYSTEM SET log_statement = 'all'"
sql "SELECT pg_reload_conf()" >/dev/null
sleep 1
server_log=$(dirname "$ARCS_TEST_PGDATA")/log

pwdir=$(mktemp -d)
trap 'rm -rf "$pwdir" "$T_OUT" "$T_ERR"' EXIT
for u in aud1 ana1 adm1 aud2; do
    printf 'pw-%s-%s\n' "$u" "$RANDOM$RANDOM" >"$pwdir/$u"
    chmod 600 "$pwdir/$u"
done
pw() { head -n 1 "$pwdir/$1"; }

expect_exit 0 "user add aud1 --role auditor" arcs user add aud1 --role auditor --password-file "$pwdir/aud1"
expect_eq aud1 "$OUT" "user add prints the user name"
expect_eq "true|true|true" "$(sql "SELECT rolcanlogin || '|' || pg_has_role('aud1', 'arcs_auditor', 'MEMBER') || '|' || (rolpassword LIKE 'SCRAM-SHA-256\$%') FROM pg_authid WHERE rolname = 'aud1'")" \
    "aud1 is a LOGIN role, member of arcs_auditor, with a SCRAM verifier"
expect_eq f "$(sql "SELECT pg_has_role('aud1', 'arcs_analyst', 'MEMBER')")" "aud1 is not an analyst"
sleep 1
if grep -q 'create_login' "$server_log"; then pass "statement logging is on"; else fail "statement logging is off: cannot check the password"; fi
if grep -qF "$(pw aud1)" "$server_log"; then fail "the clear password reached the server log"; else pass "the clear password never reached the server"; fi
sql "ALTER SYSTEM RESET log_statement" && sql "SELECT pg_reload_conf()" >/dev/null

expect_exit 0 "user add retried with the same role" arcs user add aud1 --role auditor --password-file "$pwdir/aud1"
expect_eq aud1 "$OUT" "retry prints the same id"
expect_exit 4 "same name, another role" arcs user add aud1 --role analyst --password-file "$pwdir/aud1"
expect_exit 0 "user add ana1 --role analyst" arcs user add ana1 --role analyst --password-file "$pwdir/ana1"
expect_exit 0 "user add adm1 --role admin" arcs user add adm1 --role admin --password-file "$pwdir/adm1"
# the password from stdin when no file is given (not a terminal here)
expect_exit 0 "user add from stdin" sh -c "\"\$ARCS_BIN\" user add aud2 --role auditor <'$pwdir/aud2'"
expect_eq t "$(sql "SELECT rolpassword LIKE 'SCRAM-SHA-256\$%' FROM pg_authid WHERE rolname = 'aud2'")" "stdin password hashed too"

as() { local u=$1; shift; PGUSER=$u PGPASSWORD=$(pw "$u") "$@"; }

# the auditor reads
expect_exit 0 "auditor: case list" as aud1 "$ARCS_BIN" case list --json
expect_match '"ref":"ARC-2025-0100"' "$OUT" "auditor sees the case"
expect_exit 0 "auditor: case show" as aud1 "$ARCS_BIN" case show ARC-2025-0100
expect_match 'title: +Kazakh funds in Austria' "$OUT" "auditor reads the case"
expect_exit 0 "second auditor logs in with its stdin password" as aud2 "$ARCS_BIN" case list
expect_match 'ARC-2025-0100' "$OUT" "aud2 sees the case"

# ... and writes nothing
before=$(db_digest)
expect_exit 4 "auditor: case add refused" as aud1 "$ARCS_BIN" case add --ref ARC-2025-0101 --title "Not allowed"
expect_match 'permission denied' "$ERR" "refusal says permission"
expect_exit 4 "auditor: subject add refused" as aud1 "$ARCS_BIN" subject add ARC-2025-0100 --name X --kind person --role defendant
expect_exit 4 "auditor: user add refused" as aud1 "$ARCS_BIN" user add eve --role admin --password-file "$pwdir/aud1"
run as aud1 psql -X -v ON_ERROR_STOP=1 -c "INSERT INTO arcs.cases (ref, title) VALUES ('ARC-X', 'psql insert')"
if [ "$RC" != 0 ] && printf '%s' "$ERR" | grep -q 'permission denied'; then pass "auditor: psql INSERT refused"; else fail "auditor: psql INSERT not refused (rc $RC: $ERR)"; fi
run as aud1 psql -X -v ON_ERROR_STOP=1 -c "UPDATE arcs.cases SET title = 'changed'"
if [ "$RC" != 0 ] && printf '%s' "$ERR" | grep -q 'permission denied'; then pass "auditor: psql UPDATE refused"; else fail "auditor: psql UPDATE not refused (rc $RC: $ERR)"; fi
run as aud1 psql -X -v ON_ERROR_STOP=1 -c "DELETE FROM arcs.case_jurisdictions"
if [ "$RC" != 0 ] && printf '%s' "$ERR" | grep -q 'permission denied'; then pass "auditor: psql DELETE refused"; else fail "auditor: psql DELETE not refused (rc $RC: $ERR)"; fi
expect_eq "$before" "$(db_digest)" "data unchanged after the auditor's refusals"

# wrong password: no connection
expect_exit 1 "wrong password refused" env PGUSER=aud1 PGPASSWORD=wrong "$ARCS_BIN" case list

# the analyst writes case data, but makes no users
expect_exit 0 "analyst: case add" as ana1 "$ARCS_BIN" case add --ref ARC-2025-0102 --title "Entered by an analyst" --opened 2024-05-01
expect_eq "Entered by an analyst" "$(sql "SELECT title FROM arcs.cases WHERE ref = 'ARC-2025-0102'")" "analyst's case stored"
expect_exit 0 "analyst: subject add" as ana1 "$ARCS_BIN" subject add ARC-2025-0102 --name "A. Person" --kind person --role defendant
expect_exit 0 "analyst: decision add" as ana1 "$ARCS_BIN" decision add ARC-2025-0102 --kind freeze --ref FR-102 --issuer Court --date 2024-05-02
expect_exit 0 "analyst: case status" as ana1 "$ARCS_BIN" case status ARC-2025-0102 investigation --decision FR-102 --date 2024-05-03
expect_eq "ana1" "$(sql "SELECT db_user FROM arcs.case_status_changes ORDER BY id DESC LIMIT 1")" "the change names the analyst"
before=$(db_digest)
expect_exit 4 "analyst: user add refused" as ana1 "$ARCS_BIN" user add mallory --role admin --password-file "$pwdir/ana1"
expect_eq "" "$(sql "SELECT rolname FROM pg_roles WHERE rolname = 'mallory'")" "no role mallory"
expect_eq "$before" "$(db_digest)" "data unchanged after the analyst's refusal"

# The log is written through the database only: a writer seals by calling
# arcs_audit.append, which refuses an entry that renames who made a change.
denied() { # WHAT SQL: the analyst's psql statement is refused for permission
    run as ana1 psql -X -v ON_ERROR_STOP=1 -c "$2"
    if [ "$RC" != 0 ] && printf '%s' "$ERR" | grep -q 'permission denied'; then pass "analyst: $1 refused"; else fail "analyst: $1 not refused (rc $RC: $ERR)"; fi
}
denied "INSERT into the audit entries" "INSERT INTO arcs_audit.entries (seq, entry, leaf_hash, table_name, row_key) VALUES (999, 'x', decode(repeat('00', 32), 'hex'), 'arcs.cases', '{}')"
denied "DELETE of captured changes" "DELETE FROM arcs_audit.pending"
denied "UPDATE of the tree state" "UPDATE arcs_audit.tree_state SET size = 0"
denied "INSERT of a tree head" "INSERT INTO arcs_audit.tree_heads (size, root) VALUES (999, decode(repeat('00', 32), 'hex'))"
# a change made with psql waits unsealed; sealing it under another name fails
expect_exit 0 "analyst: a case by psql" as ana1 psql -X -v ON_ERROR_STOP=1 -c "INSERT INTO arcs.cases (ref, title) VALUES ('ARC-PSQL-1', 'by psql')"
before=$(db_digest)
# append_sql NAME DELTA COPIES: a call of arcs_audit.append sealing the
# newest captured change COPIES+1 times, as if made by NAME, its first entry
# numbered DELTA past the log's end.
append_sql() {
    echo "WITH p AS (SELECT * FROM arcs_audit.pending ORDER BY id DESC LIMIT 1),
  n AS (SELECT coalesce(max(seq) + 1, 0) + $2 AS s FROM arcs_audit.entries),
  e AS (SELECT p.id, k, n.s, convert_to('{\"actor\":\"$1\",\"db_user\":\"$1\",\"key\":'
        || p.key::text || ',\"new\":' || p.new_row::text
        || ',\"old\":null,\"op\":\"insert\",\"seq\":\"' || (n.s + k)
        || '\",\"table\":\"arcs.cases\",\"time\":\"'
        || to_char(p.captured_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')
        || '\",\"txid\":\"' || p.txid || '\"}', 'UTF8') AS b
        FROM p, n, generate_series(0, $3) k)
SELECT arcs_audit.append(array_agg(id ORDER BY k), array_agg(length(b) ORDER BY k),
       string_agg(b, ''::bytea ORDER BY k)) FROM e"
}
refused_append() { # WHAT MESSAGE NAME DELTA COPIES
    run as ana1 psql -X -v ON_ERROR_STOP=1 -c "$(append_sql "$3" "$4" "$5")"
    if [ "$RC" != 0 ] && printf '%s' "$ERR" | grep -qF "$2"; then pass "analyst: $1 refused"; else fail "analyst: $1 not refused (rc $RC: $ERR)"; fi
    expect_eq "$before" "$(db_digest)" "the log is unchanged after: $1"
}
refused_append "an entry naming another user" "1 of 1 entries are not their captured change" aud1 0 0
refused_append "an entry leaving a gap in the log" "1 of 1 entries are not their captured change" ana1 1 0
refused_append "one change sealed twice" "a captured change was sealed twice" ana1 0 1
expect_eq 1 "$(sql "SELECT count(*) FROM arcs_audit.pending")" "the change still waits to be sealed"
expect_exit 0 "analyst: arcs audit seal" as ana1 "$ARCS_BIN" audit seal
expect_eq "ana1 0" "$(sql "SELECT convert_from(entry, 'UTF8')::jsonb->>'db_user' FROM arcs_audit.entries WHERE row_key = (SELECT '{\"id\":\"' || id || '\"}' FROM arcs.cases WHERE ref = 'ARC-PSQL-1') AND table_name = 'arcs.cases'") $(sql "SELECT count(*) FROM arcs_audit.pending")" \
    "sealed under the analyst's name, nothing left pending"
expect_exit 0 "the log verifies" arcs audit verify

# an admin login makes users
expect_exit 0 "admin: user add" as adm1 "$ARCS_BIN" user add sup1 --role supervisor --password-file "$pwdir/adm1"
expect_eq t "$(sql "SELECT pg_has_role('sup1', 'arcs_supervisor', 'MEMBER') AND pg_has_role('sup1', 'arcs_analyst', 'MEMBER')")" "a supervisor is an analyst too"
finish
