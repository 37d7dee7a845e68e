# The demo's data set, sourced by scripts/demo: arcs_demo_data ARCS_BINARY.
# Every step is safe to repeat: case, subject and decision adds are retries
# when their content is unchanged, and other steps check before they write.
# Figures are the public ones of SPEC.md; names of people are invented.
# Extend it by adding steps at the end of arcs_demo_data.

# demo_run CMD...: run quietly; on failure show what it said and fail.
demo_run() {
    local err rc=0
    err=$("$@" 2>&1 >/dev/null) || rc=$?
    if [ $rc != 0 ]; then
        printf '%s\n' "$err" >&2
        return $rc
    fi
}

# demo_status ARCS REF STATUS DECISION DATE: move the case unless that very
# change is on record already (a later status would refuse the replay).
demo_status() {
    local arcs=$1 ref=$2 status=$3 dref=$4 date=$5 done
    done=$(psql -X -Atq -v ref="$ref" -v st="$status" -v d="$dref" -v on="$date" <<'SQL'
SELECT count(*) FROM arcs.case_status_changes h
  JOIN arcs.cases c ON c.id = h.case_id JOIN arcs.decisions d ON d.id = h.decision_id
 WHERE c.ref = :'ref' AND h.to_status = :'st' AND d.ref = :'d' AND h.on_date = :'on'::date;
SQL
)
    [ "$done" != 0 ] || demo_run "$arcs" case status "$ref" "$status" --decision "$dref" --date "$date"
}

arcs_demo_data() {
    local A=$1

    # 1. Austria: USD 80m returned.
    demo_run "$A" case add --ref ARC-2021-0001 --title "State holding embezzlement: accounts in Austria" \
        --route criminal --offence embezzlement --offence money_laundering --opened 2021-03-15 \
        --jurisdiction victim:KZ --jurisdiction holding:AT --jurisdiction transit:CH
    demo_run "$A" subject add ARC-2021-0001 --name "Former chairman of a state holding (A.K.)" \
        --kind person --role defendant --country KZ
    demo_run "$A" subject add ARC-2021-0001 --name "Danube Asset Management GmbH" --kind entity \
        --role nominee --country AT
    demo_run "$A" decision add ARC-2021-0001 --kind freeze --ref "AT-LGS-2021/0412" \
        --issuer "Regional Court for Criminal Matters Vienna" --date 2021-06-01 \
        --effective 2021-06-01
    demo_run "$A" decision add ARC-2021-0001 --kind confiscation --ref "KZ-ASTANA-2022/1-118" \
        --issuer "Astana City Court" --date 2022-09-14 --final 2022-12-20
    demo_run "$A" decision add ARC-2021-0001 --kind return_agreement --ref "KZ-AT-RA-2023/1" \
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
    demo_run "$A" decision add ARC-2021-0002 --kind freeze --ref "LI-FL-2021/ST-77" \
        --issuer "Princely Court of Liechtenstein" --date 2021-10-05
    demo_run "$A" decision add ARC-2021-0002 --kind confiscation --ref "LI-FL-2023/ST-77-K" \
        --issuer "Princely Court of Liechtenstein" --date 2023-03-28 --final 2023-07-04
    demo_run "$A" decision add ARC-2021-0002 --kind return_agreement --ref "KZ-LI-RA-2024/1" \
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
    demo_run "$A" decision add ARC-2022-0003 --kind freeze --ref "AE-DXB-2022/CIV-3391" \
        --issuer "Dubai Courts" --date 2022-07-19
    demo_run "$A" decision add ARC-2022-0003 --kind return_agreement --ref "KZ-AE-RA-2024/2" \
        --issuer "Governments of Kazakhstan and the UAE" --date 2024-06-03
    demo_status "$A" ARC-2022-0003 enforcement "KZ-AE-RA-2024/2" 2024-06-03

    # 4. At home: a voluntary return to the Special State Fund.
    demo_run "$A" case add --ref ARC-2023-0004 --title "Regional budget embezzlement: voluntary return" \
        --route voluntary --offence embezzlement --opened 2023-02-20 \
        --jurisdiction victim:KZ
    demo_run "$A" subject add ARC-2023-0004 --name "Construction contractor LLP (D.R.)" --kind entity \
        --role defendant --country KZ
    demo_run "$A" decision add ARC-2023-0004 --kind return_agreement --ref "KZ-AG-VR-2023/31" \
        --issuer "Asset Recovery Committee of the Prosecutor General's Office" \
        --date 2023-09-01

    # 5. Still under investigation.
    demo_run "$A" case add --ref ARC-2024-0005 --title "Abuse of functions in public procurement" \
        --route criminal --offence abuse_of_functions --offence trading_in_influence \
        --opened 2024-10-07 --jurisdiction victim:KZ --jurisdiction transit:AE
    demo_run "$A" subject add ARC-2024-0005 --name "Deputy head of a procurement agency (M.Zh.)" \
        --kind person --role defendant --country KZ
    demo_run "$A" decision add ARC-2024-0005 --kind seizure --ref "KZ-ALM-2024/INV-552" \
        --issuer "Investigating judge, Almaty" --date 2024-11-12
    demo_status "$A" ARC-2024-0005 investigation "KZ-ALM-2024/INV-552" 2024-11-12
}
