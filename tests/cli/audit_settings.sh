# The captured bytes do not depend on the session's TimeZone, DateStyle,
# float digits or locale, and name the database user who made the change.
. "$(dirname "$0")/lib.sh"

arcs db init --base-currency KZT >/dev/null
psql -X -q -v ON_ERROR_STOP=1 -c "CREATE ROLE alice LOGIN" -c "GRANT arcs_analyst TO alice"
ins="INSERT INTO arcs.cases (ref, title, opened_on, created_at, offences)"
psql -X -q -v ON_ERROR_STOP=1 -c "$ins VALUES ('S-1', 'same', '2025-03-01', '2025-03-01 10:00:00.123456+00', '{bribery}')"
psql -X -q -v ON_ERROR_STOP=1 \
    -c "SET SESSION AUTHORIZATION alice" \
    -c "SET TimeZone = 'America/New_York'" -c "SET DateStyle = 'SQL, DMY'" \
    -c "SET extra_float_digits = -15" -c "SET lc_numeric = 'C.utf8'" \
    -c "SET IntervalStyle = 'postgres_verbose'" \
    -c "$ins VALUES ('S-2', 'same', '01/03/2025', '2025-03-01 05:00:00.123456-05', '{bribery}')"
expect_exit 0 "seal" arcs audit seal
img() {
    sql "SELECT convert_from(entry, 'UTF8') FROM arcs_audit.entries
         WHERE table_name = 'arcs.cases' AND row_key = '{\"id\":\"$1\"}'" |
        sed -e 's/.*"new":\({[^}]*}\).*/\1/' -e 's/"id":"[0-9]*"//' -e 's/"ref":"[^"]*"//'
}
a=$(img 1)
b=$(img 2)
expect_match '"created_at":"2025-03-01T10:00:00.123456Z"' "$a" "timestamptz in UTC with microseconds"
expect_match '"opened_on":"2025-03-01"' "$b" "date as YYYY-MM-DD under DateStyle SQL, DMY"
expect_eq "$a" "$b" "same change, same new image under other session settings"
e2=$(sql "SELECT convert_from(entry, 'UTF8') FROM arcs_audit.entries WHERE row_key = '{\"id\":\"2\"}'")
expect_match '"actor":"alice","db_user":"alice"' "$e2" "captured with the database user alice"
expect_match '"time":"[0-9-]{10}T[0-9:]{8}\.[0-9]{6}Z"' "$e2" "entry time in UTC"
expect_exit 0 "verify" arcs audit verify
finish
