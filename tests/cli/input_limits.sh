# Input (issue 11, item 10): one text validator for the verbs and the import
# (characters, not bytes; no control character); no stored value cut short
# by a fixed-size field; retries compared whole; sums overflow-checked; no
# password in --db; the database's reason reaches the user.
. "$(dirname "$0")/lib.sh"
W=$(mktemp -d)
trap 'rm -rf "$W" "$T_OUT" "$T_ERR"' EXIT

j() { printf '%s' "$OUT" | jq -r "$1"; }
ok() { expect_exit 0 "$1" "${@:2}"; }
rep() { python3 -c "import sys; sys.stdout.write(sys.argv[1]*int(sys.argv[2]))" "$1" "$2"; }

# ---- the database's reason reaches the user (schema path) ----
# a login that may create schemas but not roles: the first migration fails
sql "CREATE ROLE weakling LOGIN PASSWORD 'weak-pw'"
sql "DO \$\$BEGIN EXECUTE format('GRANT CREATE ON DATABASE %I TO weakling', current_database()); END\$\$"
expect_exit 4 "db init by a login that cannot make the roles is refused" env PGUSER=weakling PGPASSWORD=weak-pw "$ARCS_BIN" db init --base-currency KZT
expect_match '^arcs: db init: migration [0-9]+_[a-z_]+ failed: permission denied to create role' "$ERR" \
    "the migration error carries the database's reason"

ok "init" arcs db init --base-currency KZT

# ---- the database's reason reaches the user (checkpoint path) ----
printf 'ana-pw-1\n' >"$W/ana.pw"
chmod 600 "$W/ana.pw"
ok "an analyst login" arcs user add ana_in --role analyst --password-file "$W/ana.pw"
ok "a signing key" arcs audit keygen --name in.example/log --out "$W/log.key"
run env PGUSER=ana_in PGPASSWORD=ana-pw-1 "$ARCS_BIN" audit checkpoint --key "$W/log.key"
if [ "$RC" != 0 ] && printf '%s' "$ERR" | grep -Eq 'permission denied'; then
    pass "an analyst's checkpoint fails with the database's reason ($RC)"
else fail "checkpoint by an analyst: exit $RC, stderr: $ERR"; fi

# ---- --db with a password: exit 2, a hint, never the password ----
expect_exit 2 "--db key=value with password= is refused" arcs --db "password=s3cr3t-kv host=/nonexistent" case list
expect_match 'pgpass|PGPASSFILE' "$ERR" "the refusal names .pgpass or PGPASSFILE"
case "$ERR" in *s3cr3t-kv*) fail "the password was echoed";; *) pass "the password is not echoed";; esac
expect_exit 2 "--db URI with a password is refused" arcs --db "postgresql://u:s3cr3t-uri@localhost/db" case list
case "$ERR" in *s3cr3t-uri*) fail "the URI password was echoed";; *) pass "the URI password is not echoed";; esac
expect_exit 2 "ARCS_DB with a password is refused" env ARCS_DB="host=/nonexistent password=s3cr3t-env" "$ARCS_BIN" case list
case "$ERR" in *s3cr3t-env*) fail "the ARCS_DB password was echoed";; *) pass "the ARCS_DB password is not echoed";; esac
expect_exit 2 "an unparsable --db is refused without echo" arcs --db "host='x password=s3cr3t-bad" case list
case "$ERR" in *s3cr3t-bad*) fail "the unparsable string was echoed";; *) pass "the unparsable string is not echoed";; esac

# ---- control characters refused, naming the field; nothing written ----
ok "a case" arcs case add --ref IN-1 --title "Case one" --offence bribery --opened 2024-01-01 --jurisdiction victim:KZ
before=$(db_digest)
expect_exit 2 "case add: ESC in the title" arcs case add --ref IN-2 --title "$(printf 'a\033[31mb')" --offence bribery --opened 2024-01-01
expect_match 'title holds a control character' "$ERR" "the message names the title"
expect_exit 2 "case add: CR LF in the title" arcs case add --ref IN-2 --title "$(printf 'a\r\nb')" --offence bribery --opened 2024-01-01
expect_exit 2 "case add: a C1 control in the title" arcs case add --ref IN-2 --title "$(printf 'a\302\233b')" --offence bribery --opened 2024-01-01
expect_exit 2 "case add: invalid UTF-8 in the title" arcs case add --ref IN-2 --title "$(printf 'a\377b')" --offence bribery --opened 2024-01-01
expect_exit 2 "asset add: a newline in the description" arcs asset add IN-1 --kind cash --desc "$(printf 'one\ntwo')" --country KZ
expect_match 'description holds a control character' "$ERR" "the message names the description"
expect_exit 2 "asset add: BEL in the custodian" arcs asset add IN-1 --kind cash --desc ok --country KZ --custodian "$(printf 'x\007')"
expect_match 'custodian' "$ERR" "the message names the custodian"
expect_exit 2 "--actor with ESC is refused" arcs --actor "$(printf 'eve\033[8m')" case list
expect_match 'actor holds a control character' "$ERR" "the message names the actor"
expect_exit 2 "decision add: TAB in the issuer" arcs decision add IN-1 --kind freeze --ref F-x --issuer "$(printf 'a\tb')" --date 2024-02-01
expect_match 'issuer' "$ERR" "the message names the issuer"
printf 'ref,title,route,offences,opened,jurisdictions\r\nIN-3,"bad\x1b[2Jtitle",criminal,bribery,2024-01-01,victim:KZ\r\n' >"$W/cases.csv"
expect_exit 2 "import: ESC in a title" arcs import "$W/cases.csv"
expect_match 'title holds a control character' "$ERR" "the import names the title"
printf 'ref,title,route,offences,opened,jurisdictions\r\nIN-3,"two\nlines",criminal,bribery,2024-01-01,victim:KZ\r\n' >"$W/cases2.csv"
expect_exit 2 "import: a newline in a title" arcs import "$W/cases2.csv"
expect_eq "$before" "$(db_digest)" "nothing was written by the refused inputs"

# ---- characters, not bytes: long Cyrillic text ----
printf 'ref,title,route,offences,opened,jurisdictions\r\nIN-4,%s,criminal,bribery,2024-01-01,victim:KZ\r\n' "$(rep Ж 500)" >"$W/c500.csv"
printf 'ref,title,route,offences,opened,jurisdictions\r\nIN-5,%s,criminal,bribery,2024-01-01,victim:KZ\r\n' "$(rep Ж 501)" >"$W/c501.csv"
ok "import: a 500-character Cyrillic title (1,000 bytes)" arcs import "$W/c500.csv"
expect_eq "500" "$(sql "SELECT char_length(title) FROM arcs.cases WHERE ref = 'IN-4'")" "the title is stored whole"
expect_exit 2 "import: a 501-character title" arcs import "$W/c501.csv"
expect_match 'at most 500 characters' "$ERR" "the limit is given in characters"
ok "asset add: a 2,000-character Cyrillic description" arcs asset add IN-1 --kind cash --desc "$(rep Д 2000)" --country KZ
expect_eq "2000" "$(sql "SELECT char_length(description) FROM arcs.assets WHERE id = $OUT")" "the description is stored whole"
expect_exit 2 "decision add: a 300-character Cyrillic ref" arcs decision add IN-1 --kind freeze --ref "$(rep Ж 300)" --issuer Court --date 2024-02-01
expect_match 'decision ref is too long .*at most 200 characters' "$ERR" "the refusal names the field and the limit"

# ---- long refs are stored and printed whole; retries compared whole ----
P=$(rep P 64)
PFX=$(rep C 63)
DREF="$(rep '😀' 199)x"
for s in A B C; do
    ok "case $s" arcs case add --ref "$PFX$s" --title "Source $s" --offence bribery --opened 2024-01-01 --jurisdiction victim:KZ
    ok "asset $s" arcs asset add "$PFX$s" --kind cash --desc "cash $s" --country KZ --value 100.00 KZT --valued-on 2024-01-02
    a=$OUT
    ok "freeze $s" arcs decision add "$PFX$s" --kind freeze --ref "F-$s" --issuer Court --date 2024-02-01 --asset "$a"
    ok "confiscation $s" arcs decision add "$PFX$s" --kind confiscation --ref "C-$s" --issuer Court --date 2024-03-01 --final 2024-03-02 --asset "$a"
    ok "frozen $s" arcs asset transition "$a" frozen --decision "F-$s" --date 2024-02-01
    ok "confiscated $s" arcs asset transition "$a" confiscated --decision "C-$s" --date 2024-03-02
    ok "realized $s" arcs asset transition "$a" realized --decision "C-$s" --date 2024-03-03 --amount 100.00 KZT
    ok "receive $s" arcs fund receive --asset "$a" --amount 100.00 KZT --date 2024-03-03 --ref "R-$s"
done
ok "a 200-character (797-byte) allocation decision" arcs decision add "${PFX}A" --kind allocation --ref "$DREF" --issuer Government --date 2024-07-01
ok "a project with a 64-character code" arcs project add --code "$P" --name "School" --sector education --region Akmola --budget 1000.00 KZT
ok "allocate from A and B" arcs allocate --project "$P" --amount 100.00 --decision "$DREF" --date 2024-07-10 --ref AL-1 \
    --source "${PFX}A=60.00" --source "${PFX}B=40.00" --json
expect_eq "$DREF" "$(j .decision)" "the transfer prints the 200-character decision ref whole"
ok "case show" arcs case show "${PFX}A" --json
expect_eq "$DREF" "$(j '.decisions[] | select(.kind == "allocation") | .ref')" "case show prints the decision ref whole"
before=$(db_digest)
expect_exit 4 "the same reference for an allocation from A and C is a conflict, not a retry" \
    arcs allocate --project "$P" --amount 100.00 --decision "$DREF" --date 2024-07-10 --ref AL-1 \
    --source "${PFX}A=60.00" --source "${PFX}C=40.00"
expect_eq "$before" "$(db_digest)" "nothing was recorded by the conflicting request"
ok "the identical request is a retry" arcs allocate --project "$P" --amount 100.00 --decision "$DREF" --date 2024-07-10 \
    --ref AL-1 --source "${PFX}A=60.00" --source "${PFX}B=40.00" --json
expect_eq "true" "$(j .existed)" "the retry is recognised"

# ---- sums beyond int64: refused, never wrapped ----
for s in X Y; do
    ok "case $s" arcs case add --ref "BIG-$s" --title "Big $s" --offence bribery --opened 2024-01-01 --jurisdiction victim:KZ
    ok "asset $s" arcs asset add "BIG-$s" --kind cash --desc "huge $s" --country KZ
    ok "receive $s into escrow (5e18 minor units)" arcs fund receive --asset "$OUT" --amount 50000000000000000.00 KZT --date 2024-05-01 --ref "BIG-R-$s"
done
expect_exit 4 "statistics refuses a total beyond the range" arcs report statistics --year 2024 --format json
expect_match 'beyond the range of amounts' "$ERR" "the refusal says why"
case "$OUT" in *'"value_recovered":"-'*) fail "a negative value_recovered was printed";; *) pass "no wrapped figure printed";; esac
expect_exit 4 "the funds report refuses too" arcs report funds --format json

finish
