#!/usr/bin/env bash
# Benchmark: arcs serve under SESSIONS concurrent sessions (default 50), each
# logged in as its own analyst, running a mix of case list, search, case page
# and writes (add a subject, add an asset) for DURATION seconds (default 60)
# or MAX_REQUESTS requests (default 500000), whichever comes first, against
# 127.0.0.1 only; then the same reads and writes by `arcs` commands in the
# same run. Against a throwaway cluster (tests/harness/pgtmp) holding the
# demo data set (scripts/demo-data.sh). Not a test: it prints figures.
#
#   bench/web/run.sh                        # 50 sessions, 60 s
#   SESSIONS=20 DURATION=20 bench/web/run.sh
#   THINK_MS=500 bench/web/run.sh         # each session pauses 0-1 s between requests
#
# Prints a Markdown report on stdout (bench/web/load.py): p50/p99 latency
# per kind, throughput, the server's RSS (VmRSS) at start, middle and end.
# Needs a built arcs (ARCS_BIN, else build-bench/cli/arcs, built if missing),
# psql and /usr/bin/python3 (standard library only).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
if [ -z "${ARCS_BENCH_WEB_INSIDE:-}" ]; then
    if [ -z "${ARCS_BIN:-}" ]; then
        ARCS_BIN=$root/build-bench/cli/arcs
        if [ ! -x "$ARCS_BIN" ]; then
            cmake -S "$root" -B "$root/build-bench" -DCMAKE_BUILD_TYPE=Release \
                -DBUILD_TESTING=OFF >/dev/null
            cmake --build "$root/build-bench" -j "$(nproc)" --target arcs >/dev/null
        fi
    fi
    export ARCS_BIN ARCS_BENCH_WEB_INSIDE=1
    exec "$root/tests/harness/pgtmp" -- bash "$0" "$@"
fi

sessions=${SESSIONS:-50}
work=$(mktemp -d)
pid=
trap '[ -z "$pid" ] || { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; }; rm -rf "$work"' EXIT
say() { echo "web bench: $*" >&2; }

"$ARCS_BIN" db init --base-currency KZT >/dev/null
say "loading the demo data set"
. "$root/scripts/demo-data.sh"
arcs_demo_data "$ARCS_BIN" >/dev/null
psql -X -Atq -c 'SELECT ref FROM arcs.cases ORDER BY ref' >"$work/cases"

say "$sessions analyst logins"
umask 077
for i in $(seq -w 1 "$sessions"); do
    pw=$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')
    printf '%s\n' "$pw" >"$work/pw"
    "$ARCS_BIN" user add "bench_a$i" --role analyst --password-file "$work/pw" >/dev/null
    printf 'bench_a%s %s\n' "$i" "$pw" >>"$work/users"
done
rm -f "$work/pw"

env -u PGUSER -u PGPASSWORD "$ARCS_BIN" serve --listen 127.0.0.1:0 --quiet \
    --max-sessions $((sessions + 8)) 2>"$work/server.log" &
pid=$!
url=
for _ in $(seq 100); do
    url=$(grep -o 'http://127\.0\.0\.1:[0-9]*/' "$work/server.log" | head -n 1 || true)
    [ -n "$url" ] && break
    sleep 0.1
done
[ -n "$url" ] || { say "arcs serve did not start: $(cat "$work/server.log")"; exit 1; }
say "arcs serve (pid $pid) at $url; $sessions sessions for ${DURATION:-60} s"

WEB=$url SERVER_PID=$pid SESSIONS=$sessions USERS_FILE=$work/users CASES_FILE=$work/cases \
    /usr/bin/python3 "$root/bench/web/load.py"
if ! kill -0 "$pid" 2>/dev/null; then
    say "the server died: $(tail -n 5 "$work/server.log")"
    exit 1
fi
