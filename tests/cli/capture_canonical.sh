# Capture writes canonical text (migration 13), and the entry bytes do not
# change: the same changes, captured in the old json form and sealed by
# core's canonicalizer before the upgrade, and captured in canonical form
# and sealed after it, give the same key, images and lookup columns byte
# for byte. Awkward values throughout: quotes, backslashes, every escaped
# control character and others, DEL, non-BMP characters, arrays with NULL
# and nested elements, booleans, numbers, bytea, jsonb, and column names
# whose UTF-16 order differs from their byte order.
. "$(dirname "$0")/lib.sh"

expect_exit 0 "init at schema 11 (capture in the json form)" \
    arcs db init --base-currency KZT --to-version 11

sql "CREATE TABLE arcs.awkward (
    id bigint PRIMARY KEY,
    case_id bigint,
    asset_id text,
    flag boolean,
    amount numeric,
    ratio double precision,
    code character(3),
    blob bytea,
    doc jsonb,
    tags text[],
    grid integer[],
    at timestamp,
    span interval,
    \"Zeta\" text,
    \"é\" text,
    \"ｚ\" text,
    \"𝔸\" text)"
expect_eq 1 "$(sql "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'arcs.awkward'::regclass AND tgname = 'arcs_audit_ins'")" \
    "the new table is captured"

# The same changes, twice. Fixed ids and times, and everything made is
# deleted again, so the second run starts where the first did.
workload() {
    psql -X -v ON_ERROR_STOP=1 -q <<'EOF'
SET arcs.actor = E'act\u00f6r "q" \\ \t';
INSERT INTO arcs.cases (id, ref, title, offences, opened_on, created_at, lead_agency)
VALUES (900001, 'AWK-1', E'q" bs\\ bel\x07 bs\x08 tab\t nl\n ff\x0c cr\r us\x1f del\x7f 😀 Ж ｚ',
        '{bribery,other}', '2020-02-29', '2021-03-04 05:06:07.891011+00',
        E'\x01\x02\x03'),
       (900002, 'AWK-2', 'plain', '{}', '2020-01-01', '2020-01-01 00:00:00+00', NULL);
INSERT INTO arcs.awkward VALUES
  (1, 900001, E'as"set', true, 12345678901234567890.000100, 0.1, 'ab ',
   E'\\x00ff5c22', E'{"b": [1, 2.50, "x\\u0001"], "a": {"é": null, "z": true}, "\\u00e9": 1e3}',
   E'{"a b",NULL,"c\\\\d","\\"q"}', '{{1,2},{3,NULL}}', '2020-01-02 03:04:05.06', '1 day 02:03:04',
   E'z\x01', E'\u00e9', E'\uff5a', E'\U0001d538'),
  (2, NULL, 'A-7', false, -0.5, 'Infinity', NULL, NULL, '"only a string"', '{}', NULL, NULL,
   NULL, NULL, NULL, NULL, NULL),
  (3, 900002, E'back\\slash', NULL, NULL, NULL, 'x', '', '[]', NULL, NULL, NULL, NULL, '', '',
   '', '');
UPDATE arcs.awkward SET tags = E'{"new\ttag", "\\\\"}', flag = NOT flag, doc = '{"n": 5}' WHERE id = 1;
UPDATE arcs.awkward SET id = 4 WHERE id = 2;
UPDATE arcs.cases SET title = E'now \\ "quoted"' WHERE id = 900002;
INSERT INTO arcs.case_jurisdictions (case_id, role, country) VALUES (900001, 'victim', 'KZ');
DELETE FROM arcs.case_jurisdictions WHERE case_id = 900001;
DELETE FROM arcs.awkward;
DELETE FROM arcs.cases WHERE id IN (900001, 900002);
EOF
}

# the changes' part of each entry: key, new, old and op, table; and the
# lookup columns, in log order
changes() { # FROM_SEQ
    sql "SELECT substring(convert_from(e.entry, 'UTF8') FROM '\"key\":.*,\"seq\":')
                || ' | ' || (convert_from(e.entry, 'UTF8')::jsonb ->> 'table')
                || ' | ' || coalesce(e.case_id, '-') || ' | ' || coalesce(e.asset_id, '-')
                || ' | ' || e.row_key
         FROM arcs_audit.entries e WHERE e.seq >= $1 AND e.table_name IN ('arcs.cases', 'arcs.awkward', 'arcs.case_jurisdictions')
         ORDER BY e.seq"
}

expect_exit 0 "seal what init captured" arcs audit seal
s1=$(sql "SELECT size FROM arcs_audit.tree_state")
run workload
expect_eq 0 "$RC" "the changes, captured in the json form ($ERR)"
count=$(sql "SELECT count(*) FROM arcs_audit.pending")
expect_match '"title" : ' "$(sql "SELECT string_agg(new_row::text, '') FROM arcs_audit.pending")" \
    "pending holds the old json form"
expect_exit 0 "seal them at schema 11 (core canonicalizes the json form)" arcs audit seal
old=$(changes "$s1")
expect_eq "$count" "$(printf '%s\n' "$old" | wc -l)" "all $count changes sealed"

expect_exit 0 "upgrade" arcs db init
s2=$(sql "SELECT size FROM arcs_audit.tree_state")
run workload
expect_eq 0 "$RC" "the same changes, captured in canonical form ($ERR)"
expect_eq "$count|$count" "$(sql "SELECT count(*) || '|' || count(*) FILTER (WHERE canonical) FROM arcs_audit.pending")" \
    "pending holds them marked canonical"
expect_exit 0 "seal them at the new schema" arcs audit seal
new=$(changes "$s2")
if [ "$old" = "$new" ]; then
    pass "the same bytes and lookup columns before and after the change of capture"
else
    fail "the entries differ:"
    diff <(printf '%s\n' "$old") <(printf '%s\n' "$new") | head -20
fi
expect_match '"𝔸":.*"ｚ":' "$new" "members in UTF-16 order, not byte order"
expect_match '"title":"q\\" bs\\\\ bel\\u0007 bs\\b tab\\t nl\\n ff\\f cr\\r us\\u001f del' "$new" \
    "control characters escaped as canonical form escapes them"

expect_exit 0 "the log verifies" arcs audit verify

# the comparison is of bytes now: the captured change written with other
# spacing (equal as JSON, which schema 11 accepted) is refused
sql "INSERT INTO arcs.cases (ref, title) VALUES ('AWK-3', 'spaced')"
spaced_sql="WITH p AS (SELECT * FROM arcs_audit.pending ORDER BY id DESC LIMIT 1),
  n AS (SELECT size AS s FROM arcs_audit.tree_state),
  e AS (SELECT p.id, convert_to('{\"actor\":' || to_json(p.actor)::text || ',\"db_user\":' || to_json(p.db_user)::text
        || ',\"key\":' || replace(p.key::text, ':', ': ') || ',\"new\":' || p.new_row::text || ',\"old\":null'
        || ',\"op\":\"insert\",\"seq\":\"' || n.s || '\",\"table\":\"arcs.cases\",\"time\":\"'
        || to_char(p.captured_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')
        || '\",\"txid\":\"' || p.txid || '\"}', 'UTF8') AS b FROM p, n)
SELECT arcs_audit.append(ARRAY[id], ARRAY[length(b)], b) FROM e"
before=$(db_digest)
run psql -X -v ON_ERROR_STOP=1 -c "$spaced_sql"
if [ "$RC" != 0 ] && printf '%s' "$ERR" | grep -qF "1 of 1 entries are not their captured change"; then
    pass "an entry with the key spaced otherwise refused"
else
    fail "an entry with the key spaced otherwise not refused (rc $RC: $ERR)"
fi
expect_eq "$before" "$(db_digest)" "nothing changed after the spaced entry"
run psql -X -v ON_ERROR_STOP=1 -c "$(printf '%s' "$spaced_sql" | sed "s/replace(p.key::text, ':', ': ')/p.key::text/")"
expect_eq 0 "$RC" "the same call with the captured bytes is accepted ($ERR)"

# old-form changes still waiting at an upgrade are rewritten and sealed
sql "INSERT INTO arcs_audit.pending (txid, table_name, op, key, new_row, db_user, actor, captured_at)
     SELECT txid_current(), 'arcs.awkward', 'insert', '{\"id\" : \"9\"}',
            '{\"id\" : \"9\", \"case_id\" : \"5\", \"asset_id\" : null, \"𝔸\" : \"x\", \"ｚ\" : \"y\"}',
            'postgres', 'postgres', now()"
expect_exit 0 "an old-form change seals" arcs audit seal
expect_eq '{"id":"9"}|5|-|{"asset_id":null,"case_id":"5","id":"9","𝔸":"x","ｚ":"y"}' \
    "$(sql "SELECT row_key || '|' || case_id || '|' || coalesce(asset_id, '-') || '|'
                   || (convert_from(entry, 'UTF8')::json ->> 'new')
              FROM arcs_audit.entries ORDER BY seq DESC LIMIT 1")" \
    "rewritten into canonical form, with its lookup columns"

# a captured table whose columns share the capture function's variable
# names (a, t, u, x) is captured, sealed and verified like any other
sql "CREATE TABLE arcs.vc_names (a int PRIMARY KEY, t text, u text, x text)"
sql "INSERT INTO arcs.vc_names VALUES (1, 'tee', 'you', 'ex')"
sql "UPDATE arcs.vc_names SET x = 'ex2' WHERE a = 1"
expect_exit 0 "a table with columns a, t, u, x: its changes seal" arcs audit seal
expect_eq '{"a":"1","t":"tee","u":"you","x":"ex2"}' \
    "$(sql "SELECT convert_from(entry, 'UTF8')::json ->> 'new' FROM arcs_audit.entries
             WHERE table_name = 'arcs.vc_names' ORDER BY seq DESC LIMIT 1")" \
    "the update is captured with the row's own values"
# verify's one finding is the hand-made old-form row above, whose row was
# never in its table; nothing about arcs.vc_names
run arcs audit verify
expect_eq '5|seq NNN: arcs.awkward {"id":"9"}: row is in the log but not in the table: deleted with capture bypassed' \
    "$RC|$(printf '%s\n' "$OUT" | sed 's/^seq [0-9]*:/seq NNN:/')" "verify finds nothing about that table"
finish
