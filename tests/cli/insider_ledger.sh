# Money moves only through the database's checked functions: an analyst (or
# an admin) with psql can neither write the ledger tables nor make a
# function move money its kind, route, decision or role does not allow.
# Every attack is refused and leaves the database as it was; the honest
# path still works.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ledger_lib.sh"
ledger_setup
a=$(mkasset ARC-A KZ realized_conf)
s=$(mkasset ARC-B KZ seized)
expect_exit 0 "1,000.00 into the fund" arcs fund receive --asset "$a" --amount 1000.00 KZT --date 2024-01-10 --ref IN-1
expect_exit 0 "200.00 into escrow" arcs fund receive --asset "$s" --amount 200.00 KZT --date 2024-01-10 --ref IN-2
expect_exit 0 "project P1" arcs project add --code P1 --name "School" --sector education --region Akmola --budget 2000.00 KZT
sql "INSERT INTO arcs.decisions (case_id, kind, ref, issuer, issued_on)
     SELECT id, 'freeze', 'FRZ-A', 'court', '2024-01-01' FROM arcs.cases WHERE ref = 'ARC-A'"

pwdir=$(mktemp -d)
trap 'rm -rf "$pwdir" "$T_OUT" "$T_ERR"' EXIT
for u in ana1 sup1 adm1; do
    printf 'pw-%s-%s\n' "$u" "$RANDOM$RANDOM" >"$pwdir/$u"
    chmod 600 "$pwdir/$u"
done
expect_exit 0 "analyst login" arcs user add ana1 --role analyst --password-file "$pwdir/ana1"
expect_exit 0 "supervisor login" arcs user add sup1 --role supervisor --password-file "$pwdir/sup1"
expect_exit 0 "admin login" arcs user add adm1 --role admin --password-file "$pwdir/adm1"
expect_exit 0 "the setup is sealed" arcs audit seal
as() { local u=$1; shift; PGUSER=$u PGPASSWORD=$(head -n 1 "$pwdir/$u") "$@"; }

acct() { sql "SELECT id FROM arcs.ledger_accounts WHERE code = '$1'"; }
fund=$(acct fund)
proj=$(acct project:P1)
ext=$(acct external:disbursed:P1)
pid=$(sql "SELECT id FROM arcs.projects WHERE code = 'P1'")
caseA=$(sql "SELECT id FROM arcs.cases WHERE ref = 'ARC-A'")

# refused USER WHAT PATTERN SQL: USER's psql statement fails with an error
# matching PATTERN, and nothing in the database changed.
refused() {
    local before
    before=$(db_digest)
    run as "$1" psql -X -v ON_ERROR_STOP=1 -Atq -c "$4"
    if [ "$RC" != 0 ] && printf '%s' "$ERR" | grep -qE "$3"; then
        pass "$1: $2 refused"
    else
        fail "$1: $2 not refused as expected (rc $RC: $OUT $ERR)"
    fi
    expect_eq "$before" "$(db_digest)" "$1: $2: nothing changed"
}

xfer() { # DEBIT CREDIT AMOUNT KIND SUBKIND REF
    echo "INSERT INTO arcs.ledger_transfers (ext_ref, debit_account, credit_account, amount,
          orig_amount, orig_currency, fx_rate, kind, sub_kind, case_id, value_date, request)
          VALUES ('$6', $1, $2, $3, $3, 'KZT', 1, '$4', $5, $caseA, '2024-03-01', 'psql')"
}

# Found: a 'receive' from the fund to a project, inserted with psql.
refused ana1 "a receive from the fund to a project by INSERT" "permission denied" \
    "$(xfer "$fund" "$proj" 50000 receive "'sale_proceeds'" X-1)"
# Found: an account external:mallory, and 1,000,000.00 out of the fund to it
# as a deduction.
refused ana1 "an account external:mallory by INSERT" "permission denied" \
    "INSERT INTO arcs.ledger_accounts (code, kind) VALUES ('external:mallory', 'external')"
refused ana1 "a deduction of 1,000,000.00 to external:mallory" "permission denied" \
    "WITH m AS (INSERT INTO arcs.ledger_accounts (code, kind) VALUES ('external:mallory', 'external') RETURNING id)
     INSERT INTO arcs.ledger_transfers (ext_ref, debit_account, credit_account, amount, orig_amount,
         orig_currency, fx_rate, kind, sub_kind, case_id, value_date, request)
     SELECT 'X-2', $fund, m.id, 100000000, 100000000, 'KZT', 1, 'deduct', 'creditor', $caseA, '2024-03-01', 'psql' FROM m"
refused ana1 "a deduction to an existing external account by INSERT" "permission denied" \
    "$(xfer "$fund" "$ext" 1000 deduct "'creditor'" X-3)"
# every ledger table, directly
refused ana1 "INSERT into ledger_accounts" "permission denied" \
    "INSERT INTO arcs.ledger_accounts (code, kind) VALUES ('fund2', 'fund')"
refused ana1 "INSERT into ledger_transfers" "permission denied" \
    "$(xfer "$fund" "$proj" 100 allocate NULL X-4)"
refused ana1 "INSERT into allocation_sources" "permission denied" \
    "INSERT INTO arcs.allocation_sources (transfer_id, case_id, amount)
     SELECT id, $caseA, 1 FROM arcs.ledger_transfers WHERE ext_ref = 'IN-1'"
refused ana1 "INSERT into ledger_lots" "permission denied" \
    "INSERT INTO arcs.ledger_lots (transfer_id, case_id, value_date, amount, remaining)
     SELECT id, $caseA, '2024-01-01', 1, 1 FROM arcs.ledger_transfers WHERE ext_ref = 'IN-2'"
refused ana1 "UPDATE of a lot" "permission denied" \
    "UPDATE arcs.ledger_lots SET remaining = amount"
refused ana1 "UPDATE of a balance" "permission denied" \
    "UPDATE arcs.ledger_accounts SET credits = credits + 100 WHERE code = 'fund'"
refused ana1 "drawing a transfer number" "permission denied" \
    "SELECT nextval('arcs.ledger_transfers_id_seq')"
# the functions' internal helpers are not callable
refused ana1 "an account made through the internal helper" "permission denied" \
    "SELECT arcs.ledger_account_id('external:mallory', 'external', NULL, NULL, NULL)"
refused ana1 "a transfer recorded through the internal helper" "permission denied" \
    "SELECT arcs.ledger_insert('X-5', $fund, $ext, 1000, 1000, 'KZT', 1, NULL, 'deduct', 'creditor',
       NULL, $caseA, NULL, NULL, NULL, '2024-03-01', 'psql')"
refused ana1 "FIFO attribution through the internal helper" "permission denied" \
    "SELECT arcs.ledger_attribute_fifo(id, 1) FROM arcs.ledger_transfers WHERE ext_ref = 'IN-1'"
refused ana1 "lots taken through the internal helper" "permission denied" \
    "SELECT arcs.ledger_lots_take($caseA, 1, 'x')"

# The checked functions, called with psql: the role, the route, the decision.
refused ana1 "an allocation through the function" "needs the arcs_supervisor role" \
    "SELECT * FROM arcs.ledger_allocate('X-6', 'P1', 10000, 'ALLOC-1', '2024-03-01', '{}', '{}')"
refused ana1 "a disbursement through the function" "needs the arcs_supervisor role" \
    "SELECT * FROM arcs.ledger_disburse('X-7', 'P1', 1, '2024-03-01')"
refused ana1 "a deduction of a kind that has no route" "deduction kind 'mallory'" \
    "SELECT * FROM arcs.fund_deduct('X-8', $a, 100000000, 'KZT', '2024-03-01', 'mallory')"
refused ana1 "an escrow release to an account of the caller's choosing" "must be fund or owner" \
    "SELECT * FROM arcs.fund_release_escrow('X-9', $s, 'external:mallory', '2024-03-01')"
refused ana1 "a receipt of an unknown kind" "unknown receipt kind" \
    "SELECT * FROM arcs.fund_receive('X-10', $a, 100, 'KZT', '2024-03-01', 'gift', false)"
refused ana1 "a deduction beyond the case's money" "insufficient funds|allocated already" \
    "SELECT * FROM arcs.fund_deduct('X-11', $a, 100000000, 'KZT', '2024-03-01', 'creditor')"
refused sup1 "an allocation naming a freeze decision" "not an allocation" \
    "SELECT * FROM arcs.ledger_allocate('X-12', 'P1', 100, 'FRZ-A', '2024-03-01', '{}', '{}')"
refused sup1 "an allocation above the fund" "insufficient funds" \
    "SELECT * FROM arcs.ledger_allocate('X-13', 'P1', 100001, 'ALLOC-1', '2024-03-01', '{}', '{}')"
refused sup1 "an allocation naming a case with too little money" "less unallocated money|allocated already" \
    "SELECT * FROM arcs.ledger_allocate('X-14', 'P1', 100, 'ALLOC-1', '2024-03-01', '{ARC-C}', '{100}')"
refused sup1 "a disbursement above the project's money" "insufficient funds" \
    "SELECT * FROM arcs.ledger_disburse('X-15', 'P1', 1, '2024-03-01')"
refused ana1 "a reference reused for another request" "recorded already for something different" \
    "SELECT * FROM arcs.fund_receive('IN-1', $a, 100, 'KZT', '2024-01-10', 'sale_proceeds', false)"
# arcs_admin manages users, not money (SPEC §2)
refused adm1 "a receipt by an admin" "permission denied" \
    "SELECT * FROM arcs.fund_receive('X-16', $a, 100, 'KZT', '2024-03-01', 'sale_proceeds', false)"
refused adm1 "an allocation by an admin" "permission denied" \
    "SELECT * FROM arcs.ledger_allocate('X-17', 'P1', 100, 'ALLOC-1', '2024-03-01', '{}', '{}')"
refused adm1 "INSERT into ledger_transfers by an admin" "permission denied" \
    "$(xfer "$fund" "$proj" 100 allocate NULL X-18)"
before=$(db_digest)
expect_exit 4 "admin: arcs fund receive refused" as adm1 "$ARCS_BIN" fund receive --asset "$a" --amount 1.00 KZT --date 2024-03-01 --ref X-19
expect_exit 4 "analyst: arcs allocate refused" as ana1 "$ARCS_BIN" allocate --project P1 --amount 1.00 --decision ALLOC-1 --date 2024-03-01 --ref X-20
expect_match 'needs the arcs_supervisor role' "$ERR" "the refusal names the role"
expect_exit 4 "a retry under IN-1 with another amount refused" as ana1 "$ARCS_BIN" fund receive --asset "$a" --amount 999.00 KZT --date 2024-01-10 --ref IN-1
expect_eq "$before" "$(db_digest)" "nothing changed after the CLI refusals"
expect_exit 0 "the log verifies after every refusal" arcs audit verify

# The honest path, as the roles that may take it.
expect_exit 0 "analyst: fund receive" as ana1 "$ARCS_BIN" fund receive --asset "$a" --amount 100.00 KZT --date 2024-02-01 --ref IN-3 --json
expect_eq "receive|ana1" "$(sql "SELECT kind || '|' || db_user FROM arcs.ledger_transfers WHERE ext_ref = 'IN-3'")" "the receipt is the analyst's"
expect_exit 0 "analyst: the same receipt again is a retry" as ana1 "$ARCS_BIN" fund receive --asset "$a" --amount 100.00 KZT --date 2024-02-01 --ref IN-3 --json
expect_eq True "$(printf '%s' "$OUT" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("existed"))')" "the retry reports the existing transfer"
expect_exit 0 "analyst: fund deduct" as ana1 "$ARCS_BIN" fund deduct --asset "$a" --amount 10.00 KZT --date 2024-02-02 --kind cost --ref DE-1
expect_exit 0 "analyst: escrow release" as ana1 "$ARCS_BIN" fund release-escrow --asset "$s" --to fund --date 2024-02-03 --ref RE-1
expect_exit 0 "supervisor: allocate" as sup1 "$ARCS_BIN" allocate --project P1 --amount 500.00 --decision ALLOC-1 --date 2024-03-01 --ref AL-1
expect_exit 0 "supervisor: allocate with a named source" as sup1 "$ARCS_BIN" allocate --project P1 --amount 50.00 --decision ALLOC-2 --date 2024-03-01 --ref AL-2 --source ARC-B=50.00
expect_exit 0 "supervisor: disburse" as sup1 "$ARCS_BIN" disburse --project P1 --amount 100.00 --date 2024-03-02 --ref DI-1
expect_exit 0 "supervisor: reverse the disbursement" as sup1 "$ARCS_BIN" fund reverse --reverses DI-1 --date 2024-03-03 --ref RV-1
expect_exit 4 "analyst: reversing an allocation refused" as ana1 "$ARCS_BIN" fund reverse --reverses AL-1 --date 2024-03-03 --ref RV-2
expect_exit 0 "analyst: reverse the deduction" as ana1 "$ARCS_BIN" fund reverse --reverses DE-1 --date 2024-03-03 --ref RV-3
expect_eq "50000|5000" "$(sql "SELECT (SELECT sum(s.amount) FROM arcs.allocation_sources s JOIN arcs.ledger_transfers t ON t.id = s.transfer_id WHERE t.ext_ref = 'AL-1') || '|' || (SELECT s.amount FROM arcs.allocation_sources s JOIN arcs.ledger_transfers t ON t.id = s.transfer_id WHERE t.ext_ref = 'AL-2' AND s.named)")" \
    "allocations attributed: FIFO and the named source"
expect_eq "0" "$(sql "SELECT sum(credits - debits) FROM arcs.ledger_accounts")" "balances still sum to zero"
expect_exit 0 "the log verifies" arcs audit verify
finish
