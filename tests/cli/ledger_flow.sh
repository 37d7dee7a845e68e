# A hand-computed flow: receipts (one in USD), deductions from the fund and
# from escrow, escrow released to the fund and returned to an owner,
# allocations (FIFO and with named sources), two tranches, reversals. Every
# fund balance figure is checked to the minor unit, and the provenance of a
# project (cases, countries, amounts).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ledger_lib.sh"
ledger_setup
A=$(mkasset ARC-A KZ realized_conf)
B=$(mkasset ARC-B AT realized_seized)
C=$(mkasset ARC-C KZ seized)
expect_exit 0 "USD rate" arcs fx set USD 2024-01-01 450.00

# ARC-A: 10,000.00 USD at 450 = 4,500,000.00 into the fund (confiscated, realized)
expect_exit 0 "receive A" arcs fund receive --asset "$A" --amount 10000.00 USD --date 2024-01-10 --ref R-A --json
expect_eq "receive|fund|4500000.00" "$(jget kind)|$(jget credit_account)|$(jget amount)" "A's proceeds go to the fund"
expect_exit 0 "deduct victim from A" arcs fund deduct --asset "$A" --amount 500000.00 KZT --date 2024-01-12 --ref D-V --kind victim
expect_exit 0 "deduct cost from A in USD" arcs fund deduct --asset "$A" --amount 100.00 USD --date 2024-01-12 --ref D-C --kind cost --json
expect_eq "45000.00|fund" "$(jget amount)|$(jget debit_account)" "cost of 100.00 USD is 45,000.00 from the fund"
# ARC-B: sold while seized (interlocutory sale): proceeds wait in escrow
expect_exit 0 "receive B" arcs fund receive --asset "$B" --amount 2000000.00 KZT --date 2024-01-05 --ref R-B --json
expect_eq "escrow_in|escrow:asset:$B" "$(jget kind)|$(jget credit_account)" "B's proceeds go to escrow"
expect_exit 0 "foreign share from B's escrow" arcs fund deduct --asset "$B" --amount 200000.00 KZT --date 2024-01-20 --ref D-F --kind foreign_share --json
expect_eq "escrow:asset:$B" "$(jget debit_account)" "B's deduction comes from its escrow"
# ARC-C: seized, --kind confiscated_cash, into escrow, later released to its owner
expect_exit 0 "receive C" arcs fund receive --asset "$C" --amount 300000.00 KZT --date 2024-01-06 --ref R-C --kind confiscated_cash
balance_is "6800000.00 745000.00 2100000.00 0.00 0.00 3955000.00" "before escrow releases"

expect_exit 0 "B's escrow to the fund (final confiscation)" arcs fund release-escrow --asset "$B" --to fund --date 2024-02-01 --ref E-B --json
expect_eq "escrow_release_to_fund|1800000.00" "$(jget kind)|$(jget amount)" "release moves the whole escrow"
expect_exit 0 "C's escrow back to its owner" arcs fund release-escrow --asset "$C" --to owner --date 2024-02-02 --ref E-C
expect_exit 4 "nothing left in B's escrow" arcs fund release-escrow --asset "$B" --to fund --date 2024-02-03 --ref E-B2
expect_exit 0 "release retried with the same ref" arcs fund release-escrow --asset "$B" --to fund --date 2024-02-01 --ref E-B --json
expect_eq "True" "$(jget existed)" "the retry reports the recorded release"
balance_is "6800000.00 745000.00 0.00 0.00 0.00 5755000.00" "after escrow releases"
run arcs fund balance --json
expect_eq "300000.00" "$(jget returned)" "returned to owners"

expect_exit 0 "project P1" arcs project add --code P1 --name "Music school" --sector education --region Temirlan --budget 890000000.00 KZT --capacity "300 places"
expect_exit 0 "project P1 again is a retry" arcs project add --code P1 --name "Music school" --sector education --region Temirlan --budget 890000000.00 KZT --capacity "300 places"
expect_exit 4 "project P1 with other details" arcs project add --code P1 --name "Other" --sector education --region Temirlan --budget 890000000.00 KZT
expect_exit 0 "project P2" arcs project add --code P2 --name "Sports complex" --sector sport --region Zerenda --budget 2100000000.00 KZT
# FIFO: ARC-A's receipt (2024-01-10) net of its deductions is 3,955,000.00,
# then ARC-B's release (2024-02-01) 1,800,000.00
expect_exit 0 "allocate 5,000,000.00 to P1" arcs allocate --project P1 --amount 5000000.00 --decision ALLOC-1 --date 2024-02-10 --ref AL-1
expect_exit 2 "named sources must add up" arcs allocate --project P2 --amount 500000.00 --decision ALLOC-2 --date 2024-02-11 --ref AL-2 --source ARC-B=400000.00
expect_exit 4 "a named source cannot give more than it has" arcs allocate --project P2 --amount 500000.00 --decision ALLOC-2 --date 2024-02-11 --ref AL-2 --source ARC-A=500000.00
expect_exit 4 "the decision must be an allocation" arcs allocate --project P2 --amount 1.00 --decision CONF-1 --date 2024-02-11 --ref AL-X
expect_exit 3 "unknown decision" arcs allocate --project P2 --amount 1.00 --decision NOPE --date 2024-02-11 --ref AL-X
expect_exit 3 "unknown project" arcs allocate --project P9 --amount 1.00 --decision ALLOC-2 --date 2024-02-11 --ref AL-X
expect_exit 0 "allocate 500,000.00 to P2 from ARC-B" arcs allocate --project P2 --amount 500000.00 --decision ALLOC-2 --date 2024-02-11 --ref AL-2 --source ARC-B=500000.00
before=$(db_digest)
expect_exit 4 "ARC-A's money is all allocated: no further deduction from the fund" arcs fund deduct --asset "$A" --amount 1.00 KZT --date 2024-02-12 --ref D-X --kind creditor
expect_eq "$before" "$(db_digest)" "the refused deduction wrote nothing"
expect_exit 0 "first tranche" arcs disburse --project P1 --amount 2000000.00 --date 2024-03-01 --ref DI-1
expect_exit 0 "second tranche" arcs disburse --project P1 --amount 1500000.00 --date 2024-04-01 --ref DI-2
expect_exit 4 "a tranche above what is left" arcs disburse --project P1 --amount 1500000.01 --date 2024-04-02 --ref DI-3
balance_is "6800000.00 745000.00 0.00 5500000.00 3500000.00 255000.00" "after allocations and tranches"

expect_exit 0 "reverse the second tranche" arcs fund reverse --ref RV-1 --reverses DI-2 --date 2024-04-05 --json
expect_eq "reverse|DI-2|project:P1" "$(jget kind)|$(jget reverses)|$(jget credit_account)" "the reversal names what it reverses"
expect_exit 4 "a transfer is reversed at most once" arcs fund reverse --ref RV-1b --reverses DI-2 --date 2024-04-05
expect_exit 4 "a reversal is not reversed" arcs fund reverse --ref RV-1c --reverses RV-1 --date 2024-04-05
expect_exit 3 "reversing an unknown reference" arcs fund reverse --ref RV-1d --reverses NOPE --date 2024-04-05
expect_exit 0 "reverse the allocation to P2" arcs fund reverse --ref RV-2 --reverses AL-2 --date 2024-04-06
balance_is "6800000.00 745000.00 0.00 5000000.00 2000000.00 755000.00" "after the reversals"

expect_exit 0 "provenance of P1" arcs project provenance P1 --json
expect_eq "5000000.00" "$(jget total)" "P1's money is all traced"
expect_eq "ARC-A:KZ:3955000.00,ARC-B:AT:1045000.00" "$(printf '%s' "$OUT" | python3 -c 'import json,sys; print(",".join("%s:%s:%s" % (s["case"], s["country"], s["amount"]) for s in json.load(sys.stdin)["sources"]))')" "P1 paid by ARC-A (KZ) 3,955,000.00 and ARC-B (AT) 1,045,000.00"
expect_exit 0 "provenance of P2" arcs project provenance P2 --json
expect_eq "0.00" "$(jget total)" "a reversed allocation traces nothing"
expect_exit 0 "project show P1" arcs project show P1 --json
expect_eq "5000000.00|2000000.00|4" "$(jget allocated)|$(jget disbursed)|$(printf '%s' "$OUT" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["transfers"]))')" "P1: allocated, disbursed, its four transfers"
expect_exit 0 "project list" arcs project list --json
expect_match '"code":"P2"' "$OUT" "project list names P2"
expect_eq "0" "$(sql "SELECT sum(credits - debits) FROM arcs.ledger_accounts")" "balances sum to zero"
finish
