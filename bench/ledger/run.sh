#!/usr/bin/env bash
# Ledger throughput: 8 parallel clients making allocations through
# `arcs allocate` (a process, a connection, a transaction and an audit seal
# each), beside pgbench running the same guarded UPDATEs + INSERT in plain
# SQL. Prints allocations per second for both.
#
#   bench/ledger/run.sh [BUILD_DIR] [COUNT_PER_CLIENT] [PGBENCH_SECONDS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build}
count=${2:-200}
secs=${3:-20}
export ARCS_BIN=${ARCS_BIN:-$build/cli/arcs} BENCH_COUNT=$count BENCH_SECS=$secs BENCH_DIR=$here
[ -x "$ARCS_BIN" ] || { echo "run.sh: no arcs binary at $ARCS_BIN; build first" >&2; exit 1; }

exec "$root/tests/harness/pgtmp" -- bash "$here/inner.sh"
