# arcs report: figures of a hand-computed scenario, to the minor unit.
# Base currency KZT (exponent 2). All amounts below are KZT unless marked.
#
# fx: USD 2024-01-01 450.00, USD 2024-02-01 470.10, USD 2024-06-01 480.00,
#     EUR 2024-03-01 510.50
# case A (bribery, money_laundering), case B (embezzlement)
# A1 real_estate AT: 1,000,000.00 USD valued 2024-01-10; frozen 2024-02-01
#    (rate on or before: 470.10)          -> 470,100,000.00
#    revalued 1,200,000.00 USD 2024-05-01; confiscated 2024-06-15
#    (rate on or before: 480.00 of 06-01) -> 576,000,000.00
# A2 bank_account CH: 200,000.00 EUR valued 2024-02-20; frozen 2024-03-05
#    (rate 510.50 of 03-01)               -> 102,100,000.00
# A3 vehicle KZ: 50,000,000.00 KZT valued 2023-11-01; frozen 2023-12-01
#    (outside 2024); confiscated 2024-04-01 (KZT: no rate) -> 50,000,000.00
# 2024: freezing orders 2 (F1, F2; F3 is 2023), confiscation orders 2
#   value_frozen      = 470,100,000.00 + 102,100,000.00 = 572,200,000.00
#   value_confiscated = 576,000,000.00 +  50,000,000.00 = 626,000,000.00
# 2023: freezing orders 1, value_frozen 50,000,000.00
# money: receive A3 30,000,000.00 KZT 2024-04-10; deduct victim 5,000,000.00
#   2024-04-15; receive A1 1,000,000.00 USD 2024-07-01 at 480.00 =
#   480,000,000.00; allocate SCH-1 100,000,000.00 2024-07-10; disburse SCH-1
#   40,000,000.00 2024-08-01; allocate HOS-1 200,000,000.00 2024-08-05
#   value_recovered 2024 = 30,000,000.00 + 480,000,000.00 = 510,000,000.00
#   funds: received 510,000,000.00 deducted 5,000,000.00 allocated
#   300,000,000.00 disbursed 40,000,000.00 available 205,000,000.00
#   H1 (2024-01-01..06-30): opening 0 + 30,000,000.00 - 5,000,000.00 =
#     closing 25,000,000.00
#   H2 (2024-07-01..12-31): 25,000,000.00 + 480,000,000.00 - 40,000,000.00 =
#     closing 465,000,000.00 (fund 205,000,000.00 + projects 260,000,000.00)
. "$(dirname "$0")/lib.sh"

j() { printf '%s' "$OUT" | jq -r "$1"; }
ok() { expect_exit 0 "$1" "${@:2}"; }

ok "init" arcs db init --base-currency KZT
ok "fx USD 01-01" arcs fx set USD 2024-01-01 450.00
ok "fx USD 02-01" arcs fx set USD 2024-02-01 470.10
ok "fx USD 06-01" arcs fx set USD 2024-06-01 480.00
ok "fx EUR 03-01" arcs fx set EUR 2024-03-01 510.50
ok "case A" arcs case add --ref ARC-2024-0001 --title "Villa and accounts" --offence bribery \
    --offence money_laundering --opened 2023-06-01 --jurisdiction victim:KZ --jurisdiction holding:AT
ok "case B" arcs case add --ref ARC-2024-0002 --title "Embezzled vehicles" --offence embezzlement \
    --opened 2023-10-01 --jurisdiction victim:KZ
printf '880101300123\n' >"$T_OUT.id"
ok "subject with identity number" arcs subject add ARC-2024-0001 --name "A. Defendant" \
    --kind person --role defendant --country KZ --id-number-file "$T_OUT.id"
rm -f "$T_OUT.id"
ok "asset A1" arcs asset add ARC-2024-0001 --kind real_estate --desc "Villa, Vienna" --country AT \
    --value 1000000.00 USD --valued-on 2024-01-10
A1=$OUT
ok "asset A2" arcs asset add ARC-2024-0001 --kind bank_account --desc "Account, Zurich" \
    --country CH --value 200000.00 EUR --valued-on 2024-02-20
A2=$OUT
ok "asset A3" arcs asset add ARC-2024-0002 --kind vehicle --desc "Trucks" --country KZ \
    --value 50000000.00 KZT --valued-on 2023-11-01
A3=$OUT
ok "decision F1" arcs decision add ARC-2024-0001 --kind freeze --ref F1 --issuer Court --date 2024-02-01 --asset "$A1"
ok "decision F2" arcs decision add ARC-2024-0001 --kind freeze --ref F2 --issuer Court --date 2024-03-05 --asset "$A2"
ok "decision F3" arcs decision add ARC-2024-0002 --kind freeze --ref F3 --issuer Court --date 2023-12-01 --asset "$A3"
ok "decision C1" arcs decision add ARC-2024-0001 --kind confiscation --ref C1 --issuer Court \
    --date 2024-05-10 --final 2024-06-15 --asset "$A1"
ok "decision C2" arcs decision add ARC-2024-0002 --kind confiscation --ref C2 --issuer Court \
    --date 2024-03-20 --final 2024-04-01 --asset "$A3"
ok "decision AL1" arcs decision add ARC-2024-0001 --kind allocation --ref AL1 --issuer Government --date 2024-07-09
ok "decision AL2" arcs decision add ARC-2024-0002 --kind allocation --ref AL2 --issuer Government --date 2024-08-04
ok "A1 frozen" arcs asset transition "$A1" frozen --decision F1 --date 2024-02-01
ok "A2 frozen" arcs asset transition "$A2" frozen --decision F2 --date 2024-03-05
ok "A3 frozen" arcs asset transition "$A3" frozen --decision F3 --date 2023-12-01
ok "A1 revalued" arcs asset value "$A1" --amount 1200000.00 USD --date 2024-05-01
ok "A1 confiscated" arcs asset transition "$A1" confiscated --decision C1 --date 2024-06-15
ok "A3 confiscated" arcs asset transition "$A3" confiscated --decision C2 --date 2024-04-01
ok "A3 realized" arcs asset transition "$A3" realized --decision C2 --date 2024-04-10 --amount 30000000.00 KZT
ok "A1 realized" arcs asset transition "$A1" realized --decision C1 --date 2024-07-01 --amount 1000000.00 USD
ok "receive A3" arcs fund receive --asset "$A3" --amount 30000000.00 KZT --date 2024-04-10 --ref R1
ok "deduct victim" arcs fund deduct --asset "$A3" --amount 5000000.00 KZT --date 2024-04-15 --ref D1 --kind victim
ok "receive A1" arcs fund receive --asset "$A1" --amount 1000000.00 USD --date 2024-07-01 --ref R2
ok "project SCH-1" arcs project add --code SCH-1 --name "Music school, Temirlan" --sector education \
    --region Turkistan --budget 890000000.00 KZT
ok "project HOS-1" arcs project add --code HOS-1 --name "Sports complex, Zerenda" --sector sport \
    --region Akmola --budget 2100000000.00 KZT
ok "allocate SCH-1" arcs allocate --project SCH-1 --amount 100000000.00 --decision AL1 --date 2024-07-10 --ref AL-1
ok "disburse SCH-1" arcs disburse --project SCH-1 --amount 40000000.00 --date 2024-08-01 --ref DS-1
ok "allocate HOS-1" arcs allocate --project HOS-1 --amount 200000000.00 --decision AL2 --date 2024-08-05 --ref AL-2

# statistics
ok "statistics 2024" arcs report statistics --year 2024 --format json
expect_eq "2024" "$(j .year)" "statistics year"
expect_eq "KZT" "$(j .currency)" "statistics currency"
expect_eq "2" "$(j .freezing_orders)" "2024 freezing orders: F1 and F2, not F3 (2023)"
expect_eq "2" "$(j .confiscation_orders)" "2024 confiscation orders: C1 and C2"
expect_eq "572200000.00" "$(j .value_frozen)" "value frozen at the freezing-date rates"
expect_eq "626000000.00" "$(j .value_confiscated)" "value confiscated at the confiscation-date rates"
expect_eq "510000000.00" "$(j .value_recovered)" "value recovered as converted at receipt"
expect_eq "1" "$(j .victims_compensated)" "one victim compensation"
expect_eq "5000000.00" "$(j .value_to_victims)" "paid to victims"
expect_eq "470100000.00" "$(j '.by_asset_kind[] | select(.kind=="real_estate") | .value_frozen')" \
    "real estate frozen: 1,000,000.00 USD x 470.10"
expect_eq "576000000.00" "$(j '.by_offence[] | select(.offence=="bribery") | .value_confiscated')" \
    "bribery: confiscated A1 only"
expect_eq "50000000.00" "$(j '.by_offence[] | select(.offence=="embezzlement") | .value_confiscated')" \
    "embezzlement: confiscated A3 only"
# average duration: case A 2023-06-01 -> 2024-06-15 = 380 days,
# case B 2023-10-01 -> 2024-04-01 = 183 days; (380 + 183) / 2 = 281.5 -> 282
expect_eq "282" "$(j .average_duration_days)" "average days from opening to final confiscation"
expect_match '^[0-9]+$' "$(j .checkpoint.size)" "statistics names the audit tree size"
ok "statistics 2023" arcs report statistics --year 2023 --json
expect_eq "1" "$(j .freezing_orders)" "2023 freezing orders: F3"
expect_eq "50000000.00" "$(j .value_frozen)" "2023 value frozen: A3 in KZT"
expect_eq "0.00" "$(j .value_confiscated)" "2023 nothing confiscated"
ok "statistics csv" arcs report statistics --year 2024 --format csv
expect_eq $'section,row,field,value\r' "$(printf '%s' "$OUT" | head -n 1)" "csv header ends in CRLF"
expect_eq $'summary,,value_frozen,572200000.00\r' "$(printf '%s' "$OUT" | grep value_frozen | head -n 1)" \
    "csv carries value_frozen"

# funds, all time
ok "funds" arcs report funds --format json
expect_eq "KZT" "$(j .currency)" "funds currency"
expect_eq "510000000.00" "$(j .received)" "funds received"
expect_eq "5000000.00" "$(j .deducted)" "funds deducted"
expect_eq "0.00" "$(j .escrow)" "funds escrow"
expect_eq "300000000.00" "$(j .allocated)" "funds allocated"
expect_eq "40000000.00" "$(j .disbursed)" "funds disbursed"
expect_eq "205000000.00" "$(j .available)" "funds available"
expect_eq "100000000.00/40000000.00" "$(j '.projects[] | select(.code=="SCH-1") | .allocated + "/" + .disbursed')" \
    "project SCH-1 allocated/disbursed"
expect_eq "200000000.00/0.00" "$(j '.projects[] | select(.code=="HOS-1") | .allocated + "/" + .disbursed')" \
    "project HOS-1 allocated/disbursed"
expect_eq "480000000.00" "$(j '.receipts_by_country[] | select(.country=="AT") | .received')" \
    "receipts from Austria"
# two periods
ok "funds H1" arcs report funds --from 2024-01-01 --to 2024-06-30 --json
expect_eq "30000000.00 5000000.00 0.00 25000000.00" "$(j '[.received, .deducted, .opening, .closing] | join(" ")')" \
    "H1: 0 + 30,000,000.00 - 5,000,000.00 = 25,000,000.00"
expect_eq "true" "$(j '[.rollforward[] | ((.opening|tonumber)*100 + (.received|tonumber)*100 - (.deducted|tonumber)*100 - (.returned|tonumber)*100 - (.disbursed|tonumber)*100 | round) == ((.closing|tonumber)*100|round)] | all')" \
    "H1 every month balances"
expect_eq "6" "$(j '.rollforward | length')" "H1 has six monthly periods"
ok "funds H2" arcs report funds --from 2024-07-01 --to 2024-12-31 --json
expect_eq "25000000.00 480000000.00 40000000.00 465000000.00" \
    "$(j '[.opening, .received, .disbursed, .closing] | join(" ")')" \
    "H2: 25,000,000.00 + 480,000,000.00 - 40,000,000.00 = 465,000,000.00"
expect_eq "205000000.00" "$(j .available)" "H2 available at its end"
ok "funds csv" arcs report funds --format csv
expect_eq $'summary,,available,205000000.00\r' "$(printf '%s' "$OUT" | grep ',available,' | head -n 1)" "funds csv available"

# provenance: FIFO over receipts: R1 (case B, 25,000,000.00 left after the
# deduction) pays first, then R2 (case A)
ok "provenance SCH-1" arcs report provenance --project SCH-1 --json
expect_eq "100000000.00" "$(j .allocated)" "provenance: SCH-1 allocated"
expect_eq "10000000000" "$(j '[.sources[].amount | sub("\\."; "") | tonumber] | add')" \
    "provenance: the cases add up to the allocation (minor units)"
expect_eq "25000000.00" "$(j '.sources[] | select(.case=="ARC-2024-0002") | .amount')" "provenance: case B first (FIFO)"

# case report
ok "case json" arcs report case ARC-2024-0001 --format json
expect_eq "ARC-2024-0001" "$(j .ref)" "case report ref"
expect_eq "2" "$(j '.assets | length')" "case report lists both assets"
expect_eq "frozen confiscated realized" "$(j "[.history[] | select(.asset==\"$A1\") | .to] | join(\" \")")" "A1 full state history"
expect_eq "•••• 0123" "$(j '.subjects[0].id_number')" "identity number masked"
expect_match '"seq"' "$OUT" "case report lists audit entries"
expect_eq "R2" "$(j '.transfers[] | select(.kind=="receive") | .ref')" "case report lists its money movements"
ok "case md" arcs report case ARC-2024-0001 --format md
expect_match '^# Case report ARC-2024-0001' "$OUT" "markdown heading"
ok "case show identity as superuser" arcs report case ARC-2024-0001 --json --show-identity
expect_eq "880101300123" "$(j '.subjects[0].id_number')" "identity shown to a privileged user"

# refusals, and nothing written
before=$(db_digest)
expect_exit 2 "bad year" arcs report statistics --year 24
expect_exit 2 "bad date" arcs report funds --from 2024-02-30
expect_exit 2 "csv is not a case format" arcs report case ARC-2024-0001 --format csv
expect_exit 3 "unknown case" arcs report case NOPE-1
expect_exit 3 "unknown project" arcs report provenance --project NOPE
expect_eq "$before" "$(db_digest)" "reports write nothing"
finish
