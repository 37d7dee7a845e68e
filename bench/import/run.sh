#!/usr/bin/env bash
# Benchmark: `arcs import` of N asset rows (with their cases) into a fresh
# database, against a raw `\copy` of the same CSV into a plain table.
# Prints a Markdown table of wall time and peak RSS (of the client process).
#
#   bench/import/run.sh [N ...]        default: 100000 1000000
#
# Needs a built arcs (ARCS_BIN, else build-bench/cli/arcs, built if missing)
# and runs against a throwaway cluster (tests/harness/pgtmp).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
if [ -z "${ARCS_PGTMP_INSIDE:-}" ]; then
    if [ -z "${ARCS_BIN:-}" ]; then
        ARCS_BIN=$root/build-bench/cli/arcs
        if [ ! -x "$ARCS_BIN" ]; then
            cmake -S "$root" -B "$root/build-bench" -DCMAKE_BUILD_TYPE=Release \
                -DBUILD_TESTING=OFF >/dev/null
            cmake --build "$root/build-bench" -j "$(nproc)" --target arcs >/dev/null
        fi
    fi
    export ARCS_BIN ARCS_PGTMP_INSIDE=1
    exec "$root/tests/harness/pgtmp" -- bash "$0" "$@"
fi

sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 1000000)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# time_it LABEL CMD...: runs CMD under /usr/bin/time -v; prints "secs kib".
time_it() {
    local log=$work/time.log
    /usr/bin/time -v "$@" >"$work/out" 2>"$log" || { cat "$log" >&2; return 1; }
    local wall rss
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log")
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
    # h:mm:ss or m:ss.xx to seconds
    wall=$(awk -v t="$wall" 'BEGIN { n = split(t, p, ":"); s = 0;
        for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.2f", s }')
    echo "$wall $rss"
}

gen() { # gen N DIR: cases.csv (N/100 cases) and assets.csv (N assets)
    awk -v n="$1" 'BEGIN { c = int(n / 100); if (c < 1) c = 1;
        print "ref,title,route,offences,opened,jurisdictions";
        for (i = 1; i <= c; i++)
            printf "BC-%07d,Bench case %d,criminal,bribery;money_laundering,2024-01-15,victim:KZ;holding:CH\n", i, i }' >"$2/cases.csv"
    awk -v n="$1" 'BEGIN { c = int(n / 100); if (c < 1) c = 1;
        print "case_ref,external_ref,kind,description,country,value,currency,valued_on";
        for (i = 1; i <= n; i++)
            printf "BC-%07d,BA-%09d,real_estate,\"Flat %d, Астана, \"\"block\"\" %d\",KZ,%d.%02d,KZT,2024-03-01\n",
                (i - 1) % c + 1, i, i, i % 97, 1000 + i, i % 100 }' >"$2/assets.csv"
}

# floor_sql FK: the same rows stored by plain SQL into tables shaped like
# arcs.assets and arcs.valuations (same columns, defaults, CHECKs and
# indexes), without the audit capture and seal; FK=1 adds the same foreign
# keys. What PostgreSQL itself needs to keep these rows, measured in the run.
floor_sql() {
    local fk=$1
    cat <<SQL
CREATE TEMP TABLE plain (case_ref text, external_ref text, kind text, description text,
    country text, value text, currency text, valued_on text);
\\copy plain FROM '$work/assets.csv' CSV HEADER
CREATE TABLE f_assets (LIKE arcs.assets INCLUDING ALL);
CREATE TABLE f_valuations (LIKE arcs.valuations INCLUDING ALL);
SQL
    if [ "$fk" = 1 ]; then
        cat <<SQL
ALTER TABLE f_assets ADD FOREIGN KEY (case_id) REFERENCES arcs.cases (id),
    ADD FOREIGN KEY (country) REFERENCES arcs.countries (code),
    ADD FOREIGN KEY (state) REFERENCES arcs.asset_states (state);
ALTER TABLE f_valuations ADD FOREIGN KEY (asset_id) REFERENCES f_assets (id),
    ADD FOREIGN KEY (currency) REFERENCES arcs.currencies (code);
SQL
    fi
    cat <<SQL
BEGIN;
WITH a AS (INSERT INTO f_assets (case_id, external_ref, kind, description, country)
           SELECT c.id, p.external_ref, p.kind, p.description, p.country
           FROM plain p JOIN arcs.cases c ON c.ref = p.case_ref RETURNING id, external_ref)
INSERT INTO f_valuations (asset_id, amount, currency, valued_on)
SELECT a.id, replace(p.value, '.', '')::bigint, p.currency, p.valued_on::date
FROM a JOIN plain p ON p.external_ref = a.external_ref;
COMMIT;
SQL
}

echo "| rows | file MiB | arcs import s | arcs import peak RSS MiB | raw \\copy s | psql peak RSS MiB | import / copy | floor: SQL store s | floor + FKs s | import / floor + FKs |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in "${sizes[@]}"; do
    gen "$n" "$work"
    mib=$(awk -v b="$(stat -c %s "$work/assets.csv")" 'BEGIN { printf "%.1f", b / 1048576 }')
    db=bench_import_$n
    raw=bench_raw_$n
    createdb "$db"
    createdb "$raw"
    "$ARCS_BIN" --db "dbname=$db" db init --base-currency KZT >/dev/null
    "$ARCS_BIN" --db "dbname=$db" import "$work/cases.csv" >/dev/null
    read -r t_imp rss_imp < <(time_it "$ARCS_BIN" --db "dbname=$db" import "$work/assets.csv")
    got=$(psql -X -Atq -d "$db" -c 'SELECT count(*) FROM arcs.assets')
    [ "$got" = "$n" ] || { echo "arcs import recorded $got assets, wanted $n" >&2; exit 1; }
    psql -X -q -d "$raw" -c 'CREATE TABLE plain (case_ref text, external_ref text, kind text,
        description text, country text, value text, currency text, valued_on text)'
    read -r t_raw rss_raw < <(time_it psql -X -q -d "$raw" -c "\\copy plain FROM '$work/assets.csv' CSV HEADER")
    ratio=$(awk -v a="$t_imp" -v b="$t_raw" 'BEGIN { printf "%.1fx", (b > 0 ? a / b : 0) }')
    for fk in 0 1; do
        fdb=bench_floor_${n}_$fk
        createdb "$fdb"
        "$ARCS_BIN" --db "dbname=$fdb" db init --base-currency KZT >/dev/null
        "$ARCS_BIN" --db "dbname=$fdb" import "$work/cases.csv" >/dev/null
        floor_sql "$fk" >"$work/floor.sql"
        read -r t_floor _ < <(time_it psql -X -q -v ON_ERROR_STOP=1 -d "$fdb" -f "$work/floor.sql")
        got=$(psql -X -Atq -d "$fdb" -c 'SELECT count(*) FROM f_valuations')
        [ "$got" = "$n" ] || { echo "floor stored $got valuations, wanted $n" >&2; exit 1; }
        eval "t_floor_$fk=\$t_floor"
        dropdb "$fdb"
    done
    fratio=$(awk -v a="$t_imp" -v b="$t_floor_1" 'BEGIN { printf "%.1fx", (b > 0 ? a / b : 0) }')
    printf '| %s | %s | %s | %.1f | %s | %.1f | %s | %s | %s | %s |\n' "$n" "$mib" "$t_imp" \
        "$(awk -v k="$rss_imp" 'BEGIN { print k / 1024 }')" "$t_raw" \
        "$(awk -v k="$rss_raw" 'BEGIN { print k / 1024 }')" "$ratio" "$t_floor_0" \
        "$t_floor_1" "$fratio"
    dropdb "$db"
    dropdb "$raw"
done
