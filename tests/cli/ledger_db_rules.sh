# The database itself refuses what would break the ledger, even from psql as
# the owner: a balance changed without a transfer (an unbalanced ledger), an
# UPDATE or DELETE of a transfer, a disbursement above its allocation, an
# allocation above the available fund. Nothing changes after each.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ledger_lib.sh"
ledger_setup
a=$(mkasset ARC-A KZ realized_conf)
expect_exit 0 "1,000.00 into the fund" arcs fund receive --asset "$a" --amount 1000.00 KZT --date 2024-01-10 --ref IN-1
expect_exit 0 "project P1" arcs project add --code P1 --name "School" --sector education --region Akmola --budget 2000.00 KZT
expect_exit 0 "allocate 500.00" arcs allocate --project P1 --amount 500.00 --decision ALLOC-1 --date 2024-02-01 --ref AL-1
expect_exit 0 "disburse 100.00" arcs disburse --project P1 --amount 100.00 --date 2024-02-02 --ref DI-1

acct() { sql "SELECT id FROM arcs.ledger_accounts WHERE code = '$1'"; }
fund=$(acct fund)
proj=$(acct project:P1)
ext=$(acct external:disbursed:P1)
alloc=$(sql "SELECT id FROM arcs.decisions WHERE ref = 'ALLOC-1'")
pid=$(sql "SELECT id FROM arcs.projects WHERE code = 'P1'")

# refused WHAT PATTERN SQL: psql fails, its error matches PATTERN, and the
# database is unchanged.
refused() {
    local what=$1 pattern=$2 before err
    before=$(db_digest)
    if err=$(psql -X -v ON_ERROR_STOP=1 -Atq -c "$3" 2>&1); then
        fail "$what: the database accepted it"
    else
        expect_match "$pattern" "$err" "$what: refused by the database"
    fi
    expect_eq "$before" "$(db_digest)" "$what: nothing changed"
}

xfer() { # DEBIT CREDIT AMOUNT KIND REF [PROJECT] [DECISION]
    echo "INSERT INTO arcs.ledger_transfers (ext_ref, debit_account, credit_account, amount,
          orig_amount, orig_currency, fx_rate, kind, project_id, decision_id, value_date, request)
          VALUES ('$5', $1, $2, $3, $3, 'KZT', 1, '$4', ${6:-NULL}, ${7:-NULL}, '2024-03-01', 'psql')"
}

refused "a direct balance UPDATE (unbalanced ledger)" "changes only by a transfer" \
    "UPDATE arcs.ledger_accounts SET credits = credits + 100000 WHERE code = 'fund'"
refused "moving a balance between accounts by UPDATE" "changes only by a transfer" \
    "UPDATE arcs.ledger_accounts SET debits = debits + 100 WHERE code IN ('fund', 'project:P1')"
refused "a new account born with a balance" "starts at zero" \
    "INSERT INTO arcs.ledger_accounts (code, kind, credits) VALUES ('fund2', 'fund', 100000)"
refused "deleting an account" "cannot be deleted" \
    "DELETE FROM arcs.ledger_accounts WHERE code = 'project:P1'"
refused "UPDATE of a transfer" "append-only" \
    "UPDATE arcs.ledger_transfers SET amount = 1 WHERE ext_ref = 'AL-1'"
refused "DELETE of a transfer" "append-only" \
    "DELETE FROM arcs.ledger_transfers WHERE ext_ref = 'DI-1'"
refused "DELETE of an allocation's sources" "append-only" \
    "DELETE FROM arcs.allocation_sources"
refused "a disbursement above its allocation" "insufficient funds" \
    "$(xfer "$proj" "$ext" 40001 disburse X-1 "$pid")"
refused "an allocation above the available fund" "insufficient funds" \
    "$(xfer "$fund" "$proj" 50001 allocate X-2 "$pid" "$alloc")"
refused "a transfer from an account to itself" "check constraint" \
    "$(xfer "$fund" "$fund" 100 allocate X-3 "$pid" "$alloc")"
refused "a transfer of zero" "check constraint" \
    "$(xfer "$fund" "$proj" 0 allocate X-4 "$pid" "$alloc")"
refused "a second reversal of the same transfer" "duplicate key" \
    "INSERT INTO arcs.ledger_transfers (ext_ref, debit_account, credit_account, amount, orig_amount,
       orig_currency, fx_rate, kind, sub_kind, reverses, value_date, request)
     SELECT 'X-5', credit_account, debit_account, amount, amount, 'KZT', 1, 'reverse', kind, id, date '2024-03-01', 'psql'
       FROM arcs.ledger_transfers WHERE ext_ref = 'DI-1'
     UNION ALL
     SELECT 'X-6', credit_account, debit_account, amount, amount, 'KZT', 1, 'reverse', kind, id, date '2024-03-01', 'psql'
       FROM arcs.ledger_transfers WHERE ext_ref = 'DI-1'"

# What the database accepts, it keeps balanced.
expect_eq "" "$(psql -X -v ON_ERROR_STOP=1 -Atq -c "$(xfer "$fund" "$proj" 50000 allocate X-7 "$pid" "$alloc")" 2>&1)" "an allocation of exactly the available money is accepted"
expect_eq "0|0" "$(sql "SELECT (SELECT credits - debits FROM arcs.ledger_accounts WHERE code = 'fund') || '|' || sum(credits - debits) FROM arcs.ledger_accounts")" "fund empty, balances sum to zero"
expect_exit 4 "then the CLI refuses even 0.01" arcs allocate --project P1 --amount 0.01 --decision ALLOC-1 --date 2024-03-02 --ref AL-2
finish
