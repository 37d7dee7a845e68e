# FX through the real commands: golden conversions, half-to-even rounding,
# the latest rate on or before the date, missing rates refused with nothing
# written, the rate and its date stored on the transfer.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ledger_lib.sh"
ledger_setup
a=$(mkasset ARC-A KZ realized_conf)

expect_exit 0 "fx set USD" arcs fx set USD 2024-01-01 82.42135 --source NBK
expect_exit 0 "fx set USD again is a no-op" arcs fx set USD 2024-01-01 82.42135 --json
expect_eq "False" "$(jget changed)" "repeated rate reports no change"
expect_exit 0 "fx set USD Feb" arcs fx set USD 2024-02-01 470.10
expect_exit 0 "fx set USD Feb as 470.1 is the same rate" arcs fx set USD 2024-02-01 470.1
expect_exit 0 "fx set USD Mar" arcs fx set USD 2024-03-01 82.42125
expect_exit 0 "fx set JPY" arcs fx set JPY 2024-01-01 3.1

expect_exit 0 "receive 100.00 USD at 82.42135" arcs fund receive --asset "$a" --amount 100.00 USD --date 2024-01-15 --ref FX-1 --json
expect_eq "8242.14" "$(jget amount)" "100.00 USD at 82.42135 is 8242.14 KZT"
expect_eq "82.42135" "$(jget fx_rate)" "rate named on the transfer"
expect_eq "2024-01-01" "$(jget fx_rate_date)" "rate date named on the transfer"

expect_exit 0 "receive 1.25 USD at 470.10" arcs fund receive --asset "$a" --amount 1.25 USD --date 2024-02-10 --ref FX-2 --json
expect_eq "587.62" "$(jget amount)" "1.25 USD at 470.10 is 587.62 (587.625 to even)"
expect_exit 0 "receive on the last day before the next rate" arcs fund receive --asset "$a" --amount 2.00 USD --date 2024-02-29 --ref FX-2b --json
expect_eq "940.20" "$(jget amount)" "latest rate on or before the date is used"
expect_eq "2024-02-01" "$(jget fx_rate_date)" "its date is stored"

expect_exit 0 "receive 100.00 USD at 82.42125" arcs fund receive --asset "$a" --amount 100.00 USD --date 2024-03-01 --ref FX-3 --json
expect_eq "8242.12" "$(jget amount)" "8242.125 rounds half to even: 8242.12"
expect_exit 0 "receive 12.00 USD at 82.42125" arcs fund receive --asset "$a" --amount 12.00 USD --date 2024-03-02 --ref FX-3b --json
expect_eq "989.06" "$(jget amount)" "989.055 rounds half to even: 989.06"
expect_exit 0 "receive 1000 JPY (exponent 0) at 3.1" arcs fund receive --asset "$a" --amount 1000 JPY --date 2024-03-01 --ref FX-4 --json
expect_eq "3100.00" "$(jget amount)" "1000 JPY at 3.1 is 3100.00 KZT"
expect_exit 0 "receive in the base currency" arcs fund receive --asset "$a" --amount 1000.00 KZT --date 2023-01-01 --ref FX-5 --json
expect_eq "1000.00" "$(jget amount)" "base currency amount unchanged"
expect_eq "1" "$(jget fx_rate)" "base currency uses the identity rate"
expect_eq "" "$(jget fx_rate_date)" "and no rate date"

expect_eq "FX-1|824214|10000|USD|82.42135|2024-01-01,FX-2|58762|125|USD|470.1|2024-02-01,FX-3|824212|10000|USD|82.42125|2024-03-01,FX-5|100000|100000|KZT|1|" \
    "$(sql "SELECT string_agg(concat_ws('|', ext_ref, amount, orig_amount, orig_currency, fx_rate, coalesce(fx_rate_date::text, '')), ',' ORDER BY ext_ref) FROM arcs.ledger_transfers WHERE ext_ref IN ('FX-1', 'FX-2', 'FX-3', 'FX-5')")" \
    "stored amounts, rates and rate dates"

before=$(db_digest)
expect_exit 4 "a missing rate is refused" arcs fund receive --asset "$a" --amount 10.00 EUR --date 2024-03-01 --ref FX-6
expect_eq "arcs: fund receive: no EUR rate on or before 2024-03-01; add one with arcs fx set EUR 2024-03-01 RATE" "$ERR" "missing rate message"
expect_exit 4 "no rate before the first one" arcs fund receive --asset "$a" --amount 10.00 USD --date 2023-12-31 --ref FX-7
expect_exit 4 "a deduction with a missing rate is refused" arcs fund deduct --asset "$a" --amount 1.00 CHF --date 2024-03-01 --ref FX-8 --kind cost
expect_exit 4 "a different rate for a recorded date is refused" arcs fx set USD 2024-01-01 82.5
expect_exit 2 "fx set: lowercase currency" arcs fx set usd 2024-01-01 82.5
expect_exit 2 "fx set: impossible date" arcs fx set USD 2024-02-30 82.5
expect_exit 2 "fx set: negative rate" arcs fx set USD 2024-04-01 -1
expect_exit 2 "fx set: zero rate" arcs fx set USD 2024-04-01 0
expect_exit 2 "fx set: unknown currency" arcs fx set XYZ 2024-04-01 1.5
expect_exit 2 "fx set: the base currency" arcs fx set KZT 2024-04-01 1.5
expect_exit 2 "receive: more decimals than the currency" arcs fund receive --asset "$a" --amount 10.5 JPY --date 2024-03-01 --ref FX-9
expect_exit 2 "receive: malformed amount" arcs fund receive --asset "$a" --amount 1,000.00 USD --date 2024-03-01 --ref FX-9
expect_exit 2 "receive: zero amount" arcs fund receive --asset "$a" --amount 0.00 USD --date 2024-03-01 --ref FX-9
expect_exit 2 "receive: amount without currency" arcs fund receive --asset "$a" --amount 10.00 --date 2024-03-01 --ref FX-9
expect_exit 2 "receive: impossible date" arcs fund receive --asset "$a" --amount 10.00 USD --date 2024-13-01 --ref FX-9
expect_exit 2 "receive: unknown kind" arcs fund receive --asset "$a" --amount 10.00 USD --date 2024-03-01 --ref FX-9 --kind gift
expect_exit 3 "receive: unknown asset" arcs fund receive --asset 999 --amount 10.00 USD --date 2024-03-01 --ref FX-9
expect_eq "$before" "$(db_digest)" "refused commands wrote nothing"

expect_exit 0 "--replace changes a rate" arcs fx set USD 2024-02-01 471 --replace
expect_eq "471" "$(sql "SELECT rate FROM arcs.fx_rates WHERE currency = 'USD' AND rate_date = '2024-02-01'")" "rate replaced"
expect_eq "470.1|58762" "$(sql "SELECT fx_rate || '|' || amount FROM arcs.ledger_transfers WHERE ext_ref = 'FX-2'")" "a recorded transfer keeps its rate"
expect_exit 0 "retry of FX-2 after the rate changed is still the same transfer" arcs fund receive --asset "$a" --amount 1.25 USD --date 2024-02-10 --ref FX-2 --json
expect_eq "True|587.62" "$(jget existed)|$(jget amount)" "retry reports the recorded transfer"

expect_exit 0 "fund balance" arcs fund balance --json
expect_eq "23101.14" "$(jget received)" "received is the sum of the converted receipts"
expect_eq "23101.14" "$(jget available)" "all of it available"
finish
