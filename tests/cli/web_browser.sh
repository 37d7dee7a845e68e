# arcs serve in a real browser (Debian's chromium-driver and python3-selenium):
# an analyst enters a case with two subjects, three assets and a freeze
# decision and freezes an asset; arcs case show then shows exactly that and
# the log names the analyst; forged forms (an illegal move, no csrf, an
# auditor's) write nothing; markup and long Cyrillic text come back inert and
# whole; logout ends the session.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/web_lib.sh"

if ! [ -x /usr/bin/chromedriver ] || ! /usr/bin/python3 -c 'import selenium' 2>/dev/null; then
    fail "chromium-driver and python3-selenium are not installed (scripts/test installs them)"
    finish
    exit 1
fi
expect_exit 0 "db init" arcs db init --base-currency KZT
for u in ana1 aud1; do
    printf 'pw-%s-%s\n' "$u" "$RANDOM$RANDOM" >"$WEB_DIR/$u.pw"
    chmod 600 "$WEB_DIR/$u.pw"
done
expect_exit 0 "analyst login" arcs user add ana1 --role analyst --password-file "$WEB_DIR/ana1.pw"
expect_exit 0 "auditor login" arcs user add aud1 --role auditor --password-file "$WEB_DIR/aud1.pw"
web_start || { fail "server starts"; finish; exit 1; }

start=$(date +%s)
WEB="$WEB" ANA1_PW="$(head -n 1 "$WEB_DIR/ana1.pw")" AUD1_PW="$(head -n 1 "$WEB_DIR/aud1.pw")" \
    /usr/bin/python3 "$(dirname "$0")/web_browser.py" >"$WEB_DIR/browser.out" 2>"$WEB_DIR/browser.err"
brc=$?
grep -E '^(not )?ok - ' "$WEB_DIR/browser.out" | while IFS= read -r line; do echo "$line"; done
T_PASS=$((T_PASS + $(grep -c '^ok - ' "$WEB_DIR/browser.out")))
T_FAIL=$((T_FAIL + $(grep -c '^not ok - ' "$WEB_DIR/browser.out")))
if [ "$brc" != 0 ] && ! grep -q '^not ok - ' "$WEB_DIR/browser.out"; then
    fail "the browser run failed: $(grep -m 3 -E 'Error|Exception|Message|line [0-9]+' "$WEB_DIR/browser.err" | tr '\n' ' ') ... $(tail -n 2 "$WEB_DIR/browser.err" | tr '\n' ' ')"
fi
echo "# browser run: $(($(date +%s) - start)) s"
a1=$(sed -n 's/^A1=//p' "$WEB_DIR/browser.out")

X1='<script>alert(1)</script>'
X2='"><img src=x onerror=alert(1)>'
CYR=$(/usr/bin/python3 -c 'print(("Жанаозен" * 250)[:2000], end="")')
expect_exit 0 "case show --json" arcs case show ARC-B-1 --json
got=$(printf '%s' "$OUT" | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
print(d["title"], len(d["subjects"]), "|".join(s["name"] for s in d["subjects"]),
      "|".join(x["kind"] + ":" + x["ref"] + ":" + x["issuer"] for x in d["decisions"]),
      d["asset_count"], sep="\n", end="")')
expect_eq "$X1
2
$X2|${CYR:0:500}
freeze:FRZ-B-1:$X1
3" "$got" "case show: the title, exactly two subjects, one freeze decision, three assets"
expect_exit 0 "asset show" arcs asset show "$a1" --json
got=$(printf '%s' "$OUT" | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
h = d["history"]
print(d["state"], d["description"], d["identifiers"], d["custodian"], len(h),
      h[0]["to"] + ":" + h[0]["decision"] + ":" + h[0]["date"] if h else "-",
      h[0].get("note") if h else "-", sep="\n", end="")')
expect_eq "frozen
$CYR
$X2
$X1
1
frozen:FRZ-B-1:2024-03-02
$CYR" "$got" "the asset: frozen once by FRZ-B-1, its texts whole, the forged move not written"
expect_eq 0 "$(sql "SELECT count(*) FROM arcs.subjects WHERE name IN ('Eve', 'No Token')")" \
    "neither forged subject was written"
expect_exit 0 "audit log of the case" arcs audit log --case ARC-B-1 --json
expect_eq "ana1" "$(printf '%s' "$OUT" | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); d=d if isinstance(d,list) else d.get("entries",d); print(",".join(sorted({e["db_user"] for e in d})), end="")')" \
    "the log names the analyst as db_user of every entry of the case"
web_stop
finish
