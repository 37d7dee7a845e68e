# The demo's data set: arcs_demo_data [ARCS_BINARY [DATA_DIR]], plus
# arcs_demo_audit and arcs_demo_reports. Sourced by scripts/demo and by
# tests/cli/demo.sh. The binary defaults to $ARCS_BIN, the database is the
# libpq environment (PGHOST, PGDATABASE ... or ARCS_DB for arcs; psql, used
# for the guards and look-ups, reads the same PG* variables).
#
# Every step is safe to repeat: case, subject, fx, project and money commands
# are retries when their content is unchanged (money and imports are keyed by
# their reference), and the other steps (decisions, transitions, case
# statuses, keys, checkpoints) check the database before they write.
# Figures are the public ones of SPEC.md; names of people are invented. The
# bulk (scripts/demo-data/*.csv) comes from scripts/demo-data/generate.py.
ARCS_DEMO_DATA_DIR=${ARCS_DEMO_DATA_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/demo-data}

demo_psql() { psql -X -Atq -v ON_ERROR_STOP=1 "$@"; }

# demo_run CMD...: run quietly; on failure show what it said and fail.
demo_run() {
    local err rc=0
    err=$("$@" 2>&1 >/dev/null) || rc=$?
    if [ $rc != 0 ]; then
        printf 'demo: failed (exit %s): %s\n%s\n' "$rc" "$*" "$err" >&2
        return $rc
    fi
}

# demo_status ARCS REF STATUS DECISION DATE: move the case unless that very
# change is on record already (a later status would refuse the replay).
demo_status() {
    local arcs=$1 ref=$2 status=$3 dref=$4 date=$5 done
    done=$(demo_psql -v ref="$ref" -v st="$status" -v d="$dref" -v on="$date" <<'SQL'
SELECT count(*) FROM arcs.case_status_changes h
  JOIN arcs.cases c ON c.id = h.case_id JOIN arcs.decisions d ON d.id = h.decision_id
 WHERE c.ref = :'ref' AND h.to_status = :'st' AND d.ref = :'d' AND h.on_date = :'on'::date;
SQL
)
    [ "$done" != 0 ] || demo_run "$arcs" case status "$ref" "$status" --decision "$dref" --date "$date"
}

# demo_decision ARCS CASE_REF decision-add-flags...: add a decision unless
# its --ref is recorded. (A plain retry is refused once a transition names
# the decision: the transition adds the asset to the decision's asset list,
# and the retry without --asset then looks like a different decision.)
demo_decision() {
    local arcs=$1 case_ref=$2 dref="" a
    shift 2
    local args=("$@")
    for ((a = 0; a < ${#args[@]}; a++)); do
        [ "${args[$a]}" = --ref ] && dref=${args[$((a + 1))]}
    done
    if [ -n "${DEMO_DECISIONS[$dref]:-}" ]; then return 0; fi
    demo_run "$arcs" decision add "$case_ref" "$@"
    DEMO_DECISIONS[$dref]=1
}

# demo_asset EXTERNAL_REF: the id of an imported asset.
demo_asset() {
    local id=${DEMO_ASSETS[$1]:-}
    [ -n "$id" ] || { echo "demo: no asset with external ref $1" >&2; return 3; }
    printf '%s' "$id"
}

# demo_move ARCS EXTERNAL_REF STATE DECISION DATE [AMOUNT CCY]: move an asset
# unless that very transition is recorded.
demo_move() {
    local arcs=$1 ext=$2 state=$3 dref=$4 date=$5 id
    id=$(demo_asset "$ext") || return
    [ -z "${DEMO_MOVES["$id|$state|$dref|$date"]:-}" ] || return 0
    if [ -n "${6:-}" ]; then
        demo_run "$arcs" asset transition "$id" "$state" --decision "$dref" --date "$date" --amount "$6" "$7"
    else
        demo_run "$arcs" asset transition "$id" "$state" --decision "$dref" --date "$date"
    fi
    DEMO_MOVES["$id|$state|$dref|$date"]=1
}

# demo_reload_state: what is recorded already (decision refs, asset ids by
# external ref, transitions), read once instead of once per step.
demo_reload_state() {
    local k v
    declare -gA DEMO_DECISIONS=() DEMO_ASSETS=() DEMO_MOVES=() DEMO_FX=() DEMO_SUBJECTS=()
    while read -r k; do [ -z "$k" ] || DEMO_FX[$k]=1; done < <(
        demo_psql -c "SELECT currency || '|' || rate_date FROM arcs.fx_rates")
    while read -r k; do [ -z "$k" ] || DEMO_SUBJECTS[$k]=1; done < <(
        demo_psql -c "SELECT c.ref || '|' || s.name FROM arcs.subjects s JOIN arcs.cases c ON c.id = s.case_id")
    while read -r k; do [ -z "$k" ] || DEMO_DECISIONS[$k]=1; done < <(demo_psql -c "SELECT ref FROM arcs.decisions")
    while IFS='|' read -r k v; do [ -z "$k" ] || DEMO_ASSETS[$k]=$v; done < <(
        demo_psql -c "SELECT external_ref, id FROM arcs.assets WHERE external_ref IS NOT NULL")
    while read -r k; do [ -z "$k" ] || DEMO_MOVES[$k]=1; done < <(demo_psql -c "
        SELECT t.asset_id || '|' || t.to_state || '|' || d.ref || '|' || t.on_date
          FROM arcs.asset_transitions t JOIN arcs.decisions d ON d.id = t.decision_id")
}

arcs_demo_data() {
    local A=${1:-${ARCS_BIN:?arcs_demo_data: give the arcs binary}} D=${2:-$ARCS_DEMO_DATA_DIR}
    local ccy date rate src cref name kind role cc dkind dref issuer final ext state amount
    demo_reload_state

    # 0. Exchange rates (KZT per unit): 1 January of each year, and the days
    #    money moved. fx set is a retry when the rate is the same.
    while IFS=, read -r ccy date rate src; do
        # (a rate already recorded for that day is left alone)
        [ "$ccy" = currency ] || [ -n "${DEMO_FX["$ccy|$date"]:-}" ] || demo_run "$A" fx set "$ccy" "$date" "$rate" --source "$src"
    done <"$D/fx.csv"

    # 1. Austria: USD 80m returned.
    demo_run "$A" case add --ref ARC-2021-0001 --title "State holding embezzlement: accounts in Austria" \
        --route criminal --offence embezzlement --offence money_laundering --opened 2021-03-15 \
        --jurisdiction victim:KZ --jurisdiction holding:AT --jurisdiction transit:CH
    demo_run "$A" subject add ARC-2021-0001 --name "Former chairman of a state holding (A.K.)" \
        --kind person --role defendant --country KZ
    demo_run "$A" subject add ARC-2021-0001 --name "Danube Asset Management GmbH" --kind entity \
        --role nominee --country AT
    demo_decision "$A" ARC-2021-0001 --kind freeze --ref "AT-LGS-2021/0412" \
        --issuer "Regional Court for Criminal Matters Vienna" --date 2021-06-01 \
        --effective 2021-06-01
    demo_decision "$A" ARC-2021-0001 --kind confiscation --ref "KZ-ASTANA-2022/1-118" \
        --issuer "Astana City Court" --date 2022-09-14 --final 2022-12-20
    demo_decision "$A" ARC-2021-0001 --kind return_agreement --ref "KZ-AT-RA-2023/1" \
        --issuer "Governments of Kazakhstan and Austria" --date 2023-05-10 \
        --effective 2023-05-10
    demo_status "$A" ARC-2021-0001 investigation "AT-LGS-2021/0412" 2021-06-02
    demo_status "$A" ARC-2021-0001 enforcement "KZ-ASTANA-2022/1-118" 2022-12-21

    # 2. Liechtenstein: USD 253m returned.
    demo_run "$A" case add --ref ARC-2021-0002 --title "Bribery proceeds held by trusts in Liechtenstein" \
        --route criminal --offence bribery --offence money_laundering --offence concealment \
        --opened 2021-08-02 --jurisdiction victim:KZ --jurisdiction holding:LI \
        --jurisdiction bribe_payer:CH
    demo_run "$A" subject add ARC-2021-0002 --name "Former senior official (B.T.)" --kind person \
        --role defendant --country KZ
    demo_run "$A" subject add ARC-2021-0002 --name "Rheintal Family Trust reg." --kind entity \
        --role beneficial_owner --country LI
    demo_decision "$A" ARC-2021-0002 --kind freeze --ref "LI-FL-2021/ST-77" \
        --issuer "Princely Court of Liechtenstein" --date 2021-10-05
    demo_decision "$A" ARC-2021-0002 --kind confiscation --ref "LI-FL-2023/ST-77-K" \
        --issuer "Princely Court of Liechtenstein" --date 2023-03-28 --final 2023-07-04
    demo_decision "$A" ARC-2021-0002 --kind return_agreement --ref "KZ-LI-RA-2024/1" \
        --issuer "Governments of Kazakhstan and Liechtenstein" --date 2024-02-15
    demo_status "$A" ARC-2021-0002 judgment "LI-FL-2023/ST-77-K" 2023-07-04

    # 3. United Arab Emirates: USD 13.6m returned; non-conviction based.
    demo_run "$A" case add --ref ARC-2022-0003 --title "Illicit enrichment: apartments in Dubai" \
        --route non_conviction --offence illicit_enrichment --opened 2022-04-11 \
        --jurisdiction victim:KZ --jurisdiction holding:AE
    demo_run "$A" subject add ARC-2022-0003 --name "Former regional akim (S.N.)" --kind person \
        --role defendant --country KZ
    demo_run "$A" subject add ARC-2022-0003 --name "Gulf Pearl Properties FZE" --kind entity \
        --role nominee --country AE
    demo_decision "$A" ARC-2022-0003 --kind freeze --ref "AE-DXB-2022/CIV-3391" \
        --issuer "Dubai Courts" --date 2022-07-19
    demo_decision "$A" ARC-2022-0003 --kind return_agreement --ref "KZ-AE-RA-2024/2" \
        --issuer "Governments of Kazakhstan and the UAE" --date 2024-06-03
    demo_status "$A" ARC-2022-0003 enforcement "KZ-AE-RA-2024/2" 2024-06-03

    # 4. At home: a voluntary return to the Special State Fund.
    demo_run "$A" case add --ref ARC-2023-0004 --title "Regional budget embezzlement: voluntary return" \
        --route voluntary --offence embezzlement --opened 2023-02-20 \
        --jurisdiction victim:KZ
    demo_run "$A" subject add ARC-2023-0004 --name "Construction contractor LLP (D.R.)" --kind entity \
        --role defendant --country KZ
    demo_decision "$A" ARC-2023-0004 --kind return_agreement --ref "KZ-AG-VR-2023/31" \
        --issuer "Asset Recovery Committee of the Prosecutor General's Office" \
        --date 2023-09-01

    # 5. Still under investigation.
    demo_run "$A" case add --ref ARC-2024-0005 --title "Abuse of functions in public procurement" \
        --route criminal --offence abuse_of_functions --offence trading_in_influence \
        --opened 2024-10-07 --jurisdiction victim:KZ --jurisdiction transit:AE
    demo_run "$A" subject add ARC-2024-0005 --name "Deputy head of a procurement agency (M.Zh.)" \
        --kind person --role defendant --country KZ
    demo_decision "$A" ARC-2024-0005 --kind seizure --ref "KZ-ALM-2024/INV-552" \
        --issuer "Investigating judge, Almaty" --date 2024-11-12
    demo_status "$A" ARC-2024-0005 investigation "KZ-ALM-2024/INV-552" 2024-11-12

    # 6. The bulk: 18 more cases and the assets of all 23 (import is keyed
    #    by ref / external_ref: the second time it records nothing).
    demo_run "$A" import "$D/cases.csv"
    demo_run "$A" import "$D/assets.csv"
    demo_reload_state
    while IFS=, read -r cref name kind role cc; do
        [ "$cref" = case_ref ] || [ -n "${DEMO_SUBJECTS["$cref|$name"]:-}" ] || demo_run "$A" subject add "$cref" --name "$name" --kind "$kind" --role "$role" --country "$cc"
    done <"$D/subjects.csv"
    while IFS=, read -r cref dkind dref issuer date final; do
        [ "$cref" = case_ref ] && continue
        if [ -n "$final" ]; then
            demo_decision "$A" "$cref" --kind "$dkind" --ref "$dref" --issuer "$issuer" --date "$date" --final "$final"
        else
            demo_decision "$A" "$cref" --kind "$dkind" --ref "$dref" --issuer "$issuer" --date "$date"
        fi
    done <"$D/decisions.csv"
    while IFS=, read -r ext state dref date amount ccy; do
        [ "$ext" = external_ref ] || demo_move "$A" "$ext" "$state" "$dref" "$date" $amount $ccy
    done <"$D/transitions.csv"

    # 7. The story assets through their life cycle, and their money.
    #    Austria: the custody account frozen, confiscated, collected (USD
    #    80.25m) and returned: USD 250,000 of Austrian costs deducted leaves
    #    the public USD 80m. The Vienna flat stays frozen.
    demo_move "$A" AT-ACC-001 frozen "AT-LGS-2021/0412" 2021-06-02
    demo_move "$A" AT-RE-002 frozen "AT-LGS-2021/0412" 2021-06-02
    demo_move "$A" CH-ACC-003 frozen "AT-LGS-2021/0412" 2021-06-02
    demo_move "$A" AT-ACC-001 confiscated "KZ-ASTANA-2022/1-118" 2022-12-21
    demo_move "$A" CH-ACC-003 released "KZ-ASTANA-2022/1-118" 2022-12-21
    demo_move "$A" AT-ACC-001 realized "KZ-AT-RA-2023/1" 2023-06-15 80250000.00 USD
    demo_run "$A" fund receive --asset "$(demo_asset AT-ACC-001)" --amount 80250000.00 USD \
        --date 2023-06-15 --ref "NBK-IN-2023-06-15-AT" --kind foreign_return
    demo_run "$A" fund deduct --asset "$(demo_asset AT-ACC-001)" --amount 250000.00 USD \
        --date 2023-06-15 --ref "NBK-DED-2023-06-15-AT-COST" --kind cost

    #    Liechtenstein: USD 266m realized; 13m kept by Liechtenstein under
    #    the sharing agreement leaves the public USD 253m.
    demo_decision "$A" ARC-2021-0002 --kind sharing_agreement --ref "LI-KZ-SA-2024/1" \
        --issuer "Governments of Liechtenstein and Kazakhstan" --date 2024-02-15
    demo_move "$A" LI-ACC-001 frozen "LI-FL-2021/ST-77" 2021-10-05
    demo_move "$A" LI-SEC-002 frozen "LI-FL-2021/ST-77" 2021-10-05
    demo_move "$A" LI-ACC-001 confiscated "LI-FL-2023/ST-77-K" 2023-07-04
    demo_move "$A" LI-SEC-002 confiscated "LI-FL-2023/ST-77-K" 2023-07-04
    demo_move "$A" LI-ACC-001 realized "KZ-LI-RA-2024/1" 2024-03-20 180000000.00 USD
    demo_move "$A" LI-SEC-002 realized "KZ-LI-RA-2024/1" 2024-03-20 86000000.00 USD
    demo_run "$A" fund receive --asset "$(demo_asset LI-ACC-001)" --amount 180000000.00 USD \
        --date 2024-03-20 --ref "NBK-IN-2024-03-20-LI-1" --kind foreign_return
    demo_run "$A" fund receive --asset "$(demo_asset LI-SEC-002)" --amount 86000000.00 USD \
        --date 2024-03-20 --ref "NBK-IN-2024-03-20-LI-2" --kind foreign_return
    demo_run "$A" fund deduct --asset "$(demo_asset LI-SEC-002)" --amount 13000000.00 USD \
        --date 2024-03-20 --ref "NBK-DED-2024-03-20-LI-SHARE" --kind foreign_share

    #    UAE: the three properties seized and sold before judgment (an
    #    interlocutory sale, AED 52m into escrow); the mortgage lender is paid
    #    AED 2.054m from escrow; on final confiscation the escrow (AED 49.946m,
    #    about USD 13.6m) is released to the fund.
    demo_decision "$A" ARC-2022-0003 --kind seizure --ref "AE-DXB-2023/CIV-3391-S" \
        --issuer "Dubai Courts" --date 2023-03-01
    demo_decision "$A" ARC-2022-0003 --kind seizure --ref "AE-DXB-2023/CIV-3391-IS" \
        --issuer "Dubai Courts (order for interlocutory sale)" --date 2023-10-20
    demo_decision "$A" ARC-2022-0003 --kind confiscation --ref "AE-DXB-2024/NCB-12" \
        --issuer "Dubai Courts" --date 2024-04-15 --final 2024-05-20
    demo_run "$A" subject add ARC-2022-0003 --name "Emirates mortgage bank PJSC" --kind entity \
        --role creditor --country AE
    local i n amounts=(18500000.00 17000000.00 16500000.00)
    for i in 1 2 3; do
        ext=AE-RE-00$i
        demo_move "$A" $ext frozen "AE-DXB-2022/CIV-3391" 2022-07-20
        demo_move "$A" $ext seized "AE-DXB-2023/CIV-3391-S" 2023-03-01
        demo_move "$A" $ext realized "AE-DXB-2023/CIV-3391-IS" 2023-11-10 "${amounts[$((i - 1))]}" AED
        demo_run "$A" fund receive --asset "$(demo_asset $ext)" --amount "${amounts[$((i - 1))]}" AED \
            --date 2023-11-10 --ref "ESC-IN-2023-11-10-AE-$i" --kind sale_proceeds --escrow
    done
    demo_run "$A" fund deduct --asset "$(demo_asset AE-RE-001)" --amount 2054000.00 AED \
        --date 2023-11-10 --ref "ESC-DED-2023-11-10-AE-MORTGAGE" --kind creditor
    for i in 1 2 3; do
        demo_run "$A" fund release-escrow --asset "$(demo_asset AE-RE-00$i)" --to fund \
            --date 2024-06-10 --ref "ESC-REL-2024-06-10-AE-$i"
    done

    #    At home: KZT 12.5bn paid under the voluntary return agreement;
    #    KZT 350m goes to the regional budget that was robbed (the victim).
    demo_run "$A" subject add ARC-2023-0004 --name "Akimat of the region (regional budget)" \
        --kind entity --role victim --country KZ
    demo_move "$A" KZ-VR-001 confiscated "KZ-AG-VR-2023/31" 2023-09-01
    demo_move "$A" KZ-VR-001 realized "KZ-AG-VR-2023/31" 2023-09-15 12500000000.00 KZT
    demo_run "$A" fund receive --asset "$(demo_asset KZ-VR-001)" --amount 12500000000.00 KZT \
        --date 2023-09-15 --ref "NBK-IN-2023-09-15-VR" --kind voluntary_payment
    demo_run "$A" fund deduct --asset "$(demo_asset KZ-VR-001)" --amount 350000000.00 KZT \
        --date 2023-09-15 --ref "NBK-DED-2023-09-15-VR-VICTIM" --kind victim

    #    Still under investigation: seized, nothing realized.
    for ext in KZ-RE-501 KZ-VEH-502 AE-ACC-503; do
        demo_move "$A" $ext seized "KZ-ALM-2024/INV-552" 2024-11-12
    done

    # 8. Projects, allocations by government decision, tranches. The Makinsk
    #    figure is illustrative (not a published one).
    demo_run "$A" project add --code PRJ-TEMIRLAN-MUSIC --name "Music school, Temirlan (300 places)" \
        --sector education --region "Turkistan region" --budget 890000000.00 KZT \
        --implementer "Akimat of Ordabasy district" --capacity "300 places"
    demo_run "$A" project add --code PRJ-ZERENDA-SPORT --name "Sports complex, Zerenda" \
        --sector sport --region "Akmola region" --budget 2100000000.00 KZT \
        --implementer "Akimat of Zerenda district"
    demo_run "$A" project add --code PRJ-KOSSHY-WATER --name "Water supply, Kosshy" \
        --sector water --region "Akmola region" --budget 476700000.00 KZT \
        --implementer "Akimat of Kosshy"
    demo_run "$A" project add --code PRJ-MAKINSK-WATER --name "Water supply, Makinsk (illustrative figure)" \
        --sector water --region "Akmola region" --budget 1250000000.00 KZT \
        --implementer "Akimat of Bulandy district"
    # Allocation decisions are recorded under the case whose money they spend
    # (arcs ties every decision to a case).
    demo_decision "$A" ARC-2021-0002 --kind allocation --ref "KZ-GOV-2024/ALLOC-017" \
        --issuer "Government of Kazakhstan" --date 2024-04-10
    demo_decision "$A" ARC-2021-0001 --kind allocation --ref "KZ-GOV-2024/ALLOC-018" \
        --issuer "Government of Kazakhstan" --date 2024-04-10
    demo_decision "$A" ARC-2022-0003 --kind allocation --ref "KZ-GOV-2024/ALLOC-031" \
        --issuer "Government of Kazakhstan" --date 2024-07-01
    demo_decision "$A" ARC-2023-0004 --kind allocation --ref "KZ-GOV-2024/ALLOC-032" \
        --issuer "Government of Kazakhstan" --date 2024-07-01
    demo_run "$A" allocate --project PRJ-TEMIRLAN-MUSIC --amount 890000000.00 \
        --decision "KZ-GOV-2024/ALLOC-017" --date 2024-04-10 --ref "ALLOC-2024-017" \
        --source ARC-2021-0002=890000000.00
    demo_run "$A" allocate --project PRJ-ZERENDA-SPORT --amount 2100000000.00 \
        --decision "KZ-GOV-2024/ALLOC-018" --date 2024-04-10 --ref "ALLOC-2024-018" \
        --source ARC-2021-0001=1200000000.00 --source ARC-2021-0002=900000000.00
    demo_run "$A" allocate --project PRJ-KOSSHY-WATER --amount 476700000.00 \
        --decision "KZ-GOV-2024/ALLOC-031" --date 2024-07-01 --ref "ALLOC-2024-031" \
        --source ARC-2022-0003=476700000.00
    # FIFO over the fund's receipts (no --source)
    demo_run "$A" allocate --project PRJ-MAKINSK-WATER --amount 1250000000.00 \
        --decision "KZ-GOV-2024/ALLOC-032" --date 2024-07-01 --ref "ALLOC-2024-032"
    local t
    for t in "PRJ-TEMIRLAN-MUSIC 267000000.00 2024-05-15 TEM-1" \
        "PRJ-TEMIRLAN-MUSIC 356000000.00 2024-09-02 TEM-2" \
        "PRJ-TEMIRLAN-MUSIC 267000000.00 2025-01-20 TEM-3" \
        "PRJ-ZERENDA-SPORT 840000000.00 2024-05-20 ZER-1" \
        "PRJ-ZERENDA-SPORT 630000000.00 2024-10-01 ZER-2" \
        "PRJ-KOSSHY-WATER 238350000.00 2024-08-01 KOS-1" \
        "PRJ-KOSSHY-WATER 238350000.00 2024-11-15 KOS-2" \
        "PRJ-MAKINSK-WATER 375000000.00 2024-09-10 MAK-1"; do
        set -- $t
        demo_run "$A" disburse --project "$1" --amount "$2" --date "$3" --ref "TRANCHE-$4"
    done
}

# arcs_demo_audit ARCS KEYDIR EXPORT_DIR: a signing key (made once, mode
# 0600, never printed), a checkpoint (signed only when the log grew since the
# last one), verify against it, export the log and verify the export.
# Sets DEMO_VKEY and DEMO_CHECKPOINT.
arcs_demo_audit() {
    local A=$1 keys=$2 export=$3 size have=""
    mkdir -p "$keys"
    chmod 700 "$keys"
    if [ ! -s "$keys/signing.key" ] || [ ! -s "$keys/verifier.vkey" ]; then
        rm -f "$keys/signing.key"
        (umask 077 && "$A" audit keygen --name arcs-demo.example/log --out "$keys/signing.key" \
            >"$keys/verifier.vkey.tmp") && mv "$keys/verifier.vkey.tmp" "$keys/verifier.vkey"
    fi
    chmod 600 "$keys/signing.key"
    DEMO_VKEY=$(head -n 1 "$keys/verifier.vkey")
    demo_run "$A" audit seal
    size=$("$A" db status --json | sed -n 's/.*"log_size":\([0-9]*\).*/\1/p')
    DEMO_CHECKPOINT=$keys/checkpoint
    [ -s "$DEMO_CHECKPOINT" ] && have=$(sed -n 2p "$DEMO_CHECKPOINT")
    if [ "$have" != "$size" ]; then
        "$A" audit checkpoint --key "$keys/signing.key" --out "$DEMO_CHECKPOINT.tmp" >/dev/null &&
            mv "$DEMO_CHECKPOINT.tmp" "$DEMO_CHECKPOINT"
    fi
    "$A" audit verify --vkey "$DEMO_VKEY" --checkpoint "$DEMO_CHECKPOINT" || return
    rm -rf "$export"
    mkdir -p "$(dirname "$export")"
    demo_run "$A" audit export "$export"
    "$A" audit verify-export "$export" --vkey "$DEMO_VKEY"
}

# arcs_demo_reports ARCS OUT_DIR: every report, one line per file written.
arcs_demo_reports() {
    local A=$1 out=$2 ref f p
    mkdir -p "$out"
    for ref in ARC-2021-0001 ARC-2021-0002 ARC-2022-0003 ARC-2023-0004; do
        for f in html md; do
            demo_run "$A" report case "$ref" --format $f --out "$out/case-$ref.$f" && echo "  $out/case-$ref.$f"
        done
    done
    for f in html csv json; do
        demo_run "$A" report funds --format $f --out "$out/funds.$f" && echo "  $out/funds.$f"
        demo_run "$A" report statistics --year 2024 --format $f --out "$out/statistics-2024.$f" &&
            echo "  $out/statistics-2024.$f"
    done
    for p in PRJ-TEMIRLAN-MUSIC PRJ-ZERENDA-SPORT PRJ-KOSSHY-WATER PRJ-MAKINSK-WATER; do
        for f in html json; do
            demo_run "$A" report provenance --project $p --format $f --out "$out/provenance-$p.$f" &&
                echo "  $out/provenance-$p.$f"
        done
    done
}
