# The demo data set (scripts/demo-data.sh) loaded into the test cluster:
# its size, the fund's figures computed by hand, the audit log verified
# against a signed checkpoint, the reports, and a second load that changes
# nothing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ledger_lib.sh" # jget
SRC=${ARCS_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$SRC/scripts/demo-data.sh"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK" "$T_OUT" "$T_ERR"' EXIT

arcs db init --base-currency KZT >/dev/null || { echo "db init failed"; exit 1; }
expect_exit 0 "the demo data set loads" arcs_demo_data "$ARCS_BIN"

# --- size: >= 20 cases, >= 100 assets, >= 8 countries, >= 5 currencies ------
run arcs db status --json
counts=$(printf '%s' "$OUT" | python3 -c 'import json,sys; c=json.load(sys.stdin)["counts"]; print(c["cases"], c["assets"])')
set -- $counts
[ "$1" -ge 20 ] && pass "$1 cases (>= 20)" || fail "$1 cases, wanted >= 20"
[ "$2" -ge 100 ] && pass "$2 assets (>= 100)" || fail "$2 assets, wanted >= 100"
n=$(sql "SELECT count(DISTINCT cc) FROM (SELECT country AS cc FROM arcs.assets
         UNION SELECT country FROM arcs.case_jurisdictions) x")
[ "$n" -ge 8 ] && pass "$n countries (>= 8)" || fail "$n countries, wanted >= 8"
n=$(sql "SELECT count(DISTINCT currency) FROM arcs.valuations")
[ "$n" -ge 5 ] && pass "$n valuation currencies (>= 5)" || fail "$n currencies, wanted >= 5"
n=$(sql "SELECT count(DISTINCT state) FROM arcs.assets")
[ "$n" -ge 6 ] && pass "assets in $n states" || fail "assets in $n states, wanted >= 6"

# --- the fund, by hand (rates in scripts/demo-data/fx.csv, KZT per unit) -----
# received (into fund or escrow, converted at receipt):
#   Austria  USD  80,250,000 x 448.12 (2023-06-15) =  35,961,630,000.00
#   LI       USD 180,000,000 x 450.65 (2024-03-20) =  81,117,000,000.00
#            USD  86,000,000 x 450.65              =  38,755,900,000.00
#   UAE      AED  18,500,000 x 125.91 (2023-11-10) =   2,329,335,000.00 (escrow)
#            AED  17,000,000 x 125.91              =   2,140,470,000.00 (escrow)
#            AED  16,500,000 x 125.91              =   2,077,515,000.00 (escrow)
#   voluntary KZT                                  =  12,500,000,000.00
#                                            total = 174,881,850,000.00
# deducted:
#   cost (AT)          USD    250,000 x 448.12 =     112,030,000.00
#   foreign_share (LI) USD 13,000,000 x 450.65 =   5,858,450,000.00
#   creditor (AE)      AED  2,054,000 x 125.91 =     258,619,140.00
#   victim (KZ)        KZT                     =     350,000,000.00
#                                        total =   6,579,099,140.00
# escrow: 6,547,320,000.00 - 258,619,140.00 released to the fund on
#   2024-06-10 in full: 0.00
# allocated: 890,000,000 + 2,100,000,000 + 476,700,000 + 1,250,000,000
#   = 4,716,700,000.00
# disbursed: Temirlan 267m + 356m + 267m, Zerenda 840m + 630m,
#   Kosshy 238.35m x 2, Makinsk 375m = 3,211,700,000.00
# available = received - deducted - escrow - allocated
#   = 174,881,850,000.00 - 6,579,099,140.00 - 0 - 4,716,700,000.00
#   = 163,586,050,860.00
balance_is "174881850000.00 6579099140.00 0.00 4716700000.00 3211700000.00 163586050860.00" "fund balance"

# --- audit: key, checkpoint, verify, export ---------------------------------
expect_exit 0 "audit: key, checkpoint, verify, export, verify-export" \
    arcs_demo_audit "$ARCS_BIN" "$WORK/keys" "$WORK/out/audit-export"
arcs_demo_audit "$ARCS_BIN" "$WORK/keys" "$WORK/out/audit-export" >/dev/null 2>&1
expect_eq 600 "$(stat -c %a "$WORK/keys/signing.key")" "signing key is mode 0600"
vkey=$(head -n 1 "$WORK/keys/verifier.vkey")
expect_exit 0 "audit verify with the checkpoint" arcs audit verify --vkey "$vkey" --checkpoint "$WORK/keys/checkpoint"
expect_exit 0 "the export verifies offline" arcs audit verify-export "$WORK/out/audit-export" --vkey "$vkey"
size=$(sed -n 2p "$WORK/keys/checkpoint")
expect_eq "$size" "$(grep -c '' "$WORK/out/audit-export/entries.jsonl")" "export holds the checkpoint's entries"
if grep -q "PRIVATE" "$WORK/keys/verifier.vkey"; then fail "verifier file holds a private key"; else pass "verifier file is public"; fi

# --- reports -----------------------------------------------------------------
expect_exit 0 "every report is written" arcs_demo_reports "$ARCS_BIN" "$WORK/out"
for f in case-ARC-2021-0001.html case-ARC-2021-0001.md funds.html funds.csv funds.json \
    statistics-2024.html statistics-2024.csv statistics-2024.json \
    provenance-PRJ-TEMIRLAN-MUSIC.html provenance-PRJ-MAKINSK-WATER.json; do
    [ -s "$WORK/out/$f" ] && pass "report $f" || fail "report $f missing or empty"
done
OUT=$(cat "$WORK/out/funds.json")
expect_eq 174881850000.00 "$(jget received)" "funds report: received"
expect_eq 6579099140.00 "$(jget deducted)" "funds report: deducted"
expect_eq 163586050860.00 "$(jget available)" "funds report: available"
OUT=$(cat "$WORK/out/statistics-2024.json")
# freezes dated 2024: two bulk cases (decisions.csv); confiscations dated
# 2024: two bulk cases and the UAE's AE-DXB-2024/NCB-12; recovered in 2024:
# only Liechtenstein's receipts, 81,117,000,000 + 38,755,900,000
expect_eq 2 "$(jget freezing_orders)" "statistics 2024: freezing orders"
expect_eq 3 "$(jget confiscation_orders)" "statistics 2024: confiscation orders"
expect_eq 119872900000.00 "$(jget value_recovered)" "statistics 2024: value recovered"
OUT=$(cat "$WORK/out/provenance-PRJ-ZERENDA-SPORT.json")
expect_eq 2100000000.00 "$(jget attributed)" "provenance Zerenda: attributed = allocated"
expect_match 'ARC-2021-0001.*1200000000.00.*ARC-2021-0002.*900000000.00' "$OUT" "provenance Zerenda: Austria 1.2bn, Liechtenstein 0.9bn"
expect_match 'Temirlan' "$(cat "$WORK/out/provenance-PRJ-TEMIRLAN-MUSIC.html")" "provenance HTML names the project"
expect_match 'AT-LGS-2021/0412' "$(cat "$WORK/out/case-ARC-2021-0001.md")" "case report (md) lists the freeze"

# --- a second load records nothing -------------------------------------------
before=$(db_digest)
expect_exit 0 "the data set loads a second time" arcs_demo_data "$ARCS_BIN"
arcs_demo_audit "$ARCS_BIN" "$WORK/keys" "$WORK/out/audit-export" >/dev/null 2>&1 ||
    fail "audit a second time"
arcs_demo_reports "$ARCS_BIN" "$WORK/out" >/dev/null || fail "reports a second time"
expect_eq "$before" "$(db_digest)" "second load, audit and reports change nothing"

# --- the workspace as scripts/demo starts it (scripts/lib/demo-serve.sh) -----
. "$SRC/scripts/lib/demo-serve.sh"
mkdir -p "$WORK/home"
trap '[ -z "${DEMO_PID:-}" ] || kill "$DEMO_PID" 2>/dev/null; rm -rf "$WORK" "$T_OUT" "$T_ERR"' EXIT
export ARCS_DEMO_PORT=0
expect_exit 0 "the demo's workspace starts" demo_serve "$ARCS_BIN" "$WORK/home"
demo_serve "$ARCS_BIN" "$WORK/home" >/dev/null 2>&1 || fail "the workspace starts a second time"
first=$(cat "$WORK/home/serve.pid")
expect_eq 600 "$(stat -c %a "$WORK/home/web-logins")" "the demo's passwords are mode 0600"
expect_eq "demo_analyst analyst
demo_supervisor supervisor
demo_auditor auditor" "$(cut -d' ' -f1,2 "$WORK/home/web-logins")" "three logins, one per role, kept on a second run"
expect_exit 0 "a third start replaces the server" demo_serve "$ARCS_BIN" "$WORK/home"
[ -d "/proc/$first" ] && fail "the last run's server still runs" || pass "the last run's server is stopped"
# the password file lost: the logins are kept and get new passwords
mv "$WORK/home/web-logins" "$WORK/web-logins.old"
expect_exit 0 "a start without the password file" demo_serve "$ARCS_BIN" "$WORK/home"
expect_eq 3 "$(grep -c ' ' "$WORK/home/web-logins")" "... writes the three logins again"
cmp -s "$WORK/home/web-logins" "$WORK/web-logins.old" && fail "the passwords are the old ones" ||
    pass "with new passwords"
expect_eq ok "$(curl -s "${DEMO_URL}healthz")" "the workspace answers /healthz"
for who in demo_analyst demo_auditor; do
    pw=$(awk -v n="$who" '$1 == n { print $3 }' "$WORK/home/web-logins")
    expect_eq 303 "$(curl -s -o /dev/null -w '%{http_code}' --data-urlencode "user=$who" \
        --data-urlencode "password=$pw" "${DEMO_URL}login")" "$who logs in with the password in the file"
done
expect_eq 401 "$(curl -s -o /dev/null -w '%{http_code}' --data-urlencode user=demo_analyst \
    --data-urlencode password=not-it "${DEMO_URL}login")" "a wrong password does not"
kill "$DEMO_PID"
finish
