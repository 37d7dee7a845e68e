#!/usr/bin/env bash
# Benchmark: sealing and verifying an audit log of N entries, against raw
# PostgreSQL doing the nearest plain work on the same rows.
#
#   bench/audit/run.sh [N]          default N = 1000000
#
# In a throwaway cluster (tests/harness/pgtmp): arcs db init, then one
# INSERT ... SELECT FROM generate_series(1, N) into arcs.cases through psql
# (statement-level capture puts N rows in arcs_audit.pending), then
#   - arcs audit seal            (entries/s, client peak RSS)
#   - arcs audit verify          (entries/s, client peak RSS; must exit 0)
# each beside its baseline:
#   - capture: the same INSERT into a trigger-less copy of the table;
#   - seal: psql \copy of the pending rows to /dev/null (the read seal does);
#   - verify: server-side COPY arcs_audit.entries TO '/dev/null' (superuser),
#     the same with every arcs table too (verify reads them all), and
#     client-side psql \copy arcs_audit.entries TO /dev/null.
# Read-only steps run AUDIT_RUNS times (default 3): the median is reported.
# Prints a Markdown table on stdout; progress and findings go to stderr.
# Exit status 1 if seal left rows unsealed or verify did not exit 0 (the
# table is printed anyway, with the failure marked).
#
# Needs a built arcs (ARCS_BIN, else build-bench/cli/arcs, built if missing),
# psql, /usr/bin/time.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
if [ -z "${ARCS_BENCH_AUDIT_INSIDE:-}" ]; then
    if [ -z "${ARCS_BIN:-}" ]; then
        ARCS_BIN=$root/build-bench/cli/arcs
        if [ ! -x "$ARCS_BIN" ]; then
            cmake -S "$root" -B "$root/build-bench" -DCMAKE_BUILD_TYPE=Release \
                -DBUILD_TESTING=OFF >/dev/null
            cmake --build "$root/build-bench" -j "$(nproc)" --target arcs >/dev/null
        fi
    fi
    export ARCS_BIN ARCS_BENCH_AUDIT_INSIDE=1
    exec "$root/tests/harness/pgtmp" -- bash "$0" "$@"
fi

n=${1:-1000000}
runs=${AUDIT_RUNS:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0

say() { echo "audit bench: $*" >&2; }
load1() { cut -d' ' -f1 /proc/loadavg; }

# time_it CMD...: run CMD under /usr/bin/time -v; print "secs kib rc".
time_it() {
    local log=$work/time.log rc=0
    /usr/bin/time -v "$@" >"$work/out" 2>"$log" || rc=$?
    local wall rss
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log")
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
    wall=$(awk -v t="$wall" 'BEGIN { n = split(t, p, ":"); s = 0;
        for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.2f", s }')
    echo "$wall $rss $rc"
}

# median_of RUNS CMD...: run CMD RUNS times; print "median_secs max_kib load rc"
# (rc: the first non-zero exit status, else 0; load: 1-min load before).
median_of() {
    local k=$1 i w r c rc=0 ld
    shift
    ld=$(load1)
    : >"$work/walls"
    local maxr=0
    for ((i = 0; i < k; i++)); do
        read -r w r c < <(time_it "$@")
        echo "$w" >>"$work/walls"
        [ "$r" -gt "$maxr" ] && maxr=$r
        [ "$c" = 0 ] || [ "$rc" != 0 ] || { rc=$c; cp "$work/out" "$work/failed.out"; cp "$work/time.log" "$work/failed.err"; }
    done
    echo "$(sort -n "$work/walls" | awk '{a[NR] = $1} END { print a[int((NR + 1) / 2)] }') $maxr $ld $rc"
}

status_field() { # status_field NAME: a field of arcs db status --json
    "$ARCS_BIN" --json db status | grep -o "\"$1\":[0-9]*" | grep -o '[0-9]*$' | tail -n 1
}

mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print "n/a" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f×", a / b; else print "n/a" }'; }

rows_sql="SELECT 'BN-' || lpad(g::text, 8, '0'), 'Bench case ' || g, 'criminal',
    ARRAY['bribery', 'money_laundering'], date '2024-01-15' + (g % 365)
    FROM generate_series(1, $n) g"

say "N=$n; arcs db init"
"$ARCS_BIN" db init --base-currency KZT >/dev/null
base_size=$(status_field log_size)

# Capture: the INSERT through psql, and the same INSERT without triggers.
psql -X -q -c "CREATE TABLE public.plain_cases (LIKE arcs.cases INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"
say "baseline insert into a trigger-less table"
ld_plain=$(load1)
read -r t_plain rss_plain rc < <(time_it psql -X -q -v ON_ERROR_STOP=1 -c \
    "INSERT INTO public.plain_cases (ref, title, route, offences, opened_on) $rows_sql")
[ "$rc" = 0 ] || { cat "$work/time.log" >&2; exit 1; }
psql -X -q -c "DROP TABLE public.plain_cases"
say "insert into arcs.cases (captured)"
ld_cap=$(load1)
read -r t_cap rss_cap rc < <(time_it psql -X -q -v ON_ERROR_STOP=1 -c \
    "INSERT INTO arcs.cases (ref, title, route, offences, opened_on) $rows_sql")
[ "$rc" = 0 ] || { cat "$work/time.log" >&2; exit 1; }
unsealed=$(status_field unsealed)
say "unsealed after the insert: $unsealed (want $n)"
[ "$unsealed" = "$n" ] || { say "FAIL: expected $n unsealed captured changes"; exit 1; }

# Seal baseline: read the pending rows the way seal reads them.
say "baseline: \\copy of pending to /dev/null"
read -r t_pend rss_pend ld_pend rc < <(median_of "$runs" psql -X -q -v ON_ERROR_STOP=1 -c \
    "\\copy (SELECT * FROM arcs_audit.pending ORDER BY id) TO /dev/null")

# Seal. One call must seal everything; should it not, call again (up to 50
# times) so verify runs over the whole log, and report the number of calls.
say "arcs audit seal"
ld_seal=$(load1)
t_seal=0 rss_seal=0 calls=0 first_sealed=
while :; do
    read -r w r rc < <(time_it "$ARCS_BIN" audit seal)
    [ "$rc" = 0 ] || { cat "$work/out" "$work/time.log" >&2; exit 1; }
    calls=$((calls + 1))
    [ -n "$first_sealed" ] || first_sealed=$(grep -o 'sealed [0-9]*' "$work/out" | grep -o '[0-9]*' || echo 0)
    t_seal=$(awk -v a="$t_seal" -v b="$w" 'BEGIN { printf "%.2f", a + b }')
    [ "$r" -gt "$rss_seal" ] && rss_seal=$r
    left=$(status_field unsealed)
    [ "$left" = 0 ] && break
    [ "$calls" -lt 50 ] || { say "FAIL: $left changes still unsealed after $calls seal calls"; failed=1; break; }
done
if [ "$calls" -gt 1 ]; then
    say "FINDING: one 'arcs audit seal' sealed $first_sealed of $n pending changes; $calls calls were needed"
    failed=1
fi
size=$(status_field log_size)
entries=$((size - base_size))
say "log size $size ($entries new entries, $calls seal call(s))"

say "arcs audit verify ($runs runs)"
read -r t_ver rss_ver ld_ver rc_ver < <(median_of "$runs" "$ARCS_BIN" audit verify)
if [ "$rc_ver" != 0 ]; then
    say "FAIL: arcs audit verify exited $rc_ver; first lines:"
    head -n 5 "$work/failed.out" >&2 || true
    grep -v '^\s' "$work/failed.err" | head -n 5 >&2 || true
    failed=1
fi

say "baseline: server-side COPY entries TO '/dev/null'"
read -r t_scopy rss_scopy ld_scopy rc < <(median_of "$runs" psql -X -q -v ON_ERROR_STOP=1 -c \
    "COPY arcs_audit.entries TO '/dev/null'")
[ "$rc" = 0 ] || { cat "$work/failed.err" >&2; exit 1; }
say "baseline: server-side COPY entries and every arcs table TO '/dev/null'"
copy_all=(-c "COPY arcs_audit.entries TO '/dev/null'")
while read -r t; do copy_all+=(-c "COPY $t TO '/dev/null'"); done < <(psql -X -Atq -c \
    "SELECT c.oid::regclass FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'arcs' AND c.relkind = 'r' ORDER BY 1")
read -r t_sall rss_sall ld_sall rc < <(median_of "$runs" psql -X -q -v ON_ERROR_STOP=1 "${copy_all[@]}")
[ "$rc" = 0 ] || { cat "$work/failed.err" >&2; exit 1; }
say "baseline: client-side \\copy entries TO /dev/null"
read -r t_ccopy rss_ccopy ld_ccopy rc < <(median_of "$runs" psql -X -q -v ON_ERROR_STOP=1 -c \
    "\\copy arcs_audit.entries TO /dev/null")
[ "$rc" = 0 ] || { cat "$work/failed.err" >&2; exit 1; }

seal_note=""
[ "$calls" = 1 ] || seal_note=" (**$calls calls**: one call sealed $first_sealed)"
ver_note=""
[ "$rc_ver" = 0 ] || ver_note=" (**FAILED, exit $rc_ver**)"

echo "Audit log, N = $n captured changes ($entries entries sealed; median of $runs for read-only steps; RSS is the client process's)"
echo
echo "| step | command | wall s | rows/s | peak RSS MiB | vs baseline | load (1 min) |"
echo "|---|---|---:|---:|---:|---:|---:|"
printf '| capture | `INSERT … SELECT generate_series` into arcs.cases (statement-level capture) | %s | %s | %s | %s | %s |\n' \
    "$t_cap" "$(rate "$n" "$t_cap")" "$(mib "$rss_cap")" "$(ratio "$t_cap" "$t_plain")" "$ld_cap"
printf '| ↳ baseline | same INSERT into a copy of the table without triggers | %s | %s | %s | 1.0× | %s |\n' \
    "$t_plain" "$(rate "$n" "$t_plain")" "$(mib "$rss_plain")" "$ld_plain"
printf '| seal | `arcs audit seal`%s | %s | %s | %s | %s | %s |\n' \
    "$seal_note" "$t_seal" "$(rate "$entries" "$t_seal")" "$(mib "$rss_seal")" "$(ratio "$t_seal" "$t_pend")" "$ld_seal"
printf '| ↳ baseline | `psql \\copy (SELECT * FROM arcs_audit.pending ORDER BY id) TO /dev/null` | %s | %s | %s | 1.0× | %s |\n' \
    "$t_pend" "$(rate "$n" "$t_pend")" "$(mib "$rss_pend")" "$ld_pend"
printf '| verify | `arcs audit verify`%s | %s | %s | %s | %s | %s |\n' \
    "$ver_note" "$t_ver" "$(rate "$size" "$t_ver")" "$(mib "$rss_ver")" "$(ratio "$t_ver" "$t_ccopy")" "$ld_ver"
printf '| ↳ baseline | `psql \\copy arcs_audit.entries TO /dev/null` (client side) | %s | %s | %s | 1.0× | %s |\n' \
    "$t_ccopy" "$(rate "$size" "$t_ccopy")" "$(mib "$rss_ccopy")" "$ld_ccopy"
printf '| ↳ baseline | `COPY arcs_audit.entries TO '"'"'/dev/null'"'"'` (server side, superuser) | %s | %s | %s | %s | %s |\n' \
    "$t_scopy" "$(rate "$size" "$t_scopy")" "$(mib "$rss_scopy")" "$(ratio "$t_scopy" "$t_ccopy")" "$ld_scopy"
printf '| ↳ baseline | `COPY … TO '"'"'/dev/null'"'"'` of arcs_audit.entries and every arcs table (server side, superuser) | %s | %s | %s | %s | %s |\n' \
    "$t_sall" "$(rate "$size" "$t_sall")" "$(mib "$rss_sall")" "$(ratio "$t_sall" "$t_ccopy")" "$ld_sall"
echo
echo "Target (issue 11): verify within 3× the server's own COPY of the entries and the business tables — measured $(ratio "$t_ver" "$t_sall")."
echo "Target (issue): verify ≥ 500,000 entries/s — measured $(rate "$size" "$t_ver") entries/s$([ "$rc_ver" = 0 ] && echo ", exit 0" || echo ", verify FAILED")."
exit "$failed"
