# Shared helpers for CLI tests: source it from a test script run under pgtmp.
# Each check prints "ok"/"not ok" and the script ends with "N passed, N failed".
set -u
ARCS_BIN=${ARCS_BIN:?ARCS_BIN must name the arcs binary}
T_PASS=0
T_FAIL=0
T_OUT=$(mktemp)
T_ERR=$(mktemp)
trap 'rm -f "$T_OUT" "$T_ERR"' EXIT

arcs() { "$ARCS_BIN" "$@"; }

# The Debian interpreter the scripts install, not whatever a version manager
# puts first on PATH: a shim there can cost 0.3 s a call, and the tests make
# hundreds of them.
python3() { /usr/bin/python3 "$@"; }

pass() { T_PASS=$((T_PASS + 1)); echo "ok - $*"; }
fail() { T_FAIL=$((T_FAIL + 1)); echo "not ok - $*"; }

# run CMD...: runs it, keeping stdout in $OUT, stderr in $ERR, exit code in $RC.
run() {
    "$@" >"$T_OUT" 2>"$T_ERR"
    RC=$?
    OUT=$(cat "$T_OUT")
    ERR=$(cat "$T_ERR")
}

# expect_exit CODE DESCRIPTION CMD...: the command exits CODE. A failing
# command must print exactly one line on stderr.
expect_exit() {
    local code=$1 what=$2
    shift 2
    run "$@"
    if [ "$RC" != "$code" ]; then
        fail "$what: exit $RC, wanted $code (stderr: $ERR)"
        return 1
    fi
    if [ "$code" != 0 ]; then
        local lines
        lines=$(printf '%s' "$ERR" | grep -c '')
        if [ "$lines" != 1 ]; then
            fail "$what: wanted one line on stderr, got $lines: $ERR"
            return 1
        fi
    fi
    pass "$what"
}

# expect_eq WANT GOT DESCRIPTION
expect_eq() {
    if [ "$1" = "$2" ]; then pass "$3"; else fail "$3: wanted '$1', got '$2'"; fi
}

# expect_match REGEX TEXT DESCRIPTION
expect_match() {
    if printf '%s' "$2" | grep -Eq -- "$1"; then pass "$3"; else fail "$3: '$2' does not match /$1/"; fi
}

sql() { psql -X -v ON_ERROR_STOP=1 -Atq -c "$1"; }

# A digest of every row of every table in the arcs schemas (not sequences,
# whose values are not transactional): equal digests, equal data.
db_digest() {
    psql -X -Atq <<'SQL'
DO $$ BEGIN PERFORM 1; END $$;
CREATE TEMP TABLE IF NOT EXISTS _digest(t text, d text);
TRUNCATE _digest;
DO $$
DECLARE r record; d text;
BEGIN
  FOR r IN SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE c.relkind IN ('r','p') AND n.nspname IN ('arcs','arcs_audit','arcs_meta')
           ORDER BY 1, 2 LOOP
    EXECUTE format('SELECT md5(coalesce(string_agg(x::text, E''\n'' ORDER BY x::text), '''')) FROM %I.%I x',
                   r.nspname, r.relname) INTO d;
    INSERT INTO _digest VALUES (r.nspname || '.' || r.relname, d);
  END LOOP;
END $$;
SELECT md5(string_agg(t || '=' || d, ',' ORDER BY t)) FROM _digest;
SQL
}

finish() {
    echo "$T_PASS passed, $T_FAIL failed"
    [ "$T_FAIL" = 0 ]
}
