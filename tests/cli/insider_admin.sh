# Admin is not a way out (SPEC §2): an arcs admin login, through psql, can
# neither reach the operating system, nor take another role's password or
# powers, nor change the money settings once money has moved. Logins are
# made and locked only through checked functions; an upgrade strips what
# earlier versions gave admin logins.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ledger_lib.sh"

pwdir=$(mktemp -d)
marker=$(mktemp -u)
trap 'rm -rf "$pwdir" "$marker" "$T_OUT" "$T_ERR"' EXIT
for u in oldadm adm1 adm2 aud1 ana1 newana; do
    printf 'pw-%s-%s\n' "$u" "$RANDOM$RANDOM" >"$pwdir/$u"
    chmod 600 "$pwdir/$u"
done
pw() { head -n 1 "$pwdir/$1"; }
as() { local u=$1; shift; PGUSER=$u PGPASSWORD=$(pw "$u") "$@"; }

# --- an admin made by the previous version, then upgraded
expect_exit 0 "init at version 8" arcs db init --base-currency KZT --to-version 8
expect_exit 0 "old create_login: an admin login" arcs user add oldadm --role admin --password-file "$pwdir/oldadm"
expect_eq t "$(sql "SELECT rolcreaterole FROM pg_roles WHERE rolname = 'oldadm'")" "the old admin login holds CREATEROLE"
sql "ALTER ROLE oldadm CREATEDB BYPASSRLS"
sql "GRANT pg_read_server_files, pg_execute_server_program TO oldadm"
sql "ALTER ROLE arcs_admin CREATEROLE"
expect_exit 0 "db init upgrades" arcs db init
expect_eq "f f f f" "$(sql "SELECT rolcreaterole || ' ' || rolcreatedb || ' ' || rolreplication || ' ' || rolbypassrls FROM pg_roles WHERE rolname = 'oldadm'" | sed 's/false/f/g; s/true/t/g')" \
    "upgrade stripped CREATEROLE, CREATEDB, REPLICATION, BYPASSRLS from the old admin"
expect_eq 0 "$(sql "SELECT count(*) FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles a ON a.oid = m.member WHERE a.rolname IN ('oldadm', 'arcs_admin') AND g.rolname LIKE 'pg\\_%'")" \
    "upgrade revoked every pg_* role from admin logins"
expect_eq f "$(sql "SELECT rolcreaterole FROM pg_roles WHERE rolname = 'arcs_admin'")" "the arcs_admin group holds no CREATEROLE"
expect_eq t "$(sql "SELECT pg_has_role('oldadm', 'arcs_admin', 'MEMBER')")" "the old admin is still an admin"

# --- admin logins made now
expect_exit 0 "superuser: user add adm1" arcs user add adm1 --role admin --password-file "$pwdir/adm1"
expect_exit 0 "admin: user add aud1" as oldadm "$ARCS_BIN" user add aud1 --role auditor --password-file "$pwdir/aud1"
expect_exit 0 "admin: user add ana1" as adm1 "$ARCS_BIN" user add ana1 --role analyst --password-file "$pwdir/ana1"
expect_exit 0 "admin: user add adm2 (an admin)" as adm1 "$ARCS_BIN" user add adm2 --role admin --password-file "$pwdir/adm2"
expect_eq "f f" "$(sql "SELECT string_agg(rolcreaterole::text, ' ' ORDER BY rolname) FROM pg_roles WHERE rolname IN ('adm1', 'adm2')" | sed 's/false/f/g')" \
    "new admin logins hold no CREATEROLE"
expect_eq t "$(sql "SELECT pg_has_role('ana1', 'arcs_analyst', 'MEMBER') AND (SELECT rolpassword LIKE 'SCRAM-SHA-256\$%' FROM pg_authid WHERE rolname = 'ana1')")" \
    "the admin's new login is an analyst with a SCRAM verifier"
expect_exit 0 "the new analyst logs in" as ana1 "$ARCS_BIN" case list

roles_digest() { sql "SELECT md5(string_agg(a::text, ',' ORDER BY a.rolname)) FROM pg_authid a"; }
members_digest() { sql "SELECT md5(coalesce(string_agg(m::text, ',' ORDER BY m::text), '')) FROM pg_auth_members m"; }
# refused_as WHO WHAT SQL: WHO's psql statement fails, and neither the data
# nor any role nor any membership changed.
refused_as() {
    local who=$1 what=$2 before roles members
    before=$(db_digest)
    roles=$(roles_digest)
    members=$(members_digest)
    run as "$who" psql -X -v ON_ERROR_STOP=1 -c "$3"
    if [ "$RC" != 0 ]; then pass "$who: $what refused ($(printf '%s' "$ERR" | head -n 1 | cut -c1-90))"; else fail "$who: $what was accepted"; fi
    expect_eq "$before" "$(db_digest)" "$who: $what: data unchanged"
    expect_eq "$roles" "$(roles_digest)" "$who: $what: pg_authid unchanged"
    expect_eq "$members" "$(members_digest)" "$who: $what: memberships unchanged"
}

for who in adm1 oldadm; do
    refused_as $who "GRANT pg_execute_server_program to itself" "GRANT pg_execute_server_program TO $who"
    refused_as $who "GRANT pg_read_server_files to itself" "GRANT pg_read_server_files TO $who"
    refused_as $who "COPY FROM PROGRAM" "CREATE TEMP TABLE x (l text); COPY x FROM PROGRAM 'touch $marker'"
    if [ -e "$marker" ]; then fail "$who: the program ran"; else pass "$who: no program ran"; fi
    refused_as $who "reset an auditor's password" "ALTER ROLE aud1 PASSWORD 'x'"
    refused_as $who "reset another admin's password" "ALTER ROLE adm2 PASSWORD 'x'"
    refused_as $who "CREATE ROLE" "CREATE ROLE mallory LOGIN PASSWORD 'x'"
    refused_as $who "ALTER ROLE itself SUPERUSER" "ALTER ROLE $who SUPERUSER"
    refused_as $who "ALTER ROLE itself CREATEROLE" "ALTER ROLE $who CREATEROLE"
    refused_as $who "ALTER ROLE itself BYPASSRLS" "ALTER ROLE $who BYPASSRLS"
    refused_as $who "GRANT arcs_admin to an analyst" "GRANT arcs_admin TO ana1"
    refused_as $who "GRANT arcs_auditor to itself" "GRANT arcs_auditor TO $who"
    refused_as $who "DROP ROLE of an auditor" "DROP ROLE aud1"
done

# create_login makes only fresh arcs logins, for admins only
refused_as ana1 "create_login by an analyst" "SELECT arcs.create_login('eve', 'arcs_admin', 'SCRAM-SHA-256\$4096:c2FsdA==\$c3RvcmVk:c2VydmVy')"
expect_exit 4 "analyst: user add refused" as ana1 "$ARCS_BIN" user add eve --role admin --password-file "$pwdir/ana1"
refused_as adm1 "create_login of an existing login in another group" "SELECT arcs.create_login('aud1', 'arcs_admin', 'SCRAM-SHA-256\$4096:c2FsdA==\$c3RvcmVk:c2VydmVy')"
refused_as adm1 "create_login into a pg_ role" "SELECT arcs.create_login('eve', 'pg_execute_server_program', 'SCRAM-SHA-256\$4096:c2FsdA==\$c3RvcmVk:c2VydmVy')"
refused_as adm1 "create_login with a clear password" "SELECT arcs.create_login('eve', 'arcs_analyst', 'secret')"
refused_as adm1 "create_login with a quote in the verifier" "SELECT arcs.create_login('eve', 'arcs_analyst', 'SCRAM-SHA-256\$4096:a\$b:c'' SUPERUSER --')"
expect_eq "" "$(sql "SELECT rolname FROM pg_roles WHERE rolname = 'eve'")" "no role eve"

# locking: arcs logins only, never oneself, never the superuser
refused_as adm1 "lock the superuser by name" "SELECT arcs.set_login_enabled((SELECT rolname FROM pg_roles WHERE rolsuper LIMIT 1), false)"
refused_as adm1 "lock itself" "SELECT arcs.set_login_enabled('adm1', false)"
refused_as adm1 "unlock a pg_ role" "SELECT arcs.set_login_enabled('pg_monitor', true)"
refused_as ana1 "an analyst locks an auditor" "SELECT arcs.set_login_enabled('aud1', false)"
sql "CREATE ROLE dba_helper LOGIN; GRANT arcs_analyst, pg_monitor TO dba_helper"
refused_as adm1 "lock a login that is more than an arcs login" "SELECT arcs.set_login_enabled('dba_helper', false)"
expect_exit 0 "admin: user lock aud1" as adm1 "$ARCS_BIN" user lock aud1
expect_eq f "$(sql "SELECT rolcanlogin FROM pg_roles WHERE rolname = 'aud1'")" "aud1 is locked"
expect_exit 1 "a locked login cannot connect" as aud1 "$ARCS_BIN" case list
expect_exit 0 "admin: user unlock aud1" as adm1 "$ARCS_BIN" user unlock aud1
expect_exit 0 "the unlocked login connects" as aud1 "$ARCS_BIN" case list
expect_exit 4 "analyst: user lock refused" as ana1 "$ARCS_BIN" user lock aud1
expect_exit 3 "admin: user lock of no such user" as adm1 "$ARCS_BIN" user lock nobody

# a person changes their own password, and only their own
printf 'new-%s\n' "$RANDOM$RANDOM" >"$pwdir/ana1.new"
chmod 600 "$pwdir/ana1.new"
expect_exit 0 "analyst: user password (own)" as ana1 "$ARCS_BIN" user password --password-file "$pwdir/ana1.new"
mv "$pwdir/ana1.new" "$pwdir/ana1"
expect_exit 0 "the analyst logs in with the new password" as ana1 "$ARCS_BIN" case list
refused_as ana1 "an analyst resets an auditor's password" "ALTER ROLE aud1 PASSWORD 'x'"

# --- money settings fixed once money has moved
ledger_setup_tail() {
    sql "INSERT INTO arcs.cases (ref, title) VALUES ('ARC-A', 'case A')"
    sql "INSERT INTO arcs.case_jurisdictions (case_id, role, country) SELECT id, 'victim', 'KZ' FROM arcs.cases WHERE ref = 'ARC-A'"
    sql "INSERT INTO arcs.decisions (case_id, kind, ref, issuer, issued_on) VALUES (NULL, 'confiscation', 'CONF-1', 'court', '2024-01-01')"
}
ledger_setup_tail
# before any transfer the admin may still correct a currency
expect_exit 0 "admin: exponent of an unused currency before any transfer" as adm1 psql -X -v ON_ERROR_STOP=1 -c "UPDATE arcs.currencies SET exponent = 2 WHERE code = 'USD'"
a=$(mkasset ARC-A KZ realized_conf)
expect_exit 0 "1,000.00 KZT into the fund" arcs fund receive --asset "$a" --amount 1000.00 KZT --date 2024-01-10 --ref IN-1
for who in adm1 postgres_owner; do
    if [ $who = postgres_owner ]; then
        r() { local what=$1 before; before=$(db_digest); run psql -X -v ON_ERROR_STOP=1 -c "$2"
              if [ "$RC" != 0 ]; then pass "superuser: $what refused"; else fail "superuser: $what accepted"; fi
              expect_eq "$before" "$(db_digest)" "superuser: $what: data unchanged"; }
    else
        r() { refused_as adm1 "$1" "$2"; }
    fi
    r "change the base currency" "UPDATE arcs.settings SET value = 'USD' WHERE key = 'base_currency'"
    r "delete the base currency" "DELETE FROM arcs.settings WHERE key = 'base_currency'"
    r "rename the base currency's key" "UPDATE arcs.settings SET key = 'old_base' WHERE key = 'base_currency'"
    r "change KZT's exponent" "UPDATE arcs.currencies SET exponent = 3 WHERE code = 'KZT'"
    r "rename KZT" "UPDATE arcs.currencies SET code = 'KZX' WHERE code = 'KZT'"
    r "delete KZT" "DELETE FROM arcs.currencies WHERE code = 'KZT'"
done
expect_eq "KZT 2" "$(sql "SELECT s.value || ' ' || c.exponent FROM arcs.settings s JOIN arcs.currencies c ON c.code = s.value WHERE s.key = 'base_currency'")" \
    "base currency and exponent unchanged"
expect_exit 4 "db init cannot change the base currency" arcs db init --base-currency USD
expect_exit 0 "admin: a currency's name may still be corrected" as adm1 psql -X -v ON_ERROR_STOP=1 -c "UPDATE arcs.currencies SET name = 'Tenge (KZ)' WHERE code = 'KZT'"
expect_exit 0 "admin: an unused currency's exponent may still change" as adm1 psql -X -v ON_ERROR_STOP=1 -c "UPDATE arcs.currencies SET exponent = 3 WHERE code = 'BHD'"
expect_exit 0 "the log verifies" arcs audit verify
finish
