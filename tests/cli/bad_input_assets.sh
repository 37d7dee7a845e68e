# Malformed input to asset commands: exit 2, one line on stderr naming the
# problem, and the database exactly as before.
. "$(dirname "$0")/lib.sh"

expect_exit 0 "init" arcs db init --base-currency KZT
sql "INSERT INTO arcs.cases (ref, title) VALUES ('ARC-2025-0042', 'Music school funds')"
sql "INSERT INTO arcs.decisions (case_id, kind, ref, issuer, issued_on)
     SELECT id, 'confiscation', 'CONF-1', 'Astana city court', '2024-06-01' FROM arcs.cases"
expect_exit 0 "a good asset" arcs asset add ARC-2025-0042 --kind cash --desc "Cash" --country KZ
A=$OUT
expect_match '^[0-9]+$' "$A" "asset add prints the id"
arcs asset transition "$A" seized --decision CONF-1 --date 2024-06-01 >/dev/null
expect_eq seized "$(sql "SELECT state FROM arcs.assets WHERE id = $A")" "fixture asset is seized"
before=$(db_digest)

# bad WHAT PATTERN ARGS...: exit 2, one stderr line matching PATTERN, no change.
bad() {
    local what=$1 pattern=$2
    shift 2
    expect_exit 2 "$what" "$@"
    expect_match "$pattern" "$ERR" "message names the problem: $what"
    expect_eq "$before" "$(db_digest)" "nothing written: $what"
}
add() { arcs asset add ARC-2025-0042 --kind real_estate --desc "Flat" --country KZ "$@"; }
val() { add --valued-on 2024-01-01 --value "$@"; }

bad "too many decimals" "1\.234" val 1.234 USD
bad "negative amount" "-5" val -5 USD
bad "zero amount" "'0'|zero" val 0 USD
bad "exponent notation" "1e5" val 1e5 USD
bad "thousands separator" "1,000\.00" val 1,000.00 USD
bad "overflowing amount" "99999999999999999999" val 99999999999999999999 USD
bad "lowercase currency" "usd" val 10 usd
bad "unknown currency" "unknown currency 'XYZ'" val 10 XYZ
bad "amount without a currency" "currency" val 10
bad "amount followed by a flag, not a currency" "currency" add --value 10 --valued-on 2024-01-01
bad "impossible date" "2024-02-30" add --value 10 USD --valued-on 2024-02-30
bad "slashed date" "2024/01/01" add --value 10 USD --valued-on 2024/01/01
bad "value without its date" "valued-on" add --value 10 USD
bad "lowercase country" "kz" arcs asset add ARC-2025-0042 --kind cash --desc x --country kz
bad "unknown country" "'ZZ'" arcs asset add ARC-2025-0042 --kind cash --desc x --country ZZ
bad "unknown kind" "house" arcs asset add ARC-2025-0042 --kind house --desc x --country KZ
bad "missing --desc" "desc" arcs asset add ARC-2025-0042 --kind cash --country KZ
bad "missing case ref" "CASE_REF" arcs asset add --kind cash --desc x --country KZ
bad "unknown flag" "--colour" arcs asset add ARC-2025-0042 --kind cash --desc x --country KZ --colour red
bad "unknown valuation method" "guess" add --value 10 USD --valued-on 2024-01-01 --method guess
bad "empty description" "description" arcs asset add ARC-2025-0042 --kind cash --desc "" --country KZ

tr() { arcs asset transition "$A" "$@"; }
bad "unknown state" "gone" tr gone --decision CONF-1 --date 2024-07-01
bad "transition with an impossible date" "2023-02-29" tr confiscated --decision CONF-1 --date 2023-02-29
bad "transition without a decision" "decision" tr confiscated --date 2024-07-01
bad "transition without a date" "date" tr confiscated --decision CONF-1
bad "realized without proceeds" "amount" tr realized --decision CONF-1 --date 2024-07-01
bad "realized with too many decimals" "1\.001" tr realized --decision CONF-1 --date 2024-07-01 --amount 1.001 KZT
bad "realized with an unknown currency" "XYZ" tr realized --decision CONF-1 --date 2024-07-01 --amount 5 XYZ
bad "ASSET not a number" "ASSET" arcs asset transition 12abc confiscated --decision CONF-1 --date 2024-07-01
bad "ASSET negative" "ASSET" arcs asset show -- -4
bad "show without ASSET" "ASSET" arcs asset show
bad "list by an unknown state" "gone" arcs asset list --state gone
bad "list by a malformed country" "kaz" arcs asset list --country kaz
bad "value: zero" "'0'|zero" arcs asset value "$A" --amount 0 KZT --date 2024-07-01
bad "value: JPY has no decimals" "1\.5" arcs asset value "$A" --amount 1.5 JPY --date 2024-07-01
bad "unknown verb" "frobnicate" arcs asset frobnicate

expect_eq seized "$(sql "SELECT state FROM arcs.assets WHERE id = $A")" "the asset is still seized"
finish
