# arcs serve: the fund, project and audit pages, driven with curl. Each
# page answers every role, sends a visitor without a session to the login,
# and shows the very figures the CLI prints for the same data (one
# definition per figure); a hostile project name comes back inert, an
# unknown project is a 404.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ledger_lib.sh"
. "$(dirname "$0")/web_lib.sh"

ledger_setup
A=$(mkasset ARC-A KZ realized_conf)
expect_exit 0 "receipt" arcs fund receive --asset "$A" --amount 4000000.00 KZT --date 2024-01-10 --ref R-A
expect_exit 0 "deduction" arcs fund deduct --asset "$A" --amount 125000.50 KZT --date 2024-01-12 --ref D-A --kind cost
expect_exit 0 "project with a hostile name" arcs project add --code P1 --name '<script>alert(1)</script>"><img src=x onerror=alert(2)>' --sector education --region 'Temirlan & <b>Co</b>' --budget 890000000.00 KZT
expect_exit 0 "second project" arcs project add --code P2 --name "Sports complex" --sector sport --region Zerenda --budget 2100000000.00 KZT
expect_exit 0 "allocation" arcs allocate --project P1 --amount 1500000.00 --decision ALLOC-1 --date 2024-02-10 --ref AL-1
expect_exit 0 "keygen" arcs audit keygen --name arcs.example/log --out "$WEB_DIR/log.key"
expect_exit 0 "first checkpoint (seals the log)" arcs audit checkpoint --key "$WEB_DIR/log.key" --out "$WEB_DIR/cp0"
expect_exit 0 "disbursement" arcs disburse --project P1 --amount 600000.25 --date 2024-03-01 --ref DI-1
expect_exit 0 "second checkpoint" arcs audit checkpoint --key "$WEB_DIR/log.key" --out "$WEB_DIR/cp"
# one change more, captured but not sealed
expect_exit 0 "a third project, unsealed" arcs project add --code P3 --name "Clinic" --sector health --region Kostanay --budget 1.00 KZT

for u in ana1 sup1 aud1; do
    printf 'pw-%s-%s\n' "$u" "$RANDOM$RANDOM" >"$WEB_DIR/$u.pw"
    chmod 600 "$WEB_DIR/$u.pw"
done
pw() { head -n 1 "$WEB_DIR/$1.pw"; }
expect_exit 0 "analyst login" arcs user add ana1 --role analyst --password-file "$WEB_DIR/ana1.pw"
expect_exit 0 "supervisor login" arcs user add sup1 --role supervisor --password-file "$WEB_DIR/sup1.pw"
expect_exit 0 "auditor login" arcs user add aud1 --role auditor --password-file "$WEB_DIR/aud1.pw"

web_start || { fail "server starts"; finish; exit 1; }
pass "server starts on $WEB"

# The text of the element with id $1 in $BODY (tags removed, entities read).
by_id() {
    printf '%s' "$BODY" | python3 -c '
import re, sys
from html import unescape
m = re.search(r"id=\"%s\">(.*?)</t[dh]>" % re.escape(sys.argv[1]), sys.stdin.read(), re.S)
print(unescape(re.sub(r"<[^>]*>", "", m.group(1))) if m else "")' "$1"
}
# The rows of the table after the element with id $1: cells (tags removed,
# entities read) joined by |.
rows_after() {
    printf '%s' "$BODY" | python3 -c '
import re, sys
from html import unescape
s = sys.stdin.read()
i = s.find("id=\"%s\"" % sys.argv[1])
if i < 0: sys.exit(0)
t = s[i:]
t = t[t.find("<tbody>"):t.find("</tbody>")]
for r in re.findall(r"<tr>(.*?)</tr>", t, re.S):
    print("|".join(unescape(re.sub(r"<[^>]*>", "", c)) for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)))' "$1"
}

# --- without a session ---
for p in /fund /projects/P1 "/audit" "/audit?case=ARC-A"; do
    req anon GET "$p"
    expect_status 303 "GET $p without a session: 303"
    expect_eq /login "$(header Location)" "... to /login"
done
post anon /fund x=1
expect_status 403 "POST /fund without a session: 403"

# --- the CLI's figures ---
run arcs fund balance --json
fund_json=$OUT
run arcs project show P1 --json
p1_json=$OUT
run arcs project list --json
list_json=$OUT
run arcs audit log --case ARC-A --json
trail_json=$OUT
fig() { printf '%s' "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$2"; }

for u in ana1 sup1 aud1; do
    post "$u" /login user="$u" "password=$(pw "$u")"
    expect_status 303 "$u logs in"

    req "$u" GET /
    expect_match '<a href="/fund">Fund</a>' "$BODY" "$u: the header links the fund page"
    expect_match '<a href="/audit">Audit</a>' "$BODY" "$u: the header links the audit page"

    # fund
    req "$u" GET /fund
    expect_status 200 "$u: GET /fund"
    expect_eq "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'" \
        "$(header Content-Security-Policy)" "$u: /fund has the pages' CSP"
    for k in received deducted escrow returned allocated disbursed available undisbursed; do
        got=$(by_id "fund-$k")
        expect_match '^[0-9]+\.[0-9]{2}$' "$got" "$u: fund $k is an amount"
        expect_eq "$(fig "$fund_json" "$k")" "$got" "$u: fund $k equals arcs fund balance"
    done
    want=$(printf '%s' "$list_json" | python3 -c '
import json, sys
for p in json.load(sys.stdin)["projects"]:
    print("|".join([p["code"], p["name"], p["sector"], p["region"], p["status"], p["allocated"], p["disbursed"]]))')
    expect_match 'P1\|.*P2\|.*P3\|' "$(printf '%s' "$want" | tr '\n' ' ')" "the CLI lists three projects"
    expect_eq "$want" "$(rows_after projects)" "$u: the fund page's projects equal arcs project list"

    # project
    req "$u" GET /projects/P1
    expect_status 200 "$u: GET /projects/P1"
    for k in allocated disbursed undisbursed; do
        expect_eq "$(fig "$p1_json" "$k") KZT" "$(by_id "project-$k")" "$u: project $k equals arcs project show"
    done
    expect_eq "$(fig "$p1_json" budget) KZT" "$(by_id project-budget)" "$u: project budget equals arcs project show"
    want=$(printf '%s' "$p1_json" | python3 -c '
import json, sys
for t in json.load(sys.stdin)["transfers"]:
    print("|".join([t["value_date"], "reversal" if t["kind"] == "reverse" else t["kind"], t["ext_ref"], t["amount"] + " " + t["currency"], t.get("reverses", ""), t.get("decision", "")]))')
    expect_match 'AL-1.*DI-1' "$(printf '%s' "$want" | tr '\n' ' ')" "P1 has an allocation and a tranche"
    expect_eq "$want" "$(rows_after transfers)" "$u: allocations and tranches equal arcs project show"
    want=$(printf '%s' "$p1_json" | python3 -c '
import json, sys
for s in json.load(sys.stdin)["sources"]:
    print("|".join([s["case"], s["country"], s["jurisdictions"], s["amount"] + " KZT"]))')
    expect_match 'ARC-A' "$want" "$u: P1 has a source case"
    expect_eq "$want" "$(rows_after sources)" "$u: source cases equal arcs project show"
    case "$BODY" in
    *'<script>'* | *'<img src=x'* | *'<b>Co</b>'*) fail "$u: the hostile project name is not escaped" ;;
    *) pass "$u: no markup from the project's name or region" ;;
    esac
    expect_match '&lt;script&gt;alert\(1\)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert\(2\)&gt;' \
        "$BODY" "$u: the hostile name comes back whole, escaped"
    req "$u" GET /projects/P9
    expect_status 404 "$u: an unknown project is a 404"
    req "$u" GET /projects/%3Cscript%3E
    expect_status 404 "$u: a hostile project code is a 404"
    case "$BODY" in *'<script>'*) fail "$u: the 404 echoes markup" ;; *) pass "$u: the 404 echoes no markup" ;; esac

    # audit
    req "$u" GET /audit
    expect_status 200 "$u: GET /audit"
    expect_eq "$(sql "SELECT count(*) FROM arcs_audit.entries")" "$(by_id audit-size)" "$u: the log's size"
    expect_match "covers $(sed -n 2p "$WEB_DIR/cp") entries.*recorded, not verified" "$(by_id audit-cp)" \
        "$u: the last checkpoint, recorded, not verified"
    want=$(sql "SELECT size || '|' || to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || '|' || signer || '|recorded, not verified' FROM arcs_audit.checkpoints ORDER BY size DESC, id DESC")
    expect_eq 2 "$(printf '%s\n' "$want" | grep -c .)" "two checkpoints are stored"
    expect_eq "$want" "$(rows_after checkpoints)" "$u: the stored checkpoints, largest first, each recorded, not verified"
    # the unsealed count is arcs db status's, as the person: shown when the
    # role may read it, else said to be unreadable
    run env PGUSER="$u" PGPASSWORD="$(pw "$u")" "$ARCS_BIN" db status --json
    if [ "$RC" = 0 ]; then
        expect_eq "$(fig "$OUT" unsealed)" "$(by_id audit-unsealed)" "$u: the unsealed count equals arcs db status"
    else
        expect_eq "not readable by your role" "$(by_id audit-unsealed)" \
            "$u: arcs db status is refused to the role (exit $RC), and the page says so"
    fi
    req "$u" GET "/audit?case=ARC-A"
    expect_status 200 "$u: GET /audit?case=ARC-A"
    want=$(printf '%s' "$trail_json" | python3 -c '
import json, sys
for e in json.load(sys.stdin):
    print("|".join(e[k] for k in ("seq", "time", "db_user", "actor", "op", "table", "key")))')
    expect_match 'transfers' "$want" "the case's trail holds its money movements"
    expect_eq "$want" "$(rows_after trail)" "$u: the case's trail equals arcs audit log --case"
    req "$u" GET "/audit?case=NOPE-1"
    expect_status 404 "$u: the trail of an unknown case is a 404"
    req "$u" GET /cases/ARC-A
    expect_match 'href="/audit\?case=ARC-A"' "$BODY" "$u: the case page links its trail"
done

finish
