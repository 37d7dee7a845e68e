#!/usr/bin/env bash
# Run every benchmark and record the results in bench/README.md.
#
#   bench/run-all.sh
#
# Builds arcs (Release) into build-bench, runs bench/audit/run.sh,
# bench/interactive/run.sh and, when present and executable,
# bench/import/run.sh and bench/ledger/run.sh, and replaces the section of
# bench/README.md between <!-- results:begin --> and <!-- results:end -->
# with their Markdown tables, the date and a description of the machine, so
# the file always holds the last full run. A benchmark that fails is recorded
# as failed (with its exit status) and the others still run; the script then
# exits 1. Environment: AUDIT_N (default 1000000) for the audit benchmark;
# BENCH_ONLY="audit interactive import ledger" (a subset) to run fewer;
# BENCH_README to write the results into another copy of the README.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
readme=${BENCH_README:-$root/bench/README.md}
only=" ${BENCH_ONLY:-audit interactive import ledger} "
build=$root/build-bench
out=$(mktemp)
trap 'rm -f "$out" "$out.new"' EXIT

echo "run-all: building Release into $build" >&2
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null &&
    cmake --build "$build" -j "$(nproc)" >/dev/null ||
    { echo "run-all: build failed" >&2; exit 1; }
export ARCS_BIN=$build/cli/arcs

mem=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
cpu=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)
pgbin=${ARCS_PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
pgver=$("$pgbin/postgres" --version)
btype=$(awk -F= '/^CMAKE_BUILD_TYPE:/ { print $2 }' "$build/CMakeCache.txt")
cc=$(awk -F= '/^CMAKE_C_COMPILER:/ { print $2 }' "$build/CMakeCache.txt")
ccver=$("$cc" --version 2>/dev/null | head -n 1)
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(git -C "$root" status --porcelain 2>/dev/null | grep -qv '^??' && echo " + uncommitted changes" || true)

{
    echo "Last full run: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $commit$dirty."
    echo
    echo "Machine: $(nproc) CPUs ($cpu), $mem RAM, $pgver, arcs build type $btype ($ccver)," \
        "test cluster from tests/harness/pgtmp (fsync = off, full_page_writes = off, Unix socket)." \
        "Load average at start: $(cut -d' ' -f1-3 /proc/loadavg)."
    echo
} >"$out"

failed=0
run_one() { # run_one TITLE SCRIPT [ARGS...]
    local title=$1 script=$2 rc name
    shift 2
    name=$(basename "$(dirname "$script")")
    if [[ "$only" != *" $name "* ]]; then
        printf '### %s\n\nNot run (BENCH_ONLY).\n\n' "$title" >>"$out"
        return 0
    fi
    echo "run-all: $title ($(cut -d' ' -f1-3 /proc/loadavg))" >&2
    echo "### $title" >>"$out"
    echo >>"$out"
    "$script" "$@" >"$out.new"
    rc=$?
    cat "$out.new" >>"$out"
    if [ "$rc" != 0 ]; then
        echo >>"$out"
        echo "**bench/$name/run.sh exited $rc** — see its messages on stderr." >>"$out"
        failed=1
    fi
    echo >>"$out"
}

run_one "Audit log: seal and verify" "$root/bench/audit/run.sh" "${AUDIT_N:-1000000}"
run_one "Interactive write: arcs case add" "$root/bench/interactive/run.sh"
for b in import ledger; do
    if [ -x "$root/bench/$b/run.sh" ]; then
        run_one "$(tr '[:lower:]' '[:upper:]' <<<"${b:0:1}")${b:1}" "$root/bench/$b/run.sh"
    else
        echo "run-all: bench/$b/run.sh absent or not executable, skipped" >&2
        printf '### %s\n\nNot run: bench/%s/run.sh is absent or not executable.\n\n' "$b" "$b" >>"$out"
    fi
done

# Replace the results section of the README.
awk -v f="$out" '
    /<!-- results:begin -->/ { print; while ((getline l < f) > 0) print l; skip = 1; next }
    /<!-- results:end -->/ { skip = 0 }
    !skip { print }' "$readme" >"$out.new" && cat "$out.new" >"$readme"
echo "run-all: results written to $readme" >&2
exit "$failed"
