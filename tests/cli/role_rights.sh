# Each role's rights, as a table: every table, view and callable function of
# the arcs schemas against analyst, supervisor, auditor and admin, asked
# through psql by a login of each role, compared with the table in
# docs/operations.md. Then every right the table denies is tried for real
# (SELECT, INSERT, UPDATE, DELETE as that login) and must be refused. And no
# arcs login holds a role attribute or a pg_* role that reaches beyond arcs.
. "$(dirname "$0")/lib.sh"

doc=$ARCS_SOURCE_DIR/docs/operations.md
expect_exit 0 "db init" arcs db init --base-currency KZT

W=$(mktemp -d)
trap 'rm -rf "$W" "$T_OUT" "$T_ERR"' EXIT
roles="analyst supervisor auditor admin"
for r in $roles; do
    printf 'pw-%s-%s\n' "$r" "$RANDOM$RANDOM" >"$W/$r.pw"
    chmod 600 "$W/$r.pw"
    expect_exit 0 "a login in arcs_$r" arcs user add "rr_$r" --role "$r" --password-file "$W/$r.pw"
done
as() { local r=$1; shift; PGUSER=rr_$r PGPASSWORD=$(head -n 1 "$W/$r.pw") "$@"; }

# One row an object: its name, then the role's rights on it. Tables: S
# select, I insert, U update, D delete, lowercase when only some columns
# are granted, - none. Schemas: U usage, C create. Functions: X when the role may execute it. Trigger
# and event-trigger functions are left out: PostgreSQL refuses to call them
# except as triggers, whoever asks.
rights_sql="
SELECT 'schema ' || n.nspname,
       concat(CASE WHEN has_schema_privilege(n.oid, 'USAGE') THEN 'U' END,
              CASE WHEN has_schema_privilege(n.oid, 'CREATE') THEN 'C' END)
  FROM pg_namespace n WHERE n.nspname IN ('arcs', 'arcs_audit', 'arcs_meta')
UNION ALL
SELECT n.nspname || '.' || c.relname || CASE c.relkind WHEN 'v' THEN ' (view)' ELSE '' END,
       concat(CASE WHEN has_table_privilege(c.oid, 'SELECT') THEN 'S'
                   WHEN has_any_column_privilege(c.oid, 'SELECT') THEN 's' END,
              CASE WHEN has_table_privilege(c.oid, 'INSERT') THEN 'I'
                   WHEN has_any_column_privilege(c.oid, 'INSERT') THEN 'i' END,
              CASE WHEN has_table_privilege(c.oid, 'UPDATE') THEN 'U'
                   WHEN has_any_column_privilege(c.oid, 'UPDATE') THEN 'u' END,
              CASE WHEN has_table_privilege(c.oid, 'DELETE') THEN 'D' END,
              CASE WHEN has_table_privilege(c.oid, 'TRUNCATE') THEN 'T' END)
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname IN ('arcs', 'arcs_audit', 'arcs_meta') AND c.relkind IN ('r', 'p', 'v', 'm')
UNION ALL
SELECT n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')',
       CASE WHEN has_function_privilege(p.oid, 'EXECUTE') THEN 'X' END
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname IN ('arcs', 'arcs_audit', 'arcs_meta')
   AND p.prorettype NOT IN ('trigger'::regtype, 'event_trigger'::regtype)
 ORDER BY 1"

for r in $roles; do
    as "$r" psql -X -v ON_ERROR_STOP=1 -At -F '|' -c "$rights_sql" >"$W/$r.rights" 2>"$W/$r.err" ||
        fail "rights of $r could not be read: $(cat "$W/$r.err")"
done
# the table: object | analyst | supervisor | auditor | admin
/usr/bin/python3 - "$W" $roles >"$W/actual" <<'PY'
import sys
w, roles = sys.argv[1], sys.argv[2:]
cols = {}
order = []
for r in roles:
    for line in open(f"{w}/{r}.rights", encoding="utf-8"):
        obj, _, val = line.rstrip("\n").rpartition("|")
        if obj not in cols:
            cols[obj] = {}
            order.append(obj)
        cols[obj][r] = val or "-"
for obj in sorted(order):
    print("| `" + obj + "` | " + " | ".join(cols[obj].get(r, "?") for r in roles) + " |")
PY
sed -n '/^<!-- role-rights:begin -->$/,/^<!-- role-rights:end -->$/p' "$doc" |
    grep '^| `' >"$W/documented" || true
# the table as it stands, to paste into the document when a change of grants
# is meant
cp "$W/actual" "${ARCS_BUILD_DIR:-$W}/role-rights.md"
if [ ! -s "$W/documented" ]; then
    fail "docs/operations.md has no role-rights table between its markers"
elif diff -u "$W/documented" "$W/actual" >"$W/diff"; then
    pass "the database grants exactly what docs/operations.md shows ($(wc -l <"$W/actual") objects x 4 roles)"
else
    fail "the database's rights differ from docs/operations.md (- documented, + actual):"
    cat "$W/diff"
fi
expect_eq 0 "$(grep -c '?' "$W/actual")" "every role sees every object"

# Every right the table denies is refused for real. Each attempt runs in a
# subtransaction that is always rolled back: an attempt that gets past the
# privilege check fails with its own error, never commits.
before=$(db_digest)
for r in $roles; do
    as "$r" psql -X -At -v ON_ERROR_STOP=1 >"$W/$r.tried" 2>"$W/$r.tryerr" <<'SQL'
DO $$
DECLARE
    t record;
    op text;
    stmt text;
    col text;
    wrong text := '';
    n int := 0;
BEGIN
    FOR t IN SELECT c.oid::regclass AS rel, c.oid FROM pg_class c
               JOIN pg_namespace ns ON ns.oid = c.relnamespace
              WHERE ns.nspname IN ('arcs', 'arcs_audit', 'arcs_meta') AND c.relkind IN ('r', 'p')
              ORDER BY 1 LOOP
        SELECT quote_ident(a.attname) INTO col FROM pg_attribute a
         WHERE a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum LIMIT 1;
        FOREACH op IN ARRAY ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE'] LOOP
            CONTINUE WHEN CASE WHEN op = 'DELETE' THEN has_table_privilege(t.oid, op)
                               ELSE has_any_column_privilege(t.oid, op) END;
            stmt := CASE op
                WHEN 'SELECT' THEN format('SELECT %s FROM %s LIMIT 1', col, t.rel)
                WHEN 'INSERT' THEN format('INSERT INTO %s DEFAULT VALUES', t.rel)
                WHEN 'UPDATE' THEN format('UPDATE %s SET %s = %s', t.rel, col, col)
                ELSE format('DELETE FROM %s', t.rel) END;
            n := n + 1;
            BEGIN
                EXECUTE stmt;
                RAISE EXCEPTION USING ERRCODE = 'P0099';
            EXCEPTION
                WHEN insufficient_privilege THEN NULL;
                WHEN OTHERS THEN
                    wrong := wrong || format('%s (%s); ', stmt, SQLERRM);
            END;
        END LOOP;
    END LOOP;
    RAISE NOTICE 'tried=%', n;
    IF wrong <> '' THEN
        RAISE EXCEPTION 'not refused: %', wrong;
    END IF;
END $$;
SQL
    if [ $? = 0 ]; then
        pass "$r: every denied right refused in fact ($(grep -o 'tried=[0-9]*' "$W/$r.tryerr"))"
    else
        fail "$r: a denied right was not refused: $(cat "$W/$r.tryerr")"
    fi
done
expect_eq "$before" "$(db_digest)" "the attempts changed nothing"

# Role attributes and memberships: no arcs group or login may reach beyond
# arcs (SPEC §2: no CREATEROLE, superuser, replication, bypass of row rules,
# nor any pg_* role such as pg_execute_server_program).
bad=$(sql "SELECT string_agg(r.rolname || ':' || concat_ws(',',
              CASE WHEN r.rolsuper THEN 'superuser' END, CASE WHEN r.rolcreaterole THEN 'createrole' END,
              CASE WHEN r.rolcreatedb THEN 'createdb' END, CASE WHEN r.rolreplication THEN 'replication' END,
              CASE WHEN r.rolbypassrls THEN 'bypassrls' END,
              (SELECT string_agg(g.rolname, ',') FROM pg_roles g
                WHERE g.rolname LIKE 'pg\_%' AND pg_has_role(r.oid, g.oid, 'MEMBER'))), ' ' ORDER BY r.rolname)
            FROM pg_roles r
           WHERE (r.rolname LIKE 'arcs\_%' OR r.rolname LIKE 'rr\_%')
             AND (r.rolsuper OR r.rolcreaterole OR r.rolcreatedb OR r.rolreplication OR r.rolbypassrls
                  OR EXISTS (SELECT 1 FROM pg_roles g WHERE g.rolname LIKE 'pg\_%'
                                AND pg_has_role(r.oid, g.oid, 'MEMBER')))")
expect_eq "" "$bad" "no arcs role or login holds superuser, CREATEROLE, CREATEDB, REPLICATION, BYPASSRLS or a pg_* role"

finish
