# Crash safety: 8 clients each make N allocations with unique references,
# logging every reference acknowledged (exit 0) and retrying a failure with
# the same reference; the postmaster is SIGKILLed twice during the run and
# restarted. At the end every acknowledged reference is in the ledger exactly
# once with the id the client was told, and nothing else is.
# N: ARCS_LEDGER_CRASH_N (default 200: 1,600 allocations, each a new process
# and a new server backend; the two kills fall at 10% and 40% of them).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ledger_lib.sh"
N=${ARCS_LEDGER_CRASH_N:-200}
ledger_setup
a=$(mkasset ARC-A KZ realized_conf)
dir=$(mktemp -d)
trap 'rm -rf "$dir" "$T_OUT" "$T_ERR"' EXIT
expect_exit 0 "a large fund" arcs fund receive --asset "$a" --amount 100000000.00 KZT --date 2024-01-10 --ref CR-IN
expect_exit 0 "project P1" arcs project add --code P1 --name "Water" --sector water --region Kosshy --budget 476700000.00 KZT

# The loops and the count of acknowledgements start no processes of their
# own: the clients' arcs processes are what this test is about.
client() {
    local c=$1 i ref out tries
    for ((i = 1; i <= N; i++)); do
        ref="CR-$c-$i"
        for ((tries = 1; tries <= 300; tries++)); do
            if out=$("$ARCS_BIN" allocate --project P1 --amount 1.00 --decision ALLOC-1 \
                --date 2024-02-01 --ref "$ref" 2>>"$dir/err-$c"); then
                echo "$ref $out" >>"$dir/ack-$c"
                break
            fi
            sleep 0.2
        done
    done
}

# acked: ACKED becomes the number of acknowledgements logged so far.
acked() {
    local f lines
    ACKED=0
    for f in "$dir"/ack-*; do
        [ -f "$f" ] || continue
        mapfile -t lines <"$f"
        ACKED=$((ACKED + ${#lines[@]}))
    done
}

# kill_at COUNT: wait until COUNT acknowledgements (or 60 s), kill, restart.
kill_at() {
    local t=0
    while acked && [ "$ACKED" -lt "$1" ] && [ $t -lt 300 ]; do sleep 0.2; t=$((t + 1)); done
    "$ARCS_TEST_PGCTL" kill
    sleep 1.5
    for t in 1 2 3 4 5 6 7 8 9 10; do
        "$ARCS_TEST_PGCTL" start && return 0
        sleep 1
    done
    return 1
}

for c in 1 2 3 4 5 6 7 8; do client "$c" & done
if kill_at $((N * 8 / 10)) && kill_at $((N * 8 * 4 / 10)); then
    pass "postmaster killed and restarted twice"
else
    fail "postmaster could not be restarted"
fi
wait

sort "$dir"/ack-* >"$dir/acks"
cut -d' ' -f1 "$dir/acks" >"$dir/ack-refs"
expect_eq $((N * 8)) "$(wc -l <"$dir/acks")" "every allocation was acknowledged in the end"
expect_eq $((N * 8)) "$(sort -u "$dir/ack-refs" | wc -l)" "each reference acknowledged once by its client"
sql "SELECT ext_ref || ' ' || id FROM arcs.ledger_transfers WHERE kind = 'allocate' ORDER BY 1" | sort >"$dir/db"
if cmp -s "$dir/acks" "$dir/db"; then
    pass "the ledger holds exactly the acknowledged references, with the ids the clients were told"
else
    fail "ledger and acknowledgements differ: $(diff "$dir/acks" "$dir/db" | head -n 5 | tr '\n' ' ')"
fi
expect_eq "0" "$(sql "SELECT count(*) FROM (SELECT ext_ref FROM arcs.ledger_transfers GROUP BY ext_ref HAVING count(*) > 1) d")" "no reference recorded twice"
expect_eq "$((N * 8))" "$(sql "SELECT count(*) FROM arcs.allocation_sources s JOIN arcs.ledger_transfers t ON t.id = s.transfer_id WHERE t.kind = 'allocate'")" "each allocation attributed once"

read -r ref id < <(head -n 1 "$dir/acks")
expect_exit 0 "a resubmitted reference reports the existing transfer" arcs allocate --project P1 --amount 1.00 --decision ALLOC-1 --date 2024-02-01 --ref "$ref"
expect_eq "$id" "$OUT" "with the same id"
alloc=$(python3 -c "print('%d.00' % ($N * 8))")
avail=$(python3 -c "print('%d.00' % (100000000 - $N * 8))")
balance_is "100000000.00 0.00 0.00 $alloc 0.00 $avail" "after the crashes"
expect_eq "0" "$(sql "SELECT sum(credits - debits) FROM arcs.ledger_accounts")" "balances sum to zero"
expect_eq "0" "$(sql "SELECT count(*) FROM arcs.ledger_accounts a WHERE a.debits <> (SELECT coalesce(sum(amount), 0) FROM arcs.ledger_transfers WHERE debit_account = a.id) OR a.credits <> (SELECT coalesce(sum(amount), 0) FROM arcs.ledger_transfers WHERE credit_account = a.id)")" "every balance equals its transfers"
finish
