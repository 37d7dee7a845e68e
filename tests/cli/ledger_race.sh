# Concurrency: 8 processes x 50 allocations of 3,000.00 against exactly
# 1,000,000.00 available: exactly 333 succeed, the rest are refused (exit 4),
# 1,000.00 stays available. The same for disbursements against an allocation.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ledger_lib.sh"
ledger_setup
a=$(mkasset ARC-A KZ realized_conf)
dir=$(mktemp -d)
trap 'rm -rf "$dir" "$T_OUT" "$T_ERR"' EXIT

expect_exit 0 "one million into the fund" arcs fund receive --asset "$a" --amount 1000000.00 KZT --date 2024-01-10 --ref RACE-IN-1
expect_exit 0 "project P1" arcs project add --code P1 --name "School" --sector education --region Akmola --budget 2000000.00 KZT
expect_exit 0 "project P2" arcs project add --code P2 --name "Clinic" --sector health --region Almaty --budget 2000000.00 KZT

# race KIND: 8 clients x 50 commands; each logs "EXITCODE" per line.
race() {
    local kind=$1 c
    for c in 1 2 3 4 5 6 7 8; do
        (
            for i in $(seq 1 50); do
                if [ "$kind" = allocate ]; then
                    "$ARCS_BIN" allocate --project P1 --amount 3000.00 --decision ALLOC-1 \
                        --date 2024-02-01 --ref "AL-$c-$i" >/dev/null 2>>"$dir/err-$kind"
                else
                    "$ARCS_BIN" disburse --project P2 --amount 3000.00 --date 2024-03-01 \
                        --ref "DI-$c-$i" >/dev/null 2>>"$dir/err-$kind"
                fi
                echo $? >>"$dir/rc-$kind-$c"
            done
        ) &
    done
    wait
}

race allocate
expect_eq 333 "$(cat "$dir"/rc-allocate-* | grep -cx 0)" "exactly 333 allocations succeed"
expect_eq 67 "$(cat "$dir"/rc-allocate-* | grep -cx 4)" "the other 67 are refused with exit 4"
expect_match 'insufficient funds' "$(head -n 1 "$dir/err-allocate")" "refusals say insufficient funds"
balance_is "1000000.00 0.00 0.00 999000.00 0.00 1000.00" "after the allocation race"
expect_eq 333 "$(sql "SELECT count(*) FROM arcs.ledger_transfers WHERE kind = 'allocate'")" "333 allocations recorded"
expect_eq "99900000|333" "$(sql "SELECT sum(s.amount) || '|' || count(*) FROM arcs.allocation_sources s JOIN arcs.ledger_transfers t ON t.id = s.transfer_id WHERE t.kind = 'allocate'")" "every allocation attributed once"

expect_exit 0 "999,000.00 more into the fund" arcs fund receive --asset "$a" --amount 999000.00 KZT --date 2024-02-10 --ref RACE-IN-2
expect_exit 0 "allocate one million to P2" arcs allocate --project P2 --amount 1000000.00 --decision ALLOC-2 --date 2024-02-15 --ref AL-P2
race disburse
expect_eq 333 "$(cat "$dir"/rc-disburse-* | grep -cx 0)" "exactly 333 disbursements succeed"
expect_eq 67 "$(cat "$dir"/rc-disburse-* | grep -cx 4)" "the other 67 are refused with exit 4"
expect_exit 0 "project show P2" arcs project show P2 --json
expect_eq "1000000.00|999000.00|1000.00" "$(jget allocated)|$(jget disbursed)|$(jget undisbursed)" "P2: 1,000.00 undisbursed"
balance_is "1999000.00 0.00 0.00 1999000.00 999000.00 0.00" "after the disbursement race"
expect_eq "0" "$(sql "SELECT sum(credits - debits) FROM arcs.ledger_accounts")" "double entry: balances sum to zero"
expect_eq "0" "$(sql "SELECT count(*) FROM arcs.ledger_accounts a WHERE a.debits <> (SELECT coalesce(sum(amount), 0) FROM arcs.ledger_transfers WHERE debit_account = a.id) OR a.credits <> (SELECT coalesce(sum(amount), 0) FROM arcs.ledger_transfers WHERE credit_account = a.id)")" "every balance equals its transfers"
finish
