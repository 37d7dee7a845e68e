# arcs serve: the analysts' workspace, driven with curl as a browser would
# (SPEC §9): people log in as their own role, forms write through the
# library (303), bad input comes back at its field (422), rules refuse (409),
# roles and csrf refuse (403), and nothing is written unless 303.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/web_lib.sh"

expect_exit 0 "db init" arcs db init --base-currency KZT
for u in ana1 aud1 ana2; do
    printf 'pw-%s-%s\n' "$u" "$RANDOM$RANDOM" >"$WEB_DIR/$u.pw"
    chmod 600 "$WEB_DIR/$u.pw"
done
pw() { head -n 1 "$WEB_DIR/$1.pw"; }
expect_exit 0 "analyst login" arcs user add ana1 --role analyst --password-file "$WEB_DIR/ana1.pw"
expect_exit 0 "auditor login" arcs user add aud1 --role auditor --password-file "$WEB_DIR/aud1.pw"
expect_exit 0 "second analyst" arcs user add ana2 --role analyst --password-file "$WEB_DIR/ana2.pw"

web_start --max-sessions 2 || { fail "server starts"; finish; exit 1; }
pass "server starts on $WEB"

# --- health, headers ---
req anon GET /healthz
expect_status 200 "GET /healthz"
expect_eq ok "$BODY" "healthz says ok"
expect_eq "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'" \
    "$(header Content-Security-Policy)" "Content-Security-Policy on every answer"
expect_eq nosniff "$(header X-Content-Type-Options)" "X-Content-Type-Options"
expect_eq same-origin "$(header Referrer-Policy)" "Referrer-Policy"
req anon GET /cases
expect_status 303 "a page without a session goes to the login"
expect_eq /login "$(header Location)" "... at /login"

# --- login ---
before=$(db_digest)
post ana1 /login user=ana1 "password=wrong-$(pw ana1)"
expect_status 401 "wrong password: 401"
case "$BODY" in *"wrong-$(pw ana1)"*) fail "the password is echoed back" ;; *) pass "the password is not echoed back" ;; esac
post ana1 /login user=nosuchuser password=whatever
expect_status 401 "unknown user: 401, the same answer"
# pg_hba lets postgres in over the socket without a password (trust): the
# workspace takes only logins whose password the server checked
post ana1 /login user=postgres password=anything
expect_status 401 "a role the server lets in unchecked (trust) cannot log in: 401"
post ana1 /login user=ana1 "password=$(pw ana1)"
expect_status 303 "analyst logs in: 303"
expect_eq / "$(header Location)" "... to /"
cookie=$(header Set-Cookie)
expect_match '^arcs_session=[0-9a-f]{64}; Path=/; HttpOnly; SameSite=Strict$' "$cookie" \
    "session cookie: 256-bit token, HttpOnly, SameSite=Strict"
req ana1 GET /
expect_status 200 "home page"
expect_match 'ana1 \(analyst\)' "$BODY" "home names the person and role"
expect_match 'id="log-size">[0-9]+ entries' "$BODY" "home shows the log's size"
csrf=$(csrf_of)
expect_match '^[0-9a-f]{64}$' "$csrf" "pages carry the session's csrf token"

# --- no csrf, wrong csrf, foreign origin: 403, nothing written ---
post ana1 /cases ref=ARC-W-0 title=x
expect_status 403 "POST without csrf: 403"
case "$csrf" in *0) badcsrf=${csrf%?}1 ;; *) badcsrf=${csrf%?}0 ;; esac
post ana1 /cases "csrf=$badcsrf" ref=ARC-W-0 title=x
expect_status 403 "POST with a wrong csrf: 403"
req ana1 POST /cases --data-urlencode "csrf=$csrf" --data-urlencode ref=ARC-W-0 \
    --data-urlencode title=x -H "Origin: http://evil.example"
expect_status 403 "POST from another origin: 403"
expect_eq "$before" "$(db_digest)" "refused POSTs wrote nothing"
req ana1 POST /cases --data-urlencode "csrf=$csrf" --data-urlencode ref=ARC-W-0 \
    --data-urlencode "title=same origin" -H "Origin: $WEB"
expect_status 303 "the same POST from this site's origin: 303"
expect_eq 1 "$(sql "SELECT count(*) FROM arcs.cases WHERE ref = 'ARC-W-0'")" "... and it is written"
before=$(db_digest)

# --- the core flow: a case, two subjects, a freeze decision, three assets ---
X1='<script>alert(1)</script>'
X2='"><img src=x onerror=alert(1)>'
CYR=$(/usr/bin/python3 -c 'print(("Жанаозен" * 250)[:2000], end="")')
post ana1 /cases "csrf=$csrf" ref=ARC-W-1 "title=$X1" route=criminal offence=embezzlement \
    offence=money_laundering opened=2024-02-01 jurisdiction=victim:KZ jurisdiction=holding:AT
expect_status 303 "POST /cases: 303"
expect_eq /cases/ARC-W-1 "$(header Location)" "... to the case page"
post ana1 /cases/ARC-W-1/subjects "csrf=$csrf" "name=$X2" kind=person role=defendant country=KZ
expect_status 303 "first subject: 303"
post ana1 /cases/ARC-W-1/subjects "csrf=$csrf" "name=Иван Петров" kind=entity role=nominee
expect_status 303 "second subject: 303"
post ana1 /cases/ARC-W-1/decisions "csrf=$csrf" kind=freeze ref=FRZ-W-1 "issuer=$X1" date=2024-03-01
expect_status 303 "freeze decision: 303"
post ana1 /cases/ARC-W-1/assets "csrf=$csrf" kind=real_estate "desc=$CYR" country=AT \
    "identifiers=$X2" value=1250000.00 currency=KZT valued_on=2024-02-15
expect_status 303 "first asset: 303"
a1=$(header Location | sed 's/.*#asset-//')
expect_match '^[0-9]+$' "$a1" "the asset's page anchor names its id"
post ana1 /cases/ARC-W-1/assets "csrf=$csrf" kind=bank_account "desc=IBAN account" country=AT
expect_status 303 "second asset: 303"
post ana1 /cases/ARC-W-1/assets "csrf=$csrf" kind=vehicle "desc=$X1" country=KZ
expect_status 303 "third asset: 303"
post ana1 "/assets/$a1/transitions" "csrf=$csrf" to=frozen decision=FRZ-W-1 date=2024-03-02
expect_status 303 "asset moved to frozen: 303"

post ana1 /cases/ARC-W-1/decisions "csrf=$csrf" kind=seizure ref=SZ-W-1 issuer=Court \
    date=2024-04-01 "asset=$a1"
expect_status 303 "a decision covering an asset: 303"
expect_eq "$a1" "$(arcs case show ARC-W-1 --json | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); print(",".join(",".join(x["assets"]) for x in d["decisions"] if x["ref"] == "SZ-W-1"), end="")')" \
    "... it covers the asset ticked"
expect_exit 0 "case show --json" arcs case show ARC-W-1 --json
show=$OUT
expect_eq "$X1" "$(printf '%s' "$show" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["title"], end="")')" "the title is stored whole"
expect_eq "2|2|3" "$(printf '%s' "$show" | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d["subjects"]), len(d["decisions"]), d["asset_count"], sep="|", end="")')" \
    "case show: two subjects, two decisions, three assets"
expect_eq "$X2|Иван Петров" "$(printf '%s' "$show" | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); print("|".join(s["name"] for s in d["subjects"]), end="")')" \
    "subjects' names stored whole"
expect_exit 0 "asset show" arcs asset show "$a1" --json
expect_eq "frozen|$CYR|$X2" "$(printf '%s' "$OUT" | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["state"], d["description"], d["identifiers"], sep="|", end="")')" \
    "the asset is frozen, its 2,000-character Cyrillic description and identifiers whole"
expect_exit 0 "audit log of the case" arcs audit log --case ARC-W-1 --json
expect_eq "ana1" "$(printf '%s' "$OUT" | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); d=d if isinstance(d,list) else d.get("entries",d); print(",".join(sorted({e["db_user"] for e in d})), end="")')" \
    "every entry of the case names the analyst as db_user"

# --- the case page: escaped and whole ---
req ana1 GET /cases/ARC-W-1
expect_status 200 "case page"
page=$BODY
case "$page" in *'<script>alert'* | *'<img src=x'*) fail "a value came back as markup" ;; *) pass "no value comes back as markup" ;; esac
expect_match '&lt;script&gt;alert\(1\)&lt;/script&gt;' "$page" "<script> shown as text"
expect_match '&quot;&gt;&lt;img src=x onerror=alert\(1\)&gt;' "$page" '"><img onerror> shown as text'
if printf '%s' "$page" | grep -qF "$CYR"; then pass "the Cyrillic text comes back whole"; else fail "the Cyrillic text is not whole"; fi
offered=$(printf '%s' "$page" | /usr/bin/python3 -c '
import sys, re
page = sys.stdin.read()
m = re.search(r"action=\"/assets/'"$a1"'/transitions\".*?<select id=\"[^\"]*\" name=\"to\">(.*?)</select>", page, re.S)
print(",".join(re.findall(r"<option value=\"([a-z_]+)\"", m.group(1))) if m else "none", end="")')
expect_eq "seized,confiscated,released" "$offered" "only the legal next states of a frozen asset are offered"

# --- a forged illegal move: 409, nothing written ---
before=$(db_digest)
post ana1 "/assets/$a1/transitions" "csrf=$csrf" to=transferred_in_kind decision=FRZ-W-1 date=2024-03-05
expect_status 409 "forged frozen -> transferred_in_kind: 409"
expect_match 'Nothing was written' "$BODY" "the page says nothing was written"
expect_eq "$before" "$(db_digest)" "the refused move wrote nothing"

# --- bad input: 422, the input kept, the problem at its field ---
post ana1 /cases "csrf=$csrf" ref=ARC-W-2 "title=$X2" opened=2024-13-45 offence=bribery
expect_status 422 "a malformed date: 422"
expect_match 'id="case-opened-err"' "$BODY" "the problem is shown at the opened field"
expect_match 'value="ARC-W-2"' "$BODY" "the ref typed is kept"
expect_match 'value="&quot;&gt;&lt;img src=x onerror=alert\(1\)&gt;"' "$BODY" "the title typed is kept, escaped"
expect_match 'value="bribery" checked' "$BODY" "the offence ticked is kept"
post ana1 /cases "csrf=$csrf" ref=ARC-W-3 "title=$CYR"
expect_status 422 "a 2,000-character title: 422 (at most 500)"
expect_match 'id="case-title-err"' "$BODY" "the problem is shown at the title field"
if printf '%s' "$BODY" | grep -qF "value=\"$CYR\""; then pass "the long Cyrillic title comes back whole"; else fail "the long title is not kept whole"; fi
post ana1 "/assets/$a1/transitions" "csrf=$csrf" to=seized decision=NO-SUCH date=2024-03-05
expect_status 422 "a transition by an unknown decision: 422"
expect_match "id=\"move-$a1-decision-err\"" "$BODY" "the problem is shown at the decision field"
expect_eq "$before" "$(db_digest)" "refused forms wrote nothing"

# --- the same form twice writes once ---
form=$(printf '%s' "$page" | grep -o 'action="/cases/ARC-W-1/assets".*' | grep -o 'name="form" value="[0-9a-f]*"' | head -n 1 | sed 's/.*value="//; s/"//')
expect_match '^[0-9a-f]{32}$' "$form" "a form carries its own token"
post ana1 /cases/ARC-W-1/assets "csrf=$csrf" "form=$form" kind=cash "desc=a suitcase" country=KZ
expect_status 303 "the form sent: 303"
loc1=$(header Location)
post ana1 /cases/ARC-W-1/assets "csrf=$csrf" "form=$form" kind=cash "desc=a suitcase" country=KZ
expect_status 303 "the same form sent again: 303"
expect_eq "$loc1" "$(header Location)" "... to the same asset"
expect_eq 4 "$(sql "SELECT count(*) FROM arcs.assets a JOIN arcs.cases c ON c.id = a.case_id WHERE c.ref = 'ARC-W-1'")" \
    "written once"

# --- search ---
req ana1 GET '/cases?q=%D0%B8%D0%B2%D0%B0%D0%BD'
expect_match 'href="/cases/ARC-W-1"' "$BODY" "search finds a subject's name, case-insensitively"
req ana1 GET '/cases?q=onerror'
expect_match 'href="/cases/ARC-W-1"' "$BODY" "search finds asset identifiers"
req ana1 GET '/cases?q=%25'
expect_match '<p>0 cases' "$BODY" "a % in the search is a literal character"

expect_exit 0 "arcs case list --search, the same search" arcs case list --search 'ИВАН' --json
expect_match '"ref":"ARC-W-1"' "$OUT" "... finds the case"

# --- not found, reports ---
req ana1 GET /cases/NO-SUCH-CASE
expect_status 404 "an unknown case: 404"
expect_match "^default-src 'self'" "$(header Content-Security-Policy)" "a 404 carries the CSP too"
req ana1 GET "/assets/999999/transitions"
expect_status 404 "an unknown page: 404"
before=$(db_digest)
post ana1 /assets/999999/transitions "csrf=$csrf" to=frozen decision=FRZ-W-1 date=2024-03-02
expect_status 404 "a move of an unknown asset: 404"
expect_eq "$before" "$(db_digest)" "... wrote nothing"
req ana1 GET /reports/case/ARC-W-1
expect_status 200 "the case report in the workspace"
expect_match "^default-src 'none'; style-src 'unsafe-inline'" "$(header Content-Security-Policy)" \
    "a report may style itself and run no script"
case "$BODY" in *'<script>alert'*) fail "the report shows markup from a value" ;; *) pass "the report escapes values" ;; esac
req ana1 GET '/reports/case/ARC-W-1?format=json'
expect_status 200 "the case report as JSON"
expect_match '^application/json' "$(header Content-Type)" "... typed as JSON"
req ana1 GET '/reports/case/ARC-W-1?format=pdf'
expect_status 422 "a report format that does not exist: 422"

# --- the auditor reads everything and may write nothing ---
req aud POST /login --data-urlencode user=aud1 --data-urlencode "password=$(pw aud1)" \
    -H 'X-Forwarded-Proto: https'
expect_status 303 "auditor logs in"
case "$(header Set-Cookie)" in *Secure*) fail "X-Forwarded-Proto believed from an untrusted peer" ;; *) pass "X-Forwarded-Proto from a peer not named by --trusted-proxy is not believed" ;; esac
atoken=$(header Set-Cookie | sed 's/^arcs_session=//; s/;.*//')
req aud GET /cases/ARC-W-1
expect_status 200 "auditor reads the case page"
expect_match 'FRZ-W-1' "$BODY" "... with its decisions"
expect_eq 0 "$(printf '%s' "$BODY" | grep -c 'class="f" method="post"')" "the auditor is offered no form"
acsrf=$(csrf_of)
before=$(db_digest)
post aud /cases/ARC-W-1/subjects "csrf=$acsrf" name=Eve kind=person role=defendant
expect_status 403 "auditor's forged POST: 403"
post aud "/assets/$a1/transitions" "csrf=$acsrf" to=seized decision=FRZ-W-1 date=2024-03-05
expect_status 403 "auditor's forged transition: 403"
expect_eq "$before" "$(db_digest)" "the auditor wrote nothing"

# --- bounded sessions ---
post third /login user=ana2 "password=$(pw ana2)"
expect_status 503 "a login past --max-sessions: 503"
expect_match 'as many sessions' "$BODY" "... and it says so"

# --- logout ends the session ---
post aud /logout "csrf=$acsrf"
expect_status 303 "logout: 303"
expect_match 'Max-Age=0' "$(header Set-Cookie)" "the cookie is cleared"
req aud GET /
expect_status 303 "after logout the home page asks for a login"
req gone GET / -H "Cookie: arcs_session=$atoken"
expect_status 303 "the ended session's token no longer opens a page"
req gone POST /cases/ARC-W-1/subjects -H "Cookie: arcs_session=$atoken" \
    --data-urlencode "csrf=$acsrf" --data-urlencode name=Eve --data-urlencode kind=person \
    --data-urlencode role=defendant
expect_status 403 "an ended session's token is refused"

# --- failed logins are slowed down ---
for i in 1 2 3; do post slow /login user=ana2 password=wrong; done
expect_status 401 "third wrong password: 401"
post slow /login user=ana2 "password=$(pw ana2)"
expect_status 429 "right after, even the right password waits: 429"
sleep 3
post slow /login user=ana2 "password=$(pw ana2)"
expect_status 303 "after the wait the right password logs in"

# --- malformed and oversized requests ---
req ana1 POST /cases --data-binary "csrf=$csrf&ref=%ZZ" -H 'Content-Type: application/x-www-form-urlencoded'
expect_status 400 "a malformed form: 400"
req ana1 POST /cases --data-binary "csrf=$csrf&title=%C0%80" -H 'Content-Type: application/x-www-form-urlencoded'
expect_status 400 "an overlong UTF-8 form: 400"
head -c 70000 /dev/zero | tr '\0' a >"$WEB_DIR/big"
req ana1 POST /cases --data-binary "@$WEB_DIR/big" -H 'Content-Type: application/x-www-form-urlencoded'
expect_status 413 "an oversized body: 413"
resp=$(exec 3<>"/dev/tcp/127.0.0.1/${WEB##*:}" && printf 'GARBAGE / NONSENSE\r\n\r\n' >&3 && timeout 5 head -n 1 <&3)
expect_match '^HTTP/1\.[01] 4[0-9][0-9]' "$resp" "a malformed request: a 4xx"
req anon HEAD /healthz -I
expect_status 200 "the server goes on serving"

for u in ana1 aud1 ana2; do
    if grep -qF "$(pw "$u")" "$WEB_DIR/server.log"; then fail "$u's password is in the server log"; else pass "$u's password is not in the server log"; fi
done
web_stop

# --- behind a TLS proxy; idle sessions end ---
web_start --trusted-proxy 127.0.0.1 --idle-timeout 3 || fail "second server starts"
req idle POST /login --data-urlencode user=ana1 --data-urlencode "password=$(pw ana1)" \
    -H 'X-Forwarded-Proto: https'
expect_status 303 "login through the trusted proxy"
expect_match '; Secure$' "$(header Set-Cookie)" "the cookie is Secure when the proxy says https"
req idle GET /
expect_status 200 "the session opens pages"
sleep 6
req idle GET /
expect_status 303 "an idle session has ended"
web_stop
finish
