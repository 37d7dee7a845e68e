#!/usr/bin/env bash
# Benchmark: the latency of one interactive write, `arcs case add`, against
# the same row inserted by `psql -X -c "INSERT INTO arcs.cases ..."`, both
# against the same throwaway cluster (tests/harness/pgtmp), with hyperfine
# (--warmup 3 --runs 30). Every run uses a fresh ref (a counter file bumped
# by shell builtins, identically in both commands) and must succeed.
#
#   bench/interactive/run.sh
#
# `arcs case add` connects, validates, writes in one transaction, then seals
# the audit log (one more transaction): measured as is. The psql rows are
# captured too but stay unsealed (psql does not seal); arcs runs first, so
# it never seals psql's rows.
# Prints a Markdown table on stdout (mean ± σ, ratio to psql).
#
# Needs a built arcs (ARCS_BIN, else build-bench/cli/arcs, built if missing),
# psql, hyperfine, jq.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
if [ -z "${ARCS_BENCH_INTERACTIVE_INSIDE:-}" ]; then
    if [ -z "${ARCS_BIN:-}" ]; then
        ARCS_BIN=$root/build-bench/cli/arcs
        if [ ! -x "$ARCS_BIN" ]; then
            cmake -S "$root" -B "$root/build-bench" -DCMAKE_BUILD_TYPE=Release \
                -DBUILD_TESTING=OFF >/dev/null
            cmake --build "$root/build-bench" -j "$(nproc)" --target arcs >/dev/null
        fi
    fi
    export ARCS_BIN ARCS_BENCH_INTERACTIVE_INSIDE=1
    exec "$root/tests/harness/pgtmp" -- bash "$0" "$@"
fi

warmup=${INTERACTIVE_WARMUP:-3}
runs=${INTERACTIVE_RUNS:-30}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
say() { echo "interactive bench: $*" >&2; }

"$ARCS_BIN" db init --base-currency KZT >/dev/null
echo 0 >"$work/arcs.ctr"
echo 0 >"$work/psql.ctr"
before=$(psql -X -Atq -c 'SELECT count(*) FROM arcs.cases')

# Both commands pay the same shell builtins (read, arithmetic, redirect).
arcs_cmd="read n < '$work/arcs.ctr'; n=\$((n + 1)); echo \$n > '$work/arcs.ctr';"
arcs_cmd+=" '$ARCS_BIN' case add --ref IA-\$n --title 'Interactive bench case' --route criminal"
psql_cmd="read n < '$work/psql.ctr'; n=\$((n + 1)); echo \$n > '$work/psql.ctr';"
psql_cmd+=" psql -X -q -v ON_ERROR_STOP=1 -c \"INSERT INTO arcs.cases (ref, title, route)"
psql_cmd+=" VALUES ('IP-\$n', 'Interactive bench case', 'criminal')\""

load=$(cut -d' ' -f1-3 /proc/loadavg)
say "hyperfine --warmup $warmup --runs $runs (load $load)"
hyperfine --warmup "$warmup" --runs "$runs" --style basic \
    --export-json "$work/h.json" \
    -n 'arcs case add' "$arcs_cmd" \
    -n 'psql -X -c INSERT' "$psql_cmd" >&2
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# Every run must have written its row.
want=$((before + 2 * (warmup + runs)))
got=$(psql -X -Atq -c 'SELECT count(*) FROM arcs.cases')
[ "$got" = "$want" ] || { say "FAIL: $got cases, wanted $want"; exit 1; }
"$ARCS_BIN" audit verify >/dev/null || { say "FAIL: audit verify after the runs"; exit 1; }

ms() { jq -r --arg n "$1" --arg f "$2" \
    '.results[] | select(.command == $n) | .[$f] * 1000 | . * 100 | round / 100' "$work/h.json"; }
am=$(ms 'arcs case add' mean) as=$(ms 'arcs case add' stddev)
pm=$(ms 'psql -X -c INSERT' mean) ps=$(ms 'psql -X -c INSERT' stddev)
ratio=$(awk -v a="$am" -v sa="$as" -v p="$pm" -v sp="$ps" 'BEGIN {
    r = a / p; e = r * sqrt((sa / a) ^ 2 + (sp / p) ^ 2); printf "%.2f× ± %.2f", r, e }')

echo "Interactive write: one case, warmup $warmup, $runs runs each (hyperfine; load before $load, after $load_after)"
echo
echo "| command | mean ms | σ ms | vs psql |"
echo "|---|---:|---:|---:|"
echo "| \`arcs case add --ref IA-n --title … --route criminal\` (write tx + audit seal tx) | $am | $as | $ratio |"
echo "| ↳ baseline \`psql -X -c \"INSERT INTO arcs.cases (ref, title, route) VALUES (…)\"\` | $pm | $ps | 1.00× |"
echo
echo "Target (issue): arcs ≤ 1.5× psql — measured $ratio. No build-time or environment switch turns the seal off (only the library call arcs_ctx_set_autoseal), so there is no second arcs line."
