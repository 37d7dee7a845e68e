# arcs case add | list | show | status, subject add, decision add: round trips
# with the values checked, idempotent retries, conflicts, list filters.
. "$(dirname "$0")/lib.sh"

jget() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1], {"d": d}))' "$1"; }

expect_exit 0 "db init" arcs db init --base-currency KZT

expect_exit 0 "case add" arcs case add --ref ARC-2025-0042 --title "Embezzlement of state funds" \
    --route criminal --offence embezzlement --offence money_laundering --opened 2024-01-10 \
    --jurisdiction victim:KZ --jurisdiction holding:AT
id42=$OUT
expect_match '^[0-9]+$' "$id42" "case add prints a numeric id"

expect_exit 0 "same case again (offences and jurisdictions reordered) is a retry" \
    arcs case add --ref ARC-2025-0042 --title "Embezzlement of state funds" \
    --offence money_laundering --offence embezzlement --opened 2024-01-10 \
    --jurisdiction holding:AT --jurisdiction victim:KZ
expect_eq "$id42" "$OUT" "the retry prints the same id"
expect_eq 1 "$(sql "SELECT count(*) FROM arcs.cases WHERE ref = 'ARC-2025-0042'")" "one row after the retry"
expect_eq 2 "$(sql "SELECT count(*) FROM arcs.case_jurisdictions")" "jurisdictions not doubled"

before=$(db_digest)
expect_exit 4 "same ref, other title: refused" arcs case add --ref ARC-2025-0042 --title "Another case"
expect_match 'ARC-2025-0042 is already used for a different case' "$ERR" "conflict message names the ref"
expect_exit 4 "same ref, other offences: refused" arcs case add --ref ARC-2025-0042 \
    --title "Embezzlement of state funds" --offence bribery --opened 2024-01-10 \
    --jurisdiction victim:KZ --jurisdiction holding:AT
expect_eq "$before" "$(db_digest)" "conflicts change nothing"

expect_exit 0 "case add --json" arcs case add --json --ref ARC-2025-0043 --title "Bribery abroad" \
    --route non_conviction --offence bribery --opened 2024-06-01 --jurisdiction holding:LI \
    --jurisdiction bribe_payer:CH
expect_eq non_conviction "$(printf '%s' "$OUT" | jget 'd["route"]')" "json route"
expect_eq "LI" "$(printf '%s' "$OUT" | jget '[j["country"] for j in d["jurisdictions"] if j["role"]=="holding"][0]')" "json jurisdiction"
id43=$(printf '%s' "$OUT" | jget 'd["id"]')
expect_match '^[0-9]+$' "$id43" "json id is a string of digits"
expect_exit 0 "third case" arcs case add --ref ARC-2025-0044 --title "Villa in Dubai" \
    --route civil --offence illicit_enrichment --opened 2023-11-20 --jurisdiction holding:AE

# list and filters
expect_exit 0 "case list" arcs case list
expect_match 'ARC-2025-0042 +Embezzlement of state funds +criminal +open +2024-01-10 +embezzlement,money_laundering' "$OUT" "table row of ARC-2025-0042"
expect_exit 0 "case list --json" arcs case list --json
expect_eq "ARC-2025-0042 ARC-2025-0043 ARC-2025-0044" "$(printf '%s' "$OUT" | jget '" ".join(c["ref"] for c in d["cases"])')" "all cases, by ref"
expect_exit 0 "list --offence bribery" arcs case list --json --offence bribery
expect_eq "ARC-2025-0043" "$(printf '%s' "$OUT" | jget '" ".join(c["ref"] for c in d["cases"])')" "offence filter"
expect_exit 0 "list --country AT" arcs case list --json --country AT
expect_eq "ARC-2025-0042" "$(printf '%s' "$OUT" | jget '" ".join(c["ref"] for c in d["cases"])')" "country filter (jurisdiction)"
# a country where only an asset lies also finds the case
sql "INSERT INTO arcs.assets (case_id, kind, description, country) VALUES ($id43, 'bank_account', 'Account in London', 'GB')"
expect_exit 0 "list --country GB" arcs case list --json --country GB
expect_eq "ARC-2025-0043" "$(printf '%s' "$OUT" | jget '" ".join(c["ref"] for c in d["cases"])')" "country filter (asset country)"
expect_exit 0 "list --country FR" arcs case list --json --country FR
expect_eq "0" "$(printf '%s' "$OUT" | jget 'len(d["cases"])')" "no case in FR"

# subjects and decisions
printf '880101300123\n' >"$T_OUT.id"
expect_exit 0 "subject add with identity number from a file" arcs subject add ARC-2025-0042 \
    --name "Rakhat A." --kind person --role defendant --country KZ --id-number-file "$T_OUT.id"
sid=$OUT
expect_match '^[0-9]+$' "$sid" "subject add prints an id"
expect_exit 0 "subject add again is a retry" arcs subject add ARC-2025-0042 \
    --name "Rakhat A." --kind person --role defendant --country KZ --id-number-file "$T_OUT.id"
expect_eq "$sid" "$OUT" "same subject id"
expect_eq "880101300123" "$(sql "SELECT id_number FROM arcs.subjects WHERE id = $sid")" "identity number stored"
expect_exit 0 "entity subject" arcs subject add ARC-2025-0042 --name "Alpine Holding AG" \
    --kind entity --role nominee --country AT
expect_exit 0 "decision add" arcs decision add ARC-2025-0042 --kind freeze --ref "AT-LG-2024/17" \
    --issuer "Regional Court Vienna" --date 2024-02-01 --effective 2024-02-02 --final 2024-03-01
did=$OUT
expect_exit 0 "decision retry" arcs decision add ARC-2025-0042 --kind freeze --ref "AT-LG-2024/17" \
    --issuer "Regional Court Vienna" --date 2024-02-01 --effective 2024-02-02 --final 2024-03-01
expect_eq "$did" "$OUT" "decision retry prints the same id"
expect_exit 4 "decision ref reused differently" arcs decision add ARC-2025-0042 --kind seizure \
    --ref "AT-LG-2024/17" --issuer "Regional Court Vienna" --date 2024-02-01
expect_exit 0 "confiscation covering the asset" arcs decision add ARC-2025-0043 --kind confiscation \
    --ref "LI-2024-5" --issuer "Princely Court" --date 2024-09-01 \
    --asset "$(sql "SELECT id FROM arcs.assets LIMIT 1")"
expect_eq 1 "$(sql "SELECT count(*) FROM arcs.decision_assets")" "decision covers the asset"
expect_exit 4 "asset of another case refused" arcs decision add ARC-2025-0042 --kind seizure \
    --ref "X-1" --issuer "Court" --date 2024-09-01 --asset "$(sql "SELECT id FROM arcs.assets LIMIT 1")"
expect_exit 3 "unknown asset" arcs decision add ARC-2025-0042 --kind seizure \
    --ref "X-1" --issuer "Court" --date 2024-09-01 --asset 99999

# status
expect_exit 0 "case status" arcs case status ARC-2025-0042 investigation --decision "AT-LG-2024/17" --date 2024-02-05
expect_eq investigation "$(sql "SELECT status FROM arcs.cases WHERE ref = 'ARC-2025-0042'")" "status recorded"
expect_exit 0 "case status retry" arcs case status ARC-2025-0042 investigation --decision "AT-LG-2024/17" --date 2024-02-05
expect_eq 1 "$(sql "SELECT count(*) FROM arcs.case_status_changes")" "retry records nothing"
expect_exit 4 "decision of another case refused" arcs case status ARC-2025-0042 closed --decision LI-2024-5 --date 2024-10-01
expect_exit 3 "unknown decision" arcs case status ARC-2025-0042 closed --decision NOPE --date 2024-10-01
expect_exit 4 "date before opening refused" arcs case status ARC-2025-0042 closed --decision "AT-LG-2024/17" --date 2023-01-01
expect_exit 0 "close" arcs case status ARC-2025-0042 closed --decision "AT-LG-2024/17" --date 2024-12-31
expect_eq "closed|2024-12-31" "$(sql "SELECT status || '|' || closed_on FROM arcs.cases WHERE ref = 'ARC-2025-0042'")" "closing sets closed_on"
before=$(db_digest)
run psql -X -v ON_ERROR_STOP=1 -c "UPDATE arcs.cases SET status = 'open' WHERE ref = 'ARC-2025-0042'"
if [ "$RC" != 0 ] && printf '%s' "$ERR" | grep -q 'changes only by a recorded change'; then
    pass "a direct UPDATE of the status is refused by the database"
else fail "a direct UPDATE of the status went through (rc $RC: $ERR)"; fi
expect_eq "$before" "$(db_digest)" "nothing changed"
expect_exit 0 "list --status closed" arcs case list --json --status closed
expect_eq "ARC-2025-0042" "$(printf '%s' "$OUT" | jget '" ".join(c["ref"] for c in d["cases"])')" "status filter"

# show
expect_exit 0 "case show" arcs case show ARC-2025-0042
expect_match 'title: +Embezzlement of state funds' "$OUT" "show: title"
expect_match 'jurisdictions: +holding:AT, victim:KZ' "$OUT" "show: jurisdictions"
expect_match 'Rakhat A\. +person +defendant +KZ +on file' "$OUT" "show: subject, identity number masked"
if printf '%s' "$OUT" | grep -q 880101300123; then fail "show leaks the identity number"; else pass "show does not print the identity number"; fi
expect_match 'AT-LG-2024/17 +Regional Court Vienna +2024-02-01 +2024-02-02 +2024-03-01' "$OUT" "show: decision"
expect_exit 0 "case show --json" arcs case show ARC-2025-0042 --json
expect_eq "closed 2 1 True" "$(printf '%s' "$OUT" | jget '" ".join([d["status"], str(len(d["subjects"])), str(len(d["decisions"])), str(d["subjects"][0]["id_number_on_file"])])')" "show --json: status, subjects, decisions"
expect_eq "open>investigation investigation>closed" "$(printf '%s' "$OUT" | jget '" ".join(h["from"]+">"+h["to"] for h in d["status_history"])')" "show --json: status history"
if printf '%s' "$OUT" | grep -q 880101300123; then fail "show --json leaks the identity number"; else pass "show --json does not print the identity number"; fi
expect_exit 3 "show unknown case" arcs case show ARC-1999-0001
expect_exit 3 "status of unknown case" arcs case status ARC-1999-0001 closed --decision X --date 2024-01-01

# A decision retried after a transition linked more assets to it is still a retry.
expect_exit 0 "case for decision retry" arcs case add --ref ARC-2025-0077 --title "Retry check"
expect_exit 0 "freeze decision" arcs decision add ARC-2025-0077 --kind freeze --ref FRZ-77 \
    --issuer "Court" --date 2024-03-01
A77=$(arcs asset add ARC-2025-0077 --kind cash --desc "Cash" --country KZ)
expect_exit 0 "transition links the asset" arcs asset transition "$A77" frozen --decision FRZ-77 --date 2024-03-02
expect_exit 0 "decision retry after the transition" arcs decision add ARC-2025-0077 --kind freeze \
    --ref FRZ-77 --issuer "Court" --date 2024-03-01
expect_match 'exists already' "$ERR" "the retry says it existed"
expect_exit 0 "retry naming the linked asset" arcs decision add ARC-2025-0077 --kind freeze \
    --ref FRZ-77 --issuer "Court" --date 2024-03-01 --asset "$A77"
# A fund allocation decision stands without a case; other kinds need one.
expect_exit 0 "allocation decision without a case" arcs decision add --kind allocation \
    --ref GOV-ALLOC-1 --issuer "Government" --date 2024-05-01 --json
expect_match '"case":null' "$OUT" "the allocation names no case"
expect_eq "" "$(sql "SELECT case_id FROM arcs.decisions WHERE ref = 'GOV-ALLOC-1'")" "stored with no case"
before=$(db_digest)
expect_exit 2 "a freeze needs a case" arcs decision add --kind freeze --ref FRZ-NOCASE \
    --issuer "Court" --date 2024-05-01
expect_eq "$before" "$(db_digest)" "nothing written"
expect_exit 0 "db status counts" arcs db status --json
expect_match '"cases":4' "$OUT" "four cases counted"
finish
