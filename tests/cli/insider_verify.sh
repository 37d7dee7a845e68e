# arcs audit verify trusts nothing a superuser can redefine: it reads the
# business tables raw and builds every image itself, recomputes the entries'
# index columns from their bytes, and checks every stored checkpoint. Each
# attack is run as the role named; verify must exit 5 and name what changed.
. "$(dirname "$0")/lib.sh"
W=$(mktemp -d)
trap 'rm -rf "$W" "$T_OUT" "$T_ERR"' EXIT

arcs db init --base-currency KZT >/dev/null
VK=$(arcs audit keygen --name arcs.example/log --out "$W/log.key")
for i in 1 2 3; do arcs case add --ref "ARC-$i" --title "Case $i" >/dev/null; done
sql "INSERT INTO arcs.subjects (case_id, name, kind, role, id_number) VALUES (1, 'R. Ivanov', 'person', 'defendant', '850101300123')"

# Images built in C match capture's for every kind of column, edge values too.
sql "CREATE TYPE arcs.zz_mood AS ENUM ('calm', 'odd \"quoted\"')"
sql "CREATE DOMAIN arcs.zz_money AS numeric(20,2)"
sql "CREATE TABLE arcs.zz_kinds (id int, b text, f boolean, d date, ts timestamptz, tl timestamp,
     by bytea, j jsonb, js json, ar text[], ai bigint[], ab boolean[], c3 char(3), nm numeric,
     fl double precision, iv interval, ip inet, uid uuid, mo arcs.zz_mood, dm arcs.zz_money,
     PRIMARY KEY (b, id))"
sql "INSERT INTO arcs.zz_kinds VALUES
 (1, 'plain', true, '2024-02-29', '2024-01-02 03:04:05.5+05', '2024-01-02 03:04:05', '\\x00ff10',
  '{\"n\": 1.50, \"e\": 1e2, \"s\": \"x\", \"a\": [1, {\"z\": null, \"b\": false}], \"k\": 1, \"k\": 2}',
  '{\"n\": 1.50, \"dup\": 1, \"dup\": 2, \"t\": \"tab\\tnl\\n\"}',
  ARRAY['a b', 'q\"uote', 'back\\slash', NULL, 'NULL', '', ' lead', '{x}'],
  '{1,2,-3}', '{t,f,NULL}', 'ab', 12.3400, 0.1, '1 day 2 hours', '10.0.0.1', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
  'odd \"quoted\"', 5.1),
 (2, E'tab\\there\\nnewline \\\\ back \\u0001 ctl Қазақ', false, 'infinity', '-infinity', '0044-03-15 10:00:00 BC',
  '\\x', 'null', '[]', '{}', '{{1,2},{3,4}}', '[0:1]={t,f}', 'abc', -0.000, 1e300, '-1 mon', '::1/128', NULL, 'calm', NULL),
 (3, 'nulls', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
 (4, 'old', false, '0044-03-15 BC', '2024-06-30 23:59:59.999999+00', '10000-01-01 00:00:00', '\\x41',
  '\"just a string\"', '123.0', '{\"\"}', '{}', '{}', 'x  ', 'NaN', '-Infinity', 'PT0S', '192.168.0.0/16', NULL, NULL, -0.5)"
sql "UPDATE arcs.zz_kinds SET nm = nm + 1 WHERE id = 1"
arcs audit seal >/dev/null
expect_exit 0 "rows of every kind of column verify" arcs audit verify
arcs audit checkpoint --key "$W/log.key" --out "$W/cp" >/dev/null
expect_exit 0 "the untouched database verifies with its checkpoint" arcs audit verify --vkey "$VK" --checkpoint "$W/cp"

n=0
# attack NAME SQL: on a copy of the database, run SQL as a superuser.
attack() {
    n=$((n + 1))
    DB="t$n"
    createdb -T arcs "$DB"
    psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -c "ALTER EVENT TRIGGER arcs_audit_ddl DISABLE" \
        -c "$2" >/dev/null || fail "$1: the attack's SQL failed"
}

# A value changed behind capture's back in a table of every kind of column.
attack "zz_kinds changed" "ALTER TABLE arcs.zz_kinds DISABLE TRIGGER arcs_audit_upd;
    UPDATE arcs.zz_kinds SET ar = ARRAY['a b', 'q\"uote', 'back\\slash', NULL, 'NULL', '', ' lead', '{y}'] WHERE id = 1;
    ALTER TABLE arcs.zz_kinds ENABLE ALWAYS TRIGGER arcs_audit_upd"
expect_exit 5 "a changed array element: verify exits 5" arcs --db "dbname=$DB" audit verify --vkey "$VK"
expect_match 'arcs.zz_kinds \{"b":"plain","id":"1"\}: row differs' "$OUT" "the changed row is named"

# A cast into text defined by a superuser would change how a value renders:
# verify names the table whose column type has one.
attack "cast redefined" "CREATE FUNCTION arcs.zz_uuid_text(u uuid) RETURNS text LANGUAGE sql IMMUTABLE AS
    \$f\$ SELECT 'same'::text \$f\$;
    CREATE CAST (uuid AS text) WITH FUNCTION arcs.zz_uuid_text(uuid)"
expect_exit 5 "a cast outside pg_catalog: verify exits 5" arcs --db "dbname=$DB" audit verify --vkey "$VK"
expect_match 'arcs.zz_kinds: a column.s type has a cast whose function is outside pg_catalog' "$OUT" "the table is named"

# The red team's attack: the snapshot functions verify once used are
# redefined to read a shadow copy, and a case is changed with capture off.
attack "snapshot functions redefined" "CREATE SCHEMA shadow;
    CREATE TABLE shadow.cases AS SELECT * FROM arcs.cases;
    CREATE OR REPLACE FUNCTION arcs_audit.snapshot_open(rel regclass) RETURNS refcursor
    LANGUAGE plpgsql SET search_path = pg_catalog AS \$f\$
    DECLARE c refcursor := 'arcs_audit_rows';
    BEGIN
        OPEN c NO SCROLL FOR EXECUTE format('SELECT (%s)::text FROM %s n',
            arcs_audit.object_expr(rel, 'n', false),
            CASE WHEN rel = 'arcs.cases'::regclass THEN 'shadow.cases' ELSE rel::text END);
        RETURN c;
    END \$f\$;
    CREATE OR REPLACE FUNCTION arcs_audit.snapshot(rel regclass) RETURNS TABLE (key text, image text)
    LANGUAGE plpgsql SET search_path = pg_catalog AS \$f\$
    BEGIN
        RETURN QUERY EXECUTE format('SELECT (%s)::text, (%s)::text FROM %s n',
            arcs_audit.object_expr(rel, 'n', true), arcs_audit.object_expr(rel, 'n', false),
            CASE WHEN rel = 'arcs.cases'::regclass THEN 'shadow.cases' ELSE rel::text END);
    END \$f\$;
    CREATE OR REPLACE FUNCTION arcs_audit.key_columns(rel regclass) RETURNS SETOF text
    LANGUAGE sql STABLE SET search_path = pg_catalog AS \$f\$
        SELECT a.attname::text FROM pg_attribute a
        LEFT JOIN pg_index i ON i.indrelid = rel AND i.indisprimary
        WHERE a.attrelid = rel AND a.attnum > 0 AND NOT a.attisdropped
          AND (i.indkey IS NULL OR a.attnum = ANY (i.indkey::int2[]))
        ORDER BY a.attnum \$f\$;
    CREATE OR REPLACE VIEW arcs_audit.uncaptured AS
        SELECT ''::text AS table_name, ''::text AS trigger_name WHERE false;
    ALTER TABLE arcs.cases DISABLE TRIGGER arcs_audit_upd;
    UPDATE arcs.cases SET title = 'Quietly renamed' WHERE ref = 'ARC-2';"
expect_exit 5 "redefined snapshot functions: verify exits 5" arcs --db "dbname=$DB" audit verify --vkey "$VK"
expect_match 'arcs.cases \{"id":"2"\}: row differs from what the log says' "$OUT" "the changed case is named"
expect_match 'arcs.cases: capture trigger arcs_audit_upd is missing' "$OUT" "the disabled trigger is named despite the redefined view"

# A superuser nulls case_id on the entries of case 2: audit log --case and
# the case report would no longer find them.
S=$(sql "SELECT min(seq) FROM arcs_audit.entries WHERE case_id = '2'")
C=$(sql "SELECT count(*) FROM arcs_audit.entries WHERE case_id = '2'")
attack "case_id nulled" "ALTER TABLE arcs_audit.entries DISABLE TRIGGER ALL;
    UPDATE arcs_audit.entries SET case_id = NULL WHERE case_id = '2'"
expect_exit 5 "nulled case_id: verify exits 5" arcs --db "dbname=$DB" audit verify --vkey "$VK"
expect_match "seq $S: arcs_audit.entries: index column case_id is NULL but the entry's bytes give '2'" "$OUT" "the first changed entry is named by seq"
expect_eq "$C" "$(printf '%s\n' "$OUT" | grep -c "index column case_id is NULL")" "every changed entry is named"
attack "row_key and table_name changed" "ALTER TABLE arcs_audit.entries DISABLE TRIGGER ALL;
    UPDATE arcs_audit.entries SET row_key = '{\"id\":\"99\"}', asset_id = '7' WHERE seq = $S;
    UPDATE arcs_audit.entries SET table_name = 'arcs.assets' WHERE seq = $((S + 1))"
expect_exit 5 "changed row_key, asset_id, table_name: verify exits 5" arcs --db "dbname=$DB" audit verify
expect_match "seq $S: arcs_audit.entries: index column row_key is '\{\"id\":\"99\"\}'" "$OUT" "changed row_key named"
expect_match "seq $S: arcs_audit.entries: index column asset_id is '7' but the entry's bytes give NULL" "$OUT" "changed asset_id named"
expect_match "seq $((S + 1)): arcs_audit.entries: index column table_name is 'arcs.assets'" "$OUT" "changed table_name named"

# An admin inserts forged checkpoints with psql: one whose root was changed
# (its signature no longer holds), and one properly signed by a key of the
# admin's own over the true root. Neither may pass as signed.
printf 'pw-adm1-%s\n' "$RANDOM$RANDOM" >"$W/adm1.pw"
chmod 600 "$W/adm1.pw"
arcs user add adm1 --role admin --password-file "$W/adm1.pw" >/dev/null
as_admin() { PGUSER=adm1 PGPASSWORD=$(head -n 1 "$W/adm1.pw") "$@"; }
EVK=$(arcs audit keygen --name arcs.example/log --out "$W/evil.key")
createdb -T arcs scratch
arcs --db dbname=scratch audit checkpoint --key "$W/evil.key" --out "$W/cp_evil" >/dev/null
ROOT=$(sed -n 3p "$W/cp" | base64 -d | od -An -tx1 | tr -d ' \n')
FAKE=$(printf 'forged' | sha256sum | cut -c1-64)
FAKE64=$(printf '%s' "$FAKE" | xxd -r -p | base64)
sed "3s|.*|$FAKE64|" "$W/cp" >"$W/cp_forged"
SIZE=$(sed -n 2p "$W/cp")
createdb -T arcs forged
printf '%s\n' "INSERT INTO arcs_audit.checkpoints (size, root, note, signer) VALUES ($SIZE, '\\x$FAKE', :'note', 'arcs.example/log');" \
    "INSERT INTO arcs_audit.checkpoints (size, root, note, signer) VALUES ($SIZE, '\\x$ROOT', :'evil', 'arcs.example/log');" >"$W/forge.sql"
# (notes end in a newline, which $(...) would drop)
NOTE=$(cat "$W/cp_forged"; printf x) EVIL=$(cat "$W/cp_evil"; printf x)
run as_admin psql -X -v ON_ERROR_STOP=1 -d forged -v note="${NOTE%x}" -v evil="${EVIL%x}" -f "$W/forge.sql"
expect_eq 0 "$RC" "the admin could insert checkpoint rows (the attack ran: $ERR)"
FID=$(psql -X -Atq -d forged -c "SELECT id FROM arcs_audit.checkpoints WHERE root = '\\x$FAKE'")
EID=$(psql -X -Atq -d forged -c "SELECT max(id) FROM arcs_audit.checkpoints")
expect_exit 5 "forged checkpoint rows: verify exits 5" arcs --db dbname=forged audit verify --vkey "$VK"
expect_match "arcs_audit.checkpoints id $FID: stored checkpoint's signature does not verify" "$OUT" "the changed note is named"
expect_match "arcs_audit.checkpoints id $EID: stored checkpoint's signature does not verify" "$OUT" "the note of an untrusted key is named"
expect_exit 5 "without keys the forged root is still a finding" arcs --db dbname=forged audit verify
expect_match "arcs_audit.checkpoints id $FID: checkpoint root differs from the log's root" "$OUT" "the forged root is named"

expect_exit 0 "case report without keys" arcs --db dbname=forged report case ARC-1 --format json
expect_eq "false|checkpoint recorded, not verified" \
    "$(printf '%s' "$OUT" | python3 -c 'import json,sys; c=json.load(sys.stdin)["checkpoint"]; print(str(c["signed"]).lower() + "|" + c["kind"])')" \
    "without keys no checkpoint is called signed"
if printf '%s' "$OUT" | grep -q '"in the verified checkpoint"'; then fail "an entry is cited as in a verified checkpoint"; else pass "no entry is cited as in a signed checkpoint"; fi
expect_exit 0 "case report with the log's key" arcs --db dbname=forged report case ARC-1 --format json --vkey "$VK"
expect_eq "true|signed and verified checkpoint|$ROOT" \
    "$(printf '%s' "$OUT" | python3 -c 'import json,sys; c=json.load(sys.stdin)["checkpoint"]; print(str(c["signed"]).lower() + "|" + c["kind"] + "|" + c["root"])')" \
    "with the key, only the genuine checkpoint is called signed"
expect_exit 0 "case report trusting only the admin's key" arcs --db dbname=forged report case ARC-1 --format md --vkey "$EVK"
expect_match "at audit signed and verified checkpoint of size" "$OUT" "a checkpoint by a given key over the true root is signed for whoever trusts that key"
expect_exit 0 "html case report without keys" arcs --db dbname=forged report case ARC-1 --format html
if printf '%s' "$OUT" | grep -qi 'signed checkpoint\|signed and verified'; then fail "the html report calls a checkpoint signed"; else pass "the html report calls nothing signed"; fi
finish
