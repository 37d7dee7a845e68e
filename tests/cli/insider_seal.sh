# Insiders cannot bend the log: the database derives what it stores beside
# an entry, refuses entries that are not their captured change, keeps the
# tree itself, and lets no writer touch the log's tables. The attacks run as
# an analyst (and an admin) through psql; the tree-state forgery as a
# superuser, to show what it breaks and who tells.
. "$(dirname "$0")/lib.sh"

expect_exit 0 "db init" arcs db init --base-currency KZT
pwdir=$(mktemp -d)
trap 'rm -rf "$pwdir" "$T_OUT" "$T_ERR"' EXIT
for u in ana1 adm1; do
    printf 'pw-%s-%s\n' "$u" "$RANDOM$RANDOM" >"$pwdir/$u"
    chmod 600 "$pwdir/$u"
done
expect_exit 0 "user add ana1" arcs user add ana1 --role analyst --password-file "$pwdir/ana1"
expect_exit 0 "user add adm1" arcs user add adm1 --role admin --password-file "$pwdir/adm1"
as() { local u=$1; shift; PGUSER=$u PGPASSWORD=$(head -n 1 "$pwdir/$u") "$@"; }
psql_as() { local u=$1; shift; run as "$u" psql -X -v ON_ERROR_STOP=1 "$@"; }

# ---- honest seals: the stored columns are the derived ones ----
expect_exit 0 "analyst: case add" as ana1 "$ARCS_BIN" case add --ref ARC-2025-0300 \
    --title "Funds in Austria" --opened 2024-01-10 --jurisdiction holding:AT
case_id=$(sql "SELECT id FROM arcs.cases WHERE ref = 'ARC-2025-0300'")
expect_exit 0 "analyst: subject add" as ana1 "$ARCS_BIN" subject add ARC-2025-0300 \
    --name "A. Person" --kind person --role defendant
expect_exit 0 "analyst: asset add" as ana1 "$ARCS_BIN" asset add ARC-2025-0300 \
    --kind cash --desc "Account at Bank X" --country AT
asset_id=$OUT
# every entry's stored columns, recomputed from its bytes by the rule of
# docs/audit-format.md §3
derived_mismatches() {
    sql "WITH e AS (SELECT seq, table_name, row_key, case_id, asset_id,
                          convert_from(entry, 'UTF8')::jsonb AS j FROM arcs_audit.entries),
         d AS (SELECT e.*, CASE WHEN jsonb_typeof(j->'new') = 'object' THEN j->'new'
                                WHEN jsonb_typeof(j->'old') = 'object' THEN j->'old' END AS img
                 FROM e),
         c AS (SELECT d.*, CASE WHEN j->>'table' = 'arcs.cases' THEN j->'key'->'id' ELSE img->'case_id' END AS cv,
                           CASE WHEN j->>'table' = 'arcs.assets' THEN j->'key'->'id' ELSE img->'asset_id' END AS av
                 FROM d)
         SELECT count(*) FROM c
          WHERE table_name IS DISTINCT FROM j->>'table'
             OR row_key IS DISTINCT FROM arcs_audit.canonical_text(j->'key')
             OR case_id IS DISTINCT FROM CASE WHEN jsonb_typeof(cv) = 'string' AND strpos(cv::text, '\\') = 0 THEN cv->>0 END
             OR asset_id IS DISTINCT FROM CASE WHEN jsonb_typeof(av) = 'string' AND strpos(av::text, '\\') = 0 THEN av->>0 END"
}
expect_eq 0 "$(derived_mismatches)" "every entry's table_name, row_key, case_id, asset_id is the one its bytes give"
expect_eq "{\"case_id\":\"$case_id\",\"country\":\"AT\",\"role\":\"holding\"}|$case_id" \
    "$(sql "SELECT row_key || '|' || case_id FROM arcs_audit.entries WHERE table_name = 'arcs.case_jurisdictions' ORDER BY seq DESC LIMIT 1")" \
    "a composite key in canonical order, and the case it belongs to"
expect_eq "$case_id" "$(sql "SELECT case_id FROM arcs_audit.entries WHERE table_name = 'arcs.subjects' ORDER BY seq DESC LIMIT 1")" \
    "a subject's entry names its case"
expect_eq "$case_id|$asset_id" "$(sql "SELECT case_id || '|' || asset_id FROM arcs_audit.entries WHERE table_name = 'arcs.assets' ORDER BY seq DESC LIMIT 1")" \
    "an asset's entry names its case and itself"
expect_eq 0 "$(sql "SELECT count(*) FROM arcs_audit.pending")" "nothing pending"

# ---- the append function takes no column it could be lied to about ----
expect_eq "arcs_audit.append(bigint[],integer[],bytea)" \
    "$(sql "SELECT string_agg(p.oid::regprocedure::text, ',') FROM pg_proc p WHERE p.proname = 'append' AND p.pronamespace = 'arcs_audit'::regnamespace")" \
    "one append: pending ids, lengths and entry bytes, nothing else"

# an entry for the newest captured change: NAME as the change's actor and
# db_user, NEW as its new image (SQL), OLD as its old image (SQL)
forged_sql() { # ACTOR_SQL NEW_SQL OLD_SQL
    echo "WITH p AS (SELECT * FROM arcs_audit.pending ORDER BY id DESC LIMIT 1),
  n AS (SELECT coalesce(max(seq) + 1, 0) AS s FROM arcs_audit.entries),
  e AS (SELECT p.id, convert_to('{\"actor\":' || to_json($1)::text || ',\"db_user\":' || to_json(p.db_user)::text
        || ',\"key\":' || arcs_audit.canonical_text(p.key::jsonb)
        || ',\"new\":' || coalesce(arcs_audit.canonical_text(($2)::jsonb), 'null')
        || ',\"old\":' || coalesce(arcs_audit.canonical_text(($3)::jsonb), 'null')
        || ',\"op\":' || to_json(p.op)::text || ',\"seq\":\"' || n.s
        || '\",\"table\":' || to_json(p.table_name)::text || ',\"time\":\"'
        || to_char(p.captured_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')
        || '\",\"txid\":\"' || p.txid || '\"}', 'UTF8') AS b FROM p, n)
SELECT arcs_audit.append(ARRAY[id], ARRAY[length(b)], b) FROM e"
}
refused() { # WHAT MESSAGE: the last psql run failed with MESSAGE, nothing changed
    if [ "$RC" != 0 ] && printf '%s' "$ERR" | grep -qF "$2"; then pass "$1 refused"; else fail "$1 not refused (rc $RC: $ERR)"; fi
    expect_eq "$before" "$(db_digest)" "nothing changed after: $1"
}

# a subject changed with psql waits unsealed; sealing it with its case_id
# nulled (hiding it from the case) or its name changed is refused
psql_as ana1 -c "UPDATE arcs.subjects SET name = 'B. Person' WHERE case_id = $case_id"
expect_eq 0 "$RC" "analyst: a subject renamed with psql"
before=$(db_digest)
psql_as ana1 -c "$(forged_sql "p.actor" "p.new_row::jsonb - 'case_id' || '{\"case_id\":null}'" "p.old_row")"
refused "analyst: sealing the edit with case_id null" "1 of 1 entries are not their captured change"
psql_as ana1 -c "$(forged_sql "p.actor" "p.new_row::jsonb || '{\"name\":\"C. Other\"}'" "p.old_row")"
refused "analyst: sealing the edit with another name" "1 of 1 entries are not their captured change"
psql_as ana1 -c "$(forged_sql "'someone else'::text" "p.new_row" "p.old_row")"
refused "analyst: sealing the edit under another actor" "1 of 1 entries are not their captured change"
# the honest entry built the same way goes in (the forger's SQL is right
# but for the lie), with the derived case_id
psql_as ana1 -c "$(forged_sql "p.actor" "p.new_row" "p.old_row")"
expect_eq 0 "$RC" "analyst: the same call with the captured images is accepted ($ERR)"
expect_eq "$case_id" "$(sql "SELECT case_id FROM arcs_audit.entries ORDER BY seq DESC LIMIT 1")" \
    "the edit is stored under its case"
expect_exit 0 "verify after a hand-made honest seal" arcs audit verify

# a row inserted and deleted in one session, sealed as another row: replay
# would end in the same state, so only the append can refuse it
psql_as ana1 -c "INSERT INTO arcs.case_jurisdictions (case_id, role, country) VALUES ($case_id, 'victim', 'KZ')" \
    -c "DELETE FROM arcs.case_jurisdictions WHERE case_id = $case_id AND role = 'victim'"
expect_eq 0 "$RC" "analyst: insert and delete a jurisdiction in one session"
expect_eq 2 "$(sql "SELECT count(*) FROM arcs_audit.pending")" "two captured changes wait"
before=$(db_digest)
pair_sql() { # COUNTRY: seal the insert and the delete as a jurisdiction in COUNTRY
    echo "WITH p AS (SELECT * FROM arcs_audit.pending ORDER BY id),
  n AS (SELECT coalesce(max(seq) + 1, 0) AS s FROM arcs_audit.entries),
  q AS (SELECT p.*, row_number() OVER (ORDER BY p.id) - 1 AS k,
               (SELECT jsonb_object_agg(x.key, CASE WHEN x.key = 'country' THEN to_jsonb('$1'::text) ELSE x.value END)
                  FROM jsonb_each(coalesce(p.new_row, p.old_row)::jsonb) x) AS img FROM p),
  e AS (SELECT q.id, q.k, convert_to('{\"actor\":' || to_json(q.actor)::text || ',\"db_user\":' || to_json(q.db_user)::text
        || ',\"key\":' || arcs_audit.canonical_text(q.key::jsonb - 'country' || jsonb_build_object('country', '$1'))
        || ',\"new\":' || CASE WHEN q.op = 'insert' THEN arcs_audit.canonical_text(q.img) ELSE 'null' END
        || ',\"old\":' || CASE WHEN q.op = 'delete' THEN arcs_audit.canonical_text(q.img) ELSE 'null' END
        || ',\"op\":' || to_json(q.op)::text || ',\"seq\":\"' || (n.s + q.k)
        || '\",\"table\":' || to_json(q.table_name)::text || ',\"time\":\"'
        || to_char(q.captured_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')
        || '\",\"txid\":\"' || q.txid || '\"}', 'UTF8') AS b FROM q, n)
SELECT arcs_audit.append(array_agg(id ORDER BY k), array_agg(length(b) ORDER BY k), string_agg(b, ''::bytea ORDER BY k)) FROM e"
}
psql_as ana1 -c "$(pair_sql DE)"
refused "analyst: sealing an insert-then-delete pair as another row" "2 of 2 entries are not their captured change"
psql_as ana1 -c "$(pair_sql KZ)"
expect_eq 0 "$RC" "analyst: the pair with its captured images is accepted ($ERR)"
expect_exit 0 "verify after the pair" arcs audit verify

# ---- no writer writes the log's tables ----
for u in ana1 adm1; do
    before=$(db_digest)
    for stmt in \
        "INSERT INTO arcs_audit.entries (seq, entry, leaf_hash, table_name, row_key) VALUES (999, 'x', decode(repeat('00', 32), 'hex'), 'arcs.cases', '{}')" \
        "UPDATE arcs_audit.entries SET case_id = NULL" \
        "UPDATE arcs_audit.tree_state SET frontier = frontier" \
        "INSERT INTO arcs_audit.tree_heads (size, root) VALUES (999, decode(repeat('00', 32), 'hex'))" \
        "DELETE FROM arcs_audit.pending" \
        "INSERT INTO arcs_audit.pending (txid, table_name, op, key, db_user, actor, captured_at) VALUES (1, 'arcs.cases', 'insert', '{}', 'x', 'x', now())"; do
        psql_as "$u" -c "$stmt"
        if [ "$RC" != 0 ] && printf '%s' "$ERR" | grep -q 'permission denied'; then pass "$u: ${stmt:0:40}… refused"; else fail "$u: ${stmt:0:40}… not refused (rc $RC: $ERR)"; fi
    done
    expect_eq "$before" "$(db_digest)" "$u: nothing changed"
done

# ---- a wrong tree state ----
# A superuser (the only one who can now) stores a wrong frontier: the next
# seal refuses to build on it, naming the table, and nothing is sealed.
expect_exit 0 "a write before the forgery" as ana1 "$ARCS_BIN" case add --ref ARC-2025-0301 --title "Before"
size0=$(sql "SELECT size FROM arcs_audit.tree_state")
good_frontier=$(sql "SELECT encode(frontier, 'hex') FROM arcs_audit.tree_state")
sql "UPDATE arcs_audit.tree_state SET frontier = substring(frontier FROM 1 FOR length(frontier) - 32) || sha256(frontier)"
expect_exit 1 "a write after a wrong frontier: its seal is refused" as ana1 "$ARCS_BIN" case add --ref ARC-2025-0302 --title "After"
expect_match 'arcs_audit.tree_state does not match' "$ERR" "the refusal names the tree state"
expect_eq "$size0|1" "$(sql "SELECT (SELECT count(*) FROM arcs_audit.entries) || '|' || (SELECT count(*) FROM arcs_audit.pending)")" \
    "nothing sealed on the wrong frontier; the change waits"
expect_exit 5 "verify finds the frontier that is not the entries'" arcs audit verify
expect_match 'arcs_audit\.tree_state.*stored frontier is not' "$OUT$ERR" "verify names the frontier of arcs_audit.tree_state"
# The old bad append call: a wrong frontier and a head that agrees with it.
# Seals build on it; verify names the heads.
sql "ALTER TABLE arcs_audit.tree_heads DISABLE TRIGGER ALL"
sql "UPDATE arcs_audit.tree_heads SET root = arcs_audit.frontier_root((SELECT frontier FROM arcs_audit.tree_state)) WHERE size = $size0"
sql "ALTER TABLE arcs_audit.tree_heads ENABLE ALWAYS TRIGGER ALL"
expect_exit 0 "a seal over the forged state goes through" as ana1 "$ARCS_BIN" audit seal
expect_exit 5 "verify finds the forged tree" arcs audit verify
expect_match 'arcs_audit\.tree_heads' "$OUT$ERR" "verify names arcs_audit.tree_heads"

# ---- on_ddl trusts no setting ----
# Setting arcs_audit.attaching used to make the event trigger skip: a
# capture trigger disabled, or a table created, stayed uncaptured.
run psql -X -v ON_ERROR_STOP=1 -c "SET arcs_audit.attaching = 'on'" \
    -c "ALTER TABLE arcs.cases DISABLE TRIGGER arcs_audit_ins" \
    -c "CREATE TABLE arcs.sneak (id int PRIMARY KEY)" -c "INSERT INTO arcs.sneak VALUES (1)"
expect_eq 0 "$RC" "superuser: DDL with the setting on ($ERR)"
expect_eq "" "$(sql "SELECT string_agg(table_name || '.' || trigger_name, ',') FROM arcs_audit.uncaptured")" \
    "every table still captured, ENABLE ALWAYS"
expect_eq 1 "$(sql "SELECT count(*) FROM arcs_audit.pending WHERE table_name = 'arcs.sneak'")" \
    "the new table's insert was captured"
finish
